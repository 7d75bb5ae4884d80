"""Named regressions from the second escalation audit: each pins a page that went out
twice, never went out, or went out at the wrong urgency before it was fixed."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import attrs
import pytest

from tocsin.errors import NotFoundError
from tocsin.escalation import (
    AddResponders,
    At,
    EscalationLevel,
    EscalationPolicy,
    Merge,
    Merged,
    Reassign,
    Resolve,
    ScheduleTarget,
    SetUrgency,
    Status,
    Trigger,
    UserTarget,
    simulate,
    step,
)
from tocsin.events import Event
from tocsin.services import SupportHours, UrgencyRule
from tocsin.testing import FakeSchedule

T0 = datetime(2025, 3, 10, 9, tzinfo=UTC)
POLICY = EscalationPolicy(
    "db",
    [
        EscalationLevel([UserTarget("alice")], timedelta(minutes=10)),
        EscalationLevel([UserTarget("bob")], timedelta(minutes=10)),
    ],
)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def trigger(key: str, service: str, **kwargs: Any) -> Trigger:
    event = Event(action="trigger", dedup_key=key, summary=key, source="h", severity="error")
    return Trigger(event, service=service, **kwargs)


def test_a_trigger_for_an_alert_merged_in_from_another_service_is_a_duplicate() -> None:
    # Incident A (service web) absorbs incident B (service db) by a merge; db1/disk is
    # now open on A.  Its next trigger folds into A: no second incident, no page.
    # Before, the other service opened a new incident that paged alice again, and A
    # kept db1/disk open after its resolve, so A escalated to bob and never resolved.
    timeline = simulate(
        POLICY,
        [
            (at(0), trigger("web/5xx", "web")),
            (at(1), trigger("db1/disk", "db")),
            At(at(2), Merge("web/5xx"), incident="db1/disk"),
            (at(3), trigger("db1/disk", "db")),
            (at(4), Resolve(service="db", dedup_key="db1/disk")),
            (at(5), Resolve(service="web", dedup_key="web/5xx")),
        ],
        {},
        until=at(60),
    )
    assert [(n.at, n.user) for n in timeline.notifications] == [
        (at(0), "alice"),
        (at(1), "alice"),
    ]
    assert sorted(timeline.incidents) == [
        "db/db1/disk/2025-03-10T09:01:00Z",
        "web/web/5xx/2025-03-10T09:00:00Z",
    ]
    web = timeline.incidents["web/web/5xx/2025-03-10T09:00:00Z"]
    assert (web.status, web.alert_count) == (Status.RESOLVED, 3)


def test_step_folds_a_trigger_of_a_merged_in_scope_into_the_target() -> None:
    target = step(None, trigger("web/5xx", "web", policy=POLICY), at(0), {}).incident
    source = step(None, trigger("db1/disk", "db", policy=POLICY), at(1), {}).incident
    assert target is not None
    assert source is not None
    merged = step(source, Merge(target), at(2), {}).effects
    (into,) = [e.into for e in merged if isinstance(e, Merged)]
    result = step(into, trigger("db1/disk", "db"), at(3), {})
    assert result.incident is not None
    assert result.incident.id == target.id
    assert result.notifications == ()
    # Another alert of the merged-in scope is grouped too (the caller chose the
    # incident); a third service still opens its own incident (decision 12).
    grouped = step(result.incident, trigger("db2/disk", "db"), at(4), {}).incident
    assert grouped is not None
    assert grouped.id == target.id
    other = step(grouped, trigger("db2/disk", "queue", policy=POLICY), at(5), {}).incident
    assert other is not None
    assert other.id == "queue/db2/disk/2025-03-10T09:05:00Z"


TYPO = EscalationPolicy(
    "db-typo",
    [
        EscalationLevel([ScheduleTarget("db-primry")], timedelta(minutes=10)),
        EscalationLevel([UserTarget("bob")], timedelta(minutes=10)),
    ],
)
HOURS = SupportHours("Europe/Berlin", start=time(9), end=time(17))


@pytest.mark.parametrize(
    ("rule", "severity", "raised"),
    [
        (None, "warning", True),
        (UrgencyRule(during="high", outside="low"), "warning", True),
        (UrgencyRule(during="severity_based", outside="low"), "error", True),
        (UrgencyRule(during="severity_based", outside="low"), "warning", False),
        (UrgencyRule(during="low"), "critical", False),
    ],
)
def test_support_hours_raise_only_what_their_rule_makes_high_inside_them(
    rule: UrgencyRule | None, severity: str, raised: bool
) -> None:
    # Friday 22:05 in Berlin (21:05 UTC), outside the hours; Monday 09:00 in Berlin is
    # 07:00 UTC (summer time from Sunday 29 March).  Before, every incident opened low
    # outside the hours was raised to high at 09:00: a warning the rule keeps low inside
    # the hours too, or an always-low service, rang a phone on Monday morning.
    policy = attrs.evolve(POLICY, support_hours=HOURS, urgency_rule=rule)
    friday = datetime(2026, 3, 27, 21, 5, tzinfo=UTC)
    event = Event(action="trigger", dedup_key="k", summary="s", source="h", severity=severity)
    timeline = simulate(
        policy,
        [(friday, Trigger(event, service="tools"))],
        {},
        until=datetime(2026, 3, 30, 12, tzinfo=UTC),
    )
    monday = datetime(2026, 3, 30, 7, tzinfo=UTC)
    expected = [(friday, "alice", "low")]
    if raised:
        expected += [(monday, "alice", "high"), (monday + timedelta(minutes=10), "bob", "high")]
    assert [(n.at, n.user, n.urgency.value) for n in timeline.notifications] == expected


def test_reassigning_to_a_policy_keeps_the_auto_resolve_the_incident_opened_with() -> None:
    # The log entry read "resolved automatically after None open" when the new policy
    # had no auto_resolve.  The timer set at opening stays (PagerDuty keeps the timeout
    # on the service) and the entry says how long the incident was open.
    opened = attrs.evolve(POLICY, auto_resolve=timedelta(hours=1))
    other = EscalationPolicy("storage", [EscalationLevel([UserTarget("erin")], timedelta(1))])
    timeline = simulate(
        opened,
        [(at(0), trigger("db1/disk", "db")), At(at(5), Reassign(policy=other))],
        {},
    )
    (incident,) = timeline.incidents.values()
    assert incident.policy == other
    assert incident.status is Status.RESOLVED
    assert (incident.log[-1].at, incident.log[-1].message) == (
        at(60),
        "resolved automatically after 1:00:00 open",
    )


def test_setting_the_urgency_it_already_has_keeps_the_raise_at_support_hours() -> None:
    # SetUrgency("low") on an incident that is already low changes nothing and logs
    # "urgency already low"; before, it also cancelled the raise scheduled for the start
    # of support hours, so the incident was never paged at high urgency.
    policy = attrs.evolve(POLICY, support_hours=HOURS)
    friday = datetime(2026, 3, 27, 21, 5, tzinfo=UTC)
    timeline = simulate(
        policy,
        [(friday, trigger("k", "tools")), (friday + timedelta(minutes=5), SetUrgency("low"))],
        {},
        until=datetime(2026, 3, 30, 7, 5, tzinfo=UTC),
    )
    monday = datetime(2026, 3, 30, 7, tzinfo=UTC)
    assert [(n.at, n.user, n.urgency.value) for n in timeline.notifications] == [
        (friday, "alice", "low"),
        (monday, "alice", "high"),
    ]


@pytest.mark.parametrize(
    "command",
    [
        trigger("k", "db", policy=TYPO),
        Reassign(policy=TYPO),
        AddResponders(ScheduleTarget("db-primry")),
        AddResponders(TYPO),
    ],
    ids=["trigger", "reassign", "responder schedule", "responder policy"],
)
def test_simulate_refuses_a_schedule_a_command_names_and_on_call_lacks(command: Any) -> None:
    # simulate() refuses an unknown schedule in its policy upfront, "a what-if should
    # not quietly answer a typo"; one named by a command's own policy or a responder
    # request was treated as nobody on call, and the run answered with bob at level 2.
    commands = [(at(0), trigger("k", "db")), (at(1), command)]
    with pytest.raises(NotFoundError, match=r"'db-primry' \(commands\[1\]\)"):
        simulate(POLICY, commands, {"db-primary": FakeSchedule("dora")})
