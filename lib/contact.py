"""Who publishes this edition and how readers reach them: ``publication`` in ``_config.yml``.

Read by the colophon (:mod:`lib.pages`) and, as a Sphinx extension (``lib.contact`` in
``_config.yml``), offered to hand-written pages as the MyST substitution ``{{ contact }}``: the
contact address as a mailto link (the accessibility statement uses it).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from lib import paths

KEYS = ("publisher", "contact_email", "web_address")
_EMAIL = re.compile(r"[^@\s<>()\[\]]+@[^@\s<>()\[\]]+\.[a-z]{2,}", re.I)


class ContactError(ValueError):
    """``publication`` in ``_config.yml`` is missing or wrong; the message says what."""


def publication(config: dict[str, Any] | None = None) -> dict[str, str]:
    """Publisher, contact address, web address (and the book's title) from ``_config.yml``."""
    if config is None:
        config = yaml.safe_load(paths.config_file().read_text(encoding="utf-8"))
    pub = config.get("publication") or {}
    missing = [k for k in KEYS if not pub.get(k)]
    if missing:
        raise ContactError(f"_config.yml: publication mist {', '.join(missing)}")
    if not _EMAIL.fullmatch(str(pub["contact_email"])):
        raise ContactError(f"_config.yml: publication.contact_email {pub['contact_email']!r} is "
                           "geen e-mailadres")
    return {k: str(v) for k, v in pub.items()} | {"title": str(config.get("title", ""))}


def mailto(address: str) -> str:
    """The address as a MyST link that opens the reader's mail program."""
    return f"[{address}](mailto:{address})"


def _config_inited(app: Any, config: Any) -> None:
    subs = dict(getattr(config, "myst_substitutions", None) or {})
    subs["contact"] = mailto(publication()["contact_email"])
    config.myst_substitutions = subs


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _config_inited)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
