"""Warm kernels for the editions: start a kernel once, run notebook after notebook on it.

A cold run pays for a kernel start and for importing pandas, Altair and ``lib`` in every
notebook; that was most of the editions step. A :class:`WarmKernel` starts one IPython kernel,
imports what chapters use (:func:`preload`) and then executes one notebook after another.
Papermill still injects the parameters and records the run (through the engine
:class:`WarmEngine`, which hands papermill the running kernel instead of letting it start one).

Before each notebook the kernel is put back to a clean state (:data:`RESET`): an empty user
namespace and history, execution count 1, the environment, working directory, ``sys.path`` and
warning filters as they were after the preload, and the chapter's declared datasets. So nothing a
notebook defines reaches the next one, and an edition comes out byte for byte as from a fresh
kernel (tests/test_kernels.py proves both).

The kernel talks over Unix sockets (``transport="ipc"``) in a private folder: kernels started in
parallel cannot race for the same TCP port (the "Address already in use" that once failed CI).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from papermill.engines import NBClientEngine

from lib import paths

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def preload(modules: list[str]) -> str:
    """Code that imports the heavy libraries and the given ``lib`` modules once per kernel."""
    return "import pandas, altair, myst_nb\n" + "".join(f"import lib.{m}\n" for m in modules)

# Runs before every notebook, silently and outside the user namespace (the exec'd dict is
# private), so it leaves no names behind. It snapshots the state on its first run.
RESET = '''
def _sop_reset(declared):
    import os, sys, warnings
    state = sys.modules.get("_sop_kernel_state")
    if state is None:
        import types
        state = types.ModuleType("_sop_kernel_state")
        state.environ = dict(os.environ)
        state.cwd = os.getcwd()
        state.path = list(sys.path)
        state.filters = list(warnings.filters)
        sys.modules["_sop_kernel_state"] = state
    ip = get_ipython()
    ip.reset(new_session=True)  # a new history session: execution count 1 again
    chapter = sys.modules.get("lib.chapter")  # its cell hook belongs to the notebook before
    if chapter is not None:
        chapter.unwatch_cells(ip)
    os.environ.clear()
    os.environ.update(state.environ)
    os.environ[{env!r}] = declared
    os.chdir(state.cwd)
    sys.path[:] = state.path
    warnings.filters[:] = state.filters
    warnings._filters_mutated()
'''
RESET_CALL = ("exec(compile({src!r}, '<sop-reset>', 'exec'), _d := {{}}) "
              "or _d['_sop_reset']({declared!r})")


class KernelError(RuntimeError):
    """The kernel could not start or a preparatory step failed."""


class WarmKernel:
    """One running IPython kernel that executes notebooks one after another."""

    def __init__(self, modules: list[str], cwd: Path | None = None, attempts: int = 3) -> None:
        self.cwd = cwd or paths.project_root()
        self.preload = preload(modules)
        self._dir = Path(tempfile.mkdtemp(prefix="sop-k-"))
        self.stderr_path = self._dir / "stderr.log"
        self._stderr = self.stderr_path.open("wb")
        self.km: Any = None
        self.kc: Any = None
        self.notebooks = 0
        last: Exception | None = None
        for _ in range(attempts):
            try:
                self._start()
                break
            except Exception as exc:  # a kernel that died at start: try a fresh one
                last = exc
                self._stop_kernel()
                time.sleep(0.5)
        else:
            raise KernelError(f"kernel start mislukt na {attempts} pogingen: {last}\n"
                              f"--- kernel stderr ---\n{self.stderr_tail()}") from last

    def _start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.km = AsyncKernelManager(kernel_name="python3", transport="ipc",
                                     ip=str(self._dir / "k"))
        # history in memory, as nbclient starts its kernels
        run_sync(self.km.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"],
                                       cwd=str(self.cwd), stderr=self._stderr,
                                       stdout=self._stderr)
        self.kc = self.km.client()
        self.kc.start_channels()
        run_sync(self.kc.wait_for_ready)(timeout=60)
        self.run_silent(self.preload)

    def run_silent(self, code: str, timeout: float = 120) -> None:
        """Execute ``code`` without output, history or execution count; raise on an error."""
        from jupyter_core.utils import run_sync

        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise KernelError(f"geen antwoord van de kernel binnen {timeout} s")
            reply = run_sync(self.kc.get_shell_msg)(timeout=left)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content.get("status") != "ok":
            trace = ANSI.sub("", "\n".join(content.get("traceback", [])))
            raise KernelError(f"{content.get('ename')}: {content.get('evalue')}\n{trace}")

    def reset(self, declared: str) -> None:
        """A clean namespace and environment for the next notebook (see :data:`RESET`)."""
        from lib.data import DECLARED_ENV

        src = RESET.format(env=DECLARED_ENV)
        self.run_silent(RESET_CALL.format(src=src, declared=declared))

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def execute(self, nb: Any, parameters: dict[str, Any], declared: str) -> Any:
        """Run ``nb`` with papermill (parameters injected) on this kernel; return the result."""
        import papermill
        from papermill.engines import papermill_engines

        papermill_engines.register(WarmEngine.NAME, WarmEngine)
        self.reset(declared)
        self.notebooks += 1
        return papermill.execute_notebook(
            nb, None, parameters=parameters, engine_name=WarmEngine.NAME, kernel_name="python3",
            progress_bar=False, log_output=False, warm_kernel=self)

    def stderr_tail(self, chars: int = 1500) -> str:
        try:
            return self.stderr_path.read_bytes()[-chars:].decode("utf-8", "replace")
        except OSError:
            return ""

    def _stop_kernel(self) -> None:
        from jupyter_core.utils import run_sync

        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            with contextlib.suppress(Exception):  # already gone
                run_sync(self.km.shutdown_kernel)(now=True)
            self.km = None

    def shutdown(self) -> None:
        self._stop_kernel()
        self._stderr.close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> WarmKernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


class WarmEngine(NBClientEngine):
    """Papermill's nbclient engine, on the :class:`WarmKernel` passed as ``warm_kernel``."""

    NAME = "sop-warm"

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False,
                                 stdout_file: Any = None, stderr_file: Any = None,
                                 start_timeout: int = 60, execution_timeout: Any = None,
                                 **kwargs: Any) -> Any:
        from papermill.clientwrap import PapermillNotebookClient
        from papermill.engines import logger

        kernel: WarmKernel = kwargs.pop("warm_kernel")
        client = PapermillNotebookClient(
            nb_man, km=kernel.km, timeout=execution_timeout, startup_timeout=start_timeout,
            kernel_name=kernel_name, log=logger, log_output=log_output,
            stdout_file=stdout_file, stderr_file=stderr_file)
        client.kc = kernel.kc  # the running client: nbclient then starts no kernel or channels
        return client.execute()
