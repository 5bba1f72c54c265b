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
    "encoding_other": (
        "文件按 {encoding} 编码读取；建议另存为 UTF-8，以免在其他电脑上乱码",
        "file read as {encoding}; save it as UTF-8 so it reads the same everywhere",
    ),
    "unreadable": ("无法读取文件：{reason}", "cannot read the file: {reason}"),
    "not_found": ("文件不存在", "no such file"),
    "is_directory": ("这是一个目录，不是事实文件", "this is a directory, not a facts file"),
    "too_large": ("文件超过 {limit} KB，不像是年度报告事实文件", "file larger than {limit} KB"),
    "empty": ("文件为空", "the file is empty"),
    "syntax": ("YAML 语法错误：{problem}", "YAML syntax error: {problem}"),
    "too_deep": ("嵌套层次过深", "nesting too deep"),
    "not_mapping": (
        "文件顶层应为“键: 值”映射（edition、agency、year……），实际为 {kind}",
        "the top level must be a mapping (edition, agency, year, …), found {kind}",
    ),
    "duplicate_key": (
        "键 {key} 重复：第 {first} 行和第 {second} 行都写了它，请只保留一个",
        "duplicate key {key}: on line {first} and again on line {second}",
    ),
    "alias": ("不支持 YAML 锚点/别名（& 与 *）引用", "YAML anchors/aliases (& and *) are not supported"),
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
    "missing_key": ("{where}：缺少必填项 {key}（{label}）", "{where}: missing required key {key} ({label})"),
    "bad_value": ("{where}：应为{expected}，实际为 {actual}", "{where}: expected {expected_en}, got {actual}"),
    "bad_row_length": (
        "{where}：应列 {n} 个数（{columns}），或再加总计共 {m} 个，实际为 {actual} 个",
        "{where}: expected {n} numbers ({columns}) or {m} with the total, got {actual}",
    ),
    "bad_container": ("{where}：应为{expected}，实际为 {actual}", "{where}: expected {expected_en}, got {actual}"),
    "bad_edition": (
        "报告格式 edition 应为 {choices} 之一，实际为 {actual}",
        "edition must be one of {choices}, got {actual}",
    ),
    "bad_date": ("{where}：不是有效日期：{actual}", "{where}: not a valid date: {actual}"),
    "too_precise": (
        "{where}：{value} 超出 {places} 位小数（单位{unit}）",
        "{where}: {value} has more than {places} decimal places (unit {unit})",
    ),
    # arithmetic identities
    "balance": (
        "{where}：{left_expr}={left} ≠ {right_expr}={right}，差 {diff}",
        "{where}: {left_expr}={left} ≠ {right_expr}={right}, difference {diff}",
    ),
    "sum": (
        "{where}：填写的 {total_label}({total}) ≠ {parts_label}之和({sum})，差 {diff}",
        "{where}: the {total_label} typed ({total}) ≠ the sum of {parts_label} ({sum}), difference {diff}",
    ),
    "not_above": (
        "{where}：{left_label}({left}) 不应大于 {right_label}({right})",
        "{where}: {left_label} ({left}) must not exceed {right_label} ({right})",
    ),
    # cross-year
    "carry": (
        "{where}：本年{into_label}({this}) ≠ {previous_file} 的{from_label}({last})，差 {diff}",
        "{where}: {into_label} this year ({this}) ≠ {from_label} in {previous_file} ({last}), difference {diff}",
    ),
    "stock": (
        "{where}：上年{stock_label}({last})+{added_label}({issued})−{removed_label}({repealed})={expected} ≠ 本年{stock_label}({this})，差 {diff}",
        "{where}: last year's {stock_label} ({last}) + {added_label} ({issued}) − {removed_label} ({repealed}) = {expected} ≠ this year's {stock_label} ({this}), difference {diff}",
    ),
    "previous_unusable": (
        "上年度文件 {previous_file} 有错误或格式不同，跳过跨年度核对",
        "last year's file {previous_file} has errors or another edition; cross-year checks skipped",
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
        "{where}：未涉及“{topic}”方面的情况（格式要求总体情况包括主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障）",
        "{where}: does not cover “{topic}” (the format lists 主动公开, 依申请公开, 政府信息管理, 平台建设, 监督保障)",
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
}


def render(code: str, lang: str, params: dict[str, Any]) -> str:
    zh, en = CATALOG[code]
    template = en if lang == "en" else zh
    return template.format(**params)
