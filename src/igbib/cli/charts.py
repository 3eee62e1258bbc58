"""Bar charts in the terminal: one line a bar, ``2014  ████████ 8``.

Bars are drawn with block characters, to an eighth of a character, scaled so the
longest fills the width left by the labels. On a terminal the lines are coloured
with rich; in a pipe, or under ``NO_COLOR``, they are the same lines as plain
text, written without importing rich.
"""

from __future__ import annotations

import os
import sys

from igbib.cli import output
from igbib.ops.stats import VALUE

#: An eighth of a character to seven eighths, then a whole one.
_EIGHTHS = " ▏▎▍▌▋▊▉"
_FULL = "█"
#: A label is cut (with …) beyond this share of the width.
_LABEL_SHARE = 0.4
_INDENT = "  "


def bar(papers: int, most: int, room: int) -> str:
    """A bar of ``papers`` in a chart whose longest bar (``most``) fills ``room`` characters;
    a bar of at least one paper is never empty."""
    if papers <= 0 or most <= 0 or room <= 0:
        return ""
    eighths = round(papers * room * 8 / most)
    full, part = divmod(max(eighths, 1), 8)
    return _FULL * full + (_EIGHTHS[part] if part else "")


def _cut(label: str, width: int) -> str:
    label = " ".join(label.split())
    return label if len(label) <= width else label[: width - 1] + "…"


def chart_lines(chart, width: int):
    """``(label, bar, count, kind)`` for each bar of ``chart``, fitted to ``width`` columns."""
    counts = [chart.shown(b) for b in chart.bars]
    label_width = max(8, int(width * _LABEL_SHARE))
    labels = [_cut(b.label, label_width) for b in chart.bars]
    label_width = max(len(label) for label in labels)
    room = width - len(_INDENT) - label_width - 2 - 1 - max(len(c) for c in counts)
    most = max(b.papers for b in chart.bars)
    for b, label, shown in zip(chart.bars, labels, counts, strict=True):
        yield label.ljust(label_width), bar(b.papers, most, max(room, 1)), shown, b.kind


def print_charts(stats, stream=None) -> None:
    """Every chart of ``stats``: coloured on a terminal (unless ``NO_COLOR``), plain otherwise."""
    stream = stream or sys.stdout
    width = _width(stream)
    if output.colour(stream):
        _print_rich(stats, stream, width)
        return
    lines = [stats.heading]
    for chart in stats.charts:
        lines += ["", chart.title]
        for label, drawn, shown, _kind in chart_lines(chart, width):
            lines.append(_line(label, drawn, shown))
    stream.write("\n".join(lines) + "\n")


def _width(stream) -> int:
    """The width to fill: ``$COLUMNS`` if set, else the terminal's, else 80."""
    try:
        return max(int(os.environ.get("COLUMNS", "")), 20)
    except ValueError:
        pass
    if output.is_terminal(stream):
        try:
            return max(os.get_terminal_size(stream.fileno()).columns, 20)
        except (OSError, ValueError):
            pass
    return 80


def _print_rich(stats, stream, width: int) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=stream, highlight=False, soft_wrap=True, width=width)
    console.print(f"[bold]{escape(stats.heading)}[/]")
    for chart in stats.charts:
        console.print()
        console.print(f"[bold]{escape(chart.title)}[/]")
        for label, drawn, shown, kind in chart_lines(chart, width):
            style = "cyan" if kind == VALUE else "dim"
            console.print(_line(escape(label), drawn and f"[{style}]{drawn}[/]", shown))


def _line(label: str, drawn: str, shown: str) -> str:
    return f"{_INDENT}{label}  {drawn + ' ' if drawn else ''}{shown}"
