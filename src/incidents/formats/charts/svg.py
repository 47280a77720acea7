"""SVG written by hand: a few shapes, every text escaped and made inert.

Only what SVG 1.1 renderers all draw alike (rsvg-convert, CairoSVG, web
browsers): rectangles, lines, paths, circles and plain text, with fills,
strokes and dash patterns.  No patterns, filters, CSS, images or links,
and nothing fetched: the fonts are a generic stack that every system has.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

from incidents.inert import inert as shown_inert

FONT_FAMILY = "system-ui, sans-serif"
INK = "#222222"
MUTED = "#666666"
FAINT = "#bbbbbb"
BACKGROUND = "#ffffff"

# What XML 1.0 forbids outright, beyond the controls ``inert`` shows:
# lone surrogates, U+FFFE and U+FFFF.
_XML_FORBIDDEN = re.compile("[\ud800-\udfff\ufffe\uffff]")
_XML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}


def inert(text: str) -> str:
    """Untrusted text as characters only: controls shown as the terminal
    shows them (``incidents.inert``), never obeyed, and nothing XML forbids."""
    return _XML_FORBIDDEN.sub("\ufffd", shown_inert(text))


def escape(text: str) -> str:
    """Text for an SVG element or attribute: inert, then XML-escaped."""
    return "".join(_XML_SPECIAL.get(char, char) for char in inert(text))


def num(value: float) -> str:
    """A coordinate with at most one decimal: ``12``, ``12.5``."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _attributes(attributes: dict[str, str | float | None]) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        shown = num(value) if isinstance(value, int | float) else escape(value)
        parts.append(f' {name.rstrip("_").replace("_", "-")}="{shown}"')
    return "".join(parts)


def rect(x: float, y: float, width: float, height: float, **style: str | float | None) -> str:
    return f"<rect{_attributes({'x': x, 'y': y, 'width': width, 'height': height, **style})}/>"


def line(x1: float, y1: float, x2: float, y2: float, **style: str | float | None) -> str:
    return f"<line{_attributes({'x1': x1, 'y1': y1, 'x2': x2, 'y2': y2, **style})}/>"


def circle(cx: float, cy: float, r: float, **style: str | float | None) -> str:
    return f"<circle{_attributes({'cx': cx, 'cy': cy, 'r': r, **style})}/>"


def path(d: str, **style: str | float | None) -> str:
    return f"<path{_attributes({'d': d, **style})}/>"


def polyline_path(points: Iterable[tuple[float, float]], closed: bool = False) -> str:
    """The ``d`` of a path through the points."""
    steps = [f"{num(x)} {num(y)}" for x, y in points]
    if not steps:
        return ""
    return "M" + " L".join(steps) + ("Z" if closed else "")


def text(
    x: float,
    y: float,
    content: str,
    size: float = 12,
    anchor: str = "start",
    **style: str | float | None,
) -> str:
    """Text whose baseline starts (or, by ``anchor``, centres or ends) at x, y."""
    attributes = _attributes(
        {
            "x": x,
            "y": y,
            "font-size": size,
            "text-anchor": None if anchor == "start" else anchor,
            "fill": INK,
            **style,
        }
    )
    return f"<text{attributes}>{escape(content)}</text>"


def group(parts: Sequence[str], **attributes: str | float | None) -> str:
    return f"<g{_attributes(attributes)}>" + "".join(parts) + "</g>"


def document(width: float, height: float, title: str, parts: Sequence[str]) -> str:
    """A standalone SVG 1.1 file: a white page of width x height pixels
    (rounded up to whole pixels, as a PNG has them)."""
    width, height = math.ceil(width), math.ceil(height)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1"'
        f' width="{num(width)}" height="{num(height)}"'
        f' viewBox="0 0 {num(width)} {num(height)}" font-family="{FONT_FAMILY}">\n'
        f"<title>{escape(title)}</title>\n"
    )
    background = rect(0, 0, width, height, fill=BACKGROUND)
    return head + "\n".join([background, *parts]) + "\n</svg>\n"


# --- text widths: an estimate, for layout only -----------------------------------
# Em widths close to those of the common sans-serif faces (DejaVu Sans is the
# widest of them), so that a label laid out for its width fits in any of them.

_NARROW = set("il.,:;'|!ijlft()[] ")
_DIGITS = set("0123456789")


def _em(char: str) -> float:
    if char in _NARROW:
        return 0.34
    if char in _DIGITS:
        return 0.64
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if unicodedata.combining(char):
        return 0.0
    if char.isupper() or char in "mwMW—–%@&≥":
        return 0.8
    return 0.62


def text_width(content: str, size: float) -> float:
    """About how wide the text is at this font size, erring wide."""
    return sum(_em(char) for char in inert(content)) * size


def wrap(content: str, size: float, width: float) -> list[str]:
    """The text broken at spaces into lines no wider than ``width`` (a word
    longer than that keeps its own line, whole)."""
    lines: list[str] = []
    current = ""
    for word in content.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


def nice_ticks(most: float, count: int = 4) -> list[int]:
    """Round axis values from 0 to at least ``most``: 0, 5, 10, 15..."""
    if most <= 0:
        return [0, 1]
    rough = most / count
    magnitude = 10 ** max(0, len(str(int(rough))) - 1)
    step = next(
        (m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough),
        10 * magnitude,
    )
    top = -(-int(most) // step) * step
    if top < most:
        top += step
    return list(range(0, int(top) + 1, int(step)))
