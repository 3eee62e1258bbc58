"""Shared fixtures. Every test runs with its own data directory and no IGBIB_DB,
so no test can touch a real library, and no test can reach the internet."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
from pathlib import Path

import pytest

from igbib.importers import parse_file
from igbib.importing import import_parsed
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


def env_without_db() -> dict:
    env = dict(os.environ)
    env.pop("IGBIB_DB", None)
    return env
