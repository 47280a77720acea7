"""Shell completion of option values.

Callbacks run while the shell asks for completions: they must be quick, and
never print anything but completions (a broken store completes nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    pass


def complete_words(kind: str) -> Callable[[click.Context, click.Parameter, str], list[str]]:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        from incidents import categories, completion
        from incidents.vocabulary import category_words

        return completion.matching(category_words(getattr(categories, kind)), incomplete)

    return complete


def complete_from_store(
    choices: str,
) -> Callable[[click.Context, click.Parameter, str], list[str]]:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        from incidents import completion

        root = ctx.find_root()
        # --store before the command, or after it (``app.STORE_META``).
        given = root.params.get("store_option") or root.meta.get("incidents.store")
        store = completion.open_quietly(given)
        if store is None:
            return []
        return completion.matching(getattr(completion, choices)(store), incomplete)

    return complete


complete_ids = complete_from_store("incident_ids")
