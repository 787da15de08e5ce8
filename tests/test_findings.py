"""Known answers for lib.findings: what the samenvatting and chapter 8 both state about the data."""

from __future__ import annotations

import pandas as pd

from lib import data, findings, lbm

SECTORS = ["po", "vo", "mbo"]


def _themes(before: dict[str, float], now: dict[str, float]) -> findings.Themes:
    return findings.Themes(pd.Series(before), pd.Series(now))


def test_themes_of_tabel_6_2():
    t62 = data.load("tabel_6_2_themas")
    th = findings.Themes(t62[t62.moment == "voor"].set_index("thema").gemiddelde,
                         t62[t62.moment == "tijdens"].set_index("thema").gemiddelde)
    assert th.higher_words() == "alle zes" and th.all_higher and th.majority_higher
    assert th.lowest_now == th.lowest_before == "professionalisering" and th.lowest_both
    assert round(th.gap_now, 2) == 0.27 and round(th.gap_before, 2) == 0.08
    assert list(th.top.index) == ["beoordeling", "student", "begeleiding"] and th.top_clear


def test_themes_flag_a_tie_and_a_change_of_lowest():
    th = _themes({"a": 2.0, "b": 2.5, "c": 2.6, "d": 2.7},
                 {"a": 3.2, "b": 3.1, "c": 3.4, "d": 3.4})
    assert th.lowest_now == "b" and th.lowest_before == "a" and not th.lowest_both
    tied = _themes({"a": 2, "b": 2, "c": 2, "d": 2}, {"a": 3.5, "b": 3.4, "c": 3.3, "d": 3.3})
    assert not tied.top_clear
    fewer = _themes({"a": 3, "b": 3, "c": 3}, {"a": 3.5, "b": 2.9, "c": 2.8})
    assert fewer.higher_words() == "één van de drie" and not fewer.majority_higher


def test_starred_sectors_in_words():
    assert findings.lbm_starred(["po"], SECTORS) == "alleen in het po"
    assert findings.lbm_starred([], SECTORS) == "in geen enkele sector"
    assert findings.lbm_starred(SECTORS, SECTORS) == "in alle drie de sectoren"


def test_tested_aspects_get_careful_words_near_the_threshold():
    t612 = data.load("tabel_6_12_lbm_sector")
    pabo, twee = data.load("tabel_6_10_lbm_pabo"), data.load("tabel_6_11_lbm_tweedegraads")
    tests = lbm.sector_tests(t612, pabo, twee)
    text = findings.tested_clause(tests, lbm.aspects(t612), SECTORS)
    # po: p = 0,005 after Holm (firm); vo: p = 0,020 (borderline, said so)
    assert text.startswith("alleen duidelijk bij ‘De voorbereiding op de beroepspraktijk’ in "
                           "het po en vo")
    assert "in het vo dicht bij de grens: p = 0,020 na correctie" in text
    assert "in het po dicht" not in text
    none = tests.assign(reject=False)
    assert findings.tested_clause(none, lbm.aspects(t612), SECTORS) == \
        "bij geen enkel aspect duidelijk"


def test_growth_connective_follows_the_majority():
    groei = pd.DataFrame({"pct": [31.0, 16.0, 15.0]},
                         index=["geen_groeiambitie", "meer_opleidingsplaatsen", "meer_partners"])
    g = findings.Growth.of(groei)
    assert g.most_chosen and not g.majority and g.connective() == "maar"
    groei.loc["geen_groeiambitie", "pct"] = 55.0
    g = findings.Growth.of(groei)
    assert g.majority and g.connective() == "en"


def test_lowest_po_notes_the_disagreement_with_tabel_6_10():
    t612 = data.load("tabel_6_12_lbm_sector")
    pabo, twee = data.load("tabel_6_10_lbm_pabo"), data.load("tabel_6_11_lbm_tweedegraads")
    skip = [*lbm.partly_published(t612, [pabo, twee]), lbm.SATISFIED]
    h6 = data.load("tekstcijfers_h6").set_index("id")
    cohorts = findings.cohorts(pabo, h6)
    assert sorted(cohorts.jaar.unique()) == [2018, 2019, 2020]  # the cohorts §6.5 names
    low = dict((i, (v, y)) for i, v, y in findings.lowest_po(t612, cohorts, skip))
    # Tabel 6.12 po 'ja' 50% against 55% (2018), 59% (2019), 57% (2020) in Tabel 6.10: 2017's
    # 63% is not one of the cohorts Tabel 6.12 adds up
    pct, years = low["curriculum_basisonderwijs"]
    assert pct == 50 and years == (55, 59)
    assert findings.per_year_note(years) == \
        "; per jaar geeft Tabel 6.10 55% tot 59%, zie erratum E-6-9"
    assert findings.per_year_note(None) == ""


def test_ends_of_tabel_5_3_and_induction():
    fte = data.load("tabel_5_3b_fte_per_taak")
    assert findings.clear_ends(fte) and findings.induction_low(fte)
    tied = fte.copy()
    tied.loc[tied.taak == "professionalisering_opleiders", "fte"] = 0.68  # ties the 3rd
    assert not findings.clear_ends(tied)


def test_far_lowest_words():
    before = pd.Series({"p": 2.06, "o": 2.14, "s": 2.30})
    now = pd.Series({"p": 3.11, "o": 3.38, "s": 3.45})
    assert findings.far_lowest_words(before, now, "p") == "dat klopt alleen voor nu"
    assert findings.far_lowest_words(now, now, "p") == ""
