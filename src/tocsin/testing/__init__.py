"""Test support for tocsin and for our users' own test suites.

Fakes (:class:`FakeClock`) and Hypothesis strategies (lowercase plural nouns, as in
``hypothesis.strategies``).  The strategies need Hypothesis: install
``tocsin[testing]``.  Nothing here is loaded as a pytest plugin automatically.
"""

from __future__ import annotations

from tocsin.testing._clock import FakeClock
from tocsin.testing._schedules import layers, overrides, restrictions, schedules, turns
from tocsin.testing._time import aware_datetimes, zones

__all__ = [
    "FakeClock",
    "aware_datetimes",
    "zones",
    "turns",
    "restrictions",
    "layers",
    "overrides",
    "schedules",
]
