"""Checking a list or a library: every defect a curator should fix, each with a fix.

``igbib check`` is a lint a list's CI can run. :func:`check_library` reads the
library in one pass (:meth:`~igbib.store.checks.Checks.check_rows`) and groups
what it read in memory, so it costs one scan plus the fuzzy comparison of
candidate pairs (:mod:`igbib.ops.duplicates`), never all pairs of papers.
:func:`check_file` imports a file into an in-memory library, as ``import
--dry-run`` does, and checks that, with the file's own lines.

Each :class:`Finding` has a stable code (:data:`CODES`), a severity, the
papers it names, the line of the list where known and one line saying how to
fix it. :func:`fix` applies the findings that can be fixed without losing
anything (:attr:`Finding.fixable`), in one transaction recorded in the history.
"""

from __future__ import annotations

import json

from igbib.ids import KINDS, LABELS, normalize
from igbib.model import author_family, fold, titles_match
from igbib.normalize import plausible_years
from igbib.ops import duplicates
from igbib.ops.match import first_family

ERROR = "error"
WARNING = "warning"

#: Every code, with its severity and what it means (the README's table says the same).
CODES = {
    "shared-id": (ERROR, "two papers share an identifier but not a title: one link is wrong"),
    "duplicate": (ERROR, "a paper given twice (same identifier, or same title, year and author)"),
    "bad-year": (
        ERROR,
        "a year that is not one, or outside {}..{}".format(*plausible_years()),
    ),
    "bad-identifier": (ERROR, "a PMID, PMCID, DOI or arXiv id that is not valid"),
    "no-title": (ERROR, "an entry with no title"),
    "duplicate-dataset": (ERROR, "a dataset listed more than once"),
    "empty-link": (ERROR, "a link with no address, as in [title]()"),
    "unreadable": (ERROR, "an entry of the file that could not be read"),
    "likely-duplicate": (WARNING, "titles nearly equal (case, punctuation, accents, a typo)"),
    "no-identifier": (WARNING, "no PMID, PMCID, DOI or arXiv id"),
    "no-journal": (WARNING, "no journal"),
    "no-year": (WARNING, "no year"),
    "et-al": (WARNING, 'authors cut to "et al." that igbib refresh can complete'),
    "title-mismatch": (WARNING, "igbib refresh found that the identifier names another title"),
    "whitespace": (WARNING, "a title or journal with stray spaces or line breaks (--fix)"),
    "noncanonical-id": (WARNING, "an identifier not in its normal form (--fix)"),
}
#: Codes ``--fix`` can fix without losing anything.
FIXABLE = frozenset({"duplicate-dataset", "whitespace", "noncanonical-id"})
_TEXT_FIELDS = ("title", "journal")


def check_codes(codes) -> list[str]:
    """``codes`` if each is one of :data:`CODES`; else a ValueError naming the valid ones."""
    codes = [c.strip() for c in codes if c.strip()]
    unknown = [c for c in codes if c not in CODES]
    if unknown:
        raise ValueError(f"unknown check code {unknown[0]!r}; the codes are {', '.join(CODES)}")
    return codes


class Finding:
    """One defect: its code, severity, message, the papers it names and where."""

    __slots__ = ("code", "severity", "message", "papers", "line", "file", "fix", "target")

    def __init__(self, code, message, papers=(), *, line=None, fix="", target=None):
        self.code = code
        self.severity = CODES[code][0]
        self.message = message
        self.papers = list(papers)
        self.line = line
        self.file: str | None = None
        self.fix = fix
        #: what :func:`fix` changes, for a fixable finding
        self.target = target

    @property
    def fixable(self) -> bool:
        return self.code in FIXABLE and self.target is not None

    @property
    def keys(self) -> str:
        return ", ".join(p["citekey"] or f"id {p['id']}" for p in self.papers)

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "papers": self.papers,
            "fix": self.fix,
            "fixable": self.fixable,
        }


class CheckReport:
    """What a check found, in order: errors first, then warnings, each by line."""

    def __init__(self, findings: list[Finding], strict: bool = False):
        rank = {ERROR: 0, WARNING: 1}
        self.findings = sorted(
            findings,
            key=lambda f: (rank[f.severity], f.file or "", f.line is None, f.line or 0, f.code),
        )
        self.strict = strict
        #: what ``--fix`` changed, one line each
        self.fixed: list[str] = []
        #: the findings are of a file's content (a fix is an edit of the file)
        self.in_file = False

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def problems(self) -> bool:
        """Whether the check fails (exit 1): an error, or with ``strict`` any finding."""
        return bool(self.errors or (self.strict and self.findings))

    def counts(self) -> dict:
        by_code: dict[str, int] = {}
        for finding in self.findings:
            by_code[finding.code] = by_code.get(finding.code, 0) + 1
        return {
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "by_code": dict(sorted(by_code.items())),
        }

    def to_dict(self) -> dict:
        return {
            "findings": [f.to_dict() for f in self.findings],
            "counts": self.counts(),
            "fixed": self.fixed,
        }


class _Paper:
    """What the check keeps of a paper after reading its row."""

    __slots__ = ("id", "citekey", "title", "key", "authors", "year", "line", "ids", "_family")

    def __init__(self, row):
        self.id, self.citekey, self.title, self.key, self.authors = row[:5]
        self.year = row[7]
        self.line = row[16]
        self.ids: dict[str, str] = {}
        self._family: str | None = None

    def _authors(self) -> list:
        if isinstance(self.authors, str):
            self.authors = json.loads(self.authors) if self.authors != "[]" else []
        return self.authors or []

    @property
    def family(self) -> str:
        if self._family is None:
            self._family = first_family(self._authors())
        return self._family

    def ref(self) -> dict:
        authors = self._authors()
        return {
            "id": self.id,
            "citekey": self.citekey,
            "first_author": author_family(authors[0]) if authors else "",
            "year": self.year,
            "title": self.title,
            "line": self.line,
        }


def check_library(
    library,
    *,
    ignore=(),
    threshold: int = duplicates.THRESHOLD,
    file: str | None = None,
    in_file: bool = False,
    lines: dict[int, int] | None = None,
    dataset_lines: list[int] | None = None,
    strict: bool = False,
    more: list[Finding] | None = None,
) -> CheckReport:
    """Check every paper and dataset of ``library``.

    ``file``: the list the lines are of (default: the list the library was imported
    from); ``in_file``: the library holds one file's content, so fixes are said as
    edits of it; ``dataset_lines``: the line of each dataset, in order; ``more``:
    findings found otherwise (entries of the file given twice, unreadable ones).
    """
    ignored = frozenset(ignore)
    found: list[Finding] = list(more or [])
    papers: dict[int, _Paper] = {}
    by_identifier: dict[tuple[str, str], list[int]] = {}
    first_year, next_year = plausible_years()
    for row in library.check_rows():
        paper = _Paper(row)
        if paper.line is None and lines:
            paper.line = lines.get(paper.id)
        papers[paper.id] = paper
        found.extend(_paper_findings(paper, row, (first_year, next_year), in_file))
        for kind, value in paper.ids.items():
            by_identifier.setdefault((kind, value), []).append(paper.id)
    found.extend(_identifier_groups(papers, by_identifier, in_file))
    found.extend(_title_groups(papers, found, threshold, in_file))
    found.extend(_dataset_findings(library.datasets(), dataset_lines, in_file))
    where = file if file is not None else library.get_meta("list_source")
    kept = [f for f in found if f.code not in ignored]
    for finding in kept:
        finding.file = where
    report = CheckReport(kept, strict=strict)
    report.in_file = in_file
    return report


def check_file(path, fmt=None, **options) -> CheckReport:
    """Check the content of a list or bibliography file, with its lines.

    The file is imported into a library in memory, as ``igbib import --dry-run``
    does: the same papers, merged and flagged the same way.
    """
    from igbib.importers import parse_file
    from igbib.ops.ingest import import_parsed
    from igbib.ops.reports import FAILED, MERGED, STORED, UNREADABLE
    from igbib.store import Library

    parsed = parse_file(path, fmt)
    with Library.in_memory() as library:
        report = import_parsed(library, parsed, name=str(path))
        first: dict[int, int] = {}
        for row in report.rows:
            if row.status in STORED and row.status != MERGED and row.paper_id is not None:
                first.setdefault(row.paper_id, row.line)
        section_at = {entry.line: entry.section for entry in parsed.entries}
        more = []
        for row in report.rows:
            was = first.get(row.paper_id)
            if row.status == MERGED and section_at.get(row.line) != section_at.get(was):
                continue  # listed in another section too: a cross-reference, not a repeat
            if row.status == MERGED and row.paper_id is not None:
                paper = library.get(row.paper_id)
                ref = _ref_of(paper, was)
                more.append(
                    Finding(
                        "duplicate",
                        f"the entry is given again (first at line {was})"
                        if was
                        else "the entry is given twice",
                        [ref],
                        line=row.line,
                        fix=f"delete line {row.line} (the same paper as line {was})"
                        if was
                        else f"delete one of the entries of {paper.citekey}",
                    )
                )
            elif row.status in (FAILED, UNREADABLE):
                more.append(
                    Finding(
                        "unreadable",
                        f"the entry cannot be read: {row.detail}",
                        line=row.line,
                        fix=f"correct the entry at line {row.line}",
                    )
                )
        # the file's own dataset headings: importing merges the repeated ones
        lines = [d.get("lineno") for d in parsed.datasets]
        more.extend(_dataset_findings(parsed.datasets, lines, True))
        return check_library(
            library,
            file=str(path),
            in_file=True,
            lines=first,
            more=more,
            **options,
        )


def _ref_of(paper, line) -> dict:
    return {
        "id": paper.id,
        "citekey": paper.citekey,
        "first_author": paper.first_author,
        "year": paper.year,
        "title": paper.title,
        "line": line,
    }


# -- one paper at a time -------------------------------------------------------------


def _flag_codes(flags_json: str) -> dict[str, str]:
    if not flags_json or flags_json == "[]":
        return {}
    return {f["code"]: f["reason"] for f in json.loads(flags_json)}


def _paper_findings(paper: _Paper, row, years: tuple[int, int], in_file: bool) -> list[Finding]:
    """The findings about ``paper`` alone; fills ``paper.ids`` (normal forms)."""
    out: list[Finding] = []
    key = paper.citekey
    (_, _, title, _, _, et_al, journal, year, *ids, url, listed, flags, extra, _) = row
    line = paper.line
    flags = _flag_codes(flags)
    extra = json.loads(extra) if extra and extra != "{}" else {}

    def add(code, message, fix, target=None):
        out.append(Finding(code, message, [paper.ref()], line=line, fix=fix, target=target))

    def where(what: str) -> str | None:
        return f"{what} at line {line}" if in_file and line else None

    if not title:
        add(
            "no-title",
            "the entry has no title",
            where("give the title") or f"igbib edit {key} title=…",
        )
    for field, value in (("title", title), ("journal", journal)):
        if value and value != " ".join(value.split()):
            add(
                "whitespace",
                f"the {field} has stray spaces or line breaks: {value!r}",
                where(f"trim the {field}") or "igbib check --fix trims it",
                target=("paper", paper.id, field, " ".join(value.split())),
            )
    if year is not None and not years[0] <= year <= years[1]:
        add(
            "bad-year",
            f"the year {year} is outside {years[0]}..{years[1]}",
            where("correct the year") or f"igbib edit {key} year=YYYY",
        )
    elif "bad-year" in flags:
        add(
            "bad-year",
            flags["bad-year"],
            where("correct the year") or f"igbib edit {key} year=YYYY",
        )
    elif year is None:
        add("no-year", "no year given", where("add the year") or f"igbib edit {key} year=YYYY")
    if not journal:
        add(
            "no-journal",
            "no journal given",
            where("add the journal") or f"igbib edit {key} journal=… (or igbib refresh {key})",
        )
    for kind, value in zip(KINDS, ids, strict=True):
        if not value:
            continue
        canonical = normalize(kind, value)
        if canonical is None:
            add(
                "bad-identifier",
                f"{value!r} is not a valid {LABELS[kind]}",
                where(f"correct the {LABELS[kind]}") or f"igbib edit {key} {kind}=…",
            )
            continue
        paper.ids[kind] = canonical
        if canonical != value:
            add(
                "noncanonical-id",
                f"{LABELS[kind]} {value!r} is stored as written, not as {canonical!r}",
                "igbib check --fix writes it in its normal form",
                target=("paper", paper.id, kind, canonical),
            )
    for kind in KINDS:
        if kind in extra:
            add(
                "bad-identifier",
                f"{extra[kind]!r} is not a valid {LABELS[kind]}",
                where(f"correct the {LABELS[kind]}") or f"igbib edit {key} {kind}=…",
            )
    if not paper.ids and not any(kind in extra for kind in KINDS):
        add(
            "no-identifier",
            "no PMID, PMCID, DOI or arXiv id" + (f" (its link: {url})" if url else ""),
            where("link the entry to PubMed, a DOI or arXiv")
            or f"igbib refresh {key} --accept, or igbib edit {key} doi=…",
        )
    if et_al and paper.ids:
        add(
            "et-al",
            'the authors are cut to "et al."',
            "igbib refresh, once imported" if in_file else f"igbib refresh {key} completes them",
        )
    if listed and '"link":""' in listed and _empty_link(json.loads(listed)):
        add(
            "empty-link",
            "the list gives an empty link, []()",
            where("give the link") or f"igbib edit {key} url=… (or its PMID or DOI)",
        )
    if "title-mismatch" in flags:
        add(
            "title-mismatch",
            flags["title-mismatch"],
            f"check the link of {key}; igbib edit {key} with the right identifier",
        )
    return out


def _empty_link(listed: dict) -> bool:
    """The list writes a link with no address (``[title]()``, ``href=""``), rather than
    giving no link at all (a table row whose title is plain text)."""
    if listed.get("link") != "":
        return False
    text = listed.get("text")
    return text is None or "]()" in text or 'href=""' in text or "href=''" in text


# -- papers together -------------------------------------------------------------------


def _identifier_groups(papers, by_identifier, in_file) -> list[Finding]:
    """shared-id and duplicate findings: one per set of papers sharing identifiers."""
    groups: dict[tuple[int, ...], list[str]] = {}
    for (kind, value), ids in by_identifier.items():
        if len(ids) > 1:
            groups.setdefault(tuple(ids), []).append(f"{LABELS[kind]} {value}")
    out = []
    for ids, labels in groups.items():
        members = [papers[i] for i in ids]
        first = members[0]
        same = all(titles_match(first.title, m.title) for m in members[1:])
        keys = [m.citekey for m in members]
        shared = " and ".join(labels)
        lines = [m.line for m in members if m.line]
        if same:
            out.append(
                Finding(
                    "duplicate",
                    f"{shared} and the title are given for {len(members)} entries",
                    [m.ref() for m in members],
                    line=lines[-1] if lines else None,
                    fix=_merge_fix(keys, lines, in_file),
                )
            )
        else:
            out.append(
                Finding(
                    "shared-id",
                    f"{shared} is given for {len(members)} papers of different titles:"
                    " at least one link is wrong",
                    [m.ref() for m in members],
                    line=lines[0] if lines else None,
                    fix=(
                        f"correct the wrong link (lines {', '.join(map(str, lines))})"
                        if in_file and lines
                        else f"igbib refresh {' OR '.join('key:' + k for k in keys)} tells"
                        " which link is wrong;"
                        f" then igbib edit KEY {labels[0].split()[0].lower()}=… (the right"
                        " identifier)"
                    ),
                )
            )
    return out


def _merge_fix(keys, lines, in_file) -> str:
    if in_file and len(lines) > 1:
        return f"delete one of lines {', '.join(map(str, lines))}"
    return f"igbib merge {' '.join(keys)}"


def _title_groups(papers, found, threshold, in_file) -> list[Finding]:
    """Exact duplicates by title, year and first author, then likely ones (fuzzy)."""
    reported = {
        frozenset(p["id"] for p in f.papers)
        for f in found
        if f.code in ("duplicate", "shared-id") and len(f.papers) > 1
    }
    keys: dict[str, int] = {}
    for paper in papers.values():
        if paper.key:
            keys[paper.key] = keys.get(paper.key, 0) + 1
    exact: dict[tuple, list[_Paper]] = {}
    for paper in papers.values():
        if paper.key and keys[paper.key] > 1:
            exact.setdefault((paper.key, paper.year, paper.family), []).append(paper)
    out = []
    grouped: dict[int, int] = {}
    for number, members in enumerate(exact.values()):
        if len(members) < 2:
            continue
        for m in members:
            grouped[m.id] = number
        if frozenset(m.id for m in members) in reported:
            continue
        lines = [m.line for m in members if m.line]
        out.append(
            Finding(
                "duplicate",
                f"the same title, year and first author are given for {len(members)} entries",
                [m.ref() for m in members],
                line=lines[-1] if lines else None,
                fix=_merge_fix([m.citekey for m in members], lines, in_file),
            )
        )
    items = [
        duplicates.Titled(p, p.title, p.key, p.year, p.family) for p in papers.values() if p.key
    ]
    for a, b, score in duplicates.likely_duplicates(items, threshold):
        one, two = a.ref, b.ref
        if one.id in grouped and grouped.get(two.id) == grouped[one.id]:
            continue
        if frozenset((one.id, two.id)) in reported:
            continue
        if one.ids and any(two.ids.get(k) == v for k, v in one.ids.items()):
            continue  # sharing an identifier: reported as duplicate or shared-id
        lines = [p.line for p in (one, two) if p.line]
        out.append(
            Finding(
                "likely-duplicate",
                f"titles {score:g}% alike: {one.citekey} and {two.citekey} may be one paper",
                [one.ref(), two.ref()],
                line=lines[-1] if lines else None,
                fix=(
                    f"if they are one paper, delete one of lines {', '.join(map(str, lines))}"
                    if in_file and len(lines) > 1
                    else f"if they are one paper, igbib merge {one.citekey} {two.citekey}"
                ),
            )
        )
    return out


def _dataset_findings(datasets, lines, in_file) -> list[Finding]:
    """One finding per dataset that repeats an earlier one: the same name, link and text,
    or (in the registry) one of its DOIs."""
    out = []
    first: dict[tuple, int] = {}
    for index, dataset in enumerate(datasets):
        line = lines[index] if lines else None
        key = (
            fold(" ".join((dataset.get("name") or "").split())),
            (dataset.get("url") or "").strip(),
            fold(" ".join((dataset.get("description") or "").split())),
        )
        dois = [("doi", doi) for doi in dataset.get("dois") or ()]
        seen = [first[k] for k in (key, *dois) if k in first]
        for k in (key, *dois):
            first.setdefault(k, index)
        if not seen:
            continue
        was = seen[0]
        at = f" (line {lines[was]})" if lines else ""
        name = dataset.get("name") or dataset.get("url") or "a dataset"
        out.append(
            Finding(
                "duplicate-dataset",
                f"the dataset {name!r} is listed again: the same as dataset {was + 1}{at}",
                line=line,
                fix=f"delete line {line}"
                if in_file and line
                else "igbib check --fix removes the repeat",
                target=("dataset", dataset.get("id"), datasets[was].get("id")),
            )
        )
    return out


# -- fixing ----------------------------------------------------------------------------


def fix(library, report: CheckReport) -> list[str]:
    """Apply the fixable findings of ``report`` in one transaction; return what changed.

    Only what loses nothing: a dataset that repeats an earlier one is removed, a
    title or journal has its stray whitespace trimmed, an identifier is written in
    its normal form. Nothing that chooses between two different values.
    """
    from igbib.ops.flags import refresh_flags

    done: list[str] = []
    fixable = [f for f in report.findings if f.fixable]
    if not fixable:
        return done
    library.change_id = None  # a change of its own, which igbib undo reverts whole
    with library.transaction():
        repeats = []
        touched: set[int] = set()
        for finding in fixable:
            target = finding.target
            if target[0] == "dataset":  # its papers are linked to the one it repeats
                library.move_links_to_dataset(target[1], target[2])
                repeats.append(target[1])
                done.append(f"removed a repeated dataset: {finding.message}")
            else:
                _, paper_id, field, value = target
                library.update_paper(paper_id, {field: value})
                touched.add(paper_id)
                done.append(f"{finding.keys}: {field} set to {value!r} ({finding.code})")
        library.remove_datasets(repeats)
        if touched:
            refresh_flags(library, touched)
    return done
