"""Real igbib processes for the tests of load, locks and crashes.

What these tests prove only holds between processes: SQLite's locks, igbib's
write lock and ``kill -9`` act on processes, not on threads of one. So each
writer here is a process of its own, started with :func:`igbib_command`, which
can first run a few lines that change one thing in it (a shorter busy timeout;
a ``SIGKILL`` at a chosen point of its work, :func:`kill_at`).

:class:`Medline` is a local E-utilities stand-in answering efetch with real
MEDLINE records (``fixtures/load/medline16n0902.xml.gz``), each wrapped in the
``<PubmedArticle>`` element efetch puts around a citation, as
``bench/bench_add.py`` does.
"""

from __future__ import annotations

import gzip
import os
import re
import sqlite3
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LOAD = FIXTURES / "load"
MEDLINE = LOAD / "medline16n0902.xml.gz"
CDL_1000 = LOAD / "cdl-1000.bib"

#: A busy timeout of half a second instead of 30 s: what a writer that waited the
#: busy timeout and no longer would do shows in a test of seconds.
SHORT_BUSY_TIMEOUT = "import igbib.store.connection\nigbib.store.connection.BUSY_TIMEOUT_MS = 500\n"


#: Each write transaction of an import or an add lasts 0.75 s longer than its work (it
#: waits before its commit), so writers started together must wait for each other
#: longer than :data:`SHORT_BUSY_TIMEOUT`.
SLOW_WRITES = """
import time
import igbib.ops.ingest
_apply = igbib.ops.ingest._apply
def _slow_apply(*args):
    _apply(*args)
    time.sleep(0.75)
igbib.ops.ingest._apply = _slow_apply
"""


def igbib_command(*args, before: str = "") -> list[str]:
    """The command line of a process that runs ``before``, then ``igbib ARGS``."""
    script = (
        textwrap.dedent(before) + "\nimport sys\nfrom igbib.cli import main\nmain(sys.argv[1:])\n"
    )
    return [sys.executable, "-c", script, *map(str, args)]


def kill_at(target: str, *, after: bool = False) -> str:
    """Lines that make the process ``SIGKILL`` itself when ``target`` is called (or, with
    ``after``, once it has returned): ``"igbib.ops.ingest:_flag"``,
    ``"igbib.store:Library._committed"``."""
    module, name = target.split(":")
    call = "_real(*args, **kwargs)\n    " if after else ""
    return f"""
import importlib, os, signal
_owner = importlib.import_module({module!r})
*_path, _name = {name!r}.split(".")
for _part in _path:
    _owner = getattr(_owner, _part)
_real = getattr(_owner, _name)
def _killing(*args, **kwargs):
    {call}os.kill(os.getpid(), signal.SIGKILL)
setattr(_owner, _name, _killing)
"""


def run(command: list[str], env: dict | None = None, timeout: float = 120):
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)


HOLD = """
import sys, time
from igbib.store import Library
Library.command = ("hold", "igbib hold (a test)")
with Library.open(sys.argv[1], write=True) as library, library.transaction():
    library.set_meta("held", "yes")
    print("ready", flush=True)
    time.sleep(float(sys.argv[2]))
print("done", flush=True)
"""


def hold_write_lock(db, seconds: float) -> subprocess.Popen:
    """An igbib process inside a write transaction of ``db`` for ``seconds``, as a long
    import is: it returns once the transaction has begun."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db), str(seconds)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    assert line.strip() == "ready", process.stderr.read()
    return process


def counts(db) -> tuple[int, int, int]:
    """``(papers, distinct PMIDs, distinct titles)`` of a library, read as any program would."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT count(*), count(DISTINCT pmid), count(DISTINCT lower(title)) FROM papers"
        ).fetchone()
    finally:
        conn.close()


def integrity(db) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def bib_parts(path: Path, parts: int, folder: Path) -> list[Path]:
    """``path``'s entries in ``parts`` files of consecutive whole entries."""
    text = path.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"^@", text, re.M)] + [len(text)]
    entries = [text[a:b] for a, b in zip(starts, starts[1:], strict=False)]
    size = -(-len(entries) // parts)
    out = []
    for i in range(parts):
        part = folder / f"part{i}.bib"
        part.write_text("".join(entries[i * size : (i + 1) * size]), encoding="utf-8")
        out.append(part)
    return out


class _QuietServer(ThreadingHTTPServer):
    """A server whose clients may be killed mid-answer (that is what these tests do): a
    connection they drop is not an error, and closing waits for every handler."""

    daemon_threads = False
    block_on_close = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Medline:
    """A local efetch answering with the real records of the MEDLINE slice."""

    def __init__(self):
        text = gzip.decompress(MEDLINE.read_bytes()).decode("utf-8")
        self.citations: dict[str, str] = {}
        for citation in re.findall(r"<MedlineCitation\b.*?</MedlineCitation>", text, re.S):
            pmid = re.search(r"<PMID[^>]*>(\d+)</PMID>", citation).group(1)
            self.citations[pmid] = f"<PubmedArticle>{citation}</PubmedArticle>\n"
        self.delay = 0.0
        self.requests = 0

    @property
    def pmids(self) -> list[str]:
        return list(self.citations)

    def __enter__(self) -> Medline:
        medline = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self, query: str) -> None:
                import time

                medline.requests += 1
                time.sleep(medline.delay)
                ids = parse_qs(query).get("id", [""])[0].split(",")
                body = (
                    '<?xml version="1.0" ?>\n<PubmedArticleSet>\n'
                    + "".join(medline.citations[i] for i in ids if i in medline.citations)
                    + "</PubmedArticleSet>\n"
                ).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802
                self.answer(urlsplit(self.path).query)

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                self.answer(self.rfile.read(length).decode())

            def log_message(self, *args):
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def env(self, tmp_path: Path) -> dict:
        """The environment of an igbib process that asks this server, with no cache."""
        env = dict(os.environ)
        env.pop("IGBIB_DB", None)
        env.update(
            IGBIB_EUTILS_URL=f"http://127.0.0.1:{self.server.server_address[1]}/",
            IGBIB_CACHE_DIR=str(tmp_path / "cache"),
            IGBIB_CACHE_TTL="0",
            IGBIB_CONFIG=str(tmp_path / "no-config.ini"),
            IGBIB_EMAIL="curator@example.org",
            IGBIB_BACKOFF="0.01",
        )
        env.pop("NCBI_API_KEY", None)
        return env
