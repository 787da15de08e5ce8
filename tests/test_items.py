"""lib.items against small hand-made item tables whose answers can be read off by eye."""

import pandas as pd
import pytest

from lib import items


def _long(scores: dict[int, dict[str, float]]) -> pd.DataFrame:
    rows = [{"item": i, "label": f"Stelling {i}.", "groep": g, "gemiddelde": v}
            for i, groups in scores.items() for g, v in groups.items()]
    return pd.DataFrame(rows)


# three items, groups deliberately given out of order
SCORES = {
    1: {"totaal": 3.00, "mbo": 3.40, "po": 3.10, "vo": 2.80, "instituut": 3.20,
        "partnerschool": 2.90},
    2: {"totaal": 3.50, "mbo": 3.30, "po": 3.50, "vo": 3.60, "instituut": 3.40,
        "partnerschool": 3.60},
    3: {"totaal": 2.50, "mbo": 2.50, "po": 2.70, "vo": 2.60, "instituut": 2.40,
        "partnerschool": 2.45},
}


@pytest.fixture
def w() -> pd.DataFrame:
    return items.wide(_long(SCORES))


def test_wide_puts_items_in_rows_and_groups_in_source_order(w):
    assert list(w.columns) == ["label", "po", "vo", "mbo", "partnerschool", "instituut", "totaal"]
    assert list(w.index) == [1, 2, 3]
    assert w.loc[2, "vo"] == 3.60
    assert w.loc[3, "label"] == "Stelling 3."


def test_wide_rejects_an_unknown_group():
    df = _long({1: {"totaal": 3.0, "havo": 3.1}})
    with pytest.raises(ValueError, match="havo"):
        items.wide(df)


def test_ranking_highest_lowest(w):
    assert items.ranking(w, "totaal") == [2, 1, 3]
    assert items.highest(w, "mbo") == [1]
    assert items.lowest(w, "vo") == [3]


def test_ties_are_kept():
    w = items.wide(_long({1: {"totaal": 3.5}, 2: {"totaal": 3.5}, 3: {"totaal": 3.1}}))
    assert items.highest(w, "totaal") == [1, 2]
    assert items.ranking(w, "totaal") == [1, 2, 3]
    assert items.top(w, "totaal", 1) == [1, 2]  # the tie with the first place is kept
    assert items.top(w, "totaal", 5) == [1, 2, 3]


def test_mean_score_is_unweighted_mean_over_items(w):
    assert items.mean_score(w, "po") == pytest.approx((3.10 + 3.50 + 2.70) / 3)


def test_versus_total(w):
    # po: 3.10 > 3.00, 3.50 = 3.50, 2.70 > 2.50
    assert items.versus(w, "po") == items.Comparison(above=(1, 3), equal=(2,), below=())
    # vo: 2.80 < 3.00, 3.60 > 3.50, 2.60 > 2.50
    assert items.versus(w, "vo") == items.Comparison(above=(2, 3), equal=(), below=(1,))


def test_furthest_from_total(w):
    # mbo − totaal: +0.40, −0.20, 0.00
    (hi, dhi), (lo, dlo) = items.furthest(w, "mbo")
    assert (hi, lo) == (1, 2)
    assert dhi == pytest.approx(0.40)
    assert dlo == pytest.approx(-0.20)


def test_leaders_count_shared_places_for_every_group(w):
    lead = items.leaders(w, ["po", "vo", "mbo"])
    assert lead["mbo"] == {"hoogst": [1], "laagst": [2, 3]}  # items 2 and 3: mbo lowest
    assert lead["vo"] == {"hoogst": [2], "laagst": [1]}
    assert lead["po"] == {"hoogst": [3], "laagst": []}


def test_differences_largest_first(w):
    d = items.differences(w, ["po", "vo", "mbo"])
    # item 1: mbo 3.40 − vo 2.80 = 0.60; item 2: vo 3.60 − mbo 3.30 = 0.30; item 3: 0.20
    assert list(d["item"]) == [1, 2, 3]
    assert list(d.loc[0, ["hoog", "laag"]]) == ["mbo", "vo"]
    assert d["verschil"].tolist() == pytest.approx([0.60, 0.30, 0.20])


def test_outside_finds_a_total_below_every_group(w):
    # schooltypes: item 1 total 3.00 within 2.90–3.20; item 2 3.50 within 3.40–3.60;
    # item 3 total 2.50 above 2.40 and 2.45
    assert items.outside(w, ["partnerschool", "instituut"]) == [3]
    assert items.outside(w, ["po", "vo", "mbo"]) == []


def test_prose_helpers(w):
    assert items.numbers([3]) == "item 3"
    assert items.numbers([3, 7]) == "item 3 en 7"
    assert items.numbers([3, 6, 7]) == "item 3, 6 en 7"
    assert items.quote(w, 2) == "‘Stelling 2’"
    with pytest.raises(ValueError):
        items.numbers([])


def test_mean_score_has_no_binary_rounding_artefact():
    # 3.11 + 3.12 = 6.23; / 2 = 3.115 exactly, which as a float prints 3.1149999…
    w = items.wide(_long({1: {"totaal": 3.11}, 2: {"totaal": 3.12}}))
    assert items.mean_score(w, "totaal") == 3.115
