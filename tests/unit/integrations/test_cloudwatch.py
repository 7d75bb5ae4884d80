from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tocsin.errors import InvalidEvent
from tocsin.events import Action, Event, Link, Severity
from tocsin.integrations import SubscriptionConfirmation, cloudwatch

FIXTURES = Path(__file__).parents[2] / "fixtures" / "cloudwatch"


def fixture(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / name).read_bytes())
    return loaded


def events(payload: object, **options: Any) -> list[Event]:
    result = cloudwatch.parse(payload, **options)  # type: ignore[arg-type]
    assert isinstance(result, list)
    return result


def envelope(alarm: dict[str, Any]) -> dict[str, Any]:
    raw = fixture("cloudforet-sns-http-ok.json")
    raw["Message"] = json.dumps(alarm)
    return raw


def alarm(**changes: Any) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(fixture("cloudforet-sns-http-ok.json")["Message"])
    message.update(changes)
    return message


def test_a_subscription_confirmation_is_a_typed_result_not_an_alert() -> None:
    result = cloudwatch.parse(
        (FIXTURES / "alerta-sns-http-subscription-confirmation.json").read_bytes()
    )
    assert isinstance(result, SubscriptionConfirmation)
    assert result.type == "SubscriptionConfirmation"
    assert result.topic_arn == "arn:aws:sns:eu-west-1:1234567890:alerta-test"
    assert result.subscribe_url.startswith(
        "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription"
    )
    assert result.token.startswith("2336412f37fb687f")
    assert result.timestamp == datetime(2018, 7, 8, 21, 33, 44, 782000, tzinfo=UTC)
    assert result.from_sns is True
    assert result.envelope["MessageId"] == "8a14e4f3-f3ab-4be0-a12f-681ee8fe214f"


@pytest.mark.parametrize(
    ("url", "genuine"),
    [
        ("https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription", True),
        ("https://sns.cn-north-1.amazonaws.com.cn/?Action=ConfirmSubscription", True),
        ("http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription", False),
        ("https://sns.us-east-1.amazonaws.com.evil.example/", False),
        ("https://169.254.169.254/latest/meta-data/", False),
        ("https://[::1", False),
    ],
)
def test_from_sns_checks_scheme_and_host(url: str, genuine: bool) -> None:
    raw = fixture("alerta-sns-http-subscription-confirmation.json")
    raw["SubscribeURL"] = url
    result = cloudwatch.parse(raw)
    assert isinstance(result, SubscriptionConfirmation)
    assert result.from_sns is genuine


def test_an_unsubscribe_confirmation_is_typed_too() -> None:
    raw = fixture("alerta-sns-http-subscription-confirmation.json")
    raw["Type"] = "UnsubscribeConfirmation"
    result = cloudwatch.parse(raw)
    assert isinstance(result, SubscriptionConfirmation)
    assert result.type == "UnsubscribeConfirmation"


def test_envelope_raw_delivery_and_lambda_give_the_same_alert() -> None:
    enveloped = events(fixture("alerta-sns-http-alarm.json"))[0]
    raw = events(fixture("sns-raw-message-delivery-alarm-derived.json"))[0]
    assert (enveloped.dedup_key, enveloped.summary, enveloped.timestamp) == (
        raw.dedup_key,
        raw.summary,
        raw.timestamp,
    )
    assert "sns" in enveloped.custom_details
    assert "sns" not in raw.custom_details


def test_eventbridge_keys_match_sns_keys_for_the_same_alarm() -> None:
    arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh"
    bridge = events(fixture("eventbridge-alarm-state-change-reconstructed.json"))[0]
    sns = events(envelope(alarm(AlarmArn=arn, NewStateValue="ALARM")))[0]
    assert bridge.dedup_key == sns.dedup_key == arn
    # EventBridge inside an SNS envelope, as when a rule targets a topic.
    wrapped = events(envelope(fixture("eventbridge-alarm-state-change-reconstructed.json")))[0]
    assert wrapped.dedup_key == arn


def test_states() -> None:
    assert events(envelope(alarm(NewStateValue="ALARM")))[0].severity is Severity.ERROR
    [ok] = events(envelope(alarm(NewStateValue="OK")))
    assert (ok.action, ok.severity) == (Action.RESOLVE, None)
    [insufficient] = events(envelope(alarm(NewStateValue="INSUFFICIENT_DATA")))
    assert (insufficient.action, insufficient.severity) == (Action.TRIGGER, Severity.WARNING)
    assert (
        events(envelope(alarm(NewStateValue="INSUFFICIENT_DATA")), insufficient_data="ignore") == []
    )
    custom = {"alarm": Severity.CRITICAL}
    assert events(envelope(alarm(NewStateValue="ALARM")), severities=custom)[0].severity is (
        Severity.CRITICAL
    )


def test_decision_unsubscribe_url_is_dropped_from_details() -> None:
    # docs/decisions.md (Events): one click on it silently unsubscribes the endpoint.
    [event] = events(fixture("alerta-sns-http-alarm.json"))
    sns = event.custom_details["sns"]
    assert isinstance(sns, Mapping)
    assert "UnsubscribeURL" not in sns
    assert sns["TopicArn"] == "arn:aws:sns:eu-west-1:1234567890:alerta-test"
    [lam] = events(fixture("aws-lambda-go-sns-lambda-single-metric.json"))
    lambda_sns = lam.custom_details["sns"]
    assert isinstance(lambda_sns, Mapping)
    assert "UnsubscribeUrl" not in lambda_sns
    assert lam.custom_details["lambda_record"] == {
        "EventSource": "aws:sns",
        "EventVersion": "1.0",
        "EventSubscriptionArn": "arn:aws:sns:EXAMPLE",
    }


def test_console_link_for_commercial_region_arns_only() -> None:
    [event] = events(fixture("cloudforet-sns-http-ok.json"))
    assert event.links == (
        Link(
            "https://ap-northeast-1.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-1"
            "#alarmsV2:alarm/ec2CPUUtilization",
            "Alarm in the AWS console",
        ),
    )
    china = "arn:aws-cn:cloudwatch:cn-north-1:123456789012:alarm:x"
    assert events(envelope(alarm(AlarmArn=china)))[0].links == ()


def test_metric_math_alarms_name_their_metric_from_metrics() -> None:
    [event] = events(fixture("aws-lambda-go-sns-lambda-multiple-metrics.json"))
    assert (event.component, event.class_, event.source) == (
        "AWS/EC2",
        "NetworkOut",
        "InstanceId=TestInstance",
    )


def test_a_plain_text_message_is_not_an_alarm() -> None:
    with pytest.raises(InvalidEvent) as info:
        cloudwatch.parse(fixture("aws-docs-sns-http-notification-plain-text.json"))
    assert info.value.field == "Message"
    assert "not a CloudWatch alarm" in info.value.reason


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"Type": "Notification"}, "Message"),
        ({"Type": "Gossip", "Message": "{}"}, "Type"),
        ({"Type": "Notification", "Message": "{}"}, "Message"),
        ({"Type": "Notification", "Message": 5}, "Message"),
        (envelope(alarm(NewStateValue="FIRE")), "Message.NewStateValue"),
        (envelope(alarm(StateChangeTime="02/15/2019")), "Message.StateChangeTime"),
        (envelope(alarm(AlarmName=None)), "Message.AlarmName"),
        (
            envelope(alarm(Trigger={"Dimensions": [{"value": "x"}]})),
            "Message.Trigger.Dimensions[0].name",
        ),
        ({"Records": [{"EventSource": "aws:sns"}]}, "Records[0].Sns"),
        (
            {"Records": [{"Sns": fixture("alerta-sns-http-subscription-confirmation.json")}]},
            "Records[0].Sns.Type",
        ),
        ({"AlarmName": "x"}, "NewStateValue"),
        ({"detail-type": "CloudWatch Alarm State Change"}, "detail"),
        ({"hello": "world"}, "$"),
        ({"Type": "SubscriptionConfirmation", "TopicArn": "t", "Token": "x"}, "SubscribeURL"),
    ],
)
def test_errors_name_the_field(payload: object, field: str) -> None:
    with pytest.raises(InvalidEvent) as info:
        cloudwatch.parse(payload)  # type: ignore[arg-type]
    assert info.value.field == field


def test_bad_options_are_named() -> None:
    with pytest.raises(InvalidEvent) as info:
        cloudwatch.parse(fixture("alerta-sns-http-alarm.json"), insufficient_data="maybe")  # type: ignore[arg-type]
    assert info.value.field == "insufficient_data"


def test_an_alarms_own_sns_and_lambda_record_fields_are_kept() -> None:
    # tocsin puts the envelope under "sns" and a Lambda record under "lambda_record";
    # an alarm with fields of those names keeps them, and the additions take the first
    # free "_"-prefixed name.
    mine = alarm(sns="mine", lambda_record={"also": "mine"}, _sns=[1])
    wrapped = envelope(mine)
    for sent in (wrapped, json.dumps(wrapped), json.dumps(wrapped).encode()):
        [event] = events(sent)
        details = event.custom_details
        assert (details["sns"], details["lambda_record"], details["_sns"]) == (
            "mine",
            {"also": "mine"},
            (1,),
        )
        assert details["__sns"] == {
            k: v for k, v in wrapped.items() if k not in {"Message", "UnsubscribeURL"}
        }
        assert set(details) == {*mine, "__sns"}
    record = {"EventSource": "aws:sns", "Sns": wrapped}
    [event] = events({"Records": [record]})
    details = event.custom_details
    assert (details["sns"], details["lambda_record"], details["_sns"]) == (
        "mine",
        {"also": "mine"},
        (1,),
    )
    assert details["_lambda_record"] == {"EventSource": "aws:sns"}
    assert set(details) == {*mine, "_lambda_record", "__sns"}
    # Raw delivery adds nothing: the alarm is the whole of it.
    [raw] = events(json.dumps(mine))
    assert set(raw.custom_details) == set(mine)
    assert raw.custom_details["sns"] == "mine"


def test_an_eventbridge_events_own_sns_field_is_kept() -> None:
    bridge = fixture("eventbridge-alarm-state-change-reconstructed.json")
    bridge["sns"] = "mine"
    wrapped = envelope(bridge)
    for sent in (wrapped, json.dumps(wrapped)):
        [event] = events(sent)
        assert event.custom_details["sns"] == "mine"
        added = event.custom_details["_sns"]
        assert isinstance(added, Mapping)
        assert added["TopicArn"] == wrapped["TopicArn"]


_CONFIRMATION: dict[str, Any] = {
    "type": "SubscriptionConfirmation",
    "topic_arn": "arn:aws:sns:eu-west-1:123456789012:alarms",
    "subscribe_url": "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription",
    "token": "2336412f37fb687f",
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"type": "x"}, "type"),
        ({"type": "Notification"}, "type"),
        ({"type": ["SubscriptionConfirmation"]}, "type"),
        ({"topic_arn": 5}, "topic_arn"),
        ({"topic_arn": ""}, "topic_arn"),
        ({"subscribe_url": None}, "subscribe_url"),
        ({"token": b"2336"}, "token"),
        ({"message": 1}, "message"),
        ({"message_id": []}, "message_id"),
        ({"timestamp": datetime(2026, 3, 8, 9)}, "timestamp"),
        ({"timestamp": "2026-03-08T09:00:00Z"}, "timestamp"),
        ({"envelope": {"a": float("nan")}}, "envelope.a"),
        ({"envelope": [1]}, "envelope"),
    ],
)
def test_a_subscription_confirmation_checks_its_fields(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidEvent) as info:
        SubscriptionConfirmation(**(_CONFIRMATION | changes))
    assert info.value.field == field


def test_a_subscription_confirmation_keeps_its_timestamps_offset_without_a_fold() -> None:
    new_york = ZoneInfo("America/New_York")
    late = SubscriptionConfirmation(
        **_CONFIRMATION, timestamp=datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=new_york)
    )
    early = SubscriptionConfirmation(
        **_CONFIRMATION, timestamp=datetime(2026, 11, 1, 1, 30, tzinfo=new_york)
    )
    assert late != early
    assert late.timestamp is not None
    assert late.timestamp.isoformat() == "2026-11-01T01:30:00-05:00"
    assert SubscriptionConfirmation(
        **(_CONFIRMATION | {"type": "UnsubscribeConfirmation"})
    ).from_sns


def test_a_lambda_events_fields_beside_records_are_kept_under_lambda_event() -> None:
    # Lambda's SNS event has only Records; whatever else a caller hands over beside it
    # goes with every alarm under "lambda_event", never silently dropped.
    lambda_event = fixture("aws-lambda-go-sns-lambda-single-metric.json")
    record = lambda_event["Records"][0]
    lambda_event["extraTop"] = 1
    lambda_event["forwarder"] = {"name": "relay", "hops": [1, 2]}
    lambda_event["Records"] = [record, record]
    for sent in (lambda_event, json.dumps(lambda_event)):
        first, second = events(sent)
        for event in (first, second):
            assert event.custom_details["lambda_event"] == {
                "extraTop": 1,
                "forwarder": {"name": "relay", "hops": (1, 2)},
            }
    # Without such fields there is no "lambda_event" at all.
    [plain] = events(fixture("aws-lambda-go-sns-lambda-single-metric.json"))
    assert "lambda_event" not in plain.custom_details
    # An alarm's own "lambda_event" field is kept; the addition takes "_lambda_event".
    mine = alarm(lambda_event="mine")
    [event] = events({"Records": [{"Sns": envelope(mine)}], "extraTop": True})
    assert event.custom_details["lambda_event"] == "mine"
    assert event.custom_details["_lambda_event"] == {"extraTop": True}


def test_extra_fields_of_a_lambda_record_and_of_its_sns_message_are_kept() -> None:
    lambda_event = fixture("aws-lambda-go-sns-lambda-single-metric.json")
    record = lambda_event["Records"][0]
    record["extraRecord"] = [1, {"a": None}]
    record["Sns"]["extraSns"] = {"b": 2}
    [event] = events(lambda_event)
    assert event.custom_details["lambda_record"] == {
        "EventSource": "aws:sns",
        "EventVersion": "1.0",
        "EventSubscriptionArn": "arn:aws:sns:EXAMPLE",
        "extraRecord": (1, {"a": None}),
    }
    sns = event.custom_details["sns"]
    assert isinstance(sns, Mapping)
    assert sns["extraSns"] == {"b": 2}
    # Everything of the Sns object but the alarm itself and the unsubscribe link.
    assert set(sns) == set(record["Sns"]) - {"Message", "UnsubscribeUrl"}


def test_subscription_confirmations_pickle_and_deep_copy() -> None:
    # Read-only mappings do not pickle; a confirmation handed to a worker process or
    # a queue must survive the trip, envelope, offset and all.
    parsed = cloudwatch.parse(
        (FIXTURES / "alerta-sns-http-subscription-confirmation.json").read_bytes()
    )
    built = SubscriptionConfirmation(
        **_CONFIRMATION,
        timestamp=datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ZoneInfo("America/New_York")),
        envelope={"Type": "SubscriptionConfirmation", "Nested": [{"a": [1.5, None]}]},
    )
    for value in (parsed, built):
        assert isinstance(value, SubscriptionConfirmation)
        for clone in (pickle.loads(pickle.dumps(value)), copy.deepcopy(value)):  # noqa: S301
            assert clone == value
            assert clone.envelope == value.envelope
            assert type(clone.envelope) is MappingProxyType
            assert clone.timestamp is not None
            assert value.timestamp is not None
            assert clone.timestamp.utcoffset() == value.timestamp.utcoffset()
    assert built.envelope["Nested"] == ({"a": (1.5, None)},)
    # The clone is built by the constructor again, so what arrives is checked.
    _, arguments = built.__reduce__()
    assert isinstance(arguments, tuple)
    kind, fields = arguments
    assert kind is SubscriptionConfirmation
    assert isinstance(fields, dict)
    with pytest.raises(InvalidEvent) as info:
        kind(**(fields | {"type": "Notification"}))
    assert info.value.field == "type"
