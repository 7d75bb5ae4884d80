"""The Alertmanager webhook shape, shared by Alertmanager and Grafana-managed alerting.

A webhook carries a *group* of alerts.  tocsin makes one event per alert, keyed by the
alert's own fingerprint, so every alert opens and resolves on its own: the group's
``status`` says "firing" while any alert fires, which would hide the resolves of the
others (``grafana/zulip-unified-mixed-firing-resolved.json``).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from tocsin.errors import InvalidEvent
from tocsin.events import Action, Event, Image, Link, Severity, fingerprint
from tocsin.events._model import Prefrozen, shown
from tocsin.events._wire import ZERO_TIME, describe
from tocsin.integrations._common import (
    Reader,
    SeverityTable,
    first_text,
    fit_key,
    fit_summary,
    link,
    severity_of,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

_STATUS = {"firing": Action.TRIGGER, "resolved": Action.RESOLVE}

#: Annotations tried in order for the summary, before the labels.
SUMMARY_ANNOTATIONS = ("summary", "title", "message", "description")

# The key the webhook's group-level fields go under in each event's custom_details.
GROUP = "group"


class _Group(NamedTuple):
    """What every alert of one webhook shares."""

    status: str | None
    external_url: str | None
    frozen: Mapping[str, object]
    client: str
    severities: SeverityTable
    default_severity: Severity
    severity_label: str
    grafana: bool


def alert_events(
    body: Reader,
    *,
    client: str,
    severities: SeverityTable,
    default_severity: Severity,
    severity_label: str,
    grafana: bool,
) -> list[Event]:
    """One event per alert of an Alertmanager-shaped webhook body."""
    alerts = body.objects("alerts", required=True)
    _check_group(body)
    # The group's fields go into every event's details: freeze them once.
    group = _Group(
        status=body.text("status"),
        external_url=body.text("externalURL") or None,
        frozen=MappingProxyType({k: v for k, v in body.obj.items() if k != "alerts"}),
        client=client,
        severities=severities,
        default_severity=default_severity,
        severity_label=severity_label,
        grafana=grafana,
    )
    return [_event(alert, group) for alert in alerts]


def _event(alert: Reader, group: _Group) -> Event:
    labels = alert.string_map("labels")
    annotations = alert.string_map("annotations")
    action = _action(alert, group.status)
    starts = _time(alert, "startsAt")
    ends = _time(alert, "endsAt")
    # A resolved alert is stamped with when it ended; a firing one with when it began
    # (a firing alert may carry a future endsAt, its expected expiry).
    timestamp = (ends or starts) if action is Action.RESOLVE else starts

    sent = alert.text("fingerprint")
    key = fit_key(sent) if sent else fingerprint(labels)

    summary = _summary(labels, annotations)
    source = first_text(labels.get("instance"), labels.get("job"), group.external_url)

    details: dict[str, object] = dict(alert.obj)
    details[GROUP if GROUP not in details else f"{group.client.lower()}_{GROUP}"] = group.frozen
    custom_details = Prefrozen(MappingProxyType(details))  # type: ignore[arg-type]  # frozen parts
    return Event(
        action=action,
        dedup_key=key,
        summary=fit_summary(summary),
        source=source or group.client.lower(),
        severity=severity_of(labels.get(group.severity_label), group.severities)
        or group.default_severity,
        timestamp=timestamp,
        class_=labels.get("alertname") or None,
        custom_details=custom_details,
        links=_links(alert, annotations, grafana=group.grafana),
        images=_images(alert) if group.grafana else (),
        client=group.client,
        client_url=group.external_url,
    )


def _summary(labels: Mapping[str, str], annotations: Mapping[str, str]) -> str:
    for name in SUMMARY_ANNOTATIONS:
        text = annotations.get(name)
        if text and not text.isspace():
            return text
    return first_text(labels.get("alertname")) or _render(labels)


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
    action = _STATUS.get(status)
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


def _links(alert: Reader, annotations: Mapping[str, str], *, grafana: bool) -> tuple[Link, ...]:
    candidates = [
        link(alert.text("generatorURL"), "Alert source"),
        link(annotations.get("runbook_url"), "Runbook"),
    ]
    if grafana:
        candidates += [
            link(alert.text("dashboardURL"), "Dashboard"),
            link(alert.text("panelURL"), "Panel"),
            link(alert.text("silenceURL"), "Silence"),
        ]
    return tuple(item for item in candidates if item is not None)


def _images(alert: Reader) -> tuple[Image, ...]:
    url = alert.text("imageURL")
    if url and url.strip():
        return (Image(url, alt="Alert image"),)
    return ()
