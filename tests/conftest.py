"""Shared test helpers: a valid, balanced 2021 facts file to start from and break.

``facts_2021()`` returns a plain dict that passes every check with no finding at all, so a
test changes one thing and expects exactly the finding that change causes. ``dump`` turns it
into YAML text (rows stay one line each, ``[1, 0, …]``), ``write`` puts text or a dict in a
file, and ``where`` finds the line and column of a marker in the text, so a test can say
which cell a finding must point at.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

COLUMNS = ("natural", "business", "research", "nonprofit", "legal_service", "other")
"""The 申请人 columns of the 申请 table, in statutory order (总计 comes after)."""

OVERVIEW = [
    {"heading": "主动公开", "text": "全年主动公开政府信息312条，及时发布政策文件和解读材料。"},
    {"heading": "依申请公开", "text": "全年新收政府信息公开申请14件，均在法定期限内答复。"},
    {"heading": "政府信息管理", "text": "落实公开属性源头认定，开展行政规范性文件清理。"},
    {"heading": "政府信息公开平台建设", "text": "优化门户网站政府信息公开专栏，整合政务新媒体。"},
    {"heading": "监督保障", "text": "将政务公开纳入年度考核，组织业务培训两次。"},
]

_BALANCED: dict[str, Any] = {
    "edition": "2021",
    "agency": "某区测试局",
    "agency_type": "department",
    "year": 2022,
    "date": "2023-01-20",
    "overview": OVERVIEW,
    "proactive": {
        "regulations": "na",
        "normative_documents": {"issued": 2, "repealed": 1, "in_force": 9},
        "licensing": 120,
        "penalty": 15,
        "coercion": 3,
        "fees": Decimal("0.25"),
    },
    "applications": {
        # columns: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他
        "new": [10, 2, 0, 1, 0, 1],
        "carried_in": [1, 0, 0, 0, 0, 0],
        "granted": [5, 1, 0, 0, 0, 0],
        "partial": [1, 0, 0, 0, 0, 0],
        "withheld": {"third_party_rights": [1, 0, 0, 0, 0, 0]},
        "unavailable": {"not_held": [2, 1, 0, 1, 0, 0]},
        "not_processed": {"repeated": [1, 0, 0, 0, 0, 1]},
        "carried_out": [1, 0, 0, 0, 0, 0],
    },
    "reviews": {
        "review": {"upheld": 1, "corrected": 1, "other": 0, "pending": 1},
        "litigation": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0},
        "litigation_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0},
    },
    "problems": "一是政策解读形式较为单一；二是依申请公开答复规范化有待加强。"
                "下一步将丰富解读形式，完善答复文书范本。",
    "other_matters": {
        "processing_fees": {"notices": 1, "notice_amount": 200, "collected": 200},
        "text": "本年度无其他需要报告的事项。",
    },
}


def facts_2021(**changes: Any) -> dict[str, Any]:
    """A fresh copy of the balanced 2021-edition facts, top-level keys replaced by
    ``changes`` (a value of ``None`` removes the key)."""
    data = copy.deepcopy(_BALANCED)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


class _Dumper(yaml.SafeDumper):
    """Writes ``Decimal`` as the number it is (``0.25``), and a list used twice as two lists
    (the loader refuses ``&id001``/``*id001``, as it should)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.add_representer(
    Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", format(v, "f"))
)


def dump(data: Any) -> str:
    """YAML text for a facts dict: keys in the given order, inner rows on one line."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=None, width=1000)


def write(path: Path, content: str | bytes | dict[str, Any]) -> Path:
    """Write a facts file (dict → YAML, text as UTF-8, bytes as they are); returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, dict):
        content = dump(content)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def where(text: str, marker: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the ``occurrence``-th ``marker`` in ``text``."""
    index = -1
    for _ in range(occurrence):
        index = text.index(marker, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - text.rfind("\n", 0, index)


@pytest.fixture
def balanced() -> dict[str, Any]:
    """The balanced 2021 facts (a fresh copy per test)."""
    return facts_2021()
