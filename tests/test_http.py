"""The HTTP layer against a real local server: retries, Retry-After, limits, cache, failures."""

import socket

import pytest

from igbib import __version__
from igbib.config import load_settings
from igbib.errors import SourceError
from igbib.http import Http, RateLimiter


@pytest.fixture
def settings(monkeypatch, tmp_path):
    monkeypatch.setenv("IGBIB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("IGBIB_CONFIG", str(tmp_path / "none.ini"))
    monkeypatch.setenv("IGBIB_EMAIL", "curator@example.org")
    monkeypatch.setenv("NCBI_API_KEY", "s3cr3t-key")
    monkeypatch.setenv("IGBIB_RETRIES", "3")
    return load_settings()


def client(settings, cache=False):
    slept = []
    http = Http(settings, cache=cache, sleep=slept.append)
    return http, slept


def test_retries_5xx_with_growing_backoff_then_succeeds(httpserver, settings):
    httpserver.expect_ordered_request("/x").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/x").respond_with_data("busy", status=502)
    httpserver.expect_ordered_request("/x").respond_with_data("ok")
    http, slept = client(settings)
    response = http.request("crossref", "GET", httpserver.url_for("/x"))
    assert response.text == "ok" and len(httpserver.log) == 3
    backoffs = [s for s in slept if s >= 0.4]  # the rate limiter's own waits are shorter
    assert len(backoffs) == 2 and backoffs[1] > backoffs[0]


def test_retry_after_seconds_is_honoured(httpserver, settings):
    httpserver.expect_ordered_request("/x").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "2"}
    )
    httpserver.expect_ordered_request("/x").respond_with_data("ok")
    http, slept = client(settings)
    assert http.request("doi", "GET", httpserver.url_for("/x")).text == "ok"
    assert 2.0 in slept


def test_a_long_retry_after_is_reported_not_waited(httpserver, settings):
    httpserver.expect_request("/x").respond_with_data(
        "", status=429, headers={"Retry-After": "3600"}
    )
    http, slept = client(settings)
    with pytest.raises(SourceError, match="asks to wait 3600 s"):
        http.request("doi", "GET", httpserver.url_for("/x"))
    assert max(slept, default=0) < 3600


def test_gives_up_after_the_retries_with_one_clear_message(httpserver, settings):
    httpserver.expect_request("/x").respond_with_data("down", status=500)
    http, _ = client(settings)
    with pytest.raises(SourceError) as err:
        http.request("ncbi", "GET", httpserver.url_for("/x"), params={"api_key": "s3cr3t-key"})
    assert len(httpserver.log) == 4  # 1 + IGBIB_RETRIES
    message = str(err.value)
    assert "PubMed (NCBI E-utilities) answered HTTP 500" in message
    assert "s3cr3t" not in message and "curator@" not in message


def test_a_404_is_an_answer_not_retried(httpserver, settings):
    httpserver.expect_request("/x").respond_with_data("Resource not found.", status=404)
    http, slept = client(settings)
    assert http.request("crossref", "GET", httpserver.url_for("/x")).status_code == 404
    assert len(httpserver.log) == 1


def test_an_unreachable_service_names_itself_and_the_cause(settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: nothing listens there
    http, slept = client(settings)
    with pytest.raises(SourceError) as err:
        http.request("ncbi", "GET", f"http://127.0.0.1:{port}/efetch.fcgi?api_key=s3cr3t-key")
    message = str(err.value)
    assert message == "PubMed (NCBI E-utilities) is unreachable at 127.0.0.1: connection refused"
    assert len([s for s in slept if s >= 0.4]) == 3  # retried before giving up


def test_identifies_itself(httpserver, settings):
    httpserver.expect_request("/x").respond_with_data("ok")
    http, _ = client(settings)
    http.request("doi", "GET", httpserver.url_for("/x"))
    agent = httpserver.log[0][0].headers["User-Agent"]
    assert agent.startswith(f"igbib/{__version__} (+") and "mailto:curator@example.org" in agent


def test_rate_limiter_spaces_requests():
    now = [0.0]
    waits = []
    limiter = RateLimiter(3.0, clock=lambda: now[0], sleep=waits.append)
    for _ in range(4):
        limiter.wait()
    assert waits == pytest.approx([1 / 3, 2 / 3, 1.0])


def test_ncbi_allows_more_with_an_api_key(settings, monkeypatch):
    with_key, _ = client(settings)
    monkeypatch.delenv("NCBI_API_KEY")
    without, _ = client(load_settings())
    assert with_key.limiters["ncbi"].interval == pytest.approx(0.1)
    assert without.limiters["ncbi"].interval == pytest.approx(1 / 3)


def test_crossref_rate_limit_headers_are_followed(httpserver, settings):
    httpserver.expect_request("/works/x").respond_with_data(
        "{}", headers={"x-rate-limit-limit": "5", "x-rate-limit-interval": "1s"}
    )
    http, _ = client(settings)
    http.request("crossref", "GET", httpserver.url_for("/works/x"))
    assert http.limiters["crossref"].interval == pytest.approx(0.2)


def body(answer):
    """A parser that reads any answer of 200: what makes an answer worth caching."""
    return answer.content if answer.status_code == 200 else None


def test_the_cache_answers_repeats_and_keeps_secrets_out(httpserver, settings, tmp_path):
    httpserver.expect_request("/efetch.fcgi").respond_with_data("<PubmedArticleSet/>")
    http, _ = client(settings, cache=True)
    for _ in range(2):
        http.request(
            "ncbi",
            "POST",
            httpserver.url_for("/efetch.fcgi"),
            data={"id": "1", "api_key": "s3cr3t-key", "email": "curator@example.org"},
            parse=body,
        )
        http.request(
            "ncbi",
            "GET",
            httpserver.url_for("/efetch.fcgi"),
            params={"id": "2", "api_key": "s3cr3t-key", "email": "curator@example.org"},
            parse=body,
        )
    assert len(httpserver.log) == 2 and http.requests_made == 2
    http.close()
    stored = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert stored and b"s3cr3t-key" not in stored and b"curator@" not in stored
    fresh, _ = client(settings, cache=False)
    fresh.request("ncbi", "GET", httpserver.url_for("/efetch.fcgi"), params={"id": "2"})
    assert len(httpserver.log) == 3


def test_an_answer_the_parser_refuses_is_not_cached(httpserver, settings):
    httpserver.expect_request("/x").respond_with_data("<html>busy</html>")

    def refuse(answer):
        raise SourceError("not an answer")

    http, _ = client(settings, cache=True)
    for _ in range(2):
        with pytest.raises(SourceError):
            http.request("crossref", "GET", httpserver.url_for("/x"), parse=refuse)
    assert len(httpserver.log) == 2


def test_a_cached_answer_that_no_longer_reads_is_asked_again(httpserver, settings):
    httpserver.expect_request("/x").respond_with_data("first")
    http, _ = client(settings, cache=True)
    assert http.request("doi", "GET", httpserver.url_for("/x"), parse=body) == b"first"

    def stricter(answer):
        if answer.stored is not None:
            raise SourceError("read differently now")
        return answer.content

    assert http.request("doi", "GET", httpserver.url_for("/x"), parse=stricter) == b"first"
    assert len(httpserver.log) == 2


def test_the_old_cache_file_with_the_email_is_removed(httpserver, settings, tmp_path):
    old = tmp_path / "cache" / "http-cache.sqlite"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"SQLite format 3\x00 ... mailto:curator@example.org")
    httpserver.expect_request("/x").respond_with_data("ok")
    http, _ = client(settings, cache=True)
    http.request("doi", "GET", httpserver.url_for("/x"), parse=body)
    assert not old.exists() and (tmp_path / "cache" / "answers.sqlite").exists()
