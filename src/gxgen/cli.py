"""The command line: small commands over the pipeline (click).

Heavy machinery (docxtpl, OpenCC, pandoc) is imported inside the commands that need it, so
``gxgen --help`` and ``gxgen validate`` start fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from gxgen import __version__
from gxgen.findings import Finding, has_errors, printable, to_json

UNREADABLE = {"unreadable", "not_found", "is_directory", "not_text", "bad_encoding", "bad_utf8",
              "too_large", "not_regular", "ext_unreadable"}
"""Load failures that mean "could not read the file at all" (exit 2, not 1)."""

EXTENSION = click.option(
    "--extension", "extensions", multiple=True, metavar="FILE",
    help="扩展表：内置名称（如 zhejiang）或扩展定义文件路径，"
         "加在事实文件的 extensions 之后。可重复.")
LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
                    help="消息语言 / message language (default zh, or $GXGEN_LANG).")


def lang_of(value: str | None) -> str:
    return value or os.environ.get("GXGEN_LANG", "zh")


def say(zh: str, en: str, lang: str, err: bool = True) -> None:
    """One line in the user's language; file names in it are shown ``printable``."""
    click.echo(printable(en if lang == "en" else zh), err=err)


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
@LANG
def validate(files: tuple[str, ...], previous: str | None, fmt: str,
             extensions: tuple[str, ...], lang: str | None) -> None:
    """校验事实文件：结构、勾稽关系、跨年度结转、内容要求。

    A folder is searched for *.yaml / *.yml facts files (as ``batch`` does), so a whole
    repository of agencies and years is checked at once, cross-year included.

    Exit 0: no errors (warnings allowed); 1: errors; 2: a file could not be read.
    """
    from gxgen.batch import discover
    from gxgen.check import check_file

    lang = lang_of(lang)
    expanded: list[str] = []
    for name in files:
        if Path(name).is_dir():
            # a folder without facts files stays as it is: reported as unreadable (exit 2)
            expanded += [str(source.path) for source in discover([name])] or [name]
        else:
            expanded.append(name)
    files = tuple(expanded)
    if previous and len(files) > 1:
        raise click.UsageError("--previous 只能用于单个文件 / --previous takes one file")
    findings: list[Finding] = []
    for name in files:
        findings += check_file(name, previous, extra=extensions).findings
    if fmt == "json":
        click.echo(to_json(findings, lang))
    else:
        print_findings(findings, lang)
        errors = sum(1 for f in findings if f.severity == "error")
        warnings = sum(1 for f in findings if f.severity == "warning")
        say(f"已检查 {len(files)} 个文件：错误 {errors} 条，警告 {warnings} 条",
            f"checked {len(files)} file(s): {errors} error(s), {warnings} warning(s)", lang)
    sys.exit(exit_code(findings))


FORMAT_HELP = (
    "docx、html、md（Markdown）、all（以上三种）；"
    "经 pandoc：odt（LibreOffice/WPS，保留合并单元格）、"
    "txt（纯文本网格表，供不接受标记的 CMS 表单）。"
    "其他 pandoc 格式（rtf、epub、纯文本简单表等）会丢失合并单元格或拆散表格，故不提供。可重复。"
)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmts", multiple=True, default=("docx",), show_default=True,
              type=click.Choice(["docx", "html", "md", "odt", "txt", "all"]), help=FORMAT_HELP)
@click.option("--variant", "variants", multiple=True, default=("simplified",), show_default=True,
              type=click.Choice(["simplified", "traditional", "zh-TW", "zh-HK", "both"]),
              help="简体、繁体（OpenCC s2t）、台湾（s2tw）、香港（s2hk），"
                   "both = 简体 + 繁体。可重复。")
@click.option("-o", "--output", type=click.Path(), default=None,
              help="输出文件或目录（默认与事实文件同目录，如 2022.docx、2022.zh-Hant.docx）.")
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

    A file with errors is not rendered (exit 1) unless --draft is given; a file that cannot
    be read at all (missing, a FIFO, too large …) or an unusable --template exits 2.
    """
    from gxgen import render as rendering
    from gxgen.check import check_file
    from gxgen.variants import resolve
    from gxgen.writers import WriterError

    lang = lang_of(lang)
    chosen_formats = rendering.formats(fmts)
    chosen_variants = resolve(variants)
    options = rendering.Options(template=template, fragment=fragment, md_tables=md_tables,
                                draft=draft)
    if template is not None:
        _check_template(template, lang)
    failed = unreadable = False
    for name in files:
        result = check_file(name, previous if len(files) == 1 else None, extra=extensions)
        for f in result.findings:
            click.echo(f.format(lang), err=True)
        if exit_code(result.findings) == 2:
            failed = unreadable = True
            continue
        if result.facts is None or (not result.ok and not draft):
            failed = True
            say(f"{name}：有错误，未生成（可用 --draft 生成草稿）",
                f"{name}: has errors, nothing written (use --draft for a draft)", lang)
            continue
        try:
            plan = rendering.plan(
                result.facts, Path(name), chosen_formats, chosen_variants,
                Path(output) if output else None, options,
                many=len(files) > 1 or bool(output and output.endswith(("/", os.sep))))
        except WriterError as exc:
            failed = True
            say(f"{name}：{exc}", f"{name}: {exc}", lang)
            continue
        for path in rendering.write_all(plan.outputs):
            click.echo(str(path))
    sys.exit(2 if unreadable else 1 if failed else 0)


def _check_template(template: Path, lang: str) -> None:
    """A template that cannot be used is refused once, before any report (exit 2)."""
    from gxgen.writers import docx

    try:
        docx.check_template(template)
    except docx.DocxTemplateError as exc:
        say(str(exc), str(exc), lang)
        sys.exit(2)


@cli.command()
@click.option("--agency", required=True, help="机关全称.")
@click.option("--year", required=True, type=click.IntRange(2008, 2100), help="报告年度.")
@click.option("--edition", "edition_id", default=None,
              help="格式版本 2021 或 2019（默认按年度选择）.")
@EXTENSION
@LANG
def init(agency: str, year: int, edition_id: str | None, extensions: tuple[str, ...],
         lang: str | None) -> None:
    """写出带中文注释的事实文件模板（输出到标准输出）."""
    from gxgen import editions
    from gxgen import extensions as ext
    from gxgen.scaffold import scaffold

    if edition_id is None:
        chosen = editions.for_year(year) or editions.load(editions.available()[0])
    elif edition_id in editions.available():
        chosen = editions.load(edition_id)
    else:
        raise click.BadParameter(f"应为 {' 或 '.join(editions.available())}",
                                 param_hint="--edition")
    if extensions:
        extended, problems = ext.extend(chosen, [ext.Ref(e, Path.cwd()) for e in extensions])
        if extended is None:
            print_findings(problems, lang_of(lang))
            sys.exit(2)
        chosen = extended
    click.echo(scaffold(chosen, agency, year), nl=False)


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
        _register_more()
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if os.environ.get("GXGEN_DEBUG"):
            raise
        click.echo(f"gxgen: 内部错误（请报告此问题）：{type(exc).__name__}: {exc}", err=True)
        sys.exit(3)
