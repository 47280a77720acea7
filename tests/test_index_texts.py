"""The index keeps where each incident's text lies in the store, not a copy
of it; a store changed by hand is taken in without rebuilding the index
when only a few incidents changed, and validated as strictly as by a build."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from incidents.index import index_path_for, open_index
from incidents.index.state import StoreChanging

from .conftest import bench_generator
from .test_fresh_index import assert_index_is_as_built, invoke


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    path = tmp_path / "generated.json"
    bench_generator().write_store(1200, path, real_text=True)
    return path


def test_the_index_is_less_than_half_the_store_and_answers_from_it(generated: Path) -> None:
    code, out, err = invoke(generated, "export", "--format", "json")
    assert code == 0, err
    assert (code, out, err) == invoke(generated, "--no-index", "export", "--format", "json")
    assert len(out) > 0.9 * generated.stat().st_size  # the texts, read from the store
    assert index_path_for(generated).stat().st_size <= 0.5 * generated.stat().st_size


def _edit_by_hand(store: Path, old: bytes, new: bytes, after: bytes = b"") -> None:
    """Replace the first ``old`` after ``after`` in the store's bytes."""
    data = store.read_bytes()
    at = data.index(old, data.index(after))
    store.write_bytes(data[:at] + new + data[at + len(old) :])


def test_a_hand_edit_of_one_incident_is_taken_in_without_rebuilding_the_index(
    generated: Path,
) -> None:
    assert invoke(generated, "list", "--text", "synthetic")[0] == 0  # with its full-text table
    index = index_path_for(generated)
    built = index.stat().st_ino
    summary = b'"summary": "'
    _edit_by_hand(generated, summary, summary + b"Much longer now: ", after=b'"syn-0000600"')
    code, out, err = invoke(generated, "list", "--text", "longer", "--format", "csv")
    assert code == 0, err
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["syn-0000600"]
    assert index.stat().st_ino == built  # brought up to date in place
    assert_index_is_as_built(generated)


def test_a_hand_edit_that_breaks_an_incident_is_refused_as_a_build_refuses_it(
    generated: Path,
) -> None:
    assert invoke(generated, "list")[0] == 0
    _edit_by_hand(generated, b'"id": "syn-0000007",', b'"id": "syn-0000008",')
    code, _, err = invoke(generated, "list")
    assert code == 1
    assert "incidents[8] (id 'syn-0000008'), id: duplicate id: incidents[7] has it too" in err


def test_a_hand_edit_written_otherwise_is_shown_as_this_tool_writes_it(generated: Path) -> None:
    assert invoke(generated, "list")[0] == 0
    _edit_by_hand(generated, b'"id": "syn-0000009",', b'"id": "syn-00000\\u00309",')
    indexed = invoke(generated, "show", "syn-0000009", "--format", "json")
    assert indexed == invoke(generated, "--no-index", "show", "syn-0000009", "--format", "json")
    assert indexed[0] == 0
    assert '"id": "syn-0000009"' in indexed[1]
    assert invoke(generated, "list", "--text", "synthetic")[0] == 0  # its full-text table again
    assert_index_is_as_built(generated)


def test_a_store_rewritten_in_place_while_it_is_read_is_not_answered_from(
    generated: Path,
) -> None:
    index = open_index(generated)
    try:
        data = generated.read_bytes()
        with generated.open("r+b") as stream:  # the same size, another content
            stream.write(data.replace(b"Incident number", b"Incident NUMBER"))
        stamp = os.stat(generated)
        os.utime(generated, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000))
        with pytest.raises(StoreChanging, match="changed while it was read"):
            list(index.stored_texts(_no_filters()))
    finally:
        index.close()


def _no_filters() -> Any:
    from incidents.query import Filters

    return Filters()


def test_an_import_into_a_new_store_writes_its_index_with_it(tmp_path: Path) -> None:
    from .test_fresh_index import FIXTURES

    store = tmp_path / "new.json"
    code, _, err = invoke(store, "import", "gtd", FIXTURES / "gtd.csv")
    assert code == 0, err
    index = index_path_for(store)
    built = index.stat().st_ino  # there already
    assert invoke(store, "list", "--text", "bomb")[0] == 0
    assert index.stat().st_ino == built
    assert_index_is_as_built(store)
