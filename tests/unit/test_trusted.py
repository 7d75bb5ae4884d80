"""The unchecked builders build exactly what the checked constructors build."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs
import pytest

from tocsin._trusted import replacer, unchecked
from tocsin.events import Event
from tocsin.noise import (
    AlertRecord,
    FlapAssessment,
    Flush,
    FlushOutcome,
    GroupingDecision,
    IncidentRecord,
    Inhibition,
    InhibitRule,
    NoiseState,
    OpenIncident,
    Outcome,
    Reason,
    ReasonKind,
    Replay,
    Verdict,
)
from tocsin.noise._aggregation import make_flush
from tocsin.noise._flapping import make_assessment
from tocsin.noise._grouping import make_grouping_decision, make_open_incident
from tocsin.noise._inhibition import make_inhibition
from tocsin.noise._pipeline import make_replay
from tocsin.noise._state import (
    make_incident,
    make_record,
    make_state,
    replace_incident,
    replace_record,
)
from tocsin.noise._verdict import make_reason, make_verdict
from tocsin.routing import Destination, Matcher, RoutingDecision, Stage, Step
from tocsin.routing._decision import make_decision, make_destination, make_step
from tocsin.services import Urgency

if TYPE_CHECKING:
    from collections.abc import Callable

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
FIRE = Event(action="trigger", dedup_key="k", summary="s", source="x", severity="error")
STEP = Step(Stage.ROUTE, "root", "matched")
REASON = Reason(ReasonKind.SILENCE, "silence s1", "s1")
RECORD = AlertRecord(service="db", key="k", event=FIRE, firing=True, since=T0)
INCIDENT = IncidentRecord(
    id="I1",
    service="db",
    first_at=T0,
    last_grouped_at=T0,
    alerts=("k",),
    open_alerts=frozenset({"k"}),
)
VERDICT = Verdict(event=FIRE, at=T0, service="db", outcome=Outcome.PAGED, reasons=(REASON,))

CASES: list[tuple[Callable[..., Any], type, tuple[object, ...], dict[str, Any]]] = [
    (make_step, Step, (Stage.RULE, "r", "applied"), {}),
    (make_destination, Destination, ("db", Urgency.HIGH, "route root"), {}),
    (
        make_decision,
        RoutingDecision,
        (),
        {"event": FIRE, "at": T0, "destinations": (), "severity": None},
    ),
    (
        make_decision,
        RoutingDecision,
        (),
        {
            "event": FIRE,
            "at": T0,
            "destinations": (Destination("db", Urgency.LOW, "rule"),),
            "severity": FIRE.severity,
            "priority": "P1",
            "suppressed_by": ("r",),
            "steps": (STEP,),
        },
    ),
    (make_reason, Reason, (ReasonKind.DEDUP, "already open"), {}),
    (
        make_verdict,
        Verdict,
        (),
        {
            "event": FIRE,
            "at": T0,
            "service": None,
            "outcome": Outcome.HELD,
            "reasons": (REASON,),
            "held_until": T0,
        },
    ),
    (
        make_record,
        AlertRecord,
        (),
        {"service": None, "key": "k", "event": FIRE, "firing": True, "since": T0},
    ),
    (
        make_record,
        AlertRecord,
        (),
        {
            "service": "db",
            "key": "k",
            "event": FIRE,
            "firing": True,
            "since": T0,
            "samples": ((T0, True),),
            "occurrences": (T0,),
            "muted_by": (REASON,),
            "recheck_at": T0,
        },
    ),
    (make_incident, IncidentRecord, (), attrs.asdict(INCIDENT, recurse=False)),
    (make_open_incident, OpenIncident, ("I1", T0, T0, ("a", None)), {}),
    (make_grouping_decision, GroupingDecision, (None, ("a",), "no open incident"), {}),
    (
        make_assessment,
        FlapAssessment,
        (),
        {"flapping": True, "measure": 100, "method": "percent", "reason": "r"},
    ),
    (make_inhibition, Inhibition, (InhibitRule(['a="b"'], ['a="c"']), 0, {"a": "b"}), {}),
    (make_flush, Flush, (T0, frozenset({"a"}), frozenset(), FlushOutcome.NOTIFIED, "first"), {}),
    (make_replay, Replay, ((VERDICT,), NoiseState()), {}),
]


@pytest.mark.parametrize(("make", "cls", "args", "kwargs"), CASES)
def test_unchecked_builds_what_the_constructor_builds(
    make: Callable[..., Any], cls: type, args: tuple[object, ...], kwargs: dict[str, Any]
) -> None:
    made = make(*args, **kwargs)
    checked: Any = cls(*args, **kwargs)
    # Every field is set, to the same value (asdict reads them all).
    assert attrs.asdict(made, recurse=False) == attrs.asdict(checked, recurse=False)
    assert made == checked
    assert type(made) is cls


def test_unchecked_state_matches_the_checked_state() -> None:
    alerts = {("db", "k"): RECORD}
    made = make_state(alerts=alerts, incidents={}, opened=0, now=T0)
    checked = NoiseState(alerts=alerts, now=T0)
    assert (dict(made.alerts), dict(made.incidents), made.opened, made.now) == (
        dict(checked.alerts),
        dict(checked.incidents),
        checked.opened,
        checked.now,
    )


def test_replacers_are_evolve_without_the_checks() -> None:
    later = T0 + timedelta(minutes=5)
    assert replace_record(RECORD, firing=False, recheck_at=later) == attrs.evolve(
        RECORD, firing=False, recheck_at=later
    )
    assert replace_record(RECORD) == RECORD
    assert replace_incident(INCIDENT, resolved_at=later, open_alerts=frozenset()) == (
        attrs.evolve(INCIDENT, resolved_at=later, open_alerts=frozenset())
    )


def test_classes_that_compute_fields_cannot_be_built_unchecked() -> None:
    # Matcher compiles its regex after __init__; skipping that would break it.
    with pytest.raises(TypeError, match="Matcher"):
        unchecked(Matcher)
    with pytest.raises(TypeError, match="Matcher"):
        replacer(Matcher)
