"""Automatic topic tags in a library, as users run them: tag --auto, tags, show, search,
export --group-by, import/add/refresh, merge and undo."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, SEED, digest, igbib, one_line_error

from igbib.store import Library
from igbib.topics import META_KEY, load_rules


@pytest.fixture(autouse=True)
def user_rules(monkeypatch, tmp_path):
    """The curator's rule file of every test, beside config.ini (none until a test writes it)."""
    path = tmp_path / "config" / "topics.toml"
    path.parent.mkdir()
    monkeypatch.delenv("IGBIB_TOPICS", raising=False)
    monkeypatch.setenv("IGBIB_CONFIG", str(path.parent / "config.ini"))
    return path


def origins(db) -> dict[str, dict[str, str]]:
    """citekey -> {tag: origin} for every tag row, rejected ones too."""
    with Library.open(db) as library:
        ids = library.paper_ids()
        keys = {i: library.citekey_of(i) for i in ids}
        return {keys[i]: tags for i, tags in library.tag_origins(ids).items()}


def found(db, query: str) -> list[str]:
    result = igbib("search", query, "--limit", "1000", "--db", db)
    assert result.returncode == 0, result.stderr
    return [line.split("\t")[0] for line in result.stdout.splitlines()]


def test_importing_the_seed_tags_it_from_titles_alone(seed_db):
    tags = origins(seed_db)
    assert tags["gevaert2014glioblastoma"] == {
        "site/glioma": "auto",
        "method/radiogenomics": "auto",
    }
    assert tags["halpenny2014there"] == {"site/lung": "auto", "target/alk": "auto"}
    with Library.open(seed_db) as library:
        assert library.get_meta(META_KEY) == load_rules().digest()
        paper = library.resolve("gevaert2014glioblastoma")
        assert paper.tags == [] and paper.auto_tags == ["method/radiogenomics", "site/glioma"]


def test_tags_lists_curator_and_auto_tags_apart(seed_db):
    igbib("tag", "gevaert2014glioblastoma", "+review", "+site/glioma", "--db", seed_db)
    lines = igbib("tags", "--db", seed_db).stdout.splitlines()
    assert lines[:2] == ["review\t1", "site/glioma\t1"]
    assert "site/glioma\t20\tauto" in lines and "target/alk\t1\tauto" in lines
    listed = json.loads(igbib("tags", "--json", "--db", seed_db).stdout)
    assert listed[0] == {"tag": "review", "papers": 1, "origin": "curator", "axis": None}
    assert {"tag": "site/glioma", "papers": 20, "origin": "auto", "axis": "site"} in listed
    shown = igbib("show", "gevaert2014glioblastoma", "--db", seed_db).stdout.splitlines()
    assert [line.split(None, 1) for line in shown if line.startswith("tags ")] == [
        ["tags", "review, site/glioma"]
    ]
    assert [line.split("  ")[-1].strip() for line in shown if line.startswith("auto tags")] == [
        "method/radiogenomics"
    ]


def test_search_by_tag_axis_and_prefix(seed_db):
    glioma = found(seed_db, "tag:site/glioma")
    assert len(glioma) == 21
    any_site = found(seed_db, "tag:site/")
    assert found(seed_db, "tag:site/*") == any_site and set(glioma) < set(any_site)
    assert found(seed_db, "tag:SITE/GLIOMA") == glioma  # tags ignore case
    assert len(found(seed_db, "tag:target/ -tag:site/glioma")) == 5
    assert found(seed_db, "tag:site/nowhere") == []


def test_a_curator_tag_wins_and_a_rejected_one_is_never_given_back(seed_db):
    key = "gevaert2014glioblastoma"
    result = igbib("tag", key, "-site/glioma", "+modality/ct", "--db", seed_db)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (f"{key}: +modality/ct -site/glioma; tags: modality/ct\n")
    assert origins(seed_db)[key] == {
        "site/glioma": "rejected",
        "modality/ct": "curator",
        "method/radiogenomics": "auto",
    }
    again = igbib("tag", "--auto", "--explain", "--db", seed_db)
    assert again.returncode == 0, again.stderr
    assert origins(seed_db)[key]["site/glioma"] == "rejected"
    assert "site/glioma  (taken off by a curator: not given back)" in again.stdout
    with Library.open(seed_db) as library:
        paper_id = str(library.resolve(key).id)
    assert paper_id not in found(seed_db, "tag:site/glioma")
    # given back by hand, it is the curator's
    igbib("tag", key, "+site/glioma", "--db", seed_db)
    assert origins(seed_db)[key]["site/glioma"] == "curator"


def test_an_auto_tag_given_by_hand_becomes_the_curators_and_stays(seed_db, user_rules):
    key = "halpenny2014there"
    igbib("tag", key, "+target/alk", "--db", seed_db)
    assert origins(seed_db)[key]["target/alk"] == "curator"
    user_rules.write_text('disable = ["target/alk"]\n', encoding="utf-8")
    result = igbib("tag", "--auto", "--json", "--db", seed_db)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["recomputed_all"] is True and report["removed"] == 0
    assert origins(seed_db)[key]["target/alk"] == "curator"  # never removed by --auto


def test_rules_that_change_remove_the_tags_they_no_longer_give(seed_db, user_rules):
    user_rules.write_text(
        'disable = ["target/alk", "site/brain"]\n\n'
        '[[rule]]\ntag = "method/radiomics"\nextend = true\ntitle = ["quantitative image features"]\n',
        encoding="utf-8",
    )
    result = igbib("tag", "--auto", "--db", seed_db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "site/brain        -1",
        "target/alk        -1",
        "method/radiomics  +1",
    ]
    assert result.stderr == (
        "52 papers computed: 1 tag added, 2 removed, on 3 papers (the topic rules changed;"
        " removed: site/brain (1), target/alk (1)).\n"
    )
    assert found(seed_db, "tag:target/alk") == []
    assert "target/alk" not in igbib("tags", "--db", seed_db).stdout  # no paper has it
    with Library.open(seed_db) as library:
        assert library.get_meta(META_KEY) == load_rules().digest()


def test_tag_auto_of_a_query_dry_run_and_json_evidence(seed_db, user_rules):
    user_rules.write_text('disable = ["target/idh"]\n', encoding="utf-8")
    before = digest(seed_db)
    result = igbib("tag", "--auto", "--dry-run", "--json", "IDH*", "--db", seed_db)
    assert result.returncode == 0, result.stderr
    assert digest(seed_db) == before
    report = json.loads(result.stdout)
    assert report["dry_run"] and report["papers"] == 2 and not report["recomputed_all"]
    assert list(report["tags"]) == ["target/idh"]
    removed = report["tags"]["target/idh"]
    assert removed["added"] == [] and len(removed["removed"]) == 2
    evidence = {p["citekey"]: p["auto_tags"] for p in report["changed"]}
    assert all(tags["site/glioma"][0].startswith("title: ") for tags in evidence.values())
    igbib("tag", "--auto", "IDH*", "--db", seed_db)
    with Library.open(seed_db) as library:  # only some papers: the digest is not recorded
        assert library.get_meta(META_KEY) != load_rules().digest()
    assert len(found(seed_db, "tag:target/idh")) == 1  # the one not matching "IDH*"


def test_tag_auto_and_a_curators_removal_are_undone_exactly(seed_db, user_rules):
    before = origins(seed_db)
    igbib("tag", "gevaert2014glioblastoma", "-site/glioma", "--db", seed_db)
    user_rules.write_text('disable = ["site/glioma"]\n', encoding="utf-8")
    assert igbib("tag", "--auto", "--db", seed_db).returncode == 0
    assert found(seed_db, "tag:site/glioma") == []
    assert igbib("undo", "--db", seed_db).returncode == 0  # the tag --auto (change 3)
    assert len(found(seed_db, "tag:site/glioma")) == 20
    assert origins(seed_db)["gevaert2014glioblastoma"]["site/glioma"] == "rejected"
    assert igbib("undo", "4", "--db", seed_db).returncode == 0  # the undo undone: redone
    assert found(seed_db, "tag:site/glioma") == []
    assert igbib("undo", "--to", "1", "--db", seed_db).returncode == 0
    assert origins(seed_db) == before


def test_import_recomputes_everything_when_the_rules_changed_and_says_so(seed_db, user_rules):
    user_rules.write_text('disable = ["site/brain"]\n', encoding="utf-8")
    result = igbib("import", FIXTURES / "cdl-sample.bib", "--db", seed_db)
    assert result.returncode == 0, result.stderr
    assert "(the topic rules changed: every paper's tags computed again)" in result.stderr
    assert found(seed_db, "tag:site/brain") == []
    with Library.open(seed_db) as library:
        assert library.get_meta(META_KEY) == load_rules().digest()
    again = igbib("import", SEED, "--db", seed_db)  # nothing new: nothing to say
    assert "Auto tags" not in again.stderr


def test_import_no_auto_tags_and_a_bad_rule_file(db_path, user_rules):
    assert igbib("import", SEED, "--no-auto-tags", "--db", db_path).returncode == 0
    assert origins(db_path) == {}
    user_rules.write_text("[[rule]]\ntag = 'site/x'\ntitle = ['(']\n", encoding="utf-8")
    before = digest(db_path)
    for args in (["import", SEED], ["tag", "--auto"], ["export", "--group-by", "site"]):
        result = igbib(*args, "--db", db_path)
        message = one_line_error(result, 2)
        assert message.startswith(f"error: bad topic rules in {user_rules}: rule 1 (site/x): title")
    assert digest(db_path) == before
    assert igbib("import", SEED, "--no-auto-tags", "--db", db_path).returncode == 0


def test_markdown_export_grouped_by_an_axis(seed_db):
    result = igbib("export", "--group-by", "target", "--db", seed_db)
    assert result.returncode == 0, result.stderr
    headings = [line for line in result.stdout.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Contents",
        "## IDH1/IDH2",
        "## Hormone receptors (ER, PR)",
        "## ALK",
        "## BRAF",
        "## PTEN",
        "## MYC",
        "## VEGF",
        "## No target tag",
    ]
    idh = result.stdout.split("## IDH1/IDH2\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(idh) == 3 and all(line.startswith("* ") for line in idh)
    last = result.stdout.split("## No target tag\n", 1)[1].strip().splitlines()
    assert len(last) == 52 - 3 - 6
    glioma = igbib("export", "tag:site/glioma", "--group-by", "site", "--db", seed_db).stdout
    assert glioma.startswith("## Glioma and glioblastoma\n") and "## No site tag" not in glioma


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["tag", "--auto", "+site/glioma"], 2, "--auto gives the tags the rules give"),
        (["tag", "23", "+x", "--dry-run"], 2, "--dry-run goes with --auto"),
        (["tag", "23", "+x", "--explain"], 2, "--explain goes with --auto"),
        (["tag", "--auto", "nosuchword"], 1, "no papers match 'nosuchword'"),
        (["export", "nosuchword"], 1, "nosuchword"),
        (["tag", "--auto", "tag:"], 1, "tag: needs a value"),
        (["import", SEED, "--no-auto-tag"], 2, "--no-auto-tag"),
        (["export", "--group-by", "sites"], 2, "sites"),
        (["export", "-f", "bibtex", "--group-by", "site"], 2, "--group-by applies to -f md"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(seed_db, args, code, words):
    before = digest(seed_db)
    result = igbib(*args, "--db", seed_db)
    assert result.returncode == code, result
    assert words in one_line_error(result, code)
    assert digest(seed_db) == before


def test_merge_keeps_tag_origins(seed_db):
    igbib("tag", "aerts2014decoding", "+review", "-method/radiomics", "--db", seed_db)
    igbib("tag", "lee2017radiomics", "+method/radiomics", "--db", seed_db)
    before = origins(seed_db)
    assert before["lee2017radiomics"]["method/radiomics"] == "curator"
    result = igbib("merge", "aerts2014decoding", "lee2017radiomics", "--force", "--db", seed_db)
    assert result.returncode == 0, result.stderr
    merged = origins(seed_db)["lee2017radiomics"]  # the older paper is kept
    assert merged["review"] == "curator"
    assert merged["method/radiomics"] == "curator"  # a curator's wins over a rejection
    for tag, origin in before["lee2017radiomics"].items():
        assert tag in merged and (origin != "auto" or merged[tag] in ("auto", "curator"))


def test_removing_a_tag_the_rules_never_gave_leaves_no_trace(seed_db):
    key = "gevaert2014glioblastoma"
    info_before = json.loads(igbib("info", "--json", "--db", seed_db).stdout)["tags"]
    assert igbib("tag", key, "+site/foo", "--db", seed_db).returncode == 0
    assert igbib("tag", key, "-site/foo", "--db", seed_db).returncode == 0
    assert "site/foo" not in origins(seed_db)[key]  # no rule gives it: nothing to remember
    info = json.loads(igbib("info", "--json", "--db", seed_db).stdout)["tags"]
    listed = json.loads(igbib("tags", "--json", "--db", seed_db).stdout)
    assert info == info_before == len(listed)


def test_removing_a_curators_topic_tag_a_rule_would_give_is_remembered(seed_db):
    key = "gevaert2014glioblastoma"  # the rules give it site/glioma
    igbib("tag", key, "+site/glioma", "+target/egfr", "--db", seed_db)
    assert origins(seed_db)[key]["site/glioma"] == "curator"
    assert igbib("tag", key, "-site/glioma", "-target/egfr", "--db", seed_db).returncode == 0
    tags = origins(seed_db)[key]
    assert tags["site/glioma"] == "rejected" and "target/egfr" not in tags
    # a tag only a rejection keeps is counted by info no more than listed by tags
    info = json.loads(igbib("info", "--json", "--db", seed_db).stdout)["tags"]
    assert info == len(json.loads(igbib("tags", "--json", "--db", seed_db).stdout))


def test_edge_tags_are_on_the_same_axis_for_search_stats_and_tags(seed_db):
    edge = {"site//x": "site", "SITE/Upper": "site", "site/": None, "/site": None, "sites/x": None}
    papers = {}
    no_site = found(seed_db, "-tag:site/")  # papers with no site tag of their own
    assert len(no_site) >= len(edge)
    for n, tag in enumerate(edge):
        key = no_site[n]
        assert igbib("tag", key, f"+{tag}", "--db", seed_db).returncode == 0
        papers[tag] = key
    site = set(found(seed_db, "tag:site/"))
    stats = json.loads(igbib("stats", "--by", "site", "--json", "--db", seed_db).stdout)
    values = {v["value"] for v in stats["charts"]["site"]["values"]}
    listed = {
        t["tag"]: t["axis"] for t in json.loads(igbib("tags", "--json", "--db", seed_db).stdout)
    }
    for tag, axis in edge.items():
        assert listed[tag] == axis, tag
        assert (papers[tag] in site) == (axis == "site"), tag
        value = tag.split("/", 1)[1]
        assert (value in values) == (axis == "site"), tag
    with_site = len(site)
    none = stats["charts"]["site"]["none"]["papers"]
    assert stats["papers"] - none == with_site


def test_export_grouped_by_tag_includes_automatic_tags_after_the_curators(seed_db):
    igbib("tag", "gevaert2014glioblastoma", "+review", "--db", seed_db)
    result = igbib("export", "--group-by", "tag", "--db", seed_db)
    assert result.returncode == 0, result.stderr
    headings = [line[3:] for line in result.stdout.splitlines() if line.startswith("## ")]
    assert "review" in headings and "site/glioma" in headings and "target/alk" in headings
    glioma = result.stdout.split("## site/glioma\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(glioma) == len(found(seed_db, "tag:site/glioma"))
    assert "Untagged" not in headings or len(found(seed_db, "-tag:*")) > 0


def test_tag_auto_and_tags_list_topic_tags_in_the_same_order(db_path):
    assert igbib("import", SEED, "--no-auto-tags", "--db", db_path).returncode == 0
    auto = igbib("tag", "--auto", "--db", db_path).stdout.splitlines()
    added = [line.split()[0] for line in auto]
    listed = [line.split("\t")[0] for line in igbib("tags", "--db", db_path).stdout.splitlines()]
    assert added == listed and len(added) > 20
    axes = ["site", "modality", "target", "method"]
    assert added == sorted(added, key=lambda t: (axes.index(t.split("/")[0]), t.split("/")[1]))


def test_rules_lost_on_another_machine_are_reported_tag_by_tag(seed_db, user_rules):
    user_rules.write_text(
        '[[rule]]\ntag = "method/features"\ntitle = ["features?"]\n', encoding="utf-8"
    )
    assert igbib("tag", "--auto", "--db", seed_db).returncode == 0
    tagged = len(found(seed_db, "tag:method/features"))
    assert tagged > 0
    user_rules.unlink()  # the library moved to a machine without the curator's rules
    dry = igbib("tag", "--auto", "--dry-run", "--db", seed_db)
    assert dry.stdout == f"method/features  -{tagged}\n"
    assert f"removed: method/features ({tagged})" in dry.stderr and "dry run" in dry.stderr
    result = igbib("import", SEED, "--db", seed_db)
    assert result.returncode == 0, result.stderr
    assert (
        f"Auto tags: 0 added, {tagged} removed, on {tagged} papers (the topic rules changed:"
        f" every paper's tags computed again); removed: method/features ({tagged})."
    ) in result.stderr
