"""Reading only what the index needs from an incident's JSON text.

A compiled, typed decoder (msgspec) reads the fields that the index's rows
are made of and skips the rest (summaries, sources, notes) without building
them: three times faster than parsing every incident whole.  It is no
validator: a text it reads may still be refused by the model, which every
build runs as well; a text it cannot read (a wrong type) raises ValueError,
and the model then says what is wrong with it.
"""

from __future__ import annotations

from typing import Any

import msgspec


class Bounds(msgspec.Struct, kw_only=True, frozen=True):
    min: int
    max: int | None = None
    best: int | float | None = None


class Coordinates(msgspec.Struct, kw_only=True, frozen=True):
    precision: str


class Place(msgspec.Struct, kw_only=True, frozen=True):
    country: str
    country_code: str | None = None
    province: str | None = None
    district: str | None = None
    city: str | None = None
    site: str | None = None
    aliases: list[str] = []
    coordinates: Coordinates | None = None


class Perpetrator(msgspec.Struct, kw_only=True, frozen=True):
    name: str | None = None
    attribution: str


class Claim(msgspec.Struct, kw_only=True, frozen=True):
    by: str


class Origin(msgspec.Struct, kw_only=True, frozen=True):
    dataset: str
    id: str
    codes: dict[str, int | None] | None = None


class Indexed(msgspec.Struct, kw_only=True, frozen=True):
    """The fields of an incident that its index rows are made of."""

    id: str
    date: str
    end_date: str | None = None
    location: Place
    perpetrator: Perpetrator
    claim: Claim | None = None
    attack_type: str
    target_type: str
    weapon_types: list[str] = []
    killed: int | Bounds | None
    wounded: int | Bounds | None
    origin: Origin | None = None


_DECODER = msgspec.json.Decoder(Indexed)


def decode_indexed(text: bytes | str | memoryview) -> Indexed:
    """The indexed fields of one incident's JSON text; ValueError when the text
    is not one object of the model's shape there."""
    return _DECODER.decode(text)


_WHOLE = msgspec.json.Decoder()


def decode_json(text: bytes | str) -> Any:
    """A JSON text as Python data (dicts, lists...), as ``json.loads`` makes
    it, faster."""
    return _WHOLE.decode(text)
