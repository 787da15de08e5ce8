"""The site's own pages that are made from data and settings: the home page and the colophon.

Written before Sphinx runs (``lib.build``, with the change page), from templates in
``book/templates/``:

- **Home page** (``book/index.md`` ← ``home.md``): the report's key figures and main conclusion,
  the values the samenvatting and chapter 8 of the report (edition ``alle``) glued into their
  text — nothing is typed or computed twice — with the version and the ways into the report.
- **Colophon** (``book/colofon.md`` ← ``colofon.md``): publisher, contact address (a ``mailto``
  link), how to report an error, citation with version and web address, reuse. Publisher,
  address and web address come from ``_config.yml`` (``publication``, read by :mod:`lib.contact`).

``python -m lib.pages`` writes both; ``--check`` only says whether they are up to date.
"""

from __future__ import annotations

import argparse
import html
from pathlib import Path
from typing import Any

from lib import paths, profile
from lib.contact import mailto, publication

HOME = "index.md"
COLOPHON = "colofon.md"
# the key figures on the home page: (notebook of the report, glued key) per template field
HOME_VALUES = {
    "via_sop": "00-samenvatting", "ambitie": "00-samenvatting", "tevr_tot": "00-samenvatting",
    "n_resp": "00-samenvatting", "n_hoger": "00-samenvatting", "ps_respons": "00-samenvatting",
    "n_ps": "00-samenvatting", "jaar": "08-conclusies", "wie_tevreden": "08-conclusies",
    "laagst": "08-conclusies",
}


def _glued(chapter: str, key: str) -> str:
    nb = paths.editions_dir() / "alle" / f"{chapter}.ipynb"
    value = profile.glued(nb, key)
    if value is None:
        raise ValueError(f"{nb.relative_to(paths.project_root())}: geen geglued getal '{key}' "
                        "(de startpagina toont het)")
    return value.strip()


def _capital(markdown: str) -> str:
    return markdown[:1].upper() + markdown[1:]


def home(version: str) -> str:
    """The Markdown of the home page (``version``: as in the footer, "versie 1.0 (…)")."""
    values = {field: _glued(chapter, field) for field, chapter in HOME_VALUES.items()}
    values["via_sop"] = _capital(values["via_sop"])
    template = (paths.templates_dir() / "home.md").read_text(encoding="utf-8")
    values["versie"] = _capital(html.escape(version))
    return template.format(**values)


def citation(pub: dict[str, str], version: str, year: str) -> str:
    """This report as a reference, ready to copy."""
    return (f"{pub['publisher']} ({year}). {pub['title']} — levend rapport, {version}. "
            f"Naar Expertisecentrum Beroepsonderwijs (ECBO) (2021). {pub['web_address']}")


SOURCE = ("Expertisecentrum Beroepsonderwijs (ECBO) (2021). De meerwaarde van Samen Opleiden & "
          "Professionaliseren. In opdracht van het ministerie van OCW.")


def colophon(version: str, year: str, config: dict[str, Any] | None = None) -> str:
    pub = publication(config)
    mail = pub["contact_email"]
    template = (paths.templates_dir() / "colofon.md").read_text(encoding="utf-8")
    return template.format(titel=pub["title"], uitgever=pub["publisher"], versie=version,
                           mailto=mailto(mail),
                           citaat=citation(pub, version, year), bron=SOURCE)


def _version() -> tuple[str, str]:
    """("versie 1.0 (30 november 2026)", "2026"): the version as the footer shows it, and the
    year of the latest release (this year's date otherwise)."""
    import datetime as dt

    from lib import release

    found = release.releases()
    year = found[-1][1][:4] if found else str(dt.date.today().year)
    return release.version_text(), year


def write(book: Path | None = None) -> list[Path]:
    """Write the home page and the colophon where they changed; returns the files written."""
    book = book or paths.book_dir()
    version, year = _version()
    pages = {book / HOME: home(version), book / COLOPHON: colophon(version, year)}
    written = []
    for path, text in pages.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lib.pages", description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="alleen melden wat verouderd is")
    args = ap.parse_args(argv)
    if args.check:
        version, year = _version()
        stale = [n for n, t in ((HOME, home(version)), (COLOPHON, colophon(version, year)))
                 if not (paths.book_dir() / n).exists()
                 or (paths.book_dir() / n).read_text(encoding="utf-8") != t]
        for name in stale:
            print(f"verouderd: book/{name}")
        return 1 if stale else 0
    for path in write():
        print(f"{path.relative_to(paths.project_root())} bijgewerkt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
