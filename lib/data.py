"""Load the report's data files and check them against the schema beside each file.

Every dataset is ``data/<name>.csv`` with a sidecar ``data/<name>.yml`` (see ``data/README.md``).
:func:`load` returns a validated DataFrame or raises :class:`DataError`, whose message names the
file, the line, the column and what was expected.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from lib import paths

SECTORS: tuple[str, ...] = ("alle", "po", "vo", "mbo")
SECTOR_NAMES: dict[str, str] = {
    "alle": "alle sectoren",
    "po": "primair onderwijs",
    "vo": "voortgezet onderwijs",
    "mbo": "middelbaar beroepsonderwijs",
}
TYPES = ("string", "integer", "number")
SCHEMA_KEYS = {
    "title", "description", "source", "sector", "primary_key", "columns", "checks",
    "not_published", "used_by", "reserved_for",
}
SOURCE_KEYS = {"location", "citation", "note", "rows"}
SOURCE_ROW_KEYS = {"where", "location", "citation"}
REPORT = "ECBO, 2021"  # the report every dataset comes from unless its sidecar says otherwise
COLUMN_KEYS = {"type", "allowed", "min", "max", "nullable", "description", "unit"}
INTEGER = re.compile(r"[+-]?\d+")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# Environment variable set by the editions builder: the datasets a chapter declared.
DECLARED_ENV = "SOP_DECLARED_DATASETS"


class DataError(ValueError):
    """A data file does not meet its schema: names file, line, column and the expectation."""

    def __init__(
        self, file: Path | str, message: str, line: int | None = None, column: str | None = None
    ) -> None:
        self.file, self.line, self.column = str(file), line, column
        where = [self.file]
        if line is not None:
            where.append(f"regel {line}")
        if column is not None:
            where.append(f"kolom '{column}'")
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str = ""
    allowed: tuple[Any, ...] | None = None
    min: float | None = None
    max: float | None = None
    nullable: bool = False
    unit: str | None = None


@dataclass(frozen=True)
class Schema:
    name: str
    title: str
    description: str
    source: dict[str, Any]
    columns: dict[str, Column]
    primary_key: tuple[str, ...]
    sector_column: str | None
    sector_note: str
    sector_covers: tuple[str, ...] = ()
    """Without a sector column: the sectors the whole dataset stands for (Loopbaanmonitor: pabo →
    po; tweedegraads → vo and mbo together)."""
    checks: tuple[dict[str, Any], ...] = ()
    not_published: str | None = None
    used_by: tuple[str, ...] = field(default=())
    reserved_for: tuple[str, ...] = field(default=())

    @property
    def citation(self) -> str:
        """The publication the dataset comes from (``ECBO, 2021`` unless the sidecar says)."""
        return str(self.source.get("citation") or REPORT)

    @property
    def row_sources(self) -> tuple[dict[str, Any], ...]:
        """Sources of rows added later: ``{where: {column: value}, location, citation}``."""
        return tuple(self.source.get("rows") or ())

    @property
    def csv_path(self) -> Path:
        return paths.data_dir() / f"{self.name}.csv"

    @property
    def yml_path(self) -> Path:
        return paths.data_dir() / f"{self.name}.yml"


def rel(path: Path) -> str:
    """A path as readers of error messages want it: relative to the project root."""
    try:
        return str(path.relative_to(paths.project_root()))
    except ValueError:
        return str(path)


def dataset_names() -> list[str]:
    """All datasets: every ``data/*.yml`` sidecar."""
    return sorted(p.stem for p in paths.data_dir().glob("*.yml"))


def schema(name: str) -> Schema:
    """The checked sidecar of dataset ``name`` (inside a chapter run: only if declared)."""
    _check_declared(name)
    return _schema(name)


# libyaml's safe loader where PyYAML has it (about ten times faster than the pure-Python one;
# the build reads every sidecar many times); the same safe subset of YAML either way
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _schema(name: str) -> Schema:
    yml = paths.data_dir() / f"{name}.yml"
    if not yml.exists():
        known = ", ".join(dataset_names()) or "(geen)"
        raise DataError(rel(yml), f"dataset '{name}' bestaat niet; bekend: {known}")
    try:
        raw = yaml.load(yml.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise DataError(rel(yml), f"geen geldige YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise DataError(rel(yml), "verwacht een YAML-mapping met o.a. 'title' en 'columns'")
    unknown = set(raw) - SCHEMA_KEYS
    if unknown:
        raise DataError(rel(yml), f"onbekende sleutel(s) {sorted(unknown)}; toegestaan: "
                        f"{sorted(SCHEMA_KEYS)}")
    for key in ("title", "source", "columns", "primary_key", "sector"):
        if key not in raw:
            raise DataError(rel(yml), f"sleutel '{key}' ontbreekt")
    source = raw["source"]
    if not isinstance(source, dict) or not source.get("location"):
        raise DataError(rel(yml), "'source' moet een 'location' noemen (tabel/figuur/paragraaf)")
    bad_source = set(source) - SOURCE_KEYS
    if bad_source:
        raise DataError(rel(yml), f"source: onbekende sleutel(s) {sorted(bad_source)}; "
                        f"toegestaan: {sorted(SOURCE_KEYS)}")
    columns: dict[str, Column] = {}
    for cname, spec in (raw["columns"] or {}).items():
        spec = spec or {}
        bad = set(spec) - COLUMN_KEYS
        if bad:
            raise DataError(rel(yml), f"kolom '{cname}': onbekende sleutel(s) {sorted(bad)}")
        if spec.get("type") not in TYPES:
            raise DataError(rel(yml), f"kolom '{cname}': type moet een van {TYPES} zijn, "
                            f"gevonden {spec.get('type')!r}")
        allowed = spec.get("allowed")
        columns[cname] = Column(
            name=cname, type=spec["type"], description=spec.get("description", ""),
            allowed=tuple(allowed) if allowed is not None else None,
            min=spec.get("min"), max=spec.get("max"), nullable=bool(spec.get("nullable", False)),
            unit=spec.get("unit"),
        )
    sector = raw["sector"] or {}
    sector_column = sector.get("column")
    if sector_column is not None and sector_column not in columns:
        raise DataError(rel(yml), f"sector.column '{sector_column}' is geen kolom")
    if sector_column is None and not sector.get("note"):
        raise DataError(rel(yml), "sector: zonder 'column' is een 'note' nodig die zegt waarom "
                        "er geen uitsplitsing naar sector is")
    bad_sector_keys = set(sector) - {"column", "note", "covers"}
    if bad_sector_keys:
        raise DataError(rel(yml), f"sector: onbekende sleutel(s) {sorted(bad_sector_keys)}; "
                        "toegestaan: column, note, covers")
    covers = tuple(sector.get("covers") or ())
    if covers and sector_column is not None:
        raise DataError(rel(yml), "sector: 'covers' hoort bij een dataset zonder sectorkolom")
    for s in covers:
        if s not in SECTORS[1:]:
            raise DataError(rel(yml), f"sector.covers: {s!r} is geen sector; verwacht een van "
                            f"{list(SECTORS[1:])}")
    key = tuple(raw["primary_key"])
    for k in key:
        if k not in columns:
            raise DataError(rel(yml), f"primary_key noemt onbekende kolom '{k}'")
    for i, entry in enumerate(source.get("rows") or [], start=1):
        problem = _row_source_problem(entry, columns)
        if problem:
            raise DataError(rel(yml), f"source.rows[{i}]: {problem}")
    from lib.checks import validate  # local import: checks imports this module

    checks = tuple(raw.get("checks") or ())
    for check in checks:
        problem = validate(check, set(columns))
        if problem:
            raise DataError(rel(yml), problem)
    return Schema(
        name=name, title=raw["title"], description=raw.get("description", ""), source=source,
        columns=columns, primary_key=key, sector_column=sector_column,
        sector_note=sector.get("note", ""), sector_covers=covers, checks=checks,
        not_published=raw.get("not_published"), used_by=tuple(raw.get("used_by") or ()),
        reserved_for=tuple(raw.get("reserved_for") or ()),
    )


def _convert(value: str, col: Column, file: str, line: int) -> Any:
    """Convert one CSV cell to its declared type, or raise DataError."""
    if value == "":
        if col.nullable:
            return None
        raise DataError(file, f"lege waarde; verwacht {col.type} (kolom is niet 'nullable')",
                        line, col.name)
    if col.type == "integer":
        if not INTEGER.fullmatch(value):
            raise DataError(file, f"verwacht een geheel getal, gevonden {value!r}",
                            line, col.name)
        converted: Any = int(value)
    elif col.type == "number":
        if not NUMBER.fullmatch(value):
            raise DataError(file, f"verwacht een getal met decimaalpunt en zonder "
                            f"duizendtallen, gevonden {value!r}", line, col.name)
        converted = float(value)
    else:
        converted = value
    if col.allowed is not None and converted not in col.allowed:
        raise DataError(file, f"waarde {value!r} niet toegestaan; verwacht een van "
                        f"{list(col.allowed)}", line, col.name)
    if col.min is not None and converted < col.min:
        raise DataError(file, f"waarde {value} kleiner dan minimum {col.min}", line, col.name)
    if col.max is not None and converted > col.max:
        raise DataError(file, f"waarde {value} groter dan maximum {col.max}", line, col.name)
    return converted


def _check_declared(name: str) -> None:
    declared = os.environ.get(DECLARED_ENV)
    if declared is None:
        return
    allowed = [d for d in declared.split(",") if d]
    if name not in allowed:
        raise DataError(
            f"data/{name}.csv",
            f"dit hoofdstuk leest dataset '{name}' maar noemt hem niet in 'living_report: "
            f"datasets' in zijn front matter (genoemd: {allowed})",
        )


def read_raw(name: str) -> tuple[Schema, pd.DataFrame]:
    """Read a CSV, check header, types, ranges and keys. Index = line number in the file."""
    sch = _schema(name)
    file = rel(sch.csv_path)
    if not sch.csv_path.exists():
        raise DataError(file, f"bestand ontbreekt (schema {rel(sch.yml_path)} bestaat wel)")
    try:
        raw = pd.read_csv(sch.csv_path, dtype=str, keep_default_na=False, encoding="utf-8",
                          skip_blank_lines=False)
    except pd.errors.EmptyDataError:
        raise DataError(file, "bestand is leeg; verwacht een kopregel met "
                        f"{list(sch.columns)}", 1) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(file, f"geen geldige CSV (UTF-8, komma's, aanhalingstekens rond velden "
                        f"met een komma): {exc}") from None
    header = list(raw.columns)
    expected = list(sch.columns)
    if header != expected:
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        detail = []
        if missing:
            detail.append(f"ontbreekt: {missing}")
        if extra:
            detail.append(f"onverwacht: {extra}")
        if not detail:
            detail.append(f"volgorde wijkt af: {header}")
        raise DataError(file, f"kolommen kloppen niet met het schema ({'; '.join(detail)}); "
                        f"verwacht {expected}", 1)
    records = []
    for i, row in enumerate(raw.itertuples(index=False), start=2):
        if all(v.strip() == "" for v in row):
            raise DataError(file, "lege regel; verwijder hem (een regel is één waarneming)", i)
        records.append({c: _convert(v.strip(), sch.columns[c], file, i)
                        for c, v in zip(expected, row, strict=True)})
    df = pd.DataFrame.from_records(records, columns=expected)
    df.index = pd.RangeIndex(2, 2 + len(df), name="regel")
    for cname, col in sch.columns.items():
        if col.type == "integer":
            df[cname] = df[cname].astype("Int64")
        elif col.type == "number":
            df[cname] = pd.to_numeric(df[cname]).astype("float64")
        else:
            df[cname] = df[cname].astype("object")
    if len(df) == 0:
        raise DataError(file, "bevat geen rijen")
    dup = df.duplicated(list(sch.primary_key), keep="first")
    if dup.any():
        line = int(df.index[dup][0])
        keyvals = {k: df.loc[line, k] for k in sch.primary_key}
        raise DataError(file, f"dubbele sleutel {keyvals} (sleutel: {list(sch.primary_key)})",
                        line, sch.primary_key[0])
    return sch, df


def _row_source_problem(entry: Any, columns: dict[str, Column]) -> str | None:
    """What is wrong with one ``source.rows`` entry of a sidecar (None: nothing)."""
    if not isinstance(entry, dict) or set(entry) - SOURCE_ROW_KEYS:
        return (f"verwacht een mapping met {sorted(SOURCE_ROW_KEYS)}, bv. where: {{jaar: 2021}}, "
                "location: 'Loopbaanmonitor 2021, tabel 3', citation: 'DUO, 2022'")
    missing = [k for k in sorted(SOURCE_ROW_KEYS) if not entry.get(k)]
    if missing:
        return f"{', '.join(missing)} ontbreekt"
    if not isinstance(entry["where"], dict):
        return "where moet kolommen en waarden noemen, bv. {jaar: 2021}"
    unknown = [c for c in entry["where"] if c not in columns]
    return f"where noemt onbekende kolom(men) {unknown}" if unknown else None


def _matches(df: pd.DataFrame, where: dict[str, Any]) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for col, value in where.items():
        mask &= df[col].astype(str) == str(value)
    return mask


def row_sources(sch: Schema, df: pd.DataFrame) -> pd.Series:
    """Per row of ``df`` (a dataset as loaded or read), its source as ``(location, citation)``:
    the sidecar's ``source.rows`` entry that matches it, else the dataset's source."""
    out = pd.Series([(sch.source["location"], sch.citation)] * len(df), index=df.index,
                    dtype=object)
    for entry in sch.row_sources:
        mask = _matches(df, entry["where"])
        out[mask] = [(entry["location"], entry["citation"])] * int(mask.sum())
    return out


def _check_row_sources(sch: Schema, df: pd.DataFrame) -> None:
    """Each ``source.rows`` entry matches a row, and no row is younger than its publication:
    a year after the citation's year cannot come from it (a new Loopbaanmonitor year needs its
    own source)."""
    file = rel(sch.yml_path)
    for i, entry in enumerate(sch.row_sources, start=1):
        if not _matches(df, entry["where"]).any():
            raise DataError(file, f"source.rows[{i}] (where {entry['where']}) past op geen rij "
                            f"van {rel(sch.csv_path)}")
    if "jaar" not in df.columns:
        return
    published = re.findall(r"(?:19|20)\d\d", sch.citation)
    if not published:
        return
    cited = row_sources(sch, df)
    for line, year in df["jaar"].items():
        _, citation = cited[line]
        years = re.findall(r"(?:19|20)\d\d", citation)
        if not pd.isna(year) and years and int(year) > int(years[-1]):
            raise DataError(rel(sch.csv_path), f"rij uit {int(year)} kan niet uit "
                            f"'{citation}' komen; noem de bron van deze rij in source.rows van "
                            f"{file} (where: {{jaar: {int(year)}}}, location: …, citation: …)",
                            int(line), "jaar")


def dependencies(name: str) -> list[Path]:
    """Every file a :func:`load` of ``name`` reads (its CSV and sidecar, and the errata register
    when one of its checks names an erratum)."""
    sch = _schema(name)
    files = [sch.csv_path, sch.yml_path]
    if name != "errata" and any("erratum" in c for c in sch.checks):
        files += dependencies("errata")
    return files


def load(name: str) -> pd.DataFrame:
    """Load dataset ``name``: schema-checked and consistency-checked (see :mod:`lib.checks`)."""
    from lib import checks  # local import: checks imports this module

    _check_declared(name)
    sch, df = read_raw(name)
    checks.run(sch, df)
    _check_row_sources(sch, df)
    return df.reset_index(drop=True)


def validate_sector(sector: str) -> str:
    """Return ``sector`` if valid, else raise ValueError listing the valid sectors."""
    if sector not in SECTORS:
        raise ValueError(f"onbekende sector {sector!r}; geldig zijn: {', '.join(SECTORS)}")
    return sector


def has_sector_split(name: str) -> bool:
    """Does dataset ``name`` publish values per sector?"""
    return schema(name).sector_column is not None


def _check_files() -> tuple[list[str], dict[str, pd.DataFrame], set[str]]:
    """Load every dataset: (errors, the frames that loaded, the names that failed)."""
    errors: list[str] = []
    frames: dict[str, pd.DataFrame] = {}
    broken: set[str] = set()
    for name in dataset_names():
        try:
            frames[name] = load(name)
        except DataError as exc:
            errors.append(str(exc))
            broken.add(name)
    return errors, frames, broken


def validate_all() -> list[str]:
    """Check every dataset, then the consistency between files (:mod:`lib.consistency`).

    Returns one message per failing dataset and per cross-file problem (empty: all valid).
    Cross-file checks that read a dataset which failed its own checks are skipped: that dataset's
    error is reported already.
    """
    from lib import consistency  # local import: consistency imports this module

    errors, frames, broken = _check_files()
    return errors + consistency.run_all(frames, broken)


def main() -> int:
    """``python -m lib.data``: check every data file and the consistency between files, print
    the problems, exit 1 if any."""
    from lib import consistency

    errors, frames, broken = _check_files()
    problems = consistency.run_all(frames, broken)
    for e in errors + problems:
        print(e)
    print(f"{len(dataset_names())} datasets, {len(errors)} met fouten; "
          f"{len(consistency.CHECKS)} controles tussen bestanden, {len(problems)} problemen"
          + (" (controles op bestanden met fouten overgeslagen)" if broken else ""))
    return 1 if errors or problems else 0


if __name__ == "__main__":
    # Run through the imported module so DataError raised in lib.checks is the same class.
    from lib.data import main as _main

    raise SystemExit(_main())
