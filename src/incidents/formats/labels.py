"""Short text for uncertain values, the same in every human-readable format.

``16`` exact, ``≥1`` at least one, ``3–5`` a range, ``?`` not known (a
sum that is only "at least 0" too); ``?`` after a name: only suspected;
``~`` after a date: the incident may fall outside the dates asked for.
"""

from __future__ import annotations

from incidents.categories import AttackType, TargetType
from incidents.query import CountSum
from incidents.records import Figure
from incidents.vocabulary import PERPETRATOR_NAMES, normalise

UNKNOWN_MARK = "?"
AT_LEAST_MARK = "≥"
MAYBE_OUTSIDE_MARK = "~"


def count_text(count: Figure, with_best: bool = True) -> str:
    """``16``, ``≥1``, ``3–5``, ``3–10 (best 5)`` (the estimate left out when
    ``with_best`` is false, for narrow tables), or ``?``."""
    if count is None:
        return UNKNOWN_MARK
    if isinstance(count, int):
        return str(count)
    if count.max is None:
        text = f"{AT_LEAST_MARK}{count.min}"
    elif count.max == count.min:
        text = str(count.min)
    else:
        text = f"{count.min}–{count.max}"
    return f"{text} (best {count.best})" if with_best and count.best is not None else text


def sum_text(total: CountSum, with_best: bool = True) -> str:
    """``112``; ``≥112 (1 ?)``: a bound, and how many had no figure; ``(best N)``
    the sum of best estimates, when some figure has one (unless ``with_best``
    is false, for the narrow cells of a cross-table)."""
    best = total.best if with_best else None
    if total.exact:
        return str(total.low)
    if not_known(total):  # "at least 0" says nothing: not known
        return UNKNOWN_MARK + (f" (best {best})" if best is not None else "")
    bound = f"{AT_LEAST_MARK}{total.low}" if total.high is None else f"{total.low}–{total.high}"
    notes = [f"{total.unknown} {UNKNOWN_MARK}"] if total.unknown else []
    if best is not None:
        notes.append(f"best {best}")
    return f"{bound} ({', '.join(notes)})" if notes else bound


def not_known(total: CountSum) -> bool:
    """A sum that is at least 0 and has no upper bound: it says nothing."""
    return total.low == 0 and total.high is None


def incidents_cell(count: int, uncertain: int) -> str:
    """``12``; ``12 (1 ~)``: one of them may fall outside the dates asked for."""
    return f"{count} ({uncertain} {MAYBE_OUTSIDE_MARK})" if uncertain else str(count)


def sum_sentence(total: CountSum) -> str:
    """``112``; ``at least 235 (1 incident with no figure)``; ``not known (3
    incidents with no figure)``."""
    if total.exact:
        return str(total.low)
    if not_known(total):
        text = "not known"
    elif total.high is not None:
        text = f"between {total.low} and {total.high}"
    else:
        text = f"at least {total.low}"
    if total.unknown:
        plural = "incident" if total.unknown == 1 else "incidents"
        text += f" ({total.unknown} {plural} with no figure)"
    if total.best is not None:
        text += f"; best estimate {total.best}"
    return text


# Any spelling of a known group is shown by the shorter of its name and first
# alias: "ISKP" for Islamic State Khorasan Province, "Taliban" for the Taliban.
_SHORT_NAMES = {
    normalise(variant): min(names[:2], key=len) for names in PERPETRATOR_NAMES for variant in names
}


SUSPECTED_LEGEND = f"{UNKNOWN_MARK} after a name: suspected, not claimed"


def perpetrator_text(name: str | None, suspected: bool, short: bool = False) -> str:
    """The perpetrator, ``?`` appended when only suspected; ``?`` alone if not known."""
    if name is None:
        return UNKNOWN_MARK
    if short:
        name = _SHORT_NAMES.get(normalise(name), name)
    return f"{name} {UNKNOWN_MARK}" if suspected else name


# Short names for the GTD categories, for narrow table columns.
SHORT_CATEGORY_NAMES: dict[str, str] = {
    AttackType.ARMED_ASSAULT: "Armed assault",
    AttackType.BOMBING: "Bombing",
    AttackType.BARRICADE: "Barricade",
    AttackType.KIDNAPPING: "Kidnapping",
    AttackType.FACILITY: "Facility attack",
    AttackType.UNARMED_ASSAULT: "Unarmed assault",
    TargetType.GOVERNMENT: "Government",
    TargetType.AIRPORTS: "Airports",
    TargetType.DIPLOMATIC: "Diplomatic",
    TargetType.EDUCATIONAL: "Education",
    TargetType.FOOD_WATER: "Food/water",
    TargetType.MEDIA: "Media",
    TargetType.PRIVATE: "Private citizens",
    TargetType.RELIGIOUS: "Religious",
    TargetType.TELECOM: "Telecom",
    TargetType.NON_STATE: "Militia",
    TargetType.TRANSPORTATION: "Transport",
    TargetType.POLITICAL_PARTY: "Political party",
}


def short_category(label: str) -> str:
    """A short name for a category label: "Religious" for Religious Figures/Institutions."""
    return SHORT_CATEGORY_NAMES.get(label, label)


# Letters for the data sets that report an attack (the list's "Sets", with --distinct).
DATASET_MARKS = {"hand-kept": "H", "gtd": "G", "acled": "A", "ucdp": "U"}


def dataset_mark(dataset: str) -> str:
    return DATASET_MARKS.get(dataset, dataset[:1].upper())
