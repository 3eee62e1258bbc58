"""``igbib watch``: saved PubMed searches that report only the papers PubMed entered since.

A watch keeps a *watermark*: the day (PubMed's Entrez date, EDAT) its last run
reached. Its first run records a baseline (how many papers match today) and
reports nothing, unless a start day is given (``--since``); each later run asks
PubMed for the papers entered from the watermark on, leaves out those it
reported before (a paper entered on the watermark's day comes back), those the
library holds and those already candidates (an excluded one is never offered
again), fetches the rest in batches, and queues them for screening (or, with
``--add``, includes them at once). Listing watches never moves a watermark.

Requests: a baseline is one esearch; a run is one esearch per 10,000 papers
found, then one efetch per 200 new papers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from igbib.errors import IgbibError, NotFound, SourceError, UsageError
from igbib.store import Library, now
from igbib.store.screening import Watch

_NAME = re.compile(r"[^\W_][\w .+-]{0,59}")


def today() -> str:
    """Today in UTC, as PubMed's dates are written (``YYYY/MM/DD``)."""
    return datetime.now(timezone.utc).strftime("%Y/%m/%d")


def parse_day(text: str) -> str:
    """``2026-11-01``, ``2026/11/01``, ``2026-11`` or ``2026`` as ``YYYY/MM/DD``."""
    raw = text.strip()
    match = re.fullmatch(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?", raw)
    if not match:
        raise UsageError(f"bad date {raw[:20]!r}: write it 2026-11-01, 2026-11 or 2026")
    year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
    try:
        datetime(year, month, day)
    except ValueError:
        raise UsageError(f"bad date {raw[:20]!r}: no such day") from None
    day_text = f"{year:04d}/{month:02d}/{day:02d}"
    if day_text > today():
        raise UsageError(f"bad date {raw[:20]!r}: it is after today ({today()})")
    return day_text


def check_name(name: str) -> str:
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise UsageError(
            f"bad watch name {name[:30]!r}: letters, digits, spaces and . + -, at most 60"
        )
    return name


def add_watch(
    library: Library,
    name: str,
    query: str,
    *,
    section: str | None = None,
    tags: list[str] | tuple[str, ...] = (),
    since: str | None = None,
) -> Watch:
    name = check_name(name)
    query = " ".join(query.split())
    if not query:
        raise UsageError("a watch needs a PubMed query")
    tags = [t for t in (" ".join(t.split()) for t in tags) if t]
    start = parse_day(since) if since else None
    with library.transaction():
        if library.watch(name) is not None:
            raise IgbibError(f"a watch named {name!r} exists (igbib watch list shows it)")
        watch_id = library.add_watch(name, query, section, tags, now())
        if start:  # its first run reports the papers entered from then: no baseline
            library.set_watermark(watch_id, start)
    return library.watch(name)


def remove_watch(library: Library, name: str) -> Watch:
    with library.transaction():
        watch = library.watch(name)
        if watch is None:
            raise NotFound(f"no watch named {name!r} (igbib watch list shows them)")
        library.remove_watch(watch.id)
    return watch


@dataclass
class WatchRun:
    watch: Watch
    since: str | None
    until: str
    baseline: int | None = None
    #: how many papers PubMed found in the window, and those not reported by an earlier run
    count: int = 0
    fresh: list[str] = field(default_factory=list)
    in_library: int = 0
    known: int = 0
    new: list = field(default_factory=list)  # (candidate id, paper)
    added: list[str] = field(default_factory=list)  # citation keys (--add)
    failed: dict[str, str] = field(default_factory=dict)  # PMID -> why not fetched
    requests: int = 0
    error: str | None = None

    def to_dict(self) -> dict:
        out = {
            "watch": self.watch.name,
            "query": self.watch.query,
            "since": self.since,
            "until": self.until,
            "requests": self.requests,
        }
        if self.error:
            return {**out, "error": self.error}
        if self.baseline is not None:
            return {**out, "baseline": self.baseline}
        return {
            **out,
            "found": self.count,
            "not_seen_before": len(self.fresh),
            "in_library": self.in_library,
            "already_candidates": self.known,
            "new": [
                {"candidate": cid, "pmid": p.pmid, "title": p.title, "year": p.year}
                for cid, p in self.new
            ],
            "added": self.added,
            "not_fetched": self.failed,
        }


def run_watches(
    library: Library,
    http,
    names: list[str] | None = None,
    *,
    since: str | None = None,
    add: bool = False,
    who: str | None = None,
) -> list[WatchRun]:
    """Run the watches (all, or those named): network first, then one transaction."""
    watches = library.watches()
    if names:
        by_name = {w.name.lower(): w for w in watches}
        missing = [n for n in names if n.lower() not in by_name]
        if missing:
            raise NotFound(f"no watch named {missing[0]!r} (igbib watch list shows them)")
        watches = list({by_name[n.lower()].id: by_name[n.lower()] for n in names}.values())
    if not watches:
        raise NotFound("no watches yet: igbib watch add NAME 'PubMed query'")
    start = parse_day(since) if since else None
    until = today()
    runs = [_ask(library, http, w, start, until) for w in watches]
    if all(r.error for r in runs):
        return runs
    _store(library, runs, add, who)
    return runs


def _ask(library, http, watch: Watch, start: str | None, until: str) -> WatchRun:
    from igbib.sources import pubmed

    begin = start or watch.watermark
    run = WatchRun(watch, begin, until)
    before = http.requests_made
    try:
        if begin is None:
            run.baseline, _ = pubmed.search_entered(http, watch.query, count_only=True)
            return run
        run.count, pmids = pubmed.search_entered(http, watch.query, since=begin)
        seen = set(watch.seen)  # reported by an earlier run, whatever its window
        run.fresh = [p for p in pmids if p not in seen]
        unknown = []
        for pmid in run.fresh:
            if library.find_ids("pmid", pmid):
                run.in_library += 1
            elif library.known_candidate(pmid=pmid) is not None:
                run.known += 1
            else:
                unknown.append(pmid)
        fetched = pubmed.fetch(http, unknown) if unknown else pubmed.Fetched()
        if unknown and len(fetched.failed) == len(unknown):
            raise next(iter(fetched.failed.values()))
        run.failed = {pmid: str(why) for pmid, why in fetched.failed.items()}
        order = {pmid: i for i, pmid in enumerate(unknown)}
        run.new = sorted(fetched.papers, key=lambda p: order.get(p.pmid, len(order)))
        for pmid in fetched.missing:
            run.failed[pmid] = "PubMed has no record of it"
    except SourceError as exc:
        run.error = str(exc)
    finally:
        run.requests = http.requests_made - before
    return run


def _store(library: Library, runs: list[WatchRun], add: bool, who: str | None) -> None:
    from igbib.ops.screen import decide, offer

    included = []
    with library.transaction():
        for run in runs:
            if run.error:
                continue
            watch = run.watch
            if run.baseline is not None:
                library.watch_ran(
                    watch.id, at=now(), watermark=run.until, seen=[], baseline=run.baseline
                )
                continue
            offered = offer(
                library,
                run.new,
                source=f"watch:{watch.name}",
                route="database",
                query=watch.query,
                section=watch.section,
                tags=watch.tags,
                record=False,
            )
            run.new = offered.new
            run.in_library += len(offered.in_library)
            run.known += len(offered.known)
            duplicates = run.in_library + run.known
            library.record_search(
                f"watch:{watch.name}",
                "database",
                watch.query,
                now(),
                len(run.fresh) - len(run.failed),
                duplicates,
                len(run.new),
            )
            # a paper that could not be fetched is asked again: the watermark stays where
            # this run began (its window is asked again; what it reported is not reported
            # again, as every paper a run reports is kept in ``seen``)
            watermark = (watch.watermark or run.since) if run.failed else run.until
            reported = [p for p in run.fresh if p not in run.failed]
            seen = list(dict.fromkeys([*watch.seen, *reported]))
            library.watch_ran(watch.id, at=now(), watermark=watermark, seen=seen)
            included.extend(cid for cid, _ in run.new)
    if add and included:
        candidates = [library.candidate(cid) for cid in included]
        decided = decide(library, candidates, "include", who=who, origin="watch --add")
        keys = {d.candidate.id: d.citekey for d in decided}
        for run in runs:
            run.added = [keys[cid] for cid, _ in run.new if cid in keys]
