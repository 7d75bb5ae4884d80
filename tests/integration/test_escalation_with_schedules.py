"""Escalation driven by real ``tocsin.schedules.Schedule`` objects, through DST.

The escalation machine asks ``on_call_at(at)`` when a level is entered; a ``Schedule``
answers it as it is (no adapter).  The dates are real DST transitions in real zones.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tocsin.escalation import (
    EscalationLevel,
    EscalationPolicy,
    NobodyOnCall,
    ScheduleTarget,
    Trigger,
    UserTarget,
    simulate,
)
from tocsin.events import Event
from tocsin.schedules import Layer, Restriction, Schedule, Turn

NEW_YORK = ZoneInfo("America/New_York")

# A daily rotation handing off at 09:00 New York time: carol has 7 March (a 23-hour
# turn, as the clocks spring forward on the night of 7-8 March 2026), alice 8 March.
PRIMARY = Schedule(
    "db-primary",
    [
        Layer(
            "daily",
            ["alice", "bob", "carol"],
            datetime(2026, 3, 5, 9, tzinfo=NEW_YORK),
            Turn.days(1),
            NEW_YORK,
        )
    ],
    tz=NEW_YORK,
)
# Business hours only: nobody on call outside 09:00-17:00 New York time.
OFFICE = Schedule(
    "db-office",
    [
        Layer(
            "office",
            ["erin"],
            datetime(2026, 1, 5, 9, tzinfo=NEW_YORK),
            Turn.weeks(1),
            NEW_YORK,
            restrictions=[Restriction.daily(time(9), timedelta(hours=8))],
        )
    ],
    tz=NEW_YORK,
)


def trigger(key: str) -> Trigger:
    event = Event(action="trigger", dedup_key=key, summary=key, source="db1", severity="critical")
    return Trigger(event, service="database")


def test_the_on_call_person_is_looked_up_when_each_level_is_entered() -> None:
    policy = EscalationPolicy(
        "db",
        [
            EscalationLevel([ScheduleTarget("db-primary")], timedelta(minutes=15)),
            EscalationLevel([UserTarget("manager")], timedelta(minutes=15)),
        ],
        loops=1,
    )
    # 08:50 EDT on 8 March, ten minutes before the handoff from carol to alice.
    t0 = datetime(2026, 3, 8, 12, 50, tzinfo=UTC)
    timeline = simulate(policy, [(t0, trigger("db1/disk"))], {"db-primary": PRIMARY})
    assert [(n.at, n.user, n.level) for n in timeline.notifications] == [
        (datetime(2026, 3, 8, 12, 50, tzinfo=UTC), "carol", 1),
        (datetime(2026, 3, 8, 13, 5, tzinfo=UTC), "manager", 2),
        # The repeat enters level 1 again after the 09:00 EDT (13:00Z) handoff.
        (datetime(2026, 3, 8, 13, 20, tzinfo=UTC), "alice", 1),
        (datetime(2026, 3, 8, 13, 35, tzinfo=UTC), "manager", 2),
    ]


def test_a_restricted_schedule_outside_its_hours_is_skipped() -> None:
    policy = EscalationPolicy(
        "db",
        [
            EscalationLevel([ScheduleTarget("db-office")], timedelta(minutes=10)),
            EscalationLevel([ScheduleTarget("db-primary")], timedelta(minutes=10)),
        ],
    )
    on_call = {"db-office": OFFICE, "db-primary": PRIMARY}
    # 20:00 EDT on Monday 9 March: the office schedule is empty, bob is primary.
    night = datetime(2026, 3, 10, 0, 0, tzinfo=UTC)
    timeline = simulate(policy, [(night, trigger("db1/cpu"))], on_call)
    assert [(n.at, n.user, n.level) for n in timeline.notifications] == [(night, "bob", 2)]
    incident_id = next(iter(timeline.incidents))
    assert NobodyOnCall(incident_id, 1, ("db-office",)) in timeline.entries[0].effects
    # 10:00 EDT on Tuesday 10 March: erin is in the office.
    morning = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
    timeline = simulate(policy, [(morning, trigger("db1/cpu"))], on_call)
    # Carol took over the primary rotation at 09:00 EDT.
    assert [n.user for n in timeline.notifications] == ["erin", "carol"]
