"""Files saved as "Unicode" by Windows editors (UTF-16 with a byte-order mark), or as UTF-8
with a mark, are read as the same text, in every format igbib imports.

Each file is a real one (the seed list, a slice of a lab bibliography, and the shipped
library's RIS and CSL-JSON exports), re-encoded: its import must give exactly the
papers, sections and report of the UTF-8 file.
"""

import json
import os

import pytest
from conftest import FIXTURES, ROOT, SEED, igbib, one_line_error

from igbib.importers import parse_file, read_text

FILES = {
    "markdown": SEED,
    "bibtex": FIXTURES / "cdl-sample.bib",
    "ris": ROOT / "exports" / "library.ris",
    "csljson": ROOT / "exports" / "library.csl.json",
}

ENCODINGS = {
    "utf-16-le": lambda text: b"\xff\xfe" + text.encode("utf-16-le"),
    "utf-16-be": lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
    "utf-8-bom": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "utf-32-le": lambda text: b"\xff\xfe\x00\x00" + text.encode("utf-32-le"),
    "utf-16-le-crlf": lambda text: b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le"),
}


def library_json(db) -> list[dict]:
    """Every paper as exported, without the times the import stamped."""
    result = igbib("export", "-f", "json", "--db", db)
    assert result.returncode == 0, result
    papers = json.loads(result.stdout)
    for paper in papers:
        paper.pop("added", None)
        paper.pop("updated", None)
    return papers


def report(result) -> dict:
    data = json.loads(result.stdout)
    data.pop("library", None)
    data.pop("file", None)
    return data


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("fmt", FILES)
def test_every_format_is_read_in_every_unicode_encoding_with_a_mark(tmp_path, fmt, encoding):
    """Was, for UTF-16: "is a binary file, not awesome-list Markdown, BibTeX, RIS or CSL-JSON"."""
    source = FILES[fmt]
    text = source.read_text(encoding="utf-8")
    plain, encoded = tmp_path / "plain", tmp_path / "encoded"
    plain.mkdir()
    encoded.mkdir()
    (plain / source.name).write_text(text, encoding="utf-8")
    (encoded / source.name).write_bytes(ENCODINGS[encoding](text))

    want = igbib("import", plain / source.name, "--json", "--db", plain / "lib.sqlite")
    got = igbib("import", encoded / source.name, "--json", "--db", encoded / "lib.sqlite")
    assert want.returncode == got.returncode, got.stderr
    assert report(got) == report(want)
    assert report(got)["format"] == fmt
    assert library_json(encoded / "lib.sqlite") == library_json(plain / "lib.sqlite")


@pytest.mark.parametrize("fmt", FILES)
def test_a_utf16_file_is_recognised_by_its_content_too(tmp_path, fmt):
    """No telling extension: the format is found in the decoded text."""
    text = FILES[fmt].read_text(encoding="utf-8")
    path = tmp_path / "exported.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    assert parse_file(path).format == fmt


def test_the_text_read_has_no_mark_and_unix_line_ends(tmp_path):
    path = tmp_path / "list.md"
    path.write_bytes(
        b"\xfe\xff" + "# Título\r\n\r\n* [A](https://doi.org/10.1/x)\r\n".encode("utf-16-be")
    )
    assert read_text(path) == "# Título\n\n* [A](https://doi.org/10.1/x)\n"


def test_a_broken_utf16_file_is_one_line(tmp_path):
    path = tmp_path / "broken.bib"
    path.write_bytes(b"\xff\xfe" + "@article{a,\n title={T}}\n".encode("utf-16-le") + b"\x00\xd8")
    line = one_line_error(igbib("import", path, "--db", tmp_path / "lib.sqlite"))
    assert line == (
        f"error: {path}: starts with a UTF-16-LE byte-order mark but is not UTF-16-LE text"
        " (invalid bytes at line 3)"
    )
    assert not (tmp_path / "lib.sqlite").exists()


def test_utf16_without_a_mark_is_still_not_guessed(tmp_path):
    """Without a mark, UTF-16 cannot be told from binary data for sure: it is refused."""
    path = tmp_path / "list.md"
    path.write_bytes("# List\n".encode("utf-16-le"))
    line = one_line_error(igbib("import", path, "--db", tmp_path / "lib.sqlite"))
    assert "is a binary file" in line


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_an_endless_device_is_refused_without_reading_it_all(tmp_path):
    """/dev/zero never ends: it is found binary from its first bytes. (In a process with a
    memory limit and a timeout: reading it whole would take all the memory there is.)"""
    import resource
    import subprocess
    import sys

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    result = subprocess.run(
        [sys.executable, "-m", "igbib", "import", "/dev/zero", "--db", str(tmp_path / "l.sqlite")],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limited,
    )
    line = one_line_error(result)
    assert line.startswith("error: /dev/zero: is a binary file")
