from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.events import Event
from tocsin.noise import (
    FLAP_SAMPLES,
    AlertChange,
    ContentGrouping,
    GroupTiming,
    Inhibitor,
    InhibitRule,
    NoisePolicy,
    Outcome,
    Silence,
    SilenceSet,
    percent_state_change,
    plan_flushes,
)
from tocsin.routing import matches_all
from tocsin.testing import (
    LABEL_NAMES,
    inhibit_rules,
    labelled_events,
    matcher_labels,
    silences,
)

if TYPE_CHECKING:
    from collections.abc import Hashable

BASE = datetime(2026, 1, 5, 9, tzinfo=UTC)
unique_silences = st.lists(silences(), max_size=6, unique_by=lambda s: s.id)


@st.composite
def streams(draw: st.DrawFn) -> list[tuple[datetime, Event]]:
    """Triggers and resolves over the shared vocabulary, in time order."""
    size = draw(st.integers(1, 25))
    gaps = draw(st.lists(st.integers(0, 20), min_size=size, max_size=size))
    stream: list[tuple[datetime, Event]] = []
    at = BASE
    for gap in gaps:
        at += timedelta(minutes=gap)
        event = draw(labelled_events())
        if draw(st.booleans()) and draw(st.booleans()):
            event = Event(action="resolve", dedup_key=event.dedup_key)
        stream.append((at, event))
    return stream


@settings(max_examples=100)
@given(unique_silences, st.lists(inhibit_rules(), max_size=3), streams(), st.booleans())
def test_a_muted_alert_never_pages(
    silence_list: list[Silence],
    rules: list[InhibitRule],
    stream: list[tuple[datetime, Event]],
    let_through: bool,
) -> None:
    silence_set = SilenceSet(silence_list)
    inhibitor = Inhibitor(tuple(rules))
    policy = NoisePolicy(
        silences=silence_set, inhibitor=inhibitor, let_resolves_through=let_through
    )
    replay = policy.replay(stream)
    for verdict in replay.verdicts:
        assert verdict.reasons, "every decision records its reason"
        if verdict.muted:
            assert verdict.outcome is not Outcome.PAGED
            assert verdict.outcome is not Outcome.GROUPED
        if verdict.pages:
            assert silence_set.silencing(verdict.event, verdict.at) == ()
    assert [v.event for v in replay.verdicts] == [e for _, e in stream]
    if let_through:
        assert replay.orphaned == ()


@settings(max_examples=100)
@given(st.lists(inhibit_rules(), min_size=1, max_size=3), st.lists(matcher_labels(), max_size=6))
def test_inhibition_never_mutes_the_source_that_causes_it(
    rules: list[InhibitRule], alerts: list[dict[str, str]]
) -> None:
    inhibitor = Inhibitor(tuple(rules))
    for target in alerts:
        for inhibition in inhibitor.inhibitions(target, alerts):
            source = inhibition.source
            assert isinstance(source, dict)
            assert source != target
            back = inhibitor.inhibitions(source, alerts)
            assert all(i.source != target for i in back)


@given(st.lists(inhibit_rules(), min_size=1, max_size=3), matcher_labels(), matcher_labels())
def test_inhibition_follows_alertmanager_for_a_single_rule(
    rules: list[InhibitRule], target: dict[str, str], source: dict[str, str]
) -> None:
    rule = rules[0]
    inhibitor = Inhibitor((rule,))
    expected = (
        source != target
        and matches_all(rule.target, target)
        and matches_all(rule.source, source)
        and all(source.get(n, "") == target.get(n, "") for n in rule.equal)
        and not (matches_all(rule.source, target) and matches_all(rule.target, source))
    )
    assert inhibitor.inhibited(target, [source]) == expected


fields = st.lists(st.sampled_from(LABEL_NAMES), min_size=1, max_size=3, unique=True).map(tuple)


@given(fields, st.lists(matcher_labels(), min_size=1, max_size=8))
def test_content_grouping_with_all_is_an_equivalence_relation(
    names: tuple[str, ...], alerts: list[dict[str, str]]
) -> None:
    grouping = ContentGrouping(names)
    complete = [a for a in alerts if all(n in a for n in names)]
    for a in complete:
        assert grouping.groups_with(a, a)  # reflexive where every field is present
    for a in alerts:
        for b in alerts:
            assert grouping.groups_with(a, b) == grouping.groups_with(b, a)
            for c in alerts:
                if grouping.groups_with(a, b) and grouping.groups_with(b, c):
                    assert grouping.groups_with(a, c)
    for a in alerts:
        if a not in complete:
            assert not any(grouping.groups_with(a, b) for b in alerts)


@given(fields, st.lists(matcher_labels(), min_size=1, max_size=8))
def test_grouping_replay_partitions_alerts_into_equivalence_classes(
    names: tuple[str, ...], alerts: list[dict[str, str]]
) -> None:
    grouping = ContentGrouping(names, window=timedelta(hours=24))
    events = [
        Event(
            action="trigger",
            dedup_key=f"a{i}",
            summary="s",
            source="x",
            severity="error",
            custom_details={"labels": labels},
        )
        for i, labels in enumerate(alerts)
    ]
    replay = NoisePolicy(grouping=grouping).replay(
        [(BASE + timedelta(minutes=i), e) for i, e in enumerate(events)]
    )
    incident_of = {v.event.dedup_key: v.incident for v in replay.verdicts}
    for a in events:
        for b in events:
            same = incident_of[a.dedup_key] == incident_of[b.dedup_key]
            assert same == (a is b or grouping.groups_with(a, b))


states = st.lists(st.sampled_from(("ok", "warning", "critical")), max_size=40)


@given(states)
def test_flapping_percent_lies_in_0_to_100_and_needs_21_samples(history: list[Hashable]) -> None:
    percent = percent_state_change(history)
    assert 0 <= percent <= 100
    if len(history) < FLAP_SAMPLES:
        assert percent == 0
    assert percent == percent_state_change(history[-FLAP_SAMPLES:])


def sensu_total_state_change(history: list[Hashable]) -> int:
    # Sensu Go's totalStateChange, transcribed (float weights, truncated).
    if len(history) < FLAP_SAMPLES:
        return 0
    changes, weight, previous = 0.0, 0.80, history[0]
    for status in history:
        if status != previous:
            changes += weight
        weight += 0.02
        previous = status
    return int(changes / 20 * 100)


@given(st.lists(st.sampled_from(("ok", "warning", "critical")), min_size=21, max_size=21))
def test_percent_agrees_with_sensu(history: list[Hashable]) -> None:
    # Same value as Sensu's float arithmetic, except that Sensu's 101 is capped at 100.
    assert percent_state_change(history) == min(100, sensu_total_state_change(history))


@settings(max_examples=75)
@given(unique_silences, matcher_labels(), st.integers(0, 300))
def test_silence_set_finds_exactly_what_a_scan_finds(
    silence_list: list[Silence], labels: dict[str, str], minutes: int
) -> None:
    at = BASE + timedelta(minutes=minutes)
    found = SilenceSet(silence_list).silencing(labels, at)
    assert list(found) == [s for s in silence_list if s.mutes(labels, at)]


changes = st.lists(
    st.tuples(st.integers(0, 40), st.sampled_from(("a1", "a2", "a3")), st.booleans()),
    min_size=1,
    max_size=12,
)


@given(changes)
def test_flushes_respect_group_wait_and_group_interval(
    raw: list[tuple[int, str, bool]],
) -> None:
    timing = GroupTiming(timedelta(seconds=30), timedelta(minutes=5), timedelta(minutes=20))
    items = [AlertChange(BASE + timedelta(minutes=m), k, firing=f) for m, k, f in raw]
    flushes = plan_flushes(items, timing, until=BASE + timedelta(hours=2))
    first = min(c.at for c in items)
    for flush in flushes:
        assert flush.at >= first + timing.group_wait
    for before, after in itertools.pairwise(flushes):
        assert after.at - before.at >= min(timing.group_wait, timing.group_interval)
    for flush in flushes:
        # A flush sees every alert whose latest change up to that instant is a firing.
        latest: dict[str, bool] = {}
        for change in sorted(items, key=lambda c: c.at):
            if change.at <= flush.at:
                latest[change.alert] = change.firing
        assert flush.firing == {k for k, firing in latest.items() if firing}
        assert flush.resolved <= {k for k, firing in latest.items() if not firing}
    assert all(f.firing or f.resolved for f in flushes if f.sent)
