"""The message catalogue: every sentence gxgen says about a facts file, in Chinese and English.

Parameters are filled with ``str.format``; statutory labels inside them stay Chinese in both
languages, because that is what the author sees in the report.
"""

from __future__ import annotations

from typing import Any

CATALOG: dict[str, tuple[str, str]] = {
    # reading the file
    "not_text": ("不是文本文件（含二进制内容），无法读取", "not a text file (binary content)"),
    "bad_encoding": (
        "文件编码无法识别（既不是 UTF-8 也不是 GB18030），请另存为 UTF-8",
        "unknown text encoding (neither UTF-8 nor GB18030); save the file as UTF-8",
    ),
    "bad_utf8": (
        "此行有不是 UTF-8 的字节（其余部分是 UTF-8；可能粘贴了 GBK 编码的文字），"
        "请改正后另存为 UTF-8",
        "this line has bytes that are not UTF-8 (the rest of the file is); fix them and save "
        "as UTF-8",
    ),
    "encoding_other": (
        "文件按 {encoding} 编码读取；建议另存为 UTF-8，以免在其他电脑上乱码",
        "file read as {encoding}; save it as UTF-8 so it reads the same everywhere",
    ),
    "unreadable": ("无法读取文件：{reason}", "cannot read the file: {reason}"),
    "not_found": ("文件不存在", "no such file"),
    "is_directory": ("这是一个目录，不是事实文件", "this is a directory, not a facts file"),
    "too_large": ("文件超过 {limit} KB，不像是年度报告事实文件", "file larger than {limit} KB"),
    "empty": ("文件为空", "the file is empty"),
    "syntax": ("YAML 语法错误：{problem}", "YAML syntax error: {problem_en}"),
    "control_char": (
        "文件中有不可见的控制字符 {char}，请删除",
        "the file contains an invisible control character {char}; delete it",
    ),
    "too_deep": (
        "嵌套超过 {limit} 层，不像是年度报告事实文件",
        "nested more than {limit} levels deep",
    ),
    "too_many_values": (
        "文件中的值超过 {limit} 个，不像是年度报告事实文件",
        "more than {limit} values; this is not a facts file",
    ),
    "not_mapping": (
        "文件顶层应为“键: 值”映射（edition、agency、year……），实际为{kind}",
        "the top level must be a mapping (edition, agency, year, …), found {kind_en}",
    ),
    "duplicate_key": (
        "键 {key} 重复：第 {first} 行和第 {second} 行都写了它，请只保留一个",
        "duplicate key {key}: on line {first} and again on line {second}",
    ),
    "alias": (
        "不支持用别名（*名称）引用列表或映射，请把内容照写一遍",
        "an alias (*name) of a list or mapping is not supported; write the values out",
    ),
    "merge_key": ("不支持 YAML 合并键 <<", "YAML merge keys (<<) are not supported"),
    "complex_key": ("键必须是简单文字", "keys must be plain scalars"),
    "unknown_tag": ("不支持的 YAML 标签 {tag}", "unsupported YAML tag {tag}"),
    # schema
    "unknown_key": (
        "{where}：未知的键 {key}（是否应为 {suggestion}？）",
        "{where}: unknown key {key} (did you mean {suggestion}?)",
    ),
    "unknown_key_list": (
        "{where}：未知的键 {key}（可用的键：{allowed}）",
        "{where}: unknown key {key} (allowed: {allowed})",
    ),
    "missing_key": (
        "{where}：缺少必填项 {key}（{label}）",
        "{where}: missing required key {key} ({label})",
    ),
    "bad_value": (
        "{where}：应为{expected}，实际为 {actual}",
        "{where}: expected {expected_en}, got {actual_en}",
    ),
    "bad_row_length": (
        "{where}：应列 {n} 个数（{columns}），或再加总计共 {m} 个，实际为 {actual} 个",
        "{where}: expected {n} numbers ({columns}) or {m} with the total, got {actual}",
    ),
    "bad_edition": (
        "报告格式 edition 应为 {choices} 之一，实际为 {actual}",
        "edition must be one of {choices_en}, got {actual_en}",
    ),
    "bad_date": ("{where}：不是有效日期：{actual}", "{where}: not a valid date: {actual}"),
    "too_precise": (
        "{where}：{value} 超出 {places} 位小数（单位{unit}）",
        "{where}: {value} has more than {places} decimal places (unit {unit})",
    ),
    # extension tables
    "ext_definition": (
        "扩展表定义 {where}：{problem}",
        "extension definition {where}: {problem_en}",
    ),
    "ext_unknown": (
        "没有名为“{name}”的内置扩展表（内置：{choices}）；"
        "自定义扩展表请写定义文件的路径，如 ./本省扩展表.yaml",
        "no built-in extension “{name}” (built in: {choices}); "
        "for your own, give the path of its definition file, e.g. ./my-tables.yaml",
    ),
    "ext_not_found": ("扩展表定义文件 {path} 不存在", "extension definition file {path} not found"),
    "ext_unreadable": (
        "无法读取扩展表定义文件 {path}：{reason}",
        "cannot read extension definition file {path}: {reason_en}",
    ),
    "ext_edition": (
        "扩展表“{name}”（{file}）只适用于 {editions} 格式，此文件使用 {edition} 格式",
        "extension “{name}” ({file}) is for the {editions} edition(s); this file uses {edition}",
    ),
    # arithmetic identities
    "balance": (
        "{where}：{left_expr}={left} ≠ {right_expr}={right}，差 {diff}",
        "{where}: {left_expr}={left} ≠ {right_expr}={right}, difference {diff}",
    ),
    "sum": (
        "{where}：填写的 {total_label}({total}) ≠ {parts_label}之和({sum})，差 {diff}",
        "{where}: the {total_label} typed ({total}) ≠ the sum of {parts_label} ({sum}), "
        "difference {diff}",
    ),
    "not_above": (
        "{where}：{left_label}({left}) 不应大于 {right_label}({right})",
        "{where}: {left_label} ({left}) must not exceed {right_label} ({right})",
    ),
    "negative_sum": (
        "{where}：{left_label}({left})+{right_label}({right})={sum}，不应为负数",
        "{where}: {left_label} ({left}) + {right_label} ({right}) = {sum}, cannot be negative",
    ),
    # cross-year
    "carry": (
        "{where}：本年{into_label}({this}) ≠ {previous_file} 的{from_label}({last})，差 {diff}",
        "{where}: {into_label} this year ({this}) ≠ {from_label} in {previous_file} ({last}), "
        "difference {diff}",
    ),
    "stock": (
        "{where}：上年{stock_label}({last})+{added_label}({issued})−{removed_label}({repealed})"
        "={expected} ≠ 本年{stock_label}({this})，差 {diff}",
        "{where}: last year's {stock_label} ({last}) + {added_label} ({issued}) − "
        "{removed_label} ({repealed}) = {expected} ≠ this year's {stock_label} ({this}), "
        "difference {diff}",
    ),
    "previous_unusable": (
        "上年度文件 {previous_file} 有错误（{reason}），跳过跨年度核对",
        "last year's file {previous_file} has errors ({reason_en}); cross-year checks skipped",
    ),
    "previous_year_mismatch": (
        "上年度文件 {previous_file} 的年度是 {found}，应为 {expected}",
        "last year's file {previous_file} is for {found}, expected {expected}",
    ),
    # content
    "narrative_empty": (
        "{where}：内容为空或只写“{text}”，应如实说明",
        "{where}: empty or just “{text}”; say something real",
    ),
    "narrative_missing": ("{where}：尚未填写", "{where}: not written yet"),
    "fees_silent": (
        "{where}：未说明信息处理费收取情况（填写 processing_fees，或在正文中说明）",
        "{where}: says nothing about 信息处理费 (fill processing_fees or mention it in the text)",
    ),
    "overview_topic": (
        "{where}：未涉及“{topic}”方面的情况（格式要求总体情况包括主动公开、依申请公开、"
        "政府信息管理、政府信息公开平台建设、监督保障）",
        "{where}: does not cover “{topic}” (the format lists 主动公开, 依申请公开, "
        "政府信息管理, 平台建设, 监督保障)",
    ),
    "late": (
        "成文日期 {date} 晚于法定公布期限 {deadline}（{basis}）",
        "date {date} is after the statutory deadline {deadline} ({basis})",
    ),
    "date_before_year": (
        "成文日期 {date} 早于报告年度结束（{year}年12月31日）",
        "date {date} is before the end of the report year ({year}-12-31)",
    ),
    "edition_year": (
        "{year} 年度报告应使用 {expected} 格式（{notice}），此文件使用 {edition} 格式",
        "a {year} report should use the {expected} edition ({notice}); this file uses {edition}",
    ),
    # batch, rollup, diff (many files)
    "batch_collision": (
        "输出文件名与 {other} 的输出相同，未生成（请重命名其中一个文件或目录）",
        "its output names clash with those of {other}; nothing written (rename one of them)",
    ),
    "batch_outside": (
        "输出路径 {path} 会落在输出目录之外，已拒绝写入",
        "output path {path} would lie outside the output folder; refused",
    ),
    "batch_failed": ("生成失败：{reason}", "rendering failed: {reason}"),
    "rollup_no_files": ("没有找到可汇总的事实文件（*.yaml）", "no facts files (*.yaml) to sum"),
    "rollup_input_errors": (
        "{n} 个事实文件有错误，未汇总（请先修正）：",
        "{n} facts file(s) have errors; nothing summed (fix them first):",
    ),
    "rollup_mixed_editions": (
        "不能汇总不同格式的报告（国办公开办函〔2021〕30号与〔2019〕60号的表格不同）：",
        "cannot sum reports of different editions (the 2021 and 2019 tables differ):",
    ),
    "rollup_file_edition": ("  {file}：{edition} 格式", "  {file}: edition {edition}"),
    "rollup_mixed_years": (
        "不能汇总不同年度的报告：以下文件不是 {year} 年度：",
        "cannot sum reports of different years; these are not for {year}:",
    ),
    "rollup_file_year": ("  {file}：{year} 年度", "  {file}: year {year}"),
    "diff_header": (
        "{old}（{old_year}年）→ {new}（{new_year}年）：{cells} 项统计数字、{texts} 处叙述有变化",
        "{old} ({old_year}) → {new} ({new_year}): "
        "{cells} figure(s) and {texts} narrative(s) changed",
    ),
    "diff_none": ("没有变化", "no changes"),
    "diff_field": ("{name}：{old} → {new}", "{name}: {old} → {new}"),
    "diff_cell": ("{name}：{old} → {new}（{delta}）", "{name}: {old} → {new} ({delta})"),
    "diff_cell_plain": ("{name}：{old} → {new}", "{name}: {old} → {new}"),
    "diff_text": (
        "{name}：叙述有改动（{old_paras} 段 → {new_paras} 段，{old_chars} 字 → {new_chars} 字）",
        "{name}: text changed ({old_paras} → {new_paras} paragraphs, "
        "{old_chars} → {new_chars} characters)",
    ),
    "diff_text_added": (
        "{name}：新写了叙述（{new_paras} 段，{new_chars} 字）",
        "{name}: text written ({new_paras} paragraphs, {new_chars} characters)",
    ),
    "diff_text_removed": (
        "{name}：叙述已删除（原 {old_paras} 段，{old_chars} 字）",
        "{name}: text removed (was {old_paras} paragraphs, {old_chars} characters)",
    ),
    "diff_unusable": (
        "{file}：不是有效的事实文件，无法比较",
        "{file}: not a valid facts file; cannot compare",
    ),
    "diff_git": (
        "无法从 git 取出 {file} 的 {rev} 版本：{reason}",
        "cannot get {file} at {rev} from git: {reason}",
    ),
    # --- issue 8, input limits: unreadable inputs and amplification (one block, for merges)
    "not_regular": (
        "不是普通文件（管道、设备等），不读取",
        "not a regular file (a pipe, a device, …); not read",
    ),
    "bad_char": (
        "文字中有不可打印的字符 {char}（由引号内的转义符写入），请删除",
        "the text holds an unprintable character {char} (written as an escape in quotes); "
        "delete it",
    ),
    "number_too_long": (
        "数字 {number} 超过 {limit} 位，不是统计数字",
        "the number {number} has more than {limit} digits; not a figure",
    ),
    "too_much_text": (
        "文字合计超过 {limit} 字（别名 *名称 每引用一次计一次），不像是年度报告事实文件",
        "more than {limit} characters of text (an alias *name counts at each use); "
        "not a facts file",
    ),
    "too_big": (
        "{where}：{actual} 超出上限 {limit}（年度报告中不会出现这么大的数）",
        "{where}: {actual_en} is beyond the limit {limit} (no report has a figure this large)",
    ),
    "diff_git_too_large": (
        "{file} 的 {rev} 版本超过 {limit} KB，不像是年度报告事实文件",
        "{file} at {rev} is larger than {limit} KB; not a facts file",
    ),
}


def render(code: str, lang: str, params: dict[str, Any]) -> str:
    zh, en = CATALOG[code]
    template = en if lang == "en" else zh
    return template.format(**params)
