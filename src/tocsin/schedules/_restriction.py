"""Restrictions: the wall-clock windows in which a layer may put someone on call.

A restriction masks its layer; it never pauses the rotation (PagerDuty's model: the
turns keep counting outside the windows).  Windows are wall-clock in the layer's zone:

* a window starts at ``start`` on its local date, resolved like a handoff (a gap moves
  to the first instant after it, a fold takes the earlier occurrence);
* it ends at ``start + duration`` *on the wall clock* (Fri 18:00 + 64 h ends Monday
  10:00 local, 63 or 65 real hours on DST weekends), resolved with the fold's *later*
  occurrence, so a window covers every wall-clock minute it names (GoAlert's rule for
  rule ends).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

import attrs

from tocsin.errors import InvalidInput
from tocsin.time import Interval, from_wall_clock, require_aware, to_utc, zone

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["Restriction", "Windows", "parse_weekday"]

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(weeks=1)

_DAY_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ),
        start=1,
    )
    for name in names
}


def parse_weekday(value: object, field: str = "day") -> int:
    """An ISO weekday number (1 = Monday ... 7 = Sunday) from a number or an English name.

    >>> parse_weekday("Friday"), parse_weekday("sun"), parse_weekday(3)
    (5, 7, 3)
    """
    if isinstance(value, str):
        number = _DAY_NAMES.get(value.strip().lower())
        if number is None:
            msg = f"expected a weekday name such as 'monday' or 'mon', got {value!r}"
            raise InvalidInput(field, msg)
        return number
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"expected an ISO weekday 1-7 (1 = Monday) or a name, got {value!r}"
        raise InvalidInput(field, msg)
    if not 1 <= value <= 7:  # noqa: PLR2004 - ISO 8601 weekdays
        msg = f"expected an ISO weekday 1-7 (1 = Monday), got {value}"
        raise InvalidInput(field, msg)
    return value


def _check_start(value: object) -> time:
    if not isinstance(value, time):
        msg = f"expected a datetime.time of day, got {value!r}"
        raise InvalidInput("start", msg)
    if value.tzinfo is not None:
        msg = "expected a naive time of day; the layer's zone gives it meaning"
        raise InvalidInput("start", msg)
    if value.fold:
        msg = "fold=1 is not supported; a window starts at the first occurrence of its time"
        raise InvalidInput("start", msg)
    return value


def _day_or_none(value: int | str | None) -> int | None:
    return None if value is None else parse_weekday(value)


@attrs.frozen(repr=False)
class Restriction:
    """A recurring wall-clock window: every day, or every week from a given weekday.

    ``duration`` is wall-clock time and may cross midnight (``daily(time(22),
    timedelta(hours=10))`` runs 22:00 to 08:00); it is at most 24 hours for a daily
    window and 7 days for a weekly one.  Windows are half-open.

    >>> Restriction.weekly("friday", time(18), timedelta(hours=64))
    Restriction.weekly(5, datetime.time(18, 0), datetime.timedelta(days=2, seconds=57600))
    >>> Restriction.daily(time(9), timedelta(hours=25))
    Traceback (most recent call last):
    ...
    tocsin.errors.InvalidInput: duration: a daily restriction lasts at most 24 hours, got 1 day, 1:00:00
    """  # noqa: E501

    start: time = attrs.field(converter=_check_start)
    duration: timedelta
    #: ISO weekday (1 = Monday) the window starts on, or ``None`` for every day.
    day: int | None = attrs.field(default=None, kw_only=True, converter=_day_or_none)

    def __attrs_post_init__(self) -> None:
        duration: object = self.duration  # callers without type checking may pass anything
        if not isinstance(duration, timedelta) or duration <= timedelta(0):
            msg = f"must be a positive timedelta, got {duration!r}"
            raise InvalidInput("duration", msg)
        limit, what = (ONE_DAY, "a daily restriction lasts at most 24 hours")
        if self.day is not None:
            limit, what = (ONE_WEEK, "a weekly restriction lasts at most 7 days")
        if self.duration > limit:
            # PagerDuty leaves longer windows undefined; tocsin refuses to guess.
            msg = f"{what}, got {self.duration}"
            raise InvalidInput("duration", msg)

    @classmethod
    def daily(cls, start: time, duration: timedelta) -> Restriction:
        """Every day from ``start`` for ``duration`` (at most 24 h) of wall-clock time."""
        return cls(start, duration)

    @classmethod
    def weekly(cls, day: int | str, start: time, duration: timedelta) -> Restriction:
        """Every week from ``day`` (ISO 1-7 or a name) at ``start``, for up to 7 days."""
        return cls(start, duration, day=parse_weekday(day))

    @property
    def span_days(self) -> int:
        """How many calendar days a window can reach past its start date."""
        return math.ceil(self.duration / ONE_DAY)

    def applies_on(self, local_date: date) -> bool:
        """Whether a window starts on ``local_date``."""
        return self.day is None or local_date.isoweekday() == self.day

    def windows(self, start: datetime, end: datetime, tz: str | tzinfo) -> Iterator[Interval]:
        """Each window in ``tz`` that overlaps ``[start, end)``, unclipped, in order.

        Lazy.  The intervals are expressed in ``tz``.

        >>> from zoneinfo import ZoneInfo
        >>> ny = ZoneInfo("America/New_York")
        >>> weekend = Restriction.weekly("fri", time(18), timedelta(hours=64))
        >>> [w] = weekend.windows(
        ...     datetime(2026, 3, 7, tzinfo=ny), datetime(2026, 3, 8, tzinfo=ny), ny
        ... )
        >>> w.start.isoformat(), w.end.isoformat(), w.duration
        ('2026-03-06T18:00:00-05:00', '2026-03-09T10:00:00-04:00', datetime.timedelta(days=2, seconds=54000))
        """  # noqa: E501
        lo = to_utc(require_aware(start, "start"))
        hi = to_utc(require_aware(end, "end"))
        where = zone(tz)
        return (
            Interval(s.astimezone(where), e.astimezone(where))
            for s, e in Windows((self,), where).union(lo, hi, merge=False)
        )

    def __repr__(self) -> str:
        if self.day is None:
            return f"Restriction.daily({self.start!r}, {self.duration!r})"
        return f"Restriction.weekly({self.day}, {self.start!r}, {self.duration!r})"


#: Resolved window edges kept per layer before the memo is emptied (bounded memory).
MEMO_LIMIT = 8192


class Windows:
    """The windows of one layer's restrictions in its zone, resolved on demand and memoised.

    Internal.  Instants are UTC.  Resolving a wall time costs microseconds, and a
    service asks about the same days over and over, so each edge is resolved once
    (up to :data:`MEMO_LIMIT` edges, then the memo starts afresh).
    """

    __slots__ = ("_by_weekday", "_memo", "_reach", "_restrictions", "_tz")

    def __init__(self, restrictions: Sequence[Restriction], tz: tzinfo) -> None:
        self._restrictions = tuple(restrictions)
        self._tz = tz
        self._memo: dict[tuple[int, date, bool], datetime] = {}
        # Restrictions starting on each ISO weekday (index 1-7), in start-time order, so
        # windows come out date by date in instant order.
        order = sorted(range(len(restrictions)), key=lambda i: restrictions[i].start)
        self._by_weekday: list[list[int]] = [
            [i for i in order if restrictions[i].day in {None, weekday}] for weekday in range(8)
        ]
        self._reach = max((r.span_days for r in restrictions), default=0) + 1

    def _edge(self, index: int, day: date, *, end: bool) -> datetime:
        key = (index, day, end)
        found = self._memo.get(key)
        if found is None:
            restriction = self._restrictions[index]
            wall = datetime.combine(day, restriction.start)
            if end:
                found = from_wall_clock(wall + restriction.duration, self._tz, fold="later")
            else:
                found = from_wall_clock(wall, self._tz)
            found = found.astimezone(UTC)
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = found
        return found

    def contains(self, at: datetime, today: date | None = None) -> bool:
        """Whether the UTC instant ``at`` falls inside any window.  Constant time.

        For each restriction only the latest window starting at or before ``at`` can
        hold it: a later occurrence of the same window ends later on the wall clock.
        ``today`` is the local date of ``at``, if the caller has it.
        """
        if today is None:
            today = at.astimezone(self._tz).date()
        for index, restriction in enumerate(self._restrictions):
            # A fold can put a window that starts tomorrow (wall) before ``at`` (instant).
            for back in range(-1, restriction.span_days + 2):
                day = today - timedelta(days=back)
                if not restriction.applies_on(day):
                    continue
                if self._edge(index, day, end=False) <= at:
                    if at < self._edge(index, day, end=True):
                        return True
                    break
        return False

    def union(  # noqa: C901 - one hot loop, kept flat for speed
        self, lo: datetime, hi: datetime, *, merge: bool = True
    ) -> Iterator[tuple[datetime, datetime]]:
        """The windows overlapping the UTC span ``[lo, hi)``, in order.

        With ``merge`` the union comes out: overlapping or touching windows become one.
        """
        if not self._restrictions or hi <= lo:
            return
        tz = self._tz
        day = lo.astimezone(tz).date() - timedelta(days=self._reach)
        last = hi.astimezone(tz).date() + ONE_DAY
        edge = self._edge
        current: tuple[datetime, datetime] | None = None
        while day <= last:
            for index in self._by_weekday[day.isoweekday()]:
                start = edge(index, day, end=False)
                if start >= hi:
                    continue
                end = edge(index, day, end=True)
                if end <= lo or start >= end:
                    continue
                if not merge:
                    yield start, end
                elif current is None:
                    current = (start, end)
                elif start <= current[1]:
                    if end > current[1]:
                        current = (current[0], end)
                else:
                    yield current
                    current = (start, end)
            day += ONE_DAY
        if current is not None:
            yield current
