"""The data as a standard Frictionless Data Package (``datapackage.json``), made from the sidecars.

The descriptor is generated, never kept by hand: one tabular resource per dataset (the errata
register included), its Table Schema taken from ``data/<name>.yml`` (types, ``allowed`` → enum,
``min``/``max`` → minimum/maximum, not ``nullable`` → required, ``primary_key``, empty cell =
missing). Resource paths are ``data/<name>.csv``, so the same descriptor is valid in the project
root and in the folder :func:`write` fills (descriptor + copies of the CSVs), which is also what
the site serves and what :func:`archive` zips for download.

``python -m lib.datapackage [folder]`` writes the folder (default ``_build/datapackage``) and the
zip; ``frictionless validate <folder>/datapackage.json`` then checks every file against it.
Output is deterministic (sorted keys, datasets in natural order, fixed zip timestamps).
"""

from __future__ import annotations

import json
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

from lib import data, paths
from lib.catalogue import ordered_names

DESCRIPTOR = "datapackage.json"
ZIP_NAME = "sop-gegevens.zip"
SITE_FOLDER = "datapackage"
SITE_ZIP = f"{SITE_FOLDER}/{ZIP_NAME}"
"""Where the site offers the package, relative to the site root (the appendix links here)."""
CITATION_FILE = "CITATION.cff"
MISSING_VALUES = [""]
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest zip timestamp: rebuilding changes no byte

SOURCE_REPORT = (
    "Expertisecentrum Beroepsonderwijs (ECBO) (2021). De meerwaarde van Samen Opleiden & "
    "Professionaliseren. In opdracht van het ministerie van OCW."
)
SOURCE_SHORT = "ECBO (2021), De meerwaarde van Samen Opleiden & Professionaliseren"
EDITION = "Levend rapport SO&P (redactie)"
REUSE = (
    "Hergebruik: de tekst van het bronrapport die dit project heeft, noemt geen licentie en zegt "
    "niets over hergebruik of auteursrecht. Dit pakket geeft daarom geen licentie; vermeld bij "
    "gebruik de bron (ECBO, 2021) en dit levend rapport (zie CITATION.cff)."
)


def version() -> str:
    """The project version (``pyproject.toml``), also the package and citation version."""
    with (paths.project_root() / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def field(col: data.Column) -> dict[str, Any]:
    """One Table Schema field from a sidecar column."""
    constraints: dict[str, Any] = {"required": not col.nullable}
    if col.allowed is not None:
        constraints["enum"] = list(col.allowed)
    if col.min is not None:
        constraints["minimum"] = col.min
    if col.max is not None:
        constraints["maximum"] = col.max
    out: dict[str, Any] = {"name": col.name, "type": col.type, "constraints": constraints}
    description = " ".join(col.description.split())
    if col.unit:
        description = f"{description} (eenheid: {col.unit})" if description else \
            f"eenheid: {col.unit}"
    if description:
        out["description"] = description
    return out


def resource(name: str) -> dict[str, Any]:
    """The tabular resource of dataset ``name``: path, provenance and schema."""
    sch = data.schema(name)
    notes = [sch.description]
    if sch.source.get("note"):
        notes.append(f"Over de bron: {sch.source['note']}")
    if sch.not_published:
        notes.append(f"Niet gepubliceerd: {sch.not_published}")
    if not sch.sector_column:
        notes.append(f"Sector: {sch.sector_note}")
    return {
        "name": name,
        "path": f"data/{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": " ".join(sch.title.split()),
        "description": "\n\n".join(" ".join(n.split()) for n in notes if n and n.strip()),
        "sources": [{"title": f"{' '.join(sch.source['location'].split())} in {SOURCE_SHORT}"}]
        + [{"title": f"{' '.join(e['location'].split())} ({e['citation']}), rijen met "
                     + ", ".join(f"{c} = {v}" for c, v in e["where"].items())}
           for e in sch.row_sources],
        "schema": {
            "fields": [field(c) for c in sch.columns.values()],
            "primaryKey": list(sch.primary_key),
            "missingValues": MISSING_VALUES,
        },
    }


def descriptor() -> dict[str, Any]:
    """The whole Data Package descriptor, every dataset a resource, in natural order."""
    return {
        "profile": "tabular-data-package",
        "name": "sop-levend-rapport-gegevens",
        "title": "De meerwaarde van Samen Opleiden en Professionaliseren — gegevens van het "
                 "levend rapport",
        "description": (
            "De cijfers uit het rapport van ECBO (2021) over Samen Opleiden & "
            "Professionaliseren, met de hand overgenomen uit de tabellen, figuren en lopende "
            "tekst, als nette tabellen (één waarneming per rij; totalen als rijen; lege cel = "
            "niet gepubliceerd). Waar de bron niet met zichzelf klopt, staat dat in de resource "
            f"'errata'. {REUSE}"
        ),
        "version": version(),
        "sources": [{"title": SOURCE_REPORT}],
        "contributors": [{"title": EDITION, "role": "author"}],
        "keywords": ["Samen Opleiden & Professionaliseren", "lerarenopleiding", "ECBO",
                     "levend rapport"],
        "resources": [resource(name) for name in ordered_names()],
    }


def dumps(desc: dict[str, Any]) -> str:
    """The descriptor as stable JSON text (sorted keys, two-space indent, final newline)."""
    return json.dumps(desc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _write_if_changed(path: Path, content: bytes) -> None:
    if not path.exists() or path.read_bytes() != content:
        path.write_bytes(content)


def write(folder: Path) -> Path:
    """Write ``datapackage.json`` and copies of the CSVs (``data/``) into ``folder``.

    CSVs of datasets that no longer exist are removed; returns the descriptor's path.
    """
    desc = descriptor()
    target = folder / "data"
    target.mkdir(parents=True, exist_ok=True)
    wanted = {Path(r["path"]).name for r in desc["resources"]}
    for old in target.glob("*.csv"):
        if old.name not in wanted:
            old.unlink()
    for res in desc["resources"]:
        _write_if_changed(folder / res["path"], (paths.project_root() / res["path"]).read_bytes())
    citation = paths.project_root() / CITATION_FILE
    if citation.exists():
        _write_if_changed(folder / CITATION_FILE, citation.read_bytes())
    out = folder / DESCRIPTOR
    _write_if_changed(out, dumps(desc).encode("utf-8"))
    return out


def archive(folder: Path) -> Path:
    """Zip the package in ``folder`` (descriptor, CSVs, citation) as ``folder/sop-gegevens.zip``.

    Members are sorted and carry a fixed date and mode, so the same inputs give the same bytes.
    """
    desc = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
    members = [DESCRIPTOR, *(r["path"] for r in desc["resources"])]
    if (folder / CITATION_FILE).exists():
        members.append(CITATION_FILE)
    out = folder / ZIP_NAME
    tmp = out.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w") as zf:
        for member in sorted(members):
            info = zipfile.ZipInfo(member, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, (folder / member).read_bytes())
    tmp.replace(out)
    return out


def publish(site_root: Path) -> Path:
    """Put the package on the site: ``<site_root>/datapackage/`` with descriptor, CSVs and the
    zip the data appendix links to (:data:`SITE_ZIP`). Returns the zip's path."""
    return archive(write(site_root / SITE_FOLDER).parent)


def default_folder() -> Path:
    return paths.build_dir() / "datapackage"


def main(argv: list[str] | None = None) -> int:
    """``python -m lib.datapackage [folder]``: write the package and its zip, print where."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("gebruik: python -m lib.datapackage [map]  (standaard _build/datapackage)",
              file=sys.stderr)
        return 2
    folder = Path(args[0]) if args else default_folder()
    descriptor_path = write(folder)
    zip_path = archive(folder)
    print(f"{descriptor_path}\n{zip_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
