"""A JSON store written anew from its old file and one incident's new text.

Every incident of an indexed store is, in the index, the text this tool
writes for it: as a range of the store file (the store had it so) or as a
text of its own (the store had it written otherwise).  So the store after a
change of one incident is this tool's head, those texts with the one
changed, and its tail: byte for byte what writing the whole store gives,
made by copying the untouched runs of the old file (in the kernel, where it
can) and writing the one new text.  A git diff of the store shows that
incident alone, unless the store was laid out otherwise before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from incidents.index.build import store_head, store_tail

SEPARATOR = b",\n    "

# A piece of the new store: bytes, or a range (start, end) of the old file.
Piece = bytes | tuple[int, int]


@dataclass
class Splice:
    """The new store as pieces, and where its incidents now lie: ``moved``,
    (pos, start, size, bytes written anew or None) of each incident the
    index holds by itself; ``runs``, (first pos, old start, new start) of runs
    of incidents that moved together."""

    pieces: list[Piece] = field(default_factory=list)
    moved: list[tuple[int, int, int, bytes | None]] = field(default_factory=list)
    runs: list[tuple[int, int, int]] = field(default_factory=list)


# (pos, start, size, text) of an incident as the index holds it (a range of
# the old file when its text is None); a run of incidents has the first one's
# position, negated less one (-1 - pos), and their whole range.
Row = tuple[Any, Any, Any, Any]


def splice(
    rows: Sequence[Row],
    change_pos: int | None,
    new_text: str | None,
    schema_url: str | None,
    closing: tuple[int, int] | None = None,
    link_texts: Sequence[str] = (),
) -> Splice:
    """The store with the incident at ``change_pos`` replaced by ``new_text``
    (None: removed), or ``new_text`` added at the end (``change_pos`` None,
    where ``rows`` ends with the new one's place, pos None).  What follows
    the incidents: ``closing``, the range of the old file from the end of
    its list of incidents to its end, when that is as this tool writes it
    (and the store keeps an incident); else written from the store's links
    (their ``link_texts``)."""
    new = None if new_text is None else new_text.encode("utf-8")
    head = store_head(schema_url).encode("utf-8") + b"\n    "
    result = Splice()
    items: list[Piece] = []
    at = len(head)
    for pos, start, size, text in rows:
        written: bytes | None
        if pos == change_pos:  # the changed one, or the new one's place
            if new is None:
                continue
            written = new
        else:
            written = None if text is None else text.encode("utf-8")
        piece: Piece = written if written is not None else (start, start + size)
        length = len(written) if written is not None else size
        begin = at + (len(SEPARATOR) if items else 0)
        if pos is not None and pos < 0:
            result.runs.append((-1 - pos, start, begin))
        else:
            result.moved.append((pos, begin, length, written))
        last = items[-1] if items else None
        # Ranges one separator apart are one range: the separator comes with it.
        if (
            isinstance(piece, tuple)
            and isinstance(last, tuple)
            and last[1] + len(SEPARATOR) == piece[0]
        ):
            items[-1] = (last[0], piece[1])
            at = begin + length
            continue
        if items:
            items.append(SEPARATOR)
        items.append(piece)
        at = begin + length
    if not items:
        empty = store_head(schema_url) + store_tail(list(link_texts), empty=True)
        result.pieces = [empty.encode("utf-8")]
    elif closing is not None:
        result.pieces = [head, *items, closing]
    else:
        result.pieces = [head, *items, store_tail(list(link_texts)).encode("utf-8")]
    return result


def write_pieces(source: int, target: int, pieces: Sequence[Piece]) -> None:
    """Write the new store to ``target``, its ranges copied from ``source``."""
    from incidents.files import copy_range, write_all

    for piece in pieces:
        if isinstance(piece, bytes):
            write_all(target, piece)
        else:
            copy_range(source, target, piece[0], piece[1] - piece[0])


def joined(data: bytes, pieces: Sequence[Piece]) -> bytes:
    """The new store's bytes, its ranges taken from the old store's ``data``."""
    return b"".join(p if isinstance(p, bytes) else data[p[0] : p[1]] for p in pieces)
