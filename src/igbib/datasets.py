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

#: A DOI in running text (it ends before a space, quote, bracket or closing punctuation).
_DOI_IN_TEXT = re.compile(r"10\.\d{4,9}/[^\s\"'<>()\[\]{}]+")
#: What names the TCGA program ("Genomic": as the seed list misspells it).
#: Not TCIA ("The Cancer Imaging Archive"): it holds several collections of most sites
#: (a dozen of the prostate), so TCIA and a site name no one collection.
_PROGRAM = re.compile(r"\bTCGA\b|\bthe\s+cancer\s+genom(?:e|ic)\s+atlas\b", re.I)
#: TCGA collection -> the words that name its site or tumour, unambiguously.
SITES: dict[str, tuple[str, ...]] = {
    "TCGA-GBM": ("glioblastomas?", "GBMs?"),
    "TCGA-LGG": ("low(?:er)?[- ]grade gliomas?", "LGGs?"),
    "TCGA-BRCA": ("breast",),
    "TCGA-KIRC": ("clear[- ]cell renal", "ccRCC", "kidney renal clear cell", "kidney"),
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
_SITES = [
    (key, re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I)) for key, words in SITES.items()
]
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")


@lru_cache(maxsize=1)
def catalogue() -> dict:
    """The bundled catalogue: ``{"source": {...}, "collections": [...]}``."""
    import json

    return json.loads(CATALOGUE.read_text(encoding="utf-8"))


def collections() -> list[dict]:
    return catalogue()["collections"]


def normalise_doi(text: str) -> str | None:
    """A DOI in its stored form (lower-cased, without ``https://doi.org/``), or None."""
    return normalize_doi(text or "")


def spellings(dataset: dict) -> list[str]:
    """The names a dataset goes by: its key (or name) and its aliases."""
    names = [dataset.get("key") or dataset.get("name"), *(dataset.get("aliases") or ())]
    return [n for n in dict.fromkeys(names) if n]


def fold_name(name: str) -> str:
    """A name compared without case, and with ``-``, ``_`` and spaces all alike."""
    return " ".join(re.split(r"[-_\s]+", name.strip())).casefold()


def lookup(name: str) -> dict | None:
    """The catalogue's collection ``name`` names: its short title or another spelling
    (any case), its collection id, or one of its DOIs."""
    doi = normalise_doi(name)
    wanted = fold_name(name)
    for collection in collections():
        if doi and doi in collection["dois"]:
            return collection
        if wanted in {fold_name(n) for n in (*spellings(collection), collection["collection_id"])}:
            return collection
    return None


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


def find(fields: list[tuple[str, str]], datasets: list[dict]) -> dict[str, list[str]]:
    """Which of ``datasets`` the text names: dataset key (or name) -> the evidence, each
    ``field: what was found``. ``fields``: ``(field name, text)`` pairs (title, abstract,
    keywords, note)."""
    found: dict[str, list[str]] = {}
    by_doi = {doi: d for d in datasets for doi in d.get("dois") or ()}
    by_key = {(d.get("key") or d.get("name") or "").casefold(): d for d in datasets}

    def note(dataset: dict, evidence: str) -> None:
        ident = dataset.get("key") or dataset.get("name")
        found.setdefault(ident, [])
        if evidence not in found[ident]:
            found[ident].append(evidence)

    for field, text in fields:
        if not text:
            continue
        for raw in _DOI_IN_TEXT.findall(text):
            doi = normalise_doi(raw.rstrip(".,;:"))
            if doi in by_doi:
                note(by_doi[doi], f"{field}: DOI {doi}")
        named = set()  # found here by name: a program and site would say it again
        for dataset in datasets:
            for name in spellings(dataset):
                match = name_pattern(name).search(text)
                if match:
                    note(dataset, f"{field}: {match.group(0)!r}")
                    named.add(id(dataset))
                    break
        for sentence in _SENTENCE.split(text):
            program = _PROGRAM.search(sentence)
            if not program:
                continue
            for key, pattern in _SITES:
                site = pattern.search(sentence)
                if site and key.casefold() in by_key and id(by_key[key.casefold()]) not in named:
                    evidence = f"{field}: {program.group(0)!r} and {site.group(0)!r}"
                    note(by_key[key.casefold()], evidence)
    return found


# -- the facts line a Markdown list writes under a dataset ------------------------------

#: The facts line :func:`facts_line` writes (as plain text: ``igbib import`` reads it back
#: as part of the dataset, never as prose of the list).
FACTS_LINE = re.compile(
    r"^(?:(?:Cancer type|Modalities|Subjects|Genomic data|Licence|DOI): [^;]*; )*"
    r"linked papers: \d+\.?$",
    re.I,
)


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
    if dataset.get("supporting"):
        genomics = "yes" if "Genomics" in dataset["supporting"] else "no"
        parts.append(f"genomic data: {genomics}")
    if dataset.get("licence"):
        parts.append(f"licence: {dataset['licence']}")
    if dataset.get("dois") and not dataset.get("url"):
        parts.append(f"DOI: {dataset['dois'][0]}")
    parts = [part.replace(";", ",") for part in parts]  # a value's own ";" would split it
    parts.append(f"linked papers: {dataset.get('papers') or 0}")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


#: A Markdown escape (``\\_``), as the export writes one in a facts line.
_ESCAPED = re.compile(r"\\([\\`*_\[\]<>|&])")
#: A list item's marker, before an item's facts line.
_ITEM = re.compile(r"^\s*[*+-]\s+")


def parse_facts(text: str) -> dict | None:
    """The facts a facts line (:func:`facts_line`) gives, as registry columns; None if
    ``text`` (plain, or a Markdown line or list item) is not one. The count of linked
    papers is the library's own, not read back."""
    plain = _ESCAPED.sub(r"\1", _ITEM.sub("", text.strip()))
    if not FACTS_LINE.match(plain):
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
        elif label == "genomic data" and value == "yes":
            facts["supporting"] = ["Genomics"]
        elif label == "licence":
            facts["licence"] = value
        elif label == "doi" and normalise_doi(value):
            facts["dois"] = [normalise_doi(value)]
    return facts


def has_facts(dataset: dict) -> bool:
    """Whether a dataset has facts a list's line does not say (or papers linked to it)."""
    fields = ("cancer_type", "modalities", "subjects", "supporting", "licence", "dois", "papers")
    return any(dataset.get(f) not in (None, [], 0, "") for f in fields)
