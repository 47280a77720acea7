"""Help that teaches: every command, including ones added later, is checked."""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
import pytest

from incidents.cli import cli

HEADING = re.compile(r"^(\S[^:]*):$")


def every_command(
    group: click.Group = cli, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from every_command(command, (*path, name))


COMMANDS = list(every_command())
IDS = [" ".join(path) for path, _ in COMMANDS]


def sections(help_text: str) -> dict[str, list[str]]:
    """Option headings (at the margin, ending in ':') and the options under each."""
    found: dict[str, list[str]] = {}
    current = None
    for line in help_text.splitlines():
        heading = HEADING.match(line)
        if heading and not line.startswith("Usage"):
            current = found.setdefault(heading.group(1), [])
        elif current is not None and line.startswith("  -"):
            current.append(line.split()[0].rstrip(","))
    return found


def test_the_walk_finds_the_commands():
    assert {"list", "show", "total", "export", "where", "timeline"} <= set(IDS)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_command_has_a_summary_an_example_and_grouped_options(run, path, command):
    summary = command.get_short_help_str(limit=70)
    assert summary.endswith("."), f"{summary!r} is cut short or not a sentence"
    assert not summary.endswith("..."), summary
    result = run(*path, "-h")
    assert result.exit_code == 0
    help_text = result.stdout
    assert summary in " ".join(help_text.split())
    example = re.search(r"^  Examples?:\n((?:    incidents .*\n)+)", help_text, re.MULTILINE)
    assert example, f"'incidents {' '.join(path)} -h' shows no example"
    # The command may follow the group's own options: incidents --store x.json import ...
    assert all(
        f" {' '.join(path)} " in f" {line.strip()} " for line in example.group(1).splitlines()
    ), example.group(1)
    grouped = sections(help_text)
    listed = [name for names in grouped.values() for name in names]
    for param in command.get_params(click.Context(command)):
        if isinstance(param, click.Option) and not param.hidden:
            assert any(opt in listed for opt in param.opts), f"{param.opts} under no heading"
            assert param.help, f"{param.opts[0]} has no help text"
    if len(listed) > 5:
        assert len(grouped) >= 2, f"{len(listed)} options in one heap: {grouped}"


def test_the_group_help_lists_every_command_with_its_whole_summary(run):
    result = run("--help")
    assert result.exit_code == 0
    listing = " ".join(result.stdout.split("Commands:")[1].split())
    for name, command in cli.commands.items():
        assert f"{name} {command.get_short_help_str(limit=70)}" in listing


def test_reading_commands_group_filters_apart_from_output(run):
    for command in ("list", "total", "export", "timeline"):
        grouped = sections(run(command, "--help").stdout)
        assert list(grouped)[:2] == ["Filters", "Output"], command
        assert "--since" in grouped["Filters"]
        assert "--location" in grouped["Filters"]
        assert "-h" in grouped["Options"]
    assert sections(run("timeline", "-h").stdout)["Output"] == [
        "--by",
        "--skip-empty",
        "-f",
        "--svg",
        "--png",
        "--chart-style",
    ]


def test_the_filter_notes_line_up_with_the_rest_of_the_help(run):
    lines = run("list", "--help").stdout.splitlines()
    note = next(line for line in lines if "Dates are intervals" in line)
    example = next(line for line in lines if line.strip() == "Examples:")
    assert note.startswith("  Dates") and example.startswith("  Examples")


@pytest.mark.parametrize(
    ("args", "suggestion"),
    [
        (["list", "--sinse", "2022"], "Did you mean '--since'?"),
        (["timeline", "--bye", "week"], "'--by'"),
        (["export", "--fromat", "csv"], "'--format'"),
        (["timelin"], "Did you mean 'timeline'?"),
        (["list", "--target-type", "mosqe"], "Did you mean 'mosque'"),
    ],
)
def test_a_mistyped_option_command_or_category_gets_a_suggestion(run, args, suggestion):
    result = run(*args)
    assert result.exit_code == 2
    assert suggestion in result.stderr
