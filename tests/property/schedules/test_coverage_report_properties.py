"""The coverage report against a brute-force sweep of the per-layer renders, in UTC.

The oracle cuts the window at every shift and override end of every layer, asks each
layer (and override) whether it covers each piece, and merges neighbouring pieces with
the same answer, comparing only UTC datetimes (which have no folds).  Windows sit
around real 2026 DST transitions of the DST-heavy zones, the schedule is expressed in
the zone of that transition, and one kind of drawn layer alternates on and off in
turns exactly as long as the transition's jump, anchored near it: so two overlaps or
two gaps often sit either side of a repeated hour, one wall reading apart.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.schedules import Layer, Schedule, Turn
from tocsin.testing import layers, overrides

ONE_US = timedelta(microseconds=1)
HOUR = timedelta(hours=1)
HALF = timedelta(minutes=30)
#: Real 2026 transitions: zone, instant (UTC), size of the jump (tzdata 2026.6).
TRANSITIONS = (
    ("America/New_York", datetime(2026, 3, 8, 7, tzinfo=UTC), HOUR),
    ("America/New_York", datetime(2026, 11, 1, 6, tzinfo=UTC), HOUR),
    ("Europe/London", datetime(2026, 3, 29, 1, tzinfo=UTC), HOUR),
    ("Europe/London", datetime(2026, 10, 25, 1, tzinfo=UTC), HOUR),
    ("Australia/Sydney", datetime(2026, 4, 4, 16, tzinfo=UTC), HOUR),
    ("Australia/Sydney", datetime(2026, 10, 3, 16, tzinfo=UTC), HOUR),
    ("Australia/Lord_Howe", datetime(2026, 4, 4, 15, tzinfo=UTC), HALF),
    ("Australia/Lord_Howe", datetime(2026, 10, 3, 15, 30, tzinfo=UTC), HALF),
    ("Pacific/Chatham", datetime(2026, 4, 4, 14, tzinfo=UTC), HOUR),
    ("Pacific/Chatham", datetime(2026, 9, 26, 14, tzinfo=UTC), HOUR),
)

Span = tuple[datetime, datetime]


@st.composite
def flickering(draw: st.DrawFn, name: str, moment: datetime, jump: timedelta) -> Layer:
    """On for one jump-length turn, off for the next, anchored within 3 jumps of it."""
    back = draw(st.integers(-3 * jump // ONE_US, jump // ONE_US))
    people = draw(st.sampled_from((("b", None), (None, "b"), ("b", None, "c", None))))
    return Layer(name, people, moment + back * ONE_US, Turn.elapsed(jump), UTC)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Schedule, datetime, datetime]:
    key, moment, jump = draw(st.sampled_from(TRANSITIONS))
    tz = ZoneInfo(key)
    drawn = []
    for index in range(draw(st.integers(1, 3))):
        name = f"layer-{index}"
        kind = draw(st.sampled_from(("always", "flicker", "drawn")))
        if kind == "always":
            drawn.append(Layer(name, ["a"], moment, Turn.weeks(1), tz))
        elif kind == "flicker":
            drawn.append(draw(flickering(name, moment, jump)))
        else:
            drawn.append(draw(layers(name, timezones=st.just(tz))))
    near = (moment - 6 * HOUR).astimezone(tz).replace(tzinfo=None)
    extra = draw(
        st.lists(
            overrides(min_start=near, max_start=near + 12 * HOUR, max_length=2 * HOUR),
            max_size=2,
        )
    )
    lo = moment - draw(st.timedeltas(timedelta(0), 5 * HOUR))
    hi = moment + draw(st.timedeltas(timedelta(0), 5 * HOUR))
    # The window's ends in the schedule's zone: either may be in the repeated hour.
    return Schedule("s", drawn, extra, tz=tz), lo.astimezone(tz), hi.astimezone(tz)


def utc_spans(spans: list[tuple[datetime, datetime]]) -> list[Span]:
    return [(start.astimezone(UTC), end.astimezone(UTC)) for start, end in spans]


def covers(spans: list[Span], at: datetime) -> bool:
    return any(start <= at < end for start, end in spans)


def brute_force(
    schedule: Schedule, lo: datetime, hi: datetime
) -> tuple[list[tuple[datetime, datetime, tuple[str, ...]]], list[Span]]:
    """(overlaps, gaps) of the window, from the layers' own renders, all in UTC."""
    start, end = lo.astimezone(UTC), hi.astimezone(UTC)
    renders = [
        utc_spans([(shift.start, shift.end) for shift in layer.shifts(lo, hi)])
        for layer in schedule.layers
    ]
    taken = utc_spans([(override.start, override.end) for override in schedule.overrides])
    cuts = {start, end}
    for spans in [*renders, taken]:
        for span in spans:
            cuts.update(moment for moment in span if start < moment < end)
    overlaps: list[tuple[datetime, datetime, tuple[str, ...]]] = []
    gaps: list[Span] = []
    for begin, finish in itertools.pairwise(sorted(cuts)):
        names = tuple(
            layer.name
            for layer, spans in zip(schedule.layers, renders, strict=True)
            if covers(spans, begin)
        )
        if len(names) >= 2:
            if overlaps and overlaps[-1][1] == begin and overlaps[-1][2] == names:
                overlaps[-1] = (overlaps[-1][0], finish, names)
            else:
                overlaps.append((begin, finish, names))
        if not names and not covers(taken, begin):
            if gaps and gaps[-1][1] == begin:
                gaps[-1] = (gaps[-1][0], finish)
            else:
                gaps.append((begin, finish))
    return overlaps, gaps


@given(scenarios())
@settings(max_examples=200)
def test_the_report_equals_the_brute_force_sweep_around_dst(
    scenario: tuple[Schedule, datetime, datetime],
) -> None:
    schedule, lo, hi = scenario
    report = schedule.coverage_report(lo, hi)
    overlaps, gaps = brute_force(schedule, lo, hi)
    assert [
        (overlap.start.astimezone(UTC), overlap.end.astimezone(UTC), overlap.layers)
        for overlap in report.overlaps
    ] == overlaps
    assert utc_spans([(gap.start, gap.end) for gap in report.gaps]) == gaps
    assert report.overlap_time == sum((end - start for start, end, _ in overlaps), timedelta(0))
    assert report.gap_time == sum((end - start for start, end in gaps), timedelta(0))
    for overlap in report.overlaps:
        assert overlap.start.tzinfo is schedule.tz
