"""A whole Markdown reading list: its sections, its papers, what else it lists, and its prose.

markdown-it-py (CommonMark with GFM tables) splits the file into blocks with
their line ranges; this module walks them in order and hands each item that
can be an entry (a list item with its sub-items and folded ``<details>``
parts, a paragraph, a table row, an HTML table row, a BibTeX code block) to
:mod:`.entry`. Every item that carries a link ends up in exactly one place:

- a paper (:attr:`ParsedFile.entries`), in the section it is listed under;
- not a paper (:attr:`ParsedFile.others`: software, dataset, website, course,
  table of contents, badge, text), with the reason;
- unreadable (also in ``others``, kind ``unreadable``), with its line.

The lines of the papers' entries are taken out of the document; every other
line is kept, verbatim and in order, as prose, so the list can be written
again (:mod:`igbib.exporters.markdown`). Sections are the headings papers are
listed under, list items that head nested entries (``* Glioma`` with entries
below) and bold lines that head a group (``**Segmentation**``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from igbib import ids, names, normalize
from igbib.datasets import parse_facts
from igbib.importers import Entry, NotPaper, ParsedFile, Section
from igbib.importers.lists import entry as reader
from igbib.importers.lists import fields, table
from igbib.importers.lists.entry import Found, Other
from igbib.importers.lists.html import grid, read_block
from igbib.importers.lists.inline import Run, from_tokens, parse_inline, parser
from igbib.model import Paper, title_key

_DATASETS = re.compile(r"^\s*(public\s+)?data\s*sets?\b", re.I)
_BIBTEX = re.compile(r"^[ \t]*@\s*[A-Za-z]+\s*[{(]", re.M)


@dataclass
class _Item:
    """A list item: its own text, its folded parts, its sub-items, its lines."""

    start: int  # first line (0-based)
    end: int  # after its last line
    indent: int
    marker: str
    run: Run = field(default_factory=Run)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # line ranges
    folds: list[tuple[int, Run, str]] = field(default_factory=list)  # (line, run, summary)
    children: list[_Item] = field(default_factory=list)
    codes: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, content)


@dataclass
class _Block:
    kind: str  # heading, paragraph, item, table, html, code
    start: int
    end: int
    run: Run | None = None
    level: int = 0
    item: _Item | None = None
    header: list[Run] = field(default_factory=list)
    rows: list[tuple[int, list[Run]]] = field(default_factory=list)
    content: str = ""


def _blocks(text: str) -> list[_Block]:
    """The file's top-level blocks in order, list items as trees."""
    tokens = parser().parse(text)
    blocks: list[_Block] = []
    stack: list[_Item] = []
    table: _Block | None = None
    row: list[Run] | None = None
    row_line = 0
    in_head = False
    heading: _Block | None = None
    inner_headings: list[_Block] = []
    lines = text.split("\n")
    for tok in tokens:
        kind = tok.type
        if kind == "list_item_open":
            start, end = tok.map or (0, 0)
            line = lines[start] if start < len(lines) else ""
            indent = len(line) - len(line.lstrip(" \t"))
            stack.append(_Item(start, end, indent, tok.markup or "-"))
        elif kind == "list_item_close":
            item = stack.pop()
            if stack:
                stack[-1].children.append(item)
            else:
                blocks.append(_Block("item", item.start, item.end, item=item))
                blocks.extend(inner_headings)
                inner_headings.clear()
        elif kind == "heading_open":
            heading = _Block("heading", *tok.map, level=int(tok.tag[1]))
        elif kind == "heading_close" and heading is not None:
            if stack:  # a heading inside a list item: it comes after the item
                inner_headings.append(heading)
            else:
                blocks.append(heading)
            heading = None
        elif kind == "table_open":
            table = _Block("table", *tok.map)
        elif kind == "table_close" and table is not None:
            blocks.append(table)
            table = None
        elif kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row, row_line = [], (tok.map or (0, 0))[0]
        elif kind == "tr_close" and table is not None and row is not None:
            if in_head:
                table.header = row
            else:
                table.rows.append((row_line, row))
            row = None
        elif kind == "inline":
            run = from_tokens(tok.children)
            if heading is not None:
                heading.run = run
            elif row is not None:
                row.append(run)
            elif stack:
                item = stack[-1]
                item.run.append(run)
                item.paragraphs.append(tuple(tok.map or (item.start, item.start + 1)))
            else:
                blocks.append(_Block("paragraph", *(tok.map or (0, 1)), run=run))
        elif kind == "html_block":
            start, end = tok.map or (0, 1)
            if stack:
                _html_in_item(stack[-1], start, tok.content)
            elif tok.content.lstrip().startswith("</details>") and blocks and blocks[-1].item:
                # ``</details> <details><summary>Paper</summary> …``: the item's next fold
                item = blocks[-1].item
                _html_in_item(item, start, tok.content)
                item.end = blocks[-1].end = end
            else:
                blocks.append(_Block("html", start, end, content=tok.content))
        elif kind in ("fence", "code_block"):
            start, end = tok.map or (0, 1)
            if stack:
                stack[-1].codes.append((start, end, tok.content))
            else:
                blocks.append(_Block("code", start, end, content=tok.content))
    return blocks


def _own_end(item: _Item) -> int:
    """The line after the item's own text (its sub-items and folds not included)."""
    return item.paragraphs[-1][1] if item.paragraphs else item.start + 1


def _before_folds(run: Run) -> Run:
    """The run up to its first inline ``<details>``."""
    return run.slice(0, run.folds[0][0]) if run.folds else run


def _inline_folds(run: Run) -> list[tuple[str, Run]]:
    """``(summary, text)`` of each inline ``<details>``, in order, each up to the next one."""
    if not run.folds:
        return []
    out = []
    ends = [offset for offset, _ in run.folds[1:]] + [len(run.text)]
    for (offset, summary), end in zip(run.folds, ends, strict=True):
        start = offset
        if summary and run.text[offset:end].lstrip().startswith(summary):
            start = run.text.index(summary, offset) + len(summary)  # the text after its summary
        out.append((summary, run.slice(start, end)))
    return out


def _citations(run: Run) -> list[Run]:
    """A folded part split into its citations: one per line that starts with ``-`` or ``*``."""
    lines = run.lines()
    starts = [a for a, b in lines if run.text[a:b].lstrip()[:2] in ("- ", "* ")]
    if len(starts) < 2:
        return [run]
    cuts = [*starts, len(run.text)]
    head = [run.slice(0, starts[0])] if run.text[: starts[0]].strip() else []
    return head + [run.slice(a, b) for a, b in zip(cuts, cuts[1:], strict=False)]


def _html_in_item(item: _Item, start: int, content: str) -> None:
    """An HTML block inside a list item: a folded part (``<details>``) of the item."""
    block = read_block(content)
    summary = ""
    for line, run in block.texts:
        if not summary and len(run.text) < 40 and not run.links and "\n" not in run.text.strip():
            summary = run.text.strip()
            continue
        item.folds.append((start + line, run, summary))
    for rows in block.tables:
        for line, runs in grid(rows):
            merged = Run()
            for cell in runs:
                merged.append(cell, sep=" ")
            item.folds.append((start + line, merged, summary))


class _Walker:
    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.parsed = ParsedFile(format="markdown")
        self.taken: set[int] = set()  # lines that belong to entries, not to prose
        self.section_at: dict[int, str] = {}  # line -> a section block starts here
        self.dataset_at: dict[int, dict] = {}
        self.sections: dict[str, Section] = {}
        # (name, level, line, kept): the last heading, not yet a section; ``kept``: its line
        # stays in the prose (a name several headings share, qualified by its parent)
        self.heading: tuple[str, int, int, bool] | None = None
        self.outline: list[tuple[int, str]] = []  # the headings above: (level, name)
        self.repeated: set[str] = set()  # heading names the file uses more than once
        self.section_after: dict[int, str] = {}  # line -> a section block follows it
        self.current: str | None = None
        self.bold_head: tuple[str, int] | None = None
        self.datasets_level: int | None = None
        self.dataset_lines: tuple[int, int] | None = None  # the last dataset's lines
        self.last: Entry | None = None
        # the entries so far by title key and by identifier, for the BibTeX that follows them
        self.by_title: dict[str, Entry] = {}
        self.by_id: dict[tuple[str, str], Entry] = {}

    # -- sections --------------------------------------------------------------------
    def _section_for_entry(self) -> str:
        if self.heading is not None:
            # entered before a bold group right under it (``### General Domain`` /
            # ``**CNNs**:``), so that every entry of the group stays in the group
            name, level, line, kept = self.heading
            self.heading = None
            if kept:
                self._enter(name, f"under:{level}", None)
                self.section_after[line] = name
            else:
                self._enter(name, f"heading:{level}", line)
        if self.bold_head is not None:
            name, line = self.bold_head
            self.bold_head = None
            self._enter(name, "bold", line)
        elif self.current is None:
            self._enter("Papers", "none", None)
        return self.current

    def _enter(self, name: str, style: str, line: int | None) -> None:
        if name not in self.sections:
            section = Section(name=name, style=style)
            self.sections[name] = section
            self.parsed.sections.append(section)
            if line is not None:
                self.section_at[line] = name
                self.taken.add(line)
            elif not style.startswith("under:"):
                self.section_at[-1] = name
        self.current = name

    # -- results ---------------------------------------------------------------------
    def other(self, line: int, kind: str, reason: str, text: str = "") -> None:
        short = " ".join(text.split())
        short = short if len(short) <= 90 else short[:87] + "..."
        self.parsed.others.append(NotPaper(line + 1, kind, reason, short))

    def add(self, found: Found, line: int, raw: list[str], section: str | None = None) -> Entry:
        paper = _paper(found, raw)
        entry = Entry(paper=paper, line=line + 1, section=section or self._section_for_entry())
        self._remember(entry)
        self.last = entry
        return entry

    def _listing_of(self, paper: Paper) -> Entry | None:
        """The latest entry of the file that is this paper (same title or identifier)."""
        key = title_key(paper.title)
        if key and key in self.by_title:
            return self.by_title[key]
        return next((self.by_id[i] for i in paper.identifiers().items() if i in self.by_id), None)

    def _remember(self, entry: Entry) -> None:
        self.parsed.entries.append(entry)
        key = title_key(entry.paper.title)
        if key:
            self.by_title[key] = entry
        for item in entry.paper.identifiers().items():
            self.by_id[item] = entry

    def take(self, start: int, end: int) -> None:
        """These lines belong to entries, not to the prose (trailing blank lines stay prose)."""
        while end > start and not self.lines[end - 1].strip():
            end -= 1
        self.taken.update(range(start, end))

    # -- blocks ----------------------------------------------------------------------
    def walk(self, blocks: list[_Block]) -> ParsedFile:
        names = Counter(_plain(b.run) for b in blocks if b.kind == "heading")
        self.repeated = {name for name, count in names.items() if count > 1}
        for block in blocks:
            getattr(self, "_" + block.kind)(block)
        self._document()
        return self.parsed

    def _heading(self, block: _Block) -> None:
        name = _plain(block.run)
        self.current, self.last, self.bold_head = None, None, None
        if self.datasets_level is not None and block.level <= self.datasets_level:
            self.datasets_level = None
        if _DATASETS.match(name):
            self.datasets_level, self.heading = block.level, None
            return
        if self.datasets_level is not None and block.run and block.run.links:
            self._dataset(block)
            return
        while self.outline and self.outline[-1][0] >= block.level:
            self.outline.pop()
        parents = [parent for _, parent in self.outline]
        self.outline.append((block.level, name))
        if name in self.repeated:  # ``### Open Source`` under several parts: qualified
            qualified = " / ".join([*parents[-1:], name])
            while qualified in self.sections and parents:
                parents.pop()
                qualified = " / ".join([*parents[-1:], qualified])
            self.heading = (qualified, block.level, block.start, True)
        else:
            self.heading = (name, block.level, block.start, False)
        if (
            block.run
            and block.run.links
            and not all(lk.href.startswith("#") for lk in block.run.links)
        ):
            self.other(block.start, reader.WEBSITE, "a heading with a link", name)

    def _dataset(self, block_or_item, raw: list[str] | None = None, *, report=True) -> None:
        """A dataset the list names (in its datasets part); ``report``: as an item that is
        not a paper (not when the item is read as its paper)."""
        run = block_or_item.run
        start = block_or_item.start
        plain = re.sub(r"^\[\d+\]\s*", "", _plain(run))
        name, _, description = plain.partition(" - ")
        if not description:
            name, _, description = plain.partition(": ")
        raw = list(raw if raw is not None else self.lines[start : block_or_item.end])
        facts = parse_facts(raw[-1]) if len(raw) > 1 else None
        if facts is not None:  # an item's facts, as igbib export writes them: not its line
            raw.pop()
        line_text = "\n".join(raw)
        dataset = {
            "name": name.strip(),
            "url": run.links[0].href if run.links else "",
            "description": description.strip() or None,
            "line": line_text,
            "lineno": start + 1,
            "facts": facts or {},
        }
        self.parsed.datasets.append(dataset)
        self.dataset_at[start] = dataset
        self.dataset_lines = (start, block_or_item.end)
        self.take(start, block_or_item.end)
        if report:
            self.other(start, reader.DATASET, "listed under a datasets heading", plain)

    def _paragraph(self, block: _Block) -> None:
        run = block.run
        if run is None or not run.text.strip():
            return
        if self._dataset_facts(block):
            return
        if _is_bold_head(run):
            self.bold_head = (_plain(run).rstrip(":").strip(), block.start)
            self.last = None
            return
        result = reader.read(run, self._section_name(), prose=True)
        self._result(result, block.start, block.end, run)

    def _dataset_facts(self, block: _Block) -> bool:
        """The facts line ``igbib export`` writes under a dataset heading: the dataset's
        facts, not prose."""
        if self.datasets_level is None or self.dataset_lines is None:
            return False
        between = self.lines[self.dataset_lines[1] : block.start]
        facts = None if any(line.strip() for line in between) else parse_facts(_plain(block.run))
        if facts is None:
            return False
        self.parsed.datasets[-1]["facts"] = facts
        self.dataset_lines = None
        self.take(block.start, block.end)
        return True

    def _section_name(self) -> str | None:
        if self.heading is not None:
            return self.heading[0]
        return self.current

    def _result(self, result, start: int, end: int, run: Run) -> list[Entry]:
        if result is None:
            return []
        if isinstance(result, Other):
            self.other(start, result.kind, result.reason, run.text)
            return []
        raw = self.lines[start:end]
        entries = [self.add(found, start, raw) for found in result]
        self.take(start, end)
        return entries

    def _item(self, block: _Block) -> None:
        self._list_item(block.item)

    def _list_item(self, item: _Item) -> None:
        run = _before_folds(item.run)  # an inline ``<details>`` is a fold, not the entry
        if _is_placeholder(run):
            self.parsed.skipped.append((item.start + 1, "empty placeholder"))
            self.take(item.start, item.end)
            return
        if self.datasets_level is not None and run.links:
            result = reader.read(run, self._section_name())
            main = run.links[0].href
            papers = isinstance(result, list) and all(f.link != main for f in result)
            self._dataset(item, self.lines[item.start : item.end], report=not papers)
            for found in result if papers else ():  # its paper: ``[OHSUMED](…) - [paper](…)``
                self.add(found, item.start, [])
            return
        section = self._section_name()
        result = reader.read(run, section) if run.text.strip() or run.links else None
        if result is None and item.children and not run.links:
            merged = _merged(item)
            combined = reader.read(merged, section)
            if isinstance(combined, list) and len(combined) == 1 and not _children_stand(item):
                self._entry_item(item, combined)
                return
        if isinstance(result, list) and self._in_contents(item, result):
            self.other(item.start, reader.TOC, "an empty link in a table of contents", run.text)
            return
        # ``- Findings …, [Supplementary Data 7](…) lists them. <details>Paper: citation``:
        # a link in the description is not the paper's title; the folded citation is
        folded = bool(item.folds or item.run.folds)
        mid_text = isinstance(result, list) and reader.titled_mid_text(run, result)
        if folded and mid_text and self._folds(item, section):
            return
        if isinstance(result, list):
            self._entry_item(item, result)
            return
        if self._folds(item, section):
            return
        if isinstance(result, Other):
            self.other(item.start, result.kind, result.reason, run.text)
        for code in item.codes:
            self._code(_Block("code", code[0], code[1], content=code[2]))
        if item.children:
            if _heads_entries(item, section):
                name = _plain(run).rstrip(":").strip()
                style = f"bullet:{item.indent}:{item.marker}"
                end = item.paragraphs[-1][1] if item.paragraphs else item.start + 1
                outer, pending = self.current, self.heading  # where the entries after go
                self._enter(name, style, item.start)
                self.take(item.start, end)
                self.heading = None
                inner = self.current
                for child in item.children:
                    self.current = inner
                    self._list_item(child)
                self.current, self.heading = outer, pending
                return
            self.last = None
            for child in item.children:
                self._list_item(child)

    def _in_contents(self, item: _Item, found: list[Found]) -> bool:
        """``- [Heritability]()`` right after ``- [General GWAS](#gwas)``: a contents line
        whose anchor is still to be written, not a paper."""
        last = self.parsed.others[-1] if self.parsed.others else None
        bare = len(found) == 1 and not found[0].link and not found[0].year
        return bare and last is not None and last.kind == reader.TOC and last.line == item.start

    def _entry_item(self, item: _Item, found: list[Found]) -> None:
        """A list item read as paper(s): its sub-items complete the entry or are entries too."""
        own_end = _own_end(item)
        entries = [self.add(f, item.start, self.lines[item.start : own_end]) for f in found]
        self.take(item.start, own_end)
        for summary, fold in [*_inline_folds(item.run), *((s, f) for _, f, s in item.folds)]:
            _complete(entries, fold, summary)
        for code in item.codes:
            self._code(_Block("code", code[0], code[1], content=code[2]), attach=entries[-1])
            self.take(code[0], code[1])
        self._sub_items(entries, item.children)
        self.take(item.start, item.end)
        self.last = entries[-1]

    def _sub_items(self, entries: list[Entry], children: list[_Item]) -> None:
        """An entry's sub-items: entries of their own, or what completes it, or notes."""
        for child in children:
            result = reader.read(child.run, self._section_name()) if child.run.links else None
            if isinstance(result, list) and not _is_continuation(child.run):
                self._entry_item(child, result)
                continue
            self._note(entries, child)
            self._sub_items(entries, child.children)  # ``- Notes`` / ``  - Jones, [Title](…)``

    def _note(self, entries: list[Entry], child: _Item) -> None:
        """A sub-item of an entry: authors, keywords, a venue, else a note kept as written."""
        paper = entries[-1].paper
        text = _plain(child.run)
        raw = self.lines[child.start : _own_end(child)]
        used = _continuation(paper, child.run, text)
        if not used:
            paper.note = f"{paper.note}\n{text}" if paper.note else text
            paper.listed.setdefault("notes", []).extend(raw)
        else:
            paper.listed.setdefault("lines", []).extend(raw)

    def _folds(self, item: _Item, section) -> bool:
        """``- [Tool](link) - description <details><summary>Paper</summary> citation``."""
        main_run = item.run
        parts = [(item.start, fold, summary) for summary, fold in _inline_folds(main_run)]
        parts += item.folds
        papers: list[tuple[int, Found]] = []
        for line, fold, _summary in parts:
            citations = _citations(fold)  # one folded part may cite several papers
            for citation in citations:
                got = reader.read(citation, section) if len(citations) == 1 else None
                if not isinstance(got, list):
                    got = reader.cite(citation)
                if isinstance(got, list):
                    papers += [(line, f) for f in got]
        cut = main_run.folds[0][0] if main_run.folds else len(main_run.text)
        if not papers and not parts:
            # ``- [Tool](link) - description`` with the paper's citation on the next lines
            lines = main_run.lines()
            for a, b in lines[1:]:
                got = reader.cite(main_run.slice(a, b))
                if got:
                    cut = min(cut, a)
                    papers += [(item.start, f) for f in got]
        if not papers:
            return False
        head = main_run.slice(0, cut)
        description = reader.description(head.text)
        for _line, found in papers:
            if description and not found.description:
                found.description = description
            for lk in head.links:
                label = head.text[lk.start : lk.end].strip() or lk.href
                found.other_links.append({"label": label, "url": lk.href, "kind": "web"})
            self.add(found, item.start, self.lines[item.start : item.end], None)
        self.take(item.start, item.end)
        for child in item.children:
            self._list_item(child)
        return True

    def _table(self, block: _Block) -> None:
        rows = self._rows(table.columns(block.header), block.rows, width=len(block.header))
        if rows == len(block.rows):
            self.take(block.start, block.end)  # every row an entry: the header goes too

    def _rows(self, roles: dict[str, int], rows: list[tuple[int, list[Run]]], width=0) -> int:
        """Read a table's rows (``(line, cells)``); return how many were entries (a line
        holding two rows counts when both are). ``width``: a pipe table's header width,
        past which a source line's cells are another row (:func:`table.run_together`)."""
        taken = 0
        for source_line, cells in rows:
            raw = self.lines[source_line : source_line + 1]
            source = raw[0] if raw else ""
            more = table.run_together(source, width) if width else []
            read = False
            if table.has_link(cells) or table.titled_row(roles, cells):
                result = table.read_row(roles, cells, self._section_name())
                read = isinstance(result, list)
                if read:
                    for found in result:
                        self.add(found, source_line, raw)
                    self.take(source_line, source_line + 1)
                elif isinstance(result, Other):
                    text = table.joined(cells, " | ").text
                    self.other(source_line, result.kind, result.reason, text)
            if all([self._run_together(roles, source_line, cells) for cells in more]) and read:
                taken += 1
        return taken

    def _run_together(self, roles: dict[str, int], line: int, cells: list[Run]) -> bool:
        """A row written on the line of the row before it: read, else reported as unreadable."""
        result = table.read_row(roles, cells, self._section_name())
        if isinstance(result, list):
            for found in result:
                self.add(found, line, [self.lines[line]])
            return True
        why = result.reason if isinstance(result, Other) else "no link, title or authors"
        text = table.joined(cells, " | ").text
        self.other(line, reader.UNREADABLE, f"a second table row on this line: {why}", text)
        return False

    def _html(self, block: _Block) -> None:
        html = read_block(block.content)
        read_all = True  # every part of the block was read as entries
        for event in html.events:
            kind, line = event[0], block.start + event[1]
            if kind == "heading":
                heading = _Block("heading", line, line + 1, run=parse_inline(event[2]))
                heading.level = event[3]
                self._heading(heading)
            elif kind == "table":
                rows = grid(event[2])
                header = []
                if rows and any(c.header for c in event[2][0].cells):
                    header, rows = rows[0][1], rows[1:]
                rows = [(block.start + row_line, cells) for row_line, cells in rows]
                read_all &= self._rows(table.columns(header), rows) == len(rows)
            else:
                run = event[2]
                result = reader.read(run, self._section_name(), prose=True)
                if isinstance(result, list):
                    for found in result:
                        self.add(found, line, [])
                else:
                    read_all = False
                    if isinstance(result, Other):
                        self.other(line, result.kind, result.reason, run.text)
        if read_all and html.events:
            self.take(block.start, block.end)

    def _code(self, block: _Block, attach: Entry | None = None) -> None:
        if not _BIBTEX.search(block.content):
            return
        from igbib.importers.bibtex import parse_bibtex

        try:
            bib = parse_bibtex(block.content)
        except Exception as exc:  # a broken block: reported, never fatal
            self.other(block.start, reader.UNREADABLE, f"BibTeX that cannot be read ({exc})")
            return
        for line, why in bib.failed:
            self.other(block.start + line, reader.UNREADABLE, f"BibTeX: {why}")
        for bib_entry in bib.entries:
            paper = bib_entry.paper
            # the entry the BibTeX belongs to: the one it follows, else any listing of it
            near = attach or self.last
            target = near if near and _same_paper(near.paper, paper) else self._listing_of(paper)
            if target is not None:
                _fill(target.paper, paper)
                continue
            paper.listed = {"text": "", "title": paper.title or "", "bibtex": True}
            if paper.authors:
                paper.listed["author_count"] = len(paper.authors)
            entry = Entry(
                paper=paper,
                line=block.start + bib_entry.line,
                section=self._section_for_entry(),
            )
            self._remember(entry)
        self.take(block.start, block.end)

    # -- the document ----------------------------------------------------------------
    def _document(self) -> None:
        parsed = self.parsed
        prose: list[str] = []

        def flush() -> None:
            if prose:
                parsed.blocks.append({"kind": "prose", "text": "\n".join(prose)})
                prose.clear()

        if -1 in self.section_at:
            flush()
            parsed.blocks.append({"kind": "section", "section": self.section_at[-1]})
        for number, line in enumerate(self.lines):
            if number in self.section_at:
                flush()
                parsed.blocks.append({"kind": "section", "section": self.section_at[number]})
            if number in self.dataset_at:
                flush()
                parsed.blocks.append({"kind": "dataset"})
            if number not in self.taken:
                prose.append(line)
            if number in self.section_after:
                flush()
                parsed.blocks.append({"kind": "section", "section": self.section_after[number]})
        flush()


# -- helpers -----------------------------------------------------------------------------


def parse_list(text: str) -> ParsedFile:
    """Read a Markdown reading list (see the module's docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # the lines markdown-it counts
    return _Walker(text).walk(_blocks(_one_unclosed_comment(text)))


def _one_unclosed_comment(text: str) -> str:
    """The text with every ``<!--`` after the first unclosed one defused, same length.

    A comment that is never closed hides the rest of the file, so the ``<!--`` inside
    it mean nothing; left as they are, the parser looks for a ``-->`` from each one,
    which takes time growing with the square of the file's length.
    """
    close = text.rfind("-->")
    start = text.find("<!--", close + 3 if close >= 0 else 0)
    if start < 0:
        return text
    return text[: start + 4] + text[start + 4 :].replace("<!--", "<!_-")


def looks_like_list(text: str) -> bool:
    """True when the text has at least one item read as a paper."""
    if "](" not in text and "href" not in text:
        return False
    return bool(parse_list(text).entries)


def _plain(run: Run | None) -> str:
    return " ".join(run.text.split()) if run is not None else ""


def _is_placeholder(run: Run) -> bool:
    """``*  et al., [](), **, 20``: an entry template left empty."""
    return bool(run.links) and all(not lk.href and lk.start == lk.end for lk in run.links)


def _is_bold_head(run: Run) -> bool:
    """A paragraph that is one bold phrase and no link: it heads the group below it."""
    if run.links or len(run.bold) != 1 or "\n" in run.text.strip():
        return False
    a, b = run.bold[0]
    rest = (run.text[:a] + run.text[b:]).strip(" :")
    return not rest and 0 < b - a <= 100


def _merged(item: _Item) -> Run:
    run = Run()
    run.append(item.run)
    for child in item.children:
        run.append(child.run)
    return run


def _children_stand(item: _Item) -> bool:
    """True when a sub-item is an entry on its own (the item heads a group)."""
    for child in item.children:
        entry = child.run.links and isinstance(reader.read(child.run), list)
        if entry and not _is_continuation(child.run):
            return True
    return False


def _heads_entries(item: _Item, section) -> bool:
    for child in item.children:
        if _is_placeholder(child.run):
            return True
        if child.run.links and isinstance(reader.read(child.run, section), list):
            return True
        if child.children and _heads_entries(child, section):
            return True
        if child.folds and any(
            isinstance(reader.read(f, section), list) for _, f, _ in child.folds
        ):
            return True
    return False


_CONTINUATION = re.compile(r"^\s*(keywords?|keyword\(s\)|authors?|venue|journal|tags?)\s*:", re.I)


def _is_continuation(run: Run) -> bool:
    """A sub-item that completes its parent: only links to code or a page, or a labelled line."""
    if _CONTINUATION.match(run.text):
        return True
    labels = [reader.links.label_kind(run.text[lk.start : lk.end]) for lk in run.links]
    return bool(labels) and all(k is not None for k in labels)


def _continuation(paper: Paper, run: Run, text: str) -> bool:
    """Fill ``paper`` from a sub-item that completes it; False when the sub-item is a note."""
    m = _CONTINUATION.match(text)
    if m:
        label, value = m.group(1).lower(), text[m.end() :].strip()
        if label.startswith(("keyword", "tag")):
            words = [k.strip() for k in re.split(r"[,;]", value) if k.strip()]
            paper.keywords = list(dict.fromkeys([*paper.keywords, *words]))
            paper.listed["keywords"] = list(paper.keywords)
            return True
        if label.startswith("author") and not paper.authors:
            _listed_authors(paper, value)
            return True
        if label in ("venue", "journal") and not paper.journal:
            venue, year = fields.venue_and_year(value)
            paper.journal = venue
            if year and not paper.year:
                paper.year = year
            return True
        return False
    if not run.links and not paper.authors and names.looks_like_authors(text):
        _listed_authors(paper, text)
        return True
    return False


def _listed_authors(paper: Paper, text: str) -> None:
    """The authors a list gives on a line of their own (a sub-bullet, ``Authors:``)."""
    paper.authors, paper.et_al = names.parse_author_list(text)
    paper.listed["authors"] = text
    _count_authors(paper)


def _count_authors(paper: Paper) -> None:
    """Remember how many authors the list gave, when it gave more than a family name, so
    that the list is written back with all of them (``export -f md``)."""
    if len(paper.authors) > 1 or any("given" in a for a in paper.authors):
        paper.listed["author_count"] = len(paper.authors)


def _complete(entries: list[Entry], fold: Run, summary: str) -> None:
    """A folded part of an entry (an abstract, a citation): kept as its note."""
    text = " ".join(fold.text.split())
    if not text:
        return
    paper = entries[-1].paper
    label = f"{summary}: " if summary else ""
    paper.note = f"{paper.note}\n{label}{text}" if paper.note else f"{label}{text}"
    paper.listed.setdefault("folded", []).append({"summary": summary, "text": text})


def _same_paper(a: Paper, b: Paper) -> bool:
    if title_key(a.title) and title_key(a.title) == title_key(b.title):
        return True
    return any(a.identifiers().get(k) == v for k, v in b.identifiers().items())


def _fill(paper: Paper, other: Paper) -> None:
    """Complete a listed paper from its BibTeX record (the list's own words stay)."""
    for name in ("journal", "year", "volume", "issue", "pages", "pmid", "doi", "pmcid", "arxiv"):
        if not getattr(paper, name) and getattr(other, name):
            setattr(paper, name, getattr(other, name))
    if other.authors and (len(other.authors) > len(paper.authors) or not paper.authors):
        paper.authors, paper.et_al = other.authors, other.et_al
        paper.listed["author_count"] = len(other.authors)
    if not paper.title:
        paper.title = other.title
    if other.citekey and not paper.citekey:
        paper.citekey = other.citekey
    paper.listed["bibtex"] = True


def _paper(found: Found, raw: list[str]) -> Paper:
    year_text = found.year_text or (str(found.year) if found.year else "")
    found.venue = " ".join(found.venue.split()) if found.venue else None
    found.title = " ".join(found.title.split()) if found.title else None
    # A tool's entry names its paper (``SCCA``) but does not title it: the name is kept
    # as the list's name and in the note (searchable), and the title stays empty for
    # ``igbib refresh`` to fill, so no name is ever compared as a title.
    name = found.title if found.title_is_name else None
    paper = Paper(
        title=None if name else found.title,
        authors=found.authors,
        et_al=found.et_al,
        journal=found.venue or None,
        keywords=list(found.keywords),
        source="markdown",
        listed={
            "text": "\n".join(raw),
            "authors": found.authors_text.strip().rstrip(",.;:-–—").strip(),
            "title": "" if name else found.title or "",
            "link": found.link,
            "journal": found.venue or "",
            "year": year_text,
        },
    )
    _count_authors(paper)
    if found.keywords:
        paper.listed["keywords"] = list(found.keywords)
    if found.description:
        paper.listed["description"] = found.description
    if name:
        paper.listed["name"] = name
    note = " - ".join(part for part in (name, found.description) if part)
    paper.note = note or None
    if len(found.paper_links) > 1:  # all its links to the paper: its preprint, its PDF
        paper.listed["paper_links"] = found.paper_links
    if found.other_links:
        paper.listed["links"] = [{"label": o["label"], "url": o["url"]} for o in found.other_links]
    if found.comments:
        paper.listed["comment"] = " ".join(found.comments)
    ids.set_identifiers(paper, links=found.paper_links)
    # the paper's page when the list links one that names no identifier (a publisher's page)
    paper.url = next((u for u in found.paper_links if not ids.ids_from_url(u)), None)
    paper.year = normalize.year(year_text)
    return paper
