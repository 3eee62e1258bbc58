"""Benchmark: ``igbib dataset link --auto`` on a library of 10,000 papers.

The library is built from the real BibTeX records of ``bench/data.py`` (titles, some
abstracts and keywords); then a tenth of its papers get a note naming a collection of the
catalogue (by its short title, another spelling or its DOI) and a tenth a sentence of
TCGA and a cancer site, so there is something to find. ``dataset link --auto`` reads
every paper's title, abstract, keywords and note and looks for the names, aliases and
DOIs of the registry's datasets and the catalogue's 179 collections. The baselines in
the same run are ``igbib search glioma`` (a query over the same papers) and ``igbib tag
--auto`` (the topic rules over every paper, on a fresh copy of the library each run).
Every command runs as a whole process with its output to a pipe, all take their turn in
every round.

    python bench/bench_datasets.py --write    # appends its section to docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import data  # noqa: E402

REPORT = HERE.parent / "docs" / "benchmarks.md"
HEADING = "\n## `igbib dataset link --auto` (10,000 papers)"
BASELINE = "`igbib search glioma` (baseline)"


def build(n: int, work: Path) -> Path:
    from igbib.importers import parse_file
    from igbib.ops.ingest import import_parsed
    from igbib.store import Library

    db = work / f"datasets-{n}.sqlite"
    with Library.open(db, write=True) as library:
        import_parsed(library, parse_file(data.build(n, HERE / "out")), "bench")
    # Set-up: notes naming datasets, as a curator writes them.
    from igbib.datasets import collections, spellings

    named = collections()
    sites = ("glioblastoma", "clear cell renal carcinoma", "breast cancer", "glioma", "lung")
    with sqlite3.connect(db) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM papers ORDER BY id")]
        notes = []
        for pid in ids:
            if pid % 10 == 0:
                c = named[pid % len(named)]
                said = [*spellings(c), *(f"doi:{d.upper()}" for d in c["dois"])]
                notes.append((f"Images from {said[pid % len(said)]}.", pid))
            elif pid % 10 == 5:
                notes.append((f"Cohort: TCGA {sites[pid % len(sites)]} patients.", pid))
        conn.executemany("UPDATE papers SET note = ? WHERE id = ?", notes)
    conn.close()
    return db


def commands() -> dict[str, tuple[list[str], bool]]:
    """name -> (arguments, whether it writes: then it runs on a fresh copy)."""
    igbib = [sys.executable, "-m", "igbib"]
    return {
        BASELINE: ([*igbib, "search", "glioma"], False),
        "`igbib tag --auto` (fresh copy each run)": ([*igbib, "tag", "--auto"], True),
        "`igbib dataset link --auto`": ([*igbib, "dataset", "link", "--auto"], False),
        "`igbib dataset link --auto glioma`": (
            [*igbib, "dataset", "link", "--auto", "glioma"],
            False,
        ),
    }


def measure(db: Path, work: Path, runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in commands()}
    copy = work / "copy.sqlite"
    for round_ in range(runs + 1):  # the first round warms the caches and is not counted
        for name, (args, writes) in commands().items():
            target = db
            if writes:
                shutil.copyfile(db, copy)
                target = copy
            env = {**os.environ, "IGBIB_DB": str(target)}
            start = time.perf_counter()
            subprocess.run(
                args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            if round_:
                times[name].append(time.perf_counter() - start)
    return times


def report(times: dict[str, list[float]], n: int, runs: int, note: str) -> list[str]:
    base = statistics.median(times[BASELINE])
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        HEADING.strip("\n"),
        "",
        f"Measured {when} by `python bench/bench_datasets.py --write` ({runs} rounds) on:"
        f" {data.machine()}; {len(os.sched_getaffinity(0))} processors (`nproc`);"
        f" `{uname}`; {data.code_version()}.",
        "Whole processes, output to a pipe, read-only (no `--accept`).",
        *([note] if note else []),
        "",
        f"| command ({n:,} papers) | median ms | min ms | x `igbib search` |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, values in times.items():
        median = statistics.median(values)
        lines.append(
            f"| {name} | {median * 1000:.1f} | {min(values) * 1000:.1f} | {median / base:.2f}x |"
        )
    return lines + [""]


def write(lines: list[str]) -> None:
    data.replace_section(REPORT, HEADING, lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--note", default="", help="a line said under the machine line")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="igbib-bench-datasets-"))
    try:
        db = build(args.papers, work)
        lines = report(measure(db, work, args.runs), args.papers, args.runs, args.note)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n".join(lines))
    if args.write:
        write(lines)


if __name__ == "__main__":
    main()
