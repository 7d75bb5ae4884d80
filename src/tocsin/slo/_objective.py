"""The service level objective: a target, a window and an SLI kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from tocsin._checks import instance
from tocsin.errors import InvalidInput
from tocsin.slo._budget import ErrorBudget
from tocsin.slo._numbers import scale, to_target
from tocsin.slo._series import CountSeries
from tocsin.slo._sli import (
    SLI,
    Measurement,
    NoData,
    Ratio,
    RatioTimeSlices,
    Threshold,
    TimeSlices,
    no_data_policy,
)
from tocsin.slo._window import CalendarWindow, RollingWindow, Window
from tocsin.time import Interval, require_aware

if TYPE_CHECKING:
    from datetime import datetime, timedelta
    from fractions import Fraction


_SLI_TYPES = (Ratio, Threshold, TimeSlices, RatioTimeSlices)


def _window(value: object) -> Window:
    if not isinstance(value, RollingWindow | CalendarWindow):
        msg = (
            "expected RollingWindow(timedelta(days=30)) or CalendarWindow('month', zone), "
            f"got {type(value).__name__}"
        )
        raise InvalidInput("window", msg)
    return value


def _sli(value: object) -> SLI:
    if value == "ratio":
        return Ratio()
    if isinstance(value, _SLI_TYPES):
        return value
    if value in {"threshold", "time_slices", "ratio_time_slices"}:
        hint = {
            "threshold": "Threshold(le=0.3)",
            "time_slices": "TimeSlices(timedelta(minutes=1), '99%')",
            "ratio_time_slices": "RatioTimeSlices(timedelta(minutes=1))",
        }[str(value)]
        msg = f"{value!r} needs parameters: pass {hint}"
        raise InvalidInput("sli", msg)
    msg = f"expected 'ratio', Threshold, TimeSlices or RatioTimeSlices, got {value!r}"
    raise InvalidInput("sli", msg)


def _series(value: object) -> CountSeries:
    return instance(value, CountSeries, "series")


def _span(value: object) -> Interval:
    return instance(value, Interval, "span")


@attrs.frozen
class Objective:
    """A service level objective: ``target`` of the SLI over ``window``.

    ``target`` is exact (a ``Fraction``; strings, ``Decimal`` and floats are converted,
    ``"99.9%"`` included) and strictly between 0 and 1.  ``sli`` is ``"ratio"`` (the
    default) or a :class:`Threshold`, :class:`TimeSlices` or :class:`RatioTimeSlices`.
    ``no_data`` says what an empty window or slice counts as.

    >>> from datetime import timedelta
    >>> slo = Objective("99.9%", RollingWindow(timedelta(days=30)))
    >>> slo.target, slo.error_budget, slo.allowed_time()
    (Fraction(999, 1000), Fraction(1, 1000), datetime.timedelta(seconds=2592))
    """

    target: Fraction = attrs.field(converter=to_target)
    window: Window = attrs.field(converter=_window)
    sli: SLI = attrs.field(default=Ratio(), converter=_sli)
    no_data: NoData = attrs.field(default=NoData.SKIP, converter=no_data_policy, kw_only=True)

    @property
    def error_budget(self) -> Fraction:
        """The allowed bad fraction, ``1 - target``."""
        return 1 - self.target

    @property
    def max_burn_rate(self) -> Fraction:
        """The burn rate of a total outage, ``1 / (1 - target)``."""
        return 1 / self.error_budget

    def period_length(self, at: datetime | None = None) -> timedelta:
        """The length of the SLO period.

        The rolling length, or the exact length of the calendar period containing
        ``at`` (required for calendar windows: months differ).
        """
        if isinstance(self.window, RollingWindow):
            return self.window.length
        if at is None:
            msg = "a calendar window's length depends on the period; pass the instant"
            raise InvalidInput("at", msg)
        return self.window.bounds(at).duration

    def allowed_time(self, at: datetime | None = None) -> timedelta:
        """``(1 - target) * period length``: 43.2 minutes for 99.9 % over 30 days."""
        return scale(self.period_length(at), self.error_budget)

    def measure(self, series: CountSeries, span: Interval) -> Measurement:
        """The SLI over ``span`` of ``series`` (counts summed, or sliced for time slices)."""
        _series(series)
        _span(span)
        if isinstance(self.sli, TimeSlices | RatioTimeSlices):
            return self.sli.measure(series.slices(span, self.sli.slice), no_data=self.no_data)
        return self.sli.measure(series.counts(span), no_data=self.no_data)

    def budget(self, series: CountSeries, at: datetime) -> ErrorBudget:
        """The budget as it stands at ``at``.

        A rolling window measures ``[at - length, at)``.  A calendar window measures
        the current period up to ``at`` (period-to-date) against the whole period's
        length, so on the 10th of a 31-day month ``allowed_time`` is still the
        month's.
        """
        _series(series)
        when = require_aware(at, "at")
        if isinstance(self.window, RollingWindow):
            span = self.window.bounds(when)
            period = self.window.length
        else:
            whole = self.window.bounds(when)
            span, period = Interval(whole.start, when), whole.duration
        m = self.measure(series, span)
        return ErrorBudget(target=self.target, period=period, sli=m.sli, units=m.units)

    def budget_over(self, series: CountSeries, span: Interval) -> ErrorBudget:
        """The budget over a whole ``span`` (a finished month, say) of its own length.

        For a monthly report, take the spans from ``CalendarWindow.periods``.
        """
        _series(series)
        given = _span(span)
        if given.empty:
            msg = "an empty span has no budget period; pass a span of positive length"
            raise InvalidInput("span", msg)
        m = self.measure(series, span)
        return ErrorBudget(target=self.target, period=span.duration, sli=m.sli, units=m.units)
