"""The rendering half of the pipeline: facts → document model per variant → writer bytes.

Every output of a report is produced in memory first, then written all or nothing: each to a
temporary file beside its target, renamed into place only when all were written. A failed run
leaves no partial file and never replaces a good one. Where an output may go at all (links,
FIFOs, streams, inputs, facts files) is ``targets``' business.
"""

from __future__ import annotations

import errno
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from gxgen import files, targets
from gxgen.document import Document
from gxgen.facts import Facts
from gxgen.files import Refused

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


def check_template(template: Path) -> None:
    """Prepare a custom Word template now, raising ``WriterError`` when it is unusable, so a
    command refuses a broken one once, before any report."""
    from gxgen.writers import docx

    docx.check_template(template)


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


SUFFIXES: dict[str, str] = {**{s: f for f, s in FORMATS.items()}, ".htm": "html",
                            ".markdown": "md"}
"""File name suffixes that say a format (``-o x.docx`` must be a DOCX)."""


def check_output(out: str, fmts: list[str], several: bool) -> None:
    """The one ``-o`` rule, before anything is rendered (``files.Refused`` otherwise).

    An existing folder, or a name ending with a separator, is a folder. With several outputs
    ``-o`` is a folder: not an existing file, not a name with a format suffix. With one
    output it is the file name, and a format suffix on it must be the format's. A stream
    (``-``, ``/dev/stdout``…) takes one output only."""
    if targets.stream_fd(out) is not None:
        if several:
            raise Refused("output_stream_many", path=out)
        return
    kind = files.kind_of(out)
    if kind == "directory" or out.endswith(("/", os.sep)):
        return
    suffix = Path(out).suffix.lower()
    if several:
        if kind != "missing":
            raise Refused("output_not_folder", path=out)
        if suffix in SUFFIXES:
            raise Refused("output_suffix_many", path=out, suffix=suffix)
    elif suffix in SUFFIXES and SUFFIXES[suffix] != fmts[0]:
        raise Refused("output_suffix_mismatch", path=out, suffix=suffix, format=fmts[0])


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


class WriteFailed(OSError):
    """Writing an output failed (disk full, no permission…); ``filename`` is the output as
    the user named it. Raised before any rename when a file cannot be staged (the usual
    case), so the previous outputs are all still there; staged files are removed."""


def write_atomic(path: Path, data: bytes) -> None:
    """Replace (or create) the regular file ``path`` so that readers see the old file or the
    new one, never half. For facts files: a FIFO, device or stream is refused
    (``files.Refused``), a link is written through only to its own folder."""
    target = targets.resolve(path)
    if target.kind != "file":
        raise Refused("output_not_regular", path=str(path))
    _replace([(target, data)])


def _umask() -> int:
    """The process umask (read by setting it, the only portable way, then restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_changed(path: Path, data: bytes) -> bool:
    """Write unless the file already holds exactly ``data`` (its time stays as it is, so
    tools watching the folder see no change). True when written."""
    if _unchanged(path, data):
        return False
    write_all([Output(path, data, "", "")])
    return True


TEMP_PREFIX = ".gxgen-"
TEMP_SUFFIX = ".tmp"
"""Temporary files are named ``.gxgen-<name>.<random>.tmp`` beside their target, so a run
killed between writing and renaming leaves files the next run can recognise and remove."""


BINARY = ("docx", "odt")
"""Formats that must not be poured onto a terminal."""


def write_all(outputs: list[Output], within: Path | None = None) -> list[Path]:
    """All or nothing: every output that changed is first written to a temporary file beside
    its target; only when all of them are written are they renamed into place. A failure
    (disk full, a killed process) leaves every previous file as it was.

    Each path is checked first (``targets.resolve``; links are followed only inside their own
    folder, or under ``within``): a refusal (``files.Refused``) writes nothing. A stream
    (``-``, ``/dev/stdout``) takes a single output, never a binary one on a terminal; a FIFO
    or character device is opened without blocking, refused when nobody reads it, and written
    after the renames. A failed write raises ``WriteFailed`` naming the output."""
    places = [targets.resolve(o.path, within) for o in outputs]
    for output, place in zip(outputs, places, strict=True):
        if place.kind != "stream":
            continue
        if len(outputs) > 1:
            raise Refused("output_stream_many", path=str(output.path))
        if output.fmt in BINARY and _isatty(place.fd):
            raise Refused("output_binary_tty", path=str(output.path), format=output.fmt)
    opened: list[tuple[int, Output]] = []
    try:
        for output, place in zip(outputs, places, strict=True):
            if place.kind == "special":
                opened.append((_open_special(place), output))
        _replace([(p, o.data) for o, p in zip(outputs, places, strict=True) if p.kind == "file"])
        for fd, output in opened:
            _guarded(output.path, partial(_write_fd, fd, output.data))
        for output, place in zip(outputs, places, strict=True):
            if place.kind == "stream":
                _guarded(output.path, partial(_write_stream, place.fd, output.data))
    finally:
        for fd, _ in opened:
            os.close(fd)
    return [output.path for output in outputs]


def _replace(items: list[tuple[targets.Target, bytes]]) -> None:
    """Stage every changed file, then rename them all; on failure remove what was staged."""
    staged: list[tuple[str, targets.Target]] = []
    try:
        for place, data in items:
            if _unchanged(place.path, data):
                continue
            staged.append((_guarded(place.named, partial(_stage, place.path, data)), place))
        for tmp, place in staged:
            _guarded(place.named, partial(os.replace, tmp, place.path))
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise


def _guarded(path: Path, action: Callable[[], Any]) -> Any:
    """Run ``action``; an OS error becomes ``WriteFailed`` naming ``path``."""
    try:
        return action()
    except WriteFailed:
        raise
    except OSError as exc:
        raise WriteFailed(exc.errno, exc.strerror or str(exc), str(path)) from exc


def _open_special(place: targets.Target) -> int:
    """Open a FIFO or device for writing without waiting for a reader; refuse when there is
    none (ENXIO), then switch to blocking writes."""
    flags = os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(place.path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise Refused("output_no_reader", path=str(place.named)) from exc
        raise WriteFailed(exc.errno, exc.strerror or str(exc), str(place.named)) from exc
    os.set_blocking(fd, True)
    return fd


def _write_fd(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _isatty(fd: int | None) -> bool:
    """Whether the stream is a terminal (``sys.stdout``/``sys.stderr`` for 1 and 2, so that
    click's test runner is asked, not the test process's own descriptors)."""
    if fd == 1:
        return sys.stdout.isatty()
    if fd == 2:
        return sys.stderr.isatty()
    return fd is not None and os.isatty(fd)


def _write_stream(fd: int | None, data: bytes) -> None:
    if fd in (1, 2):
        stream = sys.stdout if fd == 1 else sys.stderr
        stream.flush()
        stream.buffer.write(data)
        stream.buffer.flush()
    elif fd is not None:
        _write_fd(fd, data)


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
