"""``igbib import``: an option that does not apply to the file is refused, nothing written."""

from conftest import FIXTURES, igbib, one_line_error


def test_explain_is_for_reading_lists(tmp_path):
    db = tmp_path / "lib.sqlite"
    result = igbib("import", FIXTURES / "cdl-sample.bib", "--explain", "--db", db)
    assert one_line_error(result, code=2).startswith(
        "error: --explain lists the items of a reading list that are not papers;"
    )
    assert not db.exists()
