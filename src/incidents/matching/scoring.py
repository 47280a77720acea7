"""How alike two records are, with the evidence in words.

Two records are compared only when they can be one attack: their dates and
places within each other's windows (``windows``), their kinds of violence
and perpetrators compatible (``taxonomy``), and their death tolls
compatible (ranges that overlap, or within ``TOLL_FACTOR`` of each other).
Then each agreement adds points, each near miss takes some away: the same
day, a short distance, the same town's name, the same kind, the same group,
the same toll (more for 46 and 46 than for 1 and 1).  The points make a
score from 0 to 1.
"""

from __future__ import annotations

import math
from datetime import date

from incidents.categories import CoordinatePrecision
from incidents.matching.records import MatchRecord, Toll, dataset_name, toll_text
from incidents.matching.taxonomy import ANY_MEANS, ANY_SIDE, STATE_FORCES
from incidents.matching.windows import DATE_TOLERANCE_DAYS, km_between

_ANY_MEANS, _ANY_SIDE = int(ANY_MEANS), int(ANY_SIDE)

# Tolls are compatible when their ranges overlap, or when the lower one times
# this factor, plus a few, reaches the higher: early counts and final counts
# of one attack differ.
TOLL_FACTOR = 2.5
TOLL_SLACK = 3

# Points: for agreeing on each of these.
SAME_DAY = 3.0
DAY_APART = 1.5  # and two points less for each further day
IN_WEEK = 1.5  # a day within a week-wide date, or two of them overlapping
IN_MONTH = 0.7
IN_LONGER = -1.0
SAME_TOWN = 1.0
OTHER_PROVINCE = -1.0  # or another district
SAME_KIND = 1.5
SAME_SIDE = 0.5
SAME_GROUP = 2.0
SHARED_WORD = 1.0  # a word for the place attacked (mosque, embassy) in both
MOST_FOR_WORDS = 2.0
MOST_FOR_TOLL = 3.0
LEAST_FOR_TOLL = -1.5
# The most points for two points near each other, by the coarser precision.
_NEAR = ((3.0, 3.0), (25.0, 2.0), (40.0, 1.5))
_NEAR_COARSE = 0.5

# The score is a logistic curve of the points: MIDPOINT points score 0.5.
MIDPOINT = 5.0
SLOPE = 1.5


def score_of(points: float) -> float:
    return 1 / (1 + math.exp(-(points - MIDPOINT) / SLOPE))


def points_of(score: float) -> float:
    """The points a score stands for (scores are stored rounded)."""
    score = min(max(score, 1e-6), 1 - 1e-6)
    return MIDPOINT + SLOPE * math.log(score / (1 - score))


def compare(a: MatchRecord, b: MatchRecord) -> float | None:
    """The points of two records that can be one attack; None when they cannot."""
    return _weigh(a, b, None)


def explain(a: MatchRecord, b: MatchRecord) -> tuple[float, str] | None:
    """The score of two records and why, in words; None when they cannot be one."""
    said: list[str] = []
    points = _weigh(a, b, said)
    return None if points is None else (score_of(points), "; ".join(said))


def _weigh(a: MatchRecord, b: MatchRecord, said: list[str] | None) -> float | None:
    """The points, and (when ``said`` is a list) the evidence appended to it."""
    gap = max(b.start - a.end, a.start - b.end, 0)
    if gap > DATE_TOLERANCE_DAYS:
        return None
    kind_a, kind_b = a.kind, b.kind
    if not (kind_a.means & kind_b.means and kind_a.sides & kind_b.sides):
        return None
    named = a.actors and b.actors
    if named and a.actors.isdisjoint(b.actors) and not (a.unnamed or b.unnamed):
        return None
    if a.killed and b.killed and not _tolls_compatible(a.killed, b.killed):
        return None
    points = _date_points(a, b, gap, said)
    place = _place_points(a, b, said)
    if place is None:
        return None
    points += place
    if kind_a.means != _ANY_MEANS and kind_b.means != _ANY_MEANS:
        points += SAME_KIND
    if kind_a.sides != _ANY_SIDE and kind_b.sides != _ANY_SIDE:
        points += SAME_SIDE
    if said is not None:
        said.append(_kind_words(a, b))
    shared = a.words & b.words
    if shared:
        points += min(MOST_FOR_WORDS, SHARED_WORD * len(shared))
        if said is not None:
            said.append("both mention " + ", ".join(sorted(shared)))
    # Fighting the state is what armed groups do: naming it says little.
    common = (a.actors & b.actors) - {STATE_FORCES}
    if common:
        points += SAME_GROUP
        if said is not None:
            said.append("both by " + " / ".join(sorted(common)))
    if a.killed and b.killed:
        points += _toll_points(a.killed, b.killed)
    if a.wounded and b.wounded:
        points += _toll_points(a.wounded, b.wounded) / 2
    if said is not None:
        said.extend(_toll_words(a, b))
    return points


def _date_points(a: MatchRecord, b: MatchRecord, gap: int, said: list[str] | None) -> float:
    wide = max(a.days, b.days)
    if wide == 1:
        points = SAME_DAY if gap == 0 else DAY_APART - (gap - 1) * 2
    else:
        points = IN_WEEK if wide <= 8 else IN_MONTH if wide <= 31 else IN_LONGER
        points -= gap * (SAME_DAY - DAY_APART)
    if said is not None:
        said.append(_date_words(a, b, gap))
    return points


def _date_words(a: MatchRecord, b: MatchRecord, gap: int) -> str:
    if a.days == b.days == 1:
        return "same day" if gap == 0 else f"{_days(gap)} apart"
    narrow, wide = (a, b) if a.days <= b.days else (b, a)
    relation = "within" if gap == 0 else f"{_days(gap)} from"
    return f"{_span(narrow.start, narrow.end)} {relation} {_span(wide.start, wide.end)}"


def _days(number: int) -> str:
    return f"{number} day{'s' if number != 1 else ''}"


def _span(start: int, end: int) -> str:
    first, last = date.fromordinal(start), date.fromordinal(end)
    if first == last:
        return first.isoformat()
    whole_month = first.day == 1 and date.fromordinal(end + 1).day == 1
    if whole_month and (first.year, first.month) == (last.year, last.month):
        return first.strftime("%B %Y")
    return f"{first.isoformat()} to {last.isoformat()}"


def _place_points(a: MatchRecord, b: MatchRecord, said: list[str] | None) -> float | None:
    if a.lat is not None and b.lat is not None and a.lon is not None and b.lon is not None:
        distance = km_between(a.lat, a.lon, b.lat, b.lon)
        reach = a.radius + b.radius
        if distance > reach:
            return None
        coarse = max(a.radius, b.radius)
        most = next((p for limit, p in _NEAR if coarse <= limit), _NEAR_COARSE)
        points = most * (1 - 0.5 * (distance / reach) ** 2)
        if said is not None:
            said.append(_distance_words(distance, a, b))
    else:
        if a.country != b.country:
            return None
        if a.province and b.province and a.province != b.province:
            return None
        points = 0.0
        if said is not None:
            said.append(f"no coordinates to compare in {_unplaced(a, b)}")
    return points + _name_points(a, b, said)


def _unplaced(a: MatchRecord, b: MatchRecord) -> str:
    unplaced = [r for r in (a, b) if r.lat is None]
    return " and ".join(dataset_name(r.dataset) for r in unplaced)


def _distance_words(distance: float, a: MatchRecord, b: MatchRecord) -> str:
    shown = (
        "under 0.1" if distance < 0.1 else f"{distance:.1f}" if distance < 10 else f"{distance:.0f}"
    )
    coarse = max(a, b, key=lambda r: r.radius).precision
    if coarse in (CoordinatePrecision.DISTRICT, CoordinatePrecision.PROVINCE):
        return f"{shown} km apart ({coarse.value} centroid)"
    return f"{shown} km apart"


def _name_points(a: MatchRecord, b: MatchRecord, said: list[str] | None) -> float:
    if a.city and b.city and a.city == b.city:
        if said is not None:
            said.append(f"both in {a.place}")
        return SAME_TOWN
    # Towns of other names may be one place: a village and the town beside it.
    if a.district and b.district and a.district != b.district:
        if said is not None:
            said.append("districts differ")
        return OTHER_PROVINCE
    if a.province and b.province and a.province != b.province:
        if said is not None:
            said.append("provinces differ")
        return OTHER_PROVINCE
    return 0.0


def _kind_words(a: MatchRecord, b: MatchRecord) -> str:
    word_a, word_b = a.kind.word, b.kind.word
    if word_a and word_b:
        return f"both {_plural(word_a)}" if word_a == word_b else f"{word_a} vs {word_b}"
    known = word_a or word_b
    silent = [dataset_name(r.dataset) for r in (a, b) if not r.kind.word]
    how = f"{' and '.join(silent)} {'do' if len(silent) > 1 else 'does'} not say how"
    return f"{known}; {how}" if known else how


def _plural(word: str) -> str:
    if "/" in word or " on " in word:
        return word + " events"
    return word + ("es" if word.endswith(("sh", "ch", "s")) else "s")


def _tolls_compatible(a: Toll, b: Toll) -> bool:
    low_a, high_a, _ = a
    low_b, high_b, _ = b
    return (high_b is None or low_a <= TOLL_FACTOR * high_b + TOLL_SLACK) and (
        high_a is None or low_b <= TOLL_FACTOR * high_a + TOLL_SLACK
    )


def _estimate(value: Toll) -> int:
    low, high, best = value
    if best is not None:
        return best
    return low if high is None else (low + high) // 2


def _toll_points(a: Toll, b: Toll) -> float:
    """Estimates that agree say more the larger they are (46 and 46 more than
    1 and 1); close ones say half as much; far ones count against."""
    larger, smaller = max(_estimate(a), _estimate(b)), min(_estimate(a), _estimate(b))
    if larger == 0:
        return 0.5
    agreement = min(MOST_FOR_TOLL, math.log2(1 + larger))
    if larger - smaller <= 1:  # 1 and 2, or 46 and 47: counts differ by one death
        return agreement if larger == smaller else agreement / 2
    apart = (larger - smaller) / larger
    return max(LEAST_FOR_TOLL, agreement * (1 - 2 * apart))


def _toll_words(a: MatchRecord, b: MatchRecord) -> list[str]:
    words = []
    for what, first, second in (("killed", a.killed, b.killed), ("wounded", a.wounded, b.wounded)):
        if first and second:
            words.append(f"{what} {toll_text(first)} vs {toll_text(second)}")
        elif what == "killed" and (first or second):
            known = first or second
            assert known is not None
            words.append(f"killed {toll_text(known)} vs not known")
    return words
