"""Consistency across files: the same quantity, published twice, must agree (or be an erratum).

The checks live in :mod:`lib.consistency` and run in every build (``lib.data.validate_all``); here
they must hold on the real data, and each kind of break in a project copy must be reported with
the files, the rows and what was expected — by the function, by ``validate_all`` and by
``python -m lib.data`` (exit 1).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lib import consistency, data

T61, T42 = "tabel_6_1_tevredenheid", "tabel_4_2_geleding"
T63 = "tabel_6_3_opleidingsprogramma"


@pytest.mark.parametrize("check", consistency.CHECKS, ids=[c.name for c in consistency.CHECKS])
def test_check_holds_on_the_data(check):
    assert check.run(data.load) == []


def test_every_cross_file_check_runs_in_validate_all():
    assert data.validate_all() == []
    names = {c.run.func.__name__ if hasattr(c.run, "func") else c.run.__name__
             for c in consistency.CHECKS}
    assert names >= {
        "partnerships_text_vs_tabel_4_1", "sop_students_add_up_to_100",
        "satisfaction_sizes_vs_tabel_4_2", "lbm_counts_6_9_vs_6_12",
        "item_totals_within_group_means", "theme_means_vs_items", "tabel_5_4_weighted_mean",
    }
    assert {t for c in consistency.CHECKS for t in c.datasets} >= set(consistency.ITEM_TABLES)


def test_partnerships_per_sector_agree_between_text_and_tabel_4_1():
    assert consistency.partnerships_text_vs_tabel_4_1() == []


def test_sop_students_per_sector_add_up_to_100():
    assert consistency.sop_students_add_up_to_100() == []


def test_satisfaction_groups_have_the_sizes_of_tabel_4_2():
    assert consistency.satisfaction_sizes_vs_tabel_4_2() == []


def test_loopbaanmonitor_counts_agree_between_tabel_6_9_and_6_12():
    assert consistency.lbm_counts_6_9_vs_6_12() == []


@pytest.mark.parametrize("table", consistency.ITEM_TABLES)
def test_item_total_lies_between_group_means(table):
    """Geleding and sector each split all 248 respondents, so the total of an item is a weighted
    mean of the group means and must lie between the lowest and the highest of them."""
    assert consistency.item_totals_within_group_means(table) == []


def test_erratum_e_6_3_is_exactly_items_8_and_10_of_tabel_6_3():
    erratum = consistency.ITEM_ERRATA[(T63, "schooltype")]
    assert (erratum.id, set(erratum.rows)) == ("E-6-3", {8, 10})
    assert "E-6-3" in set(data.load("errata")["id"])


def test_theme_means_of_tabel_6_2_are_the_mean_of_their_items():
    assert consistency.theme_means_vs_items() == []


def test_tabel_5_4_total_is_the_weighted_mean_of_the_sectors():
    assert consistency.tabel_5_4_weighted_mean() == []


# --- breaks in a project copy -----------------------------------------------------------------

def _edit(root: Path, name: str, old: str, new: str, count: int = 1) -> None:
    p = root / "data" / f"{name}.csv"
    text = p.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"testopzet: {old!r} niet {count}× in {p.name}"
    p.write_text(text.replace(old, new, count), encoding="utf-8")


def _items_6_3() -> list[str]:
    return consistency.item_totals_within_group_means(T63)


def _break_6_1_against_4_2(root: Path) -> None:
    """Move one respondent from uitvoering to coordinatie in Tabel 6.1 only: 6.1 still adds up
    (its own checks pass), but no longer matches Tabel 4.2."""
    p = root / "data" / f"{T61}.csv"
    lines = p.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("geleding,coordinatie,"):
            lines[i] = line.replace(",77\n", ",78\n")
        elif line.startswith("geleding,uitvoering,"):
            lines[i] = line.replace(",133\n", ",132\n")
    p.write_text("".join(lines), encoding="utf-8")


BREAKS = [
    # (description, edit(root), check, expected fragments of one problem)
    ("text h1 against Tabel 4.1",
     lambda r: _edit(r, "tekstcijfers_h1", "SO&P (aspirant-)partnerschappen in de vo-sector,52",
                     "SO&P (aspirant-)partnerschappen in de vo-sector,53"),
     consistency.partnerships_text_vs_tabel_4_1,
     ["data/tekstcijfers_h1.csv (id=partnerschappen_vo)", "data/tabel_4_1_respons_sector.csv",
      "sector=vo", "noemt 53", "Tabel 4.1 52"]),
    ("Tabel 6.1 against 4.2", _break_6_1_against_4_2, consistency.satisfaction_sizes_vs_tabel_4_2,
     [f"data/{T61}.csv (groep_type=geleding, groep=coordinatie) tegen data/{T42}.csv "
      "(geleding=coordinatie): n_groep 78 voor coordinatie, verwacht 77"]),
    ("Tabel 6.12 against 6.9",
     lambda r: _edit(r, "tabel_6_12_lbm_sector", "po,ja,65,1746", "po,ja,65,1745"),
     consistency.lbm_counts_6_9_vs_6_12,
     ["data/tabel_6_12_lbm_sector.csv (sector=po, opleidingsschool=ja)",
      "data/tabel_6_9_lbm_gemiddelde.csv", "n 1745, 1746, verwacht 1746"]),
    ("item total outside the sector means",
     lambda r: (_edit(r, T63, "sector,vo,vo,3.16\n", "sector,vo,vo,3.30\n"),
                _edit(r, T63, "sector,mbo,mbo,3.17\n", "sector,mbo,mbo,3.31\n")),
     _items_6_3,
     [f"data/{T63}.csv (item=1, groep_type=totaal)", "buiten de sectorgemiddelden",
      "groep_type=sector"]),
    ("new deviation beside erratum E-6-3",
     lambda r: _edit(r, T63, "verantwoordelijkheid.,totaal,totaal,totaal,3.3\n",
                     "verantwoordelijkheid.,totaal,totaal,totaal,3.21\n"),
     _items_6_3,
     [f"data/{T63}.csv (item=5, groep_type=totaal)", "buiten de schooltypegemiddelden",
      "erratum E-6-3 noemt alleen item 8, 10"]),
    ("erratum E-6-3 no longer true",
     lambda r: _edit(r, T63, "verloopt optimaal.\",totaal,totaal,totaal,3.52",
                     "verloopt optimaal.\",totaal,totaal,totaal,3.58"),
     _items_6_3,
     [f"data/{T63}.csv (item=8, groep_type=schooltype) tegen data/errata.csv (E-6-3)",
      "ligt nu wel tussen", "werk data/errata.csv"]),
    ("theme mean of Tabel 6.2 against its items",
     lambda r: _edit(r, "tabel_6_2_themas", "programma,tijdens,3.38", "programma,tijdens,3.40"),
     consistency.theme_means_vs_items,
     ["data/tabel_6_2_themas.csv (thema=opleidingsprogramma, moment=tijdens) tegen "
      f"data/{T63}.csv (groep_type=totaal)", "themagemiddelde 3.4", "3.382 ± 0.01"]),
    ("weighted mean of Tabel 5.4",
     lambda r: _edit(r, "tabel_5_4_werkplekleren_sector", "Totaal (M),36,46", "Totaal (M),40,46"),
     consistency.tabel_5_4_weighted_mean,
     ["data/tabel_5_4_werkplekleren_sector.csv (sector=totaal)", "gemiddelde 40",
      "gewogen gemiddelde van po, vo en mbo"]),
]


@pytest.mark.parametrize(("what", "edit", "check", "fragments"), BREAKS,
                         ids=[b[0] for b in BREAKS])
def test_a_break_is_reported_clearly(project_copy, what, edit, check, fragments):
    assert check() == []  # the copy is intact before the edit
    edit(project_copy)
    problems = check()
    assert any(all(f in p for f in fragments) for p in problems), (what, problems)
    assert any(all(f in p for f in fragments) for p in data.validate_all())


def test_break_of_6_1_against_4_2_stops_python_m_lib_data(project_copy):
    _break_6_1_against_4_2(project_copy)
    data.load(T61)  # Tabel 6.1 passes its own checks: only the comparison with 4.2 fails
    env = {**os.environ, "SOP_ROOT": str(project_copy), "PYTHONPATH": str(project_copy)}
    env.pop(data.DECLARED_ENV, None)
    result = subprocess.run([sys.executable, "-m", "lib.data"], cwd=project_copy, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert (f"data/{T61}.csv (groep_type=geleding, groep=uitvoering) tegen data/{T42}.csv "
            "(geleding=uitvoering): n_groep 132 voor uitvoering, verwacht 133") in result.stdout
    assert "0 met fouten" in result.stdout and "2 problemen" in result.stdout


def test_checks_on_a_broken_file_are_skipped_not_crashed(project_copy):
    """A file that fails its own checks is reported once; checks reading it do not run."""
    _edit(project_copy, "tabel_4_2_geleding", "coordinatie,1,Partnerschapscoördinatie,77,31",
          "coordinatie,1,Partnerschapscoördinatie,veel,31")
    errors = data.validate_all()
    assert len(errors) == 1 and "data/tabel_4_2_geleding.csv, regel 2, kolom 'n'" in errors[0]


def test_a_missing_dataset_is_a_problem_not_a_crash(project_copy):
    (project_copy / "data" / f"{T42}.yml").unlink()
    (project_copy / "data" / f"{T42}.csv").unlink()
    problems = consistency.run_all()
    assert any("kan niet draaien" in p and f"data/{T42}.yml" in p for p in problems), problems
