"""Every constructor and helper rejects bad input with a typed error naming the field."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from tocsin.errors import InvalidInput, NaiveDatetimeError, UnknownZoneError
from tocsin.slo import (
    BurnRateRule,
    CalendarWindow,
    Counts,
    CountSeries,
    ErrorBudget,
    Objective,
    RatioTimeSlices,
    RollingWindow,
    Threshold,
    TimeSlices,
    budget_consumed,
    detection_time,
    format_duration,
    reset_time,
    rules_from_budget,
    time_to_exhaustion,
    validate_rules,
)
from tocsin.slo._numbers import to_fraction

MINUTE = timedelta(minutes=1)
T0 = datetime(2026, 3, 2, tzinfo=UTC)
MONTH = RollingWindow(timedelta(days=30))


def field_of(call: object, *args: object, **kwargs: object) -> str:
    assert callable(call)
    with pytest.raises(InvalidInput) as info:
        call(*args, **kwargs)
    return info.value.field


def test_numbers() -> None:
    assert to_fraction(" 12.5 % ", "x") == Fraction(1, 8)
    assert to_fraction(Fraction(1, 3), "x") == Fraction(1, 3)
    assert to_fraction(3, "x") == 3
    for bad in ("", "%", "1/0", "inf", "nan", Decimal("NaN"), math.inf, [1], "1e99999999999"):
        assert field_of(to_fraction, bad, "x") == "x"


def test_objective() -> None:
    assert field_of(Objective, "99%", timedelta(days=30)) == "window"
    assert field_of(Objective, "99%", MONTH, "threshold") == "sli"
    assert field_of(Objective, "99%", MONTH, "latency") == "sli"
    assert field_of(Objective, "99%", MONTH, no_data="zero") == "no_data"
    cal = Objective("99%", CalendarWindow("month", "UTC"))
    assert field_of(cal.period_length) == "at"
    series = CountSeries(T0, MINUTE, good=[1], total=[1])
    assert field_of(cal.budget_over, series, (T0, T0 + MINUTE)) == "span"
    assert Objective("99%", MONTH, Threshold(0.25)).sli == Threshold(0.25)


def test_windows() -> None:
    assert field_of(RollingWindow, timedelta(0)) == "length"
    assert field_of(RollingWindow, 30) == "length"
    assert field_of(CalendarWindow, "fortnight", "UTC") == "unit"
    assert field_of(CalendarWindow, "day", 5) == "tz"
    with pytest.raises(UnknownZoneError):
        CalendarWindow("day", "Mars/Olympus")
    assert field_of(CalendarWindow, "week", "UTC", week_start=7) == "week_start"
    with pytest.raises(NaiveDatetimeError):
        CalendarWindow("day", "UTC", anchor=datetime(2026, 1, 1))
    with pytest.raises(NaiveDatetimeError):
        RollingWindow(MINUTE).bounds(datetime(2026, 1, 1))


def test_counts_and_thresholds() -> None:
    assert Counts.from_bad(1, 10) == Counts(9, 10)
    assert field_of(Counts.from_bad, 11, 10) == "bad"
    assert Counts(5, 5) + Counts(0, 1) == Counts(5, 6)
    assert Counts.of(5.0, 6.0) == Counts(5, 6)
    assert field_of(Counts.of, 1, 2, good_over_total="ignore") == "good_over_total"
    le = Threshold(0.3)
    assert field_of(Threshold, "fast") == "le"
    assert field_of(Threshold, math.nan) == "le"
    assert field_of(le.counts, [0.1, math.nan]) == "values[1]"
    assert field_of(le.from_histogram, {0.1: 5, 0.3: 4, math.inf: 9}) == "buckets[0.3]"
    assert field_of(le.from_histogram, {0.1: 5, 0.5: 9, math.inf: 9}) == "buckets"
    assert field_of(le.from_histogram, {0.1: 5, 0.3: 9}) == "count"
    assert field_of(le.from_histogram, {0.1: 5, 0.3: 9}, count=8) == "count"
    assert le.from_histogram({0.3: 9, math.inf: 12}) == Counts(9, 12)
    assert field_of(TimeSlices, MINUTE, 0) == "slice_target"
    assert field_of(TimeSlices, MINUTE, "101%") == "slice_target"
    assert field_of(RatioTimeSlices, timedelta(0)) == "slice"


def test_series() -> None:
    assert field_of(CountSeries, T0, MINUTE, good=[1], total=[1, 2]) == "good"
    assert field_of(CountSeries, T0, MINUTE, good=[1, -1], total=[1, 2]) == "good[1]"
    assert field_of(CountSeries, datetime(2026, 1, 1), MINUTE, good=[], total=[]) == "start"
    assert field_of(CountSeries, T0, timedelta(0), good=[], total=[]) == "step"
    s = CountSeries.from_counts(T0, MINUTE, [Counts(1, 2), Counts(3, 3)])
    assert s.good == (1, 3)
    assert field_of(CountSeries.from_counts, T0, MINUTE, [(1, 2)]) == "counts[0]"
    assert field_of(s.bucket, 2) == "i"
    assert field_of(s.burn_rates, timedelta(seconds=90), "99%") == "window"
    assert field_of(s.exact_burn_rate, MINUTE, "99%", 5) == "i"
    assert s.burn_rates(MINUTE, "50%") == [1.0, 0.0]
    assert s.exact_burn_rate(2 * MINUTE, "50%", 1) == Fraction(2, 5)
    assert len(s) == 2
    assert s.end == T0 + 2 * MINUTE


def test_budgets() -> None:
    assert field_of(ErrorBudget, target="99%", period=MINUTE, sli=2) == "sli"
    assert field_of(ErrorBudget, target="99%", period=MINUTE, sli=1, units=-1) == "units"
    assert field_of(ErrorBudget, target="99%", period=timedelta(0), sli=1) == "period"
    assert field_of(time_to_exhaustion, MINUTE, -1) == "burn_rate"
    assert time_to_exhaustion(MINUTE, 0) is None
    assert time_to_exhaustion(MINUTE, 1, remaining=-1) == timedelta(0)
    assert field_of(budget_consumed, 1, -MINUTE, MINUTE) == "duration"


def test_rules() -> None:
    assert field_of(BurnRateRule, MINUTE, MINUTE, 1, "critical") == "short"
    assert field_of(BurnRateRule, 2 * MINUTE, MINUTE, 0, "critical") == "factor"
    assert field_of(BurnRateRule, 2 * MINUTE, MINUTE, 1, "page") == "severity"
    assert field_of(BurnRateRule, 2 * MINUTE, MINUTE, 1, "info", comparison="=") == "comparison"
    assert field_of(BurnRateRule, 2 * MINUTE, MINUTE, 1, "info", for_=-MINUTE) == "for_"
    period = timedelta(days=30)
    assert field_of(rules_from_budget, period, [("2%", MINUTE)]) == "shares[0]"
    assert field_of(rules_from_budget, period, [("200%", MINUTE, "info")]) == "shares[0].share"
    assert field_of(rules_from_budget, period, [], short_divisor=1) == "short_divisor"
    explicit = rules_from_budget(period, [("2%", timedelta(hours=1), "info", 10 * MINUTE)])
    assert explicit[0].short == 10 * MINUTE
    assert field_of(validate_rules, ["rule"], target="99%", window=MONTH) == "rules[0]"
    assert field_of(detection_time, MINUTE, 1, target="99%", error_ratio=2) == "error_ratio"
    assert detection_time(MINUTE, 10, target="99%", error_ratio="0.1") is None
    assert detection_time(MINUTE, 10, target="99%", error_ratio="0.1", comparison=">=") == MINUTE
    assert reset_time(MINUTE, 10, target="99%", error_ratio="0.05") == timedelta(0)
    rule = BurnRateRule(timedelta(hours=1), 5 * MINUTE, 36, "critical")
    assert rule.detection_time("99.9%", "0.01") is None
    assert rule.reset_time("99.9%") == timedelta(seconds=289.2)  # 5 min x (1 - 36/1000)


def test_format_duration() -> None:
    assert format_duration(timedelta(0)) == "0s"
    assert format_duration(-MINUTE) == "-1m"
    assert format_duration(timedelta(seconds=1, microseconds=5)) == "1s5us"
