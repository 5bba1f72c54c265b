"""Start-up stays light: ``gxgen --help`` and ``gxgen validate`` import no DOCX, OpenCC or pandoc
machinery (they are imported inside the commands that render). Behaviour, not timing: the
modules loaded are read from ``sys.modules`` in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("docx", "docxtpl", "opencc", "pypandoc", "lxml")

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
