"""Languages as the sources give them, in the forms the export formats want.

PubMed gives a paper's language as an ISO 639-2 code (``eng``, ``ger``, ``chi``;
its bibliographic codes, not the terminological ``deu``, ``zho``), Crossref as an
ISO 639-1 code (``en``), often with a region (``en-GB``), and a BibTeX file may
hold a full name (``English``) or a babel name (``ngerman``). :data:`LANGUAGES` is
the one table of them; two functions read it:

- :func:`bcp47`: the BCP 47 tag CSL-JSON wants (``eng`` -> ``en``; ``en-GB`` kept);
- :func:`babel`: the babel and polyglossia name biblatex's ``langid`` wants
  (``eng`` -> ``english``, ``en-GB`` -> ``british``).

Both answer None for what is not a language they know, so an exporter can keep
the stored value as it is rather than guess.
"""

from __future__ import annotations

import re

#: ``(ISO 639-2/B, ISO 639-2/T or None, ISO 639-1, English name, babel name)``: every
#: language of PubMed's list, which holds those Crossref gives.
LANGUAGES = (
    ("afr", None, "af", "Afrikaans", "afrikaans"),
    ("alb", "sqi", "sq", "Albanian", "albanian"),
    ("amh", None, "am", "Amharic", "amharic"),
    ("ara", None, "ar", "Arabic", "arabic"),
    ("arm", "hye", "hy", "Armenian", "armenian"),
    ("aze", None, "az", "Azerbaijani", "azerbaijani"),
    ("ben", None, "bn", "Bengali", "bengali"),
    ("bos", None, "bs", "Bosnian", "bosnian"),
    ("bul", None, "bg", "Bulgarian", "bulgarian"),
    ("cat", None, "ca", "Catalan", "catalan"),
    ("chi", "zho", "zh", "Chinese", "chinese"),
    ("cze", "ces", "cs", "Czech", "czech"),
    ("dan", None, "da", "Danish", "danish"),
    ("dut", "nld", "nl", "Dutch", "dutch"),
    ("eng", None, "en", "English", "english"),
    ("epo", None, "eo", "Esperanto", "esperanto"),
    ("est", None, "et", "Estonian", "estonian"),
    ("fin", None, "fi", "Finnish", "finnish"),
    ("fre", "fra", "fr", "French", "french"),
    ("geo", "kat", "ka", "Georgian", "georgian"),
    ("ger", "deu", "de", "German", "german"),
    ("gla", None, "gd", "Scottish Gaelic", "scottish"),
    ("gle", None, "ga", "Irish", "irish"),
    ("gre", "ell", "el", "Greek", "greek"),
    ("heb", None, "he", "Hebrew", "hebrew"),
    ("hin", None, "hi", "Hindi", "hindi"),
    ("hrv", None, "hr", "Croatian", "croatian"),
    ("hun", None, "hu", "Hungarian", "magyar"),
    ("ice", "isl", "is", "Icelandic", "icelandic"),
    ("ind", None, "id", "Indonesian", "indonesian"),
    ("ita", None, "it", "Italian", "italian"),
    ("jpn", None, "ja", "Japanese", "japanese"),
    ("kin", None, "rw", "Kinyarwanda", "kinyarwanda"),
    ("kor", None, "ko", "Korean", "korean"),
    ("lat", None, "la", "Latin", "latin"),
    ("lav", None, "lv", "Latvian", "latvian"),
    ("lit", None, "lt", "Lithuanian", "lithuanian"),
    ("mac", "mkd", "mk", "Macedonian", "macedonian"),
    ("mal", None, "ml", "Malayalam", "malayalam"),
    ("mao", "mri", "mi", "Maori", "maori"),
    ("may", "msa", "ms", "Malay", "malay"),
    ("nor", None, "no", "Norwegian", "norsk"),
    ("per", "fas", "fa", "Persian", "persian"),
    ("pol", None, "pl", "Polish", "polish"),
    ("por", None, "pt", "Portuguese", "portuguese"),
    ("pus", None, "ps", "Pashto", "pashto"),
    ("rum", "ron", "ro", "Romanian", "romanian"),
    ("rus", None, "ru", "Russian", "russian"),
    ("san", None, "sa", "Sanskrit", "sanskrit"),
    ("slo", "slk", "sk", "Slovak", "slovak"),
    ("slv", None, "sl", "Slovenian", "slovene"),
    ("spa", None, "es", "Spanish", "spanish"),
    ("srp", None, "sr", "Serbian", "serbian"),
    ("swe", None, "sv", "Swedish", "swedish"),
    ("tha", None, "th", "Thai", "thai"),
    ("tur", None, "tr", "Turkish", "turkish"),
    ("ukr", None, "uk", "Ukrainian", "ukrainian"),
    ("urd", None, "ur", "Urdu", "urdu"),
    ("vie", None, "vi", "Vietnamese", "vietnamese"),
    ("wel", "cym", "cy", "Welsh", "welsh"),
)
#: Regional babel names: ``(ISO 639-1, region) -> babel name``.
REGIONS = {
    ("en", "US"): "american",
    ("en", "GB"): "british",
    ("en", "CA"): "canadian",
    ("en", "AU"): "australian",
    ("en", "NZ"): "newzealand",
    ("pt", "BR"): "brazilian",
    ("de", "AT"): "austrian",
    ("de", "CH"): "swissgerman",
}
#: ISO 639-2 codes that name no one language: BCP 47 keeps them, babel has no name for them.
NOT_A_LANGUAGE = {"und": "undetermined", "mul": "multiple", "zxx": "none", "mis": "uncoded"}

_BY_NAME: dict[str, tuple] = {}
for _row in LANGUAGES:
    for _name in _row:
        if _name:
            _BY_NAME.setdefault(_name.lower(), _row)
#: Other babel names for a language of the table (``ngerman`` is German's new spelling).
BABEL_ALIASES = {
    "ngerman": "ger",
    "naustrian": "ger",
    "hungarian": "hun",
    "farsi": "per",
    "norwegian": "nor",
    "nynorsk": "nor",
    "slovenian": "slv",
    "brazil": "por",
}
_REGIONAL = {name: (code, region) for (code, region), name in REGIONS.items()}
for _name, _code in BABEL_ALIASES.items():
    _BY_NAME.setdefault(_name, _BY_NAME[_code])
for _name, (_code, _) in _REGIONAL.items():
    _BY_NAME.setdefault(_name, _BY_NAME[_code])
_BABEL_NAMES = {row[4] for row in LANGUAGES} | set(BABEL_ALIASES) | set(_REGIONAL)
_TAG = re.compile(r"([A-Za-z]{2,3})((?:[-_][A-Za-z0-9]{1,8})*)")


def _parse(code: str | None) -> tuple[tuple | None, str, list[str]]:
    """``(table row or None, primary language subtag, other subtags)`` for ``code``."""
    text = (code or "").strip()
    row = _BY_NAME.get(text.lower())
    if row is not None:
        return row, text.lower(), []
    m = _TAG.fullmatch(text)
    if not m:
        return None, "", []
    rest = [s for s in re.split(r"[-_]", m.group(2)) if s]
    return _BY_NAME.get(m.group(1).lower()), m.group(1).lower(), rest


def bcp47(code: str | None) -> str | None:
    """The BCP 47 tag of ``code``: ``eng`` -> ``en``, ``en_gb`` -> ``en-GB``, ``German`` -> ``de``.

    ``und`` and ``mul`` are kept (BCP 47 has them); a two-letter code the table does
    not hold is kept too (it is ISO 639-1, so a BCP 47 language). None when ``code``
    is empty or no language this table knows: an unknown three-letter code may be
    an ISO 639-2/B code, which BCP 47 does not take.
    """
    text = (code or "").strip()
    if text.lower() in NOT_A_LANGUAGE:
        return text.lower()
    if text.lower() in _REGIONAL:
        language, region = _REGIONAL[text.lower()]
        return f"{language}-{region}"
    row, primary, rest = _parse(text)
    if row is not None:
        language = row[2]
    elif len(primary) == 2:
        language = primary
    else:
        return None
    subtags = []
    for subtag in rest:
        if len(subtag) == 2 and subtag.isalpha():
            subtags.append(subtag.upper())  # a region: GB
        elif len(subtag) == 4 and subtag.isalpha():
            subtags.append(subtag.title())  # a script: Hant
        else:
            subtags.append(subtag.lower())
    return "-".join([language, *subtags])


def babel(code: str | None) -> str | None:
    """The babel name of ``code``: ``eng`` -> ``english``, ``en-GB`` -> ``british``.

    polyglossia takes the same names. A babel name is kept (``ngerman``). None when
    the language is not in the table, or is no one language (``und``, ``mul``).
    """
    text = (code or "").strip().lower()
    if text in _BABEL_NAMES:
        return text
    row, _, rest = _parse(text)
    if row is None:
        return None
    region = next((s.upper() for s in rest if len(s) == 2 and s.isalpha()), None)
    return REGIONS.get((row[2], region), row[4])
