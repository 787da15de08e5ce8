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
