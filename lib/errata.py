"""Errata as checks: every erratum in ``data/errata.csv`` that data can decide has a machine check.

An erratum says that the source contradicts itself (text against table, table against table).
Its row in ``data/errata.csv`` names the kind of check (column ``controle``):

- ``data``: a function registered here with :func:`check` re-reads the source's claim against the
  data. It returns a :class:`Finding`: ``stands`` (the claim is still contradicted, so the erratum
  applies), ``values`` (Dutch-formatted numbers and words that fill the ``{placeholders}`` of the
  row's ``bevinding`` and ``afhandeling``) and, when it no longer stands, ``reason`` (what changed).
- ``tekst``: the erratum is about the source's cross-references or structure (a paragraph that
  does not exist, letters of a list); no data value can change it, so it has no check and its
  texts have no placeholders.

:func:`render` fills an erratum's texts from its check and raises :class:`ErratumError`
("E-x-y geldt niet meer: …") when the check no longer stands; :func:`problems` lists everything
wrong with the register (the build's data validation runs it through :mod:`lib.consistency`);
:func:`reads` gives the datasets the checks of some errata read (the editions step declares them
for a chapter that shows those errata, see :mod:`lib.editions`).

The claims of the source that are numbers live in ``data/tekstcijfers_h*.csv``; claims that name
items or categories (``item 8, 9 en 10``) are constants beside their check, with their place in
the source.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from lib import data, fmt, paths, wording

Loader = Callable[[str], pd.DataFrame]
REGISTER = "errata"
KINDS = ("data", "tekst")  # column 'controle' of data/errata.csv
TEXT_COLUMNS = ("bevinding", "afhandeling")
ID = re.compile(r"E-\d+-\d+")


class ErratumError(ValueError):
    """An erratum that no longer holds, or a register row that cannot be rendered."""


@dataclass(frozen=True)
class Finding:
    """What a check found: does the erratum still apply, the values for its texts, and why not."""

    stands: bool
    values: dict[str, str] = field(default_factory=dict)
    reason: str = ""


@dataclass(frozen=True)
class Check:
    id: str
    reads: tuple[str, ...]
    run: Callable[[Loader], Finding]


CHECKS: dict[str, Check] = {}


def check(erratum: str, reads: tuple[str, ...]) -> Callable[[Callable[[Loader], Finding]],
                                                            Callable[[Loader], Finding]]:
    """Register ``fn(load) -> Finding`` as the check of ``erratum``; ``reads``: every dataset it
    loads (the editions step declares them for chapters that show the erratum)."""
    def add(fn: Callable[[Loader], Finding]) -> Callable[[Loader], Finding]:
        if erratum in CHECKS:
            raise ValueError(f"erratum {erratum} heeft al een controle")
        CHECKS[erratum] = Check(erratum, tuple(reads), fn)
        return fn
    return add


# --- the register --------------------------------------------------------------------------------

def register(load: Loader = data.load) -> pd.DataFrame:
    """``data/errata.csv`` as stored: texts with their ``{placeholders}``."""
    return load(REGISTER)


def placeholders(text: str) -> list[str]:
    """The ``{names}`` in ``text``, in order."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def evaluate(erratum: str, load: Loader = data.load) -> Finding:
    """Run the check of ``erratum`` (an exact id with ``controle: data``)."""
    if erratum not in CHECKS:
        raise ErratumError(f"{_csv()} (id={erratum}, kolom controle): 'data', maar lib/errata.py "
                           f"heeft geen controle voor {erratum}")
    return CHECKS[erratum].run(load)


def citing(erratum: str) -> list[str]:
    """The chapter templates that name ``erratum``: by its id, or by a prefix (``E-4-``; ``E-``
    for appendix B) in a list of errata."""
    found = []
    for t in sorted(paths.chapters_dir().glob("*.md")):
        refs = referenced(t.read_text(encoding="utf-8"))
        if erratum in refs:
            found.append(t.name)
        elif matches(erratum, refs):
            prefix = max((r for r in refs if r.endswith("-") and erratum.startswith(r)), key=len)
            found.append(f"{t.name} (lijst {prefix})")
    return found


def stale_message(erratum: str, reason: str) -> str:
    """``E-x-y geldt niet meer: <reason>`` and what to do."""
    where = citing(erratum)
    return (f"{erratum} geldt niet meer: {reason}. Verwijder of herschrijf rij {erratum} in "
            f"{_csv()} (en zo nodig de controle in lib/errata.py), en de zinnen die ernaar "
            f"verwijzen in book/chapters/: {', '.join(where) if where else '(geen)'}")


def _row_problems(row: dict, finding: Finding | None) -> list[str]:
    rid, values = row["id"], (finding.values if finding else {})
    out, used = [], set()
    for col in TEXT_COLUMNS:
        try:
            names = placeholders(row[col])
        except ValueError as exc:  # a lone brace
            out.append(f"{_csv()} (id={rid}, kolom {col}): ongeldige tekst voor plaatshouders "
                       f"({exc}); schrijf een accolade als {{{{ of }}}}")
            continue
        for name in names:
            used.add(name)
            if not name.isidentifier():
                out.append(f"{_csv()} (id={rid}, kolom {col}): ongeldige plaatshouder "
                           f"{{{name}}}")
            elif name not in values:
                out.append(f"{_csv()} (id={rid}, kolom {col}): plaatshouder {{{name}}} heeft "
                           f"geen waarde" + ("" if finding else " (controle 'tekst' levert geen "
                                             "waarden; maak er 'data' van met een controle)"))
    for name in sorted(set(values) - used):
        out.append(f"{_csv()} (id={rid}, kolommen {'/'.join(TEXT_COLUMNS)}): de controle levert "
                   f"waarde '{name}', maar geen tekst gebruikt hem")
    return out


def render(row: dict, load: Loader = data.load) -> tuple[str, str]:
    """(bevinding, afhandeling) of a register row with its values filled in from its check.
    Raises :class:`ErratumError` if the check no longer stands or a value is missing."""
    finding = evaluate(row["id"], load) if row["controle"] == "data" else None
    if finding is not None and not finding.stands:
        raise ErratumError(stale_message(row["id"], finding.reason))
    wrong = _row_problems(row, finding)
    if wrong:
        raise ErratumError("; ".join(wrong))
    values = finding.values if finding else {}
    return tuple(row[c].format_map(values) for c in TEXT_COLUMNS)  # type: ignore[return-value]


def rendered_register(load: Loader = data.load) -> pd.DataFrame:
    """The register as the book publishes it: ``bevinding`` and ``afhandeling`` with the values of
    their checks filled in (raises :class:`ErratumError` like :func:`render`)."""
    df = register(load).copy()
    texts = [render(row, load) for row in df.to_dict("records")]
    for i, col in enumerate(TEXT_COLUMNS):
        df[col] = [t[i] for t in texts]
    return df


def problems(load: Loader = data.load, skip: Iterable[str] = ()) -> list[str]:
    """Everything wrong with the register and its checks (empty: every erratum stands).
    ``skip``: datasets that failed their own checks; errata whose check reads one are skipped
    (that failure is reported already)."""
    skip = set(skip)
    try:
        df = register(load)
    except data.DataError as exc:
        return [str(exc)]
    out = []
    ids = set(df["id"])
    for row in df.to_dict("records"):
        rid = row["id"]
        if row["controle"] == "tekst":
            if rid in CHECKS:
                out.append(f"{_csv()} (id={rid}, kolom controle): 'tekst', maar lib/errata.py "
                           f"registreert een controle voor {rid}; maak er 'data' van")
            out += _row_problems(row, None)
            continue
        if rid not in CHECKS:
            out.append(f"{_csv()} (id={rid}, kolom controle): 'data', maar lib/errata.py heeft "
                       f"geen controle voor {rid}")
            continue
        if set(CHECKS[rid].reads) & skip:
            continue
        try:
            finding = evaluate(rid, load)
        except data.DataError as exc:
            out.append(f"controle van erratum {rid} kan niet draaien: {exc}")
            continue
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            # the data no longer have the shape the check reads (a row or year gone): the
            # erratum cannot be confirmed, so the build stops on it rather than on a traceback
            out.append(f"controle van erratum {rid} kan de gegevens niet meer lezen "
                       f"({type(exc).__name__}: {exc}); kijk of het erratum nog geldt en pas "
                       f"de controle in lib/errata.py of data/errata.csv aan")
            continue
        if not finding.stands:
            out.append(stale_message(rid, finding.reason))
            continue
        out += _row_problems(row, finding)
    for rid in sorted(set(CHECKS) - ids, key=_order_key):
        out.append(f"lib/errata.py registreert een controle voor {rid}, maar {_csv()} heeft geen "
                   f"rij {rid}")
    return out


# --- which errata a text references, which datasets they read -------------------------------

ALL_REF = re.compile(r"""["']E-["']""")
PREFIX_REF = re.compile(r"E-\d+-(?!\d)")


def referenced(text: str) -> tuple[str, ...]:
    """Erratum ids (``E-6-3``) and prefixes (``E-6-``; ``E-`` for all) that ``text`` names."""
    refs = set(ID.findall(text)) | set(PREFIX_REF.findall(text))
    if ALL_REF.search(text):
        refs.add("E-")
    return tuple(sorted(refs))


def matches(erratum: str, refs: Iterable[str]) -> bool:
    """Does ``erratum`` match one of ``refs`` (exact ids, or prefixes ending in ``-``)?"""
    return any(erratum == r or (r.endswith("-") and erratum.startswith(r)) for r in refs)


def reads(refs: Iterable[str]) -> tuple[str, ...]:
    """The datasets the checks of the errata matching ``refs`` read (the register included)."""
    refs = tuple(refs)
    out = {REGISTER} if refs else set()
    for rid, c in CHECKS.items():
        if matches(rid, refs):
            out.update(c.reads)
    return tuple(sorted(out))


def _order_key(rid: str) -> tuple[int, ...]:
    return tuple(int(x) for x in rid.split("-")[1:])


def _csv() -> str:
    return data.rel(paths.data_dir() / f"{REGISTER}.csv")


# --- helpers for the checks ----------------------------------------------------------------

def _one(df: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for col, value in where.items():
        mask &= df[col] == value
    rows = df[mask]
    if len(rows) != 1:
        keys = ", ".join(f"{k}={v}" for k, v in where.items())
        raise data.DataError("data", f"verwacht precies één rij met {keys}, gevonden {len(rows)}")
    return rows.iloc[0]


def said(load: Loader, chapter: int, key: str) -> float:
    """A number the source's running text states (``data/tekstcijfers_h<chapter>.csv``)."""
    return float(_one(load(f"tekstcijfers_h{chapter}"), id=key)["waarde"])


def said_items(load: Loader, chapter: int, prefix: str) -> tuple[int, ...]:
    """Item numbers the source's text names in one claim: the rows of
    ``data/tekstcijfers_h<chapter>.csv`` whose id starts with ``prefix`` (eenheid itemnummer)."""
    df = load(f"tekstcijfers_h{chapter}")
    rows = df[df["id"].str.startswith(prefix)]
    if rows.empty:
        raise data.DataError(f"data/tekstcijfers_h{chapter}.csv",
                             f"geen rijen met id {prefix}…; de controle heeft ze nodig")
    return tuple(sorted(int(v) for v in rows["waarde"]))


def prose_count(n: int) -> str:
    """A small count in words (:func:`lib.prose.count`)."""
    from lib import prose  # at call time: prose imports this module when it renders errata

    return prose.count(n)


def _n(x: float) -> str:
    return fmt.number(x)


def _p(x: float) -> str:
    return fmt.pct(x)


def _items(numbers: Iterable[int]) -> str:
    return fmt.join(str(int(i)) for i in sorted(numbers))


def sidecar_failures(load: Loader, dataset: str, erratum: str) -> pd.DataFrame:
    """The rows of ``dataset`` on which its sidecar check that names ``erratum`` fails
    (:func:`lib.checks.failures`)."""
    from lib import checks

    sch, df = data.schema(dataset), load(dataset)
    declared = [c for c in sch.checks if c.get("erratum") == erratum]
    if not declared:
        raise data.DataError(data.rel(sch.yml_path), f"geen controle met erratum {erratum}")
    lines = sorted({f[0] for c in declared for f in checks.failures(sch, df, c)})
    return df.loc[lines]


def outside_group_means(g: pd.DataFrame, split: str, rounding: float) -> tuple[float, float,
                                                                               float] | None:
    """(total, lowest, highest) if an item's total (``groep_type == totaal``) lies outside the
    means of its ``split`` groups by more than ``rounding``; None otherwise (or without groups)."""
    total = float(g.loc[g.groep_type == "totaal", "gemiddelde"].iloc[0])
    means = g.loc[g.groep_type == split, "gemiddelde"]
    if len(means) and not means.min() - rounding <= total <= means.max() + rounding:
        return total, float(means.min()), float(means.max())
    return None


# --- chapter 2 ---------------------------------------------------------------------------------

LISTS = "tekstlijsten"
# §2.2 names, from the same note of the Platform SO&P, only these regions of the list of §1.3
# (in its own words: "het noorden, de regio Utrecht en Zuid-West-Brabant")
E_2_1_SECTION_2_2 = {"Noord-Nederland": "het noorden", "de regio Utrecht": "de regio Utrecht",
                     "West-Brabant": "Zuid-West-Brabant"}


@check("E-2-1", reads=(LISTS,))
def _e_2_1(load: Loader) -> Finding:
    spots = load(LISTS)
    spots = spots[(spots.lijst == "witte_vlekken") & (spots.hoofdstuk == 1)]
    regions = list(dict.fromkeys(spots["item"]))
    extra = [r for r in regions if r not in E_2_1_SECTION_2_2]
    if not extra:
        return Finding(False, reason="de lijst van witte vlekken in §1.3 noemt nu alleen de "
                       "gebieden die ook §2.2 noemt")
    order = {s: i for i, s in enumerate(("po", "vo", "mbo"))}

    def sectors(region: str) -> str:
        return fmt.join(sorted(spots.loc[spots["item"] == region, "sector"], key=order.get))
    return Finding(True, {
        "lijst": fmt.join(f"{r} ({sectors(r)})" for r in regions),
        "paragraaf_2_2": fmt.join(E_2_1_SECTION_2_2[r] for r in regions
                                  if r in E_2_1_SECTION_2_2)})


# --- chapter 4 and the samenvatting on the response -----------------------------------------

T44A, T44B = "tabel_4_4a_gesprekken_sector", "tabel_4_4b_gesprekken_functie"
T41, T42, T43 = "tabel_4_1_respons_sector", "tabel_4_2_geleding", "tabel_4_3_stuurgroep"


@check("E-4-1", reads=(T44B,))
def _e_4_1(load: Loader) -> Finding:
    bad = sidecar_failures(load, T44B, "E-4-1")
    if bad.empty:
        return Finding(False, reason="in Tabel 4.4 (functie) is elk totaal nu de som van binnen "
                       "en buiten een partnerschap")
    r = bad.iloc[0]
    inside, outside = (0 if fmt.is_missing(r[c]) else int(r[c])
                       for c in ("partnerschap", "buiten_partnerschap"))
    return Finding(True, {"functie": str(r["functie"]), "totaal": _n(r["totaal"]),
                          "binnen": _n(inside), "buiten": _n(outside),
                          "som": _n(inside + outside)})


@check("E-4-2", reads=(T44A, T44B, "tekstcijfers_h4"))
def _e_4_2(load: Loader) -> Finding:
    f, s = load(T44B), _one(load(T44A), sector="totaal")
    out_f = [int(v) for v in f["buiten_partnerschap"].dropna()]
    in_f = [int(v) for v in f["partnerschap"].dropna()]
    out_s = int(s["buiten_partnerschap"])
    if sum(out_f) == out_s:
        return Finding(False, reason=f"naar functie en naar sector komen nu evenveel deelnemers "
                       f"van buiten een partnerschap ({out_s})")
    return Finding(True, {
        "buiten_functie": _n(sum(out_f)), "buiten_termen": " + ".join(_n(v) for v in out_f),
        "binnen_functie": _n(sum(in_f)), "binnen_termen": " + ".join(_n(v) for v in in_f),
        "buiten_sector": _n(out_s),
        "tekst_deelnemers": _n(said(load, 4, "gesprekken_respondenten")),
        "tekst_partnerschappen": _n(said(load, 4, "gesprekken_partnerschappen"))})


@check("E-4-3", reads=("tekstcijfers_h4",))
def _e_4_3(load: Loader) -> Finding:
    usable, partnerships = said(load, 4, "enquete_bruikbaar"), said(load, 4,
                                                                    "partnerschappen_respons")
    theirs, mean = said(load, 4, "enquete_per_partnerschap"), usable / partnerships
    whole = int(fmt.round_half_up(mean))
    if whole == theirs:
        return Finding(False, reason=f"{_n(usable)} / {_n(partnerships)} = "
                       f"{fmt.number(mean, 2)} rondt nu af op {_n(theirs)}, wat de tekst noemt")
    from lib import prose  # at call time: prose imports this module when it renders errata

    return Finding(True, {"bron": prose.count(theirs), "bruikbaar": _n(usable),
                          "partnerschappen": _n(partnerships), "gemiddeld": fmt.number(mean, 1),
                          "gemiddeld_precies": fmt.number(mean, 2),
                          "heel": prose.count(whole)})


@check("E-4-4", reads=("tekstcijfers_h4",))
def _e_4_4(load: Loader) -> Finding:
    h4 = load("tekstcijfers_h4")
    approached = _one(h4, id="enquete_benaderd")
    complete, rate = said(load, 4, "enquete_volledig"), said(load, 4, "enquete_respons_pct")
    if approached["precisie"] != "meer_dan":
        return Finding(False, reason="de tekst noemt het aantal benaderden nu exact "
                       f"({_n(approached['waarde'])}), niet als ondergrens")
    if fmt.pct(100 * complete / approached["waarde"]) != fmt.pct(rate):
        return Finding(False, reason=f"het responspercentage ({_p(rate)}) is nu niet meer "
                       f"{_n(complete)} van {_n(approached['waarde'])}")
    return Finding(True, {"pct": _p(rate), "volledig": _n(complete),
                          "benaderd": _n(approached["waarde"])})


@check("E-0-1", reads=("tekstcijfers_h0", T41))
def _e_0_1(load: Loader) -> Finding:
    t = load(T41)
    resp = t[t.populatie == "respondenten"].set_index("sector")
    theirs = {s: said(load, 0, f"respondenten_{s}_pct") for s in ("po", "vo", "mbo")}
    if theirs["vo"] == resp.loc["vo", "pct"]:
        return Finding(False, reason=f"de samenvatting noemt voor het vo nu {_p(theirs['vo'])}, "
                       "zoals Tabel 4.1")
    return Finding(True, {
        "bron_n": _n(said(load, 0, "respondenten")), "bron_vo": _p(theirs["vo"]),
        "tabel_n": _n(resp.loc["totaal", "n"]), "tabel_vo_n": _n(resp.loc["vo", "n"]),
        "tabel_vo": _p(resp.loc["vo", "pct"]),
        "bron_termen": " + ".join(_p(theirs[s]) for s in ("po", "vo", "mbo")),
        "bron_som": _p(sum(theirs.values()))})


@check("E-4-5", reads=(T43,))
def _e_4_5(load: Loader) -> Finding:
    yes = load(T43)
    yes = yes[(yes.antwoord == "ja") & (yes.geleding != "totaal")].set_index("geleding")
    total = float(yes["pct"].sum())
    if abs(total - 100) <= 2:
        return Finding(False, reason=f"de ja-aandelen van de geledingen in Tabel 4.3 tellen nu op "
                       f"tot {_p(total)}: ze kunnen dan wel de samenstelling zijn")
    return Finding(True, {"coordinatoren": _p(yes.loc["coordinatie", "pct"]),
                          "bestuur": _p(yes.loc["bestuur", "pct"])})


# --- chapter 5 ---------------------------------------------------------------------------------

@check("E-5-1", reads=("tekstcijfers_h5",))
def _e_5_1(load: Loader) -> Finding:
    parts = {k: said(load, 5, f"norm40_{k}_pct") for k in ("uitvoerend", "coordinatoren",
                                                             "bestuur")}
    total = sum(parts.values())
    if abs(total - 100) <= 2:
        return Finding(False, reason=f"de drie aandelen tellen nu op tot {_p(total)}")
    return Finding(True, {"n": _n(said(load, 5, "norm40_respondenten")),
                          **{k: _p(v) for k, v in parts.items()}, "som": _p(total)})


T53A, T53B = "tabel_5_3a_taak_partnerschap", "tabel_5_3b_fte_per_taak"


@check("E-5-2", reads=("tekstcijfers_h5", T53A))
def _e_5_2(load: Loader) -> Finding:
    low, high = said(load, 5, "fte_weet_niet_min"), said(load, 5, "fte_weet_niet_max")
    wn = load(T53A)
    wn = wn[wn.antwoord == "weet_niet"]
    lo, hi = float(wn["pct"].min()), float(wn["pct"].max())
    if low <= lo and hi <= high:
        return Finding(False, reason=f"'weet ik niet' ligt in Tabel 5.3 nu tussen {_p(lo)} en "
                       f"{_p(hi)}, binnen wat de tekst noemt")
    outside = wn[(wn.pct < low) | (wn.pct > high)]
    return Finding(True, {
        "bron_min": _p(low), "bron_max": _p(high),
        "buiten": fmt.join(f"{_p(r.pct)} bij '{r.label}'" for r in outside.itertuples()),
        "tabel_min": _p(lo), "tabel_max": _p(hi)})


@check("E-5-4", reads=(T41,))
def _e_5_4(load: Loader) -> Finding:
    # §5.3: most training places in the po, "in verhouding" to the partnerships per sector
    claimed = "po"
    t = load(T41)
    ps = t[(t.populatie == "partnerschappen") & (t.sector != "totaal")].set_index("sector")["n"]
    most = str(ps.idxmax())
    if most == claimed:
        return Finding(False, reason="volgens Tabel 4.1 heeft het po nu de meeste partnerschappen")
    others = [s for s in ps.sort_values(ascending=False).index if s != most]
    return Finding(True, {"meeste": most, "meeste_n": _n(ps[most]),
                          "overige": fmt.join(f"{_n(ps[s])} in het {s}" for s in others)})


T52 = "tabel_5_2_stage_opleidingsschool_tweedegraads"
E_5_5_YEARS = (2016, 2020)  # §5.3: "in de jaren tussen 2016 en 2020"


@check("E-5-5", reads=(T52,))
def _e_5_5(load: Loader) -> Finding:
    first, last = E_5_5_YEARS
    t = load(T52).pivot_table(index="jaar", columns="antwoord", values="pct")
    base = t.loc[first]
    between = [y for y in t.index if first < y < last]
    down = [y for y in between
            if t.loc[y, "ja"] < base["ja"] and t.loc[y, "weet_niet"] > base["weet_niet"]]
    up = [y for y in between if t.loc[y, "ja"] >= base["ja"]]
    if not up:
        return Finding(False, reason=f"in alle jaren tussen {first} en {last} ligt het aandeel "
                       f"nu onder dat van {first}")
    if not down:
        return Finding(False, reason=f"in geen jaar tussen {first} en {last} ligt het aandeel nu "
                       f"onder dat van {first}; het erratum beschrijft een daling die er niet is")
    y = up[0]
    return Finding(True, {
        "dalend_jaren": fmt.join(str(v) for v in down),
        "dalend_pct": fmt.join(_p(t.loc[v, "ja"]) for v in down),
        "dalend_weet_niet": fmt.join(_p(t.loc[v, "weet_niet"]) for v in down),
        "jaar": str(y), "pct": _p(t.loc[y, "ja"]), "basis_pct": _p(base["ja"]),
        "weet_niet": _p(t.loc[y, "weet_niet"]), "basis_weet_niet": _p(base["weet_niet"])})


def _least_fte(load: Loader, claimed: tuple[str, ...]) -> tuple[bool, dict[str, str], str]:
    fte = load(T53B).set_index("taak")
    order = fte["fte"].sort_values()
    lowest = list(order.index[:len(claimed)])
    if set(lowest) == set(claimed):
        return False, {}, "de taken die de tekst noemt hebben nu de minste FTE in Tabel 5.3"
    label = fte["label"].map(lambda s: s.split(" (")[0].lower())
    missing = [t for t in claimed if t not in lowest]
    ranks = {t: len(order) - list(order.index).index(t) for t in missing}
    from_bottom = {t: list(order.index).index(t) + 1 for t in missing}
    words = {1: "laagst", 2: "op één na laagst", 3: "derde van onderen",
             4: "vierde van onderen", 5: "vijfde van onderen"}
    return True, {
        "laagste": fmt.join(f"{label[t]} ({fmt.number(fte.loc[t, 'fte'], 2)})" for t in lowest),
        "buiten": fmt.join(f"{label[t]} ({fmt.number(fte.loc[t, 'fte'], 2)}) staat "
                           f"{words.get(from_bottom[t], f'op plaats {ranks[t]}')}"
                           for t in missing)}, ""


# Samenvatting (Financiën) and hoofdstuk 8 (financiële middelen): least time and money go to
# these three tasks
LEAST_CLAIMED = ("academische_functie", "startende_leraren_begeleiden",
                 "inductietraject_ontwikkelen")


@check("E-0-4", reads=(T53A, T53B))
def _e_0_4(load: Loader) -> Finding:
    stands, values, reason = _least_fte(load, LEAST_CLAIMED)
    if not stands:
        return Finding(False, reason=reason)
    no = load(T53A)
    no = no[no.antwoord == "nee"].set_index("taak")["pct"].sort_values(ascending=False)
    top = list(no.index[:len(LEAST_CLAIMED)])
    if set(top) != set(LEAST_CLAIMED):
        return Finding(False, reason="het rijtje van de samenvatting is niet meer de top van de "
                       "kolom 'nee' van Tabel 5.3, zoals het erratum zegt")
    return Finding(True, {**values, "nee": fmt.join(_p(no[t]) for t in top)})


@check("E-8-3", reads=(T53B,))
def _e_8_3(load: Loader) -> Finding:
    stands, values, reason = _least_fte(load, LEAST_CLAIMED)
    return Finding(stands, values, reason)


# --- chapter 6 -----------------------------------------------------------------------------------

T61, T62, T63, T64, T68 = ("tabel_6_1_tevredenheid", "tabel_6_2_themas",
                           "tabel_6_3_opleidingsprogramma", "tabel_6_4_leeromgeving",
                           "tabel_6_8_professionalisering")
T69, T610, T611, T612 = ("tabel_6_9_lbm_gemiddelde", "tabel_6_10_lbm_pabo",
                         "tabel_6_11_lbm_tweedegraads", "tabel_6_12_lbm_sector")


def _satisfied(load: Loader, chapter: int, rounding_note: bool = False) -> Finding:
    """The text's shares (zeer) tevreden per schooltype against the sums of Tabel 6.1.
    ``rounding_note``: add the clause that a difference of one point may come from rounding the
    two cells (only when every difference is one point)."""
    t = load(T61)
    t = t[t.groep_type == "schooltype"].pivot_table(index="groep", columns="antwoord",
                                                      values="pct")
    values, differ, gaps = {}, False, []
    for school, key in (("lerarenopleiding", "lo"), ("partnerschool", "ps")):
        theirs = said(load, chapter, f"tevreden_{'partnerscholen' if key == 'ps' else school}_pct")
        tev, zeer = t.loc[school, "tevreden"], t.loc[school, "zeer_tevreden"]
        differ |= theirs != tev + zeer
        values.update({f"bron_{key}": _p(theirs), f"{key}_tevreden": _p(tev),
                       f"{key}_zeer": _p(zeer), f"{key}_som": _p(tev + zeer)})
        gaps.append(abs(theirs - (tev + zeer)))
    if not differ:
        return Finding(False, reason="de tekst noemt nu dezelfde aandelen (zeer) tevreden als "
                       "Tabel 6.1")
    if rounding_note:
        values["afronding"] = ("; een verschil van één punt kan ook ontstaan doordat de twee "
                               "cellen elk zijn afgerond" if max(gaps) <= 1 else "")
    return Finding(True, values)


@check("E-6-1", reads=(T61, "tekstcijfers_h6"))
def _e_6_1(load: Loader) -> Finding:
    return _satisfied(load, 6)


@check("E-0-3", reads=(T61, "tekstcijfers_h0"))
def _e_0_3(load: Loader) -> Finding:
    return _satisfied(load, 0, rounding_note=True)


@check("E-6-2", reads=(T61,))
def _e_6_2(load: Loader) -> Finding:
    if sidecar_failures(load, T61, "E-6-2").empty:
        return Finding(False, reason="in Tabel 6.1 tellen partnerscholen en lerarenopleiding nu "
                       "op tot het totaal")
    n = load(T61).groupby("groep")["n_groep"].first()
    rest = n["totaal"] - n["partnerschool"] - n["lerarenopleiding"]
    return Finding(True, {
        "partnerscholen": _n(n["partnerschool"]), "lerarenopleiding": _n(n["lerarenopleiding"]),
        "som": _n(n["partnerschool"] + n["lerarenopleiding"]), "totaal": _n(n["totaal"]),
        "geledingen": " + ".join(_n(n[g]) for g in ("coordinatie", "bestuur", "uitvoering")),
        "rest": _n(rest)})


ROUNDING = 0.005  # item means are published with two decimals
SCALE_MIN = 1.0  # lowest point of the 1-4 scale of Tabel 6.3


@check("E-6-3", reads=(T63, T61))
def _e_6_3(load: Loader) -> Finding:
    t, sizes = load(T63), load(T61).groupby("groep")["n_groep"].first()
    n_tot, n_ps, n_lo = (int(sizes[k]) for k in ("totaal", "partnerschool", "lerarenopleiding"))
    below, implied = [], {}
    for item, g in t.groupby("item"):
        if outside_group_means(g, "schooltype", ROUNDING) is None:
            continue
        m = g.set_index(g.groep)["gemiddelde"]
        below.append(f"item {int(item)} (totaal {fmt.score(m['totaal'])}; partnerschool "
                     f"{fmt.score(m['partnerschool'])}; instituut {fmt.score(m['instituut'])})")
        rest = n_tot - n_ps - n_lo
        implied[int(item)] = (n_tot * m["totaal"] - n_ps * m["partnerschool"]
                              - n_lo * m["instituut"]) / rest
    if not below:
        return Finding(False, reason="bij geen item van Tabel 6.3 ligt het totaal nog buiten de "
                       "schooltypegemiddelden")
    impossible = sorted(i for i, v in implied.items() if v < SCALE_MIN)
    clause = (f"; als elk item door alle respondenten van hun groep is beantwoord, zou hun "
              f"gemiddelde bij item {_items(impossible)} zelfs onder het schaalminimum "
              f"{_n(SCALE_MIN)} moeten liggen" if impossible else "")
    return Finding(True, {"items": fmt.join(below), "minimum": clause})


@check("E-6-4", reads=(T64, "tekstcijfers_h6"))
def _e_6_4(load: Loader) -> Finding:
    # §6.4.2: institutes score higher "behalve op item 8 ... en item 10" (from §6.4.1)
    excepted = said_items(load, 6, "bron_uitzondering_64_item_")
    t = load(T64)
    s = t[t.groep_type == "schooltype"].pivot_table(index="item", columns="groep",
                                                     values="gemiddelde")
    higher = [int(i) for i in s.index if s.loc[i, "partnerschool"] >= s.loc[i, "instituut"]]
    if set(higher) == set(excepted):
        return Finding(False, reason="in Tabel 6.4 scoren de partnerscholen nu precies bij de "
                       "items die de tekst noemt niet lager")
    if not higher:
        return Finding(False, reason="in Tabel 6.4 scoren de instituten nu bij elk item hoger")
    labels = t.groupby("item")["label"].first()
    last = max(excepted)
    return Finding(True, {
        "bron_a": _n(excepted[0]), "bron_b": _n(excepted[1]),
        "n_items": _n(len(s)),
        "item_a": _n(excepted[0]),
        "item_a_over": (f"luidt daar '{labels[excepted[0]].rstrip('.')}'"
                        if excepted[0] in labels.index else "bestaat daar niet"),
        "item_b_weg": ("" if last in labels.index else
                       f" en een item {_n(last)} bestaat er niet"),
        "hoger_items": _items(higher),
        "hoger_waarden": "; ".join(f"{fmt.score(s.loc[i, 'partnerschool'])} tegen "
                                   f"{fmt.score(s.loc[i, 'instituut'])}" for i in higher)})


E_6_5_6_YEARS = (2017, 2020)  # §6.5 compares the first and the last year of Tabel 6.10/6.11


def _years(load: Loader, table: str) -> pd.DataFrame:
    t = load(table)
    t = t[t.item == "tevredenheid_totaal"].pivot_table(index="jaar", columns="opleidingsschool",
                                                       values="pct")
    return t.loc[list(E_6_5_6_YEARS)]


@check("E-6-5", reads=(T610,))
def _e_6_5(load: Loader) -> Finding:
    t = _years(load, T610)
    a, b = E_6_5_6_YEARS
    delta = t.loc[b] - t.loc[a]
    # the text: 'ja' falls, and 'nee' and 'weet niet' fall in the same way, but more strongly
    if not delta["ja"] < 0:
        return Finding(False, reason=f"'ja' daalt in Tabel 6.10 niet meer van {a} naar {b}, "
                       "zoals de tekst zegt; het erratum citeert de tekst met de waarden van de "
                       "tabel")
    if (delta["nee"] < delta["ja"] < 0) and (delta["weet_niet"] < delta["ja"]):
        return Finding(False, reason="'nee' en 'weet niet' dalen nu allebei sterker dan 'ja', "
                       "zoals de tekst zegt")
    def move(g: str) -> str:
        word = fmt.change(t.loc[a, g], t.loc[b, g]).replace("gestegen", "stijgt").replace(
            "gedaald", "daalt").replace("gelijk gebleven", "blijft gelijk")
        return f"{word} '{g.replace('_', ' ').capitalize()}' van {_p(t.loc[a, g])} naar " \
               f"{_p(t.loc[b, g])}"
    same = (delta["nee"] > 0) == (delta["weet_niet"] > 0)
    return Finding(True, {"ja_van": _p(t.loc[a, "ja"]), "ja_naar": _p(t.loc[b, "ja"]),
                          "eerste": str(a), "laatste": str(b), "nee": move("nee"),
                          "verbinding": wording.contrast(same),
                          "weet_niet": move("weet_niet")})


@check("E-6-6", reads=(T611,))
def _e_6_6(load: Loader) -> Finding:
    t = _years(load, T611)
    a, b = E_6_5_6_YEARS
    yes, no = t.loc[b, "ja"] - t.loc[a, "ja"], t.loc[b, "nee"] - t.loc[a, "nee"]
    if not yes > 0:
        return Finding(False, reason=f"'ja' stijgt in Tabel 6.11 niet meer van {a} naar {b}, "
                       "zoals de tekst zegt; het erratum citeert de tekst met de waarden van de "
                       "tabel")
    if no < yes:
        return Finding(False, reason="bij 'Nee' stijgt de tevredenheid nu minder dan bij de "
                       "opleidingsscholen, zoals de tekst zegt")
    return Finding(True, {"ja_van": _p(t.loc[a, "ja"]), "ja_naar": _p(t.loc[b, "ja"]),
                          "eerste": str(a), "laatste": str(b),
                          "nee_van": _p(t.loc[a, "nee"]), "nee_naar": _p(t.loc[b, "nee"]),
                          "nee_pp": fmt.pct_points(no), "ja_pp": fmt.pct_points(yes),
                          "vergelijking": "meer dan" if no > yes else "evenveel als"})


def _top(means: pd.Series, k: int) -> list[int]:
    ordered = means.sort_values(ascending=False)
    cut = ordered.iloc[k - 1]
    return [int(i) for i in ordered.index if ordered[i] >= cut - 1e-9]


@check("E-6-7", reads=(T63, "tekstcijfers_h6"))
def _e_6_7(load: Loader) -> Finding:
    # §6.4.1: the highest scores "in alle drie de sectoren" are for these items
    claimed = said_items(load, 6, "bron_hoogste_63_item_")
    t = load(T63)
    k = len(claimed)
    tops, wrong, missed = {}, [], []
    for part in ("totaal", "po", "vo", "mbo"):
        g = t[(t.groep_type == "totaal") if part == "totaal" else
              ((t.groep_type == "sector") & (t.groep == part))].set_index("item")["gemiddelde"]
        top = _top(g, k)
        tops[part] = fmt.join(f"{int(i)} ({fmt.score(g[i])})" for i in top)
        if part != "totaal" and set(top) != set(claimed):
            wrong.append(f"het {part}")
            places = [f"item {i} ({fmt.score(g[i])}) op plaats {_n(1 + int((g > g[i]).sum()))}"
                      for i in claimed if i not in top]
            missed.append(f"in het {part} staat {fmt.join(places)}")
    if not wrong:
        return Finding(False, reason="in elke sector scoren nu de items die de tekst noemt het "
                       "hoogst")
    return Finding(True, {"bron": _items(claimed), **{f"top_{p}": v for p, v in
                                                             tops.items()},
                          "afwijkend": fmt.join(wrong), "plaatsen": "; ".join(missed)})


@check("E-6-8", reads=(T68, "tekstcijfers_h6"))
def _e_6_8(load: Loader) -> Finding:
    # §6.4.6: coordinators score lower than the other geledingen on visie, inductiebeleid,
    # gezamenlijke verantwoordelijkheid and feedback van externe vakgenoten
    claimed = said_items(load, 6, "bron_coord_laag_68_item_")
    t = load(T68)
    g = t[t.groep_type == "geleding"].pivot_table(index="item", columns="groep",
                                                  values="gemiddelde")
    wrong = [i for i in claimed if g.loc[i, "coordinatie"] >= min(g.loc[i, "bestuur"],
                                                                         g.loc[i, "uitvoering"])]
    right = [i for i in claimed if i not in wrong]
    if not wrong:
        return Finding(False, reason="de coördinatoren scoren nu op elk genoemd item het laagst")
    return Finding(True, {
        "afwijkend": fmt.join(
            f"item {i}: {fmt.score(g.loc[i, 'coordinatie'])}, tegen bestuur "
            f"{fmt.score(g.loc[i, 'bestuur'])} en uitvoering {fmt.score(g.loc[i, 'uitvoering'])}"
            for i in wrong),
        "klopt": (f"voor item {_items(right)} klopt de uitspraak wel" if right
                  else "voor geen van de genoemde items klopt de uitspraak")})


def _lowest_theme(load: Loader) -> tuple[dict[str, tuple[float, float, str]], dict[str, bool]]:
    t = load(T62)
    gaps, far = {}, {}
    for moment in ("voor", "tijdens"):
        m = t[t.moment == moment].set_index("thema")["gemiddelde"].sort_values()
        gaps[moment] = (float(m.iloc[0]), float(m.iloc[1]), str(m.index[0]), str(m.index[1]))
        far[moment] = wording.far_ahead(m.to_dict(), "professionalisering", lowest=True)
    return gaps, far


def _verreweg(load: Loader) -> Finding:
    gaps, far = _lowest_theme(load)
    if any(g[2] != "professionalisering" for g in gaps.values()):
        return Finding(False, reason="de professionalisering is nu niet op beide momenten het "
                       "laagste thema van Tabel 6.2")
    if far["voor"]:
        return Finding(False, reason="de professionalisering ligt nu ook vóór deelname "
                       "'verreweg' onder de andere thema's")
    labels = load(T62).groupby("thema")["label"].first()
    v, d = gaps["voor"], gaps["tijdens"]
    return Finding(True, {
        "voor_afstand": fmt.number(v[1] - v[0], 2), "voor_laag": fmt.score(v[0]),
        "voor_volgend": fmt.score(v[1]), "voor_thema": labels[v[3]].lower(),
        "tijdens_afstand": fmt.number(d[1] - d[0], 2), "tijdens_laag": fmt.score(d[0]),
        "tijdens_volgend": fmt.score(d[1]),
        "past": ("'verreweg' past alleen bij de situatie tijdens deelname" if far["tijdens"]
                 else "'verreweg' past op geen van beide momenten")})


@check("E-0-5", reads=(T62,))
def _e_0_5(load: Loader) -> Finding:
    return _verreweg(load)


@check("E-8-4", reads=(T62,))
def _e_8_4(load: Loader) -> Finding:
    f = _verreweg(load)
    return Finding(f.stands, {k: v for k, v in f.values.items() if k != "past"}, f.reason)


def _po_yes(load: Loader) -> pd.Series:
    t = load(T612)
    return t[(t.sector == "po") & (t.opleidingsschool == "ja")].set_index("item")["pct"]


@check("E-0-6", reads=(T612,))
def _e_0_6(load: Loader) -> Finding:
    po = _po_yes(load)
    cur, met = po["curriculum_basisonderwijs"], po["methode_onafhankelijk"]
    # the samenvatting: most satisfied about the curriculum, least about methode and ICT
    if cur > met:
        return Finding(False, reason="in het po is het aandeel tevreden over het curriculum "
                       "basisonderwijs nu hoger dan over methode-onafhankelijk lesgeven")
    rest = po.drop(["totaal", "tevredenheid_totaal", "curriculum_basisonderwijs"],
                   errors="ignore")
    below = rest[rest < cur]
    if len(below) > 2:
        return Finding(False, reason="kennis van het curriculum van het basisonderwijs hoort in "
                       "het po niet meer bij de laagst scorende aspecten van Tabel 6.12")
    return Finding(True, {"curriculum": _p(cur), "methode": _p(met),
                          "vergelijking": "evenveel als" if cur == met else "minder dan",
                          "positie": ("het laagste aandeel in het po" if below.empty else
                                      f"na {fmt.join(f'{k} ({_p(v)})' for k, v in below.items())},"
                                      " het laagste aandeel in het po").replace("ict (", "ICT (")})


# hoofdstuk 8: graduates of opleidingsscholen are most satisfied (vs. the others) about these
E_8_5_CLAIMED = (("niveau", ("vo", "mbo")), ("voorbereiding", ("po", "vo", "mbo")),
                 ("pedagogisch_didactisch", ("po",)), ("curriculum_basisonderwijs", ("po",)))
ITEM_WORDS = {"niveau": "het niveau", "voorbereiding": "de voorbereiding op de beroepspraktijk",
              "pedagogisch_didactisch": "pedagogisch-didactische vaardigheden",
              "curriculum_basisonderwijs": "curriculum basisonderwijs",
              "methode_onafhankelijk": "methode-onafhankelijk lesgeven",
              "differentiatie": "differentiatie", "onderzoekende_houding": "onderzoekende houding",
              "studiebegeleiding": "studiebegeleiding", "vakinhoud_vakdidactiek":
              "vakinhoud en vakdidactiek", "ict": "ICT"}


PO_ONLY = ("curriculum_basisonderwijs", "methode_onafhankelijk")  # pabo items (Tabel 6.12)


@check("E-8-5", reads=(T612,))
def _e_8_5(load: Loader) -> Finding:
    t = load(T612)
    t = t[~t.item.isin(["totaal", "tevredenheid_totaal"])]
    p = t.pivot_table(index=["sector", "item"], columns="opleidingsschool", values="pct")
    sectors = ("po", "vo", "mbo")
    diff = {s: (p.loc[s, "ja"] - p.loc[s, "nee"]).drop(list(PO_ONLY) if s != "po" else [],
                                                       errors="ignore") for s in sectors}
    best = {s: diff[s].max() for s in sectors}
    largest = [(item, s) for item, parts in E_8_5_CLAIMED for s in parts
               if diff[s][item] >= best[s] - 1e-9]
    if len(largest) == sum(len(s) for _, s in E_8_5_CLAIMED):
        return Finding(False, reason="bij elk genoemd aspect is het verschil tussen wel en geen "
                       "opleidingsschool nu het grootst in zijn sector")
    bigger = {s: int((diff[s] > diff[s]["niveau"]).sum()) for s in ("vo", "mbo")}
    if not all(bigger.values()):
        return Finding(False, reason="het verschil bij het niveau is nu in het vo of het mbo het "
                       "grootst, anders dan het erratum zegt")
    ped = diff["po"]["pedagogisch_didactisch"]
    above = diff["po"][diff["po"] > ped].sort_values(ascending=False)
    if above.empty:
        return Finding(False, reason="bij pedagogisch-didactische vaardigheden is het verschil in "
                       "het po nu het grootst, anders dan het erratum zegt")
    groups: dict[float, list[str]] = {}
    for item, v in above.items():
        groups.setdefault(float(v), []).append(ITEM_WORDS.get(item, item))
    above_text = fmt.join(f"{fmt.join(items)} ({'elk ' if len(items) > 1 else ''}{_n(v)})"
                          for v, items in groups.items())
    common = [i for i in diff["po"].index if all(i in diff[s].index for s in sectors)]
    everywhere = [i for i in common if all(diff[s][i] >= best[s] - 1e-9 for s in sectors)]
    if len(everywhere) == 1:
        only = everywhere[0]
        last = (f"Alleen bij {ITEM_WORDS.get(only, only)} is het verschil in alle drie de "
                f"sectoren het grootst ({fmt.join(_n(diff[s][only]) for s in sectors)} "
                "procentpunt).")
    elif everywhere:
        last = (f"Bij {fmt.join(ITEM_WORDS.get(i, i) for i in everywhere)} is het verschil in "
                "alle drie de sectoren het grootst.")
    else:
        last = "Bij geen enkel aspect is het verschil in alle drie de sectoren het grootst."
    niveau = ", ".join(f"{_p(p.loc[(s, 'niveau'), 'ja'])} tegen {_p(p.loc[(s, 'niveau'), 'nee'])}"
                       for s in ("vo", "mbo"))
    return Finding(True, {
        "niveau_pp": fmt.join(sorted({_n(diff[s]["niveau"]) for s in ("vo", "mbo")})),
        "niveau_cellen": niveau, "ped_pp": _n(ped),
        "niveau_groter": ", ".join(f"in het {s} is het bij {prose_count(k)} andere "
                                   f"{'aspect' if k == 1 else 'aspecten'} groter"
                                   for s, k in bigger.items()), "boven_ped": above_text,
        "voorbereiding": last})


LBM_COHORTS = ("lbm_cohort_eerste", "lbm_cohort_laatste")  # rows of tekstcijfers_h6 (§6.5)


@check("E-6-9", reads=(T610, T612, "tekstcijfers_h6"))
def _e_6_9(load: Loader) -> Finding:
    first, last = (int(said(load, 6, k)) for k in LBM_COHORTS)
    all_years = load(T610)
    years = all_years[all_years.jaar.between(first, last)]
    pooled = load(T612)
    pooled = pooled[pooled.sector == "po"]
    n_years = years.groupby(["opleidingsschool", "jaar"])["n"].first()
    n_pooled = pooled.groupby("opleidingsschool")["n"].first()
    groups = {"ja": "'ja'", "nee": "'nee'", "weet_niet": "'weet niet'"}
    n_off = [g for g in groups if int(n_years[g].sum()) != int(n_pooled[g])]
    cur = years[(years.item == "curriculum_basisonderwijs") & (years.opleidingsschool == "ja")]
    cur_pooled = float(_one(pooled, item="curriculum_basisonderwijs", opleidingsschool="ja")["pct"])
    lo, hi = float(cur["pct"].min()), float(cur["pct"].max())
    cur_off = not lo - 0.5 <= cur_pooled <= hi + 0.5
    if "ja" not in n_off:
        return Finding(False, reason=f"in het po tellen de jaren {first}–{last} van Tabel 6.10 "
                       f"bij 'ja' nu op tot de n van Tabel 6.12")
    if not cur_off:
        return Finding(False, reason=f"het aandeel tevreden over het curriculum basisonderwijs "
                       f"in Tabel 6.12 ({_p(cur_pooled)}) past nu bij de jaren {first}–{last} van "
                       f"Tabel 6.10")
    before = all_years[(all_years.item == "curriculum_basisonderwijs")
                       & (all_years.opleidingsschool == "ja") & ~all_years.jaar.between(first, last)
                       ].dropna(subset=["pct"])
    ja = n_years["ja"]
    others = [g for g in n_off if g != "ja"]
    outside = [f"{groups[g]} bij ‘{label[:1].lower()}{label[1:]}’ ({_p(pct)}; per jaar "
               + (f"{_p(a)} tot {_p(b)})" if a != b else f"alleen {_p(a)})")
               for item, g, label, pct, a, b in _outside_yearly(years, pooled)
               if (item, g) != ("curriculum_basisonderwijs", "ja")]
    return Finding(True, {
        "eerste": str(first), "laatste": str(last),
        "n_612": _n(n_pooled["ja"]), "termen_610": " + ".join(_n(v) for v in ja),
        "som_610": _n(ja.sum()),
        "ook_n": ("" if not others else "; bij " + fmt.join(
            f"{groups[g]} is het {_n(n_pooled[g])} tegen {_n(n_years[g].sum())}"
            for g in others)),
        "pct_612": _p(cur_pooled), "pct_610_min": _p(lo), "pct_610_max": _p(hi),
        "andere_jaren": ("" if before.empty else " (buiten deze cohorten: " + fmt.join(
            f"{_p(r.pct)} in {r.jaar}" for r in before.itertuples()) + ")"),
        "ook_aandelen": ("" if not outside else
                         f" Hetzelfde geldt in het po voor nog {_n(len(outside))} aandelen van "
                         f"Tabel 6.12: {fmt.join(outside)}.")})


def _outside_yearly(years: pd.DataFrame, pooled: pd.DataFrame
                    ) -> list[tuple[str, str, str, float, float, float]]:
    """Shares of Tabel 6.12 (po) outside the range of the same cohorts' yearly shares in Tabel
    6.10, beyond rounding: ``(item, group, label, pooled, lowest, highest)`` in table order."""
    out = []
    for r in pooled.dropna(subset=["pct"]).itertuples():
        per_year = years[(years.item == r.item) & (years.opleidingsschool == r.opleidingsschool)
                         ]["pct"].dropna()
        if per_year.empty:
            continue
        lo, hi = float(per_year.min()), float(per_year.max())
        if not lo - 0.5 <= float(r.pct) <= hi + 0.5:
            out.append((r.item, r.opleidingsschool, str(r.label), float(r.pct), lo, hi))
    return out


# --- chapters 7 and 8 --------------------------------------------------------------------------

@check("E-7-1", reads=("tekstcijfers_h7", T43))
def _e_7_1(load: Loader) -> Finding:
    theirs = said(load, 7, "stuurgroep_groeivragen_n")
    members = _one(load(T43), geleding="totaal", antwoord="ja")["aantal"]
    f71, f72 = said(load, 7, "figuur_7_1_n"), said(load, 7, "figuur_7_2_n")
    if theirs == members:
        return Finding(False, reason=f"de tekst noemt nu evenveel stuurgroepleden als Tabel 4.3 "
                       f"({_n(members)})")
    return Finding(True, {"bron": _n(theirs), "stuurgroep": _n(members),
                          "figuren": _n(f71) if f71 == f72 else f"{_n(f71)} en {_n(f72)}"})


def _scores(load: Loader, chapter: int) -> Finding:
    theirs = said(load, chapter, "lbm_tevredenheid_score")
    t = load(T69)
    groups = t[t.opleidingsschool != "totaal"]
    yes = t[t.opleidingsschool == "ja"]["gemiddelde"]
    lo, hi = float(groups["gemiddelde"].min()), float(groups["gemiddelde"].max())
    if int(fmt.round_half_up(lo)) <= theirs <= int(fmt.round_half_up(hi)):
        return Finding(False, reason=f"de gemiddelden van Tabel 6.9 ({fmt.score(lo)} tot "
                       f"{fmt.score(hi)}) ronden nu af op de score die de tekst noemt")
    return Finding(True, {"bron": _n(theirs), "min": fmt.score(lo), "max": fmt.score(hi),
                          "ja_min": fmt.score(yes.min()), "ja_max": fmt.score(yes.max())})


@check("E-8-1", reads=("tekstcijfers_h8", T69))
def _e_8_1(load: Loader) -> Finding:
    return _scores(load, 8)


@check("E-0-2", reads=("tekstcijfers_h0", T69))
def _e_0_2(load: Loader) -> Finding:
    return _scores(load, 0)


F73 = "figuur_7_3_groei_partnerschap"


@check("E-8-2", reads=(F73,))
def _e_8_2(load: Loader) -> Finding:
    f = load(F73).set_index("categorie")
    none = float(f.loc["geen_groeiambitie", "pct"])
    if wording.is_majority(none):
        return Finding(False, reason=f"'geen groeiambitie' is nu met {_p(none)} een meerderheid")
    if f.loc["weet_niet", "positie"] != "tweede" or not fmt.is_missing(f.loc["weet_niet", "pct"]):
        return Finding(False, reason="Figuur 7.3 zegt nu iets anders over 'weet ik niet/geen zicht "
                       "op' (de plaats of een percentage) dan het erratum")
    known = f["pct"].dropna().drop("geen_groeiambitie")
    if (known >= none).any():
        return Finding(False, reason="'geen groeiambitie' is niet meer het vaakst gekozen "
                       "antwoord van Figuur 7.3")
    return Finding(True, {"geen": _p(none), "plaatsen": _p(f.loc["meer_opleidingsplaatsen", "pct"]),
                          "partners": _p(f.loc["meer_partners", "pct"])})
