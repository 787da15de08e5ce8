"""Reader experience, round two (issue 17, site side): charts that fit a phone, tooltips inside the
window, a colophon with a contact address on every page, a home page with glued findings, the
change page's corrections against the 2021 report, one search field with each page once, light
pages (no icon font, precompressed copies)."""

from __future__ import annotations

import gzip
import html
import json
import posixpath
import re
import urllib.parse
from pathlib import Path

import nbformat
import pytest
import yaml

from lib import contact, editions, pages, paths, profile, release, slim
from lib.sitecheck import CHARTS_DRAWN, site_pages

# --- charts on a phone and on a desktop ----------------------------------------------------------

MARKS_JS = """() => {
  const col = document.querySelector('article.bd-article') || document.querySelector('main');
  const c = col.getBoundingClientRect();
  const W = document.documentElement.clientWidth;
  const out = {charts: 0, marks: 0, bad: [], scrolled: [],
               page: document.documentElement.scrollWidth};
  for (const canvas of document.querySelectorAll('.sop-chart__canvas')) {
    out.charts += 1;
    const name = (canvas.closest('figure')?.querySelector('figcaption')?.textContent || '?')
      .trim().slice(0, 50);
    if (canvas.scrollWidth > canvas.clientWidth + 1) out.scrolled.push(name);
    for (const m of canvas.querySelectorAll('svg path, svg text, svg line, svg rect')) {
      const r = m.getBoundingClientRect();
      if (!r.width && !r.height) continue;
      out.marks += 1;
      if (r.left < Math.max(0, c.left) - 1 || r.right > Math.min(W, c.right) + 1) {
        out.bad.push(`${name}: ${m.tagName} ${Math.round(r.left)}..${Math.round(r.right)}`
                     + ` buiten ${Math.round(c.left)}..${Math.round(Math.min(W, c.right))}`);
        break;
      }
    }
  }
  return out;
}"""


def _chart_pages(site_dir: Path) -> list[str]:
    found = [p for p in site_pages(site_dir) if "sop-chart__canvas" in
             (site_dir / p).read_text(encoding="utf-8")]
    assert len(found) >= 16, found  # chapters with charts in the report and three editions
    return found


@pytest.mark.site
@pytest.mark.parametrize("width", [390, 1280])
def test_every_mark_of_every_chart_is_inside_the_column_without_scrolling(browser, site_url,
                                                                           site_dir, width):
    tab = browser.new_page(viewport={"width": width, "height": 900})
    problems, charts, marks = [], 0, 0
    for page in _chart_pages(site_dir):
        tab.goto(f"{site_url}/{page}", wait_until="load")
        tab.wait_for_function(CHARTS_DRAWN, timeout=30000)
        found = tab.evaluate(MARKS_JS)
        charts += found["charts"]
        marks += found["marks"]
        problems += [f"{page}: {b}" for b in found["bad"]]
        problems += [f"{page}: {s} schuift opzij" for s in found["scrolled"]]
        if found["page"] > width:
            problems.append(f"{page}: pagina {found['page']} px breed")
    tab.close()
    expected = sum((site_dir / p).read_text(encoding="utf-8").count('class="sop-chart__canvas"')
                   for p in _chart_pages(site_dir))
    assert charts == expected and marks > 20 * charts, (charts, expected, marks)
    assert problems == [], "\n".join(problems)


def _figure_spec(site_dir: Path, page: str, block: str) -> dict:
    """A chart's spec as the site serves it: in its data block, or in its spec file."""
    import json

    src = re.search(r'data-src="([^"]+)"', block)
    if src is None:
        return json.loads(block.split(">", 1)[1].rsplit("</script>", 1)[0])
    code = (site_dir / posixpath.normpath(posixpath.join(posixpath.dirname(page), src.group(1)))
            ).read_text(encoding="utf-8")
    return json.loads(code.split(",", 1)[1].rsplit(")", 1)[0])


def test_every_figure_links_its_csv_named_after_its_number_with_the_charts_numbers(site_dir):
    """Under every chart of every page, outside the folded data table: a link to the figure's
    CSV whose name carries the figure's number (or the number of the table it goes with). The
    file reads as the data package's files do (comma, decimal point, UTF-8) and holds the
    numbers the chart draws: compared with the chart's own data."""
    import csv
    import io

    from lib import vega_sphinx

    problems, checked = [], 0
    for page in _chart_pages(site_dir):
        text = (site_dir / page).read_text(encoding="utf-8")
        names = []
        for fig in re.findall(r'<figure class="sop-chart".*?</figure>', text, re.S):
            caption = html.unescape(re.search(r"<figcaption[^>]*>(.*?)</figcaption>", fig,
                                              re.S).group(1))
            before = fig.split("<details", 1)[0]
            link = re.search(r'<p class="sop-chart__download">.*?<a [^>]*download[^>]*'
                             r'href="([^"]+\.csv)"', before, re.S)
            if link is None:
                problems.append(f"{page}: {caption[:50]}: geen CSV-link onder de figuur")
                continue
            href = link.group(1)
            name = posixpath.basename(href)
            names.append(name)
            number = re.search(r"(?:Figuur|Tabel) (\d+)\.(\d+[a-z]?)", caption)
            if number is None or f"-{number.group(1)}-{number.group(2)}" not in name:
                problems.append(f"{page}: {name} draagt het nummer van '{caption[:40]}' niet")
            path = site_dir / posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
            raw = path.read_bytes()
            assert not raw.startswith(b"\xef\xbb\xbf"), f"{name}: BOM"
            rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
            spec = _figure_spec(site_dir, page, re.search(
                r'<script type="application/json".*?</script>', fig, re.S).group(0))
            cols = vega_sphinx.csv_columns(spec)
            if not rows or list(rows[0]) != cols:
                problems.append(f"{page}: {name}: kolommen {list(rows[0]) if rows else []}")
                continue
            want = {tuple(r.get(c) for c in cols) for r in vega_sphinx.table_rows(spec)
                    if all(c in r for c in cols)}
            got = set()
            for r in rows:
                cells = []
                for c, v in zip(cols, (r[c] for c in cols), strict=True):
                    kinds = {type(w[cols.index(c)]) for w in want}
                    if kinds <= {int, float, type(None)} and kinds - {type(None)}:
                        if "," in v:
                            problems.append(f"{page}: {name}: '{v}' is geen getal met punt")
                        cells.append(float(v) if v else None)
                    else:
                        cells.append(v)
                got.add(tuple(cells))
            want = {tuple(float(x) if isinstance(x, int | float) and not isinstance(x, bool)
                          else x for x in w) for w in want}
            if got != want:
                problems.append(f"{page}: {name} houdt niet de getallen van de figuur: "
                                f"{sorted(map(str, got ^ want))[:3]}")
            checked += 1
        if len(names) != len(set(names)):
            problems.append(f"{page}: twee figuren met één bestandsnaam: {names}")
    assert checked >= 16 and problems == [], "\n".join(problems)


@pytest.mark.site
def test_on_a_phone_row_labels_stand_above_their_marks(browser, site_url):
    """Figuur 6.1 and the dot charts beside Tabel 6.3-6.8: each row's label ends above its
    marks, and the marks use the width the labels used to take."""
    tab = browser.new_page(viewport={"width": 390, "height": 900})
    tab.goto(f"{site_url}/book/editions/po/06-ervaren-meerwaarde.html", wait_until="load")
    tab.wait_for_function(CHARTS_DRAWN, timeout=30000)
    layouts = tab.eval_on_selector_all(".sop-chart__canvas",
                                       "els => els.map(e => e.dataset.layout)")
    assert layouts and set(layouts) == {"smal"}
    found = tab.evaluate("""() => {
      const out = [];
      for (const canvas of document.querySelectorAll('.sop-chart__canvas')) {
        const labels = [...canvas.querySelectorAll('.role-axis-label text')];
        const points = [...canvas.querySelectorAll('.mark-symbol path')];
        if (!points.length || !labels.length) continue;
        const box = canvas.getBoundingClientRect();
        const left = Math.min(...points.map(p => p.getBoundingClientRect().left));
        out.push({left: left - box.left, width: box.width});
      }
      return out;
    }""")
    tab.close()
    assert len(found) >= 6  # Figuur 6.1 and the six item charts
    for chart in found:  # labels above, not beside: the dots start in the left half of the box
        assert chart["left"] < chart["width"] / 2, chart


TIP_JS = """() => {
  const t = document.getElementById('vg-tooltip-element');
  if (!t || getComputedStyle(t).visibility === 'hidden') return null;
  const r = t.getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
          W: document.documentElement.clientWidth, H: innerHeight, text: t.textContent};
}"""


@pytest.mark.site
@pytest.mark.parametrize("width", [390, 1280])
def test_a_tapped_tooltip_stays_inside_the_window(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, has_touch=True,
                                  is_mobile=width < 600)
    tab = context.new_page()
    page = f"{site_url}/book/editions/po/06-ervaren-meerwaarde.html"
    tab.goto(page, wait_until="load")
    checked = 0
    for index in range(tab.locator(".sop-chart__canvas").count()):
        # a fresh page for every chart: the first tooltip of a page is created by the tap itself
        tab.goto(page, wait_until="load")
        tab.wait_for_function(CHARTS_DRAWN, timeout=30000)
        canvas = tab.locator(".sop-chart__canvas").nth(index)
        # marks with a tooltip (not the legend's symbols), marked so they can be tapped by name
        n = canvas.evaluate("""(c, index) => {
          const els = [...c.querySelectorAll('.mark-rect path, .mark-symbol path')]
            .filter(e => e.__data__ && e.__data__.tooltip != null && !e.closest('.role-legend'));
          els.forEach((e, i) => e.setAttribute('data-tip', index + '-' + i));
          return els.length;
        }""", index)
        if not n:
            continue
        marks = canvas.locator("[data-tip]")
        # the marks nearest the right and the left edge: where a tooltip is most likely to stick out
        xs = marks.evaluate_all("els => els.map(e => e.getBoundingClientRect().left)")
        for i in {xs.index(max(xs)), xs.index(min(xs))}:
            mark = marks.nth(i)
            mark.scroll_into_view_if_needed()
            mark.tap(force=True)
            tab.wait_for_timeout(150)
            tip = tab.evaluate(TIP_JS)
            assert tip is not None, f"figuur {index + 1}: geen tooltip na tikken"
            assert tip["left"] >= 0 and tip["right"] <= tip["W"], (index, tip)
            assert tip["top"] >= 0 and tip["bottom"] <= tip["H"], (index, tip)
            checked += 1
    context.close()
    assert checked >= 10


# --- colophon and contact ------------------------------------------------------------------------

def test_the_contact_address_comes_from_the_config_and_must_be_an_address():
    config = yaml.safe_load(paths.config_file().read_text(encoding="utf-8"))
    pub = contact.publication(config)
    assert pub["contact_email"] == config["publication"]["contact_email"]
    broken = {**config, "publication": {**config["publication"], "contact_email": "geen adres"}}
    with pytest.raises(contact.ContactError, match="geen e-mailadres"):
        contact.publication(broken)
    with pytest.raises(contact.ContactError, match="web_address"):
        contact.publication({"publication": {"publisher": "x", "contact_email": "a@b.nl"}})


def _links(text: str) -> list[str]:
    """Link targets as a browser reads them (Sphinx writes mailto addresses as entities)."""
    return [urllib.parse.unquote(html.unescape(h))
            for h in re.findall(r'<a\b[^>]*\bhref="([^"]+)"', text)]


def test_every_page_links_the_colophon_and_the_colophon_has_the_mailto_link(site_dir):
    pub = contact.publication()
    colophon = site_dir / "book" / "colofon.html"
    text = colophon.read_text(encoding="utf-8")
    assert f'mailto:{pub["contact_email"]}' in _links(text)
    assert pub["web_address"] in text and html.escape(pub["publisher"]) in text
    assert "Een fout melden" in text and "Citeren" in text and "licentie" in text
    checked = 0
    for page in site_pages(site_dir):
        html_text = (site_dir / page).read_text(encoding="utf-8")
        footer = html_text[html_text.find('<footer class="bd-footer-content"'):]
        targets = [posixpath.normpath(posixpath.join(posixpath.dirname(page), h.split("#")[0]))
                   for h in _links(footer) if not h.startswith(("http", "mailto:"))]
        here = page == "book/colofon.html"  # on the colophon itself the link is "#"
        assert "book/colofon.html" in targets or (here and "Colofon en contact" in footer), \
            f"{page}: geen link naar Colofon en contact"
        checked += 1
    assert checked > 40
    statement = (site_dir / "book" / "toegankelijkheid.html").read_text(encoding="utf-8")
    assert f'mailto:{pub["contact_email"]}' in _links(statement)
    assert "colofon.html" in _links(statement)
    assert "nog geen eigen adres" not in statement


@pytest.mark.site
@pytest.mark.parametrize("width", [390, 1280])
def test_a_reader_reaches_the_colophon_from_a_chapter_and_finds_the_address(browser, site_url,
                                                                            width):
    tab = browser.new_page(viewport={"width": width, "height": 900})
    tab.goto(f"{site_url}/book/editions/po/05-huidige-praktijk.html", wait_until="load")
    link = tab.locator("footer a", has_text="Colofon en contact")
    link.scroll_into_view_if_needed()
    assert link.is_visible()
    link.click()
    tab.wait_for_load_state("load")
    assert tab.url.endswith("book/colofon.html")
    mail = tab.locator('a[href^="mailto:"]').first
    assert mail.is_visible()
    href = urllib.parse.unquote(mail.get_attribute("href") or "")
    assert href == f"mailto:{contact.publication()['contact_email']}"
    tab.close()


# --- the home page -------------------------------------------------------------------------------

def test_the_home_page_is_up_to_date_and_shows_the_glued_figures():
    version, year = pages._version()
    page = (paths.book_dir() / pages.HOME).read_text(encoding="utf-8")
    assert page == pages.home(version), "book/index.md is verouderd: python -m lib.pages"
    for field, chapter in pages.HOME_VALUES.items():
        value = profile.glued(paths.editions_dir() / "alle" / f"{chapter}.ipynb", field)
        assert value and value.strip()[1:] in page, field
    assert (paths.book_dir() / pages.COLOPHON).read_text(encoding="utf-8") == \
        pages.colophon(version, year)


def test_a_changed_value_changes_the_home_page(project_copy):
    nb_path = project_copy / "book" / "editions" / "alle" / "00-samenvatting.ipynb"
    before = profile.glued(nb_path, "tevr_tot")
    number = re.search(r"\d+", before)
    assert number, before
    changed = before.replace(number.group(0), str(int(number.group(0)) + 3), 1)
    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("metadata", {}).get("scrapbook", {}).get("name") == "tevr_tot":
                out["data"][editions.GLUE_MD] = changed
    nbformat.write(nb, nb_path)
    written = pages.write()
    assert project_copy / "book" / "index.md" in written
    page = (project_copy / "book" / "index.md").read_text(encoding="utf-8")
    assert f"**{changed}**" in page and f"**{before}**" not in page


def test_the_home_page_names_the_contact_address_change_in_the_colophon(project_copy):
    config = project_copy / "_config.yml"
    text = config.read_text(encoding="utf-8")
    old = contact.publication()["contact_email"]
    config.write_text(text.replace(old, "meldingen@voorbeeld.nl"), encoding="utf-8")
    pages.write()
    colophon = (project_copy / "book" / "colofon.md").read_text(encoding="utf-8")
    assert "(mailto:meldingen@voorbeeld.nl)" in colophon and old not in colophon


@pytest.mark.site
@pytest.mark.parametrize("width", [390, 1280])
def test_the_first_screen_of_the_home_page_shows_findings(browser, site_url, width):
    tab = browser.new_page(viewport={"width": width, "height": 900})
    tab.goto(f"{site_url}/book/index.html", wait_until="load")
    cards = tab.locator(".sop-kerncijfers li")
    assert 3 <= cards.count() <= 5
    first = cards.first.bounding_box()
    assert first and first["y"] < 900, "het eerste kerncijfer staat niet op het eerste scherm"
    body = tab.locator("article").inner_text()
    assert "boek" not in body.lower().split()  # one word for it: "rapport"
    tab.close()


# --- the change page -----------------------------------------------------------------------------

def test_change_page_lists_the_corrections_against_2021_whatever_the_release():
    text = release.report()
    errata = release.snapshot("", "")["errata"]
    assert "## Verbeterd ten opzichte van het rapport uit 2021" in text
    for rid in errata:
        escaped = rid.replace("-", "\\-")
        assert f"[{escaped}]({release.ERRATA_PAGE})" in text, rid
    # after a later release the page first says what that release changed, then the corrections
    old = release.load_release(release.releases()[0][0])
    changes = release.compare(old, release.snapshot("", ""))
    later = release.page(changes, "9.9", [("1.0", "2026-11-30"), ("9.9", "2027-03-01")], errata)
    assert later.index("versie 1.0") < later.index("## Verbeterd ten opzichte")
    assert "[E\\-6\\-9]" in later


# --- search --------------------------------------------------------------------------------------

# Sphinx shows results one by one: done when the list has not grown for a second (its summary
# line stays empty under this theme)
RESULTS_SETTLED = """() => {
  const n = document.querySelectorAll('#search-results ul.search li').length;
  const s = window.__sopSearch || (window.__sopSearch = {n: -1, same: 0});
  s.same = n > 0 && n === s.n ? s.same + 1 : 0;
  s.n = n;
  return s.same >= 4;
}"""


def _results(tab) -> list[str]:
    tab.evaluate("() => { window.__sopSearch = null; }")
    tab.wait_for_function(RESULTS_SETTLED, polling=250, timeout=30000)
    return tab.locator("#search-results ul.search li > a").all_inner_texts()


def _search(tab, site_url: str, query: str) -> list[str]:
    tab.goto(f"{site_url}/search.html?{urllib.parse.urlencode({'q': query})}", wait_until="load")
    return _results(tab)


@pytest.mark.site
def test_search_lists_each_page_once_and_the_report_first(browser, site_url):
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    titles = _search(tab, site_url, "partnerschap")
    assert len(titles) > 5
    assert len(titles) == len(set(titles)), titles
    assert not any("— editie" in t for t in titles), titles
    bar = tab.locator("#sop-zoek-in")
    assert bar.locator("[aria-current=page]").inner_text().startswith("het rapport")
    bar.locator("a", has_text="editie po").click()
    tab.wait_for_load_state("load")
    po = _results(tab)
    assert po and len(po) == len(set(po))
    assert all("editie primair onderwijs" in t or t.startswith("Sectoreditie primair") for t in po)
    tab.close()


@pytest.mark.site
@pytest.mark.parametrize("width", [390, 1280])
def test_one_search_field(browser, site_url, width):
    tab = browser.new_page(viewport={"width": width, "height": 900})
    tab.goto(f"{site_url}/book/editions/alle/05-huidige-praktijk.html", wait_until="load")
    visible = tab.locator("button.search-button-field:visible, button.search-button:visible")
    assert visible.count() == 1
    tab.close()


# --- light pages ---------------------------------------------------------------------------------

def test_pages_load_no_icon_font_and_no_search_index_outside_search(site_dir):
    for page in site_pages(site_dir):
        text = (site_dir / page).read_text(encoding="utf-8")
        assert "fontawesome" not in text and "fa-solid" not in text, page
        if page != "search.html":
            assert "searchindex.js" not in text, page
    css = (site_dir / "_static/styles/pydata-sphinx-theme.css").read_text(encoding="utf-8")
    assert not re.search(r"@font-face\{[^}]*Font Awesome", css) and ".fa-bars" not in css


def test_icons_become_inline_svg_with_the_theme_shapes():
    script = ('a={"arrow-up":[384,512,[],"f062","M1 2L3 4z"],'
              'bars:[448,512,["navicon"],"f0c9","M0 9z"]}')
    icons = slim.fa_icons(script)
    assert icons == {"arrow-up": (384, 512, "M1 2L3 4z"), "bars": (448, 512, "M0 9z")}
    out = slim.inline_icons('<button><span class="fa-solid fa-bars"></span></button>', icons)
    assert 'viewBox="0 0 448 512"' in out and 'd="M0 9z"' in out and "fa-" not in out
    assert 'aria-hidden="true"' in out


def test_unused_css_rules_go_and_used_ones_stay():
    css = ("/* x */.a{color:red}.b,.a .c{margin:0}@media (min-width:1px){.b{x:y}.c{x:z}}"
           "@font-face{font-family:\"Font Awesome 6 Free\";src:url(fa.woff2)}"
           ".fa-bars:before{content:\"\\f0c9\"}:root{--x:1}a[href^='.b']{top:0}")
    out = slim.purge_css(css, {"a", "c"})
    assert ".a{color:red}" in out and ".a .c{margin:0}" in out
    assert "@media (min-width:1px){.c{x:z}}" in out
    assert ".b" not in out.replace("'.b'", "")
    assert "Font Awesome" not in out and "fa-bars" not in out
    assert ":root{--x:1}" in out and "a[href^='.b']{top:0}" in out


def test_precompressed_copies_are_the_same_bytes_every_time(tmp_path, site_dir):
    page = site_dir / "book" / "index.html"
    gz = page.with_name(page.name + ".gz")
    assert gz.exists(), "geen .gz naast de pagina's"
    assert gzip.decompress(gz.read_bytes()) == page.read_bytes()
    (tmp_path / "a.html").write_text("x" * 5000, encoding="utf-8")
    slim.precompress(tmp_path)
    first = (tmp_path / "a.html.gz").read_bytes()
    slim.precompress(tmp_path)
    assert (tmp_path / "a.html.gz").read_bytes() == first


def test_brotli_copies_beside_every_text_file_decompress_to_the_same_bytes(tmp_path, site_dir):
    """brotli is in the lock: the published site has a .br beside every text file of 1 kB or
    more (as it has a .gz), and each is the file itself, compressed."""
    import brotli

    texts = [p for p in site_dir.rglob("*") if p.is_file() and p.suffix in slim.TEXT_SUFFIXES
             and p.stat().st_size >= slim.MIN_SIZE]
    assert len(texts) > 40
    missing = [p.relative_to(site_dir).as_posix() for p in texts
               if not p.with_name(p.name + ".br").exists()]
    assert missing == [], f"zonder .br: {missing[:10]}"
    for p in texts:
        assert brotli.decompress(p.with_name(p.name + ".br").read_bytes()) == p.read_bytes(), p
    (tmp_path / "a.css").write_text("b{color:red}" * 200, encoding="utf-8")
    counts = slim.precompress(tmp_path)
    assert counts == {"gz": 1, "br": 1}
    assert brotli.decompress((tmp_path / "a.css.br").read_bytes()) == \
        (tmp_path / "a.css").read_bytes()


def test_tables_carry_their_alignment_once_and_the_cells_their_text_only():
    table = ('<table class="sop-table table" id="t1">\n<thead>\n<tr class="row-odd">'
             '<th class="head text-left"><p>Groep</p></th>\n'
             '<th class="head text-right"><p>n</p></th>\n</tr>\n</thead>\n<tbody>\n'
             '<tr class="row-even"><td class="text-left"><p><strong>po</strong></p></td>\n'
             '<td class="text-right"><p>77</p></td>\n</tr>\n</tbody>\n</table>')
    out = slim.compact_table(table)
    assert out.startswith('<table class="sop-table table" id="t1" data-r="2">')
    assert '<th class="head">Groep</th>' in out and '<th class="head">n</th>' in out
    assert "<td><strong>po</strong></td>" in out and "<td>77</td>" in out
    assert "text-right" not in out and "row-even" not in out and "<p>" not in out
    # a column that mixes alignments, or a cell that spans columns: left as it was
    mixed = table.replace('<td class="text-right"><p>77</p>', '<td class="text-left"><p>77</p>')
    assert slim.compact_table(mixed) == mixed
    spans = table.replace('<td class="text-right">', '<td class="text-right" colspan="2">')
    assert slim.compact_table(spans) == spans
    # sop.css aligns as many columns as slim compacts
    css = (paths.project_root() / "book" / "_static" / "sop.css").read_text(encoding="utf-8")
    assert f'table[data-r~="{slim.MAX_ALIGNED_COLUMNS}"] tr' in css


def test_search_script_is_on_the_search_page_only(site_dir):
    assert "sop-search.js" in (site_dir / "search.html").read_text(encoding="utf-8")
    assert "sop-search.js" not in (site_dir / "book" / "index.html").read_text(encoding="utf-8")


# --- sector editions lead with their sector (issue 17, chapter side) -------------------------

SECTOR_COLUMN_JS = """(sector) => {
  const groups = new Set(['po', 'vo', 'mbo', 'totaal']);
  const W = document.documentElement.clientWidth;
  const out = {tables: 0, bad: []};
  // the report's tables (lib.chapter), not the data tables behind a chart
  for (const table of document.querySelectorAll('main table.sop-table:not(.sop-chart__table)')) {
    const heads = [...table.querySelectorAll('thead th')].map(h => h.textContent.trim());
    const name = (table.querySelector('caption')?.textContent || '?').trim().slice(0, 40);
    const at = heads.indexOf(sector);
    if (at >= 0) {
      out.tables += 1;
      const before = heads.slice(0, at).filter(h => groups.has(h.toLowerCase()));
      if (before.length) out.bad.push(`${name}: ${before.join(', ')} voor ${sector}`);
      const total = heads.findIndex(h => h.toLowerCase() === 'totaal');
      if (total >= 0 && total !== at + 1) out.bad.push(`${name}: Totaal niet naast ${sector}`);
      // the columns before it are the labels (an item number at most), not measures
      const first = table.querySelector('tbody tr');
      const cells = first ? [...first.children].slice(0, at).map(c => c.textContent.trim()) : [];
      const numbers = cells.filter(t => /\\d,\\d|%/.test(t));
      if (numbers.length) out.bad.push(`${name}: getallen voor ${sector}: ${numbers.join(', ')}`);
      const th = table.querySelectorAll('thead th')[at];
      const r = th.getBoundingClientRect();
      if (r.left < 0 || r.right > W + 1)
        out.bad.push(`${name}: kop ${sector} op ${Math.round(r.left)}..${Math.round(r.right)}, `
                     + `venster ${W}`);
    }
    if (heads[0] === 'Sector') {  // sectors as rows: the sector's row first
      out.tables += 1;
      const firstCell = table.querySelector('tbody tr td')?.textContent.trim();
      if (firstCell !== sector) out.bad.push(`${name}: eerste rij ${firstCell}, niet ${sector}`);
    }
  }
  return out;
}"""


def _sector_pages(site_dir: Path) -> list[tuple[str, str]]:
    found = [(p, p.split("/")[-2]) for p in site_pages(site_dir)
             if re.search(r"(^|/)editions/(po|vo|mbo)/\d\d-[\w-]+\.html$", p)]
    assert len(found) >= 27, found  # nine chapters in three editions
    return found


@pytest.mark.site
@pytest.mark.parametrize("width", [390, 1280])
def test_sector_editions_show_the_sectors_column_first_and_on_a_phone_screen(browser, site_url,
                                                                          site_dir, width):
    """In every sector edition page, a table that splits by sector shows the sector's column
    first after the labels, with Totaal right beside it, and on a phone its header is on the
    first screen without scrolling sideways; where sectors are rows, the sector's row is first."""
    tab = browser.new_page(viewport={"width": width, "height": 900})
    problems, tables = [], 0
    for page, sector in _sector_pages(site_dir):
        tab.goto(f"{site_url}/{page}", wait_until="load")
        found = tab.evaluate(SECTOR_COLUMN_JS, sector)
        tables += found["tables"]
        problems += [f"{page}: {b}" for b in found["bad"]]
    tab.close()
    assert tables >= 3 * 8, tables  # Tabel 6.3–6.8, the samenvatting and more per edition
    assert problems == [], "\n".join(problems)


FILE_NAME = re.compile(r"tekstcijfers_|\.csv\b")
READER_TEXT_JS = """() => {
  const main = (document.querySelector('main') || document.body).cloneNode(true);
  for (const el of main.querySelectorAll('a.download, a[download], script, style, code.download'))
    el.remove();
  return main.textContent;
}"""


def _edition_notebooks() -> list[Path]:
    return sorted(p for s in ("alle", "po", "vo", "mbo")
                  for p in (paths.editions_dir() / s).glob("[0-9][0-9]-*.ipynb"))


@pytest.mark.parametrize("notebook", _edition_notebooks(),
                         ids=[f"{p.parent.name}/{p.stem}" for p in _edition_notebooks()])
def test_no_edition_names_a_data_file_outside_its_download_links(notebook):
    """Readers get places in the source (Tabel 6.1, §6.1), not internal file names: the text of
    an edition (Markdown, tables, boxes, what a chart says) names no ``tekstcijfers_*`` or
    ``*.csv`` except in a download link."""
    nb = nbformat.read(notebook, as_version=4)
    found = []
    for cell in nb.cells:
        texts = [cell.source] if cell.cell_type == "markdown" else []
        for out in cell.get("outputs", []):
            bundle = out.get("data", {})
            texts += [v for k, v in bundle.items() if k in ("text/markdown", "text/html")]
            spec = next((v for k, v in bundle.items() if "vega" in k), None)
            if spec is not None:
                spec = json.loads(spec) if isinstance(spec, str) else spec
                meta = dict(spec.get("usermeta", {}))
                meta.pop("dataset", None)  # a machine field, not shown as text
                texts.append(json.dumps(meta, ensure_ascii=False))
                texts.append(str(spec.get("description", "")))
        for text in texts:
            text = re.sub(r"\{download\}`[^`]*`", "", text)
            found += [text[max(0, m.start() - 60):m.end() + 20] for m in FILE_NAME.finditer(text)]
    assert found == [], f"{notebook}: {found}"


@pytest.mark.site
def test_no_edition_page_shows_a_data_file_name_outside_download_links(browser, site_url,
                                                                        site_dir):
    pages_ = [p for p in site_pages(site_dir)
              if re.search(r"(^|/)editions/(alle|po|vo|mbo)/\d\d-[\w-]+\.html$", p)]
    assert len(pages_) >= 36, pages_
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    found = []
    for page in pages_:
        tab.goto(f"{site_url}/{page}", wait_until="load")
        text = tab.evaluate(READER_TEXT_JS)
        found += [f"{page}: …{text[max(0, m.start() - 50):m.end() + 10]}…"
                  for m in FILE_NAME.finditer(text)]
    tab.close()
    assert found == [], "\n".join(found)


def test_scripts_that_wait_for_the_page_are_deferred():
    head = ('<script src="../_static/documentation_options.js?v=1"></script>\n'
            '<script src="../_static/doctools.js?v=2"></script>\n'
            '<script defer="defer" src="../_static/sop-charts.js?v=3"></script>\n'
            '<script src="../_static/vendor.js"></script>\n')
    out = slim.defer_scripts(head)
    assert '<script src="../_static/documentation_options.js?v=1">' in out  # inline code uses it
    assert '<script defer src="../_static/doctools.js?v=2">' in out
    assert '<script defer="defer" src="../_static/sop-charts.js?v=3">' in out  # not twice
    assert '<script src="../_static/vendor.js">' in out  # only the scripts named


@pytest.mark.site
def test_no_page_but_search_blocks_its_first_paint_on_more_than_one_script(site_dir):
    for page in site_pages(site_dir):
        head = (site_dir / page).read_text(encoding="utf-8").split("</head>", 1)[0]
        blocking = re.findall(r'<script (?![^>]*\bdefer\b)[^>]*\bsrc="([^"]+)"', head)
        if page == "search.html":  # its inline code calls searchtools at once: left as it is
            continue
        assert len(blocking) <= 1, (page, blocking)  # documentation_options.js (inline uses it)
