"""The one merge policy: what a record may change in a paper the library holds.

Used whenever a record meets a stored paper: a file import, a paper listed
twice, ``igbib add --update``, ``igbib refresh`` and ``refresh --accept``.

- **Empty** is ``None``, ``""``, ``[]`` or ``{}`` (:func:`empty`). An empty value
  never replaces anything.
- **Never overwritten:** the curated fields (citekey, note, sections, tags,
  flags: they are not :data:`~igbib.model.METADATA_FIELDS`) and the identifiers
  (a stored PMID, DOI, PMCID or arXiv id is only ever filled in, never replaced:
  a different one is a conflict to flag, not a correction).
- **Which value wins:** a record from a source at least as good as the paper's
  own (:data:`SOURCE_RANK`: Markdown < BibTeX, RIS, CSL-JSON < PubMed, Crossref)
  replaces its values; a weaker one, or any record merged with ``fill_only``
  (a second listing, a refresh), only fills the gaps. Fields unknown to igbib
  (``extra``) are merged key by key, the winner's on top. The entry type changes
  only by a stronger record that knows it (a Markdown list does not).
- **Authors** go with their ``et_al``. A list cut short (``Gevaert et al.``) is
  replaced by a fuller one (longer, or as long and complete) whose first author
  is the same person, whichever wins.
- **The listing** (how the Markdown list wrote the entry) is the list's to
  change: a new listing replaces the stored one, except when filling gaps.
- **The source** becomes the record's when it changed something and ranks at
  least as high.
"""

from __future__ import annotations

from igbib.ids import KINDS
from igbib.model import METADATA_FIELDS, Paper
from igbib.ops.match import same_listing, same_person

SOURCE_RANK = {"markdown": 1, "bibtex": 2, "csljson": 2, "ris": 2, "pubmed": 3, "crossref": 3}
#: Changes made along with others, not worth naming in a report.
_UNREPORTED = frozenset({"et_al", "source", "updated"})


def empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def ranks_at_least(incoming: Paper, stored: Paper) -> bool:
    return SOURCE_RANK.get(incoming.source, 0) >= SOURCE_RANK.get(stored.source, 0)


def merge_changes(stored: Paper, incoming: Paper, *, fill_only: bool = False) -> dict:
    """The column changes that bring ``incoming``'s knowledge into ``stored`` (see above)."""
    wins = not fill_only and ranks_at_least(incoming, stored)
    changes: dict = {}
    for name in METADATA_FIELDS:
        new, old = getattr(incoming, name), getattr(stored, name)
        if name != "et_al" and not empty(new) and new != old:
            value = _merged(name, new, old, wins, incoming.source)
            if value is not _KEEP:
                changes[name] = value
    if "authors" not in changes and _completes(incoming, stored):
        changes["authors"] = incoming.authors
    if "authors" in changes or (wins and incoming.et_al != stored.et_al and incoming.authors):
        changes["et_al"] = incoming.et_al
        changes.setdefault("authors", incoming.authors)
    listing = incoming.listed
    if not fill_only and listing is not None and not same_listing(listing, stored.listed):
        changes["listed"] = listing
    elif "authors" in changes and listing and stored.listed:
        # the paper listed again, its authors in full this time: the list is written back
        # with the names it gave (``export -f md``), not cut to the first listing's
        count = listing.get("author_count") or 0
        if count > (stored.listed.get("author_count") or 0):
            changes["listed"] = {**stored.listed, "author_count": count}
    if changes and ranks_at_least(incoming, stored) and incoming.source != stored.source:
        changes["source"] = incoming.source
    return changes  # never the citekey: a stored key does not change


_KEEP = object()


def _merged(name: str, new, old, wins: bool, source: str):
    """The value field ``name`` takes when ``new`` meets ``old``; ``_KEEP``: it keeps ``old``."""
    if name in KINDS:  # identifiers are only ever filled in
        return new if empty(old) else _KEEP
    if name == "extra":
        combined = {**old, **new} if wins else {**new, **old}
        return combined if combined != old else _KEEP
    if name == "entry_type":  # a Markdown list says nothing of the type
        return new if wins and source != "markdown" else _KEEP
    return new if wins or empty(old) else _KEEP


def _completes(incoming: Paper, stored: Paper) -> bool:
    """``incoming``'s authors are a fuller list of ``stored``'s, led by the same person."""
    new, old = incoming.authors, stored.authors
    if not new or not old:
        return False
    fuller = len(new) > len(old) or (stored.et_al and not incoming.et_al and len(new) == len(old))
    return fuller and same_person(old[0], new[0])


def reported_fields(changes: dict) -> list[str]:
    """The names a report gives for ``changes`` (a changed listing is "listing")."""
    names = [k for k in changes if k not in _UNREPORTED]
    return [n for n in names if n != "listed"] or ["listing"]


def with_changes(paper: Paper, changes: dict) -> Paper:
    """A copy of ``paper`` with ``changes`` made (``paper`` itself when there are none)."""
    if not changes:
        return paper
    merged = Paper(**paper.to_dict())
    for key, value in changes.items():
        setattr(merged, key, value)
    return merged
