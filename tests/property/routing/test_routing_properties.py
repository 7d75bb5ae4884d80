from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.routing import (
    Disposition,
    Matcher,
    MatcherIndex,
    MatchOp,
    RouteMatch,
    Router,
    RoutingTree,
    Rule,
    matches_all,
)
from tocsin.routing._index import literal_alternatives, literal_prefix
from tocsin.testing import labelled_events, matcher_labels, matchers, routing_trees

if TYPE_CHECKING:
    from tocsin.events import Event
    from tocsin.routing._tree import _Node

NOW = datetime(2026, 1, 5, 9, tzinfo=UTC)

rules = st.builds(
    Rule,
    st.sampled_from(("r1", "r2", "r3")),
    when=st.lists(st.lists(matchers(), min_size=1, max_size=2).map(tuple), max_size=2).map(tuple),
    set_priority=st.sampled_from(("P1", "P2")),
    suppress=st.booleans(),
    route_to=st.one_of(st.none(), st.sampled_from(("db", "web"))),
    continue_=st.booleans(),
)


def naive(node: _Node, labels: dict[str, str]) -> list[RouteMatch]:
    # Alertmanager's Route.Match, transcribed without any index.
    if not matches_all(node.matchers, labels):
        return []
    found: list[RouteMatch] = []
    for child in node.children:
        matched = naive(child, labels)
        found.extend(matched)
        if matched and not child.continue_:
            break
    return found or [node.match]


@given(routing_trees(), matcher_labels())
def test_indexed_tree_matches_exactly_like_alertmanager(
    tree: RoutingTree, labels: dict[str, str]
) -> None:
    assert list(tree.match(labels)) == naive(tree._compiled, labels)


@given(routing_trees(), st.lists(rules, max_size=3), labelled_events(), st.integers(0, 10_000))
def test_routing_is_deterministic_and_total(
    tree: RoutingTree, rule_list: list[Rule], event: Event, minutes: int
) -> None:
    router = Router(tree=tree, rules=tuple(rule_list))
    now = NOW + timedelta(minutes=minutes)
    first = router.route(event, now)
    assert first == router.route(event, now)
    assert first.explain() == router.route(event, now).explain()
    # Total: a tree always gives at least one destination unless a rule dropped it.
    assert first.disposition is not Disposition.UNROUTED
    assert first.destinations
    assert len(set(first.services)) == len(first.services)
    assert first.event is event


@given(st.lists(rules, max_size=4), labelled_events())
def test_rules_alone_are_total_too(rule_list: list[Rule], event: Event) -> None:
    router = Router(rules=(*rule_list, Rule("catch-all", set_priority="P5")))
    decision = router.route(event, NOW)
    assert decision.disposition in set(Disposition)
    assert decision.steps


@given(matchers(), matcher_labels())
def test_negated_operators_are_exact_complements(matcher: Matcher, labels: dict[str, str]) -> None:
    flipped = {
        MatchOp.EQUAL: MatchOp.NOT_EQUAL,
        MatchOp.NOT_EQUAL: MatchOp.EQUAL,
        MatchOp.REGEX: MatchOp.NOT_REGEX,
        MatchOp.NOT_REGEX: MatchOp.REGEX,
    }[matcher.op]
    opposite = Matcher(matcher.name, flipped, matcher.value)
    assert matcher.matches(labels) != opposite.matches(labels)
    assert matcher.matches(labels) == matcher.matches(
        {**labels, matcher.name: labels.get(matcher.name, "")}
    )


@given(matchers())
def test_matchers_round_trip_through_text(matcher: Matcher) -> None:
    assert Matcher.parse(str(matcher)) == matcher


@settings(max_examples=75)
@given(st.lists(st.lists(matchers(), max_size=3), max_size=30), matcher_labels())
def test_index_finds_exactly_what_a_scan_finds(
    lists: list[list[Matcher]], labels: dict[str, str]
) -> None:
    index = MatcherIndex((tuple(m), i) for i, m in enumerate(lists))
    scanned = [i for i, m in enumerate(lists) if matches_all(m, labels)]
    assert list(index.matching(labels)) == scanned


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


pieces = st.sampled_from(
    ["a", "b", "-", "1", "[ab]", ".", ".*", "a?", "b*", "x{2}", "(a|b)", "\\.", "+", "c+"]
)
patterns = st.lists(pieces, min_size=1, max_size=4).map("".join).filter(_compiles)


@given(
    st.one_of(
        patterns, st.lists(st.sampled_from(["a", "b", "ab", "1-"]), min_size=1).map("|".join)
    ),
    st.text(alphabet="ab1-.cx", max_size=6),
)
def test_regex_anchors_are_sound(pattern: str, value: str) -> None:
    if re.fullmatch(pattern, value) is None:
        return
    prefix = literal_prefix(pattern)
    assert prefix is None or value.startswith(prefix)
    alternatives = literal_alternatives(pattern)
    assert alternatives is None or value in alternatives
