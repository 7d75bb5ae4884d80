from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tocsin.errors import InvalidInput, NaiveDatetimeError
from tocsin.events import Event
from tocsin.noise import MaintenanceWindow, NoisePolicy, Outcome, ReasonKind, Silence, SilenceSet
from tocsin.routing import Route, Router, RoutingTree

T0 = datetime(2026, 1, 5, 10, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def fire(key: str, **labels: str) -> Event:
    return Event(
        action="trigger",
        dedup_key=key,
        summary=key,
        source="host",
        severity="error",
        custom_details={"labels": labels},
    )


def resolve(key: str) -> Event:
    return Event(action="resolve", dedup_key=key)


def test_active_while_start_le_now_lt_end() -> None:
    silence = Silence("s1", ['alertname="X"'], at(0), at(60))
    assert not silence.active(at(0) - timedelta(microseconds=1))
    assert silence.active(at(0))
    assert silence.active(at(60) - timedelta(microseconds=1))
    assert not silence.active(at(60))


def test_activity_is_compared_by_instant_not_wall_clock() -> None:
    # Fall-back night in New York: 01:30 EDT is 05:30 UTC, 01:30 EST is 06:30 UTC.
    ny = ZoneInfo("America/New_York")
    silence = Silence(
        "s1",
        ['alertname="X"'],
        datetime(2026, 11, 1, 1, 0, tzinfo=ny),  # 01:00 EDT
        datetime(2026, 11, 1, 1, 45, tzinfo=ny),  # 01:45 EDT (fold=0)
    )
    assert silence.active(datetime(2026, 11, 1, 5, 30, tzinfo=UTC))
    assert not silence.active(datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ny))  # 01:30 EST


def test_a_silence_needs_a_matcher_that_does_not_match_empty() -> None:
    with pytest.raises(InvalidInput) as info:
        Silence("s1", ['team=~".*"', 'env=""'], at(0), at(1))
    assert info.value.field == "matchers"
    with pytest.raises(InvalidInput) as info:
        Silence("s1", [], at(0), at(1))
    assert info.value.field == "matchers"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("", ['a="b"'], T0, at(1)), "id"),
        (("s", ['a="b"'], T0, T0), "end"),
        (("s", ['a="b"'], at(1), T0), "end"),
        (("s", ['a="b'], T0, at(1)), "matchers[0].value"),
    ],
)
def test_bad_silences_name_the_field(args: tuple[object, ...], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        Silence(*args)
    assert info.value.field == field


def test_naive_times_are_rejected() -> None:
    with pytest.raises(NaiveDatetimeError) as info:
        Silence("s", ['a="b"'], datetime(2026, 1, 5), at(1))
    assert info.value.field == "start"


def test_silence_set_finds_the_active_matching_silences_in_order() -> None:
    silences = SilenceSet(
        [
            Silence("later", ['team="db"'], at(30), at(90)),
            Silence("db", ['team="db"'], at(0), at(60)),
            Silence("regex", ['team=~"d.*"', 'env!="prod"'], at(0), at(60)),
            Silence("web", ['team="web"'], at(0), at(60)),
        ]
    )
    found = silences.silencing({"team": "db"}, at(45))
    assert [s.id for s in found] == ["later", "db", "regex"]
    assert [s.id for s in silences.silencing({"team": "db", "env": "prod"}, at(10))] == ["db"]
    assert silences.silencing({"team": "ops"}, at(10)) == ()


def test_duplicate_silence_ids_are_rejected() -> None:
    with pytest.raises(InvalidInput) as info:
        SilenceSet([Silence("s", ['a="b"'], T0, at(1)), Silence("s", ['a="c"'], T0, at(1))])
    assert info.value.field == "silences[1].id"


def test_case_29_resolve_under_a_silence() -> None:
    # X fires at 09:50 and pages; a silence on X runs 10:00-11:00; X resolves at 10:30.
    silence = Silence("s1", ['alertname="X"'], at(0), at(60), comment="deploy")
    stream = [(at(-10), fire("x", alertname="X")), (at(30), resolve("x"))]
    am_like = NoisePolicy(silences=SilenceSet([silence]), let_resolves_through=False)
    lost = am_like.replay(stream)
    assert [v.outcome for v in lost.verdicts] == [Outcome.PAGED, Outcome.SUPPRESSED]
    assert lost.orphaned == ("I1",)
    tocsin_default = NoisePolicy(silences=SilenceSet([silence]))
    kept = tocsin_default.replay(stream)
    assert [v.outcome for v in kept.verdicts] == [Outcome.PAGED, Outcome.UPDATED]
    assert kept.orphaned == ()
    assert {r.kind for r in kept.verdicts[1].reasons} == {
        ReasonKind.SILENCE,
        ReasonKind.RESOLVE_THROUGH,
        ReasonKind.INCIDENT,
    }


def test_a_trigger_under_a_silence_is_kept_and_marked() -> None:
    silence = Silence("s1", ['alertname="X"'], at(0), at(60), created_by="ana")
    replay = NoisePolicy(silences=SilenceSet([silence])).replay(
        [(at(5), fire("x", alertname="X")), (at(61), fire("x", alertname="X"))]
    )
    first, second, third = replay.verdicts
    assert first.outcome is Outcome.SUPPRESSED
    assert first.muted
    assert first.event.dedup_key == "x"
    assert first.reasons[0].ref == "s1"
    assert "by ana" in first.reasons[0].detail
    # The still-firing alert pages when the silence ends (10:00), so the next
    # trigger finds it open.
    assert (second.outcome, second.at, second.event) == (Outcome.PAGED, at(60), first.event)
    assert third.outcome is Outcome.DUPLICATE


def test_case_21_maintenance_window() -> None:
    # Maintenance 10:00-11:00 on db: a 10:30 trigger opens nothing, and nothing is
    # replayed at 11:00 (PagerDuty; tocsin's default pages at 11:00 instead, see
    # test_case_36_an_alert_from_a_maintenance_window_pages_when_it_ends).
    window = MaintenanceWindow("mw1", ["db"], at(0), at(60), description="upgrade")
    router = Router(tree=RoutingTree(Route(service="db")))
    policy = NoisePolicy(
        router=router, silences=SilenceSet(maintenance=[window]), page_when_unmuted=False
    )
    replay = policy.replay([(at(30), fire("x"))], until=at(65))
    (verdict,) = replay.verdicts
    assert verdict.outcome is Outcome.SUPPRESSED
    assert verdict.reasons[-1].kind is ReasonKind.MAINTENANCE
    assert "upgrade" in verdict.reasons[-1].detail
    assert replay.incidents == 0


def test_maintenance_window_validation() -> None:
    with pytest.raises(InvalidInput) as info:
        MaintenanceWindow("mw", [], T0, at(1))
    assert info.value.field == "services"
    with pytest.raises(InvalidInput) as info:
        MaintenanceWindow("mw", ["db", ""], T0, at(1))
    assert info.value.field == "services[1]"
    window = MaintenanceWindow("mw", ["db"], T0, at(1))
    assert window.covers("db", T0)
    assert not window.covers("web", T0)
    assert not window.covers("db", at(1))
