"""Events: the PagerDuty Events API v2 model that every source is turned into.

:class:`Event` and :class:`ChangeEvent` are the values; :func:`parse_event` and
:func:`to_events_v2` read and write Events v2 bodies; :func:`fingerprint` (exactly
Alertmanager's) and :func:`content_key` make dedup keys.
"""

from __future__ import annotations

from tocsin.events._events_v2 import content_dedup_key, parse_event, to_events_v2
from tocsin.events._keys import content_key, fingerprint
from tocsin.events._model import (
    MAX_DEDUP_KEY,
    MAX_EVENT_BYTES,
    MAX_SUMMARY,
    Action,
    ChangeEvent,
    Event,
    Image,
    JSONValue,
    Link,
    Severity,
    freeze_json,
    thaw_json,
)
from tocsin.events._wire import Payload

__all__ = [
    "Event",
    "ChangeEvent",
    "Action",
    "Severity",
    "Link",
    "Image",
    "JSONValue",
    "freeze_json",
    "thaw_json",
    "MAX_SUMMARY",
    "MAX_DEDUP_KEY",
    "MAX_EVENT_BYTES",
    "Payload",
    "parse_event",
    "to_events_v2",
    "content_dedup_key",
    "fingerprint",
    "content_key",
]
