"""BibTeX and BibLaTeX that LaTeX accepts without hand-fixing.

- Entry types from the metadata (article, inproceedings, incollection, book,
  phdthesis, techreport; misc, or online in BibLaTeX, for preprints and datasets).
- Authors as ``Family, Given and ...``, collective names braced whole, ``and others``
  for a list known to be incomplete; a name part with a comma or an "and" is
  braced, so no reader splits it.
- The characters LaTeX treats specially (``{ } % & # _ $ ~ ^ \\``) escaped in every
  text field, a brace without its pair as ``\\textbraceleft{}`` (BibTeX counts
  escaped braces, so a lone ``\\}`` would end the field and lose the rest of the
  entry); UTF-8 kept by default (biber, modern LaTeX), or LaTeX commands with
  ``ascii`` (classic BibTeX): every character that has a form compiling in a plain
  document, the others written as ``?`` (or their compatibility form, ``ﬁ`` as
  ``fi``) and reported in ``options.warnings``, one line per entry.
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
- The NLM journal abbreviation PubMed gives (``extra["journal_abbrev"]``) in
  ``shortjournal``, in both (classic styles ignore it; biblatex styles and
  ``\\DeclareSourcemap`` can use it).

BibLaTeX follows biblatex's data model, so ``biber --validate-datamodel`` has
nothing to report:

- The PMID is ``eprint`` with ``eprinttype = {pubmed}`` (biblatex prints and links
  it as "PMID: ..."). A paper with both a PMID and an arXiv id keeps the PMID
  there (the indexed, published version) and writes the arXiv id in ``addendum``;
  an arXiv id alone is ``eprint`` with ``eprinttype = {arxiv}``.
- The PMCID, which biblatex has no field for, is in ``addendum`` as
  ``PMCID: PMC...``: the form the NIH asks a reference to carry, printed at the
  end of the entry by every style. igbib's importer reads both back from there.
- The language is ``langid`` in babel's (and polyglossia's) words (``eng`` is
  ``english``, see :mod:`igbib.languages`): biblatex uses it to hyphenate and
  does not print it, whereas ``language = {eng}`` was printed. Classic BibTeX
  has no standard field: ``language`` holds babel's name too, which the styles
  that read it (babelbib's) want. A language babel has no name for is written as
  stored, in ``language``; ``und`` and ``mul`` (no one language) are not written.
- An entry without a year has no date: authoryear styles cite it as "(n.d.)", and
  ``biber --validate-datamodel`` names it ("one of 'date, year' must be defined"),
  as ``igbib check`` does. A made-up date (EDTF's ``XXXX`` passes the validation)
  would be cited as an empty "()". (The standard authoryear bibliography still
  prints an empty "()" after an undated article's journal: that is the style's.)
- A chapter is an ``@inbook`` (biblatex's ``@incollection`` requires editors,
  which igbib does not know); a thesis or report names its institution and type.
- A field the type has no place for is not written: a publisher quietly (an
  article's is its journal's, which no biblatex style prints; a preprint's is
  its server's, written as ``organization`` when the server is not named),
  anything else (a preprint's volume) with a warning.

Entries are written in bibtexparser's layout (a tab before each field, ``name =
{value}``, two blank lines between entries) from values that are already enclosed,
so the output parses back with bibtexparser and pybtex (the tests check both);
writing them here spares every export the import of bibtexparser.
"""

from __future__ import annotations

import re

from igbib import casing
from igbib.citekey import key_parts, unique_key
from igbib.languages import NOT_A_LANGUAGE, babel
from igbib.latex import encode
from igbib.model import Paper
from igbib.normalize import MONTHS, pages


def _protect(word: str) -> str:
    """``{MRI}``: a word braced so that styles which lower-case titles keep its case.

    A brace group that starts with a backslash is a "special character" to BibTeX,
    whose contents it does re-case (``{\\_ABC}`` becomes ``\\_abc``): such a word
    is braced after an empty group, ``{{}\\_ABC}``, which BibTeX leaves whole.
    """
    return "{{}" + word + "}" if word.startswith("\\") else "{" + word + "}"


_AND = re.compile(r"\sand\s", re.I)


def _name(author: dict, ascii: bool, lost: list | None = None) -> str:
    """``Family, Given`` as BibTeX reads names: a part that would split is braced whole."""

    def enc(text: str) -> str:
        # "\&" alone before " and" is dropped by bibtexparser's name splitter: "\&{}" is not
        text = encode(text, ascii, lost)
        return _LONE_ESCAPE.sub(r"\g<0>{}", text) if "\\" in text else text

    if "literal" in author:
        return "{" + enc(author["literal"]) + "}"
    source = author.get("family", "")
    family = enc(source)
    braced = (" " in family and not family.split()[0].islower()) or _splits(source)
    if braced:
        family = "{" + family + "}"  # "De Ruysscher" is one family name, not "De" + "Ruysscher"
    parts = [family]
    for part in ("suffix", "given"):
        if author.get(part):
            text = enc(author[part])
            parts.append("{" + text + "}" if _splits(author[part]) else text)
    return ", ".join(parts)


_LONE_ESCAPE = re.compile(r"\\[^A-Za-z](?=\s|$)")
_WORD_AND = re.compile(r"(?<![^\W\d_])and(?![^\W\d_])", re.I)


def _splits(text: str) -> bool:
    """True when a name part would cut the name: a comma, an "and" (parsers differ on
    where a word ends, so any "and" not inside a word), or the word "others"."""
    lower = text.lower()
    if "," in text or lower.strip() == "others":
        return True
    return "and" in lower and bool(_WORD_AND.search(text))


_TYPES = {"article", "inproceedings", "incollection", "book", "inbook", "phdthesis", "techreport"}
# biblatex's names; a chapter is an @inbook, as igbib knows no editors (biblatex's
# @incollection requires them)
_BIBLATEX_TYPES = {"phdthesis": "thesis", "techreport": "report", "incollection": "inbook"}
#: What biblatex's data model takes, of the fields whose place depends on the type
#: (biber --validate-datamodel warns of any other).
_BIBLATEX_PARTS = {
    "article": {"volume", "number", "pages"},
    "book": {"volume", "number", "pages", "publisher"},
    "inbook": {"volume", "number", "pages", "publisher"},
    "inproceedings": {"volume", "number", "pages", "publisher"},
    "thesis": {"pages"},
    "report": {"number", "pages"},
    "dataset": {"number", "publisher"},
    "online": set(),
    "misc": set(),
}


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
    paper: Paper,
    options,
    biblatex: bool = False,
    aliases: list[str] | None = None,
    lost: list | None = None,
) -> list[tuple[str, str]]:
    """``(name, enclosed value)`` pairs for one paper (``aliases``: its former keys).

    ``lost`` gathers ``(character, written instead)`` for what an ASCII export
    cannot write, and ``(field, why)`` for a field biblatex's type has no place for.
    """
    ascii = options.ascii
    out: list[tuple[str, str]] = []

    def enc(text: str) -> str:
        return encode(text, ascii, lost)

    def add(name: str, value, raw: bool = False) -> None:
        if value in (None, "", []):
            return
        text = str(value) if raw else enc(str(value))
        if biblatex and name in _LISTS and _AND.search(f" {text} "):
            text = "{" + text + "}"  # a list field: "Springer Science and Business Media" is one
        out.append((name, "{" + text + "}"))

    if paper.authors:
        names = " and ".join(_name(a, ascii, lost) for a in paper.authors)
        out.append(("author", "{" + names + (" and others" if paper.et_al else "") + "}"))
    if paper.title:
        # acronyms and proper nouns braced, so styles that lower-case titles keep them
        out.append(("title", "{" + casing.mark(paper.title, _protect, escape=enc) + "}"))
    kind = _type(paper, biblatex)
    container = paper.journal
    publisher = paper.publisher
    if kind in ("inproceedings", "incollection", "inbook"):
        add("booktitle", container)
    elif kind == "article":
        add("journaltitle" if biblatex else "journal", container)
    elif kind in ("thesis", "report"):  # biblatex: the university or institute
        add("institution", container or publisher)
        add("type", "phdthesis" if kind == "thesis" else "techreport", raw=True)
        publisher = None
    elif kind == "phdthesis":
        add("school", container)
    elif kind == "techreport":
        add("institution", container)
    elif container and kind != "book":
        add("howpublished" if not biblatex and kind == "misc" else "organization", container)
    if biblatex and kind in ("online", "misc") and not container:
        add("organization", publisher)  # a preprint server's owner, a dataset's host
        publisher = None
    if paper.journal and paper.extra.get("journal_abbrev"):
        add("shortjournal", paper.extra["journal_abbrev"])  # NLM's: "N Engl J Med"
    if paper.year:
        if biblatex:
            date = f"{paper.year:04d}"
            if paper.month and 1 <= paper.month <= 12:
                date += f"-{paper.month:02d}"
            out.append(("date", "{" + date + "}"))
        else:
            out.append(("year", "{" + str(paper.year) + "}"))
            if paper.month and 1 <= paper.month <= 12:
                out.append(("month", MONTHS[paper.month - 1]))  # a macro: no braces
    parts = {
        "volume": paper.volume,
        "number": paper.issue,
        "pages": paper.pages,
        "publisher": publisher,
    }
    allowed = _BIBLATEX_PARTS.get(kind, set(parts)) if biblatex else set(parts)
    for name, value in parts.items():
        if not value:
            continue
        if name not in allowed:
            # an article's publisher is its journal's, which no biblatex style prints
            if name != "publisher" and lost is not None:
                lost.append((name, f"@{kind} has no {name} field in biblatex"))
            continue
        if name == "pages":  # each page encoded, the range written with LaTeX's --
            ends = pages(value, dash="\0") or ""
            out.append(("pages", "{" + "--".join(enc(p) for p in ends.split("\0")) + "}"))
        else:
            add(name, value)
    # Identifiers and links are verbatim: styles print them with \url or \doi.
    add("doi", _verbatim(paper.doi), raw=True)
    if biblatex:
        _biblatex_identifiers(paper, add)
    else:
        add("pmid", paper.pmid, raw=True)
        add("pmcid", paper.pmcid, raw=True)
        if paper.arxiv:
            add("eprint", paper.arxiv, raw=True)
            add("archiveprefix", "arXiv", raw=True)
    add("url", _verbatim(paper.url), raw=True)
    keywords = [enc(k) for k in paper.subject_terms()]
    if keywords:  # a term with a comma ("Cell Line, Tumor") is braced so it stays one term
        terms = ("{" + k + "}" if "," in k or ";" in k else k for k in keywords)
        add("keywords", ", ".join(terms), raw=True)
    _language(paper.language, add, biblatex)
    add("note", paper.note)
    if options.abstracts:
        add("abstract", paper.abstract)
    if aliases:
        add("ids", ", ".join(aliases), raw=True)
    return out


#: biblatex's list fields among those igbib writes: a value is split at each "and".
_LISTS = {"publisher", "organization", "institution", "language"}
#: How the identifiers biblatex has no field for are written in ``addendum``; the
#: importer reads them back from there.
ADDENDUM_LABELS = {"pmcid": "PMCID", "arxiv": "arXiv"}


def _biblatex_identifiers(paper: Paper, add) -> None:
    """PubMed's and arXiv's ids as biblatex's ``eprint``; the others in ``addendum``.

    biblatex has one eprint per entry: the PMID takes it (``eprint:pubmed`` prints
    and links it), an arXiv id where there is no PMID. The PMCID, and an arXiv id
    beside a PMID, go in ``addendum`` as ``PMCID: PMC...`` (the form NIH asks a
    reference to carry), which every style prints at the entry's end.
    """
    rest = []
    if paper.pmid:
        add("eprint", paper.pmid, raw=True)
        add("eprinttype", "pubmed", raw=True)
    elif paper.arxiv:
        add("eprint", paper.arxiv, raw=True)
        add("eprinttype", "arxiv", raw=True)
    if paper.pmcid:
        rest.append(f"{ADDENDUM_LABELS['pmcid']}: {paper.pmcid}")
    if paper.pmid and paper.arxiv:
        rest.append(f"{ADDENDUM_LABELS['arxiv']}: {encode(paper.arxiv)}")
    if rest:
        add("addendum", "; ".join(rest), raw=True)


def _language(value: str | None, add, biblatex: bool) -> None:
    """biblatex's ``langid`` (babel's name: ``eng`` is ``english``); ``language`` in BibTeX.

    Classic BibTeX has no standard: styles that read ``language`` (babelbib's, for
    one) want babel's name too, so that is written there. A language babel has no
    name for is written as stored, in ``language``; ``und`` (undetermined) and
    ``mul`` (several) are no language and are not written.
    """
    if not value:
        return
    name = babel(value)
    if name:
        add("langid" if biblatex else "language", name, raw=True)
    elif value.strip().lower() not in NOT_A_LANGUAGE:
        add("language", value)


KEY_FIELDS = ("family", "Family", "year", "word", "pmid", "citekey")


def format_key(key_format: str, values: dict) -> str:
    """``key_format`` filled with ``values`` (:data:`KEY_FIELDS`); an error names the fields."""
    try:
        return key_format.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        from igbib.errors import IgbibError

        fields = " ".join(f"{{{name}}}" for name in KEY_FIELDS)
        raise IgbibError(f"bad key format {key_format!r} ({exc}); use {fields}") from None


def keys_for(papers: list[Paper], key_format: str | None, taken: set[str] | None = None):
    """The citation keys: stored ones, or ``key_format`` made unique with a, b, c (``taken``:
    the keys given already, to earlier batches of the same export)."""
    if not key_format:
        return [p.citekey for p in papers]
    taken = set() if taken is None else taken
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


def entries(
    papers: list[Paper], options, library=None, biblatex: bool = False, taken=None
) -> list[str]:
    """One entry's text per paper, in order (``library``: for the former keys of merged papers;
    ``taken``: the keys an earlier batch gave).

    What an entry could not hold as stored is reported in ``options.warnings``.
    """
    aliases = library.aliases_of([p.id for p in papers]) if library is not None else {}
    out = []
    for paper, key in zip(papers, keys_for(papers, options.key_format, taken), strict=True):
        lost: list[tuple[str, str]] = []
        its = fields(paper, options, biblatex, aliases.get(paper.id), lost)
        body = ",\n".join(f"\t{name} = {value}" for name, value in its)
        out.append(f"@{_type(paper, biblatex)}{{{key},\n{body}\n}}\n")
        warnings = getattr(options, "warnings", None)
        if lost and warnings is not None:
            warnings.extend(_warnings(key, lost))
        if biblatex and not paper.year and warnings is not None:
            # biblatex's data model requires a date: biber --validate-datamodel says so
            raw = paper.extra.get("year") or (paper.listed or {}).get("year")
            why = f"the year {raw!r} is not one" if raw else "no year is known"
            warnings.append(f"{key}: written without a date, which biblatex requires: {why}")
    return out


def _warnings(key: str, lost: list[tuple[str, str]]) -> list[str]:
    """One line for the characters an entry lost, one for each field it could not hold."""
    lines = []
    chars = dict.fromkeys((c, w) for c, w in lost if len(c) == 1)
    if chars:
        what = ", ".join(f"'{c}' (U+{ord(c):04X})" for c, _ in chars)
        instead = [w for _, w in chars]
        written = ", ".join(f"'{w}'" for w in instead)
        if len(set(instead)) == 1:
            written = f"'{instead[0]}'"
        elif len(instead) > 1:
            written += " (in that order)"
        lines.append(f"{key}: cannot write {what} in ASCII LaTeX; written as {written}")
    for name, why in dict.fromkeys((n, w) for n, w in lost if len(n) > 1):
        lines.append(f"{key}: {name} not written: {why}")
    return lines


def export_bibtex(papers: list[Paper], options, library=None, biblatex: bool = False) -> str:
    return "".join(export_bibtex_chunks([papers], options, library, biblatex))


def export_bibtex_chunks(batches, options, library=None, biblatex: bool = False):
    encoding = "ASCII (LaTeX commands)" if options.ascii else "UTF-8"
    yield f"% Exported by igbib. Encoding: {encoding}\n\n"
    taken: set[str] = set()
    separator = ""
    for papers in batches:
        texts = entries(papers, options, library, biblatex, taken)
        if texts:
            yield separator + "\n\n".join(texts)
            separator = "\n\n"
