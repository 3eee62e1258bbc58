"""The small facts of a list entry: years, venues and dates, from plain text.

Author lists are read by :mod:`igbib.names`.

Every pattern here is anchored on a short token or runs on a short piece of
text, so reading is linear in the text's length whatever it holds.
"""

from __future__ import annotations

import re

from igbib.normalize import MONTHS

_YEAR = re.compile(r"(?<![\w./-])((?:19|20)\d{2})(?!\w|/(?!\d{1,2}\b)|\.\d)")  # 2022/10
_APOSTROPHE_YEAR = re.compile(r"(?<=[A-Za-z])\s?['’`](\d{2})(\d{2})?(?!\d)")
_GLUED_YEAR = re.compile(r"(?<=[A-Za-z])((?:19|20)\d{2})$")
_COMPACT_DATE = re.compile(r"^((?:19|20)\d{2})(?:[-/.]?(0[1-9]|1[0-2]))?(?:[-/.]?\d{2})?$")
_MONTHS = re.compile(rf"\b({'|'.join(MONTHS)})[a-z]*\.?(?![a-z])", re.I)
_QUALIFIERS = re.compile(
    r"\b(oral|spotlight|poster|highlight|best paper|accepted|in press|to appear|submitted|"
    r"under review|new|award)\b",
    re.I,
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


def without_date(text: str) -> str:
    """``Preprint, Cold Spring Harbor Laboratory, November``: the text without a trailing date."""
    parts = [p.strip() for p in text.split(",")]
    while len(parts) > 1 and is_date(parts[-1]):
        parts.pop()
    return ", ".join(parts).strip(" ,")


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
    venue = without_date(" ".join(venue.split()).strip(" ,;:.-–—/|"))  # ``PLoS One, October``
    if not venue or venue.isdigit() or len(venue) > 80:
        return None, year
    return venue, year


#: Preprint servers, named in a tag before what the list says of the paper
_PREPRINTS = {"arxiv", "biorxiv", "medrxiv", "chemrxiv", "ssrn", "preprint"}
_SMALL_WORDS = {"a", "an", "the", "of", "on", "in", "for", "and", "to", "with", "at", "by", "from"}


def tag_venue_and_year(tag: str) -> tuple[str | None, int | None]:
    """A bracket tag's venue and year, the venue without the list's words after it:
    ``2019 Nature Methods, Harmony`` -> Nature Methods; ``2022 CHIL '20: Proceedings of
    the ACM Conference …`` -> CHIL; ``2023 arxiv survey from CS field`` -> arxiv;
    ``2020 ICLR Reference from CS field`` -> ICLR (a server's name or an acronym, then
    three words or more, lower-case ones among them that no venue's name has);
    ``IEEE Transactions on Medical Imaging`` and ``PLoS computational biology`` whole."""
    venue, year = venue_and_year(tag)
    if venue is None:
        return None, year
    # a comma is the name's in a series (``Ultrasonics, Ferroelectrics, and Frequency
    # Control``), else it ends the name
    cut = r"\s*[:;]\s*" if re.search(r",\s*(?:and|&)\s", venue) else r"\s*[,:;]\s*"
    head = re.split(cut, venue, maxsplit=1)[0].strip() or venue
    words = head.split()
    first = words[0] if words else ""
    named = first.lower() in _PREPRINTS or sum(c.isupper() for c in first) >= 2
    said = [w for w in words[1:] if w[:1].islower() and w.lower() not in _SMALL_WORDS]
    if len(words) >= 4 and named and said:
        head = first
    return head, year
