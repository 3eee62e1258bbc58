"""igbib.ops.check: every defect of the seed list found, a clean list passes, fuzzy
duplicates found through blocking, and --fix changes only what loses nothing."""

import json
import sqlite3

from conftest import FIXTURES, SEED, igbib

from igbib.model import Paper
from igbib.ops import check as lint
from igbib.ops.duplicates import Titled, candidate_pairs, likely_duplicates
from igbib.ops.history import undo
from igbib.store import Library

CLEAN_LISTS = (
    FIXTURES / "lists" / "lixiang007666__Awesome-Medical-TTA__README.md",
    FIXTURES / "lists" / "LirongWu__awesome-protein-representation-learning__README.md",
    FIXTURES / "cdl-sample.bib",
)


def repeat_the_dataset(library, times=3):
    """Repeat the seed's dataset as rows of their own (as a library imported before
    identical dataset headings became one dataset holds them)."""
    (dataset,) = library.datasets()
    with library.transaction():
        for _ in range(times):
            library.insert_dataset({k: dataset[k] for k in ("name", "url", "description")})


def by_code(report):
    out = {}
    for finding in report.findings:
        out.setdefault(finding.code, []).append(finding)
    return out


def keys(finding):
    return {p["citekey"] for p in finding.papers}


def test_the_seed_list_gives_every_defect_with_its_line():
    report = lint.check_file(SEED)
    found = by_code(report)
    assert {f.code for f in report.errors} == {
        "shared-id",
        "bad-year",
        "empty-link",
        "duplicate-dataset",
    }
    (shared,) = found["shared-id"]
    assert keys(shared) == {"zhao2016reproducibility", "mccann2016quantitative"}
    assert "PMID 27009765" in shared.message and shared.line == 31
    assert [(f.line, keys(f)) for f in found["bad-year"]] == [(27, {"huradiogenomics"})]
    assert "'201'" in found["bad-year"][0].message
    (empty,) = found["empty-link"]
    assert keys(empty) == {"palaskas201118ffluorodeoxyglucose"} and empty.line == 68
    assert [f.line for f in found["duplicate-dataset"]] == [85, 86, 87]
    assert {k for f in found["no-identifier"] for k in keys(f)} == {
        "lee2017radiomics",
        "palaskas201118ffluorodeoxyglucose",
    }
    # every listed paper with an identifier has authors cut to "et al." in the seed
    assert len(found["et-al"]) == 50
    assert "likely-duplicate" not in found  # similar seed titles are different papers
    assert all(f.file == str(SEED) and f.fix for f in report.findings)
    assert report.problems


def test_the_library_gives_the_same_findings_with_the_lists_lines(seed_library):
    from_file = lint.check_file(SEED)
    report = lint.check_library(seed_library)
    # the file repeats its dataset heading; importing made them one dataset
    in_file, in_library = from_file.counts()["by_code"], report.counts()["by_code"]
    assert in_file.pop("duplicate-dataset") == 3
    assert in_library == in_file
    lines = {(f.code, f.line) for f in report.findings if f.code != "duplicate-dataset"}
    assert lines == {(f.code, f.line) for f in from_file.findings if f.code != "duplicate-dataset"}
    assert {f.file for f in report.findings} == {SEED.name}  # meta list_source, as imported


def test_the_shipped_library_holds_the_seeds_defects():
    with Library.open(SEED.parent.parent / "library.sqlite") as library:
        counts = lint.check_library(library).counts()
    # the list's three repeated dataset headings were made one dataset by the import
    assert counts["errors"] == 3 and counts["by_code"]["shared-id"] == 1
    assert "duplicate-dataset" not in counts["by_code"]


def test_clean_lists_have_no_errors():
    for path in CLEAN_LISTS:
        report = lint.check_file(path)
        assert not report.errors, (path, [f.to_dict() for f in report.errors])
        assert not report.problems


def test_the_seed_without_its_flagged_papers_and_repeated_datasets_is_clean(seed_library, tmp_path):
    with seed_library.transaction():
        seed_library.remove_datasets([d["id"] for d in seed_library.datasets()[1:]])
    path = tmp_path / "clean.md"
    result = igbib("export", "-is:flagged", "-o", path, "--db", seed_library.path)
    assert result.returncode == 0, result
    report = lint.check_file(path)
    assert not report.errors, [f.to_dict() for f in report.errors]


def _real_titles(n=40):
    with Library.open(SEED.parent.parent / "library.sqlite") as library:
        return [p for p in library.get_papers(list(range(1, 53))) if p.title and p.year][:n]


def _library_of(papers):
    library = Library.in_memory()
    with library.transaction():
        library.insert_papers(papers)
    return library


def _variant(paper, suffix, title, year_shift=0):
    return Paper(
        citekey=f"{paper.citekey}{suffix}",
        title=title,
        authors=paper.authors,
        year=paper.year + year_shift,
        journal=paper.journal,
        source="test",
        added=paper.added,
        updated=paper.updated,
    )


def _typo(title):
    i = len(title) // 2
    return title[:i] + title[i + 1] + title[i] + title[i + 2 :]


def test_fuzzy_duplicates_are_found_and_similar_titles_are_not():
    real = _real_titles()
    originals = [_variant(p, "", p.title) for p in real]
    a, b, c, d = real[0], real[5], real[10], real[20]
    variants = [
        _variant(a, "case", a.title.upper(), year_shift=1),
        _variant(b, "punct", b.title.replace(" ", " - ", 1) + ".", year_shift=-1),
        _variant(c, "accent", c.title.replace("e", "é", 2), year_shift=1),
        _variant(d, "typo", _typo(d.title)),
    ]
    report = lint.check_library(_library_of(originals + variants))
    pairs = [keys(f) for f in report.findings if f.code in ("likely-duplicate", "duplicate")]
    for original, variant in zip((a, b, c, d), variants, strict=True):
        assert {original.citekey, variant.citekey} in pairs
    assert len(pairs) == 4  # the seed's other similar titles are not flagged
    typo = next(f for f in report.findings if keys(f) == {d.citekey, variants[3].citekey})
    assert typo.code == "likely-duplicate" and typo.severity == "warning"


def test_a_preprint_and_its_published_version_are_likely_duplicates():
    report = lint.check_file(FIXTURES / "lists" / "HiLab-git__SSL4MIS__README.md")
    pairs = [keys(f) for f in report.findings if f.code == "likely-duplicate"]
    # the arXiv preprints (2020) and the journal papers (2021) the list gives both of
    assert {"luo2021urpc", "luo2020efficient"} in pairs
    assert {"luo2021dtc", "luo2020semisupervised"} in pairs


def test_a_far_year_another_author_or_another_number_is_not_a_duplicate():
    real = _real_titles()
    a = real[3]
    items = [
        Titled(0, a.title, "x", a.year, "hu"),
        Titled(1, a.title, "x", a.year + 3, "hu"),
        Titled(2, a.title, "x", a.year, "smith"),
        Titled(3, a.title + " 2", "x2", a.year, "hu"),
    ]
    assert likely_duplicates(items) == []


def test_blocking_proposes_few_pairs():
    """Candidate pairs grow with the number of titles, not with its square."""
    titles = [p.title for p in _real_titles(52)]
    items = [Titled(i, t, str(i), 2000, "") for i, t in enumerate(titles)]
    assert len(candidate_pairs(items)) < 10 * len(items)


def test_fix_removes_only_repeated_datasets_whitespace_and_noncanonical_ids(seed_library):
    paper = seed_library.resolve("gevaert2014glioblastoma")
    with seed_library.transaction():  # as a hand edit of the file could leave them
        seed_library.update_paper(paper.id, {"title": f"  {paper.title}\n", "pmid": "0024827998"})
    before_papers = {p.id: p.to_dict() for p in seed_library.get_papers(list(range(1, 53)))}
    repeat_the_dataset(seed_library)
    datasets = seed_library.datasets()
    last = seed_library.last_change_id()

    report = lint.check_library(seed_library)
    assert {f.code for f in report.findings if f.fixable} == {
        "duplicate-dataset",
        "whitespace",
        "noncanonical-id",
    }
    done = lint.fix(seed_library, report)
    assert len(done) == 5
    assert seed_library.datasets() == datasets[:1]
    fixed = seed_library.resolve("gevaert2014glioblastoma")
    assert fixed.title == paper.title and fixed.pmid == "24827998"
    for pid, was in before_papers.items():  # nothing else changed
        if pid != paper.id:
            now = seed_library.get(pid).to_dict()
            assert now == was
    after = lint.check_library(seed_library)
    assert not any(f.fixable for f in after.findings)
    assert {f.code for f in after.errors} == {"shared-id", "bad-year", "empty-link"}

    (change,) = [c for c in seed_library.changes() if c.id > last]
    assert change.summary == {"datasets": {"removed": 3}, "papers": {"changed": 1}}
    undo(seed_library)
    assert seed_library.datasets() == datasets
    restored = seed_library.get(paper.id)
    assert restored.title == f"  {paper.title}\n" and restored.pmid == "0024827998"


def test_fix_with_nothing_to_fix_writes_nothing(seed_library):
    with seed_library.transaction():
        seed_library.remove_datasets([d["id"] for d in seed_library.datasets()[1:]])
    last = seed_library.last_change_id()
    assert lint.fix(seed_library, lint.check_library(seed_library)) == []
    assert seed_library.last_change_id() == last


def test_ignored_codes_and_threshold():
    report = lint.check_file(SEED, ignore=["et-al", "duplicate-dataset"])
    assert not {"et-al", "duplicate-dataset"} & set(report.counts()["by_code"])
    assert json.loads(json.dumps(report.to_dict()))["counts"]["errors"] == 3


def test_check_reads_the_library_in_one_statement(seed_library):
    statements = []
    seed_library.conn.set_trace_callback(statements.append)
    lint.check_library(seed_library)
    seed_library.conn.set_trace_callback(None)
    assert sum("FROM papers" in s for s in statements) == 1
    assert isinstance(seed_library.conn, sqlite3.Connection)


def test_a_typo_at_either_end_of_a_title_is_found_without_any_rare_word(monkeypatch):
    """In a large library of one field every word may be too common to block on; the
    two sorted orders (by the title, and by the title read backwards) still pair each
    title with its copy, whether the typo is in its first word or its last."""
    from igbib.importers.bibtex import parse_bibtex
    from igbib.ops import duplicates

    parsed = parse_bibtex((FIXTURES / "load" / "cdl-1000.bib").read_text())
    titles = list(dict.fromkeys(e.paper.title for e in parsed.entries if e.paper.title))
    titles = [t for t in titles if len(t.split()) >= 4]
    items = [Titled(i, t, duplicates.fold(t).lower(), 2000, "") for i, t in enumerate(titles)]
    planted = {}
    for n, i in enumerate(range(0, len(titles), 20)):
        words = titles[i].split()
        at = 0 if n % 2 else -1  # a typo in the first word, or in the last
        word = words[at]
        words[at] = word[1] + word[0] + word[2:] if len(word) > 2 else word + "s"
        copy = " ".join(words)
        planted[len(items)] = i
        items.append(Titled(len(items), copy, duplicates.fold(copy).lower(), 2000, ""))
    monkeypatch.setattr(duplicates, "MAX_BLOCK", 1)  # no word rare enough to block on
    pairs = candidate_pairs(items)
    assert len(pairs) < 9 * len(items)
    missed = [titles[i] for copy, i in planted.items() if (i, copy) not in pairs]
    assert len(planted) >= 40 and missed == []
