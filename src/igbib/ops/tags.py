"""Tagging papers: add and remove tags, by name, without regard to case.

``igbib tag REF... +glioma -review``: every change is one transaction. Removing a
tag a paper does not have is reported, not an error; a tag no paper has any more
is deleted, so ``igbib tags`` lists only tags in use.
"""

from __future__ import annotations

from igbib.errors import UsageError
from igbib.model import Paper
from igbib.ops.edit import resolve_all


class Tagged:
    """What tagging did to one paper: the tags ``added``, those it ``had`` already,
    those ``removed``, those it did not have (``absent``), and its tags after."""

    __slots__ = ("paper", "added", "had", "removed", "absent", "tags")

    def __init__(self, paper: Paper):
        self.paper = paper
        self.added: list[str] = []
        self.had: list[str] = []
        self.removed: list[str] = []
        self.absent: list[str] = []
        self.tags: list[str] = []

    def to_dict(self) -> dict:
        return {
            "id": self.paper.id,
            "citekey": self.paper.citekey,
            "added": self.added,
            "already": self.had,
            "removed": self.removed,
            "absent": self.absent,
            "tags": self.tags,
        }


def parse_words(words: list[str]) -> tuple[list[str], list[str], list[str]]:
    """``(refs, to add, to remove)`` from ``REF... +TAG -TAG``: the references come
    first; every word after them starts with ``+`` (add) or ``-`` (remove)."""
    refs: list[str] = []
    add: dict[str, str] = {}
    remove: dict[str, str] = {}
    for word in words:
        sign, name = word[:1], " ".join(word[1:].split())
        if sign not in ("+", "-"):
            if add or remove:
                raise UsageError(
                    f"{word!r} after the tags: write +{word} to add it or -{word} to remove it"
                    " (references come first)"
                )
            refs.append(word)
            continue
        if not name or name[0] in "+-":
            raise UsageError(f"{word!r} names no tag (write +TAG or -TAG)")
        key = name.casefold()
        if key in (remove if sign == "+" else add):
            raise UsageError(f"tag {name!r} is both added and removed")
        (add if sign == "+" else remove).setdefault(key, name)
    if not refs:
        raise UsageError("missing REF: the papers to tag, before the tags")
    if not add and not remove:
        raise UsageError("no tags given: write +TAG to add a tag, -TAG to remove one")
    return refs, list(add.values()), list(remove.values())


def tag(library, refs: list[str], add: list[str], remove: list[str]):
    """Add and remove tags on the papers ``refs`` name, in one transaction.

    Returns ``(one Tagged a paper, the tags deleted because no paper has them)``.
    """
    with library.transaction():
        papers = resolve_all(library, refs)
        results = []
        for paper in papers:
            result = Tagged(paper)
            has = {t.casefold() for t in paper.tags}
            for name in add:
                (result.had if name.casefold() in has else result.added).append(name)
            for name in remove:
                (result.removed if name.casefold() in has else result.absent).append(name)
            library.add_tags([paper.id], result.added)
            library.remove_tags([paper.id], result.removed)
            results.append(result)
        deleted = library.delete_unused_tags()
    for result, after in zip(results, library.get_papers([p.id for p in papers]), strict=True):
        result.tags = after.tags
    return results, deleted


def counts(library) -> list[tuple[str, int]]:
    """Every tag with how many papers have it, in alphabetical order."""
    return library.tag_counts()
