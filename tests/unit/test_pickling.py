"""Public values survive pickling and deep copies, and are checked again on arrival.

Values cross process boundaries (worker pools, queues, caches).  Read-only mappings and
compiled closures do not pickle, so the values that hold them travel as their
constructors' arguments (``tocsin._rebuild``); each is held here to an equal value,
working the same way, after the trip.  Events are tested in tests/unit/events and a
CloudWatch SubscriptionConfirmation in tests/unit/integrations.
"""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import TypeVar

import pytest

from tocsin.errors import InvalidInput
from tocsin.escalation import (
    Acknowledge,
    Command,
    EscalationLevel,
    EscalationPolicy,
    ScheduleTarget,
    Trigger,
    UserTarget,
    simulate,
)
from tocsin.events import Event
from tocsin.noise import Inhibitor, InhibitRule, NoisePolicy, NoiseState, Silence, SilenceSet
from tocsin.routing import Matcher, Route, Router, RoutingTree
from tocsin.services import Service, ServiceCatalog, Team
from tocsin.testing import FakeSchedule

T0 = datetime(2026, 3, 9, 9, tzinfo=UTC)
_V = TypeVar("_V")


def clones(value: _V) -> tuple[_V, _V]:
    """``value`` pickled and back, and deep-copied."""
    return pickle.loads(pickle.dumps(value)), copy.deepcopy(value)  # noqa: S301


def fire(key: str, **labels: str) -> Event:
    return Event(
        action="trigger",
        dedup_key=key,
        summary=f"{key} broke",
        source="db1",
        severity="critical",
        custom_details={"labels": labels},
    )


def test_timelines_pickle_and_deep_copy() -> None:
    policy = EscalationPolicy(
        "db",
        [
            EscalationLevel([ScheduleTarget("primary")], timedelta(minutes=10)),
            EscalationLevel([UserTarget("bob")], timedelta(minutes=10)),
        ],
    )
    commands: list[tuple[datetime, Command]] = [
        (T0, Trigger(fire("db1/disk"), service="checkout")),
        (T0 + timedelta(minutes=25), Acknowledge("bob")),
    ]
    timeline = simulate(policy, commands, {"primary": FakeSchedule("alice")})
    assert len(timeline.incidents) == 1
    for clone in clones(timeline):
        assert clone == timeline
        assert type(clone.incidents) is MappingProxyType
        assert clone.render() == timeline.render()
        assert [(n.at, n.user) for n in clone.notifications] == [
            (T0, "alice"),
            (T0 + timedelta(minutes=10), "bob"),
        ]


def test_noise_states_pickle_and_deep_copy() -> None:
    policy = NoisePolicy()
    state, _ = policy.step(NoiseState(), fire("a", team="db"), T0)
    state, _ = policy.step(state, fire("b", team="web"), T0 + timedelta(minutes=1))
    assert len(state.alerts) == len(state.incidents) == 2
    for clone in clones(state):
        assert clone == state
        assert type(clone.alerts) is MappingProxyType
        assert type(clone.incidents) is MappingProxyType
        assert dict(clone.alerts) == dict(state.alerts)
        assert dict(clone.incidents) == dict(state.incidents)
        # ... and the clone carries on as the original does.
        later = T0 + timedelta(minutes=2)
        after, verdicts = policy.step(clone, fire("a", team="db"), later)
        expected, expected_verdicts = policy.step(state, fire("a", team="db"), later)
        assert verdicts == expected_verdicts
        assert dict(after.incidents) == dict(expected.incidents)


def test_noise_states_compare_by_what_they_remember() -> None:
    """Two states with the same counters and clock but other alerts are not equal."""
    policy = NoisePolicy()
    one, _ = policy.step(NoiseState(), fire("a", team="db"), T0)
    other, _ = policy.step(NoiseState(), fire("b", team="web"), T0)
    assert (one.opened, one.now) == (other.opened, other.now)
    assert one != other
    assert hash(one) == hash(other)  # the mappings are left out of the hash, not of ==


def test_service_catalogs_pickle_and_deep_copy() -> None:
    catalog = ServiceCatalog(
        [
            Service("db", "Postgres", team="data"),
            Service("api", "Public API", team="web", depends_on=("db",)),
            Service("web", team="web", depends_on=("api",)),
        ],
        teams=[Team("data", "Data platform"), Team("web", "Web")],
    )
    for clone in clones(catalog):
        assert clone == catalog
        assert clone["api"] == catalog["api"]
        assert "db" in clone
        assert clone.downstream("db", transitive=True) == ("api", "web")
        assert clone.upstream("web", transitive=True) == ("api", "db")


def test_matchers_pickle_and_deep_copy() -> None:
    matchers = [
        Matcher("team", "=", "db"),
        Matcher("team", "!=", "db"),
        Matcher("host", "=~", "db-[0-9]+"),
        Matcher("host", "!~", "db-.*"),
        Matcher("event.severity", "=", "critical"),
    ]
    event = fire("k", team="db", host="db-12")
    for matcher in matchers:
        for clone in clones(matcher):
            assert clone == matcher
            assert str(clone) == str(matcher)
            assert clone.matches(event) is matcher.matches(event)
            assert clone.matches({"host": "web-1"}) is matcher.matches({"host": "web-1"})
    # The clone is compiled again on arrival: a bad regex cannot arrive.
    _, arguments = matchers[2].__reduce__()
    assert isinstance(arguments, tuple)
    kind, fields = arguments
    with pytest.raises(InvalidInput) as info:
        kind(**(fields | {"value": "("}))
    assert info.value.field == "value"


def test_values_holding_matchers_pickle_and_deep_copy() -> None:
    # Routing trees, routers, silences and inhibit rules hold matchers (and caches
    # compiled from them); each travels with its matchers and compiles them again.
    tree = RoutingTree(
        Route(
            service="ops",
            routes=(
                Route('team="db"', service="db"),
                Route('event.severity=~"crit.*"', service="web"),
            ),
        )
    )
    router = Router(tree=tree)
    silence = Silence("s1", ['team="db"'], T0, T0 + timedelta(hours=1))
    silences = SilenceSet([silence])
    rule = InhibitRule(source=['severity="critical"'], target=['severity="warning"'])
    inhibitor = Inhibitor((rule,))
    policy = NoisePolicy(router=router, silences=silences, inhibitor=inhibitor)
    db, web = fire("a", team="db"), fire("b", team="web")
    critical = {"severity": "critical"}
    warning = {"severity": "warning"}
    for value in (tree, router, silence, silences, rule, inhibitor, policy):
        for clone in clones(value):
            assert clone == value
    for tree_clone in clones(tree):
        assert tree_clone.match(db) == tree.match(db)
        assert tree_clone.match(web) == tree.match(web)
    for router_clone in clones(router):
        assert router_clone.route(db, T0) == router.route(db, T0)
    for silences_clone in clones(silences):
        assert silences_clone.silencing(db, T0) == (silence,)
        assert silences_clone.silencing(web, T0) == ()
    for inhibitor_clone in clones(inhibitor):
        assert inhibitor_clone.inhibited(warning, [critical])
        assert not inhibitor_clone.inhibited(critical, [warning])
    for policy_clone in clones(policy):
        stream = [(T0, db), (T0, web)]
        assert policy_clone.replay(stream).verdicts == policy.replay(stream).verdicts
