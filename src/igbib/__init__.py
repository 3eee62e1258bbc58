"""igbib: a bibliography manager for imaging genetics (radiogenomics) research.

The package is a library first: :mod:`igbib.store` opens a library, the
importers turn files into papers and :mod:`igbib.search` queries it. The
command line (:mod:`igbib.cli`) is a thin layer over these modules.

Importing :mod:`igbib` is deliberately cheap: nothing heavy is imported here.
"""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/igbib/igbib"
