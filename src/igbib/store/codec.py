"""How a :class:`~igbib.model.Paper` is kept in a ``papers`` row, and read back.

One rule, :func:`_encoding`, says how each column is stored: lists and objects
as compact JSON (an empty one as its fixed empty form, so ``flags <> '[]'``
means "flagged"), ``et_al`` as 0 or 1, everything else as it is. :func:`encode`
(one value, for updates), :func:`inserter` (a whole paper, for inserts) and
:func:`decode` (a row back to a paper) are all generated from that rule, the
writers on first use.

They are generated, like ``Paper.__init__``, because one expression per column
is several times faster than a call per column when 100k papers go in or out.
"""

from __future__ import annotations

import json

from igbib.model import FIELDS, Paper

#: The ``papers`` columns, in ``SELECT`` order: every field but those kept in other tables.
COLUMNS = tuple(f for f in FIELDS if f not in ("sections", "tags"))
#: The columns an insert gives (the id is SQLite's to choose).
INSERT_COLUMNS = tuple(c for c in COLUMNS if c != "id")
#: Columns stored as JSON -> (their stored empty form, the Python empty value's source).
JSON_COLUMNS = {
    "authors": ("[]", "[]"),
    "keywords": ("[]", "[]"),
    "mesh": ("[]", "[]"),
    "pub_types": ("[]", "[]"),
    "flags": ("[]", "[]"),
    "extra": ("{}", "{}"),
    "listed": (None, "None"),
}
BOOLEAN_COLUMNS = frozenset({"et_al"})

_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
dumps = _JSON.encode


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
    namespace = {"dumps": dumps, "loads": json.loads, "Paper": Paper}
    return eval(source, namespace)  # noqa: S307 - fixed source built from the column lists


#: ``row -> Paper`` for a row of :data:`COLUMNS` (sections and tags left empty).
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
        values = ", ".join(_encoding(c, f"p.{c}") for c in INSERT_COLUMNS)
        build = _writers[None] = _compile(f"lambda p: ({values},)")
    return build


def encode(column: str, value):
    """``value`` as ``column`` stores it."""
    build = _writers.get(column)
    if build is None:
        build = _writers[column] = _compile(f"lambda v: {_encoding(column, 'v')}")
    return build(value)
