"""Item tables of chapter 6 (Tabel 6.3–6.8): mean score per item per group, read as readers need.

The data are long (one row per item and group, see ``data/tabel_6_3_…``); :func:`wide` turns them
into items as rows and groups as columns in the source's order. The other functions rank items
within a group and compare groups, so every "hoogst", "laagst" or "boven het totaal" in the
chapter is computed; :func:`theme_sentences`, :func:`sector_note` and :func:`sector_facts` write
the chapter's sentences about a theme from the long data. Scores are published with two decimals:
comparisons treat differences smaller than :data:`EPS` as equal (ties are kept, never broken at
random).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from lib import fmt, prose

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
# Column headings of the item tables: short, so nine groups fit beside the statements
HEADERS: dict[str, str] = {
    "coordinatie": "Coörd.", "bestuur": "Bestuur", "uitvoering": "Uitv.", "po": "po",
    "vo": "vo", "mbo": "mbo", "partnerschool": "School", "instituut": "Inst.",
    "totaal": "Totaal",
}
HEADER_NOTE = ("Coörd. = partnerschapscoördinatoren SO&P; Bestuur = bestuur en directie van "
               "scholen en lerarenopleiding; Uitv. = uitvoering SO&P; School = partnerscholen; "
               "Inst. = instituut (lerarenopleiding).")
GROUP_WORDS: dict[str, str] = {  # the geledingen as a sentence names them
    "coordinatie": "de coördinatoren", "bestuur": "bestuur en directie",
    "uitvoering": "de uitvoerders",
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
    nums = [int(i) for i in items]
    if not nums:
        raise ValueError("items.numbers: geen items")
    return "item " + fmt.join(nums)


def quote(w: pd.DataFrame, item: int) -> str:
    """The item's wording in quotes, without its closing full stop: ``‘Studenten … leren’``."""
    text = " ".join(str(w.loc[item, "label"]).split()).rstrip(". ")
    return f"‘{text}’"


def cite(w: pd.DataFrame, nrs: Sequence[int], group: str = TOTAAL) -> str:
    """Item(s) with their score in ``group``: ``item 9 (‘…’: 3,58)``; tied items by number only:
    ``item 3 en 7 (gedeelde plaats: 3,10)``."""
    value = fmt.score(w.loc[nrs[0], group])
    if len(nrs) == 1:
        return f"{numbers(nrs)} ({quote(w, nrs[0])}: {value})"
    return f"{numbers(nrs)} (gedeelde plaats: {value})"


def on_items(k: int, n: int) -> str:
    """On ``k`` of ``n`` items: ``op zeven van de tien items``, ``op alle drie items``, ``op geen
    enkel item``; of two items: ``op beide items``, ``op één van de twee items``, ``op geen van
    beide items``."""
    if not 0 <= k <= n:
        raise ValueError(f"items.on_items: verwacht 0 ≤ k ≤ n, kreeg k={k}, n={n}")
    if n == 2:
        return ("op geen van beide items", "op één van de twee items", "op beide items")[k]
    if k == n:
        return f"op alle {prose.count(n)} items"
    if k == 0:
        return "op geen enkel item"
    return f"op {prose.count(k)} van de {prose.count(n)} items"


# --- the sentences of a theme section (§6.4.1–6.4.6) ------------------------------------------

def theme_sentences(df: pd.DataFrame) -> dict[str, str]:
    """The computed sentences of a theme's section, from its long data (Tabel 6.3–6.8), by part:
    ``n`` (number of items, in words), ``totaal``, ``sectoren``, ``bereik``, ``boven``,
    ``verschil``, ``geledingen`` and ``schooltypen``."""
    w = wide(df)
    n = len(w)
    alle = w[list(GROUPS)].astype(float)
    return {
        "n": prose.count(n),
        "totaal": _total(w),
        "sectoren": _sectors(w),
        "bereik": (f"Alle scores in de tabel liggen tussen {fmt.score(alle.min().min())} en "
                   f"{fmt.score(alle.max().max())}."),
        "boven": "Boven het totaal scoort " + fmt.join(
            f"het {s} {on_items(len(versus(w, s).above), n)}" for s in SECTOREN) + ".",
        "verschil": _largest(differences(w, SECTOREN), "tussen de sectoren ", str),
        "geledingen": _geledingen(w),
        "schooltypen": _schooltypen(w),
    }


def _total(w: pd.DataFrame) -> str:
    """The highest and lowest item in the total; of two items, how they compare."""
    if len(w) == 2:
        a, b = ranking(w, TOTAAL)
        word = fmt.compare(w.loc[a, TOTAAL], w.loc[b, TOTAAL], higher="hoger dan",
                           lower="lager dan", same="even hoog als")
        return f"In het totaal scoort {cite(w, [a])} {word} {cite(w, [b])}."
    return (f"In het totaal scoort {cite(w, highest(w, TOTAAL))} het hoogst en "
            f"{cite(w, lowest(w, TOTAAL))} het laagst.")


def _sectors(w: pd.DataFrame) -> str:
    """The highest (and, with more than two items, the lowest) item per sector."""
    text = "De hoogste score ligt " + fmt.join(
        f"in het {s} bij {numbers(highest(w, s))} ({fmt.score(w[s].max())})" for s in SECTOREN)
    if len(w) > 2:
        text += "; de laagste " + fmt.join(
            f"in het {s} bij {numbers(lowest(w, s))} ({fmt.score(w[s].min())})"
            for s in SECTOREN)
    return text + "."


def _geledingen(w: pd.DataFrame) -> str:
    """Which geleding most often gives the highest and the lowest score of the three."""
    lead = leaders(w, GELEDINGEN)
    parts = []
    for place in ("hoogst", "laagst"):
        tally = {g: len(lead[g][place]) for g in GELEDINGEN}
        who = [g for g in GELEDINGEN if tally[g] == max(tally.values())]
        parts.append(f"van {fmt.join(GROUP_WORDS[g] for g in who)} ("
                     + ("elk " if len(who) > 1 else "") + f"{on_items(tally[who[0]], len(w))})")
    return (f"Het hoogste oordeel van de drie geledingen komt het vaakst {parts[0]}, het "
            f"laagste {parts[1]}.")


def _schooltypen(w: pd.DataFrame) -> str:
    """Lerarenopleidingen (instituut) against partnerscholen, and their largest difference."""
    c = versus(w, "instituut", "partnerschool")
    text = (f"Respondenten van de lerarenopleidingen (instituut) scoren "
            f"{on_items(len(c.above), len(w))} hoger dan die van de partnerscholen")
    extra = []
    if c.below and c.above:
        extra.append(f"lager bij {numbers(c.below)}")
    if c.equal:
        extra.append(f"gelijk bij {numbers(c.equal)}")
    text += (" (" + "; ".join(extra) + ").") if extra else "."
    return text + " " + _largest(differences(w, SCHOOLTYPEN), "", lambda g: LABELS[g].lower())


def tied_first(diffs: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`differences` whose ``verschil`` equals the largest (scores have two
    decimals: equal gaps are a tie, never broken by item number)."""
    top = round(float(diffs["verschil"].iloc[0]), 6)
    return diffs[diffs["verschil"].round(6) >= top - EPS]


def _largest(diffs: pd.DataFrame, between: str, name) -> str:
    """``Het grootst is het verschil {between}bij item 3: mbo 3,60 tegen po 3,33.``; a shared
    largest gap is a tie: ``Het grootst, en even groot (0,26 punt), is het verschil {between}bij
    item 1 (…) en item 3 (…).``, or ``Bij beide items is het verschil even groot (0,04 punt):
    item 1 (…) en item 2 (…).``"""
    top = tied_first(diffs)

    def pair(r) -> str:
        return (f"{name(r['hoog'])} {fmt.score(r['hoog_score'])} tegen {name(r['laag'])} "
                f"{fmt.score(r['laag_score'])}")

    if len(top) == 1:
        r = top.iloc[0]
        return f"Het grootst is het verschil {between}bij {numbers([r['item']])}: {pair(r)}."
    size = fmt.score(top["verschil"].iloc[0])
    listed = fmt.join(f"{numbers([r['item']])} ({pair(r)})" for _, r in top.iterrows())
    if len(top) == len(diffs):
        every = "beide items" if len(top) == 2 else f"alle {prose.count(len(top))} items"
        return f"Bij {every} is het verschil {between}even groot ({size} punt): {listed}."
    return f"Het grootst, en even groot ({size} punt), is het verschil {between}bij {listed}."


def sector_note(df: pd.DataFrame, sector: str) -> str:
    """The note of a sector edition on one theme (long data): the sector's mean over the items
    against the total's, and the items where it lies furthest above and below the total (all of
    them when the largest distance is shared), each named by its wording:
    ``‘Studenten … leren’ (item 1: po 3,39, totaal 3,27)``."""
    w = wide(df)
    s = sector
    diff = (_scores(w, s) - _scores(w, TOTAAL)).round(6)
    a, b = mean_score(w, s), mean_score(w, TOTAAL)
    text = (f"Gemiddeld over de items scoort het {s} op dit thema {fmt.score(a)}, "
            f"{fmt.compare(a, b, same='even hoog')} dan het totaal ({fmt.score(b)}). ")

    def furthest_items(where: str, target: float) -> str:
        # every item at the largest distance: equal distances are a tie, not a winner
        tied = [int(i) for i in diff.index if abs(diff[i] - target) <= EPS]
        listed = fmt.join(f"{quote(w, i)} (item {i}: {s} {fmt.score(w.loc[i, s])}, totaal "
                          f"{fmt.score(w.loc[i, TOTAAL])})" for i in tied)
        if len(tied) == 1:
            return f"Het verst {where} ligt het {s} bij {listed}"
        return (f"Het verst {where}, en even ver ({fmt.score(abs(target))} punt), ligt het {s} "
                f"bij {listed}")

    if diff.max() > EPS:
        text += furthest_items("erboven", diff.max()) + ". "
    else:
        text += f"Het {s} ligt op geen enkel item boven het totaal. "
    if diff.min() < -EPS:
        text += furthest_items("eronder", diff.min()) + "."
    else:
        text += f"Het {s} ligt op geen enkel item onder het totaal."
    return text


def sector_facts(themes: Mapping[str, pd.DataFrame], sector: str, *, names: Mapping[str, str],
                 tables: Mapping[str, str]) -> list[str]:
    """Two sentences for the opening box of a sector edition, over all themes (long data by
    theme; ``names``: the theme as prose names it, ``tables``: its table number): on how many
    themes the sector's mean lies above and below the total, and the item furthest above and
    furthest below the total (every theme or item that shares the place: a tie is named as
    one)."""
    ws = {k: wide(d) for k, d in themes.items()}
    s = sector
    mean = {k: (mean_score(w, s), mean_score(w, TOTAAL)) for k, w in ws.items()}
    above = [k for k, (a, b) in mean.items() if a - b > EPS]
    below = [k for k, (a, b) in mean.items() if b - a > EPS]
    gap = {k: round(abs(a - b), 6) for k, (a, b) in mean.items()}
    most = [k for k in mean if gap[k] >= max(gap.values()) - EPS]
    keys = list(ws)
    first = (f"Gemiddeld over de items van een thema (Tabel {tables[keys[0]]} tot en met "
             f"{tables[keys[-1]]}) scoort het {s} bij {prose.count(len(above))} van de "
             f"{prose.count(len(mean))} thema's hoger dan het totaal en bij "
             f"{prose.count(len(below))} lager. Het grootste verschil is er"
             + (" " if len(most) == 1 else ", even groot, ") + "bij "
             + fmt.join(f"{names[k]}: {fmt.score(mean[k][0])} tegen {fmt.score(mean[k][1])}"
                        for k in most) + ".")
    diffs = [(k, i, round(w.loc[i, s] - w.loc[i, TOTAAL], 6)) for k, w in ws.items()
             for i in w.index]
    hi = max(r[2] for r in diffs)
    lo = min(r[2] for r in diffs)

    def item(k: str, i: int) -> str:
        w = ws[k]
        return (f"{quote(w, i)} (Tabel {tables[k]}, item {i}: {s} {fmt.score(w.loc[i, s])}, "
                f"totaal {fmt.score(w.loc[i, TOTAAL])})")

    def at(target: float) -> str:
        return fmt.join(item(k, i) for k, i, d in diffs if abs(d - target) <= EPS)

    second = (f"Het verst boven het totaal ligt het {s} bij {at(hi)}; het verst eronder bij "
              f"{at(lo)}.")
    return [first, second]


def chart_data(df: pd.DataFrame) -> pd.DataFrame:
    """The rows of the sectors and the total (long data), with ``stelling`` (``"3. Label"``, spaces
    tidied) and ``groep_naam`` (:data:`LABELS`) for a chart of the item scores."""
    return df[df["groep"].isin([*SECTOREN, TOTAAL])].assign(
        stelling=lambda x: x["item"].astype(str) + ". " + x["label"].str.split().str.join(" "),
        groep_naam=lambda x: x["groep"].map(LABELS))
