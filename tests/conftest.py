"""Shared fixtures. Every test runs with its own data directory and no IGBIB_DB,
so no test can touch a real library, and no test can reach the internet."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import sys
from pathlib import Path

import pytest

from igbib.importers import parse_file
from igbib.ops.ingest import import_parsed
from igbib.store import Library

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "awesome-imaging-genetics.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No IGBIB_DB, a private user data directory, and a working directory with no library."""
    monkeypatch.delenv("IGBIB_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture(autouse=True)
def no_internet(monkeypatch):
    """Fail any test that tries to open a connection beyond this machine."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"test tried to reach the internet: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "library.sqlite"


@pytest.fixture
def seed_db(db_path) -> Path:
    """A library holding the seed list, closed."""
    with Library.open(db_path, write=True) as library:
        import_parsed(library, parse_file(SEED), name=SEED.name)
    return db_path


@pytest.fixture
def seed_library(seed_db):
    with Library.open(seed_db, write=True) as library:
        yield library


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def copy_fixture(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copy(FIXTURES / name, target)
    return target


class Result:
    """What a command line did: its exit code and what it printed."""

    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self) -> str:
        return f"Result({self.returncode}, stdout={self.stdout[:200]!r}, stderr={self.stderr!r})"


def igbib(*args, input: str | None = None, cwd=None) -> Result:
    """Run an igbib command line in this process, as the console script would.

    Standard input, output and error are replaced for the call (they are not
    terminals), and the exit code is the one the process would exit with.
    """
    from typer.testing import CliRunner

    from igbib.cli import execute

    runner = CliRunner()
    previous = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        with runner.isolation(input=input) as (out, err, _):
            code = execute([str(a) for a in args])
            sys.stdout.flush()
            sys.stderr.flush()
            stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
        return Result(code, stdout, stderr)
    finally:
        os.chdir(previous)


def igbib_process(*args, input: str | None = None, cwd=None, env=None):
    """Run igbib as a separate process: for what only a process shows (start-up, signals, pipes)."""
    import subprocess

    return subprocess.run(
        [sys.executable, "-m", "igbib", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=input,
        env=env,
        timeout=120,
    )


def one_line_error(result, code=1) -> str:
    """The one ``error:`` line a failed command printed; fails if it printed anything else."""
    assert result.returncode == code, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def env_without_db() -> dict:
    env = dict(os.environ)
    env.pop("IGBIB_DB", None)
    return env


# -- online services, served from recorded responses -------------------------------

NCBI = FIXTURES / "ncbi"
DOI = FIXTURES / "doi"
EMPTY_EFETCH = "sulpub_efetch_nonexistent_ids_empty_set.body.xml"
#: efetch bodies by the PMIDs they answer
EFETCH = {
    frozenset(
        {"19008416", "18927361", "18787170"}
    ): "hawc_TestPubMedFetch.test_multiquery.i0.body.xml",
    frozenset(
        {"18487186", "18239126", "18239125"}
    ): "hawc_TestPubMedFetch.test_multiquery.i1.body.xml",
    frozenset({"23878845", "16080930"}): "hawc2020_TestPubMedFetch.test_utf8.body.xml",
    frozenset({"21860499"}): "hawc_TestPubMedFetch.test_collective_author.body.xml",
    frozenset({"26468569"}): "hawc_TestPubMedFetch.test_book.body.xml",
    frozenset({"21813367"}): "hawc_TestPubMedFetch.test_structured_abstract.body.xml",
    frozenset({"39382274"}): "metapub_pmid_39382274.xml",
    frozenset({"37909814"}): "metapub_pmid_37909814.xml",
}
#: Crossref /works bodies by DOI
WORKS = {
    "10.1038/srep16696": "habanero-2026_works_with_many_ids.body3.json",
    "10.1016/j.neurobiolaging.2010.03.024": "habanero-2026_works_with_many_ids.body1.json",
    "10.1371/journal.pone.0033693": "habanero-2026_works_with_one_id.body1.json",
}
#: doi.org CSL-JSON bodies by DOI
CSL = {"10.1126/science.169.3946.635": "habanero-2026_transform_csljson.body2.json"}


class Services:
    """A local stand-in for E-utilities, Crossref and doi.org, answering with real recordings."""

    def __init__(self, server):
        self.server = server
        self.failures: dict[str, list[int]] = {}  # path prefix -> statuses to answer first

    def url(self, name: str) -> str:
        return self.server.url_for(f"/{name}/")

    def fail(self, prefix: str, *statuses: int) -> None:
        self.failures.setdefault(prefix, []).extend(statuses)

    def requests(self, prefix: str = "/") -> list:
        return [r for r, _ in self.server.log if r.path.startswith(prefix)]

    def handle(self, request):
        from werkzeug import Response

        for prefix, statuses in self.failures.items():
            if request.path.startswith(prefix) and statuses:
                status = statuses.pop(0)
                headers = {"Retry-After": "0"} if status == 429 else {}
                return Response("", status=status, headers=headers)
        path = request.path
        if path == "/eutils/efetch.fcgi":
            ids = frozenset(i for i in request.values.get("id", "").split(",") if i)
            name = EFETCH.get(ids)
            if name is None:
                name = next((n for k, n in EFETCH.items() if ids and ids <= k), EMPTY_EFETCH)
            return _file(NCBI / name, "text/xml")
        if path == "/eutils/esearch.fcgi":
            term = request.values.get("term", "")
            if "science[journal]" in term or ("microRNA-101" in term and "[Title]" in term):
                return _file(
                    NCBI / "hawc_TestPubMedSearch.test_standard_query.i1.body.xml", "text/xml"
                )
            return _file(NCBI / "biopython_esearch8.xml", "text/xml")  # nothing found
        if path.startswith("/crossref/works/"):
            doi = path.removeprefix("/crossref/works/").lower()
            if doi in WORKS:
                return _file(DOI / WORKS[doi], "application/json")
            return _file(DOI / "habanero-2026_works_bad_id_404.body1.txt", "text/plain", 404)
        if path.startswith("/doi/"):
            doi = path.removeprefix("/doi/").lower()
            if doi in CSL and "citationstyles" in request.headers.get("Accept", ""):
                return _file(DOI / CSL[doi], "application/vnd.citationstyles.csl+json")
            return _file(DOI / "habanero-2026_cn_doi_404.body1.html", "text/html", 404)
        return Response("", status=404)


def _file(path: Path, content_type: str, status: int = 200):
    from werkzeug import Response

    return Response(path.read_bytes(), status=status, content_type=content_type)


@pytest.fixture
def services(httpserver, monkeypatch, tmp_path):
    return serve(Services(httpserver), httpserver, monkeypatch, tmp_path)


def serve(fake, httpserver, monkeypatch, tmp_path):
    """Point igbib at ``fake`` (a :class:`Services`) for this test, with its own cache and
    no config, and return it."""
    import re

    httpserver.expect_request(re.compile(".*")).respond_with_handler(fake.handle)
    monkeypatch.setenv("IGBIB_EUTILS_URL", fake.url("eutils"))
    monkeypatch.setenv("IGBIB_CROSSREF_URL", fake.url("crossref"))
    monkeypatch.setenv("IGBIB_DOI_URL", fake.url("doi"))
    monkeypatch.setenv("IGBIB_IDCONV_URL", fake.url("idconv"))
    monkeypatch.setenv("IGBIB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("IGBIB_CONFIG", str(tmp_path / "no-config.ini"))
    monkeypatch.setenv("IGBIB_BACKOFF", "0.01")
    monkeypatch.setenv("IGBIB_EMAIL", "curator@example.org")
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    return fake


def exports(db) -> dict[str, str]:
    """The library in every export format, as a user would write it (to compare states)."""
    from igbib.exporters import FORMATS

    out = {}
    for fmt in FORMATS:
        result = igbib("export", "-f", fmt, "--db", db)
        assert result.returncode == 0, result.stderr
        out[fmt] = result.stdout
    return out


def version_1_library(path) -> None:
    """Write at ``path`` a library of schema version 1 holding one paper, as igbib 0.1 made."""
    import sqlite3

    from igbib.store import migrations

    conn = sqlite3.connect(path, isolation_level=None)
    migrations.m001_tables(conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO papers (citekey, title, authors, source, added, updated)"
        " VALUES ('gevaert2014', 'Glioblastoma multiforme radiogenomics',"
        " '[{\"family\": \"Gevaert\", \"given\": \"Olivier\"}]', 'markdown', 'x', 'x')"
    )
    conn.close()
