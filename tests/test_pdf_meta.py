"""PDF basics for every PDF the build makes (``lib.build.pdf_tocs``): title and language in the
document information, bookmarks for the chapters, every font embedded (poppler's pdfinfo and
pdffonts, and pypdf). A PDF that is not in ``_build/pdf`` fails its tests; it is never skipped."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from lib import build, data, paths

BOOK_TITLE = yaml.safe_load((paths.project_root() / "_config.yml").read_text(encoding="utf-8"))[
    "title"]


EXPECTED = sorted(build.pdf_tocs())  # the names, known without a build


def _pdf(pdf_dir: Path, name: str) -> Path:
    """The PDF ``name``; the test fails (never skips) when the build did not make it."""
    path = pdf_dir / f"{name}.pdf"
    if not path.is_file():
        pytest.fail(f"{path} ontbreekt; bouw eerst het boek: make build")
    return path


def _tool(name: str, pdf: Path) -> str:
    if not shutil.which(name):
        pytest.fail(f"{name} ontbreekt: scripts/setup.sh system installeert poppler-utils")
    return subprocess.run([name, str(pdf)], capture_output=True, text=True, check=True).stdout


@pytest.mark.pdf
def test_every_expected_pdf_is_there(pdf_dir):
    assert {p.stem for p in pdf_dir.glob("*.pdf")} == set(EXPECTED)


@pytest.mark.pdf
@pytest.mark.parametrize("name", EXPECTED)
def test_pdf_title_and_language(pdf_dir, name):
    pdf = _pdf(pdf_dir, name)
    info = dict(line.split(":", 1) for line in _tool("pdfinfo", pdf).splitlines() if ":" in line)
    title = info.get("Title", "").strip()
    assert title.startswith(BOOK_TITLE), title
    sector = pdf.stem.removeprefix(build.PDF_NAME).lstrip("-")
    if sector:
        assert title.endswith(f"editie {data.SECTOR_NAMES[sector]}"), title
    assert info.get("Author", "").strip()
    catalog = PdfReader(pdf).trailer["/Root"]
    assert catalog.get("/Lang") == "nl-NL"
    prefs = catalog.get("/ViewerPreferences") or {}
    assert bool(prefs.get("/DisplayDocTitle"))  # viewers show the title, not the file name


@pytest.mark.pdf
@pytest.mark.parametrize("name", EXPECTED)
def test_pdf_has_a_bookmark_per_chapter(pdf_dir, name):
    pdf = _pdf(pdf_dir, name)
    reader = PdfReader(pdf)
    top = [o for o in reader.outline if not isinstance(o, list)]
    titles = [o.title for o in top]
    assert any(t.startswith("4 Onderzoeksaanpak") for t in titles), titles
    if pdf.stem == build.PDF_NAME:
        assert "Toegankelijkheidsverklaring" in titles, titles
    pages = [reader.get_destination_page_number(o) for o in top]
    assert pages == sorted(pages) and all(p >= 0 for p in pages)
    # the chapter's sections are nested under it
    assert any(isinstance(o, list) and o for o in reader.outline)


@pytest.mark.pdf
@pytest.mark.parametrize("name", EXPECTED)
def test_pdf_embeds_every_font(pdf_dir, name):
    pdf = _pdf(pdf_dir, name)
    lines = _tool("pdffonts", pdf).splitlines()
    assert lines[0].split()[-5:] == ["emb", "sub", "uni", "object", "ID"], lines[0]
    rows = [ln for ln in lines[2:] if ln.strip()]
    assert rows, "geen lettertypen gevonden"
    not_embedded = [ln for ln in rows if ln.split()[-5] != "yes"]  # emb, counted from the end
    assert not_embedded == [], "\n".join(not_embedded)


@pytest.mark.pdf
@pytest.mark.parametrize("name", EXPECTED)
def test_pdf_text_can_be_searched_for_dutch_ij(pdf_dir, name):
    """Dutch "ij" is two letters in the PDF's text, not the ligature "ĳ" (U+0133), so searching
    or copying "zijn" works."""
    _tool("pdfinfo", _pdf(pdf_dir, name))  # poppler is there
    text = subprocess.run(["pdftotext", str(_pdf(pdf_dir, name)), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "ĳ" not in text and "Ĳ" not in text
    assert text.count("zijn") > 10


@pytest.mark.pdf
@pytest.mark.parametrize("name", EXPECTED)
def test_pdf_has_no_blank_pages(pdf_dir, name):
    """A digital PDF is one-sided: no empty left-hand pages before a chapter. A page holds more
    than its running header and page number (a figure page has its caption)."""
    reader = PdfReader(_pdf(pdf_dir, name))
    header = "De meerwaarde van Samen Opleiden en Professionaliseren"
    blank = [i + 1 for i, page in enumerate(reader.pages)
             if len("".join((page.extract_text() or "").replace(header, "").split())) < 40]
    assert blank == [], f"{name}: lege pagina's {blank}"
