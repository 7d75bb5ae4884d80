"""The twelve escalation decisions of DESIGN.md, one named test (or two) each.

Where the references disagree (reference/escalation.md section 1.6) tocsin picks one
behaviour; each test pins it with the expected values written out.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tocsin.escalation import (
    Acknowledge,
    AppendLog,
    CancelTimer,
    Dropped,
    DropReason,
    EscalationLevel,
    EscalationPolicy,
    Incident,
    LogKind,
    NobodyOnCall,
    NotifyReason,
    Reassign,
    Resolve,
    ScheduleTarget,
    Status,
    TimerFired,
    TimerKind,
    Transition,
    Trigger,
    Unassigned,
    UserTarget,
    simulate,
    step,
)
from tocsin.events import Event
from tocsin.testing import FakeSchedule

T0 = datetime(2025, 3, 10, 9, tzinfo=UTC)
ON_CALL = {
    "primary": FakeSchedule("alice"),
    "secondary": FakeSchedule("bob"),
    "empty": FakeSchedule(None),
}


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def event(key: str = "db1/disk") -> Event:
    return Event(
        action="trigger", dedup_key=key, summary=f"{key} is failing", source="db1", severity="error"
    )


def level(*targets: str, delay: int = 10) -> EscalationLevel:
    """Targets named "schedule:x" are schedules, others users."""
    return EscalationLevel(
        [
            ScheduleTarget(t.removeprefix("schedule:"))
            if t.startswith("schedule:")
            else UserTarget(t)
            for t in targets
        ],
        timedelta(minutes=delay),
    )


POLICY = EscalationPolicy(
    "db", [level("schedule:primary"), level("schedule:secondary"), level("carol")]
)


def trigger(
    key: str = "db1/disk", service: str = "checkout", policy: EscalationPolicy = POLICY
) -> Trigger:
    return Trigger(event(key), service=service, policy=policy)


def opened(
    policy: EscalationPolicy = POLICY, on_call: dict[str, FakeSchedule] = ON_CALL
) -> Transition:
    return step(None, trigger(policy=policy), T0, on_call)


def incident_of(transition: Transition) -> Incident:
    assert transition.incident is not None
    return transition.incident


def notified(transition: Transition) -> list[tuple[str, int | None, NotifyReason]]:
    return [(n.user, n.level, n.reason) for n in transition.notifications]


def pending(incident: Incident) -> list[tuple[TimerKind, datetime]]:
    return [(p.timer.kind, p.at) for p in incident.timers]


def fire(incident: Incident, kind: TimerKind) -> Transition:
    (timer,) = [p for p in incident.timers if p.timer.kind is kind]
    return step(incident, TimerFired(timer.timer), timer.at, ON_CALL)


def pages(
    policy: EscalationPolicy,
    commands: list[tuple[datetime, object]],
    on_call: dict[str, FakeSchedule] = ON_CALL,
) -> list[tuple[datetime, str, int | None]]:
    timeline = simulate(policy, commands, on_call)  # type: ignore[arg-type]
    return [(n.at, n.user, n.level) for n in timeline.notifications]


def test_decision_01_duplicate_trigger_logs_and_counts_without_paging() -> None:
    first = incident_of(opened())
    again = step(first, trigger(), at(2), ON_CALL)
    incident = incident_of(again)
    assert [type(e) for e in again.effects] == [AppendLog]
    assert again.effects[0].entry.kind is LogKind.DUPLICATE  # type: ignore[union-attr]
    assert incident.status is Status.TRIGGERED
    assert incident.alert_count == 2
    # Escalation is not restarted: the level-1 timer is the one set at T0.
    assert pending(incident) == [(TimerKind.LEVEL, at(10))]
    assert incident.timers == first.timers


def test_decision_02_ack_or_resolve_with_no_open_incident_is_dropped_with_a_reason() -> None:
    for command in (Resolve(service="checkout", dedup_key="db1/disk"), Acknowledge("alice")):
        result = step(None, command, T0, ON_CALL)
        assert result.incident is None
        assert [type(e) for e in result.effects] == [Dropped]
        assert result.effects[0].reason is DropReason.NO_OPEN_INCIDENT  # type: ignore[union-attr]
    closed = incident_of(step(incident_of(opened()), Resolve("alice"), at(1), ON_CALL))
    late = step(closed, Resolve(service="checkout", dedup_key="db1/disk"), at(2), ON_CALL)
    assert late.incident is closed  # untouched: not even a log entry
    assert late.effects == (Dropped(DropReason.NO_OPEN_INCIDENT, late.effects[0].detail),)  # type: ignore[union-attr]


def test_decision_03_trigger_after_resolve_opens_a_new_incident() -> None:
    old = incident_of(step(incident_of(opened()), Resolve("alice"), at(5), ON_CALL))
    reopened = step(old, trigger(), at(6), ON_CALL)
    new = incident_of(reopened)
    assert new.id != old.id
    assert new.id == "checkout/db1/disk/2025-03-10T09:06:00Z"
    assert new.status is Status.TRIGGERED
    assert old.status is Status.RESOLVED
    assert notified(reopened) == [("alice", 1, NotifyReason.TRIGGERED)]


def test_decision_04_ack_timeout_restarts_from_level_1_by_default() -> None:
    policy = EscalationPolicy(
        "db", [level("alice"), level("bob")], ack_timeout=timedelta(minutes=30)
    )
    at_level_2 = incident_of(fire(incident_of(opened(policy)), TimerKind.LEVEL))
    acked = incident_of(step(at_level_2, Acknowledge("bob"), at(12), ON_CALL))
    assert pending(acked) == [(TimerKind.ACK_TIMEOUT, at(42))]
    timed_out = fire(acked, TimerKind.ACK_TIMEOUT)
    incident = incident_of(timed_out)
    assert incident.status is Status.TRIGGERED
    assert (incident.level, incident.loop) == (1, 0)
    # The acker hears first, then level 1 is paged again from the top.
    assert notified(timed_out) == [
        ("bob", 1, NotifyReason.ACK_TIMEOUT),
        ("alice", 1, NotifyReason.ACK_TIMEOUT),
    ]
    assert pending(incident) == [(TimerKind.LEVEL, at(52))]


def test_decision_04_ack_timeout_resumes_at_the_same_level_when_asked() -> None:
    policy = EscalationPolicy(
        "db",
        [level("alice"), level("bob")],
        on_ack_timeout="resume",
        ack_timeout=timedelta(minutes=30),
    )
    at_level_2 = incident_of(fire(incident_of(opened(policy)), TimerKind.LEVEL))
    acked = incident_of(step(at_level_2, Acknowledge("bob"), at(12), ON_CALL))
    timed_out = fire(acked, TimerKind.ACK_TIMEOUT)
    incident = incident_of(timed_out)
    assert incident.level == 2
    # Bob is both the acker and level 2's on-call: one notification, not two.
    assert notified(timed_out) == [("bob", 2, NotifyReason.ACK_TIMEOUT)]
    assert pending(incident) == [(TimerKind.LEVEL, at(52))]


def test_decision_05_empty_level_is_skipped_at_once_by_default() -> None:
    policy = EscalationPolicy("db", [level("schedule:empty"), level("bob")])
    result = opened(policy)
    assert notified(result) == [("bob", 2, NotifyReason.TRIGGERED)]
    assert NobodyOnCall(result.incident.id, 1, ("empty",)) in result.effects  # type: ignore[union-attr]
    # Level 2's delay counts from now, when it was entered.
    assert pending(incident_of(result)) == [(TimerKind.LEVEL, at(10))]


def test_decision_05_empty_level_waits_its_delay_when_asked() -> None:
    policy = EscalationPolicy(
        "db", [level("schedule:empty", delay=15), level("bob")], empty_level="wait"
    )
    assert pages(policy, [(T0, trigger(policy=policy))]) == [(at(15), "bob", 2)]


def test_decision_06_nobody_on_call_at_any_level_opens_an_unassigned_incident() -> None:
    policy = EscalationPolicy("db", [level("schedule:empty"), level("schedule:empty")])
    result = opened(policy)
    incident = incident_of(result)
    assert incident.status is Status.TRIGGERED
    assert incident.assignees == ()
    assert result.notifications == ()
    assert [e for e in result.effects if isinstance(e, NobodyOnCall | Unassigned)] == [
        NobodyOnCall(incident.id, 1, ("empty",)),
        NobodyOnCall(incident.id, 2, ("empty",)),
        Unassigned(incident.id),
    ]
    # The path is not burnt in one instant: it waits at the level reached, to try again.
    assert pending(incident) == [(TimerKind.LEVEL, at(10))]


def test_decision_07_same_person_on_two_levels_is_notified_again_at_each_level() -> None:
    policy = EscalationPolicy("db", [level("alice", delay=5), level("alice", "bob")])
    first = opened(policy)
    second = fire(incident_of(first), TimerKind.LEVEL)
    assert notified(first) == [("alice", 1, NotifyReason.TRIGGERED)]
    assert notified(second) == [
        ("alice", 2, NotifyReason.ESCALATED),
        ("bob", 2, NotifyReason.ESCALATED),
    ]
    keys = {n.idempotency_key for n in (*first.notifications, *second.notifications)}
    assert len(keys) == 3


def test_decision_07_identical_pending_notifications_are_collapsed() -> None:
    # Alice is named directly and is also the primary on-call: one page, not two.
    policy = EscalationPolicy("db", [level("alice", "schedule:primary", "alice")])
    assert notified(opened(policy)) == [("alice", 1, NotifyReason.TRIGGERED)]


def test_decision_08_the_policy_is_snapshotted_when_the_incident_triggers() -> None:
    incident = incident_of(opened())
    edited = EscalationPolicy("db", [level("zoe")])
    # A later trigger carrying the edited policy does not change the running incident.
    after_duplicate = incident_of(step(incident, trigger(policy=edited), at(1), ON_CALL))
    assert after_duplicate.policy is POLICY
    # Re-escalating with the new policy is an explicit command: level 1, loop 0.
    reassigned = step(after_duplicate, Reassign(policy=edited), at(2), ON_CALL)
    assert incident_of(reassigned).policy is edited
    assert notified(reassigned) == [("zoe", 1, NotifyReason.REASSIGNED)]


def test_decision_09_loops_count_repeats_after_the_last_level() -> None:
    policy = EscalationPolicy("db", [level("alice"), level("bob")], loops=2)
    assert policy.passes == 3
    users = [user for _, user, _ in pages(policy, [(T0, trigger(policy=policy))])]
    assert users == ["alice", "bob"] * 3


def test_decision_10_a_levels_delay_counts_from_entering_that_level() -> None:
    policy = EscalationPolicy("db", [level("alice", delay=10), level("bob", delay=25)])
    commands = [(T0, trigger(policy=policy))]
    # Level 2 entered at T+10: its 25 minutes run to T+35, not T0+35 minus anything.
    timeline = simulate(policy, commands, ON_CALL)
    incident = next(iter(timeline.incidents.values()))
    log = [(e.at, e.kind) for e in incident.log if e.kind is LogKind.EXHAUSTED]
    assert log == [(at(35), LogKind.EXHAUSTED)]


def test_decision_11_alerts_grouped_into_an_acknowledged_incident_do_not_notify() -> None:
    acked = incident_of(step(incident_of(opened()), Acknowledge("alice"), at(1), ON_CALL))
    grouped = step(acked, trigger("db1/inodes"), at(3), ON_CALL)
    incident = incident_of(grouped)
    assert grouped.notifications == ()
    assert incident.status is Status.ACKNOWLEDGED
    assert incident.alert_count == 2
    assert [a.dedup_key for a in incident.open_alerts] == ["db1/disk", "db1/inodes"]
    assert incident.log[-1].kind is LogKind.GROUPED


def test_decision_12_ack_or_resolve_from_another_scope_is_dropped() -> None:
    incident = incident_of(opened())
    for command in (
        Acknowledge(service="billing", dedup_key="db1/disk"),
        Resolve(service="billing", dedup_key="db1/disk"),
    ):
        result = step(incident, command, at(1), ON_CALL)
        assert result.incident is incident
        assert [e.reason for e in result.effects] == [DropReason.OTHER_SCOPE]  # type: ignore[union-attr]
    # And a trigger with the same key from another scope is another incident.
    other = incident_of(step(incident, trigger(service="billing"), at(2), ON_CALL))
    assert other.id != incident.id
    assert other.service == "billing"


def test_decision_12_same_scope_event_finds_its_alert() -> None:
    incident = incident_of(opened())
    result = step(incident, Resolve(service="checkout", dedup_key="db1/disk"), at(1), ON_CALL)
    assert incident_of(result).status is Status.RESOLVED
    assert [type(e) for e in result.effects] == [CancelTimer, AppendLog]
