"""Every keyword option of every parser is checked when the parser is called.

A bad option is the caller's mistake, not the sender's: it raises
``InvalidEvent`` naming the option, before the payload is read (the payloads here are
not even JSON), and never a ``TypeError`` from deep inside a parser.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from tocsin.errors import InvalidEvent
from tocsin.events import Severity, parse_event
from tocsin.integrations import alertmanager, cloudwatch, datadog, grafana, opsgenie, pagerduty

PARSERS: dict[str, Any] = {
    "alertmanager": alertmanager.parse,
    "grafana": grafana.parse,
    "datadog": datadog.parse,
    "cloudwatch": cloudwatch.parse,
    "pagerduty": pagerduty.parse,
    "opsgenie": opsgenie.parse,
    "parse_event": parse_event,
}

_TABLES: list[object] = [
    ["critical"],
    "critical",
    {1: "info"},
    {"x": "urgent"},
    {"x": []},
    {"x": None},
]
_SEVERITIES: list[object] = ["fatal", [], None, 3]
_FACTORIES: list[object] = [5, "uuid", [], {}]

#: Bad values for each option, by option name: every option of every parser is here.
BAD: dict[str, list[object]] = {
    "severities": _TABLES,
    "default_severity": _SEVERITIES,
    "no_data_severity": _SEVERITIES,
    "severity_label": ["", ["severity"], {}, 5, None],
    "insufficient_data": ["warn", [], None],
    "key_factory": _FACTORIES,
    "action": ["delete", ["create"], {}, None],
    "alias": [5, ["a"], {}],
    "kind": ["trigger", ["alert"], {}, 1],
}


def options(parser: Any) -> list[str]:
    return [
        parameter.name
        for parameter in inspect.signature(parser).parameters.values()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    ]


CASES = [
    pytest.param(source, option, value, id=f"{source}-{option}-{value!r}")
    for source, parser in PARSERS.items()
    for option in options(parser)
    for value in BAD[option]
]


def test_every_option_of_every_parser_has_bad_values_here() -> None:
    for parser in PARSERS.values():
        assert set(options(parser)) <= set(BAD), parser


@pytest.mark.parametrize(("source", "option", "value"), CASES)
def test_a_bad_option_is_an_invalid_event_naming_it_before_the_payload_is_read(
    source: str, option: str, value: object
) -> None:
    with pytest.raises(InvalidEvent) as info:
        PARSERS[source](b"not JSON at all", **{option: value})
    assert info.value.field.split("[")[0] == option


@pytest.mark.parametrize("source", ["cloudwatch", "pagerduty", "opsgenie"])
def test_a_table_for_a_fixed_set_of_values_names_only_those(source: str) -> None:
    with pytest.raises(InvalidEvent) as info:
        PARSERS[source](b"{}", severities={"sev1": Severity.CRITICAL})
    assert info.value.field == "severities['sev1']"
    assert info.value.reason.startswith("not a value this source sends; expected one of ")


def test_two_spellings_of_one_value_must_agree() -> None:
    table = {"P1": Severity.CRITICAL, " p1 ": Severity.INFO}
    with pytest.raises(InvalidEvent) as info:
        alertmanager.parse(b"{}", severities=table)
    assert (info.value.field, info.value.reason) == (
        "severities[' p1 ']",
        "the same value as 'P1', with another severity",
    )
    agreeing = {"P1": Severity.CRITICAL, "p1": Severity.CRITICAL, "page": Severity.ERROR}
    body = {"alerts": [{"status": "firing", "labels": {"alertname": "a", "severity": "P1"}}]}
    [event] = alertmanager.parse(body, severities=agreeing)
    assert event.severity is Severity.CRITICAL


def test_a_partial_opsgenie_table_keeps_the_other_priorities() -> None:
    # Opsgenie sends only P1-P5: a table that remaps one leaves the others as they were.
    table = {"P1": Severity.ERROR}
    [p1] = opsgenie.parse({"message": "m", "alias": "a", "priority": "P1"}, severities=table)
    [p2] = opsgenie.parse({"message": "m", "alias": "a", "priority": "P2"}, severities=table)
    [p3] = opsgenie.parse({"message": "m", "alias": "a"}, severities=table)
    assert (p1.severity, p2.severity, p3.severity) == (
        Severity.ERROR,
        Severity.ERROR,
        Severity.WARNING,
    )


_KEYLESS_PAGERDUTY = {
    "event_action": "trigger",
    "payload": {"summary": "s", "source": "h", "severity": "info"},
}


@pytest.mark.parametrize("returned", [None, 5, "", "k" * 256, b"key"])
@pytest.mark.parametrize("source", ["pagerduty", "opsgenie", "parse_event"])
def test_a_key_factory_must_return_a_key(source: str, returned: object) -> None:
    body = {"message": "m"} if source == "opsgenie" else _KEYLESS_PAGERDUTY
    with pytest.raises(InvalidEvent) as info:
        PARSERS[source](body, key_factory=lambda _body: returned)
    assert info.value.field == "dedup_key"
    assert info.value.reason.startswith(
        "key_factory must return a non-empty string of at most 255 characters, returned "
    )


def test_a_key_factorys_own_errors_are_its_own() -> None:
    # The factory is the caller's code: what it raises is not dressed up as bad input.
    def broken(_body: object) -> str:
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        opsgenie.parse({"message": "m"}, key_factory=broken)
