from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from tocsin.errors import InvalidInput
from tocsin.noise import AlertChange, Flush, FlushOutcome, GroupTiming, plan_flushes
from tocsin.routing import Route, RoutingTree

if TYPE_CHECKING:
    from collections.abc import Callable

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
TIMING = GroupTiming(timedelta(seconds=30), timedelta(minutes=5), timedelta(hours=4))


def at(minutes: float = 0, seconds: float = 0) -> datetime:
    return T0 + timedelta(minutes=minutes, seconds=seconds)


def sent(flushes: tuple[Flush, ...]) -> list[tuple[datetime, list[str], list[str], str]]:
    return [(f.at, sorted(f.firing), sorted(f.resolved), f.reason) for f in flushes if f.sent]


def test_case_22_resolved_within_group_wait_is_never_notified() -> None:
    flushes = plan_flushes(
        [AlertChange(at(), "a1"), AlertChange(at(seconds=20), "a1", firing=False)],
        TIMING,
        until=at(minutes=30),
    )
    assert sent(flushes) == []
    assert [(f.at, f.outcome) for f in flushes] == [(at(seconds=30), FlushOutcome.UNCHANGED)]


def test_case_23_a_late_alert_waits_for_the_next_interval() -> None:
    flushes = plan_flushes(
        [AlertChange(at(), "a1"), AlertChange(at(minutes=1), "a2")],
        TIMING,
        until=at(minutes=11),
    )
    assert sent(flushes) == [
        (at(seconds=30), ["a1"], [], "first notification"),
        (at(minutes=5, seconds=30), ["a1", "a2"], [], "new alerts added"),
    ]


def test_case_24_repeat_interval_rounds_up_to_a_flush() -> None:
    timing = GroupTiming(timedelta(seconds=30), timedelta(minutes=5), timedelta(minutes=7))
    flushes = plan_flushes([AlertChange(at(), "a1")], timing, until=at(minutes=21))
    assert [(f.at, f.reason) for f in flushes if f.sent] == [
        (at(seconds=30), "first notification"),
        (at(minutes=10, seconds=30), "repeat interval elapsed"),
        (at(minutes=20, seconds=30), "repeat interval elapsed"),
    ]


def test_case_25_an_alert_already_resolved_on_arrival_is_not_notified() -> None:
    flushes = plan_flushes([AlertChange(at(), "a1", firing=False)], TIMING, until=at(minutes=10))
    assert sent(flushes) == []


def test_case_26_send_resolved_off_records_without_sending() -> None:
    flushes = plan_flushes(
        [
            AlertChange(at(), "a1"),
            AlertChange(at(minutes=10), "a1", firing=False),
            AlertChange(at(minutes=20), "a1"),
        ],
        TIMING,
        until=at(minutes=30),
        send_resolved=False,
    )
    assert [
        (f.at, f.outcome, f.reason) for f in flushes if f.outcome is not FlushOutcome.UNCHANGED
    ] == [
        (at(seconds=30), FlushOutcome.NOTIFIED, "first notification"),
        (
            at(minutes=10, seconds=30),
            FlushOutcome.RECORDED,
            "all alerts resolved (send_resolved is off: recorded, not sent)",
        ),
        # The group ended; the next firing starts a new group and counts as first.
        (at(minutes=20, seconds=30), FlushOutcome.NOTIFIED, "first notification"),
    ]


def test_send_resolved_sends_the_resolve_at_the_next_flush() -> None:
    flushes = plan_flushes(
        [
            AlertChange(at(), "a1"),
            AlertChange(at(), "a2"),
            AlertChange(at(minutes=2), "a1", firing=False),
        ],
        TIMING,
        until=at(minutes=12),
    )
    assert sent(flushes) == [
        (at(seconds=30), ["a1", "a2"], [], "first notification"),
        (at(minutes=5, seconds=30), ["a2"], ["a1"], "some alerts resolved"),
    ]


def test_an_alert_that_started_long_ago_flushes_at_once() -> None:
    old = AlertChange(at(minutes=3), "a1", started_at=at())
    flushes = plan_flushes([old], TIMING, until=at(minutes=4))
    assert sent(flushes) == [(at(minutes=3), ["a1"], [], "first notification")]


def muted_between(start: datetime, end: datetime) -> Callable[[str, datetime], bool]:
    def mute(alert: str, when: datetime) -> bool:
        del alert
        return start <= when < end

    return mute


def test_case_27_29_a_muted_resolve_is_lost_as_in_alertmanager() -> None:
    # a1 notified firing; a silence starts; a1 resolves while silenced.
    changes = [AlertChange(at(), "a1"), AlertChange(at(minutes=7), "a1", firing=False)]
    mute = muted_between(at(minutes=2), at(minutes=60))
    lost = plan_flushes(
        changes, TIMING, until=at(minutes=30), mute=mute, let_resolves_through=False
    )
    assert sent(lost) == [(at(seconds=30), ["a1"], [], "first notification")]
    assert [f.outcome for f in lost] == [
        FlushOutcome.NOTIFIED,
        FlushOutcome.MUTED,
        FlushOutcome.MUTED,
    ]


def test_let_resolves_through_sends_the_muted_resolve() -> None:
    changes = [AlertChange(at(), "a1"), AlertChange(at(minutes=7), "a1", firing=False)]
    mute = muted_between(at(minutes=2), at(minutes=60))
    kept = plan_flushes(changes, TIMING, until=at(minutes=30), mute=mute)
    assert sent(kept) == [
        (at(seconds=30), ["a1"], [], "first notification"),
        (at(minutes=10, seconds=30), [], ["a1"], "all alerts resolved"),
    ]


def test_a_muted_firing_alert_is_not_notified_and_not_let_through() -> None:
    changes = [AlertChange(at(), "a1"), AlertChange(at(minutes=1), "a2")]
    flushes = plan_flushes(
        changes, TIMING, until=at(minutes=6), mute=lambda alert, _: alert == "a2"
    )
    assert sent(flushes) == [(at(seconds=30), ["a1"], [], "first notification")]
    assert flushes[-1].muted == frozenset({"a2"})


def test_timing_from_a_route() -> None:
    tree = RoutingTree(Route(service="x", group_wait=timedelta(seconds=5)))
    assert GroupTiming.of(tree.routes[0]) == GroupTiming(
        timedelta(seconds=5), timedelta(minutes=5), timedelta(hours=4)
    )


def test_bad_inputs_name_the_field() -> None:
    with pytest.raises(InvalidInput) as info:
        GroupTiming(group_interval=timedelta(0))
    assert info.value.field == "group_interval"
    with pytest.raises(InvalidInput) as info:
        AlertChange(T0, "")
    assert info.value.field == "alert"
    with pytest.raises(InvalidInput) as info:
        plan_flushes(["x"], TIMING, until=T0)  # type: ignore[list-item]
    assert info.value.field == "changes[0]"
