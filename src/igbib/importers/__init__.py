"""Importers: a file's text in, a :class:`ParsedFile` out. No database access here.

``read_file`` reads and checks a file (exists, readable, not binary, UTF-8) and
``parse_file`` picks the importer by extension or, failing that, by content.
Applying a parsed file to a library is :mod:`igbib.importing`'s job.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from igbib.errors import ImportFileError
from igbib.model import Paper

FORMATS = ("markdown", "bibtex", "ris", "csljson")
_EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".ris": "ris",
    ".json": "csljson",
    ".csljson": "csljson",
}


@dataclass
class Entry:
    """One record of a file: the paper it describes and where the file lists it."""

    paper: Paper
    line: int
    section: str | None = None


@dataclass
class Section:
    name: str
    style: str  # "heading:N", "bullet:N" or "none"


@dataclass
class ParsedFile:
    """Everything an importer found in a file."""

    format: str
    entries: list[Entry] = field(default_factory=list)
    #: (line, why) of records deliberately not imported (empty placeholders)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    #: (line, why) of records that could not be read (broken BibTeX)
    failed: list[tuple[int, str]] = field(default_factory=list)
    #: Markdown only: the list's sections in order, its prose and datasets
    sections: list[Section] = field(default_factory=list)
    blocks: list[dict] = field(default_factory=list)
    datasets: list[dict] = field(default_factory=list)

    @property
    def is_list(self) -> bool:
        """True when the file is a curated list whose structure igbib keeps."""
        return self.format == "markdown"


def read_text(path: str | Path) -> str:
    """The file's text, or :class:`ImportFileError` saying in one line why not."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path}: is a directory, not a file") from None
    except PermissionError:
        raise ImportFileError(f"{path}: permission denied") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read ({exc.strerror})") from exc
    if b"\x00" in data[:8192]:
        raise ImportFileError(f"{path}: is a binary file, not Markdown or BibTeX")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            f"{path}: is not UTF-8 text (invalid byte at line {line}); convert it to UTF-8 first"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect_format(path: str | Path, text: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    from igbib.importers import bibtex, csljson, markdown, ris

    if ris.looks_like_ris(text):
        return "ris"
    if csljson.looks_like_csljson(text):
        return "csljson"
    if bibtex.looks_like_bibtex(text):
        return "bibtex"
    if markdown.looks_like_awesome_list(text):
        return "markdown"
    raise ImportFileError(
        f"{path}: is not an awesome-list Markdown file, BibTeX, RIS or CSL-JSON (no entries found)"
    )


@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while many objects are made and kept.

    Parsing or importing a large file allocates millions of objects that all
    stay alive; each collector pass scans them all again, which made a 100k-entry
    import almost twice as slow. Reference counting still frees everything.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_file(path: str | Path, format: str | None = None) -> ParsedFile:
    """Read and parse ``path``; ``format`` overrides detection."""
    text = read_text(path)
    fmt = format or detect_format(path, text)
    if fmt == "markdown":
        from igbib.importers.markdown import parse_markdown as parse
    elif fmt == "bibtex":
        from igbib.importers.bibtex import parse_bibtex as parse
    elif fmt == "ris":
        from igbib.importers.ris import parse_ris as parse
    elif fmt == "csljson":
        from igbib.importers.csljson import parse_csljson as parse
    else:
        raise ImportFileError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    try:
        with paused_gc():
            parsed = parse(text)
    except ImportFileError as exc:
        raise ImportFileError(f"{path}: {exc}") from None
    if not parsed.entries and not parsed.skipped and not parsed.failed:
        what = {"markdown": "awesome-list entries", "bibtex": "BibTeX entries"}.get(
            fmt, f"{fmt} records"
        )
        raise ImportFileError(f"{path}: no {what} found; nothing to import")
    return parsed
