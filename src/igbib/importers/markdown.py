"""The awesome-list Markdown importer.

An awesome list is hand-edited, so the importer reads the forms such lists
really contain, not one strict grammar:

- entries as list items: ``Author et al., [Title](link), *Journal*, Year``, with
  ``A and B``, lone authors, ``*`` / ``-`` / ``+`` bullets, titles or journals
  wrapped over several lines, ``**[Title](link)**``, a title-first form
  ``[Title](link) - Author et al., *Journal*, Year``, ``(2014)`` years and
  trailing HTML comments;
- sections as headings (entries directly below ``## Glioma``) or as list items
  with entries indented below them, several per document;
- a "Datasets" part whose headings or items each name a dataset;
- empty placeholders (``*  et al., [](), **, 20``), skipped and counted.

Everything that is not an entry, a section or a dataset is kept as prose, so the
whole document can be written again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from igbib import ids, normalize
from igbib.importers import Entry, ParsedFile, Section
from igbib.model import Paper
from igbib.names import parse_author_list

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$")
_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*((?:[^()\s]|\([^()\s]*\))*)\s*\)")
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_EMPHASIS = re.compile(r"(?<!\\)(?:\*\*?|__?)\s*((?:\\.|[^*_\\])*?)\s*(?<!\\)(?:\*\*?|__?)")
_YEAR_AT_END = re.compile(r"[\s,.(\[]*\(?\b(\d{1,4})\b\)?[\s.,)\]]*$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_DATASETS = re.compile(r"^\s*(public\s+)?data\s*sets?\b", re.I)
_TASK = re.compile(r"^\[[ xX]\]\s")
_MAX_CONTINUATION = 4


@dataclass
class _Item:
    kind: str  # "heading", "bullet", "text", "blank"
    line: int
    raw: list[str]
    indent: int = 0
    level: int = 0
    text: str = ""
    marker: str = ""
    entry: dict | None = field(default=None)


def looks_like_awesome_list(text: str) -> bool:
    """True when at least one list item reads as an ``Author, [Title](link)`` entry."""
    return any(it.entry for it in _items(text.split("\n")) if it.kind == "bullet")


def parse_markdown(text: str) -> ParsedFile:
    parsed = ParsedFile(format="markdown")
    items = _items(text.split("\n"))
    prose: list[str] = []
    seen_sections: dict[str, Section] = {}
    current: str | None = None  # the section entries are now placed in
    heading: _Item | None = None  # the last heading, a section if entries follow
    heading_prose_at = 0  # where that heading's line sits in ``prose``
    bullet_section: tuple[str, int] | None = None
    datasets_level: int | None = None
    last_entry: Entry | None = None
    last_entry_indent = 0

    def flush() -> None:
        if prose:
            parsed.blocks.append({"kind": "prose", "text": "\n".join(prose)})
            prose.clear()

    def enter(name: str, style: str) -> None:
        nonlocal current
        if name not in seen_sections:
            section = Section(name=name, style=style)
            seen_sections[name] = section
            parsed.sections.append(section)
            flush()
            parsed.blocks.append({"kind": "section", "section": name})
        current = name

    for index, item in enumerate(items):
        if item.kind == "heading":
            current, bullet_section, last_entry = None, None, None
            if datasets_level is not None and item.level <= datasets_level:
                datasets_level = None
            if _DATASETS.match(_plain(item.text)):
                datasets_level = item.level
                heading = None
                prose.extend(item.raw)
                continue
            if datasets_level is not None and _dataset(item):
                flush()
                parsed.datasets.append(_dataset(item))
                parsed.blocks.append({"kind": "dataset"})
                continue
            heading, heading_prose_at = item, len(prose)
            prose.extend(item.raw)
            continue

        if item.kind == "bullet" and item.entry is None:
            if datasets_level is not None and _dataset(item):
                flush()
                parsed.datasets.append(_dataset(item))
                parsed.blocks.append({"kind": "dataset"})
                continue
            if last_entry is not None and item.indent > last_entry_indent:
                # a note under an entry: "    * code: [GitHub](...)"
                note = _plain(item.text)
                paper = last_entry.paper
                paper.note = f"{paper.note}\n{note}" if paper.note else note
                paper.listed.setdefault("notes", []).extend(item.raw)
                continue
            if _heads_entries(items, index):
                bullet_section = (_plain(item.text).rstrip(":"), item.indent)
                heading = None
                enter(bullet_section[0], f"bullet:{item.indent}:{item.marker}")
                last_entry = None
                continue
            last_entry = None
            prose.extend(item.raw)
            continue

        if item.kind == "bullet":  # an entry or a placeholder
            entry = item.entry
            if bullet_section and item.indent <= bullet_section[1]:
                bullet_section = None
            if bullet_section:
                section_name = bullet_section[0]
            elif heading is not None:
                section_name = _plain(heading.text)
                del prose[heading_prose_at : heading_prose_at + len(heading.raw)]
                enter(section_name, f"heading:{heading.level}")
                heading = None
            elif current is not None:
                section_name = current
            else:
                section_name = "Papers"
                enter(section_name, "none")
            if entry.get("placeholder"):
                parsed.skipped.append((item.line, "empty placeholder"))
                last_entry = None
                continue
            last_entry = Entry(paper=_paper(entry, item), line=item.line, section=section_name)
            last_entry_indent = item.indent
            parsed.entries.append(last_entry)
            continue

        # text and blank lines
        if item.kind == "text":
            last_entry = None
        prose.extend(item.raw)
    flush()
    return parsed


def _items(lines: list[str]) -> list[_Item]:
    """Group lines into headings, list items (with their wrapped lines), text and blanks."""
    items: list[_Item] = []
    i, n = 0, len(lines)
    in_fence = False
    while i < n:
        line = lines[i]
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            items.append(_Item("text", i + 1, [line]))
            i += 1
            continue
        if in_fence:
            items.append(_Item("text", i + 1, [line]))
            i += 1
            continue
        if not line.strip():
            items.append(_Item("blank", i + 1, [line]))
            i += 1
            continue
        m = _HEADING.match(line)
        if m:
            items.append(_Item("heading", i + 1, [line], level=len(m.group(1)), text=m.group(2)))
            i += 1
            continue
        m = _BULLET.match(line)
        if m:
            raw = [line]
            text = m.group(3)
            j = i + 1
            while (
                j < n
                and len(raw) <= _MAX_CONTINUATION
                and lines[j].strip()
                and not _HEADING.match(lines[j])
                and not _BULLET.match(lines[j])
                and _incomplete(text)
            ):
                raw.append(lines[j])
                text = f"{text} {lines[j].strip()}"
                j += 1
            indent = len(m.group(1).expandtabs(4))
            item = _Item("bullet", i + 1, raw, indent=indent, text=text.strip(), marker=m.group(2))
            item.entry = _parse_entry(item.text)
            items.append(item)
            i = j
            continue
        items.append(_Item("text", i + 1, [line]))
        i += 1
    return items


def _incomplete(text: str) -> bool:
    """True while a list item's text is visibly cut short (wrapped onto the next line)."""
    body = _COMMENT.sub("", text)
    if body.count("<!--") > body.count("-->"):
        return True
    if body.count("[") > body.count("]"):
        return True
    tail = body[body.rfind("](") :] if "](" in body else ""
    if tail and tail.count("(") > tail.count(")"):
        return True
    after_link = body[body.rfind(")") + 1 :] if "](" in body else ""
    stars = after_link.replace("**", "").count("*")
    return stars % 2 == 1


def _heads_entries(items: list[_Item], index: int) -> bool:
    """True when a non-entry list item is followed by entries indented below it."""
    indent = items[index].indent
    for item in items[index + 1 :]:
        if item.kind == "blank":
            continue
        return item.kind == "bullet" and item.entry is not None and item.indent > indent
    return False


def _parse_entry(text: str) -> dict | None:
    """The parts of an entry, or None when the item is not one."""
    if _TASK.match(text):
        return None
    comments = [c.strip() for c in _COMMENT.findall(text)]
    body = _COMMENT.sub("", text).strip()
    m = _LINK.search(body)
    if not m:
        return None
    before, title, link, after = body[: m.start()], m.group(1), m.group(2), body[m.end() :]
    before = before.rstrip()
    if before.endswith(("**", "__")) and after.lstrip().startswith(("**", "__")):
        before, after = before[:-2], after.lstrip()[2:]
    authors_text = before.strip().rstrip(",.;:-–—").strip()

    # Only an item that reads like a reference is an entry: "Author, [Title](link)...",
    # "[Title](link), *Journal*, Year" or a placeholder "et al., [](), **, 20".
    rest = after.strip()
    if before.strip() and not before.rstrip().endswith((",", ".", ":", "-", "–", "—")):
        return None
    journal, year_text, rest_authors = _split_rest(rest)
    if not title.strip() and not link.strip():
        return {"placeholder": True}
    if not year_text and not (journal and before.strip()):
        # a link in prose: "* [Awesome X](url) - a list of things", "* code: [GitHub](url)"
        return None
    if not authors_text and rest_authors:
        authors_text = rest_authors
    return {
        "authors": authors_text,
        "title": title,
        "link": link,
        "journal": journal,
        "year": year_text,
        "comment": " ".join(comments) or None,
    }


def _split_rest(rest: str) -> tuple[str, str, str]:
    """``(journal, year, authors)`` from what follows the link."""
    rest = rest.strip().lstrip(",.;:-–— ")
    year_text = ""
    m = _YEAR_AT_END.search(rest)
    if m:
        year_text = m.group(1)
        rest = rest[: m.start()]
    rest = rest.strip().rstrip(",.;: ").strip()
    journal, authors = "", ""
    em = _EMPHASIS.search(rest)
    if em:
        journal = em.group(1).strip()
        authors = (rest[: em.start()] + rest[em.end() :]).strip(" ,.;:-–—")
    else:
        journal = rest
    if "*" in rest and not journal and not authors and rest.strip("* ") == "":
        journal = ""
    return _unescape(journal), year_text, authors


def _paper(entry: dict, item: _Item) -> Paper:
    authors, et_al = parse_author_list(_unescape(entry["authors"]))
    title = _unescape(" ".join(entry["title"].split())).strip()
    link = entry["link"].strip()
    paper = Paper(
        title=title or None,
        authors=authors,
        et_al=et_al,
        journal=entry["journal"] or None,
        source="markdown",
        listed={
            "text": "\n".join(item.raw),
            "authors": entry["authors"],
            "title": entry["title"],
            "link": link,
            "journal": entry["journal"],
            "year": entry["year"],
        },
    )
    if entry.get("comment"):
        paper.listed["comment"] = entry["comment"]
    ids.set_identifiers(paper, links=[link] if link else [])
    if link and not paper.identifiers():
        paper.url = link
    # A bad year stays in ``listed["year"]``, which flags.py reads like ``extra["year"]``.
    paper.year = normalize.year(entry["year"])
    return paper


def _dataset(item: _Item) -> dict | None:
    text = item.text
    m = _LINK.search(text)
    if not m:
        return None
    plain = _plain(text)
    plain = re.sub(r"^\[\d+\]\s*", "", plain)
    name, _, description = plain.partition(" - ")
    if not description:
        name, _, description = plain.partition(": ")
    return {
        "name": name.strip(),
        "url": m.group(2),
        "description": description.strip() or None,
        "line": "\n".join(item.raw),
    }


def _plain(text: str) -> str:
    """Markdown inline text as plain text: links to their text, escapes and emphasis removed."""
    text = _COMMENT.sub("", text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return " ".join(_unescape(text).split())


def _unescape(text: str) -> str:
    return _MD_ESCAPE.sub(r"\1", text)
