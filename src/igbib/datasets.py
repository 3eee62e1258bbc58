"""Public imaging datasets: the bundled catalogue, and finding datasets named in text.

The catalogue (``igbib/data/datasets.json``) holds the collections NCI Imaging Data
Commons hosts, made from its collection index by ``scripts/build_catalogue.py``; it is
read once, when first needed. Each collection is a dict: ``key`` (the TCIA short
title, ``TCGA-GBM``), ``cancer_type``, ``subjects``, ``modalities``, ``dois``
(lower-cased), ``url``, ``licences``, ``supporting``, ``genomics``, ``aliases``, ...

:func:`find` says which datasets a paper's text names, and on what evidence:

- a dataset's DOI (any case, with or without ``https://doi.org/``);
- its short title or another spelling of it (``TCGA-GBM``, ``tcga gbm``); a title made
  of ordinary words (``CATCH``, ``Pancreas-CT``, ``CT COLONOGRAPHY``) only exactly as
  written, never as the words of a sentence;
- a TCGA collection by program and site, in one sentence: ``TCGA`` or ``The Cancer
  Genome Atlas`` with a site that names one collection (``glioblastoma``:
  TCGA-GBM; ``lower-grade glioma``: TCGA-LGG; ``clear cell renal``: TCGA-KIRC). A word
  that could name several (``glioma`` alone, ``lung`` alone) proposes nothing.

Pure: no library, no I/O but reading the catalogue.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from igbib.ids import normalize_doi

CATALOGUE = Path(__file__).parent / "data" / "datasets.json"

#: TCGA collection -> the words that name its site or tumour, unambiguously (not
#: ``kidney``: the clear cell, papillary and chromophobe collections are all kidney).
SITES: dict[str, tuple[str, ...]] = {
    "TCGA-GBM": ("glioblastomas?", "GBMs?"),
    "TCGA-LGG": ("low(?:er)?[- ]grade gliomas?", "LGGs?"),
    "TCGA-BRCA": ("breast",),
    "TCGA-KIRC": ("clear[- ]cell renal", "ccRCC", "kidney renal clear cell"),
    "TCGA-KIRP": ("papillary renal",),
    "TCGA-KICH": ("chromophobe",),
    "TCGA-LUAD": ("lung adenocarcinomas?", "LUAD"),
    "TCGA-LUSC": ("lung squamous", "squamous cell lung", "LUSC"),
    "TCGA-LIHC": ("hepatocellular", "liver", "HCC"),
    "TCGA-PRAD": ("prostate",),
    "TCGA-CESC": ("cervical cancer", "cervix"),
    "TCGA-OV": ("ovarian",),
    "TCGA-UCEC": ("endometri(?:al|um)",),
    "TCGA-BLCA": ("bladder",),
    "TCGA-COAD": ("colon",),
    "TCGA-READ": ("rectal", "rectum"),
    "TCGA-STAD": ("stomach", "gastric"),
    "TCGA-ESCA": ("o?esophag(?:eal|us)",),
    "TCGA-THCA": ("thyroid",),
    "TCGA-HNSC": ("head and neck",),
    "TCGA-SARC": ("sarcomas?",),
}


@lru_cache(maxsize=1)
def _patterns() -> dict:
    """The regular expressions of finding and of the facts line, compiled when first
    needed (not at import: most commands never use them)."""
    from igbib.ids import _DOI

    return {
        # A DOI in running text: the shape igbib.ids gives a DOI, up to a space.
        "doi": re.compile(_DOI.pattern.strip("^$")),
        # What names the TCGA program ("Genomic": as the seed list misspells it). Not
        # TCIA ("The Cancer Imaging Archive"): it holds several collections of most
        # sites (a dozen of the prostate), so TCIA and a site name no one collection.
        "program": re.compile(r"\bTCGA\b|\bthe\s+cancer\s+genom(?:e|ic)\s+atlas\b", re.I),
        "sites": [
            (key, re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I))
            for key, words in SITES.items()
        ],
        "sentence": re.compile(r"(?<=[.!?;])\s+"),
        "word": re.compile(r"[^\W_]+"),
        # The facts line facts_line() writes (as plain text: igbib import reads it
        # back as part of the dataset, never as prose of the list).
        "facts": re.compile(
            r"^(?:(?:Cancer type|Modalities|Subjects|Genomic data|Licence|DOI): [^;]*; )*"
            r"linked papers: \d+\.?$",
            re.I,
        ),
        # A Markdown escape (\_), as the export writes one in a facts line.
        "escaped": re.compile(r"\\([\\`*_\[\]<>|&])"),
        # A list item's marker, before an item's facts line.
        "item": re.compile(r"^\s*[*+-]\s+"),
    }


@lru_cache(maxsize=1)
def catalogue() -> dict:
    """The bundled catalogue: ``{"source": {...}, "collections": [...]}``."""
    import json

    return json.loads(CATALOGUE.read_text(encoding="utf-8"))


def collections() -> list[dict]:
    return catalogue()["collections"]


def spellings(dataset: dict) -> list[str]:
    """The names a dataset goes by: its key (or name) and its aliases."""
    names = [dataset.get("key") or dataset.get("name"), *(dataset.get("aliases") or ())]
    return [n for n in dict.fromkeys(names) if n]


def fold_name(name: str | None) -> str:
    """A dataset's name as igbib compares it, the one rule everywhere (the dataset
    command, ``dataset:`` in a search, importing a list): Unicode compatibility forms
    alike (NFKC), without regard to case (full case folding), and ``-``, ``_`` and any
    run of spaces all alike."""
    import unicodedata

    text = unicodedata.normalize("NFKC", name or "")
    return " ".join(w for w in re.split(r"[-_\s]+", text) if w).casefold()


def names_dataset(dataset: dict, name: str) -> bool:
    """Whether ``name`` names ``dataset``: its key, name, an alias (:func:`fold_name`)
    or one of its DOIs (any case, with or without ``https://doi.org/``)."""
    doi = normalize_doi(name or "")
    if doi and doi in (dataset.get("dois") or ()):
        return True
    wanted = fold_name(name)
    names = (dataset.get("key"), dataset.get("name"), *(dataset.get("aliases") or ()))
    return bool(wanted) and any(fold_name(n) == wanted for n in names if n)


@lru_cache(maxsize=1)
def _catalogue_index() -> dict[str, dict]:
    """Each folded spelling, collection id and DOI of the catalogue -> its collection."""
    index: dict[str, dict] = {}
    for collection in collections():
        for doi in collection["dois"]:
            index.setdefault(doi, collection)
        for name in (*spellings(collection), collection["collection_id"]):
            index.setdefault(fold_name(name), collection)
    return index


def lookup(name: str) -> dict | None:
    """The catalogue's collection ``name`` names: its short title or another spelling
    (:func:`fold_name`), its collection id, or one of its DOIs."""
    index = _catalogue_index()
    doi = normalize_doi(name or "")
    if doi and doi in index:
        return index[doi]
    return index.get(fold_name(name)) if fold_name(name) else None


#: First words of collection names that are ordinary words or terms, not a program's name.
_COMMON_FIRST = frozenset({"BREAST", "CT", "LUNG", "MRI", "NSCLC", "PROSTATE", "QIBA", "RIDER"})


def _flexible(words: list[str]) -> bool:
    """Whether a name is distinctive enough to be found in any case and spelling: one
    starting with a program's acronym (``TCGA-GBM``, ``CPTAC LUAD``) or holding a word of
    letters and digits (``ISPY1``, ``C4KC-KiTS``). Not a name of ordinary words
    (``Pancreas-CT``, ``CT COLONOGRAPHY``, ``NSCLC-Radiomics``): ``pancreas CT`` is prose."""
    program = re.fullmatch(r"[A-Z][A-Z0-9]{2,}", words[0]) and words[0] not in _COMMON_FIRST
    if len(words) > 1 and program:
        return True
    return any(len(w) >= 3 and re.search(r"[A-Za-z]", w) and re.search(r"\d", w) for w in words)


@lru_cache(maxsize=4096)
def name_pattern(name: str) -> re.Pattern:
    """Where ``name`` stands in text as a name, not inside a longer word or name. A
    distinctive name (see :func:`_flexible`) matches in any case, its ``-``, ``_`` and
    spaces matching one another; any other only exactly as written."""
    words = [w for w in re.split(r"[-_\s]+", name.strip()) if w]
    edge = r"(?<![\w-])", r"(?![\w]|-\w)"
    if _flexible(words):
        body = r"[-_\s]+".join(re.escape(w) for w in words)
        return re.compile(edge[0] + body + edge[1], re.I)
    return re.compile(edge[0] + re.escape(name.strip()) + edge[1])


class Finder:
    """Finds which of ``datasets`` a text names (see :func:`find`), made once for many
    texts: each name's pattern is tried only on a text holding the name's first word."""

    def __init__(self, datasets: list[dict]):
        self.datasets = datasets
        self.by_doi = {doi: d for d in datasets for doi in d.get("dois") or ()}
        self.by_key = {fold_name(d.get("key") or d.get("name")): d for d in datasets}
        #: a name's first word (case folded) -> the datasets (by index) with such a name
        self.by_word: dict[str, set[int]] = {}
        self.always: set[int] = set()  # names with no word to look for first
        for index, dataset in enumerate(datasets):
            for name in spellings(dataset):
                first = _patterns()["word"].search(name)
                if first is None:
                    self.always.add(index)
                else:
                    self.by_word.setdefault(first.group(0).casefold(), set()).add(index)

    def find(self, fields: list[tuple[str, str]]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}

        def note(dataset: dict, evidence: str) -> None:
            ident = dataset.get("key") or dataset.get("name")
            found.setdefault(ident, [])
            if evidence not in found[ident]:
                found[ident].append(evidence)

        patterns = _patterns()
        for field, text in fields:
            if not text:
                continue
            for raw in patterns["doi"].findall(text):
                from igbib.ids import _strip_trailing

                doi = normalize_doi(_strip_trailing(raw))
                if doi in self.by_doi:
                    note(self.by_doi[doi], f"{field}: DOI {doi}")
            named = set()  # found here by name: a program and site would say it again
            words = {w.casefold() for w in patterns["word"].findall(text)}
            candidates = set(self.always)
            for word in words:
                candidates |= self.by_word.get(word, set())
            for index in sorted(candidates):
                dataset = self.datasets[index]
                for name in spellings(dataset):
                    match = name_pattern(name).search(text)
                    if match:
                        note(dataset, f"{field}: {match.group(0)!r}")
                        named.add(id(dataset))
                        break
            if not patterns["program"].search(text):
                continue
            for sentence in patterns["sentence"].split(text):
                program = patterns["program"].search(sentence)
                if not program:
                    continue
                for key, pattern in patterns["sites"]:
                    dataset = self.by_key.get(fold_name(key))
                    if dataset is None or id(dataset) in named:
                        continue
                    site = pattern.search(sentence)
                    if site:
                        note(dataset, f"{field}: {program.group(0)!r} and {site.group(0)!r}")
        return found


@lru_cache(maxsize=1)
def _catalogue_finder() -> Finder:
    return Finder(collections())


def find(fields: list[tuple[str, str]], datasets: list[dict]) -> dict[str, list[str]]:
    """Which of ``datasets`` the text names: dataset key (or name) -> the evidence, each
    ``field: what was found``. ``fields``: ``(field name, text)`` pairs (title, abstract,
    keywords, note). For many texts, make one :class:`Finder`."""
    finder = _catalogue_finder() if datasets is collections() else Finder(datasets)
    return finder.find(fields)


# -- genomic data -----------------------------------------------------------------------

#: What ``supporting`` holds for "no genomic data" said of a dataset (``--genomics no``,
#: a list's "genomic data: no") when it says nothing else.
NO_GENOMICS = "no Genomics"


def genomics_of(dataset: dict) -> bool | None:
    """Whether genomic data come with a dataset: yes if its supporting data are said to
    have them, no if said and without them, else not known (None)."""
    supporting = dataset.get("supporting") or ()
    if "Genomics" in supporting:
        return True
    return False if supporting else None


def with_genomics(supporting: list[str], genomics: bool | None) -> list[str]:
    """``supporting`` saying yes or no to genomic data (None: as it was)."""
    if genomics is None:
        return list(supporting)
    rest = [s for s in supporting if s not in ("Genomics", NO_GENOMICS)]
    return [*rest, "Genomics"] if genomics else (rest or [NO_GENOMICS])


def supporting_data(dataset: dict) -> list[str]:
    """The kinds of supporting data said of a dataset (not the "no genomic data" mark)."""
    return [s for s in dataset.get("supporting") or () if s != NO_GENOMICS]


# -- the facts line a Markdown list writes under a dataset ------------------------------


def facts_line(dataset: dict) -> str:
    """One line of a dataset's facts, as the Markdown export writes it under the dataset:
    ``Cancer type: ...; modalities: ...; subjects: ...; genomic data: yes; licence: ...;
    linked papers: N`` (the facts it has)."""
    parts = []
    if dataset.get("cancer_type"):
        parts.append(f"cancer type: {dataset['cancer_type']}")
    if dataset.get("modalities"):
        parts.append(f"modalities: {', '.join(dataset['modalities'])}")
    if dataset.get("subjects") is not None:
        parts.append(f"subjects: {dataset['subjects']}")
    if genomics_of(dataset) is not None:
        parts.append(f"genomic data: {'yes' if genomics_of(dataset) else 'no'}")
    if dataset.get("licence"):
        parts.append(f"licence: {dataset['licence']}")
    if dataset.get("dois") and not dataset.get("url"):
        parts.append(f"DOI: {dataset['dois'][0]}")
    parts = [part.replace(";", ",") for part in parts]  # a value's own ";" would split it
    parts.append(f"linked papers: {dataset.get('papers') or 0}")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def parse_facts(text: str) -> dict | None:
    """The facts a facts line (:func:`facts_line`) gives, as registry columns (and
    ``genomics``, yes or no); None if ``text`` (plain, or a Markdown line or list item)
    is not one. The count of linked papers is informative only: the library counts its
    own links, it is not read back."""
    patterns = _patterns()
    plain = patterns["escaped"].sub(r"\1", patterns["item"].sub("", text.strip()))
    if not patterns["facts"].match(plain):
        return None
    facts: dict = {}
    for part in plain.split("; "):
        label, _, value = part.partition(": ")
        label, value = label.casefold(), value.strip()
        if label == "cancer type":
            facts["cancer_type"] = value
        elif label == "modalities":
            facts["modalities"] = [m.strip() for m in value.split(",") if m.strip()]
        elif label == "subjects" and value.isdigit():
            facts["subjects"] = int(value)
        elif label == "genomic data" and value in ("yes", "no"):
            facts["genomics"] = value == "yes"
        elif label == "licence":
            facts["licence"] = value
        elif label == "doi" and normalize_doi(value):
            facts["dois"] = [normalize_doi(value)]
    return facts


def has_facts(dataset: dict) -> bool:
    """Whether a dataset has facts a list's line does not say (or papers linked to it)."""
    fields = ("cancer_type", "modalities", "subjects", "supporting", "licence", "dois", "papers")
    return any(dataset.get(f) not in (None, [], 0, "") for f in fields)
