"""A searchable web page of the library: one self-contained ``index.html``.

The list is written as HTML in its sections and curated order (the order of
``igbib export -f md``), so the page reads with JavaScript off. What the page's
script needs is inlined as JSON in two ``<script type="application/json">``
blocks: a folded search text and the facets of each paper (read at load), and
each paper's BibTeX entry and CSL-JSON item for the downloads (read on the first
download, so a large library loads fast). The script and the stylesheet are this
package's ``site.js`` and ``site.css``, inlined as well. Nothing is fetched: the
page works from a file, offline, and its Content-Security-Policy forbids any
request and any script but its own.

Every stored text is untrusted (a list is edited by many hands). It reaches the
HTML only through :func:`html.escape`, the JSON only with ``<``, ``>``, ``&`` and
the JavaScript line separators escaped (no text can close the ``<script>``), the
script writes it only as text, and a link is written only when it is http(s).

The same library gives the same bytes: no date, no version, stable orders.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import unicodedata
from html import escape
from importlib import resources
from urllib.parse import quote

from igbib import ids
from igbib.errors import IgbibError
from igbib.exporters.markdown import OTHER, other_papers  # papers in no section
from igbib.model import Paper

#: The page's title when the list has no ``# heading`` and none is given.
DEFAULT_TITLE = "Bibliography"
#: Authors shown before "et al." (every author is searched).
SHOWN_AUTHORS = 10
#: Rows a list element holds: a browser lays out a full block of them only when it nears
#: the screen (``content-visibility`` in ``site.css``), so 10,000 papers load and filter fast.
BLOCK = 50
INDEX = "index.html"

# Text that must not appear raw inside a <script> element, and its JSON escapes.
_JSON_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)
#: Letters that have no decomposition, as people type them without the accent (site.js
#: holds the same table).
_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}
)
# Characters a DOI keeps in its doi.org link; the others (``#``, ``?``, ``%``, ``<``,
# spaces...) are percent-encoded, as the DOI handbook asks.
_DOI_SAFE = "/:;()[]._-+=,!*'@$~"


def write_site(
    library, folder: str, *, title: str | None = None, warnings: list[str] | None = None
) -> tuple[str, int]:
    """Write ``folder/index.html`` (atomically; the folder is created); ``(path, papers)``.

    ``warnings`` receives what was not written as stored (see :func:`render_site`).
    """
    from igbib.exporters import write_atomic

    if os.path.exists(folder) and not os.path.isdir(folder):
        raise IgbibError(f"cannot write the site to {folder}: it is a file, not a folder")
    text, count = render_site(library, title=title, warnings=warnings)
    path = os.path.join(folder, INDEX)
    write_atomic(path, text)
    return path, count


def render_site(
    library, *, title: str | None = None, warnings: list[str] | None = None
) -> tuple[str, int]:
    """The page of the whole library, and how many papers it holds.

    As every export, the page holds no control character: the papers go through
    :func:`igbib.exporters.without_controls`, and what it and the BibTeX writer
    could not write as stored is added to ``warnings`` (one line each).
    Raises :class:`IgbibError` for a library without papers: a page listing
    nothing is never what was meant.
    """
    from igbib.exporters import Options, without_controls
    from igbib.query import Query
    from igbib.search import search

    options = Options()
    papers = without_controls(search(library, Query(""), sort="section"), options)
    if not papers:
        raise IgbibError("the library holds no papers; nothing written")
    groups = list_sections(papers, library)
    title = title or list_title(library) or DEFAULT_TITLE
    page = _page(title, papers, groups, library, options)
    if warnings is not None:
        warnings.extend(options.warnings)
    return page, len(papers)


def list_sections(papers: list[Paper], library) -> list[tuple[str, list[Paper]]]:
    """``(section name, its papers)`` in the list's order, as ``igbib export -f md`` writes it.

    The sections of the list's document come first, then sections added since, then
    the papers in no section under :data:`OTHER` (but those taken out of the list:
    :func:`~igbib.exporters.markdown.other_papers`). A paper listed in two sections is
    in both. Sections without papers are left out.
    """
    chosen = {p.id: p for p in papers}
    sections = {s["id"]: s for s in library.sections()}
    placements = library.placements()
    order = [b["section_id"] for b in library.document() if b["kind"] == "section"]
    order = list(dict.fromkeys(i for i in order if i in sections))
    order += [i for i in sections if i not in order]
    groups = []
    written: set[int] = set()
    for section_id in order:
        members = [chosen[i] for i in placements.get(section_id, []) if i in chosen]
        if members:
            groups.append((sections[section_id]["name"], members))
            written.update(p.id for p in members)
    rest = other_papers(papers, written)
    if rest:
        groups.append((OTHER, rest))
    return groups


def list_title(library) -> str | None:
    """The list's own title: the first ``# heading`` of its document, if any."""
    for block in library.document():
        if block["kind"] != "prose":
            continue
        for line in (block["text"] or "").splitlines():
            if line.startswith("# ") and line[2:].strip():
                return line[2:].strip()
    return None


# -- what a paper shows ------------------------------------------------------------


def links(paper: Paper) -> list[tuple[str, str]]:
    """``(label, url)``: PubMed, DOI, PMC and arXiv pages when known, else the paper's link.

    Only http(s) links: a ``javascript:`` or ``data:`` address from stored data
    is never written.
    """
    out = []
    if paper.pmid:
        out.append(("PubMed", ids.pubmed_url(quote(paper.pmid, safe=""))))
    if paper.doi:
        out.append(("DOI", ids.doi_url(quote(paper.doi, safe=_DOI_SAFE))))
    if paper.pmcid:
        out.append(("PMC", ids.pmc_url(quote(paper.pmcid, safe=""))))
    if paper.arxiv:
        out.append(("arXiv", ids.arxiv_url(quote(paper.arxiv, safe="/."))))
    if not out:
        url = paper.url or (paper.listed or {}).get("link") or ""
        out.append((_host(url) if is_web_link(url) else "", url))
    return [(label, url) for label, url in out if is_web_link(url)]


def _host(url: str) -> str:
    """``www.pfmjournal.org`` for a link's label, else "link"."""
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).hostname or "link"
    except ValueError:
        return "link"


def is_web_link(url: str) -> bool:
    """An absolute http(s) address with no space or control character a browser would drop."""
    if not url.lower().startswith(("http://", "https://")) or len(url) < 10:
        return False
    return not any(ord(c) <= 0x20 or 0x7F <= ord(c) <= 0x9F for c in url)


def display_title(paper: Paper) -> str:
    return paper.title or (paper.listed or {}).get("name") or "(no title)"


def author_name(author: dict) -> str:
    """``Given Family``, or a collective name."""
    if "literal" in author:
        return author["literal"]
    return " ".join(p for p in (author.get("given"), author.get("family")) if p)


def authors_text(paper: Paper) -> str:
    """The authors, the first :data:`SHOWN_AUTHORS` of them, with "et al." when there are more
    (or the list gave only the first: ``paper.et_al``)."""
    names = [n for n in map(author_name, paper.authors) if n]
    if not names:
        return ""
    more = paper.et_al or len(names) > SHOWN_AUTHORS
    return ", ".join(names[:SHOWN_AUTHORS]) + (" et al." if more else "")


def fold(text: str) -> str:
    """Case- and accent-insensitive text, exactly as ``site.js`` folds a query: NFKD, marks
    removed, lower case, and the letters NFKD keeps whole spelled in ASCII (``ł``, ``ß``)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return bare.lower().translate(_LETTERS)


def search_text(paper: Paper) -> str:
    """What a search on the page looks in: title, authors, journal, keywords and MeSH, note."""
    listed = paper.listed or {}
    parts = [paper.title or listed.get("name") or ""]
    parts += [author_name(a) for a in paper.authors]
    parts.append(paper.journal or "")
    parts += paper.subject_terms()
    parts += listed.get("keywords") or []
    parts.append(paper.note or "")
    return fold("\n".join(p for p in parts if p))


# -- the page ----------------------------------------------------------------------


def _page(title: str, papers: list[Paper], groups, library, options) -> str:
    index = {p.id: i for i, p in enumerate(papers)}
    script = _asset("site.js")
    style = _asset("site.css")
    body = [
        '<header class="top">',
        f"<h1>{escape(title)}</h1>",
        f'<p class="summary">{_summary(papers, groups)}</p>',
        "</header>",
        '<div class="layout">',
        _filters(papers, groups),
        '<main id="list">',
        f'<p id="count" class="count" aria-live="polite">{_count(len(papers))}</p>',
        '<p id="none" class="none" hidden>No paper matches the search and filters.</p>',
    ]
    for number, (name, members) in enumerate(groups):
        body.append(f'<section class="group" data-s="{number}">')
        body.append(f'<h2>{escape(name)} <span class="n">({len(members)})</span></h2>')
        for start in range(0, len(members), BLOCK):
            block = members[start : start + BLOCK]
            body.append(
                '<ol class="papers full">' if len(block) == BLOCK else '<ol class="papers">'
            )
            body.extend(_row(paper, index[paper.id]) for paper in block)
            body.append("</ol>")
        body.append("</section>")
    body += ["</main>", "</div>"]
    body.append(_json_block("igbib-data", _data(papers, groups)))
    body.append(_json_block("igbib-export", _exports(papers, library, options)))
    body.append(f"<script>{script}</script>")
    policy = "; ".join(
        [
            "default-src 'none'",
            f"script-src '{_hash(script)}'",
            f"style-src '{_hash(style)}'",
            "img-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="igbib">',
        f"<title>{escape(title)}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
    ]
    return "\n".join([*head, *body, "</body>", "</html>"]) + "\n"


def _summary(papers: list[Paper], groups) -> str:
    sections = sum(1 for name, _ in groups if name != OTHER)
    text = _count(len(papers))
    if sections:
        text += f" in {sections} section" + ("" if sections == 1 else "s")
    return text + ". Made with igbib."


def _count(n: int) -> str:
    return f"{n} paper" if n == 1 else f"{n} papers"


def _row(paper: Paper, number: int) -> str:
    found = links(paper)
    title = escape(display_title(paper))
    if found:
        head = f'<a class="title" href="{escape(found[0][1])}">{title}</a>'
    else:
        head = f'<span class="title">{title}</span>'
    parts = [f'<li class="paper" data-p="{number}">', head]
    meta = []
    authors = authors_text(paper)
    if authors:
        meta.append(f'<span class="authors">{escape(authors)}</span>')
    if paper.journal:
        meta.append(f'<cite class="journal">{escape(paper.journal)}</cite>')
    if paper.year:
        meta.append(f'<span class="year">{paper.year}</span>')
    if meta:
        parts.append('<span class="meta">' + ", ".join(meta) + "</span>")
    extra = [f'<a href="{escape(url)}">{escape(label)}</a>' for label, url in found]
    extra += [f'<span class="tag">{escape(tag)}</span>' for tag in _tags(paper)]
    if extra:
        parts.append('<span class="links">' + " ".join(extra) + "</span>")
    if paper.note:
        parts.append(f'<span class="note">{escape(paper.note)}</span>')
    parts.append("</li>")
    return "".join(parts)


def _tags(paper: Paper) -> list[str]:
    """A paper's tags on the page: the curator's, then those the topic rules gave it."""
    return list(dict.fromkeys([*paper.tags, *paper.auto_tags]))


def _filters(papers: list[Paper], groups) -> str:
    """The search box and the facets: hidden until the script runs (without it they do nothing)."""
    out = [
        '<form id="filters" class="filters" role="search" hidden>',
        '<label class="search"><span>Search</span>'
        '<input type="search" id="q" autocomplete="off" spellcheck="false"'
        ' placeholder="title, author, keyword…"></label>',
    ]
    years = sorted({p.year for p in papers if p.year})
    if years:
        low, high = years[0], years[-1]
        out.append(
            '<fieldset class="years"><legend>Year</legend>'
            f'<label>from <input type="number" id="year-from" min="{low}" max="{high}"'
            f' placeholder="{low}"></label> '
            f'<label>to <input type="number" id="year-to" min="{low}" max="{high}"'
            f' placeholder="{high}"></label></fieldset>'
        )
    out.append(_boxes("section", "Section", [(name, len(members)) for name, members in groups]))
    tags: dict[str, int] = {}
    for paper in papers:
        for tag in _tags(paper):
            tags[tag] = tags.get(tag, 0) + 1
    if tags:
        out.append(_boxes("tag", "Tag", sorted(tags.items(), key=_by_name)))
    journals: dict[str, int] = {}
    for paper in papers:
        if paper.journal:
            journals[paper.journal] = journals.get(paper.journal, 0) + 1
    if journals:
        options = "".join(
            f'<option value="{escape(name)}">{escape(name)} ({n})</option>'
            for name, n in sorted(journals.items(), key=_by_name)
        )
        out.append(
            '<label class="journal"><span>Journal</span><select id="journal">'
            f'<option value="">any journal</option>{options}</select></label>'
        )
    with_pmid = sum(1 for p in papers if p.pmid)
    with_doi = sum(1 for p in papers if p.doi)
    out.append(
        '<fieldset class="has"><legend>Identifiers</legend>'
        f'<label><input type="checkbox" id="has-pmid"> has a PMID ({with_pmid})</label>'
        f'<label><input type="checkbox" id="has-doi"> has a DOI ({with_doi})</label></fieldset>'
    )
    out.append('<button type="button" id="clear">Clear the search and filters</button>')
    out.append(
        '<fieldset class="downloads"><legend>Download</legend>'
        "<span>the papers shown:</span>"
        '<button type="button" data-format="bib" data-which="shown">BibTeX</button>'
        '<button type="button" data-format="csl" data-which="shown">CSL-JSON</button>'
        "<span>the whole library:</span>"
        '<button type="button" data-format="bib" data-which="all">BibTeX</button>'
        '<button type="button" data-format="csl" data-which="all">CSL-JSON</button>'
        "</fieldset>"
    )
    out.append("</form>")
    return "\n".join(out)


def _boxes(name: str, legend: str, values: list[tuple[str, int]]) -> str:
    """A facet of checkboxes; each box's value is its position in ``values``."""
    boxes = "".join(
        f'<label><input type="checkbox" name="{name}" value="{i}"> {escape(value)} ({n})</label>'
        for i, (value, n) in enumerate(values)
    )
    return f'<fieldset class="facet" id="facet-{name}"><legend>{legend}</legend>{boxes}</fieldset>'


def _by_name(item: tuple[str, int]) -> tuple[str, str]:
    return (fold(item[0]), item[0])


def _data(papers: list[Paper], groups) -> dict:
    """What the script filters on: per paper, its folded search text and its facets
    (``tags``: positions in the list of tags, which is the tag facet's order)."""
    tags = sorted({t for p in papers for t in _tags(p)}, key=lambda t: (fold(t), t))
    rank = {tag: i for i, tag in enumerate(tags)}
    return {
        "sections": [name for name, _ in groups],
        "tags": tags,
        "papers": [
            {
                "key": paper.citekey,
                "text": search_text(paper),
                "year": paper.year,
                "journal": paper.journal or "",
                "tags": sorted(rank[t] for t in _tags(paper)),
                "pmid": bool(paper.pmid),
                "doi": bool(paper.doi),
            }
            for paper in papers
        ],
    }


def _exports(papers: list[Paper], library, options) -> dict:
    """Each paper's BibTeX entry and CSL-JSON item, as ``igbib export`` writes them."""
    from igbib.exporters.bibtex import entries, export_bibtex
    from igbib.exporters.csl import csl_item

    return {
        # what a BibTeX export writes before its entries (they follow one blank line apart)
        "bibHeader": export_bibtex([], options, library),
        "bib": entries(papers, options, library),
        "csl": [csl_item(p) for p in papers],
    }


def _json_block(name: str, value) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return f'<script type="application/json" id="{name}">{text.translate(_JSON_ESCAPES)}</script>'


def _asset(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
