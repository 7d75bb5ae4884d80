"""What every source's valid payloads become, over payloads drawn by tocsin.testing."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from hypothesis import given, settings

from tocsin.events import MAX_DEDUP_KEY, MAX_SUMMARY, Action, Event, fingerprint, thaw_json
from tocsin.integrations import alertmanager, cloudwatch, datadog, grafana, opsgenie, pagerduty
from tocsin.testing import (
    alertmanager_payloads,
    cloudwatch_payloads,
    datadog_payloads,
    grafana_payloads,
    opsgenie_payloads,
    pagerduty_payloads,
)


def well_formed(events: list[Event]) -> None:
    for event in events:
        assert 0 < len(event.dedup_key) <= MAX_DEDUP_KEY
        if event.summary is not None:
            assert len(event.summary) <= MAX_SUMMARY


def both_ways(parse: Any, payload: dict[str, Any]) -> list[Event]:
    from_mapping = parse(payload)
    assert parse(json.dumps(payload).encode()) == from_mapping
    assert isinstance(from_mapping, list)
    well_formed(from_mapping)
    return from_mapping


@settings(max_examples=60)
@given(alertmanager_payloads())
def test_alertmanager_one_event_per_alert_nothing_lost(payload: dict[str, Any]) -> None:
    events = both_ways(alertmanager.parse, payload)
    assert len(events) == len(payload["alerts"])
    for event, alert in zip(events, payload["alerts"], strict=True):
        assert event.action is (Action.TRIGGER if alert["status"] == "firing" else Action.RESOLVE)
        assert event.labels == alert["labels"]
        assert event.dedup_key == (alert.get("fingerprint") or fingerprint(alert["labels"]))
        details = thaw_json(event.custom_details)
        assert isinstance(details, dict)
        group = details.pop("group")
        assert details == alert
        assert group == {k: v for k, v in payload.items() if k != "alerts"}


@settings(max_examples=60)
@given(grafana_payloads())
def test_grafana_unified_and_legacy(payload: dict[str, Any]) -> None:
    events = both_ways(grafana.parse, payload)
    if "alerts" in payload:
        org = f"grafana-org-{payload['orgId']}/" if "orgId" in payload else ""
        assert [e.dedup_key for e in events] == [org + a["fingerprint"] for a in payload["alerts"]]
    elif payload["state"] in {"paused", "pending"}:
        assert events == []
    else:
        [event] = events
        assert event.dedup_key == f"grafana-rule-{payload['ruleId']}"
        assert event.action is (Action.RESOLVE if payload["state"] == "ok" else Action.TRIGGER)
        assert event.labels == payload["tags"]


@settings(max_examples=60)
@given(datadog_payloads())
def test_datadog_keys_by_the_alert_not_the_notification(payload: dict[str, Any]) -> None:
    [event] = both_ways(datadog.parse, payload)
    expected = payload.get("alert_cycle_key") or f"{payload['alert_id']}/{payload['alert_scope']}"
    assert event.dedup_key == expected
    assert event.action is (
        Action.RESOLVE if payload["alert_transition"] == "Recovered" else Action.TRIGGER
    )
    assert thaw_json(event.custom_details) == payload


@settings(max_examples=60)
@given(cloudwatch_payloads())
def test_cloudwatch_alarm_whatever_the_delivery(payload: dict[str, Any]) -> None:
    result = cloudwatch.parse(payload)
    assert isinstance(result, list)
    alarm = json.loads(payload["Message"]) if "Message" in payload else payload
    [event] = both_ways(cloudwatch.parse, payload)
    if "AlarmArn" in alarm:
        assert event.dedup_key == alarm["AlarmArn"]
    state = alarm["NewStateValue"]
    assert event.action is (Action.RESOLVE if state == "OK" else Action.TRIGGER)
    details = thaw_json(event.custom_details)
    assert isinstance(details, dict)
    sns = details.pop("sns", None)
    assert details == alarm
    if sns is not None:
        assert "UnsubscribeURL" not in sns
    assert cloudwatch.parse(payload, insufficient_data="ignore") == (
        [] if state == "INSUFFICIENT_DATA" else [event]
    )


@settings(max_examples=60)
@given(pagerduty_payloads())
def test_pagerduty_bodies(payload: dict[str, Any]) -> None:
    [event] = both_ways(pagerduty.parse, payload)
    assert event.dedup_key_generated is ("dedup_key" not in payload)
    if "dedup_key" in payload:
        assert event.dedup_key == payload["dedup_key"]


@settings(max_examples=60)
@given(opsgenie_payloads())
def test_opsgenie_create_and_close_meet(payload: dict[str, Any]) -> None:
    [created] = both_ways(opsgenie.parse, payload)
    assert thaw_json(created.custom_details) == payload
    if payload.get("alias"):
        [closed] = opsgenie.parse({}, action="close", alias=payload["alias"])
        assert closed.dedup_key == created.dedup_key
    else:
        assert created.dedup_key_generated
    assert isinstance(created.custom_details, Mapping)
