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
_PARTICLES = {
    "van", "von", "de", "der", "den", "da", "das", "dos", "di", "du", "del", "della", "le",
    "la", "ter", "ten", "st", "st.", "bin", "al", "el", "mac", "zu",
}  # fmt: skip
_ET_AL = re.compile(r"[,;]?\s*(?:et\.?\s*al\.?|and others|&\s*others|etc\.?|\.\.\.|…)\s*$", re.I)
_NAME_SPLIT = re.compile(r"\s*(?:;|,|\band\b|&)\s*")
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}\.?$")
_WORD_OK = re.compile(r"^[A-ZÀ-ÖØ-Þ\u0100-\u024F\u0400-\u04FF\u4e00-\u9fff][\w'’.\-]*$")
_DIGIT = re.compile(r"\d")
#: Words of titles and venues that are not names ("Precision and Future Medicine").
_NOT_NAMES = frozenset(
    """journal journals medicine research review reviews proceedings conference transactions
    letters science sciences nature cancer radiology imaging medical biology bioinformatics
    computing intelligence learning analysis international society annals advances reports
    communications methods genetics genomics oncology physics engineering workshop symposium
    arxiv biorxiv medrxiv data neural information processing systems vision computer
    recognition pattern clinical health neuroscience biomedical molecular cell cellular
    chemistry frontiers plos bmc ieee acm sigkdd icml iclr neurips miccai cvpr iccv eccv
    deep network networks model models segmentation survey towards using based
    image images protein proteins disease language
    translational neuro neurology surgery pathology diagnostic diagnosis brain lung breast
    applications application tutorial open source database atlas library framework tool
    statistics statistical bioengineering biotechnology therapeutics preprint laboratory
    university press publishing publishers school hospital center centre""".split()
)


#: A last "author" that says a list is incomplete: RIS's and Zotero's "et al.", and
#: "others" (BibTeX's, and pandoc's mark in CSL-JSON).
ET_AL_MARKS = ("et al.", "et al", "others")


def strip_et_al(text: str) -> tuple[str, bool]:
    text = " ".join(text.split())  # one space at most: the patterns stay linear
    stripped = _ET_AL.sub("", text)
    return stripped.strip(" ,;"), stripped != text


_MARKS = " .∗*†‡§¶"  # ``Shruthi Bannur,∗``: notes on a name, not part of it


def _names(text: str) -> list[str]:
    parts = [p.strip(_MARKS) for p in _NAME_SPLIT.split(" ".join(text.split()))]
    return [p for p in parts if p]


def _pairs_inverted(parts: list[str]) -> list[str]:
    """``Smith, J., Jones, K.``: each family name followed by its initials, paired up."""
    if len(parts) >= 2 and len(parts) % 2 == 0:
        odd = parts[1::2]
        if all(_INITIALS.match(p.replace(" ", "")) for p in odd):
            return [f"{parts[i + 1]} {parts[i]}" for i in range(0, len(parts), 2)]
    return parts


def _word_ok(word: str) -> bool:
    return bool(_WORD_OK.match(word)) or word.lower() in _PARTICLES


def name_like(part: str, *, strict: bool = True) -> bool:
    """True for one person's name as lists write it: ``Zhen Wang``, ``A. Author``, ``Smith JA``.

    ``strict``: no word of the name is one that titles and venues are made of.
    """
    words = part.replace(".", ". ").split()
    if not words or len(words) > 6 or len(part) > 48 or _DIGIT.search(part):
        return False
    ok = [_word_ok(w) for w in words]
    if not all(ok):
        # "Jong chul Ye": a lower-case middle name between capitalised words, when lenient
        plain = all(w.replace(".", "").replace("-", "").replace("'", "").isalpha() for w in words)
        if strict or not ok[0] or not plain:
            return False
    return not strict or not any(w.lower().strip(".") in _NOT_NAMES for w in words)


def looks_like_authors(text: str, *, alone: bool = False, lenient: bool = False) -> bool:
    """True when ``text`` reads as a list of people's names.

    ``lenient``: the text stands where authors are expected (an italic line under a
    title), so a name may hold a word that titles also use.
    ``alone``: the text stands on its own (not in an author's place in a
    citation), so one or two capitalised words are not enough: a title such as
    ``Universal Loss`` would pass. It then needs two names, an "et al.", or initials.
    """
    body, et_al = strip_et_al(" ".join(text.split()))
    if not body:
        return et_al
    if len(body) > 4000:
        return False
    parts = _pairs_inverted(_names(body))
    parts = [p for p in parts if not _collective_name(p)]  # "TCGA Research Network"
    if not parts:
        return True
    if not all(name_like(p, strict=False) for p in parts):
        return False
    # Names may hold a word that also starts titles ("To Eun Kim", "In So Kweon"): most
    # names must be free of such words, and a lone name entirely.
    strict = sum(name_like(p) for p in parts)
    if lenient and len(parts) >= 2:
        strict = len(parts)
    if strict < len(parts) and (len(parts) < 3 or strict * 4 < len(parts) * 3):
        return False
    if not alone:
        return True
    if et_al or len(parts) >= 2:
        return True
    words = parts[0].split()
    return len(words) >= 2 and any(_INITIALS.match(w) for w in words)


def _collective_name(part: str) -> bool:
    """``TCGA Research Network``, ``ConFab/AOCS Investigators``: a group named as an author."""
    words = part.split()
    if not _COLLECTIVE.search(part) or len(words) > 8 or "." in part.rstrip("."):
        return False
    return all(
        w[:1].isupper() or w[:1].isdigit() or w in ("of", "for", "the", "and", "on") for w in words
    )


def looks_like_author_list(text: str) -> bool:
    """True for two names or more, or names with "et al.": never one word that may be a venue."""
    body, et_al = strip_et_al(" ".join(text.split()))
    if not looks_like_authors(text):
        return False
    return et_al or len(_pairs_inverted(_names(body))) >= 2


def person_from_text(text: str, *, inverted: bool = False) -> dict:
    """One name: ``Zhen Wang``, ``A. B. Author``, ``Smith JA``, ``De Ruysscher``, ``Wang, Zhen``."""
    whole = " ".join(text.split()).strip(" ,;")
    text = whole.strip(" ,.;")
    if inverted and "," in text:
        family, _, given = whole.partition(",")
        given, _, suffix = given.partition(",")
        if not suffix.strip():
            given = given.strip(" ,.;")
        person = _person(family.strip(), given.strip())
        if suffix.strip():  # "Lee, Tom, Jr."
            person["suffix"] = suffix.strip()
        return person
    if _COLLECTIVE.search(text):
        return {"literal": text}
    words = text.split()
    if len(words) == 1:
        return {"family": words[0]}
    if _INITIALS.match(words[-1].replace(".", "")) and not _INITIALS.match(words[0]):
        return _person(" ".join(words[:-1]), words[-1])  # Smith JA
    if words[0].lower() in _PARTICLES:
        return {"family": text}  # De Ruysscher
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1  # Allan dos Santos Costa
    return _person(" ".join(words[start:]), " ".join(words[:start]))


def _person(family: str, given: str) -> dict:
    return {"family": family, "given": given} if given else {"family": family}


def parse_author_list(text: str, *, inverted_first: bool = False) -> tuple[list[dict], bool]:
    """``(authors, et_al)`` from an author list as a reading list writes it.

    ``inverted_first``: the first name is written family first (``Maeser,
    Danielle, Robert F Gruener, and Rong Huang``), as in Chicago-style citations.
    """
    body, et_al = strip_et_al(" ".join(text.split()).strip(" ,;."))
    if not body:
        return [], et_al
    if ";" in body:
        parts = [p.strip(" .") for p in body.split(";") if p.strip(" .")]
        parts = [p for part in parts for p in ([part] if "," in part else _names(part))]
        return [person_from_text(p, inverted=True) for p in parts], et_al
    parts = _names(body)
    paired = _pairs_inverted(parts)
    if paired is not parts:
        return [person_from_text(p) for p in paired], et_al
    first_words = parts[0].split() if parts else []
    # ``Maeser, Danielle, …`` or ``Di Veroli, Giovanni Y, …``: a one-word family name, or
    # one with a particle, then the given names (``Shane Wilson, Michael Fitzsimons`` is not)
    family_first = len(first_words) == 1 or first_words[0].lower() in _PARTICLES
    if inverted_first and len(parts) >= 2 and family_first and len(parts[1].split()) <= 3:
        first = _person(parts[0], parts[1])
        return [first, *(person_from_text(p) for p in parts[2:])], et_al
    return [person_from_text(p) for p in parts], et_al


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
