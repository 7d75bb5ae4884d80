"""The lifecycle and escalation cases of reference/escalation.md section 4, by number.

Times start at T0 = 2025-03-10T09:00Z (a Monday) as in the reference.  Each test's
docstring says where tocsin chose differently from the product in the case, and why.

The other cases happen before an event reaches the machine, so other domains pin them,
by the case's number: content grouping, thresholds and maintenance windows (17-19, 21)
are ``tocsin.noise`` (``tests/unit/noise/test_grouping.py``, ``test_pipeline.py``,
``test_silence.py``); Alertmanager's notification pipeline, inhibition and silences
(22-29) are ``tocsin.noise`` (``test_aggregation.py``, ``test_inhibition.py``,
``test_silence.py``); flapping (48, 49) is ``tests/unit/noise/test_flapping.py``.

* Case 36 (GoAlert holds escalation while the service is in maintenance and starts it
  when maintenance ends) is decided before a trigger reaches :func:`step`: a muted event
  is held by ``tocsin.noise`` and becomes a trigger when the mute ends, and from then on
  escalation is this machine's.  Pinned by
  ``tests/unit/noise/test_unmute.py::test_case_36_an_alert_from_a_maintenance_window_pages_when_it_ends``.
* Case 38 (GoAlert dedups Alertmanager alerts by their summary) is the intake's keying:
  ``tests/unit/integrations/test_alertmanager.py::test_reference_case_38_one_summary_two_alerts_and_a_changed_summary_still_resolves``.
* Case 30 (Alertmanager's ``resolve_timeout``) is tested here, with ``auto_resolve``.
* Case 47 (an Opsgenie heartbeat that lapses raises an alert) is out of every domain's
  scope and no test pins it: tocsin has no heartbeat monitor.  Noticing that pings
  stopped needs a clock and a store of the last ping, which is the shell's; the alert it
  then raises is a ``Trigger`` like any other, escalated by this machine.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tocsin.errors import InvalidEvent, InvalidTransition
from tocsin.escalation import (
    Acknowledge,
    AssignedVia,
    At,
    DropReason,
    Escalate,
    EscalationLevel,
    EscalationPolicy,
    Incident,
    LogKind,
    Merge,
    NobodyOnCall,
    NotifyReason,
    Reassign,
    Resolve,
    ScheduleTarget,
    Snooze,
    Status,
    Timeline,
    TimerFired,
    TimerKind,
    Trigger,
    Unassigned,
    Urgency,
    UserTarget,
    from_event,
    simulate,
    step,
)
from tocsin.events import Event, parse_event
from tocsin.services import SupportHours
from tocsin.testing import FakeSchedule

T0 = datetime(2025, 3, 10, 9, tzinfo=UTC)
NOBODY = FakeSchedule(None)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def trigger(key: str = "db1/disk", service: str = "svc") -> Trigger:
    return Trigger(
        Event(action="trigger", dedup_key=key, summary=key, source="db1", severity="critical"),
        service=service,
    )


def resolve(key: str = "db1/disk", service: str = "svc") -> Resolve:
    return Resolve(service=service, dedup_key=key)


def users(*names: str, delay: int = 10) -> EscalationLevel:
    return EscalationLevel([UserTarget(n) for n in names], timedelta(minutes=delay))


def schedule(name: str, delay: int = 10) -> EscalationLevel:
    return EscalationLevel([ScheduleTarget(name)], timedelta(minutes=delay))


ALICE = EscalationPolicy("alice", [users("alice")])


def pages(timeline: Timeline) -> list[tuple[datetime, str, int | None]]:
    return [(n.at, n.user, n.level) for n in timeline.notifications]


def only(timeline: Timeline) -> Incident:
    (incident,) = timeline.incidents.values()
    return incident


def kinds(incident: Incident) -> list[LogKind]:
    return [entry.kind for entry in incident.log]


def test_case_01_duplicate_trigger_is_a_log_entry_not_a_page() -> None:
    timeline = simulate(ALICE, [(T0, trigger()), (at(2), trigger())], {})
    assert pages(timeline) == [(T0, "alice", 1)]
    incident = only(timeline)
    assert incident.alert_count == 2
    assert LogKind.DUPLICATE in kinds(incident)


def test_case_02_trigger_on_an_acknowledged_incident_stays_acknowledged_silently() -> None:
    timeline = simulate(
        ALICE, [(T0, trigger()), (at(1), Acknowledge("alice")), (at(3), trigger())], {}
    )
    assert pages(timeline) == [(T0, "alice", 1)]
    assert only(timeline).status is Status.ACKNOWLEDGED


def test_case_03_resolve_for_a_key_never_triggered_is_dropped_and_creates_nothing() -> None:
    """PagerDuty drops it invisibly behind a 202; tocsin returns a typed ``Dropped``."""
    timeline = simulate(ALICE, [(T0, resolve())], {})
    assert timeline.incidents == {}
    (entry,) = timeline.entries
    assert [e.reason for e in entry.effects] == [DropReason.NO_OPEN_INCIDENT]  # type: ignore[union-attr]


def test_case_04_trigger_after_resolve_opens_a_new_incident() -> None:
    timeline = simulate(ALICE, [(T0, trigger()), (at(5), resolve()), (at(6), trigger())], {})
    old, new = timeline.incidents.values()
    assert (old.status, new.status) == (Status.RESOLVED, Status.TRIGGERED)
    assert new.opened_at == at(6)
    assert pages(timeline) == [(T0, "alice", 1), (at(6), "alice", 1)]


def test_case_05_resolve_from_another_integration_is_dropped() -> None:
    incident = step(
        None, Trigger(trigger("db1/disk", "A").event, service="A", policy=ALICE), T0, {}
    )
    opened = incident.incident
    assert opened is not None
    result = step(opened, resolve("db1/disk", "B"), at(1), {})
    assert [e.reason for e in result.effects] == [DropReason.OTHER_SCOPE]  # type: ignore[union-attr]
    assert result.incident is opened
    assert opened.status is Status.TRIGGERED


#: A trigger with no dedup key, as a client sends it to /v2/enqueue.
KEYLESS = {
    "routing_key": "svc",
    "event_action": "trigger",
    "payload": {"summary": "Disk full on db1", "source": "db1", "severity": "critical"},
}


def test_case_06_two_identical_keyless_triggers_are_one_incident() -> None:
    """PagerDuty gives each keyless trigger a fresh UUID, so the same body sent twice a
    minute apart is two alerts and two incidents.  tocsin derives the missing key from
    the body instead (docs/decisions.md, Events): the core reads no randomness, and the
    commonest reason one body arrives twice is a client retrying a request whose answer
    it lost, which should page once.  So the second trigger is a duplicate: counted and
    logged, not paged.  The next test restores PagerDuty's behaviour."""
    first, second = parse_event(KEYLESS), parse_event(KEYLESS)
    assert isinstance(first, Event)
    assert isinstance(second, Event)
    assert first.dedup_key_generated
    assert second.dedup_key_generated
    timeline = simulate(ALICE, [(T0, from_event(first)), (at(1), from_event(second))], {})
    incident = only(timeline)
    assert (incident.service, incident.dedup_key) == ("svc", first.dedup_key)
    assert incident.alert_count == 2
    assert kinds(incident).count(LogKind.DUPLICATE) == 1
    assert pages(timeline) == [(T0, "alice", 1)]


def test_case_06_with_a_uuid_key_factory_two_keyless_triggers_are_two_incidents() -> None:
    """A ``key_factory`` that ignores the body and returns a fresh UUID (the shell may be
    random; here two fixed ones) is PagerDuty's behaviour: two alerts, two incidents."""
    uuids = iter(("3d4f1c2e-8b0a-4e55-9c1d-6f0b2a7e9d10", "b81e5a07-2c3d-4f6a-8e9b-0c1d2e3f4a5b"))

    def fresh_uuid(_body: object) -> str:
        return next(uuids)

    first = parse_event(KEYLESS, key_factory=fresh_uuid)
    second = parse_event(KEYLESS, key_factory=fresh_uuid)
    assert isinstance(first, Event)
    assert isinstance(second, Event)
    timeline = simulate(ALICE, [(T0, from_event(first)), (at(1), from_event(second))], {})
    assert [i.dedup_key for i in timeline.incidents.values()] == [
        "3d4f1c2e-8b0a-4e55-9c1d-6f0b2a7e9d10",
        "b81e5a07-2c3d-4f6a-8e9b-0c1d2e3f4a5b",
    ]
    assert pages(timeline) == [(T0, "alice", 1), (at(1), "alice", 1)]


def test_case_07_a_256_character_dedup_key_is_rejected() -> None:
    """PagerDuty answers 400; tocsin raises a typed error naming the field, at once."""
    with pytest.raises(InvalidEvent) as err:
        trigger("k" * 256)
    assert err.value.field == "dedup_key"


def test_case_08_ack_timeout_returns_to_triggered_and_renotifies_the_acker() -> None:
    """PagerDuty's KB says both "restart" (old) and "resumes" (new); tocsin restarts from
    level 1 by default and offers ``on_ack_timeout="resume"`` (decision 4)."""
    policy = EscalationPolicy(
        "pd", [users("alice"), users("bob")], ack_timeout=timedelta(seconds=1800)
    )
    timeline = simulate(policy, [(T0, trigger()), (at(2), Acknowledge("alice"))], {})
    assert pages(timeline) == [
        (T0, "alice", 1),
        (at(32), "alice", 1),  # acker and level 1 are the same person: one page
        (at(42), "bob", 2),
    ]
    assert LogKind.UNACKNOWLEDGED in kinds(only(timeline))


def test_case_09_auto_resolve_after_four_hours() -> None:
    policy = EscalationPolicy("pd", [users("alice")], auto_resolve=timedelta(seconds=14400))
    incident = only(simulate(policy, [(T0, trigger())], {}))
    assert incident.status is Status.RESOLVED
    assert incident.log[-1].at == at(240)
    assert incident.log[-1].message == "resolved automatically after 4:00:00 open"


def test_case_10_snoozing_a_triggered_incident_is_rejected() -> None:
    with pytest.raises(InvalidTransition, match="only an acknowledged incident"):
        simulate(ALICE, [(T0, trigger()), (at(1), Snooze(at(61)))], {})


def test_case_11_reassigning_a_snoozed_incident_cancels_the_snooze() -> None:
    """PagerDuty's reassignment returns the incident to triggered, so its ack timeout
    starts again from the next acknowledgement; tocsin does the same."""
    policy = EscalationPolicy("pd", [users("alice")], ack_timeout=timedelta(minutes=30))
    timeline = simulate(
        policy,
        [
            (T0, trigger()),
            (at(1), Acknowledge("alice")),
            (at(2), Snooze(at(62))),
            (at(30), Reassign(["carol"])),
            (at(31), Acknowledge("carol")),
        ],
        {},
        until=at(45),
    )
    assert pages(timeline) == [(T0, "alice", 1), (at(30), "carol", None)]
    incident = only(timeline)
    assert incident.snoozed_until is None
    assert [(p.timer.kind, p.at) for p in incident.timers] == [(TimerKind.ACK_TIMEOUT, at(61))]


def test_case_12_two_levels_one_loop_then_exhausted() -> None:
    policy = EscalationPolicy("pd", [users("a"), users("b")], loops=1)
    timeline = simulate(policy, [(T0, trigger())], {})
    assert pages(timeline) == [
        (T0, "a", 1),
        (at(10), "b", 2),
        (at(20), "a", 1),
        (at(30), "b", 2),
    ]
    incident = only(timeline)
    assert incident.status is Status.TRIGGERED
    assert incident.timers == ()
    assert [(e.at, e.kind) for e in incident.log if e.kind is not LogKind.ESCALATED] == [
        (T0, LogKind.TRIGGERED),
        (at(20), LogKind.REPEATED),
        (at(40), LogKind.EXHAUSTED),
    ]


def test_case_13_schedule_with_a_gap_escalates_to_the_next_level_at_once() -> None:
    policy = EscalationPolicy("pd", [schedule("db"), users("bob")])
    gap = FakeSchedule("alice", changes=[(at(-30), None), (at(30), "alice")])
    timeline = simulate(policy, [(T0, trigger())], {"db": gap})
    assert pages(timeline)[0] == (T0, "bob", 2)
    assert NobodyOnCall(only(timeline).id, 1, ("db",)) in timeline.entries[0].effects


def test_case_14_nobody_on_call_anywhere_still_opens_the_incident() -> None:
    """PagerDuty drops the event, unauditable; tocsin opens the incident unassigned and
    emits ``Unassigned`` (decision 6): a library must not lose an event."""
    policy = EscalationPolicy("pd", [schedule("a"), schedule("b")])
    timeline = simulate(policy, [(T0, trigger())], {"a": NOBODY, "b": NOBODY})
    incident = only(timeline)
    assert incident.status is Status.TRIGGERED
    assert Unassigned(incident.id) in timeline.entries[0].effects
    assert timeline.notifications == ()


def test_case_15_direct_reassignment_stops_escalation() -> None:
    policy = EscalationPolicy("pd", [users("alice"), users("bob")])
    timeline = simulate(policy, [(T0, trigger()), (at(3), Reassign(["carol"]))], {})
    assert pages(timeline) == [(T0, "alice", 1), (at(3), "carol", None)]
    incident = only(timeline)
    assert incident.assigned_via is AssignedVia.DIRECT_ASSIGNMENT
    assert incident.timers == ()


def test_case_16_merging_into_a_resolved_incident_is_rejected() -> None:
    commands = [
        At(T0, trigger("i1")),
        At(at(1), trigger("i2")),
        At(at(2), resolve("i1")),
        At(at(3), Merge("i1"), incident="i2"),
    ]
    with pytest.raises(InvalidTransition, match="the target must be open"):
        simulate(ALICE, commands, {})


def test_case_20_low_urgency_outside_support_hours_raised_when_they_begin() -> None:
    """Support hours 09-17 in New York.  2025-03-10 is the Monday after the US switch to
    daylight time, so 07:00 local is 11:00Z and 09:00 local is 13:00Z (not 14:00Z)."""
    ny_hours = SupportHours("America/New_York", start=time(9), end=time(17))
    policy = EscalationPolicy("pd", [users("alice"), users("bob")], support_hours=ny_hours)
    monday_7am = datetime(2025, 3, 10, 11, tzinfo=UTC)
    timeline = simulate(policy, [(monday_7am, trigger())], {})
    assert [(n.at, n.user, n.urgency) for n in timeline.notifications] == [
        (monday_7am, "alice", Urgency.LOW),
        (datetime(2025, 3, 10, 13, tzinfo=UTC), "alice", Urgency.HIGH),
        (datetime(2025, 3, 10, 13, 10, tzinfo=UTC), "bob", Urgency.HIGH),
    ]
    assert timeline.notifications[1].reason is NotifyReason.URGENCY_RAISED


def test_case_30_an_alert_posted_once_and_never_again_resolves_after_the_timeout() -> None:
    """Alertmanager gives an alert posted without ``endsAt`` an end of now plus
    ``resolve_timeout`` (5 minutes) and resolves it then, so its webhook brings tocsin an
    ordinary resolve.  A source that posts straight to tocsin gets the same from
    ``auto_resolve``.  One difference, chosen: Alertmanager moves the end on every
    re-post, so an alert posted steadily never times out; tocsin's ``auto_resolve``
    counts from the incident's opening and a duplicate trigger does not move it, as
    PagerDuty's ``auto_resolve_timeout`` is "left open this long".  A source that
    re-posts while the problem lasts should send a resolve when it ends."""
    policy = EscalationPolicy("am", [users("alice")], auto_resolve=timedelta(minutes=5))
    once = only(simulate(policy, [(T0, trigger())], {}))
    assert once.status is Status.RESOLVED
    assert (once.log[-1].at, once.log[-1].kind) == (at(5), LogKind.RESOLVED)
    reposted = only(simulate(policy, [(T0, trigger()), (at(4), trigger())], {}))
    assert (reposted.alert_count, reposted.status) == (2, Status.RESOLVED)
    assert (reposted.log[-1].at, reposted.log[-1].kind) == (at(5), LogKind.RESOLVED)


def test_case_31_empty_step_waits_its_delay_in_goalert_mode() -> None:
    """GoAlert waits out an empty step; tocsin does too with ``empty_level="wait"``, and
    by default skips it at once as PagerDuty does (decision 5, GoAlert #4548)."""
    levels = [schedule("weekdays", delay=15), users("bob")]
    saturday = datetime(2025, 3, 15, 9, tzinfo=UTC)
    on_call = {"weekdays": NOBODY}
    waiting = EscalationPolicy("ga", levels, empty_level="wait")
    skipping = EscalationPolicy("ga", levels)
    waited = simulate(waiting, [(saturday, trigger())], on_call)
    assert pages(waited) == [(saturday + timedelta(minutes=15), "bob", 2)]
    assert LogKind.NOBODY_ON_CALL in kinds(only(waited))
    assert pages(simulate(skipping, [(saturday, trigger())], on_call))[0] == (saturday, "bob", 2)


def test_case_32_trigger_after_acknowledgement_is_a_suppressed_duplicate() -> None:
    timeline = simulate(
        ALICE, [(T0, trigger("d")), (at(1), Acknowledge("web")), (at(2), trigger("d"))], {}
    )
    incident = only(timeline)
    assert incident.status is Status.ACKNOWLEDGED
    assert kinds(incident)[-1] is LogKind.DUPLICATE
    assert len(timeline.notifications) == 1


def test_case_33_trigger_after_close_is_a_new_alert() -> None:
    timeline = simulate(
        ALICE, [(T0, trigger("d")), (at(1), resolve("d")), (at(2), trigger("d"))], {}
    )
    # GoAlert clears the dedup key on close: the same key opens a new alert, with a new
    # id, paged afresh, while the closed one stays closed.
    assert list(timeline.incidents) == [
        "svc/d/2025-03-10T09:00:00Z",
        "svc/d/2025-03-10T09:02:00Z",
    ]
    old, new = timeline.incidents.values()
    assert (old.dedup_key, new.dedup_key) == ("d", "d")
    assert (old.status, new.status) == (Status.RESOLVED, Status.TRIGGERED)
    assert (new.opened_at, new.alert_count) == (at(2), 1)
    assert pages(timeline) == [(T0, "alice", 1), (at(2), "alice", 1)]


def test_case_34_same_user_on_two_steps_starts_a_new_notification_at_each() -> None:
    policy = EscalationPolicy("ga", [users("alice", delay=5), users("alice", "bob")])
    timeline = simulate(policy, [(T0, trigger())], {})
    assert pages(timeline) == [(T0, "alice", 1), (at(5), "alice", 2), (at(5), "bob", 2)]
    keys = [n.notify.idempotency_key for n in timeline.notifications]
    assert len(set(keys)) == 3


def test_case_35_escalating_an_acknowledged_alert_retriggers_it() -> None:
    policy = EscalationPolicy("ga", [users("alice"), users("bob")])
    timeline = simulate(
        policy, [(T0, trigger()), (at(1), Acknowledge("alice")), (at(3), Escalate(by="bob"))], {}
    )
    assert pages(timeline) == [(T0, "alice", 1), (at(3), "bob", 2)]
    assert only(timeline).status is Status.TRIGGERED
    assert timeline.notifications[1].reason is NotifyReason.MANUAL_ESCALATION


def test_case_37_policy_change_applies_to_open_incidents_only_when_asked() -> None:
    """GoAlert resets every open alert to step 0 of the new policy when a service's
    policy changes; tocsin snapshots the policy (decision 8, as Grafana OnCall) and
    applies a new one to an open incident by ``Reassign(policy=...)``, which then
    starts it, like GoAlert, at level 1 with a fresh loop count."""
    ep1 = EscalationPolicy("ep1", [users("a", delay=5), users("b", delay=5), users("c")], loops=2)
    ep2 = EscalationPolicy("ep2", [users("x"), users("y")])
    timeline = simulate(ep1, [(T0, trigger()), (at(32), Reassign(policy=ep2))], {}, until=at(32))
    # Before: ep1's third level (GoAlert's step 2) on its second pass since T+30;
    # after: ep2 level 1, loop 0.
    assert pages(timeline)[-2:] == [(at(30), "c", 3), (at(32), "x", 1)]
    incident = only(timeline)
    assert (incident.policy.name, incident.level, incident.loop) == ("ep2", 1, 0)


def test_case_39_resolved_group_then_firing_again_opens_a_new_incident() -> None:
    timeline = simulate(
        ALICE,
        [(T0, trigger("g")), (T0, trigger("g")), (at(5), resolve("g")), (at(9), trigger("g"))],
        {},
    )
    first, second = timeline.incidents.values()
    assert (first.alert_count, first.status) == (2, Status.RESOLVED)
    assert second.status is Status.TRIGGERED


def test_case_40_resolve_for_an_unseen_key_creates_no_ghost_incident() -> None:
    """Grafana OnCall creates a group and resolves it at once; tocsin drops the resolve
    with a reason (decision 2): a ghost incident is noise in every report."""
    timeline = simulate(ALICE, [(T0, resolve("D"))], {})
    assert timeline.incidents == {}


def test_case_41_empty_schedule_step_then_wait_then_bob() -> None:
    """Grafana OnCall's chain (notify empty schedule, wait 10, notify Bob) pages Bob at
    about T+10m05s, as each non-wait step costs ~5 s.  Compiled to a tocsin policy (a
    10-minute level on the schedule, waiting when empty) Bob is paged at T+10m exactly."""
    policy = EscalationPolicy("go", [schedule("s"), users("bob")], empty_level="wait")
    timeline = simulate(policy, [(T0, trigger())], {"s": NOBODY})
    assert pages(timeline) == [(at(10), "bob", 2)]


def test_case_42_notifying_alice_again_is_a_new_notification_not_a_restart() -> None:
    """Grafana OnCall restarts Alice's personal chain and loses its pending call (#934).
    tocsin emits a second ``Notify`` with its own key and cancels nothing: how a user's
    personal rules (SMS, then a call) run is the notifier's business."""
    policy = EscalationPolicy("go", [users("alice", delay=5), users("alice")])
    timeline = simulate(policy, [(T0, trigger())], {})
    first, second = timeline.notifications
    assert (first.at, second.at) == (T0, at(5))
    assert first.notify.idempotency_key != second.notify.idempotency_key


def test_case_43_unconfirmed_ack_is_undone_and_escalation_restarts() -> None:
    """Grafana OnCall reminds after 1 h and un-acks 5 min later; tocsin has one ack
    timeout, so the same policy is ``ack_timeout=65 min`` (no separate reminder)."""
    policy = EscalationPolicy(
        "go", [users("alice"), users("bob")], ack_timeout=timedelta(minutes=65)
    )
    timeline = simulate(policy, [(T0, trigger()), (T0, Acknowledge("alice"))], {})
    assert pages(timeline)[:2] == [(T0, "alice", 1), (at(65), "alice", 1)]


def test_case_44_repeat_five_times_then_finished_and_still_firing() -> None:
    policy = EscalationPolicy("go", [users("alice", delay=5)], loops=5)
    timeline = simulate(policy, [(T0, trigger())], {})
    assert [t for t, _, _ in pages(timeline)] == [at(5 * i) for i in range(6)]
    incident = only(timeline)
    assert incident.status is Status.TRIGGERED
    assert kinds(incident)[-1] is LogKind.EXHAUSTED


def test_case_45_acknowledging_stops_every_later_level() -> None:
    """Opsgenie's "if-not-closed" rules keep paging after an ack; tocsin's levels all
    stop at the acknowledgement, as PagerDuty's and GoAlert's do: users ask for acks to
    mean "I have it" (reference section 5), and a page after an ack is noise."""
    policy = EscalationPolicy("og", [users("alice"), users("bob")])
    timeline = simulate(policy, [(T0, trigger()), (at(2), Acknowledge("alice"))], {})
    assert pages(timeline) == [(T0, "alice", 1)]


def test_case_46_duplicates_are_counted_past_one_hundred() -> None:
    """Opsgenie stops counting (and logging) at 100; tocsin counts every one."""
    commands = [(T0, trigger("A")), *((at(i / 10), trigger("A")) for i in range(1, 151))]
    incident = only(simulate(ALICE, commands, {}))
    assert incident.alert_count == 151
    assert kinds(incident).count(LogKind.DUPLICATE) == 150


def test_a_level_delay_is_elapsed_time_when_now_is_local_inside_a_fold() -> None:
    """New York's clocks go back at 02:00 EDT on 2025-11-02, so 01:30 happens twice:
    at 05:30Z (fold 0, EDT) and at 06:30Z (fold 1, EST).  A 60-minute level triggered
    at the first 01:30 climbs at the second 01:30: an hour of elapsed time, though the
    wall clock reads the same and Python calls the two local datetimes equal."""
    new_york = ZoneInfo("America/New_York")
    first_0130 = datetime(2025, 11, 2, 1, 30, tzinfo=new_york)
    second_0130 = datetime(2025, 11, 2, 1, 30, fold=1, tzinfo=new_york)
    assert first_0130 == second_0130  # same tzinfo: compared by wall fields, fold ignored
    policy = EscalationPolicy("ny", [users("alice", delay=60), users("bob")])
    opened = step(None, Trigger(trigger().event, service="svc", policy=policy), first_0130, {})
    incident = opened.incident
    assert incident is not None
    (pending,) = incident.timers
    assert pending.at == datetime(2025, 11, 2, 6, 30, tzinfo=UTC)
    # 01:29 the second time round (06:29Z) is 59 minutes on: not due yet.
    with pytest.raises(InvalidTransition, match="not before"):
        step(
            incident,
            TimerFired(pending.timer),
            datetime(2025, 11, 2, 1, 29, fold=1, tzinfo=new_york),
            {},
        )
    climbed = step(incident, TimerFired(pending.timer), second_0130, {})
    assert [(n.user, n.level) for n in climbed.notifications] == [("bob", 2)]
    timeline = simulate(policy, [(first_0130, trigger())], {})
    assert pages(timeline) == [
        (datetime(2025, 11, 2, 5, 30, tzinfo=UTC), "alice", 1),
        (datetime(2025, 11, 2, 6, 30, tzinfo=UTC), "bob", 2),
    ]
    assert timeline.notifications[1].at - timeline.notifications[0].at == timedelta(minutes=60)
