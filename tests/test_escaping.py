"""Text from the data is shown as text and never runs, in HTML (tables, chart labels, tooltips,
descriptions, data tables) and in the PDF.

One build of a poisoned copy of the project: a role in Figuur 4.2 and a label in Tabel 4.2 carry
HTML with script. The copy's editions, HTML site and the report's PDF are built, then the site is
opened in Chromium *without* the Content-Security-Policy (so the test shows that escaping alone
suffices; the policy is a second line, tested in test_links_csp.py).
"""

from __future__ import annotations

import csv
import html
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from lib import paths, sitecheck
from tests.conftest import COPY_IGNORE

pytestmark = pytest.mark.slow

ROLE = "<img src=x onerror=alert(1)>"
LABEL = (r"<script>alert(2)</script><b onmouseover=alert(3)>vet</b> & co "
         r"\input{/etc/hostname} 100% $x$")
PAGE = "book/editions/alle/04-onderzoeksaanpak.html"


def _poison(root: Path) -> None:
    rollen = root / "data" / "figuur_4_2_rollen.csv"
    with rollen.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow([ROLE, 7, "afgerond", ""])
    geleding = root / "data" / "tabel_4_2_geleding.csv"
    text = geleding.read_text(encoding="utf-8")
    assert ",Uitvoering SO&P," in text
    geleding.write_text(text.replace(",Uitvoering SO&P,", f',"{LABEL}",'), encoding="utf-8")


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The poisoned copy (like the ``project_copy`` fixture, but built once for this module):
    its editions, HTML site (accessibility gate off, for speed) and the report's PDF."""
    root = tmp_path_factory.mktemp("vergiftigd") / "project"
    shutil.copytree(paths.project_root(), root, ignore=COPY_IGNORE)
    _poison(root)
    env = {**os.environ, "SOP_ROOT": str(root), "PYTHONPATH": str(root),
           sitecheck.GATE_ENV: "0"}
    pdf_step = ("from pathlib import Path; from lib import build; "
                "w = Path.cwd() / '_build' / 'pdf-test'; w.mkdir(parents=True); "
                "print(build.build_pdf(w, build.PDF_NAME, build.pdf_tocs()[build.PDF_NAME], "
                "build.pdf_config(build.PDF_NAME))[0])")
    for cmd in ([sys.executable, "-m", "lib.build", "--no-pdf"], [sys.executable, "-c", pdf_step]):
        proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return root


def test_built_html_has_no_live_markup_from_the_data(poisoned):
    site = poisoned / "_build" / "html"
    pages = sitecheck.site_pages(site)
    hits = []
    for page in pages:
        text = (site / page).read_text(encoding="utf-8")
        for raw in ("<img src=x", "<script>alert", "<b onmouseover"):
            if raw in text:
                hits.append(f"{page}: {raw}")
    assert hits == []
    chapter = (site / PAGE).read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in chapter  # escaped, in the data table


@pytest.mark.site
def test_poisoned_labels_show_as_text_and_never_run(browser, poisoned):
    dialogs = []
    with sitecheck.serve(poisoned / "_build" / "html") as url:
        context = browser.new_context(bypass_csp=True)
        tab = context.new_page()
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        tab.goto(f"{url}/{PAGE}")
        tab.wait_for_function(sitecheck.CHARTS_DRAWN, timeout=20000)
        # open every data table, hover every bar (tooltips), pass over the table cells
        tab.eval_on_selector_all("details", "els => els.forEach(d => d.open = true)")
        figure = tab.locator("figure.sop-chart", has_text="Figuur 4.2")
        marks = figure.locator(".mark-rect path")
        tooltip_texts = []
        for i in range(marks.count()):
            marks.nth(i).hover(force=True)
            tab.wait_for_timeout(50)
            tip = tab.locator("#vg-tooltip-element")
            tooltip_texts.append(tip.inner_text() if tip.count() else "")
            assert tip.locator("img, script, b").count() == 0
        for cell in tab.locator("td", has_text="vet").all():
            cell.hover()
        tab.wait_for_timeout(300)

        assert dialogs == [], f"script uit de gegevens liep: {dialogs}"
        assert tab.evaluate("() => document.querySelectorAll('img[src=\"x\"], [onerror], "
                            "[onmouseover], b').length") == 0
        main = tab.locator("main").inner_text()
        assert ROLE in main  # the chart's data table and the Figuur 4.2 description prose
        assert LABEL in main  # Tabel 4.2
        assert any(ROLE in t for t in tooltip_texts), tooltip_texts
        label = figure.locator(".sop-chart__canvas").get_attribute("aria-label")
        assert ROLE in label
        svg_text = " ".join(figure.locator("svg text").all_text_contents())
        assert ROLE in svg_text
        context.close()


@pytest.mark.pdf
def test_pdf_prints_the_labels_as_text(poisoned):
    """The print page (HTML that Chromium prints) has the label escaped, so no markup from the
    data runs or renders; the PDF shows it whole, and the role reaches the PDF inside the chart
    (a vector image with real text) and in its text alternative (/Alt)."""
    page = next((poisoned / "_build" / "pdf-test").rglob("print-sop-rapport.html"))
    printed = page.read_text(encoding="utf-8")
    assert "<img src=x" not in printed and "<script>alert" not in printed
    assert html.escape(LABEL, quote=False) in printed
    pdf = page.with_name("sop-rapport.pdf")
    # text extraction may drop the spaces in table cells
    text = "".join("".join(p.extract_text() or "" for p in PdfReader(pdf).pages).split())
    assert "".join(LABEL.split()) in text
    assert "".join(ROLE.split()) in text
