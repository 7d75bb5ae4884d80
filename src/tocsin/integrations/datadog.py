"""Datadog webhooks (the Webhooks integration; the body is a template you write).

Datadog fixes the variables, not the body, so tocsin reads the keys of the template
below (the lower-case variable names); any other keys you add are kept in
``custom_details``::

    {
        "alert_cycle_key": "$ALERT_CYCLE_KEY",
        "alert_id": "$ALERT_ID",
        "alert_scope": "$ALERT_SCOPE",
        "alert_transition": "$ALERT_TRANSITION",
        "alert_priority": "$ALERT_PRIORITY",
        "alert_type": "$ALERT_TYPE",
        "alert_title": "$ALERT_TITLE",
        "hostname": "$HOSTNAME",
        "date": "$DATE",
        "link": "$LINK",
        "snapshot": "$SNAPSHOT",
        "tags": "$TAGS",
        "event_msg": "$EVENT_MSG",
    }

* **dedup key**: ``alert_cycle_key`` (Datadog's "ID to link events from the time an
  alert triggers until it resolves"), else ``aggreg_key``, else ``alert_id`` with
  ``alert_scope`` (one key per monitor group), else, for templates with none of
  those, a :func:`~tocsin.events.content_key` of the title with its
  ``[Triggered on {...}]`` prefix removed.  Never ``id`` / ``event_id``: that is the
  notification's own id, new every time, so a recovery would never find its alert.
* **action**: ``alert_transition``: ``Recovered`` -> resolve; ``Triggered``,
  ``Re-Triggered``, ``Warn``, ``Re-Warn``, ``Renotify``, ``No Data``, ``Re-No Data``
  -> trigger (repeats dedup onto the open alert).
* **severity**: ``alert_priority`` (``P1`` ... ``P5``), else ``alert_type``, through
  :data:`SEVERITIES`, else ``default_severity``; a ``Warn`` transition is at most
  warning; ``No Data`` is ``no_data_severity``.
* **summary**: ``alert_title``, else ``event_title``, else ``title``; **source**:
  ``hostname``, else the ``host:`` tag of the scope or tags, else ``datadog``;
  **timestamp**: ``date`` (epoch milliseconds), else ``last_updated``.
"""

from __future__ import annotations

import re
from datetime import datetime  # noqa: TC003 - used in a signature only
from types import MappingProxyType
from typing import TYPE_CHECKING

from tocsin.errors import InvalidEvent
from tocsin.events import Action, Event, Image, Severity, content_key
from tocsin.events._model import shown
from tocsin.events._wire import ROOT, Payload, describe, guarded, load_object, parse_epoch_millis
from tocsin.integrations._common import (
    Reader,
    check_severity,
    first_text,
    fit_key,
    fit_summary,
    frozen,
    link,
    severity_of,
    severity_table,
    text_of,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["SEVERITIES", "parse"]

#: ``$ALERT_PRIORITY`` and ``$ALERT_TYPE`` values (lower-cased) and what they become.
SEVERITIES: Mapping[str, Severity] = MappingProxyType(
    {
        "p1": Severity.CRITICAL,
        "p2": Severity.ERROR,
        "p3": Severity.WARNING,
        "p4": Severity.INFO,
        "p5": Severity.INFO,
        "error": Severity.ERROR,
        "warning": Severity.WARNING,
        "info": Severity.INFO,
        "success": Severity.INFO,
    }
)

_TRANSITIONS = {
    "triggered": Action.TRIGGER,
    "re-triggered": Action.TRIGGER,
    "warn": Action.TRIGGER,
    "re-warn": Action.TRIGGER,
    "renotify": Action.TRIGGER,
    "no data": Action.TRIGGER,
    "re-no data": Action.TRIGGER,
    "recovered": Action.RESOLVE,
}

# Titles start with the transition and scope (and, lately, the priority): strip them
# so the trigger and the recovery of one monitor group share a key.
_TITLE_PREFIX = re.compile(
    r"^(?:\[(?:P[1-5]|(?:Re-)?Triggered|Recovered|(?:Re-)?Warn|(?:Re-)?No Data|Renotify)"
    r"(?: on (?P<scope>\{[^}]*\}))?\]\s*)+",
    re.IGNORECASE,
)


@guarded
def parse(
    payload: Payload,
    *,
    severities: Mapping[str, Severity] | None = None,
    default_severity: Severity = Severity.ERROR,
    no_data_severity: Severity = Severity.WARNING,
) -> list[Event]:
    """The event in a Datadog webhook body (JSON bytes or text, or a mapping).

    ``severities`` replaces :data:`SEVERITIES`.  Raises
    :class:`~tocsin.errors.InvalidEvent` naming the field for a body that lacks
    ``alert_transition`` or a title, or has fields of the wrong type, and nothing
    else.
    """
    table = severity_table(severities, SEVERITIES)
    default = check_severity(default_severity, "default_severity")
    no_data = check_severity(no_data_severity, "no_data_severity")
    body = Reader(load_object(payload), ROOT)

    transition = body.required_text("alert_transition")
    normalized = " ".join(transition.lower().split())
    action = _TRANSITIONS.get(normalized)
    if action is None:
        allowed = "Triggered, Re-Triggered, Warn, Re-Warn, Renotify, No Data, Re-No Data, Recovered"
        msg = f"expected one of {allowed}; got {shown(transition)}"
        raise InvalidEvent(body.at("alert_transition"), msg)

    title = first_text(body.text("alert_title"), body.text("event_title"), body.text("title"))
    if title is None:
        msg = "required: the alert's title ($ALERT_TITLE or $EVENT_TITLE in the template)"
        raise InvalidEvent(body.at("alert_title"), msg)

    severity = _severity(body, table, default)
    if normalized.endswith("no data"):
        severity = no_data
    elif normalized.endswith("warn"):
        severity = min(severity, Severity.WARNING)

    scope = body.text("alert_scope")
    tags = body.text("tags")
    event_tags = body.text("event_tags")
    for key in ("event_msg", "body", "event_type", "alert_query", "alert_status"):
        body.text(key)
    snapshot = body.text("snapshot")
    return [
        Event(
            action=action,
            dedup_key=_key(body, scope, title),
            summary=fit_summary(title),
            source=first_text(body.text("hostname"), _host_tag(scope, tags, event_tags))
            or "datadog",
            severity=severity,
            timestamp=_timestamp(body),
            class_=body.text("event_type") or None,
            custom_details=frozen(body.obj),
            links=tuple(item for item in (link(body.text("link"), "Datadog"),) if item),
            images=(Image(snapshot, alt="Metric graph"),) if snapshot and snapshot.strip() else (),
            client="Datadog",
        )
    ]


def _ident(body: Reader, key: str) -> str | None:
    # Template authors write "$ALERT_ID" quoted or bare; both are fine.
    value = body.obj.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        msg = f"expected an id (a string or number), got {describe(value)}"
        raise InvalidEvent(body.at(key), msg)
    return text_of(value, body.at(key))


def _key(body: Reader, scope: str | None, title: str) -> str:
    cycle = _ident(body, "alert_cycle_key")
    if cycle:
        return fit_key(cycle)
    aggregation = _ident(body, "aggreg_key")
    if aggregation:
        return fit_key(aggregation)
    alert_id = _ident(body, "alert_id")
    if alert_id:
        return fit_key(f"{alert_id}/{scope}" if scope else alert_id)
    match = _TITLE_PREFIX.match(title)
    name = title[match.end() :] if match else title
    found_scope = match.group("scope") if match else None
    return content_key({"monitor": name, "scope": found_scope or ""})


def _severity(body: Reader, table: Mapping[str, Severity], default: Severity) -> Severity:
    priority = body.text("alert_priority")
    alert_type = body.text("alert_type")
    return severity_of(priority, table) or severity_of(alert_type, table) or default


def _host_tag(*tag_lists: str | None) -> str | None:
    for tags in tag_lists:
        for tag in (tags or "").strip("{}").split(","):
            name, _, value = tag.strip().partition(":")
            if name == "host" and value:
                return value
    return None


def _timestamp(body: Reader) -> datetime | None:
    for key in ("date", "last_updated"):
        value = body.obj.get(key)
        if value is not None and value != "":
            return parse_epoch_millis(value, body.at(key))
    return None
