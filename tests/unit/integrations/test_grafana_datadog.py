from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tocsin.errors import InvalidEvent
from tocsin.events import Action, Link, Severity
from tocsin.integrations import datadog, grafana

FIXTURES = Path(__file__).parents[2] / "fixtures"


def legacy(**changes: Any) -> dict[str, Any]:
    raw = json.loads((FIXTURES / "grafana/docs-legacy-alerting.json").read_bytes())
    raw.update(changes)
    return {key: value for key, value in raw.items() if value is not None}


@pytest.mark.parametrize(
    ("state", "action", "severity"),
    [
        ("alerting", Action.TRIGGER, Severity.ERROR),
        ("no_data", Action.TRIGGER, Severity.WARNING),
        ("ok", Action.RESOLVE, Severity.ERROR),
    ],
)
def test_legacy_states(state: str, action: Action, severity: Severity) -> None:
    [event] = grafana.parse(legacy(state=state))
    assert (event.action, event.severity, event.dedup_key) == (action, severity, "grafana-rule-1")
    assert event.timestamp is None


@pytest.mark.parametrize("state", ["paused", "pending"])
def test_legacy_paused_and_pending_give_no_events(state: str) -> None:
    assert grafana.parse(legacy(state=state)) == []


def test_legacy_severity_tag_and_overrides() -> None:
    [event] = grafana.parse(legacy(tags={"severity": "Critical"}))
    assert event.severity is Severity.CRITICAL
    [event] = grafana.parse(legacy(state="no_data"), no_data_severity=Severity.ERROR)
    assert event.severity is Severity.ERROR
    [event] = grafana.parse(legacy(tags={"severity": "p1"}), severities={"p1": Severity.INFO})
    assert event.severity is Severity.INFO


def test_legacy_tags_are_the_labels_and_everything_is_kept() -> None:
    [event] = grafana.parse(legacy())
    assert event.labels == {"tag name": "tag value"}
    assert event.custom_details["evalMatches"] == ({"value": 1, "metric": "Count", "tags": {}},)
    assert event.links == (
        Link(
            "http://localhost:3000/d/hZ7BuVbWz/test-dashboard?fullscreen&edit&tab=alert&panelId=2&orgId=1",
            "Alert rule",
        ),
    )
    assert event.images[0].src == "https://grafana.com/assets/img/blog/mixed_styles.png"
    assert (event.summary, event.source) == ("Panel Title alert", "localhost")


def test_legacy_summary_falls_back_to_the_title() -> None:
    [event] = grafana.parse(legacy(ruleName=None))
    assert event.summary == "[Alerting] Panel Title alert"


def test_legacy_source_survives_a_malformed_rule_url() -> None:
    [event] = grafana.parse(legacy(ruleUrl="http://[::1"))
    assert event.source == "grafana"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (legacy(state="exploded"), "state"),
        (legacy(state=None), "state"),
        (legacy(ruleId=None), "ruleId"),
        (legacy(ruleId=True), "ruleId"),
        (legacy(tags={"severity": 1}), "tags.severity"),
        (legacy(evalMatches=[{"tags": {"a": 2}}]), "evalMatches[0].tags.a"),
        ({"hello": "world"}, "$"),
        ({"alerts": [], "orgId": "1"}, "orgId"),
    ],
)
def test_grafana_errors_name_the_field(payload: object, field: str) -> None:
    with pytest.raises(InvalidEvent) as info:
        grafana.parse(payload)  # type: ignore[arg-type]
    assert info.value.field == field


def test_a_unified_no_data_alert_keeps_its_rules_severity_label() -> None:
    """Decision: unified ``DatasourceNoData`` alerts are not lowered to ``no_data_severity``.

    Legacy ``no_data`` alerts carry no severity of their own, so they take the option
    (warning by default).  A unified alert carries the rule's labels, ``severity``
    included, which the rule's author wrote; ``alertname`` says it is a no-data alert,
    so a route or silence on ``alertname="DatasourceNoData"`` is the way to page it
    differently, as in Grafana's own notification policies.
    """
    body = json.loads(
        (FIXTURES / "grafana" / "oncall-example-unified-three-firing.json").read_text()
    )
    alert = body["alerts"][0]
    alert["labels"] = {**alert["labels"], "alertname": "DatasourceNoData", "severity": "critical"}
    body["alerts"] = [alert]
    (event,) = grafana.parse(body, no_data_severity=Severity.INFO)
    assert event.severity is Severity.CRITICAL
    assert event.labels["alertname"] == "DatasourceNoData"
    del alert["labels"]["severity"]
    (unlabelled,) = grafana.parse(body, no_data_severity=Severity.INFO)
    assert unlabelled.severity is Severity.ERROR  # the default for an unlabelled alert


def dd(**changes: Any) -> dict[str, Any]:
    base = json.loads(
        (FIXTURES / "datadog/all-variables-template-rendered-reconstructed.json").read_bytes()
    )
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


def test_datadog_key_prefers_cycle_key_then_aggregation_key_then_alert_id() -> None:
    assert datadog.parse(dd())[0].dedup_key == "6f1a8b2c3d4e5f60"
    assert datadog.parse(dd(alert_cycle_key=None))[0].dedup_key == "9bd4ac313a4d1e8fae2482df7b77628"
    assert datadog.parse(dd(alert_cycle_key=None, aggreg_key=None))[0].dedup_key == (
        "1234/availability-zone:us-east-1a, role:computing-node"
    )
    no_scope = dd(alert_cycle_key=None, aggreg_key=None, alert_scope=None, alert_id=1234)
    assert datadog.parse(no_scope)[0].dedup_key == "1234"


def test_datadog_never_keys_by_the_event_id() -> None:
    # codenow's captured pair: different event ids, one alert.
    trigger = datadog.parse(
        (FIXTURES / "datadog/codenow-custom-template-triggered.json").read_bytes()
    )
    recover = datadog.parse(
        (FIXTURES / "datadog/codenow-custom-template-recovered.json").read_bytes()
    )
    assert trigger[0].custom_details["event_id"] != recover[0].custom_details["event_id"]
    assert trigger[0].dedup_key == recover[0].dedup_key
    assert (trigger[0].action, recover[0].action) == (Action.TRIGGER, Action.RESOLVE)


@pytest.mark.parametrize(
    ("transition", "action", "severity"),
    [
        ("Triggered", Action.TRIGGER, Severity.CRITICAL),
        ("Re-Triggered", Action.TRIGGER, Severity.CRITICAL),
        ("Renotify", Action.TRIGGER, Severity.CRITICAL),
        ("Warn", Action.TRIGGER, Severity.WARNING),
        ("Re-Warn", Action.TRIGGER, Severity.WARNING),
        ("No Data", Action.TRIGGER, Severity.WARNING),
        ("Re-No Data", Action.TRIGGER, Severity.WARNING),
        ("Recovered", Action.RESOLVE, Severity.CRITICAL),
        ("recovered", Action.RESOLVE, Severity.CRITICAL),
    ],
)
def test_datadog_transitions(transition: str, action: Action, severity: Severity) -> None:
    [event] = datadog.parse(dd(alert_transition=transition))
    assert (event.action, event.severity) == (action, severity)


def test_datadog_warn_caps_but_never_raises_severity() -> None:
    [event] = datadog.parse(dd(alert_transition="Warn", alert_priority="P5"))
    assert event.severity is Severity.INFO


def test_datadog_severity_from_priority_then_type() -> None:
    assert datadog.parse(dd(alert_priority="P2"))[0].severity is Severity.ERROR
    assert datadog.parse(dd(alert_priority=None, alert_type="warning"))[0].severity is (
        Severity.WARNING
    )
    assert datadog.parse(dd(alert_priority="", alert_type=None))[0].severity is Severity.ERROR
    [event] = datadog.parse(dd(), severities={"p1": Severity.INFO})
    assert event.severity is Severity.INFO


def test_datadog_timestamp_source_and_links() -> None:
    [event] = datadog.parse(dd(snapshot="https://p.datadoghq.com/snapshot.png", link="https://x"))
    assert event.timestamp == datetime(2014, 7, 29, 19, 37, 52, tzinfo=UTC)
    assert event.source == "ip-012345"
    assert event.links == (Link("https://x", "Datadog"),)
    assert event.images[0].src == "https://p.datadoghq.com/snapshot.png"
    [event] = datadog.parse(dd(hostname=None, date=None, last_updated=1406662672001))
    assert event.source == "ip-012345"  # the host: tag
    assert event.timestamp == datetime(2014, 7, 29, 19, 37, 52, 1000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"alert_transition": None}, "alert_transition"),
        ({"alert_transition": "Exploded"}, "alert_transition"),
        ({"alert_title": None, "event_title": None}, "alert_title"),
        ({"date": "yesterday"}, "date"),
        ({"date": "-5"}, "date"),
        ({"date": "9" * 30}, "date"),
        ({"alert_id": [1], "alert_cycle_key": None, "aggreg_key": None}, "alert_id"),
        ({"tags": ["a", "b"]}, "tags"),
    ],
)
def test_datadog_errors_name_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidEvent) as info:
        datadog.parse(dd(**changes))
    assert info.value.field == field
