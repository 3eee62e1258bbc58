"""HTML blocks in a Markdown list: tables and folded ``<details>`` parts, read with a real parser.

:func:`read_block` reads one HTML block (as markdown-it hands it over) with
:class:`html.parser.HTMLParser`, which never fails on broken markup (an unclosed
``<details>``, a stray ``</td>``), and returns its table rows and its loose text,
each as a :class:`~.inline.Run` with the line it starts on. Cell text is read
as Markdown inline content too (``<td>[Title](link)</td>`` is a link), and the
rows of a ``rowspan`` cell are given its content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from igbib.importers.lists.inline import Link, Run, parse_inline

_BLOCK_BREAKS = {"p", "div", "br", "li", "ul", "ol", "summary", "details", "h1", "h2", "h3", "h4"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class Cell:
    run: Run
    header: bool = False
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Row:
    line: int  # within the block, 0 = its first line
    cells: list[Cell] = field(default_factory=list)


@dataclass
class HtmlBlock:
    tables: list[list[Row]] = field(default_factory=list)
    #: (line within the block, run): text outside tables, one run per paragraph-like part
    texts: list[tuple[int, Run]] = field(default_factory=list)
    #: (line within the block, text, level): headings written in HTML
    headings: list[tuple[int, str, int]] = field(default_factory=list)
    #: all of it in document order: ``("heading", line, text, level)``,
    #: ``("table", line, rows)``, ``("text", line, run)``
    events: list[tuple] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.block = HtmlBlock()
        self.table_depth = 0
        self.row: Row | None = None
        self.cell: tuple[Cell, list] | None = None
        self.text: list = []  # pieces of the current loose text: str or ("a", href) / ("/a",)
        self.text_line = 0
        self.heading: tuple[int, int, list] | None = None
        self.bold = 0

    # pieces are strings, or ("link", href, text-pieces) markers resolved in _run
    def _sink(self) -> list:
        if self.cell is not None:
            return self.cell[1]
        return self.text

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table_depth += 1
            if self.table_depth == 1:
                self._flush_text()
                self.block.tables.append([])
                self.block.events.append(("table", self.getpos()[0] - 1, self.block.tables[-1]))
        elif tag == "tr" and self.table_depth:
            self._close_cell()  # ``</td>`` and ``</tr>`` may be left out
            self.row = Row(self.getpos()[0] - 1)
            self.block.tables[-1].append(self.row)
        elif tag in ("td", "th") and self.row is not None:
            self._close_cell()
            cell = Cell(Run(), header=tag == "th")
            cell.rowspan = _int(attrs.get("rowspan"))
            cell.colspan = _int(attrs.get("colspan"))
            self.cell = (cell, [])
        elif tag == "a":  # ``<a id="1">`` names a place; only ``<a href>`` links
            self._sink().append(("a", attrs["href"] or "") if "href" in attrs else ("a-",))
        elif tag in ("b", "strong"):
            self._sink().append(("b",))
        elif tag in _HEADINGS and self.cell is None:
            self._flush_text()
            self.heading = (self.getpos()[0] - 1, int(tag[1]), [])
        elif tag in _BLOCK_BREAKS:
            if self.cell is not None:
                self.cell[1].append("\n")
            else:
                self._flush_text()

    def handle_endtag(self, tag):
        if tag == "table" and self.table_depth:
            self.table_depth -= 1
            self._close_cell()
            self.row = None
        elif tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_cell()
            self.row = None
        elif tag == "a":
            self._sink().append(("/a",))
        elif tag in ("b", "strong"):
            self._sink().append(("/b",))
        elif tag in _HEADINGS and self.heading is not None:
            line, level, pieces = self.heading
            text = " ".join("".join(p for p in pieces if isinstance(p, str)).split())
            if text:
                self.block.headings.append((line, text, level))
                self.block.events.append(("heading", line, text, level))
            self.heading = None
        elif tag in _BLOCK_BREAKS and self.cell is None:
            self._flush_text()

    def handle_data(self, data):
        if self.heading is not None:
            self.heading[2].append(data)
            return
        sink = self._sink()
        line = self.getpos()[0] - 1 + _leading_newlines(data)
        if sink is not self.text:  # a cell is one line; loose text keeps its lines
            data = data.replace("\n", " ")
        first = not any(isinstance(p, str) and p.strip() for p in sink)
        if sink is self.text and first and data.strip():
            self.text_line = line
        sink.append(data)

    def _close_cell(self):
        if self.cell is not None and self.row is not None:
            cell, pieces = self.cell
            cell.run = _run(pieces)
            self.row.cells.append(cell)
        self.cell = None

    def _flush_text(self):
        if any(isinstance(p, str) and p.strip() for p in self.text):
            run = _run(self.text)
            self.block.texts.append((self.text_line, run))
            self.block.events.append(("text", self.text_line, run))
        self.text = []

    def close(self):
        super().close()
        self._close_cell()
        self._flush_text()


def _leading_newlines(data: str) -> int:
    stripped = data.lstrip()
    return data[: len(data) - len(stripped)].count("\n")


def _int(value) -> int:
    try:
        return max(1, min(int(value), 100))
    except (TypeError, ValueError):
        return 1


def _run(pieces: list) -> Run:
    """A run from parsed pieces: HTML links become links; text is read as Markdown inline."""
    run = Run()
    buffer: list[str] = []
    link_start: list[tuple[int, str]] = []
    bold_start: list[int] = []

    def flush():
        text = "\n".join(" ".join(line.split()) for line in "".join(buffer).split("\n"))
        buffer.clear()
        if text.strip():
            part = parse_inline(text)
            offset = len(run.text)
            run.text += part.text
            run.links += [
                Link(lk.start + offset, lk.end + offset, lk.href, lk.image, lk.alt)
                for lk in part.links
            ]
            run.bold += [(a + offset, b + offset) for a, b in part.bold]
            run.italic += [(a + offset, b + offset) for a, b in part.italic]

    for piece in pieces:
        if isinstance(piece, str):
            buffer.append(piece)
            continue
        flush()
        if piece[0] in ("a", "a-"):  # ``a-``: an anchor with no href, not a link
            link_start.append((len(run.text), piece[1] if piece[0] == "a" else None))
        elif piece[0] == "/a" and link_start:
            start, href = link_start.pop()
            if href is not None:
                run.links.append(Link(start, len(run.text), href))
        elif piece[0] == "b":
            bold_start.append(len(run.text))
        elif piece[0] == "/b" and bold_start:
            run.bold.append((bold_start.pop(), len(run.text)))
    flush()
    for start, href in link_start:  # ``<a href=…>`` never closed: it runs to the end
        if href is not None:
            run.links.append(Link(start, len(run.text), href))
    # lines: keep newlines as breaks, collapse other whitespace
    text = run.text
    run.breaks = [i + 1 for i, c in enumerate(text) if c == "\n"]
    run.hard = list(run.breaks)
    run.links.sort(key=lambda lk: lk.start)
    return run


def read_block(html: str) -> HtmlBlock:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.block


def grid(rows: list[Row]) -> list[tuple[int, list[Run]]]:
    """Rows as ``(line, runs)`` with ``rowspan``/``colspan`` cells repeated where they span."""
    out: list[tuple[int, list[Run]]] = []
    pending: dict[int, tuple[Run, int]] = {}  # column -> (run, rows left)
    for row in rows:
        runs: list[Run] = []
        cells = iter(row.cells)
        col = 0
        while True:
            if col in pending:
                run, left = pending[col]
                runs.append(run)
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (run, left - 1)
                col += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            for _ in range(cell.colspan):
                runs.append(cell.run)
                if cell.rowspan > 1:
                    pending[col] = (cell.run, cell.rowspan - 1)
                col += 1
        # a short row: the cells still spanning from above keep their columns
        for spanning in sorted(c for c in pending if c >= col):
            runs.extend(Run() for _ in range(spanning - len(runs)))
            run, left = pending[spanning]
            runs.append(run)
            if left <= 1:
                del pending[spanning]
            else:
                pending[spanning] = (run, left - 1)
        out.append((row.line, runs))
    return out
