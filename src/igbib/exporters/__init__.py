"""Exporters: papers (and, for Markdown, the list's structure) out as text.

Each format is a function ``(papers, options, library) -> str``, found by name in
:data:`FORMATS`. They never write files: :func:`write_atomic` does, so an error
can neither leave a truncated file nor replace a good export with a broken one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass


@dataclass
class Options:
    keep_links: bool = False
    group_by: str | None = None
    abstracts: bool = False
    ascii: bool = False
    key_format: str | None = None
    style: str = "vancouver"
    whole_list: bool = True  # Markdown: the whole document (prose, sections, datasets)


FORMATS = ("md", "bibtex", "biblatex", "csljson", "ris", "csv", "json", "text", "html")


def render(fmt: str, papers, options: Options, library=None) -> str:
    if fmt == "md":
        from igbib.exporters.markdown import export_markdown

        return export_markdown(papers, options, library)
    if fmt in ("bibtex", "biblatex"):
        from igbib.exporters.bibtex import export_bibtex

        return export_bibtex(papers, options, biblatex=fmt == "biblatex")
    if fmt == "csljson":
        from igbib.exporters.csl import export_csljson

        return export_csljson(papers, options)
    if fmt == "ris":
        from igbib.exporters.ris import export_ris

        return export_ris(papers, options)
    if fmt in ("text", "html"):
        from igbib.exporters.formatted import export_html, export_text

        return (export_text if fmt == "text" else export_html)(papers, options)
    if fmt == "json":
        from igbib.exporters.csl import export_json

        return export_json(papers, options)
    if fmt == "csv":
        from igbib.exporters.csl import export_csv

        return export_csv(papers, options)
    from igbib.errors import IgbibError

    raise IgbibError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: temp file, fsync, rename."""
    from igbib.errors import IgbibError

    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".igbib-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise IgbibError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if os.path.exists(path):
            os.chmod(temp, os.stat(path).st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise IgbibError(f"cannot write {path}: {exc.strerror}; it was not changed") from None
        raise
