"""Events: the PagerDuty Events API v2 model that every source is turned into."""

from __future__ import annotations

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
]
