"""Counting commands: total, timeline, stats."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from incidents.cli.app import AppContext, cli, pass_app
from incidents.cli.options import (
    LARGEST_INTEGER,
    OUTPUT,
    build_pictures,
    distinct_option,
    filter_options,
    format_option,
    picture_options,
    section_option,
)
from incidents.cli.output import caption, print_renderable, save_pictures, say_what_was_counted
from incidents.formats import totals_formats
from incidents.inert import for_terminal

if TYPE_CHECKING:
    from incidents.formats.charts import Body, Caption

GROUPINGS = (
    "target-type",
    "attack-type",
    "weapon",
    "perpetrator",
    "attribution",
    "country",
    "province",
    "district",
    "city",
    "year",
    "month",
    "week",
    "day",
    "dataset",
)
GROUP_ORDERS = ("incidents", "killed", "wounded", "name")


@cli.command()
@filter_options
@distinct_option
@section_option(
    OUTPUT,
    "--by",
    type=click.Choice(GROUPINGS),
    multiple=True,
    help="One row per group, and a total row; twice for a cross-table (--by year "
    "--by target-type: years down, target types across).",
)
@section_option(
    OUTPUT,
    "--cells",
    type=click.Choice(["incidents", "killed", "wounded"]),
    default="incidents",
    show_default=True,
    help="What a cross-table's cells show (csv and json give all three).",
)
@section_option(
    OUTPUT,
    "--sort",
    type=click.Choice(GROUP_ORDERS),
    help="Order of the groups: most incidents, most killed or most wounded first, or by "
    "name [default: periods in time order, other groups by incidents].",
)
@section_option(OUTPUT, "--reverse", is_flag=True, help="The order of the groups turned round.")
@section_option(
    OUTPUT,
    "--limit",
    type=click.IntRange(min=1, max=LARGEST_INTEGER),
    metavar="N",
    help="At most N groups, the first in that order (the total counts them all).",
)
@format_option(totals_formats(), "table", "Output format.")
@picture_options
@pass_app
def total(
    app: AppContext,
    /,
    by: tuple[str, ...],
    cells: str,
    sort: str | None,
    reverse: bool,
    limit: int | None,
    output_format: str,
    distinct: bool,
    **options: Any,
) -> None:
    """Count incidents and total the killed and wounded.

    A sum is exact only when every figure in it is exact. Otherwise it is a
    bound ("at least 235") with the number of incidents that had no figure,
    or "not known" when nothing bounds it. An incident whose date only may
    fall within the dates asked for is counted, and said to be ("(1 ~)").
    In JSON each group is {"key", "incidents", "killed": {"min", "max",
    "unknown", "best"}, "wounded": {...}, "maybe_outside_dates"}: max is
    null when any count is unbounded or unknown; best sums the best
    estimates (UCDP gives them), and is null when no figure has one.

    By perpetrator, country, province, district or city, the rows are what
    the filters match: every alias or spelling of one group or place is one
    row (ISKP and Islamic State Khorasan Province; Yemen and "Yemen (North
    Yemen)", one ISO code; no perpetrator and GTD's "Unknown"). A row is
    named as the tool's vocabulary names it, else by its most frequent
    spelling (ties: alphabetical order). By weapon, an incident with several
    weapons counts under each. By dataset: the data set it was imported from.

    Given --by twice, a cross-table: in CSV a row per pair of groups (key,
    across), then the totals of each (across or key "total"); in JSON each
    group has its "cells", and "columns" totals the second grouping.

    \b
    Examples:
      incidents total
      incidents total --by target-type
      incidents total --by perpetrator --sort killed --limit 5
      incidents total --by year --by target-type
      incidents total --by month --location kunduz
      incidents total --by target-type --svg totals.svg
      incidents total --by year --distinct    (each attack once: see match)
    """
    from incidents.formats import RENDERERS, Format
    from incidents.query import GroupBy, GroupOrder

    if len(by) > 2:
        raise click.UsageError("--by goes at most twice (a cross-table of two groupings).")
    if len(set(by)) < len(by):
        raise click.UsageError(f"--by {by[0]} twice: a cross-table needs two groupings.")
    pictures = build_pictures(options, output_format)
    if pictures.wanted and len(by) > 1 and not pictures.terminal:
        raise click.UsageError("--svg and --png chart one grouping: give --by once.")
    filters = app.filters(options)
    order = GroupOrder(sort) if sort else None
    groupings = [GroupBy(b) for b in by]
    source = app.source(distinct)
    totals = source.totals(filters, groupings, order, reverse, limit)
    renderer = RENDERERS[Format(output_format)]
    table = None
    if renderer.totals_view is not None:
        from incidents.formats.table import totals_table

        table = totals_table(totals, cells)
        print_renderable(table)
    else:
        assert renderer.write_totals is not None, "offered only where it can"
        renderer.write_totals(totals, for_terminal(sys.stdout))
    say_what_was_counted(source, filters)

    def draw() -> tuple[Caption, Body]:
        from incidents.formats.charts.totals import title, totals_bars

        counted = source.incidents(filters)  # for the source line: which data sets
        return caption(app, filters, title(totals), counted), totals_bars(totals)

    save_pictures(pictures, draw, table)


@cli.command("timeline")
@filter_options
@distinct_option
@section_option(
    OUTPUT,
    "--by",
    type=click.Choice(["year", "month", "week", "day"]),
    default="month",
    show_default=True,
    help="One line per year, month, ISO week (Monday to Sunday) or day.",
)
@section_option(OUTPUT, "--skip-empty", is_flag=True, help="Leave out the periods with none.")
@format_option(
    ["table", "csv", "json"],
    "table",
    "Output format: a chart, or a row per period (then those in no one period, then the total).",
)
@picture_options
@pass_app
def timeline_command(
    app: AppContext,
    /,
    by: str,
    skip_empty: bool,
    output_format: str,
    distinct: bool,
    **options: Any,
) -> None:
    """Chart incidents, killed and wounded over time.

    One line per month (or year, ISO week, day): the incidents, the killed
    and the wounded, each with a bar.
    Every period from the first incident to the last has a line, empty ones
    too (unless --skip-empty).  An incident counts in a period only when its
    date surely lies in it: one known only to the year is shown apart from
    the months (as its year), one known only to the month apart from the
    weeks, one spanning two months as the span (2020-04/05).  The killed bar
    is solid up to the sure figure; + means there may be more.

    \b
    Examples:
      incidents timeline
      incidents timeline --by week --since 2022-09
      incidents timeline --target-type mosque --by year
      incidents timeline --by day --skip-empty --format csv
      incidents timeline --svg timeline.svg
    """
    from incidents.formats.timeline import timeline_chart
    from incidents.timeline import GROUPING, Step, timeline

    step = Step(by)
    pictures = build_pictures(options, output_format)
    filters = app.filters(options)
    source = app.source(distinct)
    counted = timeline(source.totals(filters, GROUPING[step]), step, skip_empty)
    chart = None
    if output_format == "table":
        chart = timeline_chart(counted)
        print_renderable(chart)
    else:
        from incidents.formats import csv as csv_format
        from incidents.formats import json as json_format

        writer = csv_format.write_timeline if output_format == "csv" else json_format.write_timeline
        writer(counted, for_terminal(sys.stdout))
    say_what_was_counted(source, filters)

    def draw() -> tuple[Caption, Body]:
        from incidents.formats.charts.timeline import timeline_bars, title

        incidents = source.incidents(filters)  # for the source line: which data sets
        return caption(app, filters, title(counted.step), incidents), timeline_bars(counted)

    save_pictures(pictures, draw, chart)


@cli.command()
@filter_options
@format_option(["table", "json"], "table", "Output format.")
@pass_app
def stats(app: AppContext, /, output_format: str, **options: Any) -> None:
    """Describe the store: data sets, years, precision, unknown tolls.

    The first thing to ask of an imported store: how many incidents, from
    which data sets and years; how precisely their dates and places are
    known (GTD specificity, ACLED geo_precision and UCDP where_prec on one
    scale); how many tolls are exact, bounds or not known; how the
    perpetrators are known; and the data sets' own codes that an import
    kept (doubtterr, crit1..3, event_clarity, civilian_targeting), which
    --code filters on. Filters narrow it.

    \b
    Examples:
      incidents stats
      incidents --store gtd.json stats --since 2015
      incidents stats --format json
    """
    filters = app.filters(options)
    counted = app.source().stats(filters)
    if output_format == "json":
        from incidents.formats.stats import write_stats

        write_stats(counted, for_terminal(sys.stdout))
    else:
        from incidents.formats.stats import stats_table

        print_renderable(stats_table(counted, app.location().path.name))
    say_what_was_counted(app.source(), filters)
