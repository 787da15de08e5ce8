"""Consistency checks declared in a dataset's sidecar (``checks:``).

A check that fails stops the load with a message naming file, line and column. Where the source
itself does not add up, the check names an erratum (``erratum: E-...`` from ``data/errata.csv``)
and the rows it fails on (``erratum_rows``: primary-key values). It must then fail on exactly
those rows: a new failure elsewhere is an error, and so is a documented failure that no longer
occurs (the erratum is stale). Check keys are validated, so a typo cannot switch a check off.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from lib.data import DataError, Schema, read_raw, rel

Failure = tuple[int, str, str]  # line, column, message


def _groups(df: pd.DataFrame, by: list[str]) -> Iterator[pd.DataFrame]:
    if not by:
        yield df
        return
    for _, g in df.groupby(by, sort=False, dropna=False):
        yield g


# kind → (required keys, optional keys); every kind may also carry erratum + erratum_rows
KEYS: dict[str, tuple[set[str], set[str]]] = {
    "sums_to_total": ({"value", "part", "total"}, {"by", "exclude", "tolerance"}),
    "shares_sum_to_100": ({"value"}, {"part", "exclude", "by", "tolerance"}),
    "share_matches_count": ({"share", "count"}, {"denominator", "part", "total", "by",
                                                 "tolerance"}),
    "row_sums_to_total": ({"total", "parts"}, set()),
}
COLUMN_KEYS = ("value", "part", "share", "count", "denominator", "by", "parts")


def validate(check: Any, columns: set[str]) -> str | None:
    """What is wrong with a check's declaration (None: nothing)."""
    if not isinstance(check, dict):
        return f"controle {check!r} is geen mapping (kind: …, …)"
    kind = check.get("kind")
    if kind not in KEYS:
        return f"controle {check!r}: kind moet een van {sorted(KEYS)} zijn"
    required, optional = KEYS[kind]
    keys = set(check) - {"kind", "erratum", "erratum_rows"}
    if required - keys:
        return f"controle {kind}: sleutel(s) {sorted(required - keys)} ontbreken"
    if keys - required - optional:
        return (f"controle {kind}: onbekende sleutel(s) {sorted(keys - required - optional)}; "
                f"toegestaan: {sorted(required | optional | {'erratum', 'erratum_rows'})}")
    by_total = "part" in check and "total" in check
    if kind == "share_matches_count" and ("denominator" in check) == by_total:
        return "controle share_matches_count: noem óf denominator, óf part én total"
    if ("erratum" in check) != ("erratum_rows" in check):
        return f"controle {kind}: erratum en erratum_rows horen bij elkaar"
    for key in COLUMN_KEYS:
        names = check.get(key, [])
        names = [names] if isinstance(names, str) else list(names)
        unknown = [n for n in names if n not in columns]
        if unknown:
            return f"controle {kind}: {key} noemt onbekende kolom(men) {unknown}"
    if kind == "row_sums_to_total" and check["total"] not in columns:
        return f"controle {kind}: total noemt onbekende kolom {check['total']!r}"
    return None


def _total_row(g: pd.DataFrame, part: str, total: str) -> tuple[pd.DataFrame, Failure | None]:
    """The group's single total row, or a failure if it has none or several."""
    tot = g[g[part] == total]
    if len(tot) == 1:
        return tot, None
    what = "geen" if len(tot) == 0 else f"{len(tot)}"
    return tot, (int(g.index[0]), part, f"groep heeft {what} totaalrij(en) '{total}', verwacht 1")


def _sums_to_total(df: pd.DataFrame, c: dict[str, Any]) -> list[Failure]:
    value, part, total = c["value"], c["part"], c["total"]
    exclude = set(c.get("exclude", []))
    out: list[Failure] = []
    for g in _groups(df, c.get("by", [])):
        tot, problem = _total_row(g, part, total)
        if problem:
            out.append(problem)
            continue
        line = int(tot.index[0])
        expected = tot[value].iloc[0]
        parts = g[(g[part] != total) & ~g[part].isin(exclude)][value].dropna()
        if pd.isna(expected) or len(parts) == 0:
            continue
        got = parts.sum()
        if abs(float(got) - float(expected)) > float(c.get("tolerance", 0)):
            terms = " + ".join(str(v) for v in parts)
            out.append((line, value, f"totaal {expected} verwacht gelijk aan de som van de "
                        f"delen ({terms} = {got})"))
    return out


def _shares_sum_to_100(df: pd.DataFrame, c: dict[str, Any]) -> list[Failure]:
    value, part = c["value"], c.get("part")
    exclude = set(c.get("exclude", []))
    tol = float(c.get("tolerance", 1.0))
    out: list[Failure] = []
    for g in _groups(df, c.get("by", [])):
        rows = g if part is None else g[~g[part].isin(exclude)]
        vals = rows[value].dropna()
        if len(vals) == 0:
            continue
        got = float(vals.sum())
        if abs(got - 100.0) > tol:
            out.append((int(rows.index[0]), value, f"aandelen tellen op tot {got:g}, verwacht "
                        f"100 ± {tol:g}"))
    return out


def _share_matches_count(df: pd.DataFrame, c: dict[str, Any]) -> list[Failure]:
    share, count = c["share"], c["count"]
    tol = float(c.get("tolerance", 0.5))
    out: list[Failure] = []
    for g in _groups(df, c.get("by", [])):
        if "denominator" in c:
            denom = g[c["denominator"]]
        else:
            tot, problem = _total_row(g, c["part"], c["total"])
            if problem:
                out.append(problem)
                continue
            denom = pd.Series(tot[count].iloc[0], index=g.index)
        for line, row in g.iterrows():
            d, n, s = denom.loc[line], row[count], row[share]
            if pd.isna(d) or pd.isna(n) or pd.isna(s) or d == 0:
                continue
            exact = 100.0 * float(n) / float(d)
            if abs(exact - float(s)) > tol + 1e-9:
                out.append((int(line), share, f"aandeel {s:g}% past niet bij {n} van {d} "
                            f"({exact:.2f}%), marge {tol:g}"))
    return out


def _row_sums_to_total(df: pd.DataFrame, c: dict[str, Any]) -> list[Failure]:
    total, parts = c["total"], list(c["parts"])
    out: list[Failure] = []
    for line, row in df.iterrows():
        if pd.isna(row[total]):
            continue
        vals = [row[p] for p in parts if not pd.isna(row[p])]
        got = sum(vals)
        if vals and got != row[total]:
            terms = " + ".join(str(v) for v in vals)
            out.append((int(line), total, f"{row[total]} verwacht gelijk aan {terms} = {got} "
                        f"(kolommen {parts})"))
    return out


RUNNERS = {
    "sums_to_total": _sums_to_total,
    "shares_sum_to_100": _shares_sum_to_100,
    "share_matches_count": _share_matches_count,
    "row_sums_to_total": _row_sums_to_total,
}


def failures(sch: Schema, df: pd.DataFrame, check: dict[str, Any]) -> list[Failure]:
    """What ``check`` finds wrong in ``df`` (empty list: the check holds)."""
    return RUNNERS[check["kind"]](df, check)


def _row_key(sch: Schema, df: pd.DataFrame, line: int) -> tuple[str, ...]:
    return tuple(str(df.loc[line, k]) for k in sch.primary_key)


def _errata_ids() -> set[str]:
    _, errata = read_raw("errata")
    return set(errata["id"])


def run(sch: Schema, df: pd.DataFrame) -> None:
    """Run every declared check; raise DataError on the first unexpected outcome."""
    file = rel(sch.csv_path)
    known = _errata_ids() if any("erratum" in c for c in sch.checks) else set()
    for check in sch.checks:
        found = failures(sch, df, check)
        erratum = check.get("erratum")
        if erratum is not None and erratum not in known:
            raise DataError(rel(sch.yml_path), f"controle {check['kind']} verwijst naar erratum "
                            f"{erratum!r}, dat niet in data/errata.csv staat")
        documented = {tuple(str(v) for v in row) for row in check.get("erratum_rows", [])}
        unexpected = [f for f in found if _row_key(sch, df, f[0]) not in documented]
        if unexpected:
            line, column, message = unexpected[0]
            more = (f" (en nog {len(unexpected) - 1} afwijking(en))" if len(unexpected) > 1
                    else "")
            raise DataError(file, f"{check['kind']}: {message}{more}", line, column)
        gone = documented - {_row_key(sch, df, f[0]) for f in found}
        if gone:
            raise DataError(file, f"{check['kind']} slaagt nu voor rij(en) {sorted(gone)}, die "
                            f"als bronfout gemarkeerd zijn met erratum {erratum}: werk "
                            f"data/errata.csv en {rel(sch.yml_path)} bij")
