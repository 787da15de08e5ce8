"""The PDFs: printed by Chromium from the book's own HTML, tagged for PDF/UA.

Route (see README, "PDF"):

1. **Print site.** Sphinx builds the book once more as HTML, with the builder's ``html`` tag
   swapped for ``latex`` (this module is then a Sphinx extension): ``{only} latex`` blocks (the
   print wording of web-only sentences) are in, ``{only} html`` blocks are out. Kept in
   ``_build/.cache/sphinx-print`` and updated incrementally, like the site.
2. **One print page per PDF** (:func:`assemble`): a title page (title, edition, publishers,
   version and its date, the web address), "Inhoud", then every page of the PDF's table of
   contents (its ``<article>`` only: no navigation, buttons or footers), with ids made unique
   per page, links inside the PDF turned into internal links and every other link (other pages,
   data files) into the address of the file on the website. Charts become vector SVG images,
   drawn by vl-convert from the spec in the page, with the chart's text alternative as ``alt``.
   The page is styled by ``book/_static/sop-print.css`` only (not the theme's screen CSS).
3. **Print** (:func:`render`): Chromium ``page.pdf(tagged=True, outline=True)``, twice: the
   first run shows on which page each chapter and section starts (read from the bookmarks),
   the second prints the table of contents with those numbers (the same layout, only digits
   differ).
4. **Finish** (:func:`finish`, pikepdf): what Chromium leaves out of PDF/UA: the running
   header and page number (CSS page-margin boxes) are marked as artifacts, every link
   annotation gets a description (``/Contents``: its text), XMP metadata with the PDF/UA
   identification, title, language, author and subject, and "show the title" to viewers.

No network: the print page is a local file with everything inline.
"""

from __future__ import annotations

import base64
import html
import json
import posixpath
import re
import textwrap
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

EDITION_SUFFIX = re.compile(r"\s+—\s+editie\s.*$")
PRINT_CSS = "sop-print.css"
PT_PER_PX = 0.75  # a chart's pixel in the PDF: its 12 px labels print at 9 pt (text: 10 pt)
TOC_PLACEHOLDER = "000"


# --- 1. the print site: Sphinx with the "latex" tag ----------------------------------------------

def _print_tags(app: Any) -> None:
    """``{only} latex`` in, ``{only} html`` out, while the HTML builder writes the pages."""
    for tag in ("html", "format_html"):
        if app.tags.has(tag):
            app.tags.remove(tag)
    for tag in ("latex", "format_latex", "sop_print"):
        app.tags.add(tag)


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", _print_tags)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}


# --- 2. one print page per PDF -------------------------------------------------------------------

@dataclass
class Edition:
    """What the title page and the running header say, and where the book lives on the web."""

    title: str  # the book's title
    edition: str  # "" for the report, else "editie primair onderwijs"
    version: str  # "Versie 1.0 (30 november 2026)"
    web: str  # the web address of the living report (ends in "/")
    author: str
    publisher: str = "Redactie Levend rapport SO&P"

    @property
    def full_title(self) -> str:
        return f"{self.title} — {self.edition}" if self.edition else self.title


@dataclass
class PrintPage:
    html: str
    toc: list[tuple[int, str, str]]  # (level 1 or 2, text, anchor id)
    links: dict[str, str] = field(default_factory=dict)  # href → link text (first seen)
    web_links: int = 0  # links to the website (pages or files this PDF does not hold)
    body: str = ""  # the pages, as assembled (the table of contents is made around them)


def page_key(rel: str) -> str:
    """``book/editions/po/05-x.html`` → ``p-book-editions-po-05-x``: the prefix of its ids."""
    return "p-" + re.sub(r"[^A-Za-z0-9_-]+", "-", rel.removesuffix(".html"))


def toc_pages(toc_data: dict[str, Any]) -> list[str]:
    """The site paths (``….html``) of a table of contents, in reading order; the site's own
    title page (``book/index``) is left out: the print page has a title page of its own."""
    names = [toc_data["root"]]

    def visit(node: dict[str, Any]) -> None:
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key, []):
                if "file" in child:
                    names.append(child["file"])
                visit(child)

    visit(toc_data)
    return [f"{n}.html" for n in names if n != "book/index"]


def _svg(spec: dict[str, Any]) -> tuple[str, float]:
    """The chart as SVG (vl-convert, the pinned Vega) with whole labels, and its width in px."""
    import vl_convert

    from lib.vega_sphinx import VL_VERSION

    svg = vl_convert.vegalite_to_svg(whole_labels(spec), vl_version=VL_VERSION)
    # no ligatures in chart text: "fi" stays two letters, so searching "profiel" finds it
    svg = re.sub(r"(<svg[^>]*>)", r"\1<style>text { font-variant-ligatures: none; "
                 r'font-feature-settings: "liga" 0, "locl" 0; }</style>', svg, count=1)
    m = re.search(r'<svg[^>]*\bwidth="([\d.]+)"', svg)
    return svg, float(m.group(1)) if m else 400.0


_LABEL_TEST = "datum.label === "


def whole_labels(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with every label that the screen version shortens with "…" written out whole,
    over as many lines as it needs (print has no tooltip), and the rows made tall enough."""
    spec = json.loads(json.dumps(spec))
    from lib.vega_sphinx import walk

    decoder = json.JSONDecoder()
    for node in walk(spec):
        expr = node.get("labelExpr")
        # the lines are JSON in the expression: "…" may be written as \u2026
        if not isinstance(expr, str) or ("…" not in expr and "\\u2026" not in expr):
            continue
        out, pos, most = [], 0, 1
        while (at := expr.find(_LABEL_TEST, pos)) >= 0:
            start = at + len(_LABEL_TEST)
            value, end = decoder.raw_decode(expr, start)
            if not expr.startswith(" ? ", end):
                out.append(expr[pos:end])
                pos = end
                continue
            lines, stop = decoder.raw_decode(expr, end + 3)
            if isinstance(lines, list) and lines and str(lines[-1]).endswith("…"):
                width = max(len(str(s)) for s in lines)
                lines = textwrap.wrap(str(value), width)
            most = max(most, len(lines) if isinstance(lines, list) else 1)
            out.append(expr[pos:end] + " ? " + json.dumps(lines, ensure_ascii=False))
            pos = stop
        out.append(expr[pos:])
        node["labelExpr"] = "".join(out)
        node["_sop_lines"] = most
    # rows: a band as high as its longest label (12 px type, 14 px a line, a little air)
    for node in walk(spec):
        lines = 0
        enc = node.get("encoding") if isinstance(node.get("encoding"), dict) else {}
        y = enc.get("y") if isinstance(enc.get("y"), dict) else {}
        axis = y.get("axis") if isinstance(y.get("axis"), dict) else {}
        lines = axis.pop("_sop_lines", 0)
        if lines > 1:
            need = lines * 14 + 6
            height = node.get("height")
            if isinstance(height, dict) and height.get("step", 0) < need:
                height["step"] = need
            elif "height" not in node or isinstance(height, dict):
                node["height"] = {"step": need}
    for node in walk(spec):
        node.pop("_sop_lines", None)
        if "labelLimit" in node:  # Vega cuts a label at this width with "…": none in print
            node["labelLimit"] = 2000
    return spec


def _clean(soup: Any, article: Any) -> None:
    """Leave out what only a screen needs."""
    for el in article.select("a.headerlink, span.caption-number, nav.sop-edities, "
                             "details.sop-chart__data, .sop-downloads, .sop-a11y-uitslag, "
                             "script:not([type]), button, .d-print-none, .sop-scroll-hint"):
        el.decompose()
    for el in article.select(".pst-scrollable-table-container, .sop-scroll"):
        el.unwrap()
    # a chapter's errata box is closed on screen; on paper it is open: its title a paragraph
    for box in article.select("details.sop-errata"):
        summary = box.find("summary")
        if summary is not None:
            for icon in summary.select("svg, .sd-summary-up, .sd-summary-down"):
                icon.decompose()
            title = soup.new_tag("p", attrs={"class": "sop-errata__titel"})
            strong = soup.new_tag("strong")
            strong.string = summary.get_text(" ", strip=True)
            title.append(strong)
            summary.replace_with(title)
        box.name = "div"
        box.attrs = {"class": "sop-errata"}
    for el in article.select("[tabindex]"):
        del el["tabindex"]


def _charts(soup: Any, article: Any) -> int:
    """Every chart: caption, note, the drawing as an <img> with the text alternative, source.
    Not a <figure>: Chromium would tag it as a second Figure without /Alt."""
    count = 0
    for fig in article.select("figure.sop-chart"):
        canvas = fig.select_one(".sop-chart__canvas")
        block = fig.find("script", attrs={"type": "application/json"})
        if canvas is None or block is None:
            continue
        spec = json.loads(block.string)
        svg, width = _svg(spec)
        img = soup.new_tag("img", alt=spec.get("description", ""),
                           src="data:image/svg+xml;base64," +
                           base64.b64encode(svg.encode()).decode())
        img["style"] = f"width: {width * PT_PER_PX:.1f}pt"
        img["class"] = "sop-chart__img"
        canvas.replace_with(img)
        block.decompose()
        fig.name = "div"
        cap = fig.select_one("figcaption")
        if cap is not None:
            cap.name = "p"
        count += 1
    return count


def assemble(site: Path, toc_data: dict[str, Any], ed: Edition, css: str,
             toc_numbers: dict[str, int] | None = None) -> PrintPage:
    """The print page of one PDF (see the module's docstring)."""
    from bs4 import BeautifulSoup

    rels = toc_pages(toc_data)
    keys = {rel: page_key(rel) for rel in rels}
    bodies, toc = [], []
    web_links = 0
    for rel in rels:
        soup = BeautifulSoup((site / rel).read_text(encoding="utf-8"), "lxml")
        article = soup.select_one("article.bd-article")
        if article is None:
            raise ValueError(f"{rel}: geen <article> in de gebouwde pagina")
        _clean(soup, article)
        _charts(soup, article)
        key = keys[rel]
        for el in article.select("[id]"):
            el["id"] = f"{key}--{el['id']}"
        for a in article.select("a[href]"):
            href = a["href"]
            if href.startswith(("http://", "https://", "mailto:")):
                continue
            path, _, frag = href.partition("#")
            if not path:
                target = rel
            else:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
            if target in keys:
                a["href"] = "#" + (f"{keys[target]}--{frag}" if frag else keys[target])
            else:  # another page or a file of the site: its address on the web
                a["href"] = ed.web + target + (f"#{frag}" if frag else "")
                a["class"] = [*a.get("class", []), "sop-web"]
                web_links += 1
            if "download" in a.attrs:
                del a["download"]
        h1 = article.find("h1")
        if h1 is not None:
            h1_id = h1.get("id") or h1.find_parent("section", id=True)["id"]
            toc.append((1, EDITION_SUFFIX.sub("", h1.get_text(" ", strip=True)), h1_id))
        for h2 in article.find_all("h2"):
            sec = h2.find_parent("section", id=True)
            if sec is not None:
                toc.append((2, h2.get_text(" ", strip=True), sec["id"]))
        bodies.append(f'<section class="sop-page" id="{key}">{article.decode_contents()}'
                      f"</section>")
    body = "\n".join(bodies)
    page = _document(ed, css, toc, body, toc_numbers or {})
    links = {}
    soup = BeautifulSoup(page, "lxml")
    for a in soup.select("a[href]"):
        links.setdefault(a["href"], " ".join(a.get_text(" ", strip=True).split()))
    return PrintPage(page, toc, links, web_links, body)


def _document(ed: Edition, css: str, toc: list[tuple[int, str, str]], body: str,
              numbers: dict[str, int]) -> str:
    esc = html.escape
    entries = "".join(
        f'<li class="sop-toc__l{level}"><a href="#{esc(anchor)}"><span class="sop-toc__text">'
        f'{esc(text)}</span> <span class="sop-toc__page">'
        f"{numbers.get(anchor, TOC_PLACEHOLDER)}</span></a></li>\n"
        for level, text, anchor in toc)
    edition = f'<p class="sop-title__edition">{esc(ed.edition)}</p>' if ed.edition else ""
    header = esc(ed.full_title).replace('"', "&quot;")
    return f"""<!DOCTYPE html>
<html lang="nl-NL">
<head>
<meta charset="utf-8">
<title>{esc(ed.full_title)}</title>
<meta name="author" content="{esc(ed.author)}">
<style>
{css}
@page {{ @top-left {{ content: "{css_string(ed.full_title)}"; }} }}
</style>
</head>
<body>
<section class="sop-title" aria-label="Titelpagina">
<h1 class="sop-title__title">{esc(ed.title)}</h1>
{edition}
<p class="sop-title__what">Een levend rapport: het onderzoek van het Expertisecentrum
Beroepsonderwijs (ECBO) uit 2021, opnieuw opgebouwd uit zijn gegevens</p>
<p class="sop-title__label">Uitgave van deze editie</p>
<p>{esc(ed.publisher)}</p>
<p class="sop-title__label">Bronrapport</p>
<p>Expertisecentrum Beroepsonderwijs (ECBO), <em>De meerwaarde van Samen Opleiden &amp;
Professionaliseren</em>, 2021, in opdracht van het ministerie van OCW</p>
<div class="sop-title__foot">
<p>{esc(ed.version)}</p>
<p>De actuele versie van dit levend rapport, met alle gegevens als CSV-bestanden:
<a href="{esc(ed.web)}">{esc(ed.web)}</a></p>
</div>
</section>
<nav class="sop-toc" aria-labelledby="inhoud" data-header="{header}">
<h1 id="inhoud">Inhoud</h1>
<ul>
{entries}</ul>
</nav>
{body}
</body>
</html>
"""


def css_string(text: str) -> str:
    """Text as a CSS string literal's content."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


# --- 3. print, twice -----------------------------------------------------------------------------

def _outline_pages(pdf: Path) -> list[tuple[str, int]]:
    """(title, page number from 1) of every bookmark, in reading order."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    found: list[tuple[str, int]] = []

    def visit(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                visit(item)
            else:
                found.append((" ".join(str(item.title).split()),
                              reader.get_destination_page_number(item) + 1))

    visit(reader.outline)
    return found


def toc_numbers(toc: list[tuple[int, str, str]],
                outline: list[tuple[str, int]]) -> dict[str, int]:
    """Each table-of-contents entry's page: the next bookmark with its text, in order."""
    numbers: dict[str, int] = {}
    at = 0
    for _, text, anchor in toc:
        want = " ".join(text.split())
        for i in range(at, len(outline)):
            title = EDITION_SUFFIX.sub("", outline[i][0])
            if title == want:
                numbers[anchor] = outline[i][1]
                at = i + 1
                break
        else:
            raise ValueError(f"inhoudsopgave: '{text}' niet gevonden onder de bladwijzers")
    return numbers


def _print(browser: Any, page_file: Path, pdf: Path) -> None:
    page = browser.new_page()
    try:
        page.route("**/*", lambda route: route.abort()
                   if not route.request.url.startswith(("file:", "data:")) else route.continue_())
        page.goto(page_file.as_uri(), wait_until="load")
        page.emulate_media(media="print")
        page.evaluate("document.fonts.ready")
        page.pdf(path=str(pdf), tagged=True, outline=True, format="A4", print_background=True,
                 prefer_css_page_size=True)
    finally:
        page.close()


def render(browser: Any, site: Path, toc_data: dict[str, Any], ed: Edition, css: str,
           work: Path, name: str) -> tuple[Path, PrintPage]:
    """Two passes: print, read where each heading landed, print again with the page numbers."""
    first = assemble(site, toc_data, ed, css)
    page_file = work / f"print-{name}.html"
    page_file.write_text(first.html, encoding="utf-8")
    draft = work / f"{name}-concept.pdf"
    _print(browser, page_file, draft)
    numbers = toc_numbers(first.toc, _outline_pages(draft))
    final = replace(first, html=_document(ed, css, first.toc, first.body, numbers))
    page_file.write_text(final.html, encoding="utf-8")
    raw = work / f"{name}-chromium.pdf"
    _print(browser, page_file, raw)
    check = toc_numbers(final.toc, _outline_pages(raw))
    if check != numbers:  # the numbers moved a heading: cannot happen with equal widths
        moved = [a for a in numbers if check.get(a) != numbers[a]]
        raise ValueError(f"{name}: paginanummers in de inhoud verschoven bij {moved[:5]}")
    return raw, final


# --- 4. finish: artifacts, link descriptions, metadata ----------------------------------------

_PATH_START = {"m", "re"}
_PATH_END = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"}
_TEXT_SHOW = {"Tj", "TJ", "'", '"'}
_SINGLE = {"Do", "sh", "INLINE IMAGE"}


def _mark_artifacts(pdf: Any, page: Any) -> int:
    """Put every text-showing operator, path, image or shading that lies outside any
    marked-content sequence into ``/Artifact BMC … EMC`` of its own: in Chromium's output these
    are the page-margin boxes (running header, page number). A text operator is wrapped inside
    its text object, a path from its first point to its painting operator."""
    import pikepdf

    out: list[Any] = []
    depth, wrapped, in_path = 0, 0, False
    bmc = ([pikepdf.Name("/Artifact")], pikepdf.Operator("BMC"))
    emc = ([], pikepdf.Operator("EMC"))
    for item in pikepdf.parse_content_stream(page):
        op = str(item.operator)
        if op in ("BDC", "BMC"):
            depth += 1
        elif op == "EMC":
            depth -= 1
        keep = item if isinstance(item, pikepdf.ContentStreamInlineImage) else \
            (item.operands, item.operator)
        if depth == 0 and op in _TEXT_SHOW | _SINGLE:
            out += [bmc, keep, emc]
            wrapped += 1
            continue
        if depth == 0 and op in _PATH_START and not in_path:
            out.append(bmc)
            in_path = True
            wrapped += 1
        out.append(keep)
        if in_path and op in _PATH_END:
            out.append(emc)
            in_path = False
    if in_path:
        out.append(emc)
    if wrapped:
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
    return wrapped


def _dest_name(annot: Any) -> str:
    """The named destination of an internal link (Chromium names it after the element id)."""
    import pikepdf

    dest = annot.get("/Dest")
    action = annot.get("/A")
    if dest is None and action is not None and action.get("/S") == "/GoTo":
        dest = action.get("/D")
    if isinstance(dest, pikepdf.Name):
        return str(dest)[1:]
    if isinstance(dest, pikepdf.String):
        return str(dest)
    return ""


def finish(raw: Path, out: Path, ed: Edition, page: PrintPage) -> dict[str, int]:
    """Post-process Chromium's PDF (see the module's docstring); returns what was done."""
    import pikepdf

    done = {"artifacts": 0, "link_descriptions": 0}
    by_uri = {href: text for href, text in page.links.items() if not href.startswith("#")}
    with pikepdf.open(raw) as pdf:
        for pg in pdf.pages:
            done["artifacts"] += _mark_artifacts(pdf, pg)
            for annot in pg.get("/Annots", []):
                if annot.get("/Subtype") != "/Link" or annot.get("/Contents"):
                    continue
                action = annot.get("/A")
                uri = str(action.get("/URI")) if action is not None and "/URI" in action else ""
                if uri:
                    text = by_uri.get(uri) or uri
                    desc = text if text == uri else f"{text} ({uri})"
                else:
                    name = _dest_name(annot)
                    text = page.links.get(f"#{name}", "")
                    desc = (f"{text} (in dit document)" if text
                            else "Naar een plaats in dit document")
                annot.Contents = pikepdf.String(desc)
                done["link_descriptions"] += 1
        pdf.docinfo["/Title"] = ed.full_title
        pdf.docinfo["/Author"] = ed.author
        pdf.docinfo["/Subject"] = ed.version
        pdf.Root.Lang = pikepdf.String("nl-NL")
        prefs = pdf.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
        prefs.DisplayDocTitle = True
        pdf.Root.ViewerPreferences = prefs
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = ed.full_title
            meta["dc:creator"] = [ed.author]
            meta["dc:description"] = ed.version
            meta["dc:language"] = ["nl-NL"]
            meta["pdfuaid:part"] = "1"
        pdf.save(out, deterministic_id=True)
    return done


def build_all(site: Path, jobs: list[tuple[str, dict[str, Any], Edition]], work: Path,
              css: str, say: Any = print) -> dict[str, tuple[Path, float]]:
    """Every PDF in ``jobs`` (name, table of contents, edition), one browser, one after another
    (each print already keeps a core busy)."""
    from playwright.sync_api import sync_playwright

    from lib.sitecheck import CHROMIUM, CHROMIUM_ARGS

    results: dict[str, tuple[Path, float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, toc_data, ed in jobs:
                t0 = time.perf_counter()
                raw, page = render(browser, site, toc_data, ed, css, work, name)
                out = work / f"{name}.pdf"
                finish(raw, out, ed, page)
                results[name] = (out, time.perf_counter() - t0)
        finally:
            browser.close()
    return results
