"""Support hours: a time-of-week window in a service's own zone.

PagerDuty lets a service page at high urgency only during support hours
(``support_hours``: a zone, days of the week, a start and an end time).  tocsin keeps
the same shape and reads it on the wall clock of that zone, so "09:00-17:00 in
Europe/London" means 09:00-17:00 London time on both sides of a DST change.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import attrs

from tocsin._checks import time_of_day
from tocsin.errors import InvalidInput
from tocsin.time import from_wall_clock, require_aware, zone

__all__ = ["SupportHours"]

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Coverage only changes at a window's start or end; two weeks of candidates always
# contain the next change, even when a DST gap swallows this week's window.
_SCAN_DAYS = 15


def _days(value: Iterable[int]) -> tuple[int, ...]:
    raw: object = value
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        msg = f"expected ISO weekday numbers 1 (Monday) to 7 (Sunday), got {raw!r}"
        raise InvalidInput("days", msg)
    days: list[int] = []
    for i, day in enumerate(raw):
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 7:  # noqa: PLR2004
            msg = f"expected an ISO weekday 1 (Monday) to 7 (Sunday), got {day!r}"
            where = f"days[{i}]"
            raise InvalidInput(where, msg)
        if day in days:
            msg = f"weekday {day} is listed twice"
            where = f"days[{i}]"
            raise InvalidInput(where, msg)
        days.append(day)
    if not days:
        msg = "support hours need at least one day"
        raise InvalidInput("days", msg)
    return tuple(sorted(days))


def _start(value: object) -> time:
    return time_of_day(value, "start")


def _end(value: object) -> time:
    return time_of_day(value, "end")


def _zone(value: str | tzinfo) -> tzinfo:
    return zone(value, "zone")


@attrs.frozen
class SupportHours:
    """The hours a service is staffed: ``days`` from ``start`` to ``end`` in ``zone``.

    ``days`` are ISO weekdays (1 is Monday, 7 is Sunday), as PagerDuty's
    ``days_of_week``.  Times are wall-clock times in ``zone``; the window is
    half-open, ``[start, end)``.  An ``end`` at or before ``start`` crosses midnight:
    ``start=time(22)``, ``end=time(6)`` on Monday covers Monday 22:00 to Tuesday
    06:00.  ``start == end`` is rejected (say which 24 hours you mean).

    Each window runs from ``start`` to ``end`` on the wall clock, resolved as tocsin
    resolves every wall-clock window: a start in a DST gap moves to the first instant
    after it, a start in a fold takes the earlier occurrence and an end in a fold the
    later one, so the window covers every wall-clock minute it names.

    >>> hours = SupportHours("Europe/London", days=(1, 2, 3, 4, 5), start=time(9), end=time(17))
    >>> hours.covers(datetime(2026, 3, 30, 8, 30, tzinfo=UTC))  # 09:30 BST, Monday
    True
    >>> hours.next_change(datetime(2026, 3, 30, 8, 30, tzinfo=UTC)).isoformat()
    '2026-03-30T17:00:00+01:00'
    """

    zone: tzinfo = attrs.field(converter=_zone)
    days: tuple[int, ...] = attrs.field(default=(1, 2, 3, 4, 5), converter=_days)
    start: time = attrs.field(default=time(9), converter=_start)
    end: time = attrs.field(default=time(17), converter=_end)

    def __attrs_post_init__(self) -> None:
        if self.start == self.end:
            msg = f"end equals start ({self.end}); a window needs a length"
            raise InvalidInput("end", msg)

    @property
    def crosses_midnight(self) -> bool:
        """True when each window ends on the next calendar day."""
        return self.end <= self.start

    def covers(self, at: datetime) -> bool:
        """Whether ``at`` falls inside the support hours."""
        now = require_aware(at, "at").astimezone(UTC)
        today = now.astimezone(self.zone).date()
        for day in (today - timedelta(days=1), today):
            window = self._window(day)
            if window is not None and window[0] <= now < window[1]:
                return True
        return False

    def next_change(self, at: datetime) -> datetime | None:
        """The first instant after ``at`` at which :meth:`covers` changes, in ``zone``.

        This is when PagerDuty's support-hours urgency change would fire.
        """
        now = require_aware(at, "at").astimezone(UTC)
        today = now.astimezone(self.zone).date()
        edges: list[datetime] = []
        for offset in range(-1, _SCAN_DAYS):
            window = self._window(today + timedelta(days=offset))
            if window is not None:
                edges.extend(window)
        inside = self.covers(now)
        for edge in sorted(edges):
            if edge > now and self.covers(edge) != inside:
                return edge.astimezone(self.zone)
        return None

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        # The window that starts on ``day``, as UTC instants.  A start in a DST gap
        # moves to the first instant after it and one in a fold takes the earlier
        # occurrence; an end in a fold takes the later one, so the window covers every
        # wall-clock minute it names (the rule tocsin uses for all wall-clock windows).
        if day.isoweekday() not in self.days:
            return None
        end_day = day + timedelta(days=1) if self.crosses_midnight else day
        begin = from_wall_clock(datetime.combine(day, self.start), self.zone)
        finish = from_wall_clock(datetime.combine(end_day, self.end), self.zone, fold="later")
        return begin.astimezone(UTC), finish.astimezone(UTC)

    def describe(self) -> str:
        """A short human description, for "why did this page me" explanations."""
        names = ", ".join(_WEEKDAYS[d - 1] for d in self.days)
        return f"{names} {self.start:%H:%M}-{self.end:%H:%M} {self.zone}"
