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
  (ln mu1 - ln mu0) per period), summed in standard deviations of each period's count, signalling when it
  passes h.

Every method signals only when three things hold: its own statistic crosses its limit, the count is at
least ``min_count`` (a tiny category never fires), and the evidence is less likely by chance than alpha.
The chance is exact and allows for the baseline being itself a sample: given the baseline's count B and the
watched count C, were the rate the same in both, C would be Binomial(B + C, u / (U + u)) for exposures U
and u (the conditional test of two Poisson rates); over-dispersed (Laney's sigma_z > 1), its normal
equivalent is divided by sigma_z. That gate is what the false alarm design rests on: a check is one test at
level alpha (EWMA and CUSUM choose among ``watch_periods`` windows, so each is tested at alpha divided by
that), so over a year of ``checks_per_year`` checks on ``categories`` categories the chance of any false
alarm is at most ``1 - (1 - alpha) ** (categories * checks_per_year)``; `alpha_for` solves that for alpha
(5% a year over 20 categories of weekly checks: alpha = 4.9e-5 a check).
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


def binomial_sf(x: int, n: int, p: float) -> float:
    """P(X >= x) for X ~ Binomial(n, p), summed in logs from the shorter side."""
    if x <= 0:
        return 1.0
    if x > n or p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    lp, lq, ln_fact = math.log(p), math.log1p(-p), math.lgamma(n + 1)

    def pmf(k: int) -> float:
        return math.exp(ln_fact - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * lp + (n - k) * lq)

    if x <= n * p:
        return max(0.0, 1.0 - math.fsum(pmf(k) for k in range(x)))
    total = 0.0
    for k in range(x, n + 1):
        term = pmf(k)
        total += term
        if term < total * 1e-17:
            break
    return min(1.0, total)


def normal_sf(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2))


def normal_isf(p: float) -> float:
    """The z with normal_sf(z) == p (bisection: no scipy in a framework-free module)."""
    if p >= 0.5:
        return 0.0
    lo, hi = 0.0, 40.0
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if normal_sf(mid) > p else (lo, mid)
    return (lo + hi) / 2


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
            before, after = self.baseline_rate * 100, self.current_rate * 100
            rates = f"{before:.1f} to {after:.1f} per {exposure_unit} opened"
        else:
            rates = f"{self.baseline_rate:.1f} to {self.current_rate:.1f} a {unit}"
        return (
            f"Complaints about {what} rose from {rates}: {self.count} in {span} where "
            f"{self.expected:.1f} were expected at the usual rate. The chance of so many or more by chance "
            f"alone is {chance_in_words(self.probability)}. Method: {METHOD_NAMES[self.method]}."
        )


@dataclass(frozen=True)
class Limits:
    """The chart of a series: per period its count, the centre line and the upper limit, both in counts
    (the exposure may differ from period to period), for drawing and the table view."""

    centre: list[float]
    upper: list[float]
    lower: list[float]


@dataclass(frozen=True)
class Baseline:
    """The baseline window: its count, its units (exposure, or periods) and how over-dispersed it is."""

    count: int
    units: float
    sigma_z: float = 1.0

    @property
    def rate(self) -> float:
        return self.count / self.units


def baseline_of(counts: Sequence[int], units: Sequence[float]) -> Baseline | None:
    """None when there is no usual rate to speak of: no exposure, or no complaints at all (a category
    that never had one has no level to rise above, and its first complaints are not a special cause)."""
    total, all_units = sum(counts), sum(units)
    if total == 0 or all_units <= 0:
        return None
    rate = total / all_units
    return Baseline(total, all_units, laney_sigma_z(counts, [rate * u for u in units]))


def laney_sigma_z(counts: Sequence[int], expected: Sequence[float]) -> float:
    """Laney's sigma_z: how much more than Poisson the baseline varies (the mean moving range of its
    z-scores over 1.128). Never below 1: a quiet baseline does not narrow the limits."""
    z = [(c - e) / math.sqrt(e) for c, e in zip(counts, expected, strict=True) if e > 0]
    if len(z) < 3:
        return 1.0
    moving = sum(abs(b - a) for a, b in zip(z, z[1:], strict=False)) / (len(z) - 1)
    return max(1.0, moving / 1.128)


def probability(count: int, units: float, base: Baseline) -> float:
    """The chance of `count` or more in `units` of exposure were the baseline's rate unchanged: the exact
    conditional binomial tail, its normal equivalent divided by Laney's sigma_z when over-dispersed."""
    if units <= 0:
        return 1.0
    p = binomial_sf(count, count + base.count, units / (units + base.units))
    if base.sigma_z <= 1.0 or p >= 0.5:
        return p
    return normal_sf(normal_isf(p) / base.sigma_z) if p > 0 else normal_sf(38 / base.sigma_z)


def upper_limit(units: float, base: Baseline, alpha: float) -> float:
    """The least count in `units` whose chance (`probability`) is below alpha: the upper control limit."""
    mu = base.rate * units
    if mu <= 0:
        return math.inf
    lo, hi = int(mu), int(mu + 60 * math.sqrt(mu) * base.sigma_z + 60)
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (mid + 1, hi) if probability(mid, units, base) >= alpha else (lo, mid)
    return float(lo)


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
    units = [float(e) for e in exposure] if exposure is not None else [1.0] * n
    b0 = n - watch - params.baseline_periods
    base = baseline_of(counts[b0 : n - watch], units[b0 : n - watch])
    if base is None:
        return None
    if params.method == "poisson":
        # count >= upper limit is the same as its chance being below alpha: the limit is worked out only
        # for a signal (the gate below asks the chance anyway)
        first, statistic, limit = n - 1, float(counts[-1]), 0.0
        crossed = statistic > base.rate * units[-1]
    elif params.method == "ewma":
        first, statistic, limit = _ewma(counts, units, base, params)
        crossed = statistic >= limit
    else:
        first, statistic, limit = _cusum(counts, units, base, params)
        crossed = statistic > limit
    if not crossed:
        return None
    count, window = sum(counts[first:]), sum(units[first:])
    if count < params.min_count:
        return None
    p = probability(count, window, base)
    if p >= alpha / watch:  # EWMA and CUSUM choose among `watch` windows: each is tested at alpha / watch
        return None
    periods = n - first
    if params.method == "poisson":
        limit = upper_limit(units[-1], base, alpha)
    return Signal(
        method=params.method,
        period_index=n - 1,
        first_period_index=first,
        count=count,
        expected=base.rate * window,
        baseline_rate=base.rate,
        current_rate=count / window if exposure is not None else count / periods,
        probability=p,
        statistic=statistic,
        limit=limit,
        per_exposure=exposure is not None,
        over_dispersed=base.sigma_z > 1.0,
    )


def _standardised(count: int, units: float, base: Baseline) -> float:
    mu = base.rate * units
    return (count - mu) / (math.sqrt(mu) * base.sigma_z) if mu > 0 else 0.0


def _ewma(counts, units, base: Baseline, params: Parameters) -> tuple[int, float, float]:
    lam, n = params.ewma_lambda, len(counts)
    first = n - params.watch_periods
    z, run_start, limit = 0.0, first, 0.0
    for t, i in enumerate(range(first, n), start=1):
        if z <= 0.0:
            run_start = i  # the counts it points at: since it last rose above the centre
        z = lam * _standardised(counts[i], units[i], base) + (1 - lam) * z
        limit = params.ewma_l * math.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
    return run_start, z, limit


def _cusum(counts, units, base: Baseline, params: Parameters) -> tuple[int, float, float]:
    n = len(counts)
    s, run_start = 0.0, n - params.watch_periods
    for i in range(n - params.watch_periods, n):
        mu0 = base.rate * units[i]
        if mu0 <= 0:
            continue
        mu1 = mu0 * params.cusum_shift
        k = (mu1 - mu0) / (math.log(mu1) - math.log(mu0))
        if s == 0.0:
            run_start = i
        # in standard deviations of the period's count, so h means the same whatever the volume
        s = max(0.0, s + (counts[i] - k) / (math.sqrt(mu0) * base.sigma_z))
    return run_start, s, params.cusum_h


def chart(
    counts: Sequence[int], exposure: Sequence[float] | None, params: Parameters, *, alpha: float
) -> Limits:
    """The centre line and limits of each period, from the baseline window before it (as the u-chart's
    check at that period saw them); the first periods, without a full baseline, from what there is."""
    units = [float(e) for e in exposure] if exposure is not None else [1.0] * len(counts)
    centre, upper, lower = [], [], []
    for i in range(len(counts)):
        start = max(0, i - params.baseline_periods)
        base = baseline_of(counts[start:i], units[start:i]) if i > 0 else None
        if base is None:
            centre.append(0.0)
            upper.append(math.inf)
            lower.append(0.0)
            continue
        mu = base.rate * units[i]
        centre.append(mu)
        upper.append(upper_limit(units[i], base, alpha))
        lower.append(max(0.0, mu - 3 * math.sqrt(mu) * base.sigma_z))
    return Limits(centre=centre, upper=upper, lower=lower)
