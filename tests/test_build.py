"""Safe failure: a failed build exits non-zero, says why, and leaves the last good site alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _publish_marker_site(root: Path) -> dict[Path, bytes]:
    """Stand-ins for the last good build, so the test can see whether anything replaced them."""
    files = {
        root / "_build" / "html" / "index.html": b"<html lang='nl'>vorige site</html>",
        root / "_build" / "pdf" / "sop-rapport.pdf": b"%PDF-1.5 vorige pdf",
    }
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return files


def _build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOP_ROOT": str(root), "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-m", "lib.build", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=900)


def _unchanged(files: dict[Path, bytes]) -> bool:
    return all(p.exists() and p.read_bytes() == c for p, c in files.items())


@pytest.mark.slow
def test_broken_data_stops_the_build_and_keeps_the_site(project_copy):
    published = _publish_marker_site(project_copy)
    csv = project_copy / "data" / "tabel_4_1_respons_sector.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("respondenten,vo,93,37",
                                                           "respondenten,vo,93,3x7"), "utf-8")
    result = _build(project_copy)
    assert result.returncode == 1
    assert "BUILD MISLUKT" in result.stderr
    assert "data/tabel_4_1_respons_sector.csv, regel 7, kolom 'pct'" in result.stderr
    assert "'3x7'" in result.stderr
    assert _unchanged(published)
    assert not list((project_copy / "_build").glob(".work-*"))


@pytest.mark.slow
def test_failing_html_step_keeps_the_site_and_names_the_error(project_copy):
    published = _publish_marker_site(project_copy)
    page = project_copy / "book" / "toegankelijkheid.md"  # a page written by hand, not generated
    page.write_text(page.read_text(encoding="utf-8")
                    + "\nZie {doc}`bestaat-niet`.\n", encoding="utf-8")
    result = _build(project_copy, "--no-pdf")
    assert result.returncode == 1
    assert "HTML-build mislukt" in result.stderr
    assert "Eerste fout:" in result.stderr and "bestaat-niet" in result.stderr
    assert _unchanged(published)
    assert (project_copy / "_build" / "logs" / "html.log").exists()


def test_publish_rolls_back_when_a_swap_fails(project_copy, monkeypatch):
    from lib import build

    published = _publish_marker_site(project_copy)
    staging = project_copy / "_build" / "staging"
    for name, content in (("html", b"nieuwe site"), ("pdf", b"nieuwe pdf")):
        (staging / name).mkdir(parents=True)
        (staging / name / "x").write_bytes(content)
    real_rename = Path.rename

    def failing_rename(self, target):
        if self == staging / "pdf":
            raise OSError("schijf vol (gesimuleerd)")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(build.BuildError, match="vorige versie teruggezet"):
        build.publish(staging, ["html", "pdf"])
    monkeypatch.setattr(Path, "rename", real_rename)
    assert _unchanged(published)
    assert (staging / "html" / "x").read_bytes() == b"nieuwe site"
    assert not list((project_copy / "_build").glob(".old-*"))


@pytest.mark.slow
def test_an_unguarded_claim_stops_the_build_naming_the_sentence(project_copy):
    published = _publish_marker_site(project_copy)
    template = project_copy / "book" / "chapters" / "03-onderzoeksvragen.md"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.rstrip("\n") + "\n\nDe meeste partnerschappen groeien snel.\n",
                        encoding="utf-8")
    result = _build(project_copy, "--no-pdf")
    assert result.returncode == 1
    assert "BUILD MISLUKT" in result.stderr
    assert "beweringen zonder bewaking" in result.stderr
    assert "book/chapters/03-onderzoeksvragen.md:" in result.stderr
    assert '"De meeste partnerschappen groeien snel."' in result.stderr
    assert _unchanged(published)
