"""Support hours: the wall-clock window in which a service's incidents are high urgency."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta, tzinfo

import attrs

from tocsin.errors import InvalidInput
from tocsin.time import from_wall_clock, require_aware, zone

_WEEKDAYS = (1, 2, 3, 4, 5)


def _zone(value: str | tzinfo) -> tzinfo:
    return zone(value, "zone")


def _wall_time(value: object, field: str) -> time:
    if not isinstance(value, time) or value.tzinfo is not None:
        msg = f"expected a naive wall-clock time such as time(9, 0), got {value!r}"
        raise InvalidInput(field, msg)
    return value


def _start(value: object) -> time:
    return _wall_time(value, "start")


def _end(value: object) -> time:
    return _wall_time(value, "end")


def _days(value: object) -> tuple[int, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        msg = f"expected ISO weekdays (1 = Monday .. 7 = Sunday), got {value!r}"
        raise InvalidInput("days", msg)
    days = tuple(value)
    if not days:
        msg = "support hours need at least one day"
        raise InvalidInput("days", msg)
    for i, day in enumerate(days):
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 7:  # noqa: PLR2004
            msg = f"expected an ISO weekday 1..7 (1 = Monday), got {day!r}"
            where = f"days[{i}]"
            raise InvalidInput(where, msg)
    if len(set(days)) != len(days):
        msg = f"each weekday at most once, got {days!r}"
        raise InvalidInput("days", msg)
    return tuple(sorted(days))


@attrs.frozen
class SupportHours:
    """Wall-clock hours ``[start, end)`` on some weekdays, in an IANA zone.

    PagerDuty's service support hours: incidents triggered inside them are high
    urgency, outside them low urgency, and (with the "raise urgency" action) low
    ones become high when the hours next begin.  ``days`` are ISO weekdays (1 is
    Monday); ``start`` must be before ``end`` on the same day, as in PagerDuty.
    A start that falls in a DST gap begins at the first instant after the gap.

    >>> hours = SupportHours("Europe/Berlin", time(9), time(17))
    >>> hours.contains(datetime(2026, 3, 9, 8, 30, tzinfo=UTC))  # 09:30 in Berlin, Monday
    True
    >>> hours.next_start(datetime(2026, 3, 27, 17, tzinfo=UTC)).isoformat()  # Friday night
    '2026-03-30T07:00:00+00:00'
    """

    zone: tzinfo = attrs.field(converter=_zone)
    start: time = attrs.field(converter=_start)
    end: time = attrs.field(converter=_end)
    days: tuple[int, ...] = attrs.field(default=_WEEKDAYS, converter=_days)

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            msg = f"end {self.end} must be after start {self.start} on the same day"
            raise InvalidInput("end", msg)

    def contains(self, at: datetime) -> bool:
        """Whether ``at`` falls inside the support hours (wall clock in ``zone``)."""
        local = require_aware(at, "at").astimezone(self.zone)
        return local.isoweekday() in self.days and self.start <= local.time() < self.end

    def next_start(self, after: datetime) -> datetime:
        """The first instant strictly after ``after`` at which support hours begin, in UTC.

        UTC because a local time inside a DST fold never compares equal to the same
        instant in another zone (PEP 495): returning UTC keeps callers' comparisons
        honest.
        """
        after_utc = require_aware(after, "after").astimezone(UTC)
        day = after_utc.astimezone(self.zone).date()
        # At most a week ahead, plus a day for a start earlier in today than `after`.
        for offset in range(9):
            candidate_day = day + timedelta(days=offset)
            if candidate_day.isoweekday() not in self.days:
                continue
            wall = datetime.combine(candidate_day, self.start)
            begins = from_wall_clock(wall, self.zone).astimezone(UTC)
            if begins > after_utc:
                return begins
        msg = "no start within eight days; days must not be empty"  # pragma: no cover
        raise InvalidInput("days", msg)  # pragma: no cover
