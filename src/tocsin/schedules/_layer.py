"""Layers: a rotation of participants, anchored in time, masked by restrictions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, tzinfo

import attrs

from tocsin._zonetable import Zone, expressed, instant, micros, zone_table
from tocsin.errors import InvalidInput
from tocsin.schedules._restriction import Restriction, Windows
from tocsin.schedules._shift import USER_IDS, Shift, build_shifts, check_user, ordered
from tocsin.schedules._turn import Grid, Turn
from tocsin.time import require_aware, zone

__all__ = ["Layer", "Segment", "aware_micros", "check_window"]


#: A piece of coverage: start, end (integer microseconds since the epoch), who, and
#: the layer as a 1-tuple of sources (the shape of a piece of the final schedule).
Segment = tuple[int, int, str, tuple["Layer"]]


def _users(value: object, field: str = "users") -> tuple[str | None, ...]:
    users = ordered(value, field, USER_IDS)  # the order is the rotation
    if not users:
        msg = "a layer needs at least one participant"
        raise InvalidInput(field, msg)
    for index, user in enumerate(users):
        if user is not None:
            check_user(user, f"{field}[{index}]")
    if all(user is None for user in users):
        msg = "every participant is None (a deliberate gap); name at least one user"
        raise InvalidInput(field, msg)
    return users


def _name(value: object) -> str:
    if not isinstance(value, str) or not value:
        msg = f"expected a non-empty name, got {value!r}"
        raise InvalidInput("name", msg)
    return value


def _anchor(value: object) -> datetime:
    return require_aware(value, "anchor")


def _tz(value: str | tzinfo) -> tzinfo:
    return zone(value, "tz")


def _optional_start(value: object) -> datetime | None:
    return None if value is None else require_aware(value, "start")


def _optional_end(value: object) -> datetime | None:
    return None if value is None else require_aware(value, "end")


def _restrictions(value: object) -> tuple[Restriction, ...]:
    if not isinstance(value, Iterable):
        msg = f"expected a sequence of Restriction, got {value!r}"
        raise InvalidInput("restrictions", msg)
    items = tuple(value)
    for index, item in enumerate(items):
        if not isinstance(item, Restriction):
            msg = f"expected a Restriction (Restriction.daily or .weekly), got {item!r}"
            raise InvalidInput(f"restrictions[{index}]", msg)  # noqa: EM102 - a field path
    return items


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _optional_utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


def aware_micros(value: object, field: str) -> int:
    """The instant of an aware datetime in integer microseconds; a typed error otherwise."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        try:
            return micros(value)
        except TypeError:
            pass  # its tzinfo gives no offset: a naive datetime after all
    require_aware(value, field)
    msg = f"expected an aware datetime, got {value!r}"  # pragma: no cover - raised above
    raise InvalidInput(field, msg)  # pragma: no cover


def check_window(
    start: object, end: object, fields: tuple[str, str] = ("start", "end")
) -> tuple[int, int]:
    """Validate a render window ``[start, end)``; return its ends as integer instants."""
    lo = aware_micros(start, fields[0])
    hi = aware_micros(end, fields[1])
    if hi < lo:
        msg = f"the window ends before it starts ({end} < {start})"
        raise InvalidInput(fields[1], msg)
    return lo, hi


@attrs.frozen
class Layer:
    """A rotation: ``users`` take turns of length ``turn``, counted from ``anchor``.

    * ``anchor`` is the instant turn 0 begins (PagerDuty's ``rotation_virtual_start``);
      it may lie in the past or the future, and the handoff grid extends both ways.
      Wall-clock turns follow the anchor's wall-clock reading in ``tz``.
    * ``users`` are in rotation order; repeats are allowed (``["a", "a", "b"]`` gives
      ``a`` two turns in a row) and ``None`` is a deliberate empty turn, during which
      the layer has nobody and lower layers show through.
    * ``restrictions`` (wall-clock windows in ``tz``) mask the layer without pausing
      the rotation; with none, the layer covers all the time.
    * ``start``/``end`` bound when the layer is in effect, ``[start, end)``.
    * ``position`` is the index in ``users`` of whoever holds turn 0 (Grafana's
      ``start_rotation_from_user_index``); :meth:`reanchored` sets it so a roster edit
      keeps the person on call now.

    >>> from zoneinfo import ZoneInfo
    >>> ny = ZoneInfo("America/New_York")
    >>> layer = Layer(
    ...     "primary",
    ...     ["alice", "bob"],
    ...     datetime(2026, 3, 2, 9, tzinfo=ny),
    ...     Turn.weeks(1),
    ...     "America/New_York",
    ... )
    >>> (
    ...     layer.on_call_at(datetime(2026, 3, 9, 8, 59, tzinfo=ny)),
    ...     layer.on_call_at(datetime(2026, 3, 9, 9, tzinfo=ny)),
    ... )
    ('alice', 'bob')
    """

    name: str = attrs.field(converter=_name)
    users: tuple[str | None, ...] = attrs.field(converter=_users)
    anchor: datetime = attrs.field(converter=_anchor, eq=_utc, order=False)
    turn: Turn = attrs.field()
    tz: tzinfo = attrs.field(converter=_tz)
    restrictions: tuple[Restriction, ...] = attrs.field(
        default=(), kw_only=True, converter=_restrictions
    )
    start: datetime | None = attrs.field(
        default=None, kw_only=True, converter=_optional_start, eq=_optional_utc, order=False
    )
    end: datetime | None = attrs.field(
        default=None, kw_only=True, converter=_optional_end, eq=_optional_utc, order=False
    )
    position: int = attrs.field(default=0, kw_only=True)
    _grid: Grid = attrs.field(init=False, eq=False, repr=False)
    _windows: Windows | None = attrs.field(init=False, eq=False, repr=False)
    _bounds: tuple[int | None, int | None] = attrs.field(init=False, eq=False, repr=False)
    _zone: Zone = attrs.field(init=False, eq=False, repr=False)

    @turn.validator
    def _check_turn(self, _attribute: object, value: object) -> None:
        if not isinstance(value, Turn):
            msg = f"expected a Turn such as Turn.weeks(1), got {value!r}"
            raise InvalidInput("turn", msg)

    @position.validator
    def _check_position(self, _attribute: object, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            msg = f"expected an index into users, got {value!r}"
            raise InvalidInput("position", msg)
        if not 0 <= value < len(self.users):
            msg = f"expected 0 <= position < {len(self.users)} (the number of users), got {value}"
            raise InvalidInput("position", msg)

    def __attrs_post_init__(self) -> None:
        bounds = (
            None if self.start is None else micros(self.start),
            None if self.end is None else micros(self.end),
        )
        if bounds[0] is not None and bounds[1] is not None and bounds[1] <= bounds[0]:
            msg = "a layer must end after it starts"
            raise InvalidInput("end", msg)
        object.__setattr__(self, "_bounds", bounds)
        object.__setattr__(self, "_grid", Grid(self.turn, self.anchor, self.tz))
        windows = Windows(self.restrictions, self.tz) if self.restrictions else None
        object.__setattr__(self, "_windows", windows)
        object.__setattr__(self, "_zone", zone_table(self.tz))

    # -- turns -------------------------------------------------------------------

    def handoff(self, k: int) -> datetime:
        """The instant turn ``k`` begins (turn 0 at the anchor), in the layer's zone.

        Any whole ``k``; one whose handoff no ``datetime`` can hold (past the year 9999
        in the layer's zone) raises :class:`~tocsin.errors.InvalidInput` naming ``k``.
        """
        index: object = k  # callers without type checking may pass anything
        if isinstance(index, bool) or not isinstance(index, int):
            msg = f"expected a whole turn number, got {k!r}"
            raise InvalidInput("k", msg)
        return expressed(self._grid.handoff(index), self.tz, "k")

    def turn_index(self, at: datetime) -> int:
        """The index of the turn holding ``at``: O(1), whatever the anchor."""
        return self._grid.index(aware_micros(at, "at"))

    def owner(self, k: int) -> str | None:
        """Who holds turn ``k`` (``None`` for a deliberate empty turn)."""
        index: object = k  # callers without type checking may pass anything
        if isinstance(index, bool) or not isinstance(index, int):
            msg = f"expected a whole turn number, got {k!r}"
            raise InvalidInput("k", msg)
        return self.users[(k + self.position) % len(self.users)]

    def handoffs(self, start: datetime, end: datetime) -> Iterator[datetime]:
        """Each distinct handoff instant in ``[start, end)``, lazily, in the layer's zone.

        A handoff is a turn boundary; whether anyone is on call on either side depends
        on the restrictions and the layer's ``start``/``end``.
        """
        lo, hi = check_window(start, end)
        return self._handoffs(lo, hi)

    def _handoffs(self, lo: int, hi: int) -> Iterator[datetime]:
        if hi <= lo:
            return
        tz = self.tz
        grid = self._grid
        k, begin, finish = grid.locate(lo)
        if begin == lo:
            yield expressed(begin, tz, "start")
        while finish < hi:
            yield expressed(finish, tz, "end")
            k += 1
            following = grid.handoff(k + 1)
            while following == finish:  # zero-length turns: same instant again
                k += 1
                following = grid.handoff(k + 1)
            finish = following

    # -- queries -----------------------------------------------------------------

    def on_call_at(self, at: datetime) -> str | None:
        """Who this layer puts on call at ``at``, or ``None``.  O(1)."""
        return self._on_call(aware_micros(at, "at"))

    def _on_call(self, at: int) -> str | None:
        """:meth:`on_call_at` for an integer instant."""
        first, last = self._bounds
        if (first is not None and at < first) or (last is not None and at >= last):
            return None
        grid = self._grid
        windows = self._windows
        off, lo, hi = self._zone.instant_span(at)
        wall = at + off
        if lo <= wall < hi:
            # The wall reading occurs once: wall-clock arithmetic decides exactly.
            if windows is not None and not windows.contains_wall(wall):
                return None
            k = grid.floor(wall) if grid.wall_clock else grid.index(at)
        else:
            # In a fold (or a zone without a table): compare real instants.
            if windows is not None and not windows.contains(at):
                return None
            k = grid.index(at)
        users = self.users
        return users[(k + self.position) % len(users)]

    def shifts(self, start: datetime, end: datetime, *, merge: bool = True) -> Iterator[Shift]:
        """This layer's coverage in ``[start, end)``, lazily, clipped to the window.

        With ``merge`` (the default) adjacent pieces for the same user become one shift
        (a single participant renders as one span); ``merge=False`` keeps a shift per
        turn and per restriction window.  Times are in the layer's zone.
        """
        lo, hi = check_window(start, end)
        return self._shifts(lo, hi, merge=merge)

    def _shifts(self, lo: int, hi: int, *, merge: bool) -> Iterator[Shift]:
        return build_shifts(self._segments(lo, hi, merge=merge), lo, self.tz)

    def segments(
        self, lo: datetime, hi: datetime, *, merge: bool = True
    ) -> Iterator[tuple[datetime, datetime, str]]:
        """Coverage in the span ``[lo, hi)`` as ``(start, end, user)`` in UTC.

        The building block of :meth:`shifts` and of the final schedule; sorted and
        disjoint.
        """
        first, last = check_window(lo, hi, ("lo", "hi"))
        return (
            (instant(begin, UTC), instant(finish, UTC), user)
            for begin, finish, user, _ in self._segments(first, last, merge=merge)
        )

    def _segments(  # noqa: C901, PLR0912 - one hot loop, kept flat for speed
        self, lo: int, hi: int, *, merge: bool = True
    ) -> Iterator[Segment]:
        """:meth:`segments` on integer instants, each with its sources, ``(self,)``."""
        first, last = self._bounds
        if first is not None and lo < first:
            lo = first
        if last is not None and hi > last:
            hi = last
        if hi <= lo:
            return
        grid = self._grid
        users = self.users
        count = len(users)
        k, _, turn_end = grid.locate(lo)
        user = users[(k + self.position) % count]
        windows: Iterable[tuple[int, int]] = (
            ((lo, hi),) if self._windows is None else self._windows.union(lo, hi)
        )
        sources = (self,)
        # Windows come merged (none touches the next), so only the pieces of one window
        # split by handoffs can merge, when the same person holds both turns.
        for window_start, window_end in windows:
            # Conditional expressions, not min()/max(): this loop runs once per window.
            begin = window_start if window_start > lo else lo  # noqa: FURB136
            stop = window_end if window_end < hi else hi  # noqa: FURB136
            if begin >= stop:
                continue
            if turn_end <= begin:
                # Usually the next turn; otherwise find it afresh.
                following = grid.handoff(k + 2)
                if begin < following:
                    k, turn_end = k + 1, following
                else:
                    k, _, turn_end = grid.locate(begin)
                user = users[(k + self.position) % count]
            if stop <= turn_end:  # the whole window in one turn: the common case
                if user is not None:
                    yield begin, stop, user, sources
                continue
            pending: str | None = None
            pending_start = pending_end = 0
            while True:
                finish = turn_end if turn_end < stop else stop  # noqa: FURB136
                if user is not None and finish > begin:
                    if pending is None:
                        pending, pending_start, pending_end = user, begin, finish
                    elif merge and pending == user and pending_end == begin:
                        pending_end = finish
                    else:
                        yield pending_start, pending_end, pending, sources
                        pending, pending_start, pending_end = user, begin, finish
                if turn_end >= stop:
                    break
                k += 1
                begin = turn_end
                turn_end = grid.handoff(k + 1)
                user = users[(k + self.position) % count]
            if pending is not None:
                yield pending_start, pending_end, pending, sources

    # -- edits -------------------------------------------------------------------

    def reanchored(self, users: Iterable[str | None], at: datetime) -> Layer:
        """This layer with participants ``users``, keeping whoever holds the turn at ``at``.

        The handoff grid is unchanged; only :attr:`position` moves, so the person whose
        turn holds ``at`` keeps it until the next handoff and the new order follows.
        (Recomputing turns from the anchor, as PagerDuty's and Opsgenie's APIs do, can
        change who is on call mid-turn.)  If that person appears several times in the
        new list, the same repeat is kept (their second turn stays their second turn)
        when it exists, else their first appearance.  If they are not in ``users`` at
        all, this raises: cover the rest of their turn with an override instead.
        """
        k = self.turn_index(at)
        here = (k + self.position) % len(self.users)
        holder = self.users[here]
        repeat = self.users[:here].count(holder)
        new_users = _users(users)
        places = [i for i, user in enumerate(new_users) if user == holder]
        if not places and holder is None:
            # An Override cannot stand for "nobody", so the advice differs.
            msg = (
                f"the turn at {at.isoformat()} is a deliberate empty turn (None) and the new "
                "list has no None, so someone would go on call mid-turn; keep a None in "
                "the list, or re-anchor at the next handoff"
            )
            raise InvalidInput("users", msg)
        if not places:
            msg = (
                f"{holder!r} holds the turn at {at.isoformat()} but is not in the new list; "
                "keep them in it, or cover the rest of their turn with an Override"
            )
            raise InvalidInput("users", msg)
        place = places[repeat] if repeat < len(places) else places[0]
        return attrs.evolve(self, users=new_users, position=(place - k) % len(new_users))
