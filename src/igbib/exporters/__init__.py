"""Exporters: papers (and, for Markdown, the list's structure) out as text.

:data:`REGISTRY` is the one list of formats: each names the function that
renders it, imported only when used; :func:`render` looks the format up there.
:data:`FORMATS`, :data:`GROUP_BY` and :data:`STYLES` are the choices a command
line offers. Exporters never write files: :func:`write_atomic` does, so an error
can neither leave a truncated file nor replace a good export with a broken one.
"""

from __future__ import annotations

import os
import re
import sys

# Plain classes, not dataclasses: ``dataclasses`` imports ``inspect``, a cost every
# export would pay at start-up.


class Options:
    """How to export; every exporter reads the options that concern it."""

    __slots__ = (
        "keep_links",
        "group_by",
        "abstracts",
        "ascii",
        "key_format",
        "style",
        "whole_list",
        "fragment",
        "warnings",
    )

    def __init__(
        self,
        *,
        keep_links: bool = False,
        group_by: str | None = None,
        abstracts: bool = False,
        ascii: bool = False,
        key_format: str | None = None,
        style: str = "vancouver",  # STYLES[0]
        whole_list: bool = True,  # Markdown: the whole document (prose, sections, datasets)
        fragment: bool = False,  # HTML: the list element alone, not a whole page
    ):
        self.keep_links = keep_links
        self.group_by = group_by
        self.abstracts = abstracts
        self.ascii = ascii
        self.key_format = key_format
        self.style = style
        self.whole_list = whole_list
        self.fragment = fragment
        #: What an exporter could not write as stored, one line each (``citekey: why``):
        #: the command shows them, so no text is ever changed without a word.
        self.warnings: list[str] = []


class Exporter:
    """One export format: ``igbib.exporters.<module>.<function>``.

    ``needs_library``: the function also takes the library (the Markdown list's
    prose and sections). ``keywords``: fixed keyword arguments, as ``(name, value)``.
    """

    __slots__ = ("module", "function", "needs_library", "keywords", "streams")

    def __init__(
        self, module: str, function: str, *, needs_library=False, keywords=(), streams=False
    ):
        self.module = module
        self.function = function
        self.needs_library = needs_library
        self.keywords = keywords
        #: ``function + "_chunks"`` writes the papers a batch at a time (memory stays flat)
        self.streams = streams

    def chunks(self, batches, options: Options, library=None):
        """The text of the papers of ``batches`` (lists of papers), piece by piece."""
        module = f"igbib.exporters.{self.module}"
        __import__(module)
        name = self.function + ("_chunks" if self.streams else "")
        func = getattr(sys.modules[module], name)
        # a format that does not stream needs every paper at once (sorting, sections)
        papers = batches if self.streams else [p for batch in batches for p in batch]
        args = (papers, options, library) if self.needs_library else (papers, options)
        text = func(*args, **dict(self.keywords))
        return text if self.streams else iter([text])


#: The export formats by the name ``-f`` takes, in the order shown to users.
REGISTRY: dict[str, Exporter] = {
    "md": Exporter("markdown", "export_markdown", needs_library=True),
    # the library gives the former keys of merged papers (their ``ids`` field)
    "bibtex": Exporter("bibtex", "export_bibtex", needs_library=True, streams=True),
    "biblatex": Exporter(
        "bibtex",
        "export_bibtex",
        needs_library=True,
        keywords=(("biblatex", True),),
        streams=True,
    ),
    "csljson": Exporter("csl", "export_csljson", streams=True),
    "ris": Exporter("ris", "export_ris", streams=True),
    "csv": Exporter("csl", "export_csv", streams=True),
    "json": Exporter("csl", "export_json", streams=True),
    "text": Exporter("formatted", "export_text"),
    "html": Exporter("formatted", "export_html"),
}
#: The format names, for a command line's choices.
FORMATS = tuple(REGISTRY)
#: What a Markdown export can be grouped by (``Options.group_by``), instead of sections.
GROUP_BY = ("year", "journal", "tag")
#: Short names of the CSL styles journals ask for most -> the CSL style's own name.
#: Any CSL style name, or the path of a ``.csl`` file, works too.
STYLE_ALIASES = {
    "vancouver": "nlm-citation-sequence",
    "nlm": "nlm-citation-sequence",
    "ama": "american-medical-association",
    "apa": "apa",
    "nature": "nature",
    "ieee": "ieee",
    "harvard": "harvard-cite-them-right",
}
#: The short style names, for a command line's choices; the first is the default.
STYLES = tuple(STYLE_ALIASES)


def render(fmt: str, papers, options: Options, library=None) -> str:
    """``papers`` as text in the format named ``fmt`` (one of :data:`FORMATS`)."""
    return "".join(stream(fmt, [papers], options, library))


def stream(fmt: str, batches, options: Options, library=None):
    """The text of the papers of ``batches`` (an iterable of lists of papers), as pieces.

    The formats that can (BibTeX, BibLaTeX, CSL-JSON, RIS, CSV, JSON) write a batch
    at a time, so an export of the whole library holds one batch in memory; the
    others (the Markdown list, reference lists) read every paper first.
    """
    exporter = REGISTRY.get(fmt)
    if exporter is None:
        from igbib.errors import IgbibError

        raise IgbibError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    cleaned = (without_controls(papers, options) for papers in batches)
    return exporter.chunks(cleaned, options, library)


def streams(fmt: str) -> bool:
    """Whether ``fmt`` is written a batch of papers at a time."""
    exporter = REGISTRY.get(fmt)
    return exporter is not None and exporter.streams


# C0 and C1 control characters but tab and line feed (a note or an abstract keeps its lines).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def without_controls(papers, options: Options) -> list:
    """``papers``, with a copy, free of control characters, of each that has any.

    A NUL or an escape character is never part of a title, and no export format
    can carry it (XML and RIS cannot, a terminal or LaTeX would act on it). The
    stored paper is left as it is; each copy is reported in ``options.warnings``.
    """
    out = []
    for paper in papers:
        if not _CONTROLS.search("\n".join(_texts(paper))):
            out.append(paper)
            continue
        values = paper.to_dict()
        fields = [name for name, value in values.items() if _CONTROLS.search(_joined(value))]
        copy = type(paper)(**{name: _clean(value) for name, value in values.items()})
        options.warnings.append(
            f"{paper.citekey}: control characters left out of {', '.join(fields)}"
        )
        out.append(copy)
    return out


def _texts(paper):
    """Every string a paper holds (its fields, authors' names, list items, extra values)."""
    for name in paper.__slots__:
        value = getattr(paper, name)
        if type(value) is str:
            yield value
        elif value and isinstance(value, (list, dict)):
            yield from _strings(value)


def _strings(value):
    for item in value.values() if isinstance(value, dict) else value:
        if type(item) is str:
            yield item
        elif isinstance(item, (list, dict)):
            yield from _strings(item)


def _joined(value) -> str:
    if isinstance(value, str):
        return value
    return "\n".join(_strings(value)) if isinstance(value, (list, dict)) else ""


def _clean(value):
    if isinstance(value, str):
        return _CONTROLS.sub("", value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def write_atomic(path: str, text) -> None:
    """Write ``text`` (UTF-8, or ``bytes`` as they are, or an iterable of strings written
    one after the other) to ``path`` whole or not at all, and say so when it cannot.

    - A regular file, or a new one, is replaced atomically: the text goes to a
      hidden temporary file in the same folder (``.igbib-HOST-PID-XXXX.tmp``),
      is synced to disk, and is renamed over ``path``; the file keeps its
      permissions (and, for root, its owner).
    - A symbolic link is written through: the file at the end of its chain is
      replaced that way in its own folder; the link stays as it was.
    - A special file (``/dev/null``, a terminal, a named pipe) is written
      directly, as a shell's ``>`` would: renaming over it would replace the
      device or pipe with a regular file. A block device (a disk) is refused.

    Any failure (a full disk, ``/dev/full``, a folder that cannot be written)
    raises :class:`~igbib.errors.IgbibError` naming the path; a regular file is
    then as it was. A temporary file left by a process that was killed while it
    wrote (its id names it) is removed by the next write to the same folder.
    """
    import stat

    from igbib.errors import IgbibError

    target = _write_target(path)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise IgbibError(f"cannot write {path}: {_why(exc, target)}") from None
    if mode is None or stat.S_ISREG(mode):
        _replace(target, text, path)
    elif stat.S_ISDIR(mode):
        raise IgbibError(f"cannot write {path}: it is a folder")
    elif stat.S_ISBLK(mode):
        raise IgbibError(f"cannot write {path}: it is a block device (a disk); igbib writes files")
    else:
        _write_directly(target, text, path)


def _why(exc: OSError, target: str) -> str:
    """Why ``target`` cannot be written, in words: a folder on its way that is a file
    is named as the path names it (the system says only "Not a directory")."""
    import errno

    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        folder = os.path.dirname(target)
        while folder:
            if os.path.lexists(folder):
                if not os.path.isdir(folder):
                    return f"{folder} is a file, not a folder"
                break
            if os.path.dirname(folder) == folder:
                break
            folder = os.path.dirname(folder)
    return exc.strerror or str(exc)


def _write_target(path: str) -> str:
    """The file a write to ``path`` changes: ``path``, or the end of its chain of links."""
    from igbib.errors import IgbibError

    if not os.path.islink(path):
        return path
    try:
        os.stat(path)  # follows the chain: a loop fails here
    except FileNotFoundError:
        pass  # a dangling link: the file it names is created
    except OSError as exc:
        raise IgbibError(f"cannot write {path}: {exc.strerror}") from None
    return os.path.realpath(path)


def _write_directly(target: str, text: str | bytes, path: str) -> None:
    """A device or a pipe: written in place, errors reported (``/dev/full``: disk full)."""
    from igbib.errors import IgbibError

    try:
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
        with _open(fd, text) as f:
            _write_all(f, text)
    except OSError as exc:
        raise IgbibError(f"cannot write {path}: {exc.strerror or exc}") from None


def _open(fd: int, text):
    """The file ``fd`` to write ``text`` to: bytes as they are, text as UTF-8."""
    if isinstance(text, bytes):
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding="utf-8", newline="\n")


def _write_all(f, text) -> None:
    if isinstance(text, (str, bytes)):
        f.write(text)
    else:
        for piece in text:
            f.write(piece)


#: Hidden temporary files of :func:`write_atomic`: ``.igbib-HOST-PID-XXXXXXXX.tmp``.
_TEMP_PREFIX = ".igbib-"
_TEMP_SUFFIX = ".tmp"


def _replace(target: str, text: str | bytes, path: str) -> None:
    """A regular file: temporary file, fsync, rename over ``target``."""
    import contextlib
    import tempfile

    from igbib.errors import IgbibError

    folder = os.path.dirname(os.path.abspath(target))
    try:
        os.makedirs(folder, exist_ok=True)
        _remove_stale_temps(folder)
        prefix = f"{_TEMP_PREFIX}{_host()}-{os.getpid()}-"
        fd, temp = tempfile.mkstemp(prefix=prefix, suffix=_TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise IgbibError(f"cannot write {path}: {_why(exc, target)}") from None
    try:
        with _open(fd, text) as f:
            _write_all(f, text)
            f.flush()
            os.fsync(f.fileno())
        _copy_permissions(target, temp)
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise IgbibError(f"cannot write {path}: {exc.strerror}; it was not changed") from None
        raise


def _copy_permissions(target: str, temp: str) -> None:
    """Give the new file the mode (and, where allowed, the owner) of the one it replaces."""
    try:
        old = os.stat(target)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        return
    import contextlib

    os.chmod(temp, old.st_mode & 0o777)
    if hasattr(os, "chown") and (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(OSError):  # only root may give a file away
            os.chown(temp, old.st_uid, old.st_gid)


def _host() -> str:
    """This machine's name, as a temporary file's name can hold it (letters and digits)."""
    import re

    return re.sub("[^A-Za-z0-9]", "", os.uname().nodename if hasattr(os, "uname") else "")[:16]


def _remove_stale_temps(folder: str) -> None:
    """Remove the temporary files of :func:`write_atomic` in ``folder`` left by igbib
    processes of this machine that no longer run (killed while they wrote)."""
    import contextlib
    import re

    pattern = re.compile(
        re.escape(_TEMP_PREFIX) + rf"{re.escape(_host())}-(\d+)-\w+" + re.escape(_TEMP_SUFFIX)
    )
    try:
        names = [n for n in os.listdir(folder) if n.startswith(_TEMP_PREFIX)]
    except OSError:
        return
    for name in names:
        match = pattern.fullmatch(name)
        if match and not _running(int(match.group(1))):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, name))


def _running(pid: int) -> bool:
    """Whether a process with this id runs on this machine (this one does)."""
    if pid == os.getpid() or os.name == "nt":  # Windows: os.kill(pid, 0) would stop it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # another user's process, or one that cannot be asked: left alone
    return True
