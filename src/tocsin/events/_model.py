"""The event model: PagerDuty Events API v2, as frozen values.

Field validation follows PagerDuty's published rules, and every error names the
offending field by its path in an Events v2 body (``payload.summary``,
``links[0].href``), so the same message works for a constructor call and a parsed
HTTP body.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timezone
from types import MappingProxyType
from typing import Never, TypeAlias, TypeVar

import attrs

from tocsin._rebuild import by_constructor
from tocsin.errors import InvalidEvent, InvalidInput
from tocsin.time import require_aware

#: A JSON value as it sits inside an event: mappings are read-only and arrays are
#: tuples, so an event is immutable all the way down.
JSONValue: TypeAlias = (
    "bool | int | float | str | tuple[JSONValue, ...] | Mapping[str, JSONValue] | None"
)

_T = TypeVar("_T")

MAX_SUMMARY = 1024
MAX_DEDUP_KEY = 255
MAX_EVENT_BYTES = 512 * 1024


class Action(enum.StrEnum):
    """What an alert event asks for (PagerDuty's ``event_action``)."""

    TRIGGER = "trigger"
    ACKNOWLEDGE = "acknowledge"
    RESOLVE = "resolve"


class Severity(enum.StrEnum):
    """How bad it is, in PagerDuty's four levels, most severe first.

    Severities order by urgency: ``Severity.CRITICAL > Severity.WARNING``, and so
    against their values (a severity equals its value): ``Severity.CRITICAL > "info"``.

    >>> Severity.CRITICAL > Severity.WARNING
    True
    >>> max(Severity.INFO, Severity.ERROR)
    <Severity.ERROR: 'error'>
    >>> Severity.CRITICAL > "info", "warning" <= Severity.ERROR
    (True, True)
    """

    CRITICAL = "critical"
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """3 for critical down to 0 for info."""
        return _RANK[self]

    # A Severity is a str, so a comparison this class declines falls back to str's
    # own, alphabetical ("critical" < "info"): Severity.CRITICAL > "info" would be
    # False.  A severity's own value compares by urgency, as it is == its member;
    # any other string is a TypeError, as any other type is.
    def __lt__(self, other: object) -> bool:
        rank = _rank_of(other)
        return NotImplemented if rank is None else self.rank < rank

    def __le__(self, other: object) -> bool:
        rank = _rank_of(other)
        return NotImplemented if rank is None else self.rank <= rank

    def __gt__(self, other: object) -> bool:
        rank = _rank_of(other)
        return NotImplemented if rank is None else self.rank > rank

    def __ge__(self, other: object) -> bool:
        rank = _rank_of(other)
        return NotImplemented if rank is None else self.rank >= rank


_RANK = {Severity.CRITICAL: 3, Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


def _rank_of(other: object) -> int | None:
    if type(other) is Severity:
        return _RANK[other]
    if not isinstance(other, str):
        return None
    try:
        return _RANK[Severity(other)]
    except ValueError:
        allowed = ", ".join(s.value for s in Severity)
        msg = f"cannot order a Severity and {shown(other)}: not one of {allowed}"
        raise TypeError(msg) from None


def shown(value: object, limit: int = 60) -> str:
    """``repr(value)`` for an error message: cut to ``limit`` characters, and safe.

    A sender's value can be a megabyte of text, or (from a caller's mapping) an
    integer too long for ``str()``, which raises ``ValueError`` in Python 3.11+.
    """
    try:
        text = repr(value)
    except ValueError:
        return f"<a {type(value).__name__} too long to show>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def freeze_json(value: object, field: str) -> JSONValue:
    """Return an immutable copy of a JSON-like value, or raise naming ``field``.

    Mappings become read-only mappings (keys must be strings), lists and tuples become
    tuples.  Anything that JSON cannot carry is an error, not silently converted.
    """
    try:
        return freeze_fast(value)
    except NotJSON:
        pass
    # Paths cost a string per value: build them only to say where the problem is.
    _locate(value, field)
    raise AssertionError(field)  # pragma: no cover - _locate raised


class NotJSON(Exception):
    """Raised by :func:`freeze_fast` for anything JSON cannot carry."""


def freeze_fast(value: object) -> JSONValue:  # noqa: PLR0911 - one return per JSON type
    """:func:`freeze_json` without field paths: raises :class:`NotJSON` (internal)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value  # type: ignore[return-value]  # one of the scalar types
    if kind is dict or kind is MappingProxyType:
        items: Mapping[object, object] = value  # type: ignore[assignment]
        return MappingProxyType(
            {
                (key if type(key) is str else not_json()): freeze_fast(item)
                for key, item in items.items()
            }
        )
    if kind is list or kind is tuple:
        return tuple([freeze_fast(item) for item in value])  # type: ignore[attr-defined]
    if kind is float:
        if math.isfinite(value):  # type: ignore[arg-type]
            return value  # type: ignore[return-value]
        return not_json()
    # Subclasses and other mappings take the careful road.
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else not_json()
    if isinstance(value, Mapping):
        return MappingProxyType(
            {
                (key if isinstance(key, str) else not_json()): freeze_fast(item)
                for key, item in value.items()
            }
        )
    if isinstance(value, list | tuple):
        return tuple([freeze_fast(item) for item in value])
    return not_json()


def not_json() -> Never:
    raise NotJSON


def _locate(value: object, field: str) -> None:
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            msg = f"JSON has no NaN or infinity, got {shown(value)}"
            raise InvalidEvent(field, msg)
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            _key(key, field)
            _locate(item, key if field in {"", "$"} else f"{field}.{key}")
        return
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _locate(item, f"{field}[{i}]")
        return
    msg = f"expected a JSON value, got {type(value).__name__}"
    raise InvalidEvent(field, msg)


def _key(key: object, field: str) -> str:
    if not isinstance(key, str):
        msg = f"object keys must be strings, got {type(key).__name__} {shown(key)}"
        raise InvalidEvent(field, msg)
    return key


def thaw_json(value: JSONValue) -> object:
    """The inverse of :func:`freeze_json`: plain dicts and lists, ready for ``json.dumps``."""
    if isinstance(value, Mapping):
        return {key: thaw_json(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [thaw_json(item) for item in value]
    return value


class Prefrozen:
    """custom_details that tocsin's own parsers froze already (internal).

    Parsers freeze the parts of a payload that several events share (an Alertmanager
    group's labels) once, and hand the converter the finished mapping instead of
    making it walk the same data again for every event.
    """

    __slots__ = ("mapping",)

    def __init__(self, mapping: Mapping[str, JSONValue]) -> None:
        self.mapping = mapping


def _details(value: object) -> Mapping[str, JSONValue]:
    if value is None:
        return MappingProxyType({})
    if type(value) is Prefrozen:
        return value.mapping
    if not isinstance(value, Mapping):
        msg = f"expected an object, got {type(value).__name__}"
        raise InvalidEvent("payload.custom_details", msg)
    return freeze_json(value, "payload.custom_details")  # type: ignore[return-value]


_TextValidator: TypeAlias = "Callable[[object, attrs.Attribute[str | None], str | None], None]"


def check_text(
    value: object, field: str, *, optional: bool = True, limit: int | None = None
) -> None:
    """Raise :class:`InvalidEvent` unless ``value`` is a string (or ``None`` if optional).

    ``limit`` caps the length in characters (code points), as PagerDuty counts.
    """
    if value is None and optional:
        return
    if not isinstance(value, str):
        msg = f"expected a string, got {type(value).__name__}"
        raise InvalidEvent(field, msg)
    if not optional and not value:
        msg = "expected a non-empty string"
        raise InvalidEvent(field, msg)
    if limit is not None and len(value) > limit:
        msg = f"at most {limit} characters, got {len(value)}"
        raise InvalidEvent(field, msg)


def _optional_text(field: str, limit: int | None = None) -> _TextValidator:
    cap = limit if limit is not None else -1

    def check(_inst: object, _attr: attrs.Attribute[str | None], value: object) -> None:
        # The common cases first, without a call: parsers build many events.
        if value is None or (type(value) is str and (cap < 0 or len(value) <= cap)):
            return
        check_text(value, field, limit=limit)

    return check


def _action(value: object) -> Action:
    if type(value) is Action:
        return value
    if isinstance(value, str):
        try:
            return Action(value)
        except ValueError:
            pass
    allowed = ", ".join(a.value for a in Action)
    msg = f"expected one of {allowed}; got {shown(value)}"
    raise InvalidEvent("event_action", msg)


def _severity(value: object) -> Severity | None:
    if value is None or type(value) is Severity:
        return value
    if isinstance(value, str):
        try:
            return Severity(value)
        except ValueError:
            pass
    allowed = ", ".join(s.value for s in Severity)
    msg = f"expected one of {allowed}; got {shown(value)}"
    raise InvalidEvent("payload.severity", msg)


def _timestamp(value: object) -> datetime | None:
    if value is None:
        return None
    # The common case: a parser's fixed offset, already canonical.
    if (
        type(value) is datetime
        and type(value.tzinfo) is timezone
        and not value.fold
        and value.year not in _EDGE_YEARS
    ):
        return value
    return fixed_offset(value, "payload.timestamp")


_EDGE_YEARS = (1, 9999)


def fixed_offset(value: object, field: str) -> datetime:
    """``value``, an aware datetime, at its own UTC offset as a fixed ``timezone``.

    The instant and the sender's offset are kept; the zone's rules are dropped.  A
    ``ZoneInfo`` wall time inside a DST fold (01:30 on 2026-11-01 in New York happens
    twice) compares equal to the other occurrence when both share the zone, since
    Python compares such datetimes by wall fields and ignores ``fold``; at a fixed
    offset each is one instant, with one ``==`` and one ``hash``, and the ISO 8601
    text written for it reads back equal.  Raises :class:`InvalidEvent` naming
    ``field`` for a naive datetime, anything else, or an instant outside the years 1
    to 9999 in UTC.

    >>> from zoneinfo import ZoneInfo
    >>> ny = ZoneInfo("America/New_York")
    >>> fixed_offset(datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ny), "at").isoformat()
    '2026-11-01T01:30:00-05:00'
    """
    try:
        moment = require_aware(value, field)
        offset = moment.utcoffset()
        moment.astimezone(UTC)  # an instant datetime can hold, in UTC too
    except InvalidInput as err:  # naive, or not a datetime
        raise InvalidEvent(err.field, err.reason) from err
    except OverflowError as err:
        msg = f"{shown(value)} is outside the years 1 to 9999 in UTC"
        raise InvalidEvent(field, msg) from err
    except (ValueError, TypeError) as err:  # a tzinfo whose utcoffset is not one
        raise InvalidEvent(field, f"not a usable UTC offset: {err}") from err
    return moment.replace(tzinfo=timezone(offset), fold=0)  # type: ignore[arg-type]  # aware


@attrs.frozen
class Link:
    """A link shown with the alert (``links[]`` in Events v2)."""

    href: str
    text: str | None = None

    def __attrs_post_init__(self) -> None:
        check_text(self.href, "href", optional=False)
        check_text(self.text, "text")


@attrs.frozen
class Image:
    """An image shown with the alert (``images[]`` in Events v2)."""

    src: str
    href: str | None = None
    alt: str | None = None

    def __attrs_post_init__(self) -> None:
        check_text(self.src, "src", optional=False)
        check_text(self.href, "href")
        check_text(self.alt, "alt")


def _links(value: object) -> tuple[Link, ...]:
    return _sequence(value, Link, "links")


def _images(value: object) -> tuple[Image, ...]:
    return _sequence(value, Image, "images")


def _sequence(value: object, kind: type[_T], field: str) -> tuple[_T, ...]:
    if value is None or value == ():
        return ()
    if not isinstance(value, list | tuple):
        msg = f"expected a list, got {type(value).__name__}"
        raise InvalidEvent(field, msg)
    for i, item in enumerate(value):
        if not isinstance(item, kind):
            msg = f"expected a {kind.__name__}, got {type(item).__name__}"
            raise InvalidEvent(field + f"[{i}]", msg)
    return tuple(value)


_TEXT_TYPES = frozenset({str, type(None)})
# Event's optional text fields, in order, with their Events v2 paths and limits.
_TEXT_FIELDS: tuple[tuple[str, int | None], ...] = (
    ("routing_key", None),
    ("payload.summary", MAX_SUMMARY),
    ("payload.source", None),
    ("payload.component", None),
    ("payload.group", None),
    ("payload.class", None),
    ("client", None),
    ("client_url", None),
)


@attrs.frozen(kw_only=True)
class Event:
    """An alert event: trigger, acknowledge or resolve, in Events API v2 terms.

    ``dedup_key`` identifies the alert: a trigger whose key matches an open alert is a
    duplicate, and acknowledge and resolve find their alert by it.  A trigger must
    carry ``summary``, ``source`` and ``severity``; acknowledge and resolve need only
    the key.  ``class_`` is Events v2's ``class`` (a Python keyword).

    Sources that speak in labels (Alertmanager, Grafana) keep them in
    ``custom_details["labels"]``; :attr:`labels` reads them back.

    ``dedup_key_generated`` is true when the sender gave no key and tocsin made one
    (a trigger without ``dedup_key``, an Opsgenie alert without an alias); hand the
    key back to the sender, as PagerDuty's 202 response does, so it can acknowledge
    and resolve later.  It is provenance, not content: it takes no part in equality.

    >>> e = Event(
    ...     action=Action.TRIGGER,
    ...     dedup_key="disk-full-db1",
    ...     summary="Disk full on db1",
    ...     source="db1",
    ...     severity=Severity.CRITICAL,
    ...     custom_details={"labels": {"team": "storage"}},
    ... )
    >>> e.labels["team"], e.severity > Severity.ERROR
    ('storage', True)
    """

    # The text fields are checked together in __attrs_post_init__ rather than by one
    # validator each: parsers build an event per alert, and the calls add up.
    action: Action = attrs.field(converter=_action)
    dedup_key: str = attrs.field()
    routing_key: str | None = None
    summary: str | None = None
    source: str | None = None
    severity: Severity | None = attrs.field(default=None, converter=_severity)
    timestamp: datetime | None = attrs.field(default=None, converter=_timestamp)
    component: str | None = None
    group: str | None = None
    class_: str | None = None
    custom_details: Mapping[str, JSONValue] = attrs.field(
        factory=dict, converter=_details, hash=False
    )
    links: tuple[Link, ...] = attrs.field(default=(), converter=_links)
    images: tuple[Image, ...] = attrs.field(default=(), converter=_images)
    client: str | None = None
    client_url: str | None = None
    dedup_key_generated: bool = attrs.field(default=False, eq=False)
    # ``labels``, read once and kept: routing, silences and inhibition each ask for the
    # same event's labels, and the event is immutable all the way down.
    _labels: Mapping[str, str] | None = attrs.field(
        init=False, default=None, eq=False, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        key = self.dedup_key
        if type(key) is not str or not 0 < len(key) <= MAX_DEDUP_KEY:
            check_text(key, "dedup_key", optional=False, limit=MAX_DEDUP_KEY)
        texts = (
            self.routing_key,
            self.summary,
            self.source,
            self.component,
            self.group,
            self.class_,
            self.client,
            self.client_url,
        )
        summary = self.summary
        if not _TEXT_TYPES.issuperset(map(type, texts)) or (
            summary is not None and len(summary) > MAX_SUMMARY
        ):
            for value, (field, limit) in zip(texts, _TEXT_FIELDS, strict=True):
                check_text(value, field, limit=limit)
        if self.routing_key == "":
            _no_empty_routing_key()
        generated: object = self.dedup_key_generated
        if type(generated) is not bool:
            msg = f"expected True or False, got {shown(generated)}"
            raise InvalidEvent("dedup_key_generated", msg)
        if self.action is Action.TRIGGER and not (
            self.summary and self.source and self.severity is not None
        ):
            for name, value in (
                ("payload.summary", self.summary),
                ("payload.source", self.source),
                ("payload.severity", self.severity),
            ):
                if value is None or value == "":
                    msg = "required for a trigger event"
                    raise InvalidEvent(name, msg)

    def __reduce__(self) -> tuple[object, ...]:
        return _reduced(self)

    @property
    def labels(self) -> Mapping[str, str]:
        """The source's labels (``custom_details["labels"]``), or an empty mapping.

        Only string-valued entries are labels; anything else stays in
        ``custom_details`` untouched.
        """
        found = self._labels
        if found is None:
            raw = self.custom_details.get("labels")
            found = (
                MappingProxyType({k: v for k, v in raw.items() if isinstance(v, str)})
                if isinstance(raw, Mapping)
                else _NO_LABELS
            )
            object.__setattr__(self, "_labels", found)
        return found


_NO_LABELS: Mapping[str, str] = MappingProxyType({})


def _no_empty_routing_key() -> Never:
    # PagerDuty answers an empty routing_key with a 400, and an empty dedup scope
    # would only fail later, in the escalation engine, under another name.
    msg = "expected a non-empty string (the integration's key), or no routing_key at all"
    raise InvalidEvent("routing_key", msg)


@attrs.frozen(kw_only=True)
class ChangeEvent:
    """A change event (a deploy, a config push): context for responders, never a page.

    Events v2 sends these to a separate endpoint; they carry no action, dedup key or
    severity and never open an incident.
    """

    summary: str
    routing_key: str | None = attrs.field(default=None, validator=_optional_text("routing_key"))
    source: str | None = attrs.field(default=None, validator=_optional_text("payload.source"))
    timestamp: datetime | None = attrs.field(default=None, converter=_timestamp)
    custom_details: Mapping[str, JSONValue] = attrs.field(
        factory=dict, converter=_details, hash=False
    )
    links: tuple[Link, ...] = attrs.field(default=(), converter=_links)
    images: tuple[Image, ...] = attrs.field(default=(), converter=_images)

    def __attrs_post_init__(self) -> None:
        check_text(self.summary, "payload.summary", optional=False, limit=MAX_SUMMARY)
        if self.routing_key == "":
            _no_empty_routing_key()

    def __reduce__(self) -> tuple[object, ...]:
        return _reduced(self)


def _reduced(event: Event | ChangeEvent) -> tuple[object, ...]:
    # Pickling and deep copies: read-only mappings cannot be pickled, so an event
    # travels as its constructor's arguments with custom_details thawed, and is built
    # (and checked) again on arrival.  The labels cache is left behind.
    return by_constructor(event, custom_details=thaw_json(event.custom_details))
