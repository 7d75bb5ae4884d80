from __future__ import annotations

import pytest

from tocsin.errors import InvalidInput
from tocsin.events import Severity
from tocsin.services import SEVERITY_BASED, Urgency, UrgencyRule


def test_default_is_always_high_as_pagerduty() -> None:
    rule = UrgencyRule()
    for severity in Severity:
        assert rule.urgency(severity, in_support_hours=False) is Urgency.HIGH


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        (Severity.CRITICAL, Urgency.HIGH),
        (Severity.ERROR, Urgency.HIGH),
        (Severity.WARNING, Urgency.LOW),
        (Severity.INFO, Urgency.LOW),
        (None, Urgency.HIGH),
    ],
)
def test_severity_based_matches_pagerduty(severity: Severity | None, expected: Urgency) -> None:
    assert UrgencyRule(during=SEVERITY_BASED).urgency(severity, in_support_hours=True) is expected


def test_threshold_is_configurable() -> None:
    rule = UrgencyRule(during=SEVERITY_BASED, high_from="critical")
    assert rule.urgency(Severity.ERROR, in_support_hours=True) is Urgency.LOW


def test_outside_support_hours() -> None:
    rule = UrgencyRule(during="high", outside="low")
    assert rule.urgency(Severity.CRITICAL, in_support_hours=True) is Urgency.HIGH
    assert rule.urgency(Severity.CRITICAL, in_support_hours=False) is Urgency.LOW
    assert rule.describe() == "high in support hours, low outside"
    assert UrgencyRule(during=SEVERITY_BASED).describe() == "by severity (high from error)"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"during": "urgent"}, "during"),
        ({"outside": 1}, "outside"),
        ({"high_from": "x"}, "high_from"),
    ],
)
def test_bad_rules_name_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        UrgencyRule(**kwargs)
    assert info.value.field == field
