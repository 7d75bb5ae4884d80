"""Route 100,000 events through a 200-route tree with 1,000 active silences.

tocsin's `Router` (children indexed by one equality matcher each) plus `SilenceSet`
(silences indexed the same way) against a naive evaluation of the very same objects:
Alertmanager's depth-first walk trying every child's matchers in turn, and a linear
scan over every silence.  Both must agree on every event; the script checks that
before it reports a number.

Run: `make bench`, or `PYTHONTZPATH="" .venv/bin/python benchmarks/bench_routing.py`.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tocsin.events import Event
from tocsin.noise import Silence, SilenceSet
from tocsin.routing import Matcher, Route, RouteMatch, Router, RoutingTree

if TYPE_CHECKING:
    from collections.abc import Callable

    from tocsin.routing._tree import _Node

EVENTS = 100_000
RUNS = 5
SILENCES = 1_000
TEAMS = 20
SERVICES_PER_TEAM = 9  # 20 team routes + 180 service routes = 200 routes below the root
NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)
SEVERITIES = ("critical", "error", "warning", "info")


def build_tree(rng: random.Random) -> RoutingTree:
    teams = []
    for t in range(TEAMS):
        children = []
        for s in range(SERVICES_PER_TEAM):
            matchers = [f'service="svc-{t}-{s}"']
            if s % 3 == 0:
                matchers.append('severity=~"critical|error"')
            children.append(Route(matchers, service=f"svc-{t}-{s}", continue_=rng.random() < 0.1))
        teams.append(Route(f'team="team-{t}"', service=f"team-{t}", routes=tuple(children)))
    return RoutingTree(Route(service="ops", group_by=("alertname",), routes=tuple(teams)))


def build_silences(rng: random.Random) -> SilenceSet:
    found = []
    for i in range(SILENCES):
        start = NOW - timedelta(minutes=rng.randint(1, 600))
        end = NOW + timedelta(minutes=rng.randint(1, 600))
        kind = i % 100
        if kind < 88:  # one host, one alert: the most common silence (amtool's default)
            matchers = [
                f'instance="host-{rng.randrange(5000)}"',
                f'alertname="Alert{rng.randrange(60)}"',
            ]
        elif kind < 90:  # a whole service during a deploy
            matchers = [f'service="svc-{rng.randrange(TEAMS)}-{rng.randrange(SERVICES_PER_TEAM)}"']
        elif kind < 95:  # a few alerts anywhere, by regex alternation
            hosts = f"host-{rng.randrange(5000)}|host-{rng.randrange(5000)}"
            matchers = [f'instance=~"{hosts}"', 'alertname=~"Alert1.*"']
        else:  # a rack of hosts by regex, with no equality at all
            matchers = [f'instance=~"host-{rng.randrange(500)}[0-9]"', 'severity!="critical"']
        found.append(Silence(f"s{i}", matchers, start, end, created_by="bench"))
    return SilenceSet(found)


def build_events(rng: random.Random) -> list[Event]:
    events = []
    for i in range(EVENTS):
        team = rng.randrange(TEAMS + 2)  # a few events belong to no known team
        labels = {
            "alertname": f"Alert{rng.randrange(60)}",
            "team": f"team-{team}",
            "service": f"svc-{team}-{rng.randrange(SERVICES_PER_TEAM)}",
            "severity": rng.choice(SEVERITIES),
            "instance": f"host-{rng.randrange(5000)}",
            "cluster": f"c{rng.randrange(8)}",
            "env": rng.choice(("prod", "staging")),
        }
        events.append(
            Event(
                action="trigger",
                dedup_key=f"k{i}",
                summary=f"{labels['alertname']} on {labels['instance']}",
                source=labels["instance"],
                severity=labels["severity"],
                custom_details={"labels": labels},
            )
        )
    return events


def holds(matchers: tuple[Matcher, ...], labels: dict[str, str]) -> bool:
    # Every matcher against labels read once per event, as Alertmanager does (the
    # indexed side tests matchers the same way; matches_all would re-check the labels
    # on every call).
    return all(m.test(labels, None) for m in matchers)


def naive_match(node: _Node, labels: dict[str, str]) -> list[RouteMatch]:
    # Alertmanager's Route.Match: try every child's matchers in order.
    if not holds(node.matchers, labels):
        return []
    found: list[RouteMatch] = []
    for child in node.children:
        matched = naive_match(child, labels)
        found.extend(matched)
        if matched and not child.continue_:
            break
    return found or [node.match]


def run_tocsin(
    router: Router, silences: SilenceSet, events: list[Event]
) -> list[tuple[tuple[str, ...], int]]:
    results = []
    route, silencing = router.route, silences.silencing
    for event in events:
        decision = route(event, NOW)
        results.append((decision.services, len(silencing(event, NOW))))
    return results


def run_naive(
    tree: RoutingTree, silences: tuple[Silence, ...], events: list[Event]
) -> list[tuple[tuple[str, ...], int]]:
    results = []
    root = tree._compiled  # noqa: SLF001 - the same compiled routes, walked without the index
    for event in events:
        labels = dict(event.labels)
        services = tuple(dict.fromkeys(m.service for m in naive_match(root, labels)))
        muted = sum(1 for s in silences if s.active(NOW) and holds(s.matchers, labels))
        results.append((services, muted))
    return results


Results = list[tuple[tuple[str, ...], int]]


def timed(func: Callable[..., Results], *args: object) -> tuple[float, float, Results]:
    # Wall time and this process's CPU time: on a shared machine the CPU time says what
    # the code costs, the wall time what a user would have waited.
    wall, cpu = time.perf_counter(), time.process_time()
    result = func(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> int:
    rng = random.Random(20260105)
    tree = build_tree(rng)
    silences = build_silences(rng)
    events = build_events(rng)
    router = Router(tree=tree)
    routes, active = len(tree.routes) - 1, len(silences.silences)
    print(f"{EVENTS:,} events, {routes} routes below the root, {active:,} active silences")
    # The naive scan is slow: time it on a slice and check agreement on that slice.
    sample = events[:10_000]
    ours_wall, ours_cpu, naive_wall, naive_cpu = [], [], [], []
    for _ in range(RUNS):
        wall, cpu, ours = timed(run_tocsin, router, silences, events)
        ours_wall.append(EVENTS / wall)
        ours_cpu.append(EVENTS / cpu)
        wall, cpu, theirs = timed(run_naive, tree, silences.silences, sample)
        naive_wall.append(len(sample) / wall)
        naive_cpu.append(len(sample) / cpu)
        if ours[: len(sample)] != theirs:
            print("MISMATCH between tocsin and the naive scan", file=sys.stderr)
            return 1
    muted = sum(1 for _, n in ours if n)
    print(f"{muted:,} of {EVENTS:,} events silenced; results identical on {len(sample):,} checked")
    print()
    rows = [
        ("tocsin Router.route + SilenceSet", ours_wall, ours_cpu),
        ("naive scan (AM walk + every silence)", naive_wall, naive_cpu),
    ]
    wall_base, cpu_base = statistics.median(naive_wall), statistics.median(naive_cpu)
    print(
        f"{'implementation':<38}{'events/s wall':>15}{'ratio':>8}{'events/s CPU':>15}{'ratio':>8}"
    )
    for name, walls, cpus in rows:
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(
            f"{name:<38}{wall:>15,.0f}{wall / wall_base:>7.1f}x{cpu:>15,.0f}{cpu / cpu_base:>7.1f}x"
        )
    print(f"(medians of {RUNS} runs)")
    wall, cpu = statistics.median(ours_wall), statistics.median(ours_cpu)
    print()
    print(
        f"target >= 100,000 events/s: wall {'met' if wall >= 100_000 else 'NOT met'}, "
        f"CPU {'met' if cpu >= 100_000 else 'NOT met'}"
    )
    ratio = min(wall / wall_base, cpu / cpu_base)
    print(f"target >= 10x the naive scan: {'met' if ratio >= 10 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
