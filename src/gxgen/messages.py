"""The message catalogue: every sentence gxgen says about a facts file, in Chinese and English.

Parameters are filled with ``str.format``; statutory labels inside them stay Chinese in both
languages, because that is what the author sees in the report. A parameter is never a
sentence already said in one language: a part that differs by language is itself a message,
``nested(code, **params)``, said in the reader's language when the outer one is.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
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
    "syntax": ("YAML 语法错误：{problem}", "YAML syntax error: {problem}"),
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
        "the top level must be a mapping (edition, agency, year, …), found {kind}",
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
        "{where}: expected {expected}, got {actual}",
    ),
    "bad_row_length": (
        "{where}：应列 {n} 个数（{columns}），或再加总计共 {m} 个，实际为 {actual} 个",
        "{where}: expected {n} numbers ({columns}) or {m} with the total, got {actual}",
    ),
    "bad_edition": (
        "报告格式 edition 应为 {choices} 之一，实际为 {actual}",
        "edition must be one of {choices}, got {actual}",
    ),
    "bad_date": ("{where}：不是有效日期：{actual}", "{where}: not a valid date: {actual}"),
    "too_precise": (
        "{where}：{value} 超出 {places} 位小数（单位{unit}）",
        "{where}: {value} has more than {places} decimal places (unit {unit})",
    ),
    # extension tables
    "ext_definition": (
        "扩展表定义 {where}：{problem}",
        "extension definition {where}: {problem}",
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
        "cannot read extension definition file {path}: {reason}",
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
        "last year's file {previous_file} has errors ({reason}); cross-year checks skipped",
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
    # C-FIGURE: figures stated in the narrative against the tables (gxgen.figures)
    "figure_count": (
        "叙述称“{text}”，但{where}={table}，差 {diff}",
        "the narrative says “{text}”, but {where} = {table}, a difference of {diff}",
    ),
    "figure_share": (
        "叙述称“{text}”，但{where}={part}，占{base_label}（{base}）的 {actual}%"
        "（以办理结果总计、本年新收或新收加上年结转为分母都不符）",
        "the narrative says “{text}”, but {where} = {part} is {actual}% of {base_label} "
        "({base}), the nearest of the shares of 办理结果总计, 本年新收 and 新收 + 上年结转",
    ),
    "figure_claim": (
        "叙述称“{text}”，但{where}中 {cells}",
        "the narrative says “{text}”, but in {where} {cells}",
    ),
    "figure_none": (
        "叙述称“{text}”，但{where}中 {cells}",
        "the narrative says “{text}”, but in {where} {cells}",
    ),
    "ignored_unused": (
        "ignore 条目（规则 {rule}{at}）没有忽略任何警告，请删除或改正",
        "this ignore entry (rule {rule}{at}) silences no warning; remove or correct it",
    ),
    "ignored_error": (
        "ignore 条目不能忽略错误（规则 {rule}），只能忽略经核实的警告",
        "an ignore entry cannot silence an error (rule {rule}), only a confirmed warning",
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
    # batch reliability (issue 8): kept outputs, one run per OUT, files that are not reports
    "batch_write_failed": ("写入输出文件失败：{reason}", "writing the outputs failed: {reason}"),
    "batch_killed": (
        "工作进程被终止（信号 {signal}，{name}）", "worker killed (signal {signal}, {name})",
    ),
    "batch_died": (
        "工作进程意外退出（退出码 {status}）", "worker exited unexpectedly (exit code {status})",
    ),
    "batch_target_special": (
        "输出路径 {path} 已存在且不是普通文件，已拒绝写入",
        "output path {path} exists and is not a regular file; refused",
    ),
    "batch_busy": (
        "另一个 gxgen batch（进程 {pid}）正在写入 {out}；请等它结束，或加 --wait 排队",
        "another gxgen batch (process {pid}) is writing to {out}; let it finish or use --wait",
    ),
    "batch_waiting": (
        "等待进程 {pid} 结束对 {out} 的写入……", "waiting for process {pid} to finish with {out}…",
    ),
    "batch_out_unusable": (
        "无法使用输出目录 {out}：{reason}", "cannot use the output folder {out}: {reason}",
    ),
    "batch_out_is_file": (
        "输出目录 {out} 已存在且不是目录", "the output folder {out} exists and is not a folder",
    ),
    "batch_lock_special": (
        "锁文件 {path} 不是普通文件，请删除后重试",
        "the lock file {path} is not a regular file; delete it and try again",
    ),
    "template_unusable": (
        "模板 {path} 无法使用：{reason}", "template {path} cannot be used: {reason}",
    ),
    # --- issue 10 item 3, the DOCX writer's template errors (one block, for merges)
    "docx_template_missing": ("找不到模板文件：{path}", "template file not found: {path}"),
    "docx_template_unreadable": (
        "无法读取模板文件：{path}（{reason}）", "cannot read the template file {path} ({reason})",
    ),
    "docx_template_bad_xml": (
        "模板 {path} 不可用：XML 有误（{reason}）",
        "template {path} is not usable: bad XML ({reason})",
    ),
    "docx_template_unusable": (
        "模板 {path} 不可用：{reason}", "template {path} is not usable: {reason}",
    ),
    "docx_statement": (
        "只能使用 {{{{ 变量 }}}} 占位符，不支持 {{% … %}} 语句",
        "only {{{{ variable }}}} placeholders may be used, not {{% … %}} statements",
    ),
    "docx_expression": (
        "占位符只能是 {{{{ 变量名 }}}}，不支持过滤器或表达式",
        "a placeholder is a bare {{{{ name }}}}: filters and expressions are not supported",
    ),
    "docx_unknown_variable": (
        "未知变量 {{{{ {name} }}}}（可用：{known}）",
        "unknown variable {{{{ {name} }}}} (known: {known})",
    ),
    "docx_not_zip": (
        "不是有效的 DOCX 文件（无法作为 zip 打开）",
        "not a valid DOCX file (it does not open as a zip)",
    ),
    "docx_not_docx": (
        "不是有效的 DOCX 文件（{reason}）", "not a valid DOCX file ({reason})",
    ),
    "docx_too_many_parts": (
        "部件超过 {limit} 个，不像是 Word 文档",
        "more than {limit} parts; this is not a Word document",
    ),
    "docx_total_too_large": (
        "解压后共 {size} MB，超过上限 {limit} MB",
        "{size} MB once inflated, beyond the limit of {limit} MB",
    ),
    "docx_part_too_large": (
        "部件 {part} 解压后 {size} MB，超过上限 {limit} MB",
        "part {part} is {size} MB once inflated, beyond the limit of {limit} MB",
    ),
    "docx_part_ratio": (
        "部件 {part} 的压缩比超过 {ratio}:1，疑为压缩炸弹",
        "part {part} inflates more than {ratio}:1, like a zip bomb",
    ),
    "docx_part_unreadable": (
        "部件 {part} 无法解压（{reason}）", "part {part} cannot be inflated ({reason})",
    ),
    "docx_part_bad_xml": (
        "部件 {part} 不是合法 XML（{reason}）", "part {part} is not well-formed XML ({reason})",
    ),
    "docx_part_dtd": (
        "部件 {part} 含 DTD 或实体声明（<!DOCTYPE …>），不支持",
        "part {part} declares a DTD or entities (<!DOCTYPE …>), which is not supported",
    ),
    "docx_rendered_bad_xml": (
        "部件 {part} 渲染后不是合法 XML（{reason}）",
        "part {part} is not well-formed XML once rendered ({reason})",
    ),
    "docx_jinja_syntax": ("Jinja 语法错误：{problem}", "Jinja syntax error: {problem}"),
    "docx_jinja_syntax_near": (
        "Jinja 语法错误：{problem}，附近文字：{near}",
        "Jinja syntax error: {problem}, near the text: {near}",
    ),
    "docx_jinja": ("Jinja 错误：{reason}", "Jinja error: {reason}"),
    "docx_docxtpl_failed": (
        "docxtpl 渲染失败（{reason}）", "docxtpl could not render it ({reason})",
    ),
    "docx_no_main": (
        "不是 Word 文档（缺少主文档部件）", "not a Word document (no main document part)",
    ),
    "docx_no_styles": ("缺少样式部件 styles.xml", "no styles part (styles.xml)"),
    "docx_placeholder_alone": (
        "占位符 {{{{ {name} }}}} 必须在正文中单独成段",
        "the placeholder {{{{ {name} }}}} must be a paragraph of its own in the body",
    ),
    "docx_placeholder_in_header": (
        "占位符 {{{{ {name} }}}} 必须在正文中，不能放在页眉页脚",
        "the placeholder {{{{ {name} }}}} belongs in the body, not in a header or footer",
    ),
    "docx_paragraph_tag_in_header": (
        "页眉页脚中请用 {{{{ 变量 }}}}，不要用 {{{{p 变量 }}}}",
        "in headers and footers write {{{{ variable }}}}, not {{{{p variable }}}}",
    ),
    "docx_not_paragraph_variable": (
        "{{{{ {name} }}}} 只能写在段落中，不能用 {{{{p {name} }}}}",
        "{{{{ {name} }}}} goes inside a paragraph: {{{{p {name} }}}} is not supported",
    ),
    "docx_no_body": (
        "缺少正文占位符 {{{{ body }}}}（须单独成段）",
        "no body placeholder {{{{ body }}}} (a paragraph of its own)",
    ),
    "docx_body_twice": (
        "正文占位符 {{{{ body }}}} 只能出现一次",
        "the body placeholder {{{{ body }}}} may appear only once",
    ),
    "docx_slot_misplaced": (
        "占位符 {{{{ {name} }}}} 不能用在这里", "the placeholder {{{{ {name} }}}} cannot go here",
    ),
    # --- end of issue 10 item 3, DOCX template errors
    "batch_skip_extension": (
        "跳过 {file}：这是扩展表定义，不是报告",
        "skipped {file}: an extension definition, not a report",
    ),
    "batch_skip_other": (
        "跳过 {file}：不是事实文件（没有 edition、agency、year、applications）",
        "skipped {file}: not a facts file (no edition, agency, year or applications)",
    ),
    "batch_no_facts": ("未找到事实文件（*.yaml、*.yml）", "no facts files (*.yaml, *.yml) found"),
    "batch_unchanged": (
        "{n} 份报告未变，跳过（--force 全部重新生成）",
        "{n} report(s) unchanged, skipped (--force re-renders all)",
    ),
    "batch_summary": (
        "共 {total} 份报告：生成 {done} 份（其中未变跳过 {unchanged} 份），"
        "失败 {failed} 份{kept}；错误 {errors} 条，警告 {warnings} 条；"
        "写入 {written} 个文件{removed}{ignored}{upgraded}。索引：{index}",
        "{total} report(s): {done} rendered ({unchanged} unchanged, skipped), {failed} failed"
        "{kept}; {errors} error(s), {warnings} warning(s); {written} file(s) written{removed}"
        "{ignored}{upgraded}. Index: {index}",
    ),
    "batch_summary_kept": (
        "（其中 {n} 份保留上次生成的文件）", " ({n} of them keep their last good outputs)",
    ),
    "batch_summary_removed": (
        "，删除不再生成的文件 {n} 个", ", {n} file(s) no longer produced removed",
    ),
    "batch_summary_ignored": (
        "；跳过非报告文件 {n} 个", "; {n} file(s) that are not reports skipped",
    ),
    "batch_state_kept": ("失败（保留上次）", "FAILED (last kept)"),
    # batch index and summary in the user's language (issue 10, r-batch2)
    "index_title": (
        "政府信息公开工作年度报告 · 批量生成结果",
        "Annual reports on government information disclosure · batch results",
    ),
    "index_summary": (
        "共 {total} 份：通过 {ok} 份，有警告 {warning} 份，有错误 {error} 份（未生成{kept}）。"
        "{ignored}",
        "{total} report(s): {ok} passed, {warning} with warnings, {error} with errors "
        "(not rendered{kept}).{ignored}",
    ),
    "index_summary_kept": (
        "，其中 {n} 份保留上次生成的文件（标为过期）",
        "; {n} of them keep their last outputs (marked stale)",
    ),
    "index_summary_ignored": (
        "另有 {n} 个 YAML 文件不是报告，未处理。",
        " {n} more YAML file(s) are not reports and were not processed.",
    ),
    "index_col_agency": ("机关", "Agency"),
    "index_col_year": ("年度", "Year"),
    "index_col_check": ("校验", "Check"),
    "index_col_reports": ("报告", "Reports"),
    "index_col_source": ("事实文件", "Facts file"),
    "index_status_ok": ("通过", "passed"),
    "index_status_warning": ("通过（有警告）", "passed (with warnings)"),
    "index_status_error": ("有错误，未生成", "errors, not rendered"),
    "index_status_count": ("{status}（{count}）", "{status} ({count})"),
    "index_format_docx": ("Word", "Word"),
    "index_format_html": ("网页", "web page"),
    "index_format_md": ("Markdown", "Markdown"),
    "index_format_odt": ("ODT", "ODT"),
    "index_format_txt": ("纯文本", "plain text"),
    "index_variant_simplified": ("简体", "simplified"),
    "index_variant_traditional": ("繁体", "traditional"),
    "index_variant_zh-TW": ("繁体（台湾）", "traditional (Taiwan)"),
    "index_variant_zh-HK": ("繁体（香港）", "traditional (Hong Kong)"),
    "index_colon": ("：", ": "),
    "index_links_sep": ("；", "; "),
    "index_stale": (
        "过期（本次校验/生成未通过）：{reason}", "stale (failed in this run): {reason}",
    ),
    "index_stale_more": ("{reason} 等 {n} 条错误", "{reason} ({n} errors in all)"),
    "index_at_line": ("第 {line} 行：{message}", "line {line}: {message}"),
    "index_errors": ("{n} 条错误", "{n} error(s)"),
    "index_warnings": ("{n} 条警告", "{n} warning(s)"),
    "index_errors_warnings": ("{errors} 条错误、{warnings} 条警告",
                              "{errors} error(s), {warnings} warning(s)"),
    "index_previous": ("已与上年度 {file} 核对", "checked against last year's {file}"),
    "index_unknown_agency": ("（无法识别）", "(unknown)"),
    "index_no_facts": ("（没有事实文件）", "(no facts files)"),
    "index_problems": ("问题清单", "Problems"),
    "index_problem_file": ("{file}（{agency}）", "{file} ({agency})"),
    "index_problem": ("{line}（{rule}）", "{line} ({rule})"),
    "index_ignored_title": ("未作为报告处理的文件", "Files not processed as reports"),
    "index_ignored_batch_skip_extension": ("扩展表定义", "an extension definition"),
    "index_ignored_batch_skip_other": ("不是事实文件", "not a facts file"),
    "batch_summary_upgraded": (
        "；输出目录的清单由旧版 gxgen 写出，本次全部重新生成一次",
        "; the output folder's manifest was written by an older gxgen: every report was "
        "rendered again, once",
    ),
    "batch_progress": ("生成中", "rendering"),
    "batch_strict": (
        "--strict：{n} 份报告有警告，按错误处理",
        "--strict: {n} report(s) have warnings, counted as errors",
    ),
    "batch_col_agency": ("机关", "agency"),
    "batch_col_year": ("年度", "year"),
    "batch_col_file": ("事实文件", "file"),
    "batch_col_written": ("写入", "written"),
    "batch_col_errors": ("错误", "errors"),
    "batch_col_warnings": ("警告", "warnings"),
    "batch_col_status": ("状态", "status"),
    "batch_state_rendered": ("已生成", "rendered"),
    "batch_state_failed": ("失败", "FAILED"),
    "batch_state_unchanged": ("未变", "unchanged"),
    "rollup_no_files": ("没有找到可汇总的事实文件（*.yaml）", "no facts files (*.yaml) to sum"),
    "rollup_input_errors": (
        "{n} 个事实文件有错误，未汇总（请先修正）：",
        "{n} facts file(s) have errors; nothing summed (fix them first):",
    ),
    "rollup_mixed_editions": (
        "不能汇总不同格式的报告（格式版本或扩展表不同，表格不一致）：",
        "cannot sum reports whose tables differ (another edition or other extension "
        "tables):",
    ),
    "rollup_file_edition": (
        "  {file}：{edition} 格式{tables}", "  {file}: edition {edition}{tables}",
    ),
    "rollup_file_extensions": ("，扩展表 {names}", ", extension tables {names}"),
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
    # --- a report that is not ready (issue 9: severities, empty narrative, dates, partial
    # checks, full-width input) ---
    "severity_error": ("错误", "error"),
    "severity_warning": ("警告", "warning"),
    "severity_info": ("提示", "note"),
    "no_date": (
        "未填写成文日期 date：报告落款将没有日期（写作 YYYY-MM-DD）",
        "no 成文日期 (date): the report's 落款 will have no date (write YYYY-MM-DD)",
    ),
    "fees_silent_text": (
        "{where}：未说明信息处理费收取情况（{year} 年度起应说明；此格式没有信息处理费表，"
        "请在正文中说明）",
        "{where}: says nothing about 信息处理费 (required from {year}; this edition has no "
        "table for it, so say it in the text)",
    ),
    "blank_cells": (
        "{n} 个单元格是空白或“-”“_”：空白单元格请填 0；总计可省略由 gxgen 计算",
        "{n} cells are blank or “-”/“_”: type 0 in a blank cell; totals may be left out for "
        "gxgen to compute",
    ),
    "previous_partial": (
        "上年度文件 {previous_file} 有错误（{reason}），跨年度核对只用了其中有效的单元格",
        "last year's file {previous_file} has errors ({reason}); the cross-year checks used "
        "only its valid cells",
    ),
    "fullwidth_colon": (
        "“{key}”后面是全角冒号“：”，请改为半角冒号加空格（{key}: …）",
        "a full-width colon “：” follows “{key}”; use an ASCII colon and a space ({key}: …)",
    ),
    "bad_value_hint": (
        "{where}：应为{expected}，实际为 {actual}（{hint}）",
        "{where}: expected {expected}, got {actual} ({hint})",
    ),
    "hint_fullwidth_digits": (
        "其中是全角数字，请改用半角数字：{ascii}", "those are full-width digits; type {ascii}"),
    "hint_fullwidth_colon": (
        "“{key}”后面是全角冒号“：”，请改为半角冒号加空格",
        "a full-width colon “：” follows “{key}”; use an ASCII colon and a space",
    ),
    "label_missing": (
        "无法生成繁体文本：内置标签“{label}”没有校对过的繁体写法（editions/traditional.yaml；"
        "这是 gxgen 的缺陷，请报告；维护者请运行 tools/update_traditional.py）",
        "cannot write traditional script: the built-in label “{label}” has no reviewed "
        "traditional form (editions/traditional.yaml; a gxgen defect, please report it; "
        "maintainers: run tools/update_traditional.py)",
    ),
    # --- outputs: never replace an input, a facts file, a link's far end or a device -------
    # (issue 8; {path} is the output as the user named it)
    "output_is_input": (
        "{path} 是本次的输入文件，不能用作输出；未写入任何文件",
        "{path} is one of this run's inputs and cannot be an output; nothing written",
    ),
    "output_is_facts": (
        "{path} 是事实文件，报告不能覆盖它；未写入任何文件（请用 -o 另选输出文件名）",
        "{path} is a facts file, which a report must not replace; nothing written "
        "(choose another name with -o)",
    ),
    "output_link_outside": (
        "{path} 是指向所在目录之外（{target}）的符号链接，已拒绝写入",
        "{path} is a symbolic link to {target}, outside its own folder; refused",
    ),
    "output_is_directory": (
        "{path} 是已存在的目录，不能作为输出文件",
        "{path} is an existing folder, not an output file",
    ),
    "output_not_regular": (
        "{path} 不是普通文件（管道、设备或套接字），已拒绝写入",
        "{path} is not a regular file (a pipe, device or socket); refused",
    ),
    "output_no_reader": (
        "{path} 是管道或设备，但没有程序在读取，已拒绝写入",
        "{path} is a pipe or device that nobody is reading; refused",
    ),
    "output_binary_tty": (
        "{format} 是二进制格式，不能输出到终端（{path}）；请用 -o 指定文件",
        "{format} is a binary format and cannot go to the terminal ({path}); "
        "give a file with -o",
    ),
    "output_stream_many": (
        "本次生成多个文件，不能都写到 {path}；请用 -o 指定目录",
        "this run writes several files; they cannot all go to {path}; give a folder with -o",
    ),
    "output_not_folder": (
        "本次生成多个文件，-o 应为目录，但 {path} 是已存在的文件",
        "this run writes several files, so -o must be a folder, but {path} is an existing file",
    ),
    "output_suffix_many": (
        "本次生成多个文件，-o 应为目录，但 {path} 以 {suffix} 结尾，像是文件名",
        "this run writes several files, so -o must be a folder, but {path} ends in {suffix} "
        "like a file name",
    ),
    "output_suffix_mismatch": (
        "-o {path} 的后缀 {suffix} 与 --format {format} 不符（只生成一个文件时，"
        "-o 的后缀须与格式一致）",
        "-o {path}: the suffix {suffix} does not match --format {format} (with one output, "
        "a format suffix on -o must be that format's)",
    ),
    "output_disk_full": (
        "无法写入 {path}：磁盘已满或超出文件大小限制；本报告未写入任何文件，原有文件保持不变",
        "cannot write {path}: disk full or file size limit reached; nothing of this report "
        "written, previous files kept",
    ),
    "output_no_permission": (
        "无法写入 {path}：没有写入权限（目录只读或属于其他用户）；本报告未写入任何文件",
        "cannot write {path}: permission denied (read-only or someone else's folder); "
        "nothing of this report written",
    ),
    "output_cannot_write": (
        "无法写入 {path}：{reason}；本报告未写入任何文件，原有文件保持不变",
        "cannot write {path}: {reason}; nothing of this report written, previous files kept",
    ),
    "output_exists": (
        "{path} 已存在，未覆盖（确需覆盖请加 --force）",
        "{path} already exists and was not replaced (use --force to replace it)",
    ),
    "render_errors": (
        "{file}：有错误，未生成（可用 --draft 生成草稿）",
        "{file}: has errors, nothing written (use --draft for a draft)",
    ),
    "render_errors_draft": (
        "{file}：有错误，连草稿也无法生成（请先修正以上错误）",
        "{file}: has errors that even a draft cannot be made with (fix those above first)",
    ),
    "init_written": ("已写出 {path}", "wrote {path}"),
    "rollup_exists": (
        "{path} 已存在，未覆盖（--update 只更新其中的统计数字、保留已写的叙述；"
        "--force 整个覆盖）",
        "{path} already exists and was not replaced (--update replaces its figures and keeps "
        "the narrative; --force replaces it all)",
    ),
    "rollup_output_is_input": (
        "{path} 是要汇总的输入文件之一，不能用作输出（它将不计入汇总并被覆盖）",
        "{path} is one of the files to sum and cannot be the output (it would be left out of "
        "the sum and replaced)",
    ),
    "rollup_update_failed": (
        "无法只更新 {path} 中的统计数字（文件无法读取，或其格式、表格与本次汇总不同），"
        "未写入；可用 --force 整个重新生成",
        "cannot replace just the figures in {path} (it cannot be read, or its edition or "
        "tables differ from this sum); nothing written; --force regenerates it whole",
    ),
    "rollup_written": (
        "已汇总 {n} 个事实文件 → {path}（叙述部分待填写）",
        "summed {n} facts file(s) → {path} (narrative still to write)",
    ),
    "rollup_updated": (
        "已汇总 {n} 个事实文件 → {path}（统计数字已更新，叙述保留）",
        "summed {n} facts file(s) → {path} (figures replaced, narrative kept)",
    ),
    # --- issue 8, input limits: unreadable inputs and amplification (one block, for merges)
    "not_regular": (
        "不是普通文件（命名管道、设备或失效的链接），未读取",
        "not a regular file (a FIFO, a device or a broken link); not read",
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
        "{where}: {actual} is beyond the limit {limit} (no report has a figure this large)",
    ),
    "diff_git_too_large": (
        "{file} 的 {rev} 版本超过 {limit} KB，不像是年度报告事实文件",
        "{file} at {rev} is larger than {limit} KB; not a facts file",
    ),
    # ---- one voice (issue 10): parts of sentences that differ by language, said through
    # ``nested``, and the sentences the CLI says itself
    "yaml_unparsable": ("无法解析（{detail}）", "{detail}"),
    "yaml_unparsable_bare": ("无法解析", "unparsable"),
    "yaml_unclosed": ('文件意外结束（引号或括号未闭合）', "{detail}"),
    "yaml_tab": ('不能用 Tab 缩进，请改用空格', "{detail}"),
    "yaml_bad_start": ('值不能以“{char}”开头，请给整个值加引号', "{detail}"),
    "yaml_mapping_here": ('此处不能出现“键: 值”（可能缺少缩进或引号，或冒号后缺空格）', "{detail}"),
    "yaml_key_here": ('此处不能出现键（缩进不一致）', "{detail}"),
    "yaml_no_colon_quote": ('缺少冒号“:”（或上一行的引号未闭合）', "{detail}"),
    "yaml_no_key": ('缩进不一致，找不到预期的键', "{detail}"),
    "yaml_no_dash": ('缩进不一致，找不到预期的列表项“-”', "{detail}"),
    "yaml_open_bracket": ('方括号列表未闭合或缺少逗号', "{detail}"),
    "yaml_open_brace": ('花括号映射未闭合或缺少逗号', "{detail}"),
    "yaml_no_value": ('此处缺少值（例如列表中连续两个逗号）', "{detail}"),
    "yaml_undefined_alias": ('引用了未定义的锚点', "{detail}"),
    "yaml_duplicate_anchor": ('锚点名重复', "{detail}"),
    "yaml_bad_escape": ('双引号内有无效的转义符“\\”（含反斜杠的文字请用单引号）', "{detail}"),
    "yaml_trailing": ('值后面多出了内容（整段文字应放在引号内）', "{detail}"),
    "yaml_block_end": ('缩进不一致，或引号后面多出了内容', "{detail}"),
    "yaml_one_document": ('文件中只能有一份 YAML 文档（请删除多余的 ---）', "{detail}"),
    "yaml_separator": ('文档分隔符 --- 或 ... 的位置不对', "{detail}"),
    "yaml_anchor_name": ('“&”“*”后应为锚点名（以 & 或 * 开头的文字请加引号）', "{detail}"),
    "yaml_block_scalar": ('“|”或“>”后面的写法有误', "{detail}"),
    "yaml_directive": ('以“%”开头的指令有误（以 % 开头的文字请加引号）', "{detail}"),
    "yaml_tag": ('标签（!）写法有误（以 ! 开头的文字请加引号）', "{detail}"),
    "yaml_quoted": ('引号内的文字有误', "{detail}"),
    "yaml_no_colon": ('缺少冒号“:”', "{detail}"),
    "list_items": ("、", ", "),
    "did_you_mean": ("是否应为 {match}？", "did you mean {match}?"),
    "available": ("可用：{choices}", "available: {choices}"),
    "allowed_keys": ("可用的键：{choices}", "allowed: {choices}"),
    "list_or": ("或", " or "),
    "value_empty": ("空", "empty"),
    "value_mapping": ("映射", "a mapping"),
    "type_string": ("文字", "text"),
    "type_object": ("“键: 值”映射", "a mapping"),
    "type_array": ("列表", "a list"),
    "type_integer": ("整数", "an integer"),
    "type_number": ("数字", "a number"),
    "type_boolean": ("true 或 false", "true or false"),
    "type_null": ("空", "empty"),
    "expect_count": ("非负整数", "a whole number ≥ 0"),
    "expect_signed": ("整数（可为负数）", "a whole number (may be negative)"),
    "expect_wan_yuan": ("非负数（单位万元，最多4位小数）", "a number ≥ 0 (万元, up to 4 decimals)"),
    "expect_yuan": ("非负数（单位元）", "a number ≥ 0 (元)"),
    "expect_amount": ("非负数", "a number ≥ 0"),
    "expect_or_na": ("{expected}或 na", "{expected} or na"),
    "expect_or_na_comma": ("{expected}，或 na", "{expected}, or na"),
    "expect_one_of": ("以下之一：{choices}", "one of {choices}"),
    "expect_date": ("YYYY-MM-DD 格式的日期", "a YYYY-MM-DD date"),
    "expect_int_range": ("{low}至{high}之间的整数", "an integer from {low} to {high}"),
    "expect_int_min": ("不小于 {low} 的整数", "an integer ≥ {low}"),
    "expect_nonempty_text": ("非空文字", "non-empty text"),
    "expect_valid": ("有效值", "a valid value"),
    "unset": ("（未填写）", "nothing"),
    "at_line": ("第 {line} 行：{message}", "line {line}: {message}"),
    "at_path": ("，位置 {path}", ", at {path}"),
    "ext_unknown_key": ("未知的键 {key}（{hint}）", "unknown key {key} ({hint})"),
    "ext_kind_no_key": ("kind: {kind} 的表格不用此键", "a table of kind {kind} has no such key"),
    "ext_missing_key": ("缺少必填项 {key}", "missing required key {key}"),
    "ext_one_of": (
        "应为以下之一：{names}，实际为 {shown}",
        "expected one of {choices}, got {shown}",
    ),
    "ext_expected": ("应为{expected}，实际为 {shown}", "expected {expected}, got {shown}"),
    "ext_items_exactly": (
        "应恰好有 {low} 项，实际 {n} 项",
        "expected exactly {low} items, got {n}",
    ),
    "ext_items_at_least": (
        "至少应有 {low} 项，实际 {n} 项",
        "expected at least {low} items, got {n}",
    ),
    "ext_items_at_most": ("至多 {high} 项，实际 {n} 项", "expected at most {high} items, got {n}"),
    "ext_empty": ("不能为空", "must not be empty"),
    "ext_repeated": ("有重复项", "has repeated items"),
    "ext_bound": ("应{sign} {bound}，实际为 {shown}", "expected {sign} {bound}, got {shown}"),
    "ext_table_key": (
        "表格键应为{expected}，实际为 {shown}",
        "table keys must be {expected}, got {shown}",
    ),
    "ext_total": (
        "应为 true 或规则编号（如 T2-SUM），实际为 {shown}",
        "expected true or a rule id (e.g. T2-SUM), got {shown}",
    ),
    "ext_invalid": ("取值无效：{shown}（{said}）", "invalid value {shown} ({said})"),
    "pattern_key": (
        "小写英文字母开头、只含小写字母数字和下划线的键（如 staff_total）",
        "a key of lower-case letters, digits and _ (e.g. staff_total)",
    ),
    "pattern_rule": ("大写字母的规则编号（如 ZJ-PART）", "an upper-case rule id (e.g. ZJ-PART)"),
    "pattern_edition": (
        "四位数字的格式编号（如 \"2019\"）",
        "a four-digit edition id (e.g. \"2019\")",
    ),
    "line_n": ("第 {line} 行", "line {line}"),
    "ext_dup": (
        "{what}键 {key} 重复（{line}已用过）",
        "key {key} is used twice (first at {first})",
    ),
    "ext_node_key": (
        "没有 children 的节点须有 key（事实文件中的键）",
        "a node without children needs a key (its key in the facts file)",
    ),
    "ext_total_rule": (
        "total: true 须在上级节点写 total_rule（规则编号）",
        "total: true needs a total_rule on a parent node",
    ),
    "ext_table_cells": (
        "表格共 {cells} 个数，超过上限 {limit}",
        "the table has {cells} figures, more than {limit}",
    ),
    "ext_tables_cells": (
        "各表格共 {cells} 个数，超过上限 {limit}",
        "the tables hold {cells} figures together, more than {limit}",
    ),
    "ext_reserved": (
        "键 {key} 留给表格前的说明文字，请换一个键",
        "the key {key} is kept for the text before the table; use another",
    ),
    "ext_layout": ("表格定义无法展开：{reason}", "the table cannot be laid out: {reason}"),
    "ext_no_cell": ("没有单元格 {ref}（{hint}）", "no cell {ref} ({hint})"),
    "ext_no_row": ("没有行 {ref}（{hint}）", "no row {ref} ({hint})"),
    "ext_widths": (
        "应有 {width} 个数（表格共 {width} 列），实际 {n} 个",
        "expected {width} numbers (the table has {width} columns), got {n}",
    ),
    "ext_undefined_table": (
        "表格 {table} 未在 tables 中定义（{hint}）",
        "table {table} is not defined under tables ({hint})",
    ),
    "ext_placed_twice": (
        "表格 {table} 已放在 sections 第{first}项，每张表只能放一处",
        "table {table} is already placed by sections item {first}",
    ),
    "ext_not_placed": (
        "表格 {table} 没有放进任何一节（在 sections 中写明放在哪里）",
        "table {table} is not placed (say where under sections)",
    ),
    "ext_table_taken": (
        "表格键 {key} 与已有的表格重名，请换一个键",
        "table key {key} is already a table of the report",
    ),
    "ext_field_taken": (
        "表格键 {key} 与事实文件的字段 {key}（{label}）重名，请换一个键",
        "table key {key} is already a field of the facts file",
    ),
    "ext_existing_section": (
        "{section} 是已有的节（{title}），表格放在该节内，不写 {extra}；要另设一节请换一个 key",
        "{section} is an existing section; drop {extra} or use a new key for a new section",
    ),
    "ext_new_section": (
        "{section} 不是已有的节（已有：{keys}）；新设一节须写 {missing}",
        "{section} is not an existing section ({keys}); a new section needs {missing}",
    ),
    "ext_no_section": ("没有名为 {section} 的节（{hint}）", "no section named {section} ({hint})"),
    "ext_no_table": ("没有表格 {table}（{hint}）", "no table {table} ({hint})"),
    "list_or_spaced": (" 或 ", " or "),
    "validate_summary": (
        "已检查 {files} 个文件：错误 {errors} 条，警告 {warnings} 条{ignored}",
        "checked {files} file(s): {errors} error(s), {warnings} warning(s){ignored}",
    ),
    "validate_ignored": ("（另有 {n} 条警告按 ignore 忽略）", " ({n} more silenced by ignore)"),
    "file_problem": ("{file}：{problem}", "{file}: {problem}"),
    "usage_previous_one_file": ("--previous 只能用于单个文件", "--previous takes one file"),
    "usage_update_needs_output": ("--update 需要 -o", "--update needs -o"),
    "usage_diff_two_files": ("需要两个文件，或一个文件加 --rev", "two files, or one with --rev"),
    "usage_rev_one_file": ("--rev 只能用于一个文件", "--rev takes one file"),
    "usage_edition": ("应为 {choices}", "expected {choices}"),
    "internal_error": ("gxgen: 内部错误（请报告此问题）：{error}",
                       "gxgen: internal error (please report it): {error}"),
    # click's own sentences (gxgen.clicktext), in the language of the command line
    "click_usage": ("用法:", "Usage:"),
    "click_error": ("错误：{message}", "Error: {message}"),
    "click_try": ("运行“{command} {option}”查看帮助。", "Try '{command} {option}' for help."),
    "click_missing_argument": ("缺少参数", "Missing argument"),
    "click_missing_option": ("缺少选项", "Missing option"),
    "click_missing_parameter": ("缺少参数", "Missing parameter"),
    "click_missing_command": ("缺少命令。", "Missing command."),
    "click_no_option": ("没有选项 {name}。", "No such option {name!r}."),
    "click_no_command": ("没有命令 {name}。", "No such command {name!r}."),
    "click_invalid": ("取值无效：{message}", "Invalid value: {message}"),
    "click_invalid_for": ("{param_hint} 的取值无效：{message}",
                          "Invalid value for {param_hint}: {message}"),
    "click_not_exist": ("“{filename}”不存在。", "{name} {filename!r} does not exist."),
    "click_is_file": ("“{filename}”是文件，不是目录。", "{name} {filename!r} is a file."),
    "click_is_directory": ("“{filename}”是目录，不是文件。", "{name} {filename!r} is a directory."),
    "click_not_readable": ("“{filename}”不可读。", "{name} {filename!r} is not readable."),
    "click_not_writable": ("“{filename}”不可写。", "{name} {filename!r} is not writable."),
    "click_not_number": ("{value!r} 不是有效的数字。", "{value!r} is not a valid {number_type}."),
    "click_not_in_range": ("{value} 不在 {range} 范围内。", "{value} is not in the range {range}."),
    "click_options": ("选项", "Options"),
    "click_commands": ("命令", "Commands"),
    "click_help": ("显示此帮助并退出。", "Show this message and exit."),
    "click_version": ("显示版本并退出。", "Show the version and exit."),
    "click_aborted": ("已中止。", "Aborted!"),
    "click_extra_arguments": ("多余的参数（{args}）", "Got unexpected extra arguments ({args})"),
    "click_needs_value": ("选项 {name} 需要一个值。", "Option {name!r} requires an argument."),
    "click_not_choice": ("{value!r} 不是 {choices} 之一。", "{value!r} is not one of {choices}."),
    "click_did_you_mean": ("是否应为 {possibility}？", "(Did you mean one of: {possibilities}?)"),
    "kind_list": ("列表", "a list"),
    "kind_text": ("一段文字", "text"),
    "kind_int": ("整数", "a number"),
    "kind_decimal": ("数字", "a number"),
    "kind_bool": ("布尔值", "true/false"),
    "kind_other": ("其他值", "another value"),
}


def nested(code: str, **params: Any) -> dict[str, Any]:
    """A message inside another message's parameters (``problem``, ``reason``, ``expected``
    …). Plain data, so a finding that carries one still serialises to JSON unchanged (the
    batch manifest keeps findings between runs)."""
    return {"code": code, "params": params}


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The one "did you mean": the choice ``word`` most likely misspells, if any is close."""
    match = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return match[0] if match else None


def did_you_mean(word: str, choices: Iterable[str], otherwise: str = "available") -> Any:
    """是否应为 X？ / did you mean X? — or, with nothing close, the choices under the
    ``otherwise`` message."""
    choices = list(choices)
    match = closest(word, choices)
    if match is not None:
        return nested("did_you_mean", match=match)
    return nested(otherwise, choices=listed(choices))


LIST, LIST_OR, LIST_OR_SPACED = "list_items", "list_or", "list_or_spaced"
"""The ways ``listed`` joins: a、b / a, b; a或b / a or b; a 或 b / a or b."""


def listed(items: Iterable[Any], join: str = LIST) -> dict[str, Any]:
    """Several values in one parameter, joined as the reader's language lists them (a、b or
    a, b); each may itself be ``nested``."""
    return nested(join, items=list(items))


def resolve(value: Any, lang: str) -> Any:
    """A parameter as the reader sees it: a ``nested`` message said in ``lang``, anything
    else as it is."""
    if isinstance(value, dict) and set(value) == {"code", "params"} and value["code"] in CATALOG:
        if value["code"] in (LIST, LIST_OR, LIST_OR_SPACED):
            sep = CATALOG[value["code"]][1 if lang == "en" else 0]
            return sep.join(str(resolve(v, lang)) for v in value["params"]["items"])
        return render(value["code"], lang, value["params"])
    return value


def render(code: str, lang: str, params: dict[str, Any]) -> str:
    zh, en = CATALOG[code]
    template = en if lang == "en" else zh
    return template.format(**{k: resolve(v, lang) for k, v in params.items()})
