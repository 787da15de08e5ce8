"""Reading order and navigation: labels per edition, the edition switcher, prev/next inside one
edition, the sector profiles, and the report's complete set of tables and figures."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import nbformat
import pytest

from lib import build, chapter, editions, navigation, paths, profile, prose
from lib.data import SECTOR_NAMES

CHAPTERS = ["00-samenvatting", "01-inleiding", "02-eerder-onderzoek", "03-onderzoeksvragen",
            "04-onderzoeksaanpak", "05-huidige-praktijk", "06-ervaren-meerwaarde",
            "07-groeistrategie", "08-conclusies"]
# the source's numbering: every table and figure must appear under its own number in the report
SOURCE_TABLES = ["4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "5.4", "6.1", "6.2", "6.3",
                 "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10", "6.11", "6.12"]
SOURCE_FIGURES = ["1.1", "4.1", "4.2", "5.1", "5.2", "5.3", "5.4a", "5.4b", "5.5", "6.1", "7.1",
                  "7.2", "7.3", "7.4"]


# --- labels and references per edition ----------------------------------------------------------

def _nb(*sources: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(s) for s in sources])


def test_sector_edition_prefixes_chapter_labels_and_references():
    nb = _nb("(h5-2)=\n## 5.2 Type studenten", "Zie {ref}`§5.2 <h5-2>` en {ref}`h6-1`, "
             "en {ref}`bijlage B <bijlage-errata>`.")
    editions._sector_labels(nb, "po")
    assert nb.cells[0].source.startswith("(po-h5-2)=\n")
    assert "{ref}`§5.2 <po-h5-2>`" in nb.cells[1].source
    assert "{ref}`po-h6-1`" in nb.cells[1].source
    # labels that are not chapter sections (appendices) lead to the report's page
    assert "<bijlage-errata>" in nb.cells[1].source


def test_the_report_keeps_its_labels():
    nb = _nb("(h5-2)=\n## 5.2", "{ref}`§5.2 <h5-2>`")
    editions._sector_labels(nb, "alle")
    assert nb.cells[0].source == "(h5-2)=\n## 5.2" and nb.cells[1].source == "{ref}`§5.2 <h5-2>`"


def test_chapter_ref_points_into_its_own_edition_and_escapes_the_text():
    assert chapter.start(5, "vo").ref("h5-6", "§5.6") == "{ref}`§5.6 <vo-h5-6>`"
    assert chapter.start(5, "alle").ref("h5-6", "§5.6") == "{ref}`§5.6 <h5-6>`"
    assert "\\*" in chapter.start(5, "alle").ref("h5-6", "a*b")
    with pytest.raises(ValueError, match="hoofdstuklabel"):
        chapter.start(5, "po").ref("bijlage-errata", "B")


def test_compose_escapes_text_but_keeps_markup():
    out = prose.compose("50% (", chapter.start(4, "po").ref("h4-3-1", "§4.3.1"), ")")
    assert isinstance(out, prose.Markup)
    assert out == "50\\% \\({ref}`§4.3.1 <po-h4-3-1>`\\)"


@pytest.mark.parametrize("sector", ["po", "vo", "mbo"])
def test_every_label_of_a_sector_edition_carries_the_sector(sector):
    for nb_path in sorted((paths.editions_dir() / sector).glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        labels = re.findall(r"^\((h\d[\w-]*|[a-z]+-h\d[\w-]*)\)=", text, re.M)
        assert labels, f"{nb_path.name}: geen sectielabels"
        assert all(lb.startswith(f"{sector}-") for lb in labels), (nb_path.name, labels)
        refs = re.findall(r"\{ref\}`(?:[^`<]*<)?([\w-]+)>?`", text)
        assert all(not re.fullmatch(r"h\d[\w-]*", r) for r in refs), (nb_path.name, refs)


# --- the edition switcher and prev/next ---------------------------------------------------------

def test_pages_belong_to_their_edition():
    assert navigation.edition_of("book/editions/po/05-huidige-praktijk") == "po"
    assert navigation.edition_of("book/editions/alle/bijlage-errata") == "alle"
    assert navigation.edition_of("book/toegankelijkheid") == "alle"
    assert navigation.edition_of("book/index") == "alle"


def test_switcher_links_the_same_chapter_in_every_edition_and_marks_this_one():
    docs = {f"book/editions/{s}/05-x" for s in ("alle", "po", "vo", "mbo")}
    bar = navigation.switcher("book/editions/vo/05-x", docs, lambda d: d + ".html")
    assert bar.count("<li>") == 4
    assert (f'<span aria-current="page" title="{SECTOR_NAMES["vo"]}">editie vo</span>') in bar
    for s in ("alle", "po", "mbo"):
        assert f'href="book/editions/{s}/05-x.html"' in bar
    assert "het rapport" in bar
    # an appendix exists only in the report: no bar
    assert navigation.switcher("book/editions/alle/bijlage-b", {"book/editions/alle/bijlage-b"},
                               str) == ""


def _html_pages(site_dir: Path) -> list[Path]:
    return sorted((site_dir / "book").rglob("*.html"))


def _prev_next(html_text: str) -> dict[str, str]:
    found = {}
    for cls, key in (("left-prev", "prev"), ("right-next", "next")):
        m = re.search(rf'<a class="{cls}"\s+href="([^"]+)"', html_text)
        if m:
            found[key] = m.group(1)
    return found


def test_prev_and_next_never_leave_the_edition(site_dir):
    checked = 0
    for page in _html_pages(site_dir):
        doc = page.relative_to(site_dir).with_suffix("").as_posix()
        for key, href in _prev_next(page.read_text(encoding="utf-8")).items():
            target = posixpath.normpath(posixpath.join(posixpath.dirname(doc), href.split("#")[0]))
            target = target.removesuffix(".html")
            assert navigation.edition_of(target) == navigation.edition_of(doc), (doc, key, href)
            checked += 1
    assert checked > 60  # the pages really have prev/next links to check


def test_the_report_reads_straight_through(site_dir):
    """Title page → samenvatting → 1 … 8 → appendices, by 'Volgende'."""
    order, doc = [], "book/index"
    while doc and len(order) < 30:
        order.append(doc)
        links = _prev_next((site_dir / f"{doc}.html").read_text(encoding="utf-8"))
        doc = (posixpath.normpath(posixpath.join(posixpath.dirname(doc), links["next"]))
               .removesuffix(".html") if "next" in links else None)
    assert order[:len(CHAPTERS) + 1] == ["book/index"] + [f"book/editions/alle/{c}"
                                                          for c in CHAPTERS]
    assert order[-2:] == ["book/toegankelijkheid", "book/colofon"]
    assert not any("/po/" in d or "/vo/" in d or "/mbo/" in d for d in order)


def test_every_edition_chapter_page_links_its_counterparts(site_dir):
    for sector in ("alle", "po", "vo", "mbo"):
        for cid in CHAPTERS:
            page = site_dir / "book" / "editions" / sector / f"{cid}.html"
            text = page.read_text(encoding="utf-8")
            bar = re.search(r'<nav class="sop-edities".*?</nav>', text, re.S)
            assert bar, f"{sector}/{cid}: geen 'Deze pagina in'"
            hrefs = re.findall(r'href="([^"]+)"', bar.group(0))
            assert len(hrefs) == 3, (sector, cid, hrefs)
            for href in hrefs:
                assert (page.parent / href).resolve().exists(), (sector, cid, href)


# --- sector profiles ----------------------------------------------------------------------------

@pytest.mark.parametrize("sector", ["po", "vo", "mbo"])
def test_profile_repeats_each_chapters_key_figures_with_a_link(sector):
    page = (paths.editions_dir() / sector / "index.md").read_text(encoding="utf-8")
    for cid in CHAPTERS:
        nb = paths.editions_dir() / sector / f"{cid}.ipynb"
        facts = profile.glued(nb, chapter.OPENING_KEY)
        assert facts, f"{sector}/{cid}: geen kerncijfers geglued"
        assert f"]({cid}.ipynb)" in page
        assert facts in page
    assert f"sop-rapport-{sector}.pdf" in page


def test_profile_lists_what_the_source_does_not_split():
    text = profile.not_split(["05-huidige-praktijk"])
    assert "Figuur 5.1" in text and "Tabel 5.4" not in text  # 5.4 is split by sector


def test_profile_refuses_a_chapter_without_its_opening_box(project_copy):
    nb = project_copy / "book" / "editions" / "po" / "05-huidige-praktijk.ipynb"
    node = nbformat.read(nb, as_version=4)
    for cell in node.cells:
        cell["outputs"] = [o for o in cell.get("outputs", [])
                           if o.get("metadata", {}).get("scrapbook", {}).get("name")
                           != chapter.OPENING_KEY]
    nbformat.write(node, nb)
    with pytest.raises(ValueError, match="openingskader"):
        profile.key_figures("po", ["05-huidige-praktijk"])


# --- the whole report ----------------------------------------------------------------------------

def _captions(sector: str) -> str:
    text = []
    for cid in CHAPTERS:
        nb = nbformat.read(paths.editions_dir() / sector / f"{cid}.ipynb", as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                for value in out.get("data", {}).values():
                    text.append(value if isinstance(value, str) else str(value))
    return "\n".join(text)


@pytest.mark.parametrize("sector", ["alle", "po", "vo", "mbo"])
def test_every_table_and_figure_appears_under_its_number(sector):
    shown = _captions(sector)
    for nr in SOURCE_TABLES:
        assert re.search(rf"Tabel {re.escape(nr)}[a-z]?(?![\d.])", shown), f"Tabel {nr}"
    for nr in SOURCE_FIGURES:
        assert re.search(rf"Figuur {re.escape(nr)}(?![\d.a-z])", shown), f"Figuur {nr}"


def test_report_and_every_edition_hold_every_chapter():
    toc = build.toc()
    report = [c["file"] for c in toc["parts"][0]["chapters"]]
    assert report == [f"book/editions/alle/{c}" for c in CHAPTERS]
    for sector in ("po", "vo", "mbo"):
        pdf_toc = build.pdf_tocs()[f"sop-rapport-{sector}"]
        # the edition's chapters, then the report's data appendices (bijlage A and B)
        assert [c["file"] for c in pdf_toc["chapters"]] == [f"book/editions/{sector}/{c}"
                                                             for c in CHAPTERS] + [
            "book/editions/alle/bijlage-gegevens", "book/editions/alle/bijlage-errata"]


def test_errata_appendix_reads_in_chapter_and_section_order():
    ids = ["E-6-1", "E-4-2", "E-0-1", "E-4-1", "E-7-1"]
    places = ["§6.1", "Tabel 4.4", "Samenvatting", "§4.3.1", "§7.7"]
    order = prose.errata_order(ids, places)
    assert [ids[i] for i in order] == ["E-0-1", "E-4-1", "E-4-2", "E-6-1", "E-7-1"]
    text = prose.errata_for(("E-",), by_chapter=True).data
    assert text.index("**Samenvatting**") < text.index("**Hoofdstuk 4**") < text.index("E\\-4\\-1")


def test_glued_cross_references_are_parsed_as_myst():
    """{glue:md} parses CommonMark unless told otherwise: a glued {ref} would stay raw text."""
    nb = _nb("Zie {glue:md}`waar` en {glue:md}`getal`.")
    nb.cells.append(nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", data={editions.GLUE_MD: "{ref}`§7.6 <h7-6>`"},
                               metadata={"scrapbook": {"name": "waar"}}),
        nbformat.v4.new_output("display_data", data={editions.GLUE_MD: "31\\%"},
                               metadata={"scrapbook": {"name": "getal"}})]))
    editions._myst_glue(nb)
    assert nb.cells[0].source == "Zie {glue:md}`waar:myst` en {glue:md}`getal`."


def test_no_english_interface_text_on_any_page(site_dir):
    """Buttons, tooltips and landmarks in Dutch (the theme ships some only in English)."""
    from lib.sitecheck import _UI_ATTR, _UI_TEXT, INTERFACE_NL

    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        text = page.read_text(encoding="utf-8")
        attrs = {v for _, v in _UI_ATTR.findall(text)}
        nodes = {m.group(2) for m in _UI_TEXT.finditer(text)}
        english = sorted((attrs | nodes) & set(INTERFACE_NL))
        assert english == [], page.name


@pytest.mark.site
def test_menu_button_opens_the_navigation_on_a_phone_and_toggles_it_on_a_desktop(browser,
                                                                                site_url):
    page = "book/editions/alle/05-huidige-praktijk.html"
    phone = browser.new_page(viewport={"width": 390, "height": 800})
    phone.goto(f"{site_url}/{page}")
    nav_link = phone.locator("#pst-primary-sidebar-modal a", has_text="1 Inleiding").first
    assert not nav_link.is_visible()
    phone.locator("button.primary-toggle:visible").first.click()
    phone.wait_for_selector("#pst-primary-sidebar-modal[open]", timeout=3000)
    assert nav_link.is_visible()
    # keyboard: Tab moves inside the open navigation, Escape closes it
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.closest('#pst-primary-sidebar-modal') !== null")
    phone.keyboard.press("Escape")
    phone.wait_for_selector("#pst-primary-sidebar-modal:not([open])", state="attached",
                            timeout=3000)
    phone.close()

    desk = browser.new_page(viewport={"width": 1280, "height": 800})
    desk.goto(f"{site_url}/{page}")
    sidebar = desk.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    toggle = desk.locator("button.primary-toggle:visible").first
    shown = "() => getComputedStyle(document.querySelector('#pst-primary-sidebar')).visibility"
    toggle.click()
    desk.wait_for_function(f"{shown} === 'hidden'", timeout=3000)
    toggle.click()
    desk.wait_for_function(f"{shown} === 'visible'", timeout=3000)
    desk.close()


CLIP_JS = """() => {
  const col = document.querySelector('article.bd-article') || document.querySelector('main');
  const right = col.getBoundingClientRect().right;
  const out = {page: document.documentElement.scrollWidth, screen: innerWidth, bad: [], wide: []};
  const name = el => (el.closest('figure, table')?.querySelector('caption, figcaption')
                      ?.textContent || el.tagName).trim().slice(0, 60);
  for (const el of document.querySelectorAll('main table, main .sop-chart__canvas svg, main pre')) {
    if (el.getBoundingClientRect().right <= right + 1) continue;
    if (el.closest('details:not([open])')) continue;  // a closed data table is not shown
    out.wide.push(name(el));
    let box = el.parentElement;
    for (; box && box !== col; box = box.parentElement) {
      const o = getComputedStyle(box).overflowX;
      if (o === 'auto' || o === 'scroll') break;
    }
    const ok = box && box !== col && box.getAttribute('tabindex') === '0'
               && box.previousElementSibling?.classList.contains('sop-scroll-hint');
    if (!ok) out.bad.push(name(el));
  }
  return out;
}"""


@pytest.mark.site
@pytest.mark.parametrize("width", [390, 1280])
def test_nothing_is_wider_than_the_screen_and_wide_content_scrolls_with_a_cue(browser, site_url,
                                                                             site_dir, width):
    """No page scrolls sideways; a table or chart wider than the text column sits in its own
    keyboard-focusable scroll box, announced by a line of text above it. At desktop width
    nothing is wider than the text column at all."""
    from lib.sitecheck import CHARTS_DRAWN

    tab = browser.new_page(viewport={"width": width, "height": 900})
    problems = []
    pages = sorted(p.relative_to(site_dir).as_posix() for p in (site_dir / "book").rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        tab.goto(f"{site_url}/{page}", wait_until="load")
        tab.wait_for_function(CHARTS_DRAWN, timeout=20000)
        tab.wait_for_timeout(100)
        tab.evaluate("() => markScrollers()")  # after the charts are drawn (sop-nav.js)
        found = tab.evaluate(CLIP_JS)
        if found["page"] > found["screen"]:
            problems.append(f"{page}: pagina {found['page']} px breed op {found['screen']} px")
        problems += [f"{page}: {what} breder dan de kolom, zonder schuifvak" for what in
                     found["bad"]]
        if width >= 1280:
            problems += [f"{page}: {what} breder dan de tekstkolom op {width} px"
                         for what in found["wide"]]
    tab.close()
    assert problems == [], "\n".join(problems)
