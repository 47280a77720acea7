"""Printing: tables on the terminal or plain when piped, pictures, progress."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


def console() -> Console:
    from rich.console import Console

    # rich already honours NO_COLOR and drops colour when not a terminal.  No
    # string printed is read as markup or emoji codes: store text shows as stored.
    return Console(highlight=False, soft_wrap=False, markup=False, emoji=False)


def index_progress() -> Callable[[int, int], None] | None:
    """A progress line on stderr for an index build that takes more than a
    second, when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None
    import time

    started = time.monotonic()
    shown: dict[str, Any] = {}

    def report(done: int, total: int) -> None:
        if "bar" not in shown:
            if time.monotonic() - started < 1:
                return
            from rich.progress import Progress

            shown["bar"] = Progress(transient=True, console=prompt_console())
            shown["bar"].start()
            shown["task"] = shown["bar"].add_task("Building the query index", total=total or None)
        shown["bar"].update(shown["task"], completed=done)
        if total and done >= total:
            shown["bar"].stop()

    return report


def print_renderable(renderable: RenderableType) -> None:
    out = console()
    # Never cropped at the terminal's edge: what is laid out fits, and what
    # may not be cut (a long URL, a table too narrow to fit) runs on.
    if out.is_terminal:
        out.print(renderable, crop=False)
        return
    # Piped or redirected: plain lines without the padding rich adds.
    with out.capture() as captured:
        out.print(renderable, crop=False)
    for line in captured.get().splitlines():
        click.echo(line.rstrip())


def save_svg(renderable: RenderableType, svg: Path | None) -> None:
    """Draw the renderable as it was printed (same width, in colour) into an SVG file."""
    if svg is None:
        return
    import io

    from rich.console import Console

    from incidents.store import atomic_writer

    recorder = Console(
        file=io.StringIO(),
        record=True,
        width=console().width,
        force_terminal=True,
        no_color=False,
        highlight=False,
        soft_wrap=False,
    )
    recorder.print(renderable)
    picture = recorder.export_svg(title=click.get_current_context().command_path)
    with atomic_writer(svg) as stream:
        stream.write(picture)
    click.echo(f"Saved the picture to {svg}.", err=True)


def on_terminal() -> bool:
    """Whether a person is there to answer questions (prompts go to stderr)."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def prompt_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=False)
