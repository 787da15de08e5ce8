"""Findings that the samenvatting and chapter 8 both state, computed once.

Both chapters summarise the same tables (Tabel 5.3, 5.4, 6.2, 6.9, 6.12, Figuur 5.4, 7.3) in
their own sentences. What they compute about those tables lives here, so the two cannot drift
apart: the words a sentence glues (with their connective) and the conditions a chapter guards a
typed sentence with (``ch.holds``). Thresholds come from :mod:`lib.wording`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from lib import fmt, lbm, prose, stats, wording

EPS = 1e-9
NORM_ID = "werkplekleren_norm_pct"  # the 40%-norm, defined once in tekstcijfers_h8
# Tabel 5.3: the two tasks about starting teachers (inductie), against all nine tasks
INDUCTION = ("inductietraject_ontwikkelen", "startende_leraren_begeleiden")


def norm(ch: Any) -> float:
    """The 40%-norm for learning in the workplace, from ``tekstcijfers_h8`` (its one
    definition), for any chapter ``ch``."""
    if ch.number == 8:
        return ch.value(NORM_ID)
    return float(ch.load("tekstcijfers_h8").set_index("id").loc[NORM_ID, "waarde"])


# --- Tabel 6.2: the six quality themes, before and during ---------------------------------------

@dataclass(frozen=True)
class Themes:
    """Tabel 6.2 read as both chapters state it."""

    voor: pd.Series
    nu: pd.Series

    @property
    def n(self) -> int:
        return len(self.nu)

    @property
    def n_higher(self) -> int:
        """Themes rated higher now than before."""
        return int((self.nu > self.voor.reindex(self.nu.index) + EPS).sum())

    def higher_words(self) -> str:
        """``alle zes`` or ``vier van de zes`` (themes rated higher now)."""
        if self.n_higher == self.n:
            return "alle " + prose.count(self.n)
        return f"{prose.count(self.n_higher)} van de {prose.count(self.n)}"

    @property
    def majority_higher(self) -> bool:
        """More than half of the themes rated higher now (what "breed gedragen" rests on)."""
        return wording.is_majority(100 * self.n_higher / self.n)

    @property
    def all_higher(self) -> bool:
        return self.n_higher == self.n

    @property
    def top(self) -> pd.Series:
        """The three highest themes now."""
        return self.nu.sort_values(ascending=False).head(3)

    @property
    def top_clear(self) -> bool:
        """The three highest themes now are above every other theme (no tie at the cut)."""
        ordered = self.nu.sort_values(ascending=False)
        return len(ordered) <= 3 or ordered.iloc[2] > ordered.iloc[3] + EPS

    @property
    def lowest_now(self) -> str:
        return str(self.nu.idxmin())

    @property
    def lowest_before(self) -> str:
        return str(self.voor.idxmin())

    @property
    def gap_now(self) -> float:
        """Distance of the lowest theme now to the next one."""
        return float(self.nu.drop(self.lowest_now).min() - self.nu.min())

    @property
    def gap_before(self) -> float:
        """Distance of the lowest theme before to the next one."""
        return float(self.voor.drop(self.lowest_before).min() - self.voor.min())

    @property
    def lowest_both(self) -> bool:
        """The same theme is the single lowest before and now."""
        return (self.lowest_now == self.lowest_before and self.gap_now > EPS
                and self.gap_before > EPS)


# --- Tabel 6.9 and 6.12: graduates (Loopbaanmonitor) --------------------------------------------

def lbm_higher(g69: pd.DataFrame, sectors: Sequence[str]) -> bool:
    """In every sector the mean of ``ja`` (internship at an opleidingsschool) is above ``nee``."""
    return all(g69.loc[s, "ja"] > g69.loc[s, "nee"] + EPS for s in sectors)


def lbm_starred(starred: Sequence[str], sectors: Sequence[str]) -> str:
    """Where the source calls the difference of Tabel 6.9 significant, for ``de bron noemt dat
    verschil {} significant``: ``alleen in het po``, ``in alle drie de sectoren``, ``in geen
    enkele sector``."""
    found = [s for s in sectors if s in set(starred)]
    if not found:
        return "in geen enkele sector"
    if len(found) == len(sectors):
        return "in alle drie de sectoren" if len(sectors) == 3 else "in elke sector"
    return "alleen in " + fmt.join(f"het {s}" for s in found)


def significant_aspects(tests: pd.DataFrame, aspects: Mapping[str, str],
                        sectors: Sequence[str],
                        detail: Callable[[Any], str] | None = None) -> str:
    """The aspects of Tabel 6.12 whose ja/nee difference survives Holm (rows of
    :func:`lib.lbm.sector_tests`), with their sectors; a borderline result (adjusted p at or
    above :data:`lib.wording.BORDERLINE`) gets careful words: ``‘De voorbereiding …’ in het po
    en vo (in het vo dicht bij de grens: p = 0,020 na correctie)``. With ``detail`` (a row →
    text, e.g. ``72% tegen 65%``) each sector gets its own brackets: ``in het po (72% tegen
    65%) en in het vo (63% tegen 55%; dicht bij de grens: p = 0,020 na correctie)``. Empty when
    none survives."""
    order = list(sectors)

    def near(r: Any) -> str:
        return (f"dicht bij de grens: {fmt.pvalue(r.p_holm)} na correctie"
                if r.p_holm >= wording.BORDERLINE else "")

    parts = []
    for item, g in tests[tests.reject].groupby("item", sort=False):
        rows = sorted(g.itertuples(), key=lambda r: order.index(r.sector))
        if detail is not None:
            where = fmt.join(f"in het {r.sector} ("
                             + "; ".join(x for x in (detail(r), near(r)) if x) + ")"
                             for r in rows)
        else:
            where = f"in het {fmt.join(r.sector for r in rows)}"
            if any(near(r) for r in rows):
                where += " (" + fmt.join(f"in het {r.sector} {near(r)}" for r in rows
                                         if near(r)) + ")"
        parts.append(f"{aspects[item]} {where}")
    return fmt.join(parts) if parts else ""


def tested_clause(tests: pd.DataFrame, aspects: Mapping[str, str],
                  sectors: Sequence[str]) -> str:
    """``alleen duidelijk bij …`` or ``bij geen enkel aspect duidelijk`` (for "Per aspect … is
    het verschil na correctie voor het aantal toetsen {}")."""
    found = significant_aspects(tests, aspects, sectors)
    return f"alleen duidelijk bij {found}" if found else "bij geen enkel aspect duidelijk"


# --- Figuur 5.4a/b: stuurgroepleden of lerarenopleidingen against partnerscholen ----------------

def two_groups(groups: pd.DataFrame) -> tuple[float, float, float, bool]:
    """(pct opleidingsinstituten, pct partnerscholen, p, reject) of a z-test for two
    proportions on one statement of Figuur 5.4."""
    i, s = groups.loc["opleidingsinstituten"], groups.loc["partnerscholen"]
    _, p = stats.two_proportions_pct(i.pct, int(i.n_groep), s.pct, int(s.n_groep))
    return float(i.pct), float(s.pct), float(p), bool(p < wording.ALPHA)


# --- Figuur 7.3: growth ambition ---------------------------------------------------------------

@dataclass(frozen=True)
class Growth:
    """Figuur 7.3: the share 'geen groeiambitie' and where it stands."""

    pct: float
    most_chosen: bool

    @classmethod
    def of(cls, groei: pd.DataFrame) -> Growth:
        pct = float(groei.loc["geen_groeiambitie", "pct"])
        return cls(pct, bool(pct >= groei.pct.max() - EPS))

    @property
    def majority(self) -> bool:
        return wording.is_majority(self.pct)

    def position(self) -> str:
        return ("het vaakst gekozen antwoord" if self.most_chosen
                else "niet het vaakst gekozen antwoord")

    def connective(self) -> str:
        """``maar`` when the most chosen answer is no majority (the reader expects one),
        otherwise ``en``."""
        return wording.contrast(not (self.most_chosen and not self.majority))


# --- Tabel 5.3: formation per task ---------------------------------------------------------------

def ranked_tasks(fte: pd.DataFrame) -> pd.DataFrame:
    """Tabel 5.3 ordered from most to least FTE."""
    return fte.sort_values("fte", ascending=False)


def clear_ends(fte: pd.DataFrame, k: int = 3) -> bool:
    """The top ``k`` and bottom ``k`` tasks are set apart from the rest (no tie at either cut)."""
    v = ranked_tasks(fte).fte.reset_index(drop=True)
    return len(v) > 2 * k and v[k - 1] > v[k] + EPS and v[len(v) - k] < v[len(v) - k - 1] - EPS


def induction_low(fte: pd.DataFrame) -> bool:
    """Both induction tasks get less FTE than the median task."""
    ind = fte.set_index("taak").loc[list(INDUCTION), "fte"]
    return bool(ind.max() < fte.fte.median() - EPS)


def induction_words(fte: pd.DataFrame) -> str:
    return "weinig formatie" if induction_low(fte) else "geen bijzonder lage formatie"


# --- Tabel 6.12 against Tabel 6.10: the po's least satisfying aspects ---------------------------



def cohorts(pabo: pd.DataFrame, h6: pd.DataFrame) -> pd.DataFrame:
    """The years of Tabel 6.10 that Tabel 6.12 adds up: the cohorts §6.5 names
    (``lbm_cohort_eerste`` to ``lbm_cohort_laatste`` in ``tekstcijfers_h6``, indexed by id)."""
    first, last = (float(h6.loc[k, "waarde"]) for k in ("lbm_cohort_eerste", "lbm_cohort_laatste"))
    return pabo[pabo["jaar"].between(first, last)]


def lowest_po(t612: pd.DataFrame, pabo: pd.DataFrame,
              skip: Sequence[str]) -> list[tuple[str, float, tuple[float, float] | None]]:
    """The least satisfying aspect(s) for ``ja`` in the po of Tabel 6.12 (ties kept, ``skip``
    left out), each with the range of its yearly shares in ``pabo`` (Tabel 6.10, the cohort
    years: :func:`cohorts`) when the Tabel 6.12 share
    lies outside that range (the two tables disagree, see erratum E-6-9), else ``None``."""
    out = []
    for item, pct in lbm.lowest(t612, "po", skip=skip):
        years = pabo[(pabo["item"] == item) & (pabo["opleidingsschool"] == "ja")]["pct"].dropna()
        outside = len(years) and not (years.min() - EPS <= pct <= years.max() + EPS)
        out.append((item, float(pct), (float(years.min()), float(years.max())) if outside
                    else None))
    return out


def per_year_note(yearly: tuple[float, float] | None) -> str:
    """``; per jaar geeft Tabel 6.10 55% tot 63%, zie erratum E-6-9`` (empty when the tables
    agree)."""
    if yearly is None:
        return ""
    note = f"; per jaar geeft Tabel 6.10 {fmt.pct(yearly[0])} tot {fmt.pct(yearly[1])}"
    return note + ", zie erratum E-6-9"  # E-6-9 lists every share outside its yearly range


def least_satisfying(t612: pd.DataFrame, pabo: pd.DataFrame,
                     tweedegraads: pd.DataFrame) -> dict[str, list[str]]:
    """Per sector the least satisfying aspect(s) for ``ja`` in Tabel 6.12 (the pabo's own
    aspects, which Tabel 6.12 fills with near-zero shares outside the po, only in the po)."""
    own = lbm.only_in(pabo, tweedegraads)
    return {s: [i for i, _ in lbm.lowest(t612, s, [] if s == "po" else own)]
            for s in ("po", "vo", "mbo")}


def far_lowest_words(voor: pd.Series, nu: pd.Series, theme: str) -> str:
    """Whether the source's "verreweg het laagst, zowel vóór als tijdens" holds for ``theme``
    (:func:`lib.wording.far_ahead`): ``""`` when it does at both moments, else which part
    holds: ``dat klopt alleen voor nu``."""
    before = wording.far_ahead(voor.to_dict(), theme, lowest=True)
    now = wording.far_ahead(nu.to_dict(), theme, lowest=True)
    if before and now:
        return ""
    return ("dat klopt alleen voor nu" if now else "dat klopt alleen voor vóór deelname"
            if before else "dat klopt voor geen van beide momenten")
