"""The noise pipeline's state: what it remembers about alerts and incidents."""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from tocsin.events import Event
    from tocsin.noise._verdict import Reason

__all__ = ["AlertRecord", "IncidentRecord", "NoiseState"]

#: An alert is identified by (service, dedup key): dedup is scoped to the service.
AlertKey = tuple[str | None, str]


@attrs.frozen(kw_only=True)
class AlertRecord:
    """What the pipeline knows about one alert at one service.

    ``samples`` is the recent state history, oldest first (``True`` = firing), for
    flap detection; ``occurrences`` the recent trigger times, for thresholds.
    ``incident`` is the open incident the alert belongs to, if it paged or grouped.
    ``qualified`` says the alert passed its threshold in the current firing spell.
    ``muted_by`` are the mutes (silences, maintenance windows, inhibitions) that kept
    this firing alert from paging, and ``recheck_at`` when to look again: the end of
    the last silence or window among them, or when an inhibition's source changed.
    """

    service: str | None
    key: str
    event: Event
    firing: bool
    since: datetime
    samples: tuple[tuple[datetime, bool], ...] = ()
    occurrences: tuple[datetime, ...] = ()
    flapping: bool = False
    qualified: bool = False
    incident: str | None = None
    held_until: datetime | None = None
    held: bool = False
    muted_by: tuple[Reason, ...] = ()
    recheck_at: datetime | None = None


@attrs.frozen(kw_only=True)
class IncidentRecord:
    """An incident the pipeline opened: its members and whether it is still open.

    ``open_alerts`` are the members whose resolve has not reached the incident.  An
    incident whose ``open_alerts`` have all stopped firing is *orphaned*: the source
    resolved but the resolve was muted (Alertmanager's behaviour, when
    ``let_resolves_through`` is off).
    """

    id: str
    service: str | None
    first_at: datetime
    last_grouped_at: datetime
    values: tuple[str | None, ...] = ()
    alerts: tuple[str, ...] = ()
    open_alerts: frozenset[str] = frozenset()
    resolved_at: datetime | None = None

    @property
    def open(self) -> bool:
        """Whether the incident is still open."""
        return self.resolved_at is None


def _frozen_alerts(value: Mapping[AlertKey, AlertRecord]) -> Mapping[AlertKey, AlertRecord]:
    return MappingProxyType(dict(value))


def _frozen_incidents(value: Mapping[str, IncidentRecord]) -> Mapping[str, IncidentRecord]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class NoiseState:
    """Everything the pipeline remembers between events; start from ``NoiseState()``.

    ``now`` is the time of the last event or tick processed: time only moves forward.
    """

    alerts: Mapping[AlertKey, AlertRecord] = attrs.field(
        factory=dict, converter=_frozen_alerts, eq=False
    )
    incidents: Mapping[str, IncidentRecord] = attrs.field(
        factory=dict, converter=_frozen_incidents, eq=False
    )
    opened: int = 0
    now: datetime | None = None

    @property
    def open_incidents(self) -> tuple[IncidentRecord, ...]:
        """The incidents still open, oldest first."""
        return tuple(i for i in self.incidents.values() if i.open)

    @property
    def orphaned(self) -> tuple[IncidentRecord, ...]:
        """Open incidents none of whose open alerts is still firing."""
        found: list[IncidentRecord] = []
        for incident in self.open_incidents:
            keys = [(incident.service, key) for key in incident.open_alerts]
            if all(not self.alerts[k].firing for k in keys if k in self.alerts):
                found.append(incident)
        return tuple(found)
