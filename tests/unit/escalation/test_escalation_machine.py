"""The transitions beyond the twelve decisions: snooze, merge, responders, urgency,
reassignment, stale timers, illegal commands and input validation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from tocsin.errors import InvalidInput, InvalidTransition, NaiveDatetimeError
from tocsin.escalation import (
    Acknowledge,
    AddResponders,
    AlertKey,
    AppendLog,
    AssignedVia,
    CancelTimer,
    Dropped,
    DropReason,
    Escalate,
    EscalationLevel,
    EscalationPolicy,
    Incident,
    LogKind,
    Merge,
    Merged,
    NobodyOnCall,
    NotifyReason,
    Reassign,
    Resolve,
    ScheduleTarget,
    ScheduleTimer,
    SetUrgency,
    Snooze,
    Status,
    Timer,
    TimerFired,
    TimerKind,
    Transition,
    Trigger,
    Unassigned,
    Urgency,
    UserTarget,
    from_event,
    step,
)
from tocsin.events import Event
from tocsin.services import UrgencyRule
from tocsin.testing import FakeSchedule

T0 = datetime(2025, 3, 10, 9, tzinfo=UTC)
ON_CALL = {"primary": FakeSchedule("alice"), "empty": FakeSchedule(None)}
POLICY = EscalationPolicy(
    "db",
    [
        EscalationLevel([ScheduleTarget("primary")], timedelta(minutes=10)),
        EscalationLevel([UserTarget("bob")], timedelta(minutes=10)),
    ],
    ack_timeout=timedelta(minutes=30),
)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def trigger(key: str = "db1/disk", **kwargs: Any) -> Trigger:
    kwargs.setdefault("service", "checkout")
    kwargs.setdefault("policy", POLICY)
    event = Event(action="trigger", dedup_key=key, summary=key, source="db1", severity="error")
    return Trigger(event, **kwargs)


class Run:
    """Step one incident through commands, checking each transition keeps its id."""

    def __init__(self, first: Trigger | None = None, when: datetime = T0) -> None:
        self.last = step(None, first or trigger(), when, ON_CALL)
        assert self.last.incident is not None
        self.incident: Incident = self.last.incident

    def __call__(self, command: Any, when: datetime) -> Transition:
        self.last = step(self.incident, command, when, ON_CALL)
        assert self.last.incident is not None
        self.incident = self.last.incident
        return self.last

    def fire(self, kind: TimerKind) -> Transition:
        (pending,) = [p for p in self.incident.timers if p.timer.kind is kind]
        return self(TimerFired(pending.timer), pending.at)

    def status(self) -> Status:
        return self.incident.status

    def snoozed_until(self) -> datetime | None:
        return self.incident.snoozed_until

    def timers(self) -> list[tuple[TimerKind, datetime]]:
        return [(p.timer.kind, p.at) for p in self.incident.timers]


def users(transition: Transition) -> list[tuple[str, int | None, NotifyReason]]:
    return [(n.user, n.level, n.reason) for n in transition.notifications]


# --- acknowledge and snooze --------------------------------------------------------


def test_acknowledge_cancels_the_level_timer_and_starts_the_ack_timeout() -> None:
    run = Run()
    level_timer = run.incident.timers[0].timer
    result = run(Acknowledge("alice"), at(3))
    assert result.effects[0] == CancelTimer(level_timer)
    assert run.timers() == [(TimerKind.ACK_TIMEOUT, at(33))]
    assert run.incident.acknowledged_by == ("alice",)


def test_a_second_acknowledgement_restarts_the_ack_timeout() -> None:
    run = Run()
    run(Acknowledge("alice"), at(3))
    run(Acknowledge("bob"), at(20))
    assert run.timers() == [(TimerKind.ACK_TIMEOUT, at(50))]
    assert run.incident.acknowledged_by == ("alice", "bob")


def test_snooze_replaces_the_ack_timeout_and_pages_again_when_it_ends() -> None:
    run = Run()
    run(Acknowledge("alice"), at(1))
    run(Snooze(at(62), by="alice"), at(2))
    assert run.snoozed_until() == at(62)
    assert run.timers() == [(TimerKind.SNOOZE, at(62))]
    ended = run.fire(TimerKind.SNOOZE)
    assert run.status() is Status.TRIGGERED
    assert run.snoozed_until() is None
    assert users(ended) == [("alice", 1, NotifyReason.SNOOZE_ENDED)]
    assert run.timers() == [(TimerKind.LEVEL, at(72))]


def test_another_acknowledgement_ends_a_snooze() -> None:
    run = Run()
    run(Acknowledge("alice"), at(1))
    run(Snooze(at(62)), at(2))
    result = run(Acknowledge("bob"), at(5))
    assert run.snoozed_until() is None
    assert run.timers() == [(TimerKind.ACK_TIMEOUT, at(35))]
    assert any(
        isinstance(e, CancelTimer) and e.timer.kind is TimerKind.SNOOZE for e in result.effects
    )


def test_snooze_must_end_after_now() -> None:
    run = Run()
    run(Acknowledge("alice"), at(1))
    with pytest.raises(InvalidInput) as err:
        run(Snooze(at(2)), at(2))
    assert err.value.field == "until"


def test_snoozing_a_triggered_incident_is_an_invalid_transition() -> None:
    with pytest.raises(InvalidTransition, match="cannot Snooze a triggered incident"):
        Run()(Snooze(at(60)), at(1))


# --- stale and early timers ----------------------------------------------------------


def test_a_level_timer_after_an_acknowledgement_is_stale_and_only_logged() -> None:
    run = Run()
    level_timer = run.incident.timers[0]
    run(Acknowledge("alice"), at(3))
    before = run.incident
    result = run(TimerFired(level_timer.timer), level_timer.at)
    assert [type(e) for e in result.effects] == [AppendLog]
    assert run.incident.log[-1].kind is LogKind.STALE_TIMER
    assert run.status() is Status.ACKNOWLEDGED
    assert run.incident.timers == before.timers
    assert run.incident.revision == before.revision + 1


def test_a_replaced_ack_timeout_is_stale() -> None:
    run = Run()
    run(Acknowledge("alice"), at(3))
    first = run.incident.timers[0]
    run(Acknowledge("alice"), at(10))
    result = run(TimerFired(first.timer), first.at)
    assert result.notifications == ()
    assert run.status() is Status.ACKNOWLEDGED


def test_a_timer_after_resolve_is_stale() -> None:
    run = Run()
    pending = run.incident.timers[0]
    run(Resolve("alice"), at(1))
    result = run(TimerFired(pending.timer), pending.at)
    assert result.notifications == ()
    assert run.status() is Status.RESOLVED
    assert run.incident.log[-1].kind is LogKind.STALE_TIMER


def test_a_timer_fired_before_its_time_is_refused() -> None:
    run = Run()
    pending = run.incident.timers[0]
    with pytest.raises(InvalidTransition, match="due at"):
        run(TimerFired(pending.timer), at(9))


def test_a_timer_of_another_incident_is_refused() -> None:
    run = Run()
    with pytest.raises(InvalidInput) as err:
        run(TimerFired(Timer("other", TimerKind.LEVEL, 1)), at(10))
    assert err.value.field == "timer"


# --- resolve, alerts, merge ---------------------------------------------------------


def test_an_alert_resolve_waits_for_the_other_open_alerts() -> None:
    run = Run()
    run(trigger("db1/inodes"), at(1))
    first = run(Resolve(service="checkout", dedup_key="db1/disk"), at(2))
    assert run.status() is Status.TRIGGERED
    assert run.incident.open_alerts == (AlertKey("checkout", "db1/inodes"),)
    assert [type(e) for e in first.effects] == [AppendLog]
    again = run(Resolve(service="checkout", dedup_key="db1/disk"), at(3))
    assert [e.reason for e in again.effects] == [DropReason.ALERT_NOT_OPEN]  # type: ignore[union-attr]
    run(Resolve(service="checkout", dedup_key="db1/inodes"), at(4))
    assert run.status() is Status.RESOLVED


def test_a_person_resolves_the_whole_incident() -> None:
    run = Run()
    run(trigger("db1/inodes"), at(1))
    run(Resolve("alice"), at(2))
    assert run.status() is Status.RESOLVED
    assert run.incident.open_alerts == ()
    assert run.incident.timers == ()


def test_merge_resolves_the_source_and_moves_its_alerts_to_the_target() -> None:
    target = Run(trigger("web/5xx", incident_id="I1"))
    source = Run(trigger("db1/disk", incident_id="I2"), at(1))
    source(trigger("db1/disk"), at(2))
    result = source(Merge(target.incident, by="alice"), at(3))
    assert source.incident.status is Status.RESOLVED
    assert source.incident.merged_into == "I1"
    assert source.incident.timers == ()
    (merged,) = [e for e in result.effects if isinstance(e, Merged)]
    into = merged.into
    assert into.id == "I1"
    assert into.alert_count == 3
    assert into.open_alerts == (AlertKey("checkout", "web/5xx"), AlertKey("checkout", "db1/disk"))
    assert into.log[-1].kind is LogKind.MERGED_FROM
    assert into.status is Status.TRIGGERED
    assert into.revision == target.incident.revision + 1


def test_merging_into_itself_is_refused() -> None:
    run = Run()
    with pytest.raises(InvalidTransition, match="into itself"):
        run(Merge(run.incident), at(1))


def test_merge_in_step_needs_the_target_incident_not_its_id() -> None:
    run = Run()
    with pytest.raises(InvalidInput) as err:
        run(Merge("I1"), at(1))
    assert err.value.field == "into"


# --- reassign and escalate ----------------------------------------------------------


def test_reassign_to_users_pages_them_and_stops_escalating() -> None:
    run = Run()
    result = run(Reassign(["carol", "dave", "carol"], by="alice"), at(2))
    assert users(result) == [
        ("carol", None, NotifyReason.REASSIGNED),
        ("dave", None, NotifyReason.REASSIGNED),
    ]
    assert run.incident.assigned_via is AssignedVia.DIRECT_ASSIGNMENT
    assert run.timers() == []


def test_ack_timeout_on_a_directly_assigned_incident_pages_the_assignees_again() -> None:
    run = Run()
    run(Reassign(["carol"]), at(2))
    run(Acknowledge("carol"), at(3))
    result = run.fire(TimerKind.ACK_TIMEOUT)
    assert users(result) == [("carol", None, NotifyReason.ACK_TIMEOUT)]
    assert run.timers() == []


def test_reassign_to_a_policy_with_nobody_on_call_is_unassigned() -> None:
    empty = EscalationPolicy("empty", [EscalationLevel([ScheduleTarget("empty")], timedelta(1))])
    result = Run()(Reassign(policy=empty), at(2))
    assert Unassigned(result.incident.id) in result.effects  # type: ignore[union-attr]


def test_escalate_without_a_level_goes_to_the_next_and_wraps() -> None:
    run = Run()
    assert users(run(Escalate(), at(1))) == [("bob", 2, NotifyReason.MANUAL_ESCALATION)]
    assert users(run(Escalate(), at(2))) == [("alice", 1, NotifyReason.MANUAL_ESCALATION)]
    assert (run.incident.level, run.incident.loop) == (1, 0)
    assert run.timers() == [(TimerKind.LEVEL, at(12))]


def test_escalate_resumes_the_policy_after_a_direct_assignment() -> None:
    run = Run()
    run(Reassign(["carol"]), at(1))
    run(Escalate(2), at(2))
    assert run.incident.assigned_via is AssignedVia.ESCALATION_POLICY
    assert run.incident.assignees == ("bob",)


def test_escalate_beyond_the_last_level_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        Run()(Escalate(3), at(1))
    assert err.value.field == "to_level"


# --- responders and urgency ---------------------------------------------------------


def test_responders_are_paged_once_and_listed() -> None:
    other_team = EscalationPolicy(
        "storage",
        [
            EscalationLevel([ScheduleTarget("empty")], timedelta(minutes=5)),
            EscalationLevel([UserTarget("erin")], timedelta(minutes=5)),
        ],
    )
    run = Run()
    result = run(
        AddResponders(
            [UserTarget("dave"), ScheduleTarget("empty"), other_team, UserTarget("dave")]
        ),
        at(2),
    )
    assert users(result) == [
        ("dave", None, NotifyReason.RESPONDER_REQUEST),
        ("erin", None, NotifyReason.RESPONDER_REQUEST),
    ]
    assert NobodyOnCall(run.incident.id, None, ("empty",)) in result.effects
    assert run.incident.responders == ("dave", "erin")
    # Responders do not take over the escalation.
    assert run.incident.assignees == ("alice",)
    assert run.timers() == [(TimerKind.LEVEL, at(10))]


def test_a_severity_based_rule_decides_the_urgency_of_a_new_incident() -> None:
    policy = attrs.evolve(POLICY, urgency_rule=UrgencyRule(during="severity_based"))

    def opened(severity: str) -> Incident:
        event = Event(action="trigger", dedup_key="k", summary="s", source="h", severity=severity)
        result = step(None, Trigger(event, service="s", policy=policy), T0, ON_CALL)
        assert result.incident is not None
        return result.incident

    warning, error = opened("warning"), opened("error")
    assert (warning.urgency, error.urgency) == (Urgency.LOW, Urgency.HIGH)
    # No support hours, so nothing raises the warning's urgency later.
    assert [p.timer.kind for p in warning.timers] == []
    assert [p.timer.kind for p in error.timers] == [TimerKind.LEVEL]


def test_low_urgency_notifies_the_first_level_and_does_not_escalate() -> None:
    run = Run(trigger(urgency="low"))
    assert [(n.user, n.urgency) for n in run.last.notifications] == [("alice", Urgency.LOW)]
    assert run.timers() == []


def test_raising_urgency_pages_the_current_level_and_starts_escalating() -> None:
    run = Run(trigger(urgency="low"))
    result = run(SetUrgency("high", by="alice"), at(30))
    assert [(n.user, n.urgency, n.reason) for n in result.notifications] == [
        ("alice", Urgency.HIGH, NotifyReason.URGENCY_RAISED)
    ]
    assert run.timers() == [(TimerKind.LEVEL, at(40))]


def test_lowering_urgency_stops_escalating() -> None:
    run = Run()
    run(SetUrgency(Urgency.LOW), at(1))
    assert run.incident.urgency is Urgency.LOW
    assert run.timers() == []


def test_setting_the_same_urgency_only_logs() -> None:
    run = Run()
    timers = run.incident.timers
    result = run(SetUrgency("high"), at(1))
    assert [type(e) for e in result.effects] == [AppendLog]
    assert run.incident.timers == timers


def test_urgency_raised_while_acknowledged_applies_after_the_ack_times_out() -> None:
    run = Run(trigger(urgency="low"))
    run(Acknowledge("alice"), at(1))
    assert run(SetUrgency("high"), at(2)).notifications == ()
    run.fire(TimerKind.ACK_TIMEOUT)
    assert run.timers() == [(TimerKind.LEVEL, at(41))]


# --- illegal transitions and bad input ------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        Snooze(at(90)),
        Reassign(["carol"]),
        Escalate(),
        AddResponders(UserTarget("dave")),
        SetUrgency("low"),
    ],
    ids=lambda c: type(c).__name__,
)
def test_commands_on_a_resolved_incident_are_invalid_transitions(command: Any) -> None:
    run = Run()
    run(Resolve("alice"), at(1))
    with pytest.raises(InvalidTransition, match="the incident is resolved"):
        run(command, at(2))


def test_merging_a_resolved_incident_is_an_invalid_transition() -> None:
    target = Run(trigger("a", incident_id="A")).incident
    run = Run(trigger("b", incident_id="B"))
    run(Resolve("alice"), at(1))
    with pytest.raises(InvalidTransition):
        run(Merge(target), at(2))


def test_commands_other_than_trigger_ack_resolve_need_an_incident() -> None:
    with pytest.raises(InvalidTransition, match="needs an incident"):
        step(None, Escalate(), T0, ON_CALL)


def test_now_must_be_aware_and_not_before_the_last_step() -> None:
    run = Run()
    with pytest.raises(NaiveDatetimeError):
        step(None, trigger(), datetime(2025, 3, 10, 9), ON_CALL)
    with pytest.raises(InvalidInput) as err:
        run(Acknowledge("alice"), at(-1))
    assert err.value.field == "now"


def test_step_rejects_what_is_not_an_incident_or_a_command() -> None:
    with pytest.raises(InvalidInput) as err:
        step("incident", Acknowledge(), T0, ON_CALL)  # type: ignore[arg-type]
    assert err.value.field == "incident"
    with pytest.raises(InvalidInput) as err:
        step(Run().incident, "ack", at(1), ON_CALL)  # type: ignore[arg-type]
    assert err.value.field == "command"


def test_a_new_incident_needs_a_policy() -> None:
    with pytest.raises(InvalidInput) as err:
        step(None, trigger(policy=None), T0, ON_CALL)
    assert err.value.field == "policy"


def test_an_unknown_schedule_counts_as_nobody_on_call() -> None:
    policy = EscalationPolicy(
        "typo",
        [
            EscalationLevel([ScheduleTarget("primray")], timedelta(minutes=5)),
            EscalationLevel([UserTarget("bob")], timedelta(minutes=5)),
        ],
    )
    result = step(None, trigger(policy=policy), T0, ON_CALL)
    assert NobodyOnCall(result.incident.id, 1, ("primray",)) in result.effects  # type: ignore[union-attr]
    assert users(result) == [("bob", 2, NotifyReason.TRIGGERED)]


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (
            lambda: Trigger(Event(action="resolve", dedup_key="k"), service="s"),
            "event.event_action",
        ),
        (lambda: Trigger("event"), "event"),  # type: ignore[arg-type]
        (
            lambda: Trigger(
                Event(action="trigger", dedup_key="k", summary="s", source="h", severity="info")
            ),
            "service",
        ),
        (lambda: trigger(policy="db"), "policy"),
        (lambda: trigger(urgency="urgent"), "urgency"),
        (lambda: trigger(incident_id=""), "incident_id"),
        (lambda: Acknowledge(service="checkout"), "dedup_key"),
        (lambda: Resolve(dedup_key="k"), "service"),
        (lambda: Acknowledge(""), "by"),
        (Reassign, "users"),
        (lambda: Reassign(["a"], policy=POLICY), "users"),
        (lambda: Reassign([]), "users"),
        (lambda: Reassign(["a", ""]), "users[1]"),
        (lambda: Reassign(policy="db"), "policy"),  # type: ignore[arg-type]
        (lambda: Escalate(0), "to_level"),
        (lambda: Escalate(to_level=True), "to_level"),
        (lambda: Merge(""), "into"),
        (lambda: AddResponders([]), "targets"),
        (lambda: AddResponders(["dave"]), "targets[0]"),
        (lambda: SetUrgency("medium"), "urgency"),
        (lambda: TimerFired("level"), "timer"),
        (lambda: Snooze(datetime(2025, 3, 10)), "until"),
    ],
)
def test_commands_reject_bad_input_naming_the_field(build: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        build()
    assert err.value.field == field


def test_trigger_takes_its_scope_from_the_routing_key() -> None:
    event = Event(
        action="trigger",
        dedup_key="k",
        routing_key="R123",
        summary="s",
        source="h",
        severity="info",
    )
    assert Trigger(event).key == AlertKey("R123", "k")
    assert Trigger(event, service="checkout").key == AlertKey("checkout", "k")


def test_from_event_turns_each_action_into_its_command() -> None:
    def event(action: str) -> Event:
        return Event(
            action=action, dedup_key="k", routing_key="R", summary="s", source="h", severity="info"
        )

    assert from_event(event("trigger"), policy=POLICY) == Trigger(event("trigger"), policy=POLICY)
    assert from_event(event("acknowledge")) == Acknowledge(service="R", dedup_key="k")
    assert from_event(event("resolve"), service="S") == Resolve(service="S", dedup_key="k")
    with pytest.raises(InvalidInput) as err:
        from_event(Event(action="resolve", dedup_key="k"))
    assert err.value.field == "service"
    with pytest.raises(InvalidInput):
        from_event("resolve")  # type: ignore[arg-type]


# --- the incident value -------------------------------------------------------------


def incident(**changes: Any) -> Incident:
    fields: dict[str, Any] = {
        "id": "I1",
        "service": "checkout",
        "dedup_key": "k",
        "policy": POLICY,
        "status": "triggered",
        "opened_at": T0,
        "open_alerts": [AlertKey("checkout", "k")],
    }
    fields.update(changes)
    return Incident(**fields)


def test_incident_normalises_its_fields() -> None:
    value = incident(
        assignees=["alice"], opened_at=datetime(2025, 3, 10, 10, tzinfo=ZoneInfo("Europe/Paris"))
    )
    assert value.status is Status.TRIGGERED
    assert value.assignees == ("alice",)
    assert value.opened_at.tzinfo is UTC
    assert value.opened_at == datetime(2025, 3, 10, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": ""}, "id"),
        ({"policy": "db"}, "policy"),
        ({"status": "snoozed"}, "status"),
        ({"opened_at": datetime(2025, 3, 10)}, "opened_at"),
        ({"level": 3}, "level"),
        ({"level": 0}, "level"),
        ({"loop": 1}, "loop"),
        ({"alert_count": 0}, "alert_count"),
        ({"revision": -1}, "revision"),
        ({"urgency": "medium"}, "urgency"),
        ({"assigned_via": "magic"}, "assigned_via"),
        ({"assignees": [""]}, "assignees[0]"),
        ({"snoozed_until": at(60)}, "snoozed_until"),
        ({"merged_into": "I2"}, "merged_into"),
        ({"open_alerts": []}, "open_alerts"),
        ({"open_alerts": ["k"]}, "open_alerts[0]"),
        ({"status": "resolved"}, "open_alerts"),
        (
            {
                "status": "resolved",
                "open_alerts": [],
                "timers": [ScheduleTimer(Timer("I1", TimerKind.LEVEL, 1), at(10))],
            },
            "timers",
        ),
        ({"log": ["entry"]}, "log[0]"),
    ],
)
def test_incident_rejects_inconsistent_fields(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        incident(**changes)
    assert err.value.field == field


def test_timer_reads_as_a_storage_key() -> None:
    assert str(Timer("checkout/db1/disk/x", TimerKind.ACK_TIMEOUT, 7)) == (
        "checkout/db1/disk/x/ack_timeout/7"
    )


def test_dropped_is_the_only_effect_of_a_dropped_command() -> None:
    result = step(None, Acknowledge(service="s", dedup_key="k"), T0, ON_CALL)
    assert result.effects == (
        Dropped(DropReason.NO_OPEN_INCIDENT, "Acknowledge: no open incident"),
    )
