"""What the commands share: option decorators, the message language, and the one-line
refusals of templates and facts outputs.

Its own module so that the command modules (``cli``, ``cli_many``) import it and not each
other. Only click is imported at module level: ``gxgen --help`` stays light.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import click

from gxgen.findings import printable

EXTENSION = click.option(
    "--extension", "extensions", multiple=True, metavar="FILE",
    help="扩展表：内置名称（如 zhejiang）或扩展定义文件路径，"
         "加在事实文件的 extensions 之后。可重复.")
STRICT = click.option("--strict", "strict_mode", is_flag=True,
                      help="警告也按错误处理（退出码 1），供 CI 使用 / warnings count as errors.")
EXCLUDE = click.option(
    "--exclude", "excludes", multiple=True, metavar="GLOB",
    help="在目录中查找事实文件时，跳过名称或相对路径匹配 GLOB 的文件和目录"
         "（如 drafts、*/旧稿/*）。可重复.")
LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
                    help="消息语言 / message language (default zh, or $GXGEN_LANG).")


def lang_of(value: str | None) -> str:
    return value or os.environ.get("GXGEN_LANG", "zh")


def say(zh: str, en: str, lang: str, err: bool = True) -> None:
    """One line in the user's language; file names in it are shown ``printable``."""
    click.echo(printable(en if lang == "en" else zh), err=err)
def message(code: str, lang: str, **params: object) -> str:
    from gxgen.messages import render as text

    return text(code, lang, params)


DISK_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
NO_PERMISSION = {errno.EACCES, errno.EPERM, errno.EROFS}


def refusal(exc: Exception, lang: str) -> str:
    """The one catalogue line for an output refused (``files.Refused``) or failed
    (``OSError`` naming the output)."""
    from gxgen.files import Refused

    if isinstance(exc, Refused):
        return message(exc.code, lang, **exc.params)
    assert isinstance(exc, OSError)
    path = exc.filename if exc.filename is not None else "?"
    if exc.errno in DISK_FULL:
        return message("output_disk_full", lang, path=path)
    if exc.errno in NO_PERMISSION:
        return message("output_no_permission", lang, path=path)
    return message("output_cannot_write", lang, path=path,
                   reason=exc.strerror or type(exc).__name__)


def check_template(template: Path, lang: str) -> None:
    """A broken --template would fail every report the same way: refuse it once, up front, in
    one line, whatever is wrong with it (exit 2). Shared by ``render`` and ``batch``."""
    from gxgen import render
    from gxgen.writers import WriterError

    try:
        render.check_template(template)
    except WriterError as exc:
        click.echo(printable(exc.message(lang)), err=True)
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - any fault of the template, said once
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())
        click.echo(message("template_unusable", lang, path=str(template), reason=reason),
                   err=True)
        sys.exit(2)



def facts_target(output: Path, force: bool, lang: str, exists: str = "output_exists") -> None:
    """Refuse (exit 2) a facts output that exists (without ``--force``) or is not a regular
    file; ``exists`` is the catalogue line for the first case."""
    from gxgen import targets
    from gxgen.files import Refused

    try:
        targets.for_facts(output, force)
    except Refused as exc:
        code = exists if exc.code == "output_exists" else exc.code
        click.echo(message(code, lang, **exc.params), err=True)
        sys.exit(2)


def write_facts(output: Path, text: str, lang: str) -> None:
    """Write a facts file atomically; a refusal or failure is one line and exit 2."""
    from gxgen.files import Refused
    from gxgen.render import write_atomic

    try:
        write_atomic(output, text.encode("utf-8"))
    except (Refused, OSError) as exc:
        click.echo(refusal(exc, lang), err=True)
        sys.exit(2)
