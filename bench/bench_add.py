"""Benchmark: requests and wall time of ``igbib add`` for 200 and 1,000 PMIDs.

A local E-utilities stand-in answers efetch with real MEDLINE records (the 604
citations of ``medline16n0902.xml.gz``, see ``../shared/bench-data/SOURCES.md``),
each wrapped in the ``<PubmedArticle>`` element efetch puts around a citation,
after a fixed delay per request that stands for the network. 1,000 PMIDs are the
604 real ones and 396 the set does not hold (reported as not found, as PubMed would).

Compared in the same run with the naive client: one efetch per PMID, through the
same HTTP layer (same rate limit, here NCBI's 10 requests a second with an API key).

    python bench/bench_add.py --write     # appends its section to docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
MEDLINE = Path(
    os.environ.get(
        "IGBIB_BENCH_MEDLINE", ROOT.parent / "shared" / "bench-data" / "medline16n0902.xml.gz"
    )
)
REPORT = ROOT / "docs" / "benchmarks.md"
DELAY = 0.2  # seconds a request spends on the network
HEADER = '<?xml version="1.0" ?>\n<PubmedArticleSet>\n'
FOOTER = "</PubmedArticleSet>\n"


def load_citations() -> dict[str, str]:
    text = gzip.decompress(MEDLINE.read_bytes()).decode("utf-8")
    citations = re.findall(r"<MedlineCitation\b.*?</MedlineCitation>", text, re.S)
    out = {}
    for citation in citations:
        pmid = re.search(r"<PMID[^>]*>(\d+)</PMID>", citation).group(1)
        out[pmid] = f"<PubmedArticle>{citation}</PubmedArticle>\n"
    return out


def serve(citations: dict[str, str]):
    counter = {"requests": 0}

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, query: str) -> None:
            counter["requests"] += 1
            time.sleep(DELAY)
            ids = parse_qs(query).get("id", [""])[0].split(",")
            body = HEADER + "".join(citations[i] for i in ids if i in citations) + FOOTER
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802
            self._answer(urlsplit(self.path).query)

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            self._answer(self.rfile.read(length).decode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, counter


def run(n: int, citations: dict[str, str], work: Path) -> dict:
    real = list(citations)
    pmids = real[:n] + [str(90000000 + i) for i in range(max(0, n - len(real)))]
    server, counter = serve(citations)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    env = {
        **os.environ,
        "IGBIB_EUTILS_URL": base,
        "IGBIB_CACHE_TTL": "0",
        "NCBI_API_KEY": "benchmark",
        "IGBIB_CONFIG": str(work / "none.ini"),
    }
    ids = work / f"ids-{n}.txt"
    ids.write_text("\n".join(pmids))
    db = work / f"add-{n}.sqlite"
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "igbib", "add", "-f", str(ids), "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
    )
    batched_s = time.perf_counter() - start
    batched_requests = counter["requests"]
    added = result.stdout.count("\tadded\t")

    counter["requests"] = 0
    naive = subprocess.run(
        [sys.executable, "-c", _NAIVE, *pmids],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    naive_s, naive_found = json.loads(naive.stdout)
    naive_requests = counter["requests"]
    server.shutdown()
    row = {
        "pmids": n,
        "found": added,
        "igbib_requests": batched_requests,
        "igbib_s": batched_s,
        "naive_requests": naive_requests,
        "naive_found": naive_found,
        "naive_s": naive_s,
        "speedup": naive_s / batched_s,
    }
    print(json.dumps(row), flush=True)
    return row


_NAIVE = """
import json, sys, time
from igbib.config import load_settings
from igbib.http import Http
from igbib.sources.pubmed import fetch
http = Http(load_settings(), cache=False)
start = time.perf_counter()
found = sum(len(fetch(http, [pmid])[0]) for pmid in sys.argv[1:])
print(json.dumps([time.perf_counter() - start, found]))
"""


def write(rows: list[dict]) -> None:
    section = [
        "",
        "## `igbib add` of many PMIDs",
        "",
        f"Measured {date.today().isoformat()} by `python bench/bench_add.py --write`: a local",
        "E-utilities stand-in answering real MEDLINE records after "
        f"{DELAY * 1000:.0f} ms a request,",
        "NCBI's limit of 10 requests a second (API key), no cache. Whole `igbib add -f ids.txt`",
        "(process start, fetch, parse, store) against one efetch per PMID through the same client.",
        "",
        "| PMIDs | found | igbib requests | igbib wall time | one-per-id requests "
        "| one-per-id time | speed-up |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        section.append(
            f"| {r['pmids']:,} | {r['found']} | {r['igbib_requests']} | {r['igbib_s']:.2f} s "
            f"| {r['naive_requests']} | {r['naive_s']:.1f} s | {r['speedup']:.0f}x |"
        )
    section.append("")
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    text = text.split("\n## `igbib add` of many PMIDs", 1)[0].rstrip("\n") + "\n"
    REPORT.write_text(text + "\n".join(section))
    print(f"wrote {REPORT}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if not MEDLINE.exists():
        sys.exit(f"benchmark input not found: {MEDLINE} (set IGBIB_BENCH_MEDLINE)")
    citations = load_citations()
    with tempfile.TemporaryDirectory() as tmp:
        rows = [run(n, citations, Path(tmp)) for n in args.sizes]
    if args.write:
        write(rows)


if __name__ == "__main__":
    main()
