"""What only a real process shows: the entry point, pipes, and what start-up imports."""

import json
import subprocess
import sys

import pytest
from conftest import igbib_process

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
