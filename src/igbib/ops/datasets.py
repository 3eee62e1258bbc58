"""The registry of datasets: ``igbib dataset list|show|add|edit|rm|link|unlink``.

Every change is one transaction (recorded in the history, undoable). A dataset is named
by its key, name, another spelling or one of its DOIs, without regard to case.

- ``add TCGA-GBM`` fills the facts from the bundled catalogue (:mod:`igbib.datasets`);
  ``add NAME --url ... --doi ...`` registers any other dataset.
- ``rm`` refuses a dataset papers are linked to, unless ``force`` (the links go too).
- ``link`` and ``unlink`` join papers to a dataset (origin ``curator``).
- :func:`propose` finds the datasets each paper's title, abstract, keywords and note
  name, with the evidence; :func:`accept` makes those links (origin ``auto``, with the
  evidence kept), adding a catalogue collection to the registry when it is not yet in it.
- :func:`sync_listed`: what importing a list does to the datasets it names.
"""

from __future__ import annotations

from igbib import datasets as catalogue
from igbib.datasets import fold_name
from igbib.errors import NotFound, Refused, UsageError
from igbib.ids import doi_url, normalize_doi
from igbib.ops.edit import resolve_all

#: The fields ``add`` and ``edit`` set, as ``dataset`` columns.
TEXT_FIELDS = ("url", "description", "cancer_type", "licence", "note")


def papers_count(n: int) -> str:
    """``1 paper``, ``2 papers``."""
    return f"{n} paper" + ("" if n == 1 else "s")


def registry_values(collection: dict) -> dict:
    """The registry's columns for a catalogue collection."""
    return {
        "key": collection["key"],
        "name": collection["key"],
        "url": collection["url"],
        "dois": list(collection["dois"]),
        "cancer_type": collection["cancer_type"],
        "modalities": list(collection["modalities"]),
        "subjects": collection["subjects"],
        "supporting": list(collection["supporting"]),
        "licence": ", ".join(collection["licences"]) or None,
        "aliases": list(collection["aliases"]),
        "catalogue": collection["collection_id"],
    }


#: Whether a name names a dataset (its key, name, an alias, a DOI): the one rule.
matches = catalogue.names_dataset


def display_name(dataset: dict) -> str:
    """What a dataset is shown as: its name (``dataset edit --name`` changes it); its key,
    the catalogue's short title, stays its identity (it still names it)."""
    return dataset.get("name") or dataset.get("key") or f"#{dataset.get('id')}"


def find_dataset(library, name: str) -> dict:
    """The registry's dataset ``name`` names; else an error naming the closest, if any
    is close."""
    if not fold_name(name):
        raise UsageError("a dataset needs a name")
    registry = library.datasets()
    found = [d for d in registry if matches(d, name)]
    if found:
        return found[0]
    names = [display_name(d) for d in registry]
    if not names:
        raise NotFound(f"no dataset {name!r} (the library has no datasets: igbib dataset add NAME)")
    from difflib import get_close_matches

    by_fold = {fold_name(n): n for n in names}
    close = get_close_matches(fold_name(name), list(by_fold), n=1, cutoff=0.6)
    extra = f" (the closest is {by_fold[close[0]]!r})" if close else ""
    if catalogue.lookup(name):
        extra = f"; it is in the catalogue: igbib dataset add {name}"
    raise NotFound(f"no dataset {name!r} in the library{extra}")


def facts(dataset: dict) -> dict:
    """A dataset as ``dataset show --json`` gives it (lists as lists)."""
    keep = (
        "id",
        "key",
        "name",
        "url",
        "dois",
        "cancer_type",
        "modalities",
        "subjects",
        "supporting",
        "licence",
        "aliases",
        "catalogue",
        "description",
        "note",
        "position",
        "papers",
    )
    out = {k: dataset.get(k) for k in keep}
    out["genomics"] = catalogue.genomics_of(dataset)
    out["supporting"] = catalogue.supporting_data(dataset)
    return out


# -- listing ---------------------------------------------------------------------------


def list_datasets(library) -> list[dict]:
    return [facts(d) for d in library.datasets()]


def show_dataset(library, name: str) -> dict:
    dataset = find_dataset(library, name)
    out = facts(dataset)
    links = library.dataset_papers(dataset["id"])
    papers = {p.id: p for p in library.get_papers([link["paper_id"] for link in links])}
    out["linked"] = [
        {
            "id": link["paper_id"],
            "citekey": papers[link["paper_id"]].citekey,
            "title": papers[link["paper_id"]].title,
            "origin": link["origin"],
            "evidence": link["evidence"],
        }
        for link in links
    ]
    found = catalogue.lookup(dataset["key"]) if dataset.get("key") else None
    if found:
        out["restricted"] = found["restricted"]
        out["tcia_dois"] = found["tcia_dois"]
    return out


# -- add, edit, rm ---------------------------------------------------------------------


def _clean_values(values: dict) -> dict:
    """``add``/``edit`` values checked and in stored form; None: not given."""
    out: dict = {}
    for field in TEXT_FIELDS:
        if values.get(field) is not None:
            out[field] = " ".join(values[field].split()) or None
    if out.get("url"):
        _check_url(out["url"])
    for field, flag in (("dois", "--doi"), ("remove_dois", "--remove-doi")):
        if values.get(field):
            dois = []
            for raw in values[field]:
                doi = normalize_doi(raw)
                if doi is None:
                    raise UsageError(f"{flag} {raw!r} is not a DOI (10.NNNN/...)")
                dois.append(doi)
            out[field] = list(dict.fromkeys(dois))
    if values.get("remove_aliases"):
        out["remove_aliases"] = [" ".join(a.split()) for a in values["remove_aliases"] if a]
    if values.get("modalities"):
        out["modalities"] = list(
            dict.fromkeys(
                m.strip() for v in values["modalities"] for m in v.split(",") if m.strip()
            )
        )
    if values.get("aliases"):
        out["aliases"] = list(dict.fromkeys(" ".join(a.split()) for a in values["aliases"] if a))
    if values.get("subjects") is not None:
        if values["subjects"] < 0:
            raise UsageError("--subjects must be 0 or more")
        out["subjects"] = values["subjects"]
    if values.get("genomics") is not None:
        out["genomics"] = values["genomics"]
    return out


def _check_url(url: str) -> None:
    """A dataset's web page: an http(s) address (never ``javascript:``, ``file:``...)."""
    scheme, _, rest = url.partition("://")
    if scheme.casefold() not in ("http", "https") or not rest.strip("/"):
        raise UsageError(f"--url {url!r} is not a web address (http:// or https://)")


def _taken(library, names: list[str], dois: list[str], but: dict | None = None) -> None:
    """Refuse names (a dataset's name, aliases) or DOIs another dataset answers to, or
    that the catalogue gives a collection other than the dataset's own (``but``: the
    dataset, or the row being added)."""
    own = fold_name(but["key"]) if but and but.get("key") else None
    for name in names:
        collection = catalogue.lookup(name)
        if collection and fold_name(collection["key"]) != own:
            raise Refused(
                f"{name!r} is the catalogue's {collection['key']}: a dataset cannot take"
                " another collection's name"
            )
    for other in library.datasets():
        if but is not None and other["id"] == but.get("id"):
            continue
        for name in names:
            if matches(other, name):
                raise Refused(
                    f"the library has a dataset named {name!r} already: {display_name(other)!r}"
                )
        shared = sorted(set(dois) & set(other["dois"]))
        if shared:
            raise Refused(f"DOI {shared[0]} is the DOI of dataset {display_name(other)!r} already")


def add_dataset(library, name: str, values: dict) -> dict:
    """Register a dataset: a catalogue collection (``name`` is its short title, another
    spelling, its collection id or DOI: its facts are filled in, ``values`` change
    them), or any dataset by name with ``values``."""
    name = " ".join((name or "").split())
    if not name:
        raise UsageError("a dataset needs a name")
    given = _clean_values(values)
    collection = catalogue.lookup(name)
    row = registry_values(collection) if collection else {"name": name}
    genomics = given.pop("genomics", None)
    for field in ("dois", "aliases"):  # added to the catalogue's
        given[field] = list(dict.fromkeys([*(row.get(field) or ()), *given.get(field, ())]))
    row.update(given)
    row["supporting"] = catalogue.with_genomics(row.get("supporting") or [], genomics)
    if not collection and not row.get("url") and row.get("dois"):
        row["url"] = doi_url(row["dois"][0])
    _taken(library, [row["name"], *row["aliases"]], row["dois"], row)
    with library.transaction():
        dataset_id = library.insert_dataset(row)
    out = facts(library.dataset(dataset_id))
    out["from_catalogue"] = bool(collection)
    return out


def edit_dataset(library, name: str, values: dict, rename: str | None = None) -> dict:
    """Change a dataset's facts (``values``; ``rename``: its name). ``dois`` and
    ``aliases`` are added to the dataset's, ``remove_dois`` and ``remove_aliases`` taken
    off (a web page that was the address of a DOI taken off becomes that of the first
    DOI left, else none). The key (a catalogue collection's short title) never changes:
    it still names the dataset; the name is what it is shown as. A dataset the list named
    whose name, link or description changes is written from the registry from then on,
    not as the list's line."""
    dataset = find_dataset(library, name)
    changes = _clean_values(values)
    genomics = changes.pop("genomics", None)
    if genomics is not None:
        changes["supporting"] = catalogue.with_genomics(dataset["supporting"], genomics)
    new_names = []
    if rename is not None:
        rename = " ".join(rename.split())
        if not rename:
            raise UsageError("--name needs a name")
        changes["name"] = rename
        if fold_name(rename) != fold_name(dataset["name"]):
            new_names.append(rename)
    for field, removed in (("dois", "remove_dois"), ("aliases", "remove_aliases")):
        added, gone = changes.pop(field, None), changes.pop(removed, None)
        if added is None and gone is None:
            continue
        missing = [v for v in gone or () if fold_name(v) not in map(fold_name, dataset[field])]
        if missing:
            flag, what = ("--remove-doi", "DOI") if field == "dois" else ("--remove-alias", "alias")
            raise UsageError(
                f"{flag} {missing[0]!r}: dataset {display_name(dataset)!r} has no such {what}"
            )
        gone_folded = {fold_name(v) for v in gone or ()}
        kept = [v for v in dataset[field] if fold_name(v) not in gone_folded]
        changes[field] = list(dict.fromkeys([*kept, *(added or ())]))
        if field == "aliases":
            new_names += [a for a in added or () if a not in dataset[field]]
    if not changes:
        raise UsageError("nothing to change: give the facts to set (see igbib dataset --help)")
    new_dois = [d for d in changes.get("dois", []) if d not in dataset["dois"]]
    _taken(library, new_names, new_dois, dataset)
    if "dois" in changes and "url" not in changes:
        gone = [d for d in dataset["dois"] if d not in changes["dois"]]
        if dataset["url"] in {doi_url(d) for d in gone}:
            changes["url"] = doi_url(changes["dois"][0]) if changes["dois"] else None
    changed = {k: v for k, v in changes.items() if dataset.get(k) != v}
    if changed.keys() & {"name", "url", "description"}:
        changed["line"] = None  # the list's line says otherwise now: written from the registry
    if changed:
        with library.transaction():
            library.update_dataset(dataset["id"], changed, dataset)
    out = facts(library.dataset(dataset["id"]))
    out["changed"] = sorted(k for k in changed if k != "line")
    return out


def remove_dataset(library, name: str, *, force: bool = False) -> dict:
    """Remove a dataset from the registry (and its place in the list); refused while papers
    are linked to it, unless ``force``, which removes the links too (the papers stay)."""
    dataset = find_dataset(library, name)
    if dataset["papers"] and not force:
        raise Refused(
            f"{papers_count(dataset['papers'])} {'is' if dataset['papers'] == 1 else 'are'}"
            f" linked to dataset {display_name(dataset)!r}:"
            " unlink them first, or use --force to remove the links with it"
        )
    with library.transaction():
        if dataset["position"] is not None:
            _drop_block(library, dataset)
        library.delete_dataset(dataset["id"])
    return {"name": display_name(dataset), "key": dataset["key"], "unlinked": dataset["papers"]}


def _drop_block(library, dataset: dict) -> None:
    """Remove the document's block that writes this listed dataset (the n-th dataset
    block writes the n-th listed dataset)."""
    listed = [d["id"] for d in library.datasets() if d["position"] is not None]
    rank = listed.index(dataset["id"])
    blocks, seen = [], 0
    for block in library.document():
        if block["kind"] == "dataset":
            seen += 1
            if seen == rank + 1:
                continue
        blocks.append(block)
    library.set_document_blocks(blocks)


# -- links -----------------------------------------------------------------------------


def link(library, refs: list[str], name: str) -> dict:
    """Link the papers ``refs`` names to a dataset (origin ``curator``)."""
    dataset = find_dataset(library, name)
    papers = resolve_all(library, refs)
    with library.transaction():
        done = [p for p in papers if library.link_dataset(p.id, dataset["id"])]
    return _links(dataset, papers, done, "linked", "already")


def unlink(library, refs: list[str], name: str) -> dict:
    dataset = find_dataset(library, name)
    papers = resolve_all(library, refs)
    with library.transaction():
        done = [p for p in papers if library.unlink_dataset(p.id, dataset["id"])]
    return _links(dataset, papers, done, "unlinked", "not_linked")


def _links(dataset, papers, done, verb: str, other: str) -> dict:
    ids = {p.id for p in done}
    return {
        "dataset": display_name(dataset),
        verb: [p.citekey for p in done],
        other: [p.citekey for p in papers if p.id not in ids],
    }


# -- proposals -------------------------------------------------------------------------


def _texts(paper) -> list[tuple[str, str]]:
    return [
        ("title", paper.title or ""),
        ("abstract", paper.abstract or ""),
        ("keywords", "; ".join(paper.keywords or ())),
        ("note", paper.note or ""),
    ]


def candidates(library) -> list[dict]:
    """What a paper can be linked to: the registry's datasets, then the catalogue's
    collections not in it."""
    registry = library.datasets()
    keys = {fold_name(d["key"]) for d in registry if d["key"]}
    rest = [c for c in catalogue.collections() if fold_name(c["key"]) not in keys]
    return [*registry, *rest]


def propose(library, papers) -> list[dict]:
    """For each paper, the datasets its text names that it is not linked to yet, nor had
    a link to taken off (``unlink``):
    ``paper`` (id, citekey, title), ``dataset``, ``in_registry``, ``evidence``."""
    pool = candidates(library)
    by_name = {(d.get("key") or d.get("name")): d for d in pool}
    finder = catalogue.Finder(pool)
    links = library.dataset_links()  # and the links taken off: never proposed again
    out = []
    for paper in papers:
        for name, evidence in finder.find(_texts(paper)).items():
            dataset = by_name[name]
            if "id" in dataset and (paper.id, dataset["id"]) in links:
                continue
            out.append(
                {
                    "id": paper.id,
                    "citekey": paper.citekey,
                    "title": paper.title,
                    "dataset": name,
                    "name": display_name(dataset),
                    "in_registry": "id" in dataset,
                    "evidence": evidence,
                }
            )
    return out


def accept(library, proposals: list[dict]) -> dict:
    """Make the proposed links (origin ``auto``, the evidence kept), in one transaction,
    adding to the registry the catalogue collections they need."""
    added: list[str] = []
    linked = 0
    with library.transaction():
        ids = {}
        for dataset in library.datasets():
            ids[dataset["key"] or dataset["name"]] = dataset["id"]
        for proposal in proposals:
            name = proposal["dataset"]
            if name not in ids:
                ids[name] = library.insert_dataset(registry_values(catalogue.lookup(name)))
                added.append(name)
            evidence = "; ".join(proposal["evidence"])
            linked += library.link_dataset(proposal["id"], ids[name], "auto", evidence)
    return {"linked": linked, "added_datasets": added}


# -- importing a list ------------------------------------------------------------------


def _collection_of(heading: dict) -> tuple[dict | None, str]:
    """The catalogue collection a list's dataset heading names, and how it was found."""
    found = catalogue.lookup(heading["name"] or "")
    if found:
        return found, f"its name {heading['name']!r}"
    text = " - ".join(t for t in (heading["name"], heading.get("description")) if t)
    named = catalogue.find([("heading", text)], catalogue.collections())
    if len(named) == 1:
        ((key, evidence),) = named.items()
        return catalogue.lookup(key), evidence[0].removeprefix("heading: ")
    return None, ""


def sync_listed(library, headings: list[dict]) -> tuple[list[int], list[str]]:
    """Make the registry's listed datasets those a list names (inside a transaction).

    Headings that are the same dataset (the same catalogue collection, or the same
    name, link and text) become one dataset, at the first one's place. A heading that
    names a catalogue collection is filled with its facts. A dataset the list no
    longer names leaves the list; it stays in the registry if papers are linked to it
    or it holds a collection, else it goes, as the list's line it was. A library imported
    before keeps its links: the rows it made of repeated headings become the one.

    Returns (the indexes of the headings merged into an earlier one: their document
    blocks go, what each merge was, said for the import's report).
    """
    groups: dict[tuple, list[int]] = {}
    found: dict[tuple, tuple[dict | None, str]] = {}
    for index, heading in enumerate(headings):
        collection, how = _collection_of(heading)
        if collection:
            group = ("key", fold_name(collection["key"]))
        else:
            group = (
                "text",
                fold_name(heading["name"]),
                (heading["url"] or "").strip(),
                fold_name(heading.get("description")),
            )
        groups.setdefault(group, []).append(index)
        found.setdefault(group, (collection, how))
    merged, notes = [], []
    existing = library.datasets()
    kept_ids = set()
    for position, (group, indexes) in enumerate(groups.items(), start=1):
        first = headings[indexes[0]]
        collection, how = found[group]
        listed = {"position": position, "line": first["line"]}
        listed["description"] = first.get("description")
        facts = dict(first.get("facts") or {})  # the list's facts line, if it has one
        genomics = facts.pop("genomics", None)
        if collection:  # the catalogue's facts, those the list's line says winning
            facts = {**registry_values(collection), **facts}
        if genomics is not None:
            facts["supporting"] = catalogue.with_genomics(facts.get("supporting") or [], genomics)
        if not collection:
            listed.update({"name": first["name"], "url": first["url"]})
        values = {**listed, **facts}
        lines = {headings[i]["line"] for i in indexes}
        row = _existing(existing, values, kept_ids, lines)
        if row is None:
            row_id = library.insert_dataset(values)
        else:
            row_id = row["id"]
            if row["line"] is None:  # named, linked or described by hand: the registry's
                library.update_dataset(row_id, {"position": position}, row)
            elif collection and row["key"]:  # the facts are the registry's (maybe edited)
                library.update_dataset(row_id, listed, row)
            else:  # the list's, or the catalogue's for a dataset imported before
                library.update_dataset(row_id, values, row)
        kept_ids.add(row_id)
        for other in existing:  # an older import's row for each repeated heading
            if other["id"] not in kept_ids and other["line"] in lines:
                library.move_links_to_dataset(other["id"], row_id)
                library.delete_dataset(other["id"])
                kept_ids.add(other["id"])
        name = values.get("key") or values["name"]
        if collection:
            said = first["name"] or name
            notes.append(f"{_at(first)}{said!r} is the catalogue's {collection['key']} ({how})")
        if len(indexes) > 1:
            merged.extend(indexes[1:])
            lines = ", ".join(str(headings[i].get("lineno", "?")) for i in indexes)
            notes.append(
                f"lines {lines}: {len(indexes)} headings of the same dataset merged into"
                f" one dataset, {name}"
            )
    for row in existing:
        if row["id"] in kept_ids or row["position"] is None:
            continue
        name = row["key"] or row["name"]
        if row["papers"] or row["key"] or row["line"] is None:
            library.update_dataset(row["id"], {"position": None, "line": None}, row)
            notes.append(f"{name!r} is no longer in the list: kept in the registry")
        else:
            library.delete_dataset(row["id"])
            notes.append(f"{name!r} is no longer in the list: removed")
    return merged, notes


def _at(heading: dict) -> str:
    return f"line {heading['lineno']}: " if heading.get("lineno") else ""


def _existing(rows: list[dict], values: dict, taken: set[int], lines: set[str]) -> dict | None:
    """The registry's row a list's dataset is: the same key, else one of the same list
    lines, else the same name and link."""
    for row in rows:
        if row["id"] in taken:
            continue
        if values.get("key") and fold_name(row["key"]) == fold_name(values["key"]):
            return row
    for row in rows:
        if row["id"] not in taken and row["line"] in lines:
            return row
    for row in rows:
        if row["id"] in taken or row["key"]:
            continue
        if fold_name(row["name"]) == fold_name(values["name"]) and (row["url"] or "") == (
            values.get("url") or ""
        ):
            return row
    return None
