"""The author's loop, end to end: a new Loopbaanmonitor year is added by editing data files only
(as README "Nieuwe gegevens toevoegen" says), and the chapter's table, chart and trend sentence and
the change page all show it. The year 2099 is synthetic test data, never published."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lib import data, editions, release

SYNTHETIC_YEAR = 2099  # clearly not a real Loopbaanmonitor year
CHAPTER = "05-huidige-praktijk"
DATASET = "tabel_5_1_stage_opleidingsschool_pabo"
GLUE_MD = editions.GLUE_MD
VEGA = "application/vnd.vegalite.v6+json"


NEW_SOURCE = ("Loopbaanmonitor 2099, proeftabel", "Synthetische testbron, 2099")


def add_year(project: Path, year: int, shares: dict[str, int], n: int,
             source: bool = True) -> None:
    """What the README asks of an author: append the year's rows, widen the year range and
    name the rows' own source (``source.rows`` in the sidecar)."""
    csv = project / "data" / f"{DATASET}.csv"
    labels = {"ja": "Ja", "nee": "Nee", "weet_niet": "Weet niet", "totaal": "Totaal"}
    rows = [f"pabo,{year},{a},{labels[a]},{pct},{n}" for a, pct in shares.items()]
    csv.write_text(csv.read_text(encoding="utf-8") + "\n".join(rows) + "\n", encoding="utf-8")
    yml = project / "data" / f"{DATASET}.yml"
    text = yml.read_text(encoding="utf-8")
    year_range = r"(  jaar:\n    type: integer\n    min: \d+\n    max: )\d+"
    text, done = re.subn(year_range, rf"\g<1>{year}", text)
    assert done == 1, "de sidecar heeft geen jaar-kolom met max"
    if source:
        text, done = re.subn(r"(source:\n  location: [^\n]*\n)",
                             rf"\g<1>  rows:\n    - where: {{jaar: {year}}}\n"
                             rf"      location: {NEW_SOURCE[0]}\n      citation: {NEW_SOURCE[1]}\n",
                             text)
        assert done == 1, "de sidecar heeft geen source.location"
    yml.write_text(text, encoding="utf-8")


def outputs(notebook: Path) -> tuple[dict[str, str], list[str], list[dict]]:
    """(glued values, Markdown outputs, chart specs) of an edition."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    glued, markdown, specs = {}, [], []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            d = out.get("data", {})
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                glued[name] = "".join(d.get(GLUE_MD, ""))
            elif "text/markdown" in d:
                markdown.append("".join(d["text/markdown"]))
            elif VEGA in d:
                specs.append(d[VEGA])
    return glued, markdown, specs


def chart_years(spec: dict) -> set[int]:
    rows = [r for values in (spec.get("datasets") or {}).values() for r in values]
    return {int(r["jaar"]) for r in rows if "jaar" in r}


@pytest.mark.slow
def test_a_new_loopbaanmonitor_year_reaches_table_chart_sentence_and_change_page(project_copy):
    chapter_code = (project_copy / "book" / "chapters" / f"{CHAPTER}.md").read_bytes()
    add_year(project_copy, SYNTHETIC_YEAR, {"ja": 61, "nee": 26, "weet_niet": 13, "totaal": 100},
             n=1000)
    assert data.validate_all() == []  # the checks accept a well-formed new year

    result = editions.build(sectors=("alle",), chapters=[CHAPTER], quiet=True)
    assert result["executed"] == 1
    glued, markdown, specs = outputs(project_copy / "book" / "editions" / "alle" /
                                     f"{CHAPTER}.ipynb")

    table = next(m for m in markdown if "Tabel 5.1" in m)
    header = next(line for line in table.splitlines() if line.startswith("| Antwoord"))
    assert header.rstrip(" |").endswith(str(SYNTHETIC_YEAR)), header  # the last column
    assert "| 61 |" in table.replace("**", "")
    # the source line names both sources: the report's table and the new year's own source
    flat = table.replace("\\", "")
    assert "(ECBO, 2021)" in flat and f"{NEW_SOURCE[0]} ({NEW_SOURCE[1]})" in flat, flat

    trend = next(s for s in specs if 2016 in chart_years(s))
    assert SYNTHETIC_YEAR in chart_years(trend)

    sentence = glued["lbm_pabo"].replace("\\", "")  # glued Markdown is escaped: 61\\%
    assert f"in {SYNTHETIC_YEAR}" in sentence and "61%" in sentence, sentence

    page = release.report()
    assert "Tabel 5.1" in page and str(SYNTHETIC_YEAR) in page
    assert "toegevoegd" in page
    assert f"bron: {NEW_SOURCE[0]}" in page.replace("\\", "")  # the change page names it too
    assert "`lbm_pabo`" in page or "lbm\\_pabo" in page  # the trend sentence is listed as changed
    # no chapter code was touched
    assert (project_copy / "book" / "chapters" / f"{CHAPTER}.md").read_bytes() == chapter_code


def test_a_malformed_new_year_is_refused_with_file_row_and_column(project_copy):
    csv = project_copy / "data" / f"{DATASET}.csv"
    first_new_line = len(csv.read_text(encoding="utf-8").splitlines()) + 1
    add_year(project_copy, SYNTHETIC_YEAR, {"ja": 61, "nee": 26, "weet_niet": 30, "totaal": 100},
             n=1000)  # 61 + 26 + 30 = 117
    errors = "\n".join(data.validate_all())
    assert f"data/{DATASET}.csv, regel {first_new_line}, kolom 'pct'" in errors, errors
    assert "117" in errors


def test_a_new_year_without_its_own_source_is_refused(project_copy):
    """A Loopbaanmonitor year after 2021 cannot come from the 2021 report: the author must name
    its source, or every table would credit ECBO (2021) with it."""
    csv = project_copy / "data" / f"{DATASET}.csv"
    first_new_line = len(csv.read_text(encoding="utf-8").splitlines()) + 1
    add_year(project_copy, SYNTHETIC_YEAR, {"ja": 61, "nee": 26, "weet_niet": 13, "totaal": 100},
             n=1000, source=False)
    errors = "\n".join(data.validate_all())
    assert f"data/{DATASET}.csv, regel {first_new_line}, kolom 'jaar'" in errors, errors
    assert f"rij uit {SYNTHETIC_YEAR} kan niet uit 'ECBO, 2021' komen" in errors
    assert "source.rows" in errors
