"""Screenshots for a person to look at (issue: "look at what you ship"): seven pages at phone
and desktop width and three PDF pages, written to ``_build/screenshots/`` by every test run.

The assertions are about what a reader would trip over first: the page is drawn (charts too),
nothing sticks out sideways, and the images are real (not blank)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from lib import paths
from lib.sitecheck import CHARTS_DRAWN

PAGES = {
    "startpagina": "book/index.html",
    "samenvatting": "book/editions/alle/00-samenvatting.html",
    "hoofdstuk-5-po": "book/editions/po/05-huidige-praktijk.html",
    "hoofdstuk-6": "book/editions/alle/06-ervaren-meerwaarde.html",
    "hoofdstuk-6-po": "book/editions/po/06-ervaren-meerwaarde.html",
    "bijlage-gegevens": "book/editions/alle/bijlage-gegevens.html",
    "colofon": "book/colofon.html",
}
PDF_PAGES = {"titelpagina": ("sop-rapport", 1), "inhoud": ("sop-rapport", 2),
             "editie-vo": ("sop-rapport-vo", 5)}


def shots_dir() -> Path:
    folder = paths.build_dir() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.site
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_screenshot(browser, site_url, name, width):
    tab = browser.new_page(viewport={"width": width, "height": 900})
    tab.goto(f"{site_url}/{PAGES[name]}", wait_until="load")
    tab.wait_for_function(CHARTS_DRAWN, timeout=20000)
    tab.wait_for_timeout(300)
    target = shots_dir() / f"{name}-{width}.png"
    tab.screenshot(path=str(target), full_page=True)
    assert tab.evaluate("() => document.documentElement.scrollWidth") <= width
    assert tab.locator("article.bd-article h1").first.is_visible()
    tab.close()
    assert target.stat().st_size > 20_000, f"{target} lijkt leeg"


@pytest.mark.pdf
@pytest.mark.parametrize("name", list(PDF_PAGES))
def test_pdf_page_screenshot(pdf_dir, name):
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm ontbreekt (poppler-utils, scripts/setup.sh system)")
    pdf, page = PDF_PAGES[name]
    prefix = shots_dir() / f"pdf-{name}"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf_dir / f"{pdf}.pdf"), str(prefix)], check=True)
    target = prefix.with_suffix(".png")
    assert target.stat().st_size > 8_000, f"{target} lijkt leeg"
