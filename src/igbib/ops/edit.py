"""Editing papers by hand: set fields, edit a record in a text editor, notes, removal.

A value typed by a person is read by the same rules the importers apply to a
file (:mod:`igbib.normalize` for years, months and pages, :mod:`igbib.ids` for
identifiers, :func:`igbib.names.parse_author_list` for authors), but where an
importer keeps a bad value in ``extra`` and flags it, an edit refuses it and
says why: a person is there to correct it.

Every edit is one transaction (so one recorded change, undoable as a whole),
followed by :func:`~igbib.ops.flags.refresh_flags`, so fixing a year clears its
flag and giving a paper another's PMID flags both. An identifier another paper
already has is refused unless ``force``: two records of one paper are merged
(``igbib merge``), not given the same identifier.

The editor path (:func:`edit_in_editor`) writes a TOML view of the paper's
editable fields (:func:`view`) to a temporary file, runs the user's editor on
it and stores what was changed; a refused edit can be corrected in the editor
again (the ``ask`` callback decides) or leaves the library as it was.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from igbib.errors import IgbibError, Refused, UsageError
from igbib.ids import KINDS, LABELS
from igbib.model import FIELDS, Paper, author_full
from igbib.ops.flags import refresh_flags

#: The other fields, and why an edit does not set them.
NOT_EDITABLE = {
    "id": "the id is the library's own",
    "added": "igbib keeps it",
    "updated": "igbib keeps it",
    "source": "igbib keeps it",
    "flags": "flags are recomputed from the paper: fix the field a flag names",
    "listed": "it is how the list wrote the entry: import the edited list to change it",
    "sections": "use igbib move",
    "tags": "use igbib tag REF +TAG -TAG",
    "auto_tags": "the topic rules give them (igbib tag --auto); igbib tag REF -TAG takes one off",
    "concepts": "they are PubMed's MeSH indexing of the paper: igbib refresh fills them",
    "et_al": "end authors with 'et al.' for an incomplete author list",
    "extra": "it keeps what igbib does not model, as the record gave it",
}
#: The fields an edit may set: every other field, in the order of :data:`igbib.model.FIELDS`
#: (the order the editor view shows them).
EDITABLE = tuple(f for f in FIELDS if f not in NOT_EDITABLE)
_LISTS = frozenset({"keywords", "mesh", "pub_types"})
_ONE_LINE = frozenset({"title", "journal", "volume", "issue", "language", "publisher"})
_CITEKEY = re.compile(r"^[^\s,{}()\"'#%~\\=]+$")
_URL = re.compile(r"^https?://\S+$", re.I)


class Edit:
    """What an edit did: the paper ``before`` and ``after`` it, and the fields that
    changed as ``(field, old, new)``. ``cancelled``: the editor was closed without a
    change (nothing was written)."""

    __slots__ = ("before", "after", "changed", "cancelled")

    def __init__(self, before: Paper, after: Paper, *, cancelled: bool = False):
        self.before = before
        self.after = after
        self.cancelled = cancelled
        self.changed = [
            (name, getattr(before, name), getattr(after, name))
            for name in (*EDITABLE, "et_al", "flags")
            if getattr(before, name) != getattr(after, name)
        ]


# -- reading values ---------------------------------------------------------------------


def check_field(name: str) -> str:
    """``name`` if an edit may set it; else :class:`Refused` saying what does."""
    if name in EDITABLE:
        return name
    if name in NOT_EDITABLE:
        raise Refused(f"{name} is not editable: {NOT_EDITABLE[name]}")
    raise Refused(f"unknown field {name!r}; editable fields: {', '.join(EDITABLE)}")


def parse_assignments(texts: list[str]) -> dict[str, object]:
    """``field=value`` texts as ``{field: value}``, each value read by :func:`parse_value`."""
    values: dict[str, object] = {}
    for text in texts:
        name, sep, raw = text.partition("=")
        name = name.strip().lower()
        if not sep or not name:
            raise UsageError(f"{text!r} is not FIELD=VALUE (as in year=2014, or pmid= to clear)")
        check_field(name)
        if name in values:
            raise UsageError(f"{name} is given twice")
        values[name] = parse_value(name, raw)
    return values


def parse_value(name: str, raw) -> object:
    """The value field ``name`` stores for ``raw`` (text, or a TOML value), or
    :class:`Refused` saying why it is not one. Empty clears the field; authors give
    ``(authors, et_al)``."""
    if name == "authors":
        return _authors(raw)
    if name in _LISTS:
        return _list(name, raw)
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise Refused(f"{name} must be text, not {_toml_type(raw)}")
    if isinstance(raw, int) and name not in ("year", "month", "volume", "issue", "pmid"):
        raise Refused(f"{name} must be text, not a number")
    text = str(raw) if name in ("abstract", "note") else " ".join(str(raw).split())
    text = text.strip()
    if not text:
        if name in ("citekey", "entry_type"):
            raise Refused(f"{name} cannot be empty")
        return None
    return _READERS.get(name, _text)(name, text)


def _text(name: str, text: str) -> str:
    allowed = "\n\t" if name in ("note", "abstract") else ""
    bad = next((c for c in text if ord(c) < 32 and c not in allowed), None)
    if bad is not None:
        raise Refused(f"{name} holds a control character ({bad!r}); type it without")
    return text


def _citekey(name: str, text: str) -> str:
    if not _CITEKEY.match(text):
        raise Refused(
            f"citekey {text!r} is not a citation key"
            " (no spaces, commas, braces, quotes or # % ~ \\ =)"
        )
    return text


def _entry_type(name: str, text: str) -> str:
    from igbib.model import ENTRY_TYPES

    text = text.lower()
    if text not in ENTRY_TYPES:
        raise Refused(
            f"entry_type {text!r} is not a BibTeX or biblatex entry type"
            f" (one of: {', '.join(sorted(ENTRY_TYPES))})"
        )
    return text


def _year(name: str, text: str) -> int:
    from igbib.normalize import FIRST_YEAR, LAST_YEAR, year

    found = year(text)
    if found is None:
        raise Refused(f"year {text!r} is not a valid year (four digits, {FIRST_YEAR}-{LAST_YEAR})")
    return found


def _month(name: str, text: str) -> int:
    from igbib.normalize import month

    found = month(text)
    if found is None:
        raise Refused(f"month {text!r} is not a month (1-12, or a month's English name)")
    return found


def _pages(name: str, text: str) -> str:
    from igbib.normalize import pages

    return pages(text)


def _identifier(kind: str, text: str) -> str:
    from igbib.ids import ids_from_url, normalize

    value = normalize(kind, text)
    if value is None and re.match(r"^(https?://|www\.)", text, re.I):
        value = ids_from_url(text).get(kind)
    if value is None:
        raise Refused(f"{text!r} is not a valid {LABELS[kind]}")
    return value


def _url(name: str, text: str) -> str:
    if not _URL.match(text):
        raise Refused(f"url {text!r} is not a web address (http:// or https://)")
    return text


_READERS: dict[str, Callable[[str, str], object]] = {
    "citekey": _citekey,
    "entry_type": _entry_type,
    "year": _year,
    "month": _month,
    "pages": _pages,
    "url": _url,
    **dict.fromkeys(KINDS, _identifier),
}


def _items(name: str, raw) -> list[str]:
    """A list value's items: a TOML list of strings, or text separated by ``;``."""
    if isinstance(raw, str):
        return [item.strip() for item in raw.split(";")]
    if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        return [item.strip() for item in raw]
    raise Refused(f"{name} must be a list of strings, not {_toml_type(raw)}")


def _list(name: str, raw) -> list[str]:
    return list(dict.fromkeys(" ".join(item.split()) for item in _items(name, raw) if item))


def _authors(raw) -> tuple[list[dict], bool]:
    from igbib.names import parse_author_list, person_from_text, strip_et_al

    if isinstance(raw, str):
        authors, et_al = parse_author_list(raw)
        if raw.strip() and not authors and not et_al:
            raise Refused(f"authors {raw!r} names no author")
        return authors, et_al
    items = [item for item in _items("authors", raw) if item]
    et_al = bool(items) and strip_et_al(items[-1]) == ("", True)
    if et_al:
        items = items[:-1]
    authors = [person_from_text(item, inverted=True) for item in items]
    if any(not (a.get("family") or a.get("literal")) for a in authors):
        raise Refused('authors: every author needs a name ("Family, Given")')
    return authors, et_al


def _toml_type(value) -> str:
    kinds = {bool: "true/false", int: "a number", float: "a number", list: "a list"}
    kinds[dict] = "a table"
    return kinds.get(type(value), type(value).__name__)


# -- changing a paper -------------------------------------------------------------------


def plan(library, paper: Paper, values: dict[str, object], *, force: bool = False) -> dict:
    """The column changes that give ``paper`` these ``values`` (read by :func:`parse_value`),
    checked against the library: a citation key must stay unique, and an identifier
    another paper has is refused unless ``force``."""
    changes: dict = {}
    for name, value in values.items():
        if name == "authors":
            changes["authors"], changes["et_al"] = value
        else:
            changes[name] = value
    changes = {k: v for k, v in changes.items() if getattr(paper, k) != v}
    # a value given for a field clears the bad one an importer kept for it (its flag goes)
    fixed = [k for k in ("year", "month", *KINDS) if k in values and k in paper.extra]
    if fixed:
        changes["extra"] = {k: v for k, v in paper.extra.items() if k not in fixed}
    citekey = changes.get("citekey")
    if citekey:
        _not_a_reference(citekey)
        holder = library.citekey_holder(citekey)
        if holder is not None and holder != paper.id:
            raise Refused(
                f"citation key {citekey!r} is taken by {library.citekey_of(holder)} (id {holder})"
            )
    for kind in KINDS:
        value = changes.get(kind)
        others = [i for i in library.find_ids(kind, value) if i != paper.id] if value else []
        if others and not force:
            other = library.citekey_of(others[0])
            raise Refused(
                f"{LABELS[kind]} {value} is already given for {other} (id {others[0]}); if they"
                f" are one paper, merge them: igbib merge {paper.citekey} {other}"
                " (--force stores it anyway, and flags both shared-id)"
            )
    return changes


def _not_a_reference(citekey: str) -> None:
    """Refuse a citation key that would read as another reference: an id, or a PMID,
    PMCID, DOI or arXiv id (``igbib show 24827998`` must find that PMID's paper)."""
    from igbib.errors import InvalidIdentifier
    from igbib.ids import parse_identifier

    if citekey.isdigit():
        raise Refused(f"citekey {citekey!r} is all digits: it would read as a paper id or PMID")
    try:
        kind, _value = parse_identifier(citekey)
    except InvalidIdentifier:
        return
    raise Refused(f"citekey {citekey!r} reads as a {LABELS[kind]}: choose a key that does not")


def apply(library, paper_id: int, changes: dict) -> None:
    """Write ``changes`` (inside the caller's transaction), then recompute the flags.

    A paper given a new citation key keeps the old one as an alias, as a merge
    does, so manuscripts citing it still find it and no other paper takes it.
    """
    if changes:
        if "citekey" in changes:
            library.add_alias(paper_id, library.citekey_of(paper_id))
            library.remove_alias(changes["citekey"])  # a key given back is a key again
        library.update_paper(paper_id, changes)
        refresh_flags(library, {paper_id})
        from igbib.ops.topics import READ_FIELDS, mark_stale

        if READ_FIELDS & changes.keys():  # its automatic tags: computed by the next rules run
            mark_stale(library)


def edit(library, ref: str, values: dict[str, object], *, force: bool = False) -> Edit:
    """Give the paper ``ref`` names these values (see :func:`parse_assignments`), in one
    transaction; nothing is written when they change nothing."""
    with library.transaction():
        before = library.resolve(ref)
        apply(library, before.id, plan(library, before, values, force=force))
    return Edit(before, library.get(before.id))


def set_note(library, ref: str, text: str | None, *, append: bool = False) -> Edit:
    """Set the note of the paper ``ref`` names (``None`` clears it), or with ``append``
    add ``text`` as a line after it."""
    with library.transaction():
        before = library.resolve(ref)
        if append and before.note and text:
            text = f"{before.note}\n{text}"
        changes = plan(library, before, {"note": parse_value("note", text or "")})
        apply(library, before.id, changes)
    return Edit(before, library.get(before.id))


# -- removing papers --------------------------------------------------------------------


def resolve_all(library, refs: list[str]) -> list[Paper]:
    """The papers ``refs`` name, each once, in the order named; any bad ref is an error."""
    papers: dict[int, Paper] = {}
    for ref in refs:
        paper = library.resolve(ref)
        papers.setdefault(paper.id, paper)
    return list(papers.values())


def remove(library, papers: list[Paper]) -> list[str]:
    """Remove ``papers`` with their placements, tag links and aliases, in one transaction.

    Returns the tags no paper has any more, which are deleted too. Papers that
    shared an identifier with a removed one have their flags recomputed.
    """
    with library.transaction():
        sections = library.sections_of([p.id for p in papers])
        library.delete_papers([p.id for p in papers])
        library.renumber(sections)  # positions 1..n, as every change leaves them
        unused = library.delete_unused_tags()
        refresh_flags(library, set())
    return unused


# -- the editor view --------------------------------------------------------------------


def view_values(paper: Paper) -> dict[str, object]:
    """The editable fields as the editor view shows them: text, numbers, lists of text;
    an empty field as ``""`` or ``[]``."""
    values: dict[str, object] = {}
    for name in EDITABLE:
        value = getattr(paper, name)
        if name == "authors":
            value = [author_full(a) for a in value] + (["et al."] if paper.et_al else [])
        elif name in _LISTS:
            value = list(value)
        elif value is None:
            value = ""
        values[name] = value
    return values


def view(paper: Paper) -> str:
    """The TOML file the editor opens: a header saying what to do, then the fields."""
    title = paper.title or "(no title)"
    title = title if len(title) <= 70 else title[:69] + "…"
    lines = [
        f"# igbib edit: {paper.citekey} (id {paper.id}): {title}",
        "# Change the values, save and close the editor to store them.",
        "# To cancel: close without saving, or save the file empty.",
        '# "" or [] clears a field. authors: one "Family, Given" a string; "et al." last',
        "# for an incomplete list. Tags: igbib tag; sections: igbib move.",
        "",
    ]
    for name, value in view_values(paper).items():
        lines.append(f"{name} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


def toml_value(value) -> str:
    """``value`` (text, a whole number, a list of text) written as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    text = str(value)
    if "\n" in text:
        return '"""\n' + _escape(text, keep_newlines=True) + '"""'
    return '"' + _escape(text) + '"'


def _escape(text: str, keep_newlines: bool = False) -> str:
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n" and keep_newlines:
            out.append("\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def values_from_view(paper: Paper, text: str) -> dict[str, object]:
    """The values an edited view gives, for the fields whose value was changed (a field
    left as shown, or whose line was deleted, is unchanged)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise Refused(f"the edited record is not valid TOML: {exc}") from None
    shown = view_values(paper)
    values: dict[str, object] = {}
    for name, value in data.items():
        check_field(name)
        if value != shown[name]:
            values[name] = parse_value(name, value)
    return values


def editor_command(environ=None) -> list[str]:
    """The editor to run: ``$VISUAL``, else ``$EDITOR`` (a command with arguments, as
    ``code --wait``), else ``vi`` (``notepad`` on Windows)."""
    import shlex

    environ = os.environ if environ is None else environ
    for variable in ("VISUAL", "EDITOR"):
        value = environ.get(variable, "").strip()
        if value:
            try:
                parts = shlex.split(value, posix=os.name != "nt")
            except ValueError as exc:
                raise IgbibError(f"cannot read ${variable} ({value!r}): {exc}") from None
            if parts:
                return parts
    return ["notepad"] if os.name == "nt" else ["vi"]


def run_editor(command: list[str], path: str) -> None:
    """Run ``command`` on ``path`` and wait; an editor that fails is an error."""
    import shlex
    import subprocess

    try:
        status = subprocess.call([*command, path])
    except FileNotFoundError:
        raise IgbibError(
            f"cannot run the editor {command[0]!r}: not found (set $VISUAL or $EDITOR)"
        ) from None
    except OSError as exc:
        raise IgbibError(f"cannot run the editor {command[0]!r}: {exc.strerror or exc}") from None
    if status != 0:
        raise IgbibError(
            f"the editor ({shlex.join(command)}) exited with status {status}; nothing changed"
        )


def edit_in_editor(
    library,
    ref: str,
    command: list[str],
    *,
    ask: Callable[[str], bool] | None = None,
    force: bool = False,
) -> Edit:
    """Edit the paper ``ref`` names in the editor ``command`` (see :func:`editor_command`).

    The file left unchanged or empty cancels (``Edit.cancelled``). An edit that is
    refused (bad TOML, a bad value, a taken identifier) is reported to ``ask``:
    when it answers True the editor opens again on the user's text; without
    ``ask``, or when it answers False, :class:`Refused` is raised and nothing changes.
    """
    import tempfile

    paper = library.resolve(ref)
    original = view(paper)
    safe = re.sub(r"[^\w.-]", "_", paper.citekey)[:40]
    handle, path = tempfile.mkstemp(prefix=f"igbib-{safe}-", suffix=".toml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(original)
        while True:
            run_editor(command, path)
            try:
                text = _read(path)
                if not text.strip() or text == original:
                    return Edit(paper, paper, cancelled=True)
                return _store_view(library, paper, text, force)
            except Refused as refused:
                if ask is None or not ask(str(refused)):
                    raise
    finally:
        os.unlink(path)


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except UnicodeDecodeError:
        raise Refused("the edited record is not UTF-8 text") from None


def _store_view(library, paper: Paper, text: str, force: bool) -> Edit:
    values = values_from_view(paper, text)
    with library.transaction():
        current = library.get(paper.id)
        if current != paper:
            raise Refused(f"{paper.citekey} was changed while it was being edited; nothing stored")
        apply(library, paper.id, plan(library, current, values, force=force))
    return Edit(paper, library.get(paper.id))
