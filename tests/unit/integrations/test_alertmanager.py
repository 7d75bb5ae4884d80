from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tocsin.errors import InvalidEvent
from tocsin.events import Action, Link, Severity, fingerprint
from tocsin.integrations import alertmanager, grafana

FIXTURES = Path(__file__).parents[2] / "fixtures"


def alert(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "status": "firing",
        "labels": {"alertname": "DiskFull", "instance": "db1:9100", "severity": "critical"},
        "annotations": {},
        "startsAt": "2026-03-08T09:00:00Z",
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus:9090/graph",
    }
    base.update(changes)
    return base


def webhook(*alerts: dict[str, Any], **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "version": "4",
        "groupKey": '{}:{alertname="DiskFull"}',
        "status": "firing",
        "receiver": "tocsin",
        "groupLabels": {"alertname": "DiskFull"},
        "commonLabels": {},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager:9093",
        "alerts": list(alerts),
    }
    base.update(changes)
    return base


def invalid(payload: object, **options: Any) -> InvalidEvent:
    with pytest.raises(InvalidEvent) as info:
        alertmanager.parse(payload, **options)  # type: ignore[arg-type]
    return info.value


def test_per_alert_status_wins_over_the_group_status() -> None:
    events = alertmanager.parse(
        webhook(alert(status="resolved", endsAt="2026-03-08T09:30:00Z"), status="firing")
    )
    assert [e.action for e in events] == [Action.RESOLVE]
    assert events[0].timestamp == datetime(2026, 3, 8, 9, 30, tzinfo=UTC)


def test_an_alert_without_status_takes_the_group_status() -> None:
    no_status = alert()
    del no_status["status"]
    assert alertmanager.parse(webhook(no_status, status="resolved"))[0].action is Action.RESOLVE
    err = invalid(webhook(no_status, status=None))
    assert err.field == "alerts[0].status"
    assert invalid(webhook(no_status, status="pending")).field == "status"
    assert invalid(webhook(alert(status="pending"))).field == "alerts[0].status"


def test_the_key_is_the_fingerprint_sent_else_alertmanagers_own() -> None:
    sent = alertmanager.parse(webhook(alert(fingerprint="0123456789abcdef")))
    assert sent[0].dedup_key == "0123456789abcdef"
    # reference/escalation.md 2.2: {alertname="alert1", severity="critical"}
    computed = alertmanager.parse(
        webhook(alert(labels={"alertname": "alert1", "severity": "critical"}))
    )
    assert computed[0].dedup_key == "0223b772b51c29e1"
    assert computed[0].dedup_key_generated is False


def test_an_empty_fingerprint_counts_as_absent() -> None:
    events = alertmanager.parse(
        webhook(alert(fingerprint="", labels={"alertname": "alert1", "severity": "critical"}))
    )
    assert events[0].dedup_key == "0223b772b51c29e1"


def test_each_alert_of_a_group_is_its_own_event() -> None:
    events = alertmanager.parse(
        webhook(
            alert(labels={"alertname": "DiskFull", "instance": "db1"}),
            alert(labels={"alertname": "DiskFull", "instance": "db2"}, status="resolved"),
        )
    )
    assert [(e.source, e.action) for e in events] == [
        ("db1", Action.TRIGGER),
        ("db2", Action.RESOLVE),
    ]
    assert events[0].dedup_key != events[1].dedup_key


@pytest.mark.parametrize(
    ("value", "severity"),
    [
        ("critical", Severity.CRITICAL),
        ("Warning", Severity.WARNING),
        (" WARN ", Severity.WARNING),
        ("major", Severity.ERROR),
        ("page", Severity.CRITICAL),
        ("info", Severity.INFO),
        ("none", Severity.INFO),
        ("P3", Severity.WARNING),
        ("unheard-of", Severity.ERROR),
        (None, Severity.ERROR),
    ],
)
def test_severity_label_through_the_table(value: str | None, severity: Severity) -> None:
    labels = {"alertname": "X"} | ({} if value is None else {"severity": value})
    assert alertmanager.parse(webhook(alert(labels=labels)))[0].severity is severity


def test_severity_table_label_and_default_are_overridable() -> None:
    payload = webhook(alert(labels={"alertname": "X", "priority": "p1", "severity": "critical"}))
    [event] = alertmanager.parse(
        payload,
        severities={"P1": "warning"},  # type: ignore[dict-item]
        severity_label="priority",
        default_severity=Severity.INFO,
    )
    assert event.severity is Severity.WARNING
    [event] = alertmanager.parse(payload, severities={}, default_severity=Severity.INFO)
    assert event.severity is Severity.INFO
    assert invalid(payload, severities={"p1": "urgent"}).field == "severities['p1']"
    assert invalid(payload, severities=["critical"]).field == "severities"
    assert invalid(payload, default_severity="urgent").field == "default_severity"


@pytest.mark.parametrize(
    ("annotations", "labels", "summary"),
    [
        (
            {"summary": "S", "title": "T", "message": "M", "description": "D"},
            {"alertname": "A"},
            "S",
        ),
        ({"title": "T", "message": "M", "description": "D"}, {"alertname": "A"}, "T"),
        ({"message": "M", "description": "D"}, {"alertname": "A"}, "M"),
        ({"description": "D"}, {"alertname": "A"}, "D"),
        ({"summary": "  "}, {"alertname": "A"}, "A"),
        ({}, {"job": "node", "b": 'say "hi"'}, '{b="say \\"hi\\"", job="node"}'),
    ],
)
def test_summary_order(annotations: dict[str, str], labels: dict[str, str], summary: str) -> None:
    [event] = alertmanager.parse(webhook(alert(annotations=annotations, labels=labels)))
    assert event.summary == summary


def test_a_long_summary_is_cut_to_1024_with_an_ellipsis_and_kept_whole() -> None:
    text = "ж" * 3000
    [event] = alertmanager.parse(webhook(alert(annotations={"summary": text})))
    assert event.summary == "ж" * 1023 + "\u2026"
    annotations = event.custom_details["annotations"]
    assert isinstance(annotations, Mapping)
    assert annotations["summary"] == text


def test_source_falls_back_from_instance_to_job_to_external_url() -> None:
    def source(labels: dict[str, str], url: str = "http://am:9093") -> str | None:
        return alertmanager.parse(webhook(alert(labels=labels), externalURL=url))[0].source

    assert source({"instance": "db1", "job": "node"}) == "db1"
    assert source({"job": "node"}) == "node"
    assert source({"alertname": "X"}) == "http://am:9093"
    assert source({"alertname": "X"}, "") == "alertmanager"


def test_links_and_client() -> None:
    [event] = alertmanager.parse(
        webhook(alert(annotations={"runbook_url": "https://wiki/disk"}, generatorURL=""))
    )
    assert event.links == (Link("https://wiki/disk", "Runbook"),)
    assert (event.client, event.client_url) == ("Alertmanager", "http://alertmanager:9093")
    assert event.class_ == "DiskFull"


def test_the_zero_time_means_unset() -> None:
    [event] = alertmanager.parse(webhook(alert(status="resolved", endsAt="0001-01-01T00:00:00Z")))
    assert event.timestamp == datetime(2026, 3, 8, 9, tzinfo=UTC)
    [event] = alertmanager.parse(webhook(alert(startsAt="0001-01-01T00:00:00Z")))
    assert event.timestamp is None


def test_custom_details_hold_the_whole_alert_and_the_group() -> None:
    sent = alert(annotations={"summary": "S"}, extraField=[1, {"x": None}])
    [event] = alertmanager.parse(webhook(sent, truncatedAlerts=2))
    details = json.loads(json.dumps(event.custom_details, default=_plain))
    group = details.pop("group")
    assert details == sent
    assert group == {k: v for k, v in webhook(truncatedAlerts=2).items() if k != "alerts"}
    assert event.labels == sent["labels"]


def _plain(value: object) -> object:
    if isinstance(value, Mapping):
        return dict(value)
    return list(value)  # type: ignore[call-overload]


def test_version_3_with_a_numeric_group_key_is_tolerated() -> None:
    raw = (FIXTURES / "alertmanager/alerta-v3-integer-groupkey.json").read_bytes()
    [event] = alertmanager.parse(raw)
    group = event.custom_details["group"]
    assert isinstance(group, Mapping)
    # Python's json keeps the integer exact (a double would round it).
    assert group["groupKey"] == 5615590933959184469


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"version": "4"}, "alerts"),
        (webhook(alerts="x"), "alerts"),
        (webhook("x"), "alerts[0]"),  # type: ignore[arg-type]
        (webhook(alert(), alert(labels={"alertname": 1})), "alerts[1].labels.alertname"),
        (webhook(alert(labels=["a"])), "alerts[0].labels"),
        (webhook(alert(annotations={"summary": None})), "alerts[0].annotations.summary"),
        (webhook(alert(startsAt="yesterday")), "alerts[0].startsAt"),
        (webhook(alert(startsAt="2026-03-08T09:00:00")), "alerts[0].startsAt"),
        (webhook(alert(fingerprint=5)), "alerts[0].fingerprint"),
        (webhook(alert(generatorURL=5)), "alerts[0].generatorURL"),
        (webhook(alert(), groupKey=[1]), "groupKey"),
        (webhook(alert(), groupKey=True), "groupKey"),
        (webhook(alert(), truncatedAlerts="2"), "truncatedAlerts"),
        (webhook(alert(), commonLabels={"a": 1}), "commonLabels.a"),
        (webhook(alert(), receiver=1), "receiver"),
        (webhook(alert(values={"x": float("nan")})), "alerts[0].values.x"),
    ],
)
def test_errors_name_the_field(payload: object, field: str) -> None:
    assert invalid(payload).field == field


def test_an_empty_group_gives_no_events() -> None:
    assert alertmanager.parse(webhook()) == []


def test_grafana_unified_adds_its_links_and_image() -> None:
    raw = (FIXTURES / "grafana/zulip-unified-v11-values-image.json").read_bytes()
    [event] = grafana.parse(raw)
    assert [link.text for link in event.links] == ["Alert source", "Dashboard", "Panel", "Silence"]
    assert event.images[0].src == "https://grafana.com/assets/img/blog/mixed_styles.png"
    assert event.custom_details["values"] == {"A": 2473545728, "B": 0, "C": 1, "minute": 9}
    assert event.client == "Grafana"


def test_decision_grafana_fingerprint_is_never_recomputed() -> None:
    # docs/decisions.md (Events): Grafana hashes labels it does not send, so its
    # fingerprint differs from Alertmanager's over the visible labels; keep Grafana's.
    # The key is scoped by the organisation (test_decision_grafana_keys_are_per_org).
    raw = (FIXTURES / "grafana/docs-unified-two-firing.json").read_bytes()
    first = grafana.parse(raw)[0]
    assert first.dedup_key == "grafana-org-1/c6eadffa33fcdf37"
    assert first.custom_details["fingerprint"] == "c6eadffa33fcdf37"
    assert fingerprint(first.labels) == "b4ab7c4e8d6676fb"


def test_decision_grafana_keys_are_per_org() -> None:
    # docs/decisions.md (Events): Grafana alert rule UIDs are unique only within an
    # organisation, so one provisioned rule in two organisations sends the same labels
    # and the same fingerprint. Keyed by the raw fingerprint, org 2's resolve would
    # resolve org 1's alert.
    body: dict[str, Any] = json.loads(
        (FIXTURES / "grafana/zulip-unified-resolved.json").read_bytes()
    )
    keys = {}
    for org in (1, 2, None):
        sent = (
            dict(body, orgId=org)
            if org is not None
            else {k: v for k, v in body.items() if k != "orgId"}
        )
        for payload in (sent, json.dumps(sent)):  # the careful path, then the fast one
            [event] = grafana.parse(payload)
            keys[org, isinstance(payload, str)] = event.dedup_key
    assert keys == {
        (1, False): "grafana-org-1/d8a21484c9c25a60",
        (1, True): "grafana-org-1/d8a21484c9c25a60",
        (2, False): "grafana-org-2/d8a21484c9c25a60",
        (2, True): "grafana-org-2/d8a21484c9c25a60",
        (None, False): "d8a21484c9c25a60",  # no orgId (before Grafana 9): as sent
        (None, True): "d8a21484c9c25a60",
    }
    # An alert without a fingerprint is keyed by its labels' fingerprint, scoped alike.
    bare = dict(
        body, orgId=3, alerts=[{k: v for k, v in body["alerts"][0].items() if k != "fingerprint"}]
    )
    [event] = grafana.parse(bare)
    assert event.dedup_key == "grafana-org-3/" + fingerprint(body["alerts"][0]["labels"])
    # Alertmanager has no organisations: an orgId field there is only carried along.
    [plain] = alertmanager.parse(dict(body, orgId=2))
    assert plain.dedup_key == "d8a21484c9c25a60"


def test_decision_grafana_legacy_keys_are_not_per_org() -> None:
    # Legacy alert ids are the primary key of Grafana's alert table, numbered across
    # all organisations of one Grafana: the id alone is unique, and the key stays the
    # same whatever orgId says.
    body = json.loads((FIXTURES / "grafana/docs-legacy-alerting.json").read_bytes())
    assert body["orgId"] == 1
    assert [e.dedup_key for e in grafana.parse(dict(body, orgId=2))] == ["grafana-rule-1"]
    assert [e.dedup_key for e in grafana.parse(body)] == ["grafana-rule-1"]


@pytest.mark.parametrize("parse", [alertmanager.parse, grafana.parse])
def test_an_alerts_own_group_fields_are_kept_and_the_groups_fields_go_beside_them(
    parse: Any,
) -> None:
    # tocsin puts the webhook's group fields under "group"; an alert that has fields of
    # that name keeps them, and the group's fields take the first free "_"-prefixed name.
    mine = alert(group="mine", alertmanager_group={"also": "mine"}, _group=[1, 2])
    payload = webhook(mine)
    for sent in (payload, json.dumps(payload), json.dumps(payload).encode()):
        [event] = parse(sent)
        details = event.custom_details
        assert details["group"] == "mine"
        assert details["alertmanager_group"] == {"also": "mine"}
        assert details["_group"] == (1, 2)
        assert details["__group"] == {k: v for k, v in payload.items() if k != "alerts"}
        assert set(details) == {*mine, "__group"}


def test_reference_case_38_one_summary_two_alerts_and_a_changed_summary_still_resolves() -> None:
    # reference/escalation.md section 4, case 38 (GoAlert #4461): GoAlert's Alertmanager
    # integration keys alerts by summary, so two alerts sharing the summary "Disk full"
    # become one, and the resolve of either closes it while the other still fires.
    # tocsin keys each alert by its fingerprint (Alertmanager's hash of its labels).
    x = {"alertname": "DiskFull", "instance": "db1:9100", "severity": "critical"}
    y = {"alertname": "DiskFull", "instance": "db2:9100", "severity": "critical"}
    disk_full = {"summary": "Disk full"}
    open_alerts: set[str] = set()

    def deliver(payload: dict[str, Any]) -> None:
        for sent in (payload, json.dumps(payload)):  # the careful path, then the fast one
            [event] = alertmanager.parse(sent)
            assert event.dedup_key == payload["alerts"][0]["fingerprint"]
        if event.action is Action.TRIGGER:
            open_alerts.add(event.dedup_key)
        else:
            open_alerts.discard(event.dedup_key)

    # T0: group g1 carries alert X, group g2 alert Y; both say "Disk full".
    deliver(webhook(alert(labels=x, annotations=disk_full, fingerprint="efb0c6c488e007da")))
    deliver(webhook(alert(labels=y, annotations=disk_full, fingerprint="db73c85864f826bb")))
    assert open_alerts == {"efb0c6c488e007da", "db73c85864f826bb"}
    # T+5m: g2 resolves Y; X still fires and stays open.
    resolved_y = alert(
        labels=y,
        annotations=disk_full,
        fingerprint="db73c85864f826bb",
        status="resolved",
        endsAt="2026-03-08T09:05:00Z",
    )
    deliver(webhook(resolved_y, status="resolved"))
    assert open_alerts == {"efb0c6c488e007da"}
    # Later X resolves with a reworded summary: same labels, same key, it still closes.
    resolved_x = alert(
        labels=x,
        annotations={"summary": "Disk 91% full on db1"},
        fingerprint="efb0c6c488e007da",
        status="resolved",
        endsAt="2026-03-08T09:30:00Z",
    )
    deliver(webhook(resolved_x, status="resolved"))
    assert open_alerts == set()
    # An Alertmanager too old to send fingerprints gives the same keys from the labels.
    assert (fingerprint(x), fingerprint(y)) == ("efb0c6c488e007da", "db73c85864f826bb")
