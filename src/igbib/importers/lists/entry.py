"""One item of a reading list, read as a paper or reported as something else.

:func:`read` takes an item's inline content (a :class:`~.inline.Run`) and says
what it is: one or more papers (:class:`Found`), or not a paper with the kind
and the reason (:class:`Other`), or nothing at all when it carries no link (prose).

How an item is read, in order:

1. its links are sorted by what their label says (``[pdf]`` a paper, ``[code]``
   code, a badge's text) and, for free-text labels, by their host
   (:mod:`.links`);
2. the title is found: a quoted title in a citation (``“Title.”``), a free-text
   link to a paper (``[Title](doi)``), else the text before the paper links
   (a bold title, or the plain words of ``Title [[Paper]](…)``);
3. authors, venue and year come from where lists put them: the text before the
   title (``Author et al., [Title]``), bracket tags (``[MICCAI 2019]``), italic
   lines, bold venue tags (``**CVPR'21**``), badge text, ``(2015)``, the text
   after the title (``, *Journal*, 2014`` or ``, Authors, Venue 2019``);
4. an item whose name links to software, data, a course or a web page and
   that has no paper link is not a paper; one that has paper links (``[DNorm](…)
   - [paper](PMC…)``) gives a paper per link, named by the item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from igbib import ids, names
from igbib.importers.lists import fields, links
from igbib.importers.lists.inline import Link, Run

#: Kinds of items that are not papers, as reports name them.
SOFTWARE, DATASET, WEBSITE, COURSE, TOC, BADGE, TEXT, UNREADABLE = (
    "software",
    "dataset",
    "website",
    "course",
    "table of contents",
    "badge",
    "text",
    "unreadable",
)
_HOST_KIND_OTHER = {
    links.LOCAL: WEBSITE,
    links.CODE: SOFTWARE,
    links.DATA: DATASET,
    links.COURSE: COURSE,
    links.WEB: WEBSITE,
}
#: Section names that say what their items are when the items do not (a name's words,
#: whole): only names no list gives to a group of papers.
_SECTION_KINDS = (
    (re.compile(r"\b(tools?|software|packages?|librar(y|ies)|implementations?|toolkits?|"
                r"apps?|web ?servers?|code ?bases?)\b", re.I), SOFTWARE),
    (re.compile(r"\b(data ?sets?|databases?|corpora|data)$", re.I), DATASET),
    (re.compile(r"\b(courses?|tutorials?|lectures?|books?|classes|videos?|talks?|"
                r"workshops?|meetings?|schools?)\b", re.I), COURSE),
    (re.compile(r"\b(journals?|conferences?|groups?|labs?|people|organi[sz]ations?|"
                r"companies|challenges?|competitions?|blogs?|news|communit(y|ies)|"
                r"contributors?|licen[cs]e|contact|acknowledg\w*)\b", re.I), WEBSITE),
)  # fmt: skip

_TAG = re.compile(r"\[([^\[\]\x00\n]{1,120})\]")
_PAREN = re.compile(r"\(([^()\x00\n]{1,80})\)")
_QUOTED = re.compile(r"[“\"]([^“”\"\n]{8,500}?)[”\"]")
_BARE_URL = re.compile(r"https?://[^\s<>\"'`\x00\]\[]+")
_DASH_SPLIT = re.compile(r"(?<!\s)\s+[-–—]\s+")  # the look-behind keeps it linear
_LEAD_NUMBER = re.compile(r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}[.)]|[-*+•])\s+")
_LABELLED = re.compile(r"^\s*([A-Za-z][A-Za-z /&]{1,30}?)\s*:\s*(.*)$", re.S)
_TITLE_LABELS = {"title", "paper", "paper title", "name"}
_AUTHOR_LABELS = {"authors", "author", "by", "first author"}
_VENUE_LABELS = {
    "journal", "journal info", "venue", "conference", "published in", "publication",
    "source", "journal/conference", "conference/journal", "published", "in",
}  # fmt: skip
_YEAR_LABELS = {"year", "date", "published on", "publication date"}
_KEYWORD_LABELS = {"keywords", "keyword", "keyword(s)", "tags", "topics"}
_NOTE_LABELS = {"summary", "abstract", "description", "tl;dr", "tldr", "notes", "note", "comment"}
_PUNCT = " \t\n,.;:-–—|·•/"


@dataclass
class Found:
    """A paper read from an item."""

    title: str | None = None
    authors: list[dict] = field(default_factory=list)
    et_al: bool = False
    authors_text: str = ""
    venue: str | None = None
    year: int | None = None
    year_text: str = ""
    link: str = ""  # the paper's own link
    paper_links: list[str] = field(default_factory=list)  # every link to the paper itself
    other_links: list[dict] = field(default_factory=list)  # {"label", "url", "kind"}
    description: str | None = None
    keywords: list[str] = field(default_factory=list)
    title_is_name: bool = False  # the list names the paper (a tool's name), not titles it
    comments: list[str] = field(default_factory=list)  # the item's HTML comments


@dataclass
class Other:
    """An item that is not read as a paper: what it is, and why."""

    kind: str
    reason: str


@dataclass
class _Link:
    link: Link
    label: str
    role: str | None  # what the label says (links.PAPER, ...), None for a free-text label
    host: str | None  # what the address says
    badge: tuple[str, str] | None = None  # (label, message) of a badge

    @property
    def href(self) -> str:
        return self.link.href.strip()

    @property
    def kind(self) -> str | None:
        return self.role or self.host


def _links(run: Run) -> list[_Link]:
    out = []
    for link in run.links:
        link.href = links.unwrapped(link.href)
        label = link.label(run)
        badge = None
        if link.image:
            badge = links.badge_text(link.image, link.alt)
            role = links.label_kind(badge[0]) or links.label_kind(badge[1])
            if role is None and "shields.io" in link.image:
                role = links.host_kind(link.href) or links.WEB
        else:
            role = links.label_kind(label)
        host = links.host_kind(link.href)
        if (
            role in (links.CODE, links.WEB)
            and host == links.PAPER
            and links.paper_identified(link.href)
        ):  # ``[[Tool]](…/10.1186/….pdf)``: the link is the paper
            role = links.PAPER
        out.append(_Link(link, label, role, host, badge))
    return out


def _masked(run: Run) -> str:
    """The run's text with every link's label blanked (offsets kept)."""
    text = run.text
    if not run.links:
        return text
    parts, last = [], 0
    for link in run.links:
        if link.start < last:
            continue
        parts.append(text[last : link.start])
        parts.append("\x00" * (link.end - link.start))
        last = link.end
    parts.append(text[last:])
    return "".join(parts)


def links_of(run: Run) -> list[_Link]:
    """Every link of a run, bare addresses included, in order, empty ones left out."""
    found = _links(run) + _bare_links(_masked(run))
    return sorted((lk for lk in found if lk.href), key=lambda lk: lk.link.start)


def titled(title: str, run: Run) -> Found:
    """A paper of this title, its links those of ``run`` (a table's title cell)."""
    found = Found(title=title)
    _sort_links(found, links_of(run))
    return found


def _bare_links(masked: str) -> list[_Link]:
    out = []
    for m in _BARE_URL.finditer(masked):
        href = m.group(0).rstrip(".,;:)")
        link = Link(m.start(), m.start() + len(href), href)
        # ``- A survey of radiogenomics https://arxiv.org/abs/…``: in a short item, an
        # address naming a paper is its link; in a long text it is only mentioned
        short = len(masked) <= 300 and "\n" not in masked.strip()
        role = links.PAPER if short and links.paper_identified(href) else None
        out.append(_Link(link, "", role, links.host_kind(href)))  # no label: never a title
    return out


def section_kind(name: str | None) -> str | None:
    """What a section's name says its items are (``Tools`` -> software), or None."""
    if not name:
        return None
    for pattern, kind in _SECTION_KINDS:
        if pattern.search(name):
            return kind
    return None


def read(
    run: Run, section: str | None = None, *, prose: bool = False
) -> list[Found] | Other | None:
    """What an item is: its papers, an :class:`Other`, or None (no link: prose).

    ``prose``: the item is a paragraph, not a list item or a table row; it is
    read as a paper only with a paper's marks (a bold or quoted title, a venue or
    year tag, an author line), never from a sentence that links somewhere.
    """
    if len(run.text) > 20000:
        return Other(UNREADABLE, "too long to be one entry")
    masked = _masked(run)
    all_links = _links(run) + _bare_links(masked)
    if not all_links:
        labelled = _labelled(run, [])
        return [labelled] if labelled and labelled.title else None
    all_links.sort(key=lambda lk: lk.link.start)
    if all(lk.host == links.ANCHOR for lk in all_links):
        return Other(TOC, "links within the page only")
    real = [lk for lk in all_links if lk.host != links.ANCHOR and (lk.href or lk.label.strip())]
    if not real:
        return Other(UNREADABLE, "its links are empty")
    outside = masked.replace("\x00", "").strip(_PUNCT + "[]()")
    if all(lk.badge for lk in real) and not outside:
        return Other(BADGE, "badges only")

    labelled = _labelled(run, real)
    if labelled is not None:
        labelled.comments = list(run.comments)
        return [labelled]
    quoted = _quoted(run, masked, real)
    if quoted is not None:
        return [quoted]
    result = _entry(run, masked, real, section)
    if isinstance(result, list) and run.comments:
        for found in result:
            found.comments = list(run.comments)
    if prose and isinstance(result, list) and not _marked(run, masked, result):
        return Other(TEXT, "a paragraph with links, not an entry")
    return result


def _marked(run: Run, masked: str, found: list[Found]) -> bool:
    """True when a paragraph read as a paper has a paper's marks, not a sentence's."""
    if run.bold or run.italic or _TAG.search(masked) or len(run.lines()) > 1:
        return True
    return any(f.authors or f.venue for f in found)


# -- citations with a quoted title -------------------------------------------------------


def _quoted(run: Run, masked: str, real: list[_Link]) -> Found | None:
    """``Surname, Given, and Given Surname. “[Title](link).” Journal 22 (2021): 1-2. doi``."""
    m = _QUOTED.search(run.text)
    if not m or len(m.group(1).split()) < 3:
        return None
    before = run.text[: m.start()]
    before = _LEAD_NUMBER.sub("", before).strip(" ,.;:-")
    label, _, rest = before.partition(": ")  # ``**TrackGPT:** Jiawen Zhu, … Xie.``
    name = None
    if rest and len(label.split()) <= 4 and names.looks_like_authors(_strip_tags(rest)):
        name, before = label.strip(), rest.strip(" ,.;:-")
    if not before or not names.looks_like_authors(_strip_tags(before)):
        return None  # a quotation is a citation's title only after its authors
    found = Found(title=clean_title(m.group(1)), description=name)
    found.authors, found.et_al = names.parse_author_list(before, inverted_first=True)
    found.authors_text = before
    after = masked[m.end() :]
    inside = next((lk for lk in real if lk.link.start <= m.start() < lk.link.end), None)
    if inside is not None and inside.link.end > m.end():
        # ``["Title." Science 377 (2022): 387-394.](link)``: the citation is the link's label
        after = run.text[m.end() : inside.link.end] + masked[inside.link.end :]
    _citation_tail(found, after)
    _sort_links(found, real, prefer_inside=(m.start(), m.end()))
    return found


_SENTENCE = re.compile(r"\.\s+(?=[A-Z“\"\[(\x00])")
_TITLE_END = re.compile(r"[.?!](?:\s+|$)")


def _unquoted(run: Run, masked: str, real: list[_Link]) -> Found | None:
    """``Chandrashekar DS, Bashel B, … Varambally S. Title. Neoplasia. 2017;19(8):649-58. doi``.

    The authors are the longest start of the text, ending at a full stop, that reads as
    a list of two names or more (or one with "et al."); the title is the sentence after.
    """
    text = run.text[:4000]
    cut = None
    for m in _SENTENCE.finditer(text, 0, 1500):
        if names.looks_like_author_list(_LEAD_NUMBER.sub("", text[: m.start()])):
            cut = m
    if cut is None:
        return None
    rest_at = cut.end()
    end = _TITLE_END.search(text, rest_at)
    title_end = end.start() if end else len(text)
    title = clean_title(text[rest_at:title_end])
    if len(title.split()) < 3 or not (fields.year_of(text[title_end:]) or real):
        return None
    before = _LEAD_NUMBER.sub("", text[: cut.start()])
    found = Found(title=title, authors_text=before)
    found.authors, found.et_al = names.parse_author_list(before)
    _citation_tail(found, masked[title_end:])
    _sort_links(found, real, prefer_inside=(rest_at, title_end))
    return found


def cite(run: Run) -> list[Found] | None:
    """The paper a citation gives (``Authors. “Title.” Journal, Year``, quoted or not), else None.

    For text that stands where a citation is expected: a folded ``Paper`` part, the
    lines under a tool's description.
    """
    masked = _masked(run)
    real = [lk for lk in links_of(run) if lk.host != links.ANCHOR]
    found = _quoted(run, masked, real) or _unquoted(run, masked, real)
    return [found] if found is not None else None


def _citation_tail(found: Found, after: str) -> None:
    """``Journal 22, no. 6 (2021): bbab260. https://doi.org/…``: the venue and the year."""
    after = after.replace("\x00", " ")
    after = _BARE_URL.sub(" ", after)
    paren = re.search(r"\(([^()]*?(?:19|20)\d{2}[^()]*)\)", after)
    if paren:
        found.year = fields.year_of(paren.group(1))
    elif fields.year_of(after):
        found.year = fields.year_of(after)
    venue = re.split(r"\s\d|\(|,\s*(?:no\.|vol\.|\d)|:\s*\d", after, maxsplit=1)[0]
    venue = fields.without_date(venue.strip(_PUNCT + "*_"))  # ``…, November 23, 2024``
    if venue and len(venue) <= 120 and not fields.is_date(venue):
        found.venue = venue


# -- labelled blocks -----------------------------------------------------------------------


def _labelled(run: Run, real: list[_Link]) -> Found | None:
    """``**Title:** [..](..)`` / ``**Authors:** ..`` / ``**Journal Info:** Journal, Month YYYY``."""
    values: dict[str, tuple[int, int]] = {}
    for start, end in run.lines():
        m = _LABELLED.match(run.text[start:end])
        if m:
            label = m.group(1).strip().lower()
            values[label] = (start + m.start(2), end)
    title_key = next((k for k in values if k in _TITLE_LABELS), None)
    if title_key is None or len(values) < 2:
        return None
    a, b = values[title_key]
    inside = [lk for lk in real if a <= lk.link.start < b]
    found = Found(title=clean_title(run.text[a:b]))
    for label, (a, b) in values.items():
        value = run.text[a:b].strip()
        if label in _AUTHOR_LABELS:
            found.authors, found.et_al = names.parse_author_list(value)
            found.authors_text = value
        elif label in _VENUE_LABELS:
            venue, year = fields.venue_and_year(value)
            found.venue = venue or found.venue
            found.year = year or found.year
        elif label in _YEAR_LABELS:
            found.year = fields.year_of(value) or found.year
        elif label in _KEYWORD_LABELS:
            found.keywords = [k.strip() for k in re.split(r"[,;]", value) if k.strip()]
        elif label in _NOTE_LABELS:
            found.description = description(value)
    _sort_links(found, real, prefer=inside)
    return found


# -- everything else ----------------------------------------------------------------------


def _entry(run: Run, masked: str, real: list[_Link], section: str | None):
    first_line_end = _first_line_end(run)
    tagged = next((lk for lk in real if lk.role is None and _tag_label(lk, masked)), None)
    if tagged is not None and not any(lk.role == links.PAPER for lk in real):
        tagged.role = tagged.host if tagged.host in _TAG_ROLES else links.WEB
    named = [lk for lk in real if lk.role is None and not lk.badge and lk.label.strip()]
    # the paper's own links when the title is written as text: generic labels (``[pdf]``,
    # a paper badge), never a named link (``[Mean Teacher](arxiv…)`` names another paper)
    labelled_paper = [lk for lk in real if lk.role == links.PAPER]
    paperish = labelled_paper

    # ``Author et al., [Title](link), *J*, 2014``: the link after the authors is the title,
    # whatever its words
    first = next((lk for lk in real if not lk.badge and lk.label.strip()), None)
    if (
        first is not None
        and first.link.start < first_line_end
        and first.host != links.LOCAL
        and _authors_before(masked[: first.link.start])
        # a project page (``github.io``) titles a paper only with a citation around it
        and (first.host != links.CODE or _citation_evidence(run, "", masked[first.link.end :]))
        # a generic label (``[paper]``) is a title only in ``Author, [Paper](…)``, never
        # after dash fields (``2009 - **PMA** - Witten - Sparse CCA - [paper](…)``)
        and (first.role is None or masked[: first.link.start].rstrip().endswith(","))
    ):
        return [_from_titled_link(run, masked, real, first)]
    # a free-text link to a paper: ``[Title](doi)``, ``[Title](link), Authors, Venue 2019``
    if named and not _listing_other_things(section, named[0]):
        chosen = _titled_link(run, masked, real, named, labelled_paper)
        if chosen is not None:
            return [_from_titled_link(run, masked, real, *chosen)]

    # a title in the text, then the paper's links: ``**Title** [[pdf]](…)``,
    # ``[MICCAI'19] Title [[pdf]]``
    if paperish:
        first_paper = min(paperish, key=lambda lk: lk.link.start)
        name = _leading_name(run, masked, named, first_paper)
        if name:  # ``2009 - [PMA](cran) - Witten - Sparse CCA - [paper 1](…), [paper 2](…)``
            return _named_papers(run, masked, real, name, labelled_paper)
        head_end = _wrapped(run, masked, first_line_end, first_paper.link.start)
        for lk in real:
            if lk.role is not None and lk.link.start < head_end and not lk.badge:
                head_end = lk.link.start
                break
        title, span = _title_in(run, masked, 0, head_end)
        if named and _starts_with(masked, named[0]) and named[0].link.start < head_end:
            # ``[METABRIC](data page) - Targeted sequencing of … [PubMed](…)``: the item is
            # named by its link; the text after it describes it, never titles the paper
            title = None
        bold = any(a <= span[0] and span[1] <= b for a, b in run.bold)
        if title and not bold and _sentence_cut(title):  # a bold title is never a sentence
            return Other(TEXT, "a sentence with links, not an entry")
        if title and not _is_name_only(title, named):
            return [_from_text_title(run, masked, real, title, span)]
        name = title or (named[0].label.strip() if named else "")
        if name and labelled_paper:
            return _named_papers(run, masked, real, name, labelled_paper)
        if not name and labelled_paper and section_kind(section) is None:
            return Other(UNREADABLE, "a paper link with no title")

    main = named[0] if named else real[0]
    if not main.href:
        return Other(UNREADABLE, "its link is empty")
    if (
        main.host == links.PAPER
        and not main.label.strip()
        and ids.ids_from_url(main.href)
        and not re.search(r"[^\W\d_]", masked)
    ):
        # ``[](https://pubmed.ncbi.nlm.nih.gov/22222222/), 2020``: a paper whose title is
        # missing (an item with words beside the link is left to the rules above)
        return Other(UNREADABLE, "a paper link with no title")
    kind = _HOST_KIND_OTHER.get(main.kind)
    if kind is None:
        kind = section_kind(section)
    if kind is None:
        if main.link.start > 60 or len(run.text) > 400:
            return Other(TEXT, "text with links, not an entry")
        kind = WEBSITE
    if main.host == links.LOCAL:
        return Other(kind, f"links to {main.href}, a file of the list's own; no paper link")
    where = links.host_of(main.href) or main.href
    return Other(kind, f"links to {where}; no paper link, identifier or year")


_TAG_ROLES = (links.PAPER, links.CODE, links.DATA, links.COURSE)


def _tag_label(lk: _Link, masked: str) -> bool:
    """True for a link labelled in double brackets after the item's own words
    (``**Title** [[Survey]](nature.com/…)``): a label of the link, never a title; what
    the link is, its address says."""
    label = lk.label.strip()
    if not (label.startswith("[") and label.endswith("]")) or lk.badge:
        return False
    before = _strip_tags(_LEAD_NUMBER.sub("", masked[: lk.link.start].replace("\x00", " ")))
    return bool(before.strip(_PUNCT + "[]()*_"))


def titled_mid_text(run: Run, found: list[Found]) -> bool:
    """True when a paper read from ``run`` is titled by a link in the middle of its text
    (``… 42 genes, [Supplementary Dataset 1](…) lists them``), not by one the item starts
    with or by a link after its authors."""
    masked = _masked(run)
    for f in found:
        for lk in _links(run):
            label = " ".join(lk.label.split())
            if f.title and label == f.title and not f.authors and not _starts_with(masked, lk):
                return True
    return False


def _starts_with(masked: str, lk: _Link) -> bool:
    """True when the item begins with this link (after its number, bullet or year)."""
    lead = _LEAD_NUMBER.sub("", masked[: lk.link.start])
    return not re.sub(r"^\s*(?:19|20)\d{2}\s*[-–—]\s*", "", lead).strip()


def _listing_other_things(section: str | None, lk: _Link) -> bool:
    """True when the section lists journals, tools, data or courses and the link names no
    paper by its identifier: ``### Journals`` / ``- [European Journal of Human Genetics](…)``."""
    return section_kind(section) is not None and not links.paper_identified(lk.href)


def _titled_link(run: Run, masked: str, real, named: list[_Link], labelled_paper: list[_Link]):
    """``(link, own links)`` when the item's first free-text link is its paper's title.

    The label is a title when the link goes to a paper (``[Title](doi)``), when a
    citation surrounds it (``, *Journal*, 2014``), when the item is the link and its
    code or page links (``- [Title](page) [code](…)``), when a labelled paper link
    follows (``[A Title](project) [[paper]](arxiv…)``: that link is the paper's),
    or when the list gives the title before any link (``- [A title]()``). A tool's
    name (``2021 - [muon](github) - Bredikhin - [Title](doi)``) leads to the paper
    linked later in the item.
    """
    lk = named[0]
    if labelled_paper and labelled_paper[0].link.start < lk.link.start:
        return None  # ``… [paper](…) [MDI](tool page)``: a name after the paper's link
    label = " ".join(lk.label.split())
    before, after = masked[: lk.link.start], masked[lk.link.end :]
    titled = _title_like(label)
    evidence = _citation_evidence(run, before, after)
    lead = _LEAD_NUMBER.sub("", before.replace("\x00", ""))
    alone = not lead.strip()
    others = [o for o in real if o is not lk]
    nothing_after = not after.replace("\x00", "").strip(_PUNCT + "[]()")
    companions = all(o.role in (links.CODE, links.WEB, links.DATA) for o in others)
    beside = alone and nothing_after and companions
    if lk.host == links.PAPER and (titled or evidence):
        return lk, None
    if lk.host == links.PAPER and not labelled_paper and ids.ids_from_url(lk.href):
        return lk, None  # ``[MOFA](doi…)``: the list names the paper
    if beside and others and lk.host in (links.PAPER, None) and (titled or lk.host):
        return lk, None
    if lk.host is None and titled and evidence:
        return lk, None
    if lk.host is None and titled and labelled_paper:
        return lk, labelled_paper
    if lk.host is None and evidence and _authors_before(before):
        return lk, None
    if alone and not lk.href and not others and titled and nothing_after:
        return lk, None  # ``- [A title]()``: no link yet
    starts = not re.sub(r"^\s*(?:19|20)\d{2}\s*[-–—]\s*", "", lead).strip()
    for later in named[1:] if starts else ():
        if labelled_paper and labelled_paper[0].link.start < later.link.start:
            break  # ``[BioBERT](…) - [paper](…) - … [BERT](arxiv…)``: another paper, named
        paper = later.host == links.PAPER and ids.ids_from_url(later.href)
        if paper and _title_like(" ".join(later.label.split())):
            return later, None
    return None


def _citation_evidence(run: Run, before: str, after: str) -> bool:
    """Around a free-text link: an author list before it, or a venue or year after it."""
    after = after.replace("\x00", " ").lstrip()
    if after[:1] in (",", "(") and fields.year_of(after[:120]):
        return True  # ``[Title](link), *Journal*, 2014`` or ``[Title](link) (2014)``
    if after[:1] == "," and run.italic:
        return True
    return _authors_before(before)


def _authors_before(before: str) -> bool:
    text = before.replace("\x00", "").rstrip()
    if not text.endswith((",", ":", "-", "–", "—")):
        return False
    text = _strip_dash_fields(text.rstrip(",:-–— "))
    return bool(text) and names.looks_like_authors(text, lenient=True)


def _strip_dash_fields(text: str) -> str:
    """``2019 - Wu``: the author field of a dash-separated prefix (``Wu``)."""
    parts = [p.strip() for p in _DASH_SPLIT.split(" " + text + " ") if p.strip()]
    parts = [p for p in parts if not fields.year_of(p) or not p.strip("0123456789 ")]
    parts = [p for p in parts if not p.isdigit()]
    return parts[-1] if parts else ""


_FUNCTION_WORDS = frozenset(
    "a an the with see of in on at to for and or from by via this our".split()
)
#: How a sentence that links somewhere starts (``Check out this awesome [paper](…)``).
_SENTENCE_START = ("check ", "see ", "read ", "visit ", "please ", "click ", "find ", "refer ")


def _title_like(label: str) -> bool:
    words = label.split()
    return len(words) >= 3 or (len(words) >= 2 and ":" in label)


def _sentence_cut(title: str) -> bool:
    """True for text cut from a sentence at a link (``Some intro with a``, ``Check out this
    awesome``), not a title."""
    words = title.lower().split()
    return bool(words) and (
        words[-1] in _FUNCTION_WORDS or title.lower().startswith(_SENTENCE_START)
    )


def _from_titled_link(run: Run, masked: str, real: list[_Link], lk: _Link, own=None) -> Found:
    """The paper whose title is ``lk``'s label; its own links are ``own`` (default: ``lk``)."""
    label = " ".join(lk.label.split())
    found = Found(title=label)
    m = _TAG.match(label)
    if m and label[m.end() :].strip():  # ``<a href=…>[2018 ICLR] Title</a>``
        venue, year = fields.tag_venue_and_year(m.group(1))
        if year:
            found.title, found.venue, found.year = label[m.end() :].strip(), venue, year
    before = masked[: lk.link.start].replace("\x00", "")
    before = _LEAD_NUMBER.sub("", before)
    lead = _strip_tags(before)
    separated = lead.rstrip().endswith((",", ":", ";", "-", "–", "—"))  # ``Authors, [Title]``
    lead = lead.rstrip(" ,:;-–—")
    if lead and separated:
        dash_parts = _DASH_SPLIT.split(lead)
        year = next((fields.year_of(p) for p in dash_parts if p.strip().isdigit()), None)
        if year:  # ``2019 - Wu - [Title](…)``
            found.year = year
            lead = _strip_dash_fields(lead)
        if names.looks_like_authors(lead, lenient=True):
            found.authors, found.et_al = names.parse_author_list(lead)
            found.authors_text = lead
    _tags(found, run, masked, 0, len(run.text))
    end = next((h for h in run.hard if h > lk.link.end), len(run.text))
    _after_title(found, run, lk.link.end, end)
    _sort_links(found, real, prefer=own or [lk])
    return found


def _after_title(found: Found, run: Run, start: int, end: int) -> None:
    """What follows a linked title on its line: ``, *Journal*, 2014`` or ``, Authors, Venue 2019``
    or `` - a description``."""
    masked = _masked(run)
    text = masked[start:end]
    plain = text.replace("\x00", " ")
    stripped = plain.strip()
    if not stripped:
        return
    if stripped[0] in "-–—:" or (stripped[0] not in ",.;" and not fields.year_of(stripped[:8])):
        first = re.split(r",|;|\s[-–—]\s", stripped.lstrip("-–—: "), maxsplit=1)[0]
        if not (first and names.looks_like_author_list(first)):
            found.description = _clean_description(run, start, end)
            return
    italic = [(a, b) for a, b in run.italic if start <= a < end]
    if italic and found.venue is None:
        a, b = italic[0]
        raw = run.text[a:b].strip()
        value = raw.strip(" ,.")
        if len(value.split()) > 12 or (raw.endswith(".") and len(value.split()) >= 6):
            found.description = description(value)  # an italic sentence: ``*A good review.*``
        elif value and not names.looks_like_author_list(value):
            found.venue = value
        elif value and not found.authors:
            found.authors, found.et_al = names.parse_author_list(value)
            found.authors_text = value
    for a, b in italic[:1]:  # the italic part is read above
        plain = plain[: a - start] + " " * (b - a) + plain[b - start :]
    described = re.search(r"(?:19|20)\d{2}\)?\s+[-–—]\s+", plain)
    if described:  # ``, *Journal*, 2019 - a description [code](…)``
        found.description = _clean_description(run, start + described.end(), end)
        plain = plain[: described.start() + 4]
    parts = [p.strip(" .") for p in _AFTER_TITLE_SPLIT.split(plain) if p.strip(" .")]
    parts = [re.sub(r"^(?:and|&)\s+", "", part) for part in parts]  # ``…, and Jian Yang``
    names_run = []  # ``, A. Smith, B. Jones, MICCAI 2021``: the names in a row are one list
    for part in parts:
        if found.authors or not names.name_like(part, strict=False) or fields.year_of(part):
            break
        names_run.append(part)
    if names_run and names.looks_like_authors(", ".join(names_run), alone=True):
        found.authors, found.et_al = names.parse_author_list(", ".join(names_run))
        found.authors_text = ", ".join(names_run)
        parts = parts[len(names_run) :]
    rest = []
    for part in parts:
        year = fields.year_of(part)
        if part.strip("()").isdigit():
            if found.year is None and not found.year_text:  # ``2014``, or ``201`` (flagged)
                found.year_text = part.strip("()")
                found.year = year
            continue  # ``*Nature*, 2014, 507``: the volume after the year
        if not found.authors and names.looks_like_authors(part, alone=True):
            found.authors, found.et_al = names.parse_author_list(part)
            found.authors_text = part
            continue
        if year and len(part.split()) <= 6:
            venue, year = fields.venue_and_year(part)
            found.year = found.year or year
            if venue and found.venue is None:
                found.venue = venue
            continue
        rest.append(part)
    if rest and found.venue is None and not italic and len(rest) == 1 and len(rest[0]) < 60:
        found.venue = rest[0]
    elif rest and not italic:
        found.description = ", ".join(rest)


#: What separates the parts after a linked title: ``, A. Smith, B. Jones, MICCAI 2021``,
#: ``; Guy Sella and Nicholas H. Barton. 2019.``
_AFTER_TITLE_SPLIT = re.compile(
    r",|;|\s[-–—]\s|\.\s+(?=(?:19|20)\d{2}\b)|(?<=\b(?:19|20)\d{2})\.\s+"
)


def _from_text_title(run: Run, masked: str, real, title: str, span: tuple[int, int]) -> Found:
    found = Found(title=title)
    tail = _PAREN_TAIL.search(title)
    if tail:  # ``**Mutual Information Maximization in GNNs (IJCNN 2020)**``
        venue, year = fields.venue_and_year(tail.group(0).strip(" ,.()"))
        if year:
            found.title, found.venue, found.year = title[: tail.start()].rstrip(), venue, year
    lead_year = re.match(r"\s*((?:19|20)\d{2})\s*[-–—]\s", masked)
    if lead_year:  # ``2019 - Title [[paper]](…)``
        found.year = int(lead_year.group(1))
    before = masked[: span[0]].replace("\x00", "")
    lead = _LEAD_NUMBER.sub("", _strip_tags(before)).strip(" ,:;-–—")
    if lead and names.looks_like_authors(lead, alone=True):
        found.authors, found.et_al = names.parse_author_list(lead)
        found.authors_text = lead
    _tags(found, run, masked, 0, len(run.text))
    line_end = next((b for b in run.breaks if b > span[1]), len(masked))
    _text_after_title(found, masked[span[1] : line_end])
    for a, b in run.lines():  # the lines below the title: authors, a venue, a description
        if a >= line_end:
            _later_line(found, run, masked, a, b)
    _sort_links(found, real)
    return found


def _text_after_title(found: Found, tail: str) -> None:
    """``(2015), A. Author et al.``: what a text title is followed by before its links."""
    text = tail.replace("\x00", " ")
    text = _TAG.sub(" ", text)
    raw = _PAREN.sub(lambda m: _absorb_paren(found, m.group(1)), text)
    text = raw.strip(_PUNCT)
    if not text:
        return
    if not found.authors and names.looks_like_authors(text):
        found.authors, found.et_al = names.parse_author_list(text)
        found.authors_text = text
    elif found.description is None:
        found.description = description(raw)  # its final full stop kept


def _absorb_paren(found: Found, inner: str) -> str:
    venue, year = fields.venue_and_year(inner)
    if year or (venue and links.is_venue_label(inner)):
        found.year = found.year or year
        if venue and found.venue is None:
            found.venue = venue
        return " "
    return f"({inner})"


def _later_line(found: Found, run: Run, masked: str, a: int, b: int) -> None:
    line = masked[a:b].replace("\x00", " ")
    body = _TAG.sub(" ", line).strip(_PUNCT + "*_")
    if not body:
        return
    italic = [(x, y) for x, y in run.italic if a <= x < b]
    text = run.text[italic[0][0] : italic[0][1]] if italic else body
    if not found.authors and names.looks_like_authors(text, alone=not italic, lenient=bool(italic)):
        found.authors, found.et_al = names.parse_author_list(text)
        found.authors_text = text.strip()
        return
    venue, year = fields.venue_and_year(body)
    if year and len(body.split()) <= 8:
        found.year = found.year or year
        if venue and found.venue is None:
            found.venue = venue
        return
    if found.description is None:
        found.description = description(body)


def _tags(found: Found, run: Run, masked: str, start: int, end: int) -> None:
    """Venue and year from bracket tags, bold venue tags and badges anywhere in the item."""
    dates: list[int] = []
    for m in _TAG.finditer(masked, start, end):
        inner = m.group(1)
        if fields.is_date(inner):
            year = fields.year_of(inner)
            if year:
                dates.append(year)
            continue
        venue, year = fields.tag_venue_and_year(inner)
        if year is None and not (venue and len(venue.split()) <= 4):
            continue
        if year and found.year is None:
            found.year = year
        if venue and found.venue is None and (year or links.is_venue_label(inner)):
            found.venue = venue
    for a, b in run.bold:
        inner = run.text[a:b]
        if links.is_venue_label(inner) and len(inner) <= 24:
            venue, year = fields.venue_and_year(inner)
            found.year = found.year or year
            found.venue = found.venue or venue
    for lk in run.links:
        if lk.image:
            label, message = links.badge_text(lk.image, lk.alt)
            venue, year = fields.venue_and_year(message)
            if year:
                found.year = found.year or year
                if venue and venue.lower() not in ("paper", "arxiv") and found.venue is None:
                    found.venue = venue
    if found.year is None and dates:
        found.year = dates[0]


def _title_in(run: Run, masked: str, start: int, end: int):
    """The title written as text between ``start`` and ``end``: ``(title, (a, b))`` or None."""
    head = masked[start:end]
    tags = [m.span() for m in _TAG.finditer(masked, start, end)]  # ``[MICCAI 2019]``
    # a bold title: ``**Title** (2015), A. Author`` (a bold venue tag is not one)
    for a, b in run.bold:
        if start <= a and b <= end:
            inner = run.text[a:b].strip()
            if not inner or links.is_venue_label(inner):
                continue
            if any(x < a and b < y for x, y in tags):
                continue  # ``[2019 Nature Methods, **Harmony**] **Title**``: a tag's part
            prefix = _TAG.sub(" ", _LEAD_NUMBER.sub("", masked[start:a])).replace("\x00", " ")
            if prefix.strip() and prefix.rstrip()[-1:].isalnum():
                break  # ``A Persistent Homology-Based **Topological Loss** Function``: plain
            label = bold_label(inner, masked[b:end])
            if label is not None:  # ``**Dice loss:** Title``, ``**"Dice Loss"** Title``
                return clean_title(masked[b + label : end]), (b + label, end)
            if "\x00" in masked[a:b] and len(inner.split()) < 3:
                continue
            rest = masked[b:end].replace("\x00", " ")
            rest_plain = _TAG.sub(" ", rest)
            rest_plain = _PAREN.sub(" ", rest_plain).strip()
            # the bold part starts the title: ``**Dice Loss** V-net``, ``**PolyLoss**: A …``
            continues = rest_plain and (rest_plain[0].isalpha() or rest_plain[0] == ":")
            if continues and not names.looks_like_authors(rest_plain.strip(_PUNCT), alone=True):
                text = (run.text[a:b] + masked[b:end]).replace("\x00", "")
                text = _PAREN_TAIL.sub("", text)
                return clean_title(text), (a, end)
            return clean_title(inner), (a, b)
    # plain text: strip numbering, bracket tags, dash fields such as ``2019 - Wu -``
    text = head.replace("\x00", " ")
    offset = start
    m = _LEAD_NUMBER.match(text)
    if m:
        offset += m.end()
        text = text[m.end() :]
    text_no_tags = _TAG.sub(lambda m: " " * len(m.group(0)), text)
    kept = text_no_tags.rstrip(" [(")  # ``Title (**CVPR'21**) [[paper](…)]``: the ``[`` opening it
    text_no_tags = kept + " " * (len(text_no_tags) - len(kept))
    text_no_tags = _PAREN_TAIL.sub(lambda m: _keep_len(m.group(0)), text_no_tags)
    parts = _DASH_SPLIT.split(text_no_tags)
    candidates = [p.strip(_PUNCT) for p in parts if p.strip(_PUNCT)]
    candidates = [p for p in candidates if not p.isdigit()]
    if not candidates:
        return None, (start, start)
    title = max(candidates, key=len)
    a = start + head.find(title) if title in head else offset
    return clean_title(title), (a, a + len(title))


def bold_label(inner: str, after: str) -> int | None:
    """Where the title starts after a bold label that names what the paper is about:
    ``**Dice loss:** Title``, ``**"Dice Loss"** Title``, ``**TopK loss** Bridging …`` (a
    lower-case word, then a capital one: two texts, not one title). None when the bold
    part is the title or starts it (``**Universal Loss Reweighting** to Balance``,
    ``**PolyLoss**: A Polynomial Expansion …``: the colon is the title's)."""
    stripped = after.lstrip(" *")
    skip = len(after) - len(stripped)
    quoted = inner[:1] in "\"“'" and inner[-1:] in "\"”'"
    if not (inner.endswith(":") or quoted or _case_break(inner, stripped)):
        return None
    if len(inner.split()) > 6 or len(stripped.split()) < 3 or "\x00" in stripped[:3]:
        return None
    return skip


def _case_break(inner: str, after: str) -> bool:
    """``TopK loss`` / ``Bridging Category-level …``: the bold part ends with a lower-case
    word and the text after it starts with a capital one (not a name's ``of``, ``for``)."""
    last = inner.split()[-1] if inner.split() else ""
    first = after.split()[0] if after.split() else ""
    return (
        last.isalpha()
        and last.islower()
        and first[:1].isupper()
        and first[1:2].islower()
        and first.lower() not in _FUNCTION_WORDS
    )


_PAREN_TAIL = re.compile(r"(?<!\s)\s*\([^()]{1,60}\)\s*(?:[,.]\s*)?$")


def _keep_len(text: str) -> str:
    return " " * len(text)


def _wrapped(run: Run, masked: str, line_end: int, end: int) -> int:
    """Where a text title ends when it wraps onto the next line: the end of that line if
    it is plain words (no author line, tag, link or emphasis) after a soft break, else
    ``line_end``. ``end``: the title cannot reach past the first paper link."""
    if line_end >= end or line_end in run.hard:
        return min(line_end, end)
    stop = min(next((b for b in run.breaks if b > line_end), len(masked)), end)
    more = masked[line_end:stop]
    if "\x00" in more or _TAG.search(more):
        return line_end
    if any(line_end <= a < stop for a, _ in run.bold + run.italic):
        return line_end
    text = more.strip(_PUNCT)
    if not text or names.looks_like_authors(text, alone=True):
        return line_end
    return stop


def _first_line_end(run: Run) -> int:
    """Where the item's first line ends: at a hard break, or a soft one outside emphasis
    (a bold title may wrap: ``**Giotto: a toolbox for integrative analysis`` / ``and …**``)."""
    spans = run.bold + run.italic
    for b in run.breaks:
        if b in run.hard or not any(x < b < y for x, y in spans):
            return b
    return len(run.text)


def _leading_name(run: Run, masked: str, named: list[_Link], first_paper: _Link) -> str:
    """The item's name when it starts with one (after a year): a short linked or bold name
    followed by `` - `` fields, as tool lists write them. Empty when it does not."""
    end = first_paper.link.start
    start = len(_LEAD_NUMBER.match(masked).group(0)) if _LEAD_NUMBER.match(masked) else 0
    lead = re.match(r"\s*(?:(?:19|20)\d{2}\s*(?:[-–—]\s*)+)?", masked[start:end])
    at = start + (lead.end() if lead else 0)
    if lead and len(re.findall(r"[-–—]", lead.group(0))) > 1:
        return ""  # ``1987 -    - Wold - Title - [paper](…)``: the name is left empty
    spans = [(lk.link.start, lk.link.end) for lk in named if lk.host != links.PAPER]
    spans += [(a, b) for a, b in run.bold]
    for a, b in spans:
        if a == at and b < end and _DASH_SPLIT.match(masked[b : b + 4].replace("\x00", " ") + " "):
            name = " ".join(run.text[a:b].split())
            if name and len(name.split()) <= 10 and ":" not in name:
                return name
    if lead and lead.group(0).strip():  # ``2013 - DISCO SCA - Schouteden - …``: a plain name
        field = _DASH_SPLIT.split(masked[at:end] + " ", maxsplit=1)[0].strip()
        if field and "\x00" not in field and len(field.split()) <= 3:
            return field
    return ""


def _is_name_only(title: str, named: list[_Link]) -> bool:
    """True when the "title" is just the item's name: a tool's linked or bold name."""
    for lk in named:
        if " ".join(lk.label.split()) == title and lk.host != links.PAPER:
            return not _title_like(title)
    return len(title.split()) <= 2 and not any(c.islower() for c in title if c.isalpha())


def _named_papers(run: Run, masked: str, real, name: str, paper_links: list[_Link]) -> list[Found]:
    """``[DNorm](tool) - [paper](PMC…)``: a paper per paper link, named by the item; its
    description the fields before the paper links or, failing them, the text after the
    item's last labelled link (``- [paper](…) - [code](…) - A framework for …``)."""
    found = []
    fields_before = masked[: paper_links[0].link.start].replace("\x00", " ")
    raw = [p for p in _DASH_SPLIT.split(fields_before) if p.strip(_PUNCT)]
    parts = [p.strip(_PUNCT) for p in raw]
    stops = {p.strip(_PUNCT): description(p) or p.strip(_PUNCT) for p in raw}  # its full stop
    year = next((fields.year_of(p) for p in parts if p.isdigit() and fields.year_of(p)), None)
    author = next(
        (p for p in parts if p != name and names.looks_like_authors(p) and len(p.split()) <= 3),
        "",
    )
    rest = [stops[p] for p in parts if p != name and p != author and not p.isdigit()]
    described = " - ".join(rest) or _description_after(run, real, paper_links[0])
    others = [lk for lk in real if lk not in paper_links]
    for lk in paper_links:
        f = Found(title=name, year=year, title_is_name=True, description=described)
        if author:
            f.authors, f.et_al = names.parse_author_list(author)
            f.authors_text = author
        _sort_links(f, [lk, *others], prefer=[lk])
        f.other_links = [o for o in f.other_links if o["url"] != lk.href]
        found.append(f)
    return found


def _description_after(run: Run, real: list[_Link], first: _Link) -> str | None:
    """The text after an item's row of labelled links (``[paper](…) - [code](…) - A
    framework for …``), its other links' words kept (``Built on the [CogStack project](…).``)
    and labelled links that end it dropped."""
    at, labelled = first.link.end, [lk for lk in real if lk.role is not None]
    for lk in labelled:
        if lk.link.start >= at and not run.text[at : lk.link.start].strip(" -–—,;|[]()"):
            at = lk.link.end
    end = len(run.text)
    for lk in reversed(labelled):
        if lk.link.start >= at and not run.text[lk.link.end : end].strip(" -–—,;|[]()."):
            end = lk.link.start
    if not _masked(run)[at:end].replace("\x00", "").strip(_PUNCT + "[]()"):
        return None  # ``[paper](…) [PCA+CCA](github…)``: links only, no words
    return description(run.text[at:end])


def _sort_links(found: Found, real: list[_Link], prefer=(), prefer_inside=None) -> None:
    """The paper's own link(s) and its other links (code, data, project page)."""
    own: list[_Link] = list(prefer)
    if prefer_inside:
        a, b = prefer_inside
        own += [lk for lk in real if a <= lk.link.start < b and lk not in own]
    for lk in real:
        if lk in own:
            continue
        # a generic paper label (``[pdf]``), or the first link to a paper's page when none
        # is known yet; a named link after it (``[Supplemental tables](…)``) is another link
        if lk.role == links.PAPER or (lk.role is None and lk.host == links.PAPER and not own):
            own.append(lk)
        else:
            found.other_links.append(
                {"label": link_label(lk), "url": lk.href, "kind": lk.kind or "web"}
            )
    found.paper_links = [lk.href for lk in own if lk.href]
    found.link = found.paper_links[0] if found.paper_links else ""


def link_label(lk: _Link) -> str:
    if lk.badge:
        return lk.badge[0] or lk.badge[1] or "badge"
    return _unbracketed(" ".join(lk.label.split())) or lk.href


_CLOSING = {"[": "]", "(": ")"}


def _unbracketed(label: str) -> str:
    """A label without the brackets around it (``[[code]]``, ``(pytorch)``), the ones
    that are its own kept (``BioCreAtIvE V CDR Task Corpus (BC5CDR)``, ``(a) and (b)``)."""
    before = None
    while label != before:
        before, label = label, label.strip()
        if label[:1] in _CLOSING and label.count(label[0]) > label.count(_CLOSING[label[0]]):
            label = label[1:]  # ``[Paper``
        elif label[-1:] and label[-1] in ")]":
            opening = "(" if label[-1] == ")" else "["
            if label.count(label[-1]) > label.count(opening):
                label = label[:-1]  # ``code]``
            elif label[0] == opening and _balanced(label[1:-1], opening, label[-1]):
                label = label[1:-1]  # ``[code]``
    return label


def _balanced(text: str, opening: str, closing: str) -> bool:
    depth = 0
    for c in text:
        depth += (c == opening) - (c == closing)
        if depth < 0:
            return False
    return depth == 0


def _strip_tags(text: str) -> str:
    return " ".join(_TAG.sub(" ", text).split())


_EMOJI = re.compile(r":[a-z0-9_+\-]{2,30}:|[\u2600-\u27bf\U0001f000-\U0001faff\ufe0f]")


def clean_title(text: str) -> str:
    text = " ".join(_EMOJI.sub(" ", text.replace("\x00", " ")).split())
    text = text.strip(" ,;:-–—*_|")
    if text.endswith(".") and not text.endswith("..."):
        text = text[:-1]
    text = text.strip(' ,“”"')
    if text.endswith(".") and not text.endswith(("...", " al.")):
        text = text[:-1]
    return text


def _clean_description(run: Run, start: int, end: int) -> str | None:
    """The description between two offsets, without the links that end it (``[code](…)
    [Tool](…)``, kept as links) nor the labels of generic links within it."""
    inside = [lk for lk in run.links if start <= lk.start < end]
    for lk in reversed(inside):  # the links the description ends with
        if run.text[lk.end : end].strip(_PUNCT + "[]() "):
            break
        end = lk.start
    text = run.text[start:end]
    for lk in reversed(inside):  # generic labels within: ``[paper]``, ``[data]``
        if lk.end <= end and links.label_kind(lk.label(run)):
            text = text[: lk.start - start] + text[lk.end - start :]
    return description(text)


def description(text: str) -> str | None:
    """A description as kept: one line, no emoji, no separator around it (a final full
    stop and brackets stay: they are the list's words)."""
    text = " ".join(_EMOJI.sub(" ", text).split()).strip(" ,;:-–—|·•/")
    if text.count("[") < text.count("]") and text.endswith("]"):
        text = text[:-1].rstrip()  # ``… [[Paper](…)]``: the bracket around a link
    return text if any(c.isalpha() for c in text) else None
