"""Benchmark: import throughput, search latency and import memory at 1k, 10k and 100k papers.

Every figure is compared with a baseline measured in the same run, because these
machines are noisy: import against bibtexparser's bare parse of the same file,
whole-process search against ``python -c pass``. Results go to
``docs/benchmarks.md`` (``--write``) and are printed as they come.

    python bench/bench_library.py            # 1k, 10k and 100k
    python bench/bench_library.py --sizes 1000 10000 --write

Needs the real BibTeX file of ``../shared/bench-data/`` (or ``IGBIB_BENCH_BIB``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import data  # noqa: E402

ROOT = HERE.parent
OUT = HERE / "out"
REPORT = ROOT / "docs" / "benchmarks.md"
PROCESS_RUNS = 31
INPROCESS_RUNS = 200
QUERY = "glioma"

_CHILD_IMPORT = """
import json, resource, sys, time
import bibtexparser
from igbib.importers import parse_file
from igbib.ops.ingest import import_parsed
from igbib.store import Library
with Library.open(sys.argv[2], write=True) as library:  # a new, empty library
    start = time.perf_counter()
    report = import_parsed(library, parse_file(sys.argv[1]), sys.argv[1])
    seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "added": len(report.added),
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""
_CHILD_PARSE = """
import json, resource, sys, time
import bibtexparser
start = time.perf_counter()
with open(sys.argv[1], encoding="utf-8") as f:
    library = bibtexparser.parse_string(f.read())
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "entries": len(library.entries),
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def child(code: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def paired_process_ms(baseline: list[str], command: list[str], runs: int = PROCESS_RUNS):
    """Medians (ms) of ``baseline`` and ``command``, run alternately so noise hits both."""
    times: dict[int, list[float]] = {0: [], 1: []}
    for _ in range(runs):
        for which, cmd in enumerate((baseline, command)):
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times[which].append(time.perf_counter() - start)
    return statistics.median(times[0]) * 1000, statistics.median(times[1]) * 1000


def inprocess_search_ms(db: Path) -> float:
    from igbib.search import search
    from igbib.store import Library

    times = []
    for _ in range(INPROCESS_RUNS):
        start = time.perf_counter()
        with Library.open(db) as library:
            search(library, QUERY, limit=20)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bench_size(n: int, work: Path) -> dict:
    bib = data.build(n, OUT)
    db = work / f"library-{n}.sqlite"
    if db.exists():
        db.unlink()
    parse = min((child(_CHILD_PARSE, str(bib)) for _ in range(2)), key=lambda r: r["seconds"])
    imported = child(_CHILD_IMPORT, str(bib), str(db))
    assert imported["added"] == n == parse["entries"], (imported, parse)
    igbib = shutil.which("igbib") or "igbib"
    search_cmd = [igbib, "search", QUERY, "--limit", "20", "--db", str(db)]
    hits = subprocess.run(search_cmd, capture_output=True, text=True, check=True).stdout
    python_ms, search_ms = paired_process_ms([sys.executable, "-c", "pass"], search_cmd)
    result = {
        "papers": n,
        "bib_bytes": bib.stat().st_size,
        "parse_s": parse["seconds"],
        "import_s": imported["seconds"],
        "import_ratio": imported["seconds"] / parse["seconds"],
        "import_per_s": n / imported["seconds"],
        "parse_per_s": n / parse["seconds"],
        "import_peak_mib": imported["peak_kib"] / 1024,
        "parse_peak_mib": parse["peak_kib"] / 1024,
        "db_bytes": db.stat().st_size,
        "hits": len(hits.splitlines()),
        "python_ms": python_ms,
        "search_ms": search_ms,
        "search_ratio": search_ms / python_ms,
        "inprocess_ms": inprocess_search_ms(db),
    }
    print(json.dumps(result), flush=True)
    return result


def machine() -> str:
    cpu = data.cpu_model(platform.processor() or platform.machine())
    return (
        f"{cpu}, {os.cpu_count()} cores; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}"
    )


def write_report(results: list[dict]) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Measured {date.today().isoformat()} by `python bench/bench_library.py --write` on: "
        f"{machine()}.",
        "",
        "Input: the real lab bibliography `cdl.bib` (6,315 entries) cut to 1k entries, or its",
        "records repeated with a distinct key and DOI per copy for 10k and 100k (`bench/data.py`).",
        "Every figure is set against a baseline measured in the same run: import against",
        "bibtexparser's bare `parse_string` of the same file (each in a fresh process, the best of",
        "two parses), `igbib search` as a whole process against `python -c pass` (medians of",
        f"{PROCESS_RUNS} runs of each, alternating). In-process search is the median of",
        f"{INPROCESS_RUNS} open + search + close of `{QUERY}` (20 results, full records).",
        "",
        "## Import (BibTeX file into a new library)",
        "",
        "| papers | file | bibtexparser parse | igbib import | ratio (target <= 2) | "
        "igbib papers/s | peak memory igbib / bibtexparser | library size |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['papers']:,} | {r['bib_bytes'] / 1e6:.1f} MB | {r['parse_s']:.2f} s "
            f"| {r['import_s']:.2f} s | {r['import_ratio']:.2f}x | {r['import_per_s']:,.0f} "
            f"| {r['import_peak_mib']:.0f} / {r['parse_peak_mib']:.0f} MiB "
            f"| {r['db_bytes'] / 1e6:.1f} MB |"
        )
    lines += [
        "",
        f"## Search (`igbib search {QUERY} --limit 20`)",
        "",
        "| papers | hits shown | `python -c pass` | whole `igbib search` | ratio (target <= 3) "
        "| in-process (target < 20 ms) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['papers']:,} | {r['hits']} | {r['python_ms']:.1f} ms | {r['search_ms']:.1f} ms "
            f"| {r['search_ratio']:.2f}x | {r['inprocess_ms']:.2f} ms |"
        )
    worst_search = max(r["search_ratio"] for r in results)
    worst_inprocess = max(r["inprocess_ms"] for r in results)
    over = [f"{r['papers']:,} ({r['import_ratio']:.2f}x)" for r in results if r["import_ratio"] > 2]
    lines += [
        "",
        "## Against the targets",
        "",
        f"- Whole-process search within 3x of `python -c pass`: "
        f"{'met' if worst_search <= 3 else 'NOT met'} (worst {worst_search:.2f}x).",
        f"- In-process search under 20 ms: {'met' if worst_inprocess < 20 else 'NOT met'} "
        f"(worst {worst_inprocess:.2f} ms).",
        "- Import within 2x of bibtexparser's bare parse: "
        + ("met at every size." if not over else f"not met at {', '.join(over)}."),
        "",
        f"The first 1,000 entries hold no paper on {QUERY}; the search still runs in full.",
        "Ratios move by about 0.3 between runs on this shared machine.",
    ]
    lines += ["", "## Growth with library size", ""]
    if len(results) > 1:
        first, last = results[0], results[-1]
        factor = last["papers"] / first["papers"]
        lines.append(
            f"From {first['papers']:,} to {last['papers']:,} papers ({factor:.0f}x): import time "
            f"x{last['import_s'] / first['import_s']:.0f}, import peak memory "
            f"x{last['import_peak_mib'] / first['import_peak_mib']:.1f}, whole-process search "
            f"x{last['search_ms'] / first['search_ms']:.2f}, in-process search "
            f"x{last['inprocess_ms'] / first['inprocess_ms']:.2f}."
        )
    lines += ["", "Raw results (JSON lines):", "", "```"]
    lines += [json.dumps(r) for r in results]
    lines += ["```", ""]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    kept = ""  # the section bench_add.py writes
    if REPORT.exists() and "\n## `igbib add`" in REPORT.read_text():
        kept = "\n## `igbib add`" + REPORT.read_text().split("\n## `igbib add`", 1)[1]
    REPORT.write_text("\n".join(lines) + kept)
    print(f"wrote {REPORT}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    parser.add_argument(
        "--rewrite", action="store_true", help="rewrite docs/benchmarks.md from its raw results"
    )
    args = parser.parse_args()
    if args.rewrite:
        raw = REPORT.read_text().split("```\n", 1)[1].split("```", 1)[0]  # the raw JSON lines
        write_report([json.loads(line) for line in raw.splitlines() if line.strip()])
        return
    if not data.SOURCE.exists():
        sys.exit(f"benchmark input not found: {data.SOURCE} (set IGBIB_BENCH_BIB)")
    with tempfile.TemporaryDirectory() as tmp:
        results = [bench_size(n, Path(tmp)) for n in args.sizes]
    if args.write:
        write_report(results)


if __name__ == "__main__":
    main()
