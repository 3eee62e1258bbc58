"""igbib add, refresh and pubmed, as users run them, against recorded service answers."""

import json
import socket

from conftest import digest, igbib

from igbib.store import Library


def records(result):
    assert result.stdout, result.stderr
    return json.loads(result.stdout)


def test_add_fetches_all_pmids_in_one_request(services, db_path):
    result = igbib(
        "add",
        "19008416",
        "18927361",
        "https://pubmed.ncbi.nlm.nih.gov/18787170/",
        "--section",
        "Breast cancer",
        "--tag",
        "mirna",
        "--json",
        "--db",
        db_path,
    )
    assert result.returncode == 0, result.stderr
    stored = records(result)
    assert [r["pmid"] for r in stored] == ["19008416", "18927361", "18787170"]
    assert len(services.requests("/eutils/efetch.fcgi")) == 1
    first = stored[0]
    assert len(first["authors"]) == 20 and first["doi"] == "10.1126/science.1165395"
    assert first["pmcid"] == "PMC2684823" and first["source"] == "pubmed"
    assert first["sections"] == [{"section": "Breast cancer", "position": 1}]
    assert first["tags"] == ["mirna"]
    assert "Breast Neoplasms" in first["mesh"]


def test_add_a_doi_pubmed_does_not_hold_goes_to_crossref(services, db_path):
    result = igbib("add", "https://doi.org/10.1038/SREP16696", "--json", "--db", db_path)
    assert result.returncode == 0, result.stderr
    (paper,) = records(result)
    assert paper["doi"] == "10.1038/srep16696" and paper["source"] == "crossref"
    assert len(paper["authors"]) == 8 and paper["pages"] == "16696"
    assert paper["abstract"].startswith("Oligomers of alpha-synuclein")
    searches = services.requests("/eutils/esearch.fcgi")
    assert len(searches) == 1 and '"10.1038/srep16696"[doi]' in searches[0].values["term"]
    assert len(services.requests("/crossref/works/")) == 1


def test_add_reports_bad_and_unknown_ids_and_keeps_the_rest(services, db_path):
    result = igbib("add", "19008416", "not-an-id", "10.1371/notarealdoi", "--db", db_path)
    assert result.returncode == 1
    out = result.stdout
    assert "not-an-id" in out and "invalid" in out
    assert "10.1371/notarealdoi" in out and "not found" in out
    assert "neither Crossref nor doi.org" in out
    with Library.open(db_path) as library:
        assert library.count() == 1 and library.resolve("19008416").authors


def test_ids_from_a_file_and_stdin_and_what_is_already_there(services, db_path, tmp_path):
    listing = tmp_path / "ids.txt"
    listing.write_text("# papers to read\n19008416  # EZH2\n\n18927361\n")
    assert igbib("add", "-f", listing, "--db", db_path).returncode == 0
    again = igbib("add", "-", "--db", db_path, input="19008416\n")
    assert again.returncode == 0 and "already present" in again.stdout
    updated = igbib("add", "19008416", "--update", "--db", db_path)
    assert updated.returncode == 0 and "unchanged" in updated.stdout
    fetches = len(services.requests("/eutils/efetch.fcgi"))
    igbib("add", "19008416", "--update", "--db", db_path)
    assert len(services.requests("/eutils/efetch.fcgi")) == fetches  # answered from the cache
    igbib("add", "19008416", "--update", "--no-cache", "--db", db_path)
    assert len(services.requests("/eutils/efetch.fcgi")) == fetches + 1


def test_a_service_that_fails_marks_only_its_ids(services, db_path):
    services.fail("/idconv/", 500, 500, 500, 500, 500)
    result = igbib("add", "PMC4141648", "19008416", "--db", db_path)
    assert result.returncode == 1
    assert "failed" in result.stdout and "PMC ID converter answered HTTP 500" in result.stdout
    with Library.open(db_path) as library:
        assert library.count() == 1


def test_network_down_is_one_line_and_changes_nothing(services, seed_db, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("IGBIB_EUTILS_URL", f"http://127.0.0.1:{port}/eutils/")
    monkeypatch.setenv("NCBI_API_KEY", "s3cr3t-key")
    before = digest(seed_db)
    result = igbib("add", "19008416", "18927361", "--db", seed_db)
    assert result.returncode == 4
    assert result.stderr.strip() == (
        "error: PubMed (NCBI E-utilities) is unreachable at 127.0.0.1: connection refused"
    )
    assert "s3cr3t" not in result.stdout + result.stderr
    assert digest(seed_db) == before


def test_pubmed_search_marks_new_papers_and_adds_them(services, seed_db, monkeypatch):
    monkeypatch.setenv("IGBIB_EFETCH_BATCH", "3")
    query = "science[journal] AND breast cancer AND 2008[pdat]"
    result = igbib("pubmed", query, "--json", "--db", seed_db)
    assert result.returncode == 0, result.stderr
    answer = records(result)
    assert answer["total"] == 6 and len(answer["results"]) == 6
    assert all(r["in_library"] is None for r in answer["results"])
    assert len(services.requests("/eutils/efetch.fcgi")) == 2  # 3 ids a request here
    added = igbib("pubmed", query, "--add", "--section", "Breast", "--db", seed_db)
    assert added.returncode == 0 and added.stdout.count("added") >= 6
    again = records(igbib("pubmed", query, "--json", "--db", seed_db))
    assert all(r["in_library"] for r in again["results"])
    with Library.open(seed_db) as library:
        assert library.count() == 52 + 6
        breast = [s for s in library.sections() if s["name"] == "Breast"][0]
        assert breast["papers"] == 6


LIST = """\
## Glioma
* Varambally et al., [Genomic loss of microRNA-101 leads to overexpression of histone methyltransferase EZH2 in cancer](https://pubmed.ncbi.nlm.nih.gov/19008416/), *Science*, 2008
* Someone et al., [A different paper listed behind the wrong DOI](https://doi.org/10.1038/srep16696), *Sci Rep*, 2015
* Tosatto et al., [Single-molecule FRET studies on alpha-synuclein oligomerization of Parkinson's disease genetically related mutants](https://doi.org/10.1038/srep16696), *Scientific Reports*, 201
* Nobody et al., [An unlinked paper PubMed does not have](), *Journal*, 2020
"""


def test_refresh_fills_gaps_and_finds_wrong_links(services, db_path, tmp_path):
    listing = tmp_path / "list.md"
    listing.write_text(LIST)
    assert igbib("import", listing, "--db", db_path).returncode == 0
    before = digest(db_path)
    dry = igbib("refresh", "--dry-run", "--db", db_path)
    assert dry.returncode == 0, dry.stderr
    assert "wrong link?" in dry.stdout and "dry run" in dry.stdout
    assert digest(db_path) == before

    result = igbib("refresh", "--json", "--db", db_path)
    rows = {r["citekey"]: r for r in records(result)}
    assert rows["varambally2008genomic"]["status"] == "updated"
    assert rows["someone2015different"]["status"] == "wrong link?"
    assert rows["nobody2020unlinked"]["status"] == "no identifier"
    with Library.open(db_path) as library:
        paper = library.resolve("varambally2008genomic")
        assert len(paper.authors) == 20 and not paper.et_al
        assert (paper.doi, paper.pmcid, paper.volume) == (
            "10.1126/science.1165395",
            "PMC2684823",
            "322",
        )
        assert paper.title.startswith("Genomic loss") and paper.sections  # curated data kept
        assert paper.journal == "Science"  # the list's journal is not overwritten
        wrong = library.resolve("someone2015different")
        assert wrong.title == "A different paper listed behind the wrong DOI"
        assert [f["code"] for f in wrong.flags if f["code"] == "title-mismatch"] == [
            "title-mismatch"
        ]
        tosatto = library.resolve(
            "tosattosinglemolecule"
        )  # keyed without a year; keys never change
        assert tosatto.year == 2015 and not any(f["code"] == "bad-year" for f in tosatto.flags)


def test_online_commands_validate_their_input(services, db_path):
    assert "no identifiers given" in igbib("add", "--db", db_path).stderr
    assert igbib("pubmed", "glioma", "--max", "0", "--db", db_path).returncode == 2
    result = igbib("refresh", "foo:bar", "--db", db_path)
    assert result.returncode in (1, 3)


def test_refresh_offers_title_matches_for_unlinked_entries_and_attaches_with_accept(
    services, db_path, tmp_path, monkeypatch
):
    monkeypatch.setenv("IGBIB_EFETCH_BATCH", "3")
    listing = tmp_path / "list.md"
    listing.write_text(
        "## Glioma\n"
        "* Varambally et al., [Genomic loss of microRNA-101 leads to overexpression of histone "
        "methyltransferase EZH2 in cancer](), *Science*, 2008\n"
    )
    assert igbib("import", listing, "--db", db_path).returncode == 0
    offered = records(igbib("refresh", "--json", "--db", db_path))
    assert offered[0]["status"] == "candidates" and "PMID 19008416" in offered[0]["detail"]
    with Library.open(db_path) as library:
        assert library.resolve("varambally2008genomic").pmid is None  # only offered
    attached = records(igbib("refresh", "--accept", "--json", "--db", db_path))
    assert attached[0]["status"] == "attached" and attached[0]["detail"] == "PMID 19008416"
    with Library.open(db_path) as library:
        paper = library.resolve("19008416")
        assert paper.citekey == "varambally2008genomic" and len(paper.authors) == 20
        assert not any(f["code"] == "no-link" for f in paper.flags)


def test_a_failed_first_add_leaves_no_library_behind(services, tmp_path, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("IGBIB_EUTILS_URL", f"http://127.0.0.1:{port}/eutils/")
    target = tmp_path / "new.sqlite"
    assert igbib("add", "19008416", "--db", target).returncode == 4
    assert not target.exists()
    monkeypatch.setenv("IGBIB_EUTILS_URL", services.url("eutils"))
    assert igbib("add", "37909814", "--db", target).returncode == 1  # not found: nothing stored
    assert not target.exists()
