"""Benchmark: ``igbib stats`` on a library of 10,000 papers, against ``igbib info``.

The library is built from the real BibTeX records of ``bench/data.py``; then a
third of its papers get a topic tag of each axis and a quarter a link to one of
four datasets, so every chart has values to count (the tags and links are
spread by paper id: the benchmark times counting, not what is counted). Every
command runs as a whole process with its output to a pipe, as a script runs it,
and all take their turn in every round, so a slow spell of the machine hits them
alike; the baseline in the same run is ``igbib info``, which counts the same
library by the same indexes. ``--plot`` is timed too (matplotlib's import is most
of it).

    python bench/bench_stats.py --write    # appends its section to docs/benchmarks.md
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
HEADING = "\n## `igbib stats` (10,000 papers)"
AXES = {
    "site": ("glioma", "breast", "lung", "kidney", "liver", "prostate"),
    "modality": ("mri", "ct", "pet", "mammography"),
    "target": ("idh1", "mgmt", "egfr", "kras", "tp53"),
    "method": ("radiomics", "deep-learning", "gene-expression"),
}
DATASETS = ("TCGA-GBM", "TCGA-LGG", "TCGA-BRCA", "NSCLC Radiogenomics")


def build(n: int, work: Path) -> Path:
    from igbib.importers import parse_file
    from igbib.ops.ingest import import_parsed
    from igbib.store import Library

    db = work / f"stats-{n}.sqlite"
    with Library.open(db, write=True) as library:
        import_parsed(library, parse_file(data.build(n, HERE / "out")), "bench")
    # Set-up: topic tags and dataset links, as the topic rules and the registry will write.
    with sqlite3.connect(db) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM papers ORDER BY id")]
        for axis, values in AXES.items():
            for value in values:
                conn.execute("INSERT INTO tags (name) VALUES (?)", (f"{axis}/{value}",))
            tags = {
                v: conn.execute("SELECT id FROM tags WHERE name = ?", (f"{axis}/{v}",)).fetchone()[
                    0
                ]
                for v in values
            }
            conn.executemany(
                "INSERT INTO paper_tags (paper_id, tag_id, origin) VALUES (?, ?, ?)",
                [
                    (pid, tags[values[pid % len(values)]], "auto" if pid % 2 else "curator")
                    for pid in ids
                    if pid % 3 == 0
                ],
            )
        for key in DATASETS:
            conn.execute("INSERT INTO datasets (name, key) VALUES (?, ?)", (key, key))
        dataset_ids = [row[0] for row in conn.execute("SELECT id FROM datasets WHERE key NOT NULL")]
        conn.executemany(
            "INSERT INTO paper_datasets (paper_id, dataset_id) VALUES (?, ?)",
            [(pid, dataset_ids[pid % len(dataset_ids)]) for pid in ids if pid % 4 == 0],
        )
    conn.close()
    return db


def commands(work: Path) -> dict[str, list[str]]:
    igbib = [sys.executable, "-m", "igbib"]
    return {
        "`igbib info` (baseline)": [*igbib, "info"],
        "`igbib stats`": [*igbib, "stats"],
        "`igbib stats --json`": [*igbib, "stats", "--json"],
        "`igbib stats glioma`": [*igbib, "stats", "glioma"],
        "`igbib stats --by year`": [*igbib, "stats", "--by", "year"],
        "`igbib stats --plot stats.svg`": [*igbib, "stats", "--plot", str(work / "stats.svg")],
        "`igbib stats --plot stats.png`": [*igbib, "stats", "--plot", str(work / "stats.png")],
    }


def measure(db: Path, work: Path, runs: int) -> dict[str, list[float]]:
    env = {**os.environ, "IGBIB_DB": str(db)}
    times: dict[str, list[float]] = {name: [] for name in commands(work)}
    for round_ in range(runs + 1):  # the first round warms the caches and is not counted
        for name, args in commands(work).items():
            start = time.perf_counter()
            subprocess.run(
                args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            if round_:
                times[name].append(time.perf_counter() - start)
    return times


def report(times: dict[str, list[float]], n: int, runs: int) -> list[str]:
    base = statistics.median(times["`igbib info` (baseline)"])
    stats = statistics.median(times["`igbib stats`"]) / base
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        HEADING.strip("\n"),
        "",
        f"Measured {when} by `python bench/bench_stats.py --write` ({runs} rounds) on:"
        f" {data.machine()}; {len(os.sched_getaffinity(0))} processors (`nproc`);"
        f" `{uname}`; {data.code_version()}.",
        "Whole processes, output to a pipe; every chart has values (a third of the papers have"
        " a tag of each topic axis, a quarter a dataset). All nine charts take"
        f" {stats:.1f}x `igbib info`; a query or one chart, about what `info` takes. `--plot` is"
        " matplotlib's import and drawing.",
        "",
        f"| command ({n:,} papers) | median ms | min ms | x `igbib info` |",
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
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="igbib-bench-stats-"))
    try:
        db = build(args.papers, work)
        lines = report(measure(db, work, args.runs), args.papers, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n".join(lines))
    if args.write:
        write(lines)


if __name__ == "__main__":
    main()
