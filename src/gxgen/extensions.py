"""Extension tables: provincial statistics tables, declared as data and added to an edition.

A definition file (``editions/extensions/zhejiang.yaml`` is the built-in example) holds table
definitions in exactly the form of the built-in editions' ``tables:`` and says where they go:
first (or last) in an existing section, or as a new section after a named one, the later
sections' numbers shifting. A facts file asks for them with ``extensions: [zhejiang]`` or a
path relative to itself; ``gxgen validate/render --extension FILE`` adds more.

Definitions are read with ``gxgen.loader`` (line marks, duplicate keys refused), checked
against ``editions/extension.schema.json`` and then for what a schema cannot say (row keys
unique, checks naming real cells, every table placed once), so a mistake in a definition is
one Chinese line naming the definition file and line, never a traceback.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from gxgen import files, kinds, loader
from gxgen.editions import Edition, Section, TableSpec, table_from_data
from gxgen.findings import Finding
from gxgen.loader import Marks, PathKey
from gxgen.messages import did_you_mean, listed, nested
from gxgen.schema_faults import Fault, fault, validator
from gxgen.shown import show, type_names

RULE = "extension"
SUFFIXES = (".yaml", ".yml")
MAX_CELLS = 10_000
"""Figures one extension table may hold. Provincial tables have a few dozen; the bound is
checked from the definition's rows and columns before the table is laid out, so a
1 990 × 1 990 matrix (4 million cells, 5 GB) is refused at once instead."""
MAX_DEFINITION_CELLS = 2 * MAX_CELLS
"""Figures all tables of one definition file may hold together."""
RESERVED_KEYS = ("text",)
"""Keys a table's facts use for themselves (``text``: the words printed before the table),
which no row or column of an extension table may take."""
_PACKAGE = resources.files("gxgen.editions")


@dataclass(frozen=True)
class Ref:
    """One request for an extension: its text (a built-in name or a path), the folder a
    relative path is read from, and where the request was written (to blame it)."""

    text: str
    base: Path
    file: str = ""
    line: int | None = None
    col: int | None = None


@dataclass(frozen=True)
class Placement:
    key: str
    tables: tuple[str, ...]
    title: str | None = None
    after: str | None = None
    last: bool = False
    index: int = 0
    """Position in the definition's ``sections`` list (for line marks)."""


@dataclass(frozen=True)
class Extension:
    """A checked definition file, not yet applied to an edition."""

    name: str
    file: str
    digest: str
    editions: tuple[str, ...]
    tables: tuple[tuple[str, TableSpec], ...]
    placements: tuple[Placement, ...]
    titles: tuple[tuple[str, str], ...]
    marks: Marks


@functools.cache
def definition_schema() -> dict[str, Any]:
    """The JSON Schema of a definition file (``editions/extension.schema.json``)."""
    return json.loads(_PACKAGE.joinpath("extension.schema.json").read_text("utf-8"))


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    return validator(definition_schema())


def builtin_names() -> list[str]:
    """The extensions shipped with gxgen (``zhejiang``)."""
    folder = _PACKAGE.joinpath("extensions")
    return sorted(p.name.rsplit(".", 1)[0] for p in folder.iterdir()
                  if p.name.endswith(SUFFIXES))


def is_path(text: str) -> bool:
    """A reference is a file path when it has a folder separator or a YAML suffix."""
    return "/" in text or "\\" in text or text.lower().endswith(SUFFIXES)


# --- reading a definition ---------------------------------------------------------------------


def parse(raw: bytes, display: str) -> tuple[Extension | None, list[Finding]]:
    """Read and check one definition file's bytes; ``display`` names it in findings. A file
    read again with the same bytes is not checked again."""
    ext, findings = _parse(raw, display)
    return ext, list(findings)


@functools.lru_cache(maxsize=64)
def _parse(raw: bytes, display: str) -> tuple[Extension | None, list[Finding]]:
    try:
        loaded = loader.loads(raw, display)
    except loader.LoadError as exc:
        return None, [exc.finding]
    problems = _Problems(display, loaded.marks, loaded.data)
    if not _sized(problems, loaded.data):
        return None, problems.findings
    errors = sorted(_validator().iter_errors(loaded.data), key=lambda e: _line(loaded.marks, e))
    for error in errors:
        problems.schema_error(error)
    if problems.findings:
        return None, problems.findings
    data = loaded.data
    tables = []
    for key, tdata in data["tables"].items():
        spec = _table(problems, key, tdata)
        if spec is not None:
            tables.append((key, spec))
    placements = _placements(problems, data)
    if problems.findings:
        return None, problems.findings
    return Extension(
        name=data["extension"],
        file=display,
        digest=hashlib.sha256(raw).hexdigest(),
        editions=tuple(data.get("editions") or ()),
        tables=tuple(tables),
        placements=placements,
        titles=tuple((t["table"], t["title"]) for t in data.get("titles") or ()),
        marks=loaded.marks,
    ), []


def _line(marks: Marks, error: jsonschema.ValidationError) -> tuple[int, int]:
    mark = marks.value(tuple(error.absolute_path))
    return (mark.line, mark.col) if mark else (0, 0)


def _where(path: PathKey) -> str:
    """``tables.channels.rows.第4项.unit``: the place in the definition, items counted from 1."""
    parts = [f"第{p + 1}项" if isinstance(p, int) else str(p) for p in path]
    return ".".join(parts) or "文件顶层"


_PATTERNS = {
    "^[a-z][a-z0-9_]*$": "pattern_key",
    "^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$": "pattern_rule",
    "^[0-9]{4}$": "pattern_edition",
}
"""The patterns of the definition schema, as messages name what they allow."""


class _Problems:
    """Collects definition findings, each at the line of the offending key or value."""

    def __init__(self, file: str, marks: Marks, data: Any = None):
        self.file = file
        self.marks = marks
        self.findings: list[Finding] = []
        self.data = data
        tables = data.get("tables") if isinstance(data, dict) else None
        self.kinds: dict[PathKey, str] = {
            ("tables", k): str(v.get("kind"))
            for k, v in (tables.items() if isinstance(tables, dict) else ())
            if isinstance(v, dict)
        }

    def add(self, path: PathKey, code: str, on_key: bool = False,
            where: PathKey | None = None, **params: Any) -> None:
        """One finding at ``path`` (its key's position with ``on_key``), named by ``where``:
        the message ``code`` says the problem."""
        mark = self.marks.key(path) if on_key else self.marks.value(path)
        name = _where(path if where is None else where)
        self.findings.append(Finding(
            RULE, "error", "ext_definition", {"where": name, "problem": nested(code, **params)},
            self.file, mark.line if mark else None, mark.col if mark else None, _where(path)))

    def dup(self, seen: dict[str, PathKey], key: str, path: PathKey, what: str) -> None:
        _dup(self, seen, key, path, what)

    def _locate_false(self, path: PathKey, instance: Any) -> PathKey:
        """jsonschema reports a ``false`` property schema at the enclosing object; the key
        is the one holding that very value."""
        node = self.data
        for part in path:
            node = node[part]
        if isinstance(node, dict):
            for key, value in node.items():
                if value is instance:
                    return (*path, key)
        return path

    def schema_error(self, error: jsonschema.ValidationError) -> None:
        found = fault(error)
        path, kind, value, schema = found.path, found.kind, found.value, found.schema
        if kind == "additionalProperties":
            allowed = list(schema.get("properties", {}))
            for extra in found.keys:
                self.add((*path, extra), "ext_unknown_key", on_key=True, where=path, key=extra,
                         hint=did_you_mean(extra, allowed, "allowed_keys"))
            return
        if kind is None or schema is False:
            kind_name = self.kinds.get(path[:2], "?")
            path = self._locate_false(path, value)
            self.add(path, "ext_kind_no_key", on_key=True, kind=kind_name)
            return
        if kind == "required":
            self.add(path, "ext_missing_key", key=found.keys[0])
            return
        self._value_error(found, error.message)

    def _value_error(self, found: Fault, said: str) -> None:
        """A value of the wrong shape; ``said`` is jsonschema's own words, for a keyword
        no message here names."""
        path, kind, value, schema = found.path, found.kind, found.value, found.schema
        shown = show(value)
        if kind in ("enum", "const"):
            choices = schema.get("enum") or [schema.get("const")]
            self.add(path, "ext_one_of", names="、".join(show(c).strip("“”") for c in choices),
                     choices=", ".join(map(str, choices)), shown=shown)
        elif kind == "type":
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            self.add(path, "ext_expected", expected=type_names(types), shown=shown)
        elif kind == "pattern":
            pattern = schema["pattern"]
            expected = nested(_PATTERNS[pattern]) if pattern in _PATTERNS else pattern
            self.add(path, "ext_expected", expected=expected, shown=shown)
        elif kind in ("minItems", "maxItems") and isinstance(value, list):
            low, high = schema.get("minItems"), schema.get("maxItems")
            code = ("ext_items_exactly" if low is not None and low == high
                    else "ext_items_at_least" if kind == "minItems" else "ext_items_at_most")
            self.add(path, code, low=low, high=high, n=len(value))
        elif kind in ("minLength", "minProperties"):
            self.add(path, "ext_empty")
        elif kind == "uniqueItems":
            self.add(path, "ext_repeated")
        elif kind in ("exclusiveMinimum", "minimum", "maximum"):
            sign = {"exclusiveMinimum": ">", "minimum": "≥", "maximum": "≤"}[kind]
            self.add(path, "ext_bound", sign=sign, bound=str(schema[kind]), shown=shown)
        elif kind == "propertyNames":
            self.add((*path, value) if isinstance(value, str) else path, "ext_table_key",
                     on_key=True, expected=nested(_PATTERNS["^[a-z][a-z0-9_]*$"]), shown=shown)
        elif kind == "anyOf" and path[-1:] == ("total",):
            self.add(path, "ext_total", shown=shown)
        else:
            self.add(path, "ext_invalid", shown=shown, said=said)



# --- what a schema cannot say ---------------------------------------------------------------


def _dup(problems: _Problems, seen: dict[str, PathKey], key: str, path: PathKey,
         what: str) -> None:
    """Record ``key`` at ``path``; a second use in the same namespace is an error."""
    if key in seen:
        first = problems.marks.value(seen[key])
        line = nested("line_n", line=first.line) if first else _where(seen[key])
        problems.add(path, "ext_dup", what=what, key=key, line=line, first=_where(seen[key]))
    else:
        seen[key] = path




def _cell_count(data: Any) -> int:
    """The figures a table declares, counted from its definition without laying it out (or
    checking it: whatever its shape, this only counts; an unknown kind, which the schema
    refuses, counts none)."""
    kind = kinds.find(data.get("kind")) if isinstance(data, dict) else None
    return kind.count_cells(data) if kind else 0


def _sized(problems: _Problems, data: Any) -> bool:
    """No table past ``MAX_CELLS`` and no definition past ``MAX_DEFINITION_CELLS`` figures,
    checked before the schema (whose check of a huge table is itself slow)."""
    tables = data.get("tables") if isinstance(data, dict) else None
    if not isinstance(tables, dict):
        return True
    counts = {key: _cell_count(table) for key, table in tables.items()}
    for key, cells in counts.items():
        if cells > MAX_CELLS:
            problems.add(("tables", key), "ext_table_cells", on_key=True, cells=cells,
                         limit=MAX_CELLS)
    total = sum(counts.values())
    if not problems.findings and total > MAX_DEFINITION_CELLS:
        problems.add(("tables",), "ext_tables_cells", on_key=True, cells=total,
                     limit=MAX_DEFINITION_CELLS)
    return not problems.findings


def _fits(problems: _Problems, base: PathKey, data: dict[str, Any]) -> bool:
    """No row (or column of a table without rows) taking a reserved key."""
    for path, name in kinds.get(data["kind"]).top_keys(data):
        if name in RESERVED_KEYS:
            problems.add((*base, *path), "ext_reserved", key=name)
            return False
    return True


def _table(problems: _Problems, key: str, data: dict[str, Any]) -> TableSpec | None:
    base: PathKey = ("tables", key)
    before = len(problems.findings)
    kinds.get(data["kind"]).check(problems, base, data)
    if len(problems.findings) > before:
        return None
    if not _fits(problems, base, data):
        return None
    try:
        spec = table_from_data(key, data)
        _ = spec.cell_index  # laying out the cells is what may fail
    except (ValueError, KeyError, TypeError) as exc:
        problems.add(base, "ext_layout", reason=str(exc))
        return None
    _cell_refs(problems, base, data, spec)
    _row_refs(problems, base, data, spec)
    width = spec.shape.grid_columns()
    if spec.widths and len(spec.widths) != width:
        problems.add((*base, "widths"), "ext_widths", width=width, n=len(spec.widths))
    return spec if len(problems.findings) == before else None


def _cell_refs(problems: _Problems, base: PathKey, data: dict[str, Any],
               spec: TableSpec) -> None:
    """Every cell a check or the stock rule names exists."""
    key, cells = spec.key, spec.cell_index
    refs = sorted(p.split(".", 1)[1] for p in cells)
    for i, chk in enumerate(data.get("checks") or ()):
        named = [(("left",), chk["left"])] + [(("right", j), r) for j, r in enumerate(chk["right"])]
        for where, ref in named:
            if f"{key}.{ref}" not in cells:
                problems.add((*base, "checks", i, *where), "ext_no_cell", ref=ref,
                             hint=did_you_mean(ref, refs))
    if spec.stock:
        for j, row in enumerate(spec.stock.rows):
            for part in ("stock", "added", "removed"):
                ref = f"{row}.{getattr(spec.stock, part)}"
                if f"{key}.{ref}" not in cells:
                    problems.add((*base, "stock", "rows", j), "ext_no_cell", ref=ref,
                                 hint=did_you_mean(ref, refs))


def _row_refs(problems: _Problems, base: PathKey, data: dict[str, Any], spec: TableSpec) -> None:
    """Every row the balance or carry rule names exists."""
    row_paths = sorted({".".join(c.row) for c in spec.cells})
    named_rows: list[tuple[PathKey, str]] = []
    if spec.balance:
        named_rows += [((*base, "balance", side, j), r) for side in ("left", "right")
                       for j, r in enumerate(data["balance"][side])]
    if spec.carry:
        named_rows += [((*base, "carry", k), data["carry"][k]) for k in ("into", "from")]
    for path, ref in named_rows:
        if ref not in row_paths:
            problems.add(path, "ext_no_row", ref=ref, hint=did_you_mean(ref, row_paths))


def _placements(problems: _Problems, data: dict[str, Any]) -> tuple[Placement, ...]:
    placed: dict[str, int] = {}
    out = []
    for i, entry in enumerate(data["sections"]):
        for j, table in enumerate(entry["tables"]):
            if table not in data["tables"]:
                problems.add(("sections", i, "tables", j), "ext_undefined_table", table=table,
                             hint=did_you_mean(table, data["tables"]))
            elif table in placed:
                first = placed[table] + 1
                problems.add(("sections", i, "tables", j), "ext_placed_twice", table=table,
                             first=first)
            else:
                placed[table] = i
        out.append(Placement(key=entry["key"], tables=tuple(entry["tables"]),
                             title=entry.get("title"), after=entry.get("after"),
                             last=entry.get("position") == "last", index=i))
    undefined = any(t not in data["tables"] for e in data["sections"] for t in e["tables"])
    for table in data["tables"]:
        if table not in placed and not undefined:
            problems.add(("tables", table), "ext_not_placed", on_key=True, table=table)
    return tuple(out)


# --- applying to an edition -------------------------------------------------------------------


def apply(edition: Edition, ext: Extension, ref: Ref) -> tuple[Edition | None, list[Finding]]:
    """``edition`` with ``ext``'s tables in place; findings when they do not fit it."""
    if ext.editions and edition.id not in ext.editions:
        return None, [Finding(RULE, "error", "ext_edition",
                              {"name": ref.text, "editions": "、".join(ext.editions),
                               "edition": edition.id, "file": ext.file},
                              ref.file, ref.line, ref.col, "extensions")]
    problems = _Problems(ext.file, ext.marks)
    for key, _ in ext.tables:
        if key in edition.tables:
            problems.add(("tables", key), "ext_table_taken", on_key=True, key=key)
        elif key in edition.fields:
            problems.add(("tables", key), "ext_field_taken", on_key=True, key=key,
                         label=edition.field_label(key))
    result = _retitle(_place(edition, ext, problems), ext, problems)
    if problems.findings:
        return None, problems.findings
    own = edition.own_labels
    if is_path(ref.text):
        own = own.union(*(t.labels() for _, t in ext.tables),
                        (p.title for p in ext.placements if p.title), (t for _, t in ext.titles))
    return replace(result, extensions=(*edition.extensions, ref.text), own_labels=own), []


def _place(edition: Edition, ext: Extension, problems: _Problems) -> Edition:
    """``edition`` with each of ``ext``'s placements made: tables added to an existing
    section, or a new section after the one named."""
    specs = dict(ext.tables)
    result = edition
    for place in ext.placements:
        keys = [s.key for s in result.sections]
        here: PathKey = ("sections", place.index)
        subset = {t: specs[t] for t in place.tables}
        if place.key in keys:
            extra = [k for k in ("title", "after") if getattr(place, k)]
            if extra:
                title = result.sections[keys.index(place.key)].title
                problems.add((*here, extra[0]), "ext_existing_section", on_key=True,
                             section=place.key, title=title, extra=listed(extra))
                continue
            result = result.with_tables("", Section(place.key, "", tables=place.tables), subset,
                                        in_section=place.key, last=place.last)
            continue
        missing = [k for k in ("title", "after") if not getattr(place, k)]
        if missing:
            problems.add(here, "ext_new_section", section=place.key, keys=listed(keys),
                         missing=listed(missing))
        elif place.after not in keys:
            problems.add((*here, "after"), "ext_no_section", section=place.after,
                         hint=did_you_mean(place.after or "", keys))
        else:
            result = result.with_tables(place.after or "",
                                        Section(place.key, place.title or "", tables=place.tables),
                                        subset)
    return result


def _retitle(edition: Edition, ext: Extension, problems: _Problems) -> Edition:
    """``ext``'s ``titles:``: a title over a table that already exists."""
    result = edition
    for i, (table, title) in enumerate(ext.titles):
        if table not in result.tables:
            problems.add(("titles", i, "table"), "ext_no_table", table=table,
                         hint=did_you_mean(table, result.tables))
            continue
        tables = dict(result.tables)
        tables[table] = replace(tables[table], title=title)
        result = replace(result, tables=tables)
    return result


_APPLIED: dict[tuple[int, tuple[tuple[str, str], ...]], tuple[Edition, Edition]] = {}
"""Extended editions by (base edition, applied definitions): one object per combination, so
the schema validator compiled for it is reused across files. The entry keeps its base alive."""


def extend(edition: Edition, refs: Iterable[Ref]) -> tuple[Edition | None, list[Finding]]:
    """``edition`` with every referenced extension applied in order (a file asked for twice
    is applied once). ``None`` with the findings when any reference or definition is wrong."""
    findings: list[Finding] = []
    current: Edition | None = edition
    chain: tuple[tuple[str, str], ...] = ()
    seen: set[str] = set()
    for ref in refs:
        located = _locate(ref)
        if isinstance(located, Finding):
            findings.append(located)
            continue
        raw, display, identity = located
        if identity in seen:
            continue
        seen.add(identity)
        ext, problems = parse(raw, display)
        findings += problems
        if ext is None or current is None:
            continue
        chain = (*chain, (ext.digest, ref.text))
        cached = _APPLIED.get((id(edition), chain))
        if cached is not None and cached[0] is edition:
            current = cached[1]
            continue
        current, problems = apply(current, ext, ref)
        findings += problems
        if current is not None:
            _APPLIED[(id(edition), chain)] = (edition, current)
    if findings:
        return None, findings
    return current, []


def _locate(ref: Ref) -> tuple[bytes, str, str] | Finding:
    """The definition's bytes, its display name and an identity (to apply it only once)."""
    text = ref.text.strip()
    if not is_path(text):
        names = builtin_names()
        if text not in names:
            return Finding(RULE, "error", "ext_unknown",
                           {"name": text, "choices": "、".join(names)},
                           ref.file, ref.line, ref.col, "extensions")
        name = f"{text}.yaml"
        raw = _PACKAGE.joinpath("extensions").joinpath(name).read_bytes()
        return raw, f"extensions/{name}", f"builtin:{text}"
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = ref.base / path
    try:
        raw = files.read_regular(path, loader.MAX_BYTES)
    except files.Refused as exc:
        if exc.code == "not_found":
            return Finding(RULE, "error", "ext_not_found", {"path": str(path)},
                           ref.file, ref.line, ref.col, "extensions")
        return Finding(RULE, "error", "ext_unreadable",
                       {"path": str(path), "reason": nested(exc.code, **exc.params)},
                       ref.file, ref.line, ref.col, "extensions")
    return raw, str(path), str(path.resolve())


def refs_from(data: Any, marks: Marks, file: str, base: Path) -> list[Ref]:
    """The ``extensions:`` list of a loaded facts file as references (nothing when it is not
    a list of texts: the facts schema reports that)."""
    raw = data.get("extensions") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        return []
    out = []
    for i, text in enumerate(raw):
        mark = marks.value(("extensions", i))
        out.append(Ref(text, base, file, mark.line if mark else None, mark.col if mark else None))
    return out

