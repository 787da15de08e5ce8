"""Chart builders: every kind compiles and renders (vl-convert), in the house style, Dutch."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import vl_convert

from lib import charts, data, stats
from lib.vega_sphinx import VL_VERSION, chart_html, table_columns


def _render(chart) -> tuple[dict, str]:
    finished = charts.house(chart, description="Testbeschrijving van de figuur met waarden.",
                            caption="Figuur 9.9 Test", source="Bron: test")
    spec = charts.show(finished).spec
    return spec, vl_convert.vegalite_to_svg(spec, vl_version=VL_VERSION)


def _texts(svg: str) -> list[str]:
    return re.findall(r">([^<>]+)</text>", svg)


def test_house_style_carries_locale_palette_and_metadata():
    spec, svg = _render(charts.bars(pd.DataFrame({"c": ["a", "b"], "v": [12.5, 80.0]}),
                                    category="c", value="v", category_title="C",
                                    value_title="Aandeel (%)"))
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["number"]["thousands"] == "."
    assert spec["config"]["range"]["category"][0] == charts.PALETTE[0]
    assert spec["description"].startswith("Testbeschrijving")
    assert spec["usermeta"] == {"caption": "Figuur 9.9 Test", "source": "Bron: test"}
    assert "13%" in _texts(svg) and "80%" in _texts(svg)
    with pytest.raises(ValueError, match="description en een caption"):
        charts.house(charts.bars(pd.DataFrame({"c": ["a"], "v": [1.0]}), category="c",
                                 value="v", category_title="C", value_title="V"),
                     description=" ", caption="x", source="y")


def test_likert_by_group_uses_colour_and_shape_and_dutch_decimals():
    df = data.load("tabel_6_3_opleidingsprogramma")
    geleding = df[df.groep_type == "geleding"].assign(item=lambda d: d["item"].astype(str))
    spec, svg = _render(charts.likert_by_group(
        geleding, item="item", group="groep", value="gemiddelde", scale=(1, 4),
        item_title="Item", group_title="Geleding", value_title="Gemiddelde (1–4)",
        highlight="bestuur"))
    layer = spec.get("encoding") or spec["layer"][0]["encoding"]
    assert {"color", "shape"} <= set(layer)
    axis_ticks = [t for t in _texts(svg) if re.fullmatch(r"\d,\d", t)]
    assert axis_ticks, "assen horen Nederlandse decimalen te tonen (1,5 …)"
    rows = {r["waarde_tekst"] for v in spec["datasets"].values() for r in v}
    assert "3,36" in rows  # item 1, coördinatoren


def test_before_after_from_tabel_6_2():
    df = data.load("tabel_6_2_themas")
    spec, svg = _render(charts.before_after(
        df, category="label", moment="moment", value="gemiddelde", order=("voor", "tijdens"),
        category_title="Thema", value_title="Gemiddelde (1–4)", scale=(1, 4)))
    assert "Kwaliteit van het opleidingsprogramma" in svg
    fields = dict(table_columns(spec))
    assert fields == {"label": "Thema", "moment": "Moment", "waarde_tekst": "Gemiddelde (1–4)"}


def test_trend_with_band_from_tabel_5_1():
    df = data.load("tabel_5_1_stage_opleidingsschool_pabo")
    ja = df[df.antwoord == "ja"].copy()
    bounds = [stats.wilson_pct(p, n) for p, n in zip(ja.pct, ja.n_groep, strict=True)]
    ja["lo"], ja["hi"] = [b[0] for b in bounds], [b[1] for b in bounds]
    ja["groep"] = "pabo"
    spec, svg = _render(charts.trend_with_band(
        ja, year="jaar", value="pct", low="lo", high="hi", group="groep", year_title="Jaar",
        value_title="Stage op een opleidingsschool (%)", group_title="Opleiding"))
    assert "2016" in svg and "2020" in svg and "pabo" in svg
    intervals = [r["interval"] for v in spec["datasets"].values() for r in v if "interval" in r]
    assert all(re.fullmatch(r"\d+–\d+%", i) for i in intervals)


def test_stacked_shares_from_tabel_6_1():
    df = data.load("tabel_6_1_tevredenheid")
    answers = list(dict.fromkeys(df["antwoord"]))
    spec, svg = _render(charts.stacked_shares(
        df, category="label", answer="antwoord", value="pct", answers=answers,
        category_title="Groep", answer_title="Antwoord"))
    assert "73%" in _texts(svg)  # coördinatoren zeer tevreden
    rows = [r for v in spec["datasets"].values() for r in v]
    light = {r["tekstkleur"] for r in rows if r["antwoord"] == "tevreden"}
    assert light == {charts.TEXT}  # dark text on the light segment
    assert any(t.endswith("%") for t in _texts(svg))


def test_chart_html_escapes_everything_from_data():
    poisoned = pd.DataFrame({"c": ["<img src=x onerror=alert(1)>"], "v": [10.0]})
    chart = charts.house(charts.bars(poisoned, category="c", value="v", category_title="C",
                                     value_title="V"),
                         description="<script>alert(2)</script>", caption="<b>cap</b>",
                         source="</script><script>alert(3)</script>")
    html = chart_html(charts.show(chart).spec, "abc")
    assert "<img" not in html and "<b>" not in html
    assert "<script>alert" not in html and "</script><script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_nested_contexts_draws_each_layer_inside_its_parent_with_its_text():
    df = data.load("figuur_1_1_kijkkader")
    chart = charts.nested_contexts(df, highlight="leraar")
    description = chart.to_dict()["description"]
    spec, svg = _render(chart)
    rows = {r["id"]: r for v in spec["datasets"].values() for r in v}
    assert set(rows) == set(df["id"])
    # every layer's name is written by a text mark (wrapped over lines, words intact)
    text_fields = {node["encoding"]["text"]["field"] for node in spec["layer"]
                   if node["mark"]["type"] == "text"}
    assert text_fields == {"kop_regels", "tekst_regels"}
    for r in df.itertuples():
        written = [" ".join(rows[r.id][f].split()) for f in text_fields]
        assert r.label in written and r.inhoud in written, r.id
        for line in rows[r.id]["kop_regels"].split("\n"):  # drawn: a <text> or a <tspan>
            assert line in _texts(svg) or f">{line}</tspan>" in svg, (r.id, line)
    # nesting: each frame lies inside its parent's frame, below the parent's own text
    for r in df.itertuples():
        if not isinstance(r.ouder, str):
            continue
        child, parent = rows[r.id], rows[r.ouder]
        assert parent["x"] < child["x"] < child["x2"] < parent["x2"], r.id
        assert parent["tekst_y"] < child["y"] < child["y2"] < parent["y2"], r.id
    # side by side: the three inner frames share a row and do not overlap
    row = sorted((rows[k] for k in ("scholen", "leraar", "instituten")), key=lambda b: b["x"])
    assert [b["id"] for b in row] == ["scholen", "leraar", "instituten"]
    assert len({(b["y"], b["y2"]) for b in row}) == 1
    assert row[0]["x2"] < row[1]["x"] and row[1]["x2"] < row[2]["x"]
    # no axes, fits the text column, the centre emphasised
    assert 'aria-roledescription="axis"' not in svg
    assert spec["width"] <= 680
    assert rows["leraar"]["vulling"] == charts.HIGHLIGHT
    # the text alternative names every layer, outside in
    positions = [description.index(label) for label in df["label"]]
    assert positions[:4] == sorted(positions[:4]), description
    assert "Leraar in opleiding staat in het midden en is benadrukt" in description


def test_nested_contexts_refuses_a_layer_outside_the_tree():
    df = data.load("figuur_1_1_kijkkader")
    lost = df.assign(ouder=df["ouder"].where(df["id"] != "regio", "nergens"))
    with pytest.raises(ValueError, match="onbekende laag"):
        charts.nested_contexts(lost)
    skipped = df.assign(niveau=df["niveau"].where(df["id"] != "partnerschap", 3))
    with pytest.raises(ValueError, match="niveau"):
        charts.nested_contexts(skipped)
