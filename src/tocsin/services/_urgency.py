"""Urgency: how hard a page pushes (PagerDuty's high and low urgency).

A service's urgency rule is PagerDuty's ``incident_urgency_rule``: a constant, or
derived from the alert's severity, optionally different inside and outside the
service's support hours.
"""

from __future__ import annotations

import enum
from typing import Literal, TypeAlias

import attrs

from tocsin._checks import enum_member, flag
from tocsin.errors import InvalidInput
from tocsin.events import Severity

__all__ = ["Urgency", "UrgencyRule", "SEVERITY_BASED", "UrgencySetting"]


class Urgency(enum.StrEnum):
    """High urgency pages now; low urgency notifies quietly (PagerDuty's two levels)."""

    HIGH = "high"
    LOW = "low"


#: The rule value that derives urgency from the alert's severity, as PagerDuty's
#: ``"severity_based"``.
SEVERITY_BASED: Literal["severity_based"] = "severity_based"

#: What a rule says for one side of the support hours.
UrgencySetting: TypeAlias = "Urgency | Literal['severity_based']"


def _setting(value: object, field: str) -> UrgencySetting:
    if value == SEVERITY_BASED:
        return SEVERITY_BASED
    if isinstance(value, str):
        try:
            return Urgency(value)
        except ValueError:
            pass
    msg = f"expected 'high', 'low' or 'severity_based', got {value!r}"
    raise InvalidInput(field, msg)


def _during(value: object) -> UrgencySetting:
    return _setting(value, "during")


def _outside(value: object) -> UrgencySetting | None:
    return None if value is None else _setting(value, "outside")


def _severity(value: object) -> Severity:
    return enum_member(Severity, value, "high_from")


@attrs.frozen
class UrgencyRule:
    """How a service picks the urgency of a new incident.

    ``during`` applies inside the service's support hours (or always, if the service
    has none); ``outside`` applies outside them (``None``: same as ``during``).  Each is
    ``Urgency.HIGH``, ``Urgency.LOW`` or ``"severity_based"``, which gives high urgency
    to severities at or above ``high_from`` (PagerDuty: critical and error page high,
    warning and info low).  The default, as PagerDuty's, is always high.

    >>> rule = UrgencyRule(during=SEVERITY_BASED, outside=Urgency.LOW)
    >>> rule.urgency(Severity.CRITICAL, in_support_hours=True)
    <Urgency.HIGH: 'high'>
    >>> rule.urgency(Severity.CRITICAL, in_support_hours=False)
    <Urgency.LOW: 'low'>
    """

    during: UrgencySetting = attrs.field(default=Urgency.HIGH, converter=_during)
    outside: UrgencySetting | None = attrs.field(default=None, converter=_outside)
    high_from: Severity = attrs.field(default=Severity.ERROR, converter=_severity)

    def urgency(self, severity: Severity | None, *, in_support_hours: bool) -> Urgency:
        """The urgency for an alert of ``severity`` (``None`` counts as critical)."""
        if severity is not None:
            severity = enum_member(Severity, severity, "severity")
        inside = flag(in_support_hours, "in_support_hours")
        setting = self.during if inside or self.outside is None else self.outside
        if isinstance(setting, Urgency):
            return setting
        # An alert without a severity (acknowledge, resolve) is treated as the worst
        # case: urgency must never be lowered by missing data.
        level = Severity.CRITICAL if severity is None else severity
        return Urgency.HIGH if level >= self.high_from else Urgency.LOW

    def describe(self) -> str:
        """A short human description of the rule."""

        def words(setting: UrgencySetting) -> str:
            if setting == SEVERITY_BASED:
                return f"by severity (high from {self.high_from})"
            return str(setting)

        if self.outside is None:
            return words(self.during) if self.during == SEVERITY_BASED else f"always {self.during}"
        return f"{words(self.during)} in support hours, {words(self.outside)} outside"
