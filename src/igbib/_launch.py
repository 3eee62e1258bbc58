"""The ``igbib`` entry point.

``igbib search WORDS [--limit N] [--json] [--db PATH]`` is the command people
run most, often from scripts and editors, so it takes a short path that does
not import Typer (whose import alone costs several times Python's own start-up).
Every other command line, including any option the short path does not know
and ``--help``, goes to the Typer application in :mod:`igbib.cli`, which runs
the same :func:`igbib.run.search` for ``search``.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    fast = _fast_search(args)
    if fast is not None:
        from igbib.run import guarded, search

        sys.exit(guarded(search, **fast))
    from igbib.cli import app

    app(args=args, prog_name="igbib")


def _fast_search(args: list[str]) -> dict | None:
    """The arguments of a plain ``search`` call, or None to let Typer parse them."""
    if not args or args[0] != "search":
        return None
    words: list[str] = []
    options = {"limit": 20, "as_json": False, "db": None, "sort": None}
    i = 1
    while i < len(args):
        arg = args[i]
        if arg in ("--limit", "--db") and i + 1 < len(args):
            value = args[i + 1]
            if arg == "--db":
                options["db"] = value
            elif value.isdigit() and int(value) > 0:
                options["limit"] = int(value)
            else:
                return None  # let Typer explain the bad value
            i += 2
            continue
        if arg == "--json":
            options["as_json"] = True
        elif arg.startswith("-"):
            return None  # --help, another option or an excluded word: Typer's job
        else:
            words.append(arg)
        i += 1
    if not words:
        return None
    return {"words": words, **options}
