"""Issue 8, the input side: every read of a user's file is of a regular file and bounded,
amplification (aliases, huge extension tables, zip bombs) is refused with a finding, and no
input ends in an internal error — each case a finding at file:line or one clear line.

Anything that could hang runs in a subprocess with a 30 s timeout: a hang fails the test."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from clirun import gxgen
from conftest import dump, facts_2021, where, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxgen import check, extensions, loader, schema
from gxgen.findings import Finding, printable, to_json
from gxgen.model import format_value
from gxgen.writers import docx

SRC = str(Path(__file__).resolve().parent.parent / "src")


def run(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m gxgen ARGS`` in a child process that must finish within 30 s."""
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH") or SRC}
    return subprocess.run([sys.executable, "-m", "gxgen", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    return write(tmp_path / "2022.yaml", facts_2021())


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


@pytest.fixture
def zero(tmp_path: Path) -> Path:
    path = tmp_path / "zero.yaml"
    path.symlink_to("/dev/zero")
    return path


# --- item 6: only regular files, bounded ------------------------------------------------------


@pytest.mark.parametrize("special", ["fifo", "zero"])
@pytest.mark.parametrize("command", ["validate", "render"])
def test_special_facts_file_is_refused(request: pytest.FixtureRequest, tmp_path: Path,
                                       special: str, command: str) -> None:
    path = request.getfixturevalue(special)
    extra = ["-o", tmp_path / "out/"] if command == "render" else []
    done = run(command, path, *extra)
    assert done.returncode == 2, done.stderr
    lines = [line for line in (done.stdout + done.stderr).splitlines() if path.name in line]
    assert len(lines) == 1 and "不是普通文件" in lines[0], lines
    assert "--draft" not in done.stderr and "内部错误" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_special_facts_file_in_english(fifo: Path) -> None:
    done = run("validate", fifo, "--lang", "en")
    assert done.returncode == 2 and "not a regular file" in done.stdout


def test_loader_refuses_special_files(fifo: Path, zero: Path) -> None:
    for path in (fifo, zero):
        with pytest.raises(loader.LoadError) as info:
            loader.read(path)
        assert info.value.finding.code == "not_regular"


@pytest.mark.parametrize("special", ["fifo", "zero"])
def test_special_extension_definition(request: pytest.FixtureRequest, facts: Path,
                                      special: str) -> None:
    path = request.getfixturevalue(special)
    done = run("validate", facts, "--extension", path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "无法读取扩展表定义文件" in done.stdout and "不是普通文件" in done.stdout


@pytest.mark.parametrize("special", ["fifo", "zero"])
def test_special_template(request: pytest.FixtureRequest, facts: Path, tmp_path: Path,
                          special: str) -> None:
    path = request.getfixturevalue(special)
    done = run("render", facts, "--template", path, "-o", tmp_path / "out/")
    assert done.returncode == 2, done.stderr
    assert "无法读取模板文件" in done.stderr and "不是普通文件" in done.stderr
    assert not (tmp_path / "out").exists()


def test_special_previous_year_file(facts: Path, fifo: Path) -> None:
    done = run("validate", facts, "--previous", fifo)
    assert done.returncode == 0, done.stdout
    assert "上年度文件" in done.stdout and "不是普通文件" in done.stdout


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   cwd=cwd, check=True, capture_output=True, timeout=30)


def test_diff_rev_refuses_a_huge_blob(tmp_path: Path) -> None:
    path = tmp_path / "2022.yaml"
    text = dump(facts_2021())
    write(path, text + "# padding\n" * 300_000)  # 3 MB, past loader.MAX_BYTES
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "2022.yaml")
    _git(tmp_path, "commit", "-qm", "huge")
    write(path, text)
    done = run("diff", "2022.yaml", "--rev", "HEAD", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"2022.yaml 的 HEAD 版本超过 {loader.MAX_BYTES // 1024} KB，不像是年度报告事实文件"]


def test_diff_rev_still_reads_a_normal_blob(tmp_path: Path) -> None:
    path = write(tmp_path / "2022.yaml", facts_2021())
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "2022.yaml")
    _git(tmp_path, "commit", "-qm", "first")
    write(path, facts_2021(agency="某区另一局"))
    done = run("diff", "2022.yaml", "--rev", "HEAD", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "某区另一局" in done.stdout


# --- item 7: amplification ----------------------------------------------------------------------


def _alias_bomb(uses: int, size: int = 100_000) -> str:
    text = dump(facts_2021(problems=None))
    body = "".join("  - *big\n" for _ in range(uses))
    return text + f'problems:\n  - &big "{"甲" * size}"\n{body}'


def test_alias_amplification_is_refused_at_the_alias(tmp_path: Path) -> None:
    text = _alias_bomb(1000)
    path = write(tmp_path / "2022.yaml", text)
    start = time.monotonic()
    result = check.check_file(path)
    assert time.monotonic() - start < 30  # a guard against a blow-up, not a speed target
    assert codes(result.findings) == ["too_much_text"]
    # the anchor and nine uses make 1 000 000 characters, with the rest of the file a few
    # hundred more: the ninth use crosses the limit, and the finding is at that use
    finding = result.findings[0]
    assert (finding.line, finding.col) == where(text, "*big", 9)
    assert result.findings[0].params["limit"] == loader.MAX_TEXT == 1_000_000


def test_alias_bomb_renders_nothing(tmp_path: Path) -> None:
    path = write(tmp_path / "2022.yaml", _alias_bomb(1000))
    done = run("render", path, "--format", "html", "--draft", "-o", tmp_path / "out/")
    assert done.returncode == 1 and "文字合计超过 1000000 字" in done.stderr
    assert not (tmp_path / "out").exists()


def test_scalar_aliases_below_the_limit_still_load(tmp_path: Path) -> None:
    path = write(tmp_path / "2022.yaml", _alias_bomb(3, size=1000))
    result = check.check_file(path)
    assert "too_much_text" not in codes(result.findings)
    assert result.facts is not None and len(result.facts.narrative("problems")) == 4


def test_plain_text_past_the_limit_is_refused_too() -> None:
    text = dump(facts_2021(problems=["乙" * 600_000, "丙" * 600_000]))
    with pytest.raises(loader.LoadError) as info:
        loader.loads(text, "x.yaml")
    assert info.value.finding.code == "too_much_text"


def _matrix_definition(rows: int, cols: int, tables: int = 1) -> str:
    out = ["extension: big", "tables:"]
    for t in range(tables):
        out += [f"  big{t}:", "    kind: matrix", f"    label: 大表{t}", "    columns:"]
        out += [f"      - {{key: c{i}, label: 列{i}}}" for i in range(cols)]
        out += ["    rows:"] + [f"      - {{key: r{i}, label: 行{i}}}" for i in range(rows)]
    placed = ", ".join(f"big{t}" for t in range(tables))
    out += ["sections:", f"  - {{key: bigsec, title: 大表, after: other_matters, "
                         f"tables: [{placed}]}}"]
    return "\n".join(out) + "\n"


def test_huge_extension_table_is_refused_fast() -> None:
    raw = _matrix_definition(1990, 1990).encode("utf-8")
    start = time.monotonic()
    ext, findings = extensions.parse(raw, "big.yaml")
    assert time.monotonic() - start < 30  # a guard against a blow-up, not a speed target
    assert ext is None and len(findings) == 1
    assert findings[0].line == 3 and "3960100" in findings[0].message()
    assert f"超过上限 {extensions.MAX_CELLS}" in findings[0].message()


def test_extension_tables_together_are_bounded() -> None:
    ext, findings = extensions.parse(_matrix_definition(80, 100, tables=3).encode(), "b.yaml")
    assert ext is None and "24000" in findings[0].message()
    ext, findings = extensions.parse(_matrix_definition(80, 100, tables=1).encode(), "b.yaml")
    assert ext is not None, [f.format() for f in findings]


def _template(tmp_path: Path, name: str, extra: dict[str, bytes],
              change: dict[str, bytes] | None = None) -> Path:
    """The bundled template with ``extra`` parts added and ``change`` parts replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(docx.default_template()) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = (change or {}).get(info.filename, src.read(info.filename))
            dst.writestr(info.filename, data)
        for part, data in extra.items():
            dst.writestr(part, data)
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return path


def test_zip_bomb_template_is_refused_before_inflating(facts: Path, tmp_path: Path) -> None:
    bomb = _template(tmp_path, "bomb.docx", {"word/media/image1.png": bytes(60 * 2 ** 20)})
    assert bomb.stat().st_size < 2 ** 20
    done = run("render", facts, "--template", bomb, "-o", tmp_path / "out/")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"模板 {bomb} 不可用：部件 word/media/image1.png 解压后 60 MB，超过上限 50 MB"]
    assert not (tmp_path / "out").exists()


def test_template_compression_ratio(tmp_path: Path) -> None:
    bomb = _template(tmp_path, "ratio.docx", {"word/media/image1.png": bytes(5 * 2 ** 20)})
    with pytest.raises(docx.DocxTemplateError, match="压缩比超过 100:1"):
        docx.check_template(bomb)
    small = _template(tmp_path, "small.docx", {"word/media/image1.png": bytes(2 ** 19)})
    docx.check_template(small)


def test_template_total_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx.template, "TOTAL_MAX_BYTES", 2 ** 20)
    parts = {f"word/media/image{i}.png": os.urandom(400_000) for i in range(3)}
    with pytest.raises(docx.DocxTemplateError, match="解压后共 1 MB，超过上限 1 MB"):
        docx.check_template(_template(tmp_path, "many.docx", parts))


def _entity_template(tmp_path: Path) -> Path:
    with zipfile.ZipFile(docx.default_template()) as src:
        styles = src.read("word/styles.xml")
    styles = styles.replace(b"?>", b'?><!DOCTYPE w:styles [<!ENTITY x "y">]>', 1)
    styles = styles.replace(b'w:styleId="Normal"', b'w:styleId="Normal&x;"', 1)
    return _template(tmp_path, "entity.docx", {}, {"word/styles.xml": styles})


def test_template_with_an_entity_render(facts: Path, tmp_path: Path) -> None:
    template = _entity_template(tmp_path)
    done = run("render", facts, "--template", template, "-o", tmp_path / "out/")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"模板 {template} 不可用：部件 word/styles.xml 含 DTD 或实体声明（<!DOCTYPE …>），不支持"]


def test_template_with_an_entity_batch(facts: Path, tmp_path: Path) -> None:
    result = gxgen("batch", facts, "-o", tmp_path / "site", "--template",
                   _entity_template(tmp_path))
    assert result.exit_code == 2
    assert "含 DTD 或实体声明" in result.stderr


def test_template_with_broken_xml(tmp_path: Path) -> None:
    path = _template(tmp_path, "broken.docx", {}, {"word/styles.xml": b"<w:styles"})
    with pytest.raises(docx.DocxTemplateError, match="styles.xml 不是合法 XML"):
        docx.check_template(path)


# --- no internal errors -------------------------------------------------------------------------


def _text_key_definition(kind: str) -> str:
    body = {
        "indicators": "    columns: [指标, 单位, 数值]\n    rows:\n"
                      "      - {key: text, label: 甲, unit: 件}\n",
        "matrix": "    columns:\n      - {key: n, label: 数}\n    rows:\n"
                  "      - {key: text, label: 甲}\n",
        "blocks": "    blocks:\n      - caption: 甲\n        fields: [{key: n, label: 数}]\n"
                  "        rows: [{key: text, label: 乙}]\n",
    }[kind]
    return (f"extension: tx\ntables:\n  tx:\n    kind: {kind}\n    label: 表\n{body}"
            "sections:\n  - {key: txs, title: 节, after: other_matters, tables: [tx]}\n")


@pytest.mark.parametrize("kind", ["indicators", "matrix", "blocks"])
def test_row_keyed_text_is_refused_in_the_definition(tmp_path: Path, kind: str) -> None:
    text = _text_key_definition(kind)
    write(tmp_path / "tx.yaml", text)
    data = facts_2021(extensions=["./tx.yaml"])
    data["tx"] = {"text": 5}
    path = write(tmp_path / "2022.yaml", data)
    result = gxgen("validate", path)
    assert result.exit_code == 1
    line, col = where(text, "text")
    assert f"tx.yaml:{line}:{col}" in result.stdout
    assert "键 text 留给表格前的说明文字" in result.stdout
    done = gxgen("render", path, "--draft", "-o", tmp_path / "out/")
    assert done.exit_code == 1


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\x1b[2J", "\\0", "\\x07", "\\x7f",
                                    "\\x9b", "\\U0000001b"])
def test_escapes_giving_unprintable_characters(tmp_path: Path, escape: str) -> None:
    text = dump(facts_2021(agency="MARK")).replace("MARK", f'"某局{escape}"')
    path = write(tmp_path / "2022.yaml", text)
    result = check.check_file(path)
    assert codes(result.findings) == ["bad_char"]
    assert (result.findings[0].line, result.findings[0].col) == where(text, '"某局')
    rendered = gxgen("render", path, "--draft", "-o", tmp_path / "out/")
    assert rendered.exit_code == 1 and "不可打印的字符" in rendered.stderr


@pytest.mark.parametrize("place", ["key", "narrative", "heading"])
def test_escapes_anywhere(place: str) -> None:
    data = facts_2021()
    if place == "key":
        text = dump(data).replace("agency:", '"agen\\ud800cy":', 1)
    elif place == "narrative":
        text = dump(facts_2021(problems="PROB")).replace("PROB", '"问题\\x1b]0;x\\x07"')
    else:
        text = dump(facts_2021(problems=[{"heading": "H", "text": "正文"}])).replace(
            "heading: H", 'heading: "小标题\\0"')
    with pytest.raises(loader.LoadError) as info:
        loader.loads(text, "f.yaml")
    assert info.value.finding.code == "bad_char" and info.value.finding.line


def test_printable_escapes_still_load() -> None:
    escaped = '"第一段\\n\\n第二段\\t\\u00e9\\u3000"'
    text = dump(facts_2021(problems="PROB")).replace("PROB", escaped)
    loaded = loader.loads(text, "f.yaml")
    assert loaded.data["problems"] == "第一段\n\n第二段\té\u3000"


@pytest.mark.parametrize(("value", "code"), [
    ("1.0e+30", "too_big"), ("100000000.0001", "too_big"), ("1.0e+39", "too_big"),
    ("1.0e+40", "number_too_long"), ("1.0e-41", "number_too_long"),
    ("0." + "0" * 45 + "1", "number_too_long"),
])
def test_huge_fees(tmp_path: Path, value: str, code: str) -> None:
    text = dump(facts_2021()).replace("fees: 0.25", f"fees: {value}")
    path = write(tmp_path / "2022.yaml", text)
    result = gxgen("validate", path)
    assert result.exit_code == 1, result.output
    line, col = where(text, f"fees: {value}")
    assert f"2022.yaml:{line}:{col + 6}" in result.stdout
    assert {"too_big": "超出上限 100000000", "number_too_long": "超过 40 位"}[code] \
        in result.stdout


@pytest.mark.parametrize(("value", "expected"), [
    ("1" * 5000, "超过 40 位"), ("1" * 41, "超过 40 位"), ("1000000001", "超出上限 1000000000"),
    ("-1000000001", "应为非负整数"),
])
def test_huge_counts(tmp_path: Path, value: str, expected: str) -> None:
    text = dump(facts_2021()).replace("licensing: 120", f"licensing: {value}")
    path = write(tmp_path / "2022.yaml", text)
    result = gxgen("validate", path)
    assert result.exit_code == 1, result.output
    line, col = where(text, f"licensing: {value[:20]}")
    assert f"2022.yaml:{line}:{col + 11}" in result.stdout and expected in result.stdout
    assert len(result.stdout) < 2000


def test_largest_figures_still_pass(tmp_path: Path) -> None:
    data = facts_2021()
    data["proactive"]["licensing"] = schema.MAX_COUNT
    data["proactive"]["fees"] = Decimal(schema.MAX_WAN_YUAN)
    result = check.check_file(write(tmp_path / "2022.yaml", data))
    assert result.ok, [f.format() for f in result.findings]


def test_negative_zero_fee_prints_as_zero(tmp_path: Path) -> None:
    text = dump(facts_2021()).replace("fees: 0.25", "fees: -0.0")
    path = write(tmp_path / "2022.yaml", text)
    result = check.check_file(path)
    assert result.ok
    assert str(result.facts.value("proactive.fees")) == "0.0"
    out = tmp_path / "r.md"
    assert gxgen("render", path, "--format", "md", "-o", out).exit_code == 0
    assert "-0" not in out.read_text("utf-8")
    assert format_value(Decimal("-0.00")) == "0.00" and format_value(Decimal("-0")) == "0"


# --- nothing steers the terminal ----------------------------------------------------------------


def test_printable() -> None:
    assert printable("某局\u202e甲\x1b[2J\u200b\u3000é") == "某局\\u202e甲\\x1b[2J\\u200b\u3000é"
    assert printable("a\udcffb\U000e0001") == "a\\udcffb\\U000e0001"
    assert printable("普通的一行") == "普通的一行"


def test_findings_never_carry_bidi_or_escapes(tmp_path: Path) -> None:
    text = dump(facts_2021()).replace("licensing: 120", 'licensing: "1\\u202e20"')
    path = write(tmp_path / "2022.yaml", text)
    result = gxgen("validate", path)
    assert result.exit_code == 1
    assert "\u202e" not in result.output and "“1\\u202e20”" in result.stdout
    as_json = gxgen("validate", path, "--format", "json")
    assert "\u202e" not in as_json.stdout
    message = json.loads(as_json.stdout)["findings"][0]["message"]
    assert "\u202e" in message


def test_file_names_are_printed_safely(tmp_path: Path) -> None:
    path = write(tmp_path / "a\x1b[2Jb.yaml", facts_2021(licensing=None) | {"year": "x"})
    result = gxgen("validate", path)
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "a\\x1b[2Jb.yaml" in result.stdout


def test_json_stays_valid_with_astral_format_characters() -> None:
    finding = Finding("schema", "error", "bad_value",
                      {"where": "甲\U000e0001", "expected": "x", "expected_en": "x",
                       "actual": "\u2066y", "actual_en": "y"}, "f\u2028.yaml", 1, 1)
    text = to_json([finding])
    assert text.isascii() or all(c.isprintable() or c == "\n" for c in text)
    assert json.loads(text)["findings"][0]["message"] == "甲\U000e0001：应为x，实际为 \u2066y"
    assert "\\u2028" in finding.format()


def test_diff_lines_are_printable(tmp_path: Path) -> None:
    old = write(tmp_path / "old.yaml", facts_2021())
    new = write(tmp_path / "new.yaml", facts_2021(agency="某局\u202e局某"))
    result = gxgen("diff", old, new)
    assert result.exit_code == 0
    assert "\u202e" not in result.output and "某局\\u202e局某" in result.stdout


# --- property: no input crashes the checking pipeline -------------------------------------------

NASTY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["\x1b[2J", "\u202e", "\0", "na", "-0.0", "1e999999999", "０", "text", "\ud7ff", "〇"])
NASTY_NUMBER = st.one_of(
    st.integers(-10 ** 12, 10 ** 12), st.integers(min_value=10 ** 30, max_value=10 ** 45),
    st.decimals(allow_nan=False, allow_infinity=False, places=None),
    st.sampled_from([Decimal("-0.0"), Decimal("1.0E+30"), Decimal("1E-50"), 0, -0]))
NASTY = st.recursive(
    st.none() | st.booleans() | NASTY_NUMBER | NASTY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(NASTY_TEXT, inner, max_size=3),
    max_leaves=8)


def _paths(data: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _paths(value, (*prefix, i))
    return out


def _pipeline(raw: bytes | str) -> None:
    """Everything ``validate`` and ``render`` do in memory; only ``LoadError`` may escape."""
    from gxgen import rules
    from gxgen.model import build_document
    from gxgen.variants import VARIANTS, Converter

    try:
        loaded = loader.loads(raw, "fuzz.yaml")
    except loader.LoadError as exc:
        exc.finding.format("en")
        return
    result = check.check_loaded(loaded, base=Path("."))
    findings = list(result.findings)
    if result.facts is not None:
        findings += rules.check(result.facts)
        build_document(result.facts)
        build_document(result.facts,
                       Converter.for_edition(VARIANTS["traditional"], result.facts.edition))
    for finding in findings:
        finding.format("zh")
        finding.format("en")
    json.loads(to_json(findings))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400) | st.text(max_size=200).map(str.encode))
def test_random_bytes_never_crash(raw: bytes) -> None:
    _pipeline(raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_facts_never_crash(data: st.DataObject) -> None:
    facts = facts_2021()
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _paths(facts)
        path = data.draw(st.sampled_from(paths))
        node: object = facts
        for part in path[:-1]:
            node = node[part]  # type: ignore[index]
        node[path[-1]] = data.draw(NASTY)  # type: ignore[index]
    try:
        text = dump(facts)
    except (yaml.YAMLError, UnicodeError, ValueError):
        return
    _pipeline(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_edited_yaml_text_never_crashes(data: st.DataObject) -> None:
    text = dump(facts_2021())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 8))
        piece = data.draw(st.sampled_from(["\\", '"', "'", "&a ", "*a", "!!", "[", "{", "- ",
                                           ": ", "\n  ", "\t", "#", "%", "\\x1b", "\\ud800"])
                          | st.text(max_size=4))
        text = text[:at] + piece + text[at + cut:]
    _pipeline(text.encode("utf-8", "surrogatepass"))


DEFINITION_VALUES = st.one_of(NASTY, st.sampled_from(
    ["matrix", "blocks", "indicators", "count", "wan_yuan", "other_matters", "first", "last"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_extension_definitions_never_crash(data: st.DataObject) -> None:
    from gxgen import editions

    definition: dict[str, object] = {
        "extension": "fz",
        "tables": {"fz": {"kind": data.draw(st.sampled_from(["matrix", "blocks", "indicators"])),
                          "label": "表", "columns": [{"key": "n", "label": "数"}],
                          "rows": [{"key": "a", "label": "甲"}]}},
        "sections": [{"key": "fzs", "title": "节", "after": "other_matters", "tables": ["fz"]}],
    }
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(definition)))
        node: object = definition
        for part in path[:-1]:
            node = node[part]  # type: ignore[index]
        node[path[-1]] = data.draw(DEFINITION_VALUES)  # type: ignore[index]
    try:
        raw = dump(definition).encode("utf-8", "surrogatepass")
    except (yaml.YAMLError, UnicodeError, ValueError):
        return
    ext, findings = extensions.parse(raw, "fz.yaml")
    for finding in findings:
        finding.format()
    if ext is not None:
        extended, problems = extensions.apply(editions.load("2021"), ext,
                                              extensions.Ref("./fz.yaml", Path(".")))
        for finding in problems:
            finding.format()
        if extended is not None:
            extended.numbered()
            schema.edition_schema(extended)
