"""What a library, or a selection of it, holds: papers counted by year, journal, section,
topic, dataset and identifier, as charts of bars.

``compute(library, query)`` selects papers as ``igbib search`` and ``igbib export``
do (an empty query: every paper) and returns a :class:`Stats`: one :class:`Chart`
per kind of count, each a list of :class:`Bar`. A bar is a value (a year, a
journal...), the papers with none (no year, no dataset...), or, in a chart cut to
its ``top`` values, all the other values together. ``igbib stats`` prints the
charts, ``--json`` prints :meth:`Stats.to_dict`, and :mod:`igbib.plot` draws them.
"""

from __future__ import annotations

from igbib.query import Query
from igbib.store import stats as count
from igbib.topics import AXES, split_tag

#: Every chart, in the order they are shown.
CHARTS = ("year", "journal", "section", *AXES, "dataset", "identifier")
#: The charts read as shares of the papers (coverage): their bars show a percentage too.
SHARE_CHARTS = ("identifier",)
#: How many journals a chart shows before the rest become one "other" bar.
TOP = 10
#: The years chart shows the years without papers between the first and the last, up to
#: this many years in all (a wrong year far off would otherwise make hundreds of bars).
YEARS_SPANNED = 100

# What a bar is.
VALUE, OTHER, NONE = "value", "other", "none"


class Bar:
    """One bar: its ``label`` as shown, its ``value`` (a year, a journal, a section, a
    topic value, a dataset's key, an identifier kind; None for the ``other`` and
    ``none`` bars), how many ``papers`` it counts, and its ``kind``."""

    __slots__ = ("label", "value", "papers", "kind", "values")

    def __init__(self, label: str, value, papers: int, kind: str = VALUE, values: int = 0):
        self.label = label
        self.value = value
        self.papers = papers
        self.kind = kind
        self.values = values  # an "other" bar: how many values it gathers

    def __repr__(self) -> str:
        return f"Bar({self.label!r}, {self.papers})"


class Chart:
    """One chart: its ``name`` (one of :data:`CHARTS`), ``title``, and ``bars``.

    ``papers`` is the size of the selection, what percentages are of. A paper may
    count in several bars (two sections, two datasets), so the bars need not add
    up to it.
    """

    __slots__ = ("name", "title", "bars", "papers")

    def __init__(self, name: str, title: str, bars: list[Bar], papers: int):
        self.name = name
        self.title = title
        self.bars = bars
        self.papers = papers

    def percent(self, papers: int) -> float:
        return round(100 * papers / self.papers, 1) if self.papers else 0.0

    def shown(self, bar: Bar) -> str:
        """How a bar's count is written: ``8``, or in a chart of shares ``44 (85%)``."""
        if self.name in SHARE_CHARTS:
            return f"{bar.papers} ({self.percent(bar.papers):.0f}%)"
        return str(bar.papers)

    def bar(self, kind: str) -> Bar | None:
        return next((b for b in self.bars if b.kind == kind), None)

    def to_dict(self) -> dict:
        """``title``; ``values``, each its ``value``, ``label`` as shown, ``papers`` and
        ``percent``; ``other``, the values ``top`` cut (how many ``values``, their
        ``papers``), null if none were; and ``none``, the papers with no value."""
        other, none = self.bar(OTHER), self.bar(NONE)
        return {
            "title": self.title,
            "values": [
                {
                    "value": b.value,
                    "label": b.label,
                    "papers": b.papers,
                    "percent": self.percent(b.papers),
                }
                for b in self.bars
                if b.kind == VALUE
            ],
            "other": None
            if other is None
            else {
                "values": other.values,
                "papers": other.papers,
                "percent": self.percent(other.papers),
            },
            "none": {
                "label": none.label,
                "papers": none.papers,
                "percent": self.percent(none.papers),
            },
        }


class Stats:
    """The charts of a selection: ``papers`` selected of the ``library``'s, by ``query``."""

    __slots__ = ("query", "papers", "library", "charts")

    def __init__(self, query: str, papers: int, library: int, charts: list[Chart]):
        self.query = query
        self.papers = papers
        self.library = library
        self.charts = charts

    @property
    def heading(self) -> str:
        """What the charts count: ``52 papers``, ``16 of 52 papers match 'glioblastoma'``."""
        noun = "paper" if self.library == 1 else "papers"
        if self.query:
            return f"{self.papers} of {self.library} {noun} match {self.query!r}"
        return f"{self.papers} {noun}"

    def to_dict(self) -> dict:
        return {
            "query": self.query or None,
            "papers": self.papers,
            "library_papers": self.library,
            "charts": {chart.name: chart.to_dict() for chart in self.charts},
        }


def parse_charts(text: str) -> tuple[str, ...]:
    """The charts ``--by`` names (``year,journal``), in :data:`CHARTS` order."""
    from igbib.errors import UsageError

    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in CHARTS]
    if unknown or not names:
        what = f"unknown chart {unknown[0]!r}" if unknown else "no chart named"
        raise UsageError(f"{what}: choose from {', '.join(CHARTS)}")
    return tuple(c for c in CHARTS if c in names)


def compute(
    library, query: Query | None = None, charts: tuple[str, ...] = CHARTS, top: int = TOP
) -> Stats:
    """The charts ``charts`` of the papers ``query`` selects (every paper if None)."""
    query = query or Query("")
    papers, everything = count.totals(library, query)
    makers = {
        "year": _years,
        "journal": _journals,
        "section": _sections,
        "dataset": _datasets,
        "identifier": _identifiers,
    }
    tags = count.tags(library, query) if set(charts) & set(AXES) else None
    made = []
    for name in charts:
        if name in AXES:
            made.append(_axis(tags, papers, name))
        else:
            made.append(makers[name](library, query, papers, top))
    return Stats(query.text, papers, everything, made)


def _by_count(pairs) -> list[tuple[str, int]]:
    """Most papers first, then by name."""
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0].casefold(), pair[0]))


def _years(library, query, papers, _top) -> Chart:
    """Every year from the first to the last, those without papers too (a gap in the
    list shows), unless they span more than :data:`YEARS_SPANNED` years."""
    rows = count.years(library, query)
    known = {year: n for year, n in rows if year is not None}
    span = range(min(known), max(known) + 1) if known else range(0)
    shown = span if len(span) <= YEARS_SPANNED else sorted(known)
    bars = [Bar(str(year), year, known.get(year, 0)) for year in shown]
    bars.append(Bar("no year", None, sum(n for year, n in rows if year is None), NONE))
    return Chart("year", "Papers by year", bars, papers)


def _journals(library, query, papers, top) -> Chart:
    """Journals written differently only in case or spacing are one journal, shown as
    most of its papers spell it."""
    spellings: dict[str, dict[str, int]] = {}
    without = 0
    for journal, n in count.journals(library, query):
        if journal is None:
            without += n
            continue
        same = spellings.setdefault(" ".join(journal.split()).casefold(), {})
        same[journal] = same.get(journal, 0) + n
    merged = [
        (min(names, key=lambda name: (-names[name], name)), sum(names.values()))
        for names in spellings.values()
    ]
    ranked = _by_count(merged)
    bars = [Bar(name, name, n) for name, n in ranked[:top]]
    rest = ranked[top:]
    if rest:
        label = f"{len(rest)} other journal{'s' if len(rest) > 1 else ''}"
        bars.append(Bar(label, None, sum(n for _, n in rest), OTHER, values=len(rest)))
    bars.append(Bar("no journal", None, without, NONE))
    return Chart("journal", "Papers by journal", bars, papers)


def _sections(library, query, papers, _top) -> Chart:
    rows, unlisted = count.sections(library, query)
    bars = [Bar(name, name, n) for name, n in rows]
    bars.append(Bar("not listed", None, unlisted, NONE))
    return Chart("section", "Papers by section of the list", bars, papers)


def _axis(tags, papers, axis: str) -> Chart:
    """The values of the tags on ``axis`` (:func:`igbib.topics.split_tag`'s)."""
    counts, tagged = tags
    values = []
    for name, n in counts:
        found = split_tag(name)
        if found is not None and found[0] == axis:
            values.append((found[1], n))
    bars = [Bar(value, value, n) for value, n in _by_count(values)]
    bars.append(Bar(f"no {axis} tag", None, papers - tagged.get(axis, 0), NONE))
    return Chart(axis, f"Papers by topic: {axis}", bars, papers)


def _datasets(library, query, papers, _top) -> Chart:
    rows, unlinked = count.datasets(library, query)
    bars = [Bar(name, name, n) for name, n in _by_count(rows)]
    bars.append(Bar("no dataset", None, unlinked, NONE))
    return Chart("dataset", "Papers by dataset", bars, papers)


def _identifiers(library, query, papers, _top) -> Chart:
    from igbib.ids import KINDS, LABELS

    counts, without = count.identifiers(library, query, KINDS)
    bars = [Bar(LABELS[kind], kind, n) for kind, n in zip(KINDS, counts, strict=True)]
    bars.append(Bar("no identifier", None, without, NONE))
    return Chart("identifier", "Papers by identifier", bars, papers)
