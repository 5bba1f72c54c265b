"""Every bundled example validates with exactly the findings it deserves.

The published seed reports do not all cover the five 总体情况 topics the format lists; gxgen
says so (a warning), and nothing else. The demo agency is clean in both years, with its
2021 file serving as last year's for the 2022 cross-year checks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gxgen import loader
from gxgen.check import check_file

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {
    "examples/beilun-zwb-2020.yaml": ["依申请公开", "政府信息管理", "监督保障"],
    "examples/binjiang-xzfw-2021.yaml": [],
    "examples/demo-district/2021.yaml": [],
    "examples/demo-district/2022.yaml": [],
    "examples/dinghai-jxj-2020.yaml": ["依申请公开", "政府信息管理"],
    "examples/dinghai-zwfw-2021.yaml": ["政府信息管理", "政府信息公开平台建设"],
    "examples/guancheng-zwfw-2021.yaml": ["主动公开", "政府信息管理", "政府信息公开平台建设"],
}


def test_every_example_is_listed() -> None:
    found = {p.relative_to(ROOT).as_posix() for p in (ROOT / "examples").rglob("*.yaml")}
    assert found == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings(name: str) -> None:
    checked = check_file(ROOT / name)
    assert checked.ok
    undated = [] if "date" in loader.read(ROOT / name).data else [("D-NODATE", "warning", None)]
    assert [(f.rule, f.severity, f.params.get("topic")) for f in checked.findings] == [
        *undated, *(("C-TOPIC", "warning", topic) for topic in EXPECTED[name])
    ]


def test_demo_cross_year_is_used() -> None:
    checked = check_file(ROOT / "examples/demo-district/2022.yaml")
    assert checked.previous and checked.previous.endswith("2021.yaml")
