"""Build the whole book safely: data checks → editions → HTML → PDFs → publish.

Everything is built in a fresh work folder under ``_build/``; only when every step succeeded are
``_build/html`` and ``_build/pdf`` replaced (by renames). A failed build leaves the last good site
and PDFs untouched, prints the first error and exits non-zero.

``python -m lib.build [--no-pdf] [--no-html] [--keep-work]``
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from lib import data, datapackage, editions, paths, release

PDF_NAME = "sop-rapport"
CHANGES_PAGE = "wat-is-er-veranderd.md"  # generated into book/ from the releases (lib.release)
SECTOR_PART = "Sectoredities"
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
    """One table of contents per PDF: the report (without sector editions) and each edition."""
    full = toc()
    tocs = {PDF_NAME: {**full, "parts": [p for p in full["parts"]
                                         if p.get("caption") != SECTOR_PART]}}
    for part in full["parts"]:
        if part.get("caption") != SECTOR_PART:
            continue
        for edition in part["chapters"]:
            sector = Path(edition["file"]).parent.name
            tocs[f"{PDF_NAME}-{sector}"] = {
                "format": "jb-book", "root": edition["file"],
                "chapters": [{"file": s["file"]} for s in edition.get("sections", [])],
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


def versioned_config(sector: str = "") -> dict[str, Any]:
    """``_config.yml`` with this build's version: in the footer of every page, on the PDF's title
    page (Sphinx ``release``, named "Versie") and in the PDF's metadata (subject); a sector
    edition gets its name in the title."""
    config = yaml.safe_load(paths.config_file().read_text(encoding="utf-8"))
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
    # the title page reads "<releasename> <release>": "Versie 1.0 (…), commit …"
    name, rest = ("Versie", label.removeprefix("Versie ")) if label.startswith("Versie ") \
        else ("Stand:", label)
    sphinx["release"] = sphinx["version"] = rest
    latex = sphinx.setdefault("latex_elements", {})
    latex["releasename"] = name
    latex["preamble"] = (latex.get("preamble", "") +
                         f"\\hypersetup{{pdfsubject={{{_tex(label)}}}}}\n")
    if sector:
        config["title"] = f"{config['title']} — editie {data.SECTOR_NAMES[sector]}"
    return config


def _tex(text: str) -> str:
    return "".join("\\" + c if c in "&%$#_{}" else c for c in text)


def build_html(work: Path) -> tuple[Path, float]:
    out = work / "html-build"
    config_file = _dump(work / "config-html.yml", versioned_config())
    secs = _run([_jupyter_book(), "build", str(paths.project_root()), "--path-output", str(out),
                 "--config", str(config_file), "-W", "-n", "--keep-going", "--all"],
                work / "html.log", "HTML-build")
    return out / "_build" / "html", secs


def _dump(path: Path, content: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build_pdf(work: Path, name: str, toc_data: dict[str, Any]) -> tuple[Path, float]:
    """One PDF; a sector edition gets its edition name in the title."""
    config = versioned_config(name.removeprefix(PDF_NAME).lstrip("-"))
    toc_file = _dump(work / f"toc-{name}.yml", toc_data)
    config_file = _dump(work / f"config-{name}.yml", config)
    out = work / f"pdf-{name}"
    secs = _run([_jupyter_book(), "build", str(paths.project_root()), "--builder", "pdflatex",
                 "--toc", str(toc_file), "--config", str(config_file), "--path-output", str(out),
                 "-W", "-n", "--keep-going", "--all"], work / f"pdf-{name}.log",
                f"PDF-build {name}")
    pdf = out / "_build" / "latex" / f"{PDF_NAME}.pdf"
    if not pdf.exists():
        raise BuildError(f"PDF-build {name}: {pdf} ontbreekt na een geslaagde build")
    return pdf, secs


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


def build(html: bool = True, pdf: bool = True, keep_work: bool = False,
          say: Any = print) -> dict[str, float]:
    """Run all steps; publish only if all succeeded. Returns seconds per step."""
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
        say(f"book/{CHANGES_PAGE} bijgewerkt (vergelijking met de laatste release)")

    build_root = paths.build_dir()
    build_root.mkdir(exist_ok=True)
    work = build_root / f".work-{os.getpid()}"
    staging = work / "publish"
    staging.mkdir(parents=True)
    try:
        targets = []
        if html:
            site, timings["html"] = build_html(work)
            say(f"html: {timings['html']:.1f} s")
            shutil.copytree(site, staging / "html")
            datapackage.publish(staging / "html")  # the data package the data appendix links
            targets.append("html")
        if pdf:
            (staging / "pdf").mkdir()
            for name, toc_data in pdf_tocs().items():
                file, secs = build_pdf(work, name, toc_data)
                timings[f"pdf:{name}"] = secs
                say(f"pdf {name}: {secs:.1f} s")
                shutil.copy2(file, staging / "pdf" / f"{name}.pdf")
            targets.append("pdf")
            if html:  # the site offers the PDFs for download
                shutil.copytree(staging / "pdf", staging / "html" / "pdf")
        publish(staging, targets)
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lib.build", description=__doc__.split("\n")[0])
    ap.add_argument("--no-pdf", action="store_true", help="alleen HTML")
    ap.add_argument("--no-html", action="store_true", help="alleen PDF")
    ap.add_argument("--keep-work", action="store_true", help="werkmap bewaren (logs)")
    args = ap.parse_args(argv)
    try:
        timings = build(html=not args.no_html, pdf=not args.no_pdf, keep_work=args.keep_work)
    except (BuildError, RuntimeError, data.DataError, FileNotFoundError) as exc:
        print(f"\nBUILD MISLUKT — de vorige site en PDF's zijn ongewijzigd.\n{exc}",
              file=sys.stderr)
        return 1
    done = " en ".join(f"_build/{t}" for t, on in (("html", not args.no_html),
                                                    ("pdf", not args.no_pdf)) if on)
    print(f"klaar in {timings['total']:.1f} s: {done} bijgewerkt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
