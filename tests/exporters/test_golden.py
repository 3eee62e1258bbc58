"""Golden files: every export format of a small library built from real records.

The library: five papers of the seed list, three PubMed records and two Crossref
records parsed from the recorded responses. Set IGBIB_UPDATE_GOLDEN=1 to rewrite the
files after an intended change, then read the diff before committing it.
"""

import json
import os
from pathlib import Path

import pytest
from conftest import DOI, NCBI, SEED

from igbib.csl import paper_from_csl
from igbib.exporters import FORMATS, Options, render
from igbib.importers import Entry, ParsedFile, parse_file
from igbib.ops.ingest import import_parsed
from igbib.search import search
from igbib.sources.pubmed import parse_efetch
from igbib.store import Library

GOLDEN = Path(__file__).resolve().parent / "golden"
SUFFIX = {
    "md": "md",
    "bibtex": "bib",
    "biblatex": "biblatex.bib",
    "csljson": "csl.json",
    "ris": "ris",
    "csv": "csv",
    "json": "json",
    "text": "txt",
    "html": "html",
}
VOLATILE = ("added", "updated", "id")


@pytest.fixture
def small_library(tmp_path):
    seed = parse_file(SEED)
    wanted = {"24827998", "27009765", "PMC4141648", "10.1038/ncomms5006"}
    seed.entries = [e for e in seed.entries if wanted & set(e.paper.identifiers().values())]
    online = [
        *parse_efetch((NCBI / "hawc_TestPubMedFetch.test_multiquery.i0.body.xml").read_bytes()),
        *[
            paper_from_csl(json.loads((DOI / name).read_text())["message"], "crossref")
            for name in (
                "habanero-2026_works_with_many_ids.body3.json",
                "commonmeta_crossref_book_chapter.body2.json",
            )
        ],
    ]
    with Library.open(tmp_path / "small.sqlite", write=True) as library:
        import_parsed(library, seed, SEED.name)
        import_parsed(library, ParsedFile("online", [Entry(p, 0) for p in online]), "online")
        yield library


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(small_library, fmt):
    papers = search(small_library, "", sort="section")
    assert len(papers) == 5 + 5
    text = render(fmt, papers, Options(), small_library)
    if fmt == "json":
        records = json.loads(text)
        for record in records:
            for key in VOLATILE:
                record.pop(key)
        text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        text = "\n".join(line.split(",", 1)[1] for line in text.splitlines()) + "\n"
    golden = GOLDEN / f"library.{SUFFIX[fmt]}"
    if os.environ.get("IGBIB_UPDATE_GOLDEN"):
        golden.write_text(text)
    assert text == golden.read_text()
