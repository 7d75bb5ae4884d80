"""Test support for tocsin and for our users' own test suites.

Fakes (:class:`FakeClock`) and Hypothesis strategies (lowercase plural nouns, as in
``hypothesis.strategies``).  The strategies need Hypothesis: install
``tocsin[testing]``.  Nothing here is loaded as a pytest plugin automatically.
"""

from __future__ import annotations

from tocsin.testing._clock import FakeClock
from tocsin.testing._events import (
    alertmanager_payloads,
    cloudwatch_payloads,
    datadog_payloads,
    events,
    grafana_payloads,
    json_values,
    label_sets,
    opsgenie_payloads,
    pagerduty_payloads,
)
from tocsin.testing._noise import (
    LABEL_NAMES,
    LABEL_VALUES,
    inhibit_rules,
    labelled_events,
    matcher_labels,
    matchers,
    routing_trees,
    silences,
)
from tocsin.testing._schedules import layers, overrides, restrictions, schedules, turns
from tocsin.testing._slo import count_series, objectives
from tocsin.testing._time import aware_datetimes, zones

__all__ = [
    "FakeClock",
    "aware_datetimes",
    "zones",
    "events",
    "label_sets",
    "json_values",
    "alertmanager_payloads",
    "grafana_payloads",
    "datadog_payloads",
    "cloudwatch_payloads",
    "pagerduty_payloads",
    "opsgenie_payloads",
    "objectives",
    "count_series",
    "turns",
    "restrictions",
    "layers",
    "overrides",
    "schedules",
    "matchers",
    "matcher_labels",
    "labelled_events",
    "routing_trees",
    "silences",
    "inhibit_rules",
    "LABEL_NAMES",
    "LABEL_VALUES",
]
