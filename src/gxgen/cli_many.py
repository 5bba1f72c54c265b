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

from gxgen.findings import printable
from gxgen.options import EXCLUDE, LANG, STRICT, check_template, lang_of


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


def _line(code: str, lang: str, **params: Any) -> str:
    from gxgen.messages import render as message

    return message(code, lang, params)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
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
@STRICT
@EXCLUDE
@click.option("--wait", "wait_for_lock", is_flag=True,
              help="输出目录正被另一个 batch 写入时排队等待（默认立即退出，退出码 2）.")
@LANG
def batch(paths: tuple[str, ...], output: Path, fmts: tuple[str, ...],
          variants: tuple[str, ...], jobs: int | None, force: bool, template: Path | None,
          md_tables: str, progress: bool | None, strict_mode: bool, excludes: tuple[str, ...],
          wait_for_lock: bool, lang: str | None) -> None:
    """校验并生成目录下的全部事实文件（并行，增量）.

    Finds every *.yaml under PATHS, checks each (cross-year included), renders the valid ones
    in parallel into OUTPUT (mirroring the input layout) and writes OUTPUT/index.html. A broken
    file never stops the others, and a report that fails keeps its last good outputs (marked
    过期 in the index). YAML files that are not reports (extension definitions, mkdocs.yml)
    are listed as skipped. One batch at a time writes to an OUTPUT.
    Exit 0: all rendered; 1: some file failed (with --strict, also: some file has warnings;
    its reports are still written); 2: no facts file, or OUTPUT busy or unusable.
    """
    from gxgen import batch as batching
    from gxgen import render as rendering
    from gxgen.batch_lock import Busy, Unusable
    from gxgen.variants import resolve

    lang = lang_of(lang)
    chosen_formats = rendering.formats(fmts)
    chosen_variants = [v.name for v in resolve(variants)]
    found = batching.survey(paths, exclude=[output], globs=excludes)
    for item in found.ignored:
        click.echo(item.line(lang), err=True)
    if not found.sources:
        click.echo(_line("batch_no_facts", lang), err=True)
        sys.exit(2)
    if template is not None:
        check_template(template, lang)
    show = sys.stderr.isatty() if progress is None else progress
    bar: Any = None

    def on_plan(todo: int, skipped: int) -> None:
        nonlocal bar
        if skipped:
            click.echo(_line("batch_unchanged", lang, n=skipped), err=True)
        if show and todo:
            bar = click.progressbar(length=todo, label=_line("batch_progress", lang),
                                    file=sys.stderr, show_pos=True, show_eta=True)
            bar.__enter__()

    try:
        result = batching.run(
            paths, output, chosen_formats, chosen_variants, template=template,
            md_tables=md_tables, workers=jobs, force=force, exclude=excludes,
            wait_for_lock=wait_for_lock, found=found,
            progress=(lambda n: bar.update(n)) if show else None, on_plan=on_plan, lang=lang,
            on_wait=lambda pid: click.echo(_line("batch_waiting", lang, pid=pid,
                                                 out=str(output)), err=True))
    except Busy as exc:
        click.echo(_line("batch_busy", lang, pid=exc.pid, out=str(output)), err=True)
        sys.exit(2)
    except Unusable as exc:
        click.echo(_line(exc.code, lang, **exc.params), err=True)
        sys.exit(2)
    except OSError as exc:
        click.echo(_line("batch_out_unusable", lang, out=str(output),
                         reason=exc.strerror or str(exc)), err=True)
        sys.exit(2)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    _report(result, output, lang)
    warned = [o for o in result.outcomes if o.warnings and o.status != "error"]
    if strict_mode and warned:
        click.echo(_line("batch_strict", lang, n=len(warned)), err=True)
    sys.exit(1 if result.failed or (strict_mode and warned) else 0)


def _report(result: Any, output: Path, lang: str) -> None:
    for outcome in result.outcomes:
        if outcome.skipped:
            continue
        for finding in outcome.finding_objects():
            click.echo(finding.format(lang), err=True)
    rows = [[o.agency or "—", str(o.year or "—"), str(o.errors), str(o.warnings),
             str(o.written), _line(_state(o), lang), o.rel] for o in result.outcomes]
    header = [_line(f"batch_col_{c}", lang)
              for c in ("agency", "year", "errors", "warnings", "written", "status", "file")]
    click.echo("")
    for line in _table(header, rows, right={1, 2, 3, 4}):
        click.echo(line)
    click.echo("")
    click.echo(_summary(result, output, lang))


def _state(outcome: Any) -> str:
    """The catalogue code of a report's state in the summary table."""
    if outcome.stale:
        return "batch_state_kept"
    if outcome.skipped:
        return "batch_state_unchanged"
    return "batch_state_failed" if outcome.status == "error" else "batch_state_rendered"


def _summary(result: Any, output: Path, lang: str) -> str:
    def part(code: str, n: int) -> str:
        return _line(code, lang, n=n) if n else ""

    outcomes = result.outcomes
    return _line(
        "batch_summary", lang, total=len(outcomes),
        done=sum(1 for o in outcomes if o.status != "error"),
        unchanged=sum(1 for o in outcomes if o.skipped), failed=len(result.failed),
        kept=part("batch_summary_kept", len(result.kept)),
        errors=sum(o.errors for o in outcomes), warnings=sum(o.warnings for o in outcomes),
        written=result.files_written,
        removed=part("batch_summary_removed", len(result.removed)),
        ignored=part("batch_summary_ignored", len(result.ignored)),
        upgraded=_line("batch_summary_upgraded", lang) if result.upgraded else "",
        index=output / "index.html")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--agency", required=True, help="汇总报告的机关名称（如 定海区）.")
@click.option("--year", required=True, type=click.IntRange(2008, 2100), help="报告年度.")
@click.option("--agency-type", type=click.Choice(["government", "department", "township"]),
              default="government", show_default=True,
              help="汇总报告的机关类别（本级政府报告为 government）.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="写出的事实文件（默认输出到标准输出）；位于输入目录内时不计入汇总；"
                   "已存在时不覆盖，除非加 --update 或 --force.")
@click.option("--update", is_flag=True,
              help="-o 文件已存在时只替换其中的统计数字，保留已写的叙述、日期等内容.")
@click.option("--force", is_flag=True, help="整个覆盖已存在的 -o 文件（已写的叙述会丢失）.")
@EXCLUDE
@LANG
def rollup(paths: tuple[str, ...], agency: str, year: int, agency_type: str,
           output: Path | None, update: bool, force: bool, excludes: tuple[str, ...],
           lang: str | None) -> None:
    """把各单位的统计数字逐格相加，生成汇总报告的事实文件.

    Sums every statistic of the facts files under PATHS into one facts file (narrative left
    to write). All inputs must be valid, of one edition and of the given year. With --update
    an existing OUTPUT keeps everything but its figures.
    Exit 0: written; 1: inputs refused; 2: no facts file, an unreadable one, or OUTPUT refused.
    """
    from gxgen import files, targets
    from gxgen import rollup as rolling
    from gxgen.options import facts_target, message, write_facts

    lang = lang_of(lang)
    if update and output is None:
        raise click.UsageError(message("usage_update_needs_output", lang))
    if output is not None:
        named = [Path(p) for p in paths if files.kind_of(p) != "directory"]
        if any(targets.same_file(output, p) for p in named):
            click.echo(message("rollup_output_is_input", lang, path=output), err=True)
            sys.exit(2)
        facts_target(output, force or update, lang, exists="rollup_exists")
    try:
        rolled = rolling.rollup(paths, agency, year, agency_type,
                                exclude=[output] if output else [], lang=lang,
                                folder=output.parent if output else Path("."), globs=excludes)
        text = rolled.text
        updating = False
        if update and output is not None and files.kind_of(output) == "file":
            text = rolling.update(_read_text(output), rolled, str(output), lang)
            updating = True
    except rolling.RollupError as exc:
        for line in exc.lines:
            click.echo(line, err=True)
        sys.exit(2 if exc.unreadable else 1)
    if output is None:
        click.echo(text, nl=False)
        return
    write_facts(output, text, lang)
    click.echo(message("rollup_updated" if updating else "rollup_written", lang,
                       n=len(rolled.sources), path=output), err=True)


def _read_text(path: Path) -> str:
    """The aggregate to update, as text ('' when it cannot be read: ``update`` refuses it)."""
    from gxgen import files, loader

    try:
        return files.read_regular(path, loader.MAX_BYTES).decode("utf-8-sig")
    except (files.Refused, UnicodeDecodeError):
        return ""


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
    from gxgen.options import message

    lang = lang_of(lang)
    if rev is None and len(files) != 2:
        raise click.UsageError(message("usage_diff_two_files", lang))
    if rev is not None and len(files) != 1:
        raise click.UsageError(message("usage_rev_one_file", lang))
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
