"""The lock file beside the store: never followed through a link, never
something else truncated or removed, made with the store's permissions, and
a stale one left by another user blocks nobody; a write keeps the store's
mode and owner, or says that it could not."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from incidents.locking import lock_path, store_lock
from tests.processes import as_nobody, public_directory, run_incidents

EDIT = ("edit", "2022-09-herat", "--set", "killed=3")


@pytest.fixture
def shared() -> Iterator[Path]:
    """A directory every user may enter and write (as /tmp is, without its sticky bit)."""
    with public_directory(0o777) as directory:
        yield directory


def killed_of(store: Path, incident_id: str) -> object:
    import json

    document = json.loads(store.read_text(encoding="utf-8"))
    return next(i["killed"] for i in document["incidents"] if i["id"] == incident_id)


def test_a_planted_symlink_as_lock_file_is_refused_and_its_target_untouched(
    seed_copy: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    lock_path(seed_copy).symlink_to(victim)
    before = seed_copy.read_bytes()
    result = run_incidents("--store", seed_copy, *EDIT)
    assert result.returncode == 1
    assert victim.read_text() == "precious\n"
    assert lock_path(seed_copy).is_symlink()
    assert seed_copy.read_bytes() == before
    assert "Traceback" not in result.stderr
    assert f"{lock_path(seed_copy)} is a symbolic link, not a lock file of ours" in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_a_lock_file_that_is_no_file_is_refused_and_left_alone(seed_copy: Path, kind: str) -> None:
    path = lock_path(seed_copy)
    os.mkfifo(path) if kind == "fifo" else path.mkdir()
    result = run_incidents("--store", seed_copy, *EDIT)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "not a lock file of ours; it is left alone" in result.stderr
    assert stat.S_ISFIFO(path.stat().st_mode) if kind == "fifo" else path.is_dir()


def test_the_lock_file_has_the_store_s_permissions(seed_copy: Path) -> None:
    seed_copy.chmod(0o660)
    old = os.umask(0o022)
    try:
        with store_lock(seed_copy):
            mode = stat.S_IMODE(lock_path(seed_copy).stat().st_mode)
    finally:
        os.umask(old)
    assert oct(mode) == oct(0o660)


def test_another_user_s_stale_lock_file_blocks_nobody(shared: Path) -> None:
    store = shared / "incidents.json"
    store.write_bytes((Path(__file__).parent.parent / "incidents.json").read_bytes())
    store.chmod(0o666)
    lock_path(store).write_text("999999\n")  # root's, left behind, 0644
    lock_path(store).chmod(0o644)
    result = as_nobody("--store", store, *EDIT, env={"XDG_CACHE_HOME": str(shared / "cache")})
    assert result.returncode == 0, result.stderr
    assert killed_of(store, "2022-09-herat") == 3


def test_a_write_keeps_the_owner_of_another_user_s_store(shared: Path, seed_copy: Path) -> None:
    import pwd

    nobody = pwd.getpwnam("nobody")
    if os.geteuid() != 0:
        pytest.skip("only root can give a store to another user")
    store = shared / "incidents.json"
    store.write_bytes(seed_copy.read_bytes())
    os.chown(store, nobody.pw_uid, nobody.pw_gid)
    store.chmod(0o640)
    result = run_incidents("--store", store, *EDIT)
    assert result.returncode == 0, result.stderr
    after = store.stat()
    assert (after.st_uid, after.st_gid) == (nobody.pw_uid, nobody.pw_gid)
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert "Note:" not in result.stderr


def test_a_write_that_cannot_keep_the_owner_says_so(shared: Path, seed_copy: Path) -> None:
    store = shared / "incidents.json"
    store.write_bytes(seed_copy.read_bytes())
    store.chmod(0o666)  # root's, and anyone may write it
    result = as_nobody("--store", store, *EDIT, env={"XDG_CACHE_HOME": str(shared / "cache")})
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(store.stat().st_mode) == 0o666
    assert f"Note: {store} belonged to root:root; rewritten, it belongs to nobody:" in result.stderr


def test_nested_holds_of_the_lock_in_one_process_do_not_wait(seed_copy: Path) -> None:
    with store_lock(seed_copy, timeout=0), store_lock(seed_copy, timeout=0):
        assert lock_path(seed_copy).read_text() == f"{os.getpid()}\n"
    assert not lock_path(seed_copy).exists()


def test_remove_without_a_terminal_and_without_yes_removes_nothing(seed_copy: Path) -> None:
    before = seed_copy.read_bytes()
    result = run_incidents("--store", seed_copy, "remove", "2022-06-imam-sahib", input="n\n")
    assert result.returncode == 2
    assert seed_copy.read_bytes() == before
    assert "give --yes to remove without asking" in result.stderr
