"""Reliability analytics: incident metrics and on-call burden.

MTTA, MTTR (with its "R" named), MTBF, downtime and availability from incident
timelines; hours on call, pages and off-hours pages per person in their own zone, and
fairness across a rotation.  Every statistic carries its count, mean, median and 90th
percentile, because incident durations are too heavy-tailed for a mean alone.
"""

from __future__ import annotations

from tocsin.analytics._burden import Burden, Fairness, OnCallEntry, Page, burden, fairness
from tocsin.analytics._incidents import (
    IncidentTimeline,
    Recovery,
    ReliabilityReport,
    availability,
    downtime,
    mtbf,
    mtta,
    mttr,
    reliability_report,
)
from tocsin.analytics._stats import Stats, count_stats, duration_stats, gini

__all__ = [
    # statistics
    "Stats",
    "duration_stats",
    "count_stats",
    "gini",
    # incidents
    "IncidentTimeline",
    "Recovery",
    "mtta",
    "mttr",
    "mtbf",
    "downtime",
    "availability",
    "ReliabilityReport",
    "reliability_report",
    # on-call burden
    "OnCallEntry",
    "Page",
    "Burden",
    "burden",
    "Fairness",
    "fairness",
]
