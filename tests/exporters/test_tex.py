"""BibTeX that LaTeX accepts: compile a document citing every entry, with bibtex and with biber.

Skipped where no TeX is installed; CI installs TeX Live and sets IGBIB_REQUIRE_TEX=1,
so there a missing TeX fails instead of skipping.
"""

import os
import re
import shutil
import subprocess

import pytest
from conftest import FIXTURES

from igbib.exporters import Options, render
from igbib.importers import parse_file
from igbib.ops.ingest import import_parsed
from igbib.search import search

HAVE_TEX = all(shutil.which(tool) for tool in ("pdflatex", "bibtex", "biber"))
if not HAVE_TEX and os.environ.get("IGBIB_REQUIRE_TEX"):
    raise RuntimeError("IGBIB_REQUIRE_TEX is set but pdflatex, bibtex or biber is missing")
needs_tex = pytest.mark.skipif(not HAVE_TEX, reason="no TeX installed (pdflatex, bibtex, biber)")

BIBTEX_DOC = r"""\documentclass{article}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\usepackage{url}
\begin{document}
\nocite{*}
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""
BIBLATEX_DOC = r"""\documentclass{article}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\usepackage[backend=biber]{biblatex}
\addbibresource{refs.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""


@pytest.fixture
def papers(seed_library):
    import_parsed(seed_library, parse_file(FIXTURES / "cdl-sample.bib"), "cdl")
    return search(seed_library, "", sort="section")


def run(tool, *args, cwd):
    return subprocess.run([tool, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def latex(cwd):
    result = run("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex", cwd=cwd)
    assert result.returncode == 0, result.stdout[-2000:]


@needs_tex
@pytest.mark.parametrize("ascii", [False, True])
def test_pdflatex_and_bibtex_compile_every_entry(papers, tmp_path, ascii):
    (tmp_path / "refs.bib").write_text(render("bibtex", papers, Options(ascii=ascii)))
    (tmp_path / "doc.tex").write_text(BIBTEX_DOC)
    latex(tmp_path)
    bibtex = run("bibtex", "doc", cwd=tmp_path)
    log = (tmp_path / "doc.blg").read_text()
    assert bibtex.returncode in (0, 1) and "error message" not in log, log[-2000:]
    latex(tmp_path)
    latex(tmp_path)
    cited = re.findall(r"\\bibitem\{([^}]+)\}", (tmp_path / "doc.bbl").read_text())
    assert sorted(cited) == sorted(p.citekey for p in papers)
    assert "undefined" not in (tmp_path / "doc.log").read_text().lower().split("output written")[-1]


@needs_tex
def test_pdflatex_and_biber_compile_every_entry(papers, tmp_path):
    (tmp_path / "refs.bib").write_text(render("biblatex", papers, Options()))
    (tmp_path / "doc.tex").write_text(BIBLATEX_DOC)
    latex(tmp_path)
    biber = run("biber", "doc", cwd=tmp_path)
    log = (tmp_path / "doc.blg").read_text()
    assert biber.returncode == 0 and "ERROR" not in log and "WARN" not in log, log[-2000:]
    latex(tmp_path)
    cited = re.findall(r"\\entry\{([^}]+)\}", (tmp_path / "doc.bbl").read_text())
    assert sorted(cited) == sorted(p.citekey for p in papers)


@needs_tex
@pytest.mark.parametrize("fmt", ["biblatex", "bibtex"])
def test_biber_resolves_a_merged_papers_old_key(seed_db, tmp_path, fmt):
    """A manuscript citing a key that a merge made an alias still compiles with biber."""
    from conftest import igbib

    merged = igbib("merge", "aerts2014decoding", "lee2017radiomics", "--force", "--db", seed_db)
    assert merged.returncode == 0, merged.stderr
    exported = igbib("export", "-f", fmt, "-o", tmp_path / "refs.bib", "--db", seed_db)
    assert exported.returncode == 0, exported.stderr
    (tmp_path / "doc.tex").write_text(
        BIBLATEX_DOC.replace(r"\nocite{*}", r"See \cite{aerts2014decoding}.")
    )
    latex(tmp_path)
    biber = run("biber", "doc", cwd=tmp_path)
    log = (tmp_path / "doc.blg").read_text()
    assert biber.returncode == 0 and "ERROR" not in log, log[-2000:]
    latex(tmp_path)
    latex(tmp_path)  # biblatex asks for a second run once the citations are known
    assert "undefined" not in (tmp_path / "doc.log").read_text()
    cited = re.findall(r"\\entry\{([^}]+)\}", (tmp_path / "doc.bbl").read_text())
    assert cited == ["lee2017radiomics"]
