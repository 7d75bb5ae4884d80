"""A fake on-call schedule and Hypothesis strategies for escalation policies and incidents."""

from __future__ import annotations

import bisect
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from hypothesis import strategies as st

from tocsin.escalation import (
    Acknowledge,
    AddResponders,
    Command,
    Escalate,
    EscalationLevel,
    EscalationPolicy,
    Incident,
    Reassign,
    Resolve,
    ScheduleTarget,
    ScheduleTimer,
    SetUrgency,
    Snooze,
    Target,
    TimerFired,
    Trigger,
    Urgency,
    UserTarget,
    step,
)
from tocsin.events import Action, Event, Severity
from tocsin.testing._time import aware_datetimes, zones
from tocsin.time import require_aware

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from tocsin.protocols import OnCallSchedule
from tocsin.services import SupportHours, UrgencyRule

_EARLIEST = datetime(2020, 1, 1)  # noqa: DTZ001 - naive bounds, as Hypothesis takes
_LATEST = datetime(2030, 1, 1)  # noqa: DTZ001

#: The user names the strategies draw from.
USERS: tuple[str, ...] = ("alice", "bob", "carol", "dave")
#: The schedule names the strategies draw from.
SCHEDULES: tuple[str, ...] = ("primary", "secondary")


class FakeSchedule:
    """An on-call schedule for tests: ``user`` is on call until the first change.

    ``changes`` are ``(instant, user or None)`` pairs: from each instant on, that user
    is on call (``None``: nobody).  It has the one method escalation needs, so it fits
    wherever a :class:`~tocsin.protocols.OnCallSchedule` does.

    >>> from datetime import UTC, datetime
    >>> s = FakeSchedule("alice", changes=[(datetime(2026, 1, 1, 17, tzinfo=UTC), None)])
    >>> (
    ...     s.on_call_at(datetime(2026, 1, 1, 9, tzinfo=UTC)),
    ...     s.on_call_at(datetime(2026, 1, 2, tzinfo=UTC)),
    ... )
    ('alice', None)
    """

    __slots__ = ("_starts", "_users")

    def __init__(
        self, user: str | None = None, *, changes: Iterable[tuple[datetime, str | None]] = ()
    ) -> None:
        pairs = sorted(
            ((require_aware(at, "changes").astimezone(UTC), who) for at, who in changes),
            key=lambda pair: pair[0],
        )
        self._starts = [at for at, _ in pairs]
        self._users = [user, *(who for _, who in pairs)]

    def on_call_at(self, at: datetime) -> str | None:
        """Who is on call at ``at``."""
        return self._users[bisect.bisect_right(self._starts, at.astimezone(UTC))]

    def __repr__(self) -> str:
        changes = list(zip(self._starts, self._users[1:], strict=True))
        return f"FakeSchedule({self._users[0]!r}, changes={changes!r})"


def _targets(users: tuple[str, ...], schedules: tuple[str, ...]) -> st.SearchStrategy[Target]:
    options: list[st.SearchStrategy[Target]] = [st.sampled_from(users).map(UserTarget)]
    if schedules:
        options.append(st.sampled_from(schedules).map(ScheduleTarget))
    return st.one_of(options)


def _minutes(low: int, high: int) -> st.SearchStrategy[timedelta]:
    return st.integers(low, high).map(lambda m: timedelta(minutes=m))


@st.composite
def _support_hours(draw: st.DrawFn) -> SupportHours:
    start = draw(st.integers(0, 20))
    end = draw(st.integers(start + 1, 23))
    days = draw(st.sets(st.integers(1, 7), min_size=1))
    return SupportHours(draw(zones()), days=tuple(sorted(days)), start=time(start), end=time(end))


def _urgency_rules() -> st.SearchStrategy[UrgencyRule]:
    settings = st.sampled_from(("high", "low", "severity_based"))
    return st.builds(UrgencyRule, during=settings, outside=st.none() | settings)


@st.composite
def escalation_policies(
    draw: st.DrawFn,
    *,
    users: tuple[str, ...] = USERS,
    schedules: tuple[str, ...] = SCHEDULES,
    max_levels: int = 4,
    max_loops: int = 3,
) -> EscalationPolicy:
    """Draw valid escalation policies over ``users`` and ``schedules``.

    Levels have one to three targets and a delay of 1 to 120 minutes; every option
    (loops, ack-timeout mode, empty-level mode, ack timeout, auto-resolve, support
    hours, urgency rule) varies.  Pair with a ``Mapping[str, OnCallSchedule]`` that knows
    ``schedules``.
    """
    targets = _targets(users, schedules)
    levels = draw(
        st.lists(
            st.builds(
                EscalationLevel,
                st.lists(targets, min_size=1, max_size=3),
                _minutes(1, 120),
            ),
            min_size=1,
            max_size=max_levels,
        )
    )
    return EscalationPolicy(
        draw(st.sampled_from(("db", "web", "payments"))),
        levels,
        loops=draw(st.integers(0, max_loops)),
        on_ack_timeout=draw(st.sampled_from(("restart", "resume"))),
        empty_level=draw(st.sampled_from(("skip", "wait"))),
        ack_timeout=draw(st.none() | _minutes(5, 240)),
        auto_resolve=draw(st.none() | _minutes(60, 24 * 60)),
        support_hours=draw(st.none() | _support_hours()),
        urgency_rule=draw(st.none() | _urgency_rules()),
    )


def on_call_maps(
    schedules: tuple[str, ...] = SCHEDULES, users: tuple[str, ...] = USERS
) -> st.SearchStrategy[Mapping[str, OnCallSchedule]]:
    """Draw an ``on_call`` mapping: each schedule has one user, or nobody, throughout."""
    return st.fixed_dictionaries(
        {name: st.sampled_from((*users, None)).map(FakeSchedule) for name in schedules}
    )


def _command(draw: st.DrawFn, incident: Incident, now: datetime) -> Command | None:
    user = st.sampled_from(USERS)
    makers: dict[str, Callable[[], Command | None]] = {
        "timer": lambda: TimerFired(_next_timer(incident).timer) if incident.timers else None,
        "ack": lambda: Acknowledge(draw(user)),
        "resolve": lambda: Resolve(draw(user)),
        "snooze": lambda: Snooze(now + draw(_minutes(1, 120))),
        "escalate": lambda: Escalate(draw(st.none() | st.integers(1, len(incident.policy.levels)))),
        "reassign": lambda: Reassign(draw(st.lists(user, min_size=1, max_size=2))),
        "responders": lambda: AddResponders([UserTarget(draw(user))]),
        "urgency": lambda: SetUrgency(draw(st.sampled_from(Urgency))),
        "duplicate": lambda: Trigger(_event(incident.dedup_key), service=incident.service),
    }
    # Timers and acknowledgements come up more often than resolves, so that
    # incidents travel further before they close.
    weighted = ("timer", "timer", "timer", "ack", "ack", *makers)
    return makers[draw(st.sampled_from(weighted))]()


def _next_timer(incident: Incident) -> ScheduleTimer:
    return min(incident.timers, key=lambda pending: pending.at)


def _event(key: str) -> Event:
    return Event(
        action=Action.TRIGGER,
        dedup_key=key,
        summary=f"alert {key}",
        source="host",
        severity=Severity.CRITICAL,
    )


@st.composite
def incidents(
    draw: st.DrawFn,
    policies: st.SearchStrategy[EscalationPolicy] | None = None,
    *,
    max_commands: int = 8,
) -> Incident:
    """Draw incidents in states the machine can reach.

    Each is built the only honest way: a trigger stepped through
    :func:`~tocsin.escalation.step`, then up to ``max_commands`` random commands
    (acknowledge, snooze, escalate, reassign, timers firing, ...) at increasing
    instants, skipping those the state does not allow.  Schedules are the
    :data:`SCHEDULES` names with a drawn :class:`FakeSchedule` each.
    """
    policy = draw(escalation_policies() if policies is None else policies)
    on_call = draw(on_call_maps())
    now = draw(aware_datetimes(_EARLIEST, _LATEST)).astimezone(UTC)
    key = draw(st.sampled_from(("db1/disk", "web/5xx", "queue/lag")))
    incident = step(
        None, Trigger(_event(key), policy=policy, service="checkout"), now, on_call
    ).incident
    assert incident is not None  # noqa: S101 - a trigger always opens an incident
    for _ in range(draw(st.integers(0, max_commands))):
        if not incident.is_open:
            break
        now += draw(_minutes(0, 90))
        command = _command(draw, incident, now)
        if command is None:
            continue
        if isinstance(command, TimerFired):
            now = max(now, _next_timer(incident).at)
        if isinstance(command, Snooze) and incident.status.value != "acknowledged":
            continue
        transition = step(incident, command, now, on_call)
        if transition.incident is not None and transition.incident.id == incident.id:
            incident = transition.incident
    return incident
