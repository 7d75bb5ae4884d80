"""Every public constructor and function of tocsin.routing and tocsin.services refuses
bad input by name (fast paths that take labels already read by ``labels_of`` aside)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from tocsin.errors import InvalidInput, NaiveDatetimeError, NotFoundError
from tocsin.events import Event
from tocsin.routing import (
    Destination,
    DynamicRoute,
    Matcher,
    MatcherIndex,
    Route,
    RouteMatch,
    RoutingDecision,
    RoutingTree,
    Rule,
    Step,
    field_value,
    labels_of,
    matches_all,
)
from tocsin.services import Impact, Service, ServiceCatalog, Team, UrgencyRule

if TYPE_CHECKING:
    from collections.abc import Callable

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


def bad(value: object) -> Any:
    """A wrong value, typed so that the type checker lets the test hand it over."""
    return value


FIRE = Event(action="trigger", dedup_key="k", summary="s", source="x", severity="error")
M = Matcher("a", "=~", "b")
TREE = RoutingTree(Route(service="ops"))
CATALOG = ServiceCatalog([Service("db"), Service("api", depends_on=("db",))], [Team("t")])

BAD: list[tuple[str, Callable[[], object], str]] = [
    ("labels_of int", lambda: labels_of(bad(5)), "target"),
    ("labels_of int value", lambda: labels_of(bad({"a": 5})), "target['a']"),
    ("matcher target", lambda: M.matches(bad(5)), "target"),
    ("matcher value", lambda: M.matches_value(bad(5)), "value"),
    ("matches_all items", lambda: matches_all([M, bad(5)], {"a": "b"}), "matchers[1]"),
    ("field_value target", lambda: field_value(bad(5), "a"), "target"),
    ("index entries", lambda: MatcherIndex(bad(5)), "entries"),
    ("index entry", lambda: MatcherIndex(bad([5])), "entries[0]"),
    ("index matcher", lambda: MatcherIndex(bad([([5], "x")])), "entries[0][0][0]"),
    ("index position", lambda: MatcherIndex([((M,), "x")]).item(bad("0")), "position"),
    ("route continue", lambda: Route(service="x", continue_="yes"), "continue_"),
    ("route name", lambda: Route(service="x", name=""), "name"),
    ("tree match target", lambda: TREE.match(bad(5)), "target"),
    ("group key target", lambda: TREE.routes[0].group_key(bad(5)), "target"),
    (
        "route match",
        lambda: RouteMatch(
            path=(-1,),
            route=Route(service="x"),
            service="x",
            group_by=(),
            group_wait=timedelta(0),
            group_interval=timedelta(1),
            repeat_interval=timedelta(1),
            route_key="{}",
            trail=("root",),
            label="root",
        ),
        "path[0]",
    ),
    ("rule suppress", lambda: Rule("r", suppress="yes"), "suppress"),
    ("rule drop", lambda: Rule("r", drop=1, set_priority="P1"), "drop"),
    ("rule continue", lambda: Rule("r", set_priority="P1", continue_="yes"), "continue_"),
    ("rule target", lambda: Rule("r", set_priority="P1").applies_to(bad(5)), "target"),
    ("dynamic extract", lambda: DynamicRoute("a").extract(bad(5)), "value"),
    (
        "decision event",
        lambda: RoutingDecision(event=5, at=T0, destinations=(), severity=None),
        "event",
    ),
    (
        "decision severity",
        lambda: RoutingDecision(event=FIRE, at=T0, destinations=(), severity="x"),
        "severity",
    ),
    (
        "decision dropped yet routed",
        lambda: RoutingDecision(
            event=FIRE,
            at=T0,
            destinations=(Destination("db", "high", "rule"),),
            severity=None,
            dropped=True,
        ),
        "destinations",
    ),
    (
        "decision steps",
        lambda: RoutingDecision(event=FIRE, at=T0, destinations=(), severity=None, steps=[5]),
        "steps[0]",
    ),
    ("destination service", lambda: Destination(5, "high", "x"), "service"),
    ("destination urgency", lambda: Destination("db", "urgent", "x"), "urgency"),
    ("step stage", lambda: Step("x", "n", "d"), "stage"),
    # services
    ("impact service", lambda: Impact(5, ("a", "b")), "service"),
    ("impact path", lambda: Impact("b", ("b",)), "path"),
    ("catalog get", lambda: CATALOG.get(bad(5)), "service_id"),
    ("catalog team", lambda: CATALOG.team(bad(5)), "team_id"),
    ("catalog transitive", lambda: CATALOG.upstream("api", transitive=bad("no")), "transitive"),
    ("likely causes of a string", lambda: CATALOG.likely_causes("db"), "failing"),
    ("likely causes of an int", lambda: CATALOG.likely_causes(bad(5)), "failing"),
    ("likely causes item", lambda: CATALOG.likely_causes(bad([5])), "failing[0]"),
    (
        "urgency severity",
        lambda: UrgencyRule().urgency(bad("x"), in_support_hours=True),
        "severity",
    ),
    (
        "urgency hours",
        lambda: UrgencyRule().urgency(None, in_support_hours=bad("no")),
        "in_support_hours",
    ),
]


@pytest.mark.parametrize(
    ("build", "field"), [(b, f) for _, b, f in BAD], ids=[n for n, _, _ in BAD]
)
def test_bad_input_is_refused_naming_the_field(build: Callable[[], object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        build()
    assert info.value.field == field


def test_a_naive_decision_time_is_refused() -> None:
    with pytest.raises(NaiveDatetimeError) as info:
        RoutingDecision(event=FIRE, at=datetime(2026, 1, 5), destinations=(), severity=None)
    assert info.value.field == "at"


def test_an_index_position_out_of_range_is_not_found() -> None:
    index = MatcherIndex([((M,), "x")])
    assert index.item(0) == "x"
    with pytest.raises(NotFoundError):
        index.item(1)
    with pytest.raises(NotFoundError):
        index.item(-1)  # not the last entry, as a Python index would have it
