"""Data contracts: every file validates; bad input names file, line, column and expectation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lib import data, editions, paths

DATASETS = data.dataset_names()
T41 = "tabel_4_1_respons_sector"


@pytest.mark.parametrize("name", DATASETS)
def test_dataset_validates(name):
    df = data.load(name)
    sch = data.schema(name)
    assert len(df) > 0
    assert list(df.columns) == list(sch.columns)
    assert sch.source["location"].strip()


def test_every_csv_has_a_sidecar_and_back():
    csvs = {p.stem for p in paths.data_dir().glob("*.csv")}
    assert csvs == set(DATASETS)


@pytest.mark.parametrize("name", DATASETS)
def test_numeric_columns_have_ranges(name):
    """Shares live on 0–100 and counts are not negative: the schema must say so."""
    for col in data.schema(name).columns.values():
        if col.unit == "procent":
            assert col.min == 0 and col.max == 100, f"{name}.{col.name}: procent zonder 0–100"
        if col.unit == "aantal":
            assert col.min is not None and col.min >= 0, f"{name}.{col.name}: aantal zonder min"


def test_every_dataset_is_used_or_reserved():
    # what each chapter declares in its front matter; the datasets the checks of its errata read
    # are added by lib.editions (tests/test_errata.py) and are not "used" by the chapter itself
    chapters = {cid: tuple(meta["datasets"]) for cid in editions.chapter_ids()
                for meta in [editions.front_matter(paths.chapters_dir() / f"{cid}.md")
                             ["living_report"]]
                # the catalogue declares "*" (reads every sidecar), it does not "use" a dataset
                if meta["datasets"] != "*"}
    known_ids = {
        "00-samenvatting", "01-inleiding", "02-eerder-onderzoek", "03-onderzoeksvragen",
        "04-onderzoeksaanpak", "05-huidige-praktijk", "06-ervaren-meerwaarde",
        "07-groeistrategie", "08-conclusies",
    }
    for name in DATASETS:
        sch = data.schema(name)
        assert sch.used_by or sch.reserved_for, f"{name}: noch used_by noch reserved_for"
        for cid in sch.used_by:
            assert cid in chapters, f"{name}: used_by noemt {cid}, dat (nog) niet bestaat"
            assert name in chapters[cid], f"{name}: {cid} declareert de dataset niet"
        for cid in sch.reserved_for:
            assert cid in known_ids, f"{name}: reserved_for noemt onbekend hoofdstuk {cid}"
    for cid, declared in chapters.items():
        for name in declared:
            assert cid in data.schema(name).used_by, f"{cid} leest {name}, used_by zegt het niet"


def test_errata_ids_are_unique_and_well_formed():
    errata = data.load("errata")
    assert errata["id"].is_unique
    assert all(re.fullmatch(r"E-\d-\d+", i) for i in errata["id"])


def test_tabel_4_4_upper_and_lower_block_agree_on_the_total():
    """Both blocks of Tabel 4.4 count the same 59 people (the disagreement is in the columns)."""
    sector = data.load("tabel_4_4a_gesprekken_sector").set_index("sector")
    functie = data.load("tabel_4_4b_gesprekken_functie")
    assert functie["totaal"].sum() == sector.loc["totaal", "respondenten"]
    # documented as E-4-2: by function 9 come from outside, by sector 7
    assert functie["buiten_partnerschap"].sum() == 9
    assert sector.loc["totaal", "buiten_partnerschap"] == 7


def test_geleding_sizes_agree_between_tables_4_2_and_4_3():
    g = data.load("tabel_4_2_geleding").set_index("geleding")["n"]
    s = data.load("tabel_4_3_stuurgroep").drop_duplicates("geleding").set_index("geleding")
    assert (s["n_groep"] == g.loc[s.index]).all()


def test_text_numbers_agree_with_tables():
    t = data.load("tekstcijfers_h4").set_index("id")["waarde"]
    resp = data.load(T41).set_index(["populatie", "sector"])["n"]
    assert t["partnerschappen_populatie"] == resp[("partnerschappen", "totaal")]
    assert t["enquete_bruikbaar"] == resp[("respondenten", "totaal")]
    assert t["enquete_volledig"] - t["enquete_geen_toestemming"] == t["enquete_bruikbaar"]


# --- bad input ---------------------------------------------------------------------------------

def _edit(root: Path, name: str, old: str, new: str, ext: str = "csv") -> None:
    p = root / "data" / f"{name}.{ext}"
    text = p.read_text(encoding="utf-8")
    assert old in text, f"testopzet: {old!r} niet in {p.name}"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


BAD_INPUTS = [
    # (description, name, old, new, ext, expected fragments of the message)
    ("wrong type", T41, "partnerschappen,vo,52,47", "partnerschappen,vo,veel,47", "csv",
     [f"data/{T41}.csv", "regel 3", "kolom 'n'", "geheel getal", "'veel'"]),
    ("out of range", T41, "respondenten,mbo,31,13", "respondenten,mbo,31,130", "csv",
     ["regel 8", "kolom 'pct'", "groter dan maximum 100"]),
    ("category not allowed", T41, "respondenten,po,124", "respondenten,hbo,124", "csv",
     ["regel 6", "kolom 'sector'", "niet toegestaan", "'po'"]),
    ("duplicate key", T41, "respondenten,mbo,31,13", "respondenten,vo,31,13", "csv",
     ["regel 8", "dubbele sleutel"]),
    ("empty required cell", T41, "partnerschappen,mbo,17,15", "partnerschappen,mbo,,15", "csv",
     ["regel 4", "kolom 'n'", "lege waarde"]),
    ("renamed column", T41, "populatie,sector,n,pct", "populatie,sector,aantal,pct", "csv",
     ["regel 1", "ontbreekt: ['n']", "onverwacht: ['aantal']"]),
    ("missing column", T41, "populatie,sector,n,pct", "populatie,sector,n", "csv",
     ["regel 1", "ontbreekt: ['pct']"]),
    ("total does not add up", T41, "partnerschappen,po,41,37", "partnerschappen,po,42,37", "csv",
     ["regel 5", "kolom 'n'", "totaal 110", "42 + 52 + 17 = 111"]),
    ("shares do not sum to 100", "tabel_4_2_geleding", "uitvoering,3,Uitvoering SO&P,133,54",
     "uitvoering,3,Uitvoering SO&P,133,64", "csv",
     ["regel 2", "kolom 'pct'", "tellen op tot 110, verwacht 100 ± 1.5"]),
    ("share off its count", "tabel_4_3_stuurgroep",
     "totaal,Totaal,ja,38,95,248\ntotaal,Totaal,nee,62,153,248",
     "totaal,Totaal,ja,40,95,248\ntotaal,Totaal,nee,60,153,248", "csv",
     ["regel 8", "kolom 'pct'", "aandeel 40% past niet bij 95 van 248 (38.31%)"]),
    ("broken quoting", "figuur_4_2_rollen", '"bestuurs-, directie- of managementfunctie"',
     '"bestuurs-, directie- of managementfunctie', "csv",
     ["figuur_4_2_rollen.csv", "geen geldige CSV"]),
    ("unknown schema key", T41, "primary_key:", "primairy_key: []\nprimary_key:", "yml",
     [f"data/{T41}.yml", "onbekende sleutel", "primairy_key"]),
    ("erratum no longer true", "tabel_4_4b_gesprekken_functie",
     "Bestuurder / beleidsmedewerker,8,1,6", "Bestuurder / beleidsmedewerker,7,1,6", "csv",
     ["slaagt nu", "E-4-1"]),
    ("unknown erratum", "tabel_4_4b_gesprekken_functie", "erratum: E-4-1", "erratum: E-9-9", "yml",
     ["E-9-9", "niet in data/errata.csv"]),
    ("new failure beside an erratum", "tabel_4_4b_gesprekken_functie", "Student,5,3,2",
     "Student,9,3,2", "csv", ["regel 5", "kolom 'totaal'", "9 verwacht gelijk aan 3 + 2 = 5"]),
    ("erratum without its rows", "tabel_4_4b_gesprekken_functie",
     "    erratum_rows: [[Bestuurder / beleidsmedewerker]]\n", "", "yml",
     ["erratum en erratum_rows horen bij elkaar"]),
    ("missing total row", T41, "respondenten,totaal,248,100\n", "", "csv",
     ["regel 6", "kolom 'sector'", "groep heeft geen totaalrij(en) 'totaal'"]),
    ("underscore as thousands separator", T41, "respondenten,po,124,50",
     "respondenten,po,1_24,50", "csv", ["regel 6", "kolom 'n'", "geheel getal", "'1_24'"]),
    ("decimal comma", T41, "respondenten,po,124,50", 'respondenten,po,124,"50,0"', "csv",
     ["regel 6", "kolom 'pct'", "decimaalpunt", "'50,0'"]),
    ("blank line", T41, "partnerschappen,vo,52,47\n", "partnerschappen,vo,52,47\n\n", "csv",
     ["regel 4", "lege regel"]),
    ("misspelt check key", T41, "by: [populatie]}", "bij: [populatie]}", "yml",
     ["onbekende sleutel(s) ['bij']"]),
    ("check names an unknown column", "tabel_4_2_geleding", "value: n, part: geleding",
     "value: aantal, part: geleding", "yml", ["value noemt onbekende kolom(men) ['aantal']"]),
]


@pytest.mark.parametrize(("what", "name", "old", "new", "ext", "fragments"), BAD_INPUTS,
                         ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_rejected_clearly(project_copy, what, name, old, new, ext, fragments):
    _edit(project_copy, name, old, new, ext)
    with pytest.raises(data.DataError) as info:
        data.load(name)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{what}: {fragment!r} niet in {message!r}"


def test_empty_file_is_named(project_copy):
    (project_copy / "data" / f"{T41}.csv").write_text("", encoding="utf-8")
    with pytest.raises(data.DataError, match=rf"data/{T41}.csv, regel 1: bestand is leeg"):
        data.load(T41)


def test_a_dataset_with_an_erratum_check_depends_on_the_errata():
    names = {p.name for p in data.dependencies("tabel_4_4b_gesprekken_functie")}
    assert names == {"tabel_4_4b_gesprekken_functie.csv", "tabel_4_4b_gesprekken_functie.yml",
                     "errata.csv", "errata.yml"}
    assert {p.name for p in data.dependencies(T41)} == {f"{T41}.csv", f"{T41}.yml"}


def test_missing_file_is_named(project_copy):
    (project_copy / "data" / f"{T41}.csv").unlink()
    with pytest.raises(data.DataError, match=rf"data/{T41}.csv: bestand ontbreekt"):
        data.load(T41)
    with pytest.raises(data.DataError, match="bestaat niet; bekend:"):
        data.load("tabel_9_9_bestaat_niet")


def test_undeclared_dataset_is_refused_inside_a_chapter(monkeypatch):
    monkeypatch.setenv(data.DECLARED_ENV, "tabel_4_2_geleding")
    with pytest.raises(data.DataError, match="noemt hem niet in 'living_report: datasets'"):
        data.load(T41)


def test_cli_reports_errors_and_exits_nonzero(project_copy, capsys):
    _edit(project_copy, T41, "partnerschappen,vo,52,47", "partnerschappen,vo,52,147")
    assert data.main() == 1
    out = capsys.readouterr().out
    assert f"data/{T41}.csv, regel 3, kolom 'pct'" in out
    assert "1 met fouten" in out
