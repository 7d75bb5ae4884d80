"""What the noise pipeline decided about one alert, and every reason why."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import attrs

from tocsin._checks import (
    enum_member,
    instance,
    optional_instance,
    optional_name,
    text,
    typed_tuple,
)
from tocsin._trusted import unchecked
from tocsin.events import Event
from tocsin.noise._flapping import FlapAssessment
from tocsin.routing import RoutingDecision
from tocsin.services import Urgency
from tocsin.time import require_aware

if TYPE_CHECKING:
    from datetime import datetime

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


def _kind(value: object) -> ReasonKind:
    return enum_member(ReasonKind, value, "kind")


def _detail(value: object) -> str:
    return text(value, "detail")


def _ref(value: object) -> str | None:
    return optional_name(value, "ref")


@attrs.frozen
class Reason:
    """One reason behind a verdict: its kind, the rule or object (``ref``), and words."""

    kind: ReasonKind = attrs.field(converter=_kind)
    detail: str = attrs.field(converter=_detail)
    ref: str | None = attrs.field(default=None, converter=_ref)

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


def _event(value: object) -> Event:
    return instance(value, Event, "event")


def _at(value: object) -> datetime:
    return require_aware(value, "at")


def _service(value: object) -> str | None:
    return optional_name(value, "service")


def _outcome(value: object) -> Outcome:
    return enum_member(Outcome, value, "outcome")


def _reasons(value: object) -> tuple[Reason, ...]:
    return typed_tuple(value, Reason, "reasons")


def _incident(value: object) -> str | None:
    return optional_name(value, "incident")


def _urgency(value: object) -> Urgency | None:
    return None if value is None else enum_member(Urgency, value, "urgency")


def _flapping(value: object) -> FlapAssessment | None:
    return optional_instance(value, FlapAssessment, "flapping")


def _held_until(value: object) -> datetime | None:
    return None if value is None else require_aware(value, "held_until")


def _routing(value: object) -> RoutingDecision | None:
    return optional_instance(value, RoutingDecision, "routing")


@attrs.frozen(kw_only=True)
class Verdict:
    """The decision about one event at one service, with every reason.

    ``event`` is kept whatever the outcome: a suppressed alert is marked, never
    discarded.  ``incident`` is the incident the event opened, joined or updated.
    ``flapping`` carries the flap detector's annotation when one is configured, and
    ``routing`` the router's decision (with its own steps) when a router is.
    """

    event: Event = attrs.field(converter=_event)
    at: datetime = attrs.field(converter=_at)
    service: str | None = attrs.field(converter=_service)
    outcome: Outcome = attrs.field(converter=_outcome)
    reasons: tuple[Reason, ...] = attrs.field(converter=_reasons)
    incident: str | None = attrs.field(default=None, converter=_incident)
    urgency: Urgency | None = attrs.field(default=None, converter=_urgency)
    flapping: FlapAssessment | None = attrs.field(default=None, converter=_flapping)
    held_until: datetime | None = attrs.field(default=None, converter=_held_until)
    routing: RoutingDecision | None = attrs.field(default=None, converter=_routing)

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


#: Builders for the pipeline's own, already-checked values (see :mod:`tocsin._trusted`).
make_reason = unchecked(Reason)
make_verdict = unchecked(Verdict)
