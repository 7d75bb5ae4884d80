from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tocsin.errors import InvalidInput
from tocsin.noise import FLAP_SAMPLES, ChangeCount, PercentStateChange, percent_state_change

ALTERNATING = [i % 2 == 0 for i in range(21)]


def test_case_48_alternating_samples_flap() -> None:
    # 20 changes weighted 0.80..1.18 (Sensu Go's totalStateChange) sum to 19.8: 99 %.
    # (Reference case 48 reads the weights as 0.82..1.20 and gets 101 %; Sensu's
    # loop adds 0.80 for the first change and raises the weight after each sample.)
    assert percent_state_change(ALTERNATING) == 99
    assessment = PercentStateChange(high=50, low=25).assess(ALTERNATING, was_flapping=False)
    assert assessment.flapping
    assert assessment.measure == 99


def test_weights_favour_recent_changes() -> None:
    # One change between the oldest two samples weighs 0.80 -> 80 / 20 = 4 %;
    # one between the newest two weighs 1.18 -> 5.9, truncated to 5 %.
    assert percent_state_change([False] + [True] * 20) == 4
    assert percent_state_change([True] * 20 + [False]) == 5
    # Changes into samples 11..20 (10 changes, weights 1.00..1.18) sum to 10.9 -> 54 %.
    assert percent_state_change([True] * 11 + [i % 2 == 1 for i in range(10)]) == 54


def test_weights_follow_sensu_go_change_by_change() -> None:
    # Sensu computes uint32(float32(19.8) / 20 * 100) = 98 for 21 alternating samples;
    # the exact value, which tocsin reports, is 99.  Changes into samples 1, 3, 7, 8
    # and 10 weigh 0.80 + 0.84 + 0.92 + 0.94 + 0.98 = 4.48 -> 22.4 %, where Sensu's
    # float32 gives 22.399999 and so 22 as well: they agree when truncation is clear.
    states = [False, True, True, False, False, False, False, True, False, False, True]
    states += [True] * 10
    assert percent_state_change(states) == 22


def test_fewer_than_21_samples_give_zero() -> None:
    assert FLAP_SAMPLES == 21
    assert percent_state_change(ALTERNATING[:20]) == 0
    result = PercentStateChange().assess(ALTERNATING[:20], was_flapping=True)
    assert not result.flapping
    assert "20 of 21 samples" in result.reason


def test_only_the_last_21_samples_count() -> None:
    assert percent_state_change([True, False] * 30 + [True] * 21) == 0


def test_hysteresis_keeps_flapping_until_at_or_below_low() -> None:
    detector = PercentStateChange(high=50, low=25)
    # 28 %: not enough to start flapping, enough to keep flapping.
    thirty = [True] * 15 + [i % 2 == 0 for i in range(6)]
    assert percent_state_change(thirty) == 28
    assert not detector.assess(thirty, was_flapping=False).flapping
    assert detector.assess(thirty, was_flapping=True).flapping
    # Exactly the low threshold stops it (Sensu keeps flapping only while > low).
    quiet = [True] * 16 + [i % 2 == 0 for i in range(5)]
    assert percent_state_change(quiet) == 23
    assert not detector.assess(quiet, was_flapping=True).flapping
    assert not PercentStateChange(high=50, low=23).assess(quiet, was_flapping=True).flapping


def test_case_49_alerta_counts_changes_in_the_window() -> None:
    t0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
    samples = [
        (t0 - timedelta(minutes=1), "ok"),
        (t0, "critical"),
        (t0 + timedelta(minutes=5), "ok"),
        (t0 + timedelta(minutes=10), "critical"),
    ]
    detector = ChangeCount(window=timedelta(seconds=1800), count=2)
    assert not detector.assess(samples[:3], t0 + timedelta(minutes=5)).flapping
    third = detector.assess(samples, t0 + timedelta(minutes=10))
    assert third.flapping
    assert third.measure == 3
    # Forty minutes on, only the T+10 change is left in the window.
    assert detector.changes(samples, t0 + timedelta(minutes=40)) == 1
    assert not detector.assess(samples, t0 + timedelta(minutes=40)).flapping


def test_unchanged_samples_are_not_changes() -> None:
    t0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
    samples = [(t0 + timedelta(minutes=i), "critical") for i in range(5)]
    assert ChangeCount().changes(samples, t0 + timedelta(minutes=5)) == 0


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: PercentStateChange(high=101), "high"),
        (lambda: PercentStateChange(low=-1), "low"),
        (lambda: PercentStateChange(high=20, low=30), "low"),
        (lambda: PercentStateChange(high=True), "high"),
        (lambda: ChangeCount(window=timedelta(0)), "window"),
        (lambda: ChangeCount(count=-1), "count"),
    ],
)
def test_bad_detectors_name_the_field(build: object, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        build()  # type: ignore[operator]
    assert info.value.field == field
