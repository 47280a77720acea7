"""Rows mapped to incidents, on both cores for a large export.

Mapping a row (reading its cells into the model, which validates them) is
most of an import's work.  For a large file, a forked process reads the
same file and maps two rows of every three; for each, it sends what the row
became: the incident's text (as a store writes it), or why there is no
incident (a cell that cannot be mapped, a row that is not violence, what the
model refused, in the very words the importing process would have used).
The importing process maps the other rows itself while it stores the
incidents, and takes the forked one's results in the file's order: problems
are reported, counted and acted on (--max-errors, --strict) as when one
process maps them all.  A row whose result the forked process cannot send
(an error of another kind) is mapped again here, and fails here as it would.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from incidents.importers.checking import checked
from incidents.importers.common import LeftOut, RowError
from incidents.importers.tabular import BadRow, Row

if TYPE_CHECKING:
    from incidents.model import Incident

# Rows in a file below which one process maps them all.
PARALLEL_FROM_ROWS = 10_000
# Of every SHARE rows, this process maps the first MAPPED_HERE and the
# forked one the rest: it reads and maps, while this process also stores.
# A store whose storing takes longer has fewer mapped here (its ``share``).
SHARE = 3
MAPPED_HERE = 1
_BATCH = 256


class Mapped(NamedTuple):
    """An incident mapped in the forked process: its text as a store writes
    it, its id and origin, and whether the filters keep it.  (A tuple: a
    batch of them is pickled, and sent, in C.)"""

    text: str
    incident_id: str
    origin_id: str
    selected: bool

    def incident(self) -> Incident:
        from incidents.model import Incident

        return Incident.model_validate_json(self.text)


Map = Callable[[Row], "Incident"]
Keep = Callable[["Incident"], bool]


def _outcome(to_incident: Map, row: Row, keep: Keep, message: Callable[[ValueError], str]) -> Any:
    """What a row became, as the forked process sends it."""
    from incidents.store import stored_json

    try:
        incident = checked(to_incident(row))
    except RowError as error:
        return ("row", error.column, error.value, error.reason)
    except LeftOut as left:
        return ("left", left.kind)
    except ValueError as error:
        return ("refused", message(error))
    except Exception:
        return ("again",)
    assert incident.origin is not None
    return Mapped(stored_json(incident), incident.id, incident.origin.id, keep(incident))


class RowMapper:
    """Each row's incident (``map``), from the forked process where it mapped
    the row, else mapped here."""

    def __init__(
        self,
        rows: Callable[[], Iterator[Row | BadRow]],
        wanted: Callable[[Row], bool],
        to_incident: Map,
        keep: Keep,
        message: Callable[[ValueError], str],
        parallel: bool,
        share: tuple[int, int] = (MAPPED_HERE, SHARE),
    ) -> None:
        import multiprocessing

        self._to_incident = to_incident
        here, every = self._share = share
        self._results: Iterator[tuple[int, Any]] = iter(())
        self._worker: Any = None
        if not parallel or "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)

        def work() -> None:
            batch: list[tuple[int, Any]] = []
            with contextlib.suppress(Exception):  # this process meets the same error itself
                for number, item in enumerate(rows()):
                    if number % every >= here and isinstance(item, Row) and wanted(item):
                        batch.append((number, _outcome(to_incident, item, keep, message)))
                        if len(batch) == _BATCH:
                            sender.send(batch)
                            batch = []
            sender.send(batch)
            sender.send(None)

        self._worker = context.Process(target=work, daemon=True)
        self._worker.start()
        sender.close()
        self._results = self._received(receiver)

    @staticmethod
    def _received(receiver: Any) -> Iterator[tuple[int, Any]]:
        while True:
            try:
                batch = receiver.recv()
            except EOFError:
                return
            if batch is None:
                return
            yield from batch

    def map(self, number: int, row: Row) -> Incident | Mapped:
        """The row's incident: RowError, LeftOut or ValueError as ``checked``
        and the data set's mapping raise them."""
        found = self._taken(number)
        if found is None or found == ("again",):
            return checked(self._to_incident(row))
        if isinstance(found, Mapped):
            return found
        if found[0] == "row":
            raise RowError(found[1], found[2], found[3])
        if found[0] == "left":
            raise LeftOut(found[1])
        raise ValueError(found[1])

    def _taken(self, number: int) -> Any:
        """The forked process's result for this row, passing over those of rows
        that needed none (outside the filters, a duplicate)."""
        if self._worker is None or number % self._share[1] < self._share[0]:
            return None
        for taken, result in self._results:
            if taken == number:
                return result
            if taken > number:
                break
        self.close()  # out of step: every later row is mapped here
        return None

    def close(self) -> None:
        if self._worker is not None:
            if self._worker.is_alive():
                self._worker.kill()
            self._worker.join()
            self._worker = None
