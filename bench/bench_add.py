"""Benchmark: requests, wall time and peak memory of ``igbib add`` for 200 to 20,000 PMIDs.

A local E-utilities stand-in answers efetch with real MEDLINE records (the 604
citations of ``medline16n0902.xml.gz``, see ``../shared/bench-data/SOURCES.md``),
each wrapped in the ``<PubmedArticle>`` element efetch puts around a citation,
after a fixed delay per request that stands for the network. Beyond 604 PMIDs the
records repeat, each copy with its own PMID and its own DOI, so that every one is a
distinct paper to igbib (as in ``bench/data.py``): 20,000 PMIDs are 20,000 papers.

The network part alone is measured in the same run: the same batches POSTed with
bare ``requests`` at the same rate, without parsing or storing (the floor igbib
cannot go below). ``--hang`` also measures the worst network case: ``igbib add`` of
2 PMIDs and 1 DOI when every service accepts connections and never answers.

Compared in the same run with the naive client: one efetch per PMID, through the
same HTTP layer (same rate limit, here NCBI's 10 requests a second with an API key).

    python bench/bench_add.py --write     # writes its section of docs/benchmarks.md
    python bench/bench_add.py --before ../old/src --hang --write   # before and after
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import socket
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


COPY_BASE = 60_000_000  # PMIDs of the copies: COPY_BASE + copy * 1,000 + record


class Citations:
    """The real citations by PMID, and copies of them under PMIDs of their own."""

    def __init__(self, records: dict[str, str]):
        self.records = records
        self.order = list(records)

    def pmids(self, n: int) -> list[str]:
        out = []
        for i in range(n):
            copy, record = divmod(i, len(self.order))
            out.append(self.order[record] if copy == 0 else str(COPY_BASE + copy * 1000 + record))
        return out

    def get(self, pmid: str) -> str | None:
        if pmid in self.records:
            return self.records[pmid]
        number = int(pmid) - COPY_BASE if pmid.isdigit() else -1
        copy, record = divmod(number, 1000)
        if copy < 1 or record >= len(self.order):
            return None
        text = self.records[self.order[record]]
        text = re.sub(r"(<PMID[^>]*>)\d+(</PMID>)", rf"\g<1>{pmid}\g<2>", text, count=1)
        return re.sub(
            r'(<ELocationID EIdType="doi"[^>]*>)[^<]*', rf"\g<1>10.5555/igbib-bench.{pmid}", text
        )


def load_citations() -> Citations:
    text = gzip.decompress(MEDLINE.read_bytes()).decode("utf-8")
    citations = re.findall(r"<MedlineCitation\b.*?</MedlineCitation>", text, re.S)
    out = {}
    for citation in citations:
        pmid = re.search(r"<PMID[^>]*>(\d+)</PMID>", citation).group(1)
        out[pmid] = f"<PubmedArticle>{citation}</PubmedArticle>\n"
    return Citations(out)


def serve(citations: Citations):
    counter = {"requests": 0}

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, query: str) -> None:
            counter["requests"] += 1
            time.sleep(DELAY)
            ids = parse_qs(query).get("id", [""])[0].split(",")
            body = HEADER + "".join(filter(None, map(citations.get, ids))) + FOOTER
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


def timed(command: list[str], env: dict) -> tuple[float, float, subprocess.CompletedProcess]:
    """``(wall seconds, peak memory in MiB, result)`` of one process (its own ``ru_maxrss``)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err, text=True)
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(command, process.returncode, out.read(), err.read())
    return elapsed, usage.ru_maxrss / 1024, result


def code_env(env: dict, source: str | None) -> dict:
    """``env`` for the igbib of ``source`` (the ``src`` folder of another checkout), if given."""
    if not source:
        return env
    return {**env, "PYTHONPATH": os.pathsep.join(filter(None, [source, env.get("PYTHONPATH")]))}


def run(n: int, citations: Citations, work: Path, naive_max: int, code: Code) -> dict:
    pmids = citations.pmids(n)
    server, counter = serve(citations)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    env = {
        **os.environ,
        "IGBIB_EUTILS_URL": base,
        "IGBIB_CACHE_TTL": "0",
        "NCBI_API_KEY": "benchmark",
        "IGBIB_CONFIG": str(work / "none.ini"),
        "IGBIB_DEADLINE": "3600",
    }
    ids = work / f"ids-{n}.txt"
    ids.write_text("\n".join(pmids))
    db = work / f"add-{n}-{code.label}.sqlite"
    command = [sys.executable, "-m", "igbib", "add", "-f", str(ids), "--db", str(db)]
    batched_s, batched_mib, result = timed(command, code_env(env, code.source))
    batched_requests = counter["requests"]
    added = result.stdout.count("\tadded\t")

    counter["requests"] = 0
    floor = subprocess.run(
        [sys.executable, "-c", _FLOOR, base, *pmids], env=env, capture_output=True, text=True
    )
    floor_s = json.loads(floor.stdout)
    row = {
        "code": code.label,
        "pmids": n,
        "found": added,
        "igbib_requests": batched_requests,
        "igbib_s": batched_s,
        "igbib_peak_mib": batched_mib,
        "floor_requests": counter["requests"],
        "floor_s": floor_s,
        "ratio_to_floor": batched_s / floor_s,
    }
    if n <= naive_max:
        counter["requests"] = 0
        naive = subprocess.run(
            [sys.executable, "-c", _NAIVE, *pmids],
            env=code_env(env, code.source),
            capture_output=True,
            text=True,
            check=True,
        )
        naive_s, naive_found = json.loads(naive.stdout)
        row.update(
            naive_requests=counter["requests"],
            naive_found=naive_found,
            naive_s=naive_s,
            speedup=naive_s / batched_s,
        )
    server.shutdown()
    print(json.dumps(row), flush=True)
    return row


def hang(work: Path, code: Code) -> dict:
    """``igbib add`` of 2 PMIDs and 1 DOI when every service accepts and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(listener.accept()[0])  # kept open, never answered
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    base = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    env = {
        **os.environ,
        "IGBIB_EUTILS_URL": base + "eutils/",
        "IGBIB_CROSSREF_URL": base + "crossref/",
        "IGBIB_DOI_URL": base + "doi/",
        "IGBIB_IDCONV_URL": base + "idconv/",
        "IGBIB_CACHE_DIR": str(work / f"hang-cache-{code.label}"),
        "IGBIB_CONFIG": str(work / "none.ini"),
    }
    db = work / f"hang-{code.label}.sqlite"
    command = [sys.executable, "-m", "igbib", "add", *HANG_IDS, "--db", str(db)]
    seconds, mib, result = timed(command, code_env(env, code.source))
    listener.close()
    for connection in held:
        connection.close()
    row = {
        "code": code.label,
        "case": "add " + " ".join(HANG_IDS),
        "s": seconds,
        "peak_mib": mib,
        "exit": result.returncode,
        "requests": len(held),
        "error": (result.stderr.strip().splitlines() or [""])[-1],
    }
    print(json.dumps(row), flush=True)
    return row


HANG_IDS = ("19008416", "18927361", "10.1038/srep16696")


class Code:
    """The igbib measured: this checkout's, or another's ``src`` folder (``--before``)."""

    def __init__(self, label: str, source: str | None = None):
        self.label, self.source = label, source


_NAIVE = """
import json, sys, time
from igbib.config import load_settings
from igbib.http import Http
from igbib.sources.pubmed import fetch
http = Http(load_settings(), cache=False)
start = time.perf_counter()
found = 0
for pmid in sys.argv[1:]:
    got = fetch(http, [pmid])
    found += len(got.papers if hasattr(got, "papers") else got[0])
print(json.dumps([time.perf_counter() - start, found]))
"""

#: The network part alone: the same batches POSTed with bare requests, same rate, no parsing.
_FLOOR = """
import json, sys, time
import requests
base, pmids = sys.argv[1], sys.argv[2:]
session = requests.Session()
start = time.perf_counter()
next_slot = 0.0
for i in range(0, len(pmids), 200):
    now = time.perf_counter()
    if next_slot > now:
        time.sleep(next_slot - now)
    next_slot = max(now, next_slot) + 0.1  # NCBI's 10 requests a second (API key)
    batch = ",".join(pmids[i : i + 200])
    session.post(base + "efetch.fcgi", data={"db": "pubmed", "id": batch}).content
print(json.dumps(time.perf_counter() - start))
"""

SECTION = "## `igbib add` of many PMIDs"


def write(rows: list[dict], hung: list[dict]) -> None:
    from data import machine

    labels = " and ".join(dict.fromkeys(r["code"] for r in rows + hung))
    section = [
        SECTION,
        "",
        f"Measured {date.today().isoformat()} by `python bench/bench_add.py --write"
        + (" --before SRC --hang`" if len(labels.split(" and ")) > 1 else "`")
        + f" on: {machine()}.",
        "",
        "A local E-utilities stand-in answers efetch with real MEDLINE records (beyond the 604",
        "of the slice, copies under PMIDs of their own) after "
        f"{DELAY * 1000:.0f} ms a request, at NCBI's limit of 10",
        "requests a second (API key), no cache. The whole `igbib add -f ids.txt` (process start,",
        "fetch, parse, store) is set against the network part alone, measured in the same run:",
        "the same batches POSTed with bare `requests` at the same rate, nothing parsed or stored.",
        f"Code measured: {labels} (`before`: the `src` of the checkout given with `--before`).",
        "",
        "| PMIDs | code | found | requests | igbib wall time | peak memory | network alone "
        "| ratio | one-per-id time |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        naive = f"{r['naive_s']:.1f} s ({r['naive_requests']} req.)" if "naive_s" in r else ""
        section.append(
            f"| {r['pmids']:,} | {r['code']} | {r['found']:,} | {r['igbib_requests']} "
            f"| {r['igbib_s']:.2f} s | {r['igbib_peak_mib']:.0f} MiB | {r['floor_s']:.2f} s "
            f"| {r['ratio_to_floor']:.2f}x | {naive} |"
        )
    if hung:
        section += [
            "",
            "The worst network case: `igbib add " + " ".join(HANG_IDS) + "` when every service",
            "accepts the connection and never answers (default settings).",
            "",
            "| code | wall time | peak memory | requests | exit | what it says |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
        ]
        for h in hung:
            section.append(
                f"| {h['code']} | {h['s']:.1f} s | {h['peak_mib']:.0f} MiB | {h['requests']} "
                f"| {h['exit']} | `{h['error']}` |"
            )
    section += ["", "Raw results (JSON lines):", "", "```"]
    section += [json.dumps(r) for r in rows + hung]
    section += ["```", ""]
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    head, found, rest = text.partition(SECTION)
    tail = ""
    if found:
        following = re.search(r"^## ", rest, re.M)
        tail = rest[following.start() :] if following else ""
    else:
        head = text.rstrip("\n") + "\n\n"
    REPORT.write_text(head + "\n".join(section) + ("\n" + tail if tail else ""))
    print(f"wrote {REPORT}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[200, 1000, 5000, 20000])
    parser.add_argument(
        "--naive-max", type=int, default=200, help="one efetch per PMID up to this size"
    )
    parser.add_argument("--hang", action="store_true", help="also the never-answering services")
    parser.add_argument(
        "--before", metavar="SRC", help="also measure the igbib of this src folder (as before)"
    )
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if not MEDLINE.exists():
        sys.exit(f"benchmark input not found: {MEDLINE} (set IGBIB_BENCH_MEDLINE)")
    citations = load_citations()
    codes = [Code("before", args.before), Code("after")] if args.before else [Code("after")]
    rows, hung = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            rows += [run(n, citations, Path(tmp), args.naive_max, code) for code in codes]
        if args.hang:
            hung = [hang(Path(tmp), code) for code in codes]
    if args.write:
        write(rows, hung)


if __name__ == "__main__":
    main()
