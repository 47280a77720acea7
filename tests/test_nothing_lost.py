"""Writers in real processes: concurrent adds all land; a crash loses nothing; no stuck lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from incidents.locking import LockError, lock_path, store_lock
from incidents.store import load_store

PROVINCES = ["Kabul", "Herat", "Balkh", "Kunduz", "Nangarhar"]


@pytest.fixture
def store(seed_copy: Path) -> Path:
    return seed_copy


def add_command(store: Path, number: int) -> list[str]:
    """An `incidents add` of an incident unlike any other (its own day and town)."""
    return [
        sys.executable,
        "-m",
        "incidents",
        "--store",
        str(store),
        "add",
        "--date",
        f"2023-03-{number + 1:02d}",
        "--country",
        "Afghanistan",
        "--province",
        PROVINCES[number % len(PROVINCES)],
        "--city",
        f"Town {number}",
        "--attack-type",
        "bombing",
        "--target-type",
        "police",
        "--target",
        f"Checkpoint {number}",
        "--killed",
        str(number),
        "--wounded",
        "unknown",
        "--summary",
        f"Bombing number {number}.",
        "--source",
        "Test Wire",
    ]


def test_twenty_concurrent_adds_all_land(store: Path) -> None:
    processes = [
        subprocess.Popen(add_command(store, n), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for n in range(20)
    ]
    outcomes = [(p.wait(), p.stdout, p.stderr) for p in processes]
    for code, out, err in outcomes:
        assert out is not None and err is not None
        out.close()
        assert code == 0, err.read()
        err.close()
    incidents = load_store(store).incidents
    assert len(incidents) == 8 + 20
    added = {i.id for i in incidents[8:]}
    assert added == {f"2023-03-{n + 1:02d}-town-{n}" for n in range(20)}
    checked = subprocess.run(
        [sys.executable, "-m", "incidents", "validate", str(store)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout
    assert not lock_path(store).exists()
    assert sorted(p.name for p in store.parent.iterdir()) == ["incidents.json"]


def test_a_crash_before_the_rename_leaves_the_store_intact_and_unlocked(store: Path) -> None:
    before = store.read_bytes()
    # The writer dies, as from a power cut or kill -9, just before its rename:
    # the temporary file is written and synced, the lock file is left behind.
    crash = textwrap.dedent(
        """
        import os, sys
        os.replace = lambda *args, **kwargs: os._exit(9)
        from incidents.cli import main
        sys.argv = ["incidents", *sys.argv[1:]]
        main()
        """
    )
    died = subprocess.run(
        [sys.executable, "-c", crash, *add_command(store, 1)[3:]], capture_output=True
    )
    assert died.returncode == 9
    assert store.read_bytes() == before
    leftovers = [p for p in store.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) == 1
    assert b"2023-03-02-town-1" in leftovers[0].read_bytes()
    assert lock_path(store).read_text().strip().isdigit()  # the dead writer's lock file

    after = subprocess.run(add_command(store, 2), capture_output=True, text=True, timeout=60)
    assert after.returncode == 0, after.stderr
    assert [i.id for i in load_store(store).incidents][-1] == "2023-03-03-town-2"
    assert not leftovers[0].exists()  # the dead writer's, removed by the next write


def test_a_lock_held_by_a_killed_process_does_not_block(store: Path) -> None:
    holder = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        from incidents.locking import store_lock
        with store_lock(Path(sys.argv[1])):
            print("locked", flush=True)
            sys.stdin.read()
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", holder, str(store)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    assert process.stdout.readline() == "locked\n"
    with (
        pytest.raises(LockError, match=f"locked by process {process.pid}"),
        store_lock(store, timeout=0),
    ):
        pass
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdin.close()
    process.stdout.close()
    assert lock_path(store).exists()
    with store_lock(store, timeout=0):
        assert lock_path(store).read_text() == f"{os.getpid()}\n"
    assert not lock_path(store).exists()


def test_a_leftover_lock_file_naming_a_dead_process_does_not_block(store: Path) -> None:
    lock_path(store).write_text("999999\n")
    with store_lock(store, timeout=0):
        pass
    assert not lock_path(store).exists()
