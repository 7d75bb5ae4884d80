"""Hypothesis strategies for schedules: turns, restrictions, layers, whole schedules.

Drawn values are valid by construction and lean on the DST-heavy zones of
:func:`~tocsin.testing.zones`, handoff and window times near the small hours where
clocks change, repeated participants, deliberate empty turns and overlapping
overrides, so properties meet the cases that break on-call tools.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo

from hypothesis import strategies as st

from tocsin.schedules import Layer, Override, Restriction, Schedule, Turn
from tocsin.testing._time import aware_datetimes, zones

__all__ = ["layers", "overrides", "restrictions", "schedules", "turns"]

#: Users drawn by default: few, so repeats happen; ``None`` is an empty turn.
USERS: tuple[str | None, ...] = ("alice", "bob", "carol", "dave", None)

# Wall times where clocks change somewhere (00:00 Chile-style, 01:00-03:00 in the US,
# Europe and Australia, 02:45/03:45 in Chatham) and ordinary office hours.
_AWKWARD_TIMES = tuple(
    time(h, m)
    for h, m in ((0, 0), (1, 0), (1, 30), (2, 0), (2, 15), (2, 30), (2, 45), (3, 0), (3, 45))
) + tuple(time(h) for h in (6, 9, 17, 22))

_LOW = datetime(2020, 1, 1)  # noqa: DTZ001 - naive bounds, as Hypothesis takes
_HIGH = datetime(2030, 1, 1)  # noqa: DTZ001


def _times() -> st.SearchStrategy[time]:
    return st.one_of(st.sampled_from(_AWKWARD_TIMES), st.times().map(lambda t: t.replace(fold=0)))


def turns() -> st.SearchStrategy[Turn]:
    """Any kind of turn: 1-48 hours, 1-14 days, 1-4 weeks, 1-3 months, or elapsed.

    Elapsed turns last 10 minutes to 14 days, to the microsecond.
    """
    return st.one_of(
        st.integers(1, 48).map(Turn.hours),
        st.integers(1, 14).map(Turn.days),
        st.integers(1, 4).map(Turn.weeks),
        st.integers(1, 3).map(Turn.months),
        st.timedeltas(timedelta(minutes=10), timedelta(days=14)).map(Turn.elapsed),
    )


def _durations(most: timedelta) -> st.SearchStrategy[timedelta]:
    # Whole and half hours make window ends land on the awkward times too; any
    # microsecond length is drawn as well.
    round_lengths = [timedelta(minutes=30 * n) for n in range(1, most // timedelta(minutes=30) + 1)]
    return st.one_of(
        st.sampled_from(round_lengths),
        st.timedeltas(timedelta(microseconds=1), most),
    )


def restrictions() -> st.SearchStrategy[Restriction]:
    """Daily windows up to 24 h and weekly windows up to 7 days, midnight crossings included."""
    daily = st.builds(Restriction.daily, _times(), _durations(timedelta(hours=24)))
    weekly = st.builds(
        Restriction.weekly, st.integers(1, 7), _times(), _durations(timedelta(days=7))
    )
    return st.one_of(daily, weekly)


@st.composite
def layers(
    draw: st.DrawFn,
    name: str | None = None,
    *,
    timezones: st.SearchStrategy[tzinfo] | None = None,
    users: tuple[str | None, ...] = USERS,
    max_restrictions: int = 3,
) -> Layer:
    """A layer in a DST-heavy zone, with any turn, 0-3 restrictions, maybe start/end.

    ``users`` is the pool participants are drawn from (repeats allowed; ``None`` is a
    deliberate empty turn).  The anchor lies anywhere in 2020-2030.
    """
    tz = draw(timezones if timezones is not None else zones())
    people = draw(
        st.lists(st.sampled_from(users), min_size=1, max_size=5).filter(
            lambda drawn: any(user is not None for user in drawn)
        )
    )
    anchor = draw(aware_datetimes(_LOW, _HIGH, timezones=st.just(tz)))
    # Most layers are in effect indefinitely; a quarter get a start, a quarter an end.
    bounds = st.sampled_from((False, False, False, True))
    start = draw(aware_datetimes(_LOW, _HIGH)) if draw(bounds) else None
    end = draw(aware_datetimes(_LOW, _HIGH)) if draw(bounds) else None
    if start is not None and end is not None:
        # Compare in UTC: same-zone comparison ignores fold.
        first, last = start.astimezone(UTC), end.astimezone(UTC)
        if last < first:
            start, end = end, start
        elif last == first:
            end = None
    return Layer(
        name if name is not None else draw(st.sampled_from(("primary", "secondary", "nights"))),
        people,
        anchor,
        draw(turns()),
        tz,
        restrictions=draw(st.lists(restrictions(), max_size=max_restrictions)),
        start=start,
        end=end,
        position=draw(st.integers(0, len(people) - 1)),
    )


@st.composite
def overrides(
    draw: st.DrawFn,
    *,
    users: tuple[str, ...] = ("oscar", "olga", "alice"),
    min_start: datetime = _LOW,
    max_start: datetime = _HIGH,
    max_length: timedelta = timedelta(days=3),
) -> Override:
    """One override of up to ``max_length`` starting between the naive bounds given.

    The length is elapsed time: the end is computed in UTC, since ``start + length`` on
    an aware datetime is wall-clock arithmetic that drops ``fold`` (a start at the
    second 01:30 of a fall-back night plus 20 minutes would land before it).
    """
    start = draw(aware_datetimes(min_start, max_start))
    length = draw(st.timedeltas(timedelta(microseconds=1), max_length))
    end = (start.astimezone(UTC) + length).astimezone(start.tzinfo)
    return Override(draw(st.sampled_from(users)), start, end)


@st.composite
def schedules(
    draw: st.DrawFn,
    *,
    max_layers: int = 3,
    max_overrides: int = 3,
    min_start: datetime = _LOW,
    max_start: datetime = _HIGH,
) -> Schedule:
    """A schedule of 0-3 layers (uniquely named) and 0-3 possibly overlapping overrides.

    Overrides start between ``min_start`` and ``max_start`` (naive bounds), so a test
    can keep them near the window it renders.
    """
    count = draw(st.integers(0, max_layers))
    drawn = [draw(layers(f"layer-{index}")) for index in range(count)]
    extra = draw(
        st.lists(
            overrides(min_start=min_start, max_start=max_start),
            max_size=max_overrides,
        )
    )
    return Schedule("drawn", drawn, extra, tz=draw(zones()))
