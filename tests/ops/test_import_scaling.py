"""Importing costs what the incoming records ask for, not the size of the library,
and finds exactly what comparing every stored paper would."""

import dataclasses
import random
import re
import sqlite3

import pytest
from conftest import FIXTURES, SEED

import igbib.ops.ingest as ingest
from igbib.citekey import base_key, unique_key
from igbib.ids import KINDS, LABELS
from igbib.importers import parse_file
from igbib.importers.bibtex import parse_bibtex
from igbib.importers.markdown import parse_markdown
from igbib.model import Paper, title_key
from igbib.ops import match
from igbib.ops.flags import paper_flags
from igbib.ops.ingest import import_parsed, ingest_papers
from igbib.ops.reports import ADDED, CONFLICT, MERGED, RENAMED
from igbib.ops.rules import merge_changes
from igbib.store import Library, codec, migrations

STAMP = "2024-01-01T00:00:00+00:00"


# -- the reference: how igbib 0.1 matched, keyed and flagged, reading every paper ----------
def find_reading_everything(library, records, report, stamp):
    """Step 1 as igbib 0.1 took it: every stored paper and citekey read, each new paper
    given its key as it is found."""
    matcher = match.Matcher.__new__(match.Matcher)
    matcher.stored, matcher.new = match.Index.of_library(library), match.Index()
    taken = {r[0] for r in library.conn.execute("SELECT citekey FROM papers")}
    new, matched = [], {}
    for record in records:
        paper, row = record.paper, record.row
        row.title = paper.title or ""
        key = title_key(paper.title)
        cand, shared = matcher.find(paper, key)
        if cand is None:
            wanted = paper.citekey
            paper.citekey = unique_key(wanted or base_key(paper), taken)
            taken.add(paper.citekey)
            if wanted and paper.citekey != wanted:
                detail = f"key {wanted!r} is taken; stored as {paper.citekey!r}"
                report.add(ingest._note(RENAMED, row, paper, detail))
            paper.added = paper.updated = stamp
            cand = match.Candidate.new(paper, key)
            matcher.add(cand)
            new.append(record)
            row.status, row.citekey = ADDED, paper.citekey
            for kind, value, other in shared:
                other_key = other.paper.citekey if other.paper else None
                other_key = other_key or library.citekey_of(other.paper_id)
                detail = f"{LABELS[kind]} {value} is also given for {other_key}; both kept, flagged"
                report.add(ingest._note(CONFLICT, row, paper, detail))
        elif cand.paper is not None:
            for name, value in merge_changes(cand.paper, paper, fill_only=True).items():
                setattr(cand.paper, name, value)
            row.status, row.citekey, row.detail = MERGED, cand.paper.citekey, ingest.GIVEN_AGAIN
        else:
            row.paper_id = cand.paper_id
            if cand.paper_id in matched:
                row.status, row.detail = MERGED, ingest.GIVEN_AGAIN
            matched.setdefault(cand.paper_id, []).append(record)
        record.target = cand
    return new, matched


def refresh_every_flag(library, touched):
    """Shared identifiers by GROUP BY over every paper; every shared or flagged paper redone."""
    shared = {}
    for kind in KINDS:
        groups = {}
        for value, pid, key, title in library.conn.execute(
            f"SELECT {kind}, id, citekey, title FROM papers WHERE {kind} IN"
            f" (SELECT {kind} FROM papers WHERE {kind} IS NOT NULL"
            f" GROUP BY {kind} HAVING count(*) > 1) ORDER BY id"
        ):
            groups.setdefault(value, []).append((pid, key, title))
        for value, members in groups.items():
            for pid, _key, _title in members:
                others = [m for m in members if m[0] != pid]
                shared.setdefault(pid, []).append((kind, value, others))
    flagged = {
        r[0]
        for r in library.conn.execute("SELECT id FROM papers WHERE flags LIKE '%\"shared-id\"%'")
    }
    out = {}
    for paper in library.get_papers(sorted(touched | set(shared) | flagged)):
        flags = paper_flags(paper, shared.get(paper.id))
        if flags != paper.flags:
            library.set_flags(paper.id, flags)
        out[paper.id] = flags
    library.take_identifier_changes()
    return out


@pytest.fixture
def reading_everything(monkeypatch):
    """Turn igbib into the reference: it reads every paper to match, key and flag."""

    def apply():
        monkeypatch.setattr(ingest, "_find", find_reading_everything)
        monkeypatch.setattr(ingest, "refresh_flags", refresh_every_flag)

    return apply


def dump(library) -> list:
    tables = ["papers", "sections", "placements", "tags", "paper_tags", "meta"]
    return [list(library.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2")) for t in tables]


def rows(report) -> list[tuple]:
    return [dataclasses.astuple(row) for row in report.rows]


# -- random records that meet each other in every way matching knows -------------------
TITLES = [
    "Deep learning for glioma grading",
    "Deep Learning for Glioma Grading.",
    "Deep learning for glioma gradings",  # a typo away
    "Radiomics of the brain",
    "Radiomics of the bráin",
    "Imaging genetics: a review",
    "Imaging genetics - a review",
    "Another paper entirely",
    None,
]
AUTHORS = [[], [{"family": "Smith", "given": "J"}], [{"family": "Müller", "given": "K"}],
           [{"family": "Muller", "given": "A"}, {"family": "Doe", "given": "B"}],
           [{"literal": "ENIGMA Consortium"}]]  # fmt: skip


def random_paper(rng: random.Random) -> Paper:
    pick = rng.choice
    return Paper(
        title=pick(TITLES),
        authors=[dict(a) for a in pick(AUTHORS)],
        year=pick([2019, 2020, 2020, None]),
        pmid=pick([None, None, "1", "2", "3"]),
        doi=pick([None, None, None, "10.1000/a", "10.1000/b"]),
        arxiv=pick([None, None, None, None, "2001.00001"]),
        citekey=pick([None, None, "smith2020deep", "key", "doe2020deep"]),
        journal=pick([None, "Radiology", "NeuroImage"]),
        source=pick(["bibtex", "pubmed", "crossref", "ris"]),
    )


def as_bibtex(rng: random.Random, paper: Paper, n: int) -> str:
    fields = [f"title = {{{paper.title}}}"] if paper.title else []
    if paper.authors and "family" in paper.authors[0]:
        fields.append("author = {" + " and ".join(a["family"] for a in paper.authors) + "}")
    for name in ("year", "pmid", "doi", "journal"):
        if getattr(paper, name):
            fields.append(f"{name} = {{{getattr(paper, name)}}}")
    key = paper.citekey or rng.choice(["smith2020deep", "key", "doe2020deep", f"k{n}"])
    return f"@article{{{key},\n  " + ",\n  ".join(fields) + "\n}\n"


def run(library, rng: random.Random) -> list:
    """Three imports of random records (a file, papers fetched online, a few more)."""
    reports = []
    for size in (rng.randint(5, 60), rng.randint(1, 40), rng.randint(1, 4)):
        papers = [random_paper(rng) for _ in range(size)]
        if rng.random() < 0.5:
            text = "".join(as_bibtex(rng, p, n) for n, p in enumerate(papers))
            reports.append(rows(import_parsed(library, parse_bibtex(text), "r.bib")))
        else:
            reports.append(rows(ingest_papers(library, papers)))
    return reports


@pytest.mark.parametrize("seed", range(40))
def test_lookups_match_key_and_flag_as_reading_every_paper(seed, monkeypatch, reading_everything):
    monkeypatch.setattr(ingest, "now", lambda: STAMP)
    with Library.in_memory() as library:
        got = run(library, random.Random(seed)), dump(library)
    reading_everything()
    with Library.in_memory() as library:
        expected = run(library, random.Random(seed)), dump(library)
    assert got == expected


@pytest.mark.parametrize("source", [SEED, FIXTURES / "cdl-sample.bib"])
def test_real_files_import_as_reading_every_paper(source, seed_db, monkeypatch, reading_everything):
    monkeypatch.setattr(ingest, "now", lambda: STAMP)
    edited = SEED.read_text().replace("*Neuro-Oncology*, 201\n", "*Neuro-Oncology*, 2016\n")
    results = []
    for reference in (False, True):
        if reference:
            reading_everything()
        with Library.open(seed_db, write=True) as library:
            report = import_parsed(library, parse_file(source), "a", dry_run=True)
            edit = import_parsed(library, parse_markdown(edited), "b", dry_run=True)
            results.append((rows(report), rows(edit)))
    assert results[0] == results[1]


# -- what an import reads ---------------------------------------------------------------
def big_library(path, n=1500) -> None:
    papers = [
        Paper(
            title=f"Paper {i} on {['glioma', 'memory', 'imaging'][i % 3]}",
            authors=[{"family": f"Author{i % 97}"}],
            year=2000 + i % 20,
            doi=f"10.5555/{i}",
            pmid=str(100000 + i) if i % 3 else None,
            source="bibtex",
        )
        for i in range(n)
    ]
    with Library.open(path, write=True) as library:
        ingest_papers(library, papers)


def whole_table_reads(library, statements) -> list[tuple[str, str]]:
    """The statements whose query plan reads all of ``papers`` (or all of one of its indexes)."""
    found = []
    for sql in statements:
        head = sql.lstrip().split(None, 1)[0].upper()
        if head not in ("SELECT", "INSERT", "UPDATE", "DELETE") or "igbib_staging" in sql:
            continue
        for *_, detail in library.conn.execute("EXPLAIN QUERY PLAN " + sql):
            if re.match(r"SCAN (papers|p)\b", detail):
                found.append((sql[:200], detail))
    return found


def test_importing_a_few_records_reads_no_whole_table(tmp_path):
    db = tmp_path / "big.sqlite"
    big_library(db)
    with Library.open(db) as library:
        taken = library.citekey_of(13)
    bib = parse_bibtex(
        "@article{a, title={Paper 16 on Memory!}, author={Author16}, year={2016}}\n"  # by title
        "@article{b, title={Changed title}, doi={10.5555/17}, year={2017}}\n"  # by DOI: conflict
        "@article{c, title={Paper 18 on glioma}, doi={10.5555/18}, year={2018}}\n"  # by DOI
        f"@article{{{taken}, title={{Something new}}, year={{2000}}}}\n"  # a taken key
    )
    with Library.open(db, write=True) as library:
        statements = []
        library.conn.set_trace_callback(statements.append)
        report = import_parsed(library, bib, "few.bib")
        library.conn.set_trace_callback(None)
        assert (len(report.added), len(report.conflicts), len(report.renamed_keys)) == (2, 1, 1)
        assert len(report.unchanged) + len(report.updated) == 2
        assert whole_table_reads(library, statements) == []
        assert whole_table_reads(library, ["SELECT citekey FROM papers"])  # the check works


def test_matching_never_reads_every_paper(seed_library, monkeypatch):
    def everything(self):
        raise AssertionError("matching read every stored paper")

    monkeypatch.setattr(Library, "match_rows", everything)
    report = import_parsed(seed_library, parse_file(FIXTURES / "cdl-sample.bib"), "cdl")
    assert len(report.added) == 54


# -- the title key column -----------------------------------------------------------------
def stored_keys(library) -> dict:
    return dict(library.conn.execute("SELECT title, title_key FROM papers"))


def test_every_written_title_has_its_key(db_path):
    def paper(key, title):
        return Paper(citekey=key, title=title, source="bibtex", added=STAMP, updated=STAMP)

    papers = [paper(f"k{i}", t) for i, t in enumerate(TITLES)]
    many = [paper(f"b{i}", f"Bulk title {i}") for i in range(60)]  # through the staging table
    with Library.open(db_path, write=True) as library:
        with library.transaction():
            library.insert_papers(papers[:3])
            library.insert_papers(papers[3:] + many)
            library.update_paper(papers[0].id, {"title": "Ünïcode Títle, (2nd ed.)"})
            library.update_paper(papers[1].id, {"title": None})
        for title, key in stored_keys(library).items():
            assert key == (title_key(title) or None)
        assert stored_keys(library)["Ünïcode Títle, (2nd ed.)"] == "unicodetitle2nded"


def version_2_library(path) -> None:
    """A library as igbib wrote it before the title key (schema 2)."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.m001_tables(conn)
    migrations.m002_fts(conn)
    conn.execute("PRAGMA user_version = 2")
    conn.execute(
        "INSERT INTO papers (citekey, title, authors, year, source, added, updated)"
        " VALUES ('gevaert2014glioblastoma', 'Glioblastoma Multiforme: Exploratory"
        ' Radiogenomic Analysis\', \'[{"family": "Gevaert", "given": "Olivier"}]\', 2014,'
        " 'markdown', 'x', 'x')"
    )
    conn.close()


@pytest.mark.parametrize("write", [True, False])
def test_a_version_2_library_migrates_and_then_matches_by_title(db_path, write):
    version_2_library(db_path)
    with Library.open(db_path, write=write) as library:  # a read migrates too
        assert library.schema_version == migrations.CURRENT_VERSION
        assert set(stored_keys(library).values()) == {
            "glioblastomamultiformeexploratoryradiogenomicanalysis"
        }
    bib = parse_bibtex(
        "@article{g, author={Gevaert, Olivier}, title={GLIOBLASTOMA multiforme - exploratory"
        " radiogenomic analysis}, year={2014}, doi={10.1148/radiol.14131731}}"
    )
    with Library.open(db_path, write=True) as library:
        report = import_parsed(library, bib, "g.bib")
        assert [r.status for r in report.rows] == ["updated"] and library.count() == 1
        assert library.resolve("10.1148/radiol.14131731").citekey == "gevaert2014glioblastoma"


def test_keys_folded_under_another_unicode_version_are_folded_again(seed_db):
    with Library.open(seed_db, write=True) as library, library.transaction():
        library.conn.execute("UPDATE papers SET title_key = 'stale' WHERE pmid = '24827998'")
        library.conn.execute(
            "UPDATE meta SET value = '1.0' WHERE key = ?", (codec.TITLE_KEY_UNICODE,)
        )
    bib = parse_bibtex(
        "@article{g, author={Gevaert, Olivier}, title={Glioblastoma multiforme: exploratory"
        " radiogenomic analysis by using quantitative image features}, year={2014}}"
    )
    with Library.open(seed_db, write=True) as library:
        report = import_parsed(library, bib, "g.bib")
        assert report.rows[0].status in ("updated", "unchanged")
        assert library.get_meta(codec.TITLE_KEY_UNICODE) == codec.UNICODE_VERSION
        assert "stale" not in stored_keys(library).values()


# -- citation keys --------------------------------------------------------------------------
def test_new_keys_are_made_unique_against_the_stored_ones(db_path):
    with Library.open(db_path, write=True) as library:
        import_parsed(library, parse_bibtex("@article{doe2020deep, title={One}}"), "a")
        import_parsed(library, parse_bibtex("@article{doe2020deepa, title={Two}}"), "b")
        papers = [
            Paper(title=f"Deep {n}", authors=[{"family": "Doe"}], year=2020, source="pubmed")
            for n in ("three", "four")
        ]
        report = ingest_papers(library, papers)
        assert [r.citekey for r in report.added] == ["doe2020deepb", "doe2020deepc"]


def test_a_note_shows_the_title_the_record_had(db_path):
    """A renamed key's note names the paper as its record did, though a later record of
    the same paper gives it a title."""
    with Library.open(db_path, write=True) as library:
        import_parsed(library, parse_bibtex("@article{key, title={Taken}}"), "a")
        bib = parse_bibtex(
            "@article{key, doi={10.1000/x}, year={2020}}\n"
            "@article{other, title={Its title}, doi={10.1000/x}, year={2020}}\n"
        )
        report = import_parsed(library, bib, "b")
        (renamed,) = report.renamed_keys
        assert renamed.citekey == "keya" and renamed.title == ""
        assert library.resolve("keya").title == "Its title"
        assert [r.citekey for r in report.merged] == ["keya"]
