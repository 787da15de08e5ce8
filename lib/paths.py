"""Every location the project uses, from one place (never from the working directory).

``SOP_ROOT`` may point at another copy of the project (tests use it to work on a temporary copy).
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The project root: ``$SOP_ROOT`` if set, else the folder that holds ``lib/``."""
    override = os.environ.get("SOP_ROOT")
    return Path(override).resolve() if override else Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """Transcribed source data: ``<name>.csv`` + ``<name>.yml``."""
    return project_root() / "data"


def book_dir() -> Path:
    """The book's sources: chapters, editions, templates, static files, front page."""
    return project_root() / "book"


def chapters_dir() -> Path:
    """Chapter templates (MyST notebooks with a ``sector`` parameter)."""
    return book_dir() / "chapters"


def templates_dir() -> Path:
    """Page templates the editions builder fills in (the landing page of a sector edition)."""
    return book_dir() / "templates"


def toc_file() -> Path:
    return project_root() / "_toc.yml"


def config_file() -> Path:
    return project_root() / "_config.yml"


def editions_dir() -> Path:
    """Executed editions of record, one folder per sector."""
    return book_dir() / "editions"


def build_dir() -> Path:
    """Build output (never committed): site, PDFs, logs, work folders."""
    return project_root() / "_build"


def lib_dir() -> Path:
    """This package (its sources are part of every edition's input key)."""
    return project_root() / "lib"
