"""The store's JSON Schema, generated from the pydantic models.

Editors that read ``"$schema": "incidents.schema.json"`` at the top of the
store check it while it is typed.  The schema describes the types; the checks
in ``incidents.checks`` (duplicate ids, dates in the future...) go further.
"""

from __future__ import annotations

import json
from typing import Any

from incidents.model import Store

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def store_schema() -> dict[str, Any]:
    schema = Store.model_json_schema(by_alias=True, mode="validation")
    schema["title"] = "incidents store"
    schema["description"] = (
        "Incidents of terrorist and political violence, read by the `incidents` tool. "
        "Run `incidents validate` for the checks a schema cannot express."
    )
    return {"$schema": DIALECT, **schema}


def schema_text() -> str:
    """The schema as the repository keeps it: 2-space indent, UTF-8, trailing newline."""
    return json.dumps(store_schema(), indent=2, ensure_ascii=False) + "\n"
