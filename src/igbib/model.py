"""The paper record igbib stores, and small pure helpers on it.

``Paper`` is a plain slotted class rather than a dataclass: ``igbib search``
must start fast, and importing :mod:`dataclasses` alone costs more than
SQLite, JSON and the search together. The class does no I/O.

Authors are an ordered list of dicts, each ``{"family": ..., "given": ...}``
for a person or ``{"literal": ...}`` for a collective name (a consortium, a
working group), the shape CSL-JSON uses. Flags are ``{"code": ..., "reason": ...}``.
``concepts`` are the MeSH concepts a PubMed record gives, each ``{"ui", "name", "kind"}``
(``descriptor``, with ``major``; ``supplementary``; ``chemical``); ``mesh`` keeps the
descriptors' names. ``tags`` are a curator's; ``auto_tags`` those the topic rules gave
(:mod:`igbib.topics`), kept apart.
"""

from __future__ import annotations

import re
import unicodedata

#: Every field of a paper, in the order ``--json`` prints them.
FIELDS = (
    "id",
    "citekey",
    "entry_type",
    "title",
    "authors",
    "et_al",
    "journal",
    "year",
    "month",
    "volume",
    "issue",
    "pages",
    "pmid",
    "doi",
    "pmcid",
    "arxiv",
    "url",
    "abstract",
    "keywords",
    "mesh",
    "concepts",
    "pub_types",
    "language",
    "publisher",
    "note",
    "extra",
    "source",
    "added",
    "updated",
    "flags",
    "listed",
    "sections",
    "tags",
    "auto_tags",
)

#: The entry types a paper may have: BibTeX's and biblatex's (what the exporters write them
#: as is :mod:`igbib.exporters.bibtex`'s business).
ENTRY_TYPES = frozenset(
    "article book booklet inbook incollection inproceedings conference manual mastersthesis"
    " misc phdthesis proceedings techreport unpublished online report thesis dataset software"
    " collection mvbook bookinbook suppbook periodical suppperiodical patent preprint"
    " reference inreference".split()
)

#: Fields about curation and bookkeeping rather than the work itself.
CURATION_FIELDS = frozenset(
    [
        "id",
        "citekey",
        "note",
        "source",
        "added",
        "updated",
        "flags",
        "listed",
        "sections",
        "tags",
        "auto_tags",
    ]
)
#: Fields that hold metadata about the work itself.
METADATA_FIELDS = tuple(f for f in FIELDS if f not in CURATION_FIELDS)
_FRESH_LISTS = (
    "authors",
    "keywords",
    "mesh",
    "concepts",
    "pub_types",
    "flags",
    "sections",
    "tags",
    "auto_tags",
)
_DEFAULTS = tuple(
    (name, {"entry_type": "article", "et_al": False}.get(name))
    for name in FIELDS
    if name not in _FRESH_LISTS and name != "extra"
)


class Paper:
    """One bibliographic record. Unknown keyword arguments are an error.

    ``extra`` holds what a record gives that igbib does not model (a BibTeX
    ``address``, an ISSN), and it is also the **error channel** of the
    importers and sources: a value the record gives for a modelled field but
    that is not valid is never dropped and never stored in the field. It is
    kept, as the record wrote it, under the field's own name, and the field
    stays empty:

    - ``extra["year"]``: a year that is not one (``0201``), put there by
      :func:`igbib.normalize.set_year`;
    - ``extra["pmid"]``, ``extra["pmcid"]``, ``extra["doi"]``,
      ``extra["arxiv"]``: an identifier that is not one of its kind, put there
      by :func:`igbib.ids.set_identifiers`;
    - ``extra["month"]``: a month that is not one (BibTeX's ``month = {Spring}``).

    :func:`igbib.ops.flags.paper_flags` turns them into flags a curator can act on
    (``bad-year``; ``bad-identifier`` for a PMID, PMCID or DOI), and fixing the
    field clears them. A Markdown list keeps its raw year in ``listed["year"]``
    instead (the listing is written back as it was); flags read both.
    """

    __slots__ = FIELDS

    # __init__ is generated below: explicit assignments are several times faster
    # than a loop of setattr calls, and imports stay free of dataclasses.

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in FIELDS}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Paper) and self.to_dict() == other.to_dict()

    __hash__ = None  # mutable

    def __repr__(self) -> str:
        return f"Paper(id={self.id!r}, citekey={self.citekey!r}, title={self.title!r})"

    def identifiers(self) -> dict[str, str]:
        found = {}
        if self.pmid:
            found["pmid"] = self.pmid
        if self.doi:
            found["doi"] = self.doi
        if self.pmcid:
            found["pmcid"] = self.pmcid
        if self.arxiv:
            found["arxiv"] = self.arxiv
        return found

    def subject_terms(self) -> list[str]:
        """Keywords then MeSH terms, each once (what exports call keywords)."""
        return list(dict.fromkeys([*self.keywords, *self.mesh]))

    @property
    def first_author(self) -> str:
        return author_family(self.authors[0]) if self.authors else ""


def _make_init():
    params, body = [], []
    for name in FIELDS:
        if name in _FRESH_LISTS or name == "extra":
            params.append(f"{name}=None")
            empty = "{}" if name == "extra" else "[]"
            body.append(f"    self.{name} = {empty} if {name} is None else {name}")
        else:
            params.append(f"{name}={dict(_DEFAULTS)[name]!r}")
            body.append(f"    self.{name} = {name}")
    source = f"def __init__(self, *, {', '.join(params)}):\n" + "\n".join(body)
    namespace: dict = {}
    exec(source, namespace)  # noqa: S102 - fixed source built from FIELDS above
    return namespace["__init__"]


Paper.__init__ = _make_init()


def author_family(author: dict) -> str:
    return author.get("family") or author.get("literal") or ""


def author_full(author: dict) -> str:
    """``Family, Given`` (``Lee, Tom, Jr.`` with a suffix), or a collective name."""
    if "literal" in author:
        return author["literal"]
    parts = [author.get("family", ""), author.get("given", "")]
    if author.get("suffix"):
        parts.append(author["suffix"])
    return ", ".join(parts) if len(parts) > 2 or parts[1] else parts[0]


def authors_short(authors: list[dict], et_al: bool = False) -> str:
    """``Gevaert et al.``, ``Smith and Jones``, ``Smith`` (the awesome-list form)."""
    if not authors:
        return ""
    first = author_family(authors[0])
    if et_al or len(authors) > 2:
        return f"{first} et al."
    if len(authors) == 2:
        return f"{first} and {author_family(authors[1])}"
    return first


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` (``Müller`` -> ``muller``)."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_NOT_ALNUM = re.compile(r"[\W_]+")
#: The ASCII characters ``_NOT_ALNUM`` matches, to delete from an ASCII title with translate.
_ASCII_NOT_ALNUM = dict.fromkeys(i for i in range(128) if _NOT_ALNUM.match(chr(i)))


def title_key(title: str | None) -> str:
    """A title reduced to letters and digits, for deciding that two titles are one."""
    if not title:
        return ""
    if title.isascii():  # most titles: the same key, three times as fast
        return title.lower().translate(_ASCII_NOT_ALNUM)  # ASCII: lower() is casefold()
    return _NOT_ALNUM.sub("", fold(title))


def titles_match(a: str | None, b: str | None) -> bool:
    """True when two titles name the same work.

    Equal once case, accents, punctuation and spacing are ignored, or nearly
    equal (a fixed typo, a dropped subtitle word): a similarity of 0.9 or more.
    """
    ka, kb = title_key(a), title_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    shorter, longer = sorted((len(ka), len(kb)))
    if shorter < 0.8 * longer:
        return False
    from difflib import SequenceMatcher

    return SequenceMatcher(None, ka, kb, autojunk=False).ratio() >= 0.9


def similar_titles(a: str | None, b: str | None) -> bool:
    """Whether two titles may name one work, as ``igbib merge`` asks before merging:
    either missing, or alike once folded (a preprint and its published version, a
    subtitle dropped, a typo), looser than :func:`titles_match`, which decides alone."""
    if not a or not b:
        return True
    x, y = title_key(a), title_key(b)
    if x == y:
        return True
    from difflib import SequenceMatcher

    return SequenceMatcher(None, x, y, autojunk=False).ratio() >= 0.6
