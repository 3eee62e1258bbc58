"""igbib add gives the papers it stores their topic tags (recorded PubMed answers)."""

from __future__ import annotations

import json

import pytest
from conftest import igbib

from igbib.store import Library


@pytest.fixture(autouse=True)
def no_user_rules(monkeypatch, tmp_path):
    """No curator's rule file: an empty config directory, no $IGBIB_TOPICS."""
    monkeypatch.delenv("IGBIB_TOPICS", raising=False)
    monkeypatch.setenv("IGBIB_CONFIG", str(tmp_path / "no-config" / "config.ini"))


def test_add_pmids_gives_auto_tags_from_mesh_and_concepts(services, db_path):
    result = igbib(
        "add", "19008416", "18927361", "18787170", "--tag", "mirna", "--json", "--db", db_path
    )
    assert result.returncode == 0, result.stderr
    stored = {p["pmid"]: p for p in json.loads(result.stdout)}
    fbxw7 = stored["18787170"]
    assert fbxw7["tags"] == ["mirna"]  # the curator's, apart
    assert {"site/breast", "target/pten"} <= set(fbxw7["auto_tags"])
    assert {"ui": "C494929", "name": "PTEN protein, human", "kind": "chemical"} in fbxw7["concepts"]
    assert "site/stomach" in stored["19008416"]["auto_tags"]
    assert "Auto tags:" in result.stderr
    explained = igbib("tag", "--auto", "--explain", "pmid:18787170", "--db", db_path)
    assert "target/pten  (MeSH D051059 PTEN Phosphohydrolase; supplementary concept C494929" in (
        explained.stdout
    )


def test_add_no_auto_tags_leaves_them_to_tag_auto(services, db_path):
    result = igbib("add", "18787170", "--no-auto-tags", "--db", db_path)
    assert result.returncode == 0, result.stderr
    with Library.open(db_path) as library:
        assert library.resolve("18787170").auto_tags == []
    assert igbib("tag", "--auto", "--db", db_path).returncode == 0
    with Library.open(db_path) as library:
        assert "target/pten" in library.resolve("18787170").auto_tags


def test_refresh_tags_the_papers_it_refreshes_and_dry_run_does_not(services, db_path):
    assert igbib("add", "18787170", "--no-auto-tags", "--db", db_path).returncode == 0
    dry = igbib("refresh", "pmid:18787170", "--dry-run", "--db", db_path)
    assert dry.returncode == 0, dry.stderr
    with Library.open(db_path) as library:
        assert library.resolve("18787170").auto_tags == []
    result = igbib("refresh", "pmid:18787170", "--db", db_path)
    assert result.returncode == 0, result.stderr
    assert "Auto tags: 2 added, 0 removed, on 1 paper" in result.stderr
    with Library.open(db_path) as library:
        assert library.resolve("18787170").auto_tags == ["site/breast", "target/pten"]
