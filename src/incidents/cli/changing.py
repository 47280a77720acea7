"""Changing the store: add, edit, remove.

Each shows the change and asks before it writes, on a terminal (--yes
skips that); declining is no error: nothing changes, and the exit is 0.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from incidents.cli.app import AppContext, cli, fail_with_problems, pass_app
from incidents.cli.completing import complete_ids
from incidents.cli.options import INCIDENT_FIELDS, argument, section_option
from incidents.cli.output import on_terminal, prompt_console, writing
from incidents.inert import for_terminal, inert

if TYPE_CHECKING:
    from incidents.categories import Category
    from incidents.store_files import StoreFile

F = TypeVar("F", bound=Callable[..., Any])

# Said when a person answers no: it is no error, and the exit is 0.
DECLINED = "Nothing changed."


# Options of `incidents add`: (option, field in the store, metavar, help).
INCIDENT_OPTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("--id", "id", "ID", "Id to store it under [default: date and place, e.g. 2022-12-02-kabul]."),
    ("--date", "date", "DATE", "When: 2022-12-02, 'Oct 2021', 2022."),
    ("--end-date", "end_date", "DATE", "Last day, for an attack that lasted."),
    ("--country", "location.country", "NAME", "Country: Afghanistan, 'DR Congo', Zaire..."),
    (
        "--country-code",
        "location.country_code",
        "CODE",
        "ISO 3166 alpha-3 code of the country [default: from --country, e.g. AFG].",
    ),
    ("--province", "location.province", "NAME", "Province (first administrative level)."),
    ("--district", "location.district", "NAME", "District."),
    ("--city", "location.city", "NAME", "City, town or village."),
    ("--site", "location.site", "TEXT", "The place itself: 'Pakistani embassy'."),
    ("--alias", "location.aliases", "NAMES", "Other spellings of the place, ';' between them."),
    ("--coordinates", "location.coordinates", "LAT,LON", "Decimal degrees, latitude first."),
    (
        "--coordinates-precision",
        "location.coordinates.precision",
        "LEVEL",
        "exact, site, city, district, province or country [default: the most precise place].",
    ),
    ("--perpetrator", "perpetrator.name", "NAME", "Who did it [default: unknown]."),
    (
        "--attribution",
        "perpetrator.attribution",
        "HOW",
        "claimed, suspected or unknown [default: claimed with a claim option, else suspected].",
    ),
    ("--claim-by", "claim.by", "NAME", "Who claimed it [default: the perpetrator]."),
    ("--claim-date", "claim.date", "DATE", "When it was claimed."),
    ("--claim-channel", "claim.channel", "TEXT", "Where it was claimed: Telegram, Amaq..."),
    ("--attack-type", "attack_type", "WORD", "bombing, armed assault, assassination..."),
    ("--target-type", "target_type", "WORD", "embassy, mosque, school, police..."),
    ("--target", "target", "TEXT", "What or who was attacked, in words."),
    ("--weapon", "weapon_types", "WORDS", "explosives, firearms, vehicle...; ',' between them."),
    (
        "--killed",
        "killed",
        "COUNT",
        "16, none (0), 'at least 3' (3+), '3-5', unknown (?) [default: unknown].",
    ),
    ("--wounded", "wounded", "COUNT", "As --killed [default: unknown]."),
    ("--summary", "summary", "TEXT", "What happened, in a sentence or two."),
    ("--property-damage", "property_damage.occurred", "YES/NO", "yes, no or unknown."),
    ("--damage", "property_damage.description", "TEXT", "What was damaged."),
    ("--notes", "notes", "TEXT", "Anything else: doubts, conflicting figures."),
)
_OPTION_OF_FIELD = {field: option for option, field, _, _ in INCIDENT_OPTIONS}
_OPTION_OF_FIELD["sources"] = "--source"
ADD_REQUIRED = ("date", "location.country", "attack_type", "target_type", "target", "summary")

# What `incidents add` asks on a terminal, in this order: (field, question).
ADD_PROMPTS: tuple[tuple[str, str], ...] = (
    ("date", "Date (2022-12-02, 'Oct 2021', 2022)"),
    ("location.country", "Country"),
    ("location.province", "Province"),
    ("location.city", "City"),
    ("attack_type", "Attack type"),
    ("target_type", "Target type"),
    ("target", "Target, in words"),
    ("weapon_types", "Weapons (',' between them)"),
    ("perpetrator.name", "Perpetrator (empty if unknown)"),
    ("killed", "Killed (16; none or 0; 'at least 3'; '3-5'; unknown, ? or empty)"),
    ("wounded", "Wounded (as killed)"),
    ("summary", "Summary"),
)
_PROMPT_CATEGORIES = {
    "attack_type": "AttackType",
    "target_type": "TargetType",
    "weapon_types": "WeaponType",
}


def _option_dest(option: str) -> str:
    return option.lstrip("-").replace("-", "_")


def incident_options(command: F) -> F:
    """One option per field of an incident, as `incidents add` takes them."""
    for option, _, metavar, help_text in reversed(INCIDENT_OPTIONS):
        command = section_option(
            INCIDENT_FIELDS, option, _option_dest(option), metavar=metavar, help=help_text
        )(command)
    return command


def dry_run_option(command: F) -> F:
    return click.option(
        "--dry-run", is_flag=True, help="Show what would change (a diff) and write nothing."
    )(command)


def _store_to_change(app: AppContext, dry_run: bool) -> StoreFile:
    """The store in use, refused before any prompt when it cannot be written."""
    from incidents.index import store_file
    from incidents.store_files import ensure_writable

    path = app.location().path
    if not dry_run:
        ensure_writable(path)
    return store_file(path)


def run_change(change: Callable[[], Any], option_hint: Callable[[str | None], str]) -> Any:
    """Run a core change; bad values are command-line errors (exit 2), a bad store exit 1."""
    from incidents.editing import WriteRefused
    from incidents.parsing import ParseError
    from incidents.store import StoreError

    try:
        return change()
    except ParseError as error:
        raise click.BadParameter(str(error), param_hint=option_hint(error.field)) from None
    except WriteRefused as error:
        fail_with_problems(error.problems, "Nothing was written: the store is unchanged.")
    except StoreError as error:
        fail_with_problems(error.problems)


def report_change(change: Any, done: str) -> None:
    """Warnings, then what was done (``done`` names {id} and {path}) or the dry run's diff."""
    for warning in change.warnings:
        click.echo(inert(str(warning)), err=True)
    for note in change.notes:
        click.echo(inert(note), err=True)
    if change.written or change.before == change.after:
        click.echo(done.format(id=change.incident.id, path=change.path), err=True)
    else:
        for_terminal(sys.stdout).write(change.diff())
        click.echo("Dry run: nothing was written.", err=True)


@cli.command()
@incident_options
@click.option(
    "--source",
    "sources",
    multiple=True,
    metavar="SOURCE",
    help="'PUBLISHER | DATE | TITLE | URL', only the publisher required; repeat for more.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Add it even if it looks like a stored incident, or its country is not one "
    "this tool knows.",
)
@click.option("--yes", "-y", is_flag=True, help="On a terminal, save without asking.")
@dry_run_option
@pass_app
def add(
    app: AppContext,
    /,
    sources: tuple[str, ...],
    force: bool,
    yes: bool,
    dry_run: bool,
    **given: str | None,
) -> None:
    """Add an incident to the store.

    Every field has an option. --date, --country, --attack-type,
    --target-type, --target and --summary are needed: on a terminal, when
    any is left out, the main fields not given are asked for one by one.
    On a terminal the incident is shown before it is saved (--yes skips
    that). Casualties left out are unknown, never zero.

    A new incident whose dates overlap a stored one with the same place and
    target type is refused, naming the likely twin, unless --force; so is a
    country name that is not one (Afganistan: did you mean Afghanistan?),
    unless it comes with --country-code or --force. The whole
    new store is validated before it is written (atomically, under a lock);
    the new id is printed.

    \b
    Examples:
      incidents add --date 2022-12-02 --country Afghanistan --city Kabul \\
        --attack-type "armed assault" --target-type embassy \\
        --target "Pakistani embassy" --killed 0 --wounded "at least 1" \\
        --summary "Gunmen fired on the Pakistani embassy." \\
        --source "Sky News Arabia | 2022-12-05"
      incidents add --dry-run ...    (show the change, write nothing)
    """
    from incidents.editing import add_incident, new_incident_data

    store = _store_to_change(app, dry_run)
    settings = {
        key: value
        for option, key, _, _ in INCIDENT_OPTIONS
        if (value := given[_option_dest(option)]) is not None
    }
    source_list = list(sources)
    interactive = on_terminal()
    missing = [_OPTION_OF_FIELD[key] for key in ADD_REQUIRED if key not in settings]
    if missing and interactive:
        force_country = _ask_missing(settings, source_list, force)
    elif missing:
        raise click.UsageError(
            f"missing {', '.join(missing)} (on a terminal, `incidents add` asks for them)"
        )
    else:
        force_country = force
    if problem := _unknown_country(settings, force_country):
        raise click.BadParameter(f"{problem} (--force adds it as written)", param_hint="--country")

    def option_of(key: str | None) -> str:
        return _OPTION_OF_FIELD.get(key or "", "an option")

    data = run_change(lambda: new_incident_data(settings.items(), source_list), option_of)
    if interactive and not yes and not dry_run:
        from rich.prompt import Confirm
        from rich.text import Text

        from incidents.formats.details import incident_details

        preview = run_change(
            lambda: add_incident(store, data, force=force, dry_run=True), option_of
        )
        prompts = prompt_console()
        prompts.print(incident_details(preview.incident))
        question = Text(f"Save it to {inert(str(store.path))}?")
        if not Confirm.ask(question, console=prompts, default=True):
            click.echo(DECLINED, err=True)
            return
    with writing(store.path, dry_run):
        change = run_change(
            lambda: add_incident(store, data, force=force, dry_run=dry_run), option_of
        )
    report_change(change, "Added {id} to {path}.")
    if change.written:
        click.echo(change.incident.id)


def _unknown_country(settings: dict[str, str], force: bool) -> str | None:
    """What is wrong with the country given, unless forced or given with its code."""
    from incidents.countries import unknown_country

    country = settings.get("location.country", "")
    if force or "location.country_code" in settings or not country.strip():
        return None
    return unknown_country(country.strip())


def _ask_missing(settings: dict[str, str], sources: list[str], force: bool) -> bool:
    """Ask on the terminal for each field not given, re-asking until it reads;
    True when the country is to be kept though it is not one (forced, or typed
    twice)."""
    from rich.prompt import Prompt
    from rich.text import Text

    from incidents import categories
    from incidents.editing import apply_setting
    from incidents.parsing import ParseError

    prompts = prompt_console()
    refused = None
    for key, question in ADD_PROMPTS:
        if key in settings:
            continue
        if key in _PROMPT_CATEGORIES:
            category: type[Category] = getattr(categories, _PROMPT_CATEGORIES[key])
            choices = ", ".join(member.value for member in category)
            prompts.print(f"[dim]{choices} (or a word for one)[/dim]")
        while True:
            answer = Prompt.ask(question, console=prompts, default="", show_default=False)
            try:
                apply_setting({}, key, answer)
            except ParseError as error:
                prompts.print(Text(inert(str(error)), style="red"))
                continue
            problem = _unknown_country({key: answer}, force) if key == "location.country" else None
            if problem and answer != refused:
                prompts.print(Text(inert(f"{problem} (type it again to keep it)"), style="red"))
                refused = answer
                continue
            force = force or bool(problem)
            if answer.strip() or key not in ADD_REQUIRED:
                break
            prompts.print("[red]This one is needed.[/red]")
        if answer.strip():
            settings[key] = answer
    while not sources:
        answer = Prompt.ask(
            "Source (PUBLISHER | DATE | TITLE | URL; empty for none)",
            console=prompts,
            default="",
            show_default=False,
        )
        if not answer.strip():
            break
        sources.append(answer)
    return force


# `incidents add`'s option names (country, attack-type) as fields of --set.
_FIELD_OF_OPTION = {
    name: field
    for option, field, _, _ in INCIDENT_OPTIONS
    for name in (option.lstrip("-"), _option_dest(option))
}


def _field_of(setting: str) -> str:
    """``country=Iraq`` as ``location.country=Iraq``; a field name stays as it is."""
    name, equals, value = setting.partition("=")
    field = _FIELD_OF_OPTION.get(name.strip().lower().lstrip("-"))
    return f"{field}{equals}{value}" if field and equals else setting


@cli.command()
@argument(
    "incident_id",
    metavar="ID",
    shell_complete=complete_ids,
    description="The incident's id, in full (see `incidents list`).",
)
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Set a field; repeat for more. An empty VALUE clears it.",
)
@click.option("--add-source", "sources", multiple=True, metavar="SOURCE", help="Cite a source.")
@click.option("--yes", "-y", is_flag=True, help="On a terminal, save without asking.")
@dry_run_option
@pass_app
def edit(
    app: AppContext,
    incident_id: str,
    settings: tuple[str, ...],
    sources: tuple[str, ...],
    yes: bool,
    dry_run: bool,
) -> None:
    """Change fields of one incident.

    Values are typed as for `incidents add`: dates as 'Oct 2021', counts as
    16, 'at least 3', '3-5' or 'unknown', categories as words (embassy,
    bombing). Sources are 'PUBLISHER | DATE | TITLE | URL'. A FIELD may
    also be named as `incidents add` names it (country, attack-type,
    end-date). On a terminal the change is shown, and saved when you say
    so (--yes skips that). The whole new store is validated before it is
    written.

    \b
    FIELDs: id, date, end_date, location.country (its code follows, unless
    set too), location.country_code, location.province, location.district,
    location.city, location.site, location.aliases (';' between names),
    location.coordinates (LAT,LON), location.coordinates.lat,
    location.coordinates.lon, location.coordinates.precision,
    perpetrator.name, perpetrator.attribution, claim.by, claim.date,
    claim.channel, attack_type, target_type, target, weapon_types (','
    between them), killed, wounded, summary, property_damage.occurred,
    property_damage.description, notes. Cleared with an empty value (set
    their fields one by one): claim, property_damage.

    \b
    Examples:
      incidents edit 2022-12-02-kabul --set killed=1 --set "wounded=at least 2"
      incidents edit 2022-05-kabul --set "date=May 2022" --dry-run
      incidents edit 2022-09-herat --add-source "Reuters | 2022-09-02"
    """
    from incidents.editing import edit_incident, parse_setting
    from incidents.parsing import ParseError

    if not settings and not sources:
        raise click.UsageError("nothing to change: give --set FIELD=VALUE or --add-source")
    try:
        pairs = [parse_setting(_field_of(text)) for text in settings]
    except ParseError as error:
        raise click.BadParameter(str(error), param_hint="--set") from None
    store = _store_to_change(app, dry_run)

    def option_of(key: str | None) -> str:
        return "--add-source" if key == "sources" else f"--set {key}"

    if on_terminal() and not yes and not dry_run:
        preview = run_change(
            lambda: edit_incident(store, incident_id, pairs, sources, dry_run=True), option_of
        )
        if preview.before != preview.after:
            click.echo(inert(preview.diff(), lines=True), err=True, nl=False)
            question = f"Save the change to {inert(str(store.path))}?"
            if not click.confirm(question, default=True, err=True):
                click.echo(DECLINED, err=True)
                return
    with writing(store.path, dry_run):
        change = run_change(
            lambda: edit_incident(store, incident_id, pairs, sources, dry_run=dry_run), option_of
        )
    report_change(change, "Changed {id} in {path}.")


@cli.command()
@argument(
    "incident_id",
    metavar="ID",
    shell_complete=complete_ids,
    description="The incident's id, in full (see `incidents list`).",
)
@click.option("--yes", "-y", is_flag=True, help="Remove without asking.")
@dry_run_option
@pass_app
def remove(app: AppContext, incident_id: str, yes: bool, dry_run: bool) -> None:
    """Remove one incident from the store.

    On a terminal it asks first; elsewhere (a script, a pipe) it removes
    nothing without --yes.

    \b
    Examples:
      incidents remove 2022-06-imam-sahib
      incidents remove 2022-06-imam-sahib --dry-run
      incidents remove 2022-06-imam-sahib --yes    (in a script)
    """
    from incidents.editing import remove_incident

    store = _store_to_change(app, dry_run)
    if not yes and not dry_run:
        if not on_terminal():
            raise click.UsageError(
                "remove asks before it removes, and there is no terminal to ask on: "
                "give --yes to remove without asking (or --dry-run to see the change)"
            )
        from incidents.records import list_row

        preview = run_change(lambda: remove_incident(store, incident_id, dry_run=True), _id_hint)
        incident = preview.incident
        question = (
            f"Remove {incident.id} ({list_row(incident).date_text}, "
            f"{inert(incident.location.label())}: {inert(incident.target)}) from {store.path}?"
        )
        if not click.confirm(question, err=True):
            click.echo(DECLINED, err=True)
            return
    with writing(store.path, dry_run):
        change = run_change(lambda: remove_incident(store, incident_id, dry_run=dry_run), _id_hint)
    report_change(change, "Removed {id} from {path}.")


def _id_hint(key: str | None) -> str:
    return "ID"
