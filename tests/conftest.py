"""Shared pytest setup: Hypothesis profiles.

``ci`` (the default under ``make test``) is sized for the 2-core CI machine and is
derandomized so a red build reproduces; ``dev`` keeps Hypothesis's defaults and its
example database.  Pick one with ``HYPOTHESIS_PROFILE``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
