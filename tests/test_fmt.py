"""Dutch formatting: known answers, including rounding of halves."""

from decimal import Decimal

import numpy as np
import pytest

from lib import fmt


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1746, 0, "1.746"),
        (1234567.891, 2, "1.234.567,89"),
        (3.375, 2, "3,38"),  # half up (Babel alone gives 3,38 only by luck of binary floats)
        (2.345, 2, "2,35"),  # Babel alone: 2,34 (half to even)
        (2.5, 0, "3"),
        (0.5, 0, "1"),
        (-0.4, 0, "0"),  # no "-0"
        (-2.5, 0, "-3"),
        (33.7, 1, "33,7"),
        (7703, 0, "7.703"),
    ],
)
def test_number(value, decimals, expected):
    assert fmt.number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (14.5, 0, Decimal(15)),
        (1.5, 0, Decimal(2)),
        (2.5, 0, Decimal(3)),
        (-2.5, 0, Decimal(-3)),  # half away from zero
        (2.345, 2, Decimal("2.35")),  # the float is 2.34499…; read as printed
        (Decimal("14.5"), 0, Decimal(15)),
        (Decimal(58) * 25 / 100, 0, Decimal(15)),  # 58% of 25, computed exactly
        (np.float64(0.125), 2, Decimal("0.13")),
    ],
)
def test_round_half_up(value, decimals, expected):
    assert fmt.round_half_up(value, decimals) == expected


def test_percentages_and_shares():
    assert fmt.pct(54) == "54%"
    assert fmt.pct(37.5, 1) == "37,5%"
    assert fmt.pct(12.5) == "13%"
    assert fmt.share(71, 110) == "65%"
    assert fmt.share(2598, 7703, 1) == "33,7%"


def test_missing_values_say_not_published():
    assert fmt.number(None) == fmt.NOT_PUBLISHED
    assert fmt.pct(float("nan")) == fmt.NOT_PUBLISHED


def test_stated_values_keep_their_precision():
    assert fmt.stated(30, "procent", "bijna") == "bijna 30%"
    assert fmt.stated(600, "aantal", "meer_dan") == "meer dan 600"
    assert fmt.stated(66.7, "procent", "circa") == "ongeveer 67%"
    assert fmt.stated(1250000, "euro", "exact") == "€ 1.250.000"
    with pytest.raises(ValueError, match="onbekende precisie"):
        fmt.stated(1, "aantal", "misschien")


def test_comparison_words():
    assert fmt.compare(50, 37) == "hoger"
    assert fmt.compare(13, 15) == "lager"
    assert fmt.compare(3.51, 3.50, tolerance=0.02) == "even hoog"
    assert fmt.change(58, 62) == "gestegen"
    assert fmt.change(74, 69) == "gedaald"
    assert fmt.change(70, 70) == "gelijk gebleven"


def test_pvalue():
    assert fmt.pvalue(0.0002) == "p < 0,001"
    assert fmt.pvalue(0.0312) == "p = 0,03"
    assert fmt.pvalue(0.0049) == "p = 0,005"


def test_markdown_escaping_neutralises_markup():
    poisoned = "<img src=x onerror=alert(1)> | *vet* {glue}`x` [link](javascript:alert(1))"
    out = fmt.md_escape(poisoned)
    assert "<" not in out and ">" not in out
    assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in out
    assert "\\|" in out and "\\*vet\\*" in out and "\\{glue\\}\\`x\\`" in out
    assert "\\[link\\]\\(javascript" in out
    assert fmt.md_escape("R&D") == "R&amp;D"
