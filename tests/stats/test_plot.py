"""``igbib stats --plot FILE``: the same charts drawn with matplotlib, as PNG or SVG."""

import json
import os
import struct
import subprocess
import sys

import pytest
from conftest import digest, igbib, one_line_error

SVG = "{http://www.w3.org/2000/svg}"


def plot(db, path, *args):
    result = igbib("--db", db, "stats", "--plot", path, *args)
    assert result.returncode == 0, result
    return result


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_a_png_holds_one_panel_a_chart_and_grows_with_them(seed_db, tmp_path):
    every = tmp_path / "every.png"
    result = plot(seed_db, every)
    assert result.stdout == ""  # the charts go to the file
    assert result.stderr == f"Wrote 9 charts to {every}.\n"
    two = tmp_path / "two.png"
    assert plot(seed_db, two, "--by", "year,journal").stderr == f"Wrote 2 charts to {two}.\n"
    (width, height), (width2, height2) = png_size(every), png_size(two)
    assert width == width2 >= 800
    assert height > 2 * height2 > 0


def svg_texts(path) -> list[str]:
    from defusedxml import ElementTree

    root = ElementTree.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_an_svg_is_xml_with_the_charts_titles_and_labels(seed_db, tmp_path):
    path = tmp_path / "charts.svg"
    plot(seed_db, path, "glioblastoma")
    texts = svg_texts(path)
    data = json.loads(igbib("--db", seed_db, "stats", "--json", "glioblastoma").stdout)
    assert "16 of 52 papers match 'glioblastoma'" in texts
    for chart in data["charts"].values():
        assert chart["title"] in texts
        assert chart["none"]["label"] in texts
    assert "Radiology" in texts and "2016" in texts
    assert "15 (94%)" in texts  # PMIDs: the count and the share, as in the terminal


def test_labels_are_drawn_as_written(seed_db, tmp_path):
    """Two $ in a label are text, not a formula for matplotlib to typeset."""
    name = "Costs of $5 and $6 _x_ ^2"
    assert igbib("--db", seed_db, "section", "add", name).returncode == 0
    path = tmp_path / "charts.svg"
    plot(seed_db, path, "--by", "section")
    assert name in svg_texts(path)


def test_the_same_charts_give_the_same_svg_byte_for_byte(seed_db, tmp_path):
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    plot(seed_db, first)
    plot(seed_db, second)
    assert first.read_bytes() == second.read_bytes()
    third = tmp_path / "c.svg"
    plot(seed_db, third, "--by", "year")
    assert third.read_bytes() != first.read_bytes()


def test_plot_and_json_together(seed_db, tmp_path):
    path = tmp_path / "charts.svg"
    result = igbib("--db", seed_db, "stats", "--json", "--plot", path, "--by", "year")
    assert result.returncode == 0
    assert list(json.loads(result.stdout)["charts"]) == ["year"]
    assert path.exists()


def test_an_existing_file_is_replaced_whole(seed_db, tmp_path):
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "charts.PNG"  # the extension in any case
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    plot(seed_db, path)
    png_size(path)
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert [p.name for p in path.parent.iterdir()] == ["charts.PNG"]  # no temporary file left


def test_a_path_that_cannot_be_written_is_one_line(seed_db, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    line = one_line_error(igbib("--db", seed_db, "stats", "--plot", blocker / "charts.png"))
    assert f"cannot write {blocker / 'charts.png'}" in line
    folder = tmp_path / "folder.svg"
    folder.mkdir()
    line = one_line_error(igbib("--db", seed_db, "stats", "--plot", folder))
    assert line == f"error: cannot write {folder}: it is a folder"


def test_nothing_selected_leaves_the_file_as_it_was(seed_db, tmp_path):
    path = tmp_path / "charts.svg"
    path.write_text("kept")
    before = digest(path)
    line = one_line_error(igbib("--db", seed_db, "stats", "nosuchwordanywhere", "--plot", path))
    assert line.endswith(f"; {path} is left as it was")
    assert digest(path) == before


@pytest.mark.parametrize("name", ["charts.png", "charts.svg"])
def test_without_matplotlib_plot_says_how_to_install_it(seed_db, tmp_path, name):
    script = "import sys; sys.modules['matplotlib'] = None\nfrom igbib.cli import main; main()\n"
    path = tmp_path / name
    result = subprocess.run(
        [sys.executable, "-c", script, "--db", str(seed_db), "stats", "--plot", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "error: --plot needs matplotlib: pip install 'igbib[plot]'\n"
    assert not path.exists()
    # the charts in the terminal need no matplotlib
    result = subprocess.run(
        [sys.executable, "-c", script, "--db", str(seed_db), "stats", "--by", "year"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "Papers by year" in result.stdout
