"""``simulate``'s timer queue: pending timers in FIFO buckets, one per delay.

A binary heap costs O(log n) per push and pop, and with 100,000 timers pending most of
that is cache misses.  But an escalation's timers are set at ``now + delay``, where
``now`` never goes backwards and the delays come from a small set (the policy's level
delays, its ack timeout, its auto-resolve): timers with the same delay fall due in the
order they were set.  So each delay gets a first-in first-out bucket, and a small heap
orders the buckets' heads.  A push or pop costs O(log b) for b distinct delays pending,
whatever the number of timers.  Calendar queues (R. Brown, CACM 1988) rest on the same
observation.

The order is exactly a heap's on ``(at, push order)``: ties go to the timer set first.
A push that would break its bucket's order (``now`` went backwards) gets a bucket of
its own, so the order holds for any input.
"""

from __future__ import annotations

from collections import deque
from heapq import heappop, heappush, heapreplace
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Hashable
    from datetime import datetime

T = TypeVar("T")

# Empty buckets are kept for reuse while there are at most this many (the delays of a
# few policies); beyond that, a bucket is dropped when it empties.
_KEEP = 64


class TimerQueue(Generic[T]):
    """Items due at instants, popped earliest first (ties: first pushed first).

    >>> from datetime import UTC, datetime, timedelta
    >>> t0 = datetime(2026, 1, 1, tzinfo=UTC)
    >>> queue: TimerQueue[str] = TimerQueue()
    >>> queue.push(t0 + timedelta(minutes=10), t0, "level 1")
    >>> queue.push(t0 + timedelta(minutes=5), t0, "snooze")
    >>> queue.push(t0 + timedelta(minutes=11), t0 + timedelta(minutes=1), "level 1 of another")
    >>> [queue.pop() for _ in range(len(queue))]  # doctest: +NORMALIZE_WHITESPACE
    [(datetime.datetime(2026, 1, 1, 0, 5, tzinfo=datetime.timezone.utc), 'snooze'),
     (datetime.datetime(2026, 1, 1, 0, 10, tzinfo=datetime.timezone.utc), 'level 1'),
     (datetime.datetime(2026, 1, 1, 0, 11, tzinfo=datetime.timezone.utc), 'level 1 of another')]
    >>> queue.pop() is None
    True
    """

    __slots__ = ("_buckets", "_heads", "_seq")

    def __init__(self) -> None:
        # delay -> deque of (at, seq, item), in order; see _KEEP for empty buckets.
        self._buckets: dict[Hashable, deque[tuple[datetime, int, T]]] = {}
        # (at, seq, delay) of each bucket's first entry; seq is unique, so the delays
        # themselves are never compared.
        self._heads: list[tuple[datetime, int, Hashable]] = []
        self._seq = 0

    def __len__(self) -> int:
        return sum(map(len, self._buckets.values()))

    def push(self, at: datetime, now: datetime, item: T) -> None:
        """Queue ``item``, due at ``at`` and set at ``now``."""
        self._seq = seq = self._seq + 1
        key: Hashable = at - now
        bucket = self._buckets.get(key)
        if bucket:
            if bucket[-1][0] <= at:
                bucket.append((at, seq, item))
                return
            key = (key, seq)  # out of order: a bucket of its own
            bucket = None
        if bucket is None:
            self._buckets[key] = deque(((at, seq, item),))
        else:
            bucket.append((at, seq, item))
        heappush(self._heads, (at, seq, key))

    def pop(
        self,
        until: datetime | None = None,
        inclusive: bool = True,  # noqa: FBT001, FBT002 - positional: simulate's hot loop
    ) -> tuple[datetime, T] | None:
        """Remove and return the first item due (and its instant), or ``None``.

        With ``until``, only an item due before it (or at it, if ``inclusive``).
        """
        heads = self._heads
        if not heads:
            return None
        at, _, key = heads[0]
        if until is not None and (at > until or (at == until and not inclusive)):
            return None
        bucket = self._buckets[key]
        item = bucket.popleft()[2]
        if bucket:
            head = bucket[0]
            heapreplace(heads, (head[0], head[1], key))
        else:
            heappop(heads)
            if len(self._buckets) > _KEEP:
                del self._buckets[key]
        return at, item
