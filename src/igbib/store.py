"""The library: one SQLite file, opened safely, read and written here.

Opening checks the file before anything is written to it: a file that is not
SQLite, a SQLite database that is not an igbib library, a corrupt file or one
written by a newer igbib is refused with :class:`~igbib.errors.LibraryError`.
Read-only opens use SQLite's ``mode=ro``, so ``search``, ``list``, ``show``,
``info`` and ``export`` can never create or change a library. Writers use WAL,
a busy timeout and ``BEGIN IMMEDIATE`` transactions, so two igbib processes
writing at once wait for each other instead of losing writes.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager

from igbib.errors import LibraryError, NotFound
from igbib.migrations import CURRENT_VERSION
from igbib.model import FIELDS, Paper

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000
_JSON_LISTS = ("authors", "keywords", "mesh", "pub_types", "flags")
_EMPTY_JSON = {**{c: "[]" for c in _JSON_LISTS}, "extra": "{}", "listed": None}
_JSON_COLUMNS = frozenset(_EMPTY_JSON)
_COLUMNS = tuple(f for f in FIELDS if f not in ("sections", "tags"))
_CHUNK = 900  # ids per IN (...): old SQLite builds allow 999 parameters
_INSERT_COLUMNS = tuple(c for c in _COLUMNS if c != "id")
_BULK = 50  # from this many papers on, insert through a staging table
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_SELECT = "SELECT " + ", ".join(_COLUMNS) + " FROM papers"


def now() -> str:
    """The current UTC time, ISO 8601, to the second."""
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _dumps(value) -> str:
    return _JSON.encode(value)


class Library:
    """An open igbib library. Use :meth:`open`; close it (or use ``with``)."""

    def __init__(self, path: str, conn: sqlite3.Connection, writable: bool):
        self.path = path
        self.conn = conn
        self.writable = writable

    # -- opening ---------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike, *, write: bool = False) -> Library:
        """Open the library at ``path``.

        ``write=False`` never creates the file and never writes to it, except to
        apply pending schema migrations to an older library. ``write=True``
        creates the file (and its folder) when it does not exist yet.
        """
        path = os.fspath(path)
        exists = os.path.exists(path)
        if exists and not os.path.isfile(path):
            raise LibraryError(f"{path} is not a file")
        if not exists and not write:
            raise LibraryError(
                f"no igbib library at {path} (create one with 'igbib import FILE', "
                "or choose one with --db or IGBIB_DB)"
            )
        if exists:
            _check_header(path)
        else:
            folder = os.path.dirname(os.path.abspath(path))
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError as exc:
                raise LibraryError(f"cannot create {folder}: {exc.strerror}") from exc
        try:
            conn = _connect(path, write)
            version = _version(conn, path)
            if version < CURRENT_VERSION and not write:
                conn.close()
                conn = _connect(path, True)
                version = _version(conn, path)
            if version < CURRENT_VERSION or write:
                if exists and version > 0:
                    _check_integrity(conn, path)
                _prepare_for_writing(conn)
            if version < CURRENT_VERSION:
                from igbib.migrations import migrate

                migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise LibraryError(_describe(exc, path)) from exc
        return cls(path, conn, write)

    @classmethod
    def in_memory(cls) -> Library:
        """An empty library that lives only in memory (for dry runs and tests)."""
        from igbib.migrations import migrate

        conn = sqlite3.connect(":memory:", isolation_level=None)
        migrate(conn)
        return cls(":memory:", conn, True)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self):
        """All of it or none: ``BEGIN IMMEDIATE`` takes the write lock up front."""
        if not self.writable:
            raise LibraryError(f"{self.path} was opened read-only")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    # -- reading ---------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM papers").fetchone()[0]

    def counts(self) -> dict:
        one = self._one
        return {
            "papers": one("SELECT count(*) FROM papers"),
            "sections": one("SELECT count(*) FROM sections"),
            "placements": one("SELECT count(*) FROM placements"),
            "tags": one("SELECT count(*) FROM tags"),
            "datasets": one("SELECT count(*) FROM datasets"),
            "missing_pmid": one("SELECT count(*) FROM papers WHERE pmid IS NULL"),
            "missing_doi": one("SELECT count(*) FROM papers WHERE doi IS NULL"),
            "missing_identifier": one(
                "SELECT count(*) FROM papers WHERE pmid IS NULL AND doi IS NULL"
                " AND pmcid IS NULL AND arxiv IS NULL"
            ),
            "flagged": one("SELECT count(*) FROM papers WHERE flags <> '[]'"),
        }

    def _one(self, sql: str, params=()):
        return self.conn.execute(sql, params).fetchone()[0]

    def get_papers(self, ids: list[int]) -> list[Paper]:
        """The papers with these ids, in this order, with their sections and tags."""
        by_id: dict[int, Paper] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"{_SELECT} WHERE id IN ({marks})", chunk):
                by_id[row[0]] = _paper(row)
            for paper_id, section, position in self.conn.execute(
                "SELECT pl.paper_id, s.name, pl.position FROM placements pl"
                f" JOIN sections s ON s.id = pl.section_id WHERE pl.paper_id IN ({marks})"
                " ORDER BY s.position",
                chunk,
            ):
                by_id[paper_id].sections.append({"section": section, "position": position})
            for paper_id, tag in self.conn.execute(
                "SELECT pt.paper_id, t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id"
                f" WHERE pt.paper_id IN ({marks}) ORDER BY t.name",
                chunk,
            ):
                by_id[paper_id].tags.append(tag)
        return [by_id[i] for i in ids if i in by_id]

    def get(self, paper_id: int) -> Paper:
        papers = self.get_papers([paper_id])
        if not papers:
            raise NotFound(f"no paper with id {paper_id}")
        return papers[0]

    def resolve(self, ref: str) -> Paper:
        """The paper ``ref`` names: its id, citekey, PMID, PMCID, DOI or arXiv id.

        A reference several papers share (a PMID given for two entries) is an
        error listing them, never an arbitrary pick.
        """
        ref = ref.strip()
        if not ref:
            raise NotFound("empty reference")
        ids: list[int] = []
        if ref.isdigit():
            ids = [r[0] for r in self.conn.execute("SELECT id FROM papers WHERE id = ?", (ref,))]
        if not ids:
            ids = [
                r[0] for r in self.conn.execute("SELECT id FROM papers WHERE citekey = ?", (ref,))
            ]
        if not ids:
            from igbib.errors import InvalidIdentifier
            from igbib.ids import parse_identifier

            try:
                kind, value = parse_identifier(ref)
            except InvalidIdentifier:
                kind, value = None, None
            if kind:
                ids = [
                    r[0]
                    for r in self.conn.execute(
                        f"SELECT id FROM papers WHERE {kind} = ? ORDER BY id", (value,)
                    )
                ]
        if not ids:
            raise NotFound(f"no paper matches {ref!r} (an id, citekey, PMID, PMCID or DOI)")
        if len(ids) > 1:
            keys = ", ".join(
                f"{r[1]} (id {r[0]})"
                for r in self.conn.execute(
                    f"SELECT id, citekey FROM papers WHERE id IN ({','.join('?' * len(ids))})", ids
                )
            )
            raise NotFound(f"{ref!r} is shared by {len(ids)} papers: {keys}; name one by id")
        return self.get(ids[0])

    def match_rows(self):
        """What duplicate detection needs of every paper, in one pass."""
        return self.conn.execute(
            "SELECT id, pmid, doi, pmcid, arxiv, title, year, authors FROM papers"
        )

    def citekey_of(self, paper_id: int) -> str:
        row = self.conn.execute("SELECT citekey FROM papers WHERE id = ?", (paper_id,)).fetchone()
        return row[0] if row else str(paper_id)

    def citekeys(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT citekey FROM papers")}

    def sections(self) -> list[dict]:
        return [
            {"id": r[0], "name": r[1], "position": r[2], "style": r[3], "papers": r[4]}
            for r in self.conn.execute(
                "SELECT s.id, s.name, s.position, s.style,"
                " (SELECT count(*) FROM placements p WHERE p.section_id = s.id)"
                " FROM sections s ORDER BY s.position"
            )
        ]

    def placements(self) -> dict[int, list[int]]:
        """Section id -> its paper ids, in curated order."""
        out: dict[int, list[int]] = {}
        for section_id, paper_id in self.conn.execute(
            "SELECT section_id, paper_id FROM placements ORDER BY section_id, position"
        ):
            out.setdefault(section_id, []).append(paper_id)
        return out

    def datasets(self) -> list[dict]:
        cols = ("id", "position", "name", "url", "description", "line")
        return [
            dict(zip(cols, r, strict=True))
            for r in self.conn.execute(f"SELECT {', '.join(cols)} FROM datasets ORDER BY position")
        ]

    def document(self) -> list[dict]:
        cols = ("position", "kind", "text", "section_id")
        return [
            dict(zip(cols, r, strict=True))
            for r in self.conn.execute(f"SELECT {', '.join(cols)} FROM document ORDER BY position")
        ]

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # -- writing (inside :meth:`transaction`) -----------------------------------
    def insert_papers(self, papers: list[Paper]) -> list[int]:
        """Store new papers (their citekeys must be unique); return their ids, also set on them.

        Many papers go in through a staging table and one ``INSERT ... SELECT``:
        the full-text index is then updated in one statement instead of one
        per paper, which makes a large import several times faster.
        """
        columns = ", ".join(_INSERT_COLUMNS)
        rows = [_insert_row(p) for p in papers]
        marks = ", ".join("?" * len(_INSERT_COLUMNS))
        if len(papers) < _BULK:
            for paper, row in zip(papers, rows, strict=True):
                cursor = self.conn.execute(f"INSERT INTO papers ({columns}) VALUES ({marks})", row)
                paper.id = cursor.lastrowid
            return [p.id for p in papers]
        self.conn.execute(f"CREATE TEMP TABLE igbib_staging ({columns})")
        try:
            self.conn.executemany(f"INSERT INTO temp.igbib_staging VALUES ({marks})", rows)
            last = self._one("SELECT coalesce(max(id), 0) FROM papers")
            self.conn.execute(
                f"INSERT INTO papers ({columns}) SELECT {columns} FROM temp.igbib_staging"
                " ORDER BY rowid"
            )
        finally:
            self.conn.execute("DROP TABLE temp.igbib_staging")
        ids = dict(self.conn.execute("SELECT citekey, id FROM papers WHERE id > ?", (last,)))
        for paper in papers:
            paper.id = ids[paper.citekey]
        return [p.id for p in papers]

    def update_paper(self, paper_id: int, changes: dict) -> None:
        if not changes:
            return
        values = dict(changes)
        values.setdefault("updated", now())
        assignments = ", ".join(f"{k} = ?" for k in values)
        params = [_encode(k, v) for k, v in values.items()]
        self.conn.execute(f"UPDATE papers SET {assignments} WHERE id = ?", [*params, paper_id])

    def set_flags(self, paper_id: int, flags: list[dict]) -> None:
        self.conn.execute("UPDATE papers SET flags = ? WHERE id = ?", (_dumps(flags), paper_id))

    def shared_identifiers(self, kind: str) -> dict[str, list[tuple[int, str, str]]]:
        """Identifier value -> ``(id, citekey, title)`` of every paper sharing it."""
        out: dict[str, list] = {}
        for value, paper_id, citekey, title in self.conn.execute(
            f"SELECT {kind}, id, citekey, title FROM papers WHERE {kind} IN"
            f" (SELECT {kind} FROM papers WHERE {kind} IS NOT NULL"
            f" GROUP BY {kind} HAVING count(*) > 1) ORDER BY id"
        ):
            out.setdefault(value, []).append((paper_id, citekey, title))
        return out

    def flagged_ids(self, code: str) -> list[int]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT p.id FROM papers p, json_each(p.flags) f"
                " WHERE json_extract(f.value, '$.code') = ?",
                (code,),
            )
        ]

    def ensure_section(self, name: str, style: str) -> int:
        row = self.conn.execute("SELECT id FROM sections WHERE name = ?", (name,)).fetchone()
        if row:
            self.conn.execute("UPDATE sections SET style = ? WHERE id = ?", (style, row[0]))
            return row[0]
        position = self._one("SELECT coalesce(max(position), 0) + 1 FROM sections")
        cursor = self.conn.execute(
            "INSERT INTO sections (name, position, style) VALUES (?, ?, ?)",
            (name, position, style),
        )
        return cursor.lastrowid

    def order_sections(self, section_ids: list[int]) -> None:
        """Put these sections first, in this order; the others keep theirs after them."""
        rest = [
            r[0]
            for r in self.conn.execute("SELECT id FROM sections ORDER BY position")
            if r[0] not in set(section_ids)
        ]
        for position, section_id in enumerate([*section_ids, *rest], start=1):
            self.conn.execute(
                "UPDATE sections SET position = ? WHERE id = ?", (position, section_id)
            )

    def set_placements(self, section_id: int, paper_ids: list[int]) -> None:
        self.conn.execute("DELETE FROM placements WHERE section_id = ?", (section_id,))
        self.conn.executemany(
            "INSERT INTO placements (paper_id, section_id, position) VALUES (?, ?, ?)",
            [(pid, section_id, pos) for pos, pid in enumerate(paper_ids, start=1)],
        )

    def append_placements(self, section_id: int, paper_ids: list[int]) -> None:
        """List these papers at the end of a section (those already in it stay where they are)."""
        present = {
            r[0]
            for r in self.conn.execute(
                "SELECT paper_id FROM placements WHERE section_id = ?", (section_id,)
            )
        }
        position = self._one(
            "SELECT coalesce(max(position), 0) FROM placements WHERE section_id = ?", (section_id,)
        )
        for paper_id in dict.fromkeys(paper_ids):
            if paper_id not in present:
                position += 1
                self.conn.execute(
                    "INSERT INTO placements (paper_id, section_id, position) VALUES (?, ?, ?)",
                    (paper_id, section_id, position),
                )

    def add_tags(self, paper_ids: list[int], names: list[str]) -> None:
        for name in names:
            self.conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
            tag_id = self._one("SELECT id FROM tags WHERE name = ? COLLATE NOCASE", (name,))
            self.conn.executemany(
                "INSERT OR IGNORE INTO paper_tags (paper_id, tag_id) VALUES (?, ?)",
                [(pid, tag_id) for pid in dict.fromkeys(paper_ids)],
            )

    def find_ids(self, kind: str, value: str) -> list[int]:
        """Papers whose ``kind`` identifier (pmid, doi, pmcid, arxiv) is ``value``."""
        if kind not in ("pmid", "doi", "pmcid", "arxiv"):
            raise ValueError(kind)
        return [
            r[0]
            for r in self.conn.execute(
                f"SELECT id FROM papers WHERE {kind} = ? ORDER BY id", (value,)
            )
        ]

    def replace_document(self, blocks: list[dict], datasets: list[dict]) -> None:
        self.conn.execute("DELETE FROM document")
        self.conn.executemany(
            "INSERT INTO document (position, kind, text, section_id) VALUES (?, ?, ?, ?)",
            [
                (pos, b["kind"], b.get("text"), b.get("section_id"))
                for pos, b in enumerate(blocks, start=1)
            ],
        )
        self.conn.execute("DELETE FROM datasets")
        self.conn.executemany(
            "INSERT INTO datasets (position, name, url, description, line) VALUES (?, ?, ?, ?, ?)",
            [
                (pos, d.get("name"), d.get("url"), d.get("description"), d.get("line"))
                for pos, d in enumerate(datasets, start=1)
            ],
        )

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def _encode(column: str, value):
    if column in _JSON_COLUMNS:
        if not value:
            return _EMPTY_JSON[column]
        return _JSON.encode(value)
    if column == "et_al":
        return int(bool(value))
    return value


def _make_insert_row():
    """``paper -> tuple`` of its ``_INSERT_COLUMNS`` values, JSON encoded where stored as JSON.

    Generated once, like ``Paper.__init__``: one expression per column is much
    faster for a 100k-paper import than a call per column.
    """
    parts = []
    for column in _INSERT_COLUMNS:
        if column in _JSON_COLUMNS:
            parts.append(f"(encode(p.{column}) if p.{column} else {_EMPTY_JSON[column]!r})")
        elif column == "et_al":
            parts.append("int(bool(p.et_al))")
        else:
            parts.append(f"p.{column}")
    source = "lambda p: (" + ", ".join(parts) + ",)"
    return eval(source, {"encode": _JSON.encode})  # noqa: S307 - fixed source built above


def _paper(row) -> Paper:
    values = dict(zip(_COLUMNS, row, strict=True))
    for name in _JSON_LISTS:
        text = values[name]
        values[name] = json.loads(text) if text and text != "[]" else []  # most lists are empty
    text = values["extra"]
    values["extra"] = json.loads(text) if text and text != "{}" else {}
    values["listed"] = json.loads(values["listed"]) if values["listed"] else None
    values["et_al"] = bool(values["et_al"])
    return Paper(**values)


def _connect(path: str, write: bool) -> sqlite3.Connection:
    if write:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    else:
        conn = sqlite3.connect(
            _read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _prepare_for_writing(conn: sqlite3.Connection) -> None:
    """WAL lets readers go on while one process writes; set only once the file is checked."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


def _read_only_uri(path: str) -> str:
    """A ``file:`` URI opening ``path`` read-only (``%``, ``?`` and ``#`` escaped)."""
    uri = os.path.abspath(path).replace(os.sep, "/")
    for char, escaped in (("%", "%25"), ("?", "%3f"), ("#", "%23")):
        uri = uri.replace(char, escaped)
    if not uri.startswith("/"):
        uri = "/" + uri  # C:/... on Windows
    return f"file:{uri}?mode=ro"


def _version(conn: sqlite3.Connection, path: str) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > CURRENT_VERSION:
        raise LibraryError(
            f"{path} was written by a newer igbib (schema version {version}; this igbib "
            f"knows up to {CURRENT_VERSION}): upgrade igbib to use it"
        )
    if version == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[
            0
        ]
        if tables:
            raise LibraryError(f"{path} is a SQLite database but not an igbib library")
    return version


def _check_header(path: str) -> None:
    try:
        with open(path, "rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise LibraryError(f"cannot read {path}: {exc.strerror}") from exc
    if header and header != SQLITE_HEADER:
        raise LibraryError(f"{path} is not an igbib library (not a SQLite database)")


def _check_integrity(conn: sqlite3.Connection, path: str) -> None:
    """Refuse to write to a damaged file: writing could make it worse."""
    result = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    if result != "ok":
        raise LibraryError(f"{path} is corrupt ({result}); it was not changed")


def _describe(exc: sqlite3.DatabaseError, path: str) -> str:
    message = str(exc)
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return f"{path} is corrupt or not a SQLite database ({message}); it was not changed"
    if "locked" in message or "busy" in message:
        return f"{path} is locked by another program ({message})"
    if "readonly" in message or "unable to open" in message:
        return f"cannot open {path} for writing ({message})"
    return f"{path}: {message}"


_insert_row = _make_insert_row()
