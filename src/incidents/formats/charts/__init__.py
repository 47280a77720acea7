"""Charts for a report, as SVG: a timeline, totals as bars, a map.

Every chart is a page with the same frame: a title, the filters in effect,
a line summing up what is drawn, the chart, a legend for its marks, what was
left out, the source and the date it was made.  The page is light, its fonts
are a generic stack, and nothing in it is fetched from anywhere.

What lives where: ``svg`` (shapes, escaping, text widths), ``timeline``,
``totals`` and ``map`` (one chart each), ``world`` (country outlines).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from incidents.errors import IncidentsError
from incidents.formats.answers import filter_phrases as filter_phrases
from incidents.formats.charts import svg

MARGIN = 24
TITLE_SIZE = 20
LINE_SIZE = 13
SMALL_SIZE = 11
MIN_WIDTH = 640
NOTHING = "No incidents to chart."


@dataclass(frozen=True)
class Caption:
    """What frames a chart: its title, the filters in effect, the source, the date."""

    title: str
    filters: tuple[str, ...] = ()
    source: str = ""
    made: str = ""


@dataclass
class Body:
    """A chart's own drawing, at the origin, and the words around it."""

    width: float
    height: float
    parts: list[str]
    summary: list[str] = field(default_factory=list)
    """Lines above the chart: what it counts."""
    legend: list[str] = field(default_factory=list)
    """Lines below: what its marks mean."""
    notes: list[str] = field(default_factory=list)
    """Lines below: what is not drawn, and why."""


def page(caption: Caption, body: Body) -> str:
    """The whole SVG file: the chart in its frame, on a white page."""
    width = max(body.width + 2 * MARGIN, MIN_WIDTH)
    room = width - 2 * MARGIN
    parts: list[str] = []
    y = float(MARGIN)

    def lines(texts: Sequence[str], size: float, **style: str) -> None:
        nonlocal y
        for paragraph in texts:
            for shown in svg.wrap(paragraph, size, room):
                y += size * 1.35
                parts.append(svg.text(MARGIN, y, shown, size, **style))

    lines([caption.title], TITLE_SIZE, font_weight="bold")
    filters = "; ".join(caption.filters)
    lines([f"Filters: {filters}." if filters else "No filters: every incident."], LINE_SIZE)
    lines(body.summary, LINE_SIZE)
    y += LINE_SIZE
    parts.append(svg.group(body.parts, transform=f"translate({MARGIN} {svg.num(y)})"))
    y += body.height + SMALL_SIZE
    lines(body.legend, SMALL_SIZE, fill=svg.MUTED)
    lines(body.notes, SMALL_SIZE, fill=svg.MUTED)
    y += SMALL_SIZE / 2
    lines([caption.source, caption.made], SMALL_SIZE, fill=svg.MUTED)
    return svg.document(width, y + MARGIN, caption.title, parts)


# --- the words of the frame ---------------------------------------------------------


def source_line(store_name: str, store_count: int, shown: int, datasets: Mapping[str, int]) -> str:
    """``Source: incidents store incidents.json; 3 of its 8 incidents.``, with the
    data sets the incidents were imported from, and how many from each."""
    counted = f"{shown:,} incident" + ("" if shown == 1 else "s")
    if shown != store_count:
        counted = f"{shown:,} of its {store_count:,} incidents"
    store = f"incidents store {store_name}; {counted}"
    if not datasets:
        return f"Source: {store}."
    imported = sum(datasets.values())
    origins = [f"{name} ({count:,})" for name, count in datasets.items()]
    if imported < shown:
        origins.append(f"entered by hand ({shown - imported:,})")
    return f"Source: {', '.join(origins)}; {store}."


def png_bytes(picture: str) -> bytes:
    """The SVG page drawn as a PNG image, by CairoSVG (an optional extra)."""
    try:
        import cairosvg
    except (ImportError, OSError) as error:
        # OSError: CairoSVG is there but the cairo library it draws with is not.
        raise IncidentsError(
            "PNG pictures need CairoSVG and the cairo library: "
            f"pip install 'incidents[png]' ({error})."
        ) from None
    image: bytes = cairosvg.svg2png(bytestring=picture.encode("utf-8"))
    return image
