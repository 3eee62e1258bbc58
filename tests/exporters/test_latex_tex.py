"""Every character the LaTeX table writes compiles with classic BibTeX, with or without T1 fonts.

Skipped where no TeX is installed (CI sets IGBIB_REQUIRE_TEX=1, see test_tex.py).
"""

import shutil
import subprocess

import pytest

from igbib.exporters import Options, render
from igbib.latex import TABLE
from igbib.model import Paper

needs_tex = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdflatex", "bibtex")), reason="no TeX installed"
)


def run(tool, *args, cwd):
    return subprocess.run(
        [tool, *args], cwd=cwd, capture_output=True, text=True, errors="replace", timeout=300
    )


@needs_tex
@pytest.mark.parametrize("fonts", ["", r"\usepackage[T1]{fontenc}"])
def test_every_written_character_compiles_in_an_ascii_export(tmp_path, fonts):
    chars = "".join(sorted({c for _, c, form, _ in TABLE if form and not c.isascii()}))
    paper = Paper(
        citekey="all",
        title=f"Symbols {chars} and letters Ðorđe Þór ŋ ḏ İ",
        authors=[{"family": "Þórsson", "given": "Ŋ"}, {"family": "Sørensen", "given": "Å"}],
        journal="J § ¶ ≠",
        year=2020,
    )
    (tmp_path / "refs.bib").write_text(render("bibtex", [paper], Options(ascii=True)))
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n" + fonts + "\n\\begin{document}\n\\nocite{*}\n"
        "\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
    )
    args = ("-interaction=nonstopmode", "-halt-on-error", "doc.tex")
    assert run("pdflatex", *args, cwd=tmp_path).returncode == 0
    assert run("bibtex", "doc", cwd=tmp_path).returncode == 0
    result = run("pdflatex", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:]
