"""Start-up time of the light commands, and what lazy imports save.

Runs each command in a fresh interpreter several times and prints the median wall time:
``gxgen --help``, ``gxgen validate`` on one file, and the same validate with the heavy
machinery (docxtpl, python-docx, OpenCC, pypandoc) imported up front, which is what every
command would cost without lazy imports. Also lists any heavy module a light command loaded
(there should be none; ``tests/test_startup.py`` checks the same).

    python benchmarks/startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("docx", "docxtpl", "opencc", "pypandoc", "lxml")
EXAMPLE = "examples/demo-district/2022.yaml"

RUN = """
import json, sys
args = json.loads(sys.argv[1])
for name in json.loads(sys.argv[2]):
    __import__(name)
from gxgen.cli import main
sys.argv = ["gxgen", *args]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nLOADED=" + json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""

CASES = [
    ("gxgen --help", ["--help"], []),
    ("gxgen validate (one file)", ["validate", EXAMPLE], []),
    ("gxgen validate, heavy modules imported up front", ["validate", EXAMPLE],
     ["docxtpl", "docx", "opencc", "pypandoc"]),
    ("python -c pass (interpreter alone)", None, []),
]


def once(args: list[str] | None, preload: list[str]) -> tuple[float, set[str]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    cmd = [sys.executable, "-c", "pass"] if args is None else [
        sys.executable, "-c", RUN, json.dumps(args), json.dumps(preload)]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    marker = done.stderr.rpartition("LOADED=")[2]
    return wall, set(json.loads(marker)) if args is not None and marker else set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print(f"median of {args.runs} runs, load average {os.getloadavg()[0]:.2f}")
    for label, argv, preload in CASES:
        times = []
        loaded: set[str] = set()
        for _ in range(args.runs):
            wall, loaded = once(argv, preload)
            times.append(wall)
        heavy = sorted(loaded & set(HEAVY)) if not preload else []
        note = f"  heavy modules loaded: {', '.join(heavy)}" if heavy else ""
        print(f"{label:52s} {statistics.median(times) * 1000:7.0f} ms{note}")


if __name__ == "__main__":
    main()
