"""Tagging papers: add and remove tags, by name, without regard to case.

``igbib tag REF... +glioma -review``: every change is one transaction. Removing a
tag a paper does not have is reported, not an error; a tag no paper has any more
is deleted, so ``igbib tags`` lists only tags in use.

A tag given by hand is the curator's, even one the topic rules gave before. A topic
tag (``AXIS/VALUE``, :mod:`igbib.topics`) taken off by hand, when the rules gave it
(it is an automatic tag of the paper's) or would give it, is remembered as
rejected, so that ``igbib tag --auto`` never gives it back; giving it again by hand
makes it the curator's. Any other tag taken off is simply gone.
"""

from __future__ import annotations

from igbib.errors import UsageError
from igbib.model import Paper
from igbib.ops.edit import resolve_all
from igbib.topics import load_rules, match, split_tag


class Tagged:
    """What tagging did to one paper: the tags ``added``, those it ``had`` already,
    those ``removed``, those it did not have (``absent``), and its tags after (a
    curator's, ``tags``; the topic rules', ``auto_tags``)."""

    __slots__ = ("paper", "added", "had", "removed", "absent", "tags", "auto_tags")

    def __init__(self, paper: Paper):
        self.paper = paper
        self.added: list[str] = []
        self.had: list[str] = []
        self.removed: list[str] = []
        self.absent: list[str] = []
        self.tags: list[str] = []
        self.auto_tags: list[str] = []

    def to_dict(self) -> dict:
        return {
            "id": self.paper.id,
            "citekey": self.paper.citekey,
            "added": self.added,
            "already": self.had,
            "removed": self.removed,
            "absent": self.absent,
            "tags": self.tags,
            "auto_tags": self.auto_tags,
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
        rules = None
        for paper in papers:
            result = Tagged(paper)
            mine = {t.casefold() for t in paper.tags}
            has = mine | {t.casefold() for t in paper.auto_tags}
            for name in add:  # an automatic tag given by hand becomes the curator's
                (result.had if name.casefold() in mine else result.added).append(name)
            for name in remove:
                (result.removed if name.casefold() in has else result.absent).append(name)
            library.add_tags([paper.id], result.added)
            auto = {t.casefold() for t in paper.auto_tags}
            topic_tags = [n for n in result.removed if split_tag(n) and n.casefold() not in auto]
            if topic_tags:  # a curator's topic tag: remembered if the rules would give it
                rules = rules if rules is not None else load_rules()
                given = {t.casefold() for t in match(paper, rules)}
                topic_tags = [name for name in topic_tags if name.casefold() in given]
            remember = [n for n in result.removed if n.casefold() in auto] + topic_tags
            library.remove_tags([paper.id], result.removed, remember=remember)
            results.append(result)
        deleted = library.delete_unused_tags()
    for result, after in zip(results, library.get_papers([p.id for p in papers]), strict=True):
        result.tags, result.auto_tags = after.tags, after.auto_tags
    return results, deleted


def counts(library) -> list[tuple[str, int]]:
    """Every curator's tag with how many papers have it, in alphabetical order."""
    return library.tag_counts()


def counts_by_origin(library) -> list[tuple[str, int, int]]:
    """Every tag: ``(name, papers with it as a curator's, papers with it automatically)``."""
    return library.tag_counts_by_origin()


def papers_per_axis(library) -> dict[str, int]:
    """Axis -> how many papers the topic rules gave a tag of that axis."""
    from igbib.store.tags import AUTO

    return library.papers_per_axis(AUTO)
