from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tocsin.errors import InvalidInput
from tocsin.events import Event
from tocsin.noise import (
    ContentGrouping,
    NoisePolicy,
    OpenIncident,
    Outcome,
    TimeWindowGrouping,
)

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


def alert(key: str, source: str, class_: str | None = None) -> Event:
    return Event(
        action="trigger",
        dedup_key=key,
        summary=f"{key} on {source}",
        source=source,
        severity="error",
        class_=class_,
    )


def test_case_17_window_rolls_from_the_last_grouped_alert() -> None:
    # PagerDuty content grouping on [source], all, 300 s: A, B, C join (T+4 then T+8
    # extend the window); D at T+14 is 6 minutes after C and opens a new incident.
    policy = NoisePolicy(grouping=ContentGrouping(("event.source",), window=timedelta(minutes=5)))
    replay = policy.replay(
        [
            (minutes(0), alert("A", "x")),
            (minutes(4), alert("B", "x")),
            (minutes(8), alert("C", "x")),
            (minutes(14), alert("D", "x")),
        ]
    )
    assert [(v.outcome, v.incident) for v in replay.verdicts] == [
        (Outcome.PAGED, "I1"),
        (Outcome.GROUPED, "I1"),
        (Outcome.GROUPED, "I1"),
        (Outcome.PAGED, "I2"),
    ]
    assert replay.state.incidents["I1"].alerts == ("A", "B", "C")


def test_case_18_any_groups_on_one_matching_field() -> None:
    policy = NoisePolicy(
        grouping=ContentGrouping(
            ("event.source", "event.class"), "any", window=timedelta(minutes=5)
        )
    )
    replay = policy.replay(
        [
            (minutes(0), alert("A", "x", "cpu")),
            (minutes(1), alert("B", "y", "cpu")),
            (minutes(2), alert("C", "z", "disk")),
        ]
    )
    assert [(v.outcome, v.incident) for v in replay.verdicts] == [
        (Outcome.PAGED, "I1"),
        (Outcome.GROUPED, "I1"),
        (Outcome.PAGED, "I2"),
    ]
    assert "same event.class" in replay.verdicts[1].reasons[-1].detail


def test_missing_never_equals_missing() -> None:
    grouping = ContentGrouping(("event.class",), window=timedelta(minutes=5))
    a, b = alert("A", "x"), alert("B", "y")
    assert not grouping.groups_with(a, b)
    assert not grouping.groups_with(a, a)
    any_grouping = ContentGrouping(("event.source", "event.class"), "any")
    assert not any_grouping.groups_with(alert("A", "x"), alert("B", "y"))
    decision = grouping.assign(b, T0, [OpenIncident("I1", T0, T0, (None,))])
    assert decision.incident is None
    assert "never grouped on a missing field" in decision.reason


def test_window_boundary_is_inclusive() -> None:
    grouping = ContentGrouping(("event.source",), window=timedelta(minutes=5))
    incident = OpenIncident("I1", T0, T0, ("x",))
    assert grouping.assign(alert("B", "x"), minutes(5), [incident]).incident == "I1"
    later = minutes(5) + timedelta(microseconds=1)
    assert grouping.assign(alert("B", "x"), later, [incident]).incident is None


def test_grouping_stops_24_hours_after_the_first_alert() -> None:
    grouping = ContentGrouping(("event.source",), window=timedelta(hours=1))
    incident = OpenIncident("I1", T0, T0 + timedelta(hours=23, minutes=30), ("x",))
    assert grouping.assign(alert("B", "x"), T0 + timedelta(hours=24), [incident]).incident == "I1"
    too_late = T0 + timedelta(hours=24, seconds=1)
    decision = grouping.assign(alert("B", "x"), too_late, [incident])
    assert decision.incident is None


def test_only_open_incidents_accept_alerts() -> None:
    grouping = ContentGrouping(("event.source",))
    closed = OpenIncident("I1", T0, T0, ("x",), open=False)
    assert grouping.assign(alert("B", "x"), minutes(1), [closed]).incident is None


def test_the_most_recently_grouped_incident_wins() -> None:
    grouping = ContentGrouping(("event.source",), window=timedelta(minutes=30))
    older = OpenIncident("I1", T0, minutes(1), ("x",))
    newer = OpenIncident("I2", T0, minutes(2), ("x",))
    assert grouping.assign(alert("C", "x"), minutes(3), [older, newer]).incident == "I2"
    assert grouping.assign(alert("C", "x"), minutes(3), [newer, older]).incident == "I2"


def test_anchor_first_measures_from_the_first_alert() -> None:
    grouping = ContentGrouping(("event.source",), window=timedelta(minutes=5), anchor="first")
    incident = OpenIncident("I1", T0, minutes(4), ("x",))
    assert grouping.assign(alert("C", "x"), minutes(6), [incident]).incident is None


def test_time_window_grouping_ignores_content() -> None:
    policy = NoisePolicy(grouping=TimeWindowGrouping(timedelta(minutes=10)))
    replay = policy.replay(
        [
            (minutes(0), alert("A", "x")),
            (minutes(9), alert("B", "y")),
            (minutes(18), alert("C", "z")),
            (minutes(29), alert("D", "w")),
        ]
    )
    assert [v.incident for v in replay.verdicts] == ["I1", "I1", "I1", "I2"]


def test_time_window_none_groups_until_resolved() -> None:
    grouping = TimeWindowGrouping(None)
    incident = OpenIncident("I1", T0, T0)
    assert grouping.assign({}, T0 + timedelta(days=3), [incident]).incident == "I1"


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: ContentGrouping(()), "fields"),
        (lambda: ContentGrouping("event.source"), "fields"),
        (lambda: ContentGrouping(("a", "a")), "fields[1]"),
        (lambda: ContentGrouping(("event.nope",)), "fields[0]"),
        (lambda: ContentGrouping(("a",), "some"), "aggregate"),
        (lambda: ContentGrouping(("a",), window=timedelta(hours=25)), "window"),
        (lambda: ContentGrouping(("a",), anchor="middle"), "anchor"),
        (lambda: TimeWindowGrouping(timedelta(0)), "window"),
    ],
)
def test_bad_groupings_name_the_field(build: object, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        build()  # type: ignore[operator]
    assert info.value.field == field
