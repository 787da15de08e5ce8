"""Shared fixtures: a throw-away project copy, the built site on localhost, Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from lib import paths, sitecheck
from lib.sitecheck import CHROMIUM, CHROMIUM_ARGS  # the browser the accessibility gate uses

COPY_IGNORE = shutil.ignore_patterns("_build", ".venv", ".git", "__pycache__", ".pytest_cache",
                                     ".ruff_cache", "*.egg-info")


@pytest.fixture
def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project (sources, data, editions) that lib.paths points at."""
    dest = tmp_path / "project"
    shutil.copytree(paths.project_root(), dest, ignore=COPY_IGNORE)
    monkeypatch.setenv("SOP_ROOT", str(dest))
    return dest


def built(path: Path, what: str) -> Path:
    if not path.exists():
        pytest.fail(f"{what} ontbreekt ({path}); bouw eerst het boek: make build")
    return path


@pytest.fixture(scope="session")
def site_dir() -> Path:
    return built(paths.build_dir() / "html", "de gebouwde site")


@pytest.fixture(scope="session")
def pdf_dir() -> Path:
    return built(paths.build_dir() / "pdf", "de gebouwde PDF's")


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    with sitecheck.serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} ontbreekt: scripts/setup.sh system installeert Debian-chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
