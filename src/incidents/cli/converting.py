"""incidents convert: a JSON store into a .sqlite store, and back."""

from __future__ import annotations

from pathlib import Path

import click

from incidents.cli.app import cli
from incidents.cli.options import argument
from incidents.inert import inert


@cli.command()
@argument(
    "old",
    type=click.Path(dir_okay=False, path_type=Path),
    description="The store to convert: JSON, or sqlite (.sqlite, .sqlite3, .db).",
)
@argument(
    "new",
    type=click.Path(dir_okay=False, path_type=Path),
    description="The store to write, of the other kind; it must not exist yet.",
)
def convert(old: Path, new: Path) -> None:
    """Turn a JSON store into a .sqlite store, or back.

    The way is told by the files' endings: .sqlite, .sqlite3 or .db for a
    sqlite store, any other for a JSON store. OLD is validated first; NEW
    must not exist yet, and is written whole or not at all (a JSON store with
    its query index, ready for the first question). The incidents are the
    same, in the same order: a JSON store converted to sqlite and back is
    byte for byte what this tool writes for it. A sqlite store of millions
    of incidents answers in less memory; a JSON store reads well in git.

    \b
    Examples:
      incidents convert incidents.json incidents.sqlite
      incidents convert acled.sqlite acled.json
    """
    from incidents.cli.app import fail_with_problems
    from incidents.cli.output import writing
    from incidents.index.converting import convert as convert_store
    from incidents.index.converting import is_sqlite
    from incidents.store import StoreError

    if is_sqlite(old) == is_sqlite(new):
        kind = "sqlite" if is_sqlite(old) else "JSON"
        raise click.UsageError(
            f"{old} and {new} are both {kind} stores by their endings (.sqlite, .sqlite3 "
            "and .db mark a sqlite store, any other a JSON store): convert turns one kind "
            "into the other"
        )
    if new.exists() or new.is_symlink():
        raise click.ClickException(f"{new}: already exists; give a new file's name")
    notes: list[str] = []
    with writing(new):
        try:
            count = convert_store(old, new, notes)
        except StoreError as error:
            fail_with_problems(error.problems, f"Nothing was written: {new} does not exist.")
    for note in notes:
        click.echo(inert(note), err=True)
    click.echo(inert(f"Wrote {count:,} incidents of {old} to {new}."), err=True)
