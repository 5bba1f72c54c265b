"""Start-up and one-report times: the light commands, one DOCX render, and pandoc beside them.

Each command runs in a fresh interpreter (``python -m gxgen …``, as the console script does)
several times, the cases interleaved so that a burst of load on the machine hits them alike;
it prints the median and the minimum wall time and CPU time (the process and its children,
from ``getrusage``: much steadier than wall time on a busy machine) of each:

- ``gxgen --help`` and ``gxgen validate`` on one file (last year's file beside it, so the
  cross-year checks run too);
- the same validate with the heavy machinery imported up front, which is what every command
  would cost without lazy imports;
- ``gxgen render X --format docx`` (its output removed before each run);
- pandoc (the binary pypandoc-binary ships) converting gxgen's own ``.md`` of the same report
  to DOCX, written once beforehand: the yardstick for one render;

and the ratios render ÷ pandoc and validate ÷ pandoc (median ÷ median, and min ÷ min). It
also lists any module of ``HEAVY`` that ``--help`` or ``validate`` loaded (there should be
none; ``tests/test_startup.py`` checks the same list).

    python benchmarks/startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("docx", "docxtpl", "lxml", "opencc", "pypandoc", "openpyxl", "pdfplumber")
"""Top-level modules that ``--help`` and ``validate`` must not import: the writers' and the
readers' dependencies. ``tests/test_startup.py`` imports this list."""
PRELOAD = ("docxtpl", "docx", "lxml", "opencc", "pypandoc")
"""What a command without lazy imports would load (the writers' dependencies gxgen has)."""
EXAMPLE = "examples/demo-district/2022.yaml"
VALIDATE = "gxgen validate (one file)"
RENDER = "gxgen render --format docx (one file)"
PANDOC = "pandoc: gxgen's .md → docx (same report)"

PRELOADED = """
import sys
for name in sys.argv[1].split(","):
    __import__(name)
from gxgen.cli import main
sys.argv = ["gxgen", *sys.argv[2:]]
main()
"""

PROBE = """
import json, sys
from gxgen.cli import main
sys.argv = ["gxgen", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nLOADED=" + json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT / "src"))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], remove: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``cmd`` (``remove`` is deleted first, untimed)."""
    if remove is not None:
        remove.unlink(missing_ok=True)
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, check=False)
    wall = time.perf_counter() - start
    cpu = _children_cpu() - cpu
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n"
                         f"{done.stderr.decode(errors='replace')[-2000:]}")
    return wall, cpu


def loaded_heavy(args: list[str]) -> list[str]:
    """The modules of ``HEAVY`` that ``gxgen ARGS`` imported."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, check=False)
    marker = done.stderr.rpartition("LOADED=")[2]
    return sorted(set(json.loads(marker)) & set(HEAVY)) if marker else ["(probe failed)"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    gx = [sys.executable, "-m", "gxgen"]
    with tempfile.TemporaryDirectory(prefix="gxgen-startup-") as tmp:
        md, docx, pdocx = Path(tmp, "2022.md"), Path(tmp, "2022.docx"), Path(tmp, "pandoc.docx")
        subprocess.run([*gx, "render", EXAMPLE, "--format", "md", "-o", str(md)], cwd=ROOT,
                       env=_env(), check=True, capture_output=True)
        cases: list[tuple[str, list[str], Path | None]] = [
            ("gxgen --help", [*gx, "--help"], None),
            (VALIDATE, [*gx, "validate", EXAMPLE], None),
            ("gxgen validate, heavy modules imported up front",
             [sys.executable, "-c", PRELOADED, ",".join(PRELOAD), "validate", EXAMPLE], None),
            (RENDER, [*gx, "render", EXAMPLE, "--format", "docx", "-o", str(docx)], docx),
            (PANDOC, [pandoc, "-f", "markdown", "-t", "docx", "-o", str(pdocx), str(md)], pdocx),
            ("python -c pass (interpreter alone)", [sys.executable, "-c", "pass"], None),
        ]
        times: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in cases}
        load = os.getloadavg()
        for _ in range(max(1, args.runs)):
            for label, cmd, remove in cases:
                times[label].append(timed(cmd, remove))
    loads = [", ".join(f"{x:.2f}" for x in xs) for xs in (load, os.getloadavg())]
    print(f"{args.runs} runs each, interleaved; load average {loads[0]} → {loads[1]}")
    print(f"  {'':50s} {'wall ms median (min)':>21s} {'CPU ms median (min)':>21s}")
    med = {label: [statistics.median(x) for x in zip(*t, strict=True)]
           for label, t in times.items()}
    low = {label: [min(x) for x in zip(*t, strict=True)] for label, t in times.items()}
    for label, _, _ in cases:
        cells = [f"{med[label][i] * 1000:.0f} ({low[label][i] * 1000:.0f})" for i in (0, 1)]
        print(f"  {label:50s} {cells[0]:>21s} {cells[1]:>21s}")
    for name, label in (("render docx", RENDER), ("validate", VALIDATE)):
        cells = [f"{med[label][i] / med[PANDOC][i]:.2f}× ({low[label][i] / low[PANDOC][i]:.2f}×)"
                 for i in (0, 1)]
        print(f"  {name + ' ÷ pandoc':50s} {cells[0]:>21s} {cells[1]:>21s}")
    for argv in (["--help"], ["validate", EXAMPLE]):
        heavy = loaded_heavy(argv)
        print(f"  heavy modules loaded by gxgen {argv[0]}: {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
