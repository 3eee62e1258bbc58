"""The Markdown reading-list importer (see :mod:`igbib.importers.lists`)."""

from __future__ import annotations

from igbib.importers import ParsedFile


def looks_like_awesome_list(text: str) -> bool:
    """True when at least one item of the text reads as a paper."""
    from igbib.importers.lists.document import looks_like_list

    return looks_like_list(text)


def parse_markdown(text: str) -> ParsedFile:
    from igbib.importers.lists.document import parse_list

    return parse_list(text)
