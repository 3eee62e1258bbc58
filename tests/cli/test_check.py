"""``igbib check`` as CI runs it: exit codes, GitHub annotations, --ignore, [check], --fix."""

import json
import shutil

from conftest import FIXTURES, SEED, digest, igbib, one_line_error

from igbib.cli.commands.check import escape_data, escape_property
from igbib.store import Library

CLEAN = FIXTURES / "lists" / "lixiang007666__Awesome-Medical-TTA__README.md"


def repeat_the_dataset(library, times=3):
    """Repeat the seed's dataset as rows of their own (as a library imported before
    identical dataset headings became one dataset holds them)."""
    (dataset,) = library.datasets()
    with library.transaction():
        for _ in range(times):
            library.insert_dataset({k: dataset[k] for k in ("name", "url", "description")})


def test_the_seed_list_fails_with_a_count_line():
    result = igbib("check", SEED)
    assert result.returncode == 1, result
    assert result.stdout.startswith("Errors (6)")
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith(f"igbib check: 6 errors, 52 warnings in {SEED}")
    assert "shared-id 1" in last and "et-al 50" in last


def test_a_clean_list_passes_and_strict_fails_on_its_warnings():
    assert igbib("check", CLEAN).returncode == 0
    assert igbib("check", "--strict", CLEAN).returncode == 1
    assert igbib("check", "--strict", "--ignore", "no-identifier", CLEAN).returncode == 0


def test_github_annotations_exactly(tmp_path):
    result = igbib("check", "--format", "github", SEED)
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"::error file={SEED},line=27,title=bad-year::huradiogenomics: year '201' is not a"
        ' valid year (Hu, "Radiogenomics to characterize regional genetic heterogeneity in'
        ' gliob…"). Fix: correct the year at line 27'
    )
    assert lines[1].startswith(f"::error file={SEED},line=31,title=shared-id::")
    assert sum(line.startswith("::error ") for line in lines) == 6
    assert sum(line.startswith("::warning ") for line in lines) == 52
    assert result.stderr.startswith("igbib check: 6 errors")  # the summary, off stdout


def test_github_escaping(tmp_path):
    assert escape_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    odd = tmp_path / "list: v1, draft.md"
    shutil.copy(SEED, odd)
    first = igbib("check", "--format", "github", odd).stdout.splitlines()[0]
    name = str(odd).replace(":", "%3A").replace(",", "%2C")
    assert first.startswith(f"::error file={name},line=27,title=bad-year::")


def test_library_mode_uses_the_lists_lines_and_name(seed_db):
    result = igbib("check", "--format", "github", "--db", seed_db)
    assert result.returncode == 1
    assert "::error file=awesome-imaging-genetics.md,line=31,title=shared-id::" in result.stdout
    # each finding names its papers: id, first author, year, title
    text = igbib("check", "--db", seed_db).stdout
    assert '\n            id 12, Zhao 2016, "Reproducibility of radiomics for' in text
    assert '\n            id 13, McCann 2016, "Quantitative multiparametric MRI' in text


def test_json(seed_db):
    data = json.loads(igbib("check", "--json", "--db", seed_db).stdout)
    # the seed's repeated dataset headings are one dataset in the library: not errors
    assert data["counts"]["errors"] == 3 and data["counts"]["warnings"] == 52
    shared = next(f for f in data["findings"] if f["code"] == "shared-id")
    assert {p["citekey"] for p in shared["papers"]} == {
        "zhao2016reproducibility",
        "mccann2016quantitative",
    }
    assert set(shared["papers"][0]) == {"id", "citekey", "first_author", "year", "title", "line"}


def test_ignore_and_the_config_section(tmp_path, monkeypatch):
    ignored = igbib("check", "--json", "--ignore", "et-al", "--ignore", "no-identifier", SEED)
    assert json.loads(ignored.stdout)["counts"]["warnings"] == 0
    listed = igbib("check", "--json", "--ignore", "et-al,no-identifier", SEED)
    assert json.loads(listed.stdout)["counts"] == json.loads(ignored.stdout)["counts"]
    assert "two outputs" in one_line_error(
        igbib("check", "--json", "--format", "github", SEED), code=2
    )
    config = tmp_path / "config.ini"
    config.write_text("[check]\nignore = et-al, no-identifier, duplicate-dataset\n")
    monkeypatch.setenv("IGBIB_CONFIG", str(config))
    counts = json.loads(igbib("check", "--json", SEED).stdout)["counts"]
    assert counts["warnings"] == 0 and counts["errors"] == 3
    config.write_text("[check]\nignore = et-al, nonsense\n")
    line = one_line_error(igbib("check", SEED), code=2)
    assert "nonsense" in line and "shared-id" in line
    config.write_text("[check]\nfuzzy_threshold = lots\n")
    assert "fuzzy_threshold" in one_line_error(igbib("check", SEED), code=2)


def test_several_files_at_once():
    result = igbib("check", "--json", SEED, CLEAN)
    data = json.loads(result.stdout)
    assert {f["file"] for f in data["findings"]} == {str(SEED), str(CLEAN)}
    assert result.returncode == 1


def test_bad_ignore_code_missing_file_and_fix_of_a_file_leave_the_library_unchanged(
    seed_db, tmp_path
):
    before = digest(seed_db)
    line = one_line_error(igbib("check", "--ignore", "et_al", "--db", seed_db), code=2)
    assert "'et_al'" in line and "et-al" in line and "likely-duplicate" in line
    missing = tmp_path / "missing.md"
    assert "missing.md" in one_line_error(igbib("check", missing, "--db", seed_db), code=1)
    assert "--fix" in one_line_error(igbib("check", "--fix", SEED, "--db", seed_db), code=2)
    assert digest(seed_db) == before


def test_fix_prints_what_it_changed_and_undo_reverts_it(seed_db):
    with Library.open(seed_db, write=True) as library:
        repeat_the_dataset(library)
        datasets = library.datasets()
    result = igbib("check", "--fix", "--db", seed_db)
    assert result.returncode == 1  # the errors a person must decide remain
    assert result.stdout.startswith("Fixed (3)")
    assert "3 fixed, the rest is for a person to decide" in result.stdout
    assert "duplicate-dataset" not in result.stdout.split("Fixed (3)")[1].split("\n\n", 1)[1]
    with Library.open(seed_db, write=True) as library:
        change = library.changes()[0]  # the newest
        assert change.command == "check" and change.summary == {"datasets": {"removed": 3}}
        assert len(library.datasets()) == 1
        from igbib.ops.history import undo

        undo(library)
        assert library.datasets() == datasets
    again = igbib("check", "--fix", "--db", seed_db)
    assert again.stdout.startswith("Fixed (3)")


def test_the_pre_commit_hook_runs_check_on_readme_files():
    import re

    from conftest import ROOT

    hook = dict(
        line.strip().lstrip("- ").split(": ", 1)
        for line in (ROOT / ".pre-commit-hooks.yaml").read_text().splitlines()
        if ": " in line
    )
    assert hook["id"] == "igbib-check" and hook["pass_filenames"] == "true"
    files = re.compile(hook["files"])
    assert files.search("README.md") and files.search("lists/README.md")
    assert not files.search("CHANGELOG.md")
    program, *args = hook["entry"].split()
    assert program == "igbib"
    result = igbib(*args, SEED)  # pre-commit passes the changed files
    assert result.returncode == 1 and "shared-id" in result.stdout


def test_a_broken_identifier_link_is_an_error_not_a_missing_identifier(tmp_path):
    """A link to PubMed, doi.org, PMC or arXiv whose identifier is none is a wrong link
    (an error a list's CI stops on), not a web page."""
    listed = tmp_path / "README.md"
    listed.write_text(
        "## Papers\n"
        "* A et al., [A title one](https://www.ncbi.nlm.nih.gov/pubmed/abc), *J*, 2020\n"
        "* B et al., [A title two](https://doi.org/notadoi), *J*, 2020\n"
        "* C et al., [A title three](https://www.ncbi.nlm.nih.gov/pmc/articles/PMCxyz/), *J*, 2020\n"
        "* D et al., [A title four](https://arxiv.org/abs/99999.1), *J*, 2020\n"
        "* E et al., [A search](https://www.ncbi.nlm.nih.gov/pubmed/?term=glioma), *J*, 2020\n"
    )
    result = igbib("check", listed, "--json")
    assert result.returncode == 1
    found = [(f["line"], f["code"]) for f in json.loads(result.stdout)["findings"]]
    assert [(line, code) for line, code in found if code == "bad-identifier"] == [
        (2, "bad-identifier"),
        (3, "bad-identifier"),
        (4, "bad-identifier"),
        (5, "bad-identifier"),
    ]
    assert (6, "no-identifier") in found  # a search address is no broken link


def test_a_paper_link_with_no_title_is_an_unreadable_entry(tmp_path):
    listed = tmp_path / "README.md"
    listed.write_text(
        "## Papers\n"
        "* [](https://www.ncbi.nlm.nih.gov/pubmed/22222222), 2020\n"
        "* [ ](https://doi.org/10.1000/abc), 2021\n"
        "* A et al., [A real one](https://pubmed.ncbi.nlm.nih.gov/12345/), *J*, 2020\n"
        "* [](https://pubmed.ncbi.nlm.nih.gov/44444/)\n"
    )
    result = igbib("check", listed, "--json")
    assert result.returncode == 1
    found = [(f["line"], f["code"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert [f for f in found if f[1] == "unreadable"] == [
        (2, "unreadable", "the entry cannot be read: a paper link with no title"),
        (3, "unreadable", "the entry cannot be read: a paper link with no title"),
        (5, "unreadable", "the entry cannot be read: a paper link with no title"),  # alone
    ]
