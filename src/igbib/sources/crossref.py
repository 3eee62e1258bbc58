"""DOIs: Crossref's REST API (``/works/{doi}``), else doi.org content negotiation (CSL-JSON).

Crossref holds most journal DOIs. DataCite DOIs (arXiv's ``10.48550``, Zenodo's
``10.5281``) are not in Crossref; doi.org answers for every registration agency
when asked for ``application/vnd.citationstyles.csl+json``. Both answers are
read by :func:`igbib.csl.paper_from_csl`, which the CSL-JSON importer shares.
"""

from __future__ import annotations

from urllib.parse import quote

from igbib.csl import paper_from_csl
from igbib.errors import SourceError
from igbib.model import Paper

CSL_JSON = "application/vnd.citationstyles.csl+json"


#: What a record of an unexpected shape raises while it is read.
_SHAPE_ERRORS = (AttributeError, TypeError, ValueError, KeyError, IndexError, RecursionError)


def read_work(answer, doi: str) -> Paper | None:
    """The paper of a Crossref ``/works/{doi}`` answer; None when Crossref does not hold it."""
    if answer.status_code in (404, 400):
        return None
    if answer.status_code != 200:
        raise SourceError(f"Crossref answered HTTP {answer.status_code} for {doi}")
    try:
        data = answer.json()
    except ValueError as exc:
        raise SourceError(
            f"Crossref sent an unreadable answer for {doi} ({_one_line(exc)})"
        ) from None
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict):
        raise SourceError(
            f"Crossref sent an answer for {doi} without a record "
            f"(its message is {_kind(message)}, not an object)"
        )
    return _paper(message, "crossref", f"Crossref's record of {doi}")


def read_csl(answer, doi: str) -> Paper | None:
    """The paper of a doi.org CSL-JSON answer; None when doi.org offers no metadata."""
    if answer.status_code in (404, 400, 406):
        return None
    if answer.status_code != 200:
        raise SourceError(f"doi.org answered HTTP {answer.status_code} for {doi}")
    if "json" not in answer.headers.get("Content-Type", ""):
        return None  # a landing page: no metadata offered
    try:
        item = answer.json()
    except ValueError:
        return None
    if isinstance(item, list):
        item = item[0] if item else {}
    if not isinstance(item, dict):
        raise SourceError(
            f"doi.org sent CSL-JSON for {doi} that is not a record ({_kind(item)}, not an object)"
        )
    return _paper(item, "csljson", f"doi.org's record of {doi}")


def _paper(item: dict, source: str, what: str) -> Paper:
    try:
        return paper_from_csl(item, source)
    except _SHAPE_ERRORS as exc:
        raise SourceError(
            f"{what} cannot be read ({type(exc).__name__}: {_one_line(exc)})"
        ) from None


def _kind(value) -> str:
    return {dict: "an object", list: "a list", str: "a string", type(None): "missing"}.get(
        type(value), f"a {type(value).__name__}"
    )


def _one_line(exc) -> str:
    return " ".join(str(exc).split())[:200]


# -- I/O -------------------------------------------------------------------------


def fetch_work(http, doi: str) -> Paper | None:
    """The Crossref record of ``doi``, or None when Crossref does not hold it."""
    url = http.settings.crossref_url + "works/" + quote(doi, safe="/:;()._-")
    params = {"mailto": http.settings.email} if http.settings.email else None
    return http.request(
        "crossref", "GET", url, params=params, parse=lambda answer: read_work(answer, doi)
    )


def fetch_csl(http, doi: str) -> Paper | None:
    """CSL-JSON for ``doi`` from doi.org (any registration agency), or None if it is unknown."""
    url = http.settings.doi_url + quote(doi, safe="/:;()._-")
    return http.request(
        "doi", "GET", url, headers={"Accept": CSL_JSON}, parse=lambda answer: read_csl(answer, doi)
    )
