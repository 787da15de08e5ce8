"""Render chart outputs (Vega-Lite specs) in the book: a Sphinx extension plus a myst-nb plugin.

- HTML: a ``<figure>`` with the spec as a JSON data block, rendered to SVG in the browser by Vega,
  which the site serves itself (``_static/sop/vega-bundle.js``, from the pinned vl-convert, added
  only to pages that have a chart). Under every chart, a data table with what its tooltips show
  (styled as the book's tables: numbers right-aligned), and the same as CSV. Tooltips show on
  hover, on tap and, with the arrow keys, from the keyboard (``_static/sop-charts.js``).
- LaTeX/PDF: the spec rendered to a vector PDF by vl-convert, as a figure with its caption.

Registered twice: as a myst-nb mime renderer (entry point ``myst_nb.mime_renderers``) and as a
Sphinx extension (``lib.vega_sphinx`` in ``_config.yml``) for the static files.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import re
import urllib.parse
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


def _json_block(spec: dict[str, Any]) -> str:
    """JSON that cannot end the surrounding <script> element or open markup."""
    text = json.dumps(spec, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def chart_html(spec: dict[str, Any], uid: str) -> str:
    """The HTML for one chart: figure, canvas, spec block, caption and the data table."""
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
    csv_lines = [";".join(str(t) for _, t in cols)]
    csv_lines += [";".join(str(r.get(f, "")).replace(";", ",") for f, _ in cols) for r in rows]
    csv_uri = "data:text/csv;charset=utf-8," + urllib.parse.quote("\ufeff" + "\r\n".join(csv_lines))
    caption = esc(meta.get("caption", ""))
    source = esc(meta.get("source", ""))
    note = (f'<p class="sop-chart__note">{esc(meta["note"])}</p>\n' if meta.get("note") else "")
    return (
        f'<figure class="sop-chart" id="fig-{uid}">\n'
        f'<figcaption class="sop-chart__caption">{caption}</figcaption>\n{note}'
        f'<div class="sop-chart__canvas" data-spec="spec-{uid}" tabindex="0"></div>\n'
        f'<script type="application/json" id="spec-{uid}">{_json_block(spec)}</script>\n'
        f'<p class="sop-chart__source">{source}</p>\n'
        f'<details class="sop-chart__data"><summary>Gegevens bij deze figuur</summary>\n'
        f'<table class="sop-table table sop-chart__table"><caption>{caption}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>\n"
        f'<p><a download="figuur-{uid}.csv" href="{esc(csv_uri)}">Download als CSV</a></p>'
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
            return [nodes.raw("", chart_html(spec, uid), format="html")]
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
