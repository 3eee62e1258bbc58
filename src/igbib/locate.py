"""Where the library lives.

In order: ``--db PATH``; the ``IGBIB_DB`` environment variable; the nearest
``library.sqlite`` in the current directory or one of its parents; else
``library.sqlite`` in the per-user data directory (created on first write).
Other tools and scripts rely on this order: change it only with a major version.
"""

from __future__ import annotations

import os
from pathlib import Path

FILENAME = "library.sqlite"
ENV_VAR = "IGBIB_DB"


def user_library() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("igbib", appauthor=False)) / FILENAME


def find_library(explicit: str | os.PathLike | None = None, cwd: Path | None = None):
    """``(path, how)``: the library path in use and why it was chosen."""
    if explicit:
        return Path(explicit).expanduser(), "--db"
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser(), ENV_VAR
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / FILENAME
        if candidate.is_file():
            return candidate, "nearest library.sqlite"
    return user_library(), "user data directory"
