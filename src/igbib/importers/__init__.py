"""Importers: a file's text in, a :class:`ParsedFile` out. No database access here.

``read_text`` reads and checks a file (exists, readable, not binary; UTF-8, or
Unicode with a byte-order mark) and ``parse_file`` picks the importer by
extension or, failing that, by content.
:data:`REGISTRY` is the one list of formats: to add one, write its module (a
``sniff(text)`` and a ``parse(text) -> ParsedFile``) and add a row. Applying a
parsed file to a library is :mod:`igbib.ops.ingest`'s job.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from igbib.errors import ImportFileError
from igbib.model import Paper

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass
class Entry:
    """One record of a file: the paper it describes and where the file lists it."""

    paper: Paper
    line: int
    section: str | None = None


@dataclass
class Section:
    name: str
    #: how the list writes it: "heading:N" (a heading of level N), "under:N" (a heading
    #: kept as the list wrote it; the name is qualified by its parent's),
    #: "bullet:INDENT:MARKER" (an item heading nested entries), "bold" (a bold line), "none"
    style: str


@dataclass
class NotPaper:
    """An item of a list that carries a link but is not read as a paper."""

    line: int
    kind: str  # "software", "dataset", "website", "course", "table of contents", ... "unreadable"
    reason: str
    text: str = ""  # the item's text, shortened


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
    #: Markdown only: the items with a link that are not papers, and why
    others: list[NotPaper] = field(default_factory=list)

    @property
    def is_list(self) -> bool:
        """True when the file is a curated list whose structure igbib keeps."""
        return self.format == "markdown"


@dataclass(frozen=True)
class Format:
    """One file format igbib imports."""

    #: how messages name the format
    label: str
    #: file name endings (lower case) that mean this format
    extensions: tuple[str, ...]
    #: ``sniff(text)``: does a file with another ending hold this format?
    sniff: Callable[[str], bool]
    #: ``parse(text)``: the file's records
    parse: Callable[[str], ParsedFile]


def _lazy(module: str, name: str) -> Callable:
    """``igbib.importers.<module>.<name>``, imported when first called (start-up stays fast)."""

    def call(text: str):
        from importlib import import_module

        return getattr(import_module(f"igbib.importers.{module}"), name)(text)

    call.__name__ = call.__qualname__ = name
    return call


#: The formats igbib imports, by the name ``--format`` takes, in the order shown to users.
REGISTRY: dict[str, Format] = {
    "markdown": Format(
        "awesome-list Markdown",
        (".md", ".markdown", ".mdown"),
        _lazy("markdown", "looks_like_awesome_list"),
        _lazy("markdown", "parse_markdown"),
    ),
    "bibtex": Format(
        "BibTeX",
        (".bib", ".bibtex"),
        _lazy("bibtex", "looks_like_bibtex"),
        _lazy("bibtex", "parse_bibtex"),
    ),
    "ris": Format("RIS", (".ris",), _lazy("ris", "looks_like_ris"), _lazy("ris", "parse_ris")),
    "csljson": Format(
        "CSL-JSON",
        (".json", ".csljson"),
        _lazy("csljson", "looks_like_csljson"),
        _lazy("csljson", "parse_csljson"),
    ),
}
#: The format names, for a command line's choices.
FORMATS = tuple(REGISTRY)
#: The order content detection tries the formats in: the most distinctive signature
#: first, Markdown (any list with a link) last.
DETECTION_ORDER = ("ris", "csljson", "bibtex", "markdown")


def _labels(names=FORMATS) -> str:
    labels = [REGISTRY[name].label for name in names]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


#: Byte-order marks and the encodings they announce, longest first (a UTF-32 LE mark
#: begins with UTF-16 LE's). Windows editors save UTF-16 ("Unicode") with one.
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
#: How much of a file is looked at to tell text from binary.
_SNIFF = 8192


def read_text(path: str | Path) -> str:
    """The file's text, or :class:`ImportFileError` saying in one line why not.

    UTF-8, or UTF-8, UTF-16 or UTF-32 with a byte-order mark. A file whose
    first bytes hold a NUL (and no mark) is binary, and is not read further: a
    device such as ``/dev/zero`` never ends.
    """
    path = Path(path)
    try:
        with open(path, "rb") as f:
            data = f.read(_SNIFF)
            mark, encoding = next(((b, e) for b, e in _BOMS if data.startswith(b)), (b"", None))
            if encoding is None and b"\x00" in data:
                raise ImportFileError(f"{path}: is a binary file, not {_labels()}")
            data += f.read()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path}: is a directory, not a file") from None
    except PermissionError:
        raise ImportFileError(f"{path}: permission denied") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read ({exc.strerror})") from exc
    data = data[len(mark) :]
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(exc.encoding, "replace").count("\n") + 1
        if encoding is None:
            raise ImportFileError(
                f"{path}: is not UTF-8 text (invalid byte at line {line});"
                " convert it to UTF-8 first"
            ) from None
        raise ImportFileError(
            f"{path}: starts with a {encoding.upper()} byte-order mark but is not"
            f" {encoding.upper()} text (invalid bytes at line {line})"
        ) from None
    if "\x00" in text[:_SNIFF]:
        raise ImportFileError(f"{path}: is a binary file, not {_labels()}")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect_format(path: str | Path, text: str) -> str:
    """The format of ``path``: by its ending, else by what ``text`` looks like."""
    suffix = Path(path).suffix.lower()
    for name, fmt in REGISTRY.items():
        if suffix in fmt.extensions:
            return name
    for name in DETECTION_ORDER:
        if REGISTRY[name].sniff(text):
            return name
    raise ImportFileError(f"{path}: is not {_labels(DETECTION_ORDER)} (no entries found)")


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
    name = format or detect_format(path, text)
    if name not in REGISTRY:
        raise ImportFileError(f"unknown format {name!r} (known: {', '.join(FORMATS)})")
    fmt = REGISTRY[name]
    try:
        with paused_gc():
            parsed = fmt.parse(text)
    except ImportFileError as exc:
        raise ImportFileError(f"{path}: {exc}") from None
    if not parsed.entries and not parsed.skipped and not parsed.failed and not parsed.others:
        raise ImportFileError(f"{path}: no {fmt.label} entries found; nothing to import")
    return parsed
