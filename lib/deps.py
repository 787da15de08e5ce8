"""Which parts of ``lib`` a chapter can reach, and a cache key over exactly those parts.

A static, conservative analysis (``ast``, nothing is imported or run): it may count too much as
used, never too little.

- Modules a chapter uses: the closure over ``lib`` imports (anywhere in a module, also inside
  functions), starting from the imports in the chapter's code cells; ``lib/__init__.py`` comes
  with any of them.
- Definitions: top-level functions and classes and the methods of classes (``Class.method``).
  Everything else at module level (imports, constants, ``if`` blocks, decorators, default values,
  class bodies apart from their methods) is module-level code: it runs on import, so it always
  counts for a used module.
- References of a piece of code: every name, attribute, imported name, keyword argument and
  string constant that reads as an identifier (``getattr(obj, "name")``), dotted name or format
  field (``"{x.name}"``).
- A definition in a used module is reachable when its simple name is referenced by the chapter
  code, by module-level code of a used module or by a reachable definition. A reachable class
  brings its methods named ``_…_`` (``__init__``, ``_repr_mimebundle_`` …) and protocol methods
  such as ``keys`` or ``write``: called implicitly. A function or class that is handed to other
  code when its module runs (a decorator other than ``property``, ``dataclass`` …; a base class
  other than a builtin; a module ``__getattr__``) is reachable whenever its module is used.
- Dynamic look-ups: ``getattr(lib_module, name)`` with a computed name reaches every definition
  of that module, ``getattr(obj, f"_x_{kind}")`` every definition whose name fits the pattern;
  ``globals()``, ``vars()``, ``dir()``, ``__dict__`` or ``inspect.getmembers`` reach everything.
  A computed name on any other object is assumed to come from a string constant of the analysed
  code (those are references already).

:func:`code_key` hashes the module-level code of the used modules and the source of the reachable
definitions, so editing a function no chapter can reach changes no chapter's key.

``python -m lib.deps [chapter-id ...] [--explain module:qualname]``
"""

from __future__ import annotations

import argparse
import ast
import builtins
import functools
import hashlib
import re
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lib import paths

VERSION = 1  # part of every key: raise it when the analysis changes what it counts
INIT = "__init__"
ALL = "<all>"  # reference marker: everything in the used modules is reachable
ALL_MODULES = "<all-modules>"  # import marker: every lib module may be imported
_ENUMERATORS = {"globals", "vars", "dir", "getmembers"}  # calls that list a namespace
# methods that protocols call without naming them in our code (``**obj`` calls ``keys``,
# ``print(file=obj)`` calls ``write``, Altair calls ``to_dict`` …): reached with their class
_PROTOCOL = {"keys", "to_dict", "write", "flush", "read", "readline", "close", "fileno", "send",
             "throw"}
_GETTERS = {"getattr", "hasattr", "setattr", "delattr"}
_IMPORTERS = {"import_module", "__import__"}
# decorators that only wrap what they get (the result is still reached by its own name)
_PLAIN_DECORATORS = {"property", "staticmethod", "classmethod", "cached_property", "cache",
                     "lru_cache", "setter", "getter", "deleter", "dataclass", "contextmanager",
                     "asynccontextmanager", "wraps", "abstractmethod", "overload", "final",
                     "override", "total_ordering", "singledispatch"}
_FIELD = re.compile(r"\{([^{}!:]*)|%\(([^()]*)\)")
_IDENT = re.compile(r"[^\W\d]\w*")
_FENCE = re.compile(r"^(`{3,}|~{3,})\{code-cell\}")
_OPTION = re.compile(r"^:(\w[\w-]*):\s*(.*)$")


# --- chapter templates --------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    source: str
    tags: tuple[str, ...] = ()


def cells(template: Path) -> list[Cell]:
    """The code cells of a MyST notebook template (options such as ``:tags:`` removed)."""
    return _cells(template.read_text(encoding="utf-8"), template.name)


def _cells(text: str, name: str) -> list[Cell]:
    found: list[Cell] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        i += 1
        if not m:
            continue
        fence, body = m.group(1), []
        while i < len(lines) and not (lines[i].startswith(fence[0] * len(fence))
                                      and not lines[i].strip(fence[0]).strip()):
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise ValueError(f"{name}: code-cell zonder afsluitende {fence}")
        i += 1
        tags: list[str] = []
        if body and body[0].strip() == "---":  # YAML options block
            end = body.index("---", 1) if "---" in body[1:] else 0
            for opt in body[1:end]:
                if opt.startswith("tags:"):
                    tags += re.findall(r"[\w-]+", opt.split(":", 1)[1])
            body = body[end + 1:]
        while body and (opt := _OPTION.match(body[0])):
            if opt.group(1) == "tags":
                tags += re.findall(r"[\w-]+", opt.group(2))
            body = body[1:]
        while body and not body[0].strip():
            body = body[1:]
        found.append(Cell("\n".join(body).rstrip(), tuple(tags)))
    return found


def chapter_code(template: Path) -> str:
    """The concatenated source of the template's code cells."""
    return "\n\n".join(c.source for c in cells(template))


def _parse_cell(source: str, where: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError:
        pass
    from IPython.core.inputtransformer2 import TransformerManager  # magics (%…, !…)

    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError as exc:
        raise ValueError(f"{where}: geen geldige Python-code: {exc}") from exc


# --- the model of lib -------------------------------------------------------------------------

@dataclass(frozen=True)
class Definition:
    module: str
    qualname: str
    source: str
    refs: frozenset[str]
    is_class: bool = False
    escapes: bool = False  # handed to code at import (decorator, base class): reachable always
    imports: frozenset[str] = frozenset()  # lib modules it imports (checked against ``exclude``)

    @property
    def name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]

    @property
    def label(self) -> str:
        return f"{self.module}:{self.qualname}"


@dataclass(frozen=True)
class Module:
    name: str
    code: str  # module-level code, statement by statement (comments and blank lines left out)
    refs: frozenset[str]  # references of the module-level code
    imports: frozenset[str]  # lib modules imported anywhere in the module (or ALL_MODULES)
    defs: dict[str, Definition] = field(default_factory=dict)
    top_imports: frozenset[str] = frozenset()  # lib modules its module-level code imports


class _Source:
    """Exact source text of nodes (``ast`` offsets are UTF-8 byte columns)."""

    def __init__(self, text: str) -> None:
        self.lines = re.split(r"(?<=\n)|(?<=\r)(?!\n)", text)

    def segment(self, node: ast.AST) -> str:
        first, last = node.lineno - 1, node.end_lineno - 1  # type: ignore[attr-defined]
        if first == last:
            b = self.lines[first].encode()
            return b[node.col_offset:node.end_col_offset].decode()  # type: ignore[attr-defined]
        head = self.lines[first].encode()[node.col_offset:]  # type: ignore[attr-defined]
        tail = self.lines[last].encode()[:node.end_col_offset]  # type: ignore[attr-defined]
        return head.decode() + "".join(self.lines[first + 1:last]) + tail.decode()

    def definition(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
        """A def with its decorators, from the start of its first line."""
        first = min([d.lineno for d in node.decorator_list] + [node.lineno])
        last = node.end_lineno or node.lineno
        return ("".join(self.lines[first - 1:last - 1])
                + self.lines[last - 1].encode()[:node.end_col_offset].decode())


def _lib_imports(tree: ast.AST, modules: Iterable[str]) -> tuple[set[str], dict[str, str]]:
    """Lib modules imported anywhere in ``tree``, and local alias → module."""
    known = set(modules)
    found: set[str] = set()
    aliases: dict[str, str] = {}

    def add(name: str, alias: str | None) -> None:
        if name in known:
            found.add(name)
            if alias:
                aliases[alias] = name

    for n in ast.walk(tree):
        if isinstance(n, ast.Import):
            for a in n.names:
                if a.name == "lib":
                    found.add(ALL_MODULES)  # ``lib.x`` may then reach any loaded module
                elif a.name.startswith("lib."):
                    add(a.name.split(".")[1], a.asname)
        elif isinstance(n, ast.ImportFrom):
            mod = n.module or ""
            if (n.level == 0 and mod == "lib") or (n.level == 1 and not mod):
                for a in n.names:
                    if a.name == "*":
                        found.add(ALL_MODULES)
                    add(a.name, a.asname or a.name)
            elif (n.level == 0 and mod.startswith("lib.")) or n.level == 1:
                add(mod.removeprefix("lib.").split(".")[0], None)
        elif isinstance(n, ast.Call) and n.args and _call_name(n) in _IMPORTERS:
            arg = n.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                if arg.value.startswith("lib."):
                    add(arg.value.split(".")[1], None)
            else:
                found.add(ALL_MODULES)
    return found, aliases


def _call_name(call: ast.Call) -> str | None:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def _string_refs(s: str) -> set[str]:
    if s.isidentifier():
        return {s}
    out = set()
    if all(p.isidentifier() for p in s.split(".")):
        out.update(s.split("."))
    if "{" in s or "%(" in s:
        for a, b in _FIELD.findall(s):
            out.update(_IDENT.findall(a or b))
    return out


def _refs(nodes: Iterable[ast.AST], aliases: dict[str, str]) -> set[str]:
    """References of ``nodes`` (see the module docstring), with markers for dynamic look-ups."""
    out: set[str] = set()
    for node in nodes:
        for n in ast.walk(node):
            if isinstance(n, ast.Name):
                out.add(n.id)
            elif isinstance(n, ast.Attribute):
                out.add(n.attr)
                if n.attr == "__dict__":
                    out.add(ALL)
            elif isinstance(n, ast.alias):
                out.update(n.name.split("."))
                if n.asname:
                    out.add(n.asname)
            elif isinstance(n, ast.keyword) and n.arg:
                out.add(n.arg)
            elif isinstance(n, ast.Constant) and isinstance(n.value, str):
                out |= _string_refs(n.value)
            elif isinstance(n, ast.MatchClass):
                out.update(n.kwd_attrs)
            elif isinstance(n, ast.Call):
                out |= _dynamic(n, aliases)
                if _call_name(n) in _ENUMERATORS:
                    out.add(ALL)
    return out


def _dynamic(call: ast.Call, aliases: dict[str, str]) -> set[str]:
    """Markers for ``getattr(obj, <computed name>)`` and friends."""
    if _call_name(call) not in _GETTERS or len(call.args) < 2:
        return set()
    obj, name = call.args[0], call.args[1]
    if isinstance(name, ast.Constant):
        return set()
    if isinstance(name, ast.JoinedStr):
        pattern = "".join(re.escape(v.value) if isinstance(v, ast.Constant) else r"\w*"
                          for v in name.values)
        return {f"<re:{pattern}>"}
    if isinstance(obj, ast.Name) and obj.id in aliases:
        return {f"<mod:{aliases[obj.id]}>"}
    return set()


def _evaluated_at_def(node: ast.FunctionDef | ast.AsyncFunctionDef,
                      lazy_annotations: bool) -> list[ast.AST]:
    """The parts of a def that run when the module (or class body) runs."""
    a = node.args
    parts: list[ast.AST] = [*node.decorator_list, *a.defaults,
                            *(d for d in a.kw_defaults if d is not None)]
    if not lazy_annotations:
        parts += [x.annotation for x in (*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg,
                                         a.kwarg) if x is not None and x.annotation is not None]
        parts += [node.returns] if node.returns else []
    return parts


def _build_module(name: str, text: str, modules: frozenset[str]) -> Module:
    """Split one lib file into module-level code and definitions."""
    tree = ast.parse(text, filename=f"lib/{name}.py")
    src = _Source(text)
    imports, aliases = _lib_imports(tree, modules)
    if name == INIT:
        return Module(name, text, frozenset(_refs([tree], aliases)), frozenset(imports),
                      top_imports=frozenset(imports))
    lazy = any(isinstance(s, ast.ImportFrom) and s.module == "__future__"
               and any(a.name == "annotations" for a in s.names) for s in tree.body)
    top: list[ast.AST] = []  # module-level nodes: their text and references
    defs: dict[str, Definition] = {}

    def define(qualname: str, source: str, refs: set[str], node: ast.AST) -> None:
        old = defs.get(qualname)  # a property's getter and setter share a name
        escapes = _escapes(node, top_level="." not in qualname)
        imported = _lib_imports(node, modules)[0]
        if old:
            source, refs = old.source + "\n" + source, refs | old.refs
            escapes, imported = escapes or old.escapes, imported | old.imports
        defs[qualname] = Definition(name, qualname, source, frozenset(refs),
                                    isinstance(node, ast.ClassDef), escapes, frozenset(imported))

    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            top += _evaluated_at_def(stmt, lazy)
            define(stmt.name, src.definition(stmt), _refs([stmt], aliases), stmt)
        elif isinstance(stmt, ast.ClassDef):
            head: list[ast.AST] = [*stmt.decorator_list, *stmt.bases, *stmt.keywords]
            for item in stmt.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    head += _evaluated_at_def(item, lazy)
                    define(f"{stmt.name}.{item.name}", src.definition(item),
                           _refs([item], aliases), item)
                else:
                    head.append(item)
            top += head
            define(stmt.name, "\n".join(src.segment(n) for n in head), _refs(head, aliases),
                   ast.ClassDef(stmt.name, stmt.bases, stmt.keywords, head, stmt.decorator_list))
        elif not _is_main_block(stmt):  # ``if __name__ == "__main__":`` never runs on import
            top.append(stmt)
    code = "\n".join(src.segment(n) for n in top)
    top_tree = ast.Module(body=top, type_ignores=[])  # type: ignore[arg-type]
    top_imports = _lib_imports(top_tree, modules)[0]
    return Module(name, code, frozenset(_refs(top, aliases)), frozenset(imports), defs,
                  frozenset(top_imports))


def _escapes(node: ast.AST, top_level: bool) -> bool:
    """Does a def get handed to other code when the module runs? A decorator other than the plain
    wrappers may register or call it; a class with a metaclass or a base other than a builtin may
    be registered (``__init_subclass__``). Such a def counts as reachable whenever its module is."""
    def last(e: ast.expr) -> str:
        e = e.func if isinstance(e, ast.Call) else e
        return e.id if isinstance(e, ast.Name) else e.attr if isinstance(e, ast.Attribute) else ""

    if top_level and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _implicit(
            node.name):
        return True  # a module's ``__getattr__`` or ``__dir__``
    decorators = getattr(node, "decorator_list", [])
    if any(last(d) not in _PLAIN_DECORATORS for d in decorators):
        return True
    if isinstance(node, ast.ClassDef):
        return bool(node.keywords) or any(
            not (isinstance(b, ast.Name) and isinstance(getattr(builtins, b.id, None), type))
            for b in node.bases)
    return False


def _is_main_block(stmt: ast.stmt) -> bool:
    if not isinstance(stmt, ast.If) or stmt.orelse:
        return False
    t = stmt.test
    return (isinstance(t, ast.Compare) and isinstance(t.left, ast.Name) and t.left.id == "__name__"
            and len(t.ops) == 1 and isinstance(t.ops[0], ast.Eq)
            and isinstance(t.comparators[0], ast.Constant) and t.comparators[0].value == "__main__")


@functools.lru_cache(maxsize=256)
def _module_cached(name: str, text: str, modules: frozenset[str]) -> Module:
    return _build_module(name, text, modules)


def lib_model(exclude: frozenset[str] = frozenset()) -> dict[str, Module]:
    """Every ``lib/*.py`` except ``exclude`` (file names), parsed once per file content (so
    repeated calls, one per chapter and sector, parse nothing again)."""
    names = _lib_names()
    files = {p.stem: p for p in sorted(paths.lib_dir().glob("*.py")) if p.name not in exclude}
    return {n: _module_cached(n, p.read_text(encoding="utf-8"), names) for n, p in files.items()}


def _lib_names() -> frozenset[str]:
    """Every module of lib, excluded ones too (so imports of them are seen)."""
    return frozenset(p.stem for p in paths.lib_dir().glob("*.py"))


# --- the analysis ----------------------------------------------------------------------------

@dataclass
class Analysis:
    """What one chapter uses: ``modules`` and ``reached`` (label → (referrer, name))."""

    template: Path
    modules: set[str]
    reached: dict[str, tuple[str, str]]
    model: dict[str, Module]

    def definitions(self) -> Iterator[Definition]:
        for label in self.reached:
            yield _definition(self.model, label)

    def why(self, label: str) -> list[str]:
        """The chain of references from the chapter to ``label`` (empty if not reached)."""
        chain: list[str] = []
        while label in self.reached and len(chain) < 50:
            referrer, name = self.reached[label]
            chain.append(f"{label} ← {referrer} ({name})")
            label = referrer
        return chain

    def key(self) -> str:
        """See :func:`code_key`."""
        parts = [(f"{m}:<module>", self.model[m].code) for m in self.modules]
        parts += [(d.label, d.source) for d in self.definitions()]
        h = hashlib.sha256(f"lib.deps v{VERSION}\0".encode())
        for label, text in sorted(parts):
            body = text.encode()
            h.update(f"{label}\0{len(body)}\0".encode())
            h.update(body)
        return h.hexdigest()


def _default_exclude() -> frozenset[str]:
    from lib.editions import BUILD_TOOLING  # at call time: lib.editions may import this module

    return BUILD_TOOLING


def analyse(template: Path, exclude: frozenset[str] | None = None,
            model: dict[str, Module] | None = None) -> Analysis:
    """Used modules and reachable definitions of one chapter template (``exclude``: lib file
    names left out of the analysis, default ``editions.BUILD_TOOLING``; ``model``: a
    :func:`lib_model` built with the same ``exclude``)."""
    if exclude is None:
        exclude = _default_exclude()
    model = model if model is not None else lib_model(exclude)
    refs, imports = _chapter_facts(template.read_text(encoding="utf-8"), template.name,
                                   _lib_names())
    if not imports:
        return Analysis(template, set(), {}, model)
    used: set[str] = set()
    todo = [*imports, INIT]
    while todo:
        m = todo.pop()
        if m == ALL_MODULES:
            todo += [x for x in model if x not in used]
        elif m in model and m not in used:
            used.add(m)
            todo += model[m].imports
    by_name: dict[str, list[Definition]] = {}
    for m in sorted(used):
        for d in model[m].defs.values():
            by_name.setdefault(d.name, []).append(d)
    reached: dict[str, tuple[str, str]] = {}
    seen: set[str] = set()
    # breadth first, the chapter's own references first: ``why`` gives a shortest chain
    work = deque((r, "hoofdstuk") for r in sorted(refs))
    work += [(r, f"{m}:<module>") for m in sorted(used) for r in sorted(model[m].refs)]

    def reach(d: Definition, referrer: str, name: str) -> None:
        if d.label in reached:
            return
        reached[d.label] = (referrer, name)
        work.extend((r, d.label) for r in sorted(d.refs))
        if d.is_class:
            for q, method in model[d.module].defs.items():
                if q.startswith(f"{d.qualname}.") and (_implicit(method.name)
                                                       or method.name in _PROTOCOL):
                    reach(method, d.label, "impliciet")

    for m in sorted(used):
        for d in model[m].defs.values():
            if d.escapes:
                reach(d, f"{m}:<module>", "decorator of basisklasse")
    while work:
        name, referrer = work.popleft()
        if name in seen:
            continue
        seen.add(name)
        found = _marked(name, by_name) if name.startswith("<") else by_name.get(name, ())
        for d in found:
            reach(d, referrer, name)
    loads = [("hoofdstuk", m) for m in imports]
    loads += [(f"{m}:<module>", x) for m in used for x in model[m].top_imports]
    loads += [(label, x) for label in reached for x in _definition(model, label).imports]
    outside = sorted({f"lib.{x} (via {who})" for who, x in loads
                      if x not in model and x != ALL_MODULES})
    if outside:
        raise ValueError(f"{template.name} kan lib-code laden die buiten de analyse valt "
                         f"(exclude): {'; '.join(outside)}")
    return Analysis(template, used, dict(sorted(reached.items())), model)


def _definition(model: dict[str, Module], label: str) -> Definition:
    mod, qual = label.split(":", 1)
    return model[mod].defs[qual]


@functools.lru_cache(maxsize=64)
def _chapter_facts(text: str, name: str, modules: frozenset[str]
                   ) -> tuple[frozenset[str], frozenset[str]]:
    """References and lib imports of a template's code (one parse per template text)."""
    trees = [_parse_cell(c.source, f"{name}, cel {i}") for i, c in enumerate(_cells(text, name))]
    chapter = ast.Module(body=[s for t in trees for s in t.body], type_ignores=[])
    imports, aliases = _lib_imports(chapter, modules)
    return frozenset(_refs([chapter], aliases)), frozenset(imports)


def _implicit(name: str) -> bool:
    return len(name) > 1 and name.startswith("_") and name.endswith("_")


def _marked(marker: str, by_name: dict[str, list[Definition]]) -> Iterator[Definition]:
    """The definitions a dynamic look-up marker may reach."""
    everything = (d for ds in by_name.values() for d in ds)
    if marker == ALL:
        yield from everything
    elif marker.startswith("<mod:"):
        yield from (d for d in everything if d.module == marker[5:-1])
    elif marker.startswith("<re:"):
        pattern = re.compile(marker[4:-1])
        yield from (d for d in everything if pattern.fullmatch(d.name))


def uses(template: Path, exclude: frozenset[str] | None = None) -> set[str]:
    """``module:qualname`` of every definition the chapter can reach."""
    return set(analyse(template, exclude).reached)


def code_key(template: Path, exclude: frozenset[str],
             model: dict[str, Module] | None = None) -> str:
    """sha256 over the module-level code of the used modules and the source of the reachable
    definitions, each labelled ``module:qualname`` (module-level code: ``module:<module>``)."""
    return analyse(template, exclude, model).key()


# --- running a chapter in-process (soundness checks, benchmarks) ---------------------------------

def _label_of(code_filename: str, qualname: str, model: dict[str, Module]) -> str | None:
    """``module:qualname`` of the definition a code object belongs to; None for module level."""
    mod = model.get(Path(code_filename).stem)
    parts = qualname.split(".<locals>")[0].split(".")
    if mod is None or parts[0].startswith("<"):
        return None
    if len(parts) >= 2 and ".".join(parts[:2]) in mod.defs:
        return f"{mod.name}:{'.'.join(parts[:2])}"
    top = mod.defs.get(parts[0])
    if top is not None and not top.is_class:
        return f"{mod.name}:{parts[0]}"
    return None  # a class body (or something nested in one): module-level code


def run_cells(template: Path, sector: str, trace: bool = False) -> set[str] | None:
    """Run the template's code cells in this process (IPython shell, parameter ``sector``
    injected after the ``parameters`` cell, declared datasets set, working directory the project).

    ``trace``: return ``module:qualname`` of every lib definition whose code ran (code in
    ``paths.lib_dir()``). Raises RuntimeError on the first cell that fails. Not for use inside a
    running kernel: it resets the shell's namespace.
    """
    import contextlib
    import io
    import os
    import threading
    import traceback

    from IPython.core.interactiveshell import InteractiveShell

    from lib import editions
    from lib.data import DECLARED_ENV

    datasets, sectors = editions.chapter_settings(template)
    if sector not in sectors:
        raise ValueError(f"{template.name} heeft geen editie '{sector}'; wel: {', '.join(sectors)}")
    todo, found = [], cells(template)
    for c in found:
        todo.append(c.source)
        if "parameters" in c.tags:
            todo.append(f"sector = {sector!r}")
    if len(todo) == len(found):
        raise ValueError(f"{template.name}: geen cel met tag 'parameters'")
    lib_dir = os.path.realpath(paths.lib_dir()) + os.sep
    seen: set[object] = set()

    def profile(frame, event, arg):
        if event == "call":
            seen.add(frame.f_code)

    shell = InteractiveShell.instance()
    if type(shell) is not InteractiveShell:
        raise RuntimeError(f"run_cells niet in een draaiende kernel ({type(shell).__name__}): "
                           "het zou de namespace daarvan wissen")
    shell.reset(new_session=False)
    saved = os.environ.get(DECLARED_ENV)
    os.environ[DECLARED_ENV] = ",".join(datasets)
    out = io.StringIO()
    try:
        with contextlib.chdir(paths.project_root()), contextlib.redirect_stdout(out):
            for i, src in enumerate(todo):
                if trace:
                    sys.setprofile(profile)
                    threading.setprofile(profile)
                try:
                    result = shell.run_cell(src, store_history=False)
                finally:
                    sys.setprofile(None)
                    threading.setprofile(None)  # type: ignore[arg-type]
                exc = result.error_before_exec or result.error_in_exec
                if exc is not None:
                    tb = "".join(traceback.format_exception(exc))[-2000:]
                    raise RuntimeError(f"{template.name} ({sector}), cel {i} mislukt: "
                                       f"{exc!r}\n{tb}") from exc
    finally:
        if saved is None:
            os.environ.pop(DECLARED_ENV, None)
        else:
            os.environ[DECLARED_ENV] = saved
        shell.reset(new_session=False)
        from lib import chapter

        chapter.unwatch_cells(shell)  # the chapter's cell hook must not run in the next one
    if not trace:
        return None
    model = lib_model()
    labels = {_label_of(co.co_filename, co.co_qualname, model)  # type: ignore[attr-defined]
              for co in seen
              if os.path.realpath(co.co_filename).startswith(lib_dir)}  # type: ignore[attr-defined]
    return {x for x in labels if x is not None}


# --- command line -------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lib.deps", description=__doc__.split("\n")[0])
    ap.add_argument("chapters", nargs="*", help="hoofdstuk-id's (standaard: alle)")
    ap.add_argument("--explain", metavar="MODULE:QUALNAME",
                    help="welke hoofdstukken deze definitie bereiken, en via welke naam")
    args = ap.parse_args(argv)
    exclude = _default_exclude()
    known = sorted(p.stem for p in paths.chapters_dir().glob("*.md"))
    chapters = args.chapters or known
    unknown = [c for c in chapters if c not in known]
    if unknown:
        print(f"fout: onbekend hoofdstuk {', '.join(unknown)}; bekend: {', '.join(known)}",
              file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    model = lib_model(exclude)
    if args.explain:
        mod, _, qual = args.explain.partition(":")
        if mod not in model or qual not in model[mod].defs:
            print(f"fout: geen definitie {args.explain} in lib (buiten "
                  f"{', '.join(sorted(exclude))})", file=sys.stderr)
            return 2
    results = [(c, analyse(paths.chapters_dir() / f"{c}.md", exclude, model)) for c in chapters]
    keys = [a.key() for _, a in results]
    secs = time.perf_counter() - t0
    for (c, a), key in zip(results, keys, strict=True):
        if args.explain:
            chain = a.why(args.explain)
            print(f"{c:24} " + ("bereikt:\n    " + "\n    ".join(chain) if chain
                                 else "niet bereikt"))
        else:
            total = sum(len(model[m].defs) for m in a.modules)
            print(f"{c:24} modules={len(a.modules):2}  definities={len(a.reached):3} van "
                  f"{total:3}  sleutel={key[:12]}")
    print(f"lib: {len(model)} modules, {sum(len(m.defs) for m in model.values())} definities "
          f"(zonder {', '.join(sorted(exclude))}); analyse van {len(chapters)} hoofdstukken: "
          f"{secs * 1000:.0f} ms", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
