"""The landing page of a sector edition: a profile of the sector across all chapters.

Written by ``python -m lib.editions`` after the editions ran, from
``book/templates/editie-index.md``, into ``book/editions/<sector>/index.md``:

- **Kerncijfers per hoofdstuk**: the computed key figures each chapter's opening box shows for the
  sector (glued by :meth:`lib.chapter.Chapter.opening` under :data:`lib.chapter.OPENING_KEY`), with
  a link to the chapter in this edition. Nothing is computed twice: the page repeats what the
  chapters computed.
- **Wat de bron niet naar sector splitst**: every table and figure whose dataset has no sector
  column, from the sidecars, by chapter.
- a link to the edition's PDF (HTML only: raw HTML, which LaTeX leaves out).

The page is plain Markdown (no notebook), so it is regenerated in milliseconds and compared byte for
byte by ``python -m lib.editions --check``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from lib import data, paths
from lib.catalogue import natural_key
from lib.chapter import OPENING_KEY
from lib.data import SECTOR_NAMES
from lib.editions import GLUE_MD

TEMPLATE = "editie-index.md"
_TITLE = re.compile(r"^# (.+?)(?: — editie .*)?$", re.MULTILINE)
_NUMBERED = re.compile(r"(tabel|figuur)_(\d+)_(\d+[a-z]?)")


def glued_all(notebook: Path) -> dict[str, str]:
    """Every ``{key: Markdown}`` a notebook glued (the first output per key)."""
    out: dict[str, str] = {}
    for cell in json.loads(notebook.read_text(encoding="utf-8")).get("cells", []):
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get(GLUE_MD)
            if name and text is not None and name not in out:
                out[name] = "".join(text)
    return out


def glued(notebook: Path, key: str) -> str | None:
    """The Markdown a notebook glued under ``key`` (None if it glued nothing under it)."""
    return glued_all(notebook).get(key)


def title(notebook: Path) -> str:
    """A notebook's chapter title without the edition suffix ("5 De huidige praktijk …")."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            m = _TITLE.search("".join(cell["source"]))
            if m:
                return m.group(1).strip()
    raise ValueError(f"{notebook}: geen hoofdstuktitel ('# …')")


def key_figures(sector: str, chapters: list[str]) -> str:
    """Per chapter of the edition: a linked heading and the opening box's facts."""
    parts = []
    for cid in chapters:
        nb = paths.editions_dir() / sector / f"{cid}.ipynb"
        if not nb.exists():
            continue
        facts = glued(nb, OPENING_KEY)
        if facts is None:
            raise ValueError(f"{nb.relative_to(paths.project_root())}: het openingskader "
                             f"(ch.opening) ontbreekt; elk hoofdstuk van een sectoreditie heeft er "
                             "een")
        parts.append(f"### [{title(nb)}]({cid}.ipynb)\n\n{facts}\n")
    return "\n".join(parts)


def not_split(chapters: list[str]) -> str:
    """The tables and figures without a sector split, each once, under the chapter whose number
    it carries (Figuur 5.1 under chapter 5), for the chapters of the edition (from the sidecars)."""
    numbers = {int(cid[:2]): cid for cid in chapters if cid[:2].isdigit()}
    found: dict[int, list[tuple[str, str]]] = {}
    for name in data.dataset_names():
        sch = data.schema(name)
        if (not name.startswith(("tabel_", "figuur_")) or sch.sector_column is not None
                or sch.sector_covers):
            continue
        nr = _number(name)
        chapter = int(nr.split()[1].split(".")[0])
        if chapter in numbers and any(cid in sch.used_by for cid in chapters):
            found.setdefault(chapter, []).append((nr, sch.title.split(" (")[0]))
    lines = []
    for chapter in sorted(found):
        shown = sorted(found[chapter], key=lambda x: (x[0].startswith("Figuur"), natural_key(x[0])))
        where = "; ".join(f"{nr} ({t[0].lower() + t[1:]})" for nr, t in shown)
        lines.append(f"- Hoofdstuk {chapter}: {where}.")
    return "\n".join(lines)


def source_number(name: str) -> str | None:
    """``tabel_5_3a_…`` → ``Tabel 5.3a`` (the source's numbering, from the file name); None for
    a file without one (``errata``, ``tekstcijfers_h5``)."""
    m = _NUMBERED.match(name)
    return f"{m.group(1).capitalize()} {m.group(2)}.{m.group(3)}" if m else None


def _number(name: str) -> str:
    number = source_number(name)
    if number is None:
        raise ValueError(f"{name}: geen tabel- of figuurnummer in de naam")
    return number


def page(sector: str, chapters: list[str]) -> str:
    """The Markdown of the profile page of ``sector``."""
    template = (paths.templates_dir() / TEMPLATE).read_text(encoding="utf-8")
    return template.format(sector=sector, sector_naam=SECTOR_NAMES[sector],
                           kerncijfers=key_figures(sector, chapters),
                           zonder_uitsplitsing=not_split(chapters) or "- (geen)")
