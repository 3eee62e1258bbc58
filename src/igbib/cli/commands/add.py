"""``igbib add ID...``: fetch papers by identifier and store them."""

from __future__ import annotations

import sys

from igbib.cli import output
from igbib.cli.commands.tag import NO_AUTO_TAGS, note_auto_tags
from igbib.cli.common import client, creating_library
from igbib.cli.spec import (
    ADD_TO_SECTION,
    DB,
    JSON,
    NO_CACHE,
    TAG_PAPERS,
    Argument,
    Command,
    Option,
)
from igbib.errors import UsageError

COMMAND = Command(
    "add",
    """Fetch papers from PubMed, the PMC ID converter, Crossref and doi.org, and store them.

    All PMIDs go in one request per 200; DOIs also get their PMID when PubMed has
    the paper. Exit 1 if any identifier was invalid, not found or failed.
    """,
    (
        Argument(
            "ids",
            "PMIDs, PMCIDs, DOIs, arXiv ids or their links; - reads stdin.",
            metavar="ID",
            many=True,
            required=False,
        ),
        Option(
            ("--file", "-f"),
            "file",
            "Read identifiers from FILE, one a line (# comments); - is stdin.",
            metavar="FILE",
            complete="files",
        ),
        Option(("--update",), "update", "Fetch papers already in the library again.", kind=bool),
        ADD_TO_SECTION,
        TAG_PAPERS,
        NO_AUTO_TAGS,
        JSON,
        NO_CACHE,
        DB,
    ),
    example="igbib add 24827998 10.1038/ncomms5006 PMC4141648 --section Radiomics",
)


def run(
    ids=(),
    file=None,
    update=False,
    section=None,
    tags=(),
    no_auto_tags=False,
    as_json=False,
    no_cache=False,
    db=None,
):
    from igbib.cli.reports import print_rows
    from igbib.ops.add import add
    from igbib.ops.reports import PROBLEMS

    texts = read_id_texts(list(ids), file)
    if not no_auto_tags:
        from igbib.topics import load_rules

        load_rules()  # a bad rule file fails before the library is made or asked for
    with creating_library(db) as library, client(no_cache) as http:
        bar, say = output.progress(len(texts) > 3)
        http.countdown = countdown(bar)
        try:
            report = add(
                library,
                http,
                texts,
                update=update,
                section=section,
                tags=tuple(tags),
                progress=say,
                auto_tags=not no_auto_tags,
            )
        finally:
            if bar:
                bar.stop()
        stored_ids = [
            r.paper_id for r in report.rows if r.paper_id and r.status != "already present"
        ]
        records = library.get_papers(stored_ids) if as_json else []
        excluded = _excluded_in_screening(library, stored_ids)
    if as_json:
        output.print_json([p.to_dict() for p in records])
        for row in report.rows:
            if row.status in PROBLEMS:
                output.error(f"{row.ref}: {row.status}: {row.detail}")
    else:
        print_rows(report, "igbib add")
    note_auto_tags(report)
    for paper, candidate in excluded:
        why = f" ({candidate.reason})" if candidate.reason else ""
        output.note(
            f"note: {paper.citekey} was excluded in screening{why}; it is in the library now"
            f" (igbib screen c{candidate.id} shows the decisions)"
        )
    print_notes(http)
    return report


def _excluded_in_screening(library, paper_ids: list[int]) -> list:
    """The papers just stored that a curator had excluded in screening, with the candidate."""
    found = []
    for paper in library.get_papers(paper_ids):
        candidate = library.known_candidate(paper.pmid, paper.doi)
        if candidate is not None and candidate.status == "excluded":
            found.append((paper, candidate))
    return found


def countdown(bar=None, stream=None):
    """What shows a long wait of the client (a service's Retry-After), second by second.

    On the progress bar when there is one, else on one line of stderr rewritten
    in place when stderr is a terminal; nothing when it is not.
    """
    if bar is not None:
        task = bar.task_ids[0]
        previous: list[str] = []

        def on_bar(message: str | None) -> None:
            if message is None:
                if previous:
                    bar.update(task, description=previous.pop())
                return
            if not previous:
                previous.append(bar.tasks[0].description)
            bar.update(task, description=message)

        return on_bar
    stream = stream or sys.stderr
    if not output.is_terminal(stream):
        return None

    def on_line(message: str | None) -> None:
        stream.write("\r\x1b[K" + (message or ""))
        stream.flush()

    return on_line


def print_notes(http) -> None:
    """What the client noted (answers served from an expired cache, records left out)."""
    for line in http.notes():
        output.note(f"note: {line}")


def read_id_texts(ids: list[str], file: str | None) -> list[str]:
    """Identifiers from arguments, ``-`` (stdin) and ``-f FILE`` (one a line, ``#`` comments)."""
    texts: list[str] = []
    sources = []
    for text in ids:
        if text == "-":
            sources.append(sys.stdin.read())
        else:
            texts.append(text)
    if file:
        from igbib.importers import read_text

        sources.append(sys.stdin.read() if file == "-" else read_text(file))
    for source in sources:
        for line in source.splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                texts.extend(line.split())
    if not texts:
        raise UsageError("no identifiers given (as arguments, with -f FILE or - for stdin)")
    return texts
