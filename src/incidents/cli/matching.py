"""incidents match: find the records of one attack, review them, count once."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from incidents.cli.app import AppContext, cli, pass_app
from incidents.cli.options import OTHER_OPTIONS, OUTPUT, format_option, section_option
from incidents.cli.output import on_terminal, print_renderable, prompt_console

if TYPE_CHECKING:
    from incidents.matching.engine import Outcome
    from incidents.matching.groups import Pair
    from incidents.matching.session import Session

DECISIONS = "Decisions"


@cli.command("match")
@section_option(
    DECISIONS,
    "--review",
    is_flag=True,
    help="On a terminal: show each link no one has decided on, with its evidence, "
    "and ask: confirm, reject, skip or quit.",
)
@section_option(
    DECISIONS,
    "--confirm",
    nargs=2,
    multiple=True,
    metavar="ID ID",
    help="Record that these two records report one attack (ids as `list` shows them, "
    "or dataset:id). Repeat for more.",
)
@section_option(
    DECISIONS,
    "--reject",
    nargs=2,
    multiple=True,
    metavar="ID ID",
    help="Record that these two records are not one attack; later runs keep them apart.",
)
@section_option(
    OUTPUT,
    "--summary",
    is_flag=True,
    help="Only show which data sets report which attacks (the overlap); change nothing.",
)
@format_option(["table", "csv", "json"], "table", "Output format of --summary.")
@section_option(
    OTHER_OPTIONS,
    "--all",
    "everything",
    is_flag=True,
    help="Compare every record again, not only those added or changed since the last match.",
)
@section_option(
    OTHER_OPTIONS, "--dry-run", is_flag=True, help="Say what would change; write nothing."
)
@pass_app
def match_command(
    app: AppContext,
    /,
    review: bool,
    confirm: Sequence[tuple[str, str]],
    reject: Sequence[tuple[str, str]],
    summary: bool,
    output_format: str,
    everything: bool,
    dry_run: bool,
) -> None:
    """Find the records of one attack across data sets, and link them.

    Records of GTD, ACLED, UCDP GED and hand-kept incidents are compared
    where their dates and places meet, within windows that follow each
    record's own precision (a month-only date is its whole month; a province
    centroid reaches across the province). Compatible kinds of violence,
    perpetrators and tolls add to a score; each link keeps its evidence in
    words. Likely links count as one attack with --distinct (on list, total,
    timeline, export); possible ones wait for review. Links live in the
    store, named by each record's origin, so they survive a re-import; a new
    run compares only what changed, and keeps every decision.

    \b
    Examples:
      incidents --store afg.json match
      incidents --store afg.json match --review
      incidents --store afg.json match --confirm acled-afg50108 2022-12-02-aybak
      incidents --store afg.json match --summary
    """
    modes = [bool(review), bool(confirm or reject), bool(summary)]
    if sum(modes) > 1:
        raise click.UsageError("choose one of --review, --confirm/--reject and --summary")
    if review and not on_terminal():
        raise click.UsageError(
            "--review asks questions on a terminal; without one, decide with "
            "--confirm ID ID or --reject ID ID"
        )
    if summary:
        _summary(app, output_format)
        return
    path = app.location().path
    if not dry_run:
        from incidents.store_files import ensure_writable

        ensure_writable(path)
    from incidents.matching.session import Session

    session = Session.open(app.source(), path)
    if review:
        _review(session)
    elif confirm or reject:
        _decide(session, confirm, reject, dry_run)
    else:
        _run(session, everything, dry_run)


def _run(session: Session, everything: bool, dry_run: bool) -> None:
    outcome = session.run(everything)
    if not dry_run:
        session.save_run(outcome)
    counts = _counted(session.dataset_of.values())
    if outcome.changed == outcome.records:
        looked = "every record"
    else:
        changed = f"{outcome.changed:,}" if outcome.changed else "none"
        looked = f"{changed} added or changed since the last match"
    click.echo(
        f"Compared {_plural(outcome.records, 'record')} ({counts}), {looked}: "
        f"{_plural(outcome.compared, 'candidate pair')}.",
        err=True,
    )
    click.echo(_links_line(session.path, outcome, dry_run), err=True)
    if outcome.absent:
        click.echo(
            f"Kept {_plural(outcome.absent, 'decision')} on records no longer in the store, "
            "should they come back.",
            err=True,
        )
    if not dry_run:
        grouped = sum(len(group) for group in outcome.groups)
        attacks = outcome.records - grouped + len(outcome.groups)
        click.echo(
            f"Counted once (--distinct), the {_plural(outcome.records, 'record')} are "
            f"{_plural(attacks, 'attack')}.",
            err=True,
        )


def _links_line(path: Path, outcome: Outcome, dry_run: bool) -> str:
    from incidents.categories import LinkStatus

    status = outcome.by_status
    found = [
        _plural(status.get(LinkStatus.LIKELY, 0), "likely link"),
        _plural(status.get(LinkStatus.POSSIBLE, 0), "possible link"),
    ]
    decided = status.get(LinkStatus.CONFIRMED, 0) + status.get(LinkStatus.REJECTED, 0)
    line = f"{', '.join(found)} ({outcome.new:,} new)"
    if decided:
        line += f"; {_plural(decided, 'decision')} kept"
    if status.get(LinkStatus.POSSIBLE):
        line += "; review the possible ones with `incidents match --review`"
    return f"Dry run: would write {line}." if dry_run else f"{path}: {line}."


def _counted(datasets: Iterable[str]) -> str:
    from collections import Counter

    from incidents.matching.records import dataset_name, dataset_rank

    counts = Counter(datasets)
    return ", ".join(f"{dataset_name(d)} {counts[d]:,}" for d in sorted(counts, key=dataset_rank))


def _plural(number: int, word: str) -> str:
    return f"{number:,} {word}{'' if number == 1 else 's'}"


def _decide(
    session: Session,
    confirm: Sequence[tuple[str, str]],
    reject: Sequence[tuple[str, str]],
    dry_run: bool,
) -> None:
    from incidents.categories import LinkStatus

    decisions = [session.decision(a, b, LinkStatus.CONFIRMED) for a, b in confirm]
    decisions += [session.decision(a, b, LinkStatus.REJECTED) for a, b in reject]
    seen: dict[tuple[str, str], LinkStatus] = {}
    for decision in decisions:
        if seen.setdefault(decision.keys, decision.status) is not decision.status:
            raise click.UsageError(f"{' and '.join(decision.keys)} are both confirmed and rejected")
    if not dry_run:
        session.save_decisions(decisions)
    for decision in decisions:
        click.echo(_decided(session, decision, dry_run), err=True)


def _decided(session: Session, decision: Pair, dry_run: bool) -> str:
    from incidents.categories import LinkStatus

    first, second = (session.record(key).id for key in decision.keys)
    verb = "Confirmed" if decision.status is LinkStatus.CONFIRMED else "Rejected"
    what = "report one attack" if decision.status is LinkStatus.CONFIRMED else "are two attacks"
    line = f"{verb}: {first} and {second} {what}."
    return f"Dry run: {line[0].lower()}{line[1:]} Nothing was written." if dry_run else line


_ANSWERS = {"c": "confirmed", "r": "rejected", "s": "skipped", "q": "quit"}


def _review(session: Session) -> None:
    from incidents.categories import LinkStatus
    from incidents.formats.matching import pair_view
    from incidents.matching.groups import Pair

    pending = session.to_review()
    if not pending:
        click.echo("Nothing to review: every link is decided (run `incidents match` first?).")
        return
    prompts = prompt_console()
    decisions: list[Pair] = []
    skipped = 0
    try:
        for number, pair in enumerate(pending, 1):
            first, second = session.data_of(pair.first), session.data_of(pair.second)
            prompts.print(pair_view(first, second, pair, number, len(pending)))
            answer = click.prompt(
                "Same attack? [c]onfirm, [r]eject, [s]kip, [q]uit",
                type=click.Choice(list(_ANSWERS)),
                show_choices=False,
                err=True,
            )
            if answer == "q":
                break
            if answer == "s":
                skipped += 1
                continue
            status = LinkStatus.CONFIRMED if answer == "c" else LinkStatus.REJECTED
            decisions.append(Pair(pair.first, pair.second, status, pair.score, pair.evidence))
    except click.Abort:
        click.echo("", err=True)  # Ctrl-C or the end of input: keep what was decided
    if decisions:
        session.save_decisions(decisions)
    confirmed = sum(d.status is LinkStatus.CONFIRMED for d in decisions)
    left = len(pending) - len(decisions)
    click.echo(
        f"{session.path}: {confirmed} confirmed, {len(decisions) - confirmed} rejected, "
        f"{skipped} skipped; {left} left to review.",
        err=True,
    )


def _summary(app: AppContext, output_format: str) -> None:
    from incidents.formats.matching import overlap_table, write_overlap
    from incidents.matching.session import Session

    session = Session.open(app.source(), app.location().path)
    combinations = session.overlap()
    if output_format == "table":
        print_renderable(overlap_table(combinations))
    else:
        write_overlap(combinations, output_format, sys.stdout)
    pending = sum(1 for p in session.to_review() if p.status.value == "possible")
    if pending:
        click.echo(
            f"{_plural(pending, 'possible link')} not counted: review them with "
            "`incidents match --review`.",
            err=True,
        )
