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


class _Builder:
    """Builds a :class:`Run` piece by piece, keeping the spans' start offsets open."""

    def __init__(self) -> None:
        self.run = Run()
        self.parts: list[str] = []
        self.size = 0
        self.open: dict[str, list] = {"link": [], "bold": [], "italic": []}
        self.images: dict[int, tuple[str, str]] = {}
        self.summary: list[str] | None = None  # the text of an open ``<summary>``
        self.anchors: list[bool] = []  # each open ``<a>``: True when it is a link (has href)

    def put(self, text: str) -> None:
        if text:
            self.parts.append(text)
            self.size += len(text)
            if self.summary is not None:
                self.summary.append(text)

    def newline(self, hard: bool) -> None:
        self.put("\n")
        self.run.breaks.append(self.size)
        if hard:
            self.run.hard.append(self.size)

    def start(self, kind: str, href: str = "") -> None:
        self.open[kind].append((self.size, href) if kind == "link" else self.size)

    def end(self, kind: str) -> None:
        if not self.open[kind]:
            return
        if kind == "link":
            start, href = self.open["link"].pop()
            image, alt = self.images.pop(start, ("", ""))
            self.run.links.append(Link(start, self.size, str(href), image, alt))
        else:
            getattr(self.run, kind).append((self.open[kind].pop(), self.size))

    def image(self, src: str, alt: str) -> None:
        if self.open["link"] and self.open["link"][-1][0] == self.size:
            self.images[self.size] = (src, alt)  # the label of the link around it: a badge
            self.put(alt)
        # an image on its own (a figure) says nothing of the entry: its text is left out

    def tag(self, closing: bool, name: str, attributes: str) -> None:
        """An inline HTML tag: links, emphasis, line breaks and folded parts."""
        if name == "a":
            h = None if closing else _HREF.search(attributes)
            if closing:
                if self.anchors and self.anchors.pop():
                    self.end("link")
            else:  # ``<a id="1">`` names a place; only ``<a href>`` links
                self.anchors.append(h is not None)
                if h is not None:
                    self.start("link", next((g for g in h.groups() if g is not None), ""))
        elif name == "br":
            self.newline(hard=True)
        elif name in _BOLD_TAGS or name in _ITALIC_TAGS:
            kind = "bold" if name in _BOLD_TAGS else "italic"
            self.end(kind) if closing else self.start(kind)
        elif name == "details" and not closing:
            self.run.folds.append((self.size, ""))
        elif name == "summary" and closing and self.summary is not None:
            if self.run.folds:
                self.run.folds[-1] = (self.run.folds[-1][0], "".join(self.summary).strip())
            self.summary = None
        elif name == "summary" and not closing:
            if not self.run.folds or self.run.folds[-1][0] != self.size:
                self.run.folds.append((self.size, ""))
            self.summary = []

    def done(self) -> Run:
        run = self.run
        run.text = "".join(self.parts)
        for start, href in self.open["link"]:  # ``<a href=…>`` never closed: it runs to the end
            run.links.append(Link(start, self.size, str(href)))
        run.links.sort(key=lambda link: link.start)
        return run


_PAIRS = {
    "link_open": ("start", "link"),
    "link_close": ("end", "link"),
    "strong_open": ("start", "bold"),
    "strong_close": ("end", "bold"),
    "em_open": ("start", "italic"),
    "em_close": ("end", "italic"),
}


def from_tokens(children) -> Run:
    """A :class:`Run` from the children of a markdown-it ``inline`` token."""
    build = _Builder()
    for tok in children or ():
        kind = tok.type
        if kind in ("text", "code_inline"):
            build.put(tok.content)
        elif kind in ("softbreak", "hardbreak"):
            build.newline(hard=kind == "hardbreak")
        elif kind in _PAIRS:
            action, what = _PAIRS[kind]
            if action == "start":
                build.start(what, str(tok.attrs.get("href", "") or ""))
            else:
                build.end(what)
        elif kind == "image":
            build.image(str(tok.attrs.get("src", "") or ""), tok.content or "")
        elif kind == "html_inline" and tok.content.startswith("<!--"):
            build.run.comments.append(tok.content[4:].removesuffix("-->").strip())
        elif kind == "html_inline":
            for m in _TAG.finditer(tok.content):
                build.tag(m.group(1) == "/", m.group(2).lower(), m.group(3))
    return build.done()


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
