"""Benchmark: export throughput of every format at 1k, 10k and 100k papers.

The libraries are built from the real BibTeX records of ``bench/data.py``. Each
format renders every paper in-process (reading the papers from the library is
timed apart); the baseline in the same run is bibtexparser's own writer with its
default middleware, writing the same entries (same keys and field values).
The CSL processor (``text``, ``html``) is measured at 1k only: citeproc-py
formats some hundred references a second, far too slow for 100k.

    python bench/bench_export.py --write    # appends its section to docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import data  # noqa: E402
from igbib.exporters import FORMATS as ALL_FORMATS  # noqa: E402

REPORT = HERE.parent / "docs" / "benchmarks.md"
SLOW = ("text", "html")  # a CSL processor: timed only on the smaller libraries
FORMATS = tuple(f for f in ALL_FORMATS if f not in SLOW)
HEADING = "\n## Export throughput"


def build(n: int, work: Path) -> Path:
    from igbib.importers import parse_file
    from igbib.ops.ingest import import_parsed
    from igbib.store import Library

    db = work / f"export-{n}.sqlite"
    with Library.open(db, write=True) as library:
        import_parsed(library, parse_file(data.build(n, data_dir())), "bench")
    return db


def data_dir() -> Path:
    return HERE / "out"


def baseline(papers) -> float:
    """bibtexparser's writer on the same entries: fields as plain strings, default enclosing."""
    import bibtexparser
    from bibtexparser.model import Entry, Field

    from igbib.exporters import Options
    from igbib.exporters.bibtex import _type, fields

    options = Options()
    library = bibtexparser.Library()
    for paper in papers:
        plain = [Field(k, v[1:-1] if v.startswith("{") else v) for k, v in fields(paper, options)]
        library.add(Entry(_type(paper, False), paper.citekey, plain))
    start = time.perf_counter()
    bibtexparser.write_string(library)
    return time.perf_counter() - start


def measure(n: int, work: Path) -> dict:
    from igbib.exporters import Options, render
    from igbib.search import search
    from igbib.store import Library

    db = build(n, work)
    row: dict = {"papers": n}
    with Library.open(db) as library:
        start = time.perf_counter()
        papers = search(library, "", sort="section")
        row["read_s"] = time.perf_counter() - start
        for fmt in FORMATS + (SLOW if n <= 1000 else ()):
            start = time.perf_counter()
            text = render(fmt, papers, Options(), library)
            seconds = time.perf_counter() - start
            row[fmt] = {"s": seconds, "per_s": n / seconds, "mb": len(text.encode()) / 1e6}
    row["bibtexparser_writer_s"] = baseline(papers)
    row["bibtex_ratio"] = row["bibtex"]["s"] / row["bibtexparser_writer_s"]
    print(json.dumps(row), flush=True)
    return row


def write(rows: list[dict]) -> None:
    formats = [f for f in FORMATS + SLOW if f in rows[0]]
    lines = [
        HEADING.strip("\n"),
        "",
        f"Measured {date.today().isoformat()} by `python bench/bench_export.py --write`: papers",
        "rendered per second, in-process, for the whole library (reading it from SQLite is",
        "timed apart); `text`/`html` (citeproc-py) at 1k only. Baseline in the same run:",
        "bibtexparser's own writer on the same entries.",
        "",
        "| papers | read | "
        + " | ".join(formats)
        + " | bibtexparser writer | igbib bibtex / writer |",
        "| ---: | ---: | " + " | ".join("---:" for _ in formats) + " | ---: | ---: |",
    ]
    for r in rows:
        cells = [f"{r[f]['per_s']:,.0f}/s" if f in r else "—" for f in formats]
        lines.append(
            f"| {r['papers']:,} | {r['read_s']:.2f} s | "
            + " | ".join(cells)
            + f" | {r['papers'] / r['bibtexparser_writer_s']:,.0f}/s | {r['bibtex_ratio']:.2f}x |"
        )
    lines.append("")
    data.replace_section(REPORT, HEADING, lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = [measure(n, Path(tmp)) for n in args.sizes]
    if args.write:
        write(rows)


if __name__ == "__main__":
    main()
