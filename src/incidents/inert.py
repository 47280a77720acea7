"""Untrusted text made inert before a person sees it.

Every text in a store or an imported file (a summary, a place name, a
source's title, an id in an error message) may carry bytes that drive a
terminal: ESC sequences that clear the screen, write the clipboard (OSC 52)
or hide a link (OSC 8), the 8-bit CSI (0x9b), or bidi overrides that make
text read backwards.  ``inert`` is the one function that all of it passes
through on its way to a terminal, a table, a piped listing or an error
message.  It makes each such character visible as the escape Python writes
for it: ESC shows as ``\\x1b``, DEL as ``\\x7f``, a line break inside a
table cell as ``\\n``, the override U+202E as ``\\u202e`` (caret notation,
``^[``, has no form for the C1 controls or the overrides).  Nothing else
changes, backslashes included, so ordinary text reads as it was stored.

Markup is made inert by where text goes, not by rewriting it: the
renderers hand text to rich as ``Text`` (never parsed as markup) and the
console prints with markup and emoji codes off, so ``[red]``, ``[sic]`` or
``Kabul [/]`` show as typed.  This module imports nothing, so plain output
and error messages use it without loading rich.

Data written to a file or a pipe (CSV, JSON, NDJSON, GeoJSON exports) keeps
its bytes as stored; written to a terminal it goes through ``for_terminal``.
"""

from __future__ import annotations

import io
import re
from typing import TextIO, cast

# C0 controls, DEL and the C1 controls, and the bidi embeddings, overrides
# and isolates (U+202A-U+202E, U+2066-U+2069).
_CONTROLS = "\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_ANY_CONTROL = re.compile(f"[{_CONTROLS}]")
# The same but for what lays text out, kept: line breaks (\n, \r\n) and tabs.
_LAYOUT_KEPT = re.compile(f"\r(?!\n)|(?![\t\n\r])[{_CONTROLS}]")
_SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _visible(match: re.Match[str]) -> str:
    character = match.group()
    code = ord(character)
    if character in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[character]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str, *, lines: bool = False) -> str:
    """``text`` with every control character and bidi override shown as its
    escape (``\\x1b``, ``\\u202e``).  With ``lines``, line breaks and tabs are
    kept as they are: prose that runs over several lines, a data stream.
    """
    if lines:
        return _LAYOUT_KEPT.sub(_visible, text)
    return _ANY_CONTROL.sub(_visible, text)


class _InertWriter(io.TextIOBase):
    """A text stream that makes what is written to it inert, lines kept."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(inert(text, lines=True))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return True


def for_terminal(stream: TextIO) -> TextIO:
    """``stream`` itself, or when it is a terminal, a stream that makes the
    data written to it inert (an export printed to the screen, not a file)."""
    try:
        on_terminal = stream.isatty()
    except ValueError:  # a closed stream
        on_terminal = False
    return cast(TextIO, _InertWriter(stream)) if on_terminal else stream
