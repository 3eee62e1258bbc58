"""The list's sections and where papers stand in them: ``igbib move`` and ``igbib section``.

Each operation is one transaction (recorded in the history, undoable) and
returns a dict saying what it did. Positions in a section are always 1..n
after a change. A section added here also gets its place in the list's
document, so ``export -f md`` writes its heading (even while it is empty); a
section removed loses its place there too.
"""

from __future__ import annotations

from difflib import get_close_matches

from igbib.errors import NotFound, Refused, UsageError

#: The style of a new section when the library has none to copy (a level-2 heading).
DEFAULT_STYLE = "heading:2"


def find_section(library, name: str) -> dict:
    """The section called ``name`` (exactly, else ignoring case); else an error naming the
    closest section."""
    section = library.section_named(name)
    if section is not None:
        return section
    names = [s["name"] for s in library.sections()]
    raise NotFound(f"no section {name!r}{_closest(name, names)}")


def _closest(name: str, names: list[str]) -> str:
    if not names:
        return " (the library has no sections)"
    by_fold = {n.casefold(): n for n in names}
    found = get_close_matches(name.casefold(), list(by_fold), n=1, cutoff=0.0)
    return f" (the closest is {by_fold[found[0]]!r})" if found else ""


def _name(text: str) -> str:
    name = " ".join((text or "").split())
    if not name:
        raise UsageError("a section needs a name")
    return name


# -- move ----------------------------------------------------------------------------


def move(
    library,
    ref: str,
    section: str,
    *,
    position: int | None = None,
    from_section: str | None = None,
    copy: bool = False,
) -> dict:
    """Move the paper ``ref`` names into ``section`` (at ``position``, else last), from the
    section it is in (``from_section`` when it is in several), or, with ``copy``, list it in
    ``section`` too."""
    if position is not None and position < 1:
        raise UsageError(f"--position must be at least 1, not {position}")
    paper = library.resolve(ref)
    target = find_section(library, section)
    places = library.paper_placements(paper.id)
    source = None
    if from_section is not None:
        if copy:
            raise UsageError("--from says which placement to move; --copy moves none")
        source = find_section(library, from_section)
        if all(p["section_id"] != source["id"] for p in places):
            raise NotFound(f"{paper.citekey} is not listed in {source['name']!r}{_in(places)}")
    elif not copy and len(places) > 1:
        raise UsageError(
            f"{paper.citekey} is listed in {len(places)} sections: {_names(places)};"
            " say which placement to move with --from SECTION (or add one with --copy)"
        )
    elif not copy and places:
        source = {"id": places[0]["section_id"], "name": places[0]["section"]}
    already = any(p["section_id"] == target["id"] for p in places)
    if already and source is not None and source["id"] != target["id"]:
        raise Refused(
            f"{paper.citekey} is already listed in {target['name']!r}; move it within"
            f" that section with --from {target['name']!r}, or remove it from"
            f" {source['name']!r} first"
        )
    with library.transaction():
        line = None
        if source is not None and source["id"] != target["id"]:
            entries = library.section_entries(source["id"])
            line = dict(entries)[paper.id]
            _place(library, source["id"], [e for e in entries if e[0] != paper.id])
        entries = library.section_entries(target["id"])
        line = dict(entries).get(paper.id, line)
        rest = [e for e in entries if e[0] != paper.id]
        index = len(rest) if position is None else min(position - 1, len(rest))
        if position is None and already and copy:
            index = [e[0] for e in entries].index(paper.id)  # --copy into its own section
        rest.insert(index, (paper.id, line))
        _place(library, target["id"], rest)
    moved = library.get(paper.id)
    return {
        "id": paper.id,
        "citekey": paper.citekey,
        "section": target["name"],
        "position": index + 1,
        "from": source["name"] if source is not None else None,
        "copy": copy,
        "sections": moved.sections,
    }


def _place(library, section_id: int, entries: list[tuple[int, int | None]]) -> None:
    library.set_placements(section_id, [e[0] for e in entries], [e[1] for e in entries])


def _names(places: list[dict]) -> str:
    return ", ".join(repr(p["section"]) for p in places)


def _in(places: list[dict]) -> str:
    return f" (it is in {_names(places)})" if places else " (it is in no section)"


# -- section add / rename / rm / list --------------------------------------------------


def add_section(library, name: str, *, after: str | None = None) -> dict:
    """A new, empty section, after ``after`` (default: last), styled as its neighbour."""
    name = _name(name)
    if library.section_named(name) is not None:
        raise Refused(f"a section {library.section_named(name)['name']!r} already exists")
    sections = library.sections()
    anchor = find_section(library, after) if after is not None else None
    if anchor is None and sections:
        anchor = sections[-1]
    style = anchor["style"] if anchor else DEFAULT_STYLE
    with library.transaction():
        new_id = library.add_section(name, style)
        order = [s["id"] for s in sections]
        order.insert(order.index(anchor["id"]) + 1 if anchor else len(order), new_id)
        library.order_sections(order)
        _add_block(library, new_id, anchor["id"] if anchor else None)
    return {"id": new_id, "name": name, "style": style, "after": anchor["name"] if anchor else None}


def _add_block(library, section_id: int, anchor_id: int | None) -> None:
    """The new section's slot in the list's document: after the anchor's slot, else after
    the last section's. A library with no document (no list imported) gets none: the
    Markdown export writes sections the document does not place after it."""
    blocks = library.document()
    if not blocks:
        return
    slots = [i for i, b in enumerate(blocks) if b["kind"] == "section"]
    anchored = [i for i in slots if blocks[i]["section_id"] == anchor_id]
    at = (anchored or slots or [len(blocks) - 1])[-1] + 1
    blocks.insert(at, {"kind": "section", "text": None, "section_id": section_id})
    library.set_document_blocks(blocks)


def rename_section(library, old: str, new: str) -> dict:
    section = find_section(library, old)
    new = _name(new)
    clash = library.section_named(new)
    if clash is not None and clash["id"] != section["id"]:
        raise Refused(f"a section {clash['name']!r} already exists")
    if new == section["name"]:
        raise Refused(f"the section is already called {new!r}")
    with library.transaction():
        library.rename_section(section["id"], new)
    return {"id": section["id"], "old": section["name"], "name": new}


def remove_section(library, name: str, *, force: bool = False) -> dict:
    """Remove a section; one that lists papers only with ``force``, which unlists them
    (they stay in the library)."""
    section = find_section(library, name)
    ids = [pid for pid, _ in library.section_entries(section["id"])]
    if ids and not force:
        count = f"{len(ids)} paper{'s' * (len(ids) != 1)}"
        raise Refused(
            f"section {section['name']!r} lists {count}; --force removes it and unlists"
            " them (they stay in the library), or move them first"
        )
    with library.transaction():
        library.delete_sections([section["id"]])
        library.order_sections([s["id"] for s in library.sections()])
    unlisted = [p for p in library.get_papers(ids) if not p.sections]
    return {
        "id": section["id"],
        "name": section["name"],
        "papers": len(ids),
        "unlisted": [{"id": p.id, "citekey": p.citekey, "title": p.title} for p in unlisted],
    }


def list_sections(library) -> list[dict]:
    return [
        {"name": s["name"], "style": s["style"], "papers": s["papers"], "position": s["position"]}
        for s in library.sections()
    ]
