"""The machine's fast paths agree with the slow, obvious ones.

The trusted constructors must build exactly what the public constructors build, and
``simulate``'s bucketed timer queue must pop in exactly a binary heap's order.
"""

from __future__ import annotations

import heapq
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from tocsin.escalation import (
    AppendLog,
    LogEntry,
    LogKind,
    Notify,
    NotifyReason,
    ScheduleTimer,
    TimelineEntry,
    Timer,
    TimerFired,
    TimerKind,
    Transition,
    Urgency,
)
from tocsin.escalation import _trusted as trusted
from tocsin.escalation._queue import TimerQueue
from tocsin.escalation._simulate import timeline_entry

T0 = datetime(2025, 3, 10, 9, tzinfo=UTC)
NAMES = st.text(min_size=1, max_size=8)
INSTANTS = st.integers(0, 10**8).map(lambda s: T0 + timedelta(seconds=s))
LEVELS = st.none() | st.integers(1, 9)
TIMERS = st.builds(Timer, NAMES, st.sampled_from(TimerKind), st.integers(0, 10**6))


def same(fast: object, public: object) -> None:
    """Equal, with the same repr, hash and fields: every slot the public one sets is set."""
    assert type(fast) is type(public)
    assert fast == public
    assert repr(fast) == repr(public)
    assert hash(fast) == hash(public)
    assert attrs.asdict(fast, recurse=False) == attrs.asdict(public, recurse=False)  # type: ignore[arg-type]


@given(
    at=INSTANTS,
    kind=st.sampled_from(LogKind),
    message=st.text(),
    by=st.none() | NAMES,
    level=LEVELS,
    incident=NAMES,
)
def test_trusted_log_entries_and_append_logs_equal_the_constructors(
    *, at: datetime, kind: LogKind, message: str, by: str | None, level: int | None, incident: str
) -> None:
    entry = trusted.log_entry(at, kind, message, by, level)
    same(entry, LogEntry(at, kind, message, by=by, level=level))
    same(trusted.append_log(incident, entry), AppendLog(incident, entry))


@given(
    user=NAMES,
    incident=NAMES,
    level=LEVELS,
    reason=st.sampled_from(NotifyReason),
    key=NAMES,
    urgency=st.sampled_from(Urgency),
)
def test_trusted_notify_equals_the_constructor(
    *, user: str, incident: str, level: int | None, reason: NotifyReason, key: str, urgency: Urgency
) -> None:
    same(
        trusted.notify(user, incident, level, reason, key, urgency),
        Notify(user, incident, level, reason, key, urgency),
    )


@given(NAMES, st.sampled_from(TimerKind), st.integers(0, 10**6), INSTANTS)
def test_trusted_timers_equal_the_constructors(
    incident: str, kind: TimerKind, seq: int, at: datetime
) -> None:
    timer = trusted.timer(incident, kind, seq)
    public = Timer(incident, kind, seq)
    same(timer, public)
    # The cached hash starts empty and fills in, as with the constructor.
    assert {timer: 1}[public] == 1
    same(trusted.schedule_timer(timer, at), ScheduleTimer(public, at))
    same(trusted.timer_fired(timer), TimerFired(public))


@given(
    st.lists(st.builds(trusted.timer_fired, TIMERS), max_size=3).map(tuple),
    INSTANTS,
    st.none() | NAMES,
)
def test_trusted_transitions_and_timeline_entries_equal_the_constructors(
    effects: tuple[Any, ...], at: datetime, incident: str | None
) -> None:
    same(trusted.transition(None, effects), Transition(None, effects))
    command = TimerFired(Timer("i", TimerKind.LEVEL, 1))
    same(
        timeline_entry(at, command, incident, effects),
        TimelineEntry(at, command, incident, effects),
    )


# Pushes are (minutes after T0 when set, delay in minutes); a pop is None.  Delays come
# from a small set, as a policy's do; "set" instants go backwards now and then, which
# simulate never does, to exercise the out-of-order path.
_PUSH = st.tuples(st.integers(0, 60), st.sampled_from((1, 5, 5, 10, 30, 0)))
_OPS = st.lists(st.none() | _PUSH, max_size=60)


@given(_OPS, st.booleans())
def test_the_timer_queue_pops_in_heap_order(
    ops: list[tuple[int, int] | None], rising: bool
) -> None:
    queue: TimerQueue[int] = TimerQueue()
    heap: list[tuple[datetime, int]] = []
    now = T0
    for n, op in enumerate(ops):
        if op is None:
            assert queue.pop() == (heapq.heappop(heap) if heap else None)
            continue
        minutes, delay = op
        now = now + timedelta(minutes=minutes) if rising else T0 + timedelta(minutes=minutes)
        at = now + timedelta(minutes=delay)
        queue.push(at, now, n)
        heapq.heappush(heap, (at, n))
        assert len(queue) == len(heap)
    drained = [queue.pop() for _ in range(len(queue))]
    assert drained == sorted(heap)
    assert queue.pop() is None


@given(st.lists(_PUSH, max_size=30), st.integers(0, 120), st.booleans())
def test_the_timer_queue_pops_only_what_is_due_by_the_limit(
    pushes: list[tuple[int, int]], limit_minutes: int, inclusive: bool
) -> None:
    queue: TimerQueue[int] = TimerQueue()
    now = T0
    for n, (minutes, delay) in enumerate(pushes):
        now += timedelta(minutes=minutes)
        queue.push(now + timedelta(minutes=delay), now, n)
    limit = T0 + timedelta(minutes=limit_minutes)
    popped: list[datetime] = []
    while (due := queue.pop(limit, inclusive=inclusive)) is not None:
        popped.append(due[0])
    assert all(at < limit or (inclusive and at == limit) for at in popped)
    rest = [queue.pop() for _ in range(len(queue))]
    assert len(popped) + len(rest) == len(pushes)
    assert all(at > limit or (not inclusive and at == limit) for at, _ in filter(None, rest))
    assert popped == sorted(popped)
