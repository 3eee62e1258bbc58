"""``igbib related REF|QUERY``: papers PubMed links to library papers."""

from __future__ import annotations

from igbib.cli import output
from igbib.cli.common import client, open_library
from igbib.cli.spec import DB, JSON, NO_CACHE, Argument, Command, Option, limit_option

COMMAND = Command(
    "related",
    """Papers PubMed links to a library paper, or to the papers a search finds.

    Similar articles, the papers citing it (cited-by) and those it cites
    (references), from PubMed's elink: one request per 100 PMIDs, each PMID its
    own id so that every link is known to come from its paper. Candidates are
    ranked by how many of the papers link to them, then by how many kinds of
    link, then by PubMed's score (given when one --kind is asked), then by
    PubMed's order. Papers already in the
    library are left out (--in-library shows them, marked). Titles are not
    fetched: --add fetches the papers shown and stores them.
    """,
    (
        Argument(
            "words",
            "A paper (id, citation key, PMID, DOI, ...) or a search choosing several.",
            metavar="REF|QUERY",
            many=True,
            words=True,
        ),
        Option(
            ("--kind",),
            "kind",
            "Which links, comma-separated: similar, cited-by, references (default: all).",
            metavar="KINDS",
        ),
        limit_option(20),
        Option(
            ("--in-library",),
            "in_library",
            "Also show the linked papers already in the library (marked).",
            kind=bool,
        ),
        Option(("--add",), "add", "Fetch the papers shown and store them.", kind=bool),
        JSON,
        NO_CACHE,
        DB,
    ),
    example="igbib related gevaert2014glioblastoma --kind cited-by --limit 5",
)


def run(
    words=(),
    kind=None,
    limit=20,
    in_library=False,
    add=False,
    as_json=False,
    no_cache=False,
    db=None,
):
    from igbib.ops.related import parse_kinds, related, select_papers

    kinds = parse_kinds(kind)
    with open_library(db) as library, client(no_cache) as http:
        papers = select_papers(library, list(words))
        found = related(library, http, papers, kinds, include_library=in_library)
    shown = found.candidates[:limit]
    if as_json and not add:
        output.print_json(
            {
                "sources": [p.pmid for p in found.sources],
                "no_pmid": [p.citekey for p in found.no_pmid],
                "requests": found.requests,
                "merged": found.merged,
                "errors": found.errors,
                "in_library_left_out": 0 if in_library else found.in_library,
                "candidates": [c.to_dict() for c in shown],
            }
        )
    elif not as_json:
        _print(found, shown, in_library, add)
    _notes(found)
    from igbib.cli.commands.add import print_notes

    print_notes(http)
    if not found.sources:
        from igbib.errors import IgbibError

        raise IgbibError(_no_pmid_line(found))
    if add:
        return _add([c.pmid for c in shown if c.in_library is None], as_json, no_cache, db)
    return None


def _no_pmid_line(found) -> str:
    keys = ", ".join(p.citekey for p in found.no_pmid[:5])
    more = f" and {len(found.no_pmid) - 5} more" if len(found.no_pmid) > 5 else ""
    return f"no PMID to ask PubMed about: {keys}{more} has none"


def _print(found, shown, in_library: bool, add: bool) -> None:
    if not found.sources:
        return
    width = max([len(c.pmid) for c in shown] + [4])
    if shown:
        print(f"{'#':>3}  {'PMID':<{width}}  {'from':>4}  {'score':>10}  kinds")
    for rank, c in enumerate(shown, 1):
        score = "" if c.score is None else str(c.score)
        mark = f"  (in library: {c.in_library})" if c.in_library else ""
        merged = "  (merged set)" if c.merged else ""
        print(
            f"{rank:>3}  {c.pmid:<{width}}  {len(c.sources):>4}  {score:>10}"
            f"  {','.join(c.kinds)}{mark}{merged}"
        )
    n = len(found.sources)
    papers = "paper" if n == 1 else "papers"
    requests = "request" if found.requests == 1 else "requests"
    asked = f"{found.requests} elink {requests}" if found.requests else "answered from the cache"
    output.note(
        f"{len(found.candidates)} linked papers from {n} library {papers}"
        f" ({asked}); {len(shown)} shown"
    )
    if found.in_library and not in_library:
        output.note(f"{found.in_library} more are in the library already (--in-library shows them)")
    if shown and not add:
        output.note("titles are not fetched: --add fetches and stores the papers shown")


def _notes(found) -> None:
    if found.sources and found.no_pmid:
        keys = ", ".join(p.citekey for p in found.no_pmid)
        output.note(f"note: no PMID, not asked: {keys}")
    if found.merged:
        output.note(
            "note: PubMed merged some papers' links into one set: which of them each link"
            " comes from is unknown (all are credited)"
        )
    for pmid, error in found.errors.items():
        output.note(f"note: PubMed said for PMID {pmid}: {error}")


def _add(pmids: list[str], as_json: bool, no_cache: bool, db):
    from igbib.cli.commands import add as add_command

    if not pmids:
        output.note("nothing to add")
        return None
    return add_command.run(ids=pmids, as_json=as_json, no_cache=no_cache, db=db)
