"""igbib's own topic rules: read unchecked at run time, so checked whole here."""

from igbib.topics import load_rules, read_rules, shipped_path


def test_the_shipped_rules_pass_every_check_a_curators_file_gets():
    rules, disabled = read_rules(shipped_path(), check=True)
    assert disabled == [] and len(rules) == len(load_rules(user="").rules) >= 40
    for rule in rules:
        assert rule._checked["title"][0] == tuple(rule.title)
