"""Start-up stays light: ``gxgen --help`` and ``gxgen validate`` import none of the writers' or
readers' dependencies (DOCX, lxml, OpenCC, pandoc, spreadsheets, PDF: they are imported inside
the commands that need them). Behaviour, not timing: the modules loaded are read from
``sys.modules`` in a fresh interpreter. The list is ``benchmarks/startup.py``'s ``HEAVY``, so
the benchmark reports on exactly what this test checks."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _heavy() -> tuple[str, ...]:
    spec = importlib.util.spec_from_file_location("startup_bench", ROOT / "benchmarks/startup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tuple(module.HEAVY)


HEAVY = _heavy()

PROBE = """
import json, sys
from gxgen.cli import main
sys.argv = ["gxgen", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
print("\\nLOADED=" + json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def loaded_modules(args: list[str]) -> set[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120, check=False)
    lines = [x for x in done.stdout.splitlines() if x.startswith("LOADED=")]
    assert lines, done.stderr
    line = lines[-1]
    return set(json.loads(line.removeprefix("LOADED=")))


@pytest.mark.parametrize("args", [
    ["--help"],
    ["validate", "examples/demo-district/2022.yaml"],
    ["validate", "--format", "json", "examples/demo-district/2021.yaml"],
    ["batch", "--help"],
    ["rollup", "--help"],
    ["diff", "examples/demo-district/2021.yaml", "examples/demo-district/2022.yaml"],
])
def test_light_commands_import_no_heavy_machinery(args: list[str]) -> None:
    loaded = loaded_modules(args)
    assert "gxgen" in loaded and "click" in loaded
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_render_does_import_them(tmp_path: Path) -> None:
    """The probe can see a heavy import (so the test above can fail)."""
    loaded = loaded_modules(["render", "--format", "md", "--variant", "traditional",
                             "-o", str(tmp_path / "out.md"), "examples/demo-district/2022.yaml"])
    assert "opencc" in loaded
    assert (tmp_path / "out.md").is_file()


def test_the_list_names_every_heavy_dependency() -> None:
    """The writers' and readers' dependencies (issue 13, item 4): a shorter list would let a
    light command import one of them unnoticed."""
    assert set(HEAVY) >= {"docx", "docxtpl", "lxml", "opencc", "pypandoc", "openpyxl",
                          "pdfplumber"}
