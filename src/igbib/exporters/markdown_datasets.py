"""The datasets part of the Markdown list, written from the registry.

A dataset the list named whose name, link and description nobody changed since is
written as the list wrote it (its ``line``). Any other (one filled from the catalogue,
edited, or added with ``igbib dataset add``) is written from the registry, in the
list's own style (a heading or an item, ``\\[n\\]`` numbers kept in order): its name
linked to its URL (else its DOI), `` - `` and its description. Then, if it has any,
a line of its facts (cancer type, modalities, subjects, genomic data, licence, linked
papers), which ``igbib import`` reads back into the registry (a paragraph under a
heading, an item under an item).
"""

from __future__ import annotations

import re

from igbib.datasets import facts_line, has_facts
from igbib.ids import doi_url

#: The start of a dataset's line: a heading's ``#``\\ s or an item's marker, and a
#: ``\\[n\\]`` number.
_PREFIX = re.compile(r"^(\s*(?:#{1,6}|[*+-]|\d+[.)]))\s+(\\\[\d+\\\]\s*)?")


def written_as_listed(dataset: dict) -> bool:
    """Whether a dataset is written as the list wrote it (then its facts, if it has any):
    one the catalogue did not fill, whose name, link and description are the list's."""
    return bool(dataset.get("line")) and not dataset.get("key")


class DatasetsPart:
    """Writes the datasets, one document block at a time; the datasets no block writes
    (added to the registry, not named by the list) after the last block."""

    def __init__(self, datasets: list[dict], blocks: int, escape, destination):
        self.listed = iter(d for d in datasets if d["position"] is not None)
        self.unlisted = [d for d in datasets if d["position"] is None]
        self.blocks = blocks
        self.escape, self.destination = escape, destination
        self.number = 0
        self.style = next(
            (m.group(1) for d in datasets if (m := _PREFIX.match(d.get("line") or ""))), "###"
        )
        self.numbered = any(
            (m := _PREFIX.match(d.get("line") or "")) and m.group(2) for d in datasets
        )

    def block(self) -> list[str]:
        """The lines of the next dataset block (the rest after the last)."""
        self.blocks -= 1
        out = []
        dataset = next(self.listed, None)
        if dataset is not None:
            out.extend(self.write(dataset))
        if self.blocks == 0:
            rest, self.unlisted = [*self.listed, *self.unlisted], []
            for dataset in rest:
                out.extend(self.write(dataset))
        return out

    def without_blocks(self) -> list[str]:
        """A datasets part for a list that has none, when the registry has datasets."""
        rest = [*self.listed, *self.unlisted]
        if not rest:
            return []
        self.style, self.numbered = "###", False
        return ["", "## Datasets", *(line for d in rest for line in self.write(d))]

    def write(self, dataset: dict) -> list[str]:
        self.number += 1
        found = _PREFIX.match(dataset.get("line") or "")
        style = found.group(1) if found else self.style
        if written_as_listed(dataset):
            if not has_facts(dataset):
                return [dataset["line"]]
            return [dataset["line"], self.facts(style, dataset)]
        number = f"\\[{self.number}\\] " if self.numbered else ""
        name = self.escape(dataset.get("name") or dataset.get("key") or "")
        url = self.destination(dataset.get("url"))
        if not url and dataset.get("dois"):
            url = self.destination(doi_url(dataset["dois"][0]))
        head = f"[{name}]({url})" if url else name
        if dataset.get("description"):
            head += f" - {self.escape(dataset['description'])}"
        return [f"{style} {number}{head}", self.facts(style, dataset)]

    def facts(self, style: str, dataset: dict) -> str:
        """The facts line: under a heading, a paragraph; under an item, an item of it."""
        facts = self.escape(facts_line(dataset))
        if style.lstrip().startswith("#"):
            return facts
        indent = " " * (len(style) - len(style.lstrip()) + 2)
        return f"{indent}* {facts}"
