"""The transition table is complete, drives the machine, and is what the docs show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tocsin.errors import InvalidTransition
from tocsin.escalation import (
    TRANSITIONS,
    AddResponders,
    Command,
    Escalate,
    EscalationLevel,
    EscalationPolicy,
    Incident,
    Merge,
    Reassign,
    Resolve,
    Rule,
    SetUrgency,
    Snooze,
    Status,
    Trigger,
    UserTarget,
    lifecycle_diagram,
    step,
)
from tocsin.events import Event

DOCS = Path(__file__).parents[3] / "docs" / "concepts" / "escalation-lifecycle.md.inc"
T0 = datetime(2025, 3, 10, 9, tzinfo=UTC)
POLICY = EscalationPolicy("db", [EscalationLevel([UserTarget("alice")], timedelta(minutes=5))])
COMMANDS = (
    "Trigger",
    "Acknowledge",
    "Resolve",
    "Snooze",
    "Reassign",
    "Escalate",
    "Merge",
    "AddResponders",
    "SetUrgency",
)


def test_the_committed_diagram_is_generated_from_the_table() -> None:
    assert DOCS.read_text(encoding="utf-8") == lifecycle_diagram(), (
        "the transition table changed: regenerate docs/concepts/escalation-lifecycle.md.inc"
        " (see tocsin/escalation/_diagram.py)"
    )


def test_every_status_has_a_row_for_every_command() -> None:
    for status in Status:
        rows = {rule.command for rule in TRANSITIONS if rule.source is status}
        assert set(COMMANDS) <= rows, status


def test_rows_are_unique_and_name_what_follows() -> None:
    keys = [(rule.source, rule.command) for rule in TRANSITIONS]
    assert len(keys) == len(set(keys))
    labels = {s.value for s in Status} | {"dropped", "illegal", "new incident"}
    for rule in TRANSITIONS:
        assert set(rule.outcomes) <= labels, rule
        assert rule.note
        # A row with a handler changes the incident; the others drop, refuse or open.
        assert (rule.handler is None) == bool(
            set(rule.outcomes) & {"dropped", "illegal"}
            or rule.outcomes == ("new incident",)
            or rule.source is None
        ), rule


def resolved() -> Incident:
    event = Event(action="trigger", dedup_key="k", summary="s", source="h", severity="info")
    opened = step(None, Trigger(event, service="svc", policy=POLICY), T0, {}).incident
    assert opened is not None
    closed = step(opened, Resolve("alice"), T0, {}).incident
    assert closed is not None
    return closed


def open_incident() -> Incident:
    event = Event(action="trigger", dedup_key="o", summary="s", source="h", severity="info")
    opened = step(None, Trigger(event, service="svc", policy=POLICY), T0, {}).incident
    assert opened is not None
    return opened


SAMPLES: dict[str, Command] = {
    "Snooze": Snooze(T0 + timedelta(hours=1)),
    "Reassign": Reassign(["bob"]),
    "Escalate": Escalate(),
    "Merge": Merge(open_incident()),
    "AddResponders": AddResponders(UserTarget("bob")),
    "SetUrgency": SetUrgency("low"),
}
ILLEGAL = [rule for rule in TRANSITIONS if rule.outcomes == ("illegal",)]


@pytest.mark.parametrize("rule", ILLEGAL, ids=lambda r: f"{r.source}-{r.command}")
def test_every_illegal_row_raises_invalid_transition(rule: Rule) -> None:
    incident = resolved()
    if rule.source is Status.TRIGGERED:
        incident = open_incident()
    with pytest.raises(InvalidTransition, match=rule.note):
        step(incident, SAMPLES[rule.command], T0 + timedelta(minutes=1), {})
