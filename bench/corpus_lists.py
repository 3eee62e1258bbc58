"""The per-list table: what the Markdown importer finds in each real reading list.

One row per file of the shared corpus (``../shared/lists/*.md``, twelve public
awesome lists copied byte for byte; their ``SOURCES.md`` describes them and is
left out) and the seed list (``../shared/seed/awesome-imaging-genetics.md``):
its size; the papers found; what the importer kept that is not a paper, by kind
(software, dataset, website, course, table of contents, badge, text), and what
it could not read; how many of the papers have a title, a year, authors and an
identifier (PMID, PMCID, DOI, ...); and the time ``parse_markdown`` takes (best
of ``--runs``). ``igbib import`` would refuse a file in which nothing is
recognised; such a row gives the refusal, as ``parse_file`` words it, and still
counts what ``parse_markdown`` found.

    python bench/corpus_lists.py                   # ../shared/lists and the seed
    python bench/corpus_lists.py ~/lists --json    # another folder, as JSON
    python bench/corpus_lists.py --no-seed --runs 1

Only the public API is used (``parse_file``, ``parse_markdown`` and what they
return), so the table can be made again on any version of the importer; the
``others`` list of non-paper items may be missing (older importers), and then
counts as empty.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections import Counter
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import data  # noqa: E402
from igbib.errors import ImportFileError  # noqa: E402
from igbib.importers import parse_file  # noqa: E402
from igbib.importers.markdown import parse_markdown  # noqa: E402

ROOT = HERE.parent
DEFAULT_LISTS = ROOT.parent / "shared" / "lists"
DEFAULT_SEED = ROOT.parent / "shared" / "seed" / "awesome-imaging-genetics.md"
NOT_LISTS = {"SOURCES.md"}  # the corpus folder's description of itself
#: The kinds of non-paper items, in the order the columns show them; any other kind
#: an importer reports gets a column after these.
KINDS = ("software", "dataset", "website", "course", "badge", "text")
UNREADABLE = "unreadable"
FIELDS = ("title", "year", "authors", "identifier")


def short_name(path: Path) -> str:
    """``owner__repo__README.md`` -> ``repo``; any other file: its name without ``.md``."""
    parts = path.name.split("__")
    return parts[1] if len(parts) == 3 else path.stem


def has(paper, field: str) -> bool:
    if field == "identifier":
        return bool(paper.identifiers())
    return bool(getattr(paper, field))


def best_parse(text: str, runs: int):
    """``parse_markdown(text)`` and the best of ``runs`` times, in seconds."""
    best = float("inf")
    parsed = None
    for _ in range(runs):
        start = time.perf_counter()
        parsed = parse_markdown(text)
        best = min(best, time.perf_counter() - start)
    return parsed, best


def row(path: Path, runs: int, seed: bool = False) -> dict:
    """Everything the table says about one file."""
    result: dict = {
        "file": short_name(path) + (" (seed)" if seed else ""),
        "path": str(path),
        "bytes": path.stat().st_size,
        "refused": None,
        "error": None,
    }
    try:
        parse_file(path)
    except ImportFileError as exc:
        result["refused"] = str(exc).replace(f"{path}: ", "", 1)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeError) as exc:
        result["refused"] = result["refused"] or f"cannot read: {exc}"
        return result
    try:
        parsed, seconds = best_parse(text, runs)
    except ImportFileError as exc:  # the importer refuses the text itself
        result["refused"] = result["refused"] or str(exc)
        return result
    except Exception as exc:  # a bug in the importer: show it, go on with the others
        traceback.print_exc()
        result["error"] = f"{type(exc).__name__}: {exc}"
        return result
    papers = [e.paper for e in parsed.entries]
    others = Counter(o.kind for o in getattr(parsed, "others", []))
    result.update(
        papers=len(papers),
        others=dict(others),
        unreadable=others.get(UNREADABLE, 0),
        skipped=len(parsed.skipped),
        failed=len(parsed.failed),
        share={f: percent(sum(has(p, f) for p in papers), len(papers)) for f in FIELDS},
        parse_ms=round(seconds * 1000, 2),
    )
    return result


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def kinds_of(rows: list[dict]) -> list[str]:
    seen = {k for r in rows for k in r.get("others", {}) if k != UNREADABLE}
    return [*KINDS, *sorted(seen - set(KINDS))]


def table(rows: list[dict]) -> list[str]:
    kinds = kinds_of(rows)
    head = ["file", "bytes", "papers", *kinds, UNREADABLE, "skipped", "failed"]
    head += [f"{f} %" for f in FIELDS] + ["parse ms", "refused / error"]
    lines = ["| " + " | ".join(head) + " |", "| --- " + "| ---: " * (len(head) - 2) + "| --- |"]
    for r in rows:
        cells = [f"`{r['file']}`", f"{r['bytes']:,}"]
        if "papers" in r:
            share = [r["share"][f] for f in FIELDS]
            cells += [str(r["papers"]), *(str(r["others"].get(k, 0)) for k in kinds)]
            cells += [str(r["unreadable"]), str(r["skipped"]), str(r["failed"])]
            cells += ["—" if s is None else f"{s:.0f}" for s in share]
            cells.append(f"{r['parse_ms']:.1f}")
        else:
            cells += [""] * (len(head) - 3)
        note = r["error"] and f"error: {r['error']}" or r["refused"] or ""
        cells.append(note.replace("|", "\\|"))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def files_in(folder: Path) -> list[Path]:
    if not folder.is_dir():
        sys.exit(f"error: {folder}: no such folder")
    return sorted(p for p in folder.glob("*.md") if p.name not in NOT_LISTS)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "folder", nargs="?", default=str(DEFAULT_LISTS), help="lists to read (../shared/lists)"
    )
    parser.add_argument("--seed", default=str(DEFAULT_SEED), help="the seed list, read last")
    parser.add_argument("--no-seed", action="store_true", help="leave the seed out")
    parser.add_argument("--runs", type=int, default=3, help="parses of each file, best kept (3)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be positive")
    folder = Path(args.folder).expanduser().resolve()
    paths = [(p, False) for p in files_in(folder)]
    if not args.no_seed:
        seed = Path(args.seed).expanduser().resolve()
        if not seed.is_file():
            sys.exit(f"error: {seed}: no such file (--no-seed leaves it out)")
        paths.append((seed, True))
    rows = [row(path, args.runs, seed) for path, seed in paths]
    measured = f"{date.today().isoformat()} on: {data.machine()}; {data.code_version()}"
    if args.json:
        print(json.dumps({"measured": measured, "folder": str(folder), "files": rows}, indent=2))
    else:
        print(f"# What the Markdown importer finds in {len(rows)} real lists\n")
        print(f"Measured {measured}. Folder: `{folder}`; parse: best of {args.runs}.\n")
        print("\n".join(table(rows)))
        accepted = [r for r in rows if "papers" in r and not r["refused"]]
        total = sum(r.get("papers", 0) for r in rows)
        refused = sum(bool(r["refused"]) for r in rows)
        errors = sum(bool(r["error"]) for r in rows)
        print(
            f"\n{total:,} papers in {plural(len(rows), 'file')}: {len(accepted)} imported, "
            f"{refused} refused, {errors} raised an error."
        )
    if any(r["error"] for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
