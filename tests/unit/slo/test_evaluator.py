from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tocsin.errors import InvalidInput
from tocsin.events import Action, Event, Severity
from tocsin.slo import (
    BurnRateEvaluator,
    BurnRateRule,
    CountSeries,
    Objective,
    RollingWindow,
    TimeSlices,
    evaluate,
    sre_workbook,
)

MINUTE = timedelta(minutes=1)
T0 = datetime(2026, 3, 2, tzinfo=UTC)
SLO = Objective("99.9%", RollingWindow(timedelta(days=30)))


def run(
    evaluator: BurnRateEvaluator, buckets: list[tuple[int, int]], start: datetime = T0
) -> list[Event]:
    events: list[Event] = []
    for i, (good, total) in enumerate(buckets):
        events.extend(evaluator.observe(start + i * MINUTE, good, total))
    return events


def summary(events: list[Event]) -> list[tuple[str, str, datetime | None]]:
    return [(e.action.value, e.dedup_key, e.timestamp) for e in events]


def test_outage_pages_after_one_minute_and_resolves_when_the_30m_window_clears() -> None:
    # 6 h clean at 1000 requests a minute, a 10-minute total outage, then clean.
    # 1h/5m at 14.4: 1000 bad of 60,000 in the hour is 1/60 > 0.0144 after minute 1.
    # The 6h/30m pair (factor 6) keeps the page open until the outage leaves its
    # 30-minute short window, 40 minutes after the outage began.
    ev = BurnRateEvaluator(SLO, sre_workbook()[:2], name="checkout")
    clean, down = (1000, 1000), (0, 1000)
    events = run(ev, [clean] * 360 + [down] * 10 + [clean] * 120)
    outage = T0 + 360 * MINUTE
    key = "slo:checkout:burn-rate:critical"
    assert summary(events) == [
        ("trigger", key, outage + MINUTE),
        ("resolve", key, outage + 40 * MINUTE),
    ]
    trigger = events[0]
    assert trigger.severity is Severity.CRITICAL
    assert trigger.source == "checkout"
    assert trigger.labels == {
        "slo": "checkout",
        "severity": "critical",
        "long": "1h",
        "short": "5m",
    }
    assert trigger.custom_details["burn_rate_long"] == "50/3"  # 1000/60000 over 1/1000
    assert trigger.custom_details["burn_rate_short"] == "200"
    assert ev.firing == {}


def test_same_severity_rules_share_one_alert() -> None:
    ev = BurnRateEvaluator(SLO, sre_workbook()[:2], name="api")
    events = run(ev, [(1000, 1000)] * 360 + [(0, 1000)] * 30)
    assert [e.action for e in events] == [Action.TRIGGER]
    assert ev.firing[Severity.CRITICAL] == sre_workbook()[0]


def equal_threshold_rule(comparison: str) -> BurnRateRule:
    # 9 bad of 625 is exactly 0.0144 = 14.4 x 0.001.
    return BurnRateRule(10 * MINUTE, 5 * MINUTE, "14.4", "critical", comparison=comparison)


def test_burn_rate_equal_to_the_factor_does_not_fire_with_the_default_comparison() -> None:
    ev = BurnRateEvaluator(SLO, [equal_threshold_rule(">")], name="eq")
    assert run(ev, [(616, 625)] * 30) == []


def test_burn_rate_equal_to_the_factor_fires_with_ge() -> None:
    ev = BurnRateEvaluator(SLO, [equal_threshold_rule(">=")], name="eq")
    events = run(ev, [(616, 625)] * 30)
    assert summary(events) == [("trigger", "slo:eq:burn-rate:critical", T0 + MINUTE)]


def test_min_events_gate_keeps_a_quiet_service_from_paging() -> None:
    # One request every 6 minutes, all failing: 100 % errors, 10 requests an hour.
    buckets = [(0, 1) if i % 6 == 0 else (0, 0) for i in range(120)]
    rule = sre_workbook()[:1]
    gated = BurnRateEvaluator(SLO, rule, name="quiet", min_events=11)
    assert run(gated, buckets) == []
    open_gate = BurnRateEvaluator(SLO, rule, name="quiet", min_events=10)
    fired = run(open_gate, buckets)
    # The hour holds its 10th request in the bucket starting at minute 54.
    assert summary(fired)[0] == ("trigger", "slo:quiet:burn-rate:critical", T0 + 55 * MINUTE)
    ungated = BurnRateEvaluator(SLO, rule, name="quiet")
    assert summary(run(ungated, buckets))[0][2] == T0 + MINUTE


def test_windows_without_traffic_never_fire() -> None:
    ev = BurnRateEvaluator(SLO, sre_workbook(), name="idle")
    assert run(ev, [(0, 0)] * 120) == []


def test_for_delays_the_page_until_the_condition_held_that_long() -> None:
    rule = BurnRateRule(timedelta(hours=1), 5 * MINUTE, "14.4", "critical", for_=2 * MINUTE)
    ev = BurnRateEvaluator(SLO, [rule], name="slow")
    events = run(ev, [(1000, 1000)] * 60 + [(0, 1000)] * 10)
    assert summary(events) == [("trigger", "slo:slow:burn-rate:critical", T0 + 63 * MINUTE)]


def test_missing_buckets_are_no_traffic_and_resolve_on_time() -> None:
    ev = BurnRateEvaluator(SLO, sre_workbook()[:1], name="gap")
    events = run(ev, [(1000, 1000)] * 60 + [(0, 1000)] * 3)
    assert [e.action for e in events] == [Action.TRIGGER]
    # Nothing reported for two hours: the short window empties 5 minutes after the
    # last outage bucket ended.
    later = ev.observe(T0 + 183 * MINUTE, 1000, 1000)
    assert summary(list(later)) == [("resolve", "slo:gap:burn-rate:critical", T0 + 68 * MINUTE)]


def test_buckets_must_arrive_in_order_and_aligned() -> None:
    ev = BurnRateEvaluator(SLO, sre_workbook()[:1], name="order")
    ev.observe(T0, 1, 1)
    with pytest.raises(InvalidInput) as info:
        ev.observe(T0, 1, 1)
    assert info.value.field == "start"
    with pytest.raises(InvalidInput):
        ev.observe(T0 + timedelta(seconds=90), 1, 1)


def test_evaluator_validates_its_rules_against_the_objective() -> None:
    too_hot = BurnRateRule(timedelta(hours=1), 5 * MINUTE, 1001, "critical")
    with pytest.raises(InvalidInput) as info:
        BurnRateEvaluator(SLO, [too_hot], name="x")
    assert info.value.field == "rules[0].factor"
    too_long = BurnRateRule(timedelta(days=31), timedelta(days=1), 1, "warning")
    with pytest.raises(InvalidInput) as info:
        BurnRateEvaluator(SLO, [too_long], name="x")
    assert info.value.field == "rules[0].long"
    odd = BurnRateRule(timedelta(seconds=90), timedelta(seconds=30), 2, "warning")
    with pytest.raises(InvalidInput) as info:
        BurnRateEvaluator(SLO, [odd], name="x")
    assert info.value.field == "rules[0].long"


def test_evaluator_refuses_time_slice_objectives_and_empty_names() -> None:
    sliced = Objective("99%", RollingWindow(timedelta(days=30)), TimeSlices(MINUTE, "99%"))
    with pytest.raises(InvalidInput) as info:
        BurnRateEvaluator(sliced, sre_workbook(), name="x")
    assert info.value.field == "objective.sli"
    with pytest.raises(InvalidInput) as info:
        BurnRateEvaluator(SLO, sre_workbook(), name="")
    assert info.value.field == "name"
    with pytest.raises(InvalidInput) as info:
        BurnRateEvaluator(SLO, [], name="x")
    assert info.value.field == "rules"
    with pytest.raises(InvalidInput) as info:
        BurnRateEvaluator(SLO, sre_workbook(), name="x", min_events=-1)
    assert info.value.field == "min_events"


def test_evaluate_over_a_series_matches_feeding_buckets_one_by_one() -> None:
    buckets = [(1000, 1000)] * 360 + [(0, 1000)] * 10 + [(1000, 1000)] * 60
    series = CountSeries(T0, MINUTE, good=[g for g, _ in buckets], total=[t for _, t in buckets])
    streamed = run(BurnRateEvaluator(SLO, sre_workbook(), name="s", routing_key="R1"), buckets)
    batch = list(evaluate(SLO, sre_workbook(), series, name="s", routing_key="R1"))
    assert batch == streamed
    assert {e.routing_key for e in batch} == {"R1"}
