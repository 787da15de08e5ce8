"""Chapter templates and their editions: numbers come from data, sector rules from lib.chapter.

- prose: no hand-typed digits outside an explained allow-list (numbers are glued from data);
  no hand-typed source lines, CSV links or "no split by sector" notes (lib.chapter writes them);
- lib.chapter: the sector rules of tables and charts (notes, emphasis, refusals);
- every committed sector edition: each table and chart that names its dataset follows them;
- the chapters' code passes ruff (``scripts/lint_chapters.py``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest

from lib import chapter, charts, data, fmt, paths, prose, tables

TEMPLATES = sorted(paths.chapters_dir().glob("*.md"))
TEMPLATE_IDS = [t.name for t in TEMPLATES]

# --- the prose of the templates ---------------------------------------------------------------

CODE_FENCE = re.compile(r"^(`{3,}|~{3,})\{code-cell\}")
GLUE = re.compile(r"\{glue(?::\w+)?\}`[^`]*`")
HEADING_NUMBER = re.compile(r"^(#{1,6}\s+)\d+(?:\.\d+)*\.?\s+")
TARGET = re.compile(r"^\([\w.:-]+\)=\s*$")  # a MyST label "(sec-5-3)=": markup, not prose
ROLE_TARGET = re.compile(r"<[^<>`]*>`")  # the target of {ref}`tekst <label>`: markup
LINK_TARGET = re.compile(r"\]\([^)\s]*\)")  # the address of a Markdown link: not prose

_WS = r"[ \t]*(?:\n[ \t]*)?"  # spaces, or one line break: never across a blank line
_NUM = r"\d+(?:\.\d+)*[a-z]?"  # 5, 5.3, 6.4.1, 5.4a
_DOTTED = r"\d+(?:\.\d+)+[a-z]?"  # 6.10, 5.4b: after a comma only these continue a list
_MORE = rf"(?:{_WS}(?:[–-]|t/m|tot en met|en|of){_WS}{_NUM}|,{_WS}{_DOTTED})(?!\d|[.,]\d)"
_SCALE_END = rf"{_WS}(?:\([^)]*\)|‘[^’]*’|'[^']*'|“[^”]*”)?{_WS}"
# Digits a template may type itself, each with why. Matches are blanked before the digit check
# (on the whole prose, so a reference broken over two lines still counts as one).
ALLOWED: list[tuple[str, re.Pattern[str]]] = [
    # years and ranges of years: "2020", "2016–2020", "2019-2020" (not "2.016" or "2016,5")
    ("jaar", re.compile(r"(?<![\d.,])(?:19|20)\d\d(?:[ \t]*[–-][ \t]*(?:19|20)\d\d)?"
                        r"(?![\d%]|[.,]\d)")),
    # references to sections, tables, figures, chapters, appendices of the source or this book,
    # also lists and ranges: "§5.3", "Tabel 6.3", "Figuur 5.4a en 5.4b", "hoofdstuk 1 en 2",
    # "paragraaf 4.5", "Tabel 6.3–6.8", "Tabel 6.9, 6.10 en 6.11"
    ("verwijzing", re.compile(
        rf"(?:§[ \t]*|\b(?:[Tt]abel(?:len)?|[Ff]iguur|[Ff]iguren|[Hh]oofdstuk(?:ken)?|"
        rf"[Pp]aragra(?:af|fen)|[Bb]ijlage){_WS}){_NUM}(?!\d|[.,]\d)(?:{_MORE})*")),
    # erratum ids and prefixes: "E-6-3", "E-4-"
    ("erratum", re.compile(r"\bE-\d+-(?:\d+\b)?")),
    # the ends of a rating scale where the scale is described: "schaal van 1 tot 4",
    # "schaal van 1 ('niet of nauwelijks') tot 4 ('sterk')", "scores op een schaal 1–5"
    ("schaaleinden", re.compile(
        rf"\b(?:schaal|scores?)\b[^\d.]{{0,40}}?\b[01]{_SCALE_END}(?:tot(?:\s+en\s+met)?|[–-])"
        rf"{_WS}(?:[3-7]|10){_SCALE_END}(?!\d)")),
    # the policy's name (the share of the programme spent at the school), not a computed number
    ("40%-norm", re.compile(r"\b40[ \t]?%-norm\w*")),
]
# "PDG" (pedagogisch-didactisch getuigschrift) needs no entry: it has no digit.

FORBIDDEN: list[tuple[str, re.Pattern[str]]] = [
    ("een bronregel ('Bron:') komt uit lib.chapter", re.compile(r"\bBron\s*:")),
    ("een CSV-link ({download}) komt uit lib.chapter", re.compile(r"\{download\}")),
    ("'Geen uitsplitsing' komt uit lib.chapter (sidecar: sector.note)",
     re.compile(r"Geen uitsplitsing", re.IGNORECASE)),
]


def prose_lines(template: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of the template's Markdown: no front matter, no code cells, no glue
    roles, MyST comments, labels or link targets, and headings without their section number."""
    lines = template.read_text(encoding="utf-8").splitlines()
    i = 0
    if lines and lines[0].strip() == "---":  # front matter
        i = next(j for j in range(1, len(lines)) if lines[j].strip() == "---") + 1
    fence: str | None = None
    for n, line in enumerate(lines[i:], start=i + 1):
        if fence is not None:
            if line.strip() == fence:
                fence = None
            continue
        m = CODE_FENCE.match(line)
        if m:
            fence = m.group(1)
            continue
        if line.startswith("%") or line.startswith("+++") or TARGET.match(line):
            continue
        text = HEADING_NUMBER.sub(r"\1", line)
        text = GLUE.sub("", text)
        text = ROLE_TARGET.sub("`", text)
        text = LINK_TARGET.sub("]", text)
        yield n, text


def mask_allowed(text: str) -> str:
    """``text`` with every allowed number blanked (line breaks kept, so lines stay lines)."""
    for _, pattern in ALLOWED:
        text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    return text


def hand_typed_digits(text: str) -> str:
    """What is left of ``text`` after the allowed numbers are removed, if it has a digit."""
    left = mask_allowed(text)
    return left if re.search(r"\d", left) else ""


def hand_typed_lines(template: Path) -> list[tuple[int, str, str]]:
    """(line number, prose line, what is left) for each prose line with a hand-typed digit."""
    kept = dict(prose_lines(template))
    total = len(template.read_text(encoding="utf-8").splitlines())
    masked = mask_allowed("\n".join(kept.get(n, "") for n in range(1, total + 1))).split("\n")
    return [(n, kept[n], " ".join(masked[n - 1].split())) for n in sorted(kept)
            if re.search(r"\d", masked[n - 1])]


@pytest.mark.parametrize(("text", "left"), [
    ("In 2020 en in de jaren 2016–2019, vóór 2030", False),
    ("zie §5.3, Tabel 6.3–6.8, Figuur 5.4a en 5.4b, hoofdstuk 1 en 2 en paragraaf 4.5", False),
    ("Tabel 6.9, 6.10 en 6.11", False),
    ("(erratum E-6-3; zie ook E-4-)", False),
    ("op een schaal van 1 tot 4", False),
    ("op een schaal van 1 ('niet of nauwelijks van toepassing') tot 4 ('sterk')", False),
    ("scores op een schaal 1–5", False),
    ("de invulling van de 40%-norm", False),
    ("248 respondenten", True),
    ("ruim 3 jaar", True),
    ("ongeveer 67%", True),
    ("1.746 afgestudeerden", True),
    ("in 2.016 gevallen", True),
    ("3,52 gemiddeld", True),
    ("Tabel 6.3 telt 10 items", True),
    ("zie Tabel 4.1, 93 uit het vo", True),
    ("Tabel 4.1,5", True),
    ("zie Tabel 5.3. Daarna Tabel 6.9, 6.10 en 6.11.", False),
    ("item 8 en 10", True),
    ("van 1 tot 4 keer", True),
    ("zie Tabel 5.4a en\n5.4b", False),
    ("zie Tabel 5.4\n\n6 respondenten", True),
])
def test_digit_allow_list(text, left):
    assert bool(hand_typed_digits(text)) == left, hand_typed_digits(text)


@pytest.mark.parametrize("template", TEMPLATES, ids=TEMPLATE_IDS)
def test_prose_has_no_hand_typed_numbers(template):
    """Numbers in the prose are glued from data ({glue:md}); only the allow-list is typed."""
    rel = template.relative_to(paths.project_root())
    found = [f"{rel}:{n}: {line.strip()}  [over: {left}]"
             for n, line, left in hand_typed_lines(template)]
    assert not found, "getallen met de hand getypt (lijm ze uit de data):\n" + "\n".join(found)


@pytest.mark.parametrize("template", TEMPLATES, ids=TEMPLATE_IDS)
def test_template_leaves_source_lines_links_and_sector_notes_to_lib(template):
    rel = template.relative_to(paths.project_root())
    lines = template.read_text(encoding="utf-8").splitlines()
    found = [f"{rel}:{n}: {why}: {line.strip()}"
             for n, line in enumerate(lines, start=1)
             for why, pattern in FORBIDDEN if pattern.search(line)]
    assert not found, "\n".join(found)


def test_prose_scan_sees_only_prose(tmp_path):
    t = tmp_path / "99-proef.md"
    t.write_text("---\nliving_report:\n  datasets: [tabel_4_1_respons_sector]\n---\n\n"
                 "# 9 Proef\n\n```{code-cell} ipython3\nx = 248\n```\n\n"
                 "% een commentaar met 12 erin\n(sec-9-1)=\n## 9.1 Kop\n\n"
                 "Er zijn {glue:md}`n_248` mensen; zie {ref}`de kop <sec-9-1>`.\n"
                 "Maar 17 is getypt.\n", encoding="utf-8")
    assert [n for n, _, _ in hand_typed_lines(t)] == [17]


# --- lib.chapter: the sector rules ------------------------------------------------------------

NO_SPLIT = "tabel_5_3b_fte_per_taak"
SPLIT = "tabel_5_4_werkplekleren_sector"
SPLIT_WITHOUT_VO = "figuur_5_5_mening_40_norm"
PABO = "tabel_5_1_stage_opleidingsschool_pabo"
TWEEDEGRAADS = "tabel_5_2_stage_opleidingsschool_tweedegraads"


def _spec_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every data row of a Vega-Lite spec (named datasets and inline values, also nested)."""
    rows: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "datasets" and isinstance(value, dict):
                    for values in value.values():
                        rows.extend(r for r in values if isinstance(r, dict))
                elif key == "values" and isinstance(value, list):
                    rows.extend(r for r in value if isinstance(r, dict))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return rows


def _emphasised(spec: dict[str, Any]) -> bool:
    return any(r.get("nadruk") is True for r in _spec_rows(spec))


def _bold_cell(markdown: str) -> bool:
    return any(line.startswith("|") and "**" in line for line in markdown.splitlines())


def _flat(text: str) -> str:
    return " ".join(text.split())


def _carries(output: str, note: str) -> bool:
    """Does ``output`` (Markdown or chart text) contain ``note``, raw or Markdown-escaped?"""
    out = _flat(output)
    return _flat(note) in out or _flat(fmt.md_escape(note)) in out


def _table(ch: chapter.Chapter, name: str, df: pd.DataFrame | None = None) -> str:
    df = ch.load(name) if df is None else df
    return ch.table(df, dataset=name, caption=f"Tabel 9.9 Proef ({name})").markdown


def _chart(ch: chapter.Chapter, name: str, category: str, value: str,
           highlight: str | None = None) -> dict[str, Any]:
    df = ch.load(name)
    bars = charts.bars(df, category=category, value=value, category_title="Groep",
                       value_title="Waarde", highlight=highlight)
    return ch.chart(bars, dataset=name, caption=f"Figuur 9.9 Proef ({name})").spec


def test_no_split_table_and_chart_carry_the_sidecar_note_in_a_sector_edition():
    note = data.schema(NO_SPLIT).sector_note.strip()
    ch = chapter.start(5, "po")
    md = _table(ch, NO_SPLIT)
    assert "{admonition}" in md and _carries(md, note)
    assert f"{{download}}`{NO_SPLIT}.csv" in md
    assert not _bold_cell(md)
    spec = _chart(ch, NO_SPLIT, "label", "fte")
    assert spec["usermeta"]["dataset"] == NO_SPLIT
    assert _carries(spec["usermeta"]["note"], note)


def test_the_full_report_has_no_sector_notes_and_no_emphasis():
    ch = chapter.start(5, "alle")
    for name in (NO_SPLIT, SPLIT, SPLIT_WITHOUT_VO, PABO):
        md = _table(ch, name)
        assert "{admonition}" not in md, name
        assert not _bold_cell(md), name
    for name, category, value in ((NO_SPLIT, "label", "fte"), (SPLIT, "sector", "gemiddelde"),
                                  (SPLIT_WITHOUT_VO, "sector", "pct")):
        spec = _chart(ch, name, category, value)
        assert "note" not in spec["usermeta"], name
        assert not _emphasised(spec), name


def test_split_table_emphasises_the_sector_row():
    md = _table(chapter.start(5, "po"), SPLIT)
    po_rows = [line for line in md.splitlines() if line.startswith("| ") and "po" in line]
    assert po_rows and all("**" in line for line in po_rows), md
    assert "{admonition}" not in md
    others = [line for line in md.splitlines()
              if line.startswith("| ") and ("| vo" in line or "| mbo" in line)]
    assert others and not any("**" in line for line in others)


def test_hiding_the_sector_column_of_a_split_table_raises():
    ch = chapter.start(5, "po")
    with pytest.raises(ValueError, match="sector"):
        _table(ch, SPLIT, ch.load(SPLIT).drop(columns="sector"))
    # in the full report nothing needs emphasis, so the same table is fine
    alle = chapter.start(5, "alle")
    _table(alle, SPLIT, alle.load(SPLIT).drop(columns="sector"))


def test_split_chart_must_emphasise_the_sector():
    ch = chapter.start(5, "mbo")
    with pytest.raises(ValueError, match="benadrukt"):
        _chart(ch, SPLIT, "sector", "gemiddelde")
    spec = _chart(ch, SPLIT, "sector", "gemiddelde", highlight=ch.highlight)
    assert _emphasised(spec)
    assert [r["sector"] for r in _spec_rows(spec) if r.get("nadruk") is True] == ["mbo"]
    assert "note" not in spec["usermeta"]


def test_split_without_a_value_for_the_sector_says_so_and_does_not_raise():
    ch = chapter.start(5, "vo")
    assert "vo" not in set(ch.load(SPLIT_WITHOUT_VO)["sector"])
    md = _table(ch, SPLIT_WITHOUT_VO)
    assert "{admonition}" in md and not _bold_cell(md)
    spec = _chart(ch, SPLIT_WITHOUT_VO, "sector", "pct", highlight=ch.highlight)
    note = spec["usermeta"]["note"]
    assert "vo" in note and "po" in note and "mbo" in note  # no value for vo; only po and mbo
    assert not _emphasised(spec)
    # the po edition has its value: emphasis, no note
    po = chapter.start(5, "po")
    spec = _chart(po, SPLIT_WITHOUT_VO, "sector", "pct", highlight=po.highlight)
    assert _emphasised(spec) and "note" not in spec["usermeta"]


def test_loopbaanmonitor_note_is_explained_once_then_referred_to():
    ch = chapter.start(5, "po")
    first, second = _table(ch, PABO), _table(ch, TWEEDEGRAADS)
    assert _carries(first, chapter.LBM_NOTE)
    assert not _carries(second, chapter.LBM_NOTE)
    assert "{admonition}" in second and "Loopbaanmonitor" in second
    # a new chapter explains it again
    assert _carries(_table(chapter.start(6, "po"), TWEEDEGRAADS), chapter.LBM_NOTE)


def test_loopbaanmonitor_note_says_which_sectors_a_table_covers():
    """Pabo covers po: in the vo edition the pabo table says it is not about the vo."""
    pabo_po, pabo_vo = _table(chapter.start(5, "po"), PABO), _table(chapter.start(5, "vo"), PABO)
    assert "{admonition}" in pabo_po and "{admonition}" in pabo_vo
    assert _flat(pabo_po) != _flat(pabo_vo)
    assert re.search(r"niet\s+(?:\w+\s+)?het\s+vo", _flat(pabo_vo)), pabo_vo


def test_unknown_sector_is_refused():
    with pytest.raises(ValueError, match="geldig zijn"):
        chapter.start(5, "hbo")


# --- the committed sector editions ------------------------------------------------------------

DOWNLOAD = re.compile(r"\{download\}`([\w.-]+)\.csv\s*<")
SECTOR_EDITIONS = sorted(p for s in data.SECTORS[1:]
                         for p in (paths.editions_dir() / s).glob("*.ipynb"))


def edition_outputs(notebook: Path) -> Iterator[tuple[str, str, str, dict[str, Any] | None, str]]:
    """(kind, dataset, text, chart spec, section) for every output of an edition that names its
    dataset: tables through their CSV link, charts through ``usermeta.dataset``; the section is
    the last heading of the Markdown cells above."""
    nb = nbformat.read(notebook, as_version=4)
    section = "(begin)"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            headings = re.findall(r"^#+\s+(.*)$", cell.source, re.MULTILINE)
            section = headings[-1] if headings else section
        for out in cell.get("outputs", []):
            bundle = out.get("data", {})
            spec = bundle.get(charts.MIME_TYPE)
            if isinstance(spec, str):
                spec = json.loads(spec)
            if isinstance(spec, dict) and spec.get("usermeta", {}).get("dataset"):
                meta = spec["usermeta"]
                yield "grafiek", meta["dataset"], str(meta.get("note", "")), spec, section
            md = bundle.get("text/markdown")
            if md is None:
                continue
            md = "".join(md) if isinstance(md, list) else md
            for name in dict.fromkeys(DOWNLOAD.findall(md)):
                yield "tabel", name, md, None, section


def sector_rule_problems(notebook: Path) -> list[str]:
    """Where an edition (``<sector>/<id>.ipynb``) breaks the sector rules (empty: none)."""
    sector = notebook.parent.name
    explained = False  # the Loopbaanmonitor note is explained in full once per chapter
    lbm_said: dict[str, set[str]] = {}  # per section: the Loopbaanmonitor datasets noted
    said: dict[str, set[str]] = {}  # per section: the "no split" notes (sidecar text) shown
    problems = []
    for kind, name, text, spec, section in edition_outputs(notebook):
        sch = data.schema(name)
        where = f"{notebook.parent.name}/{notebook.name} ({section}): {kind} van {name}"
        if sch.sector_column is None:
            if sch.sector_covers:
                noted = lbm_said.setdefault(section, set())
                full = _carries(text, chapter.LBM_NOTE)
                if name in noted and "Loopbaanmonitor" in text:
                    problems.append(f"{where}: Loopbaanmonitor-notitie herhaald in de paragraaf")
                elif not (full or (explained and "Loopbaanmonitor" in text) or name in noted):
                    problems.append(f"{where}: geen Loopbaanmonitor-toelichting"
                                    + ("" if explained else " (de eerste moet volledig zijn)"))
                explained = explained or full
                noted.add(name)
                continue
            # once per section: the first output that needs the note carries it; later outputs
            # of the section do not repeat it, and one with another note may carry its first
            # sentence only
            shown = said.setdefault(section, set())
            note = " ".join(sch.sector_note.split())
            full = _carries(text, note)
            pointer = _carries(text, prose.first_sentence(note))
            if note in shown:
                if full:
                    problems.append(f"{where}: sectornotitie herhaald in de paragraaf")
            elif not (full or (shown and pointer)):
                problems.append(f"{where}: zonder sectorkolom, maar de sectornotitie uit "
                                f"{name}.yml ontbreekt ({note!r})")
            else:
                shown.add(note)
            continue
        if sector in set(data.load(name)[sch.sector_column]):
            if spec is None and not _bold_cell(text):
                problems.append(f"{where}: het {sector} staat in de data, maar geen cel is vet")
            if spec is not None and not _emphasised(spec):
                problems.append(f"{where}: het {sector} staat in de data, maar geen datum heeft "
                                "\"nadruk\": true")
        elif not (text.strip() if spec is not None else "{admonition}" in text):
            problems.append(f"{where}: de data hebben geen waarde voor het {sector}, maar de "
                            "editie zegt dat niet")
    return problems


@pytest.mark.parametrize("notebook", SECTOR_EDITIONS,
                         ids=[f"{p.parent.name}/{p.stem}" for p in SECTOR_EDITIONS])
def test_sector_edition_follows_the_sector_rules(notebook):
    assert not (problems := sector_rule_problems(notebook)), "\n".join(problems)


def test_sector_editions_name_their_datasets():
    """The rule test above is not empty: the editions' tables and charts name their data."""
    assert SECTOR_EDITIONS, "geen sectoredities in book/editions/{po,vo,mbo}"
    assert any(True for nb in SECTOR_EDITIONS for _ in edition_outputs(nb))


def _notebook(path: Path, *outputs: Any) -> Path:
    """An edition-like notebook at ``path`` whose one cell displays ``outputs``."""
    cell = nbformat.v4.new_code_cell("")
    for out in outputs:
        bundle = out._repr_mimebundle_()
        cell.outputs.append(nbformat.v4.new_output("display_data", data=bundle))
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    return path


def test_sector_rule_check_passes_lib_chapter_output_and_catches_hand_made_output(tmp_path):
    ch = chapter.start(5, "po")
    good = [ch.table(ch.load(n), dataset=n, caption="Tabel 9.9 Proef")
            for n in (NO_SPLIT, SPLIT, PABO, TWEEDEGRAADS)]
    good.append(ch.chart(charts.bars(ch.load(SPLIT), category="sector", value="gemiddelde",
                                     category_title="Sector", value_title="Gemiddelde",
                                     highlight=ch.highlight),
                         dataset=SPLIT, caption="Figuur 9.9 Proef"))
    assert sector_rule_problems(_notebook(tmp_path / "po" / "99-goed.ipynb", *good)) == []
    # the same data shown without lib.chapter: no note, no emphasis
    bad = [tables.show(ch.load(NO_SPLIT), caption="Tabel 9.9 Proef", dataset=NO_SPLIT),
           tables.show(ch.load(SPLIT), caption="Tabel 9.9 Proef", dataset=SPLIT),
           charts.show(charts.house(
               charts.bars(ch.load(SPLIT), category="sector", value="gemiddelde",
                           category_title="Sector", value_title="Gemiddelde"),
               caption="Figuur 9.9 Proef", source="Bron: proef.", dataset=SPLIT))]
    problems = sector_rule_problems(_notebook(tmp_path / "po" / "99-fout.ipynb", *bad))
    assert len(problems) == 3, problems
    assert "tabel van tabel_5_3b_fte_per_taak: zonder sectorkolom" in problems[0]
    assert "tabel van tabel_5_4_werkplekleren_sector: het po staat in de data" in problems[1]
    assert "grafiek van tabel_5_4_werkplekleren_sector" in problems[2]


# --- ruff over the chapters' code -------------------------------------------------------------

LINT = paths.project_root() / "scripts" / "lint_chapters.py"


def _lint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(LINT), *args], capture_output=True, text=True,
                          cwd=paths.project_root(), timeout=300)


def test_chapter_code_passes_ruff():
    result = _lint()
    assert result.returncode == 0, result.stdout + result.stderr


def test_lint_names_the_template_cell_and_line(tmp_path):
    template = tmp_path / "99-proef.md"
    template.write_text(
        "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
        "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n\n"
        "# 9 Proef\n\n```{code-cell} ipython3\n:tags: [parameters, remove-cell]\n\n"
        "sector = \"alle\"\n```\n\nTekst.\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n\n"
        "import os\n\nfrom lib import fmt\n\ndisplay(fmt.number(1), sector)\n```\n",
        encoding="utf-8")
    result = _lint(str(tmp_path))
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines == [f"{template}: cel 2: F401 `os` imported but unused (regel 25)"], lines


def test_sector_rule_check_catches_a_note_repeated_within_a_section(tmp_path):
    """Outside a notebook run lib.chapter cannot know the section, so both tables carry the
    note; in an edition under one heading that is a repeat the check reports."""
    ch = chapter.start(5, "po")
    outputs = [_table_output(ch, NO_SPLIT), _table_output(ch, NO_SPLIT)]
    path = _notebook(tmp_path / "po" / "99-herhaald.ipynb", *outputs)
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("## 9.9 Proef"))
    nbformat.write(nb, path)
    problems = sector_rule_problems(path)
    assert len(problems) == 1 and "herhaald in de paragraaf" in problems[0], problems
    # under two headings each table may say it
    nb.cells.insert(2, nbformat.v4.new_markdown_cell("## 9.10 Verder"))
    nb.cells[1].outputs = nb.cells[1].outputs[:1]
    nb.cells.append(nbformat.v4.new_code_cell(""))
    nb.cells[-1].outputs = [nbformat.v4.new_output("display_data",
                                                   data=outputs[1]._repr_mimebundle_())]
    nbformat.write(nb, path)
    assert sector_rule_problems(path) == []


def _table_output(ch: chapter.Chapter, name: str) -> tables.TableOutput:
    return ch.table(ch.load(name), dataset=name, caption="Tabel 9.9 Proef")
