"""Values for shell completion: ids, category words, places and groups.

These run inside the user's shell at every Tab press, so they must never
fail loudly: a store that cannot be read offers no values, and the shell
falls back to its own completion.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from incidents.categories import Category
from incidents.model import Incident
from incidents.vocabulary import (
    PERPETRATOR_NAMES,
    PLACE_NAMES,
    category_words,
    fold,
    normalise,
    place_key,
)


def load_quietly(store_option: str | os.PathLike[str] | None) -> list[Incident]:
    """The store's incidents, or none at all when it cannot be found or read."""
    from incidents.store import load_store, locate_store

    try:
        return load_store(locate_store(store_option).path).incidents
    except Exception:  # completion must not print a traceback into the shell
        return []


def matching(choices: Iterable[str], incomplete: str) -> list[str]:
    """The choices that begin with what was typed, ignoring case and accents."""
    typed = fold(incomplete)
    return sorted({c for c in choices if fold(c).startswith(typed) or c.startswith(incomplete)})


def category_choices(category: type[Category]) -> list[str]:
    return category_words(category)


def incident_ids(incidents: Iterable[Incident]) -> list[str]:
    return [incident.id for incident in incidents]


def place_names(incidents: Iterable[Incident]) -> list[str]:
    """The store's place names, and the other common spellings of those places."""
    names = {name for incident in incidents for name in incident.location.places()}
    keys = {place_key(name) for name in names}
    for spellings in PLACE_NAMES:
        if place_key(spellings[0]) in keys:
            names.update(spellings)
    return sorted(names)


def perpetrator_names(incidents: Iterable[Incident]) -> list[str]:
    """The groups in the store under every name they are known by, and 'unknown'."""
    names = {"unknown"}
    for incident in incidents:
        for name in (incident.perpetrator.name, incident.claim.by if incident.claim else None):
            if name:
                names.add(name)
                names.update(_aliases(name))
    return sorted(names)


def _aliases(name: str) -> tuple[str, ...]:
    key = normalise(name)
    for names in PERPETRATOR_NAMES:
        if key in (normalise(n) for n in names):
            return names
    return ()
