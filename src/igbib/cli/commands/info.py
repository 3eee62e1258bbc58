"""``igbib info``: which library is in use, and what it holds."""

from __future__ import annotations

import os

from igbib.cli import output
from igbib.cli.common import open_library
from igbib.cli.spec import DB, JSON, Command

COMMAND = Command(
    "info",
    "Which library is in use and why, its schema version and what it holds.",
    (JSON, DB),
    example="igbib info --json",
)

_LABELS = {
    "path": "library",
    "chosen_by": "chosen by",
    "schema_version": "schema version",
    "igbib_version": "igbib version",
    "missing_pmid": "papers without a PMID",
    "missing_doi": "papers without a DOI",
    "missing_identifier": "papers without any identifier",
    "flagged": "flagged papers",
    "size_bytes": "size (bytes)",
    "candidates": "candidates (igbib screen)",
    "watches": "watches",
    "list_source": "list imported from",
}


def run(as_json=False, db=None) -> None:
    from igbib import __version__
    from igbib.locate import find_library

    path, how = find_library(db)
    with open_library(db) as library:
        data = {
            "path": os.path.abspath(path),
            "chosen_by": how,
            "schema_version": library.schema_version,
            "igbib_version": __version__,
            **library.counts(),
            **_screening(library),
            "size_bytes": os.path.getsize(path),
            "list_source": library.get_meta("list_source"),
        }
    if as_json:
        output.print_json(data)
        return
    width = max(len(_LABELS.get(k, k)) for k in data)
    for key, value in data.items():
        if value is not None:
            print(f"{_LABELS.get(key, key).ljust(width)}  {value}")


def _screening(library) -> dict:
    """The screening queue and the watches, when there are any (else not shown)."""
    counts = library.candidate_counts()
    total = sum(counts.values())
    watches = len(library.watches())
    said = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    return {
        "candidates": f"{total}: {said}" if total else None,
        "watches": watches or None,
    }
