"""An exclusive lock on the store, held by every writer for its whole
read-modify-write, so that two writers cannot interleave.

The lock is ``fcntl.flock`` on a hidden file beside the store
(``.incidents.json.lock``).  The kernel releases a flock when its process
dies, however it dies, so a lock file left behind by a crashed writer never
blocks the next one: the file is there, but nobody holds it.  A lock file
is made with the store's permissions and locked even when it can only be
read, so that a stale one left by another user blocks nobody who may write
the store.  It is opened without following a symbolic link, and anything
there that is not a regular file is refused and left alone, never
truncated or removed.  The holder writes its process id into the file so
that a writer kept waiting can say who it is waiting for, and removes the
file when done.

Held again by the process that holds it (a writer calling another), the
lock is simply held: ``store_lock`` can wrap a whole read-modify-write that
calls functions taking it themselves.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from incidents.errors import IncidentsError
from incidents.files import kind_of
from incidents.temporary import names_open_file

DEFAULT_TIMEOUT_SECONDS = 30.0
_POLL_SECONDS = 0.02
_held = threading.local()


class LockError(IncidentsError):
    """The lock cannot be made, or another writer kept it too long."""


def lock_path(store: Path) -> Path:
    return store.parent / f".{store.name}.lock"


@contextmanager
def store_lock(
    store: Path,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the store's lock for the body; LockError if it stays taken past
    ``timeout`` seconds.  ``on_wait`` is told once, in a sentence, when the
    lock is taken and this writer starts waiting for it."""
    import fcntl

    try:
        store = store.resolve()  # writers through two symbolic links still meet
    except (RuntimeError, OSError):  # RuntimeError: Python 3.11's word for a loop
        raise LockError(f"{store}: a loop of symbolic links") from None
    held: set[Path] = _held.__dict__.setdefault("paths", set())
    if store in held:
        yield
        return
    path = lock_path(store)
    deadline = time.monotonic() + timeout
    told = False
    while True:
        descriptor, writable = _open(store, path)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(descriptor)
            os.close(descriptor)
            if time.monotonic() >= deadline:
                raise LockError(
                    f"{store}: still locked by {holder} after {timeout:g} s ({path}); "
                    "try again when it is done"
                ) from None
            if on_wait is not None and not told:
                on_wait(f"Waiting for {holder}, which is writing {store}...")
                told = True
            time.sleep(_POLL_SECONDS)
            continue
        # The last holder may have removed the file between our open and our
        # flock; a lock on a removed file guards nothing, so start again.
        if names_open_file(path, descriptor):
            break
        os.close(descriptor)
    held.add(store)
    try:
        if writable:
            os.ftruncate(descriptor, 0)
            os.write(descriptor, f"{os.getpid()}\n".encode())
        yield
    finally:
        held.discard(store)
        # Removed while still held, so nobody can lock this file after us;
        # only if it is still the file we hold.
        if names_open_file(path, descriptor):
            with contextlib.suppress(OSError):  # a sticky directory: it stays, unheld
                path.unlink()
        os.close(descriptor)


def _open(store: Path, path: Path) -> tuple[int, bool]:
    """The lock file's descriptor, and whether it could be opened for writing."""
    flags = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    mode = _mode_of(store)
    try:
        descriptor = os.open(path, flags | os.O_RDWR | os.O_CREAT | os.O_EXCL, mode)
        _like_the_store(descriptor, store, mode)
        return descriptor, True
    except FileExistsError:
        pass
    except OSError as error:
        raise _refusal(store, path, error) from None
    writable = True
    try:
        try:
            descriptor = os.open(path, flags | os.O_RDWR)
        except PermissionError:
            # Another user's lock file: a flock needs only to read it.
            descriptor, writable = os.open(path, flags | os.O_RDONLY), False
    except FileNotFoundError:
        return _open(store, path)  # removed by its holder meanwhile
    except OSError as error:
        raise _refusal(store, path, error) from None
    kind = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(kind):
        os.close(descriptor)
        raise LockError(
            f"{store}: {path} is {kind_of(kind)}, not a lock file of ours; it is left alone: "
            "remove it if it should not be there"
        )
    return descriptor, writable


def _refusal(store: Path, path: Path, error: OSError) -> LockError:
    if error.errno == errno.ELOOP:
        return LockError(
            f"{store}: {path} is a symbolic link, not a lock file of ours; it is left alone: "
            "remove it if it should not be there"
        )
    if error.errno in (errno.ENXIO, errno.EISDIR):  # a socket, a directory
        return LockError(f"{store}: {path} is not a lock file of ours; it is left alone")
    return LockError(f"{store}: cannot make the lock file {path}: {error.strerror}")


def _mode_of(store: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(store).st_mode) & 0o666
    except OSError:
        return 0o666  # a new store: the umask decides, as for the store


def _like_the_store(descriptor: int, store: Path, mode: int) -> None:
    """Give a new lock file the store's permissions and group (the umask
    may have taken some), so that whoever may write the store may lock it."""
    try:
        group = os.stat(store).st_gid
    except OSError:
        return
    try:
        os.fchown(descriptor, -1, group)
        os.fchmod(descriptor, mode)
    except OSError:
        pass  # a group we are not in: the lock stays ours, readable as the store is


def _holder(descriptor: int) -> str:
    try:
        text = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        text = ""
    return f"process {text}" if text.isdigit() else "another process"
