"""Layers against a reference written from the definitions, with nothing from tocsin.

The other schedule properties hold the point query to the render and handoffs to
``from_wall_clock``: both sides are tocsin's own integer clocks, so a mistake they share
passes.  Here the reference uses only ``datetime`` and ``zoneinfo``: a handoff adds whole
units to the anchor's wall reading and resolves it (a gap: the first instant after it,
found by bisection on UTC instants; a fold: the earlier occurrence); a restriction
window runs from its start on the wall clock to its end on the wall clock (a fold: the
later occurrence); the turn holding an instant is found by walking handoffs.

Zones go beyond ``tocsin.testing.zones()``: Santiago changes clocks at midnight (so a
local day can start at 01:00), Dublin has a negative DST, Troll a two-hour one,
Casablanca suspends DST for Ramadan (four changes a year), and St John's is -03:30.
Instants are drawn at and around the real transitions, handoffs and window edges, to
the microsecond.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.schedules import Layer, Restriction, TurnUnit
from tocsin.testing import layers
from tocsin.testing._time import DST_ZONES

ONE_US = timedelta(microseconds=1)
ONE_SECOND = timedelta(seconds=1)
ZONES = [
    *(ZoneInfo(key) for key in DST_ZONES),
    ZoneInfo("America/Santiago"),
    ZoneInfo("Europe/Dublin"),
    ZoneInfo("Antarctica/Troll"),
    ZoneInfo("Africa/Casablanca"),
    ZoneInfo("America/St_Johns"),
]
STEP = {
    TurnUnit.HOURS: timedelta(hours=1),
    TurnUnit.DAYS: timedelta(days=1),
    TurnUnit.WEEKS: timedelta(weeks=1),
}


# -- the reference ----------------------------------------------------------------------


def offset_at(at: datetime, tz: tzinfo) -> timedelta:
    off = at.astimezone(tz).utcoffset()
    assert off is not None
    return off


def resolve(wall: datetime, tz: tzinfo, *, later: bool = False) -> datetime:
    """The UTC instant of the naive ``wall`` in ``tz`` (gap: after it; fold: as asked)."""
    candidates = []
    for fold in (0, 1):
        at = wall.replace(tzinfo=tz, fold=fold).astimezone(UTC)
        if at.astimezone(tz).replace(tzinfo=None, fold=0) == wall:
            candidates.append(at)
    if candidates:
        return max(candidates) if later else min(candidates)
    # A gap: the two readings of ``wall`` bracket the change; tzdata changes fall on
    # whole seconds, so bisect whole seconds.
    lo, hi = sorted(wall.replace(tzinfo=tz, fold=fold).astimezone(UTC) for fold in (0, 1))
    lo = lo.replace(microsecond=0)
    hi = hi.replace(microsecond=0) + (ONE_SECOND if hi.microsecond else timedelta(0))
    after = offset_at(hi, tz)
    while hi - lo > ONE_SECOND:
        mid = lo + ((hi - lo) // 2 // ONE_SECOND) * ONE_SECOND
        if offset_at(mid, tz) == after:
            hi = mid
        else:
            lo = mid
    return hi


def reference_handoff(layer: Layer, k: int) -> datetime:
    turn = layer.turn
    anchor = layer.anchor.astimezone(UTC)
    if turn.unit is TurnUnit.ELAPSED:
        assert turn.length is not None
        return anchor + turn.length * k
    if k == 0:
        return anchor  # turn 0 begins at the anchor, whatever the wall clock says
    wall0 = layer.anchor.astimezone(layer.tz).replace(tzinfo=None, fold=0)
    if turn.unit is TurnUnit.MONTHS:
        year, month = divmod(wall0.year * 12 + wall0.month - 1 + turn.count * k, 12)
        last = calendar.monthrange(year, month + 1)[1]
        wall = wall0.replace(year=year, month=month + 1, day=min(wall0.day, last))
    else:
        wall = wall0 + STEP[turn.unit] * turn.count * k
    return resolve(wall, layer.tz)


def reference_turn(layer: Layer, at: datetime, guess: int) -> int:
    """The turn holding ``at``, walking handoffs from ``guess``."""
    k = guess
    for _ in range(1000):
        if reference_handoff(layer, k) > at:
            k -= 1
        elif reference_handoff(layer, k + 1) <= at:
            k += 1
        else:
            return k
    raise AssertionError((layer, at, guess))


def in_a_window(restrictions: tuple[Restriction, ...], tz: tzinfo, at: datetime) -> bool:
    if not restrictions:
        return True
    today = at.astimezone(tz).date()
    for restriction in restrictions:
        # Windows start at most 7 days before ``at`` (one day more for the offset).
        for back in range(-1, restriction.span_days + 2):
            day = today - timedelta(days=back)
            if restriction.day is not None and day.isoweekday() != restriction.day:
                continue
            start = datetime.combine(day, restriction.start)
            if resolve(start, tz) <= at < resolve(start + restriction.duration, tz, later=True):
                return True
    return False


def reference_on_call(layer: Layer, at: datetime, guess: int) -> str | None:
    if layer.start is not None and at < layer.start.astimezone(UTC):
        return None
    if layer.end is not None and at >= layer.end.astimezone(UTC):
        return None
    if not in_a_window(layer.restrictions, layer.tz, at):
        return None
    return layer.owner(reference_turn(layer, at, guess))


# -- where to look ----------------------------------------------------------------------


def transitions(tz: tzinfo, year: int) -> list[datetime]:
    """The UTC instants in ``year`` at which ``tz`` changes its offset (to the second)."""
    found = []
    at = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    step = timedelta(hours=6)
    while at < end:
        if offset_at(at, tz) != offset_at(at + step, tz):
            lo, hi = at, at + step
            while hi - lo > ONE_SECOND:
                mid = lo + ((hi - lo) // 2 // ONE_SECOND) * ONE_SECOND
                if offset_at(mid, tz) == offset_at(hi, tz):
                    hi = mid
                else:
                    lo = mid
            found.append(hi)
        at += step
    return found


def window_edges(layer: Layer, near: datetime) -> list[datetime]:
    """The reference's window starts and ends within a few days of ``near``."""
    edges = []
    today = near.astimezone(layer.tz).date()
    for restriction in layer.restrictions:
        for back in range(-2, 9):
            day = today - timedelta(days=back)
            if restriction.day is not None and day.isoweekday() != restriction.day:
                continue
            start = datetime.combine(day, restriction.start)
            edges.append(resolve(start, layer.tz))
            edges.append(resolve(start + restriction.duration, layer.tz, later=True))
    return edges


NUDGES = st.sampled_from(
    [timedelta(0), ONE_US, -ONE_US, timedelta(minutes=30), -timedelta(minutes=30)]
    + [timedelta(hours=h) for h in (-25, -2, -1, 1, 2, 25)]
)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Layer, list[datetime]]:
    layer = draw(layers(timezones=st.sampled_from(ZONES)))
    year = draw(st.integers(2024, 2027))
    marks = transitions(layer.tz, year) or [datetime(year, 6, 1, tzinfo=UTC)]
    k = layer.turn_index(draw(st.sampled_from(marks)))
    marks += [reference_handoff(layer, k + i) for i in (-1, 0, 1, 2)]
    marks.append(layer.anchor.astimezone(UTC))
    instants = draw(
        st.lists(
            st.builds(lambda mark, nudge: mark + nudge, st.sampled_from(marks), NUDGES),
            min_size=1,
            max_size=8,
        )
    )
    # Window edges exactly and a microsecond either side, every time there are any.
    edges = window_edges(layer, draw(st.sampled_from(marks)))
    if edges:
        chosen = draw(st.lists(st.sampled_from(edges), min_size=1, max_size=3))
        instants += [edge + nudge for edge in chosen for nudge in (-ONE_US, timedelta(0), ONE_US)]
    return layer, instants


# -- the properties ---------------------------------------------------------------------


@given(scenarios())
@settings(max_examples=200)
def test_a_layer_answers_as_the_reference_at_transitions_handoffs_and_window_edges(
    scenario: tuple[Layer, list[datetime]],
) -> None:
    layer, instants = scenario
    for at in instants:
        guess = layer.turn_index(at)
        assert layer.on_call_at(at) == reference_on_call(layer, at, guess), at
        k = reference_turn(layer, at, guess)
        assert layer.turn_index(at) == k, at
        assert layer.handoff(k).astimezone(UTC) == reference_handoff(layer, k)


@given(scenarios())
@settings(max_examples=100)
def test_a_layer_renders_as_the_reference(scenario: tuple[Layer, list[datetime]]) -> None:
    layer, instants = scenario
    for around in instants[-3:]:  # the window edges, when there are any
        check_render(layer, around - timedelta(days=1), around + timedelta(days=1))


def check_render(layer: Layer, lo: datetime, hi: datetime) -> None:
    render = [
        (s.start.astimezone(UTC), s.end.astimezone(UTC), s.user)
        for s in layer.shifts(lo, hi, merge=False)
    ]
    # The render's edges and the reference's (handoffs, window starts and ends), and the
    # instants just before them, agree with the reference.
    edges = {lo, hi, *window_edges(layer, lo), *window_edges(layer, hi)}
    first, last = layer.turn_index(lo), layer.turn_index(hi - ONE_US)
    edges |= {reference_handoff(layer, k) for k in range(first, min(last, first + 48) + 1)}
    for start, end, _ in render:
        edges |= {start, end}
    probes = {edge + nudge for edge in edges for nudge in (-ONE_US, timedelta(0))}
    for at in sorted(probe for probe in probes if lo <= probe < hi):
        expected = reference_on_call(layer, at, layer.turn_index(at))
        rendered = next((user for start, end, user in render if start <= at < end), None)
        assert rendered == expected, at
