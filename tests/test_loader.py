"""The loader: bytes → text → YAML → plain values with positions, for every bad-input class.

Each class of broken file must come back as one ``LoadError`` with a Chinese message and,
where there is one, the line and column — never a traceback, never garbled text, and never
slowly (size, node count and nesting are capped).
"""

from __future__ import annotations

import re
import time
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import dump, facts_2021, where, write

from gxgen import loader
from gxgen.loader import LoadError, Mark

AGENCY = "舟山市定海区政务服务办公室"
TEXT = f'edition: "2021"\nagency: {AGENCY}\nyear: 2022\n'


def fail(raw: bytes | str) -> LoadError:
    with pytest.raises(LoadError) as info:
        loader.loads(raw, "f.yaml")
    finding = info.value.finding
    assert finding.severity == "error" and finding.rule == "yaml" and finding.file == "f.yaml"
    return info.value


def message(err: LoadError) -> str:
    return err.finding.message("zh")


# --- encodings ---------------------------------------------------------------------------------


def test_utf8_with_and_without_bom_read_the_same() -> None:
    plain = loader.loads(TEXT.encode("utf-8"))
    bom = loader.loads(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    assert plain.data == bom.data == {"edition": "2021", "agency": AGENCY, "year": 2022}
    assert plain.findings == [] and bom.findings == []
    assert bom.marks.keys[("agency",)] == Mark(2, 1)


@pytest.mark.parametrize("codec", ["gb18030", "gbk"])
def test_gb_file_is_read_with_a_warning_not_garbled(codec: str) -> None:
    loaded = loader.loads(TEXT.encode(codec), "f.yaml")
    assert loaded.data["agency"] == AGENCY
    [note] = loaded.findings
    assert (note.severity, note.code, note.params["encoding"]) == ("warning", "encoding_other",
                                                                    "GB18030")
    assert "GB18030" in note.message("zh") and "UTF-8" in note.message("zh")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_bom_is_read_with_a_warning(codec: str) -> None:
    raw = TEXT.encode(codec)
    if codec == "utf-16-be":
        raw = b"\xfe\xff" + raw
    loaded = loader.loads(raw)
    assert loaded.data["agency"] == AGENCY
    assert [f.params["encoding"] for f in loaded.findings] == ["UTF-16"]


def test_bytes_in_no_known_encoding_name_the_line() -> None:
    err = fail(b'edition: "2021"\nagency: \xff\xfe\xff\n')
    assert err.finding.code == "bad_encoding" and err.finding.line == 2
    assert "UTF-8" in message(err)


def test_utf8_file_with_gbk_pasted_in_is_not_garbled() -> None:
    text = dump(facts_2021(problems="@@@"))
    line, _ = where(text, "@@@")
    raw = text.encode("utf-8").replace(b"@@@", "存在的问题：宣传不够".encode("gbk"))
    err = fail(raw)
    assert (err.finding.code, err.finding.line) == ("bad_utf8", line)
    assert "UTF-8" in message(err) and "GBK" in message(err)


@pytest.mark.parametrize("raw", [
    bytes(range(256)) * 4,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"edition: 2021\x00\n",
    "a: 1\n".encode("utf-16-le"),
])
def test_binary_content_is_not_text(raw: bytes) -> None:
    assert fail(raw).finding.code == "not_text"


# --- empty and wrong top level --------------------------------------------------------------------


@pytest.mark.parametrize("raw", [
    b"", b"   \n\t\n  ", b"\xef\xbb\xbf", b"# only a comment\n", b"---\n", b"~\n", b"null\n",
])
def test_empty_file(raw: bytes) -> None:
    err = fail(raw)
    assert err.finding.code == "empty" and message(err) == "文件为空"


@pytest.mark.parametrize(("text", "kind"), [
    ("- edition: 2021\n- agency: x\n", "列表"),
    ("hello\n", "一段文字"),
    ("2021\n", "整数"),
    ("true\n", "布尔值"),
])
def test_top_level_must_be_a_mapping(text: str, kind: str) -> None:
    err = fail(text)
    assert (err.finding.code, err.finding.line, err.finding.col) == ("not_mapping", 1, 1)
    assert message(err).endswith("实际为" + kind)
    assert "list" not in message(err) and "str" not in message(err)


# --- duplicate keys -----------------------------------------------------------------------------


def test_duplicate_top_level_key_names_both_lines() -> None:
    err = fail('edition: "2021"\nyear: 2021\nagency: x\nyear: 2022\n')
    f = err.finding
    assert (f.code, f.line, f.col) == ("duplicate_key", 4, 1)
    assert message(err) == "键 year 重复：第 2 行和第 4 行都写了它，请只保留一个"
    assert "line 2" in f.message("en") and "line 4" in f.message("en")


def test_duplicate_nested_key_is_refused_not_overwritten() -> None:
    text = dump(facts_2021())
    text = text.replace("  carried_in: [1, 0, 0, 0, 0, 0]\n",
                        "  carried_in: [1, 0, 0, 0, 0, 0]\n  carried_in: [9, 0, 0, 0, 0, 0]\n")
    err = fail(text)
    first, _ = where(text, "carried_in:")
    second, col = where(text, "carried_in:", 2)
    assert (err.finding.line, err.finding.col) == (second, col)
    assert err.finding.params == {"key": "carried_in", "first": first, "second": second}


# --- YAML syntax: Chinese, with line and column ---------------------------------------------------

ENGLISH = re.compile(r"\b(while|expected|found|could not|mapping|scanning|parsing)\b")


@pytest.mark.parametrize(("text", "line", "col", "says"), [
    ("edition: '2021'\n\tagency: x\n", 2, 1, "Tab"),
    ("a: [1, 2\nb: 3\n", 2, 2, "方括号"),
    ("a: {b: 1\nc: 2\n", 2, 2, "花括号"),
    ("a: [1, 2", 1, 9, "意外结束"),
    ('a: "abc\n', 2, 1, "意外结束"),
    ("a: b: c\n", 1, 5, "键: 值"),
    ("a: 1\n b: 2\n", 2, 3, "键: 值"),
    ("a:\n  b: 1\n c: 2\n", 3, 2, "缩进"),
    ("a: @x\n", 1, 4, "“@”"),
    ("a: [1,,2]\n", 1, 7, "缺少值"),
    ('a: "x\\q"\n', 1, 7, "转义"),
    ("a: 1\n---\nb: 2\n", 2, 1, "一份 YAML 文档"),
    ("a: *nope\n", 1, 4, "未定义的锚点"),
    ("a: &x 1\nb: &x 2\n", 2, 4, "锚点名重复"),
    ("a: !<x 1\n", 1, 7, "标签"),
    ("a: |9x\n  b\n", 1, 6, "“|”"),
])
def test_syntax_errors_are_reported_in_chinese_with_position(text: str, line: int, col: int,
                                                             says: str) -> None:
    err = fail(text)
    f = err.finding
    assert (f.code, f.line, f.col) == ("syntax", line, col), message(err)
    assert message(err).startswith("YAML 语法错误：") and says in message(err)
    assert not ENGLISH.search(message(err)), message(err)
    assert f.message("en").startswith("YAML syntax error: ")


def test_control_character_is_named_with_its_position() -> None:
    err = fail('edition: "2021"\nagency: "某\x07局"\n')
    f = err.finding
    assert (f.code, f.line, f.col) == ("control_char", 2, 11)
    assert "U+0007" in message(err) and "控制字符" in message(err)


# --- values and their positions -------------------------------------------------------------------


def test_every_value_keeps_its_line_and_column() -> None:
    text = dump(facts_2021())
    loaded = loader.loads(text)
    marks = loaded.marks
    # a list element, a mapping value, a key, and a scalar
    row_line, _ = where(text, "  granted:")
    assert marks.value(("applications", "granted", 1)) == Mark(row_line, 16)
    line, col = where(text, "in_force: 9")
    assert marks.value(("proactive", "normative_documents", "in_force")) == Mark(line, col + 10)
    assert marks.key(("applications", "withheld")) == Mark(*where(text, "withheld"))
    assert marks.value(("year",)) == Mark(4, 7)
    # a path that is not there falls back to the nearest enclosing value
    assert marks.value(("applications", "other", "overdue_fee", 2)) == \
        marks.value(("applications",))


def test_numbers_stay_exact_dates_stay_text() -> None:
    data = loader.loads("a: 0.1\nb: 1_000\nc: 2023-01-18\nd: 1.10\ne: -3\nf: +4\n").data
    assert data == {"a": Decimal("0.1"), "b": 1000, "c": "2023-01-18", "d": Decimal("1.10"),
                    "e": -3, "f": 4}
    assert isinstance(data["a"], Decimal) and isinstance(data["b"], int)


@pytest.mark.parametrize(("written", "value"), [
    ("010", "010"), ("0x10", "0x10"), ("0o17", "0o17"), ("0b11", "0b11"), ("1:30", "1:30"),
    ("1:30.5", "1:30.5"), (".inf", ".inf"), (".nan", ".nan"), ("1e3", "1e3"),
    ("yes", True), ("no", False), ("null", None), ("", None), ("~", None),
])
def test_non_decimal_numbers_stay_as_written(written: str, value: object) -> None:
    """YAML 1.1 reads 010 as 8 and 1:30 as 90; a count typed like that must not pass as one."""
    assert loader.loads(f"a: {written}\n").data["a"] == value


def test_keys_are_text() -> None:
    data = loader.loads("2021: a\ntrue: b\n~: c\n").data
    assert data == {"2021": "a", "true": "b", "~": "c"}


# --- safe loading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "tag"), [
    ("a: !!python/object:os.system 0\n", "!!python/object:os.system"),
    ("a: !!python/object/apply:os.system ['echo hi']\n", "!!python/object/apply:os.system"),
    ("a: !!binary aGVsbG8=\n", "!!binary"),
    ("a: !!set {x, y}\n", "!!set"),
    ("a: !!omap [x: 1]\n", "!!omap"),
    ("a: !foo 1\n", "!foo"),
    ("a: !foo {b: 1}\n", "!foo"),
])
def test_tags_are_refused(text: str, tag: str) -> None:
    err = fail(text)
    assert (err.finding.code, err.finding.line, err.finding.col) == ("unknown_tag", 1, 4)
    assert tag in message(err)


def test_standard_tags_of_plain_values_are_fine() -> None:
    data = loader.loads("a: !!str 12\nb: !!int 3\nc: !!map {x: 1}\nd: !!seq [1]\n").data
    assert data == {"a": "12", "b": 3, "c": {"x": 1}, "d": [1]}


def test_merge_and_complex_keys_are_refused() -> None:
    assert fail("a: {x: 1}\nb:\n  <<: {y: 2}\n").finding.code == "merge_key"
    err = fail("? [a, b]\n: 1\n")
    assert (err.finding.code, err.finding.line) == ("complex_key", 1)


def test_alias_of_a_collection_is_refused_where_it_is_used() -> None:
    err = fail("a: &row [1, 2]\nb: *row\n")
    assert (err.finding.code, err.finding.line, err.finding.col) == ("alias", 2, 4)


def test_alias_of_a_scalar_is_allowed() -> None:
    assert loader.loads("a: &n 5\nb: *n\n").data == {"a": 5, "b": 5}


GUARD = 30
"""Seconds: a guard against a hang or a blow-up, not a speed target (that is benchmarks/)."""


def test_alias_bomb_is_refused_fast() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    err = fail("\n".join(lines) + "\n")
    assert time.perf_counter() - start < GUARD
    assert (err.finding.code, err.finding.line) == ("alias", 2)


@pytest.mark.parametrize("opening", ["[", "{", "- "])
def test_deep_nesting_is_refused(opening: str) -> None:
    closing = {"[": "]", "{": "}", "- ": ""}[opening]
    text = "a: " + opening * 10_000 + closing * 10_000 + "\n"
    start = time.perf_counter()
    err = fail(text)
    assert time.perf_counter() - start < GUARD
    assert err.finding.code in ("too_deep", "syntax")


def test_ten_thousand_brackets_deep_is_too_deep() -> None:
    err = fail("[" * 10_000 + "]" * 10_000)
    assert (err.finding.code, err.finding.line, err.finding.col) == ("too_deep", 1, 51)
    assert message(err) == f"嵌套超过 {loader.MAX_DEPTH} 层，不像是年度报告事实文件"


def test_too_many_values_stop_early() -> None:
    text = "a: [" + "0, " * (loader.MAX_NODES + 10) + "0]\n"
    assert len(text) < loader.MAX_BYTES
    start = time.perf_counter()
    err = fail(text)
    assert time.perf_counter() - start < GUARD
    assert err.finding.code == "too_many_values" and err.finding.line == 1
    assert str(loader.MAX_NODES) in message(err)


# --- files on disk ------------------------------------------------------------------------------


def test_read_a_file(tmp_path: Path) -> None:
    path = write(tmp_path / "2022.yaml", facts_2021())
    loaded = loader.read(path)
    assert loaded.file == str(path) and loaded.data["agency"] == "某区测试局"
    assert loader.read(path, display="shown.yaml").file == "shown.yaml"


def test_ten_megabytes_are_refused_fast(tmp_path: Path) -> None:
    path = write(tmp_path / "big.yaml", "a: " + "x" * (10 * 1024 * 1024) + "\n")
    start = time.perf_counter()
    with pytest.raises(LoadError) as info:
        loader.read(path)
    assert time.perf_counter() - start < GUARD
    assert info.value.finding.code == "too_large"
    assert str(loader.MAX_BYTES // 1024) in info.value.finding.message("zh")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        loader.read(tmp_path / "nope.yaml")
    assert info.value.finding.code == "not_found"
    assert info.value.finding.file == str(tmp_path / "nope.yaml")
    with pytest.raises(LoadError) as info:
        loader.read(tmp_path)
    assert info.value.finding.code == "is_directory"


# --- the libyaml fast path must never change a result, only the time ---------------------

def _slow(text: str):
    import gxgen.loader as loader_mod

    original = loader_mod._fast_compose
    loader_mod._fast_compose = lambda _text: None
    try:
        return loader_mod.loads(text, "x.yaml")
    finally:
        loader_mod._fast_compose = original


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parent.parent / "examples")
                                        .rglob("*.yaml")), ids=lambda p: p.name)
def test_fast_path_same_data_and_marks(path: Path) -> None:
    from gxgen.loader import _fast_compose, loads

    text = path.read_text("utf-8")
    assert _fast_compose(text) is not None, "an ordinary facts file takes the fast path"
    fast, slow = loads(text, "x.yaml"), _slow(text)
    assert fast.data == slow.data
    assert fast.marks.keys == slow.marks.keys and fast.marks.values == slow.marks.values


@pytest.mark.parametrize("text", [
    "a: &x [1, 2]\nb: *x\n",              # a reused list: refused by the Python composer
    "a: " + "[" * 60 + "]" * 60 + "\n",   # too deep
    "a: [1, 2\n",                         # a syntax error, worded by the Python path
    "a:\n" + "".join(f"  k{i}: [{', '.join(['0'] * 30)}]\n" for i in range(800)),  # too many
])
def test_fast_path_defers_to_python_for_anything_unusual(text: str) -> None:
    from gxgen.loader import LoadError, loads

    with pytest.raises(LoadError) as fast:
        loads(text, "x.yaml")
    with pytest.raises(LoadError) as slow:
        _slow(text)
    assert fast.value.finding == slow.value.finding
    assert fast.value.finding.code == slow.value.finding.code
