"""The library's schema, as an append-only list of migrations.

The schema version is SQLite's ``PRAGMA user_version``: migration ``N`` brings a
library from version ``N - 1`` to ``N``, in the same transaction that records
the new version, so a crash leaves the old version intact. Merged migrations are
never edited; a change to the schema is a new function appended to
``MIGRATIONS``.
"""

from __future__ import annotations

import sqlite3


def m001_tables(conn: sqlite3.Connection) -> None:
    """Papers, tags, the list's sections and placements, datasets and prose."""
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    db["papers"].create(
        {
            "id": int,
            "citekey": str,
            "entry_type": str,
            "title": str,
            "authors": str,  # JSON list of {"family", "given"} or {"literal"}
            "et_al": int,  # 1 when the author list is known to be incomplete
            "journal": str,
            "year": int,
            "month": int,
            "volume": str,
            "issue": str,
            "pages": str,
            "pmid": str,
            "doi": str,
            "pmcid": str,
            "arxiv": str,
            "url": str,
            "abstract": str,
            "keywords": str,  # JSON list
            "mesh": str,  # JSON list
            "pub_types": str,  # JSON list
            "language": str,
            "publisher": str,
            "note": str,
            "extra": str,  # JSON object: fields igbib keeps but does not model
            "source": str,  # markdown, bibtex, pubmed, crossref, ...
            "added": str,
            "updated": str,
            "flags": str,  # JSON list of {"code", "reason"}
            "listed": str,  # JSON: the entry as the Markdown list wrote it
        },
        pk="id",
        not_null={"citekey", "entry_type", "authors", "et_al", "source", "added", "updated"},
        defaults={
            "entry_type": "article",
            "authors": "[]",
            "et_al": 0,
            "keywords": "[]",
            "mesh": "[]",
            "pub_types": "[]",
            "extra": "{}",
            "flags": "[]",
        },
    )
    db["papers"].create_index(["citekey"], unique=True)
    for column in ("pmid", "doi", "pmcid", "arxiv"):
        # Partial: most papers lack some identifier, and empty entries cost inserts.
        db.execute(
            f"CREATE INDEX idx_papers_{column} ON papers({column}) WHERE {column} IS NOT NULL"
        )
    db["papers"].create_index(["year"])

    db["tags"].create({"id": int, "name": str}, pk="id", not_null={"name"})
    db.execute("CREATE UNIQUE INDEX idx_tags_name ON tags(name COLLATE NOCASE)")
    db["paper_tags"].create(
        {"paper_id": int, "tag_id": int},
        pk=("paper_id", "tag_id"),
        foreign_keys=[("paper_id", "papers", "id"), ("tag_id", "tags", "id")],
    )
    db["paper_tags"].create_index(["tag_id"])

    # style: "heading:N" (a Markdown heading of level N), "bullet:N" (a list item
    # at indent N), or "none" (papers that stood under no heading).
    db["sections"].create(
        {"id": int, "name": str, "position": int, "style": str},
        pk="id",
        not_null={"name", "position", "style"},
    )
    db["sections"].create_index(["name"], unique=True)
    db["placements"].create(
        {"paper_id": int, "section_id": int, "position": int},
        pk=("paper_id", "section_id"),
        foreign_keys=[("paper_id", "papers", "id"), ("section_id", "sections", "id")],
    )
    db["placements"].create_index(["section_id", "position"])

    db["datasets"].create(
        {"id": int, "position": int, "name": str, "url": str, "description": str, "line": str},
        pk="id",
    )
    # The list as a document: prose blocks, section slots and the datasets slot, in order.
    db["document"].create(
        {"position": int, "kind": str, "text": str, "section_id": int},
        pk="position",
        not_null={"kind"},
    )
    db["meta"].create({"key": str, "value": str}, pk="key")


_FTS_COLUMNS = "rowid, title, authors, journal, abstract, keywords, note"


def _fts_values(row: str) -> str:
    """The FTS columns of the ``papers`` row called ``row``, JSON lists flattened."""
    authors = (
        "(SELECT group_concat(coalesce(json_extract(value, '$.literal'),"
        " trim(coalesce(json_extract(value, '$.given'), '') || ' ' ||"
        f" coalesce(json_extract(value, '$.family'), ''))), '; ') FROM json_each({row}.authors))"
    )
    keywords = (
        "(SELECT group_concat(value, '; ') FROM"
        f" (SELECT value FROM json_each({row}.keywords)"
        f" UNION ALL SELECT value FROM json_each({row}.mesh)))"
    )
    return (
        f"{row}.id, {row}.title, {authors}, {row}.journal, {row}.abstract, {keywords}, {row}.note"
    )


_FTS_INSERT = f"INSERT INTO papers_fts({_FTS_COLUMNS}) SELECT {_fts_values('new')};"


def m002_fts(conn: sqlite3.Connection) -> None:
    """Full-text index over title, authors, journal, abstract, keywords/MeSH and note.

    A plain FTS5 table (not external content) because the authors and keywords
    are JSON in ``papers``: the triggers flatten them to text. Diacritics are
    folded (``muller`` finds ``Müller``) and words stemmed
    (``glioblastoma`` finds ``glioblastomas``).
    """
    conn.execute(
        "CREATE VIRTUAL TABLE papers_fts USING fts5("
        "title, authors, journal, abstract, keywords, note,"
        " tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    conn.execute(f"CREATE TRIGGER papers_fts_ai AFTER INSERT ON papers BEGIN {_FTS_INSERT} END")
    conn.execute(
        "CREATE TRIGGER papers_fts_ad AFTER DELETE ON papers BEGIN"
        " DELETE FROM papers_fts WHERE rowid = old.id; END"
    )
    conn.execute(
        "CREATE TRIGGER papers_fts_au AFTER UPDATE OF"
        " title, authors, journal, abstract, keywords, mesh, note ON papers BEGIN"
        f" DELETE FROM papers_fts WHERE rowid = old.id; {_FTS_INSERT} END"
    )
    # Papers stored before the index existed.
    conn.execute(f"INSERT INTO papers_fts({_FTS_COLUMNS}) SELECT {_fts_values('p')} FROM papers p")


def m003_title_key(conn: sqlite3.Connection) -> None:
    """Each paper's folded title (:func:`igbib.model.title_key`), in an indexed column.

    Matching a record by its title is then an index lookup instead of a read of
    every stored title. SQLite cannot fold a title as Python does, so igbib
    computes the key whenever it writes a title (:mod:`igbib.store.codec`).
    """
    conn.execute("ALTER TABLE papers ADD COLUMN title_key TEXT")
    fold_titles(conn)
    conn.execute(
        "CREATE INDEX idx_papers_title_key ON papers(title_key) WHERE title_key IS NOT NULL"
    )


def fold_titles(conn: sqlite3.Connection) -> None:
    """Set every paper's ``title_key``; record the Unicode version they were folded with.

    The key is computed by a function this connection alone knows, for this
    statement only: no trigger or index of the schema depends on it, so other
    SQLite tools can still read and write the file.
    """
    from igbib.store.codec import TITLE_KEY_UNICODE, UNICODE_VERSION, fold_title

    conn.create_function("igbib_fold_title", 1, fold_title, deterministic=True)
    try:
        conn.execute("UPDATE papers SET title_key = igbib_fold_title(title)")
    finally:
        conn.create_function("igbib_fold_title", 1, None)
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (TITLE_KEY_UNICODE, UNICODE_VERSION),
    )


def m004_seal(conn: sqlite3.Connection) -> None:
    """The stamp of the last write, which igbib also makes the file's modification time:
    while the two agree no other program has written to the file, and opening it for
    writing need not check all of it (see :mod:`igbib.store.connection`). A table of
    its own, apart from the library's content: every write changes it."""
    conn.execute(
        "CREATE TABLE seal (id INTEGER PRIMARY KEY CHECK (id = 1), stamp INTEGER NOT NULL)"
    )


def m005_count_indexes(conn: sqlite3.Connection) -> None:
    """Partial indexes of the flagged papers and of those with no identifier.

    ``igbib info`` counts both; with these the counts read the (few) papers
    concerned instead of the whole table. Their conditions are written exactly
    as :meth:`igbib.store.papers.Papers.counts` writes them, so SQLite uses them.
    """
    conn.execute(f"CREATE INDEX idx_papers_flagged ON papers(id) WHERE {FLAGGED_CONDITION}")
    conn.execute(
        f"CREATE INDEX idx_papers_no_identifier ON papers(id) WHERE {NO_IDENTIFIER_CONDITION}"
    )


#: The conditions of the partial indexes of m005 (the queries must use the same text).
FLAGGED_CONDITION = "flags <> '[]'"
NO_IDENTIFIER_CONDITION = "pmid IS NULL AND pmcid IS NULL AND doi IS NULL AND arxiv IS NULL"


def m006_history(conn: sqlite3.Connection) -> None:
    """The history of changes, citation-key aliases, and each placement's source line.

    ``history`` holds one row per change (a command's writes); ``history_rows`` each
    row of the library's tables that change added, changed or removed (``action``),
    as JSON before (changed, removed) and after (changed). Triggers write them
    (:func:`igbib.store.history.create_triggers`), in the transaction of the change
    itself, while the change is ``open``; writes made outside igbib's changes (a
    migration, another SQLite tool) are not recorded.

    ``aliases``: the citation keys a paper was known by before a merge.
    ``placements.line``: the line of the list file the paper was listed at.
    """
    conn.execute("ALTER TABLE placements ADD COLUMN line INTEGER")
    conn.execute(
        "CREATE TABLE aliases (alias TEXT PRIMARY KEY,"
        " paper_id INTEGER NOT NULL REFERENCES papers(id))"
    )
    conn.execute("CREATE INDEX idx_aliases_paper ON aliases(paper_id)")
    conn.execute(
        "CREATE TABLE history (id INTEGER PRIMARY KEY, at TEXT NOT NULL, command TEXT NOT NULL,"
        " args TEXT NOT NULL DEFAULT '', summary TEXT, undoes TEXT, open INTEGER)"
    )
    conn.execute("CREATE INDEX idx_history_open ON history(open) WHERE open IS NOT NULL")
    conn.execute(
        "CREATE TABLE history_rows (seq INTEGER PRIMARY KEY,"
        " change_id INTEGER NOT NULL REFERENCES history(id),"
        " tbl TEXT NOT NULL, key TEXT NOT NULL, paper_id INTEGER, action TEXT NOT NULL,"
        " old TEXT, new TEXT)"
    )
    conn.execute("CREATE INDEX idx_history_rows_change ON history_rows(change_id)")
    conn.execute("CREATE INDEX idx_history_rows_key ON history_rows(tbl, key)")
    conn.execute(
        "CREATE INDEX idx_history_rows_paper ON history_rows(paper_id) WHERE paper_id IS NOT NULL"
    )
    from igbib.store.history import create_triggers

    create_triggers(conn)


def m007_topics_and_datasets(conn: sqlite3.Connection) -> None:
    """Topic tags from rules, and the registry of public datasets linked to papers.

    ``papers.concepts``: JSON list of the controlled-vocabulary concepts a record
    carries, each ``{"ui", "name", "kind"}`` (kind ``descriptor`` with ``major``, a MeSH
    heading; ``supplementary``, a MeSH supplementary concept such as "IDH1 protein,
    human"; ``chemical``), so topic rules can match MeSH by unique ID.

    ``paper_tags.origin``: ``curator`` (given by hand or imported), ``auto`` (given by
    the topic rules, recomputed when they change), or ``rejected`` (an automatic tag
    a curator took off: kept so the rules never put it back; not shown as a tag).

    ``datasets`` becomes a registry: ``key`` (the collection's short title, such as
    ``TCGA-LUAD``, unique without regard to case), ``dois`` (JSON list, lower-cased),
    ``cancer_type``, ``modalities`` (JSON list), ``subjects``, ``supporting`` (JSON
    list: Genomics, Clinical, ...), ``licence``, ``aliases`` (JSON list), ``catalogue``
    (the id of the bundled catalogue's collection it came from, if any) and
    ``note``. ``paper_datasets`` links papers to datasets, with who made the link
    (``curator`` or ``auto``) and the ``evidence`` an automatic link was made on.
    """
    conn.execute("ALTER TABLE papers ADD COLUMN concepts TEXT NOT NULL DEFAULT '[]'")
    conn.execute("ALTER TABLE paper_tags ADD COLUMN origin TEXT NOT NULL DEFAULT 'curator'")
    conn.execute(
        "CREATE INDEX idx_paper_tags_origin ON paper_tags(origin) WHERE origin <> 'curator'"
    )
    for column, kind in (
        ("key", "TEXT"),
        ("dois", "TEXT NOT NULL DEFAULT '[]'"),
        ("cancer_type", "TEXT"),
        ("modalities", "TEXT NOT NULL DEFAULT '[]'"),
        ("subjects", "INTEGER"),
        ("supporting", "TEXT NOT NULL DEFAULT '[]'"),
        ("licence", "TEXT"),
        ("aliases", "TEXT NOT NULL DEFAULT '[]'"),
        ("catalogue", "TEXT"),
        ("note", "TEXT"),
    ):
        conn.execute(f"ALTER TABLE datasets ADD COLUMN {column} {kind}")
    conn.execute(
        "CREATE UNIQUE INDEX idx_datasets_key ON datasets(key COLLATE NOCASE) WHERE key IS NOT NULL"
    )
    conn.execute(
        "CREATE TABLE paper_datasets (paper_id INTEGER NOT NULL REFERENCES papers(id),"
        " dataset_id INTEGER NOT NULL REFERENCES datasets(id),"
        " origin TEXT NOT NULL DEFAULT 'curator', evidence TEXT,"
        " PRIMARY KEY (paper_id, dataset_id))"
    )
    conn.execute("CREATE INDEX idx_paper_datasets_dataset ON paper_datasets(dataset_id)")
    from igbib.store.history import create_triggers

    create_triggers(conn)  # the new columns and table are recorded too


def m008_discovery_and_screening(conn: sqlite3.Connection) -> None:
    """Candidates found by watches and related-paper links, their screening, and the
    record of every search, for the PRISMA flow.

    ``watches``: saved PubMed searches; ``watermark`` is the Entrez date (``YYYY/MM/DD``)
    a run reached, NULL before the first run (which records a ``baseline``: how many
    papers matched then); ``seen``: JSON list of the PMIDs its runs reported, so a
    paper entered on the watermark's day is not reported twice.

    ``candidates``: papers found but not (yet) in the list, each with its record
    (``record``, a paper as JSON, as complete as the source gave), identifiers for
    matching (``pmid``, ``doi`` normalised, ``title_key``), where it came from
    (``source``: ``watch:NAME``, ``related``, ``suggest``, ``import:FILE``...,
    ``route``: ``database`` or ``other`` as PRISMA counts them), where an inclusion
    places it (``section``, ``tags``), and its ``status`` (``pending``, ``maybe``,
    ``included``, ``excluded``, ``reason``, with ``paper_id`` the library paper an
    inclusion made or matched, ``made`` 1 when the inclusion added that paper). An
    excluded candidate stays: a negative that is never suggested again.

    ``decisions``: every screening decision, appended and never changed (only
    ``undo`` takes one back with the command that made it): ``decision`` include,
    exclude or maybe, ``reason``, ``stage`` (``abstract`` or ``fulltext``),
    ``reviewer``, ``at``, ``origin`` (``screen`` or the file it was imported from).

    ``searches``: each search run (``source``, ``query``, ``at``, how many records it
    gave (``found``), how many were already known (``duplicates``) and how many became
    candidates (``new``)): the identification counts of the flow.
    """
    conn.execute(
        "CREATE TABLE watches (id INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL UNIQUE COLLATE NOCASE, query TEXT NOT NULL,"
        " section TEXT, tags TEXT NOT NULL DEFAULT '[]', created TEXT NOT NULL,"
        " watermark TEXT, baseline INTEGER, last_run TEXT, runs INTEGER NOT NULL DEFAULT 0,"
        " seen TEXT NOT NULL DEFAULT '[]')"
    )
    conn.execute(
        "CREATE TABLE candidates (id INTEGER PRIMARY KEY,"
        " pmid TEXT, doi TEXT, title_key TEXT, record TEXT NOT NULL,"
        " source TEXT NOT NULL, route TEXT NOT NULL DEFAULT 'database'"
        " CHECK (route IN ('database', 'other')),"
        " section TEXT, tags TEXT NOT NULL DEFAULT '[]', added TEXT NOT NULL,"
        " status TEXT NOT NULL DEFAULT 'pending'"
        " CHECK (status IN ('pending', 'maybe', 'included', 'excluded')),"
        " reason TEXT, paper_id INTEGER REFERENCES papers(id), made INTEGER NOT NULL DEFAULT 0)"
    )
    conn.execute(
        "CREATE UNIQUE INDEX idx_candidates_pmid ON candidates(pmid) WHERE pmid IS NOT NULL"
    )
    conn.execute("CREATE UNIQUE INDEX idx_candidates_doi ON candidates(doi) WHERE doi IS NOT NULL")
    conn.execute("CREATE INDEX idx_candidates_title ON candidates(title_key)")
    conn.execute("CREATE INDEX idx_candidates_status ON candidates(status)")
    conn.execute(
        "CREATE TABLE decisions (id INTEGER PRIMARY KEY,"
        " candidate_id INTEGER NOT NULL REFERENCES candidates(id),"
        " decision TEXT NOT NULL CHECK (decision IN ('include', 'exclude', 'maybe')),"
        " reason TEXT, stage TEXT NOT NULL DEFAULT 'abstract'"
        " CHECK (stage IN ('abstract', 'fulltext')),"
        " reviewer TEXT NOT NULL, at TEXT NOT NULL, origin TEXT NOT NULL DEFAULT 'screen')"
    )
    conn.execute("CREATE INDEX idx_decisions_candidate ON decisions(candidate_id)")
    conn.execute(
        "CREATE TABLE searches (id INTEGER PRIMARY KEY, source TEXT NOT NULL,"
        " route TEXT NOT NULL DEFAULT 'database' CHECK (route IN ('database', 'other')),"
        " query TEXT, at TEXT NOT NULL, found INTEGER NOT NULL DEFAULT 0,"
        " duplicates INTEGER NOT NULL DEFAULT 0, new INTEGER NOT NULL DEFAULT 0)"
    )
    from igbib.store.history import create_triggers

    create_triggers(conn)  # the new tables are recorded too


MIGRATIONS = (
    m001_tables,
    m002_fts,
    m003_title_key,
    m004_seal,
    m005_count_indexes,
    m006_history,
    m007_topics_and_datasets,
    m008_discovery_and_screening,
)
CURRENT_VERSION = len(MIGRATIONS)
#: The first schema version with the ``seal`` table.
SEALED_FROM = MIGRATIONS.index(m004_seal) + 1


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every pending migration; return the names of those applied.

    The caller holds no transaction; each migration runs in its own
    ``BEGIN IMMEDIATE`` so that two processes opening an old library at once
    migrate it once.
    """
    applied = []
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= CURRENT_VERSION:
                conn.execute("COMMIT")
                return applied
            step = MIGRATIONS[version]
            step(conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
            applied.append(step.__name__)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
