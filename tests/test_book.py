"""The book as built: table of contents, the HTML site in Chromium, and the PDFs."""

from __future__ import annotations

import html
import importlib.metadata
import json
import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pytest
import yaml
from pypdf import PdfReader

from lib import build, charts, data, editions, paths, sitecheck, vega_sphinx


def _toc_files() -> set[str]:
    toc = build.toc()
    files = {toc["root"]}

    def walk(entries):
        for e in entries or []:
            files.add(e["file"])
            walk(e.get("sections"))

    for part in toc["parts"]:
        walk(part["chapters"])
    return files


def test_jupyter_book_is_1x():
    assert importlib.metadata.version("jupyter-book").startswith("1.")


def test_toc_lists_every_edition_and_edition_page():
    files = _toc_files()
    for job in editions.plan():
        rel = job.output.relative_to(paths.project_root()).with_suffix("")
        assert str(rel) in files, f"{rel} staat niet in _toc.yml"
    for sector in ("po", "vo", "mbo"):
        assert f"book/editions/{sector}/index" in files
    for f in files:
        assert any((paths.project_root() / f"{f}{ext}").exists() for ext in (".md", ".ipynb")), f


def test_pdf_tocs_split_report_and_editions():
    tocs = build.pdf_tocs()
    assert set(tocs) == {"sop-rapport", "sop-rapport-po", "sop-rapport-vo", "sop-rapport-mbo"}
    report_files = yaml.safe_dump(tocs["sop-rapport"])
    assert "editions/alle/" in report_files and "editions/po/" not in report_files
    assert tocs["sop-rapport-po"]["root"] == "book/editions/po/index"


# --- site -------------------------------------------------------------------------------------

# A number as Dutch readers write it: "1746" or "1.746" (point between groups of three), with at
# most two decimals after a comma. "33.7" and "1,746" (English) are not; neither is "1,234.5".
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_DUTCH_NUMBER = re.compile(r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d{1,2})?")


def non_dutch_numbers(text: str) -> list[str]:
    return [n for n in _NUMBER.findall(text) if not _DUTCH_NUMBER.fullmatch(n)]


@pytest.mark.parametrize("text", ["1.746", "33,7%", "1.746,5", "2020", "0", "ongeveer 67%",
                                  "12.345.678", "2016–2019", "po-/vo-/mbo-school"])
def test_dutch_numbers_pass(text):
    assert non_dutch_numbers(text) == []


@pytest.mark.parametrize("text", ["33.7%", "1,746", "1,234.5", "0.5", "12.34", "1234.567",
                                  "bijna 1.5 keer"])
def test_english_numbers_are_caught(text):
    assert non_dutch_numbers(text) != []


# --- what the editions show: expectations for the site and the PDFs, read from the notebooks --

LABEL = re.compile(r"\b(?:Tabel|Figuur)\s+\d+(?:\.\d+)*[a-z]?")
TABLE_CAPTION = re.compile(r"^`{3,}\{table\}[ \t]*(.*)$", re.MULTILINE)
ADMONITION_TITLE = re.compile(r"^`{3,}\{admonition\}[ \t]*(.*)$", re.MULTILINE)
GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`")
HIDDEN = {"remove-cell", "remove-output"}


def _unescape(text: str) -> str:
    """Markdown text as the reader sees it: no escaping backslashes, no HTML entities."""
    return html.unescape(re.sub(r"\\(.)", r"\1", text))


@dataclass
class Edition:
    """What one edition notebook shows: captions, chart specs, notes, glued prose numbers."""

    path: Path
    title: str = ""
    charts: list[dict[str, Any]] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    admonitions: list[str] = field(default_factory=list)
    chart_notes: list[str] = field(default_factory=list)
    prose_glue: dict[str, str] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        """"Tabel x.y" / "Figuur x.y" in the captions of its tables and charts."""
        found = [" ".join(m.split()) for c in self.captions for m in LABEL.findall(c)]
        return list(dict.fromkeys(found))


def read_edition(path: Path) -> Edition:
    nb = nbformat.read(path, as_version=4)
    ed = Edition(path)
    glued: dict[str, str] = {}
    used: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            used |= set(GLUE_ROLE.findall(cell.source))
            heading = next((ln for ln in cell.source.splitlines() if ln.startswith("# ")), None)
            if heading and not ed.title:
                ed.title = heading[2:].split(" — ")[0].strip()
            continue
        shown = not HIDDEN & set(cell.metadata.get("tags", []))
        for out in cell.get("outputs", []):
            bundle = out.get("data", {})
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name and "application/papermill.record/text/markdown" in bundle:
                glued[name] = _unescape(bundle["application/papermill.record/text/markdown"])
            if not shown:
                continue
            spec = bundle.get(charts.MIME_TYPE)
            if spec is not None:
                spec = json.loads(spec) if isinstance(spec, str) else spec
                ed.charts.append(spec)
                meta = spec.get("usermeta", {})
                ed.captions.append(meta.get("caption", ""))
                if meta.get("note"):
                    ed.chart_notes.append(meta["note"])
            md = bundle.get("text/markdown")
            if md is not None:
                md = "".join(md) if isinstance(md, list) else md
                ed.captions += [_unescape(c) for c in TABLE_CAPTION.findall(md)]
                ed.admonitions += [_unescape(t) for t in ADMONITION_TITLE.findall(md)]
    ed.prose_glue = {k: v for k, v in glued.items() if k in used}
    return ed


def _edition_pages() -> list[tuple[str, Path]]:
    """(page, notebook) of every edition that _toc.yml lists, in the builder's plan order."""
    files = _toc_files()
    root = paths.project_root()
    return [(f"{rel}.html", job.output) for job in editions.plan()
            if str(rel := job.output.relative_to(root).with_suffix("")) in files]


CHAPTER_PAGES = _edition_pages()


def _text_fields(spec: dict[str, Any]) -> set[str]:
    """Fields a chart writes as text marks (labels beside bars, in segments)."""
    fields = set()
    for node in vega_sphinx.walk(spec):
        enc = node.get("encoding")
        text = enc.get("text") if isinstance(enc, dict) else None
        if isinstance(text, dict):
            for t in (text, text.get("condition")):
                if isinstance(t, dict) and "field" in t:
                    fields.add(t["field"])
    return fields


def _percent_labels_expected(specs: list[dict[str, Any]]) -> bool:
    """Does some chart write a share ("67%") as a text mark? Then the page must show one."""
    return any(str(row.get(f, "")).strip().endswith("%")
               for spec in specs for row in vega_sphinx.table_rows(spec)
               for f in _text_fields(spec))


def _axes_expected(specs: list[dict[str, Any]]) -> bool:
    """Does some chart have a value axis (a quantitative x or y whose axis is not switched off)?
    A diagram such as Figuur 1.1 (the kijkkader) places boxes by numbers but shows none."""
    return any(enc.get("type") == "quantitative" and enc.get("axis", {}) is not None
               for spec in specs for m in vega_sphinx.walk(spec)
               for k, enc in (m.get("encoding") or {}).items()
               if k in ("x", "y") and isinstance(enc, dict))


def test_every_edition_in_the_toc_is_read_for_expectations():
    """The page and PDF tests below take their expectations from these notebooks."""
    assert CHAPTER_PAGES, "geen edities in _toc.yml"
    eds = [read_edition(nb) for _, nb in CHAPTER_PAGES]
    assert all(ed.title for ed in eds), [ed.path for ed in eds if not ed.title]
    assert any(ed.labels for ed in eds)
    for ed in eds:
        for spec in ed.charts:
            assert spec.get("usermeta", {}).get("caption"), f"{ed.path}: grafiek zonder caption"


@pytest.mark.site
@pytest.mark.parametrize(("page", "notebook"), CHAPTER_PAGES, ids=[p for p, _ in CHAPTER_PAGES])
def test_chapter_page_renders_offline(browser, site_url, page, notebook):
    expected = read_edition(notebook)
    n_charts = len(expected.charts)
    ctx = browser.new_context()
    tab = ctx.new_page()
    requests, errors = [], []
    tab.on("request", lambda r: requests.append(r.url))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(f"{site_url}/{page}", wait_until="load")
    if n_charts:
        tab.wait_for_function(sitecheck.CHARTS_DRAWN, timeout=20000)  # draws all, then waits
    canvases = tab.locator(".sop-chart__canvas")
    assert canvases.count() == n_charts, f"{page}: {n_charts} grafieken in de editie"
    assert tab.locator(".sop-chart__canvas[data-error]").count() == 0, [
        canvases.nth(i).get_attribute("data-error") for i in range(canvases.count())]
    for i in range(n_charts):
        el = canvases.nth(i)
        assert el.locator("svg").count() == 1
        # Vega puts the spec's description on the chart container as its accessible name
        assert el.get_attribute("role") == "graphics-document"
        label = el.get_attribute("aria-label") or ""
        assert len(label) > 40, "grafiek zonder beschrijving"
    assert tab.locator("html").get_attribute("lang") == "nl"
    if _axes_expected(expected.charts):  # a page without value axes has no numbers to check
        # Dutch numbers on the axes and in labels, not English ones (label by label: the SVG's
        # text run together would join the digits of neighbouring labels)
        labels = tab.locator(".sop-chart__canvas svg text").all_text_contents()
        assert any(_NUMBER.search(t) for t in labels), labels
        assert [t for t in labels if non_dutch_numbers(t)] == [], labels
        if _percent_labels_expected(expected.charts):
            assert any(t.strip().endswith("%") for t in labels), labels
    outside = [u for u in requests if not u.startswith(site_url)]
    assert outside == []
    assert errors == []
    # Vega comes from the site itself, once, and only to pages with a chart
    scripts = tab.eval_on_selector_all("script[src]", "els => els.map(e => e.src)")
    assert sum("vega-bundle.js" in s for s in scripts) == (1 if n_charts else 0)
    ctx.close()


SECTOR_PAGES = [(p, nb) for p, nb in CHAPTER_PAGES if nb.parent.name in data.SECTORS[1:]]


@pytest.mark.site
@pytest.mark.parametrize(("page", "notebook"), SECTOR_PAGES, ids=[p for p, _ in SECTOR_PAGES])
def test_sector_edition_page_shows_its_notes(browser, site_url, page, notebook):
    """What a sector edition says about the sector (boxes, chart notes) reaches the page."""
    expected = read_edition(notebook)
    tab = browser.new_page()
    tab.goto(f"{site_url}/{page}")
    body = " ".join(tab.locator("main").inner_text().split())
    sector_name = data.SECTOR_NAMES[notebook.parent.name]
    assert f"editie {sector_name}" in body
    for text in expected.admonitions + expected.chart_notes:
        assert " ".join(text.split()) in body, f"{page}: {text!r} niet op de pagina"
    tab.close()


# --- PDF --------------------------------------------------------------------------------------

def _pdf_text(path: Path) -> str:
    """The PDF's text as poppler's pdftotext reads it (pypdf loses spaces in some fonts)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         text=True, check=True)
    return out.stdout


def _embedded_forms(path: Path) -> int:
    count = 0
    for page in PdfReader(path).pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for ref in xobjects.values():
            if ref.get_object().get("/Subtype") == "/Form":
                count += 1
    return count


def _pdf_editions(toc_data: dict[str, Any]) -> list[Edition]:
    """The edition notebooks a PDF's table of contents contains."""
    files = [toc_data["root"]]

    def walk(entries: Any) -> None:
        for e in entries or []:
            files.append(e["file"])
            walk(e.get("sections"))

    walk(toc_data.get("chapters"))
    for part in toc_data.get("parts", []):
        walk(part["chapters"])
    notebooks = [paths.project_root() / f"{f}.ipynb" for f in files]
    return [read_edition(nb) for nb in notebooks if nb.exists()]


# A number as glued into prose that shows the Dutch format: thousands point or decimal comma.
_FORMATTED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+")


@pytest.mark.pdf
@pytest.mark.parametrize("name", sorted(build.pdf_tocs()))
def test_pdf_has_chapter_tables_and_charts(pdf_dir, name):
    pdf = pdf_dir / f"{name}.pdf"
    assert pdf.exists(), f"{pdf} ontbreekt; bouw eerst het boek: make build"
    # NFKC: the PDF's fonts set "ij" as one glyph ("ĳ"), pdftotext gives it back as such
    text = unicodedata.normalize("NFKC", " ".join(_pdf_text(pdf).split()))
    eds = _pdf_editions(build.pdf_tocs()[name])
    assert eds, f"{name}: geen edities in de inhoudsopgave"
    assert "Samen Opleiden en Professionaliseren" in text
    for ed in eds:
        title = unicodedata.normalize("NFKC", ed.title)
        assert title in text, f"'{ed.title}' ({ed.path.name}) niet in {name}.pdf"
        for label in ed.labels:  # every table and figure number the edition shows
            assert label in text, f"{label} ({ed.path.name}) niet in {name}.pdf"
    # Dutch number formatting in prose: every glued number with a thousands point or a decimal
    # comma that the prose uses
    numbers = {v for ed in eds for v in ed.prose_glue.values() if _FORMATTED.fullmatch(v)}
    assert numbers, f"{name}: geen opgemaakte getallen in de lopende tekst gevonden"
    missing = sorted(n for n in numbers if n not in text)
    assert not missing, f"{missing} niet in {name}.pdf"
    n_charts = sum(len(ed.charts) for ed in eds)
    assert _embedded_forms(pdf) >= n_charts, "grafieken (vector) ontbreken"
    if name != build.PDF_NAME:
        sector = name.removeprefix(f"{build.PDF_NAME}-")
        edition = f"editie {data.SECTOR_NAMES[sector]}"
        assert edition in text, f"'{edition}' niet in {name}.pdf"
