"""``igbib watch add|list|run|rm``: saved PubMed searches, reporting only what is new."""

from __future__ import annotations

from igbib.cli import output
from igbib.cli.common import client, open_library
from igbib.cli.spec import DB, JSON, NO_CACHE, TAG_PAPERS, Argument, Command, Option
from igbib.errors import UsageError

#: Each action -> the words it takes after it.
ACTIONS = {"add": ("NAME", "QUERY"), "list": (), "run": None, "rm": ("NAME",)}

COMMAND = Command(
    "watch",
    """Saved PubMed searches that report only the papers PubMed entered since their last run.

    watch add NAME "PubMed query" [--section S] [--tag T] [--since DAY];
    watch list; watch run [NAME...] [--since DAY] [--add]; watch rm NAME.
    A watch's first run records a baseline (how many papers match today) and
    reports none, unless --since gives the day to start from. Each run leaves out
    the papers it reported before, those in the library and those already
    candidates (an excluded paper is never offered again); the new ones join the
    screening queue (igbib screen), or the list at once with --add. Listing
    watches never moves them on. Requests: one esearch per 10,000 papers found,
    one efetch per 200 new ones.
    """,
    (
        Argument("action", "add, list, run or rm.", metavar="ACTION"),
        Argument(
            "words",
            "add: NAME and the PubMed query; run: the watches to run (default: all); rm: NAME.",
            metavar="NAME [QUERY]",
            many=True,
            required=False,
        ),
        Option(
            ("--section",),
            "section",
            "add: the section its papers join when included.",
            metavar="NAME",
            complete="sections",
        ),
        TAG_PAPERS,
        Option(
            ("--since",),
            "since",
            "add, run: report the papers PubMed entered from this day (2026-11-01, 2026-11,"
            " 2026) instead of since the last run.",
            metavar="DAY",
        ),
        Option(
            ("--add",),
            "add",
            "run: include the new papers in the list at once (no screening).",
            kind=bool,
        ),
        Option(("--reviewer",), "reviewer", "run --add: who includes them.", metavar="NAME"),
        JSON,
        NO_CACHE,
        DB,
    ),
    example='igbib watch add glioma-radiogenomics "glioma[ti] AND radiogenomic*" --tag glioma',
)


def run(
    action,
    words=(),
    section=None,
    tags=(),
    since=None,
    add=False,
    reviewer=None,
    as_json=False,
    no_cache=False,
    db=None,
):
    from igbib.ops import watch as ops

    words = list(words)
    if action not in ACTIONS:
        raise UsageError(
            f"no such action {action!r} for igbib watch (use one of {', '.join(ACTIONS)})"
        )
    wanted = ACTIONS[action]
    if wanted is not None and len(words) != len(wanted):
        usage = " ".join(["igbib watch", action, *wanted])
        raise UsageError(f"igbib watch {action} takes {' and '.join(wanted) or 'nothing'}: {usage}")
    for value, flag, allowed in (
        (section, "--section", ("add",)),
        (tags, "--tag", ("add",)),
        (since, "--since", ("add", "run")),
        (add, "--add", ("run",)),
        (reviewer, "--reviewer", ("run",)),
        (no_cache, "--no-cache", ("run",)),
    ):
        if value and action not in allowed:
            raise UsageError(f"{flag} is an option of igbib watch {' and '.join(allowed)}")
    if since:
        ops.parse_day(since)  # a bad day is a usage error before anything is opened
    if action == "list":
        with open_library(db) as library:
            _print_list(library.watches(), as_json)
        return None
    with open_library(db, write=True) as library:
        if action == "add":
            watch = ops.add_watch(
                library, words[0], words[1], section=section, tags=tuple(tags), since=since
            )
            if as_json:
                output.print_json(_watch_dict(watch))
            else:
                start = (
                    f"its first run reports the papers entered from {watch.watermark}"
                    if watch.watermark
                    else "its first run records a baseline"
                )
                output.note(f"Added watch {watch.name!r}: {watch.query}; {start}.")
            return None
        if action == "rm":
            watch = ops.remove_watch(library, words[0])
            output.note(f"Removed watch {watch.name!r} (its candidates stay).")
            return None
        with client(no_cache) as http:
            runs = ops.run_watches(library, http, words or None, since=since, add=add, who=reviewer)
    return _report(runs, as_json, http)


def _watch_dict(w) -> dict:
    return {
        "name": w.name,
        "query": w.query,
        "section": w.section,
        "tags": w.tags,
        "created": w.created,
        "watermark": w.watermark,
        "baseline": w.baseline,
        "last_run": w.last_run,
        "runs": w.runs,
    }


def _print_list(watches, as_json: bool) -> None:
    if as_json:
        output.print_json([_watch_dict(w) for w in watches])
        return
    if not watches:
        output.note("No watches yet: igbib watch add NAME 'PubMed query'")
        return
    for w in watches:
        since = w.watermark or "(baseline at its first run)"
        print(f"{w.name}\t{w.query}\tsince {since}\truns {w.runs}")


def _report(runs, as_json: bool, http):
    from igbib.cli.commands.add import print_notes
    from igbib.errors import SourceError

    failed = [r for r in runs if r.error]
    if len(failed) == len(runs):  # nothing was written: one line says why
        more = f" (and {len(failed) - 1} more watches)" if len(failed) > 1 else ""
        raise SourceError(f"watch {failed[0].watch.name!r}: {failed[0].error}{more}")
    if as_json:
        output.print_json({"watches": [r.to_dict() for r in runs]})
    for run in runs:
        if run.error:
            output.error(f"watch {run.watch.name!r}: {run.error}")
            continue
        asked = f"{run.requests} request" + ("" if run.requests == 1 else "s")
        if run.baseline is not None:
            if not as_json:
                output.note(
                    f"{run.watch.name}: baseline recorded: {run.baseline} papers match today"
                    f" ({asked}); the next run reports the papers PubMed enters from"
                    f" {run.until}"
                )
            continue
        if not as_json:
            keys = iter(run.added) if run.added else None
            for cid, paper in run.new:
                key = next(keys, f"c{cid}") if keys else f"c{cid}"
                print(f"{key}\t{paper.pmid or ''}\t{paper.year or ''}\t{paper.title or ''}")
            where = "added to the list" if run.added else "queued for screening"
            output.note(
                f"{run.watch.name}: {run.count} found since {run.since}, {len(run.fresh)} not"
                f" reported before; {run.in_library} in the library, {run.known} already"
                f" candidates; {len(run.new)} new, {where} ({asked})"
            )
        for pmid, why in run.failed.items():
            output.note(f"  PMID {pmid} not fetched: {why}; the next run asks again")
    print_notes(http)
    if failed:
        raise SourceError(
            f"{len(failed)} of {len(runs)} watches could not run; the others' papers were kept"
        )
    return None
