"""Automatic topic tags: the rules of :mod:`igbib.topics` applied to papers.

``igbib tag --auto [QUERY]`` computes the tags again for the papers chosen (all of
them without a query): it gives the tags the rules now give and takes off the
automatic tags they no longer give. A curator's tag of the same name wins (it is
never given twice, never taken off), and a topic tag a curator took off is kept as
``rejected`` and never given back (:mod:`igbib.store.tags`).

``import``, ``add`` and ``refresh`` tag the papers they touch, in their own
transaction (:func:`update_touched`); when the rules changed since the library's
auto tags were last computed (the digest in ``meta``, key ``topic_rules``), they
compute every paper's again, and say so.
"""

from __future__ import annotations

from igbib.store.tags import AUTO, CURATOR, REJECTED
from igbib.topics import AXES, META_KEY, Rules, load_rules, match, split_tag


def tag_order(tag: str):
    """How topic tags are listed (``tag --auto``, ``tags``): by axis (:data:`AXES` order),
    then by value; a tag on no axis last."""
    found = split_tag(tag)
    if found is None:
        return len(AXES), tag.casefold(), tag
    return AXES.index(found[0]), found[1].casefold(), tag


_BATCH = 500


class PaperTags:
    """What the rules did to one paper: tags ``added`` and ``removed``, and the evidence
    for each automatic tag it has after (``evidence``), and those a curator ``holds``
    (as their own) or ``rejected``."""

    __slots__ = ("id", "citekey", "added", "removed", "evidence", "holds", "rejected")

    def __init__(self, paper):
        self.id, self.citekey = paper.id, paper.citekey
        self.added: list[str] = []
        self.removed: list[str] = []
        self.evidence: dict[str, list[str]] = {}
        self.holds: list[str] = []
        self.rejected: list[str] = []

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "citekey": self.citekey,
            "added": self.added,
            "removed": self.removed,
            "auto_tags": self.evidence,
            "curator_has": self.holds,
            "rejected": self.rejected,
        }


class AutoTags:
    """What applying the rules did: each paper's :class:`PaperTags`, and whether every
    paper was computed again (``everything``) and why (``reason``)."""

    def __init__(self, rules: Rules, dry_run: bool = False):
        self.rules = rules
        self.dry_run = dry_run
        self.papers: list[PaperTags] = []
        self.everything = False
        self.reason = ""
        self.touched = 0  # the papers a command touched (import, add, refresh)

    @property
    def changed(self) -> list[PaperTags]:
        return [p for p in self.papers if p.added or p.removed]

    def by_tag(self) -> dict[str, dict[str, list[str]]]:
        """Tag -> {"added": citekeys, "removed": citekeys}, by axis then value (as
        ``igbib tags`` lists them)."""
        out: dict[str, dict[str, list[str]]] = {}
        for paper in self.papers:
            for kind in ("added", "removed"):
                for tag in getattr(paper, kind):
                    entry = out.setdefault(tag, {"added": [], "removed": []})
                    entry[kind].append(paper.citekey)
        return {tag: out[tag] for tag in sorted(out, key=self.sort_key)}

    @staticmethod
    def sort_key(tag: str):
        return tag_order(tag)

    def counts(self) -> tuple[int, int]:
        """(tags added, tags removed), over every paper."""
        return sum(len(p.added) for p in self.papers), sum(len(p.removed) for p in self.papers)

    def removed_tags(self) -> str:
        """The tags taken off and from how many papers: ``target/alk (1), site/brain (2)``."""
        return ", ".join(
            f"{tag} ({len(done['removed'])})"
            for tag, done in self.by_tag().items()
            if done["removed"]
        )

    def summary(self) -> str:
        """One line for the report of import, add and refresh ('' when nothing changed)."""
        added, removed = self.counts()
        if not added and not removed and not (self.everything and self.touched < len(self.papers)):
            return ""
        papers = len(self.changed)
        line = f"Auto tags: {added} added, {removed} removed, on {papers} paper"
        line += "s" * (papers != 1)
        if self.everything and self.reason and (len(self.papers) > self.touched or removed):
            line += f" ({self.reason}: every paper's tags computed again)"
        if removed:
            line += f"; removed: {self.removed_tags()}"
        return line + "."

    def to_dict(self) -> dict:
        added, removed = self.counts()
        return {
            "dry_run": self.dry_run,
            "rules": {"digest": self.rules.digest(), "files": self.rules.sources},
            "papers": len(self.papers),
            "recomputed_all": self.everything,
            "reason": self.reason or None,
            "added": added,
            "removed": removed,
            "tags": self.by_tag(),
            "changed": [p.to_dict() for p in self.papers if p.added or p.removed],
        }


def auto_tag(library, ids: list[int] | None = None, *, dry_run: bool = False, rules=None):
    """Compute the automatic tags again for the papers ``ids`` (every paper when
    ``None``), in one transaction (none with ``dry_run``); return :class:`AutoTags`."""
    rules = rules if rules is not None else load_rules()
    result = AutoTags(rules, dry_run)
    result.everything = ids is None
    result.reason = _changed(library, rules)
    if dry_run:
        _apply(library, ids, result, write=False)
        return result
    with library.transaction():
        _apply(library, ids, result, write=True)
    return result


def update_touched(library, ids: list[int], rules: Rules, *, write: bool = True) -> AutoTags:
    """Inside an open transaction: the automatic tags of the papers a command touched, or
    of every paper when the rules changed since they were last computed."""
    result = AutoTags(rules, dry_run=not write)
    result.touched = len(set(ids))
    result.reason = _changed(library, rules)
    if result.reason:
        result.everything = True
        ids = None
    _apply(library, ids, result, write=write)
    return result


#: The rules digest's place holder once papers changed without their automatic tags.
STALE = "stale"
#: The fields the topic rules read: a change to them makes a paper's automatic tags stale.
READ_FIELDS = frozenset({"title", "abstract", "keywords", "mesh", "concepts"})


def mark_stale(library) -> None:
    """Papers changed without their automatic tags being computed (``--no-auto-tags``, an
    edit): the next command that applies the rules computes every paper's again."""
    if library.get_meta(META_KEY):
        library.set_meta(META_KEY, STALE)


def _changed(library, rules: Rules) -> str:
    """Why every paper's tags are due to be computed again ('' when they are not)."""
    stored = library.get_meta(META_KEY)
    if stored == rules.digest():
        return ""
    if stored == STALE:
        return "papers changed without their automatic tags since they were computed"
    return "the topic rules changed" if stored else "the topic rules were never applied here"


def _apply(library, ids: list[int] | None, result: AutoTags, *, write: bool) -> None:
    if ids is None:
        ids = library.paper_ids()
    ids = list(dict.fromkeys(ids))
    rules = result.rules
    tag_ids: dict[str, int] = {}  # tag (case folded) -> id: each looked up once a run

    def ids_of(pairs):
        missing = {tag for _, tag in pairs if tag.casefold() not in tag_ids}
        if missing:
            tag_ids.update(library.tag_ids(missing))
        return [(paper_id, tag_ids[tag.casefold()]) for paper_id, tag in pairs]

    for start in range(0, len(ids), _BATCH):
        chunk = ids[start : start + _BATCH]
        origins = library.tag_origins(chunk)
        added, removed = [], []
        for paper in library.get_papers(chunk):
            done = _paper(paper, match(paper, rules), origins.get(paper.id, {}))
            result.papers.append(done)
            added.extend((paper.id, tag) for tag in done.added)
            removed.extend((paper.id, tag) for tag in done.removed)
        if write and removed:
            library.remove_auto_tags(ids_of(removed))
        if write and added:
            library.set_auto_tags(ids_of(added))
    if write:
        library.delete_unused_tags()
        if result.everything:
            library.set_meta(META_KEY, rules.digest())


def _paper(paper, wanted: dict[str, list[str]], origins: dict[str, str]) -> PaperTags:
    """What the rules' ``wanted`` tags (with their evidence) change for a paper whose tags
    have these ``origins``."""
    done = PaperTags(paper)
    had = {name.casefold(): (name, origin) for name, origin in origins.items()}
    for tag, evidence in wanted.items():
        name, origin = had.get(tag.casefold(), (tag, None))
        if origin is None:
            done.added.append(tag)
            done.evidence[tag] = evidence
        elif origin == AUTO:
            done.evidence[name] = evidence
        elif origin == CURATOR:
            done.holds.append(name)
        elif origin == REJECTED:
            done.rejected.append(name)
    wanted_keys = {tag.casefold() for tag in wanted}
    done.removed = [
        name
        for name, origin in origins.items()
        if origin == AUTO and name.casefold() not in wanted_keys
    ]
    return done
