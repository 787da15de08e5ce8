"""Incremental builds (lib.build): redo only what changed, and end with what a full build makes."""

from __future__ import annotations

import filecmp
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lib import build, editions, paths

CSV = "tekstcijfers_h4.csv"
OLD, NEW, NEWER = ",7703,aantal,", ",7704,aantal,", ",7705,aantal,"


def _build(root: Path, *args: str) -> str:
    env = {**os.environ, "SOP_ROOT": str(root), "PYTHONPATH": str(root), "SOP_A11Y_GATE": "0"}
    proc = subprocess.run([sys.executable, "-m", "lib.build", "--no-pdf", *args], cwd=root,
                          env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _different(a: Path, b: Path) -> list[str]:
    left, right = _tree(a), _tree(b)
    names = sorted(set(left) | set(right))
    return [n for n in names if left.get(n) != right.get(n)]


@pytest.mark.slow
def test_incremental_build_redoes_only_what_changed_and_equals_a_full_build(project_copy):
    first = _build(project_copy)
    assert "0 notebooks" in first  # the committed editions are current

    again = _build(project_copy)
    assert "niets te doen" in again

    csv = project_copy / "data" / CSV
    text = csv.read_text(encoding="utf-8")
    assert OLD in text, f"{CSV} bevat {OLD!r} niet meer: pas de test aan"
    # The first change after a release changes every page: the footer now reads "bijgewerkt na
    # versie …". The second change is the author's everyday case.
    csv.write_text(text.replace(OLD, NEW), encoding="utf-8")
    _build(project_copy)
    csv.write_text(text.replace(OLD, NEWER), encoding="utf-8")
    declaring = [j for j in editions.plan() if CSV.removesuffix(".csv") in j.datasets]
    assert 0 < len(declaring) < len(editions.plan())
    changed = _build(project_copy)
    ran = re.search(r"\((\d+) notebooks, (\d+) pagina's geschreven", changed)
    assert ran, changed
    assert int(ran.group(1)) == len(declaring), changed
    total_pages = len(list((project_copy / "_build" / "html").rglob("*.html")))
    assert 0 < int(ran.group(2)) < total_pages / 2, changed

    # a style sheet only: no page's source changed, yet every page names the file with a new
    # checksum and the site must carry the new file
    css = project_copy / "book" / "_static" / "sop.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* test: gewijzigd */\n", "utf-8")
    _build(project_copy)
    assert (project_copy / "_build" / "html" / "_static" / "sop.css").read_bytes() == \
        css.read_bytes()

    incremental = project_copy / "incremental-html"
    (project_copy / "_build" / "html").rename(incremental)
    _build(project_copy, "--full")
    diff = _different(incremental, project_copy / "_build" / "html")
    assert not diff, f"incrementeel en volledig gebouwd verschillen in: {diff[:10]}"
    filecmp.clear_cache()


def test_a_pdf_key_follows_only_its_own_editions(project_copy):
    tocs = build.pdf_tocs()
    before = {name: build.pdf_key(build.pdf_config(name), toc) for name, toc in tocs.items()}
    nb = paths.editions_dir() / "vo" / "04-onderzoeksaanpak.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace("Onderzoeksaanpak", "Aanpak", 1),
                  encoding="utf-8")
    after = {name: build.pdf_key(build.pdf_config(name), toc) for name, toc in tocs.items()}
    assert after[f"{build.PDF_NAME}-vo"] != before[f"{build.PDF_NAME}-vo"]
    for name in (build.PDF_NAME, f"{build.PDF_NAME}-po", f"{build.PDF_NAME}-mbo"):
        assert after[name] == before[name], f"{name} zou opnieuw gebouwd worden"
    css = project_copy / "book" / "_static" / build.PRINT_CSS  # the print style: every PDF
    css.write_text(css.read_text(encoding="utf-8") + "\nh1 { color: #000; }\n", encoding="utf-8")
    styled = {name: build.pdf_key(build.pdf_config(name), toc) for name, toc in tocs.items()}
    assert all(styled[n] != after[n] for n in tocs)
    config = project_copy / "_config.yml"  # the web address on every title page: every PDF
    config.write_text(config.read_text(encoding="utf-8").replace(
        build.print_settings()["web_address"], "https://elders.example.nl/"), encoding="utf-8")
    moved = {name: build.pdf_key(build.pdf_config(name), toc) for name, toc in tocs.items()}
    assert all(moved[n] != styled[n] for n in tocs)
    # a commit alone rebuilds no PDF: the PDF names no commit
    assert "commit" not in json.dumps(build.pdf_config(build.PDF_NAME))
