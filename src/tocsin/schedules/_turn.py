"""Turns: how long each participant holds a layer, on the wall clock or in elapsed time.

The handoff grid is pure arithmetic.  Turn ``k`` of a layer begins at handoff ``k``:

* wall-clock units (hours, days, weeks, months) add ``k`` units to the anchor's
  *wall-clock reading* in the layer's zone and resolve the result with
  :func:`tocsin.time.from_wall_clock` (a gap moves to the first instant after it, a
  fold takes the earlier occurrence), as GoAlert's clock arithmetic does;
* ``elapsed`` turns add ``k`` exact lengths to the anchor instant, in UTC, which is
  what PagerDuty's ``rotation_turn_length_seconds`` says on its face.

Finding the turn that holds an instant is a floor division on the wall-clock (or
elapsed) distance from the anchor, then at most a step or two to settle DST edges,
so an anchor in 2000 queried in 2026 costs the same as one set yesterday.
"""

from __future__ import annotations

import calendar
import enum
from datetime import UTC, datetime, timedelta, tzinfo

import attrs

from tocsin.errors import InvalidInput
from tocsin.time import from_wall_clock

__all__ = ["Turn", "TurnUnit"]


class TurnUnit(enum.StrEnum):
    """The unit a :class:`Turn` counts in."""

    HOURS = "hours"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    ELAPSED = "elapsed"


def _positive_count(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"expected a positive whole number of units, got {value!r}"
        raise InvalidInput(field, msg)
    if value <= 0:
        msg = f"must be positive, got {value}"
        raise InvalidInput(field, msg)
    return value


@attrs.frozen(repr=False)
class Turn:
    """How far the rotation moves at each handoff.

    Build one with :meth:`hours`, :meth:`days`, :meth:`weeks`, :meth:`months` (wall
    clock of the layer's zone: a daily 09:00 handoff stays at 09:00 local, so the turn
    across a DST change lasts 23 or 25 hours) or :meth:`elapsed` (exact elapsed time,
    PagerDuty's ``rotation_turn_length_seconds`` taken literally).

    >>> Turn.weeks(1)
    Turn.weeks(1)
    >>> Turn.elapsed(timedelta(hours=12)).length
    datetime.timedelta(seconds=43200)
    >>> Turn.days(0)
    Traceback (most recent call last):
    ...
    tocsin.errors.InvalidInput: turn.days: must be positive, got 0
    """

    unit: TurnUnit = attrs.field()
    #: How many units a turn lasts (1 for ``elapsed`` turns, whose size is ``length``).
    count: int = 1
    #: The exact length of an ``elapsed`` turn; ``None`` for wall-clock units.
    length: timedelta | None = None

    @unit.validator
    def _check_unit(self, _attribute: object, value: object) -> None:
        if not isinstance(value, TurnUnit):
            msg = f"expected a TurnUnit, got {value!r}"
            raise InvalidInput("turn.unit", msg)

    def __attrs_post_init__(self) -> None:
        if self.unit is TurnUnit.ELAPSED:
            length: object = self.length
            if not isinstance(length, timedelta) or length <= timedelta(0):
                msg = f"an elapsed turn needs a positive timedelta length, got {self.length!r}"
                raise InvalidInput("turn.length", msg)
            if self.count != 1:
                msg = f"an elapsed turn has count 1 (its size is `length`), got {self.count!r}"
                raise InvalidInput("turn.count", msg)
        else:
            _positive_count(self.count, f"turn.{self.unit.value}")
            if self.length is not None:
                msg = f"only elapsed turns take a length; a {self.unit.value} turn counts units"
                raise InvalidInput("turn.length", msg)

    @classmethod
    def hours(cls, n: int = 1) -> Turn:
        """``n`` hours on the wall clock (handoffs stay on the same local minute)."""
        return cls(TurnUnit.HOURS, _positive_count(n, "turn.hours"))

    @classmethod
    def days(cls, n: int = 1) -> Turn:
        """``n`` days on the wall clock (same local time of day at each handoff)."""
        return cls(TurnUnit.DAYS, _positive_count(n, "turn.days"))

    @classmethod
    def weeks(cls, n: int = 1) -> Turn:
        """``n`` weeks on the wall clock (same weekday and local time at each handoff)."""
        return cls(TurnUnit.WEEKS, _positive_count(n, "turn.weeks"))

    @classmethod
    def months(cls, n: int = 1) -> Turn:
        """``n`` calendar months; an anchor day the month lacks clamps to its last day.

        A rotation anchored on January 31 hands off on Feb 28 (29), Mar 31, Apr 30, ...
        """
        return cls(TurnUnit.MONTHS, _positive_count(n, "turn.months"))

    @classmethod
    def elapsed(cls, length: timedelta) -> Turn:
        """Exactly ``length`` of elapsed time per turn, whatever the wall clock does."""
        value: object = length  # callers without type checking may pass anything
        if not isinstance(value, timedelta) or value <= timedelta(0):
            msg = f"must be a positive timedelta, got {length!r}"
            raise InvalidInput("turn.elapsed", msg)
        return cls(TurnUnit.ELAPSED, length=length)

    @property
    def wall_clock(self) -> bool:
        """True for hours/days/weeks/months, False for ``elapsed`` turns."""
        return self.unit is not TurnUnit.ELAPSED

    def __repr__(self) -> str:
        if self.length is not None:
            return f"Turn.elapsed({self.length!r})"
        return f"Turn.{self.unit.value}({self.count})"


def add_months(wall: datetime, months: int) -> datetime:
    """``wall`` moved by whole calendar months, the day clamped to the month's end."""
    total = wall.year * 12 + (wall.month - 1) + months
    year, month0 = divmod(total, 12)
    day = min(wall.day, calendar.monthrange(year, month0 + 1)[1])
    return wall.replace(year=year, month=month0 + 1, day=day)


class Grid:
    """The handoff instants of one layer: turn ``k`` starts at :meth:`handoff` ``(k)``.

    Internal; instants are UTC datetimes (UTC has no folds, so comparing them is safe).
    """

    __slots__ = ("_anchor", "_length", "_local0", "_memo", "_months", "_step", "_tz", "_wall0")

    #: Handoffs kept before the memo is emptied (bounded memory).
    MEMO_LIMIT = 4096

    def __init__(self, turn: Turn, anchor: datetime, tz: tzinfo) -> None:
        self._anchor = anchor.astimezone(UTC)
        self._tz = tz
        self._memo: dict[int, datetime] = {}
        # The grid is defined by the anchor's wall-clock reading in the layer's zone.
        self._wall0 = anchor.astimezone(tz).replace(tzinfo=None, fold=0)
        # The same wall reading, aware: subtracting two datetimes that share a tzinfo
        # gives their wall-clock difference, which is what the grid counts in.
        self._local0 = self._wall0.replace(tzinfo=tz)
        self._months = 0
        self._step: timedelta | None = None
        self._length: timedelta | None = None
        if turn.unit is TurnUnit.ELAPSED:
            self._length = turn.length
        elif turn.unit is TurnUnit.MONTHS:
            self._months = turn.count
        elif turn.unit is TurnUnit.HOURS:
            self._step = timedelta(hours=turn.count)
        elif turn.unit is TurnUnit.DAYS:
            self._step = timedelta(days=turn.count)
        else:
            self._step = timedelta(weeks=turn.count)

    def handoff(self, k: int) -> datetime:
        """The UTC instant at which turn ``k`` begins (``k`` may be negative)."""
        if self._length is not None:
            return self._anchor + self._length * k
        found = self._memo.get(k)
        if found is None:
            # Resolving a wall time costs microseconds and services ask about the same
            # turns over and over: resolve each handoff once.
            if self._step is not None:
                wall = self._wall0 + self._step * k
            else:
                wall = add_months(self._wall0, self._months * k)
            found = from_wall_clock(wall, self._tz).astimezone(UTC)
            if len(self._memo) >= self.MEMO_LIMIT:
                self._memo.clear()
            self._memo[k] = found
        return found

    def estimate(self, at: datetime, local: datetime | None = None) -> int:
        """The turn index of ``at`` (UTC) from wall-clock arithmetic alone.

        Exact except within a DST fold or gap or a clamped month, where it may be off
        by one or two; :meth:`locate` settles it against the real instants.
        """
        if self._length is not None:
            return (at - self._anchor) // self._length
        wall = at.astimezone(self._tz) if local is None else local
        if self._step is not None:
            # Same-tzinfo subtraction is wall-clock (calendar-day) arithmetic: exactly
            # what the wall-clock grid counts in.
            return (wall - self._local0) // self._step
        months = (wall.year - self._wall0.year) * 12 + (wall.month - self._wall0.month)
        return months // self._months

    def locate(self, at: datetime, local: datetime | None = None) -> tuple[int, datetime, datetime]:
        """``(k, start, end)`` of the turn holding the UTC instant ``at``.

        ``start <= at < end``.  Zero-length turns (two handoffs resolving to the same
        instant, as at a spring-forward gap) never hold an instant, so they are passed
        over and the index still advances.  ``local`` is ``at`` in the grid's zone, if
        the caller already has it.
        """
        k = self.estimate(at, local)
        start = self.handoff(k)
        while at < start:
            k -= 1
            start = self.handoff(k)
        end = self.handoff(k + 1)
        while end <= at:
            k += 1
            start = end
            end = self.handoff(k + 1)
        return k, start, end
