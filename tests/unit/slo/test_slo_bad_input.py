"""Bad input to every public constructor and function of ``tocsin.slo``.

Each case must raise a typed tocsin error (``InvalidInput`` or a subclass) naming the
field, at the call that received the bad value: never an ``AttributeError`` or
``TypeError`` from deep inside, and never an evaluator that accepts a value it can
only reject when its first alert fires.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from tocsin.errors import InvalidInput
from tocsin.slo import (
    BurnRateEvaluator,
    BurnRateRule,
    CalendarWindow,
    Counts,
    CountSeries,
    ErrorBudget,
    Measurement,
    NoData,
    Objective,
    Ratio,
    RatioTimeSlices,
    RollingWindow,
    Threshold,
    TimeSlices,
    budget_consumed,
    burn_rate,
    counter_deltas,
    counter_increase,
    datadog,
    detection_time,
    evaluate,
    format_duration,
    max_burn_rate,
    pyrra,
    ratio,
    reset_time,
    rules_from_budget,
    sloth,
    sre_workbook,
    time_to_exhaustion,
    validate_rules,
)
from tocsin.time import Interval

if TYPE_CHECKING:
    from collections.abc import Callable

T0 = datetime(2026, 3, 2, tzinfo=UTC)
NAIVE = datetime(2026, 3, 2)  # naive on purpose
M = timedelta(minutes=1)
MONTH = RollingWindow(timedelta(days=30))
SLO = Objective("99%", MONTH)
CAL = Objective("99%", CalendarWindow("month", "UTC"))
SERIES = CountSeries(T0, M, good=[1, 2], total=[2, 2])
SPAN = Interval(T0, T0 + 2 * M)
RULE = BurnRateRule(timedelta(hours=1), 5 * M, 14, "critical")
P = timedelta(days=30)
SHARE = ("2%", timedelta(hours=1), "critical")
A_BOOL: Any = True  # where a whole number belongs


def bad(value: object) -> Any:
    """``value``, typed so the checker lets a wrong type through to the call."""
    return value


def evaluator(**kwargs: object) -> BurnRateEvaluator:
    return BurnRateEvaluator(SLO, [RULE], **{"name": "checkout", **kwargs})  # type: ignore[arg-type]


CASES: list[tuple[str, Callable[[], object], str]] = [
    # objectives, windows and SLIs
    ("Objective.measure series", lambda: SLO.measure(bad(5), SPAN), "series"),
    ("Objective.measure span", lambda: SLO.measure(SERIES, bad(5)), "span"),
    ("Objective.budget series", lambda: SLO.budget(bad(5), T0), "series"),
    ("Objective.budget at", lambda: SLO.budget(SERIES, bad(5)), "at"),
    ("Objective.budget_over series", lambda: SLO.budget_over(bad(5), SPAN), "series"),
    ("Objective.period_length at", lambda: CAL.period_length(bad(5)), "at"),
    ("Objective.allowed_time naive", lambda: CAL.allowed_time(NAIVE), "at"),
    ("RollingWindow.bounds", lambda: MONTH.bounds(bad(5)), "at"),
    ("CalendarWindow anchor", lambda: CalendarWindow("day", "UTC", anchor=bad(5)), "anchor"),
    (
        "CalendarWindow week_start",
        lambda: CalendarWindow("week", "UTC", week_start=True),
        "week_start",
    ),
    (
        "CalendarWindow.periods start",
        lambda: list(CalendarWindow("day", "UTC").periods(bad(5), T0)),
        "start",
    ),
    (
        "CalendarWindow.periods naive end",
        lambda: list(CalendarWindow("day", "UTC").periods(T0, NAIVE)),
        "end",
    ),
    ("Ratio.measure window", lambda: Ratio().measure(bad(5), no_data=NoData.SKIP), "window"),
    ("Ratio.measure no_data", lambda: Ratio().measure(Counts(1, 1), no_data="maybe"), "no_data"),
    (
        "Threshold.measure window",
        lambda: Threshold(0.3).measure(bad(5), no_data=NoData.SKIP),
        "window",
    ),
    ("Threshold.counts not a list", lambda: Threshold(0.3).counts(bad(5)), "values"),
    ("Threshold.counts a string", lambda: Threshold(0.3).counts(bad("0.1")), "values"),
    (
        "Threshold.from_histogram not a mapping",
        lambda: Threshold(0.3).from_histogram(bad(5)),
        "buckets",
    ),
    (
        "Threshold.from_histogram text bound",
        lambda: Threshold(0.3).from_histogram(bad({"0.3": 5})),
        "buckets['0.3']",
    ),
    (
        "Threshold.from_histogram count",
        lambda: Threshold(0.3).from_histogram({0.3: 5}, count=-1),
        "count",
    ),
    (
        "TimeSlices.measure not a list",
        lambda: TimeSlices(M, "99%").measure(bad(5), no_data=NoData.SKIP),
        "slices",
    ),
    (
        "TimeSlices.measure item",
        lambda: TimeSlices(M, "99%").measure(bad([5]), no_data=NoData.SKIP),
        "slices[0]",
    ),
    (
        "TimeSlices.measure no_data",
        lambda: TimeSlices(M, "99%").measure([Counts(0, 0)], no_data="nope"),
        "no_data",
    ),
    (
        "RatioTimeSlices.measure item",
        lambda: RatioTimeSlices(M).measure(bad([5]), no_data=NoData.SKIP),
        "slices[0]",
    ),
    ("Counts bool", lambda: Counts(A_BOOL, 1), "good"),
    ("Counts.ratio no_data", lambda: Counts(0, 0).ratio(no_data="maybe"), "no_data"),
    ("Measurement sli above 1", lambda: Measurement(bad(2), 1), "sli"),
    ("Measurement negative units", lambda: Measurement(None, -1), "units"),
    ("ratio negative", lambda: ratio(-1, 1), "good"),
    ("ratio good_over_total", lambda: ratio(2, 1, good_over_total="ignore"), "good_over_total"),
    ("counter_deltas not a list", lambda: counter_deltas(bad(5)), "samples"),
    ("counter_deltas a string", lambda: counter_deltas("123"), "samples"),
    ("counter_deltas fraction", lambda: counter_deltas([1.5]), "samples[0]"),
    ("counter_increase None", lambda: counter_increase(bad(None)), "samples"),
    # series
    ("CountSeries good not a list", lambda: CountSeries(T0, M, good=bad(5), total=[1]), "good"),
    ("CountSeries good a string", lambda: CountSeries(T0, M, good=bad("1"), total=[1]), "good"),
    (
        "CountSeries good_over_total",
        lambda: CountSeries(T0, M, good=[1], total=[1], good_over_total="x"),
        "good_over_total",
    ),
    ("CountSeries.from_counts", lambda: CountSeries.from_counts(T0, M, bad(5)), "counts"),
    ("CountSeries.bucket text", lambda: SERIES.bucket(bad("0")), "i"),
    ("CountSeries.bucket bool", lambda: SERIES.bucket(A_BOOL), "i"),
    ("CountSeries.counts span", lambda: SERIES.counts(bad((T0, T0 + M))), "span"),
    ("CountSeries.slices span", lambda: list(SERIES.slices(bad(5), M)), "span"),
    ("CountSeries.slices size", lambda: list(SERIES.slices(SPAN, timedelta(0))), "size"),
    ("CountSeries.buckets_in", lambda: SERIES.buckets_in(bad(5)), "window"),
    ("CountSeries.burn_rates target", lambda: SERIES.burn_rates(M, "abc"), "target"),
    (
        "CountSeries.exact_burn_rate float i",
        lambda: SERIES.exact_burn_rate(M, "99%", bad(1.0)),
        "i",
    ),
    # budgets
    ("ErrorBudget target", lambda: ErrorBudget(target=1, period=M, sli=1), "target"),
    ("ErrorBudget sli", lambda: ErrorBudget(target="99%", period=M, sli="abc"), "sli"),
    ("ErrorBudget units", lambda: ErrorBudget(target="99%", period=M, sli=1, units=True), "units"),
    (
        "ErrorBudget.from_counts no_data",
        lambda: ErrorBudget.from_counts("99%", M, good=0, total=0, no_data="x"),
        "no_data",
    ),
    (
        "ErrorBudget.time_to_exhaustion",
        lambda: ErrorBudget(target="99%", period=M, sli=1).time_to_exhaustion("x"),
        "burn_rate",
    ),
    ("burn_rate target", lambda: burn_rate(1, 1, "x"), "target"),
    ("burn_rate no_data", lambda: burn_rate(0, 0, "99%", no_data="x"), "no_data"),
    ("max_burn_rate", lambda: max_burn_rate(None), "target"),
    ("time_to_exhaustion period", lambda: time_to_exhaustion(bad(5), 1), "period"),
    ("time_to_exhaustion remaining", lambda: time_to_exhaustion(M, 1, remaining="x"), "remaining"),
    ("budget_consumed burn_rate", lambda: budget_consumed("x", M, M), "burn_rate"),
    ("budget_consumed period", lambda: budget_consumed(1, M, timedelta(0)), "period"),
    # rules and presets
    ("BurnRateRule long", lambda: BurnRateRule(bad(5), M, 1, "critical"), "long"),
    ("BurnRateRule.threshold", lambda: RULE.threshold("x"), "target"),
    ("BurnRateRule.detection_time", lambda: RULE.detection_time("99%", -1), "error_ratio"),
    ("BurnRateRule.reset_time", lambda: RULE.reset_time(1), "target"),
    ("BurnRateRule.budget_at_detection", lambda: RULE.budget_at_detection(timedelta(0)), "period"),
    ("rules_from_budget not a list", lambda: rules_from_budget(P, bad(5)), "shares"),
    ("rules_from_budget a string", lambda: rules_from_budget(P, bad("2%")), "shares"),
    ("rules_from_budget list item", lambda: rules_from_budget(P, bad([list(SHARE)])), "shares[0]"),
    (
        "rules_from_budget short",
        lambda: rules_from_budget(P, [(*SHARE, bad(5))]),
        "shares[0].short",
    ),
    (
        "rules_from_budget long > period",
        lambda: rules_from_budget(timedelta(hours=1), [("2%", 2 * timedelta(hours=1), "critical")]),
        "shares[0].long",
    ),
    (
        "rules_from_budget comparison",
        lambda: rules_from_budget(P, [SHARE], comparison="<"),
        "shares[0].comparison",
    ),
    (
        "rules_from_budget short_divisor",
        lambda: rules_from_budget(P, [], short_divisor=True),
        "short_divisor",
    ),
    ("sre_workbook period", lambda: sre_workbook(bad(5)), "period"),
    ("sre_workbook period too short", lambda: sre_workbook(timedelta(days=1)), "period"),
    ("sloth period", lambda: sloth(bad(5)), "period"),
    ("pyrra period", lambda: pyrra(bad(5)), "period"),
    ("pyrra period too short", lambda: pyrra(timedelta(minutes=10)), "period"),
    ("datadog period", lambda: datadog(bad(5)), "period"),
    (
        "validate_rules not a list",
        lambda: validate_rules(bad(5), target="99%", window=MONTH),
        "rules",
    ),
    (
        "validate_rules window",
        lambda: validate_rules([RULE], target="99%", window=bad(5)),
        "window",
    ),
    ("validate_rules target", lambda: validate_rules([RULE], target=2, window=MONTH), "target"),
    ("detection_time window", lambda: detection_time(bad(5), 1, target="99%"), "window"),
    (
        "detection_time comparison",
        lambda: detection_time(M, 1, target="99%", comparison="<"),
        "comparison",
    ),
    ("reset_time factor", lambda: reset_time(M, 0, target="99%"), "factor"),
    # the evaluator
    (
        "BurnRateEvaluator objective",
        lambda: BurnRateEvaluator(bad(5), [RULE], name="x"),
        "objective",
    ),
    (
        "BurnRateEvaluator rules not a list",
        lambda: BurnRateEvaluator(SLO, bad(5), name="x"),
        "rules",
    ),
    (
        "BurnRateEvaluator rules item",
        lambda: BurnRateEvaluator(SLO, bad([5]), name="x"),
        "rules[0]",
    ),
    ("BurnRateEvaluator name", lambda: evaluator(name=5), "name"),
    ("BurnRateEvaluator name too long for a dedup key", lambda: evaluator(name="x" * 233), "name"),
    ("BurnRateEvaluator bucket", lambda: evaluator(bucket=timedelta(0)), "bucket"),
    ("BurnRateEvaluator min_events", lambda: evaluator(min_events=-1), "min_events"),
    ("BurnRateEvaluator routing_key int", lambda: evaluator(routing_key=5), "routing_key"),
    ("BurnRateEvaluator routing_key empty", lambda: evaluator(routing_key=""), "routing_key"),
    ("BurnRateEvaluator source int", lambda: evaluator(source=5), "source"),
    ("BurnRateEvaluator source empty", lambda: evaluator(source=""), "source"),
    ("BurnRateEvaluator.observe naive", lambda: evaluator().observe(NAIVE, 1, 1), "start"),
    ("BurnRateEvaluator.observe good > total", lambda: evaluator().observe(T0, 2, 1), "good"),
    ("evaluate series", lambda: evaluate(SLO, [RULE], bad(5), name="x"), "series"),
    (
        "evaluate routing_key",
        lambda: evaluate(SLO, [RULE], SERIES, name="x", routing_key=bad(5)),
        "routing_key",
    ),
    ("format_duration text", lambda: format_duration(bad("1h")), "value"),
]


@pytest.mark.parametrize(("call", "field"), [pytest.param(c, f, id=i) for i, c, f in CASES])
def test_bad_input_is_refused_naming_the_field(call: Callable[[], object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        call()
    assert info.value.field == field


def test_the_longest_slo_name_fits_the_dedup_key() -> None:
    name = "x" * 232
    (event,) = evaluator(name=name).observe(T0, 0, 10)
    assert event.dedup_key == f"slo:{name}:burn-rate:critical"
    assert len(event.dedup_key) == 255  # Events v2's limit
