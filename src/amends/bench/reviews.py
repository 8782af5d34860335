"""`amends bench reviews [--years N] [--json]`: the special-review trigger's methods on simulated weeks.

For each method (monitoring.spc, default parameters): false alarms over N simulated years of 20 categories
of steady Poisson weeks (means 3 to 60 a week), against the design's 5% chance a year of any; how often and
how fast a sustained rise (x1.5, x2, x3 on 20 a week) is caught within 12 weeks; and the time of one check.
Framework-free and seeded: the same figures on any machine but the time.
"""

from __future__ import annotations

import math
import random
import time

from amends.monitoring import spc

CATEGORIES = 20
RISES = (1.5, 2.0, 3.0)
RUNS = 100
WITHIN = 12


def _draw(rng: random.Random, mu: float) -> int:
    limit, k, product = math.exp(-mu), 0, 1.0
    while True:
        product *= rng.random()
        if product < limit:
            return k
        k += 1


def measure(*, years: int = 25, seed: int = 7) -> list[dict]:
    results = []
    for method in spc.METHODS:
        rng = random.Random(seed)
        params = spc.Parameters(method=method)
        warm = params.baseline_periods + params.watch_periods
        alarms = checks = 0
        started = time.perf_counter()
        for category in range(CATEGORIES):
            mu = 3 + 57 * category / (CATEGORIES - 1)
            counts = [_draw(rng, mu) for _ in range(warm + 52 * years)]
            for end in range(warm, len(counts)):
                checks += 1
                alarms += spc.check(counts[: end + 1], None, params) is not None
        per_check_ms = (time.perf_counter() - started) * 1000 / checks
        row = {
            "name": method,
            "parameters": {k: v for k, v in params.__dict__.items() if k != "checks_per_year"},
            "alpha": params.alpha,
            "category_years": CATEGORIES * years,
            "checks": checks,
            "false_alarms": alarms,
            "false_alarms_expected_at_most": round(-math.log1p(-params.yearly_false_alarm_rate) * years, 2),
            "check_ms": round(per_check_ms, 3),
        }
        for rise in RISES:
            weeks = []
            for _ in range(RUNS):
                counts = [_draw(rng, 20) for _ in range(warm)]
                for week in range(1, WITHIN + 1):
                    counts.append(_draw(rng, 20 * rise))
                    if spc.check(counts, None, params) is not None:
                        weeks.append(week)
                        break
            row[f"caught_x{rise:g}"] = len(weeks) / RUNS
            row[f"weeks_to_catch_x{rise:g}"] = round(sum(weeks) / len(weeks), 2) if weeks else None
        results.append(row)
    return results
