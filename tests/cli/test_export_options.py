"""``igbib export``: an option of another format is refused, a warning names what changed."""

import pytest
from conftest import digest, igbib, one_line_error


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-f", "bibtex", "--style", "apa"],
            "--style applies to -f text or -f html, not -f bibtex",
        ),
        (["--fragment"], "--fragment applies to -f html, not -f md"),
        (["-f", "text", "--fragment"], "--fragment applies to -f html, not -f text"),
        (["-f", "ris", "--ascii"], "--ascii applies to -f bibtex or -f biblatex, not -f ris"),
        (["-f", "csljson", "--keep-links"], "--keep-links applies to -f md, not -f csljson"),
        (["-f", "html", "--group-by", "year"], "--group-by applies to -f md, not -f html"),
    ],
)
def test_an_option_of_another_format_is_a_usage_error(seed_db, tmp_path, args, message):
    out = tmp_path / "out.txt"
    out.write_text("kept\n")
    before = digest(seed_db)
    result = igbib("export", *args, "-o", out, "--db", seed_db)
    assert one_line_error(result, code=2) == f"error: {message}"
    assert out.read_text() == "kept\n" and digest(seed_db) == before


def test_html_is_a_page_and_fragment_the_list_alone(seed_db):
    page = igbib("export", "-f", "html", "--db", seed_db)
    assert page.returncode == 0 and page.stdout.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page.stdout and page.stdout.rstrip().endswith("</html>")
    fragment = igbib("export", "-f", "html", "--fragment", "--style", "apa", "--db", seed_db)
    assert fragment.returncode == 0 and fragment.stdout.startswith('<ul class="references">')
