"""Arithmetic at the edges of what Python can hold: typed errors or ``None``, never a crash.

``timedelta`` stops at 999,999,999 days and ``datetime`` at the years 1 and 9999; a
float at 1.8e308.  Every SLO computation that could step past one of them either
answers ``None`` (a duration too long to represent means "never") or raises
:class:`~tocsin.errors.InvalidInput` naming the field, never an ``OverflowError``.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction

import pytest

from tocsin.errors import InvalidInput
from tocsin.events import Action, Severity
from tocsin.slo import (
    BurnRateEvaluator,
    BurnRateRule,
    CalendarWindow,
    CountSeries,
    ErrorBudget,
    Objective,
    RollingWindow,
    Threshold,
    sre_workbook,
)
from tocsin.time import Interval

MINUTE = timedelta(minutes=1)
T0 = datetime(2026, 3, 2, tzinfo=UTC)
PLUS_5 = timezone(timedelta(hours=5))
FIRST = datetime(1, 1, 1, tzinfo=UTC)
LAST = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)


def field_of(call: object, *args: object, **kwargs: object) -> str:
    assert callable(call)
    with pytest.raises(InvalidInput) as info:
        call(*args, **kwargs)
    return info.value.field


def test_a_rolling_window_longer_than_all_of_time_is_refused() -> None:
    assert field_of(RollingWindow, timedelta.max) == "length"
    # The longest that fits is accepted, and needs an instant late enough.
    longest = datetime.max.replace(tzinfo=UTC) - FIRST
    window = RollingWindow(longest)
    assert window.bounds(datetime.max.replace(tzinfo=UTC)).start == FIRST


def test_a_rolling_window_reaching_back_before_the_year_1_names_at() -> None:
    year = RollingWindow(timedelta(days=366))
    assert field_of(year.bounds, datetime(1, 6, 1, tzinfo=UTC)) == "at"
    assert field_of(year.bounds, datetime(1, 1, 1, 1, tzinfo=PLUS_5)) == "at"
    slo = Objective("99%", year)
    series = CountSeries(T0, MINUTE, good=[1], total=[1])
    assert field_of(slo.budget, series, datetime(1, 6, 1, tzinfo=UTC)) == "at"
    assert year.bounds(datetime(2, 1, 2, tzinfo=UTC)).start == datetime(1, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("unit", "tz", "at"),
    [
        ("year", "UTC", datetime(9999, 6, 1, tzinfo=UTC)),
        ("quarter", "UTC", datetime(9999, 11, 1, tzinfo=UTC)),
        ("month", "UTC", datetime(9999, 12, 2, tzinfo=UTC)),
        ("week", "UTC", datetime(9999, 12, 30, tzinfo=UTC)),
        # 19:00 on 31 December 9999 in Tokyo: the day ends in the year 10000.
        ("day", "Asia/Tokyo", datetime(9999, 12, 31, 10, tzinfo=UTC)),
        # 0001-01-01 in New York starts before the first UTC instant.
        ("month", "America/New_York", datetime(1, 1, 1, 1, tzinfo=UTC)),
        ("day", "UTC", datetime(1, 1, 1, 1, tzinfo=PLUS_5)),
    ],
)
def test_calendar_periods_past_the_datetime_range_name_at(unit: str, tz: str, at: datetime) -> None:
    assert field_of(CalendarWindow(unit, tz).bounds, at) == "at"


def test_calendar_periods_up_to_the_last_whole_year() -> None:
    years = CalendarWindow("year", "UTC")
    last = years.bounds(datetime(9998, 6, 1, tzinfo=UTC))
    assert last == Interval(datetime(9998, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC))
    listing = years.periods(datetime(9998, 1, 1, tzinfo=UTC), datetime(9999, 6, 1, tzinfo=UTC))
    assert next(listing) == last
    with pytest.raises(InvalidInput) as info:
        next(listing)
    assert info.value.field == "end"
    # Midnight UTC on 1 January 0001 is still 31 December of the year 0 in New York.
    assert field_of(CalendarWindow, "day", "America/New_York", anchor=FIRST) == "anchor"
    assert field_of(CalendarWindow, "day", "Asia/Tokyo", anchor=LAST) == "anchor"
    early = CalendarWindow("day", "America/New_York", anchor=datetime(1, 1, 2, tzinfo=UTC))
    assert early.bounds(datetime(1, 1, 2, 12, tzinfo=UTC)).start == datetime(1, 1, 2, tzinfo=UTC)
    assert field_of(CalendarWindow, "day", "UTC", anchor=datetime(1, 1, 1, tzinfo=PLUS_5)) == (
        "anchor"
    )


def test_a_series_must_end_by_the_year_9999() -> None:
    late = datetime(9999, 12, 31, tzinfo=UTC)
    assert field_of(CountSeries, late, timedelta(days=1), good=[1, 1], total=[1, 1]) == "step"
    assert field_of(CountSeries, T0, timedelta.max, good=[1, 1], total=[1, 1]) == "step"
    assert field_of(CountSeries, datetime(1, 1, 1, tzinfo=PLUS_5), MINUTE, good=[], total=[]) == (
        "start"
    )
    day_before = datetime(9999, 12, 30, tzinfo=UTC)
    assert CountSeries(day_before, timedelta(days=1), good=[1], total=[1]).end == late
    # The last bucket would end at midnight after 31 December 9999: no datetime holds it.
    assert field_of(CountSeries, late, timedelta(days=1), good=[1], total=[1]) == "step"


def test_slices_longer_than_what_is_left_stop_at_the_span_end() -> None:
    series = CountSeries(T0, MINUTE, good=[1, 0], total=[1, 1])
    span = Interval(series.start, series.end)
    assert list(series.slices(span, timedelta.max)) == [series.counts(span)]


def test_float_burn_rates_that_cannot_fit_a_float_are_refused_naming_target() -> None:
    series = CountSeries(T0, MINUTE, good=[0], total=[10])
    nearly_one = 1 - Fraction(1, 10**400)  # a total outage burns at 10**400
    assert field_of(series.burn_rates, MINUTE, nearly_one) == "target"
    assert series.exact_burn_rate(MINUTE, nearly_one, 0) == 10**400
    # 1e300 still fits a float, and so does every rate below it.
    assert series.burn_rates(MINUTE, 1 - Fraction(1, 10**300)) == [1e300]
    huge = CountSeries(T0, MINUTE, good=[0], total=[10**400])
    assert huge.burn_rates(MINUTE, "99%") == [100.0]


def test_threshold_bounds_too_large_for_a_float_are_refused() -> None:
    assert field_of(Threshold, 10**400) == "le"
    assert Threshold(math.inf).counts([10**400]).good == 1
    assert Threshold(0.3).counts([10**400, 0.1]).good == 1


def test_the_evaluator_refuses_buckets_that_end_past_the_year_9999() -> None:
    slo = Objective("99.9%", RollingWindow(timedelta(days=30)))
    ev = BurnRateEvaluator(slo, sre_workbook(), name="checkout")
    assert field_of(ev.observe, datetime(9999, 12, 31, 23, 59, 30, tzinfo=UTC), 0, 10) == "start"
    assert field_of(ev.observe, datetime(1, 1, 1, tzinfo=PLUS_5), 0, 10) == "start"
    # The last whole minute, [23:58, 23:59), fits; the minute after it would end at
    # midnight of the year 10000.
    assert ev.observe(LAST - MINUTE, 0, 10)[0].action is Action.TRIGGER


def test_the_evaluator_describes_burn_rates_beyond_a_float() -> None:
    nearly_one = 1 - Fraction(1, 10**400)
    slo = Objective(nearly_one, RollingWindow(timedelta(days=30)))
    rule = BurnRateRule(timedelta(hours=1), 5 * MINUTE, 10**399, "critical")
    (event,) = BurnRateEvaluator(slo, [rule], name="x").observe(T0, 0, 10)
    assert event.summary is not None
    assert event.summary.startswith("SLO x: error budget burning at 1e+400x over 1h and 1e+400x")
    assert "threshold > 1e+399x" in event.summary
    assert event.custom_details["burn_rate_long"] == str(10**400)


def test_a_long_silence_costs_no_more_than_the_longest_window() -> None:
    # A bucket a thousand years after the last: the evaluator must not walk every
    # minute in between, and the outage before the silence still resolves on time.
    slo = Objective("99.9%", RollingWindow(timedelta(days=30)))
    ev = BurnRateEvaluator(slo, sre_workbook(), name="checkout")
    first = ev.observe(T0, 0, 100)
    assert [(e.action, e.severity) for e in first] == [
        (Action.TRIGGER, Severity.CRITICAL),
        (Action.TRIGGER, Severity.WARNING),
    ]
    later = datetime(3026, 3, 2, tzinfo=UTC)
    events = ev.observe(later, 100, 100)
    # The 6h/30m page holds until its 30-minute window empties, the 3d/6h ticket
    # until its 6-hour one does.
    assert [(e.action, e.dedup_key, e.timestamp) for e in events] == [
        (Action.RESOLVE, "slo:checkout:burn-rate:critical", T0 + 31 * MINUTE),
        (Action.RESOLVE, "slo:checkout:burn-rate:warning", T0 + timedelta(hours=6, minutes=1)),
    ]
    again = ev.observe(later + MINUTE, 0, 100)
    assert [(e.action, e.timestamp) for e in again] == [
        (Action.TRIGGER, later + 2 * MINUTE),
        (Action.TRIGGER, later + 2 * MINUTE),
    ]


def test_a_budget_period_must_leave_room_for_an_overspent_remaining_time() -> None:
    # timedelta.min is -999,999,999 days, a microsecond short of -timedelta.max: a
    # longer period could overspend into a negative time no timedelta holds.
    longest = timedelta(days=999_999_999)
    spent = ErrorBudget(target="99%", period=longest, sli=0, units=1)
    assert spent.remaining_time == timedelta(days=-989_999_999, seconds=-0.01 * 86_400)
    assert field_of(ErrorBudget, target="99%", period=timedelta.max, sli=0) == "period"
