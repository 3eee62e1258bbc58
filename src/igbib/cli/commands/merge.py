"""``igbib merge REF REF...``: papers that are one work, merged into the oldest."""

from __future__ import annotations

from igbib.cli import output
from igbib.cli.common import open_library
from igbib.cli.spec import DB, JSON, Argument, Command, Option

COMMAND = Command(
    "merge",
    """Merge papers that are one work into the oldest of them, in one transaction.

    The oldest paper's citation key is kept; the others' become aliases, so
    show, search key: and the BibLaTeX ids field still find them. Every
    identifier, note, tag and placement is kept; fields follow the merge policy
    of import. Different identifiers of one kind, or unlike titles, are refused unless --force.
    """,
    (
        Argument(
            "refs",
            "Two or more papers: ids, citation keys, PMIDs, PMCIDs, DOIs or arXiv ids.",
            metavar="REF",
            many=True,
        ),
        Option(
            ("--force",),
            "force",
            "Merge despite unlike titles or different identifiers of one kind (the older"
            " paper's identifier is kept, the others recorded in extra).",
            kind=bool,
        ),
        Option(
            ("--dry-run", "-n"), "dry_run", "Show what would be merged; write nothing.", kind=bool
        ),
        JSON,
        DB,
    ),
    example="igbib merge aerts2014decoding lee2017radiomics --force --dry-run",
)


def run(refs, force=False, dry_run=False, as_json=False, db=None) -> None:
    from igbib.ops.merge import merge

    with open_library(db, write=True) as library:
        result = merge(library, list(refs), force=force, dry_run=dry_run)
    if as_json:
        output.print_json(result.to_dict())
        return
    verb = "Would merge" if dry_run else "Merged"
    paper = result.survivor
    names = ", ".join(f"{p.citekey} (id {p.id})" for p in result.merged)
    print(f"{verb} {names} into {paper.citekey} (id {paper.id})")
    if result.fields:
        print(f"fields       {', '.join(result.fields)}")
    if result.aliases:
        print(f"aliases      {', '.join(result.aliases)}")
    for name, values in result.not_kept.items():
        for key, value in values:
            print(f"not kept     {name} of {key}: {_short(value)}")
    for kind, values in result.dropped_identifiers.items():
        print(f"not kept     {kind} {', '.join(values)} (recorded in extra)")
    if paper.sections:
        places = "; ".join(f"{s['section']} (#{s['position']})" for s in paper.sections)
        print(f"sections     {places}")
    if paper.tags:
        print(f"tags         {', '.join(paper.tags)}")
    if dry_run:
        print("Dry run: nothing was written.")


def _short(value, width: int = 70) -> str:
    from igbib.model import authors_short

    if isinstance(value, list) and value and isinstance(value[0], dict):
        value = authors_short(value)
    elif isinstance(value, list):
        value = "; ".join(map(str, value))
    text = str(value).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
