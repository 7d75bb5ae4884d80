"""An index over many matcher lists, so that checking one alert does not scan them all.

Alertmanager checks every route's matchers and every silence in turn.  tocsin picks,
for each matcher list, one matcher that pins down the value it needs (its *anchor*)
and files the list under that value:

* ``name="v"`` files it under ``v``;
* ``name=~"a|b|c"``, an alternation of plain literals, under each of ``a``, ``b``, ``c``;
* ``name=~"host-1[0-9]"``, a pattern that starts with a literal, under the prefix
  ``host-1``.

An alert can only satisfy a list whose anchor accepts the alert's value for that name,
so one dictionary lookup per distinct anchor name (and per prefix length) yields every
candidate; lists with no usable anchor are always candidates.  The candidates are then
checked in full, in their original order, so the answer is exactly the linear scan's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Generic, TypeAlias, TypeVar

from tocsin._checks import typed_tuple
from tocsin.errors import InvalidInput, NotFoundError
from tocsin.routing._matcher import Matcher, MatchOp, labels_of

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from tocsin.events import Event
    from tocsin.routing._fields import Target

__all__ = ["MatcherIndex", "literal_alternatives", "literal_prefix"]

T = TypeVar("T")

_META = frozenset(".^$*+?{}[]\\|()")
_QUANTIFIERS = frozenset("*?{")


def literal_alternatives(pattern: str) -> tuple[str, ...] | None:
    """The literals of a pattern made only of ``|``-separated plain text, else ``None``.

    >>> literal_alternatives("critical|error"), literal_alternatives("crit.*")
    (('critical', 'error'), None)
    """
    if any(char in _META and char != "|" for char in pattern):
        return None
    return tuple(dict.fromkeys(pattern.split("|")))


def _top_level_alternation(pattern: str) -> bool:
    depth, escaped, in_class = 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


def literal_prefix(pattern: str) -> str | None:
    """The plain text every full match of ``pattern`` must start with, or ``None``.

    Conservative: it stops at the first special character, drops a last literal that
    a quantifier makes optional, and gives up on top-level alternation.

    >>> literal_prefix("host-1[0-9]"), literal_prefix("db-a?x"), literal_prefix("a|b.*")
    ('host-1', 'db-', None)
    """
    if _top_level_alternation(pattern):
        return None
    end = 0
    while end < len(pattern) and pattern[end] not in _META:
        end += 1
    prefix = pattern[:end]
    if end < len(pattern) and pattern[end] in _QUANTIFIERS:
        prefix = prefix[:-1]
    return prefix or None


class _Anchor:
    # How one entry is filed: exact values, or a literal prefix.
    __slots__ = ("prefix", "reader", "values")

    def __init__(
        self, reader: Matcher, values: tuple[str, ...] = (), prefix: str | None = None
    ) -> None:
        self.reader, self.values, self.prefix = reader, values, prefix


def _anchor(matchers: Sequence[Matcher]) -> _Anchor | None:
    # Prefer exact values over prefixes, and labels (read from a dict) over event
    # fields; every choice is exact, the order only affects speed.
    by_rank: dict[int, _Anchor] = {}
    for m in matchers:
        penalty = 0 if m.label is not None else 3
        if m.op is MatchOp.EQUAL:
            by_rank.setdefault(penalty, _Anchor(m, (m.value,)))
        elif m.op is MatchOp.REGEX and m.pattern is not None:
            alternatives = literal_alternatives(m.value)
            if alternatives is not None:
                by_rank.setdefault(penalty + 1, _Anchor(m, alternatives))
                continue
            prefix = literal_prefix(m.value)
            if prefix is not None:
                by_rank.setdefault(penalty + 2, _Anchor(m, prefix=prefix))
    return by_rank[min(by_rank)] if by_rank else None


class _Table:
    # Every entry anchored on one field path.
    __slots__ = ("exact", "prefixes", "reader")

    def __init__(self, reader: Matcher) -> None:
        self.reader = reader
        self.exact: dict[str, list[int]] = {}
        self.prefixes: dict[int, dict[str, list[int]]] = {}


#: One anchor name's tables: how to read the value, then exact values and prefixes.
_Lookup: TypeAlias = (
    "tuple[Matcher, str | None, Mapping[str, tuple[int, ...]], "
    "tuple[tuple[int, Mapping[str, tuple[int, ...]]], ...]]"
)


def _entries(
    value: Iterable[tuple[Sequence[Matcher], T]],
) -> tuple[tuple[tuple[Matcher, ...], T], ...]:
    raw: object = value
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        msg = f"expected (matchers, item) pairs, got {type(raw).__name__}"
        raise InvalidInput("entries", msg)
    found: list[tuple[tuple[Matcher, ...], T]] = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, tuple) or len(entry) != 2:  # noqa: PLR2004
            where = f"entries[{i}]"
            msg = f"expected a (matchers, item) pair, got {entry!r}"
            raise InvalidInput(where, msg)
        matchers = typed_tuple(entry[0], Matcher, f"entries[{i}][0]")
        found.append((matchers, entry[1]))
    return tuple(found)


class MatcherIndex(Generic[T]):
    """Items, each guarded by a matcher list, found by the alerts that satisfy them.

    ``matching(target)`` yields, in insertion order, the items whose matchers all hold
    for ``target``, visiting only the candidates the index allows.

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

    __slots__ = ("_always", "_entries", "_single", "_tables")

    def __init__(self, entries: Iterable[tuple[Sequence[Matcher], T]]) -> None:
        self._entries: tuple[tuple[tuple[Matcher, ...], T], ...] = _entries(entries)
        tables: dict[str, _Table] = {}
        always: list[int] = []
        for position, (matchers, _item) in enumerate(self._entries):
            anchor = _anchor(matchers)
            if anchor is None:
                always.append(position)
                continue
            table = tables.setdefault(anchor.reader.name, _Table(anchor.reader))
            if anchor.prefix is not None:
                by_length = table.prefixes.setdefault(len(anchor.prefix), {})
                by_length.setdefault(anchor.prefix, []).append(position)
            for value in anchor.values:
                table.exact.setdefault(value, []).append(position)
        self._always: tuple[int, ...] = tuple(always)
        self._tables: tuple[_Lookup, ...] = tuple(
            (
                table.reader,
                table.reader.label,
                {value: tuple(p) for value, p in table.exact.items()},
                tuple(
                    (length, {prefix: tuple(p) for prefix, p in by_prefix.items()})
                    for length, by_prefix in sorted(table.prefixes.items())
                ),
            )
            for table in tables.values()
        )

        # The usual case (routing-tree children keyed on one label, all by equality)
        # needs just one dictionary lookup.
        self._single: tuple[str, Mapping[str, tuple[int, ...]]] | None = None
        if len(self._tables) == 1 and not self._always:
            _reader, label, exact, prefixes = self._tables[0]
            if label is not None and not prefixes:
                self._single = (label, exact)

    def __len__(self) -> int:
        return len(self._entries)

    def candidates(self, labels: Mapping[str, str], event: Event | None) -> Sequence[int]:
        """Positions of the entries that might match, ascending; a superset of the matches."""
        single = self._single
        if single is not None:
            return single[1].get(labels.get(single[0], ""), ())
        found: list[Sequence[int]] = [self._always] if self._always else []
        for reader, label, exact, prefixes in self._tables:
            value = labels.get(label, "") if label is not None else reader.read(labels, event)
            hit = exact.get(value)
            if hit is not None:
                found.append(hit)
            for length, by_prefix in prefixes:
                if len(value) < length:
                    break
                hit = by_prefix.get(value[:length])
                if hit is not None:
                    found.append(hit)
        if not found:
            return ()
        if len(found) == 1:
            return found[0]
        return sorted({p for positions in found for p in positions})

    def matching_positions(self, labels: Mapping[str, str], event: Event | None) -> Iterator[int]:
        """Positions of the entries whose matchers all hold, ascending."""
        entries = self._entries
        for position in self.candidates(labels, event):
            for matcher in entries[position][0]:
                if not matcher.test(labels, event):
                    break
            else:
                yield position

    def matching(self, target: Target) -> Iterator[T]:
        """The items whose matchers all hold for ``target``, in insertion order."""
        labels, event = labels_of(target)
        entries = self._entries
        for position in self.matching_positions(labels, event):
            yield entries[position][1]

    def item(self, position: int) -> T:
        """The item at ``position`` (as :meth:`matching_positions` gives it)."""
        # Checked only on failure: silences are looked up here on the hot path.
        try:
            if position >= 0:
                return self._entries[position][1]
        except TypeError:
            msg = f"expected a position, got {position!r}"
            raise InvalidInput("position", msg) from None
        except IndexError:
            pass
        msg = f"no entry at {position!r}; the index has {len(self._entries)}"
        raise NotFoundError(msg)
