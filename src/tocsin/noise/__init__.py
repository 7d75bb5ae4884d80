"""Noise: cut the pages an alert stream causes without hiding the one that matters.

Pure building blocks, each usable alone:

* grouping into open incidents, by content or by time window
  (:class:`ContentGrouping`, :class:`TimeWindowGrouping`);
* Alertmanager's aggregation timers as a planner (:func:`plan_flushes`);
* flap detection (:class:`PercentStateChange`, :class:`ChangeCount`);
* silences and maintenance windows (:class:`Silence`, :class:`MaintenanceWindow`,
  :class:`SilenceSet`) and inhibition (:class:`InhibitRule`, :class:`Inhibitor`);
* thresholds and debounce (:class:`SuppressionThreshold`, :class:`Debounce`);

and :class:`NoisePolicy`, which composes them with a router into one step function
whose every :class:`Verdict` carries its reasons.  A suppressed alert is kept and
marked, never discarded.
"""

from __future__ import annotations

from tocsin.noise._aggregation import AlertChange, Flush, FlushOutcome, GroupTiming, plan_flushes
from tocsin.noise._flapping import (
    FLAP_SAMPLES,
    ChangeCount,
    FlapAction,
    FlapAssessment,
    PercentStateChange,
    percent_state_change,
)
from tocsin.noise._grouping import (
    MAX_GROUPING_WINDOW,
    Aggregate,
    ContentGrouping,
    GroupingDecision,
    OpenIncident,
    TimeWindowGrouping,
)
from tocsin.noise._inhibition import Inhibition, Inhibitor, InhibitRule
from tocsin.noise._pipeline import FlapPolicy, NoisePolicy, Replay
from tocsin.noise._silence import MaintenanceWindow, Silence, SilenceSet
from tocsin.noise._state import AlertRecord, IncidentRecord, NoiseState
from tocsin.noise._suppression import Debounce, SuppressionThreshold
from tocsin.noise._verdict import MUTING, Outcome, Reason, ReasonKind, Verdict

__all__ = [
    "ContentGrouping",
    "TimeWindowGrouping",
    "Aggregate",
    "OpenIncident",
    "GroupingDecision",
    "MAX_GROUPING_WINDOW",
    "GroupTiming",
    "AlertChange",
    "Flush",
    "FlushOutcome",
    "plan_flushes",
    "FLAP_SAMPLES",
    "percent_state_change",
    "PercentStateChange",
    "ChangeCount",
    "FlapAssessment",
    "FlapAction",
    "Silence",
    "MaintenanceWindow",
    "SilenceSet",
    "InhibitRule",
    "Inhibition",
    "Inhibitor",
    "SuppressionThreshold",
    "Debounce",
    "FlapPolicy",
    "NoisePolicy",
    "Replay",
    "NoiseState",
    "AlertRecord",
    "IncidentRecord",
    "Outcome",
    "Reason",
    "ReasonKind",
    "Verdict",
    "MUTING",
]
