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


# -- I/O -------------------------------------------------------------------------


def fetch_work(http, doi: str) -> Paper | None:
    """The Crossref record of ``doi``, or None when Crossref does not hold it."""
    url = http.settings.crossref_url + "works/" + quote(doi, safe="/:;()._-")
    params = {"mailto": http.settings.email} if http.settings.email else None
    response = http.request("crossref", "GET", url, params=params)
    if response.status_code in (404, 400):
        return None
    if response.status_code != 200:
        raise SourceError(f"Crossref answered HTTP {response.status_code} for {doi}")
    try:
        message = response.json()["message"]
    except (ValueError, KeyError, TypeError):
        raise SourceError(f"Crossref sent an unreadable answer for {doi}") from None
    return paper_from_csl(message, "crossref")


def fetch_csl(http, doi: str) -> Paper | None:
    """CSL-JSON for ``doi`` from doi.org (any registration agency), or None if it is unknown."""
    url = http.settings.doi_url + quote(doi, safe="/:;()._-")
    response = http.request("doi", "GET", url, headers={"Accept": CSL_JSON})
    if response.status_code in (404, 400, 406):
        return None
    if response.status_code != 200:
        raise SourceError(f"doi.org answered HTTP {response.status_code} for {doi}")
    if "json" not in response.headers.get("Content-Type", ""):
        return None  # a landing page: no metadata offered
    try:
        item = response.json()
    except ValueError:
        return None
    if isinstance(item, list):
        item = item[0] if item else {}
    return paper_from_csl(item, "csljson")
