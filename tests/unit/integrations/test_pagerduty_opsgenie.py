from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from tocsin.errors import InvalidEvent
from tocsin.events import Action, Severity
from tocsin.integrations import SOURCES, opsgenie, pagerduty, parse

FIXTURES = Path(__file__).parents[2] / "fixtures"


def raw(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def test_pagerduty_refuses_change_events_as_v2_enqueue_does() -> None:
    with pytest.raises(InvalidEvent) as info:
        pagerduty.parse(raw("pagerduty-events-v2/devdocs-change.json"))
    assert info.value.field == "event_action"


def test_pagerduty_severity_remap() -> None:
    body = raw("pagerduty-events-v2/api-schema-trigger-full.json")
    [event] = pagerduty.parse(body, severities={"critical": Severity.ERROR})
    assert event.severity is Severity.ERROR
    assert pagerduty.parse(body)[0].severity is Severity.CRITICAL


def test_pagerduty_generated_key_is_visible_and_injectable() -> None:
    body = raw("pagerduty-events-v2/trigger-without-dedup-key-reconstructed.json")
    [event] = pagerduty.parse(body, key_factory=lambda _body: "uuid-from-the-shell")
    assert (event.dedup_key, event.dedup_key_generated) == ("uuid-from-the-shell", True)


def test_opsgenie_create_close_and_acknowledge_share_the_alias() -> None:
    [created] = opsgenie.parse(raw("opsgenie/docs-create-alert-full.json"))
    close_body = raw("opsgenie/close-alert-body-reconstructed.json")
    [closed] = opsgenie.parse(close_body, action="close", alias="Life is too short for no alias")
    [acked] = opsgenie.parse(
        close_body, action="acknowledge", alias="Life is too short for no alias"
    )
    assert created.dedup_key == closed.dedup_key == acked.dedup_key
    assert [e.action for e in (created, closed, acked)] == [
        Action.TRIGGER,
        Action.RESOLVE,
        Action.ACKNOWLEDGE,
    ]
    assert closed.custom_details == {
        "user": "Monitoring Script",
        "source": "AWS Lambda",
        "note": "Action executed via Alert API",
    }


def test_opsgenie_close_needs_the_alias_from_the_path() -> None:
    with pytest.raises(InvalidEvent) as info:
        opsgenie.parse(raw("opsgenie/close-alert-body-reconstructed.json"), action="close")
    assert info.value.field == "alias"


def test_opsgenie_long_alias_hashes_the_same_for_create_and_close() -> None:
    body = json.loads(raw("opsgenie/derived-create-alert-unicode-over-limits.json"))
    [created] = opsgenie.parse(body)
    [closed] = opsgenie.parse({}, action="close", alias=body["alias"])
    assert created.dedup_key == closed.dedup_key
    assert (
        created.dedup_key
        == hashlib.sha256(b"dedup_key\x00\x00" + body["alias"].encode()).hexdigest()
    )
    assert created.custom_details["alias"] == body["alias"]
    # Opsgenie cuts messages at 130 characters; tocsin keeps all 172.
    assert created.summary == body["message"]
    assert len(body["message"]) == 172


@pytest.mark.parametrize(
    ("priority", "severity"),
    [
        ("P1", Severity.CRITICAL),
        ("P2", Severity.ERROR),
        ("P3", Severity.WARNING),
        ("P4", Severity.INFO),
        ("P5", Severity.INFO),
        (None, Severity.WARNING),
    ],
)
def test_opsgenie_priorities(priority: str | None, severity: Severity) -> None:
    body: dict[str, Any] = {"message": "Disk full", "alias": "a"}
    if priority is not None:
        body["priority"] = priority
    assert opsgenie.parse(body)[0].severity is severity


def test_opsgenie_create_without_alias_gets_a_generated_key() -> None:
    [event] = opsgenie.parse({"message": "Disk full"})
    assert event.dedup_key_generated is True
    assert event.dedup_key == hashlib.sha256(b"message\x00\x00Disk full").hexdigest()
    [event] = opsgenie.parse({"message": "Disk full"}, key_factory=lambda _body: "minted")
    assert event.dedup_key == "minted"


@pytest.mark.parametrize(
    ("body", "options", "field"),
    [
        ({"message": ""}, {}, "message"),
        ({"alias": "a"}, {}, "message"),
        ({"message": "m", "priority": "P9"}, {}, "priority"),
        ({"message": "m", "tags": "urgent"}, {}, "tags"),
        ({"message": "m", "details": {"a": 1}}, {}, "details.a"),
        ({"message": "m", "responders": [{"name": "x"}]}, {}, "responders[0].type"),
        ({"message": "m"}, {"action": "delete"}, "action"),
        ({"message": "m"}, {"alias": 5}, "alias"),
    ],
)
def test_opsgenie_errors_name_the_field(body: object, options: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidEvent) as info:
        opsgenie.parse(body, **options)  # type: ignore[arg-type]
    assert info.value.field == field


def test_dispatch_by_name() -> None:
    assert SOURCES == ("alertmanager", "grafana", "datadog", "cloudwatch", "pagerduty", "opsgenie")
    [event] = parse("opsgenie", {}, action="close", alias="x")
    assert event.action is Action.RESOLVE
    with pytest.raises(InvalidEvent) as info:
        parse("nagios", {})
    assert info.value.field == "source"
    with pytest.raises(InvalidEvent) as info:
        parse("alertmanager", {}, alias="x")
    assert info.value.field == "alias"


@pytest.mark.parametrize(
    ("source", "payload", "options"),
    [
        (
            "datadog",
            {"alert_transition": "Triggered", "alert_title": "t", "alert_id": 10**5000},
            {},
        ),
        ("grafana", {"ruleId": 10**5000, "state": "alerting", "ruleName": "r"}, {}),
        ("opsgenie", {"message": "m", "extra": 10**5000}, {}),
        ("pagerduty", {"event_action": 10**5000}, {}),
        ("alertmanager", {"alerts": [{"status": 10**5000, "labels": {}}]}, {}),
        ("opsgenie", {"message": "m", "priority": "P" + "9" * 100_000}, {}),
    ],
)
def test_huge_values_from_a_mapping_are_invalid_events(
    source: str, payload: dict[str, Any], options: dict[str, Any]
) -> None:
    # Python refuses to print integers of more than 4300 digits (ValueError); a
    # caller's mapping can hold one even though no JSON text we decode can.
    with pytest.raises(InvalidEvent) as info:
        parse(source, payload, **options)
    assert len(str(info.value)) < 300
