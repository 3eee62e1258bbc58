"""``igbib rm REF...``: remove papers from the library."""

from __future__ import annotations

from igbib.cli import output
from igbib.cli.common import confirm, interactive, open_library
from igbib.cli.spec import DB, JSON, Argument, Command, Option

COMMAND = Command(
    "rm",
    """Remove papers from the library, with their places in the list, tags and aliases.

    Asks first on a terminal; --yes removes without asking (scripts must give it).
    Every REF must name one paper, or nothing is removed. A tag no paper has any
    more is deleted.
    """,
    (
        Argument(
            "refs",
            "Id, citation key, PMID, PMCID, DOI or arXiv id of each paper to remove.",
            metavar="REF",
            many=True,
        ),
        Option(("--yes", "-y"), "yes", "Remove without asking.", kind=bool),
        JSON,
        DB,
    ),
    example="igbib rm zhao2016reproducibility --yes",
)


def run(refs, yes=False, as_json=False, db=None) -> None:
    from igbib.errors import Refused
    from igbib.ops.edit import remove, resolve_all

    with open_library(db, write=True) as library:
        papers = resolve_all(library, list(refs))
        if not yes:
            if not interactive():
                raise Refused(
                    "igbib rm asks before removing, and this is not a terminal: add --yes"
                )
            for paper in papers:
                output.note(f"  {paper.id}\t{paper.citekey}\t{paper.title or '(no title)'}")
            count = f"{len(papers)} paper" + ("s" if len(papers) > 1 else "")
            if not confirm(f"Remove {count}?"):
                output.note("Nothing removed.")
                return
        deleted = remove(library, papers)
    if as_json:
        removed = [{"id": p.id, "citekey": p.citekey, "title": p.title} for p in papers]
        output.print_json({"removed": removed, "deleted_tags": deleted})
        return
    for paper in papers:
        print(f"removed\t{paper.id}\t{paper.citekey}\t{paper.title or ''}")
    if deleted:
        output.note(f"Tags no paper has any more, deleted: {', '.join(deleted)}")
