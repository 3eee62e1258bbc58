"""Markdown that is hard to parse in linear time, and a plain list of the same size.

Each hostile case scales the construct that hurts with the file, so a parser
that backtracks (a regex with nested or adjacent quantifiers, a search for a
closing ``-->`` or ``</details>`` from every opening) takes time that grows
faster than the file: at 4 KB it may look fine, at 16 KB or 64 KB it does not.
A linear parser reads every case at about the speed of :func:`plain`, the
ordinary entries a real list is made of.

Shared by ``tests/importers/test_markdown_speed.py`` (16 KB, against a limit)
and ``bench/bench_import_lists.py`` (4, 16 and 64 KB, ratios only). Both time a
parse with :func:`time_parse`, in a child process: Python cannot interrupt a
regular expression that is backtracking (a signal handler runs only once the
match returns), so a child that can be killed is the only sure time limit.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: One ordinary entry, the form the seed list uses.
PLAIN_ENTRY = (
    "* Smith et al., [A title {i}](https://pubmed.ncbi.nlm.nih.gov/{pmid}/), *Radiology*, 2014"
)


@dataclass(frozen=True)
class Case:
    """One hostile input: ``make(size)`` gives about ``size`` bytes of Markdown."""

    name: str
    what: str  # one line for reports
    make: Callable[[int], str]
    #: True when the file holds nothing a reader would call a paper
    no_papers: bool = True


def plain(size: int) -> str:
    """A list of ordinary entries, about ``size`` bytes: the baseline."""
    lines = ["# Papers", ""]
    total = sum(len(x) + 1 for x in lines)
    i = 0
    while total < size:
        line = PLAIN_ENTRY.format(i=i, pmid=10_000_000 + i)
        lines.append(line)
        total += len(line) + 1
        i += 1
    return "\n".join(lines) + "\n"


def _fill(head: str, unit: str, tail: str, size: int) -> str:
    """``head`` + ``unit`` repeated + ``tail``, about ``size`` bytes in all."""
    count = max(1, (size - len(head) - len(tail)) // len(unit))
    return head + unit * count + tail


def _lines(unit: str, size: int) -> str:
    """``unit`` (one or more whole lines) repeated to about ``size`` bytes."""
    return "# Papers\n\n" + unit * max(1, (size - 10) // len(unit))


def _heading_spaces(size: int) -> str:
    return _fill("# Heading", " ", "text\n", size)


def _stars(size: int) -> str:
    return _fill("* a ", "*", " a\n", size)


def _underscores(size: int) -> str:
    return _fill("* a ", "_", " a\n", size)


def _mixed_emphasis(size: int) -> str:
    return _fill("* ", "*a_", "\n", size)


def _brackets(size: int) -> str:
    return _fill("* ", "[", "\n", size)


def _unclosed_links(size: int) -> str:
    return _fill("* ", "[a](b", "\n", size)


def _comment_one_line(size: int) -> str:
    return _fill("* ", "<!--", "\n", size)


def _comment_lines(size: int) -> str:
    return _lines("<!-- a\n", size)


def _details(size: int) -> str:
    return _lines("<details>\n", size)


def _links_in_one_item(size: int) -> str:
    links = []
    total = 2
    i = 0
    while total < size:
        link = f"[link {i}](https://pubmed.ncbi.nlm.nih.gov/{20_000_000 + i}/)"
        links.append(link)
        total += len(link) + 2
        i += 1
    return "* " + ", ".join(links) + "\n"


def _table_cells(size: int) -> str:
    return _fill("| Date | Title |\n| --- | --- |\n", "|a", "|\n", size)


_ENTRY_HEAD = "* Smith et al., [A title](https://pubmed.ncbi.nlm.nih.gov/123/), "


def _entry_emphasis_spaces(size: int) -> str:
    return _fill(_ENTRY_HEAD + "*", " ", "Radiology, 2014\n", size)


def _entry_trailing_spaces(size: int) -> str:
    return _fill(_ENTRY_HEAD + "Radiology", " ", "x\n", size)


def _title_spaces(size: int) -> str:  # a text title, then a dash after many spaces
    return _fill("- Title a", " ", "b - c [pdf](https://arxiv.org/abs/1234.56789)\n", size)


def _many_tags(size: int) -> str:  # bracket tags before a paper link
    return _fill("- ", "[aaaa] ", "[pdf](https://arxiv.org/abs/1234.56789)\n", size)


def _digit_label(size: int) -> str:  # a link label of digits (``[paper 2]`` gone long)
    return _fill("- [", "1", "x](https://a.org)\n", size)


def _html_attribute_spaces(size: int) -> str:  # an HTML tag with a long attribute
    return _fill('- <a title="> <', " ", '" href="https://a.org">x</a>\n', size)


def _blank_code_block(size: int) -> str:  # a code block of blank lines (BibTeX is looked for)
    return _fill("```\n", "\n", "```\n", size)


#: The hostile cases, in the order reports show them.
CASES: tuple[Case, ...] = (
    Case("heading-spaces", "`# Heading` + spaces + `text` on one line", _heading_spaces),
    Case("stars", "a run of `*` in a list item", _stars),
    Case("underscores", "a run of `_` in a list item", _underscores),
    Case("mixed-emphasis", "`*a_` repeated in a list item", _mixed_emphasis),
    Case("brackets", "a run of `[` in a list item", _brackets),
    Case("unclosed-links", "`[a](b` repeated in a list item", _unclosed_links),
    Case("comment-one-line", "`<!--` repeated in a list item, never closed", _comment_one_line),
    Case("comment-lines", "`<!-- a` on every line, never closed", _comment_lines),
    Case("details", "`<details>` on every line, never closed", _details),
    Case(
        "links-in-one-item",
        "one list item of PubMed links, no author, journal or year",
        _links_in_one_item,
        no_papers=False,  # a reader may take every PubMed link for a paper
    ),
    Case("table-cells", "a pipe table whose one row has many cells", _table_cells),
    # Two more, from the entry parser's own regexes: the journal slot of a real entry.
    Case(
        "entry-emphasis-spaces",
        "an entry whose journal opens `*`, then spaces, never closed",
        _entry_emphasis_spaces,
        no_papers=False,
    ),
    Case(
        "entry-trailing-spaces",
        "an entry whose journal is followed by spaces and a word, no year",
        _entry_trailing_spaces,
        no_papers=False,
    ),
    # From a review of the reader's own patterns: each was quadratic once.
    Case(
        "title-spaces",
        "a text title, spaces, then ` - ` and a [pdf] link",
        _title_spaces,
        no_papers=False,
    ),
    Case("many-tags", "`[aaaa] ` repeated before a [pdf] link", _many_tags, no_papers=False),
    Case("digit-label", "a link label of digits", _digit_label),
    Case("html-attribute-spaces", "an HTML tag with a long attribute", _html_attribute_spaces),
    Case("blank-code-block", "a fenced code block of blank lines", _blank_code_block),
)


# -- timing a parse in a child process -----------------------------------------------

_CHILD = """
import json, sys, time
from pathlib import Path
from igbib.importers.markdown import parse_markdown

path, runs, stop_after, min_total = sys.argv[1:5]
runs, stop_after, min_total = int(runs), float(stop_after), float(min_total)
text = Path(path).read_text(encoding="utf-8")
print("ready", flush=True)
times = []
while True:
    start = time.perf_counter()
    parsed = parse_markdown(text)
    times.append(time.perf_counter() - start)
    if times[-1] > stop_after or len(times) >= 1000:
        break
    if len(times) >= runs and sum(times) >= min_total:
        break
others = getattr(parsed, "others", [])
print(json.dumps({"times": times, "papers": len(parsed.entries), "others": len(others)}))
"""


@dataclass
class Timing:
    """What a child process found: the best of its parse times, or why there is none."""

    best: float | None = None  # seconds
    runs: int = 0
    papers: int | None = None
    others: int | None = None
    timed_out: bool = False
    error: str = ""  # the child's traceback, or why it gave no result


def time_parse(
    text: str,
    *,
    budget: float,
    runs: int = 3,
    stop_after: float = float("inf"),
    min_total: float = 0.0,
    folder: Path | None = None,
    startup: float = 60.0,
) -> Timing:
    """Time ``parse_markdown(text)`` in a fresh Python: the best of ``runs`` runs.

    The child runs again until it has ``runs`` runs and ``min_total`` seconds of
    them (for inputs parsed in microseconds), and stops after any run longer than
    ``stop_after``. It is killed when its parsing has taken ``budget`` seconds in
    all; starting Python and importing igbib (up to ``startup`` seconds) is not
    counted, so a slow machine does not eat into the budget.
    """
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        path = Path(tmp) / "input.md"
        path.write_text(text, encoding="utf-8")
        argv = [sys.executable, "-c", _CHILD, str(path), str(runs), repr(stop_after)]
        proc = subprocess.Popen(
            [*argv, repr(min_total)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,  # unbuffered: readline() takes the "ready" line and no more
        )
        try:
            return _wait(proc, budget, startup)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()


def _wait(proc: subprocess.Popen, budget: float, startup: float) -> Timing:
    readable, _, _ = select.select([proc.stdout], [], [], startup)
    first = proc.stdout.readline() if readable else b""
    if first.strip() != b"ready":
        proc.kill()
        _, err = proc.communicate()
        why = err.decode(errors="replace").strip() or f"not started in {startup:g} s"
        return Timing(error=why)
    try:
        out, err = proc.communicate(timeout=budget)
    except subprocess.TimeoutExpired:
        return Timing(timed_out=True, error=f"still parsing after {budget:.2f} s")
    if proc.returncode != 0:
        return Timing(error=err.decode(errors="replace").strip()[-3000:])
    result = json.loads(out)
    return Timing(
        best=min(result["times"]),
        runs=len(result["times"]),
        papers=result["papers"],
        others=result["others"],
    )
