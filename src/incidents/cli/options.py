"""Options shared by several commands: filters, formats, pictures, and help sections."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from incidents.cli.completing import complete_from_store, complete_words
from incidents.cli.output import OutputFile

if TYPE_CHECKING:
    from incidents.categories import Category
    from incidents.dates import PartialDate
    from incidents.query import Filters, SortKey

F = TypeVar("F", bound=Callable[..., Any])

# The largest integer SQLite holds; the query index compares numbers options give.
LARGEST_INTEGER = 2**63 - 1


FILTERS = "Filters"
OUTPUT = "Output"
INCIDENT_FIELDS = "Incident fields"
OTHER_OPTIONS = "Options"
ARGUMENTS = "Arguments"
SECTION_ORDER = (ARGUMENTS, FILTERS, INCIDENT_FIELDS, OUTPUT, OTHER_OPTIONS)


class DescribedArgument(click.Argument):
    """A positional argument that --help lists, with what it is, under Arguments."""

    def __init__(self, *args: Any, description: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.description = description

    def get_help_record(self, ctx: click.Context) -> tuple[str, str]:
        name = self.metavar or (self.name or "").upper()
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return (f"[{name}]" if not self.required else name), self.description


def argument(*names: str, description: str, **attrs: Any) -> Callable[[F], F]:
    return click.argument(*names, cls=DescribedArgument, description=description, **attrs)


class SectionOption(click.Option):
    """An option listed under a heading of its own in --help (Filters, Output...)."""

    def __init__(self, *args: Any, section: str = OTHER_OPTIONS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section = section


def section_option(section: str, *names: str, **attrs: Any) -> Callable[[F], F]:
    return click.option(*names, cls=SectionOption, section=section, **attrs)


def _date_option(
    ctx: click.Context, param: click.Parameter, value: str | tuple[str, ...] | None
) -> PartialDate | tuple[PartialDate, ...] | None:
    from incidents.dates import DateError, parse_user_date

    if value is None:
        return None
    try:
        if isinstance(value, tuple):
            return tuple(parse_user_date(v) for v in value)
        return parse_user_date(value)
    except DateError as error:
        raise click.BadParameter(str(error), ctx, param) from None


def _category_option(
    kind: str,
) -> Callable[[click.Context, click.Parameter, tuple[str, ...]], frozenset[Category]]:
    def convert(
        ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
    ) -> frozenset[Category]:
        from incidents import categories
        from incidents.vocabulary import VocabularyError, search_categories

        category: type[Category] = getattr(categories, kind)
        members: set[Category] = set()
        notes: dict[str, None] = {}
        for value in values:
            try:
                searched, note = search_categories(category, value)
            except VocabularyError as error:
                raise click.BadParameter(str(error), ctx, param) from None
            members |= searched
            if note:
                notes[note] = None
        if not ctx.resilient_parsing:  # not while completing a command line
            for note in notes:
                click.echo(note, err=True)
        return frozenset(members)

    return convert


def non_empty(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> Any:
    if any(not v.strip() for v in values):
        raise click.BadParameter("must not be empty", ctx, param)
    return values


# The choices of --attribution and --place-precision (as categories and certainty name them).
ATTRIBUTIONS = ("claimed", "attributed", "suspected", "unknown")
PLACE_LEVELS = ("exact", "site", "city", "district", "province", "country")


def _code_option(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[tuple[str, int], ...]:
    from incidents.certainty import CODES

    codes = []
    for text in values:
        name, equals, value = text.partition("=")
        name = name.strip().lower()
        code = CODES.get(name)
        if not equals or code is None:
            raise click.BadParameter(
                f"{text!r}: expected NAME=VALUE, NAME one of {', '.join(CODES)}", ctx, param
            )
        meanings = "; ".join(f"{v} {meaning}" for v, meaning in code.values.items())
        number = int(value) if value.strip().lstrip("-").isdigit() else None
        if number is None or number not in code.values:
            raise click.BadParameter(
                f"{text!r}: {code.dataset.upper()}'s {name} is one of: {meanings}", ctx, param
            )
        codes.append((name, number))
    return tuple(codes)


FILTER_HELP = """
\b
Filters: repeat an option for "any of these"; different options must all hold.
Dates are intervals: an incident of "2022-09" is on every day of September. It
matches --since/--until/--on for certain when its whole interval lies inside
them; when it only may (e.g. "2022-09" against --since 2022-09-10) it is kept
and its date marked "~" in tables, unless --strict-dates is given. A date that
starts with its year is year, month, day (2022/9/5, 20220905); 9/5/2022 needs
`incidents --date-order dmy|mdy` (see `incidents --help`)."""


_TOLL_OPTIONS = (
    ("--min-killed", "At least N killed for certain (unknown tolls do not match)."),
    ("--max-killed", "At most N killed for certain (unknown tolls and open bounds do not match)."),
    ("--min-wounded", "At least N wounded for certain."),
    ("--max-wounded", "At most N wounded for certain."),
)


def _toll_option(option: str, help_text: str) -> Callable[[F], F]:
    return section_option(
        FILTERS,
        option,
        type=click.IntRange(min=0, max=LARGEST_INTEGER),
        metavar="N",
        help=help_text,
    )


def filter_options(command: F) -> F:
    """The filters every reading command shares, applied in the same order."""
    options = [
        section_option(
            FILTERS,
            "--since",
            metavar="DATE",
            callback=_date_option,
            help="On or after DATE: 2022-09-01, 2022-09, 'Sept 2022', 2022.",
        ),
        section_option(
            FILTERS, "--until", metavar="DATE", callback=_date_option, help="On or before DATE."
        ),
        section_option(
            FILTERS,
            "--on",
            metavar="DATE",
            multiple=True,
            callback=_date_option,
            help="Within DATE: a day, a month or a year.",
        ),
        section_option(
            FILTERS,
            "--strict-dates",
            is_flag=True,
            help="Leave out incidents whose date only may fall within the dates asked for.",
        ),
        section_option(
            FILTERS,
            "--target-type",
            "target_types",
            metavar="WORD",
            multiple=True,
            callback=_category_option("TargetType"),
            shell_complete=complete_words("TargetType"),
            help="Target category or a word for it: embassy, mosque, school, police... "
            "(government: General and Diplomatic).",
        ),
        section_option(
            FILTERS,
            "--attack-type",
            "attack_types",
            metavar="WORD",
            multiple=True,
            callback=_category_option("AttackType"),
            shell_complete=complete_words("AttackType"),
            help="Attack category: bombing, armed assault, assassination, kidnapping... "
            "(hostage: both kinds).",
        ),
        section_option(
            FILTERS,
            "--weapon",
            "weapon_types",
            metavar="WORD",
            multiple=True,
            callback=_category_option("WeaponType"),
            shell_complete=complete_words("WeaponType"),
            help="Weapon category: explosives, firearms, incendiary, vehicle...",
        ),
        section_option(
            FILTERS,
            "--location",
            "locations",
            metavar="PLACE",
            multiple=True,
            callback=non_empty,
            shell_complete=complete_from_store("place_names"),
            help="Country (or its ISO code: AFG), province, district, city or site, any "
            "spelling (Mazar-e Sharif = Mazar-i-Sharif); 'Kabul, Afghanistan': Kabul "
            "within Afghanistan.",
        ),
        section_option(
            FILTERS,
            "--perpetrator",
            "perpetrators",
            metavar="NAME",
            multiple=True,
            callback=non_empty,
            shell_complete=complete_from_store("perpetrator_names"),
            help="Group name or alias (ISIS-K, ISKP...); 'unknown' for unattributed.",
        ),
        section_option(
            FILTERS,
            "--text",
            "texts",
            metavar="WORDS",
            multiple=True,
            callback=non_empty,
            help="All of these words in the summary, target or site; a word of four letters "
            "or more also finds longer words it begins (hussainiya: hussainiyas).",
        ),
        *(_toll_option(option, help_text) for option, help_text in _TOLL_OPTIONS),
        section_option(
            FILTERS,
            "--attribution",
            "attributions",
            type=click.Choice(ATTRIBUTIONS, case_sensitive=False),
            multiple=True,
            help="How the perpetrator is known: claimed, attributed (named by a data set, "
            "not claimed), suspected, unknown.",
        ),
        section_option(
            FILTERS,
            "--place-precision",
            type=click.Choice(PLACE_LEVELS, case_sensitive=False),
            help="Only incidents whose place is known this precisely or better (exact, site, "
            "city, district, province, country): GTD specificity, ACLED geo_precision and UCDP "
            "where_prec on one scale; otherwise the coordinates' precision, or the most "
            "precise place named.",
        ),
        section_option(
            FILTERS,
            "--code",
            "codes",
            metavar="NAME=VALUE",
            multiple=True,
            callback=_code_option,
            help="A data set's own code, as an import kept it: doubtterr=0, crit1=1 "
            "(GTD), event_clarity=1 (UCDP), civilian_targeting=1 (ACLED); see "
            "`incidents stats`. Incidents without the code do not match.",
        ),
    ]
    command = stacked(options, command)
    # Dedent first: the appended text starts at column 0, and click dedents
    # the whole help by its least indented line.
    command.__doc__ = inspect.cleandoc(command.__doc__ or "") + "\n" + FILTER_HELP
    return command


def build_filters(options: dict[str, Any]) -> Filters:
    from incidents.categories import Attribution, CoordinatePrecision
    from incidents.query import Filters

    since, until, on = options.pop("since"), options.pop("until"), options.pop("on")
    level = options.pop("place_precision")
    _refuse_empty_dates(since, until, on)
    return Filters(
        since=since,
        until=until,
        on=on,
        strict_dates=options.pop("strict_dates"),
        target_types=options.pop("target_types"),
        attack_types=options.pop("attack_types"),
        weapon_types=options.pop("weapon_types"),
        locations=options.pop("locations"),
        perpetrators=options.pop("perpetrators"),
        texts=options.pop("texts"),
        min_killed=options.pop("min_killed"),
        max_killed=options.pop("max_killed"),
        min_wounded=options.pop("min_wounded"),
        max_wounded=options.pop("max_wounded"),
        attributions=frozenset(Attribution(a.lower()) for a in options.pop("attributions")),
        place_precision=CoordinatePrecision(level.lower()) if level else None,
        codes=options.pop("codes"),
    )


def _refuse_empty_dates(
    since: PartialDate | None, until: PartialDate | None, on: tuple[PartialDate, ...]
) -> None:
    """Dates that no incident can fall within are a mistyped command, not 0 results."""
    if since is not None and until is not None and since.first_day > until.last_day:
        raise click.UsageError(
            f"--since {since} is later than --until {until}: no date lies between them"
        )
    for day in on:
        if since is not None and day.last_day < since.first_day:
            raise click.UsageError(f"--on {day} is before --since {since}: it cannot match")
        if until is not None and day.first_day > until.last_day:
            raise click.UsageError(f"--on {day} is after --until {until}: it cannot match")


SORT_KEYS = ("date", "-date", "killed", "-killed", "wounded", "-wounded")


def order_options(command: F) -> F:
    """--sort, --reverse and --limit: the order of a list or an export, and how many."""
    options = [
        section_option(
            OUTPUT,
            "--sort",
            type=click.Choice(SORT_KEYS),
            default="date",
            show_default=True,
            help="Order: date, oldest first; killed or wounded, highest first (unknown "
            "last); - before one turns it round (-date: newest first).",
        ),
        section_option(
            OUTPUT, "--reverse", is_flag=True, help="The order turned round (unknown still last)."
        ),
        section_option(
            OUTPUT,
            "--limit",
            type=click.IntRange(min=1, max=LARGEST_INTEGER),
            metavar="N",
            help="At most N, the first in that order.",
        ),
    ]
    return stacked(options, command)


def build_sort(options: dict[str, Any]) -> SortKey:
    from incidents.query import SortKey

    key = SortKey(options.pop("sort"))
    return key.reversed() if options.pop("reverse") else key


def distinct_option(command: F) -> F:
    """--distinct: count each attack once (the records `incidents match` linked)."""
    return section_option(
        FILTERS,
        "--distinct",
        is_flag=True,
        help="Count each attack once: records linked by `incidents match` (likely or "
        "confirmed) are one incident, with their dates agreed and their tolls combined.",
    )(command)


def format_option(choices: Sequence[str], default: str | None, help_text: str) -> Callable[[F], F]:
    return section_option(
        OUTPUT,
        "--format",
        "-f",
        "output_format",
        type=click.Choice(list(choices), case_sensitive=False),
        default=default,
        show_default=default is not None,
        help=help_text,
    )


def _picture_path(suffix: str, other: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def check(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
        if value is not None and value.suffix.lower() == other:
            raise click.BadParameter(
                f"{value} ends in {other}; this option writes {suffix}: "
                f"use --{other.lstrip('.')} {value}",
                ctx,
                param,
            )
        return value

    return check


PICTURE_STYLES = ("report", "terminal")


def picture_options(command: F) -> F:
    """--svg, --png and --chart-style: pictures of the answer, saved beside it."""
    options = [
        section_option(
            OUTPUT,
            "--svg",
            metavar="FILE",
            type=OutputFile(),
            callback=_picture_path("SVG", ".png"),
            help="Also save a chart of the answer to FILE as SVG, for a report: "
            "with a title, the filters, the source and the date.",
        ),
        section_option(
            OUTPUT,
            "--png",
            metavar="FILE",
            type=OutputFile(),
            callback=_picture_path("PNG", ".svg"),
            help="Also save the chart to FILE as PNG (needs: pip install 'incidents[png]').",
        ),
        section_option(
            OUTPUT,
            "--chart-style",
            type=click.Choice(PICTURE_STYLES),
            default="report",
            show_default=True,
            help="report: a chart on a white page; terminal: the table or chart "
            "as the terminal shows it.",
        ),
    ]
    return stacked(options, command)


def stacked(options: Sequence[Callable[[F], F]], command: F) -> F:
    """The command with the options, listed in their order in --help."""
    for option in reversed(options):
        command = option(command)
    return command


@dataclass(frozen=True)
class Pictures:
    """The pictures a command was asked to save."""

    svg: Path | None = None
    png: Path | None = None
    terminal: bool = False

    @property
    def wanted(self) -> bool:
        return self.svg is not None or self.png is not None


def build_pictures(options: dict[str, Any], output_format: str = "table") -> Pictures:
    pictures = Pictures(
        svg=options.pop("svg"),
        png=options.pop("png"),
        terminal=options.pop("chart_style") == "terminal",
    )
    if pictures.wanted and pictures.terminal and output_format != "table":
        raise click.UsageError(
            f"--chart-style terminal draws the table; it cannot go with --format {output_format}."
        )
    return pictures
