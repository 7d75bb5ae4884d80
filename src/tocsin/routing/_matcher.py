"""Label matchers: ``=``, ``!=``, ``=~`` and ``!~``, with Alertmanager's semantics.

* A missing value reads as the empty string, so ``team=""`` matches an alert without
  a ``team`` label and ``team!=""`` requires one (Alertmanager).
* Regular expressions are fully anchored: ``=~"crit"`` does not match
  ``"critical"``.  Alertmanager wraps the pattern as ``^(?:...)$``; tocsin uses
  ``re.fullmatch``, which is the same except that Python's ``$`` would also accept a
  trailing newline, and Go's does not, so ``fullmatch`` is the faithful choice.
* Patterns use Python's ``re`` syntax, not Go's RE2: the common subset (classes,
  alternation, repetition, ``(?i)``) behaves the same; backreferences and
  look-arounds, which RE2 rejects, are accepted here.
"""

from __future__ import annotations

import enum
import re
import string
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import attrs

from tocsin._checks import enum_member, text, typed_tuple
from tocsin._rebuild import by_constructor
from tocsin.errors import InvalidInput
from tocsin.events import Event
from tocsin.routing._fields import Getter, Target, check_field_path, compile_getter, label_set

__all__ = [
    "MatchOp",
    "Matcher",
    "parse_matchers",
    "matches_all",
    "labels_of",
]


class MatchOp(enum.StrEnum):
    """The four matcher operators, spelled as Alertmanager spells them."""

    EQUAL = "="
    NOT_EQUAL = "!="
    REGEX = "=~"
    NOT_REGEX = "!~"


def _op(value: object) -> MatchOp:
    return enum_member(MatchOp, value, "op")


def _name(value: object) -> str:
    return check_field_path(value, "name")


def _value(value: object) -> str:
    return text(value, "value")


def labels_of(target: Target, field: str = "target") -> tuple[Mapping[str, str], Event | None]:
    """Split a target into its labels and, if it is an event, the event itself.

    A label set must map strings to strings; anything else is refused, naming
    ``field``, instead of failing later inside a matcher.
    """
    if isinstance(target, Event):
        return target.labels, target  # computed once per event and kept by the event
    return label_set(target, field), None


#: Go's one-letter escapes (strconv.Quote writes these; Unquote reads them).
_GO_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v"}
_ASCII = 0x80
_BMP = 0x10000


def _go_quote(value: str) -> str:
    # Go's strconv.Quote, which Alertmanager uses to print matchers: quotes and
    # backslashes escaped, Go's one-letter escapes, \xHH for other ASCII controls,
    # \uHHHH and \UHHHHHHHH for other unprintable characters; printable ones kept.
    out = ['"']
    for char in value:
        if char in {'"', "\\"}:
            out.append("\\" + char)
        elif char in _GO_ESCAPES:
            out.append("\\" + _GO_ESCAPES[char])
        elif not char.isprintable():
            code = ord(char)
            if code < _ASCII:
                out.append(f"\\x{code:02x}")
            elif code < _BMP:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


@attrs.frozen
class Matcher:
    """One condition on a label or event field: ``name op value``.

    ``name`` is a field path (a label name, ``event.severity``,
    ``event.custom_details.region``; see :mod:`tocsin.routing`).  A missing value reads
    as ``""``.  Regexes are fully anchored.

    >>> m = Matcher("severity", "=~", "critical|error")
    >>> m.matches({"severity": "critical"}), m.matches({"severity": "critical!"})
    (True, False)
    >>> Matcher("team", "=", "").matches({})
    True
    >>> str(Matcher.parse('service!~"db-.*"'))
    'service!~"db-.*"'
    """

    name: str = attrs.field(converter=_name)
    op: MatchOp = attrs.field(converter=_op)
    value: str = attrs.field(converter=_value)
    _regex: re.Pattern[str] | None = attrs.field(init=False, eq=False, repr=False)
    _label: str | None = attrs.field(init=False, eq=False, repr=False)
    _getter: Getter | None = attrs.field(init=False, eq=False, repr=False)
    _check: Callable[[str], bool] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        regex = None
        check: Callable[[str], bool]
        if self.op is MatchOp.EQUAL:
            check = self.value.__eq__
        elif self.op is MatchOp.NOT_EQUAL:
            check = self.value.__ne__
        else:
            try:
                regex = re.compile(self.value)
            except re.error as err:
                msg = f"invalid regular expression {self.value!r}: {err}"
                raise InvalidInput("value", msg) from err
            check = _regex_check(regex, negate=self.op is MatchOp.NOT_REGEX)
        getter = compile_getter(self.name)
        object.__setattr__(self, "_regex", regex)
        object.__setattr__(self, "_getter", getter)
        object.__setattr__(self, "_label", self.name if getter is None else None)
        object.__setattr__(self, "_check", check)

    def __reduce__(self) -> tuple[object, ...]:
        # The compiled check is a closure, which does not pickle: travel as name, op
        # and value, compiled (and checked) again on arrival.
        return by_constructor(self)

    @property
    def pattern(self) -> re.Pattern[str] | None:
        """The compiled regular expression of a ``=~`` or ``!~`` matcher."""
        return self._regex

    @property
    def label(self) -> str | None:
        """The label name this matcher reads, or ``None`` for an ``event.`` path."""
        return self._label

    @classmethod
    def parse(cls, text: str) -> Matcher:
        """Parse one matcher in Alertmanager's syntax: ``name="value"`` or ``name=value``."""
        raw: object = text
        if not isinstance(raw, str):
            msg = f"expected a string, got {type(raw).__name__}"
            raise InvalidInput("matcher", msg)
        try:
            return _parse_one(raw)
        except InvalidInput as err:
            raise err.within("matcher") from err

    def matches(self, target: Target) -> bool:
        """Whether the event or label set satisfies this matcher."""
        labels, event = labels_of(target)
        return self.test(labels, event)

    def test(self, labels: Mapping[str, str], event: Event | None) -> bool:
        """The fast path: match against labels already read out of the event.

        ``labels`` and ``event`` are what :func:`labels_of` returns; they are not
        checked again here (routing calls this for every route it tries).
        """
        if self._label is not None:
            return self._check(labels.get(self._label, ""))
        return self._check(self.read(labels, event))

    def read(self, labels: Mapping[str, str], event: Event | None) -> str:
        """The value this matcher looks at (``""`` when missing)."""
        if self._label is not None:
            return labels.get(self._label, "")
        if event is None or self._getter is None:
            return ""
        value = self._getter(event)
        return "" if value is None else value

    def matches_value(self, value: str) -> bool:
        """Whether ``value`` (``""`` for missing) satisfies this matcher."""
        return self._check(text(value, "value"))

    def __str__(self) -> str:
        return f"{self.name}{self.op}{_go_quote(self.value)}"


def _regex_check(regex: re.Pattern[str], *, negate: bool) -> Callable[[str], bool]:
    fullmatch = regex.fullmatch
    if negate:
        return lambda value: fullmatch(value) is None
    return lambda value: fullmatch(value) is not None


def matches_all(matchers: Iterable[Matcher], target: Target) -> bool:
    """Whether ``target`` satisfies every matcher (true for no matchers)."""
    labels, event = labels_of(target)
    try:
        return all(m.test(labels, event) for m in matchers)
    except (AttributeError, TypeError):
        # Checked only on failure: a wrong item or a non-list is reported by name.
        typed_tuple(matchers, Matcher, "matchers")
        raise


_OPS = ("=~", "!~", "!=", "=")
_ESCAPES = {letter: char for char, letter in _GO_ESCAPES.items()} | {'"': '"', "\\": "\\"}
#: Hex escapes and their digit counts, as Go's strconv.Unquote reads them.
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_HEX_DIGITS = frozenset(string.hexdigits)


def _split(text: str) -> list[str]:
    # Split on commas that are not inside a double-quoted value.
    parts: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    if quoted:
        msg = f"unterminated quoted value in {text!r}"
        raise InvalidInput("", msg)
    parts.append("".join(current))
    return parts


def _unquote(raw: str, where: str) -> str:
    if not (len(raw) >= 2 and raw[0] == raw[-1] == '"'):  # noqa: PLR2004
        if '"' in raw:
            msg = f"stray quote in value {raw!r}"
            raise InvalidInput(where, msg)
        return raw
    out: list[str] = []
    chars = iter(raw[1:-1])
    for char in chars:
        if char == "\\":
            nxt = next(chars, "")
            if nxt in _HEX_ESCAPES:
                out.append(_hex_escape(nxt, chars, raw, where))
                continue
            if nxt not in _ESCAPES:
                msg = f"unknown escape \\{nxt} in {raw!r}"
                raise InvalidInput(where, msg)
            out.append(_ESCAPES[nxt])
        elif char == '"':
            msg = f"unescaped quote inside {raw!r}"
            raise InvalidInput(where, msg)
        else:
            out.append(char)
    return "".join(out)


def _hex_escape(kind: str, chars: Iterator[str], raw: str, where: str) -> str:
    digits = "".join(next(chars, "") for _ in range(_HEX_ESCAPES[kind]))
    # Only hex digits: int() would also take a sign or an underscore.
    if len(digits) == _HEX_ESCAPES[kind] and all(d in _HEX_DIGITS for d in digits):
        code = int(digits, 16)
        if code <= sys.maxunicode:
            return chr(code)
    msg = f"malformed escape \\{kind}{digits} in {raw!r}"
    raise InvalidInput(where, msg)


def _parse_one(text: str) -> Matcher:
    item = text.strip()
    cut = min(
        ((item.find(op), op) for op in _OPS if item.find(op) > 0),
        default=None,
        key=lambda pair: (pair[0], -len(pair[1])),
    )
    if cut is None:
        msg = f"expected name, operator (=, !=, =~, !~) and value, got {item!r}"
        raise InvalidInput("", msg)
    index, op = cut
    return Matcher(item[:index].strip(), op, _unquote(item[index + len(op) :].strip(), "value"))


def _parse_list(text: object) -> tuple[Matcher, ...]:
    # Errors name the position as "[i]"; callers prefix their own field.
    if not isinstance(text, str):
        msg = f"expected a string, got {type(text).__name__}"
        raise InvalidInput("", msg)
    body = text.strip()
    if body.startswith("{"):
        if not body.endswith("}"):
            msg = f"missing closing brace in {text!r}"
            raise InvalidInput("", msg)
        body = body[1:-1].strip()
    if not body:
        return ()
    parts = _split(body)
    if not parts[-1].strip():
        parts.pop()  # a trailing comma is allowed, as in Alertmanager
    found: list[Matcher] = []
    for i, part in enumerate(parts):
        try:
            found.append(_parse_one(part))
        except InvalidInput as err:
            msg_0 = f"[{i}]"
            raise err.within(msg_0) from err
    return tuple(found)


def parse_matchers(text: str) -> tuple[Matcher, ...]:
    r"""Parse a matcher list: ``{a="x", b=~"y|z"}``, with or without braces.

    Values may be double-quoted (with ``\"``, ``\\``, ``\n`` escapes) or
    bare, as in ``amtool`` and Alertmanager's configuration.  Errors name the position
    (``matchers[1].value``).

    >>> [str(m) for m in parse_matchers('{alertname="Disk full", severity=~"crit.*"}')]
    ['alertname="Disk full"', 'severity=~"crit.*"']
    """
    try:
        return _parse_list(text)
    except InvalidInput as err:
        raise err.within("matchers") from err


def as_matchers(value: object, field: str) -> tuple[Matcher, ...]:
    """Accept ``Matcher`` values, strings, or one matcher-list string; errors name ``field``."""
    if isinstance(value, str):
        try:
            return _parse_list(value)
        except InvalidInput as err:
            raise err.within(field) from err
    if isinstance(value, Matcher):
        return (value,)
    if not isinstance(value, Sequence | frozenset | set):
        msg = f"expected matchers (Matcher values or strings), got {type(value).__name__}"
        raise InvalidInput(field, msg)
    found: list[Matcher] = []
    for i, item in enumerate(value):
        if isinstance(item, Matcher):
            found.append(item)
        elif isinstance(item, str):
            try:
                found.append(_parse_one(item))
            except InvalidInput as err:
                msg_0 = f"{field}[{i}]"
                raise err.within(msg_0) from err
        else:
            where = f"{field}[{i}]"
            msg = f"expected a Matcher or a string, got {type(item).__name__}"
            raise InvalidInput(where, msg)
    return tuple(found)
