"""Benchmark the build (not a test): what an author waits for, and what was redone.

One run (``--repeat`` rounds, medians reported) on a throw-away copy of the project, each scenario
through ``make build`` (editions, HTML, accessibility gate, PDFs: what the author runs):

- cold:        no editions, no _build: everything from scratch
- no-change:   ``make build`` again at once
- one-csv:     one value in one CSV that some chapters declare (a second edit: the first edit
               after a release changes every page's footer to "bijgewerkt na versie …")
- lib-unused:  the body of a lib function that no chapter and no Sphinx extension can reach
- floor:       one interpreter importing lib once and running every edition's code cells in
               sequence (lib.deps.run_cells), divided over the cores; the cold editions step is
               reported against it

``--naive`` adds the earlier comparison with Jupyter Book executing every notebook itself.

Page weight (what a reader downloads) of the published site ``_build/html``: the home page, the
samenvatting and chapter 6, each opened in Chromium at 390 px in a fresh context (empty cache),
summed over ``decodedBodySize`` of the navigation and every resource (uncompressed, as a plain
static server sends them), with the DOM size and the same files gzipped. ``--weights`` measures
only that (no builds).

``--lighthouse N`` runs Lighthouse (mobile, performance only) N times on the samenvatting and
chapter 6 of ``_build/html``, served by a plain static server on 127.0.0.1, and reports the median
score with its parts (FCP, LCP, TBT, CLS, Speed Index); no builds. Lighthouse is not part of the
project's environment: the ``lighthouse`` command on the PATH, or ``SOP_LIGHTHOUSE`` naming its
``cli/index.js`` or command; without it the measurement is skipped with a message.

``--preview`` measures ``make preview`` instead: in a copy, seconds from saving one sentence of a
template (and one CSV value) until the served page shows it, medians over ``--repeat``.

``--pdf`` measures the PDFs alone instead: ``python -m lib.build --no-html --full`` in a copy of
``--root`` (default: this checkout; another checkout, e.g. an older commit, compares routes),
reporting each PDF's seconds as the build log gives them (median over the rounds) and the wall
time of the PDF step.

Usage: ``.venv/bin/python scripts/benchmark.py [--repeat 3] [--naive | --weights |
--lighthouse N | --pdf [--root DIR]]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jupytext
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib import editions  # noqa: E402

IGNORE = shutil.ignore_patterns("_build", ".venv", ".git", "__pycache__", ".pytest_cache",
                                ".ruff_cache", "*.egg-info")
CSV = "tekstcijfers_h4.csv"
OLD, NEW, NEWER = ",7703,aantal,", ",7704,aantal,", ",7705,aantal,"


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"mislukt: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return secs, proc.stdout + proc.stderr


def ours(copy: Path, env: dict[str, str]) -> tuple[float, int, float]:
    """(total seconds, notebooks executed, seconds of the editions step alone)."""
    ed_secs, out = run([sys.executable, "-m", "lib.editions"], copy, env)
    m = re.search(r"edities: \d+ in totaal, (\d+) uit te voeren", out)
    html_secs, _ = run([sys.executable, "-m", "lib.build", "--no-pdf"], copy, env)
    return ed_secs + html_secs, int(m.group(1)) if m else -1, ed_secs


def make_naive(copy: Path) -> Path:
    """A Jupyter Book that executes each chapter × sector notebook itself on every build."""
    naive = copy / "naive"
    naive.mkdir()
    config = yaml.safe_load((copy / "_config.yml").read_text(encoding="utf-8"))
    config["execute"] = {"execute_notebooks": "force", "timeout": 600}
    config["exclude_patterns"] = ["_build"]
    config["sphinx"]["config"]["html_static_path"] = [str(copy / "book" / "_static")]
    config["html"]["favicon"] = str(copy / "book" / "_static" / "favicon.svg")
    (naive / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    chapters = []
    (naive / "index.md").write_text("# Naïeve build\n", encoding="utf-8")
    for job in editions.plan():
        nb = jupytext.read(job.template)
        for cell in nb.cells:
            if "parameters" in cell.metadata.get("tags", []):
                cell.source = f'sector = "{job.sector}"'
        name = f"{job.sector}-{job.chapter}"
        jupytext.write(nb, naive / f"{name}.md", fmt="md:myst")
        chapters.append({"file": name})
    toc = {"format": "jb-book", "root": "index", "chapters": chapters}
    (naive / "_toc.yml").write_text(yaml.safe_dump(toc), encoding="utf-8")
    return naive


def naive_build(copy: Path, naive: Path, env: dict[str, str]) -> tuple[float, int, float]:
    exe = str(Path(sys.executable).with_name("jupyter-book"))
    secs, _ = run([exe, "build", str(naive), "--all"], copy, env)
    return secs, len(editions.plan()), float("nan")


Run = tuple[float, int, float]


def scenario_runs(repeat: int) -> dict[str, dict[str, list[Run]]]:
    results: dict[str, dict[str, list[Run]]] = {"ours": {}, "naive": {}}
    for i in range(repeat):
        with tempfile.TemporaryDirectory(prefix="sop-bench-") as tmp:
            copy = Path(tmp) / "p"
            shutil.copytree(ROOT, copy, ignore=IGNORE)
            env = {**os.environ, "SOP_ROOT": str(copy), "PYTHONPATH": str(copy),
                   "SOP_A11Y_GATE": "0"}
            os.environ["SOP_ROOT"] = str(copy)
            for nb in (copy / "book" / "editions").rglob("*.ipynb"):
                nb.unlink()
            csv = copy / "data" / CSV
            base = csv.read_text(encoding="utf-8")
            r = results["ours"]
            r.setdefault("cold", []).append(ours(copy, env))
            r.setdefault("no-change", []).append(ours(copy, env))
            csv.write_text(base.replace(OLD, NEW), encoding="utf-8")
            r.setdefault("one-csv", []).append(ours(copy, env))

            csv.write_text(base, encoding="utf-8")
            naive = make_naive(copy)
            n = results["naive"]
            n.setdefault("cold", []).append(naive_build(copy, naive, env))
            n.setdefault("no-change", []).append(naive_build(copy, naive, env))
            csv.write_text(base.replace(OLD, NEW), encoding="utf-8")
            n.setdefault("one-csv", []).append(naive_build(copy, naive, env))
            os.environ.pop("SOP_ROOT", None)
            print(f"ronde {i + 1}/{repeat} klaar", file=sys.stderr)
    return results


def make_build(copy: Path, env: dict[str, str]) -> dict:
    """``make build`` in the copy; returns lib.build's timings and counts (and wall seconds)."""
    report = copy / "_build-report.json"
    report.unlink(missing_ok=True)
    secs, _ = run(["make", "--no-print-directory", "build"], copy,
                    {**env, "SOP_BUILD_REPORT": str(report)})
    result = json.loads(report.read_text(encoding="utf-8"))
    result["wall"] = secs
    return result


def unused_function(copy: Path) -> tuple[Path, int]:
    """A def in lib/charts.py (else any chapter module) that no chapter and no Sphinx extension
    can reach: (file, line after its last statement)."""
    import ast

    from lib import build, deps

    reached: set[str] = set()
    for template in sorted((copy / "book" / "chapters").glob("*.md")):
        reached |= deps.uses(template, editions.BUILD_TOOLING | editions.EXECUTOR)
    build.sphinx_code_key()
    reached |= deps.uses(build.cache_dir() / "sphinx-code.md",
                         editions.BUILD_TOOLING | editions.EXECUTOR)
    for module in ["charts", *editions.chapter_modules()]:
        path = copy / "lib" / f"{module}.py"
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and f"{module}:{node.name}" not in reached:
                return path, node.body[-1].end_lineno or node.lineno
    raise SystemExit("geen lib-functie gevonden die geen hoofdstuk gebruikt")


def floor(copy: Path, env: dict[str, str]) -> float:
    """Seconds for one interpreter to run every edition's code cells, divided over the cores."""
    code = ("import time, json\nfrom lib import deps, editions\n"
            "jobs = editions.plan()\nt = time.perf_counter()\n"
            "for j in jobs:\n    deps.run_cells(j.template, j.sector)\n"
            "print(json.dumps(time.perf_counter() - t))")
    _, out = run([sys.executable, "-c", code], copy, env)
    return float(out.strip().splitlines()[-1]) / (os.cpu_count() or 1)


def author_runs(repeat: int) -> dict[str, list[dict]]:
    results: dict[str, list[dict]] = {}
    for i in range(repeat):
        with tempfile.TemporaryDirectory(prefix="sop-bench-") as tmp:
            copy = Path(tmp) / "p"
            shutil.copytree(ROOT, copy, ignore=IGNORE)
            (copy / ".venv").symlink_to(ROOT / ".venv")
            env = {**os.environ, "SOP_ROOT": str(copy), "PYTHONPATH": str(copy)}
            os.environ["SOP_ROOT"] = str(copy)
            for nb in (copy / "book" / "editions").rglob("*.ipynb"):
                nb.unlink()
            results.setdefault("cold", []).append(make_build(copy, env))
            results.setdefault("no-change", []).append(make_build(copy, env))
            csv = copy / "data" / CSV
            base = csv.read_text(encoding="utf-8")
            csv.write_text(base.replace(OLD, NEW), encoding="utf-8")
            make_build(copy, env)  # first edit after the release: every footer changes
            csv.write_text(base.replace(OLD, NEWER), encoding="utf-8")
            results.setdefault("one-csv", []).append(make_build(copy, env))
            path, line = unused_function(copy)
            lines = path.read_text(encoding="utf-8").split("\n")
            indent = " " * (len(lines[line - 1]) - len(lines[line - 1].lstrip()))
            lines.insert(line, f"{indent}pass  # benchmark: bewerkt")
            path.write_text("\n".join(lines), encoding="utf-8")
            result = make_build(copy, env)
            result["edited"] = f"{path.name}:{line}"
            results.setdefault("lib-unused", []).append(result)
            results.setdefault("floor", []).append({"total": floor(copy, env)})
            os.environ.pop("SOP_ROOT", None)
            print(f"ronde {i + 1}/{repeat} klaar", file=sys.stderr)
    return results


WEIGHT_PAGES = {
    "startpagina": "book/index.html",
    "samenvatting": "book/editions/alle/00-samenvatting.html",
    "hoofdstuk 6": "book/editions/alle/06-ervaren-meerwaarde.html",
    "hoofdstuk 6 (po)": "book/editions/po/06-ervaren-meerwaarde.html",
}
RESOURCES_JS = """() => performance.getEntriesByType('navigation')
  .concat(performance.getEntriesByType('resource')).map(e => [e.name, e.decodedBodySize])"""


def page_weights(site: Path) -> list[dict]:
    """Per page: bytes (uncompressed and gzipped), files and DOM elements, as loaded at 390 px."""
    import gzip
    import urllib.parse

    from playwright.sync_api import sync_playwright

    from lib import sitecheck

    rows = []
    with sitecheck.serve(site) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=sitecheck.CHROMIUM,
                                     args=sitecheck.CHROMIUM_ARGS)
        for name, page in WEIGHT_PAGES.items():
            context = browser.new_context(viewport={"width": 390, "height": 800})
            tab = context.new_page()
            tab.goto(f"{url}/{page}", wait_until="load")
            tab.wait_for_function(sitecheck.CHARTS_DRAWN, timeout=60000)
            tab.wait_for_timeout(500)
            entries = tab.evaluate(RESOURCES_JS)
            gz = 0
            for address, _ in entries:
                path = site / urllib.parse.urlsplit(address).path.lstrip("/")
                if path.is_file():
                    gz += len(gzip.compress(path.read_bytes(), 9))
            rows.append({"page": name, "bytes": sum(size for _, size in entries),
                         "gzip_bytes": gz, "files": len(entries),
                         "dom": tab.evaluate("document.getElementsByTagName('*').length")})
            context.close()
        browser.close()
    return rows


def print_weights(rows: list[dict]) -> None:
    print("\nPaginagewicht (390 px, lege cache, ongecomprimeerd zoals een gewone server het "
          "stuurt; gzip: dezelfde bestanden gecomprimeerd)\n")
    print("| pagina | MB | MB gzip | bestanden | DOM-elementen |\n|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['page']} | {r['bytes'] / 1e6:.2f} | {r['gzip_bytes'] / 1e6:.2f} "
              f"| {r['files']} | {r['dom']} |")


LIGHTHOUSE_PAGES = {
    "samenvatting": "book/editions/alle/00-samenvatting.html",
    "hoofdstuk 6": "book/editions/alle/06-ervaren-meerwaarde.html",
}
LIGHTHOUSE_AUDITS = {"FCP s": ("first-contentful-paint", 1e-3),
                     "LCP s": ("largest-contentful-paint", 1e-3),
                     "TBT ms": ("total-blocking-time", 1.0),
                     "CLS": ("cumulative-layout-shift", 1.0),
                     "SI s": ("speed-index", 1e-3)}


def lighthouse_command() -> list[str] | None:
    """How to start Lighthouse here (``SOP_LIGHTHOUSE`` or ``lighthouse`` on the PATH), or None."""
    named = os.environ.get("SOP_LIGHTHOUSE")
    if named:
        if named.endswith(".js"):
            node = shutil.which("node")
            return [node, named] if node and Path(named).is_file() else None
        found = shutil.which(named)
        return [found] if found else None
    found = shutil.which("lighthouse")
    return [found] if found else None


def lighthouse_runs(site: Path, runs: int) -> list[dict] | None:
    """Per page: the median over ``runs`` Lighthouse runs (mobile, performance), or None when
    Lighthouse is not installed."""
    from lib import sitecheck

    cmd = lighthouse_command()
    if cmd is None:
        return None
    rows = []
    with sitecheck.serve(site) as url, tempfile.TemporaryDirectory(prefix="sop-lh-") as tmp:
        for name, page in LIGHTHOUSE_PAGES.items():
            results = []
            for i in range(runs):
                out = Path(tmp) / f"lh-{i}.json"
                proc = subprocess.run(
                    [*cmd, f"{url}/{page}", "--only-categories=performance",
                     "--form-factor=mobile", f"--chrome-path={sitecheck.CHROMIUM}",
                     "--chrome-flags=--headless=new --no-sandbox", "--output=json",
                     f"--output-path={out}", "--quiet"],
                    capture_output=True, text=True, timeout=300)
                if proc.returncode != 0 or not out.exists():
                    raise SystemExit(f"lighthouse mislukt op {page}:\n{proc.stderr[-2000:]}")
                report = json.loads(out.read_text(encoding="utf-8"))
                row = {"score": round(100 * report["categories"]["performance"]["score"])}
                for label, (audit, factor) in LIGHTHOUSE_AUDITS.items():
                    row[label] = report["audits"][audit]["numericValue"] * factor
                results.append(row)
                print(f"lighthouse {name} {i + 1}/{runs}: {row['score']}", file=sys.stderr)
            rows.append({"page": name, "runs": [r["score"] for r in results],
                         **{k: statistics.median(r[k] for r in results)
                            for k in ["score", *LIGHTHOUSE_AUDITS]}})
    return rows


def print_lighthouse(rows: list[dict] | None, runs: int) -> None:
    if rows is None:
        print("\nLighthouse overgeslagen: niet geïnstalleerd (zet SOP_LIGHTHOUSE op het pad van "
              "lighthouse/cli/index.js, of zet 'lighthouse' op het PATH)")
        return
    print(f"\nLighthouse (mobiel, prestaties), mediaan van {runs} runs, gewone statische "
          "server\n")
    print("| pagina | score | runs | " + " | ".join(LIGHTHOUSE_AUDITS) + " |\n|---|---:|---|"
          + "---:|" * len(LIGHTHOUSE_AUDITS))
    for r in rows:
        print(f"| {r['page']} | {r['score']:.0f} | {', '.join(map(str, r['runs']))} | "
              + " | ".join(f"{r[k]:.3g}" for k in LIGHTHOUSE_AUDITS) + " |")


def pdf_runs(repeat: int, root: Path) -> None:
    """Each PDF from scratch, ``repeat`` times: medians of the seconds per PDF."""
    rounds = []
    for i in range(repeat):
        with tempfile.TemporaryDirectory(prefix="sop-bench-pdf-") as tmp:
            copy = Path(tmp) / "p"
            shutil.copytree(root, copy, ignore=IGNORE)
            report = Path(tmp) / "report.json"
            env = {**os.environ, "SOP_ROOT": str(copy), "PYTHONPATH": str(copy),
                   "SOP_BUILD_REPORT": str(report)}
            t0 = time.perf_counter()
            run([sys.executable, "-m", "lib.build", "--no-html", "--full"], copy, env)
            wall = time.perf_counter() - t0
            timings = json.loads(report.read_text(encoding="utf-8"))
            rounds.append({"wall": wall, **{k.split(":", 1)[1]: v for k, v in timings.items()
                                            if k.startswith("pdf:")}})
            print(f"ronde {i + 1}/{repeat}: {rounds[-1]}", file=sys.stderr)
    names = sorted(k for k in rounds[0] if k != "wall")
    print(f"\n{root}: {os.cpu_count()} cores, {repeat} ronde(n), medianen in seconden\n")
    print("| PDF | seconden (mediaan) | alle rondes |\n|---|---:|---|")
    for name in [*names, "wall"]:
        values = [r[name] for r in rounds]
        label = "build --no-html --full (wand)" if name == "wall" else name
        print(f"| {label} | {statistics.median(values):.1f} | "
              f"{', '.join(f'{v:.1f}' for v in values)} |")


def med(rows: list[dict], key: str) -> float:
    return statistics.median(float(r.get(key, 0) or 0) for r in rows)


PREVIEW_PROSE = ("book/chapters/05-huidige-praktijk.md",
                 "Volgens de open antwoorden vullen scholen",
                 "book/editions/alle/05-huidige-praktijk.html")
PREVIEW_CSV = ("data/tekstcijfers_h4.csv", "book/editions/alle/04-onderzoeksaanpak.html")


def _wait_for(url: str, text: str, limit: float = 300) -> float:
    """Seconds until the page at ``url`` contains ``text``."""
    import urllib.request

    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                if text in r.read().decode("utf-8"):
                    return time.perf_counter() - t0
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"voorbeeld: {text!r} niet op {url} na {limit:.0f} s")


def preview_runs(repeat: int) -> dict[str, list[float]]:
    """``make preview`` in a copy (seeded from this checkout's Sphinx cache): seconds from saving
    a prose edit, and a CSV edit, until the served page shows it (the page on screen: edition
    alle)."""
    import re
    import threading

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(ROOT, copy, ignore=IGNORE)
        cached = ROOT / "_build" / ".cache" / "sphinx" / "_build"
        if cached.exists():
            shutil.copytree(cached, copy / "_build" / ".cache" / "sphinx" / "_build")
        env = {**os.environ, "SOP_ROOT": str(copy)}
        proc = subprocess.Popen([sys.executable, "-u", "-m", "lib.preview", "--port", "0"],
                                cwd=copy, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        lines: list[str] = []
        threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
        try:
            t0 = time.perf_counter()
            while not any("sla een bestand op" in x for x in lines):
                if proc.poll() is not None or time.perf_counter() - t0 > 900:
                    raise SystemExit("voorbeeld start niet:\n" + "".join(lines[-20:]))
                time.sleep(0.5)
            url = re.search(r"http://[\d.:]+", "".join(lines)).group(0)
            out: dict[str, list[float]] = {"prose": [], "csv": []}
            for i in range(repeat):
                path, anchor, page = PREVIEW_PROSE
                template = copy / path
                marker = f"Zin {i} van de meting."
                template.write_text(template.read_text(encoding="utf-8")
                                    .replace(anchor, f"{marker} {anchor}", 1), encoding="utf-8")
                out["prose"].append(_wait_for(f"{url}/{page}", marker))
                time.sleep(20)  # the other editions follow; then the next edit
                path, page = PREVIEW_CSV
                csv = copy / path
                value = 7711 + i
                csv.write_text(re.sub(r",77\d\d,aantal,", f",{value},aantal,",
                                      csv.read_text(encoding="utf-8"), count=1), encoding="utf-8")
                out["csv"].append(_wait_for(f"{url}/{page}", f"{value // 1000}.{value % 1000:03d}"))
                time.sleep(30)
            return out
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--naive", action="store_true", help="ook Jupyter Book zelf laten uitvoeren")
    ap.add_argument("--weights", action="store_true",
                    help="alleen het paginagewicht van de gepubliceerde site (_build/html)")
    ap.add_argument("--lighthouse", type=int, metavar="N", default=0,
                    help="alleen Lighthouse (mobiel) op samenvatting en hoofdstuk 6, mediaan "
                         "van N runs")
    ap.add_argument("--pdf", action="store_true", help="alleen de PDF's, van scratch")
    ap.add_argument("--preview", action="store_true",
                    help="alleen make preview: een zin en een CSV-waarde tot op de pagina")
    ap.add_argument("--root", type=Path, default=ROOT, help="met --pdf: deze checkout meten")
    args = ap.parse_args()
    site = ROOT / "_build" / "html"
    if args.weights:
        if not site.exists():
            raise SystemExit("_build/html ontbreekt: eerst make build")
        print_weights(page_weights(site))
        return 0
    if args.lighthouse:
        if not site.exists():
            raise SystemExit("_build/html ontbreekt: eerst make build")
        print_lighthouse(lighthouse_runs(site, args.lighthouse), args.lighthouse)
        return 0
    if args.pdf:
        pdf_runs(args.repeat, args.root.resolve())
        return 0
    if args.preview:
        runs = preview_runs(args.repeat)
        print(f"\nmake preview, {args.repeat} ronde(n), {os.cpu_count()} cores: "
              f"zin zichtbaar na {statistics.median(runs['prose']):.1f} s (mediaan; "
              f"{', '.join(f'{x:.1f}' for x in runs['prose'])}), CSV-waarde zichtbaar na "
              f"{statistics.median(runs['csv']):.1f} s "
              f"({', '.join(f'{x:.1f}' for x in runs['csv'])})")
        return 0
    results = author_runs(args.repeat)
    print(f"\n{os.cpu_count()} cores, {args.repeat} ronde(n), medianen in seconden\n")
    print("| scenario | make build | editions step | notebooks | pages written | pages gated "
          "| PDFs built |\n|---|---:|---:|---:|---:|---:|---:|")
    rows = []
    for sc in ("cold", "no-change", "one-csv", "lib-unused"):
        r = results[sc]
        row = {"scenario": sc, "wall_s": med(r, "wall"), "editions_s": med(r, "editions"),
               "notebooks": med(r, "editions_executed"), "pages": med(r, "pages_written"),
               "gated": med(r, "gate_checked"), "pdfs": med(r, "pdfs_built"),
               "all_wall_s": [round(x["wall"], 2) for x in r]}
        rows.append(row)
        print(f"| {sc} | {row['wall_s']:.1f} | {row['editions_s']:.1f} | {row['notebooks']:.0f} "
              f"| {row['pages']:.0f} | {row['gated']:.0f} | {row['pdfs']:.0f} |")
    fl = med(results["floor"], "total")
    cold_ed = rows[0]["editions_s"]
    print(f"\nvloer (alle code-cellen in één interpreter, gedeeld door {os.cpu_count()} cores): "
          f"{fl:.1f} s; koude editiestap {cold_ed:.1f} s = {cold_ed / fl:.2f} × de vloer")
    print(f"one-csv t.o.v. cold: {rows[2]['wall_s'] / rows[0]['wall_s']:.2f}; "
          f"no-change t.o.v. cold: {rows[1]['wall_s'] / rows[0]['wall_s']:.4f}")
    report = {"repeat": args.repeat, "cores": os.cpu_count(), "rows": rows, "floor_s": fl,
              "cold_editions_over_floor": cold_ed / fl,
              "edited": results["lib-unused"][0].get("edited")}
    if args.naive:
        report["naive"] = scenario_runs(1)
    if site.exists():
        report["page_weight"] = page_weights(site)
        print_weights(report["page_weight"])
    out = ROOT / "_build" / "benchmark.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\n(volledige cijfers: {out.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
