"""Shell completion of option values: choices, and the library's own sections and tags.

Typer calls these while the shell asks (``igbib --install-completion`` sets that
up). They must never fail: a library that cannot be read completes nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable


def source(name: str | None, values: Callable[[], tuple[str, ...]] | None = None):
    """The completion function for a parameter, or None to let the shell complete files.

    ``values``: the parameter's choices or suggestions, when it has them.
    """
    if values is not None:
        return lambda incomplete: _starting(values(), incomplete)
    if name == "sections":
        return lambda ctx, incomplete: _starting(_from_library(ctx, _sections), incomplete)
    if name == "tags":
        return lambda ctx, incomplete: _starting(_from_library(ctx, _tags), incomplete)
    return None


def _starting(values, incomplete: str) -> list[str]:
    found = [v for v in values if v.startswith(incomplete)]  # as shells match: case counts
    if os.environ.get("_IGBIB_COMPLETE") == "complete_bash":
        # bash inserts a completion as it is: "Imaging Genomics (...)" must be escaped
        # (zsh and fish quote completions themselves).
        found = [re.sub(r"([^\w./:@%+,=-])", r"\\\1", v) for v in found]
    return found


def _from_library(ctx, read) -> list[str]:
    from igbib.locate import find_library
    from igbib.store import Library

    db = ctx.params.get("db") or ((ctx.find_root().params or {}).get("db"))
    try:
        path, _how = find_library(db)
        with Library.open(path) as library:
            return read(library)
    except Exception:  # completion must never print a traceback into the shell
        return []


def _sections(library) -> list[str]:
    return [s["name"] for s in library.sections()]


def _tags(library) -> list[str]:
    return library.tag_names()
