"""``igbib tag REF... +TAG -TAG``: add and remove tags."""

from __future__ import annotations

from igbib.cli import output
from igbib.cli.common import open_library
from igbib.cli.spec import DB, JSON, Argument, Command

COMMAND = Command(
    "tag",
    """Add tags to papers (+TAG) and remove them (-TAG).

    The papers come first, then the tags, each written +TAG or -TAG (a word
    without + or - after the tags is an error). Tags ignore case. Removing a tag
    a paper does not have is reported, not an error; a tag no paper has any more
    is deleted. A one-letter tag to remove goes after --: igbib tag REF -- -x.
    """,
    (
        Argument(
            "words",
            "The papers (id, citation key, PMID, DOI, ...), then +TAG and -TAG.",
            metavar="REF... +TAG|-TAG",
            many=True,
            words=True,
        ),
        JSON,
        DB,
    ),
    example="igbib tag gevaert2014glioblastoma 24827998 +glioma -review",
)


def run(words, as_json=False, db=None) -> None:
    from igbib.ops.tags import parse_words, tag

    refs, add, remove = parse_words(list(words))
    with open_library(db, write=True) as library:
        results, deleted = tag(library, refs, add, remove)
    if as_json:
        output.print_json({"papers": [r.to_dict() for r in results], "deleted_tags": deleted})
        return
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
