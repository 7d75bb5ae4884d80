"""Grafana webhooks: Grafana-managed (unified) alerting, and legacy alerting (v8 and earlier).

**Unified alerting** sends the Alertmanager shape with Grafana's additions
(``orgId``, ``title``, ``state``, ``message``; per alert ``values``, ``valueString``,
``silenceURL``, ``dashboardURL``, ``panelURL``, ``imageURL``).  It is read as
:mod:`tocsin.integrations.alertmanager` reads a webhook, one event per alert keyed by
the alert's ``fingerprint``, with the dashboard, panel and silence URLs as links and
``imageURL`` as an image.  Grafana computes its fingerprints over labels that it
does not show, so the key is always the one Grafana sent, never recomputed.

**Legacy alerting** sends one flat object per rule (``ruleId``, ``ruleName``,
``state``, ``evalMatches``, ``tags``):

* **dedup key**: ``grafana-rule-<ruleId>`` (rule ids are unique in a Grafana
  database, and the ``ok`` message carries the same id);
* **action**: ``alerting`` -> trigger, ``no_data`` -> trigger at warning (the
  ``no_data_severity``), ``ok`` -> resolve; ``paused`` and ``pending`` say
  nothing happened to the alert and give no events;
* **severity**: the rule's ``tags.severity`` through :data:`SEVERITIES`, else
  ``default_severity``;
* **summary**: ``ruleName`` (``title`` carries a ``[Alerting]`` state prefix);
  **source**: the first match's ``instance`` tag, else the host of ``ruleUrl``;
  **timestamp**: none (legacy payloads carry no time: the receiver stamps it);
* **custom_details**: the whole body, with ``tags`` also under ``"labels"``.

A legacy no-data alert whose rule is set to *Alerting* on no data arrives as
``alerting`` with empty ``evalMatches`` (``zulip-legacy-v7-no-data.json``); it is a
trigger like any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from tocsin.errors import InvalidEvent
from tocsin.events import Action, Event, Image, Severity
from tocsin.events._model import shown
from tocsin.events._plain import Irregular
from tocsin.events._wire import ROOT, Payload, describe, guarded, load_object
from tocsin.integrations._am_plain import plain_alert_events
from tocsin.integrations._am_shape import Options, alert_events
from tocsin.integrations._common import (
    Reader,
    check_severity,
    first_text,
    fit_key,
    fit_summary,
    frozen,
    link,
    severity_of,
    severity_table,
    text_of,
)
from tocsin.integrations.alertmanager import SEVERITIES as _AM_SEVERITIES

__all__ = ["SEVERITIES", "parse"]

#: Grafana has no severity field: the ``severity`` label (unified) or rule tag
#: (legacy), lower-cased, through the same table as Alertmanager's.
SEVERITIES: Mapping[str, Severity] = _AM_SEVERITIES

_LEGACY_STATES = {
    "alerting": Action.TRIGGER,
    "no_data": Action.TRIGGER,
    "ok": Action.RESOLVE,
    "paused": None,
    "pending": None,
}


@guarded
def parse(
    payload: Payload,
    *,
    severities: Mapping[str, Severity] | None = None,
    default_severity: Severity = Severity.ERROR,
    no_data_severity: Severity = Severity.WARNING,
    severity_label: str = "severity",
) -> list[Event]:
    """Events from a Grafana webhook body, unified or legacy (told apart by ``alerts``).

    ``severities`` replaces :data:`SEVERITIES`; ``no_data_severity`` is the severity
    of a legacy ``no_data`` alert.  Raises :class:`~tocsin.errors.InvalidEvent`
    naming the field for anything Grafana does not send, and nothing else.
    """
    table = severity_table(severities, SEVERITIES)
    default = check_severity(default_severity, "default_severity")
    no_data = check_severity(no_data_severity, "no_data_severity")
    options = Options(
        client="Grafana",
        severities=table,
        default_severity=default,
        severity_label=severity_label,
        grafana=True,
    )
    try:
        return plain_alert_events(payload, options)
    except (Irregular, RecursionError):
        pass  # legacy, or the careful way says what is wrong, with the field
    body = Reader(load_object(payload), ROOT)
    if "alerts" in body.obj:
        _check_unified(body)
        return alert_events(body, options)
    return _legacy(body, table, default, no_data)


def _check_unified(body: Reader) -> None:
    for key in ("title", "state", "message"):
        body.text(key)
    org = body.obj.get("orgId")
    if org is not None and (not isinstance(org, int) or isinstance(org, bool)):
        msg = f"expected a number, got {describe(org)}"
        raise InvalidEvent(body.at("orgId"), msg)


def _legacy(
    body: Reader, table: Mapping[str, Severity], default: Severity, no_data: Severity
) -> list[Event]:
    if "ruleId" not in body.obj and "state" not in body.obj:
        msg = "neither a unified alerting webhook (alerts) nor a legacy one (ruleId, state)"
        raise InvalidEvent(ROOT, msg)
    state = body.required_text("state")
    if state not in _LEGACY_STATES:
        msg = f"expected one of {', '.join(_LEGACY_STATES)}; got {shown(state)}"
        raise InvalidEvent(body.at("state"), msg)
    rule_id = body.obj.get("ruleId")
    if isinstance(rule_id, bool) or not isinstance(rule_id, int | str) or rule_id == "":
        msg = f"required: the rule's id (a number), got {describe(rule_id)}"
        raise InvalidEvent(body.at("ruleId"), msg)
    rule_name = body.text("ruleName")
    title = body.text("title")
    rule_url = body.text("ruleUrl")
    image_url = body.text("imageUrl")
    body.text("message")
    tags = body.string_map("tags")
    matches = body.objects("evalMatches")
    for match in matches:
        match.text("metric")
        match.string_map("tags")
    action = _LEGACY_STATES[state]
    if action is None:
        return []
    if state == "no_data":
        severity = no_data
    else:
        severity = severity_of(tags.get("severity"), table) or default
    instance = next(
        (m.string_map("tags").get("instance") for m in matches if _has_instance(m.obj.get("tags"))),
        None,
    )
    host = _host(rule_url)
    details: dict[str, object] = dict(body.obj)
    details.setdefault("labels", tags)
    links = tuple(item for item in (link(rule_url, "Alert rule"),) if item is not None)
    images = (Image(image_url, alt="Panel image"),) if image_url and image_url.strip() else ()
    return [
        Event(
            action=action,
            dedup_key=fit_key("grafana-rule-" + text_of(rule_id, body.at("ruleId"))),
            summary=fit_summary(first_text(rule_name, title) or f"Grafana rule {rule_id}"),
            source=first_text(instance, host) or "grafana",
            severity=severity,
            custom_details=frozen(details),
            links=links,
            images=images,
            client="Grafana",
        )
    ]


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:  # a malformed URL still stays in the details and the link
        return None


def _has_instance(tags: object) -> bool:
    return isinstance(tags, Mapping) and isinstance(tags.get("instance"), str)
