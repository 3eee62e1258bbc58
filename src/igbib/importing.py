"""Moved: applying a parsed file to a library is :func:`igbib.ops.ingest.import_parsed`.

This name stays importable for code written against it.
"""

from igbib.ops.ingest import import_parsed

__all__ = ["import_parsed"]
