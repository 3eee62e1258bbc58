"""igbib's reference lists agree with pandoc's citeproc, rendering the same CSL-JSON.

For each style igbib names (Vancouver/NLM, AMA, APA, Nature, IEEE, Harvard), the
shipped library and papers parsed from recorded PubMed and Crossref answers are
exported as CSL-JSON; pandoc renders that file with the same ``.csl`` file, and
igbib's ``text`` export must give the same lines.

Two pandocs are used:

- pandoc 3 (the ``pypandoc-binary`` test extra): every style, every line, but
  one known difference, IEEE's "[Online]." before "Available:", which the CSL
  specification prints (the group holds a non-empty URL) and pandoc omits.
- Debian's pandoc (2.17, installed by CI like TeX Live): its citeproc predates
  two things igbib relies on, so it is compared only on the styles it renders
  as the specification says (Harvard, IEEE; Nature too but for its "Preprint at"
  before a preprint's address, which pandoc 2.17 leaves out): it ignores name options set
  on a style's root element (NLM and AMA print "Olivier Gevaert" for "Gevaert
  O"), and it reads the ``others`` that marks an incomplete author list as a
  name in NLM, AMA and APA.

CI sets IGBIB_REQUIRE_PANDOC=1, so there a missing pandoc fails instead of skipping.
"""

import json
import os
import re
import shutil
import subprocess

import pytest
from conftest import DOI, NCBI, ROOT

from igbib.csl import paper_from_csl
from igbib.exporters import STYLES, Options, render
from igbib.exporters.formatted import style_path
from igbib.search import search
from igbib.sources.pubmed import parse_efetch
from igbib.store import Library

try:
    import pypandoc

    PANDOC3 = pypandoc.get_pandoc_path()
except (ImportError, OSError):
    PANDOC3 = None
DEBIAN_PANDOC = shutil.which("pandoc")
if os.environ.get("IGBIB_REQUIRE_PANDOC") and not (PANDOC3 and DEBIAN_PANDOC):
    raise RuntimeError("IGBIB_REQUIRE_PANDOC is set but a pandoc is missing")
ONLINE = re.compile(r", \[Online\]\. Available:")


def fetched_papers():
    """Every distinct paper of the recorded PubMed and Crossref answers."""
    papers = []
    for path in sorted(NCBI.glob("*.xml")):
        try:
            papers += parse_efetch(path.read_bytes())
        except Exception:  # an answer that is an error or holds no article
            continue
    for path in sorted(DOI.glob("*.json")):
        message = json.loads(path.read_text())
        message = message.get("message", message)
        if isinstance(message, dict) and message.get("title") and "items" not in message:
            papers.append(paper_from_csl(message, "crossref"))
    seen, unique = set(), []
    for paper in papers:
        key = paper.pmid or paper.doi
        if key not in seen:
            seen.add(key)
            unique.append(paper)
    for number, paper in enumerate(unique):
        paper.citekey = f"fetched{number}"
    return unique


def shipped_papers():
    with Library.open(ROOT / "library.sqlite") as library:
        return search(library, "", sort="section")


CORPORA = {"shipped": shipped_papers, "fetched": fetched_papers}


def pandoc_lines(pandoc, papers, style, tmp_path) -> list[str]:
    data = tmp_path / "refs.json"
    data.write_text(render("csljson", papers, Options()))
    result = subprocess.run(
        [pandoc, "--citeproc", "--bibliography", data, "--csl", style_path(style)]
        + ["-t", "plain", "--wrap=none"],
        input='---\nnocite: "@*"\n---\n',
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0 and not result.stderr, result.stderr
    return [line for line in result.stdout.splitlines() if line.strip()]


def compare(pandoc, corpus, style, tmp_path):
    papers = CORPORA[corpus]()
    assert len(papers) > 20
    ours = render("text", papers, Options(style=style)).splitlines()
    theirs = pandoc_lines(pandoc, papers, style, tmp_path)
    if style == "ieee":
        ours = [ONLINE.sub(", Available:", line) for line in ours]
    assert len(ours) == len(theirs)
    different = [(a, b) for a, b in zip(ours, theirs, strict=True) if a != b]
    assert different == []


@pytest.mark.skipif(not PANDOC3, reason="pandoc 3 (pypandoc-binary) is not installed")
@pytest.mark.parametrize("corpus", CORPORA)
@pytest.mark.parametrize("style", STYLES)
def test_reference_lists_agree_with_pandoc(corpus, style, tmp_path):
    compare(PANDOC3, corpus, style, tmp_path)


@pytest.mark.skipif(not DEBIAN_PANDOC, reason="no pandoc on PATH (Debian's package)")
@pytest.mark.parametrize("corpus", CORPORA)
@pytest.mark.parametrize("style", ["harvard", "ieee"])
def test_reference_lists_agree_with_debians_pandoc(corpus, style, tmp_path):
    compare(DEBIAN_PANDOC, corpus, style, tmp_path)


@pytest.mark.skipif(not PANDOC3, reason="pandoc 3 (pypandoc-binary) is not installed")
def test_pandoc_keeps_the_case_of_acronyms_and_the_cut_author_list(tmp_path):
    """The CSL-JSON export keeps "et al." and the case of 18F and IDH1 under title-casing."""
    from igbib.model import Paper

    paper = Paper(
        citekey="lee2020",
        title="Interval MRI of 18F-FDG uptake in IDH1 glioma",
        authors=[{"family": "Lee", "given": "Tom", "suffix": "Jr."}],
        et_al=True,
        journal="Radiology",
        year=2020,
        language="en",
    )
    lines = pandoc_lines(PANDOC3, [paper], "chicago-author-date", tmp_path)
    assert lines[0].startswith("Lee, Tom, Jr., et al. 2020.") or "et al." in lines[0]
    assert "18F-FDG" in lines[0] and "IDH1" in lines[0] and "MRI" in lines[0]
    assert "Interval MRI of 18F-FDG Uptake in IDH1 Glioma" in lines[0]  # title case applied
