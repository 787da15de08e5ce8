"""Sector editions lead with their sector: the column and row order of lib.tables, the order a
chapter's table gets in each edition, and the sector notes once per section (lib.chapter)."""

import re

import pandas as pd
import pytest

from lib import chapter, data, tables

ITEM_COLUMNS = ["item", "label", "coordinatie", "bestuur", "uitvoering", "po", "vo", "mbo",
                "partnerschool", "instituut", "totaal"]
GROUPS = ITEM_COLUMNS[2:]


@pytest.mark.parametrize(("sector", "lead"), [("po", ["po", "totaal"]), ("vo", ["vo", "totaal"]),
                                              ("mbo", ["mbo", "totaal"])])
def test_sector_column_comes_first_after_the_labels_then_the_total(sector, lead):
    order = tables.sector_first_columns(ITEM_COLUMNS, sector, numeric=GROUPS)
    assert order[:2] == ["item", "label"]
    assert order[2:4] == lead
    # the others keep the source's order
    rest = [c for c in ITEM_COLUMNS if c not in ["item", "label", *lead]]
    assert order[4:] == rest
    assert sorted(order) == sorted(ITEM_COLUMNS)


def test_total_is_found_by_its_header_and_the_labels_end_at_the_first_number():
    cols = ["kerncijfer", "po", "vo", "mbo", "alles"]
    got = tables.sector_first_columns(cols, "mbo", numeric=[], headers={"alles": "Totaal"})
    assert got == ["kerncijfer", "mbo", "alles", "po", "vo"]
    # without a total: the sector right after the labels; a number column ends the labels
    got = tables.sector_first_columns(["thema", "voor", "tijdens", "po", "vo", "mbo"], "vo",
                                      numeric=["voor", "tijdens", "po", "vo", "mbo"])
    assert got == ["thema", "vo", "voor", "tijdens", "po", "mbo"]


def test_a_table_without_the_sector_column_keeps_its_order():
    cols = ["sector", "n", "pct"]
    assert tables.sector_first_columns(cols, "po", numeric=["n", "pct"]) == cols
    # the first column is never moved away, even when all columns are numbers
    assert tables.sector_first_columns(["jaar", "vo", "po"], "po", numeric=["jaar", "vo", "po"]) \
        == ["jaar", "po", "vo"]


def test_sector_row_first_then_total_in_each_block():
    one = pd.DataFrame({"sector": ["po", "vo", "mbo", "totaal"], "n": [1, 2, 3, 6]})
    assert tables.sector_first_rows(one, "sector", "mbo") == [2, 3, 0, 1]
    assert tables.sector_first_rows(one, "sector", "po") == [0, 3, 1, 2]
    blocks = pd.DataFrame({"aspect": ["a", "a", "a", "b", "b", "c"],
                           "sector": ["po", "vo", "mbo", "po", "vo", "po"],
                           "ja": range(6)})
    # within each aspect; a block without the sector keeps its order
    assert tables.sector_first_rows(blocks, "sector", "vo") == [1, 0, 2, 4, 3, 5]


def _rows(markdown: str) -> list[list[str]]:
    body = markdown.split("```{table}")[1].split("\n```")[0]
    lines = [ln for ln in body.splitlines() if ln.startswith("| ")]
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]


def _item_table(sector: str) -> str:
    ch = chapter.start(6, sector)
    w = (ch.load("tabel_6_3_opleidingsprogramma")
         .pivot(index=["item", "label"], columns="groep", values="gemiddelde")
         .reset_index())
    w = w[[c for c in ITEM_COLUMNS if c in w.columns]]
    w.columns.name = None
    return ch.table(w, dataset="tabel_6_3_opleidingsprogramma", caption="Tabel 6.3 Proef",
                    numeric=GROUPS, headers={"totaal": "Totaal"}).markdown


@pytest.mark.parametrize("sector", data.SECTORS[1:])
def test_chapter_table_leads_with_the_editions_sector_in_bold(sector):
    rows = _rows(_item_table(sector))
    head = rows[0]
    assert head[2] == f"**{sector}**" and head[3] == "Totaal", head
    assert all(r[2].startswith("**") and r[2].endswith("**") for r in rows[2:])
    assert not any("**" in r[3] for r in rows[2:])
    # the source's caption stays
    assert "Tabel 6.3 Proef" in _item_table(sector)


def test_full_report_keeps_the_source_order():
    head = _rows(_item_table("alle"))[0]
    assert head == [*ITEM_COLUMNS[:-1], "Totaal"], head


def test_split_rows_lead_with_the_sector_in_a_chapter_table():
    ch = chapter.start(5, "mbo")
    name = "tabel_5_4_werkplekleren_sector"
    md = ch.table(ch.load(name), dataset=name, caption="Tabel 5.4 Proef").markdown
    first = [r[0] for r in _rows(md)[2:]]
    assert first[:2] == ["**mbo**", "totaal"], first


def test_pdf_layout_follows_the_new_column_order():
    """The PDF's column spec is measured from the reordered table: the sector's column (short
    numbers) gets a numeric column's spec at its new place."""
    md = _item_table("vo")
    spec = re.search(r"```\{tabularcolumns\} (.*)", md).group(1)
    kinds = re.findall(r"\\sop([LR])", spec)
    assert kinds == ["L", "L"] + ["R"] * len(GROUPS)


# --- the "no split" note once per section -----------------------------------------------------

NO_SPLIT = "figuur_5_3_middelen_stuurgroep"
OTHER_NO_SPLIT = "figuur_4_1_dienstverband"


def _in(section: list[str]) -> chapter.Chapter:
    ch = chapter.start(5, "po")
    ch.where = lambda: section[0]
    return ch


def _table(ch: chapter.Chapter, name: str) -> str:
    return ch.table(ch.load(name), dataset=name, caption="Tabel 9.9 Proef").markdown


def test_no_split_note_once_per_section():
    section = ["§5.5"]
    ch = _in(section)
    note = data.schema(NO_SPLIT).sector_note.strip()
    assert note and data.schema(NO_SPLIT).sector_column is None
    first, second = _table(ch, NO_SPLIT), _table(ch, NO_SPLIT)
    assert "Geen uitsplitsing naar sector" in first and "{admonition}" in first
    assert "{admonition}" not in second  # the same note again: nothing
    # another dataset without a split in the same section: its first sentence only
    other = _table(ch, OTHER_NO_SPLIT)
    assert "{admonition}" in other and "De cijfers gelden voor alle sectoren samen" not in other
    # the next section says it again, in full
    section[0] = "§5.6"
    again = _table(ch, NO_SPLIT)
    assert "{admonition}" in again and "De cijfers gelden voor alle sectoren samen" in again


def test_section_is_read_from_the_running_cell(monkeypatch):
    """In a notebook run the section is the template's heading above the running cell: no
    author has to mark it."""
    template = chapter.claims.template_for(6)
    secs = chapter.claims.sections(template)
    sec = next(s for s in secs if s.codes and s.heading.startswith("6.1"))
    ch = chapter.start(6, "po")
    monkeypatch.setattr(chapter, "_running_cell", lambda: sec.codes[-1])
    assert ch.section() == sec.heading
    monkeypatch.setattr(chapter, "_running_cell", lambda: "print('niet in het sjabloon')")
    assert ch.section() is None


def test_no_data_file_name_in_a_sidecars_reader_text():
    """Sector notes and what-is-not-published reach readers: no internal file names there."""
    bad = re.compile(r"tekstcijfers_|\.csv\b")
    names = data.dataset_names()
    assert len(names) > 30, names
    for name in names:
        sch = data.schema(name)
        for text in (sch.sector_note, sch.not_published or "", sch.source.get("location", ""),
                     sch.source.get("note", "") or ""):
            assert not bad.search(str(text)), f"{name}.yml: {text!r}"
