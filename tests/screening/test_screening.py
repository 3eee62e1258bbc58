"""Screening: decisions kept with who and when, inclusion into the list, exclusion as a
negative, ASReview and RIS files of decisions, and the PRISMA record of it all.

The decisions are the real ones of a systematic review (SYNERGY's Sep_2021: 273
records, 40 included), as ASReview reads them.
"""

import csv
import io
import json

from conftest import FIXTURES, digest, exports, igbib, one_line_error

SYNERGY = FIXTURES / "screening" / "synergy_Sep_2021_ids.csv"
TEMPLATE = FIXTURES / "screening" / "prisma2020_PRISMA.csv"


def synergy_labels() -> dict[str, int]:
    with open(SYNERGY, newline="") as handle:
        return {
            row["pmid"].rstrip("/").rsplit("/", 1)[-1]: int(row["label_included"])
            for row in csv.DictReader(handle)
        }


def imported(db, *extra):
    result = igbib("--db", db, "screen", "--import", SYNERGY, "--no-fetch", *extra)
    assert result.returncode == 0, result.stderr
    return result


def test_importing_synergy_decisions_gives_its_prisma_counts(seed_db, tmp_path):
    labels = synergy_labels()
    assert len(labels) == 273 and sum(labels.values()) == 40
    imported(seed_db, "--reviewer", "Sep")
    counts = json.loads(igbib("--db", seed_db, "prisma", "--json").stdout)
    assert counts["database_results"] == 273 and counts["duplicates"] == 0
    assert counts["records_screened"] == 273
    assert counts["records_excluded"] == 273 - 40
    assert counts["new_studies"] == 40
    assert counts["previous_studies"] == 52  # the seed list, before screening
    assert counts["total_studies"] == 92
    # the official template, with n filled in for its keys and every other cell as it was
    out = tmp_path / "prisma.csv"
    assert igbib("--db", seed_db, "prisma", "-o", out).returncode == 0
    written = list(csv.reader(io.StringIO(out.read_text())))
    template = list(csv.reader(io.StringIO(TEMPLATE.read_text())))
    assert [row[:-1] for row in written] == [row[:-1] for row in template]
    n = {row[0]: row[-1] for row in written}
    assert (n["database_results"], n["records_screened"], n["records_excluded"]) == (
        "273",
        "273",
        "233",
    )
    assert n["new_studies"] == "40" and n["database_specific_results"] == (
        "synergy_Sep_2021_ids.csv, 273"
    )


def test_included_records_join_the_list_and_excluded_ones_stay_out(seed_db):
    imported(seed_db, "--section", "Sep 2021")
    listed = json.loads(
        igbib("--db", seed_db, "search", "section:Sep", "--json", "--limit", "500").stdout
    )
    included = {pmid for pmid, label in synergy_labels().items() if label}
    assert {p["pmid"] for p in listed} == included
    export = igbib("--db", seed_db, "export", "-f", "csv").stdout
    assert export.count("\n") == 1 + 52 + 40  # excluded records are not exported
    queue = igbib("--db", seed_db, "screen", "--list")
    assert queue.stdout == "" and "0 candidates to screen" in queue.stderr


def test_decisions_are_appended_with_reviewer_and_time_and_undone(seed_db):
    imported(seed_db, "--reviewer", "Sep")
    before = (exports(seed_db), igbib("--db", seed_db, "prisma", "--json").stdout)
    decided = igbib(
        "--db", seed_db, "screen", "27753457", "--exclude", "no-imaging", "--reviewer", "Ana"
    )
    assert decided.returncode == 0, decided.stderr
    assert "excluded: no-imaging (was included)" in decided.stdout
    assert "taken out of the library" in decided.stdout
    shown = json.loads(igbib("--db", seed_db, "screen", "27753457", "--json").stdout)[0]
    assert shown["status"] == "excluded" and shown["reason"] == "no-imaging"
    assert [(d["decision"], d["reviewer"]) for d in shown["decisions"]] == [
        ("include", "Sep"),
        ("exclude", "Ana"),
    ]
    assert all(d["at"].endswith("+00:00") for d in shown["decisions"])
    assert igbib("--db", seed_db, "search", "pmid:27753457").stdout == ""
    assert igbib("--db", seed_db, "undo").returncode == 0
    assert (exports(seed_db), igbib("--db", seed_db, "prisma", "--json").stdout) == before
    shown = json.loads(igbib("--db", seed_db, "screen", "27753457", "--json").stdout)[0]
    assert shown["status"] == "included" and len(shown["decisions"]) == 1
    assert json.loads(igbib("--db", seed_db, "search", "pmid:27753457", "--json").stdout)


def test_asreview_csv_and_ris_round_trip(seed_db, tmp_path, monkeypatch):
    imported(seed_db)
    igbib("--db", seed_db, "screen", "c2", "--exclude", "not-human")
    for fmt in ("asreview", "ris"):
        out = tmp_path / f"decisions.{fmt}"
        result = igbib("--db", seed_db, "screen", "--export", out, "-f", fmt)
        assert result.returncode == 0, result.stderr
        fresh = tmp_path / f"fresh-{fmt}.sqlite"
        assert igbib("--db", fresh, "import", FIXTURES / "cdl-sample.bib").returncode == 0
        again = igbib("--db", fresh, "screen", "--import", out, "--no-fetch")
        assert again.returncode == 0, again.stderr
        mine = json.loads(igbib("--db", seed_db, "prisma", "--json").stdout)
        theirs = json.loads(igbib("--db", fresh, "prisma", "--json").stdout)
        for key in ("records_screened", "records_excluded", "new_studies"):
            assert mine[key] == theirs[key], (fmt, key)
        text = out.read_text()
        if fmt == "asreview":
            rows = list(csv.DictReader(io.StringIO(text)))
            assert len(rows) == 273 and sum(r["label_included"] == "1" for r in rows) == 39
            assert [r["exclusion_reason"] for r in rows if r["pmid"] == "25892362"] == ["not-human"]
        else:
            assert text.count("N1  - ASReview_relevant") == 39
            assert text.count("N1  - ASReview_irrelevant") == 234
            assert "N1  - Exclusion reason: not-human" in text
        theirs_c2 = json.loads(igbib("--db", fresh, "screen", "25892362", "--json").stdout)
        assert theirs_c2[0]["reason"] == "not-human"


def test_a_file_of_decisions_is_read_whole_or_not_at_all(seed_db, tmp_path):
    before = digest(seed_db)
    bad = tmp_path / "bad.csv"
    text = SYNERGY.read_text().splitlines()
    text[5] = text[5].rsplit(",", 2)[0] + ",maybe,id_retrieval_pmid"
    bad.write_text("\n".join(text) + "\n")
    result = igbib("--db", seed_db, "screen", "--import", bad, "--no-fetch")
    assert result.returncode == 1
    assert one_line_error(result) == (f"error: {bad}: line 6: label 'maybe' is not 1, 0 or empty")
    nolabel = tmp_path / "nolabel.csv"
    nolabel.write_text("pmid,title\n123,A title\n")
    result = igbib("--db", seed_db, "screen", "--import", nolabel, "--no-fetch")
    assert result.returncode == 1 and "has no label column" in one_line_error(result)
    assert digest(seed_db) == before


def test_screening_refuses_what_it_cannot_do_in_one_line(seed_db):
    imported(seed_db)
    before = digest(seed_db)
    cases = [
        (["screen", "c99999", "--include"], 1, "error: no candidate c99999"),
        (["screen", "c1", "--include", "--maybe"], 2, "error: give one decision"),
        (["screen", "c1", "--exclude", "no\nreason"], 2, "error: bad reason"),
        (["screen", "--list", "c1"], 2, "error: --list goes alone"),
        (["screen"], 2, "error: igbib screen walks the queue on a terminal"),
        (["screen", "c1", "--include", "--stage", "final"], 2, "error:"),
    ]
    for args, code, start in cases:
        result = igbib("--db", seed_db, *args)
        assert result.returncode == code, (args, result)
        assert one_line_error(result, code).startswith(start), (args, result.stderr)
    assert digest(seed_db) == before


def test_a_merge_or_removal_keeps_the_decisions(seed_db):
    imported(seed_db)
    key = json.loads(igbib("--db", seed_db, "search", "pmid:27753457", "--json").stdout)[0]
    assert igbib("--db", seed_db, "rm", key["citekey"], "--yes").returncode == 0
    shown = json.loads(igbib("--db", seed_db, "screen", "27753457", "--json").stdout)[0]
    assert shown["status"] == "included" and len(shown["decisions"]) == 1


def test_a_record_of_a_library_paper_is_linked_to_it_not_stored_twice(seed_db, tmp_path):
    """PMID 26864054 is Bai 2016 in the seed; a file naming it under another title is
    that paper, not a second one sharing its PMID."""
    one = tmp_path / "one.csv"
    one.write_text("pmid,title,label_included\n26864054,Some other title,1\n")
    result = igbib("--db", seed_db, "screen", "--import", one, "--no-fetch")
    assert result.returncode == 0, result.stderr
    shown = json.loads(igbib("--db", seed_db, "show", "26864054", "--json").stdout)
    assert shown["citekey"] == "bai2016imaging"
    assert json.loads(igbib("--db", seed_db, "info", "--json").stdout)["papers"] == 52
    assert json.loads(igbib("--db", seed_db, "prisma", "--json").stdout)["total_studies"] == 53


def test_importing_the_same_file_again_counts_nothing_twice(seed_db, tmp_path):
    imported(seed_db)
    first = json.loads(igbib("--db", seed_db, "prisma", "--json").stdout)
    again = imported(seed_db)
    assert "273 decided so already" in again.stderr
    assert json.loads(igbib("--db", seed_db, "prisma", "--json").stdout) == first
    shown = json.loads(igbib("--db", seed_db, "screen", "27753457", "--json").stdout)[0]
    assert len(shown["decisions"]) == 1
    # the same record decided both ways in one file is refused, naming both lines
    both = tmp_path / "both.csv"
    both.write_text("pmid,label_included\n111,1\n222,0\n111,0\n")
    result = igbib("--db", seed_db, "screen", "--import", both, "--no-fetch")
    assert one_line_error(result) == (
        f"error: {both}: line 4: the record of line 2 again, decided otherwise"
        " (exclude, not include)"
    )


def test_full_text_decisions_keep_the_flow_whole_and_survive_a_round_trip(seed_db, tmp_path):
    imported(seed_db)
    before = json.loads(igbib("--db", seed_db, "prisma", "--json").stdout)
    # an included record's full text is not to be had; an excluded one read in full after all
    assert (
        igbib(
            "--db",
            seed_db,
            "screen",
            "27753457",
            "--exclude",
            "no-full-text",
            "--stage",
            "fulltext",
        ).returncode
        == 0
    )
    assert (
        igbib("--db", seed_db, "screen", "27566183", "--include", "--stage", "fulltext").returncode
        == 0
    )
    assert igbib("--db", seed_db, "screen", "c3", "c3", "--maybe").returncode == 0
    after = json.loads(igbib("--db", seed_db, "prisma", "--json").stdout)
    assert after["records_screened"] == before["records_screened"] - 1  # c3: maybe now
    assert after["dbr_sought_reports"] == before["dbr_sought_reports"]  # -c3... +27566183
    assert after["dbr_notretrieved_reports"] == 1
    assert after["new_studies"] == after["dbr_assessed"] - 0 == before["new_studies"] - 1
    shown = json.loads(igbib("--db", seed_db, "screen", "c3", "--json").stdout)[0]
    assert [d["decision"] for d in shown["decisions"]] == ["include", "maybe"]  # c3 c3: once
    for fmt in ("asreview", "ris"):
        out = tmp_path / f"d.{fmt}"
        assert igbib("--db", seed_db, "screen", "--export", out, "-f", fmt).returncode == 0
        fresh = tmp_path / f"f-{fmt}.sqlite"
        assert igbib("--db", fresh, "import", FIXTURES / "cdl-sample.bib").returncode == 0
        assert igbib("--db", fresh, "screen", "--import", out, "--no-fetch").returncode == 0
        theirs = json.loads(igbib("--db", fresh, "prisma", "--json").stdout)
        for key in (
            "records_screened",
            "records_excluded",
            "dbr_sought_reports",
            "dbr_notretrieved_reports",
            "new_studies",
        ):
            assert theirs[key] == after[key], (fmt, key)


def test_options_of_another_mode_are_refused(seed_db):
    imported(seed_db)
    for args, start in [
        (["screen", "c1", "--include", "--no-fetch"], "error: --no-fetch goes with --import"),
        (["screen", "c1", "--include", "-f", "ris"], "error: --format goes with --export"),
        (["screen", "--list", "--reviewer", "x"], "error: --reviewer goes with --import"),
        (["prisma", "-o", "-", "--json"], "error: --json and -o"),
    ]:
        result = igbib("--db", seed_db, *args)
        assert one_line_error(result, 2).startswith(start), (args, result.stderr)


def test_the_queue_is_walked_on_a_terminal_asking_again_for_a_reason(seed_db, tmp_path):
    import os

    from cli.test_edit import on_a_terminal

    queue = tmp_path / "queue.csv"
    queue.write_text(
        "pmid,title,label_included\n"
        "101,Radiogenomic map of glioma,\n"
        "102,A study of mice,\n"
        "103,A third paper,\n"
    )
    assert igbib("--db", seed_db, "screen", "--import", queue, "--no-fetch").returncode == 0
    env = {**os.environ, "NO_COLOR": "1", "IGBIB_REVIEWER": "Ana"}
    env.pop("IGBIB_DB", None)
    # include the first; exclude the second: no reason, a number out of range, then 5
    code, out = on_a_terminal(["screen", "--db", seed_db], "i\ne\n\n99\n5\nq\n", env)
    assert code == 0, out
    assert "an exclusion needs a reason" in out and "no reason 99: give 1 to 8" in out
    assert "c2\texcluded: not-human" in out.replace("\r", "")
    left = igbib("--db", seed_db, "screen", "--list", "--json")
    assert [c["pmid"] for c in json.loads(left.stdout)] == ["103"]
    shown = json.loads(igbib("--db", seed_db, "screen", "101", "--json").stdout)[0]
    assert shown["status"] == "included" and shown["decisions"][0]["reviewer"] == "Ana"


def test_maybe_keeps_and_a_merge_protects_what_an_inclusion_added(seed_db, tmp_path):
    one = tmp_path / "one.csv"
    one.write_text("pmid,title,label_included\n101,A paper about radiogenomics,1\n")
    assert igbib("--db", seed_db, "screen", "--import", one, "--no-fetch").returncode == 0
    added = json.loads(igbib("--db", seed_db, "show", "101", "--json").stdout)
    # maybe: decided later; the paper its inclusion added stays
    assert igbib("--db", seed_db, "screen", "c1", "--maybe").returncode == 0
    assert igbib("--db", seed_db, "show", "101").returncode == 0
    # merged into a paper the library held before: excluding c1 must not take that out
    merged = igbib("--db", seed_db, "merge", "lee2017radiomics", added["citekey"], "--force")
    assert merged.returncode == 0, merged.stderr
    result = igbib("--db", seed_db, "screen", "c1", "--exclude", "off-topic")
    assert result.returncode == 0 and "taken out" not in result.stdout
    assert igbib("--db", seed_db, "show", "lee2017radiomics").returncode == 0


def test_a_file_without_reasons_imported_again_keeps_the_reasons_given_in_igbib(seed_db):
    imported(seed_db)
    assert igbib("--db", seed_db, "screen", "25892362", "--exclude", "not-human").returncode == 0
    assert igbib("--db", seed_db, "screen", "27566183", "--exclude", "no-imaging").returncode == 0
    imported(seed_db)  # 27566183 is excluded in the file too, with no reason
    shown = json.loads(igbib("--db", seed_db, "screen", "27566183", "--json").stdout)[0]
    assert shown["reason"] == "no-imaging" and len(shown["decisions"]) == 2
