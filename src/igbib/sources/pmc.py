"""The PMC ID converter: PMCIDs to PMIDs and DOIs, 200 ids a request.

No recorded answer of this service exists to test against; the parser follows
the service's documentation (https://pmc.ncbi.nlm.nih.gov/tools/id-converter-api/):
``{"status": "ok", "records": [{"pmcid": "PMC3531190", "pmid": "23193287",
"doi": "10.1093/nar/gks1195"}, {"pmcid": "...", "status": "error",
"errmsg": "invalid article id"}]}``. It accepts PMIDs as numbers or strings, and
the ``requested-id`` key of the newer API.
"""

from __future__ import annotations

from igbib.errors import SourceError
from igbib.ids import normalize_doi, normalize_pmcid, normalize_pmid

BATCH = 200


def parse_idconv(data: dict) -> dict[str, dict[str, str]]:
    """PMCID -> ``{"pmid": ..., "doi": ...}`` for every record the converter knew."""
    if not isinstance(data, dict):
        raise SourceError("the PMC ID converter sent an unreadable answer")
    if data.get("status") not in (None, "ok"):
        raise SourceError(f"the PMC ID converter refused the request: {data.get('message', '')}")
    out: dict[str, dict[str, str]] = {}
    for record in data.get("records") or []:
        if not isinstance(record, dict) or record.get("status") == "error":
            continue
        pmcid = normalize_pmcid(str(record.get("pmcid") or record.get("requested-id") or ""))
        if not pmcid:
            continue
        found = {}
        pmid = normalize_pmid(str(record.get("pmid") or ""))
        if pmid:
            found["pmid"] = pmid
        doi = normalize_doi(str(record.get("doi") or ""))
        if doi:
            found["doi"] = doi
        out[pmcid] = found
    return out


def convert(http, pmcids: list[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for start in range(0, len(pmcids), BATCH):
        batch = pmcids[start : start + BATCH]
        params = {"ids": ",".join(batch), "format": "json", "tool": "igbib"}
        if http.settings.email:
            params["email"] = http.settings.email
        response = http.request("idconv", "GET", http.settings.idconv_url, params=params)
        if response.status_code != 200:
            raise SourceError(f"the PMC ID converter answered HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError:
            raise SourceError("the PMC ID converter sent an unreadable answer") from None
        out.update(parse_idconv(data))
    return out
