"""A library igbib cannot write to can still be read; a file that is no library stays one.

Read-only is made the way that holds for the user running the tests: for root,
whom permissions do not stop, the immutable attribute (``chattr +i``, which stops
root too) or else a read-only bind mount; for anyone else, ``chmod``. A test
skips when none is available (a file system without attributes, no mount rights).
"""

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import digest, igbib, one_line_error, version_1_library
from system import ROOT, needs_root, unavailable

import igbib as igbib_package

#: Every read-only command, with what it must print (``check`` exits 1: the seed list
#: has defects).
READERS = [
    (["search", "glioblastoma"], "Radiogenomic mapping of edema"),
    (["list", "--limit", "3"], "\t"),
    (["show", "gevaert2014glioblastoma"], "24827998"),
    (["info"], "papers"),
    (["export", "-f", "bibtex", "author:gevaert"], "@article{gevaert2014glioblastoma"),
    (["export"], "# Awesome Imaging Genetics"),
    (["tags"], ""),
    (["log"], "52 papers added"),
    (["section", "list"], "Imaging Genomics"),
    (["note", "gevaert2014glioblastoma"], ""),
    (["check"], "bad-year"),
]


def _chattr(path: Path, flag: str) -> bool:
    if not shutil.which("chattr"):
        return False
    done = subprocess.run(["chattr", flag, str(path)], capture_output=True)
    return done.returncode == 0


@contextmanager
def read_only_folder(folder: Path):
    """``folder`` made read-only for this process (the path to use inside it is yielded)."""
    if not ROOT:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    if _chattr(folder, "+i"):
        try:
            yield folder
        finally:
            _chattr(folder, "-i")
        return
    view = folder.parent / (folder.name + "-view")
    view.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(folder), str(view)], capture_output=True)
    if mounted.returncode != 0:
        unavailable("no way to make a folder read-only for root here (chattr, mount)")
    try:
        remount = ["mount", "-o", "remount,ro,bind", str(view)]
        if subprocess.run(remount, capture_output=True).returncode != 0:
            unavailable("no read-only bind mount here")
        yield view
    finally:
        subprocess.run(["umount", str(view)], capture_output=True)


@contextmanager
def read_only_file(path: Path):
    if not ROOT:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)
        return
    if not _chattr(path, "+i"):
        unavailable("no way to make a file read-only for root here (chattr)")
    try:
        yield
    finally:
        _chattr(path, "-i")


@pytest.fixture
def shelf(tmp_path, seed_db) -> Path:
    """A folder holding a copy of the seed library, and nothing else."""
    folder = tmp_path / "shelf"
    folder.mkdir()
    shutil.copy(seed_db, folder / "library.sqlite")
    return folder


def expected(seed_db) -> dict:
    return {" ".join(args): igbib(*args, "--db", seed_db).stdout for args, _ in READERS}


@pytest.mark.parametrize("leftovers", [False, True], ids=["bare", "with-wal-and-shm"])
def test_every_read_only_command_reads_a_library_in_a_read_only_folder(shelf, seed_db, leftovers):
    """Was: exit 3, "cannot open ... for writing (unable to open database file)"."""
    if leftovers:  # as a reader leaves them: an empty log and the shared memory
        conn = sqlite3.connect(f"file:{shelf / 'library.sqlite'}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM papers").fetchone()
        conn.close()
        assert (shelf / "library.sqlite-shm").exists()
    want = expected(seed_db)
    before = {p.name: digest(p) for p in shelf.iterdir()}
    with read_only_folder(shelf) as folder:
        db = folder / "library.sqlite"
        for args, text in READERS:
            result = igbib(*args, "--db", db)
            assert result.returncode == (args == ["check"]), (args, result)
            assert text in result.stdout
            assert result.stdout == want[" ".join(args)].replace(str(seed_db), str(db))
    assert {p.name: digest(p) for p in shelf.iterdir()} == before


def test_a_library_in_a_read_only_folder_is_exported_to_a_file_and_a_site(shelf, tmp_path):
    with read_only_folder(shelf) as folder:
        db = folder / "library.sqlite"
        out = tmp_path / "out.bib"
        assert igbib("export", "-f", "bibtex", "-o", out, "--db", db).returncode == 0
        assert out.read_text().count("@article") > 40
        site = tmp_path / "site"
        assert igbib("site", "-o", site, "--db", db).returncode == 0
        assert (site / "index.html").stat().st_size > 10_000


def test_a_read_only_library_file_is_read(shelf, seed_db):
    db = shelf / "library.sqlite"
    before = digest(db)
    with read_only_file(db):
        for args, text in READERS:
            result = igbib(*args, "--db", db)
            assert result.returncode == (args == ["check"]), (args, result)
            assert text in result.stdout
    assert digest(db) == before


def test_writing_to_a_library_in_a_read_only_folder_is_one_true_line(shelf):
    db = shelf / "library.sqlite"
    before = digest(db)
    with read_only_folder(shelf) as folder:
        result = igbib("tag", "gevaert2014glioblastoma", "+x", "--db", folder / "library.sqlite")
        line = one_line_error(result, 3)
        assert "cannot write to" in line and "read-only" in line
    assert digest(db) == before


def test_an_older_library_in_a_read_only_folder_is_read_as_migrated(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    db = folder / "library.sqlite"
    version_1_library(db)
    before = digest(db)
    with read_only_folder(folder) as view:
        result = igbib("search", "author:olivier", "glioblastoma", "--db", view / "library.sqlite")
        assert result.returncode == 0, result
        assert result.stdout.startswith("1\tGevaert")
        info = igbib("info", "--db", view / "library.sqlite")
        assert info.returncode == 0 and "schema version" in info.stdout
    assert digest(db) == before
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == 1


@pytest.mark.parametrize(
    "args", [args for args, _ in READERS] + [["site", "-o", "site"], ["pubmed", "radiogenomics"]]
)
def test_an_empty_file_given_to_a_read_only_command_stays_an_empty_file(tmp_path, args):
    db = tmp_path / "empty.sqlite"
    db.write_bytes(b"")
    line = one_line_error(igbib(*args, "--db", db), 3)
    assert "is an empty file, not an igbib library; it was not changed" in line
    assert db.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("empty")) == [
        "empty.sqlite"
    ]


CHANGERS = [
    ["tag", "1", "+x"],
    ["note", "1", "a note"],
    ["rm", "1"],
    ["section", "add", "Radiomics"],
    ["merge", "1", "2"],
    ["move", "1", "--section", "Radiomics"],
    ["undo"],
    ["edit", "1", "year=2000"],
    ["check", "--fix"],
]


@pytest.mark.parametrize("args", CHANGERS, ids=lambda a: " ".join(a))
def test_a_command_that_changes_a_library_never_makes_one_of_an_empty_file(tmp_path, args):
    """They never create a library: an empty file is not one (was: made one, 192 KB)."""
    db = tmp_path / "empty.sqlite"
    db.write_bytes(b"")
    line = one_line_error(igbib(*args, "--db", db), 3)
    assert "is an empty file, not an igbib library; it was not changed" in line
    assert db.read_bytes() == b""


def test_an_empty_file_becomes_a_library_by_an_import(tmp_path):
    db = tmp_path / "empty.sqlite"
    db.write_bytes(b"")
    from conftest import SEED

    assert igbib("import", SEED, "--db", db).returncode == 0
    assert stat.S_ISREG(db.stat().st_mode) and db.stat().st_size > 0


def test_a_read_only_library_whose_log_holds_changes_is_not_read_without_them(shelf):
    """Reading the file alone would miss the changes its log holds: refused, in one line."""
    db = shelf / "library.sqlite"
    script = (  # a writer that ends without closing: its commit stays in the log
        "import os, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "conn.execute(\"UPDATE papers SET title = 'Changed in the log' WHERE id = 1\")\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(db)], check=True, timeout=60)
    assert (shelf / "library.sqlite-wal").stat().st_size > 0
    (shelf / "library.sqlite-shm").unlink()
    before = {p.name: digest(p) for p in shelf.iterdir()}
    with read_only_folder(shelf) as folder:
        result = igbib("show", "1", "--db", folder / "library.sqlite")
        line = one_line_error(result, 3)
        assert "its write-ahead log" in line and "holds changes not yet in the file" in line
    assert {p.name: digest(p) for p in shelf.iterdir()} == before
    assert "Changed in the log" in igbib("show", "1", "--db", db).stdout  # where it can be


@pytest.fixture
def public_folder():
    """A folder every user may enter, outside root's private temporary folders."""
    folder = Path(tempfile.mkdtemp(prefix="igbib-other-user-"))
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder)


def test_another_user_reads_a_library_in_a_folder_only_chmod_protects(public_folder, seed_db):
    """The way most users meet a read-only library: a folder and file they may not write.

    Run as ``nobody`` (root drops to it), so permissions stop igbib as they stop users.
    """
    needs_root("run igbib as another user")
    if not shutil.which("setpriv"):
        unavailable("setpriv (util-linux) is missing")
    code = public_folder / "src"
    shutil.copytree(
        Path(igbib_package.__file__).parent,
        code / "igbib",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shelf = public_folder / "shelf"
    shelf.mkdir()
    db = shelf / "library.sqlite"
    shutil.copy(seed_db, db)
    db.chmod(0o644)
    shelf.chmod(0o555)
    home = public_folder / "home"
    home.mkdir()
    os.chown(home, 65534, 65534)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "PYTHONPATH": str(code),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(
        [*drop, sys.executable, "-c", "import igbib.cli"], env=env, capture_output=True, text=True
    )
    if probe.returncode != 0:
        unavailable(f"nobody cannot run this Python: {probe.stderr.strip()[-200:]}")
    want = expected(seed_db)
    before = digest(db)
    for args, text in READERS:
        result = subprocess.run(
            [*drop, sys.executable, "-m", "igbib", *args, "--db", str(db)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "Traceback" not in result.stderr, (args, result.stderr)
        assert result.returncode == (args == ["check"]), (args, result)
        assert text in result.stdout
        assert result.stdout == want[" ".join(args)].replace(str(seed_db), str(db))
    written = subprocess.run(
        [
            *drop,
            sys.executable,
            "-m",
            "igbib",
            "tag",
            "gevaert2014glioblastoma",
            "+x",
            "--db",
            str(db),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = one_line_error(written, 3)
    assert "cannot write to" in line and "read-only" in line
    assert digest(db) == before
    assert sorted(p.name for p in shelf.iterdir()) == ["library.sqlite"]
