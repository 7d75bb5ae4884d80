"""Policies, levels, targets and support hours: validation, and DST in real zones."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest

from tocsin.errors import InvalidInput
from tocsin.escalation import (
    AckTimeoutMode,
    EmptyLevelMode,
    EscalationLevel,
    EscalationPolicy,
    ScheduleTarget,
    UserTarget,
)
from tocsin.services import SupportHours, UrgencyRule

TEN = timedelta(minutes=10)
LEVEL = EscalationLevel(UserTarget("alice"), TEN)


def test_defaults_follow_pagerduty() -> None:
    policy = EscalationPolicy("db", LEVEL)
    assert policy.levels == (LEVEL,)
    assert policy.loops == 0
    assert policy.passes == 1
    assert policy.on_ack_timeout is AckTimeoutMode.RESTART
    assert policy.empty_level is EmptyLevelMode.SKIP
    assert (policy.ack_timeout, policy.auto_resolve) == (None, None)
    assert (policy.support_hours, policy.urgency_rule) == (None, None)


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


# --- urgency ---------------------------------------------------------------------


def test_support_hours_and_urgency_rules_are_the_services_own() -> None:
    hours = SupportHours("Europe/Berlin", start=time(9), end=time(17))
    rule = UrgencyRule(during="severity_based", outside="low")
    policy = EscalationPolicy("db", LEVEL, support_hours=hours, urgency_rule=rule)
    assert (policy.support_hours, policy.urgency_rule) == (hours, rule)
    with pytest.raises(InvalidInput) as err:
        EscalationPolicy("db", LEVEL, urgency_rule="severity_based")
    assert err.value.field == "urgency_rule"
