"""Build igbib's catalogue of public imaging collections from the IDC collection index.

Reads ``collections_index.parquet`` of the PyPI package ``idc-index-data`` (NCI Imaging
Data Commons' list of the collections it hosts, mirrored from TCIA) and writes
``src/igbib/data/datasets.json``: one small, sorted, stable record per collection.
Run at development time only (it needs ``pyarrow``; igbib itself never does)::

    python scripts/build_catalogue.py [PARQUET] [-o OUT] [--check]

``--check`` writes nothing and fails if ``OUT`` differs from what the parquet gives.

What each record keeps (all 179 collections: the file stays well under 200 KB):

- ``key`` (the TCIA short title, ``collection_name``), ``collection_id``, ``program``,
  ``cancer_type``, ``locations``, ``subjects``, ``species``, ``supporting`` (``Genomics``,
  ``Clinical``, ...) and ``genomics`` (whether ``Genomics`` is among them);
- from the ``original_data`` sources only: ``dois`` (lower-cased), ``modalities``,
  ``licences`` and ``titles``. The ``analysis_result`` sources (segmentations and
  maps derived from many collections, such as BAMF AIMI) are skipped: they are not the
  collection, and their DOIs would link a paper to every collection they cover;
- ``tcia_dois``: the collection's DOIs on TCIA that IDC does not host, read from the
  ``description``, where TCIA's page of the collection is linked under the collection's
  own name ("Please see the TCGA-GBM (https://doi.org/...) page"). TCGA-GBM and TCGA-LGG
  have their MR images there only. They come first in ``dois`` and give ``url``;
- ``restricted``: the description says the collection "has special restrictions on its
  usage" (TCGA-LGG);
- ``aliases``: the short title's other spellings (``TCGA GBM`` for ``TCGA-GBM``), none
  of them another collection's name or spelling (checked on every build).

The description itself is not kept (it is most of the parquet's text).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARQUET = ROOT / "tests" / "fixtures" / "tcia" / "idc-index-data-25.0.5_collections_index.parquet"
OUT = ROOT / "src" / "igbib" / "data" / "datasets.json"

#: The IDC data release the index was made from (the wheel's SQL reads ``idc_v25``).
IDC_RELEASE = "v25"
PACKAGE_LICENCE = 'MIT (idc-index-data, "Copyright 2024 Andrey Fedorov")'
DATA_LICENCE = (
    "NCI Imaging Data Commons' public collection metadata, mirrored from TCIA; each"
    " collection's data licence is its own (the licences field)"
)
#: The TCIA-only DOIs this catalogue must carry (domain facts checked on every build).
MUST_HAVE = {
    "TCGA-GBM": "10.7937/k9/tcia.2016.rnyfuye9",
    "TCGA-LGG": "10.7937/k9/tcia.2016.l4ltd3tk",
}

#: ``NAME (https://doi.org/DOI)`` in a description: a page linked under a name.
_LINKED = re.compile(r"([^\s()]+)\s*\(\s*https?://(?:dx\.)?doi\.org/(10\.[^\s)]+)\s*\)")
_RESTRICTED = re.compile(r"special\s+restrictions\s+on\s+its\s+usage", re.I)


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _unique(values) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def tcia_dois(name: str, description: str | None, hosted: set[str]) -> list[str]:
    """The DOIs the description links under the collection's own name that IDC does not
    host: the collection's pages on TCIA only (lower-cased)."""
    found = []
    for label, doi in _LINKED.findall(description or ""):
        doi = doi.rstrip(".,;").lower()
        if label.casefold() == name.casefold() and doi not in hosted:
            found.append(doi)
    return _unique(found)


def aliases(name: str) -> list[str]:
    """Other spellings of a short title: its hyphens, underscores and spaces as spaces, and
    as hyphens (``TCGA GBM`` for ``TCGA-GBM``, ``NSCLC-Radiogenomics`` for ``NSCLC
    Radiogenomics``)."""
    words = re.split(r"[-_\s]+", name)
    return [v for v in _unique((" ".join(words), "-".join(words))) if v != name]


def record(row: dict) -> dict:
    name = row["collection_name"]
    original = [s for s in row["sources"] or () if s["source_type"] == "original_data"]
    hosted = _unique((s["source_doi"] or "").strip().lower() for s in original)
    tcia = tcia_dois(name, row["description"], set(hosted))
    dois = _unique([*tcia, *hosted])
    supporting = [] if row["supporting_data"] in (None, "None") else _split(row["supporting_data"])
    return {
        "key": name,
        "collection_id": row["collection_id"],
        "program": row["program_id"],
        "cancer_type": row["cancer_types"],
        "locations": _split(row["tumor_locations"]),
        "subjects": row["subjects"],
        "species": row["species"],
        "modalities": sorted({m for s in original for m in _split(s["modalities"])}),
        "dois": dois,
        "tcia_dois": tcia,
        "url": f"https://doi.org/{dois[0]}" if dois else None,
        "titles": sorted(_unique(s["source_title"] for s in original)),
        "licences": sorted(
            _unique((s["license"] or {}).get("license_short_name") for s in original)
        ),
        "supporting": supporting,
        "genomics": "Genomics" in supporting,
        "restricted": bool(_RESTRICTED.search(row["description"] or "")),
        "aliases": aliases(name),
    }


def build(parquet: Path) -> str:
    """The catalogue's text, made from ``parquet``."""
    import pyarrow.parquet as pq  # development only

    data = parquet.read_bytes()
    table = pq.read_table(parquet)
    version = (table.schema.metadata or {}).get(b"idc_index_data_version", b"").decode()
    records = sorted((record(r) for r in table.to_pylist()), key=lambda r: r["key"].casefold())
    for key, doi in MUST_HAVE.items():
        found = next((r for r in records if r["key"] == key), None)
        if found is None or doi not in found["tcia_dois"]:
            raise SystemExit(f"{parquet}: the description of {key} no longer gives {doi}")
    spellings: dict[str, str] = {}
    for r in records:
        for spelling in (r["key"], *r["aliases"]):
            other = spellings.setdefault(spelling.casefold(), r["key"])
            if other != r["key"]:
                raise SystemExit(f"{parquet}: {spelling!r} names both {other} and {r['key']}")
    catalogue = {
        "source": {
            "what": "NCI Imaging Data Commons collection index (collections_index.parquet)",
            "idc_release": IDC_RELEASE,
            "idc_index_data": version,
            "file": parquet.name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "licence": PACKAGE_LICENCE,
            "data": DATA_LICENCE,
            "skipped": "analysis_result sources; descriptions",
            "built_by": "scripts/build_catalogue.py",
        },
        "collections": records,
    }
    return json.dumps(catalogue, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("parquet", nargs="?", type=Path, default=PARQUET)
    parser.add_argument("-o", "--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="compare only; write nothing")
    args = parser.parse_args(argv)
    text = build(args.parquet)
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if same else 'differs from ' + str(args.parquet)}")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
