"""An exclusive lock on the store, so that two writers cannot interleave.

The lock is ``fcntl.flock`` on a hidden file beside the store
(``.incidents.json.lock``).  The kernel releases a flock when its process
dies, however it dies, so a lock file left behind by a crashed writer never
blocks the next one: the file is there, but nobody holds it.  The holder
writes its process id into the file so that a writer kept waiting can say
who it is waiting for, and removes the file when done.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from incidents.errors import IncidentsError

DEFAULT_TIMEOUT_SECONDS = 30.0
_POLL_SECONDS = 0.02


class LockError(IncidentsError):
    """The lock cannot be made, or another writer kept it too long."""


def lock_path(store: Path) -> Path:
    return store.parent / f".{store.name}.lock"


@contextmanager
def store_lock(store: Path, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the store's lock for the body; LockError if it stays taken past ``timeout``."""
    import fcntl

    path = lock_path(store)
    deadline = time.monotonic() + timeout
    while True:
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            problem = f"{store}: cannot create the lock file {path}: {error.strerror}"
            raise LockError(problem) from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(descriptor)
            os.close(descriptor)
            if time.monotonic() >= deadline:
                raise LockError(
                    f"{store}: the store is locked by {holder} ({path}); try again"
                ) from None
            time.sleep(_POLL_SECONDS)
            continue
        # The last holder may have removed the file between our open and our
        # flock; a lock on a removed file guards nothing, so start again.
        if _is_current(descriptor, path):
            break
        os.close(descriptor)
    try:
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        yield
    finally:
        # Removed while still held, so nobody can lock this file after us.
        path.unlink(missing_ok=True)
        os.close(descriptor)


def _is_current(descriptor: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)


def _holder(descriptor: int) -> str:
    try:
        text = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        text = ""
    return f"process {text}" if text.isdigit() else "another process"
