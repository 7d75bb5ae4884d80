from __future__ import annotations

import copy
import operator
import pickle
from datetime import UTC, datetime, timedelta, timezone
from types import MappingProxyType
from zoneinfo import ZoneInfo

import attrs
import pytest

from tocsin.errors import InvalidEvent
from tocsin.events import (
    Action,
    ChangeEvent,
    Event,
    Image,
    Link,
    Severity,
    freeze_json,
    parse_event,
    thaw_json,
    to_events_v2,
)


def trigger(**changes: object) -> Event:
    fields: dict[str, object] = {
        "action": "trigger",
        "dedup_key": "k1",
        "summary": "Disk full on db1",
        "source": "db1",
        "severity": "critical",
    }
    fields.update(changes)
    return Event(**fields)  # type: ignore[arg-type]


def test_trigger_converts_strings_to_enums_and_freezes_details() -> None:
    event = trigger(custom_details={"labels": {"team": "db", "n": 3}, "list": [1, {"a": None}]})
    assert event.action is Action.TRIGGER
    assert event.severity is Severity.CRITICAL
    assert event.labels == {"team": "db"}
    assert event.custom_details["list"] == (1, {"a": None})
    with pytest.raises(TypeError):
        event.custom_details["x"] = 1  # type: ignore[index]
    assert thaw_json(event.custom_details) == {
        "labels": {"team": "db", "n": 3},
        "list": [1, {"a": None}],
    }
    assert event == trigger(
        custom_details={"labels": {"team": "db", "n": 3}, "list": [1, {"a": None}]}
    )


@pytest.mark.parametrize("missing", ["summary", "source", "severity"])
def test_trigger_requires_payload_fields(missing: str) -> None:
    with pytest.raises(InvalidEvent) as info:
        trigger(**{missing: None})
    assert info.value.field == f"payload.{missing}"


def test_acknowledge_needs_only_a_key() -> None:
    event = Event(action=Action.ACKNOWLEDGE, dedup_key="k1")
    assert event.summary is None
    assert event.labels == {}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"action": "snooze"}, "event_action"),
        ({"severity": "fatal"}, "payload.severity"),
        ({"severity": 3}, "payload.severity"),
        ({"dedup_key": ""}, "dedup_key"),
        ({"dedup_key": "x" * 256}, "dedup_key"),
        ({"summary": "s" * 1025}, "payload.summary"),
        ({"timestamp": datetime(2026, 1, 1)}, "payload.timestamp"),
        ({"timestamp": "2026-01-01"}, "payload.timestamp"),
        ({"custom_details": [1]}, "payload.custom_details"),
        ({"custom_details": {"x": float("nan")}}, "payload.custom_details.x"),
        ({"custom_details": {"x": {1: 2}}}, "payload.custom_details.x"),
        ({"links": [{"href": "x"}]}, "links[0]"),
        ({"component": 5}, "payload.component"),
    ],
)
def test_bad_fields_are_named(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidEvent) as info:
        trigger(**changes)
    assert info.value.field == field


def test_limits_are_inclusive() -> None:
    event = trigger(dedup_key="x" * 255, summary="é" * 1024)
    assert len(event.dedup_key) == 255


def test_naive_timestamp_is_an_invalid_event_not_a_silent_guess() -> None:
    with pytest.raises(InvalidEvent) as info:
        trigger(timestamp=datetime(2026, 1, 1))
    assert info.value.field == "payload.timestamp"
    assert "naive" in info.value.reason


def test_new_york_fold_timestamps_are_two_instants_an_hour_apart() -> None:
    # 2026-11-01 01:30 happens twice in New York: at 05:30Z (EDT) and 06:30Z (EST).
    # Sharing a ZoneInfo, Python calls the two equal (it compares wall fields and
    # ignores fold); the event keeps each at its own fixed offset instead.
    new_york = ZoneInfo("America/New_York")
    first = trigger(timestamp=datetime(2026, 11, 1, 1, 30, tzinfo=new_york))
    second = trigger(timestamp=datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=new_york))
    assert first != second
    assert len({first, second}) == 2
    assert first.timestamp is not None
    assert second.timestamp is not None
    assert first.timestamp.isoformat() == "2026-11-01T01:30:00-04:00"
    assert second.timestamp.isoformat() == "2026-11-01T01:30:00-05:00"
    assert first.timestamp == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert second.timestamp == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert to_events_v2(second)["payload"]["timestamp"] == "2026-11-01T01:30:00-05:00"  # type: ignore[index]
    for event in (first, second):
        assert parse_event(to_events_v2(event)) == event
        assert hash(parse_event(to_events_v2(event))) == hash(event)
    change = ChangeEvent(
        summary="deploy", timestamp=datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=new_york)
    )
    assert change.timestamp == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert parse_event(to_events_v2(change)) == change


def test_a_timestamp_keeps_the_senders_offset_at_a_fixed_offset() -> None:
    berlin = trigger(timestamp=datetime(2026, 7, 1, 12, tzinfo=ZoneInfo("Europe/Berlin")))
    assert berlin.timestamp is not None
    assert berlin.timestamp.tzinfo == timezone(timedelta(hours=2))
    assert berlin.timestamp.isoformat() == "2026-07-01T12:00:00+02:00"


def test_an_offset_with_seconds_is_written_in_utc_and_reads_back_equal() -> None:
    # New York kept local mean time, -04:56:02, until 1883: RFC 3339 offsets are whole
    # minutes, so the instant is written in UTC.
    event = trigger(timestamp=datetime(1880, 1, 1, tzinfo=ZoneInfo("America/New_York")))
    assert to_events_v2(event)["payload"]["timestamp"] == "1880-01-01T04:56:02+00:00"  # type: ignore[index]
    assert parse_event(to_events_v2(event)) == event


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_an_instant_outside_the_years_1_to_9999_in_utc_is_refused(moment: datetime) -> None:
    with pytest.raises(InvalidEvent) as info:
        trigger(timestamp=moment)
    assert info.value.field == "payload.timestamp"
    assert "outside the years 1 to 9999 in UTC" in info.value.reason


def test_a_timestamp_error_names_its_field_once() -> None:
    with pytest.raises(InvalidEvent) as info:
        trigger(timestamp="2026-01-01T00:00:00Z")
    assert str(info.value) == "payload.timestamp: expected an aware datetime, got str"


def test_links_images_and_change_events() -> None:
    event = trigger(
        links=[Link("https://example.com", "runbook")],
        images=[Image("https://example.com/a.png", alt="graph")],
        timestamp=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert event.links[0].text == "runbook"
    with pytest.raises(InvalidEvent):
        Link("")
    change = ChangeEvent(summary="Deployed v1.2")
    assert change.custom_details == {}
    with pytest.raises(InvalidEvent) as info:
        ChangeEvent(summary="")
    assert info.value.field == "payload.summary"


def test_severity_orders_by_urgency() -> None:
    assert sorted(Severity) == [Severity.INFO, Severity.WARNING, Severity.ERROR, Severity.CRITICAL]
    assert Severity.ERROR.rank == 2


def test_severity_orders_against_its_string_values_by_urgency_too() -> None:
    # A Severity is a str: a comparison it declined fell back to alphabetical order,
    # so a threshold written as a string said critical was below info.
    assert Severity.CRITICAL > "info"
    assert Severity.CRITICAL >= "warning"
    assert Severity.INFO < "error"
    assert Severity.WARNING <= "warning"
    assert not Severity.ERROR <= "warning"
    # The string on the left: Python asks the Severity (a str subclass) first.
    assert operator.lt("info", Severity.CRITICAL)
    assert operator.gt("critical", Severity.ERROR)
    assert not operator.ge("warning", Severity.ERROR)
    assert max("critical", Severity.INFO) == "critical"
    for wrong in ("Critical", "fatal", ""):
        with pytest.raises(TypeError, match="not one of critical, error, warning, info"):
            operator.lt(Severity.INFO, wrong)
        with pytest.raises(TypeError):
            operator.gt(wrong, Severity.INFO)
    with pytest.raises(TypeError):
        operator.lt(Severity.INFO, 3)


def test_events_are_frozen() -> None:
    event = trigger()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.summary = "x"  # type: ignore[misc]
    assert attrs.evolve(event, summary="y").summary == "y"


def test_freeze_json_rejects_non_json() -> None:
    with pytest.raises(InvalidEvent) as info:
        freeze_json({"a": [object()]}, "body")
    assert info.value.field == "body.a[0]"


def test_events_pickle_and_deep_copy_to_equal_events() -> None:
    # Read-only mappings do not pickle; events cross process boundaries (worker pools,
    # queues, caches) and must survive the trip, custom_details, offset and all.
    event = trigger(
        custom_details={"labels": {"team": "db"}, "list": [1, {"a": None}], "f": 1.5},
        timestamp=datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ZoneInfo("America/New_York")),
        links=[Link("https://runbook", "Runbook")],
        images=[Image("https://graph.png", alt="graph")],
        dedup_key_generated=True,
    )
    assert event.labels == {"team": "db"}  # fills the labels cache, which stays behind
    change = ChangeEvent(summary="Deployed v2", custom_details={"build": {"id": 7}})
    for value in (event, change):
        for clone in (pickle.loads(pickle.dumps(value)), copy.deepcopy(value)):  # noqa: S301
            assert clone == value
            assert type(clone.custom_details) is MappingProxyType
            assert to_events_v2(clone) == to_events_v2(value)
    clone = pickle.loads(pickle.dumps(event))  # noqa: S301
    assert clone.dedup_key_generated is True
    assert clone.timestamp is not None
    assert clone.timestamp.utcoffset() == timedelta(hours=-5)
    assert clone.labels == {"team": "db"}
