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
        message = " ".join(str(data.get("message") or "").split())[:200]
        raise SourceError(f"the PMC ID converter refused the request: {message}")
    out: dict[str, dict[str, str]] = {}
    records = data.get("records") or []
    for record in records if isinstance(records, list) else []:
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


def read_idconv(answer) -> dict[str, dict[str, str]]:
    if answer.status_code != 200:
        raise SourceError(f"the PMC ID converter answered HTTP {answer.status_code}")
    try:
        data = answer.json()
    except ValueError:
        raise SourceError("the PMC ID converter sent an unreadable answer") from None
    return parse_idconv(data)


def convert(http, pmcids: list[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for start in range(0, len(pmcids), BATCH):
        batch = pmcids[start : start + BATCH]
        params = {"ids": ",".join(batch), "format": "json", "tool": "igbib"}
        if http.settings.email:
            params["email"] = http.settings.email
        out.update(
            http.request(
                "idconv", "GET", http.settings.idconv_url, params=params, parse=read_idconv
            )
        )
    return out
