"""The floor of an import into a .sqlite store: the store's own work alone.

For every incident of a .sqlite store an import wrote (``bench/data/
imported-*.sqlite``, made by ``bench/run.py``), its text as the import had
it in hand is read back, untimed; then, in one process with the collector
off, each step the store takes for it is timed in CPU seconds, as an
import of that store does it: its index rows, its compact JSON, its CSV
line, the dictionary learnt once, packing both texts, the inserts, and the
indexes made at the end.  Reading the CSV, mapping its rows and validating
them come on top of this.

    python bench/floor.py bench/data/imported-2000000.sqlite

The import's own time can at best be this sum over two cores: set against
DuckDB's ``read_csv`` of the same file, it says which import targets a
store of this design can reach at all on this machine.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from incidents.index import packing
from incidents.index.decoding import decode_indexed, decode_json
from incidents.index.packing import Packing
from incidents.index.rows import incident_rows
from incidents.index.schema import INSERTS, create_indexes, create_schema, register_functions
from incidents.index.texts import compact, indented
from incidents.records import csv_line, flat_cells

CHUNK = 5000


def floor(source: Path, target: Path) -> tuple[Counter[str], int]:
    """CPU seconds of each step of storing ``source``'s incidents anew in
    ``target``, and how many incidents there were."""
    import zstandard

    spent: Counter[str] = Counter()

    @contextlib.contextmanager
    def step(name: str) -> Iterator[None]:
        started = time.process_time()
        yield
        spent[name] += time.process_time() - started

    given = sqlite3.connect(f"file:{source}?mode=ro&immutable=1", uri=True)
    (dictionary,) = given.execute("SELECT data FROM dictionary").fetchone()
    unpacked = Packing(dictionary, str(source))
    store = sqlite3.connect(target)
    store.execute("PRAGMA journal_mode = OFF")
    register_functions(store)
    create_schema(store, packed=True)
    compressor = None
    count = 0
    frames = given.execute("SELECT json FROM frames ORDER BY pos")
    while chunk := frames.fetchmany(CHUNK):
        texts = [indented(unpacked.unpack(frame)) for (frame,) in chunk]  # in hand: untimed
        positions = range(count, count + len(texts))
        with step("index rows"):
            made = [
                incident_rows(p, decode_indexed(t)) for p, t in zip(positions, texts, strict=True)
            ]
        with step("compact JSON"):
            compacted = [compact(t) for t in texts]
        with step("CSV lines"):
            lines = [csv_line(flat_cells(decode_json(t))) for t in texts]
        if compressor is None:
            with step("dictionary"):
                learnt = packing._trained(
                    [(0, j, c) for j, c in zip(compacted, lines, strict=True)]
                )
            assert learnt is not None
            store.execute(
                "INSERT INTO main.dictionary VALUES (?, ?)", (learnt.dict_id(), learnt.as_bytes())
            )
            compressor = zstandard.ZstdCompressor(dict_data=learnt)
        with step("packing"):
            pack = compressor.compress
            packed = [
                (p, pack(j.encode()), pack(c.encode()))
                for p, j, c in zip(positions, compacted, lines, strict=True)
            ]
        with step("inserts"):
            for table in ("facts", "aliases", "sites", "origins"):
                store.executemany(INSERTS[table], [row for m in made for row in m[table]])
            store.executemany("INSERT INTO frames (pos, json, csv) VALUES (?, ?, ?)", packed)
        count += len(texts)
    with step("indexes"):
        create_indexes(store)
    with step("commit"):
        store.commit()
    store.close()
    given.close()
    return spent, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path, help="a .sqlite store an import wrote")
    arguments = parser.parse_args()
    gc.disable()
    with tempfile.TemporaryDirectory() as directory:
        spent, count = floor(arguments.store, Path(directory) / "floor.sqlite")
    for step, seconds in spent.items():
        print(f"{step:13s} {seconds:7.2f} s CPU {seconds / count * 1e6:7.2f} us an incident")
    total = sum(spent.values())
    print(f"{'in all':13s} {total:7.2f} s CPU for {count:,} incidents")


if __name__ == "__main__":
    main()
