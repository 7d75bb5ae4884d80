"""Overrides: one person on call over ``[start, end)``, above every layer."""

from __future__ import annotations

import heapq
from datetime import datetime, timedelta  # noqa: TC003 - the docstring examples use them
from typing import TYPE_CHECKING

import attrs

from tocsin._zonetable import micros
from tocsin.errors import InvalidInput
from tocsin.schedules._shift import check_user
from tocsin.time import _aware_end, _aware_start, _utc_key

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Override", "resolve_overrides"]


@attrs.frozen
class Override:
    """``user`` takes the schedule over ``[start, end)``, whoever the layers say.

    ``end`` must be after ``start``: a zero-length override is refused (GoAlert refuses
    it too; Grafana silently drops it).  Overrides in the past are fine: the pure core
    treats history as data, and truncating a started override when it is deleted (as
    PagerDuty does) is the caller's business, e.g. ``attrs.evolve(o, end=now)``.

    >>> from zoneinfo import ZoneInfo
    >>> ny = ZoneInfo("America/New_York")
    >>> Override(
    ...     "carol", datetime(2026, 6, 1, 21, tzinfo=ny), datetime(2026, 6, 2, 12, tzinfo=ny)
    ... ).duration
    datetime.timedelta(seconds=54000)
    """

    user: str = attrs.field(converter=check_user)
    start: datetime = attrs.field(converter=_aware_start, eq=_utc_key, order=_utc_key)
    end: datetime = attrs.field(converter=_aware_end, eq=_utc_key, order=_utc_key)

    def __attrs_post_init__(self) -> None:
        if _utc_key(self.end) <= _utc_key(self.start):
            msg = (
                f"an override must end after it starts; got {self.start.isoformat()} "
                f"to {self.end.isoformat()}"
            )
            raise InvalidInput("end", msg)

    @property
    def duration(self) -> timedelta:
        """Exact elapsed length, counted in UTC."""
        return _utc_key(self.end) - _utc_key(self.start)


#: One piece of the resolved override timeline: start, end (integer microseconds since
#: the epoch), the winner's index.
Piece = tuple[int, int, int]


def resolve_overrides(overrides: Sequence[Override]) -> tuple[Piece, ...]:
    """Disjoint, sorted pieces saying which override wins where.

    The override added last (highest index) wins wherever several overlap, as in
    PagerDuty ("the last created override will have priority").  A sweep over the
    start and end instants with a max-heap of active indices: O(m log m).
    """
    edges: list[tuple[int, int, int]] = []
    for index, override in enumerate(overrides):
        edges.append((micros(override.start), 1, index))
        edges.append((micros(override.end), 0, index))
    edges.sort()
    pieces: list[Piece] = []
    active: list[int] = []  # max-heap by index, stored negated; ended ones removed lazily
    ended: set[int] = set()
    cursor: int | None = None
    position = 0
    while position < len(edges):
        instant = edges[position][0]
        while active and -active[0] in ended:
            heapq.heappop(active)
        if cursor is not None and active and instant > cursor:
            winner = -active[0]
            if pieces and pieces[-1][2] == winner and pieces[-1][1] == cursor:
                pieces[-1] = (pieces[-1][0], instant, winner)
            else:
                pieces.append((cursor, instant, winner))
        while position < len(edges) and edges[position][0] == instant:
            _, is_start, index = edges[position]
            if is_start:
                heapq.heappush(active, -index)
            else:
                ended.add(index)
            position += 1
        cursor = instant
    return tuple(pieces)
