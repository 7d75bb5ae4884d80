from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tocsin.errors import InvalidInput, NaiveDatetimeError
from tocsin.events import Event, Severity
from tocsin.routing import (
    Disposition,
    DynamicRoute,
    Lookup,
    Route,
    Router,
    RoutingTree,
    Rule,
    Stage,
)
from tocsin.services import (
    SEVERITY_BASED,
    Service,
    ServiceCatalog,
    SupportHours,
    Urgency,
    UrgencyRule,
)

MONDAY_10 = datetime(2026, 1, 5, 10, tzinfo=UTC)
CATALOG = ServiceCatalog(
    [
        Service("ops", "Operations"),
        Service("db", "Database"),
        Service("web", "Storefront"),
        Service(
            "billing",
            "Billing",
            support_hours=SupportHours("America/New_York", start=time(9), end=time(17)),
            urgency=UrgencyRule(during=SEVERITY_BASED, outside=Urgency.LOW),
        ),
    ]
)
TREE = RoutingTree(
    Route(
        service="ops",
        routes=(
            Route('team="db"', service="db"),
            Route('event.severity="critical"', service="web"),
        ),
    )
)


def alert(severity: str = "error", **labels: str) -> Event:
    return Event(
        action="trigger",
        dedup_key="k1",
        summary="Something broke",
        source="db1",
        severity=severity,
        custom_details={"labels": labels, "owner": "svc-billing", "owner_name": "Storefront"},
    )


def test_tree_routes_when_no_rule_does() -> None:
    decision = Router(tree=TREE, catalog=CATALOG).route(alert(team="db"), MONDAY_10)
    assert decision.disposition is Disposition.ROUTED
    assert decision.services == ("db",)
    assert decision.destinations[0].urgency is Urgency.HIGH
    assert decision.destinations[0].route is not None
    assert [s.stage for s in decision.steps] == [Stage.ROUTE, Stage.URGENCY]


def test_first_applying_rule_stops_unless_it_continues() -> None:
    rules = (
        Rule("raise severity", when=['team="db"'], set_severity="critical", continue_=True),
        Rule("prio", when=['event.severity="critical"'], set_priority="P1"),
        Rule("never reached", when=['team="db"'], route_to="web"),
    )
    decision = Router(tree=TREE, rules=rules, catalog=CATALOG).route(alert(team="db"), MONDAY_10)
    assert decision.severity is Severity.CRITICAL
    assert decision.priority == "P1"
    assert decision.event.severity is Severity.ERROR  # the event itself is never altered
    assert [s.name for s in decision.steps if s.stage is Stage.RULE] == ["raise severity", "prio"]


def test_rules_see_each_others_severity_and_so_does_the_tree() -> None:
    rules = (Rule("escalate", when=['team="mobile"'], set_severity="critical"),)
    decision = Router(tree=TREE, rules=rules).route(alert(team="mobile"), MONDAY_10)
    assert decision.services == ("web",)  # the tree saw event.severity="critical"


def test_a_rule_applies_when_any_condition_holds() -> None:
    rule = Rule("db or critical", when=['team="db"', 'event.severity="critical"'], route_to="db")
    router = Router(rules=(rule,))
    assert router.route(alert("critical", team="x"), MONDAY_10).services == ("db",)
    assert router.route(alert("info", team="db"), MONDAY_10).services == ("db",)
    assert router.route(alert("info", team="x"), MONDAY_10).disposition is Disposition.UNROUTED


def test_the_first_rule_that_routes_decides_the_service() -> None:
    rules = (
        Rule("to db", route_to="db", continue_=True),
        Rule("to web", route_to="web"),
    )
    decision = Router(rules=rules).route(alert(), MONDAY_10)
    assert decision.services == ("db",)


def test_drop_goes_nowhere_and_says_so() -> None:
    rules = (Rule("drop tests", when=['env="test"'], drop=True),)
    decision = Router(tree=TREE, rules=rules).route(alert(env="test"), MONDAY_10)
    assert decision.disposition is Disposition.DROPPED
    assert decision.destinations == ()
    assert "drop tests" in decision.explain()


def test_suppressed_events_keep_their_destination() -> None:
    rules = (Rule("quiet canary", when=['group="canary"'], suppress=True, continue_=True),)
    decision = Router(tree=TREE, rules=rules).route(alert(group="canary", team="db"), MONDAY_10)
    assert decision.disposition is Disposition.SUPPRESSED
    assert decision.suppressed_by == ("quiet canary",)
    assert decision.services == ("db",)


@pytest.mark.parametrize(
    ("dynamic", "expected"),
    [
        (DynamicRoute("event.custom_details.owner", regex=r"svc-(\w+)"), ("billing",)),
        (DynamicRoute("team"), ("db",)),
        (DynamicRoute("event.custom_details.owner_name", lookup=Lookup.SERVICE_NAME), ("web",)),
        (DynamicRoute("event.custom_details.owner"), ("ops",)),  # "svc-billing": no such id
        (DynamicRoute("event.custom_details.absent"), ("ops",)),
    ],
)
def test_dynamic_routing(dynamic: DynamicRoute, expected: tuple[str, ...]) -> None:
    rules = (Rule("dynamic", dynamic_route=dynamic), Rule("fallback", route_to="ops"))
    decision = Router(rules=rules, catalog=CATALOG).route(alert(team="db"), MONDAY_10)
    assert decision.services == expected


def test_dynamic_routing_failure_is_explained_and_falls_through() -> None:
    rules = (Rule("dynamic", dynamic_route=DynamicRoute("team")),)
    decision = Router(tree=TREE, rules=rules, catalog=CATALOG).route(alert(team="x"), MONDAY_10)
    assert decision.services == ("ops",)
    assert "dynamic route found no service for 'x'" in decision.explain()


def test_dynamic_routing_without_a_catalog_trusts_ids_but_cannot_resolve_names() -> None:
    by_id = Router(rules=(Rule("d", dynamic_route=DynamicRoute("team")),))
    assert by_id.route(alert(team="anything"), MONDAY_10).services == ("anything",)
    by_name = Router(rules=(Rule("d", dynamic_route=DynamicRoute("team", lookup="service_name")),))
    assert by_name.route(alert(team="x"), MONDAY_10).services == ()


def test_urgency_from_support_hours_case_20() -> None:
    # PagerDuty case 20: severity-based inside 09-17 local, low outside; an alert at
    # Monday 07:00 local is low and becomes high at 09:00 local.
    router = Router(rules=(Rule("bill", route_to="billing"),), catalog=CATALOG)
    ny = ZoneInfo("America/New_York")
    early = router.route(alert("critical"), datetime(2026, 3, 9, 7, tzinfo=ny))
    (destination,) = early.destinations
    assert destination.urgency is Urgency.LOW
    assert destination.urgency_changes_at is not None
    assert destination.urgency_changes_at.astimezone(UTC) == datetime(2026, 3, 9, 13, tzinfo=UTC)
    late = router.route(alert("critical"), datetime(2026, 3, 9, 10, tzinfo=ny))
    assert late.destinations[0].urgency is Urgency.HIGH
    warning = router.route(alert("warning"), datetime(2026, 3, 9, 10, tzinfo=ny))
    assert warning.destinations[0].urgency is Urgency.LOW
    assert warning.destinations[0].urgency_changes_at is None  # low on both sides


def test_continue_to_the_same_service_gives_one_destination() -> None:
    tree = RoutingTree(
        Route(
            service="ops",
            routes=(Route('a="1"', service="db", continue_=True), Route('b="1"', service="db")),
        )
    )
    decision = Router(tree=tree).route(alert(a="1", b="1"), MONDAY_10)
    assert decision.services == ("db",)
    assert "one incident per service" in decision.explain()


def test_explain_answers_why_did_this_page_me() -> None:
    router = Router(
        tree=TREE,
        rules=(Rule("drop tests", when=['env="test"'], drop=True),),
        catalog=CATALOG,
    )
    text = router.explain(alert(team="db"), MONDAY_10)
    assert text.splitlines() == [
        "trigger 'k1' (Something broke)",
        "=> routed to db at high urgency",
        "  - rule drop tests: did not apply: no condition held",
        "  - route root: matched",
        "  - route routes[0]: matched",
        "  - route root: stopped after routes[0] (no continue)",
        "  - urgency db: high: always high, severity error",
    ]


def test_routing_is_total_without_a_tree() -> None:
    decision = Router(rules=(Rule("only db", when=['team="db"'], route_to="db"),)).route(
        alert(team="web"), MONDAY_10
    )
    assert decision.disposition is Disposition.UNROUTED
    assert "no rule routed" in decision.explain()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "tree"),
        ({"tree": "x"}, "tree"),
        ({"rules": ["x"]}, "rules[0]"),
        ({"rules": (Rule("r", route_to="nope"),), "catalog": CATALOG}, "rules[0].route_to"),
        (
            {"tree": RoutingTree(Route(service="ops", routes=(Route('a="b"', service="x"),)))},
            "tree.root.routes[0].service",
        ),
    ],
)
def test_bad_routers_name_the_field(kwargs: dict[str, object], field: str) -> None:
    if "tree" in kwargs and isinstance(kwargs["tree"], RoutingTree):
        kwargs["catalog"] = CATALOG
    with pytest.raises(InvalidInput) as info:
        Router(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_route_rejects_a_naive_now() -> None:
    with pytest.raises(NaiveDatetimeError):
        Router(tree=TREE).route(alert(), datetime(2026, 1, 5, 10))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "name"),
        ({"route_to": "a", "dynamic_route": DynamicRoute("x")}, "dynamic_route"),
        ({"drop": True, "route_to": "a"}, "drop"),
        ({"when": ["{}"], "route_to": "a"}, "when[0]"),
        ({"when": ['a="'], "route_to": "a"}, "when[0]"),
        ({"set_severity": "urgent"}, "set_severity"),
        ({"set_priority": ""}, "set_priority"),
    ],
)
def test_bad_rules_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        Rule("r", **kwargs)
    assert info.value.field == field


def test_dynamic_route_validation() -> None:
    with pytest.raises(InvalidInput) as info:
        DynamicRoute("event.nope")
    assert info.value.field == "source"
    with pytest.raises(InvalidInput) as info:
        DynamicRoute("x", regex="(")
    assert info.value.field == "regex"
    with pytest.raises(InvalidInput) as info:
        DynamicRoute("x", lookup="email")
    assert info.value.field == "lookup"
