"""Dutch formatting: known answers, including rounding of halves."""

import html
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.myst_blocks import myst_block_plugin

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
    assert fmt.share(1, 8) == "13%"  # 12,5 rounds up
    with pytest.raises(ValueError, match="totaal 0"):
        fmt.share(3, 0)


def test_missing_values_say_not_published():
    assert fmt.number(None) == fmt.NOT_PUBLISHED
    assert fmt.pct(float("nan")) == fmt.NOT_PUBLISHED
    assert fmt.number(np.float32("nan")) == fmt.NOT_PUBLISHED


@pytest.mark.parametrize(
    "value", [None, float("nan"), np.nan, np.float32("nan"), np.float64("nan"), pd.NA, pd.NaT,
              Decimal("NaN")], ids=repr)
def test_is_missing_recognises_missing_scalars(value):
    assert fmt.is_missing(value)


@pytest.mark.parametrize(
    "value", [0, 0.0, np.float32(1.5), np.int64(0), "", "n.g.", Decimal(0),
              [None], [float("nan")], np.array([np.nan]), (pd.NA,)], ids=repr)
def test_is_missing_only_for_missing_scalars(value):
    assert not fmt.is_missing(value)


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


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (0.0, "p < 0,001"),
        (0.0002, "p < 0,001"),
        (0.000999, "p < 0,001"),
        (0.001, "p = 0,001"),
        (0.0049, "p = 0,005"),
        (0.00999, "p = 0,010"),
        (0.0312, "p = 0,031"),
        (0.0496, "p = 0,050"),  # just under 0,05: never "p = 0,05"
        (0.05, "p = 0,050"),
        (0.0994, "p = 0,099"),
        (0.1, "p = 0,10"),
        (0.312, "p = 0,31"),
        (0.925, "p = 0,93"),
        (1, "p = 1,00"),
    ],
)
def test_pvalue(p, expected):
    assert fmt.pvalue(p) == expected


@pytest.mark.parametrize("p", [float("nan"), np.float32("nan"), None, -0.01, 1.0001, 5])
def test_pvalue_rejects_impossible_values(p):
    with pytest.raises(ValueError, match="p-waarde ligt tussen 0 en 1"):
        fmt.pvalue(p)


def test_markdown_escaping_neutralises_markup():
    poisoned = "<img src=x onerror=alert(1)> | *vet* {glue}`x` [link](javascript:alert(1))"
    out = fmt.md_escape(poisoned)
    assert "<" not in out and ">" not in out
    assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in out
    assert "\\|" in out and "\\*vet\\*" in out and "\\{glue\\}\\`x\\`" in out
    assert "\\[link\\]\\(javascript" in out
    assert fmt.md_escape("R&D") == "R&amp;D"


_MYST = MarkdownIt("commonmark").use(myst_block_plugin)  # myst_blocks: "%" line comments


@pytest.mark.parametrize(
    "text",
    ["% geen commentaar", "1. geen lijst", "12) geen lijst", "+ geen lijst", "- geen lijst",
     "# geen kop", "> geen citaat", "1.5 keer zoveel", "42% van de scholen", "2020.", "R&D"],
)
def test_escaped_text_is_one_plain_paragraph(text):
    """Parsed as MyST does at the start of a line: one paragraph showing exactly the text."""
    escaped = fmt.md_escape(text)
    assert [t.type for t in _MYST.parse(escaped)] == [
        "paragraph_open", "inline", "paragraph_close"], escaped
    rendered = _MYST.render(escaped).strip()
    assert rendered.startswith("<p>") and rendered.endswith("</p>"), rendered
    assert html.unescape(rendered[3:-4]) == text


def test_escaping_of_percent_and_list_markers():
    assert fmt.md_escape("% x") == "\\% x"
    assert fmt.md_escape("50%") == "50\\%"
    assert fmt.md_escape("1. a") == "1\\. a"
    assert fmt.md_escape("  3. a") == "  3\\. a"
    assert fmt.md_escape("1) a") == "1\\) a"
    assert fmt.md_escape("1.5 keer") == "1.5 keer"  # a decimal point is not a list marker
    assert fmt.md_escape("+ a") == "\\+ a"
    assert fmt.md_escape("- a") == "\\- a"
    assert fmt.md_escape("# a") == "\\# a"


def test_join_enumerates_in_dutch():
    assert fmt.join(["po"]) == "po"
    assert fmt.join(["po", "vo"]) == "po en vo"
    assert fmt.join(["po", "vo", "mbo"]) == "po, vo en mbo"
    assert fmt.join(i for i in (3, 6, 7)) == "3, 6 en 7"  # any iterable; parts become str
    with pytest.raises(ValueError, match="niets om op te sommen"):
        fmt.join([])


def test_scores_percentage_points_and_p_cells():
    assert fmt.score(3.575) == "3,58"  # two decimals, half up
    assert fmt.score(3) == "3,00"
    assert fmt.pct_points(-4) == "4 procentpunt"  # the size; the sentence says which way
    assert fmt.pct_points(2.5) == "3 procentpunt"
    assert fmt.pct_points(2.25, 1) == "2,3 procentpunt"
    assert fmt.pvalue_cell(0.0312) == "0,031"
    assert fmt.pvalue_cell(0.312) == "0,31"
    assert fmt.pvalue_cell(0.0002) == "< 0,001"


def test_verdict_cell_words_follow_the_reject_flag():
    # prose words for a test result: lib.wording.verdict (tests/test_wording.py)
    assert fmt.verdict_cell(True) == "groter dan toeval"
    assert fmt.verdict_cell(False) == "niet aangetoond"


def test_change_of_a_percentage_over_time():
    assert fmt.change_pct(74, 70, 2017, 2020) == "is gedaald van 74% (2017) naar 70% (2020)"
    assert fmt.change_pct(69, 76, 2017, 2020) == "is gestegen van 69% (2017) naar 76% (2020)"
    assert fmt.change_pct(70, 70, 2017, 2020) == "is gelijk gebleven op 70% (2017 en 2020)"


def test_rank_word():
    values = {"a": 3.1, "b": 2.9, "c": 3.0}
    assert fmt.rank_word(values, "a") == "het hoogst"
    assert fmt.rank_word(values, "b") == "het laagst"
    assert fmt.rank_word(values, "c") == "tussen de andere in"
    assert fmt.rank_word({"a": 3.1, "b": 3.1, "c": 2.0}, "b") == "het hoogst"  # shared first


def test_date_is_written_in_dutch():
    assert fmt.date("2026-11-30") == "30 november 2026"
    assert fmt.date("2027-03-01") == "1 maart 2027"
    with pytest.raises(ValueError):
        fmt.date("30-11-2026")
