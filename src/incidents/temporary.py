"""Temporary files beside the file they will replace: claimed while alive,
removed when their writer stops, and cleaned up when their writer died.

A writer names its temporary file ``.NAME.PID.RANDOM.tmp`` beside the
target and holds a flock on it for as long as it exists.  The kernel drops
a flock when its process dies, however it dies, so the next writer tells a
dead writer's leftover (nobody holds it) from a live writer's file (held)
and removes only the first.  While a temporary file exists, SIGTERM and
SIGHUP raise ``Terminated`` (as Ctrl-C raises KeyboardInterrupt), so that a
writer that is told to stop removes its file on the way out.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

SUFFIX = ".tmp"
# What SQLite writes beside a database it has open (a temporary one too).
_SQLITE_SIBLINGS = ("-journal", "-wal", "-shm")
_STOPPING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived while a temporary file existed.

    A KeyboardInterrupt, so that whatever cleans up after Ctrl-C cleans up
    after it too; ``signum`` says which signal it was.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def temporary_beside(
    target: Path, mode: int = 0o600, stale_prefix: str | None = None
) -> Iterator[tuple[Path, int]]:
    """A new, empty temporary file beside ``target``: its path and an open
    read-write descriptor that holds its claim.

    ``mode`` is given to the new file (the umask applies).  Leftovers of
    dead writers are removed first: those of ``target`` (or, with
    ``stale_prefix``, every temporary file whose name starts with it).  The
    file is removed when the body raises, signals included; once renamed
    over its target it is no longer a temporary file, and stays.
    """
    remove_stale(target.parent, stale_prefix or f".{target.name}.")
    with _stopping_signals_raise():
        descriptor, path = _claim(target, mode)
        try:
            yield path, descriptor
        except BaseException:
            remove_with_siblings(path)
            raise
        finally:
            os.close(descriptor)


def _claim(target: Path, mode: int) -> tuple[int, Path]:
    import fcntl

    while True:
        path = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{SUFFIX}")
        flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        descriptor = os.open(path, flags, mode)
        # A cleaner may have taken it between our open and our flock, taking
        # it for a dead writer's: then it has removed it, and we start again.
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        if names_open_file(path, descriptor):
            return descriptor, path
        os.close(descriptor)


def names_open_file(path: Path, descriptor: int) -> bool:
    """Whether ``path`` (not followed) is the file open as ``descriptor``."""
    try:
        on_disk = os.lstat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)


def remove_with_siblings(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
    remove_sqlite_files(path)


def remove_sqlite_files(database: Path) -> None:
    """Remove the journal and log SQLite keeps beside a database."""
    for sibling in _SQLITE_SIBLINGS:
        with contextlib.suppress(OSError):
            database.with_name(database.name + sibling).unlink()


def remove_stale(directory: Path, prefix: str) -> list[Path]:
    """Remove the temporary files (names starting with ``prefix``) that no
    live writer holds; the paths removed."""
    try:
        names = [entry.name for entry in os.scandir(directory)]
    except OSError:
        return []
    removed = []
    present = set(names)
    for name in names:
        if not name.startswith(prefix):
            continue
        path = directory / name
        if name.endswith(SUFFIX):
            if _remove_if_dead(path):
                removed.append(path)
            continue
        for sibling in _SQLITE_SIBLINGS:
            # SQLite's files of a temporary database whose writer is gone.
            owner = name.removesuffix(sibling)
            if owner != name and owner.endswith(SUFFIX) and owner not in present:
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed


def _remove_if_dead(path: Path) -> bool:
    import fcntl

    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False  # not a file we could have made
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        return False  # its writer is alive
    try:
        if not names_open_file(path, descriptor):
            return False
        # Removed while we hold it, so that no writer can claim it after us.
        remove_with_siblings(path)
        return True
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def _stopping_signals_raise() -> Iterator[None]:
    """While the body runs, SIGTERM and SIGHUP raise ``Terminated`` where
    they would have killed the process (handlers set by others are kept)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Terminated(signum)

    replaced = {}
    for number in _STOPPING_SIGNALS:
        if signal.getsignal(number) is signal.SIG_DFL:
            replaced[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, previous in replaced.items():
            signal.signal(number, previous)


# For other temporary files (an import's copy of a stream) that must go when
# their writer is told to stop.
stopping_signals_raise = _stopping_signals_raise
