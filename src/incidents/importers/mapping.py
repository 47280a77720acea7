"""Rows mapped to incidents, on both cores for a large export.

Mapping a row (reading its cells into the model, which validates them) is
most of an import's work.  For a large file, a forked process reads the
same file and maps its rows; for each, it sends what the row became: the
incident's text (as a store writes it), or why there is no incident (a
cell that cannot be mapped, a row that is not violence, what the model
refused, in the very words the importing process would have used).  While
the importing process, which also stores every incident, has to wait for
it, it leaves some rows to that process; while it does not, it also makes
what the store makes of some texts (their rows: ``Prepare``).  So the two
share the work whatever the data set, the store and the machine's other
load.  A row whose result the forked process cannot send (an error of
another kind) is mapped again here, and fails here as it would.  The
importing process takes the forked one's results in the file's order:
problems are reported, counted and acted on (--max-errors, --strict) as
when one process maps them all.
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
_BATCH = 256
# Which of the two processes has more to do depends on the data set, the
# store and what else the machine runs, so the forked one decides as it
# goes, a batch at a time, at a level: at a level L above 0 it leaves L rows
# of every STEPS to this process; at 0 it maps every row; below 0 it also
# prepares what the store makes of -L rows of every STEPS (``Prepare``).
# The level rises by one after a batch this process had to wait for, and
# falls by one after a batch it did not.
STEPS = 8
START_LEVEL, LOWEST_LEVEL, HIGHEST_LEVEL = 2, -STEPS, STEPS - 1


class Mapped(NamedTuple):
    """An incident mapped in the forked process: its text as a store writes
    it, its id and origin, whether the filters keep it, and, if that process
    had the time, what the store makes of the text (``Prepare``).  (A tuple:
    a batch of them is pickled, and sent, in C.)"""

    text: str
    incident_id: str
    origin_id: str
    selected: bool
    prepared: Any = None

    def incident(self) -> Incident:
        from incidents.model import Incident

        return Incident.model_validate_json(self.text)


Map = Callable[[Row], "Incident"]
Keep = Callable[["Incident"], bool]
# What a store makes of an incident's text before it takes it (its index
# rows, say), which the forked process can make too.
Prepare = Callable[[str], Any]
_AGAIN = ("again",)


def _outcome(
    to_incident: Map,
    row: Row,
    keep: Keep,
    message: Callable[[ValueError], str],
    prepare: Prepare | None,
) -> Any:
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
        return _AGAIN
    assert incident.origin is not None
    text, selected = stored_json(incident), keep(incident)
    try:
        prepared = prepare(text) if prepare is not None and selected else None
    except Exception:
        prepared = None  # the store makes it itself, and meets what is wrong
    return Mapped(text, incident.id, incident.origin.id, selected, prepared)


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
        prepare: Prepare | None = None,
    ) -> None:
        import multiprocessing

        self._to_incident = to_incident
        self._results: Iterator[tuple[int, Any]] = iter(())
        self._worker: Any = None
        if not parallel or "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        # How many times this process found no batch ready (and waited).
        waited = context.Value("q", 0, lock=False)

        def work() -> None:
            batch: list[tuple[int, Any]] = []
            level, seen = START_LEVEL, 0
            with contextlib.suppress(Exception):  # this process meets the same error itself
                for number, item in enumerate(rows()):
                    if not (isinstance(item, Row) and wanted(item)):
                        continue
                    if not batch:
                        waits = waited.value
                        level = level + 1 if waits != seen else level - 1
                        level, seen = max(LOWEST_LEVEL, min(level, HIGHEST_LEVEL)), waits
                    step = number % STEPS
                    if step < level:
                        batch.append((number, _AGAIN))
                    else:
                        ready = prepare if step < -level else None
                        batch.append((number, _outcome(to_incident, item, keep, message, ready)))
                    if len(batch) == _BATCH:
                        sender.send(batch)
                        batch = []
            sender.send(batch)
            sender.send(None)

        self._worker = context.Process(target=work, daemon=True)
        self._worker.start()
        sender.close()
        self._results = self._received(receiver, waited)

    @staticmethod
    def _received(receiver: Any, waited: Any) -> Iterator[tuple[int, Any]]:
        while True:
            try:
                if not receiver.poll():
                    waited.value += 1
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
        if found is None or found == _AGAIN:
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
        if self._worker is None:
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
