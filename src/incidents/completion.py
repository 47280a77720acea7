"""Values for shell completion: ids, category words, places and groups.

These run inside the user's shell at every Tab press, so they must never
fail loudly: a store that cannot be read offers no values, and the shell
falls back to its own completion.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from incidents.inert import inert
from incidents.vocabulary import (
    PERPETRATOR_NAMES,
    PLACE_NAMES,
    fold,
    normalise,
    place_key,
)

if TYPE_CHECKING:
    from incidents.index import StoreIndex


def open_quietly(store_option: str | os.PathLike[str] | None) -> StoreIndex | None:
    """The store's query index (fast at any size), or None when the store
    cannot be found or read."""
    from incidents.index import open_index
    from incidents.store import locate_store

    try:
        return open_index(locate_store(store_option).path)
    except Exception:  # completion must not print a traceback into the shell
        return None


def matching(choices: Iterable[str], incomplete: str) -> list[str]:
    """The choices that begin with what was typed, ignoring case and accents;
    a control character in one shows as its escape, never reaching the terminal."""
    typed = fold(incomplete)
    return sorted(
        {inert(c) for c in choices if fold(c).startswith(typed) or c.startswith(incomplete)}
    )


def incident_ids(store: StoreIndex) -> list[str]:
    return store.ids()


def place_names(store: StoreIndex) -> list[str]:
    """The store's place names, and the other common spellings of those places."""
    names = set(store.place_names())
    keys = {place_key(name) for name in names}
    for spellings in PLACE_NAMES:
        if place_key(spellings[0]) in keys:
            names.update(spellings)
    return sorted(names)


def perpetrator_names(store: StoreIndex) -> list[str]:
    """The groups in the store under every name they are known by, and 'unknown'."""
    names = {"unknown"}
    for name in store.perpetrators():
        names.add(name)
        names.update(_aliases(name))
    return sorted(names)


def _aliases(name: str) -> tuple[str, ...]:
    key = normalise(name)
    for names in PERPETRATOR_NAMES:
        if key in (normalise(n) for n in names):
            return names
    return ()
