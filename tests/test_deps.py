"""lib.deps: a chapter's code key covers all of lib the chapter can run, and nothing else."""

from __future__ import annotations

import ast
import os
import sys
import time
from pathlib import Path

import pytest

from lib import data, deps, editions, paths

CHAPTER = "04-onderzoeksaanpak"
EXCLUDE = editions.BUILD_TOOLING


def templates() -> list[Path]:
    return sorted(paths.chapters_dir().glob("*.md"))


def keys() -> dict[str, str]:
    model = deps.lib_model(EXCLUDE)
    return {t.stem: deps.code_key(t, EXCLUDE, model) for t in templates()}


def find_def(tree: ast.Module, qualname: str) -> ast.FunctionDef | ast.AsyncFunctionDef:
    body: list[ast.stmt] = tree.body
    *outer, name = qualname.split(".")
    for cls in outer:
        body = next(n for n in body if isinstance(n, ast.ClassDef) and n.name == cls).body
    return next(n for n in body
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name)


def edit_body(label: str) -> None:
    """Insert a statement at the start of the body (after the docstring) of ``module:qualname``."""
    module, qualname = label.split(":")
    path = paths.lib_dir() / f"{module}.py"
    lines = path.read_text(encoding="utf-8").split("\n")
    node = find_def(ast.parse("\n".join(lines)), qualname)
    body = node.body
    first = body[1] if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(
        getattr(body[0], "value", None), ast.Constant) else body[0]
    lines.insert(first.lineno - 1, " " * first.col_offset + "_deps_test = 'gewijzigd'")
    path.write_text("\n".join(lines), encoding="utf-8")
    assert "_deps_test" in deps.lib_model(EXCLUDE)[module].defs[qualname].source


def test_cells_match_jupytext():
    """The template reader sees the same code cells (and tags) as papermill's jupytext."""
    import jupytext

    for t in templates():
        nb = jupytext.read(t)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert deps.chapter_code(t) == "\n\n".join(c.source for c in code), t.name
        assert [c.tags for c in deps.cells(t)] == [tuple(c.metadata.get("tags", []))
                                                     for c in code], t.name


def test_analysis_of_all_chapters_is_fast():
    deps._module_cached.cache_clear()  # include parsing lib
    start = time.perf_counter()
    found = keys()
    secs = time.perf_counter() - start
    assert len(found) == len(templates()) and len(set(found.values())) == len(found)
    assert secs < 1, f"analyse van alle hoofdstukken duurde {secs:.2f} s"


def test_new_function_changes_no_key(project_copy: Path):
    assert paths.lib_dir() == project_copy.resolve() / "lib"
    before = keys()
    charts = paths.lib_dir() / "charts.py"
    charts.write_text(charts.read_text(encoding="utf-8")
                      + "\n\ndef deps_test_new_chart(df):\n    return df.head()\n",
                      encoding="utf-8")
    assert "deps_test_new_chart" in deps.lib_model(EXCLUDE)["charts"].defs
    assert keys() == before


def test_reachable_function_body_changes_key(project_copy: Path):
    template = paths.chapters_dir() / f"{CHAPTER}.md"
    reached = sorted(u for u in deps.uses(template, EXCLUDE)
                     if u.startswith("fmt:") and "." not in u)
    assert reached, f"{CHAPTER} bereikt geen functie in lib/fmt.py"
    before = keys()
    edit_body(reached[0])
    after = keys()
    assert after[CHAPTER] != before[CHAPTER]
    for t in templates():
        reaches = reached[0] in deps.uses(t, EXCLUDE)
        assert (after[t.stem] != before[t.stem]) == reaches, (t.stem, reached[0], reaches)


def test_module_level_constant_changes_key(project_copy: Path):
    path = paths.lib_dir() / "fmt.py"
    text = path.read_text(encoding="utf-8")
    const = next(s for s in ast.parse(text).body if isinstance(s, ast.Assign)
                 and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str))
    lines = text.split("\n")
    line = lines[const.lineno - 1]
    old = line[const.value.col_offset:const.value.end_col_offset]
    lines[const.lineno - 1] = line.replace(old, repr(const.value.value + "x"), 1)
    before = keys()
    path.write_text("\n".join(lines), encoding="utf-8")
    after = keys()
    assert after[CHAPTER] != before[CHAPTER]
    for t in templates():
        uses_fmt = "fmt" in deps.analyse(t, EXCLUDE).modules
        assert (after[t.stem] != before[t.stem]) == uses_fmt, (t.stem, uses_fmt)


def test_unreachable_function_body_changes_no_key(project_copy: Path):
    model = deps.lib_model(EXCLUDE)
    analyses = [deps.analyse(t, EXCLUDE, model) for t in templates()]
    used = set().union(*(a.modules for a in analyses))
    reached = set().union(*(a.reached for a in analyses))
    candidates = sorted(d.label for m in used for d in model[m].defs.values()
                        if not d.is_class and d.label not in reached)
    if not candidates:
        pytest.fail("geen functie in een gebruikte lib-module die geen hoofdstuk bereikt; "
                    "deze test heeft er een nodig (voeg er een toe, of kies een andere toets)")
    before = keys()
    edit_body(candidates[0])
    assert keys() == before, candidates[0]


PROBE = '''
"""A lib module to probe the analysis rules."""
from lib import fmt


def helper_at_import():
    return 1


def default_value():
    return 2


LIMIT = helper_at_import()


def by_default(x=default_value()):
    return x


def by_decorator(f):
    return f


@by_decorator
def decorated():
    return 3


def called():
    return nested()


def nested():
    return 4


def by_string():
    return 5


def dispatch(kind):
    return getattr(Box(), f"by_pattern_{kind}")()


def never():
    return never_either()


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return by_module_getattr


def by_module_getattr():
    return 11


def loads_tooling():
    from lib import build

    return build


def never_either():
    return 7


class Box:
    size = 2

    def __init__(self):
        self.n = 1

    def _repr_markdown_(self):
        return "box"

    @property
    def shown(self):
        return called()

    def hidden(self):
        return 8

    def keys(self):
        return ["n"]

    def by_pattern_kind(self):
        return 6

    @staticmethod
    def hidden_static():
        return 9


class Special(Box):
    def extra(self):
        return 10
'''

PROBE_CHAPTER = '''---
living_report:
  datasets: []
---

```{code-cell} ipython3
:tags: [parameters]

sector = "alle"
```

```{code-cell} ipython3
from lib import deps_probe as probe

box = probe.Box()
box.shown
getattr(probe, "by_string")()
probe.dispatch("kind")
```
'''


def test_rules_on_a_probe_module(project_copy: Path, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch):
    """Defaults, decorators, module-level calls, properties, implicit methods, subclasses, a
    module ``__getattr__``, getattr with a constant or a pattern are reached; what nothing names
    is not. The run agrees."""
    import lib

    (paths.lib_dir() / "deps_probe.py").write_text(PROBE, encoding="utf-8")
    monkeypatch.setattr(lib, "__path__", [str(paths.lib_dir()), *lib.__path__])
    monkeypatch.delitem(sys.modules, "lib.deps_probe", raising=False)
    template = tmp_path / "probe.md"
    template.write_text(PROBE_CHAPTER, encoding="utf-8")
    a = deps.analyse(template, EXCLUDE)
    assert a.modules == {"__init__", "deps_probe", "fmt"}
    got = {u.split(":")[1] for u in a.reached if u.startswith("deps_probe:")}
    assert got == {"helper_at_import", "default_value", "by_decorator", "decorated", "called",
                   "nested", "by_string", "Box.by_pattern_kind", "dispatch", "Box", "Box.__init__",
                   "Box._repr_markdown_", "Box.shown", "Box.keys", "Special", "__getattr__",
                   "by_module_getattr"}
    assert a.why("deps_probe:nested")[-1].endswith("← hoofdstuk (shown)")
    ran = deps.run_cells(template, "po", trace=True)
    assert ran is not None
    assert {u for u in ran if u.startswith("deps_probe:")} <= a.reached.keys()
    assert "deps_probe:Box.shown" in ran
    sys.modules.pop("lib.deps_probe", None)


def test_code_outside_the_analysis_is_refused(project_copy: Path, tmp_path: Path):
    """A chapter that can load an excluded (build-only) module gets no key, instead of one that
    misses that code."""
    (paths.lib_dir() / "deps_probe.py").write_text(PROBE, encoding="utf-8")
    head = PROBE_CHAPTER.split("```{code-cell} ipython3\nfrom")[0]
    for code, via in [("from lib import deps_probe\ndeps_probe.loads_tooling()",
                       "deps_probe:loads_tooling"),
                      ("from lib import fmt, build", "hoofdstuk")]:
        template = tmp_path / "tooling.md"
        template.write_text(f"{head}```{{code-cell}} ipython3\n{code}\n```\n", encoding="utf-8")
        assert "build.py" in EXCLUDE
        with pytest.raises(ValueError, match=rf"lib\.build \(via {via}\)"):
            deps.code_key(template, EXCLUDE)
        assert deps.analyse(template, frozenset()).modules >= {"build", "fmt"}


def _soundness(chapter: str, sector: str) -> None:
    template = paths.chapters_dir() / f"{chapter}.md"
    declared = os.environ.get(data.DECLARED_ENV)
    ran = deps.run_cells(template, sector, trace=True)
    assert os.environ.get(data.DECLARED_ENV) == declared
    assert ran, f"{chapter} ({sector}): geen enkele lib-functie uitgevoerd?"
    missing = ran - deps.uses(template, EXCLUDE)
    assert not missing, f"{chapter} ({sector}) voerde uit wat de analyse onbereikbaar noemt: " \
                        f"{sorted(missing)}"


def test_traced_calls_are_reachable():
    """Every lib function the chapter really runs is one the analysis calls reachable."""
    _soundness(CHAPTER, "po")
    assert "chapter:start" in deps.uses(paths.chapters_dir() / f"{CHAPTER}.md", EXCLUDE)


def _one_edition(t: Path) -> tuple[str, str]:
    sectors = editions.chapter_settings(t)[1]
    return t.stem, "po" if "po" in sectors else sectors[0]


@pytest.mark.slow
@pytest.mark.parametrize("chapter,sector", [_one_edition(t) for t in templates()])
def test_traced_calls_are_reachable_in_every_chapter(chapter: str, sector: str):
    """As above, for each chapter (a sector edition where there is one: more code runs)."""
    _soundness(chapter, sector)


@pytest.mark.parametrize("cell", ["raise ValueError(f'kapot in {sector}')", "def kapot(:"])
def test_run_cells_fails_loudly(tmp_path: Path, cell: str):
    template = tmp_path / "kapot.md"
    template.write_text(PROBE_CHAPTER.split("```{code-cell} ipython3\nfrom")[0]
                        + f"```{{code-cell}} ipython3\n{cell}\n```\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"kapot.md \(po\), cel 2 mislukt") as info:
        deps.run_cells(template, "po")
    if "raise" in cell:
        assert "kapot in po" in str(info.value)


def test_cli(capsys: pytest.CaptureFixture[str]):
    template = paths.chapters_dir() / f"{CHAPTER}.md"
    assert deps.main([CHAPTER]) == 0
    assert deps.code_key(template, EXCLUDE)[:12] in capsys.readouterr().out
    a = deps.analyse(template, EXCLUDE)
    direct = sorted(u for u, (referrer, _) in a.reached.items() if referrer == "hoofdstuk")
    indirect = sorted(u for u, (referrer, _) in a.reached.items() if referrer != "hoofdstuk")
    assert direct and indirect
    assert deps.main(["--explain", direct[0], CHAPTER]) == 0
    assert f"{direct[0]} ← hoofdstuk" in capsys.readouterr().out
    chain = a.why(indirect[0])
    assert len(chain) >= 2 and chain[0].startswith(indirect[0])
    assert chain[-1].split(" ← ")[1].split(" ")[0] in {"hoofdstuk"} | {
        f"{m}:<module>" for m in a.modules}
    assert deps.main(["bestaat-niet"]) == 2
    assert deps.main(["--explain", "fmt:bestaat_niet"]) == 2
