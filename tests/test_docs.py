"""The README stays true: its commands exist and CI runs its test command."""

import re

from conftest import ROOT

from igbib import errors
from igbib.cli.app import build_app

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
    names = {c.name for c in build_app().registered_commands}
    assert "search" in names and "export" in names
    for name in names:
        assert f"### `igbib {name}" in README, name


def test_every_exit_code_in_the_code_is_documented():
    codes = {v for k, v in vars(errors).items() if k.startswith("EXIT_")}
    codes |= {
        cls.exit_code
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, errors.IgbibError)
    }
    assert codes >= {0, 1, 2, 3, 4, 130}
    for code in codes:
        assert f"\n| {code} |" in README, code


def test_the_python_examples_run(tmp_path, monkeypatch, capsys):
    import shutil

    shutil.copy(ROOT / "library.sqlite", tmp_path / "library.sqlite")
    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / "data" / "awesome-imaging-genetics.md", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "gevaert2014glioblastoma" in printed
    assert "{'skipped': 7, 'not a paper': 4, 'added': 52, 'conflict': 1, 'flagged': 4}" in printed
