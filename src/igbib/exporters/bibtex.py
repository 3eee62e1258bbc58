"""BibTeX and BibLaTeX that LaTeX accepts without hand-fixing.

- Entry types from the metadata (article, inproceedings, incollection, book,
  phdthesis, techreport; misc, or online in BibLaTeX, for preprints and datasets).
- Authors as ``Family, Given and ...``, collective names braced whole, ``and others``
  for a list known to be incomplete.
- The characters LaTeX treats specially (``{ } % & # _ $ ~ ^ \\``) escaped in every
  text field; UTF-8 kept by default (biber, modern LaTeX), or LaTeX commands with
  ``ascii`` (classic BibTeX).
- In titles, acronyms and mixed-case words (``{MRI}``, ``{TCGA}``, ``{IDH1}``,
  ``{microRNA}``) are braced so that styles which lower-case titles leave them
  alone; in a sentence-case title, capitalised words after the first (proper
  nouns: ``{Parkinson}``) are braced too.
- Page ranges with ``--``; the stored citation key (never changed), or a
  ``key_format`` pattern made unique with a, b, c.
- The former keys of a merged paper (its aliases) in an ``ids`` field: biber
  resolves a citation of an old key to the entry, so a manuscript citing an old key
  still compiles with BibLaTeX. Classic BibTeX ignores fields it does not know,
  so the field is written there too (harmless, and used if the file is later
  given to biber), but a BibTeX manuscript must cite the new key.

Entries are written in bibtexparser's layout (a tab before each field, ``name =
{value}``, a blank line between entries) from values that are already enclosed,
so the output parses back with bibtexparser and pybtex (the tests check both);
writing them here spares every export the import of bibtexparser.
"""

from __future__ import annotations

import re

from igbib.citekey import key_parts, unique_key
from igbib.latex import encode
from igbib.model import Paper
from igbib.normalize import MONTHS, pages

_WORD = re.compile(r"[^\s/–—]+")


def protect_title(title: str) -> str:
    """Brace the words a style must not lower-case. ``title`` is already escaped."""
    words = _WORD.findall(title)
    capitalised = [w for w in words if w[:1].isupper()]
    sentence_case = len(capitalised) <= max(1, len(words) // 3)

    def guard(match: re.Match) -> str:
        word = match.group()
        core = word.strip(".,:;!?()[]\"'")
        if not core or "\\" in core:
            return word
        letters = [c for c in core if c.isalpha()]
        upper_after_first = any(c.isupper() for c in core[1:] if c.isalpha())
        has_digit_and_letter = any(c.isdigit() for c in core) and letters
        before = title[: match.start()].rstrip()
        first_word = not before or before.endswith((":", ".", "?", "!"))
        proper_noun = sentence_case and not first_word and core[:1].isupper() and len(letters) > 1
        acronym = has_digit_and_letter and any(c.isupper() for c in letters)
        if upper_after_first or acronym or proper_noun:
            start = word.index(core)
            return word[:start] + "{" + core + "}" + word[start + len(core) :]
        return word

    return _WORD.sub(guard, title)


def _name(author: dict, ascii: bool) -> str:
    if "literal" in author:
        return "{" + encode(author["literal"], ascii) + "}"
    family = encode(author.get("family", ""), ascii)
    braced = " " in family and not family.split()[0].islower()
    if braced:
        family = "{" + family + "}"  # "De Ruysscher" is one family name, not "De" + "Ruysscher"
    parts = [family]
    if author.get("suffix"):
        parts.append(encode(author["suffix"], ascii))
    if author.get("given"):
        parts.append(encode(author["given"], ascii))
    return ", ".join(parts)


_TYPES = {"article", "inproceedings", "incollection", "book", "inbook", "phdthesis", "techreport"}
_BIBLATEX_TYPES = {"phdthesis": "thesis", "techreport": "report"}


def _type(paper: Paper, biblatex: bool) -> str:
    kind = paper.entry_type or "article"
    preprint = "preprint" in (paper.pub_types or []) or bool(paper.arxiv and not paper.journal)
    if preprint:
        return "online" if biblatex else "misc"
    if kind not in _TYPES:
        dataset = "dataset" in str(paper.extra.get("type", ""))
        return "dataset" if biblatex and dataset else "misc"
    return _BIBLATEX_TYPES.get(kind, kind) if biblatex else kind


def _verbatim(value: str | None) -> str | None:
    """A URL or DOI as it is, but with the braces and percent signs BibTeX cannot take."""
    if not value:
        return value
    return value.replace("\\", "/").replace("{", "%7B").replace("}", "%7D").replace("%", r"\%")


def fields(
    paper: Paper, options, biblatex: bool = False, aliases: list[str] | None = None
) -> list[tuple[str, str]]:
    """``(name, enclosed value)`` pairs for one paper (``aliases``: its former keys)."""
    ascii = options.ascii
    out: list[tuple[str, str]] = []

    def add(name: str, value, raw: bool = False) -> None:
        if value in (None, "", []):
            return
        text = str(value) if raw else encode(str(value), ascii)
        out.append((name, "{" + text + "}"))

    if paper.authors:
        names = " and ".join(_name(a, ascii) for a in paper.authors)
        out.append(("author", "{" + names + (" and others" if paper.et_al else "") + "}"))
    if paper.title:
        out.append(("title", "{" + protect_title(encode(paper.title, ascii)) + "}"))
    kind = _type(paper, biblatex)
    container = paper.journal
    if kind in ("inproceedings", "incollection", "inbook"):
        add("booktitle", container)
    elif kind == "article":
        add("journaltitle" if biblatex else "journal", container)
    elif container and kind not in ("book",):
        add("howpublished" if not biblatex and kind == "misc" else "organization", container)
    if paper.year:
        if biblatex:
            date = f"{paper.year}-{paper.month:02d}" if paper.month else str(paper.year)
            out.append(("date", "{" + date + "}"))
        else:
            out.append(("year", "{" + str(paper.year) + "}"))
            if paper.month and 1 <= paper.month <= 12:
                out.append(("month", MONTHS[paper.month - 1]))  # a macro: no braces
    add("volume", paper.volume)
    add("number", paper.issue)
    add("pages", pages(paper.pages, dash="--"))
    add("publisher", paper.publisher)
    # Identifiers and links are verbatim: styles print them with \url or \doi.
    add("doi", _verbatim(paper.doi), raw=True)
    add("pmid", paper.pmid, raw=True)
    add("pmcid", paper.pmcid, raw=True)
    if paper.arxiv:
        add("eprint", paper.arxiv, raw=True)
        if biblatex:
            add("eprinttype", "arxiv", raw=True)
        else:
            add("archiveprefix", "arXiv", raw=True)
    add("url", _verbatim(paper.url), raw=True)
    keywords = [encode(k, ascii) for k in paper.subject_terms()]
    if keywords:  # a term with a comma ("Cell Line, Tumor") is braced so it stays one term
        terms = ("{" + k + "}" if "," in k or ";" in k else k for k in keywords)
        add("keywords", ", ".join(terms), raw=True)
    add("language", paper.language)
    add("note", paper.note)
    if options.abstracts:
        add("abstract", paper.abstract)
    if aliases:
        add("ids", ", ".join(aliases), raw=True)
    return out


KEY_FIELDS = ("family", "Family", "year", "word", "pmid", "citekey")


def format_key(key_format: str, values: dict) -> str:
    """``key_format`` filled with ``values`` (:data:`KEY_FIELDS`); an error names the fields."""
    try:
        return key_format.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        from igbib.errors import IgbibError

        fields = " ".join(f"{{{name}}}" for name in KEY_FIELDS)
        raise IgbibError(f"bad key format {key_format!r} ({exc}); use {fields}") from None


def keys_for(papers: list[Paper], key_format: str | None) -> list[str]:
    """The citation keys: stored ones, or ``key_format`` made unique with a, b, c."""
    if not key_format:
        return [p.citekey for p in papers]
    taken: set[str] = set()
    keys = []
    for paper in papers:
        family, year, word = key_parts(paper)
        values = {"family": family, "Family": family.capitalize(), "year": year, "word": word}
        values.update(pmid=paper.pmid or "", citekey=paper.citekey)
        base = format_key(key_format, values)
        base = re.sub(r"[^A-Za-z0-9_:.\-]", "", base) or "key"
        key = unique_key(base, taken)
        taken.add(key)
        keys.append(key)
    return keys


def entries(papers: list[Paper], options, library=None, biblatex: bool = False) -> list[str]:
    """One entry's text per paper, in order (``library``: for the former keys of merged papers)."""
    aliases = library.aliases_of([p.id for p in papers]) if library is not None else {}
    out = []
    for paper, key in zip(papers, keys_for(papers, options.key_format), strict=True):
        its = fields(paper, options, biblatex, aliases.get(paper.id))
        body = ",\n".join(f"\t{name} = {value}" for name, value in its)
        out.append(f"@{_type(paper, biblatex)}{{{key},\n{body}\n}}\n")
    return out


def export_bibtex(papers: list[Paper], options, library=None, biblatex: bool = False) -> str:
    text = "\n\n".join(entries(papers, options, library, biblatex))
    encoding = "ASCII (LaTeX commands)" if options.ascii else "UTF-8"
    return f"% Exported by igbib. Encoding: {encoding}\n\n{text}"
