"""Which words of a title a citation style must not re-case.

Styles lower-case titles (BibTeX's ``plain``, APA's sentence case) or title-case
them (Chicago). Acronyms and mixed-case words (``MRI``, ``TCGA``, ``IDH1``,
``microRNA``, ``18F``) must survive either, and in a sentence-case title the
capitalised words after the first are proper nouns (``Parkinson``). BibTeX
protects them with braces, CSL-JSON with ``<span class="nocase">``: both ask
this module which spans to protect, so the two formats agree.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\s/–—]+")
_EDGE = ".,:;!?()[]\"'"


def protected_spans(title: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each word in ``title`` whose case a style must keep."""
    words = list(_WORD.finditer(title))
    capitalised = sum(1 for w in words if w.group()[:1].isupper())
    sentence_case = capitalised <= max(1, len(words) // 3)
    spans = []
    for match in words:
        word = match.group()
        core = word.strip(_EDGE)
        if not core or "\\" in core:
            continue
        letters = [c for c in core if c.isalpha()]
        upper_after_first = any(c.isupper() for c in core[1:] if c.isalpha())
        acronym = any(c.isdigit() for c in core) and any(c.isupper() for c in letters)
        before = title[: match.start()].rstrip()
        first_word = not before or before.endswith((":", ".", "?", "!"))
        proper_noun = sentence_case and not first_word and core[:1].isupper() and len(letters) > 1
        if upper_after_first or acronym or proper_noun:
            start = match.start() + word.index(core)
            spans.append((start, start + len(core)))
    return spans


def mark(title: str, wrap, escape=None) -> str:
    """``title`` with each protected word ``wrap``-ped (``wrap(escaped word)`` -> markup).

    ``escape``, if given, is applied to every piece of text (inside and between
    the words), so the markup is added after the text is made safe for its format.
    """
    escape = escape or (lambda text: text)
    out, last = [], 0
    for start, end in protected_spans(title):
        out.append(escape(title[last:start]))
        out.append(wrap(escape(title[start:end])))
        last = end
    out.append(escape(title[last:]))
    return "".join(out)
