"""The command line refuses what it does not understand, on every command, before acting."""

import json
import re

import pytest
from conftest import digest, igbib, one_line_error

from igbib.cli import output
from igbib.cli.commands import NAMES, load

#: the smallest valid argument list of each command that needs one
REQUIRED = {
    "import": ["list.md"],
    "search": ["glioma"],
    "show": ["1"],
    "pubmed": ["glioma"],
    "related": ["1"],
}


def _typo(flag: str) -> str:
    """A flag with one letter dropped, as people mistype them."""
    return flag[:4] + flag[5:]


@pytest.mark.parametrize("name", NAMES)
def test_an_unknown_option_is_a_usage_error_naming_the_closest_one(name, seed_db):
    before = digest(seed_db)
    options = [o.name for o in load(name).COMMAND.options if len(o.name) > 5]
    for option in options:
        result = igbib(name, *REQUIRED.get(name, []), _typo(option), "--db", seed_db)
        line = one_line_error(result, code=2)
        assert repr(_typo(option)) in line and f"did you mean {option!r}" in line, line
    line = one_line_error(igbib(name, *REQUIRED.get(name, []), "--xyzzy"), code=2)
    assert "'--xyzzy'" in line and f"igbib {name} --help" in line
    assert digest(seed_db) == before


def test_a_mistyped_export_option_writes_nothing(seed_db, tmp_path):
    target = tmp_path / "library.bib"
    target.write_text("% 52 good entries\n")
    result = igbib("export", "-f", "bibtex", "--secton", "Imaging", "-o", target, "--db", seed_db)
    assert "'--secton'" in one_line_error(result, code=2)
    assert target.read_text() == "% 52 good entries\n"


def test_an_export_that_selects_nothing_leaves_the_file_as_it_was(seed_db, tmp_path):
    target = tmp_path / "library.bib"
    target.write_text("% 52 good entries\n")
    line = one_line_error(igbib("export", "author:nobody", "-o", target, "--db", seed_db))
    assert "no papers match 'author:nobody'" in line and "left as it was" in line
    line = one_line_error(igbib("export", "--tag", "nothing", "-o", target, "--db", seed_db))
    assert "no papers match" in line
    assert target.read_text() == "% 52 good entries\n"
    assert "nothing written" in one_line_error(igbib("export", "author:nobody", "--db", seed_db))


def test_words_starting_with_a_dash_are_excluded_words_or_follow_double_dash(seed_db):
    def titles(*args):
        result = igbib("search", "--json", "--db", seed_db, *args)
        assert result.returncode == 0, result
        return [r["title"] for r in json.loads(result.stdout)]

    excluded = titles("glioblastoma", "-multiforme")
    assert excluded and all("multiforme" not in t.lower() for t in excluded)
    assert titles("--", "-multiforme", "glioblastoma") == excluded
    assert "'--multiforme'" in one_line_error(
        igbib("search", "glioblastoma", "--multiforme", "--db", seed_db), code=2
    )


@pytest.mark.parametrize(
    "args, says",
    [
        (["search", "glioma", "--limit", "x"], "--limit needs a whole number, not 'x'"),
        (["search", "glioma", "--limit", "0"], "--limit must be at least 1"),
        (["search", "glioma", "--sort", "yaer"], "did you mean 'year'"),
        (["export", "-f", "bibtx"], "did you mean 'bibtex'"),
        (["export", "--format=word"], "must be one of md, bibtex"),
        (["export", "-o"], "option -o needs a value (FILE)"),
        (["move", "1", "--section", "--json"], "option --section needs a value (NAME)"),
        (["export", "--json=yes"], "no such option '--json'"),
        (["search", "--json=yes", "glioma"], "--json takes no value"),
        (["show"], "missing REF"),
        (["show", "1", "2"], "unexpected argument '2'"),
        (["search"], "missing QUERY"),
        (["pubmed", "glioma", "--max", "20000"], "--max must be at most 10000"),
        (["serach", "glioma"], "no such command 'serach' (did you mean 'search'?)"),
        (["--dbb", "x.sqlite", "info"], "did you mean '--db'"),
        (["--db"], "--db needs a value"),
        (["info", "--db", ""], "option --db needs a value (PATH), not ''"),
        (["export", "-o", ""], "option --output needs a value (FILE)"),
        (["site"], "missing option -o/--output DIR"),
        (["site", "-o"], "option -o needs a value (DIR)"),
        (["site", "-o", "out", "extra"], "igbib site takes no arguments"),
        (["export", "--year", "soon"], "option --year: year:soon is not a year"),
        (["export", "--key-format", "{nope}"], "use {family} {Family} {year}"),
        (["export", "-f", "bibtex", "-x"], "no such option '-x'"),
        (["refresh", "-x"], "no such option '-x' for igbib refresh"),
        (["search", "glioma", "-x"], "no such option '-x'"),
        (["info", "extra"], "igbib info takes no arguments"),
        (["add"], "no identifiers given"),
        (["pubmed", " "], "give a PubMed query"),
        (["pubmed", "glioma", "--tag", "new"], "add --add"),
    ],
)
def test_bad_command_lines_get_one_line_and_exit_2(args, says, seed_db):
    before = digest(seed_db)
    assert says in one_line_error(igbib(*args), code=2)
    assert digest(seed_db) == before


@pytest.mark.parametrize("name", NAMES)
def test_help_is_readable(name):
    result = igbib(name, "--help")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith(f"Usage: igbib {name} [OPTIONS]")
    assert not re.search(r"<(bool|int|list|str)|\{\w+\}\.\.\.", result.stdout), result.stdout
    for option in load(name).COMMAND.options:
        assert option.name in result.stdout


def test_help_of_igbib_lists_every_command_and_a_bare_igbib_shows_it():
    result = igbib("--help")
    assert result.returncode == 0
    for name in NAMES:
        assert f"\n  {name} " in result.stdout
    assert igbib().stdout == result.stdout


def test_the_error_prefix_is_coloured_only_on_a_terminal_without_no_color(monkeypatch):
    class Stream:
        def __init__(self, tty):
            self.tty = tty

        def isatty(self):
            return self.tty

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert output.colour(Stream(True)) and not output.colour(Stream(False))
    monkeypatch.setenv("NO_COLOR", "1")
    assert not output.colour(Stream(True))
    result = igbib("show", "--frobnicate")
    assert result.stderr.startswith("error: ") and "\x1b" not in result.stderr


def test_every_declaration_parses_as_the_typer_application_parses_it(seed_db):
    """The Typer application (help for shells, completion) accepts what igbib accepts."""
    import typer

    from igbib.cli import parse
    from igbib.cli.app import build_app

    group = typer.main.get_command(build_app())
    lines = [
        ["search", "glioma", "--limit", "5", "--sort", "year", "--json"],
        ["list", "--sort", "title", "is:flagged"],
        ["show", "gevaert2014glioblastoma", "--json"],
        ["info"],
        ["stats", "glioma", "--by", "year,journal", "--top", "5", "--plot", "x.svg", "--json"],
        ["import", "list.md", "-f", "markdown", "-n", "--sync", "--prune"],
        ["add", "24827998", "10.1038/ncomms5006", "--section", "New", "--tag", "a", "--tag", "b"],
        ["refresh", "author:gevaert", "--dry-run", "--accept", "--no-cache"],
        ["pubmed", "radiogenomics", "AND", "glioma", "--max", "5", "--since", "2020", "--add"],
        ["related", "author:gevaert", "--kind", "similar,cited-by", "--limit", "5", "--add"],
        ["export", "-f", "bibtex", "-o", "out.bib", "--year", "2014", "--has", "doi", "--ascii"],
        ["site", "-o", "site", "--title", "Radiogenomics"],
        ["edit", "gevaert2014glioblastoma", "year=2014", "pmid=", "--force", "--json"],
        ["rm", "23", "24", "--yes", "--json"],
        ["tag", "23", "24", "+glioma", "-review", "--json"],
        ["tags", "--json"],
        ["note", "23", "A note.", "--append"],
        ["merge", "12", "13", "--force", "-n", "--json"],
        ["move", "23", "--section", "New", "--position", "2", "--from", "Old", "--copy"],
        ["section", "rename", "Old", "New", "--json"],
        ["log", "zhao2016reproducibility", "--change", "1", "--limit", "3", "--json"],
        ["undo", "2", "--dry-run", "--json"],
        ["check", "a.md", "b.md", "--strict", "--ignore", "et-al", "--format", "github"],
        ["watch", "add", "w", "glioma[ti]", "--section", "S", "--tag", "t", "--since", "2026"],
        ["screen", "c1", "c2", "--exclude", "off-topic", "--stage", "fulltext", "--json"],
        ["prisma", "-o", "p.csv", "--previous", "3"],
        ["suggest", "glioma", "--kind", "similar", "--limit", "5", "--add", "--section", "S"],
        [
            "dataset",
            "add",
            "BraTS",
            "--doi",
            "10.7303/syn25829067",
            "--modality",
            "MR",
            "--subjects",
            "2040",
            "--genomics",
            "no",
            "--json",
        ],
    ]
    assert {line[0] for line in lines} == set(NAMES)
    for line in lines:
        name, ours = parse(["--db", str(seed_db), *line])
        root = group.make_context("igbib", ["--db", str(seed_db), line[0]])
        command = group.get_command(root, name)
        theirs = command.make_context(name, line[1:], parent=root).params
        theirs = {
            k: ([] if v is None and isinstance(ours.get(k), list) else v) for k, v in theirs.items()
        }
        theirs["db"] = theirs["db"] or root.params["db"]
        assert {k: (list(v) if isinstance(v, tuple) else v) for k, v in theirs.items()} == ours, (
            line
        )


def test_a_command_that_fails_on_a_new_library_leaves_no_file_behind(tmp_path):
    broken = tmp_path / "broken.bib"
    broken.write_text("@article{x,\n  title = {Never closed\n")
    new = tmp_path / "new.sqlite"
    result = igbib("import", broken, "--db", new)
    assert result.returncode == 1 and not new.exists()
    assert "no igbib library" in one_line_error(igbib("refresh", "-n", "--db", new), code=3)
    assert "no igbib library" in one_line_error(igbib("refresh", "--db", new), code=3)
    assert not new.exists()


def test_help_for_a_command_named_after_help_and_options_put_before_a_command():
    assert igbib("--help", "export").stdout == igbib("export", "--help").stdout
    line = one_line_error(igbib("--limit", "1", "search", "glioma"), code=2)
    assert "--limit is an option of igbib search" in line and "after the command's name" in line
    line = one_line_error(igbib("--show-completion", "bash", "extra"), code=2)
    assert "unexpected argument 'extra'" in line


def test_read_only_commands_leave_an_empty_file_as_it_is(tmp_path):
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    for args in (["search", "glioma"], ["info"], ["list"], ["export"], ["site", "-o", "out"]):
        assert "empty file" in one_line_error(igbib(*args, "--db", empty), code=3)
    assert empty.read_bytes() == b""
