"""The ``tocsin`` command line (``python -m tocsin`` works too).

``main(argv)`` returns an exit code, so tests call it directly.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import tocsin
from tocsin.schedules import Region, follow_the_sun
from tocsin.time import SystemClock

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tocsin.protocols import Clock

__all__ = ["main", "build_parser"]


def _demo_regions() -> list[Region]:
    """Sydney, London and New York working hours that tile the day in January (UTC)."""

    def region(name: str, tz: str, hours: tuple[int, int], users: list[str]) -> Region:
        local = ZoneInfo(tz)
        start, end = time(hours[0]), time(hours[1])
        # Each region's weekly rotation hands off on Monday 2026-01-05 at its local start.
        anchor = datetime.combine(date(2026, 1, 5), start, tzinfo=local)
        return Region(name, local, start, end, users, anchor=anchor)

    return [
        region("APAC", "Australia/Sydney", (9, 17), ["ana", "ali"]),
        region("EMEA", "Europe/London", (6, 14), ["eve", "eli"]),
        region("AMER", "America/New_York", (9, 17), ["amy", "abe"]),
    ]


def _clock(at: datetime) -> str:
    return at.strftime("%a %d %b %H:%M %Z")


def _span(start: datetime, end: datetime) -> str:
    """``Wed 11 Mar 09:00-17:00 AEDT``, or both dates when the span crosses midnight."""
    if start.date() == end.date() and start.tzname() == end.tzname():
        return f"{start:%a %d %b %H:%M}-{end:%H:%M %Z}"
    return f"{_clock(start)} - {_clock(end)}"


def _minutes(span: timedelta) -> str:
    minutes = span / timedelta(minutes=1)
    return f"{minutes:g} min"


def _demo(args: argparse.Namespace) -> int:
    """Who is on call now, and the next seven days, for a follow-the-sun schedule."""
    clock: Clock = SystemClock() if args.at is None else _PinnedClock(args.at)
    now = clock.now().astimezone(UTC)
    regions = _demo_regions()
    zones = {region.name: region.tz for region in regions}
    schedule = follow_the_sun("follow-the-sun", regions)
    week = (now, now + timedelta(days=7))
    out = sys.stdout
    out.write(f"tocsin {tocsin.__version__}: schedule {schedule.name!r}\n")
    for region in regions:
        hours = f"{region.start:%H:%M}-{region.end:%H:%M}"
        out.write(f"  {region.name}  {hours} {region.tz}  {', '.join(map(str, region.users))}\n")
    out.write("Where two regions overlap, the one listed later is on call.\n")
    out.write(f"\nNow: {_clock(now)}\n")
    user = schedule.on_call_at(now)
    if user is None:
        nxt = next(schedule.shifts(*week), None)
        then = "" if nxt is None else f"; next: {nxt.user} at {_clock(nxt.start)}"
        out.write(f"On call now: nobody{then}\n")
    else:
        [current] = schedule.shifts(now, now + timedelta(microseconds=1))
        name = getattr(current.sources[0], "name", "override")
        local = now.astimezone(zones[name]) if name in zones else now
        out.write(f"On call now: {user} ({name}, {_clock(local)} local)\n")
    out.write("\nThe next seven days, in each region's local time:\n")
    shifts = list(schedule.shifts(*week))
    for region in regions:
        out.write(f"{region.name} ({region.tz})\n")
        for shift in shifts:
            if getattr(shift.sources[0], "name", None) != region.name:
                continue
            start, end = shift.start.astimezone(region.tz), shift.end.astimezone(region.tz)
            out.write(f"  {_span(start, end)}  {shift.user}\n")
    report = schedule.coverage_report(*week)
    out.write(
        f"\nCoverage: {float(report.coverage):.2%}; "
        f"{len(report.gaps)} gaps ({_minutes(report.gap_time)}), "
        f"{len(report.overlaps)} overlaps ({_minutes(report.overlap_time)})\n"
    )
    for gap in report.gaps:
        out.write(
            f"  gap      {_clock(gap.start)} - {gap.end:%H:%M %Z}  {_minutes(gap.duration)}\n"
        )
    for overlap in report.overlaps:
        both = " and ".join(overlap.layers)
        out.write(
            f"  overlap  {_span(overlap.start, overlap.end)}  "
            f"{_minutes(overlap.duration)}  {both}\n"
        )
    return 0


class _PinnedClock:
    """The clock for ``--at``: always reads the instant given."""

    def __init__(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        return self._at


def _instant(text: str) -> datetime:
    """An aware ISO-8601 instant for ``--at`` (``Z`` or an offset is required)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        msg = f"not an ISO-8601 date-time: {text!r}"
        raise argparse.ArgumentTypeError(msg) from exc
    if value.tzinfo is None:
        msg = f"{text!r} has no UTC offset; add one, e.g. {text}Z or {text}+10:00"
        raise argparse.ArgumentTypeError(msg)
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, exposed for documentation tools."""
    parser = argparse.ArgumentParser(prog="tocsin", description=tocsin.__doc__)
    parser.add_argument("--version", action="version", version=f"tocsin {tocsin.__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser(
        "demo", help="who is on call now and the next seven days, for a follow-the-sun schedule"
    )
    demo.add_argument(
        "--at",
        type=_instant,
        default=None,
        metavar="ISO-8601",
        help="use this instant as now (default: the system clock), e.g. 2026-03-10T14:00Z",
    )
    demo.set_defaults(func=_demo)
    return parser


#: The exit status for a reader that went away: what a command killed by SIGPIPE
#: reports (128 + 13), as ``yes | head`` shows.
_BROKEN_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    If whoever reads stdout stops early (``tocsin demo | head``), the command stops
    quietly with status 141 instead of printing a traceback.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    func = args.func
    try:
        result: int = func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
    except BrokenPipeError:
        _discard_stdout()
        return _BROKEN_PIPE
    return result


def _discard_stdout() -> None:
    """Point stdout's file descriptor at the null device.

    Python flushes stdout once more at exit; with the pipe gone that flush would fail
    and print "Exception ignored ...".  (The recipe of the Python docs, "Note on
    SIGPIPE".)
    """
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file: nothing to flush
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)
