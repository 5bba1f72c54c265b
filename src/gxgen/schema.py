"""JSON Schema (2020-12) generated from the edition data, and validation against it.

The schema gives editors (yaml-language-server) the Chinese label of every key on hover and
catches shape and type errors. Its raw error texts are English and path-only, so each error
is turned into a finding here: the Chinese name of the statutory cell, the file line, and a
"did you mean" for misspelt keys.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from decimal import Decimal
from typing import Any

import jsonschema

from gxgen import editions
from gxgen.editions import Edition, TableSpec
from gxgen.findings import Finding
from gxgen.loader import Loaded, PathKey
from gxgen.messages import closest, nested
from gxgen.schema_faults import fault, validator
from gxgen.shown import shown, type_names

VALUE_SCHEMAS: dict[str, dict[str, Any]] = {
    name: vt.schema for name, vt in editions.VALUE_TYPES.items()
}
"""Each value type's JSON Schema (``common.yaml``'s ``value_types``, where the bounds are
explained)."""

MAX_COUNT: int = VALUE_SCHEMAS["count"]["maximum"]
MAX_WAN_YUAN: int = VALUE_SCHEMAS["wan_yuan"]["maximum"]
MAX_YUAN: int = VALUE_SCHEMAS["yuan"]["maximum"]
EXPECTED = {name: f"expect_{name}" for name in editions.VALUE_TYPES}
"""What a cell of each value type should hold, as a message code."""
NA = editions.NA


def _value(kind: str, na: bool, title: str, description: str) -> dict[str, Any]:
    base = dict(VALUE_SCHEMAS[kind])
    if na:
        base = {"anyOf": [base, {"const": NA}]}
        description += "；不适用时填 na（表中印“/”）"
    return {"title": title, "description": description, **base}


def _narrative(title: str, description: str) -> dict[str, Any]:
    para = {"type": "string"}
    item = {
        "anyOf": [
            para,
            {
                "type": "object",
                "properties": {
                    "heading": {"type": "string", "title": "小标题",
                                "description": "不含（一）编号"},
                    "text": {"anyOf": [para, {"type": "array", "items": para}], "title": "正文",
                             "description": "小标题下的文字（空行分段），或段落列表"},
                },
                "required": ["text"],
                "additionalProperties": False,
            },
        ]
    }
    return {
        "title": title,
        "description": description + "。文字（空行分段），或段落列表，或 {heading, text} 列表",
        "anyOf": [para, {"type": "array", "items": item}, {"type": "null"}],
    }


def _obj(title: str, description: str, props: dict[str, Any], nullable: bool = False,
         **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "type": ["object", "null"] if nullable else "object",
        "properties": props,
        "additionalProperties": False,
        **extra,
    }


class _Parts:
    """The value and object schemas a table kind composes its schema from."""

    na = NA

    @staticmethod
    def value(value_type: str, na: bool, title: str, description: str) -> dict[str, Any]:
        return _value(value_type, na, title, description)

    @staticmethod
    def item(value_type: str) -> dict[str, Any]:
        return VALUE_SCHEMAS[value_type]

    @staticmethod
    def obj(title: str, description: str, props: dict[str, Any]) -> dict[str, Any]:
        return _obj(title, description, props)


def table_schema(table: TableSpec) -> dict[str, Any]:
    props: dict[str, Any] = {"text": _narrative("说明文字", f"{table.label}表格前的说明文字")}
    props.update(table.shape.schema(table, _Parts()))
    return _obj(table.label, table.label, props, nullable=True)


def _field(edition: Edition, key: str, spec: dict[str, Any]) -> dict[str, Any]:
    kind = spec["type"]
    title, desc = spec["label"], spec.get("description", spec["label"])
    if kind == "text":
        return {"title": title, "description": desc, "type": "string", "minLength": 1}
    if kind == "edition":
        return {"title": title, "description": desc, "enum": [edition.id, int(edition.id)]}
    if kind == "choice":
        return {"title": title, "description": desc, "enum": list(spec["choices"])}
    if kind == "year":
        return {"title": title, "description": desc, "type": "integer", "minimum": 2008,
                "maximum": 2100}
    if kind == "date":
        return {"title": title, "description": desc, "type": "string",
                "pattern": r"^\d{4}-\d{1,2}-\d{1,2}$"}
    if kind == "narrative":
        return _narrative(title, desc)
    if kind == "extensions":
        return {"title": title, "description": desc, "type": "array", "uniqueItems": True,
                "items": {"type": "string", "minLength": 1}}
    if kind == "terms":
        return {"title": title, "description": desc,
                "anyOf": [{"type": "array", "items": {"type": "string", "minLength": 1}},
                          {"type": "object", "additionalProperties": {"type": ["string", "null"]}}]}
    if kind == "ignore":
        entry = {"type": "object", "required": ["rule"], "additionalProperties": False,
                 "properties": {
                     "rule": {"type": "string", "minLength": 1, "title": "规则",
                              "description": "要忽略的警告的规则编号，如 C-FIGURE"},
                     "path": {"type": "string", "minLength": 1, "title": "位置",
                              "description": "警告所在的事实路径，如 overview.1（含其下各处）"}}}
        return {"title": title, "description": desc, "type": "array", "items": entry}
    if kind == "record":
        fields = edition.record_fields(key)
        return _obj(title, desc, {f.key: _value(f.value, False, f.label, f"{title} {f.label}")
                                  for f in fields})
    if kind == "group":
        return _obj(title, desc, {k: _field(edition, k, v) for k, v in spec["children"].items()},
                    nullable=True)
    raise ValueError(f"unknown field type {kind!r}")


def edition_schema(edition: Edition) -> dict[str, Any]:
    props = {k: _field(edition, k, v) for k, v in edition.fields.items()}
    for section in edition.sections:
        for key in section.tables:
            props[key] = table_schema(edition.tables[key])
    required = [k for k, v in edition.fields.items() if v.get("required")]
    required += [k for s in edition.sections for k in s.tables]
    required += [s.narrative for s in edition.sections if s.narrative and "." not in s.narrative]
    return _obj(f"{edition.name}（{edition.notice}）", edition.name, props,
                required=sorted(set(required), key=list(props).index))


@functools.cache
def build() -> dict[str, Any]:
    """The whole schema: one definition per built-in edition, chosen by ``edition``."""
    defs = {f"edition-{e}": _with_builtin_extensions(editions.load(e))
            for e in editions.available()}
    ids = editions.available()
    default = ids[0]
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:gxgen:facts",
        "title": "政府信息公开工作年度报告事实文件（gxgen）",
        "description": "一个机关一个年度的年度报告事实：由 gxgen 校验并生成 DOCX、HTML、Markdown",
        "type": "object",
        "required": ["edition"],
        "properties": {"edition": {
            "title": "报告格式",
            "description": editions.common()["fields"]["edition"]["description"],
            "enum": [x for e in ids for x in (e, int(e))],
        }},
        "$defs": defs,
    }
    branches: dict[str, Any] = {"$ref": f"#/$defs/edition-{default}"}
    for e in ids[1:]:
        branches = {
            "if": {"properties": {"edition": {"enum": [e, int(e)]}}, "required": ["edition"]},
            "then": {"$ref": f"#/$defs/edition-{e}"},
            "else": branches,
        }
    schema["allOf"] = [branches]
    return schema


def _with_builtin_extensions(edition: Edition) -> dict[str, Any]:
    """An edition's schema plus, as optional keys, the tables of the built-in extensions that
    apply to it — so an editor does not flag ``channels:`` in a file that enables one.
    (Validation itself uses the schema of the file's own, extended edition.)"""
    from pathlib import Path

    from gxgen import extensions

    schema = edition_schema(edition)
    for name in extensions.builtin_names():
        extended, problems = extensions.extend(edition, [extensions.Ref(name, Path("."))])
        if extended is None or problems:
            continue
        for key, table in extended.tables.items():
            if key not in edition.tables:
                entry = table_schema(table)
                entry["description"] += f"（扩展表，须在 extensions 中写 {name}）"
                schema["properties"][key] = entry
    return schema


def dumps() -> str:
    """The committed ``schema.json`` text (stable key order, UTF-8, trailing newline)."""
    return json.dumps(build(), ensure_ascii=False, indent=2) + "\n"


# --- validation -------------------------------------------------------------------------------


def validate(loaded: Loaded, edition: Edition) -> list[Finding]:
    return problems(loaded, edition)[0]


def problems(loaded: Loaded, edition: Edition) -> tuple[list[Finding], list[PathKey]]:
    """The schema's findings, and the places in the data they make unusable (for
    ``facts.build``, which leaves the figures there unknown and checks the rest)."""
    validator = _validator(edition)
    out: list[Finding] = []
    places: list[PathKey] = []
    for error in sorted(validator.iter_errors(loaded.data), key=lambda e: list(e.absolute_path)):
        out.extend(_findings(_deepest(error), loaded, edition))
        place = _unusable(error)
        if place:
            places.append(place)
    return out, places


def _unusable(error: jsonschema.ValidationError) -> PathKey:
    """What an error leaves unusable: a missing key; for an unknown key, the mapping it is in
    (a misspelt row or column would otherwise read as zeros), except at the top level; for
    anything else, the value at fault — all of it when no alternative of an ``anyOf`` fits."""
    found = fault(error)
    return (*found.path, *found.keys) if found.kind == "required" else found.path


def _deepest(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """Inside ``anyOf``, the error of the branch that fits the value (an overview item that
    is a mapping with a misspelt key), not "matches none of the alternatives": the branches
    whose type does not fit say only that, and are passed over."""
    while error.context:
        depth = len(error.absolute_path)
        fitting = [e for e in error.context if len(e.absolute_path) > depth
                   or e.validator not in ("type", "const", "enum")]
        if not fitting:
            break
        error = max(fitting, key=lambda e: (len(e.absolute_path),
                                            e.validator == "additionalProperties"))
    return error


_VALIDATORS: dict[int, tuple[Edition, jsonschema.Draft202012Validator]] = {}


def _validator(edition: Edition) -> jsonschema.Draft202012Validator:
    """One compiled validator per edition object (extensions make editions of their own).
    The entry keeps its edition alive, so the ``id`` cannot be reused by another."""
    entry = _VALIDATORS.get(id(edition))
    if entry is None or entry[0] is not edition:
        entry = (edition, validator(edition_schema(edition)))
        _VALIDATORS[id(edition)] = entry
    return entry[1]


def where(edition: Edition, path: PathKey) -> str:
    """A Chinese name for a place in the facts file: the statutory cell where there is one."""
    dotted = ".".join(str(p) for p in path if not isinstance(p, int))
    cell = edition.cells.get(dotted)
    if cell is None and path and isinstance(path[-1], int):
        cell = _list_cell(edition, path)
    if cell is not None:
        return edition.cell_name(cell)
    if path and path[0] in edition.tables:
        number, _ = edition.section_of(path[0])
        table = edition.tables[path[0]]
        under = [c for c in table.cells if c.path.startswith(dotted + ".")]
        rows = {c.row for c in under}
        name = under[0].row_label if len(rows) == 1 and under[0].row_label else ""
        name = name or table.shape.group_label(tuple(k for k in path[1:] if isinstance(k, str)))
        if not name and len(path) > 1:
            name = ".".join(str(p) for p in path[1:])
        return f"{number}{table.label}" + (f" {name}" if name else "")
    if not path:
        return "文件顶层"
    keys = ".".join(str(p) for p in path if not isinstance(p, int))
    label = edition.field_label(keys)
    if label == keys:
        label = edition.field_label(str(path[0]))
    index = next((p for p in path if isinstance(p, int)), None)
    return label + (f" 第{index + 1}项" if index is not None else "")


def _schema_of(error: jsonschema.ValidationError) -> dict[str, Any]:
    """The (sub)schema an error is about, as a mapping (a boolean schema has no properties)."""
    schema = error.schema
    return dict(schema) if isinstance(schema, dict) else {}


def _findings(error: jsonschema.ValidationError, loaded: Loaded,
              edition: Edition) -> list[Finding]:
    path: PathKey = tuple(error.absolute_path)
    file = loaded.file

    def finding(code: str, at: PathKey, key_mark: bool = False, rule: str = "schema",
                **params: Any) -> Finding:
        mark = loaded.marks.key(at) if key_mark else loaded.marks.value(at)
        return Finding(rule, "error", code, params, file,
                       mark.line if mark else None, mark.col if mark else None,
                       ".".join(str(p) for p in at) or None)

    found = fault(error)
    if found.kind == "additionalProperties":
        allowed = list(_schema_of(error).get("properties", {}))
        out = []
        for key in found.keys:
            match = closest(key, allowed)
            if match:
                out.append(finding("unknown_key", (*path, key), key_mark=True,
                                   where=where(edition, path), key=key, suggestion=match))
            else:
                out.append(finding("unknown_key_list", (*path, key), key_mark=True,
                                   where=where(edition, path), key=key,
                                   allowed=", ".join(allowed)))
        return out
    if found.kind == "required":
        key = found.keys[0]
        label = _schema_of(error).get("properties", {}).get(key, {}).get("title", key)
        return [finding("missing_key", path, where=where(edition, path), key=key, label=label)]
    if error.validator in ("minItems", "maxItems") and isinstance(error.instance, list):
        props = _schema_of(error).get("properties", {})
        plain = [k for k in props if not _is_total_key(k)]
        return [finding("bad_row_length", path, where=where(edition, path), n=len(plain),
                        m=len(props), columns="、".join(props[k]["title"] for k in plain),
                        actual=len(error.instance))]
    dotted = ".".join(str(p) for p in path if not isinstance(p, int))
    cell = edition.cells.get(dotted)
    if cell is None and path and isinstance(path[-1], int):
        cell = _list_cell(edition, path)
    actual = shown(error.instance)
    if cell is not None:
        expected = nested(EXPECTED[cell.value])
        if cell.na:
            expected = nested("expect_or_na", expected=expected)
        value = error.instance
        negative = isinstance(value, (int, Decimal)) and not isinstance(value, bool) and value < 0
        code = edition.tables[cell.table].code if cell.table in edition.tables else ""
        if _beyond_limit(error):
            return [finding("too_big", path, where=edition.cell_name(cell), actual=actual,
                            limit=error.validator_value)]
        rule = f"{code}-NONNEG" if negative and code else "schema"
        hinted, hint = _hinted(value)
        return [finding(hinted, path, rule=rule, where=edition.cell_name(cell),
                        expected=expected, actual=actual, hint=hint)]
    code, hint = _hinted(error.instance)
    return [finding(code, path, where=where(edition, path), expected=_expected(_schema_of(error)),
                    actual=actual, hint=hint)]


_FULLWIDTH_DIGITS = re.compile("[０-９]")
_KEY_FULLWIDTH_COLON = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*：")


def _hinted(value: Any) -> tuple[str, dict[str, Any] | str]:
    """``bad_value``, or ``bad_value_hint`` with what the author most likely typed: digits
    from the Chinese IME's full-width mode (１２), or ``key：value`` read as one text."""
    if not isinstance(value, str):
        return "bad_value", ""
    if _FULLWIDTH_DIGITS.search(value):
        code, params = "hint_fullwidth_digits", {
            "ascii": unicodedata.normalize("NFKC", value.strip())}
    elif match := _KEY_FULLWIDTH_COLON.match(value):
        code, params = "hint_fullwidth_colon", {"key": match.group(1)}
    else:
        return "bad_value", ""
    return "bad_value_hint", nested(code, **params)


def _beyond_limit(error: jsonschema.ValidationError) -> bool:
    """A figure past ``MAX_COUNT`` or ``MAX_WAN_YUAN`` (not a negative count: that is
    ``*-NONNEG``)."""
    bound = error.validator_value
    return error.validator == "maximum" or (
        error.validator == "minimum" and isinstance(bound, (int, float)) and bound < 0)


def _is_total_key(key: str) -> bool:
    return key == editions.TOTAL_KEY


def _list_cell(edition: Edition, path: PathKey):
    """The cell of a row given as a list: ``applications.new[2]`` → ``…new.research``."""
    base = ".".join(str(p) for p in path[:-1])
    prefix = base + "."
    candidates = [c for p, c in edition.cells.items() if p.startswith(prefix)
                  and p.count(".") == base.count(".") + 1]
    index = path[-1]
    return candidates[index] if 0 <= index < len(candidates) else None




def _expected(schema: dict[str, Any]) -> dict[str, Any]:
    kinds = schema.get("type")
    if "anyOf" in schema and kinds is None:
        kinds = [s.get("type") for s in schema["anyOf"] if s.get("type")]
    if isinstance(kinds, str):
        kinds = [kinds]
    if "enum" in schema:
        return nested("expect_one_of", choices="、".join(str(c) for c in schema["enum"]))
    na = schema.get("pattern") == f"^{NA}$"
    if "pattern" in schema and not na:
        return nested("expect_date")
    if "minimum" in schema and kinds and "integer" in kinds:
        low, high = schema["minimum"], schema.get("maximum")
        if high is not None:
            return nested("expect_int_range", low=str(low), high=str(high))
        return nested("expect_int_min", low=str(low))
    if schema.get("minLength"):
        return nested("expect_nonempty_text")
    kinds = [k for k in (kinds or []) if k != "null" and not (na and k == "string")]
    expected = type_names(kinds) if kinds else nested("expect_valid")
    return nested("expect_or_na_comma", expected=expected) if na else expected

