"""What the noise pipeline decided about one alert, and every reason why."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from datetime import datetime

    from tocsin.events import Event
    from tocsin.noise._flapping import FlapAssessment
    from tocsin.routing import RoutingDecision
    from tocsin.services import Urgency

__all__ = ["Outcome", "ReasonKind", "Reason", "Verdict"]


class Outcome(enum.StrEnum):
    """The fate of one event at one service."""

    PAGED = "paged"  # opened a new incident: someone is notified
    GROUPED = "grouped"  # joined an open incident: no new page
    DUPLICATE = "duplicate"  # the alert is already open: counted, no page
    HELD = "held"  # waiting (debounce, flapping); may page later
    SUPPRESSED = "suppressed"  # muted or below a threshold: kept and marked, never paged
    UPDATED = "updated"  # an acknowledge or resolve that reached its incident
    DROPPED = "dropped"  # a rule dropped it, or an ack/resolve matched no open alert


class ReasonKind(enum.StrEnum):
    """The kind of rule or fact behind a decision."""

    ROUTING = "routing"
    RULE_SUPPRESS = "rule_suppress"
    RULE_DROP = "rule_drop"
    MAINTENANCE = "maintenance"
    SILENCE = "silence"
    INHIBITION = "inhibition"
    UNMUTED = "unmuted"  # the mutes that kept a firing alert quiet have all ended
    FLAPPING = "flapping"
    THRESHOLD = "threshold"
    DEBOUNCE = "debounce"
    DEDUP = "dedup"
    GROUPING = "grouping"
    NEW_INCIDENT = "new_incident"
    RESOLVE_THROUGH = "resolve_through"
    UNKNOWN_ALERT = "unknown_alert"
    NEVER_PAGED = "never_paged"
    INCIDENT = "incident"


#: The reasons that mute an alert: an alert with one of these never pages.
MUTING = frozenset({ReasonKind.MAINTENANCE, ReasonKind.SILENCE, ReasonKind.INHIBITION})


@attrs.frozen
class Reason:
    """One reason behind a verdict: its kind, the rule or object (``ref``), and words."""

    kind: ReasonKind
    detail: str
    ref: str | None = None

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


@attrs.frozen(kw_only=True)
class Verdict:
    """The decision about one event at one service, with every reason.

    ``event`` is kept whatever the outcome: a suppressed alert is marked, never
    discarded.  ``incident`` is the incident the event opened, joined or updated.
    ``flapping`` carries the flap detector's annotation when one is configured, and
    ``routing`` the router's decision (with its own steps) when a router is.
    """

    event: Event
    at: datetime
    service: str | None
    outcome: Outcome
    reasons: tuple[Reason, ...]
    incident: str | None = None
    urgency: Urgency | None = None
    flapping: FlapAssessment | None = None
    held_until: datetime | None = None
    routing: RoutingDecision | None = None

    @property
    def pages(self) -> bool:
        """Whether this verdict notifies someone of a new incident."""
        return self.outcome is Outcome.PAGED

    @property
    def muted(self) -> bool:
        """Whether a silence, maintenance window or inhibition applied."""
        return any(r.kind in MUTING for r in self.reasons)

    def explain(self) -> str:
        """One line per reason, headed by the outcome."""
        where = f" at {self.service}" if self.service else ""
        head = f"{self.event.action} {self.event.dedup_key!r}{where}: {self.outcome}"
        if self.incident:
            head += f" ({self.incident})"
        return "\n".join([head, *(f"  - {r}" for r in self.reasons)])
