"""Writing files without harm: a regular file is replaced whole or not at
all, keeping its mode and owner; a device, FIFO or socket is written as a
stream and never replaced; a symbolic link is followed, never replaced.

A file is replaced through a temporary file beside it (``temporary``),
flushed and fsynced, then renamed over it, and the directory fsynced.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from incidents.errors import IncidentsError


class WriteError(IncidentsError):
    """A file that cannot be written where it is asked for."""


def real_path(path: Path) -> Path:
    """The path with every symbolic link followed; WriteError for a loop."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # RuntimeError: Python 3.11's word for a loop
        raise WriteError(f"{path}: a loop of symbolic links") from None


def status(path: Path) -> os.stat_result | None:
    """The file's status, links followed; None when there is no file."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise WriteError(f"{path}: {error.strerror}") from None


def kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file (links, hard links and `..` seen through)."""
    try:
        one, other = os.stat(first), os.stat(second)
    except OSError:
        return False
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


@contextlib.contextmanager
def atomic_writer(
    path: Path, newline: str | None = None, notes: list[str] | None = None
) -> Iterator[TextIO]:
    """Write a regular file whole or not at all: temporary file beside it,
    fsync, rename.

    Through a symbolic link, the file it points to is replaced and the link
    stays.  The file keeps its mode, and its owner and group where the
    system lets us; what could not be kept is added to ``notes``.  If the
    body raises, the temporary file is removed and ``path`` is left exactly
    as it was.
    """
    with (
        atomic_descriptor(path, notes) as descriptor,
        os.fdopen(os.dup(descriptor), "w", encoding="utf-8", newline=newline) as stream,
    ):
        yield stream
        stream.flush()


@contextlib.contextmanager
def atomic_descriptor(path: Path, notes: list[str] | None = None) -> Iterator[int]:
    """``atomic_writer``, for a body that writes bytes to a descriptor."""
    target = real_path(path)
    before = status(target)
    if before is not None and not stat.S_ISREG(before.st_mode):
        raise WriteError(f"{path}: {kind_of(before.st_mode)}, not a file to replace")
    directory = target.parent
    # Imported here: a question that only finds its index (``real_path``)
    # need not load what names temporary files (``secrets``).
    from incidents.temporary import temporary_beside

    with contextlib.ExitStack() as claim:
        try:
            temporary, descriptor = claim.enter_context(temporary_beside(target, 0o600))
        except OSError as error:
            raise WriteError(f"{path}: cannot write in {directory}: {error.strerror}") from None
        yield descriptor
        os.fsync(descriptor)
        _keep_owner_and_mode(descriptor, path, before, notes)
        os.replace(temporary, target)
    _fsync_directory(directory)


def copy_range(source: int, target: int, start: int, size: int) -> None:
    """Append ``size`` bytes of the file open on ``source``, from ``start``, to
    the file open on ``target``: in the kernel where it can, without passing
    them through this process."""
    end = start + size
    while start < end:
        try:
            copied = os.copy_file_range(source, target, end - start, start)
        except (AttributeError, OSError):  # no such call here, or not between these files
            copied = 0
        if copied <= 0:
            break
        start += copied
    while start < end:
        piece = os.pread(source, min(end - start, 1 << 20), start)
        if not piece:
            raise OSError(f"the file ended {end - start} bytes early")
        write_all(target, piece)
        start += len(piece)


def write_all(descriptor: int, data: bytes) -> None:
    """Write every byte (``os.write`` may write only some)."""
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _keep_owner_and_mode(
    descriptor: int, path: Path, before: os.stat_result | None, notes: list[str] | None
) -> None:
    if before is None:
        os.fchmod(descriptor, 0o666 & ~current_umask())
        return
    made = os.fstat(descriptor)
    owner = (before.st_uid, before.st_gid)
    if (made.st_uid, made.st_gid) != owner:
        try:
            os.fchown(descriptor, *owner)
        except OSError:
            # Not root: a file can only be given to a group we are in.
            with contextlib.suppress(OSError):
                os.fchown(descriptor, -1, before.st_gid)
            made = os.fstat(descriptor)
            if notes is not None:
                notes.append(_owner_note(path, before, made))
    # After the chown, which clears set-id bits.
    os.fchmod(descriptor, stat.S_IMODE(before.st_mode))


def _owner_note(path: Path, before: os.stat_result, after: os.stat_result) -> str:
    def who(status: os.stat_result) -> str:
        return f"{_user(status.st_uid)}:{_group(status.st_gid)}"

    return (
        f"Note: {path} belonged to {who(before)}; rewritten, it belongs to {who(after)} "
        "(only root can give a file to another user)."
    )


def _user(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _group(gid: int) -> str:
    import grp

    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


@contextlib.contextmanager
def output_writer(
    path: Path, newline: str | None = None, notes: list[str] | None = None
) -> Iterator[TextIO]:
    """Where an output file (an export, a picture) is written.

    A regular file, or none yet, is written through ``atomic_writer``.  A
    device, FIFO or socket (``-o /dev/stdout``, a named pipe) is written as
    the stream it is, and never replaced; a directory is refused.
    """
    found = status(real_path(path))
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise WriteError(f"{path}: a directory; give a file name")
    if found is None or stat.S_ISREG(found.st_mode):
        with atomic_writer(path, newline, notes) as stream:
            yield stream
        return
    try:
        # No O_CREAT: if the special file is gone, nothing is made in its place.
        descriptor = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as error:
        raise WriteError(f"{path}: cannot write: {error.strerror}") from None
    with os.fdopen(descriptor, "w", encoding="utf-8", newline=newline) as stream:
        yield stream


def current_umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _fsync_directory(directory: Path) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
