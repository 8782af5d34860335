"""Statistical process control on complaint levels (CFACSC7 K1): when does a level move beyond chance?

Framework-free: a series of counts per period (a week by default), with the exposure of each period where
there is one (all cases opened that week), in; a `Signal` (or None) out. Three methods, each named and with
its parameters:

- ``poisson`` (a u-chart with exact Poisson limits, Laney's u' when over-dispersed): the latest period's
  count against the rate of the baseline window. The chance of so many or more is the exact Poisson upper
  tail; when the baseline varies more than Poisson allows (Laney's sigma_z > 1, from the moving ranges of
  the baseline's z-scores), the z-score is divided by sigma_z and the chance is the normal tail of that.
- ``ewma`` (lambda, L): an exponentially weighted moving average of the standardised counts of the watched
  periods, started in control; it crosses L times its standard deviation on a small sustained shift.
- ``cusum`` (shift, h): a Poisson CUSUM tuned to a rise by the factor ``shift`` (k = (mu1 - mu0) /
  (ln mu1 - ln mu0) per period), signalling when it passes h expected periods' worth.

Every method signals only when three things hold: its own statistic crosses its limit, the count is at
least ``min_count`` (a tiny category never fires), and the evidence is less likely by chance than
``alpha`` (the exact probability of the counts it points at, at the baseline rate). That last gate is what
the false alarm design rests on: a check is one test at level alpha whatever the method, so over a year of
``checks_per_year`` checks on ``categories`` categories the chance of any false alarm is at most
``1 - (1 - alpha) ** (categories * checks_per_year)``; `alpha_for` solves that for alpha (5% a year over 20
categories of weekly checks: alpha = 4.9e-5 a check).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

METHODS = ("poisson", "ewma", "cusum")
METHOD_NAMES = {
    "poisson": "u-chart with exact Poisson limits (Laney's u' when over-dispersed)",
    "ewma": "EWMA (exponentially weighted moving average)",
    "cusum": "Poisson CUSUM (cumulative sum)",
}


@dataclass(frozen=True)
class Parameters:
    method: str = "poisson"
    baseline_periods: int = 26  # the window the usual rate is read from, just before the watched periods
    watch_periods: int = 4  # EWMA and CUSUM: the recent periods they run over (poisson watches one)
    min_count: int = 5  # a period (or run) with fewer complaints than this never signals
    yearly_false_alarm_rate: float = 0.05  # across every category watched
    categories: int = 20  # how many categories the rate is shared among (at least)
    checks_per_year: int = 52
    ewma_lambda: float = 0.3
    ewma_l: float = 3.0
    cusum_shift: float = 1.5
    cusum_h: float = 4.0

    def __post_init__(self) -> None:
        problems = validate(self)
        if problems:
            raise ValueError("; ".join(f"{k}: {v}" for k, v in problems.items()))

    @property
    def alpha(self) -> float:
        return alpha_for(self.yearly_false_alarm_rate, self.categories, self.checks_per_year)


def validate(p: Parameters) -> dict[str, str]:
    """What is wrong with these parameters, by name (empty when nothing is)."""
    problems = {}
    if p.method not in METHODS:
        problems["method"] = f"one of {', '.join(METHODS)}"
    if not 4 <= p.baseline_periods <= 104:
        problems["baseline_periods"] = "between 4 and 104"
    if not 1 <= p.watch_periods <= 26:
        problems["watch_periods"] = "between 1 and 26"
    if not 1 <= p.min_count <= 10_000:
        problems["min_count"] = "between 1 and 10000"
    if not 0.0001 <= p.yearly_false_alarm_rate <= 0.5:
        problems["yearly_false_alarm_rate"] = "between 0.0001 and 0.5"
    if not 1 <= p.categories <= 10_000:
        problems["categories"] = "between 1 and 10000"
    if not 1 <= p.checks_per_year <= 366:
        problems["checks_per_year"] = "between 1 and 366"
    if not 0.01 <= p.ewma_lambda <= 1:
        problems["ewma_lambda"] = "between 0.01 and 1"
    if not 0.5 <= p.ewma_l <= 10:
        problems["ewma_l"] = "between 0.5 and 10"
    if not 1.05 <= p.cusum_shift <= 10:
        problems["cusum_shift"] = "between 1.05 and 10"
    if not 0.5 <= p.cusum_h <= 100:
        problems["cusum_h"] = "between 0.5 and 100"
    return problems


def alpha_for(yearly_rate: float, categories: int, checks_per_year: int) -> float:
    """The per-check false alarm probability that keeps the chance of any false alarm in a year, over
    `categories` categories checked `checks_per_year` times each, at `yearly_rate` (Sidak)."""
    tests = max(1, categories) * max(1, checks_per_year)
    return -math.expm1(math.log1p(-yearly_rate) / tests)


# --- probabilities ------------------------------------------------------------------------------------


def poisson_sf(x: int, mu: float) -> float:
    """P(X >= x) for X ~ Poisson(mu), summed from x upwards in logs (exact to rounding, even far out)."""
    if x <= 0:
        return 1.0
    if mu <= 0:
        return 0.0
    if x <= mu:  # the lower tail is the short sum here
        return max(0.0, 1.0 - sum(math.exp(_log_pmf(k, mu)) for k in range(x)))
    total, k = 0.0, x
    term = math.exp(_log_pmf(k, mu))
    while term > 0 and (total == 0 or term > total * 1e-17):
        total += term
        k += 1
        term *= mu / k
    return min(1.0, total)


def _log_pmf(k: int, mu: float) -> float:
    return k * math.log(mu) - mu - math.lgamma(k + 1)


def normal_sf(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2))


def chance_in_words(p: float) -> str:
    """'about 1 in 1,200' for people; tiny ones are said as 'less than 1 in a million'."""
    if p <= 0 or p < 1e-6:
        return "less than 1 in a million"
    if p >= 0.5:
        return "about even"
    one_in = 1 / p
    digits = max(0, int(math.floor(math.log10(one_in))) - 1)
    rounded = round(one_in, -digits)
    return f"about 1 in {int(rounded):,}"


# --- the check ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signal:
    """A level that moved beyond chance: what, from what to what, how unlikely, and the evidence."""

    method: str
    period_index: int  # the period checked (the series' last)
    first_period_index: int  # where the counts it points at begin (a CUSUM's run, an EWMA's window)
    count: int  # complaints in those periods
    expected: float  # what the baseline rate expected of them
    baseline_rate: float  # per period, or per unit of exposure
    current_rate: float
    probability: float  # of `count` or more at the baseline rate
    statistic: float
    limit: float
    per_exposure: bool
    over_dispersed: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.count / self.expected if self.expected > 0 else math.inf

    def describe(self, what: str, *, unit: str = "week", exposure_unit: str = "100 cases") -> str:
        """In words a complaints lead reads: what moved, from what to what, how unlikely."""
        periods = self.period_index - self.first_period_index + 1
        span = f"the last {periods} {unit}s" if periods > 1 else f"the last {unit}"
        if self.per_exposure:
            scale = 100.0
            rates = f"{self.baseline_rate * scale:.1f} to {self.current_rate * scale:.1f} per {exposure_unit}"
        else:
            rates = f"{self.baseline_rate:.1f} to {self.current_rate:.1f} a {unit}"
        return (
            f"Complaints about {what} rose from {rates}: {self.count} in {span} where "
            f"{self.expected:.1f} were expected at the usual rate. The chance of so many or more by chance "
            f"alone is {chance_in_words(self.probability)} ({METHOD_NAMES[self.method]})."
        )


@dataclass(frozen=True)
class Limits:
    """The chart of a series: per period its count, the centre line and the upper limit, both in counts
    (the exposure may differ from period to period), for drawing and the table view."""

    centre: list[float]
    upper: list[float]
    lower: list[float]


def check(
    counts: Sequence[int], exposure: Sequence[float] | None, params: Parameters, *, alpha: float | None = None
) -> Signal | None:
    """Does the last period of `counts` (or the watched periods ending with it) signal? `exposure` is
    each period's exposure (the same length), or None to compare counts per period. `alpha` overrides the
    parameters' own (a caller that knows how many categories it watches)."""
    alpha = params.alpha if alpha is None else alpha
    n = len(counts)
    watch = 1 if params.method == "poisson" else params.watch_periods
    if exposure is not None and len(exposure) != n:
        raise ValueError("counts and exposure differ in length")
    if n < watch + params.baseline_periods:
        return None
    base = slice(n - watch - params.baseline_periods, n - watch)
    rate = baseline_rate(counts[base], exposure[base] if exposure is not None else None)
    if rate is None:
        return None
    expected = [rate * (exposure[i] if exposure is not None else 1.0) for i in range(n)]
    sigma_z = laney_sigma_z(counts[base], expected[base])
    if params.method == "poisson":
        return _shewhart(counts, expected, rate, sigma_z, params, alpha, exposure is not None)
    if params.method == "ewma":
        return _ewma(counts, expected, rate, sigma_z, params, alpha, exposure is not None)
    return _cusum(counts, expected, rate, sigma_z, params, alpha, exposure is not None)


def baseline_rate(counts: Sequence[int], exposure: Sequence[float] | None) -> float | None:
    """The usual rate: complaints per unit of exposure (or per period). None when there is no baseline
    to speak of (no exposure, or no complaints at all: a category that never had one has no usual rate to
    rise above, and its first complaints are not a special cause)."""
    total = sum(counts)
    if total == 0:
        return None
    if exposure is None:
        return total / len(counts)
    units = sum(exposure)
    return total / units if units > 0 else None


def laney_sigma_z(counts: Sequence[int], expected: Sequence[float]) -> float:
    """Laney's sigma_z: how much more than Poisson the baseline varies (the mean moving range of its
    z-scores over 1.128). Never below 1: a quiet baseline does not narrow the limits."""
    z = [(c - e) / math.sqrt(e) for c, e in zip(counts, expected, strict=True) if e > 0]
    if len(z) < 3:
        return 1.0
    moving = sum(abs(b - a) for a, b in zip(z, z[1:], strict=False)) / (len(z) - 1)
    return max(1.0, moving / 1.128)


def probability(count: int, expected: float, sigma_z: float) -> float:
    """The chance of `count` or more where `expected` were expected: the exact Poisson tail, or, when the
    baseline is over-dispersed (sigma_z > 1), the normal tail of Laney's widened z-score."""
    if sigma_z <= 1.0:
        return poisson_sf(count, expected)
    z = (count - expected) / (math.sqrt(expected) * sigma_z)
    return normal_sf(z)


def _signal(
    method: str,
    counts: Sequence[int],
    expected: Sequence[float],
    first: int,
    rate: float,
    sigma_z: float,
    params: Parameters,
    alpha: float,
    per_exposure: bool,
    statistic: float,
    limit: float,
) -> Signal | None:
    last = len(counts) - 1
    count = sum(counts[first:])
    mu = sum(expected[first:])
    if count < params.min_count or mu <= 0:
        return None
    p = probability(count, mu, sigma_z)
    if p >= alpha:
        return None
    periods = last - first + 1
    current = count / (mu / rate) if per_exposure else count / periods
    return Signal(
        method=method,
        period_index=last,
        first_period_index=first,
        count=count,
        expected=mu,
        baseline_rate=rate,
        current_rate=current,
        probability=p,
        statistic=statistic,
        limit=limit,
        per_exposure=per_exposure,
        over_dispersed=sigma_z > 1.0,
    )


def _shewhart(counts, expected, rate, sigma_z, params, alpha, per_exposure) -> Signal | None:
    last = len(counts) - 1
    upper = upper_limit(expected[last], sigma_z, alpha)
    if counts[last] < upper:
        return None
    return _signal(
        "poisson", counts, expected, last, rate, sigma_z, params, alpha, per_exposure, counts[last], upper
    )


def upper_limit(mu: float, sigma_z: float, alpha: float) -> float:
    """The least count whose chance (`probability`) is below alpha: the chart's upper control limit."""
    if mu <= 0:
        return math.inf
    if sigma_z > 1.0:
        # the normal quantile by bisection on its tail (no scipy in a framework-free module)
        lo, hi = 0.0, 40.0
        for _ in range(80):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if normal_sf(mid) >= alpha else (lo, mid)
        return mu + hi * math.sqrt(mu) * sigma_z
    x = max(0, int(mu))
    while poisson_sf(x, mu) >= alpha:
        x += 1
    return float(x)


def _ewma(counts, expected, rate, sigma_z, params, alpha, per_exposure) -> Signal | None:
    lam, n = params.ewma_lambda, len(counts)
    first = n - params.watch_periods
    z = 0.0
    for t, i in enumerate(range(first, n), start=1):
        z = lam * (counts[i] - expected[i]) / (math.sqrt(expected[i]) * sigma_z) + (1 - lam) * z
        limit = params.ewma_l * math.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
    if z < limit:
        return None
    return _signal("ewma", counts, expected, first, rate, sigma_z, params, alpha, per_exposure, z, limit)


def _cusum(counts, expected, rate, sigma_z, params, alpha, per_exposure) -> Signal | None:
    n = len(counts)
    s, run_start, limit = 0.0, n - params.watch_periods, params.cusum_h
    for i in range(n - params.watch_periods, n):
        mu0 = expected[i]
        mu1 = mu0 * params.cusum_shift
        k = (mu1 - mu0) / (math.log(mu1) - math.log(mu0))
        # in units of the expected count, so h means "h periods' worth" whatever the volume
        step = (counts[i] - k) / (mu0 * sigma_z) if mu0 > 0 else 0.0
        if s == 0.0:
            run_start = i
        s = max(0.0, s + step)
    if s <= limit:
        return None
    return _signal("cusum", counts, expected, run_start, rate, sigma_z, params, alpha, per_exposure, s, limit)


def chart(
    counts: Sequence[int], exposure: Sequence[float] | None, params: Parameters, *, alpha: float
) -> Limits:
    """The centre line and limits for each period of a series, each from the baseline window before it
    (as the check at that period saw them); the first periods, without a full baseline, from what there is."""
    centre, upper, lower = [], [], []
    for end in range(1, len(counts) + 1):
        start = max(0, end - 1 - params.baseline_periods)
        base = slice(start, end - 1) if end > 1 else slice(0, 1)
        rate = baseline_rate(counts[base], exposure[base] if exposure is not None else None)
        if rate is None:
            centre.append(0.0)
            upper.append(0.0)
            lower.append(0.0)
            continue
        mu_at = [rate * (exposure[i] if exposure is not None else 1.0) for i in range(len(counts))]
        sigma_z = laney_sigma_z(counts[base], mu_at[base])
        mu = mu_at[end - 1]
        centre.append(mu)
        upper.append(upper_limit(mu, sigma_z, alpha))
        lower.append(max(0.0, mu - 3 * math.sqrt(mu) * sigma_z) if mu > 0 else 0.0)
    return Limits(centre=centre, upper=upper, lower=lower)
