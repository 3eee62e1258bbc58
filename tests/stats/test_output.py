"""``igbib stats`` in a terminal and in a pipe: bars a person can read, with or without colour."""

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import igbib

from igbib.cli.charts import bar

BLOCKS = "█▏▎▍▌▋▊▉"
ROW = re.compile(rf"^  (?P<label>.+?)  (?:(?P<bar>[{BLOCKS}]+) )?(?P<count>\d+)(?: \(\d+%\))?$")


def charts(text: str) -> dict[str, list[tuple[str, str, int]]]:
    """The plain output read back: title -> [(label, bar, count)]."""
    out: dict[str, list] = {}
    title = None
    for line in text.splitlines()[1:]:
        if not line:
            continue
        if not line.startswith("  "):
            title = line
            out[title] = []
            continue
        match = ROW.match(line)
        assert match, line
        out[title].append((match["label"].strip(), match["bar"] or "", int(match["count"])))
    return out


def length(drawn: str) -> float:
    """A bar's length in characters (eighths of one for the last block)."""
    return sum(1 if c == "█" else (" " + BLOCKS[1:]).index(c) / 8 for c in drawn)


def test_a_bar_is_proportional_and_never_hides_a_paper():
    assert bar(8, 8, 10) == "█" * 10
    assert bar(4, 8, 10) == "█" * 5
    assert bar(1, 8, 10) == "█▎"  # 1.25 characters
    assert bar(1, 1000, 10) == "▏"  # too small to see, drawn as the thinnest bar
    assert bar(0, 8, 10) == ""


def test_in_a_pipe_every_chart_is_plain_lines_of_bars_and_counts(seed_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = igbib("--db", seed_db, "stats")
    assert result.returncode == 0 and result.stderr == ""
    assert "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == "52 papers"
    assert max(len(line) for line in lines) <= 80
    shown = charts(result.stdout)
    titles = [
        c["title"]
        for c in json.loads(igbib("--db", seed_db, "stats", "--json").stdout)["charts"].values()
    ]
    assert list(shown) == titles
    data = json.loads(igbib("--db", seed_db, "stats", "--json").stdout)["charts"]["year"]
    years = {str(v["value"]): v["papers"] for v in data["values"]}
    rows = {label: (drawn, count) for label, drawn, count in shown["Papers by year"]}
    assert {label: count for label, (_, count) in rows.items() if label != "no year"} == years
    most = max(years.values())
    widest = max(length(drawn) for drawn, _ in rows.values())
    for drawn, count in rows.values():  # lengths in proportion to the counts
        assert length(drawn) == pytest.approx(widest * count / most, abs=0.125)
        assert bool(drawn) == (count > 0)
    coverage = shown["Papers by identifier"]
    assert coverage[0][0] == "PMID"
    assert re.search(r"^  PMID +█+\S* 44 \(85%\)$", result.stdout, re.M)


def test_the_bars_fill_the_width_they_are_given(seed_db, monkeypatch):
    widths = {}
    for columns in (50, 120):
        monkeypatch.setenv("COLUMNS", str(columns))
        out = igbib("--db", seed_db, "stats", "--by", "year,journal").stdout
        assert max(len(line) for line in out.splitlines()) <= columns
        widths[columns] = max(len(line) for line in out.splitlines())
    assert widths[120] > widths[50] + 50


def test_long_labels_are_cut_not_wrapped(seed_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    out = igbib("--db", seed_db, "stats", "--by", "section").stdout
    (first, second, unlisted) = charts(out)["Papers by section of the list"]
    assert first[0].endswith("…") and second[0].startswith("Imaging Genomics")
    assert unlisted == ("not listed", "", 0)


def run_in_a_terminal(db, env_extra: dict) -> str:
    """What ``igbib stats`` writes to a terminal (a pseudo-terminal), 80 columns wide."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update({"TERM": "xterm-256color", "COLUMNS": "80", **env_extra})
    process = subprocess.Popen(
        [sys.executable, "-m", "igbib", "--db", str(db), "stats", "--by", "year,identifier"],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0, process.stderr.read()
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_a_terminal_gets_colour_and_no_color_turns_it_off(seed_db):
    coloured = run_in_a_terminal(seed_db, {})
    plain = run_in_a_terminal(seed_db, {"NO_COLOR": "1"})
    assert "\x1b[" in coloured
    assert "\x1b[" not in plain
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    assert "Papers by year" in plain and "████" in plain
    piped = igbib("--db", seed_db, "stats", "--by", "year,identifier").stdout
    assert charts(plain) == charts(piped)  # the same bars, terminal or not


def test_stats_imports_neither_matplotlib_nor_rich_in_a_pipe(seed_db):
    """Start-up: matplotlib only for --plot, rich only on a terminal."""
    script = (
        "import sys\n"
        "from igbib.cli import execute\n"
        f"code = execute(['--db', {str(seed_db)!r}, 'stats'])\n"
        "sys.stdout.flush()\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'rich', 'numpy'})\n"
        "sys.stderr.write(f'{code} HEAVY {heavy}\\n')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.stderr.splitlines()[-1] == "0 HEAVY []", result.stderr
    assert "Papers by year" in result.stdout
