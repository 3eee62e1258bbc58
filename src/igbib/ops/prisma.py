"""``igbib prisma``: the PRISMA 2020 flow counts, from the searches and the decisions.

The counts are written into the official template of the PRISMA 2020 flow diagram
(the ``PRISMA.csv`` of the PRISMA2020 R package and Shiny app, MIT licence, bundled
as ``igbib/data/prisma2020.csv``): its ``n`` column, keyed by its ``data`` column,
so that the app draws the diagram from igbib's file.

Where each count comes from:

- identification: every search recorded (a watch's runs, a file of decisions, the
  papers ``related``/``suggest`` offered), its records and the duplicates it gave
  (papers the library or the candidates held already). Watches and files are the
  databases route; related-paper links are citation searching (other methods);
- screening: the candidates of the databases route with an include or exclude
  decision at the abstract stage; excluded: those whose latest such decision is
  an exclusion;
- reports: the candidates included at the abstract stage are sought; those
  excluded at the full-text stage with the reason ``no-full-text`` were not
  retrieved; the other full-text exclusions are listed with their reasons;
- included: the candidates whose latest decision includes them; the studies of
  the previous version are the list's papers that no inclusion added.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from importlib import resources

from igbib.store import Library

#: The full-text exclusion reason that means "report not retrieved".
NOT_RETRIEVED = "no-full-text"


def counts(library: Library, *, previous: int | None = None) -> dict:
    """The template's ``data`` keys with their counts (and reasons, as the template
    writes them: ``Reason, n; Reason, n``)."""
    totals = library.search_totals()
    database = [(s, f, d) for s, route, f, d, _n in totals if route == "database"]
    other = [(s, f, d) for s, route, f, d, _n in totals if route == "other"]
    candidates = library.candidates()
    by_id = {c.id: c for c in candidates}
    abstract: dict[int, str] = {}
    fulltext: dict[int, tuple[str, str | None]] = {}
    for decision in library.decisions():  # the latest of each stage counts ("maybe" too)
        if decision.stage == "abstract":
            abstract[decision.candidate_id] = decision.decision
        else:
            fulltext[decision.candidate_id] = (decision.decision, decision.reason)
    fulltext = {i: d for i, d in fulltext.items() if d[0] != "maybe"}
    for cid in fulltext:  # decided at full text: its record passed the screening
        abstract[cid] = "include"
    abstract = {i: d for i, d in abstract.items() if d != "maybe"}  # not decided yet
    out: dict = {}
    included = 0
    for route, prefix in (("database", "dbr"), ("other", "other")):
        ids = [c.id for c in candidates if c.route == route and c.id in abstract]
        if route == "database":  # records are screened, then the reports of those kept
            sought = [i for i in ids if abstract[i] == "include"]
            out["records_screened"] = len(ids)
            out["records_excluded"] = len(ids) - len(sought)
            late = {i: fulltext[i] for i in sought if i in fulltext}
        else:  # other methods: every report decided on was sought
            sought = ids
            late = {
                i: fulltext.get(i) or (abstract[i], by_id[i].reason)
                for i in sought
                if i in fulltext or abstract[i] == "exclude"
            }
        excluded_full = Counter(
            (reason or "no reason given") for what, reason in late.values() if what == "exclude"
        )
        not_retrieved = excluded_full.pop(NOT_RETRIEVED, 0)
        assessed = len(sought) - not_retrieved
        out[f"{prefix}_sought_reports"] = len(sought)
        out[f"{prefix}_notretrieved_reports"] = not_retrieved
        out[f"{prefix}_assessed"] = assessed
        out[f"{prefix}_excluded"] = _reasons(excluded_full)
        included += assessed - sum(excluded_full.values())
    out["database_results"] = sum(f for _s, f, _d in database)
    out["database_specific_results"] = "; ".join(f"{s}, {f}" for s, f, _d in database)
    out["register_specific_results"] = ""  # igbib searches no registers
    out["duplicates"] = sum(d for _s, _f, d in database)
    out["citations_results"] = sum(f for _s, f, _d in other)
    out["new_studies"] = out["new_reports"] = included
    if previous is None:
        made = {c.paper_id for c in by_id.values() if c.made and c.paper_id is not None}
        listed = library.listed_paper_ids()
        previous = len(listed - made)
    out["previous_studies"] = out["previous_reports"] = previous
    out["total_studies"] = out["total_reports"] = previous + included
    return out


def _reasons(counter: Counter) -> str:
    return "; ".join(f"{reason}, {n}" for reason, n in sorted(counter.items()))


def template_csv(values: dict) -> str:
    """The official template with ``n`` filled in for each ``data`` key igbib counts."""
    text = resources.files("igbib").joinpath("data/prisma2020.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    data, n = header.index("data"), header.index("n")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows[1:]:
        key = row[data]
        if key in values:
            row[n] = str(values[key])
        writer.writerow(row)
    return out.getvalue()


#: The order ``igbib prisma`` prints the counts in, with their names in the diagram.
SHOWN = (
    ("previous_studies", "Studies included in the previous version (the list before)"),
    ("database_results", "Records identified from databases (watches, files)"),
    ("database_specific_results", "  by source"),
    ("citations_results", "Records identified from citation searching (related, suggest)"),
    ("duplicates", "Duplicate records removed"),
    ("records_screened", "Records screened"),
    ("records_excluded", "Records excluded"),
    ("dbr_sought_reports", "Reports sought for retrieval"),
    ("dbr_notretrieved_reports", "Reports not retrieved"),
    ("dbr_assessed", "Reports assessed for eligibility"),
    ("dbr_excluded", "Reports excluded, with reasons"),
    ("other_sought_reports", "Reports sought (other methods)"),
    ("other_notretrieved_reports", "Reports not retrieved (other methods)"),
    ("other_assessed", "Reports assessed (other methods)"),
    ("other_excluded", "Reports excluded (other methods), with reasons"),
    ("new_studies", "New studies included"),
    ("total_studies", "Total studies included"),
)
