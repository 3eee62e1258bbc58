"""Terminal output for the command line: rich tables for people, plain text for pipes.

rich is imported only when something is drawn on a terminal, so piped and
``--json`` output stays fast. The library never imports this module.
"""

from __future__ import annotations

import itertools
import os
import sys

#: Beyond this many rows a rich table takes seconds to lay out; plain lines are printed instead.
MAX_TABLE_ROWS = 2000


def is_terminal(stream=None) -> bool:
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


def colour(stream=None) -> bool:
    """Whether to colour ``stream``: a terminal, and no ``NO_COLOR`` (https://no-color.org)."""
    return is_terminal(stream) and not os.environ.get("NO_COLOR")


def error(message: str) -> None:
    """One ``error: ...`` line on stderr."""
    prefix = "\x1b[1;31merror:\x1b[0m" if colour(sys.stderr) else "error:"
    sys.stderr.write(f"{prefix} {message}\n")


def note(message: str) -> None:
    """A line for people on stderr (what was written, why nothing was found)."""
    sys.stderr.write(f"{message}\n")


def progress(enabled: bool):
    """``(bar, update)``: a progress bar on a terminal (stderr), or ``(None, None)`` when piped."""
    if not enabled or not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("contacting the services", total=None)
    bar.start()

    def update(message: str, done: int, total: int) -> None:
        bar.update(task, description=message, completed=done, total=total)

    return bar, update


def print_json(value, stream=None) -> None:
    import json

    stream = stream or sys.stdout
    stream.write(json.dumps(value, ensure_ascii=False, indent=2))
    stream.write("\n")


def print_json_list(items, stream=None) -> int:
    """A JSON array written item by item, as :func:`print_json` would write the list.

    The items are dumped as they come, so a listing of any size takes the memory
    of one item. Returns how many there were.
    """
    import json

    stream = stream or sys.stdout
    count = 0
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        stream.write(("[\n  " if count == 0 else ",\n  ") + text)
        count += 1
    stream.write("\n]\n" if count else "[]\n")
    return count


def print_papers(rows, stream=None, *, limit=None, total=None) -> int:
    """Papers, one a row: a rich table on a terminal, tab-separated lines otherwise.

    ``rows`` have ``id, first_author, year, title, journal, flagged`` (a search's
    listing rows); in a pipe they are written as they come. ``total``: a function
    giving how many papers match, called on a terminal when ``limit`` rows were shown.
    Returns how many rows there were.
    """
    stream = stream or sys.stdout
    if not is_terminal(stream):
        return _print_lines(rows, stream)
    rows = iter(rows)
    first = list(itertools.islice(rows, MAX_TABLE_ROWS + 1))
    if len(first) > MAX_TABLE_ROWS:  # too long for a table: plain lines
        return _print_lines(itertools.chain(first, rows), stream)
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False, show_lines=False)
    table.add_column("id", justify="right", style="dim", no_wrap=True)
    table.add_column("author", no_wrap=True, overflow="ellipsis", max_width=18)
    table.add_column("year", no_wrap=True)
    table.add_column("title", overflow="fold", ratio=3)
    table.add_column("journal", overflow="ellipsis", no_wrap=True, max_width=28, style="italic")
    for p in first:
        year = str(p.year) if p.year else "[red]?[/red]"
        title = _escape(p.title or "(no title)")
        if p.flagged:
            title += " [yellow]⚑[/yellow]"
        table.add_row(str(p.id), _escape(p.first_author), year, title, _escape(p.journal or ""))
    if first:
        console.print(table)
    matching = total() if total is not None and limit is not None and len(first) == limit else None
    if matching is not None and matching > len(first):
        console.print(f"[dim]{len(first)} of {matching} shown; use --limit to see more[/dim]")
    return len(first)


def _print_lines(rows, stream) -> int:
    count = 0
    for p in rows:
        fields = (str(p.id), p.first_author, str(p.year or ""), p.title or "", p.journal or "")
        stream.write("\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields))
        stream.write("\n")
        count += 1
    return count


def print_paper(paper, stream=None, aliases=(), extra=()) -> None:
    """Every field of one paper (``aliases``: its former citation keys; ``extra``: more
    ``(label, value)`` rows, before its abstract)."""
    stream = stream or sys.stdout
    rows = _paper_rows(paper)
    if aliases:
        rows.insert(2, ("aliases", ", ".join(aliases)))
    if extra:
        at = next(i for i, (key, _) in enumerate(rows) if key in ("abstract", "source"))
        rows[at:at] = list(extra)
    if not is_terminal(stream):
        width = max(len(k) for k, _ in rows)
        for key, value in rows:
            stream.write(f"{key.ljust(width)}  {value}\n")
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream)
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column(overflow="fold")
    for key, value in rows:
        table.add_row(key, _escape(value))
    console.print(table)


def _paper_rows(p) -> list[tuple[str, str]]:
    from igbib import ids

    rows: list[tuple[str, str]] = [("id", str(p.id)), ("citekey", p.citekey or "")]
    rows.append(("type", p.entry_type))
    rows.append(("title", p.title or ""))
    if p.authors:
        from igbib.model import author_full

        names = "; ".join(author_full(a) for a in p.authors)
        rows.append(("authors", names + ("; et al." if p.et_al else "")))
    for name in ("journal", "year", "month", "volume", "issue", "pages", "publisher", "language"):
        value = getattr(p, name)
        if value not in (None, ""):
            rows.append((name, str(value)))
    links = {
        "pmid": ids.pubmed_url,
        "doi": ids.doi_url,
        "pmcid": ids.pmc_url,
        "arxiv": ids.arxiv_url,
    }
    for name, url in links.items():
        value = getattr(p, name)
        if value:
            rows.append((name, f"{value}  {url(value)}"))
    if p.url:
        rows.append(("url", p.url))
    listed = p.listed or {}
    if listed.get("link") and not p.url:
        rows.append(("listed link", listed["link"]))
    for link in listed.get("links") or ():  # the list's other links: code, data, a project
        rows.append(("link", f"{link['label']}  {link['url']}"))
    if listed.get("name"):
        rows.append(("listed as", listed["name"]))
    for name in ("keywords", "mesh", "pub_types"):
        if getattr(p, name):
            rows.append((name, "; ".join(getattr(p, name))))
    if p.sections:
        rows.append(
            ("sections", "; ".join(f"{s['section']} (#{s['position']})" for s in p.sections))
        )
    if p.tags:
        rows.append(("tags", ", ".join(p.tags)))
    if p.auto_tags:  # the topic rules' (igbib tag --auto), apart from the curator's
        rows.append(("auto tags", ", ".join(p.auto_tags)))
    for flag in p.flags:
        rows.append(("flag", f"{flag['code']}: {flag['reason']}"))
    if p.note:
        rows.append(("note", p.note))
    for key, value in sorted(p.extra.items()):
        rows.append((key, str(value)))
    if p.abstract:
        rows.append(("abstract", p.abstract))
    rows.append(("source", p.source or ""))
    rows.append(("added", p.added or ""))
    rows.append(("updated", p.updated or ""))
    return rows


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
