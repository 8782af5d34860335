"""The control methods alone (no Django): probabilities, limits, signals, and the false alarm design."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amends.monitoring import spc


def poisson_draw(rng: random.Random, mu: float) -> int:
    """Knuth's method: enough for the means here (below 100), and deterministic with a seeded rng."""
    limit, k, product = math.exp(-mu), 0, 1.0
    while True:
        product *= rng.random()
        if product < limit:
            return k
        k += 1


def test_the_poisson_tail_is_exact():
    # P(X >= 3 | 2) = 1 - e^-2 (1 + 2 + 2)
    assert spc.poisson_sf(3, 2.0) == pytest.approx(1 - math.exp(-2) * 5, rel=1e-12)
    assert spc.poisson_sf(0, 5.0) == 1.0
    # far out in the tail it stays a probability, not 0 from cancellation
    assert 0 < spc.poisson_sf(60, 20.0) < 1e-11


@settings(max_examples=60, deadline=None, derandomize=True)
@given(mu=st.floats(0.5, 80), x=st.integers(0, 200))
def test_the_tail_falls_as_the_count_rises(mu, x):
    assert spc.poisson_sf(x + 1, mu) <= spc.poisson_sf(x, mu) <= 1.0


def test_alpha_keeps_a_year_of_checks_on_twenty_categories_under_five_percent():
    alpha = spc.alpha_for(0.05, 20, 52)
    assert alpha == pytest.approx(4.93e-5, rel=0.01)
    assert 1 - (1 - alpha) ** (20 * 52) == pytest.approx(0.05)
    assert spc.Parameters().alpha == alpha


def test_the_conditional_test_of_two_rates_is_the_exact_binomial_tail():
    """10 this week against 20 in ten weeks before: were the rate the same, this week's share of the 30
    would be Binomial(30, 1/11)."""
    base = spc.Baseline(count=20, units=10.0)
    by_hand = sum(math.comb(30, k) * (1 / 11) ** k * (10 / 11) ** (30 - k) for k in range(10, 31))
    assert spc.probability(10, 1.0, base) == pytest.approx(by_hand, rel=1e-9)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(rate=st.floats(1, 60), sigma_z=st.sampled_from([1.0, 1.4]))
def test_the_upper_limit_is_the_least_count_below_alpha(rate, sigma_z):
    alpha = spc.alpha_for(0.05, 20, 52)
    base = spc.Baseline(count=round(rate * 26) or 1, units=26.0, sigma_z=sigma_z)
    upper = int(spc.upper_limit(1.0, base, alpha))
    assert spc.probability(upper, 1.0, base) < alpha <= spc.probability(upper - 1, 1.0, base)


@pytest.mark.parametrize("method", spc.METHODS)
def test_a_tripling_signals_and_says_from_what_to_what(method):
    rng = random.Random(13)
    counts = [poisson_draw(rng, 20) for _ in range(30)] + [60, 62]
    signal = spc.check(counts, None, spc.Parameters(method=method))
    assert signal is not None and signal.method == method
    assert signal.period_index == len(counts) - 1
    assert 15 < signal.baseline_rate < 25 and signal.current_rate > 1.5 * signal.baseline_rate
    assert signal.probability < spc.Parameters().alpha
    words = signal.describe("Current account (product)")
    assert words.startswith("Complaints about Current account (product) rose from ")
    assert "less than 1 in a million" in words and words.endswith(f"Method: {spc.METHOD_NAMES[method]}.")


def test_rates_per_exposure_allow_for_a_busier_week():
    """Twice the complaints in a week with twice the cases opened is the usual rate, not a rise."""
    counts = [20] * 26 + [50]
    exposure = [1000.0] * 26 + [2500.0]
    assert spc.check(counts, exposure, spc.Parameters()) is None
    assert spc.check(counts, None, spc.Parameters()) is not None


def test_a_tiny_category_never_fires():
    counts = [0] * 25 + [1, 4]  # 4 where 0.04 were expected: wildly unlikely, and still only 4
    assert spc.check(counts, None, spc.Parameters(min_count=5)) is None
    assert spc.check(counts, None, spc.Parameters(min_count=3)) is not None


def test_over_dispersion_widens_the_limits_laney():
    rng = random.Random(5)
    wobbly = [poisson_draw(rng, 20 if i % 2 else 40) for i in range(26)]
    expected = [sum(wobbly) / 26] * 26
    sigma_z = spc.laney_sigma_z(wobbly, expected)
    assert sigma_z > 1.5
    wide = spc.Baseline(count=780, units=26.0, sigma_z=sigma_z)
    assert spc.upper_limit(1.0, wide, 1e-4) > spc.upper_limit(1.0, spc.Baseline(780, 26.0), 1e-4)
    assert spc.laney_sigma_z([20] * 26, [20.0] * 26) == 1.0  # never narrower than Poisson


def test_parameters_out_of_range_are_named():
    assert spc.validate(spc.Parameters()) == {}
    with pytest.raises(ValueError, match="ewma_lambda"):
        spc.Parameters(ewma_lambda=0)
    with pytest.raises(ValueError, match="method"):
        spc.Parameters(method="xbar")


@pytest.mark.parametrize("method", spc.METHODS)
def test_steady_data_raises_few_false_alarms_over_many_years(method):
    """Twenty categories of steady Poisson weeks (means 3 to 60), checked weekly for ten years each: the
    design allows a 5% chance of any false alarm a year, so about one alarm in twenty years; ten years
    of twenty categories must see at most two (the chance of three or more is about 1%)."""
    rng = random.Random(2026)
    params = spc.Parameters(method=method)
    alarms = 0
    for category in range(20):
        mu = 3 + 57 * category / 19
        counts = [poisson_draw(rng, mu) for _ in range(30 + 520)]
        for end in range(30, len(counts)):
            if spc.check(counts[: end + 1], None, params) is not None:
                alarms += 1
    assert alarms <= 2


def test_the_chart_gives_each_period_its_limits():
    counts = [20] * 27 + [60]
    limits = spc.chart(counts, None, spc.Parameters(), alpha=1e-4)
    assert len(limits.upper) == len(counts)
    assert limits.centre[-1] == pytest.approx(20)
    assert counts[-1] > limits.upper[-1] > limits.centre[-1] > limits.lower[-1]


def test_chance_in_words():
    assert spc.chance_in_words(1 / 1234) == "about 1 in 1,200"
    assert spc.chance_in_words(1e-9) == "less than 1 in a million"
