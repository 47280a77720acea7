"""An incident's text in a store is written by pydantic's serializer where it
writes the very bytes ``json.dumps(indent=2)`` writes, and by ``json.dumps``
where it would not: the two are compared on generated incidents, with any
float, any text (escapes, control characters, letters of every script).  A
sqlite store keeps the text without its spaces, and gives it back as it was."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.index.texts import compact, indented
from incidents.model import Incident
from incidents.store import stored_json, stored_json_of

from .test_one_answer import incidents

texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
latitudes = st.floats(-90, 90, allow_nan=False) | st.sampled_from([0.0, -0.0, 3e-05, 1e-06, 1e-4])
longitudes = st.floats(-180, 180, allow_nan=False) | st.sampled_from([-0.0, 9.99e-05, 1e-10])
estimates = st.floats(0, 60, allow_nan=False) | st.sampled_from([0.0, 2e-05, 19.8, 1e-09])


@st.composite
def varied(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = draw(incidents(draw(st.integers(0, 999))))
    data["summary"] = draw(texts)
    data["target"] = draw(texts)
    data["location"]["country"] = draw(texts.filter(bool))
    if draw(st.booleans()):
        data["notes"] = draw(texts)
    data["location"]["coordinates"] = {
        "lat": draw(latitudes),
        "lon": draw(longitudes),
        "precision": "city",
    }
    data["killed"] = {"min": 0, "max": 60, "best": draw(estimates)}
    return data


@settings(max_examples=120, deadline=None)
@given(data=varied())
def test_an_incident_is_written_as_json_dumps_writes_it(data: dict[str, Any]) -> None:
    incident = Incident.model_validate_json(json.dumps(data))
    expected = stored_json_of(incident.model_dump(mode="json", exclude_defaults=True))
    assert stored_json(incident) == expected


@settings(max_examples=60, deadline=None)
@given(data=varied())
def test_a_text_kept_without_its_spaces_comes_back_as_it_was(data: dict[str, Any]) -> None:
    text = stored_json(Incident.model_validate_json(json.dumps(data)))
    kept = compact(text)
    assert len(kept) < len(text)
    assert indented(kept) == text
