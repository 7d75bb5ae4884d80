from __future__ import annotations

import attrs
import pytest

from tocsin.errors import InvalidEvent
from tocsin.events import Action, Event, Severity


def trigger(**changes: object) -> Event:
    fields: dict[str, object] = {
        "action": Action.TRIGGER,
        "dedup_key": "k",
        "summary": "s",
        "source": "db1",
        "severity": Severity.ERROR,
    }
    fields.update(changes)
    return Event(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("routing_key", "routing_key"),
        ("summary", "payload.summary"),
        ("source", "payload.source"),
        ("component", "payload.component"),
        ("group", "payload.group"),
        ("class_", "payload.class"),
        ("client", "client"),
        ("client_url", "client_url"),
    ],
)
def test_every_text_field_is_checked_and_named(name: str, field: str) -> None:
    for wrong in (5, b"bytes", ["x"]):
        with pytest.raises(InvalidEvent) as info:
            trigger(**{name: wrong})
        assert info.value.field == field
    assert getattr(trigger(**{name: "ok"}), name) == "ok"


def test_the_first_bad_field_is_the_one_reported() -> None:
    with pytest.raises(InvalidEvent) as info:
        trigger(dedup_key="", summary=5, client=5)
    assert info.value.field == "dedup_key"
    with pytest.raises(InvalidEvent) as info:
        trigger(summary="x" * 1025, client=5)
    assert info.value.field == "payload.summary"


def test_generated_flag_is_a_bool_and_not_part_of_equality() -> None:
    with pytest.raises(InvalidEvent) as info:
        trigger(dedup_key_generated="yes")
    assert info.value.field == "dedup_key_generated"
    assert trigger(dedup_key_generated=True) == trigger()
    assert hash(trigger(dedup_key_generated=True)) == hash(trigger())


def test_evolve_validates_again() -> None:
    with pytest.raises(InvalidEvent) as info:
        attrs.evolve(trigger(), source=None)
    assert info.value.field == "payload.source"
