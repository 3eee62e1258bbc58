"""How a :class:`~igbib.model.Paper` is kept in a ``papers`` row, and read back.

One rule, :func:`_encoding`, says how each column is stored: lists and objects
as compact JSON (an empty one as its fixed empty form, so ``flags <> '[]'``
means "flagged"), ``et_al`` as 0 or 1, everything else as it is. :func:`encode`
(one value, for updates), :func:`inserter` (a whole paper, for inserts) and
:func:`decode` (a row back to a paper) are all generated from that rule, the
writers on first use.

They are generated, like ``Paper.__init__``, because one expression per column
is several times faster than a call per column when 100k papers go in or out.

One column is not a field: ``title_key``, the title as matching compares it
(:func:`fold_title`), written with every title (:func:`inserter`,
:func:`derived`) so that a title is found through an index.
"""

from __future__ import annotations

import json
import unicodedata

from igbib.model import FIELDS, Paper, title_key

#: The ``papers`` columns, in ``SELECT`` order: every field but those kept in other tables.
COLUMNS = tuple(f for f in FIELDS if f not in ("sections", "tags", "auto_tags"))
#: The columns an insert gives: the id is SQLite's to choose, and ``title_key`` (last) is
#: derived from the title (:func:`fold_title`), never read back into a paper.
INSERT_COLUMNS = (*(c for c in COLUMNS if c != "id"), "title_key")
#: The ``meta`` key recording the Unicode version the stored title keys were folded with.
TITLE_KEY_UNICODE = "title_key_unicode"
#: This Python's Unicode version: folding (:func:`igbib.model.fold`) may differ in another.
UNICODE_VERSION = unicodedata.unidata_version

#: Columns stored as JSON -> (their stored empty form, the Python empty value's source).
JSON_COLUMNS = {
    "authors": ("[]", "[]"),
    "keywords": ("[]", "[]"),
    "mesh": ("[]", "[]"),
    "concepts": ("[]", "[]"),
    "pub_types": ("[]", "[]"),
    "flags": ("[]", "[]"),
    "extra": ("{}", "{}"),
    "listed": (None, "None"),
}
BOOLEAN_COLUMNS = frozenset({"et_al"})

_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
dumps = _JSON.encode


def fold_title(title: str | None) -> str | None:
    """The ``title_key`` column of a paper titled ``title``: its
    :func:`~igbib.model.title_key`, or NULL when it has none."""
    return title_key(title) or None


def _encoding(column: str, value: str) -> str:
    """Python source storing the expression ``value`` in ``column``: the one rule."""
    if column in JSON_COLUMNS:
        empty, _ = JSON_COLUMNS[column]
        return f"(dumps({value}) if {value} else {empty!r})"
    if column in BOOLEAN_COLUMNS:
        return f"int(bool({value}))"
    return value


def _decoding(column: str, value: str) -> str:
    """Python source reading ``column``'s stored ``value`` back: the rule reversed."""
    if column in JSON_COLUMNS:
        empty, fresh = JSON_COLUMNS[column]
        # Most lists are empty: their fixed form needs no parsing.
        return f"(loads({value}) if {value} and {value} != {empty!r} else {fresh})"
    if column in BOOLEAN_COLUMNS:
        return f"bool({value})"
    return value


def _compile(source: str):
    namespace = {"dumps": dumps, "loads": json.loads, "Paper": Paper, "fold_title": fold_title}
    return eval(source, namespace)  # noqa: S307 - fixed source built from the column lists


#: ``row -> Paper`` for a row of :data:`COLUMNS` (sections and tags, of either origin, left
#: empty).
decode = _compile(
    "lambda r: Paper("
    + ", ".join(f"{c}={_decoding(c, f'r[{i}]')}" for i, c in enumerate(COLUMNS))
    + ")"
)
_writers: dict = {}  # made on first use: a read never needs them


def inserter():
    """``paper -> tuple`` of its :data:`INSERT_COLUMNS` values, as stored."""
    build = _writers.get(None)
    if build is None:
        values = ", ".join(_encoding(c, f"p.{c}") for c in INSERT_COLUMNS[:-1])
        values += ", fold_title(p.title)"
        build = _writers[None] = _compile(f"lambda p: ({values},)")
    return build


def encode(column: str, value):
    """``value`` as ``column`` stores it."""
    build = _writers.get(column)
    if build is None:
        build = _writers[column] = _compile(f"lambda v: {_encoding(column, 'v')}")
    return build(value)


def derived(changes: dict) -> dict:
    """What an update of ``changes`` (column -> value) also sets: the title's key."""
    return {"title_key": fold_title(changes["title"])} if "title" in changes else {}
