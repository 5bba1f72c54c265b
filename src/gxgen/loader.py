"""Read a facts file: bytes → text → YAML → plain values with a line/column for each.

PyYAML's own loaders are not used as they are: they keep the last of two duplicate keys
silently (a doubled ``carried_in:`` would overwrite a count), turn ``0.25`` into a float and
``2023-01-18`` into a date. Instead the YAML node tree is composed safely and walked here:
duplicate keys are refused naming both lines, decimals stay exact, dates stay text for the
schema to check, and every key and value keeps its position for later findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from gxgen import files
from gxgen.findings import Finding
from gxgen.messages import nested

MAX_BYTES = 2 * 1024 * 1024
"""A facts file is a few KB; anything past this is not one (and would be slow to parse)."""

MAX_NODES = 20_000
"""A facts file has a few hundred values (a few thousand with extension tables). PyYAML
composes about 50 000 nodes a second, so a file under ``MAX_BYTES`` made of ``[0,0,0,…]``
would take a minute; composition stops here instead."""

MAX_DEPTH = 50
"""A facts file nests about six levels; ``[[[[…]]]]`` ten thousand deep is refused here,
quickly, rather than by Python's recursion limit."""

MAX_TEXT = 1_000_000
"""Characters of text a facts file may hold, every value counted where it is used: a whole
report is 10 000–30 000 characters, and each is printed once per output. Counting alias uses
stops a 1 MB scalar referenced a thousand times (``*big``) from becoming a 1 GB report."""

MAX_NUMBER_DIGITS = 40
"""Digits a number may have before or after its decimal point. Statutory figures are at most
13 digits (``schema.MAX_YUAN`` with cents); a longer number is a slip of the keyboard, and
``int()`` of 5 000 digits or ``format()`` of ``1e-999999999`` would fail or fill memory."""

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
    styles: dict[PathKey, str] = field(default_factory=dict)
    """Each text value's YAML style: ``""`` plain, ``"'"``, ``'"'``, ``"|"`` or ``">"``."""
    lines: list[str] = field(default_factory=list)
    """The source lines, to place a finding inside a long text value (``locate``)."""

    def value(self, path: PathKey) -> Mark | None:
        """The value's own position, else the nearest enclosing one."""
        for i in range(len(path), -1, -1):
            mark = self.values.get(path[:i])
            if mark:
                return mark
        return None

    def key(self, path: PathKey) -> Mark | None:
        return self.keys.get(path) or self.value(path)

    def locate(self, path: PathKey, value: str, offset: int) -> Mark | None:
        """Where character ``offset`` of the text ``value`` at ``path`` stands in the file.

        Exact for plain, single-quoted, literal and folded scalars: the source is walked
        beside the value, skipping the indentation and line folds YAML removed (and the
        doubled quote of ``'it''s'``). A double-quoted value, whose escapes do not map
        one to one, gives its own position, as does anything that does not line up."""
        start = self.values.get(path)
        style = self.styles.get(path)
        if start is None or style is None or style == '"' or not self.lines:
            return start
        line, col = start.line - 1, start.col - 1
        if style in ("|", ">"):
            line, col = line + 1, 0
        elif style == "'":
            col += 1
        return _walk(self.lines, line, col, value, offset, style == "'") or start


def _walk(lines: list[str], line: int, col: int, value: str, offset: int,
          quoted: bool) -> Mark | None:
    i = 0
    while line < len(lines):
        src = lines[line]
        if col >= len(src):
            if i < len(value) and value[i] == "\n" and i != offset:
                i += 1
            line, col = line + 1, 0
            continue
        if i == offset:
            return Mark(line + 1, col + 1)
        if i >= len(value):
            return None
        here = src[col]
        if quoted and here == "'" and src[col + 1:col + 2] == "'" and value[i] == "'":
            col += 1
        if here == value[i]:
            i, col = i + 1, col + 1
        elif here in " \t":
            col += 1
        elif value[i] in " \n":
            i += 1
        else:
            return None
    return None


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
    """Bytes to text: UTF-8 (with or without BOM), else UTF-16 with BOM, else GB18030 —
    but a UTF-8 file with a few bad bytes is refused at their line, not read as garble."""
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
        line = raw[: exc.start].count(b"\n") + 1
    if _mostly_utf8(raw):
        raise _fail(file, "bad_utf8", line, None)
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        raise _fail(file, "bad_encoding", line, None) from None
    return text, [Finding("encoding", "warning", "encoding_other", {"encoding": "GB18030"},
                          file, 1, 1)]


def _mostly_utf8(raw: bytes) -> bool:
    """UTF-8 with a few bad bytes (GBK text pasted into a UTF-8 file), which a GB18030
    reading would garble throughout. Read as UTF-8, GBK text gives about one valid
    character for five broken ones; a UTF-8 file gives almost only valid ones."""
    text = raw.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    return sum(1 for c in text if ord(c) > 127) - bad > 3 * bad


def read(path: str | Path, display: str | None = None) -> Loaded:
    """Load a facts file from disk. Raises ``LoadError`` with a ready finding."""
    name = display or str(path)
    try:
        raw = files.read_regular(path, MAX_BYTES)
    except files.Refused as exc:
        raise LoadError(Finding("yaml", "error", exc.code, dict(exc.params), name)) from None
    return loads(raw, name)


def loads(raw: bytes | str, file: str = "<string>") -> Loaded:
    if isinstance(raw, bytes):
        text, notes = decode(raw, file)
    else:
        text, notes = raw, []
    if not text.strip():
        raise _fail(file, "empty")
    node = _fast_compose(text)
    try:
        if node is None:
            node = yaml.compose(text, Loader=_Composer)
    except _Refused as exc:
        raise _fail(file, exc.code, exc.mark.line + 1, exc.mark.column + 1,
                    **exc.params) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax(file, text, exc) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - text.rfind("\n", 0, exc.position)
        raise _fail(file, "control_char", line, col, char=f"U+{exc.character:04X}") from None
    except yaml.YAMLError as exc:
        detail = str(exc).splitlines()[0]
        raise _fail(file, "syntax", problem=nested("yaml_unparsable", detail=detail)) from None
    except RecursionError:
        raise _fail(file, "too_deep", limit=MAX_DEPTH) from None
    if node is None:
        raise _fail(file, "empty")
    marks = Marks(lines=[line.rstrip("\r") for line in text.split("\n")])
    builder = _Builder(file, marks)
    data = builder.build(node, ())
    if data is None:
        raise _fail(file, "empty")
    if not isinstance(data, dict):
        kind = nested(_KINDS.get(type(data), "kind_other"))
        raise _fail(file, "not_mapping", 1, 1, kind=kind)
    return Loaded(file, data, marks, notes)


_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("found unexpected end of stream|but (found|got) '<stream end>'", "yaml_unclosed"),
    ("found character '\\\\t' that cannot start any token", "yaml_tab"),
    ("found character '(.)' that cannot start any token", "yaml_bad_start"),
    ('mapping values are not allowed here', "yaml_mapping_here"),
    ('mapping keys are not allowed here', "yaml_key_here"),
    ("could not find expected ':'", "yaml_no_colon_quote"),
    ('did not find expected key', "yaml_no_key"),
    ("did not find expected '-' indicator", "yaml_no_dash"),
    ("expected ',' or '\\]'", "yaml_open_bracket"),
    ("expected ',' or '\\}'", "yaml_open_brace"),
    ('expected the node content', "yaml_no_value"),
    ('found undefined alias', "yaml_undefined_alias"),
    ('found duplicate anchor', "yaml_duplicate_anchor"),
    ('found unknown escape character', "yaml_bad_escape"),
    ('expected a comment or a line break', "yaml_trailing"),
    ('expected <block end>', "yaml_block_end"),
    ('expected a single document', "yaml_one_document"),
    ("found unexpected document separator|expected '<document start>'", "yaml_separator"),
    ('while scanning an? (anchor|alias)', "yaml_anchor_name"),
    ('while scanning a block scalar', "yaml_block_scalar"),
    ('while scanning a directive|YAML directive|incompatible YAML document', "yaml_directive"),
    ('tag', "yaml_tag"),
    ('while scanning a (double-)?quoted scalar', "yaml_quoted"),
    ('while scanning a simple key', "yaml_no_colon"),
)
"""PyYAML's problems in plain words (``messages.CATALOG``; in English PyYAML's own words)."""


_FULLWIDTH_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*)\s*：")
"""A key typed with the Chinese IME's colon (``penalty：210``): to YAML one plain text, so the
error it causes is reported at the next line, as a missing colon."""


def _fullwidth_colon(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str] | None:
    """Where a syntax error comes from a key followed by a full-width colon: the line of the
    key (where the scan began, the error's line, or the line before it), its column, the key."""
    lines = text.splitlines()
    candidates = []
    if exc.context_mark is not None:
        candidates.append(exc.context_mark.line)
    if exc.problem_mark is not None:
        candidates += [exc.problem_mark.line, exc.problem_mark.line - 1]
    for index in candidates:
        match = _FULLWIDTH_COLON.match(lines[index]) if 0 <= index < len(lines) else None
        if match:
            return index + 1, match.end(), match.group(2)
    return None


def _syntax(file: str, text: str, exc: yaml.MarkedYAMLError) -> LoadError:
    """A YAML syntax error as one finding: a full-width colon at its key, else the problem in
    plain words where PyYAML noticed it."""
    colon = _fullwidth_colon(text, exc)
    if colon is not None:
        return _fail(file, "fullwidth_colon", colon[0], colon[1], key=colon[2])
    mark = exc.problem_mark or exc.context_mark
    return _fail(
        file, "syntax",
        mark.line + 1 if mark else None, mark.column + 1 if mark else None,
        problem=_problem(exc),
    )


def _problem(exc: yaml.MarkedYAMLError) -> dict[str, Any]:
    detail = " ".join(filter(None, (exc.context, exc.problem)))
    for pattern, code in _PROBLEMS:
        match = re.search(pattern, detail)
        if match:
            return nested(code, detail=detail, char=match.group(1) if match.groups() else "")
    return nested("yaml_unparsable", detail=detail) if detail else nested("yaml_unparsable_bare")


def _fast_compose(text: str) -> yaml.Node | None:
    """Compose with libyaml when the file is an ordinary one; ``None`` means "use the Python
    composer", which enforces the limits exactly and words every error.

    libyaml composes in C without our limits, so it only gets text whose nesting is shallow
    by construction (short leading indentation and dashes; few brackets too, unless libyaml
    stops flow nesting itself: ``_LIBYAML_NESTS``), and its tree is
    accepted only if it has no reused node (an alias), no more than ``MAX_NODES`` nodes, no
    nesting past ``MAX_DEPTH`` and no more than ``MAX_TEXT`` characters. Anything else, and
    every YAML error, goes the slow way, so the fast path never changes a result, only the
    time (≈10× on a facts file).
    """
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return None
    if not _LIBYAML_NESTS and text.count("[") + text.count("{") > 2 * MAX_DEPTH:
        return None
    if max((len(line) - len(line.lstrip(" -")) for line in text.splitlines()), default=0) \
            > 4 * MAX_DEPTH:
        return None
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return None
    return node if node is not None and _plain_tree(node) else None


def _libyaml_nests() -> bool:
    try:
        from yaml import _yaml  # type: ignore[attr-defined]

        return tuple(_yaml.get_version()) >= (0, 2, 5)
    except (ImportError, AttributeError, TypeError):
        return False


_LIBYAML_NESTS = _libyaml_nests()
"""libyaml 0.2.5 and later refuse flow nesting past 1 000 levels themselves, so a file with
many ``{…}`` rows (extension definitions are written that way) can take the fast path."""


def _plain_tree(root: yaml.Node) -> bool:
    seen: set[int] = set()
    stack = [(root, 1)]
    count = text = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH or count > MAX_NODES or id(node) in seen:
            return False
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            text += len(node.value)
            if text > MAX_TEXT:
                return False
        else:
            children = (node.value if isinstance(node, yaml.SequenceNode)
                        else [n for pair in node.value for n in pair])
            stack.extend((child, depth + 1) for child in children)
    return True


class _Refused(Exception):
    def __init__(self, code: str, mark: Any, **params: Any):
        """``mark``: the event's start mark (libyaml's or PyYAML's class)."""
        super().__init__(code)
        self.code = code
        self.mark = mark
        self.params = params


class _Composer(yaml.SafeLoader):
    """PyYAML's safe composer with four refusals: an alias of a list or mapping (the
    "billion laughs" bomb, and a way to make two table rows silently the same object), more
    than ``MAX_NODES`` nodes, nesting deeper than ``MAX_DEPTH``, and more than ``MAX_TEXT``
    characters counted at every use. Aliases of plain scalars are otherwise allowed."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.nodes = 0
        self.depth = 0
        self.text = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Refused("too_many_values", event.start_mark, limit=MAX_NODES)
        if self.depth >= MAX_DEPTH:
            raise _Refused("too_deep", event.start_mark, limit=MAX_DEPTH)
        if isinstance(event, yaml.AliasEvent):
            target = self.anchors.get(event.anchor)
            if target is not None and not isinstance(target, yaml.ScalarNode):
                raise _Refused("alias", event.start_mark)
            self._count(target.value if target is not None else "", event)
        elif isinstance(event, yaml.ScalarEvent):
            self._count(event.value, event)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def _count(self, value: str, event: yaml.Event) -> None:
        self.text += len(value)
        if self.text > MAX_TEXT:
            raise _Refused("too_much_text", event.start_mark, limit=MAX_TEXT)


_KINDS: dict[type, str] = {
    list: "kind_list", str: "kind_text", int: "kind_int", Decimal: "kind_decimal",
    bool: "kind_bool",
}


class _Builder:
    """Turns composed YAML nodes into plain values, recording marks and refusing traps."""

    def __init__(self, file: str, marks: Marks):
        self.file = file
        self.marks = marks
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.marks.values[path] = Mark(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            self._tag(node, "tag:yaml.org,2002:map")
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            self._tag(node, "tag:yaml.org,2002:seq")
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        value = self._scalar(node)
        if isinstance(value, str):
            self.marks.styles[path] = node.style or ""
        return value

    def _tag(self, node: yaml.Node, plain: str) -> None:
        """Refuse ``!!set``, ``!!omap``, ``!foo`` … on a list or mapping: their meaning is
        not a plain list or mapping, and they are never needed in a facts file."""
        if node.tag != plain:
            raise _fail(self.file, "unknown_tag", node.start_mark.line + 1,
                        node.start_mark.column + 1, tag=_tag_text(node.tag))

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
        """A plain value. Only decimal numbers are numbers: YAML 1.1 would read ``010`` as
        8, ``0x10`` as 16 and ``1:30`` as 90, which nobody typing a count means; those stay
        text, so the schema reports them as they were written. A character no YAML file may
        hold raw (a control character, a lone surrogate) is refused here too when a ``"\\x1b"``
        escape produced it."""
        tag = node.tag
        bad = _NON_PRINTABLE.search(node.value)
        if bad:
            raise _fail(self.file, "bad_char", node.start_mark.line + 1,
                        node.start_mark.column + 1, char=f"U+{ord(bad.group()):04X}")
        if tag == "tag:yaml.org,2002:float":
            try:
                value = Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                return node.value
            return self._number(value, node) if value.is_finite() else node.value
        if tag == "tag:yaml.org,2002:int":
            if _DECIMAL_INT.fullmatch(node.value):
                digits = node.value.replace("_", "")
                if len(digits.lstrip("+-")) > MAX_NUMBER_DIGITS:
                    raise self._too_long(node)
                return int(digits)
            return node.value
        if tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:str"):
            return node.value
        if tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"):
            return self.constructor.construct_object(node)
        raise _fail(self.file, "unknown_tag", node.start_mark.line + 1,
                    node.start_mark.column + 1, tag=_tag_text(tag))

    def _number(self, value: Decimal, node: yaml.ScalarNode) -> Decimal:
        """A decimal within ``MAX_NUMBER_DIGITS`` either side of the point; ``-0.0`` is
        ``0.0`` (a fee of minus nothing would print as "-0.0")."""
        exponent = value.as_tuple().exponent
        if value.adjusted() >= MAX_NUMBER_DIGITS or -int(exponent) > MAX_NUMBER_DIGITS:
            raise self._too_long(node)
        return value.copy_abs() if value.is_zero() else value

    def _too_long(self, node: yaml.ScalarNode) -> LoadError:
        text = node.value if len(node.value) <= 20 else node.value[:20] + "…"
        return _fail(self.file, "number_too_long", node.start_mark.line + 1,
                     node.start_mark.column + 1, number=text, limit=MAX_NUMBER_DIGITS)


_NON_PRINTABLE = re.compile(
    r"[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
"""What YAML forbids raw in a file (PyYAML's reader refuses these); an escape must not
smuggle them in: ``"\\x1b[2J"`` would clear a terminal, ``"\\ud800"`` cannot be written as
UTF-8 at all."""

_DECIMAL_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)")


def _tag_text(tag: str) -> str:
    """A tag as the author wrote it: ``!!binary`` rather than ``tag:yaml.org,2002:binary``."""
    return "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag


_STD = "tag:yaml.org,2002:"


def path_str(path: PathKey) -> str:
    return ".".join(str(p) for p in path)
