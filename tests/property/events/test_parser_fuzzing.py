"""Parsers raise InvalidEvent for bad input and nothing else, whatever arrives."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.errors import InvalidEvent
from tocsin.events import ChangeEvent, Event, parse_event
from tocsin.integrations import SubscriptionConfirmation, parse
from tocsin.testing import json_values

FIXTURES = Path(__file__).parents[2] / "fixtures"
DIRECTORIES = {
    "alertmanager": "alertmanager",
    "grafana": "grafana",
    "datadog": "datadog",
    "cloudwatch": "cloudwatch",
    "pagerduty-events-v2": "pagerduty",
    "opsgenie": "opsgenie",
}


def _parser(source: str) -> Callable[[object], object]:
    return lambda payload: parse(source, payload)  # type: ignore[call-overload]


PARSERS: dict[str, Callable[[object], object]] = {
    "parse_event": parse_event,  # type: ignore[dict-item]
    **{source: _parser(source) for source in DIRECTORIES.values()},
}

# Keys each source reads, so fuzzed objects reach past the first check.
KEYS = sorted(
    {
        "alerts", "status", "labels", "annotations", "fingerprint", "startsAt", "endsAt",
        "generatorURL", "externalURL", "groupKey", "truncatedAlerts", "commonLabels",
        "ruleId", "state", "tags", "evalMatches", "ruleUrl", "imageUrl", "orgId",
        "alert_transition", "alert_title", "alert_id", "alert_scope", "date", "hostname",
        "alert_priority", "alert_type", "aggreg_key", "alert_cycle_key", "snapshot",
        "Type", "Message", "Records", "Sns", "AlarmName", "NewStateValue", "AlarmArn",
        "Trigger", "Dimensions", "Metrics", "StateChangeTime", "detail-type", "detail",
        "SubscribeURL", "TopicArn", "Token", "resources",
        "event_action", "dedup_key", "routing_key", "payload", "summary", "source",
        "severity", "timestamp", "custom_details", "links", "images", "href", "src",
        "message", "alias", "priority", "details", "responders", "actions",
    }
)  # fmt: skip

keyed_values = st.recursive(
    json_values(max_leaves=4),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=20,
)


def only_invalid_event(parser: Callable[[object], object], payload: object) -> None:
    try:
        result = parser(payload)
    except InvalidEvent as err:
        problem = err
    else:
        check_result(result)
        return
    # Every error names a field and says what was expected.
    assert isinstance(problem.field, str)
    assert problem.reason


def check_result(result: object) -> None:
    if isinstance(result, SubscriptionConfirmation):
        return
    items = result if isinstance(result, list) else [result]
    for event in items:
        assert isinstance(event, Event | ChangeEvent)
        assert_deeply_frozen(event.custom_details)
        json.dumps(event.custom_details, default=_plain)


def _plain(value: object) -> object:
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(value)


def assert_deeply_frozen(value: object) -> None:
    if isinstance(value, Mapping):
        assert type(value) is MappingProxyType
        for item in value.values():
            assert_deeply_frozen(item)
    elif isinstance(value, list | tuple):
        assert type(value) is tuple
        for item in value:
            assert_deeply_frozen(item)
    else:
        assert value is None or isinstance(value, bool | int | float | str)


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(max_examples=40)
@given(value=json_values())
def test_arbitrary_json_values(name: str, value: object) -> None:
    only_invalid_event(PARSERS[name], value)
    only_invalid_event(PARSERS[name], json.dumps(value).encode())


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(max_examples=50)
@given(value=st.dictionaries(st.sampled_from(KEYS), keyed_values, max_size=8))
def test_arbitrary_objects_with_the_keys_sources_use(name: str, value: object) -> None:
    only_invalid_event(PARSERS[name], value)


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(max_examples=40)
@given(data=st.binary(max_size=200) | st.text(max_size=100))
def test_arbitrary_bytes_and_text(name: str, data: bytes | str) -> None:
    only_invalid_event(PARSERS[name], data)


def _fixtures() -> list[tuple[str, str]]:
    return [
        (source, f"{directory}/{path.name}")
        for directory, source in DIRECTORIES.items()
        for path in sorted((FIXTURES / directory).glob("*.json"))
    ]


def _paths(value: object, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*prefix, i))
    return found


@st.composite
def mutations(draw: st.DrawFn, document: object) -> object:
    """The document with one value replaced, deleted or given the wrong type."""
    doc = copy.deepcopy(document)
    # Reach into CloudWatch's JSON-in-a-string Message half of the time.
    embedded = isinstance(doc, dict) and isinstance(doc.get("Message"), str)
    inner: Any = None
    if embedded and draw(st.booleans()):
        try:
            inner = json.loads(doc["Message"])  # type: ignore[index]
        except ValueError:
            inner = None
    target: Any = inner if inner is not None else doc
    path = draw(st.sampled_from(_paths(target)))
    if not path:
        return draw(json_values())
    parent: Any = target
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    choice = draw(st.sampled_from(["replace", "delete", "stringify", "wrap"]))
    if choice == "delete" and isinstance(parent, dict):
        del parent[last]
    elif choice == "stringify":
        parent[last] = json.dumps(parent[last])
    elif choice == "wrap":
        parent[last] = [parent[last]]
    else:
        parent[last] = draw(json_values(max_leaves=4))
    if inner is not None:
        doc["Message"] = json.dumps(inner)  # type: ignore[index]
    return doc


@pytest.mark.parametrize(("source", "path"), _fixtures())
@settings(max_examples=20)
@given(data=st.data())
def test_mutated_fixtures(source: str, path: str, data: st.DataObject) -> None:
    document = json.loads((FIXTURES / path).read_bytes())
    mutated = data.draw(mutations(document))
    only_invalid_event(PARSERS[source], mutated)
    only_invalid_event(PARSERS[source], json.dumps(mutated))
    if source == "pagerduty":
        only_invalid_event(PARSERS["parse_event"], mutated)


def test_absurdly_deep_mappings_are_invalid_events_too() -> None:
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(5000):
        node["a"] = {}
        node = node["a"]
    for name, parser in PARSERS.items():
        with pytest.raises(InvalidEvent):
            parser({"message": "m", "payload": deep, "alerts": [deep], "AlarmName": deep})
        assert name


def test_self_referencing_mappings_are_invalid_events() -> None:
    loop: dict[str, Any] = {"message": "m"}
    loop["details"] = loop
    for parser in PARSERS.values():
        with pytest.raises(InvalidEvent):
            parser(loop)
