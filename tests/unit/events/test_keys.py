from __future__ import annotations

import hashlib

import pytest

from tocsin.errors import InvalidEvent
from tocsin.events import content_key, fingerprint


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# reference/escalation.md section 2.2: the empty set is the FNV offset basis; the other
# three are asserted in Alertmanager's own tests (template_test.go, api_test.go).
@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ({}, "cbf29ce484222325"),
        ({"job": "foo", "severity": "warning"}, "9266ef3da838ad95"),
        ({"job": "foo", "severity": "critical"}, "3b15fd163d36582e"),
        ({"alertname": "alert1", "severity": "critical"}, "0223b772b51c29e1"),
    ],
)
def test_fingerprint_reproduces_alertmanager_vectors(labels: dict[str, str], expected: str) -> None:
    assert fingerprint(labels) == expected


def test_fingerprint_matches_the_fingerprints_alertmanager_sent_in_fixtures() -> None:
    # grafana/oncall's example payload carries Alertmanager's own fingerprints.
    assert (
        fingerprint(
            {
                "job": "node",
                "group": "production",
                "instance": "localhost:8081",
                "severity": "critical",
                "alertname": "InstanceDown",
            }
        )
        == "f404ecabc8dd5cd7"
    )
    # prometheus/alertmanager notify/exec/testdata/success.json
    assert fingerprint({"Message": "message"}) == "4ea129fd903f0e45"


def test_fingerprint_is_zero_padded_to_16_digits() -> None:
    values = {fingerprint({"a": str(i)}) for i in range(3000)}
    assert all(len(v) == 16 for v in values)
    assert any(v.startswith("0") for v in values)


def test_fingerprint_sorts_names_by_code_point_not_by_insertion() -> None:
    # "Z" (0x5a) sorts before "a" (0x61): Go compares bytes, Python code points.
    assert fingerprint({"a": "1", "Z": "2"}) == fingerprint({"Z": "2", "a": "1"})


def test_fingerprint_separates_names_from_values() -> None:
    # Without the 0xFF separator these two would hash the same bytes.
    assert fingerprint({"ab": "c"}) != fingerprint({"a": "bc"})


@pytest.mark.parametrize(
    ("labels", "field"),
    [
        ({"severity": 3}, "severity"),
        ({"a": None}, "a"),
        ({1: "x"}, "$"),
        (["a"], "$"),
    ],
)
def test_fingerprint_rejects_non_string_labels(labels: object, field: str) -> None:
    with pytest.raises(InvalidEvent) as info:
        fingerprint(labels)  # type: ignore[arg-type]
    assert info.value.field == field


def test_fingerprint_survives_lone_surrogates_from_json_escapes() -> None:
    assert len(fingerprint({"a": "\ud800"})) == 16


def test_content_key_encodes_all_string_fields_names_then_values() -> None:
    # Documented encoding: sorted names joined by NUL, two NULs, the values likewise.
    expected = sha256(b"check\x00host\x00\x00disk\x00db1")
    assert content_key({"host": "db1", "check": "disk"}) == expected
    # No fields is no bytes, so {} and {"": ""} ("\x00\x00") differ.
    assert content_key({}) == sha256(b"")
    assert content_key({"": ""}) == sha256(b"\x00\x00")


def test_content_key_uses_canonical_json_for_anything_else() -> None:
    assert content_key({"n": 1, "s": "x"}) == sha256(b'\xff{"n":1,"s":"x"}')
    assert content_key({"b": [True, None], "a": {"z": 1.5, "y": "\u00e9"}}) == sha256(
        b'\xff{"a":{"y":"\\u00e9","z":1.5},"b":[true,null]}'
    )
    # A string holding NUL cannot use the NUL-separated form.
    assert content_key({"a": "x\x00y"}) == sha256(b'\xff{"a":"x\\u0000y"}')


def test_content_key_tells_types_and_boundaries_apart() -> None:
    keys = {
        content_key({"a": "1"}),
        content_key({"a": 1}),
        content_key({"a": 1.0}),
        content_key({"a": True}),
        content_key({"a": None}),
        content_key({"a": "bc"}),
        content_key({"ab": "c"}),
        content_key({"a": "b", "c": ""}),
        content_key({"a": "b\x00c\x00"}),
        content_key({}),
        content_key({"": ""}),
        content_key({"": "a"}),
        content_key({"a": ""}),
    }
    assert len(keys) == 13


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"a": float("nan")}, "a"),
        ({"a": [1, {"b": object()}]}, "a[1].b"),
        ({1: "x"}, "$"),
        ("a=b", "$"),
    ],
)
def test_content_key_rejects_what_json_cannot_carry(fields: object, field: str) -> None:
    with pytest.raises(InvalidEvent) as info:
        content_key(fields)  # type: ignore[arg-type]
    assert info.value.field == field
