"""Many writers at once, and writers killed with ``kill -9`` at any point of their work.

Real processes (see ``tests/processes.py``), real records: the first 1,000 entries of
a lab bibliography, and 604 MEDLINE citations served by a local efetch. The writers'
busy timeout is cut to half a second and each of their write transactions made
0.75 s longer, so that they rely on igbib's own write lock, not on SQLite's 30 s of
patience, to wait for each other.

After a kill, whatever the point: ``PRAGMA integrity_check`` passes; the library
holds all of the killed command's work or none of it; running the command again
completes it without a duplicate, and a third run adds nothing.
"""

import json
import os
import signal
import subprocess
import time

import pytest
from conftest import SEED
from processes import (
    CDL_1000,
    SHORT_BUSY_TIMEOUT,
    SLOW_WRITES,
    Medline,
    bib_parts,
    counts,
    igbib_command,
    integrity,
    kill_at,
    run,
)

from igbib.store.connection import LOCK_SUFFIX

pytestmark = pytest.mark.skipif(os.name == "nt", reason="kill -9 and flock are POSIX")

SEED_PAPERS = 52
SEED_PMIDS = 43  # distinct: two of the seed's papers give one PMID (a wrong link, flagged)


class Started:
    """A process whose output goes to files: many at once never block on a full pipe."""

    def __init__(self, command, folder, env=None):
        self.out = open(folder / f"out-{id(self)}.txt", "w+")  # noqa: SIM115
        self.err = open(folder / f"err-{id(self)}.txt", "w+")  # noqa: SIM115
        self.process = subprocess.Popen(command, stdout=self.out, stderr=self.err, env=env)

    def finish(self, timeout: float = 300) -> tuple[int, str, str]:
        code = self.process.wait(timeout=timeout)
        texts = []
        for file in (self.out, self.err):
            file.seek(0)
            texts.append(file.read())
            file.close()
        return code, *texts

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)


def seeded(tmp_path):
    db = tmp_path / "library.sqlite"
    result = run(igbib_command("import", SEED, "--db", db))
    assert result.returncode == 0, result.stderr
    return db


# -- load ------------------------------------------------------------------------


def test_four_processes_adding_250_pmids_each_at_once_store_every_paper_once(tmp_path):
    """1,000 PMIDs asked for in four overlapping sets of 250 (the 604 real citations, some
    asked for by two processes at once): each is stored once, none is lost, no lock error."""
    db = seeded(tmp_path)
    with Medline() as medline:
        medline.delay = 0.05
        pmids = sorted(medline.pmids)
        assert len(pmids) == 604
        step = (len(pmids) - 250) // 3
        sets = [pmids[i * step : i * step + 250] for i in range(4)]
        assert set().union(*sets) == set(pmids) and sum(map(len, sets)) == 1000
        env = medline.env(tmp_path)
        processes = []
        for i, wanted in enumerate(sets):
            ids = tmp_path / f"ids{i}.txt"
            ids.write_text("\n".join(wanted) + "\n")
            command = igbib_command(
                "add", "-f", ids, "--json", "--db", db, before=SHORT_BUSY_TIMEOUT + SLOW_WRITES
            )
            processes.append(Started(command, tmp_path, env))
        results = [p.finish() for p in processes]
    for code, _out, err in results:
        assert code == 0, err
        assert "locked" not in err and "Traceback" not in err
    papers, distinct_pmids, _ = counts(db)
    assert papers == SEED_PAPERS + 604
    assert distinct_pmids == SEED_PMIDS + 604  # each new one once
    assert integrity(db) == "ok"
    assert not os.path.exists(str(db) + LOCK_SUFFIX)


def test_four_imports_of_250_papers_each_at_once_keep_all_1000(tmp_path):
    db = seeded(tmp_path)
    parts = bib_parts(CDL_1000, 4, tmp_path)
    processes = [
        Started(
            igbib_command(
                "import", part, "--json", "--db", db, before=SHORT_BUSY_TIMEOUT + SLOW_WRITES
            ),
            tmp_path,
        )
        for part in parts
    ]
    for process in processes:
        code, out, err = process.finish()
        assert code == 0, err
        assert len(json.loads(out)["added"]) == 250
    assert counts(db)[0] == SEED_PAPERS + 1000
    assert integrity(db) == "ok"
    # the same papers as one import of the whole file, one after the other
    (tmp_path / "alone").mkdir()
    alone = seeded(tmp_path / "alone")
    assert run(igbib_command("import", CDL_1000, "--db", alone)).returncode == 0
    assert counts(db) == counts(alone)


# -- kill -9 ---------------------------------------------------------------------

#: Where an import is killed, and whether its work was committed by then.
IMPORT_POINTS = [
    ("igbib.importers:parse_file", False),  # before anything is read
    ("igbib.store.papers:Papers.insert_papers", False),  # papers written, not committed
    ("igbib.ops.ingest:_flag", False),  # the last step of the transaction
    ("igbib.store:Library._committed", True),  # just after COMMIT
    ("igbib.store:seal_file", True),  # closing the library
    ("igbib.cli.reports:print_import_report", True),  # printing the report
]


def check_after_kill(db, before: int, full: int, committed: bool | None) -> None:
    assert integrity(db) == "ok"
    papers = counts(db)[0]
    assert papers in (before, full)  # all or nothing
    if committed is not None:
        assert papers == (full if committed else before)


def rerun_adds_no_duplicates(db, command, full: int) -> None:
    again = run(command)
    assert again.returncode == 0, again.stderr
    assert counts(db)[0] == full
    third = run(command)
    assert third.returncode == 0 and counts(db)[0] == full


@pytest.mark.parametrize(("point", "committed"), IMPORT_POINTS, ids=[p for p, _ in IMPORT_POINTS])
def test_an_import_killed_at_any_step_is_all_or_nothing(tmp_path, point, committed):
    db = seeded(tmp_path)
    killed = run(igbib_command("import", CDL_1000, "--db", db, before=kill_at(point)))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    check_after_kill(db, SEED_PAPERS, SEED_PAPERS + 1000, committed)
    rerun_adds_no_duplicates(db, igbib_command("import", CDL_1000, "--db", db), SEED_PAPERS + 1000)


def test_an_import_into_a_new_library_killed_before_its_commit_can_be_run_again(tmp_path):
    db = tmp_path / "new.sqlite"
    killed = run(
        igbib_command("import", CDL_1000, "--db", db, before=kill_at("igbib.ops.ingest:_flag"))
    )
    assert killed.returncode == -signal.SIGKILL
    if db.exists():  # the file, made before the kill, holds no paper
        check_after_kill(db, 0, 1000, False)
    rerun_adds_no_duplicates(db, igbib_command("import", CDL_1000, "--db", db), 1000)


def test_an_import_killed_at_timed_moments_is_all_or_nothing(tmp_path):
    """Not at chosen steps but at moments spread over a whole run."""
    (tmp_path / "reference").mkdir()
    reference = seeded(tmp_path / "reference")
    started = time.monotonic()
    assert run(igbib_command("import", CDL_1000, "--db", reference)).returncode == 0
    whole = time.monotonic() - started
    seen = set()
    for i, fraction in enumerate((0.2, 0.4, 0.6, 0.8, 0.95)):
        folder = tmp_path / f"run{i}"
        folder.mkdir()
        db = seeded(folder)
        process = Started(igbib_command("import", CDL_1000, "--db", db), folder)
        time.sleep(whole * fraction)
        process.kill()
        process.finish(timeout=60)
        check_after_kill(db, SEED_PAPERS, SEED_PAPERS + 1000, None)
        seen.add(counts(db)[0])
        rerun_adds_no_duplicates(
            db, igbib_command("import", CDL_1000, "--db", db), SEED_PAPERS + 1000
        )
    assert seen <= {SEED_PAPERS, SEED_PAPERS + 1000}


ADD_POINTS = [
    ("igbib.ops.ingest:ingest_papers", False),  # fetched, not stored
    ("igbib.ops.ingest:_flag", False),  # inside the transaction
    ("igbib.store:Library._committed", True),  # just after COMMIT
]


@pytest.mark.parametrize(("point", "committed"), ADD_POINTS, ids=[p for p, _ in ADD_POINTS])
def test_an_add_killed_at_any_step_is_all_or_nothing(tmp_path, point, committed):
    db = seeded(tmp_path)
    with Medline() as medline:
        pmids = sorted(medline.pmids)[:120]
        env = medline.env(tmp_path)
        killed = run(igbib_command("add", *pmids, "--db", db, before=kill_at(point)), env=env)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        check_after_kill(db, SEED_PAPERS, SEED_PAPERS + 120, committed)
        again = run(igbib_command("add", *pmids, "--db", db), env=env)
        assert again.returncode == 0, again.stderr
        assert counts(db)[:2] == (SEED_PAPERS + 120, SEED_PMIDS + 120)
        third = run(igbib_command("add", *pmids, "--db", db), env=env)
        assert third.returncode == 0 and counts(db)[0] == SEED_PAPERS + 120


def test_an_add_killed_while_it_waits_for_the_service_changes_nothing(tmp_path):
    db = seeded(tmp_path)
    with Medline() as medline:
        medline.delay = 5
        pmids = sorted(medline.pmids)[:20]
        env = medline.env(tmp_path)
        process = Started(igbib_command("add", *pmids, "--db", db), tmp_path, env)
        deadline = time.monotonic() + 60
        while medline.requests == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.kill()
        process.finish(timeout=60)
        check_after_kill(db, SEED_PAPERS, SEED_PAPERS + 20, False)
        medline.delay = 0
        again = run(igbib_command("add", *pmids, "--db", db), env=env)
    assert again.returncode == 0, again.stderr
    assert counts(db)[0] == SEED_PAPERS + 20
