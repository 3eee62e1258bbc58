"""What the command line prints: streamed JSON and listings read the same as whole ones."""

import io
import json

import pytest
from conftest import igbib

from igbib.cli import output


@pytest.mark.parametrize("items", [[], [{"a": 1}], [{"a": [1, {"b": "é"}]}, {"c": None}, "x"]])
def test_a_streamed_json_list_is_the_json_of_the_list(items):
    whole, streamed = io.StringIO(), io.StringIO()
    output.print_json(items, whole)
    assert output.print_json_list(iter(items), streamed) == len(items)
    assert streamed.getvalue() == whole.getvalue()
    assert json.loads(streamed.getvalue()) == items


def test_listings_show_the_papers_search_finds_in_its_order(seed_db):
    from igbib.search import search
    from igbib.store import Library

    with Library.open(seed_db) as library:
        expected = search(library, "", sort="year")
    lines = igbib("list", "--sort", "year", "--db", seed_db).stdout.splitlines()
    assert [line.split("\t")[:4] for line in lines] == [
        [str(p.id), p.first_author, str(p.year or ""), p.title] for p in expected
    ]
    records = json.loads(igbib("list", "--sort", "year", "--json", "--db", seed_db).stdout)
    assert [r["id"] for r in records] == [p.id for p in expected]
