"""Where a finding points: a facts file, a spreadsheet cell, a published document's table."""

from __future__ import annotations

import json

from gxgen.findings import DocumentLocation, Finding, SheetLocation, to_json

PARAMS = {"where": "申请情况", "left_expr": "a", "left": 1, "right_expr": "b", "right": 2,
          "diff": 1}


def test_facts_location_prints_as_before() -> None:
    finding = Finding("T2-BAL", "error", "balance", PARAMS, "报告.yaml", 12, 7)
    assert finding.location() == "报告.yaml:12:7"
    assert Finding("yaml", "error", "empty", {}, "").location() == "-"
    assert Finding("yaml", "error", "empty", {}, "a.yaml", 3).location() == "a.yaml:3"
    item = json.loads(to_json([finding]))["findings"][0]
    assert item["location"] == {"kind": "facts", "file": "报告.yaml", "line": 12, "column": 7}
    assert (item["file"], item["line"], item["column"]) == ("报告.yaml", 12, 7)


def test_sheet_location() -> None:
    place = SheetLocation("某局-2022.xlsx", "申请情况", "D12")
    finding = Finding("T2-BAL", "error", "balance", PARAMS, place=place)
    assert finding.file == "某局-2022.xlsx"
    assert finding.format().startswith("某局-2022.xlsx:申请情况!D12  错误  T2-BAL  申请情况：")
    assert SheetLocation("x.xlsx", "封面").text() == "x.xlsx:封面"
    doc = json.loads(to_json([finding], "en"))
    assert doc["version"] == 2
    item = doc["findings"][0]
    assert item["location"] == {"kind": "sheet", "file": "某局-2022.xlsx", "sheet": "申请情况",
                                "cell": "D12"}
    assert (item["file"], item["line"], item["column"]) == ("某局-2022.xlsx", None, None)


def test_document_location() -> None:
    place = DocumentLocation("报告.docx", "表三", "（一）予以公开", "总计", 4)
    finding = Finding("T2-BAL", "warning", "balance", PARAMS, place=place)
    assert finding.location() == "报告.docx:p.4:表三 （一）予以公开·总计"
    assert finding.format("en").startswith("报告.docx:p.4:表三 （一）予以公开·总计  warning  ")
    assert DocumentLocation("报告.docx", "表三").text() == "报告.docx:表三"
    assert DocumentLocation("报告.pdf", page=2).text() == "报告.pdf:p.2"
    item = json.loads(to_json([finding]))["findings"][0]
    assert item["location"] == {"kind": "document", "file": "报告.docx", "table": "表三",
                                "row": "（一）予以公开", "column": "总计", "page": 4}
    assert (item["file"], item["line"], item["column"]) == ("报告.docx", None, None)
