"""The noise pipeline: one pure step function, ``(state, event, now) -> (state', verdicts)``.

It composes routing, muting, flapping, thresholds, debounce and grouping.

For a trigger, at each service it is routed to, the checks run in this order and the
first that decides wins (all reasons found on the way are kept):

1. a routing rule dropped or suppressed it;
2. the alert is already open in an incident: a duplicate;
3. a maintenance window, a silence or an inhibition mutes it;
4. it is flapping and the flap policy holds flapping alerts;
5. a threshold has not yet been reached;
6. a debounce still holds it (``tick``, or the next ``step``, releases it when it ends);
7. it joins an open incident (grouping) or opens a new one: a page.

Acknowledge and resolve events find their alert by dedup key at every service where
it is firing; they are not routed.  A resolve of a muted alert still reaches its
incident when ``let_resolves_through`` is on (the default), so no incident is left
open after its alerts resolved; with it off, tocsin behaves as Alertmanager does and
the incident is orphaned.

A firing alert that a mute kept from paging is looked at again when its last mute
ends (a silence or maintenance window reaches its end, an inhibiting source resolves
or changes): if it is still firing and nothing else mutes it, it goes on through the
checks from step 4 and usually pages, with an ``unmuted`` reason naming each mute
that ended.  Alertmanager does the same at its next flush; PagerDuty does not replay
events from a maintenance window, which ``page_when_unmuted=False`` reproduces.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import TypeVar

import attrs

from tocsin._checks import enum_member, flag, typed_tuple
from tocsin._trusted import unchecked
from tocsin.errors import InvalidInput
from tocsin.events import Action, Event
from tocsin.noise._flapping import ChangeCount, FlapAction, FlapAssessment, PercentStateChange
from tocsin.noise._grouping import ContentGrouping, TimeWindowGrouping, make_open_incident
from tocsin.noise._inhibition import Inhibitor
from tocsin.noise._silence import SilenceSet
from tocsin.noise._state import (
    AlertKey,
    AlertRecord,
    IncidentRecord,
    NoiseState,
    make_incident,
    make_record,
    make_state,
    replace_incident,
    replace_record,
)
from tocsin.noise._suppression import Debounce, SuppressionThreshold
from tocsin.noise._verdict import Outcome, Reason, ReasonKind, Verdict, make_reason, make_verdict
from tocsin.routing import Destination, Router, RoutingDecision
from tocsin.services import Urgency
from tocsin.time import require_aware

__all__ = ["FlapPolicy", "NoisePolicy", "Replay"]

_T = TypeVar("_T")

_SAMPLES_KEPT = 22  # 21 for the weighted method, plus the state before them


def _detector(value: object) -> PercentStateChange | ChangeCount:
    if isinstance(value, PercentStateChange | ChangeCount):
        return value
    msg = f"expected PercentStateChange or ChangeCount, got {type(value).__name__}"
    raise InvalidInput("detector", msg)


def _flap_action(value: object) -> FlapAction:
    return enum_member(FlapAction, value, "action")


@attrs.frozen
class FlapPolicy:
    """Detect flapping with ``detector`` and act on it: hold, lower urgency, or annotate."""

    detector: PercentStateChange | ChangeCount = attrs.field(
        factory=PercentStateChange, converter=_detector
    )
    action: FlapAction = attrs.field(default=FlapAction.HOLD, converter=_flap_action)

    def assess(self, record: AlertRecord, now: datetime) -> FlapAssessment:
        """The detector's verdict on ``record``'s samples at ``now``."""
        raw: object = record  # callers without type checking may pass anything
        if not isinstance(raw, AlertRecord):
            msg = f"expected an AlertRecord, got {type(raw).__name__}"
            raise InvalidInput("record", msg)
        if isinstance(self.detector, PercentStateChange):
            states = [firing for _, firing in record.samples]
            return self.detector.assess(states, was_flapping=record.flapping)
        return self.detector.assess(record.samples, now)


def _typed(field: str, kinds: type | tuple[type, ...], value: object, *, optional: bool) -> object:
    if value is None and optional:
        return None
    if not isinstance(value, kinds):
        names = (
            kinds.__name__ if isinstance(kinds, type) else " or ".join(k.__name__ for k in kinds)
        )
        msg = f"expected {names}{' or None' if optional else ''}, got {type(value).__name__}"
        raise InvalidInput(field, msg)
    return value


def _router(value: object) -> Router | None:
    checked = _typed("router", Router, value, optional=True)
    return checked if isinstance(checked, Router) else None


def _grouping(value: object) -> ContentGrouping | TimeWindowGrouping | None:
    checked = _typed("grouping", (ContentGrouping, TimeWindowGrouping), value, optional=True)
    return checked if isinstance(checked, ContentGrouping | TimeWindowGrouping) else None


def _silences(value: object) -> SilenceSet:
    checked = _typed("silences", SilenceSet, value, optional=False)
    assert isinstance(checked, SilenceSet)  # noqa: S101 - _typed checked it
    return checked


def _inhibitor(value: object) -> Inhibitor | None:
    checked = _typed("inhibitor", Inhibitor, value, optional=True)
    return checked if isinstance(checked, Inhibitor) else None


def _flap_policy(value: object) -> FlapPolicy | None:
    checked = _typed("flapping", FlapPolicy, value, optional=True)
    return checked if isinstance(checked, FlapPolicy) else None


def _thresholds(value: object) -> tuple[SuppressionThreshold, ...]:
    return _tuple_of("thresholds", SuppressionThreshold, value)


def _debounces(value: object) -> tuple[Debounce, ...]:
    return _tuple_of("debounce", Debounce, value)


def _let_resolves_through(value: object) -> bool:
    return flag(value, "let_resolves_through")


def _page_when_unmuted(value: object) -> bool:
    return flag(value, "page_when_unmuted")


def _tuple_of(field: str, kind: type[_T], value: object) -> tuple[_T, ...]:
    # One rule may be given bare, for convenience: thresholds=SuppressionThreshold(...).
    return (value,) if isinstance(value, kind) else typed_tuple(value, kind, field)


def _stream(value: object) -> Iterable[object]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        msg = f"expected (at, event) pairs, got {type(value).__name__}"
        raise InvalidInput("stream", msg)
    return value


@attrs.define
class _Working:
    # A mutable copy of the state for the duration of one call (or one replay).
    alerts: dict[AlertKey, AlertRecord]
    incidents: dict[str, IncidentRecord]
    opened: int
    now: datetime | None
    # Set when an alert resolved or a firing alert's event changed: inhibitions may
    # have ended, so muted alerts are looked at again.
    firing_changed: bool = False

    @classmethod
    def of(cls, state: NoiseState) -> _Working:
        return cls(dict(state.alerts), dict(state.incidents), state.opened, state.now)

    def freeze(self) -> NoiseState:
        # The working dicts are this call's own copies: wrap them, no need to check.
        return make_state(
            alerts=MappingProxyType(self.alerts),
            incidents=MappingProxyType(self.incidents),
            opened=self.opened,
            now=self.now,
        )

    def advance(self, now: datetime) -> datetime:
        at = require_aware(now, "now").astimezone(UTC)
        if self.now is not None and at < self.now:
            msg = f"{at.isoformat()} is before the last time processed, {self.now.isoformat()}"
            raise InvalidInput("now", msg)
        self.now = at
        return at

    def firing_events(self) -> list[Event]:
        return [r.event for r in self.alerts.values() if r.firing]


def _verdicts(value: object) -> tuple[Verdict, ...]:
    return typed_tuple(value, Verdict, "verdicts")


def _replay_state(value: object) -> NoiseState:
    return _state(value, "state")


def _state(value: object, field: str) -> NoiseState:
    if not isinstance(value, NoiseState):
        msg = f"expected a NoiseState (start from NoiseState()), got {type(value).__name__}"
        raise InvalidInput(field, msg)
    return value


@attrs.frozen
class Replay:
    """The result of replaying a stream: every verdict, the final state, and counts."""

    verdicts: tuple[Verdict, ...] = attrs.field(converter=_verdicts)
    state: NoiseState = attrs.field(converter=_replay_state)

    def count(self, outcome: Outcome) -> int:
        """How many verdicts had ``outcome``."""
        wanted = enum_member(Outcome, outcome, "outcome")
        return sum(1 for v in self.verdicts if v.outcome is wanted)

    @property
    def pages(self) -> int:
        """How many verdicts paged (opened a new incident)."""
        return self.count(Outcome.PAGED)

    @property
    def incidents(self) -> int:
        """How many incidents were opened."""
        return len(self.state.incidents)

    @property
    def orphaned(self) -> tuple[str, ...]:
        """Incidents left open although every alert in them has resolved."""
        return tuple(i.id for i in self.state.orphaned)

    def reasons(self) -> dict[ReasonKind, int]:
        """How many verdicts each kind of reason appears in."""
        counts: dict[ReasonKind, int] = {}
        for verdict in self.verdicts:
            for kind in {r.kind for r in verdict.reasons}:
                counts[kind] = counts.get(kind, 0) + 1
        return counts


@attrs.frozen(kw_only=True)
class NoisePolicy:
    """Everything that decides whether an alert pages, as one pure step function.

    Every part is optional: without a ``router`` every event goes to one unnamed
    service; without ``grouping`` every alert opens its own incident (dedup by key
    still applies).  ``thresholds`` and ``debounce`` apply the first rule whose
    ``when`` matches the alert.

    >>> from tocsin.events import Event
    >>> policy = NoisePolicy(debounce=Debounce(timedelta(minutes=2)))
    >>> fire = Event(action="trigger", dedup_key="k", summary="s", source="x", severity="error")
    >>> t0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
    >>> state, (verdict,) = policy.step(NoiseState(), fire, t0)
    >>> verdict.outcome, verdict.held_until.isoformat()
    (<Outcome.HELD: 'held'>, '2026-01-05T09:02:00+00:00')
    >>> state, (verdict,) = policy.tick(state, t0 + timedelta(minutes=2))
    >>> verdict.outcome, verdict.incident
    (<Outcome.PAGED: 'paged'>, 'I1')
    """

    router: Router | None = attrs.field(default=None, converter=_router)
    grouping: ContentGrouping | TimeWindowGrouping | None = attrs.field(
        default=None, converter=_grouping
    )
    silences: SilenceSet = attrs.field(factory=SilenceSet, converter=_silences)
    inhibitor: Inhibitor | None = attrs.field(default=None, converter=_inhibitor)
    flapping: FlapPolicy | None = attrs.field(default=None, converter=_flap_policy)
    thresholds: tuple[SuppressionThreshold, ...] = attrs.field(default=(), converter=_thresholds)
    debounce: tuple[Debounce, ...] = attrs.field(default=(), converter=_debounces)
    let_resolves_through: bool = attrs.field(default=True, converter=_let_resolves_through)
    page_when_unmuted: bool = attrs.field(default=True, converter=_page_when_unmuted)
    # The mutes this policy can apply, by (kind, ref): the description a verdict gives
    # each (a rule's, for inhibitions), to tell when a stored mute has gone or changed.
    _mute_texts: dict[tuple[ReasonKind, str | None], str] = attrs.field(
        init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        texts: dict[tuple[ReasonKind, str | None], str] = {}
        for silence in self.silences.silences:
            texts[ReasonKind.SILENCE, silence.id] = silence.describe()
        for window in self.silences.maintenance:
            texts[ReasonKind.MAINTENANCE, window.id] = window.describe()
        for i, rule in enumerate(self.inhibitor.rules if self.inhibitor is not None else ()):
            texts[ReasonKind.INHIBITION, rule.name or f"rules[{i}]"] = f"({rule.describe()})"
        object.__setattr__(self, "_mute_texts", texts)

    # -- public API ---------------------------------------------------------------

    def step(
        self, state: NoiseState, event: Event, now: datetime
    ) -> tuple[NoiseState, tuple[Verdict, ...]]:
        """Process one event at ``now``: the new state and one verdict per service.

        First, as :meth:`replay` does, holds that ended by ``now`` are released and
        muted alerts whose last mute ended before ``now`` are looked at, each at the
        instant it ended (their verdicts come first); mutes that end exactly at
        ``now`` wait for the next call, so that an event at that instant (a resolve,
        say) is taken first.  Stepping through a stream gives what replaying it gives.
        """
        working = _Working.of(_state(state, "state"))
        at = require_aware(now, "now").astimezone(UTC)
        self._forget_stale_mutes(working)
        released = self._release_due(working, at, strict=True)
        verdicts = self._step(working, event, at)
        return working.freeze(), (*released, *verdicts)

    def tick(self, state: NoiseState, now: datetime) -> tuple[NoiseState, tuple[Verdict, ...]]:
        """Release due holds, and page still-firing alerts whose last mute has ended.

        Both as of ``now``: a debounce that ended by then, a silence, maintenance
        window or inhibition that no longer applies.
        """
        working = _Working.of(_state(state, "state"))
        self._forget_stale_mutes(working)
        verdicts = self._tick(working, now)
        return working.freeze(), verdicts

    def replay(
        self,
        stream: Iterable[tuple[datetime, Event]],
        *,
        until: datetime | None = None,
        state: NoiseState | None = None,
    ) -> Replay:
        """Run a whole stream of ``(at, event)`` pairs, ticking held alerts on time.

        ``stream`` is any iterable of ``(aware datetime, Event)`` tuples (a list, or a
        generator reading a log); ``state`` continues from an earlier replay or step.

        Times must not go backwards.  Held alerts are released, and muted alerts
        looked at again, at the very instant their hold or last mute ends (after any
        event at that instant).  ``until`` runs the clock on after the last event so
        that releases due by then happen.
        """
        working = _Working.of(_state(state, "state") if state is not None else NoiseState())
        self._forget_stale_mutes(working)
        verdicts: list[Verdict] = []
        for i, pair in enumerate(_stream(stream)):
            if not isinstance(pair, tuple) or len(pair) != 2:  # noqa: PLR2004
                where = f"stream[{i}]"
                msg = f"expected an (at, event) pair, got {pair!r}"
                raise InvalidInput(where, msg)
            at, event = pair
            try:
                at_utc = require_aware(at, "at").astimezone(UTC)
                verdicts.extend(self._release_due(working, at_utc, strict=True))
                verdicts.extend(self._step(working, event, at_utc))
            except InvalidInput as err:
                msg_0 = f"stream[{i}]"
                raise err.within(msg_0) from err
        if until is not None:
            end = require_aware(until, "until").astimezone(UTC)
            verdicts.extend(self._release_due(working, end, strict=False))
            working.advance(end)
        return make_replay(tuple(verdicts), working.freeze())

    # -- events -------------------------------------------------------------------

    def _step(self, w: _Working, event: Event, now: datetime) -> tuple[Verdict, ...]:
        checked: object = event
        if not isinstance(checked, Event):
            msg = f"expected an Event, got {type(checked).__name__}"
            raise InvalidInput("event", msg)
        at = w.advance(now)
        w.firing_changed = False
        if event.action is Action.TRIGGER:
            verdicts = self._trigger(w, event, at)
        else:
            verdicts = self._follow_up(w, event, at)
        if w.firing_changed and self.inhibitor is not None and self.page_when_unmuted:
            self._recheck_inhibited(w, at)
        return verdicts

    def _recheck_inhibited(self, w: _Working, at: datetime) -> None:
        # An inhibition ends only when its source stops firing or changes: look at
        # every alert an inhibition muted again, at the next tick or step.
        for key, record in list(w.alerts.items()):
            if not record.firing or (record.recheck_at is not None and record.recheck_at <= at):
                continue
            if any(r.kind is ReasonKind.INHIBITION for r in record.muted_by):
                w.alerts[key] = replace_record(record, recheck_at=at)

    def _trigger(self, w: _Working, event: Event, at: datetime) -> tuple[Verdict, ...]:
        decision = self.router.route(event, at) if self.router is not None else None
        if decision is None:
            return (self._trigger_at(w, event, at, None, None),)
        if decision.dropped:
            reasons = tuple(
                make_reason(ReasonKind.RULE_DROP, str(step), step.name) for step in decision.steps
            )
            verdict = make_verdict(
                event=event,
                at=at,
                service=None,
                outcome=Outcome.DROPPED,
                reasons=reasons,
                routing=decision,
            )
            return (verdict,)
        if not decision.destinations:
            return (self._trigger_at(w, event, at, None, decision),)
        return tuple(self._trigger_at(w, event, at, d, decision) for d in decision.destinations)

    def _trigger_at(
        self,
        w: _Working,
        event: Event,
        at: datetime,
        destination: Destination | None,
        decision: RoutingDecision | None,
    ) -> Verdict:
        service = destination.service if destination is not None else None
        key: AlertKey = (service, event.dedup_key)
        previous = w.alerts.get(key)
        if previous is not None and previous.firing and previous.event != event:
            w.firing_changed = True  # it may no longer be the source of an inhibition
        record = self._record_trigger(previous, event, at, service)
        flap = self.flapping.assess(record, at) if self.flapping is not None else None
        if flap is not None:
            record = replace_record(record, flapping=flap.flapping)
        w.alerts[key] = record
        reasons: list[Reason] = []
        if destination is not None:
            reasons.append(
                make_reason(ReasonKind.ROUTING, f"routed to {service} via {destination.via}")
            )
        verdict = _Draft(event, at, service, reasons, flap, decision, destination)
        if decision is not None and decision.suppressed:
            reasons.extend(
                make_reason(ReasonKind.RULE_SUPPRESS, f"rule {name!r} suppresses it", name)
                for name in decision.suppressed_by
            )
            return verdict.done(Outcome.SUPPRESSED)
        return self._decide(w, record, verdict)

    def _record_trigger(
        self, record: AlertRecord | None, event: Event, at: datetime, service: str | None
    ) -> AlertRecord:
        samples = (*(record.samples if record else ()), (at, True))
        occurrences = (*(record.occurrences if record else ()), at)
        keep = max((t.window for t in self.thresholds), default=timedelta(0))
        occurrences = tuple(t for t in occurrences if at - t <= keep)
        if record is None or not record.firing:
            return make_record(
                service=service,
                key=event.dedup_key,
                event=event,
                firing=True,
                since=at,
                samples=self._trim(samples, at),
                occurrences=occurrences,
                flapping=record.flapping if record else False,
                incident=record.incident if record else None,
            )
        # Mutes are looked at afresh for the new trigger (and recorded again if any).
        return replace_record(
            record,
            event=event,
            samples=self._trim(samples, at),
            occurrences=occurrences,
            muted_by=(),
            recheck_at=None,
        )

    def _trim(
        self, samples: tuple[tuple[datetime, bool], ...], at: datetime
    ) -> tuple[tuple[datetime, bool], ...]:
        window = (
            self.flapping.detector.window
            if self.flapping is not None and isinstance(self.flapping.detector, ChangeCount)
            else None
        )
        cut = max(0, len(samples) - _SAMPLES_KEPT)
        if window is not None:
            inside = next((i for i, (t, _) in enumerate(samples) if at - t <= window), len(samples))
            cut = min(cut, max(0, inside - 1))
        return samples[cut:]

    def _decide(
        self, w: _Working, record: AlertRecord, draft: _Draft, *, check_mutes: bool = True
    ) -> Verdict:
        key: AlertKey = (record.service, record.key)
        reasons, at = draft.reasons, draft.at
        incident = w.incidents.get(record.incident) if record.incident else None
        if incident is not None and incident.open and record.key in incident.open_alerts:
            detail = f"already open in incident {incident.id}: counted, not paged again"
            reasons.append(make_reason(ReasonKind.DEDUP, detail, incident.id))
            return draft.done(Outcome.DUPLICATE, incident=incident.id)
        if check_mutes and self._muted(w, record, draft):
            return draft.done(Outcome.SUPPRESSED)
        urgency = draft.destination.urgency if draft.destination is not None else None
        flap = draft.flap
        if flap is not None and flap.flapping and self.flapping is not None:
            action = self.flapping.action
            reasons.append(make_reason(ReasonKind.FLAPPING, f"{flap.reason}; policy: {action}"))
            if action is FlapAction.HOLD:
                # A change count calms down with time alone, so the hold ends (and the
                # alert is judged again) when the changes leave the window; the
                # weighted method needs new samples, so its hold has no end of its own.
                until = self._calm_at(record, at)
                w.alerts[key] = replace_record(record, held=True, held_until=until)
                return draft.done(Outcome.HELD, held_until=until)
            if action is FlapAction.LOWER_URGENCY:
                urgency = Urgency.LOW
        threshold = next((t for t in self.thresholds if t.applies_to(record.event)), None)
        if threshold is not None and not record.qualified:
            # Counted as of the latest occurrence: an alert that reached its threshold
            # while muted has reached it when the mute ends (the same as ``at`` for a
            # trigger).
            last = record.occurrences[-1] if record.occurrences else at
            seen = threshold.occurrences(record.occurrences, last)
            if seen < threshold.count:
                detail = f"{seen} of {threshold.count} occurrences within {threshold.window}"
                reasons.append(make_reason(ReasonKind.THRESHOLD, detail, threshold.describe()))
                return draft.done(Outcome.SUPPRESSED)
            record = replace_record(record, qualified=True)
            detail = f"reached {threshold.count} occurrences within {threshold.window}"
            reasons.append(make_reason(ReasonKind.THRESHOLD, detail, threshold.describe()))
        debounce = next((d for d in self.debounce if d.applies_to(record.event)), None)
        if debounce is not None and debounce.holds(record.since, at):
            until = debounce.releases_at(record.since)
            detail = f"firing since {record.since.isoformat()}; may page at {until.isoformat()}"
            reasons.append(make_reason(ReasonKind.DEBOUNCE, detail, debounce.describe()))
            w.alerts[key] = replace_record(record, held=True, held_until=until)
            return draft.done(Outcome.HELD, held_until=until)
        if debounce is not None:
            detail = f"fired for {debounce.min_duration} without resolving"
            reasons.append(make_reason(ReasonKind.DEBOUNCE, detail, debounce.describe()))
        return self._open_or_group(
            w, replace_record(record, held=False, held_until=None), draft, urgency
        )

    def _muted(self, w: _Working, record: AlertRecord, draft: _Draft) -> bool:
        # Check 3: record the mutes on the verdict and, to look again when the last
        # of them ends, on the alert.
        muting = self._mutes(w, record.event, record.service, draft.at)
        if not muting.reasons:
            return False
        draft.reasons.extend(muting.reasons)
        tracked = self.page_when_unmuted
        w.alerts[record.service, record.key] = replace_record(
            record,
            held=False,
            held_until=None,
            muted_by=muting.reasons if tracked else (),
            recheck_at=muting.until if tracked else None,
        )
        return True

    def _mutes(self, w: _Working, event: Event, service: str | None, at: datetime) -> _Muting:
        reasons: list[Reason] = []
        ends: list[datetime] = []
        for window in self.silences.in_maintenance(service, at):
            reasons.append(make_reason(ReasonKind.MAINTENANCE, window.describe(), window.id))
            ends.append(window.end.astimezone(UTC))
        for silence in self.silences.silencing(event, at):
            reasons.append(make_reason(ReasonKind.SILENCE, silence.describe(), silence.id))
            ends.append(silence.end.astimezone(UTC))
        if self.inhibitor is not None:
            reasons.extend(
                make_reason(
                    ReasonKind.INHIBITION,
                    inhibition.describe(),
                    inhibition.rule.name or f"rules[{inhibition.rule_index}]",
                )
                for inhibition in self.inhibitor.inhibitions(event, w.firing_events())
            )
        return _Muting(tuple(reasons), max(ends, default=None))

    def _open_or_group(
        self, w: _Working, record: AlertRecord, draft: _Draft, urgency: Urgency | None
    ) -> Verdict:
        key: AlertKey = (record.service, record.key)
        at, reasons = draft.at, draft.reasons
        open_here = [i for i in w.incidents.values() if i.open and i.service == record.service]
        decision = None
        if self.grouping is not None:
            views = [
                make_open_incident(i.id, i.first_at, i.last_grouped_at, i.values) for i in open_here
            ]
            decision = self.grouping.assign(record.event, at, views)
        if decision is not None and decision.incident is not None:
            incident = w.incidents[decision.incident]
            w.incidents[incident.id] = replace_incident(
                incident,
                last_grouped_at=at,
                alerts=(*incident.alerts, record.key),
                open_alerts=incident.open_alerts | {record.key},
            )
            w.alerts[key] = replace_record(record, incident=incident.id)
            reasons.append(make_reason(ReasonKind.GROUPING, decision.reason, incident.id))
            return draft.done(Outcome.GROUPED, incident=incident.id, urgency=urgency)
        w.opened += 1
        incident_id = f"I{w.opened}"
        w.incidents[incident_id] = make_incident(
            id=incident_id,
            service=record.service,
            first_at=at,
            last_grouped_at=at,
            values=decision.values if decision is not None else (),
            alerts=(record.key,),
            open_alerts=frozenset({record.key}),
        )
        w.alerts[key] = replace_record(record, incident=incident_id)
        detail = f"opened incident {incident_id}"
        if decision is not None:
            detail += f" ({decision.reason})"
        reasons.append(make_reason(ReasonKind.NEW_INCIDENT, detail, incident_id))
        return draft.done(Outcome.PAGED, incident=incident_id, urgency=urgency)

    # -- acknowledge and resolve --------------------------------------------------

    def _follow_up(self, w: _Working, event: Event, at: datetime) -> tuple[Verdict, ...]:
        keys = [k for k, r in w.alerts.items() if k[1] == event.dedup_key and r.firing]
        if not keys:
            detail = f"no firing alert has dedup key {event.dedup_key!r}; nothing to {event.action}"
            reason = make_reason(ReasonKind.UNKNOWN_ALERT, detail)
            verdict = make_verdict(
                event=event, at=at, service=None, outcome=Outcome.DROPPED, reasons=(reason,)
            )
            return (verdict,)
        if event.action is Action.ACKNOWLEDGE:
            return tuple(self._acknowledge(w, key, event, at) for key in keys)
        return tuple(self._resolve(w, key, event, at) for key in keys)

    def _acknowledge(self, w: _Working, key: AlertKey, event: Event, at: datetime) -> Verdict:
        record = w.alerts[key]
        incident = w.incidents.get(record.incident) if record.incident else None
        if incident is None or not incident.open:
            detail = "the alert never paged, so there is no incident to acknowledge"
            reasons = (make_reason(ReasonKind.NEVER_PAGED, detail),)
            return make_verdict(
                event=event, at=at, service=key[0], outcome=Outcome.SUPPRESSED, reasons=reasons
            )
        reasons = (
            make_reason(ReasonKind.INCIDENT, f"acknowledges incident {incident.id}", incident.id),
        )
        return make_verdict(
            event=event,
            at=at,
            service=key[0],
            outcome=Outcome.UPDATED,
            reasons=reasons,
            incident=incident.id,
        )

    def _resolve(self, w: _Working, key: AlertKey, event: Event, at: datetime) -> Verdict:
        record = w.alerts[key]
        samples = self._trim((*record.samples, (at, False)), at)
        w.firing_changed = True
        record = replace_record(
            record,
            firing=False,
            samples=samples,
            held=False,
            held_until=None,
            qualified=False,
            muted_by=(),
            recheck_at=None,
        )
        flap = self.flapping.assess(record, at) if self.flapping is not None else None
        if flap is not None:
            record = replace_record(record, flapping=flap.flapping)
        w.alerts[key] = record
        draft = _Draft(event, at, key[0], [], flap, None, None)
        incident = w.incidents.get(record.incident) if record.incident else None
        if incident is None or not incident.open or record.key not in incident.open_alerts:
            detail = "the alert never paged, so there is nothing to resolve: kept and marked"
            draft.reasons.append(make_reason(ReasonKind.NEVER_PAGED, detail))
            return draft.done(Outcome.SUPPRESSED)
        muting = self._mutes(w, record.event, record.service, at)
        if muting.reasons:
            draft.reasons.extend(muting.reasons)
            if not self.let_resolves_through:
                detail = (
                    f"resolve muted: incident {incident.id} stays open (Alertmanager's behaviour)"
                )
                draft.reasons.append(make_reason(ReasonKind.INCIDENT, detail, incident.id))
                return draft.done(Outcome.SUPPRESSED, incident=incident.id)
            detail = f"a resolve passes every mute so incident {incident.id} is not orphaned"
            draft.reasons.append(make_reason(ReasonKind.RESOLVE_THROUGH, detail, incident.id))
        remaining = incident.open_alerts - {record.key}
        resolved_at = at if not remaining else None
        w.incidents[incident.id] = replace_incident(
            incident, open_alerts=remaining, resolved_at=resolved_at
        )
        w.alerts[key] = replace_record(record, incident=None)
        if remaining:
            detail = f"resolves its alert in incident {incident.id}; {len(remaining)} still open"
        else:
            detail = f"resolves incident {incident.id}"
        draft.reasons.append(make_reason(ReasonKind.INCIDENT, detail, incident.id))
        return draft.done(Outcome.UPDATED, incident=incident.id)

    # -- ticks --------------------------------------------------------------------

    def _forget_stale_mutes(self, w: _Working) -> None:
        # Silences are expired early and rules removed while alerts fire: a state
        # muted under another policy is looked at again at once (as of the last
        # instant processed) wherever a mute it recorded is gone or changed here,
        # instead of waiting for the end recorded when it was muted.
        if w.now is None:
            return
        for key, record in list(w.alerts.items()):
            if record.firing and record.muted_by and not all(map(self._live, record.muted_by)):
                w.alerts[key] = replace_record(record, recheck_at=w.now)

    def _live(self, mute: Reason) -> bool:
        text = self._mute_texts.get((mute.kind, mute.ref))
        if text is None:
            return False
        if mute.kind is ReasonKind.INHIBITION:
            return mute.detail.endswith(text)
        return mute.detail == text

    def _release_due(self, w: _Working, until: datetime, *, strict: bool) -> list[Verdict]:
        # Tick at each instant a hold or a mute ends, up to ``until``; with ``strict``,
        # mutes ending exactly at ``until`` wait, so an event at that instant goes first.
        verdicts: list[Verdict] = []
        while True:
            earliest: datetime | None = None
            for record in w.alerts.values():
                for due in (record.held_until, record.recheck_at):
                    if due is not None and (earliest is None or due < earliest):
                        earliest = due
            if earliest is None or earliest > until:
                return verdicts
            if earliest == until and strict:
                held = [r.held_until for r in w.alerts.values() if r.held_until == until]
                if not held:
                    return verdicts
            at = earliest if w.now is None or earliest > w.now else w.now
            verdicts.extend(self._tick(w, at, strict=strict and at == until))

    def _tick(
        self, w: _Working, now: datetime, *, debounce: bool = True, strict: bool = False
    ) -> tuple[Verdict, ...]:
        at = w.advance(now)
        verdicts: list[Verdict] = []
        for key, record in list(w.alerts.items()):
            if not record.firing:
                continue
            if debounce and record.held_until is not None and record.held_until <= at:
                # Flapping is judged again on release: a held alert that is flapping
                # still gets the flap policy (lower urgency, hold), not a plain page.
                due_now, flap = self._reassess(replace_record(record, held_until=None), at)
                w.alerts[key] = due_now
                destination = self._destination_for(due_now, at)
                reasons: list[Reason] = []
                draft = _Draft(due_now.event, at, key[0], reasons, flap, None, destination)
                verdicts.append(self._decide(w, due_now, draft))
                continue
            due = record.recheck_at
            if due is not None and (due < at or (due == at and not strict)):
                verdict = self._recheck_muted(w, key, record, at)
                if verdict is not None:
                    verdicts.append(verdict)
        return tuple(verdicts)

    def _recheck_muted(
        self, w: _Working, key: AlertKey, record: AlertRecord, at: datetime
    ) -> Verdict | None:
        # A firing alert a mute kept quiet: still muted (by the same or other mutes),
        # or free to go on through the checks after the mutes, as a trigger would.
        muting = self._mutes(w, record.event, record.service, at)
        if muting.reasons:
            w.alerts[key] = replace_record(record, muted_by=muting.reasons, recheck_at=muting.until)
            return None
        ended = [make_reason(ReasonKind.UNMUTED, _ended(r), r.ref) for r in record.muted_by]
        record, flap = self._reassess(replace_record(record, muted_by=(), recheck_at=None), at)
        w.alerts[key] = record
        destination = self._destination_for(record, at)
        draft = _Draft(record.event, at, key[0], ended, flap, None, destination)
        return self._decide(w, record, draft, check_mutes=False)

    def _calm_at(self, record: AlertRecord, at: datetime) -> datetime | None:
        detector = self.flapping.detector if self.flapping is not None else None
        if isinstance(detector, ChangeCount):
            return detector.settles_at(record.samples, at)
        return None

    def _reassess(
        self, record: AlertRecord, at: datetime
    ) -> tuple[AlertRecord, FlapAssessment | None]:
        # The flap detector's verdict as of ``at`` (a change count forgets old changes).
        if self.flapping is None:
            return record, None
        flap = self.flapping.assess(record, at)
        return replace_record(record, flapping=flap.flapping), flap

    def _destination_for(self, record: AlertRecord, at: datetime) -> Destination | None:
        # Urgency can change while an alert is held (support hours): route again.
        if self.router is None or record.service is None:
            return None
        decision = self.router.route(record.event, at)
        return next((d for d in decision.destinations if d.service == record.service), None)


def _ended(mute: Reason) -> str:
    if mute.kind is ReasonKind.INHIBITION:
        return f"no longer {mute.detail}"
    return f"no longer muted by {mute.detail}"


@attrs.frozen
class _Muting:
    # The mutes in force on one alert, and when the last silence or window among
    # them ends (None when only inhibitions mute it).
    reasons: tuple[Reason, ...]
    until: datetime | None


@attrs.define
class _Draft:
    # A verdict being assembled.
    event: Event
    at: datetime
    service: str | None
    reasons: list[Reason]
    flap: FlapAssessment | None
    routing: RoutingDecision | None
    destination: Destination | None

    def done(
        self,
        outcome: Outcome,
        *,
        incident: str | None = None,
        urgency: Urgency | None = None,
        held_until: datetime | None = None,
    ) -> Verdict:
        return make_verdict(
            event=self.event,
            at=self.at,
            service=self.service,
            outcome=outcome,
            reasons=tuple(self.reasons),
            incident=incident,
            urgency=urgency,
            flapping=self.flap,
            held_until=held_until,
            routing=self.routing,
        )


make_replay = unchecked(Replay)
