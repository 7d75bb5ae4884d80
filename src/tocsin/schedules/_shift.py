"""Shifts: a person on call over a half-open span, and what put them there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

import attrs

from tocsin.errors import InvalidInput
from tocsin.time import Interval, require_aware

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tocsin.schedules._layer import Layer
    from tocsin.schedules._override import Override

__all__ = ["Shift", "check_user", "trusted_shift"]


def check_user(value: object, field: str = "user") -> str:
    """A participant is a non-empty string (a user id, an email, a name)."""
    if not isinstance(value, str) or not value:
        msg = f"expected a non-empty user id string, got {value!r}"
        raise InvalidInput(field, msg)
    return value


def _aware_start(value: object) -> datetime:
    return require_aware(value, "start")


def _aware_end(value: object) -> datetime:
    return require_aware(value, "end")


def _utc_key(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _sources_repr(sources: tuple[Layer | Override, ...]) -> str:
    parts = [
        f"layer {source.name!r}" if hasattr(source, "name") else repr(source) for source in sources
    ]
    return "(" + ", ".join(parts) + ")"


def _sources(value: Iterable[Layer | Override]) -> tuple[Layer | Override, ...]:
    return tuple(value)


@attrs.frozen
class Shift:
    """``user`` is on call over ``[start, end)``.

    ``sources`` says what put them there: the :class:`~tocsin.schedules.Layer` or
    :class:`~tocsin.schedules.Override` objects, in order of first appearance (a merged
    shift of the final schedule can span an override and a layer).  Equality uses
    instants, never wall-clock fields, like :class:`tocsin.time.Interval`.
    """

    user: str = attrs.field(converter=check_user)
    start: datetime = attrs.field(converter=_aware_start, eq=_utc_key, order=_utc_key)
    end: datetime = attrs.field(converter=_aware_end, eq=_utc_key, order=_utc_key)
    sources: tuple[Layer | Override, ...] = attrs.field(
        default=(), kw_only=True, converter=_sources, repr=_sources_repr
    )

    def __attrs_post_init__(self) -> None:
        if _utc_key(self.end) <= _utc_key(self.start):
            msg = (
                f"a shift ends after it starts; got {self.start.isoformat()} "
                f"to {self.end.isoformat()}"
            )
            raise InvalidInput("end", msg)

    @classmethod
    def _trusted(
        cls, user: str, start: datetime, end: datetime, sources: tuple[Layer | Override, ...]
    ) -> Shift:
        """Build a shift the renderers already know is valid, skipping re-validation.

        Renders make one shift per segment; checking again what the sweep guarantees
        (aware ends, ``start < end``, a real user) would triple their cost.
        """
        return trusted_shift(user, start, end, sources)

    @property
    def interval(self) -> Interval:
        """The span as an :class:`~tocsin.time.Interval`."""
        return Interval(self.start, self.end)

    @property
    def duration(self) -> timedelta:
        """Exact elapsed length, counted in UTC (a 09:00-to-09:00 day can be 23 h)."""
        return _utc_key(self.end) - _utc_key(self.start)

    def __contains__(self, at: object) -> bool:
        when = require_aware(at, "at").astimezone(UTC)
        return _utc_key(self.start) <= when < _utc_key(self.end)

    def astimezone(self, tz: tzinfo) -> Shift:
        """The same shift with both ends expressed in ``tz``."""
        return attrs.evolve(self, start=self.start.astimezone(tz), end=self.end.astimezone(tz))


# Writing the slots directly is half the cost of ``object.__setattr__`` by name, and a
# render makes one shift per segment.
_set_user = Shift.__dict__["user"].__set__
_set_start = Shift.__dict__["start"].__set__
_set_end = Shift.__dict__["end"].__set__
_set_sources = Shift.__dict__["sources"].__set__
_new = object.__new__


def trusted_shift(
    user: str, start: datetime, end: datetime, sources: tuple[Layer | Override, ...]
) -> Shift:
    """A :class:`Shift` built without validation, for renderers whose pieces are valid."""
    shift: Shift = _new(Shift)
    _set_user(shift, user)
    _set_start(shift, start)
    _set_end(shift, end)
    _set_sources(shift, sources)
    return shift
