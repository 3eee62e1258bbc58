"""igbib's commands, one module each.

A command module declares ``COMMAND`` (:class:`igbib.cli.spec.Command`) and a
``run(**values)`` that calls the library, prints, and returns the report of what
it did (an :class:`igbib.ops.reports.Report`) or None; :func:`igbib.cli.dispatch`
turns that into the exit code. Adding a command is adding its module and its
name to :data:`NAMES`.
"""

from __future__ import annotations

import sys

#: Every command, in the order ``igbib --help`` lists them.
NAMES = (
    "import",
    "search",
    "list",
    "show",
    "info",
    "stats",
    "add",
    "refresh",
    "pubmed",
    "related",
    "suggest",
    "watch",
    "screen",
    "prisma",
    "export",
    "site",
    "check",
    "edit",
    "rm",
    "merge",
    "move",
    "section",
    "tag",
    "tags",
    "dataset",
    "note",
    "log",
    "undo",
)
_MODULES = {"import": "import_", "list": "list_"}  # names that are Python keywords or builtins


def load(name: str):
    """The module of command ``name`` (one of :data:`NAMES`)."""
    module = f"igbib.cli.commands.{_MODULES.get(name, name)}"
    __import__(module)  # not importlib: its import is a cost every command would pay
    return sys.modules[module]
