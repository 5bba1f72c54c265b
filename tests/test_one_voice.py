"""One voice: every sentence from the catalogue, in zh and en, click's own ones included."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from clirun import gxgen
from conftest import facts_2021, write

from gxgen import batch
from gxgen.findings import Finding
from gxgen.messages import CATALOG, closest, did_you_mean, listed, nested, render
from gxgen.schema_faults import fault, validator

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GXGEN_")}
    env["PYTHONPATH"] = str(ROOT / "src")
    if lang:
        env["GXGEN_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "gxgen", *args], env=env, text=True,
                          capture_output=True, timeout=30, check=False)


def test_no_parameter_is_a_sentence_said_in_one_language() -> None:
    for code, (zh, en) in CATALOG.items():
        assert not re.search(r"\{\w+_en\}", zh + en), code
        assert set(re.findall(r"\{(\w+)", en)) <= set(re.findall(r"\{(\w+)", zh)) | {
            "detail", "name", "number_type", "possibilities", "choices", "first"}, code


def test_click_speaks_chinese_by_default() -> None:
    done = run("validate")
    assert done.returncode == 2
    assert "用法: " in done.stderr and "错误：缺少参数" in done.stderr
    assert "Usage" not in done.stderr and "Error" not in done.stderr
    assert "查看帮助" in done.stderr


def test_click_speaks_english_with_gxgen_lang_or_lang() -> None:
    for done in (run("validate", lang="en"), run("validate", "--lang", "en")):
        assert done.returncode == 2
        assert "Usage: " in done.stderr and "Error: Missing argument" in done.stderr
        assert "Try '" in done.stderr and "用法" not in done.stderr


def test_click_is_a_directory(tmp_path: Path) -> None:
    done = run("diff", str(tmp_path), str(tmp_path))
    assert done.returncode == 2 and "是目录" in done.stderr and "is a directory" not in done.stderr
    english = run("diff", str(tmp_path), str(tmp_path), lang="en")
    assert "is a directory" in english.stderr


def test_usage_errors_follow_lang() -> None:
    zh, en = run("diff", "a.yaml"), run("diff", "a.yaml", "--lang", "en")
    assert zh.returncode == en.returncode == 2
    assert "错误：需要两个文件，或一个文件加 --rev" in zh.stderr and "two files" not in zh.stderr
    assert "Error: two files, or one with --rev" in en.stderr and "需要" not in en.stderr


def test_bad_edition_in_english(tmp_path: Path) -> None:
    path = write(tmp_path / "a.yaml", facts_2021() | {"edition": "2030"})
    english = gxgen("validate", "--lang", "en", str(path))
    assert english.exit_code == 1
    assert 'edition must be one of "2021", "2019", got “2030”' in english.stdout
    chinese = gxgen("validate", str(path))
    assert '报告格式 edition 应为 "2021"、"2019" 之一，实际为 “2030”' in chinese.stdout


def test_nested_messages_survive_json() -> None:
    """The batch manifest keeps findings as JSON between runs: a nested part must come back
    and still be said in either language."""
    finding = Finding("schema", "error", "bad_value_hint",
                      {"where": "甲", "expected": nested("expect_or_na",
                                                         expected=nested("expect_count")),
                       "actual": "“１２”", "hint": nested("hint_fullwidth_digits", ascii="12")},
                      "a.yaml", 3, 4)
    again = Finding(**json.loads(json.dumps(batch.finding_dict(finding))))
    assert again.message("en") == finding.message("en") == (
        "甲: expected a whole number ≥ 0 or na, got “１２” (those are full-width digits; "
        "type 12)")
    assert again.message() == finding.message()


def test_listed_joins_by_language() -> None:
    params = {"where": "x", "problem": nested("ext_new_section", section="s",
                                                 keys=listed(["a", "b"]),
                                                 missing=listed(["title"]))}
    assert render("ext_definition", "zh", params).endswith("（已有：a、b）；新设一节须写 title")
    assert render("ext_definition", "en", params).endswith("(a, b); a new section needs title")


def test_one_did_you_mean() -> None:
    assert closest("agncy", ["agency", "year"]) == "agency"
    assert closest("zzz", ["agency"]) is None
    hint = did_you_mean("zzz", ["a", "b"])
    assert render("ext_no_row", "en", {"ref": "zzz", "hint": hint}) \
        == "no row zzz (available: a, b)"
    assert render("ext_no_row", "zh", {"ref": "r", "hint": did_you_mean("agncy", ["agency"])}) \
        == "没有行 r（是否应为 agency？）"


def test_schema_faults_read_structured_fields() -> None:
    """A key with a quote in it: the English message cannot be split on quotes."""
    check = validator({"type": "object", "required": ["it's", "b"],
                       "properties": {"b": {}}, "additionalProperties": False})
    faults = [fault(e) for e in check.iter_errors({"x'y": 1})]
    assert [(f.kind, f.keys) for f in faults] == [
        ("required", ("it's",)), ("required", ("b",)), ("additionalProperties", ("x'y",))]
