"""Read a facts file: bytes → text → YAML → plain values with a line/column for each.

PyYAML's own loaders are not used as they are: they keep the last of two duplicate keys
silently (a doubled ``carried_in:`` would overwrite a count), turn ``0.25`` into a float and
``2023-01-18`` into a date. Instead the YAML node tree is composed safely and walked here:
duplicate keys are refused naming both lines, decimals stay exact, dates stay text for the
schema to check, and every key and value keeps its position for later findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from gxgen.findings import Finding

MAX_BYTES = 2 * 1024 * 1024
"""A facts file is a few KB; anything past this is not one (and would be slow to parse)."""

PathKey = tuple[Any, ...]


@dataclass(frozen=True)
class Mark:
    line: int
    col: int


@dataclass
class Marks:
    """Positions of keys and values by path (``("applications", "new", 0)``)."""

    keys: dict[PathKey, Mark] = field(default_factory=dict)
    values: dict[PathKey, Mark] = field(default_factory=dict)

    def value(self, path: PathKey) -> Mark | None:
        """The value's own position, else the nearest enclosing one."""
        for i in range(len(path), -1, -1):
            mark = self.values.get(path[:i])
            if mark:
                return mark
        return None

    def key(self, path: PathKey) -> Mark | None:
        return self.keys.get(path) or self.value(path)


@dataclass
class Loaded:
    file: str
    data: Any
    marks: Marks
    findings: list[Finding]
    """Warnings from reading (e.g. a GB18030 file); errors raise ``LoadError`` instead."""


class LoadError(Exception):
    def __init__(self, finding: Finding):
        super().__init__(finding.code)
        self.finding = finding


def _fail(file: str, code: str, line: int | None = None, col: int | None = None,
          **params: Any) -> LoadError:
    return LoadError(Finding("yaml", "error", code, params, file, line, col))


def decode(raw: bytes, file: str) -> tuple[str, list[Finding]]:
    """Bytes to text: UTF-8 (with or without BOM), else UTF-16 with BOM, else GB18030."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), [Finding("encoding", "warning", "encoding_other",
                                                  {"encoding": "UTF-16"}, file, 1, 1)]
        except UnicodeDecodeError as exc:
            raise _fail(file, "not_text") from exc
    if b"\x00" in raw:
        raise _fail(file, "not_text")
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        line = raw[: utf8_error.start].count(b"\n") + 1
        raise _fail(file, "bad_encoding", line, None) from None
    return text, [Finding("encoding", "warning", "encoding_other", {"encoding": "GB18030"},
                          file, 1, 1)]


def read(path: str | Path, display: str | None = None) -> Loaded:
    """Load a facts file from disk. Raises ``LoadError`` with a ready finding."""
    name = display or str(path)
    try:
        p = Path(path)
        if p.is_dir():
            raise _fail(name, "is_directory")
        with p.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError as exc:
        raise _fail(name, "not_found") from exc
    except OSError as exc:
        raise _fail(name, "unreadable", reason=exc.strerror or str(exc)) from exc
    if len(raw) > MAX_BYTES:
        raise _fail(name, "too_large", limit=MAX_BYTES // 1024)
    return loads(raw, name)


def loads(raw: bytes | str, file: str = "<string>") -> Loaded:
    if isinstance(raw, bytes):
        text, notes = decode(raw, file)
    else:
        text, notes = raw, []
    if not text.strip():
        raise _fail(file, "empty")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _fail(
            file, "syntax",
            mark.line + 1 if mark else None, mark.column + 1 if mark else None,
            problem=_problem(exc),
        ) from None
    except yaml.YAMLError as exc:
        raise _fail(file, "syntax", problem=str(exc).splitlines()[0]) from None
    except RecursionError:
        raise _fail(file, "too_deep") from None
    if node is None:
        raise _fail(file, "empty")
    marks = Marks()
    builder = _Builder(file, marks)
    try:
        data = builder.build(node, ())
    except RecursionError:
        raise _fail(file, "too_deep") from None
    if not isinstance(data, dict):
        raise _fail(file, "not_mapping", 1, 1, kind=_kind(data))
    return Loaded(file, data, marks, notes)


_PROBLEMS = {
    "mapping values are not allowed here": "此处不能出现“键: 值”（可能缺少缩进或引号，或冒号后缺空格）",
    "could not find expected ':'": "缺少冒号“:”",
    "found character '\\t' that cannot start any token": "不能用 Tab 缩进，请改用空格",
    "did not find expected key": "缩进不一致，找不到预期的键",
    "found undefined alias": "引用了未定义的锚点",
    "found unacceptable character": "文件中有不可见的控制字符",
    "expected ',' or ']', but got": "方括号列表未闭合或缺少逗号",
    "expected ',' or '}', but got": "花括号映射未闭合或缺少逗号",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    "while scanning a quoted scalar": "引号未闭合",
    "found duplicate anchor": "锚点名重复",
    "expected <block end>, but found": "缩进不一致",
}


def _problem(exc: yaml.MarkedYAMLError) -> str:
    text = " ".join(filter(None, (exc.context, exc.problem)))
    for key, zh in _PROBLEMS.items():
        if key in text:
            return zh
    return text or "YAML 语法错误"


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if value is None:
        return "null"
    return type(value).__name__


class _Builder:
    """Turns composed YAML nodes into plain values, recording marks and refusing traps."""

    def __init__(self, file: str, marks: Marks):
        self.file = file
        self.marks = marks
        self.constructor = yaml.SafeLoader("")
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.marks.values[path] = Mark(node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.seen:
            raise _fail(self.file, "alias", node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            self.seen.add(id(node))
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            self.seen.add(id(node))
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        first: dict[Any, Mark] = {}
        for key_node, value_node in node.value:
            line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _fail(self.file, "merge_key", line, col)
            if not isinstance(key_node, yaml.ScalarNode):
                raise _fail(self.file, "complex_key", line, col)
            key = self._scalar(key_node)
            if not isinstance(key, str):
                key = str(key_node.value)
            if key in first:
                raise _fail(self.file, "duplicate_key", line, col, key=key,
                            first=first[key].line, second=line)
            first[key] = Mark(line, col)
            self.marks.keys[(*path, key)] = Mark(line, col)
            out[key] = self.build(value_node, (*path, key))
        return out

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == "tag:yaml.org,2002:float":
            try:
                value = Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                return node.value
            return value if value.is_finite() else node.value
        if tag == "tag:yaml.org,2002:timestamp" or tag == "tag:yaml.org,2002:str":
            return node.value
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"):
            return self.constructor.construct_object(node)
        if tag.startswith("tag:yaml.org,2002:"):
            return node.value
        raise _fail(self.file, "unknown_tag", node.start_mark.line + 1,
                    node.start_mark.column + 1, tag=tag)


def path_str(path: PathKey) -> str:
    return ".".join(str(p) for p in path)
