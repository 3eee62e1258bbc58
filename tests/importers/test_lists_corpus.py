"""Real reading lists in: the 12 lists of ``fixtures/lists`` against a hand count of each.

``fixtures/lists/hand/<list>.json`` is a count made by reading each file (not by
igbib): its papers, its other items by kind, the line of every paper entry, and
whole entries of each shape it holds (title, authors, venue, year, identifiers).
``SUMMARY.md`` there gives the judgement calls behind the counts.
"""

import json
import re

import pytest
from conftest import FIXTURES

from igbib.importers import parse_file
from igbib.importers.lists.document import parse_list
from igbib.model import title_key

LISTS = FIXTURES / "lists"
HAND = LISTS / "hand"

#: list -> (papers igbib reads, hand-checked entries it reads exactly as the hand count does)
PINNED = {
    "HiLab-git__SSL4MIS__README.md": (269, 13),
    "Jianing-Qiu__Awesome-Healthcare-Foundation-Models__README.md": (268, 12),
    "JunMa11__SegLossOdyssey__README.md": (56, 15),
    "LirongWu__awesome-protein-representation-learning__README.md": (237, 11),
    "OmicsML__awesome-deep-learning-single-cell-papers__README.md": (352, 12),
    "SMILELab-FL__FedNoisy__README.md": (10, 9),
    "amirhossein-kz__Awesome-Diffusion-Models-in-Medical-Imaging__README.md": (571, 23),
    "caufieldjh__awesome-bioie__README.md": (63, 17),
    "lixiang007666__Awesome-Medical-TTA__README.md": (6, 6),
    "mdozmorov__Cancer_notes__README.md": (172, 29),
    "mikelove__awesome-multi-omics__README.md": (176, 32),
    "opendilab__awesome-AI-based-protein-design__README.md": (38, 9),
}


def _parse(name: str):
    return parse_file(LISTS / name)


def _matches(paper, example: dict) -> bool:
    ids = example.get("identifiers") or {}
    return (
        title_key(paper.title) == title_key(example["title"] or "")
        and example.get("year") in (None, paper.year)
        and all(paper.identifiers().get(kind) == value for kind, value in ids.items())
    )


@pytest.mark.parametrize("name", sorted(PINNED))
def test_each_list_reads_close_to_its_hand_count(name):
    hand = json.loads((HAND / name.replace(".md", ".json")).read_text())
    parsed = _parse(name)
    papers, exact = PINNED[name]
    assert len(parsed.entries) == papers
    # within 15% (at most 10 entries) of the count a reader made
    assert abs(papers - hand["papers"]) <= max(10, hand["papers"] * 0.15)
    by_line: dict[int, list] = {}
    for entry in parsed.entries:
        by_line.setdefault(entry.line, []).append(entry.paper)
    good = [
        ex for ex in hand["examples"] if any(_matches(p, ex) for p in by_line.get(ex["line"], []))
    ]
    assert len(good) == exact


@pytest.mark.parametrize("name", sorted(PINNED))
def test_every_linked_item_is_accounted_for(name):
    """A top-level list item or table row with a link is a paper, something else, or skipped."""
    text = (LISTS / name).read_text().replace("\r\n", "\n")
    parsed = parse_list(text)
    seen = {e.line for e in parsed.entries} | {o.line for o in parsed.others}
    seen |= {line for line, _ in parsed.skipped}
    item = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s.*\]\((?:https?://|#)|^\|.*\]\(https?://")
    in_fence = in_comment = False
    missing = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        if "<!--" in line and "-->" not in line:
            in_comment = True  # a comment's content is not listed
        elif "-->" in line:
            in_comment = False
        hidden = in_fence or in_comment
        if not hidden and item.search(line) and number not in seen:
            missing.append(number)
    assert missing == []


def test_whole_entries_of_each_shape():
    def entry(name, line):
        return next(e.paper for e in _parse(name).entries if e.line == line)

    # ``- Year - Author - [Title](doi)``
    wu = entry("mikelove__awesome-multi-omics__README.md", 189)
    assert wu.authors == [{"family": "Wu"}] and wu.year == 2019 and wu.doi == "10.3390/ht8010004"
    assert (
        wu.title
        == "A Selective Review of Multi-Level Omics Data Integration Using Variable Selection"
    )
    # a bold title, an italic author line, ``[date] [venue, year]``, ``[[Paper]] [[GitHub]]``
    block = entry("amirhossein-kz__Awesome-Diffusion-Models-in-Medical-Imaging__README.md", 2006)
    title = "Augmenting medical image classifiers with synthetic data from latent diffusion models"
    assert block.title == title
    assert block.authors[0] == {"family": "Sagers", "given": "Luke W."}
    assert len(block.authors) == 9 and block.journal == "arXiv" and block.year == 2023
    assert block.arxiv == "2308.12453"
    # a pipe table: Date | The First and Last Authors | Title | Code | Reference
    row = entry("HiLab-git__SSL4MIS__README.md", 75)
    assert row.title.startswith("Pseudo-Label Guided Contrastive Learning")
    assert [a["family"] for a in row.authors] == ["Basak", "yin"]
    assert (row.journal, row.year) == ("CVPR", 2023)
    assert row.listed["links"][0]["url"] == "https://github.com/hritam-98/PatchCL-MedSeg"
    # ``1. [ICLR 2024] **Title**[[paper]](…)[[code]](…)``: the code link is kept, not an id
    numbered = next(
        e.paper
        for e in _parse("LirongWu__awesome-protein-representation-learning__README.md").entries
        if e.paper.title.startswith("Full-Atom Protein Pocket Design")
    )
    assert (numbered.journal, numbered.year, numbered.arxiv) == ("NIPS", 2023, "2310.02553")
    assert [link["label"] for link in numbered.listed["links"]] == ["code"]
    # an HTML table: the title in one cell, its link in another
    tta = _parse("lixiang007666__Awesome-Medical-TTA__README.md").entries
    assert all(e.paper.title and e.paper.year for e in tta)
    # ``- [Title](link)`` with the authors and ``Keywords:`` in sub-bullets
    design = next(
        e.paper
        for e in _parse("opendilab__awesome-AI-based-protein-design__README.md").entries
        if e.paper.title == "Controllable protein design with language models"
    )
    assert design.authors == [
        {"family": "Ferruz", "given": "Noelia"},
        {"family": "Höcker", "given": "Birte"},
    ]
    assert design.keywords == ["language model", "controllable", "survey"]
    # a tool's bullet with its paper's citation folded in ``<details>``
    cited = entry("mdozmorov__Cancer_notes__README.md", 149)
    assert cited.title.startswith("Therapeutic Target Database 2020")
    assert cited.doi == "10.1093/nar/gkz981" and cited.authors[0]["family"] == "Wang"


def test_software_and_tables_of_contents_stay_out_of_the_library():
    parsed = _parse("caufieldjh__awesome-bioie__README.md")
    titles = {e.paper.title for e in parsed.entries}
    assert "rentrez" not in titles  # a GitHub tool with no paper link
    kinds = {o.kind for o in parsed.others}
    assert {"software", "table of contents", "website"} <= kinds
    rentrez = next(o for o in parsed.others if o.text.startswith("rentrez"))
    assert rentrez.kind == "software" and "github.com" in rentrez.reason
