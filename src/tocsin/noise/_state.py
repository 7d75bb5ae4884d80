"""The noise pipeline's state: what it remembers about alerts and incidents.

A state can be stored and handed back later (or built by hand in a test), so every
record checks what it is given.  The pipeline itself builds records from values it
has already checked, through the unchecked builders at the end of this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from tocsin._checks import (
    flag,
    identifier,
    instance,
    listed,
    optional_name,
    typed_tuple,
    utc_instant,
    whole_number,
)
from tocsin._rebuild import by_constructor
from tocsin._trusted import replacer, unchecked
from tocsin.errors import InvalidInput
from tocsin.events import Action, Event
from tocsin.noise._verdict import Reason

__all__ = ["AlertRecord", "IncidentRecord", "NoiseState"]

#: An alert is identified by (service, dedup key): dedup is scoped to the service.
AlertKey = tuple[str | None, str]

_R = TypeVar("_R")


def _optional_utc(field: str, value: object) -> datetime | None:
    return None if value is None else utc_instant(value, field)


def _times(field: str, value: object) -> tuple[datetime, ...]:
    items = typed_tuple(value, datetime, field)
    return tuple(utc_instant(t, f"{field}[{i}]") for i, t in enumerate(items))


def _service(value: object) -> str | None:
    return optional_name(value, "service")


def _key(value: object) -> str:
    return identifier(value, "key")


def _event(value: object) -> Event:
    if not isinstance(value, Event) or value.action is not Action.TRIGGER:
        msg = f"expected the alert's latest trigger Event, got {value!r}"
        raise InvalidInput("event", msg)
    return value


def _firing(value: object) -> bool:
    return flag(value, "firing")


def _since(value: object) -> datetime:
    return utc_instant(value, "since")


def _samples(value: object) -> tuple[tuple[datetime, bool], ...]:
    found: list[tuple[datetime, bool]] = []
    for i, sample in enumerate(listed(value, "samples", "(time, firing) samples")):
        where = f"samples[{i}]"
        if not isinstance(sample, tuple) or len(sample) != 2:  # noqa: PLR2004
            msg = f"expected a (time, firing) pair, got {sample!r}"
            raise InvalidInput(where, msg)
        found.append((utc_instant(sample[0], f"{where}[0]"), flag(sample[1], f"{where}[1]")))
    return tuple(found)


def _occurrences(value: object) -> tuple[datetime, ...]:
    return _times("occurrences", value)


def _flapping(value: object) -> bool:
    return flag(value, "flapping")


def _qualified(value: object) -> bool:
    return flag(value, "qualified")


def _incident(value: object) -> str | None:
    return optional_name(value, "incident")


def _held_until(value: object) -> datetime | None:
    return _optional_utc("held_until", value)


def _held(value: object) -> bool:
    return flag(value, "held")


def _muted_by(value: object) -> tuple[Reason, ...]:
    return typed_tuple(value, Reason, "muted_by")


def _recheck_at(value: object) -> datetime | None:
    return _optional_utc("recheck_at", value)


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

    service: str | None = attrs.field(converter=_service)
    key: str = attrs.field(converter=_key)
    event: Event = attrs.field(converter=_event)
    firing: bool = attrs.field(converter=_firing)
    since: datetime = attrs.field(converter=_since)
    samples: tuple[tuple[datetime, bool], ...] = attrs.field(default=(), converter=_samples)
    occurrences: tuple[datetime, ...] = attrs.field(default=(), converter=_occurrences)
    flapping: bool = attrs.field(default=False, converter=_flapping)
    qualified: bool = attrs.field(default=False, converter=_qualified)
    incident: str | None = attrs.field(default=None, converter=_incident)
    held_until: datetime | None = attrs.field(default=None, converter=_held_until)
    held: bool = attrs.field(default=False, converter=_held)
    muted_by: tuple[Reason, ...] = attrs.field(default=(), converter=_muted_by)
    recheck_at: datetime | None = attrs.field(default=None, converter=_recheck_at)

    def __attrs_post_init__(self) -> None:
        if self.event.dedup_key != self.key:
            msg = f"the event's dedup key {self.event.dedup_key!r} is not the alert's key"
            raise InvalidInput("event", msg)


def _incident_id(value: object) -> str:
    return identifier(value, "id")


def _first_at(value: object) -> datetime:
    return utc_instant(value, "first_at")


def _last_grouped_at(value: object) -> datetime:
    return utc_instant(value, "last_grouped_at")


def _values(value: object) -> tuple[str | None, ...]:
    items = typed_tuple(value, object, "values")
    for i, item in enumerate(items):
        if item is not None and not isinstance(item, str):
            where = f"values[{i}]"
            msg = f"expected a string or None, got {item!r}"
            raise InvalidInput(where, msg)
    return items  # type: ignore[return-value]


def _alerts(value: object) -> tuple[str, ...]:
    items = typed_tuple(value, str, "alerts")
    for i, item in enumerate(items):
        identifier(item, f"alerts[{i}]")
    return items


def _open_alerts(value: object) -> frozenset[str]:
    return frozenset(typed_tuple(value, str, "open_alerts"))


def _resolved_at(value: object) -> datetime | None:
    return _optional_utc("resolved_at", value)


@attrs.frozen(kw_only=True)
class IncidentRecord:
    """An incident the pipeline opened: its members and whether it is still open.

    ``open_alerts`` are the members whose resolve has not reached the incident.  An
    incident whose ``open_alerts`` have all stopped firing is *orphaned*: the source
    resolved but the resolve was muted (Alertmanager's behaviour, when
    ``let_resolves_through`` is off).
    """

    id: str = attrs.field(converter=_incident_id)
    service: str | None = attrs.field(converter=_service)
    first_at: datetime = attrs.field(converter=_first_at)
    last_grouped_at: datetime = attrs.field(converter=_last_grouped_at)
    values: tuple[str | None, ...] = attrs.field(default=(), converter=_values)
    alerts: tuple[str, ...] = attrs.field(default=(), converter=_alerts)
    open_alerts: frozenset[str] = attrs.field(factory=frozenset, converter=_open_alerts)
    resolved_at: datetime | None = attrs.field(default=None, converter=_resolved_at)

    def __attrs_post_init__(self) -> None:
        if self.last_grouped_at < self.first_at:
            msg = f"{self.last_grouped_at.isoformat()} is before first_at"
            raise InvalidInput("last_grouped_at", msg)
        if not self.open_alerts <= set(self.alerts):
            msg = f"{sorted(self.open_alerts - set(self.alerts))} are not among alerts"
            raise InvalidInput("open_alerts", msg)
        if self.resolved_at is not None:
            if self.resolved_at < self.first_at:
                msg = f"{self.resolved_at.isoformat()} is before first_at"
                raise InvalidInput("resolved_at", msg)
            if self.open_alerts:
                msg = "a resolved incident has no open alerts"
                raise InvalidInput("open_alerts", msg)

    @property
    def open(self) -> bool:
        """Whether the incident is still open."""
        return self.resolved_at is None


_INCIDENT_NUMBER = re.compile(r"I([0-9]+)")


def _filed(
    value: object, field: str, kind: type[_R], filed_under: Callable[[_R], object]
) -> Mapping[Any, _R]:
    # A read-only copy of a mapping whose every value is a ``kind`` filed under its key.
    if not isinstance(value, Mapping):
        msg = f"expected a mapping to {kind.__name__}, got {type(value).__name__}"
        raise InvalidInput(field, msg)
    for key, item in value.items():
        where = f"{field}[{key!r}]"
        if key != filed_under(instance(item, kind, where)):
            msg = f"filed under {key!r}, but it belongs under {filed_under(item)!r}"
            raise InvalidInput(where, msg)
    return MappingProxyType(dict(value))


def _frozen_alerts(value: object) -> Mapping[AlertKey, AlertRecord]:
    return _filed(value, "alerts", AlertRecord, lambda r: (r.service, r.key))


def _frozen_incidents(value: object) -> Mapping[str, IncidentRecord]:
    return _filed(value, "incidents", IncidentRecord, lambda i: i.id)


def _opened(value: object) -> int:
    return whole_number(value, "opened", minimum=0)


def _now(value: object) -> datetime | None:
    return _optional_utc("now", value)


@attrs.frozen(kw_only=True)
class NoiseState:
    """Everything the pipeline remembers between events; start from ``NoiseState()``.

    ``now`` is the time of the last event or tick processed: time only moves forward.
    """

    # Compared by content, left out of the hash (a read-only mapping has none): two
    # states are equal only when they remember the same alerts and incidents.
    alerts: Mapping[AlertKey, AlertRecord] = attrs.field(
        factory=dict, converter=_frozen_alerts, hash=False
    )
    incidents: Mapping[str, IncidentRecord] = attrs.field(
        factory=dict, converter=_frozen_incidents, hash=False
    )
    opened: int = attrs.field(default=0, converter=_opened)
    now: datetime | None = attrs.field(default=None, converter=_now)

    def __attrs_post_init__(self) -> None:
        # The next incident is I{opened + 1}: a lower count would reuse an id.
        for incident_id in self.incidents:
            number = _INCIDENT_NUMBER.fullmatch(incident_id)
            if number is not None and int(number[1]) > self.opened:
                msg = f"incident {incident_id} exists, so at least {number[1]} were opened"
                raise InvalidInput("opened", msg)
        for key, record in self.alerts.items():
            if record.incident is not None and record.incident not in self.incidents:
                where = f"alerts[{key!r}].incident"
                msg = f"no incident {record.incident!r} in incidents"
                raise InvalidInput(where, msg)

    def __reduce__(self) -> tuple[object, ...]:
        # Read-only mappings do not pickle: travel as constructor arguments, checked
        # again on arrival.
        return by_constructor(self)

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


#: Builders for the pipeline's own, already-checked values (see :mod:`tocsin._trusted`).
make_record = unchecked(AlertRecord)
replace_record = replacer(AlertRecord)
make_incident = unchecked(IncidentRecord)
replace_incident = replacer(IncidentRecord)
make_state = unchecked(NoiseState)
