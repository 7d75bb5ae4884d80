from __future__ import annotations

from datetime import UTC, datetime

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
    thaw_json,
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


def test_events_are_frozen() -> None:
    event = trigger()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.summary = "x"  # type: ignore[misc]
    assert attrs.evolve(event, summary="y").summary == "y"


def test_freeze_json_rejects_non_json() -> None:
    with pytest.raises(InvalidEvent) as info:
        freeze_json({"a": [object()]}, "body")
    assert info.value.field == "body.a[0]"
