"""The DOCX writer as a package (issue 10 item 7): the slot values as one table, and template
errors said through the message catalogue, in Chinese and English."""

from __future__ import annotations

import pickle
import re
import string
from pathlib import Path

import docx as python_docx
import pytest
from clirun import gxgen
from conftest import facts_2021, write

from gxgen.document import Document, Paragraph, Signature
from gxgen.messages import CATALOG
from gxgen.writers import docx
from gxgen.writers.docx import slots
from gxgen.writers.docx.errors import DocxTemplateError
from gxgen.writers.docx.slots import SLOTS, Layout, SlotValues

HAN = re.compile("[\u4e00-\u9fff]")
LAYOUT = Layout(styles={sid: sid for sid in docx.STYLE_IDS}, text_width=8845,
                has_title=False, has_draft=False, has_signature=False)


def document(**changes: object) -> Document:
    fields: dict[str, object] = dict(
        title=("某局", "2022年政府信息公开工作年度报告"),
        lang="zh-Hans",
        blocks=(Paragraph("正文。"),),
        signature=Signature("某局 <&>", "2023年1月18日"),
        meta={"year": "2022"},
    )
    fields.update(changes)
    return Document(**fields)  # type: ignore[arg-type]


def make_template(tmp_path: Path, *texts: str) -> Path:
    template = python_docx.Document()
    for text in texts:
        template.add_paragraph(text)
    path = tmp_path / "user.docx"
    template.save(path)
    return path


# --------------------------------------------------------------------------- the slot table


def test_every_placeholder_has_a_value() -> None:
    for name in slots.VARIABLES:
        if name not in ("body", "signature"):
            assert ("I", name) in SLOTS, name
    for name in slots.PARAGRAPH_VARIABLES:
        assert ("P", name) in SLOTS, name
    assert ("L", "title") in SLOTS
    assert {("I", font) for font in slots.TRADITIONAL_FONTS} | {("I", "lang")} <= set(SLOTS)


def test_inline_values_are_escaped_text() -> None:
    values = SlotValues(document(draft_mark="草稿<1>"), LAYOUT)
    assert values["I", "agency", ""] == "某局 &lt;&amp;&gt;"  # from the 落款: no meta agency
    assert values["I", "date", ""] == "2023年1月18日"
    assert values["I", "year", ""] == "2022"
    assert values["I", "draft", ""] == "草稿&lt;1&gt;"
    assert values["I", "title", ""] == "某局2022年政府信息公开工作年度报告"
    assert values["L", "title", ""] == (
        '某局</w:t><w:br/><w:t xml:space="preserve">2022年政府信息公开工作年度报告')
    no_signature = SlotValues(document(signature=None, draft_mark=None), LAYOUT)
    assert no_signature["I", "date", ""] == no_signature["I", "draft", ""] == ""
    assert no_signature["P", "signature", ""] == no_signature["P", "draft", ""] == ""


@pytest.mark.parametrize(("lang", "word", "font"), [
    ("zh-Hans", "zh-CN", "仿宋_GB2312"),
    ("zh-Hant", "zh-TW", "仿宋"),
    ("zh-HK", "zh-HK", "仿宋"),
    ("zh-Hant-MO", "zh-TW", "仿宋"),
])
def test_language_and_fonts_follow_the_script(lang: str, word: str, font: str) -> None:
    values = SlotValues(document(lang=lang), LAYOUT)
    assert values["I", "lang", ""] == word
    assert values["I", "fangsong", ""] == font


def test_body_adds_what_the_template_does_not_place() -> None:
    doc = document(draft_mark="草稿")
    generated = SlotValues(doc, LAYOUT)["P", "body", ""]
    assert "GxDraft" in generated and "GxTitle" in generated and "GxSignature" in generated
    placed = Layout(LAYOUT.styles, 8845, has_title=True, has_draft=True, has_signature=True)
    body = SlotValues(doc, placed)["P", "body", ""]
    assert "GxDraft" not in body and "GxTitle" not in body and "GxSignature" not in body
    own = '<w:p><w:r><w:t>GXGENI_draft_</w:t></w:r></w:p>'
    assert SlotValues(doc, placed)["P", "draft", own] == "<w:p><w:r><w:t>草稿</w:t></w:r></w:p>"


def test_a_slot_outside_the_table_is_refused() -> None:
    with pytest.raises(DocxTemplateError) as info:
        SlotValues(document(), LAYOUT)["L", "agency", ""]
    assert info.value.code == "docx_slot_misplaced"
    assert str(info.value) == "占位符 {{ agency }} 不能用在这里"
    assert info.value.message("en") == "the placeholder {{ agency }} cannot go here"


# ------------------------------------------------------------------- errors in two languages


def test_docx_codes_are_in_the_catalogue_in_both_languages() -> None:
    codes = [code for code in CATALOG if code.startswith("docx_")]
    assert len(codes) >= 25
    for code in codes:
        zh, en = CATALOG[code]
        assert HAN.search(zh) and not HAN.search(en), code
        names = {f[1] for f in string.Formatter().parse(zh) if f[1]}
        names_en = {f[1].removesuffix("_en") for f in string.Formatter().parse(en) if f[1]}
        assert names == names_en, code


def test_english_template_error(tmp_path: Path) -> None:
    path = make_template(tmp_path, "{{ body }}", "{{ titel }}")
    with pytest.raises(DocxTemplateError) as info:
        docx.check_template(path)
    error = info.value
    assert str(error) == error.message("zh")
    assert str(error) == (f"模板 {path} 不可用：未知变量 {{{{ titel }}}}"
                          "（可用：title、body、signature、draft、agency、date、year）")
    assert error.message("en") == (
        f"template {path} is not usable: unknown variable {{{{ titel }}}} "
        "(known: title, body, signature, draft, agency, date, year)")


def test_error_survives_pickling(tmp_path: Path) -> None:
    """A worker process may send the error back: code, parameters and nested reason too."""
    with pytest.raises(DocxTemplateError) as info:
        docx.check_template(make_template(tmp_path, "{{ title }}"))
    again = pickle.loads(pickle.dumps(info.value))
    assert again.code == "docx_template_unusable"
    assert again.message("en") == info.value.message("en")
    assert str(again) == str(info.value)


def test_unreadable_template_in_english(tmp_path: Path) -> None:
    with pytest.raises(DocxTemplateError) as info:
        docx.check_template(tmp_path)
    assert info.value.message("en") == (
        f"cannot read the template file {tmp_path} (this is a directory, not a facts file)")
    assert str(info.value) == f"无法读取模板文件：{tmp_path}（这是一个目录，不是事实文件）"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_says_a_template_error_in_the_chosen_language(tmp_path: Path, lang: str) -> None:
    facts = write(tmp_path / "2022.yaml", facts_2021())
    template = make_template(tmp_path, "{{ title }}")
    result = gxgen("render", facts, "--template", template, "--lang", lang,
                   "-o", tmp_path / "out/")
    assert result.exit_code == 2
    expected = {"zh": f"模板 {template} 不可用：缺少正文占位符 {{{{ body }}}}（须单独成段）",
                "en": f"template {template} is not usable: no body placeholder {{{{ body }}}} "
                      "(a paragraph of its own)"}
    assert result.stderr.strip().splitlines() == [expected[lang]]
    assert not (tmp_path / "out").exists()
