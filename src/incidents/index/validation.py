"""Validating a store's incidents with the model, a chunk at a time, on both
cores, while the index is being built.

pydantic validates every incident (the model of record) and the checks of
one incident run on it; each incident's text is then compared with the
text this tool writes for it (its canonical text), so that every answer
shows the incident as this tool writes it, whatever the store looked like.

The work is split in chunks of ``CHUNK`` incidents that a forked process
and this one take in turn, from one shared counter: the forked one starts
at once, this one joins in when it has inserted the index's rows (the two
halves of a build take unequal times, and other processes share the cores).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from incidents.index.schema import CHUNK, collector_paused

if TYPE_CHECKING:
    from incidents.model import Incident

# What a validation finds: None when an incident is not valid, else the
# canonical text of each incident whose text differs from it, by its place
# among the incidents.
Canonical = dict[int, str] | None
Spans = Sequence[tuple[int, int]]

# A store of these incidents as pydantic writes it, around the incidents.
_STORE_HEAD = b'{\n  "incidents": [\n    '
_STORE_TAIL = b"\n  ]\n}"


def validate_spans(data: bytes, spans: Spans, name: str, first: int = 0) -> Canonical:
    """Whether the incidents at these spans of the store's bytes (numbered from
    ``first``) pass the model and the checks of one incident, and the canonical
    texts of those written otherwise.  Ids shared between incidents are looked
    for in the built index."""
    from pydantic import ValidationError

    from incidents.checks import check_incidents

    if not spans:
        return {}
    body = data[spans[0][0] : spans[-1][1]]
    try:
        incidents = _adapter().validate_json(b"[" + body + b"]")
    except ValidationError:
        return None
    if len(incidents) != len(spans):  # a cut fell inside an incident
        return None
    if check_incidents(list(enumerate(incidents, first)), name, warnings=False):
        return None
    return _rewritten(incidents, body, [data[start:end] for start, end in spans], first)


def validate_texts(texts: Sequence[str], name: str, first: int = 0) -> Canonical:
    """``validate_spans`` for incidents given as texts of their own."""
    encoded = [text.encode("utf-8") for text in texts]
    spans, at = [], 0
    for text in encoded:
        spans.append((at, at + len(text)))
        at += len(text) + len(_SEPARATOR)
    return validate_spans(_SEPARATOR.join(encoded), spans, name, first)


_SEPARATOR = b",\n    "


def _adapter() -> Any:
    from pydantic import TypeAdapter

    from incidents.model import Incident

    return TypeAdapter(list[Incident])


def _rewritten(
    incidents: Sequence[Incident], body: bytes, texts: Sequence[bytes], first: int
) -> dict[int, str]:
    """The canonical text (what this tool writes) of each incident whose text
    is not that, by its place among the incidents.

    A store edited by hand may escape letters, order keys otherwise, spell out
    defaults or write 36 for 36.0.
    """
    from incidents.model import Store
    from incidents.store import FLOATS_WRITTEN_OTHERWISE, stored_json

    store = Store.model_construct(incidents=list(incidents))
    quick = Store.__pydantic_serializer__.to_json(store, indent=2, exclude_defaults=True)
    if quick == _STORE_HEAD + body + _STORE_TAIL and not FLOATS_WRITTEN_OTHERWISE.search(quick):
        return {}
    canonical = (
        (first + n, stored_json(i), text)
        for n, (i, text) in enumerate(zip(incidents, texts, strict=True))
    )
    return {pos: text for pos, text, given in canonical if text.encode("utf-8") != given}


class Validation:
    """Validation of a store's incidents beside the index build: in a forked
    process that shares the store's bytes (where the platform has fork) and,
    once it calls ``finish``, in this one too; else all of it in ``finish``."""

    def __init__(self, data: bytes, spans: Spans, name: str) -> None:
        import multiprocessing

        self._data, self._spans, self._name = data, spans, name
        self._chunks = -(-len(spans) // CHUNK)
        self._worker: Any = None
        self._receiver: Any = None
        if "fork" not in multiprocessing.get_all_start_methods() or len(spans) < 2 * CHUNK:
            self._next: Any = None
            return
        context = multiprocessing.get_context("fork")
        self._next = context.Value("q", 0)
        self._failed = context.Value("b", 0, lock=False)
        self._receiver, sender = context.Pipe(duplex=False)

        def work() -> None:
            try:
                sender.send(self._share())
            except BaseException:
                sender.send(None)

        self._worker = context.Process(target=work, daemon=True)
        self._worker.start()
        sender.close()

    def _claim(self) -> int | None:
        """The next chunk no process has taken, or None."""
        if self._next is None:
            return None
        with self._next.get_lock():
            number = int(self._next.value)
            if number >= self._chunks or self._failed.value:
                return None
            self._next.value = number + 1
        return number

    def _share(self) -> Canonical:
        """Validate chunks until none is left; None at the first invalid one."""
        found: dict[int, str] = {}
        with collector_paused():
            while (number := self._claim()) is not None:
                first = number * CHUNK
                chunk = self._spans[first : first + CHUNK]
                result = validate_spans(self._data, chunk, self._name, first)
                if result is None:
                    self._failed.value = 1
                    return None
                found.update(result)
        return found

    def finish(self) -> Canonical:
        """None when an incident is not valid, else the canonical texts to use."""
        if self._worker is None:
            with collector_paused():
                found: dict[int, str] = {}
                for first in range(0, len(self._spans), CHUNK):
                    chunk = self._spans[first : first + CHUNK]
                    result = validate_spans(self._data, chunk, self._name, first)
                    if result is None:
                        return None
                    found.update(result)
                return found
        mine = self._share()
        try:
            theirs = self._receiver.recv()
        except EOFError:
            theirs = None
        self._worker.join()
        self._worker = None
        if mine is None or theirs is None:
            return None
        return {**mine, **theirs}

    def cancel(self) -> None:
        if self._worker is not None:
            if self._worker.is_alive():
                self._worker.kill()
            self._worker.join()
            self._worker = None
