"""The chapter-facing API: one :class:`Chapter` per chapter run, with the sector rules built in.

A chapter template reads as prose plus short calls::

    ch = chapter.start(5, sector)
    df = ch.load("tabel_5_4_werkplekleren_sector")
    ch.glue(po=fmt.pct(...))
    ch.table(df, dataset="tabel_5_4_werkplekleren_sector", caption="Tabel 5.4 …", …)
    ch.chart(charts.bars(...), dataset="figuur_5_1_type_studenten", caption="Figuur 5.1 …")

``table`` and ``chart`` take the source line ("Bron: Tabel 5.4 …"), the CSV download and the
sector rules from the dataset's sidecar, so a chapter cannot forget them:

- a dataset with a sector column, in a sector edition: the edition's sector is emphasised (rows
  whose sector column holds it, columns named after it); a table that hides the sector raises;
  a dataset without a value for the sector says so;
- tables lead with the sector: in a sector edition its column comes first after the labels,
  beside the total, and its rows come first in their block (:func:`lib.tables.sector_first_columns`,
  :func:`lib.tables.sector_first_rows`); the full report keeps the source's order;
- a dataset without a sector split: its sidecar's note ("no split by sector") is shown with the
  first output of a section that needs it; later outputs of the section repeat nothing (same
  note) or get a short pointer (another dataset). The section is the template's heading above
  the running code cell (:meth:`Chapter.section`), so no author has to mark it;
- a Loopbaanmonitor dataset (``covers`` in the sidecar: pabo → po, tweedegraads → vo and mbo):
  the mapping is explained once per chapter, later tables refer back to it (once per section).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import pandas as pd
from IPython.display import Markdown

from lib import charts, claims, data, fmt, prose, tables
from lib.data import SECTOR_NAMES

OPENING_KEY = "sector_kerncijfers"  # glue key of the opening box's facts (lib.profile reads it)
LBM_NOTE = ("De Loopbaanmonitor splitst naar lerarenopleiding, niet naar sector: de pabo leidt op "
            "voor het po, de tweedegraads lerarenopleidingen voor vo en mbo samen. Tabellen over "
            "de pabo horen dus bij het po; tabellen over tweedegraads gelden voor vo en mbo samen "
            "en zijn niet naar een van beide te splitsen.")


@dataclass
class Chapter:
    """One run of one chapter for one sector (``alle`` is the full report)."""

    number: int
    sector: str
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _text: dict[str, dict[str, Any]] | None = field(default=None, repr=False)
    _lbm_explained: bool = field(default=False, repr=False)
    guards: int = field(default=0, repr=False)
    # the section a table or chart is in (default: from the running cell, see :meth:`section`)
    where: Callable[[], str | None] | None = field(default=None, repr=False)
    _said: dict[str | None, set[tuple[str, str]]] = field(default_factory=dict, repr=False)
    _cells: list[tuple[str, str]] | None = field(default=None, repr=False)
    _cell_at: int = field(default=0, repr=False)

    # --- data and text numbers ----------------------------------------------------------------

    @property
    def edition(self) -> bool:
        """Is this a sector edition (po, vo or mbo) rather than the full report?"""
        return self.sector != "alle"

    @property
    def highlight(self) -> str | None:
        """The sector to emphasise in tables and charts (None in the full report)."""
        return self.sector if self.edition else None

    @property
    def sector_name(self) -> str:
        return SECTOR_NAMES[self.sector]

    def load(self, name: str) -> pd.DataFrame:
        """A checked dataset (see :func:`lib.data.load`); loaded once per chapter run."""
        if name not in self._frames:
            self._frames[name] = data.load(name)
        return self._frames[name].copy()

    def schema(self, name: str) -> data.Schema:
        """The sidecar of dataset ``name`` (title, source, not_published …)."""
        return data.schema(name)

    @property
    def text(self) -> dict[str, dict[str, Any]]:
        """The numbers the source's running text of this chapter states, by id."""
        if self._text is None:
            rows = self.load(f"tekstcijfers_h{self.number}").to_dict("records")
            self._text = {r["id"]: r for r in rows}
        return self._text

    def value(self, key: str) -> float:
        """A text number's value (``ch.value("status_erkend_pct")`` → 69.0)."""
        return float(self._row(key)["waarde"])

    def stated(self, key: str) -> str:
        """A text number as the source states it: ``ruim 3 jaar``, ``ongeveer 7%``."""
        return prose.stated(self._row(key))

    def _row(self, key: str) -> dict[str, Any]:
        rows = self.text
        if key not in rows:
            raise KeyError(f"tekstcijfers_h{self.number} heeft geen id {key!r}; bekend: "
                           f"{sorted(rows)}")
        return rows[key]

    # --- guards -------------------------------------------------------------------------------

    def holds(self, fragment: str, condition: object, **values: object) -> None:
        """Guard the sentence of this section that contains ``fragment``: the build stops with
        :class:`lib.claims.ClaimError` (chapter, section, the sentence, ``values``) when
        ``condition`` is false. ``fragment`` is a literal string, written as in the Markdown
        (the claim scan checks that it matches a sentence of the same section)."""
        self.guards += 1
        if not bool(condition):
            raise claims.failed(self.number, self.sector, fragment, values)

    # --- glue ---------------------------------------------------------------------------------

    def ref(self, label: str, text: str) -> prose.Markup:
        """A cross-reference to section ``label`` (``h5-2``) of this edition, as MyST markup:
        ``ch.ref("h5-2", "§5.2")`` → {ref}`§5.2 <po-h5-2>` in the po edition. ``text`` is
        escaped; the result may be glued or combined with :func:`lib.prose.compose`."""
        if not re.fullmatch(r"h\d[\w-]*", label):
            raise ValueError(f"label {label!r}: verwacht een hoofdstuklabel zoals 'h5-2'")
        target = label if not self.edition else f"{self.sector}-{label}"
        return prose.Markup(f"{{ref}}`{fmt.md_escape(text)} <{target}>`")

    def glue(self, **values: str) -> None:
        """Glue pre-formatted Dutch strings for ``{glue:md}`key``` in the prose.

        Only strings: a raw number would reach the reader in Python's format (``0.5``). Plain
        strings are escaped; :class:`lib.prose.Markup` (from :meth:`ref` or
        :func:`lib.prose.compose`) is glued as the markup it is.
        """
        for key, text in values.items():
            if not isinstance(text, str):
                raise TypeError(f"glue {key!r}: verwacht een opgemaakte tekst (str), kreeg "
                                f"{type(text).__name__} {text!r}; gebruik lib.fmt")
            prose.put(key, text)

    # --- tables and charts with the sector rules built in --------------------------------------

    def source_line(self, datasets: Sequence[str], derived: bool = False) -> str:
        """``Bron: Tabel 5.4 (§5.6 …).`` from the sidecars; ``Berekend uit …`` for derived."""
        return f"{'Berekend uit' if derived else 'Bron'}: {source_places(datasets, self.load)}."

    def sector_note(self, dataset: str, shown: Iterable[Any] = ()) -> tuple[str, str] | None:
        """What a sector edition must say next to ``dataset``: ``(title, text)``, or None.

        ``shown`` are the values of the dataset's sector column the output contains. This is the
        full note; :meth:`table` and :meth:`chart` show it once per section (see :meth:`_notes`).
        """
        note = self._note(dataset, shown)
        return None if note is None else (note[1], note[2])

    def _note(self, dataset: str, shown: Iterable[Any] = ()) -> tuple[str, str, str] | None:
        """(kind, title, text) of :meth:`sector_note`; kind is ``missing``, ``lbm`` or ``split``."""
        if not self.edition:
            return None
        sch = data.schema(dataset)
        if sch.sector_column is not None:
            if self.sector in set(self.load(dataset)[sch.sector_column]):
                return None
            others = [x for x in data.SECTORS[1:] if x in set(shown)]
            return ("missing", f"Geen cijfer voor het {self.sector}",
                    f"De bron geeft hier geen cijfer voor het {self.sector}"
                    + (f", alleen voor {fmt.join(others)}." if others else "; de cijfers gelden "
                       "voor alle sectoren samen."))
        if sch.sector_covers:
            covers = sch.sector_covers
            group = f"het {covers[0]}" if len(covers) == 1 else f"{fmt.join(covers)} samen"
            place = sch.source["location"].split(" (")[0]
            lead = f"{place} (Loopbaanmonitor) gaat over {group}"
            if self.sector not in covers:
                lead += f", niet over het {self.sector}"
            title = f"Loopbaanmonitor in de editie {self.sector_name}"
            if not self._lbm_explained:
                self._lbm_explained = True
                return "lbm", title, f"{lead}. {LBM_NOTE}"
            return "lbm", title, (f"{lead} (zie de toelichting bij de eerste "
                                  "Loopbaanmonitortabel hierboven).")
        tail = " De cijfers gelden voor alle sectoren samen." if _has_measures(sch) else ""
        return ("split", f"Geen uitsplitsing naar sector ({self.sector_name})",
                f"{sch.sector_note.strip()}{tail}")

    def section(self) -> str | None:
        """The heading of the template section whose code cell is running (None outside a
        notebook run, or when the cell is not found). :attr:`where` overrides it (tests)."""
        if self.where is not None:
            return self.where()
        source = _running_cell()
        if source is None:
            return None
        if self._cells is None:
            template = claims.template_for(self.number)
            self._cells = ([(sec.heading, _code_key(code)) for sec in claims.sections(template)
                            for code in sec.codes] if template else [])
        key = _code_key(source)
        n = len(self._cells)
        # cells run in order: look from the last one found onwards first
        for i in [*range(self._cell_at, n), *range(self._cell_at)]:
            if self._cells[i][1] == key:
                self._cell_at = i
                return self._cells[i][0]
        return None

    def _notes(self, datasets: Sequence[str], shown: Iterable[Any]) -> tuple[str, str] | None:
        """The sector notes of all ``datasets`` behind one output, as one (title, text), once per
        section: a note the section has shown is not repeated, and a "no split" note in a
        section that has already shown another one is cut to its first sentence (a pointer)."""
        shown = list(shown)
        section = self.section()
        # an unknown section (outside a notebook run): every output says its own note
        said = self._said.setdefault(section, set()) if section is not None else set()
        notes = []
        for d in dict.fromkeys(datasets):
            note = self._note(d, shown)
            if note is None:
                continue
            kind, title, text = note
            key = (kind, d if kind == "lbm" else text)
            if key in said:
                continue
            if kind == "split" and any(k == "split" for k, _ in said):
                text = prose.first_sentence(text)
            said.add(key)
            notes.append((title, text))
        if not notes:
            return None
        texts = list(dict.fromkeys(text for _, text in notes))
        return notes[0][0], " ".join(texts)

    def table(self, df: pd.DataFrame, *, dataset: str | Sequence[str], caption: str,
              headers: dict[str, str] | None = None,
              formats: dict[str, Callable[[Any], str]] | None = None,
              numeric: Sequence[str] | None = None, note: str | None = None,
              derived: bool = False, sector_key: str | None = None,
              blank: Sequence[str] = ()) -> tables.TableOutput:
        """A captioned table with source line, CSV download and the sector rules.

        ``dataset``: the data file(s) behind the table (first one decides the sector rules).
        ``sector_key``: the column of ``df`` holding sector codes (default: the dataset's sector
        column, if ``df`` has it). Columns of ``df`` named ``po``/``vo``/``mbo`` count too.
        ``derived``: the table is computed from the data ("Berekend uit …").
        """
        names = [dataset] if isinstance(dataset, str) else list(dataset)
        df = self._sector_first(df, names[0], sector_key, numeric, headers)
        rows, cols, shown = self._emphasis(df, names[0], sector_key)
        extra = [self.source_line(names, derived)]
        if note:
            extra.append(note)
        out = tables.show(
            df, caption=caption, headers=headers, formats=formats, numeric=numeric,
            note=" ".join(extra), emphasise_rows=rows, emphasise_columns=cols, blank=blank,
            dataset=names[0],
        )
        box = self._notes(names, shown)
        if box:
            out = tables.TableOutput(prose.admonition("note", *box).data + "\n" + out.markdown,
                                     f"{box[0]}. {box[1]}\n{out.plain}")
        return out

    def _sector_first(self, df: pd.DataFrame, dataset: str, sector_key: str | None,
                      numeric: Sequence[str] | None,
                      headers: dict[str, str] | None) -> pd.DataFrame:
        """In a sector edition, ``df`` with the sector's rows and column first (beside the
        total); the full report keeps the source's order."""
        sch = data.schema(dataset)
        if not self.edition or sch.sector_column is None:
            return df
        key = sector_key or (sch.sector_column if sch.sector_column in df.columns else None)
        if key is not None:
            df = df.iloc[tables.sector_first_rows(df, key, self.sector)].reset_index(drop=True)
        nums = (list(numeric) if numeric is not None
                else [c for c in df.columns if tables.is_numeric(df[c])])
        return df[tables.sector_first_columns(df.columns, self.sector, numeric=nums,
                                              headers=headers)]

    def _emphasis(self, df: pd.DataFrame, dataset: str,
                  sector_key: str | None) -> tuple[list[int], list[str], list[Any]]:
        """Rows (positions) and columns to emphasise, and the sector values shown."""
        sch = data.schema(dataset)
        key = sector_key or (sch.sector_column if sch.sector_column in df.columns else None)
        shown: list[Any] = list(df[key].unique()) if key else []
        shown += [c for c in df.columns if c in data.SECTORS[1:]]
        if not self.edition or sch.sector_column is None:
            return [], [], shown
        rows = [i for i, v in enumerate(df[key]) if v == self.sector] if key else []
        cols = [c for c in df.columns if c == self.sector]
        present = self.sector in set(self.load(dataset)[sch.sector_column])
        if present and not rows and not cols:
            raise ValueError(
                f"{dataset}: de tabel toont geen sectorkolom of -rij, maar de bron geeft cijfers "
                f"voor het {self.sector}; toon de kolom '{sch.sector_column}' (of geef "
                f"sector_key) zodat de editie het {self.sector} kan benadrukken")
        return rows, cols, shown

    def chart(self, chart: alt.TopLevelMixin, *, dataset: str | Sequence[str], caption: str,
              derived: bool = False, note: str | None = None,
              description: str | None = None) -> charts.ChartOutput:
        """A chart in the house style with source line and the sector rules.

        The text alternative comes from the chart builder (generated from the data); pass
        ``description`` only for a chart made without a builder. In a sector edition, a chart of
        a dataset with a sector column must emphasise the sector (builders: ``highlight=``).
        """
        names = [dataset] if isinstance(dataset, str) else list(dataset)
        source = self.source_line(names, derived) + (f" {note}" if note else "")
        box = self._notes(names, _chart_sectors(chart))
        done = charts.house(chart, caption=caption, source=source, description=description,
                            note=f"{box[0]}. {box[1]}" if box else None, dataset=names[0],
                            datasets=names)
        out = charts.show(done)
        sch = data.schema(names[0])
        if (self.edition and sch.sector_column is not None
                and self.sector in set(self.load(names[0])[sch.sector_column])
                and not _has_emphasis(out.spec)):
            raise ValueError(f"{names[0]}: de grafiek benadrukt het {self.sector} niet; geef "
                             "highlight=ch.highlight aan de grafiekbouwer")
        return out

    # --- edition boxes and errata -----------------------------------------------------------

    def opening(self, facts: Sequence[str]) -> Markdown | None:
        """In a sector edition: the box "Het po in dit hoofdstuk" with the computed key figures
        (``facts``, full sentences). Nothing in the full report."""
        if not self.edition:
            return None
        if not facts:
            facts = ["De bron splitst de cijfers van dit hoofdstuk niet uit naar sector; de "
                     "tabellen en figuren gelden voor alle sectoren samen."]
        body = "\n".join(f"- {fmt.md_escape(f)}" for f in facts)
        prose.put(OPENING_KEY, prose.Markup(body))  # read by the edition's profile page
        return Markdown(f"```{{admonition}} Het {self.sector} in dit hoofdstuk\n"
                        f":class: important\n\n{body}\n\nWaar de bron geen uitsplitsing naar "
                        f"sector publiceert, staat dat bij de eerste tabel of figuur van de "
                        f"paragraaf.\n```\n")

    def errata(self, *ids: str) -> Markdown:
        """The errata ``ids`` (exact ids or prefixes such as ``E-5-``) as a closed box "Verbeterd
        ten opzichte van het rapport uit 2021 (n plaatsen)": call it under the chapter's opening,
        so the chapter ends on what it found (:func:`lib.prose.errata_box`)."""
        return prose.errata_box(tuple(ids))


def source_places(datasets: Sequence[str],
                  load: Callable[[str], pd.DataFrame] = data.load) -> str:
    """Where the rows of ``datasets`` come from: ``Tabel 5.1 (§5.3) (ECBO, 2021)``; places of one
    publication are joined before it, and rows with their own source (``source.rows`` in the
    sidecar) add theirs: ``…(ECBO, 2021); Loopbaanmonitor 2021, tabel 3 (DUO, 2022)``."""
    by_citation: dict[str, list[str]] = {}
    for name in datasets:
        cited = data.row_sources(data.schema(name), load(name))
        for location, citation in dict.fromkeys(cited):
            places = by_citation.setdefault(citation, [])
            if location not in places:
                places.append(location)
    return "; ".join(f"{'; '.join(p)} ({c})" for c, p in by_citation.items())


def start(number: int, sector: str) -> Chapter:
    """The chapter object for chapter ``number`` (0 = samenvatting) in edition ``sector``."""
    data.validate_sector(sector)
    _watch_cells()
    return Chapter(number, sector)


def _running_cell() -> str | None:
    """The source of the notebook cell being run, if this runs in IPython: recorded by a
    ``pre_run_cell`` hook (which also sees cells run without history, as nbval runs them),
    else the last input of the history (the cell that called :func:`start`)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of every chapter run
        return None
    shell = get_ipython()
    if shell is None:
        return None
    cell = getattr(shell, "_sop_running_cell", None)
    if cell is not None:
        return cell
    raw = shell.history_manager.input_hist_raw
    return raw[-1] if raw else None


def _watch_cells() -> None:
    """Record each cell's source before it runs (once per kernel; on the shell, so a warm
    kernel that reloads lib keeps one hook)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "_sop_watching_cells", False):
        return

    def before(info: Any) -> None:
        shell._sop_running_cell = info.raw_cell

    shell.events.register("pre_run_cell", before)
    shell._sop_watching_cells = True


def unwatch_cells(shell: Any) -> None:
    """Remove the hook of :func:`_watch_cells` from ``shell``: before the next notebook in the
    same kernel or shell, so one that never starts a chapter runs no chapter code."""
    for callback in list(shell.events.callbacks.get("pre_run_cell", [])):
        if getattr(callback, "__module__", "") == __name__:
            shell.events.unregister("pre_run_cell", callback)
    shell._sop_watching_cells = False


def _code_key(code: str) -> str:
    """A code cell's text for matching the template against the running cell: without the
    MyST cell options (``:tags: …``) and with whitespace tidied."""
    lines = code.splitlines()
    while lines and (not lines[0].strip() or re.match(r"^:[\w-]+:", lines[0])):
        lines.pop(0)
    return " ".join(" ".join(lines).split())


def _has_measures(sch: data.Schema) -> bool:
    """Does the dataset hold measured values (a decimal column, or a count or share with a unit)?
    A diagram (Figuur 1.1) or a ranking without percentages (Figuur 7.1) has none, so "de cijfers
    gelden voor alle sectoren samen" would not make sense under it."""
    return any(c.type == "number" or (c.type == "integer" and c.unit)
               for c in sch.columns.values())


def _chart_sectors(chart: alt.TopLevelMixin) -> list[str]:
    values = []
    for rows in _chart_rows(chart.to_dict()):
        values += [v for r in rows for v in r.values() if v in data.SECTORS[1:]]
    return sorted(set(values))


def _chart_rows(spec: dict[str, Any]) -> list[list[dict[str, Any]]]:
    found = [list(v) for v in (spec.get("datasets") or {}).values()]
    if isinstance(spec.get("data"), dict) and "values" in spec["data"]:
        found.append(list(spec["data"]["values"]))
    return found


def _has_emphasis(spec: dict[str, Any]) -> bool:
    return any(r.get("nadruk") is True for rows in _chart_rows(spec) for r in rows)
