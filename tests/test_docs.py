"""The README stays true: its commands exist and CI runs its test command."""

import re

from conftest import ROOT

from igbib.cli import app

README = (ROOT / "README.md").read_text()
CI = (ROOT / ".ci" / "run").read_text()


def test_ci_runs_exactly_the_readme_test_command():
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    quick_start = [b.strip() for b in blocks[:2]]
    assert quick_start[0] == "pip install -e . && igbib search glioblastoma"
    test_command = quick_start[1]
    assert "pytest" in test_command
    assert test_command in CI.splitlines()


def test_every_command_is_documented():
    names = {c.name or c.callback.__name__ for c in app.registered_commands}
    assert names == {
        "import",
        "search",
        "list",
        "show",
        "info",
        "export",
        "add",
        "refresh",
        "pubmed",
    }
    for name in names:
        assert f"### `igbib {name}" in README, name


def test_every_exit_code_in_the_code_is_documented():
    from igbib import run
    from igbib.errors import IgbibError, LibraryError, SourceError

    codes = {run.EXIT_OK, run.EXIT_ERROR, run.EXIT_USAGE, run.EXIT_LIBRARY, run.EXIT_NETWORK}
    codes |= {IgbibError.exit_code, LibraryError.exit_code, SourceError.exit_code}
    codes.add(run.EXIT_INTERRUPTED)
    for code in codes:
        assert f"\n| {code} |" in README, code
