"""Errata are checks: every erratum that data can decide has a check (lib.errata) that finds the
source's error on today's data, fills the erratum's numbers, and stops the build with
"E-x-y geldt niet meer" when a data change makes the source's claim true."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lib import data, deps, editions, errata, paths, prose
from tests.test_chapters import hand_typed_digits

TEKST = {"E-3-1", "E-3-2", "E-5-3", "E-7-2"}


def rows() -> list[dict]:
    return data.load("errata").to_dict("records")


# --- today's data ----------------------------------------------------------------------------

def test_every_data_erratum_has_a_check_that_stands():
    register = rows()
    assert {r["controle"] for r in register} <= set(errata.KINDS)
    by_data = {r["id"] for r in register if r["controle"] == "data"}
    assert by_data == set(errata.CHECKS)
    for rid in sorted(by_data):
        finding = errata.evaluate(rid)
        assert finding.stands, (rid, finding.reason)
        assert finding.values, rid
    assert errata.problems() == []
    assert data.validate_all() == []


def test_only_structural_errata_have_no_data_check():
    """Errata about the source's cross-references or structure, which no data value can change;
    their texts take no values."""
    assert {r["id"] for r in rows() if r["controle"] == "tekst"} == TEKST
    for r in rows():
        if r["controle"] == "tekst":
            assert errata.placeholders(r["bevinding"] + r["afhandeling"]) == [], r["id"]


def test_new_erratum_e_6_9_finds_tabel_6_12_against_6_10():
    bevinding, afhandeling = errata.render(next(r for r in rows() if r["id"] == "E-6-9"))
    assert "1.746" in bevinding and "589 + 611 + 637" in bevinding and "1.837" in bevinding
    assert "50%" in bevinding and "tussen 55% en 59%" in bevinding
    assert "zoals gepubliceerd" in afhandeling


def test_e_4_3_states_the_mean_and_its_whole_number_consistently():
    bevinding, afhandeling = errata.render(next(r for r in rows() if r["id"] == "E-4-3"))
    assert "gemiddeld vier invullers" in bevinding
    assert "gemiddeld 3,5 (3,49)" in bevinding
    assert "afgerond is dat drie, niet vier" in afhandeling


# deelvraag labels (1a–1h, 2a–2f) and dataset names (tekstcijfers_h6) are names, not numbers
NAMES = (re.compile(r"\b\d[a-h](?:-\d[a-h])?\b"), re.compile(r"\b\w+_\w+\b"))


def test_no_hand_typed_digits_in_errata_texts():
    left = []
    for r in rows():
        for col in ("locatie", "bevinding", "afhandeling"):
            rest = hand_typed_digits(re.sub(r"\{\w+\}", "", r[col]))
            for pattern in NAMES:
                rest = pattern.sub("", rest)
            if re.search(r"\d", rest):
                left.append((r["id"], col, " ".join(rest.split())))
    assert left == []


def test_rendered_errata_show_the_checks_values():
    md = prose.errata_for(("E-",), by_chapter=True).data
    assert md.count("- **E") == len(rows())
    assert "{" not in md.replace("\\{", "")
    assert "248 / 71 = 3,49" in md


# --- a data change that makes the source's claim true stops the build -------------------------

def edit(root: Path, name: str, match: dict[str, str], **new: str) -> None:
    """Set columns ``new`` in the rows of ``data/<name>.csv`` that match ``match``."""
    path = root / "data" / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, table = reader.fieldnames, list(reader)
    hit = 0
    for row in table:
        if all(row[k] == v for k, v in match.items()):
            row.update(new)
            hit += 1
    assert hit, (name, match)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(table)


PERTURBATIONS = {
    # a sum that now adds up: by function as many from outside a partnership as by sector
    "E-4-2": [("tabel_4_4b_gesprekken_functie", {"functie": "Lerarenopleider"},
               {"partnerschap": "13", "buiten_partnerschap": ""}),
              ("tabel_4_4b_gesprekken_functie", {"functie": "Student"},
               {"partnerschap": "4", "buiten_partnerschap": "1"})],
    # shares that now add up to 100
    "E-5-1": [("tekstcijfers_h5", {"id": "norm40_uitvoerend_pct"}, {"waarde": "73"})],
    # a ranking that now matches the source: the three tasks it names get the least FTE
    "E-0-4+E-8-3": [("tabel_5_3b_fte_per_taak", {"taak": "kennisverspreiding"}, {"fte": "0.45"}),
                    ("tabel_5_3b_fte_per_taak", {"taak": "startende_leraren_begeleiden"},
                     {"fte": "0.30"})],
    # a ranking: the po now has the most partnerships
    "E-5-4": [("tabel_4_1_respons_sector", {"populatie": "partnerschappen", "sector": "po"},
               {"n": "52", "pct": "47"}),
              ("tabel_4_1_respons_sector", {"populatie": "partnerschappen", "sector": "vo"},
               {"n": "41", "pct": "37"})],
    # shares that now equal the text's values (93% and 92%)
    "E-6-1+E-0-3": [("tabel_6_1_tevredenheid", {"groep": "lerarenopleiding",
                                                 "antwoord": "tevreden"}, {"pct": "28"}),
                    ("tabel_6_1_tevredenheid", {"groep": "partnerschool",
                                                 "antwoord": "tevreden"}, {"pct": "35"})],
    # a mean that now rounds to the text's 'vier'
    "E-4-3": [("tekstcijfers_h4", {"id": "partnerschappen_respons"}, {"waarde": "62"})],
    # a majority where the source claims one
    "E-8-2": [("figuur_7_3_groei_partnerschap", {"categorie": "geen_groeiambitie"},
               {"pct": "55"})],
    # a trend that now goes the way the source says
    "E-6-5": [("tabel_6_10_lbm_pabo", {"item": "tevredenheid_totaal",
                                       "opleidingsschool": "weet_niet", "jaar": "2020"},
               {"pct": "60"})],
    # the pooled table now adds up over the years and its share lies within the years' shares
    "E-6-9": [("tabel_6_10_lbm_pabo", {"opleidingsschool": "ja", "jaar": "2018"}, {"n": "498"}),
              ("tabel_6_10_lbm_pabo", {"item": "curriculum_basisonderwijs",
                                       "opleidingsschool": "ja", "jaar": "2018"}, {"pct": "50"})],
}


@pytest.mark.parametrize("case", sorted(PERTURBATIONS))
def test_erratum_stops_the_build_when_the_source_becomes_right(project_copy: Path, case: str):
    for name, match, new in PERTURBATIONS[case]:
        edit(project_copy, name, match, **new)
    problems = data.validate_all()
    for rid in case.split("+"):
        msgs = [p for p in problems if p.startswith(f"{rid} geldt niet meer: ")]
        assert msgs, (rid, problems)
        assert "data/errata.csv" in msgs[0] and "book/chapters/" in msgs[0]
        cited = [t.name for t in paths.chapters_dir().glob("*.md")
                 if rid in t.read_text(encoding="utf-8")]
        assert all(name in msgs[0] for name in cited), (cited, msgs[0])
        with pytest.raises(errata.ErratumError, match=f"^{rid} geldt niet meer: "):
            prose.errata_for((rid,))


def test_python_m_lib_data_fails_on_a_stale_erratum(project_copy: Path):
    edit(project_copy, "tekstcijfers_h4", {"id": "partnerschappen_respons"}, waarde="62")
    run = subprocess.run([sys.executable, "-m", "lib.data"], capture_output=True, text=True,
                         cwd=paths.project_root(), env={**os.environ, "SOP_ROOT":
                                                        str(project_copy)})
    assert run.returncode == 1
    assert "E-4-3 geldt niet meer: 248 / 62 = 4,00 rondt nu af op 4" in run.stdout
    assert "04-onderzoeksaanpak.md" in run.stdout


def test_rendered_erratum_follows_the_data(project_copy: Path):
    before = prose.errata_for(("E-4-1", "E-6-2")).data
    edit(project_copy, "tabel_4_4b_gesprekken_functie",
         {"functie": "Bestuurder / beleidsmedewerker"}, buiten_partnerschap="5")
    edit(project_copy, "tekstcijfers_h4", {"id": "enquete_per_partnerschap"}, waarde="5")
    after = prose.errata_for(("E-4-1", "E-4-3")).data
    assert "1 van binnen plus 6 van buiten een partnerschap is 7" in before
    assert "1 van binnen plus 5 van buiten een partnerschap is 6" in after
    assert "gemiddeld vijf invullers" in after and "drie, niet vijf" in after


# --- a broken register is an error naming row and column --------------------------------------

def edit_register(root: Path, rid: str, **new: str) -> None:
    edit(root, "errata", {"id": rid}, **new)


def test_placeholder_without_value_is_an_error(project_copy: Path):
    row = next(r for r in rows() if r["id"] == "E-4-1")
    edit_register(project_copy, "E-4-1", bevinding=row["bevinding"] + " Zie {onbekend}.")
    expected = "data/errata.csv (id=E-4-1, kolom bevinding): plaatshouder {onbekend} heeft geen"
    assert any(p.startswith(expected) for p in data.validate_all())
    with pytest.raises(errata.ErratumError, match=re.escape(expected)):
        prose.errata_for(("E-4-1",))


def test_value_never_used_is_an_error(project_copy: Path):
    row = next(r for r in rows() if r["id"] == "E-4-1")
    edit_register(project_copy, "E-4-1", bevinding=row["bevinding"].replace(" is {som}", ""))
    assert any("(id=E-4-1, kolommen bevinding/afhandeling): de controle levert waarde 'som'" in p
               for p in data.validate_all())


def test_row_and_check_must_match(project_copy: Path):
    edit_register(project_copy, "E-7-2", controle="data")
    edit_register(project_copy, "E-5-3", controle="tekst")  # stays tekst: no problem
    path = project_copy / "data" / "errata.csv"
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in text if not line.startswith("E-6-9,")),
                    encoding="utf-8")
    problems = data.validate_all()
    assert ("data/errata.csv (id=E-7-2, kolom controle): 'data', maar lib/errata.py heeft geen "
            "controle voor E-7-2") in problems
    assert ("lib/errata.py registreert een controle voor E-6-9, maar data/errata.csv heeft geen "
            "rij E-6-9") in problems


def test_tekst_row_with_a_registered_check_is_an_error(project_copy: Path):
    edit_register(project_copy, "E-4-4", controle="tekst")
    assert any(p.startswith("data/errata.csv (id=E-4-4, kolom controle): 'tekst', maar") for p in
               data.validate_all())


# --- chapters that show errata may read, and are keyed on, what the checks read ------------

def test_chapters_declare_the_datasets_of_their_errata_checks():
    appendix = paths.chapters_dir() / "bijlage-errata.md"
    declared, _ = editions.chapter_settings(appendix)
    assert set(declared) >= {d for c in errata.CHECKS.values() for d in c.reads}
    ch4, _ = editions.chapter_settings(paths.chapters_dir() / "04-onderzoeksaanpak.md")
    assert "tekstcijfers_h0" in ch4  # E-0-1 is shown in chapter 4 and reads the samenvatting
    assert errata.referenced('ch.errata("E-4-", "E-0-1") en E-6-9; prose.errata_for(("E-",))') \
        == ("E-", "E-0-1", "E-4-", "E-6-9")


def test_a_change_only_an_erratum_check_reads_changes_the_chapter_key(project_copy: Path):
    template = paths.chapters_dir() / "04-onderzoeksaanpak.md"
    datasets, _ = editions.chapter_settings(template)
    before = editions.input_key(template, "alle", datasets)
    edit(project_copy, "tekstcijfers_h0", {"id": "respondenten_vo_pct"}, waarde="28")
    assert editions.input_key(template, "alle", datasets) != before


def test_check_functions_count_as_reachable_for_chapters_with_errata():
    reached = deps.analyse(paths.chapters_dir() / "bijlage-errata.md").reached
    assert {f"errata:{c.run.__name__}" for c in errata.CHECKS.values()} <= set(reached)


def test_e_2_1_stops_when_the_list_of_section_1_3_names_only_what_section_2_2_names(
        project_copy: Path):
    path = project_copy / "data" / "tekstlijsten.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not re.match(
        r"witte_vlekken,1,[^,]*,\w+,(Noord-Holland|Limburg),", line)), encoding="utf-8")
    assert any(p.startswith("E-2-1 geldt niet meer: ") and "02-eerder-onderzoek.md" in p
               for p in data.validate_all())


def test_a_lone_brace_is_an_error_naming_row_and_column(project_copy: Path):
    edit_register(project_copy, "E-5-3", afhandeling="Het boek spreekt van Figuur 5.4a {en 5.4b.")
    assert any(p.startswith("data/errata.csv (id=E-5-3, kolom afhandeling): ongeldige tekst")
               for p in data.validate_all())
