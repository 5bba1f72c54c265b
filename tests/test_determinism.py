"""Same input, same bytes — across processes, not just across two calls in one interpreter.

Hash seeds, time zones and locales differ between a developer's laptop, CI and a county
office's server; any of them leaking into a report (set iteration order, a timestamp, a
locale-dependent sort or number format, pandoc's own metadata) shows up here as one file whose
bytes differ between two ``gxgen`` processes started with different environments.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SOURCES = {
    "demo": EXAMPLES / "demo-district" / "2022.yaml",  # 2021 edition
    "edition2019": EXAMPLES / "dinghai-jxj-2020.yaml",  # 2019 edition
    "zhejiang": EXAMPLES / "beilun-zwb-2020.yaml",  # 2019 edition + the Zhejiang extension
}
FORMATS = ("docx", "html", "md", "odt", "txt")
VARIANTS = ("simplified", "traditional", "zh-TW", "zh-HK")
SUFFIXES = {"simplified": "", "traditional": ".zh-Hant", "zh-TW": ".zh-TW", "zh-HK": ".zh-HK"}


def other_locale() -> str:
    """A second locale unlike C.UTF-8: Chinese or US English when installed, else POSIX
    (ASCII: what a bare container or cron job gives)."""
    try:
        listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, timeout=30,
                                check=False).stdout.split()
    except OSError:
        listed = []
    found = {name.lower().replace("-", ""): name for name in listed}
    for wanted in ("zh_cn.utf8", "en_us.utf8"):
        if wanted in found:
            return found[wanted]
    return "POSIX"


def environment(seed: str, tz: str, locale: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LC_", "GXGEN_")) and k not in ("LANG", "LANGUAGE")}
    env.update(PYTHONPATH=str(ROOT / "src"), PYTHONHASHSEED=seed, TZ=tz, LANG=locale,
               LC_ALL=locale)
    return env


ENVIRONMENTS = (environment("0", "UTC", "C.UTF-8"),
                environment("12345", "Asia/Shanghai", other_locale()))


def gxgen_in(env: dict[str, str], cwd: Path, *args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "gxgen", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    try:
        out, err = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    return process.returncode, out + err


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def differing(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    return sorted(name for name in first.keys() | second.keys()
                  if first.get(name) != second.get(name))


def test_render_is_byte_identical_across_processes(tmp_path: Path) -> None:
    """Every format × every variant of three examples (2021 edition, 2019 edition, 2019 with
    the Zhejiang extension), rendered by two processes at once."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name, source in SOURCES.items():
        shutil.copyfile(source, inputs / f"{name}.yaml")
    options = [f"--format={f}" for f in FORMATS] + [f"--variant={v}" for v in VARIANTS]
    runs = []
    for index, env in enumerate(ENVIRONMENTS):
        out = tmp_path / f"out{index}"
        out.mkdir()
        runs.append((out, gxgen_in(env, tmp_path, "render", *sorted(inputs.iterdir()),
                                   *options, "-o", f"{out}{os.sep}")))
    outputs = []
    for out, process in runs:
        code, text = finish(process)
        assert code == 0, text
        outputs.append(files_under(out))
    expected = {f"{name}{SUFFIXES[v]}.{f}" for name in SOURCES for f in FORMATS for v in VARIANTS}
    assert set(outputs[0]) == expected
    assert all(outputs[0].values())
    assert differing(*outputs) == []


def test_batch_is_byte_identical_across_processes(tmp_path: Path) -> None:
    """A small tree through ``gxgen batch`` twice, in the same place (the manifest names the
    facts files as given): reports, index.html, index.md and the manifest all equal."""
    tree = tmp_path / "tree"
    shutil.copytree(EXAMPLES / "demo-district", tree / "demo")
    (tree / "beilun").mkdir()
    shutil.copyfile(SOURCES["zhejiang"], tree / "beilun" / "2020.yaml")
    results = []
    for env in ENVIRONMENTS:
        shutil.rmtree(tmp_path / "dist", ignore_errors=True)
        code, text = finish(gxgen_in(env, tmp_path, "batch", "tree", "-o", "dist",
                                     "--format", "all", "--format", "odt", "--format", "txt",
                                     "--variant", "both", "-j", "2", "--no-progress"))
        assert code == 0, text
        results.append(files_under(tmp_path / "dist"))
    names = set(results[0])
    assert {"index.html", "index.md"} <= names
    assert any("manifest" in name for name in names)
    assert {"demo/2021.odt", "demo/2022.zh-Hant.txt", "beilun/2020.zh-Hant.docx"} <= names
    assert differing(*results) == []
