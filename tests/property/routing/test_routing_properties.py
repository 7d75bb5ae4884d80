from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.events import Event, Severity
from tocsin.routing import (
    Disposition,
    DynamicRoute,
    Lookup,
    Matcher,
    MatcherIndex,
    MatchOp,
    RouteMatch,
    Router,
    RoutingTree,
    Rule,
    Stage,
    matches_all,
)
from tocsin.routing._index import literal_alternatives, literal_prefix
from tocsin.services import Urgency
from tocsin.testing import labelled_events, matcher_labels, matchers, routing_trees

if TYPE_CHECKING:
    from tocsin.routing._tree import _Node

NOW = datetime(2026, 1, 5, 9, tzinfo=UTC)

severities = st.sampled_from(tuple(Severity))
severity_matchers = severities.map(lambda s: Matcher("event.severity", "=", s.value))
# A condition is a few label matchers, or a test of the severity (which earlier rules
# may have changed).
conditions = st.lists(
    st.one_of(
        severity_matchers.map(lambda m: (m,)),
        st.lists(matchers(), min_size=1, max_size=2).map(tuple),
    ),
    max_size=2,
).map(tuple)
dynamic_routes = st.builds(
    DynamicRoute,
    st.sampled_from(("team", "alertname", "event.source", "event.severity")),
    regex=st.sampled_from((None, r"db(\d)", r"\w1", "(a*)", "(r)")),
    lookup=st.sampled_from(tuple(Lookup)),
)


@st.composite
def any_rules(draw: st.DrawFn) -> Rule:
    """Rules with every action: drop, suppress, severity, priority, route, dynamic route."""
    name = draw(st.sampled_from(("r1", "r2", "r3", "r4")))
    when, continue_ = draw(conditions), draw(st.booleans())
    priority = draw(st.one_of(st.none(), st.sampled_from(("P1", "P2"))))
    kind = draw(st.sampled_from(("dynamic", "set", "fixed", "drop")))
    if kind == "drop":
        return Rule(name, when=when, drop=True, set_priority=priority, continue_=continue_)
    severity = draw(st.one_of(st.none(), severities))
    suppress = draw(st.booleans())
    if kind == "set" and severity is None and not suppress and priority is None:
        priority = "P3"  # a rule needs at least one action
    return Rule(
        name,
        when=when,
        set_severity=severity,
        set_priority=priority,
        suppress=suppress,
        route_to=draw(st.sampled_from(("db", "web"))) if kind == "fixed" else None,
        dynamic_route=draw(dynamic_routes) if kind == "dynamic" else None,
        continue_=continue_,
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


@given(
    routing_trees(), st.lists(any_rules(), max_size=3), labelled_events(), st.integers(0, 10_000)
)
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
    assert bool(first.destinations) != first.dropped
    assert len(set(first.services)) == len(first.services)
    assert first.event is event


def dynamic_service(route: DynamicRoute, event: Event, severity: Severity | None) -> str | None:
    # PagerDuty's dynamic_route_to without a catalog: ids are trusted, names unknown.
    if route.source == "event.source":
        raw = event.source
    elif route.source == "event.severity":
        raw = None if severity is None else severity.value  # as the rules left it
    else:
        raw = event.labels.get(route.source)
    if not raw:
        return None
    if route.regex is not None:
        match = route.regex.search(raw)
        raw = None if match is None else (match.group(1) if route.regex.groups else match[0])
    if not raw or route.lookup is Lookup.SERVICE_NAME:
        return None
    return raw


def interpret(rules: tuple[Rule, ...], event: Event) -> dict[str, object]:
    """PagerDuty-style ordered rules, read straight from the docs, with no shortcuts."""
    severity, priority = event.severity, None
    suppressed: list[str] = []
    services: list[str] = []
    applied: list[str] = []

    def holds(condition: tuple[Matcher, ...]) -> bool:
        return all(
            m.matches_value(severity.value if severity is not None else "")
            if m.name == "event.severity"
            else m.matches_value(event.labels.get(m.name, ""))
            for m in condition
        )

    for rule in rules:
        if rule.when and not any(holds(c) for c in rule.when):
            continue
        applied.append(rule.name)
        if rule.drop:
            return {"dropped": True, "services": (), "applied": applied}
        severity = rule.set_severity or severity
        priority = rule.set_priority or priority
        if rule.suppress:
            suppressed.append(rule.name)
        routed = True
        if not services and rule.route_to is not None:
            services.append(rule.route_to)
        elif not services and rule.dynamic_route is not None:
            found = dynamic_service(rule.dynamic_route, event, severity)
            if found is None:
                applied.append(rule.name)  # the failed dynamic route is a step of its own
                routed = False
            else:
                services.append(found)
        if routed and not rule.continue_:
            break
    return {
        "dropped": False,
        "severity": severity,
        "priority": priority,
        "suppressed": tuple(suppressed),
        "services": tuple(services),
        "applied": applied,
    }


@given(st.lists(any_rules(), max_size=5), labelled_events())
def test_rules_alone_are_total_and_do_what_the_rules_say(
    rule_list: list[Rule], event: Event
) -> None:
    rule_set = (*rule_list, Rule("catch-all", set_priority="P5"))
    decision = Router(rules=rule_set).route(event, NOW)
    expected = interpret(rule_set, event)
    assert decision.dropped == expected["dropped"]
    assert decision.services == expected["services"]
    assert [s.name for s in decision.steps if s.stage is Stage.RULE] == expected["applied"]
    assert decision.event is event
    if decision.dropped:
        assert decision.disposition is Disposition.DROPPED
        return
    assert decision.severity == expected["severity"]
    assert decision.priority == expected["priority"]
    assert decision.suppressed_by == expected["suppressed"]
    disposition = (
        Disposition.SUPPRESSED
        if expected["suppressed"]
        else Disposition.ROUTED
        if expected["services"]
        else Disposition.UNROUTED
    )
    assert decision.disposition is disposition
    assert all(d.urgency is Urgency.HIGH for d in decision.destinations)  # PagerDuty default


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


@given(st.sampled_from(("=", "!=")), st.text())
def test_any_value_round_trips_through_text(op: str, value: str) -> None:
    # The shared matchers() strategy draws from a small vocabulary; this draws any
    # text, control characters and unassigned code points included.
    matcher = Matcher("name", op, value)
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
