"""Edge-case decisions where Sloth, Pyrra, slo-generator, Datadog and OpenSLO differ.

Each test pins one entry of docs/concepts/slo.md and docs/decisions.md.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from tocsin.errors import InvalidInput
from tocsin.slo import (
    BurnRateRule,
    CalendarWindow,
    Counts,
    CountSeries,
    ErrorBudget,
    Objective,
    RatioTimeSlices,
    RollingWindow,
    TimeSlices,
    burn_rate,
    counter_deltas,
    counter_increase,
    datadog,
    ratio,
    sloth,
    time_to_exhaustion,
    to_target,
)
from tocsin.time import Interval

MINUTE = timedelta(minutes=1)
T0 = datetime(2026, 3, 2, tzinfo=UTC)
NY = ZoneInfo("America/New_York")


def test_targets_are_exact_and_floats_are_read_as_typed() -> None:
    assert to_target(0.999) == Fraction(999, 1000)  # not 0.99899999999999999911...
    assert to_target(Decimal("0.9995")) == Fraction(1999, 2000)
    assert to_target("99.95%") == to_target("0.9995") == to_target("1999/2000")


def test_a_percentage_without_its_sign_is_refused_with_a_hint() -> None:
    with pytest.raises(InvalidInput, match=r"write '99\.9%'"):
        to_target("99.9")


@pytest.mark.parametrize("bad", [0, "0%", -1, "1", 1.0, "100%", "abc", float("nan"), True, None])
def test_targets_outside_zero_to_one_are_refused(bad: object) -> None:
    with pytest.raises(InvalidInput) as info:
        to_target(bad)
    assert info.value.field == "target"


def test_an_empty_window_is_none_never_nan() -> None:
    assert ratio(0, 0) is None
    assert burn_rate(0, 0, "99.9%") is None
    b = ErrorBudget.from_counts("99.9%", timedelta(days=30), good=0, total=0)
    assert (b.consumed, b.remaining, b.remaining_time, b.time_to_exhaustion(1)) == (
        None,
        None,
        None,
        None,
    )
    assert b.allowed_events == 0
    assert b.allowed_time == timedelta(minutes=43.2)


def test_no_data_policy_for_a_whole_window() -> None:
    assert ratio(0, 0, no_data="skip") is None
    assert ratio(0, 0, no_data="undefined") is None
    assert ratio(0, 0, no_data="good") == 1
    assert ratio(0, 0, no_data="bad") == 0
    assert burn_rate(0, 0, "99%", no_data="bad") == 100
    with pytest.raises(InvalidInput) as info:
        ratio(0, 0, no_data="nan")
    assert info.value.field == "no_data"


@pytest.mark.parametrize(
    ("policy", "sli", "units"),
    [
        ("skip", Fraction(1, 2), 2),  # the empty minute does not count
        ("undefined", None, 0),  # one empty minute leaves the SLI undefined
        ("good", Fraction(2, 3), 3),  # Datadog: missing data is uptime
        ("bad", Fraction(1, 3), 3),
    ],
)
def test_no_data_policy_for_time_slices(policy: str, sli: Fraction | None, units: int) -> None:
    series = CountSeries(T0, MINUTE, good=[10, 0, 0], total=[10, 10, 0])
    slo = Objective("99%", RollingWindow(3 * MINUTE), TimeSlices(MINUTE, "99%"), no_data=policy)
    m = slo.measure(series, RollingWindow(3 * MINUTE).bounds(series.end))
    assert (m.sli, m.units) == (sli, units)


def test_a_slice_meeting_its_target_exactly_is_good() -> None:
    # OpenSLO's timeSliceTarget may be 1, so "meets" must include equality.
    series = CountSeries(T0, MINUTE, good=[99, 98], total=[100, 100])
    slo = Objective("50%", RollingWindow(2 * MINUTE), TimeSlices(MINUTE, "99%"))
    assert slo.measure(series, RollingWindow(2 * MINUTE).bounds(series.end)).sli == Fraction(1, 2)


def test_ratio_time_slices_average_ratios_and_ratio_sums_counts() -> None:
    # A quiet minute with 1 of 2 good and a busy one with 998 of 1000: averaging
    # ratios says 74.9 %, counting events says 99.7 %.
    series = CountSeries(T0, MINUTE, good=[1, 998], total=[2, 1000])
    span = RollingWindow(2 * MINUTE).bounds(series.end)
    averaged = Objective("99%", RollingWindow(2 * MINUTE), RatioTimeSlices(MINUTE))
    counted = Objective("99%", RollingWindow(2 * MINUTE))
    assert averaged.measure(series, span).sli == Fraction(749, 1000)
    assert counted.measure(series, span).sli == Fraction(999, 1002)


def test_good_above_total_is_an_error_by_default_and_a_clamp_on_request() -> None:
    with pytest.raises(InvalidInput) as info:
        Counts(11, 10)
    assert info.value.field == "good"
    assert Counts.of(11, 10, good_over_total="clamp") == Counts(10, 10)
    with pytest.raises(InvalidInput) as info:
        CountSeries(T0, MINUTE, good=[1, 11], total=[1, 10])
    assert info.value.field == "good[1]"
    clamped = CountSeries(T0, MINUTE, good=[1, 11], total=[1, 10], good_over_total="clamp")
    assert clamped.good == (1, 10)


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True, None])
def test_counts_are_whole_non_negative_numbers(bad: object) -> None:
    with pytest.raises(InvalidInput) as info:
        Counts.of(0, bad)
    assert info.value.field == "total"


def test_counter_resets_follow_prometheus_and_nothing_is_extrapolated() -> None:
    # 100 -> 160 (+60), restart to 5 (+5), 5 -> 25 (+20), restart to 0 (+0).
    assert counter_deltas([100, 160, 5, 25, 0]) == (60, 5, 20, 0)
    assert counter_increase([100, 160, 5, 25, 0]) == 85
    assert counter_increase([42]) == 0
    assert counter_increase([]) == 0
    with pytest.raises(InvalidInput) as info:
        counter_deltas([1, -2])
    assert info.value.field == "samples[1]"


def test_remaining_budget_goes_negative_and_is_not_clamped() -> None:
    b = ErrorBudget.from_counts("99%", timedelta(days=30), good=97, total=100)
    assert b.consumed == 3
    assert b.remaining == -2
    assert b.remaining_time == -timedelta(days=30) * 2 / 100
    assert b.time_to_exhaustion(1) == timedelta(0)


def test_calendar_budgets_count_observed_events_not_a_projection() -> None:
    slo = Objective("99%", CalendarWindow("month", "UTC"))
    series = CountSeries(T0, MINUTE, good=[99] * 60, total=[100] * 60)
    at = T0 + timedelta(hours=1)
    b = slo.budget(series, at)
    assert b.units == 6000  # what arrived by `at`, not a month's worth projected
    assert b.allowed_events == 60
    assert b.period == timedelta(days=31)  # March 2026
    assert b.consumed == 1


def test_buckets_after_the_evaluation_instant_are_ignored() -> None:
    slo = Objective("99%", CalendarWindow("month", "UTC"))
    series = CountSeries(T0, MINUTE, good=[100, 0], total=[100, 100])
    assert slo.budget(series, T0 + MINUTE).sli == 1


def test_sloth_and_datadog_presets_refuse_periods_they_do_not_ship() -> None:
    with pytest.raises(InvalidInput, match="rules_from_budget"):
        sloth(timedelta(days=7))
    with pytest.raises(InvalidInput, match="7, 30 or 90"):
        datadog(timedelta(days=28))
    assert {r.comparison.value for r in datadog()} == {">="}
    assert {r.comparison.value for r in sloth()} == {">"}


def test_weeks_start_on_monday_unless_told_otherwise() -> None:
    sunday = datetime(2026, 3, 8, 12, tzinfo=UTC)
    assert CalendarWindow("week", "UTC").bounds(sunday).start == datetime(2026, 3, 2, tzinfo=UTC)
    us_week = CalendarWindow("week", "UTC", week_start=6)
    assert us_week.bounds(sunday).start == datetime(2026, 3, 8, tzinfo=UTC)


def test_a_weekly_anchor_on_another_weekday_than_week_start_is_an_error() -> None:
    with pytest.raises(InvalidInput) as info:
        CalendarWindow("week", "UTC", anchor=datetime(2026, 3, 6, tzinfo=UTC))
    assert info.value.field == "week_start"


def test_a_calendar_boundary_in_a_dst_gap_moves_to_the_end_of_the_gap() -> None:
    # Days anchored at 02:30 in New York: 2026-03-08 02:30 does not exist, so that
    # day starts at 03:00 EDT (the instant of the transition), as schedules do.
    w = CalendarWindow("day", NY, anchor=datetime(2026, 3, 1, 2, 30, tzinfo=NY))
    day = w.bounds(datetime(2026, 3, 8, 12, tzinfo=NY))
    assert day.start == datetime(2026, 3, 8, 7, tzinfo=UTC)  # 03:00 EDT
    assert day.end == datetime(2026, 3, 9, 6, 30, tzinfo=UTC)  # 02:30 EDT
    assert day.duration == timedelta(hours=23, minutes=30)


def test_a_calendar_boundary_in_a_fold_takes_the_earlier_occurrence() -> None:
    w = CalendarWindow("day", NY, anchor=datetime(2026, 11, 1, 1, 30, tzinfo=NY))
    day = w.bounds(datetime(2026, 11, 1, 12, tzinfo=NY))
    # Compare in UTC: Python never calls a time in a fold equal to one in another zone.
    assert day.start.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    assert day.duration == timedelta(hours=25)


def test_rolling_windows_count_elapsed_time_across_dst() -> None:
    at = datetime(2026, 3, 8, 12, tzinfo=NY)
    span = RollingWindow(timedelta(days=1)).bounds(at)
    assert span.duration == timedelta(days=1)
    assert span.start == datetime(2026, 3, 7, 11, tzinfo=NY)  # wall clock moved an hour
    assert span.end is at


def test_buckets_belong_to_the_window_their_start_falls_in() -> None:
    series = CountSeries(T0, MINUTE, good=[1, 2, 3], total=[1, 2, 3])
    half = T0 + timedelta(seconds=30)
    assert series.counts(Interval(T0, half)) == Counts(1, 1)
    assert series.counts(Interval(half, T0 + 2 * MINUTE)) == Counts(2, 2)


def test_a_budget_that_would_outlast_timedelta_max_never_runs_out() -> None:
    # 30 days at burn 1e-9 is 3e10 days, past timedelta.max (999,999,999 days): no
    # timedelta can hold it, and a budget lasting 82 million years is "never".
    assert time_to_exhaustion(timedelta(days=30), "1e-9") is None
    budget = ErrorBudget(target="99%", period=timedelta(days=30), sli=1, units=100)
    assert budget.time_to_exhaustion("1e-12") is None
    # The largest value that fits is returned exactly, one microsecond more is never.
    biggest = timedelta.max // timedelta(microseconds=1)
    one_us = timedelta(microseconds=1)
    assert time_to_exhaustion(one_us, Fraction(1, biggest)) == timedelta.max
    assert time_to_exhaustion(one_us, Fraction(1, biggest + 1)) is None
    assert time_to_exhaustion(timedelta(days=30), 0) is None  # a burn rate of 0: never
    rule = BurnRateRule(timedelta(hours=1), 5 * MINUTE, "14.4", "critical", for_=timedelta.max)
    assert rule.detection_time("99.9%") is None
