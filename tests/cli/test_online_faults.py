"""igbib add, refresh and pubmed as users run them, against services that misbehave.

Every command finishes in bounded time, keeps what it fetched, and says in one line
what happened. The bodies are real recordings (tests/fixtures, SOURCES.md); the
faults are injected around them: no answer, late answers, a body cut short, an
error page where a record was expected, a Retry-After.
"""

import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DOI, EFETCH, NCBI, digest, igbib, one_line_error
from faults import FaultServer, answer, hang, late, point_services_at

from igbib.store import Library

ONE = NCBI / EFETCH[frozenset({"39382274"})]
WORK = DOI / "habanero-2026_works_with_many_ids.body3.json"  # 10.1038/srep16696


@pytest.fixture
def faults(monkeypatch, tmp_path):
    server = point_services_at(FaultServer(), monkeypatch, tmp_path)
    yield server
    server.close()


def efetch_by_id(connection, request, server):
    """The recorded efetch body of the ids asked (an empty set for ids not recorded)."""
    ids = frozenset(i for i in request.values.get("id", "").split(",") if i)
    name = next((n for k, n in EFETCH.items() if ids and ids <= k), None)
    body = (NCBI / (name or "sulpub_efetch_nonexistent_ids_empty_set.body.xml")).read_bytes()
    answer(200, body)(connection, request, server)


def statuses(result) -> dict[str, str]:
    rows = {}
    for line in result.stdout.splitlines():
        fields = line.split("\t")
        if len(fields) >= 2:
            rows[fields[0]] = fields[1]
    return rows


# -- bounded time ---------------------------------------------------------------------


def test_services_that_never_answer_cost_two_time_outs_each_not_five_per_id(faults, db_path):
    """482 s before (5 attempts of 30 s per request, 3 requests); now 2 time-outs a service."""
    faults.route("/", hang)
    started = time.monotonic()
    result = igbib("add", "19008416", "18927361", "10.1038/srep16696", "--db", db_path)
    elapsed = time.monotonic() - started
    line = one_line_error(result, 4)
    assert line.startswith(
        "error: PubMed (NCBI E-utilities) is unreachable at 127.0.0.1: timed out"
    )
    assert len(faults.asked("/eutils/")) == 2 and len(faults.asked("/crossref/")) == 2
    assert elapsed < 4  # 4 time-outs of 0.5 s
    assert not db_path.exists()


def test_what_was_fetched_is_kept_when_another_service_hangs(faults, db_path):
    faults.route(
        "/eutils/esearch.fcgi", answer(200, (NCBI / "biopython_esearch8.xml").read_bytes())
    )
    faults.route("/eutils/efetch.fcgi", efetch_by_id)
    faults.route("/crossref/", hang)
    result = igbib("add", "39382274", "10.1038/srep16696", "--db", db_path)
    assert result.returncode == 1
    rows = statuses(result)
    assert rows["39382274"] == "added" and rows["10.1038/srep16696"] == "failed"
    assert "Crossref is unreachable at 127.0.0.1: timed out" in result.stdout
    with Library.open(db_path) as library:
        assert library.count() == 1


def test_the_command_deadline_fails_what_is_left_and_keeps_what_was_fetched(
    faults, db_path, monkeypatch
):
    monkeypatch.setenv("IGBIB_EFETCH_BATCH", "1")
    monkeypatch.setenv("IGBIB_TIMEOUT", "5")
    monkeypatch.setenv("IGBIB_DEADLINE", "1.6")
    faults.route("/eutils/efetch.fcgi", late(0.5, efetch_by_id))
    pmids = ["39382274", "21860499", "26468569", "21813367", "37909814"]
    started = time.monotonic()
    result = igbib("add", *pmids, "--db", db_path)
    assert time.monotonic() - started < 3
    rows = statuses(result)
    added = [p for p in pmids if rows.get(p) == "added"]
    failed = [p for p in pmids if rows.get(p) == "failed"]
    assert added and failed and len(added) + len(failed) == len(pmids)
    assert added == pmids[: len(added)]  # in the order asked, until time ran out
    assert "this command's time limit (1.6 s, IGBIB_DEADLINE)" in result.stdout
    with Library.open(db_path) as library:
        assert library.count() == len(added)


def test_a_batch_that_fails_keeps_the_batches_fetched(services, db_path, monkeypatch):
    monkeypatch.setenv("IGBIB_EFETCH_BATCH", "3")
    asked = []

    def second_batch_fails(request):
        from werkzeug import Response

        if request.path == "/eutils/efetch.fcgi":
            asked.append(request.values.get("id"))
            if len(asked) > 1:
                return Response("", status=500)
        return services.handle(request)

    services.server.clear_all_handlers()
    services.server.expect_request(re.compile(".*")).respond_with_handler(second_batch_fails)
    first = ["19008416", "18927361", "18787170"]
    second = ["18487186", "18239126", "18239125"]
    result = igbib("add", *first, *second, "--db", db_path)
    assert result.returncode == 1
    rows = statuses(result)
    assert [rows[p] for p in first] == ["added"] * 3
    assert [rows[p] for p in second] == ["failed"] * 3
    assert re.search(r"PubMed \(NCBI E-utilities\) answered HTTP 500 .*5 times", result.stdout)
    with Library.open(db_path) as library:
        assert library.count() == 3


# -- Retry-After on a terminal ----------------------------------------------------------


def _retry_after_then_record(seconds: str):
    calls = []

    def behaviour(connection, request, server):
        calls.append(1)
        if len(calls) == 1:
            answer(429, b"", Retry_After=seconds)(connection, request, server)
        else:
            efetch_by_id(connection, request, server)

    return behaviour


def test_a_retry_after_is_counted_down_on_a_terminal(faults, db_path, tmp_path):
    import pty

    faults.route("/eutils/", _retry_after_then_record("2"))
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "IGBIB_DB"}
    process = subprocess.Popen(
        [sys.executable, "-m", "igbib", "add", "39382274", "--db", str(db_path)],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    stdout, _ = process.communicate(timeout=60)
    os.close(leader)
    assert process.returncode == 0, seen
    text = seen.decode()
    assert "asks to wait 2 s (HTTP 429): trying again in 2 s" in text
    assert "trying again in 1 s" in text
    assert b"added" in stdout


def test_no_countdown_when_stderr_is_not_a_terminal(faults, db_path):
    faults.route("/eutils/", _retry_after_then_record("1"))
    result = igbib("add", "39382274", "--db", db_path)
    assert result.returncode == 0 and result.stderr == ""


# -- the cache ----------------------------------------------------------------------------


BROKEN_ANSWERS = {
    "truncated efetch XML": lambda body: body[: len(body) // 2],
    "an HTML error page": lambda body: (DOI / "habanero-2026_cn_doi_404.body1.html").read_bytes(),
    "an NCBI <ERROR> body": lambda body: (
        NCBI / "sulpub_efetch_empty_id_error_then_12529422.i0.body.xml"
    ).read_bytes(),
}


@pytest.mark.parametrize("broken", BROKEN_ANSWERS, ids=list(BROKEN_ANSWERS))
def test_a_broken_answer_of_200_is_not_cached(services, db_path, broken):
    """Before: cached for 7 days, so the same failure came back without a request."""
    state = {"broken": True}

    def handle(request):
        response = services.handle(request)
        if request.path == "/eutils/efetch.fcgi" and state["broken"]:
            body = BROKEN_ANSWERS[broken](response.get_data())
            return _raw(body, response.content_type)
        return response

    services.server.clear_all_handlers()
    services.server.expect_request(re.compile(".*")).respond_with_handler(handle)
    failed = igbib("add", "19008416", "--db", db_path)
    line = one_line_error(failed, 4)
    assert "PubMed" in line
    state["broken"] = False
    fixed = igbib("add", "19008416", "--db", db_path)
    assert fixed.returncode == 0 and "added" in fixed.stdout
    assert len(services.requests("/eutils/efetch.fcgi")) == 2  # asked again, not cached


def _raw(body: bytes, content_type: str):
    from werkzeug import Response

    return Response(body, status=200, content_type=content_type)


def test_an_expired_answer_stands_in_when_the_service_is_down(services, db_path, monkeypatch):
    assert igbib("add", "19008416", "--db", db_path).returncode == 0
    cache = Path(os.environ["IGBIB_CACHE_DIR"]) / "answers.sqlite"
    with sqlite3.connect(cache) as db:  # a week and a day later
        db.execute("UPDATE answers SET stored = stored - ?", (8 * 24 * 3600,))
    monkeypatch.setenv("IGBIB_RETRIES", "1")
    services.fail("/eutils/", *[503] * 4)  # the service is down
    result = igbib("add", "19008416", "--update", "--db", db_path)
    assert result.returncode == 0, result
    assert "unchanged" in result.stdout
    (note,) = result.stderr.strip().splitlines()
    assert re.match(
        r"note: PubMed \(NCBI E-utilities\) answered HTTP 503 .*2 times; try again later; "
        r"1 answer came from the cache instead \(expired, stored \d{4}-\d\d-\d\d\)$",
        note,
    )
    fresh = igbib("add", "19008416", "--update", "--no-cache", "--db", db_path)
    assert fresh.returncode == 4  # without the cache, the service really is down


def test_the_cache_holds_no_email_and_no_api_key(services, db_path, monkeypatch):
    monkeypatch.setenv("NCBI_API_KEY", "s3cr3t-key")
    monkeypatch.setenv("IGBIB_EMAIL", "curator@example.org")
    result = igbib("add", "19008416", "10.1038/srep16696", "PMC4141648", "--db", db_path)
    assert "added" in result.stdout
    folder = Path(os.environ["IGBIB_CACHE_DIR"])
    stored = b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    assert stored
    for secret in (b"s3cr3t-key", b"curator@example.org", b"curator%40example.org"):
        assert secret not in stored
    with sqlite3.connect(folder / "answers.sqlite") as db:
        urls = [u for (u,) in db.execute("SELECT url FROM answers")]
    assert urls and not any("mailto" in u or "email" in u or "api_key" in u for u in urls)


def test_a_damaged_cache_is_named_not_the_library(services, seed_db):
    folder = Path(os.environ["IGBIB_CACHE_DIR"])
    folder.mkdir(parents=True)
    (folder / "answers.sqlite").write_bytes(b"\x00garbage, not SQLite" * 512)
    before = digest(seed_db)
    result = igbib("add", "19008416", "--db", seed_db)
    line = one_line_error(result, 1)
    assert line.startswith(f"error: the HTTP cache {folder / 'answers.sqlite'} is damaged (")
    assert line.endswith("delete it, or use --no-cache")
    assert "library" not in line
    assert digest(seed_db) == before
    assert igbib("add", "19008416", "--no-cache", "--db", seed_db).returncode == 0


def test_a_cache_folder_that_is_a_file_is_a_bad_setting(services, db_path, monkeypatch, tmp_path):
    plain = tmp_path / "a-file"
    plain.write_text("")
    monkeypatch.setenv("IGBIB_CACHE_DIR", str(plain))
    result = igbib("add", "19008416", "--db", db_path)
    assert one_line_error(result, 2) == (
        f"error: bad setting IGBIB_CACHE_DIR: {plain} is a file, not a folder "
        "(--no-cache goes without the cache)"
    )
    assert not db_path.exists()


# -- answers of an unexpected shape ----------------------------------------------------------


def _crossref_message_as_text(body: bytes) -> bytes:
    import json

    data = json.loads(body)
    data["message"] = json.dumps(data["message"])  # the record, as a string
    return json.dumps(data).encode()


def test_a_crossref_record_of_another_shape_fails_its_doi_only(services, db_path):
    def handle(request):
        response = services.handle(request)
        if request.path.startswith("/crossref/works/"):
            return _raw(_crossref_message_as_text(response.get_data()), "application/json")
        return response

    services.server.clear_all_handlers()
    services.server.expect_request(re.compile(".*")).respond_with_handler(handle)
    result = igbib("add", "19008416", "10.1038/srep16696", "--db", db_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    rows = statuses(result)
    assert rows == {"19008416": "added", "10.1038/srep16696": "failed"}
    assert (
        "Crossref sent an answer for 10.1038/srep16696 without a record "
        "(its message is a string, not an object)" in result.stdout
    )
    with Library.open(db_path) as library:
        assert library.count() == 1


def test_an_efetch_record_of_another_shape_fails_its_pmid_only(services, db_path, monkeypatch):
    """The second of three real records has its <Article> moved out of <MedlineCitation>."""
    monkeypatch.setenv("IGBIB_EFETCH_BATCH", "3")

    def handle(request):
        response = services.handle(request)
        if request.path == "/eutils/efetch.fcgi":
            return _raw(_move_article_out(response.get_data(), 1), "text/xml")
        return response

    services.server.clear_all_handlers()
    services.server.expect_request(re.compile(".*")).respond_with_handler(handle)
    result = igbib("add", "19008416", "18927361", "18787170", "--db", db_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert statuses(result) == {"19008416": "added", "18927361": "failed", "18787170": "added"}
    assert "PubMed's record of PMID 18927361 cannot be read" in result.stdout
    with Library.open(db_path) as library:
        assert library.count() == 2


def _move_article_out(body: bytes, index: int) -> bytes:
    """The ``index``-th record's <Article> moved after its <MedlineCitation> (a mutation)."""
    records = body.split(b"<PubmedArticle>")
    record = records[index + 1]
    article = re.search(rb"<Article\b.*?</Article>", record, re.S).group()
    record = record.replace(article, b"", 1)
    record = record.replace(b"</MedlineCitation>", b"</MedlineCitation>" + article, 1)
    records[index + 1] = record
    return b"<PubmedArticle>".join(records)
