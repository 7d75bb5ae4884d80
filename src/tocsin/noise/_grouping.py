"""Alert grouping into open incidents: by content, or by time window.

* :class:`ContentGrouping` (PagerDuty's content-based grouping): alerts whose chosen
  fields match join the same incident.  With ``all``, every field must be equal; with
  ``any``, at least one.  A missing field never equals another missing field: an alert
  that lacks a field is never grouped on it (PagerDuty is silent here; grouping
  everything that lacks a field would hide unrelated alerts in one incident).
* :class:`TimeWindowGrouping` (PagerDuty's time-based grouping): every alert of the
  service joins the open incident if it arrives within the window.

Both join only *open* incidents.  The window rolls: it is measured from the most
recently grouped alert (``anchor="last"``) and each alert that joins extends it, up to
a cap of 24 hours after the incident's first alert, after which a new incident starts.
``anchor="first"`` measures from the first alert instead.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

import attrs

from tocsin._checks import (
    enum_member,
    flag,
    identifier,
    optional_name,
    text,
    typed_tuple,
    unique_strings,
)
from tocsin._trusted import unchecked
from tocsin.errors import InvalidInput
from tocsin.routing import Target, check_field_path, field_value, labels_of
from tocsin.time import require_aware

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "Aggregate",
    "OpenIncident",
    "GroupingDecision",
    "ContentGrouping",
    "TimeWindowGrouping",
    "MAX_GROUPING_WINDOW",
]

#: The longest an incident accepts new alerts, from its first alert (PagerDuty: 24 h).
MAX_GROUPING_WINDOW = timedelta(hours=24)


class Aggregate(enum.StrEnum):
    """How content grouping combines its fields (PagerDuty's ``aggregate``)."""

    ALL = "all"
    ANY = "any"


def _utc(value: object, field: str) -> datetime:
    return require_aware(value, field).astimezone(UTC)


def _first(value: object) -> datetime:
    return _utc(value, "first_at")


def _last(value: object) -> datetime:
    return _utc(value, "last_grouped_at")


def _values(value: object) -> tuple[str | None, ...]:
    if not isinstance(value, tuple) or not all(v is None or isinstance(v, str) for v in value):
        msg = f"expected a tuple of strings or None, got {value!r}"
        raise InvalidInput("values", msg)
    return value


def _open_incidents(value: object) -> tuple[OpenIncident, ...]:
    return typed_tuple(value, OpenIncident, "incidents")


def _incident_id(value: object) -> str:
    return identifier(value, "id")


def _open(value: object) -> bool:
    return flag(value, "open")


@attrs.frozen
class OpenIncident:
    """What grouping needs to know about an incident.

    When it began, when an alert last joined, the grouping values of the alert that
    opened it, and whether it is open.  Times are kept in UTC.
    """

    id: str = attrs.field(converter=_incident_id)
    first_at: datetime = attrs.field(converter=_first)
    last_grouped_at: datetime = attrs.field(converter=_last)
    values: tuple[str | None, ...] = attrs.field(default=(), converter=_values)
    open: bool = attrs.field(default=True, converter=_open)

    def __attrs_post_init__(self) -> None:
        if self.last_grouped_at < self.first_at:
            msg = f"{self.last_grouped_at.isoformat()} is before first_at"
            raise InvalidInput("last_grouped_at", msg)


def _chosen(value: object) -> str | None:
    return optional_name(value, "incident")


def _reason(value: object) -> str:
    return text(value, "reason")


@attrs.frozen
class GroupingDecision:
    """Join ``incident``, or open a new one (``incident is None``), and why."""

    incident: str | None = attrs.field(converter=_chosen)
    values: tuple[str | None, ...] = attrs.field(converter=_values)
    reason: str = attrs.field(converter=_reason)


def _window(value: object) -> timedelta:
    if not isinstance(value, timedelta) or not timedelta(0) < value <= MAX_GROUPING_WINDOW:
        msg = f"expected a timedelta above 0 and at most 24 hours, got {value!r}"
        raise InvalidInput("window", msg)
    return value


def _fields(value: object) -> tuple[str, ...]:
    required = "content grouping needs at least one field"
    return unique_strings(value, "fields", check=check_field_path, required=required)


def _aggregate(value: object) -> Aggregate:
    return enum_member(Aggregate, value, "aggregate")


def _anchor(value: object) -> Literal["first", "last"]:
    if value == "first":
        return "first"
    if value == "last":
        return "last"
    msg = f"expected 'first' or 'last', got {value!r}"
    raise InvalidInput("anchor", msg)


def _within(
    incident: OpenIncident, at: datetime, window: timedelta | None, anchor: str
) -> str | None:
    # None when ``at`` may join ``incident``; otherwise the reason it may not.
    if not incident.open:
        return "resolved"
    if at < incident.first_at:
        return "began after this alert"
    if window is None:
        return None
    if at - incident.first_at > MAX_GROUPING_WINDOW:
        return "past the 24-hour cap"
    since = incident.last_grouped_at if anchor == "last" else incident.first_at
    if at - since > window:
        return f"{at - since} since its {'last' if anchor == 'last' else 'first'} alert"
    return None


def _latest(candidates: list[OpenIncident]) -> OpenIncident | None:
    # The incident most recently grouped into; on a tie, the one listed first.
    best: OpenIncident | None = None
    for incident in candidates:
        if best is None or incident.last_grouped_at > best.last_grouped_at:
            best = incident
    return best


@attrs.frozen
class ContentGrouping:
    """Group alerts whose ``fields`` match into one open incident.

    ``fields`` are field paths (``event.source``, ``event.class``, a label name...).

    >>> grouping = ContentGrouping(("event.source",), window=timedelta(minutes=5))
    >>> t0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
    >>> incident = OpenIncident("I1", t0, t0, ("db1",))
    >>> grouping.assign({"x": "y"}, t0, [incident]).incident is None  # no source: never grouped
    True
    """

    fields: tuple[str, ...] = attrs.field(converter=_fields)
    aggregate: Aggregate = attrs.field(default=Aggregate.ALL, converter=_aggregate)
    window: timedelta = attrs.field(default=timedelta(minutes=5), kw_only=True, converter=_window)
    anchor: Literal["first", "last"] = attrs.field(default="last", kw_only=True, converter=_anchor)

    def values(self, target: Target) -> tuple[str | None, ...]:
        """The alert's values for ``fields`` (``None`` where missing)."""
        return tuple(field_value(target, name) for name in self.fields)

    def groups_with(self, a: Target, b: Target) -> bool:
        """Whether two alerts' contents match under this grouping (the window aside)."""
        return self._match(self.values(a), self.values(b)) is not None

    def _match(self, mine: tuple[str | None, ...], theirs: tuple[str | None, ...]) -> str | None:
        equal = [
            name
            for name, x, y in zip(self.fields, mine, theirs, strict=True)
            if x is not None and x == y
        ]
        if self.aggregate is Aggregate.ALL:
            return "all of " + ", ".join(equal) if len(equal) == len(self.fields) else None
        return "same " + ", ".join(equal) if equal else None

    def assign(
        self, target: Target, at: datetime, incidents: Iterable[OpenIncident]
    ) -> GroupingDecision:
        """Pick the open incident ``target`` joins at ``at``, or decide to open a new one.

        Of several candidates, the one an alert joined most recently wins.
        """
        now = _utc(at, "at")
        mine = self.values(target)
        incidents = _open_incidents(incidents)
        for i, incident in enumerate(incidents):
            if len(incident.values) != len(self.fields):
                where = f"incidents[{i}].values"
                msg = (
                    f"expected the values of {len(self.fields)} fields "
                    f"({', '.join(self.fields)}) from the alert that opened it, got "
                    f"{incident.values!r}; was it opened under another grouping?"
                )
                raise InvalidInput(where, msg)
        missing = [name for name, value in zip(self.fields, mine, strict=True) if value is None]
        if self.aggregate is Aggregate.ALL and missing:
            reason = f"missing {', '.join(missing)}: never grouped on a missing field"
            return make_grouping_decision(None, mine, reason)
        candidates: list[OpenIncident] = []
        for incident in incidents:
            if _within(incident, now, self.window, self.anchor) is not None:
                continue
            if self._match(mine, incident.values) is not None:
                candidates.append(incident)
        chosen = _latest(candidates)
        if chosen is None:
            what = " and ".join(f"{n}={v!r}" for n, v in zip(self.fields, mine, strict=True))
            reason = f"no open incident within {self.window} with {self.aggregate} of {what}"
            return make_grouping_decision(None, mine, reason)
        matched = self._match(mine, chosen.values)
        reason = f"{matched} match incident {chosen.id}, within {self.window}"
        return make_grouping_decision(chosen.id, mine, reason)


def _optional_window(value: object) -> timedelta | None:
    return None if value is None else _window(value)


@attrs.frozen
class TimeWindowGrouping:
    """Group every alert of a service into its open incident while within ``window``.

    ``window=None`` groups until the incident resolves (PagerDuty's ``timeout`` 0),
    with no cap.

    >>> grouping = TimeWindowGrouping(timedelta(minutes=10))
    >>> t0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
    >>> grouping.assign({}, t0 + timedelta(minutes=10), [OpenIncident("I1", t0, t0)]).incident
    'I1'
    """

    window: timedelta | None = attrs.field(converter=_optional_window)
    anchor: Literal["first", "last"] = attrs.field(default="last", kw_only=True, converter=_anchor)

    def assign(
        self, target: Target, at: datetime, incidents: Iterable[OpenIncident]
    ) -> GroupingDecision:
        """Pick the open incident ``target`` joins at ``at``, or decide to open a new one."""
        labels_of(target)  # content plays no part, but it must be an alert
        now = _utc(at, "at")
        candidates = [
            i
            for i in _open_incidents(incidents)
            if _within(i, now, self.window, self.anchor) is None
        ]
        chosen = _latest(candidates)
        if chosen is None:
            span = "until resolved" if self.window is None else f"within {self.window}"
            return make_grouping_decision(None, (), f"no open incident to join {span}")
        span = "(grouping until resolved)" if self.window is None else f"within {self.window}"
        return make_grouping_decision(chosen.id, (), f"joins incident {chosen.id} {span}")


#: Builders for grouping's own, already-checked values (see :mod:`tocsin._trusted`).
make_open_incident = unchecked(OpenIncident)
make_grouping_decision = unchecked(GroupingDecision)
