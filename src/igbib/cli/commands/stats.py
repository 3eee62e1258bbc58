"""``igbib stats [QUERY...]``: what the library holds, as bar charts."""

from __future__ import annotations

from igbib.cli import output
from igbib.cli.common import build_query, open_library
from igbib.cli.spec import DB, JSON, Command, Option, query_argument
from igbib.errors import IgbibError


def _charts(text: str):
    from igbib.ops.stats import parse_charts

    return parse_charts(text)


def _chart_names() -> tuple[str, ...]:
    from igbib.ops.stats import CHARTS

    return CHARTS


def _plot_format(path: str) -> str:
    from igbib.plot import format_of

    return format_of(path)


COMMAND = Command(
    "stats",
    """Papers counted by year, journal, section, topic (site, modality, target,
    method), dataset and identifier, as bar charts.

    A query selects the papers counted, as in igbib search. --plot draws the
    same charts to a PNG or SVG file (needs matplotlib: pip install 'igbib[plot]').
    """,
    (
        query_argument("Only papers matching this search (default: all)."),
        Option(
            ("--by",),
            "by",
            "Only these charts, separated by commas (default: all).",
            metavar="CHART,...",
            suggest=_chart_names,
            check=_charts,
        ),
        Option(
            ("--top",),
            "top",
            "Journals: the N with the most papers, the rest as one bar.",
            kind=int,
            metavar="N",
            minimum=1,
            default=10,
        ),
        Option(
            ("--plot",),
            "plot",
            "Draw the charts to FILE (.png or .svg) instead of printing them.",
            metavar="FILE",
            complete="files",
            check=_plot_format,
        ),
        JSON,
        DB,
    ),
    example="igbib stats year:2010..2016 --by year,journal --plot charts.svg",
)


def run(words=(), by=None, top=10, plot=None, as_json=False, db=None) -> None:
    from igbib.ops.stats import CHARTS, compute, parse_charts

    if plot is not None:
        from igbib import plot as drawing

        if not drawing.available():
            raise IgbibError("--plot needs matplotlib: pip install 'igbib[plot]'")
    query = build_query(list(words))
    with open_library(db) as library:
        stats = compute(library, query, parse_charts(by) if by else CHARTS, top)
    if not stats.papers:
        why = f"no papers match {query.text!r}" if query.text else "the library holds no papers"
        raise IgbibError(why + (f"; {plot} is left as it was" if plot else "; nothing to count"))
    if plot is not None:
        from igbib.exporters import write_atomic

        write_atomic(plot, drawing.draw(stats, drawing.format_of(plot)))
    if as_json:
        output.print_json(stats.to_dict())
    elif plot is None:
        from igbib.cli.charts import print_charts

        print_charts(stats)
    if plot is not None:
        charts = "chart" if len(stats.charts) == 1 else "charts"
        output.note(f"Wrote {len(stats.charts)} {charts} to {plot}.")
