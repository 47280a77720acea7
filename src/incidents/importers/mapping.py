"""Rows mapped to incidents, on both cores for a large export.

Mapping a row (reading its cells into the model, which validates them) is
most of an import's work.  For a large file, a forked process reads the
file, the importing process does not: for each row the forked process sends
what the importing process needs of it, in the file's order.  For a row it
mapped, that is its line, its origin id and what it became: the incident's
text (as a store writes it), or why there is no incident (a cell that cannot
be mapped, a row that is not violence, what the model refused, in the very
words the importing process would have used).  A row outside the filters is
sent as no more than that; a row that cannot be split into cells, or that
the forked process leaves to the importing one, as itself.  While the
importing process, which also stores every incident, has to wait for it,
the forked process leaves some rows to that process to map; while it does
not, it also makes what the store makes of some texts (their rows:
``Prepare``).  So the two share the work whatever the data set, the store
and the machine's other load.  A row whose result the forked process cannot
send (an error of another kind) is sent as itself, and mapped and fails
here as it would.  Should the forked process stop (the file cannot be read
on, or the process was killed), the importing process reads the file on
from the first row it was not sent.  The importing process takes the rows
in the file's order: problems are reported, counted and acted on
(--max-errors, --strict) as when one process reads and maps them all.
"""

from __future__ import annotations

import contextlib
import itertools
import signal
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from incidents.importers.checking import checked
from incidents.importers.common import LeftOut, RowError
from incidents.importers.tabular import BadRow, Row

if TYPE_CHECKING:
    from incidents.model import Incident

# Rows in a file below which one process reads and maps them all.
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


class Done(NamedTuple):
    """A row the forked process mapped: where it starts, its origin id (as the
    data set reads it), and what it became (``Mapped``, or why it is none)."""

    line: int
    origin_id: str
    outcome: Any


# What the importing process takes of each row, in the file's order: the
# row itself (to map here), a row that cannot be split into cells, a row
# mapped in the forked process, or OUTSIDE, a row outside the filters.
Item = Row | BadRow | Done | None
OUTSIDE = None

Map = Callable[[Row], "Incident"]
Keep = Callable[["Incident"], bool]
# What a store makes of an incident's text before it takes it (its index
# rows, say), which the forked process can make too.
Prepare = Callable[[str], Any]
# The forked process's last word: it read every row, or it stopped (the
# importing process then reads on from the first row it was not sent).
_FINISHED, _STOPPED = "finished", "stopped"


def _outcome(
    to_incident: Map,
    row: Row,
    keep: Keep,
    message: Callable[[ValueError], str],
    prepare: Prepare | None,
) -> Any:
    """What a row became, as the forked process sends it; None for an error
    of another kind (the importing process maps the row, and meets it)."""
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
        return None
    assert incident.origin is not None
    text, selected = stored_json(incident), keep(incident)
    try:
        prepared = prepare(text) if prepare is not None and selected else None
    except Exception:
        prepared = None  # the store makes it itself, and meets what is wrong
    return Mapped(text, incident.id, incident.origin.id, selected, prepared)


class RowMapper:
    """The file's rows in order (``items``), read and mapped by the forked
    process where it did, else read here; ``map`` makes a row's incident."""

    def __init__(
        self,
        rows: Callable[[], Iterable[Row | BadRow]],
        wanted: Callable[[Row], bool],
        origin_id: Callable[[Row], str],
        to_incident: Map,
        keep: Keep,
        message: Callable[[ValueError], str],
        parallel: bool,
        prepare: Prepare | None = None,
    ) -> None:
        import multiprocessing

        self._rows = rows
        self._to_incident = to_incident
        self._worker: Any = None
        self._receiver: Any = None
        self._waited: Any = None
        if not parallel or "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        # How many times this process found no batch ready (and waited).
        waited = context.Value("q", 0, lock=False)

        def item(number: int, row: Row | BadRow, level: int) -> Item:
            if isinstance(row, BadRow):
                return row
            if not wanted(row):
                return OUTSIDE
            step = number % STEPS
            if step < level:
                return row
            try:
                original = origin_id(row)
            except Exception:
                return row  # this process reads it, and meets what is wrong
            ready = prepare if step < -level else None
            outcome = _outcome(to_incident, row, keep, message, ready)
            return row if outcome is None else Done(row.line, original, outcome)

        def work() -> None:
            # Ctrl-C interrupts every process of the terminal's group: the
            # importing process answers it, and ends this one, which says nothing.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            batch: list[Item] = []
            level, seen = START_LEVEL, 0
            ending = _FINISHED
            try:
                for number, row in enumerate(rows()):
                    if not batch:
                        waits = waited.value
                        level = level + 1 if waits != seen else level - 1
                        level, seen = max(LOWEST_LEVEL, min(level, HIGHEST_LEVEL)), waits
                    batch.append(item(number, row, level))
                    if len(batch) == _BATCH:
                        sender.send(batch)
                        batch = []
            except Exception:
                ending = _STOPPED  # this process reads on from here, and meets the error
            for last in (batch, ending):
                # A batch that cannot be sent (a row that cannot be pickled, the
                # importing process gone) is read again there, from its first row.
                with contextlib.suppress(Exception):
                    sender.send(last)

        self._worker = context.Process(target=work, daemon=True)
        self._worker.start()
        sender.close()
        self._receiver, self._waited = receiver, waited

    def items(self) -> Iterator[Item]:
        """Every row of the file, in order, as the forked process sent it, or as
        read here (when there is no forked process, or once it stopped)."""
        if self._worker is None:
            yield from self._rows()
            return
        sent = 0
        finished = False
        while True:
            try:
                if not self._receiver.poll():
                    self._waited.value += 1
                batch = self._receiver.recv()
            except (EOFError, OSError):
                break  # it died: what it sent in whole stands
            if not isinstance(batch, list):
                finished = batch == _FINISHED
                break
            sent += len(batch)
            yield from batch
        self.close()
        if not finished:
            yield from itertools.islice(self._rows(), sent, None)

    def map(self, item: Row | Done) -> Incident | Mapped:
        """The row's incident: RowError, LeftOut or ValueError as ``checked``
        and the data set's mapping raise them."""
        if isinstance(item, Row):
            return checked(self._to_incident(item))
        found = item.outcome
        if isinstance(found, Mapped):
            return found
        if found[0] == "row":
            raise RowError(found[1], found[2], found[3])
        if found[0] == "left":
            raise LeftOut(found[1])
        raise ValueError(found[1])

    def close(self) -> None:
        if self._worker is not None:
            if self._worker.is_alive():
                self._worker.kill()
            self._worker.join()
            self._worker = None
        if self._receiver is not None:
            self._receiver.close()
            self._receiver = None
