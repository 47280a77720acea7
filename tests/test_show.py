"""`show`: ids typed short or in any case, several at once, URLs whole,
prose at a readable width."""

from __future__ import annotations

import json

import pytest

from .conftest import incident_data

LONG_URL = "https://www.example.org/news/2016/09/05/" + "kabul-twin-blasts-" * 8 + "report"
SUMMARY = " ".join(["Twin blasts near the ministry killed dozens."] * 6)


@pytest.fixture
def store(write_store):
    return write_store(
        [
            incident_data(
                id="gtd-201609050008",
                summary=SUMMARY,
                sources=[
                    {"publisher": "Wire", "title": "Blasts in Kabul", "url": LONG_URL},
                    {"publisher": "Paper", "url": "https://e.org/a"},
                ],
            ),
            incident_data(id="gtd-201609050009"),
            incident_data(id="gtd-201611210005"),
        ]
    )


def shown_ids(stdout: str) -> list[str]:
    return [line.split()[1] for line in stdout.splitlines() if line.startswith("ID ")]


@pytest.mark.parametrize(
    "typed", ["gtd-201611210005", "GTD-201611210005", "gtd-2016112", "GTD-20161"]
)
def test_an_id_in_any_case_or_its_unique_beginning(run, store, typed):
    result = run("show", typed, store=store)
    assert result.exit_code == 0, result.stderr
    assert shown_ids(result.stdout) == ["gtd-201611210005"]


def test_an_id_that_begins_a_longer_one_is_itself(run, write_store):
    store = write_store([incident_data(id="2022-05-kabul"), incident_data(id="2022-05-kabul-2")])
    assert shown_ids(run("show", "2022-05-KABUL", store=store).stdout) == ["2022-05-kabul"]


def test_several_ids_at_once_in_the_order_given(run, store):
    result = run("show", "gtd-2016112", "GTD-201609050008", "gtd-201611210005", store=store)
    assert result.exit_code == 0
    assert shown_ids(result.stdout) == ["gtd-201611210005", "gtd-201609050008"]
    # One blank line between two incidents.
    lines = result.stdout.splitlines()
    assert lines[lines.index(next(x for x in lines if "gtd-201609050008" in x)) - 1] == ""
    as_json = run("show", "gtd-2016112", "gtd-201609050009", "--format", "json", store=store)
    decoder = json.JSONDecoder()
    text, found = as_json.stdout, []
    while text.strip():
        value, end = decoder.raw_decode(text.lstrip())
        found.append(value["id"])
        text = text.lstrip()[end:]
    assert found == ["gtd-201611210005", "gtd-201609050009"]


def test_a_beginning_shared_by_several_ids_lists_them(run, store):
    result = run("show", "gtd-20160905", store=store)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        "Error: Invalid value for ID: 'gtd-20160905' is the beginning of several ids: "
        "gtd-201609050008, gtd-201609050009; type more of the one you mean."
    ) in result.stderr


def test_an_unknown_id_still_suggests_close_ones(run, store):
    result = run("show", "gtd-201609050007", store=store)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: no incident has the id 'gtd-201609050007'. Did you mean: gtd-201609050009, "
    )


@pytest.mark.parametrize("width", [60, 80, 200])
def test_a_url_is_never_wrapped_and_prose_stays_readable(run, store, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    lines = run("show", "gtd-201609050008", store=store).stdout.splitlines()
    # The long URL whole, on a line of its own under the source's other parts.
    [at] = [i for i, line in enumerate(lines) if LONG_URL in line]
    assert lines[at].strip() == LONG_URL
    assert lines[at - 1].split() == ["Source", "1", "Wire,", "Blasts", "in", "Kabul,"]
    assert "Source 2     Paper, https://e.org/a" in lines  # a short one stays on its line
    # Everything else fits, and prose never runs wider than 80 columns.
    others = [line for line in lines if LONG_URL not in line]
    assert max(len(line) for line in others) <= min(width, 80)
    summary = [line[13:] for line in others if line.startswith(("Summary", " " * 13))]
    assert " ".join(" ".join(summary).split()) == SUMMARY
    assert len(summary) > 1
