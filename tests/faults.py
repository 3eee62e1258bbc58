"""A stand-in server on 127.0.0.1 that misbehaves at the transport level, around real bodies.

pytest-httpserver answers one request at a time with whole bodies; the faults
here need a socket: a server that accepts and never answers, one that trickles
a real body a byte at a time, one that streams a body of any size (a gzip bomb,
500 MB) as it is read, one that answers late. Each path prefix gets a behaviour
(:meth:`FaultServer.route`); the bodies served are the recordings of
``tests/fixtures`` (see SOURCES.md), whole, cut short, or streamed, never written
by hand.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from urllib.parse import parse_qs, urlsplit


class Request:
    def __init__(self, method: str, target: str, headers: dict[str, str], body: bytes):
        self.method, self.target, self.headers, self.body = method, target, headers, body
        self.time = time.monotonic()
        parts = urlsplit(target)
        self.path = parts.path
        self.values = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if body and "form" in headers.get("content-type", ""):
            self.values.update({k: v[0] for k, v in parse_qs(body.decode()).items()})


class FaultServer:
    """Serves each path prefix with a behaviour: ``behaviour(connection, request, server)``."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.routes: list[tuple[str, Callable]] = []
        self.requests: list[Request] = []
        self.stopped = threading.Event()
        self.open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}/"

    def route(self, prefix: str, behaviour: Callable) -> None:
        self.routes.insert(0, (prefix, behaviour))

    def asked(self, prefix: str = "/") -> list[Request]:
        return [r for r in self.requests if r.path.startswith(prefix)]

    def close(self) -> None:
        self.stopped.set()
        with contextlib.suppress(OSError):
            self.listener.close()
        for connection in list(self.open):
            with contextlib.suppress(OSError):
                connection.close()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.open.append(connection)
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with contextlib.suppress(OSError):
            request = _read_request(connection)
            if request is None:
                return
            self.requests.append(request)
            for prefix, behaviour in self.routes:
                if request.path.startswith(prefix):
                    behaviour(connection, request, self)
                    break
            else:
                answer(404, b"")(connection, request, self)
        with contextlib.suppress(OSError):
            connection.close()


def _read_request(connection: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _version = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", 0))
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return Request(method, target, headers, body)


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


_REASONS = {200: "OK", 302: "Found", 404: "Not Found", 429: "Too Many Requests", 500: "Error"}


# -- behaviours ---------------------------------------------------------------------


def answer(status: int, body: bytes, content_type: str = "text/xml", **headers: str):
    """A whole answer, at once."""

    def behaviour(connection, request, server):
        fields = {"Content-Type": content_type, "Content-Length": str(len(body))}
        fields.update({k.replace("_", "-"): v for k, v in headers.items()})
        fields["Connection"] = "close"
        connection.sendall(_head(status, fields) + body)

    return behaviour


def hang(connection, request, server) -> None:
    """Accept the request and never answer (until the server closes)."""
    server.stopped.wait()


def late(seconds: float, then: Callable):
    """Answer as ``then`` does, ``seconds`` after the request."""

    def behaviour(connection, request, server):
        if not server.stopped.wait(seconds):
            then(connection, request, server)

    return behaviour


def trickle(body: bytes, every: float, content_type: str = "text/xml", give_up: float = 30.0):
    """Headers at once, then the body one byte every ``every`` seconds (for ``give_up`` s)."""

    def behaviour(connection, request, server):
        fields = {"Content-Type": content_type, "Content-Length": str(len(body))}
        connection.sendall(_head(200, fields))
        started = time.monotonic()
        for i in range(len(body)):
            if server.stopped.wait(every) or time.monotonic() - started > give_up:
                return
            connection.sendall(body[i : i + 1])

    return behaviour


def stream(chunks: Iterable[bytes], content_type: str = "text/xml", **headers: str):
    """Headers, then the chunks as the client reads them, ended by closing the connection."""

    def behaviour(connection, request, server):
        fields = {"Content-Type": content_type, "Connection": "close"}
        fields.update({k.replace("_", "-"): v for k, v in headers.items()})
        connection.sendall(_head(200, fields))
        for chunk in chunks:
            if server.stopped.is_set():
                return
            connection.sendall(chunk)

    return behaviour


def redirect_to_itself(connection, request, server) -> None:
    """A redirect loop: every answer sends the client back where it came from."""
    answer(302, b"", Location=request.target)(connection, request, server)


def gzip_stream(prefix: bytes, padding: int, block: int = 1 << 20) -> Iterable[bytes]:
    """gzip of ``prefix`` (a real body) followed by ``padding`` spaces, made as it is sent.

    XML allows white space after the root element, so this is a well-formed answer;
    1 GB of padding compresses to about 1 MB: a gzip bomb.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    yield compressor.compress(prefix)
    spaces = b" " * block
    for _ in range(padding // block):
        out = compressor.compress(spaces)
        if out:
            yield out
    yield compressor.flush()


def plain_stream(prefix: bytes, size: int, block: int = 1 << 20) -> Iterable[bytes]:
    """``prefix`` (a real body) followed by spaces up to ``size`` bytes, made as it is sent."""
    yield prefix
    spaces = b" " * block
    for _ in range(max(0, size - len(prefix)) // block):
        yield spaces


def gzipped(body: bytes) -> bytes:
    return gzip.compress(body)


def point_services_at(server: FaultServer, monkeypatch, tmp_path) -> FaultServer:
    """Every service igbib asks at ``server``, with short limits a test can wait for."""
    for name, variable in (
        ("eutils", "IGBIB_EUTILS_URL"),
        ("crossref", "IGBIB_CROSSREF_URL"),
        ("doi", "IGBIB_DOI_URL"),
        ("idconv", "IGBIB_IDCONV_URL"),
    ):
        monkeypatch.setenv(variable, server.url(name))
    monkeypatch.setenv("IGBIB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("IGBIB_CONFIG", str(tmp_path / "no-config.ini"))
    monkeypatch.setenv("IGBIB_BACKOFF", "0.01")
    monkeypatch.setenv("IGBIB_TIMEOUT", "0.5")
    monkeypatch.setenv("IGBIB_EMAIL", "curator@example.org")
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    return server
