"""Hypothesis strategies for SLO objectives and bucketed count series."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta, tzinfo
from fractions import Fraction

from hypothesis import strategies as st

from tocsin.slo import (
    SLI,
    CalendarUnit,
    CalendarWindow,
    CountSeries,
    NoData,
    Objective,
    Ratio,
    RatioTimeSlices,
    RollingWindow,
    Threshold,
    TimeSlices,
    Window,
)
from tocsin.testing._time import aware_datetimes, zones
from tocsin.time import from_wall_clock

#: Targets people actually pick, plus arbitrary exact fractions in (0, 1).
_COMMON_TARGETS = tuple(
    Fraction(t) for t in ("0.9", "0.95", "0.99", "0.995", "0.999", "0.9995", "0.9999", "0.99999")
)


def targets() -> st.SearchStrategy[Fraction]:
    """Exact targets strictly between 0 and 1: common nines and arbitrary fractions."""
    arbitrary = st.fractions(min_value=0, max_value=1, max_denominator=100_000).filter(
        lambda f: 0 < f < 1
    )
    return st.one_of(st.sampled_from(_COMMON_TARGETS), arbitrary)


@st.composite
def _anchored(draw: st.DrawFn) -> CalendarWindow:
    # Anchored periods: month ends that clamp (an anchor on the 29th to 31st),
    # anchors in folds, and weekly anchors on their own weekday.
    unit = draw(st.sampled_from(list(CalendarUnit)))
    tz = draw(zones())
    anchor = draw(st.one_of(aware_datetimes(), _month_ends(tz)))
    week_start = anchor.astimezone(tz).weekday()
    return CalendarWindow(unit, tz, week_start=week_start, anchor=anchor)


def _month_ends(tz: tzinfo) -> st.SearchStrategy[datetime]:
    return st.builds(
        lambda year, month, day, hour: from_wall_clock(
            datetime(year, month, min(day, calendar.monthrange(year, month)[1]), hour),  # noqa: DTZ001 - a wall-clock time
            tz,
        ),
        st.integers(min_value=2000, max_value=2039),
        st.integers(min_value=1, max_value=12),
        st.integers(min_value=28, max_value=31),
        st.integers(min_value=0, max_value=23),
    )


def windows() -> st.SearchStrategy[Window]:
    """Rolling windows (5 minutes to 90 days) and calendar windows in DST-heavy zones.

    Calendar windows are natural (from midnight, the 1st, 1 January) or anchored at
    any instant, month ends and DST folds included.
    """
    rolling = st.builds(
        RollingWindow,
        st.integers(min_value=5, max_value=90 * 24 * 60).map(lambda m: timedelta(minutes=m)),
    )
    natural = st.builds(
        CalendarWindow,
        st.sampled_from(list(CalendarUnit)),
        zones(),
        week_start=st.integers(min_value=0, max_value=6),
    )
    return st.one_of(rolling, natural, _anchored())


def slis() -> st.SearchStrategy[SLI]:
    """Any of the four SLI kinds, with one- or five-minute slices."""
    slice_ = st.sampled_from([timedelta(minutes=1), timedelta(minutes=5)])
    return st.one_of(
        st.just(Ratio()),
        st.builds(Threshold, st.floats(min_value=0.001, max_value=10.0)),
        st.builds(TimeSlices, slice_, targets()),
        st.builds(RatioTimeSlices, slice_),
    )


def objectives(
    *, sli: st.SearchStrategy[SLI] | None = None, window: st.SearchStrategy[Window] | None = None
) -> st.SearchStrategy[Objective]:
    """Draw :class:`~tocsin.slo.Objective` values with exact targets.

    By default any SLI kind and any window; pass ``sli=st.just(Ratio())`` (say) to
    narrow it.
    """
    return st.builds(
        Objective,
        targets(),
        window if window is not None else windows(),
        sli if sli is not None else slis(),
        no_data=st.sampled_from(list(NoData)),
    )


def count_series(
    *,
    min_size: int = 0,
    max_size: int = 200,
    max_total: int = 1000,
    steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=5), timedelta(hours=1)),
    start: st.SearchStrategy[datetime] | None = None,
) -> st.SearchStrategy[CountSeries]:
    """Draw :class:`~tocsin.slo.CountSeries` with ``0 <= good <= total <= max_total``.

    Empty buckets, all-good and all-bad buckets come up often, because those are the
    edges where SLO tools go wrong.
    """
    starts = (
        start
        if start is not None
        else aware_datetimes(
            datetime(2020, 1, 1),  # noqa: DTZ001 - naive bounds, as Hypothesis takes
            datetime(2030, 1, 1),  # noqa: DTZ001
        )
    )

    @st.composite
    def bucket(draw: st.DrawFn) -> tuple[int, int]:
        total = draw(st.one_of(st.just(0), st.integers(min_value=0, max_value=max_total)))
        good = draw(
            st.one_of(st.just(total), st.just(0), st.integers(min_value=0, max_value=total))
        )
        return good, total

    @st.composite
    def series(draw: st.DrawFn) -> CountSeries:
        buckets = draw(st.lists(bucket(), min_size=min_size, max_size=max_size))
        return CountSeries(
            draw(starts),
            draw(st.sampled_from(steps)),
            good=[g for g, _ in buckets],
            total=[t for _, t in buckets],
        )

    return series()
