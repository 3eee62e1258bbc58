"""Benchmark: start-up time of every igbib command, as whole processes.

Each command line runs as its own process with its output to a pipe (not a
terminal), as scripts and editors run it. Every figure is set against baselines
measured in the same run, because these machines are noisy: ``python -c pass``
(the same interpreter igbib runs on) for every command, and bibtexparser's bare
``parse_file`` of the same 100 entries for ``igbib import``. All commands take
their turn in every round, so a slow spell of the machine hits them all alike;
the table gives the median and the minimum of ``--runs`` rounds after
``--warmup`` rounds.

igbib runs on a library of ``--papers`` papers (default 100,000) made by
``bench/data.py`` from the real lab bibliography and igbib's own import (cached
in ``--work``, keyed by the source and the size); the library is chosen by
``IGBIB_DB``. papis and pubs, the nearest tools, run from their own venvs (made
in ``--tools-dir`` when missing; skipped with a note when pip cannot install
them) on a library of the same 100 entries.

    python bench/bench_startup.py                      # 100,000 papers, 21 runs
    python bench/bench_startup.py --papers 1000 --runs 5 --out /tmp/startup.md
    python bench/bench_startup.py --igbib ~/other/venv/bin/igbib --no-others

A full run at 100,000 papers takes about 5 minutes on 2 cores, plus, the first
time only, some 20 s to make the library and a minute to install papis and pubs.

Input: ``--bib FILE``, else ``$IGBIB_BENCH_BIB``, else ``../shared/bench-data/cdl.bib``,
else the real BibTeX the repository has (``tests/fixtures/cdl-sample.bib`` and
``exports/library.bib``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import data  # noqa: E402

ROOT = HERE.parent
FALLBACK_BIBS = (ROOT / "tests" / "fixtures" / "cdl-sample.bib", ROOT / "exports" / "library.bib")
SEARCH = "glioblastoma"
SLICE = 100  # entries in the .bib that import is timed on
EXPORT_TARGET = 20  # papers the export commands select
STARTUP_LIMIT = 3.0  # x python -c pass
IMPORT_LIMIT = 3.0  # x bibtexparser's bare parse
TOOLS = {  # name -> what pip installs; pubs 0.9 needs the bibtexparser 1 API
    "papis": ["papis"],
    "pubs": ["pubs", "bibtexparser<2"],
}


class BenchError(Exception):
    pass


@dataclass
class Command:
    label: str  # Markdown shown in the table
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    kind: str = ""  # "startup", "help", "import", "papis-help" or "" (no target)
    prepare: Callable[[], None] | None = None  # before each run, not timed
    ok_codes: tuple[int, ...] = (0,)
    times: list[float] = field(default_factory=list)
    out_lines: int | None = None

    def run(self) -> tuple[float, subprocess.CompletedProcess]:
        if self.prepare:
            self.prepare()
        start = time.perf_counter()
        proc = subprocess.run(
            self.argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,  # pipes, as for a script reading the output
            env=self.env,
            cwd=self.cwd,
        )
        seconds = time.perf_counter() - start
        if proc.returncode not in self.ok_codes:
            raise BenchError(
                f"{shlex.join(self.argv)} exited {proc.returncode}:\n"
                + proc.stderr.decode(errors="replace")[-2000:]
            )
        return seconds, proc

    @property
    def median_ms(self) -> float:
        ordered = sorted(self.times)
        mid = len(ordered) // 2
        value = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
        return value * 1000

    @property
    def min_ms(self) -> float:
        return min(self.times) * 1000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def output(argv: list[str], **kwargs) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True, **kwargs).stdout


# -- what is measured ------------------------------------------------------------


def interpreter_of(script: Path) -> str:
    """The Python an entry-point script runs on (its ``#!`` line), else this one."""
    try:
        with open(script, "rb") as f:
            first = f.readline(1000).decode(errors="replace")
    except OSError:
        return sys.executable
    if first.startswith("#!") and "python" in first:
        words = first[2:].split()
        if os.path.basename(words[0]) == "env" and len(words) > 1:
            return shutil.which(words[1]) or sys.executable
        return words[0]
    return sys.executable


def find_igbib(given: str | None) -> Path:
    if given:
        path = Path(given).expanduser()
        if not path.is_file():
            sys.exit(f"--igbib {given}: no such file")
        return path.absolute()
    beside = Path(sys.executable).parent / "igbib"
    found = beside if beside.is_file() else shutil.which("igbib")
    if not found:
        sys.exit("igbib not found: install it (pip install -e .) or pass --igbib PATH")
    return Path(found).absolute()


def compile_bytecode(python: str, *dirs: str) -> None:
    """``python -m compileall`` so no timed run pays for writing bytecode."""
    subprocess.run(
        [python, "-m", "compileall", "-q", *dirs],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def site_packages(python: str) -> str:
    return output([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])


def package_dir(python: str, module: str) -> str:
    code = f"import os, {module}; print(os.path.dirname({module}.__file__))"
    return output([python, "-c", code]).strip()


def machine(python: str) -> str:
    cpu = data.cpu_model()
    facts = output(
        [
            python,
            "-c",
            "import platform, sqlite3; print(platform.system(), platform.release(), "
            "platform.python_version(), sqlite3.sqlite_version, sep='|')",
        ]
    ).strip()
    system, release, version, sqlite = facts.split("|")
    cpu = cpu or output([python, "-c", "import platform; print(platform.machine())"]).strip()
    return (
        f"{cpu}, {os.cpu_count()} cores; {system} {release}; Python {version} ({python}); "
        f"SQLite {sqlite}"
    )


# -- input -----------------------------------------------------------------------


def find_source(given: str | None, work: Path) -> tuple[Path, str]:
    """The real BibTeX the data comes from, and a line saying which it is."""
    for name, value in (("--bib", given), ("IGBIB_BENCH_BIB", os.environ.get("IGBIB_BENCH_BIB"))):
        if value:
            path = Path(value).expanduser()
            if not path.is_file():
                sys.exit(f"{name} {value}: no such file")
            return path.absolute(), f"`{path.name}` ({name})"
    if data.DEFAULT_SOURCE.is_file():
        return data.DEFAULT_SOURCE, f"`{data.DEFAULT_SOURCE.name}` (the shared bench data)"
    # The repository's own real BibTeX. Copies of a record get a DOI of their own
    # (bench/data.py), so the records' identifiers are dropped here: two copies
    # with one PMID or DOI would be one paper to igbib.
    text = "".join(p.read_text(encoding="utf-8") for p in FALLBACK_BIBS)
    text = re.sub(r"^\s*(doi|pmid|pmcid|eprint|url)\s*=.*\n", "", text, flags=re.M | re.I)
    path = work / "fallback.bib"
    work.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    names = " + ".join(f"`{p.relative_to(ROOT)}`" for p in FALLBACK_BIBS)
    log(f"note: {data.DEFAULT_SOURCE} not found; using {names}")
    return path, f"{names} (fallback: no `cdl.bib`; identifiers dropped)"


def write_slice(source: Path, folder: Path) -> tuple[Path, Path, int]:
    """The first entries of the source as ``100.bib``, and a copy with lower-case
    field names for papis (it matches queries on lower-case keys only)."""
    entries = data.entries(source.read_text(encoding="utf-8"))[:SLICE]
    text = "".join(entries)
    bib = folder / f"{SLICE}.bib"
    bib.write_text(text, encoding="utf-8")
    lower = folder / f"{SLICE}-lower.bib"
    lower.write_text(
        re.sub(
            r"^(\s*)([A-Za-z_-]+)(\s*=)",
            lambda m: m.group(1) + m.group(2).lower() + m.group(3),
            text,
            flags=re.M,
        ),
        encoding="utf-8",
    )
    return bib, lower, len(entries)


def library(igbib: Path, env: dict, source: Path, n: int, work: Path, rebuild: bool) -> Path:
    """A library of ``n`` papers, made once per source and size by igbib's import."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
    folder = work / f"{source.stem}-{digest}"
    db = folder / f"library-{n}.sqlite"
    if db.exists() and not rebuild:
        info = subprocess.run(
            [str(igbib), "--db", str(db), "info", "--json"], capture_output=True, text=True, env=env
        )  # also brings an older library to the current schema, once
        if info.returncode == 0 and json.loads(info.stdout).get("papers") == n:
            log(f"reusing {db}")
            return db
        log(f"{db} does not hold {n} papers for this igbib; making it again")
    data.SOURCE = source
    bib = data.build(n, folder)
    partial = db.with_suffix(".partial")
    for stale in folder.glob(partial.name + "*"):
        stale.unlink()
    log(f"importing {n:,} papers into {db} (once) ...")
    start = time.perf_counter()
    subprocess.run(
        [str(igbib), "--db", str(partial), "import", str(bib)],
        stdout=subprocess.DEVNULL,
        env=env,
        check=True,
    )
    log(f"  {time.perf_counter() - start:.1f} s")
    partial.replace(db)
    info = json.loads(output([str(igbib), "--db", str(db), "info", "--json"], env=env))
    if info["papers"] != n:
        raise BenchError(f"{db} holds {info['papers']} papers, not {n}")
    return db


def search_json(igbib: Path, env: dict, cwd: Path, query: str, limit: int) -> list[dict]:
    argv = [str(igbib), "search", *shlex.split(query), "--limit", str(limit), "--json"]
    return json.loads(output(argv, env=env, cwd=cwd) or "[]")


def export_query(igbib: Path, env: dict, cwd: Path) -> tuple[str, list[dict]]:
    """A query that selects about 20 papers at this library size, and its papers."""
    best: tuple[int, str, list[dict]] | None = None
    for word in ("glioma", "hippocampus", "memory"):
        for year in range(2024, 1969, -1):
            query = f"{word} year:{year}"
            papers = search_json(igbib, env, cwd, query, EXPORT_TARGET + 6)
            distance = abs(len(papers) - EXPORT_TARGET)
            if papers and (best is None or distance < best[0]):
                best = (distance, query, papers)
            if distance <= 5:
                return query, papers
    if best is None:
        raise BenchError("no query finds a paper; give one with --export-query")
    return best[1], best[2]


def count(value) -> int:
    """A report's figure: a number, or the length of its list of papers."""
    return len(value) if isinstance(value, (list, dict)) else int(value or 0)


def commands_of(help_text: str) -> list[str]:
    """The command names in ``igbib --help`` (Rich panels or Click's plain list)."""
    names: list[str] = []
    inside = False
    for line in help_text.splitlines():
        if not inside:
            inside = bool(re.match(r"^\W*Commands\b", line))
            continue
        if line.startswith("╰") or (not line.strip() and names):
            break
        m = re.match(r"^[│|]? {1,3}([a-z][\w-]*)(?: {2,}|\s*[│|]?$)", line)
        if m:
            names.append(m.group(1))
    return names


# -- papis and pubs --------------------------------------------------------------


def tool_venv(name: str, tools_dir: Path, python: str) -> tuple[Path | None, str]:
    """The tool's executable in its own venv (made if missing), or None and why not."""
    venv = tools_dir / f"venv-{name}"
    exe = venv / "bin" / name
    if exe.is_file():
        return exe, ""
    log(f"installing {name} into {venv} ...")
    try:
        subprocess.run([python, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *TOOLS[name]],
            check=True,
            capture_output=True,
            text=True,
        )
    except subprocess.CalledProcessError as exc:
        lines = [x for x in ((exc.stderr or "") + (exc.stdout or "")).splitlines() if x.strip()]
        why = lines[-1] if lines else f"exit {exc.returncode}"
        shutil.rmtree(venv, ignore_errors=True)
        return None, f"{name} skipped: pip could not install it ({why.strip()[:200]})"
    if not exe.is_file():
        return None, f"{name} skipped: no `{name}` in its venv after pip install"
    return exe, ""


def title_word(bib: Path) -> str:
    """The word in the most titles of ``bib`` that is in about 20 of them."""
    titles = re.findall(r"^\s*title\s*=\s*[{\"](.*)$", bib.read_text(encoding="utf-8"), re.M | re.I)
    counts = Counter(w for t in titles for w in set(re.findall(r"[a-z]{6,}", t.lower())))
    if not counts:
        raise BenchError(f"no titles in {bib}")
    return min(counts, key=lambda w: (abs(counts[w] - EXPORT_TARGET), -counts[w], w))


def tool_version(exe: Path) -> str:
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True)
    found = re.search(r"\d+(\.\d+)+", out.stdout + out.stderr)
    return found.group(0) if found else "?"


def papis_commands(exe: Path, bib: Path, home: Path, word: str, key: str) -> list[Command]:
    home.mkdir(parents=True)
    (home / "lib").mkdir()
    config = home / "config" / "papis" / "config"  # read only when its folder exists
    config.parent.mkdir(parents=True)
    config.write_text(f"[settings]\ndefault-library = bench\n\n[bench]\ndir = {home / 'lib'}\n")
    env = dict(os.environ)
    env.update(
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_DATA_HOME=str(home / "data"),
    )
    papis = [str(exe), "--config", str(config)]
    subprocess.run(
        [*papis, "bibtex", "read", str(bib), "import", "--all", "--batch"],
        env=env,
        cwd=home,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=True,
    )
    held = len(output([*papis, "list", "--all"], env=env, cwd=home).splitlines())
    if held != SLICE:
        raise BenchError(f"papis holds {held} documents, not {SLICE}")

    def cmd(label: str, *args: str) -> Command:
        return Command(label, [*papis, *args], env, home)

    return [
        Command("`papis --help`", [str(exe), "--help"], env, home, kind="papis-help"),
        cmd("`papis list --all`", "list", "--all"),
        cmd(f"`papis list --all {SEARCH}` (search)", "list", "--all", SEARCH),
        cmd(
            f"`papis export --all --format yaml ref:{key}` (show)",
            "export",
            "--all",
            "--format",
            "yaml",
            f"ref:{key}",
        ),
        cmd(
            f"`papis export --all --format bibtex {word}` (export)",
            "export",
            "--all",
            "--format",
            "bibtex",
            word,
        ),
    ]


def pubs_commands(exe: Path, bib: Path, home: Path, word: str, key: str) -> list[Command]:
    home.mkdir(parents=True)
    rc = home / "pubsrc"
    env = dict(os.environ)
    pubs = [str(exe), "--config", str(rc)]
    for step in (["init", "-p", str(home / "repo")], ["import", "-i", str(bib)]):
        subprocess.run([*pubs, *step], env=env, cwd=home, check=True, capture_output=True)
    held = len(output([*pubs, "list", "-k"], env=env, cwd=home).splitlines())
    if held != SLICE:
        raise BenchError(f"pubs holds {held} papers, not {SLICE}")
    keys = output([*pubs, "list", "-k", f"title:{word}"], env=env, cwd=home).split()

    def cmd(label: str, *args: str) -> Command:
        return Command(label, [*pubs, *args], env, home)

    return [
        Command("`pubs --help`", [str(exe), "--help"], env, home),
        cmd("`pubs list`", "list"),
        cmd(f"`pubs list title:{SEARCH}` (search)", "list", f"title:{SEARCH}"),
        cmd(f"`pubs export {key}` (show)", "export", key),
        cmd(f"`pubs export` the {len(keys)} keys of `title:{word}` (export)", "export", *keys),
    ]


# -- running ---------------------------------------------------------------------


def measure(commands: list[Command], runs: int, warmup: int) -> None:
    """Every command once a round, in a rotating order; the first ``warmup`` rounds
    are not kept. The first run of each command also checks it and counts its lines."""
    for rnd in range(warmup + runs):
        start = time.perf_counter()
        shift = rnd % len(commands)
        for command in commands[shift:] + commands[:shift]:
            seconds, proc = command.run()
            if command.out_lines is None:
                command.out_lines = len(proc.stdout.splitlines())
            if rnd >= warmup:
                command.times.append(seconds)
        what = "warm-up" if rnd < warmup else "run"
        number = rnd + 1 if rnd < warmup else rnd - warmup + 1
        total = warmup if rnd < warmup else runs
        log(f"{what} {number}/{total}: {time.perf_counter() - start:.1f} s")


def report(
    commands: list[Command],
    header: list[str],
    notes: list[str],
    python: Command,
    parse: Command,
) -> str:
    base = python.median_ms
    lines = [
        *header,
        "",
        "| command | median ms | min ms | x `python -c pass` | x bibtexparser parse | lines out |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for c in commands:
        vs_parse = f"{c.median_ms / parse.median_ms:.2f}x" if c.kind == "import" else ""
        lines.append(
            f"| {c.label} | {c.median_ms:.1f} | {c.min_ms:.1f} | {c.median_ms / base:.2f}x "
            f"| {vs_parse} | {c.out_lines} |"
        )

    def verdict(over: list[Command], ratio: Callable[[Command], str], scope: list[Command]):
        if not scope:
            return "not measured."
        if not over:
            return f"met by all {len(scope)}."
        shown = ", ".join(f"{c.label} {ratio(c)}" for c in over)
        return f"NOT met by {len(over)} of {len(scope)}: {shown}."

    startup = [c for c in commands if c.kind == "startup"]
    limit = STARTUP_LIMIT * base
    lines += [
        "",
        "Against the targets (medians):",
        "",
        f"- search, show, info, list --limit 20 and export of ~20 papers within "
        f"{STARTUP_LIMIT:g}x `python -c pass` ({limit:.1f} ms): "
        + verdict(
            [c for c in startup if c.median_ms > limit],
            lambda c: f"{c.median_ms / base:.2f}x",
            startup,
        ),
    ]
    helps = [c for c in commands if c.kind == "help"]
    papis_help = next((c for c in commands if c.kind == "papis-help"), None)
    if papis_help:
        lines.append(
            f"- every `--help` faster than `papis --help` ({papis_help.median_ms:.1f} ms): "
            + verdict(
                [c for c in helps if c.median_ms >= papis_help.median_ms],
                lambda c: f"{c.median_ms / papis_help.median_ms:.2f}x",
                helps,
            )
        )
    else:
        lines.append("- every `--help` faster than `papis --help`: not measured (no papis).")
    imports = [c for c in commands if c.kind == "import"]
    plimit = IMPORT_LIMIT * parse.median_ms
    lines.append(
        f"- import of {SLICE} entries within {IMPORT_LIMIT:g}x bibtexparser's bare parse "
        f"({plimit:.1f} ms): "
        + verdict(
            [c for c in imports if c.median_ms > plimit],
            lambda c: f"{c.median_ms / parse.median_ms:.2f}x",
            imports,
        )
    )
    if notes:
        lines += ["", *[f"- {note}" for note in notes]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--papers", type=int, default=100_000, help="library size (100,000)")
    parser.add_argument("--runs", type=int, default=21, help="timed runs of each command (21)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first (2)")
    parser.add_argument(
        "--igbib", help="the igbib to measure (default: beside this python, else on PATH)"
    )
    parser.add_argument("--out", help="also write the Markdown table to this file")
    parser.add_argument("--bib", help="real BibTeX the data is made from (or $IGBIB_BENCH_BIB)")
    parser.add_argument(
        "--work",
        default=os.environ.get("IGBIB_BENCH_WORK", str(HERE / "out" / "startup")),
        help="where libraries are cached (bench/out/startup, or $IGBIB_BENCH_WORK)",
    )
    parser.add_argument(
        "--tools-dir",
        default=os.environ.get("IGBIB_BENCH_TOOLS", "~/.cache/igbib-bench"),
        help="where the papis and pubs venvs live (~/.cache/igbib-bench)",
    )
    parser.add_argument("--no-others", action="store_true", help="skip papis and pubs")
    parser.add_argument("--export-query", help="query for the export rows (default: found)")
    parser.add_argument("--rebuild", action="store_true", help="make the library again")
    args = parser.parse_args()
    if args.runs < 1 or args.papers < 1:
        parser.error("--runs and --papers must be positive")
    began = time.perf_counter()
    work = Path(args.work).expanduser().absolute()
    igbib = find_igbib(args.igbib)
    python = interpreter_of(igbib)
    log(f"igbib: {igbib} on {python}")

    env = {k: v for k, v in os.environ.items() if not k.startswith("IGBIB_")}
    igbib_pkg = package_dir(python, "igbib")
    compile_bytecode(python, igbib_pkg, site_packages(python).strip())
    source, source_line = find_source(args.bib, work)
    db = library(igbib, env, source, args.papers, work, args.rebuild)

    with tempfile.TemporaryDirectory(prefix="igbib-startup-") as tmp:
        tmp = Path(tmp)
        bib, lower_bib, sliced = write_slice(source, tmp)
        env["IGBIB_DB"] = str(db)
        copy = tmp / "copy.sqlite"
        dry_copy = tmp / "dry-run.sqlite"
        # Copies keep the file's times (copy2): igbib checks a library whole when its
        # modification time says another program wrote to it (igbib.store.connection),
        # which a copy made without its times would say of the library as igbib left it.
        shutil.copy2(db, dry_copy)

        def fresh_copy() -> None:
            for extra in tmp.glob("copy.sqlite-*"):
                extra.unlink()
            shutil.copy2(db, copy)

        copy_env = {**env, "IGBIB_DB": str(copy)}
        dry_env = {**env, "IGBIB_DB": str(dry_copy)}

        if args.export_query:
            query = args.export_query
            papers = search_json(igbib, env, tmp, query, 1000)
        else:
            query = export_query(igbib, env, tmp)[0]
            papers = search_json(igbib, env, tmp, query, 1000)
        if not papers:
            raise BenchError(f"{query!r} finds no paper")
        paper = papers[0]
        help_text = output([str(igbib), "--help"], env=env, cwd=tmp)
        names = commands_of(help_text)
        if not names:
            raise BenchError("no commands found in `igbib --help`:\n" + help_text)
        dry = json.loads(
            output([str(igbib), "import", str(bib), "--dry-run", "--json"], env=env, cwd=tmp)
        )
        size_mb = db.stat().st_size / 1e6
        log(f"commands: {', '.join(names)}; export query {query!r}: {len(papers)} papers")

        def base(label: str, code: str) -> Command:
            return Command(label, [python, "-c", code], env, tmp)

        python_pass = base("`python -c pass` (baseline)", "pass")
        parse = base(
            f"`python -c \"import bibtexparser; bibtexparser.parse_file('{bib.name}')\"` "
            "(baseline for import)",
            f"import bibtexparser; bibtexparser.parse_file({bib.name!r})",
        )

        def ig(shown: str, *args: str, kind: str = "startup", why: str = "", **kw) -> Command:
            label = f"`igbib {shown}`" + (f" ({why})" if why else "")
            return Command(label, [str(igbib), *args], kw.pop("env", env), tmp, kind, **kw)

        q = shlex.split(query)
        commands = [
            python_pass,
            parse,
            ig(f"search {SEARCH}", "search", SEARCH),
            ig(f"--db LIB search {SEARCH}", "--db", str(db), "search", SEARCH),
            ig(f"search {SEARCH} --sort year", "search", SEARCH, "--sort", "year"),
            ig(f"search {query}", "search", *q, why=f"{min(len(papers), 20)} shown"),
            ig(f"show {paper['id']}", "show", str(paper["id"])),
            ig(f"show {paper['citekey']}", "show", paper["citekey"]),
            ig("info", "info"),
            ig("list --limit 20", "list", "--limit", "20"),
            ig("tags", "tags"),
            ig("stats --by year", "stats", "--by", "year"),
            ig("dataset list", "dataset", "list"),
            ig(f"note {paper['id']}", "note", str(paper["id"])),
            ig("section list", "section", "list"),
            ig("log --limit 5", "log", "--limit", "5"),
            ig(f"log {paper['id']}", "log", str(paper["id"])),
            ig(f"export -f bibtex {query}", "export", "-f", "bibtex", *q),
            ig(f"export -f md {query}", "export", "-f", "md", *q),
            ig(
                f"import {bib.name}",
                "import",
                bib.name,
                kind="import",
                why="into a fresh copy of the library each run",
                env=copy_env,
                prepare=fresh_copy,
            ),
            ig(
                f"import {bib.name} --dry-run",
                "import",
                bib.name,
                "--dry-run",
                kind="import",
                env=dry_env,
            ),
            ig("--help", "--help", kind="help"),
        ]
        for name in ["search", "export"] + [n for n in names if n not in ("search", "export")]:
            commands.append(ig(f"{name} --help", name, "--help", kind="help"))
        commands.append(ig("--version", "--version", kind=""))

        notes = [
            f"Library: {args.papers:,} papers ({size_mb:.1f} MB) made from {source_line} by "
            f"`bench/data.py` and `igbib import`, chosen by `IGBIB_DB` (`--db LIB`: the same "
            f"file). `{bib.name}`: the first {sliced} entries of the same file.",
            f"`search {SEARCH}` finds {len(search_json(igbib, env, tmp, SEARCH, 1000))} papers "
            f"here; the export query `{query}` selects {len(papers)}.",
            f"`import {bib.name}` into this library: "
            + ", ".join(f"{count(dry.get(k))} {k}" for k in ("added", "updated", "unchanged"))
            + " (its dry run).",
        ]
        if not args.no_others:
            word = title_word(lower_bib)
            key = data.entries(lower_bib.read_text(encoding="utf-8"))[0]
            key = re.match(r"@\w+\{([^,]*),", key).group(1)
            for name, make in (("papis", papis_commands), ("pubs", pubs_commands)):
                exe, why = tool_venv(name, Path(args.tools_dir).expanduser(), python)
                if exe is None:
                    log(why)
                    notes.append(why)
                    continue
                tool_python = str(exe.parent / "python")
                compile_bytecode(tool_python, site_packages(tool_python).strip())
                try:
                    commands += make(exe, lower_bib, tmp / name, word, key)
                except (subprocess.CalledProcessError, BenchError) as exc:
                    why = f"{name} skipped: its library could not be set up ({exc})"
                    log(why)
                    notes.append(why)
                    continue
                notes.append(
                    f"{name} {tool_version(exe)} from its own venv ({exe.parent.parent}), on a "
                    f"library of the same {SLICE} entries (field names lower-cased) in a temp dir."
                )
        log(f"timing {len(commands)} commands: {args.warmup} warm-up + {args.runs} runs each")
        dry_before = dry_copy.stat().st_size, dry_copy.stat().st_mtime_ns
        measure(commands, args.runs, args.warmup)
        if (dry_copy.stat().st_size, dry_copy.stat().st_mtime_ns) != dry_before:
            notes.append("`import --dry-run` changed the library file.")

        version = output([str(igbib), "--version"], env=env).strip()
        header = [
            f"# igbib start-up: {args.papers:,} papers",
            "",
            f"Measured {date.today().isoformat()} by `python bench/bench_startup.py "
            f"--papers {args.papers} --runs {args.runs}` on: {machine(python)}; {version} "
            f"({igbib}).",
            "",
            f"Whole processes, output to a pipe; median and min of {args.runs} runs after "
            f"{args.warmup} warm-up runs, every command once a round in a rotating order. "
            f"Ratios are to `python -c pass` of the same interpreter, in the same run.",
        ]
        text = report(commands, header, notes, python_pass, parse)
        text += f"\nThe whole run took {time.perf_counter() - began:.0f} s.\n"
    print(text)
    if args.out:
        Path(args.out).expanduser().write_text(text, encoding="utf-8")
        log(f"wrote {args.out}")


if __name__ == "__main__":
    try:
        main()
    except BenchError as exc:
        sys.exit(f"error: {exc}")
