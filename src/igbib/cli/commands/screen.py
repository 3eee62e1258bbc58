"""``igbib screen``: decide on the candidates watches and related papers found."""

from __future__ import annotations

import sys

from igbib.cli import output
from igbib.cli.common import client, interactive, open_library
from igbib.cli.spec import DB, JSON, NO_CACHE, Argument, Command, Option
from igbib.errors import UsageError


def _reasons() -> tuple[str, ...]:
    from igbib.ops.screen import REASONS

    return REASONS


def _formats() -> tuple[str, ...]:
    from igbib.ops.decisions import FORMATS

    return FORMATS


COMMAND = Command(
    "screen",
    """Screen the candidates: include them in the list, or exclude them with a reason.

    On a terminal, igbib screen walks the queue: each candidate's title, authors,
    journal, year and abstract, then a key: i include, e exclude (then a reason),
    m maybe, s skip, q quit; each decision is kept as it is made. For scripts:
    igbib screen REF... --include | --exclude REASON | --maybe (REF: c12, the
    candidate's number, or its PMID or DOI). Decisions are appended, never
    changed, with the reviewer and the time; an included candidate joins the list
    (its watch's section, else --section, else "Screened in"); an excluded one
    stays as a negative, never offered again, and out of the list and exports.
    --list shows the queue; --import reads decisions from ASReview's labelled
    CSV (label_included and the other names ASReview reads) or RIS
    (ASReview_relevant notes); --export writes them (-f asreview or ris).
    """,
    (
        Argument(
            "refs",
            "Candidates: c12 (its number), a PMID or a DOI.",
            metavar="REF",
            many=True,
            required=False,
        ),
        Option(("--include",), "include", "Include them: they join the list.", kind=bool),
        Option(
            ("--exclude",),
            "exclude",
            "Exclude them, for this reason (a short code).",
            metavar="REASON",
            suggest=_reasons,
        ),
        Option(("--maybe",), "maybe", "Decide later: kept in the queue as maybe.", kind=bool),
        Option(
            ("--stage",),
            "stage",
            "The stage decided at: abstract (default) or fulltext.",
            metavar="STAGE",
            choices=lambda: ("abstract", "fulltext"),
            default="abstract",
        ),
        Option(
            ("--section",),
            "section",
            "Where included candidates join the list (default: their watch's, else 'Screened in').",
            metavar="NAME",
            complete="sections",
        ),
        Option(
            ("--reviewer",),
            "reviewer",
            "Who decides (default: $IGBIB_REVIEWER, else your login name).",
            metavar="NAME",
        ),
        Option(
            ("--list",), "show_list", "Show the queue (pending; --maybe: those too).", kind=bool
        ),
        Option(
            ("--import",),
            "import_file",
            "Read decisions from an ASReview CSV or RIS file.",
            metavar="FILE",
            complete="files",
        ),
        Option(
            ("--source",),
            "source",
            "--import: the name the PRISMA record gives the file's search (default: its name).",
            metavar="NAME",
        ),
        Option(
            ("--other",),
            "other",
            "--import: the file's records came from other methods (citation searching), not"
            " databases.",
            kind=bool,
        ),
        Option(
            ("--no-fetch",),
            "no_fetch",
            "--import: keep the file's records as they are (default: fetch from PubMed the"
            " records that have a PMID and no title, 200 a request).",
            kind=bool,
        ),
        Option(
            ("--export",),
            "export_file",
            "Write the decisions to FILE (- for standard output).",
            metavar="FILE",
            complete="files",
        ),
        Option(
            ("--format", "-f"),
            "fmt",
            "--export: asreview (CSV with label_included) or ris.",
            metavar="FORMAT",
            choices=_formats,
        ),
        JSON,
        NO_CACHE,
        DB,
    ),
    example="igbib screen c3 --exclude no-genomics",
)


def run(
    refs=(),
    include=False,
    exclude=None,
    maybe=False,
    stage="abstract",
    section=None,
    reviewer=None,
    show_list=False,
    import_file=None,
    source=None,
    other=False,
    no_fetch=False,
    export_file=None,
    fmt=None,
    as_json=False,
    no_cache=False,
    db=None,
):
    refs = list(refs)
    with_maybe = show_list and maybe  # --list --maybe: the maybes too
    given = (("include", include), ("exclude", exclude), ("maybe", maybe and not show_list))
    chosen = [d for d, on in given if on]
    modes = [
        m
        for m, on in (("--list", show_list), ("--import", import_file), ("--export", export_file))
        if on
    ]
    if len(chosen) > 1:
        raise UsageError("give one decision: --include, --exclude REASON or --maybe")
    if len(modes) > 1 or (modes and (chosen or refs)):
        raise UsageError(f"{modes[0]} goes alone (no REF, no decision)")
    mode = modes[0] if modes else ("--include etc." if chosen else None)
    for value, flag, allowed in (
        (source, "--source", ("--import",)),
        (other, "--other", ("--import",)),
        (no_fetch, "--no-fetch", ("--import",)),
        (no_cache, "--no-cache", ("--import",)),
        (fmt, "--format", ("--export",)),
        (section, "--section", ("--import", "--include etc.", None)),
        (reviewer, "--reviewer", ("--import", "--include etc.", None)),
        (stage != "abstract", "--stage", ("--include etc.", None)),
    ):
        if value and mode not in allowed:
            what = " or ".join(a if a else "the walk on a terminal" for a in allowed)
            raise UsageError(f"{flag} goes with {what.replace('--include etc.', 'a decision')}")
    if import_file:
        return _import(
            import_file, source, other, no_fetch, section, reviewer, as_json, no_cache, db
        )
    if export_file:
        return _export(export_file, fmt or "asreview", db)
    if show_list:
        with open_library(db) as library:
            from igbib.ops.screen import queue

            _print_queue(queue(library, maybe=with_maybe), as_json)
        return None
    if refs and not chosen:
        return _show(refs, as_json, db)
    if chosen:
        if not refs:
            raise UsageError(
                f"--{chosen[0]} needs the candidates: igbib screen REF... --{chosen[0]}"
            )
        return _decide(refs, chosen[0], exclude, stage, section, reviewer, as_json, db)
    if not interactive():
        raise UsageError(
            "igbib screen walks the queue on a terminal; here use --list, or"
            " igbib screen REF --include | --exclude REASON | --maybe"
        )
    return _walk(stage, section, reviewer, db)


def _decide(refs, decision, reason, stage, section, reviewer, as_json, db):
    from igbib.ops.screen import REASONS, decide, resolve_candidate

    with open_library(db, write=True) as library:
        known_reasons = list(dict.fromkeys([*REASONS, *library.reasons_used()]))
        candidates = [resolve_candidate(library, r) for r in refs]
        done = decide(
            library,
            candidates,
            decision,
            reason=reason,
            stage=stage,
            who=reviewer,
            section=section,
        )
    if as_json:
        output.print_json([d.to_dict() for d in done])
    else:
        for d in done:
            _print_decided(d)
    if reason and reason not in known_reasons:
        output.note(
            f"note: {reason!r} is a new reason code; codes so far: {', '.join(known_reasons)}"
        )
    return None


def _print_decided(d) -> None:
    was = "" if d.before == "pending" else f" (was {d.before})"
    why = f": {d.reason}" if d.reason else ""
    effect = f"; {d.effect}" if d.effect else ""
    from igbib.store.screening import STATUS_OF

    done = STATUS_OF[d.decision]
    print(f"c{d.candidate.id}\t{done}{why}{was}{effect}\t{d.candidate.label}")


def _show(refs, as_json, db):
    from igbib.ops.screen import resolve_candidate

    with open_library(db) as library:
        found = [
            (c, library.decisions(c.id)) for c in (resolve_candidate(library, r) for r in refs)
        ]
    if as_json:
        output.print_json(
            [
                {
                    "candidate": c.id,
                    "status": c.status,
                    "reason": c.reason,
                    "source": c.source,
                    "paper": c.paper.to_dict(),
                    "decisions": [d._asdict() for d in ds],
                }
                for c, ds in found
            ]
        )
        return None
    for c, ds in found:
        _print_candidate(c)
        for d in ds:
            why = f" ({d.reason})" if d.reason else ""
            print(f"  {d.at}  {d.decision}{why}  {d.stage}  by {d.reviewer}  [{d.origin}]")
    return None


def _print_candidate(c, abstract: bool = False) -> None:
    from igbib.model import authors_short

    p = c.paper
    print(f"c{c.id}  [{c.status}{': ' + c.reason if c.reason else ''}]  from {c.source}")
    print(f"  {p.title or '(no title yet)'}")
    people = authors_short(p.authors, p.et_al) if p.authors else ""
    where = ", ".join(str(x) for x in (p.journal, p.year) if x)
    if people or where:
        print(f"  {people}{' — ' if people and where else ''}{where}")
    ids = ", ".join(f"{k.upper()} {v}" for k, v in p.identifiers().items())
    if ids:
        print(f"  {ids}")
    if abstract and p.abstract:
        import textwrap

        print(textwrap.fill(p.abstract, width=88, initial_indent="  ", subsequent_indent="  "))


def _print_queue(candidates, as_json: bool) -> None:
    if as_json:
        output.print_json(
            [
                {
                    "candidate": c.id,
                    "status": c.status,
                    "source": c.source,
                    "pmid": c.paper.pmid,
                    "doi": c.paper.doi,
                    "title": c.paper.title,
                    "year": c.paper.year,
                }
                for c in candidates
            ]
        )
        return
    for c in candidates:
        p = c.paper
        print(f"c{c.id}\t{c.status}\t{p.pmid or p.doi or ''}\t{p.year or ''}\t{p.title or ''}")
    output.note(f"{len(candidates)} candidate{'s' if len(candidates) != 1 else ''} to screen")


def _walk(stage, section, reviewer, db):
    """The queue on a terminal, one candidate at a time; each decision kept at once."""
    from igbib.ops.screen import REASONS, decide, queue

    with open_library(db, write=True) as library:
        waiting = queue(library)
        if not waiting:
            output.note("Nothing to screen: the queue is empty.")
            return None
        decided = 0
        for number, candidate in enumerate(waiting, 1):
            print(f"\n[{number}/{len(waiting)}]")
            _print_candidate(candidate, abstract=True)
            key = _ask("i include, e exclude, m maybe, s skip, q quit: ", "iemsq")
            if key == "q":
                break
            if key == "s":
                continue
            reason = None
            if key == "e":
                reason = _ask_reason(REASONS)
                if reason is None:
                    break
            decision = {"i": "include", "e": "exclude", "m": "maybe"}[key]
            for d in decide(
                library,
                [candidate],
                decision,
                reason=reason,
                stage=stage,
                who=reviewer,
                section=section,
            ):
                _print_decided(d)
            decided += 1
    output.note(f"{decided} decided; igbib screen --list shows what is left")
    return None


def _ask_reason(reasons: tuple[str, ...]) -> str | None:
    """A reason code: a number from the list, or a code; asked again until it is one."""
    from igbib.errors import UsageError
    from igbib.ops.screen import check_reason

    listed = "  ".join(f"{i}={r}" for i, r in enumerate(reasons, 1))
    while True:
        answer = _line(f"reason ({listed}, or a code): ")
        if answer is None:
            return None
        if not answer:
            output.note("an exclusion needs a reason")
            continue
        if answer.isdigit():
            if 0 < int(answer) <= len(reasons):
                return reasons[int(answer) - 1]
            output.note(f"no reason {answer}: give 1 to {len(reasons)}, or a code")
            continue
        try:
            reason = check_reason(answer, "exclude")
        except UsageError as exc:
            output.note(str(exc))
            continue
        return reason


def _ask(prompt: str, keys: str) -> str:
    while True:
        answer = _line(prompt)
        if answer is None:
            return "q"
        if answer[:1].lower() in keys and answer:
            return answer[:1].lower()


def _line(prompt: str) -> str | None:
    sys.stderr.write(prompt)
    sys.stderr.flush()
    try:
        return input().strip()
    except EOFError:
        return None


def _import(path, source, other, no_fetch, section, reviewer, as_json, no_cache, db):
    from igbib.ops.decisions import import_decisions

    route = "other" if other else "database"
    with open_library(db, write=True) as library:
        if no_fetch:
            result = import_decisions(
                library, path, route=route, source=source, section=section, who=reviewer
            )
        else:
            with client(no_cache) as http:
                result = import_decisions(
                    library,
                    path,
                    http=http,
                    route=route,
                    source=source,
                    section=section,
                    who=reviewer,
                )
    if as_json:
        output.print_json(result.to_dict())
        return None
    counts = [
        (result.new, "new candidate", "new candidates"),
        (result.known, "known from another search", "known from other searches"),
        (result.repeated, "repeated in the file", "repeated in the file"),
    ]
    decided = [
        (result.included, "included"),
        (result.excluded, "excluded"),
        (result.maybe, "maybe"),
        (result.unscreened, "not screened"),
        (result.unchanged, "decided so already"),
    ]
    records = f"{result.records} record" + ("" if result.records == 1 else "s")
    parts = [
        ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts if n),
        ", ".join(f"{n} {what}" for n, what in decided if n),
        f"{len(result.added)} added to the list" if result.added else "",
        f"{result.fetched} fetched from PubMed" if result.fetched else "",
    ]
    output.note(f"{records} from {result.source}: " + "; ".join(p for p in parts if p))
    if result.untitled:
        output.note(
            f"  {result.untitled} of the papers added have no title yet (the file gives"
            " identifiers only): igbib refresh fills them in"
        )
    if result.not_found:
        output.note(
            f"  PubMed has no record of {len(result.not_found)}: {', '.join(result.not_found[:10])}"
        )
    return None


def _export(path, fmt, db):
    from igbib.cli.common import write_text
    from igbib.ops.decisions import export_decisions

    with open_library(db) as library:
        text = export_decisions(library, fmt)
        count = sum(library.candidate_counts().values())
    write_text(path, text, f"Wrote {count} candidates' decisions to {{path}} ({fmt}).")
    return None
