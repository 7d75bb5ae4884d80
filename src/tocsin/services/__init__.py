"""Services, teams and the dependency graph: what can break, who owns it, what it breaks.

A :class:`ServiceCatalog` holds :class:`Service` and :class:`Team` values, checks
every reference and rejects dependency cycles at construction, and answers graph
questions: what is upstream or downstream of a service, what a failure impacts (with
the path), and which of several failing services are the likely causes.
"""

from __future__ import annotations

from tocsin.services._catalog import Impact, ServiceCatalog
from tocsin.services._hours import SupportHours
from tocsin.services._service import Service, Team
from tocsin.services._urgency import SEVERITY_BASED, Urgency, UrgencyRule, UrgencySetting

__all__ = [
    "Service",
    "Team",
    "ServiceCatalog",
    "Impact",
    "SupportHours",
    "Urgency",
    "UrgencyRule",
    "UrgencySetting",
    "SEVERITY_BASED",
]
