"""A run of Markdown inline content as plain text with its links and emphasis marked.

markdown-it-py parses the inline syntax (links, emphasis, images, code,
escapes, inline HTML); :func:`from_tokens` turns its tokens into a
:class:`Run`: the text a reader sees, and spans over that text for each link,
bold and italic stretch and line break. The entry reader then works on plain
text with positions, never on Markdown syntax, so no pattern of its own can be
fooled by, or be slow on, markup.

Inline HTML that lists use is read too: ``<a href>`` is a link, ``<b>``/``<strong>``
bold, ``<i>``/``<em>`` italic, ``<br>`` a line break, and ``<details>``/``<summary>``
mark where a folded part of an item begins (:attr:`Run.folds`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Link:
    """A link: its label as plain text, its target, and the badge image it shows, if any."""

    start: int
    end: int
    href: str
    image: str = ""  # the image's address when the label is an image (a badge)
    alt: str = ""  # the image's alternative text

    def label(self, run: Run) -> str:
        return run.text[self.start : self.end]


@dataclass
class Run:
    """Inline content as text, with spans (start, end) over that text."""

    text: str = ""
    links: list[Link] = field(default_factory=list)
    bold: list[tuple[int, int]] = field(default_factory=list)
    italic: list[tuple[int, int]] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)  # offsets where a new line starts
    hard: list[int] = field(default_factory=list)  # those of hard breaks (``\\``, ``<br>``)
    #: (offset, summary): where a ``<details>`` part starts, and its summary's text
    folds: list[tuple[int, str]] = field(default_factory=list)
    #: the text of HTML comments (``<!-- check year -->``), which is not shown
    comments: list[str] = field(default_factory=list)

    def slice(self, start: int, end: int) -> Run:
        """The part of the run between two offsets, with its spans cut to fit."""
        out = Run(self.text[start:end])
        for link in self.links:
            if link.start >= start and link.end <= end:
                out.links.append(
                    Link(link.start - start, link.end - start, link.href, link.image, link.alt)
                )
        for name in ("bold", "italic"):
            spans = getattr(out, name)
            for a, b in getattr(self, name):
                a, b = max(a, start), min(b, end)
                if a < b:
                    spans.append((a - start, b - start))
        out.breaks = [b - start for b in self.breaks if start < b < end]
        out.hard = [b - start for b in self.hard if start < b < end]
        return out

    def lines(self) -> list[tuple[int, int]]:
        """The (start, end) of each line the run was written on (split at its breaks)."""
        cuts = [0, *self.breaks, len(self.text)]
        return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if self.text[a:b].strip()]

    def append(self, other: Run, sep: str = "\n") -> None:
        """Add another run after this one, on a new line."""
        if self.text:
            self.text += sep
            self.breaks.append(len(self.text))
            self.hard.append(len(self.text))
        offset = len(self.text)
        self.text += other.text
        for link in other.links:
            self.links.append(
                Link(link.start + offset, link.end + offset, link.href, link.image, link.alt)
            )
        self.bold += [(a + offset, b + offset) for a, b in other.bold]
        self.italic += [(a + offset, b + offset) for a, b in other.italic]
        self.breaks += [b + offset for b in other.breaks]
        self.hard += [b + offset for b in other.hard]
        self.folds += [(o + offset, s) for o, s in other.folds]
        self.comments += other.comments


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_BOLD_TAGS = {"b", "strong"}
_ITALIC_TAGS = {"i", "em"}


def from_tokens(children) -> Run:
    """A :class:`Run` from the children of a markdown-it ``inline`` token."""
    run = Run()
    parts: list[str] = []
    size = 0
    open_links: list[tuple[int, str]] = []
    open_bold: list[int] = []
    open_italic: list[int] = []
    images: dict[int, tuple[str, str]] = {}
    in_summary: int | None = None

    def put(text: str) -> None:
        nonlocal size
        if text:
            parts.append(text)
            size += len(text)

    for tok in children or ():
        kind = tok.type
        if kind == "text" or kind == "code_inline":
            put(tok.content)
        elif kind in ("softbreak", "hardbreak"):
            put("\n")
            run.breaks.append(size)
            if kind == "hardbreak":
                run.hard.append(size)
        elif kind == "link_open":
            open_links.append((size, tok.attrs.get("href", "") or ""))
        elif kind == "link_close":
            if open_links:
                start, href = open_links.pop()
                image, alt = images.pop(start, ("", ""))
                run.links.append(Link(start, size, str(href), image, alt))
        elif kind == "image":
            src = str(tok.attrs.get("src", "") or "")
            alt = tok.content or ""
            if open_links and open_links[-1][0] == size:
                images[size] = (src, alt)
            put(alt)
        elif kind == "strong_open":
            open_bold.append(size)
        elif kind == "strong_close" and open_bold:
            run.bold.append((open_bold.pop(), size))
        elif kind == "em_open":
            open_italic.append(size)
        elif kind == "em_close" and open_italic:
            run.italic.append((open_italic.pop(), size))
        elif kind == "html_inline" and tok.content.startswith("<!--"):
            run.comments.append(tok.content[4:].removesuffix("-->").strip())
        elif kind == "html_inline":
            for m in _TAG.finditer(tok.content):
                closing, name = m.group(1) == "/", m.group(2).lower()
                if name == "a":
                    if closing:
                        if open_links:
                            start, href = open_links.pop()
                            run.links.append(Link(start, size, href))
                    else:
                        h = _HREF.search(m.group(3))
                        href = next((g for g in h.groups() if g is not None), "") if h else ""
                        open_links.append((size, href))
                elif name == "br":
                    put("\n")
                    run.breaks.append(size)
                    run.hard.append(size)
                elif name in _BOLD_TAGS:
                    if closing and open_bold:
                        run.bold.append((open_bold.pop(), size))
                    elif not closing:
                        open_bold.append(size)
                elif name in _ITALIC_TAGS:
                    if closing and open_italic:
                        run.italic.append((open_italic.pop(), size))
                    elif not closing:
                        open_italic.append(size)
                elif name == "details" and not closing:
                    run.folds.append((size, ""))
                elif name == "summary":
                    if closing and in_summary is not None:
                        if run.folds:
                            summary = "".join(parts)[in_summary:size]
                            run.folds[-1] = (run.folds[-1][0], summary.strip())
                        in_summary = None
                    elif not closing:
                        if not run.folds or run.folds[-1][0] != size:
                            run.folds.append((size, ""))
                        in_summary = size
    run.text = "".join(parts)
    for start, href in open_links:  # ``<a href=…>`` never closed: it runs to the end
        run.links.append(Link(start, size, str(href)))
    run.links.sort(key=lambda link: link.start)
    return run


_MD = None


def parser():
    """The one markdown-it parser igbib uses: CommonMark with GFM tables."""
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt

        _MD = MarkdownIt("commonmark", {"html": True}).enable("table")
    return _MD


def parse_inline(text: str) -> Run:
    """A :class:`Run` from Markdown inline text (a table cell, a line of HTML)."""
    tokens = parser().parseInline(text)
    return from_tokens(tokens[0].children if tokens else [])
