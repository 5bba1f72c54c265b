"""One ``gxgen batch`` at a time per output folder, and what a killed one left behind.

A run holds a POSIX lock on ``OUT/.gxgen-lock`` for its whole life, so two runs never
interleave their outputs and manifests; the system releases it if the run dies. The lock file
is never written: an unchanged run leaves ``OUT`` exactly as it was.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

LOCK = ".gxgen-lock"


class Unusable(Exception):
    """``OUT`` cannot be used; ``code`` and ``params`` are a message-catalogue line."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params


class Busy(Exception):
    """Another run holds ``OUT``'s lock; ``pid`` is its process id as it wrote it."""

    def __init__(self, pid: str):
        super().__init__(pid)
        self.pid = pid


def _open_lock(out: Path) -> int:
    if os.path.lexists(out) and not out.is_dir():
        raise Unusable("batch_out_is_file", out=str(out))
    path = out / LOCK
    flags = (os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
             | getattr(os, "O_CLOEXEC", 0))
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Unusable("batch_lock_special", path=str(path)) from exc
        raise Unusable("batch_out_unusable", out=str(out),
                       reason=exc.strerror or str(exc)) from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise Unusable("batch_lock_special", path=str(path))
    return fd


def _holder(fd: int) -> str:
    """The PID holding the lock, asked of the system (``F_GETLK``), so the lock file is never
    written and an unchanged run leaves ``OUT`` exactly as it was; ``?`` where the system's
    lock record has another layout than Linux's."""
    import fcntl
    import struct

    layout = "hhqqi4x"  # struct flock on Linux: type, whence, start, len, pid
    if not sys.platform.startswith("linux"):
        return "?"
    try:
        record = fcntl.fcntl(fd, fcntl.F_GETLK,
                             struct.pack(layout, fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0))
    except OSError:
        return "?"
    pid = struct.unpack(layout, record)[4]
    return str(pid) if pid > 0 else "?"


@contextmanager
def locked(out: Path, wait_for_it: bool = False,
           on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold ``OUT/.gxgen-lock`` (a POSIX lock, released by the system if the run dies) for
    the life of a run, so two runs never interleave their outputs and manifests. The run
    that has to wait or give up is told the holder's PID (``_holder``)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no POSIX locks
        yield
        return
    fd = _open_lock(out)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise Unusable("batch_out_unusable", out=str(out),
                               reason=exc.strerror or str(exc)) from exc
            if not wait_for_it:
                raise Busy(_holder(fd)) from exc
            if on_wait:
                on_wait(_holder(fd))
            fcntl.lockf(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def remove_leftovers(out: Path) -> list[Path]:
    """Delete the temporary files a killed run left under ``OUT`` (``render.write_all``'s
    ``.gxgen-*.tmp``): only regular files, folder links not followed."""
    from gxgen.render import TEMP_PREFIX, TEMP_SUFFIX

    removed = []
    for folder, _dirs, names in os.walk(out):
        for name in names:
            path = Path(folder) / name
            if (name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)
                    and stat.S_ISREG(path.lstat().st_mode)):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed
