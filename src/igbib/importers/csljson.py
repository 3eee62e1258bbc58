"""The CSL-JSON importer: what Zotero, Pandoc and citation processors exchange."""

from __future__ import annotations

import json

from igbib import ids
from igbib.errors import ImportFileError
from igbib.importers import Entry, ParsedFile


def looks_like_csljson(text: str) -> bool:
    head = text.lstrip()[:1]
    if head not in ("[", "{"):
        return False
    try:
        data = json.loads(text)
    except ValueError:
        return False
    items = data if isinstance(data, list) else [data]
    return bool(items) and all(isinstance(i, dict) and "type" in i for i in items[:5])


def parse_csljson(text: str) -> ParsedFile:
    from igbib.csl import paper_from_csl

    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ImportFileError(f"not valid JSON ({exc})") from None
    items = data if isinstance(data, list) else [data]
    if not any(isinstance(i, dict) and "type" in i for i in items):
        raise ImportFileError('is JSON but not CSL-JSON (no item has a "type")')
    parsed = ParsedFile(format="csljson")
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not (item.get("title") or item.get("DOI")):
            parsed.failed.append((index, f"item {index} has no title"))
            continue
        paper = paper_from_csl(item, "csljson")
        paper.citekey = str(item.get("id")) if item.get("id") else None
        paper.extra.pop("type", None)
        if item.get("type") == "article":  # CSL's type for preprints
            paper.entry_type, paper.pub_types = "misc", ["preprint"]
        number = str(item.get("number") or "")
        if number.lower().startswith("arxiv:"):
            ids.set_identifiers(paper, {"arxiv": number})
        parsed.entries.append(Entry(paper=paper, line=index))
    return parsed
