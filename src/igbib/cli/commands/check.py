"""``igbib check [FILE...]``: a lint of a list or of the library, for people and for CI."""

from __future__ import annotations

import sys

from igbib.cli import output
from igbib.cli.spec import DB, JSON, Argument, Command, Option

FORMATS = ("text", "json", "github")


def _formats() -> tuple[str, ...]:
    return FORMATS


def _code(text: str) -> None:
    from igbib.errors import IgbibError
    from igbib.ops.check import check_codes

    try:
        check_codes(_split(text))
    except ValueError as exc:
        raise IgbibError(str(exc)) from None


def _split(text: str) -> list[str]:
    """``et-al,no-journal`` or ``et-al no-journal``: codes, as the config file lists them."""
    return text.replace(",", " ").split()


def _codes() -> tuple[str, ...]:
    from igbib.ops.check import CODES

    return tuple(CODES)


COMMAND = Command(
    "check",
    """Check a list (or the library) for defects: errors, then warnings, each with a fix.

    Errors: a shared identifier, duplicates, a bad year or identifier, no title, a
    dataset listed twice, an empty link. Warnings: likely duplicates, no identifier,
    journal or year, authors cut to "et al.", a title mismatch. Exits 1 when there
    is an error (with --strict, any finding). With FILE, checks that file's content.
    """,
    (
        Argument(
            "files",
            "Lists or bibliography files to check (default: the library).",
            metavar="FILE",
            many=True,
            required=False,
            complete="files",
        ),
        Option(("--strict",), "strict", "Fail on warnings too.", kind=bool),
        Option(
            ("--ignore",),
            "ignore",
            "Do not report this code (repeatable, or a comma-separated list).",
            metavar="CODE",
            multiple=True,
            check=_code,
            suggest=_codes,
        ),
        Option(
            ("--format",),
            "fmt",
            "text (default), json, or github (GitHub Actions annotations).",
            metavar="FORMAT",
            choices=_formats,
        ),
        Option(
            ("--fuzzy-threshold",),
            "threshold",
            "Similarity (50-100) from which two titles are likely one paper (default 90).",
            kind=int,
            metavar="N",
            minimum=50,
            maximum=100,
        ),
        Option(
            ("--fix",),
            "fix",
            "Apply the fixes that lose nothing (library only; undo with igbib undo).",
            kind=bool,
        ),
        JSON,
        DB,
    ),
    example="igbib check --format github README.md",
)


def run(
    files=(), strict=False, ignore=(), fmt=None, threshold=None, fix=False, as_json=False, db=None
):
    from igbib.cli.common import open_library
    from igbib.errors import UsageError
    from igbib.ops import check as lint

    if as_json and fmt not in (None, "json"):
        raise UsageError(f"--json and --format {fmt} ask for two outputs: give one")
    fmt = "json" if as_json else (fmt or "text")
    ignore = [code for text in ignore for code in _split(text)]
    if fix and files:
        raise UsageError("--fix changes the library; it cannot fix a FILE (edit the file)")
    options = _settings(list(ignore), threshold)
    options["strict"] = strict
    if files:
        found = []
        for file in files:
            found.extend(lint.check_file(file, **options).findings)
        report = lint.CheckReport(found, strict=strict)
        report.in_file = True
        where = ", ".join(map(str, files))
    elif fix:
        with open_library(db, write=True) as library:
            first = lint.check_library(library, **options)
            done = lint.fix(library, first)
            report = lint.check_library(library, **options) if done else first
            report.fixed = done
            where = library.path
    else:
        with open_library(db) as library:
            report = lint.check_library(library, **options)
            where = library.path
    if fmt == "json":
        output.print_json(report.to_dict())
    elif fmt == "github":
        for line in github_annotations(report):
            sys.stdout.write(line + "\n")
        _summary(report, where, sys.stderr)
    else:
        print_report(report, where)
    return report


def _settings(ignore: list[str], threshold: int | None) -> dict:
    """The ``[check]`` section of the config file, overridden by the command line."""
    from igbib.config import config_path, load_check_config
    from igbib.errors import UsageError
    from igbib.ops.check import check_codes
    from igbib.ops.duplicates import THRESHOLD

    config = load_check_config()
    try:
        ignored = check_codes(config.get("ignore", "").replace(",", " ").split())
    except ValueError as exc:
        raise UsageError(f"{config_path()}: [check] ignore: {exc}") from None
    if threshold is None:
        text = config.get("fuzzy_threshold", str(THRESHOLD)).strip()
        if not text.isdigit() or not 50 <= int(text) <= 100:
            raise UsageError(
                f"{config_path()}: [check] fuzzy_threshold must be a whole number from 50 to"
                f" 100, not {text!r}"
            )
        threshold = int(text)
    return {"ignore": [*ignored, *ignore], "threshold": threshold}


# -- GitHub Actions workflow commands ------------------------------------------------------


def escape_data(text: str) -> str:
    """A message as GitHub's toolkit escapes it (``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file, title) as GitHub's toolkit escapes it (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(report) -> list[str]:
    """One ``::error`` or ``::warning`` command per finding, at its file and line when known."""
    lines = []
    for finding in report.findings:
        properties = []
        if finding.file and finding.line:
            properties.append(f"file={escape_property(finding.file)}")
            properties.append(f"line={finding.line}")
        properties.append(f"title={escape_property(finding.code)}")
        named = "; ".join(_named(p, not report.in_file) for p in finding.papers)
        message = _message(finding) + (f" ({named})" if named else "")
        message += f". Fix: {finding.fix}" if finding.fix else ""
        lines.append(f"::{finding.severity} {','.join(properties)}::{escape_data(message)}")
    return lines


def _message(finding) -> str:
    return f"{finding.keys}: {finding.message}" if finding.papers else finding.message


def _named(paper: dict, with_id: bool) -> str:
    """A paper as a finding names it: ``id 8, Hu 2016, "Title..."`` (a file's papers have
    no id in a library: their line says where they are)."""
    title = paper.get("title") or "(no title)"
    title = title if len(title) <= 70 else title[:69] + "…"
    who = " ".join(str(x) for x in (paper.get("first_author"), paper.get("year")) if x)
    parts = [f"id {paper['id']}"] if with_id and paper.get("id") is not None else []
    return ", ".join([*parts, *([who] if who else []), f'"{title}"'])


# -- for people -----------------------------------------------------------------------------


def print_report(report, where: str) -> None:
    from igbib.cli.reports import _Writer

    out = _Writer()
    if report.fixed:
        out.line(out(f"Fixed ({len(report.fixed)})", "bold green"))
        for change in report.fixed:
            out.line(f"  {change}")
        out.line("")
    for title, findings, style in (
        ("Errors", report.errors, "bold red"),
        ("Warnings", report.warnings, "bold yellow"),
    ):
        if not findings:
            continue
        out.line(out(f"{title} ({len(findings)})", style))
        for finding in findings:
            at = f"line {finding.line}" if finding.line else "-"
            if finding.file and len({f.file for f in report.findings}) > 1:
                at = f"{finding.file}:{finding.line}" if finding.line else finding.file
            out.line(f"  {at:<9} ", out(finding.code, style.split()[-1]), f"  {_message(finding)}")
            for paper in finding.papers:
                out.line(out(f"            {_named(paper, not report.in_file)}", "dim"))
            if finding.fix:
                out.line(out(f"            fix: {finding.fix}", "dim"))
        out.line("")
    _summary(report, where, sys.stdout)


def _summary(report, where: str, stream) -> None:
    counts = report.counts()
    errors, warnings = counts["errors"], counts["warnings"]
    text = (
        f"igbib check: {errors} error{'s' * (errors != 1)}, "
        f"{warnings} warning{'s' * (warnings != 1)} in {where}"
    )
    if counts["by_code"]:
        text += " (" + ", ".join(f"{code} {n}" for code, n in counts["by_code"].items()) + ")"
    if report.fixed:
        text += f"; {len(report.fixed)} fixed, the rest is for a person to decide"
    else:
        fixable = sum(f.fixable for f in report.findings)
        if fixable and not report.in_file:
            text += f"; igbib check --fix fixes {fixable} of them without losing anything"
    stream.write(text + "\n")
