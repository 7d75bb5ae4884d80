"""The numeric test vectors of reference/slo.md section 3, one named test each.

Expected values are written out as the source states them (exact fractions where the
source is exact).  Where a source shows floating-point artefacts, the test pins
tocsin's exact value and checks it is the real number the artefact approximates.
Vectors 53 and 54 (incident metrics) are in ``tests/unit/analytics/test_incidents.py``.

Vectors tocsin's API does not cover, and so has no test for:

* 37, Sloth's denominator correction (Sloth PR #459): a plugin that rescales a low-
  traffic window's error ratio by its traffic against the period's average.  tocsin
  offers the minimum-events gate for low traffic instead (vector 36 and
  ``test_min_events_gate_keeps_a_quiet_service_from_paging``), and no correction.
* 46, second part: Datadog time-slice SLOs with groups, where an overall slice is down
  when any group's slice is; tocsin's SLIs have no groups (measure one series per
  group, or a series whose counts already combine the groups).
* 46, third part: Datadog status corrections, which remove a stretch of time from a
  monitor-based SLO's window; tocsin has no corrections.  (The arithmetic, 1 hour down
  in a 7-day window less a 1-day correction, is 1/144 against 1/168 of the window.)

Vector 43 is tested from the per-slice counts of the Nobl9 engineer's gist that the
reference cites (https://gist.github.com/nobl9-mikec/a1a55d97d77f10216be775eaad7221ac):
the reference gives only the totals, and the slices reproduce them exactly.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from tocsin.errors import InvalidInput
from tocsin.events import Severity
from tocsin.slo import (
    BurnRateRule,
    CalendarWindow,
    Counts,
    CountSeries,
    ErrorBudget,
    Measurement,
    Objective,
    RatioTimeSlices,
    RollingWindow,
    Threshold,
    TimeSlices,
    budget_consumed,
    burn_rate,
    datadog,
    detection_time,
    format_duration,
    max_burn_rate,
    pyrra,
    ratio,
    reset_time,
    rules_from_budget,
    sloth,
    time_to_exhaustion,
    to_target,
)
from tocsin.time import Interval

NY = ZoneInfo("America/New_York")
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


def rolling(target: str, days: float) -> Objective:
    return Objective(target, RollingWindow(timedelta(days=days)))


def monthly_utc(target: str = "99.9%") -> Objective:
    return Objective(target, CalendarWindow("month", "UTC"))


# 1-7: allowed downtime for rolling windows -------------------------------------------


def test_v01_999_over_30_days_allows_43_2_minutes() -> None:
    assert rolling("99.9%", 30).allowed_time() == timedelta(minutes=43, seconds=12)


def test_v02_999_over_28_days_allows_40_32_minutes() -> None:
    assert rolling("99.9%", 28).allowed_time() == timedelta(minutes=40, seconds=19.2)


def test_v03_9995_over_30_days_allows_21_6_minutes() -> None:
    assert rolling("99.95%", 30).allowed_time() == timedelta(minutes=21, seconds=36)


def test_v04_995_over_30_days_allows_216_minutes() -> None:
    assert rolling("99.5%", 30).allowed_time() == timedelta(hours=3, minutes=36)


def test_v05_9999_over_30_days_allows_259_2_seconds() -> None:
    assert rolling("99.99%", 30).allowed_time() == timedelta(seconds=259.2)


def test_v06_99999_over_30_days_allows_25_92_seconds() -> None:
    assert rolling("99.999%", 30).allowed_time() == timedelta(seconds=25.92)


def test_v07_9995_over_a_week_allows_5_minutes_2_4_seconds() -> None:
    assert rolling("99.95%", 7).allowed_time() == timedelta(minutes=5, seconds=2.4)


# 8-14: calendar windows -------------------------------------------------------------


def test_v08_february_2024_leap_allows_41_76_minutes() -> None:
    at = datetime(2024, 2, 15, tzinfo=UTC)
    assert monthly_utc().allowed_time(at) == timedelta(minutes=41, seconds=45.6)


def test_v09_february_2023_allows_40_32_minutes() -> None:
    at = datetime(2023, 2, 15, tzinfo=UTC)
    assert monthly_utc().allowed_time(at) == timedelta(minutes=40, seconds=19.2)


def test_v10_january_allows_44_64_minutes() -> None:
    at = datetime(2024, 1, 31, 23, 59, tzinfo=UTC)
    assert monthly_utc().allowed_time(at) == timedelta(minutes=44, seconds=38.4)


def test_v11_first_quarters_2024_and_2023() -> None:
    slo = Objective("99.9%", CalendarWindow("quarter", "UTC"))
    assert slo.allowed_time(datetime(2024, 3, 1, tzinfo=UTC)) == timedelta(minutes=131.04)
    assert slo.allowed_time(datetime(2023, 3, 1, tzinfo=UTC)) == timedelta(minutes=129.6)


def test_v12_years_2024_and_2023() -> None:
    slo = Objective("99.9%", CalendarWindow("year", "UTC"))
    assert slo.allowed_time(datetime(2024, 7, 1, tzinfo=UTC)) == timedelta(minutes=527.04)
    assert slo.allowed_time(datetime(2023, 7, 1, tzinfo=UTC)) == timedelta(minutes=525.6)


def test_v13_new_york_dst_days_last_23_and_25_hours() -> None:
    slo = Objective("99.9%", CalendarWindow("day", NY))
    spring = datetime(2024, 3, 10, 12, tzinfo=NY)
    autumn = datetime(2024, 11, 3, 12, tzinfo=NY)
    assert slo.period_length(spring) == timedelta(hours=23)
    assert slo.allowed_time(spring) == timedelta(minutes=1.38)
    assert slo.period_length(autumn) == timedelta(hours=25)
    assert slo.allowed_time(autumn) == timedelta(minutes=1.5)


def test_v14_march_2024_new_york_is_743_hours_utc_744() -> None:
    at = datetime(2024, 3, 20, tzinfo=UTC)
    ny = Objective("99.9%", CalendarWindow("month", NY))
    assert ny.period_length(at) == timedelta(hours=743)
    assert ny.allowed_time(at) == timedelta(minutes=44.58)
    assert monthly_utc().period_length(at) == timedelta(hours=744)
    assert monthly_utc().allowed_time(at) == timedelta(minutes=44.64)


# 15-20: burn-rate factors -------------------------------------------------------------


def test_v15_sloth_30_day_factors() -> None:
    assert [r.factor for r in sloth(timedelta(days=30))] == [
        Fraction("14.4"),
        Fraction(6),
        Fraction(3),
        Fraction(1),
    ]


def test_v16_sloth_28_day_factors_are_exact_where_sloth_has_float_noise() -> None:
    factors = [r.factor for r in sloth(timedelta(days=28))]
    assert factors == [Fraction("13.44"), Fraction("5.6"), Fraction("2.8"), Fraction(14, 15)]
    # Sloth's golden test floats are within a couple of ulps of the exact values.
    sloth_floats = [13.44, 5.6000000000000005, 2.8000000000000003, 0.9333333333333333]
    for exact, noisy in zip(factors, sloth_floats, strict=True):
        assert abs(float(exact) - noisy) <= 2 * math.ulp(noisy)
    assert float(factors[1]) == 5.6  # tocsin's float is the nearest one, unlike Sloth's


def test_v17_sloth_example_7_day_catalog() -> None:
    rules = rules_from_budget(
        timedelta(days=7),
        [
            ("8%", HOUR, "critical"),
            ("12.5%", 6 * HOUR, "critical"),
            ("20%", DAY, "warning"),
            ("42%", 3 * DAY, "warning"),
        ],
    )
    assert [r.factor for r in rules] == [
        Fraction("13.44"),
        Fraction("3.5"),
        Fraction("1.4"),
        Fraction("0.98"),
    ]


def test_v18_sloth_example_custom_30_day_catalog() -> None:
    rules = rules_from_budget(
        timedelta(days=30),
        [
            ("1%", 30 * MINUTE, "critical"),
            ("2%", 3 * HOUR, "critical"),
            ("5%", 12 * HOUR, "warning"),
            ("5%", 36 * HOUR, "warning"),
        ],
    )
    assert [r.factor for r in rules] == [Fraction("14.4"), Fraction("4.8"), 3, 1]


def test_v19_error_budget_for_999_is_exact_not_sloths_float() -> None:
    assert 1 - to_target("99.9%") == Fraction(1, 1000)
    page = sloth()[0]
    assert page.threshold("99.9%") == Fraction("0.0144")
    assert page.threshold("99.9%") != Fraction(0.014399999999999183)


def test_v20_page_fast_ratio_thresholds() -> None:
    page = sloth()[0]
    assert page.threshold("99.5%") == Fraction("0.072")
    assert page.threshold("99.9%") == Fraction("0.0144")
    assert page.threshold("99.95%") == Fraction("0.0072")


# 21-25: Pyrra's scaled windows --------------------------------------------------------


def pyrra_table(period: timedelta) -> list[tuple[str, str, str, int, str]]:
    rows = []
    for rule in pyrra(period):
        exhaustion = time_to_exhaustion(period, rule.factor)
        assert exhaustion is not None
        # Pyrra's exhaustion label truncates to whole seconds.
        whole = exhaustion - timedelta(microseconds=exhaustion.microseconds)
        rows.append(
            (
                format_duration(rule.for_),
                format_duration(rule.long),
                format_duration(rule.short),
                int(rule.factor),
                format_duration(whole),
            )
        )
    return rows


def test_v21_pyrra_windows_for_28_days() -> None:
    assert pyrra_table(timedelta(days=28)) == [
        ("2m", "1h", "5m", 14, "2d"),
        ("15m", "6h", "30m", 7, "4d"),
        ("1h", "1d", "2h", 2, "14d"),
        ("3h", "4d", "6h", 1, "28d"),
    ]
    assert [r.severity for r in pyrra(timedelta(days=28))] == [
        Severity.CRITICAL,
        Severity.CRITICAL,
        Severity.WARNING,
        Severity.WARNING,
    ]


def test_v22_pyrra_windows_for_7_days() -> None:
    assert pyrra_table(timedelta(days=7)) == [
        ("1m", "15m", "1m", 14, "12h"),
        ("4m", "1h30m", "8m", 7, "1d"),
        ("15m", "6h", "30m", 2, "3d12h"),
        ("45m", "1d", "1h30m", 1, "7d"),
    ]


def test_v23_pyrra_windows_for_30_days() -> None:
    assert pyrra_table(timedelta(days=30)) == [
        ("2m", "1h4m", "5m", 14, "2d3h25m42s"),
        ("16m", "6h26m", "32m", 7, "4d6h51m25s"),
        ("1h4m", "1d1h43m", "2h9m", 2, "15d"),
        ("3h13m", "4d6h51m", "6h26m", 1, "30d"),
    ]


def test_v24_pyrra_windows_for_90_days() -> None:
    # Pyrra prints weeks: 1w5d20h34m17s = 12d20h34m17s, 6w3d = 45d, 12w6d = 90d.
    assert pyrra_table(timedelta(days=90)) == [
        ("6m", "3h13m", "16m", 14, "6d10h17m8s"),
        ("48m", "19h17m", "1h36m", 7, "12d20h34m17s"),
        ("3h13m", "3d5h9m", "6h26m", 2, "45d"),
        ("9h39m", "12d20h34m", "19h17m", 1, "90d"),
    ]


@pytest.mark.parametrize(
    ("target", "exact", "pyrra_minutes"),
    [
        ("99%", timedelta(minutes=10, seconds=24), 10),
        ("99.5%", timedelta(minutes=6, seconds=12), 6),
        ("99.9%", timedelta(minutes=2, seconds=50.4), 3),
    ],
)
def test_v25_pyrra_absent_duration_is_fast_rule_detection_plus_for(
    target: str, exact: timedelta, pyrra_minutes: int
) -> None:
    # Pyrra waits as long as a total outage takes to fire its fastest rule, plus its
    # `for`, rounded to a minute.
    fastest = pyrra(timedelta(days=28))[0]
    found = fastest.detection_time(target)
    assert found == exact
    assert round(found / MINUTE) == pyrra_minutes


# 26-30: Datadog factors, maximum burn, consumption and exhaustion ----------------------


def test_v26_datadog_recommended_burn_rates() -> None:
    assert [r.factor for r in datadog(timedelta(days=7))] == [
        Fraction("16.8"),
        Fraction("5.6"),
        Fraction("2.8"),
    ]
    assert [r.factor for r in datadog(timedelta(days=90))] == [
        Fraction("21.6"),
        Fraction("10.8"),
        Fraction("4.5"),
    ]


def test_v27_maximum_burn_rate_is_one_over_the_budget() -> None:
    assert [max_burn_rate(t) for t in ("99.9%", "99.5%", "96%", "95%", "85%")] == [
        1000,
        200,
        25,
        20,
        Fraction(20, 3),
    ]


def test_v28_burn_14_4_for_an_hour_spends_2_percent_of_30_days() -> None:
    assert budget_consumed("14.4", HOUR, timedelta(days=30)) == Fraction(2, 100)


def test_v29_time_to_exhaustion_from_a_full_30_day_budget() -> None:
    period = timedelta(days=30)
    assert [time_to_exhaustion(period, b) for b in ("14.4", 6, 3, 1, 1000)] == [
        timedelta(hours=50),
        timedelta(hours=120),
        timedelta(hours=240),
        timedelta(hours=720),
        timedelta(minutes=43.2),
    ]


def test_v30_three_quarters_left_at_burn_6_lasts_90_hours() -> None:
    assert time_to_exhaustion(timedelta(days=30), 6, remaining="0.75") == timedelta(hours=90)


# 31-32: budgets from counts ---------------------------------------------------------


def test_v31_a_million_requests_at_999() -> None:
    def budget(bad: int) -> ErrorBudget:
        total = 1_000_000
        return ErrorBudget.from_counts("99.9%", timedelta(days=30), good=total - bad, total=total)

    assert budget(0).allowed_events == 1000
    assert budget(250).remaining == Fraction(3, 4)
    # Negative, as Sloth and Pyrra show it (Kibana would clamp to 0).
    assert budget(1200).remaining == Fraction(-1, 5)
    assert budget(1200).remaining_events == -200


def test_v32_pyrra_remaining_50_errors_in_10000_at_99() -> None:
    b = ErrorBudget.from_counts("99%", timedelta(days=28), good=9950, total=10_000)
    assert b.remaining == Fraction(1, 2)


# 33-36: detection, reset and low traffic ----------------------------------------------


def test_v33_detection_times_of_a_total_outage_at_999() -> None:
    def found(window: timedelta, factor: object) -> timedelta | None:
        return detection_time(window, factor, target="99.9%")

    assert found(HOUR, "14.4") == timedelta(seconds=51.84)
    assert found(6 * HOUR, 6) == timedelta(seconds=129.6)
    assert found(10 * MINUTE, 1) == timedelta(seconds=0.6)
    assert found(HOUR, 36) == timedelta(seconds=129.6)
    assert found(36 * HOUR, 1) == timedelta(seconds=129.6)


def test_v34_reset_time_after_a_total_outage_1h_at_36x() -> None:
    assert reset_time(HOUR, 36, target="99.9%") == timedelta(minutes=57.84)


def test_v35_a_1h_36x_alert_fires_after_5_percent_of_the_budget() -> None:
    rule = BurnRateRule(HOUR, 5 * MINUTE, 36, "critical")
    assert rule.budget_at_detection(timedelta(days=30)) == Fraction(5, 100)


def test_v36_workbook_low_traffic_one_failure_is_100x_not_1000x() -> None:
    requests = 10 * 24 * 30
    assert requests == 7200
    b = ErrorBudget.from_counts("99.9%", timedelta(days=30), good=requests - 1, total=requests)
    assert b.allowed_events == Fraction("7.2")
    assert math.floor(b.allowed_events) == 7
    assert b.consumed == Fraction(5, 36)  # 13.9 % of the budget
    # The hour holding the failure burns at 100x (the workbook says 1,000x).
    assert burn_rate(9, 10, "99.9%") == 100


# 38-43: slo-generator and Nobl9 examples ----------------------------------------------


def test_v38_slo_generator_fixture_goal_09_half_good() -> None:
    b = ErrorBudget.from_counts("0.9", timedelta(seconds=43200), good=3556, total=7112)
    assert b.sli == Fraction(1, 2)
    assert b.sli - b.target == Fraction(-2, 5)  # slo-generator's gap
    assert b.allowed_fraction == Fraction(1, 10)  # its 0.09999999999999998
    assert b.allowed_time == timedelta(minutes=72)  # its 71.99999999999999
    assert b.spent_time == timedelta(minutes=360)
    assert b.remaining_time == timedelta(minutes=-288)
    assert burn_rate(3556, 7112, "0.9") == 5  # its fixture shows 5.000000000000001
    assert b.consumed == 5  # 500 %, not the fixture's hand-written 19.99...


def test_v39_slo_generator_enough_events_burns_50x() -> None:
    b = ErrorBudget.from_counts("0.99", HOUR, good=5, total=10)
    assert b.sli == Fraction(1, 2)
    assert burn_rate(5, 10, "0.99") == 50
    assert b.consumed is not None
    assert b.consumed > 1  # slo-generator's alert (threshold 1) is true
    assert b.allowed_time == timedelta(minutes=0.6)
    assert b.spent_time == timedelta(minutes=30)
    assert b.remaining_time == timedelta(minutes=-29.4)


def test_v40_a_100_percent_goal_is_refused_not_a_silent_zero_burn() -> None:
    with pytest.raises(InvalidInput, match="no error budget") as info:
        Objective(1, RollingWindow(timedelta(days=30)))
    assert info.value.field == "target"
    with pytest.raises(InvalidInput):
        burn_rate(99, 100, "1.0")


def test_v41_slo_generator_validity_cases_are_explicit_in_tocsin() -> None:
    # (0, 0): no data, so no SLI (slo-generator: an invalid report).
    assert ratio(0, 0) is None
    # -1 is slo-generator's NO_DATA sentinel; tocsin has no sentinels.
    for good, total in ((-1, 15), (15, -1), (-1, -1)):
        with pytest.raises(InvalidInput):
            Counts(good, total)
    # Too few events is the minimum-events gate's job: see the evaluator tests
    # (test_min_events_gate_keeps_a_quiet_service_from_paging).


def test_v42_nobl9_gist_occurrences() -> None:
    assert ratio(111, 118) == Fraction(111, 118)
    b = ErrorBudget.from_counts("95%", timedelta(days=28), good=111, total=118)
    assert b.consumed == Fraction(70, 59)  # 118.644 %
    assert round(float(b.consumed) * 100, 3) == 118.644


# The gist's ten intervals: traffic that rises and falls over the day, failing at peak.
GIST_GOOD = [2, 10, 12, 13, 13, 12, 13, 13, 12, 11]
GIST_VALID = [4, 10, 12, 13, 14, 15, 14, 13, 12, 11]


def test_v43_nobl9_gist_time_slices_and_ratio_time_slices() -> None:
    start = datetime(2026, 1, 5, tzinfo=UTC)
    series = CountSeries(start, HOUR, good=GIST_GOOD, total=GIST_VALID)
    span = Interval(series.start, series.end)
    assert series.counts(span) == Counts(111, 118)  # vector 42's totals
    # Timeslices: a slice is good when its ratio meets 95 %.  The gist compares with
    # ">" and tocsin with ">=": no slice sits at exactly 95 %, so both count 6 of 10
    # (t1-t3 and t7-t9; t0 is 50 %, t4 and t6 13/14, t5 80 %).
    slices = Objective("95%", RollingWindow(10 * HOUR), TimeSlices(HOUR, "95%"))
    assert slices.measure(series, span) == Measurement(Fraction(6, 10), 10)
    # RatioTimeslices: the unweighted mean of the ten ratios, 641/700 = 0.915714...
    mean = Objective("95%", RollingWindow(10 * HOUR), RatioTimeSlices(HOUR))
    assert mean.measure(series, span) == Measurement(Fraction(641, 700), 10)
    assert round(641 / 700, 6) == 0.915714


# 44-47: time slices and thresholds ----------------------------------------------------


def test_v44_openslo_ddos_example_budgets() -> None:
    two_weeks = timedelta(days=14)
    events = ErrorBudget(target="95%", period=two_weeks, sli=1, units=24_000 * 14)
    assert events.units == 336_000
    assert events.allowed_events == 16_800
    slices = ErrorBudget(target="95%", period=two_weeks, sli=1, units=two_weeks // MINUTE)
    assert slices.units == 20_160
    assert slices.allowed_events == 1008
    assert slices.allowed_time == timedelta(hours=16, minutes=48)


@pytest.mark.parametrize(("attack_minutes", "overspent"), [(822, False), (823, True)])
def test_v45_openslo_ddos_ratio_time_slices_last_822_86_minutes(
    attack_minutes: int, overspent: bool
) -> None:
    # Normal minutes are 99 % good, attacked ones 1 %; the budget (5 % of 20,160 slice
    # ratios) runs out after 5760/7 = 822.86 attacked minutes.
    n = 20_160
    good = [1] * attack_minutes + [99] * (n - attack_minutes)
    start = datetime(2026, 1, 5, tzinfo=UTC)
    series = CountSeries(start, MINUTE, good=good, total=[100] * n)
    slo = Objective(
        "95%", RollingWindow(timedelta(days=14)), RatioTimeSlices(MINUTE), no_data="undefined"
    )
    b = slo.budget(series, series.end)
    assert b.units == n
    assert b.remaining is not None
    assert (b.remaining < 0) is overspent


def test_v46_datadog_time_slices_one_bad_five_minute_slice_in_12_hours() -> None:
    start = datetime(2026, 1, 5, tzinfo=UTC)
    n = 144
    series = CountSeries(start, 5 * MINUTE, good=[0] + [10] * (n - 1), total=[10] * n)
    slo = Objective("99%", RollingWindow(12 * HOUR), TimeSlices(5 * MINUTE, "99%"))
    m = slo.measure(series, RollingWindow(12 * HOUR).bounds(series.end))
    assert m.sli == Fraction(143, 144)  # 99.3056 %


def test_v47_latency_sli_from_count_and_le_bucket() -> None:
    counts = Threshold(0.3).from_histogram({0.1: 700, 0.3: 990}, count=1000)
    assert counts.total - counts.good == 10
    assert counts.ratio() == Fraction(99, 100)


# 48-52: calendar anchors and DST ------------------------------------------------------


def test_v48_month_anchored_on_the_31st_clamps_python_style() -> None:
    for year, clamped in ((2023, 28), (2024, 29)):
        w = CalendarWindow("month", "UTC", anchor=datetime(year, 1, 31, tzinfo=UTC))
        january = w.bounds(datetime(year, 2, 1, tzinfo=UTC))
        assert january.start == datetime(year, 1, 31, tzinfo=UTC)
        assert january.end == datetime(year, 2, clamped, tzinfo=UTC)  # Go: 3 or 2 March
        # ... and returns to the 31st when the month has one.
        assert w.bounds(january.end).end == datetime(year, 3, 31, tzinfo=UTC)


def test_v49_nobl9_quarter_anchored_in_new_york_lasts_2159_hours() -> None:
    w = CalendarWindow("quarter", NY, anchor=datetime(2004, 1, 2, 12, tzinfo=NY))
    span = w.bounds(datetime(2006, 1, 4, 15, 4, 5, tzinfo=UTC))
    assert span.start == datetime(2006, 1, 2, 17, tzinfo=UTC)
    assert span.end == datetime(2006, 4, 2, 16, tzinfo=UTC)
    assert span.duration == timedelta(hours=2159)
    slo = Objective("99.9%", w)
    assert slo.allowed_time(span.start) == timedelta(minutes=129.54)


def test_v50_nobl9_week_anchored_on_a_friday() -> None:
    friday = datetime(2004, 1, 2, 12, tzinfo=NY)
    w = CalendarWindow("week", NY, anchor=friday, week_start=friday.weekday())
    span = w.bounds(datetime(2006, 1, 4, 15, 4, 5, tzinfo=UTC))
    assert span.start == datetime(2005, 12, 30, 17, tzinfo=UTC)
    assert span.end == datetime(2006, 1, 6, 17, tzinfo=UTC)


def test_v51_sloth_style_monday_weeks_and_calendar_quarters() -> None:
    week = CalendarWindow("week", "UTC").bounds(datetime(2024, 1, 7, 12, tzinfo=UTC))
    assert week.start == datetime(2024, 1, 1, tzinfo=UTC)
    quarter = CalendarWindow("quarter", "UTC").bounds(datetime(2024, 5, 15, tzinfo=UTC))
    assert quarter.start == datetime(2024, 4, 1, tzinfo=UTC)


def test_v52_subtracting_zoned_datetimes_would_give_2160_hours() -> None:
    w = CalendarWindow("quarter", NY, anchor=datetime(2004, 1, 2, 12, tzinfo=NY))
    span = w.bounds(datetime(2006, 1, 4, 15, 4, 5, tzinfo=UTC))
    naive_difference = span.end.astimezone(NY) - span.start.astimezone(NY)
    assert naive_difference == timedelta(hours=2160)  # Python's wall-clock subtraction
    assert span.duration == timedelta(hours=2159)  # tocsin counts in UTC
