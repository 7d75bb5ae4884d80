"""The integer fast paths against ``datetime``: zone tables and the schedule internals.

Every property draws instants and wall readings from the DST-heavy zones of
``tocsin.testing.zones()``, half of them within hours of a real transition and many a
microsecond or two from one, and compares the fast path with the slow definition:

* wall -> instant against the ``replace``/``utcoffset`` algorithm ``from_wall_clock``
  always used (``resolve_slow``), on the C ``ZoneInfo`` and on the standard library's
  pure-Python one;
* instant -> offset and instant -> datetime against ``astimezone``;
* a layer's wall-clock point query against its exact, instant-by-instant path and
  against its render.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

# The stdlib's pure-Python twin of ZoneInfo (no stubs): an independent oracle.
from zoneinfo._zoneinfo import ZoneInfo as PureZoneInfo  # type: ignore[import-not-found]

from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin._zonetable import (
    DAY,
    EPOCH_ORDINAL,
    HOUR,
    ZoneTable,
    instant,
    micros,
    resolve_slow,
    wall_datetime,
    zone_table,
)
from tocsin.schedules._shift import build_shifts
from tocsin.testing import layers, zones
from tocsin.testing._time import DST_ZONES
from tocsin.time import from_wall_clock

if TYPE_CHECKING:
    from tocsin.schedules import Layer
    from tocsin.schedules._shift import Piece

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = timedelta(microseconds=1)
LOW = (date(2000, 1, 1).toordinal() - EPOCH_ORDINAL) * DAY
HIGH = (date(2040, 1, 1).toordinal() - EPOCH_ORDINAL) * DAY
PURE = {key: PureZoneInfo.no_cache(key) for key in DST_ZONES}


def transitions(tz: tzinfo) -> list[tuple[int, int]]:
    """The zone's transitions 2019-2031 (checked against the stdlib in the unit tests)."""
    table = zone_table(tz)
    assert isinstance(table, ZoneTable)
    first = (date(2019, 1, 1).toordinal() - EPOCH_ORDINAL) * DAY
    last = (date(2032, 1, 1).toordinal() - EPOCH_ORDINAL) * DAY
    return table.transitions(first, last)


TRANSITIONS = {key: transitions(ZoneInfo(key)) for key in DST_ZONES}


def near(tz: tzinfo) -> st.SearchStrategy[int]:
    """Integer instants in 2000-2040, half of them close to one of ``tz``'s transitions."""
    anywhere = st.integers(LOW, HIGH)
    moments = [moment for moment, _ in TRANSITIONS[str(tz)]]
    if not moments:
        return anywhere
    close = st.builds(
        lambda moment, delta: moment + delta,
        st.sampled_from(moments),
        st.one_of(st.integers(-3, 3), st.integers(-3 * HOUR, 3 * HOUR)),
    )
    return st.one_of(anywhere, close)


@st.composite
def instants_in_zones(draw: st.DrawFn) -> tuple[tzinfo, int]:
    tz = draw(zones())
    return tz, draw(near(tz))


@st.composite
def walls_in_zones(draw: st.DrawFn) -> tuple[tzinfo, int]:
    """Wall readings: an instant's reading shifted by up to the size of a DST change."""
    tz, u = draw(instants_in_zones())
    shift = draw(st.one_of(st.just(0), st.integers(-2 * HOUR, 2 * HOUR), st.integers(-2, 2)))
    return tz, u + zone_table(tz).offset(u) + shift


def reference(u: int, tz: tzinfo) -> datetime:
    return (EPOCH + u * ONE_US).astimezone(tz)


@given(walls_in_zones(), st.booleans())
def test_wall_times_resolve_as_from_wall_clock_always_did(
    tz_and_wall: tuple[tzinfo, int], later: bool
) -> None:
    tz, wall = tz_and_wall
    naive = wall_datetime(wall)
    expected = resolve_slow(naive, tz, later=later)
    assert zone_table(tz).resolve(wall, later=later) == micros(expected)
    # The standard library's pure-Python zoneinfo agrees (an independent implementation).
    assert micros(resolve_slow(naive, PURE[str(tz)], later=later)) == micros(expected)
    # The public function returns the same datetime, fold included.
    public = from_wall_clock(naive, tz, fold="later" if later else "earlier")
    assert public.tzinfo is tz
    assert (public.replace(tzinfo=None), public.fold) == (
        expected.replace(tzinfo=None),
        expected.fold,
    )


@given(instants_in_zones())
def test_offsets_and_datetimes_of_instants_match_astimezone(tz_and_u: tuple[tzinfo, int]) -> None:
    tz, u = tz_and_u
    expected = reference(u, tz)
    assert zone_table(tz).offset(u) == expected.utcoffset() // ONE_US  # type: ignore[operator]
    got = instant(u, tz)
    assert got.tzinfo is tz
    assert (got.replace(tzinfo=None), got.fold) == (expected.replace(tzinfo=None), expected.fold)
    assert micros(got) == u


@given(instants_in_zones())
def test_an_instant_inside_its_safe_span_has_a_wall_reading_that_occurs_once(
    tz_and_u: tuple[tzinfo, int],
) -> None:
    tz, u = tz_and_u
    table = zone_table(tz)
    off, lo, hi = table.instant_span(u)
    assert off == table.offset(u)
    wall = u + off
    if lo <= wall < hi:
        assert table.resolve(wall) == u == table.resolve(wall, later=True)
    earlier, later = table.resolve(wall), table.resolve(wall, later=True)
    if earlier != later:  # the reading occurs twice: never inside a safe span
        assert not lo <= wall < hi
        assert u in {earlier, later}


@given(walls_in_zones(), st.data())
def test_every_wall_in_a_safe_span_resolves_by_subtraction(
    tz_and_wall: tuple[tzinfo, int], data: st.DataObject
) -> None:
    tz, wall = tz_and_wall
    table = zone_table(tz)
    u, off, lo, hi = table.resolve_span(wall)
    assert u == table.resolve(wall)
    assert wall < hi
    if lo <= wall:
        assert u == wall - off
    if lo < hi:
        for other in (lo, hi - 1, data.draw(st.integers(lo, hi - 1))):
            naive = wall_datetime(other)
            expected = micros(resolve_slow(naive, tz))
            assert other - off == expected == micros(resolve_slow(naive, tz, later=True))


@st.composite
def layers_and_instants(draw: st.DrawFn) -> tuple[Layer, int]:
    layer = draw(layers())
    return layer, draw(near(layer.tz))


@settings(max_examples=300)
@given(layers_and_instants())
def test_the_wall_clock_point_query_equals_the_exact_one_and_the_render(
    layer_and_u: tuple[Layer, int],
) -> None:
    layer, u = layer_and_u
    grid, windows = layer._grid, layer._windows  # the paths under test
    table = zone_table(layer.tz)
    off, lo, hi = table.instant_span(u)
    wall = u + off
    k, start, end = grid.locate(u)
    assert start <= u < end
    if lo <= wall < hi:
        if grid.wall_clock:
            assert grid.floor(wall) == k
        if windows is not None:
            assert windows.contains_wall(wall) == windows.contains(u)
    at = instant(u, UTC)
    render = [
        (shift.start.astimezone(UTC), shift.end.astimezone(UTC), shift.user)
        for shift in layer.shifts(at - timedelta(days=8), at + timedelta(days=8))
    ]
    assert layer.on_call_at(at) == on_call_in(render, at)
    assert layer.on_call_at(at.astimezone(layer.tz)) == on_call_in(render, at)
    # Every edge of the render, and the microseconds either side of it.
    edges = {moment for begin, finish, _ in render for moment in (begin, finish)}
    for edge in sorted(edges, key=lambda moment: abs(moment - at))[:6]:
        for probe in (edge - ONE_US, edge, edge + ONE_US):
            if at - timedelta(days=8) <= probe < at + timedelta(days=8):
                assert layer.on_call_at(probe) == on_call_in(render, probe)


def on_call_in(render: list[tuple[datetime, datetime, str]], at: datetime) -> str | None:
    return next((user for begin, finish, user in render if begin <= at < finish), None)


@st.composite
def pieces_in_zones(draw: st.DrawFn) -> tuple[tzinfo, int, list[Piece]]:
    """Sorted, disjoint pieces (some touching, some nobody's) around real transitions."""
    tz, lo = draw(instants_in_zones())
    gaps = draw(
        st.lists(
            st.one_of(
                st.sampled_from([0, 0, 1, HOUR, 8 * HOUR, DAY]),
                st.integers(1, 3 * DAY),
            ),
            min_size=2,
            max_size=40,
        )
    )
    edges = [lo]
    for gap in gaps:
        edges.append(edges[-1] + gap)
    users = draw(st.lists(st.sampled_from(["a", "b", None]), min_size=len(edges) - 1))
    pieces: list[Piece] = [
        (start, end, user, ())
        for start, end, user in zip(edges, edges[1:], users, strict=False)
        if end > start
    ]
    return tz, lo, pieces


@given(pieces_in_zones())
def test_shift_ends_built_incrementally_match_astimezone(
    case: tuple[tzinfo, int, list[Piece]],
) -> None:
    tz, lo, pieces = case
    shifts = list(build_shifts(pieces, lo, tz))
    expected = [(start, end, user) for start, end, user, _ in pieces if user is not None]
    assert len(shifts) == len(expected)
    for shift, (start, end, user) in zip(shifts, expected, strict=True):
        assert shift.user == user
        for got, moment in ((shift.start, start), (shift.end, end)):
            want = reference(moment, tz)
            assert got.tzinfo is tz
            assert (got.replace(tzinfo=None), got.fold) == (want.replace(tzinfo=None), want.fold)
