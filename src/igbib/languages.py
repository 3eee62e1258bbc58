"""Languages: the codes records give, and the names each export format wants.

PubMed gives ISO 639-2 codes (``eng``, ``ger``, ``fre``), Crossref and CSL-JSON
give BCP 47 tags (``en``, ``en-GB``), BibTeX files give names (``english``,
``German``). :data:`LANGUAGES` is the one table: ISO 639-1 code, the ISO 639-2
codes (bibliographic and terminology), the English name, and the babel and
polyglossia name. :func:`bcp47` gives CSL-JSON's tag (a CSL processor title-cases
only titles it knows to be English, so ``eng`` would switch that off) and
:func:`babel` gives biblatex's ``langid``.
"""

from __future__ import annotations

#: ``(ISO 639-1, ISO 639-2 codes, English name, babel name)``.
LANGUAGES = (
    ("en", ("eng",), "english", "english"),
    ("de", ("ger", "deu"), "german", "ngerman"),
    ("fr", ("fre", "fra"), "french", "french"),
    ("es", ("spa",), "spanish", "spanish"),
    ("it", ("ita",), "italian", "italian"),
    ("pt", ("por",), "portuguese", "portuguese"),
    ("nl", ("dut", "nld"), "dutch", "dutch"),
    ("ru", ("rus",), "russian", "russian"),
    ("pl", ("pol",), "polish", "polish"),
    ("cs", ("cze", "ces"), "czech", "czech"),
    ("sk", ("slo", "slk"), "slovak", "slovak"),
    ("hu", ("hun",), "hungarian", "magyar"),
    ("ro", ("rum", "ron"), "romanian", "romanian"),
    ("bg", ("bul",), "bulgarian", "bulgarian"),
    ("hr", ("hrv",), "croatian", "croatian"),
    ("sr", ("srp",), "serbian", "serbian"),
    ("sl", ("slv",), "slovenian", "slovene"),
    ("uk", ("ukr",), "ukrainian", "ukrainian"),
    ("el", ("gre", "ell"), "greek", "greek"),
    ("tr", ("tur",), "turkish", "turkish"),
    ("sv", ("swe",), "swedish", "swedish"),
    ("da", ("dan",), "danish", "danish"),
    ("no", ("nor",), "norwegian", "norsk"),
    ("nb", ("nob",), "norwegian bokmal", "norsk"),
    ("nn", ("nno",), "norwegian nynorsk", "nynorsk"),
    ("fi", ("fin",), "finnish", "finnish"),
    ("is", ("ice", "isl"), "icelandic", "icelandic"),
    ("et", ("est",), "estonian", "estonian"),
    ("lv", ("lav",), "latvian", "latvian"),
    ("lt", ("lit",), "lithuanian", "lithuanian"),
    ("ca", ("cat",), "catalan", "catalan"),
    ("gl", ("glg",), "galician", "galician"),
    ("eu", ("baq", "eus"), "basque", "basque"),
    ("ga", ("gle",), "irish", "irish"),
    ("cy", ("wel", "cym"), "welsh", "welsh"),
    ("la", ("lat",), "latin", "latin"),
    ("he", ("heb",), "hebrew", "hebrew"),
    ("ar", ("ara",), "arabic", "arabic"),
    ("fa", ("per", "fas"), "persian", "persian"),
    ("hi", ("hin",), "hindi", "hindi"),
    ("th", ("tha",), "thai", "thai"),
    ("vi", ("vie",), "vietnamese", "vietnamese"),
    ("id", ("ind",), "indonesian", "indonesian"),
    ("ms", ("may", "msa"), "malay", "malay"),
    ("ja", ("jpn",), "japanese", "japanese"),
    ("zh", ("chi", "zho"), "chinese", "chinese"),
    ("ko", ("kor",), "korean", "korean"),
    ("af", ("afr",), "afrikaans", "afrikaans"),
    ("sq", ("alb", "sqi"), "albanian", "albanian"),
    ("hy", ("arm", "hye"), "armenian", "armenian"),
    ("ka", ("geo", "kat"), "georgian", "georgian"),
    ("mk", ("mac", "mkd"), "macedonian", "macedonian"),
    ("bs", ("bos",), "bosnian", "bosnian"),
    ("eo", ("epo",), "esperanto", "esperanto"),
)

_BY_CODE: dict[str, tuple] = {}
for _row in LANGUAGES:
    for _key in (_row[0], *_row[1], _row[2], _row[3]):
        _BY_CODE.setdefault(_key, _row)


def _row(code: str | None):
    if not code:
        return None
    text = str(code).strip().lower().replace("_", "-")
    return _BY_CODE.get(text) or _BY_CODE.get(text.split("-", 1)[0])


def bcp47(code: str | None) -> str | None:
    """``eng`` -> ``en``; a BCP 47 tag stays itself (``en-GB``); unknown -> ``None``."""
    if not code:
        return None
    text = str(code).strip()
    row = _row(text)
    if row is None:
        return None
    head, _, region = text.replace("_", "-").partition("-")
    if region and (len(head) == 2 and head.lower() == row[0]):
        return f"{row[0]}-{region}"  # a region (or script) subtag is kept
    return row[0]


def babel(code: str | None) -> str | None:
    """``eng`` -> ``english`` (babel's and polyglossia's name); unknown -> ``None``."""
    row = _row(code)
    return row[3] if row else None
