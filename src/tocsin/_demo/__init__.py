"""The story ``tocsin demo`` tells: a follow-the-sun schedule and an incident, end to end.

Private: the command line and the tests use it; it is not part of the API.  The
scenario is pure (``now`` is a parameter); :mod:`tocsin.cli` reads the clock once.
"""

from __future__ import annotations

from tocsin._demo._payloads import PAYLOADS, payload
from tocsin._demo._scenario import (
    MANAGER,
    SCHEDULE,
    Arrival,
    IncidentRun,
    arrivals,
    commands_for,
    escalation_policy,
    noise_policy,
    regions,
    run_incident,
    schedule,
    user_zones,
)
from tocsin._demo._text import incident_lines

__all__ = [
    "PAYLOADS",
    "payload",
    "MANAGER",
    "SCHEDULE",
    "Arrival",
    "IncidentRun",
    "arrivals",
    "commands_for",
    "escalation_policy",
    "noise_policy",
    "regions",
    "run_incident",
    "schedule",
    "user_zones",
    "incident_lines",
]
