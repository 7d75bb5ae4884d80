"""The ``demo`` subcommand: a follow-the-sun schedule, pinned to an instant with ``--at``."""

from __future__ import annotations

import pytest

import tocsin
from tocsin.cli import main

# 2026-03-10 is in the weeks when New York is on summer time and London is not: the
# January tiling has a 60-minute hole at 21:00Z and a 60-minute overlap at 13:00Z
# (reference/schedules.md section 5.2, table B).
EXPECTED_MARCH_10 = """\
  APAC  09:00-17:00 Australia/Sydney  ana, ali
  EMEA  06:00-14:00 Europe/London  eve, eli
  AMER  09:00-17:00 America/New_York  amy, abe
Where two regions overlap, the one listed later is on call.

Now: Tue 10 Mar 14:00 UTC
On call now: abe (AMER, Tue 10 Mar 10:00 EDT local)

The next seven days, in each region's local time:
APAC (Australia/Sydney)
  Wed 11 Mar 09:00-17:00 AEDT  ali
  Thu 12 Mar 09:00-17:00 AEDT  ali
  Fri 13 Mar 09:00-17:00 AEDT  ali
  Sat 14 Mar 09:00-17:00 AEDT  ali
  Sun 15 Mar 09:00-17:00 AEDT  ali
  Mon 16 Mar 09:00-17:00 AEDT  ana
  Tue 17 Mar 09:00-17:00 AEDT  ana
EMEA (Europe/London)
  Wed 11 Mar 06:00-13:00 GMT  eli
  Thu 12 Mar 06:00-13:00 GMT  eli
  Fri 13 Mar 06:00-13:00 GMT  eli
  Sat 14 Mar 06:00-13:00 GMT  eli
  Sun 15 Mar 06:00-13:00 GMT  eli
  Mon 16 Mar 06:00-13:00 GMT  eve
  Tue 17 Mar 06:00-13:00 GMT  eve
AMER (America/New_York)
  Tue 10 Mar 10:00-17:00 EDT  abe
  Wed 11 Mar 09:00-17:00 EDT  abe
  Thu 12 Mar 09:00-17:00 EDT  abe
  Fri 13 Mar 09:00-17:00 EDT  abe
  Sat 14 Mar 09:00-17:00 EDT  abe
  Sun 15 Mar 09:00-17:00 EDT  abe
  Mon 16 Mar 09:00-17:00 EDT  amy
  Tue 17 Mar 09:00-10:00 EDT  amy

Coverage: 95.83%; 7 gaps (420 min), 7 overlaps (420 min)
  gap      Tue 10 Mar 21:00 UTC - 22:00 UTC  60 min
  gap      Wed 11 Mar 21:00 UTC - 22:00 UTC  60 min
  gap      Thu 12 Mar 21:00 UTC - 22:00 UTC  60 min
  gap      Fri 13 Mar 21:00 UTC - 22:00 UTC  60 min
  gap      Sat 14 Mar 21:00 UTC - 22:00 UTC  60 min
  gap      Sun 15 Mar 21:00 UTC - 22:00 UTC  60 min
  gap      Mon 16 Mar 21:00 UTC - 22:00 UTC  60 min
  overlap  Wed 11 Mar 13:00-14:00 UTC  60 min  EMEA and AMER
  overlap  Thu 12 Mar 13:00-14:00 UTC  60 min  EMEA and AMER
  overlap  Fri 13 Mar 13:00-14:00 UTC  60 min  EMEA and AMER
  overlap  Sat 14 Mar 13:00-14:00 UTC  60 min  EMEA and AMER
  overlap  Sun 15 Mar 13:00-14:00 UTC  60 min  EMEA and AMER
  overlap  Mon 16 Mar 13:00-14:00 UTC  60 min  EMEA and AMER
  overlap  Tue 17 Mar 13:00-14:00 UTC  60 min  EMEA and AMER
"""


def test_demo_pinned_on_march_10(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--at", "2026-03-10T14:00:00Z"]) == 0
    out = capsys.readouterr().out
    header = f"tocsin {tocsin.__version__}: schedule 'follow-the-sun'\n"
    assert out == header + EXPECTED_MARCH_10


def test_demo_when_nobody_is_on_call(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--at", "2026-07-15T22:30:00+00:00"]) == 0
    out = capsys.readouterr().out
    assert "On call now: nobody; next: ali at Wed 15 Jul 23:00 UTC\n" in out
    # Sydney is on standard time and London on summer time: EMEA takes APAC's last two hours.
    assert "  Thu 16 Jul 09:00-15:00 AEST  ali\n" in out
    # 30 min from now, six 120-minute holes, and 90 min up to the window end.
    assert "Coverage: 91.67%; 8 gaps (840 min), 7 overlaps (840 min)\n" in out


def test_demo_accepts_any_offset_for_now(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--at", "2026-03-11T01:00:00+11:00"]) == 0
    assert "Now: Tue 10 Mar 14:00 UTC\n" in capsys.readouterr().out


def test_demo_refuses_a_naive_instant(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["demo", "--at", "2026-03-10T14:00"])
    assert info.value.code == 2
    assert "has no UTC offset" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["demo", "--at", "yesterday"])


def test_demo_reads_the_system_clock_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "\nNow: " in out
    assert "The next seven days, in each region's local time:" in out
