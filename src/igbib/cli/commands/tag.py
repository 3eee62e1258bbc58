"""``igbib tag REF... +TAG -TAG``: add and remove tags; ``igbib tag --auto [QUERY]``: topic tags."""

from __future__ import annotations

from igbib.cli import output
from igbib.cli.common import open_library
from igbib.cli.spec import DB, JSON, Argument, Command, Option
from igbib.errors import IgbibError, UsageError

#: The option of ``import``, ``add`` and ``refresh`` that leaves the topic tags alone.
NO_AUTO_TAGS = Option(
    ("--no-auto-tags",),
    "no_auto_tags",
    "Do not give the papers the topic tags the rules give (igbib tag --auto does later).",
    kind=bool,
)

COMMAND = Command(
    "tag",
    """Add tags to papers (+TAG) and remove them (-TAG), or give topic tags by the rules (--auto).

    The papers come first, then the tags, each written +TAG or -TAG (a word
    without + or - after the tags is an error). Tags ignore case. Removing a tag
    a paper does not have is reported, not an error; a tag no paper has any more
    is deleted. A one-letter tag to remove goes after --: igbib tag REF -- -x.

    --auto [QUERY] computes the topic tags (site/..., modality/..., target/...,
    method/...) of the papers matching QUERY (default: every paper) from the MeSH
    terms, keywords and titles: it adds those the rules give and takes off the
    automatic ones they no longer give. A curator's tag always wins, and a topic
    tag taken off by hand (-site/glioma) is never given back.
    """,
    (
        Argument(
            "words",
            "The papers (id, citation key, PMID, DOI, ...), then +TAG and -TAG; with --auto,"
            " a search choosing the papers.",
            metavar="REF... +TAG|-TAG",
            many=True,
            required=False,
            words=True,
        ),
        Option(
            ("--auto",),
            "auto",
            "Give the topic tags the rules give (and take off those they no longer give).",
            kind=bool,
        ),
        Option(
            ("--dry-run", "-n"),
            "dry_run",
            "With --auto: show what would change; write nothing.",
            kind=bool,
        ),
        Option(
            ("--explain",),
            "explain",
            "With --auto: say which rule gave each paper each tag.",
            kind=bool,
        ),
        JSON,
        DB,
    ),
    example="igbib tag gevaert2014glioblastoma 24827998 +glioma -review",
)


def run(words=(), auto=False, dry_run=False, explain=False, as_json=False, db=None) -> None:
    if auto:
        return run_auto(list(words), dry_run, explain, as_json, db)
    for flag, given in (("--dry-run", dry_run), ("--explain", explain)):
        if given:
            raise UsageError(f"{flag} goes with --auto (igbib tag --auto {flag} [QUERY])")
    from igbib.ops.tags import parse_words, tag

    refs, add, remove = parse_words(list(words))
    with open_library(db, write=True) as library:
        results, deleted = tag(library, refs, add, remove)
    if as_json:
        output.print_json({"papers": [r.to_dict() for r in results], "deleted_tags": deleted})
        return None
    for result in results:
        done = [f"+{t}" for t in result.added] + [f"-{t}" for t in result.removed]
        notes = []
        if result.had:
            notes.append(f"already tagged {', '.join(result.had)}")
        if result.absent:
            notes.append(f"not tagged {', '.join(result.absent)}")
        line = f"{result.paper.citekey}: {' '.join(done) or 'unchanged'}"
        if notes:
            line += f" ({'; '.join(notes)})"
        print(line + f"; tags: {', '.join(result.tags) or '(none)'}")
    if deleted:
        output.note(f"Tags no paper has any more, deleted: {', '.join(deleted)}")
    return None


def run_auto(words: list[str], dry_run: bool, explain: bool, as_json: bool, db) -> None:
    from igbib.cli.common import build_query
    from igbib.ops.topics import auto_tag
    from igbib.topics import load_rules

    for word in words:
        if word[:1] == "+":
            raise UsageError(
                f"{word!r}: --auto gives the tags the rules give; add a tag by hand with"
                " igbib tag REF +TAG"
            )
    rules = load_rules()  # a bad rule file fails before the library is opened
    query = build_query(words) if words else None
    with open_library(db, write=not dry_run) as library:
        ids = library.search_ids(query, sort="section") if query is not None else None
        if ids == []:  # as export and stats: a query that selects nothing is exit 1
            raise IgbibError(f"no papers match {' '.join(words)!r}; nothing tagged")
        result = auto_tag(library, ids, dry_run=dry_run, rules=rules)
    if as_json:
        output.print_json(result.to_dict())
        return None
    print_auto(result, explain)
    return None


def print_auto(result, explain: bool) -> None:
    """Per tag, the papers it was added to and taken off; with ``explain``, per paper, each
    automatic tag and the rule's evidence for it."""
    by_tag = result.by_tag()
    if by_tag:
        width = max(len(tag) for tag in by_tag)
        for tag, done in by_tag.items():
            parts = []
            if done["added"]:
                parts.append(f"+{len(done['added'])}")
            if done["removed"]:
                parts.append(f"-{len(done['removed'])}")
            print(f"{tag.ljust(width)}  {' '.join(parts)}")
    if explain:
        for paper in result.papers:
            if not (paper.evidence or paper.removed or paper.holds or paper.rejected):
                continue
            print(f"{paper.citekey}:")
            for tag in sorted(paper.evidence, key=result.sort_key):
                mark = "+" if tag in paper.added else " "
                print(f"  {mark}{tag}  ({'; '.join(paper.evidence[tag])})")
            for tag in paper.removed:
                print(f"  -{tag}  (no rule gives it any more)")
            for tag in paper.holds:
                print(f"   {tag}  (the curator's own tag)")
            for tag in paper.rejected:
                print(f"   {tag}  (taken off by a curator: not given back)")
    added, removed = result.counts()
    papers, changed = len(result.papers), len(result.changed)
    line = (
        f"{papers} paper{'s' * (papers != 1)} computed: {added} tag{'s' * (added != 1)} added,"
        f" {removed} removed, on {changed} paper{'s' * (changed != 1)}"
    )
    if result.reason and removed:
        line += f" ({result.reason}; removed: {result.removed_tags()})"
    output.note(line + (" (dry run: nothing written)." if result.dry_run else "."))


def note_auto_tags(report) -> None:
    """What the topic rules did in an import, add or refresh (nothing when nothing changed)."""
    topics = getattr(report, "topics", None)
    line = topics.summary() if topics is not None else ""
    if line:
        output.note(line)
