from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from tocsin.analytics import (
    IncidentTimeline,
    Recovery,
    Stats,
    availability,
    count_stats,
    downtime,
    duration_stats,
    gini,
    mtbf,
    mtta,
    mttr,
    reliability_report,
)
from tocsin.errors import InvalidInput
from tocsin.time import Interval

T0 = datetime(2026, 3, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
MONTH = Interval(T0, T0 + 720 * HOUR)


def outage(at_hour: int, hours: int) -> IncidentTimeline:
    opened = T0 + at_hour * HOUR
    return IncidentTimeline(opened=opened, resolved=opened + hours * HOUR)


def test_v53_three_outages_in_720_hours() -> None:
    incidents = [outage(100, 1), outage(300, 2), outage(500, 3)]
    assert mtbf(incidents, MONTH) == timedelta(hours=238)
    assert mttr(incidents).mean == timedelta(hours=2)
    assert availability(incidents, MONTH) == Fraction(714, 720)
    assert downtime(incidents, MONTH) == timedelta(hours=6)


def test_v54_mtta_for_acknowledgements_after_2_5_and_11_minutes() -> None:
    incidents = [
        IncidentTimeline(opened=T0, acknowledged=T0 + minutes * MINUTE) for minutes in (2, 5, 11)
    ]
    stats = mtta(incidents)
    assert stats == Stats(3, 6 * MINUTE, 5 * MINUTE, 11 * MINUTE)


def test_each_r_of_mttr_measures_its_own_span() -> None:
    i = IncidentTimeline(
        started=T0,
        opened=T0 + 10 * MINUTE,
        acknowledged=T0 + 15 * MINUTE,
        mitigated=T0 + 45 * MINUTE,
        resolved=T0 + 2 * HOUR,
    )
    assert i.time_to() == timedelta(minutes=110)  # resolve: opened -> resolved
    assert i.time_to("recover") == 45 * MINUTE  # started -> mitigated
    assert i.time_to(Recovery.RESPOND) == 35 * MINUTE  # opened -> mitigated
    assert i.time_to("repair") == 30 * MINUTE  # acknowledged -> mitigated
    with pytest.raises(InvalidInput) as info:
        i.time_to("restore")
    assert info.value.field == "recovery"


def test_unacknowledged_and_open_incidents_are_left_out_and_counted() -> None:
    incidents = [
        IncidentTimeline(opened=T0, acknowledged=T0 + MINUTE, resolved=T0 + HOUR),
        IncidentTimeline(opened=T0),  # still open, never acknowledged
    ]
    assert mtta(incidents).count == 1
    assert mttr(incidents).count == 1
    # The open incident is down until the end of the period.
    assert downtime(incidents, Interval(T0, T0 + 2 * HOUR)) == 2 * HOUR


def test_overlapping_outages_count_once_and_are_clipped_to_the_period() -> None:
    incidents = [outage(0, 3), outage(1, 1), outage(719, 5)]
    assert downtime(incidents, MONTH) == 4 * HOUR
    assert mtbf(incidents, MONTH) == (720 - 4) * HOUR / 3


def test_milestones_in_different_zones_are_compared_as_instants() -> None:
    ny = ZoneInfo("America/New_York")
    # 01:30 EDT (05:30 UTC) and 01:10 EST (06:10 UTC) on the fall-back night: 40
    # minutes apart, although the wall clock says the acknowledgement came first.
    opened = datetime(2026, 11, 1, 1, 30, tzinfo=ny)
    acked = datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=ny)
    assert mtta([IncidentTimeline(opened=opened, acknowledged=acked)]).mean == timedelta(minutes=40)


def test_milestones_out_of_order_are_errors_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as info:
        IncidentTimeline(opened=T0, acknowledged=T0 - MINUTE)
    assert info.value.field == "acknowledged"
    with pytest.raises(InvalidInput) as info:
        IncidentTimeline(opened=T0, started=T0 + MINUTE)
    assert info.value.field == "opened"
    with pytest.raises(InvalidInput) as info:
        IncidentTimeline(opened=datetime(2026, 3, 1))
    assert info.value.field == "opened"


def test_nothing_failed_means_no_mtbf_and_full_availability() -> None:
    assert mtbf([], MONTH) is None
    assert availability([], MONTH) == 1
    assert availability([], Interval(T0, T0)) is None


def test_reliability_report_for_a_month() -> None:
    incidents = [
        IncidentTimeline(
            opened=T0 + 100 * HOUR,
            acknowledged=T0 + 100 * HOUR + 4 * MINUTE,
            resolved=T0 + 101 * HOUR,
        ),
        IncidentTimeline(opened=T0 + 800 * HOUR, resolved=T0 + 801 * HOUR),  # next month
    ]
    report = reliability_report(incidents, MONTH)
    assert report.incidents == 1
    assert report.failures == 1
    assert report.mtta == Stats(1, 4 * MINUTE, 4 * MINUTE, 4 * MINUTE)
    assert report.mttr.mean == HOUR
    assert report.mtbf == 719 * HOUR
    assert report.availability == Fraction(719, 720)
    assert report.recovery is Recovery.RESOLVE


def test_stats_median_and_nearest_rank_p90() -> None:
    values = [timedelta(minutes=m) for m in (1, 2, 3, 4, 5, 6, 7, 8, 9, 100)]
    s = duration_stats(values)
    assert s.count == 10
    assert s.mean == timedelta(minutes=14.5)
    assert s.median == timedelta(minutes=5.5)
    assert s.p90 == timedelta(minutes=9)  # the 9th of 10, an observed value
    assert duration_stats([]) == Stats(0, None, None, None)
    assert count_stats([3, 1, 2, 10]).median == Fraction(5, 2)
    assert count_stats(range(1, 12)).p90 == 10  # ceil(0.9 x 11) = 10th value


def test_gini() -> None:
    assert gini([5, 5, 5]) == 0
    assert gini([0, 10]) == Fraction(1, 2)
    assert gini([]) is None
    assert gini([0, 0]) is None
    with pytest.raises(InvalidInput):
        gini([1, -1])


def test_statistics_of_very_long_incidents_never_overflow_a_timedelta() -> None:
    # 300 incidents of 9,998 years each sum past timedelta.max (999,999,999 days);
    # the mean is computed on integer microseconds and is just one of them.
    first, last = datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC)
    longest = IncidentTimeline(opened=first, resolved=last)
    stats = mttr([longest] * 300)
    assert stats == Stats(300, last - first, last - first, last - first)
    assert duration_stats([timedelta.max, timedelta.max]).mean == timedelta.max
    # Half-even rounding to the microsecond, as timedelta / int does.
    us = timedelta(microseconds=1)
    assert duration_stats([us, 2 * us]).mean == 2 * us  # 1.5 us rounds to 2
    assert duration_stats([us * 2, us * 3]).median == 2 * us  # 2.5 us rounds to 2
