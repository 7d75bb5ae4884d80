"""Exact numbers for SLO math: fractions in, fractions out, no NaN anywhere.

Targets, shares of budget and burn-rate factors are kept as :class:`fractions.Fraction`
so 99.9 % is exactly 999/1000.  (Sloth computes ``100 - 99.9`` in floating point and
ships ``0.09999999999999432`` in its generated rules; tocsin never does.)
"""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from tocsin.errors import InvalidInput

_ONE_MICROSECOND = timedelta(microseconds=1)
_MICROSECONDS_PER_SECOND = 1_000_000


def to_fraction(value: object, field: str) -> Fraction:
    """Convert a number a person wrote into an exact :class:`~fractions.Fraction`.

    Accepts ``Fraction``, ``int``, ``Decimal``, ``float`` and strings (``"0.999"``,
    ``"1/3"``, ``"99.9%"``).  A float is read as the shortest decimal that prints the
    same (``0.999`` means 999/1000, not the binary value just below it), because that
    is what the person typed.  Booleans, NaN and infinities are errors.

    >>> to_fraction("99.9%", "target"), to_fraction(0.999, "target")
    (Fraction(999, 1000), Fraction(999, 1000))
    """
    if isinstance(value, bool):
        msg = f"expected a number, got {value!r}"
        raise InvalidInput(field, msg)
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            msg = f"expected a finite number, got {value!r}"
            raise InvalidInput(field, msg)
        return Fraction(repr(value))
    if isinstance(value, Decimal):
        return _from_decimal(value, field)
    if isinstance(value, str):
        return _parse(value, field)
    msg = f"expected a number (Fraction, int, Decimal, float or str), got {type(value).__name__}"
    raise InvalidInput(field, msg)


#: Decimal exponents beyond this are refused: ``Fraction(Decimal("1e999999999"))`` would
#: build a billion-digit integer.  No SLO number is within a googol of the limit.
_MAX_EXPONENT = 1000


def _from_decimal(value: Decimal, field: str) -> Fraction:
    if not value.is_finite():
        msg = f"expected a finite number, got {value!r}"
        raise InvalidInput(field, msg)
    if value and abs(value.adjusted()) > _MAX_EXPONENT:
        msg = f"{value!r} is too large or too small to be an SLO number"
        raise InvalidInput(field, msg)
    return Fraction(value)


def _parse(text: str, field: str) -> Fraction:
    body = text.strip()
    percent = body.endswith("%")
    if percent:
        body = body[:-1].strip()
    try:
        number = Fraction(body) if "/" in body else _from_decimal(Decimal(body), field)
    except (ValueError, ZeroDivisionError, OverflowError, InvalidOperation):
        number = None
    if number is None or not body:
        msg = f"expected a number such as '0.999', '99.9%' or '999/1000', got {text!r}"
        raise InvalidInput(field, msg)
    return number / 100 if percent else number


def to_target(value: object, field: str = "target") -> Fraction:
    """An objective's target as an exact fraction, strictly between 0 and 1.

    A target of 1 (100 %) leaves no error budget: every burn rate divides by zero.
    Sloth allows it and produces infinities; slo-generator silently reports a burn
    rate of 0.  tocsin refuses it, as OpenSLO and Nobl9 do.

    >>> to_target("99.9%")
    Fraction(999, 1000)
    >>> to_target(99.9)
    Traceback (most recent call last):
    ...
    tocsin.errors.InvalidInput: target: 99.9 is not between 0 and 1; for a percentage write '99.9%'
    """
    number = to_fraction(value, field)
    if number == 1:
        msg = (
            "a 100% objective leaves no error budget (every burn rate would divide by "
            "zero); use a target below 1, such as '99.99%'"
        )
        raise InvalidInput(field, msg)
    if 1 < number <= 100:  # noqa: PLR2004 - the percent range
        msg = f"{value} is not between 0 and 1; for a percentage write '{value}%'"
        raise InvalidInput(field, msg)
    if not 0 < number < 1:
        msg = f"must be strictly between 0 and 1, got {value!r}"
        raise InvalidInput(field, msg)
    return number


def to_positive_fraction(value: object, field: str) -> Fraction:
    """A strictly positive exact number (a burn-rate factor, a share of budget)."""
    number = to_fraction(value, field)
    if number <= 0:
        msg = f"must be positive, got {value!r}"
        raise InvalidInput(field, msg)
    return number


def microseconds(value: timedelta) -> int:
    """A ``timedelta`` as an exact integer number of microseconds."""
    return value // _ONE_MICROSECOND


def seconds(value: timedelta) -> Fraction:
    """A ``timedelta`` as an exact number of seconds."""
    return Fraction(microseconds(value), _MICROSECONDS_PER_SECOND)


def to_timedelta(secs: Fraction) -> timedelta:
    """An exact number of seconds as a ``timedelta``, rounded half-even to 1 µs.

    ``timedelta`` cannot hold less than a microsecond; every budget tocsin's tests
    check is a whole number of microseconds, so the rounding never shows there.
    """
    return timedelta(microseconds=round(secs * _MICROSECONDS_PER_SECOND))


def scale(duration: timedelta, factor: Fraction) -> timedelta:
    """``duration * factor``, exact to the microsecond (rounded half-even).

    For factors of at most 1 (shares of a period), where the result always fits.
    """
    return timedelta(microseconds=round(microseconds(duration) * factor))


#: ``timedelta.max`` in microseconds: about 2.7 million years.
_MAX_MICROSECONDS = microseconds(timedelta.max)


def scale_within(duration: timedelta, factor: Fraction) -> timedelta | None:
    """``duration * factor`` like :func:`scale`, or ``None`` past ``timedelta.max``.

    ``None`` reads as "longer than any duration Python can hold", which for an SLO
    (a budget that lasts a million years) means never.
    """
    micros = round(microseconds(duration) * factor)
    return None if abs(micros) > _MAX_MICROSECONDS else timedelta(microseconds=micros)


def require_duration(value: object, field: str, *, allow_zero: bool = False) -> timedelta:
    """Check that ``value`` is a positive ``timedelta`` (or zero if allowed)."""
    if not isinstance(value, timedelta):
        msg = f"expected a timedelta, got {type(value).__name__}"
        raise InvalidInput(field, msg)
    if value < timedelta(0) or (value == timedelta(0) and not allow_zero):
        kind = "zero or positive" if allow_zero else "positive"
        msg = f"must be {kind}, got {value}"
        raise InvalidInput(field, msg)
    return value
