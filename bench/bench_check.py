"""Benchmark: ``igbib check`` of a library of 1k, 10k and 100k papers.

Against a baseline measured in the same run, on the same library: one full-text
query as a whole process (``igbib search glioblastoma``). ``check`` reads every
paper, so it grows with the library; the figure that matters is that its time
per paper stays flat (near-linear growth), which the fuzzy duplicate search
(blocking, :mod:`igbib.ops.duplicates`) must not break.

Libraries are built from the real lab bibliography of ``../shared/bench-data/``
(6,315 entries): beyond 6,315, each copy of a record gets its own key and DOI (as
``bench/data.py`` does) and a title of its own: the first half of its title's words
and the second half of another record's, so the copies are distinct papers with the
library's real vocabulary and authors.

    python bench/bench_check.py                 # 1k, 10k and 100k
    python bench/bench_check.py --sizes 1000 10000 --write
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import data  # noqa: E402

ROOT = HERE.parent
OUT = HERE / "out"
REPORT = ROOT / "docs" / "benchmarks.md"
RUNS = 3
_TITLE = re.compile(r"^(\s*Title\s*=\s*\{)(.*)(\},?)$", re.M | re.I)

_CHILD_IMPORT = """
import sys
from igbib.importers import parse_file
from igbib.ops.ingest import import_parsed
from igbib.store import Library
with Library.open(sys.argv[2], write=True) as library:
    import_parsed(library, parse_file(sys.argv[1]), sys.argv[1])
"""


def _mix(title: str, other: str) -> str:
    """The first half of ``title``'s words and the second half of ``other``'s."""
    a, b = title.split(), other.split()
    return " ".join(a[: (len(a) + 1) // 2] + b[len(b) // 2 :])


def build(n: int) -> Path:
    """A .bib of ``n`` entries, the copies beyond the first 6,315 with titles of their own."""
    out = OUT / f"check-{n}.bib"
    if out.exists():
        return out
    base = data.build(n, OUT)
    records = data.entries(base.read_text(encoding="utf-8"))
    size = len(data.entries(data.SOURCE.read_text(encoding="utf-8")))
    titles = [m.group(2) if (m := _TITLE.search(e)) else "" for e in records[:size]]
    parts = []
    for i, entry in enumerate(records):
        copy, record = divmod(i, size)
        if copy:
            other = titles[(record * 31 + copy * 7919) % size]
            entry = _TITLE.sub(lambda m, o=other: m.group(1) + _mix(m.group(2), o) + m.group(3),
                               entry, count=1)  # fmt: skip
        parts.append(entry)
    out.write_text("".join(parts), encoding="utf-8")
    return out


def timed(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    return time.perf_counter() - start, done.stdout


def bench_size(n: int) -> dict:
    bib = build(n)
    db = OUT / f"check-{n}.sqlite"
    if not db.exists():
        subprocess.run([sys.executable, "-c", _CHILD_IMPORT, str(bib), str(db)], check=True)
    igbib = shutil.which("igbib") or "igbib"
    search = [igbib, "search", "glioblastoma", "--db", str(db)]
    check = [igbib, "check", "--json", "--db", str(db)]
    times: dict[str, list[float]] = {"search": [], "check": []}
    counts = None
    for _ in range(RUNS):  # alternately, so noise hits both
        seconds, _out = timed(search)
        times["search"].append(seconds)
        seconds, out = timed(check)
        times["check"].append(seconds)
        counts = json.loads(out)["counts"]
    search_s = statistics.median(times["search"])
    check_s = statistics.median(times["check"])
    result = {
        "papers": n,
        "search_ms": search_s * 1000,
        "check_ms": check_s * 1000,
        "ratio": check_s / search_s,
        "us_per_paper": check_s / n * 1e6,
        "errors": counts["errors"],
        "warnings": counts["warnings"],
        "likely_duplicates": counts["by_code"].get("likely-duplicate", 0),
        "duplicates": counts["by_code"].get("duplicate", 0),
    }
    print(json.dumps(result), flush=True)
    return result


def write_report(results: list[dict]) -> None:
    lines = [
        "",
        "## `igbib check` (a whole library)",
        "",
        f"Measured {date.today().isoformat()} on: {data.machine()}; {data.code_version()}.",
        f"Median of {RUNS} runs of each, alternated, as whole processes; baseline: one"
        " full-text query on the same library (`igbib search glioblastoma`).",
        "",
        "| papers | search ms | check ms | check / search | µs per paper | errors | warnings"
        " | likely duplicates |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['papers']:,} | {r['search_ms']:.0f} | {r['check_ms']:.0f} | {r['ratio']:.1f}x"
            f" | {r['us_per_paper']:.1f} | {r['errors']:,} | {r['warnings']:,}"
            f" | {r['likely_duplicates']:,} |"
        )
    if len(results) > 1:
        first, last = results[0], results[-1]
        growth = (last["check_ms"] / first["check_ms"]) / (last["papers"] / first["papers"])
        lines += [
            "",
            f"From {first['papers']:,} to {last['papers']:,} papers the time of `check` grows"
            f" {last['check_ms'] / first['check_ms']:.0f}-fold for"
            f" {last['papers'] // first['papers']}-fold the papers ({growth:.2f} of linear,"
            " start-up included).",
        ]
    with REPORT.open("a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--write", action="store_true", help="append to docs/benchmarks.md")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    results = [bench_size(n) for n in args.sizes]
    if args.write:
        write_report(results)


if __name__ == "__main__":
    main()
