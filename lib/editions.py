"""Run the chapter templates per sector into executed editions of record.

``book/chapters/<id>.md`` (MyST notebook, parameter ``sector``) → papermill, once per sector →
``book/editions/<sector>/<id>.ipynb``. A run happens only when an input changed: the template, the
data files the chapter declares (front matter ``living_report: datasets``), the ``lib`` code the
chapter can reach (:mod:`lib.deps`), the executor (this module and :mod:`lib.kernels`), the lock
file or the sector. The inputs' hash is stored in the edition; with unchanged inputs nothing runs
and no file changes by a byte. Output is normalised (no timestamps, fixed cell ids), so a rebuild
is reproducible. Notebooks run on warm kernels, one per core (:mod:`lib.kernels`).

``python -m lib.editions [--sector po ...] [--chapter 04-onderzoeksaanpak] [--force] [--check]``
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import multiprocessing.util
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import yaml

from lib import claims, data, paths
from lib.data import DECLARED_ENV, SECTOR_NAMES, SECTORS, validate_sector

# lib modules that only the build uses (never a chapter): changing them re-runs no edition.
# tests/test_editions.py checks that chapters and the modules they import never load them.
BUILD_TOOLING = frozenset({"build.py", "vega_sphinx.py", "sitecheck.py", "consistency.py",
                           "datapackage.py", "navigation.py", "profile.py",
                           "release.py", "deps.py", "print_pdf.py", "slim.py", "pages.py",
                           "contact.py", "preview.py"})
# The executor: how a template becomes an edition. Part of every edition's key (a change to the
# normalisation must re-run everything), never loaded into a chapter's kernel.
EXECUTOR = frozenset({"editions.py", "kernels.py"})


@dataclass(frozen=True)
class Job:
    chapter: str
    sector: str
    template: Path
    output: Path
    key: str
    datasets: tuple[str, ...]

    @property
    def up_to_date(self) -> bool:
        return stored_key(self.output) == self.key


def chapter_ids() -> list[str]:
    return sorted(p.stem for p in paths.chapters_dir().glob("*.md"))


def front_matter(template: Path) -> dict[str, Any]:
    text = template.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ValueError(f"{template}: front matter (---) ontbreekt")
    return yaml.safe_load(text.split("---\n", 2)[1]) or {}


def chapter_settings(template: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(datasets, sectors) declared in a chapter's ``living_report`` front matter.

    ``datasets: "*"`` declares every dataset (the data catalogue reads them all). The datasets
    that the checks of the errata the template names read (ids such as ``E-6-3``, prefixes such
    as ``E-6-``, see :func:`lib.errata.referenced`) are added: the chapter may load them when it
    renders those errata, and a change to them re-runs the chapter.
    """
    from lib import errata

    meta = front_matter(template).get("living_report") or {}
    declared = meta.get("datasets") or ()
    datasets = tuple(data.dataset_names()) if declared == "*" else tuple(declared)
    refs = errata.referenced(template.read_text(encoding="utf-8"))
    datasets += tuple(d for d in errata.reads(refs) if d not in datasets)
    sectors = tuple(meta.get("sectors") or SECTORS)
    for s in sectors:
        validate_sector(s)
    return datasets, sectors


def _digest(h: Any, path: Path) -> None:
    h.update(str(path.relative_to(paths.project_root())).encode())
    h.update(b"\0")
    h.update(path.read_bytes())
    h.update(b"\0")


def _dataset_files(name: str, template: Path, cache: dict[str, set[Path]]) -> set[Path]:
    """The files dataset ``name`` reads (its sidecar parsed once per plan)."""
    if name not in cache:
        if not (paths.data_dir() / f"{name}.yml").exists():
            raise FileNotFoundError(f"{template.name} noemt dataset '{name}', maar "
                                    f"data/{name}.yml bestaat niet")
        cache[name] = set(data.dependencies(name))
    return cache[name]


def input_key(template: Path, sector: str, datasets: tuple[str, ...],
              model: dict[str, Any] | None = None,
              cache: dict[str, set[Path]] | None = None) -> str:
    """sha256 over what an edition depends on: template, sector, the files its declared datasets
    (errata included) read, the ``lib`` code the chapter can reach (:func:`lib.deps.code_key`:
    the module-level code of the modules it imports and every function it can call, not the
    rest), the executor (:data:`EXECUTOR`: a change to the normalisation re-runs everything)
    and the lock file."""
    from lib import deps

    root = paths.project_root()
    h = hashlib.sha256(f"sector={sector}\0".encode())
    _digest(h, template)
    files: set[Path] = set()
    cache = {} if cache is None else cache
    for name in datasets:
        files.update(_dataset_files(name, template, cache))
    for p in sorted(files):
        if not p.exists():
            raise FileNotFoundError(f"{template.name} leest {p.name}, dat niet bestaat")
        _digest(h, p)
    h.update(deps.code_key(template, BUILD_TOOLING | EXECUTOR, model).encode() + b"\0")
    for name in sorted(EXECUTOR):
        _digest(h, paths.lib_dir() / name)
    _digest(h, root / "requirements.lock")
    return h.hexdigest()


def stored_key(output: Path) -> str | None:
    if not output.exists():
        return None
    try:
        nb = json.loads(output.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None
    return nb.get("metadata", {}).get("living_report", {}).get("inputs_sha256")


def plan(sectors: tuple[str, ...] = SECTORS, chapters: list[str] | None = None) -> list[Job]:
    from lib import deps

    model = deps.lib_model(BUILD_TOOLING | EXECUTOR)
    cache: dict[str, set[Path]] = {}
    jobs = []
    for cid in chapters or chapter_ids():
        template = paths.chapters_dir() / f"{cid}.md"
        if not template.exists():
            raise FileNotFoundError(f"hoofdstuk '{cid}' bestaat niet; bekend: {chapter_ids()}")
        datasets, chapter_sectors = chapter_settings(template)
        for s in sectors:
            validate_sector(s)
            if s not in chapter_sectors:
                continue
            out = paths.editions_dir() / s / f"{cid}.ipynb"
            jobs.append(Job(cid, s, template, out,
                            input_key(template, s, datasets, model, cache), datasets))
    return jobs


def _sector_title(nb: Any, sector: str) -> None:
    if sector == "alle":
        return
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            lines = cell.source.split("\n")
            for i, line in enumerate(lines):
                if line.startswith("# "):
                    lines[i] = f"{line} — editie {SECTOR_NAMES[sector]}"
                    cell.source = "\n".join(lines)
                    return
    raise ValueError("geen hoofdstuktitel ('# …') gevonden")


# Section labels of the chapters: ``(h5-2)=`` before "## 5.2 …", referenced as {ref}`§5.2 <h5-2>`.
# A sector edition holds the same labels, so they get the sector as prefix (``po-h5-2``); a
# reference inside an edition then leads to that edition's own section.
LABEL = re.compile(r"^\((h\d[\w-]*)\)=", re.MULTILINE)
REF = re.compile(r"(\{ref\}`(?:[^`<]*<)?)(h\d[\w-]*)(>?`)")


def edition_label(label: str, sector: str) -> str:
    """The name of a chapter label in edition ``sector`` (unchanged in the full report)."""
    return label if sector == "alle" else f"{sector}-{label}"


def _sector_labels(nb: Any, sector: str) -> None:
    if sector == "alle":
        return
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            src = LABEL.sub(lambda m: f"({edition_label(m.group(1), sector)})=", cell.source)
            cell.source = REF.sub(lambda m: m.group(1) + edition_label(m.group(2), sector)
                                  + m.group(3), src)


GLUE_MD = "application/papermill.record/text/markdown"


def _myst_glue(nb: Any) -> None:
    """``{glue:md}`key``` parses CommonMark by default, which leaves a cross-reference that lib
    glued (:meth:`lib.chapter.Chapter.ref`) as raw text; such keys are switched to ``key:myst``."""
    keys = set()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name and "{ref}`" in "".join(out.get("data", {}).get(GLUE_MD, "")):
                keys.add(name)
    if not keys:
        return
    pattern = re.compile(r"\{glue:md\}`(" + "|".join(map(re.escape, sorted(keys))) + r")`")
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = pattern.sub(r"{glue:md}`\1:myst`", cell.source)


def normalise(nb: Any, job: Job) -> Any:
    """Strip volatile metadata; fix cell ids; hide the injected parameters; record the key."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("jupytext", None)
    nb.metadata.pop("widgets", None)
    # the interpreter's patch version differs between machines and says nothing about content
    nb.metadata.get("language_info", {}).pop("version", None)
    _myst_glue(nb)
    nb.metadata["living_report"] = {
        "chapter": job.chapter, "sector": job.sector, "inputs_sha256": job.key,
        "template": str(job.template.relative_to(paths.project_root())),
    }
    for i, cell in enumerate(nb.cells):
        cell.id = f"{job.chapter[:2]}-{i:03d}"
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    raise RuntimeError(f"{job.chapter} ({job.sector}), cel {i}: uitvoer op stderr "
                                       f"(waarschuwing?): {out.get('text', '')[:500]}")
                out.get("metadata", {}).pop("papermill", None)
    return nb


@contextlib.contextmanager
def _kernel_stderr() -> Iterator[Any]:
    """Collect what the kernel process prints on stderr (start-up and shutdown chatter)."""
    with tempfile.TemporaryFile() as log:
        saved = os.dup(2)
        os.dup2(log.fileno(), 2)
        try:
            yield log
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def chapter_modules() -> list[str]:
    """The ``lib`` modules a chapter may import (what a warm kernel loads once)."""
    return sorted(p.stem for p in paths.lib_dir().glob("*.py")
                  if p.name not in BUILD_TOOLING | EXECUTOR and p.stem != "__init__")


_KERNEL: Any = None  # this process's warm kernel (one per worker of the pool)


def _warm_kernel() -> Any:
    global _KERNEL
    from lib import kernels

    if _KERNEL is None or not _KERNEL.alive():
        if _KERNEL is not None:
            _KERNEL.shutdown()
        _KERNEL = kernels.WarmKernel(chapter_modules())
        # pool workers end without atexit; multiprocessing's finalizers do run
        multiprocessing.util.Finalize(_KERNEL, _KERNEL.shutdown, exitpriority=10)
    return _KERNEL


def _prepared(job: Job) -> Any:
    import jupytext

    nb = jupytext.read(job.template)
    nb.metadata.pop("jupytext", None)
    _sector_title(nb, job.sector)
    _sector_labels(nb, job.sector)
    return nb


def _execute_cold(nb: Any, job: Job) -> Any:
    """Papermill as it comes: a new kernel for this one notebook (for comparison and debugging)."""
    import papermill

    saved = os.environ.get(DECLARED_ENV)
    os.environ[DECLARED_ENV] = ",".join(job.datasets)  # the new kernel inherits it
    with _kernel_stderr() as log:
        try:
            return papermill.execute_notebook(
                nb, None, parameters={"sector": job.sector}, kernel_name="python3",
                cwd=str(paths.project_root()), progress_bar=False, log_output=False,
            )
        except Exception as exc:
            log.seek(0)
            chatter = log.read().decode("utf-8", "replace")[-1500:]
            raise RuntimeError(f"{exc}\n--- kernel stderr ---\n{chatter}") from exc
        finally:
            if saved is None:
                os.environ.pop(DECLARED_ENV, None)
            else:
                os.environ[DECLARED_ENV] = saved


def run(job: Job, cold: bool = False) -> Any:
    """Execute one chapter for one sector; return the normalised notebook (nothing written).

    Normally on this process's warm kernel (:mod:`lib.kernels`); ``cold=True`` starts a fresh
    kernel through plain papermill, as before warm kernels (tests compare the two)."""
    nb = _prepared(job)
    if cold:
        return normalise(_execute_cold(nb, job), job)
    kernel = _warm_kernel()
    seen = kernel.stderr_path.stat().st_size
    try:
        nb = kernel.execute(nb, {"sector": job.sector}, ",".join(job.datasets))
    except Exception as exc:
        chatter = kernel.stderr_path.read_bytes()[seen:][-1500:].decode("utf-8", "replace")
        # the chapter's own error first (a guard's message), then papermill's traceback
        head = notebook_error(exc)
        raise RuntimeError(head + ("" if head == str(exc) else f"\n{exc}")
                           + (f"\n--- kernel stderr ---\n{chatter}" if chatter.strip()
                              else "")) from exc
    return normalise(nb, job)


def execute(job: Job, cold: bool = False) -> tuple[Job, float]:
    """Execute one chapter for one sector and write the edition (atomically)."""
    start = time.perf_counter()
    nb = run(job, cold=cold)
    job.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = job.output.with_suffix(".ipynb.tmp")
    tmp.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    tmp.replace(job.output)
    return job, time.perf_counter() - start


def index_pages(sectors: tuple[str, ...] = SECTORS) -> dict[Path, str]:
    """The landing page (profile) of each sector edition, see :mod:`lib.profile`."""
    from lib import profile

    pages = {}
    for s in sectors:
        if s == "alle":
            continue
        chapters = [cid for cid in chapter_ids()
                    if s in chapter_settings(paths.chapters_dir() / f"{cid}.md")[1]]
        pages[paths.editions_dir() / s / "index.md"] = profile.page(s, chapters)
    return pages


def stale_index_pages(sectors: tuple[str, ...] = SECTORS) -> list[Path]:
    return [p for p, text in index_pages(sectors).items()
            if not p.exists() or p.read_text(encoding="utf-8") != text]


def write_index_pages(sectors: tuple[str, ...] = SECTORS) -> list[Path]:
    pages = index_pages(sectors)
    written = stale_index_pages(sectors)
    for page in written:
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(pages[page], encoding="utf-8")
    return written


def build(sectors: tuple[str, ...] = SECTORS, chapters: list[str] | None = None,
          force: bool = False, workers: int | None = None, quiet: bool = False) -> dict[str, Any]:
    """Bring the editions up to date. Returns counts and timings; raises on the first failure."""
    t0 = time.perf_counter()
    jobs = plan(sectors, chapters)
    todo = [j for j in jobs if force or not j.up_to_date]
    # the largest chapters first, so no long notebook is left to run alone on one core at the end
    todo.sort(key=lambda j: j.template.stat().st_size, reverse=True)
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    say(f"edities: {len(jobs)} in totaal, {len(todo)} uit te voeren, "
        f"{len(jobs) - len(todo)} actueel")
    ran = []
    unguarded = [str(p) for t in dict.fromkeys(j.template for j in todo) for p in claims.scan(t)]
    if unguarded:
        raise RuntimeError("beweringen zonder bewaking (python -m lib.claims):\n"
                           + "\n".join(unguarded))
    if todo:
        workers = workers or min(len(todo), os.cpu_count() or 1)
        # each worker keeps one warm kernel (lib.kernels) for all the notebooks it runs
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(execute, j): j for j in todo}
            for fut in as_completed(futures):
                job = futures[fut]
                try:
                    _, secs = fut.result()
                except Exception as exc:
                    for f in futures:
                        f.cancel()
                    msg = str(exc)  # run() puts the chapter's own error first
                    msg = msg if len(msg) < 4000 else msg[:4000] + " …"
                    raise RuntimeError(f"editie {job.sector}/{job.chapter} mislukt: {msg}") from exc
                ran.append(job)
                say(f"  {job.sector}/{job.chapter}: {secs:.1f} s")
    written = write_index_pages(sectors)
    return {"total": len(jobs), "executed": len(ran), "index_pages_written": len(written),
            "seconds": time.perf_counter() - t0}


def notebook_error(exc: BaseException) -> str:
    """The error a chapter raised (a guard that no longer holds, an erratum that no longer
    stands) as ``ClaimError: …``, found in the chain of causes; else the exception's text."""
    cause: BaseException | None = exc
    while cause is not None:
        if getattr(cause, "evalue", None):
            return f"{cause.ename}: {cause.evalue}"
        cause = cause.__cause__
    return str(exc)


def stale(sectors: tuple[str, ...] = SECTORS, chapters: list[str] | None = None) -> list[Job]:
    """Editions whose stored inputs hash differs from the current inputs."""
    return [j for j in plan(sectors, chapters) if not j.up_to_date]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lib.editions", description=__doc__.split("\n")[0])
    ap.add_argument("--sector", action="append", help=f"een van {', '.join(SECTORS)}; herhaalbaar")
    ap.add_argument("--chapter", action="append", help="hoofdstuk-id, bv. 04-onderzoeksaanpak")
    ap.add_argument("--force", action="store_true", help="alles opnieuw uitvoeren")
    ap.add_argument("--check", action="store_true", help="alleen melden wat verouderd is")
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args(argv)
    try:
        sectors = tuple(validate_sector(s) for s in (args.sector or SECTORS))
    except ValueError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    if args.check:
        old = [j.output for j in stale(sectors, args.chapter)]
        old += stale_index_pages(sectors)
        for p in old:
            print(f"verouderd: {p.relative_to(paths.project_root())}")
        print(f"{len(old)} verouderde edities")
        return 1 if old else 0
    try:
        result = build(sectors, args.chapter, force=args.force, workers=args.workers)
    except Exception as exc:  # report the first error plainly, non-zero exit
        print(f"fout: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
