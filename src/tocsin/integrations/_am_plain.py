"""The Alertmanager webhook shape, read fast from plain decoded JSON.

The same reads and checks as :func:`~tocsin.integrations._am_shape.alert_events`, in
one pass over dicts the decoder just made (see :mod:`tocsin.events._plain`): each
object the events keep is checked and frozen in place, and the events are built by
the same :func:`~tocsin.integrations._am_shape.assemble`.  At anything the careful
path might refuse or read differently it raises :class:`Irregular`, and the parser
reads the payload the careful way.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

from tocsin.events._plain import (
    Irregular,
    freeze_plain,
    plain_payload,
    plain_string_map,
    plain_time,
)
from tocsin.events._wire import ZERO_TIME
from tocsin.integrations._am_shape import STATUS, Group, Options, assemble

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from tocsin.events import Event

_TEXTS = frozenset({str, type(None)})
_GROUP_KEYS = frozenset({str, int, type(None)})  # version 3 sent a number
_COUNTS = frozenset({int, type(None)})  # type() is int: booleans are not counts
_GROUP_MAPS = ("groupLabels", "commonLabels", "commonAnnotations")
# Values an alert may keep as they are; anything else is an object or array to freeze.
_FLAT = frozenset({str, int, float, bool, type(None), MappingProxyType})
# Go's zero time as Alertmanager writes it: "not set", without parsing it.
_ZERO_TEXT = "0001-01-01T00:00:00Z"
_EMPTY: Mapping[str, str] = MappingProxyType({})


def plain_alert_events(payload: object, options: Options) -> list[Event]:
    """:func:`~tocsin.integrations._am_shape.alert_events` for JSON text, read fast.

    Raises :class:`Irregular` at anything ``alert_events`` might refuse or read
    differently (and for a payload that is not JSON text); the caller then parses
    the payload that way.
    """
    body = plain_payload(payload)
    if type(body) is not dict:
        raise Irregular
    alerts = body.pop("alerts", None)
    if type(alerts) is not list:
        raise Irregular
    get = body.get
    status = get("status")
    external_url = get("externalURL")
    texts = [get("receiver"), get("version"), status, external_url]
    if options.grafana:  # grafana._check_unified
        texts += (get("title"), get("state"), get("message"))
        if type(get("orgId")) not in _COUNTS:
            raise Irregular
    if (
        not _TEXTS.issuperset(map(type, texts))
        or type(get("groupKey")) not in _GROUP_KEYS
        or type(get("truncatedAlerts")) not in _COUNTS
    ):
        raise Irregular
    for key in _GROUP_MAPS:
        value = get(key)
        if value is not None:
            body[key] = plain_string_map(value)
    frozen: Mapping[str, object] = freeze_plain(body)  # type: ignore[assignment]  # an object
    group = Group(status, external_url or None, frozen, options)
    return [_event(alert, group) for alert in alerts]


def _event(alert: object, group: Group) -> Event:
    if type(alert) is not dict:
        raise Irregular
    get = alert.get
    labels = annotations = _EMPTY
    value = get("labels")
    if value is not None:
        labels = alert["labels"] = plain_string_map(value)
    value = get("annotations")
    if value is not None:
        annotations = alert["annotations"] = plain_string_map(value)
    status = get("status")
    if status is None:
        status = group.status
    elif type(status) is not str:
        raise Irregular
    action = STATUS.get(status)  # type: ignore[arg-type]  # a string or None
    if action is None:
        raise Irregular
    starts = _time(get("startsAt"))
    ends = _time(get("endsAt"))
    sent = get("fingerprint")
    urls = (
        (
            get("generatorURL"),
            get("dashboardURL"),
            get("panelURL"),
            get("silenceURL"),
            get("imageURL"),
        )
        if group.options.grafana
        else (get("generatorURL"),)
    )
    if type(sent) not in _TEXTS or not _TEXTS.issuperset(map(type, urls)):
        raise Irregular
    if not _FLAT.issuperset(map(type, alert.values())):
        freeze_plain(alert)  # the rest of it; the dict stays a dict for assemble
    return assemble(alert, labels, annotations, action, starts, ends, sent, urls, group)


def _time(value: object) -> datetime | None:
    if value == _ZERO_TEXT:
        return None
    parsed = plain_time(value)
    # Go's zero time means "not set" (endsAt of a firing alert).
    return None if parsed == ZERO_TIME else parsed
