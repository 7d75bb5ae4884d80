"""The demo's incident as terminal lines: what arrived, who was paged when, what it cost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tocsin._demo._scenario import IncidentRun, user_zones
from tocsin.escalation import (
    Acknowledge,
    NobodyOnCall,
    Notify,
    Resolve,
    ScheduleTarget,
    UserTarget,
)
from tocsin.noise import Outcome, ReasonKind

if TYPE_CHECKING:
    from tocsin.escalation import EscalationLevel, TimelineEntry
    from tocsin.noise import SilenceSet, Verdict

__all__ = ["incident_lines"]


def _utc(at: datetime) -> str:
    return f"{at.astimezone(UTC):%H:%M}"


def _minutes(span: timedelta) -> str:
    return f"{span / timedelta(minutes=1):g} min"


def _outcome(verdict: Verdict, silences: SilenceSet) -> str:
    """What became of one event, in a few words, with the reason that decided it."""
    outcome = verdict.outcome
    if outcome is Outcome.PAGED:
        return f"paged, opened {verdict.incident} ({verdict.urgency} urgency)"
    if outcome is Outcome.DUPLICATE:
        return f"duplicate, {verdict.incident} is open: not paged"
    if outcome is Outcome.UPDATED:
        return f"{verdict.event.action.value}s {verdict.incident}"
    by_id = {s.id: s for s in silences.silences}
    for reason in verdict.reasons:
        if reason.kind is ReasonKind.SILENCE and reason.ref in by_id:
            silence = by_id[reason.ref]
            return f"silenced by {silence.id} ({silence.created_by}: {silence.comment})"
    return outcome.value


def _targets(level: EscalationLevel) -> str:
    names = []
    for target in level.targets:
        if isinstance(target, ScheduleTarget):
            names.append(target.schedule)
        elif isinstance(target, UserTarget):
            names.append(target.user)
    return ", ".join(names)


def _via(level: EscalationLevel, user: str) -> str:
    """How ``level`` reached ``user``: named in it, or on call for its schedules."""
    if UserTarget(user) in level.targets:
        return "directly"
    schedules = [t.schedule for t in level.targets if isinstance(t, ScheduleTarget)]
    return f"via {', '.join(schedules)}"


def _escalation(run: IncidentRun, entry: TimelineEntry) -> list[str]:
    zones = user_zones()
    opened = run.timeline.entries[0].at
    lines = []
    for effect in entry.effects:
        if isinstance(effect, Notify) and effect.level is not None:
            level = run.timeline.incidents[effect.incident].policy.levels[effect.level - 1]
            local = entry.at.astimezone(zones.get(effect.user, UTC))
            lines.append(
                f"{_utc(entry.at)}  page {effect.user} {_via(level, effect.user)} "
                f"(level {effect.level}): {local:%a %d %b %H:%M %Z} for {effect.user}"
            )
        elif isinstance(effect, NobodyOnCall):
            lines.append(
                f"{_utc(entry.at)}  nobody on call for {', '.join(effect.schedules)}: "
                f"level {effect.level} skipped"
            )
    command = entry.command
    if isinstance(command, Acknowledge):
        lines.append(
            f"{_utc(entry.at)}  {command.by} acknowledged after "
            f"{_minutes(entry.at - opened)}: escalation stops"
        )
    elif isinstance(command, Resolve):
        pages = run.timeline.notifications
        later = sum(1 for n in pages if n.at > entry.at)
        lines.append(
            f"{_utc(entry.at)}  {entry.incident} resolved by the alert's resolve: "
            f"{len(pages)} pages in all, {later} after it"
        )
    return lines


def incident_lines(run: IncidentRun) -> list[str]:
    """The story of ``run`` in under twenty lines, each instant in UTC first."""
    lines = ["An incident from now on (times in UTC), replaying real webhook payloads:"]
    for arrival, verdict in zip(run.arrivals, run.replay.verdicts, strict=True):
        event = verdict.event
        lines.append(
            f"  {_utc(arrival.at)}  {arrival.source:<12}  {event.action.value:<7}  "
            f"{event.summary:<20}  {verdict.service}: {_outcome(verdict, run.silences)}"
        )
    policy = next(iter(run.timeline.incidents.values())).policy
    delays = ", then ".join(
        f"{_targets(level)} after {_minutes(policy.levels[i - 1].delay)}" if i else _targets(level)
        for i, level in enumerate(policy.levels)
    )
    lines.append(f"Escalation {policy.name!r}: {delays}; {policy.passes} passes")
    for entry in run.timeline.entries:
        lines.extend(f"  {line}" for line in _escalation(run, entry))
    budget = run.budget
    consumed = budget.consumed
    assert consumed is not None  # noqa: S101 - the budget was measured on 30 days of slices
    lines.append(
        f"SLO {float(budget.target * 100):g}% over {budget.period.days} days: "
        f"{_minutes(run.outage)} down (burn rate {float(run.burn_rate):g}x) used "
        f"{float(consumed):.1%} of the {_minutes(budget.allowed_time)} error budget"
    )
    return lines
