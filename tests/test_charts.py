"""Chart builders: every kind compiles and renders (vl-convert), in the house style, Dutch."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import vl_convert

from lib import charts, data, sitecheck, stats
from lib.vega_sphinx import (
    VL_VERSION,
    chart_csv,
    chart_html,
    csv_columns,
    figure_name,
    pdf_width,
    table_columns,
    table_rows,
)


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
    # the builder's data columns (the figure's CSV) stay beside what house() adds
    assert spec["usermeta"] == {"caption": "Figuur 9.9 Test", "source": "Bron: test",
                                "columns": ["c", "v"]}
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
    assert fields == {"label": "Thema", "moment": "Moment", "waarde_tekst": "Gemiddelde (1–4)",
                      "n_tekst": "n"}  # Tabel 6.2 has the n of each mean


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


# --- charts that earn their space: axis, encodings, legend, tooltips, data table -----------------

def _scales(spec: dict) -> list[dict]:
    """The x scales of every layer (a facet's inner layers too)."""
    found = []
    for node in (spec.get("layer") or spec.get("spec", {}).get("layer") or [spec]):
        x = node.get("encoding", {}).get("x", {})
        if "scale" in x:
            found.append(x["scale"])
    return found


def _domain_max(chart) -> float:
    spec = chart.to_dict()
    if "encoding" in spec.get("spec", {}) or "layer" in spec.get("spec", {}):
        spec = spec["spec"]
    tops = {s["domain"][1] for s in _scales(spec) if "domain" in s}
    assert len(tops) == 1, tops
    return tops.pop()


def test_value_axis_fits_the_data_with_a_rounded_maximum():
    """Shares that stop at 67 get an axis to 80, not 100; a drawn interval fits too; a share near
    100 stops at 100; counts and FTE round up as well; 0 stays the baseline."""
    share = pd.DataFrame({"c": ["a", "b", "c"], "v": [66.7, 4.0, 30.0]})
    assert _domain_max(charts.bars(share, category="c", value="v", category_title="C",
                                   value_title="Aandeel (%)")) == 80
    ci = share.assign(lo=[60.0, 2.0, 25.0], hi=[73.0, 9.0, 36.0])
    top = _domain_max(charts.bars(ci, category="c", value="v", low="lo", high="hi",
                                  category_title="C", value_title="Aandeel (%)"))
    assert 73 <= top < 100
    grouped = data.load("tabel_4_1_respons_sector").query("sector != 'totaal'")
    top = _domain_max(charts.grouped_bars(
        grouped, category="sector", group="populatie", value="pct", category_title="Sector",
        group_title="Groep", value_title="Aandeel (%)"))
    assert grouped.pct.max() < top < 100  # the data stop at 50
    near = pd.DataFrame({"c": ["a"], "v": [98.0]})
    assert _domain_max(charts.bars(near, category="c", value="v", category_title="C",
                                   value_title="Aandeel (%)")) == 100
    assert charts.nice_max(67) == 80 and charts.nice_max(50) == 60
    assert charts.nice_max(300) == 400 and charts.nice_max(1.71) == 2
    assert charts.nice_max(73) == 90 and charts.nice_max(82) == 100
    assert charts.nice_max(10.5) == 12 and charts.nice_max(12.0) == 15  # no float residue
    spec = charts.bars(share, category="c", value="v", category_title="C",
                       value_title="Aandeel (%)").to_dict()
    assert all(s["domain"][0] == 0 for s in _scales(spec) if "domain" in s)


def _bar_paths(svg: str) -> list[dict[str, str]]:
    """Attributes of the bars (the rect marks, not the legend) in Vega's SVG."""
    marks = re.search(r'<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S)
    assert marks, "geen staven in de SVG"
    return [dict(re.findall(r'([\w-]+)="([^"]*)"', p))
            for p in re.findall(r"<path [^>]*>", marks.group(1))]


def test_approximate_and_deemphasised_bars_look_different_and_nothing_is_pale():
    """One meaning per encoding: approximate = open bar with a dashed outline (any sector);
    another sector = grey fill, solid outline; no bar is made pale by opacity, in any builder."""
    df = pd.DataFrame({"sector": ["po", "vo", "mbo", "combi"], "pct": [67.0, 40.0, 30.0, 10.0],
                       "precisie": ["circa", "afgerond", "bijna", "exact"]})
    _, svg = _render(charts.bars(df, category="sector", value="pct", precision="precisie",
                                    highlight="po", category_title="Sector",
                                    value_title="Aandeel (%)"))
    bars = _bar_paths(svg)
    assert len(bars) == 4
    by_label = {re.search(r"(?i)sector: (\w+)", b["aria-label"]).group(1): b for b in bars}
    po, vo, mbo, combi = (by_label[s] for s in ("po", "vo", "mbo", "combi"))
    # approximate, emphasised: open, dashed, in the emphasis colour
    assert po["fill"] == charts.APPROX_FILL and po["stroke"] == charts.HIGHLIGHT
    assert po.get("stroke-dasharray") == ",".join(map(str, charts.APPROX_DASH))
    # approximate, another sector: open and dashed too, outline grey
    assert mbo["fill"] == charts.APPROX_FILL and mbo.get("stroke-dasharray") == po[
        "stroke-dasharray"] and mbo["stroke"] == charts.DEEMPHASIS_LINE
    # exact, another sector: grey fill, solid black outline
    for other in (vo, combi):
        assert other["fill"] == charts.DEEMPHASIS and other["stroke"] == charts.OUTLINE
        assert other.get("stroke-dasharray", "1,0") == "1,0"
    assert (po["fill"], po.get("stroke-dasharray")) != (vo["fill"], vo.get("stroke-dasharray"))
    grouped = data.load("tabel_4_1_respons_sector").query("sector != 'totaal'").assign(
        label=lambda d: d.pct.map(lambda v: f"{v:.0f}%"))
    _, gsvg = _render(charts.grouped_bars(
        grouped, category="sector", group="populatie", value="pct", label="label",
        highlight="po", category_title="Sector", group_title="Groep",
        value_title="Aandeel (%)"))
    gbars = [dict(re.findall(r'([\w-]+)="([^"]*)"', p)) for p in re.findall(
        r'<path [^>]*aria-roledescription="bar"[^>]*>', gsvg)]
    assert len(gbars) == len(grouped)
    faded = [b for b in gbars if "Sector: po" not in b["aria-label"]]
    assert faded and all(b["fill"] == charts.DEEMPHASIS for b in faded)  # the same grey
    for svg_text in (svg, gsvg):
        assert not re.search(r'(?<![\w-])(fill-)?opacity="0\.', svg_text), "bleke staven"
    text = charts.bars(df, category="sector", value="pct", precision="precisie",
                       highlight="po", category_title="Sector",
                       value_title="Aandeel (%)").to_dict()["description"]
    assert "Open staven met een gestreepte rand zijn benaderingen" in text
    assert "De staaf van po is benadrukt, de andere zijn grijs" in text


def test_the_legend_of_approximate_values_is_whole():
    """The legend names the words of this chart and is wide enough for its longest label: no
    "…" on the web or in the PDF (same vl-convert rendering)."""
    dienst = data.load("figuur_4_1_dienstverband")
    spec, svg = _render(charts.bars(dienst, category="categorie", value="pct",
                                    precision="precisie", category_title="Dienstverband",
                                    value_title="Aandeel respondenten (%)"))
    labels = charts.approx_legend_labels(["circa", "bijna"])
    assert labels[charts.APPROXIMATE] == "benaderd (de tekst zegt ongeveer of bijna)"
    legends = [enc["legend"] for layer in spec["layer"]
               for enc in layer.get("encoding", {}).values()
               if isinstance(enc, dict) and enc.get("legend")]
    assert legends
    longest = max(len(v) for v in labels.values())
    for legend in legends:
        assert legend["labelLimit"] >= longest * 7.5, legend  # ≥ 7.5 px per 12 px character
        assert legend["direction"] == "vertical"  # an entry per line, under the chart
    texts = _texts(svg)
    assert "benaderd (de tekst zegt ongeveer of bijna)" in texts
    assert "exact of afgerond" in texts
    assert not any("…" in t for t in texts), texts
    # without approximate values there is no legend to read
    rollen = data.load("figuur_4_2_rollen").assign(precisie="afgerond")
    spec, _ = _render(charts.bars(rollen, category="rol", value="pct", precision="precisie",
                                  category_title="Rol", value_title="Aandeel (%)"))
    assert not [e for layer in spec["layer"] for e in layer.get("encoding", {}).values()
                if isinstance(e, dict) and e.get("legend")]


def _tooltips(spec: dict) -> dict[str, str]:
    return dict(table_columns(spec))


def _values(spec: dict, field: str) -> list[str]:
    return [str(r[field]) for v in spec["datasets"].values() for r in v if field in r]


def _builders() -> dict[str, dict]:
    """A chart of every data builder, from the book's data."""
    respons = data.load("tabel_4_1_respons_sector").query("sector != 'totaal'")
    t61 = data.load("tabel_6_1_tevredenheid").dropna(subset=["pct"])
    lbm = data.load("tabel_5_1_stage_opleidingsschool_pabo").query("antwoord == 'ja'")
    bounds = [stats.wilson_pct(p, n) for p, n in zip(lbm.pct, lbm.n_groep, strict=True)]
    lbm = lbm.assign(lo=[b[0] for b in bounds], hi=[b[1] for b in bounds])
    geleding = data.load("tabel_6_3_opleidingsprogramma").query("groep_type == 'geleding'")
    return {
        "bars": charts.bars(data.load("figuur_4_1_dienstverband"), category="categorie",
                            value="pct", precision="precisie", category_title="Dienstverband",
                            value_title="Aandeel respondenten (%)").to_dict(),
        "fte": charts.bars(data.load("tabel_5_3b_fte_per_taak"), category="label", value="fte",
                           category_title="Taak", value_title="Benodigde FTE (gemiddeld)",
                           value_format=lambda v: charts.fmt.number(v, 2)).to_dict(),
        "grouped": charts.grouped_bars(
            respons.assign(label=respons.pct.map(charts.fmt.pct)), category="sector",
            group="populatie", value="pct", label="label", category_title="Sector",
            group_title="Groep", value_title="Aandeel (%)").to_dict(),
        "likert": charts.likert_by_group(
            geleding.assign(item=geleding["item"].astype(str)), item="item", group="groep",
            value="gemiddelde", scale=(1, 4), item_title="Item", group_title="Geleding",
            value_title="Gemiddelde (1–4)").to_dict(),
        "before_after": charts.before_after(
            data.load("tabel_6_2_themas"), category="label", moment="moment",
            value="gemiddelde", order=("voor", "tijdens"), category_title="Thema",
            value_title="Gemiddelde (1–4)", scale=(1, 4)).to_dict(),
        "trend": charts.trend_with_band(
            lbm, year="jaar", value="pct", low="lo", high="hi", group="opleiding",
            year_title="Jaar", value_title="Stage op een opleidingsschool (%)",
            group_title="Opleiding").to_dict(),
        "stacked": charts.stacked_shares(
            t61, category="label", answer="antwoord", value="pct",
            answers=list(dict.fromkeys(t61.antwoord)), category_title="Groep",
            answer_title="Antwoord").to_dict(),
    }


def test_tooltips_add_n_and_interval_and_never_double_the_unit():
    """Every builder: no tooltip title repeats the unit its values carry ("Aandeel (%) 37%");
    n where the data have it (Dutch thousands), the 95%-interval where there is one."""
    specs = _builders()
    for name, spec in specs.items():
        for field, title in _tooltips(spec).items():
            values = _values(spec, field)
            if values and all(v.endswith("%") for v in values):  # "95%-interval" is a name
                assert not re.search(r"\((%|procent)\)|\bin (%|procent)", title), (
                    name, title, values[:2])
    assert _tooltips(specs["grouped"])["waarde_tekst"] == "Aandeel"
    for name in ("grouped", "before_after", "trend", "stacked", "fte"):
        tips = _tooltips(specs[name])
        assert tips.get("n_tekst") == "n", (name, tips)
    assert "1.115" in _values(specs["trend"], "n_tekst")  # pabo 2016, Dutch thousands
    assert _tooltips(specs["trend"])["interval"] == "95%-interval"
    assert all(re.fullmatch(r"\d+–\d+%", v) for v in _values(specs["trend"], "interval"))
    assert "n_tekst" not in _tooltips(specs["bars"])  # Figuur 4.1 and Tabel 6.3 have no n
    assert "n_tekst" not in _tooltips(specs["likert"])
    # the exact value: two thirds stays "ongeveer 67%" (the source's words), an exact 66,7 shows
    # its decimal
    assert "ongeveer 67%" in _values(specs["bars"], "waarde_exact")
    exact = charts.bars(pd.DataFrame({"c": ["a"], "v": [66.7]}), category="c", value="v",
                        category_title="C", value_title="Aandeel (%)").to_dict()
    assert _values(exact, "waarde_exact") == ["66,7%"]
    assert _values(exact, "waarde_tekst") == ["67%"]  # the label on the bar stays short
    ci = charts.bars(pd.DataFrame({"c": ["a"], "v": [31.0], "lo": [20.4], "hi": [43.6],
                                   "n": [1061]}),
                     category="c", value="v", low="lo", high="hi", category_title="C",
                     value_title="Aandeel (%)").to_dict()
    assert _tooltips(ci) == {"c": "C", "waarde_exact": "Aandeel", "n_tekst": "n",
                             "interval": "95%-interval"}
    assert _values(ci, "interval") == ["20–44%"] and _values(ci, "n_tekst") == ["1.061"]
    assert charts.bare_title("Aandeel (%)") == "Aandeel"
    assert charts.bare_title("Gemiddelde (1–4)") == "Gemiddelde (1–4)"


def test_data_table_looks_like_the_books_tables_with_numbers_right_aligned():
    spec, _ = _render(charts.grouped_bars(
        data.load("tabel_4_1_respons_sector").query("sector != 'totaal'").assign(
            label=lambda d: d.pct.map(charts.fmt.pct)),
        category="sector", group="populatie", value="pct", label="label",
        category_title="Sector", group_title="Groep", value_title="Aandeel (%)"))
    html = chart_html(spec, "t1")
    assert '<table class="sop-table table sop-chart__table">' in html
    assert '<th scope="col" class="head text-left">Sector</th>' in html
    assert '<th scope="col" class="head text-right">Aandeel</th>' in html
    assert '<th scope="col" class="head text-right">n</th>' in html
    assert '<td class="text-left">po</td>' in html
    assert '<td class="text-right">37%</td>' in html and '<td class="text-right">124</td>' in html
    assert '<td class="text-right">37%</td>' in html
    # approximate values and intervals are numbers too; a trend's end labels are no extra rows
    bars, _ = _render(charts.bars(data.load("figuur_4_1_dienstverband"), category="categorie",
                                  value="pct", precision="precisie", category_title="D",
                                  value_title="Aandeel (%)"))
    assert '<td class="text-right">ongeveer 67%</td>' in chart_html(bars, "t2")
    lbm = data.load("tabel_5_1_stage_opleidingsschool_pabo").query("antwoord == 'ja'")
    trend, _ = _render(charts.trend_with_band(
        lbm.assign(lo=lbm.pct - 3, hi=lbm.pct + 3), year="jaar", value="pct", low="lo", high="hi",
        group="opleiding", year_title="Jaar", value_title="Stage (%)", group_title="Opleiding"))
    html = chart_html(trend, "t3")
    assert html.count("<tr class=") == len(lbm)  # data rows only, each once
    assert '<td class="text-right">51–57%</td>' in html


def test_figure_csv_is_named_after_the_figure_number():
    assert figure_name("Figuur 6.1 Beoordeling van de thema's (N=248)") == "figuur-6-1"
    assert figure_name("Figuur 5.4a en 5.4b Middelen doelmatig besteed") == "figuur-5-4a-en-5-4b"
    assert figure_name("Bij Tabel 6.3: gemiddelde score per stelling") == "figuur-bij-tabel-6-3"
    assert figure_name("Aandeel met stage (bij Tabel 5.1 en 5.2)") == \
        "figuur-bij-tabel-5-1-en-5-2"
    assert figure_name("Benodigde FTE per taak (bij Tabel 5.3)") == "figuur-bij-tabel-5-3"


@pytest.mark.parametrize("kind", ["bars", "fte", "grouped", "likert", "before_after", "trend",
                                  "stacked"])
def test_figure_csv_holds_the_plotted_numbers_in_the_data_package_convention(kind):
    """Every builder names its data columns; the figure's CSV has them with a comma separator and
    a decimal point, the numbers as the chart's data hold them (no "37%", no "3,38"), each
    distinct row once, and none of the chart's helper fields."""
    import csv
    import io

    spec = _builders()[kind]
    cols = csv_columns(spec)
    assert cols == spec["usermeta"]["columns"] and len(cols) >= 2
    assert not set(cols) & {"waarde_tekst", "waarde_exact", "soort", "nadruk", "beschrijving",
                             "n_tekst", "label_x", "interval", "volgorde", "verschuiving"}
    text = chart_csv(spec)
    assert ";" not in text.splitlines()[0] and not text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == cols
    data_rows = [r for r in table_rows(spec) if all(c in r for c in cols)]
    expected = list(dict.fromkeys(tuple(r[c] for c in cols) for r in data_rows))
    assert len(rows) == len(expected)
    assert any(isinstance(v, float | int) and not isinstance(v, bool)
               for row in expected for v in row), f"{kind}: geen getallen in de CSV"
    for got, want in zip(rows, expected, strict=True):
        for c, v in zip(cols, want, strict=True):
            if isinstance(v, float | int) and not isinstance(v, bool):
                assert "," not in got[c]
                assert float(got[c]) == pytest.approx(float(v)), (kind, c)
            else:
                assert got[c] == ("" if v is None else str(v)), (kind, c)


def test_chart_html_links_its_csv_under_the_chart_and_names_the_data_files():
    spec = _builders()["before_after"]
    spec["usermeta"] |= {"caption": "Figuur 6.1 Test", "source": "Bron: test",
                         "datasets": ["tabel_6_2_themas", "figuur_6_1_themas"]}
    html = chart_html(spec, "t1", "figuren/figuur-6-1.csv", "../../../")
    line = html[html.index('class="sop-chart__download"'):html.index("<details")]
    assert 'href="figuren/figuur-6-1.csv"' in line and "download" in line
    assert 'href="../../../datapackage/data/tabel_6_2_themas.csv"' in line
    assert 'href="../../../datapackage/data/figuur_6_1_themas.csv"' in line
    assert "data:text/csv" not in html


def test_pdf_charts_print_at_one_type_size():
    """A narrow chart is not blown up to the text width (its labels would print at 16 pt)."""
    narrow = charts.bars(pd.DataFrame({"c": ["po", "mbo"], "v": [300.0, 130.0]}), category="c",
                         value="v", category_title="C", value_title="Plaatsen",
                         value_format=charts.fmt.number)
    finished = charts.house(narrow, caption="Figuur", source="Bron")
    share = int(pdf_width(vl_convert.vegalite_to_pdf(charts.show(finished).spec,
                                                     vl_version=VL_VERSION)).rstrip("%"))
    assert 40 <= share < 90
    assert pdf_width(b"no box") == "100%"


@pytest.mark.site
def test_tooltip_shows_on_hover_tap_and_keyboard(browser, site_url):
    """Figuur 4.1 on a phone: tapping a bar shows its tooltip, tapping elsewhere hides it. On a
    desktop: hovering shows it; Tab to the chart and arrow down shows the first bar's tooltip
    (and says it in the live region), Escape hides it. No CSP violation on the way."""
    page = f"{site_url}/book/editions/alle/04-onderzoeksaanpak.html"
    visible = "() => !!document.querySelector('#vg-tooltip-element.visible')"
    phone = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                is_mobile=True)
    phone.add_init_script(sitecheck.CSP_LISTENER)
    tab = phone.new_page()
    tab.goto(page)
    tab.wait_for_function(sitecheck.CHARTS_DRAWN, timeout=20000)
    fig = tab.locator("figure.sop-chart", has_text="Figuur 4.1")
    fig.scroll_into_view_if_needed()
    fig.locator(".mark-rect path").nth(1).tap()
    tab.wait_for_function(visible, timeout=3000)
    tip = tab.locator("#vg-tooltip-element").inner_text()
    assert "mbo-school" in tip and "4%" in tip, tip
    fig.locator(".sop-chart__caption").tap()
    tab.wait_for_function(f"() => !({visible})()", timeout=3000)
    assert tab.evaluate("() => window.__sopCsp") == []
    phone.close()

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    desk.add_init_script(sitecheck.CSP_LISTENER)
    tab = desk.new_page()
    tab.goto(page)
    tab.wait_for_function(sitecheck.CHARTS_DRAWN, timeout=20000)
    fig = tab.locator("figure.sop-chart", has_text="Figuur 4.1")
    fig.locator(".mark-rect path").first.hover(force=True)
    tab.wait_for_function(visible, timeout=3000)
    tab.mouse.move(0, 0)
    tab.wait_for_function(f"() => !({visible})()", timeout=3000)
    canvas = fig.locator(".sop-chart__canvas")
    canvas.focus()
    tab.keyboard.press("ArrowDown")
    tab.wait_for_function(visible, timeout=3000)
    first = tab.locator("#vg-tooltip-element").inner_text()
    assert "po- of vo-school" in first and "ongeveer 67%" in first, first
    tab.keyboard.press("ArrowDown")
    assert "mbo-school" in tab.locator("#vg-tooltip-element").inner_text()
    assert fig.locator(".sop-mark--focus").count() == 1
    assert "2 van 4" in fig.locator(".sop-chart__live").inner_text()
    assert "Pijl omlaag" in (fig.locator(".sop-chart__keys").text_content() or "")
    tab.keyboard.press("Escape")
    tab.wait_for_function(f"() => !({visible})()", timeout=3000)
    assert tab.evaluate("() => window.__sopCsp") == []
    desk.close()
