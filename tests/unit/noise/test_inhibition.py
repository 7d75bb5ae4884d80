from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tocsin.errors import InvalidInput
from tocsin.events import Event
from tocsin.noise import Inhibitor, InhibitRule, NoisePolicy, Outcome, ReasonKind

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
CRITICAL_MUTES_WARNING = InhibitRule(
    source=['severity="critical"'],
    target=['severity="warning"'],
    equal=("cluster",),
    name="critical mutes warning",
)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def alert(key: str, **labels: str) -> Event:
    return Event(
        action="trigger",
        dedup_key=key,
        summary=key,
        source="host",
        severity="error",
        custom_details={"labels": labels},
    )


def test_equal_labels_must_match() -> None:
    inhibitor = Inhibitor((CRITICAL_MUTES_WARNING,))
    warning = {"severity": "warning", "cluster": "c1"}
    assert inhibitor.inhibited(warning, [{"severity": "critical", "cluster": "c1"}])
    assert not inhibitor.inhibited(warning, [{"severity": "critical", "cluster": "c2"}])


def test_case_28_missing_equal_label_equals_empty() -> None:
    inhibitor = Inhibitor((CRITICAL_MUTES_WARNING,))
    assert inhibitor.inhibited({"severity": "warning"}, [{"severity": "critical"}])
    assert inhibitor.inhibited({"severity": "warning", "cluster": ""}, [{"severity": "critical"}])


def test_no_self_inhibition_when_target_also_matches_source() -> None:
    # Alertmanager: a source that also matches the target matchers is ignored when
    # the target matches the source matchers too.
    rule = InhibitRule(source=['alertname="Down"'], target=['alertname="Down"'], equal=("dc",))
    inhibitor = Inhibitor((rule,))
    a = {"alertname": "Down", "dc": "x", "host": "a"}
    b = {"alertname": "Down", "dc": "x", "host": "b"}
    assert not inhibitor.inhibited(a, [a, b])
    assert not inhibitor.inhibited(b, [a, b])


def test_an_alert_never_inhibits_itself() -> None:
    rule = InhibitRule(source=['a="1"'], target=['b="1"'])
    inhibitor = Inhibitor((rule,))
    both = {"a": "1", "b": "1"}
    assert not inhibitor.inhibited(both, [both])
    event = alert("k", a="1", b="1")
    assert not inhibitor.inhibited(event, [alert("k", a="1", b="1")])


def test_mutual_inhibition_across_rules_mutes_neither() -> None:
    # Alertmanager would mute both alerts here and page nobody.  tocsin mutes neither.
    rules = (
        InhibitRule(source=['a="1"'], target=['b="1"']),
        InhibitRule(source=['b="1"'], target=['a="1"']),
    )
    inhibitor = Inhibitor(rules)
    s, t = {"a": "1"}, {"b": "1"}
    assert not inhibitor.inhibited(t, [s, t])
    assert not inhibitor.inhibited(s, [s, t])


def test_chains_still_inhibit() -> None:
    rules = (
        InhibitRule(source=['level="1"'], target=['level="2"']),
        InhibitRule(source=['level="2"'], target=['level="3"']),
    )
    inhibitor = Inhibitor(rules)
    one, two, three = {"level": "1"}, {"level": "2"}, {"level": "3"}
    firing = [one, two, three]
    assert not inhibitor.inhibited(one, firing)
    assert inhibitor.inhibited(two, firing)
    assert inhibitor.inhibited(three, firing)


def test_inhibitions_name_the_rule_and_the_source() -> None:
    inhibitor = Inhibitor((CRITICAL_MUTES_WARNING,))
    source = alert("crit-c1", severity="critical", cluster="c1")
    (found,) = inhibitor.inhibitions(alert("warn", severity="warning", cluster="c1"), [source])
    assert found.rule_index == 0
    assert found.source == source
    assert found.describe() == (
        "inhibited by crit-c1 (inhibit rule critical mutes warning: "
        '{severity="critical"} mutes {severity="warning"} with equal [\'cluster\'])'
    )


def test_case_27_resolve_of_an_inhibited_alert() -> None:
    # warning{c1} pages at T0; critical{c1} fires at T+1 and inhibits it; the warning
    # resolves at T+5 and the critical at T+9.
    stream = [
        (at(0), alert("warn", severity="warning", cluster="c1")),
        (at(1), alert("crit", severity="critical", cluster="c1")),
        (at(5), Event(action="resolve", dedup_key="warn")),
        (at(9), Event(action="resolve", dedup_key="crit")),
    ]
    inhibitor = Inhibitor((CRITICAL_MUTES_WARNING,))
    am_like = NoisePolicy(inhibitor=inhibitor, let_resolves_through=False).replay(stream)
    assert [v.outcome for v in am_like.verdicts] == [
        Outcome.PAGED,
        Outcome.PAGED,
        Outcome.SUPPRESSED,
        Outcome.UPDATED,
    ]
    assert am_like.orphaned == ("I1",)  # the warning's incident never hears the resolve
    default = NoisePolicy(inhibitor=inhibitor).replay(stream)
    assert [v.outcome for v in default.verdicts] == [
        Outcome.PAGED,
        Outcome.PAGED,
        Outcome.UPDATED,
        Outcome.UPDATED,
    ]
    assert ReasonKind.INHIBITION in {r.kind for r in default.verdicts[2].reasons}
    assert default.orphaned == ()


def test_a_warning_firing_after_its_critical_is_muted_in_the_pipeline() -> None:
    inhibitor = Inhibitor((CRITICAL_MUTES_WARNING,))
    replay = NoisePolicy(inhibitor=inhibitor).replay(
        [
            (at(0), alert("crit", severity="critical", cluster="c1")),
            (at(1), alert("warn", severity="warning", cluster="c1")),
            (at(2), Event(action="resolve", dedup_key="crit")),
            (at(3), alert("warn", severity="warning", cluster="c1")),
        ]
    )
    assert [(v.event.dedup_key, v.outcome, v.at) for v in replay.verdicts] == [
        ("crit", Outcome.PAGED, at(0)),
        ("warn", Outcome.SUPPRESSED, at(1)),
        ("crit", Outcome.UPDATED, at(2)),
        ("warn", Outcome.PAGED, at(2)),  # the source resolved: the warning pages then
        ("warn", Outcome.DUPLICATE, at(3)),
    ]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"source": [], "target": ['a="b"']}, "source"),
        ({"source": ['a="b"'], "target": []}, "target"),
        ({"source": ['a="b"'], "target": ['a="c"'], "equal": "cluster"}, "equal"),
        ({"source": ['a="b"'], "target": ['a="c"'], "equal": ["event.x"]}, "equal[0]"),
        ({"source": ['a="'], "target": ['a="c"']}, "source[0].value"),
    ],
)
def test_bad_rules_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        InhibitRule(**kwargs)
    assert info.value.field == field
