"""``gxgen diff``: statutory cells that changed, old → new (change), in Chinese or English."""

from __future__ import annotations

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from clirun import gxgen
from conftest import facts_2021, write


def invoke(*args: str) -> tuple[int, list[str]]:
    result = gxgen("diff", *args)
    return result.exit_code, result.output.splitlines()


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old = write(tmp_path / "old.yaml", facts_2021())
    data = facts_2021()
    data["applications"] = dict(data["applications"], new=[18, 2, 0, 1, 0, 1],
                                granted=[13, 1, 0, 0, 0, 0])
    data["proactive"] = dict(data["proactive"], fees=Decimal("0.5"),
                             regulations={"issued": 2, "repealed": 0, "in_force": 2})
    data["problems"] = data["problems"] + "\n\n三是新增一段。"
    new = write(tmp_path / "new.yaml", data)
    return old, new


def test_known_change_lists_every_changed_cell(pair: tuple[Path, Path]) -> None:
    code, lines = invoke(str(pair[0]), str(pair[1]))
    assert code == 0
    table = "三、收到和处理政府信息公开申请情况"
    expected = [
        "二、主动公开政府信息情况 规章·本年制发件数：/ → 2",
        "二、主动公开政府信息情况 规章·现行有效件数：/ → 2",
        "二、主动公开政府信息情况 行政事业性收费·本年收费金额（单位：万元）：0.25 → 0.5（+0.25）",
        f"{table} 本年新收·自然人：10 → 18（+8）",
        f"{table} 本年新收·总计：14 → 22（+8）",
        f"{table} （一）予以公开·自然人：5 → 13（+8）",
        f"{table} （一）予以公开·总计：6 → 14（+8）",
        f"{table} 办理结果总计·自然人：10 → 18（+8）",
        f"{table} 办理结果总计·总计：14 → 22（+8）",
    ]
    for line in expected:
        assert line in lines, line
    assert lines[0].endswith("：10 项统计数字、1 处叙述有变化"), lines[0]
    assert "五、存在的主要问题及改进情况：叙述有改动（1 段 → 2 段，" in lines[-1]
    assert len(lines) == 12


def test_english(pair: tuple[Path, Path]) -> None:
    code, lines = invoke(str(pair[0]), str(pair[1]), "--lang", "en")
    assert code == 0
    assert "三、收到和处理政府信息公开申请情况 本年新收·自然人: 10 → 18 (+8)" in lines
    assert lines[0].endswith("10 figure(s) and 1 narrative(s) changed")


def test_decrease_and_nested_rows_are_named_with_their_group(tmp_path: Path) -> None:
    old = write(tmp_path / "a.yaml", facts_2021())
    data = facts_2021()
    data["applications"] = dict(data["applications"], carried_out=[2, 0, 0, 0, 0, 0],
                                not_processed={"repeated": [0, 0, 0, 0, 0, 1]})
    new = write(tmp_path / "b.yaml", data)
    _, lines = invoke(str(old), str(new))
    assert ("三、收到和处理政府信息公开申请情况 （五）不予处理·2.重复申请·自然人：1 → 0（-1）"
            in lines)


def test_same_figures_in_another_form_are_no_change(tmp_path: Path) -> None:
    old = write(tmp_path / "a.yaml", facts_2021())
    data = facts_2021()
    data["applications"] = dict(data["applications"], new={
        "natural": 10, "business": 2, "research": 0, "nonprofit": 1, "legal_service": 0,
        "other": 1, "total": 14})
    data["reviews"] = dict(data["reviews"], review=[1, 1, 0, 1])
    new = write(tmp_path / "b.yaml", data)
    code, lines = invoke(str(old), str(new))
    assert code == 0 and lines[-1] == "没有变化"


def test_unreadable_side_exits_2(tmp_path: Path) -> None:
    good = write(tmp_path / "a.yaml", facts_2021())
    bad = write(tmp_path / "b.yaml", "edition: '2021'\nagency: [\n")
    code, lines = invoke(str(good), str(bad))
    assert code == 2
    assert "不是有效的事实文件" in lines[0]
    code, _ = invoke(str(good), str(tmp_path / "missing.yaml"))
    assert code == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_against_a_committed_version(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    facts = write(repo / "reports" / "区测试局" / "2022.yaml", facts_2021())
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "first")
    data = facts_2021()
    data["proactive"] = dict(data["proactive"], licensing=150)
    write(facts, data)
    code, lines = invoke(str(facts), "--rev", "HEAD")
    assert code == 0
    assert "二、主动公开政府信息情况 行政许可·本年处理决定数量：120 → 150（+30）" in lines
    assert lines[0].startswith(f"HEAD:{facts}（2022年）→ {facts}（2022年）")
    code, lines = invoke(str(facts), "--rev", "no-such-rev")
    assert code == 2 and "无法从 git 取出" in lines[0]


def test_usage(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", facts_2021())
    assert invoke(str(a))[0] == 2
    assert invoke(str(a), str(a), "--rev", "HEAD")[0] == 2
