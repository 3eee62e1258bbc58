"""Benchmark inputs: BibTeX files of 1k, 10k and 100k real records.

The source is a real lab bibliography (``cdl.bib``, 6,315 entries; see
``../shared/bench-data/SOURCES.md``). A file of N entries takes whole entries,
cut at ``^@`` boundaries; beyond 6,315 the records repeat, each copy with its own
key and its own DOI, so every one is a distinct paper to igbib (the same title
with a different DOI is never merged).
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
from pathlib import Path

DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "shared" / "bench-data" / "cdl.bib"
SOURCE = Path(os.environ.get("IGBIB_BENCH_BIB", DEFAULT_SOURCE))
_HEAD = re.compile(r"^@(\w+)\{([^,]*),", re.M)


def entries(text: str) -> list[str]:
    starts = [m.start() for m in re.finditer(r"^@", text, re.M)]
    starts.append(len(text))
    spans = zip(starts, starts[1:], strict=False)
    return [text[a:b] for a, b in spans if not text[a:b].startswith("@comment")]


def build(n: int, out_dir: Path) -> Path:
    """A .bib of ``n`` entries in ``out_dir`` (made once, then reused)."""
    out = out_dir / f"bench-{n}.bib"
    if out.exists():
        return out
    records = entries(SOURCE.read_text(encoding="utf-8"))
    parts = []
    for i in range(n):
        copy, record = divmod(i, len(records))
        entry = records[record]
        if n > len(records):
            entry = _HEAD.sub(
                lambda m, c=copy, r=record: (
                    f"@{m.group(1)}{{{m.group(2)}_{c},\n\tDoi = {{10.5555/igbib-bench.{c}.{r}}},"
                ),
                entry,
                count=1,
            )
        parts.append(entry)
    out_dir.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(parts), encoding="utf-8")
    return out


def cpu_model(default: str = "") -> str:
    """The CPU's model name (Linux), for the machine line of the results; else ``default``."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return default


def machine() -> str:
    """The machine line of a benchmark report: CPU, cores, system and Python."""
    cpu = cpu_model() or platform.machine()
    return (
        f"{cpu}, {os.cpu_count()} cores; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def code_version() -> str:
    """igbib's version and the commit of the checkout it is imported from, if any."""
    import igbib
    from igbib import __version__

    found = subprocess.run(
        ["git", "describe", "--always", "--dirty"],
        cwd=Path(igbib.__file__).parent,
        capture_output=True,
        text=True,
    )
    commit = found.stdout.strip() if found.returncode == 0 else ""
    return f"igbib {__version__}" + (f" ({commit})" if commit else "")


def replace_section(report: Path, heading: str, lines: list[str]) -> None:
    """Write ``lines`` as the section of ``report`` (docs/benchmarks.md) that starts with
    ``heading`` ("\n## ..."): the old section goes, the new one is put at the end."""
    text = report.read_text() if report.exists() else "# Benchmarks\n"
    if heading in text:
        before, after = text.split(heading, 1)
        rest = after.split("\n## ", 1)
        text = before + ("\n## " + rest[1] if len(rest) > 1 else "")
    report.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines))
    print(f"wrote {report}")
