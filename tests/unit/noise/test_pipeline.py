from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tocsin.errors import InvalidInput
from tocsin.events import Event
from tocsin.noise import (
    ChangeCount,
    ContentGrouping,
    Debounce,
    FlapAction,
    FlapPolicy,
    NoisePolicy,
    NoiseState,
    Outcome,
    PercentStateChange,
    ReasonKind,
    SuppressionThreshold,
)
from tocsin.routing import Route, Router, RoutingTree, Rule
from tocsin.services import Urgency

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def fire(key: str = "k", **labels: str) -> Event:
    return Event(
        action="trigger",
        dedup_key=key,
        summary=f"{key} broke",
        source="host",
        severity="error",
        custom_details={"labels": labels},
    )


def resolve(key: str = "k") -> Event:
    return Event(action="resolve", dedup_key=key)


def ack(key: str = "k") -> Event:
    return Event(action="acknowledge", dedup_key=key)


def outcomes(policy: NoisePolicy, stream: list[tuple[datetime, Event]]) -> list[Outcome]:
    return [v.outcome for v in policy.replay(stream).verdicts]


def test_case_1_duplicate_trigger_is_counted_not_paged() -> None:
    replay = NoisePolicy().replay([(at(0), fire()), (at(2), fire())])
    first, second = replay.verdicts
    assert (first.outcome, second.outcome) == (Outcome.PAGED, Outcome.DUPLICATE)
    assert second.incident == "I1"
    assert second.reasons[-1].kind is ReasonKind.DEDUP


def test_case_2_trigger_after_ack_stays_quiet() -> None:
    assert outcomes(NoisePolicy(), [(at(0), fire()), (at(1), ack()), (at(3), fire())]) == [
        Outcome.PAGED,
        Outcome.UPDATED,
        Outcome.DUPLICATE,
    ]


def test_cases_3_and_4_resolve_unknown_is_dropped_and_retrigger_opens_anew() -> None:
    replay = NoisePolicy().replay(
        [(at(0), resolve()), (at(1), fire()), (at(5), resolve()), (at(6), fire())]
    )
    assert [(v.outcome, v.incident) for v in replay.verdicts] == [
        (Outcome.DROPPED, None),
        (Outcome.PAGED, "I1"),
        (Outcome.UPDATED, "I1"),
        (Outcome.PAGED, "I2"),
    ]
    assert replay.verdicts[0].reasons[0].kind is ReasonKind.UNKNOWN_ALERT
    assert not replay.state.incidents["I1"].open


def test_case_19_threshold_three_in_five_minutes() -> None:
    policy = NoisePolicy(thresholds=SuppressionThreshold(3, timedelta(minutes=5)))
    replay = policy.replay([(at(0), fire()), (at(1), fire()), (at(2), fire())])
    assert [v.outcome for v in replay.verdicts] == [
        Outcome.SUPPRESSED,
        Outcome.SUPPRESSED,
        Outcome.PAGED,
    ]
    assert replay.verdicts[0].reasons[0].detail == "1 of 3 occurrences within 0:05:00"
    assert replay.verdicts[2].reasons[0].detail == "reached 3 occurrences within 0:05:00"


def test_threshold_window_forgets_old_occurrences() -> None:
    policy = NoisePolicy(thresholds=SuppressionThreshold(2, timedelta(minutes=5)))
    assert outcomes(policy, [(at(0), fire()), (at(6), fire()), (at(8), fire())]) == [
        Outcome.SUPPRESSED,
        Outcome.SUPPRESSED,
        Outcome.PAGED,
    ]


def test_threshold_applies_only_where_it_matches() -> None:
    policy = NoisePolicy(
        thresholds=SuppressionThreshold(5, timedelta(minutes=5), when=['env="dev"'])
    )
    assert outcomes(policy, [(at(0), fire("a", env="prod")), (at(0), fire("b", env="dev"))]) == [
        Outcome.PAGED,
        Outcome.SUPPRESSED,
    ]


def test_debounce_holds_then_pages_on_tick() -> None:
    policy = NoisePolicy(debounce=Debounce(timedelta(minutes=2)))
    replay = policy.replay([(at(0), fire())], until=at(5))
    held, paged = replay.verdicts
    assert held.outcome is Outcome.HELD
    assert held.held_until == at(2)
    assert (paged.outcome, paged.at) == (Outcome.PAGED, at(2))


def test_debounce_a_quick_resolve_never_pages() -> None:
    policy = NoisePolicy(debounce=Debounce(timedelta(minutes=2)))
    replay = policy.replay([(at(0), fire()), (at(1), resolve())], until=at(5))
    assert [v.outcome for v in replay.verdicts] == [Outcome.HELD, Outcome.SUPPRESSED]
    assert replay.verdicts[1].reasons[0].kind is ReasonKind.NEVER_PAGED
    assert replay.incidents == 0


def test_debounce_a_repeat_trigger_after_the_hold_pages_without_a_tick() -> None:
    policy = NoisePolicy(debounce=Debounce(timedelta(minutes=2)))
    state, (held,) = policy.step(NoiseState(), fire(), at(0))
    state, (paged, again) = policy.step(state, fire(), at(3))
    assert (held.outcome, paged.outcome, again.outcome) == (
        Outcome.HELD,
        Outcome.PAGED,
        Outcome.DUPLICATE,
    )
    assert paged.at == at(2)  # released when the hold ended, before the new trigger


def test_a_step_releases_a_debounce_hold_that_ended_before_its_event() -> None:
    # step() used to look only at mutes, so an alert that fired for ten minutes under
    # a two-minute debounce never paged when its resolve came in through step() with
    # no tick in between; replay() paged it at minute 2.
    policy = NoisePolicy(debounce=Debounce(timedelta(minutes=2)))
    state, (held,) = policy.step(NoiseState(), fire(), at(0))
    state, (paged, resolved) = policy.step(state, resolve(), at(10))
    assert held.outcome is Outcome.HELD
    assert (paged.outcome, paged.at, paged.incident) == (Outcome.PAGED, at(2), "I1")
    assert (resolved.outcome, resolved.incident) == (Outcome.UPDATED, "I1")
    replay = policy.replay([(at(0), fire()), (at(10), resolve())])
    assert [(v.outcome, v.at) for v in replay.verdicts] == [
        (held.outcome, held.at),
        (paged.outcome, paged.at),
        (resolved.outcome, resolved.at),
    ]


def flapping_stream() -> list[tuple[datetime, Event]]:
    return [(at(i), fire() if i % 2 == 0 else resolve()) for i in range(24)]


def test_flapping_hold_pages_once_then_holds() -> None:
    policy = NoisePolicy(flapping=FlapPolicy(PercentStateChange(), FlapAction.HOLD))
    replay = policy.replay(flapping_stream())
    pages = [v for v in replay.verdicts if v.pages]
    # Before 21 samples exist the alert pages on each firing; from then on it is held.
    assert len(pages) == 10
    held = [v for v in replay.verdicts if v.outcome is Outcome.HELD]
    assert [v.at for v in held] == [at(20), at(22)]
    assert held[0].flapping is not None
    assert held[0].flapping.measure == 99
    assert held[0].reasons[-1].kind is ReasonKind.FLAPPING


def test_flapping_lower_urgency_still_pages() -> None:
    policy = NoisePolicy(
        router=Router(tree=RoutingTree(Route(service="ops"))),
        flapping=FlapPolicy(ChangeCount(timedelta(minutes=30), 2), FlapAction.LOWER_URGENCY),
    )
    replay = policy.replay(flapping_stream()[:5])
    assert [(v.outcome, v.urgency) for v in replay.verdicts] == [
        (Outcome.PAGED, Urgency.HIGH),
        (Outcome.UPDATED, None),
        (Outcome.PAGED, Urgency.HIGH),
        (Outcome.UPDATED, None),
        (Outcome.PAGED, Urgency.LOW),  # 4 changes in the window > 2
    ]


def test_a_flapping_alert_released_by_a_debounce_keeps_its_lower_urgency() -> None:
    # The debounce's release used to skip the flap check, so a flapping alert that
    # the policy pages at low urgency paged at high urgency, unmarked.
    policy = NoisePolicy(
        router=Router(tree=RoutingTree(Route(service="ops"))),
        flapping=FlapPolicy(ChangeCount(timedelta(minutes=30), 2), FlapAction.LOWER_URGENCY),
        debounce=Debounce(timedelta(minutes=2)),
    )
    replay = policy.replay(flapping_stream()[:5], until=at(10))
    assert [v.outcome for v in replay.verdicts] == [
        Outcome.HELD,
        Outcome.SUPPRESSED,
        Outcome.HELD,
        Outcome.SUPPRESSED,
        Outcome.HELD,
        Outcome.PAGED,
    ]
    paged = replay.verdicts[-1]
    assert (paged.at, paged.urgency) == (at(6), Urgency.LOW)
    assert paged.flapping is not None
    assert paged.flapping.flapping
    assert paged.flapping.measure == 4  # changes at minutes 1, 2, 3 and 4


def test_a_change_count_hold_ends_when_the_changes_leave_the_window() -> None:
    # An alert that stops flapping while firing used to stay held for ever unless
    # another event for it arrived: a trigger sent once (Events v2) never paged.
    policy = NoisePolicy(
        flapping=FlapPolicy(ChangeCount(timedelta(minutes=30), 2), FlapAction.HOLD),
    )
    replay = policy.replay(flapping_stream()[:5], until=at(60))
    outcomes = [v.outcome for v in replay.verdicts]
    assert outcomes == [
        Outcome.PAGED,
        Outcome.UPDATED,
        Outcome.PAGED,
        Outcome.UPDATED,
        Outcome.HELD,
        Outcome.PAGED,
    ]
    # Changes at minutes 1, 2, 3 and 4; the window includes both ends, so two
    # changes remain until the one at minute 2 is more than 30 minutes old.
    released = at(32) + timedelta(microseconds=1)
    assert replay.verdicts[4].held_until == released
    paged = replay.verdicts[5]
    assert (paged.at, paged.incident) == (released, "I3")
    assert paged.flapping is not None
    assert not paged.flapping.flapping


def test_a_change_count_hold_is_renewed_while_the_alert_keeps_flapping() -> None:
    policy = NoisePolicy(
        flapping=FlapPolicy(ChangeCount(timedelta(minutes=30), 2), FlapAction.HOLD),
    )
    state = policy.replay(flapping_stream()[:5]).state
    state, released = policy.tick(state, at(20))
    assert released == ()  # not due yet: held until just after minute 32
    state, (resolved,) = policy.step(state, resolve(), at(21))
    assert resolved.outcome is Outcome.SUPPRESSED
    state, (held,) = policy.step(state, fire(), at(22))
    assert held.outcome is Outcome.HELD
    # Changes at 1, 2, 3, 4, 21 and 22: calm once the one at minute 4 has left.
    assert held.held_until == at(34) + timedelta(microseconds=1)


def test_a_percent_state_change_hold_waits_for_new_samples() -> None:
    # The weighted method counts samples, not time: without a new sample nothing
    # changes, so the hold has no end of its own (as in Nagios, whose checks keep
    # producing samples).
    policy = NoisePolicy(flapping=FlapPolicy(PercentStateChange(), FlapAction.HOLD))
    replay = policy.replay(flapping_stream()[:21], until=at(600))
    last = replay.verdicts[-1]
    assert (last.outcome, last.held_until) == (Outcome.HELD, None)


def test_flapping_annotate_only_marks() -> None:
    policy = NoisePolicy(flapping=FlapPolicy(ChangeCount(), FlapAction.ANNOTATE))
    last = policy.replay(flapping_stream()[:5]).verdicts[-1]
    assert last.outcome is Outcome.PAGED
    assert last.flapping is not None
    assert last.flapping.flapping


def test_resolving_a_grouped_incident_needs_every_alert() -> None:
    policy = NoisePolicy(grouping=ContentGrouping(("event.source",)))
    replay = policy.replay(
        [(at(0), fire("a")), (at(1), fire("b")), (at(2), resolve("a")), (at(3), resolve("b"))]
    )
    assert [v.outcome for v in replay.verdicts] == [
        Outcome.PAGED,
        Outcome.GROUPED,
        Outcome.UPDATED,
        Outcome.UPDATED,
    ]
    assert (
        replay.verdicts[2].reasons[-1].detail == "resolves its alert in incident I1; 1 still open"
    )
    assert replay.verdicts[3].reasons[-1].detail == "resolves incident I1"
    assert replay.state.incidents["I1"].resolved_at == at(3)


def test_router_rules_drop_and_suppress_reach_the_verdict() -> None:
    router = Router(
        tree=RoutingTree(Route(service="ops")),
        rules=(
            Rule("drop dev", when=['env="dev"'], drop=True),
            Rule("quiet canary", when=['group="canary"'], suppress=True),
        ),
    )
    replay = NoisePolicy(router=router).replay(
        [(at(0), fire("a", env="dev")), (at(0), fire("b", group="canary"))]
    )
    dropped, suppressed = replay.verdicts
    assert dropped.outcome is Outcome.DROPPED
    assert dropped.reasons[0].kind is ReasonKind.RULE_DROP
    assert suppressed.outcome is Outcome.SUPPRESSED
    assert suppressed.reasons[-1].ref == "quiet canary"
    assert suppressed.routing is not None


def test_an_event_routed_to_two_services_gets_two_verdicts() -> None:
    tree = RoutingTree(
        Route(
            service="ops",
            routes=(
                Route('team="db"', service="db", continue_=True),
                Route('env="prod"', service="prod"),
            ),
        )
    )
    replay = NoisePolicy(router=Router(tree=tree)).replay(
        [(at(0), fire(team="db", env="prod")), (at(1), resolve())]
    )
    assert [(v.service, v.outcome, v.incident) for v in replay.verdicts] == [
        ("db", Outcome.PAGED, "I1"),
        ("prod", Outcome.PAGED, "I2"),
        ("db", Outcome.UPDATED, "I1"),
        ("prod", Outcome.UPDATED, "I2"),
    ]


def test_ack_of_a_never_paged_alert_is_kept() -> None:
    policy = NoisePolicy(thresholds=SuppressionThreshold(2, timedelta(minutes=5)))
    assert outcomes(policy, [(at(0), fire()), (at(1), ack())]) == [
        Outcome.SUPPRESSED,
        Outcome.SUPPRESSED,
    ]


def test_time_must_not_go_backwards() -> None:
    policy = NoisePolicy()
    state, _ = policy.step(NoiseState(), fire(), at(5))
    with pytest.raises(InvalidInput) as info:
        policy.step(state, fire(), at(4))
    assert info.value.field == "now"
    with pytest.raises(InvalidInput) as info:
        policy.replay([(at(5), fire()), (at(4), fire())])
    assert info.value.field == "stream[1].now"


def test_every_verdict_explains_itself() -> None:
    replay = NoisePolicy().replay([(at(0), fire()), (at(1), fire())])
    assert replay.verdicts[1].explain().splitlines() == [
        "trigger 'k': duplicate (I1)",
        "  - dedup: already open in incident I1: counted, not paged again",
    ]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"router": "x"}, "router"),
        ({"grouping": 5}, "grouping"),
        ({"silences": None}, "silences"),
        ({"thresholds": ["x"]}, "thresholds[0]"),
        ({"debounce": 3}, "debounce"),
        ({"flapping": True}, "flapping"),
    ],
)
def test_bad_policies_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        NoisePolicy(**kwargs)
    assert info.value.field == field


def test_suppression_rule_validation() -> None:
    with pytest.raises(InvalidInput) as info:
        SuppressionThreshold(0, timedelta(minutes=1))
    assert info.value.field == "count"
    with pytest.raises(InvalidInput) as info:
        SuppressionThreshold(1, timedelta(0))
    assert info.value.field == "window"
    with pytest.raises(InvalidInput) as info:
        Debounce(timedelta(seconds=-1))
    assert info.value.field == "min_duration"
    with pytest.raises(InvalidInput) as info:
        FlapPolicy(action="ignore")
    assert info.value.field == "action"
