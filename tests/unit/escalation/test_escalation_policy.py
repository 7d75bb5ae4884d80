"""Policies, levels, targets and support hours: validation, and DST in real zones."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tocsin.errors import InvalidInput, UnknownZoneError
from tocsin.escalation import (
    AckTimeoutMode,
    EmptyLevelMode,
    EscalationLevel,
    EscalationPolicy,
    ScheduleTarget,
    SupportHours,
    UserTarget,
)

TEN = timedelta(minutes=10)
LEVEL = EscalationLevel(UserTarget("alice"), TEN)
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def test_defaults_follow_pagerduty() -> None:
    policy = EscalationPolicy("db", LEVEL)
    assert policy.levels == (LEVEL,)
    assert policy.loops == 0
    assert policy.passes == 1
    assert policy.on_ack_timeout is AckTimeoutMode.RESTART
    assert policy.empty_level is EmptyLevelMode.SKIP
    assert (policy.ack_timeout, policy.auto_resolve, policy.support_hours) == (None, None, None)


def test_a_single_target_is_a_one_target_level() -> None:
    assert LEVEL.targets == (UserTarget("alice"),)


def test_schedules_lists_every_schedule_the_policy_pages() -> None:
    policy = EscalationPolicy(
        "db",
        [
            EscalationLevel([ScheduleTarget("a"), UserTarget("x")], TEN),
            EscalationLevel([ScheduleTarget("b"), ScheduleTarget("a")], TEN),
        ],
    )
    assert policy.schedules == frozenset({"a", "b"})


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "name"),
        ({"levels": []}, "levels"),
        ({"levels": "alice"}, "levels"),
        ({"levels": [LEVEL, "bob"]}, "levels[1]"),
        ({"loops": -1}, "loops"),
        ({"loops": True}, "loops"),
        ({"loops": 1.5}, "loops"),
        ({"on_ack_timeout": "continue"}, "on_ack_timeout"),
        ({"empty_level": "drop"}, "empty_level"),
        ({"ack_timeout": timedelta(0)}, "ack_timeout"),
        ({"ack_timeout": 1800}, "ack_timeout"),
        ({"auto_resolve": -TEN}, "auto_resolve"),
        ({"support_hours": "9-17"}, "support_hours"),
    ],
)
def test_policy_rejects_bad_input_naming_the_field(kwargs: dict[str, Any], field: str) -> None:
    arguments: dict[str, Any] = {"name": "db", "levels": [LEVEL]}
    arguments.update(kwargs)
    with pytest.raises(InvalidInput) as err:
        EscalationPolicy(**arguments)
    assert err.value.field == field


@pytest.mark.parametrize(
    ("targets", "delay", "field"),
    [
        ([], TEN, "targets"),
        ("alice", TEN, "targets"),
        ([UserTarget("a"), "b"], TEN, "targets[1]"),
        ([UserTarget("a")], timedelta(0), "delay"),
        ([UserTarget("a")], -TEN, "delay"),
        ([UserTarget("a")], 10, "delay"),
    ],
)
def test_level_rejects_bad_input_naming_the_field(targets: Any, delay: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        EscalationLevel(targets, delay)
    assert err.value.field == field


def test_targets_need_a_name() -> None:
    with pytest.raises(InvalidInput) as err:
        UserTarget("")
    assert err.value.field == "user"
    with pytest.raises(InvalidInput) as err:
        ScheduleTarget(7)  # type: ignore[arg-type]
    assert err.value.field == "schedule"


# --- support hours -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("Mars/Olympus", time(9), time(17)), "zone"),
        (("UTC", "09:00", time(17)), "start"),
        (("UTC", time(9, tzinfo=UTC), time(17)), "start"),
        (("UTC", time(9), None), "end"),
        (("UTC", time(17), time(9)), "end"),
        (("UTC", time(9), time(9)), "end"),
        (("UTC", time(9), time(17), ()), "days"),
        (("UTC", time(9), time(17), (1, 8)), "days[1]"),
        (("UTC", time(9), time(17), (1, 1)), "days"),
        (("UTC", time(9), time(17), "weekdays"), "days"),
    ],
)
def test_support_hours_reject_bad_input_naming_the_field(args: tuple[Any, ...], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        SupportHours(*args)
    assert err.value.field == field


def test_an_unknown_zone_is_an_unknown_zone_error() -> None:
    with pytest.raises(UnknownZoneError):
        SupportHours("Europe/Atlantis", time(9), time(17))


def test_support_hours_are_wall_clock_hours_on_both_sides_of_a_dst_change() -> None:
    hours = SupportHours(NEW_YORK, time(9), time(17))
    # Friday 2026-03-06 is EST (UTC-5), Monday 2026-03-09 is EDT (UTC-4).
    assert hours.contains(datetime(2026, 3, 6, 14, tzinfo=UTC))  # 09:00 EST
    assert not hours.contains(datetime(2026, 3, 6, 13, 59, tzinfo=UTC))  # 08:59 EST
    assert hours.contains(datetime(2026, 3, 9, 13, tzinfo=UTC))  # 09:00 EDT
    assert not hours.contains(datetime(2026, 3, 9, 21, tzinfo=UTC))  # 17:00 EDT: end is open
    assert not hours.contains(datetime(2026, 3, 7, 15, tzinfo=UTC))  # Saturday


def test_next_start_skips_the_weekend_and_follows_the_dst_change() -> None:
    hours = SupportHours(BERLIN, time(9), time(17))
    # Friday 2026-03-27 18:00 CET; Europe moves to CEST on Sunday 2026-03-29.
    friday_evening = datetime(2026, 3, 27, 17, tzinfo=UTC)
    assert hours.next_start(friday_evening) == datetime(2026, 3, 30, 7, tzinfo=UTC)
    # Strictly after: at 09:00 exactly the next start is the next day's.
    assert hours.next_start(datetime(2026, 3, 30, 7, tzinfo=UTC)) == datetime(
        2026, 3, 31, 7, tzinfo=UTC
    )


def test_a_start_in_a_dst_gap_begins_when_the_gap_ends() -> None:
    # 02:30 does not exist in New York on 2026-03-08: the hours begin at 03:00 EDT.
    hours = SupportHours(NEW_YORK, time(2, 30), time(4), days=(7,))
    start = hours.next_start(datetime(2026, 3, 8, 5, tzinfo=UTC))
    assert start == datetime(2026, 3, 8, 7, tzinfo=UTC)
    assert start.astimezone(NEW_YORK).isoformat() == "2026-03-08T03:00:00-04:00"
    assert hours.contains(start)


def test_a_start_in_a_dst_fold_takes_the_first_occurrence() -> None:
    # 01:30 happens twice in New York on 2026-11-01: first at 05:30Z (EDT).
    hours = SupportHours(NEW_YORK, time(1, 30), time(6), days=(7,))
    assert hours.next_start(datetime(2026, 11, 1, 4, tzinfo=UTC)) == datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )


def test_support_hours_accept_a_fixed_offset_zone() -> None:
    hours = SupportHours(timezone(timedelta(hours=5, minutes=30)), time(9), time(18))
    assert hours.contains(datetime(2026, 1, 5, 3, 30, tzinfo=UTC))
