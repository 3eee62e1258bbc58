"""Exporters: papers (and, for Markdown, the list's structure) out as text.

:data:`REGISTRY` is the one list of formats: each names the function that
renders it, imported only when used; :func:`render` looks the format up there.
:data:`FORMATS`, :data:`GROUP_BY` and :data:`STYLES` are the choices a command
line offers. Exporters never write files: :func:`write_atomic` does, so an error
can neither leave a truncated file nor replace a good export with a broken one.
"""

from __future__ import annotations

import os
import re
import sys

# Plain classes, not dataclasses: ``dataclasses`` imports ``inspect``, a cost every
# export would pay at start-up.


class Options:
    """How to export; every exporter reads the options that concern it."""

    __slots__ = (
        "keep_links",
        "group_by",
        "abstracts",
        "ascii",
        "key_format",
        "style",
        "whole_list",
        "fragment",
        "warnings",
    )

    def __init__(
        self,
        *,
        keep_links: bool = False,
        group_by: str | None = None,
        abstracts: bool = False,
        ascii: bool = False,
        key_format: str | None = None,
        style: str = "vancouver",  # STYLES[0]
        whole_list: bool = True,  # Markdown: the whole document (prose, sections, datasets)
        fragment: bool = False,  # HTML: the list element alone, not a whole page
    ):
        self.keep_links = keep_links
        self.group_by = group_by
        self.abstracts = abstracts
        self.ascii = ascii
        self.key_format = key_format
        self.style = style
        self.whole_list = whole_list
        self.fragment = fragment
        #: What an exporter could not write as stored, one line each (``citekey: why``):
        #: the command shows them, so no text is ever changed without a word.
        self.warnings: list[str] = []


class Exporter:
    """One export format: ``igbib.exporters.<module>.<function>``.

    ``needs_library``: the function also takes the library (the Markdown list's
    prose and sections). ``keywords``: fixed keyword arguments, as ``(name, value)``.
    """

    __slots__ = ("module", "function", "needs_library", "keywords")

    def __init__(self, module: str, function: str, *, needs_library=False, keywords=()):
        self.module = module
        self.function = function
        self.needs_library = needs_library
        self.keywords = keywords

    def render(self, papers, options: Options, library=None) -> str:
        module = f"igbib.exporters.{self.module}"
        __import__(module)
        func = getattr(sys.modules[module], self.function)
        args = (papers, options, library) if self.needs_library else (papers, options)
        return func(*args, **dict(self.keywords))


#: The export formats by the name ``-f`` takes, in the order shown to users.
REGISTRY: dict[str, Exporter] = {
    "md": Exporter("markdown", "export_markdown", needs_library=True),
    # the library gives the former keys of merged papers (their ``ids`` field)
    "bibtex": Exporter("bibtex", "export_bibtex", needs_library=True),
    "biblatex": Exporter(
        "bibtex", "export_bibtex", needs_library=True, keywords=(("biblatex", True),)
    ),
    "csljson": Exporter("csl", "export_csljson"),
    "ris": Exporter("ris", "export_ris"),
    "csv": Exporter("csl", "export_csv"),
    "json": Exporter("csl", "export_json"),
    "text": Exporter("formatted", "export_text"),
    "html": Exporter("formatted", "export_html"),
}
#: The format names, for a command line's choices.
FORMATS = tuple(REGISTRY)
#: What a Markdown export can be grouped by (``Options.group_by``), instead of sections.
GROUP_BY = ("year", "journal", "tag")
#: Short names of the CSL styles journals ask for most -> the CSL style's own name.
#: Any CSL style name, or the path of a ``.csl`` file, works too.
STYLE_ALIASES = {
    "vancouver": "nlm-citation-sequence",
    "nlm": "nlm-citation-sequence",
    "ama": "american-medical-association",
    "apa": "apa",
    "nature": "nature",
    "ieee": "ieee",
    "harvard": "harvard-cite-them-right",
}
#: The short style names, for a command line's choices; the first is the default.
STYLES = tuple(STYLE_ALIASES)


def render(fmt: str, papers, options: Options, library=None) -> str:
    """``papers`` as text in the format named ``fmt`` (one of :data:`FORMATS`)."""
    exporter = REGISTRY.get(fmt)
    if exporter is None:
        from igbib.errors import IgbibError

        raise IgbibError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    return exporter.render(without_controls(papers, options), options, library)


# C0 and C1 control characters but tab and line feed (a note or an abstract keeps its lines).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def without_controls(papers, options: Options) -> list:
    """``papers``, with a copy, free of control characters, of each that has any.

    A NUL or an escape character is never part of a title, and no export format
    can carry it (XML and RIS cannot, a terminal or LaTeX would act on it). The
    stored paper is left as it is; each copy is reported in ``options.warnings``.
    """
    out = []
    for paper in papers:
        if not _CONTROLS.search("\n".join(_texts(paper))):
            out.append(paper)
            continue
        values = paper.to_dict()
        fields = [name for name, value in values.items() if _CONTROLS.search(_joined(value))]
        copy = type(paper)(**{name: _clean(value) for name, value in values.items()})
        options.warnings.append(
            f"{paper.citekey}: control characters left out of {', '.join(fields)}"
        )
        out.append(copy)
    return out


def _texts(paper):
    """Every string a paper holds (its fields, authors' names, list items, extra values)."""
    for name in paper.__slots__:
        value = getattr(paper, name)
        if type(value) is str:
            yield value
        elif value and isinstance(value, (list, dict)):
            yield from _strings(value)


def _strings(value):
    for item in value.values() if isinstance(value, dict) else value:
        if type(item) is str:
            yield item
        elif isinstance(item, (list, dict)):
            yield from _strings(item)


def _joined(value) -> str:
    if isinstance(value, str):
        return value
    return "\n".join(_strings(value)) if isinstance(value, (list, dict)) else ""


def _clean(value):
    if isinstance(value, str):
        return _CONTROLS.sub("", value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: temp file, fsync, rename.

    A symbolic link is written through: its target gets the text, the link stays.
    """
    import contextlib
    import tempfile

    from igbib.errors import IgbibError

    path = os.path.realpath(path) if os.path.islink(path) else path
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".igbib-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise IgbibError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if os.path.exists(path):
            os.chmod(temp, os.stat(path).st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise IgbibError(f"cannot write {path}: {exc.strerror}; it was not changed") from None
        raise
