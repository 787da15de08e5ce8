"""Reader experience, round two (issue 17, chapter side): a chapter ends on what it found (its
corrections of the 2021 report sit in a closed box under the chapter's opening, open on paper);
the tests the book uses are explained in the main text and linked where they are used;
abbreviations are spelled out on the page that uses them; the samenvatting's key figures say what
their partnership shares are of and fit a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from lib import errata, paths, print_pdf, prose
from lib.sitecheck import site_pages

ERRATA_CALL = re.compile(r"^ch\.errata\((.*)\)$", re.MULTILINE)


def _templates() -> list[Path]:
    found = sorted((paths.project_root() / "book" / "chapters").glob("0*.md"))
    assert len(found) == 9, found
    return found


def _chapter_pages(site_dir: Path) -> list[str]:
    found = [p for p in site_pages(site_dir)
             if re.fullmatch(r"book/editions/(alle|po|vo|mbo)/0\d-[\w-]+\.html", p)]
    assert len(found) == 36, found  # nine chapters in the report and in three sector editions
    return found


def _article(site_dir: Path, page: str) -> BeautifulSoup:
    soup = BeautifulSoup((site_dir / page).read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article") or soup.select_one("main")
    assert article is not None, page
    return article


# --- the errata box --------------------------------------------------------------------------


def test_the_errata_box_counts_its_errata_and_is_closed():
    ids = [i for i in errata.register()["id"] if errata.matches(i, ("E-5-", "E-0-4"))]
    assert len(ids) >= 2
    box = prose.errata_box(("E-5-", "E-0-4")).data
    assert box.splitlines()[0] == '<details class="sop-errata">'  # closed: no "open"
    title = box.splitlines()[1]
    assert title.startswith("<summary>Verbeterd ten opzichte van het rapport uit 2021 (")
    assert f"({prose.count(len(ids), 'plaats', 'plaatsen')})</summary>" in title
    assert box.rstrip().endswith("</details>")
    listed = re.findall(r"^- \*\*(E\\-\d+\\-\d+)\*\*", box, re.MULTILINE)
    assert sorted(x.replace("\\", "") for x in listed) == sorted(ids)  # each once, no other
    assert prose.errata_box(("E-99-",)).data == ""


@pytest.mark.parametrize("template", _templates(), ids=lambda p: p.stem)
def test_a_chapter_shows_its_errata_under_its_opening_not_at_its_end(template):
    text = template.read_text(encoding="utf-8")
    assert "Waar de bron niet met zichzelf klopt" not in text
    calls = list(ERRATA_CALL.finditer(text))
    if template.stem == "01-inleiding":
        assert not calls  # the introduction has no erratum of its own
        return
    assert len(calls) == 1, template.name
    first_section = re.search(r"^## ", text, re.MULTILINE)
    assert first_section and calls[0].start() < first_section.start(), (
        f"{template.name}: ch.errata(...) hoort onder de opening, vóór de eerste paragraaf")


@pytest.mark.site
def test_every_chapter_page_ends_on_its_findings_with_the_errata_closed_under_the_opening(site_dir):
    for page in _chapter_pages(site_dir):
        article = _article(site_dir, page)
        boxes = article.select("details.sop-errata")
        if "01-inleiding" in page:
            assert not boxes, page
            continue
        assert len(boxes) == 1, page
        box = boxes[0]
        assert not box.has_attr("open"), page
        title = box.find("summary").get_text(" ", strip=True)
        items = box.select("li")
        match = re.search(r"\((\w+) plaats(?:en)?\)", title)
        assert match and match.group(1) == prose.count(len(items)), (page, title, len(items))
        first_h2 = article.find("h2")
        assert first_h2 is not None and box.sourceline < first_h2.sourceline, page
        last_h2 = article.find_all("h2")[-1].get_text(" ", strip=True)
        assert "klopt" not in last_h2 and "errat" not in last_h2.lower(), (page, last_h2)


@pytest.mark.site
def test_the_errata_box_opens_on_a_phone(browser, site_url):
    tab = browser.new_page(viewport={"width": 390, "height": 900})
    tab.goto(f"{site_url}/book/editions/po/05-huidige-praktijk.html", wait_until="load")
    box = tab.locator("details.sop-errata")
    assert not box.locator("li").first.is_visible()
    box.locator("summary").click()
    first = box.locator("li").first
    assert first.is_visible()
    rect = first.bounding_box()
    assert rect and rect["x"] >= 0 and rect["x"] + rect["width"] <= 390
    tab.close()


def test_print_opens_the_errata_box_with_its_title_as_a_paragraph():
    soup = BeautifulSoup(
        '<article><details class="sd-sphinx-override sd-dropdown sop-errata">'
        '<summary class="sd-summary-title">Verbeterd ten opzichte van het rapport uit 2021 '
        '(twee plaatsen)<div class="sd-summary-down"><svg></svg></div></summary>'
        '<div class="sd-summary-content"><ul><li>E-1</li><li>E-2</li></ul></div>'
        "</details></article>", "html.parser")
    article = soup.article
    print_pdf._clean(soup, article)
    assert not article.select("details, summary, svg")
    box = article.select_one("div.sop-errata")
    assert box.select_one("p.sop-errata__titel strong").get_text() == (
        "Verbeterd ten opzichte van het rapport uit 2021 (twee plaatsen)")
    assert [li.get_text() for li in box.select("li")] == ["E-1", "E-2"]


# --- the tests explained, abbreviations spelled out ------------------------------------------

@pytest.mark.site
def test_every_page_that_names_a_test_links_to_its_explanation(site_dir):
    explained = _article(site_dir, "book/editions/alle/04-onderzoeksaanpak.html")
    target = explained.select_one("#h4-toetsen")
    assert target is not None
    section = target.find_parent("section")
    words = section.get_text(" ", strip=True)
    for term in ("Holm", "Cochran", "p-waarde"):
        assert term in words, term
    named = 0
    for page in _chapter_pages(site_dir):
        article = _article(site_dir, page)
        prose_text = " ".join(p.get_text(" ") for p in article.select("p"))
        if not re.search(r"Holm|Cochran", prose_text) or "04-onderzoeksaanpak" in page:
            continue
        named += 1
        links = [a.get("href", "") for a in article.select("a")]
        assert any(h.endswith("h4-toetsen") for h in links), (
            f"{page} noemt Holm of Cochran–Armitage zonder link naar 'Hoe dit rapport toetst'")
    assert named >= 8  # chapters 5 and 6 in the report and three editions


ABBREVIATIONS = {
    "OCW": "Onderwijs, Cultuur en Wetenschap",
    "PDG": "pedagogisch-didactisch getuigschrift",
    "RAP": "Regionale Aanpak Personeelstekort",
    "RAL": "Regionale Aanpak Lerarentekort",
    "VSNU": "Vereniging van Universiteiten",
}


@pytest.mark.site
def test_abbreviations_are_spelled_out_where_a_page_first_uses_them(site_dir):
    problems = []
    for page in _chapter_pages(site_dir):
        text = " ".join(_article(site_dir, page).get_text(" ").split())
        for short, long in ABBREVIATIONS.items():
            first = re.search(rf"\b{short}\b", text)
            if not first:
                continue
            spelled = text.find(long)
            if spelled < 0 or abs(spelled - first.start()) > 80:
                problems.append(f"{page}: {short} ({text[first.start():first.start() + 60]!r})")
    assert not problems, "\n".join(problems)


@pytest.mark.site
def test_no_english_word_in_a_heading(site_dir):
    for page in _chapter_pages(site_dir):
        for h in _article(site_dir, page).select("h1, h2, h3"):
            words = set(re.findall(r"\w+", h.get_text(" ").lower()))
            assert not words & {"input", "output", "feedback", "commit"}, (page, h.get_text())


# --- the samenvatting's key figures ----------------------------------------------------------

@pytest.mark.site
@pytest.mark.parametrize("width", [390, 1280])
def test_key_figures_say_whose_shares_they_are_and_fit_the_screen(browser, site_url, width):
    tab = browser.new_page(viewport={"width": width, "height": 900})
    tab.goto(f"{site_url}/book/editions/alle/00-samenvatting.html", wait_until="load")
    table = tab.locator("table:has(caption:has-text('Kerncijfers per sector'))")
    text = table.inner_text()
    assert re.search(r"Aandeel van alle [\d.]+ partnerschappen in Nederland", text)
    fits = table.evaluate("""t => {
      const box = t.closest('.pst-scrollable-table-container') || t.parentElement;
      return {table: t.scrollWidth, box: box.clientWidth,
              right: t.querySelector('thead th:last-child').getBoundingClientRect().right,
              page: document.documentElement.clientWidth};
    }""")
    assert fits["table"] <= fits["box"] + 1, fits
    assert fits["right"] <= fits["page"], fits
    tab.close()


@pytest.mark.site
def test_captions_carry_only_the_sources_numbers(site_dir):
    """No "Tabel 94" of Sphinx's own before "Tabel 6.3" (numfig stays off, lib.sitecheck)."""
    for page in site_pages(site_dir):
        assert 'class="caption-number"' not in (site_dir / page).read_text(encoding="utf-8"), page
