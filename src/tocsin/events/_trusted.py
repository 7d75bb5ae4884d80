"""Events, links and images built by tocsin's own parsers, which checked every field.

:class:`~tocsin.events.Event` validates each field on construction (types, lengths, a
trigger's required fields) because anyone may call it.  A source parser has read those
fields out of a payload and checked them already, with the payload's own field paths in
its errors; checking them again in the constructor was a third of what parsing an
Alertmanager alert cost.  So parsers build through here and write the slots directly,
as :mod:`tocsin.schedules` does for the shifts a render makes.  The public constructors
keep validating, and property tests check that each event a parser builds here equals
the one the public constructor builds from the same fields.

Internal: a caller must hand over what the public constructor would accept and leave
unchanged (see :func:`trusted_event`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tocsin.events._model import Event, Image, Link

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from tocsin.events._model import Action, JSONValue, Severity

_new = object.__new__
# Writing a slot through its descriptor costs half of ``object.__setattr__`` by name.
_action = Event.__dict__["action"].__set__
_dedup_key = Event.__dict__["dedup_key"].__set__
_routing_key = Event.__dict__["routing_key"].__set__
_summary = Event.__dict__["summary"].__set__
_source = Event.__dict__["source"].__set__
_severity = Event.__dict__["severity"].__set__
_timestamp = Event.__dict__["timestamp"].__set__
_component = Event.__dict__["component"].__set__
_group = Event.__dict__["group"].__set__
_class = Event.__dict__["class_"].__set__
_custom_details = Event.__dict__["custom_details"].__set__
_links = Event.__dict__["links"].__set__
_images = Event.__dict__["images"].__set__
_client = Event.__dict__["client"].__set__
_client_url = Event.__dict__["client_url"].__set__
_generated = Event.__dict__["dedup_key_generated"].__set__
_labels = Event.__dict__["_labels"].__set__
_href = Link.__dict__["href"].__set__
_text = Link.__dict__["text"].__set__
_src = Image.__dict__["src"].__set__
_image_href = Image.__dict__["href"].__set__
_alt = Image.__dict__["alt"].__set__


def trusted_event(
    *,
    action: Action,
    dedup_key: str,
    summary: str | None,
    source: str | None,
    severity: Severity | None,
    timestamp: datetime | None,
    custom_details: Mapping[str, JSONValue],
    component: str | None = None,
    class_: str | None = None,
    links: tuple[Link, ...] = (),
    images: tuple[Image, ...] = (),
    client: str | None = None,
    client_url: str | None = None,
) -> Event:
    """An :class:`Event` from fields the caller has checked, without checking them again.

    The caller guarantees what ``Event(...)`` would check: ``action`` an ``Action``;
    ``dedup_key`` a string of 1 to 255 characters; the texts strings or ``None``,
    ``summary`` at most 1024 characters; ``severity`` a ``Severity`` or ``None``; a
    trigger's ``summary``, ``source`` and ``severity`` present and non-empty;
    ``timestamp`` aware or ``None``; ``custom_details`` deeply frozen (read-only
    mappings and tuples of JSON values); ``links`` and ``images`` tuples of
    :class:`Link` and :class:`Image`.
    """
    event: Event = _new(Event)
    _action(event, action)
    _dedup_key(event, dedup_key)
    _routing_key(event, None)
    _summary(event, summary)
    _source(event, source)
    _severity(event, severity)
    _timestamp(event, timestamp)
    _component(event, component)
    _group(event, None)
    _class(event, class_)
    _custom_details(event, custom_details)
    _links(event, links)
    _images(event, images)
    _client(event, client)
    _client_url(event, client_url)
    _generated(event, False)  # noqa: FBT003 - a slot's value
    _labels(event, None)
    return event


def trusted_link(href: str, text: str | None) -> Link:
    """A :class:`Link` whose ``href`` is a non-empty string and ``text`` a string or None."""
    made: Link = _new(Link)
    _href(made, href)
    _text(made, text)
    return made


def trusted_image(src: str, alt: str | None) -> Image:
    """An :class:`Image` whose ``src`` is a non-empty string and ``alt`` a string or None."""
    made: Image = _new(Image)
    _src(made, src)
    _image_href(made, None)
    _alt(made, alt)
    return made
