"""The command line: parse options, call the core once, render, print.

Only this package imports click.  The core is imported inside the commands
so that ``incidents --help`` stays fast and never touches the store, and a
command's module is imported when the command is asked for
(``app.COMMAND_MODULES``), so that a question builds no other command.

What lives where:
- ``app``: the group, the context every command gets, errors turned into exits.
- ``options``: shared options (filters, formats, pictures) and help sections.
- ``output``: printing tables, saving pictures (charts and their captions), progress lines.
- ``completing``: shell completion of option values.
- ``reading``: list, show, export, where.
- ``counting``: total, timeline, stats.
- ``keeping``: validate, schema.
- ``changing``: add, edit, remove.
- ``importing``: import.
- ``shells``: completion, and bash completion that keeps a value one word.
- ``matching``: match (links between records of one attack, reviewed, counted once).
- ``converting``: convert.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from incidents.cli.app import main

if TYPE_CHECKING:
    from incidents.cli.app import cli


def __getattr__(name: str) -> Any:
    # ``cli`` asked of the package (by a program or a test that calls the
    # group itself) comes with every command; ``main``, which the command
    # line runs, imports only the module of the command it is given.
    if name == "cli":
        from incidents.cli.app import cli, every_command

        every_command()
        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["cli", "main"]
