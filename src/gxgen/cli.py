"""The command line: small commands over the pipeline (click).

Heavy machinery (docxtpl, OpenCC, pandoc) is imported inside the commands that need it, so
``gxgen --help`` and ``gxgen validate`` start fast.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from gxgen import __version__, clicktext
from gxgen.findings import Finding, has_errors, printable, sort_key, strict, to_json
from gxgen.messages import LIST_OR_SPACED, listed, nested
from gxgen.options import (
    EXCLUDE,
    EXTENSION,
    LANG,
    STRICT,
    check_template,
    facts_target,
    lang_of,
    message,
    refusal,
    write_facts,
)

UNREADABLE = {"unreadable", "not_found", "is_directory", "not_text", "bad_encoding", "bad_utf8",
              "too_large", "not_regular", "ext_unreadable"}
"""Load failures that mean "could not read the file at all" (exit 2, not 1)."""




def print_findings(findings: list[Finding], lang: str) -> None:
    for f in findings:
        click.echo(f.format(lang))


def exit_code(findings: list[Finding]) -> int:
    if any(f.code in UNREADABLE for f in findings):
        return 2
    return 1 if has_errors(findings) else 0


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gxgen")
def cli() -> None:
    """gxgen — 政府信息公开工作年度报告生成工具.

    Write one YAML facts file per agency and year; gxgen checks it against the statutory
    format (国办公开办函〔2021〕30号 / 〔2019〕60号) and renders the report as DOCX, HTML
    and Markdown, in simplified and traditional Chinese.
    """


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--previous", type=click.Path(exists=True, dir_okay=False), default=None,
              help="上年度事实文件（默认自动查找同目录 2021.yaml 或镜像目录 2021/…）.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="输出格式：text（每条一行）或 json（供 CI 使用）.")
@EXTENSION
@STRICT
@EXCLUDE
@LANG
def validate(files: tuple[str, ...], previous: str | None, fmt: str,
             extensions: tuple[str, ...], strict_mode: bool, excludes: tuple[str, ...],
             lang: str | None) -> None:
    """校验事实文件：结构、勾稽关系、跨年度结转、内容要求。

    A folder is searched for *.yaml / *.yml facts files (as ``batch`` does), so a whole
    repository of agencies and years is checked at once, cross-year included.

    Exit 0: no errors (warnings allowed; with --strict, none either); 1: errors; 2: a file
    could not be read. Warnings silenced by the file's ``ignore:`` are listed in JSON with
    ``"ignored": true`` and counted apart.
    """
    from gxgen.check import check_file
    from gxgen.sources import survey

    lang = lang_of(lang)
    expanded: list[str] = []
    special: set[str] = set()
    for name in files:
        if Path(name).is_dir():
            # a folder without facts files stays as it is: reported as unreadable (exit 2)
            found = survey([name], globs=excludes)
            for item in found.ignored:
                click.echo(item.line(lang), err=True)
            special |= {str(s.path) for s in found.sources if s.special}
            expanded += [str(source.path) for source in found.sources] or [name]
        else:
            expanded.append(name)
    files = tuple(expanded)
    if previous and len(files) > 1:
        raise click.UsageError(message("usage_previous_one_file", lang))
    findings: list[Finding] = []
    ignored: list[Finding] = []
    for name in files:
        if name in special:  # a FIFO or device found in a folder is never opened
            findings.append(Finding("yaml", "error", "not_regular", {}, name))
            continue
        checked = check_file(name, previous, extra=extensions)
        findings += checked.findings
        ignored += checked.ignored
    if strict_mode:
        findings = strict(findings)
    if fmt == "json":
        click.echo(to_json(sorted([*findings, *ignored], key=sort_key), lang))
    else:
        print_findings(findings, lang)
        errors = sum(1 for f in findings if f.severity == "error")
        warnings = sum(1 for f in findings if f.severity == "warning")
        more = nested("validate_ignored", n=len(ignored)) if ignored else ""
        click.echo(printable(message("validate_summary", lang, files=len(files), errors=errors,
                                     warnings=warnings, ignored=more)), err=True)
    sys.exit(exit_code(findings))


FORMAT_HELP = (
    "docx、html、md（Markdown）、all（以上三种）；"
    "经 pandoc：odt（LibreOffice/WPS，保留合并单元格）、"
    "txt（纯文本网格表，供不接受标记的 CMS 表单）。"
    "其他 pandoc 格式（rtf、epub、纯文本简单表等）会丢失合并单元格或拆散表格，故不提供。可重复。"
)


OUTPUT_HELP = (
    "输出文件或目录。默认与事实文件同目录（如 2022.docx、2022.zh-Hant.docx）。"
    "只生成一个文件时 -o 是文件名，其后缀（.docx、.html、.md…）须与 --format 一致；"
    "生成多个文件（多种格式、变体或多个事实文件）时 -o 是目录。已存在的目录或以 / 结尾的"
    "路径总是目录。- 或 /dev/stdout 输出到标准输出（仅一个文件）。"
    "不会覆盖输入文件或任何事实文件；同一事实文件的全部输出要么都写成，要么都不写."
)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmts", multiple=True, default=("docx",), show_default=True,
              type=click.Choice(["docx", "html", "md", "odt", "txt", "all"]), help=FORMAT_HELP)
@click.option("--variant", "variants", multiple=True, default=("simplified",), show_default=True,
              type=click.Choice(["simplified", "traditional", "zh-TW", "zh-HK", "both"]),
              help="简体、繁体（OpenCC s2t）、台湾（s2tw）、香港（s2hk），"
                   "both = 简体 + 繁体。可重复。")
@click.option("-o", "--output", type=click.Path(), default=None, help=OUTPUT_HELP)
@click.option("--template", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="自定义 Word 模板（以 templates/report.docx 为底稿修改样式）.")
@click.option("--draft", is_flag=True,
              help="校验有错误时仍然生成，并在每页/页首标注“草稿（校验未通过）”.")
@click.option("--fragment", is_flag=True, help="HTML 只输出正文片段，便于粘贴到网站 CMS.")
@click.option("--md-tables", type=click.Choice(["pipe", "html"]), default="pipe",
              show_default=True,
              help="Markdown 表格：pipe（扁平表头，便于比对）或 html（保留合并单元格）.")
@click.option("--previous", type=click.Path(), default=None, help="上年度事实文件（跨年度核对）.")
@EXTENSION
@LANG
def render(files: tuple[str, ...], fmts: tuple[str, ...], variants: tuple[str, ...],
           output: str | None, template: Path | None, draft: bool, fragment: bool,
           md_tables: str, previous: str | None, extensions: tuple[str, ...],
           lang: str | None) -> None:
    """校验并生成年度报告（DOCX / HTML / Markdown，简体 / 繁体）.

    A file with errors is not rendered (exit 1) unless --draft is given. Exit 2: a file
    cannot be read, or an output is refused or cannot be written (nothing of that report is
    written then).
    """
    from gxgen import render as rendering
    from gxgen.files import Refused
    from gxgen.variants import resolve

    lang = lang_of(lang)
    if previous and len(files) > 1:  # the same rule as validate's
        raise click.UsageError(message("usage_previous_one_file", lang))
    chosen_formats = rendering.formats(fmts)
    chosen_variants = resolve(variants)
    if template is not None:
        check_template(template, lang)
    if output:
        several = len(files) * len(chosen_formats) * len(chosen_variants) > 1
        try:
            rendering.check_output(output, chosen_formats, several)
        except Refused as exc:
            click.echo(refusal(exc, lang), err=True)
            sys.exit(2)
    job = RenderJob(files, chosen_formats, chosen_variants, output,
                    rendering.Options(template=template, fragment=fragment,
                                      md_tables=md_tables, draft=draft),
                    previous, extensions, lang)
    sys.exit(max(job.run(name) for name in files))


@dataclass(frozen=True)
class RenderJob:
    """One ``gxgen render`` run: ``run(name)`` renders one facts file, returns its exit code."""

    files: tuple[str, ...]
    formats: list[str]
    variants: list[Any]
    output: str | None
    options: Any
    previous: str | None
    extensions: tuple[str, ...]
    lang: str

    def run(self, name: str) -> int:
        from gxgen import render as rendering
        from gxgen import targets
        from gxgen.check import check_file
        from gxgen.files import Refused
        from gxgen.variants import MissingLabel
        from gxgen.writers import WriterError

        single = len(self.files) == 1
        result = check_file(name, self.previous if single else None, extra=self.extensions)
        for f in result.findings:
            click.echo(f.format(self.lang), err=True)
        if result.facts is None or (not result.ok and not self.options.draft):
            if exit_code(result.findings) == 2:  # its one finding already says why
                return 2
            code = "render_errors_draft" if self.options.draft else "render_errors"
            click.echo(message(code, self.lang, file=name), err=True)
            return 1
        out = self.output
        try:
            plan = rendering.plan(
                result.facts, Path(name), self.formats, self.variants,
                Path(out) if out else None, self.options,
                many=not single or bool(out and out.endswith(("/", os.sep))))
        except WriterError as exc:
            click.echo(printable(message("file_problem", self.lang, file=name,
                                         problem=exc.message(self.lang))), err=True)
            return 1
        except MissingLabel as exc:
            click.echo(printable(message("file_problem", self.lang, file=name,
                                         problem=nested("label_missing", label=exc.label))),
                       err=True)
            return 2
        inputs = self.inputs(name, result)
        try:
            for output in plan.outputs:
                targets.protect(targets.resolve(output.path), inputs)
            written = rendering.write_all(plan.outputs)
        except (Refused, OSError) as exc:
            click.echo(refusal(exc, self.lang), err=True)
            return 2
        for path in written:
            if targets.stream_fd(path) is None:
                click.echo(str(path))
        return 0

    def inputs(self, name: str, result: Any) -> list[Path]:
        """Every file this report was made from: the facts files named, last year's file,
        the template, and the extension definitions the facts or ``--extension`` name."""
        from gxgen.extensions import is_path

        found = [Path(f) for f in self.files]
        found += [Path(p) for p in (self.previous, result.previous) if p]
        if self.options.template is not None:
            found.append(Path(self.options.template))
        refs = result.facts.data.get("extensions") if result.facts is not None else None
        for ref in refs if isinstance(refs, list) else ():
            if isinstance(ref, str) and is_path(ref.strip()):
                found.append(Path(name).parent / Path(ref.strip()).expanduser())
        found += [Path(x).expanduser() for x in self.extensions if is_path(x)]
        return found


@cli.command()
@click.option("--agency", required=True, help="机关全称.")
@click.option("--year", required=True, type=click.IntRange(2008, 2100), help="报告年度.")
@click.option("--edition", "edition_id", default=None,
              help="格式版本 2021 或 2019（默认按年度选择）.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="写出的事实文件（默认输出到标准输出）；已存在时不覆盖，除非加 --force.")
@click.option("--force", is_flag=True, help="覆盖已存在的 -o 文件.")
@EXTENSION
@LANG
def init(agency: str, year: int, edition_id: str | None, output: Path | None, force: bool,
         extensions: tuple[str, ...], lang: str | None) -> None:
    """写出带中文注释的事实文件模板（-o FILE，或输出到标准输出）."""
    from gxgen import editions
    from gxgen import extensions as ext
    from gxgen.scaffold import scaffold

    lang = lang_of(lang)
    if output is not None:
        facts_target(output, force, lang)
    if edition_id is None:
        chosen = editions.for_year(year) or editions.load(editions.available()[0])
    elif edition_id in editions.available():
        chosen = editions.load(edition_id)
    else:
        raise click.BadParameter(
            message("usage_edition", lang, choices=listed(editions.available(), LIST_OR_SPACED)),
            param_hint="--edition")
    if extensions:
        extended, problems = ext.extend(chosen, [ext.Ref(e, Path.cwd()) for e in extensions])
        if extended is None:
            print_findings(problems, lang)
            sys.exit(2)
        chosen = extended
    text = scaffold(chosen, agency, year)
    if output is None:
        click.echo(text, nl=False)
        return
    write_facts(output, text, lang)
    click.echo(message("init_written", lang, path=output), err=True)


@cli.command("schema")
def schema_cmd() -> None:
    """打印事实文件的 JSON Schema（与仓库中的 schema.json 相同）."""
    from gxgen import schema

    click.echo(schema.dumps(), nl=False)


def _register_more() -> None:
    """Commands for many files (batch, rollup, diff) live in their own module."""
    from gxgen import cli_many

    for command in cli_many.COMMANDS:
        cli.add_command(command)


def main() -> None:
    """Entry point: never lets a traceback reach a user (set GXGEN_DEBUG=1 to see one)."""
    try:
        clicktext.install(sys.argv[1:])
        _register_more()
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if os.environ.get("GXGEN_DEBUG"):
            raise
        click.echo(message("internal_error", clicktext.language(sys.argv[1:]),
                           error=f"{type(exc).__name__}: {exc}"), err=True)
        sys.exit(3)
