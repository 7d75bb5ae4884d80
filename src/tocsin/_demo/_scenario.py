"""The demo's incident, end to end: intake, noise and routing, escalation, SLO.

Everything here is pure: ``now`` is a parameter (the command line reads the clock
once and passes it in) and every instant of the story is counted from it, so a given
``now`` always tells the same story.

The story, replaying real webhook payloads (``payloads/``) at times of our choosing:

* ``now``: Alertmanager posts ``Fire`` (critical).  The routing tree sends it to the
  ``ops`` service, whose escalation policy pages whoever the follow-the-sun schedule
  has on call, then the manager, ``mia``, after 10 minutes, twice round.
* ``now + 2 min``: Grafana posts a ``debug="true"`` alert; a silence mutes it.
* ``now + 5 min``: Alertmanager re-sends ``Fire`` (it repeats firing alerts): the
  alert is already open, so it is counted, not paged again.
* ``now + 12 min``: the first person paged acknowledges.
* ``now + 40 min``: Alertmanager posts the resolved counterpart of ``Fire``: the
  incident resolves, and nobody is paged after that.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import attrs

from tocsin._demo._payloads import payload
from tocsin.escalation import (
    Acknowledge,
    At,
    EscalationLevel,
    EscalationPolicy,
    Resolve,
    ScheduleTarget,
    Timeline,
    Trigger,
    UserTarget,
    from_event,
    simulate,
)
from tocsin.integrations import parse
from tocsin.noise import NoisePolicy, Outcome, Replay, Silence, SilenceSet, Verdict
from tocsin.routing import Route, Router, RoutingTree
from tocsin.schedules import Region, Schedule, follow_the_sun
from tocsin.services import Service, ServiceCatalog
from tocsin.slo import ErrorBudget, burn_rate

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import tzinfo
    from fractions import Fraction

    from tocsin.events import Event

__all__ = [
    "SCHEDULE",
    "MANAGER",
    "MANAGER_ZONE",
    "SLO_TARGET",
    "SLO_PERIOD",
    "regions",
    "schedule",
    "user_zones",
    "escalation_policy",
    "noise_policy",
    "arrivals",
    "commands_for",
    "Arrival",
    "IncidentRun",
    "run_incident",
]

#: The name of the follow-the-sun schedule, as escalation policies refer to it.
SCHEDULE = "follow-the-sun"
#: The second escalation level: a manager, paged directly.
MANAGER = "mia"
MANAGER_ZONE = ZoneInfo("Europe/London")
#: The service's availability objective, as a time-slice SLO of one-minute slices.
SLO_TARGET = "99.9%"
SLO_PERIOD = timedelta(days=30)

_LEVEL_DELAY = timedelta(minutes=10)
_GRAFANA_AFTER = timedelta(minutes=2)
_RESEND_AFTER = timedelta(minutes=5)
_ACK_AFTER = timedelta(minutes=12)
_RESOLVED_AFTER = timedelta(minutes=40)
_SLICE = timedelta(minutes=1)


def regions() -> list[Region]:
    """Sydney, London and New York working hours that tile the day in January (UTC)."""

    def region(name: str, tz: str, hours: tuple[int, int], users: list[str]) -> Region:
        local = ZoneInfo(tz)
        start, end = time(hours[0]), time(hours[1])
        # Each region's weekly rotation hands off on Monday 2026-01-05 at its local start.
        anchor = datetime.combine(date(2026, 1, 5), start, tzinfo=local)
        return Region(name, local, start, end, users, anchor=anchor)

    return [
        region("APAC", "Australia/Sydney", (9, 17), ["ana", "ali"]),
        region("EMEA", "Europe/London", (6, 14), ["eve", "eli"]),
        region("AMER", "America/New_York", (9, 17), ["amy", "abe"]),
    ]


def schedule() -> Schedule:
    """The follow-the-sun schedule the demo prints and pages from."""
    return follow_the_sun(SCHEDULE, regions())


def user_zones() -> dict[str, tzinfo]:
    """Each responder's own zone: their region's, and London for the manager."""
    zones: dict[str, tzinfo] = {MANAGER: MANAGER_ZONE}
    for region in regions():
        zones.update((user, region.tz) for user in region.users if user is not None)
    return zones


def escalation_policy() -> EscalationPolicy:
    """Page the follow-the-sun primary, then the manager after 10 minutes; twice round."""
    return EscalationPolicy(
        "ops",
        [
            EscalationLevel([ScheduleTarget(SCHEDULE)], _LEVEL_DELAY),
            EscalationLevel([UserTarget(MANAGER)], _LEVEL_DELAY),
        ],
        loops=1,
    )


def noise_policy(now: datetime) -> NoisePolicy:
    """Route everything to ``ops`` except debug alerts, which a silence mutes."""
    catalog = ServiceCatalog(
        [
            Service("ops", "Operations", escalation_policy="ops"),
            Service("sandbox", "Alert-rule experiments"),
        ]
    )
    tree = RoutingTree(Route(service="ops", routes=(Route('debug="true"', service="sandbox"),)))
    silence = Silence(
        "sil-1",
        ['debug="true"'],
        now - timedelta(hours=1),
        now + timedelta(hours=3),
        created_by="eve",
        comment="rule tuning",
    )
    return NoisePolicy(router=Router(tree=tree, catalog=catalog), silences=SilenceSet([silence]))


@attrs.frozen
class Arrival:
    """One parsed event, the instant the demo replays it, and the source that sent it."""

    at: datetime
    source: str
    event: Event


def arrivals(now: datetime) -> tuple[Arrival, ...]:
    """The story's events in order: each payload parsed, at the instant we replay it."""
    start = now.astimezone(UTC)
    fire = parse("alertmanager", payload("alertmanager-firing"))
    debug = parse("grafana", payload("grafana-firing"))
    resolved = parse("alertmanager", payload("alertmanager-resolved"))
    timed = [
        *((start, "alertmanager", e) for e in fire),
        *((start + _GRAFANA_AFTER, "grafana", e) for e in debug),
        *((start + _RESEND_AFTER, "alertmanager", e) for e in fire),
        *((start + _RESOLVED_AFTER, "alertmanager", e) for e in resolved),
    ]
    return tuple(Arrival(at, source, event) for at, source, event in timed)


def commands_for(verdicts: Iterable[Verdict]) -> list[At]:
    """The escalation commands the noise verdicts ask for.

    A verdict that paged opens an incident (named as the noise pipeline named it); an
    acknowledge or resolve that reached its incident is passed on.  Nothing else
    reaches escalation: duplicates, suppressed, held and dropped events page nobody.
    """
    commands: list[At] = []
    for verdict in verdicts:
        if verdict.outcome is Outcome.PAGED:
            trigger = Trigger(
                verdict.event,
                service=verdict.service,
                incident_id=verdict.incident,
                urgency=verdict.urgency,
            )
            commands.append(At(verdict.at, trigger))
        elif verdict.outcome is Outcome.UPDATED:
            commands.append(At(verdict.at, from_event(verdict.event, service=verdict.service)))
    return commands


@attrs.frozen
class IncidentRun:
    """Everything the demo's story produced, for the command line and the tests."""

    now: datetime
    arrivals: tuple[Arrival, ...]
    replay: Replay
    silences: SilenceSet
    timeline: Timeline
    outage: timedelta
    budget: ErrorBudget
    burn_rate: Fraction


def run_incident(now: datetime) -> IncidentRun:
    """Run the story from ``now``: parse, route and de-noise, escalate, and count the cost."""
    policy = noise_policy(now)
    story = arrivals(now)
    replay = policy.replay((a.at, a.event) for a in story)
    commands = commands_for(replay.verdicts)
    on_call = {SCHEDULE: schedule()}
    escalation = escalation_policy()
    # Whoever is paged first acknowledges 12 minutes after the page: ask the
    # simulation who that is, then run the whole story with the acknowledgement.
    [opened] = [c for c in commands if isinstance(c.command, Trigger)]
    first = simulate(escalation, commands, on_call, until=opened.at).notifications[0]
    ack = At(opened.at + _ACK_AFTER, Acknowledge(first.user), incident=first.notify.incident)
    timeline = simulate(escalation, [*commands, ack], on_call)
    [closed] = [e for e in timeline.entries if isinstance(e.command, Resolve)]
    outage = closed.at - opened.at
    down = math.ceil(outage / _SLICE)
    slices = SLO_PERIOD // _SLICE
    budget = ErrorBudget.from_counts(SLO_TARGET, SLO_PERIOD, good=slices - down, total=slices)
    burning = burn_rate(0, down, SLO_TARGET)
    assert burning is not None  # noqa: S101 - down > 0: the window has data
    return IncidentRun(
        now=now,
        arrivals=story,
        replay=replay,
        silences=policy.silences,
        timeline=timeline,
        outage=outage,
        budget=budget,
        burn_rate=burning,
    )
