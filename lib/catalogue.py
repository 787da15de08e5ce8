"""The data catalogue (book appendix A): every dataset with its source location and columns."""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import Markdown

from lib import data, fmt, prose, tables


def natural_key(name: str) -> list[str | int]:
    """Sort key that reads numbers as numbers: ``tabel_6_1`` before ``tabel_6_10``.

    >>> sorted(["tabel_6_10_a", "tabel_6_2_b", "tabel_6_1_c"], key=natural_key)
    ['tabel_6_1_c', 'tabel_6_2_b', 'tabel_6_10_a']
    """
    return [int(part) if i % 2 else part for i, part in enumerate(re.split(r"(\d+)", name))]


def ordered_names() -> list[str]:
    """Every dataset in natural order (the order of the source's tables and figures)."""
    return sorted(data.dataset_names(), key=natural_key)


def overview() -> pd.DataFrame:
    """One row per dataset: file, title, source location, sector split, rows, chapters."""
    rows = []
    for name in ordered_names():
        sch = data.schema(name)
        df = data.load(name)
        rows.append({
            "bestand": f"{name}.csv",
            "download": prose.Markup(f"{{download}}`{name}.csv </data/{name}.csv>`"),
            "titel": sch.title,
            "bron": "; ".join([sch.source["location"]]
                              + [f"{e['location']} ({e['citation']})" for e in sch.row_sources]),
            "sector": "ja" if sch.sector_column else "nee",
            "rijen": len(df),
            "hoofdstuk": ", ".join(sch.used_by or sch.reserved_for),
        })
    return pd.DataFrame(rows)


def table(overzicht: pd.DataFrame) -> tables.TableOutput:
    """The overview for readers: file, place in the source, split by sector, rows."""
    return tables.show(
        overzicht[["download", "bron", "sector", "rijen"]],
        caption="Overzicht van de gegevensbestanden",
        headers={"download": "Bestand (CSV)", "bestand": "Bestand", "titel": "Inhoud",
                 "bron": "Plaats in de bron", "sector": "Per sector", "rijen": "Rijen",
                 "hoofdstuk": "Hoofdstuk"},
        formats={"rijen": fmt.number},
        numeric=["rijen"],
    )


def _bound(x: float, year: bool) -> str:
    """A column's minimum or maximum as readers write it: ``2016`` for a year, else ``1.746``
    or ``3,5``."""
    if year:
        return str(int(x))
    return fmt.number(x, 2).rstrip("0").rstrip(",")


def _code(value: object) -> str:
    """A code as inline code (Markdown), so a long one ("startende_leraren_begeleiden") may
    break inside a narrow table column (sop.css) instead of widening it."""
    text = str(value)
    if "`" in text or "\n" in text:
        raise ValueError(f"code met een backtick of regeleinde: {text!r}")
    return f"`{text}`"


def _rule(col: data.Column) -> prose.Markup:
    parts = []
    if col.allowed is not None:
        parts.append("een van: " + ", ".join(_code(a) for a in col.allowed))
    if col.min is not None or col.max is not None:
        year = col.name == "jaar" or col.unit == "jaar"
        lo = "" if col.min is None else _bound(col.min, year)
        hi = "" if col.max is None else _bound(col.max, year)
        parts.append(f"van {lo or '…'} tot {hi or '…'}")
    if col.nullable:
        parts.append("mag leeg zijn")
    return prose.Markup("; ".join(parts))


def columns_section() -> Markdown:
    """Per dataset a table of its columns: name, type, unit, rule, meaning."""
    blocks = []
    for name in ordered_names():
        sch = data.schema(name)
        cols = pd.DataFrame([{
            "kolom": c.name, "type": c.type, "eenheid": c.unit or "",
            "regel": _rule(c), "betekenis": c.description.strip(),
        } for c in sch.columns.values()])
        out = tables.show(
            cols, caption=f"{name}.csv — {sch.title} ({sch.source['location']})",
            headers={"kolom": "Kolom", "type": "Type", "eenheid": "Eenheid", "regel": "Regel",
                     "betekenis": "Betekenis"}, numeric=[],
        )
        note = []
        if sch.not_published:
            note.append(f"Niet gepubliceerd: {sch.not_published.strip()}")
        if not sch.sector_column:
            note.append(sch.sector_note.strip())
        blocks.append(out.markdown + ("\n" + fmt.md_escape(" ".join(note)) + "\n" if note else ""))
    return Markdown("\n".join(blocks))
