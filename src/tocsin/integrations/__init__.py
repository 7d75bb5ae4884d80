"""Payload parsers: what monitoring tools send, turned into tocsin events.

One module per source, each with ``parse(payload) -> list[Event]`` (payload as JSON
``bytes`` or ``str``, or an already-decoded mapping), a documented severity table
``SEVERITIES`` that a ``severities=`` argument replaces (for CloudWatch, PagerDuty and
Opsgenie, whose values are a fixed set, the table names some of those values and the
rest keep their default), and the rule that bad input raises
:class:`~tocsin.errors.InvalidEvent` naming the field and nothing else ever escapes.
Keyword options are checked when the parser is called, each error naming the option.
Whatever the event has no field for stays in ``custom_details``.

:func:`parse` dispatches by source name.  Only CloudWatch can answer with something
other than events: a :class:`~tocsin.integrations.cloudwatch.SubscriptionConfirmation`.

>>> [event] = parse("opsgenie", {"message": "Disk full", "alias": "db1/disk"})
>>> event.dedup_key, event.severity.value
('db1/disk', 'warning')
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, Literal, overload

from tocsin.errors import InvalidEvent
from tocsin.events._model import shown
from tocsin.integrations import (
    alertmanager,
    cloudwatch,
    datadog,
    grafana,
    opsgenie,
    pagerduty,
)
from tocsin.integrations.cloudwatch import SubscriptionConfirmation

if TYPE_CHECKING:
    from tocsin.events import Event
    from tocsin.events._wire import Payload

__all__ = ["SOURCES", "SubscriptionConfirmation", "parse"]

#: The source names :func:`parse` knows, in the order the docs list them.
SOURCES: tuple[str, ...] = (
    "alertmanager",
    "grafana",
    "datadog",
    "cloudwatch",
    "pagerduty",
    "opsgenie",
)

_PARSERS: dict[str, Any] = {
    "alertmanager": alertmanager.parse,
    "grafana": grafana.parse,
    "datadog": datadog.parse,
    "cloudwatch": cloudwatch.parse,
    "pagerduty": pagerduty.parse,
    "opsgenie": opsgenie.parse,
}

_OPTIONS = {
    name: tuple(
        parameter.name
        for parameter in inspect.signature(parser).parameters.values()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    )
    for name, parser in _PARSERS.items()
}


@overload
def parse(
    source: Literal["alertmanager", "grafana", "datadog", "pagerduty", "opsgenie"],
    payload: Payload,
    **options: Any,  # noqa: ANN401 - each source has its own keyword options
) -> list[Event]: ...
@overload
def parse(
    source: str,
    payload: Payload,
    **options: Any,  # noqa: ANN401
) -> list[Event] | SubscriptionConfirmation: ...
def parse(
    source: str,
    payload: Payload,
    **options: Any,
) -> list[Event] | SubscriptionConfirmation:
    """Parse ``payload`` as ``source`` sends it; ``options`` go to that source's ``parse``.

    An unknown source name, or an option that source does not take, raises
    :class:`~tocsin.errors.InvalidEvent` (field ``source``, or the option's name).
    """
    name: object = source
    parser = _PARSERS.get(name) if isinstance(name, str) else None
    if parser is None:
        msg = f"expected one of {', '.join(SOURCES)}; got {shown(source)}"
        raise InvalidEvent("source", msg)
    allowed = _OPTIONS[source]
    for name in options:
        if name not in allowed:
            msg = f"{source} takes the options {', '.join(allowed)}; not {shown(name)}"
            raise InvalidEvent(name, msg)
    result: list[Event] | SubscriptionConfirmation = parser(payload, **options)
    return result
