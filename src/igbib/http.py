"""One HTTP client for every online service igbib talks to.

- one ``requests`` session, with ``User-Agent: igbib/VERSION (+url; mailto:EMAIL)``
  (NCBI and Crossref both ask clients to say who they are);
- bounded work: each command has a deadline (``IGBIB_DEADLINE``), each request a
  wall-clock limit from connecting to its last byte (``IGBIB_TIMEOUT``; a server
  that trickles a byte at a time cannot stretch it, as it stretches a socket's read
  timeout), each answer a size limit (decompressed, so a gzip bomb is refused after
  :data:`MAX_ANSWER_BYTES`), and at most :data:`MAX_REDIRECTS` redirects;
- bounded retries with exponential backoff and jitter, on connection errors, 429
  and 5xx only (a 4xx other than 429 is an answer, not a failure), honouring
  ``Retry-After`` (seconds or an HTTP date) up to :data:`MAX_RETRY_AFTER`; every
  wait counts against the deadline, and a long one is counted down on a terminal
  (:attr:`Http.countdown`);
- a circuit breaker per service: once a service has failed as many attempts in a
  row as one request may make, or timed out twice in a row, it is not asked again
  in this command, so a service that hangs costs two time-outs, not two per id;
- a rate limit per service, redirects included: NCBI allows 3 requests a second,
  10 with an API key; Crossref advertises its limit in ``x-rate-limit-limit``/
  ``x-rate-limit-interval`` and the limiter follows what it says; doi.org gets 10;
  OpenAlex allows 100 a second and igbib takes 10; Semantic Scholar gives 1 a second
  to a key, and a shared pool without one (100 requests in 5 minutes: one each 3 s);
- an on-disk cache (:class:`AnswerCache`) of the answers that parsed, so that
  repeating a command costs no request, and an expired answer stands in when the
  service is down (:meth:`Http.notes` says so); API keys and e-mail addresses are
  kept out of its keys and records;
- every failure becomes one :class:`SourceError` naming the service and the cause,
  with the API key and e-mail removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import threading
import time
import zlib
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import requests

from igbib import PROJECT_URL, __version__
from igbib.config import SettingError, Settings, redact
from igbib.errors import IgbibError, SourceError

CONNECT_TIMEOUT = 10.0
MAX_BACKOFF = 30.0
MAX_RETRY_AFTER = 120.0
MAX_REDIRECTS = 5
#: The largest answer read, once decompressed: 200 efetch records are a few MB.
MAX_ANSWER_BYTES = 32 * 1024 * 1024
#: Time-outs in a row after which a service is not asked again in the command.
BREAKER_TIMEOUTS = 2
#: Waits this long or longer are counted down on a terminal.
COUNTDOWN_FROM = 2.0
CHUNK = 64 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: requests a second per service
RATES = {
    "ncbi": 3.0,
    "ncbi-key": 10.0,
    "crossref": 10.0,
    "doi": 10.0,
    "openalex": 10.0,
    "s2": 1 / 3,
    "s2-key": 1.0,
}
SERVICE_NAMES = {
    "ncbi": "PubMed (NCBI E-utilities)",
    "idconv": "the PMC ID converter",
    "crossref": "Crossref",
    "doi": "doi.org",
    "openalex": "OpenAlex",
    "s2": "Semantic Scholar",
}
#: Request parameters kept out of the cache: who is asking, not what is asked.
SECRET_PARAMETERS = frozenset({"api_key", "email", "mailto", "tool"})


class CacheError(IgbibError):
    """The HTTP cache cannot be used (damaged, or its folder cannot be written)."""


class Answer:
    """A service's answer, read whole (at most :data:`MAX_ANSWER_BYTES`).

    ``stored`` is set when it came from the cache: when it was stored (seconds
    since the epoch).
    """

    __slots__ = ("status_code", "content", "headers", "url", "reason", "stored")

    def __init__(self, status_code, content=b"", headers=None, url="", reason="", stored=None):
        self.status_code = status_code
        self.content = content
        self.headers = requests.structures.CaseInsensitiveDict(headers or {})
        self.url = url
        self.reason = reason or ""
        self.stored = stored

    @property
    def text(self) -> str:
        charset = "utf-8"
        for part in self.headers.get("Content-Type", "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                charset = value.strip("\"' ")
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    def json(self):
        """The body as JSON; ValueError if it is not (or is nested too deeply to read)."""
        try:
            return json.loads(self.content)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


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

    def wait(self, max_wait: float | None = None) -> float | None:
        """Wait for the next slot and take it; None (no slot taken) if it is beyond ``max_wait``."""
        with self._lock:
            now = self.clock()
            delay = max(0.0, self._next - now)
            if max_wait is not None and delay > max_wait:
                return None
            self._next = max(now, self._next) + self.interval
        if delay:
            self.sleep(delay)
        return delay


class Breaker:
    """A service's failures in a row in this command; ``open`` once it is not worth asking.

    ``message``: the error that opened it, which every later request is failed with.
    """

    def __init__(self, limit: int):
        self.limit = max(1, limit)
        self.failures = 0
        self.timeouts = 0
        self.cause = ""
        self.message = ""

    @property
    def open(self) -> bool:
        return self.failures >= self.limit or self.timeouts >= BREAKER_TIMEOUTS

    def failed(self, cause: str, timed_out: bool = False) -> None:
        self.failures += 1
        self.timeouts += timed_out
        self.cause = cause

    def succeeded(self) -> None:
        self.failures = self.timeouts = 0


class _Failed(Exception):
    """One attempt that got no answer: ``cause`` for the message, and whether to try again.

    ``refused``: an answer came but igbib would not take it (too large, say).
    """

    def __init__(
        self, cause: str, *, retry: bool = True, timed_out: bool = False, refused: bool = False
    ):
        super().__init__(cause)
        self.cause, self.retry, self.timed_out, self.refused = cause, retry, timed_out, refused


class Http:
    """The client, for one command. ``cache=False`` (``--no-cache``) goes to the network every time.

    ``countdown``, when set, is told ``message`` each second of a long wait, and
    None when it is over.
    """

    def __init__(
        self, settings: Settings, *, cache: bool = True, sleep=time.sleep, clock=time.monotonic
    ):
        self.settings = settings
        self.sleep, self.clock = sleep, clock
        self.deadline = clock() + settings.deadline
        self.backoff = settings.backoff
        self.session = requests.Session()
        contact = f"; mailto:{settings.email}" if settings.email else ""
        self.session.headers["User-Agent"] = f"igbib/{__version__} (+{PROJECT_URL}{contact})"
        # Only what the body reader decompresses itself, within the size limit.
        self.session.headers["Accept-Encoding"] = "gzip, deflate"
        self.cache = (
            AnswerCache(cache_dir(), settings.cache_ttl, settings.secrets())
            if cache and settings.cache_ttl > 0
            else None
        )
        ncbi_rate = RATES["ncbi-key"] if settings.ncbi_api_key else RATES["ncbi"]
        ncbi = RateLimiter(ncbi_rate, clock=clock, sleep=sleep)
        self.limiters = {
            "ncbi": ncbi,
            "idconv": ncbi,  # the same NCBI policy covers the ID converter
            "crossref": RateLimiter(RATES["crossref"], clock=clock, sleep=sleep),
            "doi": RateLimiter(RATES["doi"], clock=clock, sleep=sleep),
            "openalex": RateLimiter(RATES["openalex"], clock=clock, sleep=sleep),
            "s2": RateLimiter(
                RATES["s2-key"] if settings.s2_api_key else RATES["s2"], clock=clock, sleep=sleep
            ),
        }
        self.breakers: dict[str, Breaker] = {}
        self.requests_made = 0
        self.countdown = None
        self._notes: list[str] = []
        self._stale: dict[str, list] = {}  # service -> [first failure, answers used, oldest]

    def close(self) -> None:
        self.session.close()
        if self.cache is not None:
            self.cache.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- what the command tells the user ------------------------------------------

    def note(self, message: str) -> None:
        """A line for the user about the answers (a record that could not be read, ...)."""
        self._notes.append(self._clean(message))

    def notes(self) -> list[str]:
        """What the user should know once the command is done: answers served stale, ..."""
        lines = list(self._notes)
        for first, used, oldest in self._stale.values():
            when = time.strftime("%Y-%m-%d", time.localtime(oldest))
            many = "1 answer" if used == 1 else f"{used} answers"
            lines.append(f"{first}; {many} came from the cache instead (expired, stored {when})")
        if self.cache is not None and self.cache.problem:
            lines.append(self.cache.problem)
        return lines

    # -- requests -----------------------------------------------------------------

    def request(
        self,
        service: str,
        method: str,
        url: str,
        *,
        params: dict | None = None,
        data: dict | None = None,
        headers: dict | None = None,
        parse=None,
        fresh: bool = False,
    ):
        """The service's answer, or what ``parse`` makes of it; :class:`SourceError` if none.

        Without ``parse``: the :class:`Answer` (any status but 429/5xx), never cached.
        With ``parse``: ``parse(answer)``, which raises :class:`SourceError` for an
        answer it cannot read. Only an answer of 200 that it read (returning
        anything but None) is cached; a cached answer still fresh is used without
        a request, and an expired one when the service fails. ``fresh``: ask the
        service whatever the cache holds, and fail rather than use an old answer
        (what is new since yesterday cannot come from yesterday's answer).
        """
        key = stored = None
        if parse is not None and self.cache is not None and fresh:
            key = cache_key(method, url, params, data, headers)
        elif parse is not None and self.cache is not None:
            key = cache_key(method, url, params, data, headers)
            stored = self.cache.get(key)
            if stored is not None and self.cache.fresh(stored):
                try:
                    value = parse(stored)
                except SourceError:
                    value = None
                if value is not None:
                    return value
                self.cache.delete(key)  # it no longer reads: ask again
                stored = None
        try:
            answer = self._fetch(service, method, url, params, data, headers)
        except SourceError as exc:
            if stored is None:
                raise
            try:
                value = parse(stored)
            except SourceError:
                value = None
            if value is None:
                raise exc from None
            self._used_stale(service, exc, stored.stored)
            return value
        if parse is None:
            return answer
        value = parse(answer)
        if key is not None and answer.status_code == 200 and value is not None:
            self.cache.put(key, _public_url(url, params), answer)
        return value

    def left(self) -> float:
        """Seconds this command may still spend on the network."""
        return self.deadline - self.clock()

    def _fetch(self, service, method, url, params, data, headers) -> Answer:
        breaker = self.breakers.setdefault(service, Breaker(self.settings.retries + 1))
        if breaker.open:
            raise SourceError(f"{breaker.message}; not asked again in this command")
        try:
            return self._ask(service, breaker, method, url, params, data, headers)
        except SourceError as exc:
            if breaker.open:
                breaker.message = str(exc)
            raise

    def _ask(self, service, breaker, method, url, params, data, headers) -> Answer:
        name = SERVICE_NAMES[service]
        host = urlsplit(url).hostname or url
        attempt = hops = 0
        while True:
            limit = self._take_turn(service, name)
            try:
                answer = self._attempt(method, url, params, data, headers, limit)
            except _Failed as failure:
                if limit < self.settings.timeout and failure.timed_out:
                    raise SourceError(self._out_of_time(name, asked=True)) from None
                breaker.failed(failure.cause, failure.timed_out)
                # A host name that does not resolve means no network: one more try, not four.
                no_network = failure.cause.startswith("cannot resolve") and attempt >= 1
                if failure.retry and not no_network and self._may_retry(attempt, breaker):
                    self._pause(self._backoff(attempt), name, f"is unreachable ({failure.cause})")
                    attempt += 1
                    continue
                if failure.refused:
                    raise SourceError(self._clean(f"{name} {failure.cause}")) from None
                raise SourceError(
                    self._clean(f"{name} is unreachable at {host}: {failure.cause}")
                ) from None
            if service == "crossref":
                _follow_crossref_limits(self.limiters["crossref"], answer)
            status = answer.status_code
            location = answer.headers.get("Location")
            if status in REDIRECT_STATUSES and location:
                hops += 1
                if hops > MAX_REDIRECTS:
                    raise SourceError(
                        f"{name} sent more than {MAX_REDIRECTS} redirects in a row from {host}; "
                        "not followed"
                    )
                url, params = urljoin(answer.url or url, location), None
                if status in (301, 302, 303) and method != "HEAD":
                    method, data = "GET", None
                continue
            if status not in RETRY_STATUSES:
                breaker.succeeded()
                return answer
            breaker.failed(f"HTTP {status}")
            if self._may_retry(attempt, breaker):
                wait = _retry_after(answer)
                if wait is not None and wait > MAX_RETRY_AFTER:
                    raise SourceError(
                        f"{name} asks to wait {wait:.0f} s before the next request; try later"
                    )
                if wait is None:
                    self._pause(self._backoff(attempt), name, f"answered HTTP {status}")
                else:
                    self._pause(wait, name, f"asks to wait {wait:.0f} s (HTTP {status})")
                attempt += 1
                continue
            times = "once" if attempt == 0 else f"{attempt + 1} times"
            raise SourceError(
                f"{name} answered HTTP {status} {answer.reason}".rstrip()
                + f" {times}; try again later"
            )

    def _may_retry(self, attempt: int, breaker: Breaker) -> bool:
        return attempt < self.settings.retries and not breaker.open

    def _take_turn(self, service: str, name: str) -> float:
        """Wait for the service's rate-limit slot; the time this attempt may take."""
        left = self.left()
        if left <= 0 or self.limiters[service].wait(max_wait=left) is None:
            raise SourceError(self._out_of_time(name))
        left = self.left()
        if left <= 0:
            raise SourceError(self._out_of_time(name))
        self.requests_made += 1
        return min(self.settings.timeout, left)

    def _attempt(self, method, url, params, data, headers, limit: float) -> Answer:
        """One request, given up after ``limit`` seconds of wall-clock time whatever happens.

        The transfer runs in a thread of its own; when the limit passes, it is told
        to stop and left to end with its socket's time-out (it holds no lock and
        writes nothing).
        """
        outcome: dict = {}
        stop = threading.Event()

        def transfer() -> None:
            try:
                outcome["answer"] = self._transfer(method, url, params, data, headers, limit, stop)
            except BaseException as exc:  # handed to the caller's thread
                outcome["error"] = exc

        worker = threading.Thread(target=transfer, name="igbib-request", daemon=True)
        worker.start()
        worker.join(limit)
        if worker.is_alive():
            stop.set()
            raise _Failed(
                f"timed out (no whole answer within {limit:g} s, IGBIB_TIMEOUT)", timed_out=True
            )
        error = outcome.get("error")
        if error is None:
            return outcome["answer"]
        if isinstance(error, _Failed):
            raise error
        if isinstance(error, requests.RequestException):
            timed_out = isinstance(error, requests.exceptions.Timeout)
            retry = not isinstance(
                error, (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema)
            )
            raise _Failed(_cause(error), retry=retry, timed_out=timed_out) from None
        raise error

    def _transfer(self, method, url, params, data, headers, limit, stop) -> Answer:
        import urllib3

        response = self.session.request(
            method,
            url,
            params=params,
            data=data,
            headers=headers,
            timeout=(min(CONNECT_TIMEOUT, limit), limit),
            stream=True,
            allow_redirects=False,
        )
        try:
            content = b""
            if response.status_code not in REDIRECT_STATUSES:
                content = _read_body(
                    response.raw, response.headers.get("Content-Encoding", ""), stop
                )
        except urllib3.exceptions.ReadTimeoutError:
            raise requests.exceptions.ReadTimeout() from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise requests.exceptions.ConnectionError(str(exc)) from None
        finally:
            response.close()
        if isinstance(content, _Refusal):
            raise _Failed(content.cause, retry=False, refused=True)
        return Answer(
            response.status_code, content, response.headers, response.url, response.reason
        )

    def _pause(self, seconds: float, name: str, why: str) -> None:
        """Wait before trying again, unless the wait would end past the deadline."""
        if seconds >= self.left():
            raise SourceError(
                f"{name} {why}; the next try would come after this command's time limit "
                f"({self.settings.deadline:g} s, IGBIB_DEADLINE), so it was not waited for"
            )
        if self.countdown is None or seconds < COUNTDOWN_FROM:
            self.sleep(seconds)
            return
        remaining = seconds
        try:
            while remaining > 0:
                self.countdown(f"{name} {why}: trying again in {remaining:.0f} s")
                step = min(1.0, remaining)
                self.sleep(step)
                remaining -= step
        finally:
            self.countdown(None)

    def _out_of_time(self, name: str, asked: bool = False) -> str:
        limit = f"this command's time limit ({self.settings.deadline:g} s, IGBIB_DEADLINE)"
        if asked:
            return f"{name} had not answered when {limit} passed"
        return f"{name} was not asked: {limit} has passed"

    def _used_stale(self, service: str, exc: SourceError, stored: float) -> None:
        entry = self._stale.setdefault(service, [str(exc), 0, stored])
        entry[1] += 1
        entry[2] = min(entry[2], stored)

    def _backoff(self, attempt: int) -> float:
        delay = min(MAX_BACKOFF, self.backoff * (2**attempt))
        return delay + random.uniform(0, delay / 2)

    def _clean(self, text: str) -> str:
        return redact(text, self.settings.secrets())


class _Refusal:
    """An answer refused while it was read (too large, an unknown encoding)."""

    def __init__(self, cause: str):
        self.cause = cause


def _read_body(raw, encoding: str, stop: threading.Event, cap: int | None = None):
    """The body, decompressed, read in chunks: at most ``cap`` bytes, else a :class:`_Refusal`.

    The decompressor is never asked for more than what is left under the cap, so a
    gzip bomb costs its first ``cap`` bytes, not its gigabytes.
    """
    cap = MAX_ANSWER_BYTES if cap is None else cap
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        decoder = None
    elif encoding in ("gzip", "x-gzip", "deflate"):
        decoder = zlib.decompressobj(zlib.MAX_WBITS | 32)  # a gzip or zlib header
    else:
        return _Refusal("answered in a compression igbib does not read; refused")
    too_large = f"sent an answer larger than {cap // 2**20} MB"
    if decoder is not None:
        too_large += " once decompressed"
    parts: list[bytes] = []
    size = 0
    while True:
        if stop.is_set():
            return _Refusal("took too long")
        chunk = raw.read(CHUNK, decode_content=False)
        if not chunk:
            break
        if decoder is not None:
            try:
                chunk = decoder.decompress(chunk, cap + 1 - size)
            except zlib.error:
                return _Refusal("sent a compressed answer that does not decompress; refused")
            if decoder.unconsumed_tail:
                return _Refusal(too_large + "; refused")
        size += len(chunk)
        if size > cap:
            return _Refusal(too_large + "; refused")
        parts.append(chunk)
    if decoder is not None:
        tail = decoder.flush()
        if size + len(tail) > cap:
            return _Refusal(too_large + "; refused")
        parts.append(tail)
    return b"".join(parts)


# -- the cache --------------------------------------------------------------------


def cache_dir() -> str:
    explicit = os.environ.get("IGBIB_CACHE_DIR")
    if explicit:
        return explicit
    from platformdirs import user_cache_dir

    return user_cache_dir("igbib", appauthor=False)


def cache_key(method: str, url: str, params=None, data=None, headers=None) -> str:
    """What identifies a request, without who asks (``api_key``, ``email``, ...): a hash."""
    parts = urlsplit(url)
    query = _public_items(parse_qsl(parts.query, keep_blank_values=True))
    for values in (params, data):
        if values:
            query += _public_items(values.items())
    accept = (headers or {}).get("Accept", "")
    base = urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, "", ""))
    text = json.dumps([method.upper(), base, sorted(query), accept])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _public_items(items) -> list[tuple[str, str]]:
    return [(str(k), str(v)) for k, v in items if str(k).lower() not in SECRET_PARAMETERS]


def _public_url(url: str, params=None) -> str:
    """The address asked, without the secret parameters (for the cache's own record)."""
    parts = urlsplit(url)
    query = _public_items(parse_qsl(parts.query, keep_blank_values=True))
    if params:
        query += _public_items(params.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


class AnswerCache:
    """Answers that parsed, in ``answers.sqlite`` in the cache folder.

    A row holds a hash of the request (without ``api_key``, ``email``, ``mailto``
    or ``tool``), the address asked without them, the content type, the body with
    the secrets masked (the PMC ID converter echoes the request) and when it was
    stored. Never the request's headers (the User-Agent holds the e-mail address)
    or its body. Rows stay :data:`KEEP_STALE` seconds past their expiry, to stand
    in when a service is down.

    Opened on first use. A cache that cannot be opened is a :class:`CacheError`;
    one that cannot be written (full disk, another igbib holding it) is only
    noted (:attr:`problem`): it never costs the answers themselves.
    """

    FILE = "answers.sqlite"
    #: the file of igbib before 0.2 (requests-cache), which kept the e-mail address
    OLD_FILES = ("http-cache.sqlite", "http-cache.sqlite-wal", "http-cache.sqlite-shm")
    KEEP_STALE = 90 * 24 * 3600

    def __init__(self, folder: str, ttl: int, secrets: list[str] | None = None, clock=time.time):
        self.folder, self.ttl, self.clock = folder, ttl, clock
        self.secrets = [s for s in (secrets or []) if s]
        self.path = os.path.join(folder, self.FILE)
        self.problem = ""
        self._db = None
        self._pruned = False

    def fresh(self, answer: Answer) -> bool:
        return self.clock() - answer.stored < self.ttl

    def _connect(self):
        if self._db is not None:
            return self._db
        import sqlite3

        folder = self.folder
        if os.path.exists(folder) and not os.path.isdir(folder):
            raise SettingError(
                redact(
                    f"bad setting IGBIB_CACHE_DIR: {folder} is a file, not a folder "
                    "(--no-cache goes without the cache)",
                    self.secrets,
                )
            )
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise CacheError(
                f"the HTTP cache cannot be kept in {folder} ({exc.strerror}); "
                "--no-cache goes without it"
            ) from None
        for old in self.OLD_FILES:
            with contextlib.suppress(OSError):
                os.remove(os.path.join(folder, old))
        try:
            db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        except sqlite3.Error as exc:
            raise CacheError(f"the HTTP cache {self.path} cannot be opened ({exc})") from None
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, url TEXT NOT NULL,"
                " content_type TEXT NOT NULL, body BLOB NOT NULL, stored REAL NOT NULL)"
            )
            db.execute("SELECT key, url, content_type, body, stored FROM answers LIMIT 0")
        except sqlite3.OperationalError as exc:
            db.close()
            if "locked" in str(exc) or "busy" in str(exc):
                self.problem = f"the HTTP cache {self.path} is in use; answers were not kept"
                return None
            raise self._damaged(exc) from None
        except sqlite3.DatabaseError as exc:
            db.close()
            raise self._damaged(exc) from None
        self._db = db
        return db

    def _damaged(self, exc) -> CacheError:
        return CacheError(
            f"the HTTP cache {self.path} is damaged ({exc}); delete it, or use --no-cache"
        )

    def get(self, key: str) -> Answer | None:
        import sqlite3

        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute(
                "SELECT content_type, body, stored, url FROM answers WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.OperationalError:
            return None  # busy: as if it were not cached
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        if row is None:
            return None
        content_type, body, stored, url = row
        return Answer(200, bytes(body), {"Content-Type": content_type}, url, "OK", stored=stored)

    def put(self, key: str, url: str, answer: Answer) -> None:
        import sqlite3

        if self.problem:
            return
        try:
            db = self._connect()
            if db is None:
                return
            body = answer.content
            for secret in self.secrets:
                for form in {secret, secret.replace("@", "%40")}:
                    body = body.replace(form.encode("utf-8"), b"***")
            now = self.clock()
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.execute(
                    "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                    (
                        key,
                        redact(url, self.secrets),
                        answer.headers.get("Content-Type", ""),
                        body,
                        now,
                    ),
                )
                if not self._pruned:
                    self._pruned = True
                    db.execute(
                        "DELETE FROM answers WHERE stored < ?", (now - self.ttl - self.KEEP_STALE,)
                    )
        except sqlite3.Error as exc:
            self.problem = (
                f"the HTTP cache {self.path} could not be written ({exc}); answers were not kept"
            )

    def delete(self, key: str) -> None:
        import sqlite3

        try:
            db = self._connect()
            if db is not None:
                db.execute("DELETE FROM answers WHERE key = ?", (key,))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


# -- what the services say --------------------------------------------------------


def _follow_crossref_limits(limiter: RateLimiter, response) -> None:
    """Crossref says its limit in each answer: ``x-rate-limit-limit: 50``, ``-interval: 1s``."""
    limit = response.headers.get("x-rate-limit-limit")
    interval = response.headers.get("x-rate-limit-interval", "1s")
    try:
        seconds = float(interval.rstrip("s")) if interval else 1.0
        if limit and seconds > 0:
            limiter.set_rate(float(limit) / seconds)
    except ValueError:
        pass


def _retry_after(response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    from datetime import datetime, timezone

    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
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
    if "Connection reset" in text:
        return "the connection was reset"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "the connection failed"
    return type(exc).__name__
