"""Author names as people write them in lists and in BibTeX, to structured authors."""

from __future__ import annotations

import re

from igbib.latex import decode

_COLLECTIVE = re.compile(
    r"\b(group|consortium|network|committee|society|initiative|collaboration|collaborative|"
    r"investigators|association|organi[sz]ation|council|project|team|contributors|atlas|"
    r"working|task force|alliance|institute|program|programme)\b",
    re.I,
)
_ET_AL = re.compile(r"[,;]?\s*(?:et\.?\s*al\.?|and others|&\s*others|others)\s*$", re.I)
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")


def parse_author_list(text: str) -> tuple[list[dict], bool]:
    """``(authors, et_al)`` from a list's author text.

    ``Gevaert et al.`` -> one author and ``et_al``; ``Smith and Jones`` and
    ``Smith, Jones and Lee`` -> every name; ``Smith JA, Jones K`` -> family and
    initials. Collective names (``TCGA Research Network``) become literals.
    """
    text = " ".join(text.split()).strip(" ,;.")
    if not text:
        return [], False
    et_al = False
    stripped = _ET_AL.sub("", text)
    if stripped != text:
        et_al = True
        text = stripped.strip(" ,;")
    parts = [p.strip() for p in re.split(r"\s*(?:;|,|\band\b|&)\s*", text) if p.strip()]
    return [person_from_text(p) for p in parts], et_al


def person_from_text(text: str) -> dict:
    text = text.strip(" .")
    if _COLLECTIVE.search(text):
        return {"literal": text}
    words = text.split()
    if len(words) >= 2 and _INITIALS.match(words[-1]):
        return {"family": " ".join(words[:-1]), "given": words[-1]}
    return {"family": text}


def parse_bibtex_names(value: str) -> tuple[list[dict], bool]:
    """``(authors, et_al)`` from a BibTeX ``author`` field (still LaTeX-encoded).

    Names are split on the raw value, so braces still protect what they group:
    ``{World Health Organization}`` stays one collective name and
    ``R {La Joie}`` keeps ``La Joie`` as the family name. Each part is decoded
    to Unicode afterwards.
    """
    if "{" not in value and "\\" not in value:
        return _plain_bibtex_names(value)
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    authors: list[dict] = []
    et_al = False
    for raw in split_multiple_persons_names(value):
        raw = raw.strip()
        if not raw:
            continue
        if raw.lower() == "others":
            et_al = True
            continue
        if raw.startswith("{") and raw.endswith("}") and _balanced_outer(raw):
            # One braced token: a collective name ("{World Health Organization}") or a
            # family name BibTeX must not split ("{De Ruysscher}"); BibTeX itself
            # cannot tell them apart, so the words decide.
            inner = decode(raw)
            authors.append({"literal": inner} if _COLLECTIVE.search(inner) else {"family": inner})
            continue
        try:
            parts = parse_single_name_into_parts(raw, strict=False)
        except Exception:  # a name bibtexparser cannot split: keep it whole
            authors.append({"literal": decode(raw)})
            continue
        family = decode(" ".join(parts.von + parts.last))
        given = decode(" ".join(parts.first))
        jr = decode(" ".join(parts.jr))
        person = {"family": family}
        if given:
            person["given"] = given
        if jr:
            person["suffix"] = jr
        if not family and given:
            person = {"family": given}
        authors.append(person)
    return authors, et_al


_AND = re.compile(r"\s+and\s+", re.I)
_LOWER_WORD = re.compile(
    r"(?:^| )[^A-Za-z ]*[a-z]"
)  # an ASCII word whose first letter is lower case


def _plain_bibtex_names(value: str) -> tuple[list[dict], bool]:
    """The fast path for names with no braces or LaTeX: BibTeX's rules, in plain Python.

    ``First von Last``: the family name runs from the first lower-case word
    (the von part) to the end, the last word always included, and a two-word
    name is always First Last. ``von Last, First`` and ``von Last, Jr, First``:
    the family name is all before the first comma. The same results as
    bibtexparser's general name parser (a test checks that).
    """
    authors: list[dict] = []
    et_al = False
    for raw in _AND.split(" ".join(value.split())):
        raw = raw.strip(" ,")
        if not raw:
            continue
        if raw.lower() == "others":
            et_al = True
            continue
        if "," not in raw:
            given, _, family = raw.rpartition(" ")
            jr = ""
            if " " in given and not (given.isascii() and not _LOWER_WORD.search(given)):
                # three words or more, maybe with a von part ("Ludwig van Beethoven")
                words = raw.split(" ")
                start = len(words) - 1
                start = next((i for i, w in enumerate(words[:-1]) if _is_lower(w)), start)
                family, given = " ".join(words[start:]), " ".join(words[:start])
        else:
            parts = [p.strip() for p in raw.split(",")]
            family = parts[0]
            jr = parts[1] if len(parts) > 2 else ""
            given = ", ".join(parts[2:]) if len(parts) > 2 else parts[1]
        person = {"family": family} if family else {"family": given}
        if given and family:
            person["given"] = given
        if jr:
            person["suffix"] = jr
        authors.append(person)
    return authors, et_al


def _is_lower(word: str) -> bool:
    """BibTeX's case of a word: that of its first letter."""
    for char in word:
        if char.isalpha():
            return char.islower()
    return False


def _balanced_outer(text: str) -> bool:
    """True when the first brace of ``text`` closes at its very end."""
    depth = 0
    for i, c in enumerate(text):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0 and i != len(text) - 1:
                return False
    return depth == 0
