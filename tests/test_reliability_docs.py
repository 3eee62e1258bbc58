"""The reliability matrix stays true: every test a row names exists.

A row names tests as `` `tests/PATH.py::name` ``, and further tests of the same file as
`` `::name` ``.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?::(\w+)`")


def references(text: str):
    for line in text.splitlines():
        if not line.startswith("|"):
            continue
        path = None
        for match in REFERENCE.finditer(line):
            path = match.group(1) or path
            assert path is not None, f"a test without its file: {line}"
            yield path, match.group(2)


def test_every_test_the_reliability_matrix_names_exists():
    pages = sorted((ROOT / "docs").glob("reliability*.md"))
    assert pages
    named = [ref for page in pages for ref in references(page.read_text(encoding="utf-8"))]
    assert len(named) > 40
    missing = [
        f"{path}::{name}"
        for path, name in named
        if not (ROOT / path).exists()
        or not re.search(rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), re.M)
    ]
    assert missing == []
