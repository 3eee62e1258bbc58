"""OpenAlex works: the works related to a paper, and those it references.

A work carries ``related_works`` (OpenAlex's similar works) and
``referenced_works`` (its reference list), both as OpenAlex ids (``W…``).
igbib asks for the works of many papers in one request
(``/works?filter=ids.pmid:a|b|…``, :data:`BATCH` a request, ``select=`` only what
it reads), then for the ids, titles and years of the works found, again
:data:`BATCH` a request (``filter=openalex:W1|W2|…``). One paper, or one work, is
asked as a single look-up (``/works/pmid:…``, ``/works/W…``), which OpenAlex
does not charge for.

:func:`parse_works` is pure: it reads both shapes, a list (``{"results": […]}``)
and one work. An answer of another shape is a :class:`SourceError` of one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from igbib.errors import SourceError

#: ids a list request may filter on, and works it may return (``per_page``)
BATCH = 100
#: igbib's name of each kind of link, and OpenAlex's field for it
KINDS = {"related": "related_works", "references": "referenced_works"}
#: what is read of a source paper's work, and of a work found
SOURCE_FIELDS = "id,ids,doi,related_works,referenced_works"
FOUND_FIELDS = "id,ids,doi,title,publication_year"
_PREFIX = "https://openalex.org/"


@dataclass
class Work:
    """One OpenAlex work, as much of it as was asked for."""

    id: str  #: ``W…``
    pmid: str | None = None
    doi: str | None = None  #: lower case, without ``https://doi.org/``
    title: str | None = None
    year: int | None = None
    related: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


def parse_works(body: bytes | str) -> list[Work]:
    """The works of a list answer, or the one work of a single look-up."""
    import json

    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise SourceError(f"OpenAlex sent an answer that is not JSON ({_one_line(exc)})") from None
    if isinstance(data, dict) and "results" in data:
        items = data["results"]
        if not isinstance(items, list):
            raise SourceError("OpenAlex sent a list answer whose results are not a list")
    elif isinstance(data, dict) and "id" in data:
        items = [data]
    else:
        raise SourceError("OpenAlex sent an answer that is neither a work nor a list of works")
    works = []
    for item in items:
        work = _work(item)
        if work is not None:
            works.append(work)
    return works


def _work(item) -> Work | None:
    if not isinstance(item, dict):
        return None
    wid = _wid(item.get("id"))
    if wid is None:
        return None
    ids = item.get("ids") if isinstance(item.get("ids"), dict) else {}
    year = item.get("publication_year")
    title = item.get("title")
    return Work(
        id=wid,
        pmid=_pmid(ids.get("pmid")),
        doi=_doi(item.get("doi") or ids.get("doi")),
        title=" ".join(title.split()) if isinstance(title, str) and title.strip() else None,
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        related=_wids(item.get("related_works")),
        references=_wids(item.get("referenced_works")),
    )


def _wid(value) -> str | None:
    if not isinstance(value, str):
        return None
    wid = value.removeprefix(_PREFIX)
    return wid if wid[:1] == "W" and wid[1:].isdigit() else None


def _wids(values) -> list[str]:
    if not isinstance(values, list):
        return []
    return list(dict.fromkeys(w for w in map(_wid, values) if w))


def _pmid(value) -> str | None:
    if not isinstance(value, str):
        return None
    pmid = value.rstrip("/").rsplit("/", 1)[-1]
    return pmid if pmid.isdigit() else None


def _doi(value) -> str | None:
    if not isinstance(value, str):
        return None
    doi = value.strip().lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "doi:"):
        doi = doi.removeprefix(prefix)
    return doi if doi.startswith("10.") else None


def _one_line(exc) -> str:
    return " ".join(str(exc).split())[:200]


# -- requests -------------------------------------------------------------------


def requests_needed(count: int) -> int:
    """How many requests asking for ``count`` ids takes (at least one id)."""
    return -(-count // BATCH)


def fetch_sources(http, pmids: list[str], dois: list[str]) -> list[Work]:
    """The works of the papers with these PMIDs, then of those with these DOIs."""
    works: list[Work] = []
    for name, ids in (("pmid", pmids), ("doi", dois)):
        works.extend(_fetch(http, name, ids, SOURCE_FIELDS))
    return works


def fetch_found(http, wids: list[str]) -> dict[str, Work]:
    """The ids, title and year of each of these works OpenAlex still holds, by ``W…`` id."""
    return {w.id: w for w in _fetch(http, "openalex", wids, FOUND_FIELDS)}


def _fetch(http, name: str, ids: list[str], select: str) -> list[Work]:
    works: list[Work] = []
    base = http.settings.openalex_url + "works"
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        params = _params(http, select=select)
        if len(batch) == 1:
            one = batch[0] if name == "openalex" else f"{name}:{batch[0]}"
            url = f"{base}/{quote(one, safe=':/')}"
        else:
            url = base
            params.update(filter=f"{_FILTERS[name]}:{'|'.join(batch)}", per_page=str(BATCH))
        works.extend(http.request("openalex", "GET", url, params=params, parse=_reader(http)))
    return works


_FILTERS = {"pmid": "ids.pmid", "doi": "doi", "openalex": "openalex"}


def _params(http, **params) -> dict:
    if http.settings.email:
        params["mailto"] = http.settings.email
    if http.settings.openalex_api_key:
        params["api_key"] = http.settings.openalex_api_key
    return params


def _reader(http):
    def read(answer) -> list[Work]:
        if answer.status_code == 404:
            return []  # a single look-up of a paper OpenAlex does not hold
        if answer.status_code != 200:
            raise SourceError(f"OpenAlex answered HTTP {answer.status_code}{said(http, answer)}")
        return parse_works(answer.content)

    return read


def said(http, answer) -> str:
    """``: what the answer says`` (one line, the secrets masked), or nothing."""
    from igbib.config import redact

    text = redact(" ".join(answer.text[:200].split()), http.settings.secrets())
    return f": {text}" if text else ""
