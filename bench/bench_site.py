"""Benchmark: the web page of ``igbib site`` at 10,000 papers, in headless chromium.

The library is built from the real BibTeX records of ``bench/data.py``. Measured:

- generation in Python: :func:`igbib.site.render_site` of the whole library
  (reading it from SQLite included), and the page's size;
- the page's load in chromium from a file: navigation start to
  DOMContentLoaded, to the end of the load event, and to the end of the page's
  own script (every row indexed, the filters shown); median of several loads;
- a search typed in the box: the page's filter function timed in the page with
  ``performance.now()`` around it, then the same plus the style and layout it
  causes (forced by reading a layout property), then until the next frame is
  drawn twice (blocks of rows laid out in one frame may bring others into view
  for the next); median over several queries, from the whole list to the matches.

Chromium is Debian's (``/usr/bin/chromium``, ``/usr/bin/chromedriver``), run
headless with the network features off, as the tests run it.

    python bench/bench_site.py --write                       # its section in docs/benchmarks.md
    python bench/bench_site.py --sizes 0 --screenshot docs/site.png   # the README's picture
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import data  # noqa: E402

REPORT = HERE.parent / "docs" / "benchmarks.md"
SHIPPED = HERE.parent / "library.sqlite"
HEADING = "\n## Web page (`igbib site`)"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: What people type: words common in the records, two-word searches, a prefix, no match.
QUERIES = (
    "memory",
    "brain",
    "neural",
    "learning",
    "cortex",
    "hippocampus",
    "visual attention",
    "episodic memory",
    "neuro",
    "cognit",
    "zzzqx",
)
LOADS = 7


def browser(work: Path, width: int = 1280, height: int = 1000):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument(f"--user-data-dir={work / 'chromium-profile'}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(300)
    driver.set_script_timeout(60)
    return driver


def build(n: int, work: Path) -> Path:
    from igbib.importers import parse_file
    from igbib.ops.ingest import import_parsed
    from igbib.store import Library

    db = work / f"site-{n}.sqlite"
    with Library.open(db, write=True) as library:
        import_parsed(library, parse_file(data.build(n, data_dir())), "bench")
    return db


def data_dir() -> Path:
    return HERE / "out"


def generate(db: Path, folder: Path) -> tuple[float, Path]:
    """Seconds to read the library and render its page (best of three), and the page."""
    from igbib.exporters import write_atomic
    from igbib.site import INDEX, render_site
    from igbib.store import Library

    times = []
    for _ in range(3):
        start = time.perf_counter()
        with Library.open(db) as library:
            text, _count = render_site(library)
        times.append(time.perf_counter() - start)
    page = folder / INDEX
    write_atomic(str(page), text)
    return min(times), page


LOAD_TIMES = """
const nav = performance.getEntriesByType("navigation")[0];
return [nav.domContentLoadedEventEnd, nav.loadEventEnd, window.igbibSite.readyAt,
        document.querySelectorAll("li.paper").length];
"""
FILTER = """
const done = arguments[arguments.length - 1];
const box = document.getElementById("q");
box.value = arguments[0];
const start = performance.now();
window.igbibSite.update();
const script = performance.now() - start;
document.body.offsetHeight;  // style and layout, now
const layout = performance.now() - start;
const shown = window.igbibSite.shown().length;
// two frames: the rows laid out in the first may bring others into view for the second
const drawn = () => done([script, layout, performance.now() - start, shown]);
requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(drawn)));
"""


def measure_page(driver, page: Path) -> dict:
    url = page.as_uri()
    loads = []
    for _ in range(LOADS):
        driver.get("about:blank")
        driver.get(url)
        loads.append(driver.execute_script(LOAD_TIMES))
    rows = loads[0][3]
    out: dict = {
        "rows": rows,
        "dom_content_loaded_ms": statistics.median(x[0] for x in loads),
        "load_ms": statistics.median(x[1] for x in loads),
        "script_ready_ms": statistics.median(x[2] for x in loads),
    }
    narrow, widen = [], []
    for query in QUERIES:
        narrow.append(driver.execute_async_script(FILTER, query))
        widen.append(driver.execute_async_script(FILTER, ""))  # back to every paper
    for name, runs in (("filter", narrow), ("clear", widen)):
        out[f"{name}_script_ms"] = statistics.median(r[0] for r in runs)
        out[f"{name}_layout_ms"] = statistics.median(r[1] for r in runs)
        out[f"{name}_frame_ms"] = statistics.median(r[2] for r in runs)
        out[f"{name}_worst_frame_ms"] = max(r[2] for r in runs)
    out["matches"] = {q: r[3] for q, r in zip(QUERIES, narrow, strict=True)}
    return out


def measure(n: int, work: Path, driver) -> dict:
    db = build(n, work)
    folder = work / f"site-{n}"
    seconds, page = generate(db, folder)
    row = {"papers": n, "generate_s": seconds, "mb": page.stat().st_size / 1e6}
    row.update(measure_page(driver, page))
    row["chromium"] = driver.capabilities.get("browserVersion", "")
    print(json.dumps(row), flush=True)
    return row


def screenshot(driver, work: Path, out: Path) -> None:
    """The shipped library's page, 1280 pixels wide, as a reader first sees it."""
    from igbib.site import write_site
    from igbib.store import Library

    with Library.open(SHIPPED) as library:
        path, _count = write_site(library, str(work / "shipped"))
    driver.set_window_size(1280, 1000)
    driver.get(Path(path).as_uri())
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    driver.set_window_size(1280 + (1280 - inner[0]), 900 + (1000 - inner[1]))
    driver.get(Path(path).as_uri())
    driver.save_screenshot(str(out))
    print(f"wrote {out}")


def machine() -> str:
    cpu = data.cpu_model() or "unknown CPU"
    return (
        f"{platform.machine()}, {os.cpu_count()} cores ({cpu}); "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}"
    )


def write(rows: list[dict]) -> None:
    queries = ", ".join(f"`{q}`" for q in QUERIES)
    lines = [
        HEADING.strip("\n"),
        "",
        f"Measured {date.today().isoformat()} by `python bench/bench_site.py --write` on "
        f"{machine()}; Chromium {rows[0]['chromium']} (Debian), headless, through chromedriver.",
        "",
        "Generation: `render_site` in-process, reading the library included (best of 3). Load: a",
        f"file:// navigation, from navigation start (median of {LOADS} loads); script ready is",
        "the end of the page's own script (rows indexed, filters shown). A search: the page's",
        "filter function timed in the page with `performance.now()` around the call, then with",
        "the style and layout it causes, then until two frames are drawn; median (and worst) of",
        f"{len(QUERIES)} queries typed over the whole list ({queries}), and of clearing each",
        "again (every row shown).",
        "",
        "| papers | page | generate | DOMContentLoaded | load event | script ready "
        "| search: script | + layout | drawn (worst) | clear: drawn (worst) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['papers']:,} | {r['mb']:.1f} MB | {r['generate_s']:.2f} s "
            f"| {r['dom_content_loaded_ms']:.0f} ms | {r['load_ms']:.0f} ms "
            f"| {r['script_ready_ms']:.0f} ms | {r['filter_script_ms']:.1f} ms "
            f"| {r['filter_layout_ms']:.1f} ms "
            f"| {r['filter_frame_ms']:.0f} ms ({r['filter_worst_frame_ms']:.0f} ms) "
            f"| {r['clear_frame_ms']:.0f} ms ({r['clear_worst_frame_ms']:.0f} ms) |"
        )
    big = rows[-1]
    target = "met" if big["filter_worst_frame_ms"] < 100 else "not met"
    lines += [
        "",
        f"Target (a query typed updates the list within 100 ms at {big['papers']:,} papers): "
        f"{target}, {big['filter_frame_ms']:.0f} ms median, {big['filter_worst_frame_ms']:.0f} ms "
        "worst, until drawn. The rows are written in blocks of 50 (`igbib.site.BLOCK`) that the",
        "browser lays out only near the screen (`content-visibility: auto`); a block or section",
        "with no row shown is hidden, and a block partly shown takes an estimated height.",
    ]
    lines += ["", "Raw results (JSON lines):", "", "```"]
    lines += [json.dumps(r) for r in rows]
    lines += ["```", ""]
    data.replace_section(REPORT, HEADING, lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--screenshot", type=Path, help="save the shipped library's page here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        driver = browser(work)
        try:
            rows = [measure(n, work, driver) for n in args.sizes if n > 0]
            if args.screenshot:
                screenshot(driver, work, args.screenshot)
        finally:
            driver.quit()
    if args.write and rows:
        write(rows)


if __name__ == "__main__":
    main()
