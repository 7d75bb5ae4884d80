"""tocsin's main job end to end: payload in, noise and routing, escalation, SLO cost.

The pipeline is the one ``tocsin demo`` runs (``tocsin._demo``), built here again
from the public API so that each step's answer is written out: real payloads from
``tests/fixtures`` are parsed, routed and de-noised by a ``NoisePolicy``, the pages
drive ``tocsin.escalation.simulate`` against a follow-the-sun ``Schedule``, and the
outage is priced with ``tocsin.slo``.  Then a property runs generated streams,
schedules and policies through the same wiring and checks what must hold across the
domains.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.escalation import (
    Acknowledge,
    AppendLog,
    At,
    CancelTimer,
    EscalationLevel,
    EscalationPolicy,
    LogKind,
    NobodyOnCall,
    Notify,
    NotifyReason,
    Resolve,
    ScheduleTarget,
    Status,
    Timeline,
    Trigger,
    UserTarget,
    from_event,
    simulate,
)
from tocsin.events import Action, Event, Severity
from tocsin.integrations import parse
from tocsin.noise import NoisePolicy, Outcome, ReasonKind, Silence, SilenceSet, Verdict
from tocsin.routing import Route, Router, RoutingTree
from tocsin.schedules import Region, Schedule, follow_the_sun
from tocsin.services import Service, ServiceCatalog
from tocsin.slo import ErrorBudget, burn_rate
from tocsin.testing import (
    escalation_policies,
    labelled_events,
    routing_trees,
    schedules,
    silences,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

FIRE = "88cbf0084cf27726"  # Alertmanager's fingerprint of {alertname="Fire", severity="critical"}
DEBUG = "grafana-org-1/e6349a25f5ef0e9e"  # Grafana's fingerprint, scoped by organisation


def load(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def utc(day: int, hour: int, minute: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def region(name: str, tz: str, hours: tuple[int, int], users: list[str]) -> Region:
    local = ZoneInfo(tz)
    start = time(hours[0])
    anchor = datetime.combine(date(2026, 1, 5), start, tzinfo=local)
    return Region(name, local, start, time(hours[1]), users, anchor=anchor)


# The demo's schedule: three regions' office hours, weekly rotations from 5 January.
FOLLOW_THE_SUN = follow_the_sun(
    "follow-the-sun",
    [
        region("APAC", "Australia/Sydney", (9, 17), ["ana", "ali"]),
        region("EMEA", "Europe/London", (6, 14), ["eve", "eli"]),
        region("AMER", "America/New_York", (9, 17), ["amy", "abe"]),
    ],
)
ON_CALL = {"follow-the-sun": FOLLOW_THE_SUN}
POLICY = EscalationPolicy(
    "ops",
    [
        EscalationLevel([ScheduleTarget("follow-the-sun")], timedelta(minutes=10)),
        EscalationLevel([UserTarget("mia")], timedelta(minutes=10)),
    ],
    loops=1,
)
ROUTER = Router(
    tree=RoutingTree(Route(service="ops", routes=(Route('debug="true"', service="sandbox"),))),
    catalog=ServiceCatalog([Service("ops", "Operations"), Service("sandbox", "Experiments")]),
)


def noise(now: datetime) -> NoisePolicy:
    silence = Silence("sil-1", ['debug="true"'], now - timedelta(hours=1), now + timedelta(hours=3))
    return NoisePolicy(router=ROUTER, silences=SilenceSet([silence]))


def stream(now: datetime, resolved_after: int = 40) -> list[tuple[datetime, Event]]:
    """Fire at ``now``, a debug alert 2 min later, Fire re-sent at 5, resolved at 40."""
    fire = parse("alertmanager", load("alertmanager/metalmatze-firing-endsat-set.json"))
    debug = parse("grafana", load("grafana/zulip-unified-v11-values-image.json"))
    resolved = parse("alertmanager", load("alertmanager/metalmatze-resolved.json"))
    minutes = [(0, fire), (2, debug), (5, fire), (resolved_after, resolved)]
    return [(now + timedelta(minutes=m), e) for m, events in minutes for e in events]


def escalation_commands(verdicts: tuple[Verdict, ...]) -> list[At]:
    """What reaches escalation: a page opens an incident; an ack or resolve updates it."""
    commands = []
    for v in verdicts:
        if v.outcome is Outcome.PAGED:
            trigger = Trigger(v.event, service=v.service, incident_id=v.incident, urgency=v.urgency)
            commands.append(At(v.at, trigger))
        elif v.outcome is Outcome.UPDATED:
            commands.append(At(v.at, from_event(v.event, service=v.service)))
    return commands


def run(
    now: datetime, *, ack: tuple[str, timedelta] | None, resolved_after: int = 40
) -> tuple[tuple[Verdict, ...], Timeline]:
    verdicts = noise(now).replay(stream(now, resolved_after)).verdicts
    commands = escalation_commands(verdicts)
    if ack is not None:
        who, after = ack
        commands.append(At(now + after, Acknowledge(who), incident="I1"))
    return verdicts, simulate(POLICY, commands, ON_CALL)


def pages(timeline: Timeline) -> list[tuple[datetime, str, int | None]]:
    return [(n.at, n.user, n.level) for n in timeline.notifications]


# -- intake -------------------------------------------------------------------------


def test_intake_turns_the_three_payloads_into_events() -> None:
    events = [e for _, e in stream(utc(10, 14, 0))]
    assert [(e.action, e.dedup_key, e.severity, e.summary) for e in events] == [
        (Action.TRIGGER, FIRE, Severity.CRITICAL, "Something is on fire"),
        # Grafana's alert has no severity label: the Grafana parser's default.
        (Action.TRIGGER, DEBUG, Severity.ERROR, "High memory usage"),
        (Action.TRIGGER, FIRE, Severity.CRITICAL, "Something is on fire"),
        # The resolved payload is the same alert: same labels, so the same fingerprint.
        (Action.RESOLVE, FIRE, Severity.CRITICAL, "Something is on fire"),
    ]
    assert events[1].labels["debug"] == "true"


# -- noise and routing --------------------------------------------------------------


def test_noise_pages_once_silences_the_debug_alert_and_counts_the_resend() -> None:
    verdicts, _ = run(utc(10, 14, 0), ack=None)
    assert [(v.at, v.service, v.outcome, v.incident) for v in verdicts] == [
        (utc(10, 14, 0), "ops", Outcome.PAGED, "I1"),
        (utc(10, 14, 2), "sandbox", Outcome.SUPPRESSED, None),
        (utc(10, 14, 5), "ops", Outcome.DUPLICATE, "I1"),
        (utc(10, 14, 40), "ops", Outcome.UPDATED, "I1"),
    ]
    silenced = verdicts[1]
    assert silenced.muted
    assert [(r.kind, r.ref) for r in silenced.reasons] == [
        (ReasonKind.ROUTING, None),
        (ReasonKind.SILENCE, "sil-1"),
    ]


# -- escalation ---------------------------------------------------------------------


def test_march_10_pages_the_new_york_primary_then_the_manager_until_the_ack() -> None:
    # 14:00Z is 10:00 EDT: abe has the AMER week of 9 March.  Mia is paged when level
    # 1's 10 minutes run out; abe's ack at 14:12 cancels the second pass.
    _, timeline = run(utc(10, 14, 0), ack=("abe", timedelta(minutes=12)))
    assert pages(timeline) == [(utc(10, 14, 0), "abe", 1), (utc(10, 14, 10), "mia", 2)]
    ack = next(e for e in timeline.entries if isinstance(e.command, Acknowledge))
    assert ack.at == utc(10, 14, 12)
    assert [type(effect) for effect in ack.effects if isinstance(effect, CancelTimer)] == [
        CancelTimer
    ]
    incident = timeline.incidents["I1"]
    assert (incident.status, incident.acknowledged_by) == (Status.RESOLVED, ("abe",))
    last = timeline.entries[-1]
    assert (last.at, type(last.command), last.incident) == (utc(10, 14, 40), Resolve, "I1")


def test_without_an_ack_the_second_pass_ends_before_the_resolve() -> None:
    # Two passes of 10-minute levels: 14:00, 14:10, 14:20, 14:30, then nothing left to
    # fire; the resolve at 14:40 finds no pending timer and pages nobody.
    _, timeline = run(utc(10, 14, 0), ack=None)
    assert pages(timeline) == [
        (utc(10, 14, 0), "abe", 1),
        (utc(10, 14, 10), "mia", 2),
        (utc(10, 14, 20), "abe", 1),
        (utc(10, 14, 30), "mia", 2),
    ]
    assert [n.reason for n in timeline.notifications] == [
        NotifyReason.TRIGGERED,
        NotifyReason.ESCALATED,
        NotifyReason.REPEATED,
        NotifyReason.ESCALATED,
    ]
    assert timeline.incidents["I1"].status is Status.RESOLVED


def test_a_resolve_mid_escalation_stops_every_later_page() -> None:
    # Nobody acknowledges, and the resolve comes 5 minutes into level 2: the second
    # pass (abe at 14:20, mia at 14:30) never goes out.
    _, timeline = run(utc(10, 14, 0), ack=None, resolved_after=15)
    assert pages(timeline) == [(utc(10, 14, 0), "abe", 1), (utc(10, 14, 10), "mia", 2)]
    resolve = next(e for e in timeline.entries if isinstance(e.command, Resolve))
    assert resolve.at == utc(10, 14, 15)
    assert [type(effect) for effect in resolve.effects] == [CancelTimer, AppendLog]
    assert timeline.entries[-1] is resolve
    assert timeline.incidents["I1"].timers == ()


def test_in_the_evening_gap_level_1_is_skipped_and_the_next_pass_finds_sydney() -> None:
    # New York's day ends at 21:00Z (17:00 EDT) and Sydney's starts at 22:00Z (09:00
    # AEDT): at 21:55Z nobody is on call, so mia is paged at once.  The second pass
    # enters level 1 at 22:05Z, when ali (APAC week of 9 March) is on call.
    _, timeline = run(utc(10, 21, 55), ack=("mia", timedelta(minutes=12)))
    assert pages(timeline) == [(utc(10, 21, 55), "mia", 2), (utc(10, 22, 5), "ali", 1)]
    trigger = timeline.entries[0]
    assert NobodyOnCall("I1", 1, ("follow-the-sun",)) in trigger.effects


def test_the_same_utc_instant_pages_london_before_and_new_york_after_the_us_dst_change() -> None:
    # 13:30Z on Saturday 7 March is 13:30 GMT (EMEA, eve's week) and 08:30 EST (AMER
    # not yet on).  New York springs forward on Sunday 8 March: 13:30Z is then 09:30
    # EDT, AMER is on, and the later-listed region wins the overlap: amy's week.
    _, saturday = run(utc(7, 13, 30), ack=None)
    _, sunday = run(utc(8, 13, 30), ack=None)
    assert pages(saturday)[0] == (utc(7, 13, 30), "eve", 1)
    assert pages(sunday)[0] == (utc(8, 13, 30), "amy", 1)


# -- SLO ----------------------------------------------------------------------------


def test_the_outage_prices_at_25_27ths_of_a_99_9_percent_monthly_budget() -> None:
    _, timeline = run(utc(10, 14, 0), ack=("abe", timedelta(minutes=12)))
    opened, closed = timeline.entries[0].at, timeline.entries[-1].at
    down = (closed - opened) // timedelta(minutes=1)
    assert down == 40
    slices = 30 * 24 * 60
    budget = ErrorBudget.from_counts("99.9%", timedelta(days=30), good=slices - down, total=slices)
    # 40 bad minutes of the 43.2 the target allows.
    assert budget.allowed_time == timedelta(minutes=43, seconds=12)
    assert budget.consumed == Fraction(25, 27)
    assert burn_rate(0, down, "99.9%") == 1000


# -- the property -------------------------------------------------------------------

_BASE = datetime(2026, 3, 7, 12, tzinfo=UTC)  # the weekend New York springs forward
_ENTERING = {NotifyReason.TRIGGERED, NotifyReason.ESCALATED, NotifyReason.REPEATED}


@st.composite
def alert_streams(draw: st.DrawFn) -> list[tuple[datetime, Event]]:
    """Triggers and resolves of a few alerts, minutes apart, around ``_BASE``."""
    items = draw(
        st.lists(
            st.tuples(st.integers(0, 180), labelled_events(), st.booleans()),
            min_size=1,
            max_size=12,
        )
    )
    timed = [
        (_BASE + timedelta(minutes=m), attrs.evolve(e, action="resolve") if resolve else e)
        for m, e, resolve in items
    ]
    return sorted(timed, key=lambda pair: pair[0])


@settings(max_examples=100)
@given(
    schedule=schedules(),
    policy=escalation_policies(schedules=("primary",)),
    tree=routing_trees(),
    muting=st.lists(silences(ids=st.sampled_from(("s1", "s2", "s3")), base=_BASE), max_size=3),
    alerts=alert_streams(),
    acks=st.lists(st.tuples(st.integers(0, 7), st.integers(1, 240)), max_size=3),
)
def test_every_page_goes_to_someone_on_call_and_none_after_resolve(
    *,
    schedule: Schedule,
    policy: EscalationPolicy,
    tree: RoutingTree,
    muting: list[Silence],
    alerts: list[tuple[datetime, Event]],
    acks: list[tuple[int, int]],
) -> None:
    unique = {s.id: s for s in muting}
    noise_policy = NoisePolicy(router=Router(tree=tree), silences=SilenceSet(unique.values()))
    verdicts = noise_policy.replay(alerts).verdicts
    paged = [v for v in verdicts if v.outcome is Outcome.PAGED]
    commands = escalation_commands(verdicts)
    # Someone acknowledges some of the pages, minutes later (perhaps after a resolve).
    for which, minutes in acks:
        if which < len(paged):
            ack = At(paged[which].at + timedelta(minutes=minutes), Acknowledge("someone"))
            commands.append(attrs.evolve(ack, incident=paged[which].incident))
    timeline = simulate(policy, commands, {"primary": schedule})

    # A muted alert never pages, and every page opens exactly one escalation incident.
    assert not any(v.muted for v in paged)
    assert sorted(timeline.incidents) == sorted(v.incident or "" for v in paged)
    resolved: set[str] = set()
    keys: set[str] = set()
    for entry in timeline.entries:
        for effect in entry.effects:
            if isinstance(effect, AppendLog) and effect.entry.kind is LogKind.RESOLVED:
                resolved.add(effect.incident)
            if not isinstance(effect, Notify):
                continue
            # Nobody is paged about an incident once it has resolved, nor twice alike.
            assert effect.incident not in resolved, (entry.at, effect)
            assert effect.idempotency_key not in keys
            keys.add(effect.idempotency_key)
            if effect.reason in _ENTERING and effect.level is not None:
                # A level was entered: its person is a user it names, or whoever the
                # schedule has on call at that very instant.
                level = timeline.incidents[effect.incident].policy.levels[effect.level - 1]
                allowed = {t.user for t in level.targets if isinstance(t, UserTarget)}
                if ScheduleTarget("primary") in level.targets:
                    allowed.add(schedule.on_call_at(entry.at) or "")
                assert effect.user in allowed, (entry.at, effect)
    # Every alert the noise pipeline saw resolve leaves its incident resolved.
    for v in verdicts:
        if v.outcome is Outcome.UPDATED and v.event.action is Action.RESOLVE:
            assert timeline.incidents[v.incident or ""].status is Status.RESOLVED


@pytest.mark.parametrize("hour", [0, 6, 12, 18])
def test_the_wiring_names_escalation_incidents_as_the_noise_pipeline_does(hour: int) -> None:
    verdicts, timeline = run(utc(10, hour, 0), ack=None)
    assert list(timeline.incidents) == ["I1"]
    assert [c.command.__class__ for c in escalation_commands(verdicts)] == [Trigger, Resolve]
