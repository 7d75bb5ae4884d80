"""What a shell hands back from storage, and arguments from outside, are checked.

A shell stores timers by ``str(timer)`` and incidents field by field, and rebuilds
them later: a rebuilt value must be the value the machine made (so a timer that
already fired is recognised as stale), and one that is not must be refused at
construction with an error naming the field, never accepted and acted on, or left to
crash a later step with a ``TypeError``.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Any

import attrs
import pytest

from tocsin.errors import InvalidInput, NaiveDatetimeError, NotFoundError
from tocsin.escalation import (
    Acknowledge,
    AlertKey,
    AppendLog,
    At,
    CancelTimer,
    Dropped,
    DropReason,
    EscalationLevel,
    EscalationPolicy,
    Incident,
    LogEntry,
    LogKind,
    Merged,
    NobodyOnCall,
    Notification,
    Notify,
    NotifyReason,
    Rule,
    ScheduleTarget,
    ScheduleTimer,
    Snooze,
    Status,
    Timeline,
    TimelineEntry,
    Timer,
    TimerFired,
    TimerKind,
    Transition,
    Trigger,
    Unassigned,
    UserTarget,
    simulate,
    step,
)
from tocsin.events import Event
from tocsin.services import SupportHours
from tocsin.testing import FakeSchedule

if TYPE_CHECKING:
    from collections.abc import Callable

T0 = datetime(2025, 3, 10, 9, tzinfo=UTC)
NAIVE = datetime(2025, 3, 10, 9)  # refused on purpose
PLUS_5 = timezone(timedelta(hours=5))
TWO_LEVELS = EscalationPolicy(
    "db",
    [
        EscalationLevel([UserTarget("alice")], timedelta(minutes=5)),
        EscalationLevel([UserTarget("bob")], timedelta(minutes=5)),
    ],
)
ON_SCHEDULE = EscalationPolicy(
    "db", [EscalationLevel([ScheduleTarget("primary")], timedelta(minutes=5))]
)
EVENT = Event(
    action="trigger", dedup_key="db1/disk", summary="disk", source="db1", severity="error"
)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def trigger(policy: EscalationPolicy = TWO_LEVELS) -> Trigger:
    return Trigger(EVENT, service="checkout", policy=policy)


def opened() -> tuple[Incident, ScheduleTimer]:
    """A new incident at level 1 and its level timer."""
    result = step(None, trigger(), T0, {})
    assert result.incident is not None
    (pending,) = result.incident.timers
    return result.incident, pending


# --- timers rebuilt from storage ----------------------------------------------------


def test_a_timer_rebuilt_from_its_storage_key_fires_once_and_is_stale_the_second_time() -> None:
    # A shell stores str(timer) as the row's key and, when the row comes due, rebuilds
    # the timer: by splitting the key itself (kind as the string "level") or with
    # Timer.parse.  Either way the first delivery climbs a level and the second (a
    # redelivery by an at-least-once queue) is stale: one log entry, nothing else.
    incident, pending = opened()
    row = str(pending.timer)
    assert row == "checkout/db1/disk/2025-03-10T09:00:00Z/level/1"
    incident_id, kind, seq = row.rsplit("/", 2)
    for rebuilt in (Timer(incident_id, kind, int(seq)), Timer.parse(row)):
        assert rebuilt == pending.timer
        assert rebuilt.kind is TimerKind.LEVEL
        first = step(incident, TimerFired(rebuilt), at(5), {})
        assert [(n.user, n.level) for n in first.notifications] == [("bob", 2)]
        climbed = first.incident
        assert climbed is not None
        assert climbed.level == 2
        assert [str(p.timer) for p in climbed.timers] == [f"{incident_id}/level/2"]

        second = step(climbed, TimerFired(rebuilt), at(6), {})
        entry = LogEntry(at(6), LogKind.STALE_TIMER, f"stale timer {row} ignored")
        assert second.effects == (AppendLog(incident_id, entry),)
        assert second.incident == attrs.evolve(
            climbed, log=(*climbed.log, entry), revision=climbed.revision + 1
        )


def test_a_cancelled_timer_rebuilt_from_storage_is_stale() -> None:
    incident, pending = opened()
    acked = step(incident, Acknowledge("alice"), at(1), {})
    assert CancelTimer(pending.timer) in acked.effects
    assert acked.incident is not None
    late = step(acked.incident, TimerFired(Timer.parse(str(pending.timer))), at(5), {})
    assert late.notifications == ()
    assert [type(e) for e in late.effects] == [AppendLog]
    assert late.incident is not None
    assert (late.incident.status, late.incident.level, late.incident.timers) == (
        Status.ACKNOWLEDGED,
        1,
        (),
    )


def test_timer_parse_is_the_inverse_of_str() -> None:
    for timer in (
        Timer("i", TimerKind.SNOOZE, 0),
        Timer("a/b/c", "auto_resolve", 12),
        Timer("svc/k/2025-03-10T09:00:00Z#2", TimerKind.URGENCY, 10**20),
    ):
        assert Timer.parse(str(timer)) == timer


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Timer("", TimerKind.LEVEL, 1), "incident"),
        (lambda: Timer(5, TimerKind.LEVEL, 1), "incident"),
        (lambda: Timer("i", "junk", 1), "kind"),
        (lambda: Timer("i", TimerKind.LEVEL, -1), "seq"),
        (lambda: Timer("i", TimerKind.LEVEL, seq=True), "seq"),
        (lambda: Timer("i", TimerKind.LEVEL, "1"), "seq"),
        (lambda: Timer.parse(5), "timer"),  # type: ignore[arg-type]
        (lambda: Timer.parse("i/level"), "timer"),
        (lambda: Timer.parse("/level/1"), "timer.incident"),
        (lambda: Timer.parse("i/lvl/1"), "timer.kind"),
        (lambda: Timer.parse("i/level/01"), "timer.seq"),
        (lambda: Timer.parse("i/level/+1"), "timer.seq"),
        (lambda: Timer.parse("i/level/ 1"), "timer.seq"),
        (lambda: Timer.parse("i/level/1_0"), "timer.seq"),
        (lambda: Timer.parse("i/level/\u0661"), "timer.seq"),  # an Arabic-Indic one
        (lambda: Timer.parse("i/level/"), "timer.seq"),
    ],
)
def test_timers_check_their_parts(make: Callable[[], object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        make()
    assert err.value.field == field


# --- incidents and their parts ------------------------------------------------------


def test_log_entries_and_pending_timers_keep_instants_in_utc() -> None:
    entry = LogEntry(datetime(2025, 3, 10, 14, tzinfo=PLUS_5), "trigger", "m", level=1)
    assert (entry.at, entry.at.tzinfo, entry.kind) == (T0, UTC, LogKind.TRIGGERED)
    pending = ScheduleTimer(Timer("i", "level", 1), datetime(2025, 3, 10, 14, tzinfo=PLUS_5))
    assert (pending.at, pending.at.tzinfo) == (T0, UTC)


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: LogEntry(NAIVE, LogKind.TRIGGERED, "m"), "at"),
        (lambda: LogEntry(datetime(1, 1, 1, tzinfo=PLUS_5), LogKind.TRIGGERED, "m"), "at"),
        (lambda: LogEntry(T0, "junk", "m"), "kind"),
        (lambda: LogEntry(T0, LogKind.TRIGGERED, 5), "message"),
        (lambda: LogEntry(T0, LogKind.TRIGGERED, "m", by=""), "by"),
        (lambda: LogEntry(T0, LogKind.TRIGGERED, "m", level=0), "level"),
        (lambda: LogEntry(T0, LogKind.TRIGGERED, "m", level="1"), "level"),
        (lambda: AlertKey(1, "k"), "service"),
        (lambda: AlertKey("s", ""), "dedup_key"),
        (lambda: ScheduleTimer("s/k/level/1", T0), "timer"),
        (lambda: ScheduleTimer(Timer("i", "level", 1), NAIVE), "at"),
        (lambda: CancelTimer("s/k/level/1"), "timer"),
    ],
)
def test_the_parts_of_an_incident_check_their_fields(
    make: Callable[[], object], field: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        make()
    assert err.value.field == field


def test_a_naive_instant_in_a_log_entry_is_a_naive_datetime_error() -> None:
    with pytest.raises(NaiveDatetimeError):
        LogEntry(NAIVE, LogKind.TRIGGERED, "m")


def fields(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "I1",
        "service": "checkout",
        "dedup_key": "k",
        "policy": TWO_LEVELS,
        "status": "triggered",
        "opened_at": T0,
        "open_alerts": [AlertKey("checkout", "k")],
        "revision": 3,
    }
    base.update(changes)
    return base


def pending(kind: str, seq: int = 1, at_: datetime = T0, incident: str = "I1") -> ScheduleTimer:
    return ScheduleTimer(Timer(incident, kind, seq), at_)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timers": [pending("level", incident="I2")]}, "timers[0].timer.incident"),
        ({"timers": [pending("level", seq=4)]}, "timers[0].timer.seq"),
        ({"timers": [pending("level", 1), pending("level", 2)]}, "timers[1].timer.kind"),
        ({"timers": [pending("ack_timeout")]}, "timers[0].timer.kind"),
        ({"timers": [pending("snooze")]}, "timers[0].timer.kind"),
        ({"status": "acknowledged", "timers": [pending("level")]}, "timers[0].timer.kind"),
        ({"status": "acknowledged", "timers": [pending("snooze")]}, "snoozed_until"),
        ({"status": "acknowledged", "snoozed_until": at(60)}, "snoozed_until"),
        (
            {"status": "acknowledged", "snoozed_until": at(60), "timers": [pending("snooze")]},
            "snoozed_until",
        ),
        ({"open_alerts": [AlertKey("checkout", "k"), AlertKey("checkout", "k")]}, "open_alerts[1]"),
        (
            {
                "log": [
                    LogEntry(at(1), LogKind.TRIGGERED, "m"),
                    LogEntry(T0, LogKind.ESCALATED, "m"),
                ]
            },
            "log[1].at",
        ),
        ({"opened_at": datetime(1, 1, 1, tzinfo=PLUS_5)}, "opened_at"),
        ({"snoozed_until": datetime(1, 1, 1, tzinfo=PLUS_5)}, "snoozed_until"),
    ],
)
def test_an_incident_refuses_timers_and_logs_the_machine_could_not_have_made(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        Incident(**fields(**changes))
    assert err.value.field == field


def test_an_incident_accepts_the_timers_of_each_state() -> None:
    triggered = Incident(
        **fields(timers=[pending("level", 3), pending("auto_resolve", 1), pending("urgency", 2)])
    )
    assert [p.timer.kind for p in triggered.timers] == [
        TimerKind.LEVEL,
        TimerKind.AUTO_RESOLVE,
        TimerKind.URGENCY,
    ]
    snoozed = Incident(
        **fields(
            status="acknowledged",
            snoozed_until=datetime(2025, 3, 10, 15, tzinfo=PLUS_5),
            timers=[pending("snooze", 3, at(60)), pending("ack_timeout", 2, at(30))],
        )
    )
    assert snoozed.snoozed_until == at(60)


def test_a_stored_incident_rebuilt_field_by_field_steps_like_the_original() -> None:
    # A storage layer keeps plain values: enum values as strings, instants in UTC
    # strings, timers as str(timer).  Rebuilt through the public constructors, the
    # incident equals the original, and its pending level timer fires exactly once.
    incident, pending_timer = opened()
    row = {name: getattr(incident, name) for name in attrs.fields_dict(Incident)}
    rebuilt = Incident(
        **{
            **row,
            "status": incident.status.value,
            "urgency": incident.urgency.value,
            "assigned_via": incident.assigned_via.value,
            "opened_at": datetime.fromisoformat(incident.opened_at.isoformat()),
            "open_alerts": [AlertKey(k.service, k.dedup_key) for k in incident.open_alerts],
            "timers": [
                ScheduleTimer(Timer.parse(str(p.timer)), datetime.fromisoformat(p.at.isoformat()))
                for p in incident.timers
            ],
            "log": [
                LogEntry(e.at, e.kind.value, e.message, by=e.by, level=e.level)
                for e in incident.log
            ],
        }
    )
    assert rebuilt == incident
    first = step(rebuilt, TimerFired(Timer.parse(str(pending_timer.timer))), at(5), {})
    assert first == step(incident, TimerFired(pending_timer.timer), at(5), {})
    assert first.incident is not None
    second = step(first.incident, TimerFired(Timer.parse(str(pending_timer.timer))), at(5), {})
    assert second.notifications == ()
    assert second.incident is not None
    assert second.incident.level == 2


# --- step() and simulate() arguments ------------------------------------------------


class Answers:
    """An on-call lookup that answers whatever it was given."""

    def __init__(self, answer: object) -> None:
        self.answer = answer

    def on_call_at(self, _at: datetime) -> Any:  # whatever it was given
        return self.answer


@pytest.mark.parametrize(
    ("on_call", "field"),
    [
        (None, "on_call"),
        (["primary"], "on_call"),
        ({"primary": object()}, "on_call['primary']"),
        ({"primary": Answers(5)}, "on_call['primary'].on_call_at"),
        ({"primary": Answers("")}, "on_call['primary'].on_call_at"),
        ({"primary": Answers(b"alice")}, "on_call['primary'].on_call_at"),
    ],
)
def test_step_checks_on_call_and_what_it_answers(on_call: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        step(None, trigger(ON_SCHEDULE), T0, on_call)
    assert err.value.field == field


def test_a_schedule_answering_a_str_subclass_pages_a_plain_str() -> None:
    class Name(str):
        __slots__ = ()

    result = step(None, trigger(ON_SCHEDULE), T0, {"primary": Answers(Name("alice"))})
    (notify,) = result.notifications
    assert type(notify.user) is str
    assert notify.user == "alice"


@pytest.mark.parametrize(
    ("now", "field"),
    [
        # 23:58 on the last day: the first level's 5-minute timer lies past year 9999.
        (datetime(9999, 12, 31, 23, 58, tzinfo=UTC), "now"),
        # Midnight on 1 January of year 1 at +05:00 is still in year 0 in UTC.
        (datetime(1, 1, 1, tzinfo=PLUS_5), "now"),
        (NAIVE, "now"),
    ],
)
def test_step_refuses_instants_at_the_ends_of_datetimes_range(now: datetime, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        step(None, trigger(), now, {})
    assert err.value.field == field


@pytest.mark.parametrize(
    "now", [datetime(9999, 12, 31, 12, tzinfo=UTC), datetime(1, 1, 1, tzinfo=UTC)]
)
def test_support_hours_at_the_ends_of_datetimes_range_are_refused_naming_now(
    now: datetime,
) -> None:
    # Deciding the urgency looks at the days either side of now, which do not exist.
    hours = SupportHours("America/New_York", start=time(9), end=time(17))
    policy = attrs.evolve(TWO_LEVELS, support_hours=hours)
    with pytest.raises(InvalidInput) as err:
        step(None, trigger(policy), now, {})
    assert err.value.field == "now"


def test_an_instant_whose_timers_fit_in_datetimes_range_is_fine() -> None:
    last = datetime(9999, 12, 31, 23, 50, tzinfo=UTC)
    result = step(None, trigger(), last, {})
    assert result.incident is not None
    assert [p.at for p in result.incident.timers] == [last + timedelta(minutes=5)]
    first = step(None, trigger(), datetime(1, 1, 1, 5, tzinfo=PLUS_5), {})
    assert first.incident is not None
    assert first.incident.opened_at == datetime(1, 1, 1, tzinfo=UTC)


def test_snoozing_until_an_instant_outside_datetimes_range_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        Snooze(datetime(1, 1, 1, tzinfo=PLUS_5))
    assert err.value.field == "until"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: simulate(TWO_LEVELS, None, {}), "commands"),  # type: ignore[arg-type]
        (lambda: simulate(TWO_LEVELS, "trigger", {}), "commands"),  # type: ignore[arg-type]
        (lambda: simulate(TWO_LEVELS, [], None), "on_call"),  # type: ignore[arg-type]
        (lambda: simulate(ON_SCHEDULE, [], {"primary": object()}), "on_call['primary']"),  # type: ignore[dict-item]
        (lambda: simulate(TWO_LEVELS, [(T0, 5)], {}), "commands[0].command"),  # type: ignore[list-item]
        (lambda: simulate(TWO_LEVELS, [(NAIVE, trigger())], {}), "commands[0].at"),
        (lambda: simulate(TWO_LEVELS, [(T0, trigger()), (T0,)], {}), "commands[1]"),  # type: ignore[list-item]
        (lambda: simulate(TWO_LEVELS, [], {}, until=datetime(1, 1, 1, tzinfo=PLUS_5)), "until"),
        (
            lambda: simulate(
                ON_SCHEDULE, [(T0, trigger(ON_SCHEDULE))], {"primary": Answers(["alice"])}
            ),
            "on_call['primary'].on_call_at",
        ),
    ],
)
def test_simulate_checks_its_arguments(call: Callable[[], object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        call()
    assert err.value.field == field


def test_simulate_still_reports_an_unknown_schedule_as_not_found() -> None:
    with pytest.raises(NotFoundError, match="'primary'"):
        simulate(ON_SCHEDULE, [], {"secondary": FakeSchedule("alice")})


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: At(T0, 5), "command"),
        (lambda: At(T0, "trigger"), "command"),
        (lambda: At(T0, Acknowledge(), incident=""), "incident"),
        (lambda: At(T0, Acknowledge(), incident=5), "incident"),
        (lambda: At(datetime(1, 1, 1, tzinfo=PLUS_5), Acknowledge()), "at"),
    ],
)
def test_at_checks_what_it_holds(make: Callable[[], object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        make()
    assert err.value.field == field


# --- effects and results ------------------------------------------------------------

NOTIFY = Notify("alice", "I1", 1, NotifyReason.TRIGGERED, "I1/1/alice")


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Notify("", "I1", 1, "triggered", "k"), "user"),
        (lambda: Notify("a", 2, 1, "triggered", "k"), "incident"),
        (lambda: Notify("a", "I1", 0, "triggered", "k"), "level"),
        (lambda: Notify("a", "I1", 1, "paged", "k"), "reason"),
        (lambda: Notify("a", "I1", 1, "triggered", ""), "idempotency_key"),
        (lambda: Notify("a", "I1", 1, "triggered", "k", "urgent"), "urgency"),
        (lambda: AppendLog("I1", "entry"), "entry"),
        (lambda: Dropped("lost", "d"), "reason"),
        (lambda: Dropped(DropReason.OTHER_SCOPE, None), "detail"),
        (lambda: NobodyOnCall("I1", "x"), "level"),
        (lambda: NobodyOnCall("I1", 1, "abc"), "schedules"),
        (lambda: NobodyOnCall("I1", 1, ["a", ""]), "schedules[1]"),
        (lambda: Unassigned(5), "incident"),
        (lambda: Merged(5), "into"),
        (lambda: Transition("x", ()), "incident"),
        (lambda: Transition(None, [1]), "effects[0]"),
        (lambda: Transition(None, "effects"), "effects"),
        (lambda: TimelineEntry(NAIVE, Acknowledge(), None, ()), "at"),
        (lambda: TimelineEntry(T0, 5, None, ()), "command"),
        (lambda: TimelineEntry(T0, Acknowledge(), "", ()), "incident"),
        (lambda: TimelineEntry(T0, Acknowledge(), None, 5), "effects"),
        (lambda: Notification(NAIVE, NOTIFY), "at"),
        (lambda: Notification(T0, 5), "notify"),
        (lambda: Timeline(5, {}), "entries"),
        (lambda: Timeline((), 5), "incidents"),
        (lambda: Timeline((), {"I1": 5}), "incidents['I1']"),
        (lambda: Rule(5, "Trigger", ("triggered",), "n"), "source"),
        (lambda: Rule(None, "", ("triggered",), "n"), "command"),
        (lambda: Rule(None, "Trigger", (), "n"), "outcomes"),
        (lambda: Rule(None, "Trigger", ("triggered",), 5), "note"),
        (lambda: Rule(None, "Trigger", ("triggered",), "n", "handler"), "handler"),
    ],
)
def test_effects_and_results_check_their_fields(make: Callable[[], object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        make()
    assert err.value.field == field


def test_a_timeline_keys_each_incident_by_its_own_id() -> None:
    incident, _ = opened()
    assert Timeline((), {incident.id: incident}).incidents[incident.id] is incident
    with pytest.raises(InvalidInput) as err:
        Timeline((), {"other": incident})
    assert err.value.field == "incidents['other']"
