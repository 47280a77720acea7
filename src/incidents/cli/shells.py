"""Shell completion: ``incidents completion bash|zsh|fish`` prints the script,
and values with spaces or quotes are completed as one word.

Zsh and fish quote a completion themselves before inserting it; click's bash
script inserts it as it is ("Imam Sahib" became two words) and reads it with
``read`` without ``-r``, which eats backslashes.  Bash gets a script that
reads each value raw and values written as bash words (``Imam\\ Sahib``).
"""

from __future__ import annotations

from typing import Any

import click
from click.shell_completion import (
    BashComplete,
    CompletionItem,
    add_completion_class,
    get_completion_class,
)

from incidents.cli.app import cli
from incidents.cli.options import argument

# Characters that stand for themselves in a bash word; every other one is
# written after a backslash.
_PLAIN = frozenset("-_./@%+=:,")


def bash_word(text: str) -> str:
    """``text`` as one bash word: ``Imam\\ Sahib``, ``O\\'Brien``."""
    return "".join(c if c.isalnum() or c in _PLAIN else "\\" + c for c in text)


class QuotingBashComplete(BashComplete):
    """Bash completion that keeps a value with spaces or quotes one word."""

    source_template = BashComplete.source_template.replace(
        "read type value", "read -r type value"
    ).replace("COMPREPLY+=($value)", 'COMPREPLY+=("$value")')

    def format_completion(self, item: CompletionItem[Any]) -> str:
        if item.type == "plain":
            return f"plain,{bash_word(str(item.value))}"
        return super().format_completion(item)


add_completion_class(QuotingBashComplete, "bash")

SHELLS = ("bash", "zsh", "fish")
PROG_NAME = "incidents"  # however it was started (python -m incidents too)
COMPLETE_VARIABLE = "_INCIDENTS_COMPLETE"


@cli.command()
@argument("shell", type=click.Choice(SHELLS), description="bash, zsh or fish.")
def completion(shell: str) -> None:
    """Print a shell's completion script (bash, zsh, fish).

    With it, Tab completes commands, options, ids, places, groups and
    category words; a value with spaces (Imam Sahib) stays one word.

    \b
    Examples:
      incidents completion bash >> ~/.bashrc
      incidents completion zsh >> ~/.zshrc    (after compinit is loaded)
      incidents completion fish > ~/.config/fish/completions/incidents.fish
    """
    shell_class = get_completion_class(shell)
    assert shell_class is not None, "every shell offered has its class"
    script = shell_class(cli, {}, PROG_NAME, COMPLETE_VARIABLE)
    click.echo(script.source(), nl=False)
