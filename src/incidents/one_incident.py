"""Adding, changing or removing one incident through the store's index.

The index has validated every incident of the store (the model and the
checks): a writer that holds the store's lock validates the one incident it
makes, looks up in the index what the store-wide checks need (an incident
that already has its id, the likely twins of a new one), and writes the
change alone (``index.writing``).  What it refuses, and how it says so, is
what validating the whole new store would refuse and say: the problems name
the incident by its place in the store.

A store that is not valid, or whose index cannot be kept, is changed the
way it always was: read, validated and written whole (``editing``), which
says what is wrong with it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Callable
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incidents.checks import check_incidents, errors
from incidents.locking import store_lock
from incidents.store import Severity, StoreError, parse_store, stored_json
from incidents.store_files import StoreFile, ensure_writable

if TYPE_CHECKING:
    from incidents.editing import Change, Edit
    from incidents.index.writing import IndexedStore, Located
    from incidents.model import Incident

# What one change finds: the incident it changes or removes (None for a new
# one), the incident after it (None when removed), and the id it touched.
Found = tuple["Located | None", "Incident | None", str]
OneEdit = Callable[["IndexedStore"], Found]


def validated_one(record: dict[str, Any], ordinal: int, name: str) -> Incident:
    """The incident of this JSON data, which is to stand at ``ordinal`` in the
    store; ``WriteRefused`` naming it there when the model refuses it."""
    from incidents.editing import WriteRefused

    try:
        document = json.dumps({"incidents": [record]}, ensure_ascii=False)
        return parse_store(document, name).incidents[0]
    except StoreError as error:
        problems = [
            dataclasses.replace(p, index=p.index + ordinal) if p.index is not None else p
            for p in error.problems
        ]
        raise WriteRefused(problems) from None


def change_one(
    store: Path | StoreFile,
    one: OneEdit,
    whole: Edit,
    *,
    dry_run: bool = False,
    today: date | None = None,
) -> Change:
    """Make the change ``one`` through the store's index, under the store's
    lock; or, when the index cannot serve, ``whole`` over the store read whole."""
    from incidents.editing import change_store
    from incidents.index.writing import indexed_store

    path = store if isinstance(store, Path) else store.path
    if not dry_run:
        ensure_writable(path)
    with nullcontext() if dry_run else store_lock(path):
        with indexed_store(path) as indexed:
            if indexed is not None and indexed.checked_for(today or date.today()):
                with contextlib.suppress(_RenamesLinks):
                    return _changed(indexed, one, dry_run, today)
        return change_store(store, whole, dry_run=dry_run, today=today)


class _RenamesLinks(Exception):
    """A hand-kept incident renamed while links name it: they follow it,
    which the whole store's change does (``editing``)."""


def _changed(indexed: IndexedStore, one: OneEdit, dry_run: bool, today: date | None) -> Change:
    from incidents.editing import Change, WriteRefused
    from incidents.index.writing import OneChange

    name = str(indexed.path)
    before, new, touched_id = one(indexed)
    old = before.incident if before is not None else None
    renamed = old is not None and new is not None and old.id != new.id and old.origin is None
    if renamed and old is not None and indexed.names_linked(old.id):
        raise _RenamesLinks
    warnings = []
    if new is not None:
        ordinal = before.ordinal if before is not None else indexed.count()
        pairs = [(ordinal, new)]
        holder = indexed.holder(new.id, None if before is None else before.pos)
        if holder is not None:
            pairs.append((holder.ordinal, holder.incident))
        problems = check_incidents(sorted(pairs, key=lambda pair: pair[0]), name, today)
        if errors(problems):
            raise WriteRefused(errors(problems))
        warnings = [
            p for p in problems if p.severity is Severity.WARNING and p.incident_id == touched_id
        ]
    change = OneChange(
        None if before is None else before.pos, None if new is None else stored_json(new)
    )
    unchanged = (
        before is not None
        and change.text == before.text
        and (indexed.sqlite or indexed.meta.get("canonical") == "1")
    )
    texts = indexed.documents(change) if dry_run and not unchanged else ("", "")
    written = not dry_run and not unchanged
    notes: list[str] = []
    if written:
        indexed.write(change, notes)
    touched = new if new is not None and new.id == touched_id else None
    if touched is None:
        assert before is not None
        touched = before.incident
    return Change(indexed.path, *texts, touched, warnings, written, notes)


# --- the changes, through the index -----------------------------------------------


def adding(data: dict[str, Any], force: bool) -> OneEdit:
    """A new incident (its JSON data) added at the end of the store."""

    def add(indexed: IndexedStore) -> Found:
        from incidents.checks import likely_twin
        from incidents.editing import LikelyTwin, id_base, with_new_id

        record = with_new_id(data, indexed.ids_starting(id_base(data)))
        new = validated_one(record, indexed.count(), str(indexed.path))
        if not force:
            twin = likely_twin(new, indexed.twin_candidates(new))
            if twin is not None:
                raise LikelyTwin(new, twin)
        return None, new, str(record["id"])

    return add


def editing(incident_id: str, edited: Callable[[dict[str, Any]], str]) -> OneEdit:
    """The incident with this id changed by ``edited`` (which changes its JSON
    data and says its id)."""

    def edit(indexed: IndexedStore) -> Found:
        found = indexed.find(incident_id)
        record = found.incident.model_dump(mode="json")
        touched_id = edited(record)
        return found, validated_one(record, found.ordinal, str(indexed.path)), touched_id

    return edit


def removing(incident_id: str) -> OneEdit:
    """The incident with this id taken out of the store."""

    def remove(indexed: IndexedStore) -> Found:
        return indexed.find(incident_id), None, incident_id

    return remove
