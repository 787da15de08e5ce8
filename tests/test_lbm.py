"""lib.lbm against small hand-made Loopbaanmonitor tables whose answers follow from the numbers.

Shares and group sizes are chosen so that the counts are whole (60% of 200 = 120); the test
statistics are checked against their textbook formulas, not against lib.stats.
"""

import math

import numpy as np
import pandas as pd
import pytest

from lib import data, lbm

LABELS = {"a": "Het niveau van de opleiding.", "b": "Alleen de pabo?", "c": "Alleen later gevraagd",
          "totaal": "Totaal %"}


def _sector_table(cells: dict[tuple[str, str], tuple[float, float, float]],
                  n: dict[str, tuple[int, int, int]]) -> pd.DataFrame:
    """Tabel 6.12 in long form: ``cells[(item, sector)]`` = % ja, nee, weet niet; ``n[sector]``."""
    rows = [{"item": it, "label": LABELS[it], "sector": s, "opleidingsschool": g, "pct": p,
             "n": n[s][k]}
            for (it, s), pcts in cells.items()
            for k, (g, p) in enumerate(zip(lbm.GROUPS, pcts, strict=True))]
    rows += [{"item": "totaal", "label": LABELS["totaal"], "sector": s, "opleidingsschool": g,
              "pct": 100.0, "n": n[s][k]} for s in n for k, g in enumerate(lbm.GROUPS)]
    return pd.DataFrame(rows)


#                ja  nee  weet niet
T612 = _sector_table({
    ("a", "po"): (80, 50, 60), ("a", "vo"): (60, 50, 55), ("a", "mbo"): (50, 50, 50),
    ("b", "po"): (70, 70, 70), ("b", "vo"): (60, 40, 50), ("b", "mbo"): (55, 30, 40),
    ("c", "po"): (10, 90, 50), ("c", "vo"): (10, 90, 50), ("c", "mbo"): (10, 90, 50),
}, n={"po": (1000, 1000, 100), "vo": (200, 100, 40), "mbo": (100, 100, 20)})


def _z_two_proportions(k1: int, n1: int, k2: int, n2: int) -> float:
    pooled = (k1 + k2) / (n1 + n2)
    return (k1 / n1 - k2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))


def _p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


def test_aspects_are_quoted_without_closing_punctuation():
    assert lbm.aspects(T612) == {"a": "‘Het niveau van de opleiding’", "b": "‘Alleen de pabo’",
                                 "c": "‘Alleen later gevraagd’", "totaal": "‘Totaal %’"}


def test_only_in_and_partly_published():
    pabo = pd.DataFrame({"item": ["a", "a", "b", "c", "c"],
                         "pct": [60, 61, 70, np.nan, 40]})
    tweede = pd.DataFrame({"item": ["a", "c"], "pct": [50, 55]})
    assert lbm.only_in(pabo, tweede) == ["b"]
    # c lacks a value in one year of the pabo table; a, b and the N row have all theirs
    assert lbm.partly_published(T612, [pabo, tweede]) == ["c"]


def test_ja_nee_tests_skip_untested_aspects_and_correct_with_holm():
    t = lbm.ja_nee_tests(T612, skip=["c"], po_only=["b"], alpha=0.05)
    assert list(zip(t["item"], t["sector"], strict=True)) == [
        ("a", "po"), ("a", "vo"), ("a", "mbo"), ("b", "po")]
    assert t["aspect"].iloc[0] == LABELS["a"]
    assert t["verschil"].tolist() == [30, 10, 0, 0]
    # counts: 800/1000 against 500/1000; 120/200 against 50/100; then equal shares (z = 0)
    z = [_z_two_proportions(800, 1000, 500, 1000), _z_two_proportions(120, 200, 50, 100), 0, 0]
    assert t["z"].tolist() == pytest.approx(z, abs=1e-9)
    p = [_p(v) for v in z]
    assert t["p"].tolist() == pytest.approx(p, rel=1e-6, abs=1e-12)
    assert z[1] == pytest.approx(1.6475, abs=1e-3) and p[1] > 0.05  # not significant by itself
    # Holm over four tests: the first (p tiny) stays; 0,099 > 0,05 / 3 stops the procedure
    assert t["reject"].tolist() == [True, False, False, False]
    assert t["p_holm"].tolist() == pytest.approx([4 * p[0], 3 * p[1], 1, 1], rel=1e-6)


def test_lowest_keeps_ties_and_leaves_out_skipped_aspects():
    # po 'ja': a 80, b 70, c 10 (skipped) → b; vo 'ja': a 60, b 60 → both
    assert lbm.lowest(T612, "po", skip=["c"]) == [("b", 70)]
    assert lbm.lowest(T612, "vo", skip=["c"]) == [("a", 60), ("b", 60)]
    assert lbm.lowest(T612, "mbo") == [("c", 10)]


def _year_table() -> pd.DataFrame:
    """Tabel 6.10 in long form: the overall satisfaction over three years, plus another aspect."""
    shares = {"ja": ([50, 60, 70], 100), "nee": ([40, 40, 40], 50),
              "weet_niet": ([80, 75, 70], 20)}
    rows = [{"item": lbm.SATISFIED, "label": "Alles bij elkaar", "opleidingsschool": g,
             "jaar": j, "pct": p, "n": n}
            for g, (pcts, n) in shares.items()
            for j, p in zip([2017, 2018, 2019], pcts, strict=True)]
    rows += [{"item": "a", "label": "Aspect a", "opleidingsschool": g, "jaar": j,
              "pct": np.nan if (g, j) == ("nee", 2017) else 10.0, "n": n}
             for g, (_, n) in shares.items() for j in [2017, 2018, 2019]]
    return pd.DataFrame(rows)


def _z_trend(counts: list[int], n: int, years: list[int]) -> float:
    """Cochran–Armitage in its permutation form: z = √(N − 1) · r (year against success)."""
    t = np.repeat(years, n)
    x = np.concatenate([np.r_[np.ones(k), np.zeros(n - k)] for k in counts])
    return math.sqrt(len(x) - 1) * float(np.corrcoef(t, x)[0, 1])


def test_trend_tests_per_group():
    tr = lbm.trend_tests({"pabo": _year_table()}, alpha=0.05).set_index("groep")
    assert list(tr.index) == ["ja", "nee", "weet_niet"]
    assert tr.loc["ja", ["j0", "j1", "v0", "v1", "verandering"]].tolist() == [
        2017, 2019, 50, 70, 20]
    assert tr["verandering"].tolist() == [20, 0, -10]
    z_ja = _z_trend([50, 60, 70], 100, [2017, 2018, 2019])  # √299 · 1/6 ≈ 2,88
    z_wn = _z_trend([16, 15, 14], 20, [2017, 2018, 2019])
    assert z_ja == pytest.approx(math.sqrt(299) / 6)
    assert tr["z"].tolist() == pytest.approx([z_ja, 0, z_wn], abs=1e-9)
    assert tr.loc["nee", "p"] == pytest.approx(1)  # a constant share: no trend at all
    # Holm over three: 3 · p(ja) ≈ 0,012 < 0,05; the others are far from it
    assert tr["reject"].tolist() == [True, False, False]
    assert tr.loc["ja", "p_holm"] == pytest.approx(3 * _p(z_ja), rel=1e-6)


def test_trend_sentences():
    trend = lbm.trend_tests({"pabo": _year_table()}, alpha=0.05)
    # only 'ja' has a trend after Holm: only there "gestegen"; the others move without one
    assert lbm.trend_sentence(trend, "pabo") == (
        "Het aandeel dat alles bij elkaar (zeer) tevreden is over de opleiding bij wie stage liep "
        "op een opleidingsschool is gestegen van 50% (2017) naar 70% (2019); bij wie dat niet "
        "deed bleef 40% (2017 en 2019), zonder aantoonbare trend; bij wie het niet weet ging van "
        "80% (2017) naar 70% (2019), zonder aantoonbare trend")
    # p ≈ 0,012 after Holm: found, but near the threshold
    assert lbm.trend_test_sentence(trend, "pabo") == (
        "Een trendtoets over de jaren (Cochran–Armitage) vindt een verandering die groter is dan "
        "toeval bij 'ja'; bij 'ja' ligt de p-waarde na correctie dicht bij de grens")
    trend["p_holm"] = 0.001
    trend["reject"] = [True, False, True]
    assert lbm.trend_test_sentence(trend, "pabo").endswith("bij 'ja' en 'weet niet'")
    trend["reject"] = False
    assert lbm.trend_test_sentence(trend, "pabo") == (
        "Een trendtoets over de jaren (Cochran–Armitage) vindt bij geen van de drie groepen een "
        "trend: die is niet aantoonbaar")
    assert "gedaald" not in lbm.trend_sentence(trend, "pabo")


def test_a_group_without_a_value_in_the_last_year_is_said_not_printed():
    t = _year_table()
    t.loc[(t["item"] == lbm.SATISFIED) & (t["opleidingsschool"] == "nee")
          & (t["jaar"] == 2019), "pct"] = float("nan")
    trend = lbm.trend_tests({"pabo": t}, alpha=0.05)
    zin = lbm.trend_sentence(trend, "pabo")
    assert "n.g." not in zin
    assert ("bij wie dat niet deed bleef 40% (2017 en 2018), zonder aantoonbare trend (voor "
            "2019 is er in deze groep nog geen cijfer)") in zin


def test_years_with_value():
    t = _year_table()
    t.loc[(t["item"] == lbm.SATISFIED) & (t["jaar"] == 2017), "pct"] = float("nan")
    assert lbm.years_with_value([t, _year_table()], lbm.SATISFIED) == [2018, 2019]
    assert lbm.years_with_value([_year_table()], lbm.SATISFIED) == [2017, 2018, 2019]


def test_by_year_has_every_published_cell_with_groups_under_each_other():
    t = lbm.by_year(_year_table())
    assert list(t.columns) == ["aspect", "groep", 2017, 2018, 2019]
    # two aspects and the N row, three groups each; the label only on a block's first row
    assert t["aspect"].tolist() == ["Alles bij elkaar", "", "", "Aspect a", "", "", "Totaal N",
                                    "", ""]
    assert t["groep"].tolist() == list(lbm.GROUPS) * 3
    assert t.loc[0, [2017, 2019]].tolist() == ["50%", "70%"]  # ja
    assert t.loc[2, 2018] == "75%"  # weet niet
    assert pd.isna(t.loc[4, 2017])  # not published: the table shows n.g.
    assert t.loc[4, 2018] == "10%"
    assert t.loc[6, 2017] == "100" and t.loc[7, 2019] == "50" and t.loc[8, 2018] == "20"


def test_by_sector_is_the_published_table():
    t = lbm.by_sector(T612)
    # four aspects (the N row's 'Totaal %' too) and the 'Totaal N' rows, three sectors each
    assert len(t) == 5 * 3
    assert t["aspect"].tolist()[:4] == [LABELS["a"], "", "", LABELS["b"]]
    assert t["sector"].tolist()[:3] == ["po", "vo", "mbo"]
    assert t.loc[1, ["ja", "nee", "weet_niet"]].tolist() == ["60%", "50%", "55%"]
    assert t.loc[12].tolist() == ["Totaal N", "po", "1.000", "1.000", "100"]
    assert t.loc[14, "aspect"] == ""


def test_satisfied_by_year_adds_a_wilson_band():
    t = lbm.satisfied_by_year(_year_table())
    assert len(t) == 9 and set(t["item"]) == {lbm.SATISFIED}
    first = t.iloc[0]
    # 50 of 100: Wilson 95% interval 40,38% – 59,62% (textbook value)
    assert (first["laag"], first["hoog"]) == pytest.approx((40.38, 59.62), abs=0.01)
    assert t["groep"].tolist()[-1] == "weet niet"


def test_sector_tests_leave_out_what_section_6_5_leaves_out():
    t612 = data.load("tabel_6_12_lbm_sector")
    pabo, tweede = data.load("tabel_6_10_lbm_pabo"), data.load("tabel_6_11_lbm_tweedegraads")
    out = lbm.sector_tests(t612, pabo, tweede)
    po_only = lbm.only_in(pabo, tweede)
    assert po_only, "de pabo heeft eigen aspecten"
    assert set(out[out["item"].isin(po_only)]["sector"]) == {"po"}
    for item in lbm.partly_published(t612, [pabo, tweede]):
        assert item not in set(out["item"])
    assert out.equals(lbm.ja_nee_tests(t612, skip=lbm.partly_published(t612, [pabo, tweede]),
                                       po_only=po_only))
