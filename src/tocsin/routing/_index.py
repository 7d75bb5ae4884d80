"""An index over many matcher lists, so that checking one alert does not scan them all.

Alertmanager checks every route's matchers and every silence in turn.  tocsin picks,
for each matcher list, one equality matcher as its *anchor* and files the list under
``(anchor name, anchor value)``.  An alert can only satisfy a list whose anchor value
equals the alert's value for that name, so a lookup per distinct anchor name yields
every candidate; lists without an equality matcher are always candidates.  The
candidates are then checked in full, in their original order, so the answer is exactly
the linear scan's.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING, Generic, TypeVar

from tocsin.routing._matcher import Matcher, MatchOp, labels_of

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

    from tocsin.events import Event
    from tocsin.routing._fields import Target

__all__ = ["MatcherIndex"]

T = TypeVar("T")


def _anchor(matchers: Sequence[Matcher]) -> Matcher | None:
    # Prefer an equality on a label (read straight from the label map) over one on an
    # event field; both are exact.
    equalities = [m for m in matchers if m.op is MatchOp.EQUAL]
    labels = [m for m in equalities if not m.name.startswith("event.")]
    chosen = labels or equalities
    return chosen[0] if chosen else None


class MatcherIndex(Generic[T]):
    """Items, each guarded by a matcher list, found by the alerts that satisfy them.

    ``matching(target)`` yields, in insertion order, the items whose matchers all hold
    for ``target``, visiting only the candidates the equality index allows.

    >>> from tocsin.routing import Matcher
    >>> index = MatcherIndex(
    ...     [
    ...         ((Matcher("team", "=", "db"),), "db-route"),
    ...         ((Matcher("team", "=", "web"),), "web-route"),
    ...         ((Matcher("severity", "=~", "crit.*"),), "critical-route"),
    ...     ]
    ... )
    >>> list(index.matching({"team": "db", "severity": "critical"}))
    ['db-route', 'critical-route']
    """

    __slots__ = ("_always", "_anchors", "_entries")

    def __init__(self, entries: Iterable[tuple[Sequence[Matcher], T]]) -> None:
        self._entries: tuple[tuple[tuple[Matcher, ...], T], ...] = tuple(
            (tuple(matchers), item) for matchers, item in entries
        )
        anchors: dict[Matcher, dict[str, list[int]]] = {}
        by_name: dict[tuple[str, MatchOp], Matcher] = {}
        always: list[int] = []
        for position, (matchers, _item) in enumerate(self._entries):
            anchor = _anchor(matchers)
            if anchor is None:
                always.append(position)
                continue
            # One reader per distinct name: the matcher object knows how to read it.
            reader = by_name.setdefault((anchor.name, anchor.op), anchor)
            anchors.setdefault(reader, {}).setdefault(anchor.value, []).append(position)
        self._always: tuple[int, ...] = tuple(always)
        self._anchors: tuple[tuple[Matcher, Mapping[str, tuple[int, ...]]], ...] = tuple(
            (reader, {value: tuple(p) for value, p in table.items()})
            for reader, table in anchors.items()
        )

    def __len__(self) -> int:
        return len(self._entries)

    def candidates(self, labels: Mapping[str, str], event: Event | None) -> Sequence[int]:
        """Positions of the entries that might match, ascending; a superset of the matches."""
        lists: list[Sequence[int]] = [self._always] if self._always else []
        for reader, table in self._anchors:
            hit = table.get(reader.read(labels, event))
            if hit is not None:
                lists.append(hit)
        if not lists:
            return ()
        if len(lists) == 1:
            return lists[0]
        return list(heapq.merge(*lists))

    def matching_positions(self, labels: Mapping[str, str], event: Event | None) -> Iterator[int]:
        """Positions of the entries whose matchers all hold, ascending."""
        entries = self._entries
        for position in self.candidates(labels, event):
            matchers = entries[position][0]
            if all(m.test(labels, event) for m in matchers):
                yield position

    def matching(self, target: Target) -> Iterator[T]:
        """The items whose matchers all hold for ``target``, in insertion order."""
        labels, event = labels_of(target)
        entries = self._entries
        for position in self.matching_positions(labels, event):
            yield entries[position][1]

    def item(self, position: int) -> T:
        """The item at ``position``."""
        return self._entries[position][1]
