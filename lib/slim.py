"""Light pages: what the theme ships but this site does not use stays off the pages.

A Sphinx extension (``lib.slim`` in ``_config.yml``) for the HTML builder, run when the build is
finished, before the Content-Security-Policy is filled in (``lib.sitecheck``):

- **Icons.** The theme draws its few icons (menu, search, arrows) with FontAwesome: a 1,5 MB
  script plus a web font. Each icon becomes a small inline SVG (the path data read from the
  theme's own FontAwesome file, so the shapes are the same) and the script is no longer loaded.
- **No style sheet that only imports another**: the page links ``basic.css`` itself instead of
  the theme's ``theme.css`` (one ``@import``), so the browser need not wait for one to find the
  other.
- **Scripts and style sheets a page does not need**: the search index and search code outside the
  search page (they were loaded, blocking, on every page), Bootstrap's script (only for
  tooltips), Thebe's style sheet, and the code-copy button, toggle buttons and sphinx-design
  files on pages that have no code, toggles or design elements.
- **One search field, each page once** (``_static/sop-search.js``, on the search page only):
  results per page, in the report or in one sector edition at a time.
- **Compact tables** (:func:`compact_table`): a column's alignment once, on the table, instead of
  a class and a paragraph in every cell (a quarter of chapter 6's page).
- **Chart specs as files** (``_static/sop/spec/<sha>.js``), loaded when a chart is drawn: the
  page itself carries only the text, tables and each chart's data table.
- **Unused CSS.** The theme's style sheets keep only the rules whose selectors can match: every
  class a selector names occurs in a page of the site or in a script the site loads (so classes
  that scripts add stay). FontAwesome's own rules and font go.

:func:`precompress` (called by ``lib.build`` when the site is complete) writes ``.gz`` and, when
the ``brotli`` package is installed, ``.br`` beside every text file, for hosts that serve them.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import re
from pathlib import Path
from typing import Any

FA_SCRIPT = "_static/scripts/fontawesome.js"
# style sheets whose unused rules are dropped (paths under the output folder)
PURGED_CSS = ("_static/styles/pydata-sphinx-theme.css", "_static/styles/sphinx-book-theme.css",
              "_static/basic.css")
PURGED_GLOB = "_static/mystnb.*.css"

_TAG = r"<(?:script|link)\b[^>]*?{name}[^>]*>(?:\s*</script>)?\n?"


def _tags(*names: str) -> re.Pattern[str]:
    return re.compile("|".join(_TAG.format(name=re.escape(n)) for n in names))


_FONTAWESOME = _tags("fontawesome.js", "fa-solid-900.woff2", "fa-brands-400.woff2")
_SEARCH = _tags("_static/searchtools.js", "_static/language_data.js", "searchindex.js")
_BOOTSTRAP = _tags("scripts/bootstrap.js")
_THEBE = _tags("sphinx-thebe.css")
_COPY = _tags("clipboard.min.js", "copybutton.js", "copybutton.css", "pygments.css")
_TOGGLE = re.compile(_TAG.format(name=re.escape("togglebutton.")) + "|"
                     r"<script>(?:let toggle\w+ = [^<]*|var togglebuttonSelector = [^<]*)"
                     r"</script>\n?")
# what sphinx-togglebutton acts on: '.toggle, .admonition.dropdown'
_TOGGLED = re.compile(r'class="(?:[^"]*\s)?(?:toggle|admonition(?:\s[^"]*)?\sdropdown)'
                      r'(?:\s[^"]*)?"')
_DESIGN = _tags("sphinx-design.min.css", "design-tabs.js")

# <i class="fa-solid fa-bars"></i>, <span class="fa-solid fa-list"></span>, with extra classes
_ICON = re.compile(r'<(i|span)\b([^>]*?)\bclass="([^"]*\bfa-solid\b[^"]*)"([^>]*)>\s*</\1>')


# --- icons ---------------------------------------------------------------------------------------

def fa_icons(script: str) -> dict[str, tuple[int, int, str]]:
    """``{name: (width, height, path)}`` from FontAwesome's JavaScript (its solid set)."""
    found: dict[str, tuple[int, int, str]] = {}
    # minified: bars:[448,512,["navicon"],"f0c9","M0 96…"] or "arrow-up":[384,512,[],…]
    for m in re.finditer(r'"?([a-z0-9-]+)"?:\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+","([^"]+)"\]',
                         script):
        found.setdefault(m.group(1), (int(m.group(2)), int(m.group(3)), m.group(4)))
    return found


def icon_svg(shape: tuple[int, int, str]) -> str:
    w, h, path = shape
    return (f'<svg class="sop-icon" viewBox="0 0 {w} {h}" width="{w / h:.3g}em" height="1em" '
            f'aria-hidden="true" focusable="false"><path fill="currentColor" '
            f'd="{html.escape(path)}"/></svg>')


def inline_icons(page: str, icons: dict[str, tuple[int, int, str]]) -> str:
    """FontAwesome's ``<i class="fa-solid fa-…">`` as inline SVG (the element stays, with the
    theme's other classes, so its layout and scripts keep working)."""

    def one(m: re.Match[str]) -> str:
        classes = m.group(3).split()
        names = [c[3:] for c in classes if c.startswith("fa-") and c[3:] in icons]
        if not names:
            return m.group(0)
        kept = " ".join(["sop-icon-box"] + [c for c in classes if not c.startswith("fa")])
        return (f'<{m.group(1)}{m.group(2)}class="{kept}"{m.group(4)}>'
                f"{icon_svg(icons[names[0]])}</{m.group(1)}>")

    return _ICON.sub(one, page)


# --- scripts and style sheets per page ------------------------------------------------------------

# the theme's styles/theme.css only @imports ../basic.css: a request that waits for another
# before the page can be drawn; the page links basic.css itself instead (same order)
_THEME_IMPORT = re.compile(r'<link href="((?:\.\./)*)_static/styles/theme\.css(?:\?[^"]*)?" '
                           r'rel="stylesheet" />')


# Scripts whose work waits for the page to be read (DOMContentLoaded, or called later): loaded
# with ``defer``, in their order, so they no longer hold up the first paint. Not
# documentation_options.js (an inline script in <head> sets DOCUMENTATION_OPTIONS.pagename on
# what it defines) and not on the search page (its inline code calls searchtools at once).
DEFERRED = ("_static/doctools.js", "_static/sphinx_highlight.js", "_static/sop-csp-compat.js",
            "_static/scripts/sphinx-book-theme.js", "_static/sop-nav.js",
            "_static/translations.js", "_static/design-tabs.js")
_BLOCKING = re.compile(r'<script (?![^>]*\bdefer\b)([^>]*\bsrc="(?:\.\./)*(?:'
                       + "|".join(map(re.escape, DEFERRED)) + r')(?:\?[^"]*)?"[^>]*)>')


def defer_scripts(page: str) -> str:
    """``page`` with the scripts of :data:`DEFERRED` loaded with ``defer``."""
    return _BLOCKING.sub(r"<script defer \1>", page)


def slim_page(page: str, rel: str, icons: dict[str, tuple[int, int, str]]) -> str:
    """One page without what it does not use (``rel``: its path in the site)."""
    page = _THEME_IMPORT.sub(r'<link href="\1_static/basic.css" rel="stylesheet" />', page)
    page = _FONTAWESOME.sub("", page)
    page = _BOOTSTRAP.sub("", page)
    page = _THEBE.sub("", page)
    if rel != "search.html":
        page = defer_scripts(_SEARCH.sub("", page))
    body = page.split("<body", 1)[-1]
    if 'class="highlight' not in body:
        page = _COPY.sub("", page)
    if not _TOGGLED.search(body):
        page = _TOGGLE.sub("", page)
    if not re.search(r'class="[^"]*\bsd-', body):
        page = _DESIGN.sub("", page)
    return compact_tables(inline_icons(page, icons))


# --- compact tables ----------------------------------------------------------------------------

# Sphinx writes every cell as <td class="text-right"><p>37%</p></td> and every row with a zebra
# class no style sheet uses: on chapter 6 that is a quarter of the page. A table whose columns
# each have one alignment gets it once, on the table (data-r: the right-aligned columns, 1-based;
# sop.css aligns them), and its cells lose the class and the paragraph around their text.
MAX_ALIGNED_COLUMNS = 40  # sop.css has rules for this many columns
_TABLE = re.compile(r"(<table\b[^>]*>)(.*?)(</table>)", re.S)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL_OPEN = re.compile(r"<(td|th)\b([^>]*)>")
_ALIGN = re.compile(r'\s*\btext-(right|left)\b')
_ONE_P = re.compile(r"<(td|th)([^>]*)><p>((?:(?!</?p\b).)*)</p>\s*</\1>", re.S)
_ZEBRA = re.compile(r'<tr class="row-(?:odd|even)">')


def compact_table(table: str) -> str:
    """One ``<table>…</table>`` with its alignment on the table (see above); unchanged when a
    cell spans columns or rows, or a column mixes alignments."""
    m = _TABLE.fullmatch(table)
    if m is None or "colspan" in table or "rowspan" in table or "data-r=" in m.group(1):
        return table
    columns: dict[int, str] = {}
    for row in _ROW.finditer(m.group(2)):
        for i, cell in enumerate(_CELL_OPEN.finditer(row.group(1)), start=1):
            cls = re.search(r'class="([^"]*)"', cell.group(2))
            found = _ALIGN.search(cls.group(1)) if cls else None
            if found is None:
                return table
            if columns.setdefault(i, found.group(1)) != found.group(1):
                return table
    if not columns or max(columns) > MAX_ALIGNED_COLUMNS:
        return table

    def cell(c: re.Match[str]) -> str:
        attrs = re.sub(r'class="([^"]*)"', lambda k: (
            f'class="{_ALIGN.sub("", k.group(1)).strip()}"'
            if _ALIGN.sub("", k.group(1)).strip() else ""), c.group(2))
        return f"<{c.group(1)}{re.sub(r' {2,}', ' ', attrs).rstrip()}>"

    body = _ZEBRA.sub("<tr>", _CELL_OPEN.sub(cell, m.group(2)))
    body = _ONE_P.sub(r"<\1\2>\3</\1>", body)
    right = " ".join(str(i) for i, a in sorted(columns.items()) if a == "right")
    return f'{m.group(1)[:-1]} data-r="{right}">{body}{m.group(3)}'


def compact_tables(page: str) -> str:
    return _TABLE.sub(lambda m: compact_table(m.group(0)), page)


# --- chart specs as files ---------------------------------------------------------------------

SPEC_DIR = "_static/sop/spec"
_SPEC_BLOCK = re.compile(r'<script type="application/json" id="(spec-[0-9a-f]+)">(.*?)</script>',
                         re.S)


def external_specs(page: str, rel: str, root: Path) -> str:
    """Move each chart's Vega-Lite spec out of the page into ``_static/sop/spec/<sha>.js`` (named
    by its content, so the same chart in several editions is one file). The page keeps an empty
    data block that names the file; ``sop-charts.js`` loads it when the chart is drawn, and puts
    the spec back into the block. A script file, not JSON: it loads from disk (file://) too."""
    depth = "../" * rel.count("/")

    def one(m: re.Match[str]) -> str:
        body = m.group(2)
        sha = hashlib.sha256(body.encode("utf-8")).hexdigest()[:20]
        target = root / SPEC_DIR / f"{sha}.js"
        code = f'window.sopSpec("{sha}", {body});\n'
        if not target.exists() or target.read_text(encoding="utf-8") != code:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(code, encoding="utf-8")
        return (f'<script type="application/json" id="{m.group(1)}" data-sha="{sha}" '
                f'data-src="{depth}{SPEC_DIR}/{sha}.js"></script>')

    return _SPEC_BLOCK.sub(one, page)


# --- unused CSS --------------------------------------------------------------------------------

def _blocks(css: str) -> list[tuple[str, str | None]]:
    """Top-level ``(prelude, body)`` pairs of a style sheet; body None for a statement such as
    ``@import …;``. Comments are dropped."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out: list[tuple[str, str | None]] = []
    i, n, start = 0, len(css), 0
    while i < n:
        c = css[i]
        if c in "\"'":
            j = css.index(c, i + 1)
            while css[j - 1] == "\\":
                j = css.index(c, j + 1)
            i = j + 1
            continue
        if c == ";" and css[start:i].strip().startswith("@"):
            out.append((css[start:i].strip(), None))
            start = i = i + 1
            continue
        if c == "{":
            depth, j = 1, i + 1
            while depth and j < n:
                if css[j] in "\"'":
                    q = css[j]
                    j = css.index(q, j + 1)
                elif css[j] == "{":
                    depth += 1
                elif css[j] == "}":
                    depth -= 1
                j += 1
            out.append((css[start:i].strip(), css[i + 1:j - 1]))
            start = i = j
            continue
        i += 1
    return out


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in prelude:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_FA_SELECTOR = re.compile(r"\.(?:fa|fa-[\w-]+|fab|fas|far)\b")


def purge_css(css: str, used: set[str]) -> str:
    """``css`` without the rules no page can use (see the module text)."""
    out = []
    for prelude, body in _blocks(css):
        if body is None:
            out.append(prelude + ";")
            continue
        low = prelude.lower()
        if low.startswith(("@media", "@supports", "@layer", "@container")):
            inner = purge_css(body, used)
            if inner.strip():
                out.append(f"{prelude}{{{inner}}}")
            continue
        if low.startswith("@font-face"):
            if "font awesome" in body.lower() or "fa-" in body:
                continue
            out.append(f"{prelude}{{{body}}}")
            continue
        if low.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
            continue
        kept = [s for s in _split_selectors(prelude)
                if not _FA_SELECTOR.search(s)
                and all(c in used for c in _CLASS.findall(re.sub(r"\[[^\]]*\]", "", s)))]
        if kept:
            out.append(f"{','.join(kept)}{{{body}}}")
    return "".join(out)


_WORD = re.compile(r"[A-Za-z_][\w-]*")


def used_words(root: Path) -> set[str]:
    """Every class on a page of the site and every word in a script the site keeps."""
    used: set[str] = set()
    for path in root.rglob("*.html"):
        if path.relative_to(root).as_posix().startswith("_static/"):
            continue
        text = path.read_text(encoding="utf-8")
        for attr in re.findall(r'class="([^"]*)"', text):
            used.update(attr.split())
        for attr in re.findall(r'<script>([^<]*)</script>', text):
            used.update(_WORD.findall(attr))
    for path in root.glob("_static/**/*.js"):
        if path.name in ("fontawesome.js", "bootstrap.js") or "locales" in path.parts:
            continue
        used.update(_WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return used


def _pristine(app: Any, path: Path) -> str:
    """The style sheet as the theme shipped it: kept beside Sphinx's doctrees, because an
    incremental build leaves the purged copy in the output (and copies the theme's again only
    when it writes pages)."""
    store = Path(app.doctreedir) / "sop-slim"
    store.mkdir(parents=True, exist_ok=True)
    key = path.name
    text = path.read_text(encoding="utf-8")
    done = store / f"{key}.purged-sha256"
    orig = store / key
    if done.exists() and orig.exists() and done.read_text() == _sha(text):
        return orig.read_text(encoding="utf-8")
    orig.write_text(text, encoding="utf-8")
    return text


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def slim_site(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    root = Path(app.outdir)
    script = root / FA_SCRIPT
    icons = fa_icons(script.read_text(encoding="utf-8")) if script.exists() else {}
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("_static/"):
            continue
        text = path.read_text(encoding="utf-8")
        slim = external_specs(slim_page(text, rel, icons), rel, root)
        if slim != text:
            path.write_text(slim, encoding="utf-8")
    # spec files no page names any more (a chart changed in an incremental build) go
    named = set()
    for path in root.rglob("*.html"):
        named.update(re.findall(r'data-sha="([0-9a-f]+)"', path.read_text(encoding="utf-8")))
    for spec in (root / SPEC_DIR).glob("*.js") if (root / SPEC_DIR).exists() else []:
        if spec.stem not in named:
            spec.unlink()
    used = used_words(root)
    sheets = [root / p for p in PURGED_CSS] + sorted(root.glob(PURGED_GLOB))
    for path in sheets:
        if not path.exists():
            continue
        purged = purge_css(_pristine(app, path), used)
        path.write_text(purged, encoding="utf-8")
        (Path(app.doctreedir) / "sop-slim" / f"{path.name}.purged-sha256").write_text(
            _sha(purged))


# --- precompressed copies ----------------------------------------------------------------------

TEXT_SUFFIXES = (".html", ".css", ".js", ".json", ".svg", ".csv", ".txt", ".xml", ".map")
MIN_SIZE = 1024


def precompress(root: Path) -> dict[str, int]:
    """``file.gz`` (and ``file.br`` with the brotli package) beside every text file of at least
    1 kB, byte for byte the same in every build (no time or name in the gzip header)."""
    try:
        import brotli  # type: ignore[import-not-found]
    except ImportError:
        brotli = None
    counts = {"gz": 0, "br": 0}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in TEXT_SUFFIXES:
            continue
        data = path.read_bytes()
        if len(data) < MIN_SIZE:
            continue
        gz = gzip.compress(data, compresslevel=9, mtime=0)
        path.with_name(path.name + ".gz").write_bytes(gz)
        counts["gz"] += 1
        if brotli is not None:
            path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=11))
            counts["br"] += 1
    return counts


def _page_context(app: Any, pagename: str, templatename: str, context: dict,
                  doctree: Any) -> None:
    if app.builder.format == "html" and pagename == "search":
        app.add_js_file("sop-search.js", loading_method="defer")  # after searchtools.js


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", slim_site, priority=700)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
