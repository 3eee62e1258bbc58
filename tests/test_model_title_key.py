"""The title key of an ASCII title, made with str.translate, is the one the Unicode rule gives."""

import re

from igbib.model import fold, title_key


def test_ascii_title_keys_are_those_of_the_unicode_rule():
    rule = re.compile(r"[\W_]+")
    for a in range(128):
        for b in range(128):
            title = f"{chr(a)}Ab_9 {chr(b)}"
            assert title_key(title) == rule.sub("", fold(title))


def test_other_titles_are_folded_as_before():
    assert title_key("Ünïcode Títle, (2nd ed.)") == "unicodetitle2nded"
    assert title_key("Glioblastoma Multiforme: a Review!") == "glioblastomamultiformeareview"
    assert title_key("") == title_key(None) == ""
