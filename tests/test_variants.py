"""Script variants: reviewed labels, corrected OpenCC narrative, protected terms, resolve()."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import opencc
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gxgen import editions, variants
from gxgen.variants import VARIANTS, Converter, Variant, resolve

ROOT = Path(__file__).resolve().parents[1]
TRADITIONAL = [VARIANTS["traditional"], VARIANTS["zh-TW"], VARIANTS["zh-HK"]]


def _tool():
    spec = importlib.util.spec_from_file_location(
        "update_traditional", ROOT / "tools" / "update_traditional.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


tool = _tool()


def _table() -> dict[str, str]:
    return yaml.safe_load((ROOT / "src/gxgen/editions/traditional.yaml").read_text("utf-8"))


# --- traditional.yaml -------------------------------------------------------------------------


def test_every_label_has_a_reviewed_entry():
    report = tool.check()
    assert report.missing == []
    assert report.stale == []
    assert report.bad == []
    assert report.unreviewed == [], "review the entries marked # 待校对, then delete the mark"
    assert report.ok


def test_collect_finds_the_label_bearing_places():
    labels = set(tool.collect())
    for expected in (
        "总体情况",  # sections[].title
        "中华人民共和国政府信息公开工作年度报告格式",  # name
        "第二十条第（一）项",  # caption
        "信息内容",  # stub
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",  # corner
        "本年制发件数",  # blocks[].fields[].label
        "（二）部分公开",  # short
        "1.属于国家秘密",  # nested children label
        "落款署名",  # fields.*.label
        "本报告统计的自然年度",  # fields.*.description
        "其他需要报告的事项正文",  # children.*.description
        "收费通知总金额（元）",  # records.*.fields[].label
        "{agency}{year}年政府信息公开工作年度报告",  # phrases.*
        "监督保障",  # content.overview_topics[].label
    ):
        assert expected in labels
    assert "overview" not in labels and "T2-SUM" not in labels  # keys and rule ids are not labels
    assert "主动公开政府信息情况" in labels


BAD = ("資訊", "檔案", "爲", "發佈", "複覈", "屬于", "等于", "規范", "示范", "佈", "覈")


@pytest.mark.parametrize("form", BAD)
def test_no_entry_has_a_known_bad_form(form):
    offenders = {k: v for k, v in _table().items() if form in v}
    assert offenders == {}


def test_entries_convert_back_to_their_key():
    """OpenCC t2s of each reviewed form gives its simplified key: no typo, no wrong word."""
    t2s = opencc.OpenCC("t2s")
    wrong = {k: v for k, v in _table().items() if t2s.convert(v) != k}
    assert wrong == {}


def test_entries_keep_statutory_terms_and_punctuation():
    table = _table()
    assert table["本年制发件数"] == "本年制發件數"
    assert table["行政规范性文件"] == "行政規範性文件"
    assert table["1.属于国家秘密"] == "1.屬於國家秘密"
    assert table["3.危及“三安全一稳定”"] == "3.危及“三安全一穩定”"
    assert table["复议后起诉"] == "複議後起訴"
    assert table["本年收费金额（单位：万元）"] == "本年收費金額（單位：萬元）"
    assert table["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] == (
        "（本列數據的勾稽關係為：第一項加第二項之和，等於第三項加第四項之和）"
    )
    for key, value in table.items():
        assert len(value) == len(key), key
        assert [c for c in value if c.isascii()] == [c for c in key if c.isascii()], key


# --- labels -----------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", TRADITIONAL, ids=lambda v: v.name)
def test_label_is_looked_up_for_every_traditional_variant(variant):
    """With the converter rendering builds (``for_edition``): the same rule as the product."""
    table = _table()
    for edition_id in editions.available():
        conv = Converter.for_edition(variant, editions.load(edition_id))
        for label in tool.collect():
            assert conv.label(label) == table[label]


def test_label_is_never_converted(monkeypatch):
    monkeypatch.setattr(editions, "traditional", lambda: {"发布": "由表而来"})
    conv = Converter(VARIANTS["traditional"])
    assert conv.label("发布") == "由表而来"
    with pytest.raises(KeyError, match="update_traditional"):
        conv.label("公开")  # OpenCC could convert it, but labels only come from the table


def test_label_with_list_number_and_empty_label():
    conv = Converter(VARIANTS["zh-TW"])
    assert conv.label("一、总体情况") == "一、總體情況"
    assert conv.label("四、政府信息公开行政复议、行政诉讼情况") == (
        "四、政府信息公開行政複議、行政訴訟情況"
    )
    assert conv.label("（七）总计") == "（七）總計"
    assert conv.label("") == ""
    with pytest.raises(KeyError):
        conv.label("一、没有这个标签")


def test_simplified_is_identity():
    conv = Converter(VARIANTS["simplified"], ["后宅镇"])
    assert conv.label("不在表里的标签") == "不在表里的标签"
    assert conv.narrative("发布了头发的后来") == "发布了头发的后来"
    assert conv.lang == "zh-Hans"


@given(st.text())
def test_simplified_is_identity_for_any_text(text):
    conv = Converter(VARIANTS["simplified"], {"后": "後"})
    assert conv.narrative(text) == text
    assert conv.label(text) == text


# --- narrative corrections --------------------------------------------------------------------

SAME_IN_ALL = {
    "收费金额为": "收費金額為",
    "行政复议": "行政複議",
    "复核": "複核",
    "审核发布": "審核發布",
    "发布": "發布",
    "向社会发布": "向社會發布",
    "召开新闻发布会": "召開新聞發布會",
    "公布了": "公布了",
    "本年制发件数": "本年制發件數",
    "规范性文件": "規範性文件",
    "政府信息公开": "政府信息公開",
    "干部": "幹部",
    "里程": "里程",
    "公里": "公里",
    "后来": "後來",
    "皇后": "皇后",
    "王后": "王后",
    "展示了如何": "展示了如何",
    "展示了": "展示了",
    "开展了如下工作": "開展了如下工作",
    "了如指掌": "瞭如指掌",
    "是只读": "是只讀",
    "只读": "只讀",
    "被发明": "被發明",
    "被发现": "被發現",
    "参与制造": "參與製造",
    "参与制定": "參與制定",
    "头发": "頭髮",
    "答复": "答覆",
    "复杂": "複雜",
    "恢复": "恢復",
    "属于": "屬於",
    "国家秘密": "國家秘密",
    "群众": "群眾",
    "本年新制作数量": "本年新製作數量",
    "编制本报告": "編製本報告",
    "机构编制委员会": "機構編制委員會",
    "在台州市": "在台州市",
    "以政务云为基础": "以政務雲為基礎",
}


@pytest.mark.parametrize("variant", TRADITIONAL, ids=lambda v: v.name)
@pytest.mark.parametrize("source", sorted(SAME_IN_ALL))
def test_corrections(variant, source):
    assert Converter(variant).narrative(source) == SAME_IN_ALL[source]


@pytest.mark.parametrize(
    ("variant", "expected"),
    [("traditional", "後臺管理平臺"), ("zh-TW", "後臺管理平臺"), ("zh-HK", "後台管理平台")],
)
def test_regional_forms_stay(variant, expected):
    assert Converter(VARIANTS[variant]).narrative("后台管理平台") == expected


def test_phrase_dictionary_entries_take_effect():
    """Every gxgen phrase entry is what s2t gives for its key (after the character step)."""
    characters = variants.read_dictionary("characters")
    conv = Converter(VARIANTS["traditional"])
    for key, value in variants.read_dictionary("phrases").items():
        expected = "".join(characters.get(c, c) for c in value)
        assert conv.narrative(key) == expected, key


def test_character_step_applies_everywhere():
    characters = variants.read_dictionary("characters")
    assert characters["爲"] == "為" and characters["覈"] == "核" and characters["佈"] == "布"
    for variant in TRADITIONAL:
        out = Converter(variant).narrative("为了群众，审核后公布，作为国家秘密，伪造高峰")
        assert not set(out) & set(characters), (variant.name, out)


@pytest.mark.parametrize("variant", TRADITIONAL, ids=lambda v: v.name)
def test_configs_never_use_phrase_modes(variant):
    assert variant.opencc_config in {"s2t", "s2tw", "s2hk"}
    config = variants.build_config(variant.opencc_config, "/x/phrases.txt", "/x/characters.txt")
    files = [Path(f).name for f in variants._files(config)]
    assert not [f for f in files if f.startswith(("TWPhrases", "HKPhrases"))]
    assert "STCharacters.ocd2" in files
    seg = config["segmentation"]["dict"]
    first = config["conversion_chain"][0]["dict"]
    for group in (seg, first):
        assert group["match_policy"] == "union"
        assert group["dicts"][0] == {"type": "text", "file": "/x/phrases.txt"}
    assert config["conversion_chain"][-1]["dict"] == {"type": "text", "file": "/x/characters.txt"}


@pytest.mark.parametrize("base", ["s2twp", "s2hkp", "t2s", "s2t.json"])
def test_other_configs_are_refused(base):
    with pytest.raises(ValueError):
        variants.build_config(base, "/x/p.txt", "/x/c.txt")


def test_variants_table():
    assert {k: (v.lang, v.opencc_config, v.suffix) for k, v in VARIANTS.items()} == {
        "simplified": ("zh-Hans", None, ""),
        "traditional": ("zh-Hant", "s2t", ".zh-Hant"),
        "zh-TW": ("zh-TW", "s2tw", ".zh-TW"),
        "zh-HK": ("zh-HK", "s2hk", ".zh-HK"),
    }
    assert all(v.name == k for k, v in VARIANTS.items())


def test_converter_is_built_once():
    assert variants.opencc_converter("s2t") is variants.opencc_converter("s2t")
    assert variants.opencc_converter("s2tw") is not variants.opencc_converter("s2t")


def test_report_sized_text_converts_whole():
    """A report-length narrative converts in one piece (speed: benchmarks/)."""
    paragraph = (
        "2021年，后宅镇认真贯彻落实《中华人民共和国政府信息公开条例》，及时发布政策文件，"
        "依法做好政府信息公开申请的受理、审查、处理、答复等工作，全年未发生行政复议、"
        "行政诉讼案件。下一步将开展了如下工作：一是编制本报告；二是加强干部队伍建设。\n"
    )
    text = paragraph * (20000 // len(paragraph) + 1)
    assert len(text) > 20000
    conv = Converter(VARIANTS["traditional"], ["后宅镇"])
    out = conv.narrative(text)
    assert len(out) == len(text)
    assert "後宅鎮" not in out and "后宅镇" in out


# --- protected terms --------------------------------------------------------------------------


def test_builtin_protected_terms():
    conv = Converter(VARIANTS["zh-HK"])
    out = conv.narrative("依据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号")
    assert out == "依據《中華人民共和國政府信息公開條例》和國辦公開辦函〔2021〕30號"
    out = conv.narrative("按《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收费")
    assert out == "按《政府信息公開信息處理費管理辦法》（國辦函〔2020〕109號）收費"
    assert all(len(k) == len(v) for k, v in variants.BUILTIN_PROTECTED.items())


@pytest.mark.parametrize("variant", TRADITIONAL, ids=lambda v: v.name)
def test_protected_list_passes_through(variant):
    conv = Converter(variant, ["后宅镇", "浙里办"])
    assert conv.narrative("后宅镇人民政府通过浙里办发布") == "后宅镇人民政府通過浙里办發布"
    assert Converter(variant).narrative("后宅镇") == "後宅鎮"


def test_protected_mapping_gives_the_fixed_form():
    conv = Converter(VARIANTS["traditional"], {"后宅镇": "后宅鎮", "浙里办": None})
    assert conv.narrative("后宅镇在浙里办发布") == "后宅鎮在浙里办發布"


def test_longest_protected_term_wins():
    conv = Converter(VARIANTS["traditional"], {"后宅": "甲乙", "后宅镇人民政府": "后宅鎮人民政府"})
    assert conv.narrative("后宅镇人民政府和后宅村") == "后宅鎮人民政府和甲乙村"
    user = Converter(VARIANTS["traditional"], {"《中华人民共和国政府信息公开条例》": "《條例》"})
    assert user.narrative("《中华人民共和国政府信息公开条例》") == "《條例》"  # user overrides
    assert user.narrative("政府信息公开条例") == "政府信息公開條例"


@pytest.mark.parametrize("bad", [[""], {"": "x"}, {"后宅": 3}, [None]])
def test_bad_protected_terms_are_refused(bad):
    with pytest.raises(ValueError, match="保护词"):
        Converter(VARIANTS["traditional"], bad)


# --- resolve ----------------------------------------------------------------------------------


def test_resolve():
    s, t, tw, hk = (VARIANTS[k] for k in ("simplified", "traditional", "zh-TW", "zh-HK"))
    assert resolve(["both"]) == [s, t]
    assert resolve(["zh-TW", "traditional", "both"]) == [tw, t, s]
    assert resolve(["simplified,zh-HK"]) == [s, hk]
    assert resolve(["ZH-tw", "Traditional"]) == [tw, t]
    assert resolve("zh-HK") == [hk]
    assert resolve([]) == []
    assert all(isinstance(v, Variant) for v in resolve(["both"]))


def test_resolve_unknown_names_the_choices():
    with pytest.raises(ValueError) as err:
        resolve(["simplified", "zh-CN"])
    message = str(err.value)
    assert "未知" in message and "zh-CN" in message
    for choice in ("simplified", "traditional", "zh-TW", "zh-HK", "both"):
        assert choice in message


# --- properties -------------------------------------------------------------------------------

REPORT_CHARS = (
    "发布复核制发规范性文件政府信息公开干部后来皇后了解只读头发答复复杂恢复里程台州"
    "编制群众秘密为了参与制造被发明展示如何下是一个，。、“”（）《》〔〕0123456789"
)
TERMS = sorted(variants.BUILTIN_PROTECTED)
BOOK_TERMS = [t for t in TERMS if t.startswith("《")]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TRADITIONAL), st.text())
def test_narrative_never_raises_and_keeps_length(variant, text):
    out = Converter(variant).narrative(text)
    assert isinstance(out, str)
    assert len(out) == len(text)  # every OpenCC and gxgen entry maps n characters to n


@settings(deadline=None)
@given(st.sampled_from(TRADITIONAL), st.text(st.characters(max_codepoint=127)))
def test_ascii_passes_unchanged(variant, text):
    assert Converter(variant).narrative(text) == text


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(TRADITIONAL),
    st.text(),
    st.sampled_from(BOOK_TERMS),
    st.text(),
)
def test_builtin_titles_come_out_verbatim(variant, before, term, after):
    out = Converter(variant).narrative(before + term + after)
    assert variants.BUILTIN_PROTECTED[term] in out


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(TRADITIONAL), st.text(REPORT_CHARS), st.text(REPORT_CHARS))
def test_user_terms_come_out_verbatim(variant, before, after):
    conv = Converter(variant, {"后宅镇": None, "浙里办": "浙裏辦"})
    assert "后宅镇" in conv.narrative(before + "后宅镇" + after)
    assert "浙裏辦" in conv.narrative(before + "浙里办" + after)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(TRADITIONAL),
    st.lists(st.one_of(st.text(REPORT_CHARS), st.text()).map(lambda t: t.replace("\n", ""))),
)
def test_paragraphs_convert_independently(variant, paragraphs):
    """No phrase or term spans a line break, so converting paragraph by paragraph (as the
    builder does) gives the same text as converting them joined."""
    conv = Converter(variant, ["后宅镇"])
    joined = conv.narrative("\n".join(paragraphs))
    assert joined == "\n".join(conv.narrative(p) for p in paragraphs)


# --- the maintenance tool ---------------------------------------------------------------------


def _copy_editions(tmp_path: Path) -> Path:
    target = tmp_path / "editions"
    shutil.copytree(ROOT / "src/gxgen/editions", target, ignore=shutil.ignore_patterns("*.py*"))
    return target


def test_tool_adds_missing_and_drops_stale(tmp_path):
    eds = _copy_editions(tmp_path)
    table_path = eds / "traditional.yaml"
    table = _table()
    reviewed = table.pop("本年制发件数")
    table["旧标签"] = "舊標籤"
    table_path.write_text(tool.render(table), "utf-8")
    ext = eds / "extensions"
    ext.mkdir(exist_ok=True)
    (ext / "test-x.yaml").write_text(
        "tables:\n  x:\n    kind: indicators\n    label: 测试用新媒体情况\n"
        "    columns: [测试指标, 测试单位, 测试数量]\n    rows:\n"
        "      - {key: a, label: \"（一）测试发布信息\\n（按后台计）\", unit: 测试条}\n",
        "utf-8",
    )
    report = tool.check(eds)
    assert set(report.missing) == {"本年制发件数", "测试用新媒体情况", "测试指标", "测试单位",
                                   "测试数量", "（一）测试发布信息\n（按后台计）", "测试条"}
    assert report.stale == ["旧标签"]
    assert not report.ok
    assert tool.main(["--check", "--editions", str(eds)]) == 1

    added, dropped = tool.update(eds)
    assert set(added) == set(report.missing) and dropped == ["旧标签"]
    new, unreviewed = tool.read_table(table_path)
    assert new["本年制发件数"] == reviewed
    assert new["（一）测试发布信息\n（按后台计）"] == "（一）測試發布信息\n（按後臺計）"
    assert "旧标签" not in new
    assert unreviewed == set(added)
    check = tool.check(eds)
    assert check.ok and sorted(check.unreviewed) == sorted(added)
    text = table_path.read_text("utf-8")
    assert text.count("  # 待校对\n") == len(added)
    tool.update(eds)
    assert table_path.read_text("utf-8") == text  # idempotent, reviewed marks kept


def test_tool_flags_bad_forms(tmp_path):
    eds = _copy_editions(tmp_path)
    table = _table()
    table["政府信息管理"] = "政府資訊管理"
    table["行政复议"] = "行政複議"
    (eds / "traditional.yaml").write_text(tool.render(table), "utf-8")
    report = tool.check(eds)
    assert [(k, f) for k, _, f in report.bad] == [("政府信息管理", "資訊")]


def test_render_is_deterministic_yaml():
    table = _table()
    text = tool.render(table, ["总计"])
    assert yaml.safe_load(text) == table
    assert text == tool.render(dict(reversed(list(table.items()))), ["总计"])
    assert "总计: 總計  # 待校对\n" in text
