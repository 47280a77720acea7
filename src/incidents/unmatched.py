"""Names asked for that the store does not hold, said so with the closest ones.

A ``--location`` or ``--perpetrator`` value that matches no incident of the
store (whatever the other filters) is most often mistyped: an empty answer
then says nothing of the kind, so a note names the closest names in the
store.  Each value is asked of the store on its own, with the index or
without, so both say the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from incidents.locations import LocationQuery
from incidents.vocabulary import normalise

if TYPE_CHECKING:
    from incidents.query import Filters, IncidentSource

SUGGESTIONS = 3
CUTOFF = 0.6


def unmatched_notes(source: IncidentSource, filters: Filters) -> list[str]:
    """A note for each place or perpetrator asked for that no incident has."""
    from incidents.query import Filters

    def none_at(text: str) -> bool:
        return not source.matches_any(Filters(locations=(text,)))

    notes: list[str] = []
    for text in filters.locations:
        if none_at(text):
            notes += _place_notes(source, text, none_at)
    for text in filters.perpetrators:
        if not source.matches_any(Filters(perpetrators=(text,))):
            hint = _hint(closest(text, source.perpetrators()))
            notes.append(f"no perpetrator called {text!r} in the store{hint}")
    return notes


def _place_notes(source: IncidentSource, text: str, none_at: Callable[[str], bool]) -> list[str]:
    parts = [part.text for part in LocationQuery.of(text).parts]
    missing = [part for part in parts if none_at(part)] if parts else [text]
    if not missing:  # "Kabul, Pakistan": each is in the store, never together
        places = " and ".join(repr(part) for part in parts)
        return [f"no incident in the store is at {places} together"]
    names = source.place_names()
    return [
        f"no place called {name!r} in the store{_hint(closest(name, names))}" for name in missing
    ]


def closest(text: str, names: Iterable[str]) -> list[str]:
    """The names most like ``text`` (compared folded), closest first."""
    import difflib  # only for a name that is not in the store

    by_key: dict[str, str] = {}
    for name in sorted(names):
        by_key.setdefault(normalise(name), name)
    close = difflib.get_close_matches(normalise(text), list(by_key), SUGGESTIONS, CUTOFF)
    return [by_key[key] for key in close]


def _hint(names: Sequence[str]) -> str:
    if not names:
        return ""
    shown = [name if name.isprintable() else repr(name) for name in names]
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
    return f"; did you mean {listed}?"
