"""Papers: read them, find them, insert and update them."""

from __future__ import annotations

import sqlite3

from igbib.errors import NotFound
from igbib.model import Paper
from igbib.store import codec
from igbib.store.search import has
from igbib.store.tags import AUTO, SHOWN

_CHUNK = 900  # ids per IN (...): old SQLite builds allow 999 parameters
_BULK = 50  # from this many papers on, insert through a staging table
_TITLE_INDEX = "idx_papers_title_key"  # made by migration m003
_SELECT = "SELECT " + ", ".join(codec.COLUMNS) + " FROM papers"


def match_columns() -> tuple[str, ...]:
    """What duplicate detection (``igbib.ops.match``) needs of a paper: its id, its
    identifiers in :data:`igbib.ids.KINDS` order, title, year, authors and URL."""
    from igbib.ids import KINDS  # not at import: igbib.ids is slow to import

    return ("id", *KINDS, "title", "year", "authors", "url")


def _match_select() -> str:
    return "SELECT " + ", ".join(match_columns()) + " FROM papers"


def now() -> str:
    """The current UTC time, ISO 8601, to the second."""
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _kind(kind: str) -> str:
    """``kind`` if it names an identifier column; it is written into SQL."""
    from igbib.ids import KINDS

    if kind not in KINDS:
        raise ValueError(kind)
    return kind


class Papers:
    """The ``papers`` table. Mixed into :class:`~igbib.store.Library`, which sets ``conn``."""

    conn: sqlite3.Connection
    #: Whether :meth:`check_title_keys` has run on this connection.
    title_keys_checked: bool
    #: What writes did to identifiers, until :meth:`take_identifier_changes` takes it.
    identifier_changes: IdentifierChanges

    def _one(self, sql: str, params=()):
        return self.conn.execute(sql, params).fetchone()[0]

    # -- reading ---------------------------------------------------------------
    def count(self) -> int:
        return self._one("SELECT count(*) FROM papers")

    def is_empty(self) -> bool:
        """No paper is stored (the last id, one step into the table; ``count`` reads it all)."""
        return self._one("SELECT max(id) FROM papers") is None

    def counts(self) -> dict:
        """What ``igbib info`` reports, counted with the predicates search uses."""
        one = self._one
        papers = one("SELECT count(*) FROM papers")
        # Every count reads a (partial) index, not the table: papers *with* a PMID or a
        # DOI on the identifiers' indexes, the others on those of migration m005.
        from igbib.store.migrations import FLAGGED_CONDITION, NO_IDENTIFIER_CONDITION

        without_any = one(f"SELECT count(*) FROM papers WHERE {NO_IDENTIFIER_CONDITION}")
        flagged = one(f"SELECT count(*) FROM papers WHERE {FLAGGED_CONDITION}")
        return {
            "papers": papers,
            "sections": one("SELECT count(*) FROM sections"),
            "placements": one("SELECT count(*) FROM placements"),
            "tags": self.shown_tag_count(),
            "datasets": one("SELECT count(*) FROM datasets"),
            "missing_pmid": papers - one(f"SELECT count(*) FROM papers p WHERE {has('pmid')}"),
            "missing_doi": papers - one(f"SELECT count(*) FROM papers p WHERE {has('doi')}"),
            "missing_identifier": without_any,
            "flagged": flagged,
        }

    def get_papers(self, ids: list[int]) -> list[Paper]:
        """The papers with these ids, in this order, with their sections and tags (a
        curator's in ``tags``, the topic rules' in ``auto_tags``; rejected ones in neither)."""
        by_id: dict[int, Paper] = {}
        decode = codec.decode
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"{_SELECT} WHERE id IN ({marks})", chunk):
                by_id[row[0]] = decode(row)
            for paper_id, section, position in self.conn.execute(
                "SELECT pl.paper_id, s.name, pl.position FROM placements pl"
                f" JOIN sections s ON s.id = pl.section_id WHERE pl.paper_id IN ({marks})"
                " ORDER BY s.position",
                chunk,
            ):
                by_id[paper_id].sections.append({"section": section, "position": position})
            for paper_id, tag, origin in self.conn.execute(
                "SELECT pt.paper_id, t.name, pt.origin FROM paper_tags pt"
                f" JOIN tags t ON t.id = pt.tag_id WHERE pt.paper_id IN ({marks})"
                f" AND {SHOWN} ORDER BY t.name",
                chunk,
            ):
                paper = by_id[paper_id]
                (paper.auto_tags if origin == AUTO else paper.tags).append(tag)
        return [by_id[i] for i in ids if i in by_id]

    def paper_ids(self) -> list[int]:
        """Every paper's id, in order."""
        return self._ids("SELECT id FROM papers ORDER BY id", ())

    def get(self, paper_id: int) -> Paper:
        papers = self.get_papers([paper_id])
        if not papers:
            raise NotFound(f"no paper with id {paper_id}")
        return papers[0]

    def resolve(self, ref: str) -> Paper:
        """The paper ``ref`` names: its id, citekey (or a former one, kept as an alias by
        a merge), PMID, PMCID, DOI or arXiv id, bare or as a link, or its link.

        A reference several papers share (a PMID given for two entries) is an
        error listing them, never an arbitrary pick.
        """
        ref = ref.strip()
        if not ref:
            raise NotFound("empty reference")
        ids: list[int] = []
        if ref.isdigit():
            ids = self._ids("SELECT id FROM papers WHERE id = ?", (ref,))
        if not ids:
            ids = self._ids("SELECT id FROM papers WHERE citekey = ?", (ref,))
        if not ids:
            ids = self._ids("SELECT paper_id FROM aliases WHERE alias = ?", (ref,))
        if not ids:
            from igbib.errors import InvalidIdentifier
            from igbib.ids import parse_identifier

            try:
                kind, value = parse_identifier(ref)
            except InvalidIdentifier:
                kind, value = None, None
            if kind:
                ids = self.find_ids(kind, value)
        if not ids and "://" in ref:
            ids = self._ids(
                "SELECT id FROM papers WHERE url = ? OR json_extract(listed, '$.link') = ?"
                " ORDER BY id",
                (ref, ref),
            )
        if not ids:
            raise NotFound(
                f"no paper matches {ref!r} (an id, citation key, PMID, PMCID, DOI, arXiv id"
                " or link)"
            )
        if len(ids) > 1:
            keys = ", ".join(f"{self.citekey_of(i)} (id {i})" for i in ids)
            raise NotFound(f"{ref!r} is shared by {len(ids)} papers: {keys}; name one by id")
        return self.get(ids[0])

    def find_ids(self, kind: str, value: str) -> list[int]:
        """Papers whose ``kind`` identifier (pmid, doi, pmcid, arxiv) is ``value``."""
        return self._ids(f"SELECT id FROM papers WHERE {_kind(kind)} = ? ORDER BY id", (value,))

    def first_with_identifiers(self, identifiers: dict[str, str]) -> int | None:
        """The first paper with any of these ``{kind: value}``, tried in that order."""
        for kind, value in identifiers.items():
            ids = self.find_ids(kind, value)
            if ids:
                return ids[0]
        return None

    def _ids(self, sql: str, params) -> list[int]:
        return [r[0] for r in self.conn.execute(sql, params)]

    def citekey_of(self, paper_id: int) -> str:
        row = self.conn.execute("SELECT citekey FROM papers WHERE id = ?", (paper_id,)).fetchone()
        return row[0] if row else str(paper_id)

    def has_citekey(self, citekey: str) -> bool:
        """The key is a stored paper's, or a former key kept as an alias: a key once
        given never names another paper."""
        row = self.conn.execute(
            "SELECT 1 FROM papers WHERE citekey = ?"
            " UNION ALL SELECT 1 FROM aliases WHERE alias = ?",
            (citekey, citekey),
        ).fetchone()
        return row is not None

    def taken_citekeys(self, citekeys) -> set[str]:
        """Those of ``citekeys`` that stored papers have, as keys or aliases (index lookups)."""
        citekeys = list(citekeys)
        taken = {
            r[0] for r in self._in("SELECT citekey FROM papers WHERE citekey IN ({})", citekeys)
        }
        taken.update(
            r[0] for r in self._in("SELECT alias FROM aliases WHERE alias IN ({})", citekeys)
        )
        return taken

    # -- aliases: the former citation keys of merged papers ------------------------
    def aliases_of(self, ids) -> dict[int, list[str]]:
        """Paper id -> its aliases, alphabetically (only papers with some)."""
        out: dict[int, list[str]] = {}
        rows = self._in(
            "SELECT paper_id, alias FROM aliases WHERE paper_id IN ({}) ORDER BY alias", ids
        )
        for paper_id, alias in rows:
            out.setdefault(paper_id, []).append(alias)
        return out

    def add_alias(self, paper_id: int, alias: str) -> None:
        """Make ``alias`` (a former key) name ``paper_id``, moving it if another paper had it."""
        self.conn.execute(
            "INSERT INTO aliases (alias, paper_id) VALUES (?, ?)"
            " ON CONFLICT(alias) DO UPDATE SET paper_id = excluded.paper_id",
            (alias, paper_id),
        )

    def remove_alias(self, alias: str) -> None:
        self.conn.execute("DELETE FROM aliases WHERE alias = ?", (alias,))

    def move_aliases(self, from_id: int, to_id: int) -> list[str]:
        """Give ``from_id``'s aliases to ``to_id``; return them."""
        moved = self.aliases_of([from_id]).get(from_id, [])
        self.conn.execute("UPDATE aliases SET paper_id = ? WHERE paper_id = ?", (to_id, from_id))
        return moved

    def _in(self, sql: str, values, after: tuple = ()):
        """The rows of ``sql`` for every one of ``values``, so many a statement: ``sql``'s
        ``{}`` is the ``?`` of a chunk of them, ``after`` its parameters after those."""
        values = list(values)
        for start in range(0, len(values), _CHUNK):
            chunk = values[start : start + _CHUNK]
            yield from self.conn.execute(sql.format(",".join("?" * len(chunk))), [*chunk, *after])

    # -- what duplicate detection needs: rows of match_columns() -------------------
    def match_rows(self):
        """Every paper, in one pass (what lookups must agree with)."""
        return self.conn.execute(_match_select())

    def match_rows_with(self, kind: str, values) -> list[tuple]:
        """The papers whose ``kind`` identifier is one of ``values`` (index lookups)."""
        return list(self._in(f"{_match_select()} WHERE {_kind(kind)} IN ({{}})", values))

    def match_rows_untitled(self, urls) -> list[tuple]:
        """The papers with no title and no identifier whose URL is one of ``urls`` (a scan:
        such papers are few, and only records like them ask)."""
        from igbib.ids import KINDS

        unidentified = " AND ".join(f"{kind} IS NULL" for kind in KINDS)
        sql = f"{_match_select()} WHERE title IS NULL AND {unidentified} AND url IN ({{}})"
        return list(self._in(sql, urls))

    def match_rows_titled(self, keys) -> list[tuple]:
        """The papers whose :func:`~igbib.model.title_key` is one of ``keys`` (index lookups
        in the ``title_key`` column, see :mod:`~igbib.store.codec`)."""
        self.check_title_keys()
        return list(self._in(f"{_match_select()} WHERE title_key IN ({{}})", keys))

    def title_keys_current(self) -> bool:
        """Whether the stored title keys were folded with this Python's Unicode data."""
        row = self.conn.execute(
            "SELECT value FROM meta WHERE key = ?", (codec.TITLE_KEY_UNICODE,)
        ).fetchone()
        return row is not None and row[0] == codec.UNICODE_VERSION

    def check_title_keys(self) -> None:
        """Make sure the stored title keys are those this Python folds; fold them all again
        if they were folded under another Unicode version (once per such change).

        Folding (case, accents, what counts as a letter) follows the Unicode
        data of the Python igbib runs on, so a key stored by another Python
        could differ from the one computed now for the same title.
        """
        if self.title_keys_checked:
            return
        if not self.title_keys_current():
            from igbib.store.migrations import fold_titles

            fold_titles(self.conn)
        self.title_keys_checked = True

    # -- what flags need: who else has an identifier -------------------------------
    def identifiers_of(self, ids) -> dict[int, dict[str, str]]:
        """Paper id -> its identifiers ``{kind: value}``, in :data:`igbib.ids.KINDS` order."""
        from igbib.ids import KINDS

        out = {}
        for row in self._in(f"SELECT id, {', '.join(KINDS)} FROM papers WHERE id IN ({{}})", ids):
            out[row[0]] = {k: v for k, v in zip(KINDS, row[1:], strict=True) if v}
        return out

    def shared_identifiers(self, kind: str, values) -> dict[str, list[tuple[int, str, str]]]:
        """Those of ``values`` that are the ``kind`` identifier of several papers ->
        ``(id, citekey, title)`` of each of those papers, by id. Lookups in the identifier
        index; only the rows of the papers sharing one are read."""
        kind = _kind(kind)
        found = [
            row[0]
            for row in self._in(
                f"SELECT {kind} FROM papers WHERE {kind} IN ({{}}) GROUP BY {kind}"
                " HAVING count(*) > 1",
                values,
            )
        ]
        rows = self._in(
            f"SELECT {kind}, id, citekey, title FROM papers WHERE {kind} IN ({{}})", found
        )
        out: dict[str, list] = {}
        for value, *holder in sorted(rows, key=lambda row: row[1]):
            out.setdefault(value, []).append(tuple(holder))
        return out

    def take_identifier_changes(self) -> IdentifierChanges:
        """What the writes since the last call did to identifiers (and start anew)."""
        changes, self.identifier_changes = self.identifier_changes, IdentifierChanges()
        return changes

    # -- writing (inside Library.transaction) ----------------------------------
    def insert_papers(self, papers: list[Paper]) -> list[int]:
        """Store new papers (their citekeys must be unique); return their ids, also set on them.

        Many papers go in through a staging table and one ``INSERT ... SELECT``:
        the full-text index is then updated in one statement instead of one
        per paper, which makes a large import several times faster. From a batch
        as large as the library on, the title-key index is made again after the
        insert rather than updated a paper at a time.
        """
        from igbib.ids import KINDS

        self.check_title_keys()
        self.identifier_changes.given.update(
            (k, getattr(p, k)) for p in papers for k in KINDS if getattr(p, k)
        )
        columns = ", ".join(("id", *codec.INSERT_COLUMNS))
        build = codec.inserter()
        first = self._next_paper_id()
        rows = [(first + i, *build(p)) for i, p in enumerate(papers)]
        marks = ", ".join("?" * (len(codec.INSERT_COLUMNS) + 1))
        for i, paper in enumerate(papers):
            paper.id = first + i
        if len(papers) < _BULK:
            self.conn.executemany(f"INSERT INTO papers ({columns}) VALUES ({marks})", rows)
            return [p.id for p in papers]
        self.conn.execute(f"CREATE TEMP TABLE igbib_staging ({columns})")
        try:
            self.conn.executemany(f"INSERT INTO temp.igbib_staging VALUES ({marks})", rows)
            rebuilt = self._drop_title_index() if len(papers) >= first - 1 else []
            self.conn.execute(
                f"INSERT INTO papers ({columns}) SELECT {columns} FROM temp.igbib_staging"
                " ORDER BY rowid"
            )
            for sql in rebuilt:
                self.conn.execute(sql)
        finally:
            self.conn.execute("DROP TABLE temp.igbib_staging")
        return [p.id for p in papers]

    def _next_paper_id(self) -> int:
        """The id the next new paper gets: above every paper's, those removed included, so
        that an id names one paper in the history for good."""
        return (
            self._one(
                "SELECT max(coalesce((SELECT max(id) FROM papers), 0),"
                " coalesce((SELECT max(paper_id) FROM history_rows WHERE paper_id IS NOT NULL),"
                " 0))"
            )
            + 1
        )

    def _drop_title_index(self) -> list[str]:
        """Drop the title-key index; return the statement that makes it again.

        For a batch as large as the library, making the index again after the
        insert (one sort) is faster than updating it a paper at a time.
        """
        made = self.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (_TITLE_INDEX,)
        ).fetchall()
        if made:
            self.conn.execute(f"DROP INDEX {_TITLE_INDEX}")
        return [sql for (sql,) in made]

    def update_paper(self, paper_id: int, changes: dict) -> None:
        if not changes:
            return
        values = dict(changes)
        values.setdefault("updated", now())
        self._note_identifiers(paper_id, values)
        if "title" in values:
            self.check_title_keys()
            values.update(codec.derived(values))
        assignments = ", ".join(f"{k} = ?" for k in values)
        params = [codec.encode(k, v) for k, v in values.items()]
        self.conn.execute(f"UPDATE papers SET {assignments} WHERE id = ?", [*params, paper_id])

    def citekey_holder(self, citekey: str) -> int | None:
        """The paper ``citekey`` names, as its citation key or as an alias, if any."""
        row = self.conn.execute(
            "SELECT id FROM papers WHERE citekey = ?"
            " UNION ALL SELECT paper_id FROM aliases WHERE alias = ? LIMIT 1",
            (citekey, citekey),
        ).fetchone()
        return row[0] if row else None

    def delete_papers(self, ids: list[int]) -> None:
        """Remove papers with their placements, tag and dataset links and aliases (tags stay: see
        :meth:`~igbib.store.tags.Tags.delete_unused_tags`)."""
        ids = list(dict.fromkeys(ids))
        held = self.identifiers_of(ids)
        # the papers still holding these identifiers may lose a shared-id flag
        self.identifier_changes.taken.update(
            (kind, value) for identifiers in held.values() for kind, value in identifiers.items()
        )
        for start in range(0, len(ids), _CHUNK):
            # a candidate its inclusion made this paper of stays, as a decision made
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            self.conn.execute(
                f"UPDATE candidates SET paper_id = NULL WHERE paper_id IN ({marks})", chunk
            )
        for table, column in (
            ("placements", "paper_id"),
            ("paper_tags", "paper_id"),
            ("paper_datasets", "paper_id"),
            ("aliases", "paper_id"),
            ("papers", "id"),
        ):
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                self.conn.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)

    def set_flags(self, paper_id: int, flags: list[dict]) -> None:
        self.conn.execute(
            "UPDATE papers SET flags = ? WHERE id = ?", (codec.encode("flags", flags), paper_id)
        )

    def _note_identifiers(self, paper_id: int, values: dict) -> None:
        """Before ``paper_id`` is updated to ``values``: note what that does to identifiers
        (:class:`IdentifierChanges`), if it changes any, or the paper's citekey or title."""
        from igbib.ids import KINDS

        given = {k: values[k] for k in KINDS if k in values}
        if not given and "title" not in values and "citekey" not in values:
            return
        had = self.identifiers_of([paper_id]).get(paper_id, {})
        changes = self.identifier_changes
        changes.given.update(had.items())
        changes.given.update((k, v) for k, v in given.items() if v)
        gone = {(k, v) for k, v in had.items() if k in given and given[k] != v}
        changes.taken.update(gone)
        if gone or any(v and k not in had for k, v in given.items()):
            changes.papers.add(paper_id)


class IdentifierChanges:
    """What writes did to identifiers, for :func:`igbib.ops.flags.refresh_flags`: the
    shared-id flags of the papers they concern may be stale.

    ``given``: ``(kind, value)`` identifiers given to a paper (inserted or updated), or
    held by one whose citekey or title (what a shared-id flag names it by) changed;
    ``taken``: those an update took from a paper; ``papers``: the ids of the papers
    whose identifiers an update changed.
    """

    __slots__ = ("given", "taken", "papers")

    def __init__(self):
        self.given: set[tuple[str, str]] = set()
        self.taken: set[tuple[str, str]] = set()
        self.papers: set[int] = set()
