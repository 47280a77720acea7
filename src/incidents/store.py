"""Find, read, validate and write the incident store.

Every problem in a store becomes one readable line naming the file and
either the line and column (bad JSON) or the incident and field (bad data);
pydantic's own error text never reaches the user raw.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incidents.errors import IncidentsError

if TYPE_CHECKING:
    from incidents.model import Incident, Link, Store

STORE_FILENAME = "incidents.json"
STORE_ENV_VAR = "INCIDENTS_STORE"


class Severity(StrEnum):
    """An error makes a store invalid; a warning is reported and let through."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a store, ready to print."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    index: int | None = None
    incident_id: str | None = None
    field: str | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        message = self.message
        if self.severity is Severity.WARNING:
            message = f"warning: {message}"
        if self.line is not None:
            return f"{self.file}:{self.line}:{self.column}: {message}"
        where = self.file
        if self.index is not None:
            where += f": incidents[{self.index}]"
            if self.incident_id:
                where += f" (id {self.incident_id!r})"
        if self.field:
            where += f", {self.field}"
        return f"{where}: {message}"

    def as_data(self) -> dict[str, Any]:
        """The problem as JSON data, for `incidents validate --format json`."""
        data = asdict(self)
        data["id"] = data.pop("incident_id")
        return data


class StoreError(IncidentsError):
    """A store that cannot be read or is not valid; holds every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class StoreLocation:
    path: Path
    reason: str  # how it was chosen, for `incidents where`


def bundled_store() -> Path:
    """The copy of the seed store shipped inside the package."""
    return Path(__file__).parent / "data" / STORE_FILENAME


def locate_store(
    option: str | os.PathLike[str] | None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> StoreLocation:
    """Pick the store: --store, then $INCIDENTS_STORE, then ./incidents.json, then bundled."""
    env = os.environ if environ is None else environ
    if option is not None:
        return StoreLocation(Path(option), "given with --store")
    if env.get(STORE_ENV_VAR):
        return StoreLocation(Path(env[STORE_ENV_VAR]), f"from ${STORE_ENV_VAR}")
    local = (cwd or Path.cwd()) / STORE_FILENAME
    if local.is_file():
        return StoreLocation(local, "found in the current directory")
    return StoreLocation(bundled_store(), "the copy bundled with the tool")


# --- reading -----------------------------------------------------------------


def read_text(path: Path) -> str:
    """The file's text, as UTF-8 (a byte-order mark is allowed)."""
    return decode_text(read_bytes(path), str(path))


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a pipe or device is read as a stream, within bounds."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        raise not_a_store_file(path) from None
    if stat.S_ISDIR(mode):
        raise not_a_store_file(path)
    try:
        return path.read_bytes() if stat.S_ISREG(mode) else _read_stream(path)
    except OSError as error:
        raise StoreError([Problem(str(path), f"cannot read: {error.strerror}")]) from None


def not_a_store_file(path: Path) -> StoreError:
    """Why ``path`` is no regular file, without reading it (a pipe read once is gone)."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return StoreError([Problem(str(path), "no such file")])
    except OSError as error:
        return StoreError([Problem(str(path), f"cannot read: {error.strerror}")])
    if stat.S_ISDIR(mode):
        return StoreError([Problem(str(path), "is a directory, not a store file")])
    return StoreError([Problem(str(path), "not a regular file")])


# A store read from a pipe or a device (`--store /dev/stdin`, `<(...)`) is
# held in memory whole, and may never end (`/dev/zero`, a FIFO nobody
# closes): it is refused past this size, or when nothing comes for this long.
STREAM_LIMIT_BYTES = 1 << 30
STREAM_IDLE_SECONDS = 60.0
_STREAM_CHUNK = 1 << 16


def _read_stream(path: Path) -> bytes:
    import select

    name = str(path)
    # Non-blocking, so that a FIFO with no writer yet cannot hang the open.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    chunks: list[bytes] = []
    size = 0
    opened = False
    try:
        poller = select.poll()
        poller.register(descriptor, select.POLLIN)
        while True:
            if not poller.poll(STREAM_IDLE_SECONDS * 1000):
                waited = f"{STREAM_IDLE_SECONDS:g}"
                raise StoreError([Problem(name, f"nothing came through for {waited} s")])
            try:
                chunk = os.read(descriptor, _STREAM_CHUNK)
            except BlockingIOError:
                continue
            if not chunk:
                return b"".join(chunks)
            opened = opened or _opens_a_store(chunk, name)
            chunks.append(chunk)
            size += len(chunk)
            if size > STREAM_LIMIT_BYTES:
                limit = f"{STREAM_LIMIT_BYTES / (1 << 20):,.0f} MB"
                problem = f"more than {limit} came through; a store this large must be a file"
                raise StoreError([Problem(name, problem)])
    finally:
        os.close(descriptor)


def _opens_a_store(chunk: bytes, name: str) -> bool:
    """Whether the chunk opens a JSON store ('{' after any blanks); a stream
    that cannot be one (`/dev/zero`, `yes`) is refused at its first byte."""
    text = chunk.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    if not text:
        return False  # only blanks so far
    if text[:1] != b"{":
        raise StoreError(
            [Problem(name, f"not a JSON store: it starts with byte {text[0]:#04x}, not '{{'")]
        )
    return True


def decode_text(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        byte = raw[error.start]
        raise StoreError(
            [Problem(name, f"not UTF-8 text (byte {byte:#04x})", line, column)]
        ) from None


def parse_store(text: str, name: str) -> Store:
    """Validate store text; StoreError lists every problem in it."""
    from pydantic import ValidationError

    from incidents.model import Store

    try:
        return Store.model_validate_json(text)
    except ValidationError as error:
        invalid = [e for e in error.errors() if e["type"] == "json_invalid"]
        if invalid:
            reason = str(invalid[0].get("ctx", {}).get("error", ""))
            raise StoreError([_json_syntax_problem(text, name, reason)]) from None
        raise StoreError(_model_problems(error, text, name)) from None


def load_store(path: Path) -> Store:
    return parse_store(read_text(path), str(path))


_AT_LINE_COLUMN = re.compile(r"^(.*) at line (\d+) column (\d+)$")


def _json_syntax_problem(text: str, name: str, reason: str = "") -> Problem:
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return Problem(name, f"not valid JSON: {error.msg}", error.lineno, error.colno)
    except RecursionError:
        return Problem(name, "not valid JSON: nested too deeply")
    # pydantic's parser refused what the standard one accepts: deep nesting,
    # or an escaped lone surrogate ("\ud800") that is no character at all.
    found = _AT_LINE_COLUMN.match(reason)
    if not found:
        return Problem(name, "not valid JSON: nested too deeply or too large")
    what = "nested too deeply" if "recursion" in found.group(1) else found.group(1)
    return Problem(name, f"not valid JSON: {what}", int(found.group(2)), int(found.group(3)))


# Union members and wrappers pydantic puts in an error's location; the user
# only cares about the field.
def _is_schema_tag(part: str | int) -> bool:
    return isinstance(part, str) and (
        part in {"int", "none", "str", "float", "bool", "constrained-int"}
        or "[" in part
        or part[:1].isupper()
    )


_EXPECTATIONS = {
    "killed": 'expected a whole number, {"min": N}, {"min": N, "max": M}, or null for unknown',
    "wounded": 'expected a whole number, {"min": N}, {"min": N, "max": M}, or null for unknown',
}


def _model_problems(error: Any, text: str, name: str) -> list[Problem]:
    raw_incidents = _raw_incidents(text)
    grouped: dict[tuple[str | int, ...], list[str]] = {}
    for item in _relevant(error.errors(include_url=False)):
        path = tuple(part for part in item["loc"] if not _is_schema_tag(part))
        message = _message(item)
        messages = grouped.setdefault(path, [])
        if message not in messages:
            messages.append(message)
    problems = []
    for path, messages in grouped.items():
        if len(path) >= 2 and path[0] == "incidents" and isinstance(path[1], int):
            index = path[1]
            field = _field_path(path[2:])
            top = str(path[2]) if len(path) > 2 else ""
            expectation = _EXPECTATIONS.get(top) if len(messages) > 1 else None
            incident_id = _raw_id(raw_incidents, index)
            problems.append(
                Problem(
                    name,
                    expectation or "; or ".join(messages),
                    index=index,
                    incident_id=incident_id,
                    field=field or None,
                )
            )
        else:
            problems.append(Problem(name, "; or ".join(messages), field=_field_path(path) or None))
    return problems


# Errors that only say "this union member takes another kind of value".
_WRONG_KIND = frozenset(
    {"int_type", "float_type", "string_type", "bool_type", "list_type", "dict_type"}
    | {"model_type", "model_attributes_type", "none_required", "is_instance_of"}
)


def _relevant(items: list[Any]) -> list[Any]:
    """Drop the members of a union that did not take the input's kind when another did.

    ``{"min": 5, "max": 3}`` as a count fails as an integer (wrong kind) and
    as a range (min above max); only the second says anything to the user.
    """
    by_union: dict[tuple[Any, ...], list[Any]] = {}
    for item in items:
        loc = item["loc"]
        tags = [i for i, part in enumerate(loc) if _is_schema_tag(part)]
        if tags:
            by_union.setdefault(tuple(loc[: tags[0]]), []).append(item)
    dropped: set[int] = set()
    for members in by_union.values():
        if any(m["type"] not in _WRONG_KIND for m in members):
            dropped.update(id(m) for m in members if m["type"] in _WRONG_KIND)
    return [item for item in items if id(item) not in dropped]


def _message(item: Mapping[str, Any]) -> str:
    kind = item["type"]
    given = item.get("input")
    if kind == "missing":
        return "missing (this field is required)"
    if kind == "extra_forbidden":
        return "unknown field (check its spelling)"
    if kind == "model_type" and not item["loc"]:
        return 'expected an object {"incidents": [...]}, got ' + _json_kind(given)
    if kind == "enum":
        return f"{given!r} is not one of: {item['ctx']['expected']}"
    if kind == "less_than_equal" and {"killed", "wounded"} & set(item["loc"]):
        limit = item["ctx"]["le"]
        return f"a figure is at most {limit:,} (more people than live on Earth), got {given}"
    text = str(item["msg"])
    if text.startswith("Value error, "):
        text = text[len("Value error, ") :]
    text = text[:1].lower() + text[1:]
    if kind not in {"value_error", "assertion_error"} and given is not None and _short(given):
        text += f", got {json.dumps(given, ensure_ascii=False)}"
    return text


def _json_kind(value: Any) -> str:
    kinds = {list: "a list", str: "a string", bool: "true or false", type(None): "null"}
    return kinds.get(type(value), "a number")


def _short(value: Any) -> bool:
    return isinstance(value, (int, float, str, bool)) and len(str(value)) <= 60


def _field_path(parts: Sequence[str | int]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _raw_incidents(text: str) -> list[Any]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return []
    incidents = document.get("incidents") if isinstance(document, dict) else None
    return incidents if isinstance(incidents, list) else []


def _raw_id(raw_incidents: list[Any], index: int) -> str | None:
    if index < len(raw_incidents) and isinstance(raw_incidents[index], dict):
        value = raw_incidents[index].get("id")
        return value if isinstance(value, str) else None
    return None


# --- writing -----------------------------------------------------------------


def dump_store(store: Store) -> str:
    """The store's file text: stable key order, 2-space indent, UTF-8 unescaped."""
    texts = (stored_json(incident) for incident in store.incidents)
    return "".join(store_document(texts, store.schema_url, link_texts(store.links)))


def link_texts(links: Iterable[Link]) -> Iterator[str]:
    """Each link's JSON as it stands inside a store file, as ``stored_json``."""
    for link in links:
        yield stored_json_of(link.model_dump(mode="json", exclude_defaults=True))


def stored_json(incident: Incident) -> str:
    """An incident's JSON as it stands inside a store file (indented for its place).

    pydantic's serializer writes these bytes several times faster than
    ``json.dumps`` (whose indented output has only a pure-Python encoder),
    and writes the same bytes but for a float below 1e-4, written out in
    full (0.00003 against 3e-05): such a text is written by ``json.dumps``.
    A text pydantic cannot write (a lone surrogate) is left to ``json.dumps``
    too, which says so as it always did."""
    from pydantic_core import PydanticSerializationError

    try:
        quick = incident.__pydantic_serializer__.to_json(incident, indent=2, exclude_defaults=True)
    except PydanticSerializationError:
        quick = b""
    if quick and not FLOATS_WRITTEN_OTHERWISE.search(quick):
        # UTF-8 never holds a newline byte inside another character's bytes.
        return quick.replace(b"\n", b"\n    ").decode("utf-8")
    return stored_json_of(incident.model_dump(mode="json", exclude_defaults=True))


# Where pydantic's JSON and json.dumps differ: a float below 1e-4 (0.00003,
# 1e-6 against 3e-05, 1e-06), which only coordinates and best estimates hold.
FLOATS_WRITTEN_OTHERWISE = re.compile(rb'"(?:lat|lon|best)": -?(?:0\.0000|[0-9.]+e)')


def stored_json_of(data: Mapping[str, Any]) -> str:
    """``stored_json`` from the incident's JSON data."""
    return json.dumps(data, indent=2, ensure_ascii=False).replace("\n", "\n    ")


def store_document(
    texts: Iterable[str], schema_url: str | None = None, links: Iterable[str] = ()
) -> Iterator[str]:
    """A store file's text, in pieces, from its incidents' ``stored_json`` texts
    (and its links', after them).

    The same bytes as ``json.dumps(document, indent=2)``: written this way so
    that a million incidents can stream out without building the document.
    """
    yield "{\n"
    if schema_url is not None:
        yield f'  "$schema": {json.dumps(schema_url, ensure_ascii=False)},\n'
    yield from _json_list("incidents", texts)
    yield from _json_list("links", links, first=False)
    yield "\n}\n"


def _json_list(key: str, texts: Iterable[str], first: bool = True) -> Iterator[str]:
    """A top-level key and its list of indented texts; nothing for an empty
    list that is not the first key (``links`` is left out when there are none)."""
    opening = ("" if first else ",\n") + f'  "{key}": ['
    for text in texts:
        yield opening + "\n    " + text
        opening = ","
    if not opening.endswith("["):
        yield "\n  ]"
    elif first:
        yield opening + "]"


_SCHEMA_HEAD = re.compile(r'\A\ufeff?\s*\{\s*"\$schema"\s*:\s*("(?:[^"\\]|\\.)*")')


def schema_url_of(path: Path) -> str | None:
    """The "$schema" a JSON store file begins with; None when it has none or
    is no regular file (a pipe is read once, by the command).  A sqlite
    store is not opened: closing a file this process opened drops the locks
    that SQLite holds on it for the process (POSIX), and another process
    could then remove its log while this one still reads and writes it."""
    from incidents.index import SQLITE_SUFFIXES

    if path.suffix.lower() in SQLITE_SUFFIXES:
        return None
    try:
        if not path.is_file():
            return None
        with path.open("rb") as file:
            head = file.read(4096).decode("utf-8", "replace")
    except OSError:
        return None
    found = _SCHEMA_HEAD.match(head)
    if found is None:
        return None
    try:
        value = json.loads(found.group(1))
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def incident_json(incident: Incident, indent: int | None = None) -> str:
    """An incident's JSON: indented, or on one line (NDJSON) with no spaces."""
    data = incident.model_dump(mode="json", exclude_defaults=True)
    separators = None if indent is not None else (",", ":")
    return json.dumps(data, indent=indent, ensure_ascii=False, separators=separators)
