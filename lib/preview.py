"""A live preview for authors: ``make preview`` serves the report on localhost, rebuilds what an
edited template, data file or sidecar touches, and reloads the page that is open.

What happens after a save (the files are polled twice a second):

- **A template whose code did not change** (prose only): its editions get the new Markdown
  without running the chapter. Their key stays the old one, so the next ``make editions`` or
  ``make build`` runs them as usual. The claim scan of that template is shown as a warning.
- **A template with changed code, a CSV or sidecar, a chapter's ``lib`` module**: the data are
  checked and ``lib.editions`` runs what changed, as ``make editions`` would.
- **A hand-written page** (``book/*.md``, ``book/templates/``): the generated pages are written
  again.
- Then Sphinx, in this process, reads and writes only the pages that changed, into
  ``_build/preview/`` (never the published ``_build/html``). The open page reloads itself.

What fails (a data error, a guard that no longer holds, a Sphinx warning) is printed and shown in
a bar at the bottom of the page; the last good preview stays. A change to the build's own code
(Sphinx extensions, ``_config.yml``) needs a restart of ``make preview``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import io
import json
import re
import shutil
import sys
import threading
import time
import traceback
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lib import paths

RELOAD_JS = """(() => {
  let seen = null;
  function bar(text, kind) {
    let b = document.getElementById('sop-preview-bar');
    if (!text) { if (b) b.remove(); return; }
    if (!b) {
      b = document.createElement('div');
      b.id = 'sop-preview-bar';
      b.setAttribute('role', 'status');
      document.body.appendChild(b);
    }
    b.style.cssText = 'position:fixed;left:0;right:0;bottom:0;z-index:9999;padding:.5rem 1rem;'
      + 'font:14px/1.4 sans-serif;white-space:pre-wrap;max-height:40vh;overflow:auto;color:#000;'
      + (kind === 'fout' ? 'background:#fde2e1;border-top:3px solid #b00020'
                         : 'background:#fff4ce;border-top:3px solid #8a6d00');
    b.textContent = text;
  }
  async function poll() {
    try {
      const r = await fetch('/__preview__/status?page=' + encodeURIComponent(location.pathname),
                            {cache: 'no-store'});
      const s = await r.json();
      if (seen !== null && s.version !== seen) { location.reload(); return; }
      seen = s.version;
      if (s.error) bar('Voorbeeld niet bijgewerkt (de vorige stand blijft staan):\\n' + s.error,
                       'fout');
      else if (s.warning) bar(s.warning, 'let op');
      else bar('');
    } catch (e) { /* the preview server restarts: try again */ }
    setTimeout(poll, 400);
  }
  poll();
})();
"""
SCRIPT_TAG = b'<script src="/__preview__/reload.js"></script>'
WARNING = re.compile(r"(WARNING|ERROR|CRITICAL)")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def preview_dir() -> Path:
    """Where the preview lives: its own Sphinx folder, apart from the published site."""
    return paths.build_dir() / "preview"


def site_dir() -> Path:
    return preview_dir() / "_build" / "html"


# --- what changed --------------------------------------------------------------------------------


GENERATED = frozenset({"index.md", "colofon.md", "wat-is-er-veranderd.md"})  # book/: lib.pages,
# lib.release write them (the preview too): never an author's edit


def watched() -> dict[Path, float]:
    """Every file whose change the preview acts on, with its modification time (not the pages
    the build writes itself)."""
    root = paths.project_root()
    found: dict[Path, float] = {}
    patterns = [(paths.chapters_dir(), "*.md"), (paths.data_dir(), "*.csv"),
                (paths.data_dir(), "*.yml"), (paths.lib_dir(), "*.py"),
                (paths.book_dir(), "*.md"), (paths.templates_dir(), "*.md"),
                (paths.book_dir() / "_static", "*")]
    for folder, pattern in patterns:
        for path in folder.glob(pattern):
            if path.is_file() and not (path.parent == paths.book_dir() and path.name in GENERATED):
                found[path] = path.stat().st_mtime
    for name in ("_toc.yml", "_config.yml"):
        if (root / name).exists():
            found[root / name] = (root / name).stat().st_mtime
    return found


def changed(before: dict[Path, float], now: dict[Path, float]) -> set[Path]:
    return {p for p in before.keys() | now.keys() if before.get(p) != now.get(p)}


# --- prose only: the editions get the template's Markdown without running -------------------------


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


@dataclass(frozen=True)
class Edition:
    """What :func:`patch_prose` needs of an edition (no input key: that takes seconds)."""

    chapter: str
    sector: str
    template: Path
    output: Path


def _editions_of(template: Path) -> list[Edition]:
    from lib import editions

    meta = editions.front_matter(template).get("living_report") or {}
    sectors = tuple(meta.get("sectors") or editions.SECTORS)
    return [Edition(template.stem, s, template, paths.editions_dir() / s / f"{template.stem}.ipynb")
            for s in editions.SECTORS if s in sectors]


def patch_prose(job: Any) -> bool:
    """Give edition ``job`` the Markdown of its template when nothing else changed: same cells,
    same code, same tags. False (nothing written) when the chapter must run."""
    import nbformat

    from lib import editions

    if not job.output.exists():
        return False
    new = editions._prepared(job)
    old = nbformat.read(job.output, as_version=4)
    kept = [c for c in old.cells if "injected-parameters" not in _tags(c)]
    if len(kept) != len(new.cells):
        return False
    for a, b in zip(new.cells, kept, strict=True):
        if a.cell_type != b.cell_type or (a.cell_type == "code" and (
                a.source != b.source or _tags(a) != _tags(b))):
            return False
    touched = False
    for a, b in zip(new.cells, kept, strict=True):
        if a.cell_type == "markdown" and a.source != b.source:
            b.source = a.source
            touched = True
    if touched:
        editions._myst_glue(old)
        nbformat.write(old, job.output)
    return True


# --- one round ------------------------------------------------------------------------------------


@dataclass
class Status:
    """What the open pages poll: the stamp of their own file (a page reloads when Sphinx wrote
    it again), and the error or warning of the last round. ``viewing``: the page last polled
    (its edition is brought up to date first)."""

    error: str = ""
    warning: str = ""
    viewing: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def as_json(self, page: str) -> bytes:
        file = site_dir() / page.lstrip("/")
        if page.endswith("/"):
            file = file / "index.html"
        stamp = file.stat().st_mtime_ns if file.is_file() else 0
        with self.lock:
            if page:
                self.viewing = page
            return json.dumps({"version": stamp, "error": self.error,
                               "warning": self.warning}).encode("utf-8")


def _viewed_sector(status: Status | None) -> str:
    """The edition of the page the author looks at (``alle`` if none)."""
    match = re.search(r"/editions/(\w+)/", status.viewing if status else "")
    return match.group(1) if match else "alle"


@dataclass
class Later:
    """What a round leaves for its second pass, after the page on screen is up to date."""

    prose: list[Edition] = field(default_factory=list)  # other editions of an edited template
    run: bool = False  # the other editions, the change page, home page, colophon, version line

    def __bool__(self) -> bool:
        return bool(self.prose) or self.run


def update_sources(files: set[Path] | None, say: Any = print, status: Status | None = None,
                   later: Later | None = None) -> None:
    """Bring book/ up to date with the changed ``files`` (None: everything, as at the start):
    editions and generated pages. With ``later``, only the edition on screen (``status``) now
    and the rest noted in ``later``. Raises on what must stop the round (a
    data error, a failing chapter)."""
    from lib import claims, data, editions, pages

    root = paths.project_root()
    everything = files is None
    files = set() if files is None else files
    templates = {p for p in files if p.parent == paths.chapters_dir() and p.suffix == ".md"}
    other = files - templates
    data_or_code = everything or any(p.parent in (paths.data_dir(), paths.lib_dir())
                                     for p in other)
    first = _viewed_sector(status)
    sectors = (first,) if later is not None and not everything else editions.SECTORS
    if data_or_code:
        errors = data.validate_all()
        if errors:
            raise RuntimeError("gegevens kloppen niet (python -m lib.data):\n" + "\n".join(errors))
    run: list[str] = []
    for template in sorted(templates):
        problems = [str(p) for p in claims.scan(template)]
        jobs = sorted(_editions_of(template), key=lambda j: j.sector != first)
        if problems or not patch_prose(jobs[0]):
            run.append(template.stem)  # the editions step names the scan's problems
            continue
        if later is not None:  # Sphinx reads each page it finds changed: the one on screen first
            later.prose.extend(jobs[1:])
        elif not all(patch_prose(j) for j in jobs[1:]):
            run.append(template.stem)
            continue
        say(f"  {template.relative_to(root)}: tekst overgenomen in de editie {jobs[0].sector}"
            " (zonder uitvoeren)")
    if data_or_code or run:
        result = editions.build(sectors=sectors, chapters=None if data_or_code else run,
                                quiet=True)
        say(f"  edities ({', '.join(sectors)}): {result['executed']} uitgevoerd in "
            f"{result['seconds']:.1f} s")
    if later is not None and (data_or_code or run) and sectors != editions.SECTORS:
        later.run = True
    elif data_or_code:
        generated_pages()
    if any(p.parent in (paths.templates_dir(), root) for p in other):
        pages.write()


def generated_pages() -> None:
    """The change page, the home page and the colophon (they read the data and the version:
    seconds of work)."""
    from lib import pages, release

    release.write_page(paths.book_dir() / "wat-is-er-veranderd.md")
    pages.write()


def write_config(out: Path) -> Path:
    """The site's configuration as ``lib.build`` makes it (with the version line, which reads
    the data: seconds of work, so only when data or code changed)."""
    import yaml

    from lib import build

    config = out / "config.yml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(yaml.safe_dump(build.versioned_config(), allow_unicode=True,
                                     sort_keys=False), encoding="utf-8")
    return config


def sphinx(out: Path, config_changed: bool = True) -> tuple[float, list[str]]:
    """Sphinx in this process, as ``lib.build`` runs it (same configuration, so a folder seeded
    from the build's cache is reused): only changed pages are read and written."""
    from jupyter_book.sphinx import build_sphinx

    t0 = time.perf_counter()
    config = out / "config.yml"
    if config_changed or not config.exists():
        write_config(out)
    overrides = {"external_toc_path": paths.toc_file().as_posix(),
                 "latex_individualpages": False, "nitpicky": True}
    log = io.StringIO()
    with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        result = build_sphinx(paths.project_root(), out / "_build" / "html", noconfig=True,
                              path_config=str(config), confoverrides=overrides,
                              keep_going=True, quiet=True)
    lines = [ANSI.sub("", line) for line in log.getvalue().splitlines()]
    warnings = [line for line in lines if WARNING.search(line)]
    if isinstance(result, BaseException):
        raise RuntimeError("Sphinx mislukt: " + (warnings[-1] if warnings else repr(result)))
    return time.perf_counter() - t0, warnings


def seed(out: Path) -> bool:
    """Start from the build's Sphinx folder when there is no preview yet (same sources and
    configuration: Sphinx then only redoes what changed since the last ``make build``)."""
    from lib import build

    cached = build.cache_dir() / "sphinx" / "_build"
    if (out / "_build").exists() or not cached.exists():
        return False
    shutil.copytree(cached, out / "_build")
    return True


def round_(files: set[Path] | None, status: Status, say: Any = print) -> None:
    """One rebuild after ``files`` changed (None: bring everything up to date); the result
    goes into ``status``. First the edition on screen, then, in a second Sphinx pass, the
    other editions and the pages that read the version."""
    from lib import editions

    t0 = time.perf_counter()
    later = Later()
    try:
        update_sources(files, say, status, later if files is not None else None)
        secs, notes = sphinx(preview_dir(), config_changed=files is None or any(
            p.suffix == ".yml" and p.parent == paths.project_root() for p in files))
        with status.lock:
            status.error = ""
            status.warning = ("\n".join(["Let op:", *notes[:8]]) if notes else "")
        say(f"voorbeeld bijgewerkt in {time.perf_counter() - t0:.1f} s (Sphinx {secs:.1f} s)"
            + (f"; {len(notes)} waarschuwing(en)" if notes else ""))
        for line in notes[:8]:
            say(f"  {line}")
        if later:
            t1 = time.perf_counter()
            stale = [j for j in later.prose if not patch_prose(j)]
            if later.run or stale:
                editions.build(chapters=None if later.run else sorted({j.chapter for j in stale}),
                               quiet=True)
            if later.run:
                generated_pages()
            sphinx(preview_dir(), config_changed=later.run)
            say(f"  andere edities en pagina's bijgewerkt in {time.perf_counter() - t1:.1f} s")
    except Exception as exc:  # the preview stays up: the author fixes the file and saves again
        message = str(exc) or traceback.format_exc(limit=3)
        with status.lock:
            status.error = message[:3000]
        say(f"niet bijgewerkt: {message}")


# --- the server -------------------------------------------------------------------------------


class Handler(http.server.SimpleHTTPRequestHandler):
    """The preview folder, with the reload script in every page and the status beside it."""

    status: Status

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == "/__preview__/status":
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            page = urllib.parse.unquote(query.get("page", [""])[0])
            return self._send(self.status.as_json(page), "application/json")
        if path == "/__preview__/reload.js":
            return self._send(RELOAD_JS.encode("utf-8"), "text/javascript; charset=utf-8")
        if path == "/":
            self.send_response(302)
            self.send_header("Location", "/book/index.html")
            return self.end_headers()
        file = Path(self.translate_path(path))
        if file.is_dir():
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            page = file.read_bytes()
            at = page.rfind(b"</body>")
            page = page[:at] + SCRIPT_TAG + page[at:] if at >= 0 else page + SCRIPT_TAG
            return self._send(page, "text/html; charset=utf-8")
        return super().do_GET()


def serve(status: Status, port: int = 0) -> contextlib.AbstractContextManager[str]:
    """The preview on 127.0.0.1 (``port`` 0: a free one) for as long as the block runs."""
    from lib import sitecheck

    site_dir().mkdir(parents=True, exist_ok=True)
    handler = type("PreviewHandler", (Handler,), {"status": status})
    return sitecheck.serve(site_dir(), handler, port)


def watch(status: Status, stop: threading.Event, interval: float = 0.5,
          say: Any = print) -> None:
    """Rebuild after every save until ``stop`` is set."""
    before = watched()
    while not stop.wait(interval):
        now = watched()
        files = changed(before, now)
        if not files:
            continue
        time.sleep(0.2)  # an editor may write a file in two steps
        now = watched()
        files = changed(before, now)
        before = now
        root = paths.project_root()
        say("gewijzigd: " + ", ".join(sorted(str(p.relative_to(root)) for p in files)))
        round_(files, status, say)  # what is saved meanwhile is found in the next turn


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lib.preview",
                                 description="Voorbeeld van het rapport dat zichzelf bijwerkt.")
    ap.add_argument("--port", type=int, default=8000, help="poort (standaard 8000; 0: vrij)")
    args = ap.parse_args(argv)
    status = Status()
    fresh = not (preview_dir() / "_build").exists() and not seed(preview_dir())
    stop = threading.Event()
    try:
        server = serve(status, args.port)
        url = server.__enter__()
    except OSError as exc:
        print(f"fout: poort {args.port} is bezet ({exc.strerror}); kies een andere, "
              "bijvoorbeeld make preview PORT=8001", file=sys.stderr)
        return 1
    try:
        print(f"voorbeeld op {url}/book/index.html", flush=True)
        print("voorbeeld bijwerken" + (" (de eerste keer: enkele minuten)" if fresh else ""),
              flush=True)
        round_(None, status)
        print("sla een bestand op en de pagina volgt; Ctrl-C stopt", flush=True)
        watch(status, stop)
    except KeyboardInterrupt:
        stop.set()
    finally:
        server.__exit__(None, None, None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
