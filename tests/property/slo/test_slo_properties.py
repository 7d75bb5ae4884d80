from __future__ import annotations

import math
import sys
from datetime import UTC, datetime, timedelta, tzinfo
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.errors import InvalidInput
from tocsin.events import Action
from tocsin.slo import (
    BurnRateRule,
    CalendarUnit,
    CalendarWindow,
    Counts,
    CountSeries,
    ErrorBudget,
    Objective,
    Ratio,
    RollingWindow,
    budget_consumed,
    burn_rate,
    counter_deltas,
    detection_time,
    evaluate,
    max_burn_rate,
    reset_time,
    time_to_exhaustion,
    to_target,
)
from tocsin.testing import aware_datetimes, count_series, objectives, zones
from tocsin.testing._slo import targets
from tocsin.time import Interval

counts = st.integers(min_value=0, max_value=10**6).flatmap(
    lambda total: st.tuples(st.integers(min_value=0, max_value=total), st.just(total))
)


@given(counts, targets())
def test_burn_rate_and_consumed_budget_are_monotone_in_bad_events(
    gt: tuple[int, int], target: Fraction
) -> None:
    good, total = gt
    period = timedelta(days=30)
    before = burn_rate(good, total, target)
    # One more bad event, and one good event turned bad.
    more_bad = burn_rate(good, total + 1, target)
    assert more_bad is not None
    if before is not None:
        assert more_bad >= before
        if good > 0:
            worse = burn_rate(good - 1, total, target)
            assert worse is not None
            assert worse > before
            a = ErrorBudget.from_counts(target, period, good=good, total=total).consumed
            b = ErrorBudget.from_counts(target, period, good=good - 1, total=total).consumed
            assert a is not None
            assert b is not None
            assert b > a


@given(count_series(), st.data())
def test_splitting_a_window_into_buckets_gives_the_same_budget(
    series: CountSeries, data: st.DataObject
) -> None:
    whole = Interval(series.start, series.end)
    summed = Counts(0, 0)
    for i in range(len(series)):
        summed += series.counts(series.bucket(i))
    assert summed == series.counts(whole) == Counts(sum(series.good), sum(series.total))
    # Any split point: the two halves add up to the whole.
    offset = data.draw(st.integers(min_value=0, max_value=max(len(series), 1) * 3600))
    # In UTC: adding to a fold=1 start resets fold, and max() on two datetimes sharing
    # a zone compares wall clocks, so 01:00 EDT would pass for 01:00 EST.
    start, end = series.start.astimezone(UTC), series.end.astimezone(UTC)
    middle = start + timedelta(seconds=offset)
    left = series.counts(Interval(start, max(middle, start)))
    right = series.counts(Interval(min(middle, end), end)) if middle < end else Counts(0, 0)
    assert left + right == summed
    target = data.draw(targets())
    period = timedelta(days=30)
    one = ErrorBudget.from_counts(target, period, good=summed.good, total=summed.total)
    if len(series):
        slo = Objective(target, RollingWindow(whole.duration))
        assert slo.budget_over(series, whole).consumed == one.consumed


# Exact positive magnitudes from 1e-400 to 1e400: burn rates, shares and factors far
# beyond what a float or a timedelta can hold.
magnitudes = st.builds(
    lambda mantissa, exponent: Fraction(mantissa) * Fraction(10) ** exponent,
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=-400, max_value=400),
)
burn_rates = st.one_of(
    st.just(Fraction(0)),
    magnitudes,
    st.sampled_from(
        [Fraction(s) for s in ("1e-9", "1e-12", "5e-324", "1e-300", "1e300", "14.4", "1000")]
    ),
)
ONE_US = timedelta(microseconds=1)
periods = st.one_of(
    st.sampled_from([ONE_US, timedelta(days=30), timedelta.max - ONE_US, timedelta.max]),
    st.timedeltas(min_value=ONE_US, max_value=timedelta.max),
)
# Targets from 1e-400 to 1 - 1e-400, as well as the usual ones.
extreme_targets = st.one_of(
    targets(),
    st.integers(min_value=1, max_value=400).map(lambda e: Fraction(1, 10**e)),
    st.integers(min_value=1, max_value=400).map(lambda e: 1 - Fraction(1, 10**e)),
)
huge_counts = st.integers(min_value=0, max_value=10**40).flatmap(
    lambda total: st.tuples(st.integers(min_value=0, max_value=total), st.just(total))
)
MAX_US = timedelta.max // ONE_US


@given(
    periods,
    burn_rates,
    st.one_of(st.just(Fraction(1)), magnitudes, magnitudes.map(lambda m: -m)),
)
def test_time_to_exhaustion_is_total_and_none_only_for_never(
    period: timedelta, rate: Fraction, remaining: Fraction
) -> None:
    found = time_to_exhaustion(period, rate, remaining=remaining)
    if remaining <= 0:
        assert found == timedelta(0)
        return
    if rate == 0:
        assert found is None
        return
    exact = remaining * (period // ONE_US) / rate  # in microseconds
    if round(exact) > MAX_US:
        assert found is None  # longer than any timedelta: never
    else:
        assert found == timedelta(microseconds=round(exact))


@given(extreme_targets, periods, huge_counts, burn_rates)
def test_budgets_are_total_for_extreme_targets_counts_periods_and_burn_rates(
    target: Fraction, period: timedelta, gt: tuple[int, int], rate: Fraction
) -> None:
    good, total = gt
    if period > -timedelta.min:
        # -period would not fit a timedelta, and neither would an overspent budget's
        # remaining time: refused up front.
        with pytest.raises(InvalidInput) as info:
            ErrorBudget.from_counts(target, period, good=good, total=total)
        assert info.value.field == "period"
        period = -timedelta.min
    b = ErrorBudget.from_counts(target, period, good=good, total=total)
    for value in (b.consumed, b.remaining, b.bad_events, b.remaining_events, b.allowed_events):
        assert value is None or isinstance(value, Fraction)
    assert b.allowed_time <= period
    for duration in (b.spent_time, b.remaining_time):
        assert duration is None or abs(duration) <= period
    left = b.time_to_exhaustion(rate)
    assert left is None or timedelta(0) <= left <= timedelta.max
    assert isinstance(budget_consumed(rate, period, period), Fraction)
    assert max_burn_rate(target) == 1 / (1 - target)
    factor = 1 / (1 - target)  # the highest factor a rule may have
    found = detection_time(period, factor, target=target, comparison=">=")
    assert found == period  # only a total outage reaches the highest factor
    assert reset_time(period, factor, target=target) == timedelta(0)
    if period > ONE_US:
        rule = BurnRateRule(period, ONE_US, factor, "critical", for_=period, comparison=">=")
        at = rule.detection_time(target)
        if period <= timedelta.max / 2:
            assert at == 2 * period
        else:
            assert at is None  # longer than any timedelta: never


@given(count_series(max_size=60), extreme_targets, st.integers(min_value=1, max_value=90))
def test_no_input_produces_nan_or_infinity(
    series: CountSeries, target: Fraction, width: int
) -> None:
    window = series.step * width
    if 1 / (1 - target) > sys.float_info.max:
        # Float burn rates of a total outage would overflow: refused, naming the target.
        with pytest.raises(InvalidInput) as info:
            series.burn_rates(window, target)
        assert info.value.field == "target"
        return
    rates = series.burn_rates(window, target)
    assert len(rates) == len(series)
    for i, rate in enumerate(rates):
        exact = series.exact_burn_rate(window, target, i)
        if rate is None:
            assert exact is None
        else:
            assert math.isfinite(rate)
            assert exact is not None
            assert rate == float(exact)  # one rounding, from the exact value
    c = series.counts(Interval(series.start, series.end))
    b = ErrorBudget.from_counts(target, timedelta(days=30), good=c.good, total=c.total)
    for value in (b.consumed, b.remaining, b.bad_events, b.remaining_events):
        assert value is None or isinstance(value, Fraction)
    for duration in (b.spent_time, b.remaining_time):
        assert duration is None or isinstance(duration, timedelta)


@given(
    st.sampled_from(list(CalendarUnit)),
    zones(),
    st.integers(min_value=0, max_value=6),
    aware_datetimes(datetime(2001, 1, 1), datetime(2037, 1, 1)),
    st.one_of(st.none(), aware_datetimes(datetime(2001, 1, 1), datetime(2037, 1, 1))),
)
@settings(max_examples=100)
def test_calendar_bounds_partition_time(
    unit: CalendarUnit, tz: tzinfo, week_start: int, at: datetime, anchor: datetime | None
) -> None:
    if anchor is not None and unit is CalendarUnit.WEEK:
        week_start = anchor.astimezone(tz).weekday()
    w = CalendarWindow(unit, tz, week_start=week_start, anchor=anchor)
    span = w.bounds(at)
    assert at in span
    assert not span.empty
    # The next period starts where this one ends, and the previous one ends where it starts.
    after = w.bounds(span.end)
    before = w.bounds(span.start - timedelta(microseconds=1))
    assert after.start.astimezone(UTC) == span.end.astimezone(UTC)
    assert before.end.astimezone(UTC) == span.start.astimezone(UTC)
    assert w.bounds(span.start) == span
    # Periods are within an hour of their nominal calendar length.
    assert span.duration >= w.nominal_length - timedelta(hours=1)
    listed = list(w.periods(span.start, after.end))
    assert listed == [span, after]


@given(objectives(sli=st.just(Ratio())), count_series(min_size=1, max_size=120))
@settings(max_examples=60)
def test_budget_from_any_objective_is_exact_and_total(slo: Objective, series: CountSeries) -> None:
    b = slo.budget(series, series.end)
    assert b.allowed_fraction == 1 - slo.target
    if b.sli is not None:
        assert 0 <= b.sli <= 1
        assert b.consumed == (1 - b.sli) / (1 - slo.target)


@given(st.lists(st.integers(min_value=0, max_value=10**9), max_size=50))
def test_counter_deltas_are_never_negative_and_monotone_counters_telescope(
    samples: list[int],
) -> None:
    deltas = counter_deltas(samples)
    assert len(deltas) == max(len(samples) - 1, 0)
    assert all(d >= 0 for d in deltas)
    monotone = sorted(samples)
    if monotone:
        assert sum(counter_deltas(monotone)) == monotone[-1] - monotone[0]


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=20), st.integers(min_value=0, max_value=20)),
        min_size=1,
        max_size=90,
    ),
    st.sampled_from(["0.9", "0.95", "0.99"]),
    st.sampled_from([">", ">="]),
    st.integers(min_value=0, max_value=30),
)
@settings(max_examples=80)
def test_evaluator_agrees_with_recomputing_every_window_exactly(
    raw: list[tuple[int, int]], target: str, comparison: str, min_events: int
) -> None:
    buckets = [(min(g, t), t) for g, t in raw]
    minute = timedelta(minutes=1)
    start = datetime(2026, 3, 2, tzinfo=UTC)
    series = CountSeries(start, minute, good=[g for g, _ in buckets], total=[t for _, t in buckets])
    rules = [
        BurnRateRule(12 * minute, minute, 2, "critical", comparison=comparison),
        BurnRateRule(30 * minute, 5 * minute, 1, "warning", comparison=comparison),
    ]
    slo = Objective(target, RollingWindow(timedelta(days=1)))
    beta = 1 - to_target(target)

    def over(lo: int, hi: int, factor: int) -> bool:
        bad = sum(t - g for g, t in buckets[max(lo, 0) : hi])
        total = sum(t for _, t in buckets[max(lo, 0) : hi])
        if total == 0:
            return False
        ratio = Fraction(bad, total)
        return ratio > factor * beta if comparison == ">" else ratio >= factor * beta

    expected = []
    firing = {"critical": False, "warning": False}
    for i in range(len(buckets)):
        end = i + 1
        for rule in rules:
            sev = rule.severity.value
            long_n, short_n = rule.long // minute, rule.short // minute
            long_total = sum(t for _, t in buckets[max(end - long_n, 0) : end])
            hot = (
                long_total >= min_events
                and over(end - long_n, end, int(rule.factor))
                and over(end - short_n, end, int(rule.factor))
            )
            if hot != firing[sev]:
                firing[sev] = hot
                action = "trigger" if hot else "resolve"
                expected.append((action, sev, start + end * minute))
    got = [
        (e.action.value, e.dedup_key.rsplit(":", 1)[1], e.timestamp)
        for e in evaluate(slo, rules, series, name="p", min_events=min_events)
    ]
    # Per severity the evaluator's order matches; across severities it resolves first.
    assert sorted(got, key=lambda x: (x[2], x[1])) == sorted(expected, key=lambda x: (x[2], x[1]))
    for sev in ("critical", "warning"):
        actions = [a for a, s, _ in got if s == sev]
        assert all(a != b for a, b in pairwise(actions))
        assert not actions or actions[0] == Action.TRIGGER.value


def test_objectives_draw_anchored_calendar_windows() -> None:
    # A coverage count: objectives() drew only natural calendar periods, so nothing
    # built on it met an anchored month that clamps or an anchor in a fold.
    anchored: list[CalendarWindow] = []

    @settings(max_examples=100, derandomize=True, database=None)
    @given(objectives())
    def count(slo: Objective) -> None:
        if isinstance(slo.window, CalendarWindow) and slo.window.anchor is not None:
            anchored.append(slo.window)

    count()
    assert len(anchored) >= 15, len(anchored)
    assert any(w.anchor is not None and w.anchor.day >= 29 for w in anchored)


@given(objectives(), aware_datetimes())
@settings(max_examples=60)
def test_any_drawn_calendar_window_partitions_time(slo: Objective, at: datetime) -> None:
    if not isinstance(slo.window, CalendarWindow):
        return
    span = slo.window.bounds(at)
    assert span.start.astimezone(UTC) <= at.astimezone(UTC) < span.end.astimezone(UTC)
    after = slo.window.bounds(span.end)
    assert after.start.astimezone(UTC) == span.end.astimezone(UTC)
