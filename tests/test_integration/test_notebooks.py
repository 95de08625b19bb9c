"""Every walkthrough in notebooks/ runs top to bottom on the shipped samples, so none can rot.

The notebooks are executed with nbclient in a ``python3`` kernel started in
``notebooks/`` (as Jupyter would), with this checkout first on ``PYTHONPATH`` so the
kernel imports the ``posture`` under test and not another installed copy.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
#: Longest a single cell may run (s); the walkthroughs take well under a minute each.
CELL_TIMEOUT_S = 600


def _kernel_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def execute(nb: nbformat.NotebookNode, cwd: Path) -> nbformat.NotebookNode:
    """Run every cell of ``nb`` in place; raises ``CellExecutionError`` naming the failing cell."""
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT_S, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    )
    return client.execute(env=_kernel_env())


def _outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]


def test_the_walkthroughs_are_there():
    assert {p.name for p in NOTEBOOKS} >= {
        "standing_check.ipynb",
        "gait_walkthrough.ipynb",
        "history_walkthrough.ipynb",
    }


def test_the_kernel_imports_posture_from_this_checkout(tmp_path):
    cell = nbformat.v4.new_code_cell("import posture\nprint(posture.__file__)")
    nb = nbformat.v4.new_notebook(cells=[cell])
    execute(nb, tmp_path)
    printed = "".join(out.get("text", "") for out in _outputs(nb)).strip()
    assert Path(printed) == ROOT / "posture" / "__init__.py"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code, "a walkthrough without code"
    assert all(not cell.outputs and cell.execution_count is None for cell in code), "clear the outputs"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path):
    nb = execute(nbformat.read(path, as_version=4), NOTEBOOK_DIR)
    outputs = _outputs(nb)
    assert not [out for out in outputs if out.output_type == "error"]
    figures = [out for out in outputs if out.output_type == "display_data" and "image/png" in out.data]
    assert figures, "no figure was shown inline"
