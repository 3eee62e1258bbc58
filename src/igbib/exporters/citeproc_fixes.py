"""Where citeproc-py departs from the CSL specification, made to follow it.

pandoc's citeproc is the reference igbib's reference lists are checked against
(``tests/exporters/test_pandoc.py``); these are the departures found that way,
each fixed in the smallest place:

- A localized date (``<date form="text">``) joins its parts with the locale's
  delimiter: NLM's "2008 Dec", not "2008Dec".
- A hyphenated given name whose second part is lower case ("Jae-sung") is
  initialised from its first part ("J."), as pandoc does, not as "J.-. sung .".
- An author list that ends with the name ``others`` (pandoc's mark of an
  incomplete list, which igbib writes for "et al.") is cut there with the
  style's "et al." term, as pandoc does: "Gevaert O, et al.", not "Gevaert O,
  others".
- A page range is shortened (``page-range-format`` minimal, as in Vancouver) only
  where its two pages have as many digits: "1-10" stays "1–10" and "5-51" stays
  "5–51", as the specification's examples and pandoc have it, not "1–0" and "5–1".

:func:`apply` is idempotent and is called before any bibliography is rendered.
"""

from __future__ import annotations

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    from citeproc import model

    _fix_localized_date_delimiter(model.Date)
    _fix_others(model.Name)
    _fix_lowercase_hyphen_initials(model.Name)
    _fix_page_ranges(model.FormatNumber)
    _applied = True


def _fix_page_ranges(FormatNumber) -> None:
    shorten = FormatNumber._format_last_page

    def _format_last_page(self, first, last):
        if len(first) != len(last):  # nothing repeated to leave out
            return last
        return shorten(self, first, last)

    FormatNumber._format_last_page = _format_last_page


def _fix_localized_date_delimiter(Date) -> None:
    def render_single_date(self, date, show_parts=None, context=None):
        parts = (
            self.parts(date, show_parts, context)
            if context != self
            else self.parts(date, show_parts)
        )
        if not parts:
            return None
        if self.is_locale_date() and context is not None and context.get("delimiter") is None:
            return self.join(parts)  # the locale's delimiter
        return (context if self.is_locale_date() else self).join(parts)

    Date.render_single_date = render_single_date


def _is_others(name) -> bool:
    from igbib.exporters.csl import OTHERS

    return name.get("literal") == OTHERS["literal"]  # citeproc-py's Name: a dict of CSL parts


def _fix_others(Name) -> None:
    process = Name.process

    def process_with_others(self, item, variable, context=None, sort_options=None, **kwargs):
        names = item.reference.get(variable)
        if not names or not _is_others(names[-1]) or len(names) < 2:
            return process(self, item, variable, context, sort_options, **kwargs)
        shown = len(names) - 1
        min_names = self.get_option("et-al-min", context, sort_options)
        if min_names and shown >= min_names and shown > 1:
            # the style cuts the list itself: as it would without the mark
            reference = item.reference
            reference[variable] = names[:-1]
            try:
                return process(self, item, variable, context, sort_options, **kwargs)
            finally:
                reference[variable] = names
        # cut the list right before the mark, with the style's own et-al rules
        options = dict(sort_options or {})
        options.update({"et-al-min": len(names), "et-al-use-first": shown})
        return process(self, item, variable, context, options, **kwargs)

    Name.process = process_with_others


def _without_lowercase_parts(given: str) -> str:
    """``Jae-sung`` -> ``Jae``; ``Jean-Pierre`` and ``Éva-Ágnes`` stay whole."""
    words = []
    for word in given.split(" "):
        parts = word.split("-")
        words.append("-".join([parts[0], *(p for p in parts[1:] if not p[:1].islower())]))
    return " ".join(words)


def _fix_lowercase_hyphen_initials(Name) -> None:
    initialize = Name.initialize

    def initialize_given(self, given, mark, context):
        return initialize(self, _without_lowercase_parts(given), mark, context)

    Name.initialize = initialize_given
