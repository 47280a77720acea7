"""What the bar charts share: colours, and a sum drawn with what is unsure in it.

A sum of counts is drawn solid up to its sure lower bound; pale with a
dashed edge on to the highest figure the counts allow; and, where there is
no highest figure (an "at least" count, or a count not known), a dashed
arrow goes on beyond it: there may be more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from incidents.formats.charts import svg
from incidents.formats.labels import AT_LEAST_MARK, UNKNOWN_MARK
from incidents.query import CountSum

INCIDENTS = "#3b6ea5"
INCIDENTS_PALE = "#dbe6f3"
KILLED = "#b8312f"
KILLED_PALE = "#f2d3d2"
WOUNDED = "#c77c1e"
WOUNDED_PALE = "#f6e4cc"
DASHES = "3 2"
ARROW = 12.0

SOLID_MEANING = "solid up to the sure figure"
RANGE_MEANING = "pale with a dashed edge up to the highest the figures allow"
MORE_MEANING = "a dashed arrow where there may be more (an “at least” figure, or none)"


def reach(total: CountSum) -> int:
    """How far the sum may go, as far as the figures say."""
    return total.low if total.high is None else total.high


def unsure_meanings(sums: list[CountSum]) -> list[str]:
    """The legend's words for the marks these sums are drawn with."""
    meanings = [SOLID_MEANING]
    if any(s.high is not None and s.high > s.low for s in sums):
        meanings.append(RANGE_MEANING)
    if any(s.high is None for s in sums):
        meanings.append(MORE_MEANING)
    return meanings


def marks_meanings(sums: list[CountSum]) -> list[str]:
    """The legend's words for the marks in these sums' figures (``≥6 (1 ?)``)."""
    meanings = []
    if any(s.high is None and not s.unknown for s in sums) or any(
        s.unknown and s.low for s in sums
    ):
        meanings.append(f"{AT_LEAST_MARK}N: at least N")
    if any(s.unknown for s in sums):
        meanings.append(f"(N {UNKNOWN_MARK}): N incidents with no figure")
    return meanings


@dataclass(frozen=True)
class Lane:
    """Where a bar goes: where a value of 0 lies on the value axis, and the
    band it fills across that axis."""

    base: float
    start: float
    thickness: float
    rising: bool  # values grow upwards; otherwise rightwards

    def along(self, length: float) -> float:
        return self.base - length if self.rising else self.base + length

    def point(self, along: float, across: float) -> tuple[float, float]:
        return (across, along) if self.rising else (along, across)

    def box(self, one: float, other: float) -> tuple[float, float, float, float]:
        low, high = min(one, other), max(one, other)
        if self.rising:
            return self.start, low, self.thickness, high - low
        return low, self.start, high - low, self.thickness


def sum_bar(
    total: CountSum, lane: Lane, scale: Callable[[float], float], colour: str, pale: str
) -> tuple[list[str], float]:
    """A sum as a bar in its lane; returns its parts and where it ends."""
    parts = []
    end = lane.along(scale(total.low))
    if total.low:
        parts.append(svg.rect(*lane.box(lane.base, end), fill=colour))
    if total.high is not None and total.high > total.low:
        high = lane.along(scale(total.high))
        parts.append(
            svg.rect(*lane.box(end, high), fill=pale, stroke=colour, stroke_dasharray=DASHES)
        )
        end = high
    elif total.high is None:
        middle = lane.start + lane.thickness / 2
        tip = lane.along(scale(total.low) + ARROW)
        back = lane.along(scale(total.low) + ARROW - 4)
        shaft = (*lane.point(end, middle), *lane.point(tip, middle))
        parts.append(svg.line(*shaft, stroke=colour, stroke_dasharray=DASHES))
        head = [lane.point(back, middle - 3.5), lane.point(tip, middle)]
        head.append(lane.point(back, middle + 3.5))
        parts.append(
            svg.path(svg.polyline_path(head), fill="none", stroke=colour, stroke_width=1.2)
        )
        end = tip
    return parts, end
