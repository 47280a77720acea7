"""Keeping the store: validate, schema, add, edit, remove."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from incidents.cli.app import AppContext, cli, pass_app
from incidents.cli.options import argument, format_option
from incidents.inert import for_terminal, inert

if TYPE_CHECKING:
    pass

F = TypeVar("F", bound=Callable[..., Any])


@cli.command()
@argument(
    "path", required=False, description="The store file to check [default: the store in use]."
)
@format_option(["text", "json"], "text", "One line per problem, or the problems as JSON data.")
@pass_app
def validate(app: AppContext, path: str | None, output_format: str) -> None:
    """Check a store and report every problem in it, one line each.

    PATH is the store in use unless given (see `incidents where`). A line
    names the file and either the line:column of a JSON syntax error or the
    incident (index and id) and the field, and says what was expected. Exit 0
    when there is no error (warnings allowed), 1 when there is one.

    \b
    Errors:
      not JSON, not UTF-8; wrong types, unknown or missing fields; unknown
      categories; a day that does not exist (2022-02-30); a negative count,
      or a range whose min exceeds its max; latitude or longitude out of
      range; duplicate ids; an attack, claim or source date in the future
      (an end date may be later than today; any past date is fine, before
      1970 too); an end date or a claim date before the attack.
    Warnings:
      a country name this tool does not know (Afganistan: did you mean
      Afghanistan?), unless the incident gives its code; a country_code that
      is not an ISO 3166 alpha-3 code;
      coordinates far outside the named country (a rough box per country);
      an incident that cites no source (the model allows an empty "sources"
      list so that an incident can be recorded before it is sourced); a
      source dated before the attack.

    \b
    Examples:
      incidents validate
      incidents validate drafts.json --format json
    """
    from incidents.checks import validate_file
    from incidents.index import store_file
    from incidents.store import Severity

    file = path or str(app.location().path)
    problems = validate_file(file, read=lambda given: store_file(given).read())
    error_count = sum(p.severity is Severity.ERROR for p in problems)
    warning_count = len(problems) - error_count
    if output_format == "json":
        import json

        report = {
            "file": file,
            "valid": error_count == 0,
            "errors": error_count,
            "warnings": warning_count,
            "problems": [p.as_data() for p in problems],
        }
        for_terminal(sys.stdout).write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        for problem in problems:
            click.echo(inert(str(problem)))
        summary = f"{_plural(error_count, 'error')}, {_plural(warning_count, 'warning')}"
        click.echo(f"{file}: {'valid' if not error_count else 'not valid'} ({summary}).", err=True)
    if error_count:
        raise click.exceptions.Exit(1)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@cli.command()
def schema() -> None:
    """Print the store's JSON Schema, generated from the model.

    The repository keeps it as incidents.schema.json, and the store names it
    in its "$schema" key so that editors check the file while it is typed.
    `incidents validate` checks more than a schema can (duplicate ids,
    dates in the future, ...).

    \b
    Example:
      incidents schema > incidents.schema.json
    """
    from incidents.schema import schema_text

    click.echo(schema_text(), nl=False)
