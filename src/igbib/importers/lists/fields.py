"""The small facts of a list entry: years, venues, dates and author lists, from plain text.

Every pattern here is anchored on a short token or runs on a short piece of
text, so reading is linear in the text's length whatever it holds.
"""

from __future__ import annotations

import re

from igbib.names import person_from_text

_YEAR = re.compile(r"(?<![\w./-])((?:19|20)\d{2})(?![\w/]|\.\d)")
_APOSTROPHE_YEAR = re.compile(r"(?<=[A-Za-z])\s?['’`](\d{2})(\d{2})?(?!\d)")
_GLUED_YEAR = re.compile(r"(?<=[A-Za-z])((?:19|20)\d{2})$")
_COMPACT_DATE = re.compile(r"^((?:19|20)\d{2})(?:[-/.]?(0[1-9]|1[0-2]))?(?:[-/.]?\d{2})?$")
_MONTHS = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?![a-z])", re.I
)
_QUALIFIERS = re.compile(
    r"\b(oral|spotlight|poster|highlight|best paper|accepted|in press|to appear|submitted|"
    r"under review|new|award)\b",
    re.I,
)
_PARTICLES = {
    "van", "von", "de", "der", "den", "da", "das", "dos", "di", "du", "del", "della", "le",
    "la", "ter", "ten", "st", "st.", "bin", "al", "el", "mac", "zu", "y",
}  # fmt: skip
_ET_AL = re.compile(r"[,;]?\s*(?:et\.?\s*al\.?|and others|&\s*others|etc\.?|\.\.\.|…)\s*$", re.I)
_NAME_SPLIT = re.compile(r"\s*(?:;|,|\band\b|&)\s*")
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}\.?$")
_WORD_OK = re.compile(r"^[A-ZÀ-ÖØ-Þ\u0100-\u024F\u0400-\u04FF\u4e00-\u9fff][\w'’.\-]*$")
_DIGIT = re.compile(r"\d")
#: Words of titles and venues that are not names ("Precision and Future Medicine").
_NOT_NAMES = frozenset(
    """journal journals medicine research review reviews proceedings conference transactions
    letters science sciences nature cancer radiology imaging medical biology bioinformatics
    computing intelligence learning analysis international society annals advances reports
    communications methods genetics genomics oncology physics engineering workshop symposium
    arxiv biorxiv medrxiv data neural information processing systems vision computer
    recognition pattern clinical health neuroscience biomedical molecular cell cellular
    chemistry frontiers plos bmc ieee acm sigkdd icml iclr neurips miccai cvpr iccv eccv
    deep network networks model models segmentation survey towards using based
    image images protein proteins disease language
    translational neuro neurology surgery pathology diagnostic diagnosis brain lung breast
    applications application tutorial open source database atlas library framework tool
    statistics statistical bioengineering biotechnology therapeutics""".split()
)


def year_of(text: str) -> int | None:
    """The year a short piece of text gives: ``2019``, ``CVPR'21``, ``arXiv'2401``, ``JBHI2025``."""
    m = _YEAR.search(text)
    if m:
        return int(m.group(1))
    m = _APOSTROPHE_YEAR.search(text)
    if m:
        return 2000 + int(m.group(1)) if int(m.group(1)) < 50 else 1900 + int(m.group(1))
    m = _GLUED_YEAR.search(text.strip())
    return int(m.group(1)) if m else None


def is_date(text: str) -> bool:
    """True for ``1st Jul., 2024``, ``2nd May``, ``2025-04``, ``201606``: a date, not a venue."""
    t = text.strip(" []().,")
    if _COMPACT_DATE.match(t):
        return True
    words = re.sub(r"[\d,.\s]+(?:st|nd|rd|th)?", " ", t).split()
    return bool(words) and all(_MONTHS.fullmatch(w) for w in words)


def venue_and_year(tag: str) -> tuple[str | None, int | None]:
    """``MICCAI 2019``, ``2022 Nature Methods``, ``arXiv, 2024``, ``JBHI2025``, ``CVPR'21``."""
    text = " ".join(tag.split()).strip(" []()*_,;.")
    if not text or len(text) > 120:
        return None, None
    year = year_of(text)
    if is_date(text):
        return None, year
    venue = _YEAR.sub(" ", text)
    venue = _APOSTROPHE_YEAR.sub(" ", venue)
    venue = re.sub(r"(?<=[A-Za-z])(?:19|20)\d{2}$", "", venue.strip())
    venue = _QUALIFIERS.sub(" ", venue)
    venue = re.sub(r"\([^)]*\)", " ", venue)
    venue = " ".join(venue.split()).strip(" ,;:.-–—/|")
    if not venue or venue.isdigit() or len(venue) > 80:
        return None, year
    return venue, year


def strip_et_al(text: str) -> tuple[str, bool]:
    stripped = _ET_AL.sub("", text)
    return stripped.strip(" ,;"), stripped != text


def _names(text: str) -> list[str]:
    parts = [p.strip(" .") for p in _NAME_SPLIT.split(text)]
    return [p for p in parts if p]


def _pairs_inverted(parts: list[str]) -> list[str]:
    """``Smith, J., Jones, K.``: each family name followed by its initials, paired up."""
    if len(parts) >= 2 and len(parts) % 2 == 0:
        odd = parts[1::2]
        if all(_INITIALS.match(p.replace(" ", "")) for p in odd):
            return [f"{parts[i + 1]} {parts[i]}" for i in range(0, len(parts), 2)]
    return parts


def _word_ok(word: str) -> bool:
    return bool(_WORD_OK.match(word)) or word.lower() in _PARTICLES


def name_like(part: str, *, strict: bool = True) -> bool:
    """True for one person's name as lists write it: ``Zhen Wang``, ``A. Author``, ``Smith JA``.

    ``strict``: no word of the name is one that titles and venues are made of.
    """
    words = part.replace(".", ". ").split()
    if not words or len(words) > 6 or len(part) > 48 or _DIGIT.search(part):
        return False
    ok = [_word_ok(w) for w in words]
    if not all(ok):
        # "Jong chul Ye": a lower-case middle name between capitalised words, when lenient
        plain = all(w.replace(".", "").replace("-", "").replace("'", "").isalpha() for w in words)
        if strict or not ok[0] or not plain:
            return False
    return not strict or not any(w.lower().strip(".") in _NOT_NAMES for w in words)


def looks_like_authors(text: str, *, alone: bool = False, lenient: bool = False) -> bool:
    """True when ``text`` reads as a list of people's names.

    ``lenient``: the text stands where authors are expected (an italic line under a
    title), so a name may hold a word that titles also use.
    ``alone``: the text stands on its own (not in an author's place in a
    citation), so one or two capitalised words are not enough: a title such as
    ``Universal Loss`` would pass. It then needs two names, an "et al.", or initials.
    """
    body, et_al = strip_et_al(" ".join(text.split()))
    if not body:
        return et_al
    if len(body) > 4000:
        return False
    parts = _pairs_inverted(_names(body))
    if not parts or not all(name_like(p, strict=False) for p in parts):
        return False
    # Names may hold a word that also starts titles ("To Eun Kim", "In So Kweon"): most
    # names must be free of such words, and a lone name entirely.
    strict = sum(name_like(p) for p in parts)
    if lenient and len(parts) >= 2:
        strict = len(parts)
    if strict < len(parts) and (len(parts) < 3 or strict * 4 < len(parts) * 3):
        return False
    if not alone:
        return True
    if et_al or len(parts) >= 2:
        return True
    words = parts[0].split()
    return len(words) >= 2 and any(_INITIALS.match(w) for w in words)


def looks_like_author_list(text: str) -> bool:
    """True for two names or more, or names with "et al.": never one word that may be a venue."""
    body, et_al = strip_et_al(" ".join(text.split()))
    if not looks_like_authors(text):
        return False
    return et_al or len(_pairs_inverted(_names(body))) >= 2


def person(text: str, *, inverted: bool = False) -> dict:
    """One name: ``Zhen Wang``, ``A. B. Author``, ``Smith JA``, ``De Ruysscher``, ``Wang, Zhen``."""
    text = " ".join(text.split()).strip(" ,.;")
    if inverted and "," in text:
        family, _, given = text.partition(",")
        return _person(family.strip(), given.strip())
    collective = person_from_text(text)
    if "literal" in collective:
        return collective
    words = text.split()
    if len(words) == 1:
        return {"family": words[0]}
    if _INITIALS.match(words[-1].replace(".", "")) and not _INITIALS.match(words[0]):
        return _person(" ".join(words[:-1]), words[-1])  # Smith JA
    if words[0].lower() in _PARTICLES:
        return {"family": text}  # De Ruysscher
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1  # Allan dos Santos Costa
    return _person(" ".join(words[start:]), " ".join(words[:start]))


def _person(family: str, given: str) -> dict:
    return {"family": family, "given": given} if given else {"family": family}


def authors_of(text: str, *, inverted_first: bool = False) -> tuple[list[dict], bool]:
    """``(authors, et_al)`` from an author list as a reading list writes it.

    ``inverted_first``: the first name is written family first (``Maeser,
    Danielle, Robert F Gruener, and Rong Huang``), as in Chicago-style citations.
    """
    body, et_al = strip_et_al(" ".join(text.split()).strip(" ,;."))
    if not body:
        return [], et_al
    if ";" in body:
        parts = [p.strip(" .") for p in body.split(";") if p.strip(" .")]
        parts = [p for part in parts for p in ([part] if "," in part else _names(part))]
        return [person(p, inverted=True) for p in parts], et_al
    parts = _names(body)
    paired = _pairs_inverted(parts)
    if paired is not parts:
        return [person(p) for p in paired], et_al
    if inverted_first and len(parts) >= 2 and len(parts[0].split()) == 1:
        first = _person(parts[0], parts[1])
        return [first, *(person(p) for p in parts[2:])], et_al
    return [person(p) for p in parts], et_al
