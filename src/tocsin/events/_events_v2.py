"""PagerDuty Events API v2 bodies: :func:`parse_event` and its inverse :func:`to_events_v2`.

The rules are PagerDuty's (``reference/escalation.md`` section 2.1, the Events v2
OpenAPI schema): ``event_action`` is trigger, acknowledge or resolve; a trigger needs
``payload.summary``, ``payload.source`` and ``payload.severity``; acknowledge and
resolve need ``dedup_key``; ``summary`` is at most 1024 characters, ``dedup_key`` at
most 255, the whole body at most 512 KB.  Change events (``/v2/change/enqueue``)
have a payload and links but no action, key or severity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from tocsin.errors import InvalidEvent, InvalidInput
from tocsin.events._keys import content_key
from tocsin.events._model import (
    MAX_DEDUP_KEY,
    MAX_EVENT_BYTES,
    Action,
    ChangeEvent,
    Event,
    Image,
    JSONValue,
    Link,
    Prefrozen,
    shown,
    thaw_json,
)
from tocsin.events._wire import (
    ROOT,
    Payload,
    describe,
    guarded,
    join,
    json_size,
    load_object,
    parse_timestamp,
)

if TYPE_CHECKING:
    from tocsin.protocols import DedupKeyFactory

_ALERT_KEYS = (
    "routing_key",
    "event_action",
    "dedup_key",
    "payload",
    "links",
    "images",
    "client",
    "client_url",
)
_ALERT_PAYLOAD_KEYS = (
    "summary",
    "source",
    "severity",
    "timestamp",
    "component",
    "group",
    "class",
    "custom_details",
)
_EMPTY: Mapping[str, JSONValue] = MappingProxyType({})
_CHANGE_KEYS = ("routing_key", "payload", "links", "images")
_CHANGE_PAYLOAD_KEYS = ("summary", "source", "timestamp", "custom_details")


def content_dedup_key(body: Mapping[str, object], /) -> str:
    """Tocsin's default dedup key for a trigger sent without one: the body's content key.

    Unlike PagerDuty, which mints a random UUID (so every keyless trigger opens a new
    alert), tocsin derives the key from the whole body with :func:`content_key`:
    the core stays deterministic, and a sender that retries the same request after a
    timeout does not page twice.  Two *different* problems reported with
    byte-identical bodies (no timestamp, same text) share a key while the first is
    open, as GoAlert's summary-and-details key does.  Pass another
    :class:`~tocsin.protocols.DedupKeyFactory` to :func:`parse_event` to change this.
    """
    return content_key(body)


@guarded
def parse_event(
    body: Payload,
    *,
    kind: Literal["alert", "change"] | None = None,
    key_factory: DedupKeyFactory | None = None,
) -> Event | ChangeEvent:
    """Parse an Events API v2 body (JSON bytes or text, or a mapping) into an event.

    ``kind="alert"`` reads the body as ``/v2/enqueue`` does, ``kind="change"`` as
    ``/v2/change/enqueue``.  By default a body with no ``event_action``, no
    ``dedup_key`` and only change-event payload fields is a :class:`ChangeEvent`;
    anything else is an alert event and must say what it wants.

    A trigger without a ``dedup_key`` gets one from ``key_factory`` (by default
    :func:`content_dedup_key`) and comes back with ``dedup_key_generated=True``.

    Bad input raises :class:`~tocsin.errors.InvalidEvent` naming the field
    (``payload.severity``, ``links[1].href``), and nothing else.  Fields this
    format does not have are refused rather than ignored, so a typo such as
    ``dedupkey`` fails loudly instead of opening a new alert on every send.

    >>> event = parse_event(
    ...     b'{"routing_key": "r1", "event_action": "trigger", "dedup_key": "db1/disk",'
    ...     b' "payload": {"summary": "Disk 99% on db1", "source": "db1",'
    ...     b' "severity": "critical", "timestamp": "2026-03-08T09:00:00.000+0000"}}'
    ... )
    >>> event.action, event.dedup_key, event.severity, event.timestamp.isoformat()
    (<Action.TRIGGER: 'trigger'>, 'db1/disk', <Severity.CRITICAL: 'critical'>, '2026-03-08T09:00:00+00:00')
    >>> parse_event({"routing_key": "r1", "event_action": "resolve"})
    Traceback (most recent call last):
    ...
    tocsin.errors.InvalidEvent: dedup_key: required for a resolve event
    """  # noqa: E501
    choice: object = kind
    if choice is not None and choice != "alert" and choice != "change":  # noqa: PLR1714 - any type
        msg = f"expected 'alert', 'change' or None, got {shown(kind)}"
        raise InvalidEvent("kind", msg)
    factory = check_key_factory(key_factory)
    obj = load_object(body, max_bytes=MAX_EVENT_BYTES)
    if isinstance(body, Mapping):
        size = json_size(obj)
        if size > MAX_EVENT_BYTES:
            msg = f"at most {MAX_EVENT_BYTES} bytes of JSON, got {size}"
            raise InvalidEvent(ROOT, msg)
    if choice is None:
        choice = "change" if _looks_like_change(obj) else "alert"
    if choice == "change":
        return _change_event(obj)
    return _alert_event(obj, factory)


def check_key_factory(key_factory: object) -> DedupKeyFactory:
    """A caller's ``key_factory`` argument, checked: ``None`` means the default."""
    if key_factory is None:
        return content_dedup_key
    if not callable(key_factory):
        msg = f"expected a function of the body that returns a dedup key, got {shown(key_factory)}"
        raise InvalidEvent("key_factory", msg)
    return key_factory  # callable; its result is checked by generated_key


def generated_key(key_factory: DedupKeyFactory, body: Mapping[str, object]) -> str:
    """``key_factory(body)``, or :class:`InvalidEvent` if that is no dedup key.

    The error names ``dedup_key`` (the field that would hold it) and says the key
    came from ``key_factory``.  Whatever the factory itself raises is the caller's
    own and is not caught.
    """
    key: object = key_factory(body)
    if type(key) is not str or not 0 < len(key) <= MAX_DEDUP_KEY:
        msg = (
            f"key_factory must return a non-empty string of at most {MAX_DEDUP_KEY} "
            f"characters, returned {shown(key)}"
        )
        raise InvalidEvent("dedup_key", msg)
    return key


def _action(value: object) -> Action:
    try:
        return Action(value)  # type: ignore[arg-type]  # any JSON value may arrive
    except ValueError:
        msg = f"expected one of trigger, acknowledge, resolve; got {shown(value)}"
        raise InvalidEvent("event_action", msg) from None


def _looks_like_change(obj: Mapping[str, object]) -> bool:
    if any(key in obj for key in ("event_action", "dedup_key", "client", "client_url")):
        return False
    payload = obj.get("payload")
    return isinstance(payload, Mapping) and all(key in _CHANGE_PAYLOAD_KEYS for key in payload)


def _alert_event(obj: Mapping[str, object], key_factory: DedupKeyFactory) -> Event:
    _only(obj, _ALERT_KEYS, "")
    action_value = obj.get("event_action")
    if action_value is None:
        msg = "required: one of trigger, acknowledge, resolve"
        raise InvalidEvent("event_action", msg)
    action = _action(action_value)
    payload = _object(obj.get("payload"), "payload")
    if payload is None and action is Action.TRIGGER:
        msg = "required for a trigger event: an object with summary, source and severity"
        raise InvalidEvent("payload", msg)
    payload = payload or {}
    _only(payload, _ALERT_PAYLOAD_KEYS, "payload")
    key = obj.get("dedup_key")
    generated = False
    if key is None or key == "":
        if action is not Action.TRIGGER:
            msg = f"required for {'an' if action is Action.ACKNOWLEDGE else 'a'} {action} event"
            raise InvalidEvent("dedup_key", msg)
        key = generated_key(key_factory, obj)
        generated = True
    elif not isinstance(key, str):
        msg = f"expected a string, got {describe(key)}"
        raise InvalidEvent("dedup_key", msg)
    timestamp = payload.get("timestamp")
    return Event(
        action=action,
        dedup_key=key,
        routing_key=_text(obj, "routing_key"),
        summary=_text(payload, "summary", "payload"),
        source=_text(payload, "source", "payload"),
        severity=payload.get("severity"),
        timestamp=None if timestamp is None else parse_timestamp(timestamp, "payload.timestamp"),
        component=_text(payload, "component", "payload"),
        group=_text(payload, "group", "payload"),
        class_=_text(payload, "class", "payload"),
        custom_details=Prefrozen(_details(payload)),
        links=_links(obj.get("links")),
        images=_images(obj.get("images")),
        client=_text(obj, "client"),
        client_url=_text(obj, "client_url"),
        dedup_key_generated=generated,
    )


def _change_event(obj: Mapping[str, object]) -> ChangeEvent:
    _only(obj, _CHANGE_KEYS, "")
    payload = _object(obj.get("payload"), "payload")
    if payload is None:
        msg = "required for a change event: an object with at least a summary"
        raise InvalidEvent("payload", msg)
    _only(payload, _CHANGE_PAYLOAD_KEYS, "payload")
    timestamp = payload.get("timestamp")
    summary = payload.get("summary")
    if summary is None:
        msg = "required for a change event"
        raise InvalidEvent("payload.summary", msg)
    return ChangeEvent(
        summary=summary,  # type: ignore[arg-type]  # checked by ChangeEvent
        routing_key=_text(obj, "routing_key"),
        source=_text(payload, "source", "payload"),
        timestamp=None if timestamp is None else parse_timestamp(timestamp, "payload.timestamp"),
        custom_details=Prefrozen(_details(payload)),
        links=_links(obj.get("links")),
        images=_images(obj.get("images")),
    )


def _only(obj: Mapping[str, object], allowed: tuple[str, ...], path: str) -> None:
    keys: Iterable[object] = obj  # a caller's mapping may have keys of any type
    for key in keys:
        if key not in allowed:
            where = join(path, key) if isinstance(key, str) else (path or ROOT)
            msg = f"unknown field {shown(key)}; expected only {', '.join(allowed)}"
            raise InvalidEvent(where, msg)


def _object(value: object, field: str) -> Mapping[str, object] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        msg = f"expected an object, got {describe(value)}"
        raise InvalidEvent(field, msg)
    return value


def _text(obj: Mapping[str, object], key: str, path: str = "") -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    msg = f"expected a string, got {describe(value)}"
    raise InvalidEvent(join(path, key), msg)


def _details(payload: Mapping[str, object]) -> Mapping[str, JSONValue]:
    # The body was frozen as it was decoded: custom_details is frozen already.
    details = payload.get("custom_details")
    if details is None:
        return _EMPTY
    if not isinstance(details, Mapping):
        # PagerDuty's schema says object; a bare string would have nowhere to go.
        msg = f"expected an object, got {describe(details)}"
        raise InvalidEvent("payload.custom_details", msg)
    return details  # frozen by load_object


def _links(value: object) -> tuple[Link, ...]:
    links = []
    for i, item in enumerate(_array(value, "links")):
        path = f"links[{i}]"
        _only(item, ("href", "text"), path)
        try:
            links.append(Link(item.get("href"), item.get("text")))  # type: ignore[arg-type]
        except InvalidInput as err:
            raise err.within(path) from err
    return tuple(links)


def _images(value: object) -> tuple[Image, ...]:
    images = []
    for i, item in enumerate(_array(value, "images")):
        path = f"images[{i}]"
        _only(item, ("src", "href", "alt"), path)
        try:
            images.append(Image(item.get("src"), item.get("href"), item.get("alt")))  # type: ignore[arg-type]
        except InvalidInput as err:
            raise err.within(path) from err
    return tuple(images)


def _array(value: object, field: str) -> list[Mapping[str, object]]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        msg = f"expected an array, got {describe(value)}"
        raise InvalidEvent(field, msg)
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            msg = f"expected an object, got {describe(item)}"
            raise InvalidEvent(join(field, i), msg)
    return list(value)


def to_events_v2(event: Event | ChangeEvent) -> dict[str, object]:
    """The Events API v2 body for ``event``: the inverse of :func:`parse_event`.

    ``parse_event(to_events_v2(e)) == e`` for every event whose body fits Events v2's
    512 KB; an event may hold more (a source's alert with a huge annotation keeps it
    in ``custom_details``), and then ``parse_event``, like PagerDuty, refuses the body
    this writes (``json.dumps`` it and measure before sending).  Fields that are not set
    are left out; the timestamp is written in RFC 3339 with its UTC offset (in UTC if
    the offset has seconds, which RFC 3339 cannot write).  The
    result is plain dicts and lists, ready for ``json.dumps``.

    >>> from tocsin.events import Action
    >>> to_events_v2(Event(action=Action.RESOLVE, dedup_key="db1/disk"))
    {'event_action': 'resolve', 'dedup_key': 'db1/disk'}
    """
    body: dict[str, object] = {}
    if event.routing_key is not None:
        body["routing_key"] = event.routing_key
    if isinstance(event, ChangeEvent):
        payload = _payload(summary=event.summary, source=event.source, timestamp=event.timestamp)
    else:
        body["event_action"] = event.action.value
        body["dedup_key"] = event.dedup_key
        payload = _payload(
            summary=event.summary,
            source=event.source,
            severity=None if event.severity is None else event.severity.value,
            timestamp=event.timestamp,
            component=event.component,
            group=event.group,
            **{"class": event.class_},
        )
    if event.custom_details:
        payload["custom_details"] = thaw_json(event.custom_details)
    if payload or isinstance(event, ChangeEvent) or event.action is Action.TRIGGER:
        body["payload"] = payload
    if event.links:
        body["links"] = [_drop_none(href=link.href, text=link.text) for link in event.links]
    if event.images:
        body["images"] = [_drop_none(src=i.src, href=i.href, alt=i.alt) for i in event.images]
    if isinstance(event, Event):
        if event.client is not None:
            body["client"] = event.client
        if event.client_url is not None:
            body["client_url"] = event.client_url
    return body


def _payload(**fields: object) -> dict[str, object]:
    timestamp = fields.get("timestamp")
    if isinstance(timestamp, datetime):
        fields["timestamp"] = _rfc3339(timestamp)
    return _drop_none(**fields)


def _rfc3339(moment: datetime) -> str:
    # RFC 3339 offsets are whole minutes; a zone's local mean time before 1900 (New
    # York's -04:56:02) is not, so such an instant is written in UTC.  It reads back
    # as the same instant, and so as an equal event.
    offset = moment.utcoffset()
    if offset is not None and (offset.seconds % 60 or offset.microseconds):
        moment = moment.astimezone(UTC)
    return moment.isoformat()


def _drop_none(**fields: object) -> dict[str, object]:
    return {key: value for key, value in fields.items() if value is not None}
