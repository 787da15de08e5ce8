"""Lint the code cells of the chapter templates with ruff and the project's settings.

Each ``book/chapters/*.md`` (or the templates given as arguments: files or folders) is read with
jupytext and written as a ``py:percent`` script (code cells only) into a temporary folder; ruff
checks those with ``pyproject.toml``. Problems are printed as

    book/chapters/04-onderzoeksaanpak.md: cel 3: F401 `os` imported but unused (regel 57)

where ``cel`` counts the template's code cells from 1 and ``regel`` is the line in the template.
Two things are notebook semantics, not errors: ``display`` is an IPython builtin, and an import at
the top of a cell is at the top of its "module" (the parameters cell, which must come first for
papermill, precedes every import). Exit status: 0 clean, 1 problems, 2 the lint could not run.

Usage: ``.venv/bin/python scripts/lint_chapters.py [template.md | folder ...]``
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "pyproject.toml"
CHAPTERS = ROOT / "book" / "chapters"
NOTEBOOK_BUILTINS = "builtins = ['display']"
FENCE = re.compile(r"^(`{3,}|~{3,})\{code-cell\}")
MARKER = "# %%"


@dataclass(frozen=True)
class Cell:
    """A code cell: its number (1-based), its first line in the script and in the template."""

    number: int
    script_line: int
    template_line: int | None
    source: str


def _ruff() -> str:
    exe = Path(sys.executable).with_name("ruff")
    found = str(exe) if exe.exists() else shutil.which("ruff")
    if not found:
        raise RuntimeError("ruff niet gevonden (hoort in .venv: scripts/setup.sh)")
    return found


def templates(args: list[str]) -> list[Path]:
    """The templates to lint: the arguments (files or folders), else ``book/chapters/*.md``."""
    found: list[Path] = []
    for arg in args or [str(CHAPTERS)]:
        p = Path(arg)
        if p.is_dir():
            found += sorted(p.glob("*.md"))
        elif p.suffix == ".md" and p.exists():
            found.append(p)
        else:
            raise FileNotFoundError(f"{arg}: geen map en geen bestaande .md-template")
    return found


def display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _source_starts(template: Path) -> list[int | None]:
    """Per code cell, the template line (1-based) where its source begins."""
    lines = template.read_text(encoding="utf-8").splitlines()
    starts: list[int | None] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        j = i + 1
        if j < len(lines) and lines[j].strip() == "---":  # YAML options block
            j += 1
            while j < len(lines) and lines[j].strip() != "---":
                j += 1
            j += 1
        else:
            while j < len(lines) and lines[j].startswith(":"):  # ":tags: [...]" options
                j += 1
        if j > i + 1 and j < len(lines) and not lines[j].strip():
            j += 1  # the blank line after the options
        starts.append(j + 1)
        fence = m.group(1)
        i = j
        while i < len(lines) and lines[i].strip() != fence:
            i += 1
        i += 1
    return starts


def script(template: Path) -> tuple[str, list[Cell]]:
    """The template's code cells as a ``py:percent`` script, and where each cell starts."""
    nb = jupytext.read(template)
    nb.cells = [c for c in nb.cells if c.cell_type == "code"]
    nb.metadata = {}
    text = jupytext.writes(nb, fmt="py:percent")
    starts = _source_starts(template)
    template_lines = template.read_text(encoding="utf-8").splitlines()
    markers = [n for n, line in enumerate(text.splitlines(), start=1) if line.startswith(MARKER)]
    cells = []
    for k, (line, cell) in enumerate(zip(markers, nb.cells, strict=True)):
        start = starts[k] if k < len(starts) else None
        first = cell.source.splitlines()[:1]
        if start is not None and first and template_lines[start - 1:start] != first:
            start = None  # the template's layout was not understood: report no line
        cells.append(Cell(k + 1, line + 1, start, cell.source))
    return text, cells


def _top_of_cell_imports(cell: Cell) -> set[int]:
    """Script lines of the imports a cell starts with (allowed there in a notebook)."""
    try:
        body = ast.parse(cell.source).body
    except SyntaxError:
        return set()
    lines: set[int] = set()
    for node in body:
        if not isinstance(node, ast.Import | ast.ImportFrom):
            break
        end = node.end_lineno or node.lineno
        lines |= {cell.script_line + n - 1 for n in range(node.lineno, end + 1)}
    return lines


def lint(paths: list[Path]) -> list[str]:
    """Ruff's findings for the templates, one line each (empty: clean)."""
    with tempfile.TemporaryDirectory(prefix="lint-chapters-") as tmp:
        scripts: dict[str, tuple[Path, list[Cell]]] = {}
        for template in paths:
            text, cells = script(template)
            out = Path(tmp) / f"{template.stem.replace('-', '_')}.py"
            out.write_text(text, encoding="utf-8")
            scripts[str(out.resolve())] = (template, cells)
        proc = subprocess.run(
            [_ruff(), "check", "--no-cache", "--output-format", "json", "--config", str(CONFIG),
             "--config", NOTEBOOK_BUILTINS, *scripts],
            capture_output=True, text=True, cwd=ROOT)
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"ruff faalde (exitcode {proc.returncode}): {proc.stderr.strip()}")
        findings = json.loads(proc.stdout or "[]")
    problems = []
    for f in sorted(findings, key=lambda f: (f["filename"], f["location"]["row"])):
        template, cells = scripts[str(Path(f["filename"]).resolve())]
        row = f["location"]["row"]
        cell = next((c for c in reversed(cells) if c.script_line <= row), None)
        if cell is None:  # jupytext's header, outside any cell
            problems.append(f"{display_name(template)}: {f['code']} {f['message']}")
            continue
        if f["code"] == "E402" and row in _top_of_cell_imports(cell):
            continue
        where = ("" if cell.template_line is None
                 else f" (regel {cell.template_line + row - cell.script_line})")
        problems.append(f"{display_name(template)}: cel {cell.number}: {f['code']} "
                        f"{f['message']}{where}")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        paths = templates(args)
        problems = lint(paths)
    except (RuntimeError, FileNotFoundError, ValueError) as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    for p in problems:
        print(p)
    print(f"{len(paths)} hoofdstuktemplates, {len(problems)} problemen", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
