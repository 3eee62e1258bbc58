"""A library of papers whose every text field tries to break out of the page."""

from __future__ import annotations

from igbib.model import Paper
from igbib.store import Library

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
CLOSE = "</script><script>alert(2)</script>"
QUOTES = "it's \"quoted\" & 'single' `back`"
SEPARATORS = "line\u2028separator\u2029paragraph"

#: title -> the other fields of its paper
PAPERS = {
    f"Radiomics {SCRIPT} of glioma": {
        "authors": [{"family": IMG, "given": "Eve"}, {"family": "Müller", "given": "Jörg"}],
        "journal": CLOSE,
        "year": 2019,
        "pmid": "31000001",
        "note": f"{QUOTES} {SEPARATORS}",
        "keywords": [f"kw {SCRIPT}"],
    },
    IMG: {
        "authors": [{"literal": CLOSE}],
        "journal": QUOTES,
        "year": 2020,
        "doi": '10.1000/x<y>"z"#1',
        "note": IMG,
    },
    CLOSE: {
        "authors": [{"family": "Doe"}],
        "et_al": True,
        "journal": "J",
        "year": 2021,
        "url": "javascript:alert(3)",
    },
    f"{QUOTES} {SEPARATORS}": {
        "authors": [{"family": "Roe"}],
        "url": "data:text/html,<script>alert(4)</script>",
    },
    "A plain title": {"authors": [{"family": "Poe"}], "url": " JavaScript:alert(5)"},
}
#: every hostile string, each of which must come out as text
STRINGS = (SCRIPT, IMG, CLOSE, QUOTES, SEPARATORS)


def hostile_library(path) -> Library:
    """A library (open for writing) with :data:`PAPERS`, a hostile section and a hostile tag."""
    papers = [
        Paper(
            citekey=f"hostile{i}",
            title=title,
            source="bibtex",
            added="2026-01-01T00:00:00+00:00",
            updated="2026-01-01T00:00:00+00:00",
            **fields,
        )
        for i, (title, fields) in enumerate(PAPERS.items())
    ]
    library = Library.open(path, write=True)
    with library.transaction():
        ids = library.insert_papers(papers)
        section = library.ensure_section(f"Section {IMG}", "heading:2")
        library.append_placements(section, ids[:3])
        library.add_tags(ids[:2], [SCRIPT])
    return library
