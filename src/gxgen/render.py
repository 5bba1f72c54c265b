"""The rendering half of the pipeline: facts → document model per variant → writer bytes.

Every output of a run is produced in memory first and written only when all succeeded, each
file atomically (temporary file + rename in the same folder): a failed run leaves no partial
file and never replaces a good one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gxgen.document import Document
from gxgen.facts import Facts

FORMATS: dict[str, str] = {
    "docx": ".docx",
    "html": ".html",
    "md": ".md",
    "odt": ".odt",
    "txt": ".txt",
}
ALL = ("docx", "html", "md")
"""What ``--format all`` means: the three formats the statute's readers use."""


@dataclass(frozen=True)
class Options:
    template: Path | None = None
    fragment: bool = False
    md_tables: str = "pipe"
    draft: bool = False


@dataclass
class Output:
    path: Path
    data: bytes
    fmt: str
    variant: str


@dataclass
class Plan:
    """What one facts file renders to."""

    outputs: list[Output] = field(default_factory=list)


def formats(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        for fmt in (ALL if name == "all" else (name,)):
            if fmt not in FORMATS:
                raise ValueError(name)
            if fmt not in out:
                out.append(fmt)
    return out


def writer(fmt: str) -> Callable[[Document, Options], bytes]:
    """The writer for a format, imported on first use (keeps start-up light)."""
    if fmt == "docx":
        from gxgen.writers import docx

        return lambda doc, opt: docx.render(doc, template=opt.template)
    if fmt == "html":
        from gxgen.writers import html

        return lambda doc, opt: html.render(doc, fragment=opt.fragment)
    if fmt == "md":
        from gxgen.writers import markdown

        return lambda doc, opt: markdown.render(doc, tables=opt.md_tables)
    from gxgen.writers import pandoc

    return lambda doc, opt: pandoc.render(doc, fmt)


def document(facts: Facts, variant: Any, draft: bool = False) -> Document:
    """The document model in one script. A built-in label without a reviewed traditional form
    raises ``variants.MissingLabel``; only a user's own extension labels go through OpenCC."""
    from gxgen.model import build_document
    from gxgen.variants import Converter

    conv = Converter.for_edition(variant, facts.edition, facts.data.get("protected_terms") or ())
    return build_document(facts, conv, draft=draft)


def output_path(source: Path, fmt: str, variant: Any, out: Path | None, many: bool) -> Path:
    """``2022.yaml`` → ``2022.docx`` / ``2022.zh-Hant.docx``, beside the input or in ``out``.

    ``out`` is a folder when it exists as one, ends with a separator, or the run writes
    several files; otherwise it is the file name itself.
    """
    name = source.stem + variant.suffix + FORMATS[fmt]
    if out is None:
        return source.with_name(name)
    if many or out.is_dir() or str(out).endswith(("/", os.sep)):
        return out / name
    return out


def plan(facts: Facts, source: Path, fmts: list[str], variants: list[Any],
         out: Path | None, options: Options, many: bool = False) -> Plan:
    result = Plan()
    several = many or len(fmts) * len(variants) > 1
    for variant in variants:
        doc = document(facts, variant, options.draft)
        for fmt in fmts:
            data = writer(fmt)(doc, options)
            result.outputs.append(Output(output_path(source, fmt, variant, out, several),
                                         data, fmt, variant.name))
    return result


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    A target that exists and is not a regular file (``/dev/stdout``, a FIFO, ``/dev/null``) is
    written in place: renaming over it would replace the device itself.
    """
    if path.exists() and not path.is_file():
        with path.open("wb") as fh:
            fh.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.is_file() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process umask (read by setting it, the only portable way, then restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_changed(path: Path, data: bytes) -> bool:
    """Write unless the file already holds exactly ``data`` (its time stays as it is, so
    tools watching the folder see no change). True when written."""
    try:
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True


TEMP_PREFIX = ".gxgen-"
TEMP_SUFFIX = ".tmp"
"""Temporary files are named ``.gxgen-<name>.<random>.tmp`` beside their target, so a run
killed between writing and renaming leaves files the next run can recognise and remove."""


def write_all(outputs: list[Output]) -> list[Path]:
    """All or nothing: every output that changed is first written to a temporary file beside
    its target; only when all of them are written are they renamed into place. A failure
    (disk full, a killed process) leaves every previous file as it was."""
    staged: list[tuple[str, Path]] = []
    streams = [o for o in outputs if o.path.exists() and not o.path.is_file()]
    try:
        for output in outputs:
            if output in streams or _unchanged(output.path, output.data):
                continue
            staged.append((_stage(output.path, output.data), output.path))
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for output in streams:
        write_atomic(output.path, output.data)
    return [output.path for output in outputs]


def _unchanged(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _stage(path: Path, data: bytes) -> str:
    """Write ``data`` to a temporary file beside ``path`` with the mode ``path`` will have."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.is_file() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", suffix=TEMP_SUFFIX,
                               dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp
