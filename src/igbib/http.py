"""One HTTP client for every online service igbib talks to.

- one ``requests`` session, with ``User-Agent: igbib/VERSION (+url; mailto:EMAIL)``
  (NCBI and Crossref both ask clients to say who they are);
- connect and read timeouts on every request;
- bounded retries with exponential backoff and jitter, on connection errors, 429
  and 5xx only (a 4xx other than 429 is an answer, not a failure), honouring
  ``Retry-After`` (seconds or an HTTP date);
- a rate limit per service: NCBI allows 3 requests a second, 10 with an API key;
  Crossref advertises its limit in ``x-rate-limit-limit``/``x-rate-limit-interval``
  and the limiter follows what it says; doi.org gets 10 a second;
- an on-disk cache (requests-cache, SQLite) so that repeating a command costs no
  request; API keys and e-mail addresses are kept out of its keys and records;
- every failure becomes one :class:`SourceError` naming the service and the cause,
  with the API key and e-mail removed.
"""

from __future__ import annotations

import os
import random
import threading
import time
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests

from igbib import PROJECT_URL, __version__
from igbib.config import Settings, redact
from igbib.errors import SourceError

CONNECT_TIMEOUT = 10.0
MAX_BACKOFF = 30.0
MAX_RETRY_AFTER = 120.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: requests a second per service
RATES = {"ncbi": 3.0, "ncbi-key": 10.0, "crossref": 10.0, "doi": 10.0}
SERVICE_NAMES = {
    "ncbi": "PubMed (NCBI E-utilities)",
    "idconv": "the PMC ID converter",
    "crossref": "Crossref",
    "doi": "doi.org",
}
_SECRET_PARAMETERS = ["api_key", "email", "tool"]


class RateLimiter:
    """At most ``rate`` requests a second: each request waits for its slot."""

    def __init__(self, rate: float, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1.0 / rate
        self.clock, self.sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def set_rate(self, rate: float) -> None:
        if rate > 0:
            self.interval = 1.0 / rate

    def wait(self) -> float:
        with self._lock:
            now = self.clock()
            delay = max(0.0, self._next - now)
            self._next = max(now, self._next) + self.interval
        if delay:
            self.sleep(delay)
        return delay


class Http:
    """The client. ``cache=False`` (``--no-cache``) goes to the network every time."""

    def __init__(self, settings: Settings, *, cache: bool = True, sleep=time.sleep):
        self.settings = settings
        self.sleep = sleep
        self.backoff = float(os.environ.get("IGBIB_BACKOFF", "0.5"))
        self.session = _session(settings, cache)
        contact = f"; mailto:{settings.email}" if settings.email else ""
        self.session.headers["User-Agent"] = f"igbib/{__version__} (+{PROJECT_URL}{contact})"
        ncbi_rate = RATES["ncbi-key"] if settings.ncbi_api_key else RATES["ncbi"]
        ncbi = RateLimiter(ncbi_rate, sleep=sleep)
        self.limiters = {
            "ncbi": ncbi,
            "idconv": ncbi,  # the same NCBI policy covers the ID converter
            "crossref": RateLimiter(RATES["crossref"], sleep=sleep),
            "doi": RateLimiter(RATES["doi"], sleep=sleep),
        }
        self.requests_made = 0

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def request(
        self,
        service: str,
        method: str,
        url: str,
        *,
        params: dict | None = None,
        data: dict | None = None,
        headers: dict | None = None,
    ) -> requests.Response:
        """The service's answer (any status but 429/5xx), or :class:`SourceError`."""
        name = SERVICE_NAMES[service]
        host = urlsplit(url).hostname or url
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            try:
                response = self._send(service, method, url, params, data, headers)
            except requests.RequestException as exc:
                # A host name that does not resolve means no network: one more try, not four.
                limit = min(attempts, 2) if _cause(exc).startswith("cannot resolve") else attempts
                if attempt + 1 < limit and not isinstance(exc, requests.exceptions.InvalidURL):
                    self.sleep(self._backoff(attempt))
                    continue
                raise SourceError(
                    self._clean(f"{name} is unreachable at {host}: {_cause(exc)}")
                ) from None
            if response.status_code not in RETRY_STATUSES:
                return response
            if attempt + 1 < attempts:
                wait = _retry_after(response)
                if wait is not None and wait > MAX_RETRY_AFTER:
                    raise SourceError(
                        f"{name} asks to wait {wait:.0f} s before the next request; try later"
                    )
                self.sleep(wait if wait is not None else self._backoff(attempt))
                continue
            raise SourceError(
                f"{name} answered HTTP {response.status_code} {response.reason or ''}".rstrip()
                + f" {attempts} times; try again later"
            )
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, service, method, url, params, data, headers) -> requests.Response:
        cached = self._cached(method, url, params, data, headers)
        if cached is not None:
            return cached
        self.limiters[service].wait()
        self.requests_made += 1
        response = self.session.request(
            method,
            url,
            params=params,
            data=data,
            headers=headers,
            timeout=(CONNECT_TIMEOUT, self.settings.timeout),
        )
        if service == "crossref":
            _follow_crossref_limits(self.limiters["crossref"], response)
        return response

    def _cached(self, method, url, params, data, headers):
        """A cached answer, if there is one: it spends no rate-limit slot."""
        if not hasattr(self.session, "cache"):
            return None
        response = self.session.request(
            method, url, params=params, data=data, headers=headers, only_if_cached=True
        )
        # Only answers of 200 are cached; a miss comes back as a made-up "504 Not Cached".
        return response if response.status_code == 200 else None

    def _backoff(self, attempt: int) -> float:
        delay = min(MAX_BACKOFF, self.backoff * (2**attempt))
        return delay + random.uniform(0, delay / 2)

    def _clean(self, text: str) -> str:
        return redact(text, self.settings.secrets())


def _session(settings: Settings, cache: bool) -> requests.Session:
    if not cache or settings.cache_ttl <= 0:
        return requests.Session()
    import requests_cache

    return requests_cache.CachedSession(
        cache_name=os.path.join(cache_dir(), "http-cache"),
        backend="sqlite",
        expire_after=settings.cache_ttl,
        allowable_methods=("GET", "POST"),
        allowable_codes=(200,),
        ignored_parameters=_SECRET_PARAMETERS,
        match_headers=["Accept"],
        stale_if_error=False,
    )


def cache_dir() -> str:
    explicit = os.environ.get("IGBIB_CACHE_DIR")
    if explicit:
        return explicit
    from platformdirs import user_cache_dir

    return user_cache_dir("igbib", appauthor=False)


def _follow_crossref_limits(limiter: RateLimiter, response: requests.Response) -> None:
    """Crossref says its limit in each answer: ``x-rate-limit-limit: 50``, ``-interval: 1s``."""
    limit = response.headers.get("x-rate-limit-limit")
    interval = response.headers.get("x-rate-limit-interval", "1s")
    try:
        seconds = float(interval.rstrip("s")) if interval else 1.0
        if limit:
            limiter.set_rate(float(limit) / seconds)
    except ValueError:
        pass


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import datetime, timezone

    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _cause(exc: requests.RequestException) -> str:
    text = str(exc)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "timed out connecting"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return "timed out waiting for an answer"
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS error"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "cannot resolve the host name (no network?)"
    if "Temporary failure in name resolution" in text or "NameResolutionError" in text:
        return "cannot resolve the host name (no network?)"
    if "Connection refused" in text:
        return "connection refused"
    if "Network is unreachable" in text:
        return "network is unreachable"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "the connection failed"
    return type(exc).__name__
