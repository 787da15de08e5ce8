"""Statistics the report uses: thin, tested wrappers over scipy and statsmodels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from scipy import stats as sps
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from lib import fmt


@dataclass(frozen=True)
class ChiSquare:
    statistic: float
    df: int
    p: float
    expected: tuple[float, ...]
    residuals: tuple[float, ...]
    """Standardised (Pearson) residuals (observed − expected) / √expected, one per category."""


def wilson(k: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval for a proportion ``k/n`` (as fractions 0–1)."""
    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"wilson: verwacht 0 ≤ k ≤ n en n > 0, kreeg k={k}, n={n}")
    lo, hi = proportion_confint(k, n, alpha=alpha, method="wilson")
    return float(lo), float(hi)


def wilson_pct(pct: float, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson interval (0–100) for a published percentage of ``n`` (count rounded half up)."""
    k = _count(pct, n)
    lo, hi = wilson(k, n, alpha)
    return 100 * lo, 100 * hi


def chisquare_fit(observed: Sequence[int], expected_shares: Sequence[float]) -> ChiSquare:
    """Goodness of fit of ``observed`` counts to a distribution given as shares (any scale)."""
    obs = np.asarray(observed, dtype=float)
    shares = np.asarray(expected_shares, dtype=float)
    if obs.shape != shares.shape or obs.size < 2:
        raise ValueError("chisquare_fit: evenveel (≥ 2) waarnemingen als verwachte aandelen nodig")
    exp = shares / shares.sum() * obs.sum()
    res = sps.chisquare(obs, exp)
    resid = (obs - exp) / np.sqrt(exp)
    return ChiSquare(float(res.statistic), obs.size - 1, float(res.pvalue),
                     tuple(map(float, exp)), tuple(map(float, resid)))


def chisquare_independence(table: Sequence[Sequence[int]]) -> ChiSquare:
    """Pearson chi-square test of independence for an r × c table (no continuity correction)."""
    arr = np.asarray(table, dtype=float)
    res = sps.chi2_contingency(arr, correction=False)
    resid = (arr - res.expected_freq) / np.sqrt(res.expected_freq)
    return ChiSquare(float(res.statistic), int(res.dof), float(res.pvalue),
                     tuple(map(float, res.expected_freq.ravel())), tuple(map(float, resid.ravel())))


def two_proportions(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float]:
    """Two-sided z-test for ``k1/n1`` vs ``k2/n2`` (pooled variance): returns ``(z, p)``."""
    z, p = proportions_ztest([k1, k2], [n1, n2])
    return float(z), float(p)


def cochran_armitage(successes: Sequence[int], totals: Sequence[int],
                     scores: Sequence[float] | None = None) -> tuple[float, float]:
    """Trend test for proportions over ordered groups (years): returns ``(z, two-sided p)``.

    statsmodels' linear-by-linear association test on the 2 × k table (with its default scores
    the Cochran–Armitage trend test, in the permutation form: variance with N − 1, so
    z² = Agresti's M²).
    """
    x = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    if x.shape != n.shape or x.size < 2 or np.any(x < 0) or np.any(x > n):
        raise ValueError("cochran_armitage: evenveel (≥ 2) aantallen als totalen, 0 ≤ k ≤ n")
    t = np.arange(len(x), dtype=float) if scores is None else np.asarray(scores, dtype=float)
    res = Table(np.column_stack([n - x, x])).test_ordinal_association(row_scores=t)
    return float(res.zscore), float(res.pvalue)


def trend_pct(pcts: Sequence[float], totals: Sequence[int],
              scores: Sequence[float] | None = None) -> tuple[float, float]:
    """:func:`cochran_armitage` on published percentages of known group sizes (counts rounded
    half up, :func:`counts_from_shares`): returns ``(z, two-sided p)``."""
    return cochran_armitage(counts_from_shares(pcts, totals), totals, scores)


def two_proportions_pct(pct1: float, n1: int, pct2: float, n2: int) -> tuple[float, float]:
    """:func:`two_proportions` on two published percentages of known group sizes (counts rounded
    half up): returns ``(z, p)``."""
    k1, k2 = counts_from_shares([pct1, pct2], [n1, n2])
    return two_proportions(k1, n1, k2, n2)


def holm(pvalues: Sequence[float], alpha: float = 0.05) -> tuple[list[bool], list[float]]:
    """Holm step-down correction: ``(reject, adjusted p)`` in the input order."""
    reject, adjusted, _, _ = multipletests(list(pvalues), alpha=alpha, method="holm")
    return [bool(r) for r in reject], [float(p) for p in adjusted]


def likert_mean(counts: Sequence[int], scale: Sequence[float] | None = None) -> tuple[float, float]:
    """Mean and standard deviation (n − 1) of a Likert item from its answer counts."""
    c = np.asarray(counts, dtype=float)
    s = np.arange(1, len(c) + 1, dtype=float) if scale is None else np.asarray(scale, dtype=float)
    n = c.sum()
    mean = float(np.sum(c * s) / n)
    var = float(np.sum(c * (s - mean) ** 2) / (n - 1))
    return mean, float(np.sqrt(var))


def counts_from_shares(shares_pct: Sequence[float], totals: Sequence[int]) -> list[int]:
    """Counts implied by published percentages of known group sizes (rounded half up)."""
    return [_count(p, n) for p, n in zip(shares_pct, totals, strict=True)]


def _count(pct: float, n: int) -> int:
    """``pct`` % of ``n`` rounded half up, in decimal arithmetic: 58% of 25 = 14,5 → 15 (the
    float ``0.58 * 25`` is 14.4999…)."""
    return int(fmt.round_half_up(Decimal(str(pct)) * Decimal(str(n)) / 100))
