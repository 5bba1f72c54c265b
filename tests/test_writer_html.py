"""Tests for the HTML writer, and the sample documents the other writer tests share."""

from __future__ import annotations

from gxgen.document import Cell, Document, Heading, Paragraph, Signature, Table

NATURE = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


class _Numbers:
    """Distinct figures, so a value in the wrong slot cannot go unnoticed."""

    def __init__(self, start: int) -> None:
        self.next = start

    def row(self, n: int, path: str) -> list[Cell]:
        cells = [Cell(str(self.next + i), "value", path=f"{path}.{i}") for i in range(n)]
        self.next += n
        return cells


def applications_table() -> Table:
    """Shaped like the statutory 申请 table: corner 3×3, nested column and row groups."""
    num = _Numbers(1000)
    rows: list[list[Cell]] = [
        [
            Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "corner",
                 rowspan=3, colspan=3),
            Cell("申请人情况", "header", colspan=7),
        ],
        [
            Cell("自然人", "header", rowspan=2),
            Cell("法人或其他组织", "header", colspan=5),
            Cell("总计", "header", rowspan=2),
        ],
        [Cell(t, "header") for t in NATURE[1:6]],
        [Cell("一、本年新收政府信息公开申请数量", "stub", colspan=3), *num.row(7, "new")],
        [Cell("二、上年结转政府信息公开申请数量", "stub", colspan=3), *num.row(7, "carried_in")],
    ]
    groups = [
        ("（三）不予公开", ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
                      "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
                      "7.属于行政执法案卷", "8.属于行政查询事项"]),
        ("（四）无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
                      "3.补正后申请内容仍不明确"]),
        ("（五）不予处理", ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物",
                      "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息"]),
        ("（六）其他处理", ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                      "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                      "3.其他"]),
    ]
    result_rows: list[list[Cell]] = [
        [Cell("（一）予以公开", "stub", colspan=2), *num.row(7, "granted")],
        [Cell("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "stub", colspan=2),
         *num.row(7, "partial")],
    ]
    for g, (label, items) in enumerate(groups):
        for i, item in enumerate(items):
            lead = [Cell(label, "stub", rowspan=len(items))] if i == 0 else []
            result_rows.append([*lead, Cell(item, "stub"), *num.row(7, f"g{g}.{i}")])
    result_rows.append([Cell("（七）总计", "stub", colspan=2), *num.row(7, "total")])
    result_rows[0].insert(0, Cell("三、本年度办理结果", "stub", rowspan=len(result_rows)))
    rows += result_rows
    rows.append([Cell("四、结转下年度继续办理", "stub", colspan=3), *num.row(7, "carried_out")])
    return Table(
        key="applications",
        columns=10,
        rows=tuple(tuple(r) for r in rows),
        header_rows=3,
        widths=(1, 1.2, 3, 1, 1, 1, 1, 1, 1, 1),
    )


def reviews_table() -> Table:
    """15 columns, 3 header rows, no stub: like the statutory 复议/诉讼 table."""
    five = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    num = _Numbers(2000)
    return Table(
        key="reviews",
        columns=15,
        rows=(
            (Cell("行政复议", "header", colspan=5), Cell("行政诉讼", "header", colspan=10)),
            (*(Cell(t, "header", rowspan=2) for t in five),
             Cell("未经复议直接起诉", "header", colspan=5), Cell("复议后起诉", "header", colspan=5)),
            tuple(Cell(t, "header") for t in five * 2),
            tuple(num.row(15, "reviews")),
        ),
        header_rows=3,
    )


def proactive_table() -> Table:
    """A blocks table: caption rows across the table, value cells with colspan=3."""
    def caption(text: str) -> tuple[Cell, ...]:
        return (Cell(text, "caption", colspan=4),)

    def header(*texts: str) -> tuple[Cell, ...]:
        *first, last = texts
        spans = [Cell(t, "header") for t in first]
        return (*spans, Cell(last, "header", colspan=5 - len(texts)))

    return Table(
        key="proactive",
        columns=4,
        rows=(
            caption("第二十条第（一）项"),
            header("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
            (Cell("规章", "stub"), Cell("/", path="r.i"), Cell("/", path="r.r"),
             Cell("/", path="r.f")),
            (Cell("行政规范性文件", "stub"), Cell("3001", path="n.i"), Cell("3002", path="n.r"),
             Cell("3003", path="n.f")),
            caption("第二十条第（五）项"),
            header("信息内容", "本年处理决定数量"),
            (Cell("行政许可", "stub"), Cell("3004", colspan=3, path="lic")),
            caption("第二十条第（六）项"),
            header("信息内容", "本年处理决定数量"),
            (Cell("行政处罚", "stub"), Cell("3005", colspan=3, path="pen")),
            (Cell("行政强制", "stub"), Cell("3006", colspan=3, path="coe")),
            caption("第二十条第（八）项"),
            header("信息内容", "本年收费金额（单位：万元）"),
            (Cell("行政事业性收费", "stub"), Cell("0.2500", colspan=3, path="fees")),
        ),
        header_rows=0,
        widths=(2, 1, 1, 1),
    )


def sample_document(**changes: object) -> Document:
    """A whole report with the three statutory-shaped tables."""
    fields: dict[str, object] = dict(
        title=("舟山市定海区政务服务办公室", "2022年政府信息公开工作年度报告"),
        lang="zh-Hans",
        blocks=(
            Paragraph("本报告根据《中华人民共和国政府信息公开条例》编制。"),
            Heading(1, "一、总体情况"),
            Heading(2, "（一）主动公开"),
            Paragraph("2022年，我办主动公开政府信息1234条，其中通过门户网站公开567条。"),
            Heading(1, "二、主动公开政府信息情况"),
            proactive_table(),
            Heading(1, "三、收到和处理政府信息公开申请情况"),
            applications_table(),
            Heading(1, "四、政府信息公开行政复议、行政诉讼情况"),
            reviews_table(),
            Heading(1, "五、存在的主要问题及改进情况"),
            Paragraph("一是公开内容还不够全面。二是解读形式较单一。"),
        ),
        signature=Signature("舟山市定海区政务服务办公室", "2023年1月18日"),
        meta={"agency": "舟山市定海区政务服务办公室", "year": "2022", "edition": "2021"},
    )
    fields.update(changes)
    return Document(**fields)  # type: ignore[arg-type]
