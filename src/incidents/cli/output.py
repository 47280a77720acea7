"""Printing: tables on the terminal or plain when piped, pictures, progress."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

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
    with write_output(svg) as stream:
        stream.write(picture)
    click.echo(f"Saved the picture to {svg}.", err=True)


@contextmanager
def write_output(path: Path, newline: str | None = None) -> Iterator[TextIO]:
    """An output file written as ``files.output_writer`` does, and a note
    when its owner could not be kept."""
    from incidents.files import output_writer
    from incidents.inert import inert

    notes: list[str] = []
    with output_writer(path, newline, notes) as stream:
        yield stream
    for note in notes:
        click.echo(inert(note), err=True)


class OutputFile(click.Path):
    """A file to write (``-o``, ``--svg``): a name, not a directory, and not
    the store in use."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, writable=True, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, Path):
            return value
        text = os.fsdecode(value)
        if not text:
            self.fail("an empty file name", param, ctx)
        if text.endswith("/"):
            self.fail(
                f"{text!r} ends with '/', so it names a directory: give a file name", param, ctx
            )
        path = super().convert(text, param, ctx)
        assert isinstance(path, Path), "path_type=Path"
        store = _store_in_use(ctx)
        if store is not None:
            from incidents.files import same_file

            if same_file(path, store):
                self.fail(
                    f"{text!r} is the store in use ({store}): writing there would replace "
                    "the store; give another file",
                    param,
                    ctx,
                )
        return path


def _store_in_use(ctx: click.Context | None) -> Path | None:
    app = ctx.find_root().obj if ctx is not None else None
    location = getattr(app, "location", None)
    if location is None:
        return None
    try:
        found: Path = location().path
    except Exception:  # no store to protect; the command will say why
        return None
    return found


def writing(path: Path, dry_run: bool = False) -> AbstractContextManager[None]:
    """The store's lock, held around a whole change (a dry run writes nothing
    and needs none); a writer kept waiting says so."""
    from incidents.locking import store_lock

    if dry_run:
        return nullcontext()
    return store_lock(path, on_wait=lambda message: click.echo(message, err=True))


def on_terminal() -> bool:
    """Whether a person is there to answer questions (prompts go to stderr)."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def prompt_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=False)
