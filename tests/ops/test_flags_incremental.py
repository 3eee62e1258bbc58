"""Flags are refreshed for the papers a change touches, found through the identifier
indexes, and end as a recomputation of every paper's flags would leave them."""

import random

import pytest

from igbib.ids import KINDS
from igbib.model import Paper
from igbib.ops.flags import paper_flags, refresh_flags
from igbib.store import Library

STAMP = "2024-01-01T00:00:00+00:00"
#: Identifier values the random papers draw from: few enough to be shared now and then.
VALUES = {
    "pmid": [str(n) for n in range(1, 40)],
    "doi": [f"10.1/{n}" for n in range(30)],
    "pmcid": ["PMC1", "PMC2"],
    "arxiv": [],
}


def expected_flags(library) -> dict[int, list[dict]]:
    """Every paper's flags, recomputed from scratch: shared identifiers by GROUP BY."""
    shared: dict[int, list] = {}
    for kind in KINDS:
        groups: dict[str, list] = {}
        for value, pid, key, title in library.conn.execute(
            f"SELECT {kind}, id, citekey, title FROM papers WHERE {kind} IN"
            f" (SELECT {kind} FROM papers GROUP BY {kind} HAVING count(*) > 1) ORDER BY id"
        ):
            groups.setdefault(value, []).append((pid, key, title))
        for value, members in groups.items():
            for pid, _, _ in members:
                others = [m for m in members if m[0] != pid]
                shared.setdefault(pid, []).append((kind, value, others))
    ids = [r[0] for r in library.conn.execute("SELECT id FROM papers ORDER BY id")]
    return {p.id: paper_flags(p, shared.get(p.id)) for p in library.get_papers(ids)}


def stored_flags(library) -> dict[int, list[dict]]:
    ids = [r[0] for r in library.conn.execute("SELECT id FROM papers ORDER BY id")]
    return {p.id: p.flags for p in library.get_papers(ids)}


def some_identifiers(rng: random.Random) -> dict:
    return {k: rng.choice(v) if v and rng.random() < 0.5 else None for k, v in VALUES.items()}


def new_paper(rng: random.Random, n: int) -> Paper:
    paper = Paper(
        citekey=f"p{n}",
        title=rng.choice(["One", "Two", "Three", None]),
        year=rng.choice([2020, None]),
        source="bibtex",
        added=STAMP,
        updated=STAMP,
        **some_identifiers(rng),
    )
    paper.flags = paper_flags(paper)  # as an import stores a new paper
    return paper


def a_change(rng: random.Random, n: int) -> dict:
    what = rng.choice(["identifiers", "identifiers", "title", "citekey", "journal"])
    if what == "identifiers":
        return {k: v for k, v in some_identifiers(rng).items() if rng.random() < 0.6}
    if what == "title":
        return {"title": rng.choice(["One", "Renamed", None])}
    if what == "citekey":
        return {"citekey": f"renamed{n}"}
    return {"journal": "J"}


def steps(seed: int, untouched: bool) -> list[tuple[list[Paper], list[tuple[int, dict, bool]]]]:
    """Random transactions: papers to insert, then updates ``(which paper, change,
    passed as touched)``, the paper picked by its place among the stored ones; with
    ``untouched``, half the updated papers are not passed as touched."""
    rng = random.Random(seed)
    out, n, stored = [], 0, 0
    for _ in range(12):
        papers = []
        if rng.random() < 0.5 or not stored:
            papers = [new_paper(rng, n + i) for i in range(rng.randint(1, 55))]
            n, stored = n + len(papers), stored + len(papers)
        updates = []
        for _ in range(rng.randint(0, 4)):
            n += 1
            passed = not untouched or rng.random() < 0.5
            updates.append((rng.randrange(stored), a_change(rng, n), passed))
        out.append((papers, updates))
    return out


def apply(library, refresh, seed: int, untouched: bool):
    """Each step of ``seed`` in a transaction that ends with ``refresh``; yields what it
    returned and whether every updated paper was passed as touched."""
    for papers, updates in steps(seed, untouched):
        with library.transaction():
            library.insert_papers([Paper(**p.to_dict()) for p in papers])
            ids = [r[0] for r in library.conn.execute("SELECT id FROM papers ORDER BY id")]
            touched = {ids[0]} if papers else set()
            for place, change, passed in updates:
                library.update_paper(ids[place], change)
                if passed:  # else only what the store noted says it changed
                    touched.add(ids[place])
            refreshed = refresh(library, touched)
        yield refreshed, touched, all(passed for _, _, passed in updates)


@pytest.mark.parametrize("untouched", [False, True])
@pytest.mark.parametrize("seed", range(20))
def test_refreshing_the_touched_papers_flags_as_refreshing_every_paper(seed, untouched):
    from ops.test_import_scaling import refresh_every_flag

    with Library.in_memory() as library, Library.in_memory() as reference:
        ours, theirs = (
            apply(library, refresh_flags, seed, untouched),
            apply(reference, refresh_every_flag, seed, untouched),
        )
        fresh = True  # every change so far was refreshed as touched: no flag is stale
        for (refreshed, touched, all_passed), _ in zip(ours, theirs, strict=True):
            stored = stored_flags(library)
            assert stored == stored_flags(reference)
            fresh = fresh and all_passed
            if fresh:
                assert stored == expected_flags(library)
            assert touched <= set(refreshed)
            assert refreshed == {paper_id: stored[paper_id] for paper_id in refreshed}


def test_a_partner_renamed_is_named_anew_in_the_flag(db_path):
    papers = [
        Paper(citekey="zhao", title="Reproducibility", pmid="27009765", year=2016),
        Paper(citekey="mccann", title="Quantitative analysis", pmid="27009765", year=2016),
        Paper(citekey="alone", title="Other", pmid="1", year=2016),
    ]
    for paper in papers:
        paper.source, paper.added, paper.updated = "bibtex", STAMP, STAMP
    with Library.open(db_path, write=True) as library:
        with library.transaction():
            library.insert_papers(papers)
            refresh_flags(library, set())
        assert "mccann (Quantitative analysis)" in library.get(papers[0].id).flags[0]["reason"]
        with library.transaction():
            library.update_paper(papers[1].id, {"title": "A better title"})
            flags = refresh_flags(library, set())  # the store noted what changed
        assert "mccann (A better title)" in flags[papers[0].id][0]["reason"]
        assert set(flags) == {papers[0].id, papers[1].id}  # the third was never looked at
        assert stored_flags(library) == expected_flags(library)


def test_refreshing_reads_no_whole_table(db_path):
    from ops.test_import_scaling import big_library, whole_table_reads

    big_library(db_path)
    with Library.open(db_path, write=True) as library:
        statements = []
        library.conn.set_trace_callback(statements.append)
        (other,) = library.find_ids("doi", "10.5555/6")
        with library.transaction():
            library.update_paper(5, {"doi": "10.5555/6", "title": "Now shares a DOI"})
            flags = refresh_flags(library, {5})
        library.conn.set_trace_callback(None)
        assert set(flags) == {5, other} and [f["code"] for f in flags[other]] == ["shared-id"]
        assert whole_table_reads(library, statements) == []
