"""Releases and the page "Wat is er veranderd": snapshots, cutting, and the change report built
from a copy of the project in which one value, one row, one glued number or one erratum changed.

No notebook runs and nothing is built: edits go straight into the copy's CSVs and notebooks.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from lib import data, editions, fmt, paths, release
from lib import errata as lib_errata
from lib.release import Cell, Erratum, ReleaseError, TextChange

TABLE = "tabel_5_1_stage_opleidingsschool_pabo"
CHAPTER = "05-huidige-praktijk"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} staat niet precies één keer in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _append(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + line + "\n", encoding="utf-8")


def _first_glued(notebook: Path) -> tuple[dict, dict, str]:
    """(the notebook, the first glued output that is not the opening box, its key)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name and name not in release.SKIPPED_GLUE:
                return nb, out, name
    raise AssertionError(f"{notebook} glued niets")


# --- snapshot ----------------------------------------------------------------------------------


def _no_releases() -> None:
    """The copy as before the first release (the project itself has cut 1.0)."""
    for f in release.releases_dir().glob("*.json"):
        f.unlink()


def test_snapshot_is_deterministic_and_holds_every_dataset_and_edition(project_copy):
    first = release.snapshot("1.0", "2026-11-30")
    assert release.dumps(first) == release.dumps(release.snapshot("1.0", "2026-11-30"))
    assert list(first) == sorted(first)
    assert first["version"] == "1.0" and first["date"] == "2026-11-30"

    assert sorted(first["datasets"]) == data.dataset_names()
    table = first["datasets"][TABLE]
    csv = project_copy / "data" / f"{TABLE}.csv"
    assert table["sha256"] == hashlib.sha256(csv.read_bytes()).hexdigest()
    assert table["primary_key"] == ["jaar", "antwoord"]
    assert table["columns"] == ["opleiding", "jaar", "antwoord", "label", "pct", "n_groep"]
    assert len(table["rows"]) == len(csv.read_text(encoding="utf-8").splitlines()) - 1
    assert table["rows"]["2020|ja"] == {"opleiding": "pabo", "jaar": 2020, "antwoord": "ja",
                                        "label": "Ja", "pct": 58, "n_groep": 1108}

    notebooks = sorted(paths.editions_dir().glob("*/*.ipynb"))
    assert notebooks
    assert {(p.parent.name, p.stem) for p in notebooks} == {
        (s, c) for s, chapters in first["editions"].items() for c in chapters}
    _, out, key = _first_glued(paths.editions_dir() / "po" / f"{CHAPTER}.ipynb")
    assert first["editions"]["po"][CHAPTER][key] == "".join(out["data"][editions.GLUE_MD])
    assert not any("sector_kerncijfers" in glued for s in first["editions"].values()
                   for glued in s.values())
    assert first["chapters"][CHAPTER].startswith("5 ")

    errata = data.load("errata")
    assert sorted(first["errata"]) == sorted(errata["id"])
    row = errata.iloc[0]
    assert "{" in row["bevinding"]  # the register holds placeholders …
    shown = lib_errata.rendered_register().set_index("id").loc[row["id"]]
    assert first["errata"][row["id"]] == {"locatie": row["locatie"],  # … the page their values
                                          "bevinding": shown["bevinding"]}
    assert "{" not in shown["bevinding"]


# --- cut, releases, latest ---------------------------------------------------------------------


def test_cut_writes_the_snapshot_and_refuses_an_existing_or_lower_version(project_copy):
    _no_releases()
    assert release.releases() == [] and release.latest() is None
    path = release.cut("1.0", "2026-11-30", check=False)
    assert path == project_copy / "releases" / "1.0.json"
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n") and "\n  \"datasets\": {" in text
    assert json.loads(text) == release.snapshot("1.0", "2026-11-30")
    assert release.latest()["version"] == "1.0"

    with pytest.raises(ReleaseError, match="bestaat al"):
        release.cut("1.0", "2026-12-01", check=False)
    with pytest.raises(ReleaseError, match=r"niet hoger dan de laatste release 1\.0"):
        release.cut("0.9", "2026-12-01", check=False)
    with pytest.raises(ReleaseError, match="niet hoger"):
        release.cut("1.0.0", "2026-12-01", check=False)  # 1.0.0 is 1.0
    with pytest.raises(ReleaseError, match="ongeldig"):
        release.cut("v1.1", "2026-12-01", check=False)
    with pytest.raises(ReleaseError, match="JJJJ-MM-DD"):
        release.cut("1.1", "30-11-2026", check=False)
    with pytest.raises(ReleaseError, match="vóór"):
        release.cut("1.1", "2026-01-01", check=False)

    release.cut("1.9", "2027-01-01", check=False)
    release.cut("1.10", "2027-02-01", check=False)  # numeric: 1.10 comes after 1.9
    with pytest.raises(ReleaseError, match=r"niet hoger dan de laatste release 1\.10"):
        release.cut("1.2", "2027-03-01", check=False)
    assert release.releases() == [("1.0", "2026-11-30"), ("1.9", "2027-01-01"),
                                  ("1.10", "2027-02-01")]
    assert release.latest()["version"] == "1.10"
    assert not list((project_copy / "releases").glob(".*"))  # no temporary files left


def test_cut_refuses_a_book_whose_editions_are_stale(project_copy):
    _no_releases()
    _append(project_copy / "book" / "chapters" / f"{CHAPTER}.md", "")
    with pytest.raises(ReleaseError, match=f"editie po/{CHAPTER} is niet bijgewerkt"):
        release.cut("1.0", "2026-11-30")
    assert not (project_copy / "releases" / "1.0.json").exists()


def test_command_line(project_copy, capsys):
    _no_releases()
    assert release.main(["latest"]) == 1
    assert "nog geen release" in capsys.readouterr().err
    release.cut("1.0", "2026-11-30", check=False)
    assert release.main(["latest"]) == 0
    assert capsys.readouterr().out == "1.0 2026-11-30\n"
    assert release.main(["cut", "1.0", "--date", "2026-12-01"]) == 1
    assert "fout: versie 1.0 bestaat al" in capsys.readouterr().err
    assert release.main(["diff"]) == 0
    assert "Ten opzichte van versie 1.0 van 30 november 2026 is er niets veranderd" in \
        capsys.readouterr().out
    out = project_copy / "pagina.md"
    assert release.main(["page", "--out", str(out)]) == 0
    assert "Dit is de eerste versie" in out.read_text(encoding="utf-8")


# --- compare and page: one change at a time ----------------------------------------------------


def test_one_changed_value_is_reported_as_that_cell(project_copy):
    before = release.snapshot("1.0", "2026-11-30")
    _edit(project_copy / "data" / f"{TABLE}.csv", "pabo,2020,ja,Ja,58,1108",
          "pabo,2020,ja,Ja,60,1108")
    changes = release.compare(before, release.snapshot("", ""))

    assert [d.name for d in changes.datasets] == [TABLE]
    table = changes.datasets[0]
    assert table.added == [] and table.removed == []
    assert [(r.key, r.cells) for r in table.changed] == [("2020|ja", (Cell("pct", 58, 60),))]
    assert changes.texts == [] and changes.errata_added == [] and not changes.empty

    text = release.page(changes, "1.1", [("1.0", "2026-11-30"), ("1.1", "2026-12-15")])
    assert text.startswith("# Wat is er veranderd\n")
    assert "versie 1.1 van 15 december 2026 naast versie 1.0 van 30 november 2026" in text
    assert "- **Tabel 5.1** (tabel\\_5\\_1\\_stage\\_opleidingsschool\\_pabo):\n" in text
    assert "  - gewijzigd: jaar 2020, antwoord ja, kolom pct: 58 → 60\n" in text
    assert text.count("→") == 1
    assert "- Versie 1.1, 15 december 2026 (deze versie)\n- Versie 1.0, 30 november 2026" in text


def test_an_added_year_is_reported_as_added_row(project_copy):
    before = release.snapshot("1.0", "2026-11-30")
    _edit(project_copy / "data" / f"{TABLE}.yml", "max: 2020", "max: 2099")  # synthetic year
    _append(project_copy / "data" / f"{TABLE}.csv", "pabo,2099,ja,Ja,61.5,1234")
    changes = release.compare(before, release.snapshot("", ""))

    table = changes.datasets[0]
    assert [d.name for d in changes.datasets] == [TABLE]
    assert table.added == [("2099|ja", {"opleiding": "pabo", "jaar": 2099, "antwoord": "ja",
                                        "label": "Ja", "pct": 61.5, "n_groep": 1234})]
    assert table.changed == [] and table.removed == []

    text = release.page(changes, None, [("1.0", "2026-11-30")])
    assert ("  - rij jaar 2099, antwoord ja toegevoegd: opleiding pabo, label Ja, pct 61,5, "
            "n\\_groep 1.234\n") in text
    assert "nog niet als versie uitgebracht" in text
    assert "2.099" not in text  # a year has no thousands separator


def test_a_changed_glued_value_is_reported_under_its_chapter_and_edition(project_copy):
    before = release.snapshot("1.0", "2026-11-30")
    notebook = project_copy / "book" / "editions" / "po" / f"{CHAPTER}.ipynb"
    nb, out, key = _first_glued(notebook)
    old = before["editions"]["po"][CHAPTER][key]
    out["data"][editions.GLUE_MD] = "12345,6\\%"
    notebook.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    changes = release.compare(before, release.snapshot("", ""))

    assert changes.texts == [TextChange("po", CHAPTER, key, old, "12345,6\\%")]
    assert changes.datasets == []
    text = release.page(changes, None, [("1.0", "2026-11-30")])
    expected = (f"- Hoofdstuk 5, editie po: `{key}` {fmt.md_escape(release.plain(old))} → "
                "12345,6\\%\n")
    assert expected in text
    assert "## Cijfers in de tekst" in text


def test_the_same_change_in_several_editions_is_one_line():
    old = _tiny()
    new = _tiny()
    for sector in ("alle", "po", "vo"):
        new["editions"][sector]["05-x"]["lbm_laatste"] = "60\\%"
    new["editions"]["mbo"]["05-x"]["nieuw"] = "3"
    del new["editions"]["mbo"]["05-x"]["lbm_laatste"]
    text = release.page(release.compare(old, new), None, [])
    assert ("- Hoofdstuk 5, het rapport en de edities po en vo: `lbm_laatste` 58\\% → 60\\%\n"
            in text)
    assert "- Hoofdstuk 5, editie mbo: `lbm_laatste` vervallen (was: 58\\%)\n" in text
    assert "- Hoofdstuk 5, editie mbo: nieuw `nieuw`: 3\n" in text


def test_an_added_and_a_resolved_erratum_are_reported(project_copy):
    before = release.snapshot("1.0", "2026-11-30")
    errata = project_copy / "data" / "errata.csv"
    # an erratum about the source's text (no check, no sidecar names it) is resolved
    first = next(line for line in errata.read_text(encoding="utf-8").splitlines()
                 if line.startswith("E-7-2,"))
    _edit(errata, first + "\n", "")
    _append(errata, 'E-9-9,Tabel 9.9,tekst,"Testbevinding <b>vet</b>, alleen testdata",Geen.')
    changes = release.compare(before, release.snapshot("", ""))

    assert changes.errata_added == [Erratum("E-9-9", "Tabel 9.9",
                                            "Testbevinding <b>vet</b>, alleen testdata")]
    assert [e.id for e in changes.errata_resolved] == [first.split(",")[0]]
    text = release.page(changes, None, [("1.0", "2026-11-30")])
    assert ("- Nieuw: E\\-9\\-9 (Tabel 9.9): Testbevinding &lt;b&gt;vet&lt;/b&gt;, alleen "
            "testdata\n") in text
    assert f"- Opgelost (niet meer in het register): {fmt.md_escape(first.split(',')[0])}" in text
    assert "<b>" not in text
    assert "rij id" not in text  # not twice: the errata section reports it


def test_no_change_says_so_plainly(project_copy):
    changes = release.compare(release.snapshot("1.0", "2026-11-30"), release.snapshot("", ""))
    assert changes.empty and changes.datasets == []
    text = release.page(changes, None, [("1.0", "2026-11-30")])
    assert "Ten opzichte van versie 1.0 van 30 november 2026 is er niets veranderd" in text
    assert "## Gegevens" not in text and "→" not in text


def test_first_version_has_nothing_to_compare_with():
    text = release.page(None, "1.0", [("1.0", "2026-11-30")])
    assert "Dit is de eerste versie" in text and "niets om mee te vergelijken" in text
    assert "- Versie 1.0, 30 november 2026 (deze versie)" in text
    assert "nog geen versie" in release.page(None, None, [])


# --- the book as it is now: which release it is, which one it is compared with ----------------


def test_report_follows_the_releases(project_copy):
    _no_releases()
    assert "nog geen versie" in release.report()
    release.cut("1.0", "2026-11-30", check=False)
    assert release.status()[0] == "1.0"
    assert "Dit is de eerste versie" in release.report()
    assert release.version_text() == "versie 1.0 (30 november 2026)"

    _edit(project_copy / "data" / f"{TABLE}.csv", "pabo,2019,nee,Nee,29,1087",
          "pabo,2019,nee,Nee,30,1087")
    between = release.report()
    assert "de huidige stand van het rapport (nog niet als versie uitgebracht) naast versie " \
        "1.0" in between
    assert "gewijzigd: jaar 2019, antwoord nee, kolom pct: 29 → 30" in between
    assert release.version_text() == "bijgewerkt na versie 1.0 (nog niet uitgebracht)"

    release.cut("1.1", "2026-12-15", check=False)
    at_release = release.report()
    assert "versie 1.1 van 15 december 2026 naast versie 1.0 van 30 november 2026" in at_release
    assert "gewijzigd: jaar 2019, antwoord nee, kolom pct: 29 → 30" in at_release

    target = project_copy / "gegenereerd" / "wat-is-er-veranderd.md"
    assert release.write_page(target) is True
    assert release.write_page(target) is False
    assert target.read_text(encoding="utf-8") == at_release


# --- formatting and escaping -------------------------------------------------------------------


@pytest.mark.parametrize(("column", "value", "record", "shown"), [
    ("pct", 58, None, "58"),
    ("pct", 3.5, None, "3,5"),
    ("score", 3.575, None, "3,575"),
    ("n_groep", 1108, None, "1.108"),
    ("jaar", 2020, None, "2020"),
    ("waarde", 2030, {"eenheid": "jaar"}, "2030"),
    ("waarde", 2030, {"eenheid": "euro"}, "2.030"),
    ("waarde", 8.5, {"eenheid": "jaar"}, "8,5"),
    ("label", None, None, "leeg"),
    ("label", "<script>x</script> 50%", None, "&lt;script&gt;x&lt;/script&gt; 50\\%"),
])
def test_values_are_dutch_and_escaped(column, value, record, shown):
    assert release.value_text(column, value, record) == shown


def test_dataset_text_is_escaped_and_labelled():
    old, new = _tiny(), _tiny()
    new["datasets"]["tekstcijfers_h9"] = {
        "sha256": "x", "title": "Cijfers *uit* de tekst", "columns": ["id"],
        "primary_key": ["id"], "rows": {"a": {"id": "a"}}}
    new["datasets"]["figuur_5_3a_x"]["rows"]["b"] = {"id": "b", "tekst": "[link](javascript:x)"}
    text = release.page(release.compare(old, new), None, [])
    assert "- Nieuw: **Cijfers \\*uit\\* de tekst** (tekstcijfers\\_h9), 1 rij.\n" in text
    assert "- **Figuur 5.3a** (figuur\\_5\\_3a\\_x):\n" in text
    assert "tekst \\[link\\]\\(javascript\\:x\\)" in text


def _tiny() -> dict:
    """A minimal snapshot: one dataset, one chapter in four editions, no errata."""
    return {
        "format": release.FORMAT, "version": "1.0", "date": "2026-11-30",
        "datasets": {"figuur_5_3a_x": {"sha256": "0", "title": "X", "columns": ["id", "tekst"],
                                       "primary_key": ["id"],
                                       "rows": {"a": {"id": "a", "tekst": "t"}}}},
        "editions": {s: {"05-x": {"lbm_laatste": "58\\%"}} for s in data.SECTORS},
        "chapters": {"05-x": "5 X"}, "errata": {},
    }


def test_page_is_valid_myst_without_warnings():
    from docutils.core import publish_doctree
    from myst_parser.parsers.docutils_ import Parser

    old, new = _tiny(), _tiny()
    new["datasets"]["figuur_5_3a_x"]["rows"]["a"]["tekst"] = "1. *kop* <i>` {ref}`x` % 50"
    new["editions"]["po"]["05-x"]["lbm_laatste"] = "{ref}`§5.2 <po-h5-2>` 60\\%"
    new["errata"]["E-5-1"] = {"locatie": "§5.2", "bevinding": "# geen kop |a|b|"}
    text = release.page(release.compare(old, new), "1.1", [("1.0", "2026-11-30")])
    doctree = publish_doctree(text, parser=Parser(),
                              settings_overrides={"halt_level": 5, "report_level": 2,
                                                  "warning_stream": False})
    problems = [n.astext() for n in doctree.findall() if n.tagname == "system_message"]
    assert problems == []
    shown = doctree.astext()
    assert "kolom tekst: t → 1. *kop* <i>` {ref}`x` % 50" in shown
    assert "`lbm_laatste`" not in shown and "lbm_laatste 58% → §5.2 60%" in shown
    assert "Nieuw: E-5-1 (§5.2): # geen kop |a|b|" in shown


def test_committed_change_page_is_the_report_of_the_book_as_it_is():
    """book/wat-is-er-veranderd.md is generated by the build; committed, it must be current
    (change data or an edition on purpose and this fails until the page is rebuilt)."""
    page = paths.book_dir() / "wat-is-er-veranderd.md"
    assert page.read_text(encoding="utf-8") == release.report()


# --- the version on what readers get (built site and PDFs) -------------------------------------

def _label() -> str:
    text = release.version_text()
    return text[0].upper() + text[1:]


@pytest.mark.site
def test_every_page_footer_names_the_version(site_dir):
    pages = sorted((site_dir / "book").rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        footer = page.read_text(encoding="utf-8").split("<footer", 1)[-1]
        assert _label() in footer, f"{page.name}: geen versie in de voettekst"


def test_every_pdf_names_the_version_on_its_title_page_and_in_its_metadata(pdf_dir):
    from pypdf import PdfReader

    pdfs = sorted(pdf_dir.glob("*.pdf"))
    assert len(pdfs) == 4
    for pdf in pdfs:
        reader = PdfReader(pdf)
        assert _label() in (reader.metadata.subject or ""), pdf.name
        title_page = " ".join(reader.pages[0].extract_text().split())
        assert _label().split(",")[0] in title_page, (pdf.name, title_page[:300])
