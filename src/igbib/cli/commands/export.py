"""``igbib export [QUERY...]``: the list, or a selection of it, in any format."""

from __future__ import annotations

import sys

from igbib.cli.common import build_query, open_library
from igbib.cli.output import note
from igbib.cli.spec import DB, Command, Option, query_argument, sort_option
from igbib.errors import IgbibError


def _formats() -> tuple[str, ...]:
    from igbib.exporters import FORMATS

    return FORMATS


def _groupings() -> tuple[str, ...]:
    from igbib.exporters import GROUP_BY
    from igbib.topics import AXES

    return (*GROUP_BY, *AXES)  # a topic axis: a heading per site, modality, ...


def _years(text: str):
    from igbib.query import parse_years

    return parse_years(text)


def _key_format(text: str):
    from igbib.exporters.bibtex import KEY_FIELDS, format_key

    return format_key(text, dict.fromkeys(KEY_FIELDS, "x"))


def _has_values() -> tuple[str, ...]:
    from igbib.query import HAS_VALUES

    return HAS_VALUES


def _styles() -> tuple[str, ...]:
    from igbib.exporters import STYLES

    return STYLES


COMMAND = Command(
    "export",
    """Export the awesome list (md), BibTeX, BibLaTeX, CSL-JSON, RIS, CSV, JSON, or a
    formatted reference list (text, html) in a CSL style.
    """,
    (
        query_argument("Only papers matching this search (default: all)."),
        Option(
            ("--format", "-f"),
            "fmt",
            "Output format.",
            metavar="FORMAT",
            choices=_formats,
            default="md",
        ),
        Option(
            ("--output", "-o"),
            "output",
            "Write to FILE (atomically) instead of stdout.",
            metavar="FILE",
            complete="files",
        ),
        Option(
            ("--tag",),
            "tags",
            "Only papers with this tag (repeatable).",
            metavar="TAG",
            multiple=True,
            complete="tags",
        ),
        Option(
            ("--section",),
            "sections",
            "Only papers of this section (repeatable).",
            metavar="NAME",
            multiple=True,
            complete="sections",
        ),
        Option(
            ("--year",),
            "years",
            "Only papers of these years: 2014 or 2010..2015.",
            metavar="RANGE",
            check=_years,
        ),
        Option(
            ("--has",),
            "has",
            "Only papers with this field (repeatable).",
            metavar="FIELD",
            choices=_has_values,
            multiple=True,
        ),
        sort_option("Order (default: the list's)."),
        Option(("--keep-links",), "keep_links", "Markdown: the list's own links.", kind=bool),
        Option(
            ("--group-by",),
            "group_by",
            "Markdown: headings by this field, or by a topic axis (site, modality, target,"
            " method), instead of the list's sections.",
            metavar="FIELD",
            choices=_groupings,
        ),
        Option(("--abstracts",), "abstracts", "BibTeX: include abstracts.", kind=bool),
        Option(("--ascii",), "ascii", "BibTeX: LaTeX commands instead of UTF-8.", kind=bool),
        Option(
            ("--key-format",),
            "key_format",
            "BibTeX keys from a pattern, e.g. {family}{year}{word}.",
            metavar="PATTERN",
            check=_key_format,
        ),
        Option(
            ("--style",),
            "style",
            "text/html: a CSL style by name (default: vancouver) or a .csl file.",
            metavar="STYLE",
            suggest=_styles,
        ),
        Option(
            ("--fragment",),
            "fragment",
            "html: the reference list alone, not a whole page.",
            kind=bool,
        ),
        DB,
    ),
    example="igbib export --format bibtex -o exports/library.bib",
)


def run(
    words=(),
    fmt="md",
    output=None,
    tags=(),
    sections=(),
    years=None,
    has=(),
    sort=None,
    keep_links=False,
    group_by=None,
    abstracts=False,
    ascii=False,
    key_format=None,
    style=None,
    fragment=False,
    db=None,
) -> None:
    from igbib import search as engine
    from igbib.exporters import Options, stream, write_atomic

    _refuse_options_of_other_formats(fmt, locals())
    filters = [("tag", t) for t in tags] + [("section", s) for s in sections]
    filters += [("has", h) for h in has] + ([("year", years)] if years else [])
    query = build_query(list(words), filters)
    options = Options(
        keep_links=keep_links,
        group_by=group_by,
        abstracts=abstracts,
        ascii=ascii,
        key_format=key_format,
        style=style or _styles()[0],
        whole_list=not (words or filters),
        fragment=fragment,
    )
    with open_library(db) as library:
        papers = engine.papers(library, query, sort=sort or "section", batch=BATCH)
        batches = _batches(papers, BATCH)
        first = next(batches, None)
        if first is None:
            raise IgbibError(_nothing_to_write(query, filters, output))
        counted = _Counted(first, batches)
        chunks = stream(fmt, counted, options, library)  # read as written: memory stays flat
        if output and output != "-":
            write_atomic(output, chunks)
        else:
            for chunk in chunks:
                sys.stdout.write(chunk)
    for warning in options.warnings:
        note(f"warning: {warning}")
    if output and output != "-":
        papers_ = "paper" if counted.papers == 1 else "papers"
        note(f"Wrote {counted.papers} {papers_} to {output} ({fmt}).")


#: Papers read and written at a time by the formats that stream.
BATCH = 500


def _batches(papers, size: int):
    """The papers, in lists of ``size``."""
    from itertools import islice

    while batch := list(islice(papers, size)):
        yield batch


class _Counted:
    """The batches, ``first`` and then the rest, counting the papers they hold."""

    def __init__(self, first: list, rest):
        self.first, self.rest, self.papers = first, rest, 0

    def __iter__(self):
        self.papers += len(self.first)
        yield self.first
        for batch in self.rest:
            self.papers += len(batch)
            yield batch


#: Each format-specific option (its parameter of :func:`run`, its flag) and its formats.
FORMAT_OPTIONS = {
    "keep_links": ("--keep-links", ("md",)),
    "group_by": ("--group-by", ("md",)),
    "abstracts": ("--abstracts", ("bibtex", "biblatex")),
    "ascii": ("--ascii", ("bibtex", "biblatex")),
    "key_format": ("--key-format", ("bibtex", "biblatex")),
    "style": ("--style", ("text", "html")),
    "fragment": ("--fragment", ("html",)),
}


def _refuse_options_of_other_formats(fmt: str, given: dict) -> None:
    """An option of another format is a mistake (``--style`` with ``-f bibtex``): say so."""
    from igbib.errors import UsageError

    for name, (flag, formats) in FORMAT_OPTIONS.items():
        if given.get(name) and fmt not in formats:
            raise UsageError(f"{flag} applies to -f {' or -f '.join(formats)}, not -f {fmt}")


def _nothing_to_write(query, filters, output) -> str:
    if query.text or filters:
        why = f"no papers match {query.text!r}" if query.text else "no papers match the filters"
    else:
        why = "the library holds no papers"
    return why + (
        f"; {output} is left as it was" if output and output != "-" else "; nothing written"
    )
