"""On-call schedules: layers, turns, restrictions, overrides and the final schedule.

"Who is on call at T" is arithmetic (floor division on the turn index), never a
calendar expansion; renders are lazy iterators; every interval is half-open and exact
to the microsecond; wall-clock turns and restriction windows stay on local time across
DST, resolving gaps and folds by the rule of :func:`tocsin.time.from_wall_clock`.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> ny = ZoneInfo("America/New_York")
>>> layer = Layer(
...     "primary", ["alice", "bob", "carol"], datetime(2026, 3, 5, 9, tzinfo=ny), Turn.days(1), ny
... )
>>> [
...     (s.user, s.start.isoformat(), s.duration)
...     for s in layer.shifts(
...         datetime(2026, 3, 7, 9, tzinfo=ny), datetime(2026, 3, 9, 9, tzinfo=ny)
...     )
... ]
[('carol', '2026-03-07T09:00:00-05:00', datetime.timedelta(seconds=82800)), ('alice', '2026-03-08T09:00:00-04:00', datetime.timedelta(days=1))]
"""  # noqa: E501

from __future__ import annotations

from tocsin.schedules._coverage import CoverageReport, Overlap
from tocsin.schedules._follow_the_sun import Region, follow_the_sun
from tocsin.schedules._layer import Layer
from tocsin.schedules._override import Override
from tocsin.schedules._restriction import Restriction, parse_weekday
from tocsin.schedules._schedule import Schedule
from tocsin.schedules._shift import Shift
from tocsin.schedules._turn import Turn, TurnUnit

__all__ = [
    "Turn",
    "TurnUnit",
    "Restriction",
    "Layer",
    "Override",
    "Schedule",
    "Shift",
    "Region",
    "follow_the_sun",
    "CoverageReport",
    "Overlap",
    "parse_weekday",
]
