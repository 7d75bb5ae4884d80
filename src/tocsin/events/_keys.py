"""Dedup keys: Alertmanager's label fingerprint and tocsin's content key.

Two different jobs, two different hashes:

* :func:`fingerprint` is byte-for-byte Alertmanager's label fingerprint, so a key
  tocsin computes for a label set is the key Alertmanager puts in its webhooks.
* :func:`content_key` is tocsin's own stable key over chosen fields, for sources that
  have no key of their own (an Opsgenie create without an alias, an old CloudWatch
  alarm without an ARN).  It is SHA-256 over a documented canonical encoding, so it is
  the same on every machine, in every process, in every Python version.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from operator import itemgetter

from tocsin.errors import InvalidEvent
from tocsin.events._model import freeze_json, shown

#: FNV-1a 64-bit offset basis and prime (the fingerprint of an empty label set is the
#: offset basis itself, as in prometheus/common ``model/signature.go``).
FNV_OFFSET_64 = 0xCBF29CE484222325
FNV_PRIME_64 = 0x100000001B3
_MASK_64 = 0xFFFFFFFFFFFFFFFF

# 0xFF never occurs in UTF-8, so it separates names and values unambiguously
# (Alertmanager's ``SeparatorByte``).
_SEP = b"\xff"


def fingerprint(labels: Mapping[str, str]) -> str:
    """Alertmanager's fingerprint of a label set: 16 lower-case hex digits.

    FNV-1a 64 over the label names in byte order, each name and each value followed
    by the byte 0xFF, exactly as prometheus/common's ``labelSetToFingerprint``; this
    is the ``fingerprint`` in Alertmanager's webhooks.  The order of the mapping does
    not matter.  Names and values must be strings.

    >>> fingerprint({"job": "foo", "severity": "warning"})
    '9266ef3da838ad95'
    >>> fingerprint({"severity": "warning", "job": "foo"})
    '9266ef3da838ad95'
    >>> fingerprint({})
    'cbf29ce484222325'
    """
    raw: object = labels
    if type(raw) is not dict and not isinstance(raw, Mapping):
        msg = f"expected a mapping of label names to values, got {type(raw).__name__}"
        raise InvalidEvent("$", msg)
    # Alertmanager re-sends the same label sets with every notification, so the hash
    # is remembered by a key that is cheap to build: the names (sorted) and values,
    # interleaved and joined by NUL.  str.join raises TypeError on anything but
    # strings, and the NUL count proves no name or value holds one, so the key
    # gives the label set back (see _fnv_of_key); anything else takes the careful way.
    try:
        names = sorted(labels)
        count = len(names)
        if count > 1:
            parts = names * 2
            parts[::2] = names
            parts[1::2] = itemgetter(*names)(labels)
        elif count == 1:
            parts = [names[0], labels[names[0]]]
        else:
            return _EMPTY_FINGERPRINT
        key = "\x00".join(parts)
        if key.count("\x00") == 2 * count - 1:
            return _fnv_of_key(key)
    except TypeError:
        pass
    return _fingerprint(raw)


def _fingerprint(labels: Mapping[str, str] | Mapping[object, object]) -> str:
    # Checks each name and value, raising InvalidEvent naming the first that is wrong.
    parts: list[bytes] = []
    for name in sorted(_names(labels)):
        value: object = labels[name]
        if not isinstance(value, str):
            msg = f"a label value must be a string, got {type(value).__name__}"
            raise InvalidEvent(name, msg)
        parts.append(_utf8(name))
        parts.append(_utf8(value))
    if not parts:
        return _EMPTY_FINGERPRINT
    return _fnv1a_64_hex(_SEP.join(parts) + _SEP)


def _utf8(text: str) -> bytes:
    # surrogatepass: a lone surrogate decoded from a JSON "\udXXX" escape must not
    # crash the hash; it still cannot produce the separator byte.
    return text.encode("utf-8", "surrogatepass")


_EMPTY_FINGERPRINT = f"{FNV_OFFSET_64:016x}"


def _names(labels: Mapping[object, object] | Mapping[str, object]) -> list[str]:
    names: list[str] = []
    for name in labels:
        if not isinstance(name, str):
            msg = f"a label name must be a string, got {type(name).__name__} {shown(name)}"
            raise InvalidEvent("$", msg)
        names.append(name)
    return names


# The byte loop costs about 80 ns a byte in CPython; the same label sets come back
# with every repeat notification and every inhibition check, so remember recent ones.
@functools.lru_cache(maxsize=4096)
def _fnv_of_key(key: str) -> str:
    # The key holds no NUL but its separators, and UTF-8 makes a zero byte only of
    # NUL: its bytes with each zero made 0xFF are the parts' bytes, each followed by
    # 0xFF (the last one's added here).
    return _fnv1a_64_hex(_utf8(key).replace(b"\x00", _SEP) + _SEP)


def _fnv1a_64_hex(data: bytes) -> str:
    value = FNV_OFFSET_64
    for byte in data:
        value = ((value ^ byte) * FNV_PRIME_64) & _MASK_64
    return f"{value:016x}"


def content_key(fields: Mapping[str, object]) -> str:
    """A stable 64-hex-digit key over chosen fields (SHA-256 of a canonical encoding).

    Use it to key events from sources with no key of their own: pick the fields that
    identify "the same problem" and pass them by name.  The mapping's order does not
    matter; values may be any JSON value (strings, numbers, booleans, ``None``,
    lists and objects).  Equal inputs give equal keys everywhere; different inputs
    give different keys (up to SHA-256 collisions).

    >>> content_key({"host": "db1", "check": "disk"})
    '610c20be057faacebcd45458ccdfe12d4cdd5b1aa4f066e2249bb0f87ba26ea3'
    >>> content_key({"check": "disk", "host": "db1"}) == content_key(
    ...     {"host": "db1", "check": "disk"}
    ... )
    True

    The canonical encoding (documented so other implementations can reproduce it):
    no fields at all encode as no bytes; when every name and value is a string
    without NUL characters, the names in code-point order joined by NUL, then two
    NULs, then the values in the same order joined by NUL, as UTF-8 (exactly 2n NULs
    for n fields, so the fields can be read back).  Anything else is the byte 0xFF
    followed by the compact, key-sorted, ASCII-escaped JSON of the mapping.  0xFF
    never occurs in UTF-8, so the forms never collide.
    """
    raw: object = fields
    # type() first: an ABC isinstance check costs a tenth of the whole key.
    if type(raw) is not dict and not isinstance(raw, Mapping):
        msg = f"expected a mapping of field names to JSON values, got {type(raw).__name__}"
        raise InvalidEvent("$", msg)
    # The fast path covers label sets and other all-string field sets: str.join
    # raises TypeError on anything but strings, and the NUL count proves that no
    # name or value contains the separator.
    try:
        names = sorted(fields)
        if not names:
            return _EMPTY_KEY
        # itemgetter fetches the values in C; with one name it returns the bare value.
        values: list[str] = (
            itemgetter(*names)(fields) if len(names) > 1 else [fields[names[0]]]  # type: ignore[list-item]
        )
        text = "\x00".join(names) + "\x00\x00" + "\x00".join(values)
        if text.count("\x00") == 2 * len(names):
            return hashlib.sha256(text.encode()).hexdigest()
    except (TypeError, UnicodeEncodeError):
        pass
    return hashlib.sha256(b"\xff" + canonical_json(fields).encode("ascii")).hexdigest()


_EMPTY_KEY = hashlib.sha256(b"").hexdigest()


def content_key_for(*names: str) -> Callable[..., str]:
    """:func:`content_key` over fixed field names, as a function of their string values.

    For a parser that keys by the same fields every time (internal): the names' half
    of the canonical encoding is built once, and the key is
    ``content_key(dict(zip(names, values)))``.  ``names`` must be given sorted;
    values come in the same order.
    """
    if not names or list(names) != sorted(set(names)) or "\x00" in "".join(names):
        msg = f"expected distinct names without NUL, in sorted order; got {names}"
        raise ValueError(msg)
    head = "\x00".join(names) + "\x00\x00"
    separators = len(names) - 1

    def key(*values: str) -> str:
        tail = "\x00".join(values)
        if tail.count("\x00") == separators:
            try:
                return hashlib.sha256((head + tail).encode()).hexdigest()
            except UnicodeEncodeError:  # a lone surrogate: the JSON form, as content_key
                pass
        return content_key(dict(zip(names, values, strict=True)))

    return key


def canonical_json(fields: Mapping[str, object]) -> str:
    """Compact, key-sorted, ASCII-only JSON of ``fields``, validated as JSON first."""
    frozen = {}
    items: Mapping[object, object] = fields  # type: ignore[assignment]  # checked here
    for name, value in items.items():
        if not isinstance(name, str):
            msg = f"a field name must be a string, got {type(name).__name__} {shown(name)}"
            raise InvalidEvent("$", msg)
        frozen[name] = freeze_json(value, name)
    try:
        return json.dumps(
            frozen,
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=True,
            allow_nan=False,
            default=_plain,
        )
    except ValueError as err:  # an integer too long for str() (Python 3.11+)
        raise InvalidEvent("$", f"cannot be written as JSON: {err}") from err


def _plain(value: object) -> object:
    # freeze_json leaves only read-only mappings for json to be told about.
    if isinstance(value, Mapping):
        return dict(value)
    msg = f"not a JSON value: {type(value).__name__}"  # pragma: no cover - frozen above
    raise TypeError(msg)  # pragma: no cover
