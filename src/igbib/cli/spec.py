"""How a command is declared: its arguments and options, written once.

A command module holds one :class:`Command` (``COMMAND``) and a ``run`` function
taking the parsed values by name. Two readers use the declaration:

- :mod:`igbib.cli.parse`, the strict parser every command line goes through
  (it imports nothing but this module, so commands start fast);
- :mod:`igbib.cli.app`, which builds the Typer application from it for
  ``--help`` and shell completion.

Choices are functions, called only when needed, so that building a command
line never imports the registries they come from.
"""

from __future__ import annotations

from collections.abc import Callable


class Argument:
    """A positional argument. ``many``: one or more (or, if not ``required``, any number).

    ``words``: the arguments are search words, so a word starting with a single
    ``-`` that is not one of the command's short options is a word (``-breast``
    excludes breast), not an unknown option.
    """

    __slots__ = ("dest", "help", "metavar", "many", "required", "words", "complete")

    def __init__(
        self,
        dest: str,
        help: str,
        *,
        metavar: str,
        many: bool = False,
        required: bool = True,
        words: bool = False,
        complete: str | None = None,
    ):
        self.dest = dest
        self.help = help
        self.metavar = metavar
        self.many = many
        self.required = required
        self.words = words
        self.complete = complete

    @property
    def default(self):
        return [] if self.many else None


class Option:
    """An option. ``kind`` is ``bool`` (a flag), ``int`` or ``str``.

    ``choices``: a function returning the allowed values; ``suggest``: one
    returning common values when any value is allowed (help and completion
    show both); ``check``: a function that raises an igbib error for a value it
    refuses (a usage error, before anything runs). ``multiple``: the option may
    be repeated and its value is a list. ``complete`` names a completion source
    of :mod:`igbib.cli.complete` ("sections", "tags", "files").
    """

    __slots__ = (
        "flags",
        "dest",
        "help",
        "kind",
        "metavar",
        "default",
        "multiple",
        "choices",
        "suggest",
        "check",
        "minimum",
        "maximum",
        "complete",
    )

    def __init__(
        self,
        flags: tuple[str, ...],
        dest: str,
        help: str,
        *,
        kind: type = str,
        metavar: str | None = None,
        default=None,
        multiple: bool = False,
        choices: Callable[[], tuple[str, ...]] | None = None,
        suggest: Callable[[], tuple[str, ...]] | None = None,
        check: Callable[[str], object] | None = None,
        minimum: int | None = None,
        maximum: int | None = None,
        complete: str | None = None,
    ):
        self.flags = flags
        self.dest = dest
        self.help = help
        self.kind = kind
        self.metavar = metavar or ("" if kind is bool else dest.upper())
        self.default = [] if multiple else (False if kind is bool and default is None else default)
        self.multiple = multiple
        self.choices = choices
        self.suggest = suggest
        self.check = check
        self.minimum = minimum
        self.maximum = maximum
        self.complete = complete

    @property
    def name(self) -> str:
        """The long flag, by which errors name the option."""
        return next((f for f in self.flags if f.startswith("--")), self.flags[0])

    @property
    def takes_value(self) -> bool:
        return self.kind is not bool


class Command:
    """One command: its name, help and parameters, and the module that runs it."""

    __slots__ = ("name", "help", "params", "example")

    def __init__(self, name: str, help: str, params: tuple, *, example: str = ""):
        self.name = name
        self.help = help
        self.params = params
        self.example = example

    @property
    def options(self) -> list[Option]:
        return [p for p in self.params if isinstance(p, Option)]

    @property
    def arguments(self) -> list[Argument]:
        return [p for p in self.params if isinstance(p, Argument)]

    @property
    def summary(self) -> str:
        return self.help.strip().split("\n\n", 1)[0].replace("\n", " ")


# -- options several commands share ----------------------------------------------------

DB = Option(
    ("--db",),
    "db",
    "Library file (default: $IGBIB_DB, else the nearest library.sqlite, "
    "else the user data directory).",
    metavar="PATH",
    complete="files",
)
JSON = Option(("--json",), "as_json", "Print JSON for scripts.", kind=bool)
NO_CACHE = Option(
    ("--no-cache",),
    "no_cache",
    "Ask the services again instead of using cached answers.",
    kind=bool,
)
ADD_TO_SECTION = Option(
    ("--section",),
    "section",
    "Also list the papers in this section of the list.",
    metavar="NAME",
    complete="sections",
)
TAG_PAPERS = Option(
    ("--tag",),
    "tags",
    "Tag the papers (repeatable).",
    metavar="TAG",
    multiple=True,
    complete="tags",
)


def sorts() -> tuple[str, ...]:
    from igbib.search import SORTS

    return SORTS


def sort_option(help: str, default: str | None = None) -> Option:
    return Option(("--sort",), "sort", help, metavar="ORDER", choices=sorts, default=default)


def limit_option(default: int | None) -> Option:
    return Option(
        ("--limit",),
        "limit",
        "Show at most this many.",
        kind=int,
        metavar="N",
        minimum=1,
        default=default,
    )


def query_argument(help: str, *, required: bool = False) -> Argument:
    return Argument("words", help, metavar="QUERY", many=True, required=required, words=True)
