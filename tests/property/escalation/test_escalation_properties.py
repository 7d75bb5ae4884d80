"""Properties of escalation: the unattended timeline, the strategies, support hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.errors import InvalidInput, InvalidTransition
from tocsin.escalation import (
    Acknowledge,
    Command,
    EscalationPolicy,
    Incident,
    LogKind,
    Status,
    TimerKind,
    Trigger,
    Urgency,
    UserTarget,
    simulate,
    step,
)
from tocsin.events import Event
from tocsin.testing import aware_datetimes, escalation_policies, incidents, on_call_maps

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tocsin.protocols import OnCallSchedule

T0 = datetime(2025, 3, 10, 9, tzinfo=UTC)


def trigger(key: str = "k") -> Trigger:
    event = Event(action="trigger", dedup_key=key, summary=key, source="h", severity="error")
    return Trigger(event, service="svc")


def unattended(policy: EscalationPolicy) -> EscalationPolicy:
    """The same levels with only the options that change an unattended timeline off."""
    return attrs.evolve(
        policy, ack_timeout=None, auto_resolve=None, support_hours=None, urgency_rule=None
    )


@given(escalation_policies(schedules=()))
def test_an_unattended_incident_pages_every_level_of_every_pass_at_prefix_sums(
    policy: EscalationPolicy,
) -> None:
    # Decisions 9 and 10: passes = loops + 1, each level's delay counted from entering
    # it, so level l of pass p is entered at (p * total) + sum of the delays before l.
    policy = unattended(policy)
    timeline = simulate(policy, [(T0, trigger())], {})
    expected: list[tuple[datetime, str, int]] = []
    elapsed = timedelta(0)
    for _ in range(policy.passes):
        for number, level in enumerate(policy.levels, start=1):
            users = dict.fromkeys(t.user for t in level.targets if isinstance(t, UserTarget))
            expected.extend((T0 + elapsed, user, number) for user in users)
            elapsed += level.delay
    assert [(n.at, n.user, n.level) for n in timeline.notifications] == expected
    (incident,) = timeline.incidents.values()
    assert incident.status is Status.TRIGGERED
    assert incident.log[-1].kind is LogKind.EXHAUSTED
    assert incident.log[-1].at == T0 + elapsed


@given(escalation_policies(), on_call_maps())
def test_every_notification_key_is_unique_and_replays_identically(
    policy: EscalationPolicy, on_call: Mapping[str, OnCallSchedule]
) -> None:
    commands = [(T0 + timedelta(minutes=i), trigger(f"k{i % 3}")) for i in range(6)]
    first = simulate(policy, commands, on_call)
    keys = [n.notify.idempotency_key for n in first.notifications]
    assert len(keys) == len(set(keys))
    assert simulate(policy, commands, on_call) == first


@settings(max_examples=100)
@given(incidents())
def test_drawn_incidents_are_states_the_constructor_accepts(incident: Incident) -> None:
    assert Incident(**attrs.asdict(incident, recurse=False)) == incident
    assert incident.loop <= incident.policy.loops
    if not incident.is_open:
        assert incident.timers == ()


@st.composite
def hours_policies(draw: st.DrawFn) -> EscalationPolicy:
    policy = draw(escalation_policies(schedules=()).filter(lambda p: p.support_hours is not None))
    return attrs.evolve(policy, urgency_rule=None)


@given(hours_policies(), aware_datetimes())
def test_support_hours_decide_urgency_and_raise_it_when_they_begin(
    policy: EscalationPolicy, now: datetime
) -> None:
    hours = policy.support_hours
    assert hours is not None
    incident = step(None, attrs.evolve(trigger(), policy=policy), now, {}).incident
    assert incident is not None
    raises = [p.at for p in incident.timers if p.timer.kind is TimerKind.URGENCY]
    if hours.covers(now):
        assert incident.urgency is Urgency.HIGH
        assert raises == []
    else:
        assert incident.urgency is Urgency.LOW
        begins = hours.next_change(now)
        assert begins is not None
        assert raises == [begins]
        assert hours.covers(begins)


#: Instants within a few days of datetime's ends, at the offsets furthest from UTC.
_EDGE_DAYS = st.integers(0, 20).map(lambda d: timedelta(days=d, minutes=7 * d))
_NEAR_ENDS = st.one_of(
    _EDGE_DAYS.map(lambda d: datetime(1, 1, 1) + d),  # given a zone below
    _EDGE_DAYS.map(lambda d: datetime(9999, 12, 31, 23, 59) - d),
)
_OFFSETS = st.sampled_from((UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))))


@settings(max_examples=60)
@given(
    escalation_policies(),
    on_call_maps(),
    st.builds(lambda wall, tz: wall.replace(tzinfo=tz), _NEAR_ENDS, _OFFSETS),
    st.integers(0, 60),
)
def test_near_the_ends_of_datetimes_range_a_run_fails_only_with_typed_errors(
    policy: EscalationPolicy, on_call: Mapping[str, OnCallSchedule], now: datetime, later: int
) -> None:
    # Every instant Python can hold is a valid argument or a typed error naming it:
    # never an OverflowError from a timer set past the year 9999.
    ack = now if now.year == 9999 else now + timedelta(minutes=later)
    commands: list[tuple[datetime, Command]] = [(now, trigger()), (ack, Acknowledge("alice"))]
    try:
        timeline = simulate(policy, commands, on_call)
    except (InvalidInput, InvalidTransition):
        return
    assert timeline.entries[0].incident is not None
