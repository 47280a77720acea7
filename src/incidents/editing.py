"""Add, edit and remove incidents without ever losing the store.

Every change follows the same steps: take the store's lock, read and
validate the current store, apply the change to its JSON data, validate the
whole new store (the model and the checks), and only then write it: a JSON
store through ``files.atomic_writer`` (temporary file, fsync, rename,
directory fsync), a ``.sqlite`` store in one transaction (``StoreFile``).
When anything is wrong the old store is left exactly as it was.  A store
whose index has validated it takes the same steps through the index, for
the one incident changed (``one_incident``, where ``add_incident``,
``edit_incident`` and ``remove_incident`` are).

Values arrive as text, as people type them ("at least 3", "Oct 2021",
"embassy"), keyed by a field path (``killed``, ``location.city``); the
same table of fields serves ``incidents add`` and ``incidents edit --set``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from incidents.categories import (
    AttackType,
    Attribution,
    Category,
    CoordinatePrecision,
    TargetType,
    WeaponType,
)
from incidents.checks import check_store, errors, likely_twin
from incidents.countries import country_code, is_country_code
from incidents.dates import DateError, parse_user_date
from incidents.errors import IncidentsError
from incidents.locking import store_lock
from incidents.model import Incident, Store
from incidents.parsing import (
    ParseError,
    parse_coordinates,
    parse_count,
    parse_source,
    parse_yes_no_unknown,
    slug,
)
from incidents.query import find_incident
from incidents.store import (
    Problem,
    Severity,
    StoreError,
    dump_store,
    parse_store,
)
from incidents.store_files import JsonStoreFile, StoreFile, ensure_writable
from incidents.vocabulary import VocabularyError, resolve_category


class WriteRefused(StoreError):
    """The store after the change would not be valid; nothing was written."""


class LikelyTwin(IncidentsError):
    """A new incident that looks like one already stored."""

    def __init__(self, new: Incident, twin: Incident) -> None:
        self.twin = twin
        super().__init__(
            f"this looks like {twin.id!r}, already in the store (dates overlap, same place "
            f"and target type: {twin.target_type.value}); check with `incidents show {twin.id}`, "
            "or add it anyway with --force"
        )


# --- fields as text --------------------------------------------------------------

Parser = Callable[[str], Any]


def _text(value: str) -> str | None:
    return value.strip() or None


def _date(value: str) -> str | None:
    if not value.strip():
        return None
    try:
        return str(parse_user_date(value))
    except DateError as error:
        raise ParseError(str(error)) from None


def _category(kind: type[Category]) -> Parser:
    def parse(value: str) -> str | None:
        if not value.strip():
            return None
        try:
            return str(resolve_category(kind, value).value)
        except VocabularyError as error:
            raise ParseError(str(error)) from None

    return parse


def _categories(kind: type[Category]) -> Parser:
    one = _category(kind)
    return lambda value: [one(word) for word in value.split(",") if word.strip()]


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(";") if name.strip()]


def _choice(kind: type[Attribution] | type[CoordinatePrecision]) -> Parser:
    def parse(value: str) -> str | None:
        cleaned = value.strip().lower()
        if not cleaned:
            return None
        choices = [member.value for member in kind]
        if cleaned not in choices:
            raise ParseError(f"expected one of {', '.join(choices)}; got {value!r}")
        return cleaned

    return parse


def _coordinates(value: str) -> dict[str, float] | None:
    if not value.strip():
        return None
    lat, lon = parse_coordinates(value)
    return {"lat": lat, "lon": lon}


def _country_code(value: str) -> str | None:
    code = value.strip().upper()
    if not code:
        return None
    if not is_country_code(code):
        raise ParseError(f"expected an ISO 3166 alpha-3 country code such as AFG; got {value!r}")
    return code


def _number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ParseError(f"expected a number in decimal degrees; got {value!r}") from None


# Every field a user may set, by its path in the store, and how its text is read.
FIELDS: dict[str, Parser] = {
    "id": _text,
    "date": _date,
    "end_date": _date,
    "location.country": _text,
    "location.country_code": _country_code,
    "location.province": _text,
    "location.district": _text,
    "location.city": _text,
    "location.site": _text,
    "location.aliases": _names,
    "location.coordinates": _coordinates,
    "location.coordinates.lat": _number,
    "location.coordinates.lon": _number,
    "location.coordinates.precision": _choice(CoordinatePrecision),
    "perpetrator.name": _text,
    "perpetrator.attribution": _choice(Attribution),
    "claim.by": _text,
    "claim.date": _date,
    "claim.channel": _text,
    "attack_type": _category(AttackType),
    "target_type": _category(TargetType),
    "target": _text,
    "weapon_types": _categories(WeaponType),
    "killed": parse_count,
    "wounded": parse_count,
    "summary": _text,
    "property_damage.occurred": parse_yes_no_unknown,
    "property_damage.description": _text,
    "notes": _text,
}
# Whole parts that `--set PART=` (empty) removes; their fields are set one by one.
CLEARABLE = ("claim", "property_damage")

FIELDS_HELP = (
    "Fields: "
    + ", ".join(FIELDS)
    + ". Dates as people type them ('Oct 2021'); counts as 16, 'at least 3', '3-5' or"
    " 'unknown'; categories as words (embassy, bombing); weapon_types comma-separated;"
    " location.aliases separated by ';'. An empty value clears the field."
)


def parse_setting(text: str) -> tuple[str, str]:
    """``"killed=at least 3"`` as ("killed", "at least 3"); ParseError if not FIELD=VALUE."""
    name, equals, value = text.partition("=")
    name = name.strip()
    if not equals or not name:
        raise ParseError(f"expected FIELD=VALUE, e.g. 'killed=at least 3'; got {text!r}")
    if name not in FIELDS and name not in CLEARABLE:
        import difflib

        close = difflib.get_close_matches(name, list(FIELDS), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ParseError(f"{name!r} is not a field.{hint} {FIELDS_HELP}")
    return name, value


def apply_setting(data: dict[str, Any], name: str, text: str) -> None:
    """Set one field of an incident's JSON data from text; ParseError if unreadable."""
    parts = name.split(".")
    _refuse_stray_bytes(text, name)
    if name not in FIELDS:  # a whole part to remove
        if text.strip():
            raise ParseError(f"{name} can only be cleared ('{name}='); set its fields", name)
        _parent(data, parts).pop(parts[-1], None)
        return
    try:
        value = FIELDS[name](text)
    except ParseError as error:
        raise ParseError(str(error), name) from None
    if name == "location.coordinates" and value is not None:
        old = data.get("location", {}).get("coordinates") or {}
        value["precision"] = old.get("precision") or guess_precision(data.get("location", {}))
    parent = _parent(data, parts)
    if value is None and name not in {"killed", "wounded", "property_damage.occurred"}:
        parent.pop(parts[-1], None)
    else:
        parent[parts[-1]] = value


def _refuse_stray_bytes(text: str, name: str) -> None:
    # A command line that is not valid UTF-8 reaches Python as lone surrogates,
    # which could not be written to the store.
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise ParseError("the text is not valid UTF-8 (a stray byte?)", name)


def _parent(data: dict[str, Any], parts: Sequence[str]) -> dict[str, Any]:
    for part in parts[:-1]:
        child = data.get(part)
        if not isinstance(child, dict):
            child = data[part] = {}
        data = child
    return data


def guess_precision(location: dict[str, Any]) -> str:
    """Coordinates given with a place are as precise as its most precise name."""
    for level in ("site", "city", "district", "province"):
        if location.get(level):
            return level
    return "country"


def new_incident_data(
    settings: Iterable[tuple[str, str]], sources: Iterable[str] = ()
) -> dict[str, Any]:
    """A new incident's JSON data from FIELD, TEXT pairs; the gaps filled honestly.

    Casualties not given are unknown (never zero); a perpetrator not named
    is unknown; a named one is "claimed" when a claim is given, otherwise
    "suspected".
    """
    data: dict[str, Any] = {}
    settings = list(settings)
    for name, text in settings:
        apply_setting(data, name, text)
    _code_country(data, {name for name, _ in settings})
    data.setdefault("killed", None)
    data.setdefault("wounded", None)
    perpetrator = data.setdefault("perpetrator", {})
    if "attribution" not in perpetrator:
        if not perpetrator.get("name"):
            perpetrator["attribution"] = "unknown"
        else:
            perpetrator["attribution"] = "claimed" if data.get("claim") else "suspected"
    _claim_by_perpetrator(data)
    data["sources"] = [read_source(text) for text in sources]
    return data


def _code_country(data: dict[str, Any], names: set[str]) -> None:
    """A country set without its code gets the code of its name (or none)."""
    location = data.get("location")
    if "location.country" not in names or "location.country_code" in names or not location:
        return
    code = country_code(location.get("country") or "")
    if code:
        location["country_code"] = code
    else:
        location.pop("country_code", None)


def _claim_by_perpetrator(data: dict[str, Any]) -> None:
    """A claim given without its author is the named perpetrator's."""
    claim = data.get("claim")
    named = (data.get("perpetrator") or {}).get("name")
    if isinstance(claim, dict) and "by" not in claim and named:
        claim["by"] = named


def read_source(text: str) -> dict[str, Any]:
    _refuse_stray_bytes(text, "sources")
    try:
        return parse_source(text)
    except ParseError as error:
        raise ParseError(str(error), "sources") from None


def new_incident_id(data: dict[str, Any], taken: Iterable[str]) -> str:
    """``2022-12-02-kabul``: the date and the most precise place, numbered if taken."""
    base = id_base(data)
    used = set(taken)
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def id_base(data: dict[str, Any]) -> str:
    """What a new incident's id is made of: its date and its most precise place."""
    location = data.get("location") or {}
    place = ""
    for level in ("city", "district", "province", "country"):
        place = slug(str(location.get(level) or ""))
        if place:
            break
    return "-".join(part for part in (str(data.get("date") or "undated"), place) if part)


# --- writing -----------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A change to the store: the text before and after, and what it touched.

    A change made through the store's index makes the texts for a dry run
    alone (they are its diff); a write leaves them empty."""

    path: Path
    before: str
    after: str
    incident: Incident
    warnings: list[Problem] = field(default_factory=list)
    written: bool = False
    notes: list[str] = field(default_factory=list)  # about the write: an owner not kept

    def diff(self) -> str:
        import difflib

        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            fromfile=f"{self.path} (now)",
            tofile=f"{self.path} (after)",
        )
        return "".join(lines)


Edit = Callable[[list[Incident], list[dict[str, Any]]], tuple[list[dict[str, Any]], str]]


def change_store(
    store: Path | StoreFile, edit: Edit, *, dry_run: bool = False, today: date | None = None
) -> Change:
    """Apply ``edit`` to the store under its lock; validate; write unless ``dry_run``.

    ``edit`` gets the current incidents and their JSON data and returns the new
    data and the id of the incident it touched.  A ``Path`` is a JSON store.
    """
    store_file = JsonStoreFile(store) if isinstance(store, Path) else store
    path = store_file.path
    if not dry_run:
        ensure_writable(path)
    with nullcontext() if dry_run else store_lock(path):
        before = store_file.read()
        current = parse_store(before, str(path))
        records = [incident.model_dump(mode="json") for incident in current.incidents]
        new_records, touched_id = edit(list(current.incidents), records)
        links = _links_after(current, new_records)
        new_store = _validated(current.schema_url, new_records, str(path), links)
        problems = check_store(new_store, str(path), today)
        if errors(problems):
            raise WriteRefused(errors(problems))
        after = dump_store(new_store)
        touched = next((i for i in new_store.incidents if i.id == touched_id), None)
        if touched is None:  # removed: describe it as it was
            touched = find_incident(current.incidents, touched_id)
        warnings = [
            p for p in problems if p.severity is Severity.WARNING and p.incident_id == touched_id
        ]
        written = not dry_run and after != before
        notes: list[str] = []
        if written:
            # Still under the lock, so that the next question finds the index
            # up to date.  (Imported here: the index lives a floor above.)
            from incidents.index import kept_up

            with kept_up(path):
                store_file.write(current, new_store, after, notes)
    return Change(path, before, after, touched, warnings, written, notes)


def _links_after(current: Store, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The store's links, following a hand-kept incident whose id was changed
    (a link names it by its id; an imported one by its origin, which stays)."""
    links = [link.model_dump(mode="json", exclude_defaults=True) for link in current.links]
    if len(records) != len(current.incidents):
        return links
    renamed = {
        old.id: record.get("id")
        for old, record in zip(current.incidents, records, strict=True)
        if old.origin is None and record.get("id") != old.id
    }
    for link in links:
        link["records"] = [renamed.get(key, key) for key in link["records"]]
    return links


def _validated(
    schema_url: str | None,
    records: list[dict[str, Any]],
    name: str,
    links: list[dict[str, Any]] | None = None,
) -> Store:
    document: dict[str, Any] = {"$schema": schema_url} if schema_url else {}
    document["incidents"] = records
    if links:
        document["links"] = links
    try:
        return parse_store(json.dumps(document, ensure_ascii=False), name)
    except StoreError as error:
        raise WriteRefused(error.problems) from None


def add_incident(
    store: Path | StoreFile,
    data: dict[str, Any],
    *,
    force: bool = False,
    dry_run: bool = False,
    today: date | None = None,
) -> Change:
    """Add one incident (JSON data, id generated when missing) to the store."""
    from incidents.one_incident import adding, change_one

    def add(
        incidents: list[Incident], records: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], str]:
        record = with_new_id(data, (i.id for i in incidents))
        new_records = [*records, record]
        if not force:
            new = _validated(None, new_records, str(_path_of(store))).incidents[-1]
            twin = likely_twin(new, incidents)
            if twin is not None:
                raise LikelyTwin(new, twin)
        return new_records, str(record["id"])

    return change_one(store, adding(data, force), add, dry_run=dry_run, today=today)


def with_new_id(data: dict[str, Any], taken: Iterable[str]) -> dict[str, Any]:
    """The new incident's data, with an id made for it unless it has one."""
    if data.get("id"):
        return dict(data)
    return {"id": new_incident_id(data, taken), **data}


def edit_incident(
    store: Path | StoreFile,
    incident_id: str,
    settings: Sequence[tuple[str, str]],
    sources: Sequence[str] = (),
    *,
    dry_run: bool = False,
    today: date | None = None,
) -> Change:
    """Change fields of one incident (FIELD, TEXT pairs) and append sources."""
    from incidents.one_incident import change_one, editing

    added_sources = [read_source(text) for text in sources]

    def edited(record: dict[str, Any]) -> str:
        for name, text in settings:
            apply_setting(record, name, text)
        _code_country(record, {name for name, _ in settings})
        _claim_by_perpetrator(record)
        record["sources"] = [*record.get("sources", []), *added_sources]
        return str(record.get("id"))

    def edit(
        incidents: list[Incident], records: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], str]:
        index = incidents.index(find_incident(incidents, incident_id))
        return records, edited(records[index])

    one = editing(incident_id, edited)
    return change_one(store, one, edit, dry_run=dry_run, today=today)


def remove_incident(
    store: Path | StoreFile, incident_id: str, *, dry_run: bool = False, today: date | None = None
) -> Change:
    from incidents.one_incident import change_one, removing

    def remove(
        incidents: list[Incident], records: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], str]:
        index = incidents.index(find_incident(incidents, incident_id))
        return records[:index] + records[index + 1 :], incident_id

    return change_one(store, removing(incident_id), remove, dry_run=dry_run, today=today)


def _path_of(store: Path | StoreFile) -> Path:
    return store if isinstance(store, Path) else store.path
