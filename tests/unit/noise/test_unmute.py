"""An alert muted when it fired pages once its last mute ends, if it is still firing.

Events v2 sources often send a trigger once.  If the only trigger arrived under a
silence, nothing would ever page for it again; Alertmanager notifies at the next flush
after the silence expires, and tocsin pages at the next tick or step.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tocsin.errors import InvalidInput
from tocsin.events import Event
from tocsin.noise import (
    Debounce,
    Inhibitor,
    InhibitRule,
    MaintenanceWindow,
    NoisePolicy,
    NoiseState,
    Outcome,
    ReasonKind,
    Silence,
    SilenceSet,
    SuppressionThreshold,
)
from tocsin.routing import Route, Router, RoutingTree

NINE = datetime(2026, 1, 5, 9, tzinfo=UTC)


def at(hours: int, minutes: int = 0) -> datetime:
    return datetime(2026, 1, 5, hours, minutes, tzinfo=UTC)


def fire(key: str = "x", **labels: str) -> Event:
    return Event(
        action="trigger",
        dedup_key=key,
        summary=key,
        source="host",
        severity="error",
        custom_details={"labels": labels or {"alertname": "X"}},
    )


def resolve(key: str = "x") -> Event:
    return Event(action="resolve", dedup_key=key)


S1 = Silence("s1", ['alertname="X"'], at(9), at(10), created_by="ana")
SILENCED = NoisePolicy(silences=SilenceSet([S1]))


def test_an_alert_silenced_when_it_fired_pages_when_the_silence_ends() -> None:
    # The auditor's case: one trigger at 09:05 under a 09:00-10:00 silence, never resolved.
    replay = SILENCED.replay([(at(9, 5), fire())], until=at(19, 5))
    muted, paged = replay.verdicts
    assert (muted.outcome, muted.at) == (Outcome.SUPPRESSED, at(9, 5))
    assert (paged.outcome, paged.at, paged.incident) == (Outcome.PAGED, at(10), "I1")
    assert paged.event is muted.event
    assert replay.incidents == 1
    assert paged.explain().splitlines() == [
        "trigger 'x': paged (I1)",
        (
            '  - unmuted: no longer muted by silence s1 {alertname="X"} from '
            "2026-01-05T09:00:00+00:00 to 2026-01-05T10:00:00+00:00 by ana"
        ),
        "  - new_incident: opened incident I1",
    ]
    assert (paged.reasons[0].kind, paged.reasons[0].ref) == (ReasonKind.UNMUTED, "s1")


def test_tick_after_the_silence_pages_the_still_firing_alert() -> None:
    state, (muted,) = SILENCED.step(NoiseState(), fire(), at(9, 5))
    assert muted.outcome is Outcome.SUPPRESSED
    state, early = SILENCED.tick(state, at(9, 59))
    assert early == ()
    state, (paged,) = SILENCED.tick(state, at(19, 5))
    assert (paged.outcome, paged.at, paged.incident) == (Outcome.PAGED, at(19, 5), "I1")
    state, again = SILENCED.tick(state, at(20))
    assert again == ()
    assert len(state.incidents) == 1


def test_a_step_after_the_silence_pages_it_before_the_new_event() -> None:
    state, _ = SILENCED.step(NoiseState(), fire(), at(9, 5))
    state, verdicts = SILENCED.step(state, fire("y", alertname="Y"), at(10, 30))
    # Paged as of 10:00, the instant the silence ended, as replay() pages it.
    assert [(v.event.dedup_key, v.outcome, v.at, v.incident) for v in verdicts] == [
        ("x", Outcome.PAGED, at(10), "I1"),
        ("y", Outcome.PAGED, at(10, 30), "I2"),
    ]


def test_an_alert_resolved_under_its_silence_never_pages() -> None:
    replay = SILENCED.replay([(at(9, 5), fire()), (at(9, 30), resolve())], until=at(19))
    assert [v.outcome for v in replay.verdicts] == [Outcome.SUPPRESSED, Outcome.SUPPRESSED]
    assert replay.incidents == 0
    _, verdicts = SILENCED.tick(replay.state, at(20))
    assert verdicts == ()


def test_a_resolve_at_the_instant_the_silence_ends_comes_first() -> None:
    # 10:00 is the silence's (exclusive) end and the resolve's time: events at an
    # instant are taken before the mutes that end at it, so nothing pages.
    replay = SILENCED.replay(
        [(at(9, 5), fire()), (at(10), resolve()), (at(10), fire("y", alertname="Y"))],
        until=at(11),
    )
    assert [(v.event.dedup_key, v.outcome) for v in replay.verdicts] == [
        ("x", Outcome.SUPPRESSED),
        ("x", Outcome.SUPPRESSED),
        ("y", Outcome.PAGED),
    ]


def test_a_retrigger_after_the_silence_pages_as_before() -> None:
    replay = SILENCED.replay([(at(9, 5), fire()), (at(10), fire())], until=at(11))
    assert [(v.outcome, v.at) for v in replay.verdicts] == [
        (Outcome.SUPPRESSED, at(9, 5)),
        (Outcome.PAGED, at(10)),
    ]
    assert ReasonKind.UNMUTED not in {r.kind for r in replay.verdicts[1].reasons}


def test_the_last_of_several_silences_decides() -> None:
    # s1 09:00-10:00 mutes it at 09:05; at 10:00 s2 (09:30-11:00) and s3 (09:45-12:00)
    # have taken over, and it pages when the later of them ends.
    s2 = Silence("s2", ['alertname="X"'], at(9, 30), at(11))
    s3 = Silence("s3", ['alertname=~"X|Y"'], at(9, 45), at(12))
    policy = NoisePolicy(silences=SilenceSet([S1, s2, s3]))
    replay = policy.replay([(at(9, 5), fire())], until=at(13))
    muted, paged = replay.verdicts
    assert [r.ref for r in muted.reasons] == ["s1"]
    assert paged.at == at(12)
    assert [(r.kind, r.ref) for r in paged.reasons] == [
        (ReasonKind.UNMUTED, "s2"),
        (ReasonKind.UNMUTED, "s3"),
        (ReasonKind.NEW_INCIDENT, "I1"),
    ]


def test_an_inhibited_alert_pages_when_its_source_resolves() -> None:
    rule = InhibitRule(['severity="critical"'], ['severity="warning"'], name="crit mutes warn")
    policy = NoisePolicy(inhibitor=Inhibitor([rule]))
    replay = policy.replay(
        [
            (at(9), fire("crit", severity="critical")),
            (at(9, 1), fire("warn", severity="warning")),
            (at(9, 5), resolve("crit")),
            (at(9, 6), fire("other", severity="info")),
        ]
    )
    assert [(v.event.dedup_key, v.outcome, v.at) for v in replay.verdicts] == [
        ("crit", Outcome.PAGED, at(9)),
        ("warn", Outcome.SUPPRESSED, at(9, 1)),
        ("crit", Outcome.UPDATED, at(9, 5)),
        ("warn", Outcome.PAGED, at(9, 5)),
        ("other", Outcome.PAGED, at(9, 6)),
    ]
    released = replay.verdicts[3]
    assert released.reasons[0].kind is ReasonKind.UNMUTED
    assert released.reasons[0].ref == "crit mutes warn"
    assert released.reasons[0].detail.startswith("no longer inhibited by crit")


def test_an_alert_both_silenced_and_inhibited_waits_for_both() -> None:
    rule = InhibitRule(['severity="critical"'], ['severity="warning"'], name="crit mutes warn")
    silence = Silence("s", ['severity="warning"'], at(9), at(10))
    policy = NoisePolicy(silences=SilenceSet([silence]), inhibitor=Inhibitor([rule]))
    stream = [
        (at(9), fire("crit", severity="critical")),
        (at(9, 1), fire("warn", severity="warning")),
        (at(10, 30), resolve("crit")),
    ]
    replay = policy.replay(stream, until=at(11))
    paged = [(v.event.dedup_key, v.at) for v in replay.verdicts if v.pages]
    assert paged == [("crit", at(9)), ("warn", at(10, 30))]
    # The silence alone ending (10:00) is not enough while the critical still fires.
    before = policy.replay(stream[:2], until=at(10, 15))
    assert [v.event.dedup_key for v in before.verdicts if v.pages] == ["crit"]


def test_case_36_an_alert_from_a_maintenance_window_pages_when_it_ends() -> None:
    # Maintenance 10:00-11:00 on db; a trigger at 10:30 that never resolves.
    # PagerDuty (case 21, page_when_unmuted=False): no incident, nothing replayed.
    # GoAlert (case 36, tocsin's default): it pages once maintenance ends, if still open.
    window = MaintenanceWindow("mw1", ["db"], at(10), at(11), description="upgrade")
    router = Router(tree=RoutingTree(Route(service="db")))
    silences = SilenceSet(maintenance=[window])
    stream = [(at(10, 30), fire())]
    pagerduty = NoisePolicy(router=router, silences=silences, page_when_unmuted=False)
    lost = pagerduty.replay(stream, until=at(11, 5))
    assert [v.outcome for v in lost.verdicts] == [Outcome.SUPPRESSED]
    assert lost.incidents == 0
    tocsin = NoisePolicy(router=router, silences=silences)
    kept = tocsin.replay(stream, until=at(11, 5))
    assert [(v.outcome, v.at, v.service) for v in kept.verdicts] == [
        (Outcome.SUPPRESSED, at(10, 30), "db"),
        (Outcome.PAGED, at(11), "db"),
    ]
    assert kept.verdicts[1].reasons[0].ref == "mw1"
    assert "upgrade" in kept.verdicts[1].reasons[0].detail


def test_page_when_unmuted_off_keeps_the_old_rule_for_silences_too() -> None:
    policy = NoisePolicy(silences=SilenceSet([S1]), page_when_unmuted=False)
    replay = policy.replay([(at(9, 5), fire())], until=at(19))
    assert [v.outcome for v in replay.verdicts] == [Outcome.SUPPRESSED]
    _, verdicts = policy.tick(replay.state, at(20))
    assert verdicts == ()


def test_a_threshold_reached_while_muted_counts_when_the_mute_ends() -> None:
    # Three occurrences within 5 minutes, all under the silence: the threshold was
    # reached at 09:07 and the alert pages at 10:00; two occurrences never reach it.
    rule = SuppressionThreshold(3, timedelta(minutes=5))
    policy = NoisePolicy(silences=SilenceSet([S1]), thresholds=rule)
    three = policy.replay([(at(9, m), fire()) for m in (5, 6, 7)], until=at(11))
    assert [(v.outcome, v.at) for v in three.verdicts if v.pages] == [(Outcome.PAGED, at(10))]
    two = policy.replay([(at(9, m), fire()) for m in (5, 6)], until=at(11))
    assert two.pages == 0
    assert two.verdicts[-1].at == at(10)
    assert [r.kind for r in two.verdicts[-1].reasons] == [
        ReasonKind.UNMUTED,
        ReasonKind.THRESHOLD,
    ]


def test_a_debounce_shorter_than_the_mute_does_not_hold_it_again() -> None:
    policy = NoisePolicy(silences=SilenceSet([S1]), debounce=Debounce(timedelta(minutes=30)))
    replay = policy.replay([(at(9, 50), fire())], until=at(11))
    assert [(v.outcome, v.at) for v in replay.verdicts] == [
        (Outcome.SUPPRESSED, at(9, 50)),
        (Outcome.HELD, at(10)),
        (Outcome.PAGED, at(10, 20)),
    ]


def test_page_when_unmuted_must_be_a_bool() -> None:
    with pytest.raises(InvalidInput) as info:
        NoisePolicy(page_when_unmuted="no")
    assert info.value.field == "page_when_unmuted"


def test_expiring_a_silence_early_pages_at_the_next_tick() -> None:
    # Silences change while alerts fire (amtool silence expire).  A policy given the
    # silence's new, earlier end (or no silence at all) used to keep the alert quiet
    # until the end recorded when it was muted, hours later.
    state, (muted,) = SILENCED.step(NoiseState(), fire(), at(9, 5))
    assert muted.outcome is Outcome.SUPPRESSED
    ended = Silence("s1", ['alertname="X"'], at(9), at(9, 20), created_by="ana")
    shortened = NoisePolicy(silences=SilenceSet([ended]))
    quiet, early = shortened.tick(state, at(9, 15))
    assert early == ()  # the shortened silence still holds at 09:15
    _, (paged,) = shortened.tick(quiet, at(9, 25))
    assert (paged.outcome, paged.at, paged.incident) == (Outcome.PAGED, at(9, 25), "I1")
    assert paged.reasons[0].kind is ReasonKind.UNMUTED
    _, (removed,) = NoisePolicy().tick(state, at(9, 15))
    assert (removed.outcome, removed.at) == (Outcome.PAGED, at(9, 15))


def test_a_step_under_a_policy_without_the_silence_pages_the_muted_alert_first() -> None:
    state, _ = SILENCED.step(NoiseState(), fire(), at(9, 5))
    ended = Silence("s1", ['alertname="X"'], at(9), at(9, 20), created_by="ana")
    shortened = NoisePolicy(silences=SilenceSet([ended]))
    _, verdicts = shortened.step(state, fire("y", alertname="Y"), at(9, 30))
    # Judged under the policy it is given: muted until 09:20, paged as of then.
    assert [(v.event.dedup_key, v.outcome, v.at) for v in verdicts] == [
        ("x", Outcome.PAGED, at(9, 20)),
        ("y", Outcome.PAGED, at(9, 30)),
    ]


def test_removing_an_inhibit_rule_pages_the_alert_it_muted() -> None:
    rule = InhibitRule(['severity="critical"'], ['severity="warning"'], ("cluster",))
    inhibiting = NoisePolicy(inhibitor=Inhibitor((rule,)))
    source = fire("s", severity="critical", cluster="c1")
    target = fire("t", severity="warning", cluster="c1")
    state, _ = inhibiting.step(NoiseState(), source, at(9))
    state, (muted,) = inhibiting.step(state, target, at(9, 1))
    assert muted.outcome is Outcome.SUPPRESSED
    _, (paged,) = NoisePolicy().tick(state, at(9, 10))
    assert (paged.event.dedup_key, paged.outcome, paged.at) == ("t", Outcome.PAGED, at(9, 10))
