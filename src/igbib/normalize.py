"""Field values every importer and source reads the same way: years, months, page ranges.

One rule each, for the Markdown, BibTeX, RIS and CSL-JSON importers, the PubMed
and Crossref parsers and the BibTeX exporter:

- a **year** is four digits from :data:`FIRST_YEAR` to :data:`LAST_YEAR`, alone or
  starting a date (``2014``, ``2014-05-12``, RIS's ``2014/05/12/``); ``201``,
  ``0201`` and ``2014a`` are not years;
- a **month** is a number from 1 to 12 or an English month name, whole or cut to
  at least three letters (``9``, ``09``, ``sep``, ``Sept.``, ``September``);
- a **page range** is written with one ``-`` and no spaces, and an end page
  abbreviated the MEDLINE way is written out (``519-27`` is ``519-527``).

A value that is given but is not valid is not dropped: :func:`set_year` keeps
it in ``paper.extra["year"]``, the error channel :mod:`igbib.ops.flags` reports as a
``bad-year`` flag (see :class:`igbib.model.Paper`).

Pure and cheap to import (only :mod:`re`).
"""

from __future__ import annotations

import re

#: The years igbib accepts as publication years.
FIRST_YEAR, LAST_YEAR = 1800, 2100
#: The first year ``igbib check`` finds plausible for a paper of this field (a year read as
#: valid but earlier, or after next year, is stored and reported as an error to look at).
PLAUSIBLE_FIRST_YEAR = 1900


def plausible_years() -> tuple[int, int]:
    """The years ``igbib check`` accepts: :data:`PLAUSIBLE_FIRST_YEAR` to next year."""
    from datetime import date

    return PLAUSIBLE_FIRST_YEAR, date.today().year + 1


#: English month names, January first.
MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
#: Three-letter month abbreviations (also BibTeX's month macros), ``jan`` first.
MONTHS = tuple(name[:3] for name in MONTH_NAMES)

_YEAR = re.compile(r"(\d{4})(?:[-/].*)?", re.S | re.A)
_DATE_MONTH = re.compile(r"\d{4}[-/](\d{1,2})(?!\d)", re.A)
_DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]+\s*")
_SHORT_RANGE = re.compile(r"(\d+)-(\d+)", re.A)


def year(value) -> int | None:
    """``value`` as a publication year, or None when it is not one."""
    if value is None:
        return None
    m = _YEAR.fullmatch(str(value).strip())
    if not m:
        return None
    number = int(m.group(1))
    return number if FIRST_YEAR <= number <= LAST_YEAR else None


def set_year(paper, *values) -> None:
    """Set ``paper.year`` from the first of ``values`` that is a valid year.

    When values are given but none is a year, the first one is kept, as text, in
    ``paper.extra["year"]`` (flagged ``bad-year``); empty values count as not given.
    """
    given = [str(v).strip() for v in values if v is not None and str(v).strip()]
    for text in given:
        found = year(text)
        if found is not None:
            paper.year = found
            return
    if given:
        paper.extra["year"] = given[0]


def month(value) -> int | None:
    """``value`` as a month number (1-12), or None when it is not a month."""
    if value is None:
        return None
    text = str(value).strip().lower().rstrip(".")
    if text.isascii() and text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    if len(text) < 3 or not text.isalpha():
        return None
    try:
        index = MONTHS.index(text[:3])
    except ValueError:
        return None
    return index + 1 if MONTH_NAMES[index].startswith(text) else None


def month_of_date(value) -> int | None:
    """The month of a date (``2014-05-12``, ``2014-05``, RIS's ``2014/05/12/``), or None."""
    m = _DATE_MONTH.match(str(value or "").strip())
    return month(m.group(1)) if m else None


def pages(value, dash: str = "-") -> str | None:
    """A page range in its one form (``519-527``), with ``dash`` between the pages.

    Any dash (``--``, en or em dash, a minus sign) with spaces around it becomes
    ``dash``; an abbreviated end page is written out. Anything else (``e0092424``,
    ``S12-S19``) is kept. None for an empty value.
    """
    if value is None:
        return None
    text = _DASHES.sub("-", str(value).strip())
    if not text:
        return None
    m = _SHORT_RANGE.fullmatch(text)
    if m and len(m.group(2)) < len(m.group(1)):
        start, end = m.groups()
        text = f"{start}-{start[: len(start) - len(end)]}{end}"
    return text if dash == "-" else text.replace("-", dash)
