from __future__ import annotations

import pytest

from tocsin.errors import InvalidInput
from tocsin.events import Event
from tocsin.routing import Matcher, MatchOp, field_value, matches_all, parse_matchers


def event(**labels: str) -> Event:
    return Event(
        action="trigger",
        dedup_key="k1",
        summary="Disk full on db1",
        source="db1",
        severity="critical",
        component="postgres",
        class_="disk",
        custom_details={"labels": labels, "region": "eu", "nested": {"n": 3, "ok": True}},
    )


@pytest.mark.parametrize(
    ("op", "value", "actual", "expected"),
    [
        ("=", "db", "db", True),
        ("=", "db", "db2", False),
        ("!=", "db", "db2", True),
        ("!=", "db", "db", False),
        ("=~", "db|web", "web", True),
        ("=~", "db", "db2", False),  # fully anchored: no partial match
        ("=~", "b", "abc", False),
        ("=~", ".*", "", True),
        ("!~", "db.*", "web", True),
        ("!~", "db.*", "db1", False),
        ("=~", "(?i)DB", "db", True),
    ],
)
def test_operators_and_anchoring(op: str, value: str, actual: str, expected: bool) -> None:
    assert Matcher("team", op, value).matches({"team": actual}) is expected


def test_anchoring_rejects_a_trailing_newline_as_go_does() -> None:
    # Python's "^(?:x)$" would accept "x\n"; Go's (and Alertmanager's) does not.
    assert not Matcher("team", "=~", "db").matches({"team": "db\n"})


@pytest.mark.parametrize(
    ("matcher", "expected"),
    [
        (Matcher("team", "=", ""), True),
        (Matcher("team", "!=", ""), False),
        (Matcher("team", "=~", ".*"), True),
        (Matcher("team", "=~", ".+"), False),
        (Matcher("team", "!~", ".+"), True),
    ],
)
def test_a_missing_label_reads_as_empty(matcher: Matcher, expected: bool) -> None:
    assert matcher.matches({}) is expected


def test_event_fields_and_custom_details() -> None:
    alert = event(team="db")
    assert Matcher("event.severity", "=", "critical").matches(alert)
    assert Matcher("event.class", "=", "disk").matches(alert)
    assert Matcher("event.source", "=~", "db[0-9]").matches(alert)
    assert Matcher("event.action", "=", "trigger").matches(alert)
    assert Matcher("event.custom_details.region", "=", "eu").matches(alert)
    assert Matcher("event.custom_details.nested.n", "=", "3").matches(alert)
    assert Matcher("event.custom_details.nested.ok", "=", "true").matches(alert)
    assert Matcher("event.group", "=", "").matches(alert)  # unset field reads empty
    assert Matcher("event.custom_details.nope.x", "=", "").matches(alert)
    # A label set has no event fields: they all read as empty.
    assert Matcher("event.severity", "=", "").matches({"severity": "critical"})


def test_field_value_distinguishes_missing() -> None:
    alert = event(team="db")
    assert field_value(alert, "team") == "db"
    assert field_value(alert, "zone") is None
    assert field_value(alert, "event.group") is None
    assert field_value(alert, "event.custom_details.nested") == '{"n":3,"ok":true}'
    assert field_value({"team": "db"}, "event.source") is None


def test_matches_all_is_a_conjunction() -> None:
    assert matches_all([], {})
    both = parse_matchers('team="db", severity!="info"')
    assert matches_all(both, {"team": "db", "severity": "critical"})
    assert not matches_all(both, {"team": "db", "severity": "info"})


def test_parse_quoted_bare_braces_and_escapes() -> None:
    parsed = parse_matchers('{alertname="Disk, full", job=node, msg=~"say \\"hi\\"\\n", x!~""}')
    assert parsed == (
        Matcher("alertname", "=", "Disk, full"),
        Matcher("job", "=", "node"),
        Matcher("msg", "=~", 'say "hi"\n'),
        Matcher("x", "!~", ""),
    )
    assert parse_matchers("{}") == ()
    assert parse_matchers('a="b",') == (Matcher("a", "=", "b"),)
    assert Matcher.parse('event.severity="critical"').name == "event.severity"
    assert [m.op for m in parse_matchers("a=b, c!=d, e=~f, g!~h")] == list(MatchOp)


def test_control_and_unprintable_characters_print_as_go_quotes_and_parse_back() -> None:
    # str() wrote \x07 and \ue0001 (not a valid escape at all), and parse() knew
    # only \n, \t, \r, \" and \\, so these matchers could not be read back.
    cases = {
        "bell\x07": 'x="bell\\a"',
        "nul\x00": 'x="nul\\x00"',
        "del\x7f": 'x="del\\x7f"',
        "nbsp\u00a0": 'x="nbsp\\u00a0"',
        "tag\U000e0001": 'x="tag\\U000e0001"',
        "\b\f\v": 'x="\\b\\f\\v"',
    }
    for value, text in cases.items():
        matcher = Matcher("x", "=", value)
        assert str(matcher) == text
        assert Matcher.parse(text) == matcher
    assert Matcher.parse('x="\\u00e9\\x41"').value == "\u00e9A"
    for bad in ('x="\\xZZ"', 'x="\\x+1"', 'x="\\u0_1a"', 'x="\\U00110000"', 'x="\\u12"'):
        with pytest.raises(InvalidInput) as error:
            Matcher.parse(bad)
        assert error.value.field == "matcher.value"


def test_rendering_round_trips() -> None:
    for text in ['team="db"', 'team!~"a|b"', 'msg="say \\"hi\\"\\n"', 'x="ü"']:
        assert str(Matcher.parse(text)) == text


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('team~"db"', "matchers[0]"),
        ('a="b", team', "matchers[1]"),
        ('{a="b"', "matchers"),
        ('a="b', "matchers"),
        ('a=~"("', "matchers[0].value"),
        ('a="x\\q"', "matchers[0].value"),
        ('event.nope="x"', "matchers[0].name"),
    ],
)
def test_parse_errors_name_the_position(text: str, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_matchers(text)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("", "=", "x"), "name"),
        (("a", "==", "x"), "op"),
        (("a", "=", 3), "value"),
        (("a", "=~", "[unclosed"), "value"),
        (("event.custom_details..x", "=", "x"), "name"),
    ],
)
def test_bad_matchers_name_the_field(args: tuple[object, ...], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        Matcher(*args)
    assert info.value.field == field
