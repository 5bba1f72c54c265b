"""No input makes gxgen crash: random facts files, bytes and extension definitions through the
real command line (``python -m gxgen``), each command in its own process with a timeout.

Whatever a user (or an attacker) puts in a tree, ``validate``, ``render`` and ``batch`` answer
with exit 0, 1 or 2 and words from the message catalogue — never ``内部错误`` (exit 3), never a
traceback, never a hang. The documents are plausible-but-wrong: the balanced facts of
``conftest.facts_2021()`` with a few values replaced by odd scalars (huge or special numbers,
text with control, bidi and lone-surrogate escapes), lists and maps, deep nesting, long
narrative lists and scalar aliases, so most examples get past the YAML parser and reach the
rules and the writers, where the crashes live.

Sized for CI: 40 derandomized examples × 3 processes ≈ 70 s of CPU (about 0.4 s a process).
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from conftest import facts_2021
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
ZHEJIANG = ROOT / "src" / "gxgen" / "editions" / "extensions" / "zhejiang.yaml"
SECTIONS = ("overview", "proactive", "applications", "reviews", "problems", "other_matters")
KEYS = sorted({"text", "heading", "na", "new", "granted", "total", "staff", "calls", "fees",
               "edition", "agency", "year", "extensions", *SECTIONS})
"""Real key names: a random map built from these is read as facts, not rejected as noise."""

# --------------------------------------------------------------------------- YAML text


class Raw:
    """A scalar written exactly as given, plain (``99…9`` with 5,000 digits, ``-0.0``,
    ``1.0e+30``): what a user types, which the Python value could not round-trip."""

    def __init__(self, text: str) -> None:
        self.text = text


class Shared:
    """A value written once with an anchor and then as ``*alias`` wherever it is reused."""

    def __init__(self, value: Any) -> None:
        self.value = value


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return not isinstance(data, Shared)


def _raw(dumper: yaml.SafeDumper, data: Raw) -> yaml.Node:
    tag = dumper.resolve(yaml.ScalarNode, data.text, (True, False))
    return dumper.represent_scalar(tag, data.text)


_Dumper.add_representer(Raw, _raw)
_Dumper.add_representer(Shared, lambda d, s: d.represent_data(s.value))
_Dumper.add_representer(
    Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", format(v, "f")))


def dump(data: Any) -> bytes:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=200)
    return text.encode("utf-8", "surrogatepass")


# --------------------------------------------------------------------------- values

ODD_PIECES = ("\x00", "\x07", "\x1b", "\x1b[2J", "\x7f", "\x85", "\u2028", "\u200b", "\u200e",
             "\u202e", "\u2066", "\ufeff", "\ud800", "\udfff", "\U0001f600", "（十）", "一",
             "\t", "\n", "|", "*", "#", "<b>", "&amp;", "{{ x }}", "\\", "%", "0")
ODD_NUMBERS = ("-0.0", "1.0e+30", "-1", "0x1F", "0o17", "1_000", ".nan", "-.inf", "1.0e999",
               "0.000001", "12345678901234567890.5", "na", "NA", "~", "", "yes", "2023-02-30")

text = st.lists(st.one_of(st.sampled_from(ODD_PIECES), st.characters()), max_size=12).map("".join)
number = st.one_of(
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.integers(1, 5_000).map(lambda n: Raw("9" * n)),
    st.sampled_from(ODD_NUMBERS).map(Raw),
)
scalar = st.one_of(st.none(), st.booleans(), st.dates(), number, text)
values = st.recursive(
    scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=8),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), text), inner, max_size=5),
    ),
    max_leaves=20,
)


def nested(depth: int) -> Any:
    value: Any = 1
    for level in range(depth):
        value = [value] if level % 2 else {"text": value}
    return value


odd_value = st.one_of(
    values,
    st.integers(1, 120).map(nested),
    st.integers(95, 125).map(lambda n: [f"第{i}项。" for i in range(n)]),
    st.integers(95, 125).map(lambda n: [{"heading": f"{i}", "text": "有。"} for i in range(n)]),
    text.map(Shared),
    st.lists(scalar, max_size=3).map(Shared),
    st.tuples(st.integers(1, 5_000), st.integers(2, 300)).map(
        lambda sizes: [Shared("长" * sizes[0])] * sizes[1]),
)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a document a value can be replaced: keys of maps, items of lists."""
    items = (data.items() if isinstance(data, dict)
             else enumerate(data) if isinstance(data, list) else ())
    for key, value in items:
        yield (*prefix, key)
        yield from paths(value, (*prefix, key))


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` with one to four values replaced, a key dropped or an unknown key added."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.sampled_from(sorted(paths(data), key=repr)))
        parent = data
        for key in where[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(("replace", "replace", "replace", "drop", "add")))
        if action == "drop" and isinstance(parent, dict):
            del parent[where[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.one_of(st.sampled_from(KEYS), text))] = draw(odd_value)
        else:
            parent[where[-1]] = value = draw(odd_value)
            if isinstance(value, Shared):  # used a second time: an ``*alias``
                again = draw(st.sampled_from(sorted(paths(data), key=repr)))
                _place(data, again, value)
        if not data:
            break
    return data


def _place(data: Any, where: tuple[Any, ...], value: Any) -> None:
    parent = data
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = value


# --------------------------------------------------------------------------- extensions

ROW_KEYS = ("text", "calls", "staff", "total", "a", "b_2", "heading", "na")


@st.composite
def definition(draw: st.DrawFn) -> dict[str, Any]:
    """An extension definition of the documented shape: a few indicator tables, placed in
    existing sections or in new ones (sometimes enough of them to number past 十)."""
    tables: dict[str, Any] = {}
    sections: list[dict[str, Any]] = []
    after = draw(st.sampled_from(SECTIONS))
    placing = draw(st.sampled_from(("new", "existing", "either")))
    for i in range(draw(st.integers(1, 9))):
        rows = draw(st.lists(st.sampled_from(ROW_KEYS), min_size=1, max_size=4, unique=True))
        table: dict[str, Any] = {
            "kind": "indicators", "code": "FZ", "label": f"表{i}",
            "columns": ["统计指标", "单位", "统计数"],
            "value": draw(st.sampled_from(("count", "signed", "wan_yuan", "yuan", "amount"))),
            "rows": [{"key": k, "label": f"{n + 1}.{k}", "unit": "件",
                      "indent": draw(st.integers(0, 3))} for n, k in enumerate(rows)],
        }
        if len(rows) > 1 and draw(st.booleans()):
            table["checks"] = [{"id": "FZ-SUM", "op": draw(st.sampled_from(("sum", "le"))),
                                "left": rows[0], "right": rows[1:]}]
        tables[f"t{i}"] = table
        if placing == "new" or (placing == "either" and draw(st.booleans())):
            sections.append({"key": f"s{i}", "title": f"新节{i}", "after": after,
                             "tables": [f"t{i}"]})
            after = f"s{i}"
        else:
            sections.append({"key": draw(st.sampled_from(SECTIONS)), "tables": [f"t{i}"]})
    return {"extension": "fuzz", "name": "测试扩展", "editions": ["2021"], "tables": tables,
            "sections": sections}


@st.composite
def extension_case(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """(facts naming ``./ext.yaml``, the definition), either one possibly mutated."""
    use_zhejiang = draw(st.booleans())
    spec = (yaml.safe_load(ZHEJIANG.read_text("utf-8")) if use_zhejiang
            else draw(definition()))
    if use_zhejiang:
        spec["extension"] = "fuzz"
    facts = facts_2021(extensions=["./ext.yaml"])
    for key, table in spec["tables"].items():
        facts[key] = {row["key"]: draw(st.one_of(st.integers(0, 50), scalar))
                      for row in table["rows"] if not row.get("heading")}
    if draw(st.booleans()):
        spec = draw(mutated(spec))
    if draw(st.booleans()):
        facts = draw(mutated(facts))
    return facts, spec


raw_bytes = st.tuples(
    st.sampled_from((b"", b"edition: '2021'\n", b"\xef\xbb\xbf", b"---\n", b"agency: ")),
    st.binary(max_size=300),
).map(b"".join)

# --------------------------------------------------------------------------- the commands


def gxgen(cwd: Path, *args: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GXGEN_")}
    env["PYTHONPATH"] = str(ROOT / "src")
    done = subprocess.run([sys.executable, "-m", "gxgen", *args], cwd=cwd, env=env,
                          capture_output=True, timeout=30, check=False)
    return done.returncode, (done.stdout + done.stderr).decode("utf-8", "replace")


LEAKED = re.compile(r"\b[A-Z]\w*(Error|Exception): ")
"""A Python exception named in a message (``batch`` reports ``生成失败：TypeError: …``): a bug
dressed up as a finding."""


def assert_no_crash(cwd: Path, *args: str) -> None:
    code, output = gxgen(cwd, *args)
    assert code in (0, 1, 2) and "内部错误" not in output and "Traceback" not in output \
        and not LEAKED.search(output), f"gxgen {' '.join(args)} → exit {code}\n{output[-3000:]}"


@settings(max_examples=40, deadline=None, derandomize=True, print_blob=True,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.large_base_example])
@given(facts=mutated(facts_2021()), junk=raw_bytes, extended=extension_case())
def test_no_input_crashes_validate_render_or_batch(
        facts: dict[str, Any], junk: bytes,
        extended: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """No shrinking: one example costs three processes, and shrinking a failure takes
    minutes; the failing example is printed whole (and its blob), enough to reproduce it."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = {"tree/facts/m.yaml": dump(facts), "tree/bytes/b.yaml": junk,
                 "tree/ext/e.yaml": dump(extended[0]), "tree/ext/ext.yaml": dump(extended[1])}
        for name, content in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(content)
        reports = ["tree/facts/m.yaml", "tree/bytes/b.yaml", "tree/ext/e.yaml"]
        assert_no_crash(root, "validate", *reports)
        assert_no_crash(root, "render", "--format", "md", "--draft", "-o", "out/", *reports)
        assert_no_crash(root, "batch", "tree", "-o", "dist", "--format", "md",
                        "--variant", "simplified", "-j", "1", "--no-progress")
