"""Burn rates over 30 days of one-minute buckets: tocsin beside what people use instead.

Inputs: 43,200 one-minute buckets of (good, total) counts, deterministic, with a few
incidents and a few minutes without traffic.  Every implementation computes the burn
rate at every minute for the windows 5m, 30m, 1h, 6h, 1d and 3d (259,200 values) at a
99.9 % target, from the same Python lists:

* tocsin: ``CountSeries`` (validation and prefix sums included) and ``burn_rates``.
* plain loop: prefix sums and an index loop, as a careful user would write it.
* numpy: ``cumsum`` and vectorised differences (list conversion included).
* pandas: ``DataFrame.rolling(w, min_periods=1).sum()`` (DataFrame build included).
* slo-generator: one ``SLOReport`` per (window, minute), the object its ``compute``
  builds for every error-budget-policy step.  Its backend (normally a network query)
  is replaced by an in-memory backend that answers ``(good, bad)`` from prefix sums,
  so what is timed is slo-generator's own per-evaluation report computation.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_slo.py``).
"""

from __future__ import annotations

import argparse
import gc
import logging
import math
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from slo_generator.report import SLOReport

from tocsin.slo import CountSeries, ErrorBudget, Objective, RollingWindow, evaluate, sloth
from tocsin.time import Interval

if TYPE_CHECKING:
    from collections.abc import Callable

N = 43_200
MINUTE = timedelta(minutes=1)
WINDOWS = [5, 30, 60, 360, 1440, 4320]
TARGET = "99.9%"
BETA = 0.001
START = datetime(2026, 3, 1, tzinfo=UTC)


def make_inputs(seed: int = 6) -> tuple[list[int], list[int]]:
    rng = random.Random(seed)
    good: list[int] = []
    total: list[int] = []
    incidents = {rng.randrange(N) for _ in range(12)}
    # Twenty minutes without a single request (a drained region): 5-minute windows
    # there are empty, which is where NaN shows up in the peers.
    silent = range(20_000, 20_020)
    burning = 0
    for i in range(N):
        if i in incidents:
            burning = rng.randrange(5, 90)
        quiet = i in silent or rng.random() < 0.002
        t = 0 if quiet else rng.randrange(600, 1400)
        error_share = rng.uniform(0.02, 0.6) if burning else 0.0005
        burning = max(burning - 1, 0)
        bad = min(t, int(t * error_share + rng.random()))
        good.append(t - bad)
        total.append(t)
    return good, total


Result = list[list[float | None]]


def run_tocsin(good: list[int], total: list[int]) -> Result:
    series = CountSeries(START, MINUTE, good=good, total=total)
    return [series.burn_rates(w * MINUTE, TARGET) for w in WINDOWS]


def run_plain(good: list[int], total: list[int]) -> Result:
    cum_bad = [0]
    cum_total = [0]
    for g, t in zip(good, total, strict=True):
        cum_bad.append(cum_bad[-1] + t - g)
        cum_total.append(cum_total[-1] + t)
    out: Result = []
    for w in WINDOWS:
        rates: list[float | None] = []
        for i in range(1, len(total) + 1):
            j = i - w if i > w else 0
            t = cum_total[i] - cum_total[j]
            rates.append((cum_bad[i] - cum_bad[j]) / t / BETA if t else None)
        out.append(rates)
    return out


def run_numpy(good: list[int], total: list[int]) -> list[Any]:
    g = np.asarray(good, dtype=np.int64)
    t = np.asarray(total, dtype=np.int64)
    cum_bad = np.concatenate(([0], np.cumsum(t - g)))
    cum_total = np.concatenate(([0], np.cumsum(t)))
    idx = np.arange(1, len(t) + 1)
    out = []
    with np.errstate(invalid="ignore", divide="ignore"):
        for w in WINDOWS:
            lo = np.maximum(idx - w, 0)
            out.append((cum_bad[idx] - cum_bad[lo]) / (cum_total[idx] - cum_total[lo]) / BETA)
    return out


def run_pandas(good: list[int], total: list[int]) -> list[Any]:
    frame = pd.DataFrame({"total": total, "good": good})
    frame["bad"] = frame["total"] - frame["good"]
    out = []
    for w in WINDOWS:
        rolled = frame[["bad", "total"]].rolling(w, min_periods=1).sum()
        out.append((rolled["bad"] / rolled["total"] / BETA).to_numpy())
    return out


class ListBackend:
    """An slo-generator backend answering from in-memory prefix sums (no network)."""

    cum_good: list[int] = []  # noqa: RUF012 - set once before the run
    cum_total: list[int] = []  # noqa: RUF012
    start = int(START.timestamp())

    def __init__(self, client: object = None, **_: object) -> None:
        self.client = client

    def good_bad_ratio(self, timestamp: int, window: int, _config: object) -> tuple[int, int]:
        end = (timestamp - self.start) // 60 + 1
        lo = max(end - window // 60, 0)
        t = self.cum_total[end] - self.cum_total[lo]
        g = self.cum_good[end] - self.cum_good[lo]
        return g, t - g


SG_CONFIG = {
    "apiVersion": "sre.google.com/v2",
    "kind": "ServiceLevelObjective",
    "metadata": {"name": "bench", "labels": {}},
    "spec": {
        "description": "bench",
        "backend": "list",
        "method": "good_bad_ratio",
        "exporters": [],
        "service_level_indicator": {},
        "goal": 0.999,
    },
}
SG_BACKEND = {"class": "__main__.ListBackend"}


def run_slo_generator(good: list[int], total: list[int], every: int) -> tuple[int, list[Any]]:
    ListBackend.cum_good = list(accumulate(good, initial=0))
    ListBackend.cum_total = list(accumulate(total, initial=0))
    reports = 0
    sample = []
    for w in WINDOWS:
        step = {
            "name": f"{w}m",
            "window": w * 60,
            "burn_rate_threshold": 14.4,
            "alert": False,
            "message_alert": "page",
            "message_ok": "ok",
            "message_insufficient": "not enough events",
        }
        for i in range(0, len(total), every):
            report = SLOReport(SG_CONFIG, SG_BACKEND, step, ListBackend.start + 60 * i)
            reports += 1
            if i == 0 or i % 997 == 0:
                sample.append((w, i, report.valid, report.error_budget_burn_rate))
    return reports, sample


def best_of(repeat: int, fn: Callable[[], object]) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), times


def compare(exact: Result, other: list[Any]) -> tuple[float, int]:
    """Largest relative difference from tocsin's correctly rounded values, and how many
    empty windows came back as NaN instead of None."""
    worst = 0.0
    nans = 0
    for mine, theirs in zip(exact, other, strict=True):
        for a, b in zip(mine, theirs, strict=True):
            if a is None:
                nans += b is not None and math.isnan(b)
                continue
            if a:
                worst = max(worst, abs(float(b) - a) / a)
    return worst, nans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--sg-every", type=int, default=1, help="run slo-generator every Nth minute (1 = all)"
    )
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    good, total = make_inputs()
    evaluations = len(WINDOWS) * N

    rows: list[tuple[str, float, str]] = []
    t_tocsin, runs = best_of(args.repeat, lambda: run_tocsin(good, total))
    rows.append(("tocsin CountSeries.burn_rates", t_tocsin, _spread(runs)))
    t_plain, runs = best_of(args.repeat, lambda: run_plain(good, total))
    rows.append(("plain prefix-sum loop", t_plain, _spread(runs)))
    t_numpy, runs = best_of(args.repeat, lambda: run_numpy(good, total))
    rows.append(("numpy cumsum", t_numpy, _spread(runs)))
    t_pandas, runs = best_of(args.repeat, lambda: run_pandas(good, total))
    rows.append(("pandas rolling", t_pandas, _spread(runs)))

    gc.collect()
    t = time.perf_counter()
    reports, sg_sample = run_slo_generator(good, total, args.sg_every)
    t_sg = time.perf_counter() - t
    sg_per_eval = t_sg / reports

    # tocsin's full per-evaluation report (exact ErrorBudget), sampled every 60th minute.
    series = CountSeries(START, MINUTE, good=good, total=total)
    slo = Objective(TARGET, RollingWindow(timedelta(days=30)))

    def tocsin_reports() -> int:
        n = 0
        for w in WINDOWS:
            for i in range(0, N, 60):
                end = START + (i + 1) * MINUTE
                c = series.counts(Interval(end - w * MINUTE, end))
                ErrorBudget.from_counts(slo.target, w * MINUTE, good=c.good, total=c.total).consumed  # noqa: B018
                n += 1
        return n

    t = time.perf_counter()
    report_count = tocsin_reports()
    tocsin_report_each = (time.perf_counter() - t) / report_count

    t_eval, runs = best_of(
        max(args.repeat // 2, 1), lambda: sum(1 for _ in evaluate(slo, sloth(), series, name="b"))
    )

    exact = run_tocsin(good, total)
    plain_diff, plain_nan = compare(exact, run_plain(good, total))
    numpy_diff, numpy_nan = compare(exact, run_numpy(good, total))
    pandas_diff, pandas_nan = compare(exact, run_pandas(good, total))
    empty = sum(r is None for rates in exact for r in rates)

    print(f"{N:,} one-minute buckets x {len(WINDOWS)} windows = {evaluations:,} burn rates")
    print(f"best of {args.repeat} runs; 'runs' shows the spread (the machine is shared)\n")
    print(f"{'implementation':34} {'total s':>9} {'per eval':>10} {'vs tocsin':>10}  runs")
    for name, secs, spread in rows:
        each = secs / evaluations * 1e9
        print(f"{name:34} {secs:9.4f} {each:8.0f}ns {secs / t_tocsin:9.2f}x  {spread}")
    print(
        f"{'slo-generator SLOReport':34} {t_sg:9.2f} {sg_per_eval * 1e6:8.1f}us "
        f"{sg_per_eval / (t_tocsin / evaluations):9.0f}x  ({reports:,} reports, one run)"
    )
    print(
        f"{'tocsin ErrorBudget (exact report)':34} {'':9} {tocsin_report_each * 1e6:8.1f}us "
        f"{tocsin_report_each / (t_tocsin / evaluations):9.0f}x  ({report_count:,} sampled)"
    )
    print(f"{'tocsin evaluate(sloth()), 43,200 buckets':34} {t_eval:9.4f}")
    print()
    print(
        f"tocsin vs plain loop:         {t_tocsin / t_plain:6.2f}x the loop's time (target <= 1.5x)"
    )
    print(
        f"slo-generator per evaluation: {sg_per_eval / (t_tocsin / evaluations):6.0f}x slower "
        f"than tocsin (target >= 100x)"
    )
    print(
        f"slo-generator vs tocsin exact ErrorBudget per evaluation: "
        f"{sg_per_eval / tocsin_report_each:.1f}x"
    )
    print(f"numpy vs tocsin:              {t_tocsin / t_numpy:6.1f}x (tocsin has no numpy path)")
    print()
    print(f"empty windows (tocsin None):  {empty}")
    print(f"plain loop:  max relative difference {plain_diff:.1e}, NaN for empty: {plain_nan}")
    print(f"numpy:       max relative difference {numpy_diff:.1e}, NaN for empty: {numpy_nan}")
    print(f"pandas:      max relative difference {pandas_diff:.1e}, NaN for empty: {pandas_nan}")
    print(
        f"slo-generator sample (window, minute, valid, burn rate rounded to 0.1): {sg_sample[:3]}"
    )


def _spread(runs: list[float]) -> str:
    return f"median {statistics.median(runs):.4f}, max {max(runs):.4f}"


if __name__ == "__main__":
    main()
