"""An export read from a stream (a FIFO, /dev/stdin): an import reads its
file more than once, so a stream is read once into a temporary copy, and the
import says what it says of the same file on disk, naming the file given."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .conftest import bench_generator
from .fixtures.datasets import FIXTURES

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")


def imported(directory: Path, dataset: str, name: str) -> tuple[int, str, str, bytes]:
    """Exit code, stdout, stderr and the new store of an import run in ``directory``."""
    command = [sys.executable, "-m", "incidents", "--store", "new.json", "import", dataset, name]
    environment = {**os.environ, "XDG_CACHE_HOME": str(directory / "cache")}
    # A stream read twice waits for a second writer for ever: a bound, not a wait.
    done = subprocess.run(
        command, cwd=directory, capture_output=True, text=True, env=environment, timeout=60
    )
    store = directory / "new.json"
    return done.returncode, done.stdout, done.stderr, store.read_bytes() if store.exists() else b""


def fed(fifo: Path, data: bytes) -> threading.Thread:
    """A writer that opens the FIFO (waiting for its reader) and writes ``data``."""

    def write() -> None:
        with fifo.open("wb") as stream:
            stream.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return writer


@pytest.mark.parametrize(
    ("dataset", "name"), [("gtd", "gtd.csv"), ("acled", "acled.csv"), ("ucdp", "ucdp.csv")]
)
def test_an_export_from_a_fifo_imports_as_the_file_does(
    tmp_path: Path, dataset: str, name: str
) -> None:
    on_disk, streamed = tmp_path / "disk", tmp_path / "fifo"
    on_disk.mkdir()
    streamed.mkdir()
    shutil.copyfile(FIXTURES / name, on_disk / name)
    os.mkfifo(streamed / name)
    writer = fed(streamed / name, (FIXTURES / name).read_bytes())
    from_fifo = imported(streamed, dataset, name)
    writer.join(timeout=60)
    assert from_fifo == imported(on_disk, dataset, name)
    assert from_fifo[0] == 0 and f" of {name} as " in from_fifo[2]  # the file given, named


def test_a_large_export_from_a_fifo_is_mapped_on_both_cores_as_the_file_is(
    tmp_path: Path,
) -> None:
    on_disk, streamed = tmp_path / "disk", tmp_path / "fifo"
    on_disk.mkdir()
    streamed.mkdir()
    bench_generator().write_gtd_csv(10_500, on_disk / "big.csv")  # past PARALLEL_FROM_ROWS
    os.mkfifo(streamed / "big.csv")
    writer = fed(streamed / "big.csv", (on_disk / "big.csv").read_bytes())
    from_fifo = imported(streamed, "gtd", "big.csv")
    writer.join(timeout=60)
    assert from_fifo[0] == 0, from_fifo[2]
    assert from_fifo == imported(on_disk, "gtd", "big.csv")
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("incidents-*/export.csv"))


def test_a_stream_of_nul_bytes_is_refused_at_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "zero.csv")
    writer = fed(tmp_path / "zero.csv", b"\0" * 4096)
    code, _, said, store = imported(tmp_path, "gtd", "zero.csv")
    writer.join(timeout=60)
    assert code == 1 and store == b""
    assert said.strip().splitlines() == [
        "Error: zero.csv: starts with a NUL byte: not a CSV or .xlsx export"
    ]


def test_an_export_changed_while_it_is_imported_writes_nothing(tmp_path: Path) -> None:
    """A download still being written, or a file replaced mid-import: its
    rows come from two versions, so nothing is written and the import says so."""
    export = tmp_path / "big.csv"
    bench_generator().write_gtd_csv(10_500, export)
    lines = export.read_bytes().split(b"\n")
    lines[2] = b"1,2,3"  # a bad row early on: its report says the rows are being read
    export.write_bytes(b"\n".join(lines))
    command = [sys.executable, "-m", "incidents", "--store", "new.json", "import", "gtd", "big.csv"]
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    importing = subprocess.Popen(
        command, cwd=tmp_path, stderr=subprocess.PIPE, text=True, env=environment
    )
    assert importing.stderr is not None
    first = importing.stderr.readline()
    assert first.startswith("big.csv:3:"), first
    with export.open("ab") as appended:  # more rows arrive while it reads
        appended.write(b"\n".join(lines[3:100]))
    said = first + importing.stderr.read()
    assert importing.wait(timeout=120) == 1
    assert "big.csv: changed while it was read" in said
    assert not (tmp_path / "new.json").exists()


def test_a_spreadsheet_from_a_stream_without_an_ending_is_read_as_its_file(
    tmp_path: Path,
) -> None:
    """`import gtd <(unzip -p ...)` names /dev/fd/63: no ending to tell
    openpyxl that the zip it reads is a workbook."""
    from .fixtures.datasets import GTD_ROWS
    from .importing import spreadsheet

    on_disk, streamed = tmp_path / "disk", tmp_path / "fifo"
    on_disk.mkdir()
    streamed.mkdir()
    spreadsheet(on_disk / "export.xlsx", GTD_ROWS[:5])
    os.mkfifo(streamed / "export")
    writer = fed(streamed / "export", (on_disk / "export.xlsx").read_bytes())
    code, _, said, store = imported(streamed, "gtd", "export")
    writer.join(timeout=60)
    assert code == 0, said
    assert "Read 5 rows of export as GTD." in said
    assert store == imported(on_disk, "gtd", "export.xlsx")[3]


def test_a_stream_that_cannot_be_copied_says_why_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from incidents.importers.encodings import FileFormatError
    from incidents.importers.streams import readable_file

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("incidents.importers.streams.shutil.copyfileobj", full)
    os.mkfifo(tmp_path / "export.csv")
    writer = fed(tmp_path / "export.csv", b"eventid,iyear\n1,2\n")
    with pytest.raises(FileFormatError) as refused, readable_file(tmp_path / "export.csv"):
        pass
    writer.join(timeout=60)
    assert str(refused.value) == (
        f"{tmp_path / 'export.csv'}: cannot be copied to a temporary file to be read: "
        "No space left on device"
    )
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("incidents-*/export.csv"))
