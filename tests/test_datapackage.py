"""The Frictionless Data Package: generated from the sidecars, valid for the standard validator,
which catches bad values on its own; the citation file.

frictionless checks what Table Schema can say (types, enum, minimum/maximum, required, primary
key, header, blank rows); lib.data keeps its own checks for the Dutch messages in the build.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
import zipfile
from pathlib import Path

import frictionless
import pytest
import yaml

from lib import data, datapackage, paths
from lib.catalogue import natural_key


def _validate(descriptor: Path) -> frictionless.Report:
    return frictionless.validate(str(descriptor))


def _errors(report: frictionless.Report) -> list[tuple[str, str, str | None]]:
    """(file, error type, field) of every error in the report."""
    return [(task.place, e.type, getattr(e, "field_name", None))
            for task in report.tasks for e in task.errors]


# --- the generated package -------------------------------------------------------------------


def test_generated_package_is_valid(tmp_path):
    report = _validate(datapackage.write(tmp_path / "pakket"))
    assert report.valid, _errors(report)
    assert report.stats["errors"] == 0
    assert report.stats["tasks"] == len(data.dataset_names())


def test_descriptor_is_valid_in_the_project_root(project_copy):
    """The same paths (data/<name>.csv) work beside the project's own data folder."""
    root_descriptor = project_copy / datapackage.DESCRIPTOR
    root_descriptor.write_text(datapackage.dumps(datapackage.descriptor()), encoding="utf-8")
    report = _validate(root_descriptor)
    assert report.valid, _errors(report)
    assert report.stats["tasks"] == len(data.dataset_names())


def test_zip_holds_the_package_and_is_valid(tmp_path):
    folder = tmp_path / "pakket"
    datapackage.write(folder)
    zipped = datapackage.archive(folder)
    assert zipped.name == "sop-gegevens.zip"
    with zipfile.ZipFile(zipped) as zf:
        names = set(zf.namelist())
    expected = {"datapackage.json", "CITATION.cff"} | {
        f"data/{n}.csv" for n in data.dataset_names()}
    assert names == expected
    report = _validate(zipped)
    assert report.valid, _errors(report)


def test_publish_puts_the_zip_where_the_appendix_links(tmp_path):
    zipped = datapackage.publish(tmp_path / "html")
    assert zipped == tmp_path / "html" / datapackage.SITE_ZIP
    assert datapackage.SITE_ZIP == "datapackage/sop-gegevens.zip"
    template = (paths.chapters_dir() / "bijlage-gegevens.md").read_text(encoding="utf-8")
    # the page is book/editions/alle/bijlage-gegevens.html: three levels below the site root
    assert f'href="../../../{datapackage.SITE_ZIP}"' in template


def test_rebuild_changes_no_byte(tmp_path):
    outputs = []
    for folder in (tmp_path / "a", tmp_path / "b", tmp_path / "a"):
        descriptor = datapackage.write(folder)
        outputs.append((descriptor.read_bytes(), datapackage.archive(folder).read_bytes()))
    assert outputs[0] == outputs[1] == outputs[2]


def test_stale_csv_copies_are_removed(tmp_path):
    folder = tmp_path / "pakket"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "weg.csv").write_text("a\n1\n", encoding="utf-8")
    datapackage.write(folder)
    assert not (folder / "data" / "weg.csv").exists()


def test_main_writes_folder_and_zip(tmp_path, capsys):
    assert datapackage.main([str(tmp_path / "uit")]) == 0
    assert (tmp_path / "uit" / "datapackage.json").exists()
    assert (tmp_path / "uit" / "sop-gegevens.zip").exists()
    assert "sop-gegevens.zip" in capsys.readouterr().out
    assert datapackage.main(["a", "b"]) == 2


# --- the descriptor follows the sidecars -----------------------------------------------------


def test_every_dataset_is_a_resource_in_natural_order():
    desc = datapackage.descriptor()
    names = [r["name"] for r in desc["resources"]]
    assert names == sorted(data.dataset_names(), key=natural_key)
    assert "errata" in names
    assert names.index("tabel_6_2_themas") < names.index("tabel_6_10_lbm_pabo")


def test_every_sidecar_column_is_a_field_with_its_type_and_constraints():
    resources = {r["name"]: r for r in datapackage.descriptor()["resources"]}
    for name in data.dataset_names():
        sch = data.schema(name)
        res = resources[name]
        assert res["path"] == f"data/{name}.csv"
        assert res["title"] == " ".join(sch.title.split())
        assert sch.source["location"].split()[0] in res["sources"][0]["title"]
        table = res["schema"]
        assert table["primaryKey"] == list(sch.primary_key), name
        assert table["missingValues"] == [""]
        fields = {f["name"]: f for f in table["fields"]}
        assert list(fields) == list(sch.columns), f"{name}: volgorde of namen wijken af"
        for col in sch.columns.values():
            f = fields[col.name]
            where = f"{name}.{col.name}"
            assert f["type"] == col.type, where
            cons = f["constraints"]
            assert cons["required"] is (not col.nullable), where
            assert cons.get("enum") == (list(col.allowed) if col.allowed is not None else None), \
                where
            assert cons.get("minimum") == col.min, where
            assert cons.get("maximum") == col.max, where
            if col.description.strip():
                assert " ".join(col.description.split()) in f["description"], where
            if col.unit:
                assert col.unit in f["description"], where


def test_package_cites_the_source_and_invents_no_licence():
    desc = datapackage.descriptor()
    assert "licenses" not in desc
    assert "geen licentie" in desc["description"]
    assert desc["sources"][0]["title"].startswith("Expertisecentrum Beroepsonderwijs (ECBO) (2021)")
    assert "ministerie van OCW" in desc["sources"][0]["title"]
    assert desc["version"] == _pyproject_version()


# --- the standard validator catches bad data -------------------------------------------------

DATASET = "tabel_6_1_tevredenheid"


def _first_column(sch: data.Schema, pred) -> str:
    return next(c.name for c in sch.columns.values() if pred(c))


def _break(name: str, how: str) -> str:
    """Break data/<name>.csv of the project copy in one way; return the column it hits."""
    sch = data.schema(name)
    path = sch.csv_path
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    if how == "enum":
        column = _first_column(sch, lambda c: c.allowed is not None)
        rows[0][column] = "niet_toegestaan"
    elif how == "number":
        column = _first_column(sch, lambda c: c.type == "number")
        rows[0][column] = "veel"
    else:  # a second row with the primary key of the first
        column = sch.primary_key[0]
        rows.append(dict(rows[0]))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(sch.columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return column


@pytest.mark.parametrize(("how", "error_type", "names_field"), [
    ("enum", "constraint-error", True),
    ("number", "type-error", True),
    ("duplicate", "primary-key", False),
])
def test_frictionless_reports_bad_data_naming_the_file(project_copy, tmp_path, how, error_type,
                                                       names_field):
    column = _break(DATASET, how)
    report = _validate(datapackage.write(tmp_path / "pakket"))
    assert not report.valid
    errors = _errors(report)
    assert {place for place, _, _ in errors} == {f"data/{DATASET}.csv"}, errors
    assert any(t == error_type and (not names_field or f == column) for _, t, f in errors), errors
    # lib.data, which the build runs, rejects the same file with its own Dutch message
    with pytest.raises(data.DataError, match=f"data/{DATASET}.csv"):
        data.read_raw(DATASET)


# --- CITATION.cff ----------------------------------------------------------------------------


def _pyproject_version() -> str:
    with (paths.project_root() / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def test_citation_file_has_the_required_keys_and_the_project_version():
    cff = yaml.safe_load((paths.project_root() / "CITATION.cff").read_text(encoding="utf-8"))
    for key in ("cff-version", "message", "title", "authors"):
        assert cff.get(key), f"CITATION.cff: '{key}' ontbreekt"
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] in ("dataset", "software")
    assert str(cff["version"]) == _pyproject_version() == datapackage.version()
    assert all(a.get("name") or a.get("family-names") for a in cff["authors"])
    source = cff["references"][0]
    assert source["type"] == "report"
    assert source["year"] == 2021
    assert source["authors"] == [{"name": "Expertisecentrum Beroepsonderwijs (ECBO)"}]
    assert "license" not in cff, "de bron noemt geen licentie: verzin er geen"


def test_descriptor_is_plain_json_with_sorted_keys(tmp_path):
    text = datapackage.write(tmp_path / "p").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
