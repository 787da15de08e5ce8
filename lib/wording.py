"""The words the book uses for sizes, differences and test results, with their thresholds.

One module for every chapter, so "een ruime meerderheid", "verreweg", "vrijwel iedereen" and
"dicht bij elkaar" mean the same thing everywhere. Each function returns the words for the data it
is given; a chapter glues them (or guards a typed sentence with the same threshold).

Thresholds (and why):

- ``MAJORITY``: more than half (``> 50%``) is a majority; exactly half is "de helft".
- ``LARGE_MAJORITY``: two thirds or more is "een ruime meerderheid" (or "verreweg de meesten").
- ``NEARLY_ALL``: 90% or more is "vrijwel iedereen" / "vrijwel alle".
- ``CLOSE_SCORE``: mean scores on a 1-4 scale within 0,05 point are "dicht bij elkaar" (below
  the 0,01 rounding of the tables times five: no reader would call them different).
- ``FAR_SCORE``: a lead of at least 0,20 point on a 1-4 scale, and at least twice the gap to the
  next, is "verreweg" (0,27 against 0,08 in Tabel 6.2 is; 0,08 is not).
- ``CLOSE_PCT``: percentages within 2 percentage points are "vrijwel even groot".
- ``FEW``: an answer given by at most one in ten (10%) "komt weinig voor".
- ``ALPHA``: every test in the book uses 0,05, after Holm's correction where several tests
  answer one question; ``BORDERLINE``: an adjusted p between 0,01 and 0,05 is reported as a
  result near the threshold, not as a firm finding.
"""

from __future__ import annotations

from collections.abc import Mapping

from lib import fmt

ALPHA = 0.05
BORDERLINE = 0.01
MAJORITY = 50.0
LARGE_MAJORITY = 200.0 / 3
NEARLY_ALL = 90.0
CLOSE_SCORE = 0.05
FAR_SCORE = 0.20
CLOSE_PCT = 2.0
FEW = 10.0
EPS = 1e-9


def is_majority(pct: float) -> bool:
    """More than half."""
    return pct > MAJORITY + EPS


def share_words(pct: float) -> str:
    """How large a share of people is, in words: ``vrijwel iedereen``, ``een ruime
    meerderheid``, ``een meerderheid``, ``de helft`` or ``een minderheid``."""
    if pct >= NEARLY_ALL - EPS:
        return "vrijwel iedereen"
    if pct >= LARGE_MAJORITY - EPS:
        return "een ruime meerderheid"
    if is_majority(pct):
        return "een meerderheid"
    if abs(pct - MAJORITY) <= EPS:
        return "de helft"
    return "een minderheid"


def majority_clause(pct: float) -> str:
    """``een meerderheid`` or ``geen meerderheid`` (for "…, maar dat is {}")."""
    return "een meerderheid" if is_majority(pct) else "geen meerderheid"


def close_scores(a: float, b: float) -> bool:
    """Are two mean scores (1-4 scale) so close that the book calls them level?"""
    return abs(a - b) <= CLOSE_SCORE + EPS


def far_ahead(scores: Mapping[str, float], key: str, *, lowest: bool = False) -> bool:
    """Is ``key`` "verreweg" the highest (``lowest``: the lowest) of ``scores``?"""
    ordered = sorted(scores.values(), reverse=not lowest)
    if len(ordered) < 3 or scores[key] != ordered[0]:
        return False
    lead, next_gap = abs(ordered[0] - ordered[1]), abs(ordered[1] - ordered[2])
    return lead >= FAR_SCORE - EPS and lead >= 2 * next_gap - EPS


def verdict(reject: bool, p_adjusted: float | None = None) -> str:
    """What a test says, for prose: ``groter dan toeval``, ``groter dan toeval, maar dicht bij
    de grens (p = 0,040 na correctie)`` or ``niet aantoonbaar`` (no evidence either way)."""
    if not reject:
        return "niet aantoonbaar"
    if p_adjusted is not None and p_adjusted >= BORDERLINE:
        return (f"groter dan toeval, maar dicht bij de grens ({fmt.pvalue(p_adjusted)} na "
                "correctie)")
    return "groter dan toeval"


def trend(before: float, after: float, reject: bool, first: int, last: int) -> str:
    """A percentage over time, worded as the trend test found it, for ``Het aandeel {}``:
    ``is gestegen van 72% (2017) naar 77% (2020)`` when the test finds a trend, otherwise
    ``ging van 74% (2017) naar 70% (2020), zonder aantoonbare trend``."""
    if reject:
        return fmt.change_pct(before, after, first, last)
    if abs(after - before) <= EPS:
        return f"bleef {fmt.pct(after)} ({first} en {last}), zonder aantoonbare trend"
    return (f"ging van {fmt.pct(before)} ({first}) naar {fmt.pct(after)} ({last}), zonder "
            "aantoonbare trend")


def contrast(same_direction: bool) -> str:
    """The connective between two glued findings: ``en`` when they point the same way, ``maar``
    when they do not."""
    return "en" if same_direction else "maar"


def is_few(pct: float) -> bool:
    """Does an answer given by ``pct`` percent "weinig voorkomen" (at most :data:`FEW`)?"""
    return pct <= FEW + EPS


LARGE_SPREAD = 30.0  # percentage points between the highest and the lowest group


def spread_words(highest: float, lowest: float) -> str:
    """How a share differs between groups, for ``Dat {} per geleding``: ``verschilt sterk`` when
    the highest and the lowest group lie at least :data:`LARGE_SPREAD` percentage points apart
    (Tabel 4.3: 81% against 11%), else ``verschilt``."""
    return "verschilt sterk" if highest - lowest >= LARGE_SPREAD - EPS else "verschilt"
