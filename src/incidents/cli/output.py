"""Printing: tables on the terminal or plain when piped, pictures, progress."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from incidents.cli.app import AppContext
    from incidents.cli.options import Pictures
    from incidents.formats.charts import Body, Caption
    from incidents.model import Incident
    from incidents.query import Filters, IncidentSource


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


def say_what_was_counted(
    source: IncidentSource, filters: Filters, extra: Sequence[str] = ()
) -> None:
    """The filters in effect, and what they left out that they only may not
    have matched, on stderr: the end of every answer, data on stdout kept clean."""
    from incidents.formats.answers import excluded_lines, filters_line
    from incidents.inert import inert

    line = filters_line(filters, extra)
    for text in [*([inert(line)] if line else []), *excluded_lines(source.left_out(filters))]:
        click.echo(_wrapped(text), err=True)


def _wrapped(text: str) -> str:
    """A note wrapped between words to a terminal's width, as it is on one."""
    try:
        width = os.get_terminal_size(sys.stderr.fileno()).columns if sys.stderr.isatty() else 0
    except (OSError, ValueError):  # no terminal there after all (a test's stream)
        width = 0
    if width <= 0:
        return text
    import textwrap

    return textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False)


def save_pictures(
    pictures: Pictures,
    chart: Callable[[], tuple[Caption, Body]],
    shown: RenderableType | None = None,
) -> None:
    """Save the pictures asked for: the ``chart`` for a report, on a page with
    its caption (what it leaves out is said on stderr too), or, in the
    terminal style, ``shown`` as the terminal shows it."""
    if not pictures.wanted:
        return
    from incidents.formats.charts import page

    if pictures.terminal and shown is not None:
        picture = terminal_svg(shown)
    else:
        frame, body = chart()
        for note in body.notes:
            click.echo(note, err=True)
        picture = page(frame, body)
    if pictures.svg is not None:
        with write_output(pictures.svg) as stream:
            stream.write(picture)
        click.echo(f"Saved the picture to {pictures.svg}.", err=True)
    if pictures.png is not None:
        from incidents.formats.charts import png_bytes

        image = png_bytes(picture)
        with write_output(pictures.png) as stream:
            stream.flush()
            stream.buffer.write(image)
        click.echo(f"Saved the picture to {pictures.png}.", err=True)


def caption(
    app: AppContext,
    filters: Filters,
    title: str,
    incidents: Sequence[Incident],
    extra: Sequence[str] = (),
) -> Caption:
    """What frames a chart: its title, the filters in effect, where the
    incidents come from (the store, and the data sets they were imported
    from), and when and with what it was made."""
    from collections import Counter

    from incidents import __version__
    from incidents.formats.charts import Caption, filter_phrases, source_line
    from incidents.importers import datasets

    titles = {name: dataset.title for name, dataset in datasets().items()}
    origins = Counter(i.origin.dataset for i in incidents if i.origin is not None)
    imported = {titles.get(name, name): count for name, count in sorted(origins.items())}
    store = app.location().path.name
    source = source_line(store, app.source().count(), len(incidents), imported)
    made = f"Made {made_on().isoformat()} with incidents {__version__}."
    return Caption(title, (*filter_phrases(filters), *extra), source, made)


def made_on() -> dt.date:
    """Today, or the day $SOURCE_DATE_EPOCH gives, for pictures that are
    made again byte for byte (reproducible-builds.org's convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise click.UsageError(
                f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, not {epoch!r}."
            ) from None
    return dt.date.today()


# rich fills in this page (Console.export_svg's template, with its fields):
# laid out as rich's own, but with fonts every system has, and nothing fetched.
TERMINAL_SVG = """\
<svg class="rich-terminal" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">
<style>
.{unique_id}-matrix {{
    font-family: ui-monospace, monospace;
    font-size: {char_height}px;
    line-height: {line_height}px;
    font-variant-east-asian: full-width;
}}
.{unique_id}-title {{
    font-size: 18px;
    font-weight: bold;
    font-family: system-ui, sans-serif;
}}
{styles}
</style>
<defs>
<clipPath id="{unique_id}-clip-terminal">
  <rect x="0" y="0" width="{terminal_width}" height="{terminal_height}" />
</clipPath>
{lines}
</defs>
{chrome}
<g transform="translate({terminal_x}, {terminal_y})" clip-path="url(#{unique_id}-clip-terminal)">
{backgrounds}
<g class="{unique_id}-matrix">
{matrix}
</g>
</g>
</svg>
"""


def terminal_svg(renderable: RenderableType) -> str:
    """The renderable as printed on a terminal (same width, in colour), as SVG."""
    import io

    from rich.console import Console

    from incidents.formats.charts.svg import inert

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
    picture = recorder.export_svg(
        title=click.get_current_context().command_path, code_format=TERMINAL_SVG
    )
    # rich escapes markup characters but lets controls through (an ESC in a
    # place name would make the file invalid XML): show them instead.
    return "\n".join(inert(line) for line in picture.split("\n"))


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
