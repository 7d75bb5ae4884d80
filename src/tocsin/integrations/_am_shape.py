"""The Alertmanager webhook shape, shared by Alertmanager and Grafana-managed alerting.

A webhook carries a *group* of alerts.  tocsin makes one event per alert, keyed by the
alert's own fingerprint, so every alert opens and resolves on its own: the group's
``status`` says "firing" while any alert fires, which would hide the resolves of the
others (``grafana/zulip-unified-mixed-firing-resolved.json``).

This module reads a frozen body through :class:`~tocsin.integrations._common.Reader`,
the careful way; :mod:`tocsin.integrations._am_plain` reads common payloads faster and
hands anything unusual back here.  Both end in :func:`assemble`.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple, TypeGuard

from tocsin.errors import InvalidEvent
from tocsin.events import MAX_DEDUP_KEY, MAX_SUMMARY, Action, Event, Image, Link, fingerprint
from tocsin.events._model import shown
from tocsin.events._trusted import trusted_event, trusted_image, trusted_link
from tocsin.events._wire import ZERO_TIME, describe
from tocsin.integrations._common import Reader, SeverityTable, first_text, fit_key, fit_summary

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from tocsin.events import Severity

STATUS = {"firing": Action.TRIGGER, "resolved": Action.RESOLVE}

#: Annotations tried in order for the summary, before the labels.
SUMMARY_ANNOTATIONS = ("summary", "title", "message", "description")

# The key the webhook's group-level fields go under in each event's custom_details.
GROUP = "group"


class Options(NamedTuple):
    """How one source reads the shape: its name and the parser's arguments, checked."""

    client: str
    severities: SeverityTable
    default_severity: Severity
    severity_label: str
    grafana: bool


class Group(NamedTuple):
    """What every alert of one webhook shares, read once per webhook."""

    status: str | None
    external_url: str | None  # None for "" too
    frozen: Mapping[str, object]  # the body without its alerts, for custom_details
    options: Options


def alert_events(body: Reader, options: Options) -> list[Event]:
    """One event per alert of an Alertmanager-shaped webhook body."""
    alerts = body.objects("alerts", required=True)
    _check_group(body)
    # The group's fields go into every event's details: freeze them once.
    group = Group(
        body.text("status"),
        body.text("externalURL") or None,
        MappingProxyType({k: v for k, v in body.obj.items() if k != "alerts"}),
        options,
    )
    return [_event(alert, group) for alert in alerts]


def _event(alert: Reader, group: Group) -> Event:
    labels = alert.string_map("labels")
    annotations = alert.string_map("annotations")
    action = _action(alert, group.status)
    starts = _time(alert, "startsAt")
    ends = _time(alert, "endsAt")
    sent = alert.text("fingerprint")
    urls = (
        alert.text("generatorURL"),
        *(
            (
                alert.text("dashboardURL"),
                alert.text("panelURL"),
                alert.text("silenceURL"),
                alert.text("imageURL"),
            )
            if group.options.grafana
            else ()
        ),
    )
    return assemble(dict(alert.obj), labels, annotations, action, starts, ends, sent, urls, group)


def assemble(  # noqa: PLR0917 - an alert's fields, read and checked, in reading order
    details: dict[str, object],
    labels: Mapping[str, str],
    annotations: Mapping[str, str],
    action: Action,
    starts: datetime | None,
    ends: datetime | None,
    sent: str | None,
    urls: tuple[str | None, ...],
    group: Group,
) -> Event:
    """The event for one alert, from its fields as read and checked.

    ``details`` is the alert object (frozen values in a dict this function may keep);
    ``urls`` is ``generatorURL``, then for Grafana ``dashboardURL``, ``panelURL``,
    ``silenceURL`` and ``imageURL``.  Every field was checked as it was read, so the
    event is built without checking again (:mod:`tocsin.events._trusted` says what
    that promises: a key of 1 to 255 characters, a summary of 1 to 1024, a source, a
    severity).
    """
    options = group.options
    if not sent:
        key = fingerprint(labels)
    elif len(sent) > MAX_DEDUP_KEY:
        key = fit_key(sent)
    else:
        key = sent
    summary = _summary(labels, annotations)
    if len(summary) > MAX_SUMMARY:
        summary = fit_summary(summary)
    source = labels.get("instance")
    if not _is_text(source):
        source = first_text(labels.get("job"), group.external_url) or options.client.lower()
    level = labels.get(options.severity_label)
    # common.severity_of, without the call: label values are strings.
    severity = level is not None and options.severities.get(level.strip().lower())
    details[GROUP if GROUP not in details else f"{options.client.lower()}_{GROUP}"] = group.frozen
    return trusted_event(
        action=action,
        dedup_key=key,
        summary=summary,
        source=source,
        severity=severity or options.default_severity,
        # A resolved alert is stamped with when it ended; a firing one with when it
        # began (a firing alert may carry a future endsAt, its expected expiry).
        timestamp=(ends or starts) if action is Action.RESOLVE else starts,
        class_=labels.get("alertname") or None,
        custom_details=MappingProxyType(details),  # type: ignore[arg-type]  # frozen parts
        links=_links(urls, annotations)
        if options.grafana or _is_text(urls[0]) or "runbook_url" in annotations
        else (),
        images=_images(urls[4]) if options.grafana else (),
        client=options.client,
        client_url=group.external_url,
    )


def _summary(labels: Mapping[str, str], annotations: Mapping[str, str]) -> str:
    if annotations:
        for name in SUMMARY_ANNOTATIONS:
            text = annotations.get(name)
            if _is_text(text):
                return text
    return first_text(labels.get("alertname")) or _render(labels)


def _is_text(text: str | None) -> TypeGuard[str]:
    # common.first_text's test for one string, without the call: senders send ""
    # and " " for "nothing here".
    return text is not None and text != "" and not text.isspace()


def _check_group(body: Reader) -> None:
    # Group-level fields are only carried into custom_details, but a body whose
    # fields have the wrong types is not an Alertmanager webhook.
    body.text("receiver")
    body.text("version")
    for key in ("groupLabels", "commonLabels", "commonAnnotations"):
        body.string_map(key)
    group_key = body.obj.get("groupKey")
    # Version 3 sent the group key as a number (alerta-v3-integer-groupkey.json).
    if (group_key is not None and not isinstance(group_key, str | int)) or isinstance(
        group_key, bool
    ):
        msg = f"expected a string (or a number, in version 3), got {describe(group_key)}"
        raise InvalidEvent(body.at("groupKey"), msg)
    truncated = body.obj.get("truncatedAlerts")
    if truncated is not None and (not isinstance(truncated, int) or isinstance(truncated, bool)):
        msg = f"expected a count of alerts left out, got {describe(truncated)}"
        raise InvalidEvent(body.at("truncatedAlerts"), msg)


def _action(alert: Reader, group_status: str | None) -> Action:
    # Per-alert status wins; only an alert without one falls back to the group's.
    status = alert.text("status")
    own = status is not None
    if not own:
        status = group_status
    if status is None:
        msg = "required: firing or resolved (on the alert or the group)"
        raise InvalidEvent(alert.at("status"), msg)
    action = STATUS.get(status)
    if action is None:
        msg = f"expected firing or resolved, got {shown(status)}"
        raise InvalidEvent(alert.at("status") if own else "status", msg)
    return action


def _time(alert: Reader, key: str) -> datetime | None:
    parsed = alert.time(key)
    # Go's zero time means "not set" (endsAt of a firing alert).
    return None if parsed == ZERO_TIME else parsed


def _render(labels: Mapping[str, str]) -> str:
    # Alertmanager's LabelSet.String(): {a="x", b="y"}, sorted.
    inner = ", ".join(f"{name}={_quote(labels[name])}" for name in sorted(labels))
    return "{" + inner + "}"


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _links(urls: tuple[str | None, ...], annotations: Mapping[str, str]) -> tuple[Link, ...]:
    found = []
    if _is_text(urls[0]):
        found.append(trusted_link(urls[0], "Alert source"))
    runbook = annotations.get("runbook_url")
    if _is_text(runbook):
        found.append(trusted_link(runbook, "Runbook"))
    for href, text in zip(urls[1:4], ("Dashboard", "Panel", "Silence"), strict=False):
        if _is_text(href):
            found.append(trusted_link(href, text))
    return tuple(found)


def _images(url: str | None) -> tuple[Image, ...]:
    if _is_text(url):
        return (trusted_image(url, "Alert image"),)
    return ()
