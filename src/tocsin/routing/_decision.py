"""What routing decided, and every step that led there."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import attrs

from tocsin._checks import (
    enum_member,
    flag,
    identifier,
    instance,
    optional_instance,
    optional_name,
    text,
    typed_tuple,
)
from tocsin._trusted import unchecked
from tocsin.errors import InvalidInput
from tocsin.events import Event, Severity
from tocsin.routing._tree import RouteMatch
from tocsin.services import Urgency
from tocsin.time import require_aware

if TYPE_CHECKING:
    from datetime import datetime

__all__ = ["Stage", "Step", "Destination", "RoutingDecision", "Disposition"]

# Decisions are built on the hot path from values routing has already checked; the
# public constructors below check everything a caller hands over.


def _stage(value: object) -> Stage:
    return enum_member(Stage, value, "stage")


def _step_name(value: object) -> str:
    return text(value, "name")


def _detail(value: object) -> str:
    return text(value, "detail")


def _service(value: object) -> str:
    return identifier(value, "service")


def _urgency(value: object) -> Urgency:
    return enum_member(Urgency, value, "urgency")


def _via(value: object) -> str:
    return text(value, "via")


def _route(value: object) -> RouteMatch | None:
    return optional_instance(value, RouteMatch, "route")


def _changes_at(value: object) -> datetime | None:
    return None if value is None else require_aware(value, "urgency_changes_at")


def _event(value: object) -> Event:
    return instance(value, Event, "event")


def _at(value: object) -> datetime:
    return require_aware(value, "at")


def _destinations(value: object) -> tuple[Destination, ...]:
    return typed_tuple(value, Destination, "destinations")


def _severity(value: object) -> Severity | None:
    return None if value is None else enum_member(Severity, value, "severity")


def _priority(value: object) -> str | None:
    return optional_name(value, "priority")


def _suppressed_by(value: object) -> tuple[str, ...]:
    return typed_tuple(value, str, "suppressed_by")


def _dropped(value: object) -> bool:
    return flag(value, "dropped")


def _steps(value: object) -> tuple[Step, ...]:
    return typed_tuple(value, Step, "steps")


class Stage(enum.StrEnum):
    """Which part of routing took a step."""

    RULE = "rule"
    ROUTE = "route"
    URGENCY = "urgency"
    DEFAULT = "default"


@attrs.frozen
class Step:
    """One thing that applied to the event: a rule, a route, an urgency choice.

    ``name`` is the rule's name or the route's label; ``detail`` says what happened
    and why, in words a responder can read at 3 a.m.
    """

    stage: Stage = attrs.field(converter=_stage)
    name: str = attrs.field(converter=_step_name)
    detail: str = attrs.field(converter=_detail)

    def __str__(self) -> str:
        return f"{self.stage} {self.name}: {self.detail}"


@attrs.frozen
class Destination:
    """A service the event goes to, at an urgency.

    ``route`` is the routing-tree route (``None`` when a rule routed); its settings
    (``group_by``, ``group_wait``...) are what aggregation uses.  ``urgency_changes_at``
    is the next support-hours boundary where the urgency would change (PagerDuty's
    urgency change at ``support_hours_start``), or ``None``.
    """

    service: str = attrs.field(converter=_service)
    urgency: Urgency = attrs.field(converter=_urgency)
    via: str = attrs.field(converter=_via)
    route: RouteMatch | None = attrs.field(default=None, converter=_route)
    urgency_changes_at: datetime | None = attrs.field(default=None, converter=_changes_at)


class Disposition(enum.StrEnum):
    """The routing verdict in one word."""

    ROUTED = "routed"
    SUPPRESSED = "suppressed"
    DROPPED = "dropped"
    UNROUTED = "unrouted"


@attrs.frozen(kw_only=True)
class RoutingDecision:
    """Where an event goes and why: the answer to "why did this page me (or not)?".

    ``event`` is the event as received (never altered); ``severity`` and ``priority``
    are the values after rules applied.  ``steps`` lists, in order, every rule and
    route that applied.  A suppressed event still has destinations: it is kept and
    marked against its service, never paged.
    """

    event: Event = attrs.field(converter=_event)
    at: datetime = attrs.field(converter=_at)
    destinations: tuple[Destination, ...] = attrs.field(converter=_destinations)
    severity: Severity | None = attrs.field(converter=_severity)
    priority: str | None = attrs.field(default=None, converter=_priority)
    suppressed_by: tuple[str, ...] = attrs.field(default=(), converter=_suppressed_by)
    dropped: bool = attrs.field(default=False, converter=_dropped)
    steps: tuple[Step, ...] = attrs.field(default=(), converter=_steps)

    def __attrs_post_init__(self) -> None:
        if self.dropped and self.destinations:
            msg = "a dropped event goes nowhere"
            raise InvalidInput("destinations", msg)

    @property
    def suppressed(self) -> bool:
        """Whether a rule suppressed the event (``suppressed_by`` names the rules)."""
        return bool(self.suppressed_by)

    @property
    def disposition(self) -> Disposition:
        """Dropped, suppressed, unrouted, or routed."""
        if self.dropped:
            return Disposition.DROPPED
        if self.suppressed:
            return Disposition.SUPPRESSED
        if not self.destinations:
            return Disposition.UNROUTED
        return Disposition.ROUTED

    @property
    def services(self) -> tuple[str, ...]:
        """The destination service ids, in order."""
        return tuple([d.service for d in self.destinations])

    def explain(self) -> str:
        """A plain-text account of the decision, one line per step."""
        event = self.event
        head = f"{event.action} {event.dedup_key!r}"
        if event.summary:
            head += f" ({event.summary})"
        lines = [head]
        disposition = self.disposition
        if disposition is Disposition.ROUTED:
            where = ", ".join(f"{d.service} at {d.urgency} urgency" for d in self.destinations)
            lines.append(f"=> routed to {where}")
        elif disposition is Disposition.SUPPRESSED:
            lines.append(f"=> suppressed (kept, not paged) for {', '.join(self.services)}")
        elif disposition is Disposition.DROPPED:
            lines.append("=> dropped by a rule")
        else:
            lines.append("=> not routed anywhere")
        lines.extend(f"  - {step}" for step in self.steps)
        return "\n".join(lines)


#: The same values, built without the checks (routing's own, already-checked values).
make_step = unchecked(Step)
make_destination = unchecked(Destination)
make_decision = unchecked(RoutingDecision)
