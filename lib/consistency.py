"""Consistency across data files: the same quantity, published in two places, must agree.

The sidecar checks (:mod:`lib.checks`) look inside one file; the checks here compare files (the
text's numbers against Tabel 4.1, Tabel 6.1 against 4.2, 6.9 against 6.12, item means against
their group and theme means, …). Each check is a function that returns a list of problems, each a
Dutch sentence naming the file(s), the rows and what was expected (empty list: the check holds).
:func:`lib.data.validate_all` runs them after the per-file checks, so ``python -m lib.data`` and
the build stop on them.

Where the source itself contradicts itself, the check names the erratum (``data/errata.csv``) and
tolerates exactly the documented rows: a new deviation is a problem, and so is a documented one
that no longer occurs (the erratum is then stale). :func:`run_all` also runs the check of every
erratum (:func:`lib.errata.problems`): one that no longer finds its source error stops the build
with "E-x-y geldt niet meer: …".
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import partial

import pandas as pd

from lib import data, errata, paths

Loader = Callable[[str], pd.DataFrame]

ITEM_TABLES: tuple[str, ...] = (
    "tabel_6_3_opleidingsprogramma", "tabel_6_4_leeromgeving", "tabel_6_5_begeleiding",
    "tabel_6_6_beoordeling", "tabel_6_7_student", "tabel_6_8_professionalisering",
)
ROUNDING = errata.ROUNDING  # item means are published with two decimals
THEME_TOLERANCE = 0.01  # theme means (two decimals) against the mean of their item means
SPLITS = ("geleding", "sector")  # each splits all 248 respondents (the schooltypes do not: E-6-2)
SECTOR_PARTS = ("po", "vo", "mbo")
GELEDINGEN = ("coordinatie", "bestuur", "uitvoering")


@dataclass(frozen=True)
class Erratum:
    """A documented source error: the rows (keys) on which a check is known to fail."""

    id: str
    rows: frozenset[int]


# Items of a table whose total lies outside the means of a split, as documented in the errata.
# The schooltype split is checked only where an erratum documents it: the two schooltypes hold
# 241 of the 248 respondents (E-6-2), so in general the total need not lie between them.
ITEM_ERRATA: dict[tuple[str, str], Erratum] = {
    ("tabel_6_3_opleidingsprogramma", "schooltype"): Erratum("E-6-3", frozenset({8, 10})),
}


def csv(name: str) -> str:
    """``data/<name>.csv`` as messages name it (relative to the project root)."""
    return data.rel(paths.data_dir() / f"{name}.csv")


def _one(df: pd.DataFrame, **where: object) -> pd.Series | None:
    """The single row of ``df`` matching ``where`` (None if there is none or more than one)."""
    mask = pd.Series(True, index=df.index)
    for col, value in where.items():
        mask &= df[col] == value
    rows = df[mask]
    return rows.iloc[0] if len(rows) == 1 else None


def _keys(**where: object) -> str:
    return ", ".join(f"{k}={v}" for k, v in where.items())


def _missing(name: str, **where: object) -> str:
    return f"{csv(name)}: rij ({_keys(**where)}) ontbreekt of komt meer dan eens voor"


def _known_errata(load: Loader) -> set[str]:
    return set(load("errata")["id"])


# --- text numbers against tables ---------------------------------------------------------------

def partnerships_text_vs_tabel_4_1(load: Loader = data.load) -> list[str]:
    """The partnerships per sector in the text of chapter 1 are those of Tabel 4.1."""
    h1, t41 = "tekstcijfers_h1", "tabel_4_1_respons_sector"
    text, table = load(h1), load(t41)
    problems = []
    for s in (*SECTOR_PARTS, "totaal"):
        said = _one(text, id=f"partnerschappen_{s}")
        row = _one(table, populatie="partnerschappen", sector=s)
        if said is None:
            problems.append(_missing(h1, id=f"partnerschappen_{s}"))
        elif row is None:
            problems.append(_missing(t41, populatie="partnerschappen", sector=s))
        elif said["waarde"] != row["n"]:
            problems.append(
                f"{csv(h1)} (id=partnerschappen_{s}) tegen {csv(t41)} (populatie=partnerschappen, "
                f"sector={s}): de tekst noemt {said['waarde']:g} partnerschappen, Tabel 4.1 "
                f"{row['n']}; verwacht gelijk")
    return problems


def sop_students_add_up_to_100(load: Loader = data.load) -> list[str]:
    """The shares of SO&P students per sector in the text of chapter 1 add up to 100 ± 2."""
    h1 = "tekstcijfers_h1"
    ids = ("sop_studenten_po_pct", "sop_studenten_vo_pct", "sop_studenten_mbo_pct",
           "sop_studenten_po_vo_pct")
    text = load(h1)
    rows = {i: _one(text, id=i) for i in ids}
    absent = [i for i, r in rows.items() if r is None]
    if absent:
        return [_missing(h1, id=i) for i in absent]
    total = sum(float(r["waarde"]) for r in rows.values() if r is not None)
    if abs(total - 100) > 2.0:
        return [f"{csv(h1)} (id={', '.join(ids)}): de aandelen per sector tellen op tot "
                f"{total:g}%, verwacht 100 ± 2 (afgeronde percentages)"]
    return []


def text_numbers_h4_vs_tabel_4_1(load: Loader = data.load) -> list[str]:
    """The response counts in the text of chapter 4 agree with Tabel 4.1 and with each other."""
    h4, t41 = "tekstcijfers_h4", "tabel_4_1_respons_sector"
    text, table = load(h4), load(t41)
    problems = []
    values = {}
    for key in ("partnerschappen_populatie", "enquete_bruikbaar", "enquete_volledig",
                "enquete_geen_toestemming"):
        row = _one(text, id=key)
        if row is None:
            problems.append(_missing(h4, id=key))
        else:
            values[key] = float(row["waarde"])
    if problems:
        return problems
    for key, populatie in (("partnerschappen_populatie", "partnerschappen"),
                           ("enquete_bruikbaar", "respondenten")):
        row = _one(table, populatie=populatie, sector="totaal")
        if row is None:
            problems.append(_missing(t41, populatie=populatie, sector="totaal"))
        elif values[key] != row["n"]:
            problems.append(f"{csv(h4)} (id={key}) tegen {csv(t41)} (populatie={populatie}, "
                            f"sector=totaal): de tekst noemt {values[key]:g}, Tabel 4.1 "
                            f"{row['n']}; verwacht gelijk")
    usable = values["enquete_volledig"] - values["enquete_geen_toestemming"]
    if usable != values["enquete_bruikbaar"]:
        problems.append(f"{csv(h4)} (id=enquete_volledig, enquete_geen_toestemming, "
                        f"enquete_bruikbaar): {values['enquete_volledig']:g} volledig min "
                        f"{values['enquete_geen_toestemming']:g} zonder toestemming is {usable:g}, "
                        f"verwacht {values['enquete_bruikbaar']:g} bruikbaar")
    return problems


# --- group sizes published twice ---------------------------------------------------------------

def _sizes_vs_tabel_4_2(name: str, where: dict[str, str], groups: tuple[str, ...],
                        key: str, load: Loader) -> list[str]:
    """Every row of ``name`` for a geleding carries the size Tabel 4.2 gives that geleding."""
    t42 = "tabel_4_2_geleding"
    df, sizes = load(name), load(t42)
    for col, value in where.items():
        df = df[df[col] == value]
    problems = []
    for g in groups:
        expected = _one(sizes, geleding=g)
        found = sorted(set(df.loc[df[key] == g, "n_groep"]))
        label = _keys(**where, **{key: g})
        if expected is None:
            problems.append(_missing(t42, geleding=g))
        elif not found:
            problems.append(f"{csv(name)}: geen rijen met {label}; verwacht de groep uit "
                            f"{csv(t42)} (geleding={g}, n={expected['n']})")
        elif found != [expected["n"]]:
            problems.append(f"{csv(name)} ({label}) tegen {csv(t42)} (geleding={g}): n_groep "
                            f"{', '.join(str(v) for v in found)} voor {g}, verwacht "
                            f"{expected['n']} (kolom n van Tabel 4.2) in elke rij")
    return problems


def satisfaction_sizes_vs_tabel_4_2(load: Loader = data.load) -> list[str]:
    """Tabel 6.1 splits the respondents into the geledingen of Tabel 4.2, with the same sizes."""
    by_geleding = _sizes_vs_tabel_4_2("tabel_6_1_tevredenheid", {"groep_type": "geleding"},
                                      GELEDINGEN, "groep", load)
    total = _sizes_vs_tabel_4_2("tabel_6_1_tevredenheid", {"groep_type": "totaal"},
                                ("totaal",), "groep", load)
    return by_geleding + total


def steering_group_sizes_vs_tabel_4_2(load: Loader = data.load) -> list[str]:
    """Tabel 4.3 (steering group) uses the geleding sizes of Tabel 4.2."""
    return _sizes_vs_tabel_4_2("tabel_4_3_stuurgroep", {}, (*GELEDINGEN, "totaal"),
                               "geleding", load)


def conversations_blocks_of_tabel_4_4(load: Loader = data.load) -> list[str]:
    """Both blocks of Tabel 4.4 count the same participants. Where they differ on who came from
    outside a partnership is erratum E-4-2; its check (:mod:`lib.errata`, run by :func:`run_all`)
    stops the build when the two blocks agree."""
    a, b = "tabel_4_4a_gesprekken_sector", "tabel_4_4b_gesprekken_functie"
    sector, functie = load(a), load(b)
    total = _one(sector, sector="totaal")
    if total is None:
        return [_missing(a, sector="totaal")]
    problems = []
    by_function = int(functie["totaal"].sum())
    if by_function != total["respondenten"]:
        problems.append(f"{csv(b)} (kolom totaal) tegen {csv(a)} (sector=totaal): naar functie "
                        f"{by_function} deelnemers, naar sector {total['respondenten']}; "
                        "verwacht gelijk")
    return problems


def lbm_counts_6_9_vs_6_12(load: Loader = data.load) -> list[str]:
    """Every item of Tabel 6.12 counts the respondents Tabel 6.9 gives per sector and school."""
    t69, t612 = "tabel_6_9_lbm_gemiddelde", "tabel_6_12_lbm_sector"
    means, items = load(t69), load(t612)
    problems = []
    for (s, school), n in items.groupby(["sector", "opleidingsschool"])["n"]:
        row = _one(means, sector=s, opleidingsschool=school)
        where = _keys(sector=s, opleidingsschool=school)
        if row is None:
            problems.append(f"{csv(t612)} ({where}) tegen {csv(t69)}: die rij ontbreekt in "
                            "Tabel 6.9; verwacht dezelfde groepen")
        elif set(n) != {row["n"]}:
            problems.append(f"{csv(t612)} ({where}) tegen {csv(t69)} ({where}): n "
                            f"{', '.join(str(v) for v in sorted(set(n)))}, verwacht {row['n']} "
                            "bij elk item")
    return problems


# --- means: items within groups, themes as means of items, weighted sector means ---------------

def _outside(g: pd.DataFrame, split: str) -> tuple[float, float, float] | None:
    """(total, lowest, highest) if the item's total lies outside its ``split`` means (the same
    test as the check of erratum E-6-3)."""
    return errata.outside_group_means(g, split, ROUNDING)


def item_totals_within_group_means(table: str, load: Loader = data.load) -> list[str]:
    """Geleding and sector each split all 248 respondents, so an item's total is a weighted mean
    of the group means and lies between the lowest and the highest of them (± rounding). Where an
    erratum documents that it does not (``ITEM_ERRATA``), exactly those items may deviate."""
    df = load(table)
    file = csv(table)
    problems = []
    deviating: dict[str, set[int]] = {}
    splits = [*SPLITS, *(split for (t, split) in ITEM_ERRATA if t == table)]
    for item, g in df.groupby("item"):
        if (g.groep_type == "totaal").sum() != 1:
            problems.append(f"{file} (item={item}): verwacht precies één rij met "
                            "groep_type=totaal")
            continue
        for split in splits:
            out = _outside(g, split)
            if out is None:
                continue
            deviating.setdefault(split, set()).add(int(item))
            erratum = ITEM_ERRATA.get((table, split))
            if erratum is not None and int(item) in erratum.rows:
                continue
            total, low, high = out
            problems.append(
                f"{file} (item={item}, groep_type=totaal): totaal {total:g} ligt buiten de "
                f"{split}gemiddelden van dat item ({low:g} tot {high:g}, marge {ROUNDING:g}); "
                f"verwacht een gewogen gemiddelde van de groepen (groep_type={split})"
                + (f"; erratum {erratum.id} noemt alleen item "
                   f"{', '.join(str(i) for i in sorted(erratum.rows))}" if erratum else ""))
    for (t, split), erratum in ITEM_ERRATA.items():
        if t != table:
            continue
        if erratum.id not in _known_errata(load):
            problems.append(f"{file} (groep_type={split}) tegen {csv('errata')}: erratum "
                            f"{erratum.id} ontbreekt, maar deze controle verwijst ernaar")
        gone = sorted(erratum.rows - deviating.get(split, set()))
        if gone:
            problems.append(
                f"{file} (item={', '.join(str(i) for i in gone)}, groep_type={split}) tegen "
                f"{csv('errata')} ({erratum.id}): het totaal ligt nu wel tussen de "
                f"{split}gemiddelden, maar het erratum noemt het als bronfout; werk "
                f"data/errata.csv en lib/consistency.py (ITEM_ERRATA) bij")
    return problems


def theme_means_vs_items(load: Loader = data.load) -> list[str]:
    """The 'tijdens' mean of a theme in Tabel 6.2 is the mean of its items' totals (6.3–6.8)."""
    t62 = "tabel_6_2_themas"
    themes = load(t62)
    problems = []
    for table in ITEM_TABLES:
        theme = table.split("_", 3)[3]
        row = _one(themes, thema=theme, moment="tijdens")
        if row is None:
            problems.append(_missing(t62, thema=theme, moment="tijdens"))
            continue
        df = load(table)
        mean_of_items = float(df.loc[df.groep_type == "totaal", "gemiddelde"].mean())
        if not abs(mean_of_items - float(row["gemiddelde"])) <= THEME_TOLERANCE:
            problems.append(
                f"{csv(t62)} (thema={theme}, moment=tijdens) tegen {csv(table)} "
                f"(groep_type=totaal): themagemiddelde {row['gemiddelde']:g}, verwacht het "
                f"gemiddelde van de items {mean_of_items:.3f} ± {THEME_TOLERANCE:g}")
    return problems


def tabel_5_4_weighted_mean(load: Loader = data.load) -> list[str]:
    """The total of Tabel 5.4 counts the sectors' partnerships, and its mean is their weighted
    mean (each mean published as a whole percentage, so each may be off by 0.5)."""
    t54 = "tabel_5_4_werkplekleren_sector"
    t = load(t54).set_index("sector")
    absent = [s for s in (*SECTOR_PARTS, "totaal") if s not in t.index]
    if absent:
        return [_missing(t54, sector=s) for s in absent]
    parts = t.loc[list(SECTOR_PARTS)]
    n = int(parts["n"].sum())
    if n != t.loc["totaal", "n"]:
        return [f"{csv(t54)} (sector=totaal): n {t.loc['totaal', 'n']}, verwacht "
                f"{' + '.join(str(v) for v in parts['n'])} = {n} (de sectoren samen)"]
    low = float(((parts["gemiddelde"] - 0.5) * parts["n"]).sum() / n)
    high = float(((parts["gemiddelde"] + 0.5) * parts["n"]).sum() / n)
    total = float(t.loc["totaal", "gemiddelde"])
    if not (low <= total + 0.5 and total - 0.5 <= high):
        return [f"{csv(t54)} (sector=totaal): gemiddelde {total:g}, verwacht het naar n "
                f"gewogen gemiddelde van po, vo en mbo: tussen {low:.2f} en {high:.2f} "
                "(± 0,5 afronding per gepubliceerd gemiddelde)"]
    return []


# --- all checks --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    """A cross-file check: what it is called, the datasets it reads, and the function."""

    name: str
    datasets: tuple[str, ...]
    run: Callable[[Loader], list[str]]


CHECKS: tuple[Check, ...] = (
    Check("tekst h1 tegen Tabel 4.1", ("tekstcijfers_h1", "tabel_4_1_respons_sector"),
          partnerships_text_vs_tabel_4_1),
    Check("SO&P-studenten per sector (tekst h1)", ("tekstcijfers_h1",),
          sop_students_add_up_to_100),
    Check("tekst h4 tegen Tabel 4.1", ("tekstcijfers_h4", "tabel_4_1_respons_sector"),
          text_numbers_h4_vs_tabel_4_1),
    Check("Tabel 6.1 tegen 4.2", ("tabel_6_1_tevredenheid", "tabel_4_2_geleding"),
          satisfaction_sizes_vs_tabel_4_2),
    Check("Tabel 4.3 tegen 4.2", ("tabel_4_3_stuurgroep", "tabel_4_2_geleding"),
          steering_group_sizes_vs_tabel_4_2),
    Check("Tabel 4.4 boven- tegen onderdeel",
          ("tabel_4_4a_gesprekken_sector", "tabel_4_4b_gesprekken_functie", "errata"),
          conversations_blocks_of_tabel_4_4),
    Check("Tabel 6.12 tegen 6.9", ("tabel_6_9_lbm_gemiddelde", "tabel_6_12_lbm_sector"),
          lbm_counts_6_9_vs_6_12),
    *(Check(f"items {t} binnen groepsgemiddelden", (t, "errata"),
            partial(item_totals_within_group_means, t)) for t in ITEM_TABLES),
    Check("Tabel 6.2 tegen de items van 6.3–6.8", ("tabel_6_2_themas", *ITEM_TABLES),
          theme_means_vs_items),
    Check("Tabel 5.4 gewogen gemiddelde", ("tabel_5_4_werkplekleren_sector",),
          tabel_5_4_weighted_mean),
)


def run_all(frames: Mapping[str, pd.DataFrame] | None = None,
            broken: Collection[str] = ()) -> list[str]:
    """Run every check; return all problems (empty: every check holds).

    ``frames``: datasets already loaded and checked (others are loaded with :func:`lib.data.load`).
    ``broken``: datasets that failed their own checks; checks reading them are skipped, since
    that failure is reported already. A dataset a check needs that cannot be loaded is a problem.
    """
    cache: dict[str, pd.DataFrame] = dict(frames or {})

    def load(name: str) -> pd.DataFrame:
        if name not in cache:
            cache[name] = data.load(name)
        return cache[name].copy()

    problems = []
    for check in CHECKS:
        if set(check.datasets) & set(broken):
            continue
        try:
            problems += check.run(load)
        except data.DataError as exc:
            problems.append(f"controle '{check.name}' kan niet draaien: {exc}")
    # the errata: each check must still find the source error it documents (lib.errata)
    if errata.REGISTER not in broken:
        problems += errata.problems(load, skip=broken)
    return problems
