"""``gxgen batch`` never loses published data (issue 8): a failed report keeps its last good
outputs, all outputs of a report are written or none, links under OUT never lead outside,
one run at a time per OUT, special files in the tree are refused unopened, and YAML files
that are not reports are listed as skipped. ``--exclude`` for batch, validate and rollup.

Whatever could hang or kill the process (FIFOs, a worker killing itself, a full disk, a
lock held by another process, a dropped uid) runs in a subprocess with a 30 s timeout.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from clirun import gxgen
from conftest import facts_2021, write

from gxgen import batch, render
from gxgen.manifest import MANIFEST, MANIFEST_FORMAT, file_hash
from gxgen.sources import top_keys

SRC = Path(__file__).resolve().parents[1] / "src"
STALE = "过期（本次校验/生成未通过）"
HTML_ONLY = ("--format", "html", "--variant", "simplified")


def cli(*args: Any, hook: Path | None = None, cwd: Path | None = None,
        **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """``python -m gxgen ARGS`` in a subprocess that must end within 30 s."""
    path = os.pathsep.join(str(p) for p in (hook, SRC) if p)
    env = {**os.environ, "PYTHONPATH": path, "GXGEN_LANG": "zh"}
    return subprocess.run([sys.executable, "-m", "gxgen", *map(str, args)], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=30, **kwargs)


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(f"{render.TEMP_PREFIX}*{render.TEMP_SUFFIX}")]


def manifest(out: Path) -> dict[str, Any]:
    data = json.loads((out / MANIFEST).read_text("utf-8"))
    assert data["format"] == MANIFEST_FORMAT
    return data["reports"]


def typo(path: Path) -> None:
    """A misspelt key: the report now fails validation."""
    text = path.read_text("utf-8")
    path.write_text(text.replace("agency:", "agncy:", 1), "utf-8")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    write(root / "east" / "2022.yaml", facts_2021(agency="东局"))
    write(root / "west" / "2022.yaml", facts_2021(agency="西局"))
    write(root / "north" / "2022.yaml", facts_2021(agency="北局"))
    return root


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v for k, v in attrs if k == "href" and v]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


# --------------------------------------------------------------------------- item 2


def test_failed_report_keeps_its_outputs_manifest_and_index(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert gxgen("batch", tree, "-o", out, "-j", "1").exit_code == 0
    before = files_under(out / "west")
    assert len(before) == 6
    typo(tree / "west" / "2022.yaml")
    result = gxgen("batch", tree, "-o", out, "-j", "1")
    assert result.exit_code == 1
    assert files_under(out / "west") == before, "a failed report keeps its published files"
    assert "失败 1 份（其中 1 份保留上次生成的文件）" in result.stdout
    assert "失败（保留上次）" in result.stdout
    entry = manifest(out)["west/2022.yaml"]
    assert entry["stale"] is True and entry["agency"] == "西局"
    assert sorted(r["path"] for r in entry["outputs"]) == sorted(f"west/{n}" for n in before)
    assert any(f["code"] == "unknown_key" for f in entry["findings"])
    page = _Page()
    page.feed((out / "index.html").read_text("utf-8"))
    west = [h for h in page.hrefs if h.startswith("west/")]
    assert len(west) == 6 and all((out / unquote(h)).is_file() for h in west)
    text = "".join(page.text)
    assert f"{STALE}：第 1 行：文件顶层：缺少必填项 agency" in text, "the stale links say why"
    assert "保留上次生成的文件（标为过期）" in text
    md = (out / "index.md").read_text("utf-8")
    row = next(line for line in md.splitlines() if "west/2022.yaml" in line and "|" in line)
    assert row.count("](<west/") == 6 and f"{STALE}：第 1 行：" in row
    english = gxgen("batch", tree, "-o", out, "-j", "1", "--lang", "en")
    assert "1 failed (1 of them keep their last good outputs)" in english.stdout
    assert "FAILED (last kept)" in english.stdout
    # fixed again: rendered afresh, no longer stale
    write(tree / "west" / "2022.yaml", facts_2021(agency="西局（新）"))
    assert gxgen("batch", tree, "-o", out, "-j", "1").exit_code == 0
    assert manifest(out)["west/2022.yaml"]["stale"] is False
    assert "西局（新）" in (out / "west" / "2022.html").read_text("utf-8")


def test_prune_only_gone_sources_and_formats_no_longer_asked(tree: Path,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "dist"
    fmt = ("--variant", "simplified", "--format", "html", "--format", "md")
    assert gxgen("batch", tree, "-o", out, "-j", "1", *fmt).exit_code == 0
    typo(tree / "west" / "2022.yaml")
    (tree / "north" / "2022.yaml").rename(tree / "north" / "2022-final.yaml")
    result = gxgen("batch", tree, "-o", out, "-j", "1", *HTML_ONLY)
    assert result.exit_code == 1
    assert not (out / "east" / "2022.md").exists(), "a format no longer asked for is pruned"
    assert (out / "east" / "2022.html").is_file()
    assert (out / "west" / "2022.md").is_file() and (out / "west" / "2022.html").is_file(), \
        "a failed report keeps all its last outputs"
    assert not (out / "north" / "2022.html").exists(), "a renamed facts file's outputs go"
    assert (out / "north" / "2022-final.html").is_file()
    assert "删除不再生成的文件 3 个" in result.stdout
    reports = manifest(out)
    assert set(reports) == {"east/2022.yaml", "west/2022.yaml", "north/2022-final.yaml"}
    assert (out / "index.md").read_text("utf-8").count("west/2022.md") == 1


def test_reports_outside_this_runs_paths_are_left_alone(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert gxgen("batch", tree, "-o", out, "-j", "1", *HTML_ONLY).exit_code == 0
    west = (out / "west" / "2022.html").read_bytes()
    (tree / "west" / "2022.yaml").unlink()
    # west is not under these PATHS: its entry and file stay, though its source is gone
    result = gxgen("batch", tree / "east", tree / "north", "-o", out, "-j", "1", *HTML_ONLY)
    assert result.exit_code == 0
    assert (out / "west" / "2022.html").read_bytes() == west
    assert set(manifest(out)) == {"east/2022.yaml", "west/2022.yaml", "north/2022.yaml"}
    assert "west/2022.html" in (out / "index.html").read_text("utf-8")
    assert "west" not in result.stdout, "the summary is about this run's reports"
    # the whole tree again: west's source was under PATHS and is gone, so it is pruned
    assert gxgen("batch", tree, "-o", out, "-j", "1", *HTML_ONLY).exit_code == 0
    assert not (out / "west").exists()
    assert set(manifest(out)) == {"east/2022.yaml", "north/2022.yaml"}


def test_format_1_manifest_is_still_read(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    batch.run([tree], out, ["html"], ["simplified"], workers=1)
    data = json.loads((out / MANIFEST).read_text("utf-8"))
    data["format"] = 1
    for entry in data["reports"].values():
        del entry["origin"], entry["stale"]
    (out / MANIFEST).write_text(json.dumps(data), "utf-8")
    typo(tree / "east" / "2022.yaml")
    result = batch.run([tree], out, ["html"], ["simplified"], workers=1)
    east = next(o for o in result.outcomes if o.rel == "east/2022.yaml")
    assert east.stale and (out / "east" / "2022.html").is_file()


KILLER = """
import os
from gxgen import batch

_render_job = batch.render_job


def render_job(job, key):
    # test hook: the worker rendering killme/ dies as if the OOM killer took it
    if job.rel.startswith("killme/"):
        os.kill(os.getpid(), 9)
    if job.rel.startswith("exitme/"):
        os._exit(3)
    return _render_job(job, key)


batch.render_job = render_job
"""


def test_killed_worker_fails_only_its_report(tree: Path, tmp_path: Path) -> None:
    write(tree / "killme" / "2022.yaml", facts_2021(agency="自毁局"))
    write(tree / "south" / "2022.yaml", facts_2021(agency="南局"))
    out = tmp_path / "dist"
    hook = tmp_path / "hook"
    write(hook / "sitecustomize.py", KILLER)
    write(tree / "exitme" / "2022.yaml", facts_2021(agency="退出局"))
    exits = cli("batch", tree / "exitme", tree / "south", "-o", tmp_path / "o2", "-j", "2",
                *HTML_ONLY, hook=hook)
    assert exits.returncode == 1, exits.stderr
    assert "exitme/2022.yaml  错误  batch  工作进程意外退出（退出码 3）" in exits.stderr
    assert (tmp_path / "o2" / "south" / "2022.html").is_file()
    (tree / "exitme" / "2022.yaml").unlink()
    first = cli("batch", tree, "-o", out, "-j", "2", *HTML_ONLY)
    assert first.returncode == 0, first.stderr
    published = (out / "killme" / "2022.html").read_bytes()
    result = cli("batch", tree, "-o", out, "-j", "2", "--force", *HTML_ONLY, hook=hook)
    assert result.returncode == 1, result.stderr
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr
    assert "killme/2022.yaml  错误  batch  工作进程被终止（信号 9，SIGKILL）" in result.stderr
    assert "共 5 份报告：生成 4 份" in result.stdout and "失败 1 份（其中 1 份" in result.stdout
    reports = manifest(out)
    assert [r for r, e in reports.items() if e["stale"]] == ["killme/2022.yaml"]
    assert all(not e["findings"] for r, e in reports.items() if r != "killme/2022.yaml")
    assert (out / "killme" / "2022.html").read_bytes() == published
    english = cli("batch", tree, "-o", out, "-j", "2", *HTML_ONLY, "--lang", "en", hook=hook)
    assert "worker killed (signal 9, SIGKILL)" in english.stderr
    assert english.returncode == 1


# --------------------------------------------------------------------------- item 3


def _random_text(chars: int) -> str:
    """Text that does not compress, so every format of the report is large."""
    rng = random.Random(8)
    return "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(chars))


def _limit_file_size(limit: int) -> Any:
    def set_limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return set_limit


def test_disk_full_keeps_previous_files_and_goes_on(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert cli("batch", tree, "-o", out, "-j", "2", "--variant", "simplified").returncode == 0
    before = files_under(out / "east")
    big = facts_2021(agency="东局")
    big["overview"] = [dict(big["overview"][0], text=_random_text(80_000)),
                       *big["overview"][1:]]
    write(tree / "east" / "2022.yaml", big)
    write(tree / "south" / "2022.yaml", facts_2021(agency="南局"))
    result = cli("batch", tree, "-o", out, "-j", "2", "--variant", "simplified",
                 preexec_fn=_limit_file_size(100_000))
    assert result.returncode == 1, result.stderr
    assert "east/2022.yaml  错误  batch  写入输出文件失败：File too large" in result.stderr
    assert files_under(out / "east") == before, "all or nothing: the old files stay"
    assert leftovers(out) == []
    assert sorted(files_under(out / "south")) == ["2022.docx", "2022.html", "2022.md"]
    assert manifest(out)["east/2022.yaml"]["stale"] is True


# --------------------------------------------------------------------------- item 4


def test_link_under_out_is_written_through_only_inside_out(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    (out / "east").mkdir(parents=True)
    (out / "shared").mkdir()
    inner = out / "shared" / "east.html"
    inner.write_text("old", "utf-8")
    (out / "east" / "2022.html").symlink_to(inner)
    outside = tmp_path / "outside.html"
    outside.write_text("keep me", "utf-8")
    (out / "west").mkdir()
    (out / "west" / "2022.html").symlink_to(outside)
    result = gxgen("batch", tree, "-o", out, "-j", "1", *HTML_ONLY)
    assert result.exit_code == 1
    assert (out / "east" / "2022.html").is_symlink(), "written through, the link stays"
    assert "东局" in inner.read_text("utf-8")
    assert outside.read_text("utf-8") == "keep me"
    assert (out / "west" / "2022.html").is_symlink()
    assert "west/2022.yaml  错误  batch  输出路径" in result.stderr
    assert "输出目录之外" in result.stderr
    assert "共 3 份报告：生成 2 份" in result.stdout


# --------------------------------------------------------------------------- item 5

HOLDER = """
import sys
from pathlib import Path
from gxgen.batch import locked

with locked(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_second_run_on_the_same_out_refuses_or_waits(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], env=env, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    waiter = None
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert (out / batch.LOCK).read_text() == "", "the lock file is never written"
        refused = cli("batch", tree, "-o", out, *HTML_ONLY)
        assert refused.returncode == 2
        assert f"另一个 gxgen batch（进程 {holder.pid}）正在写入" in refused.stderr
        assert not (out / "east").exists(), "nothing written while another run holds OUT"
        english = cli("batch", tree, "-o", out, *HTML_ONLY, "--lang", "en")
        assert f"another gxgen batch (process {holder.pid})" in english.stderr
        waiter = subprocess.Popen(
            [sys.executable, "-m", "gxgen", "batch", str(tree), "-o", str(out), "--wait",
             *HTML_ONLY], env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(1.5)
        assert waiter.poll() is None, "--wait waits for the holder"
        holder.communicate("", timeout=30)
        stdout, stderr = waiter.communicate(timeout=30)
        assert waiter.returncode == 0, stderr
        assert f"等待进程 {holder.pid} 结束" in stderr
        assert (out / "east" / "2022.html").is_file()
    finally:
        for process in (holder, waiter):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()


def test_leftover_temporary_files_are_removed(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    stray = [out / "east" / f"{render.TEMP_PREFIX}2022.html.x1y2{render.TEMP_SUFFIX}",
             out / f"{render.TEMP_PREFIX}index.html.abc{render.TEMP_SUFFIX}"]
    for path in stray:
        write(path, "half a file")
    mine = out / "notes" / f"{render.TEMP_PREFIX}plan.txt"
    write(mine, "not ours: no temporary suffix")
    elsewhere = tmp_path / f"{render.TEMP_PREFIX}x{render.TEMP_SUFFIX}"
    write(elsewhere, "outside OUT")
    assert gxgen("batch", tree, "-o", out, "-j", "1", *HTML_ONLY).exit_code == 0
    assert leftovers(out) == []
    assert mine.is_file() and elsewhere.is_file()


# --------------------------------------------------------------------------- items 6 and 8


def test_special_files_in_the_tree_are_refused_unopened(tree: Path, tmp_path: Path) -> None:
    os.mkfifo(tree / "pipe.yaml")
    (tree / "zero.yaml").symlink_to("/dev/zero")
    (tree / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    out = tmp_path / "dist"
    result = cli("batch", tree, "-o", out, *HTML_ONLY)
    assert result.returncode == 1, result.stderr
    for name in ("pipe.yaml", "zero.yaml", "dangling.yaml"):
        assert f"{tree / name}  错误  batch  不是普通文件" in result.stderr
    assert "共 6 份报告：生成 3 份" in result.stdout
    assert (out / "east" / "2022.html").is_file()
    checked = cli("validate", tree)
    assert checked.returncode == 2 and "不是普通文件" in checked.stdout
    assert "内部错误" not in checked.stderr
    summed = cli("rollup", tree, "--agency", "某区", "--year", "2022")
    assert summed.returncode == 2 and "不是普通文件" in summed.stderr


EXTENSION = """\
extension: 测试扩展表
title: 测试
"""
MKDOCS = """\
site_name: 年报
nav:
  - 首页: index.md
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
"""


def test_files_that_are_not_reports_are_listed_as_skipped(tree: Path, tmp_path: Path) -> None:
    write(tree / "ext" / "county.yaml", EXTENSION)
    write(tree / "mkdocs.yml", MKDOCS)
    out = tmp_path / "dist"
    result = gxgen("batch", tree, "-o", out, "-j", "1", *HTML_ONLY)
    assert result.exit_code == 0, result.output
    assert f"跳过 {tree / 'ext' / 'county.yaml'}：这是扩展表定义，不是报告" in result.stderr
    assert f"跳过 {tree / 'mkdocs.yml'}：不是事实文件" in result.stderr
    assert "共 3 份报告：生成 3 份" in result.stdout and "跳过非报告文件 2 个" in result.stdout
    page = (out / "index.html").read_text("utf-8")
    assert "未作为报告处理的文件" in page and "ext/county.yaml" in page and "mkdocs.yml" in page
    assert "ext/county.yaml`：扩展表定义" in (out / "index.md").read_text("utf-8")
    assert set(manifest(out)) == {"east/2022.yaml", "west/2022.yaml", "north/2022.yaml"}
    english = gxgen("batch", tree, "-o", out, "--lang", "en", *HTML_ONLY)
    assert "an extension definition, not a report" in english.stderr
    assert "2 file(s) that are not reports skipped" in english.stdout
    checked = gxgen("validate", tree)
    assert checked.exit_code == 0 and "这是扩展表定义" in checked.stderr
    only = tmp_path / "docs"
    write(only / "mkdocs.yml", MKDOCS)
    none = gxgen("batch", only, "-o", tmp_path / "o2")
    assert none.exit_code == 2 and "未找到事实文件" in none.stderr
    assert "跳过" in none.stderr


def test_what_counts_as_a_report() -> None:
    assert top_keys(b"edition: '2021'\nagency: [oops\n") == {"edition", "agency"}
    assert top_keys(b"\xef\xbb\xbf\"year\": 2022\n  nested: 1\n# c: x\n") == {"year"}
    assert top_keys(b"url:http://x\n---\n") == set()


def test_exclude_on_batch_validate_and_rollup(tree: Path, tmp_path: Path) -> None:
    write(tree / "drafts" / "2022.yaml", "edition: '2021'\nagency: [unclosed\n")
    write(tree / "west" / "old.yaml", "edition: '2021'\nagency: [unclosed\n")
    out = tmp_path / "dist"
    assert gxgen("batch", tree, "-o", out, *HTML_ONLY).exit_code == 1
    excluded = gxgen("batch", tree, "-o", tmp_path / "o2", "--exclude", "drafts",
                     "--exclude", "*/old.yaml", *HTML_ONLY)
    assert excluded.exit_code == 0, excluded.output
    assert "共 3 份报告" in excluded.stdout
    assert gxgen("validate", tree).exit_code == 1
    assert gxgen("validate", tree, "--exclude", "drafts", "--exclude", "old.yaml").exit_code == 0
    args = ("rollup", tree, "--agency", "某区", "--year", "2022")
    assert gxgen(*args).exit_code == 2
    summed = gxgen(*args, "--exclude", "./drafts/", "--exclude", f"{tree}/west/old.yaml")
    assert summed.exit_code == 0, summed.output
    assert "统计数字是以下 3 个事实" in summed.stdout


# --------------------------------------------------------------------------- clean errors


def test_out_is_a_file(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    out.write_text("a file", "utf-8")
    result = gxgen("batch", tree, "-o", out)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"输出目录 {out} 已存在且不是目录"
    assert out.read_text("utf-8") == "a file"
    english = gxgen("batch", tree, "-o", out, "--lang", "en")
    assert "exists and is not a folder" in english.stderr


DROP_AND_RUN = """
import os, sys
import concurrent.futures, multiprocessing, fcntl, encodings.utf_8_sig, encodings.gb18030
import gzip, zipfile, json, hashlib, tempfile
import gxgen.batch, gxgen.cli, gxgen.cli_many, gxgen.render, gxgen.check, gxgen.variants
import gxgen.model, gxgen.writers.docx, gxgen.writers.html, gxgen.writers.markdown
os.setgroups([])
os.setgid(65534)
os.setuid(65534)
sys.argv = ["gxgen", *sys.argv[1:]]
gxgen.cli.main()
"""


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="dropping to another uid needs root")
def test_read_only_out_is_a_clean_error() -> None:
    """Root writes anywhere, so gxgen runs as ``nobody`` (uid 65534): the interpreter's own
    files may not be readable by that user, hence the privileges are dropped inside it."""
    base = Path(tempfile.mkdtemp(prefix="gxgen-ro-"))
    try:
        base.chmod(0o755)
        write(base / "in" / "a" / "2022.yaml", facts_2021())
        for path in [base / "in", base / "in" / "a"]:
            path.chmod(0o755)
        (base / "in" / "a" / "2022.yaml").chmod(0o644)
        out = base / "out"
        out.mkdir(mode=0o555)
        out.chmod(0o555)
        env = {**os.environ, "PYTHONPATH": str(SRC), "GXGEN_LANG": "zh"}
        for target in (out, out / "sub"):
            result = subprocess.run(
                [sys.executable, "-c", DROP_AND_RUN, "batch", str(base / "in"), "-o",
                 str(target)], env=env, capture_output=True, text=True, timeout=30, cwd=base)
            assert result.returncode == 2, result.stderr
            assert result.stderr.strip().splitlines() == [
                f"无法使用输出目录 {target}：Permission denied"]
            assert list(out.iterdir()) == []
    finally:
        subprocess.run(["rm", "-rf", str(base)], check=False, timeout=30)


def test_template_that_fails_any_way_is_one_line(tree: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from gxgen.writers import docx

    template = tmp_path / "t.docx"
    template.write_bytes(docx.default_template().read_bytes())

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise ValueError("Entity 'x' not defined, line 2")

    monkeypatch.setattr(docx, "_prepare", broken)
    result = gxgen("batch", tree, "-o", tmp_path / "dist", "--template", template)
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"模板 {template} 无法使用："
                                     "ValueError: Entity 'x' not defined, line 2")
    assert not (tmp_path / "dist").exists()


def test_template_that_is_a_fifo_does_not_hang(tree: Path, tmp_path: Path) -> None:
    template = tmp_path / "t.docx"
    os.mkfifo(template)
    result = cli("batch", tree, "-o", tmp_path / "dist", "--template", template)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(template) in lines[0] and "不是普通文件" in lines[0]


def test_manifest_records_origin_and_hashes_bounded(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    batch.run([tree], out, ["html"], ["simplified"], workers=1)
    entry = manifest(out)["east/2022.yaml"]
    assert entry["origin"] == str(tree / "east" / "2022.yaml")
    assert entry["stale"] is False
    data = (tree / "east" / "2022.yaml").read_bytes()
    assert file_hash(tree / "east" / "2022.yaml") == hashlib.sha256(data).hexdigest()
    os.mkfifo(tmp_path / "2021.yaml")
    assert file_hash(tmp_path / "2021.yaml") == "not_regular"
