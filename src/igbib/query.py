"""The search language, parsed into a :class:`Query`. Pure: no SQL runs here.

    glioblastoma radiomics        both words (anywhere, ranked)
    "gene expression"             a phrase
    radiog*                       a prefix
    glioma OR glioblastoma        either (words with words, filters with filters:
                                  key:a OR key:b, year:2014 OR year:2016)
    -breast  NOT breast           without
    author:gevaert  title:mri  journal:radiology  abstract:...  keyword:...  note:...
    year:2014  year:2010..2015  year:2010-2015  year:..2012  year:2016..
    tag:review  tag:site/glioma  tag:site/*   (a tag of either origin; any of an axis)
    section:"imaging genomics"  pmid:24827998  doi:10.1038/ncomms5006
    pmcid:PMC4141648  key:gevaert2014glioblastoma  has:doi  has:abstract
    is:flagged  flag:bad-year  type:article  dataset:TCGA-GBM

Every word a user types becomes a quoted FTS5 string, so no text (``NEAR(``,
``*``, ``'; drop table``) can change the meaning of the query or reach SQLite
as syntax. A query that cannot mean anything is a :class:`QueryError` saying why.
"""

from __future__ import annotations

import re

from igbib.errors import QueryError

#: search field -> FTS column
TEXT_FIELDS = {
    "author": "authors",
    "authors": "authors",
    "au": "authors",
    "title": "title",
    "ti": "title",
    "journal": "journal",
    "ta": "journal",
    "abstract": "abstract",
    "ab": "abstract",
    "keyword": "keywords",
    "keywords": "keywords",
    "kw": "keywords",
    "mesh": "keywords",
    "note": "note",
}
FILTER_FIELDS = (
    "year",
    "tag",
    "section",
    "dataset",
    "pmid",
    "doi",
    "pmcid",
    "arxiv",
    "key",
    "has",
    "is",
    "flag",
    "type",
)
_ALIASES = {"citekey": "key", "y": "year", "yr": "year", "flagged": "flag"}
HAS_VALUES = ("pmid", "doi", "pmcid", "arxiv", "abstract", "url", "identifier")
IS_VALUES = ("flagged", "listed", "unlisted")
_TOKEN = re.compile(r'\s*(-?)(?:([A-Za-z]+):)?("(?:[^"]*)(?:"|$)|[^\s"]+)')
_YEAR_RANGE = re.compile(r"^(\d{4})?\s*(?:\.\.|-|–)\s*(\d{4})?$")
_WORD = re.compile(r"\w", re.UNICODE)


class Term:
    """One full-text condition: words, a phrase or a prefix, maybe in one column."""

    __slots__ = ("text", "column", "prefix", "negated")

    def __init__(self, text: str, column: str | None, prefix: bool, negated: bool):
        self.text, self.column, self.prefix, self.negated = text, column, prefix, negated

    def fts(self) -> str:
        quoted = '"' + self.text.replace('"', '""') + '"' + ("*" if self.prefix else "")
        return f"{self.column} : {quoted}" if self.column else quoted

    def __repr__(self) -> str:
        return f"Term({self.fts()!r}, negated={self.negated})"


class Query:
    """``groups`` are ANDed; the terms within a group are ORed.

    ``filters`` are ANDed too; each is ``(name, value)``, or ``("any", [(name,
    value), ...])`` for filters joined by OR. A name ``not-X`` negates filter X.
    """

    def __init__(self, text: str = ""):
        self.text = text
        self.groups: list[list[Term]] = []
        self.excluded: list[Term] = []
        self.filters: list[tuple[str, object]] = []

    def match_expression(self) -> str | None:
        """The FTS5 MATCH expression for the positive terms, or None."""
        if not self.groups:
            return None
        parts = []
        for group in self.groups:
            if len(group) == 1:
                parts.append(group[0].fts())
            else:
                parts.append("(" + " OR ".join(t.fts() for t in group) + ")")
        expression = " AND ".join(parts)
        for term in self.excluded:
            expression += f" NOT {term.fts()}"
        return expression

    def exclusion_expression(self) -> str | None:
        """For a query with only excluded terms: what the results must not match."""
        if self.groups or not self.excluded:
            return None
        return " OR ".join(t.fts() for t in self.excluded)


def parse_query(text: str, extra_filters: list[tuple[str, object]] | None = None) -> Query:
    query = Query(text)
    pending_or = False
    pending_not = False
    last_operator = None
    last_kind = None  # "term" or "filter": what an OR joins to
    for m in _TOKEN.finditer(text or ""):
        negated, field, value = m.group(1) == "-", m.group(2), m.group(3)
        if not value:
            continue
        if not field and value.endswith(":"):
            name = _ALIASES.get(value[:-1].lower(), value[:-1].lower())
            if name in TEXT_FIELDS or name in FILTER_FIELDS:
                raise QueryError(
                    f"{value} needs a value, as in {value}{_EXAMPLES.get(name, 'word')}"
                )
        if not field and not negated and value in ("AND", "OR", "NOT"):
            if value == "OR":
                if last_kind is None or pending_or:
                    raise QueryError("'OR' needs a search term on both sides")
                pending_or = True
            elif value == "NOT":
                pending_not = True
            last_operator = value
            continue
        last_operator = None
        negated = negated or pending_not
        pending_not = False
        if field:
            name = _ALIASES.get(field.lower(), field.lower())
            if name in TEXT_FIELDS:
                term = _term(value, TEXT_FIELDS[name], negated)
                if term is None:
                    raise QueryError(f"{field}: needs a word to look for")
            elif name in FILTER_FIELDS:
                found = _filter(name, _unquote(value), negated)
                if pending_or:
                    if last_kind != "filter":
                        raise QueryError(
                            f"'OR' joins words with words and filters with filters, "
                            f"not a word with {field}:{value}"
                        )
                    _or_filter(query, found)
                    pending_or = False
                else:
                    query.filters.append(found)
                last_kind = "filter"
                continue
            else:
                known = ", ".join(sorted({*TEXT_FIELDS, *FILTER_FIELDS}))
                raise QueryError(f"unknown field {field!r} (known fields: {known})")
        else:
            term = _term(value, None, negated)
            if term is None:
                continue  # punctuation only, such as "-" or "*": nothing to look for
        if term.negated:
            if pending_or:
                raise QueryError("'OR' cannot join an excluded term")
            query.excluded.append(term)
        elif pending_or:
            if last_kind != "term":
                raise QueryError(
                    f"'OR' joins words with words and filters with filters, "
                    f"not a filter with {m.group(0).strip()}"
                )
            query.groups[-1].append(term)
            pending_or = False
        else:
            query.groups.append([term])
        if not term.negated:
            last_kind = "term"
    if pending_or or last_operator in ("OR", "NOT"):
        raise QueryError(f"'{last_operator or 'OR'}' needs a search term after it")
    if pending_not:
        raise QueryError("'NOT' needs a search term after it")
    for name, value in extra_filters or []:
        query.filters.append(_filter(name, value, False))
    if not query.groups and not query.excluded and not query.filters and text.strip():
        if last_operator == "AND" or text.strip() in ("AND",):
            raise QueryError("'AND' needs a search term on both sides")
        raise QueryError(f"nothing to search for in {text.strip()!r}: use words, not only symbols")
    return query


def _or_filter(query: Query, found: tuple[str, object]) -> None:
    """Join ``found`` to the last filter by OR."""
    name, value = query.filters[-1]
    if name == "any":
        value.append(found)
    else:
        query.filters[-1] = ("any", [(name, value), found])


def _unquote(value: str) -> str:
    if value.startswith('"'):
        value = value[1:]
        if value.endswith('"'):
            value = value[:-1]
    return value.strip()


def _term(value: str, column: str | None, negated: bool) -> Term | None:
    phrase = value.startswith('"')
    text = _unquote(value)
    prefix = False
    if not phrase and text.endswith("*"):
        text = text.rstrip("*")
        prefix = True
    if not _WORD.search(text):
        return None
    return Term(text, column, prefix, negated)


def _filter(name: str, value, negated: bool) -> tuple[str, object]:
    if name == "year":
        return ("not-year" if negated else "year", parse_years(str(value)))
    if isinstance(value, str) and not value:
        raise QueryError(f"{name}: needs a value, as in {name}:{_EXAMPLES[name]}")
    if name == "has":
        value = str(value).lower()
        if value not in HAS_VALUES:
            raise QueryError(f"has:{value} is unknown (use has:{' | has:'.join(HAS_VALUES)})")
    if name == "is":
        value = str(value).lower()
        if value not in IS_VALUES:
            raise QueryError(f"is:{value} is unknown (use is:{' | is:'.join(IS_VALUES)})")
    return (f"not-{name}" if negated else name, value)


_EXAMPLES = {
    "year": "2014",
    "author": "gevaert",
    "title": "mri",
    "journal": "radiology",
    "tag": "review",
    "section": '"imaging genomics"',
    "dataset": "TCGA-GBM",
    "pmid": "24827998",
    "doi": "10.1038/ncomms5006",
    "pmcid": "PMC4141648",
    "arxiv": "1902.00001",
    "key": "gevaert2014glioblastoma",
    "has": "doi",
    "is": "flagged",
    "flag": "bad-year",
    "type": "article",
}


def parse_years(text: str) -> tuple[int | None, int | None]:
    """``2014`` -> (2014, 2014); ``2010..2015``, ``2010-2015``, ``..2012``, ``2016..``."""
    text = text.strip()
    if text.isdigit() and len(text) == 4:
        return int(text), int(text)
    m = _YEAR_RANGE.match(text)
    if m and (m.group(1) or m.group(2)):
        low = int(m.group(1)) if m.group(1) else None
        high = int(m.group(2)) if m.group(2) else None
        if low and high and low > high:
            raise QueryError(f"year:{text}: the range runs backwards")
        return low, high
    raise QueryError(f"year:{text} is not a year; use year:2014 or year:2010..2015")
