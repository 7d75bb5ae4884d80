from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tocsin.errors import InvalidEvent
from tocsin.events import (
    MAX_EVENT_BYTES,
    Action,
    ChangeEvent,
    Event,
    Image,
    Link,
    Severity,
    content_dedup_key,
    parse_event,
    to_events_v2,
)
from tocsin.integrations import SOURCES, parse

FIXTURES = Path(__file__).parents[2] / "fixtures" / "pagerduty-events-v2"


def body(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "routing_key": "r" * 32,
        "event_action": "trigger",
        "dedup_key": "db1/disk",
        "payload": {"summary": "Disk 99% on db1", "source": "db1", "severity": "critical"},
    }
    payload = changes.pop("payload", {})
    base.update(changes)
    base["payload"] = {**base["payload"], **payload}
    return {key: value for key, value in base.items() if value is not DROP}


DROP: Any = object()


def alert(value: object, **kwargs: Any) -> Event:
    event = parse_event(value, **kwargs)  # type: ignore[arg-type]
    assert isinstance(event, Event)
    return event


def invalid(value: object, **kwargs: Any) -> InvalidEvent:
    with pytest.raises(InvalidEvent) as info:
        parse_event(value, **kwargs)  # type: ignore[arg-type]
    return info.value


def test_reads_bytes_str_and_mappings_alike() -> None:
    mapping = body()
    text = json.dumps(mapping)
    assert parse_event(mapping) == parse_event(text) == parse_event(text.encode())


def test_trigger_fields_land_where_they_belong() -> None:
    event = parse_event((FIXTURES / "api-schema-trigger-full.json").read_bytes())
    assert event == Event(
        action=Action.TRIGGER,
        dedup_key="srv01/mysql",
        routing_key="e93facc04764012d7bfb002500d5d1a6",
        summary="DISK at 99% on machine prod-datapipe03.example.com",
        source="prod-datapipe03.example.com",
        severity=Severity.CRITICAL,
        timestamp=datetime(2015, 7, 17, 8, 42, 58, 315000, tzinfo=UTC),
        component="mysql",
        group="prod-datapipe",
        class_="disk",
        custom_details={"free space": "1%", "ping time": "1500ms", "load avg": 0.75},
        links=(Link("http://pagerduty.example.com", "An example link."),),
        images=(
            Image(
                "https://chart.googleapis.com/chart?chs=600x400&chd=t:6,2,9,5,2,5,7,4,8,2,1"
                "&cht=lc&chds=a&chxt=y&chm=D,0033FF,0,0,5,1",
                "https://google.com",
                "An example link with an image",
            ),
        ),
        client="Sample Monitoring Service",
        client_url="https://monitoring.service.com",
    )


@pytest.mark.parametrize("missing", ["summary", "source", "severity"])
def test_a_trigger_needs_summary_source_and_severity(missing: str) -> None:
    err = invalid(body(payload={missing: None}))
    assert err.field == f"payload.{missing}"


def test_a_trigger_needs_a_payload() -> None:
    err = invalid({"routing_key": "r", "event_action": "trigger", "dedup_key": "k"})
    assert err.field == "payload"


@pytest.mark.parametrize("action", ["acknowledge", "resolve"])
def test_acknowledge_and_resolve_need_a_dedup_key_and_nothing_else(action: str) -> None:
    event = parse_event({"routing_key": "r", "event_action": action, "dedup_key": "k"})
    assert (event.action.value, event.dedup_key, event.summary) == (action, "k", None)  # type: ignore[union-attr]
    for key in (None, ""):
        err = invalid({"routing_key": "r", "event_action": action, "dedup_key": key})
        assert err.field == "dedup_key"
        assert f"required for a{'n' if action == 'acknowledge' else ''} {action} event" in str(err)


def test_the_fixture_acknowledge_without_a_key_is_refused() -> None:
    err = invalid((FIXTURES / "derived-invalid-acknowledge-missing-dedup-key.json").read_bytes())
    assert err.field == "dedup_key"


@pytest.mark.parametrize("action", [None, "snooze", "TRIGGER", 1])
def test_event_action_must_be_one_of_three(action: object) -> None:
    err = invalid(body(event_action=action, dedup_key="k"))
    assert err.field == "event_action"


def test_severity_is_one_of_four_lower_case_words() -> None:
    for severity in ("critical", "error", "warning", "info"):
        assert alert(body(payload={"severity": severity})).severity == Severity(severity)
    for wrong in ("Critical", "fatal", "high", 3):
        assert invalid(body(payload={"severity": wrong})).field == "payload.severity"


def test_summary_may_be_1024_characters_not_1025() -> None:
    # Characters, not bytes: 1024 "é" is 2048 bytes of UTF-8 and still fits.
    assert alert(body(payload={"summary": "é" * 1024})).summary == "é" * 1024
    assert invalid(body(payload={"summary": "é" * 1025})).field == "payload.summary"


def test_the_fixture_summary_over_1024_is_refused_not_cut() -> None:
    fixture = "derived-trigger-summary-over-1024-unicode-dedup-255.json"
    err = invalid((FIXTURES / fixture).read_bytes())
    assert (err.field, err.reason) == ("payload.summary", "at most 1024 characters, got 1100")


def test_dedup_key_may_be_255_characters_not_256() -> None:
    # 255 characters of "ü" are 510 bytes: PagerDuty counts characters.
    assert alert(body(dedup_key="ü" * 255)).dedup_key == "ü" * 255
    assert invalid(body(dedup_key="ü" * 256)).field == "dedup_key"
    assert invalid(body(dedup_key=10528)).field == "dedup_key"


def _padded(size: int) -> bytes:
    """An Events v2 trigger of exactly ``size`` bytes of JSON."""
    empty = json.dumps(body(payload={"custom_details": {"pad": ""}}), separators=(",", ":"))
    data = empty.replace('"pad":""', '"pad":"' + "x" * (size - len(empty)) + '"').encode()
    assert len(data) == size
    return data


def test_body_may_be_512_kib_not_a_byte_more() -> None:
    assert MAX_EVENT_BYTES == 524288
    assert isinstance(parse_event(_padded(MAX_EVENT_BYTES)), Event)
    for payload in (_padded(MAX_EVENT_BYTES + 1), _padded(MAX_EVENT_BYTES + 1).decode()):
        err = invalid(payload)
        assert err.field == "$"
        assert "at most 524288 bytes" in err.reason
    # A mapping is measured as the compact JSON a sender would have sent.
    assert invalid(json.loads(_padded(MAX_EVENT_BYTES + 1))).field == "$"
    assert isinstance(parse_event(json.loads(_padded(MAX_EVENT_BYTES))), Event)


def test_body_size_counts_utf8_bytes_of_text() -> None:
    # 200,000 "€" are 600,000 bytes: over the limit though well under 512 Ki characters.
    text = json.dumps(body(payload={"custom_details": {"pad": "€" * 200_000}}), ensure_ascii=False)
    assert len(text) < MAX_EVENT_BYTES
    assert invalid(text).field == "$"


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("2015-07-17T08:42:58.315+0000", datetime(2015, 7, 17, 8, 42, 58, 315000, tzinfo=UTC)),
        ("2015-07-17T08:42:58Z", datetime(2015, 7, 17, 8, 42, 58, tzinfo=UTC)),
        (
            "2018-11-04T22:43:58.283995108+01:00",
            datetime(2018, 11, 4, 22, 43, 58, 283995, tzinfo=timezone(timedelta(hours=1))),
        ),
        (
            "2017-08-03T15:17:37.804-04:00",
            datetime(2017, 8, 3, 19, 17, 37, 804000, tzinfo=UTC),
        ),
    ],
)
def test_timestamps_in_the_formats_senders_use(stamp: str, expected: datetime) -> None:
    event = parse_event(body(payload={"timestamp": stamp}))
    assert event.timestamp == expected


@pytest.mark.parametrize(
    ("stamp", "reason"),
    [
        ("2015-07-17T08:42:58", "no UTC offset"),
        ("2015-07-17", "no UTC offset"),
        ("yesterday", "expected an ISO 8601 timestamp"),
        ("2015-07-17T25:00:00Z", "expected an ISO 8601 timestamp"),
        (1437122578, "expected an ISO 8601 timestamp string, got number"),
    ],
)
def test_timestamps_without_a_zone_or_not_iso_are_refused(stamp: object, reason: str) -> None:
    err = invalid(body(payload={"timestamp": stamp}))
    assert err.field == "payload.timestamp"
    assert reason in err.reason


_PLUS_ONE = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("2026-03-08T09:00:00Z", datetime(2026, 3, 8, 9, tzinfo=UTC)),
        ("2026-03-08t09:00:00z", datetime(2026, 3, 8, 9, tzinfo=UTC)),  # RFC 3339 5.6 NOTE
        ("2026-03-08T09:00:00.5+01:00", datetime(2026, 3, 8, 9, 0, 0, 500000, tzinfo=_PLUS_ONE)),
        ("2026-03-08T09:00:00.123456789+0100", datetime(2026, 3, 8, 9, 0, 0, 123456, _PLUS_ONE)),
        ("2026-03-08T09:00:00-00:00", datetime(2026, 3, 8, 9, tzinfo=UTC)),
        ("0001-01-01T00:00:00Z", datetime(1, 1, 1, tzinfo=UTC)),
        (
            "0001-01-01T05:00:00+05:00",
            datetime(1, 1, 1, 5, tzinfo=timezone(timedelta(hours=5))),
        ),
        ("9999-12-31T23:59:59Z", datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)),
    ],
)
def test_decision_timestamps_are_rfc_3339_with_pagerdutys_colonless_offset(
    stamp: str, expected: datetime
) -> None:
    event = alert(body(payload={"timestamp": stamp}))
    assert event.timestamp == expected
    assert event.timestamp is not None
    assert event.timestamp.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "stamp",
    [
        "2026-03-08 09:00:00Z",  # a space for T: RFC 3339 allows it only by agreement
        "2026-W10-7T09:00:00Z",  # ISO 8601 week date
        "2026-067T09:00:00Z",  # ISO 8601 ordinal date
        "20260308T090000Z",  # ISO 8601 basic format
        "2026-03-08T09:00Z",  # no seconds
        "2026-03-08T09:00:00+01",  # an hour-only offset
        "2026-03-08T09:00:00+01:00:30",  # an offset with seconds
        "2026-03-08T09:00:00,5Z",  # a comma before the fraction
        "2026-03-08T09:00:00.Z",  # a point with no digits
        "2026-03-08T09:00:60Z",  # a leap second: Python cannot hold one, nor Go
        "2026-03-08T24:00:00Z",
        "2026-03-08T09:00:00+01:60",
        "\u0662\u0660\u0662\u0666-03-08T09:00:00Z",  # Arabic-Indic digits
        "2026-03-08T09:00:00Z ",
    ],
)
def test_iso_8601_forms_outside_rfc_3339_are_refused(stamp: str) -> None:
    err = invalid(body(payload={"timestamp": stamp}))
    assert err.field == "payload.timestamp"
    assert err.reason.startswith("expected an ISO 8601 timestamp in RFC 3339 form, such as")


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_timestamp_outside_the_years_1_to_9999_in_utc_is_refused(stamp: str) -> None:
    err = invalid(body(payload={"timestamp": stamp}))
    reason = f"timestamp {stamp!r} is outside the years 1 to 9999 in UTC"
    assert (err.field, err.reason) == ("payload.timestamp", reason)


def test_errors_say_the_field_once() -> None:
    err = invalid(b'{"event_action": "resolve", "dedup_key": "k", "x": 1e999}')
    assert str(err) == "$: the number 1e999 is too large for a float"
    err = invalid(body(payload={"timestamp": "2026-03-08T09:00:00"}))
    assert str(err) == (
        "payload.timestamp: timestamp '2026-03-08T09:00:00' has no UTC offset; add Z or +HH:MM"
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"dedupkey": "k"}, "dedupkey"),
        ({"payload": {"labels": {}}}, "payload.labels"),
        ({"links": [{"href": "x", "url": "y"}]}, "links[0].url"),
        ({"links": [{"href": "x"}, {"text": "no href"}]}, "links[1].href"),
        ({"links": {"href": "x"}}, "links"),
        ({"images": ["x"]}, "images[0]"),
        ({"images": [{"src": ""}]}, "images[0].src"),
        ({"payload": {"custom_details": "a string"}}, "payload.custom_details"),
        ({"payload": {"component": 5}}, "payload.component"),
        ({"client": ["x"]}, "client"),
        ({"routing_key": 7}, "routing_key"),
        ({"payload": "disk full"}, "payload"),
    ],
)
def test_errors_name_the_field(changes: dict[str, Any], field: str) -> None:
    merged = body()
    for key, value in changes.items():
        if key == "payload" and isinstance(value, dict):
            merged["payload"] = {**merged["payload"], **value}
        else:
            merged[key] = value
    err = invalid(merged)
    assert err.field == field


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe{}", "must be UTF-8"),
        (b'{"a": NaN}', "no NaN"),
        (b'{"a": -Infinity}', "no -Infinity"),
        (b'{"a": 1e999}', "too large"),
        (b"[1, 2]", "expected a JSON object, got array"),
        (b'"trigger"', "expected a JSON object, got string"),
        (b"{", "not valid JSON"),
        (b"\xef\xbb\xbf{}", "not valid JSON"),
        (b"[" * 100_000, "nested too deeply"),
        (b'{"a": ' + b"9" * 5000 + b"}", "not valid JSON"),
    ],
)
def test_what_is_not_a_json_object_is_refused_at_the_root(raw: bytes, reason: str) -> None:
    err = invalid(raw)
    assert err.field == "$"
    assert reason in err.reason


def test_other_python_values_are_refused() -> None:
    assert invalid(42).field == "$"
    assert invalid({"payload": {"custom_details": {"x": {1, 2}}}}).field == (
        "payload.custom_details.x"
    )


def test_a_keyless_trigger_gets_a_content_key_and_says_so() -> None:
    raw = json.loads((FIXTURES / "trigger-without-dedup-key-reconstructed.json").read_bytes())
    event = parse_event(raw)
    assert isinstance(event, Event)
    assert event.dedup_key_generated is True
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    assert event.dedup_key == hashlib.sha256(b"\xff" + canonical.encode()).hexdigest()


def test_decision_keyless_trigger_key_is_content_derived() -> None:
    # docs/decisions.md (Events): unlike PagerDuty's random UUID, the same keyless
    # body sent twice (a retry) gets the same key, and a different body another.
    raw = (FIXTURES / "trigger-minimal-required-reconstructed.json").read_bytes()
    first, again = alert(raw), alert(raw)
    other = alert(raw.replace(b"host1", b"host2"))
    assert first.dedup_key == again.dedup_key != other.dedup_key
    assert first.dedup_key == content_dedup_key(json.loads(raw))


def test_an_empty_dedup_key_on_a_trigger_counts_as_absent() -> None:
    event = parse_event(body(dedup_key=""))
    assert isinstance(event, Event)
    assert event.dedup_key_generated


def test_the_key_factory_is_injectable() -> None:
    seen: list[Mapping[str, object]] = []

    def factory(received: Mapping[str, object], /) -> str:
        seen.append(received)
        return f"minted-{len(seen)}"

    event = parse_event(body(dedup_key=DROP), key_factory=factory)
    assert isinstance(event, Event)
    assert (event.dedup_key, event.dedup_key_generated) == ("minted-1", True)
    assert seen[0]["payload"] == body()["payload"]
    # A sender's own key is never replaced.
    assert alert(body(), key_factory=factory).dedup_key == "db1/disk"
    assert len(seen) == 1


def test_a_bad_key_from_the_factory_is_reported_as_the_dedup_key() -> None:
    err = invalid(body(dedup_key=DROP), key_factory=lambda _body: "x" * 300)
    assert err.field == "dedup_key"


def test_change_events_are_recognised_by_their_shape() -> None:
    change = parse_event((FIXTURES / "api-schema-change-build.json").read_bytes())
    assert isinstance(change, ChangeEvent)
    assert change.summary == "Build Success: Increase snapshot create timeout to 30 seconds"
    assert change.source == "prod-build-agent-i-0b148d1040d565540"
    assert change.timestamp == datetime(2015, 7, 17, 8, 42, 58, 315000, tzinfo=UTC)
    assert change.custom_details == {
        "build_state": "passed",
        "build_number": "220",
        "run_time": "1236s",
    }
    assert change.links == (
        Link("https://buildpipeline.com/pagerduty/deployment/builds/220", "View in Build Pipeline"),
    )
    assert len(change.images) == 1


def test_kind_forces_the_endpoint() -> None:
    raw = (FIXTURES / "devdocs-change.json").read_bytes()
    assert isinstance(parse_event(raw, kind="change"), ChangeEvent)
    assert invalid(raw, kind="alert").field == "event_action"
    assert invalid(body(), kind="change").field == "event_action"
    assert invalid({"routing_key": "r", "payload": {}}, kind="change").field == "payload.summary"
    assert invalid(body(), kind="both").field == "kind"


def test_a_body_with_severity_but_no_action_is_an_alert_missing_its_action() -> None:
    assert invalid(body(event_action=DROP, dedup_key=DROP)).field == "event_action"


def test_to_events_v2_writes_the_wire_format() -> None:
    event = Event(
        action=Action.TRIGGER,
        dedup_key="db1/disk",
        routing_key="r1",
        summary="Disk full",
        source="db1",
        severity=Severity.WARNING,
        timestamp=datetime(2026, 3, 8, 9, 30, tzinfo=UTC),
        class_="disk",
        custom_details={"labels": {"team": "db"}, "seen": [1, 2]},
        links=(Link("https://runbook", "Runbook"),),
        images=(Image("https://graph.png"),),
        client="tocsin",
    )
    assert to_events_v2(event) == {
        "routing_key": "r1",
        "event_action": "trigger",
        "dedup_key": "db1/disk",
        "payload": {
            "summary": "Disk full",
            "source": "db1",
            "severity": "warning",
            "timestamp": "2026-03-08T09:30:00+00:00",
            "class": "disk",
            "custom_details": {"labels": {"team": "db"}, "seen": [1, 2]},
        },
        "links": [{"href": "https://runbook", "text": "Runbook"}],
        "images": [{"src": "https://graph.png"}],
        "client": "tocsin",
    }
    assert json.loads(json.dumps(to_events_v2(event))) == to_events_v2(event)


def test_to_events_v2_of_a_change_event() -> None:
    change = ChangeEvent(summary="Deployed v2", routing_key="r1", custom_details={"sha": "abc"})
    assert to_events_v2(change) == {
        "routing_key": "r1",
        "payload": {"summary": "Deployed v2", "custom_details": {"sha": "abc"}},
    }
    assert parse_event(to_events_v2(change)) == change


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_every_valid_fixture_round_trips(name: str) -> None:
    try:
        event = parse_event((FIXTURES / name).read_bytes())
    except InvalidEvent:
        assert name.startswith("derived-")
        return
    assert parse_event(to_events_v2(event)) == event


def test_parsed_events_are_immutable_all_the_way_down() -> None:
    event = parse_event(body(payload={"custom_details": {"nested": {"list": [1, {"deep": [2]}]}}}))
    nested = event.custom_details["nested"]
    assert isinstance(nested, Mapping)
    with pytest.raises(TypeError):
        nested["list"] = []  # type: ignore[index]
    assert nested["list"] == (1, {"deep": (2,)})


def test_decision_routing_key_is_optional() -> None:
    # docs/decisions.md (Events): PagerDuty requires routing_key; tocsin's intake may
    # know the integration from its URL instead, so a body without one is accepted.
    event = alert(body(routing_key=DROP))
    assert event.routing_key is None
    assert "routing_key" not in to_events_v2(event)


def test_an_empty_routing_key_is_refused_as_pagerduty_refuses_it() -> None:
    # Optional, but not empty: "" is no integration, and as a dedup scope it only
    # failed later, in the escalation engine, naming "service".
    assert invalid(body(routing_key="")).field == "routing_key"
    assert invalid({"payload": {"summary": "Deployed"}, "routing_key": ""}).field == "routing_key"
    with pytest.raises(InvalidEvent) as info:
        Event(action="resolve", dedup_key="k", routing_key="")
    assert info.value.field == "routing_key"
    with pytest.raises(InvalidEvent) as info:
        ChangeEvent(summary="Deployed", routing_key="")
    assert info.value.field == "routing_key"
    assert alert(body(routing_key="checkout")).routing_key == "checkout"


@pytest.mark.parametrize("source", ["parse_event", *SOURCES])
def test_a_byte_order_mark_is_refused_and_named(source: str) -> None:
    # RFC 8259 forbids senders the BOM; tocsin refuses it (as documented), and says
    # so instead of "Expecting value (line 1, column 1)" for a body that looks fine.
    text = "\ufeff" + json.dumps(body())
    reader: Any = parse_event if source == "parse_event" else partial(parse, source)
    for payload in (text, text.encode()):
        with pytest.raises(InvalidEvent, match="byte-order mark") as info:
            reader(payload)
        assert info.value.field == "$"


def test_an_event_over_512_kb_is_written_but_its_body_is_refused() -> None:
    # to_events_v2's round trip holds for bodies within PagerDuty's limit; a source
    # event keeps a huge annotation whole, and its body is then refused, not cut.
    [event] = parse(
        "alertmanager",
        {"alerts": [{"status": "firing", "labels": {"alertname": "A"},
                     "annotations": {"description": "d" * MAX_EVENT_BYTES}}]},
    )  # fmt: skip
    written = to_events_v2(event)
    assert written["payload"]["custom_details"]["annotations"]["description"] == (  # type: ignore[index]
        "d" * MAX_EVENT_BYTES
    )
    assert invalid(written).field == "$"
