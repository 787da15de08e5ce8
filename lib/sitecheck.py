"""The published site's safety net: Content-Security-Policy, theme fixes, accessibility gate.

A Sphinx extension (``lib.sitecheck`` in ``_config.yml``) for the HTML builder:

- Every page carries a ``<meta http-equiv="Content-Security-Policy">`` as the first thing in its
  ``<head>`` after the charset (through the ``metatags`` slot of the page template, which every
  page of the theme, the search page too, renders before any script). After the build, the
  sha256 hashes of the page's own inline scripts are written into it, so no other inline script
  can run; ``_static/sop-csp-compat.js`` replaces the one ``new Function`` of Sphinx's
  ``doctools.js``, so no page needs 'unsafe-eval' (see README, "Content-Security-Policy").
- Theme fixes: the sidebar's expand buttons (``<summary>``) get an accessible name, the "#"
  permalinks a Dutch one (``sop.css`` keeps them reachable by keyboard); Thebe (not
  used, but its scripts name a third-party URL) is dropped from the pages; the root
  ``index.html`` becomes a small real page instead of a bare redirect tag.
- The accessibility gate: every page is opened in Chromium, its charts are drawn, and axe-core
  checks it against WCAG 2.0/2.1 A and AA. A violation, a chart that did not draw or a CSP
  violation fails the build, so ``python -m lib.build`` publishes nothing. When the gate passed,
  its date, versions and pages are written into the accessibility statement (the element
  ``sop-a11y-uitslag``) and into ``_static/sop/toegankelijkheid.json``. ``SOP_A11Y_GATE=0``
  skips the gate; the statement then says that this version was not checked.

The tests use the same functions (:func:`site_pages`, :func:`axe_page`, :data:`AXE_TAGS`).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import functools
import hashlib
import html
import http.server
import json
import os
import posixpath
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sphinx.errors import SphinxError

AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
# rules of those tags that axe-core leaves off by default ("experimental") but that check a
# WCAG 2.1 A/AA criterion: the visible label is part of the accessible name (2.5.3)
AXE_RULES = {"label-content-name-mismatch": {"enabled": True}}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
RECORD = "_static/sop/toegankelijkheid.json"
GATE_ENV = "SOP_A11Y_GATE"

# --- Content-Security-Policy ------------------------------------------------------------------

SCRIPT_HASHES = "'sop-script-hashes'"  # placeholder, replaced per page after the build
CSP = {
    "default-src": ["'none'"],
    "script-src": ["'self'", SCRIPT_HASHES],
    # FontAwesome (theme) and Vega insert <style> elements while the page runs
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.I)
_SRC = re.compile(r"\bsrc\s*=", re.I)


def csp_template() -> str:
    return "; ".join(f"{k} {' '.join(v)}" for k, v in CSP.items())


def _sha(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def inline_hashes(page: str) -> list[str]:
    """Hashes of a page's inline scripts (JavaScript only, not data blocks such as chart specs)."""
    scripts = []
    for attrs, body in _SCRIPT.findall(page):
        kind = _TYPE.search(attrs)
        if _SRC.search(attrs) or (kind and kind.group(1).lower() not in JS_TYPES):
            continue
        scripts.append(_sha(body))
    return sorted(set(scripts))


def fill_csp(page: str) -> str:
    if SCRIPT_HASHES not in page:
        return page
    hashes = "".join(" " + h for h in inline_hashes(page))
    return page.replace(" " + SCRIPT_HASHES, hashes, 1)


# --- theme fixes ------------------------------------------------------------------------------

PERMALINK_NAMES = {"heading": "kop", "table": "tabel", "image": "afbeelding", "code": "code",
                   "definition": "definitie", "equation": "vergelijking", "term": "term",
                   "toctree": "inhoudsopgave"}
_PERMALINK = re.compile(r'title="Link to this (heading|table|image|code|definition|equation|term|'
                        r'toctree)">')
_THEBE_BODY = re.compile(r"\s*<script type=\"text/x-thebe-config\">.*?</script>\s*"
                         r"|<script>kernelName = '[^']*'</script>", re.S)


def name_summaries(fragment: Any) -> str:
    """Give the sidebar's bare expand buttons a name: "<section>: onderdelen tonen of verbergen".

    ``fragment`` is HTML, as text or as the theme's BeautifulSoup object."""
    text = str(fragment)
    if "<summary" not in text:
        return text
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for summary in soup.select("details > summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue
        link = summary.parent.find_previous_sibling("a")
        name = link.get_text(" ", strip=True) if link else "dit onderdeel"
        summary["aria-label"] = f"{name}: onderdelen tonen of verbergen"
    return str(soup)


def _page_context(app: Any, pagename: str, templatename: str, context: dict,
                  doctree: Any) -> None:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{csp_template()}" />'
    context["metatags"] = meta + "\n" + context.get("metatags", "")
    toctree = context.get("generate_toctree_html")
    if callable(toctree) and not getattr(toctree, "sop_named", False):
        from markupsafe import Markup

        @functools.wraps(toctree)
        def named(*args: Any, **kwargs: Any) -> Any:
            result = toctree(*args, **kwargs)
            if kwargs.get("kind", args[0] if args else None) != "sidebar":
                return result
            return Markup(name_summaries(result))

        named.sop_named = True  # type: ignore[attr-defined]
        context["generate_toctree_html"] = named
    scripts = context.get("script_files")
    if scripts:
        scripts[:] = [s for s in scripts
                      if "sphinx-thebe" not in str(getattr(s, "filename", s) or "")
                      and "THEBE_JS_URL" not in str(getattr(s, "attributes", {}).get("body", ""))]
    if "body" in context:
        context["body"] = _THEBE_BODY.sub("", context["body"])
        context["body"] = _PERMALINK.sub(_permalink_name, context["body"])


def _permalink_name(match: re.Match) -> str:
    """Sphinx's permalinks are named "#" with an English title: give them a Dutch name."""
    name = f"Link naar deze {PERMALINK_NAMES[match.group(1)]}"
    return f'title="{name}" aria-label="{name}">'


def _ico(svg: str, size: int = 32) -> bytes:
    """A one-image .ico (PNG inside, as browsers accept) from an SVG icon."""
    import struct

    import vl_convert

    png = vl_convert.svg_to_png(svg, scale=size / 32)
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png


def _root_page(app: Any, exception: Exception | None) -> None:
    """A real page at the site root that forwards to the start page (before etoc's bare stub)."""
    if exception is not None or app.builder.name != "html":
        return
    target = app.builder.get_target_uri(app.config.root_doc)
    title = app.config.html_title or app.config.project
    esc = html.escape
    # A page without an icon link makes the browser ask for /favicon.ico (a 404 on a static
    # host); an icon link on this redirect page races the redirect and is aborted. So: no link,
    # and a /favicon.ico made from the site's SVG icon.
    favicon = app.config.html_favicon
    if favicon and not str(favicon).startswith(("http:", "https:")):
        svg = Path(app.outdir, "_static", Path(favicon).name)
        Path(app.outdir, "favicon.ico").write_bytes(_ico(svg.read_text(encoding="utf-8")))
    Path(app.outdir, "index.html").write_text(
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(app.config.language or "nl")}">\n<head>\n<meta charset="utf-8" />\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp_template()}" />\n'
        f'<meta http-equiv="refresh" content="0; url={esc(target)}" />\n'
        f"<title>{esc(title)}</title>\n</head>\n<body>\n"
        f'<main><p><a href="{esc(target)}">Naar het rapport: {esc(title)}</a></p></main>\n'
        "</body>\n</html>\n", encoding="utf-8")


# The theme's interface text that has no Dutch translation: buttons, tooltips, landmarks.
INTERFACE_NL = {
    "Skip to main content": "Naar de hoofdinhoud",
    "Toggle primary sidebar": "Navigatie tonen of verbergen",
    "Toggle secondary sidebar": "Inhoud van deze pagina tonen of verbergen",
    "Color mode": "Kleurmodus", "Light": "Licht", "Dark": "Donker",
    "System Settings": "Instelling van het systeem",
    "previous page": "vorige pagina", "next page": "volgende pagina",
    "Back to top": "Terug naar boven", "On this page": "Op deze pagina",
    "Site navigation": "Navigatie van de site", "Main": "Hoofdinhoud", "Page": "Pagina",
    "Version warning": "Waarschuwing over de versie", "Index": "Register",
}
_UI_ATTR = re.compile(r'\b(title|aria-label|data-bs-title|alt)="([^"]*)"')
_UI_TEXT = re.compile(r">(\s*)([^<>]+?)(\s*)<")


# the version line in every footer names the git commit: in Dutch, "revisie"
_FOOTER_COMMIT = re.compile(r'(<p class="sop-versie">[^<]*?), commit ([0-9a-f]{7,40}\b)')


def dutch_interface(page: str) -> str:
    """``page`` with the theme's English interface text (attributes and whole text nodes listed in
    :data:`INTERFACE_NL`) in Dutch; content is never a whole English phrase from that list."""
    page = _FOOTER_COMMIT.sub(r"\1, revisie \2", page)
    page = _UI_ATTR.sub(lambda m: f'{m.group(1)}="{INTERFACE_NL.get(m.group(2), m.group(2))}"',
                        page)
    return _UI_TEXT.sub(lambda m: f">{m.group(1)}{INTERFACE_NL.get(m.group(2), m.group(2))}"
                        f"{m.group(3)}<", page)


# myst-nb writes its style sheet after the pages, so only an incremental build finds it and adds
# "?v=<checksum>"; its name carries a content hash already, so the query goes in every build.
_HASHED_QUERY = re.compile(r"(mystnb\.[0-9a-f]{64}\.css)\?v=[0-9a-f]+")


def prune_search_index(outdir: Path) -> None:
    """Drop the words that no page contains any more. Sphinx keeps them (with an empty list) in
    an incremental build; a full build has none: the two then give the same index."""
    path = outdir / "searchindex.js"
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    prefix, suffix = "Search.setIndex(", ")"
    if not (text.startswith(prefix) and text.endswith(suffix)):
        return
    index = json.loads(text[len(prefix):-len(suffix)])
    for key in ("terms", "titleterms"):
        if isinstance(index.get(key), dict):
            index[key] = {k: v for k, v in index[key].items() if v != []}
    pruned = prefix + json.dumps(index, sort_keys=True) + suffix
    if pruned != text:
        path.write_text(pruned, encoding="utf-8")


def _fill_csp(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    prune_search_index(Path(app.outdir))
    for path in Path(app.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        filled = fill_csp(dutch_interface(_HASHED_QUERY.sub(r"\1", text)))
        if filled != text:
            path.write_text(filled, encoding="utf-8")


# --- the accessibility gate -------------------------------------------------------------------

# Charts are drawn when they come near the screen (sop-charts.js): ask for all of them, then wait
CHARTS_DRAWN = ("() => { if (window.sopCharts) window.sopCharts.drawAll(); "
                "return [...document.querySelectorAll('.sop-chart__canvas')]"
                ".every(el => el.dataset.rendered === 'true' || el.dataset.error); }")
CSP_LISTENER = ("window.__sopCsp = []; document.addEventListener('securitypolicyviolation', "
                "e => window.__sopCsp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' '"
                " + (e.sample || '')));")


class GateError(SphinxError):
    category = "Toegankelijkheidscontrole mislukt"


def axe_source() -> str:
    """axe.min.js as shipped by the pinned PyPI package axe-playwright-python."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def axe_version(source: str | None = None) -> str:
    found = re.search(r"axe v(\d+\.\d+\.\d+)", (source or axe_source())[:300])
    return found.group(1) if found else "onbekend"


def is_redirect(path: Path) -> bool:
    head = path.read_text(encoding="utf-8", errors="replace")[:2000].lower()
    return 'http-equiv="refresh"' in head


def site_pages(root: Path) -> list[str]:
    """Every page of the built site ('/'-separated, relative), without the theme's template
    fragments under ``_static`` and without pages that only forward to another page."""
    pages = []
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(("_static/", "_sources/", "pdf/")) or is_redirect(path):
            continue
        pages.append(rel)
    return pages


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(root: Path, handler: type = _Quiet, port: int = 0) -> Iterator[str]:
    """The folder on 127.0.0.1 (``port`` 0: a free one), for as long as the block runs;
    ``handler``: a SimpleHTTPRequestHandler class (the live preview adds its own routes)."""
    server = http.server.ThreadingHTTPServer(  # reuses the address: a restart finds the port
        ("127.0.0.1", port), functools.partial(handler, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def axe_page(tab: Any, url: str, source: str) -> dict[str, Any]:
    """Open ``url``, wait for its charts, run axe (AXE_TAGS). The context must have
    :data:`CSP_LISTENER` as init script for ``csp`` to be filled."""
    tab.goto(url, wait_until="load")
    tab.wait_for_function(CHARTS_DRAWN, timeout=20000)
    tab.evaluate(source)
    result = tab.evaluate(
        "o => axe.run(document, {runOnly: {type: 'tag', values: o.tags}, rules: o.rules, "
        "resultTypes: ['violations']})", {"tags": list(AXE_TAGS), "rules": AXE_RULES})
    return {
        "violations": result["violations"],
        "chart_errors": tab.eval_on_selector_all(
            ".sop-chart__canvas[data-error]", "els => els.map(e => e.dataset.error)"),
        "csp": tab.evaluate("window.__sopCsp || []"),
    }


def describe(page: str, violation: dict[str, Any]) -> str:
    targets = ", ".join(str(n["target"][0]) for n in violation["nodes"][:3])
    return (f"{page}: {violation['id']} ({violation['impact']}, {len(violation['nodes'])}x): "
            f"{violation['help']} — {targets}")


def _check_pages(url: str, pages: list[str], source: str) -> tuple[list[str], str]:
    """Chromium checks ``pages`` one by one; returns the problems and the browser's version."""
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        context.add_init_script(CSP_LISTENER)
        for page in pages:
            tab = context.new_page()
            try:
                found = axe_page(tab, f"{url}/{page}", source)
            except Exception as exc:  # a timeout or a page that cannot load is a failure too
                problems.append(f"{page}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
                continue
            finally:
                tab.close()
            problems += [describe(page, v) for v in found["violations"]]
            problems += [f"{page}: figuur niet getekend: {e}" for e in found["chart_errors"]]
            problems += [f"{page}: CSP blokkeerde {c}" for c in found["csp"]]
        version = browser.version
        browser.close()
    return problems, version


def _run_checks(root: Path, pages: list[str], source: str) -> tuple[list[str], str]:
    """The browser runs in a thread of its own: Playwright's sync API refuses to start in a thread
    that already runs an event loop (a test session's browser, a notebook). One browser, page
    after page: two in parallel were no faster on two cores."""
    with serve(root) as url, ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_check_pages, url, pages, source).result()


def check_site(root: Path) -> dict[str, Any]:
    """Run the gate over every page, no cache; raise GateError with every problem."""
    return gate(root, None)


# Files of the site that pages load (styles, scripts, fonts, icons): a change to one of them
# re-checks every page. Not among them: downloads and sources no page loads, the search index
# (part of the search page's own key) and the record the gate itself writes.
_SITE_WIDE_SKIP = ("_sources/", "_downloads/", "pdf/", "datapackage/", RECORD, "searchindex.js",
                   ".buildinfo", "objects.inv")
GATE_SETTINGS_VERSION = "2"  # raise when the way pages are checked changes


def gate_settings(source: str) -> str:
    """What invalidates every cached result: axe-core, its rules, the checks around it, the
    browser binary."""
    h = hashlib.sha256()
    browser = Path(CHROMIUM).resolve()
    stat = browser.stat() if browser.exists() else None
    for part in (GATE_SETTINGS_VERSION, source, repr(AXE_TAGS), repr(AXE_RULES), CHARTS_DRAWN,
                 CSP_LISTENER,
                 repr(CHROMIUM_ARGS), f"{browser}:{stat.st_size if stat else 0}"
                 f":{stat.st_mtime_ns if stat else 0}"):
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()


# The commit in the version line of every footer: a new commit alone re-checks no page
_COMMIT = re.compile(r"(?:commit|revisie) [0-9a-f]{7,40}\b")


def page_keys(root: Path, pages: list[str], settings: str) -> dict[str, str]:
    """Per page: sha256 over the settings, the site-wide files and the page itself (without the
    gate's own result in the accessibility statement and without the commit in the footer)."""
    wide = hashlib.sha256(settings.encode())
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.endswith(".html") and not rel.startswith(_SITE_WIDE_SKIP):
            wide.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    keys = {}
    for page in pages:
        h = wide.copy()
        text = (root / page).read_text(encoding="utf-8")
        h.update(_COMMIT.sub("commit", _RESULT.sub(r"\1\2", text)).encode("utf-8"))
        if page == "search.html" and (root / "searchindex.js").exists():
            h.update((root / "searchindex.js").read_bytes())
        keys[page] = h.hexdigest()
    return keys


def gate(root: Path, cache_file: Path | None) -> dict[str, Any]:
    """The accessibility gate over the built site ``root``, as a build step of its own.

    Pages whose key (:func:`page_keys`) passed before are not opened again; the others are
    checked in Chromium. Any problem raises GateError (nothing is cached then). When all pages
    pass, the record is written to :data:`RECORD` and into the accessibility statement, and the
    cache (``cache_file``; None: no cache) keeps the keys of today's pages.
    """
    import time

    if os.environ.get(GATE_ENV, "1") == "0":
        return {"gecontroleerd": 0, "paginas": [], "seconden": 0.0}
    t0 = time.perf_counter()
    source = axe_source()
    settings = gate_settings(source)
    pages = site_pages(root)
    cache: dict[str, Any] = {}
    if cache_file is not None and cache_file.exists():
        try:
            cache = json.loads(cache_file.read_text(encoding="utf-8"))
        except ValueError:
            cache = {}
    if cache.get("settings") != settings:
        cache = {"settings": settings, "pages": {}}
    keys = page_keys(root, pages, settings)
    todo = [p for p in pages if keys[p] not in cache["pages"]]
    browser = cache.get("browser", "")
    if todo:
        if not Path(CHROMIUM).exists():
            raise GateError(f"{CHROMIUM} ontbreekt (scripts/setup.sh system), of zet "
                            f"{GATE_ENV}=0")
        problems, version = _run_checks(root, todo, source)
        if problems:  # the first on the error's own line: lib.build quotes that line
            raise GateError(f"{len(problems)} probleem/problemen. {problems[0]}\n"
                            + "\n".join(problems[1:]))
        browser = f"Chromium {version}"
    today = dt.date.today().isoformat()
    checked_on = {keys[p]: today if p in todo else cache["pages"][keys[p]] for p in pages}
    record = {"datum": max(checked_on.values(), default=today), "axe_core": axe_version(source),
              "tags": list(AXE_TAGS), "regels": sorted(AXE_RULES), "browser": browser,
              "paginas": pages, "overtredingen": 0}
    write_record(root, record)
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        cache_file.write_text(json.dumps({"settings": settings, "browser": browser,
                                          "pages": checked_on}, indent=1), encoding="utf-8")
    return {**record, "gecontroleerd": len(todo), "seconden": time.perf_counter() - t0}


_RESULT = re.compile(r"(<!--sop-a11y-uitslag-->).*?(<!--/sop-a11y-uitslag-->)", re.S)


def result_html(record: dict[str, Any], page: str) -> str:
    """What the statement says about the gate that passed, with links to the pages checked."""
    from lib import fmt  # the book's Dutch date and enumeration

    esc = html.escape
    here = posixpath.dirname(page)
    date = fmt.date(record["datum"])
    items = "".join(
        f'<li><a href="{esc(posixpath.relpath(p, here or "."))}">{esc(p)}</a></li>'
        for p in record["paginas"])
    tags = fmt.join(record["tags"])
    extra = record.get("regels", [])
    if extra:
        tags += " en daarnaast de regel" + ("s " if len(extra) > 1 else " ") + ", ".join(extra)
    return (
        f'<p><strong>Laatste controle: <time datetime="{record["datum"]}">{date}</time></strong>, '
        f"bij het bouwen van deze versie van de site. axe-core {esc(record['axe_core'])} in "
        f"{esc(record['browser'])}, regels met de tags {tags}, over "
        f"{len(record['paginas'])} pagina's: {record['overtredingen']} overtredingen.</p>\n"
        f"<details><summary>Gecontroleerde pagina's</summary><ul>{items}</ul></details>")


def write_record(root: Path, record: dict[str, Any]) -> None:
    """The gate's record: as JSON, and its result in the accessibility statement."""
    (root / RECORD).parent.mkdir(parents=True, exist_ok=True)
    (root / RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    for page in record["paginas"]:
        path = root / page
        text = path.read_text(encoding="utf-8")
        if "<!--sop-a11y-uitslag-->" in text:
            result = result_html(record, page)
            path.write_text(_RESULT.sub(lambda m, r=result: m.group(1) + r + m.group(2), text),
                            encoding="utf-8")


def _no_sphinx_numbers(app: Any, config: Any) -> None:
    """Captions carry the source's numbers ("Tabel 6.3"); Sphinx's own count ("Tabel 94") must
    not stand before them. ``sphinx_jupyterbook_latex`` switches ``numfig`` on for every
    builder at config-inited; this handler runs after it (the book is printed from HTML, never
    through LaTeX)."""
    config["numfig"] = False


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _no_sphinx_numbers, priority=900)
    app.add_js_file("sop-csp-compat.js", priority=300)  # after doctools.js, before translations.js
    app.connect("html-page-context", _page_context, priority=950)
    app.connect("build-finished", _root_page, priority=400)
    app.connect("build-finished", _fill_csp, priority=800)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
