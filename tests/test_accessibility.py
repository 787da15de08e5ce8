"""Accessibility of the built site: axe-core on every page, the gate's record, charts, keyboard.

axe runs with the tags wcag2a, wcag2aa, wcag21a and wcag21aa, after the charts are drawn, in
Debian's Chromium, on every page of ``_build/html`` (report, sector editions, appendices, search
and index pages). axe cannot judge text or marks inside the charts' SVG; the chart tests below
compute those contrasts themselves.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lib import sitecheck

CHAPTER = "book/editions/alle/04-onderzoeksaanpak.html"
STATEMENT = "book/toegankelijkheid.html"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "mobiel": {"width": 390, "height": 844}}


def chart_pages(site_dir: Path) -> list[str]:
    return [p for p in sitecheck.site_pages(site_dir)
            if "sop-chart__canvas" in (site_dir / p).read_text(encoding="utf-8")]


@pytest.mark.site
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_axe_finds_nothing_on_any_page(browser, site_url, site_dir, viewport):
    """Every page, desktop and phone width: zero axe violations, every chart drawn, no CSP block.

    On the phone width only pages whose layout differs in a way that matters (the ones with
    charts, which then scroll, and the start page) are checked again, to keep the test quick."""
    pages = sitecheck.site_pages(site_dir)
    assert len(pages) >= 10, pages
    if viewport == "mobiel":
        pages = [*chart_pages(site_dir), "book/index.html"]
    source = sitecheck.axe_source()
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    context.add_init_script(sitecheck.CSP_LISTENER)
    problems = []
    for page in pages:
        tab = context.new_page()
        found = sitecheck.axe_page(tab, f"{site_url}/{page}", source)
        tab.close()
        problems += [sitecheck.describe(page, v) for v in found["violations"]]
        problems += [f"{page}: figuur niet getekend: {e}" for e in found["chart_errors"]]
        problems += [f"{page}: CSP: {c}" for c in found["csp"]]
    context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.site
def test_search_and_index_pages_are_checked_too(site_dir):
    pages = sitecheck.site_pages(site_dir)
    for page in ("search.html", "genindex.html", "book/index.html", STATEMENT, CHAPTER,
                 "book/editions/po/04-onderzoeksaanpak.html", "book/editions/mbo/index.html"):
        assert page in pages
    assert "index.html" not in pages  # forwards to book/index.html (checked in test_links_csp)


@pytest.mark.site
def test_published_site_passed_the_gate_and_says_when(site_dir):
    """The build ran the gate on exactly these pages; the statement shows its date and facts."""
    record_file = site_dir / sitecheck.RECORD
    assert record_file.exists(), (
        "de gepubliceerde site is niet door de toegankelijkheidscontrole gegaan "
        f"(gebouwd met {sitecheck.GATE_ENV}=0?)")
    record = json.loads(record_file.read_text(encoding="utf-8"))
    assert record["paginas"] == sitecheck.site_pages(site_dir)
    assert record["overtredingen"] == 0
    assert record["tags"] == list(sitecheck.AXE_TAGS)
    assert record["axe_core"] == sitecheck.axe_version()
    statement = (site_dir / STATEMENT).read_text(encoding="utf-8")
    assert f'<time datetime="{record["datum"]}">' in statement
    assert f"axe-core {record['axe_core']}" in statement
    assert "niet automatisch gecontroleerd" not in statement


@pytest.mark.site
def test_statement_shows_the_check_to_a_reader(browser, site_url, site_dir):
    record = json.loads((site_dir / sitecheck.RECORD).read_text(encoding="utf-8"))
    tab = browser.new_page()
    tab.goto(f"{site_url}/{STATEMENT}")
    text = tab.locator("main").inner_text()
    assert "Toegankelijkheidsverklaring" in text
    assert re.search(r"Laatste controle: \d{1,2} \w+ 20\d\d", text), text[:500]
    assert f"{len(record['paginas'])} pagina's: 0 overtredingen" in text
    for tag in sitecheck.AXE_TAGS:
        assert tag in text
    tab.close()


# --- charts -----------------------------------------------------------------------------------

# Contrast of every text and mark of the charts against what lies under it (axe skips SVG).
CONTRAST_JS = """() => {
  const rgb = s => { const m = s.match(/[\\d.]+/g); return m ? m.slice(0, 4).map(Number) : null; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92
                                       : Math.pow((v + 0.055) / 1.055, 2.4); };
                     return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b);
                            return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const alpha = el => { let a = 1; for (let e = el; e && e.tagName !== 'svg'; e = e.parentElement)
                          a *= parseFloat(getComputedStyle(e).opacity); return a; };
  const over = (c, a, bg) => c.slice(0, 3).map((v, i) => v * a + bg[i] * (1 - a));
  const paint = (el, prop) => { const cs = getComputedStyle(el); const c = rgb(cs[prop]);
    if (!c || cs[prop] === 'none' || (c.length === 4 && c[3] === 0)) return null;
    const op = prop === 'fill' ? parseFloat(cs.fillOpacity) : parseFloat(cs.strokeOpacity);
    return { c, a: alpha(el) * op * (c.length === 4 ? c[3] : 1) }; };
  const white = [255, 255, 255];
  const out = [];
  document.querySelectorAll('.sop-chart__canvas svg').forEach((svg, n) => {
    const chart = svg.closest('figure').id;
    svg.querySelectorAll('text').forEach(t => {
      if (!t.textContent.trim()) return;
      const shown = paint(t, 'fill');
      if (shown && shown.a === 0) return;  // axis labels Vega hides when they would overlap
      // elementsFromPoint only sees what is inside the viewport: bring the label into it
      t.scrollIntoView({block: 'center', inline: 'center'});
      const r = t.getBoundingClientRect();
      if (!r.width) return;
      let bg = white;
      for (const el of document.elementsFromPoint(r.x + r.width / 2, r.y + r.height / 2)) {
        // text (and the tspan lines of multi-line text) is what is measured, not its background
        if (el === t || el.closest('text') || !svg.contains(el) || el === svg) continue;
        const p = paint(el, 'fill'); if (p) { bg = over(p.c, p.a, white); break; }
      }
      const p = paint(t, 'fill');
      const size = parseFloat(getComputedStyle(t).fontSize);
      const bold = parseInt(getComputedStyle(t).fontWeight) >= 700;
      const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
      out.push({ chart, kind: 'tekst', what: t.textContent.trim().slice(0, 40), need,
                 ratio: p ? ratio(over(p.c, p.a, bg), bg) : 0 });
    });
    svg.querySelectorAll('.mark-rect path, .mark-symbol path, .mark-line path, .mark-area path')
      .forEach(m => {
        if (m.closest('.role-legend-symbol') && !m.getBoundingClientRect().width) return;
        const f = paint(m, 'fill'), s = paint(m, 'stroke');
        const best = Math.max(f ? ratio(over(f.c, f.a, white), white) : 0,
                              s && parseFloat(getComputedStyle(m).strokeWidth) >= 1
                                ? ratio(over(s.c, s.a, white), white) : 0);
        out.push({ chart, kind: 'vorm', what: m.closest('g[class]').getAttribute('class'),
                   need: 3, ratio: best });
      });
  });
  return out;
}"""


def _drawn(tab, url):
    tab.goto(url)
    tab.wait_for_function(sitecheck.CHARTS_DRAWN, timeout=20000)


@pytest.mark.site
def test_chart_text_and_marks_have_enough_contrast(browser, site_url, site_dir):
    """Text in charts 4.5:1 (3:1 when large) against what lies under it; bars, points and lines
    3:1 against the white background, by their fill or by their outline (WCAG 1.4.3, 1.4.11)."""
    tab = browser.new_page()
    failures, checked = [], 0
    for page in chart_pages(site_dir):
        _drawn(tab, f"{site_url}/{page}")
        for item in tab.evaluate(CONTRAST_JS):
            checked += 1
            if item["ratio"] < item["need"]:
                failures.append(f"{page} #{item['chart']}: {item['kind']} {item['what']!r} "
                                f"{item['ratio']:.2f}:1 < {item['need']}:1")
    tab.close()
    assert checked > 100
    assert failures == [], "\n".join(sorted(set(failures)))


@pytest.mark.site
def test_tooltips_show_nothing_the_data_table_lacks(browser, site_url, site_dir):
    """Hover every bar: each line of its tooltip is in the chart's data table (same row)."""
    tab = browser.new_page()
    hovered = 0
    for page in chart_pages(site_dir)[:2]:
        _drawn(tab, f"{site_url}/{page}")
        figures = tab.locator("figure.sop-chart")
        for i in range(figures.count()):
            fig = figures.nth(i)
            spec = fig.locator("script[type='application/json']").first.text_content() or ""
            if '"tooltip"' not in spec:  # a diagram (Figuur 1.1) shows its text, no tooltips
                continue
            rows = fig.locator("table.sop-chart__table tbody tr").evaluate_all(
                "trs => trs.map(tr => [...tr.cells].map(td => td.textContent.trim()))")
            marks = fig.locator(".mark-rect path")
            for j in range(marks.count()):
                marks.nth(j).hover(force=True)
                tip = tab.locator("#vg-tooltip-element")
                tab.wait_for_function(
                    "() => document.querySelector('#vg-tooltip-element')?.classList"
                    ".contains('visible')", timeout=3000)
                values = tip.locator("td.value").all_text_contents()
                assert values, "tooltip zonder waarden"
                assert any(all(v.strip() in row for v in values) for row in rows), (
                    f"{page}: tooltip {values} staat niet als rij in de tabel {rows}")
                hovered += 1
                tab.mouse.move(0, 0)
    tab.close()
    assert hovered >= 10


@pytest.mark.site
def test_keyboard_reaches_and_operates_everything(browser, site_url):
    """Tab from the top: the skip link first, then every link, chart and data table of the
    chapter is reached, with a visible focus ring; Enter opens and closes a chart's data table."""
    tab = browser.new_page(viewport=VIEWPORTS["desktop"])
    _drawn(tab, f"{site_url}/{CHAPTER}")
    wanted = tab.evaluate("""() => {
      const all = [...document.querySelectorAll('main a[href], .sop-chart__canvas, '
        + '.sop-chart__data > summary, .bd-sidebar-primary a[href]')];
      all.forEach((el, i) => el.dataset.kbd = i);
      return all.filter(el => el.getClientRects().length && !el.closest('details:not([open])')
                              || el.matches('summary')).map(el => el.dataset.kbd);
    }""")
    seen, first, no_ring = [], None, []
    for _ in range(len(wanted) * 3 + 60):
        tab.keyboard.press("Tab")
        info = tab.evaluate("""() => { const el = document.activeElement;
          const cs = getComputedStyle(el);
          return { kbd: el.dataset.kbd || null, tag: el.tagName,
                   text: el.textContent.trim().slice(0, 30),
                   skip: !!el.closest('#pst-skip-link'),
                   ring: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0
                         || cs.boxShadow !== 'none' }; }""")
        first = first or info
        if info["kbd"] is not None:
            seen.append(info["kbd"])
            if not info["ring"]:
                no_ring.append(info)
        if info["tag"] == "BODY" and seen:
            break
    assert first["skip"], f"eerste Tab-stop is niet de link naar de hoofdinhoud: {first}"
    missing = set(wanted) - set(seen)
    assert not missing, f"{len(missing)} niet met Tab bereikbaar: " + str(tab.evaluate(
        "ks => ks.map(k => document.querySelector(`[data-kbd=\"${k}\"]`).outerHTML.slice(0, 120))",
        sorted(missing)[:6]))
    assert no_ring == [], f"geen zichtbare focus: {no_ring[:5]}"

    summary = tab.locator(".sop-chart__data > summary").first
    summary.focus()
    details = tab.locator(".sop-chart__data").first
    assert details.get_attribute("open") is None
    tab.keyboard.press("Enter")
    assert details.get_attribute("open") is not None
    assert details.locator("table").is_visible()
    tab.keyboard.press("Enter")
    assert details.get_attribute("open") is None
    tab.close()


@pytest.mark.site
def test_gate_fails_on_a_violation_and_passes_a_clean_page(tmp_path):
    """The build's gate itself (lib.sitecheck.check_site) on a two-page site of its own."""
    good = ('<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Goed</title>'
            '</head><body><main><h1>Goed</h1><p>Tekst.</p></main></body></html>')
    (tmp_path / "goed.html").write_text(good, encoding="utf-8")
    record = sitecheck.check_site(tmp_path)
    assert record["paginas"] == ["goed.html"] and record["overtredingen"] == 0
    assert "Laatste controle" in sitecheck.result_html(record, "goed.html")

    (tmp_path / "fout.html").write_text(good.replace("<p>Tekst.</p>", '<img src="x.png">'),
                                        encoding="utf-8")
    with pytest.raises(sitecheck.GateError) as failed:
        sitecheck.check_site(tmp_path)
    assert "fout.html: image-alt" in str(failed.value)
    assert "goed.html" not in str(failed.value)


@pytest.mark.site
def test_gate_checks_only_pages_that_changed(tmp_path, monkeypatch):
    """Results are cached per page content; a changed page, a failing page or new gate settings
    are checked again."""
    site, cache = tmp_path / "site", tmp_path / "gate.json"
    site.mkdir()
    page = ('<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{t}</title>'
            '</head><body><main><h1>{t}</h1><p>Tekst.</p></main></body></html>')
    for name in ("een", "twee"):
        (site / f"{name}.html").write_text(page.format(t=name), encoding="utf-8")
    assert sitecheck.gate(site, cache)["gecontroleerd"] == 2
    assert sitecheck.gate(site, cache)["gecontroleerd"] == 0
    (site / "twee.html").write_text(page.format(t="twee, gewijzigd"), encoding="utf-8")
    assert sitecheck.gate(site, cache)["gecontroleerd"] == 1
    for name, sha in (("een", "4ebe42b"), ("twee", "1a550b7")):  # a new commit in the footer only
        text = (site / f"{name}.html").read_text(encoding="utf-8")
        (site / f"{name}.html").write_text(text.replace(
            "</main>", f'</main><p class="sop-versie">Versie 1.0, commit {sha}.</p>'), "utf-8")
    assert sitecheck.gate(site, cache)["gecontroleerd"] == 2
    for name in ("een", "twee"):
        text = (site / f"{name}.html").read_text(encoding="utf-8")
        (site / f"{name}.html").write_text(re.sub(r"commit \w+", "commit 0123abc", text), "utf-8")
    assert sitecheck.gate(site, cache)["gecontroleerd"] == 0

    (site / "twee.html").write_text(page.format(t="twee").replace("<p>Tekst.</p>",
                                                                  '<img src="x.png">'), "utf-8")
    for _ in range(2):  # a failure is never remembered as a pass
        with pytest.raises(sitecheck.GateError, match=r"twee\.html: image-alt"):
            sitecheck.gate(site, cache)
    (site / "twee.html").write_text(page.format(t="twee"), encoding="utf-8")
    assert sitecheck.gate(site, cache)["gecontroleerd"] == 1

    (site / "_static").mkdir(exist_ok=True)  # a file every page loads: every page again
    (site / "_static" / "stijl.css").write_text("p { color: #000; }", encoding="utf-8")
    assert sitecheck.gate(site, cache)["gecontroleerd"] == 2
    monkeypatch.setattr(sitecheck, "GATE_SETTINGS_VERSION", "test")  # new rules or axe-core
    record = sitecheck.gate(site, cache)
    assert record["gecontroleerd"] == 2 and record["paginas"] == ["een.html", "twee.html"]
    assert json.loads((site / sitecheck.RECORD).read_text(encoding="utf-8"))["paginas"] == [
        "een.html", "twee.html"]


@pytest.mark.site
def test_gate_requires_the_visible_label_in_the_accessible_name(tmp_path):
    """WCAG 2.5.3: axe-core's (experimental) label-content-name-mismatch runs in the gate, as
    for the theme's search button that was named "Zoeken" while it read "Zoeken Ctrl+K"."""
    page = ('<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Knop</title>'
            '</head><body><main><h1>Knop</h1>{}</main></body></html>')
    (tmp_path / "knop.html").write_text(page.format(
        '<button aria-label="Zoeken">Zoek in het rapport <kbd>Ctrl</kbd>+<kbd>K</kbd></button>'),
        encoding="utf-8")
    with pytest.raises(sitecheck.GateError, match="label-content-name-mismatch"):
        sitecheck.check_site(tmp_path)
    (tmp_path / "knop.html").write_text(page.format(
        '<button>Zoek in het rapport <kbd>Ctrl</kbd>+<kbd>K</kbd></button>'), encoding="utf-8")
    assert sitecheck.check_site(tmp_path)["regels"] == ["label-content-name-mismatch"]


@pytest.mark.site
def test_site_is_light_only_and_names_controls_by_their_text(site_dir):
    """No light/dark switch (charts and colours are checked on light only); the search field is
    named by its visible text."""
    for page in ("book/index.html", "book/editions/po/index.html"):
        text = (site_dir / page).read_text(encoding="utf-8")
        assert "theme-switch-button" not in text, page
        assert 'data-theme="light"' in text, page
        for button in re.findall(r'<button class="btn search-button-field[^>]*>', text):
            assert "aria-label" not in button, button
