"""No third parties, no errors, no broken links, and a Content-Security-Policy that holds.

Every page of the built site is opened in Chromium (the root ``index.html`` too). Any request
that leaves 127.0.0.1, any console error, uncaught exception, failed load or CSP violation fails.
Every ``<a href>`` in the rendered pages that stays on the site must point at a file that exists
and, with a ``#fragment``, at an id on that page.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest

from lib import sitecheck

EXTERNAL_OK = ("mailto:", "tel:", "data:")  # not requests: a download, a mail client


def _page_ids(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    return set(re.findall(r'\b(?:id|name)="([^"]+)"', text))


@pytest.fixture(scope="module")
def crawl(browser, site_url, site_dir):
    """Open every page once; collect what it requested, logged, linked and which ids it has."""
    context = browser.new_context()
    context.add_init_script(sitecheck.CSP_LISTENER)
    pages = ["index.html", *sitecheck.site_pages(site_dir)]
    result = {"requests": [], "errors": [], "links": {}, "ids": {}, "pages": pages}
    for page in pages:
        tab = context.new_page()
        tab.on("request", lambda r, p=page: result["requests"].append((p, r.url)))
        tab.on("console", lambda m, p=page: result["errors"].append(f"{p}: console: {m.text}")
               if m.type == "error" else None)
        tab.on("pageerror", lambda e, p=page: result["errors"].append(f"{p}: exception: {e}"))
        tab.on("requestfailed", lambda r, p=page: result["errors"].append(
            f"{p}: mislukt: {r.url} {r.failure}"))
        tab.on("response", lambda r, p=page: result["errors"].append(
            f"{p}: HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        tab.goto(f"{site_url}/{page}", wait_until="load")
        tab.wait_for_function(sitecheck.CHARTS_DRAWN, timeout=20000)
        tab.wait_for_load_state("networkidle")
        final = tab.url.removeprefix(site_url + "/").split("#")[0]
        result["errors"] += [f"{page}: CSP: {c}" for c in tab.evaluate("window.__sopCsp")]
        result["links"][page] = tab.eval_on_selector_all(
            "a[href]", "els => els.map(a => [a.getAttribute('href'), a.href])")
        result["ids"][final] = set(tab.eval_on_selector_all(
            "[id], a[name]", "els => els.map(e => e.id || e.getAttribute('name'))"))
        tab.close()
    context.close()
    return result


@pytest.mark.site
def test_no_request_leaves_localhost(crawl, site_url):
    outside = sorted({f"{page}: {url}" for page, url in crawl["requests"]
                      if not url.startswith(f"{site_url}/") and not url.startswith("data:")})
    assert outside == [], "\n".join(outside)
    assert len(crawl["requests"]) > 50


@pytest.mark.site
def test_no_console_errors_failed_loads_or_csp_violations(crawl):
    assert crawl["errors"] == [], "\n".join(crawl["errors"])


@pytest.mark.site
def test_every_internal_link_and_anchor_exists(crawl, site_url, site_dir):
    broken, checked = [], 0
    for page, links in crawl["links"].items():
        for raw, absolute in links:
            if raw.startswith(EXTERNAL_OK) or raw in ("", "#"):
                continue
            if raw.lower().startswith("javascript:"):
                broken.append(f"{page}: javascript-link {raw}")
                continue
            if not absolute.startswith(f"{site_url}/"):
                continue  # a link to another site: allowed, and nothing is loaded
            checked += 1
            parts = urllib.parse.urlsplit(absolute)
            rel = urllib.parse.unquote(parts.path).lstrip("/")
            target = site_dir / rel
            if target.is_dir():
                target, rel = target / "index.html", f"{rel.rstrip('/')}/index.html".lstrip("/")
            if not target.is_file():
                broken.append(f"{page}: {raw} -> {rel} bestaat niet")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = crawl["ids"].get(rel) or _page_ids(target)
                if urllib.parse.unquote(parts.fragment) not in ids:
                    broken.append(f"{page}: {raw} -> #{parts.fragment} staat niet op {rel}")
    assert checked > 100
    assert broken == [], "\n".join(broken)


@pytest.mark.site
def test_root_forwards_to_the_start_page(browser, site_url, site_dir):
    assert sitecheck.is_redirect(site_dir / "index.html")
    tab = browser.new_page()
    tab.goto(f"{site_url}/index.html")
    tab.wait_for_url(f"{site_url}/book/index.html")
    assert tab.locator("html").get_attribute("lang") == "nl"
    tab.close()


# --- the Content-Security-Policy --------------------------------------------------------------

def _policy(html: str) -> dict[str, list[str]]:
    metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert len(metas) == 1, f"{len(metas)} CSP-meta's"
    return {d.split()[0]: d.split()[1:] for d in metas[0].split(";") if d.strip()}


@pytest.mark.site
def test_every_page_has_a_strict_policy_before_any_script(site_dir):
    for path in [site_dir / "index.html", *(site_dir / p for p in sitecheck.site_pages(site_dir))]:
        html = path.read_text(encoding="utf-8")
        policy = _policy(html)
        first_script = html.find("<script")
        assert first_script == -1 or html.index("Content-Security-Policy") < first_script, path
        assert policy["default-src"] == ["'none'"]  # objects, frames, workers: nothing
        script = policy["script-src"]
        assert "'unsafe-eval'" not in script and "'unsafe-inline'" not in script, path
        assert all(s == "'self'" or s.startswith("'sha256-") for s in script), script
        assert "'sop-script-hashes'" not in html
        for directive, sources in policy.items():
            assert not any(s.startswith(("http:", "https:")) or s == "*" for s in sources), (
                directive, sources)
        # exactly the page's own inline scripts are allowed
        assert sorted(script[1:]) == sitecheck.inline_hashes(html), path


@pytest.mark.site
def test_policy_blocks_injected_script_and_eval(browser, site_url):
    context = browser.new_context()
    context.add_init_script(sitecheck.CSP_LISTENER)
    tab = context.new_page()
    tab.goto(f"{site_url}/book/editions/alle/04-onderzoeksaanpak.html")
    tab.wait_for_function(sitecheck.CHARTS_DRAWN, timeout=20000)
    tab.evaluate("""() => { const s = document.createElement('script');
                            s.textContent = 'window.__injected = true;';
                            document.body.appendChild(s); }""")
    tab.evaluate("""() => { const i = document.createElement('img'); i.src = 'x';
                            i.setAttribute('onerror', 'window.__handler = true');
                            document.body.appendChild(i); }""")
    # a script from the site itself may run, but not evaluate strings (Playwright's own evaluate
    # is exempt from the policy, so the probe comes as a same-origin file)
    tab.route(f"{site_url}/_probe.js", lambda route: route.fulfill(
        content_type="text/javascript",
        body="try { eval('1 + 1'); window.__eval = 'ran'; } catch (e) { window.__eval = e.name; }"))
    tab.evaluate("""() => { const s = document.createElement('script'); s.src = '/_probe.js';
                            document.body.appendChild(s); }""")
    tab.wait_for_function("() => window.__eval !== undefined", timeout=5000)
    assert tab.evaluate("window.__eval") == "EvalError"
    assert tab.evaluate("window.__injected") is None
    assert tab.evaluate("window.__handler") is None
    blocked = tab.evaluate("window.__sopCsp")
    assert any(v.startswith("script-src") for v in blocked), blocked
    context.close()


@pytest.mark.site
def test_search_works_under_the_policy(browser, site_url):
    context = browser.new_context()
    context.add_init_script(sitecheck.CSP_LISTENER)
    tab = context.new_page()
    errors = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto(f"{site_url}/search.html?q=respons")
    tab.wait_for_function(
        "() => document.querySelectorAll('#search-results li').length > 0", timeout=20000)
    tab.wait_for_load_state("networkidle")
    first = tab.locator("#search-results li a").first.get_attribute("href")
    assert first and ".html" in first
    assert tab.evaluate("window.__sopCsp") == [] and errors == []
    context.close()
