"""The fast paths decide nothing: they build exactly what the careful paths build.

Alertmanager, Grafana and CloudWatch parsers read JSON text the fast way
(``tocsin.events._plain``) and step aside (``Irregular``) at anything unusual; they
build events through ``tocsin.events._trusted`` without validating them again; and
``fingerprint`` and CloudWatch's fallback key compute the documented encodings a
cheaper way.  Each is held here to the validated, careful version of itself.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.errors import InvalidEvent
from tocsin.events import Event, Severity, content_key, fingerprint
from tocsin.events._keys import _fingerprint, content_key_for
from tocsin.events._plain import Irregular
from tocsin.events._trusted import trusted_event, trusted_image, trusted_link
from tocsin.integrations import alertmanager, cloudwatch, grafana
from tocsin.integrations._am_plain import plain_alert_events
from tocsin.integrations._am_shape import Options
from tocsin.testing import (
    alertmanager_payloads,
    cloudwatch_payloads,
    events,
    grafana_payloads,
    json_values,
)

FIXTURES = Path(__file__).parents[2] / "fixtures"
PARSERS: dict[str, Any] = {
    "alertmanager": alertmanager.parse,
    "grafana": grafana.parse,
    "cloudwatch": cloudwatch.parse,
}
# What each parser module calls its fast path (patched away to get the careful one).
FAST = {
    alertmanager: "plain_alert_events",
    grafana: "plain_alert_events",
    cloudwatch: "_plain_alarm_events",
}


@contextlib.contextmanager
def careful_only() -> Iterator[None]:
    """Every fast path steps aside, as it does for anything unusual."""
    with contextlib.ExitStack() as stack:
        for module, name in FAST.items():
            stack.enter_context(mock.patch.object(module, name, side_effect=Irregular))
        yield


def outcome(parse: Any, payload: object) -> object:
    try:
        return parse(payload)
    except InvalidEvent as err:
        return ("InvalidEvent", err.field, err.reason)


def exact(value: object) -> object:
    """A result with all that equality glosses over spelled out (1 vs True, offsets),
    checking on the way that events are immutable all the way down."""
    if isinstance(value, list):  # a parser's list of events; never inside an event
        assert all(isinstance(item, Event) for item in value)
        return [exact(item) for item in value]
    kind = type(value)
    if attrs.has(kind):  # Event, Link, Image, SubscriptionConfirmation
        return {
            field.name: exact(getattr(value, field.name))
            for field in attrs.fields(kind)
            if field.init
        }
    if isinstance(value, Mapping):
        assert type(value) is MappingProxyType
        return {key: exact(item) for key, item in value.items()}
    if isinstance(value, datetime):
        return (value, value.utcoffset())
    if isinstance(value, tuple):
        return (tuple, [exact(item) for item in value])
    assert value is None or isinstance(value, bool | int | float | str | type)
    return (type(value), value)


def assert_same_both_ways(source: str, payload: object) -> None:
    fast = outcome(PARSERS[source], payload)
    with careful_only():
        careful = outcome(PARSERS[source], payload)
    assert exact(fast) == exact(careful)


def assert_validated_constructors_agree(events: object) -> None:
    """Each event equals, field for field, the one the public constructors build."""
    assert isinstance(events, list)
    for event in events:
        rebuilt = attrs.evolve(
            event,
            links=tuple(attrs.evolve(link) for link in event.links),
            images=tuple(attrs.evolve(image) for image in event.images),
        )
        assert exact(rebuilt) == exact(event)
        assert rebuilt.dedup_key_generated is event.dedup_key_generated is False


@settings(max_examples=100)
@given(events())
def test_trusted_constructors_build_what_the_public_ones_build(event: Event) -> None:
    # What parsers pass: no routing key, group or generated key (trusted_event takes none).
    fields = {
        field.name: getattr(event, field.name)
        for field in attrs.fields(Event)
        if field.init and field.name not in {"routing_key", "group", "dedup_key_generated"}
    }
    links = tuple(trusted_link(link.href, link.text) for link in event.links)
    images = tuple(trusted_image(image.src, image.alt) for image in event.images)
    fields["links"] = links
    fields["images"] = tuple(attrs.evolve(image, href=None) for image in images)
    trusted = trusted_event(**fields)
    assert exact(trusted) == exact(Event(**fields))
    assert trusted.labels == Event(**fields).labels
    assert exact(links) == exact(event.links)
    assert exact(images) == exact(tuple(attrs.evolve(i, href=None) for i in event.images))


SOURCES = {
    "alertmanager": alertmanager_payloads(),
    "grafana": grafana_payloads(),
    "cloudwatch": cloudwatch_payloads(),
}


@pytest.mark.parametrize("source", sorted(SOURCES))
@settings(max_examples=60)
@given(data=st.data())
def test_valid_payloads_take_the_fast_path_to_the_same_events(
    source: str, data: st.DataObject
) -> None:
    payload = data.draw(SOURCES[source])
    text = json.dumps(payload)
    events = PARSERS[source](text)
    assert_validated_constructors_agree(events)
    assert_same_both_ways(source, text)
    assert_same_both_ways(source, text.encode())
    # ... and the fast path really was taken, for every shape it is meant for.
    legacy_grafana = source == "grafana" and "alerts" not in payload
    if not legacy_grafana:
        # The careful path starts with load_object: make it fail loudly if reached.
        with contextlib.ExitStack() as stack:
            for module in FAST:
                stack.enter_context(
                    mock.patch.object(module, "load_object", side_effect=AssertionError)
                )
            assert exact(PARSERS[source](text)) == exact(events)


def _objects(value: object) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


@st.composite
def perturbed(draw: st.DrawFn, payloads: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    """A valid payload with one member of one of its objects set to any JSON value."""
    payload = draw(payloads)
    inner = None
    if isinstance(payload.get("Message"), str) and draw(st.booleans()):
        inner = json.loads(payload["Message"])  # CloudWatch's alarm, inside the envelope
    objects = list(_objects(inner if inner is not None else payload))
    target = draw(st.sampled_from(objects))
    key = draw(st.sampled_from([*sorted(target), "group", "Records", "detail-type"]))
    target[key] = draw(json_values(max_leaves=3))
    if inner is not None:
        payload["Message"] = json.dumps(inner)
    return payload


@pytest.mark.parametrize("source", sorted(SOURCES))
@settings(max_examples=100)
@given(data=st.data())
def test_perturbed_payloads_read_the_same_fast_and_careful(
    source: str, data: st.DataObject
) -> None:
    payload = data.draw(perturbed(SOURCES[source]))
    assert_same_both_ways(source, json.dumps(payload))


def _fixture_paths() -> list[tuple[str, str]]:
    return [
        (source, f"{source}/{path.name}")
        for source in sorted(PARSERS)
        for path in sorted((FIXTURES / source).glob("*.json"))
    ]


@pytest.mark.parametrize(("source", "path"), _fixture_paths())
def test_fixtures_parse_the_same_both_ways(source: str, path: str) -> None:
    data = (FIXTURES / path).read_bytes()
    assert_same_both_ways(source, data)
    result = outcome(PARSERS[source], data)
    if isinstance(result, list):
        assert_validated_constructors_agree(result)


# Alertmanager-shaped text the fast path must step aside for, or read the same.
@pytest.mark.parametrize(
    "text",
    [
        "",
        "[]",
        "{}",
        '{"alerts": {}}',
        '{"alerts": [1]}',
        '{"alerts": [], "status": 1}',
        '{"alerts": [], "groupKey": true}',
        '{"alerts": [], "truncatedAlerts": 1.5}',
        '{"alerts": [], "commonLabels": {"a": 1}}',
        '{"alerts": [{"labels": {"a": null}, "status": "firing"}]}',
        '{"alerts": [{"status": "firing", "startsAt": "2026-03-08T09:00:00"}]}',
        '{"alerts": [{"status": "firing", "startsAt": 5}]}',
        '{"alerts": [{"status": "unknown"}]}',
        '{"alerts": [{"status": ["firing"]}]}',
        '{"alerts": [{}]}',
        '{"alerts": [{}], "status": "resolved"}',
        '{"alerts": [{"status": "firing", "fingerprint": 12}]}',
        '{"alerts": [{"status": "firing", "generatorURL": {}}]}',
        '{"alerts": [{"status": "firing", "x": [{"y": [1, {"z": []}]}]}], "extra": [[]]}',
        '{"alerts": [{"status": "firing", "group": 1, "alertmanager_group": 2}]}',
        '{"alerts": [{"status": "firing", "n": NaN}]}',
        '{"alerts": [{"status": "firing", "n": 1e999}]}',
        '\ufeff{"alerts": []}',
        ' \n{"alerts": []} \n',
        '{"alerts": []} x',
        '{"alerts": [{"status": "firing", "labels": {"a": "\\u0000\\ud800"}}]}',
    ],
)
def test_unusual_alertmanager_text_reads_the_same(text: str) -> None:
    assert_same_both_ways("alertmanager", text)
    assert_same_both_ways("grafana", text)
    assert_same_both_ways("alertmanager", text.encode("utf-8", "surrogatepass"))


ALARM: dict[str, Any] = {
    "AlarmName": "disk",
    "AlarmArn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:disk",
    "AWSAccountId": "123456789012",
    "Region": "EU (Ireland)",
    "NewStateValue": "ALARM",
    "NewStateReason": "Threshold Crossed: 1 datapoint [9.0 (08/03/26 09:00:00)]",
    "StateChangeTime": "2026-03-08T09:00:00.000+0000",
    "Trigger": {
        "MetricName": "DiskUse",
        "Namespace": "CWAgent",
        "Dimensions": [{"name": "InstanceId", "value": "i-0abc"}],
    },
}
METRICS = [{"Id": "m1", "MetricStat": {"Metric": {"Namespace": "AWS/EC2", "Dimensions": []}}}]


def _alarm(**changes: Any) -> dict[str, Any]:
    alarm: dict[str, Any] = json.loads(json.dumps(ALARM))
    for key, value in changes.items():
        if value is ...:
            del alarm[key]
        else:
            alarm[key] = value
    return alarm


def _trigger(**changes: Any) -> dict[str, Any]:
    return _alarm(Trigger={**ALARM["Trigger"], **changes})


def _sns(message: object, **changes: Any) -> dict[str, Any]:
    text = message if isinstance(message, str) else json.dumps(message)
    return {"Type": "Notification", "Message": text, "Timestamp": "2026-03-08T09:00:01Z"} | changes


@pytest.mark.parametrize(
    "payload",
    [
        _alarm(),
        _alarm(AlarmName=""),
        _alarm(AlarmName=...),
        _alarm(AlarmArn=...),
        _alarm(AlarmArn=..., AWSAccountId=None, Region="\x00"),
        _alarm(AlarmArn=5),
        _alarm(AlarmArn="arn:aws:cloudwatch:x:1:alarm:" + "a" * 300),
        _alarm(AlarmArn="arn:aws-cn:cloudwatch:cn-north-1:1:alarm:disk"),
        _alarm(NewStateValue=""),
        _alarm(NewStateValue="UNKNOWN"),
        _alarm(NewStateValue="INSUFFICIENT_DATA"),
        _alarm(NewStateValue="OK", NewStateReason=None),
        _alarm(StateChangeTime="2026-03-08T09:00:00"),
        _alarm(StateChangeTime=""),
        _alarm(OldStateValue=1),
        _alarm(AlarmDescription=[]),
        _alarm(Trigger=None),
        _alarm(Trigger="x"),
        _alarm(sns={"mine": True}),
        _trigger(Dimensions=None),
        _trigger(Dimensions=[]),
        _trigger(Dimensions={}),
        _trigger(Dimensions=[1]),
        _trigger(Dimensions=[{"name": "", "value": "v"}]),
        _trigger(Dimensions=[{"value": "v"}]),
        _trigger(Dimensions=[{"name": "n"}]),
        _trigger(Dimensions=[{"name": "n", "value": 1}]),
        _trigger(Dimensions=[{"name": "n", "value": "v", "more": [{"x": [1.5]}]}]),
        _trigger(Namespace=1),
        _trigger(Namespace=None, Dimensions=[], Metrics=METRICS),
        _trigger(Metrics=METRICS),
        _trigger(Metrics={}),
        _trigger(Metrics=[{"MetricStat": None}]),
        _trigger(Metrics=[{"MetricStat": []}]),
        _trigger(Metrics=[{"MetricStat": {"Metric": 1}}]),
        _trigger(Metrics=[1]),
        _sns(ALARM),
        _sns(ALARM, UnsubscribeURL="https://sns", UnsubscribeUrl="x", Extra=[{"a": []}]),
        _sns(ALARM, Timestamp="yesterday"),
        _sns(ALARM, Type="SubscriptionConfirmation"),
        _sns(ALARM, Type="Other"),
        _sns(ALARM, Type=None),
        _sns(""),
        _sns("plain text"),
        _sns("[1]"),
        _sns({"detail-type": "CloudWatch Alarm State Change"}),
        _sns(_alarm(AlarmName=...)),
        {"Type": "Notification", "Message": 5},
        {"Records": [{"Sns": _sns(ALARM)}]},
        {"detail-type": "CloudWatch Alarm State Change", "detail": {}},
    ],
)
def test_unusual_cloudwatch_text_reads_the_same(payload: dict[str, Any]) -> None:
    assert_same_both_ways("cloudwatch", json.dumps(payload))


def test_fast_path_steps_aside_for_mappings_and_other_payloads() -> None:
    options = Options(
        "Alertmanager", alertmanager.SEVERITIES, Severity.ERROR, "severity", grafana=False
    )
    payloads: list[object] = [{"alerts": []}, bytearray(b'{"alerts": []}'), None, b"\xff"]
    for payload in payloads:
        with pytest.raises(Irregular):
            plain_alert_events(payload, options)


names_and_values = st.text(st.sampled_from(["a", "b", "\x00", "\xff", "ÿ", "é", "\ud800", "日"]))


@given(st.dictionaries(names_and_values, names_and_values, max_size=6))
def test_fingerprint_is_the_careful_fingerprint(labels: dict[str, str]) -> None:
    assert fingerprint(labels) == _fingerprint(labels)
    assert fingerprint(labels) == _fingerprint(labels)  # now from the cache


@pytest.mark.parametrize(
    "labels",
    [{"a": 1}, {1: "a"}, {"a": "b", 2: "c"}, {1: "a", 2: "b"}, {"a": None}, {"a": ["b"]}],
)
def test_fingerprint_refuses_what_it_always_refused(labels: Any) -> None:
    with pytest.raises(InvalidEvent) as fast:
        fingerprint(labels)
    with pytest.raises(InvalidEvent) as careful:
        _fingerprint(labels)
    assert (fast.value.field, fast.value.reason) == (careful.value.field, careful.value.reason)


@given(names_and_values, names_and_values, names_and_values)
def test_content_key_for_fixed_names_is_content_key(a: str, b: str, c: str) -> None:
    key = content_key_for("AWSAccountId", "AlarmName", "Region")
    assert key(a, b, c) == content_key({"AWSAccountId": a, "AlarmName": b, "Region": c})


@pytest.mark.parametrize("names", [(), ("b", "a"), ("a", "a"), ("a\x00",)])
def test_content_key_for_wants_sorted_distinct_names(names: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="sorted order"):
        content_key_for(*names)
