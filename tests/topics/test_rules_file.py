"""igbib's own topic rules: read unchecked at run time, so checked whole here."""

from igbib.topics import load_rules, read_rules, shipped_path


def test_the_shipped_rules_pass_every_check_a_curators_file_gets():
    rules, disabled = read_rules(shipped_path(), check=True)
    assert disabled == [] and len(rules) == len(load_rules(user="").rules) >= 40
    for rule in rules:
        assert rule._checked["title"][0] == tuple(rule.title)


def test_papers_stored_without_automatic_tags_get_them_at_the_next_run(seed_db):
    """The shipped library's tags are current (its rules digest is set); papers stored
    with --no-auto-tags are tagged by the next import, though it leaves them unchanged."""
    from conftest import FIXTURES, igbib

    bib = FIXTURES / "cdl-sample.bib"
    unlisted_tagged = ["--db", seed_db, "list", "is:unlisted", "tag:*"]
    assert igbib("--db", seed_db, "import", bib, "--no-auto-tags").returncode == 0
    assert igbib(*unlisted_tagged).stdout == ""
    again = igbib("--db", seed_db, "import", bib)
    assert again.returncode == 0
    assert "papers changed without their automatic tags" in again.stdout + again.stderr
    assert igbib(*unlisted_tagged).stdout != ""
