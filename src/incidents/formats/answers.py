"""What an answer counted, in words: the filters in effect, the incidents
that only may fall within the dates asked for, and what a filter left out
that it only may not have matched.  Printed after every answer (on stderr,
so that data on stdout stays clean) and on every chart's page."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from incidents.formats.labels import MAYBE_OUTSIDE_MARK

if TYPE_CHECKING:
    from incidents.query import Excluded, Filters, Tally


def _either(values: Sequence[object]) -> str:
    return " or ".join(str(value) for value in values)


def _codes(codes: Sequence[tuple[str, int]]) -> str:
    by_name: dict[str, list[int]] = {}
    for name, value in codes:
        by_name.setdefault(name, []).append(value)
    return "code " + ", ".join(f"{name}={_either(values)}" for name, values in by_name.items())


_FILTER_WORDS: dict[str, Callable[[Any], str]] = {
    "since": lambda v: f"since {v}",
    "until": lambda v: f"until {v}",
    "on": lambda v: f"within {_either(v)}",
    "target_types": lambda v: f"target type {_either(sorted(v))}",
    "attack_types": lambda v: f"attack type {_either(sorted(v))}",
    "weapon_types": lambda v: f"weapon {_either(sorted(v))}",
    "locations": lambda v: f"place {_either(v)}",
    "perpetrators": lambda v: f"perpetrator {_either(v)}",
    "texts": lambda v: "text " + _either([f"“{t}”" for t in v]),
    "min_killed": lambda v: f"at least {v} killed",
    "max_killed": lambda v: f"at most {v} killed",
    "min_wounded": lambda v: f"at least {v} wounded",
    "max_wounded": lambda v: f"at most {v} wounded",
    "attributions": lambda v: f"attribution {_either(sorted(v))}",
    "place_precision": lambda v: (
        "place known exactly" if v == "exact" else f"place known to the {v} or better"
    ),
    "codes": _codes,
    "strict_dates": lambda v: "only incidents surely within those dates",
}


def filter_phrases(filters: Filters) -> list[str]:
    """The filters in effect, in words: ``since 2022-09``, ``place Kabul or Herat``.

    A filter without words of its own here is still named, by its field."""
    phrases = []
    for item in dataclasses.fields(filters):
        value = getattr(filters, item.name)
        if value in (None, False, (), frozenset()):
            continue
        words = _FILTER_WORDS.get(item.name)
        phrases.append(words(value) if words else f"{item.name.replace('_', ' ')} {value}")
    return phrases


def filters_line(filters: Filters, extra: Sequence[str] = ()) -> str | None:
    """``Filters: since 2022-09; place Kabul.``, or None when there are none."""
    phrases = [*filter_phrases(filters), *extra]
    return f"Filters: {'; '.join(phrases)}." if phrases else None


def incidents_text(count: int) -> str:
    return f"{count:,} incident" + ("" if count == 1 else "s")


def tally_text(tally: Tally) -> str:
    """``3 incidents``, ``3 incidents, 1 of which may fall outside the dates asked for``."""
    text = incidents_text(tally.incidents)
    if tally.uncertain:
        which = f"{tally.uncertain:,} of which" if tally.incidents > 1 else "which"
        text += f", {which} {MAY_FALL_OUTSIDE}"
    return text


MAY_FALL_OUTSIDE = "may fall outside the dates asked for"


def uncertain_sentence(tally: Tally) -> str | None:
    """``1 of them may fall outside the dates asked for (...).``, or None."""
    if not tally.uncertain:
        return None
    which = "It" if tally.incidents == 1 else f"{tally.uncertain:,} of them"
    return f"{which} {MAY_FALL_OUTSIDE} (--strict-dates leaves such out)."


# What ``(N ~)`` after a number of incidents says, in a legend.
UNCERTAIN_LEGEND = f"(N {MAYBE_OUTSIDE_MARK}) N of them {MAY_FALL_OUTSIDE}"


_FIGURE_WORDS = {
    "min_killed": ("killed", "at least"),
    "max_killed": ("killed", "at most"),
    "min_wounded": ("wounded", "at least"),
    "max_wounded": ("wounded", "at most"),
}


def excluded_lines(excluded: Sequence[Excluded]) -> list[str]:
    """What each filter left out that it only may not have matched, in words."""
    lines = []
    for item in excluded:
        left_out = f"Left out: {incidents_text(item.count)}"
        if item.filter == "strict_dates":
            lines.append(f"{left_out} whose date may fall within the dates (--strict-dates).")
        elif item.filter in _FIGURE_WORDS:
            figure, bound = _FIGURE_WORDS[item.filter]
            option = "--" + item.filter.replace("_", "-")
            lines.append(
                f"{left_out} whose {figure} figure is not known to be {bound} "
                f"{item.detail} but may be ({option})."
            )
        else:
            lines.append(f"{left_out} with no {item.detail} code (--code {item.detail}=...).")
    return lines
