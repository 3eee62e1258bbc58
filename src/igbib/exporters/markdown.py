"""The awesome list, written again from the library.

The whole document comes back in its curated order: the prose as it was, each
section with its papers in their places, the datasets (from the registry: see
:mod:`~igbib.exporters.markdown_datasets`). Each paper is written as
``Family et al., [Title](link), *Journal*, Year`` (``A and B`` for two authors, a
lone author alone); the link is canonical (PubMed, else doi.org, else PMC, arXiv,
or the stored URL) unless ``keep_links`` asks for the list's own. Titles and
journals are escaped, so no character can break the list or inject HTML.
Empty placeholders are not written back. Papers in no section follow under
"Other papers", but for those the list once listed (taken out of it by ``import
--sync`` or ``section rm --force``: they stay in the library); a selection (a
search, ``--group-by``) is written without prose.
Grouped by a topic axis (``--group-by site``), a paper comes under each of its tags of
that axis, headed by the topic rule's label.
"""

from __future__ import annotations

import re

from igbib import ids
from igbib.model import Paper, authors_short

# Markdown's own characters, and an ampersand that would start an entity (``&copy;``).
_ESCAPE = re.compile(r"([\\`*_\[\]<>|]|&(?=#?\w+;))")
_ANGLE = re.compile(r"([<>])")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*):")
#: The link schemes written; any other (``javascript:``, ``data:``) is never a link.
SAFE_SCHEMES = frozenset({"http", "https", "ftp", "ftps", "mailto"})
OTHER = "Other papers"


def other_papers(papers: list[Paper], written: set[int]) -> list[Paper]:
    """The papers the list writes under :data:`OTHER`: in no section, and never taken out
    of the list (a paper the list once listed and no section lists now was taken out by
    ``import --sync`` or ``section rm --force``: it stays in the library, not in the list)."""
    return [p for p in papers if p.id not in written and not p.listed]


def escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", " ".join(text.split()))


def _heading_text(name: str) -> str:
    """A section's name as it was written, but with no HTML tag: ``<`` and ``>`` escaped."""
    return _ANGLE.sub(r"\\\1", " ".join(name.split()))


def destination(url: str | None) -> str:
    """``url`` as a Markdown link destination, or ``""`` when it is no safe link.

    Only web and mail addresses and links within the document (``#section``,
    ``docs/x.md``) are written; spaces, angle brackets and unbalanced parentheses
    are percent-encoded so the link cannot end early.
    """
    if not url:
        return ""
    url = "".join(url.split())
    scheme = _SCHEME.match(url)
    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
        return ""
    url = url.replace("<", "%3C").replace(">", "%3E")
    depth = 0
    for char in url:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0:
        url = url.replace("(", "%28").replace(")", "%29")
    return url


def link(paper: Paper, keep_links: bool = False) -> str:
    listed = (paper.listed or {}).get("link")
    if keep_links and destination(listed):
        return destination(listed)
    if paper.pmid:
        return ids.pubmed_url(paper.pmid)
    if paper.doi:
        return ids.doi_url(paper.doi)
    if paper.pmcid:
        return ids.pmc_url(paper.pmcid)
    if paper.arxiv:
        return ids.arxiv_url(paper.arxiv)
    return destination(paper.url or listed or "")


def entry(paper: Paper, keep_links: bool = False) -> str:
    """``Gevaert et al., [Title](link), *Radiology*, 2014``.

    The authors are written as the list gave them: every name it gave, in full
    (``Zhen Wang, Dongyuan Li and Yaozu Wu``), or ``Family et al.`` when it gave
    one name. The list's description of the paper and its other links (code, a
    project page) follow: ``, 2019 - description [code](url)``.
    """
    listed = paper.listed or {}
    if not paper.title and listed.get("name"):
        return _named_entry(paper, listed, keep_links)
    parts = []
    authors = _authors(paper, listed.get("author_count") or 0)
    if authors:
        parts.append(escape(authors))
    main = link(paper, keep_links)
    if not (authors or paper.journal or paper.year or ids.ids_from_url(main)) and main:
        # nothing else says it is a paper: its link is labelled as one
        parts.append(f"{escape(paper.title or '')} [paper]({main})")
    else:
        parts.append(f"[{escape(paper.title or '')}]({main})")
    if paper.journal:
        parts.append(f"*{escape(paper.journal)}*")
    year = str(paper.year) if paper.year else (listed.get("year") or "")
    text = ", ".join(parts) + (f", {year}" if year else "")
    if listed.get("description"):
        text += f" - {escape(listed['description'])}"
    for url in _other_paper_links(main, listed):
        text += f" [paper]({url})"
    text += _other_links(listed)
    if listed.get("comment"):
        text += f" <!-- {listed['comment'].replace('--', '- -')} -->"
    return text


def _other_links(listed: dict) -> str:
    """The list's other links of an entry (``[code](url)``), those that are safe links."""
    out = ""
    for other in listed.get("links") or ():
        url = destination(other["url"])
        if url:
            out += f" [{escape(other['label'])}]({url})"
    return out


def _other_paper_links(main: str, listed: dict) -> list[str]:
    """The list's links to the paper that name something ``main`` does not (its preprint)."""
    urls = [destination(u) for u in [listed.get("link"), *(listed.get("paper_links") or ())]]
    urls = [u for u in urls if u and u != main]
    if not urls:
        return []  # most entries: nothing to compare, no address to parse
    seen = {main}
    named = ids.ids_from_url(main).items()
    out = []
    for url in urls:
        found = ids.ids_from_url(url).items()
        if url in seen or (found and found <= named):
            continue  # the same link, or one naming only what ``main`` names
        seen.add(url)
        out.append(url)
    return out


def _named_entry(paper: Paper, listed: dict, keep_links: bool) -> str:
    """``2007 - **SCCA** - Parkhomenko - sparse CCA - [paper](link)``: a paper the list names
    (a tool's paper) and that has no title yet, in the shape tool lists use."""
    fields = [str(paper.year)] if paper.year else []
    fields.append(f"**{escape(listed['name'])}**")
    authors = _authors(paper, listed.get("author_count") or 0)
    if authors:
        fields.append(escape(authors))
    if listed.get("description"):
        fields.append(escape(listed["description"]))
    fields.append(f"[paper]({link(paper, keep_links)})")
    return " - ".join(fields) + _other_links(listed)


def _authors(paper: Paper, count: int) -> str:
    """The authors as the list gave them (``count`` names), else ``Family et al.``."""
    count = min(count, len(paper.authors))  # a refresh may have given fewer
    if count < 1 or (count == 1 and "given" not in paper.authors[0]):
        return authors_short(paper.authors, paper.et_al)
    if count == 1:
        more = paper.et_al or len(paper.authors) > 1
        return _full_name(paper.authors[0]) + (" et al." if more else "")
    names = [_full_name(a) for a in paper.authors[:count]]
    text = ", ".join(names[:-1]) + " and " + names[-1]
    if paper.et_al or len(paper.authors) > count:
        text = ", ".join(names) + " et al."
    return text


def _full_name(author: dict) -> str:
    if "literal" in author:
        return author["literal"]
    return " ".join(p for p in (author.get("given"), author.get("family")) if p)


def export_markdown(papers: list[Paper], options, library) -> str:
    if options.group_by:
        return _grouped(papers, options)
    if not options.whole_list or library is None:
        return _by_section(papers, options, library)
    return _document(papers, options, library)


def _document(papers: list[Paper], options, library) -> str:
    chosen = {p.id: p for p in papers}
    sections = {s["id"]: s for s in library.sections()}
    placements = library.placements()
    written: set[int] = set()
    lines: list[str] = []
    blocks = library.document()
    datasets = _datasets_part(library, blocks)
    after_entries = False  # the last lines written are a section's entries
    for block in blocks:
        if block["kind"] == "prose":
            if after_entries and block["text"].split("\n", 1)[0].strip():
                lines.append("")  # else the prose would continue the last entry
            lines.append(block["text"])
            after_entries = False
        elif block["kind"] == "section":
            section = sections.get(block["section_id"])
            if section is None:
                continue
            members = [chosen[i] for i in placements.get(section["id"], []) if i in chosen]
            lines.extend(_section(section, members, options))
            written.update(p.id for p in members)
            after_entries = after_entries or bool(members)
        elif block["kind"] == "dataset":
            after_entries = False
            lines.extend(datasets.block())
    listed_sections = {b["section_id"] for b in blocks if b["kind"] == "section"}
    for section_id, section in sections.items():  # sections added after the list was imported
        if section_id not in listed_sections:
            members = [chosen[i] for i in placements.get(section_id, []) if i in chosen]
            if members:
                lines.extend(["", *_section(section, members, options)])
                written.update(p.id for p in members)
    lines.extend(datasets.without_blocks())
    rest = other_papers(papers, written)
    if rest:
        lines.extend(["", f"## {OTHER}", *(f"* {entry(p, options.keep_links)}" for p in rest)])
    text = "\n".join(lines)
    return text if text.endswith("\n") else text + "\n"


def _datasets_part(library, blocks: list[dict]):
    """The datasets part, written from the registry (see :mod:`.markdown_datasets`)."""
    from igbib.exporters.markdown_datasets import DatasetsPart

    count = sum(b["kind"] == "dataset" for b in blocks)
    return DatasetsPart(library.datasets(), count, escape, destination)


def _section(section: dict, members: list[Paper], options) -> list[str]:
    style = section["style"].split(":")
    name = section["name"]
    if style[0] == "heading":
        head, indent = ["#" * int(style[1]) + " " + _heading_text(name)], ""
    elif style[0] == "bold":
        head, indent = [f"**{escape(name)}**", ""], ""
    elif style[0] == "bullet":
        level = int(style[1]) if len(style) > 1 else 0
        marker = style[2] if len(style) > 2 else "*"
        head, indent = [" " * level + f"{marker} {_heading_text(name)}"], " " * (level + 2)
    else:
        head, indent = [], ""
    lines = list(head)
    for paper in members:
        lines.append(f"{indent}* {entry(paper, options.keep_links)}")
        keywords = (paper.listed or {}).get("keywords")
        if keywords:
            lines.append(f"{indent}  * Keywords: {escape(', '.join(keywords))}")
        for part in (paper.listed or {}).get("folded") or ():  # ``<details>`` of the entry
            lines.append(f"{indent}  {_folded(part)}")
        for note in (paper.listed or {}).get("notes", []):
            lines.append(note)
    return lines


def _folded(part: dict) -> str:
    """A folded part of an entry (an abstract, a citation) as the list wrote it: ``<details>``."""
    from html import escape as html_escape  # only for lists with folded parts

    summary = f"<summary>{html_escape(part['summary'])}</summary>" if part["summary"] else ""
    return f"<details>{summary}{html_escape(part['text'])}</details>"


def _by_section(papers: list[Paper], options, library) -> str:
    groups: dict[str, list[Paper]] = {}
    for paper in papers:
        name = paper.sections[0]["section"] if paper.sections else OTHER
        groups.setdefault(name, []).append(paper)
    return _write_groups(groups, options)


#: How each ``group_by`` choice (:data:`igbib.exporters.GROUP_BY`) files a paper.
_GROUP_KEYS = {
    "year": lambda paper: [str(paper.year) if paper.year else "Year unknown"],
    "journal": lambda paper: [paper.journal or "Journal unknown"],
    "tag": lambda paper: _all_tags(paper) or ["Untagged"],
}


def _all_tags(paper: Paper) -> list[str]:
    """A paper's tags: the curator's first, then the topic rules' (as everywhere else)."""
    mine = {tag.casefold() for tag in paper.tags}
    return [*paper.tags, *(tag for tag in paper.auto_tags if tag.casefold() not in mine)]


def _grouped(papers: list[Paper], options) -> str:
    from igbib.topics import AXES

    if options.group_by in AXES:
        return _by_axis(papers, options, options.group_by)
    keys_of = _GROUP_KEYS.get(options.group_by)
    if keys_of is None:
        from igbib.errors import IgbibError
        from igbib.exporters import GROUP_BY

        known = ", ".join((*GROUP_BY, *AXES))
        raise IgbibError(f"cannot group by {options.group_by!r} (known: {known})")
    groups: dict[str, list[Paper]] = {}
    for paper in papers:
        for key in keys_of(paper):
            groups.setdefault(key, []).append(paper)
    if options.group_by == "year":
        order = sorted(groups, key=lambda k: (not k.isdigit(), -int(k) if k.isdigit() else 0))
    else:
        order = sorted(groups, key=str.casefold)
    return _write_groups({k: groups[k] for k in order}, options, toc=len(groups) > 5)


def _by_axis(papers: list[Paper], options, axis: str) -> str:
    """A heading per value of a topic axis (``site``: one per cancer site), in the order of
    the topic rules, a paper under each of its tags of the axis (a curator's or the rules');
    those with none under a last heading."""
    from igbib.topics import load_rules, split_tag

    rules = load_rules()
    groups: dict[str, list[Paper]] = {}
    names: dict[str, str] = {}
    for paper in papers:
        values = []
        for tag in [*paper.tags, *paper.auto_tags]:
            found = split_tag(tag)
            if found and found[0] == axis:
                key = f"{axis}/{found[1]}".casefold()
                names.setdefault(key, f"{axis}/{found[1]}")
                values.append(key)
        for key in dict.fromkeys(values) or [None]:
            groups.setdefault(key, []).append(paper)
    order = sorted((k for k in groups if k is not None), key=lambda k: (rules.order(k), k))
    out = {rules.heading(k if k in rules.by_tag else names[k]): groups[k] for k in order}
    if None in groups:
        out[f"No {axis} tag"] = groups[None]
    return _write_groups(out, options, toc=len(out) > 5)


def _write_groups(groups: dict[str, list[Paper]], options, toc: bool = False) -> str:
    lines: list[str] = []
    if toc:
        lines.append("## Contents")
        lines.extend(
            f"* [{escape(name)}](#{_anchor(name)}) ({len(ps)})" for name, ps in groups.items()
        )
        lines.append("")
    for name, members in groups.items():
        lines.append(f"## {escape(name)}")
        lines.extend(f"* {entry(p, options.keep_links)}" for p in members)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _anchor(name: str) -> str:
    """GitHub's heading anchors: lower case, spaces to dashes, punctuation dropped."""
    return re.sub(r"[^\w\- ]", "", name.lower()).replace(" ", "-")
