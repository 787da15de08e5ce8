"""The house style for charts, and builders for the kinds of chart the report repeats.

A chart leaves a notebook as one deterministic output: the Vega-Lite spec under Altair's mime type
(plus a text description). :mod:`lib.vega_sphinx` renders it: interactive SVG in HTML (Vega served
from the site itself), a vector PDF in LaTeX. Numbers in charts use the Dutch locale (``1.746``,
``3,38``), colours are safe for colour-blind readers, and meaning never rests on colour alone.

One visual meaning per encoding, in every builder:

- **emphasis** (the sector of a sector edition): the emphasised bars keep their colour, the other
  sectors' bars turn grey (:data:`DEEMPHASIS`); in a dot plot, where colour and shape name the
  group, the other groups' dots are smaller and lighter. Lighter or grey never means anything else.
- **approximate** (the source says "circa", "bijna", "ruim"): an *open* bar, white inside with a
  dashed outline (:data:`APPROX_DASH`), explained in a legend that names the words of that chart.
- **value axis**: starts at 0 and ends at a rounded maximum just above the largest value (or the
  upper end of a drawn interval), never above 100 for shares (:func:`nice_max`).
- **tooltips** (and the data table under each chart, which shows the same fields) add what the
  chart does not show: the exact value in Dutch notation, ``n`` where the data have it and the
  95%-interval where there is one. Their titles carry no unit the value already carries
  (:func:`bare_title`): "Aandeel: 37%", not "Aandeel (%): 37%".
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import altair as alt
import pandas as pd

from lib import fmt

# JSON outputs must use a "+json" mime type to be stored as JSON in a notebook (nbformat).
MIME_TYPE = "application/vnd.vegalite.v6+json"

# Okabe–Ito, distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
HIGHLIGHT = "#0072B2"  # 5.1:1 on white
# Lines need 3:1 against white on their own (no outline): blue 5.1, vermilion 3.9, green 3.4.
LINE_PALETTE = ("#0072B2", "#D55E00", "#009E73")
DASHES = ([1, 0], [6, 3], [2, 2])  # solid, dashed, dotted: lines differ not by colour alone
MUTED = "#767676"  # 4.5:1 on white: still readable as text
TEXT = "#1a1a1a"
OUTLINE = "#000000"  # of bars and points: 3:1 against white whatever the fill
# the other sectors in a sector edition: a grey fill (its black outline keeps 3:1); an open bar of
# another sector gets a grey outline instead, 4.5:1 against white
DEEMPHASIS = "#b3b3b3"
DEEMPHASIS_LINE = MUTED
# an approximate value: an open bar, white inside, its outline dashed and twice as thick
EXACT, APPROXIMATE = "exact", "benaderd"
APPROX_FILL = "white"
APPROX_DASH = [4, 3]
APPROX_WIDTH = 2
SOLID = [1, 0]
# columns that hold the number of respondents (or cases) behind a value: shown in the tooltip
N_COLUMNS = ("n", "n_groep")
N_TITLE = "n"
INTERVAL_TITLE = "95%-interval"
LEGEND_CHAR_PX = 8.0  # a generous width per character of a 12 px legend label (DejaVu Sans)
FONT = "DejaVu Sans, Verdana, sans-serif"

NL_NUMBER = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€\u00a0", ""]}
NL_TIME = {
    "dateTime": "%a %e %B %Y %X", "date": "%d-%m-%Y", "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
    "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
    "months": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december"],
    "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov",
                    "dec"],
}

CONFIG: dict[str, Any] = {
    "locale": {"number": NL_NUMBER, "time": NL_TIME},
    "font": FONT,
    "background": "white",
    "view": {"stroke": None},
    "axis": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 12, "titleFontSize": 12,
             "domainColor": MUTED, "tickColor": MUTED, "gridColor": "#e6e6e6"},
    "legend": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 12, "titleFontSize": 12,
               "symbolStrokeWidth": 1},
    "title": {"color": TEXT, "fontSize": 14, "anchor": "start"},
    "text": {"color": TEXT, "fontSize": 12},
    # Bars and points get a black outline, so a light fill (grey, orange) still stands out 3:1
    # against white (WCAG 1.4.11); an open (approximate) bar has its own coloured outline.
    "bar": {"stroke": OUTLINE, "strokeWidth": 1},
    "point": {"stroke": OUTLINE, "strokeWidth": 1},
    "range": {"category": list(PALETTE)},
}


def house(chart: alt.TopLevelMixin, *, caption: str, source: str,
          description: str | None = None, note: str | None = None,
          dataset: str | None = None,
          datasets: Sequence[str] = ()) -> alt.TopLevelMixin:
    """Apply the house style and the metadata every chart must carry.

    ``description`` is read by screen readers (the SVG's label); the builders below generate it
    from the data, so pass it only for a chart made without one. ``caption`` keeps the source's
    numbering (``Figuur 4.1 …``); ``source`` names where the values come from; ``note`` is shown
    above the chart (a sector edition's "no split by sector"); ``dataset`` names the data file
    behind the chart (tests use it to check the sector rules), ``datasets`` all data files behind
    it (the figure's CSV download names them). The data table under the chart shows what the
    tooltips show, with their titles as headings; the figure's CSV holds the columns the builder
    named in ``usermeta.columns`` (:func:`data_columns`).
    """
    if description is None:
        existing = chart.to_dict(validate=False).get("description")
        description = existing if isinstance(existing, str) else ""
    if not description.strip() or not caption.strip():
        raise ValueError("een figuur heeft een description en een caption nodig")
    existing_meta = chart.to_dict(validate=False).get("usermeta")
    meta = ((existing_meta if isinstance(existing_meta, dict) else {})
            | {"caption": caption, "source": source} | ({"note": note} if note else {})
            | ({"dataset": dataset} if dataset else {})
            | ({"datasets": list(datasets)} if datasets else {}))
    return chart.properties(description=description, usermeta=meta).configure(**CONFIG)


def data_columns(*columns: str | None) -> dict[str, Any]:
    """``usermeta`` naming the data columns behind a chart: the labels and the plotted numbers
    (value, n, interval ends, the source's precision word), in this order. The figure's CSV
    download (:mod:`lib.vega_sphinx`) holds these columns, unformatted (decimal point)."""
    return {"columns": list(dict.fromkeys(c for c in columns if c))}


def _listing(labels: Sequence[Any], values: Sequence[str]) -> str:
    """``a: 1; b: 2`` for a text alternative."""
    return "; ".join(f"{k}: {v}" for k, v in zip(labels, values, strict=True))


class ChartOutput:
    """What a chapter displays: the spec under the Vega-Lite mime type, and a text fallback."""

    def __init__(self, chart: alt.TopLevelMixin) -> None:
        self.spec = chart.to_dict()
        meta = self.spec.get("usermeta", {})
        if "caption" not in meta or "description" not in self.spec:
            raise ValueError("grafiek zonder house(): caption en description ontbreken")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        meta = self.spec["usermeta"]
        text = f"{meta['caption']}\n{self.spec['description']}"
        return {MIME_TYPE: self.spec, "text/plain": text}


def wrapped_labels(values: list[str], width: int = 34, max_lines: int | None = None) -> str | None:
    """A Vega ``labelExpr`` that breaks long category labels over lines (None if none is long);
    with ``max_lines``, a longer label ends in "…" (its full text stays in tooltip and table).

    Labels come from data, so they enter the expression as JSON string literals.
    """
    long = {v: textwrap.wrap(v, width, max_lines=max_lines, placeholder=" …")
            for v in values if len(v) > width}
    if not long:
        return None
    expr = "datum.label"
    for value, lines in long.items():
        expr = f"datum.label === {json.dumps(value)} ? {json.dumps(lines)} : ({expr})"
    return expr


def show(chart: alt.TopLevelMixin) -> ChartOutput:
    """Wrap a finished chart for display (last expression of a cell)."""
    return ChartOutput(chart)


def _precision_label(df: pd.DataFrame, value: str, precision: str | None,
                     show: Callable[[float], str] = fmt.pct) -> list[str]:
    """Value labels, with the source's precision words (``ongeveer 300``) where given."""
    if precision is None:
        return [show(v) for v in df[value]]
    return [fmt.PRECISION_WORDS[p] + show(v)
            for v, p in zip(df[value], df[precision], strict=True)]


def nice_max(largest: float, cap: float | None = None) -> float:
    """A rounded axis maximum with room for the value labels: 67 → 80, 73 → 90, 82 → 100,
    31 → 40, 1,71 → 2, 300 → 400 (shares end on a ten).

    ``largest`` is the largest value drawn (the upper end of an interval where one is drawn);
    ``cap`` (100 for shares) is never exceeded unless a value lies above it.
    """
    if largest <= 0:
        return 1.0
    target = largest * 1.1
    magnitude = 10 ** math.floor(math.log10(target))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9, 10):
        top = step * magnitude
        if top >= target:
            break
    top = float(round(top, 10))  # 1.2 * 10 is 12.000000000000002 in floating point
    return min(top, cap) if cap is not None and largest <= cap else top


def bare_title(title: str) -> str:
    """An axis title without the unit its values already carry, for tooltips and table headings:
    ``Aandeel (%)`` → ``Aandeel`` (the value reads ``37%``: no "Aandeel (%) 37%")."""
    bare = re.sub(r"\s*(\((%|procent)\)|in (%|procent))\s*$", "", title).strip()
    return bare or title


def _decimals(value: float, most: int = 2) -> int:
    """The fewest decimals (up to ``most``) that show ``value`` as it is: 37.0 → 0, 66.7 → 1."""
    for d in range(most + 1):
        if abs(round(value, d) - value) < 1e-9:
            return d
    return most


def _exact_text(df: pd.DataFrame, value: str, precision: str | None,
                show: Callable[[float], str] | None) -> list[str]:
    """The value as exactly as the data have it, for the tooltip and the data table: a share
    with its decimals (``66,7%``), an approximate value as the source words it (``ongeveer 67%``).
    With ``show`` (the chart's own number format, e.g. two decimals) that format is used."""
    out = []
    for i, v in enumerate(df[value]):
        p = df[precision].iloc[i] if precision else "exact"
        if show is not None:
            out.append(fmt.PRECISION_WORDS[p] + show(v))
        elif p in ("exact", "afgerond"):
            out.append(fmt.pct(v, _decimals(float(v))))
        else:
            out.append(fmt.PRECISION_WORDS[p] + fmt.pct(v))
    return out


def _n_column(df: pd.DataFrame, n: str | None) -> str | None:
    """The column with the ``n`` behind each value: ``n`` as given, or the first of
    :data:`N_COLUMNS` the data have (``n=""`` for none)."""
    if n == "":
        return None
    if n is not None:
        if n not in df.columns:
            raise ValueError(f"kolom {n!r} voor n ontbreekt; kolommen: {list(df.columns)}")
        return n
    return next((c for c in N_COLUMNS if c in df.columns), None)


def _add_n(d: pd.DataFrame, n_col: str | None) -> list[alt.Tooltip]:
    """Put the n (Dutch notation) in ``n_tekst``; the tooltip entry for it, if there is one."""
    if n_col is None:
        return []
    d["n_tekst"] = [fmt.number(v) for v in d[n_col]]
    return [alt.Tooltip("n_tekst:N", title=N_TITLE)]


def _aria(d: pd.DataFrame, tips: list[alt.Tooltip]) -> alt.Description:
    """What a screen reader says for each mark: the tooltip's lines (``Sector: po; Aandeel:
    ongeveer 67%``) in the column ``beschrijving``, instead of Vega-Lite's list of every encoded
    field (internal ones such as ``soort`` included)."""
    pairs = []
    for t in tips:
        spec = t.to_dict()
        pairs.append((spec["field"], spec.get("title", spec["field"])))
    d["beschrijving"] = ["; ".join(f"{title}: {row[field]}" for field, title in pairs)
                         for row in d.to_dict("records")]
    return alt.Description("beschrijving:N")


def _interval_text(lo: float, hi: float, percent: bool = True,
                   show: Callable[[float], str] | None = None) -> str:
    """``51–57%`` (shares) or ``1,2–2,4``."""
    if show is not None:
        return f"{show(lo)}–{show(hi)}"
    return f"{fmt.number(lo, 0)}–{fmt.number(hi, 0)}" + ("%" if percent else "")


def _or(words: Sequence[str]) -> str:
    """``a``, ``a of b``, ``a, b of c``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " of " + words[-1]


def approx_legend_labels(precisions: Sequence[str]) -> dict[str, str]:
    """The legend's words for exact and approximate values, naming the precision words that
    occur in this chart (``benaderd (de tekst zegt ongeveer of bijna)``): no ellipsis, no cut."""
    words = [fmt.PRECISION_WORDS[p].strip() for p in dict.fromkeys(precisions)
             if p in fmt.PRECISION_WORDS and fmt.PRECISION_WORDS[p].strip()]
    approx = f"benaderd (de tekst zegt {_or(words)})" if words else "benaderd"
    return {EXACT: "exact of afgerond", APPROXIMATE: approx}


def _approx_legend(labels: dict[str, str]) -> alt.Legend:
    """The legend of open (approximate) and filled (exact) bars: under the chart, one entry per
    line, wide enough for its longest label (web and PDF)."""
    expr = (f"datum.label === {json.dumps(APPROXIMATE)} ? {json.dumps(labels[APPROXIMATE])} : "
            f"{json.dumps(labels[EXACT])}")
    longest = max(len(v) for v in labels.values())
    return alt.Legend(title="Waarde in de bron", orient="bottom", direction="vertical",
                      symbolType="square", symbolSize=200, labelExpr=expr,
                      labelLimit=math.ceil(longest * LEGEND_CHAR_PX) + 20)


def _kinds(d: pd.DataFrame, precision: str | None) -> list[str]:
    if precision is None:
        return [EXACT] * len(d)
    return [EXACT if p in ("exact", "afgerond") else APPROXIMATE for p in d[precision]]


def bars(df: pd.DataFrame, *, category: str, value: str, category_title: str, value_title: str,
         precision: str | None = None, highlight: str | None = None, sort: list[str] | None = None,
         max_value: float | None = None,
         value_format: Callable[[float], str] | None = None, n: str | None = None,
         low: str | None = None, high: str | None = None) -> alt.LayerChart:
    """Horizontal bars with the value written beside each bar.

    ``precision`` names a column such as ``precisie`` (``circa``, ``bijna``): approximate values are
    drawn as open bars with a dashed outline, their label says so and a legend explains it.
    ``highlight`` picks one category to emphasise: the other bars turn grey. Values are
    percentages unless ``value_format`` (e.g. ``lambda v: fmt.number(v, 2)``) says otherwise; the
    axis ends at a rounded maximum just above the largest value (or interval end), at most 100
    for percentages. ``n`` names the column with the number behind each value (default: ``n`` or
    ``n_groep`` if the data have one); ``low`` and ``high`` a 95%-interval, drawn as a line.
    """
    n_col = _n_column(df, n)
    keep = list(dict.fromkeys([category, value] + [c for c in (precision, n_col, low, high) if c]))
    d = df[keep].copy()
    percent = value_format is None
    largest = float(max(d[value].max(), d[high].max() if high else 0))
    if max_value is None:  # room for the labels; never cut a bar off
        max_value = nice_max(largest, cap=100.0 if percent else None)
    d["waarde_tekst"] = _precision_label(d, value, precision, value_format or fmt.pct)
    d["waarde_exact"] = _exact_text(d, value, precision, value_format)
    d["soort"] = _kinds(d, precision)
    if highlight is not None:
        d["nadruk"] = [c == highlight for c in d[category]]
    tips = [alt.Tooltip(f"{category}:N", title=category_title),
            alt.Tooltip("waarde_exact:N", title=bare_title(value_title))]
    tips += _add_n(d, n_col)
    if low and high:
        d["interval"] = [_interval_text(lo, hi, percent, value_format)
                         for lo, hi in zip(d[low], d[high], strict=True)]
        tips.append(alt.Tooltip("interval:N", title=INTERVAL_TITLE))
    d["label_x"] = d[[value, high]].max(axis=1) if high else d[value]
    aria = _aria(d, tips)
    order = sort or list(d[category])
    y = alt.Y(f"{category}:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=260, labelExpr=wrapped_labels(order) or alt.Undefined))
    base = alt.Chart(d).encode(
        y=y, x=alt.X(f"{value}:Q", title=value_title, scale=alt.Scale(domain=[0, max_value])),
        tooltip=tips)
    approx = bool((d["soort"] == APPROXIMATE).any())
    legend = (_approx_legend(approx_legend_labels(
        [p for p, k in zip(d[precision], d["soort"], strict=True) if k == APPROXIMATE]))
        if approx and precision else None)
    kinds = [EXACT, APPROXIMATE]
    faded = "datum.nadruk === false"  # only a sector edition's other sectors
    # fill, outline, dash and width all follow "soort", so Vega-Lite draws one legend of both
    barmarks = base.mark_bar(height={"band": 0.7}).encode(
        description=aria,
        fill=alt.condition(f"{faded} && datum.soort === '{EXACT}'", alt.value(DEEMPHASIS),
                           alt.Fill("soort:N", legend=legend, scale=alt.Scale(
                               domain=kinds, range=[HIGHLIGHT, APPROX_FILL]))),
        stroke=alt.condition(f"{faded} && datum.soort === '{APPROXIMATE}'",
                             alt.value(DEEMPHASIS_LINE),
                             alt.Stroke("soort:N", legend=legend, scale=alt.Scale(
                                 domain=kinds, range=[OUTLINE, HIGHLIGHT]))),
        strokeDash=alt.StrokeDash("soort:N", legend=legend,
                                  scale=alt.Scale(domain=kinds, range=[SOLID, APPROX_DASH])),
        strokeWidth=alt.StrokeWidth("soort:N", legend=legend,
                                    scale=alt.Scale(domain=kinds, range=[1, APPROX_WIDTH])),
    )
    layers: list[alt.Chart] = [barmarks]
    if low and high:
        layers.append(base.mark_rule(color=TEXT, strokeWidth=1.5).encode(
            x=alt.X(f"{low}:Q"), x2=alt.X2(f"{high}")))
    # the label clears an open bar's thicker outline too
    layers.append(base.mark_text(align="left", dx=5).encode(x=alt.X("label_x:Q"),
                                                            text="waarde_tekst:N"))
    # a band per bar that holds its label: 28 px for one line, 14 px more per extra line
    lines = max(len(textwrap.wrap(str(c), 34)) or 1 for c in order)
    step = 28 if lines == 1 else 10 + 14 * lines
    ordered = d.set_index(category).loc[order]
    text = (f"Staafdiagram, {value_title}: "
            + _listing(list(ordered.index), list(ordered["waarde_tekst"])) + ".")
    if low and high:
        text += (" Met het 95%-interval als lijn: "
                 + _listing(list(ordered.index), list(ordered["interval"])) + ".")
    if approx:
        text += (" Open staven met een gestreepte rand zijn benaderingen: de bron noemt daar geen "
                 "exact getal.")
    if highlight is not None and highlight in set(d[category]):
        text += f" De staaf van {highlight} is benadrukt, de andere zijn grijs."
    return alt.layer(*layers).properties(width=260, height=alt.Step(step), description=text,
                                         usermeta=data_columns(*keep))


def grouped_bars(df: pd.DataFrame, *, category: str, group: str, value: str, category_title: str,
                 group_title: str, value_title: str, highlight: str | None = None,
                 label: str | None = None, max_value: float | None = None,
                 n: str | None = None) -> alt.FacetChart:
    """Bars per category, one row per group (small multiples), each bar labelled with its value.

    Groups are told apart by position and name, not by colour alone; ``highlight`` picks a
    category (for example the sector of a sector edition): the other categories' bars turn grey.
    The axis ends at a rounded maximum above the largest value (at most 100 when the value title
    says ``%``); ``n`` as in :func:`bars`.
    """
    d = df.copy()
    n_col = _n_column(d, n)
    d["waarde_tekst"] = d[label] if label else d[value].map(fmt.number)
    if highlight:
        d["nadruk"] = [c == highlight for c in d[category]]
    if max_value is None:
        max_value = nice_max(float(d[value].max()), cap=100.0 if "%" in value_title else None)
    tips = [alt.Tooltip(f"{category}:N", title=category_title),
            alt.Tooltip(f"{group}:N", title=group_title),
            alt.Tooltip("waarde_tekst:N", title=bare_title(value_title))]
    tips += _add_n(d, n_col)
    aria = _aria(d, tips)
    base = alt.Chart(d).encode(
        y=alt.Y(f"{group}:N", title=None, axis=alt.Axis(labelLimit=300)),
        x=alt.X(f"{value}:Q", title=value_title, scale=alt.Scale(domain=[0, max_value])),
        tooltip=tips,
    )
    barmarks = base.mark_bar(height={"band": 0.7}).encode(
        description=aria,
        color=alt.condition("datum.nadruk === false", alt.value(DEEMPHASIS),
                            alt.Color(f"{group}:N", title=group_title, legend=None,
                                      scale=alt.Scale(range=[HIGHLIGHT, PALETTE[1]]))),
    )
    labels = base.mark_text(align="left", dx=4).encode(text="waarde_tekst:N")
    parts = []
    for cat, rows in d.groupby(category, sort=False):
        parts.append(f"{cat}: " + ", ".join(f"{g} {t}" for g, t in
                                             zip(rows[group], rows["waarde_tekst"], strict=True)))
    text = (f"Staafdiagram per {category_title.lower()}, met een staaf per "
            f"{group_title.lower()} ({value_title}). " + "; ".join(parts) + ".")
    if highlight and highlight in set(d[category]):
        text += f" De staven van {highlight} zijn benadrukt, de andere zijn grijs."
    return alt.layer(barmarks, labels).properties(width=280, height=alt.Step(22)).facet(
        row=alt.Row(f"{category}:N", title=category_title, sort=list(dict.fromkeys(d[category])),
                    header=alt.Header(labelAngle=0, labelAlign="left", labelFontSize=12,
                                      labelColor=TEXT, titleColor=TEXT)),
        spacing=6,
    ).properties(description=text, usermeta=data_columns(category, group, value, n_col))


def likert_by_group(df: pd.DataFrame, *, item: str, group: str, value: str, scale: tuple[int, int],
                    item_title: str, group_title: str, value_title: str,
                    highlight: str | None = None, n: str | None = None) -> alt.Chart:
    """Mean item scores per group as a dot plot: one row per item, one mark per group.

    Groups differ in colour *and* shape; the value is in the tooltip and the data table.
    ``highlight`` (a group) is drawn large and opaque, the other groups small and light. Item
    labels wrap over two lines; the value axis starts at the half point below the lowest score
    (the scale's ends are named in the description), so differences between groups stay visible.
    ``n`` as in :func:`bars`.
    """
    n_col = _n_column(df, n)
    d = df[list(dict.fromkeys([item, group, value] + ([n_col] if n_col else [])))].copy()
    items = list(dict.fromkeys(d[item]))
    label_expr = wrapped_labels(items, 44, max_lines=2)
    low = max(float(scale[0]), math.floor((float(d[value].min()) - 0.1) * 2) / 2)
    d["waarde_tekst"] = d[value].map(lambda v: fmt.number(v, 2))
    d["nadruk"] = [g == highlight for g in d[group]] if highlight else True
    tips = [alt.Tooltip(f"{item}:N", title=item_title),
            alt.Tooltip(f"{group}:N", title=group_title),
            alt.Tooltip("waarde_tekst:N", title=bare_title(value_title))]
    tips += _add_n(d, n_col)
    groups = list(dict.fromkeys(d[group]))
    shapes = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "stroke"]
    parts = [f"{it}: " + ", ".join(f"{g} {t}" for g, t in
                                   zip(rows[group], rows["waarde_tekst"], strict=True))
             for it, rows in d.groupby(item, sort=False)]
    text = (f"Stippendiagram: {value_title} per {item_title.lower()}, een stip per "
            f"{group_title.lower()} ({fmt.join(groups)}), schaal {scale[0]} tot {scale[1]}. "
            + "; ".join(parts) + ".")
    if highlight and highlight in groups:
        text += f" De stippen van {highlight} zijn groter en donkerder."
    if low > scale[0]:
        text += f" De as loopt van {fmt.number(low, 1)} tot {fmt.number(scale[1])}."
    return alt.Chart(d).mark_point(filled=True).encode(
        y=alt.Y(f"{item}:N", title=None, sort=items,
                axis=alt.Axis(labelLimit=320, labelExpr=label_expr or alt.Undefined)),
        x=alt.X(f"{value}:Q", title=value_title,
                scale=alt.Scale(domain=[low, scale[1]], nice=False)),
        color=alt.Color(f"{group}:N", title=group_title,
                        scale=alt.Scale(domain=groups, range=list(PALETTE[: len(groups)]))),
        shape=alt.Shape(f"{group}:N", title=group_title,
                        scale=alt.Scale(domain=groups, range=shapes[: len(groups)])),
        size=alt.condition(alt.datum.nadruk, alt.value(110), alt.value(45)),
        fillOpacity=alt.condition(alt.datum.nadruk, alt.value(1.0), alt.value(0.55)),
        tooltip=tips, description=_aria(d, tips),
    ).properties(width=300, height=alt.Step(36 if label_expr else 24), description=text,
                 usermeta=data_columns(item, group, value, n_col))


def before_after(df: pd.DataFrame, *, category: str, moment: str, value: str,
                 order: tuple[str, str], category_title: str, value_title: str,
                 scale: tuple[float, float], n: str | None = None) -> alt.LayerChart:
    """Dumbbell chart: per category a line from the first to the second moment, both labelled;
    the axis keeps the rating scale's range. ``n`` as in :func:`bars`."""
    n_col = _n_column(df, n)
    d = df[list(dict.fromkeys([category, moment, value] + ([n_col] if n_col else [])))].copy()
    d["waarde_tekst"] = d[value].map(lambda v: fmt.number(v, 2))
    d["volgorde"] = d[moment].map({order[0]: 0, order[1]: 1})
    base = alt.Chart(d).encode(
        y=alt.Y(f"{category}:N", title=None, sort=list(dict.fromkeys(d[category])),
                axis=alt.Axis(labelLimit=260)),
        x=alt.X(f"{value}:Q", title=value_title, scale=alt.Scale(domain=list(scale), nice=False)),
    )
    line = base.mark_line(color=MUTED, strokeWidth=2).encode(detail=f"{category}:N",
                                                             order="volgorde:O")
    tips = [alt.Tooltip(f"{category}:N", title=category_title),
            alt.Tooltip(f"{moment}:N", title="Moment"),
            alt.Tooltip("waarde_tekst:N", title=bare_title(value_title))]
    tips += _add_n(d, n_col)
    points = base.mark_point(filled=True, size=90).encode(
        color=alt.Color(f"{moment}:N", title="Moment",
                        scale=alt.Scale(domain=list(order), range=[PALETTE[1], HIGHLIGHT])),
        shape=alt.Shape(f"{moment}:N", title="Moment",
                        scale=alt.Scale(domain=list(order), range=["square", "circle"])),
        tooltip=tips, description=_aria(d, tips),
    )
    parts = []
    for cat, rows in d.sort_values("volgorde").groupby(category, sort=False):
        parts.append(f"{cat}: " + ", ".join(f"{m} {t}" for m, t in
                                             zip(rows[moment], rows["waarde_tekst"], strict=True)))
    text = (f"Halterdiagram: {value_title} per {category_title.lower()}, {order[0]} en "
            f"{order[1]} verbonden door een lijn, schaal {fmt.number(scale[0])} tot "
            f"{fmt.number(scale[1])}. " + "; ".join(parts) + ".")
    return alt.layer(line, points).properties(width=300, height=alt.Step(28), description=text,
                                              usermeta=data_columns(category, moment, value,
                                                                    n_col))


def trend_with_band(df: pd.DataFrame, *, year: str, value: str, low: str, high: str, group: str,
                    year_title: str, value_title: str, group_title: str,
                    n: str | None = None) -> alt.LayerChart:
    """Shares over the years per group: line with points, a band for the 95% interval, and the
    group named at the end of its line (no legend lookup needed). The value axis spans the band
    in steps of ten (0 to 100 would flatten the lines). ``n`` as in :func:`bars`."""
    n_col = _n_column(df, n)
    d = df[list(dict.fromkeys([year, value, low, high, group] + ([n_col] if n_col else [])))].copy()
    d["waarde_tekst"] = d[value].map(lambda v: fmt.pct(v, _decimals(float(v), 1)))
    d["interval"] = [_interval_text(lo, hi) for lo, hi in zip(d[low], d[high], strict=True)]
    groups = list(dict.fromkeys(d[group]))
    if len(groups) > len(LINE_PALETTE):
        raise ValueError(f"trend_with_band: hoogstens {len(LINE_PALETTE)} groepen, kreeg {groups}")
    colour = alt.Color(f"{group}:N", title=group_title, sort=groups, legend=None,
                       scale=alt.Scale(domain=groups, range=list(LINE_PALETTE[: len(groups)])))
    dash = alt.StrokeDash(f"{group}:N", sort=groups, legend=None,
                          scale=alt.Scale(domain=groups, range=DASHES[: len(groups)]))
    # the value axis spans the data (in steps of ten), not 0-100: the lines would be flat
    domain = [max(0, math.floor(d[low].min() / 10) * 10),
              min(100, math.ceil(d[high].max() / 10) * 10)]
    base = alt.Chart(d).encode(x=alt.X(f"{year}:O", title=year_title,
                                       axis=alt.Axis(labelAngle=0)), color=colour)
    # the band's edges are drawn (thin, dotted) so it stands out 3:1 (WCAG 1.4.11)
    band = base.mark_area(fillOpacity=0.15, strokeWidth=1, strokeDash=[2, 2]).encode(
        y=alt.Y(f"{low}:Q", title=value_title, scale=alt.Scale(domain=domain)),
        y2=f"{high}:Q", stroke=alt.Stroke(f"{group}:N", sort=groups, legend=None,
                                          scale=alt.Scale(domain=groups,
                                                          range=list(LINE_PALETTE[: len(groups)]))))
    tips = [alt.Tooltip(f"{group}:N", title=group_title),
            alt.Tooltip(f"{year}:O", title=year_title),
            alt.Tooltip("waarde_tekst:N", title=bare_title(value_title)),
            alt.Tooltip("interval:N", title=INTERVAL_TITLE)]
    tips += _add_n(d, n_col)
    line = base.mark_line(point=True).encode(y=f"{value}:Q", strokeDash=dash, tooltip=tips,
                                             description=_aria(d, tips))
    last = d[d[year] == d[year].max()].sort_values(value, ascending=False).copy()
    # end labels of lines that finish close together are pushed apart (pixels, up and down)
    last["verschuiving"] = [(i - (len(last) - 1) / 2) * 14 for i in range(len(last))]
    # the names in text colour (4.5:1); the line they stand at tells which is which
    ends = alt.Chart(last).mark_text(align="left", dx=6, color=TEXT).encode(
        x=alt.X(f"{year}:O"), y=f"{value}:Q", yOffset=alt.YOffset("verschuiving:Q", scale=None),
        text=f"{group}:N")
    parts = []
    for g, rows in d.groupby(group, sort=False):
        parts.append(f"{g}: " + ", ".join(f"{y} {t} ({i})" for y, t, i in
                                           zip(rows[year], rows["waarde_tekst"], rows["interval"],
                                               strict=True)))
    text = (f"Lijndiagram: {value_title} per {year_title.lower()}, met het 95%-interval als "
            "band. " + "; ".join(parts) + ".")
    return alt.layer(band, line, ends).properties(
        width=360, height=220, description=text,
        usermeta=data_columns(group, year, value, low, high, n_col))


def stacked_shares(df: pd.DataFrame, *, category: str, answer: str, value: str,
                   answers: list[str], category_title: str, answer_title: str,
                   n: str | None = None) -> alt.LayerChart:
    """100% stacked bars of answer shares per category, each segment labelled with its share
    where it is wide enough; answers are ordered as given (e.g. negative to positive). The axis
    runs to 100%: the segments are the whole. ``n`` as in :func:`bars`."""
    n_col = _n_column(df, n)
    d = df[list(dict.fromkeys([category, answer, value] + ([n_col] if n_col else [])))].copy()
    d["waarde_tekst"] = d[value].map(lambda v: f"{fmt.number(v, 0)}%")
    d["volgorde"] = d[answer].map({a: i for i, a in enumerate(answers)})
    colours = ["#D55E00", "#E69F00", "#56B4E9", "#0072B2", "#767676", "#CC79A7"]
    on_dark = {"#D55E00", "#0072B2", "#767676"}  # white text has ≥ 4.5:1 contrast only on these
    d["tekstkleur"] = [("white" if colours[i % len(colours)] in on_dark else TEXT)
                       for i in d["volgorde"]]
    tips = [alt.Tooltip(f"{category}:N", title=category_title),
            alt.Tooltip(f"{answer}:N", title=answer_title),
            alt.Tooltip("waarde_tekst:N", title="Aandeel"),
            *_add_n(d, n_col)]
    aria = _aria(d, tips)
    base = alt.Chart(d).encode(
        y=alt.Y(f"{category}:N", title=None, sort=list(dict.fromkeys(d[category])),
                axis=alt.Axis(labelLimit=220)),
        x=alt.X(f"{value}:Q", stack="normalize", title="Aandeel",
                axis=alt.Axis(format="%")),
        order=alt.Order("volgorde:Q"),
        tooltip=tips,
    )
    bars = base.mark_bar(strokeWidth=1).encode(
        color=alt.Color(f"{answer}:N", title=answer_title, sort=answers,
                        scale=alt.Scale(domain=answers, range=colours[: len(answers)]),
                        legend=alt.Legend(orient="bottom", direction="horizontal", columns=3,
                                          labelLimit=0)),
        stroke=alt.value(OUTLINE),  # as an encoding, so the legend's symbols get it too
        description=aria)
    text = base.mark_text(dx=-4, align="right", fontWeight="bold").encode(
        text=alt.condition(f"datum.{value} >= 8", "waarde_tekst:N", alt.value("")),
        color=alt.Color("tekstkleur:N", scale=None))
    parts = []
    for cat, rows in d.sort_values("volgorde").groupby(category, sort=False):
        parts.append(f"{cat}: " + ", ".join(f"{a} {t}" for a, t in
                                             zip(rows[answer], rows["waarde_tekst"], strict=True)))
    alt_text = (f"Gestapeld staafdiagram: verdeling over {answer_title.lower()} per "
                f"{category_title.lower()}. " + "; ".join(parts) + ".")
    return alt.layer(bars, text).properties(width=380, height=alt.Step(26),
                                            description=alt_text,
                                            usermeta=data_columns(category, answer, value, n_col))


# --- nested contexts (a diagram, not a data chart) ---------------------------------------------

# Light tints per depth: the nesting shows as a step in colour as well as by the frame; text in
# TEXT stays far above 4.5:1 on all of them. The emphasised layer gets HIGHLIGHT with white text.
NEST_FILLS = ("#f4f4f4", "#e9eff6", "#dce8f3", "#f9fbfd", "#ffffff")
NEST_STROKE = "#4d4d4d"  # the frames: 8:1 against white, above 3:1 against every tint
NEST_PAD = 10  # px between a frame and the frames inside it (sides and bottom)
NEST_TEXT_PAD = 8  # px between a frame and its text
LABEL_SIZE, LABEL_LINE, LABEL_CHAR = 12, 16, 8.0  # bold label: font px, line height, width/char
BODY_SIZE, BODY_LINE, BODY_CHAR = 11, 14, 6.6  # content text (widths generous: Verdana is wide)
ROW_ORDER = ("links", "midden", "rechts")


def _wrap(text: str, width_px: float, char_px: float) -> list[str]:
    """``text`` broken into lines that fit ``width_px`` at about ``char_px`` per character."""
    return textwrap.wrap(text, max(8, int(width_px // char_px)), break_on_hyphens=False) or [""]


def nested_contexts(df: pd.DataFrame, *, key: str = "id", parent: str = "ouder",
                    level: str = "niveau", position: str = "positie", label: str = "label",
                    content: str = "inhoud", highlight: str | None = None, width: int = 680,
                    kind: str = "Schema van lagen die in elkaar liggen") -> alt.LayerChart:
    """Contexts drawn inside each other: a frame per layer, its name in bold and what belongs to it
    underneath, the next layer inside. Children of one layer either fill it (``position`` =
    ``geheel``, one child) or stand side by side (``links``, ``midden``, ``rechts``).

    Coordinates are computed here from the nesting (pixels, no axes); text is wrapped to its frame.
    ``highlight`` (a ``key``) is drawn in the emphasis colour. The text alternative walks the
    layers from outside in and names every layer with what belongs to it.
    """
    rows = {r[key]: r for r in df.to_dict("records")}
    if len(rows) != len(df):
        raise ValueError(f"nested_contexts: dubbele waarden in '{key}'")
    children: dict[str, list[str]] = {k: [] for k in rows}
    roots = []
    for k, r in rows.items():
        p = r[parent]
        if fmt.is_missing(p) or p == "":
            roots.append(k)
            continue
        if p not in rows:
            raise ValueError(f"nested_contexts: laag {k!r} ligt in onbekende laag {p!r}")
        if int(r[level]) != int(rows[p][level]) + 1:
            raise ValueError(f"nested_contexts: laag {k!r} heeft niveau {r[level]}, één dieper "
                             f"dan {p!r} ({rows[p][level]}) verwacht")
        children[p].append(k)
    if len(roots) != 1:
        raise ValueError(f"nested_contexts: verwacht precies één buitenste laag, kreeg {roots}")
    for k, kids in children.items():
        places = [rows[c][position] for c in kids]
        if "geheel" in places and len(kids) > 1:
            raise ValueError(f"nested_contexts: laag {k!r} heeft een laag die hem vult "
                             f"('geheel') naast andere lagen: {kids}")
        if any(p not in ("geheel", *ROW_ORDER) for p in places):
            raise ValueError(f"nested_contexts: onbekende positie in {places}")
        kids.sort(key=lambda c: ROW_ORDER.index(rows[c][position])
                  if rows[c][position] in ROW_ORDER else 0)

    box: dict[str, dict[str, Any]] = {}

    def measure(k: str, x0: float, x1: float) -> float:
        """Lay out ``k`` between x0 and x1; returns its height (children measured too)."""
        text_w = x1 - x0 - 2 * NEST_TEXT_PAD
        heading = _wrap(str(rows[k][label]), text_w, LABEL_CHAR)
        body = _wrap(str(rows[k][content]), text_w, BODY_CHAR)
        head_h = (NEST_TEXT_PAD + len(heading) * LABEL_LINE + 2 + len(body) * BODY_LINE
                  + NEST_TEXT_PAD)
        box[k] = {"x": x0, "x2": x1, "kop": heading, "tekst": body, "kop_h": head_h}
        kids = children[k]
        if not kids:
            return head_h
        if len(kids) == 1 and rows[kids[0]][position] == "geheel":
            return head_h + measure(kids[0], x0 + NEST_PAD, x1 - NEST_PAD) + NEST_PAD
        inner = x1 - x0 - 2 * NEST_PAD
        col = (inner - (len(kids) - 1) * NEST_PAD) / len(kids)
        heights = [measure(c, x0 + NEST_PAD + i * (col + NEST_PAD),
                           x0 + NEST_PAD + i * (col + NEST_PAD) + col)
                   for i, c in enumerate(kids)]
        row_h = max(heights)
        for c in kids:  # side by side: one height, so the row reads as one layer
            box[c]["rij_h"] = row_h
        return head_h + row_h + NEST_PAD

    def place(k: str, y0: float, height: float) -> None:
        box[k]["y"], box[k]["y2"] = y0, y0 + height
        kids = children[k]
        y_in = y0 + box[k]["kop_h"]
        for c in kids:
            h = box[c].get("rij_h") or (height - box[k]["kop_h"] - NEST_PAD)
            place(c, y_in, h)

    root = roots[0]
    total = measure(root, 0.0, float(width))
    place(root, 0.0, total)

    order: list[str] = []

    def walk_down(k: str) -> None:
        order.append(k)
        for c in children[k]:
            walk_down(c)

    walk_down(root)
    for b in box.values():  # whole pixels: crisp frames, and no long fractions anywhere
        b.update({c: round(b[c]) for c in ("x", "x2", "y", "y2")})
    d = pd.DataFrame([{
        key: k, label: rows[k][label], content: rows[k][content],
        "beschrijving": f"{rows[k][label]}: {rows[k][content]}",
        "x": box[k]["x"], "x2": box[k]["x2"], "y": box[k]["y"], "y2": box[k]["y2"],
        "tekst_x": box[k]["x"] + NEST_TEXT_PAD, "kop_y": box[k]["y"] + NEST_TEXT_PAD,
        "tekst_y": box[k]["y"] + NEST_TEXT_PAD + len(box[k]["kop"]) * LABEL_LINE + 2,
        "kop_regels": "\n".join(box[k]["kop"]), "tekst_regels": "\n".join(box[k]["tekst"]),
        "vulling": (HIGHLIGHT if k == highlight
                    else NEST_FILLS[min(int(rows[k][level]), len(NEST_FILLS) - 1)]),
        "tekstkleur": "white" if k == highlight else TEXT,
    } for k in order])

    def pixels(field: str) -> dict[str, Any]:
        return {"field": field, "type": "quantitative", "scale": None, "axis": None}

    base = alt.Chart(d)
    frames = base.mark_rect(stroke=NEST_STROKE, strokeWidth=1).encode(
        x=alt.X(**pixels("x")), x2="x2", y=alt.Y(**pixels("y")), y2="y2",
        fill=alt.Fill("vulling:N", scale=None),
        # what a screen reader says per frame; no tooltip: it would only repeat the visible text
        description=alt.Description("beschrijving:N"))
    # the text repeats the frames' descriptions: hidden from screen readers (aria=False)
    headings = base.mark_text(align="left", baseline="top", fontWeight="bold", aria=False,
                              fontSize=LABEL_SIZE, lineHeight=LABEL_LINE, lineBreak="\n").encode(
        x=alt.X(**pixels("tekst_x")), y=alt.Y(**pixels("kop_y")), text="kop_regels:N",
        color=alt.Color("tekstkleur:N", scale=None))
    bodies = base.mark_text(align="left", baseline="top", fontSize=BODY_SIZE, aria=False,
                            lineHeight=BODY_LINE, lineBreak="\n").encode(
        x=alt.X(**pixels("tekst_x")), y=alt.Y(**pixels("tekst_y")), text="tekst_regels:N",
        color=alt.Color("tekstkleur:N", scale=None))

    def told(k: str) -> str:
        return f"{rows[k][label]} ({rows[k][content]})"

    parts = [f"de buitenste laag is {told(root)}"]
    k = root
    while children[k]:
        kids = children[k]
        if len(kids) == 1 and rows[kids[0]][position] == "geheel":
            parts.append(f"daarbinnen {told(kids[0])}")
            k = kids[0]
            continue
        parts.append("daarbinnen naast elkaar " + fmt.join(told(c) for c in kids))
        deeper = [c for c in kids if children[c]]
        if not deeper:
            break
        k = deeper[0]
    text = f"{kind}, van buiten naar binnen: " + "; ".join(parts) + "."
    if highlight is not None and highlight in rows:
        middle = (" staat in het midden en" if rows[highlight][position] == "midden" else "")
        text += f" {rows[highlight][label]}{middle} is benadrukt."
    return alt.layer(frames, headings, bodies).properties(
        width=width, height=math.ceil(total), description=text,
        usermeta=data_columns(key, label, content))
