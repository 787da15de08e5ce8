"""Consistency across files: the same quantity, published twice, must agree (or be an erratum)."""

from __future__ import annotations

import pytest

from lib import data

ITEM_TABLES = [
    "tabel_6_3_opleidingsprogramma", "tabel_6_4_leeromgeving", "tabel_6_5_begeleiding",
    "tabel_6_6_beoordeling", "tabel_6_7_student", "tabel_6_8_professionalisering",
]
ROUNDING = 0.005  # item means are published with two decimals


def test_partnerships_per_sector_agree_between_text_and_tabel_4_1():
    h1 = data.load("tekstcijfers_h1").set_index("id")["waarde"]
    t41 = data.load("tabel_4_1_respons_sector")
    ps = t41[t41.populatie == "partnerschappen"].set_index("sector")["n"]
    for s in ("po", "vo", "mbo"):
        assert h1[f"partnerschappen_{s}"] == ps[s]
    assert h1["partnerschappen_totaal"] == ps["totaal"]


def test_sop_students_per_sector_add_up_to_100():
    h1 = data.load("tekstcijfers_h1").set_index("id")["waarde"]
    parts = ["sop_studenten_po_pct", "sop_studenten_vo_pct", "sop_studenten_mbo_pct",
             "sop_studenten_po_vo_pct"]
    assert sum(h1[p] for p in parts) == pytest.approx(100, abs=2.0)


def test_satisfaction_groups_have_the_sizes_of_tabel_4_2():
    t61 = data.load("tabel_6_1_tevredenheid")
    sizes = t61[t61.groep_type == "geleding"].drop_duplicates("groep").set_index("groep")["n_groep"]
    t42 = data.load("tabel_4_2_geleding").set_index("geleding")["n"]
    for g in ("coordinatie", "bestuur", "uitvoering"):
        assert sizes[g] == t42[g]


def test_loopbaanmonitor_counts_agree_between_tabel_6_9_and_6_12():
    t69 = data.load("tabel_6_9_lbm_gemiddelde").set_index(["sector", "opleidingsschool"])["n"]
    t612 = data.load("tabel_6_12_lbm_sector")
    for (sector, school), n in t612.groupby(["sector", "opleidingsschool"])["n"]:
        assert set(n) == {t69[(sector, school)]}, (sector, school)


@pytest.mark.parametrize("table", ITEM_TABLES)
def test_item_total_lies_between_group_means(table):
    """Geleding and sector each split all 248 respondents, so the total of an item is a weighted
    mean of the group means and must lie between the lowest and the highest of them."""
    df = data.load(table)
    for item, g in df.groupby("item"):
        total = g[g.groep_type == "totaal"]["gemiddelde"].iloc[0]
        for split in ("geleding", "sector"):
            means = g[g.groep_type == split]["gemiddelde"]
            assert means.min() - ROUNDING <= total <= means.max() + ROUNDING, (
                f"{table}, item {item}: totaal {total} buiten {split} "
                f"[{means.min()}, {means.max()}]")


def test_theme_means_of_tabel_6_2_are_the_mean_of_their_items():
    t62 = data.load("tabel_6_2_themas")
    during = t62[t62.moment == "tijdens"].set_index("thema")["gemiddelde"]
    for table in ITEM_TABLES:
        theme = table.split("_", 3)[3]
        df = data.load(table)
        mean_of_items = df[df.groep_type == "totaal"]["gemiddelde"].mean()
        assert mean_of_items == pytest.approx(during[theme], abs=0.01), theme


def test_tabel_5_4_total_is_the_weighted_mean_of_the_sectors():
    t = data.load("tabel_5_4_werkplekleren_sector").set_index("sector")
    parts = t.loc[["po", "vo", "mbo"]]
    n = parts["n"].sum()
    assert n == t.loc["totaal", "n"]
    # means are published as whole percentages: each may be off by 0.5
    low = float(((parts["gemiddelde"] - 0.5) * parts["n"]).sum() / n)
    high = float(((parts["gemiddelde"] + 0.5) * parts["n"]).sum() / n)
    total = float(t.loc["totaal", "gemiddelde"])
    assert low <= total + 0.5 and total - 0.5 <= high
