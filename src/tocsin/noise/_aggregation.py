"""Alertmanager's aggregation-group timers as a pure planner.

Given every change to the alerts of one aggregation group (fired, resolved) and the
group's timing, :func:`plan_flushes` says when the group flushes and what each flush
notifies, exactly as Alertmanager's dispatcher and dedup stage would:

1. The first alert of a new group arms a timer at ``group_wait``; if the alert
   started more than ``group_wait`` before it arrived, the group flushes at once.
2. Each flush re-arms the timer at ``group_interval``.  Alerts that arrive in between
   wait for the next flush (they do not shorten the interval).
3. At a flush, the firing set F and resolved set R are compared with the last
   notification N:

   * no N: notify if F is not empty ("first notification");
   * F is not a subset of N's firing set: notify ("new alerts added", or "first
     notification" if N had none firing);
   * F is empty: notify if N had firing alerts ("all alerts resolved");
   * ``send_resolved`` and R is not a subset of N's resolved set: notify ("some
     alerts resolved");
   * otherwise notify only if N is older than ``repeat_interval`` ("repeat"), so
     the repeat interval is in effect rounded up to a multiple of ``group_interval``.

4. With ``send_resolved=False`` a notification with no firing alert is not sent, but
   it is still recorded as the last notification.
5. After a flush, resolved alerts leave the group; a group left empty ends, and the
   next alert starts a new group (with ``group_wait`` again).

Muting (silences, inhibition) removes alerts from a flush before the comparison.
Alertmanager then never sends the resolve of a muted alert, which leaves downstream
incidents open for ever (Alertmanager issues #226 and #2754).  With
``let_resolves_through=True`` (tocsin's default) a resolved alert that was last
notified as firing is sent even while muted, so its incident closes.

Alertmanager destroys an emptied group at its next maintenance pass (every 30 s);
tocsin ends it at the flush that empties it, which is the same unless an alert arrives
within those seconds.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from tocsin._checks import duration, enum_member, flag, text, typed_tuple
from tocsin._trusted import unchecked
from tocsin.errors import InvalidInput
from tocsin.routing import RouteMatch
from tocsin.routing._tree import DEFAULT_TIMING
from tocsin.time import require_aware

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


__all__ = [
    "GroupTiming",
    "AlertChange",
    "Flush",
    "FlushOutcome",
    "plan_flushes",
]


def _wait(value: object) -> timedelta:
    return duration(value, "group_wait", allow_zero=True)


def _positive(field: str, value: object) -> timedelta:
    return duration(value, field)


def _interval(value: object) -> timedelta:
    return _positive("group_interval", value)


def _repeat(value: object) -> timedelta:
    return _positive("repeat_interval", value)


@attrs.frozen
class GroupTiming:
    """An aggregation group's timers (Alertmanager's defaults: 30 s, 5 min, 4 h)."""

    group_wait: timedelta = attrs.field(default=DEFAULT_TIMING[0], converter=_wait)
    group_interval: timedelta = attrs.field(default=DEFAULT_TIMING[1], converter=_interval)
    repeat_interval: timedelta = attrs.field(default=DEFAULT_TIMING[2], converter=_repeat)

    @classmethod
    def of(cls, route: RouteMatch) -> GroupTiming:
        """The timing a routing-tree route ends up with."""
        raw: object = route  # callers without type checking may pass anything
        if not isinstance(raw, RouteMatch):
            msg = f"expected a RouteMatch (from RoutingTree.match), got {type(raw).__name__}"
            raise InvalidInput("route", msg)
        return cls(route.group_wait, route.group_interval, route.repeat_interval)


def _at(value: object) -> datetime:
    return require_aware(value, "at").astimezone(UTC)


def _started(value: object) -> datetime | None:
    return None if value is None else require_aware(value, "started_at").astimezone(UTC)


def _alert(value: object) -> str:
    if not isinstance(value, str) or not value:
        msg = f"expected a non-empty alert key (a fingerprint), got {value!r}"
        raise InvalidInput("alert", msg)
    return value


def _firing(value: object) -> bool:
    return flag(value, "firing")


@attrs.frozen
class AlertChange:
    """One alert of the group fired (``firing=True``) or resolved, at ``at``.

    ``alert`` identifies the alert (its fingerprint).  ``started_at`` is when the
    alert began (Alertmanager's ``startsAt``), if earlier than its arrival.
    """

    at: datetime = attrs.field(converter=_at)
    alert: str = attrs.field(converter=_alert)
    firing: bool = attrs.field(default=True, kw_only=True, converter=_firing)
    started_at: datetime | None = attrs.field(default=None, kw_only=True, converter=_started)


class FlushOutcome(enum.StrEnum):
    """What a flush did."""

    NOTIFIED = "notified"  # a notification was sent
    RECORDED = "recorded"  # due, but only resolved alerts and send_resolved is off
    UNCHANGED = "unchanged"  # nothing new and the repeat interval has not passed
    MUTED = "muted"  # every alert in the group was muted


def _flush_at(value: object) -> datetime:
    return require_aware(value, "at").astimezone(UTC)


def _keys(value: object, field: str) -> frozenset[str]:
    return frozenset(typed_tuple(value, str, field))


def _firing_keys(value: object) -> frozenset[str]:
    return _keys(value, "firing")


def _resolved_keys(value: object) -> frozenset[str]:
    return _keys(value, "resolved")


def _muted_keys(value: object) -> frozenset[str]:
    return _keys(value, "muted")


def _outcome(value: object) -> FlushOutcome:
    return enum_member(FlushOutcome, value, "outcome")


def _reason(value: object) -> str:
    return text(value, "reason")


@attrs.frozen
class Flush:
    """One flush of the group: when, which alerts it saw, what it did, and why."""

    at: datetime = attrs.field(converter=_flush_at)
    firing: frozenset[str] = attrs.field(converter=_firing_keys)
    resolved: frozenset[str] = attrs.field(converter=_resolved_keys)
    outcome: FlushOutcome = attrs.field(converter=_outcome)
    reason: str = attrs.field(converter=_reason)
    muted: frozenset[str] = attrs.field(factory=frozenset, converter=_muted_keys)

    @property
    def sent(self) -> bool:
        """Whether a notification went out."""
        return self.outcome is FlushOutcome.NOTIFIED


@attrs.frozen
class _Log:
    firing: frozenset[str]
    resolved: frozenset[str]
    at: datetime


def _needs_update(
    log: _Log | None,
    firing: frozenset[str],
    resolved: frozenset[str],
    at: datetime,
    *,
    repeat: timedelta,
    send_resolved: bool,
) -> str | None:
    # Alertmanager's DedupStage.needsUpdate, returning the reason instead of a bool.
    if log is None:
        return "first notification" if firing else None
    if not firing <= log.firing:
        return "new alerts added" if log.firing else "first notification"
    if not firing:
        return "all alerts resolved" if log.firing else None
    if send_resolved and not resolved <= log.resolved:
        return "some alerts resolved"
    if log.at < at - repeat:
        return "repeat interval elapsed"
    return None


@attrs.define
class _Group:
    # One aggregation group being simulated: its alerts, timer and last notification.
    timing: GroupTiming
    send_resolved: bool
    mute: Callable[[str, datetime], bool] | None
    let_resolves_through: bool
    alerts: dict[str, bool] = attrs.field(factory=dict)
    log: _Log | None = None
    next_flush: datetime | None = None
    flushed: bool = False

    def apply(self, change: AlertChange) -> None:
        if self.next_flush is None:  # a new group: wait group_wait
            self.next_flush = change.at + self.timing.group_wait
        started = change.started_at or change.at
        if change.firing and not self.flushed and started + self.timing.group_wait < change.at:
            self.next_flush = change.at  # the alert has already waited long enough
        self.alerts[change.alert] = change.firing

    def flush(self, at: datetime) -> Flush:
        firing = frozenset(k for k, v in self.alerts.items() if v)
        resolved = frozenset(k for k, v in self.alerts.items() if not v)
        muted = self._muted(firing | resolved, resolved, at)
        firing, resolved = firing - muted, resolved - muted
        if not firing and not resolved:
            outcome, reason = FlushOutcome.MUTED, "every alert in the group is muted"
        else:
            outcome, reason = self._notify(firing, resolved, at)
        # The flush is done: resolved alerts leave the group; an empty group ends.
        self.alerts = {k: v for k, v in self.alerts.items() if v}
        self.flushed = True
        self.next_flush = at + self.timing.group_interval
        if not self.alerts:
            self.next_flush, self.flushed = None, False
        return make_flush(at, firing, resolved, outcome, reason, muted)

    def _muted(
        self, alerts: frozenset[str], resolved: frozenset[str], at: datetime
    ) -> frozenset[str]:
        if self.mute is None:
            return frozenset()
        notified = self.log.firing if self.log is not None else frozenset()
        through = (resolved & notified) if self.let_resolves_through else frozenset()
        return frozenset(k for k in alerts - through if self.mute(k, at))

    def _notify(
        self, firing: frozenset[str], resolved: frozenset[str], at: datetime
    ) -> tuple[FlushOutcome, str]:
        why = _needs_update(
            self.log,
            firing,
            resolved,
            at,
            repeat=self.timing.repeat_interval,
            send_resolved=self.send_resolved,
        )
        if why is None:
            return FlushOutcome.UNCHANGED, "nothing new to notify"
        self.log = _Log(firing, resolved, at)
        if firing or (self.send_resolved and resolved):
            return FlushOutcome.NOTIFIED, why
        return FlushOutcome.RECORDED, why + " (send_resolved is off: recorded, not sent)"


def plan_flushes(
    changes: Iterable[AlertChange],
    timing: GroupTiming,
    *,
    until: datetime,
    send_resolved: bool = True,
    mute: Callable[[str, datetime], bool] | None = None,
    let_resolves_through: bool = True,
) -> tuple[Flush, ...]:
    """Every flush of one aggregation group before ``until``.

    ``changes`` may come in any order; they are applied by time (stable for ties), and
    a change at the very instant of a flush is seen by that flush.  ``mute(alert, at)``
    says whether an alert is muted at a flush.

    >>> t0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
    >>> flushes = plan_flushes(
    ...     [AlertChange(t0, "a1"), AlertChange(t0 + timedelta(minutes=1), "a2")],
    ...     GroupTiming(timedelta(seconds=30), timedelta(minutes=5)),
    ...     until=t0 + timedelta(minutes=6),
    ... )
    >>> [(f.at.strftime("%H:%M:%S"), sorted(f.firing), f.reason) for f in flushes if f.sent]
    [('09:00:30', ['a1'], 'first notification'), ('09:05:30', ['a1', 'a2'], 'new alerts added')]
    """
    end = require_aware(until, "until").astimezone(UTC)
    raw_timing: object = timing  # callers without type checking may pass anything
    if not isinstance(raw_timing, GroupTiming):
        msg = f"expected a GroupTiming, got {type(raw_timing).__name__}"
        raise InvalidInput("timing", msg)
    raw_mute: object = mute
    if raw_mute is not None and not callable(raw_mute):
        msg = f"expected mute(alert, at) -> bool, or None, got {type(raw_mute).__name__}"
        raise InvalidInput("mute", msg)
    send_resolved = flag(send_resolved, "send_resolved")
    let_resolves_through = flag(let_resolves_through, "let_resolves_through")
    pending = list(typed_tuple(changes, AlertChange, "changes"))
    pending.sort(key=lambda c: c.at)
    group = _Group(timing, send_resolved, mute, let_resolves_through)
    flushes: list[Flush] = []
    position = 0
    while True:
        due = group.next_flush
        if position < len(pending) and (due is None or pending[position].at <= due):
            if pending[position].at >= end:
                break
            group.apply(pending[position])
            position += 1
        elif due is not None and due < end:
            flushes.append(group.flush(due))
        else:
            break
    return tuple(flushes)


#: A builder for the planner's own, already-checked flushes (see :mod:`tocsin._trusted`).
make_flush = unchecked(Flush)
