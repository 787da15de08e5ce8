"""Tables as chapters show them: Dutch-formatted, escaped, captioned with the source's number.

A table leaves the notebook as MyST Markdown (a ``table`` directive with caption), which Jupyter
Book renders as a real table in HTML (``<caption>``) and in LaTeX. Every cell from data is escaped,
so a label such as ``<img onerror=…>`` stays text; only :class:`lib.prose.Markup` (links that lib
built) is kept as markup.

For the PDF, two blocks that HTML ignores go before the table: ``\\soptable{size}{gap}{label}``
(raw LaTeX, see the preamble in ``_config.yml``: type size, column gap, no hyphenation, the
continuation line "Tabel 6.10 (vervolg)") and a ``tabularcolumns`` spec with a width per column,
measured from the text in the PDF's fonts (:func:`pdf_layout`): numbers right-aligned, text
ragged-right, no column narrower than its longest word. Numbers in numeric columns never break:
a minus is the sign "−" (U+2212) and their spaces are non-breaking (``€ 100.000``, ``< 0,001``).
No text from data goes into the raw LaTeX: only the size, the gap and a label such as
``Tabel 6.10`` (the source's number at the start of the caption).
"""

from __future__ import annotations

import html
import numbers
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from lib import fmt, paths
from lib.data import SECTORS
from lib.prose import Markup

WIDE = 6  # more columns than this: smaller type and tighter cells

# --- PDF layout -------------------------------------------------------------------------------
# the text width of the PDF (A4, Sphinx's default margins), in pt
LINEWIDTH_PT = 452.97
# type sizes for tables: LaTeX size, font size and column gap (\tabcolsep) in pt; a table takes
# the first size at which every column is as wide as its longest word (wide tables start at
# the second)
PDF_SIZES = (("small", 9.0, 5.0), ("footnotesize", 8.0, 4.0), ("scriptsize", 7.0, 3.0))
# widths of ASCII 32-126 in thousandths of an em: FreeSerif (cells) and FreeSans (headers), the
# fonts xelatex sets the PDF in (measured there with \settowidth)
_SERIF = (
    250, 333, 400, 500, 500, 833, 778, 200, 333, 333, 500, 564, 250, 333, 250, 296, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 500, 250, 250, 564, 564, 564, 444, 865, 721, 631, 670,
    719, 610, 564, 722, 714, 327, 385, 709, 611, 881, 725, 724, 576, 723, 667, 529, 606, 721,
    701, 947, 714, 701, 613, 333, 296, 333, 469, 500, 200, 435, 500, 444, 499, 444, 373, 467,
    498, 278, 348, 513, 258, 779, 489, 491, 500, 499, 345, 367, 283, 490, 468, 683, 482, 471,
    417, 480, 200, 480, 500,
)
_SANS = (
    278, 333, 400, 556, 556, 889, 667, 250, 333, 333, 389, 584, 278, 333, 250, 278, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 250, 250, 584, 584, 584, 556, 1015, 666, 664, 709,
    698, 633, 599, 765, 721, 278, 528, 674, 563, 846, 730, 784, 656, 784, 709, 667, 632, 720,
    645, 937, 657, 678, 615, 278, 278, 277, 469, 556, 250, 543, 559, 506, 559, 533, 280, 550,
    536, 222, 243, 514, 214, 812, 537, 534, 559, 559, 332, 493, 280, 537, 496, 722, 476, 478,
    486, 333, 250, 333, 500,
)
_OTHER = {"€": 741, "…": 1000, "−": 584, "–": 500, "—": 1000, "‘": 250, "’": 250, "“": 444,
          "”": 444, "„": 444, "\u00a0": 278, "§": 556, "×": 584, "°": 400}
_BOLD = 1.12  # bold is at most this much wider, on average
_MONO = 600  # FreeMono, every character (file names in the catalogue)
# in Markup: a role (its text, before any <target>) or inline code; and escapes
_MARKUP = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<text>[^`<]*?)\s*(?:<[^`]*>)?`|`(?P<code>[^`]*)`")
_UNESCAPE = re.compile(r"\\(.)")
_CODE_ROLES = {"download", "code", "literal", "file", "samp"}
_SOURCE_LABEL = re.compile(r"^(Tabel|Figuur)\s+(\d+(?:\.\d+)*[a-z]?)\s")
_LEADING_MINUS = re.compile(r"^-(?=\d)")
_NUMBER = re.compile(r"[-+−<>≤≥€\s]*\d[\d.,\s]*[%‰*]*")  # a number as a cell shows it


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


def number_cell(text: str) -> str:
    """A number that never breaks over two lines: ``-2,24`` → ``−2,24`` (the minus sign, which
    LaTeX does not break after), ``€ 100.000`` and ``< 0,001`` with a non-breaking space. Other
    text (``n.g.``, words) is returned as it is."""
    if not _NUMBER.fullmatch(text):
        return text
    return _LEADING_MINUS.sub("\u2212", text).replace(" ", "\u00a0")


def _char_width(ch: str, sans: bool, mono: bool) -> int:
    if mono:
        return _MONO
    base = unicodedata.normalize("NFKD", ch)[:1] or ch  # é → e
    table = _SANS if sans else _SERIF
    return table[ord(base) - 32] if 32 <= ord(base) < 127 else _OTHER.get(ch, 600)


Run = tuple[str, bool]  # text and whether it is set in the code font


def _plain(markdown: str) -> str:
    """Escaped Markdown (:func:`lib.fmt.md_escape`) as the reader sees it."""
    return html.unescape(_UNESCAPE.sub(r"\1", markdown))


def runs(cell: Any) -> list[Run]:
    """What a reader sees in a cell, as runs of text and code: a role shows its text
    (``{download}`` as code), inline code its content, escapes their character."""
    if not isinstance(cell, Markup):
        return [(str(cell), False)]
    out: list[Run] = []
    pos = 0
    for m in _MARKUP.finditer(cell):
        out.append((_plain(cell[pos:m.start()]), False))
        if m.group("role") is not None:
            out.append((_plain(m.group("text")), m.group("role") in _CODE_ROLES))
        else:
            out.append((m.group("code"), True))
        pos = m.end()
    out.append((_plain(cell[pos:]), False))
    return [r for r in out if r[0]]


def measure(cell: Sequence[Run], *, sans: bool = False, bold: bool = False) -> tuple[float, float]:
    """(longest piece LaTeX will not break, whole cell on one line), in em of the type size.

    Lines break at spaces (not at a non-breaking one) and after a hyphen in text; never inside
    a word, as tables are not hyphenated (preamble in ``_config.yml``), nor inside a file name.
    """
    longest = piece = total = 0.0
    for text, mono in cell:
        for ch in text:
            w = _char_width(ch, sans, mono) / 1000 * (_BOLD if bold else 1.0)
            total += w
            if ch == " ":
                longest, piece = max(longest, piece), 0.0
                continue
            piece += w
            if ch == "-" and not mono:
                longest, piece = max(longest, piece), 0.0
    return max(longest, piece), total


def _line(size: tuple[str, float, float]) -> float:
    """The line width in em of a type size from :data:`PDF_SIZES`."""
    return LINEWIDTH_PT / size[1]


def _pad(size: tuple[str, float, float]) -> float:
    """A column's gap on both sides, and 1 pt to spare, in em of the type size."""
    return (2 * size[2] + 1) / size[1]


def _fill(mins: Sequence[float], nats: Sequence[float], room: float) -> list[float]:
    """Column widths within ``room``: each at least its ``mins`` and at most its ``nats``, and
    those that cannot have their ``nats`` all as wide as the room allows (one common cap)."""
    def capped(cap: float) -> list[float]:
        return [max(m, min(n, cap)) for m, n in zip(mins, nats, strict=True)]
    if sum(nats) <= room:
        return list(nats)
    lo, hi = 0.0, max(nats)
    for _ in range(50):
        cap = (lo + hi) / 2
        lo, hi = (cap, hi) if sum(capped(cap)) <= room else (lo, cap)
    return capped(lo)


def pdf_layout(header: Sequence[tuple[list[Run], bool]],
               columns: Sequence[Sequence[tuple[list[Run], bool]]],
               numeric: Sequence[bool], wide: bool) -> tuple[str, float, str]:
    """Type size, column gap (pt) and ``tabularcolumns`` spec for a table in the PDF.

    ``header`` holds per column its runs (:func:`runs`) and whether it is bold, ``columns`` the
    body cells per column likewise. A column is at least as wide as its longest word (a number
    is one word: :func:`number_cell`). A table that fits with one line per cell keeps its
    natural width. Otherwise the body cells come first: columns whose cells fit on one line
    get that width, the others (which wrap) share the rest of the line equally, as far as their
    longest words allow; what is left then goes to headers, which may wrap between words.
    Numeric columns are right-aligned (``\\sopR``), the others ragged-right (``\\sopL``);
    both are defined in the preamble.
    """
    mins, bodies, nats = [], [], []  # longest word; cells on one line; and the header too
    for (head, head_bold), cells in zip(header, columns, strict=True):
        head_lo, head_hi = measure(head, sans=True, bold=head_bold)
        sizes = [measure(cell, bold=bold) for cell, bold in cells]
        mins.append(max(1.0, head_lo, *(lo for lo, _ in sizes)))
        bodies.append(max(mins[-1], *(hi for _, hi in sizes)))
        nats.append(max(bodies[-1], head_hi))
    sizes = PDF_SIZES[1:] if wide else PDF_SIZES
    # the first size at which the longest words fit (else the smallest)
    size = next((s for s in sizes if sum(mins) + _pad(s) * len(mins) <= _line(s)), sizes[-1])
    line, pad = _line(size), _pad(size)
    room = line - pad * len(mins)
    # the cells first (a header may wrap between its words), then what is left for the headers
    widths = _fill(_fill(mins, bodies, room), nats, room)
    scale = min(1.0, line / (sum(widths) + pad * len(widths)))  # never wider than the line
    fractions = [int((w + pad) * scale / line * 10000) / 10000 for w in widths]
    spec = "".join((r"\sopR" if is_num else r"\sopL") + f"{{{f:.4f}}}"
                   for f, is_num in zip(fractions, numeric, strict=True))
    return size[0], size[2], spec


def is_numeric(col: pd.Series) -> bool:
    """Numbers only (missing cells aside), also in an object column (after a pivot)."""
    if pd.api.types.is_bool_dtype(col):
        return False
    if pd.api.types.is_numeric_dtype(col):
        return True
    values = [v for v in col if not fmt.is_missing(v)]
    return bool(values) and all(isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_)
                                for v in values)


# what a total is called in a sector column (rows) or as a column name or header (columns)
TOTALS = frozenset({"totaal", "alle", "alle sectoren"})


def _is_total(name: Any) -> bool:
    return str(name).strip().lower() in TOTALS


def sector_first_columns(columns: Sequence[Any], sector: str, *, numeric: Sequence[Any],
                         headers: dict[Any, str] | None = None) -> list[Any]:
    """The column order of a sector edition: the label columns (those before the first number,
    sector (po, vo, mbo) or total column; at least one), then the edition's ``sector``, then
    the total (``Totaal``), then the other columns in the source's order. Without a column named
    ``sector`` the order stays as it is."""
    cols = list(columns)
    if sector not in cols:
        return cols
    headers = headers or {}

    def total(c: Any) -> bool:
        return _is_total(c) or _is_total(headers.get(c, ""))

    def data_column(c: Any) -> bool:
        return c in numeric or c in SECTORS[1:] or total(c)

    n = max(1, next((i for i, c in enumerate(cols) if data_column(c)), len(cols)))
    lead = [sector, *[c for c in cols if total(c) and c != sector][:1]]
    return cols[:n] + lead + [c for c in cols[n:] if c not in lead]


def sector_first_rows(df: pd.DataFrame, key: Any, sector: str) -> list[int]:
    """Row positions in the order of a sector edition: within each block of rows that share the
    columns left of ``key`` (the sector column; one block when it comes first), the rows of
    ``sector`` first, then the total's (``totaal``), then the others in the source's order; a
    block without the sector keeps its order."""
    cols = list(df.columns)
    left = cols[:cols.index(key)]
    blocks: list[list[int]] = []
    previous: Any = object()
    for i, row in enumerate(df[left].itertuples(index=False, name=None) if left
                            else [()] * len(df)):
        if not blocks or row != previous:
            blocks.append([])
        blocks[-1].append(i)
        previous = row
    values = list(df[key])

    def rank(i: int) -> int:
        return 0 if values[i] == sector else 1 if _is_total(values[i]) else 2
    return [i for block in blocks
            for i in (sorted(block, key=rank) if any(rank(j) == 0 for j in block) else block)]


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
    numeric = list(numeric) if numeric is not None else [c for c in cols if is_numeric(df[c])]
    head = [fmt.md_escape(headers.get(c, c)) for c in cols]
    head = [f"**{h}**" if c in emphasise_columns else h for c, h in zip(cols, head, strict=True)]
    align = ["---:" if c in numeric else ":---" for c in cols]
    rows = []
    shown: list[list[tuple[list[Run], bool]]] = [[] for _ in cols]  # per column, for the PDF
    for i, (_, r) in enumerate(df.iterrows()):
        texts = [r[c] if isinstance(r[c], Markup) else
                 _cell(r[c], formats.get(c), "" if c in blank else fmt.NOT_PUBLISHED)
                 for c in cols]
        texts = [number_cell(t) if c in numeric and not isinstance(t, Markup) else t
                 for c, t in zip(cols, texts, strict=True)]
        bold = [(i in emphasise_rows or c in emphasise_columns) and bool(t)
                for c, t in zip(cols, texts, strict=True)]
        for j, (t, b) in enumerate(zip(texts, bold, strict=True)):
            shown[j].append((runs(t), b))
        cells = [t if isinstance(t, Markup) else fmt.md_escape(t) for t in texts]
        rows.append([f"**{v}**" if b else v for v, b in zip(cells, bold, strict=True)])
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    body = "\n".join(lines)
    # a table with many columns gets a denser layout (book/_static/sop.css; in the PDF: smaller)
    wide_table = len(cols) > WIDE
    classes = "sop-table sop-table-wide" if wide_table else "sop-table"
    size, gap, spec = pdf_layout(
        [(runs(headers.get(c, c)), c in emphasise_columns) for c in cols], shown,
        [c in numeric for c in cols], wide_table)
    source = _SOURCE_LABEL.match(caption)  # "Tabel 6.10": what a continued table repeats
    label = f"{source.group(1)}~{source.group(2)}" if source else ""
    md = (f"```{{raw}} latex\n\\soptable{{{size}}}{{{gap:g}pt}}{{{label}}}\n```\n\n"
          f"```{{tabularcolumns}} {spec}\n```\n\n"
          f"```{{table}} {fmt.md_escape(caption)}\n:class: {classes}\n\n{body}\n```\n")
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
