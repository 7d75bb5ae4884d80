"""Amazon CloudWatch alarms, as SNS delivers them (and as EventBridge does).

Accepted shapes, told apart by their fields:

* an **SNS HTTP(S) envelope** (``Type``, ``Message``, ...) whose ``Message`` is the
  alarm as a JSON *string*;
* ``Type: SubscriptionConfirmation`` (or ``UnsubscribeConfirmation``): returned as a
  :class:`SubscriptionConfirmation` for the caller to confirm or refuse, never as an
  alert;
* **raw message delivery**: the alarm JSON itself, no envelope;
* an SNS-to-Lambda event (``Records[].Sns``), one or more alarms;
* an EventBridge ``CloudWatch Alarm State Change`` event, bare or inside ``Message``.

Mapping:

* **dedup key**: ``AlarmArn`` (EventBridge: ``resources[0]``).  Older alarm messages
  have no ARN; then a :func:`~tocsin.events.content_key` of ``AWSAccountId``,
  ``Region`` and ``AlarmName``.
* **action**: ``NewStateValue`` ``ALARM`` -> trigger, ``OK`` -> resolve,
  ``INSUFFICIENT_DATA`` -> trigger at warning, or no event with
  ``insufficient_data="ignore"`` (GoAlert ignores these transitions).
* **severity**: :data:`SEVERITIES` by state (CloudWatch has no severity).
* **summary**: ``AlarmName: NewStateReason``; **source**: the metric's dimensions
  (``InstanceId=i-0abc``), else its namespace, else the alarm name; **component**:
  the namespace; **class**: the metric name; **timestamp**: ``StateChangeTime``
  (``+0000`` offsets included), else the envelope's ``Timestamp``.
* **links**: the alarm in the AWS console (commercial partition, when the ARN says
  where it is).
* **custom_details**: the alarm message as sent, and the envelope's fields (except
  ``Message``) under ``"sns"`` (a Lambda record's other fields under
  ``"lambda_record"``, and any fields of the Lambda event beside ``Records`` under
  ``"lambda_event"``).  If the alarm itself has a field of that name, the addition
  goes under the name with ``_`` prepended (``"_sns"``, then ``"__sns"``): nothing
  the alarm says is overwritten.  The envelope's ``UnsubscribeURL`` is left out on
  purpose: in alert details it is one click away from silently unsubscribing the
  endpoint from every future alarm.

A notification whose ``Message`` is not a CloudWatch alarm (plain text, an AWS
Health event) raises :class:`~tocsin.errors.InvalidEvent` naming ``Message``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Literal, NamedTuple, TypeAlias
from urllib.parse import quote, urlsplit

import attrs

from tocsin._rebuild import by_constructor
from tocsin.errors import InvalidEvent
from tocsin.events import (
    MAX_DEDUP_KEY,
    MAX_SUMMARY,
    Action,
    Event,
    JSONValue,
    Link,
    Severity,
    freeze_json,
    thaw_json,
)
from tocsin.events._keys import content_key_for
from tocsin.events._model import check_text, fixed_offset, shown
from tocsin.events._plain import Irregular, freeze_plain, plain_payload, plain_time
from tocsin.events._trusted import trusted_event, trusted_link
from tocsin.events._wire import ROOT, Payload, guarded, load_object
from tocsin.integrations._common import (
    Reader,
    fit_key,
    fit_summary,
    free_key,
    severity_table,
    with_additions,
)

__all__ = ["SEVERITIES", "SubscriptionConfirmation", "parse"]

#: Alarm states (lower-cased) to severities; ``OK`` is a resolve and needs none.
SEVERITIES: Mapping[str, Severity] = MappingProxyType(
    {"alarm": Severity.ERROR, "insufficient_data": Severity.WARNING}
)

_STATES = {
    "ALARM": Action.TRIGGER,
    "INSUFFICIENT_DATA": Action.TRIGGER,
    "OK": Action.RESOLVE,
}
_CONFIRMATIONS = ("SubscriptionConfirmation", "UnsubscribeConfirmation")
_ALARM_EVENT = "CloudWatch Alarm State Change"
# Never copied into an event: see the module docstring.
_UNSUBSCRIBE = ("UnsubscribeURL", "UnsubscribeUrl")
_SNS_HOST = re.compile(r"sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?")
_ARN = re.compile(r"arn:(?P<partition>aws[a-z-]*):cloudwatch:(?P<region>[a-z0-9-]+):\d*:alarm:.+")


def _frozen(value: object) -> Mapping[str, JSONValue]:
    frozen = freeze_json(value, "envelope")
    if not isinstance(frozen, Mapping):
        raise InvalidEvent("envelope", "expected the SNS envelope as an object")
    return frozen


def _optional_time(value: object) -> datetime | None:
    return None if value is None else fixed_offset(value, "timestamp")


@attrs.frozen(kw_only=True)
class SubscriptionConfirmation:
    """SNS asking the endpoint to confirm (or telling it it left) a topic subscription.

    Not an alert.  To subscribe, verify the message's signature, check
    :attr:`from_sns`, and fetch :attr:`subscribe_url` (or call ``ConfirmSubscription``
    with :attr:`token`); to refuse, do nothing.  ``type`` is SNS's ``Type``:
    ``SubscriptionConfirmation`` or ``UnsubscribeConfirmation``.

    Every field is checked on construction, as :class:`~tocsin.events.Event`'s are:
    ``topic_arn``, ``subscribe_url`` and ``token`` non-empty strings, ``message`` and
    ``message_id`` strings or ``None``, ``timestamp`` aware (kept at its offset, as an
    event's is) or ``None``; :class:`~tocsin.errors.InvalidEvent` names the field.
    It pickles and deep-copies as its constructor's arguments, checked again on arrival.
    """

    type: Literal["SubscriptionConfirmation", "UnsubscribeConfirmation"]
    topic_arn: str
    subscribe_url: str
    token: str
    message: str | None = None
    message_id: str | None = None
    timestamp: datetime | None = attrs.field(default=None, converter=_optional_time)
    envelope: Mapping[str, JSONValue] = attrs.field(factory=dict, converter=_frozen, hash=False)

    def __attrs_post_init__(self) -> None:
        kind: object = self.type
        if not isinstance(kind, str) or kind not in _CONFIRMATIONS:
            msg = f"expected {' or '.join(_CONFIRMATIONS)}; got {shown(kind)}"
            raise InvalidEvent("type", msg)
        for field in ("topic_arn", "subscribe_url", "token"):
            check_text(getattr(self, field), field, optional=False)
        check_text(self.message, "message")
        check_text(self.message_id, "message_id")

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled and deep-copied as constructor arguments (the envelope thawed),
        # and checked again on arrival: a read-only mapping does not pickle.
        return by_constructor(self, envelope=thaw_json(self.envelope))

    @property
    def from_sns(self) -> bool:
        """Whether :attr:`subscribe_url` is an https URL on an SNS endpoint host.

        Check this before fetching the URL: the envelope is attacker-controlled
        until its signature is verified.
        """
        try:
            parts = urlsplit(self.subscribe_url)
        except ValueError:
            return False
        return parts.scheme == "https" and bool(_SNS_HOST.fullmatch(parts.hostname or ""))


def parse(
    payload: Payload,
    *,
    severities: Mapping[str, Severity] | None = None,
    insufficient_data: Literal["trigger", "ignore"] = "trigger",
) -> list[Event] | SubscriptionConfirmation:
    """Events from a CloudWatch alarm delivery, or the subscription confirmation it is.

    ``severities`` remaps :data:`SEVERITIES` (keys ``alarm`` and
    ``insufficient_data``; a state left out keeps its default).  Raises
    :class:`~tocsin.errors.InvalidEvent` naming the field for anything that is not one
    of the shapes above, and nothing else.
    """
    usual = severities is None and insufficient_data == "trigger"
    if usual:  # the options need no checking; try the fast path straight away
        try:
            return _plain_alarm_events(payload, _DEFAULTS)
        except (Irregular, RecursionError):
            pass  # the careful way accepts it or says what is wrong, with the field
    return _parse(payload, severities, insufficient_data, tried=usual)


@guarded
def _parse(
    payload: Payload,
    severities: Mapping[str, Severity] | None,
    insufficient_data: str,
    *,
    tried: bool,
) -> list[Event] | SubscriptionConfirmation:
    # parse, after its fast path for the usual options (tried) or before it (not).
    table = severity_table(severities, SEVERITIES, closed=True)
    if insufficient_data not in ("trigger", "ignore"):
        msg = f"expected 'trigger' or 'ignore', got {shown(insufficient_data)}"
        raise InvalidEvent("insufficient_data", msg)
    options = _options(table, ignore_insufficient=insufficient_data == "ignore")
    if not tried:
        try:
            return _plain_alarm_events(payload, options)
        except (Irregular, RecursionError):
            pass
    body = Reader(load_object(payload), ROOT)
    if "Records" in body.obj:
        # Lambda's event has only Records; anything else beside it (a test harness's
        # or a forwarder's fields) goes with every alarm under "lambda_event".
        others = {k: v for k, v in body.obj.items() if k != "Records"}
        outer = {"lambda_event": MappingProxyType(others)} if others else {}
        events: list[Event] = []
        for record in body.objects("Records", required=True):
            sns = record.obj_or_none("Sns")
            if sns is None:
                raise InvalidEvent(record.at("Sns"), "required: the SNS message")
            extra = MappingProxyType({k: v for k, v in record.obj.items() if k != "Sns"})
            result = _envelope(sns, options, {**outer, "lambda_record": extra})
            if isinstance(result, SubscriptionConfirmation):
                msg = "SNS confirms subscriptions to HTTP endpoints, not to Lambda"
                raise InvalidEvent(sns.at("Type"), msg)
            events += result
        return events
    if "Type" in body.obj:
        return _envelope(body, options, {})
    return _message(body, options, {}, None)


class _Options(NamedTuple):
    # The severity of each triggering NewStateValue, as sent (upper case).
    by_state: Mapping[str, Severity]
    ignore_insufficient: bool


def _options(severities: Mapping[str, Severity], *, ignore_insufficient: bool) -> _Options:
    by_state = {
        state: severities.get(state.lower(), SEVERITIES[state.lower()])
        for state, action in _STATES.items()
        if action is Action.TRIGGER
    }
    return _Options(by_state, ignore_insufficient)


_DEFAULTS = _options(SEVERITIES, ignore_insufficient=False)


def _envelope(
    sns: Reader, options: _Options, extra: dict[str, object]
) -> list[Event] | SubscriptionConfirmation:
    kind = sns.required_text("Type")
    timestamp = _time(sns, "Timestamp")
    if kind in _CONFIRMATIONS:
        return SubscriptionConfirmation(
            type=kind,  # type: ignore[arg-type]  # one of _CONFIRMATIONS
            topic_arn=sns.required_text("TopicArn"),
            subscribe_url=sns.required_text("SubscribeURL"),
            token=sns.required_text("Token"),
            message=sns.text("Message"),
            message_id=sns.text("MessageId"),
            timestamp=timestamp,
            envelope=sns.obj,
        )
    if kind != "Notification":
        msg = f"expected Notification, SubscriptionConfirmation or UnsubscribeConfirmation; got {shown(kind)}"  # noqa: E501
        raise InvalidEvent(sns.at("Type"), msg)
    text = sns.required_text("Message")
    try:
        message = load_object(text)
    except InvalidEvent as err:
        msg = f"not a CloudWatch alarm (the message is not a JSON object: {err.reason})"
        raise InvalidEvent(sns.at("Message"), msg) from err
    envelope = MappingProxyType(
        {k: v for k, v in sns.obj.items() if k != "Message" and k not in _UNSUBSCRIBE}
    )
    return _message(
        Reader(message, None, sns, "Message"), options, {**extra, "sns": envelope}, timestamp
    )


def _message(
    message: Reader, options: _Options, extra: dict[str, object], sent: datetime | None
) -> list[Event]:
    if "AlarmName" in message.obj:
        return _from_alarm(message, options, extra, sent)
    detail_type = message.obj.get("detail-type")
    if detail_type == _ALARM_EVENT:
        return _from_eventbridge(message, options, extra)
    if isinstance(detail_type, str):
        what = f"an EventBridge {shown(detail_type)} event"
    else:
        what = "no AlarmName, and not an EventBridge alarm state change"
    raise InvalidEvent(message.path, f"not a CloudWatch alarm: {what}")


class _Alarm(NamedTuple):
    name: str
    state: str
    key: str
    reason: str | None
    timestamp: datetime | None
    namespace: str | None
    metric: str | None
    dimensions: tuple[tuple[str, str], ...]
    arn: str | None


def _from_alarm(
    alarm: Reader, options: _Options, extra: dict[str, object], sent: datetime | None
) -> list[Event]:
    name = alarm.required_text("AlarmName")
    arn = alarm.text("AlarmArn")
    account = alarm.text("AWSAccountId")
    region = alarm.text("Region")
    for key in ("AlarmDescription", "OldStateValue"):
        alarm.text(key)
    namespace = metric = None
    dimensions: list[tuple[str, str]] = []
    trigger = alarm.obj_or_none("Trigger")
    if trigger is not None:
        namespace = trigger.text("Namespace")
        metric = trigger.text("MetricName")
        dimensions = _dimension_list(trigger, "Dimensions")
        # Metric-math and anomaly-band alarms name their metrics in Metrics[].
        for item in trigger.objects("Metrics"):
            stat = item.obj_or_none("MetricStat")
            found = stat.obj_or_none("Metric") if stat else None
            if found is not None and not dimensions and namespace is None:
                namespace = found.text("Namespace")
                metric = found.text("MetricName")
                dimensions = _dimension_list(found, "Dimensions")
    key = fit_key(arn) if arn else _fallback_key(account, region, name)
    facts = _Alarm(
        name=name,
        state=alarm.required_text("NewStateValue"),
        key=key,
        reason=alarm.text("NewStateReason"),
        timestamp=_time(alarm, "StateChangeTime") or sent,
        namespace=namespace,
        metric=metric,
        dimensions=tuple(dimensions),
        arn=arn,
    )
    return _events(facts, alarm, with_additions(alarm.obj, extra), options)


def _from_eventbridge(event: Reader, options: _Options, extra: dict[str, object]) -> list[Event]:
    detail = event.obj_or_none("detail")
    if detail is None:
        raise InvalidEvent(event.at("detail"), "required: the alarm state change")
    name = detail.required_text("alarmName")
    state = detail.obj_or_none("state")
    if state is None:
        raise InvalidEvent(detail.at("state"), "required: the new state")
    resources = event.obj.get("resources")
    arn = None
    if isinstance(resources, tuple) and resources and isinstance(resources[0], str):
        arn = resources[0] or None
    namespace = metric = None
    dimensions: list[tuple[str, str]] = []
    configuration = detail.obj_or_none("configuration")
    for item in configuration.objects("metrics") if configuration else []:
        stat = item.obj_or_none("metricStat")
        found = stat.obj_or_none("metric") if stat else None
        if found is not None and namespace is None:
            namespace = found.text("namespace")
            metric = found.text("name")
            dimensions = sorted(found.string_map("dimensions").items())
    key = fit_key(arn) if arn else _fallback_key(event.text("account"), event.text("region"), name)
    facts = _Alarm(
        name=name,
        state=state.required_text("value"),
        key=key,
        reason=state.text("reason"),
        timestamp=_time(state, "timestamp") or _time(event, "time"),
        namespace=namespace,
        metric=metric,
        dimensions=tuple(dimensions),
        arn=arn,
    )
    return _events(facts, state, with_additions(event.obj, extra), options)


def _events(
    alarm: _Alarm, state_at: Reader, details: dict[str, object], options: _Options
) -> list[Event]:
    # state_at: where the state was read (the alarm, or EventBridge's detail.state).
    action = _STATES.get(alarm.state)
    if action is None:
        msg = f"expected ALARM, OK or INSUFFICIENT_DATA; got {shown(alarm.state)}"
        key = "NewStateValue" if "NewStateValue" in state_at.obj else "value"
        raise InvalidEvent(state_at.at(key), msg)
    return _alarm_events(alarm, action, details, options)


def _alarm_events(
    alarm: _Alarm, action: Action, details: dict[str, object], options: _Options
) -> list[Event]:
    # Every field was checked as it was read: the event is built without checking again.
    name, state, key, reason, timestamp, namespace, metric, dimensions, arn = alarm
    if state == "INSUFFICIENT_DATA" and options.ignore_insufficient:
        return []
    severity = options.by_state.get(state)  # None for OK, which resolves
    summary = f"{name}: {reason}" if reason else name
    source = ", ".join(map("=".join, dimensions))  # name=value, ...
    console = _console_link(arn, name) if arn else None
    return [
        trusted_event(
            action=action,
            dedup_key=key,
            summary=summary if len(summary) <= MAX_SUMMARY else fit_summary(summary),
            source=source or namespace or name,
            severity=severity,
            timestamp=timestamp,
            component=namespace,
            class_=metric,
            custom_details=MappingProxyType(details),  # type: ignore[arg-type]  # frozen parts
            links=(console,) if console else (),
            client="Amazon CloudWatch",
        )
    ]


def _fallback_key(account: str | None, region: str | None, name: str) -> str:
    # content_key({"AWSAccountId": account, "Region": region, "AlarmName": name}).
    return _ALARM_KEY(account or "", name, region or "")


_ALARM_KEY = content_key_for("AWSAccountId", "AlarmName", "Region")


def _dimension_list(reader: Reader, key: str) -> list[tuple[str, str]]:
    return [(item.required_text("name"), item.text("value") or "") for item in reader.objects(key)]


def _time(reader: Reader, key: str) -> datetime | None:
    return reader.time(key)


# An alarm sends the same ARN and name with every change of state: remember the link.
@functools.lru_cache(maxsize=1024)
def _console_link(arn: str | None, name: str) -> Link | None:
    match = _ARN.fullmatch(arn or "")
    if match is None or match["partition"] != "aws":
        return None
    region = match["region"]
    href = (
        f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}"
        f"#alarmsV2:alarm/{quote(name, safe='')}"
    )
    return trusted_link(href, "Alarm in the AWS console")


# The fast path (tocsin.events._plain): the careful path's reads and checks for the
# two common deliveries, an SNS envelope holding a classic alarm and a raw-delivered
# alarm, on plain decoded JSON, freezing what it keeps as it reads it.  Irregular at
# anything else (Lambda records, EventBridge, confirmations) or anything the careful
# path might refuse.
_new_tuple = tuple.__new__
_TEXTS = frozenset({str, type(None)})
# Values that are frozen as they are; anything else is an object or array to freeze.
_FLAT = frozenset({str, int, float, bool, type(None), MappingProxyType, tuple})
# What _plain_alarm has checked to be texts (or StateChangeTime, or null) or frozen
# (Trigger) before it freezes the alarm: an alarm with no other members needs no look.
_ALARM_KEYS = frozenset(
    {
        "AlarmName",
        "AlarmArn",
        "AWSAccountId",
        "Region",
        "NewStateValue",
        "NewStateReason",
        "AlarmDescription",
        "OldStateValue",
        "StateChangeTime",
        "Trigger",
    }
)


def _plain_alarm_events(payload: object, options: _Options) -> list[Event]:
    body = plain_payload(payload)
    if type(body) is not dict or "Records" in body:
        raise Irregular
    if "Type" not in body:
        return _plain_alarm(body, options, None, None)
    if body["Type"] != "Notification":
        raise Irregular
    pop = body.pop
    text = pop("Message", None)
    if type(text) is not str or not text:
        raise Irregular
    sent = _plain_time(body.get("Timestamp"))
    alarm = plain_payload(text)
    if type(alarm) is not dict:
        raise Irregular
    pop(_UNSUBSCRIBE[0], None)
    pop(_UNSUBSCRIBE[1], None)
    return _plain_alarm(alarm, options, _frozen_plain(body), sent)


def _plain_alarm(
    alarm: dict[str, object],
    options: _Options,
    envelope: Mapping[str, JSONValue] | None,
    sent: datetime | None,
) -> list[Event]:
    # _from_alarm's reads and checks.
    get = alarm.get
    name = get("AlarmName")
    arn = get("AlarmArn")
    account = get("AWSAccountId")
    region = get("Region")
    state = get("NewStateValue")
    reason = get("NewStateReason")
    if (
        type(name) is not str
        or not name
        or type(state) is not str
        or not _TEXTS.issuperset(
            map(type, (arn, account, region, reason, get("AlarmDescription"), get("OldStateValue")))
        )
    ):
        raise Irregular
    action = _STATES.get(state)  # "" is not a state either
    if action is None:
        raise Irregular
    trigger = get("Trigger")
    named = _NO_METRIC
    if trigger is not None:
        if type(trigger) is not dict:
            raise Irregular
        named = _plain_metric(trigger)
        metrics = trigger.get("Metrics")
        if metrics is not None:
            named = _plain_metrics(trigger, metrics, named)
        alarm["Trigger"] = _frozen_plain(trigger)
    namespace, metric, dimensions = named
    if arn:
        key = arn if len(arn) <= MAX_DEDUP_KEY else fit_key(arn)  # type: ignore[arg-type]
    else:
        key = _ALARM_KEY(account or "", name, region or "")
    # _Alarm(...), without NamedTuple's Python-level __new__.
    facts: _Alarm = _new_tuple(
        _Alarm,
        (
            name,
            state,
            key,
            reason,
            _plain_time(get("StateChangeTime")) or sent,
            namespace,
            metric,
            dimensions,
            arn,
        ),
    )
    # A classic alarm message has no members but those checked or frozen above.
    if not (alarm.keys() <= _ALARM_KEYS or _FLAT.issuperset(map(type, alarm.values()))):
        freeze_plain(alarm)
    if envelope is not None:  # with_additions(alarm, {"sns": envelope}), in place
        alarm["sns" if "sns" not in alarm else free_key("sns", alarm)] = envelope
    return _alarm_events(facts, action, alarm, options)


# Namespace, metric name, dimensions.
_Metric: TypeAlias = "tuple[str | None, str | None, tuple[tuple[str, str], ...]]"
_NO_METRIC: _Metric = (None, None, ())


def _plain_metric(metric: dict[str, object]) -> _Metric:
    # Namespace, MetricName and Dimensions of Trigger or of Metrics[].MetricStat.Metric;
    # the dimensions are frozen as they are read.
    get = metric.get
    namespace = get("Namespace")
    name = get("MetricName")
    items = get("Dimensions")
    if type(namespace) not in _TEXTS or type(name) not in _TEXTS:
        raise Irregular
    if items is None:
        return namespace, name, ()  # type: ignore[return-value]  # checked above
    if type(items) is not list:
        raise Irregular
    dimensions = []
    frozen = []
    for item in items:
        if type(item) is not dict:
            raise Irregular
        key = item.get("name")
        value = item.get("value")
        if type(key) is not str or not key or type(value) not in _TEXTS:
            raise Irregular
        dimensions.append((key, value or ""))
        # Two members, a name and a value that are strings: nothing else to freeze.
        two_strings = value is not None and len(item) == 2  # noqa: PLR2004
        frozen.append(MappingProxyType(item) if two_strings else _frozen_plain(item))
    metric["Dimensions"] = tuple(frozen)
    return namespace, name, tuple(dimensions)  # type: ignore[return-value]  # checked above


def _plain_metrics(trigger: dict[str, object], items: object, named: _Metric) -> _Metric:
    # Metric-math and anomaly-band alarms name their metrics in Metrics[]: the first
    # MetricStat.Metric, when the Trigger named none.  Each item is frozen as it is
    # read, innermost first, so that freezing the Trigger has nothing left to walk.
    if type(items) is not list:
        raise Irregular
    frozen = []
    for item in items:
        if type(item) is not dict:
            raise Irregular
        stat = item.get("MetricStat")
        if stat is not None:
            if type(stat) is not dict:
                raise Irregular
            found = stat.get("Metric")
            if found is not None:
                if type(found) is not dict:
                    raise Irregular
                if not named[2] and named[0] is None:
                    named = _plain_metric(found)
                stat["Metric"] = _frozen_plain(found)
            item["MetricStat"] = _frozen_plain(stat)
        frozen.append(_frozen_plain(item))
    trigger["Metrics"] = tuple(frozen)
    return named


# What SNS writes in Timestamp and CloudWatch in StateChangeTime, digits as 0.  A
# byte translation tells these shapes apart at a third of the cost of the RFC 3339
# pattern, and says no more than the pattern would: digits where it wants digits,
# the rest literally as it wants it.  At a UTC offset of zero, no instant that
# datetime.fromisoformat reads from them is outside the years 1 to 9999.
_AWS_TIMES = frozenset({b"0000-00-00T00:00:00.000Z", b"0000-00-00T00:00:00.000+0000"})
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_fromisoformat = datetime.fromisoformat


def _plain_time(value: object) -> datetime | None:
    # plain_time (aware_iso), quicker for the two shapes AWS writes.
    if (
        type(value) is str
        and value.isascii()
        and value.encode().translate(_DIGITS_AS_ZERO) in _AWS_TIMES
    ):
        try:
            return _fromisoformat(value)
        except ValueError:  # a date or time that does not exist (2026-02-30, 24:00)
            raise Irregular from None
    return plain_time(value)


def _frozen_plain(obj: dict[str, object]) -> Mapping[str, JSONValue]:
    # freeze_plain, after a look at whether anything in obj needs it (mostly not).
    if _FLAT.issuperset(map(type, obj.values())):
        return MappingProxyType(obj)  # type: ignore[arg-type]  # every value is frozen
    return freeze_plain(obj)  # type: ignore[return-value]  # an object stays one
