"""What every source parser shares: typed reads with field paths, limits, severities."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime  # noqa: TC003 - a return annotation only
from types import MappingProxyType
from typing import TypeAlias

from tocsin.errors import InvalidEvent
from tocsin.events import (
    MAX_DEDUP_KEY,
    MAX_SUMMARY,
    Link,
    Severity,
    content_key,
)
from tocsin.events._model import Prefrozen, shown
from tocsin.events._wire import describe, join, parse_timestamp

#: A severity table: the sender's value (compared lower-cased and stripped) to a
#: tocsin :class:`~tocsin.events.Severity`.
SeverityTable: TypeAlias = Mapping[str, Severity]

JSONObject: TypeAlias = Mapping[str, object]

_EMPTY: Mapping[str, str] = MappingProxyType({})


class Reader:
    """Typed reads from one JSON object, each error naming ``path.key``.

    The path is worked out only when an error needs it: building a string for every
    field read would cost more than the reads.
    """

    __slots__ = ("_key", "_parent", "_path", "obj")

    def __init__(
        self,
        obj: JSONObject,
        path: str | None = None,
        parent: Reader | None = None,
        key: str | int = "",
    ) -> None:
        self.obj = obj
        self._path = path
        self._parent = parent
        self._key = key

    @property
    def path(self) -> str:
        """This object's path in the payload (``alerts[0].labels``)."""
        if self._path is None:
            parent = self._parent.path if self._parent is not None else ""
            self._path = join(parent, self._key)
        return self._path

    def at(self, key: str | int) -> str:
        """The path of ``key`` inside this object."""
        return join(self.path, key)

    def text(self, key: str, *, required: bool = False) -> str | None:
        """A string field; ``None`` when absent or null (unless ``required``)."""
        value = self.obj.get(key)
        if type(value) is str:
            return value
        if value is None:
            if required:
                raise InvalidEvent(self.at(key), "required: a string")
            return None
        if not isinstance(value, str):
            msg = f"expected a string, got {describe(value)}"
            raise InvalidEvent(self.at(key), msg)
        return value

    def time(self, key: str) -> datetime | None:
        """An ISO 8601 timestamp field with an offset; ``None`` when absent, null or empty."""
        value = self.obj.get(key)
        if value is None or value == "":
            return None
        return parse_timestamp(value, lambda: self.at(key))

    def required_text(self, key: str) -> str:
        """A string field that must be present and non-empty."""
        value = self.text(key, required=True)
        if not value:
            raise InvalidEvent(self.at(key), "required: a non-empty string")
        return value

    def obj_or_none(self, key: str) -> Reader | None:
        """A nested object as a :class:`Reader`, or ``None`` when absent or null."""
        value = self.obj.get(key)
        # Bodies come frozen from load_object: an object is always a MappingProxyType.
        if type(value) is MappingProxyType or (value is not None and isinstance(value, Mapping)):
            return Reader(value, None, self, key)
        if value is None:
            return None
        msg = f"expected an object, got {describe(value)}"
        raise InvalidEvent(self.at(key), msg)

    def objects(self, key: str, *, required: bool = False) -> list[Reader]:
        """An array of objects, each as a :class:`Reader`."""
        value = self.obj.get(key)
        if value is None:
            if required:
                raise InvalidEvent(self.at(key), "required: an array of objects")
            return []
        if not isinstance(value, list | tuple):
            msg = f"expected an array, got {describe(value)}"
            raise InvalidEvent(self.at(key), msg)
        array = Reader(_EMPTY, None, self, key)
        readers = []
        for i, item in enumerate(value):
            if type(item) is not MappingProxyType and not isinstance(item, Mapping):
                msg = f"expected an object, got {describe(item)}"
                raise InvalidEvent(array.at(i), msg)
            readers.append(Reader(item, None, array, i))
        return readers

    def string_map(self, key: str) -> Mapping[str, str]:
        """An object whose values are all strings (labels, annotations); ``{}`` if absent."""
        value = self.obj.get(key)
        if value is None:
            return _EMPTY
        if type(value) is MappingProxyType:
            for name, item in value.items():
                if type(item) is not str or type(name) is not str:
                    break
            else:
                return value
        reader = self.obj_or_none(key)
        if reader is None:  # pragma: no cover - checked above
            return _EMPTY
        names: Mapping[object, object] = reader.obj  # type: ignore[assignment]  # check keys too
        for name, item in names.items():
            if not isinstance(name, str):
                msg = f"names must be strings, got {shown(name)}"
                raise InvalidEvent(reader.path, msg)
            if not isinstance(item, str):
                msg = f"expected a string, got {describe(item)}"
                raise InvalidEvent(reader.at(name), msg)
        return reader.obj  # type: ignore[return-value]  # every value is a string


def frozen(fields: Mapping[str, object]) -> Prefrozen:
    """``custom_details`` built from parts of a body that :func:`load_object` froze.

    Every value must come from the frozen body (or be a string or a mapping built
    the same way); the mapping itself is wrapped read-only here.
    """
    return Prefrozen(MappingProxyType(dict(fields)))  # type: ignore[arg-type]


def free_key(name: str, sent: Mapping[str, object]) -> str:
    """``name``, or ``name`` with ``_`` prepended as often as it takes to be new to ``sent``.

    Where tocsin adds to what the sender said (an alert group's fields beside the
    alert, the SNS envelope beside the alarm), the addition must not overwrite a
    field the sender chose to call by the same name: nothing the sender said is lost,
    and the rule says where the addition went.

    >>> free_key("sns", {"AlarmName": "disk"}), free_key("sns", {"sns": 1, "_sns": 2})
    ('sns', '__sns')
    """
    while name in sent:
        name = "_" + name
    return name


def with_additions(
    sent: Mapping[str, object], additions: Mapping[str, object]
) -> dict[str, object]:
    """``sent`` with each of ``additions`` under its :func:`free_key`, in order."""
    details = dict(sent)
    for name, value in additions.items():
        details[free_key(name, details)] = value
    return details


def text_of(value: str | int, field: str) -> str:
    """``str(value)`` for an id that may be a number, refusing absurdly long integers."""
    try:
        return str(value)
    except ValueError as err:  # more digits than Python 3.11+ will print
        msg = "expected an id, got a number too long to print"
        raise InvalidEvent(field, msg) from err


def first_text(*candidates: object) -> str | None:
    """The first candidate that is a non-empty string."""
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            return candidate
    return None


def fit_summary(text: str) -> str:
    """``text`` cut to PagerDuty's 1024 characters, ending in an ellipsis if cut.

    As Alertmanager's PagerDuty notifier does (``TruncateInRunes``): the full text
    stays in ``custom_details`` where it came from, so nothing is lost.
    """
    if len(text) <= MAX_SUMMARY:
        return text
    return text[: MAX_SUMMARY - 1] + "\u2026"


def fit_key(key: str) -> str:
    """``key`` if it fits Events v2's 255 characters, else its :func:`content_key`.

    A stable stand-in keeps dedup working for keys the source allows but PagerDuty
    does not (an Opsgenie alias may be 512 characters); the original stays in
    ``custom_details``.
    """
    if len(key) <= MAX_DEDUP_KEY:
        return key
    return content_key({"dedup_key": key})


def link(href: object, text: str) -> Link | None:
    """A :class:`Link` when ``href`` is a non-empty string (senders send ``""``)."""
    if isinstance(href, str) and href.strip():
        return Link(href, text)
    return None


def severity_table(
    table: Mapping[str, Severity] | None, default: SeverityTable, *, closed: bool = False
) -> SeverityTable:
    """Validate a caller's severity table (keys lower-cased); ``None`` means ``default``.

    For a source whose values are a fixed set (``closed``: CloudWatch's states,
    PagerDuty's severities, Opsgenie's priorities) the keys must be among
    ``default``'s, and the values a table leaves out keep their default.  Otherwise
    the table replaces ``default``.  Two keys that are the same value once
    lower-cased and stripped (``P1``, ``p1``) must agree.
    """
    raw: object = table
    if raw is None:
        return default
    if not isinstance(raw, Mapping):
        msg = f"expected a mapping of the source's values to severities, got {describe(table)}"
        raise InvalidEvent("severities", msg)
    checked: dict[str, Severity] = {}
    spelled: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(key, str):
            msg = f"keys must be strings, got {shown(key)}"
            raise InvalidEvent("severities", msg)
        field = f"severities[{shown(key)}]"
        try:
            severity = Severity(value)
        except (ValueError, TypeError):
            allowed = ", ".join(s.value for s in Severity)
            msg = f"expected one of {allowed}; got {shown(value)}"
            raise InvalidEvent(field, msg) from None
        name = key.strip().lower()
        if closed and name not in default:
            msg = f"not a value this source sends; expected one of {', '.join(default)}"
            raise InvalidEvent(field, msg)
        if checked.get(name, severity) is not severity:
            msg = f"the same value as {shown(spelled[name])}, with another severity"
            raise InvalidEvent(field, msg)
        checked[name] = severity
        spelled[name] = key
    return {**default, **checked} if closed else checked


def check_label_name(value: object, field: str) -> str:
    """A caller's label-name argument (``severity_label``): a non-empty string."""
    if type(value) is not str or not value:
        msg = f"expected a label name (a non-empty string), got {shown(value)}"
        raise InvalidEvent(field, msg)
    return value


def severity_of(value: object, table: SeverityTable) -> Severity | None:
    """Look ``value`` up in ``table`` (lower-cased, stripped); ``None`` if absent."""
    if not isinstance(value, str):
        return None
    return table.get(value.strip().lower())


def check_severity(value: object, field: str) -> Severity:
    """A caller's ``default_severity`` argument as a :class:`Severity`."""
    if type(value) is Severity:
        return value
    try:
        return Severity(value)  # type: ignore[arg-type]  # a caller's argument, checked
    except ValueError:
        allowed = ", ".join(s.value for s in Severity)
        msg = f"expected one of {allowed}; got {shown(value)}"
        raise InvalidEvent(field, msg) from None
