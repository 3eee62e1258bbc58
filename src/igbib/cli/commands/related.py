"""``igbib related REF|QUERY``: papers PubMed, OpenAlex and Semantic Scholar link to a list."""

from __future__ import annotations

from igbib.cli import output
from igbib.cli.common import client, open_library
from igbib.cli.spec import DB, JSON, NO_CACHE, Argument, Command, Option, limit_option

#: Which links and which services: ``related`` and ``suggest`` take the same.
KINDS_OPTION = Option(
    ("--kind",),
    "kind",
    "Which links, comma-separated: similar, related, recommended, cited-by,"
    " references (default: all).",
    metavar="KINDS",
)
SOURCES_OPTION = Option(
    ("--source",),
    "source",
    "Which services, comma-separated: pubmed, openalex, s2 (default: PubMed, and"
    " each service whose API key is set).",
    metavar="SERVICES",
)

COMMAND = Command(
    "related",
    """Papers the services link to a library paper, or to the papers a search finds.

    Similar articles, the papers citing it (cited-by) and those it cites
    (references), from PubMed's elink: one request per 100 PMIDs, each PMID its
    own id so that every link is known to come from its paper. OpenAlex (related
    works, references) is asked too when OPENALEX_API_KEY is set, Semantic
    Scholar (recommended, references) when S2_API_KEY is set, or either when
    named in --source. Links meet on the PMID, else the DOI: each candidate says
    which services and kinds found it. Candidates are ranked by how many of the
    papers link to them, then by how many services, then by how many kinds of
    link, then by PubMed's score (given when one --kind is asked), then by the
    services' order. Papers already in the library are left out (--in-library
    shows them, marked). A service that fails is one line; the others' links are
    kept. --add fetches the papers shown (by PMID, else DOI) and stores them.
    """,
    (
        Argument(
            "words",
            "A paper (id, citation key, PMID, DOI, ...) or a search choosing several.",
            metavar="REF|QUERY",
            many=True,
            words=True,
        ),
        KINDS_OPTION,
        SOURCES_OPTION,
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
    source=None,
    limit=20,
    in_library=False,
    add=False,
    as_json=False,
    no_cache=False,
    db=None,
):
    from igbib.ops.related import (
        ServicesFailed,
        choose_services,
        parse_kinds,
        related,
        select_papers,
    )

    kinds = parse_kinds(kind)
    with open_library(db) as library, client(no_cache) as http:
        services, keyless = choose_services(source, http.settings)
        papers = select_papers(library, list(words))
        try:
            found = related(
                library, http, papers, kinds, services=services, include_library=in_library
            )
        except ServicesFailed as failed:
            for name in keyless:
                output.note(_keyless_line(name))
            for message in list(failed.failures.values())[:-1]:
                output.note(f"note: {message}")
            raise
    for name in keyless:
        output.note(_keyless_line(name))
    shown = found.candidates[:limit]
    if as_json and not add:
        output.print_json(
            {
                "sources": [p.pmid or p.doi for p in found.sources],
                "no_pmid": [p.citekey for p in found.no_pmid],
                "services": found.services,
                "requests": sum(found.requests.values()),
                "requests_by_service": found.requests,
                "failures": found.failures,
                "partial_failures": found.partial,
                "unnamed": found.unnamed,
                "unnamed_works": found.unnamed_works,
                "not_found": found.not_found,
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

        raise IgbibError(_no_id_line(found, services))
    if add:
        return _add(shown, as_json, no_cache, db)
    return None


def _keyless_line(name: str) -> str:
    from igbib.ops.related import KEYS, SERVICES

    variable = KEYS[name][1]
    return f"note: {SERVICES[name]} runs without an API key ({variable}) and may be limited"


def _no_id_line(found, services) -> str:
    if services == ["pubmed"]:
        keys = ", ".join(p.citekey for p in found.no_pmid[:5])
        more = f" and {len(found.no_pmid) - 5} more" if len(found.no_pmid) > 5 else ""
        return f"no PMID to ask PubMed about: {keys}{more} has none"
    keys = ", ".join(p.citekey for p in found.no_pmid[:5])
    more = f" and {len(found.no_pmid) - 5} more" if len(found.no_pmid) > 5 else ""
    return f"no PMID or DOI to ask about: {keys}{more} has neither"


def _print(found, shown, in_library: bool, add: bool) -> None:
    from igbib.ops.related import SERVICES

    if not found.sources:
        return
    width = max([len(c.key) for c in shown] + [4])
    if shown:
        print(f"{'#':>3}  {'ID':<{width}}  {'from':>4}  {'score':>10}  found")
    for rank, c in enumerate(shown, 1):
        score = "" if c.score is None else str(c.score)
        mark = f"  (in library: {c.in_library})" if c.in_library else ""
        merged = "  (merged set)" if c.merged else ""
        title = f"  {_title(c)}" if c.title else ""
        print(
            f"{rank:>3}  {c.key:<{width}}  {c.pointing:>4}  {score:>10}"
            f"  {_found(c)}{mark}{merged}{title}"
        )
    n = len(found.sources)
    papers = "paper" if n == 1 else "papers"
    output.note(
        f"{len(found.candidates)} linked papers from {n} library {papers}"
        f" ({_requests(found, SERVICES)}); {len(shown)} shown"
    )
    if found.in_library and not in_library:
        output.note(f"{found.in_library} more are in the library already (--in-library shows them)")
    if not add and any(c.title is None and "pubmed" in c.services for c in shown):
        output.note(
            "titles are not fetched for PubMed's links: --add fetches and stores the papers shown"
        )


def _found(candidate) -> str:
    """``similar,cited-by (PubMed); related (OpenAlex)``: each service with its kinds."""
    from igbib.ops.related import KINDS, SERVICES

    links = candidate.links
    parts = []
    for service, name in SERVICES.items():
        kinds = [k for k in KINDS if (service, k) in links]
        if kinds:
            parts.append(f"{','.join(kinds)} ({name})")
    return "; ".join(parts)


def _title(candidate, width: int = 70) -> str:
    title = candidate.title
    if len(title) > width:
        title = title[: width - 3].rstrip() + "..."
    return f"{title} ({candidate.year})" if candidate.year else title


def _requests(found, names) -> str:
    if not any(found.requests.values()):
        return "answered from the cache"
    parts = []
    for service, count in found.requests.items():
        if not count:
            continue
        what = "elink" if service == "pubmed" else names[service]
        parts.append(f"{count} {what} request{'' if count == 1 else 's'}")
    return ", ".join(parts)


def _notes(found) -> None:
    from igbib.ops.related import SERVICES

    if found.sources and found.no_pmid and "pubmed" in found.services:
        keys = ", ".join(p.citekey for p in found.no_pmid)
        output.note(f"note: no PMID, not asked to PubMed: {keys}")
    if found.merged:
        output.note(
            "note: PubMed merged some papers' links into one set: which of them each link"
            " comes from is unknown (all are credited)"
        )
    for pmid, error in found.errors.items():
        output.note(f"note: PubMed said for PMID {pmid}: {error}")
    for service, missing in found.not_found.items():
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        output.note(f"note: {SERVICES[service]} does not hold {shown}")
    if found.seeds_left_out:
        output.note(
            f"note: Semantic Scholar's recommendations are made from the first papers only"
            f" ({found.seeds_left_out} left out)"
        )
    if found.unnamed:
        output.note(f"note: {found.unnamed}; OpenAlex's works are shown by their OpenAlex id")
    elif found.unnamed_works:
        n = found.unnamed_works
        output.note(
            f"note: OpenAlex did not name {n} of the works it links to"
            f" ({'it is' if n == 1 else 'they are'} shown by OpenAlex id, with no PMID or DOI)"
        )
    for service, message in found.partial.items():
        output.note(f"note: {message}; some of {SERVICES[service]}'s links are missing")
    if found.answered:
        for service, message in found.failures.items():
            output.note(f"note: {message}; {SERVICES[service]}'s links are missing")


def _add(shown, as_json: bool, no_cache: bool, db):
    from igbib.cli.commands import add as add_command

    new = [c for c in shown if c.in_library is None]
    ids = [c.ident() for c in new if c.ident()]
    if len(ids) < len(new):
        output.note(
            f"note: {len(new) - len(ids)} of the papers shown have neither PMID nor DOI: not added"
        )
    if not ids:
        output.note("nothing to add")
        return None
    return add_command.run(ids=ids, as_json=as_json, no_cache=no_cache, db=db)
