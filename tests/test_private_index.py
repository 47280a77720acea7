"""The query index holds every incident's text: its cache directory is its
user's alone, an index is no more readable than its store, and an index
that can only be read still answers a full-text search."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from incidents.index import index_path_for
from tests.processes import as_nobody, nobody_python, public_directory, run_incidents


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(
    ("store_mode", "index_mode"), [(0o600, 0o600), (0o644, 0o644)], ids=["0600", "0644"]
)
def test_the_cache_is_private_and_an_index_no_more_readable_than_its_store(
    seed_copy: Path, tmp_path: Path, store_mode: int, index_mode: int
) -> None:
    seed_copy.chmod(store_mode)
    old = os.umask(0o022)
    try:
        result = run_incidents("--store", seed_copy, "list")
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    cache = tmp_path / "cache" / "incidents"
    assert oct(mode_of(cache)) == oct(0o700)
    assert oct(mode_of(index_path_for(seed_copy, cache))) == oct(index_mode)


def test_a_cache_directory_open_to_all_is_made_private(seed_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "incidents"
    cache.mkdir(parents=True)
    cache.chmod(0o755)  # as an older version made it
    assert run_incidents("--store", seed_copy, "list").returncode == 0
    assert oct(mode_of(cache)) == oct(0o700)


def test_another_user_cannot_read_the_index_of_a_private_store() -> None:
    python, _ = nobody_python()
    with public_directory(0o755) as public:
        store = public / "incidents.json"
        store.write_bytes((Path(__file__).parent.parent / "incidents.json").read_bytes())
        store.chmod(0o600)
        cache = public / "cache"
        cache.mkdir(mode=0o755)  # even in a cache directory others may enter
        listed = run_incidents("--store", store, "list", env={"XDG_CACHE_HOME": str(cache)})
        assert listed.returncode == 0, listed.stderr
        index = index_path_for(store, cache / "incidents")
        (cache / "incidents").chmod(0o755)
        peek = subprocess.run(
            ["runuser", "-u", "nobody", "--", python, "-c", f"open({str(index)!r}, 'rb').read()"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert peek.returncode == 1
    assert "PermissionError" in peek.stderr


def test_a_full_text_search_works_on_an_index_that_can_only_be_read() -> None:
    with public_directory(0o755) as public:
        store = public / "incidents.json"
        store.write_bytes((Path(__file__).parent.parent / "incidents.json").read_bytes())
        store.chmod(0o644)
        cache = public / "cache"
        built = run_incidents("--store", store, "list", env={"XDG_CACHE_HOME": str(cache)})
        assert built.returncode == 0, built.stderr
        (cache / "incidents").chmod(0o755)  # root's cache, shared for the test
        found = as_nobody(
            "--store", store, "list", "--text", "embassy", env={"XDG_CACHE_HOME": str(cache)}
        )
    assert found.returncode == 0, found.stderr
    assert "2022-12-02-kabul" in found.stdout
    assert "Note:" not in found.stderr  # the index answered, not the store in memory
