"""Where an output may go, decided before a byte is written.

A user's ``-o`` can name anything: the facts file itself, a link to ``/dev/stdout``, a link
into another folder, a FIFO nobody reads, a folder. ``resolve`` says what a path is as an
output (a regular file to replace atomically, a stream, a FIFO or character device written in
place) and refuses the rest; ``protect`` refuses the inputs of the run and any facts file;
``for_facts`` is the rule of the commands that write facts (``init``, ``rollup``): an
existing file only with ``--force``, and only a regular file. Refusals are ``files.Refused``
with a message-catalogue code and the path as the user gave it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gxgen import files
from gxgen.files import Refused

STREAMS = {"-": 1, "/dev/stdout": 1, "/dev/stderr": 2}
_FD = re.compile(r"/(?:proc/self|dev)/fd/(\d+)")
_HOPS = 16
"""Links followed when looking for a stream name (``/dev/stdout`` → ``/proc/self/fd/1``)."""


@dataclass(frozen=True)
class Target:
    """An output path as it will be written. ``kind``: ``file`` (staged, then renamed over
    ``path``), ``special`` (a FIFO or character device, written in place) or ``stream`` (the
    process's descriptor ``fd``). ``path`` is the file actually written: the link's target
    for a link written through."""

    named: Path
    path: Path
    kind: str
    fd: int | None = None


def stream_fd(path: str | Path) -> int | None:
    """The descriptor ``path`` stands for: ``-``, ``/dev/stdout``, ``/dev/stderr``,
    ``/proc/self/fd/N`` or ``/dev/fd/N``, or a link (chain) to one of them; else None."""
    text = str(path)
    for _ in range(_HOPS):
        if text in STREAMS:
            return STREAMS[text]
        match = _FD.fullmatch(text)
        if match:
            return int(match.group(1))
        try:
            link = os.readlink(text)
        except OSError:
            return None
        text = os.path.normpath(os.path.join(os.path.dirname(text), link))
    return None


def resolve(path: Path, within: Path | None = None) -> Target:
    """What writing to ``path`` means. A link other than a stream is written through when its
    final target lies in the link's own folder (or under ``within``), else refused."""
    fd = stream_fd(path)
    if fd is not None:
        return Target(path, path, "stream", fd)
    real = path
    if path.is_symlink():
        real = Path(os.path.realpath(path))
        home = Path(os.path.realpath(within if within is not None else path.parent))
        inside = real.is_relative_to(home) if within is not None else real.parent == home
        if not inside:
            raise Refused("output_link_outside", path=str(path), target=str(real))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return Target(path, real, "file")
    except OSError as exc:
        raise Refused("output_cannot_write", path=str(path),
                      reason=exc.strerror or str(exc)) from exc
    if stat.S_ISREG(mode):
        return Target(path, real, "file")
    if stat.S_ISDIR(mode):
        raise Refused("output_is_directory", path=str(path))
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return Target(path, real, "special")
    raise Refused("output_not_regular", path=str(path))


def same_file(a: Path, b: Path) -> bool:
    """One file under two names: equal resolved paths, or the same inode (a hard link)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def protect(target: Target, inputs: Iterable[Path]) -> None:
    """Refuse a report output that would replace one of the run's inputs or a facts file."""
    if target.kind != "file":
        return
    if any(same_file(target.path, source) for source in inputs):
        raise Refused("output_is_input", path=str(target.named))
    if files.is_facts_file(target.named) or files.is_facts_file(target.path):
        raise Refused("output_is_facts", path=str(target.named))


def for_facts(path: Path, force: bool) -> Target:
    """Where ``init -o`` / ``rollup -o`` may write: a new file, or an existing regular file
    with ``--force``; never a stream, FIFO or device."""
    if os.path.lexists(path) and not force:
        raise Refused("output_exists", path=str(path))
    target = resolve(path)
    if target.kind != "file":
        raise Refused("output_not_regular", path=str(path))
    return target
