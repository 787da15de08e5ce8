"""lib.items against small hand-made item tables whose answers can be read off by eye."""

import re

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


# --- the sentences of a theme section: full tables with every group ---------------------------

COLS = ("coordinatie", "bestuur", "uitvoering", "po", "vo", "mbo", "partnerschool", "instituut",
        "totaal")


def _theme(rows: dict[int, tuple[float, ...]]) -> pd.DataFrame:
    return _long({i: dict(zip(COLS, v, strict=True)) for i, v in rows.items()})


#            coord bestuur uitv  po    vo    mbo   partner inst  totaal
THREE = _theme({
    1: (3.40, 3.20, 3.00, 3.30, 3.45, 3.00, 3.10, 3.30, 3.20),
    2: (2.90, 3.00, 2.80, 2.70, 3.00, 2.90, 2.90, 2.80, 2.85),
    3: (3.60, 3.40, 3.50, 3.50, 3.40, 3.70, 3.50, 3.50, 3.50),
})
TWO = _theme({
    1: (3.00, 2.60, 3.00, 3.10, 3.05, 3.00, 2.95, 3.05, 3.00),
    2: (2.80, 3.20, 2.70, 3.00, 3.20, 2.90, 3.00, 3.00, 3.00),
})


def test_on_items_counts_in_words():
    assert items.on_items(7, 10) == "op zeven van de tien items"
    assert items.on_items(3, 3) == "op alle drie items"
    assert items.on_items(0, 5) == "op geen enkel item"
    assert [items.on_items(k, 2) for k in (0, 1, 2)] == [
        "op geen van beide items", "op één van de twee items", "op beide items"]
    with pytest.raises(ValueError):
        items.on_items(4, 3)


def test_cite_quotes_one_item_and_numbers_tied_ones():
    w = items.wide(_long({1: {"totaal": 3.5, "po": 3.0}, 2: {"totaal": 3.5, "po": 2.0},
                          3: {"totaal": 3.1, "po": 2.5}}))
    assert items.cite(w, [3]) == "item 3 (‘Stelling 3’: 3,10)"
    assert items.cite(w, [1, 2]) == "item 1 en 2 (gedeelde plaats: 3,50)"
    assert items.cite(w, [1], "po") == "item 1 (‘Stelling 1’: 3,00)"


def test_theme_sentences_of_three_items():
    got = items.theme_sentences(THREE)
    assert list(got) == ["n", "totaal", "sectoren", "bereik", "boven", "verschil", "geledingen",
                         "schooltypen"]
    assert got["n"] == "drie"
    # totaal: item 3 highest (3,50), item 2 lowest (2,85)
    assert got["totaal"] == ("In het totaal scoort item 3 (‘Stelling 3’: 3,50) het hoogst en "
                             "item 2 (‘Stelling 2’: 2,85) het laagst.")
    # po 3,50 (3) / 2,70 (2); vo 3,45 (1) / 3,00 (2); mbo 3,70 (3) / 2,90 (2)
    assert got["sectoren"] == (
        "De hoogste score ligt in het po bij item 3 (3,50), in het vo bij item 1 (3,45) en in "
        "het mbo bij item 3 (3,70); de laagste in het po bij item 2 (2,70), in het vo bij item 2 "
        "(3,00) en in het mbo bij item 2 (2,90).")
    assert got["bereik"] == "Alle scores in de tabel liggen tussen 2,70 en 3,70."
    # above the total: po only item 1 (item 3 level); vo items 1 and 2; mbo items 2 and 3
    assert got["boven"] == ("Boven het totaal scoort het po op één van de drie items, het vo op "
                            "twee van de drie items en het mbo op twee van de drie items.")
    # spread between sectors: item 1 0,45 (vo − mbo), items 2 and 3 0,30
    assert got["verschil"] == ("Het grootst is het verschil tussen de sectoren bij item 1: "
                               "vo 3,45 tegen mbo 3,00.")
    # highest: coördinatoren on items 1 and 3; lowest: uitvoerders on items 1 and 2
    assert got["geledingen"] == (
        "Het hoogste oordeel van de drie geledingen komt het vaakst van de coördinatoren (op "
        "twee van de drie items), het laagste van de uitvoerders (op twee van de drie items).")
    # instituut above on item 1, below on 2, level on 3; largest difference item 1 (0,20)
    assert got["schooltypen"] == (
        "Respondenten van de lerarenopleidingen (instituut) scoren op één van de drie items "
        "hoger dan die van de partnerscholen (lager bij item 2; gelijk bij item 3). Het grootst "
        "is het verschil bij item 1: instituut 3,30 tegen partnerscholen 3,10.")


def test_theme_sentences_of_two_items_and_ties():
    got = items.theme_sentences(TWO)
    assert got["n"] == "twee"
    # both totals 3,00: compared, not ranked; sectors without a lowest
    assert got["totaal"] == ("In het totaal scoort item 1 (‘Stelling 1’: 3,00) even hoog als "
                             "item 2 (‘Stelling 2’: 3,00).")
    assert got["sectoren"] == ("De hoogste score ligt in het po bij item 1 (3,10), in het vo bij "
                               "item 2 (3,20) en in het mbo bij item 1 (3,00).")
    assert got["bereik"] == "Alle scores in de tabel liggen tussen 2,60 en 3,20."
    assert got["boven"] == ("Boven het totaal scoort het po op één van de twee items, het vo op "
                            "beide items en het mbo op geen van beide items.")
    assert got["verschil"] == ("Het grootst is het verschil tussen de sectoren bij item 2: "
                               "vo 3,20 tegen mbo 2,90.")
    # highest: coörd. and uitv. share item 1, bestuur item 2 → one each; lowest: bestuur
    # item 1, uitvoerders item 2
    assert got["geledingen"] == (
        "Het hoogste oordeel van de drie geledingen komt het vaakst van de coördinatoren, "
        "bestuur en directie en de uitvoerders (elk op één van de twee items), het laagste van "
        "bestuur en directie en de uitvoerders (elk op één van de twee items).")
    # instituut above on item 1, level on item 2 (nothing below: no "lager bij")
    assert got["schooltypen"] == (
        "Respondenten van de lerarenopleidingen (instituut) scoren op één van de twee items "
        "hoger dan die van de partnerscholen (gelijk bij item 2). Het grootst is het verschil "
        "bij item 1: instituut 3,05 tegen partnerscholen 2,95.")


def test_sector_note():
    # vo − totaal: +0,25, +0,15, −0,10; means (3,45 + 3,00 + 3,40) / 3 = 3,283 and 3,183
    assert items.sector_note(THREE, "vo") == (
        "Gemiddeld over de items scoort het vo op dit thema 3,28, hoger dan het totaal (3,18). "
        "Het verst erboven ligt het vo bij ‘Stelling 1’ (item 1: vo 3,45, totaal 3,20). Het verst "
        "eronder ligt het vo bij ‘Stelling 3’ (item 3: vo 3,40, totaal 3,50).")
    # po − totaal: +0,10, 0: never below
    assert items.sector_note(TWO, "po") == (
        "Gemiddeld over de items scoort het po op dit thema 3,05, hoger dan het totaal (3,00). "
        "Het verst erboven ligt het po bij ‘Stelling 1’ (item 1: po 3,10, totaal 3,00). Het po "
        "ligt op geen enkel item onder het totaal.")
    # mbo − totaal: 0, −0,10: never above
    assert items.sector_note(TWO, "mbo") == (
        "Gemiddeld over de items scoort het mbo op dit thema 2,95, lager dan het totaal (3,00). "
        "Het mbo ligt op geen enkel item boven het totaal. Het verst eronder ligt het mbo bij "
        "‘Stelling 2’ (item 2: mbo 2,90, totaal 3,00).")


def test_sector_note_names_items_by_their_wording_not_by_a_bare_number():
    """A reader of the sector box sees what item 1 is: its wording, then number and scores."""
    frame = pd.DataFrame([
        {"item": 1, "label": "Studenten  leren\nop de werkplek.", "groep": "po",
         "gemiddelde": 3.39},
        {"item": 1, "label": "Studenten  leren\nop de werkplek.", "groep": "totaal",
         "gemiddelde": 3.27},
        {"item": 2, "label": "Opleiders werken samen.", "groep": "po", "gemiddelde": 2.90},
        {"item": 2, "label": "Opleiders werken samen.", "groep": "totaal", "gemiddelde": 3.10},
    ])
    note = items.sector_note(frame, "po")
    assert "‘Studenten leren op de werkplek’ (item 1: po 3,39, totaal 3,27)" in note
    assert "‘Opleiders werken samen’ (item 2: po 2,90, totaal 3,10)" in note
    # every "item n" stands right after the item's wording in brackets, never on its own
    assert not re.search(r"(?<!\()item \d", note), note


def test_sector_facts_over_themes():
    # vo means: THREE 3,283 against 3,183 (+0,10); TWO 3,125 against 3,00 (+0,125, largest);
    # items: THREE item 1 furthest above (+0,25), THREE item 3 furthest below (−0,10)
    facts = items.sector_facts({"a": THREE, "b": TWO}, "vo", names={"a": "thema A", "b": "thema B"},
                               tables={"a": "6.3", "b": "6.4"})
    assert facts == [
        "Gemiddeld over de items van een thema (Tabel 6.3 tot en met 6.4) scoort het vo bij twee "
        "van de twee thema's hoger dan het totaal en bij nul lager. Het grootste verschil is er "
        "bij thema B: 3,13 tegen 3,00.",
        "Het verst boven het totaal ligt het vo bij ‘Stelling 1’ (Tabel 6.3, item 1: vo 3,45, "
        "totaal 3,20); het verst eronder bij ‘Stelling 3’ (Tabel 6.3, item 3: vo 3,40, totaal "
        "3,50).",
    ]


def test_chart_data_keeps_sectors_and_total_with_readable_names():
    df = THREE.copy()
    df.loc[df["item"] == 2, "label"] = "Twee  spaties\nen een regel."
    d = items.chart_data(df)
    assert sorted(set(d["groep"])) == ["mbo", "po", "totaal", "vo"]
    assert len(d) == 3 * 4
    assert set(d.loc[d["item"] == 2, "stelling"]) == {"2. Twee spaties en een regel."}
    assert set(d.loc[d["item"] == 1, "stelling"]) == {"1. Stelling 1."}
    assert dict(zip(d["groep"], d["groep_naam"], strict=True))["totaal"] == "Totaal"


def test_equal_largest_gaps_are_a_tie_not_a_winner():
    # §6.4.4 (issue 15): schooltypen differ by 0,04 on both items; sectors by 0,30 on items 1 and
    # 3 and by 0,10 on item 2
    tie = _long({
        1: {"totaal": 3.00, "po": 3.30, "vo": 3.00, "mbo": 3.10, "partnerschool": 3.70,
            "instituut": 3.66, "coordinatie": 3.0, "bestuur": 3.0, "uitvoering": 3.0},
        2: {"totaal": 3.00, "po": 3.00, "vo": 3.10, "mbo": 3.05, "partnerschool": 3.47,
            "instituut": 3.51, "coordinatie": 3.0, "bestuur": 3.0, "uitvoering": 3.0},
        3: {"totaal": 3.00, "po": 2.80, "vo": 3.10, "mbo": 3.00, "partnerschool": 3.00,
            "instituut": 3.00, "coordinatie": 3.0, "bestuur": 3.0, "uitvoering": 3.0},
    })
    got = items.theme_sentences(tie)
    assert got["verschil"] == (
        "Het grootst, en even groot (0,30 punt), is het verschil tussen de sectoren bij item 1 "
        "(po 3,30 tegen vo 3,00) en item 3 (vo 3,10 tegen po 2,80).")
    w2 = items.wide(tie).loc[[1, 2]]
    assert list(items.tied_first(items.differences(w2, items.SCHOOLTYPEN)).item) == [1, 2]
    two = tie[tie["item"] != 3]
    assert items.theme_sentences(two)["schooltypen"].endswith(
        "Bij beide items is het verschil even groot (0,04 punt): item 1 (partnerscholen 3,70 "
        "tegen instituut 3,66) en item 2 (instituut 3,51 tegen partnerscholen 3,47).")


def test_sector_note_names_every_item_at_the_largest_distance():
    # po − totaal: +0,12 on items 1 and 2 (a tie), −0,05 on item 3
    tie = _long({1: {"po": 3.42, "totaal": 3.30}, 2: {"po": 3.22, "totaal": 3.10},
                 3: {"po": 3.00, "totaal": 3.05}})
    assert items.sector_note(tie, "po").endswith(
        "Het verst erboven, en even ver (0,12 punt), ligt het po bij ‘Stelling 1’ (item 1: po "
        "3,42, totaal 3,30) en ‘Stelling 2’ (item 2: po 3,22, totaal 3,10). Het verst eronder "
        "ligt het po bij ‘Stelling 3’ (item 3: po 3,00, totaal 3,05).")
    facts = items.sector_facts({"a": tie}, "po", names={"a": "thema A"}, tables={"a": "6.3"})
    assert facts[1].startswith(
        "Het verst boven het totaal ligt het po bij ‘Stelling 1’ (Tabel 6.3, item 1: po 3,42, "
        "totaal 3,30) en ‘Stelling 2’ (Tabel 6.3, item 2: po 3,22, totaal 3,10); het verst "
        "eronder bij ‘Stelling 3’")
