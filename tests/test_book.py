"""The book as built: table of contents, the HTML site in Chromium, and the PDFs."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from lib import build, data, editions, fmt, paths


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


CHAPTER_PAGES = [f"book/editions/{s}/04-onderzoeksaanpak.html" for s in ("alle", "po", "vo", "mbo")]


@pytest.mark.site
@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_chapter_page_renders_offline(browser, site_url, page):
    ctx = browser.new_context()
    tab = ctx.new_page()
    requests, errors = [], []
    tab.on("request", lambda r: requests.append(r.url))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(f"{site_url}/{page}")
    tab.wait_for_function(
        "document.querySelectorAll('.sop-chart__canvas').length > 0 && "
        "[...document.querySelectorAll('.sop-chart__canvas')]"
        ".every(el => el.dataset.rendered === 'true' || el.dataset.error)", timeout=20000)
    canvases = tab.locator(".sop-chart__canvas")
    assert canvases.count() >= 3
    for i in range(canvases.count()):
        el = canvases.nth(i)
        assert el.get_attribute("data-error") is None, el.get_attribute("data-error")
        assert el.locator("svg").count() == 1
        # Vega puts the spec's description on the chart container as its accessible name
        assert el.get_attribute("role") == "graphics-document"
        label = el.get_attribute("aria-label") or ""
        assert len(label) > 40, "grafiek zonder beschrijving"
    assert tab.locator("html").get_attribute("lang") == "nl"
    # Dutch numbers on the axes and in labels, not English ones (label by label: the SVG's text
    # run together would join the digits of neighbouring labels)
    labels = tab.locator(".sop-chart__canvas svg text").all_text_contents()
    assert any(_NUMBER.search(t) for t in labels), labels
    assert [t for t in labels if non_dutch_numbers(t)] == [], labels
    assert any(t.strip().endswith("%") for t in labels), labels
    outside = [u for u in requests if not u.startswith(site_url)]
    assert outside == []
    assert errors == []
    # Vega comes from the site itself, once
    scripts = tab.eval_on_selector_all("script[src]", "els => els.map(e => e.src)")
    assert sum("vega-bundle.js" in s for s in scripts) == 1
    ctx.close()


@pytest.mark.site
def test_sector_edition_says_where_no_split_exists(browser, site_url):
    tab = browser.new_page()
    tab.goto(f"{site_url}/book/editions/vo/04-onderzoeksaanpak.html")
    body = tab.locator("main").inner_text()
    assert "Geen uitsplitsing naar sector (voortgezet onderwijs)" in body
    assert "Sectoreditie voortgezet onderwijs" in body
    tab.close()


# --- PDF --------------------------------------------------------------------------------------

def _pdf_text(path: Path) -> str:
    """The PDF's text as poppler's pdftotext reads it (pypdf loses spaces in some fonts)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         text=True, check=True)
    return out.stdout


def _prose_numbers() -> tuple[str, str]:
    """The Loopbaanmonitor response as chapter 4 states it, formatted from the data here."""
    t = data.load("tekstcijfers_h4").set_index("id")["waarde"]
    return fmt.number(t["lbm_benaderd"]), fmt.share(t["lbm_respons"], t["lbm_benaderd"], 1)


def _embedded_forms(path: Path) -> int:
    count = 0
    for page in PdfReader(path).pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for ref in xobjects.values():
            if ref.get_object().get("/Subtype") == "/Form":
                count += 1
    return count


@pytest.mark.pdf
@pytest.mark.parametrize("name", sorted(build.pdf_tocs()))
def test_pdf_has_chapter_tables_and_charts(pdf_dir, name):
    pdf = pdf_dir / f"{name}.pdf"
    assert pdf.exists(), f"{pdf} ontbreekt; bouw eerst het boek: make build"
    text = " ".join(_pdf_text(pdf).split())
    assert "Samen Opleiden en Professionaliseren" in text
    assert "4 Onderzoeksaanpak" in text
    for label in ("Tabel 4.1", "Tabel 4.2", "Tabel 4.3", "Tabel 4.4", "Figuur 4.1", "Figuur 4.2"):
        assert label in text, f"{label} niet in {name}.pdf"
    for number in _prose_numbers():  # Dutch number formatting in prose
        assert number in text, f"{number} niet in {name}.pdf"
    assert _embedded_forms(pdf) >= 3, "grafieken (vector) ontbreken"
    if name != build.PDF_NAME:
        sector = name.removeprefix(f"{build.PDF_NAME}-")
        edition = f"editie {data.SECTOR_NAMES[sector]}"
        assert edition in text, f"'{edition}' niet in {name}.pdf"
