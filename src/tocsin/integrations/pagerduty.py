"""PagerDuty Events API v2 senders: anything that can page PagerDuty can page tocsin.

The body is read by :func:`tocsin.events.parse_event` as PagerDuty's
``/v2/enqueue`` endpoint reads it, so every PagerDuty rule applies: the required
fields per action, the 1024-character summary, the 255-character dedup key, the
512 KB body, the four severities.  A trigger without a ``dedup_key`` gets one
(``dedup_key_generated`` is true: return it to the sender, as PagerDuty's 202 body
does).  A change event is refused here, as ``/v2/enqueue`` refuses it: read those
with ``parse_event`` (they never page).

The severity is PagerDuty's own; :data:`SEVERITIES` is the identity and an
override remaps it (to calm a sender that marks everything critical, say).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from tocsin.events import Event, Severity, parse_event
from tocsin.events._wire import Payload, guarded
from tocsin.integrations._common import severity_table

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tocsin.protocols import DedupKeyFactory

__all__ = ["SEVERITIES", "parse"]

#: PagerDuty's severities, unchanged.
SEVERITIES: Mapping[str, Severity] = MappingProxyType({s.value: s for s in Severity})


@guarded
def parse(
    payload: Payload,
    *,
    severities: Mapping[str, Severity] | None = None,
    key_factory: DedupKeyFactory | None = None,
) -> list[Event]:
    """The alert event in an Events API v2 body, as a one-element list.

    Raises :class:`~tocsin.errors.InvalidEvent` naming the field for anything
    PagerDuty would answer with a 400, and nothing else.

    >>> [event] = parse(
    ...     b'{"routing_key": "r1", "event_action": "acknowledge", "dedup_key": "10528"}'
    ... )
    >>> event.action.value, event.dedup_key
    ('acknowledge', '10528')
    """
    table = severity_table(severities, SEVERITIES, closed=True)
    event = parse_event(payload, kind="alert", key_factory=key_factory)
    if not isinstance(event, Event):  # pragma: no cover - kind="alert" returns an Event
        raise TypeError(event)
    if event.severity is not None:
        mapped = table.get(event.severity.value, event.severity)
        if mapped is not event.severity:
            event = attrs.evolve(event, severity=mapped)
    return [event]
