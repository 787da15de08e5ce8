"""Navigation between the report and its sector editions (a Sphinx extension for HTML).

The site holds one report and three sector editions of the same chapters. Two things keep a
reader oriented:

- **"Vorige/Volgende" stay inside one edition.** The report (title page, samenvatting, chapters,
  appendices) reads straight through; its last page does not lead into a sector edition, and an
  edition's last chapter does not lead into the next edition.
- **The menu buttons work** (``_static/sop-nav.js``): the visible sidebar toggles forward their
  click to the theme's own (hidden) buttons, which carry the handlers.
- **Every chapter page links to the same page in the other editions** ("Deze pagina in: het
  rapport · editie po · …"), the current one marked, so a reader can switch without searching.

Pages are grouped by their path: ``book/editions/<sector>/…`` belongs to that sector's edition
(``alle`` is the report); every other page (title page, statement) belongs to the report.
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import Any

from lib.data import SECTOR_NAMES, SECTORS

_EDITION_PAGE = re.compile(r"^book/editions/(alle|po|vo|mbo)/(.+)$")
_FIRST_H1 = re.compile(r"</h1>", re.I)


def edition_of(docname: str) -> str:
    """The edition a page belongs to: ``po``, ``vo``, ``mbo``, or ``alle`` (the report)."""
    m = _EDITION_PAGE.match(docname)
    return m.group(1) if m else "alle"


def counterparts(docname: str, docnames: set[str]) -> list[tuple[str, str]]:
    """``(sector, docname)`` of the same chapter in every edition that has it (this page too),
    in the order report, po, vo, mbo. Empty for a page that is not an edition chapter."""
    m = _EDITION_PAGE.match(docname)
    if not m:
        return []
    page = m.group(2)
    found = [(s, f"book/editions/{s}/{page}") for s in SECTORS]
    found = [(s, d) for s, d in found if d in docnames]
    return found if len(found) > 1 else []


def _label(sector: str) -> str:
    return "het rapport" if sector == "alle" else f"editie {sector}"


def switcher(docname: str, docnames: set[str], relative: Any) -> str:
    """The HTML of the "this page in the other editions" bar ('' when there is none)."""
    pages = counterparts(docname, docnames)
    if not pages:
        return ""
    items = []
    for sector, other in pages:
        name = html.escape(_label(sector))
        title = html.escape(SECTOR_NAMES[sector])
        if other == docname:
            items.append(f'<li><span aria-current="page" title="{title}">{name}</span></li>')
        else:
            items.append(f'<li><a href="{html.escape(relative(other))}" title="{title}">'
                         f"{name}</a></li>")
    return ('<nav class="sop-edities" aria-label="Deze pagina in andere edities">'
            '<span class="sop-edities-kop">Deze pagina in:</span>'
            f'<ul>{"".join(items)}</ul></nav>')


def _page_context(app: Any, pagename: str, templatename: str, context: dict[str, Any],
                  doctree: Any) -> None:
    if app.builder.format != "html":
        return
    group = edition_of(pagename)
    for key in ("prev", "next"):
        link = context.get(key)
        if not link:
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(pagename),
                                                   link["link"].split("#")[0]))
        target = target.removesuffix(".html").removesuffix("/")
        if edition_of(target) != group:
            context[key] = None
    body = context.get("body")
    if not body:
        return
    bar = switcher(pagename, set(app.env.all_docs),
                   lambda other: app.builder.get_relative_uri(pagename, other))
    if bar:
        context["body"] = _FIRST_H1.sub(lambda m: m.group(0) + bar, body, count=1)


def setup(app: Any) -> dict[str, Any]:
    app.add_js_file("sop-nav.js")  # the visible menu buttons (book/_static/sop-nav.js)
    app.connect("html-page-context", _page_context, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
