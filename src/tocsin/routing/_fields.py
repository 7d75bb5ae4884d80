"""Field paths: how matchers, grouping and inhibition name a value of an event.

One naming scheme serves every module that looks inside an event:

* a plain name (``severity``, ``alertname``, ``team``) is a **label**, read from
  ``custom_details["labels"]``, as Alertmanager matchers read labels;
* ``event.<field>`` is an Events v2 field: ``event.summary``, ``event.source``,
  ``event.severity``, ``event.component``, ``event.group``, ``event.class``,
  ``event.dedup_key``, ``event.routing_key``, ``event.action``, ``event.client``,
  ``event.client_url`` (PagerDuty's PCL names);
* ``event.custom_details.<key>[.<key>...]`` walks ``custom_details``.

A value that is absent is *missing* (``None``).  Strings are used as they are; other
JSON scalars read as their JSON text (``3``, ``true``), and objects and arrays as
canonical JSON, so nothing the sender put in is out of reach.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TypeAlias

from tocsin.errors import InvalidInput
from tocsin.events import Event, JSONValue, thaw_json

__all__ = ["Target", "field_value", "check_field_path", "EVENT_FIELDS"]

#: What a matcher or grouping can look at: an event, or a bare label set.
Target: TypeAlias = "Event | Mapping[str, str]"

_PREFIX = "event."
_DETAILS = "event.custom_details."

#: The Events v2 fields reachable as ``event.<name>``.
EVENT_FIELDS: tuple[str, ...] = (
    "summary",
    "source",
    "severity",
    "component",
    "group",
    "class",
    "dedup_key",
    "routing_key",
    "action",
    "client",
    "client_url",
)
_ATTRIBUTE = {name: "class_" if name == "class" else name for name in EVENT_FIELDS}

#: A compiled reader for one ``event.`` path.
Getter: TypeAlias = "Callable[[Event], str | None]"


def check_field_path(path: object, field: str) -> str:
    """Return ``path`` if it names a label or an event field; raise naming ``field``."""
    if not isinstance(path, str) or not path:
        msg = f"expected a label name or an event.<field> path, got {path!r}"
        raise InvalidInput(field, msg)
    if path.startswith(_DETAILS):
        if any(not part for part in path[len(_DETAILS) :].split(".")):
            msg = f"empty key in custom-details path {path!r}"
            raise InvalidInput(field, msg)
        return path
    if path.startswith(_PREFIX) and path[len(_PREFIX) :] not in _ATTRIBUTE:
        known = ", ".join(f"event.{name}" for name in EVENT_FIELDS)
        msg = (
            f"unknown event field {path!r}; expected one of {known}, or event.custom_details.<key>"
        )
        raise InvalidInput(field, msg)
    return path


def _render(value: JSONValue) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(thaw_json(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def compile_getter(path: str) -> Getter | None:
    """A fast reader for an ``event.`` path, or ``None`` when ``path`` is a label name."""
    if path.startswith(_DETAILS):
        keys = tuple(path[len(_DETAILS) :].split("."))

        def details(event: Event) -> str | None:
            node: JSONValue = event.custom_details
            for key in keys:
                if not isinstance(node, Mapping) or key not in node:
                    return None
                node = node[key]
            return _render(node)

        return details
    if path.startswith(_PREFIX):
        attribute = _ATTRIBUTE[path[len(_PREFIX) :]]

        def plain(event: Event) -> str | None:
            value: object = getattr(event, attribute)
            return None if value is None else str(value)

        return plain
    return None


def field_value(target: Target, path: str) -> str | None:
    """The value ``path`` names in ``target``, or ``None`` if it is missing.

    ``target`` is an :class:`~tocsin.events.Event` or a plain label mapping (which has
    labels only, so every ``event.`` path is missing in it).

    >>> from tocsin.events import Event
    >>> e = Event(
    ...     action="trigger",
    ...     dedup_key="k",
    ...     summary="Disk full",
    ...     source="db1",
    ...     severity="critical",
    ...     custom_details={"labels": {"team": "db"}, "disk": {"free": 0}},
    ... )
    >>> field_value(e, "team"), field_value(e, "event.severity")
    ('db', 'critical')
    >>> field_value(e, "event.custom_details.disk.free"), field_value(e, "zone")
    ('0', None)
    """
    check_field_path(path, "path")
    getter = compile_getter(path)
    if isinstance(target, Event):
        return target.labels.get(path) if getter is None else getter(target)
    labels = label_set(target, "target")
    return labels.get(path) if getter is None else None


def label_set(target: object, field: str) -> Mapping[str, str]:
    """``target`` if it is a mapping of label names to string values; else refuse it.

    Checked when a caller hands over a bare label set, so a wrong one is reported
    where it came in, not as an ``AttributeError`` inside a matcher.
    """
    if not isinstance(target, Mapping):
        msg = f"expected an Event or a label mapping, got {type(target).__name__}"
        raise InvalidInput(field, msg)
    for name, value in target.items():
        if not isinstance(name, str) or not isinstance(value, str):
            where = f"{field}[{name!r}]"
            msg = f"label names and values must be strings, got {value!r}"
            raise InvalidInput(where, msg)
    return target
