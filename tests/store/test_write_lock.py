"""Writers wait for each other as long as an igbib writes, and never lose their work.

Each writer is a real process. The busy timeout of the waiting writer is cut to
half a second (:data:`~processes.SHORT_BUSY_TIMEOUT`) while the holder keeps its
transaction open for seconds: the case of a long import holding the lock longer
than SQLite's 30 s wait, in a test of seconds.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import FIXTURES, SEED, one_line_error
from processes import (
    CDL_1000,
    SHORT_BUSY_TIMEOUT,
    SLOW_WRITES,
    Medline,
    counts,
    hold_write_lock,
    igbib_command,
    integrity,
    run,
)

from igbib.store import Library
from igbib.store.connection import LOCK_SUFFIX, WriteLock

pytestmark = pytest.mark.skipif(os.name == "nt", reason="igbib's write lock needs flock")


@pytest.fixture
def library(tmp_path):
    db = tmp_path / "library.sqlite"
    result = run(igbib_command("import", SEED, "--db", db))
    assert result.returncode == 0, result.stderr
    return db


def meta(db, key):
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def test_an_import_waits_for_an_igbib_writing_longer_than_the_busy_timeout(library):
    """Was: "database is locked", exit 3, the second import's work lost."""
    holder = hold_write_lock(library, 3)
    started = time.monotonic()
    result = run(
        igbib_command(
            "import", FIXTURES / "cdl-sample.bib", "--db", library, before=SHORT_BUSY_TIMEOUT
        )
    )
    waited = time.monotonic() - started
    assert holder.wait(timeout=30) == 0
    assert result.returncode == 0, result.stderr
    assert "54  added" in result.stdout
    assert waited > 1.5  # it waited for the holder, well past its busy timeout
    assert meta(library, "held") == "yes"  # the holder's work is kept too
    assert counts(library)[0] == 52 + 54
    assert integrity(library) == "ok"
    assert not os.path.exists(str(library) + LOCK_SUFFIX)  # the last holder removed it


def test_an_add_waits_for_a_long_import_and_keeps_what_it_fetched(library, tmp_path):
    with Medline() as medline:
        pmids = medline.pmids[:30]
        holder = hold_write_lock(library, 3)
        result = run(
            igbib_command("add", *pmids, "--db", library, before=SHORT_BUSY_TIMEOUT),
            env=medline.env(tmp_path),
        )
    assert holder.wait(timeout=30) == 0
    assert result.returncode == 0, result.stderr
    assert counts(library)[0] == 52 + 30
    conn = sqlite3.connect(library)
    stored = {r[0] for r in conn.execute("SELECT pmid FROM papers WHERE pmid IS NOT NULL")}
    conn.close()
    assert set(pmids) <= stored


def test_a_waiting_writer_says_on_a_terminal_whom_it_waits_for(library):
    import pty

    holder = hold_write_lock(library, 2)
    master, slave = pty.openpty()
    process = subprocess.Popen(
        igbib_command("tag", "1", "+waited", "--db", library, before=SHORT_BUSY_TIMEOUT),
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    assert process.wait(timeout=60) == 0
    assert holder.wait(timeout=30) == 0
    said = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        said += chunk
    os.close(master)
    line = said.decode().strip().splitlines()[0]
    assert line.startswith("waiting for igbib hold (a test) (process ")
    assert f"to finish writing {library}" in line


def test_a_writer_killed_while_holding_the_lock_is_not_waited_for(library):
    holder = hold_write_lock(library, 60)
    assert os.path.exists(str(library) + LOCK_SUFFIX)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    assert os.path.exists(str(library) + LOCK_SUFFIX)  # left behind by kill -9
    started = time.monotonic()
    result = run(igbib_command("tag", "1", "+after", "--db", library))
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 20
    assert meta(library, "held") is None  # the killed transaction left nothing
    assert integrity(library) == "ok"
    assert not os.path.exists(str(library) + LOCK_SUFFIX)


def test_two_long_imports_at_once_both_keep_their_work(tmp_path):
    """The second of two concurrent imports used to fail after 30 s, its work lost."""
    db = tmp_path / "library.sqlite"
    slow = SLOW_WRITES.replace("time.sleep(0.75)", "time.sleep(3)")  # holds the lock 3 s longer
    first = subprocess.Popen(
        igbib_command("import", CDL_1000, "--db", db, before=SHORT_BUSY_TIMEOUT + slow),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)  # the first is in its transaction
    second = run(igbib_command("import", SEED, "--db", db, before=SHORT_BUSY_TIMEOUT))
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert second.returncode == 0, second.stderr
    assert counts(db)[0] == 1000 + 52
    assert integrity(db) == "ok"


def test_another_program_holding_the_lock_past_the_busy_timeout_is_one_true_line(library):
    """igbib cannot tell how long a program of its own will write: it waits the busy
    timeout for it, then says so, and nothing is changed."""
    other = sqlite3.connect(library, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        result = run(
            igbib_command(
                "import", FIXTURES / "cdl-sample.bib", "--db", library, before=SHORT_BUSY_TIMEOUT
            )
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    line = one_line_error(result, 3)
    assert "another program has been writing to it for over 0.5 s" in line
    assert line.endswith("it was not changed: try again when it is done")
    assert counts(library)[0] == 52


def test_a_process_does_not_wait_for_its_own_lock(db_path):
    """Two connections of one process to one library share its lock (a deadlock else)."""
    with Library.open(db_path, write=True) as one, Library.open(db_path, write=True) as two:
        with one.transaction():
            one.set_meta("a", "1")
            lock = WriteLock(str(db_path))
            lock.acquire()  # returns at once: this process holds it
            lock.release()
        with two.transaction():
            two.set_meta("b", "2")
        assert two.get_meta("a") == "1"


def test_the_lock_file_names_its_holder_and_goes_when_released(db_path):
    lock = WriteLock(str(db_path), holder="igbib import big.md")
    lock.acquire()
    try:
        text = (db_path.parent / (db_path.name + LOCK_SUFFIX)).read_text()
        assert text == f"{os.getpid()} igbib import big.md\n"
    finally:
        lock.release()
    assert not os.path.exists(str(db_path) + LOCK_SUFFIX)


def test_a_writer_that_locked_a_file_removed_meanwhile_takes_the_new_one(db_path):
    """The holder removes the lock file, then unlocks it: a writer that was waiting on
    the removed file must not write alongside one that made a new file."""
    script = (
        "import sys, time\n"
        "from igbib.store.connection import WriteLock\n"
        "lock = WriteLock(sys.argv[1], holder='second')\n"
        "lock.acquire()\n"
        "print('locked', flush=True)\n"
        "time.sleep(1)\n"
        "lock.release()\n"
    )
    first = WriteLock(str(db_path), holder="first")
    first.acquire()
    second = subprocess.Popen(
        [sys.executable, "-c", script, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    time.sleep(0.5)  # the second waits on the first's file
    first.release()  # removes it, then unlocks
    assert second.stdout.readline().strip() == "locked"
    text = (db_path.parent / (db_path.name + LOCK_SUFFIX)).read_text()
    assert text.endswith(" second\n")  # the file there is the one the second holds
    third = WriteLock(str(db_path), holder="third")
    started = time.monotonic()
    third.acquire()  # waits for the second, who holds the file that is there
    assert time.monotonic() - started > 0.2
    third.release()
    assert second.wait(timeout=30) == 0
