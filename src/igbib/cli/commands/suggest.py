"""``igbib suggest [QUERY]``: the papers the list is missing, ranked."""

from __future__ import annotations

from igbib.cli import output
from igbib.cli.commands.related import KINDS_OPTION, SOURCES_OPTION
from igbib.cli.common import client, open_library
from igbib.cli.spec import DB, JSON, NO_CACHE, Argument, Command, Option, limit_option

COMMAND = Command(
    "suggest",
    """Papers the list is missing: those most of its papers point to (PubMed links).

    Every library paper with a PMID (or those QUERY selects) is asked for its
    similar articles, the papers citing it and those it cites (elink, 100 PMIDs a
    request); the papers linked are ranked by how many library papers point to
    them, then by how many kinds of link, then by PubMed's score. Papers in the
    library, papers waiting in the screening queue and excluded papers (never
    suggested again) are left out. The titles of the papers shown are fetched
    (one efetch per 200). --queue puts them in the screening queue (igbib screen)
    as citation searching; --add includes them in the list at once.
    """,
    (
        Argument(
            "words",
            "A search choosing the papers to start from (default: every paper).",
            metavar="QUERY",
            many=True,
            required=False,
            words=True,
        ),
        KINDS_OPTION,
        SOURCES_OPTION,
        limit_option(20),
        Option(("--queue",), "queue", "Put the papers shown in the screening queue.", kind=bool),
        Option(("--add",), "add", "Include the papers shown in the list at once.", kind=bool),
        Option(
            ("--section",),
            "section",
            "--add: the section they join (default: 'Screened in').",
            metavar="NAME",
            complete="sections",
        ),
        JSON,
        NO_CACHE,
        DB,
    ),
    example="igbib suggest --kind cited-by --limit 10 --queue",
)


def run(
    words=(),
    kind=None,
    source=None,
    limit=20,
    queue=False,
    add=False,
    section=None,
    as_json=False,
    no_cache=False,
    db=None,
):
    from igbib.errors import IgbibError, UsageError
    from igbib.ops import suggest as ops
    from igbib.ops.related import choose_services, parse_kinds

    if queue and add:
        raise UsageError("give --queue (screen them first) or --add (include them), not both")
    if section and not add:
        raise UsageError("--section goes with --add")
    kinds = parse_kinds(kind)
    with open_library(db, write=queue or add) as library, client(no_cache) as http:
        services, keyless = choose_services(source, http.settings)
        for name in keyless:
            output.note(f"note: {name} is asked without an API key: it may answer slowly")
        papers = _seeds(library, list(words))
        askable = [p for p in papers if p.pmid or (services != ["pubmed"] and p.doi)]
        if not askable:
            raise IgbibError(
                "no paper with a PMID to start from"
                + (f" among the {len(papers)} selected" if papers else "")
            )
        found = ops.suggest(library, http, askable, kinds, services=services, limit=limit)
        keys = {p.pmid or f"doi:{p.doi.lower()}": p.citekey for p in askable}
        offered = decided = None
        if queue or add:
            offered = ops.queue(library, found, source="suggest")
            if add and offered.new:
                from igbib.ops.screen import decide

                # a paper whose record could not be fetched stays queued: no list entry
                # is made of a bare PMID
                candidates = [library.candidate(cid) for cid, p in offered.new if p.title]
                decided = (
                    decide(library, candidates, "include", origin="suggest --add", section=section)
                    if candidates
                    else []
                )
    if as_json:
        data = found.to_dict(keys)
        if offered is not None:
            data["queued"] = [cid for cid, _ in offered.new]
            data["offered"] = offered.to_dict()  # what became of each: new, known, in library
        if decided is not None:
            data["added"] = [d.citekey for d in decided]
        output.print_json(data)
    else:
        _print(found, keys, offered, decided)
    from igbib.cli.commands.add import print_notes

    print_notes(http)
    return None


def _seeds(library, words):
    from igbib import search as engine
    from igbib.errors import NotFound
    from igbib.query import parse_query

    if not words:
        return engine.search(library, parse_query(""), sort="section")
    papers = engine.search(library, parse_query(" ".join(words)), sort="section")
    if not papers:
        raise NotFound(f"no paper matches {' '.join(words)!r}")
    return papers


def _print(found, keys, offered, decided) -> None:
    rel = found.related
    for rank, c in enumerate(found.shown, 1):
        paper = found.records.get(c.key)
        title = paper.title if paper is not None and paper.title else "(not fetched)"
        year = paper.year if paper is not None and paper.year else ""
        sources = [keys.get(s, s) for s in sorted(c.sources)]
        named = ", ".join(sources[:3]) + (f" +{len(sources) - 3}" if len(sources) > 3 else "")
        ident = c.pmid or (f"doi:{c.doi}" if c.doi else c.key)
        print(f"{rank:>3}  {ident}  {c.pointing:>3}  {','.join(c.kinds)}  {year}  {title}")
        print(f"       from {named}; {', '.join(c.provenance())}")
    requests = f"{found.requests} request" + ("s" if found.requests != 1 else "")
    papers = "paper" if len(rel.sources) == 1 else "papers"
    output.note(
        f"{len(rel.candidates)} papers linked from {len(rel.sources)} library {papers}"
        f" ({requests}); {len(found.shown)} shown"
    )
    left = [
        (rel.in_library, "in the library"),
        (found.queued, "already candidates"),
        (found.excluded, "excluded before (never suggested again)"),
    ]
    said = "; ".join(f"{n} {what}" for n, what in left if n)
    if said:
        output.note(f"left out: {said}")
    for message in [*rel.failures.values(), *rel.partial.values()]:
        output.note(f"note: {message}")  # an optional service failed: the others' links stay
    for pmid, why in found.unfetched.items():
        output.note(f"  PMID {pmid}: title not fetched: {why}")
    if offered is not None and decided is None:
        output.note(f"{len(offered.new)} queued for screening (igbib screen)")
    if decided is not None:
        added = ", ".join(d.citekey for d in decided)
        output.note(f"{len(decided)} added to the list" + (f": {added}" if added else ""))
        waiting = len(offered.new) - len(decided)
        if waiting:
            output.note(f"{waiting} without a fetched record queued for screening instead")
