"""``igbib import`` of real reading lists: the report accounts for every item."""

import json

import pytest
from conftest import FIXTURES, igbib, one_line_error

LISTS = FIXTURES / "lists"


def test_a_list_with_no_paper_is_reported_in_full_and_writes_nothing(tmp_path):
    tools = tmp_path / "tools.md"
    tools.write_text(
        "# Tools\n\n"
        "* [rentrez](https://github.com/ropensci/rentrez) - R utilities for NCBI.\n"
        "* [Contents](#tools)\n"
        "* [Coursera - mining medical data](https://www.coursera.org/learn/mining-medical-data)\n"
    )
    db = tmp_path / "lib.sqlite"
    result = igbib("import", str(tools), "--dry-run", "--json", "--db", str(db))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["added"] == []
    kinds = [(item["line"], item["kind"]) for item in report["not_papers"]]
    assert kinds == [(3, "software"), (4, "table of contents"), (5, "course")]
    assert "no item reads as a paper" in one_line_error(result)
    assert not db.exists()
    assert report["dry_run"] is True and report["auto_tags"]["dry_run"] is True
    # without --dry-run too: nothing is written, and the report does not call it a dry run
    result = igbib("import", str(tools), "--db", str(db))
    assert result.returncode == 1 and not db.exists()
    assert "Would import" not in result.stdout and "Dry run" not in result.stdout
    assert "(not created: nothing to import)" in result.stdout
    result = igbib("import", str(tools), "--json", "--db", str(db))
    assert result.returncode == 1 and not db.exists()
    report = json.loads(result.stdout)
    assert report["dry_run"] is False
    assert report["library"] == f"{db} (not created: nothing to import)"
    assert "no item reads as a paper" in one_line_error(result)


def test_a_dry_runs_automatic_tags_are_a_dry_runs_too(tmp_path):
    name = str(LISTS / "lixiang007666__Awesome-Medical-TTA__README.md")
    db = tmp_path / "lib.sqlite"
    report = json.loads(igbib("import", name, "--dry-run", "--json", "--db", str(db)).stdout)
    assert report["dry_run"] is True and report["auto_tags"]["dry_run"] is True
    report = json.loads(igbib("import", name, "--json", "--db", str(db)).stdout)
    assert report["dry_run"] is False and report["auto_tags"]["dry_run"] is False


def test_explain_lists_each_item_that_is_not_a_paper(tmp_path):
    db = tmp_path / "lib.sqlite"
    name = "caufieldjh__awesome-bioie__README.md"
    result = igbib("import", str(LISTS / name), "--dry-run", "--explain", "--db", str(db))
    assert result.returncode == 0
    assert "not papers: software" in result.stdout
    assert "software: links to github.com" in result.stdout  # rentrez, with its reason
    assert "table of contents: links within the page only" in result.stdout


@pytest.mark.parametrize("name", sorted(p.name for p in LISTS.glob("*README.md")))
def test_importing_a_list_twice_changes_nothing(tmp_path, name):
    """Also the tool papers a list names but does not title, found again by their link."""
    db = tmp_path / "lib.sqlite"
    path = str(LISTS / name)
    first = json.loads(igbib("import", path, "--json", "--db", str(db)).stdout)
    again = json.loads(igbib("import", path, "--json", "--db", str(db)).stdout)
    assert again["added"] == [] and again["updated"] == []
    assert len(again["unchanged"]) == len(first["added"])


def test_a_list_gives_each_paper_once(tmp_path):
    db = tmp_path / "lib.sqlite"
    path = str(LISTS / "HiLab-git__SSL4MIS__README.md")
    report = json.loads(igbib("import", path, "--json", "--db", str(db)).stdout)
    # 269 entries (line 185 holds two rows), 3 of them listed twice (183 again on 185)
    assert len(report["added"]) == 266
    assert len(report["merged"]) == 3


#: Lists whose papers come back with every field the same. In the others a few fields
#: differ, each from an ambiguity of writing names as text: a two-word family name
#: (``M Gurunath Reddy``), a tool's name of more than ten words read back as a title.
EXACT = {
    "Jianing-Qiu__Awesome-Healthcare-Foundation-Models__README.md",
    "JunMa11__SegLossOdyssey__README.md",
    "LirongWu__awesome-protein-representation-learning__README.md",
    "OmicsML__awesome-deep-learning-single-cell-papers__README.md",
    "SMILELab-FL__FedNoisy__README.md",
    "caufieldjh__awesome-bioie__README.md",
    "lixiang007666__Awesome-Medical-TTA__README.md",
    "mikelove__awesome-multi-omics__README.md",
    "opendilab__awesome-AI-based-protein-design__README.md",
}
LIST_FILES = sorted(p.name for p in LISTS.glob("*README.md"))


def _library(path) -> tuple[dict, dict]:
    """The papers (by title or listed name, and identifier) and each section's papers."""
    papers = json.loads(igbib("list", "--json", "--db", str(path)).stdout)
    keep = ("title", "authors", "et_al", "journal", "year", "pmid", "doi", "pmcid", "arxiv")
    by_key, sections = {}, {}
    for paper in papers:
        link = next((paper[k] for k in ("pmid", "doi", "pmcid", "arxiv", "url") if paper[k]), "")
        key = (paper["title"] or paper["listed"].get("name"), link)
        by_key[key] = {k: paper[k] for k in (*keep, "note", "keywords")}
        for section in paper["sections"]:
            sections.setdefault(section["section"], []).append((section["position"], key))
    return by_key, {name: sorted(keys) for name, keys in sections.items()}


@pytest.mark.parametrize("name", LIST_FILES)
def test_an_exported_list_imports_back_to_the_same_library(tmp_path, name):
    """``export -f md`` of a list, imported again: the same papers in the same sections."""
    db, again = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    assert igbib("import", str(LISTS / name), "--db", str(db)).returncode == 0
    out = tmp_path / "list.md"
    assert igbib("export", "-f", "md", "-o", str(out), "--db", str(db)).returncode == 0
    assert igbib("import", str(out), "--db", str(again)).returncode == 0
    first, first_sections = _library(db)
    second, second_sections = _library(again)
    assert second.keys() == first.keys()
    assert second_sections == first_sections
    if name in EXACT:
        assert second == first


def test_a_tools_papers_are_named_not_titled_and_never_merged(tmp_path):
    """``2007 - **SCCA** - Parkhomenko - sparse CCA - [paper 1](PMC…), [paper 2](doi…)``."""
    db = tmp_path / "lib.sqlite"
    name = str(LISTS / "mikelove__awesome-multi-omics__README.md")
    report = json.loads(igbib("import", name, "--json", "--db", str(db)).stdout)
    assert report["merged"] == []
    papers = json.loads(igbib("list", "--json", "--db", str(db)).stdout)
    scca = [p for p in papers if p["listed"].get("name") == "SCCA"]
    assert [(p["title"], p["pmcid"], p["doi"]) for p in scca] == [
        (None, "PMC2367499", None),
        (None, None, "10.2202/1544-6115.1406"),
    ]
    assert all(p["note"] == "SCCA - sparse CCA" and p["year"] == 2007 for p in scca)
    assert any(f["code"] == "no-title" and "'SCCA'" in f["reason"] for f in scca[0]["flags"])
    shown = igbib("show", scca[0]["citekey"], "--db", str(db)).stdout
    assert "listed as    SCCA" in shown
    found = igbib("search", "SCCA", "--json", "--db", str(db)).stdout
    assert {p["pmcid"] for p in json.loads(found)} >= {"PMC2367499"}


def test_show_gives_the_code_and_page_links_the_list_gave(tmp_path):
    db = tmp_path / "lib.sqlite"
    name = str(LISTS / "LirongWu__awesome-protein-representation-learning__README.md")
    assert igbib("import", name, "--db", str(db)).returncode == 0
    shown = igbib("show", "arxiv:2310.02553", "--db", str(db)).stdout
    assert "Full-Atom Protein Pocket Design" in shown
    assert "link         code  https://github.com/zaixizhang/FAIR" in shown
