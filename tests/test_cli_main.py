"""The real entry point, ``python -m gxgen`` → ``gxgen.cli.main()``, as a user's shell runs it.

Exit codes are the contract scripts and CI rely on: 0 clean, 1 findings with errors, 2 a file
that could not be read, and 3 only for a bug — which ``main()`` turns into one line
(``内部错误``) instead of a traceback, while tests (``clirun.gxgen``) see the exception itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from clirun import gxgen
from conftest import facts_2021, write

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-district"

BOOM = """
import sys
import gxgen.check

def boom(*args, **kwargs):
    raise RuntimeError("injected failure")

gxgen.check.check_file = boom
from gxgen.cli import main

sys.argv = ["gxgen", *sys.argv[1:]]
main()
"""
"""Runs ``main()`` with ``check_file`` replaced by one that raises: a stand-in for any bug."""


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GXGEN_")}
    env.update(PYTHONPATH=str(ROOT / "src"), **extra)
    return env


def run(*args: str | Path, program: tuple[str, ...] = ("-m", "gxgen"),
        **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *program, *map(str, args)], capture_output=True,
                          text=True, env=environment(**extra), timeout=30, check=False)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    shutil.copytree(DEMO, tmp_path / "good")
    data = facts_2021()
    data["applications"]["carried_out"] = [1, 0, 0, 0, 0, 2]
    return {
        "good": tmp_path / "good" / "2022.yaml",
        "wrong": write(tmp_path / "wrong" / "2022.yaml", data),
        "missing": tmp_path / "missing" / "2022.yaml",
        "bad_utf8": write(tmp_path / "bytes" / "2022.yaml", b"edition: '2021'\nagency: \xff\xfe\n"),
    }


@pytest.mark.parametrize("command", [["validate"], ["render", "--format", "md"]])
@pytest.mark.parametrize(("which", "code"), [("good", 0), ("wrong", 1), ("missing", 2),
                                             ("bad_utf8", 2)])
def test_exit_codes_through_main(files: dict[str, Path], command: list[str], which: str,
                                 code: int) -> None:
    done = run(*command, files[which])
    output = done.stdout + done.stderr
    assert done.returncode == code, output
    assert "Traceback" not in output and "内部错误" not in output
    if command[0] == "render":
        assert files[which].with_suffix(".md").is_file() == (code == 0)


def test_a_bug_is_exit_3_and_one_line_through_main(files: dict[str, Path]) -> None:
    done = run("validate", files["good"], program=("-c", BOOM))
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("gxgen: 内部错误")
    assert "RuntimeError: injected failure" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_gxgen_debug_shows_the_traceback(files: dict[str, Path]) -> None:
    done = run("validate", files["good"], program=("-c", BOOM), GXGEN_DEBUG="1")
    assert done.returncode != 0
    assert "Traceback" in done.stderr and "内部错误" not in done.stderr


def test_the_test_helper_lets_the_bug_through(files: dict[str, Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """``clirun.gxgen`` must not turn a bug into an exit code the test could mistake for a
    finding (``CliRunner`` alone gives 1, ``main()`` gives 3): the exception reaches pytest."""
    from gxgen import check as checking

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("injected failure")

    monkeypatch.setattr(checking, "check_file", boom)
    with pytest.raises(RuntimeError, match="injected failure"):
        gxgen("validate", str(files["good"]))
