from __future__ import annotations

import copy
import hashlib
import json
import pickle
from typing import TYPE_CHECKING

from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.events import Event, content_key, fingerprint, parse_event, to_events_v2
from tocsin.testing import events, json_values, label_sets

if TYPE_CHECKING:
    import random


def reference_fingerprint(labels: dict[str, str]) -> str:
    """FNV-1a 64 as reference/escalation.md 2.2 spells it, written the slow, plain way."""
    value = 14695981039346656037
    for name in sorted(labels):
        for byte in name.encode() + b"\xff" + labels[name].encode() + b"\xff":
            value ^= byte
            value = (value * 1099511628211) % 2**64
    return format(value, "016x")


@settings(max_examples=100)
@given(events())
def test_to_events_v2_then_parse_event_is_the_identity(event: Event) -> None:
    body = to_events_v2(event)
    assert parse_event(body) == event
    assert parse_event(json.dumps(body).encode()) == event


@settings(max_examples=50)
@given(events())
def test_events_v2_bodies_are_plain_json(event: Event) -> None:
    body = to_events_v2(event)
    assert json.loads(json.dumps(body)) == body


@given(label_sets())
def test_fingerprint_is_alertmanagers(labels: dict[str, str]) -> None:
    assert fingerprint(labels) == reference_fingerprint(labels)


@given(label_sets(), st.randoms())
def test_fingerprint_ignores_label_order(labels: dict[str, str], rng: random.Random) -> None:
    items = list(labels.items())
    rng.shuffle(items)
    assert fingerprint(dict(items)) == fingerprint(labels)


@given(label_sets(min_size=1), st.data())
def test_fingerprint_changes_with_any_name_or_value(
    labels: dict[str, str], data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(sorted(labels)))
    changed_value = {**labels, name: labels[name] + data.draw(st.text(min_size=1))}
    assert fingerprint(changed_value) != fingerprint(labels)
    renamed = {k: v for k, v in labels.items() if k != name}
    new_name = name + data.draw(st.text(alphabet="abc_", min_size=1))
    if new_name not in renamed:
        renamed[new_name] = labels[name]
        assert fingerprint(renamed) != fingerprint(labels)
    dropped = {k: v for k, v in labels.items() if k != name}
    assert fingerprint(dropped) != fingerprint(labels)


@given(label_sets(), st.randoms())
def test_content_key_ignores_order(labels: dict[str, str], rng: random.Random) -> None:
    items = list(labels.items())
    rng.shuffle(items)
    assert content_key(dict(items)) == content_key(labels)


@given(label_sets())
def test_content_key_of_strings_is_the_documented_encoding(labels: dict[str, str]) -> None:
    names = sorted(labels)
    if not labels:
        expected = hashlib.sha256(b"").hexdigest()
    elif any("\x00" in text for text in [*names, *labels.values()]):
        canonical = json.dumps(labels, sort_keys=True, separators=(",", ":"))
        expected = hashlib.sha256(b"\xff" + canonical.encode()).hexdigest()
    else:
        text = "\x00".join(names) + "\x00\x00" + "\x00".join(labels[n] for n in names)
        expected = hashlib.sha256(text.encode()).hexdigest()
    assert content_key(labels) == expected


@settings(max_examples=80)
@given(st.dictionaries(st.text(max_size=8), json_values(), max_size=5))
def test_content_key_of_any_json_is_stable_and_order_free(fields: dict[str, object]) -> None:
    key = content_key(fields)
    assert len(key) == 64
    assert content_key(dict(reversed(list(fields.items())))) == key
    assert content_key(json.loads(json.dumps(fields))) == key


@settings(max_examples=80)
@given(
    st.dictionaries(st.text(max_size=8), json_values(), max_size=4),
    st.dictionaries(st.text(max_size=8), json_values(), max_size=4),
)
def test_content_key_differs_for_different_fields(
    a: dict[str, object], b: dict[str, object]
) -> None:
    same_json = json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert (content_key(a) == content_key(b)) == same_json


@settings(max_examples=60)
@given(events())
def test_events_survive_pickling_and_deep_copies(event: Event) -> None:
    for clone in (pickle.loads(pickle.dumps(event)), copy.deepcopy(event)):  # noqa: S301
        assert clone == event
        assert clone.dedup_key_generated == event.dedup_key_generated
        assert to_events_v2(clone) == to_events_v2(event)
