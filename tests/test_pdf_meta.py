"""PDF basics for every PDF the build makes (``lib.build.pdf_tocs``): title and language in the
document information, bookmarks for the chapters, every font embedded (poppler's pdfinfo and
pdffonts, and pypdf). A PDF that is not in ``_build/pdf`` fails its tests; it is never skipped.

The tables and the print text too, read from where poppler's ``pdftotext -bbox`` puts each word:
numbers right-aligned in their columns, no word or number broken inside a table cell, nothing
outside the text area (wide tables fit the page), no table number of LaTeX's own ("Tabel 7 –
Vervolgd van vorige pagina"), and no sentence that only makes sense on screen."""

from __future__ import annotations

import functools
import html
import itertools
import json
import re
import shutil
import subprocess
from collections import defaultdict
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
def test_pdf_title_page_names_work_publishers_version_and_date(pdf_dir, name):
    """Page 1 reads like a publication: title (with the edition), what this is, who publishes
    this edition and who wrote the source, the version and the date; nothing else."""
    from lib import release

    page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(_pdf(pdf_dir, name)), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = " ".join(page.split())
    assert " ".join(BOOK_TITLE.split()) in flat
    sector = name.removeprefix(build.PDF_NAME).lstrip("-")
    if sector:
        assert f"editie {data.SECTOR_NAMES[sector]}" in flat
    for part in ("Een levend rapport", "Uitgave van deze editie", "Redactie Levend rapport SO&P",
                 "Bronrapport", "Expertisecentrum Beroepsonderwijs (ECBO)", "ministerie van OCW"):
        assert part in flat, f"{name}: titelpagina mist {part!r}"
    version = release.version_text()
    assert version[0].upper() + version[1:] in flat or version in flat, flat
    assert re.search(r"\b\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|"
                     r"oktober|november|december) 20\d\d\b", flat), flat
    assert "Samenvatting" not in flat  # the title page stands alone


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


# --- tables and print text, from the words' positions (pdftotext -bbox) ---------------------------

Word = tuple[float, float, float, float, str]  # xMin, yMin, xMax, yMax (pt from the top left), text
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>")
# a number as a table cell shows it: 41, 1.746, 3,73*, 37,5%, −2,24, < 0,001 (here: 0,001)
_CELL_NUMBER = re.compile(r"[−-]?\d{1,3}(?:\.\d{3})*(?:,\d+)?%?\**")
_SIGNS = {"-", "−", "<", ">", "≤", "≥", "€"}  # never alone at the end of a line in a cell
CELL_GAP = 5.0  # pt: at least this much space between two cells of a row (words: ~2-4 pt)
# what only makes sense on a screen (the web edition has figures you can point at, links)
WEB_ONLY = ("wijs een staaf", "punt aan voor de waarde", "is interactief", "interactieve figu",
            "klik op", "klik hier", "zip-bestand downloaden", "beweeg de muis")


@functools.cache
def _pages(pdf: Path) -> list[list[Word]]:
    """Every page's words with their boxes."""
    _tool("pdfinfo", pdf)  # poppler is there
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [[(float(a), float(b), float(c), float(d), html.unescape(t))
             for a, b, c, d, t in _WORD.findall(page)] for page in out.split("<page ")[1:]]


def _lines(words: list[Word]) -> list[list[Word]]:
    """The words of a page by line (one baseline), left to right."""
    by_y: dict[float, list[Word]] = defaultdict(list)
    for w in words:
        by_y[round(w[1], 1)].append(w)
    return [sorted(ws) for _, ws in sorted(by_y.items())]


def _gaps(words: list[Word]) -> tuple[dict[Word, float], dict[Word, float]]:
    """Per word the space before it and after it on its line (none: no entry)."""
    before, after = {}, {}
    for line in _lines(words):
        for a, b in itertools.pairwise(line):
            after[a] = before[b] = b[0] - a[2]
    return before, after


def _cell_numbers(words: list[Word]) -> list[Word]:
    """Numbers that fill a table cell: a number with a cell's gap on both sides, not the first
    word of its line (that is a row's label or the start of a line of text)."""
    before, after = _gaps(words)
    return [w for w in words if _CELL_NUMBER.fullmatch(w[4]) and w in before
            and before[w] >= CELL_GAP and after.get(w, CELL_GAP) >= CELL_GAP]


def _aligned(numbers: list[Word], edge: int) -> list[list[Word]]:
    """Groups of numbers on one page in one type size with the same left (``edge`` 0) or right
    (2) edge, on three lines or more, and of different widths: only then does the edge show the
    alignment. (A column's edges agree to a thousandth of a point.)"""
    groups: list[list[Word]] = []
    for w in sorted(numbers, key=lambda w: (round(w[3] - w[1], 1), w[edge])):
        last = groups[-1][-1] if groups else None
        if (last and round(last[3] - last[1], 1) == round(w[3] - w[1], 1)
                and w[edge] - last[edge] <= 0.02):
            groups[-1].append(w)
        else:
            groups.append([w])
    return [g for g in groups if len({round(w[1]) for w in g}) >= 3
            and max(w[2] - w[0] for w in g) - min(w[2] - w[0] for w in g) > 1.5]


@pytest.mark.pdf
@pytest.mark.parametrize("name", EXPECTED)
def test_pdf_table_numbers_are_right_aligned(pdf_dir, name):
    """Numbers in a table column share their right edge, not their left one: in ``41`` over
    ``110`` the units line up."""
    left, right = [], 0
    for page, words in enumerate(_pages(_pdf(pdf_dir, name)), 1):
        numbers = _cell_numbers(words)
        right += len(_aligned(numbers, 2))
        left += [f"p. {page}: {' '.join(w[4] for w in g)}" for g in _aligned(numbers, 0)]
    assert left == [], f"{name}: links uitgelijnde getallen in tabellen:\n" + "\n".join(left)
    assert right >= 10, f"{name}: maar {right} rechts uitgelijnde getallenkolommen gevonden"


def _source_text(name: str) -> str:
    """What the PDF's pages say in their sources (templates' editions, Markdown pages), escapes
    undone: the hyphens the text itself has."""
    texts = []
    for path in build._toc_files(build.pdf_tocs()[name]):
        if path.suffix == ".ipynb":
            nb = json.loads(path.read_text(encoding="utf-8"))
            for cell in nb["cells"]:
                texts.append("".join(cell["source"]))
                for out in cell.get("outputs", []):
                    md = out.get("data", {}).get("text/markdown", "")
                    texts.append("".join(md) if isinstance(md, list) else md)
        else:
            texts.append(path.read_text(encoding="utf-8"))
    return re.sub(r"\\(.)", r"\1", "\n".join(texts))


@pytest.mark.pdf
@pytest.mark.parametrize("name", EXPECTED)
def test_pdf_tables_break_no_word_or_number(pdf_dir, name):
    """In a table cell a line never ends inside a word ("Sec-" over "tor"), nor after the sign of
    a number ("-" over "2,24", "€" over "100.000"). A cell's line is found as the last word
    before a cell's gap, with the next line of the same cell starting right under it; a line
    may end at a hyphen the text has itself (pedagogisch-didactische)."""
    source = _source_text(name)
    broken = []
    for page, words in enumerate(_pages(_pdf(pdf_dir, name)), 1):
        before, after = _gaps(words)
        for w in words:
            text = w[4]
            sign = text in _SIGNS
            if not (sign or re.fullmatch(r".*\w-", text)) or after.get(w, CELL_GAP) < CELL_GAP:
                continue
            height = w[3] - w[1]
            below = [v for v in words if abs(v[0] - w[0]) < 1.0
                     and 0.5 * height < v[1] - w[1] < 1.8 * height
                     and before.get(v, CELL_GAP) >= CELL_GAP]
            for v in below:
                rest = v[4].rstrip(",.;:)")
                if sign or text + rest not in source:
                    broken.append(f"p. {page}: '{text}' / '{v[4]}'")
    assert broken == [], f"{name}: woord of getal afgebroken in een tabel:\n" + "\n".join(broken)


def _text_area() -> tuple[float, float, float, float]:
    """The page margins (top, right, bottom, left) in pt, from the print style sheet's @page."""
    css = (paths.book_dir() / "_static" / build.PRINT_CSS).read_text(encoding="utf-8")
    m = re.search(r"@page\s*\{[^@}]*?margin:\s*([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm\s+"
                  r"([\d.]+)mm", css)
    assert m, "geen @page-marges in de printstijl"
    top, right, bottom, left = (float(x) * 72 / 25.4 for x in m.groups())
    return top, right, bottom, left


@pytest.mark.pdf
@pytest.mark.parametrize("name", EXPECTED)
def test_pdf_text_stays_inside_the_text_area(pdf_dir, name):
    """Nothing runs off the page: every word lies inside the text area (A4 less the print style
    sheet's margins), except the running header above it and the page number below it. Wide
    tables are set smaller or wrap; wide charts are scaled to the text width."""
    pdf = _pdf(pdf_dir, name)
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", _tool("pdfinfo", pdf))
    width, height = float(size.group(1)), float(size.group(2))
    top, right, bottom, left = _text_area()
    config = build.pdf_config(name)
    header = config["title"] + (f" — {config['edition']}" if config["edition"] else "")
    outside = []
    for page, words in enumerate(_pages(pdf), 1):
        for w in words:
            x0, y0, x1, y1, text = w
            if y1 < top + 1 and text in header.split():
                continue  # the running header
            if y0 > height - bottom - 1 and text == str(page):
                continue  # the page number
            if x0 < left - 1 or x1 > width - right + 1 or y0 < top - 1 or y1 > height - bottom + 1:
                outside.append(f"p. {page}: {text} ({x0:.0f}, {y0:.0f}, {x1:.0f}, {y1:.0f})")
    assert outside == [], f"{name}: tekst buiten de bladspiegel:\n" + "\n".join(outside[:20])


@pytest.mark.pdf
@pytest.mark.parametrize("name", EXPECTED)
def test_pdf_tables_carry_no_latex_number(pdf_dir, name):
    """Tables keep the source's number ("Tabel 6.10"); LaTeX's own count ("Tabel 7 – Vervolgd
    van vorige pagina" over a continued table) appears nowhere. A continued table says
    "Tabel 6.10 (vervolg)"."""
    text = " ".join(_text(_pdf(pdf_dir, name)).split())
    assert re.findall(r"\bTabel \d+(?![\d.])", text) == []
    assert "Vervolgd van vorige pagina" not in text


@pytest.mark.pdf
@pytest.mark.parametrize("name", EXPECTED)
def test_pdf_has_no_web_only_sentences(pdf_dir, name):
    """Print says nothing about pointing at a chart, clicking or a download link: such
    sentences are in ``{only} html`` blocks (and a print version in ``{only} latex``)."""
    text = " ".join(_text(_pdf(pdf_dir, name)).split()).lower()
    found = [p for p in WEB_ONLY if p in text]
    assert found == [], f"{name}: alleen-web-tekst in de PDF: {found}"


def _text(pdf: Path) -> str:
    _tool("pdfinfo", pdf)  # poppler is there
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
