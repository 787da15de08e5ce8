"""Editions of record: in sync with their inputs, rebuilt only when needed, byte-for-byte stable.

nbval itself runs over book/editions/ (``pytest --nbval``, see the Makefile); the tests here prove
that it would notice a data change, and that the builder does what the README promises.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lib import data, editions, paths

CHAPTER = "04-onderzoeksaanpak"


def test_committed_editions_match_their_inputs():
    """Template, declared data, lib and lock file hash to what each edition stored."""
    old = editions.stale()
    assert not old, "verouderde edities (draai make editions): " + ", ".join(
        f"{j.sector}/{j.chapter}" for j in old)
    assert not editions.stale_index_pages(), "editiepagina's wijken af van book/templates"


def test_build_tooling_left_out_of_the_key_is_never_used_by_chapters():
    """Editions do not re-run when build-only modules change (and the executor is keyed as a
    whole, not as chapter code); so chapters must not use them."""
    left_out = editions.BUILD_TOOLING | editions.EXECUTOR
    chapter_modules = editions.chapter_modules()
    stems = {Path(n).stem for n in left_out}
    tooling = sorted(f"lib.{s}" for s in stems)
    code = (f"import sys, importlib\nfor m in {chapter_modules!r}:\n"
            f"    importlib.import_module('lib.' + m)\n"
            f"print(sorted(set({tooling!r}) & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=paths.project_root())
    assert out.stdout.strip() == "[]", out.stdout
    for template in paths.chapters_dir().glob("*.md"):
        text = template.read_text(encoding="utf-8")
        imported = set(re.findall(r"(?:import|from) lib\.(\w+)", text))
        for group in re.findall(r"from lib import ([\w, ]+)", text):
            imported |= {name.strip() for name in group.split(",")}
        assert imported, f"{template.name}: geen import uit lib gevonden"
        assert not imported & stems, f"{template.name} gebruikt {imported & stems}"


def test_every_chapter_has_all_its_editions():
    for job in editions.plan():
        assert job.output.exists(), f"{job.output} ontbreekt"


def test_edition_carries_its_sector_and_hides_parameters():
    import nbformat

    nb = nbformat.read(paths.editions_dir() / "po" / f"{CHAPTER}.ipynb", as_version=4)
    assert nb.metadata["living_report"]["sector"] == "po"
    title = next(c for c in nb.cells if c.cell_type == "markdown" and "# " in c.source)
    assert "editie primair onderwijs" in title.source
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert 'sector = "po"' in injected[0].source
    assert "remove-cell" in injected[0].metadata["tags"]
    assert all("execution" not in c.metadata and "papermill" not in c.metadata for c in nb.cells)
    assert "papermill" not in nb.metadata


def test_unknown_sector_lists_the_valid_ones(capsys):
    with pytest.raises(ValueError, match="geldig zijn: alle, po, vo, mbo"):
        data.validate_sector("hbo")
    assert editions.main(["--sector", "hbo"]) == 2
    assert "geldig zijn: alle, po, vo, mbo" in capsys.readouterr().err


def _nbval(root: Path, notebook: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOP_ROOT": str(root), "PYTHONPATH": str(root)}
    env.pop(data.DECLARED_ENV, None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider", str(notebook)],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.mark.slow
def test_nbval_notices_a_changed_data_value(project_copy):
    notebook = project_copy / "book" / "editions" / "alle" / f"{CHAPTER}.ipynb"
    before = _nbval(project_copy, notebook)
    assert before.returncode == 0, before.stdout[-3000:]

    csv = project_copy / "data" / "tekstcijfers_h4.csv"
    text = csv.read_text(encoding="utf-8")
    csv.write_text(text.replace(",7703,aantal,", ",7704,aantal,"), encoding="utf-8")
    after = _nbval(project_copy, notebook)
    assert after.returncode != 0
    assert "7.704" in after.stdout  # the changed number shows in nbval's diff
    assert {j.sector for j in editions.stale()} == {"alle", "po", "vo", "mbo"}


@pytest.mark.slow
def test_builder_runs_only_what_changed_and_is_deterministic(project_copy):
    committed = {p: p.read_bytes() for p in (project_copy / "book" / "editions").rglob("*.ipynb")}

    # nothing changed: nothing runs, nothing is written
    assert editions.build(quiet=True)["executed"] == 0

    # a new data file no chapter reads yet: only the data catalogue (which lists every file) runs
    new = "tabel_9_1_nieuw"
    for ext in ("csv", "yml"):
        text = (project_copy / "data" / f"tabel_4_2_geleding.{ext}").read_text(encoding="utf-8")
        if ext == "yml":
            text = re.sub(r"^used_by:.*$", "reserved_for: [08-conclusies]", text, flags=re.M)
        (project_copy / "data" / f"{new}.{ext}").write_text(text, encoding="utf-8")
    readers = {(j.sector, j.chapter) for j in editions.plan() if new in j.datasets}
    assert readers == {("alle", "bijlage-gegevens")}
    assert editions.build(quiet=True)["executed"] == 1
    for ext in ("csv", "yml"):
        (project_copy / "data" / f"{new}.{ext}").unlink()
    assert editions.build(quiet=True)["executed"] == 1  # the catalogue, back as committed

    # forced rebuild of one edition: byte-for-byte the committed file
    editions.build(sectors=("po",), force=True, quiet=True)
    po = project_copy / "book" / "editions" / "po" / f"{CHAPTER}.ipynb"
    assert po.read_bytes() == committed[po]

    # a data file chapter 4 and the samenvatting read: their editions and the catalogue run
    readers = {(j.sector, j.chapter) for j in editions.plan()
               if "tabel_4_2_geleding" in j.datasets}
    assert readers == {(s, c) for s in ("alle", "po", "vo", "mbo")
                       for c in (CHAPTER, "00-samenvatting")} | {("alle", "bijlage-gegevens")}
    csv = project_copy / "data" / "tabel_4_2_geleding.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("Uitvoering SO&P", "Uitvoering"),
                   encoding="utf-8")
    assert editions.build(quiet=True)["executed"] == 9
    changed = {p: p.read_bytes() for p in committed}
    assert changed[po] != committed[po]
    assert editions.build(quiet=True)["executed"] == 0
    assert {p: p.read_bytes() for p in committed} == changed


@pytest.mark.slow
def test_a_failing_chapter_stops_the_build(project_copy):
    template = project_copy / "book" / "chapters" / f"{CHAPTER}.md"
    text = template.read_text(encoding="utf-8")
    anchor = "ch = chapter.start(4, sector)"
    assert anchor in text
    template.write_text(text.replace(anchor, f'{anchor}\nraise RuntimeError("kapot hoofdstuk")'),
                        encoding="utf-8")
    before = (project_copy / "book" / "editions" / "alle" / f"{CHAPTER}.ipynb").read_bytes()
    with pytest.raises(RuntimeError, match="kapot hoofdstuk"):
        editions.build(sectors=("alle",), quiet=True)
    after = (project_copy / "book" / "editions" / "alle" / f"{CHAPTER}.ipynb").read_bytes()
    assert after == before  # the edition of record is not replaced by a failed run
