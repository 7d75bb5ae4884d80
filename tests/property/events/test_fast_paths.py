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
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tocsin.errors import InvalidEvent
from tocsin.events import Event, Severity, content_key, fingerprint, thaw_json
from tocsin.events._keys import _fingerprint, content_key_for
from tocsin.events._plain import Irregular
from tocsin.events._trusted import trusted_event, trusted_image, trusted_link
from tocsin.events._wire import aware_iso
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
        '{"alerts": [{"status": "firing", "group": 1, "_group": 2, "__group": {}}]}',
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
        _sns(_alarm(sns={"mine": True}, _sns=[], lambda_record=1)),
        {"Records": [{"Sns": _sns(_alarm(sns=1, lambda_record=2))}]},
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
        # Metrics[] is frozen as it is read: every item, read or not, at every depth.
        _trigger(Metrics=[*METRICS, {"Id": "m2", "MetricStat": {"Metric": {"Dimensions": [{}]}}}]),
        _trigger(Metrics=[{"Id": "e1", "Expression": "m1*2", "Extra": [{"a": [[]]}, {}]}]),
        _trigger(Metrics=[{"MetricStat": {"Metric": None, "Extra": [1, [2]]}}]),
        _trigger(Metrics=[{"MetricStat": {"Metric": {"Dimensions": [{"name": "n"}]}}}]),
        _trigger(Metrics=[{"MetricStat": {"Metric": {"Dimensions": 5}}}]),
        _trigger(Metrics=[{"MetricStat": {"Metric": {"Namespace": []}}}]),
        _trigger(Namespace=None, Dimensions=[], Metrics=[{"MetricStat": {"Metric": {}}}, 2]),
        _trigger(Namespace=None, Dimensions=None, Metrics=[*METRICS, *METRICS]),
        _trigger(Metrics=[]),
        _trigger(Metrics=None),
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
        # Fields beside Records, in a record and in its Sns object: kept, both ways.
        {"Records": [{"Sns": _sns(ALARM)}], "extraTop": 1},
        {"Records": [{"Sns": _sns(ALARM, extraSns=[{}]), "extraRecord": {"a": [1]}}], "x": [[]]},
        {"Records": [{"Sns": _sns(_alarm(lambda_event=1))}], "lambda_event": None},
        {"Records": [], "extraTop": 1},
        {"Records": {}, "extraTop": 1},
        {"detail-type": "CloudWatch Alarm State Change", "detail": {}},
    ],
)
def test_unusual_cloudwatch_text_reads_the_same(payload: dict[str, Any]) -> None:
    assert_same_both_ways("cloudwatch", json.dumps(payload))


# Timestamps as both paths must read them (the decision in docs/concepts/events.md):
# RFC 3339 with T and Z in either case, plus +hhmm; nothing else of ISO 8601, and no
# instant whose UTC falls outside the years 1 to 9999.
ACCEPTED_STAMPS = {
    "2026-03-08T09:00:00Z": "2026-03-08T09:00:00+00:00",
    "2026-03-08t09:00:00.5z": "2026-03-08T09:00:00.500000+00:00",
    "2026-03-08T09:00:00.123456789+01:00": "2026-03-08T09:00:00.123456+01:00",
    "2026-03-08T09:00:00.000+0000": "2026-03-08T09:00:00+00:00",
    "0001-01-01T02:00:00+01:00": "0001-01-01T02:00:00+01:00",
}
REFUSED_STAMPS = [
    "2026-03-08 09:00:00Z",
    "2026-W10-7T09:00:00Z",
    "2026-03-08T09:00Z",
    "2026-03-08T09:00:00+01",
    "2026-03-08T09:00:00+01:00:30",
    "2026-03-08T09:00:00,5Z",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
]


# The shapes SNS (Timestamp) and CloudWatch (StateChangeTime) write, which the
# CloudWatch fast path recognises without the RFC 3339 pattern.
AWS_STAMPS = [
    "2019-02-15T23:53:45.134Z",
    "2021-06-27T13:53:39.351+0000",
    "0001-01-01T00:00:00.000Z",
    "9999-12-31T23:59:59.999+0000",
    "2026-02-30T09:00:00.000Z",
    "2026-03-08T24:00:00.000+0000",
    "2026-03-08T09:60:00.000Z",
    "2026-13-08T09:00:00.000Z",
    "2026-03-08t09:00:00.000Z",
    "2026-03-08T09:00:00.000z",
    "2026-03-08T09:00:00.000-0000",
    "2026-03-08T09:00:00.000+00:00",
    "2026-03-08T09:00:00.00Z",
    "2026-03-08T09:00:00.0000Z",
    "2026-03-08T09:00:00,000Z",
    "2026-03-08 09:00:00.000Z",
    "2026-03-08T09:00:00.\u0660\u0660\u0660Z",
    "\uff12026-03-08T09:00:00.000Z",
    "2026-03-08T09:00:00.000+0000\n",
]


@pytest.mark.parametrize("stamp", [*ACCEPTED_STAMPS, *REFUSED_STAMPS, *AWS_STAMPS])
def test_both_paths_read_timestamps_alike(stamp: str) -> None:
    am = {"status": "firing", "alerts": [{"status": "firing", "startsAt": stamp}]}
    alarm = _alarm(StateChangeTime=stamp)
    for source, payload, field in [
        ("alertmanager", am, "alerts[0].startsAt"),
        ("grafana", am, "alerts[0].startsAt"),
        ("cloudwatch", alarm, "StateChangeTime"),
        ("cloudwatch", _sns(_alarm(StateChangeTime=...), Timestamp=stamp), "Timestamp"),
    ]:
        for sent in (json.dumps(payload), payload):
            assert_same_both_ways(source, sent)
            result = outcome(PARSERS[source], sent)
            if stamp in AWS_STAMPS:
                continue  # held to the careful path; read as the decision says below
            if stamp in ACCEPTED_STAMPS:
                assert isinstance(result, list)
                assert result[0].timestamp.isoformat() == ACCEPTED_STAMPS[stamp]
            else:
                assert isinstance(result, tuple)
                assert result[:2] == ("InvalidEvent", field)


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


_STAMP_CHARS = "0123456789-:.,+TtZzW \u0660\uff12"


@st.composite
def stamp_texts(draw: st.DrawFn) -> str:
    """Timestamps in every spelling ISO 8601 and RFC 3339 allow, and near misses."""
    moment = draw(
        st.datetimes(
            timezones=st.just(UTC)
            | st.builds(
                timezone,
                st.timedeltas(
                    min_value=-timedelta(hours=23, minutes=59),
                    max_value=timedelta(hours=23, minutes=59),
                ),
            )
        )
    )
    date = moment.strftime("%Y-%m-%d")
    clock = moment.strftime("%H:%M:%S")
    digits = draw(st.integers(0, 12))
    fraction = (
        (draw(st.sampled_from([".", ","])) + f"{moment.microsecond:06d}000000"[:digits])
        if digits or draw(st.booleans())
        else ""
    )
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    hh, mm = divmod(minutes, 60)
    zone = draw(
        st.sampled_from(
            [
                "Z",
                "z",
                "",
                f"{sign}{hh:02d}:{mm:02d}",
                f"{sign}{hh:02d}{mm:02d}",
                f"{sign}{hh:02d}",
                f"{sign}{hh:02d}:{mm:02d}:00",
                "-00:00",
                "+01:60",
            ]
        )
    )
    separator = draw(st.sampled_from(["T", "t", " ", "x"]))
    text = date + separator + clock + fraction + zone
    # Now and then, one character changed, inserted or deleted.
    edit = draw(st.integers(0, 3))
    at = draw(st.integers(0, len(text)))
    char = draw(st.sampled_from(_STAMP_CHARS))
    if edit == 1:
        text = text[:at] + char + text[at + 1 :]
    elif edit == 2:
        text = text[:at] + char + text[at:]
    elif edit == 3:
        text = text[:at] + text[at + 1 :]
    return text


_RFC3339_GRAMMAR = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2}))",
    re.ASCII,
)


def rfc3339(text: str) -> datetime | None:
    """The decision in docs/concepts/events.md, written out independently of tocsin."""
    match = _RFC3339_GRAMMAR.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction, zulu, sign, offset_hours, offset_minutes = match.groups()[6:]
    micro = int((fraction or "").ljust(6, "0")[:6])  # cut to microseconds, not rounded
    offset = timedelta(0)
    if not zulu:
        offset = timedelta(hours=int(offset_hours), minutes=int(offset_minutes))
        if int(offset_minutes) > 59 or offset >= timedelta(hours=24):
            return None
        offset = -offset if sign == "-" else offset
    try:
        moment = datetime(year, month, day, hour, minute, second, micro, timezone(offset))
        moment.astimezone(UTC)  # in range in UTC too
    except (ValueError, OverflowError):
        return None
    return moment


@st.composite
def aws_stamp_texts(draw: st.DrawFn) -> str:
    """SNS's and CloudWatch's timestamp shapes, any digits, now and then one edit."""
    shape = draw(st.sampled_from(["0000-00-00T00:00:00.000Z", "0000-00-00T00:00:00.000+0000"]))
    text = "".join(draw(st.sampled_from("0123456789")) if c == "0" else c for c in shape)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text) - 1))
        text = text[:at] + draw(st.sampled_from(_STAMP_CHARS + "zt")) + text[at + 1 :]
    return text


@settings(max_examples=400)
@given(aws_stamp_texts() | stamp_texts() | st.text(_STAMP_CHARS, max_size=40))
@example("2026-03-08T09:00:00.000+0000")
@example("2026-02-29T09:00:00.000Z")
@example("2026-03-08 09:00:00.000Z")
@example("2026-03-08t09:00:00.000z")
def test_cloudwatch_timestamps_are_read_as_aware_iso_reads_them(text: str) -> None:
    # The CloudWatch fast path's shortcut for the shapes AWS writes decides nothing:
    # it reads exactly what aware_iso reads, and refuses what it refuses.
    try:
        read = cloudwatch._plain_time(text)
    except Irregular:
        read = None
    expected = aware_iso(text)
    assert (read, read and read.utcoffset()) == (expected, expected and expected.utcoffset())


@settings(max_examples=400)
@given(stamp_texts() | st.text(_STAMP_CHARS, max_size=40))
@example("2000-01-01T00:00:00.000000\u0660Z")  # fromisoformat skips it past 6 digits
@example("2000-01-01T00:00:00.Z")
@example("2000-01-01T00:00:00+01:60")
@example("2000-01-01T00:00:00.5-0130")
@example("0001-01-01T00:00:00+00:01")
@example("9999-12-31T23:59:59-00:01")
def test_timestamps_are_read_as_the_decision_says(text: str) -> None:
    read, expected = aware_iso(text), rfc3339(text)
    assert (read, read and read.utcoffset()) == (expected, expected and expected.utcoffset())


@settings(max_examples=60)
@given(
    cloudwatch_payloads(),
    st.dictionaries(
        st.text(max_size=8).filter(lambda name: name != "Records"),
        json_values(max_leaves=3),
        min_size=1,
        max_size=3,
    ),
)
def test_a_lambda_events_other_fields_are_kept_fast_and_careful(
    payload: dict[str, Any], others: dict[str, Any]
) -> None:
    # The fast path steps aside for Lambda's form; the careful path keeps whatever is
    # beside Records under "lambda_event" (or "_lambda_event", ... if the alarm has one).
    sns = payload if "Type" in payload else _sns(payload)
    text = json.dumps({"Records": [{"EventSource": "aws:sns", "Sns": sns}], **others})
    assert_same_both_ways("cloudwatch", text)
    result = cloudwatch.parse(text)
    assert isinstance(result, list)
    for event in result:
        kept = [v for k, v in event.custom_details.items() if k.lstrip("_") == "lambda_event"]
        assert thaw_json(kept[-1]) == others
