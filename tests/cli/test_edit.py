"""igbib edit, rm, tag, tags and note as users run them: one-line errors, the library
unchanged by a refused command, every change recorded and undone exactly."""

import json
import shlex
import sys
import textwrap

import pytest
from conftest import digest, exports, igbib, one_line_error

from igbib.ops.history import undo
from igbib.store import Library


def script_editor(tmp_path, monkeypatch, body: str, *args: str) -> None:
    """$VISUAL: a Python script that rewrites the file it is given (a real editor process)."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        "path = pathlib.Path(sys.argv[-1])\n"
        "text = path.read_text(encoding='utf-8')\n" + textwrap.dedent(body)
    )
    monkeypatch.setenv("VISUAL", shlex.join([sys.executable, str(script), *args]))
    monkeypatch.delenv("EDITOR", raising=False)


@pytest.mark.parametrize(
    "args",
    [
        ["edit", "huradiogenomics", "year=2016", "authors=Hu, Leland S; et al.", "pmid="],
        ["edit", "aerts2014decoding", "pmid=27009765", "--force"],
        ["rm", "zhao2016reproducibility", "23", "--yes"],
        ["tag", "23", "29", "+glioma", "+review"],
        ["note", "gevaert2014glioblastoma", "Compare with TCGA."],
    ],
)
def test_each_change_is_recorded_and_undone_exactly(seed_db, args):
    before = exports(seed_db)
    result = igbib(*args, "--db", seed_db)
    assert result.returncode == 0, result
    assert exports(seed_db) != before
    with Library.open(seed_db, write=True) as library:
        assert library.changes()[0].command == args[0]
        undo(library)
    assert exports(seed_db) == before


def test_edit_reports_what_changed(seed_db):
    result = igbib("edit", "huradiogenomics", "year=2016", "month=sep", "--db", seed_db)
    assert result.returncode == 0, result
    assert result.stdout.splitlines() == [
        "year: (empty) -> 2016",
        "month: (empty) -> 9",
        "flags: bad-year -> (none)",
    ]
    record = json.loads(
        igbib(
            "edit", "8", "pmid=https://pubmed.ncbi.nlm.nih.gov/123/", "--json", "--db", seed_db
        ).stdout
    )
    assert record["pmid"] == "123" and record["year"] == 2016 and record["flags"] == []
    again = igbib("edit", "8", "pmid=123", "--db", seed_db)
    assert again.returncode == 0 and again.stdout == "" and "nothing changed" in again.stderr


@pytest.mark.parametrize(
    ("args", "reason", "code"),
    [
        (["huradiogenomics", "year=201"], "year '201' is not a valid year", 1),
        (["huradiogenomics", "pmid=abc"], "'abc' is not a valid PMID", 1),
        (["huradiogenomics", "year=2016", "pmid=abc"], "not a valid PMID", 1),
        (["huradiogenomics", "colour=red"], "unknown field 'colour'; editable fields:", 1),
        (["huradiogenomics", "tags=glioma"], "use igbib tag", 1),
        (["huradiogenomics", "added=2020"], "added is not editable", 1),
        (["aerts2014decoding", "pmid=24827998"], "igbib merge aerts2014decoding gevaert", 1),
        (["aerts2014decoding", "citekey=gevaert2014glioblastoma"], "is taken by", 1),
        (["27009765", "year=2016"], "shared by 2 papers", 1),
        (["nosuchkey", "year=2016"], "no paper matches", 1),
        (["huradiogenomics", "2016"], "is not FIELD=VALUE", 2),
    ],
)
def test_a_refused_edit_leaves_the_library_byte_identical(seed_db, args, reason, code):
    before = digest(seed_db)
    assert reason in one_line_error(igbib("edit", *args, "--db", seed_db), code=code)
    assert digest(seed_db) == before


def test_edit_in_the_editor(seed_db, tmp_path, monkeypatch):
    script_editor(
        tmp_path,
        monkeypatch,
        """
        assert sys.argv[1] == '--wait'  # the command's own arguments come first
        assert text.startswith('# igbib edit: huradiogenomics')
        text = text.replace('year = ""', 'year = 2016')
        text = text.replace('keywords = []', 'keywords = ["glioblastoma", "MRI"]')
        path.write_text(text, encoding='utf-8')
        """,
        "--wait",
    )
    result = igbib("edit", "huradiogenomics", "--db", seed_db)
    assert result.returncode == 0, result
    assert "year: (empty) -> 2016" in result.stdout
    assert "keywords: (empty) -> glioblastoma; MRI" in result.stdout
    with Library.open(seed_db) as library:
        assert library.changes()[0].command == "edit"


def test_a_refused_editor_edit_off_a_terminal_exits_1_unchanged(seed_db, tmp_path, monkeypatch):
    before = digest(seed_db)
    script_editor(
        tmp_path, monkeypatch, "path.write_text(text.replace('year = \"\"', 'year = 201'))"
    )
    line = one_line_error(igbib("edit", "huradiogenomics", "--db", seed_db))
    assert "year '201' is not a valid year" in line
    script_editor(tmp_path, monkeypatch, "path.write_text(text + 'tags = [\"x\"]\\n')")
    assert "tags is not editable" in one_line_error(igbib("edit", "8", "--db", seed_db))
    assert digest(seed_db) == before


def test_a_cancelled_or_failing_editor_changes_nothing(seed_db, tmp_path, monkeypatch):
    before = digest(seed_db)
    script_editor(tmp_path, monkeypatch, "pass")
    cancelled = igbib("edit", "8", "--db", seed_db)
    assert cancelled.returncode == 0 and "cancelled" in cancelled.stderr
    script_editor(tmp_path, monkeypatch, "sys.exit(2)")
    assert "exited with status 2" in one_line_error(igbib("edit", "8", "--db", seed_db))
    monkeypatch.setenv("VISUAL", str(tmp_path / "no-such-editor"))
    assert "not found" in one_line_error(igbib("edit", "8", "--db", seed_db))
    assert digest(seed_db) == before


def test_rm_asks_and_refuses_off_a_terminal_without_yes(seed_db):
    before = digest(seed_db)
    line = one_line_error(igbib("rm", "zhao2016reproducibility", "--db", seed_db))
    assert "add --yes" in line
    assert "no paper matches" in one_line_error(
        igbib("rm", "23", "nosuch", "--yes", "--db", seed_db)
    )
    assert digest(seed_db) == before
    result = igbib("rm", "zhao2016reproducibility", "23", "-y", "--json", "--db", seed_db)
    assert result.returncode == 0, result
    removed = json.loads(result.stdout)["removed"]
    assert [r["citekey"] for r in removed] == ["zhao2016reproducibility", "gevaert2014glioblastoma"]
    info = json.loads(igbib("info", "--json", "--db", seed_db).stdout)
    assert info["papers"] == 50 and info["flagged"] == 2  # mccann shares its PMID no more


def test_tag_and_tags(seed_db):
    result = igbib("tag", "23", "aerts2014decoding", "+Glioma", "+review", "--db", seed_db)
    assert result.returncode == 0, result
    assert result.stdout.startswith(
        "gevaert2014glioblastoma: +Glioma +review; tags: Glioma, review"
    )
    result = igbib("tag", "23", "-REVIEW", "-radiomics", "+glioma", "--db", seed_db)
    assert result.returncode == 0, result  # -REVIEW is a tag to remove, not an option
    assert result.stdout == (
        "gevaert2014glioblastoma: -REVIEW (already tagged glioma; not tagged radiomics);"
        " tags: Glioma\n"
    )
    assert igbib("tags", "--db", seed_db).stdout.startswith("Glioma\t2\nreview\t1\n")
    assert json.loads(igbib("tags", "--json", "--db", seed_db).stdout)[:2] == [
        {"tag": "Glioma", "papers": 2, "origin": "curator", "axis": None},
        {"tag": "review", "papers": 1, "origin": "curator", "axis": None},
    ]
    found = json.loads(igbib("search", "tag:glioma", "--json", "--db", seed_db).stdout)
    assert {p["citekey"] for p in found} == {"gevaert2014glioblastoma", "aerts2014decoding"}
    igbib("tag", "aerts2014decoding", "-review", "--db", seed_db)
    listed = igbib("tags", "--db", seed_db).stdout.splitlines()  # the rules' tags come after
    assert [line for line in listed if not line.endswith("\tauto")] == ["Glioma\t2"]


def test_bad_tag_command_lines(seed_db):
    before = digest(seed_db)
    assert "write +review" in one_line_error(igbib("tag", "23", "+a", "review", "--db", seed_db), 2)
    assert "no tags given" in one_line_error(igbib("tag", "23", "--db", seed_db), 2)
    assert "no paper matches" in one_line_error(igbib("tag", "nosuch", "+a", "--db", seed_db))
    assert "no such option '--x'" in one_line_error(igbib("tag", "23", "--x", "--db", seed_db), 2)
    assert digest(seed_db) == before


def test_note(seed_db):
    assert "has no note" in igbib("note", "23", "--db", seed_db).stderr
    assert igbib("note", "23", "Read first.", "--db", seed_db).returncode == 0
    assert igbib("note", "23", "Then TCGA.", "--append", "--db", seed_db).returncode == 0
    assert igbib("note", "23", "--db", seed_db).stdout == "Read first.\nThen TCGA.\n"
    record = json.loads(igbib("note", "gevaert2014glioblastoma", "--json", "--db", seed_db).stdout)
    assert record == {
        "id": 23,
        "citekey": "gevaert2014glioblastoma",
        "note": "Read first.\nThen TCGA.",
    }
    found = json.loads(igbib("search", "note:tcga", "--json", "--db", seed_db).stdout)
    assert [p["id"] for p in found] == [23]
    before = digest(seed_db)
    assert "--clear takes no TEXT" in one_line_error(
        igbib("note", "23", "x", "--clear", "--db", seed_db), 2
    )
    assert "needs the TEXT" in one_line_error(igbib("note", "23", "--append", "--db", seed_db), 2)
    assert digest(seed_db) == before
    assert igbib("note", "23", "--clear", "--db", seed_db).returncode == 0
    assert "has no note" in igbib("note", "23", "--db", seed_db).stderr


def test_editing_commands_never_create_a_library(tmp_path):
    missing = tmp_path / "nothing.sqlite"
    for args in (["edit", "1", "year=2014"], ["rm", "1", "--yes"], ["tag", "1", "+a"], ["tags"]):
        assert "no igbib library" in one_line_error(igbib(*args, "--db", missing), code=3)
    assert not missing.exists()


def on_a_terminal(args, answers: str, env=None) -> tuple[int, str]:
    """Run igbib as a process on a pseudo-terminal, typing ``answers``; its code and output."""
    import os
    import pty
    import select
    import subprocess

    main, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "igbib", *map(str, args)],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        close_fds=True,
    )
    os.close(child)
    os.write(main, answers.encode())
    out = b""
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    return process.wait(timeout=60), out.decode(errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_on_a_terminal_rm_asks_and_a_refused_edit_can_be_taken_up_again(seed_db, tmp_path):
    import os

    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("IGBIB_DB", None)
    code, out = on_a_terminal(["rm", "zhao2016reproducibility", "--db", seed_db], "n\n", env)
    assert code == 0 and "Remove 1 paper? [y/N]" in out and "Nothing removed." in out
    code, out = on_a_terminal(["rm", "zhao2016reproducibility", "--db", seed_db], "y\n", env)
    assert code == 0 and "removed\t12\tzhao2016reproducibility" in out.replace("\r", "")
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        "path = pathlib.Path(sys.argv[-1])\n"
        "text = path.read_text(encoding='utf-8')\n"
        "if 'year = \"201\"' in text:\n"
        "    path.write_text(text.replace('year = \"201\"', 'year = 2016'))\n"
        "else:\n"
        "    path.write_text(text.replace('year = \"\"', 'year = \"201\"'))\n"
    )
    env["VISUAL"] = shlex.join([sys.executable, str(script)])
    code, out = on_a_terminal(["edit", "huradiogenomics", "--db", seed_db], "y\n", env)
    assert code == 0, out
    assert "year '201' is not a valid year" in out and "Edit the record again? [Y/n]" in out
    assert "year: (empty) -> 2016" in out
    # declined, the refusal is said once, as the command's error
    script.write_text(
        "import pathlib, sys\n"
        "path = pathlib.Path(sys.argv[-1])\n"
        "path.write_text(path.read_text().replace('year = 2016', 'year = \"201\"'))\n"
    )
    code, out = on_a_terminal(["edit", "huradiogenomics", "--db", seed_db], "n\n", env)
    assert code == 1 and out.count("year '201' is not a valid year") == 2, out
    assert out.count("error:") == 1 and "Refused: year '201'" in out


def test_edit_without_fields_or_editor_off_a_terminal_is_refused(seed_db, monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    before = digest(seed_db)
    result = igbib("edit", "huradiogenomics", "--db", seed_db)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "needs a terminal" in result.stderr and not result.stdout
    assert digest(seed_db) == before
