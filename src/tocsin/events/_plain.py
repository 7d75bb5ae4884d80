"""Fast paths: reading common payloads from plain decoded JSON, checking as they go.

:func:`~tocsin.events._wire.load_object` freezes every object as the decoder makes it,
and parsers then read the frozen body through :class:`~tocsin.integrations._common.Reader`,
which keeps a field path ready for every error.  For the payloads monitoring tools send
every minute that costs more than the decoding itself.  A fast path decodes to plain
dicts and lists instead, freezes only what it keeps, checks each field's type in the
same pass, and at anything unusual raises :class:`Irregular`; the parser then reads
the payload the careful way, which accepts it or raises
:class:`~tocsin.errors.InvalidEvent` naming the field.  So a fast path decides
nothing on its own: it accepts only what the careful path accepts, and builds the
same events (property tests hold the two paths to that).
"""

from __future__ import annotations

import json
import json.scanner
from types import MappingProxyType
from typing import TYPE_CHECKING

from tocsin.errors import InvalidEvent
from tocsin.events._wire import _decode, _finite, _reject_constant, aware_iso

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from tocsin.events._model import JSONValue


class Irregular(Exception):
    """A fast path met something it does not handle: the careful path decides."""


# The careful decoder's refusals (NaN, infinity, overflowing floats), without freezing.
_PLAIN_SCAN = json.scanner.make_scanner(
    json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite)  # type: ignore[arg-type]  # typeshed says so
)
_CONTAINERS = (dict, list)
_STRINGS = frozenset({str})


def plain_payload(payload: object) -> object:
    """JSON text (``bytes`` or ``str``) decoded to plain dicts and lists, or :class:`Irregular`.

    The caller owns the result and freezes what it keeps.  Mappings, and any problem
    with the text (not UTF-8, not JSON, nested too deeply), go the careful way.
    """
    kind = type(payload)
    try:
        if kind is bytes:
            return _decode(payload.decode("utf-8"), _PLAIN_SCAN)  # type: ignore[attr-defined]
        if kind is str:
            return _decode(payload, _PLAIN_SCAN)  # type: ignore[arg-type]
    except (ValueError, InvalidEvent, RecursionError) as err:  # UnicodeDecodeError too
        raise Irregular from err
    raise Irregular


def freeze_plain(value: object) -> JSONValue:
    """Freeze, in place, a value :func:`plain_payload` returned (or a part of one).

    Keys are strings and numbers finite already (the decoder saw to both), so this
    only turns objects into read-only mappings and arrays into tuples.
    """
    kind = type(value)
    if kind is dict:
        items: dict[str, object] = value  # type: ignore[assignment]
        for key, item in items.items():
            if type(item) in _CONTAINERS:
                items[key] = freeze_plain(item)
        return MappingProxyType(items)  # type: ignore[arg-type]  # frozen above
    if kind is list:
        return tuple(
            [freeze_plain(item) if type(item) in _CONTAINERS else item for item in value]  # type: ignore[attr-defined]
        )
    return value  # type: ignore[return-value]  # a JSON scalar


def plain_string_map(value: object) -> Mapping[str, str]:
    """A decoded object whose values are all strings (labels), frozen; else :class:`Irregular`."""
    if type(value) is dict and _STRINGS.issuperset(map(type, value.values())):
        return MappingProxyType(value)
    raise Irregular


def plain_time(value: object) -> datetime | None:
    """``Reader.time`` for a fast path: ``None`` for null or ``""``, else an aware datetime.

    :class:`Irregular` for anything ``Reader.time`` would refuse.
    """
    if value is None or value == "":
        return None
    parsed = aware_iso(value)
    if parsed is None:
        raise Irregular
    return parsed
