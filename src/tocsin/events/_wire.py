"""Reading bodies off the wire: JSON text or mappings, timestamps, field paths.

Shared by :func:`tocsin.events.parse_event` and every parser in
:mod:`tocsin.integrations`, so they all reject bad input the same way: with an
:class:`~tocsin.errors.InvalidEvent` whose ``field`` is a path into the body (``$``
is the body itself).
"""

from __future__ import annotations

import functools
import json
import json.scanner
import math
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import ParamSpec, TypeAlias, TypeVar

from tocsin.errors import InvalidEvent
from tocsin.events._model import JSONValue, freeze_json, shown

#: What a parser accepts: JSON text as ``bytes`` (UTF-8) or ``str``, or the
#: already-decoded JSON object as a mapping.
Payload: TypeAlias = "bytes | bytearray | str | Mapping[str, object]"

ROOT = "$"

_P = ParamSpec("_P")
_R = TypeVar("_R")


def join(path: str, key: str | int) -> str:
    """``alerts`` + ``0`` -> ``alerts[0]``; ``alerts[0]`` + ``labels`` -> ``alerts[0].labels``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return key if not path or path == ROOT else f"{path}.{key}"


def _reject_constant(name: str) -> object:
    msg = f"JSON has no {name}; send a finite number or a string"
    raise InvalidEvent(ROOT, msg)


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        msg = f"the number {text} is too large for a float"
        raise InvalidEvent(ROOT, msg)
    return value


def _frozen_object(obj: dict[str, object]) -> Mapping[str, object]:
    # The decoder calls this for every object, innermost first: by the time an
    # object arrives its member objects are frozen, and only arrays are left.
    for key, value in obj.items():
        if type(value) is list:
            obj[key] = _frozen_array(value)
    return MappingProxyType(obj)


def _frozen_array(items: list[object]) -> tuple[object, ...]:
    return tuple([_frozen_array(item) if type(item) is list else item for item in items])


# Freezing while decoding costs half of walking the decoded value afterwards.
_DECODER = json.JSONDecoder(
    object_hook=_frozen_object, parse_constant=_reject_constant, parse_float=_finite
)
_SCAN = json.scanner.make_scanner(_DECODER)  # type: ignore[arg-type]  # typeshed says so
_SPACE = re.compile(r"[ \t\n\r]*")


def _decode(text: str, scan: Callable[[str, int], tuple[object, int]] = _SCAN) -> object:
    # JSONDecoder.decode without its two Python-level wrappers (the C scanner does
    # the work; small payloads notice the difference).
    # Bodies mostly start with "{" and end with "}": skip the regex then.
    start = 0 if text[:1] == "{" else _SPACE.match(text).end()  # type: ignore[union-attr]
    try:
        value, end = scan(text, start)
    except StopIteration as err:
        msg = "Expecting value"
        raise json.JSONDecodeError(msg, text, err.value) from None
    if end != len(text):
        end = _SPACE.match(text, end).end()  # type: ignore[union-attr]  # matches ""
        if end != len(text):
            msg = "Extra data"
            raise json.JSONDecodeError(msg, text, end)
    return value


def load_object(payload: object, *, max_bytes: int | None = None) -> Mapping[str, JSONValue]:
    """Decode ``payload`` to a deeply frozen JSON object, or raise :class:`InvalidEvent`.

    Objects come back as read-only mappings and arrays as tuples, exactly as
    :func:`~tocsin.events.freeze_json` makes them, so parsers can put any part of
    the body into an event as it is.  ``bytes`` must be UTF-8 (no byte-order mark,
    as RFC 8259 asks of senders).  ``max_bytes`` caps the size of JSON text; a
    mapping is checked and frozen (the caller measures it if it must).  ``NaN`` and
    ``Infinity`` are refused: they are not JSON, and Python's ``json`` would
    otherwise accept them.
    """
    if type(payload) is not bytes and isinstance(payload, Mapping):
        return freeze_json(payload, ROOT)  # type: ignore[return-value]  # a mapping stays one
    text = _text(payload, max_bytes)
    try:
        value = _decode(text)
    except json.JSONDecodeError as err:
        msg = f"not valid JSON: {err.msg} (line {err.lineno}, column {err.colno})"
        if text[:1] == "\ufeff":  # what Windows tools prepend; "Expecting value" hides it
            msg = "not valid JSON: it starts with a byte-order mark, which RFC 8259 forbids"
        raise InvalidEvent(ROOT, msg) from err
    except InvalidEvent:  # a number too large for a float, said once with its field
        raise
    except RecursionError as err:
        msg = "JSON nested too deeply"
        raise InvalidEvent(ROOT, msg) from err
    except ValueError as err:  # integers beyond Python's digit limit
        raise InvalidEvent(ROOT, f"not valid JSON: {err}") from err
    if type(value) is not MappingProxyType:
        msg = f"expected a JSON object, got {_json_type(value)}"
        raise InvalidEvent(ROOT, msg)
    return value


def _text(payload: object, max_bytes: int | None) -> str:
    if isinstance(payload, bytes | bytearray):
        if max_bytes is not None and len(payload) > max_bytes:
            raise _too_big(len(payload), max_bytes)
        try:
            return bytes(payload).decode("utf-8")
        except UnicodeDecodeError as err:
            msg = f"JSON text must be UTF-8; byte {err.start} is not"
            raise InvalidEvent(ROOT, msg) from err
    if isinstance(payload, str):
        # A character is at most 4 bytes of UTF-8: only long text needs measuring.
        if max_bytes is not None and len(payload) * 4 > max_bytes:
            size = len(payload.encode("utf-8", "surrogatepass"))
            if size > max_bytes:
                raise _too_big(size, max_bytes)
        return payload
    msg = f"expected JSON text (bytes or str) or a mapping, got {type(payload).__name__}"
    raise InvalidEvent(ROOT, msg)


def _too_big(size: int, limit: int) -> InvalidEvent:
    return InvalidEvent(ROOT, f"at most {limit} bytes of JSON, got {size}")


def json_size(value: Mapping[str, object]) -> int:
    """Bytes of ``value`` as compact UTF-8 JSON (how a sender would have sent it)."""
    try:
        text = json.dumps(
            value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_plain
        )
    except (TypeError, ValueError) as err:
        raise InvalidEvent(ROOT, f"not a JSON object: {err}") from err
    return len(text.encode("utf-8", "surrogatepass"))


def _plain(value: object) -> object:
    if isinstance(value, Mapping):
        return dict(value)
    msg = f"{type(value).__name__} is not a JSON value"
    raise TypeError(msg)


def _json_type(value: object) -> str:
    names = {
        dict: "object",
        MappingProxyType: "object",
        list: "array",
        tuple: "array",
        str: "string",
        bool: "boolean",
        type(None): "null",
    }
    return names.get(type(value), "number")


def describe(value: object) -> str:
    """A short name for a JSON value's type, for error messages."""
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    return _json_type(value)


#: Alertmanager's and Grafana's "not set" time (Go's zero ``time.Time``).
ZERO_TIME = datetime(1, 1, 1, tzinfo=UTC)


def parse_timestamp(value: object, field: str | Callable[[], str]) -> datetime:
    """An RFC 3339 timestamp (with PagerDuty's ``+0000`` offsets too), as an aware datetime.

    Accepted, exactly: ``YYYY-MM-DD``, ``T``, ``hh:mm:ss``, optionally ``.`` and any
    number of fractional digits (nanoseconds are cut to microseconds, Python's
    resolution), then ``Z``, ``+hh:mm`` or ``+hhmm`` (``T`` and ``Z`` in either case,
    as RFC 3339 allows).  That is what every source sends: Go's ``time.Time`` in
    Alertmanager and Grafana, AWS's ``+0000`` in CloudWatch, PagerDuty's own example.
    Refused, each with an :class:`~tocsin.errors.InvalidEvent` naming ``field``: no
    offset (tocsin never guesses a zone), ISO 8601's other forms (week and ordinal
    dates, a space for ``T``, missing seconds, hour-only or seconds-bearing offsets),
    and instants whose UTC falls outside the years 1 to 9999.  ``field`` may be a
    function that returns the path, to build it only on error.

    >>> parse_timestamp("2026-03-08T09:00:00.123456789+0100", "at").isoformat()
    '2026-03-08T09:00:00.123456+01:00'
    >>> parse_timestamp("2026-03-08 09:00:00Z", "at")
    Traceback (most recent call last):
    ...
    tocsin.errors.InvalidEvent: at: expected an ISO 8601 timestamp in RFC 3339 form, such as 2026-03-08T09:00:00Z or 2026-03-08T10:00:00.5+01:00; got '2026-03-08 09:00:00Z'
    """  # noqa: E501
    parsed = aware_iso(value)
    if parsed is not None:
        return parsed
    return _timestamp_error(value, field() if callable(field) else field)


# RFC 3339 section 5.6 date-time, plus the colon-less offset (+0000) that PagerDuty's
# documented example and CloudWatch's StateChangeTime use.  datetime.fromisoformat
# does the arithmetic and the range checks (month 1-12, hour 0-23, ...); this
# pattern refuses the ISO 8601 forms it would also take (2020-W01-1, a space for T,
# 00:00 without seconds, +01, +01:00:30, a comma before the fraction).
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-][0-9]{2}:?[0-5][0-9])"
)
_rfc3339 = _RFC3339.fullmatch
_fromisoformat = datetime.fromisoformat
# Only a year-1 or year-9999 wall time can be an instant outside what datetime holds.
_EDGE_YEARS = (1, 9999)


def aware_iso(value: object) -> datetime | None:
    """``value`` as :func:`parse_timestamp` reads it, or ``None`` if it is not one."""
    if type(value) is not str or _rfc3339(value) is None:
        return None
    try:
        parsed = _fromisoformat(value)
    except ValueError:
        # RFC 3339 allows a lower-case t and z; fromisoformat does not.  The pattern
        # matched, so upper-casing touches nothing but those two letters.
        if value[10] == "T" and value[-1] != "z":
            return None  # a date or time that does not exist (2026-02-30, 24:00)
        try:
            parsed = _fromisoformat(value.upper())
        except ValueError:
            return None
    if parsed.year in _EDGE_YEARS and not _in_range(parsed):
        return None
    return parsed


def _in_range(moment: datetime) -> bool:
    try:
        moment.astimezone(UTC)
    except OverflowError:
        return False
    return True


_EXAMPLE = "such as 2026-03-08T09:00:00Z or 2026-03-08T10:00:00.5+01:00"


def _timestamp_error(value: object, field: str) -> datetime:
    if not isinstance(value, str):
        msg = f"expected an ISO 8601 timestamp string, got {describe(value)}"
        raise InvalidEvent(field, msg)
    shape = _rfc3339(value) is not None
    try:
        parsed = _fromisoformat(value.upper() if shape else value)
    except ValueError as err:
        why = f" ({err})" if shape else ""
        msg = f"expected an ISO 8601 timestamp in RFC 3339 form, {_EXAMPLE}; got {shown(value)}"
        msg += why
        raise InvalidEvent(field, msg) from err
    if parsed.tzinfo is None:
        msg = f"timestamp {shown(value)} has no UTC offset; add Z or +HH:MM"
        raise InvalidEvent(field, msg)
    if shape:  # then only the range can be wrong
        msg = f"timestamp {shown(value)} is outside the years 1 to 9999 in UTC"
        raise InvalidEvent(field, msg)
    msg = f"expected an ISO 8601 timestamp in RFC 3339 form, {_EXAMPLE}; got {shown(value)}"
    raise InvalidEvent(field, msg)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# datetime covers years 1..9999; keep to what an epoch count can sensibly mean.
_MAX_EPOCH_MS = 253402300799999
_DIGITS = len(str(_MAX_EPOCH_MS)) + 1


def parse_epoch_millis(value: object, field: str) -> datetime:
    """Milliseconds since the Unix epoch (a JSON number or a decimal string), in UTC."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= _DIGITS:
        millis = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        millis = value
    else:
        msg = f"expected epoch milliseconds (digits), got {shown(value)}"
        raise InvalidEvent(field, msg)
    if not 0 <= millis <= _MAX_EPOCH_MS:
        msg = f"epoch milliseconds out of range: {millis}"
        raise InvalidEvent(field, msg)
    return _EPOCH + timedelta(milliseconds=millis)


def guarded(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Turn a ``RecursionError`` from absurdly nested input into :class:`InvalidEvent`.

    Parsers promise that bad input raises ``InvalidEvent`` and nothing else; a
    payload nested a thousand levels deep reaches Python's recursion limit while it
    is being frozen, and that is bad input too.
    """

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return func(*args, **kwargs)
        except RecursionError as err:
            msg = "nested too deeply"
            raise InvalidEvent(ROOT, msg) from err

    return wrapper
