"""Render chart outputs (Vega-Lite specs) in the book: a Sphinx extension plus a myst-nb plugin.

- HTML: a ``<figure>`` with the spec as a JSON data block, rendered to SVG in the browser by Vega,
  which the site serves itself (``_static/sop/vega-bundle.js``, from the pinned vl-convert, added
  only to pages that have a chart). Under every chart, its source line and a link to its data as
  a CSV file named after the figure (``figuren/figuur-6-1.csv`` beside the page, written here):
  the data package's convention (comma, decimal point, UTF-8), the columns the chart builder
  named (labels and plotted numbers, unformatted), with the data files behind it named and
  linked (their copies in the site's data package). Then, folded, a data table with what its
  tooltips show (styled as the book's tables: numbers right-aligned). Tooltips show on hover, on
  tap and, with the arrow keys, from the keyboard (``_static/sop-charts.js``).
- LaTeX/PDF: the spec rendered to a vector PDF by vl-convert, as a figure with its caption.

Registered twice: as a myst-nb mime renderer (entry point ``myst_nb.mime_renderers``) and as a
Sphinx extension (``lib.vega_sphinx`` in ``_config.yml``) for the static files.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import html
import io
import json
import math
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docutils import nodes

from lib.charts import MIME_TYPE
from lib.fmt import NOT_PUBLISHED, PRECISION_WORDS

VL_VERSION = "6.4"
STATIC_DIR = "sop"
BUNDLE = "vega-bundle.js"
INTERNAL_FIELDS = {"nadruk", "soort"}


def spec_hash(spec: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


def walk(obj: Any) -> Iterator[dict[str, Any]]:
    """Every mapping inside a Vega-Lite spec (layers, facets, encodings), depth first."""
    if isinstance(obj, dict):
        yield obj
        for v in obj.values():
            yield from walk(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from walk(v)


def table_columns(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, title) pairs of the chart's tooltips: the data table shows the same content."""
    seen: dict[str, str] = {}
    for node in walk(spec):
        tips = node.get("tooltip") if isinstance(node.get("tooltip"), list) else None
        for tip in tips or []:
            if isinstance(tip, dict) and "field" in tip:
                seen.setdefault(tip["field"], tip.get("title", tip["field"]))
    return list(seen.items())


def table_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for values in (spec.get("datasets") or {}).values():
        rows.extend(values)
    if not rows and isinstance(spec.get("data"), dict):
        rows = list(spec["data"].get("values", []))
    return rows


_WORDS = "|".join(sorted((w.strip() for w in PRECISION_WORDS.values() if w.strip()),
                          key=len, reverse=True))
_AMOUNT = r"[-−]?\d[\d.]*(?:,\d+)?\s?%?"
# a number as the charts write it: "37%", "bijna 30%", "1.115", "3,36", "51–57%"
_NUMERIC_CELL = re.compile(rf"(?:(?:{_WORDS})\s+)?{_AMOUNT}(?:\s?–\s?{_AMOUNT})?")


def numeric_columns(cols: list[tuple[str, str]], rows: list[dict[str, Any]]) -> set[str]:
    """The fields whose every cell is a number (with the source's precision words, a unit %,
    an interval, or "n.g."): right-aligned in the data table, as in the book's tables."""
    found = set()
    for field, _ in cols:
        cells = [str(r.get(field, "")).strip() for r in rows]
        cells = [c for c in cells if c and c != NOT_PUBLISHED]
        if cells and all(_NUMERIC_CELL.fullmatch(c) for c in cells):
            found.add(field)
    return found


def table_body(spec: dict[str, Any], cols: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The rows of the data table: each distinct row of tooltip fields once, in data order (a
    chart's helper layers, such as the end labels of a trend chart, repeat rows of its data)."""
    seen, body = set(), []
    for r in table_rows(spec):
        key = tuple(str(r.get(f, "")) for f, _ in cols)
        if key in seen or not any(f in r for f, _ in cols):
            continue
        seen.add(key)
        body.append(r)
    return body


FIGURE_DIR = "figuren"  # beside the page: book/editions/alle/figuren/figuur-6-1.csv
DATA_DIR = "datapackage/data"  # the site's copies of the data files (lib.datapackage)
_NUMBER = r"\d+\.\d+[a-z]?"
_FIGURE = re.compile(rf"^\s*Figuur ({_NUMBER}(?:\s+en\s+{_NUMBER})*)")
_NEXT_TO_TABLE = re.compile(rf"\bbij Tabel ({_NUMBER}(?:\s+en\s+{_NUMBER})*)", re.I)


def figure_name(caption: str) -> str:
    """The file name (without ``.csv``) of a chart's data, after its number in the caption:
    ``Figuur 6.1 …`` → ``figuur-6-1``, ``Figuur 5.4a en 5.4b …`` → ``figuur-5-4a-en-5-4b``, a
    chart that goes with a table (``… (bij Tabel 6.3)``) → ``figuur-bij-tabel-6-3``; a caption
    without a number gives a name from its first words."""
    def slug(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")

    if m := _FIGURE.search(caption):
        return "figuur-" + slug(m.group(1))
    if m := _NEXT_TO_TABLE.search(caption):
        return "figuur-bij-tabel-" + slug(m.group(1))
    return "figuur-" + "-".join(slug(caption).split("-")[:6])


def csv_columns(spec: dict[str, Any]) -> list[str]:
    """The columns of a chart's CSV: those its builder named (``usermeta.columns``: labels and
    plotted numbers), else the fields of its tooltips."""
    named = spec.get("usermeta", {}).get("columns")
    if isinstance(named, list) and named:
        return [str(c) for c in named]
    return [f for f, _ in table_columns(spec)]


def _csv_value(v: Any) -> str:
    """A cell as the data package writes it: a number with a decimal point and no thousands
    separator (``3.38``, ``248``), a missing value empty."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def chart_csv(spec: dict[str, Any]) -> str:
    """The data behind a chart as CSV in the data package's convention (comma separator, decimal
    point, UTF-8, a header of column names): each distinct row of :func:`csv_columns` once, in
    data order (a chart's helper layers repeat rows of its data)."""
    cols = csv_columns(spec)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(cols)
    seen = set()
    for r in table_rows(spec):
        if not any(c in r for c in cols):
            continue
        row = tuple(_csv_value(r.get(c)) for c in cols)
        if row not in seen:
            seen.add(row)
            writer.writerow(row)
    return out.getvalue()


def _download_code(name: str, href: str) -> str:
    """A download link styled as the tables' (``{download}`` role): the file name in code."""
    esc = html.escape
    return (f'<a class="reference download internal" download="" href="{esc(href)}">'
            f'<code class="xref download docutils literal notranslate"><span class="pre">'
            f"{esc(name)}</span></code></a>")


def download_line(spec: dict[str, Any], href: str, root: str = "") -> str:
    """``Gegevens: figuur-6-1.csv (…)`` under a chart: the figure's CSV, and the data files it is
    made from (linked in the site's data package, ``root`` leading to the site root)."""
    name = posixpath.basename(href)
    meta = spec.get("usermeta", {})
    files = meta.get("datasets") or ([meta["dataset"]] if meta.get("dataset") else [])
    made = ""
    if files:
        links = [_download_code(f"{f}.csv", f"{root}{DATA_DIR}/{f}.csv") for f in files]
        joined = links[0] if len(links) == 1 else ", ".join(links[:-1]) + " en " + links[-1]
        made = f"; gemaakt uit {joined}, bron en kolommen: bijlage A"
    return (f'<p class="sop-chart__download">Gegevens van deze figuur: '
            f"{_download_code(name, href)} (CSV: de getallen met hun labels{made}).</p>\n")


def _json_block(spec: dict[str, Any]) -> str:
    """JSON that cannot end the surrounding <script> element or open markup."""
    text = json.dumps(spec, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def chart_html(spec: dict[str, Any], uid: str, csv_href: str | None = None,
               root: str = "") -> str:
    """The HTML for one chart: figure, canvas, spec block, caption, source, the link to its CSV
    (``csv_href``, relative to the page; ``root`` leads to the site root) and the data table."""
    meta = spec.get("usermeta", {})
    esc = html.escape
    cols = table_columns(spec)
    rows = table_body(spec, cols)
    numeric = numeric_columns(cols, rows)
    align = {f: "text-right" if f in numeric else "text-left" for f, _ in cols}
    head = "".join(f'<th scope="col" class="head {align[f]}">{esc(str(t))}</th>' for f, t in cols)
    body = "".join(
        f'<tr class="row-{"odd" if i % 2 else "even"}">'
        + "".join(f'<td class="{align[f]}">{esc(str(r.get(f, "")))}</td>' for f, _ in cols)
        + "</tr>"
        for i, r in enumerate(rows)
    )
    caption = esc(meta.get("caption", ""))
    source = esc(meta.get("source", ""))
    note = (f'<p class="sop-chart__note">{esc(meta["note"])}</p>\n' if meta.get("note") else "")
    return (
        f'<figure class="sop-chart" id="fig-{uid}">\n'
        f'<figcaption class="sop-chart__caption">{caption}</figcaption>\n{note}'
        f'<div class="sop-chart__canvas" data-spec="spec-{uid}" tabindex="0"></div>\n'
        f'<script type="application/json" id="spec-{uid}">{_json_block(spec)}</script>\n'
        f'<p class="sop-chart__source">{source}</p>\n'
        + (download_line(spec, csv_href, root) if csv_href else "")
        + f'<details class="sop-chart__data"><summary>Tabel bij deze figuur</summary>\n'
        f'<table class="sop-table table sop-chart__table"><caption>{caption}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n"
        f"</details>\n</figure>\n"
    )


def chart_pdf(spec: dict[str, Any]) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_pdf(spec, vl_version=VL_VERSION)


# The PDF's text width (A4, Sphinx's margins) in pt, and the size a chart's pixel gets there:
# 0.8 pt, so its 12 px labels print at 9.6 pt, a little below the 10 pt text, in every chart
# (at the full text width a narrow chart's labels grew to 16 pt, a wide one's shrank to 9 pt).
PDF_TEXT_WIDTH_PT = 452.97
PDF_PT_PER_PX = 0.8


def pdf_width(pdf: bytes) -> str:
    """The width of a chart in the PDF, as a share of the text width (``"72%"``, at most 100)."""
    box = re.search(rb"/MediaBox\s*\[\s*[-\d.]+\s+[-\d.]+\s+([\d.]+)\s+[\d.]+\s*\]", pdf)
    if not box:
        return "100%"
    share = float(box.group(1)) * PDF_PT_PER_PX / PDF_TEXT_WIDTH_PT
    return f"{min(100, math.ceil(share * 100))}%"


class VegaLitePlugin:
    """myst-nb mime renderer for the Vega-Lite mime type (HTML and LaTeX builders)."""

    mime_priority_overrides = (
        ("html", MIME_TYPE, 1),
        ("dirhtml", MIME_TYPE, 1),
        ("singlehtml", MIME_TYPE, 1),
        ("latex", MIME_TYPE, 1),
    )

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[nodes.Element] | None:
        if inline or data.mime_type != MIME_TYPE:
            return None
        from myst_nb._compat import get_env_app

        spec = data.content if isinstance(data.content, dict) else json.loads(data.string)
        app = get_env_app(renderer.renderer.sphinx_env)
        docname = renderer.renderer.sphinx_env.docname
        uid = hashlib.sha256(
            f"{docname}:{data.cell_index}:{data.output_index}:{spec_hash(spec)}".encode()
        ).hexdigest()[:12]
        if app.builder.format == "html":
            name = figure_name(spec.get("usermeta", {}).get("caption", "")) + ".csv"
            folder = posixpath.dirname(docname)
            target = Path(app.outdir) / folder / FIGURE_DIR / name
            text = chart_csv(spec)
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            root = "../" * docname.count("/")
            return [nodes.raw("", chart_html(spec, uid, f"{FIGURE_DIR}/{name}", root),
                              format="html")]
        if app.builder.format == "latex":
            pdf = chart_pdf(spec)
            uri = renderer.write_file([f"vega-{spec_hash(spec)}.pdf"], pdf,
                                      overwrite=False, exists_ok=True)
            meta = spec.get("usermeta", {})
            fig = nodes.figure()
            fig += nodes.image(uri=uri, alt=spec.get("description", ""), width=pdf_width(pdf))
            fig += nodes.caption(text=meta.get("caption", ""))
            fig += nodes.legend("", nodes.paragraph(text=meta.get("source", "")))
            if meta.get("note"):
                return [nodes.paragraph(text=meta["note"]), fig]
            return [fig]
        return None


def _page_context(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The chart script only on pages with a chart; it loads Vega (``_static/sop/vega-bundle.js``)
    itself when the first chart comes near the screen."""
    if doctree is not None and "sop-chart__canvas" in context.get("body", ""):
        app.add_js_file("sop-charts.js", loading_method="defer")


def _dedupe_scripts(app: Any, pagename: str, templatename: str, context: dict,
                    doctree: Any) -> None:
    """Drop scripts added twice to one page (Sphinx 7.4 repeats body-only scripts), last."""
    scripts = context.get("script_files")
    if scripts:
        seen, unique = set(), []
        for s in scripts:
            key = (str(getattr(s, "filename", s) or ""), getattr(s, "attributes", {}).get("body"))
            if key not in seen:
                seen.add(key)
                unique.append(s)
        scripts[:] = unique


@functools.cache
def _bundle_code() -> str:
    """The bundle's text, made once per process (seconds of work: the live preview builds many
    times in one process)."""
    import vl_convert

    code = vl_convert.javascript_bundle("window.vegaEmbed = vegaEmbed;", vl_version=VL_VERSION)
    return f"(function(){{\n{code}\n}})();\n"


def write_bundle(outdir: Path) -> Path:
    """Vega, Vega-Lite and vega-embed in one script, wrapped so it declares no globals but one."""
    target = outdir / "_static" / STATIC_DIR / BUNDLE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_bundle_code(), encoding="utf-8")
    return target


def _builder_inited(app: Any) -> None:
    # before any page is written: Sphinx then adds the same "?v=<checksum>" to the script's URL
    # in a full build and in an incremental one (where the file is already there)
    if app.builder.format == "html":
        write_bundle(Path(app.outdir))


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", _page_context)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("builder-inited", _builder_inited)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
