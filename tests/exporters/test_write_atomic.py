"""What ``export -o`` and ``site -o`` do to the path they write: the file it names, and
nothing else.

Devices are made in the test's folder (``mknod``, root only) rather than taken
from ``/dev``: igbib before this fix replaced the device it was given with a
regular file, and a test must not break the machine it runs on when it fails.
Other users get ``/dev/null`` and ``/dev/full``, which they cannot replace.
"""

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import igbib, one_line_error
from system import ROOT, needs_root, unavailable

from igbib.errors import IgbibError
from igbib.exporters import write_atomic

pytestmark = pytest.mark.skipif(os.name == "nt", reason="symbolic links, devices and FIFOs")


def char_device(folder: Path, name: str, major: int, minor: int) -> Path:
    """A character device to write to: made here for root, else the one in /dev."""
    if not ROOT:
        return Path(f"/dev/{name}")
    path = folder / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
    except OSError as exc:
        unavailable(f"cannot make a device here: {exc}")
    return path


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".igbib-"))


def test_a_symbolic_link_is_written_through_and_stays_a_link(tmp_path, seed_db):
    target = tmp_path / "elsewhere" / "library.bib"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "library.bib"
    link.symlink_to(os.path.relpath(target, tmp_path))
    assert igbib("export", "-f", "bibtex", "-o", link, "--db", seed_db).returncode == 0
    assert link.is_symlink() and os.readlink(link) == os.path.join("elsewhere", "library.bib")
    assert "@article{" in target.read_text()
    assert temps(tmp_path) == [] and temps(target.parent) == []


def test_a_chain_of_links_is_written_through_to_its_end(tmp_path, seed_db):
    end = tmp_path / "end.md"
    end.write_text("old\n")
    (tmp_path / "middle.md").symlink_to("end.md")
    (tmp_path / "start.md").symlink_to("middle.md")
    assert igbib("export", "-o", tmp_path / "start.md", "--db", seed_db).returncode == 0
    assert (tmp_path / "start.md").is_symlink() and (tmp_path / "middle.md").is_symlink()
    assert end.read_text().startswith("# Awesome Imaging Genetics")


def test_a_dangling_link_gets_the_file_it_names(tmp_path, seed_db):
    link = tmp_path / "out.ris"
    link.symlink_to("made.ris")
    assert igbib("export", "-f", "ris", "-o", link, "--db", seed_db).returncode == 0
    assert link.is_symlink() and (tmp_path / "made.ris").read_text().startswith("TY  -")


def test_a_loop_of_links_is_one_line_and_left_as_it_is(tmp_path, seed_db):
    (tmp_path / "a.md").symlink_to("b.md")
    (tmp_path / "b.md").symlink_to("a.md")
    line = one_line_error(igbib("export", "-o", tmp_path / "a.md", "--db", seed_db))
    assert "cannot write" in line and "symbolic links" in line
    assert (tmp_path / "a.md").is_symlink() and os.readlink(tmp_path / "a.md") == "b.md"


def test_a_null_device_is_written_to_and_stays_a_device(tmp_path, seed_db):
    """Was, as root: /dev/null replaced by a regular file holding the export."""
    null = char_device(tmp_path, "null", 1, 3)
    result = igbib("export", "-f", "bibtex", "-o", null, "--db", seed_db)
    assert result.returncode == 0, result
    assert stat.S_ISCHR(os.stat(null).st_mode)
    assert temps(null.parent) == [] if ROOT else True


def test_a_link_to_a_device_writes_to_the_device(tmp_path, seed_db):
    null = char_device(tmp_path, "null", 1, 3)
    link = tmp_path / "out.bib"
    link.symlink_to(null)
    assert igbib("export", "-f", "bibtex", "-o", link, "--db", seed_db).returncode == 0
    assert link.is_symlink() and stat.S_ISCHR(os.stat(null).st_mode)


def test_a_full_device_is_a_failed_write_not_a_success(tmp_path, seed_db):
    """Was: "Wrote 52 papers to /dev/full", exit 0 (and, as root, /dev/full replaced)."""
    full = char_device(tmp_path, "full", 1, 7)
    line = one_line_error(igbib("export", "-o", full, "--db", seed_db))
    assert line == f"error: cannot write {full}: No space left on device"
    assert stat.S_ISCHR(os.stat(full).st_mode)


def test_a_named_pipe_is_written_into_and_stays_a_pipe(tmp_path, seed_db):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so the write does not wait
    try:
        result = igbib("export", "-f", "ris", "author:gevaert", "-o", fifo, "--db", seed_db)
        assert result.returncode == 0, result
        received = os.read(reader, 1 << 16).decode()
    finally:
        os.close(reader)
    assert received.startswith("TY  -") and "Gevaert" in received
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert temps(tmp_path) == []


def test_a_block_device_is_refused(tmp_path, seed_db):
    needs_root("make a block device")
    disk = tmp_path / "disk"
    try:
        os.mknod(disk, 0o660 | stat.S_IFBLK, os.makedev(7, 250))  # a loop device, never opened
    except OSError as exc:
        unavailable(f"cannot make a device here: {exc}")
    line = one_line_error(igbib("export", "-o", disk, "--db", seed_db))
    assert "is a block device" in line
    assert stat.S_ISBLK(os.stat(disk).st_mode)


def test_a_folder_is_refused(tmp_path, seed_db):
    (tmp_path / "out.md").mkdir()
    line = one_line_error(igbib("export", "-o", tmp_path / "out.md", "--db", seed_db))
    assert line == f"error: cannot write {tmp_path / 'out.md'}: it is a folder"


def test_a_replaced_file_keeps_its_permissions(tmp_path, seed_db):
    out = tmp_path / "library.bib"
    out.write_text("old\n")
    out.chmod(0o640)
    assert igbib("export", "-f", "bibtex", "-o", out, "--db", seed_db).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640 and "@article{" in out.read_text()


def test_a_file_root_replaces_keeps_its_owner(tmp_path, seed_db):
    needs_root("give a file away")
    out = tmp_path / "library.bib"
    out.write_text("old\n")
    os.chown(out, 65534, 65534)
    assert igbib("export", "-f", "bibtex", "-o", out, "--db", seed_db).returncode == 0
    assert (out.stat().st_uid, out.stat().st_gid) == (65534, 65534)


def _small_disk(folder: Path):
    """A folder on a 64 KB file system (root: a tmpfs), or skip."""
    needs_root("mount a small file system")
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        unavailable("cannot mount a tmpfs here")


def test_a_full_disk_is_reported_and_the_old_file_kept(tmp_path, seed_db):
    disk = tmp_path / "small"
    _small_disk(disk)
    try:
        out = disk / "library.bib"
        out.write_text("the export of last week\n")
        free = os.statvfs(disk)
        (disk / "filler").write_bytes(b"x" * (free.f_bavail * free.f_frsize - 4096))
        line = one_line_error(igbib("export", "-f", "bibtex", "-o", out, "--db", seed_db))
        assert line == (f"error: cannot write {out}: No space left on device; it was not changed")
        assert out.read_text() == "the export of last week\n"
        assert temps(disk) == []
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def test_a_failed_write_below_a_file_size_limit_is_reported(tmp_path, seed_db):
    """The same failure for any user: a file size limit makes the write fail (EFBIG)."""
    out = tmp_path / "library.bib"
    out.write_text("the export of last week\n")
    script = (  # the limit is set once the export begins, as it is written
        "import resource, signal, sys\n"
        "import igbib.exporters as exporters\n"
        "_stream = exporters.stream\n"
        "def stream(*args, **kwargs):\n"
        "    chunks = _stream(*args, **kwargs)\n"
        "    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "    return chunks\n"
        "exporters.stream = stream\n"
        "from igbib.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "export", "-f", "bibtex", "-o", str(out), "--db", seed_db],
        capture_output=True,
        text=True,
        timeout=60,
    )
    line = one_line_error(result)
    assert line == f"error: cannot write {out}: File too large; it was not changed"
    assert out.read_text() == "the export of last week\n"
    assert temps(tmp_path) == []


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_temporary_file_of_a_killed_export_is_removed_by_the_next_write(tmp_path, seed_db):
    """A process killed as it writes leaves its hidden temporary file; the next write to
    the folder removes it (its process no longer runs), and keeps a live one's."""
    from igbib.exporters import _host

    out = tmp_path / "library.bib"
    script = (
        "import os, signal, sys\n"
        "def killed(fd):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.fsync = killed\n"  # killed once the text is in the temporary file
        "from igbib.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, "export", "-f", "bibtex", "-o", str(out), "--db", seed_db],
        capture_output=True,
        timeout=60,
    )
    assert killed.returncode == -signal.SIGKILL
    left = temps(tmp_path)
    assert len(left) == 1 and left[0].startswith(f".igbib-{_host()}-")
    assert not out.exists()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live_temp = tmp_path / f".igbib-{_host()}-{alive.pid}-abcd1234.tmp"
        live_temp.write_text("being written")
        assert igbib("export", "-f", "bibtex", "-o", out, "--db", seed_db).returncode == 0
        assert temps(tmp_path) == [live_temp.name]  # the killed one's is gone
    finally:
        alive.kill()
        alive.wait()
    assert "@article{" in out.read_text()
    dead = tmp_path / f".igbib-{_host()}-{_dead_pid()}-efgh5678.tmp"
    dead.write_text("left behind")
    other_host = tmp_path / f".igbib-otherhost-{_dead_pid()}-ijkl9012.tmp"
    other_host.write_text("another machine's, on a shared folder")
    write_atomic(str(out), "again\n")  # the live one's process has ended since: gone too
    assert temps(tmp_path) == [other_host.name]  # another machine's is not igbib's to judge


def test_the_site_is_written_through_a_link_and_reports_a_full_device(tmp_path, seed_db):
    site = tmp_path / "site"
    site.mkdir()
    published = tmp_path / "published.html"
    published.write_text("old")
    (site / "index.html").symlink_to(published)
    assert igbib("site", "-o", site, "--db", seed_db).returncode == 0
    assert (site / "index.html").is_symlink() and "<html" in published.read_text()
    (site / "index.html").unlink()
    full = char_device(tmp_path, "full", 1, 7)
    (site / "index.html").symlink_to(full)
    line = one_line_error(igbib("site", "-o", site, "--db", seed_db))
    assert line.endswith("No space left on device")
    assert stat.S_ISCHR(os.stat(full).st_mode)


def test_write_atomic_raises_igbib_error_naming_the_path(tmp_path):
    with pytest.raises(IgbibError, match="cannot write .*: it is a folder"):
        write_atomic(str(tmp_path), "text")
    started = time.monotonic()
    write_atomic(str(tmp_path / "a" / "b.txt"), "text\n")  # folders are made
    assert (tmp_path / "a" / "b.txt").read_text() == "text\n"
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("below", ["x.bib", "sub/x.bib"])
def test_a_file_where_a_folder_should_be_is_named(tmp_path, seed_db, below):
    """Was: "cannot write afile/x.bib: Not a directory", which named no culprit."""
    (tmp_path / "afile").write_text("notes\n")
    line = one_line_error(igbib("export", "-o", f"afile/{below}", "--db", seed_db, cwd=tmp_path))
    assert line == f"error: cannot write afile/{below}: afile is a file, not a folder"
    assert (tmp_path / "afile").read_text() == "notes\n"
    line = one_line_error(igbib("site", "-o", "afile/site", "--db", seed_db, cwd=tmp_path))
    assert line == "error: cannot write afile/site/index.html: afile is a file, not a folder"
