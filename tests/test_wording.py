"""Known answers for lib.wording: one set of thresholds and words for every chapter."""

from __future__ import annotations

import pytest

from lib import wording


@pytest.mark.parametrize(("pct", "words"), [
    (93, "vrijwel iedereen"), (90, "vrijwel iedereen"), (89, "een ruime meerderheid"),
    (67, "een ruime meerderheid"), (66, "een meerderheid"), (51, "een meerderheid"),
    (50, "de helft"), (49, "een minderheid"), (31, "een minderheid"),
])
def test_share_words(pct, words):
    assert wording.share_words(pct) == words


def test_majority_is_more_than_half():
    assert not wording.is_majority(50)
    assert wording.is_majority(50.5)
    assert wording.majority_clause(31) == "geen meerderheid"
    assert wording.majority_clause(51) == "een meerderheid"


def test_far_ahead_needs_a_large_lead_and_twice_the_next_gap():
    # Tabel 6.2: vóór deelname 2,06 against 2,14 (not 'verreweg'), tijdens 3,11 against 3,38
    before = {"professionalisering": 2.06, "opleidingsprogramma": 2.14, "student": 2.30}
    during = {"professionalisering": 3.11, "opleidingsprogramma": 3.38, "student": 3.45}
    assert not wording.far_ahead(before, "professionalisering", lowest=True)
    assert wording.far_ahead(during, "professionalisering", lowest=True)
    assert not wording.far_ahead(during, "student", lowest=True)  # not the lowest at all
    # a large lead that is not twice the next gap is not 'verreweg'
    assert not wording.far_ahead({"a": 1.0, "b": 1.3, "c": 1.6}, "a", lowest=True)


def test_close_scores():
    assert wording.close_scores(3.52, 3.57)
    assert not wording.close_scores(3.52, 3.58)


def test_verdict_hedges_a_borderline_result_and_never_says_not_larger_than_chance():
    assert wording.verdict(False) == "niet aantoonbaar"
    assert wording.verdict(True, 0.001) == "groter dan toeval"
    assert wording.verdict(True, 0.040).startswith("groter dan toeval, maar dicht bij de grens")
    assert "p = 0,040" in wording.verdict(True, 0.040)


def test_trend_words_follow_the_test():
    assert wording.trend(72, 77, True, 2017, 2020) == "is gestegen van 72% (2017) naar 77% (2020)"
    text = wording.trend(74, 70, False, 2017, 2020)
    assert "gedaald" not in text and "gestegen" not in text
    assert text == "ging van 74% (2017) naar 70% (2020), zonder aantoonbare trend"
    assert wording.trend(70, 70, False, 2017, 2020).startswith("bleef 70%")


def test_contrast():
    assert wording.contrast(True) == "en"
    assert wording.contrast(False) == "maar"


def test_is_few():
    # §5.5: 'weet ik niet' at 4% to 10% per task "komt weinig voor"; 11% does not
    assert wording.is_few(4) and wording.is_few(10)
    assert not wording.is_few(11)


def test_spread_words():
    # Tabel 4.3: 81% of the coordinators against 11% of the uitvoerders sit in a stuurgroep
    assert wording.spread_words(81, 11) == "verschilt sterk"
    assert wording.spread_words(40, 10) == "verschilt sterk"
    assert wording.spread_words(39, 10) == "verschilt"
