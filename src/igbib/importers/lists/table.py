"""A table of papers, pipe or HTML: its columns found by their headers, each row read.

A column is known by its header's words (``Title``, ``Paper``; ``Authors``, ``The
First and Last Authors``; ``Venue``, ``Conference/Journal``, ``Reference``; ``Year``,
``Date``; ``Link``, ``PDF``; ``Code``). A table with no title column is read row by
row as a list item would be; one with a ``Dataset`` column lists datasets.
"""

from __future__ import annotations

import re

from igbib import names
from igbib.importers.lists import entry, fields
from igbib.importers.lists.entry import Found, Other
from igbib.importers.lists.inline import Run, parse_inline

_ROLES = (
    ("title", ("title", "paper", "paper title", "article", "name", "paper name", "method")),
    ("authors", ("author", "authors", "first author", "the first and last authors")),
    (
        "venue",
        (
            "venue", "journal", "conference", "conference/journal", "journal/conference",
            "publication", "reference", "source", "pub", "published in", "track",
        ),
    ),
    ("notes", ("notes", "note", "description", "comment", "comments", "remarks", "summary")),
    ("year", ("year", "date", "time", "published", "pub. date", "publication date")),
    ("link", ("link", "links", "paper link", "pdf", "url", "paper url", "arxiv", "doi")),
    ("code", ("code", "github", "repo", "repository", "implementation", "project")),
)  # fmt: skip
_SOME_AUTHORS = re.compile(r"\b(first|last|lead|senior|corresponding)\b")
_NONE = ("none", "n/a", "-", "—", "unknown")
_COMPACT_YEAR = re.compile(r"((?:19|20)\d{2})(?:\d{2}){0,2}$")  # 2019, 201606, 20231101


def columns(header: list[Run]) -> dict[str, int]:
    """Role -> the column that holds it, from the header row.

    Each role takes the header that best names it: a header equal to one of its names
    before one that starts with it, an earlier name of the role before a later one
    (``Venue`` before ``Track``), then the leftmost. ``some_authors``: the authors'
    column lists only some of them (``First Author``, ``The First and Last Authors``).
    """
    heads = [" ".join(h.text.split()).strip(" *_:").lower() for h in header]
    out: dict[str, int] = {}
    for role, known in _ROLES:
        best = None
        for i, name in enumerate(heads):
            if i in out.values():
                continue
            if name in known:
                rank = known.index(name)
            elif name.split(" ")[0] in known:
                rank = len(known) + known.index(name.split(" ")[0])
            else:
                continue
            if best is None or rank < best[0]:
                best = (rank, i)
        if best is not None:
            out[role] = best[1]
    if "title" not in out:
        for i, name in enumerate(heads):  # ``Dataset``, ``Data set``: a table of datasets
            if "dataset" in name or "data set" in name:
                out["dataset"] = i
                break
    if "authors" in out and _SOME_AUTHORS.search(heads[out["authors"]]):
        out["some_authors"] = out["authors"]
    return out


_PIPE = re.compile(r"(?<!\\)\|")


def run_together(line: str, width: int) -> list[list[Run]]:
    """The rows a pipe table's source line holds beyond its first: the cells past the
    header's width (``|2022-01|A|Title|None|[AAAI2022](…)|B|Title 2|[Code](…)|[ISBI2022](…)|``,
    two rows with no line break between them), each group of them aligned on the last
    column. The parser keeps only the first ``width`` cells of a row."""
    text = line.strip()
    if not width or text.count("|") <= width + 1:
        return []
    cells = _PIPE.split(text.removeprefix("|").removesuffix("|"))
    extra = cells[width:]
    rows = []
    for at in range(0, len(extra), width):
        group = extra[at : at + width]
        if sum(1 for cell in group if cell.strip()) >= min(2, width):  # not one stray note
            padding = [Run() for _ in range(width - len(group))]
            rows.append(padding + [parse_inline(cell.strip()) for cell in group])
    return rows


def has_link(cells: list[Run]) -> bool:
    """True when a row carries a link (a bare address included)."""
    return any(entry.links_of(cell) for cell in cells)


def titled_row(roles: dict[str, int], cells: list[Run]) -> bool:
    """True when a row with no link still gives a paper: a title, with its authors or year
    (``| 20201008 | Yuexiang Li | Automatic Aneurysm Segmentation via 3D U-Net Ensemble |``)."""

    def text(role: str) -> str:
        i = roles.get(role)
        return cells[i].text.strip() if i is not None and i < len(cells) else ""

    return bool(text("title")) and bool(text("authors") or text("year"))


def joined(cells: list[Run], sep: str = " ") -> Run:
    run = Run()
    for cell in cells:
        run.append(cell, sep=sep)
    return run


def read_row(roles: dict[str, int], cells: list[Run], section) -> list[Found] | Other | None:
    """The papers a row gives, or what it is instead."""

    def cell(role: str) -> Run | None:
        i = roles.get(role)
        return cells[i] if i is not None and i < len(cells) else None

    if "dataset" in roles:
        return Other(entry.DATASET, "a row of a datasets table")
    title_cell = cell("title")
    if title_cell is None:  # no title column: the row reads as one item
        return entry.read(joined(cells), section)
    found = entry.read(title_cell, section)
    found = found[0] if isinstance(found, list) and not found[0].title_is_name else None
    if found is None:
        title = _cell_title(title_cell)
        if not title:
            return Other(entry.UNREADABLE, "a table row with an empty title")
        found = entry.titled(title, title_cell)
    _authors(found, cell("authors"), some="some_authors" in roles)
    notes = cell("notes")
    if notes is not None and not found.description:
        found.description = entry.description(notes.text)
    _year(found, cell("year"))
    _venue(found, cell("venue"))
    for role in ("link", "code"):
        if cell(role) is not None:
            _links(found, cell(role), paper=role == "link")
    found.link = found.link or (found.paper_links[0] if found.paper_links else "")
    if not found.paper_links and not found.year and not found.venue:
        return Other(entry.WEBSITE, "a table row with no paper link, venue or year")
    return [found]


def _authors(found: Found, cell: Run | None, *, some: bool = False) -> None:
    """The authors' cell; ``some``: the column gives only some authors (the first, the
    last), so the list of them is incomplete (et al.)."""
    text = " ".join(cell.text.split()) if cell is not None else ""
    if text and not found.authors and text.lower() not in _NONE:  # ``H. Basak and Z. yin``
        found.authors, found.et_al = names.parse_author_list(text)
        found.et_al = found.et_al or some
        found.authors_text = text


def _year(found: Found, cell: Run | None) -> None:
    if cell is None:
        return
    text = " ".join(cell.text.split())
    compact = _COMPACT_YEAR.match(text)  # ``2019``, ``2025-04``, ``201606``, ``2023 MICCAI``
    found.year = (int(compact.group(1)) if compact else fields.year_of(text)) or found.year


def _venue(found: Found, cell: Run | None) -> None:
    if cell is None:
        return
    name, year = fields.venue_and_year(" ".join(cell.text.split()))  # ``[JBHI2025](…)``
    if name and name.lower() not in _NONE:
        found.venue = name
    found.year = found.year or year
    _links(found, cell, paper=True)


def _links(found: Found, cell: Run, *, paper: bool) -> None:
    """A link or code cell's links: the paper's own, or its other links."""
    for lk in entry.links_of(cell):
        if not lk.href:
            continue
        if paper and lk.kind not in ("code", "data", "web", "course"):
            if lk.href not in found.paper_links:
                found.paper_links.append(lk.href)
        elif all(o["url"] != lk.href for o in found.other_links):
            label = entry.link_label(lk)
            found.other_links.append({"label": label, "url": lk.href, "kind": "code"})


def _cell_title(run: Run) -> str:
    """A title cell's text without its generic link labels (``Title [arxiv] [(code)]``), its
    links to code or data whatever their label (``Title [(keras and pytorch)](github…)``)
    and a bold label before it (``**Dice loss:** Title``, as in a list item)."""
    text, start = run.text, 0
    lead = len(text) - len(text.lstrip())
    bold = next(((a, b) for a, b in run.bold if a == lead), None)
    if bold is not None:
        skip = entry.bold_label(text[bold[0] : bold[1]].strip(), text[bold[1] :])
        start = bold[1] + skip if skip is not None else 0
    kept = text
    for lk in reversed(links_of_title(run)):
        if lk.link.start >= start:
            kept = kept[: lk.link.start] + kept[lk.link.end :]
    title = entry.clean_title(kept[start:])
    return title or entry.clean_title(text[start:])


def links_of_title(run: Run):
    """The links of a title cell that are not part of its title: generic labels, code, data."""
    return [
        lk
        for lk in entry.links_of(run)
        if lk.role is not None or lk.host in (entry.links.CODE, entry.links.DATA)
    ]
