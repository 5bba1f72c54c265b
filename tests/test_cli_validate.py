"""``gxgen validate``: one line per finding, stable JSON, exit codes, never a traceback.

Text output, one line each on stdout::

    file:line:col  错误|警告  RULE-ID  message     (error|warning with --lang en)

and a summary on stderr. ``--format json`` prints one document (the contract below) and
nothing else. Exit 0: no errors (warnings allowed); 1: errors; 2: a file could not be read,
or the command line is wrong.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from clirun import gxgen
from conftest import dump, facts_2021, where, write

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^(?P<file>.+?)(:(?P<line>\d+)(:(?P<col>\d+))?)?  "
                  r"(?P<severity>错误|警告|提示|error|warning|note)  (?P<rule>[A-Za-z0-9-]+)  "
                  r"(?P<message>.+)$")

JSON_DOCUMENT = {"version", "errors", "warnings", "findings"}
JSON_FINDING = {"file", "line", "column", "rule", "severity", "path", "code", "message",
                "location"}
"""The ``--format json`` contract: these keys exactly, at ``version`` 2."""


def validate(*args: str, env: dict[str, str] | None = None) -> Result:
    return gxgen("validate", *args, env=env)


def lines(result: Result) -> list[dict[str, str]]:
    out = []
    for text in result.stdout.splitlines():
        match = LINE.match(text)
        assert match, text
        out.append(match.groupdict())
    return out


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    return write(tmp_path / "2022.yaml", facts_2021())


def broken(tmp_path: Path) -> tuple[Path, str]:
    data = facts_2021()
    data["applications"]["carried_out"] = [1, 0, 0, 0, 0, 2]
    path = write(tmp_path / "2022.yaml", data)
    return path, path.read_text(encoding="utf-8")


def test_clean_file_exit_0(clean: Path) -> None:
    result = validate(str(clean))
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.strip() == "已检查 1 个文件：错误 0 条，警告 0 条"


def test_warnings_only_exit_0(tmp_path: Path) -> None:
    path = write(tmp_path / "2022.yaml", facts_2021(problems="无"))
    result = validate(str(path))
    assert result.exit_code == 0
    [line] = lines(result)
    assert (line["rule"], line["file"]) == ("C-EMPTY", str(path))
    assert "警告 1 条" in result.stderr


def test_errors_exit_1_one_line_each(tmp_path: Path) -> None:
    path, text = broken(tmp_path)
    result = validate(str(path))
    assert result.exit_code == 1
    found = lines(result)
    assert [f["rule"] for f in found] == ["T2-BAL", "T2-BAL"]
    row, col = where(text, "new: [10")
    total, other = found
    assert (int(total["line"]), int(total["col"])) == (row, col)          # 总计 column: the row
    assert (int(other["line"]), int(other["col"])) == (row, col + 22)     # 其他 column: the cell
    assert other["message"] == ("三、收到和处理政府信息公开申请情况 其他列："
                                "本年新收(1)+上年结转(0)=1 ≠ "
                                "办理结果总计(1)+结转下年度(2)=3，差 2")
    assert "错误 2 条" in result.stderr


def test_english(tmp_path: Path) -> None:
    path, _ = broken(tmp_path)
    result = validate("--lang", "en", str(path))
    assert [f["message"] for f in lines(result)][1] == (
        "三、收到和处理政府信息公开申请情况 其他列: 本年新收(1)+上年结转(0)=1 ≠ "
        "办理结果总计(1)+结转下年度(2)=3, difference 2")
    assert result.stderr.strip() == "checked 1 file(s): 2 error(s), 0 warning(s)"
    via_env = validate(str(path), env={"GXGEN_LANG": "en"})
    assert via_env.stdout == result.stdout


def test_json_contract(tmp_path: Path) -> None:
    path, text = broken(tmp_path)
    write(tmp_path / "w" / "2022.yaml", facts_2021(problems="无"))
    result = validate("--format", "json", str(path), str(tmp_path / "w" / "2022.yaml"))
    assert result.exit_code == 1 and result.stderr == ""
    doc = json.loads(result.stdout)
    assert set(doc) == JSON_DOCUMENT
    assert (doc["version"], doc["errors"], doc["warnings"]) == (2, 2, 1)
    for f in doc["findings"]:
        assert set(f) == JSON_FINDING
        assert f["severity"] in ("error", "warning", "info")
        assert isinstance(f["line"], int) and isinstance(f["column"], int)
    first = doc["findings"][1]
    row, col = where(text, "new: [10")
    assert first == {
        "file": str(path), "line": row, "column": col + 22, "rule": "T2-BAL",
        "severity": "error", "path": "applications.new.other", "code": "balance",
        "message": "三、收到和处理政府信息公开申请情况 其他列：本年新收(1)+上年结转(0)=1 ≠ "
                   "办理结果总计(1)+结转下年度(2)=3，差 2",
        "location": {"kind": "facts", "file": str(path), "line": row, "column": col + 22},
    }
    assert doc["findings"][2]["rule"] == "C-EMPTY"
    english = json.loads(validate("--format", "json", "--lang", "en", str(path)).stdout)
    assert english["findings"][1]["message"].endswith("difference 2")


def test_json_for_an_unreadable_file(tmp_path: Path) -> None:
    result = validate("--format", "json", str(tmp_path / "none.yaml"))
    assert result.exit_code == 2
    [f] = json.loads(result.stdout)["findings"]
    assert (f["rule"], f["code"], f["line"], f["column"], f["path"]) == (
        "yaml", "not_found", None, None, None)


@pytest.mark.parametrize(("content", "code"), [
    (None, "not_found"),
    ("dir", "is_directory"),
    (b"\x00\x01\x02\x03", "not_text"),
    (b"a: " + b"x" * (3 * 1024 * 1024), "too_large"),
    (b"a: \xff\xff\xff\n", "bad_encoding"),
    (dump(facts_2021()).encode() + "problems: 问题".encode("gbk"), "bad_utf8"),
])
def test_unreadable_exit_2(tmp_path: Path, content: Any, code: str) -> None:
    path = tmp_path / "2022.yaml"
    if content == "dir":
        path.mkdir()
    elif content is not None:
        write(path, content)
    result = validate(str(path))
    assert result.exit_code == 2
    [line] = lines(result)
    assert line["rule"] == "yaml"
    assert json.loads(validate("--format", "json", str(path)).stdout)["findings"][0]["code"] \
        == code


def test_unreadable_wins_over_errors(tmp_path: Path, clean: Path) -> None:
    path, _ = broken(tmp_path)
    assert validate(str(path), str(tmp_path / "none.yaml")).exit_code == 2


@pytest.mark.parametrize("content", [b"", b"- a\n", b"a: [\n", b"edition: 2030\n"])
def test_readable_but_wrong_exit_1(tmp_path: Path, content: bytes) -> None:
    assert validate(str(write(tmp_path / "x.yaml", content))).exit_code == 1


@pytest.mark.parametrize("args", [
    [],
    ["--format", "xml", "x.yaml"],
    ["--lang", "fr", "x.yaml"],
    ["--previous", "nowhere.yaml", "x.yaml"],
    ["--bogus", "x.yaml"],
])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert validate(*args).exit_code == 2


def test_previous_takes_one_file(tmp_path: Path, clean: Path) -> None:
    other = write(tmp_path / "b" / "2022.yaml", facts_2021())
    result = validate("--previous", str(clean), str(clean), str(other))
    assert result.exit_code == 2 and "--previous" in result.stderr


def test_previous_option(tmp_path: Path, clean: Path) -> None:
    prev = facts_2021(year=2021, date="2022-01-20")
    prev["proactive"]["normative_documents"] = {"issued": 0, "repealed": 0, "in_force": 8}
    prev["applications"]["carried_out"] = [1, 0, 0, 0, 0, 1]
    prev["applications"]["new"] = [10, 2, 0, 1, 0, 2]
    result = validate("--previous", str(write(tmp_path / "old.yaml", prev)), str(clean))
    assert result.exit_code == 1
    assert [f["rule"] for f in lines(result)] == ["X-CARRY"]
    assert "applications" not in result.stdout


def test_every_finding_of_a_messy_file_is_one_parsable_line(tmp_path: Path) -> None:
    data = facts_2021(problems="无", date="2023-03-01", agency_typ="department")
    path = write(tmp_path / "2022.yaml", data)
    result = validate(str(path))
    assert result.exit_code == 1
    assert [(f["severity"], f["rule"]) for f in lines(result)] == [
        ("警告", "D-LATE"), ("警告", "C-EMPTY"), ("错误", "schema")]


BAD_INPUTS: dict[str, bytes] = {
    "binary.yaml": bytes(range(256)) * 8,
    "empty.yaml": b"",
    "blank.yaml": b" \n\n\t \n",
    "list.yaml": b"- 1\n- 2\n",
    "scalar.yaml": b"just text\n",
    "big.yaml": b"a: " + b"x" * (10 * 1024 * 1024),
    "deep.yaml": b"[" * 10_000 + b"]" * 10_000,
    "bomb.yaml": b'a: &a ["x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b]\n',
    "tabs.yaml": b"edition: '2021'\n\tagency: x\n",
    "bom.yaml": b"\xef\xbb\xbfedition: '2021'\nagency: x\n",
    "gb.yaml": "edition: '2021'\nagency: 某局\nyear: 2022\n".encode("gb18030"),
    "utf16.yaml": "edition: '2021'\nagency: 某局\n".encode("utf-16"),
    "edition-int.yaml": b"edition: 2021\n",
    "edition-bad.yaml": b"edition: 2030\n",
    "types.yaml": b"edition: '2021'\nagency: 1\nyear: yes\noverview: null\nproblems: 0\n"
                  b"proactive: {licensing: 1.5, fees: -1, regulations: '/'}\n"
                  b"applications: {new: [yes, null, '', ' ', na, 1.0]}\nreviews: [1, 2]\n",
    "date.yaml": b"edition: '2021'\ndate: 2023-02-30\n",
    "keys.yaml": b"{? [a]: 1}\n",
    "tags.yaml": b"a: !!python/object/apply:os.system ['echo hi']\n",
    "control.yaml": b"a: \x07\n",
    "many.yaml": b"a: [" + b"0," * 50_000 + b"0]\n",
}


def test_no_traceback_for_any_input(tmp_path: Path) -> None:
    """Through the real entry point (``python -m gxgen``), all at once."""
    names = []
    for name, content in BAD_INPUTS.items():
        write(tmp_path / name, content)
        names.append(name)
    (tmp_path / "folder.yaml").mkdir()
    names += ["folder.yaml", "missing.yaml"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("GXGEN_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "gxgen", "validate", *names], cwd=tmp_path,
                          capture_output=True, text=True, env=env, timeout=60)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "内部错误" not in proc.stderr
    assert proc.returncode == 2
    seen = {LINE.match(line)["file"] for line in proc.stdout.splitlines()}
    assert seen == set(names)
    assert "已检查 22 个文件" in proc.stderr


def test_validate_a_folder_checks_every_year(tmp_path: Path) -> None:
    """`gxgen validate reports/` walks the tree; cross-year checks run for each agency."""
    import shutil

    root = Path(__file__).resolve().parent.parent / "examples" / "demo-district"
    tree = tmp_path / "reports" / "demo"
    shutil.copytree(root, tree)
    text = (tree / "2022.yaml").read_text("utf-8")
    changed = re.sub(r"(carried_in: *\[)3,", r"\g<1>4,", text, count=1)
    assert changed != text
    (tree / "2022.yaml").write_text(changed, "utf-8")
    result = gxgen("validate", str(tmp_path / "reports"))
    assert result.exit_code == 1
    assert "X-CARRY" in result.output
    assert "已检查 2 个文件" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    assert gxgen("validate", str(empty)).exit_code == 2
