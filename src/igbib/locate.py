"""Where the library lives.

In order: ``--db PATH``; the ``IGBIB_DB`` environment variable; the nearest
``library.sqlite`` in the current directory or one of its parents; else
``library.sqlite`` in the per-user data directory (created on first write).
Other tools and scripts rely on this order: change it only with a major version.

Paths are plain strings here (no :mod:`pathlib`): this runs on every command,
and ``igbib search`` must start fast.
"""

from __future__ import annotations

import os

FILENAME = "library.sqlite"
ENV_VAR = "IGBIB_DB"


def user_library() -> str:
    from platformdirs import user_data_dir

    return os.path.join(user_data_dir("igbib", appauthor=False), FILENAME)


def find_library(explicit: str | os.PathLike | None = None, cwd: str | None = None):
    """``(path, how)``: the library path in use and why it was chosen."""
    if explicit:
        return os.path.expanduser(os.fspath(explicit)), "--db"
    env = os.environ.get(ENV_VAR)
    if env:
        return os.path.expanduser(env), ENV_VAR
    folder = os.path.realpath(cwd or os.getcwd())
    while True:
        candidate = os.path.join(folder, FILENAME)
        if os.path.isfile(candidate):
            return candidate, "nearest library.sqlite"
        parent = os.path.dirname(folder)
        if parent == folder:
            return user_library(), "user data directory"
        folder = parent


def remove_library(path: str) -> None:
    """Delete a library file and its WAL and shared-memory files, if they exist."""
    import contextlib

    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.remove(path + suffix)
