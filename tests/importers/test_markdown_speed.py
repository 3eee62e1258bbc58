"""Reading a list takes time in proportion to its size, whatever Markdown it holds.

Each hostile input of ``tests/hostile_markdown.py``, made 16 KB long, must parse
within ``LIMIT_RATIO`` times the time of a plain list of ordinary entries of the
same size, both measured in this run (best of ``RUNS``), or within ``FLOOR``
seconds, whichever is more: a linear parser reads 16 KB in milliseconds, and the
floor absorbs a busy machine. A parser that backtracks misses the limit by orders
of magnitude, not by a factor of two.

Every parse runs in a child process with a time budget, so a catastrophically
slow parser fails its case in about a second instead of hanging the suite.
"""

import pytest
from hostile_markdown import CASES, plain, time_parse

SIZE = 16 * 1024
RUNS = 3
LIMIT_RATIO = 20
FLOOR = 0.25  # seconds


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """(text, timing) of the plain list: ordinary entries, ``SIZE`` bytes."""
    text = plain(SIZE)
    timing = time_parse(text, budget=30, runs=RUNS, folder=tmp_path_factory.mktemp("plain"))
    assert timing.best is not None, timing.error
    return text, timing


def test_the_plain_baseline_is_read_as_one_paper_per_line(baseline):
    text, timing = baseline
    assert abs(len(text) - SIZE) < 100
    assert timing.papers == text.count("\n* ") > 100


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_parses_in_time_proportional_to_its_size(case, baseline, tmp_path):
    plain_best = baseline[1].best
    limit = max(LIMIT_RATIO * plain_best, FLOOR)
    budget = RUNS * limit + 1
    text = case.make(SIZE)
    assert abs(len(text) - SIZE) < 100

    timing = time_parse(text, budget=budget, runs=RUNS, stop_after=limit, folder=tmp_path)

    against = (
        f"limit {limit:.3f} s = max({LIMIT_RATIO} x plain {plain_best * 1000:.1f} ms, {FLOOR} s)"
    )
    assert not timing.timed_out, f"{case.what}: {len(text):,} bytes {timing.error}; {against}"
    assert timing.best is not None, f"{case.what}: parse_markdown raised\n{timing.error}"
    assert timing.best <= limit, (
        f"{case.what}: {timing.best:.3f} s for {len(text):,} bytes, "
        f"{timing.best / plain_best:.0f}x the plain list; {against}"
    )
    if case.no_papers:
        assert timing.papers == 0
