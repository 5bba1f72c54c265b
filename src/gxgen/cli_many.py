"""Commands over many facts files: ``batch``, ``rollup``, ``diff``.

Only click is imported here; each command imports its machinery when it runs, so that
``gxgen --help`` and ``gxgen validate`` stay light.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from typing import Any

import click

from gxgen.cli import LANG, lang_of, say
from gxgen.findings import printable


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    rows = [[printable(cell) for cell in row] for row in rows]
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return ["  ".join(_pad(cell, widths[i], i in right) for i, cell in enumerate(row)).rstrip()
            for row in [header, *rows]]


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="输出目录：按输入的目录结构写出各报告，另写 index.html、index.md.")
@click.option("--format", "fmts", multiple=True, default=("all",), show_default=True,
              type=click.Choice(["docx", "html", "md", "odt", "txt", "all"]),
              help="docx、html、md、all（以上三种）；经 pandoc：odt、txt。可重复。")
@click.option("--variant", "variants", multiple=True, default=("both",), show_default=True,
              type=click.Choice(["simplified", "traditional", "zh-TW", "zh-HK", "both"]),
              help="简体、繁体、台湾、香港；both = 简体 + 繁体。可重复。")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None,
              help="并行进程数（默认 CPU 核数）.")
@click.option("--force", is_flag=True,
              help="全部重新生成（默认跳过事实、模板和 gxgen 版本都未变的报告）.")
@click.option("--template", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="自定义 Word 模板.")
@click.option("--md-tables", type=click.Choice(["pipe", "html"]), default="pipe",
              show_default=True, help="Markdown 表格：pipe 或 html（保留合并单元格）.")
@click.option("--progress/--no-progress", default=None,
              help="显示进度条（默认仅在终端上显示）.")
@LANG
def batch(paths: tuple[str, ...], output: Path, fmts: tuple[str, ...],
          variants: tuple[str, ...], jobs: int | None, force: bool, template: Path | None,
          md_tables: str, progress: bool | None, lang: str | None) -> None:
    """校验并生成目录下的全部事实文件（并行，增量）.

    Finds every *.yaml under PATHS, checks each (cross-year included), renders the valid ones
    in parallel into OUTPUT (mirroring the input layout) and writes OUTPUT/index.html. A broken
    file never stops the others. Exit 0: all rendered; 1: some file failed; 2: no facts file.
    """
    from gxgen import batch as batching
    from gxgen import render as rendering
    from gxgen.variants import resolve

    lang = lang_of(lang)
    chosen_formats = rendering.formats(fmts)
    chosen_variants = [v.name for v in resolve(variants)]
    if not batching.discover(paths, exclude=[output]):
        say("未找到事实文件（*.yaml、*.yml）", "no facts files (*.yaml, *.yml) found", lang)
        sys.exit(2)
    if template is not None:
        _check_template(template, lang)
    show = sys.stderr.isatty() if progress is None else progress
    bar: Any = None

    def on_plan(todo: int, skipped: int) -> None:
        nonlocal bar
        if skipped:
            say(f"{skipped} 份报告未变，跳过（--force 全部重新生成）",
                f"{skipped} report(s) unchanged, skipped (--force re-renders all)", lang)
        if show and todo:
            bar = click.progressbar(length=todo, label="生成中" if lang != "en" else "rendering",
                                    file=sys.stderr, show_pos=True, show_eta=True)
            bar.__enter__()

    try:
        result = batching.run(paths, output, chosen_formats, chosen_variants, template=template,
                              md_tables=md_tables, workers=jobs, force=force,
                              progress=(lambda n: bar.update(n)) if show else None,
                              on_plan=on_plan)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    _report(result, output, lang)
    sys.exit(1 if result.failed else 0)


def _check_template(template: Path, lang: str) -> None:
    """A broken --template would fail every report the same way: say it once, up front."""
    from gxgen.document import Document
    from gxgen.writers import docx

    try:
        docx.render(Document(title=("检查",), lang="zh-Hans", blocks=()), template=template)
    except docx.DocxTemplateError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


def _report(result: Any, output: Path, lang: str) -> None:
    en = lang == "en"
    for outcome in result.outcomes:
        if outcome.skipped:
            continue
        for finding in outcome.finding_objects():
            click.echo(finding.format(lang), err=True)
    status = {"ok": ("已生成", "rendered"), "warning": ("已生成", "rendered"),
              "error": ("失败", "FAILED")}
    rows = []
    for o in result.outcomes:
        state = ("未变", "unchanged") if o.skipped else status[o.status]
        rows.append([o.agency or "—", str(o.year or "—"), str(o.errors), str(o.warnings),
                     str(o.written), state[1] if en else state[0], o.rel])
    header = (["agency", "year", "errors", "warnings", "written", "status", "file"] if en
              else ["机关", "年度", "错误", "警告", "写入", "状态", "事实文件"])
    click.echo("")
    for line in _table(header, rows, right={1, 2, 3, 4}):
        click.echo(line)
    done = sum(1 for o in result.outcomes if o.status != "error")
    skipped = sum(1 for o in result.outcomes if o.skipped)
    failed = len(result.failed)
    errors = sum(o.errors for o in result.outcomes)
    warnings = sum(o.warnings for o in result.outcomes)
    removed = len(result.removed)
    click.echo("")
    say(f"共 {len(result.outcomes)} 份报告：生成 {done} 份（其中未变跳过 {skipped} 份），"
        f"失败 {failed} 份；错误 {errors} 条，警告 {warnings} 条；"
        f"写入 {result.files_written} 个文件"
        + (f"，删除过期文件 {removed} 个" if removed else "") + f"。索引：{output / 'index.html'}",
        f"{len(result.outcomes)} report(s): {done} rendered ({skipped} unchanged, skipped), "
        f"{failed} failed; {errors} error(s), {warnings} warning(s); "
        f"{result.files_written} file(s) written"
        + (f", {removed} stale file(s) removed" if removed else "")
        + f". Index: {output / 'index.html'}", lang, err=False)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--agency", required=True, help="汇总报告的机关名称（如 定海区）.")
@click.option("--year", required=True, type=click.IntRange(2008, 2100), help="报告年度.")
@click.option("--agency-type", type=click.Choice(["government", "department", "township"]),
              default="government", show_default=True,
              help="汇总报告的机关类别（本级政府报告为 government）.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="写出的事实文件（默认输出到标准输出）；位于输入目录内时不计入汇总.")
@LANG
def rollup(paths: tuple[str, ...], agency: str, year: int, agency_type: str,
           output: Path | None, lang: str | None) -> None:
    """把各单位的统计数字逐格相加，生成汇总报告的事实文件.

    Sums every statistic of the facts files under PATHS into one facts file (narrative left
    to write). All inputs must be valid, of one edition and of the given year.
    Exit 0: written; 1: inputs refused; 2: no facts file or an unreadable one.
    """
    from gxgen.render import write_atomic
    from gxgen.rollup import RollupError
    from gxgen.rollup import rollup as summing

    lang = lang_of(lang)
    try:
        rolled = summing(paths, agency, year, agency_type,
                         exclude=[output] if output else [], lang=lang,
                         folder=output.parent if output else Path("."))
    except RollupError as exc:
        for line in exc.lines:
            click.echo(line, err=True)
        sys.exit(2 if exc.unreadable else 1)
    if output is None:
        click.echo(rolled.text, nl=False)
        return
    write_atomic(output, rolled.text.encode("utf-8"))
    say(f"已汇总 {len(rolled.sources)} 个事实文件 → {output}（叙述部分待填写）",
        f"summed {len(rolled.sources)} facts file(s) → {output} (narrative still to write)", lang)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--rev", default=None,
              help="与 git 中已提交的版本比较（如 HEAD~1、标签、提交号），只给一个文件.")
@LANG
def diff(files: tuple[str, ...], rev: str | None, lang: str | None) -> None:
    """逐格比较两个事实文件（或与 git 中的旧版本比较）的统计数字和叙述.

    gxgen diff OLD.yaml NEW.yaml, or gxgen diff FILE --rev HEAD~1. Lists every statutory cell
    that changed as old → new (change). Exit 0 (changes are not errors); 2: a file cannot be
    read as facts.
    """
    from gxgen import diff as diffing

    lang = lang_of(lang)
    if rev is None and len(files) != 2:
        raise click.UsageError("需要两个文件，或一个文件加 --rev / two files, or one with --rev")
    if rev is not None and len(files) != 1:
        raise click.UsageError("--rev 只能用于一个文件 / --rev takes one file")
    try:
        if rev is not None:
            name = files[0]
            raw = diffing.git_show(name, rev, lang)
            old = diffing.load(name, f"{rev}:{name}", raw=raw, lang=lang)
            new = diffing.load(name, lang=lang)
        else:
            old = diffing.load(files[0], lang=lang)
            new = diffing.load(files[1], lang=lang)
    except diffing.DiffError as exc:
        for line in exc.lines:
            click.echo(line, err=True)
        sys.exit(2)
    for line in diffing.lines(diffing.compare(old, new), lang):
        click.echo(line)


COMMANDS: list[click.Command] = [batch, rollup, diff]
