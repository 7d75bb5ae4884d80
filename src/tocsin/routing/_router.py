"""The router: ordered rules, then the routing tree, then urgency per service."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from tocsin._checks import typed_tuple
from tocsin.errors import InvalidInput
from tocsin.events import Event, Severity
from tocsin.routing._decision import (
    Destination,
    RoutingDecision,
    Stage,
    Step,
    make_decision,
    make_destination,
    make_step,
)
from tocsin.routing._fields import compile_getter
from tocsin.routing._matcher import labels_of
from tocsin.routing._rules import Lookup, Rule
from tocsin.routing._tree import RouteMatch, RoutingTree
from tocsin.services import ServiceCatalog, UrgencyRule
from tocsin.time import require_aware

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from tocsin.routing._matcher import Matcher

__all__ = ["Router"]

_DEFAULT_URGENCY = UrgencyRule()


def _rules(value: object) -> tuple[Rule, ...]:
    return typed_tuple(value, Rule, "rules")


def _describe_condition(condition: tuple[Matcher, ...]) -> str:
    if not condition:
        return "always (no conditions)"
    return "{" + ", ".join(str(m) for m in condition) + "}"


class _Progress:
    # What the rules have decided so far for one event (private, mutable, short-lived;
    # a plain slotted class because routing builds one per event on the hot path).
    __slots__ = (
        "current",
        "dropped",
        "event",
        "priority",
        "routed",
        "severity",
        "steps",
        "suppressed_by",
    )

    def __init__(self, event: Event) -> None:
        self.event = self.current = event
        self.severity: Severity | None = event.severity
        self.priority: str | None = None
        self.suppressed_by: list[str] = []
        self.dropped = False
        self.steps: list[Step] = []
        self.routed: list[tuple[str, str, RouteMatch | None]] = []

    def decision(self, now: datetime, destinations: tuple[Destination, ...]) -> RoutingDecision:
        return make_decision(
            event=self.event,
            at=now,
            destinations=destinations,
            severity=self.severity,
            priority=self.priority,
            suppressed_by=tuple(self.suppressed_by) if self.suppressed_by else (),
            dropped=self.dropped,
            steps=tuple(self.steps),
        )


@attrs.frozen
class Router:
    """Route events to services and say why: ``route(event, now) -> RoutingDecision``.

    1. ``rules`` are tried in order (see :class:`Rule`).  They may drop, suppress,
       change severity or priority, and route; the first rule that routes decides
       the service.
    2. If no rule routed, the ``tree`` decides (one or more services, Alertmanager
       semantics).  The tree sees the severity the rules set.
    3. Each destination gets an urgency from its service in ``catalog``: the
       service's :class:`~tocsin.services.UrgencyRule` read against its support hours
       at ``now`` (no catalog entry: always high, PagerDuty's default).

    With a ``catalog``, every service a rule or route names must exist in it, checked
    here; dynamic routes resolve against it at run time.

    >>> from datetime import UTC, datetime
    >>> from tocsin.events import Event
    >>> from tocsin.routing import Route, RoutingTree, Rule
    >>> router = Router(
    ...     tree=RoutingTree(Route(service="ops", routes=(Route('team="db"', service="db"),))),
    ...     rules=(Rule("no canaries", when=['group="canary"'], suppress=True),),
    ... )
    >>> event = Event(
    ...     action="trigger",
    ...     dedup_key="k",
    ...     summary="down",
    ...     source="db1",
    ...     severity="critical",
    ...     custom_details={"labels": {"team": "db"}},
    ... )
    >>> decision = router.route(event, datetime(2026, 1, 5, 9, tzinfo=UTC))
    >>> decision.services, decision.disposition
    (('db',), <Disposition.ROUTED: 'routed'>)
    """

    tree: RoutingTree | None = None
    rules: tuple[Rule, ...] = attrs.field(default=(), converter=_rules)
    catalog: ServiceCatalog | None = None
    # What never changes for a given route or (service, severity), built once: routing
    # is the hot path and these steps and destinations are immutable values.
    _route_steps: dict[tuple[int, ...], Step] = attrs.field(init=False, eq=False, repr=False)
    _fixed: dict[tuple[object, ...], tuple[Destination, Step]] = attrs.field(
        init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_fixed", {})
        object.__setattr__(self, "_route_steps", {})
        tree: object = self.tree
        if tree is not None and not isinstance(tree, RoutingTree):
            msg = f"expected a RoutingTree or None, got {type(tree).__name__}"
            raise InvalidInput("tree", msg)
        catalog: object = self.catalog
        if catalog is not None and not isinstance(catalog, ServiceCatalog):
            msg = f"expected a ServiceCatalog or None, got {type(catalog).__name__}"
            raise InvalidInput("catalog", msg)
        if self.tree is None and not self.rules:
            msg = "a router needs a routing tree, rules, or both"
            raise InvalidInput("tree", msg)
        if self.tree is not None:
            self._route_steps.update(
                (m.path, make_step(Stage.ROUTE, m.label, "matched: " + " > ".join(m.trail)))
                for m in self.tree.routes
            )
        if self.catalog is not None:
            self._check_services(self.catalog)

    def _check_services(self, catalog: ServiceCatalog) -> None:
        for i, rule in enumerate(self.rules):
            if rule.route_to is not None and rule.route_to not in catalog:
                where = f"rules[{i}].route_to"
                msg = f"unknown service {rule.route_to!r}"
                raise InvalidInput(where, msg)
        for match in self.tree.routes if self.tree is not None else ():
            service = match.route.service
            if service is not None and service not in catalog:
                where = ".".join(["tree.root", *(f"routes[{i}]" for i in match.path), "service"])
                msg = f"unknown service {service!r}"
                raise InvalidInput(where, msg)

    def route(self, event: Event, now: datetime) -> RoutingDecision:
        """Decide where ``event`` goes at ``now``; total: every event gets a decision."""
        return self._route(event, now, trace=False)

    def explain(self, event: Event, now: datetime) -> str:
        """``route(...).explain()`` plus every rule and route that did *not* apply, and why."""
        return self._route(event, now, trace=True).explain()

    def _route(self, event: Event, now: datetime, *, trace: bool) -> RoutingDecision:
        checked: object = event
        if not isinstance(checked, Event):
            msg = f"expected an Event, got {type(checked).__name__}"
            raise InvalidInput("event", msg)
        require_aware(now, "now")
        labels, _ = labels_of(event)
        if not self.rules and not trace and self.tree is not None:
            fast = self._fast(event, labels, now)
            if fast is not None:
                return fast
        state = _Progress(event)
        if self.rules:
            self._apply_rules(labels, state, trace=trace)
        if state.dropped:
            return state.decision(now, ())
        if not state.routed and self.tree is not None:
            self._walk_tree(self.tree, labels, state, trace=trace)
        if not state.routed:
            state.steps.append(
                make_step(Stage.DEFAULT, "unrouted", "no rule routed and no routing tree")
            )
        return state.decision(now, self._destinations(state, now))

    def _walk_tree(
        self, tree: RoutingTree, labels: Mapping[str, str], state: _Progress, *, trace: bool
    ) -> None:
        if trace:
            notes = tree.trace(state.current)
            state.steps.extend(make_step(Stage.ROUTE, match.label, note) for match, note in notes)
        for match in tree.match_labels(labels, state.current):
            state.routed.append((match.service, "", match))
            if not trace:
                state.steps.append(self._route_steps[match.path])

    def _fast(
        self, event: Event, labels: Mapping[str, str], now: datetime
    ) -> RoutingDecision | None:
        # The common case, kept lean: no rules, one route, an urgency already known.
        assert self.tree is not None  # noqa: S101 - the caller checked
        matches = self.tree.match_labels(labels, event)
        if len(matches) != 1:
            return None
        match = matches[0]
        fixed = self._fixed.get((match.service, "", match.path, event.severity))
        if fixed is None:
            return None
        return make_decision(
            event=event,
            at=now,
            destinations=(fixed[0],),
            severity=event.severity,
            steps=(self._route_steps[match.path], fixed[1]),
        )

    def _apply_rules(self, labels: Mapping[str, str], state: _Progress, *, trace: bool) -> None:
        for rule in self.rules:
            condition = rule.matching_condition(labels, state.current)
            if condition is None:
                if trace:
                    detail = "did not apply: no condition held"
                    state.steps.append(make_step(Stage.RULE, rule.name, detail))
                continue
            detail = f"applied ({_describe_condition(condition)}): {', '.join(rule.actions())}"
            state.steps.append(make_step(Stage.RULE, rule.name, detail))
            if rule.drop:
                state.dropped = True
                return
            if rule.set_severity is not None and rule.set_severity != state.severity:
                state.severity = rule.set_severity
                state.current = attrs.evolve(state.current, severity=rule.set_severity)
            if rule.set_priority is not None:
                state.priority = rule.set_priority
            if rule.suppress:
                state.suppressed_by.append(rule.name)
            fell_through = not state.routed and not self._route_by(rule, state)
            if not rule.continue_ and not fell_through:
                return

    def _route_by(self, rule: Rule, state: _Progress) -> bool:
        # False only when a dynamic route found no service: evaluation then goes on to
        # the next rule, as PagerDuty's router does.
        if rule.route_to is not None:
            state.routed.append((rule.route_to, f"rule {rule.name!r}", None))
        elif rule.dynamic_route is not None:
            found = self._dynamic(rule, state.current, state.steps)
            if found is None:
                return False
            state.routed.append((found, f"rule {rule.name!r} (dynamic)", None))
        return True

    def _dynamic(self, rule: Rule, event: Event, steps: list[Step]) -> str | None:
        dynamic = rule.dynamic_route
        assert dynamic is not None  # noqa: S101 - the caller checked
        getter = compile_getter(dynamic.source)
        raw = event.labels.get(dynamic.source) if getter is None else getter(event)
        extracted = dynamic.extract(raw)
        service = self._lookup(extracted, dynamic.lookup)
        if service is None:
            detail = f"dynamic route found no service for {extracted!r} ({dynamic.describe()})"
            steps.append(make_step(Stage.RULE, rule.name, detail + "; going on to the next rule"))
        return service

    def _lookup(self, extracted: str | None, lookup: Lookup) -> str | None:
        if extracted is None:
            return None
        if self.catalog is None:
            # Without a catalog an id cannot be checked, so it is trusted; a name
            # cannot be resolved at all.
            return extracted if lookup is Lookup.SERVICE_ID else None
        if lookup is Lookup.SERVICE_ID:
            return extracted if extracted in self.catalog else None
        return next((s.id for s in self.catalog if s.name == extracted), None)

    def _destinations(self, state: _Progress, now: datetime) -> tuple[Destination, ...]:
        if len(state.routed) == 1:
            service_id, via, match = state.routed[0]
            return (self._urgency(service_id, via, match, state, now),)
        seen: dict[str, Destination] = {}
        for service_id, via, match in state.routed:
            if service_id in seen:
                how = via or f"route {match.label if match is not None else service_id}"
                detail = f"{how} also leads to {service_id}; one incident per service"
                state.steps.append(make_step(Stage.ROUTE, service_id, detail))
                continue
            seen[service_id] = self._urgency(service_id, via, match, state, now)
        return tuple(seen.values())

    def _urgency(
        self,
        service_id: str,
        given_via: str,
        match: RouteMatch | None,
        state: _Progress,
        now: datetime,
    ) -> Destination:
        severity, steps = state.severity, state.steps
        key = (service_id, given_via, match.path if match is not None else None, severity)
        fixed = self._fixed.get(key)
        if fixed is not None:
            steps.append(fixed[1])
            return fixed[0]
        via = given_via or f"route {match.label if match is not None else service_id}"
        service = self.catalog.get(service_id) if self.catalog is not None else None
        rule = service.urgency if service is not None else _DEFAULT_URGENCY
        hours = service.support_hours if service is not None else None
        if hours is None:
            # Without support hours the answer depends on nothing else: remember it.
            urgency = rule.urgency(severity, in_support_hours=True)
            detail = f"{urgency}: {rule.describe()}, severity {severity}"
            step = make_step(Stage.URGENCY, service_id, detail)
            destination = make_destination(service_id, urgency, via, match)
            self._fixed[key] = (destination, step)
            steps.append(step)
            return destination
        inside = hours.covers(now)
        urgency = rule.urgency(severity, in_support_hours=inside)
        other = rule.urgency(severity, in_support_hours=not inside)
        changes_at = hours.next_change(now) if other != urgency else None
        side = "inside" if inside else "outside"
        detail = (
            f"{urgency}: {rule.describe()}; {now.astimezone(hours.zone):%a %H:%M %Z} is {side} "
            f"support hours ({hours.describe()}), severity {severity}"
        )
        if changes_at is not None:
            detail += f"; becomes {other} at {changes_at.isoformat()}"
        steps.append(make_step(Stage.URGENCY, service_id, detail))
        return make_destination(service_id, urgency, via, match, changes_at)
