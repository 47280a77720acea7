"""--location as a place path ("Hyderabad, Pakistan"), and a place or
perpetrator that matches nothing said so with the closest names in the store."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import incident_data
from .test_index import both_ways
from .test_index import invoke as invoke_with_filters


def invoke(*args: str | Path) -> tuple[int, str, str]:
    """As ``test_index.invoke``, without the line that names the filters in
    effect (its own tests are in test_counted): these tests are about the
    notes on names and words."""
    code, out, err = invoke_with_filters(*args)
    kept = [line for line in err.splitlines(keepends=True) if not line.startswith("Filters: ")]
    return code, out, "".join(kept)


@pytest.fixture
def store(write_store: Callable[..., Path]) -> Path:
    return write_store(
        [
            incident_data(
                id="hyderabad-sindh",
                location={"country": "Pakistan", "province": "Sindh", "city": "Hyderabad"},
                perpetrator={"name": "Taliban", "attribution": "suspected"},
            ),
            incident_data(
                id="hyderabad-telangana",
                location={"country": "India", "province": "Telangana", "city": "Hyderabad"},
            ),
            incident_data(
                id="jalalabad",
                location={"country": "Afghanistan", "province": "Nangarhar", "city": "Jalalabad"},
            ),
            incident_data(
                id="washington",
                location={"country": "United States", "city": "Washington, D.C."},
            ),
        ]
    )


def _ids(store: Path, *args: str) -> list[str]:
    lines = both_ways(store, "export", "--format", "ndjson", *args).splitlines()
    return [json.loads(line)["id"] for line in lines]


def test_a_place_path_means_the_first_place_within_the_others(store):
    assert _ids(store, "--location", "Hyderabad") == ["hyderabad-sindh", "hyderabad-telangana"]
    assert _ids(store, "--location", "Hyderabad, Pakistan") == ["hyderabad-sindh"]
    assert _ids(store, "--location", "Hyderabad, Telangana, India") == ["hyderabad-telangana"]
    assert _ids(store, "--location", "India, Hyderabad") == ["hyderabad-telangana"]  # any order
    assert _ids(store, "--location", "Hyderabad,PAK") == ["hyderabad-sindh"]
    assert _ids(store, "--location", "Hyderabad, Afghanistan") == []


def test_a_name_with_a_comma_in_it_still_matches_whole(store):
    assert _ids(store, "--location", "Washington, D.C.") == ["washington"]
    assert _ids(store, "--location", "washington d c") == ["washington"]


def test_a_place_that_matches_nothing_says_so_with_the_closest_names(store):
    code, out, err = invoke("--store", store, "list", "--location", "Jalalabd", "-f", "csv")
    assert (code, out.count("\n")) == (0, 1)  # the header alone: the answer is still given
    assert err == "no place called 'Jalalabd' in the store; did you mean Jalalabad?\n"
    both_ways(store, "total", "--location", "Jalalabd")
    err = invoke("--store", store, "total", "--location", "Hyderabd, Pakistn")[2]
    assert err.splitlines() == [
        "no place called 'Hyderabd' in the store; did you mean Hyderabad?",
        "no place called 'Pakistn' in the store; did you mean Pakistan?",
    ]
    err = invoke("--store", store, "total", "--location", "Jalalabad, Pakistan")[2]
    assert err == "no incident in the store is at 'Jalalabad' and 'Pakistan' together\n"
    # A place that is there, beside one that is not: the missing one is named.
    err = invoke(
        "--store", store, "list", "--location", "Jalalabad", "--location", "Atlantis", "-f", "csv"
    )[2]
    assert err == "no place called 'Atlantis' in the store\n"


def test_a_place_found_but_left_out_by_other_filters_says_nothing(store):
    assert (
        invoke("--store", store, "list", "--location", "Jalalabad", "--since", "2023", "-f", "csv")[
            2
        ]
        == ""
    )


def test_a_perpetrator_that_matches_nothing_says_so_with_the_closest_names(store):
    err = invoke("--store", store, "timeline", "--perpetrator", "Talibn")[2]
    assert err == "no perpetrator called 'Talibn' in the store; did you mean Taliban?\n"
    both_ways(store, "export", "--perpetrator", "Talibn")
    assert (
        invoke("--store", store, "list", "--perpetrator", "Taleban", "-f", "csv")[2] == ""
    )  # an alias


# --- category words ----------------------------------------------------------


@pytest.fixture
def targets(write_store: Callable[..., Path]) -> Path:
    kinds = [
        ("ministry", "Government (General)", "Armed Assault"),
        ("embassy", "Government (Diplomatic)", "Hostage Taking (Barricade Incident)"),
        ("church", "Religious Figures/Institutions", "Hostage Taking (Kidnapping)"),
    ]
    return write_store(
        [
            incident_data(id=name, target_type=target, attack_type=attack)
            for name, target, attack in kinds
        ]
    )


@pytest.mark.parametrize(
    ("args", "ids", "said"),
    [
        (
            ["--target-type", "church"],
            ["church"],
            "church: searched for Religious Figures/Institutions\n",
        ),
        (
            ["--target-type", "government"],
            ["embassy", "ministry"],
            "government: searched for Government (General) and Government (Diplomatic)\n",
        ),
        (
            ["--attack-type", "hostage"],
            ["church", "embassy"],
            "hostage: searched for Hostage Taking (Barricade Incident) and Hostage Taking "
            "(Kidnapping)\n",
        ),
        (
            ["--target-type", "embassy", "--target-type", "embassy", "--weapon", "bomb"],
            ["embassy"],
            "embassy: searched for Government (Diplomatic)\nbomb: searched for Explosives\n",
        ),
        # Words that are the category's own name (or its beginning, or its code) say nothing.
        (["--target-type", "religious", "--target-type", "15"], ["church"], ""),
        (["--target-type", "Government (General)"], ["ministry"], ""),
        (["--target-type", "diplomatic", "--attack-type", "kidnapping"], [], ""),
    ],
)
def test_a_category_word_says_what_it_searched_for(targets, args, ids, said):
    assert _ids(targets, *args) == ids
    assert invoke("--store", targets, "list", *args, "-f", "csv")[2] == said
