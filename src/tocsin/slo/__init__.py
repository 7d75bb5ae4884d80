"""SLOs: exact targets, windows, SLIs, error budgets, burn rates and burn-rate alerts.

Everything is exact (``Fraction`` targets and ratios, integer counts) and total: an
empty window is ``None``, never NaN; a 100 % target is refused with a clear error
instead of producing infinities.
"""

from __future__ import annotations

from tocsin.slo._budget import (
    ErrorBudget,
    budget_consumed,
    burn_rate,
    max_burn_rate,
    time_to_exhaustion,
)
from tocsin.slo._counter import counter_deltas, counter_increase
from tocsin.slo._evaluator import BurnRateEvaluator, evaluate, format_duration
from tocsin.slo._numbers import to_target
from tocsin.slo._objective import Objective
from tocsin.slo._rules import (
    BudgetShare,
    BurnRateRule,
    Comparison,
    datadog,
    detection_time,
    pyrra,
    reset_time,
    rules_from_budget,
    sloth,
    sre_workbook,
    validate_rules,
)
from tocsin.slo._series import CountSeries
from tocsin.slo._sli import (
    SLI,
    Counts,
    GoodOverTotal,
    Measurement,
    NoData,
    Ratio,
    RatioTimeSlices,
    Threshold,
    TimeSlices,
    ratio,
)
from tocsin.slo._window import CalendarUnit, CalendarWindow, RollingWindow, Window

__all__ = [
    # objectives and windows
    "Objective",
    "to_target",
    "RollingWindow",
    "CalendarWindow",
    "CalendarUnit",
    "Window",
    # indicators
    "SLI",
    "Ratio",
    "Threshold",
    "TimeSlices",
    "RatioTimeSlices",
    "Counts",
    "Measurement",
    "NoData",
    "GoodOverTotal",
    "ratio",
    "counter_deltas",
    "counter_increase",
    "CountSeries",
    # budgets and burn rates
    "ErrorBudget",
    "burn_rate",
    "max_burn_rate",
    "time_to_exhaustion",
    "budget_consumed",
    # alerting
    "BurnRateRule",
    "Comparison",
    "BudgetShare",
    "rules_from_budget",
    "sre_workbook",
    "sloth",
    "pyrra",
    "datadog",
    "validate_rules",
    "detection_time",
    "reset_time",
    "BurnRateEvaluator",
    "evaluate",
    "format_duration",
]
