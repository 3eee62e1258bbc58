"""Benchmark: what recording the history costs, and how long an undo takes.

For 1k, 10k and 100k papers (the real lab bibliography, as ``bench/data.py``
builds it): ``igbib import`` of the .bib into a new library, ``igbib undo`` of
that import (every paper removed again) and ``igbib undo N`` of the undo (every
paper back), each a whole process, against the same import into a library whose
history triggers are dropped (the baseline: what the import costs without a
history, measured in the same run). Also the library's size with and without the
history. Results are printed and, with ``--write``, appended to
``docs/benchmarks.md``.

    python bench/bench_history.py                 # 1k, 10k and 100k
    python bench/bench_history.py --sizes 1000 10000 --write
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import data  # noqa: E402

OUT = HERE / "out"
REPORT = HERE.parent / "docs" / "benchmarks.md"

_NO_HISTORY = """
import sys
from igbib.store import Library
with Library.open(sys.argv[1], write=True) as library:  # a new library, migrated
    for (name,) in library.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'history_%'"
    ).fetchall():
        library.conn.execute(f"DROP TRIGGER {name}")
"""


def timed(*args: str) -> float:
    start = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed: {result.stderr[-500:]}")
    return elapsed


def igbib(*args: str) -> list[str]:
    return [sys.executable, "-m", "igbib", *args]


def measure(n: int, folder: Path) -> dict:
    bib = str(data.build(n, OUT))
    plain = folder / f"plain-{n}.sqlite"
    subprocess.run([sys.executable, "-c", _NO_HISTORY, str(plain)], check=True)
    recorded = folder / f"history-{n}.sqlite"
    baseline = timed(*igbib("import", bib, "--db", str(plain)))
    with_history = timed(*igbib("import", bib, "--db", str(recorded)))
    with sqlite3.connect(recorded) as conn:
        rows = conn.execute("SELECT count(*) FROM history_rows").fetchone()[0]
    size_recorded = os.path.getsize(recorded)
    undo = timed(*igbib("undo", "--db", str(recorded)))
    redo = timed(*igbib("undo", "2", "--db", str(recorded)))
    return {
        "papers": n,
        "import_s": baseline,
        "import_history_s": with_history,
        "history_ratio": with_history / baseline,
        "undo_s": undo,
        "redo_s": redo,
        "undo_ratio": undo / baseline,
        "history_rows": rows,
        "size_plain": os.path.getsize(plain),
        "size_history": size_recorded,
    }


def write_report(results: list[dict]) -> None:
    lines = [
        "",
        "## History: its cost on import, and undo (`bench/bench_history.py`)",
        "",
        f"Measured {date.today().isoformat()} on: {data.machine()}; {data.code_version()}.",
        "Whole processes. Baseline: the same `igbib import` into a library whose history",
        "triggers are dropped, in the same run. `undo` reverts the import (every paper",
        "removed), `redo` (`igbib undo 2`) reverts the undo (every paper back).",
        "",
        "| papers | import, no history | import | ratio | undo | redo | undo / import |"
        " library size, no history / with |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['papers']:,} | {r['import_s']:.2f} s | {r['import_history_s']:.2f} s"
            f" | {r['history_ratio']:.2f}x | {r['undo_s']:.2f} s | {r['redo_s']:.2f} s"
            f" | {r['undo_ratio']:.2f}x | {r['size_plain'] / 1e6:.1f} /"
            f" {r['size_history'] / 1e6:.1f} MB |"
        )
    lines += ["", "```", *(json.dumps(r) for r in results), "```", ""]
    with REPORT.open("a", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print(f"appended to {REPORT}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--write", action="store_true", help="append to docs/benchmarks.md")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for n in args.sizes:
            result = measure(n, Path(folder))
            print(json.dumps(result), flush=True)
            results.append(result)
    if args.write:
        write_report(results)


if __name__ == "__main__":
    main()
