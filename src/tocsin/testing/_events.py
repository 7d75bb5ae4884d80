"""Hypothesis strategies for events and for what each monitoring tool sends.

Every payload strategy draws a *valid* body for its source, as plain dicts and lists
(``json.dumps`` them to test the bytes path), so your own intake code can be tested
against the same shapes tocsin's parsers are.
"""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from tocsin.events import (
    MAX_DEDUP_KEY,
    MAX_SUMMARY,
    Action,
    Event,
    Image,
    Link,
    Severity,
    to_events_v2,
)
from tocsin.testing._time import aware_datetimes

__all__ = [
    "label_sets",
    "json_values",
    "events",
    "alertmanager_payloads",
    "grafana_payloads",
    "datadog_payloads",
    "cloudwatch_payloads",
    "pagerduty_payloads",
    "opsgenie_payloads",
]

_NAME_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
_NAME_REST = _NAME_START + "0123456789"

#: Label names as Prometheus allows them: ``[a-zA-Z_][a-zA-Z0-9_]*``.
label_names = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(_NAME_START),
    st.text(alphabet=_NAME_REST, max_size=12),
)

_texts = st.text(max_size=40)
_nonempty = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() != "")


def label_sets(*, min_size: int = 0, max_size: int = 10) -> st.SearchStrategy[dict[str, str]]:
    """Label sets: Prometheus label names to any text (Unicode, empty, NUL included)."""
    return st.dictionaries(label_names, _texts, min_size=min_size, max_size=max_size)


def json_values(*, max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Any JSON value as ``json.loads`` returns it (dicts, lists, finite floats)."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**63), max_value=2**64)
        | st.floats(allow_nan=False, allow_infinity=False)
        | _texts
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_texts, inner, max_size=4),
        max_leaves=max_leaves,
    )


def _details() -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(_texts, json_values(max_leaves=6), max_size=4)


def _summaries() -> st.SearchStrategy[str]:
    return st.text(min_size=1, max_size=80) | st.just("s" * MAX_SUMMARY)


def _keys() -> st.SearchStrategy[str]:
    return st.text(min_size=1, max_size=60) | st.just("k" * MAX_DEDUP_KEY)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def _links() -> st.SearchStrategy[tuple[Link, ...]]:
    link = st.builds(Link, _nonempty, _optional(_texts))
    return st.lists(link, max_size=2).map(tuple)


def _images() -> st.SearchStrategy[tuple[Image, ...]]:
    image = st.builds(Image, _nonempty, _optional(_texts), _optional(_texts))
    return st.lists(image, max_size=2).map(tuple)


#: Zones whose clocks go back every year, by an hour or (Lord Howe) half an hour.
_FOLD_ZONES = (
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
)


@functools.cache
def _folds(name: str, year: int) -> tuple[tuple[datetime, timedelta], ...]:
    """When ``name``'s clocks go back in ``year``: first repeated wall time, and for how long.

    Found by stepping through UTC: months, then days, then quarter hours.
    """
    zone = ZoneInfo(name)

    def offset(moment: datetime) -> timedelta:
        return moment.astimezone(zone).utcoffset() or timedelta(0)

    found = []
    for month in range(1, 13):
        start = datetime(year, month, 1, tzinfo=UTC)
        end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
        if offset(start) <= offset(end):
            continue
        day = start
        while offset(day + timedelta(days=1)) >= offset(start):
            day += timedelta(days=1)
        moment = day
        while offset(moment) == offset(day):
            moment += timedelta(minutes=15)
        wall = moment.astimezone(zone).replace(tzinfo=None)
        found.append((wall, offset(day) - offset(moment)))
    return tuple(found)


@st.composite
def _fold_datetimes(draw: st.DrawFn) -> datetime:
    """Aware datetimes inside a real DST fold, in either occurrence (``fold`` 0 or 1).

    A ``ZoneInfo`` wall time in a fold compares equal to its other occurrence an hour
    away (Python compares datetimes sharing a zone by wall fields), which is exactly
    what code keyed or ordered by timestamps gets wrong.
    """
    name = draw(st.sampled_from(_FOLD_ZONES))
    start, length = draw(st.sampled_from(_folds(name, draw(st.integers(2000, 2039)))))
    into = timedelta(microseconds=draw(st.integers(0, length // timedelta(microseconds=1) - 1)))
    return (start + into).replace(tzinfo=ZoneInfo(name), fold=draw(st.integers(0, 1)))


@st.composite
def events(
    draw: st.DrawFn,
    *,
    actions: st.SearchStrategy[Action] | None = None,
) -> Event:
    """Valid :class:`~tocsin.events.Event` values of every action, with optional fields.

    A trigger always has its summary, source and severity; acknowledge and resolve
    sometimes carry payload fields too.  Timestamps are drawn in DST-heavy zones, and
    often inside a DST fold (a wall time that happens twice, with ``fold`` 0 or 1).
    Every drawn event survives ``parse_event(to_events_v2(event))`` unchanged.
    """
    action = draw(actions if actions is not None else st.sampled_from(Action))
    trigger = action is Action.TRIGGER
    maybe = (lambda s: s) if trigger else _optional
    return Event(
        action=action,
        dedup_key=draw(_keys()),
        routing_key=draw(_optional(_nonempty)),
        summary=draw(maybe(_summaries())),
        source=draw(maybe(_nonempty)),
        severity=draw(maybe(st.sampled_from(Severity))),
        timestamp=draw(_optional(aware_datetimes() | _fold_datetimes())),
        component=draw(_optional(_texts)),
        group=draw(_optional(_texts)),
        class_=draw(_optional(_texts)),
        custom_details=draw(_details()),
        links=draw(_links()),
        images=draw(_images()),
        client=draw(_optional(_texts)),
        client_url=draw(_optional(_texts)),
    )


def _rfc3339(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


_ZERO = "0001-01-01T00:00:00Z"
_moments = st.datetimes(
    min_value=datetime(2015, 1, 1),  # noqa: DTZ001 - Hypothesis takes naive bounds
    max_value=datetime(2035, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)
_severity_labels = st.sampled_from(["critical", "warning", "info", "Warning", "page", "major"])


@st.composite
def _am_alert(draw: st.DrawFn, *, grafana: bool) -> dict[str, Any]:
    labels = draw(label_sets(max_size=6))
    labels["alertname"] = draw(_nonempty)
    if draw(st.booleans()):
        labels["severity"] = draw(_severity_labels)
    status = draw(st.sampled_from(["firing", "resolved"]))
    starts = draw(_moments)
    ends = starts + timedelta(minutes=draw(st.integers(1, 600)))
    alert: dict[str, Any] = {
        "status": status,
        "labels": labels,
        "annotations": draw(
            st.dictionaries(st.sampled_from(["summary", "description", "runbook_url"]), _texts)
        ),
        "startsAt": _rfc3339(starts),
        "endsAt": _rfc3339(ends) if status == "resolved" else _ZERO,
        "generatorURL": draw(st.sampled_from(["", "http://prometheus:9090/graph?g0.expr=up"])),
    }
    if grafana or draw(st.booleans()):
        alert["fingerprint"] = draw(st.text(alphabet="0123456789abcdef", min_size=16, max_size=16))
    if grafana:
        alert["silenceURL"] = "https://grafana.example.com/alerting/silence/new"
        alert["dashboardURL"] = draw(st.sampled_from(["", "https://grafana.example.com/d/x"]))
        alert["panelURL"] = ""
        alert["values"] = draw(st.dictionaries(st.sampled_from("ABC"), st.floats(-1e9, 1e9)))
    return alert


@st.composite
def alertmanager_payloads(draw: st.DrawFn) -> dict[str, Any]:
    """Alertmanager webhook bodies (version 4): a group of firing and resolved alerts."""
    alerts = draw(st.lists(_am_alert(grafana=False), min_size=1, max_size=4))
    return {
        "version": "4",
        "groupKey": '{}:{alertname="x"}',
        "truncatedAlerts": 0,
        "status": "firing" if any(a["status"] == "firing" for a in alerts) else "resolved",
        "receiver": draw(_texts),
        "groupLabels": {},
        "commonLabels": {},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager:9093",
        "alerts": alerts,
    }


@st.composite
def grafana_payloads(draw: st.DrawFn) -> dict[str, Any]:
    """Grafana webhook bodies: unified alerting groups, or legacy (v8 and earlier) rules."""
    if draw(st.booleans()):
        alerts = draw(st.lists(_am_alert(grafana=True), min_size=1, max_size=3))
        body: dict[str, Any] = {
            "receiver": "webhook",
            "status": "firing" if any(a["status"] == "firing" for a in alerts) else "resolved",
            "orgId": draw(st.sampled_from([1, 2, 40])),
            "alerts": alerts,
            "groupLabels": {},
            "commonLabels": {},
            "commonAnnotations": {},
            "externalURL": "https://grafana.example.com/",
            "version": "1",
            "groupKey": "{}:{}",
            "truncatedAlerts": 0,
            "title": draw(_texts),
            "state": draw(st.sampled_from(["alerting", "ok"])),
            "message": draw(_texts),
        }
        if draw(st.integers(0, 4)) == 0:  # Grafana before 9 could leave it out
            del body["orgId"]
        return body
    return {
        "ruleId": draw(st.integers(1, 10**6)),
        "ruleName": draw(_nonempty),
        "ruleUrl": "https://grafana.example.com/d/x?panelId=1",
        "state": draw(st.sampled_from(["alerting", "ok", "no_data", "paused", "pending"])),
        "title": draw(_texts),
        "message": draw(_texts),
        "evalMatches": draw(
            st.lists(
                st.fixed_dictionaries(
                    {"value": st.floats(-1e9, 1e9), "metric": _texts, "tags": label_sets()}
                ),
                max_size=2,
            )
        ),
        "tags": draw(label_sets(max_size=3)),
    }


@st.composite
def datadog_payloads(draw: st.DrawFn) -> dict[str, Any]:
    """Datadog webhook bodies rendered from tocsin's recommended template."""
    host = draw(st.text(alphabet="abcdefghij-0123456789", min_size=1, max_size=12))
    body = {
        "alert_id": str(draw(st.integers(1, 10**9))),
        "alert_scope": f"host:{host}",
        "alert_transition": draw(
            st.sampled_from(["Triggered", "Re-Triggered", "Recovered", "Warn", "No Data"])
        ),
        "alert_priority": draw(st.sampled_from(["P1", "P2", "P3", "P4", "P5", ""])),
        "alert_type": draw(st.sampled_from(["error", "warning", "info", "success"])),
        "alert_title": draw(_nonempty),
        "hostname": host,
        "date": str(draw(st.integers(0, 2**41))),
        "link": "https://app.datadoghq.com/event/event?id=1",
        "tags": f"host:{host},env:prod",
        "event_msg": draw(_texts),
    }
    if draw(st.booleans()):
        body["alert_cycle_key"] = draw(st.text(alphabet="0123456789abcdef", min_size=16))
    return body


@st.composite
def _alarm(draw: st.DrawFn) -> dict[str, Any]:
    name = draw(_nonempty)
    account = str(draw(st.integers(10**11, 10**12 - 1)))
    region = draw(st.sampled_from(["us-east-1", "eu-west-1", "ap-northeast-2"]))
    alarm: dict[str, Any] = {
        "AlarmName": name,
        "AlarmDescription": draw(_optional(_texts)),
        "AWSAccountId": account,
        "NewStateValue": draw(st.sampled_from(["ALARM", "OK", "INSUFFICIENT_DATA"])),
        "NewStateReason": draw(_texts),
        "StateChangeTime": draw(_moments).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000",
        "Region": "EU (Ireland)",
        "OldStateValue": "OK",
        "Trigger": {
            "MetricName": "CPUUtilization",
            "Namespace": "AWS/EC2",
            "Statistic": "AVERAGE",
            "Dimensions": [{"value": draw(_nonempty), "name": "InstanceId"}],
            "Period": 300,
            "EvaluationPeriods": 1,
            "ComparisonOperator": "GreaterThanThreshold",
            "Threshold": draw(st.floats(0, 100)),
        },
    }
    if draw(st.booleans()):
        alarm["AlarmArn"] = f"arn:aws:cloudwatch:{region}:{account}:alarm:{name}"
    if draw(st.integers(0, 3)) == 0:
        alarm["Trigger"] = draw(_metrics_trigger())
    return alarm


@st.composite
def _metrics_trigger(draw: st.DrawFn) -> dict[str, Any]:
    # Metric-math and anomaly-band alarms: the metrics are in Metrics[], each either a
    # MetricStat (a metric, its dimensions, period and statistic) or an Expression.
    def stat(metric_id: str) -> dict[str, Any]:
        return {
            "Id": metric_id,
            "MetricStat": {
                "Metric": {
                    "Dimensions": [
                        {"value": draw(_nonempty), "name": "ClusterName"}
                        for _ in range(draw(st.integers(0, 2)))
                    ],
                    "MetricName": "pod_cpu_utilization",
                    "Namespace": "ContainerInsights",
                },
                "Period": 60,
                "Stat": "Average",
            },
            "ReturnData": draw(st.booleans()),
        }

    band = {
        "Expression": "ANOMALY_DETECTION_BAND(m1, 2)",
        "Id": "ad1",
        "Label": draw(_texts),
        "ReturnData": True,
    }
    metrics = [stat("m1"), band]
    if draw(st.booleans()):
        metrics.insert(1, stat("m2"))
    return {
        "Period": 60,
        "EvaluationPeriods": 1,
        "ComparisonOperator": "LessThanLowerOrGreaterThanUpperThreshold",
        "ThresholdMetricId": "ad1",
        "TreatMissingData": "missing",
        "EvaluateLowSampleCountPercentile": "",
        "Metrics": draw(st.permutations(metrics)),
    }


@st.composite
def cloudwatch_payloads(draw: st.DrawFn) -> dict[str, Any]:
    """CloudWatch alarms as SNS sends them: in an HTTP envelope, or raw-delivered.

    Some are metric-math or anomaly-band alarms, whose ``Trigger`` names its metrics
    in ``Metrics[]``.
    """
    alarm = draw(_alarm())
    if draw(st.booleans()):
        return alarm
    return {
        "Type": "Notification",
        "MessageId": "e288882d-4281-5be4-8fde-dccc11c8cb01",
        "TopicArn": "arn:aws:sns:eu-west-1:123456789012:alarms",
        "Subject": f"ALARM: {alarm['AlarmName'][:60]}",
        "Message": json.dumps(alarm),
        "Timestamp": "2019-02-15T23:53:45.134Z",
        "SignatureVersion": "1",
        "Signature": "c2lnbmF0dXJl",
        "SigningCertURL": "https://sns.eu-west-1.amazonaws.com/cert.pem",
        "UnsubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe",
    }


@st.composite
def pagerduty_payloads(draw: st.DrawFn) -> dict[str, Any]:
    """Events API v2 alert bodies (``/v2/enqueue``), some triggers without a dedup key."""
    body = to_events_v2(draw(events()))
    if body["event_action"] == "trigger" and draw(st.booleans()):
        del body["dedup_key"]
    return body


@st.composite
def opsgenie_payloads(draw: st.DrawFn) -> dict[str, Any]:
    """Opsgenie create-alert bodies, with or without an alias and a priority."""
    body: dict[str, Any] = {"message": draw(_nonempty)}
    optional = {
        "alias": st.text(min_size=1, max_size=600),
        "description": _texts,
        "priority": st.sampled_from(["P1", "P2", "P3", "P4", "P5"]),
        "source": _nonempty,
        "entity": _texts,
        "tags": st.lists(_texts, max_size=3),
        "details": st.dictionaries(_texts, _texts, max_size=3),
        "actions": st.lists(_texts, max_size=2),
        "responders": st.lists(
            st.fixed_dictionaries({"name": _texts, "type": st.sampled_from(["team", "user"])}),
            max_size=2,
        ),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            body[key] = draw(strategy)
    return body
