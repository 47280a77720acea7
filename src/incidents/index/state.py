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
        found = os.stat(path)
        return cls(found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


@dataclass(frozen=True)
class StoreState:
    """A store file's identity and content hash, and when they were taken."""

    identity: Identity
    sha256: str
    checked_ns: int  # the clock just before the identity was taken

    @property
    def in_doubt(self) -> bool:
        """Whether a write in the same tick as the last one could have gone unseen."""
        last_change = max(self.identity.mtime_ns, self.identity.ctime_ns)
        return self.checked_ns - last_change < RACY_NS

    def as_meta(self) -> dict[str, str]:
        values = {**asdict(self.identity), "sha256": self.sha256, "checked_ns": self.checked_ns}
        return {key: str(value) for key, value in values.items()}

    @classmethod
    def from_meta(cls, meta: dict[str, str]) -> StoreState | None:
        """The state an index's meta records; None when a key is missing (an older index)."""
        try:
            identity = Identity(**{f.name: int(meta[f.name]) for f in fields(Identity)})
            return cls(identity, meta["sha256"], int(meta["checked_ns"]))
        except (KeyError, ValueError):
            return None


class StoreChanging(IncidentsError):
    """The store changed every time it was read."""


def read_store(path: Path) -> tuple[bytes, StoreState]:
    """The store's bytes and the state they were read in.

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
        return data, StoreState(identity, hashlib.sha256(data).hexdigest(), checked_ns)
    for _ in range(READ_ATTEMPTS):
        checked_ns = time.time_ns()
        before = _identity(path)
        data = store.read_bytes(path)
        if _identity(path) == before:
            return data, StoreState(before, hashlib.sha256(data).hexdigest(), checked_ns)
    raise StoreChanging(f"{path}: the store changed every time it was read; try again")


def _identity(path: Path) -> Identity:
    from incidents import store

    try:
        return Identity.of(path)
    except OSError:
        store.read_bytes(path)  # raises the StoreError that says why
        raise


def current_state(recorded: StoreState, path: Path) -> StoreState | None:
    """The store's state now if its content is still the one recorded, else None.

    The hash is checked only when the file's identity or times differ (a
    touch, a checkout of the same content) or the recorded state is in doubt.
    """
    try:
        identity = Identity.of(path)
        if identity.size != recorded.identity.size:
            return None  # another content for certain: no need to read it
        if identity == recorded.identity and not recorded.in_doubt:
            return recorded
        _, now = read_store(path)
    except (OSError, StoreChanging):
        return None
    return now if now.sha256 == recorded.sha256 else None
