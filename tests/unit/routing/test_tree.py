from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from tocsin.errors import InvalidInput
from tocsin.routing import ALL_LABELS, Route, RoutingTree

TREE = RoutingTree(
    Route(
        service="default",
        group_by=("alertname",),
        group_wait=timedelta(seconds=10),
        routes=(
            Route(
                'team="db"',
                service="db",
                routes=(
                    Route('severity="critical"', service="db-pager", group_by=("cluster",)),
                    Route('severity=~"warning|info"', repeat_interval=timedelta(hours=12)),
                ),
            ),
            Route('team="web"', service="web", continue_=True),
            Route('env="prod"', service="prod-watch"),
            Route('team="web"', service="never"),
        ),
    )
)


def services(labels: dict[str, str]) -> list[str]:
    return [m.service for m in TREE.match(labels)]


def test_first_matching_child_wins() -> None:
    assert services({"team": "db", "severity": "critical"}) == ["db-pager"]


def test_a_route_with_no_matching_child_is_the_match() -> None:
    assert services({"team": "db", "severity": "error"}) == ["db"]


def test_nothing_matches_falls_back_to_the_root() -> None:
    assert services({"team": "mobile"}) == ["default"]
    assert services({}) == ["default"]


def test_continue_lets_later_siblings_match() -> None:
    assert services({"team": "web", "env": "prod"}) == ["web", "prod-watch"]
    # prod-watch does not continue, so the second team="web" route is never reached.
    assert services({"team": "web"}) == ["web", "never"]


def test_children_inherit_unless_they_override() -> None:
    (pager,) = TREE.match({"team": "db", "severity": "critical"})
    assert pager.group_by == ("cluster",)
    assert pager.group_wait == timedelta(seconds=10)  # from the root
    assert pager.group_interval == timedelta(minutes=5)  # Alertmanager's default
    assert pager.repeat_interval == timedelta(hours=4)
    (warning,) = TREE.match({"team": "db", "severity": "info"})
    assert warning.service == "db"  # inherited receiver
    assert warning.group_by == ("alertname",)
    assert warning.repeat_interval == timedelta(hours=12)
    assert warning.path == (0, 1)
    assert warning.label == "routes[0].routes[1]"
    assert warning.trail == (
        "root",
        'routes[0] {team="db"}',
        'routes[1] {severity=~"warning|info"}',
    )


def test_group_key_matches_alertmanager() -> None:
    tree = RoutingTree(
        Route(
            service="default",
            group_by=("alertname",),
            routes=(Route('severity="page"', service="pager"),),
        )
    )
    labels = {"alertname": "HighLatency", "severity": "page", "instance": "a"}
    (match,) = tree.match(labels)
    assert match.route_key == '{}/{severity="page"}'
    assert match.group_key(labels) == '{}/{severity="page"}:{alertname="HighLatency"}'
    expected = "166c8f15650908ca6a22b35e649141d0c1199f4410107f158009d51db52b3d72"
    assert match.group_key_hash(labels) == expected
    assert hashlib.sha256(match.group_key(labels).encode()).hexdigest() == expected


def test_group_key_sorts_route_matchers_and_group_labels() -> None:
    tree = RoutingTree(Route(service="d", group_by=("b", "a"), routes=(Route('{z="1", a=~"x"}'),)))
    (match,) = tree.match({"z": "1", "a": "x", "b": "2"})
    assert match.group_key({"z": "1", "a": "x", "b": "2"}) == '{}/{a=~"x",z="1"}:{a="x", b="2"}'


def test_route_key_orders_same_name_and_value_by_operator_as_go_does() -> None:
    # Go sorts route matchers by name, value, then type (=, !=, =~, !~); tocsin
    # sorted the operator text, which put != and !~ first and changed the key.
    tree = RoutingTree(Route(service="d", routes=(Route('{a!~"x", a=~"x", a="x", a!="x"}'),)))
    assert tree.routes[1].route_key == '{}/{a="x",a!="x",a=~"x",a!~"x"}'


def test_group_by_all_labels() -> None:
    tree = RoutingTree(Route(service="d", group_by=ALL_LABELS))
    (match,) = tree.match({"x": "1", "y": "2"})
    assert match.group_labels({"x": "1", "y": "2"}) == {"x": "1", "y": "2"}


def test_group_labels_leave_out_empty_values_as_alertmanager_drops_them() -> None:
    # Alertmanager removes empty-valued labels when alerts arrive, so team="" and no
    # team are one aggregation group there; tocsin keyed them apart.
    tree = RoutingTree(Route(service="d", group_by=("alertname", "team")))
    (match,) = tree.match({"alertname": "A"})
    assert match.group_labels({"alertname": "A", "team": ""}) == {"alertname": "A"}
    assert match.group_key({"alertname": "A", "team": ""}) == match.group_key({"alertname": "A"})
    every = RoutingTree(Route(service="d", group_by=ALL_LABELS)).match({})[0]
    assert every.group_labels({"x": "1", "y": ""}) == {"x": "1"}


def test_trace_says_why_each_route_did_or_did_not_match() -> None:
    notes = [(m.label, note) for m, note in TREE.trace({"team": "db", "severity": "error"})]
    assert notes == [
        ("root", "matched"),
        ("routes[0]", "matched"),
        ("routes[0].routes[0]", 'did not match: severity="critical" (value "error")'),
        ("routes[0].routes[1]", 'did not match: severity=~"warning|info" (value "error")'),
        ("routes[0]", "no child matched, so this route is the destination"),
        ("root", "stopped after routes[0] (no continue)"),
    ]


def test_routes_lists_every_node_depth_first() -> None:
    assert [m.label for m in TREE.routes] == [
        "root",
        "routes[0]",
        "routes[0].routes[0]",
        "routes[0].routes[1]",
        "routes[1]",
        "routes[2]",
        "routes[3]",
    ]
    assert TREE.services == {"default", "db", "db-pager", "web", "prod-watch", "never"}


@pytest.mark.parametrize(
    ("root", "field"),
    [
        (Route('a="b"', service="x"), "root.matchers"),
        (Route(), "root.service"),
    ],
)
def test_root_must_match_everything_and_name_a_service(root: Route, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        RoutingTree(root)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"group_by": "alertname"}, "group_by"),
        ({"group_by": ("a", "a")}, "group_by[1]"),
        ({"group_by": ("...", "a")}, "group_by[0]"),
        ({"group_interval": timedelta(0)}, "group_interval"),
        ({"group_wait": timedelta(seconds=-1)}, "group_wait"),
        ({"repeat_interval": 5}, "repeat_interval"),
        ({"service": ""}, "service"),
        ({"routes": ["x"]}, "routes[0]"),
        ({"matchers": 'a="'}, "matchers"),
    ],
)
def test_bad_routes_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        Route(**kwargs)
    assert info.value.field == field


def test_group_wait_may_be_zero() -> None:
    assert Route(group_wait=timedelta(0)).group_wait == timedelta(0)
