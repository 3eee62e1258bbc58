"""Watches: a baseline first, then only what PubMed entered since, never what the
library or the candidates hold; listing never moves them on.

PubMed is the local stand-in answering with recorded esearch and efetch bodies:
"science[journal]" finds the six 2008 Science papers of hawc's recording.
"""

import json

from conftest import digest, igbib, one_line_error

QUERY = "science[journal] AND 2008[dp]"


def watches(db) -> dict:
    return {w["name"]: w for w in json.loads(igbib("--db", db, "watch", "list", "--json").stdout)}


def esearches(services) -> list:
    return [r for r in services.requests("/eutils/esearch")]


def test_first_run_is_a_baseline_then_only_new_papers_are_queued(seed_db, services, monkeypatch):
    monkeypatch.setenv("IGBIB_EFETCH_BATCH", "3")  # the recorded efetch answers hold 3 each
    added = igbib("--db", seed_db, "watch", "add", "science", QUERY, "--tag", "science")
    assert added.returncode == 0, added.stderr
    assert "first run records a baseline" in added.stderr
    first = igbib("--db", seed_db, "watch", "run")
    assert first.returncode == 0, first.stderr
    assert "baseline recorded: 6 papers match today (1 request)" in first.stderr
    (ask,) = esearches(services)
    assert ask.args["retmax"] == "0" and "mindate" not in ask.args
    watch = watches(seed_db)["science"]
    assert watch["baseline"] == 6 and watch["runs"] == 1 and watch["watermark"]
    queue = igbib("--db", seed_db, "screen", "--list")
    assert queue.stdout == ""  # a baseline floods nothing
    # listing never moves the watermark
    for _ in range(2):
        assert watches(seed_db)["science"] == watch
    second = igbib("--db", seed_db, "watch", "run", "science", "--json")
    assert second.returncode == 0, second.stderr
    (report,) = json.loads(second.stdout)["watches"]
    ask = esearches(services)[-1]
    assert ask.args["datetype"] == "edat" and ask.args["mindate"] == watch["watermark"]
    assert report["found"] == 6 and len(report["new"]) == 6
    assert report["requests"] == 1 + 2  # one esearch, two efetch of 3
    queue = igbib("--db", seed_db, "screen", "--list", "--json")
    assert sorted(c["pmid"] for c in json.loads(queue.stdout)) == sorted(
        p["pmid"] for p in report["new"]
    )
    # a third run the same day: the same papers come back and are not new
    third = json.loads(igbib("--db", seed_db, "watch", "run", "--json").stdout)["watches"][0]
    assert third["not_seen_before"] == 0 and third["new"] == []
    assert third["requests"] == 1  # nothing to fetch
    prisma = json.loads(igbib("--db", seed_db, "prisma", "--json").stdout)
    assert prisma["database_results"] == 6
    assert prisma["database_specific_results"] == "watch:science, 6"


def test_since_reports_from_that_day_and_excluded_papers_are_never_offered_again(
    seed_db, services, monkeypatch
):
    monkeypatch.setenv("IGBIB_EFETCH_BATCH", "3")
    igbib("--db", seed_db, "watch", "add", "science", QUERY, "--since", "2008-01-01")
    run = json.loads(igbib("--db", seed_db, "watch", "run", "--json").stdout)["watches"][0]
    assert esearches(services)[-1].args["mindate"] == "2008/01/01"
    assert len(run["new"]) == 6
    first = run["new"][0]
    decided = igbib("--db", seed_db, "screen", first["pmid"], "--exclude", "off-topic")
    assert decided.returncode == 0, decided.stderr
    # the same watch asked again over the same days reports nothing twice
    again = json.loads(
        igbib("--db", seed_db, "watch", "run", "--since", "2008-01-01", "--json").stdout
    )["watches"][0]
    assert again["found"] == 6 and again["not_seen_before"] == 0 and again["new"] == []
    # another search finding them: duplicates, and the excluded one stays excluded
    igbib("--db", seed_db, "watch", "add", "again", QUERY, "--since", "2008-01-01")
    other = json.loads(igbib("--db", seed_db, "watch", "run", "again", "--json").stdout)["watches"][
        0
    ]
    assert other["new"] == [] and other["already_candidates"] == 6
    shown = json.loads(igbib("--db", seed_db, "screen", first["pmid"], "--json").stdout)[0]
    assert shown["status"] == "excluded" and len(shown["decisions"]) == 1
    prisma = json.loads(igbib("--db", seed_db, "prisma", "--json").stdout)
    assert (prisma["database_results"], prisma["duplicates"]) == (12, 6)


def test_run_add_includes_new_papers_in_the_watch_section(seed_db, services, monkeypatch):
    monkeypatch.setenv("IGBIB_EFETCH_BATCH", "3")
    igbib(
        "--db",
        seed_db,
        "watch",
        "add",
        "science",
        QUERY,
        "--since",
        "2008",
        "--section",
        "Watched",
        "--tag",
        "science-2008",
    )
    result = igbib("--db", seed_db, "watch", "run", "--add")
    assert result.returncode == 0, result.stderr
    listed = json.loads(
        igbib("--db", seed_db, "search", "section:Watched", "--json", "--limit", "50").stdout
    )
    assert len(listed) == 6 and all("science-2008" in p["tags"] for p in listed)
    assert json.loads(igbib("--db", seed_db, "prisma", "--json").stdout)["new_studies"] == 6


def test_an_unreachable_pubmed_is_one_line_and_changes_nothing(seed_db, services):
    igbib("--db", seed_db, "watch", "add", "science", QUERY)
    before = (digest(seed_db), watches(seed_db))
    services.fail("/eutils/", *([503] * 20))
    result = igbib("--db", seed_db, "watch", "run")
    line = one_line_error(result, 4)
    assert line.startswith("error: watch 'science': ")
    assert watches(seed_db) == before[1]


def test_watch_refuses_bad_input_in_one_line(seed_db):
    before = digest(seed_db)
    cases = [
        (["watch", "add", "x"], 2, "error: igbib watch add takes NAME and QUERY"),
        (["watch", "add", "x", "q", "--since", "2026-13-01"], 2, "error: bad date"),
        (["watch", "add", "bad\nname", "q"], 2, "error: bad watch name"),
        (["watch", "list", "--add"], 2, "error: --add is an option of igbib watch run"),
        (["watch", "run"], 1, "error: no watches yet"),
        (["watch", "rm", "nothing"], 1, "error: no watch named 'nothing'"),
        (["watch", "go"], 2, "error: no such action 'go'"),
    ]
    for args, code, start in cases:
        result = igbib("--db", seed_db, *args)
        assert one_line_error(result, code).startswith(start), (args, result.stderr)
    assert digest(seed_db) == before
    assert igbib("--db", seed_db, "watch", "add", "x", "q").returncode == 0
    dup = igbib("--db", seed_db, "watch", "add", "X", "other")
    assert one_line_error(dup).startswith("error: a watch named 'X' exists")


def test_pubmed_marks_excluded_papers_and_add_leaves_them_out(seed_db, services, monkeypatch):
    monkeypatch.setenv("IGBIB_EFETCH_BATCH", "3")
    igbib("--db", seed_db, "watch", "add", "science", QUERY, "--since", "2008")
    igbib("--db", seed_db, "watch", "run")
    assert igbib("--db", seed_db, "screen", "18787170", "--exclude", "off-topic").returncode == 0
    shown = igbib("--db", seed_db, "pubmed", "science[journal]")
    assert "18787170\texcluded\t" in shown.stdout
    added = json.loads(
        igbib("--db", seed_db, "pubmed", "science[journal]", "--add", "--json").stdout
    )
    stored = {row["ref"] for row in added["added"]}
    assert "PMID 18787170" not in stored and len(stored) == 5


def test_adding_a_paper_excluded_in_screening_says_so(seed_db, services, monkeypatch):
    monkeypatch.setenv("IGBIB_EFETCH_BATCH", "3")
    igbib("--db", seed_db, "watch", "add", "science", QUERY, "--since", "2008")
    igbib("--db", seed_db, "watch", "run")
    igbib("--db", seed_db, "screen", "18787170", "--exclude", "off-topic")
    result = igbib("--db", seed_db, "add", "18787170")
    assert result.returncode == 0, result.stderr
    assert "was excluded in screening (off-topic); it is in the library now" in result.stderr
