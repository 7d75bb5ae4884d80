from __future__ import annotations

import pytest

from tocsin.errors import InvalidInput, NotFoundError
from tocsin.events import Link
from tocsin.services import Impact, Service, ServiceCatalog, Team

# db <- api <- web, db <- worker, cache <- api; search stands alone.
SHOP = ServiceCatalog(
    [
        Service("db", "Postgres", team="data"),
        Service("cache", "Redis", team="data"),
        Service("api", "Public API", team="web", depends_on=("db", "cache")),
        Service("worker", team="data", depends_on=("db",)),
        Service("web", "Storefront", team="web", depends_on=("api",)),
        Service("search", team="web"),
    ],
    teams=[Team("data", "Data platform"), Team("web", "Web")],
)


def test_upstream_and_downstream_direct() -> None:
    assert SHOP.upstream("api") == ("db", "cache")
    assert SHOP.downstream("db") == ("api", "worker")
    assert SHOP.upstream("db") == ()
    assert SHOP.downstream("web") == ()


def test_transitive_walks_nearest_first() -> None:
    assert SHOP.upstream("web", transitive=True) == ("api", "db", "cache")
    assert SHOP.downstream("db", transitive=True) == ("api", "worker", "web")


def test_impact_lists_every_dependent_with_its_path() -> None:
    assert SHOP.impact("db") == (
        Impact("api", ("db", "api")),
        Impact("worker", ("db", "worker")),
        Impact("web", ("db", "api", "web")),
    )
    assert [i.distance for i in SHOP.impact("db")] == [1, 1, 2]
    assert SHOP.impact("search") == ()


def test_likely_causes_are_failing_services_with_no_failing_dependency() -> None:
    assert SHOP.likely_causes(["web", "api", "db"]) == ("db",)
    assert SHOP.likely_causes(["web", "cache", "worker"]) == ("cache", "worker")
    assert SHOP.likely_causes([]) == ()


def test_likely_causes_see_through_a_service_that_is_not_alerting() -> None:
    # web fails, db fails, api (between them) has no alert: db is still the cause.
    assert SHOP.likely_causes({"web", "db"}) == ("db",)


def test_cycle_is_rejected_with_its_path() -> None:
    with pytest.raises(InvalidInput) as info:
        ServiceCatalog(
            [
                Service("a", depends_on=("b",)),
                Service("b", depends_on=("c",)),
                Service("c", depends_on=("a",)),
            ]
        )
    assert info.value.field == "services[2].depends_on"
    assert "a -> b -> c -> a" in info.value.reason


def test_two_node_cycle_and_self_dependency() -> None:
    with pytest.raises(InvalidInput, match="x -> y -> x"):
        ServiceCatalog([Service("x", depends_on=("y",)), Service("y", depends_on=("x",))])
    with pytest.raises(InvalidInput) as info:
        Service("x", depends_on=("x",))
    assert info.value.field == "depends_on"


@pytest.mark.parametrize(
    ("services", "teams", "field"),
    [
        ([Service("a"), Service("a")], [], "services[1].id"),
        ([Service("a", depends_on=("nope",))], [], "services[0].depends_on[0]"),
        ([Service("a", team="ghost")], [Team("t")], "services[0].team"),
        ([Service("a")], [Team("t"), Team("t")], "teams[1].id"),
        (["not a service"], [], "services[0]"),
    ],
)
def test_bad_catalogs_name_the_field(services: list[object], teams: list[Team], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        ServiceCatalog(services, teams)
    assert info.value.field == field


def test_unknown_lookups_raise_not_found() -> None:
    with pytest.raises(NotFoundError):
        SHOP["nope"]
    with pytest.raises(NotFoundError):
        SHOP.impact("nope")
    with pytest.raises(NotFoundError):
        SHOP.team("nope")
    with pytest.raises(InvalidInput) as info:
        SHOP.likely_causes(["db", "nope"])
    assert info.value.field == "failing[1]"
    assert SHOP.get("nope") is None


def test_lookups_and_team_ownership() -> None:
    assert SHOP["web"].display_name == "Storefront"
    assert SHOP["worker"].display_name == "worker"
    assert "db" in SHOP
    assert len(SHOP) == 6
    assert [s.id for s in SHOP.services_of("web")] == ["api", "web", "search"]
    assert SHOP.team("data").name == "Data platform"


def test_without_teams_a_team_reference_is_not_checked() -> None:
    catalog = ServiceCatalog([Service("a", team="anyone")])
    assert catalog["a"].team == "anyone"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"service_id": ""}, "id"),
        ({"tags": "x"}, "tags"),
        ({"tags": ["x", "x"]}, "tags[1]"),
        ({"depends_on": [""]}, "depends_on[0]"),
        ({"runbooks": [""]}, "runbooks[0]"),
        ({"team": ""}, "team"),
        ({"escalation_policy": 3}, "escalation_policy"),
        ({"support_hours": "9-5"}, "support_hours"),
        ({"urgency": "high"}, "urgency"),
    ],
)
def test_bad_services_name_the_field(kwargs: dict[str, object], field: str) -> None:
    service_id = kwargs.pop("service_id", "svc")
    with pytest.raises(InvalidInput) as info:
        Service(service_id, **kwargs)
    assert info.value.field == field


def test_runbooks_accept_urls_and_links() -> None:
    service = Service("db", runbooks=["https://runbooks/db", Link("https://x", "X")])
    assert service.runbooks == (Link("https://runbooks/db"), Link("https://x", "X"))
