"""``igbib dataset list|show|add|edit|rm|link|unlink``: the registry of datasets."""

from __future__ import annotations

import sys

from igbib.cli import output
from igbib.cli.common import open_library
from igbib.cli.spec import DB, JSON, Argument, Command, Option
from igbib.errors import IgbibError, UsageError

#: Each action -> what it takes after it.
ACTIONS = {
    "list": "",
    "show": "NAME",
    "add": "NAME",
    "edit": "NAME",
    "rm": "NAME",
    "link": "REF... NAME",
    "unlink": "REF... NAME",
}
#: The options only some actions take: option dest -> (its flag, those actions).
_ONLY = {
    "url": ("--url", {"add", "edit"}),
    "dois": ("--doi", {"add", "edit"}),
    "cancer_type": ("--cancer-type", {"add", "edit"}),
    "modalities": ("--modality", {"add", "edit"}),
    "subjects": ("--subjects", {"add", "edit"}),
    "licence": ("--licence", {"add", "edit"}),
    "aliases": ("--alias", {"add", "edit"}),
    "remove_dois": ("--remove-doi", {"edit"}),
    "remove_aliases": ("--remove-alias", {"edit"}),
    "genomics": ("--genomics", {"add", "edit"}),
    "description": ("--description", {"add", "edit"}),
    "note": ("--note", {"add", "edit"}),
    "rename": ("--name", {"edit"}),
    "force": ("--force", {"rm"}),
    "auto": ("--auto", {"link"}),
    "accept": ("--accept", {"link"}),
    "as_json": ("--json", {"list", "show", "link", "add", "edit", "rm", "unlink"}),
}


def _yes_no() -> tuple[str, ...]:
    return ("yes", "no")


COMMAND = Command(
    "dataset",
    """The registry of datasets, and which papers use them.

    dataset list (name, cancer type, modalities, subjects, papers); dataset show
    NAME (facts and linked papers). dataset add NAME: a collection of the bundled
    IDC catalogue (TCGA-GBM, NSCLC Radiogenomics, ...) comes with its facts; any
    other takes --url, --doi and the rest. dataset edit NAME sets facts (--doi and
    --alias add, --remove-doi and --remove-alias take off); dataset rm
    NAME is refused while papers are linked to it, unless --force (the links go,
    the papers stay). dataset link REF... NAME and unlink REF... NAME join papers
    to a dataset. dataset link --auto [QUERY] proposes links from the dataset
    names, DOIs and aliases in the papers' titles, abstracts, keywords and notes
    (and "TCGA" or "The Cancer Genome Atlas" with a cancer site), with the
    evidence; --accept makes them; a link taken off with unlink is never
    proposed again. A dataset is named by its key, name, another spelling or a
    DOI, in any case. Search with dataset:NAME.
    """,
    (
        Argument("action", f"{', '.join(ACTIONS)}.", metavar="ACTION"),
        Argument(
            "words",
            "The dataset (link, unlink: the papers first); link --auto: a search query.",
            metavar="ARGS",
            many=True,
            required=False,
            words=True,
        ),
        Option(("--url",), "url", "add, edit: the dataset's web page.", metavar="URL"),
        Option(
            ("--doi",),
            "dois",
            "add, edit: a DOI to add to the dataset's (repeatable).",
            metavar="DOI",
            multiple=True,
        ),
        Option(("--cancer-type",), "cancer_type", "add, edit: the cancer type.", metavar="TEXT"),
        Option(
            ("--modality",),
            "modalities",
            "add, edit: an imaging modality, such as MR or CT (repeatable, or comma-separated).",
            metavar="M",
            multiple=True,
        ),
        Option(
            ("--subjects",),
            "subjects",
            "add, edit: how many subjects.",
            kind=int,
            metavar="N",
            minimum=0,
        ),
        Option(("--licence",), "licence", "add, edit: the data licence.", metavar="TEXT"),
        Option(
            ("--alias",),
            "aliases",
            "add, edit: another name to add to its (repeatable).",
            metavar="NAME",
            multiple=True,
        ),
        Option(
            ("--remove-doi",),
            "remove_dois",
            "edit: a DOI to take off (repeatable); a web page that was its address"
            " becomes the next DOI's.",
            metavar="DOI",
            multiple=True,
        ),
        Option(
            ("--remove-alias",),
            "remove_aliases",
            "edit: another name to take off (repeatable).",
            metavar="NAME",
            multiple=True,
        ),
        Option(
            ("--genomics",),
            "genomics",
            "add, edit: whether genomic data come with it.",
            metavar="yes|no",
            choices=_yes_no,
        ),
        Option(("--description",), "description", "add, edit: a description.", metavar="TEXT"),
        Option(("--note",), "note", "add, edit: a note.", metavar="TEXT"),
        Option(
            ("--name",),
            "rename",
            "edit: a new name to show it as (its catalogue key still names it).",
            metavar="NAME",
        ),
        Option(("--force",), "force", "rm: remove a dataset papers are linked to.", kind=bool),
        Option(("--auto",), "auto", "link: propose links found in the papers' text.", kind=bool),
        Option(("--accept",), "accept", "link --auto: make the proposed links.", kind=bool),
        JSON,
        DB,
    ),
    example="igbib dataset link --auto 'TCGA'",
)


def run(action, words=(), db=None, as_json=False, **options) -> None:
    words = list(words)
    if action not in ACTIONS:
        raise UsageError(
            f"no such action {action!r} for igbib dataset (use one of {', '.join(ACTIONS)})"
        )
    for dest, (flag, actions) in _ONLY.items():
        value = as_json if dest == "as_json" else options.get(dest)
        if value not in (None, False, [], ()) and action not in actions:
            raise UsageError(f"{flag} is not an option of 'igbib dataset {action}'")
    if options.get("accept") and not options.get("auto"):
        raise UsageError("--accept goes with --auto: igbib dataset link --auto [QUERY] --accept")
    if action == "link" and options.get("auto"):
        return _auto(words, options.get("accept"), as_json, db)
    _arity(action, words)
    from igbib.ops import datasets as ops

    if action in ("list", "show"):
        with open_library(db) as library:
            if action == "list":
                return _print_list(ops.list_datasets(library), as_json)
            return _print_show(ops.show_dataset(library, words[0]), as_json)
    values = _values(options)
    with open_library(db, write=True) as library:
        if action == "add":
            result = ops.add_dataset(library, words[0], values)
            text = f"Added dataset {result['name']!r}" + (
                " from the IDC catalogue" if result["from_catalogue"] else ""
            )
        elif action == "edit":
            result = ops.edit_dataset(library, words[0], values, options.get("rename"))
            changed = ", ".join(result["changed"]) or "nothing (the values were already so)"
            text = f"Dataset {result['name']!r}: changed {changed}"
        elif action == "rm":
            result = ops.remove_dataset(library, words[0], force=options.get("force"))
            text = f"Removed dataset {result['name']!r}"
            if result["unlinked"]:
                text += (
                    f" and its links to {ops.papers_count(result['unlinked'])} (the papers stay)"
                )
        else:
            do = ops.link if action == "link" else ops.unlink
            result = do(library, words[:-1], words[-1])
            text = _link_text(action, result, ops.papers_count)
    if as_json:
        output.print_json(result)
    else:
        print(text)


def _arity(action: str, words: list[str]) -> None:
    wanted = ACTIONS[action]
    usage = f"igbib dataset {action} {wanted}".strip()
    if not wanted and words:
        raise UsageError(f"igbib dataset {action} takes no arguments: {usage}")
    if wanted == "NAME" and len(words) != 1:
        raise UsageError(f"igbib dataset {action} takes one name: {usage}")
    if wanted == "REF... NAME" and len(words) < 2:
        raise UsageError(f"igbib dataset {action} takes papers then a dataset: {usage}")


def _values(options: dict) -> dict:
    genomics = options.get("genomics")
    return {
        "url": options.get("url"),
        "dois": options.get("dois") or [],
        "cancer_type": options.get("cancer_type"),
        "modalities": options.get("modalities") or [],
        "subjects": options.get("subjects"),
        "licence": options.get("licence"),
        "aliases": options.get("aliases") or [],
        "remove_dois": options.get("remove_dois") or [],
        "remove_aliases": options.get("remove_aliases") or [],
        "genomics": None if genomics is None else genomics == "yes",
        "description": options.get("description"),
        "note": options.get("note"),
    }


def _link_text(action: str, result: dict, papers_count) -> str:
    done = result["linked" if action == "link" else "unlinked"]
    other = result["already" if action == "link" else "not_linked"]
    text = f"{'Linked' if action == 'link' else 'Unlinked'} {papers_count(len(done))}"
    text += f" {'to' if action == 'link' else 'from'} {result['dataset']}"
    if done:
        text += f": {', '.join(done)}"
    if other:
        said = "already linked" if action == "link" else "not linked"
        text += f" ({said}: {', '.join(other)})"
    return text


def _auto(words: list[str], accept: bool, as_json: bool, db) -> None:
    from igbib.ops import datasets as ops
    from igbib.search import count, papers

    query = " ".join(words)
    with open_library(db, write=accept) as library:
        if query and not count(library, query):
            raise IgbibError(f"no papers match {query!r}; nothing to link")
        proposals = ops.propose(library, papers(library, query, sort="added"))
        result = ops.accept(library, proposals) if accept and proposals else None
    if as_json:
        output.print_json({"proposals": proposals, "accepted": result})
        return
    if not proposals:
        output.note("No links to propose.")
        return
    for p in proposals:
        where = "" if p["in_registry"] else " (from the catalogue)"
        print(f"{p['citekey']} -> {p['name']}{where}")
        for evidence in p["evidence"]:
            print(f"    {evidence}")
    if result is None:
        word = "link" if len(proposals) == 1 else "links"
        output.note(f"{len(proposals)} {word} proposed; --accept makes them.")
        return
    added = result["added_datasets"]
    text = f"Linked {ops.papers_count(result['linked'])} (origin auto, with the evidence)"
    if added:
        text += f"; added to the registry: {', '.join(added)}"
    print(text)


def _print_list(rows: list[dict], as_json: bool) -> None:
    if as_json:
        output.print_json(rows)
        return
    if not rows:
        output.note("No datasets (igbib dataset add NAME).")
        return
    cells = [
        (
            r["name"] or r["key"],
            r["cancer_type"] or "",
            ", ".join(r["modalities"]),
            "" if r["subjects"] is None else str(r["subjects"]),
            str(r["papers"]),
        )
        for r in rows
    ]
    if not output.is_terminal(sys.stdout):
        for row in cells:
            print("\t".join(row))
        return
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for name in ("dataset", "cancer type", "modalities", "subjects", "papers"):
        table.add_column(name, justify="right" if name in ("subjects", "papers") else "left")
    for row in cells:
        table.add_row(*(escape(c) for c in row))
    Console(file=sys.stdout).print(table)


def _print_show(d: dict, as_json: bool) -> None:
    if as_json:
        output.print_json(d)
        return
    fields = [
        ("name", d["name"]),
        ("key", d["key"]),
        ("url", d["url"]),
        ("DOIs", ", ".join(d["dois"])),
        ("cancer type", d["cancer_type"]),
        ("modalities", ", ".join(d["modalities"])),
        ("subjects", d["subjects"]),
        ("genomic data", {True: "yes", False: "no"}.get(d["genomics"])),
        ("supporting", ", ".join(d["supporting"])),
        ("licence", d["licence"]),
        ("aliases", ", ".join(d["aliases"])),
        ("catalogue", d["catalogue"] and f"IDC collection {d['catalogue']}"),
        ("on TCIA", _tcia_only(d)),
        ("restricted", "special restrictions on its usage (TCIA)" if d.get("restricted") else None),
        ("description", d["description"]),
        ("note", d["note"]),
    ]
    for label, value in fields:
        if value not in (None, ""):
            print(f"{label + ':':14}{value}")
    print(f"{'papers:':14}{len(d['linked'])}")
    for paper in d["linked"]:
        how = paper["origin"] + (f": {paper['evidence']}" if paper["evidence"] else "")
        print(f"  {paper['citekey']}  {paper['title']}  ({how})")


def _tcia_only(d: dict) -> str | None:
    """The collection's pages on TCIA, with the images IDC does not host (TCGA-GBM's MR:
    IDC has its slides only, and ``modalities`` says IDC's)."""
    dois = d.get("tcia_dois") or ()
    if not dois:
        return None
    pages = ", ".join(f"https://doi.org/{doi}" for doi in dois)
    return f"{pages} (images IDC does not host, such as radiology: modalities lists IDC's only)"
