"""Error budgets and burn rates, exact.

With target ``T`` the budget is the bad fraction ``β = 1 - T``.  Over a window with SLI
``s``, the budget consumed is ``(1 - s) / β`` and the burn rate is the same number
read as a speed: 1 means the budget lasts exactly one period.  Everything here is a
:class:`~fractions.Fraction` or a ``timedelta``; nothing is NaN or infinite, and an
empty window is ``None``.
"""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import attrs

from tocsin.errors import InvalidInput
from tocsin.slo._numbers import (
    microseconds,
    require_duration,
    scale,
    scale_within,
    to_fraction,
    to_target,
)
from tocsin.slo._sli import Counts, NoData, no_data_policy


def _nonnegative(value: object, field: str) -> Fraction:
    number = to_fraction(value, field)
    if number < 0:
        msg = f"must not be negative, got {value!r}"
        raise InvalidInput(field, msg)
    return number


def burn_rate(
    good: object, total: object, target: object, *, no_data: NoData | str = NoData.SKIP
) -> Fraction | None:
    """How fast a window burns budget: its error ratio over ``1 - target``.

    ``None`` for an empty window (unless ``no_data`` gives it a value).  At 99.9 %, a
    window with 1 % errors burns at 10x: the budget would last a tenth of the period.

    >>> burn_rate(990, 1000, "99.9%")
    Fraction(10, 1)
    >>> burn_rate(0, 0, "99.9%") is None
    True
    """
    beta = 1 - to_target(target)
    sli = Counts.of(good, total).ratio(no_data=no_data_policy(no_data))
    return None if sli is None else (1 - sli) / beta


def max_burn_rate(target: object) -> Fraction:
    """The burn rate of a total outage, ``1 / (1 - target)``: 1000 at 99.9 %.

    No alert threshold above it can ever fire (Datadog rejects such thresholds).

    >>> max_burn_rate("96%")
    Fraction(25, 1)
    """
    return 1 / (1 - to_target(target))


def time_to_exhaustion(
    period: timedelta, burn_rate: object, *, remaining: object = 1
) -> timedelta | None:
    """How long until the budget is gone at a constant burn rate.

    ``remaining * period / burn_rate``: from a full budget over 30 days, burn 14.4
    lasts 50 hours.  Zero when nothing remains.  ``None`` means never: the burn
    rate is 0, or so small that the budget would outlast ``timedelta.max`` (about
    2.7 million years), which no ``timedelta`` can hold.

    >>> time_to_exhaustion(timedelta(days=30), "14.4")
    datetime.timedelta(days=2, seconds=7200)
    >>> time_to_exhaustion(timedelta(days=30), "1e-9") is None
    True
    """
    length = require_duration(period, "period")
    rate = _nonnegative(burn_rate, "burn_rate")
    left = to_fraction(remaining, "remaining")
    if left <= 0:
        return timedelta(0)
    if rate == 0:
        return None
    return scale_within(length, left / rate)


def budget_consumed(burn_rate: object, duration: timedelta, period: timedelta) -> Fraction:
    """The share of a period's budget that ``duration`` at ``burn_rate`` consumes.

    ``burn_rate * duration / period``: 14.4x for one hour of a 30-day budget is 2 %.

    >>> budget_consumed("14.4", timedelta(hours=1), timedelta(days=30))
    Fraction(1, 50)
    """
    rate = _nonnegative(burn_rate, "burn_rate")
    d = require_duration(duration, "duration", allow_zero=True)
    p = require_duration(period, "period")
    return rate * Fraction(microseconds(d), microseconds(p))


def _sli(value: object) -> Fraction | None:
    if value is None:
        return None
    number = to_fraction(value, "sli")
    if not 0 <= number <= 1:
        msg = f"must be between 0 and 1, got {value!r}"
        raise InvalidInput("sli", msg)
    return number


def _units(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"expected a whole, non-negative number, got {value!r}"
        raise InvalidInput("units", msg)
    return value


#: The longest period whose overspent remaining time (down to ``-period``) still
#: fits a ``timedelta``: ``timedelta.min`` is -999,999,999 days, a microsecond short
#: of ``-timedelta.max``.
_LONGEST_PERIOD = -timedelta.min


def _period(value: object) -> timedelta:
    period = require_duration(value, "period")
    if period > _LONGEST_PERIOD:
        msg = (
            f"at most {_LONGEST_PERIOD.days:,} days, so that an overspent budget's "
            f"negative remaining time fits a timedelta; got {period}"
        )
        raise InvalidInput("period", msg)
    return period


@attrs.frozen(kw_only=True)
class ErrorBudget:
    """The state of an error budget: allowed, spent and left, in share, events and time.

    ``period`` is the length of the SLO period (30 days, or this month's exact length),
    ``sli`` the measured SLI (``None`` if the window had no data) and ``units`` how
    many events (or time slices) it was measured over.  ``consumed`` may exceed 1 and
    ``remaining`` may go negative (Sloth and Pyrra; Kibana clamps remaining at 0 and
    hides how far over you are).

    >>> b = ErrorBudget.from_counts("99.9%", timedelta(days=30), good=999_750, total=1_000_000)
    >>> b.allowed_events, b.consumed, b.remaining
    (Fraction(1000, 1), Fraction(1, 4), Fraction(3, 4))
    >>> b.allowed_time
    datetime.timedelta(seconds=2592)
    """

    target: Fraction = attrs.field(converter=to_target)
    period: timedelta = attrs.field(converter=_period)
    sli: Fraction | None = attrs.field(converter=_sli)
    units: int = attrs.field(default=0, converter=_units)

    @classmethod
    def from_counts(
        cls,
        target: object,
        period: timedelta,
        *,
        good: object,
        total: object,
        no_data: NoData | str = NoData.SKIP,
    ) -> ErrorBudget:
        """The budget for a window with ``good`` of ``total`` events."""
        counts = Counts.of(good, total)
        return cls(
            target=target,
            period=period,
            sli=counts.ratio(no_data=no_data_policy(no_data)),
            units=counts.total,
        )

    @property
    def allowed_fraction(self) -> Fraction:
        """The share of events (or slices) allowed to be bad: ``1 - target``."""
        return 1 - self.target

    @property
    def allowed_time(self) -> timedelta:
        """``(1 - target) * period``: 43.2 minutes for 99.9 % over 30 days.

        Exact for time-slice SLIs; for event SLIs it is the downtime a total outage
        could last, assuming even traffic (Datadog calls it the theoretical budget).
        """
        return scale(self.period, self.allowed_fraction)

    @property
    def allowed_events(self) -> Fraction:
        """``(1 - target) * units``: bad events (or slices) the window may hold.

        Counted against the events observed so far: a month-to-date budget grows as
        traffic arrives (Kibana's projection to period end was removed again).
        """
        return self.allowed_fraction * self.units

    @property
    def bad_events(self) -> Fraction | None:
        """Bad events (or slices) measured: ``(1 - sli) * units``."""
        return None if self.sli is None else (1 - self.sli) * self.units

    @property
    def consumed(self) -> Fraction | None:
        """The share of the budget spent, ``(1 - sli) / (1 - target)``; may exceed 1.

        Over the window it was measured on this equals the average burn rate.
        """
        return None if self.sli is None else (1 - self.sli) / self.allowed_fraction

    @property
    def remaining(self) -> Fraction | None:
        """``1 - consumed``: negative once the budget is overspent."""
        consumed = self.consumed
        return None if consumed is None else 1 - consumed

    @property
    def remaining_events(self) -> Fraction | None:
        """Bad events still allowed (negative once overspent)."""
        bad = self.bad_events
        return None if bad is None else self.allowed_events - bad

    @property
    def spent_time(self) -> timedelta | None:
        """``(1 - sli) * period``, slo-generator's ``error_minutes``."""
        return None if self.sli is None else scale(self.period, 1 - self.sli)

    @property
    def remaining_time(self) -> timedelta | None:
        """``allowed_time - spent_time`` (negative once overspent)."""
        return None if self.sli is None else scale(self.period, self.sli - self.target)

    def time_to_exhaustion(self, burn_rate: object) -> timedelta | None:
        """How long the remaining budget lasts at ``burn_rate``; see the function.

        ``None`` when the window had no data, or when the budget never runs out (a
        burn rate of 0, or one so small it would outlast ``timedelta.max``).
        """
        remaining = self.remaining
        if remaining is None:
            return None
        return time_to_exhaustion(self.period, burn_rate, remaining=remaining)
