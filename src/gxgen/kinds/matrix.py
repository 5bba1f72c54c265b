"""``matrix``: a grid of row tree × column tree, totals as leaves (2021's 申请 table).

The header comes from the column tree (a leaf spans down to the last header row, a group
spans its leaves), the stub from the row tree (a group spans its leaves' rows, a leaf spans
right to the values). A table without rows has one unlabelled row (复议/诉讼).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from gxgen.document import Cell, Table
from gxgen.kinds.base import (
    CellSpec,
    Figures,
    Labels,
    Line,
    Node,
    PathKey,
    Problems,
    Put,
    SchemaParts,
    Spec,
    TableKind,
    Value,
    items,
    parse_value,
    title,
    value_cell,
    widths,
)


def _leaves(nodes: tuple[Node, ...]) -> list[tuple[tuple[Node, ...], Node]]:
    return [pair for node in nodes for pair in node.leaves()]


def _keys(chain: tuple[Node, ...], leaf: Node) -> tuple[str, ...]:
    return tuple(n.key for n in (*chain, leaf) if n.key)


def _col_name(chain: tuple[Node, ...], leaf: Node) -> str:
    """A column's name for messages: keyed group names + the leaf (``行政复议·总计``)."""
    named = [n.name for n in chain if n.key]
    return "·".join((*named, leaf.name))


def _depth(nodes: tuple[Node, ...]) -> int:
    return max((1 + _depth(n.children) for n in nodes), default=0)


def _count(node: Node) -> int:
    return sum(1 for _ in node.leaves())


def _node(data: dict[str, Any]) -> Node:
    total = data.get("total")
    return Node(
        label=data["label"],
        key=data.get("key"),
        short=data.get("short"),
        total=(data.get("total_rule") or None) if total is None else total,
        children=tuple(_node(c) for c in data.get("children", ())),
    )


def _fix_total(nodes: tuple[Node, ...]) -> tuple[Node, ...]:
    """``total: true`` leaves become ``total: <rule of the nearest group with total_rule>``."""

    def walk(node: Node, rule: str | None) -> Node:
        if node.children:
            inherited = node.total if isinstance(node.total, str) else rule
            children = tuple(walk(c, inherited) for c in node.children)
            return replace(node, total=None, children=children)
        if node.total is True:
            if not rule:
                raise ValueError(f"total {node.label!r} has no total_rule above it")
            return replace(node, total=rule)
        return node

    return tuple(walk(n, None) for n in nodes)


def _rule(chain: tuple[Node, ...], leaf: Node) -> str:
    if isinstance(leaf.total, str):
        return leaf.total
    for node in reversed(chain):
        if node.total:
            return node.total
    raise ValueError(f"total {leaf.label!r} has no rule id")


def _siblings(roots: tuple[Node, ...], chain: tuple[Node, ...],
              leaf: Node) -> list[tuple[tuple[Node, ...], Node]]:
    """The non-total leaves under the total's parent group (the parts it sums)."""
    scope = _leaves(chain[-1].children) if chain else _leaves(roots)
    return [(chain + ch, lf) for ch, lf in scope if not lf.total]


@dataclass(frozen=True)
class Matrix(TableKind):
    name: ClassVar[str] = "matrix"
    columns: tuple[Node, ...]
    rows: tuple[Node, ...] = ()
    value: str = "count"
    corner: str | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Matrix:
        return cls(
            columns=_fix_total(tuple(_node(c) for c in data.get("columns", ()))),
            rows=_fix_total(tuple(_node(r) for r in data.get("rows", ()))),
            value=data.get("value", "count"),
            corner=data.get("corner"),
        )

    def cells(self, table: Spec) -> Iterator[CellSpec]:
        row_leaves = _leaves(self.rows) or [((), Node(label=""))]
        for rchain, rleaf in row_leaves:
            for cchain, cleaf in _leaves(self.columns):
                yield self._cell(table.key, rchain, rleaf, cchain, cleaf)

    def _cell(self, key: str, rchain: tuple[Node, ...], rleaf: Node,
              cchain: tuple[Node, ...], cleaf: Node) -> CellSpec:
        rkeys, ckeys = _keys(rchain, rleaf), _keys(cchain, cleaf)
        sums = []
        if rleaf.total:
            sums.append((_rule(rchain, rleaf), tuple(
                ".".join((key, *_keys(ch, lf), *ckeys))
                for ch, lf in _siblings(self.rows, rchain, rleaf))))
        if cleaf.total:
            sums.append((_rule(cchain, cleaf), tuple(
                ".".join((key, *rkeys, *_keys(ch, lf)))
                for ch, lf in _siblings(self.columns, cchain, cleaf))))
        return CellSpec(
            path=".".join((key, *rkeys, *ckeys)),
            table=key,
            row=rkeys,
            col=ckeys,
            value=self.value,
            row_label=rleaf.name,
            col_label=cleaf.name if not cchain else _col_name(cchain, cleaf),
            sums=tuple(sums),
        )

    def labels(self) -> set[str | None]:
        out: set[str | None] = {self.corner}

        def nodes(items: tuple[Node, ...]) -> None:
            for node in items:
                out.update((node.label, node.short))
                nodes(node.children)

        nodes(self.columns)
        nodes(self.rows)
        return out

    def schema(self, table: Spec, parts: SchemaParts) -> dict[str, Any]:
        if self.rows:
            return self._rows_schema(self.rows, parts)
        return self._columns_schema(self.columns, table.label, table.label, parts)["properties"]

    def _columns_schema(self, nodes: tuple[Node, ...], title: str, desc: str,
                        parts: SchemaParts) -> dict[str, Any]:
        """The value of one row: a mapping following the keyed column tree, or — where all
        children are leaves — a list in column order (totals last and optional)."""
        props: dict[str, Any] = {}
        flat: list[Node] = []

        def collect(ns: tuple[Node, ...]) -> None:
            for n in ns:
                if n.key and n.children:
                    props[n.key] = self._columns_schema(n.children, n.label,
                                                        f"{desc} {n.label}", parts)
                elif n.children:
                    collect(n.children)
                else:
                    flat.append(n)
                    props[str(n.key)] = parts.value(self.value, False, n.label,
                                                    f"{desc} {n.label}")

        collect(nodes)
        listed = bool(flat) and len(flat) == len(props)
        schema: dict[str, Any] = {
            "title": title,
            "description": desc,
            "type": ["object", "array"] if listed else "object",
            "properties": props,
            "additionalProperties": False,
        }
        if listed:
            plain = [n for n in flat if not n.total]
            schema["items"] = parts.item(self.value)
            schema["minItems"] = len(plain)
            schema["maxItems"] = len(flat)
        return schema

    def _rows_schema(self, nodes: tuple[Node, ...], parts: SchemaParts) -> dict[str, Any]:
        props: dict[str, Any] = {}
        for n in nodes:
            if n.key and n.children:
                props[n.key] = parts.obj(n.label, n.label, self._rows_schema(n.children, parts))
            elif n.children:
                props.update(self._rows_schema(n.children, parts))
            else:
                props[str(n.key)] = self._columns_schema(self.columns, n.label, n.label, parts)
        return props

    def read_facts(self, table: Spec, raw: dict[str, Any], put: Put) -> None:
        _read_rows(put, self.columns, self.rows or (Node(label=""),), raw, (table.key,),
                   table.key)

    def _col_paths(self) -> list[str]:
        return [".".join(k for k in (*[n.key for n in chain], leaf.key) if k)
                for node in self.columns for chain, leaf in node.leaves()]

    def layout(self, table: Spec, value: Callable[[str], Value], conv: Labels) -> Table:
        col_depth = _depth(self.columns)
        stub = _depth(self.rows)
        header = self._header(col_depth, stub, conv)
        col_paths = self._col_paths()
        body: list[tuple[Cell, ...]] = []

        def values(prefix: str) -> list[Cell]:
            return [value_cell(value(f"{prefix}.{c}"), f"{prefix}.{c}") for c in col_paths]

        def stubs(nodes: tuple[Node, ...], depth: int, prefix: str, pending: list[Cell]) -> None:
            for node in nodes:
                path = f"{prefix}.{node.key}" if node.key else prefix
                if node.children:
                    group = Cell(conv.label(node.label), "stub", rowspan=_count(node))
                    stubs(node.children, depth + 1, path, [*pending, group])
                else:
                    leaf = Cell(conv.label(node.label), "stub", colspan=stub - depth)
                    body.append((*pending, leaf, *values(path)))
                pending = []

        if self.rows:
            stubs(self.rows, 0, table.key, [])
        else:
            body.append(tuple(values(table.key)))
        rows = tuple(tuple(r) for r in header) + tuple(body)
        cols = stub + len(col_paths)
        return Table(table.key, cols, rows, col_depth, widths(table, cols), title(table, conv))

    def _header(self, col_depth: int, stub: int, conv: Labels) -> list[list[Cell]]:
        header: list[list[Cell]] = [[] for _ in range(col_depth)]
        if stub:
            header[0].append(Cell(conv.label(self.corner or ""), "corner", rowspan=col_depth,
                                  colspan=stub))

        def heads(nodes: tuple[Node, ...], depth: int) -> None:
            for node in nodes:
                if node.children:
                    header[depth].append(Cell(conv.label(node.label), "header",
                                              colspan=_count(node)))
                    heads(node.children, depth + 1)
                else:
                    header[depth].append(Cell(conv.label(node.label), "header",
                                              rowspan=col_depth - depth))

        heads(self.columns, 0)
        return header

    def read_back(self, table: Spec, grid: Table) -> dict[str, Value]:
        col_paths = self._col_paths()
        body = grid.rows[_depth(self.columns):]
        row_paths = [".".join((table.key, *_keys(ch, lf)))
                     for ch, lf in _leaves(self.rows)] or [table.key]
        out: dict[str, Value] = {}
        for prefix, row in zip(row_paths, body, strict=True):
            for col, cell in zip(col_paths, row[len(row) - len(col_paths):], strict=True):
                out[f"{prefix}.{col}"] = parse_value(cell.text, self.value)
        return out

    def scaffold(self, table: Spec, figures: Figures, line: Line) -> list[str]:
        if not self.rows:
            return _column_groups(self.columns, table.key, figures, 2, line)
        leaves = [leaf for n in self.columns for _, leaf in n.leaves()]
        shown = leaves if figures.totals else [leaf for leaf in leaves if not leaf.total]
        totals = [leaf for leaf in leaves if leaf.total]
        names = ", ".join(leaf.label for leaf in shown)
        extra = "" if figures.totals or not totals else \
            f"（{'、'.join(t.label for t in totals)}可省略，自动计算）"
        width = max(len(figures(c.path)) for c in self.cells(table))
        return [f"  # 每行依次填：{names}{extra}",
                *_rows(self.rows, [leaf.key for leaf in shown], table.key, figures, width, 2,
                       line)]

    def row_name(self, key: str) -> str | None:
        node = _find(self.rows, key)
        return node.name if node else None

    def row_groups(self) -> dict[tuple[str, ...], str]:
        return _groups(self.rows, ())

    def group_label(self, keys: tuple[str, ...]) -> str:
        return _node_label((*self.rows, *self.columns), keys)

    def grid_columns(self) -> int:
        return _depth(self.rows) + sum(1 for n in self.columns for _ in n.leaves())

    @classmethod
    def count_cells(cls, data: dict[str, Any]) -> int:
        return max(1, _leaf_count(items(data, "rows"))) * _leaf_count(items(data, "columns"))

    @classmethod
    def top_keys(cls, data: dict[str, Any]) -> list[tuple[PathKey, str]]:
        def keys(nodes: list[Any], path: PathKey) -> list[tuple[PathKey, str]]:
            out = []
            for i, node in enumerate(nodes):
                if node.get("key") is not None:
                    out.append(((*path, i, "key"), node["key"]))
                elif node.get("children"):
                    out += keys(node["children"], (*path, i, "children"))
            return out

        if data.get("rows"):
            return keys(data["rows"], ("rows",))
        return keys(data["columns"], ("columns",))

    @classmethod
    def check(cls, problems: Problems, base: PathKey, data: dict[str, Any]) -> None:
        _check_nodes(problems, data["columns"], (*base, "columns"), None, {})
        _check_nodes(problems, data.get("rows") or [], (*base, "rows"), None, {})


def _find(nodes: tuple[Node, ...], key: str) -> Node | None:
    for node in nodes:
        if node.key == key:
            return node
        found = _find(node.children, key)
        if found:
            return found
    return None


def _groups(nodes: tuple[Node, ...], keys: tuple[str, ...]) -> dict[tuple[str, ...], str]:
    out: dict[tuple[str, ...], str] = {}
    for node in nodes:
        here = (*keys, node.key) if node.key else keys
        if node.children and node.key:
            out[here] = node.name
        out.update(_groups(node.children, here))
    return out


def _node_label(nodes: tuple[Node, ...], keys: tuple[str, ...]) -> str:
    """The label of the keyed row or column group at ``keys`` (``withheld`` → （三）不予公开)."""
    if not keys:
        return ""
    for node in nodes:
        if node.key == keys[0]:
            return node.label if len(keys) == 1 else _node_label(node.children, keys[1:])
        if not node.key and node.children:
            found = _node_label(node.children, keys)
            if found:
                return found
    return ""


def _leaf_count(nodes: list[Any]) -> int:
    return sum(_leaf_count(items(n, "children")) or 1 for n in nodes)


def _check_nodes(problems: Problems, nodes: list[Any], path: PathKey, rule: str | None,
                 seen: dict[str, PathKey]) -> None:
    """Keys unique where they share a facts path (unkeyed groups are transparent), every leaf
    keyed, and every ``total: true`` under a ``total_rule``."""
    for i, node in enumerate(nodes):
        here = (*path, i)
        key = node.get("key")
        if key is not None:
            problems.dup(seen, key, (*here, "key"), "")
        children = node.get("children") or []
        inherited = node.get("total_rule") or rule
        if children:
            _check_nodes(problems, children, (*here, "children"), inherited,
                         {} if key is not None else seen)
        elif key is None:
            problems.add(here, "ext_node_key")
        elif node.get("total") is True and not inherited:
            problems.add((*here, "total"), "ext_total_rule")


def _read_rows(put: Put, columns: tuple[Node, ...], nodes: tuple[Node, ...], raw: Any,
               rpath: PathKey, prefix: str) -> None:
    for node in nodes:
        if node.children:
            if node.key:
                if isinstance(raw, dict) and node.key in raw:
                    _read_rows(put, columns, node.children, raw[node.key] or {},
                               (*rpath, node.key), f"{prefix}.{node.key}")
            else:
                _read_rows(put, columns, node.children, raw, rpath, prefix)
            continue
        if node.key:
            if not isinstance(raw, dict) or node.key not in raw:
                continue
            _read_cols(put, columns, raw[node.key], (*rpath, node.key), f"{prefix}.{node.key}")
        else:
            _read_cols(put, columns, raw, rpath, prefix)


def _read_cols(put: Put, nodes: tuple[Node, ...], raw: Any, rpath: PathKey,
               prefix: str) -> None:
    if isinstance(raw, list):
        leaves = [leaf for _, leaf in (pair for n in nodes for pair in n.leaves())]
        plain = [leaf for leaf in leaves if not leaf.total]
        order = plain if len(raw) == len(plain) else leaves
        for i, leaf in enumerate(order):
            put(f"{prefix}.{leaf.key}", raw[i], (*rpath, i))
        return
    for node in nodes:
        if node.children:
            if node.key:
                if isinstance(raw, dict) and node.key in raw:
                    _read_cols(put, node.children, raw[node.key], (*rpath, node.key),
                               f"{prefix}.{node.key}")
            else:
                _read_cols(put, node.children, raw, rpath, prefix)
        elif node.key is not None and isinstance(raw, dict) and node.key in raw:
            put(f"{prefix}.{node.key}", raw[node.key], (*rpath, node.key))


def _rows(nodes: tuple[Node, ...], columns: list[str | None], prefix: str, figures: Figures,
          width: int, indent: int, line: Line) -> list[str]:
    out: list[str] = []
    pad = max((len(n.key) for n in nodes if n.key and not n.children), default=0) + 1
    for node in nodes:
        path = f"{prefix}.{node.key}" if node.key else prefix
        if node.children:
            if node.key:
                out.append(line(indent, f"{node.key}:", node.label))
                out += _rows(node.children, columns, path, figures, width, indent + 2, line)
            else:
                out.append(" " * indent + f"# {node.label}")
                out += _rows(node.children, columns, path, figures, width, indent, line)
            continue
        row = "[" + ", ".join(figures(f"{path}.{c}").rjust(width) for c in columns) + "]"
        key = f"{node.key}:".ljust(pad)
        if node.total and not figures.totals:
            out.append(line(indent, f"# {key} {row}", f"{node.label}：可省略，自动计算"))
        else:
            out.append(line(indent, f"{key} {row}", node.label))
    return out


def _column_groups(nodes: tuple[Node, ...], prefix: str, figures: Figures, indent: int,
                   line: Line) -> list[str]:
    out: list[str] = []
    for node in nodes:
        path = f"{prefix}.{node.key}" if node.key else prefix
        if node.key and all(not c.children for c in node.children):
            shown = [c for c in node.children if figures.totals or not c.total]
            values = ", ".join(f"{c.key}: {figures(f'{path}.{c.key}')}" for c in shown)
            labels = "、".join(c.label for c in shown)
            auto = "" if figures.totals else "（总计自动计算）"
            out.append(line(indent, f"{node.key}: {{{values}}}", f"{node.label}：{labels}{auto}"))
        elif node.children:
            out.append(" " * indent + f"# {node.label}")
            out += _column_groups(node.children, path, figures, indent, line)
    return out
