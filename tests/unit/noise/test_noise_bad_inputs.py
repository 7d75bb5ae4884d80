"""Every public constructor and function of tocsin.noise refuses bad input by name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from tocsin.errors import InvalidInput, NaiveDatetimeError
from tocsin.events import Event
from tocsin.noise import (
    AlertChange,
    AlertRecord,
    ChangeCount,
    ContentGrouping,
    FlapAssessment,
    FlapPolicy,
    Flush,
    GroupingDecision,
    GroupTiming,
    IncidentRecord,
    Inhibition,
    Inhibitor,
    InhibitRule,
    MaintenanceWindow,
    NoisePolicy,
    NoiseState,
    OpenIncident,
    PercentStateChange,
    Reason,
    ReasonKind,
    Replay,
    Silence,
    SilenceSet,
    SuppressionThreshold,
    TimeWindowGrouping,
    Verdict,
    percent_state_change,
    plan_flushes,
)

if TYPE_CHECKING:
    from collections.abc import Callable

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)
NAIVE = datetime(2026, 1, 5, 9)
FIRE = Event(action="trigger", dedup_key="k", summary="s", source="x", severity="error")
RULE = InhibitRule(['a="b"'], ['a="c"'])


def bad(value: object) -> Any:
    """A wrong value, typed so that the type checker lets the test hand it over."""
    return value


def record(**changes: Any) -> AlertRecord:
    fields: dict[str, Any] = {
        "service": None,
        "key": "k",
        "event": FIRE,
        "firing": True,
        "since": T0,
        **changes,
    }
    return AlertRecord(**fields)


def incident(**changes: Any) -> IncidentRecord:
    fields: dict[str, Any] = {
        "id": "I1",
        "service": None,
        "first_at": T0,
        "last_grouped_at": T0,
        "alerts": ("k",),
        "open_alerts": frozenset({"k"}),
        **changes,
    }
    return IncidentRecord(**fields)


BAD: list[tuple[str, Callable[[], object], str]] = [
    # the pipeline's state, as a caller could store and hand it back
    ("state now str", lambda: NoiseState(now="x"), "now"),
    ("state opened -1", lambda: NoiseState(opened=-1), "opened"),
    ("state opened bool", lambda: NoiseState(opened=True), "opened"),
    ("state alerts int", lambda: NoiseState(alerts=5), "alerts"),
    (
        "state alert not a record",
        lambda: NoiseState(alerts={(None, "k"): 5}),
        "alerts[(None, 'k')]",
    ),
    (
        "state alert misfiled",
        lambda: NoiseState(alerts={("db", "k"): record()}),
        "alerts[('db', 'k')]",
    ),
    ("state incident not a record", lambda: NoiseState(incidents={"I1": 5}), "incidents['I1']"),
    (
        "state incident misfiled",
        lambda: NoiseState(incidents={"I2": incident()}, opened=2),
        "incidents['I2']",
    ),
    ("state opened below ids", lambda: NoiseState(incidents={"I1": incident()}), "opened"),
    (
        "state unknown incident",
        lambda: NoiseState(alerts={(None, "k"): record(incident="I9")}),
        "alerts[(None, 'k')].incident",
    ),
    ("record service", lambda: record(service=5), "service"),
    ("record key", lambda: record(key=""), "key"),
    ("record event", lambda: record(event=5), "event"),
    (
        "record event is a resolve",
        lambda: record(event=Event(action="resolve", dedup_key="k")),
        "event",
    ),
    ("record event of another key", lambda: record(key="z"), "event"),
    ("record firing", lambda: record(firing="no"), "firing"),
    ("record since", lambda: record(since="x"), "since"),
    ("record samples", lambda: record(samples=[5]), "samples[0]"),
    ("record sample state", lambda: record(samples=[(T0, "x")]), "samples[0][1]"),
    ("record occurrences", lambda: record(occurrences=[T0, "x"]), "occurrences[1]"),
    ("record muted_by", lambda: record(muted_by=[5]), "muted_by[0]"),
    ("record held", lambda: record(held=1), "held"),
    ("incident id", lambda: incident(id=""), "id"),
    ("incident order", lambda: incident(last_grouped_at=T0 - timedelta(1)), "last_grouped_at"),
    ("incident open alert unknown", lambda: incident(open_alerts={"z"}), "open_alerts"),
    ("incident resolved yet open", lambda: incident(resolved_at=T1), "open_alerts"),
    (
        "incident resolved first",
        lambda: incident(resolved_at=T0 - timedelta(1), open_alerts=()),
        "resolved_at",
    ),
    ("incident values", lambda: incident(values=(5,)), "values[0]"),
    # grouping
    ("open incident id", lambda: OpenIncident("", T0, T0), "id"),
    ("open incident order", lambda: OpenIncident("I", T1, T0), "last_grouped_at"),
    ("open incident open", lambda: OpenIncident("I", T0, T0, open="no"), "open"),
    ("grouping decision", lambda: GroupingDecision(5, (), "r"), "incident"),
    (
        "content assign incidents",
        lambda: ContentGrouping(("a",)).assign({}, T0, [bad(5)]),
        "incidents[0]",
    ),
    ("content assign target", lambda: ContentGrouping(("a",)).assign(bad(5), T0, []), "target"),
    (
        # A zip() of unequal lengths used to raise a bare ValueError from inside.
        "content assign values of another grouping",
        lambda: ContentGrouping(("a",)).assign({"a": "x"}, T0, [OpenIncident("I", T0, T0)]),
        "incidents[0].values",
    ),
    (
        "content assign values too long",
        lambda: ContentGrouping(("a",)).assign(
            {"a": "x"}, T0, [OpenIncident("I", T0, T0, ("x", "y"))]
        ),
        "incidents[0].values",
    ),
    ("time assign incidents", lambda: TimeWindowGrouping(None).assign({}, T0, bad(5)), "incidents"),
    # aggregation
    ("change firing", lambda: AlertChange(T0, "a", firing="no"), "firing"),
    ("plan timing", lambda: plan_flushes([], bad("x"), until=T1), "timing"),
    ("plan mute", lambda: plan_flushes([], GroupTiming(), until=T1, mute=bad(5)), "mute"),
    (
        "plan send_resolved",
        lambda: plan_flushes([], GroupTiming(), until=T1, send_resolved=bad("no")),
        "send_resolved",
    ),
    ("timing of", lambda: GroupTiming.of(bad(5)), "route"),
    ("flush", lambda: Flush(NAIVE, (), (), "notified", "r"), "at"),
    ("flush outcome", lambda: Flush(T0, (), (), "sent", "r"), "outcome"),
    # flapping
    ("percent of None", lambda: percent_state_change(bad(None)), "states"),
    ("percent of a string", lambda: percent_state_change("ok" * 11), "states"),
    ("assess states", lambda: PercentStateChange().assess(bad(5), was_flapping=False), "states"),
    (
        "assess was_flapping",
        lambda: PercentStateChange().assess([1], was_flapping=bad("no")),
        "was_flapping",
    ),
    ("changes samples", lambda: ChangeCount().changes(bad([1, 2]), T0), "samples[0]"),
    (
        "changes naive sample",
        lambda: ChangeCount().changes([(T0, 1), (NAIVE, 2)], T0),
        "samples[1][0]",
    ),
    ("assessment", lambda: FlapAssessment("x", 0, "count", "r"), "flapping"),
    (
        "assessment method",
        lambda: FlapAssessment(flapping=True, measure=0, method="vibes", reason="r"),
        "method",
    ),
    ("flap policy record", lambda: FlapPolicy().assess(bad(5), T0), "record"),
    # muting
    ("silence target", lambda: Silence("s", ['a="b"'], T0, T1).mutes(bad(5), T0), "target"),
    (
        "silence label value",
        lambda: Silence("s", ['a=~"b"'], T0, T1).mutes(bad({"a": 5}), T0),
        "target['a']",
    ),
    ("maintenance without service, naive", lambda: SilenceSet().in_maintenance(None, NAIVE), "at"),
    ("maintenance service", lambda: SilenceSet().in_maintenance(bad(5), T0), "service"),
    ("window covers", lambda: MaintenanceWindow("m", ["db"], T0, T1).covers(bad(5), T0), "service"),
    ("inhibit rule name", lambda: InhibitRule(['a="b"'], ['a="c"'], name=""), "name"),
    ("inhibitions firing", lambda: Inhibitor((RULE,)).inhibitions({}, bad(5)), "firing"),
    (
        "inhibitions firing item",
        lambda: Inhibitor((RULE,)).inhibitions({}, [{}, bad(5)]),
        "firing[1]",
    ),
    ("inhibitions target", lambda: Inhibitor((RULE,)).inhibitions(bad(5), []), "target"),
    ("inhibition", lambda: Inhibition(5, 0, {}), "rule"),
    ("inhibition index", lambda: Inhibition(RULE, -1, {}), "rule_index"),
    (
        "threshold times",
        lambda: SuppressionThreshold(1, timedelta(1)).occurrences(bad(5), T0),
        "times",
    ),
    # verdicts and the policy
    ("reason kind", lambda: Reason("x", "d"), "kind"),
    ("reason ref", lambda: Reason(ReasonKind.SILENCE, "d", ""), "ref"),
    (
        "verdict event",
        lambda: Verdict(event=5, at=T0, service=None, outcome="paged", reasons=()),
        "event",
    ),
    (
        "verdict reasons",
        lambda: Verdict(event=FIRE, at=T0, service=None, outcome="paged", reasons=[5]),
        "reasons[0]",
    ),
    ("replay verdicts", lambda: Replay(5, NoiseState()), "verdicts"),
    ("replay state", lambda: Replay((), 5), "state"),
    ("replay count", lambda: NoisePolicy().replay([]).count(bad("x")), "outcome"),
    (
        "policy resolves flag",
        lambda: NoisePolicy(let_resolves_through="no"),
        "let_resolves_through",
    ),
    ("step state", lambda: NoisePolicy().step(bad(None), FIRE, T0), "state"),
    ("tick state", lambda: NoisePolicy().tick(bad(5), T0), "state"),
    ("replay stream", lambda: NoisePolicy().replay(bad(5)), "stream"),
    ("replay bare events", lambda: NoisePolicy().replay(bad([FIRE])), "stream[0]"),
    ("replay triples", lambda: NoisePolicy().replay(bad([(T0, FIRE, 1)])), "stream[0]"),
    ("replay not an event", lambda: NoisePolicy().replay(bad([(T0, 5)])), "stream[0].event"),
    ("replay from state", lambda: NoisePolicy().replay([], state=bad(5)), "state"),
]


@pytest.mark.parametrize(
    ("build", "field"), [(b, f) for _, b, f in BAD], ids=[n for n, _, _ in BAD]
)
def test_bad_input_is_refused_naming_the_field(build: Callable[[], object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        build()
    assert info.value.field == field


def test_a_naive_now_in_a_stored_state_is_refused_at_once() -> None:
    # It used to be accepted, and the next step failed with a TypeError.
    with pytest.raises(NaiveDatetimeError) as info:
        NoiseState(now=NAIVE)
    assert info.value.field == "now"


def test_a_stored_state_round_trips_through_the_checks() -> None:
    state = NoiseState(
        alerts={(None, "k"): record(incident="I1", samples=[(T0, True)], occurrences=[T0])},
        incidents={"I1": incident()},
        opened=1,
        now=T0,
    )
    state, (verdict,) = NoisePolicy().step(state, FIRE, T1)
    assert (verdict.outcome.value, verdict.incident) == ("duplicate", "I1")
