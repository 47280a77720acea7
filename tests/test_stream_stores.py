"""A store read from a pipe (`--store /dev/stdin`, `<(...)`, a FIFO) answers
reading commands; one that never ends, or is no store at all (/dev/zero),
ends with a clear error, neither a hang nor the machine's memory."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SEED_STORE

# The command line in a process whose memory is bounded, should a version
# read a stream for ever; with the stream bounds made small when asked, so
# that a test need not wait a minute or send a gigabyte.
_BOUNDED = textwrap.dedent(
    """
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))
    import incidents.store as store
    if sys.argv[1] == "small":
        store.STREAM_IDLE_SECONDS = 0.5
        store.STREAM_LIMIT_BYTES = 1 << 20
    from incidents.cli import main
    sys.argv = ["incidents", *sys.argv[2:]]
    main()
    """
)


def run_bounded(
    *args: str | Path, small_bounds: bool = False, input: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    bounds = "small" if small_bounds else "usual"
    result = subprocess.run(
        [sys.executable, "-c", _BOUNDED, bounds, *(str(a) for a in args)],
        input=input,
        capture_output=True,
        timeout=30,
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode(), result.stderr.decode()
    )


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "store.json"
    os.mkfifo(path)
    return path


class Feeder:
    """Writes into a FIFO from a thread: some bytes, then more for ever or
    nothing more, holding it open until the test is done."""

    def __init__(self, fifo: Path, start: bytes, endless: bytes = b"") -> None:
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._feed, args=(fifo, start, endless))
        self.thread.start()

    def _feed(self, fifo: Path, start: bytes, endless: bytes) -> None:
        try:
            with fifo.open("wb") as stream:
                stream.write(start)
                stream.flush()
                while endless and not self.done.is_set():
                    stream.write(endless)
                self.done.wait(60)
        except (BrokenPipeError, OSError):
            pass  # the reader gave up, as it should

    def stop(self) -> None:
        self.done.set()
        self.thread.join(60)


@pytest.fixture
def feeders() -> Iterator[list[Feeder]]:
    started: list[Feeder] = []
    yield started
    for feeder in started:
        feeder.stop()


def test_a_store_piped_into_standard_input_answers() -> None:
    result = run_bounded("--store", "/dev/stdin", "total", input=SEED_STORE.read_bytes())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Incidents  8\n")


def test_a_store_read_from_a_fifo_answers(fifo: Path, feeders: list[Feeder]) -> None:
    feeder = Feeder(fifo, SEED_STORE.read_bytes())
    feeders.append(feeder)
    feeder.done.set()  # closed once written
    result = run_bounded("--store", fifo, "list", "--location", "kabul")
    assert result.returncode == 0, result.stderr
    assert "2022-12-02-kabul" in result.stdout


def test_dev_zero_is_refused_at_once() -> None:
    result = run_bounded("--store", "/dev/zero", "total")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "Error: /dev/zero: not a JSON store: it starts with byte 0x00, not '{'\n"
    )


def test_a_fifo_that_goes_quiet_ends_with_a_clear_error(fifo: Path, feeders: list[Feeder]) -> None:
    feeders.append(Feeder(fifo, b'{"incidents": ['))  # and then nothing, never closed
    result = run_bounded("--store", fifo, "total", small_bounds=True)
    assert result.returncode == 1
    assert f"Error: {fifo}: nothing came through for 0.5 s\n" in result.stderr


def test_a_fifo_that_never_ends_ends_with_a_clear_error(fifo: Path, feeders: list[Feeder]) -> None:
    feeders.append(Feeder(fifo, b'{"incidents": [', endless=b" " * 65536))
    result = run_bounded("--store", fifo, "total", small_bounds=True)
    assert result.returncode == 1
    assert (
        f"Error: {fifo}: more than 1 MB came through; a store this large must be a file\n"
        in result.stderr
    )
