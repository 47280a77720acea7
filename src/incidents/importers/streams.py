"""An export given as a stream (a FIFO, ``/dev/stdin``, a shell's
``<(...)``): read once into a temporary regular file, because an import
reads its file more than once (its kind and encoding first, then its rows,
in two processes), and a stream gives its bytes only once.

What the import says still names the file the user gave: the path handed
on opens the copy but reads as the original.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path, PosixPath

from incidents.importers.encodings import FileFormatError, open_binary
from incidents.temporary import stopping_signals_raise

_CHUNK = 1 << 20


class _ReadFrom(PosixPath):
    """A path that prints as the file the user named and opens its copy."""

    copy: str | None = None

    def __fspath__(self) -> str:
        return self.copy or str(self)


@contextlib.contextmanager
def readable_file(path: Path) -> Iterator[Path]:
    """``path`` itself when it is a regular file (or cannot be looked at:
    opening it says why); a stream's bytes in a temporary copy otherwise,
    removed afterwards (Ctrl-C, SIGTERM and SIGHUP included)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = None
    if mode is None or stat.S_ISREG(mode) or stat.S_ISDIR(mode) or os.name != "posix":
        yield path
        return
    with stopping_signals_raise(), tempfile.TemporaryDirectory(prefix="incidents-") as place:
        readable = _ReadFrom(path)
        readable.copy = str(_copy(path, Path(place)))
        yield readable


def _copy(path: Path, place: Path) -> Path:
    """The stream's bytes in a file in ``place``, named with its ending, or
    .xlsx for a zip file from ``<(...)``, which has none (openpyxl goes by
    the ending)."""
    with open_binary(path) as stream:
        try:
            first = stream.read(_CHUNK)
        except OSError as error:
            raise FileFormatError(f"{path}: cannot read: {error.strerror}") from None
        if first.startswith(b"\0"):
            # No export starts with a NUL byte (UTF-16 ones with their
            # byte-order mark): /dev/zero would fill the disk.
            raise FileFormatError(f"{path}: starts with a NUL byte: not a CSV or .xlsx export")
        zipped = first.startswith(b"PK\x03\x04") and not path.suffix
        copy = place / f"export{'.xlsx' if zipped else path.suffix}"
        try:
            with copy.open("wb") as kept:
                kept.write(first)
                shutil.copyfileobj(stream, kept, _CHUNK)
        except OSError as error:
            raise FileFormatError(
                f"{path}: cannot be copied to a temporary file to be read: {error.strerror}"
            ) from None
        return copy
