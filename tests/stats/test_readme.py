"""The README's ``igbib stats`` section shows what the shipped library really gives."""

import json
import re
import shlex
import shutil

from conftest import ROOT, igbib

README = (ROOT / "README.md").read_text()
CHARTS_IMAGE = ROOT / "docs" / "stats.svg"
SVG = "{http://www.w3.org/2000/svg}"


def section() -> str:
    start = README.index("### `igbib stats [QUERY...]`")
    return README[start : README.index("\n### ", start + 1)]


def examples() -> list[tuple[list[str], str]]:
    """``(arguments, output)`` of each ``$ igbib stats ...`` in the README's console block."""
    block = re.search(r"```console\n(.*?)```", section(), re.S).group(1)
    runs = re.split(r"^\$ igbib ", block, flags=re.M)[1:]
    return [(shlex.split(run.split("\n", 1)[0]), run.split("\n", 1)[1]) for run in runs]


def test_the_readme_examples_are_the_shipped_library_s_output(tmp_path, monkeypatch):
    shutil.copy(ROOT / "library.sqlite", tmp_path / "library.sqlite")
    monkeypatch.setenv("COLUMNS", "80")
    runs = examples()
    assert len(runs) >= 2
    for args, shown in runs:
        assert args[0] == "stats"
        result = igbib("--db", tmp_path / "library.sqlite", *args)
        assert result.returncode == 0, result
        assert result.stdout == shown, args


def test_the_readme_image_shows_the_shipped_library_s_counts(tmp_path):
    """Out of date? ``igbib --db library.sqlite stats --plot docs/stats.svg``."""
    from defusedxml import ElementTree

    assert "(docs/stats.svg)" in section()
    shutil.copy(ROOT / "library.sqlite", tmp_path / "library.sqlite")
    result = igbib("--db", tmp_path / "library.sqlite", "stats", "--json")
    data = json.loads(result.stdout)
    root = ElementTree.parse(CHARTS_IMAGE).getroot()
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert f"{data['papers']} papers" in texts
    titles = [chart["title"] for chart in data["charts"].values()]
    at = [texts.index(title) for title in titles]
    # matplotlib writes each chart's labels and axis, the counts on its bars, then its title
    for n, chart in enumerate(data["charts"].values()):
        drawn = texts[(at[n - 1] + 1 if n else 0) : at[n]]
        labels = [v["label"] for v in chart["values"]]
        counts = [v["papers"] for v in chart["values"]]
        if chart["other"]:
            labels.append(f"{chart['other']['values']} other journals")
            counts.append(chart["other"]["papers"])
        labels.append(chart["none"]["label"])
        counts.append(chart["none"]["papers"])
        labels = [_cut(label) for label in labels]
        assert any(drawn[i : i + len(labels)] == labels for i in range(len(drawn))), labels
        assert [int(t.split()[0]) for t in drawn[-len(counts) :]] == counts, chart["title"]


def _cut(label: str) -> str:
    return label if len(label) <= 42 else label[:41] + "…"
