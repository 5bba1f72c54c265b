"""The commands that write facts (`init -o`, `rollup -o`) never replace a file unless asked.

An existing file is refused without `--force`; `rollup --update` replaces only the figures of
an aggregate someone has written in; a roll-up never writes over one of the files it sums; a
FIFO or device is never written through (and never waited on); writes are atomic (a full disk
leaves the old file as it was). Every refusal is one catalogue line, exit 2, in zh and en.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from clirun import gxgen
from conftest import facts_2021, write

from gxgen.check import check_file
from gxgen.messages import render as message
from gxgen.rollup import rollup

TIMEOUT = 30


def line(code: str, lang: str, **params: object) -> str:
    return message(code, lang, params)


def run_process(*args: str, cwd: Path | None = None,
                preexec: object = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "gxgen", *args], cwd=cwd, capture_output=True,
                          timeout=TIMEOUT, preexec_fn=preexec)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- init


def test_init_writes_the_file_and_nothing_on_stdout(tmp_path: Path) -> None:
    target = tmp_path / "2022.yaml"
    result = gxgen("init", "--agency", "某区市场监督管理局", "--year", "2022", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == [line("init_written", "zh", path=target)]
    checked = check_file(target)
    assert checked.facts is not None and checked.facts.agency == "某区市场监督管理局"
    assert target.read_text("utf-8") == gxgen("init", "--agency", "某区市场监督管理局",
                                               "--year", "2022").stdout


def assert_only_narrative_to_write(path: Path) -> None:
    """A fresh roll-up: its figures pass every rule; only the 【待填写】 narrative is an error
    until written (issue 9)."""
    result = check_file(path)
    assert result.facts is not None, [f.format() for f in result.findings]
    assert {f.rule for f in result.findings if f.severity == "error"} == {"C-EMPTY"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_init_refuses_an_existing_file_unless_force(tmp_path: Path, lang: str) -> None:
    target = tmp_path / "2022.yaml"
    target.write_text("# my facts\n", "utf-8")
    result = gxgen("init", "--agency", "某局", "--year", "2022", "-o", str(target),
                   "--lang", lang)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [line("output_exists", lang, path=target)]
    assert target.read_text("utf-8") == "# my facts\n"
    forced = gxgen("init", "--agency", "某局", "--year", "2022", "-o", str(target), "--force")
    assert forced.exit_code == 0
    assert "edition:" in target.read_text("utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_init_never_writes_through_a_fifo(tmp_path: Path, lang: str) -> None:
    fifo = tmp_path / "2022.yaml"
    os.mkfifo(fifo)
    for extra in ([], ["--force"]):
        result = run_process("init", "--agency", "某局", "--year", "2022", "-o", str(fifo),
                             "--lang", lang, *extra)
        code = "output_not_regular" if extra else "output_exists"
        assert result.returncode == 2
        assert result.stderr.decode().splitlines() == [line(code, lang, path=fifo)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2022.yaml"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_init_force_does_not_follow_a_link_out_of_its_folder(tmp_path: Path, lang: str) -> None:
    (tmp_path / "other").mkdir()
    victim = tmp_path / "other" / "facts.yaml"
    victim.write_text("keep\n", "utf-8")
    (tmp_path / "here").mkdir()
    link = tmp_path / "here" / "2022.yaml"
    os.symlink(victim, link)
    result = gxgen("init", "--agency", "某局", "--year", "2022", "-o", str(link), "--force",
                   "--lang", lang)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        line("output_link_outside", lang, path=link, target=victim)]
    assert victim.read_text("utf-8") == "keep\n" and link.is_symlink()


def fill_disk_at(size: int) -> object:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return limit


def test_init_force_on_a_full_disk_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "2022.yaml"
    target.write_text("# my facts\n", "utf-8")
    result = run_process("init", "--agency", "某局", "--year", "2022", "-o", str(target),
                         "--force", preexec=fill_disk_at(4000))
    assert result.returncode == 2, result.stderr.decode()
    assert result.stderr.decode().splitlines() == [line("output_disk_full", "zh", path=target)]
    assert target.read_text("utf-8") == "# my facts\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2022.yaml"], "no temporary file"


# --------------------------------------------------------------------------- rollup


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    write(root / "甲局" / "2022.yaml", facts_2021(agency="某区甲局"))
    write(root / "乙局" / "2022.yaml", facts_2021(agency="某区乙局"))
    return root


def sum_args(root: Path, out: Path, *extra: str) -> list[str]:
    return ["rollup", str(root / "甲局" / "2022.yaml"), str(root / "乙局" / "2022.yaml"),
            "--agency", "某区", "--year", "2022", "-o", str(out), *extra]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("extra", [[], ["--force"], ["--update"]])
def test_rollup_never_writes_over_one_of_its_inputs(tree: Path, extra: list[str],
                                                    lang: str) -> None:
    target = tree / "甲局" / "2022.yaml"
    before = target.read_bytes()
    result = gxgen(*sum_args(tree, target, *extra, "--lang", lang))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [line("rollup_output_is_input", lang, path=target)]
    assert target.read_bytes() == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rollup_refuses_an_existing_output_unless_force(tree: Path, tmp_path: Path,
                                                        lang: str) -> None:
    out = tmp_path / "某区" / "2022.yaml"
    write(out, "# written by hand\n")
    result = gxgen(*sum_args(tree, out, "--lang", lang))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [line("rollup_exists", lang, path=out)]
    assert out.read_text("utf-8") == "# written by hand\n"
    forced = gxgen(*sum_args(tree, out, "--force"))
    assert forced.exit_code == 0, forced.output
    assert_only_narrative_to_write(out)


def test_rollup_update_without_output_is_a_usage_error(tree: Path) -> None:
    result = gxgen("rollup", str(tree), "--agency", "某区", "--year", "2022", "--update")
    assert result.exit_code == 2 and "--update" in result.output


def test_rollup_update_of_a_missing_file_writes_it(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "sum.yaml"
    result = gxgen(*sum_args(tree, out, "--update"))
    assert result.exit_code == 0, result.output
    assert_only_narrative_to_write(out)


def written_in(text: str) -> str:
    """What an author does to a fresh aggregate: write the narrative, set the date, add a
    note of their own, and lay a table out their own way (rows indented four spaces)."""
    text = text.replace('text: ""', 'text: "全区情况良好。"')
    text = re.sub(r"(?m)^(problems: \|.*\n)  \n",
                  r"\1  部分单位解读形式单一，下一步加强指导。\n", text)
    text = text.replace("# date: 2023-03-20", "date: 2023-03-25")
    section = "# 二、主动公开政府信息情况"
    text = text.replace(section, f"{section}\n# 注：数字经区政务办核对")
    return re.sub(r"(?m)^  (review|litigation|litigation_after_review):", r"    \1:", text)


def test_rollup_update_replaces_figures_and_keeps_the_narrative(tree: Path,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "某区" / "2022.yaml"
    assert gxgen(*sum_args(tree, out)).exit_code == 0
    write(out, written_in(out.read_text("utf-8")))
    hand = out.read_text("utf-8")
    changed = facts_2021(agency="某区乙局")
    changed["proactive"]["licensing"] = 500
    write(tree / "乙局" / "2022.yaml", changed)
    write(tree / "丙局" / "2022.yaml", facts_2021(agency="某区丙局"))
    args = ["rollup", str(tree), "--agency", "某区", "--year", "2022", "-o", str(out)]
    assert gxgen(*args).exit_code == 2, "an existing aggregate needs --update"
    result = gxgen(*args, "--update")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [line("rollup_updated", "zh", n=3, path=out)]
    text = out.read_text("utf-8")
    checked = check_file(out)
    assert checked.ok, [f.format() for f in checked.findings]
    expected = rollup([tree], "某区", 2022)
    assert checked.facts is not None and checked.facts.values == expected.values
    assert checked.facts.values["proactive.licensing"] == 120 + 500 + 120
    for kept in ('text: "全区情况良好。"', "date: 2023-03-25", "# 注：数字经区政务办核对"):
        assert text.count(kept) == hand.count(kept) > 0, kept
    assert "某区丙局" in text, "the list of files summed is brought up to date"
    assert "【待填写】" not in checked.facts.data.get("overview")[0]["text"]


def test_rollup_update_adds_and_drops_records(tree: Path, tmp_path: Path) -> None:
    """信息处理费 stated by nobody is left out; once an input states it, it is added."""
    out = tmp_path / "sum.yaml"
    bare = [facts_2021(agency=a) for a in ("某区甲局", "某区乙局")]
    for data, folder in zip(bare, ("甲局", "乙局"), strict=True):
        data["other_matters"] = {"text": "本年度未收取信息处理费。"}
        write(tree / folder / "2022.yaml", data)
    assert gxgen(*sum_args(tree, out)).exit_code == 0
    assert "processing_fees" not in out.read_text("utf-8")
    write(out, written_in(out.read_text("utf-8")))
    write(tree / "甲局" / "2022.yaml", facts_2021(agency="某区甲局"))
    assert gxgen(*sum_args(tree, out, "--update")).exit_code == 0
    checked = check_file(out)
    assert checked.facts is not None
    assert checked.facts.values == rollup([tree], "某区", 2022).values
    assert "processing_fees" in out.read_text("utf-8")
    assert 'text: "全区情况良好。"' in out.read_text("utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rollup_update_refuses_a_file_it_cannot_merge(tree: Path, tmp_path: Path,
                                                      lang: str) -> None:
    out = tmp_path / "sum.yaml"
    for text in ("edition: '2019'\nagency: 某区\nyear: 2022\n", "agency: [\n", "\xff"):
        write(out, text)
        before = out.read_bytes()
        result = gxgen(*sum_args(tree, out, "--update", "--lang", lang))
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [line("rollup_update_failed", lang, path=out)]
        assert out.read_bytes() == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rollup_never_writes_through_a_fifo(tree: Path, tmp_path: Path, lang: str) -> None:
    fifo = tmp_path / "sum.yaml"
    os.mkfifo(fifo)
    for extra, code in (([], "rollup_exists"), (["--force"], "output_not_regular"),
                        (["--update"], "output_not_regular")):
        result = run_process(*sum_args(tree, fifo, *extra, "--lang", lang))
        assert result.returncode == 2
        assert result.stderr.decode().splitlines() == [line(code, lang, path=fifo)]


def test_readme_tour_uses_o_and_update() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    assert "gxgen init --agency 某区市场监督管理局 --year 2022 -o 2022.yaml" in readme
    assert "> 2022.yaml" not in readme
    assert re.search(r"gxgen rollup .* -o 某区/2022\.yaml --update", readme)
