"""Real lines of the lists in ``fixtures/lists``, each read as a reader of the list reads it.

Every test names the file and the line(s) it checks; the whole file is parsed, so each
line is read in its place (under its heading, in its table).
"""

from functools import cache

import pytest
from conftest import FIXTURES

from igbib.importers import parse_file

LISTS = FIXTURES / "lists"
SSL4MIS = "HiLab-git__SSL4MIS__README.md"
HEALTHCARE = "Jianing-Qiu__Awesome-Healthcare-Foundation-Models__README.md"
SEGLOSS = "JunMa11__SegLossOdyssey__README.md"
OMICSML = "OmicsML__awesome-deep-learning-single-cell-papers__README.md"
FEDNOISY = "SMILELab-FL__FedNoisy__README.md"
BIOIE = "caufieldjh__awesome-bioie__README.md"
TTA = "lixiang007666__Awesome-Medical-TTA__README.md"
CANCER = "mdozmorov__Cancer_notes__README.md"
MULTIOMICS = "mikelove__awesome-multi-omics__README.md"


@cache
def parsed(name: str):
    return parse_file(LISTS / name)


def entries_at(name: str, line: int):
    return [e for e in parsed(name).entries if e.line == line]


def paper_at(name: str, line: int):
    found = entries_at(name, line)
    assert len(found) == 1, (line, [e.paper.title for e in found])
    return found[0].paper


def source_line(name: str, line: int) -> str:
    return (LISTS / name).read_text().split("\n")[line - 1]


# -- 1. a venue tag as a link's label is the paper's link ----------------------------------


@pytest.mark.parametrize("line", [63, 70, 89, 107, 160, 161, 166, 180, 244, 275, 291])
def test_a_venue_label_links_to_the_paper_not_to_a_page(line):
    # ``| … | [MedIA2020](https://www.sciencedirect.com/…) |``: the Reference column
    paper = paper_at(SSL4MIS, line)
    assert paper.url and paper.url.startswith("https://www.sciencedirect.com/")
    assert paper.url in source_line(SSL4MIS, line)
    assert all(link["url"] != paper.url for link in paper.listed.get("links", []))
    assert paper.journal == "MedIA"


# -- 2. a bold group heading right under a heading holds all its items ---------------------


def test_a_bold_group_right_under_a_heading_takes_all_its_items():
    # ``### General Domain`` / ``**CNNs**:`` / 7 items / ``**Vision Transformers**:``
    assert {e.section for line in range(226, 233) for e in entries_at(HEALTHCARE, line)} == {
        "CNNs"
    }
    # ``**Multi-modal Chatbot**`` / 1 item / ``**Representation learning**:`` / 17 items
    assert {e.section for line in range(300, 317) for e in entries_at(HEALTHCARE, line)} == {
        "Representation learning"
    }
    names = [s.name for s in parsed(HEALTHCARE).sections]
    assert names.index("Large Vision Models / General Domain") < names.index("CNNs")
    assert names.index("CNNs") < names.index("Vision Transformers")
