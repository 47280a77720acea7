"""The command line: parse options, call the core once, render, print.

Only this package imports click.  The core is imported inside the commands
so that ``incidents --help`` stays fast and never touches the store.

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

# They add the commands.
from incidents.cli import (  # noqa: F401
    changing,
    converting,
    counting,
    importing,
    keeping,
    matching,
    reading,
    shells,
)
from incidents.cli.app import cli, main

__all__ = ["cli", "main"]
