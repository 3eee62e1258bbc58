"""The charts of :mod:`igbib.ops.stats` drawn with matplotlib, as PNG or SVG.

matplotlib is an optional extra (``pip install 'igbib[plot]'``), imported only
when a chart is drawn; without it :func:`draw` raises :class:`MatplotlibMissing`.
One figure holds every chart, one panel each, drawn on matplotlib's Agg canvas
(no window, no display needed). The same charts give the same file, byte for
byte: SVG ids come from a fixed salt, and no date is written into it.
"""

from __future__ import annotations

import os

from igbib.errors import IgbibError, UsageError

#: The file formats, by the extension of the file's name.
FORMATS = ("png", "svg")
#: The colours of a value's bar, and of the "other" and "none" bars.
_VALUE_COLOUR = "#2b6f9e"
_REST_COLOUR = "#a8a8a8"
#: A label is cut (with …) beyond this many characters.
_LABEL_CHARACTERS = 42
#: Beyond this many columns their labels are turned on end, so they do not overlap.
_UPRIGHT_LABELS = 8
_PNG_DPI = 150
#: What matplotlib is told for every drawing: reproducible SVG with text as text.
_SETTINGS = {
    "svg.hashsalt": "igbib",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",  # shipped with matplotlib: the same on every machine
    "font.size": 9,
    "text.parse_math": False,  # a title with two $ is a title, not a formula
}


class MatplotlibMissing(IgbibError):
    """Drawing needs matplotlib, which is not installed."""


def format_of(path: str) -> str:
    """The format of the file ``path`` names (its extension), or a :class:`UsageError`."""
    extension = os.path.splitext(path)[1].lower().lstrip(".")
    if extension not in FORMATS:
        named = f"a .{extension} file" if extension else "a file without an extension"
        raise UsageError(f"charts are drawn to .png or .svg files, not {named} ({path})")
    return extension


def available() -> bool:
    """Whether matplotlib can be imported."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def draw(stats, fmt: str) -> bytes:
    """The charts of ``stats`` (an :class:`igbib.ops.stats.Stats`) as a ``fmt`` file."""
    if not available():
        raise MatplotlibMissing("drawing charts needs matplotlib: pip install 'igbib[plot]'")
    import io

    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_SETTINGS):
        figure = Figure(figsize=(_WIDTH, 1))
        canvas = FigureCanvasAgg(figure)
        left = _left_margin(canvas.get_renderer(), stats.charts)
        panels = [_panel(chart) for chart in stats.charts]
        height = _HEADING + sum(sum(panel) for panel in panels)
        figure.set_size_inches(_WIDTH, height)
        figure.suptitle(stats.heading, y=1 - 0.2 / height, va="top", fontweight="bold")
        top = height - _HEADING
        for chart, (above, area, below) in zip(stats.charts, panels, strict=True):
            top -= above + area
            box = (left / _WIDTH, top / height, (_WIDTH - left - _RIGHT) / _WIDTH, area / height)
            (_columns if chart.name == "year" else _rows)(figure.add_axes(box), chart)
            top -= below
        out = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {}
        figure.savefig(out, format=fmt, dpi=_PNG_DPI, metadata=metadata)
    return out.getvalue()


# The layout, in inches, worked out here rather than by matplotlib's layout engines: the
# constrained one's solver gives a position a different last digit from one drawing to the
# next, which changes the SVG's ids.
_WIDTH = 8.0
_HEADING = 0.5  # the figure's heading
_RIGHT = 0.3
_TITLE = 0.35  # above each chart
_GAP = 0.25  # between charts
_BAR = 0.22  # a bar of a chart of rows
_COLUMNS_HEIGHT = 1.6  # a chart of columns
_AXIS = 0.5  # an axis's numbers and name
_UPRIGHT_AXIS = 0.7  # an axis of labels turned on end


def _panel(chart) -> tuple[float, float, float]:
    """Inches above the chart's bars (its title), of the bars, and below them (its axis)."""
    if chart.name == "year":
        upright = len(chart.bars) > _UPRIGHT_LABELS
        return _TITLE, _COLUMNS_HEIGHT, (_UPRIGHT_AXIS if upright else _AXIS) + _GAP
    return _TITLE, _BAR * len(chart.bars) + 0.1, _AXIS + _GAP


def _left_margin(renderer, charts) -> float:
    """Inches left of the bars: room for the longest label of a chart of rows."""
    from matplotlib.font_manager import FontProperties

    font = FontProperties(size=_SETTINGS["font.size"])
    labels = [_cut(b.label) for chart in charts if chart.name != "year" for b in chart.bars]
    widest = max(
        (renderer.get_text_width_height_descent(t, font, ismath=False)[0] for t in labels),
        default=0,
    )
    return max(widest / renderer.dpi + 0.25, 0.8)


def _colours(chart) -> list[str]:
    from igbib.ops.stats import VALUE

    return [_VALUE_COLOUR if b.kind == VALUE else _REST_COLOUR for b in chart.bars]


def _cut(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= _LABEL_CHARACTERS else label[: _LABEL_CHARACTERS - 1] + "…"


def _finish(ax, chart, bars, counts) -> None:
    """Title, each bar's count, whole numbers on the axis of counts, no box."""
    from matplotlib.ticker import MaxNLocator

    counts.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(chart.title, loc="left", fontweight="bold")
    ax.bar_label(bars, [chart.shown(b) for b in chart.bars], padding=2, fontsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _columns(ax, chart) -> None:
    """A column a bar, left to right (years)."""
    positions = range(len(chart.bars))
    bars = ax.bar(positions, [b.papers for b in chart.bars], color=_colours(chart))
    ax.set_xticks(list(positions), [_cut(b.label) for b in chart.bars])
    if len(chart.bars) > _UPRIGHT_LABELS:
        ax.tick_params(axis="x", labelrotation=90)
    ax.set_ylabel("papers")
    ax.margins(y=0.15)
    _finish(ax, chart, bars, ax.yaxis)


def _rows(ax, chart) -> None:
    """A row a bar, top to bottom, labelled on the left."""
    positions = range(len(chart.bars))
    bars = ax.barh(positions, [b.papers for b in chart.bars], height=0.7, color=_colours(chart))
    ax.set_yticks(list(positions), [_cut(b.label) for b in chart.bars])
    ax.invert_yaxis()
    ax.set_xlabel("papers")
    ax.margins(x=0.1)
    _finish(ax, chart, bars, ax.xaxis)
