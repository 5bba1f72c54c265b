"""Finding the facts files of a tree, and naming their outputs safely.

``batch`` mirrors the input layout under ``OUT``; ``validate`` and ``rollup`` walk a folder
argument the same way. Discovery tells a report from the other YAML a repository keeps
(extension definitions, ``mkdocs.yml``) by its top-level keys, without parsing it, and opens
nothing that is not a regular file. Every output path component is sanitised (no ``..``,
separators, control characters, Windows device names, trailing dots or over-long names).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from gxgen import files
from gxgen.files import top_keys
from gxgen.messages import render as message

SUFFIXES = (".yaml", ".yml")

# --------------------------------------------------------------------------- safe names

_DEVICE = re.compile(r"(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|(COM|LPT)[0-9¹²³])", re.I)
"""Windows device names, reserved with any extension (``CON.docx`` opens the console)."""
_FORBIDDEN = set('/\\:*?"<>|')
_BAD_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
MAX_COMPONENT_BYTES = 120
"""Room for a variant suffix, an extension and ``write_atomic``'s temporary name in 255."""


def safe_component(name: str) -> str:
    """One path component that means the same file on Linux, macOS and Windows, and can only
    name something inside its parent folder.

    Separators, NUL, control and invisible formatting characters and the characters Windows
    forbids become ``_``; leading dots (``..``, hidden files) become ``_``; trailing dots and
    spaces, which Windows drops, are removed; device names (``CON``, ``COM1.txt``) get a
    ``_`` in front; an over-long name is cut and keeps a short hash of the whole, so two long
    names stay distinct.
    """
    text = unicodedata.normalize("NFC", name)
    text = "".join(
        "_" if ch in _FORBIDDEN or unicodedata.category(ch) in _BAD_CATEGORIES else ch
        for ch in text
    )
    text = text.strip(" ").rstrip(". ")
    stripped = text.lstrip(".")
    text = "_" * (len(text) - len(stripped)) + stripped if stripped else "_"
    if _DEVICE.fullmatch(text.split(".")[0].rstrip(" ")):
        text = "_" + text
    if len(text.encode("utf-8")) > MAX_COMPONENT_BYTES:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        cut = text.encode("utf-8")[: MAX_COMPONENT_BYTES - 9].decode("utf-8", "ignore")
        text = cut.rstrip(". ") + "~" + digest
    return text


def safe_parts(parts: Iterable[str]) -> tuple[str, ...]:
    return tuple(safe_component(p) for p in parts)


def inside(root: Path, path: Path) -> bool:
    """Whether ``path`` resolves (symbolic links followed) to somewhere under ``root``."""
    return path.resolve().is_relative_to(root.resolve())

def visible(text: str) -> str:
    """Text for a listing with line breaks as spaces and control and invisible characters
    made visible (�): a file name cannot forge lines or hide characters."""
    return "".join(" " if ch in "\t\n\r" else
                   "\ufffd" if unicodedata.category(ch) in _BAD_CATEGORIES else ch
                   for ch in text)


# --------------------------------------------------------------------------- discovery


FACTS_KEYS = frozenset({"edition", "agency", "year", "applications"})
"""A YAML file with none of these top-level keys is not a facts file (``mkdocs.yml``)."""
EXTENSION_KEY = "extension"
"""The top-level key of an extension definition, which the README keeps beside the facts."""


@dataclass(frozen=True)
class Source:
    path: Path
    """Where to read the file, as reached from the user's argument (also how it is shown)."""
    rel: PurePosixPath
    """Its place relative to the batch's base folder: the layout of ``OUT`` and the key of the
    manifest."""
    special: bool = False
    """Not a regular file (a FIFO, a device, a broken link): refused, never opened."""


@dataclass(frozen=True)
class Ignored:
    """A YAML file of the tree that is not a report: listed as skipped, never counted as
    broken and never silently dropped."""

    path: Path
    rel: PurePosixPath
    code: str
    """Why: ``batch_skip_extension`` or ``batch_skip_other`` (a message-catalogue key)."""

    def line(self, lang: str = "zh") -> str:
        return message(self.code, lang, {"file": visible(str(self.path))})


@dataclass(frozen=True)
class Survey:
    """What discovery found under the PATHS of a run."""

    sources: list[Source]
    ignored: list[Ignored]


def _is_facts_name(name: str) -> bool:
    return not name.startswith(".") and name.lower().endswith(SUFFIXES)


def sort_of(path: Path) -> str:
    """What a file found in the tree is: ``special`` (not a regular file: never opened),
    ``facts``, or the message code of a file that is not a report. What cannot be told
    (undecodable, no top-level key) counts as facts, so its problem is reported."""
    if files.kind_of(path) != "file":
        return "special"
    head = files.head(path)
    if head is None:
        return "special"
    keys = top_keys(head)
    if not keys:
        return "facts"
    if EXTENSION_KEY in keys and "edition" not in keys:
        return "batch_skip_extension"
    return "facts" if keys & FACTS_KEYS else "batch_skip_other"


def _patterns(globs: Iterable[str]) -> list[str]:
    out = []
    for glob in globs:
        glob = str(glob).replace(os.sep, "/")
        while glob.startswith("./"):
            glob = glob[2:]
        out.append(glob.rstrip("/") or glob)
    return out


def excluded(patterns: Sequence[str], shown: Path, rel: PurePosixPath) -> bool:
    """``--exclude``: a glob matches a file's or folder's name, its path relative to the
    batch's base folder, or its path as reached from the argument (``reports/old/*``)."""
    names = (rel.name, rel.as_posix(), shown.as_posix())
    return any(fnmatchcase(name, pattern) for pattern in patterns for name in names)


def _walk(root: Path, base: Path, skip: set[Path], patterns: Sequence[str]) -> Iterator[Path]:
    """Every ``*.yaml``/``*.yml`` under ``root``, hidden, skipped, excluded and linked folders
    left out."""
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if _wanted(here, d, base, patterns)
                         and Path(os.path.abspath(here / d)) not in skip
                         and not (here / d).is_symlink())
        yield from (here / n for n in sorted(names)
                    if _is_facts_name(n) and _wanted(here, n, base, patterns))


def _wanted(here: Path, name: str, base: Path, patterns: Sequence[str]) -> bool:
    rel = PurePosixPath(*Path(os.path.abspath(here / name)).relative_to(base).parts)
    return not name.startswith(".") and not excluded(patterns, here / name, rel)


def survey(paths: Sequence[str | Path], exclude: Iterable[str | Path] = (),
           globs: Iterable[str] = ()) -> Survey:
    """Every facts file (``*.yaml``, ``*.yml``) under ``paths``, sorted by relative path, and
    the YAML files there that are not reports (extension definitions, ``mkdocs.yml``).

    Hidden files and folders (``.git``, ``.github``), the ``exclude`` folders (the output
    folder, when it lies inside the tree) and whatever the ``globs`` match are skipped;
    folder links are not followed. The base of the relative paths is the folder argument
    itself for one folder, otherwise the deepest folder holding every argument, so ``OUT``
    mirrors what the user pointed at. Nothing found is opened unless it is a regular file.
    """
    roots = [Path(p) for p in paths]
    absolute = [Path(os.path.abspath(p)) for p in roots]
    holders = [a if r.is_dir() else a.parent for r, a in zip(roots, absolute, strict=True)]
    base = Path(os.path.commonpath([str(h) for h in holders])) if holders else Path.cwd()
    skip = {Path(os.path.abspath(p)) for p in exclude}
    patterns = _patterns(globs)
    found: dict[Path, Source | Ignored] = {}
    for root in roots:
        for shown in _walk(root, base, skip, patterns) if root.is_dir() else [root]:
            absolute_path = Path(os.path.abspath(shown))
            rel = PurePosixPath(*absolute_path.relative_to(base).parts)
            if absolute_path in found or excluded(patterns, shown, rel):
                continue
            what = sort_of(shown)
            found[absolute_path] = (Source(shown, rel, what == "special")
                                    if what in ("facts", "special") else Ignored(shown, rel, what))
    items = sorted(found.values(), key=lambda s: str(s.rel))
    return Survey([s for s in items if isinstance(s, Source)],
                  [s for s in items if isinstance(s, Ignored)])


def discover(paths: Sequence[str | Path], exclude: Iterable[str | Path] = (),
             globs: Iterable[str] = ()) -> list[Source]:
    """The facts files of ``survey`` (``validate`` and ``rollup`` walk folders with it)."""
    return survey(paths, exclude, globs).sources
