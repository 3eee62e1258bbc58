"""Benchmark: the Markdown list importer on real lists, and on hostile Markdown.

Every figure is set against a plain list measured in the same run: ordinary
entries (``* Smith et al., [A title](https://pubmed.ncbi.nlm.nih.gov/…/), *Radiology*, 2014``)
making a file of the same size, so a ratio says how much harder the input is
than the work the importer is built for.

Real lists. ``parse_markdown`` on the largest list of the shared corpus
(``../shared/lists``) and on the seed list, best of ``--runs``, each against the
plain list of its size (the two take turns, so a slow spell hits both). Then a
whole ``igbib import --dry-run`` of the largest list as a process, on an empty
library, median of ``--runs`` after a warm-up, against ``python -c pass`` and the
same command on the plain list.

Linearity. Each hostile input of ``tests/hostile_markdown.py`` (a heading with
thousands of spaces, runs of ``*`` and ``_``, thousands of ``[``, unclosed
links, comments and ``<details>``, a list item of many links, a table row of
many cells, ...) at 4, 16 and 64 KB, parsed in a child process that is killed
after ``--timeout`` seconds: best of ``--hostile-runs`` (repeated up to 0.2 s
when a parse is quick). The table gives milliseconds, then the time per KB as a ratio
to the plain list's at the same size, then how the time per KB grows from the
smallest to the largest size: about 1x for a linear parser, 16x for a quadratic
one, 256x for a cubic one. A case that times out at one size is not tried at
the larger ones.

    python bench/bench_import_lists.py                    # about a minute on 2 cores
    python bench/bench_import_lists.py --sizes 4,16 --timeout 5 --out /tmp/lists.md
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))  # the hostile inputs are the speed test's

import corpus_lists  # noqa: E402
import hostile_markdown  # noqa: E402
from hostile_markdown import CASES, plain, time_parse  # noqa: E402

import data  # noqa: E402
from igbib.importers.markdown import parse_markdown  # noqa: E402

LIMIT_RATIO = 20  # the speed test's limit at 16 KB, x the plain list
QUICK = 0.2  # seconds: a quick parse is repeated until its runs add up to this
LONG_RUN = 1.0  # seconds: one run this long is timed once, not best of --runs


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- real lists --------------------------------------------------------------------


def best_of(text: str, runs: int, other: str) -> tuple[float, float]:
    """Best parse times of ``text`` and ``other``, in turns."""
    best = [float("inf"), float("inf")]
    for _ in range(runs):
        for i, t in enumerate((text, other)):
            start = time.perf_counter()
            parse_markdown(t)
            best[i] = min(best[i], time.perf_counter() - start)
    return best[0], best[1]


def parse_rows(files: list[tuple[str, Path]], runs: int) -> list[dict]:
    rows = []
    for label, path in files:
        text = path.read_text(encoding="utf-8-sig")
        baseline = plain(len(text.encode()))
        seconds, plain_seconds = best_of(text, runs, baseline)
        rows.append(
            {
                "file": label,
                "bytes": len(text.encode()),
                "papers": len(parse_markdown(text).entries),
                "plain_papers": len(parse_markdown(baseline).entries),
                "parse_ms": seconds * 1000,
                "plain_ms": plain_seconds * 1000,
                "ratio": seconds / plain_seconds,
            }
        )
    return rows


def find_igbib() -> Path:
    beside = Path(sys.executable).parent / "igbib"
    if not beside.is_file():
        sys.exit("error: no igbib beside this python; pip install -e . in this venv first")
    return beside


def dry_run_rows(largest: Path, runs: int, tmp: Path) -> list[dict]:
    """Whole processes, each once a round in a rotating order; medians of ``runs``."""
    plain_md = tmp / "plain.md"
    text = plain(largest.stat().st_size)
    plain_md.write_text(text, encoding="utf-8")
    igbib = str(find_igbib())
    db = str(tmp / "empty.sqlite")  # never made: a dry run writes nothing
    env = {k: v for k, v in os.environ.items() if not k.startswith("IGBIB_")}
    papers = text.count("\n* ")
    dry_run = [igbib, "--db", db, "import", "--dry-run"]
    commands = {
        "`python -c pass`": [sys.executable, "-c", "pass"],
        f"`igbib import --dry-run` of the plain list ({papers} papers)": [*dry_run, str(plain_md)],
        f"`igbib import --dry-run` of `{corpus_lists.short_name(largest)}`": [
            *dry_run,
            str(largest),
        ],
    }
    times: dict[str, list[float]] = {label: [] for label in commands}
    codes: dict[str, int] = {}
    labels = list(commands)
    for rnd in range(runs + 1):  # the first round warms the disk cache, and is not kept
        for label in labels[rnd % 3 :] + labels[: rnd % 3]:
            start = time.perf_counter()
            proc = subprocess.run(commands[label], capture_output=True, env=env, cwd=tmp)
            seconds = time.perf_counter() - start
            codes[label] = proc.returncode
            if rnd:
                times[label].append(seconds)
    if Path(db).exists():
        log(f"note: the dry run made {db}")
    base = statistics.median(times[labels[0]])
    plain_ms = statistics.median(times[labels[1]])
    return [
        {
            "command": label,
            "median_ms": statistics.median(t) * 1000,
            "min_ms": min(t) * 1000,
            "x_python": statistics.median(t) / base,
            "x_plain": statistics.median(t) / plain_ms if i else None,
            "exit": codes[label],
        }
        for i, (label, t) in enumerate(times.items())
    ]


# -- linearity ----------------------------------------------------------------------


def linearity(sizes: list[int], runs: int, timeout: float) -> dict[str, dict[int, dict]]:
    """``{case: {kb: {"bytes", "ms", "skipped", "error", "papers", "runs"}}}``; ``ms`` is
    None when the parse timed out, raised (``error``) or was not tried (``skipped``)."""
    results: dict[str, dict[int, dict]] = {}
    makers = [("plain", plain)] + [(c.name, c.make) for c in CASES]
    for name, make in makers:
        results[name] = {}
        slow = False
        for kb in sizes:
            text = make(kb * 1024)
            cell: dict = {"bytes": len(text.encode()), "ms": None, "skipped": slow, "error": ""}
            if not slow:
                timing = time_parse(
                    text, budget=timeout, runs=runs, stop_after=LONG_RUN, min_total=QUICK
                )
                slow = timing.timed_out
                if timing.best is not None:
                    cell.update(ms=timing.best * 1000, papers=timing.papers, runs=timing.runs)
                elif not timing.timed_out:
                    log(timing.error)
                    cell["error"] = timing.error.splitlines()[-1] if timing.error else "failed"
            if name == "plain" and cell["ms"] is None:
                sys.exit(f"error: the plain list of {kb} KB: {cell['error'] or 'timed out'}")
            results[name][kb] = cell
            log(f"  {name} {kb} KB: {shown(cell)}")
    return results


def ratio(value: float) -> str:
    return f"{value:.2f}x" if value < 10 else f"{value:,.0f}x"


def shown(cell: dict) -> str:
    if cell["skipped"]:
        return "not tried"
    if cell["error"]:
        return f"raised {cell['error']}"
    return "timed out" if cell["ms"] is None else f"{cell['ms']:.2f} ms"


def per_kb(cell: dict) -> float | None:
    return cell["ms"] / (cell["bytes"] / 1024) if cell["ms"] is not None else None


def linearity_table(results: dict, sizes: list[int], timeout: float) -> list[str]:
    plain_row = results["plain"]
    what = {c.name: c.what for c in CASES} | {"plain": "ordinary entries (baseline)"}
    head = ["input", "what"]
    head += [f"ms at {kb} KB" for kb in sizes]
    head += [f"x plain at {kb} KB" for kb in sizes]
    head += [f"ms/KB growth {sizes[0]} to {sizes[-1]} KB"]
    lines = ["| " + " | ".join(head) + " |", "| --- | --- " + "| ---: " * (len(head) - 2) + "|"]
    for name, row in results.items():
        ms, ratios = [], []
        for kb in sizes:
            cell, base = row[kb], per_kb(plain_row[kb])
            if cell["skipped"] or cell["error"]:
                ms.append(shown(cell).replace("|", "\\|"))
                ratios.append("")
            elif cell["ms"] is None:
                ms.append(f"> {timeout * 1000:,.0f}")
                ratios.append(f"> {timeout * 1000 / (cell['bytes'] / 1024) / base:,.0f}x")
            else:
                ms.append(f"{cell['ms']:,.2f}")
                ratios.append(ratio(per_kb(cell) / base))
        lines.append(
            f"| `{name}` | {what[name]} | " + " | ".join([*ms, *ratios, growth(row, sizes)]) + " |"
        )
    return lines


def growth(row: dict, sizes: list[int]) -> str:
    """How the time per KB grows over the sizes measured (all of them, or the first few)."""
    done = [kb for kb in sizes if row[kb]["ms"] is not None]
    if len(done) < 2:
        return "—"
    value = per_kb(row[done[-1]]) / per_kb(row[done[0]])
    span = "" if done[-1] == sizes[-1] else f" ({done[0]} to {done[-1]} KB)"
    return f"{value:,.1f}x{span}"


# -- report ---------------------------------------------------------------------------


def report(parses: list[dict], dry_runs: list[dict], results: dict, args, header: str) -> str:
    sizes = args.sizes
    lines = [
        "# igbib: importing Markdown lists",
        "",
        header,
        "",
        f"## Real lists: `parse_markdown`, best of {args.runs}",
        "",
        "| file | bytes | papers | parse ms | plain list of the same size: papers | ms | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in parses:
        lines.append(
            f"| `{r['file']}` | {r['bytes']:,} | {r['papers']} | {r['parse_ms']:.2f} "
            f"| {r['plain_papers']} | {r['plain_ms']:.2f} | {r['ratio']:.2f}x |"
        )
    lines += [
        "",
        f"## Whole `igbib import --dry-run`, empty library: median of {args.runs} runs",
        "",
        "| command | median ms | min ms | x `python -c pass` | x the plain list | exit code |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in dry_runs:
        vs_plain = f"{r['x_plain']:.2f}x" if r["x_plain"] is not None else ""
        lines.append(
            f"| {r['command']} | {r['median_ms']:.1f} | {r['min_ms']:.1f} | {r['x_python']:.2f}x "
            f"| {vs_plain} | {r['exit']} |"
        )
    lines += [
        "",
        f"## Linearity: hostile input at {', '.join(f'{kb} KB' for kb in sizes)}",
        "",
        f"Each parse in a child process killed after {args.timeout:g} s; best of "
        f"{args.hostile_runs} runs (repeated up to {QUICK:g} s when quick). `x plain`: time per KB "
        "over the plain list's at the same size.",
        "",
        *linearity_table(results, sizes, args.timeout),
        "",
        *verdicts(results, sizes),
    ]
    return "\n".join(lines) + "\n"


def verdicts(results: dict, sizes: list[int]) -> list[str]:
    at = 16 if 16 in sizes else sizes[-1]
    base = per_kb(results["plain"][at])
    over, slow = [], []
    for name, row in results.items():
        if name == "plain":
            continue
        cell = row[at]
        timed_out = next(
            (kb for kb in sizes if row[kb]["ms"] is None and not row[kb]["error"]), None
        )  # sizes after the first time-out are not tried
        raised = [kb for kb in sizes if row[kb]["error"]]
        if cell["error"]:
            over.append(f"`{name}` (raised {cell['error']})")
        elif cell["ms"] is None:
            over.append(f"`{name}` (timed out at {timed_out} KB)")
        elif per_kb(cell) / base > LIMIT_RATIO:
            over.append(f"`{name}` ({per_kb(cell) / base:,.0f}x)")
        if timed_out is not None:
            slow.append(f"`{name}` (timed out at {timed_out} KB)")
        elif raised:
            slow.append(f"`{name}` (raised at {raised[0]} KB)")
        elif per_kb(row[sizes[-1]]) / per_kb(row[sizes[0]]) > 2:
            slow.append(f"`{name}` ({growth(row, sizes)})")
    cases = len(results) - 1

    def verdict(failing: list[str]) -> str:
        if not failing:
            return f"met by all {cases}."
        return f"NOT met by {len(failing)} of {cases}: {', '.join(failing)}."

    return [
        "Against the targets:",
        "",
        f"- within {LIMIT_RATIO}x the plain list's time at {at} KB (the ratio "
        "`tests/importers/test_markdown_speed.py` allows at 16 KB, before its 0.25 s floor): "
        + verdict(over),
        f"- time per KB at most 2x higher at {sizes[-1]} KB than at {sizes[0]} KB (linear): "
        + verdict(slow),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--lists", default=str(corpus_lists.DEFAULT_LISTS), help="the corpus (../shared/lists)"
    )
    parser.add_argument("--seed", default=str(corpus_lists.DEFAULT_SEED), help="the seed list")
    parser.add_argument("--runs", type=int, default=5, help="runs for the real lists (5)")
    parser.add_argument("--hostile-runs", type=int, default=3, help="runs per hostile input (3)")
    parser.add_argument("--sizes", default="4,16,64", help="hostile input sizes in KB (4,16,64)")
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds before a parse is killed (10)"
    )
    parser.add_argument("--out", help="also write the Markdown report to this file")
    parser.add_argument("--json", action="store_true", help="print the raw results as JSON")
    args = parser.parse_args()
    try:
        args.sizes = sorted({int(kb) for kb in args.sizes.split(",")})
    except ValueError:
        parser.error("--sizes: whole numbers of KB, comma-separated")
    if args.runs < 1 or args.hostile_runs < 1 or args.timeout <= 0 or min(args.sizes) < 1:
        parser.error("--runs, --hostile-runs, --sizes and --timeout must be positive")
    began = time.perf_counter()

    lists = corpus_lists.files_in(Path(args.lists).expanduser().resolve())
    if not lists:
        sys.exit(f"error: no .md files in {args.lists}")
    largest = max(lists, key=lambda p: p.stat().st_size)
    seed = Path(args.seed).expanduser().resolve()
    files = [(corpus_lists.short_name(largest) + " (largest list)", largest)]
    if seed.is_file():
        files.append((corpus_lists.short_name(seed) + " (seed)", seed))
    else:
        log(f"note: {seed}: no such file; the seed is left out")

    log("real lists ...")
    parses = parse_rows(files, args.runs)
    with tempfile.TemporaryDirectory(prefix="igbib-lists-") as tmp:
        dry_runs = dry_run_rows(largest, args.runs, Path(tmp))
    log(f"hostile input at {args.sizes} KB ...")
    results = linearity(args.sizes, args.hostile_runs, args.timeout)

    command = "python bench/bench_import_lists.py" + "".join(
        f" {a}" for a in sys.argv[1:] if a not in ("--json",)
    )
    header = (
        f"Measured {date.today().isoformat()} by `{command.strip()}` on: "
        f"{data.machine()}; {data.code_version()}. "
        f"Hostile inputs: `{Path(hostile_markdown.__file__).relative_to(ROOT)}`."
    )
    if args.json:
        raw = {"measured": header, "parses": parses, "dry_runs": dry_runs, "linearity": results}
        text = json.dumps(raw, indent=2)
    else:
        text = report(parses, dry_runs, results, args, header)
        text += f"\nThe whole run took {time.perf_counter() - began:.0f} s.\n"
    print(text)
    if args.out:
        Path(args.out).expanduser().write_text(text, encoding="utf-8")
        log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
