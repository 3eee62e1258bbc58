"""The HTTP client under a misbehaving service: every request, wait and answer is bounded.

The services answer with real recordings (tests/fixtures, see SOURCES.md); the faults
are the transport's: no answer, a byte at a time, late, redirected in a loop, a body
of 500 MB or a gzip bomb, a Retry-After.
"""

import time
import tracemalloc

import pytest
from conftest import DOI, EFETCH, NCBI
from faults import (
    FaultServer,
    answer,
    gzip_stream,
    hang,
    late,
    plain_stream,
    point_services_at,
    redirect_to_itself,
    stream,
    trickle,
)

from igbib.config import load_settings
from igbib.errors import SourceError
from igbib.http import MAX_ANSWER_BYTES, MAX_REDIRECTS, Http
from igbib.sources import crossref, pubmed

ONE = NCBI / EFETCH[frozenset({"39382274"})]  # one efetch record, 2025
THREE = NCBI / EFETCH[frozenset({"19008416", "18927361", "18787170"})]
WORK = DOI / "habanero-2026_works_with_many_ids.body3.json"  # 10.1038/srep16696


@pytest.fixture
def faults(monkeypatch, tmp_path):
    server = point_services_at(FaultServer(), monkeypatch, tmp_path)
    yield server
    server.close()


def client(**settings):
    slept = []
    http = Http(load_settings(), cache=settings.get("cache", False), sleep=slept.append)
    return http, slept


def efetch_url():
    return load_settings().eutils_url + "efetch.fcgi"


# -- time ---------------------------------------------------------------------------


def test_a_server_that_never_answers_is_given_up_after_the_time_limit(faults, monkeypatch):
    monkeypatch.setenv("IGBIB_RETRIES", "0")
    faults.route("/eutils/", hang)
    http, _ = client()
    started = time.monotonic()
    with pytest.raises(SourceError) as err:
        http.request("ncbi", "GET", efetch_url(), params={"id": "39382274"})
    assert time.monotonic() - started < 2
    assert str(err.value) == (
        "PubMed (NCBI E-utilities) is unreachable at 127.0.0.1: "
        "timed out (no whole answer within 0.5 s, IGBIB_TIMEOUT)"
    )


def test_a_trickle_cannot_stretch_the_time_limit(faults, monkeypatch):
    """One byte every 50 ms keeps a socket's read time-out from ever firing: the limit is
    on the whole request, from connecting to the last byte."""
    monkeypatch.setenv("IGBIB_RETRIES", "0")
    monkeypatch.setenv("IGBIB_TIMEOUT", "1")
    faults.route("/eutils/", trickle(ONE.read_bytes(), every=0.05, give_up=8))
    http, _ = client()
    started = time.monotonic()
    fetched = pubmed.fetch(http, ["39382274"])
    assert time.monotonic() - started < 3
    assert not fetched.papers
    assert "timed out (no whole answer within 1 s" in str(fetched.failed["39382274"])


def test_a_service_that_hangs_is_not_asked_again_after_two_time_outs(faults, monkeypatch):
    monkeypatch.setenv("IGBIB_RETRIES", "4")
    faults.route("/crossref/", hang)
    http, _ = client()
    errors = []
    started = time.monotonic()
    for doi in ("10.1038/srep16696", "10.1371/journal.pone.0033693", "10.1126/science.1165395"):
        with pytest.raises(SourceError) as err:
            crossref.fetch_work(http, doi)
        errors.append(str(err.value))
    assert len(faults.asked("/crossref/")) == 2  # not 5 per DOI
    assert time.monotonic() - started < 2.5
    assert errors[0].startswith("Crossref is unreachable at 127.0.0.1: timed out")
    assert errors[1] == errors[0] + "; not asked again in this command"
    assert errors[2] == errors[1]


def test_the_breaker_of_one_service_leaves_the_others_alone(faults, monkeypatch):
    faults.route("/crossref/", hang)
    faults.route("/eutils/", answer(200, ONE.read_bytes()))
    http, _ = client()
    for _ in range(2):
        with pytest.raises(SourceError):
            crossref.fetch_work(http, "10.1038/srep16696")
    assert [p.pmid for p in pubmed.fetch(http, ["39382274"]).papers] == ["39382274"]


def test_a_success_resets_the_count_of_failures(faults, monkeypatch):
    monkeypatch.setenv("IGBIB_RETRIES", "1")  # two failures in a row open the breaker
    calls = []

    def flaky(connection, request, server):  # every other answer is a 500
        calls.append(1)
        status = 500 if len(calls) % 2 else 200
        answer(status, ONE.read_bytes() if status == 200 else b"")(connection, request, server)

    faults.route("/eutils/", flaky)
    http, _ = client()
    results = [bool(pubmed.fetch(http, ["39382274"]).papers) for _ in range(4)]
    assert results == [True] * 4 and len(calls) == 8  # 4 failures, never 2 in a row


def test_the_deadline_bounds_the_whole_command(faults, monkeypatch):
    monkeypatch.setenv("IGBIB_DEADLINE", "1.2")
    monkeypatch.setenv("IGBIB_TIMEOUT", "5")
    monkeypatch.setenv("IGBIB_EFETCH_BATCH", "1")
    faults.route("/eutils/", late(0.5, answer(200, ONE.read_bytes())))
    http, _ = client()
    started = time.monotonic()
    fetched = pubmed.fetch(http, ["39382274"] * 6)
    assert time.monotonic() - started < 2.2
    assert len(faults.asked("/eutils/")) <= 3
    assert fetched.papers and fetched.failed  # what came in time is kept
    reasons = {str(e) for e in fetched.failed.values()}
    assert reasons <= {
        "PubMed (NCBI E-utilities) had not answered when this command's time limit "
        "(1.2 s, IGBIB_DEADLINE) passed",
        "PubMed (NCBI E-utilities) was not asked: this command's time limit "
        "(1.2 s, IGBIB_DEADLINE) has passed",
    }


# -- waits --------------------------------------------------------------------------


def test_retry_after_is_counted_down_second_by_second(httpserver, faults):
    httpserver.expect_ordered_request("/x").respond_with_data(
        "", status=429, headers={"Retry-After": "3"}
    )
    httpserver.expect_ordered_request("/x").respond_with_data("ok")
    http, slept = client()
    shown = []
    http.countdown = shown.append
    assert http.request("ncbi", "GET", httpserver.url_for("/x")).text == "ok"
    assert shown == [
        "PubMed (NCBI E-utilities) asks to wait 3 s (HTTP 429): trying again in 3 s",
        "PubMed (NCBI E-utilities) asks to wait 3 s (HTTP 429): trying again in 2 s",
        "PubMed (NCBI E-utilities) asks to wait 3 s (HTTP 429): trying again in 1 s",
        None,
    ]
    assert [s for s in slept if s == 1.0] == [1.0, 1.0, 1.0]


def test_a_retry_after_past_the_deadline_is_not_waited(httpserver, faults, monkeypatch):
    monkeypatch.setenv("IGBIB_DEADLINE", "5")
    httpserver.expect_request("/x").respond_with_data("", status=429, headers={"Retry-After": "60"})
    http, slept = client()
    with pytest.raises(SourceError) as err:
        http.request("crossref", "GET", httpserver.url_for("/x"))
    assert str(err.value) == (
        "Crossref asks to wait 60 s (HTTP 429); the next try would come after this command's "
        "time limit (5 s, IGBIB_DEADLINE), so it was not waited for"
    )
    assert len(httpserver.log) == 1 and max(slept, default=0) < 60


def test_a_backoff_past_the_deadline_is_not_waited(faults, monkeypatch):
    monkeypatch.setenv("IGBIB_DEADLINE", "2")
    monkeypatch.setenv("IGBIB_BACKOFF", "5")
    faults.route("/eutils/", answer(503, b""))
    http, slept = client()
    with pytest.raises(SourceError, match="answered HTTP 503; the next try would come after"):
        http.request("ncbi", "GET", efetch_url())
    assert slept == [] or max(slept) < 1


# -- redirects ----------------------------------------------------------------------


def test_a_redirect_loop_is_cut_and_each_hop_waits_its_turn(faults):
    faults.route("/doi/", redirect_to_itself)
    slept = []
    # the clock stands still, so each hop must wait its turn however slow the machine
    http = Http(load_settings(), cache=False, sleep=slept.append, clock=lambda: 1000.0)
    with pytest.raises(SourceError) as err:
        crossref.fetch_csl(http, "10.1126/science.169.3946.635")
    assert str(err.value) == (
        "doi.org sent more than 5 redirects in a row from 127.0.0.1; not followed"
    )
    assert len(faults.asked("/doi/")) == 1 + MAX_REDIRECTS
    assert len([s for s in slept if s > 0]) == MAX_REDIRECTS  # doi.org's 10 a second, each hop


def test_a_redirect_is_followed_to_the_answer(faults):
    body = (DOI / "habanero-2026_transform_csljson.body2.json").read_bytes()
    faults.route("/doi/10.1126/", answer(302, b"", Location="/doi/moved"))
    faults.route("/doi/moved", answer(200, body, "application/vnd.citationstyles.csl+json"))
    http, _ = client()
    paper = crossref.fetch_csl(http, "10.1126/science.169.3946.635")
    assert paper.title.startswith("The Structure of Ordinary Water")
    assert http.requests_made == 2


# -- size ---------------------------------------------------------------------------


def _peak_while(work):
    tracemalloc.start()
    try:
        started = time.monotonic()
        result = work()
        return result, tracemalloc.get_traced_memory()[1], time.monotonic() - started
    finally:
        tracemalloc.stop()


def test_a_gzip_bomb_is_refused_without_inflating_it(faults, monkeypatch):
    """1 GB of white space after a real efetch body, gzipped to about 1 MB."""
    monkeypatch.setenv("IGBIB_TIMEOUT", "20")
    bomb = stream(gzip_stream(ONE.read_bytes(), 2**30), Content_Encoding="gzip")
    faults.route("/eutils/", bomb)
    http, _ = client(cache=True)
    fetched, peak, seconds = _peak_while(lambda: pubmed.fetch(http, ["39382274"]))
    assert str(fetched.failed["39382274"]) == (
        "PubMed (NCBI E-utilities) sent an answer larger than 32 MB once decompressed; refused"
    )
    assert peak < 3 * MAX_ANSWER_BYTES and seconds < 10
    assert len(faults.asked("/eutils/")) == 1  # the same answer is not asked for again
    http.close()
    assert _cached_rows() == 0


def test_a_500_mb_answer_is_not_read_whole(faults, monkeypatch):
    monkeypatch.setenv("IGBIB_TIMEOUT", "20")
    size = 500 * 2**20
    faults.route("/eutils/", stream(plain_stream(ONE.read_bytes(), size), Content_Length=str(size)))
    http, _ = client()
    fetched, peak, seconds = _peak_while(lambda: pubmed.fetch(http, ["39382274"]))
    assert "sent an answer larger than 32 MB; refused" in str(fetched.failed["39382274"])
    assert peak < 3 * MAX_ANSWER_BYTES and seconds < 10


def test_a_gzipped_answer_within_the_limit_is_read(faults):
    from faults import gzipped

    faults.route(
        "/eutils/", answer(200, gzipped(THREE.read_bytes()), "text/xml", Content_Encoding="gzip")
    )
    http, _ = client()
    fetched = pubmed.fetch(http, ["19008416", "18927361", "18787170"])
    assert [p.pmid for p in fetched.papers] == ["19008416", "18927361", "18787170"]


def _cached_rows() -> int:
    import os
    import sqlite3

    path = os.path.join(os.environ["IGBIB_CACHE_DIR"], "answers.sqlite")
    if not os.path.exists(path):
        return 0
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM answers").fetchone()[0]
