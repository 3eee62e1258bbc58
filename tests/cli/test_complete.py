"""Shell completion: commands, options, formats, styles, and the library's sections and tags."""

import pytest
from conftest import igbib


def complete_bash(monkeypatch, words: str) -> list[str]:
    monkeypatch.setenv("_IGBIB_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    result = igbib()
    assert result.returncode == 0, result
    return result.stdout.split()


def test_commands_options_and_choices_complete(monkeypatch, seed_db):
    monkeypatch.setenv("IGBIB_DB", str(seed_db))
    assert complete_bash(monkeypatch, "igbib se") == ["search", "section"]
    assert complete_bash(monkeypatch, "igbib sea") == ["search"]
    assert "--format" in complete_bash(monkeypatch, "igbib export --f")
    assert complete_bash(monkeypatch, "igbib export --format b") == ["bibtex", "biblatex"]
    assert complete_bash(monkeypatch, "igbib search glioma --sort y") == ["year"]
    assert "vancouver" in complete_bash(monkeypatch, "igbib export --style v")


def test_sections_and_tags_come_from_the_library(monkeypatch, seed_db):
    from igbib.store import Library

    with Library.open(seed_db, write=True) as library:
        library.add_tags([1, 2], ["radiomics", "Review"])
    monkeypatch.setenv("IGBIB_DB", str(seed_db))
    offered = complete_bash(monkeypatch, "igbib export --tag ")
    assert "radiomics" in offered and "Review" in offered
    assert complete_bash(monkeypatch, "igbib add 1 --tag Re") == ["Review"]
    # the topic rules' tags select papers too (the seed's are all automatic)
    assert complete_bash(monkeypatch, "igbib export --tag site/gl") == ["site/glioma"]
    monkeypatch.setenv("_IGBIB_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "igbib export --section Ima")
    monkeypatch.setenv("COMP_CWORD", "3")
    result = igbib()  # bash inserts what it gets: spaces and parentheses escaped
    assert result.stdout.splitlines() == [
        r"Imaging\ Genomics\ \(Radiogenomics,\ Imaging\ Genetics\)"
    ]
    monkeypatch.setenv("_IGBIB_COMPLETE", "complete_zsh")
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", "igbib export --section Ima")
    assert '"Imaging Genomics (Radiogenomics, Imaging Genetics)"' in igbib().stdout


def test_completion_of_a_missing_library_offers_nothing_and_never_fails(monkeypatch, tmp_path):
    monkeypatch.setenv("IGBIB_DB", str(tmp_path / "none.sqlite"))
    assert complete_bash(monkeypatch, "igbib export --tag ") == []
    assert not (tmp_path / "none.sqlite").exists()


@pytest.mark.parametrize(
    "shell, marker",
    [
        ("bash", "complete -o default -F _igbib_completion igbib"),
        ("zsh", "#compdef igbib"),
        ("fish", "complete --command igbib"),
    ],
)
def test_the_completion_script_for_each_shell(shell, marker):
    for args in (["--show-completion", shell], [f"--show-completion={shell}"]):
        result = igbib(*args)
        assert (
            result.returncode == 0
            and marker in result.stdout
            and "_IGBIB_COMPLETE" in result.stdout
        )


def test_completion_installs_in_one_step(tmp_path):
    home = tmp_path / "home"  # the tests' HOME
    result = igbib("--install-completion", "bash")
    assert result.returncode == 0 and "bash completion installed" in result.stdout
    script = home / ".bash_completions" / "igbib.sh"
    assert "_IGBIB_COMPLETE=complete_bash" in script.read_text()
    assert f"source '{script}'" in (home / ".bashrc").read_text()


def test_an_unknown_shell_is_a_usage_error():
    result = igbib("--show-completion", "tcsh")
    assert result.returncode == 2 and "takes one of bash, zsh, fish" in result.stderr
