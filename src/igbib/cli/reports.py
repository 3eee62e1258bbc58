"""Reports of what a command did: the import summary, one row per requested id, PubMed results.

On a terminal they are rich tables; piped, plain text (one tab-separated line a
row, for scripts), written without importing rich.
"""

from __future__ import annotations

import sys

from igbib.cli import output

DETAIL_ROWS = 25  # report rows shown per kind before "... and N more"


class _Writer:
    """Lines of styled pieces: rich markup on a terminal, plain text otherwise (no rich import)."""

    def __init__(self):
        self.rich = output.is_terminal()
        if self.rich:
            from rich.console import Console

            self.console = Console(highlight=False, soft_wrap=True)

    def __call__(self, text: str, style: str = "") -> str:
        if not self.rich:
            return text
        from rich.markup import escape

        return f"[{style}]{escape(text)}[/]" if style else escape(text)

    def line(self, *pieces: str) -> None:
        if self.rich:
            self.console.print("".join(pieces))
        else:
            sys.stdout.write("".join(pieces) + "\n")


def print_import_report(report, where: str, explain: bool = False) -> None:
    say = _Writer()
    verb = "Would import" if report.dry_run else "Imported"
    say.line(f"{verb} ", say(report.file, "bold"), f" ({report.format}) into ", say(where))
    rows = [
        (len(report.added), "added"),
        (len(report.updated), "updated"),
        (len(report.unchanged), "unchanged"),
        (len(report.merged), "merged duplicates (listed more than once)"),
        (len(report.conflicts), "identifier conflicts (kept apart, flagged)"),
        (len(report.skipped), "skipped (empty placeholders)"),
        (len(report.failed), "failed (could not be read)"),
        (len(report.flagged), "flagged"),
    ]
    if report.format == "markdown":
        for kind, number in report.not_paper_counts().items():
            rows.append((number, f"not papers: {kind}"))
        rows.append((len(report.unreadable), "unreadable (items with a link igbib cannot read)"))
        rows.append((len(report.sections), "sections"))
        rows.append((report.datasets, "datasets"))
    if report.unlisted:
        rows.append((len(report.unlisted), "no longer listed (kept in the library)"))
    if report.sync:
        rows.append((len(report.removed_sections), "sections removed (no longer in the list)"))
    if report.prune:
        rows.append((len(report.pruned), "removed from the library (listed nowhere)"))
    width = max(len(str(number)) for number, _ in rows)
    for number, label in rows:
        say.line(say(str(number).rjust(width), "bold"), "  ", say(label))

    def details(title: str, rows: list[tuple[str, str]], style: str) -> None:
        if not rows:
            return
        say.line()
        say.line(say(title, f"bold {style}"))
        for where_, text in rows[:DETAIL_ROWS]:
            if where_:
                say.line("  ", say(where_, "dim"), "  ", say(text))
            else:
                say.line("  ", say(text))
        if len(rows) > DETAIL_ROWS:
            say.line(f"  … and {len(rows) - DETAIL_ROWS} more (--json lists them all)")

    def line(n: int) -> str:
        return f"line {n}" if n else ""

    details("Failed", [(line(r.line), r.detail) for r in report.failed], "red")
    details(
        "Unreadable", [(line(r.line), f"{r.detail}: {r.title}") for r in report.unreadable], "red"
    )
    if explain:
        say.line()
        say.line(say("Not papers", "bold"))
        for r in report.not_papers:
            say.line("  ", say(line(r.line), "dim"), "  ", say(f"{r.kind}: {r.detail}"))
            if r.title:
                say.line("      ", say(r.title, "dim"))
    elif report.not_papers:
        say.line()
        say.line(say("--explain lists the items that are not papers, with the reasons.", "dim"))
    details(
        "Identifier conflicts",
        [(line(c.line), f"{c.citekey}: {c.detail}") for c in report.conflicts],
        "yellow",
    )
    details(
        "Flagged", [(line(c.line), f"{c.citekey}: {c.detail}") for c in report.flagged], "yellow"
    )
    details(
        "Updated",
        [(line(c.line), f"{c.citekey}: {', '.join(c.fields)}") for c in report.updated],
        "cyan",
    )
    details("Merged", [(line(c.line), f"{c.citekey}: {c.detail}") for c in report.merged], "cyan")
    details("Keys", [(line(c.line), c.detail) for c in report.renamed_keys], "cyan")
    details("Datasets", [("", note) for note in report.dataset_notes], "cyan")
    details("No longer listed", [("", f"{c.citekey}: {c.title}") for c in report.unlisted], "cyan")
    details("Sections removed", [("", name) for name in report.removed_sections], "cyan")
    details("Removed", [("", f"{c.citekey}: {c.title}") for c in report.pruned], "cyan")
    if report.skipped:
        lines = ", ".join(str(r.line) for r in report.skipped[:DETAIL_ROWS])
        say.line()
        say.line(say(f"Skipped placeholders at lines {lines}", "dim"))
    if report.dry_run:
        say.line()
        say.line(say("Dry run:", "bold"), " nothing was written.")


def print_rows(report, title: str) -> None:
    summary = ", ".join(f"{n} {status}" for status, n in report.counts().items())
    requests = f"; {report.requests} requests" if report.requests else ""
    dry = " (dry run: nothing was written)" if report.dry_run else ""
    if not output.is_terminal():  # one tab-separated line a row, for scripts
        for row in report.rows:
            text = row.title if row.status in _TITLED else row.detail
            if row.status in _TITLED and row.detail:
                text = f"{row.title} ({row.detail})"
            print("\t".join((row.ref, row.status, row.citekey, " ".join(text.split()))))
        print(f"{title}: {summary}{requests}{dry}")
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    table = Table(title=None, show_lines=False, pad_edge=False)
    table.add_column("requested", no_wrap=True)
    table.add_column("result", no_wrap=True)
    table.add_column("citekey", no_wrap=True)
    table.add_column("title / reason", overflow="fold")
    styles = {
        "added": "green",
        "updated": "cyan",
        "attached": "cyan",
        "not found": "red",
        "failed": "red",
        "invalid": "red",
        "wrong link?": "yellow",
        "candidates": "yellow",
    }
    for row in report.rows:
        style = styles.get(row.status, "")
        status = f"[{style}]{row.status}[/]" if style else row.status
        if row.status in _TITLED:
            text = escape(row.title)
            if row.detail:
                text += f" [dim]({escape(row.detail)})[/dim]"
        else:
            text = escape(row.detail)
        table.add_row(escape(row.ref), status, row.citekey, text)
    console.print(table)
    console.print(f"{title}: {summary}{requests}{dry}")


_TITLED = ("added", "already present", "updated", "unchanged", "complete")


def print_candidates(query: str, total: int, found, excluded=frozenset()) -> None:
    """PubMed's results, each marked in the library, excluded (in screening) or new."""

    def mark(paper, known) -> str:
        if known:
            return "in library"
        return "excluded" if paper.pmid in excluded else "new"

    new = sum(1 for paper, known in found if mark(paper, known) == "new")
    footer = f"PubMed: {total} papers match {query!r}; {len(found)} shown, {new} new."
    if not output.is_terminal():
        for paper, known in found:
            fields = (
                paper.pmid or "",
                mark(paper, known),
                paper.first_author,
                str(paper.year or ""),
                paper.title or "",
                paper.journal or "",
            )
            print("\t".join(" ".join(f.split()) for f in fields))
        print(footer)
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    table = Table(pad_edge=False)
    table.add_column("PMID", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("author", no_wrap=True, max_width=18, overflow="ellipsis")
    table.add_column("year", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("journal", max_width=28, overflow="ellipsis", no_wrap=True)
    styles = {"in library": "[dim]in library[/]", "excluded": "[red]excluded[/]"}
    for paper, known in found:
        table.add_row(
            paper.pmid or "",
            styles.get(mark(paper, known), "[green]new[/]"),
            escape(paper.first_author),
            str(paper.year or ""),
            escape(paper.title or ""),
            escape(paper.journal or ""),
        )
    console.print(table)
    console.print(footer)
