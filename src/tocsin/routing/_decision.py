"""What routing decided, and every step that led there."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from datetime import datetime

    from tocsin.events import Event, Severity
    from tocsin.routing._tree import RouteMatch
    from tocsin.services import Urgency

__all__ = ["Stage", "Step", "Destination", "RoutingDecision", "Disposition"]


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

    stage: Stage
    name: str
    detail: str

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

    service: str
    urgency: Urgency
    via: str
    route: RouteMatch | None = None
    urgency_changes_at: datetime | None = None


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

    event: Event
    at: datetime
    destinations: tuple[Destination, ...]
    severity: Severity | None
    priority: str | None = None
    suppressed_by: tuple[str, ...] = ()
    dropped: bool = False
    steps: tuple[Step, ...] = ()

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
