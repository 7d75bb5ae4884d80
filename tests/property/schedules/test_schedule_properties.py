"""Properties of schedules in real DST zones (the zones of ``tocsin.testing.zones()``:
New York, London, Sydney, Lord Howe, Chatham, Kolkata and UTC).

Windows are drawn anywhere in 2024-2027 and, half the time, just before a real 2026
DST transition of one of those zones, so renders cross gaps and folds often.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.schedules import Layer, Restriction, Schedule, Shift, TurnUnit
from tocsin.testing import aware_datetimes, layers, restrictions, schedules, zones
from tocsin.time import from_wall_clock, wall_clock_exists

if TYPE_CHECKING:
    from collections.abc import Iterable

ONE_US = timedelta(microseconds=1)
# Real 2026 transitions (UTC) in the tested zones: New York, London, Sydney, Chatham,
# Lord Howe.
TRANSITIONS = (
    datetime(2026, 3, 8, 7, tzinfo=UTC),
    datetime(2026, 11, 1, 6, tzinfo=UTC),
    datetime(2026, 3, 29, 1, tzinfo=UTC),
    datetime(2026, 10, 25, 1, tzinfo=UTC),
    datetime(2026, 4, 4, 16, tzinfo=UTC),
    datetime(2026, 10, 3, 16, tzinfo=UTC),
    datetime(2026, 4, 4, 14, tzinfo=UTC),
    datetime(2026, 9, 26, 14, tzinfo=UTC),
    datetime(2026, 4, 4, 15, tzinfo=UTC),
    datetime(2026, 10, 3, 15, 30, tzinfo=UTC),
)

Window = tuple[datetime, datetime]


@st.composite
def windows(draw: st.DrawFn, max_length: timedelta = timedelta(days=8)) -> Window:
    near = st.builds(
        lambda t, back: t - back,
        st.sampled_from(TRANSITIONS),
        st.timedeltas(timedelta(0), timedelta(days=4)),
    )
    start = draw(st.one_of(aware_datetimes(datetime(2024, 1, 1), datetime(2027, 1, 1)), near))
    length = draw(
        st.one_of(
            st.sampled_from(
                [
                    timedelta(hours=h)
                    for h in (168, 72, 49, 24, 6, 1)
                    if h * 3600 <= max_length.total_seconds()
                ]
            ),
            st.timedeltas(timedelta(0), max_length),
        )
    )
    # Add in UTC: aware + timedelta is wall-clock arithmetic and drops ``fold``.
    return start, (start.astimezone(UTC) + length).astimezone(start.tzinfo)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Schedule, Window]:
    lo, hi = draw(windows())
    naive = lo.astimezone(UTC).replace(tzinfo=None)
    schedule = draw(
        schedules(min_start=naive - timedelta(days=3), max_start=naive + (hi - lo) + ONE_US)
    )
    return schedule, (lo, hi)


def instants(window: Window) -> st.SearchStrategy[datetime]:
    """Instants in ``[lo, hi)``, the ends and microsecond neighbours included."""
    lo, hi = (w.astimezone(UTC) for w in window)
    span = (hi - lo) // ONE_US
    return st.integers(0, max(span - 1, 0)).map(lambda n: lo + n * ONE_US)


def utc(shifts: Iterable[Shift]) -> list[tuple[datetime, datetime, str]]:
    return [(s.start.astimezone(UTC), s.end.astimezone(UTC), s.user) for s in shifts]


def on_call_in_render(render: list[tuple[datetime, datetime, str]], at: datetime) -> str | None:
    for start, end, user in render:
        if start <= at < end:
            return user
    return None


# -- the final schedule -----------------------------------------------------------------


@given(scenarios())
def test_shifts_and_gaps_partition_the_window(scenario: tuple[Schedule, Window]) -> None:
    schedule, (lo, hi) = scenario
    shifts = utc(schedule.shifts(lo, hi))
    gaps = [(g.start.astimezone(UTC), g.end.astimezone(UTC), None) for g in schedule.gaps(lo, hi)]
    pieces = sorted([*shifts, *gaps], key=lambda piece: piece[0])
    cursor = lo.astimezone(UTC)
    for start, end, _ in pieces:
        assert start == cursor
        assert end > start
        cursor = end
    assert cursor == hi.astimezone(UTC)
    # Merged: two shifts that touch never have the same user.
    for (_, end, user), (start, _, following) in itertools.pairwise(shifts):
        assert end < start or user != following


@given(st.data(), scenarios())
def test_on_call_at_equals_the_render(
    data: st.DataObject, scenario: tuple[Schedule, Window]
) -> None:
    schedule, window = scenario
    if window[0] == window[1]:
        return
    render = utc(schedule.shifts(*window))
    for at in data.draw(st.lists(instants(window), min_size=1, max_size=8)):
        assert schedule.on_call_at(at) == on_call_in_render(render, at)
    for start, end, user in render:
        assert schedule.on_call_at(start) == user
        assert schedule.on_call_at(end - ONE_US) == user
        assert schedule.on_call_at(start + (end - start) / 2) == user
    for gap in schedule.gaps(*window):
        assert schedule.on_call_at(gap.start) is None
        assert schedule.on_call_at(gap.start + gap.duration / 2) is None


@given(st.data(), scenarios())
def test_rendering_in_two_parts_and_merging_gives_the_whole(
    data: st.DataObject, scenario: tuple[Schedule, Window]
) -> None:
    schedule, (lo, hi) = scenario
    middle = data.draw(instants((lo, hi))) if lo != hi else lo
    whole = list(schedule.shifts(lo, hi))
    left = list(schedule.shifts(lo, middle))
    right = list(schedule.shifts(middle, hi))
    if left and right and left[-1].end == right[0].start and left[-1].user == right[0].user:
        sources = [*left[-1].sources]
        sources += [s for s in right[0].sources if all(s is not seen for seen in sources)]
        joined = attrs.evolve(left[-1], end=right[0].end, sources=sources)
        left, right = [*left[:-1], joined], right[1:]
    assert [*left, *right] == whole


@given(st.data(), scenarios())
def test_overrides_win(data: st.DataObject, scenario: tuple[Schedule, Window]) -> None:
    schedule, _ = scenario
    for index, override in enumerate(schedule.overrides):
        at = data.draw(instants((override.start, override.end)))
        later = [o for o in schedule.overrides[index + 1 :] if o.start <= at < o.end]
        expected = later[-1].user if later else override.user
        assert schedule.on_call_at(at) == expected


@given(scenarios())
def test_coverage_and_the_report_agree_with_the_gaps(scenario: tuple[Schedule, Window]) -> None:
    schedule, (lo, hi) = scenario
    gaps = list(schedule.gaps(lo, hi))
    report = schedule.coverage_report(lo, hi)
    assert list(report.gaps) == gaps
    assert report.gap_time == sum((g.duration for g in gaps), timedelta(0))
    for overlap in report.overlaps:
        assert len(overlap.layers) >= 2
    if lo != hi:
        assert schedule.coverage(lo, hi) == report.coverage


# -- layers ------------------------------------------------------------------------------


@given(st.data(), layers(), windows())
def test_a_layer_point_query_equals_its_render(
    data: st.DataObject, layer: Layer, window: Window
) -> None:
    render = utc(layer.shifts(*window))
    for start, end, _ in render:
        assert start < end
    for (_, end, _), (start, _, _) in itertools.pairwise(render):
        assert end <= start
    if window[0] != window[1]:
        for at in data.draw(st.lists(instants(window), min_size=1, max_size=8)):
            assert layer.on_call_at(at) == on_call_in_render(render, at)
    for start, end, user in render[:8]:
        assert layer.on_call_at(start) == user
        assert layer.on_call_at(end - ONE_US) == user
        assert layer.on_call_at(start + (end - start) / 2) == user
        assert layer.on_call_at(data.draw(instants((start, end)))) == user
    for (_, end, _), (start, _, _) in itertools.pairwise(render[:8]):
        if end < start:  # nobody on this layer in between
            assert layer.on_call_at(end + (start - end) / 2) is None


@given(st.data(), layers(), windows())
def test_restrictions_only_remove_coverage(
    data: st.DataObject, layer: Layer, window: Window
) -> None:
    free = attrs.evolve(layer, restrictions=())
    if window[0] != window[1]:
        for at in data.draw(st.lists(instants(window), min_size=1, max_size=8)):
            assert layer.on_call_at(at) in {None, free.on_call_at(at)}
    for shift in layer.shifts(*window):
        assert free.on_call_at(shift.start) == shift.user
        assert free.on_call_at(shift.end.astimezone(UTC) - ONE_US) == shift.user


@given(layers(), instants((datetime(2024, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))))
def test_the_turn_holding_an_instant_brackets_it(layer: Layer, at: datetime) -> None:
    k = layer.turn_index(at)
    assert layer.handoff(k).astimezone(UTC) <= at < layer.handoff(k + 1).astimezone(UTC)


@given(layers(), st.integers(-2000, 2000))
def test_wall_clock_handoffs_keep_the_anchor_wall_time(layer: Layer, k: int) -> None:
    handoff = layer.handoff(k).astimezone(UTC)
    following = layer.handoff(k + 1).astimezone(UTC)
    assert handoff <= following
    wall0 = layer.anchor.astimezone(layer.tz).replace(tzinfo=None)
    unit = layer.turn.unit
    if unit is TurnUnit.ELAPSED:
        assert following - handoff == layer.turn.length
        return
    if unit is TurnUnit.MONTHS:
        return  # month arithmetic is pinned by the E28/E29 examples
    step = {TurnUnit.HOURS: timedelta(hours=1), TurnUnit.DAYS: timedelta(days=1)}.get(
        unit, timedelta(weeks=1)
    )
    wall = wall0 + step * layer.turn.count * k
    if k == 0:
        # Turn 0 begins at the anchor, even at the second occurrence of a fold.
        assert handoff == layer.anchor.astimezone(UTC)
        return
    assert handoff == from_wall_clock(wall, layer.tz).astimezone(UTC)
    if wall_clock_exists(wall, layer.tz):
        assert handoff.astimezone(layer.tz).replace(tzinfo=None) == wall


@given(st.data(), layers())
def test_reanchoring_keeps_the_turn_holder_and_the_grid(data: st.DataObject, layer: Layer) -> None:
    at = data.draw(aware_datetimes(datetime(2024, 1, 1), datetime(2028, 1, 1)))
    k = layer.turn_index(at)
    holder = layer.owner(k)
    others = data.draw(st.lists(st.sampled_from(["alice", "bob", "zoe", None]), max_size=4))
    position = data.draw(st.integers(0, len(others)))
    new_users = [*others[:position], holder, *others[position:], "zoe"]
    kept = layer.reanchored(new_users, at)
    assert kept.users == tuple(new_users)
    assert kept.owner(k) == holder
    assert kept.on_call_at(at) == layer.on_call_at(at)
    assert kept.handoff(k + 1) == layer.handoff(k + 1)


# -- restrictions ----------------------------------------------------------------------


@given(restrictions(), zones(), windows(max_length=timedelta(days=15)))
@settings(max_examples=100)
def test_windows_start_and_end_on_the_wall_clock(
    restriction: Restriction, tz: tzinfo, window: Window
) -> None:
    previous_start = None
    for span in restriction.windows(*window, tz):
        start, end = span.start.astimezone(UTC), span.end.astimezone(UTC)
        assert start < end
        assert end > window[0].astimezone(UTC)
        assert start < window[1].astimezone(UTC)
        assert previous_start is None or previous_start < start
        previous_start = start
        day = _start_date(span.start.astimezone(tz), restriction, tz)
        wall_start = datetime.combine(day, restriction.start)
        wall_end = wall_start + restriction.duration
        assert start == from_wall_clock(wall_start, tz).astimezone(UTC)
        assert end == from_wall_clock(wall_end, tz, fold="later").astimezone(UTC)
        if restriction.day is not None:
            assert day.isoweekday() == restriction.day


def _start_date(local_start: datetime, restriction: Restriction, tz: tzinfo) -> date:
    """The local date a window starting at ``local_start`` was generated for."""
    day = local_start.date()
    for candidate in (day, day - timedelta(days=1)):
        wall = datetime.combine(candidate, restriction.start)
        if from_wall_clock(wall, tz).astimezone(UTC) == local_start.astimezone(UTC):
            return candidate
    raise AssertionError(local_start)
