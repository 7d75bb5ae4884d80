"""The severity tables in docs/integrations/ are the tables the code uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tocsin.events import Severity
from tocsin.integrations import alertmanager, datadog, grafana, opsgenie, pagerduty

DOCS = Path(__file__).parents[3] / "docs" / "integrations"


def documented(page: str) -> dict[str, Severity]:
    text = (DOCS / page).read_text(encoding="utf-8")
    section = text.split("## Severity", 1)[1].split("\n## ", 1)[0]
    table: dict[str, Severity] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) != 2 or cells[1] not in {s.value for s in Severity}:
            continue  # not a row, or the header
        for value in re.findall(r"`([^`]+)`", cells[0]):
            table[value.lower()] = Severity(cells[1])
    return table


@pytest.mark.parametrize(
    ("page", "severities"),
    [
        ("alertmanager.md", alertmanager.SEVERITIES),
        ("grafana.md", grafana.SEVERITIES),
        ("datadog.md", datadog.SEVERITIES),
        ("pagerduty.md", pagerduty.SEVERITIES),
        ("opsgenie.md", opsgenie.SEVERITIES),
    ],
)
def test_documented_severity_table_is_the_code(page: str, severities: dict[str, Severity]) -> None:
    assert documented(page) == dict(severities)


def test_every_source_has_a_page() -> None:
    assert sorted(p.stem for p in DOCS.glob("*.md")) == sorted(
        ["alertmanager", "grafana", "datadog", "cloudwatch", "pagerduty", "opsgenie"]
    )
