"""Consistency checks declared in a dataset's sidecar (``checks:``).

A check that fails stops the load with a message naming file, line and column. Where the source
itself does not add up, the check names an erratum (``erratum: E-...`` from ``data/errata.csv``):
it must then fail exactly as documented, and when the data are corrected the stale erratum is
reported too, so the errata list never drifts from the data.
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


def _sums_to_total(df: pd.DataFrame, c: dict[str, Any]) -> list[Failure]:
    value, part, total = c["value"], c["part"], c["total"]
    exclude = set(c.get("exclude", []))
    out: list[Failure] = []
    for g in _groups(df, c.get("by", [])):
        tot = g[g[part] == total]
        if len(tot) != 1:
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
            tot = g[g[c["part"]] == c["total"]]
            if len(tot) != 1:
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
    try:
        return RUNNERS[check["kind"]](df, check)
    except KeyError as exc:
        raise DataError(rel(sch.yml_path), f"controle {check!r} mist of noemt onbekende kolom "
                        f"{exc}") from None


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
        if erratum is None and found:
            line, column, message = found[0]
            more = f" (en nog {len(found) - 1} afwijking(en))" if len(found) > 1 else ""
            raise DataError(file, f"{check['kind']}: {message}{more}", line, column)
        if erratum is not None and not found:
            raise DataError(file, f"{check['kind']} slaagt nu, maar is als bronfout gemarkeerd "
                            f"met erratum {erratum}: werk data/errata.csv en "
                            f"{rel(sch.yml_path)} bij")
