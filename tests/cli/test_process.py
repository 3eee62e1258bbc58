"""What only a real process shows: the entry point, pipes, signals, and what start-up
imports."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import FIXTURES, SEED, digest, igbib_process, one_line_error
from system import unavailable

from igbib import __version__

HEAVY = (
    "typer",
    "rich",
    "click",
    "pydantic",
    "requests",
    "bibtexparser",
    "citeproc",
    "dataclasses",
)


def test_python_dash_m_igbib_runs_the_command_line(seed_db):
    assert igbib_process("--version").stdout.strip() == f"igbib {__version__}"
    result = igbib_process("show", "gevaert2014glioblastoma", "--json", "--db", seed_db)
    assert result.returncode == 0 and json.loads(result.stdout)["pmid"] == "24827998"


def test_a_reader_that_leaves_early_is_not_an_error(seed_db):
    command = [sys.executable, "-m", "igbib", "list", "--db", str(seed_db)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        process.stdout.readline()
        process.stdout.close()  # `igbib list | head -1`
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=60) == 0
    assert "Traceback" not in stderr and stderr == ""


FULL_OUTPUT = [
    ["search", "glioblastoma"],
    ["search", "glioblastoma", "--json"],
    ["list"],
    ["show", "24827998"],
    ["info"],
    ["log"],
    ["check"],
    ["export"],
    ["export", "-f", "bibtex"],
    ["export", "-f", "text", "--style", "apa"],
]


@pytest.mark.parametrize("args", FULL_OUTPUT, ids=" ".join)
def test_output_to_a_full_disk_is_one_true_line(seed_db, args):
    """`igbib export > /dev/full` (was: a traceback)."""
    if not os.path.exists("/dev/full"):
        unavailable("no /dev/full on this system")
    before = digest(seed_db)
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "igbib", *args, "--db", str(seed_db)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    line = one_line_error(done)
    assert (
        line == "error: cannot write the output (No space left on device); the library is unchanged"
    )
    assert digest(seed_db) == before


def test_output_to_a_full_disk_after_an_import_says_what_was_saved(tmp_path):
    if not os.path.exists("/dev/full"):
        unavailable("no /dev/full on this system")
    db = tmp_path / "library.sqlite"
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "igbib", "import", str(SEED), "--db", str(db)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    line = one_line_error(done)
    assert line.startswith("error: cannot write the output (No space left on device);")
    assert f"the changes to {db} are saved" in line
    count = sqlite3.connect(db).execute("SELECT count(*) FROM papers").fetchone()[0]
    assert count == 52


@pytest.mark.parametrize(
    "args",
    [
        ["search", "glioblastoma"],
        ["--db", "{db}", "search", "radiogenomics", "--sort", "year", "--json"],
        ["show", "24827998"],
        ["info"],
        ["list", "--limit", "20"],
        ["export", "-f", "bibtex", "author:gevaert"],
        ["export", "author:gevaert"],
        ["site", "-o", "site"],
        ["--help"],
        ["export", "--help"],
        ["export", "--secton", "x"],
    ],
)
def test_the_commands_people_run_most_start_without_heavy_imports(seed_db, args):
    """Typer, rich and the rest cost several times Python's start-up: piped commands skip them."""
    args = [a.replace("{db}", str(seed_db)) for a in args]
    script = (
        "import sys\n"
        "from igbib.cli import execute\n"
        f"code = execute({args!r})\n"
        "sys.stdout.flush()\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "sys.stderr.write('HEAVY ' + ' '.join(heavy) + '\\n')\n"
    )
    env = {"IGBIB_DB": str(seed_db), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.splitlines()[-1] == "HEAVY ", result.stderr


#: Lines that make a process send itself SIGINT (Ctrl-C) when ``{target}`` is called.
CTRL_C_AT = """
import os, signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started in the background
import {module}
def _ctrl_c(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(30)
{module}.{name} = _ctrl_c
from igbib.cli import main
main(sys.argv[1:])
"""


def ctrl_c_at(target: str, *args) -> subprocess.CompletedProcess:
    module, name = target.rsplit(".", 1)
    script = CTRL_C_AT.format(module=module, name=name)
    return subprocess.run(
        [sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True, timeout=60
    )


def papers(db) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM papers").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.skipif(os.name == "nt", reason="SIGINT sent to a process")
def test_ctrl_c_just_after_the_commit_says_the_import_was_saved(tmp_path):
    """Was: "interrupted; the library is unchanged by the unfinished step", the import
    committed all the same."""
    db = tmp_path / "library.sqlite"
    result = ctrl_c_at("igbib.cli.reports.print_import_report", "import", SEED, "--db", db)
    line = one_line_error(result, 130)
    assert line == (
        f"error: interrupted after saving changes to {db}: they are kept"
        " ('igbib log' shows them, 'igbib undo' reverts them)"
    )
    assert papers(db) == 52


@pytest.mark.skipif(os.name == "nt", reason="SIGINT sent to a process")
def test_ctrl_c_before_the_commit_says_the_library_is_unchanged(seed_db):
    result = ctrl_c_at(
        "igbib.ops.ingest._flag", "import", FIXTURES / "cdl-sample.bib", "--db", seed_db
    )
    assert one_line_error(result, 130) == "error: interrupted; the library is unchanged"
    assert papers(seed_db) == 52


@pytest.mark.skipif(os.name == "nt", reason="igbib's write lock needs flock")
def test_ctrl_c_while_waiting_for_another_igbib_stops_waiting(seed_db):
    from processes import hold_write_lock, igbib_command

    holder = hold_write_lock(seed_db, 20)
    try:
        waiting = subprocess.Popen(
            igbib_command("tag", "1", "+never", "--db", seed_db),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # Ctrl-C reaches it even when the tests run in the background (SIGINT ignored)
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        time.sleep(1.5)
        assert waiting.poll() is None  # still waiting
        waiting.send_signal(signal.SIGINT)
        out, err = waiting.communicate(timeout=30)
    finally:
        holder.kill()
        holder.wait()
    assert waiting.returncode == 130
    assert err.strip() == "error: interrupted; the library is unchanged"
