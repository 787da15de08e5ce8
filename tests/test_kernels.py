"""Warm kernels (lib.kernels): nothing leaks between notebooks, editions come out as from cold."""

from __future__ import annotations

import nbformat
import pytest

from lib import editions, kernels
from lib.data import DECLARED_ENV

KERNELSPEC = {"name": "python3", "language": "python", "display_name": "Python 3"}


def notebook(*sources: str) -> nbformat.NotebookNode:
    cells = [nbformat.v4.new_code_cell('sector = "alle"', metadata={"tags": ["parameters"]})]
    cells += [nbformat.v4.new_code_cell(s) for s in sources]
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC})


def stdout(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", [])
                   if o.get("output_type") == "stream")


@pytest.fixture(scope="module")
def kernel():
    with kernels.WarmKernel(editions.chapter_modules()) as k:
        yield k


def test_nothing_a_notebook_leaves_behind_reaches_the_next(kernel, tmp_path):
    dirty = notebook(
        "leak = 42\nimport os, sys, warnings\nimport json as renamed_module\n"
        "os.environ['SOP_LEAK'] = '1'\n"
        f"os.chdir({str(tmp_path)!r})\n"
        "sys.path.insert(0, '/nergens')\n"
        "warnings.simplefilter('ignore')\n"
        "def helper():\n    return 1\n"
        "print('eerste', sector, os.environ[" + repr(DECLARED_ENV) + "])")
    first = kernel.execute(dirty, {"sector": "po"}, "tabel_a,tabel_b")
    assert "eerste po tabel_a,tabel_b" in stdout(first)

    probe = notebook(
        "import os, sys, warnings\n"
        "names = sorted(n for n in ('leak', 'renamed_module', 'helper', 'dirty') "
        "if n in globals())\n"
        "print('namen', names)\n"
        "print('omgeving', os.environ.get('SOP_LEAK'), os.environ[" + repr(DECLARED_ENV) + "])\n"
        "print('map', os.getcwd())\n"
        "print('pad', '/nergens' in sys.path)\n"
        "print('filters', any(f[0] == 'ignore' and f[1] is None and f[2] is Warning "
        "for f in warnings.filters))\n"
        "print('In', len(In), 'Out', len(Out))")
    second = kernel.execute(probe, {"sector": "vo"}, "tabel_c")
    out = stdout(second)
    assert "namen []" in out
    assert "omgeving None tabel_c" in out
    assert f"map {kernel.cwd}" in out
    assert "pad False" in out
    assert "filters False" in out
    # history starts afresh: this notebook's own cells only (and In[0] is the empty entry)
    code_cells = [c for c in second.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code_cells] == list(range(1, len(code_cells) + 1))
    assert f"In {len(code_cells) + 1}" in out
    assert kernel.notebooks >= 2


def test_a_failing_notebook_does_not_spoil_the_kernel(kernel):
    with pytest.raises(Exception, match="ZeroDivisionError"):
        kernel.execute(notebook("half_done = 1\n1 / 0"), {"sector": "po"}, "")
    after = kernel.execute(notebook("print('half_done' in globals())"), {"sector": "po"}, "")
    assert "False" in stdout(after)


@pytest.mark.slow
def test_warm_editions_are_byte_identical_to_cold_runs_and_to_the_record():
    """Run other chapters first on the same warm kernel, then compare with a fresh kernel."""
    jobs = {(j.sector, j.chapter): j for j in editions.plan()}
    warmup = [jobs[("alle", "06-ervaren-meerwaarde")], jobs[("mbo", "00-samenvatting")]]
    checked = [jobs[("po", "05-huidige-praktijk")], jobs[("vo", "04-onderzoeksaanpak")]]
    for job in warmup:
        editions.run(job)
    for job in checked:
        warm = nbformat.writes(editions.run(job)) + "\n"
        cold = nbformat.writes(editions.run(job, cold=True)) + "\n"
        assert warm == cold, f"{job.sector}/{job.chapter}: warm en koud verschillen"
        assert warm == job.output.read_text(encoding="utf-8"), (
            f"{job.sector}/{job.chapter} wijkt af van de editie in book/editions")


def test_a_dead_kernel_is_replaced():
    first = editions._warm_kernel()
    first.km.provisioner.process.kill()
    first.km.provisioner.process.wait()
    second = editions._warm_kernel()
    assert second is not first and second.alive()
    second.execute(notebook("print(1 + 1)"), {"sector": "alle"}, "")
