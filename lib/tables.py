"""Tables as chapters show them: Dutch-formatted, escaped, captioned with the source's number.

A table leaves the notebook as MyST Markdown (a ``table`` directive with caption), which Jupyter
Book renders as a real table in HTML (``<caption>``) and in LaTeX. Every cell from data is escaped,
so a label such as ``<img onerror=…>`` stays text; only :class:`lib.prose.Markup` (links that lib
built) is kept as markup.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from lib import fmt, paths
from lib.prose import Markup

WIDE = 6  # more columns than this: smaller type and tighter cells


class TableOutput:
    """A formatted table for display: Markdown for the book, plain text for the notebook."""

    def __init__(self, markdown: str, plain: str) -> None:
        self.markdown, self.plain = markdown, plain

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/markdown": self.markdown, "text/plain": self.plain}


def _cell(value: Any, formatter: Callable[[Any], str] | None, missing: str) -> str:
    if fmt.is_missing(value):
        return missing
    if formatter is not None:
        return formatter(value)
    return str(value)


def _is_numeric(col: pd.Series) -> bool:
    """Numbers only (missing cells aside), also in an object column (after a pivot)."""
    if pd.api.types.is_bool_dtype(col):
        return False
    if pd.api.types.is_numeric_dtype(col):
        return True
    values = [v for v in col if not fmt.is_missing(v)]
    return bool(values) and all(isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_)
                                for v in values)


def show(df: pd.DataFrame, *, caption: str, formats: dict[str, Callable[[Any], str]] | None = None,
         headers: dict[str, str] | None = None, numeric: Sequence[str] | None = None,
         note: str | None = None, emphasise_rows: Sequence[int] = (),
         emphasise_columns: Sequence[str] = (), blank: Sequence[str] = (),
         dataset: str | None = None) -> TableOutput:
    """A captioned table. ``formats`` maps columns to formatters (e.g. :func:`lib.fmt.pct`),
    ``headers`` renames columns for readers, ``numeric`` columns are right-aligned, ``note`` is a
    line under the table (source, abbreviations); ``emphasise_rows`` (positions) and
    ``emphasise_columns`` (names) are set in bold.
    Empty cells read ``n.g.`` (not published), except in ``blank`` columns where they stay empty.
    ``dataset`` names the data file behind the table: readers get it as a CSV download.
    """
    formats = formats or {}
    headers = headers or {}
    cols = list(df.columns)
    numeric = list(numeric) if numeric is not None else [c for c in cols if _is_numeric(df[c])]
    head = [fmt.md_escape(headers.get(c, c)) for c in cols]
    head = [f"**{h}**" if c in emphasise_columns else h for c, h in zip(cols, head, strict=True)]
    align = ["---:" if c in numeric else ":---" for c in cols]
    rows = []
    for i, (_, r) in enumerate(df.iterrows()):
        cells = [r[c] if isinstance(r[c], Markup) else
                 fmt.md_escape(_cell(r[c], formats.get(c), "" if c in blank else fmt.NOT_PUBLISHED))
                 for c in cols]
        cells = [f"**{v}**" if (i in emphasise_rows or c in emphasise_columns) and v else v
                 for c, v in zip(cols, cells, strict=True)]
        rows.append(cells)
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    body = "\n".join(lines)
    # a table with many columns gets a denser layout (book/_static/sop.css)
    classes = "sop-table sop-table-wide" if len(cols) > WIDE else "sop-table"
    md = f"```{{table}} {fmt.md_escape(caption)}\n:class: {classes}\n\n{body}\n```\n"
    if note or dataset:
        md += "\n" + (fmt.md_escape(note) if note else "")
        if dataset:
            if not (paths.data_dir() / f"{dataset}.csv").exists():
                raise FileNotFoundError(f"tables.show: data/{dataset}.csv bestaat niet")
            md += (f" Gegevens: {{download}}`{dataset}.csv </data/{dataset}.csv>` "
                   "(bron en kolommen: bijlage A).")
        md += "\n"
    plain = caption + "\n" + df.to_string(index=False)
    return TableOutput(md, plain)


def wide(df: pd.DataFrame, *, rows: str | list[str], columns: str, values: str,
         column_order: Sequence[Any] | None = None) -> pd.DataFrame:
    """Long (tidy) data as a reader's table: one row per ``rows`` value(s), one column per
    ``columns`` value, cells from ``values``. Row order follows the data; columns follow
    ``column_order`` (default: order of appearance). A duplicate cell raises."""
    keys = [rows] if isinstance(rows, str) else list(rows)
    out = df.pivot(index=keys, columns=columns, values=values)
    order = list(column_order) if column_order is not None else list(dict.fromkeys(df[columns]))
    out = out[order]
    first = df[keys].drop_duplicates()
    out = out.loc[pd.MultiIndex.from_frame(first) if len(keys) > 1 else first[keys[0]]]
    out.columns.name = None
    return out.reset_index()
