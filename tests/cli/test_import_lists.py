"""``igbib import`` of real reading lists: the report accounts for every item."""

import json

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
    # without --dry-run too: nothing is written
    result = igbib("import", str(tools), "--db", str(db))
    assert result.returncode == 1 and not db.exists()


def test_explain_lists_each_item_that_is_not_a_paper(tmp_path):
    db = tmp_path / "lib.sqlite"
    name = "caufieldjh__awesome-bioie__README.md"
    result = igbib("import", str(LISTS / name), "--dry-run", "--explain", "--db", str(db))
    assert result.returncode == 0
    assert "not papers: software" in result.stdout
    assert "software: links to github.com" in result.stdout  # rentrez, with its reason
    assert "table of contents: links within the page only" in result.stdout


def test_importing_a_list_twice_changes_nothing(tmp_path):
    db = tmp_path / "lib.sqlite"
    path = str(LISTS / "HiLab-git__SSL4MIS__README.md")
    first = json.loads(igbib("import", path, "--json", "--db", str(db)).stdout)
    assert len(first["added"]) == 266  # 268 entries, 2 of them listed twice
    again = json.loads(igbib("import", path, "--json", "--db", str(db)).stdout)
    assert again["added"] == [] and again["updated"] == []
    assert len(again["unchanged"]) == 266


def test_exported_list_imports_back_to_the_same_papers_in_the_same_places(tmp_path):
    db, again = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    source = str(LISTS / "lixiang007666__Awesome-Medical-TTA__README.md")
    assert igbib("import", source, "--db", str(db)).returncode == 0
    out = tmp_path / "list.md"
    assert igbib("export", "-f", "md", "-o", str(out), "--db", str(db)).returncode == 0
    assert igbib("import", str(out), "--db", str(again)).returncode == 0

    def papers(path):
        rows = igbib("list", "--json", "--db", str(path)).stdout
        keep = ("title", "authors", "year", "journal", "doi", "arxiv", "url", "sections")
        return [{k: p[k] for k in keep} for p in json.loads(rows)]

    assert papers(again) == papers(db)
