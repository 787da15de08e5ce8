"""Item tables of chapter 6 (Tabel 6.3–6.8): mean score per item per group, read as readers need.

The data are long (one row per item and group, see ``data/tabel_6_3_…``); :func:`wide` turns them
into items as rows and groups as columns in the source's order. The other functions rank items
within a group and compare groups, so every "hoogst", "laagst" or "boven het totaal" in the
chapter is computed. Scores are published with two decimals: comparisons treat differences
smaller than :data:`EPS` as equal (ties are kept, never broken at random).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

GELEDINGEN: tuple[str, ...] = ("coordinatie", "bestuur", "uitvoering")
SECTOREN: tuple[str, ...] = ("po", "vo", "mbo")
SCHOOLTYPEN: tuple[str, ...] = ("partnerschool", "instituut")
TOTAAL = "totaal"
GROUPS: tuple[str, ...] = (*GELEDINGEN, *SECTOREN, *SCHOOLTYPEN, TOTAAL)
LABELS: dict[str, str] = {
    "coordinatie": "Coördinatoren", "bestuur": "Bestuur/directie", "uitvoering": "Uitvoering",
    "po": "po", "vo": "vo", "mbo": "mbo", "partnerschool": "Partnerscholen",
    "instituut": "Instituut", "totaal": "Totaal",
}
EPS = 1e-9


@dataclass(frozen=True)
class Comparison:
    """Items of ``group`` above, level with and below ``reference`` (item numbers, in order)."""

    above: tuple[int, ...]
    equal: tuple[int, ...]
    below: tuple[int, ...]


def wide(df: pd.DataFrame, *, value: str = "gemiddelde", item: str = "item",
         label: str = "label", group: str = "groep") -> pd.DataFrame:
    """Items as rows (index: item number, column ``label`` first), groups as columns in the order
    of :data:`GROUPS`; groups the data do not have are left out."""
    scores = df.pivot(index=item, columns=group, values=value)
    cols = [g for g in GROUPS if g in scores.columns]
    unknown = set(scores.columns) - set(GROUPS)
    if unknown:
        raise ValueError(f"items.wide: onbekende groep(en) {sorted(unknown)}")
    labels = df.drop_duplicates(item).set_index(item)[label]
    out = scores[cols].sort_index()
    out.insert(0, "label", labels.loc[out.index])
    out.columns.name = None
    return out


def _scores(w: pd.DataFrame, group: str) -> pd.Series:
    if group not in w.columns:
        raise KeyError(f"items: groep {group!r} ontbreekt; aanwezig: {list(w.columns[1:])}")
    return w[group].astype(float)


def ranking(w: pd.DataFrame, group: str) -> list[int]:
    """Item numbers of ``group`` from highest to lowest score (ties: lower item number first)."""
    s = _scores(w, group)
    return sorted(s.index, key=lambda i: (-s[i], i))


def highest(w: pd.DataFrame, group: str) -> list[int]:
    """The item(s) with the highest score in ``group`` (all of them when tied)."""
    s = _scores(w, group)
    return [i for i in s.index if s[i] >= s.max() - EPS]


def lowest(w: pd.DataFrame, group: str) -> list[int]:
    """The item(s) with the lowest score in ``group`` (all of them when tied)."""
    s = _scores(w, group)
    return [i for i in s.index if s[i] <= s.min() + EPS]


def top(w: pd.DataFrame, group: str, k: int) -> list[int]:
    """The ``k`` highest items of ``group``, plus any item tied with the ``k``-th."""
    order = ranking(w, group)
    if k >= len(order):
        return order
    s = _scores(w, group)
    cut = s[order[k - 1]]
    return [i for i in order if s[i] >= cut - EPS]


def mean_score(w: pd.DataFrame, group: str) -> float:
    """Unweighted mean of the item scores of ``group`` (the theme score as Tabel 6.2 gives it),
    rounded to 9 decimals so that a mean of exactly 3,115 is not stored as 3,11499…"""
    return round(float(_scores(w, group).mean()), 9)


def versus(w: pd.DataFrame, group: str, reference: str = TOTAAL) -> Comparison:
    """Which items ``group`` scores above, level with or below ``reference``."""
    diff = _scores(w, group) - _scores(w, reference)
    return Comparison(
        above=tuple(i for i in diff.index if diff[i] > EPS),
        equal=tuple(i for i in diff.index if abs(diff[i]) <= EPS),
        below=tuple(i for i in diff.index if diff[i] < -EPS),
    )


def furthest(w: pd.DataFrame, group: str,
             reference: str = TOTAAL) -> tuple[tuple[int, float], tuple[int, float]]:
    """``((item, difference), (item, difference))``: where ``group`` is furthest above and
    furthest below ``reference`` (difference = group − reference; ties: lower item number)."""
    diff = _scores(w, group) - _scores(w, reference)
    hi = min(diff.index, key=lambda i: (-diff[i], i))
    lo = min(diff.index, key=lambda i: (diff[i], i))
    return (int(hi), float(diff[hi])), (int(lo), float(diff[lo]))


def leaders(w: pd.DataFrame, groups: Sequence[str]) -> dict[str, dict[str, list[int]]]:
    """Per group: the items on which it has the highest (``"hoogst"``) and the lowest
    (``"laagst"``) score of ``groups`` (shared first or last places count for every group)."""
    sub = w[list(groups)].astype(float)
    out: dict[str, dict[str, list[int]]] = {g: {"hoogst": [], "laagst": []} for g in groups}
    for i, row in sub.iterrows():
        for g in groups:
            if row[g] >= row.max() - EPS:
                out[g]["hoogst"].append(int(i))
            if row[g] <= row.min() + EPS:
                out[g]["laagst"].append(int(i))
    return out


def differences(w: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    """Per item the spread between ``groups``: columns ``hoog`` and ``laag`` (the groups with the
    highest and lowest score; first in ``groups`` order when tied), ``hoog_score``,
    ``laag_score`` and ``verschil``; largest difference first (ties: lower item number)."""
    sub = w[list(groups)].astype(float)
    rows = []
    for i, row in sub.iterrows():
        hi = next(g for g in groups if row[g] >= row.max() - EPS)
        lo = next(g for g in groups if row[g] <= row.min() + EPS)
        rows.append({"item": int(i), "hoog": hi, "laag": lo, "hoog_score": row[hi],
                     "laag_score": row[lo], "verschil": row[hi] - row[lo]})
    out = pd.DataFrame(rows)
    out["_rond"] = out["verschil"].round(6)
    out = out.sort_values(["_rond", "item"], ascending=[False, True]).drop(columns="_rond")
    return out.reset_index(drop=True)


def outside(w: pd.DataFrame, groups: Sequence[str], total: str = TOTAAL) -> list[int]:
    """Items whose ``total`` lies outside the range of ``groups``: below all or above all of them.

    If the groups together are all respondents, the total (a weighted mean of the group means)
    cannot lie outside their range; when it does, the groups or the total are doubtful.
    """
    sub = w[list(groups)].astype(float)
    t = _scores(w, total)
    return [int(i) for i in w.index
            if t[i] < sub.loc[i].min() - EPS or t[i] > sub.loc[i].max() + EPS]


def numbers(items: Sequence[int]) -> str:
    """Item numbers as Dutch prose: ``item 3``, ``item 3 en 7``, ``item 3, 6 en 7``."""
    nums = [str(int(i)) for i in items]
    if not nums:
        raise ValueError("items.numbers: geen items")
    body = nums[0] if len(nums) == 1 else ", ".join(nums[:-1]) + " en " + nums[-1]
    return f"item {body}"


def quote(w: pd.DataFrame, item: int) -> str:
    """The item's wording in quotes, without its closing full stop: ``‘Studenten … leren’``."""
    text = " ".join(str(w.loc[item, "label"]).split()).rstrip(". ")
    return f"‘{text}’"
