"""Build the whole book safely: data checks → editions → HTML → gate ‖ PDFs → publish.

Only what changed is redone. The build as a whole has a key (every input file, the commit): if it
matches the last published build, nothing runs. Otherwise the editions run where their inputs
changed (:mod:`lib.editions`), Sphinx updates its persistent folder ``_build/.cache/sphinx``
(unchanged pages are neither read nor written), the accessibility gate opens only pages whose
HTML changed (:func:`lib.sitecheck.gate`, cached per page) and, side by side with it, only the
PDFs whose own pages or LaTeX settings changed are rebuilt, in parallel. ``--full`` empties the
cache and builds everything from scratch (``make test`` and CI do); the result is the same, byte
for byte (tests/test_incremental.py).

The new site and PDFs are staged in a work folder; only when every step succeeded are
``_build/html`` and ``_build/pdf`` replaced (by renames). A failed build leaves the last good site
and PDFs untouched (and drops Sphinx's folder, so no warning can hide in it), prints the first
error and exits non-zero.

``python -m lib.build [--no-pdf] [--no-html] [--full] [--keep-work]``
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

from lib import paths

PDF_NAME = "sop-rapport"
PRINT_CSS = "sop-print.css"  # book/_static: the PDFs' own style sheet (lib/print_pdf.py)
CHANGES_PAGE = "wat-is-er-veranderd.md"  # generated into book/ from the releases (lib.release)
SECTOR_PART = "Sectoredities"
APPENDIX_PART = "Bijlagen"
ERROR_PATTERN = re.compile(r"(WARNING|ERROR|Error|Exception|Traceback|!\s|mislukt)")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class BuildError(RuntimeError):
    """A build step failed; the message holds the first error line."""


def _jupyter_book() -> str:
    exe = Path(sys.executable).with_name("jupyter-book")
    return str(exe) if exe.exists() else "jupyter-book"


def toc() -> dict[str, Any]:
    return yaml.safe_load(paths.toc_file().read_text(encoding="utf-8"))


def pdf_tocs() -> dict[str, dict[str, Any]]:
    """One table of contents per PDF: the report (without sector editions) and each edition.
    A sector edition carries the report's data appendices (bijlage A, the data and sources, and
    bijlage B, the errata) too, so that it holds everything its chapters refer to."""
    full = toc()
    tocs = {PDF_NAME: {**full, "parts": [p for p in full["parts"]
                                         if p.get("caption") != SECTOR_PART]}}
    appendices = [{"file": c["file"]} for p in full["parts"] if p.get("caption") == APPENDIX_PART
                  for c in p["chapters"] if Path(c["file"]).name.startswith("bijlage-")]
    for part in full["parts"]:
        if part.get("caption") != SECTOR_PART:
            continue
        for edition in part["chapters"]:
            sector = Path(edition["file"]).parent.name
            tocs[f"{PDF_NAME}-{sector}"] = {
                "format": "jb-book", "root": edition["file"],
                "chapters": [{"file": s["file"]} for s in edition.get("sections", [])]
                + appendices,
            }
    return tocs


def _run(cmd: list[str], log: Path, step: str) -> float:
    """Run a build command with its output in ``log``; raise BuildError with the first error."""
    t0 = time.perf_counter()
    with log.open("w", encoding="utf-8") as fh:
        proc = subprocess.run(cmd, cwd=paths.project_root(), stdout=fh, stderr=subprocess.STDOUT,
                              env={**os.environ, "SOP_ROOT": str(paths.project_root())})
    if proc.returncode != 0:
        lines = ANSI.sub("", log.read_text(encoding="utf-8", errors="replace")).splitlines()
        first = next((ln for ln in lines if ERROR_PATTERN.search(ln)), None)
        tail = "\n".join(lines[-15:])
        raise BuildError(f"{step} mislukt (exitcode {proc.returncode}).\n"
                         f"Eerste fout: {first or '(geen herkenbare foutregel)'}\n"
                         f"Volledig log: {paths.build_dir() / 'logs' / log.name}\n"
                         f"Laatste regels:\n{tail}")
    return time.perf_counter() - t0


def commit() -> str:
    """The short commit the book is built from ('' outside a git checkout)."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=paths.project_root(),
                             capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return ""
    return out.stdout.strip()


def _read_config() -> dict[str, Any]:
    """``_config.yml`` without this project's own ``print`` section (not Jupyter Book's)."""
    config = yaml.safe_load(paths.config_file().read_text(encoding="utf-8"))
    config.pop("print", None)
    return config


def print_settings() -> dict[str, Any]:
    """The ``print`` section of ``_config.yml``: the web address printed in every PDF."""
    config = yaml.safe_load(paths.config_file().read_text(encoding="utf-8"))
    settings = dict(config.get("print") or {})
    web = str(settings.get("web_address", "")).strip()
    if not re.fullmatch(r"https://\S+/", web):
        raise BuildError("_config.yml: print.web_address moet een https-adres zijn dat op / "
                         f"eindigt (nu: {web!r})")
    settings["web_address"] = web
    return settings


def versioned_config(sector: str = "") -> dict[str, Any]:
    """``_config.yml`` with this build's version in the footer of every page of the site; a
    sector edition gets its name in the title."""
    from lib import data, release

    config = _read_config()
    version = release.version_text()
    sha = commit()
    label = version[0].upper() + version[1:] + (f", commit {sha}" if sha else "")
    footer = f"{label}. {config['html'].get('extra_footer', '')}".strip()
    config["html"]["extra_footer"] = footer
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    # _config.yml sets html_theme_options itself, which replaces what Jupyter Book derives from
    # html.extra_footer: the theme reads the footer from here
    theme = sphinx.setdefault("html_theme_options", {})
    theme["extra_footer"] = f'<p class="sop-versie">{html.escape(footer)}</p>'
    sphinx["release"] = sphinx["version"] = label.removeprefix("Versie ")
    if sector:
        config["title"] = f"{config['title']} — editie {data.SECTOR_NAMES[sector]}"
    return config


def print_site_config() -> dict[str, Any]:
    """The config of the print site (:mod:`lib.print_pdf`): the book's, with the extension
    that selects ``{only} latex`` text. No version or commit: the pages' article text does not
    carry them, so a commit alone does not rebuild the print site."""
    config = _read_config()
    exts = config.setdefault("sphinx", {}).setdefault("extra_extensions", [])
    # not lib.slim: the print route reads each chart's spec from its page, where slim would move
    # it into a file of its own (and prints no icons, scripts or theme CSS anyway)
    exts[:] = [e for e in exts if e != "lib.slim"]
    exts.append("lib.print_pdf")
    return config


# --- incremental builds -------------------------------------------------------------------------
# Every step has a key: a sha256 over what it reads. A step whose key equals the one recorded at
# the last successful publish is not run; its output is taken from the published build. The
# whole build has a key too (every input file, the commit, the gate setting): unchanged, the
# build ends at once. ``--full`` (and CI) empties the cache and builds everything from scratch.

INPUTS = ("book", "data", "lib", "releases", "_config.yml", "_toc.yml", "requirements.lock")
SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}


def cache_dir() -> Path:
    return paths.build_dir() / ".cache"


def _walk(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    found = []
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        found += [Path(dirpath) / f for f in sorted(filenames)]
    return found


def _digest(h: Any, files: list[Path]) -> None:
    root = paths.project_root()
    for f in files:
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")


def fingerprint(html: bool, pdf: bool) -> str:
    """Everything a build reads: unchanged means there is nothing to do."""
    h = hashlib.sha256(f"html={html} pdf={pdf} commit={commit()} "
                       f"gate={os.environ.get('SOP_A11Y_GATE', '1')}\0".encode())
    root = paths.project_root()
    _digest(h, [f for name in INPUTS for f in _walk(root / name)])
    return h.hexdigest()


def sphinx_code_key() -> str:
    """The code the Sphinx build runs: the lib extensions named in _config.yml in full, and of
    the lib modules they import only what they can reach (:mod:`lib.deps`, as for chapters).
    A change to a chart builder that only notebooks call leaves the site's and the PDFs' keys
    alone (the notebooks' outputs carry such changes)."""
    from lib import deps, editions

    config = yaml.safe_load(paths.config_file().read_text(encoding="utf-8"))
    sources = [(paths.lib_dir() / f"{e.split('.', 1)[1]}.py").read_text(encoding="utf-8")
               for e in config["sphinx"].get("extra_extensions", []) if e.startswith("lib.")]
    probe = cache_dir() / "sphinx-code.md"  # the extensions as one "chapter" for lib.deps
    probe.parent.mkdir(parents=True, exist_ok=True)
    probe.write_text("".join(f"```{{code-cell}} ipython3\n{src}\n```\n\n" for src in sources),
                     encoding="utf-8")
    return deps.code_key(probe, editions.BUILD_TOOLING | editions.EXECUTOR)


def html_key(config: dict[str, Any], code: str | None = None) -> str:
    """The site: every source page, the data (downloads, data package), the Sphinx code
    (``code``: :func:`sphinx_code_key`, computed when not given), the data package's writer and
    this module."""
    h = hashlib.sha256(json.dumps(config, sort_keys=True, ensure_ascii=False).encode())
    h.update((code or sphinx_code_key()).encode())
    root = paths.project_root()
    _digest(h, [f for name in ("book", "data", "releases", "_toc.yml", "requirements.lock",
                               "lib/datapackage.py", "lib/build.py")
                for f in _walk(root / name)])
    return h.hexdigest()


def static_key() -> str:
    """The site's own static files and theme templates (book/_static, book/_templates)."""
    h = hashlib.sha256()
    _digest(h, _walk(paths.book_dir() / "_static") + _walk(paths.book_dir() / "_templates"))
    return h.hexdigest()


def _toc_files(toc_data: dict[str, Any]) -> list[Path]:
    """The source files a table of contents names (with their extension)."""
    names = [toc_data["root"]]
    stack = [toc_data]
    while stack:
        node = stack.pop()
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key, []):
                if "file" in child:
                    names.append(child["file"])
                stack.append(child)
    files = []
    for name in names:
        matches = sorted(paths.project_root().glob(f"{name}.*"))
        if not matches:
            raise BuildError(f"_toc.yml noemt {name}, maar dat bestand bestaat niet")
        files += matches
    return sorted(set(files))


def pdf_key(config: dict[str, Any], toc_data: dict[str, Any], code: str | None = None) -> str:
    """A PDF depends on its own pages (editions), what its title page says (``config``:
    :func:`pdf_config`), the Sphinx code (``code`` as for :func:`html_key`), the print style
    sheet and the print route (:mod:`lib.print_pdf`, this module), and the book's settings."""
    h = hashlib.sha256(json.dumps([config, toc_data, print_site_config()], sort_keys=True,
                                  ensure_ascii=False).encode())
    h.update((code or sphinx_code_key()).encode())
    _digest(h, [*_toc_files(toc_data), paths.book_dir() / "_static" / PRINT_CSS,
                paths.project_root() / "requirements.lock", paths.lib_dir() / "build.py",
                paths.lib_dir() / "print_pdf.py"])
    return h.hexdigest()


def read_stamps() -> dict[str, str]:
    try:
        return json.loads((cache_dir() / "stamps.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_stamps(stamps: dict[str, str]) -> None:
    cache_dir().mkdir(parents=True, exist_ok=True)
    tmp = cache_dir() / "stamps.json.tmp"
    tmp.write_text(json.dumps(stamps, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(cache_dir() / "stamps.json")


def build_html(work: Path, full: bool, config: dict[str, Any]) -> tuple[Path, float]:
    """Sphinx in a persistent folder (``_build/.cache/sphinx``): unchanged pages are not read or
    written again. After a failure that folder is removed, so a warning cannot hide in it."""
    out = cache_dir() / "sphinx"
    if full:
        shutil.rmtree(out, ignore_errors=True)
    config_file = _dump(cache_dir() / "config-html.yml", config)
    cmd = [_jupyter_book(), "build", str(paths.project_root()), "--path-output", str(out),
           "--config", str(config_file), "-W", "-n", "--keep-going"]
    try:
        secs = _run(cmd + (["--all"] if full else []), work / "html.log", "HTML-build")
    except BuildError:
        shutil.rmtree(out, ignore_errors=True)
        raise
    return out / "_build" / "html", secs


def _dump(path: Path, content: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def pdf_config(name: str) -> dict[str, Any]:
    """What PDF ``name`` prints besides its pages: title, edition, version and its date, the
    web address. No commit: a new commit alone rebuilds no PDF."""
    from lib import data, release

    config = yaml.safe_load(paths.config_file().read_text(encoding="utf-8"))
    sector = name.removeprefix(PDF_NAME).lstrip("-")
    version = release.version_text()
    return {"title": config["title"], "author": config["author"],
            "edition": f"editie {data.SECTOR_NAMES[sector]}" if sector else "",
            "version": version[0].upper() + version[1:],
            "web": print_settings()["web_address"]}


def build_print_site(work: Path, full: bool) -> tuple[Path, float]:
    """The print site (:mod:`lib.print_pdf`): Sphinx with ``{only} latex`` text, in its own
    persistent folder ``_build/.cache/sphinx-print`` (removed after a failure)."""
    out = cache_dir() / "sphinx-print"
    if full:
        shutil.rmtree(out, ignore_errors=True)
    config_file = _dump(cache_dir() / "config-print.yml", print_site_config())
    cmd = [_jupyter_book(), "build", str(paths.project_root()), "--path-output", str(out),
           "--config", str(config_file), "-W", "-n", "--keep-going"]
    try:
        secs = _run(cmd + (["--all"] if full else []), work / "print-site.log",
                    "Printversie (HTML)")
    except BuildError:
        shutil.rmtree(out, ignore_errors=True)
        raise
    return out / "_build" / "html", secs


def build_pdfs(work: Path, jobs: dict[str, tuple[dict[str, Any], dict[str, Any]]],
               full: bool = False) -> dict[str, tuple[Path, float]]:
    """The PDFs in ``jobs`` (name → table of contents, :func:`pdf_config`): the print site,
    then each PDF printed by Chromium (:mod:`lib.print_pdf`). Returns name → (PDF, seconds);
    the print site's seconds are shared out over the PDFs."""
    from lib import print_pdf

    site, site_secs = build_print_site(work, full)
    css = (paths.book_dir() / "_static" / PRINT_CSS).read_text(encoding="utf-8")
    editions = [(name, toc_data, print_pdf.Edition(**config))
                for name, (toc_data, config) in jobs.items()]
    try:
        done = print_pdf.build_all(site, editions, work, css)
    except Exception as exc:
        raise BuildError(f"PDF mislukt: {type(exc).__name__}: {exc}") from exc
    share = site_secs / max(1, len(done))
    return {name: (pdf, secs + share) for name, (pdf, secs) in done.items()}


def build_pdf(work: Path, name: str, toc_data: dict[str, Any],
              config: dict[str, Any]) -> tuple[Path, float]:
    """One PDF (``config``: :func:`pdf_config`)."""
    return build_pdfs(work, {name: (toc_data, config)})[name]


def publish(staging: Path, targets: list[str]) -> None:
    """Swap the staged folders into ``_build/`` together, by renames on one file system.

    If any rename fails, everything done so far is undone, so the site and the PDFs are always
    from the same build. Old copies are removed only after every swap succeeded.
    """
    build = paths.build_dir()
    moved: list[tuple[Path, Path]] = []  # (from, to), in the order done
    try:
        for name in targets:
            target = build / name
            if target.exists():
                old = build / f".old-{name}-{os.getpid()}"
                target.rename(old)
                moved.append((target, old))
            (staging / name).rename(target)
            moved.append((staging / name, target))
    except OSError as exc:
        for src, dst in reversed(moved):
            dst.rename(src)
        raise BuildError(f"publiceren mislukt, vorige versie teruggezet: {exc}") from exc
    for _, dst in moved:
        if dst.name.startswith(".old-"):
            shutil.rmtree(dst, ignore_errors=True)


def _prepare() -> dict[str, float]:
    """Data checks, editions, the change page: the steps that write into book/."""
    from lib import data, editions, release

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    errors = data.validate_all()
    if errors:
        raise BuildError("gegevens kloppen niet (met hun schema of met elkaar; "
                         "python -m lib.data):\n" + "\n".join(errors))
    timings["data"] = time.perf_counter() - t0
    result = editions.build(quiet=False)
    timings["editions"] = result["seconds"]
    timings["editions_executed"] = result["executed"]
    if release.write_page(paths.book_dir() / CHANGES_PAGE):
        print(f"book/{CHANGES_PAGE} bijgewerkt (vergelijking met de laatste release)")
    from lib import pages

    for page in pages.write():  # home page and colophon (lib/pages.py)
        print(f"{page.relative_to(paths.project_root())} bijgewerkt")
    return timings


def build(html: bool = True, pdf: bool = True, keep_work: bool = False, full: bool = False,
          say: Any = print) -> dict[str, Any]:
    """Run the steps whose inputs changed; publish only if all succeeded. Returns seconds per
    step and what was redone (``pages_written``, ``gate_checked``, ``pdfs_built``)."""
    t0 = time.perf_counter()
    build_root = paths.build_dir()
    if full:
        shutil.rmtree(cache_dir(), ignore_errors=True)
    stamps = read_stamps()
    published = {"html": (build_root / "html").exists(), "pdf": (build_root / "pdf").exists()}
    targets = [t for t, on in (("html", html), ("pdf", pdf)) if on]
    if (not full and all(published[t] for t in targets)
            and stamps.get("fingerprint") == fingerprint(html, pdf)):
        say("niets veranderd sinds de vorige build: niets te doen")
        return {"total": time.perf_counter() - t0, "nothing_to_do": True}

    timings: dict[str, Any] = _prepare()
    build_root.mkdir(exist_ok=True)
    work = build_root / f".work-{os.getpid()}"
    staging = work / "publish"
    staging.mkdir(parents=True)
    new_stamps = {k: v for k, v in stamps.items() if k != "fingerprint"}
    code = sphinx_code_key()  # once per build: the site's key and every PDF's use it
    try:
        if html:
            config = versioned_config()
            key = html_key(config, code)
            static = static_key()
            if key != stamps.get("html") or full or not published["html"]:
                # Sphinx copies static files only when it writes a page, and every page names
                # them with a checksum (?v=…): a changed style sheet or script rewrites them all
                rewrite_all = full or static != stamps.get("static")
                site, timings["html"] = build_html(work, rewrite_all, config)
                say(f"html: {timings['html']:.1f} s")
                timings["pages_written"] = _count_written(work / "html.log")
            else:
                site = cache_dir() / "sphinx" / "_build" / "html"
                timings["pages_written"] = 0
            if not site.exists():  # the cache was removed by hand: build it again
                site, timings["html"] = build_html(work, True, config)
            shutil.copytree(site, staging / "html")
            from lib import datapackage

            datapackage.publish(staging / "html")  # the data package the data appendix links
            new_stamps["html"], new_stamps["static"] = key, static
        steps = _finish(work, staging, html, pdf, stamps, new_stamps, full, code, say)
        if html:  # .gz/.br beside the text files, after the gate wrote its result (lib/slim.py)
            from lib import slim

            slim.precompress(staging / "html")
        pdfs = staging / "pdf" if pdf else build_root / "pdf"
        if html and pdfs.exists():  # the site offers the PDFs for download
            shutil.copytree(pdfs, staging / "html" / "pdf")
        publish(staging, targets)
        new_stamps["fingerprint"] = fingerprint(html, pdf)
        write_stamps(new_stamps)
        timings.update(steps)
    finally:
        logs = build_root / "logs"
        shutil.rmtree(logs, ignore_errors=True)
        logs.mkdir()
        for log in work.glob("*.log"):
            shutil.copy2(log, logs / log.name)
        if not keep_work:
            shutil.rmtree(work, ignore_errors=True)
    timings["total"] = time.perf_counter() - t0
    return timings


_WRITING = re.compile(r"writing output\.\.\. \[\s*\d+%\] ")


def _count_written(log: Path) -> int:
    """How many pages Sphinx wrote (its progress lines in the log)."""
    text = ANSI.sub("", log.read_text(encoding="utf-8", errors="replace"))
    return len(_WRITING.findall(text))


def _finish(work: Path, staging: Path, html: bool, pdf: bool, stamps: dict[str, str],
            new_stamps: dict[str, str], full: bool, code: str, say: Any) -> dict[str, Any]:
    """The accessibility gate and the PDFs, side by side; PDFs only where their key changed."""
    from lib import sitecheck

    done: dict[str, Any] = {}
    jobs: dict[str, Any] = {}
    workers = max(2, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        if html and os.environ.get(sitecheck.GATE_ENV, "1") != "0":
            jobs["gate"] = pool.submit(sitecheck.gate, staging / "html",
                                       cache_dir() / "gate.json")
        keys: dict[str, str] = {}
        if pdf:
            (staging / "pdf").mkdir()
            todo = {}
            for name, toc_data in pdf_tocs().items():
                config = pdf_config(name)
                keys[name] = pdf_key(config, toc_data, code)
                old = paths.build_dir() / "pdf" / f"{name}.pdf"
                if not full and keys[name] == stamps.get(f"pdf:{name}") and old.exists():
                    shutil.copy2(old, staging / "pdf" / f"{name}.pdf")
                else:
                    todo[name] = (toc_data, config)
            if todo:  # one job: the print site, then the PDFs one by one in one browser
                jobs["pdfs"] = pool.submit(build_pdfs, work, todo, full)
        errors = []
        for step, fut in jobs.items():
            try:
                result = fut.result()
            except Exception as exc:  # report every failed step, the first one first
                errors.append(exc)
                continue
            if step == "gate":
                done["gate_checked"] = result["gecontroleerd"]
                done["gate"] = result["seconden"]
                say(f"toegankelijkheid: {result['gecontroleerd']} van "
                    f"{len(result['paginas'])} pagina's gecontroleerd, "
                    f"{result['seconden']:.1f} s")
            else:
                for name, (file, secs) in result.items():
                    done[f"pdf:{name}"] = secs
                    shutil.copy2(file, staging / "pdf" / f"{name}.pdf")
                    say(f"pdf {name}: {secs:.1f} s")
                done["pdfs_built"] = len(result)
        if errors:
            raise errors[0] if len(errors) == 1 else BuildError(
                "\n\n".join(str(e) for e in errors))
    for name, key in keys.items():
        new_stamps[f"pdf:{name}"] = key
    done.setdefault("pdfs_built", 0)
    return done


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lib.build", description=__doc__.split("\n")[0])
    ap.add_argument("--no-pdf", action="store_true", help="alleen HTML")
    ap.add_argument("--no-html", action="store_true", help="alleen PDF")
    ap.add_argument("--keep-work", action="store_true", help="werkmap bewaren (logs)")
    ap.add_argument("--full", action="store_true",
                    help="alles opnieuw, zonder tussenresultaten (site, controle, PDF's)")
    args = ap.parse_args(argv)
    try:
        timings = build(html=not args.no_html, pdf=not args.no_pdf, keep_work=args.keep_work,
                        full=args.full)
    except (BuildError, RuntimeError, ValueError, FileNotFoundError) as exc:
        print(f"\nBUILD MISLUKT — de vorige site en PDF's zijn ongewijzigd.\n{exc}",
              file=sys.stderr)
        return 1
    done = " en ".join(f"_build/{t}" for t, on in (("html", not args.no_html),
                                                    ("pdf", not args.no_pdf)) if on)
    report = os.environ.get("SOP_BUILD_REPORT")  # for scripts/benchmark.py
    if report:
        Path(report).write_text(json.dumps(timings), encoding="utf-8")
    if timings.get("nothing_to_do"):
        print(f"klaar in {timings['total']:.1f} s: {done} waren al actueel")
        return 0
    redone = (f"{timings.get('editions_executed', 0)} notebooks, "
              f"{timings.get('pages_written', 0)} pagina's geschreven, "
              f"{timings.get('gate_checked', 0)} pagina's gecontroleerd, "
              f"{timings.get('pdfs_built', 0)} PDF's gebouwd")
    print(f"klaar in {timings['total']:.1f} s ({redone}): {done} bijgewerkt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
