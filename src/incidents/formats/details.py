"""One incident in full, for ``show``: every field with its label, sources last.

Prose wraps at a readable width (``READABLE`` columns at most, however wide
the terminal).  A URL is never wrapped: one too long for the line stands on
a line of its own, whole, so that it can be copied or clicked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.text import Text

from incidents.formats.labels import AT_LEAST_MARK, UNKNOWN_MARK, count_text
from incidents.inert import inert
from incidents.records import Figure, date_text

if TYPE_CHECKING:
    from incidents.model import Incident

READABLE = 80
_GAP = 2  # between a label and its value
_URL = re.compile(r"\b(?:https?|ftp|file)://\S+")


def incident_details(incident: Incident, more: Sequence[tuple[str, str]] = ()) -> RenderableType:
    """Every field of one incident, with its sources, and ``more`` (label,
    value) after them (the records ``incidents match`` linked to it)."""
    return _Details([*_fields(incident), *more])


def _fields(incident: Incident) -> Iterator[tuple[str, str]]:
    """(label, value) of every field that has a value, in reading order."""
    location = incident.location
    perpetrator = incident.perpetrator
    precision = incident.date.precision.value
    when = date_text(str(incident.date), str(incident.end_date or ""))
    yield "ID", incident.id
    yield "Date", f"{when} (known to the {precision})"
    yield "Country", location.country
    yield "Province", location.province or ""
    yield "District", location.district or ""
    yield "City", location.city or ""
    yield "Site", location.site or ""
    yield "Also spelt", ", ".join(location.aliases)
    if location.coordinates:
        c = location.coordinates
        yield "Coordinates", f"{c.lat}, {c.lon} ({c.precision.value} precision)"
    yield "Perpetrator", f"{perpetrator.name or 'unknown'} ({perpetrator.attribution.value})"
    if incident.claim:
        claim = incident.claim
        details = ", ".join(filter(None, (str(claim.date) if claim.date else None, claim.channel)))
        yield "Claim", f"{claim.by}" + (f" ({details})" if details else "")
    yield "Attack type", incident.attack_type.value
    yield "Target type", incident.target_type.value
    yield "Target", incident.target
    yield "Weapons", ", ".join(w.value for w in incident.weapon_types)
    yield "Killed", _count_words(incident.killed)
    yield "Wounded", _count_words(incident.wounded)
    if incident.property_damage:
        damage = incident.property_damage
        occurred = {True: "yes", False: "no", None: "not known"}[damage.occurred]
        yield (
            "Property damage",
            occurred + (f": {damage.description}" if damage.description else ""),
        )
    yield "Summary", incident.summary
    yield "Notes", incident.notes or ""
    if incident.origin:
        origin = incident.origin
        kind = f" ({origin.event_type})" if origin.event_type else ""
        yield "Imported from", f"{origin}{kind}"
    for number, source in enumerate(incident.sources, 1):
        parts = [source.publisher, str(source.date) if source.date else None]
        parts += [source.title, source.url]
        yield f"Source {number}", ", ".join(p for p in parts if p)


def _count_words(count: Figure) -> str:
    text = count_text(count)
    if text == UNKNOWN_MARK:
        return "not known"
    if text.startswith(AT_LEAST_MARK):
        return f"at least {text[len(AT_LEAST_MARK) :]}"
    return text


class _Details:
    def __init__(self, fields: list[tuple[str, str]]) -> None:
        self.fields = [(label, inert(value, lines=True)) for label, value in fields if value]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        label_width = max(cell_len(label) for label, _ in self.fields) + _GAP
        width = max(min(options.max_width, READABLE) - label_width, 10)
        for label, value in self.fields:
            for number, line in enumerate(_wrapped(value, width, console)):
                start = Text(label.ljust(label_width) if number == 0 else " " * label_width)
                start.stylize("bold")
                yield Text.assemble(start, line, no_wrap=True, overflow="ignore")


def _wrapped(value: str, width: int, console: Console) -> list[Text]:
    """The value's lines at ``width``; a URL longer than that on a line of its own."""
    lines: list[Text] = []
    for paragraph in value.split("\n"):
        if not paragraph.strip():
            lines.append(Text(""))
            continue
        start = 0
        for url in _URL.finditer(paragraph):
            if cell_len(url.group()) <= width:
                continue  # it fits on a line: it moves to the next whole, never cut
            lines.extend(_prose(paragraph[start : url.start()], width, console))
            lines.append(Text(url.group()))
            start = url.end()
        lines.extend(_prose(paragraph[start:], width, console))
    return lines


def _prose(text: str, width: int, console: Console) -> list[Text]:
    text = text.strip()
    return list(Text(text, overflow="fold").wrap(console, width)) if text else []
