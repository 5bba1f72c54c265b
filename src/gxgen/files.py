"""Reading files that come from users: only regular files, never more than asked for.

A facts tree, a template or an extension definition can be anything on disk: a FIFO that
blocks ``open()`` forever, a link to ``/dev/zero`` that never ends, a 2 GB file. Every read
of a user's file goes through ``read_regular``: it looks at what the path is *before*
opening it, opens without blocking (so a FIFO swapped in meanwhile cannot hang us), checks
again on the open descriptor, and reads at most ``limit`` bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FACTS_SUFFIXES = (".yaml", ".yml")
SNIFF_BYTES = 64 * 1024
"""How much of a file decides whether it is a facts file (issue 8's definition)."""


class Refused(Exception):
    """A path that cannot be read as a file. ``code`` is a message-catalogue key
    (``not_found``, ``is_directory``, ``not_regular``, ``too_large``, ``unreadable``);
    ``params`` fill it."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


def kind_of(path: str | Path) -> str:
    """What ``path`` is, links followed: ``file``, ``directory``, ``missing``, or ``special``
    (FIFO, socket, device)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "special"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "directory"
    return "special"


def read_regular(path: str | Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path`` (links followed), at most ``limit`` of them.

    Raises ``Refused`` for anything else: a missing path, a folder, a FIFO or device, a file
    larger than ``limit`` (``params["limit"]`` in KB), or an OS error."""
    kind = kind_of(path)
    if kind == "missing":
        raise Refused("not_found")
    if kind == "directory":
        raise Refused("is_directory")
    if kind != "file":
        raise Refused("not_regular")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as exc:
        raise Refused("not_found") from exc
    except OSError as exc:
        raise Refused("unreadable", reason=exc.strerror or str(exc)) from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused("not_regular")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise Refused("unreadable", reason=exc.strerror or str(exc)) from exc
    finally:
        os.close(fd)
    if size > limit:
        raise Refused("too_large", limit=max(1, limit // 1024))
    return b"".join(chunks)


def is_facts_file(path: str | Path) -> bool:
    """Whether ``path`` holds (or would be) a facts file, which no report output may replace:
    a ``*.yaml``/``*.yml`` name, or a regular file whose first 64 KB load as a mapping with
    ``edition``, or with ``agency`` and ``year``. Never blocks: special files are not read."""
    if str(path).lower().endswith(FACTS_SUFFIXES):
        return True
    if kind_of(path) != "file":
        return False
    first = head(path)
    if not first:
        return False
    return _looks_like_facts(first)


def _looks_like_facts(head: bytes) -> bool:
    import yaml

    if b"\0" in head:
        return False
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = head.decode("gb18030")
        except UnicodeDecodeError:
            return False
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        # cut at 64 KB mid-document: judge by the top-level keys present in what was read
        keys = top_keys(head)
        return "edition" in keys or {"agency", "year"} <= keys
    except Exception:  # noqa: BLE001 - odd YAML (tags, recursion) is simply not facts
        return False
    return isinstance(data, dict) and ("edition" in data or {"agency", "year"} <= data.keys())


def head(path: str | Path) -> bytes | None:
    """The first ``SNIFF_BYTES`` of a regular file, opened without blocking; ``None`` when
    it turns out not to be a regular file. An unreadable file gives ``b""``: it is then
    treated as facts, so that the check reports why it cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return os.read(fd, SNIFF_BYTES)
    except OSError:
        return b""
    finally:
        os.close(fd)


def top_keys(head: bytes) -> set[str]:
    """The top-level keys of block-style YAML, read line by line from the start of a file:
    enough to tell what a file is without parsing it (it may be cut mid-document, or use
    tags such as mkdocs' ``!!python/name`` that a safe loader refuses)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return set()
    keys = set()
    for line in text.splitlines():
        if not line or line[0] in " \t#%?-[]{}!&*|>@`,":
            continue
        key, colon, rest = line.partition(":")
        if colon and (not rest or rest[0] in " \t"):
            keys.add(key.strip().strip("'\""))
    return keys
