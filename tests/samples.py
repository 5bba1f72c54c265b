"""Hand-built document models shared by the writer tests: tables shaped like the statutory
ones (with distinct figures, so a value in a wrong slot cannot go unnoticed), a whole sample
report, one full of markup-like text, and hypothesis strategies for random tilings."""

from __future__ import annotations

from hypothesis import strategies as st

from gxgen.document import Cell, Document, Heading, Paragraph, Signature, Table

NATURE = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


class Numbers:
    """Distinct figures, so a value in the wrong slot cannot go unnoticed."""

    def __init__(self, start: int) -> None:
        self.next = start

    def row(self, n: int, path: str) -> list[Cell]:
        cells = [Cell(str(self.next + i), "value", path=f"{path}.{i}") for i in range(n)]
        self.next += n
        return cells


def applications_table() -> Table:
    """Shaped like the statutory 申请 table: corner 3×3, nested column and row groups."""
    num = Numbers(1000)
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
    num = Numbers(2000)
    return Table(
        key="reviews",
        columns=15,
        rows=(
            (Cell("行政复议", "header", colspan=5), Cell("行政诉讼", "header", colspan=10)),
            (*(Cell(t, "header", rowspan=2) for t in five),
             Cell("未经复议直接起诉", "header", colspan=5),
             Cell("复议后起诉", "header", colspan=5)),
            tuple(Cell(t, "header") for t in five * 2),
            tuple(num.row(15, "reviews")),
        ),
        header_rows=3,
    )


def proactive_table(title: str | None = None) -> Table:
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
        title=title,
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


def tricky_document() -> Document:
    """Every text field holds markup-like characters that must come out as written."""
    evil = '<script>alert("x")</script> & \'q\' | *a* _b_ # 1. [l](u) `c` \\ ~~s~~ $m$'
    table = Table(
        key='k"<>&',
        columns=2,
        rows=(
            (Cell(evil, "header"), Cell("列<2>", "header")),
            (Cell("行|1\n第二行", "stub"), Cell("5<6>&7", path="x")),
        ),
        header_rows=1,
        title="表" + evil,
    )
    return Document(
        title=("标题" + evil, "第二行&amp;"),
        lang="zh-Hant",
        blocks=(Heading(1, "一、" + evil), Heading(2, "（一）" + evil), Paragraph(evil), table),
        signature=Signature("机关" + evil, "2023年1月18日<"),
        draft_mark="草稿" + evil,
        meta={"agency": "机关" + evil},
    )


def indicator_table() -> Table:
    """An indicator table: indented stub labels and unit cells."""
    return Table(
        "indicators",
        3,
        (
            (Cell("指标", "header"), Cell("单位", "header"), Cell("数量", "header")),
            (Cell("主动公开信息", "stub"), Cell("条", "unit"), Cell("4001")),
            (Cell("其中：政策解读", "stub", indent=1), Cell("条", "unit"), Cell("4002")),
            (Cell("图解", "stub", indent=2), Cell("——", "unit"), Cell("4003")),
        ),
        header_rows=1,
        widths=(4, 1, 1),
    )


TEXT = st.text(alphabet=st.sampled_from(list("申请人公开年 \n0123456789<>&\"'|*_#`[]\\~$-+.=!")),
               max_size=12)
ROLES = st.sampled_from(["caption", "corner", "header", "stub", "value", "value", "value", "unit"])


@st.composite
def tiling_tables(draw: st.DrawFn, key: str = "t") -> Table:
    """A random rectangle tiled with random spans; value cells get unique figures."""
    height = draw(st.integers(1, 6))
    width = draw(st.integers(1, 6))
    taken = [[False] * width for _ in range(height)]
    rows: list[list[Cell]] = [[] for _ in range(height)]
    serial = 0
    for r in range(height):
        for c in range(width):
            if taken[r][c]:
                continue
            max_cols = 1
            while c + max_cols < width and not taken[r][c + max_cols]:
                max_cols += 1
            colspan = draw(st.one_of(st.just(1), st.integers(1, max_cols)))
            rowspan = draw(st.one_of(st.just(1), st.integers(1, height - r)))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[r + dr][c + dc] = True
            role = draw(ROLES)
            if role == "value":
                serial += 1
                text = f"{key}v{serial}"
            else:
                text = draw(TEXT)
            rows[r].append(Cell(text, role, rowspan=rowspan, colspan=colspan,
                                indent=draw(st.integers(0, 2))))
    widths = draw(st.one_of(st.just(()), st.tuples(*[st.floats(0.5, 3)] * width)))
    return Table(key=key, columns=width, rows=tuple(tuple(r) for r in rows),
                 header_rows=draw(st.integers(0, height)), widths=widths,
                 title=draw(st.one_of(st.none(), TEXT)))


@st.composite
def documents(draw: st.DrawFn) -> Document:
    blocks: list[Heading | Paragraph | Table] = []
    for n in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["h1", "h2", "p", "table", "table"]))
        if kind == "table":
            blocks.append(draw(tiling_tables(key=f"t{n}")))
        elif kind == "p":
            blocks.append(Paragraph(draw(TEXT)))
        else:
            blocks.append(Heading(1 if kind == "h1" else 2, draw(TEXT)))
    signature = draw(st.one_of(st.none(), st.builds(Signature, TEXT, st.one_of(st.none(), TEXT))))
    return Document(
        title=tuple(draw(st.lists(TEXT, min_size=1, max_size=2))),
        lang=draw(st.sampled_from(["zh-Hans", "zh-Hant", "zh-TW", "zh-HK"])),
        blocks=tuple(blocks),
        signature=signature,
        draft_mark=draw(st.one_of(st.none(), TEXT)),
    )
