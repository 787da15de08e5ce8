"""Releases of the living report and the page "Wat is er veranderd".

A release is a snapshot of what the book publishes, written once to ``releases/<version>.json``
and committed: per dataset the sha256 of its CSV, its columns, primary key and rows; per edition
notebook (``book/editions/<sector>/<chapter>.ipynb``) the values it glued into its text; the
errata. :func:`compare` sets two snapshots side by side, :func:`page` writes the Dutch MyST page
that reports the changes, :func:`report` does both for the book as it is now.

``python -m lib.release cut 1.0 [--date 2026-11-30]`` · ``python -m lib.release diff`` ·
``python -m lib.release latest`` · ``python -m lib.release page [--out FILE]``

Versions are numbers with dots, compared as numbers (``1.10`` comes after ``1.9``). A snapshot is
deterministic: the same book gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import numbers
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any

from packaging.version import Version

from lib import data, fmt, paths, profile
from lib.catalogue import natural_key
from lib.data import SECTORS

FORMAT = 1
"""Version of the snapshot layout (raise it when the layout changes)."""
SKIPPED_GLUE = frozenset({"sector_kerncijfers"})
"""Glued keys left out of a snapshot: the opening box (``lib.chapter.OPENING_KEY``) repeats facts
whose numbers are glued separately, as a multi-line list."""
ERRATA = "errata"
PAGE_TITLE = "Wat is er veranderd"
_VERSION = re.compile(r"\d+(?:\.\d+)*")
_ROLE = re.compile(r"\{[\w:-]+\}`([^`<]*?)\s*(?:<[^`]*>)?`")
_CODE_SAFE = re.compile(r"[\w.-]+")

Value = str | int | float | None


class ReleaseError(ValueError):
    """A release cannot be cut or read; the message says why and what to do."""


# --- versions and files ------------------------------------------------------------------------


def releases_dir() -> Path:
    """Where the release snapshots live (committed)."""
    return paths.project_root() / "releases"


def version_order(version: str) -> Version:
    """Sort key of a version (``packaging``): 1.10 after 1.9; trailing zeros do not count (1 =
    1.0). Only numbers with dots are accepted (no "1.0rc1")."""
    if not _VERSION.fullmatch(version):
        raise ReleaseError(f"versie {version!r} is ongeldig; gebruik getallen met punten, "
                           "bijvoorbeeld 1.0 of 1.10")
    return Version(version)


def release_path(version: str) -> Path:
    """The snapshot file of ``version``."""
    version_order(version)
    return releases_dir() / f"{version}.json"


def _read(path: Path) -> dict[str, Any]:
    try:
        snap = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ReleaseError(f"{data.rel(path)}: geen leesbare release ({exc})") from exc
    if not isinstance(snap, dict) or snap.get("format") != FORMAT:
        raise ReleaseError(f"{data.rel(path)}: onbekend formaat (verwacht 'format': {FORMAT})")
    return snap


def releases() -> list[tuple[str, str]]:
    """Every release as (version, date), oldest version first."""
    if not releases_dir().is_dir():
        return []
    found = [(p.stem, str(_read(p).get("date", "")))
             for p in releases_dir().glob("*.json") if _VERSION.fullmatch(p.stem)]
    return sorted(found, key=lambda r: (version_order(r[0]), r[0]))


def load_release(version: str) -> dict[str, Any]:
    """The snapshot of release ``version``."""
    path = release_path(version)
    if not path.exists():
        known = ", ".join(v for v, _ in releases()) or "(nog geen)"
        raise ReleaseError(f"versie {version} bestaat niet; uitgebracht: {known}")
    return _read(path)


def latest() -> dict[str, Any] | None:
    """The snapshot of the highest version, or None before the first release."""
    found = releases()
    return load_release(found[-1][0]) if found else None


# --- the snapshot ------------------------------------------------------------------------------


def _jsonable(value: Any) -> Value:
    """A cell as JSON keeps it: None for empty, int for whole numbers, else float or str."""
    if fmt.is_missing(value):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        f = float(value)
        return int(f) if f.is_integer() else f
    return str(value)


def row_key(record: dict[str, Value], primary_key: list[str] | tuple[str, ...]) -> str:
    """A row's identity: its primary key values joined with ``|`` (``"2020|ja"``)."""
    return "|".join("" if record[k] is None else str(record[k]) for k in primary_key)


def dataset_snapshot(name: str) -> dict[str, Any]:
    """sha256, title, columns, primary key and rows (by key) of one dataset, schema-checked."""
    sch, df = data.read_raw(name)
    if name == ERRATA:  # the register as the book prints it: placeholders filled from the data
        from lib import errata

        shown = errata.rendered_register().set_index("id")
        for col in errata.TEXT_COLUMNS:
            df[col] = df["id"].map(shown[col])
    rows: dict[str, dict[str, Value]] = {}
    for raw in df.to_dict("records"):
        record = {c: _jsonable(raw[c]) for c in sch.columns}
        rows[row_key(record, sch.primary_key)] = record
    return {
        "sha256": hashlib.sha256(sch.csv_path.read_bytes()).hexdigest(),
        "title": " ".join(sch.title.split()),
        "columns": list(sch.columns),
        "primary_key": list(sch.primary_key),
        "rows": rows,
    }


def glued_values(notebook: Path) -> dict[str, str]:
    """Every ``{key: Markdown}`` a notebook glued, without :data:`SKIPPED_GLUE`."""
    return {k: v for k, v in profile.glued_all(notebook).items() if k not in SKIPPED_GLUE}


def chapter_title(notebook: Path) -> str:
    """A notebook's chapter title without the edition suffix (empty if it has none)."""
    try:
        return profile.title(notebook)
    except ValueError:
        return ""


def edition_notebooks() -> list[tuple[str, str, Path]]:
    """(sector, chapter, path) of every edition notebook (hidden files left out)."""
    return [(p.parent.name, p.stem, p) for p in sorted(paths.editions_dir().glob("*/*.ipynb"))
            if p.parent.name in SECTORS and not p.name.startswith(".")]


def _sorted(obj: Any) -> Any:
    """``obj`` with every mapping's keys in sorted order (lists keep their order)."""
    if isinstance(obj, dict):
        return {k: _sorted(obj[k]) for k in sorted(obj)}
    if isinstance(obj, list):
        return [_sorted(v) for v in obj]
    return obj


def snapshot(version: str, date: str) -> dict[str, Any]:
    """What the book publishes now: datasets, glued values per edition, chapter titles, errata."""
    datasets = {name: dataset_snapshot(name) for name in data.dataset_names()}
    editions: dict[str, dict[str, dict[str, str]]] = {}
    chapters: dict[str, str] = {}
    for sector, chapter, path in edition_notebooks():
        editions.setdefault(sector, {})[chapter] = glued_values(path)
        chapters[chapter] = chapters.get(chapter) or chapter_title(path)
    errata = {rid: {"locatie": row.get("locatie"), "bevinding": row.get("bevinding")}
              for rid, row in datasets.get(ERRATA, {}).get("rows", {}).items()}
    return _sorted({"format": FORMAT, "version": version, "date": date, "datasets": datasets,
                    "editions": editions, "chapters": chapters, "errata": errata})


def dumps(snap: dict[str, Any]) -> str:
    """A snapshot as its file holds it: pretty, sorted, UTF-8 text with a final newline."""
    return json.dumps(snap, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def content(snap: dict[str, Any]) -> dict[str, Any]:
    """A snapshot without its version and date: what two snapshots must share to be equal."""
    return {k: v for k, v in snap.items() if k not in ("version", "date")}


# --- cutting a release -------------------------------------------------------------------------


def _check_date(date: str) -> str:
    try:
        Date.fromisoformat(date)
    except ValueError:
        raise ReleaseError(f"datum {date!r} is ongeldig; gebruik JJJJ-MM-DD, bijvoorbeeld "
                           "2026-11-30") from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise ReleaseError(f"datum {date!r} is ongeldig; gebruik JJJJ-MM-DD")
    return date


def not_ready() -> list[str]:
    """Why the book cannot be released as it is: invalid data, editions not rebuilt."""
    from lib import editions  # local import: only a cut needs the editions' input keys

    problems = [f"gegevens: {e}" for e in data.validate_all()]
    problems += [f"editie {job.sector}/{job.chapter} is niet bijgewerkt"
                 for job in editions.stale()]
    problems += [f"{data.rel(p)} is niet bijgewerkt" for p in editions.stale_index_pages()]
    return problems


def cut(version: str, date: str | None = None, *, check: bool = True) -> Path:
    """Write the snapshot of the book as release ``version`` (date: today if not given).

    Refuses a version that exists or is not higher than the latest, a date before the latest
    release's, and (``check``) a book whose data are invalid or whose editions are stale.
    """
    order = version_order(version)
    date = _check_date(date or Date.today().isoformat())
    target = release_path(version)
    if target.exists():
        raise ReleaseError(f"versie {version} bestaat al ({data.rel(target)}); een release "
                           "verandert niet meer: kies een hogere versie")
    found = releases()
    if found:
        last, last_date = found[-1]
        if order <= version_order(last):
            raise ReleaseError(f"versie {version} is niet hoger dan de laatste release "
                               f"{last}; kies een hogere versie")
        if last_date and date < last_date:
            raise ReleaseError(f"datum {date} ligt vóór die van de laatste release {last} "
                               f"({last_date})")
    if check:
        problems = not_ready()
        if problems:
            raise ReleaseError("het boek is niet klaar voor een release; draai eerst "
                               "'make editions' (of python -m lib.editions) en los op:\n- "
                               + "\n- ".join(problems))
    text = dumps(snapshot(version, date))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return target


# --- comparing two snapshots -------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One changed cell: column, old value, new value."""
    column: str
    old: Value
    new: Value


@dataclass(frozen=True)
class RowChange:
    """A row present in both snapshots whose cells differ (``record``: the new row)."""
    key: str
    record: dict[str, Value]
    cells: tuple[Cell, ...]


@dataclass
class DatasetChange:
    """What changed inside one dataset that both snapshots hold."""
    name: str
    title: str
    primary_key: tuple[str, ...]
    columns: tuple[str, ...] = ()
    """The new snapshot's columns, in the file's order (a snapshot's records are sorted)."""
    added: list[tuple[str, dict[str, Value]]] = field(default_factory=list)
    removed: list[tuple[str, dict[str, Value]]] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    reformatted: bool = False
    """The file's bytes changed but not its values (layout, row order)."""

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.columns_added
                    or self.columns_removed)


@dataclass(frozen=True)
class TextChange:
    """A glued value of one edition: ``old`` None = new key, ``new`` None = key gone."""
    sector: str
    chapter: str
    key: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Erratum:
    id: str
    locatie: str
    bevinding: str


@dataclass
class Changes:
    """Everything that differs between an older snapshot and a newer one."""
    old_version: str
    old_date: str
    datasets_added: list[tuple[str, str, int]] = field(default_factory=list)
    """(name, title, number of rows)"""
    datasets_removed: list[tuple[str, str, int]] = field(default_factory=list)
    datasets: list[DatasetChange] = field(default_factory=list)
    texts: list[TextChange] = field(default_factory=list)
    editions_added: list[tuple[str, str]] = field(default_factory=list)
    editions_removed: list[tuple[str, str]] = field(default_factory=list)
    errata_added: list[Erratum] = field(default_factory=list)
    errata_resolved: list[Erratum] = field(default_factory=list)
    chapters: dict[str, str] = field(default_factory=dict)
    """Chapter titles by id (both snapshots), for labels."""

    @property
    def reformatted(self) -> list[str]:
        return [d.name for d in self.datasets if d.reformatted]

    @property
    def empty(self) -> bool:
        """Nothing a reader would see changed (a reformatted file alone does not count)."""
        return not (self.datasets_added or self.datasets_removed
                    or any(not d.empty for d in self.datasets) or self.texts
                    or self.editions_added or self.editions_removed or self.errata_added
                    or self.errata_resolved)


def _same(a: Value, b: Value) -> bool:
    """Equal values: 58 and 58.0 are the same number, 58 and "58" are not the same value."""
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def _natural(keys: Any) -> list[str]:
    return sorted(keys, key=natural_key)


def compare_dataset(name: str, old: dict[str, Any], new: dict[str, Any]) -> DatasetChange:
    """Rows added, removed and changed (cell by cell) between two snapshots of one dataset."""
    common = [c for c in new["columns"] if c in old["columns"]]
    change = DatasetChange(
        name=name, title=new.get("title", name), primary_key=tuple(new["primary_key"]),
        columns=tuple(new["columns"]),
        columns_added=[c for c in new["columns"] if c not in old["columns"]],
        columns_removed=[c for c in old["columns"] if c not in new["columns"]],
    )
    old_rows, new_rows = old["rows"], new["rows"]
    change.added = [(k, new_rows[k]) for k in _natural(new_rows.keys() - old_rows.keys())]
    change.removed = [(k, old_rows[k]) for k in _natural(old_rows.keys() - new_rows.keys())]
    for k in _natural(new_rows.keys() & old_rows.keys()):
        cells = tuple(Cell(c, old_rows[k].get(c), new_rows[k].get(c)) for c in common
                      if not _same(old_rows[k].get(c), new_rows[k].get(c)))
        if cells:
            change.changed.append(RowChange(k, new_rows[k], cells))
    change.reformatted = change.empty and old.get("sha256") != new.get("sha256")
    return change


def _sector_order(sector: str) -> tuple[int, str]:
    return (SECTORS.index(sector) if sector in SECTORS else len(SECTORS), sector)


def _editions(snap: dict[str, Any]) -> dict[tuple[str, str], dict[str, str]]:
    return {(s, c): glued for s, chapters in snap.get("editions", {}).items()
            for c, glued in chapters.items()}


def _edition_order(pair: tuple[str, str]) -> tuple[Any, ...]:
    return (natural_key(pair[1]), _sector_order(pair[0]))


def compare(old: dict[str, Any], new: dict[str, Any]) -> Changes:
    """The changes from snapshot ``old`` (a release) to snapshot ``new``."""
    changes = Changes(old_version=str(old.get("version", "")), old_date=str(old.get("date", "")),
                      chapters={**old.get("chapters", {}), **new.get("chapters", {})})
    old_ds, new_ds = old["datasets"], new["datasets"]
    changes.datasets_added = [(n, new_ds[n].get("title", n), len(new_ds[n]["rows"]))
                              for n in _natural(new_ds.keys() - old_ds.keys())]
    changes.datasets_removed = [(n, old_ds[n].get("title", n), len(old_ds[n]["rows"]))
                                for n in _natural(old_ds.keys() - new_ds.keys())]
    for name in _natural(old_ds.keys() & new_ds.keys()):
        change = compare_dataset(name, old_ds[name], new_ds[name])
        if not change.empty or change.reformatted:
            changes.datasets.append(change)
    old_ed, new_ed = _editions(old), _editions(new)
    changes.editions_added = sorted(new_ed.keys() - old_ed.keys(), key=_edition_order)
    changes.editions_removed = sorted(old_ed.keys() - new_ed.keys(), key=_edition_order)
    for sector, chapter in sorted(old_ed.keys() & new_ed.keys(), key=_edition_order):
        before, after = old_ed[sector, chapter], new_ed[sector, chapter]
        for key in sorted(before.keys() | after.keys()):
            if before.get(key) != after.get(key):
                changes.texts.append(TextChange(sector, chapter, key, before.get(key),
                                                after.get(key)))
    old_err, new_err = old.get("errata", {}), new.get("errata", {})
    changes.errata_added = [_erratum(i, new_err[i]) for i in _natural(new_err.keys()
                                                                      - old_err.keys())]
    changes.errata_resolved = [_erratum(i, old_err[i]) for i in _natural(old_err.keys()
                                                                         - new_err.keys())]
    return changes


def _erratum(rid: str, row: dict[str, Any]) -> Erratum:
    return Erratum(rid, str(row.get("locatie") or ""), str(row.get("bevinding") or ""))


# --- the page ----------------------------------------------------------------------------------


def dutch_date(date: str) -> str:
    """``2026-11-30`` → ``30 november 2026`` (:func:`lib.fmt.date`; other text: escaped as it
    is)."""
    try:
        return fmt.date(date)
    except ValueError:
        return fmt.md_escape(date)


def _decimals(x: float) -> int:
    exponent = fmt.round_half_up(x, 9).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def value_text(column: str, value: Value, record: dict[str, Value] | None = None) -> str:
    """One cell for the page, escaped: ``58``, ``3,5``, ``1.108``, a year as ``2020``, text as
    it is, an empty cell as ``leeg``."""
    if value is None:
        return "leeg"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        year = column == "jaar" or (column == "waarde" and (record or {}).get("eenheid") == "jaar"
                                    and float(value).is_integer() and abs(value) >= 1000)
        if year and float(value).is_integer():
            return str(int(value))
        return fmt.number(value, 0 if isinstance(value, int) else _decimals(value))
    return fmt.md_escape(value)


def dataset_label(name: str, title: str) -> str:
    """``tabel_5_1_x`` → ``**Tabel 5.1** (tabel_5_1_x)``; otherwise the title and the name."""
    label = profile.source_number(name) or title or name
    return f"**{fmt.md_escape(label)}** ({fmt.md_escape(name)})"


def chapter_label(chapter: str, titles: dict[str, str]) -> str:
    """``05-huidige-praktijk`` → ``Hoofdstuk 5``; otherwise the chapter's title (escaped)."""
    m = re.match(r"(\d+)-", chapter)
    if m and int(m.group(1)) > 0:
        return f"Hoofdstuk {int(m.group(1))}"
    return fmt.md_escape(titles.get(chapter) or chapter)


def edition_label(sectors: list[str]) -> str:
    """``["alle", "po", "vo"]`` → ``het rapport en de edities po en vo``."""
    parts = ["het rapport"] if "alle" in sectors else []
    others = [fmt.md_escape(s) for s in sectors if s != "alle"]
    if len(others) == 1:
        parts.append(f"{'de ' if parts else ''}editie {others[0]}")
    elif others:
        parts.append(f"{'de ' if parts else ''}edities {fmt.join(others)}")
    return " en ".join(parts)


def plain(markdown: str) -> str:
    """Glued Markdown as plain text (roles to their text, escapes and entities undone)."""
    text = _ROLE.sub(r"\1", markdown)
    text = re.sub(r"\\(.)", r"\1", text)
    return " ".join(html.unescape(text).split())


def _glued_text(markdown: str | None) -> str:
    if markdown is None:
        return "leeg"
    return fmt.md_escape(plain(markdown)) or "leeg"


def _key_text(key: str) -> str:
    return f"`{key}`" if _CODE_SAFE.fullmatch(key) else fmt.md_escape(key)


def _row_text(primary_key: tuple[str, ...], record: dict[str, Value]) -> str:
    return ", ".join(f"{fmt.md_escape(c)} {value_text(c, record.get(c), record)}"
                     for c in primary_key)


def _rest_text(change: DatasetChange, record: dict[str, Value]) -> str:
    order = [c for c in change.columns if c in record] + [c for c in record
                                                          if c not in change.columns]
    rest = [c for c in order if c not in change.primary_key]
    return ", ".join(f"{fmt.md_escape(c)} {value_text(c, record[c], record)}" for c in rest)


def _count(n: int, one: str, many: str) -> str:
    return f"{fmt.number(n)} {one if n == 1 else many}"


def _row_source_text(name: str, record: dict[str, Value]) -> str:
    """`` (bron: Loopbaanmonitor 2021, tabel 3; DUO, 2022)`` for a row with a source of its own
    (``source.rows`` in the sidecar); nothing for a row from the dataset's own source."""
    try:
        sch = data.schema(name)
    except data.DataError:  # a dataset removed since: its rows have no sidecar any more
        return ""
    for entry in sch.row_sources:
        if all(str(record.get(c)) == str(v) for c, v in entry["where"].items()):
            return (f" (bron: {fmt.md_escape(entry['location'])}; "
                    f"{fmt.md_escape(entry['citation'])})")
    return ""


def dataset_lines(change: DatasetChange) -> list[str]:
    """The list items of one dataset: rows added, removed, changed (cell by cell)."""
    pk, lines = change.primary_key, []
    lines += [f"kolom {fmt.md_escape(c)} toegevoegd" for c in change.columns_added]
    lines += [f"kolom {fmt.md_escape(c)} vervallen" for c in change.columns_removed]
    if change.name != ERRATA:  # errata added or resolved: in their own section
        lines += [f"rij {_row_text(pk, r)} toegevoegd: {_rest_text(change, r)}"
                  f"{_row_source_text(change.name, r)}" for _, r in change.added]
        lines += [f"rij {_row_text(pk, r)} vervallen (was: {_rest_text(change, r)})"
                  for _, r in change.removed]
    for row in change.changed:
        for cell in row.cells:
            old = value_text(cell.column, cell.old, row.record)
            new = value_text(cell.column, cell.new, row.record)
            lines.append(f"gewijzigd: {_row_text(pk, row.record)}, kolom "
                         f"{fmt.md_escape(cell.column)}: {old} → {new}")
    return lines


def _data_section(changes: Changes) -> list[str]:
    out = []
    for name, title, n in changes.datasets_added:
        out.append(f"- Nieuw: {dataset_label(name, title)}, {_count(n, 'rij', 'rijen')}.")
    for name, title, n in changes.datasets_removed:
        out.append(f"- Vervallen: {dataset_label(name, title)} (had {_count(n, 'rij', 'rijen')}).")
    for change in changes.datasets:
        lines = dataset_lines(change)
        if lines:
            out.append(f"- {dataset_label(change.name, change.title)}:")
            out += [f"  - {line}" for line in lines]
    return out


def _text_section(changes: Changes) -> list[str]:
    groups: dict[tuple[str, str, str | None, str | None], list[str]] = {}
    for t in changes.texts:
        groups.setdefault((t.chapter, t.key, t.old, t.new), []).append(t.sector)
    out = []
    for (chapter, key, old, new), sectors in sorted(
            groups.items(), key=lambda g: (natural_key(g[0][0]), g[0][1])):
        where = f"{chapter_label(chapter, changes.chapters)}, {edition_label(sectors)}"
        if old is None:
            what = f"nieuw {_key_text(key)}: {_glued_text(new)}"
        elif new is None:
            what = f"{_key_text(key)} vervallen (was: {_glued_text(old)})"
        else:
            what = f"{_key_text(key)} {_glued_text(old)} → {_glued_text(new)}"
        out.append(f"- {where}: {what}")
    for pairs, verb in ((changes.editions_added, "nieuw"), (changes.editions_removed,
                                                            "vervallen")):
        for sector, chapter in pairs:
            out.append(f"- {chapter_label(chapter, changes.chapters)}, "
                       f"{edition_label([sector])}: {verb}")
    return out


def _errata_section(changes: Changes) -> list[str]:
    def line(e: Erratum) -> str:
        return f"{fmt.md_escape(e.id)} ({fmt.md_escape(e.locatie)}): {fmt.md_escape(e.bevinding)}"

    return ([f"- Nieuw: {line(e)}" for e in changes.errata_added]
            + [f"- Opgelost (niet meer in het register): {line(e)}"
               for e in changes.errata_resolved])


def _versions_section(found: list[tuple[str, str]], current: str | None) -> list[str]:
    if not found:
        return ["Er is nog geen versie uitgebracht."]
    return [f"- Versie {fmt.md_escape(v)}, {dutch_date(d)}"
            + (" (deze versie)" if v == current else "")
            for v, d in reversed(found)]


ERRATA_PAGE = "editions/alle/bijlage-errata.ipynb"  # appendix B, relative to the change page


def _source_section(errata: dict[str, dict[str, Any]]) -> list[str]:
    """What this edition corrects against the 2021 report: the errata register by chapter, each
    entry by its place in the source and linked to appendix B (where its text is explained)."""
    if not errata:
        return []
    by_chapter: dict[int, list[str]] = {}
    for rid in sorted(errata, key=natural_key):
        parts = rid.split("-")
        chapter = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else -1
        where = fmt.md_escape(str(errata[rid].get("locatie", "")))
        by_chapter.setdefault(chapter, []).append(
            f"[{fmt.md_escape(rid)}]({ERRATA_PAGE}) ({where})" if where else
            f"[{fmt.md_escape(rid)}]({ERRATA_PAGE})")
    n = len(errata)
    out = ["", "## Verbeterd ten opzichte van het rapport uit 2021", "",
           "Dit rapport neemt de cijfers over uit het rapport van het ECBO uit 2021. Waar dat "
           "rapport niet met zichzelf klopt (een tekst die iets anders zegt dan de tabel ernaast, "
           "of cijfers die niet optellen tot het totaal dat het zelf geeft), zegt dit rapport dat "
           "en legt het uit met welk cijfer het verder werkt. Dat gebeurt op "
           f"{_count(n, 'plaats', 'plaatsen')}; wat er per plaats niet klopt en hoe dit rapport "
           f"ermee omgaat, staat in [bijlage B]({ERRATA_PAGE}).", ""]
    for chapter in sorted(by_chapter):
        name = ("Samenvatting" if chapter == 0 else f"Hoofdstuk {chapter}" if chapter > 0
                else "Overig")
        out.append(f"- **{name}**: " + "; ".join(by_chapter[chapter]) + ".")
    return out


def page(changes: Changes | None, current_version: str | None,
         releases: list[tuple[str, str]], errata: dict[str, dict[str, Any]] | None = None) -> str:
    """The MyST Markdown of "Wat is er veranderd": this version against the release ``changes``
    was computed from (None: nothing to compare with yet), then every release with its date.
    ``current_version`` None: the book is not (yet) a release. ``errata`` (the register, as in a
    snapshot): a section on what this edition corrects against the 2021 report."""
    dates = dict(releases)
    if current_version:
        this = f"versie {fmt.md_escape(current_version)}"
        if dates.get(current_version):
            this += f" van {dutch_date(dates[current_version])}"
    else:
        this = "de huidige stand van het rapport (nog niet als versie uitgebracht)"
    out = [f"# {PAGE_TITLE}", ""]
    if changes is None:
        if current_version:
            out.append(f"Dit is de eerste versie van dit levend rapport ({this}): er is nog "
                       "niets om mee te vergelijken.")
        else:
            out.append(f"Er is nog geen versie van dit levend rapport uitgebracht; dit is "
                       f"{this}, en er is nog niets om mee te vergelijken.")
        out.append("")
        out.append("Vanaf de volgende versie staat hier wat er sinds de vorige versie is "
                   "veranderd: in de gegevens, in de cijfers in de tekst en in de errata.")
    else:
        since = (f"versie {fmt.md_escape(changes.old_version)} van "
                 f"{dutch_date(changes.old_date)}")
        out += _changes_body(changes, this, since)
    out += _source_section(errata or {})
    out += ["", "## Uitgebrachte versies", "", *_versions_section(releases, current_version)]
    return "\n".join(out) + "\n"


def _changes_body(changes: Changes, this: str, since: str) -> list[str]:
    note = []
    if changes.reformatted:
        note = ["", "Anders opgemaakt of geordend, met dezelfde waarden: "
                + ", ".join(fmt.md_escape(n) for n in changes.reformatted) + "."]
    if changes.empty:
        return [f"Ten opzichte van {since} is er niets veranderd: niet in de gegevens, niet in "
                "de cijfers in de tekst en niet in de errata.", *note]
    out = [f"Deze pagina zet {this} naast {since}. Ze wordt bij elke bouw berekend uit de "
           "gegevens en de edities; niets erop is met de hand geschreven.", *note]
    for title, lines in (("Gegevens", _data_section(changes)),
                         ("Cijfers in de tekst", _text_section(changes)),
                         ("Errata", _errata_section(changes))):
        out += ["", f"## {title}", ""]
        out += lines or ["Niets veranderd."]
    return out


# --- the book as it is now ---------------------------------------------------------------------


def status(now: dict[str, Any] | None = None) -> tuple[str | None, dict[str, Any] | None]:
    """(the release the book is exactly, or None; the release to compare it with, or None).

    At a release, the page shows what that release changed against the one before it; between
    releases, what changed since the latest.
    """
    now = now if now is not None else snapshot("", "")
    found = releases()
    if not found:
        return None, None
    newest = load_release(found[-1][0])
    if content(newest) != content(now):
        return None, newest
    previous = load_release(found[-2][0]) if len(found) > 1 else None
    return found[-1][0], previous


def report(now: dict[str, Any] | None = None) -> str:
    """The page "Wat is er veranderd" for the book as it is now: what changed since the release
    before, then what this edition corrects against the 2021 report."""
    now = now if now is not None else snapshot("", "")
    current, baseline = status(now)
    changes = compare(baseline, now) if baseline is not None else None
    # what changed against the 2021 report stays useful after every release: a reader who comes
    # from the ECBO report asks that first
    return page(changes, current, releases(), now.get("errata"))


def version_text(now: dict[str, Any] | None = None) -> str:
    """The version for a footer or title page: ``versie 1.0 (30 november 2026)``, or what the
    book is between releases."""
    current, _ = status(now)
    found = dict(releases())
    if current:
        return f"versie {current} ({dutch_date(found[current])})"
    if found:
        return f"bijgewerkt na versie {list(found)[-1]} (nog niet uitgebracht)"
    return "nog niet uitgebracht"


def write_page(target: Path) -> bool:
    """Write :func:`report` to ``target`` if it differs; True if the file changed."""
    text = report()
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return True


# --- command line ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """``python -m lib.release cut|diff|latest|page``."""
    ap = argparse.ArgumentParser(prog="python -m lib.release",
                                 description="Releases van het levend rapport en wat er "
                                             "sindsdien veranderd is.")
    sub = ap.add_subparsers(dest="command", required=True)
    p_cut = sub.add_parser("cut", help="leg het boek vast als release <versie>")
    p_cut.add_argument("version", metavar="versie", help="bijvoorbeeld 1.0")
    p_cut.add_argument("--date", metavar="JJJJ-MM-DD", help="releasedatum (standaard: vandaag)")
    p_diff = sub.add_parser("diff", help="wat is er veranderd sinds de laatste (of een) release")
    p_diff.add_argument("--against", metavar="versie", help="vergelijk met deze release")
    sub.add_parser("latest", help="de laatste release: versie en datum")
    p_page = sub.add_parser("page", help="de pagina 'Wat is er veranderd' zoals het boek hem toont")
    p_page.add_argument("--out", type=Path, help="schrijf naar dit bestand (anders: scherm)")
    args = ap.parse_args(argv)
    try:
        if args.command == "cut":
            path = cut(args.version, args.date)
            size = path.stat().st_size / 1024
            print(f"release {args.version} vastgelegd in {data.rel(path)} ({size:.0f} kB); "
                  "commit dit bestand")
        elif args.command == "diff":
            old = load_release(args.against) if args.against else latest()
            changes = compare(old, snapshot("", "")) if old is not None else None
            print(page(changes, None, releases()), end="")
        elif args.command == "latest":
            found = releases()
            if not found:
                print("er is nog geen release", file=sys.stderr)
                return 1
            print(f"{found[-1][0]} {found[-1][1]}")
        elif args.out:
            changed = write_page(args.out)
            print(f"{args.out}: {'bijgewerkt' if changed else 'ongewijzigd'}")
        else:
            print(report(), end="")
    except (ReleaseError, data.DataError) as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
