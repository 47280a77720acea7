"""Opening a data file and deciding, for the whole file, how its text is encoded.

One quick pass over the bytes, before parsing, decides: UTF-16 when the file
starts with its byte-order mark (Excel's "Unicode text"); UTF-8 (with or
without a byte-order mark) when every byte sequence is valid UTF-8;
otherwise Windows-1252, with Latin-1 for the few bytes Windows-1252 leaves
undefined (GTD's CSV has been distributed that way).

A file that is UTF-8 except for a few bytes mixes two encodings: read as
UTF-8 those bytes are lost, read as Windows-1252 every accented letter
written in UTF-8 turns to mojibake ("é" to "Ã©").  Such a file is refused,
naming the first line that is not UTF-8, rather than guessed at.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from incidents.errors import IncidentsError

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
UTF16 = "utf-16"
LATIN = "cp1252"  # read with the Latin-1 fallback below
LATIN_FALLBACK = "incidents-latin-1"
_CHUNK = 1 << 20
# A character of two to four bytes, well formed: in Windows-1252 text such
# pairs are mojibake ("Ã©"), so they are taken for UTF-8.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _latin1_for_undefined(error: UnicodeError) -> tuple[str, int]:
    # Windows-1252 leaves five bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) undefined;
    # Latin-1 reads them as the control characters of the same number.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error(LATIN_FALLBACK, _latin1_for_undefined)


class FileFormatError(IncidentsError):
    """A file that cannot be read as the data set it was said to be."""


@dataclass
class Scan:
    """What the pass over the bytes found."""

    encoding: str
    lines: int


@dataclass
class _Bytes:
    """Where the first byte that is not UTF-8 is, and the first character that is."""

    lines: int = 0
    not_utf8: tuple[int, int] | None = None  # line, byte
    utf8_line: int | None = None
    tail: bytes = b""  # the end of the last chunk, which a character may straddle

    def take(self, chunk: bytes, decoder: codecs.IncrementalDecoder, final: bool) -> None:
        if self.not_utf8 is None:
            try:
                decoder.decode(chunk, final=final)
            except UnicodeDecodeError as error:
                # The decoder's object is what it held back, then this chunk.
                held = len(error.object) - len(chunk)
                offset = max(error.start - held, 0)
                line = self.lines + chunk.count(b"\n", 0, offset) + 1
                self.not_utf8 = (line, error.object[error.start])
        if self.utf8_line is None:
            joined = self.tail + chunk
            found = _UTF8_SEQUENCE.search(joined)
            if found:
                self.utf8_line = self.lines + joined.count(b"\n", len(self.tail), found.start()) + 1
            self.tail = chunk[-3:]
        self.lines += chunk.count(b"\n")


def scan(path: Path) -> Scan:
    """The file's encoding and its number of lines (an upper bound on rows);
    ``FileFormatError`` for a file that mixes UTF-8 with another encoding."""
    decoder = codecs.getincrementaldecoder(UTF8)()
    found = _Bytes()
    bom = utf16 = False
    last = b""
    with open_binary(path) as stream:
        first = True
        while chunk := stream.read(_CHUNK):
            if first:
                bom = chunk.startswith(codecs.BOM_UTF8)
                # Excel's "Unicode text" is UTF-16 with a byte-order mark.
                utf16 = chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
                first = False
            if not utf16:
                found.take(chunk, decoder, final=False)
            else:
                found.lines += chunk.count(b"\n")
            last = chunk
        if not utf16:
            found.take(b"", decoder, final=True)
    lines = found.lines + (1 if last and not last.endswith(b"\n") else 0)
    if utf16:
        return Scan(UTF16, lines)
    if found.not_utf8 is None:
        return Scan(UTF8_BOM if bom else UTF8, lines)
    if found.utf8_line is not None:
        line, byte = found.not_utf8
        raise FileFormatError(
            f"{path}:{line}: the byte 0x{byte:02X} on this line is not UTF-8, but the file "
            f"is UTF-8 elsewhere (line {found.utf8_line}): it mixes two encodings, and "
            "either reading would garble part of it. Save it in one encoding (UTF-8) and "
            "import again."
        )
    return Scan(LATIN, lines)


def open_binary(path: Path) -> IO[bytes]:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise FileFormatError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FileFormatError(f"{path}: is a directory, not a data file") from None
    except OSError as error:
        raise FileFormatError(f"{path}: cannot read: {error.strerror}") from None


def encoding_name(encoding: str) -> str:
    names = {UTF8: "UTF-8", UTF8_BOM: "UTF-8 with a byte-order mark", UTF16: "UTF-16"}
    return names.get(encoding, "Latin-1")
