"""One name for one thing: totals by perpetrator or place group the way the
filters match.

Both ways of answering (in memory, and the SQLite index) first count the
incidents of each spelling as stored, then hand them here, where the
spellings of one actor or place become one group:

- a perpetrator by its names and aliases (ISKP is Islamic State Khorasan
  Province, Taleban is Taliban), GTD's "Unknown" and no name at all being
  the one unknown perpetrator;
- a country by its ISO code ("Yemen (North Yemen)" is Yemen: YEM), or by
  its name where it has no code;
- a province or city by its place key (Hirat is Herat, Kabul is kabul).

A group is named by the vocabulary's name where the vocabulary knows the
spelling ("Herat", "Islamic State Khorasan Province"), otherwise by its
most frequent spelling in what is counted, ties going to the first in
alphabetical order (by code point, as SQLite's BINARY collation orders).
So the name depends on the incidents, never on their order in the store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING

from incidents.vocabulary import perpetrator_key, perpetrator_name, place_key, place_name

if TYPE_CHECKING:
    from incidents.query import Group, GroupBy

# A group's spelling as stored: the perpetrator's name, the province or the
# city (None when not given), or for a country its code and its name.
Spelling = tuple[str | None, ...]

NO_VALUE = "(none)"


def identity(by: GroupBy, spelling: Spelling) -> tuple[Hashable, str]:
    """What makes a spelling one group with others, and the name it stands for."""
    if by.value == "country":
        code, name = spelling
        return code or place_key(name or ""), place_name(name or "")
    (name,) = spelling
    if by.value == "perpetrator":
        return perpetrator_key(name or None), perpetrator_name(name or None)
    if not name:  # a province or city not given
        return NO_VALUE, NO_VALUE
    return place_key(name), place_name(name)


def merge_spellings(by: GroupBy, spelled: Iterable[tuple[Spelling, Group]]) -> list[Group]:
    """The groups of each spelling merged into one per actor or place, named,
    most incidents first (then by name)."""
    merged: dict[Hashable, Group] = {}
    names: dict[Hashable, Counter[str]] = {}
    for spelling, group in spelled:
        key, name = identity(by, spelling)
        if key in merged:
            merged[key].merge(group)
        else:
            merged[key] = group
        names.setdefault(key, Counter())[name] += group.incidents
    for key, group in merged.items():
        group.key = min(names[key], key=lambda name: (-names[key][name], name))
    return sorted(merged.values(), key=lambda g: (-g.incidents, g.key))
