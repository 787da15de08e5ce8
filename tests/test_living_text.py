"""Living text, tried as an author would (metamorphic tests): change one published value in a copy
of the project so that it crosses what a sentence depends on (an order flips, a share passes 50%,
a new year rises or falls, a year is missing for one group, a claim of the source becomes true),
then validate the data and run the chapters that read it. Each change must either

- change the rendered text consistently (checked on the text a reader gets), or
- stop the build with a message that names the guard's sentence or the erratum
  ("E-x-y geldt niet meer").

Never: a run that passes with a sentence its data contradict, a placeholder ("n.g.") or Python's
formatting ("nan", "0.5") in a sentence, or an unrelated crash (KeyError …).

One copy of the project serves every case (its data folder is restored between cases) and the
chapters run on one warm kernel in this process, so a case costs a data validation and a few
chapter runs (edition ``alle``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from lib import claims, data, editions, paths

from .conftest import COPY_IGNORE

GLUE_MD = editions.GLUE_MD
Edit = Callable[[Path], None]


# --- editing a CSV in the copy ----------------------------------------------------------------

def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def set_values(dataset: str, changes: list[tuple[dict[str, str], dict[str, str]]]) -> Edit:
    """An edit: in ``dataset``, the row matching each ``where`` gets the ``values``."""
    def edit(root: Path) -> None:
        path = root / "data" / f"{dataset}.csv"
        header, rows = _rows(path)
        for where, values in changes:
            hits = [r for r in rows if all(r[k] == v for k, v in where.items())]
            assert len(hits) == 1, f"{dataset}: {where} matcht {len(hits)} rijen"
            hits[0].update(values)
        _write(path, header, rows)
    return edit


def add_rows(dataset: str, new: list[dict[str, str]], source: tuple[str, str] | None = None,
             year: int | None = None) -> Edit:
    """An edit: append ``new`` rows; for a new year, widen the year range and name its source."""
    def edit(root: Path) -> None:
        path = root / "data" / f"{dataset}.csv"
        header, rows = _rows(path)
        _write(path, header, rows + [{k: r.get(k, "") for k in header} for r in new])
        if year is None:
            return
        yml = root / "data" / f"{dataset}.yml"
        text = yml.read_text(encoding="utf-8")
        text, done = re.subn(r"(  jaar:\n    type: integer\n    min: \d+\n    max: )\d+",
                             rf"\g<1>{year}", text)
        assert done == 1, f"{dataset}.yml: geen jaar-kolom met max"
        if source:
            text, done = re.subn(r"(source:\n  location: [^\n]*\n)",
                                 rf"\g<1>  rows:\n    - where: {{jaar: {year}}}\n"
                                 rf"      location: {source[0]}\n      citation: {source[1]}\n",
                                 text)
            assert done == 1
        yml.write_text(text, encoding="utf-8")
    return edit


def both(*edits: Edit) -> Edit:
    def edit(root: Path) -> None:
        for e in edits:
            e(root)
    return edit


# --- running a case -----------------------------------------------------------------------------

@dataclass
class Outcome:
    """What a case did: the message that stopped it, or the text of each chapter it ran."""

    stopped: str | None = None
    by: str | None = None  # "gegevens" (the data checks) or the chapter that stopped
    texts: dict[str, str] = field(default_factory=dict)
    sentences: dict[str, list[str]] = field(default_factory=dict)

    def text(self) -> str:
        return "\n".join(self.texts.values())


def rendered(nb: dict) -> tuple[str, list[str]]:
    """(everything a reader reads of an edition, the glued pieces of sentences)."""
    parts, glued = [], []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            parts.append("".join(cell["source"]))
        for out in cell.get("outputs", []):
            d = out.get("data", {})
            if out.get("metadata", {}).get("scrapbook", {}).get("name"):
                glued.append("".join(d.get(GLUE_MD, "")))
            elif "text/markdown" in d:
                parts.append("".join(d["text/markdown"]))
    text = "\n".join(parts + glued).replace("\\", "")
    return text, [g.replace("\\", "") for g in glued]


def run_case(root: Path, pristine: Path, edit: Edit, chapters: tuple[str, ...]) -> Outcome:
    shutil.rmtree(root / "data")
    shutil.copytree(pristine, root / "data")
    edit(root)
    problems = data.validate_all()
    if problems:
        return Outcome(stopped="\n".join(problems), by="gegevens")
    out = Outcome()
    for job in editions.plan(("alle",), list(chapters)):
        unguarded = [str(p) for p in claims.scan(job.template)]
        assert not unguarded, unguarded
        try:
            nb = editions.run(job)
        except RuntimeError as exc:
            return Outcome(stopped=str(exc).split("\n--- kernel stderr")[0], by=job.chapter)
        text, glued = rendered(json.loads(json.dumps(nb)))
        out.texts[job.chapter], out.sentences[job.chapter] = text, glued
    return out


@pytest.fixture(scope="module")
def living(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A copy of the project (SOP_ROOT points at it) and a pristine copy of its data folder."""
    root = tmp_path_factory.mktemp("levend") / "project"
    shutil.copytree(paths.project_root(), root, ignore=COPY_IGNORE)
    pristine = root.parent / "data-origineel"
    shutil.copytree(root / "data", pristine)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOP_ROOT", str(root))
        _fresh_kernel()
        yield root, pristine
        _fresh_kernel()


def _fresh_kernel() -> None:
    """The warm kernel reads SOP_ROOT when it starts: start a new one for the copy (and after)."""
    if editions._KERNEL is not None:
        editions._KERNEL.shutdown()
        editions._KERNEL = None


# --- what every passing run must not show --------------------------------------------------------

PLACEHOLDER = re.compile(r"(?<![\w.])(?:n\.g\.|nan|NaN|None|inf)(?![\w])|(?<![\w§.])0\.\d")


def no_placeholders(outcome: Outcome) -> None:
    for chapter, pieces in outcome.sentences.items():
        bad = [p for p in pieces if PLACEHOLDER.search(re.sub(r"\{[^}]*\}`[^`]*`", "", p))
               and not p.lstrip().startswith(("|", "```", "<"))]
        assert not bad, f"{chapter}: plaatshouder of Python-getal in een zin: {bad[:3]}"


def no_contradicting_trend_words(outcome: Outcome) -> None:
    """A change over time is worded as its test found it: never "gestegen"/"gedaald" in the same
    sentence as "geen (duidelijke|aantoonbare) trend"."""
    for chapter, text in outcome.texts.items():
        for sentence in re.split(r"(?<=[.;])\s+", text):
            s = sentence.lower()
            if re.search(r"\b(gestegen|gedaald)\b", s) and re.search(
                    r"(geen|zonder) (duidelijke |aantoonbare )?trend", s):
                raise AssertionError(f"{chapter}: trendwoord tegen de toets in: {sentence}")


def mentions(*phrases: str, chapter: str | None = None) -> Callable[[Outcome], None]:
    def check(outcome: Outcome) -> None:
        text = outcome.texts[chapter] if chapter else outcome.text()
        flat = " ".join(text.split())
        missing = [p for p in phrases if p not in flat]
        assert not missing, f"ontbreekt in de tekst: {missing}"
    return check


@dataclass(frozen=True)
class Case:
    """One perturbation: what changes, which chapters read it, and what must follow."""

    name: str
    edit: Edit
    chapters: tuple[str, ...]
    stops: tuple[str, ...] = ()  # the build stops, and its message holds each of these
    reads: Callable[[Outcome], None] | None = None  # or the text changes, as this checks


def _year(dataset: str, opleiding: str, year: int, shares: dict[str, int], n: int) -> Edit:
    labels = {"ja": "Ja", "nee": "Nee", "weet_niet": "Weet niet", "totaal": "Totaal"}
    rows = [{"opleiding": opleiding, "jaar": str(year), "antwoord": a, "label": labels[a],
             "pct": str(p), "n_groep": str(n)} for a, p in {**shares, "totaal": 100}.items()]
    return add_rows(dataset, rows, source=(f"Loopbaanmonitor {year}, proeftabel",
                                           f"Proefbron, {year + 1}"), year=year)


def _lbm_one_group(year: int) -> Edit:
    """Tabel 6.10 gets a new year for the 'ja' group only: 'nee' and 'weet niet' lack it."""
    def edit(root: Path) -> None:
        _, rows = _rows(root / "data" / "tabel_6_10_lbm_pabo.csv")
        new = [{**r, "jaar": str(year)} for r in rows
               if r["jaar"] == "2020" and r["opleidingsschool"] == "ja"]
        add_rows("tabel_6_10_lbm_pabo", new, source=(f"Loopbaanmonitor {year}, proeftabel",
                                                     f"Proefbron, {year + 1}"), year=year)(root)
    return edit


CASES: list[Case] = [
    Case("een aandeel voorbij 50% (Figuur 7.4): de tekst noemt het een meerderheid",
         set_values("figuur_7_4_scenario_regio", [({"categorie": "niet_meer"}, {"pct": "56"}),
                                                  ({"categorie": "geen_mening"}, {"pct": "10"})]),
         ("07-groeistrategie",),
         reads=mentions("56%", "een meerderheid", chapter="07-groeistrategie")),
    Case("een volgorde draait om (Figuur 7.4): de bewaakte zin stopt de build",
         set_values("figuur_7_4_scenario_regio", [({"categorie": "niet_meer"}, {"pct": "36"}),
                                                  ({"categorie": "meer"}, {"pct": "20"}),
                                                  ({"categorie": "minder"}, {"pct": "13"}),
                                                  ({"categorie": "fusering"}, {"pct": "18"}),
                                                  ({"categorie": "geen_mening"}, {"pct": "13"})]),
         ("07-groeistrategie",),
         stops=("ClaimError", "07-groeistrategie.md", "kleiner deel", "niet_meer = 36")),
    Case("een bronclaim wordt waar (71 → 62 partnerschappen: 248/62 = 4): E-4-3 vervalt",
         set_values("tekstcijfers_h4", [({"id": "partnerschappen_respons"}, {"waarde": "62"})]),
         ("04-onderzoeksaanpak",), stops=("E-4-3 geldt niet meer",)),
    Case("geen groeiambitie voorbij 50% (Figuur 7.3): het erratum over 'de meeste' vervalt",
         set_values("figuur_7_3_groei_partnerschap",
                    [({"categorie": "geen_groeiambitie"}, {"pct": "55"})]),
         ("00-samenvatting", "08-conclusies"), stops=("E-8-2 geldt niet meer",)),
    Case("het laagste thema is niet meer het laagst (Tabel 6.2, tijdens)",
         set_values("tabel_6_2_themas", [({"thema": "professionalisering", "moment": "tijdens"},
                                          {"gemiddelde": "3.45"})]),
         ("00-samenvatting", "08-conclusies"), stops=("geldt niet meer",)),
    Case("de schatting passeert de 40%-norm (Tabel 5.4: po 45, vo 40, totaal 43)",
         set_values("tabel_5_4_werkplekleren_sector", [({"sector": "po"}, {"gemiddelde": "45"}),
                                                         ({"sector": "vo"}, {"gemiddelde": "40"}),
                                                         ({"sector": "totaal"},
                                                          {"gemiddelde": "43"})]),
         ("08-conclusies",), stops=("ClaimError", "40%-norm")),
    Case("een nieuw jaar stijgt (Tabel 5.2, tweedegraads 2021: 70% ja)",
         _year("tabel_5_2_stage_opleidingsschool_tweedegraads", "tweedegraads", 2021,
               {"ja": 70, "nee": 20, "weet_niet": 10}, 1300),
         ("05-huidige-praktijk",), reads=mentions("2021", "70%",
                                                  chapter="05-huidige-praktijk")),
    Case("een nieuw jaar daalt (Tabel 5.2, tweedegraads 2021: 40% ja)",
         _year("tabel_5_2_stage_opleidingsschool_tweedegraads", "tweedegraads", 2021,
               {"ja": 40, "nee": 40, "weet_niet": 20}, 1300),
         ("05-huidige-praktijk",), reads=mentions("2021", "40%",
                                                  chapter="05-huidige-praktijk")),
    Case("een jaar voor de ene groep en niet voor de andere (Tabel 6.10, 2021 alleen 'ja')",
         _lbm_one_group(2021), ("06-ervaren-meerwaarde",), reads=mentions("2021")),
]


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_data_change_changes_the_text_consistently_or_stops_the_build(living, case):
    root, pristine = living
    outcome = run_case(root, pristine, case.edit, case.chapters)
    if case.stops:
        assert outcome.stopped, "de build liep door; verwacht: " + " … ".join(case.stops)
        missing = [s for s in case.stops if s not in outcome.stopped]
        assert not missing, f"melding mist {missing}:\n{outcome.stopped[:3000]}"
        return
    assert outcome.stopped is None, outcome.stopped[:3000]
    no_placeholders(outcome)
    no_contradicting_trend_words(outcome)
    assert case.reads is not None
    case.reads(outcome)


def test_todays_data_pass_every_check(living):
    """The control: with the data as published every case's chapters run and read well."""
    root, pristine = living
    chapters = tuple(dict.fromkeys(c for case in CASES for c in case.chapters))
    outcome = run_case(root, pristine, lambda _: None, chapters)
    assert outcome.stopped is None, outcome.stopped[:3000]
    no_placeholders(outcome)
    no_contradicting_trend_words(outcome)


# --- every dataset: an order flip inside one group --------------------------------------------

VALUE_COLUMNS = ("pct", "gemiddelde", "fte", "waarde", "n", "aantal", "respondenten", "totaal",
                 "rang")
# a stop the build may make on purpose: a guard, an erratum that no longer stands, or the data
# checks (their messages name file, line and column)
NAMED_STOPS = ("ClaimError", "ErratumError")


def _used(name: str) -> tuple[str, ...]:
    return tuple(data.schema(name).used_by)


def _has_values(name: str) -> bool:
    return any(c in data.schema(name).columns for c in VALUE_COLUMNS)


# every dataset a chapter reads that holds values (left out: the diagram of Figuur 1.1 and the
# wording of Figuur 6.1 and 7.1, which hold labels and places only)
FLIPPED = [n for n in data.dataset_names() if n != "errata" and _used(n) and _has_values(n)]


def swap_in_group(dataset: str) -> Edit:
    """An order flip that keeps every total: in the first group of rows (rows that share every
    key column but the last) with two different values — or, where each group has one row, in
    the whole file — the largest and the smallest value of the value column change places."""
    def edit(root: Path) -> None:
        path = root / "data" / f"{dataset}.csv"
        header, rows = _rows(path)
        sch = data.schema(dataset)
        column = next(c for c in VALUE_COLUMNS if c in header)
        groups: dict[tuple[str, ...], list[dict[str, str]]] = {}
        for r in rows:
            groups.setdefault(tuple(r[k] for k in sch.primary_key[:-1]), []).append(r)
        for members in [*groups.values(), rows]:  # a group, else the whole file
            filled = [r for r in members if r[column].strip()]
            if len({float(r[column]) for r in filled}) >= 2:
                hi = max(filled, key=lambda r: float(r[column]))
                lo = min(filled, key=lambda r: float(r[column]))
                hi[column], lo[column] = lo[column], hi[column]
                _write(path, header, rows)
                return
        raise AssertionError(f"{dataset}: geen groep met twee verschillende waarden in {column}")
    return edit


@pytest.mark.slow
@pytest.mark.parametrize("dataset", FLIPPED)
def test_an_order_flip_in_any_dataset_reads_well_or_stops_with_a_named_reason(living, dataset):
    """For every dataset a chapter reads: swap two values of one group and run (edition alle) the
    chapters that present it first. The run passes and its sentences carry no placeholder or
    trend word against its test, or it stops on a guard, an erratum or a data check — never on
    an unrelated error."""
    root, pristine = living
    outcome = run_case(root, pristine, swap_in_group(dataset), _used(dataset)[:2])
    if outcome.stopped is None:
        no_placeholders(outcome)
        no_contradicting_trend_words(outcome)
        return
    named = any(outcome.stopped.startswith(s) for s in NAMED_STOPS)
    assert outcome.by == "gegevens" or named, f"{outcome.by}: {outcome.stopped[:3000]}"
