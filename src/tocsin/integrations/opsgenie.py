"""Opsgenie Alert API senders: the create, close and acknowledge request bodies.

Opsgenie's close and acknowledge bodies carry no alert identifier: it travels in the
URL path (``POST /v2/alerts/{identifier}/close?identifierType=alias``).  Pass it as
``alias=`` with ``action="close"`` or ``action="acknowledge"``; tocsin keys alerts by
alias, so only ``identifierType=alias`` can be honoured.

* **dedup key**: ``alias`` (Opsgenie keeps one open alert per alias).  An alias longer
  than Events v2's 255 characters (Opsgenie allows 512) becomes its
  :func:`~tocsin.events.content_key`, the same for the create and the close.  A
  create without an alias gets a generated key (``dedup_key_generated`` is true), as
  Opsgenie assigns one.
* **action**: create -> trigger, close -> resolve, acknowledge -> acknowledge.
* **severity**: ``priority`` through :data:`SEVERITIES` (a ``severities=`` table
  remaps some priorities; the others keep these); Opsgenie's default is P3.
* **summary**: ``message`` (Opsgenie cuts it at 130 characters; tocsin keeps up to
  1024 and the whole text in ``custom_details``); **source**: ``source``, else
  ``entity``, else ``opsgenie``; **timestamp**: none (the body has no time).
* **custom_details**: the whole body (``description``, ``details``, ``tags``,
  ``responders``, ``visibleTo``, ``actions``, ``entity``, ``user``, ``note``, ...).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from tocsin.errors import InvalidEvent
from tocsin.events import Action, Event, Severity
from tocsin.events._events_v2 import check_key_factory, generated_key
from tocsin.events._model import shown
from tocsin.events._wire import ROOT, Payload, describe, guarded, load_object
from tocsin.integrations._common import (
    Reader,
    first_text,
    fit_key,
    fit_summary,
    frozen,
    severity_table,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tocsin.protocols import DedupKeyFactory

__all__ = ["DEFAULT_PRIORITY", "SEVERITIES", "parse"]

#: Opsgenie priorities (lower-cased) and what they become.
SEVERITIES: Mapping[str, Severity] = MappingProxyType(
    {
        "p1": Severity.CRITICAL,
        "p2": Severity.ERROR,
        "p3": Severity.WARNING,
        "p4": Severity.INFO,
        "p5": Severity.INFO,
    }
)

#: Opsgenie's priority when a create leaves it out.
DEFAULT_PRIORITY = "P3"

_ACTIONS = {
    "create": Action.TRIGGER,
    "close": Action.RESOLVE,
    "acknowledge": Action.ACKNOWLEDGE,
}


@guarded
def parse(
    payload: Payload,
    *,
    action: Literal["create", "close", "acknowledge"] = "create",
    alias: str | None = None,
    severities: Mapping[str, Severity] | None = None,
    key_factory: DedupKeyFactory | None = None,
) -> list[Event]:
    """The event in an Opsgenie Alert API request body.

    ``action`` is the endpoint the body was posted to; ``alias`` is the identifier
    from the URL path of a close or acknowledge.  Raises
    :class:`~tocsin.errors.InvalidEvent` naming the field for a body Opsgenie would
    refuse, a close without an alias, and nothing else.

    >>> [event] = parse({"message": "Disk full on db1", "alias": "db1/disk", "priority": "P1"})
    >>> event.action.value, event.dedup_key, event.severity.value
    ('trigger', 'db1/disk', 'critical')
    >>> [event] = parse({"note": "fixed"}, action="close", alias="db1/disk")
    >>> event.action.value, event.dedup_key
    ('resolve', 'db1/disk')
    """
    table = severity_table(severities, SEVERITIES, closed=True)
    factory = check_key_factory(key_factory)
    requested: object = action
    kind = _ACTIONS.get(requested) if isinstance(requested, str) else None
    if kind is None:
        msg = f"expected create, close or acknowledge; got {shown(action)}"
        raise InvalidEvent("action", msg)
    given: object = alias
    if given is not None and not isinstance(given, str):
        msg = f"expected a string, got {describe(alias)}"
        raise InvalidEvent("alias", msg)
    body = Reader(load_object(payload), ROOT)
    for key in ("user", "note", "source", "entity", "description"):
        body.text(key)
    if kind is Action.TRIGGER:
        return [_create(body, table, alias, factory)]
    if not alias:
        msg = f"required to {action} an alert: the alias from the URL path (identifierType=alias)"
        raise InvalidEvent("alias", msg)
    return [
        Event(
            action=kind,
            dedup_key=fit_key(alias),
            source=body.text("source") or None,
            custom_details=frozen(body.obj),
            client="Opsgenie",
        )
    ]


def _create(
    body: Reader,
    table: Mapping[str, Severity],
    path_alias: str | None,
    key_factory: DedupKeyFactory,
) -> Event:
    message = body.required_text("message")
    alias = body.text("alias") or path_alias
    priority = body.text("priority") or DEFAULT_PRIORITY
    severity = table.get(priority.strip().lower())
    if severity is None:
        msg = f"expected one of P1, P2, P3, P4, P5; got {shown(priority)}"
        raise InvalidEvent(body.at("priority"), msg)
    _check_create(body)
    return Event(
        action=Action.TRIGGER,
        dedup_key=fit_key(alias) if alias else generated_key(key_factory, body.obj),
        summary=fit_summary(message),
        source=first_text(body.text("source"), body.text("entity")) or "opsgenie",
        severity=severity,
        custom_details=frozen(body.obj),
        client="Opsgenie",
        dedup_key_generated=not alias,
    )


def _check_create(body: Reader) -> None:
    for key in ("tags", "actions"):
        value = body.obj.get(key)
        if value is None:
            continue
        if not isinstance(value, tuple) or not all(isinstance(item, str) for item in value):
            msg = f"expected an array of strings, got {describe(value)}"
            raise InvalidEvent(body.at(key), msg)
    body.string_map("details")
    for key in ("responders", "visibleTo"):
        for item in body.objects(key):
            item.required_text("type")
