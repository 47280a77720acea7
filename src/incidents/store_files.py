"""Stores as writers see them, a JSON file or a ``.sqlite`` one (``index``),
and whether one can be changed where it is."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from incidents.errors import IncidentsError
from incidents.files import atomic_writer, kind_of, real_path
from incidents.store import bundled_store, read_text

if TYPE_CHECKING:
    from incidents.model import Store


class NotWritable(IncidentsError):
    """The store cannot be changed where it is (checked before any prompt)."""


class StoreFile(Protocol):
    """A store as writers see it: its text as a JSON store's, and how a
    validated new store replaces it."""

    path: Path

    def read(self) -> str: ...

    def write(self, before: Store, after: Store, text: str, notes: list[str]) -> None:
        """Replace ``before`` (as read) by ``after``, whose JSON text is ``text``."""


@dataclass
class JsonStoreFile:
    path: Path

    def read(self) -> str:
        return read_text(self.path)

    def write(self, before: Store, after: Store, text: str, notes: list[str]) -> None:
        with atomic_writer(self.path, notes=notes) as stream:
            stream.write(text)


def ensure_writable(path: Path) -> None:
    """NotWritable unless the store and its directory can be written (checked before prompts)."""
    real = real_path(path)
    if real == bundled_store().resolve():
        raise NotWritable(
            f"{path}: this is the copy bundled with the tool, which is not edited in place; "
            "make your own with `incidents export --format json -o incidents.json` "
            "and work in its directory (or use --store)"
        )
    if not real.exists():
        raise NotWritable(f"{path}: no such store file")
    if not real.is_file():
        kind = kind_of(real.stat().st_mode)
        raise NotWritable(f"{path}: {kind}, not a store file that can be changed")
    if not os.access(path, os.W_OK) or not _has_write_bits(path):
        raise NotWritable(f"{path}: the store is read-only")
    directory = real.parent  # where atomic_writer puts its temporary file
    if not os.access(directory, os.W_OK | os.X_OK) or not _has_write_bits(directory):
        raise NotWritable(
            f"{path}: its directory {directory} is not writable (a safe save writes beside it)"
        )


def _has_write_bits(path: Path) -> bool:
    # Even root honours a file its owner made read-only.
    return bool(path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
