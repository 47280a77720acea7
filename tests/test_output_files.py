"""Where `export -o` and `--svg` write: a regular file is replaced whole; a
device, a FIFO, or a link to one is written as a stream and stays what it
is; the store in use, an empty name and a name ending in '/' are refused."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.processes import run_incidents

Run = Callable[..., Result]


def read_fifo(fifo: Path) -> subprocess.Popen[bytes]:
    """A reader of the FIFO, as `cat fifo > file` would be."""
    return subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)


def received(reader: subprocess.Popen[bytes], fifo: Path) -> bytes:
    if not stat.S_ISFIFO(os.lstat(fifo).st_mode):
        reader.kill()  # nobody will ever write to the FIFO it opened
    out, _ = reader.communicate(timeout=60)
    return out


@pytest.mark.parametrize("through_a_link", [False, True], ids=["fifo", "link to a fifo"])
def test_export_to_a_fifo_writes_into_it(seed_copy: Path, through_a_link: bool) -> None:
    fifo = seed_copy.parent / "pipe"
    os.mkfifo(fifo)
    target = fifo
    if through_a_link:
        target = seed_copy.parent / "link"
        target.symlink_to(fifo)
    reader = read_fifo(fifo)
    result = run_incidents("--store", seed_copy, "export", "--format", "csv", "-o", target)
    assert result.returncode == 0, result.stderr
    got = received(reader, fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert target.is_symlink() == through_a_link
    regular = seed_copy.parent / "regular.csv"
    assert run_incidents("--store", seed_copy, "export", "-o", regular).returncode == 0
    assert got == regular.read_bytes()


def test_a_picture_to_a_fifo_is_written_into_it(seed_copy: Path) -> None:
    fifo = seed_copy.parent / "picture"
    os.mkfifo(fifo)
    reader = read_fifo(fifo)
    result = run_incidents("--store", seed_copy, "timeline", "--svg", fifo)
    assert result.returncode == 0, result.stderr
    got = received(reader, fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert b"<svg" in got[:200]


def test_export_to_a_character_device_leaves_it_a_device(seed_copy: Path) -> None:
    null = seed_copy.parent / "null"
    try:  # a device of our own, like /dev/null, that may safely be got wrong
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        null.write_text("probe")
    except OSError:
        pytest.skip("cannot make a device node here")
    result = run_incidents("--store", seed_copy, "export", "-o", null)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert os.lstat(null).st_rdev == os.makedev(1, 3)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_through_a_link_replaces_the_file_it_points_to(seed_copy: Path) -> None:
    target = seed_copy.parent / "reports" / "attacks.csv"
    target.parent.mkdir()
    target.write_text("old\n")
    target.chmod(0o640)
    link = seed_copy.parent / "attacks.csv"
    link.symlink_to(target)
    result = run_incidents("--store", seed_copy, "export", "-o", link)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert target.read_text().startswith("id,date,")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.parametrize("how", ["the same name", "a link", "a hard link", "another path"])
def test_export_into_the_store_in_use_is_refused(seed_copy: Path, how: str) -> None:
    before = seed_copy.read_bytes()
    output: Path | str = seed_copy.name
    if how == "a link":
        output = seed_copy.parent / "link.json"
        output.symlink_to(seed_copy)
    elif how == "a hard link":
        output = seed_copy.parent / "hard.json"
        os.link(seed_copy, output)
    elif how == "another path":
        output = f"../{seed_copy.parent.name}/./{seed_copy.name}"
    result = run_incidents(
        "--store",
        seed_copy,
        "export",
        "--format",
        "json",
        "--location",
        "kabul",
        "-o",
        output,
        cwd=seed_copy.parent,
    )
    assert result.returncode == 2
    assert seed_copy.read_bytes() == before
    assert "is the store in use" in result.stderr


def test_a_picture_over_the_store_in_use_is_refused(run: Run, seed_copy: Path) -> None:
    before = seed_copy.read_bytes()
    result = run("timeline", "--svg", seed_copy, store=seed_copy)
    assert result.exit_code == 2
    assert "is the store in use" in result.stderr
    assert seed_copy.read_bytes() == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "an empty file name"),
        ("out.d/", "'out.d/' ends with '/', so it names a directory: give a file name"),
    ],
)
def test_an_output_name_that_is_no_file_name_is_refused(
    run: Run, tmp_path: Path, name: str, message: str
) -> None:
    for command in (["export", "-o", name], ["timeline", "--svg", name]):
        result = run(*command)
        assert result.exit_code == 2, result.output
        assert message in result.stderr
        assert "Traceback" not in result.output
    assert not (tmp_path / "out.d").exists()
