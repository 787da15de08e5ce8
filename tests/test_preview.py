"""The live preview for authors (lib.preview): prose goes into the editions without running the
chapter, a CSV edit runs what it touches, the open page reloads itself, and a bad edit is shown
while the last good page stays."""

from __future__ import annotations

import shutil
import threading
import urllib.request
from pathlib import Path

import nbformat
import pytest

from lib import editions, paths, preview

SOURCE_ROOT = Path(preview.__file__).resolve().parents[1]  # the checkout (before project_copy)
PROSE_OLD = "Het onderzoek heeft één centrale vraag"
PROSE_NEW = "Het onderzoek heeft precies één centrale vraag"
CSV_OLD = ",7703,aantal,"
# the page may be between two loads (no body yet) when it is asked
HAS_TEXT = "t => !!document.body && document.body.innerText.includes(t)"


def _markdown(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _code(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code"]


def test_prose_goes_into_every_edition_without_running_and_stays_stale(project_copy):
    template = paths.chapters_dir() / "03-onderzoeksvragen.md"
    text = template.read_text(encoding="utf-8")
    assert PROSE_OLD in text
    template.write_text(text.replace(PROSE_OLD, PROSE_NEW), encoding="utf-8")
    jobs = preview._editions_of(template)
    assert {j.sector for j in jobs} == set(editions.SECTORS)
    before = {j.sector: _code(j.output) for j in jobs}
    for job in jobs:
        assert preview.patch_prose(job)
        assert PROSE_NEW in _markdown(job.output)
        assert _code(job.output) == before[job.sector]  # outputs and code as they were
    # the key stays the old one: make editions runs them next time
    stale = {(j.chapter, j.sector) for j in editions.stale(chapters=["03-onderzoeksvragen"])}
    assert stale == {("03-onderzoeksvragen", s) for s in editions.SECTORS}


def test_changed_code_is_not_patched(project_copy):
    template = paths.chapters_dir() / "03-onderzoeksvragen.md"
    text = template.read_text(encoding="utf-8")
    marker = "sector = \"alle\"\n"
    assert marker in text
    template.write_text(text.replace(marker, marker + "extra = 1\n", 1), encoding="utf-8")
    job = preview._editions_of(template)[0]
    original = job.output.read_bytes()
    assert not preview.patch_prose(job)
    assert job.output.read_bytes() == original


def test_only_watched_files_count_as_changes(project_copy):
    before = preview.watched()
    assert paths.data_dir() / "tekstcijfers_h4.csv" in before
    assert not any("editions" in p.parts for p in before)  # what the preview writes itself
    assert paths.book_dir() / "toegankelijkheid.md" in before
    assert paths.book_dir() / "index.md" not in before  # generated (lib.pages)
    csv = paths.data_dir() / "tekstcijfers_h4.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "", encoding="utf-8")
    (paths.book_dir() / "editions" / "alle" / "03-onderzoeksvragen.ipynb").touch()
    now = preview.watched()
    assert preview.changed(before, now) == {csv}


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


@pytest.mark.slow
def test_the_open_page_follows_a_prose_edit_and_a_csv_edit(project_copy, browser):
    # start from the build's Sphinx folder when there is one (make test builds first)
    cached = SOURCE_ROOT / "_build" / ".cache" / "sphinx" / "_build"
    if cached.exists():
        shutil.copytree(cached, project_copy / "_build" / ".cache" / "sphinx" / "_build")
    preview.seed(preview.preview_dir())
    status = preview.Status()
    said: list[str] = []

    def say(line: str) -> None:  # kept for the assertion, printed for a failure's report
        said.append(line)
        print(line)

    preview.round_(None, status, say)
    assert not status.error, status.error
    stop = threading.Event()
    with preview.serve(status) as url:
        watcher = threading.Thread(target=preview.watch, args=(status, stop, 0.3, say))
        watcher.start()
        try:
            page = f"{url}/book/editions/alle/03-onderzoeksvragen.html"
            assert "/__preview__/reload.js" in _get(page)
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.goto(page, wait_until="load")
            template = paths.chapters_dir() / "03-onderzoeksvragen.md"
            template.write_text(template.read_text(encoding="utf-8")
                                .replace(PROSE_OLD, PROSE_NEW), encoding="utf-8")
            # the open page reloads itself with the new sentence
            tab.wait_for_function(HAS_TEXT, arg=PROSE_NEW, timeout=180_000)

            ch4 = f"{url}/book/editions/alle/04-onderzoeksaanpak.html"
            assert "7.703" in _get(ch4)
            tab.goto(ch4, wait_until="load")
            csv = paths.data_dir() / "tekstcijfers_h4.csv"
            text = csv.read_text(encoding="utf-8")
            assert CSV_OLD in text
            csv.write_text(text.replace(CSV_OLD, ",7704,aantal,"), encoding="utf-8")
            tab.wait_for_function(HAS_TEXT, arg="7.704", timeout=240_000)

            # a bad value: the page keeps the last good state and says what is wrong
            csv.write_text(text.replace(CSV_OLD, ",zevenduizend,aantal,"), encoding="utf-8")
            bar = tab.locator("#sop-preview-bar")
            bar.wait_for(timeout=120_000)
            message = bar.inner_text()
            assert "tekstcijfers_h4.csv" in message and "niet bijgewerkt" in message.lower()
            assert "7.704" in tab.locator("article").inner_text()
            tab.close()
        finally:
            stop.set()
            watcher.join(timeout=600)
    assert any("tekst overgenomen" in line for line in said), said
