"""What a store file was when it was read, and whether it still is.

An index records the state of the store it was built from: which file
(device and inode), its size, its modification and change times to the
nanosecond, and the hash of the bytes that were read.  The times alone can
be forged (``touch -r``), and a file swapped in keeps none of the identity,
so all of them must match; the change time cannot be set by a user at all.

File times are coarse: a filesystem stamps them from a clock that ticks
every few milliseconds (every two seconds on some), so a second write in
the same tick as the one before leaves the same times.  A state taken
within ``RACY_NS`` of the store's last change is therefore "in doubt", and
trusted only after its content hash is checked again, once it is old
enough (as git does with its "racily clean" files).  The hash costs a
read of the whole file: 0.25 s for a store of 200,000 incidents (175 MB).
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from incidents.errors import IncidentsError

# Longer than the tick of any filesystem's times (FAT's two seconds).
RACY_NS = 2_000_000_000
# A store rewritten in place while it is read, again and again, is given up on.
READ_ATTEMPTS = 5


@dataclass(frozen=True)
class Identity:
    """The file a path names, and when it last changed, as ``stat`` says."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, path: Path) -> Identity:
        """OSError when the path cannot be stat'ed."""
        return cls._from(os.stat(path))

    @classmethod
    def of_descriptor(cls, descriptor: int) -> Identity:
        """The file open on this descriptor, whatever its path names now."""
        return cls._from(os.fstat(descriptor))

    @classmethod
    def _from(cls, found: os.stat_result) -> Identity:
        return cls(found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)

    def content(self) -> tuple[int, int, int, int]:
        """What changes when the file's content does (not its change time,
        which a chmod, or a writer renaming a new file over this one, changes)."""
        return self.device, self.inode, self.size, self.mtime_ns


@dataclass(frozen=True)
class StoreState:
    """A store file's identity and content hash, and when they were taken.

    A writer that has just written the store (``settled_state``) records it
    ``settled``: it proved that the filesystem's clock has ticked since, so
    that any later change shows in the times; its hash is then not taken
    (empty), and a store whose times change is read again to be known."""

    identity: Identity
    sha256: str
    checked_ns: int  # the clock just before the identity was taken
    settled: bool = False

    @property
    def in_doubt(self) -> bool:
        """Whether a write in the same tick as the last one could have gone unseen."""
        if self.settled:
            return False
        last_change = max(self.identity.mtime_ns, self.identity.ctime_ns)
        return self.checked_ns - last_change < RACY_NS

    def as_meta(self) -> dict[str, str]:
        values = {
            **asdict(self.identity),
            "sha256": self.sha256,
            "checked_ns": self.checked_ns,
            "settled": int(self.settled),
        }
        return {key: str(value) for key, value in values.items()}

    @classmethod
    def from_meta(cls, meta: dict[str, str]) -> StoreState | None:
        """The state an index's meta records; None when a key is missing (an older index)."""
        try:
            identity = Identity(**{f.name: int(meta[f.name]) for f in fields(Identity)})
            settled = meta.get("settled") == "1"
            return cls(identity, meta["sha256"], int(meta["checked_ns"]), settled)
        except (KeyError, ValueError):
            return None


class StoreChanging(IncidentsError):
    """The store changed every time it was read."""


def read_store(path: Path) -> tuple[bytes, StoreState]:
    """The store's bytes and the state they were read in (see ``read_open_store``)."""
    data, state, descriptor = read_open_store(path)
    if descriptor is not None:
        os.close(descriptor)
    return data, state


def read_open_store(path: Path) -> tuple[bytes, StoreState, int | None]:
    """The store's bytes, the state they were read in, and a descriptor still
    open on the file they were read from (None for a pipe).

    The file is stat'ed before and after the read: when the two differ, a
    write landed during the read and the bytes may be of neither version, so
    it is read again.  StoreError (from ``store.read_bytes``) when it cannot
    be read; StoreChanging when it never holds still.
    """
    from incidents import store

    if not path.is_file() and path.exists():
        # A pipe can be read only once, and no index of it is ever kept.
        checked_ns = time.time_ns()
        data = store.read_bytes(path)
        identity = Identity(0, 0, len(data), checked_ns, checked_ns)
        return data, StoreState(identity, hashlib.sha256(data).hexdigest(), checked_ns), None
    for _ in range(READ_ATTEMPTS):
        checked_ns = time.time_ns()
        descriptor = _open(path)
        try:
            before = Identity.of_descriptor(descriptor)
            data = read_descriptor(descriptor)
            if Identity.of_descriptor(descriptor) == before:
                state = StoreState(before, hashlib.sha256(data).hexdigest(), checked_ns)
                return data, state, descriptor
        except OSError:
            os.close(descriptor)
            store.read_bytes(path)  # raises the StoreError that says why
            raise
        os.close(descriptor)
    raise StoreChanging(f"{path}: the store changed every time it was read; try again")


def read_descriptor(descriptor: int) -> bytes:
    """Everything in the file open on ``descriptor``."""
    with open(descriptor, "rb", closefd=False) as stream:
        return stream.read()


def _open(path: Path) -> int:
    from incidents import store

    try:
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        store.read_bytes(path)  # raises the StoreError that says why
        raise


def content_hash(descriptor: int) -> tuple[Identity, str] | None:
    """The identity and hash of the file open on ``descriptor``, read a piece at
    a time; None when it changed while it was read."""
    before = Identity.of_descriptor(descriptor)
    hashed = hashlib.sha256()
    offset = 0
    while piece := os.pread(descriptor, 1 << 20, offset):
        hashed.update(piece)
        offset += len(piece)
    if Identity.of_descriptor(descriptor) != before or offset != before.size:
        return None
    return before, hashed.hexdigest()


def current_state(recorded: StoreState, descriptor: int) -> StoreState | None:
    """The state of the store open on ``descriptor`` if its content is still
    the one recorded, else None.

    The hash is checked only when the file's identity or times differ (a
    touch, a checkout of the same content) or the recorded state is in doubt.
    """
    try:
        checked_ns = time.time_ns()
        identity = Identity.of_descriptor(descriptor)
        if identity.size != recorded.identity.size:
            return None  # another content for certain: no need to read it
        if identity == recorded.identity and not recorded.in_doubt:
            return recorded
        found = content_hash(descriptor)
    except OSError:
        return None
    if found is None or found[1] != recorded.sha256:
        return None
    return StoreState(found[0], found[1], checked_ns)


# How long a writer waits, at the most, for the filesystem's clock to tick
# past its write: the kernel stamps files from a clock that ticks every few
# milliseconds; a filesystem that keeps whole seconds is not waited for.
SETTLE_WAIT_NS = 50_000_000


def settled_state(path: Path) -> StoreState | None:
    """The state of a store this process has just written (holding its lock),
    settled if the filesystem's clock can be seen to have ticked past the
    write, else None (its state is then taken by reading it).

    A file made beside the store after the write is stamped by the same
    clock; once its time is later than every time of the store, a later
    change of the store would be stamped later too, and be seen, as git
    reasons about an index file written after the files it records."""
    from incidents.temporary import temporary_beside

    checked_ns = time.time_ns()
    identity = Identity.of(path)
    last_change = max(identity.mtime_ns, identity.ctime_ns)
    with temporary_beside(path.resolve(), 0o600) as (stamp, descriptor):
        try:
            while True:
                found = os.fstat(descriptor)
                if found.st_dev == identity.device and found.st_mtime_ns > last_change:
                    break
                if found.st_dev != identity.device or time.time_ns() - checked_ns > SETTLE_WAIT_NS:
                    return None
                time.sleep(0.001)
                os.utime(descriptor)
        finally:
            stamp.unlink(missing_ok=True)
    if Identity.of(path) != identity:
        return None  # changed by someone else meanwhile
    return StoreState(identity, "", checked_ns, settled=True)
