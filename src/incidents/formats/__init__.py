"""Output formats: one module each, chosen by the ``Format`` enum."""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    NDJSON = "ndjson"
    GEOJSON = "geojson"
    MARKDOWN = "markdown"

    @classmethod
    def from_suffix(cls, suffix: str) -> Format | None:
        """The data format a file name ending implies (``.csv``, ``.json``...)."""
        endings = {
            ".csv": cls.CSV,
            ".json": cls.JSON,
            ".ndjson": cls.NDJSON,
            ".jsonl": cls.NDJSON,
            ".geojson": cls.GEOJSON,
            ".md": cls.MARKDOWN,
        }
        return endings.get(suffix.lower())
