"""Statistics against textbook values and against independent computations."""

import math

import numpy as np
import pytest

from lib import stats


def test_wilson_matches_newcombe_1998():
    # Newcombe (1998), Statistics in Medicine 17, table I: 81/263 → 0.2553 to 0.3662
    lo, hi = stats.wilson(81, 263)
    assert lo == pytest.approx(0.2553, abs=5e-5)
    assert hi == pytest.approx(0.3662, abs=5e-5)


def test_wilson_formula_and_edges():
    k, n, z = 124, 248, 1.959963984540054
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    assert stats.wilson(k, n) == pytest.approx((centre - half, centre + half))
    assert stats.wilson(0, 10)[0] == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError, match="0 ≤ k ≤ n"):
        stats.wilson(11, 10)


def test_chisquare_fit_mendel_peas():
    # Mendel's dihybrid cross: 315, 108, 101, 32 against 9:3:3:1 → χ² = 0.470, df 3, p = 0.925
    res = stats.chisquare_fit([315, 108, 101, 32], [9, 3, 3, 1])
    assert res.statistic == pytest.approx(0.470, abs=5e-4)
    assert res.df == 3
    assert res.p == pytest.approx(0.925, abs=5e-4)
    assert sum(res.expected) == pytest.approx(556)


def test_chisquare_fit_residuals_are_pearson_residuals():
    obs, shares = np.array([124, 93, 31]), np.array([41, 52, 17])
    exp = shares / shares.sum() * obs.sum()
    res = stats.chisquare_fit(obs, shares)
    assert res.residuals == pytest.approx(tuple((obs - exp) / np.sqrt(exp)))
    assert res.statistic == pytest.approx(float(np.sum((obs - exp) ** 2 / exp)))


def test_chisquare_independence_known_table():
    # 2×2 example without continuity correction: [[10, 20], [30, 40]] → χ² = 0.7937
    res = stats.chisquare_independence([[10, 20], [30, 40]])
    assert res.statistic == pytest.approx(0.79365, abs=1e-4)
    assert res.df == 1


def test_two_proportions_against_hand_formula():
    k1, n1, k2, n2 = 97, 124, 83, 93
    p = (k1 + k2) / (n1 + n2)
    z_hand = (k1 / n1 - k2 / n2) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    z, pval = stats.two_proportions(k1, n1, k2, n2)
    assert z == pytest.approx(z_hand)
    assert pval == pytest.approx(math.erfc(abs(z_hand) / math.sqrt(2)))


def test_cochran_armitage_agresti_malformation():
    # Agresti, Categorical Data Analysis (2002), §3.4: alcohol and malformation, scores
    # 0, 0.5, 1.5, 4, 7: linear-by-linear M² = 6.57, p = 0.0104 (two-sided, from M = 2.56)
    present = [48, 38, 5, 1, 1]
    absent = [17066, 14464, 788, 126, 37]
    totals = [a + b for a, b in zip(present, absent, strict=True)]
    z, p = stats.cochran_armitage(present, totals, [0, 0.5, 1.5, 4, 7])
    assert z**2 == pytest.approx(6.57, abs=0.01)
    assert p == pytest.approx(0.0104, abs=0.0005)
    assert z > 0  # malformation rises with alcohol


def test_cochran_armitage_classic_form_by_hand():
    # Equally spaced years: the classic Cochran–Armitage statistic (variance with N) computed
    # by hand equals the permutation form times sqrt(N / (N − 1)).
    k, n = np.array([10, 15, 20, 30]), np.array([100, 100, 100, 100])
    t = np.arange(4.0)
    p_bar, big_n = k.sum() / n.sum(), n.sum()
    stat = np.sum(t * (k - n * p_bar))
    var = p_bar * (1 - p_bar) * (np.sum(n * t**2) - np.sum(n * t) ** 2 / big_n)
    z_classic = stat / np.sqrt(var)
    z, _ = stats.cochran_armitage(list(k), list(n))
    assert z * np.sqrt(big_n / (big_n - 1)) == pytest.approx(z_classic)
    with pytest.raises(ValueError):
        stats.cochran_armitage([5, 120], [100, 100])


def test_published_percentages_are_tested_on_their_rounded_counts():
    # 58% of 25 = 14,5 → 15 (half up); 20% of 25 = 5
    assert stats.two_proportions_pct(58, 25, 20, 25) == stats.two_proportions(15, 25, 5, 25)
    # 54%, 57% and 58% of 1115, 1087 and 1108 → 602, 620 and 643 (half up)
    assert stats.trend_pct([54, 57, 58], [1115, 1087, 1108]) == stats.cochran_armitage(
        [602, 620, 643], [1115, 1087, 1108])
    z, p = stats.trend_pct([10, 20, 30], [100, 100, 100], [2018, 2019, 2020])
    assert z > 0 and p < 0.001  # a steady rise over equally spaced years


def test_holm_known_example():
    reject, adjusted = stats.holm([0.01, 0.04, 0.03])
    assert adjusted == pytest.approx([0.03, 0.06, 0.06])
    assert reject == [True, False, False]


def test_likert_mean_from_counts():
    mean, sd = stats.likert_mean([1, 2, 3, 4, 5])
    values = np.repeat([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])
    assert mean == pytest.approx(values.mean())
    assert sd == pytest.approx(values.std(ddof=1))


def test_counts_from_published_shares():
    # Tabel 4.3: 81% of 77, 47% of 38, 11% of 133 → 62 + 18 + 15 = 95 (the published total)
    assert stats.counts_from_shares([81, 47, 11], [77, 38, 133]) == [62, 18, 15]


@pytest.mark.parametrize(
    ("pct", "n", "count"),
    [
        (58, 25, 15),  # 14,5 exactly (the float 0.58 * 25 is 14.4999…)
        (50, 3, 2),  # 1,5
        (10, 5, 1),  # 0,5
        (30, 5, 2),  # 1,5
        (29, 50, 15),  # 14,5 (float: 14.4999…)
        (57, 50, 29),  # 28,5 (float: 28.4999…)
        (70, 45, 32),  # 31,5 (float: 31.4999…)
        (49, 50, 25),  # 24,5
        (12.5, 4, 1),  # 0,5
        (57, 25, 14),  # 14,25: below the half
    ],
)
def test_counts_from_shares_round_exact_halves_up(pct, n, count):
    assert stats.counts_from_shares([pct], [n]) == [count]
    assert stats.counts_from_shares(np.array([pct], dtype=float), np.array([n])) == [count]


def test_wilson_pct_uses_the_count_rounded_half_up():
    # 58% of 25 published: the count is 15, not 14
    assert stats.wilson_pct(58, 25) == pytest.approx(tuple(100 * b for b in stats.wilson(15, 25)))
