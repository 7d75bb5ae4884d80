from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from tocsin.analytics import (
    IncidentTimeline,
    OnCallEntry,
    Page,
    availability,
    burden,
    downtime,
    duration_stats,
    fairness,
)
from tocsin.testing import zones
from tocsin.time import Interval

T0 = datetime(2026, 1, 1, tzinfo=UTC)
minutes = st.integers(min_value=0, max_value=60 * 24 * 60).map(lambda m: timedelta(minutes=m))


@given(st.lists(minutes, max_size=40))
def test_stats_are_ordered(values: list[timedelta]) -> None:
    s = duration_stats(values)
    assert s.count == len(values)
    if values:
        assert s.mean is not None
        assert s.median is not None
        assert s.p90 is not None
        assert min(values) <= s.median <= s.p90 <= max(values)
        assert min(values) <= s.mean <= max(values)


incidents = st.builds(
    lambda start, length: IncidentTimeline(opened=T0 + start, resolved=T0 + start + length),
    minutes,
    minutes,
)


@given(st.lists(incidents, max_size=20), minutes.filter(bool))
def test_availability_is_a_share_of_the_period(
    items: list[IncidentTimeline], length: timedelta
) -> None:
    period = Interval(T0, T0 + length)
    down = downtime(items, period)
    assert timedelta(0) <= down <= length
    share = availability(items, period)
    assert share is not None
    assert 0 <= share <= 1
    us = timedelta(microseconds=1)
    assert share == Fraction((length - down) // us, length // us)


@given(
    st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), minutes, minutes), max_size=12),
    st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), minutes), max_size=20),
    zones(),
)
def test_burden_parts_never_exceed_their_wholes(
    raw_shifts: list[tuple[str, timedelta, timedelta]],
    raw_pages: list[tuple[str, timedelta]],
    tz: tzinfo,
) -> None:
    shifts = [OnCallEntry(u, T0 + s, T0 + s + d, zone=tz) for u, s, d in raw_shifts]
    pages = [Page(u, T0 + at) for u, at in raw_pages]
    burdens = burden(shifts, pages, users=["a", "b", "c"], zones={"a": tz, "b": tz, "c": tz})
    total = timedelta(0)
    for b in burdens:
        assert timedelta(0) <= b.weekend_on_call <= b.on_call
        assert 0 <= b.off_hours_pages <= b.pages
        assert 0 <= b.weekend_pages <= b.pages
        total += b.on_call
    assert total <= sum((d for _, _, d in raw_shifts), timedelta(0))
    f = fairness(burdens)
    assert f.people == 3
    for g in (f.on_call_gini, f.pages_gini):
        assert g is None or 0 <= g < 1
