"""Loopbaanmonitor tables of chapter 6 (Tabel 6.10–6.12): how satisfied recent graduates are with
their teacher training, by whether they did their internship at an opleidingsschool.

The data are long, with ``pct`` (share satisfied) and ``n`` (graduates in the group) per aspect
(``item``, ``label``) and group (``opleidingsschool``: ja, nee, weet_niet): Tabel 6.10 (pabo)
and 6.11 (tweedegraads) per year (``jaar``), Tabel 6.12 per sector over three cohorts. The tests
take counts from the rounded percentages and ``n`` (:func:`lib.stats.counts_from_shares`) and
correct for the number of tests with Holm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import pandas as pd

from lib import fmt, stats, wording
from lib.data import SECTORS

GROUPS: tuple[str, ...] = ("ja", "nee", "weet_niet")  # stage op een opleidingsschool?
GROUP_WORDS: dict[str, str] = {"ja": "ja", "nee": "nee", "weet_niet": "weet niet"}
SATISFIED = "tevredenheid_totaal"  # the aspect 'alles bij elkaar (zeer) tevreden'
N_ROW = "totaal"  # the aspect whose rows carry the group sizes (Totaal %, Totaal N)
PO = "po"  # the sector of the pabo: aspects only the pabo table has are po aspects
EPS = 1e-9  # shares are published as whole percentages: smaller differences are ties


def aspects(df: pd.DataFrame) -> dict[str, str]:
    """Each aspect's label in quotes, without its closing punctuation:
    ``{"niveau": "‘Het niveau van de opleiding’"}``."""
    labels = df.drop_duplicates("item").set_index("item")["label"]
    return {str(i): "‘" + str(v).rstrip(". ?") + "’" for i, v in labels.items()}


def only_in(df: pd.DataFrame, other: pd.DataFrame) -> list[str]:
    """The aspects of ``df`` that ``other`` lacks, in order (the pabo's own aspects)."""
    theirs = set(other["item"])
    return [i for i in dict.fromkeys(df["item"]) if i not in theirs]


def partly_published(df: pd.DataFrame, tables: Iterable[pd.DataFrame]) -> list[str]:
    """The aspects of ``df`` that lack a value in some year of any of ``tables`` (Tabel 6.10,
    6.11): probably asked in fewer years, so a share over all cohorts mixes cohorts that did and
    did not get the question."""
    tables = list(tables)
    return [i for i in dict.fromkeys(df["item"])
            if any(d.loc[d["item"] == i, "pct"].isna().any() for d in tables)]


def years_with_value(tables: Iterable[pd.DataFrame], item: str) -> list[int]:
    """The years in which ``item`` has a value in every one of ``tables`` (Tabel 6.10, 6.11)."""
    sets = [set(d.loc[(d["item"] == item) & d["pct"].notna(), "jaar"].astype(int))
            for d in tables]
    return sorted(set.intersection(*sets)) if sets else []


def ja_nee_tests(df: pd.DataFrame, *, skip: Sequence[str] = (), po_only: Sequence[str] = (),
                 alpha: float = 0.05) -> pd.DataFrame:
    """Per aspect and sector of Tabel 6.12 (``df``): ``ja`` and ``nee`` (share satisfied with and
    without an internship at an opleidingsschool), ``verschil`` (ja − nee), a z-test for two
    proportions (``z``, ``p``) and Holm over all rows (``reject``, ``p_holm``); also ``item``,
    ``aspect`` (the label) and ``sector``. Left out: the N row, ``skip``, and ``po_only`` outside
    the po."""
    labels = df.drop_duplicates("item").set_index("item")["label"]
    rows = []
    for it in dict.fromkeys(df["item"]):
        if it == N_ROW or it in skip:
            continue
        for s in SECTORS[1:]:
            if s != PO and it in po_only:
                continue
            r = df[(df["item"] == it) & (df["sector"] == s)].set_index("opleidingsschool")
            ja, nee = r.loc["ja", "pct"], r.loc["nee", "pct"]
            n_ja, n_nee = int(r.loc["ja", "n"]), int(r.loc["nee", "n"])
            z, p = stats.two_proportions_pct(ja, n_ja, nee, n_nee)
            rows.append({"item": it, "aspect": labels[it], "sector": s, "ja": ja, "nee": nee,
                         "verschil": ja - nee, "z": z, "p": p})
    out = pd.DataFrame(rows)
    out["reject"], out["p_holm"] = stats.holm(list(out["p"]), alpha)
    return out


def sector_tests(t612: pd.DataFrame, pabo: pd.DataFrame, tweedegraads: pd.DataFrame,
                 alpha: float = 0.05) -> pd.DataFrame:
    """The tests of Tabel 6.12 as §6.5 reports them (:func:`ja_nee_tests`): aspects asked in fewer
    years (:func:`partly_published` in Tabel 6.10/6.11) left out, the pabo's own aspects
    (:func:`only_in`) only in the po. Chapters that cite §6.5's tests call this, so they agree."""
    return ja_nee_tests(t612, skip=partly_published(t612, [pabo, tweedegraads]),
                        po_only=only_in(pabo, tweedegraads), alpha=alpha)


def lowest(df: pd.DataFrame, sector: str, skip: Sequence[str] = ()) -> list[tuple[str, float]]:
    """``(aspect, share)`` of the least satisfying aspect(s) for ``ja`` in ``sector`` of Tabel
    6.12 (all of them when tied), leaving out the N row and ``skip``."""
    r = df[(df["sector"] == sector) & (df["opleidingsschool"] == "ja")
           & ~df["item"].isin([N_ROW, *skip])]
    r = r[r["pct"] <= r["pct"].min() + EPS]
    return list(zip(r["item"], r["pct"], strict=True))


def trend_tests(tables: Mapping[str, pd.DataFrame], alpha: float = 0.05,
                item: str = SATISFIED) -> pd.DataFrame:
    """Per table (key: ``opleiding``) and group (``groep``) the share ``item`` in the first and
    last year (``j0``, ``j1``, ``v0``, ``v1``), a Cochran–Armitage trend test over all years
    (``z``, ``p``), Holm over all rows (``reject``, ``p_holm``) and ``verandering`` (v1 − v0).
    A year without a value for a group is left out of that group's test; ``laatste`` is the
    table's last year, so a sentence can say when a group has no figure for it."""
    rows = []
    for opl, d in tables.items():
        t = d[d["item"] == item]
        last = int(d["jaar"].max())
        for g in GROUPS:
            r = t[t["opleidingsschool"] == g].sort_values("jaar").dropna(subset=["pct"])
            z, p = stats.trend_pct(list(r["pct"]), list(r["n"]), list(r["jaar"]))
            rows.append({"opleiding": opl, "groep": g, "j0": int(r["jaar"].iloc[0]),
                         "j1": int(r["jaar"].iloc[-1]), "v0": r["pct"].iloc[0],
                         "v1": r["pct"].iloc[-1], "z": z, "p": p, "laatste": last})
    out = pd.DataFrame(rows)
    out["reject"], out["p_holm"] = stats.holm(list(out["p"]), alpha)
    out["verandering"] = out["v1"] - out["v0"]
    return out


_WHO = {"ja": "bij wie stage liep op een opleidingsschool", "nee": "bij wie dat niet deed",
        "weet_niet": "bij wie het niet weet"}


def trend_sentence(trend: pd.DataFrame, opleiding: str) -> str:
    """How the share satisfied moved per group (rows of :func:`trend_tests`), worded as the trend
    test found it (:func:`lib.wording.trend`: "gestegen"/"gedaald" only for a trend that
    survives Holm), without a full stop: ``Het aandeel … bij wie stage liep op een
    opleidingsschool ging van 74% (2017) naar 70% (2020), zonder aantoonbare trend; …``. A group
    without a figure for the table's last year says so."""
    tr = trend[trend["opleiding"] == opleiding].set_index("groep")
    parts = []
    for g in GROUPS:
        r = tr.loc[g]
        part = f"{_WHO[g]} {wording.trend(r.v0, r.v1, bool(r.reject), int(r.j0), int(r.j1))}"
        if int(r.j1) < int(r.laatste):
            part += f" (voor {int(r.laatste)} is er in deze groep nog geen cijfer)"
        parts.append(part)
    return ("Het aandeel dat alles bij elkaar (zeer) tevreden is over de opleiding "
            + "; ".join(parts))


def trend_test_sentence(trend: pd.DataFrame, opleiding: str) -> str:
    """Which groups' trend (rows of :func:`trend_tests`) survives Holm, without a full stop."""
    tr = trend[trend["opleiding"] == opleiding].set_index("groep")
    sig = [GROUP_WORDS[g] for g in GROUPS if tr.loc[g, "reject"]]
    if not sig:
        return ("Een trendtoets over de jaren (Cochran–Armitage) vindt bij geen van de drie "
                "groepen een trend: die is " + wording.verdict(False))
    close = [GROUP_WORDS[g] for g in GROUPS
             if tr.loc[g, "reject"] and tr.loc[g, "p_holm"] >= wording.BORDERLINE]
    return ("Een trendtoets over de jaren (Cochran–Armitage) vindt een verandering die groter "
            "is dan toeval bij " + fmt.join(f"'{x}'" for x in sig)
            + ("" if not close else
               "; bij " + fmt.join(f"'{x}'" for x in close) + " ligt de p-waarde na correctie "
               "dicht bij de grens"))


def _cell(value: object, show: Callable[[float], str]) -> str | None:
    """A table cell: the value formatted, or None (shown as n.g.) for an empty cell or a year
    a group has no row for."""
    return None if value is None or fmt.is_missing(value) else show(value)


def by_year(df: pd.DataFrame) -> pd.DataFrame:
    """Tabel 6.10 or 6.11 with every published cell, laid out to fit a page: per aspect a row per
    group (``aspect``: its label on the first row, ``groep``: the group code) with a column per
    year (the percentage formatted; missing where the source has none, which the table shows as
    n.g.), and last the rows ``Totaal N`` with the group sizes. The source puts the groups side
    by side (twelve columns); here they sit under each other, so each aspect's three groups are
    compared down one column."""
    years = sorted(df["jaar"].unique())
    rows = []
    for it in dict.fromkeys(df["item"]):
        r = df[df["item"] == it].set_index(["opleidingsschool", "jaar"])
        for i, g in enumerate(GROUPS):
            rows.append({"aspect": r["label"].iloc[0] if i == 0 else "", "groep": g}
                        | {j: _cell(r["pct"].get((g, j)), fmt.pct) for j in years})
    n = df.drop_duplicates(["opleidingsschool", "jaar"]).set_index(["opleidingsschool", "jaar"])
    for i, g in enumerate(GROUPS):
        rows.append({"aspect": "Totaal N" if i == 0 else "", "groep": g}
                    | {j: _cell(n["n"].get((g, j)), fmt.number) for j in years})
    return pd.DataFrame(rows)


def by_sector(df: pd.DataFrame) -> pd.DataFrame:
    """Tabel 6.12 as published: per aspect a row per sector (the label on the first), with the
    formatted percentages ``ja``, ``nee``, ``weet_niet``; last the rows ``Totaal N``."""
    sectors = SECTORS[1:]
    labels = df.drop_duplicates("item").set_index("item")["label"]
    rows = []
    for it in labels.index:
        for j, s in enumerate(sectors):
            r = df[(df["item"] == it) & (df["sector"] == s)].set_index("opleidingsschool")
            rows.append({"aspect": labels[it] if j == 0 else "", "sector": s}
                        | {g: fmt.pct(r.loc[g, "pct"]) for g in GROUPS})
    for j, s in enumerate(sectors):
        r = df[(df["item"] == N_ROW) & (df["sector"] == s)].set_index("opleidingsschool")
        rows.append({"aspect": "Totaal N" if j == 0 else "", "sector": s}
                    | {g: fmt.number(r.loc[g, "n"]) for g in GROUPS})
    return pd.DataFrame(rows)


def satisfied_by_year(df: pd.DataFrame, item: str = SATISFIED) -> pd.DataFrame:
    """The rows of ``item`` in Tabel 6.10 or 6.11 for a trend chart: with ``laag`` and ``hoog``
    (95%-Wilson interval of the share, from the rounded percentage and ``n``) and ``groep`` (the
    group in words); years without a value are left out."""
    t = df[(df["item"] == item) & df["pct"].notna()].copy()  # a year without a value: no point
    band = [stats.wilson_pct(p, n) for p, n in zip(t["pct"], t["n"], strict=True)]
    t["laag"], t["hoog"] = [lo for lo, _ in band], [hi for _, hi in band]
    t["groep"] = t["opleidingsschool"].map(GROUP_WORDS)
    return t
