"""Benchmark the build (not a test): our pipeline against Jupyter Book executing every notebook.

Scenarios, each repeated ``--repeat`` times on a throw-away copy of the project (medians reported):

- cold:      no editions, no _build
- no-change: a second build right after
- one-csv:   one value in one CSV the chapters read is changed

"ours"  = ``python -m lib.editions`` (only where inputs changed) then ``python -m lib.build
          --no-pdf`` (HTML; its editions step then finds nothing to do). Both columns reported.
"naive" = Jupyter Book with ``execute_notebooks: force`` over one notebook per chapter × sector
          (the parameter written in), so every build executes every notebook.
The accessibility gate (axe in Chromium, part of every HTML build) is switched off for both
(``SOP_A11Y_GATE=0``) so the numbers compare the pipelines; it is timed once on its own, like the
PDF step (``--pdf``), which is the same LaTeX run for both.

Usage: ``.venv/bin/python scripts/benchmark.py [--repeat 3] [--pdf]``
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
OLD, NEW = ",7703,aantal,", ",7704,aantal,"


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


def step_once(*args: str, gate: bool = True) -> float:
    env = {**os.environ, "SOP_A11Y_GATE": "1" if gate else "0"}
    secs, _ = run([sys.executable, "-m", "lib.build", *args], ROOT, env)
    return secs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pdf", action="store_true", help="ook de PDF-stap één keer meten")
    args = ap.parse_args()
    results = scenario_runs(args.repeat)
    rows = []
    print("\n| scenario | ours: median s (editions step) | notebooks run | naive: median s | "
          "notebooks run | naive / ours |\n|---|---:|---:|---:|---:|---:|")
    for sc in ("cold", "no-change", "one-csv"):
        o = statistics.median(r[0] for r in results["ours"][sc])
        o_ed = statistics.median(r[2] for r in results["ours"][sc])
        nv = statistics.median(r[0] for r in results["naive"][sc])
        o_runs = results["ours"][sc][0][1]
        n_runs = results["naive"][sc][0][1]
        rows.append({"scenario": sc, "ours_s": round(o, 2), "ours_editions_s": round(o_ed, 2),
                     "ours_notebooks": o_runs, "naive_s": round(nv, 2),
                     "naive_notebooks": n_runs, "ratio": round(nv / o, 2),
                     "ours_all": [round(r[0], 2) for r in results["ours"][sc]],
                     "naive_all": [round(r[0], 2) for r in results["naive"][sc]]})
        print(f"| {sc} | {o:.1f} ({o_ed:.1f}) | {o_runs} | {nv:.1f} | {n_runs} | {nv / o:.2f} |")
    report = {"repeat": args.repeat, "cores": os.cpu_count(), "rows": rows}
    if args.pdf:
        with_gate = step_once("--no-pdf", gate=True)
        without = step_once("--no-pdf", gate=False)
        report["html_with_gate_s"] = round(with_gate, 1)
        report["html_without_gate_s"] = round(without, 1)
        report["pdf_all_four_s"] = round(step_once("--no-html"), 1)
        print(f"\nHTML met/zonder toegankelijkheidscontrole: {with_gate:.1f} / {without:.1f} s; "
              f"PDF (4 PDF's): {report['pdf_all_four_s']} s")
    out = ROOT / "_build" / "benchmark.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\n(volledige cijfers: {out.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
