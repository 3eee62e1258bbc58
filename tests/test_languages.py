"""Languages as PubMed, Crossref and BibTeX files give them, in BCP 47 and babel's words."""

import pytest

from igbib.languages import LANGUAGES, babel, bcp47


@pytest.mark.parametrize(
    "code, tag, name",
    [
        ("eng", "en", "english"),  # PubMed: ISO 639-2
        ("en", "en", "english"),  # Crossref: ISO 639-1
        ("EN", "en", "english"),
        ("English", "en", "english"),
        ("en-GB", "en-GB", "british"),
        ("en_gb", "en-GB", "british"),
        ("en-US", "en-US", "american"),
        ("ger", "de", "german"),  # ISO 639-2/B
        ("deu", "de", "german"),  # ISO 639-2/T
        ("de-AT", "de-AT", "austrian"),
        ("ngerman", "de", "ngerman"),  # a babel name is kept
        ("fre", "fr", "french"),
        ("fra", "fr", "french"),
        ("spa", "es", "spanish"),
        ("ita", "it", "italian"),
        ("jpn", "ja", "japanese"),
        ("chi", "zh", "chinese"),
        ("zho", "zh", "chinese"),
        ("zh-hant-tw", "zh-Hant-TW", "chinese"),
        ("rus", "ru", "russian"),
        ("por", "pt", "portuguese"),
        ("pt-BR", "pt-BR", "brazilian"),
        ("dut", "nl", "dutch"),
        ("nld", "nl", "dutch"),
        ("pol", "pl", "polish"),
        ("kor", "ko", "korean"),
        ("hun", "hu", "magyar"),
        ("Scottish Gaelic", "gd", "scottish"),
        (" tur ", "tr", "turkish"),
    ],
)
def test_bcp47_and_babel(code, tag, name):
    assert bcp47(code) == tag
    assert babel(code) == name


@pytest.mark.parametrize("code", ["und", "mul"])
def test_no_one_language_has_a_tag_but_no_babel_name(code):
    assert bcp47(code) == code and babel(code) is None


@pytest.mark.parametrize("code", [None, "", "xyz", "Klingon", "e", "english-x", "12"])
def test_what_is_no_known_language_gives_none(code):
    assert bcp47(code) is None and babel(code) is None


def test_an_iso_639_1_code_not_in_the_table_is_still_a_tag():
    assert bcp47("sw") == "sw" and babel("sw") is None


def test_the_table_is_consistent():
    codes = [code for row in LANGUAGES for code in row[:3] if code]
    assert len(codes) == len(set(codes))
    for b, t, two, english, name in LANGUAGES:
        assert len(b) == 3 and (t is None or len(t) == 3) and len(two) == 2
        for code in (b, t, two, english, name):
            if code:
                assert bcp47(code) == two, code
                # "Hungarian" is babel's name too (an alias of magyar)
                assert babel(code) in (name, code.lower()), code
