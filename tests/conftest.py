"""Shared fixtures: a throw-away project copy, the built site on localhost, Chromium."""

from __future__ import annotations

import functools
import http.server
import shutil
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from lib import paths

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> tuple[socketserver.TCPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    server, url = serve(site_dir)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} ontbreekt: scripts/setup.sh system installeert Debian-chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
