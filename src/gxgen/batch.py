"""``gxgen batch``: check and render every facts file of a repository in one run.

A county's 政务公开办 keeps hundreds of sub-agencies' facts in one tree
(``reports/<agency>/<year>.yaml``). This module finds them, checks each one (cross-year
included), renders the valid ones in worker processes that keep their prepared templates and
OpenCC converters, and writes an index of the whole batch. One broken file never stops the
others: whatever goes wrong with a file — its facts, a full disk, a worker killed under it —
becomes findings in its own row of the summary, and its last good outputs stay published
(marked 过期 in the index) until it renders again.

Output mirrors the input layout under ``OUT``. Every path component is sanitised (no ``..``,
separators, control characters, Windows device names, trailing dots or over-long names) and
every target is checked to resolve inside ``OUT`` before anything is written. All outputs of
one report are renamed into place together or not at all (``render.write_all``).

Runs are incremental: ``OUT/.gxgen-manifest.json`` records, per input, a hash of everything
that decides its outputs (the facts bytes, last year's file, extension definitions it names,
gxgen's code and templates, the options) and the hash of each file written. A report whose
hash is unchanged and whose outputs are still as written is skipped; an unchanged run writes
nothing at all. One run at a time writes to an ``OUT``: it holds a lock on ``OUT/.gxgen-lock``.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import html
import json
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from gxgen import __version__, files
from gxgen.findings import Finding
from gxgen.messages import render as message

MANIFEST = ".gxgen-manifest.json"
INDEX_HTML = "index.html"
INDEX_MD = "index.md"
LOCK = ".gxgen-lock"
RESERVED = frozenset({MANIFEST, INDEX_HTML, INDEX_MD, LOCK})
"""Names at the top of ``OUT`` that belong to the batch itself."""

SUFFIXES = (".yaml", ".yml")
MANIFEST_FORMAT = 2
"""2: entries record ``origin`` (the source's absolute path) and ``stale`` (outputs kept from
an earlier good run while the report fails). Format 1 manifests are still read."""
READ_FORMATS = (1, 2)
HASH_LIMIT = 64 * 1024 * 1024
"""The most read to hash a template or an extension definition (their own readers refuse
far less); a larger file hashes as ``too_large`` and is refused when it is used."""

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


class OutsideOutput(Exception):
    """A target that would resolve outside ``OUT`` (a hostile name or a symbolic link)."""


# --------------------------------------------------------------------------- discovery


FACTS_KEYS = frozenset({"edition", "agency", "year", "applications"})
"""A YAML file with none of these top-level keys is not a facts file (``mkdocs.yml``)."""
EXTENSION_KEY = "extension"
"""The top-level key of an extension definition, which the README keeps beside the facts."""
SNIFF_BYTES = files.SNIFF_BYTES


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
        return message(self.code, lang, {"file": _shown(str(self.path))})


@dataclass(frozen=True)
class Survey:
    """What discovery found under the PATHS of a run."""

    sources: list[Source]
    ignored: list[Ignored]


def _is_facts_name(name: str) -> bool:
    return not name.startswith(".") and name.lower().endswith(SUFFIXES)


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


def _head(path: Path) -> bytes | None:
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


def sort_of(path: Path) -> str:
    """What a file found in the tree is: ``special`` (not a regular file: never opened),
    ``facts``, or the message code of a file that is not a report. What cannot be told
    (undecodable, no top-level key) counts as facts, so its problem is reported."""
    if files.kind_of(path) != "file":
        return "special"
    head = _head(path)
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


def year_candidates(path: Path) -> list[Path]:
    """Every file that ``check.previous_candidates`` could pick for ``path``, whatever year the
    file turns out to declare: a superset, read before the file is parsed, for the hash."""
    from gxgen.check import previous_candidates

    name = path.name
    years = {name[i:i + 4] for i in range(len(name) - 3) if name[i:i + 4].isdigit()}
    years |= {p for p in path.parts[:-1] if re.fullmatch(r"\d{4}", p)}
    out: list[Path] = []
    for year in sorted(years):
        for candidate in previous_candidates(path, int(year)):
            if candidate not in out:
                out.append(candidate)
    return out


# --------------------------------------------------------------------------- jobs and outcomes


@dataclass(frozen=True)
class Settings:
    """What every worker needs to render: the same for the whole run."""

    out: str
    formats: tuple[str, ...]
    variants: tuple[str, ...]
    template: str | None = None
    md_tables: str = "pipe"

    def options(self) -> Any:
        from gxgen.render import Options

        return Options(template=Path(self.template) if self.template else None,
                       md_tables=self.md_tables)


@dataclass(frozen=True)
class Job:
    source: str
    rel: str
    folder: tuple[str, ...]
    """Sanitised output folder parts under ``OUT``."""
    stem: str
    """Sanitised output file stem (``2022`` → ``2022.docx``, ``2022.zh-Hant.docx``)."""


@dataclass
class Outcome:
    """What became of one facts file; also what the manifest keeps for it."""

    rel: str
    source: str
    key: str = ""
    agency: str | None = None
    year: int | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)
    outputs: list[dict[str, Any]] = field(default_factory=list)
    """``{"path", "format", "variant", "sha256", "size"}``, path relative to ``OUT``."""
    previous: str | None = None
    deps: list[dict[str, str]] = field(default_factory=list)
    """Extension files it depends on, with their hashes when checked."""
    written: int = 0
    skipped: bool = False
    """Unchanged since the last run: not checked or rendered again."""
    origin: str = ""
    """The source's absolute path: tells, in a later run, whether it was deleted."""
    stale: bool = False
    """The report failed in this run; ``outputs`` are its last good ones, kept published."""

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f["severity"] == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f["severity"] == "warning")

    @property
    def status(self) -> str:
        """``ok``, ``warning`` or ``error`` (an error means nothing was rendered in this run;
        ``stale`` outputs of an earlier run may still be published)."""
        if self.errors or not self.outputs:
            return "error"
        return "warning" if self.warnings else "ok"

    def finding_objects(self) -> list[Finding]:
        return [Finding(**f) for f in self.findings]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source, "key": self.key, "agency": self.agency, "year": self.year,
            "previous": self.previous, "findings": self.findings, "outputs": self.outputs,
            "deps": self.deps, "origin": self.origin, "stale": self.stale,
        }

    @classmethod
    def from_json(cls, rel: str, data: dict[str, Any]) -> Outcome:
        return cls(rel=rel, source=str(data["source"]), key=str(data["key"]),
                   agency=data.get("agency"), year=data.get("year"),
                   findings=list(data.get("findings") or []),
                   outputs=list(data.get("outputs") or []), previous=data.get("previous"),
                   deps=list(data.get("deps") or []), origin=str(data.get("origin") or ""),
                   stale=bool(data.get("stale")))


def finding_dict(f: Finding) -> dict[str, Any]:
    """A finding as plain JSON (parameters as text: they are only ever formatted)."""
    params = {k: v if isinstance(v, (int, str, dict, list)) and not isinstance(v, bool) else str(v)
              for k, v in f.params.items()}
    return {"rule": f.rule, "severity": f.severity, "code": f.code, "params": params,
            "file": f.file, "line": f.line, "col": f.col, "path": f.path}


def _batch_finding(source: str, code: str, **params: Any) -> dict[str, Any]:
    return finding_dict(Finding("batch", "error", code, params, source))


# --------------------------------------------------------------------------- the worker side

_SETTINGS: Settings | None = None


def init_worker(settings: Settings) -> None:
    """Per worker process: remember the settings. Templates and converters are prepared on the
    first report and then kept by their modules for the life of the process."""
    global _SETTINGS
    _SETTINGS = settings


def dependencies(source: str, facts: Any) -> list[dict[str, str]]:
    """Files besides the facts file that decide its outputs and may lie outside gxgen: the
    extension definitions it names by path. Their hashes go into the manifest."""
    from gxgen import extensions

    refs = facts.data.get("extensions") if facts is not None else None
    out = []
    for ref in refs if isinstance(refs, list) else ():
        if isinstance(ref, str) and extensions.is_path(ref.strip()):
            path = Path(source).parent / ref.strip()
            out.append({"path": str(path), "sha256": _file_hash(path)})
    return out


def _file_hash(path: Path, limit: int = HASH_LIMIT) -> str:
    """The SHA-256 of a regular file read with a bound, or why it cannot be read
    (``not_found``, ``not_regular``, ``too_large``…): never blocks on a FIFO or a device."""
    try:
        return hashlib.sha256(files.read_regular(path, limit)).hexdigest()
    except files.Refused as exc:
        return exc.code


class SpecialTarget(Exception):
    """An output path that exists and is not a regular file (a folder, a FIFO, a device)."""


def target(out: Path, output: Any) -> Any:
    """Where an output is really written. A symbolic link under ``OUT`` whose target also
    lies under ``OUT`` is written through (it stays a link); anything leading outside
    ``OUT``, or to a folder, FIFO or device, is refused: never replaced, never written."""
    try:
        real = output.path.resolve()
    except (OSError, RuntimeError) as exc:
        raise OutsideOutput(str(output.path)) from exc
    if not real.is_relative_to(out.resolve()):
        raise OutsideOutput(str(output.path))
    if os.path.lexists(real) and files.kind_of(real) != "file":
        raise SpecialTarget(str(output.path))
    return dataclasses.replace(output, path=real)


def _same(path: Path, data: bytes) -> bool:
    """Whether the regular file at ``path`` already holds exactly ``data``."""
    try:
        return files.read_regular(path, len(data)) == data
    except files.Refused:
        return False


def _publish(out: Path, job: Job, facts: Any,
             settings: Settings) -> tuple[list[dict[str, Any]], int]:
    """Render one checked report and write all its outputs, all or nothing: the records for
    the manifest and how many files changed."""
    from gxgen import render
    from gxgen.variants import resolve

    folder = out.joinpath(*job.folder)
    plan = render.plan(facts, Path(job.stem + ".yaml"), list(settings.formats),
                       resolve(settings.variants), folder, settings.options(), many=True)
    targets = [target(out, output) for output in plan.outputs]
    records = [{
        "path": output.path.relative_to(out).as_posix(), "format": output.fmt,
        "variant": output.variant, "sha256": hashlib.sha256(output.data).hexdigest(),
        "size": len(output.data),
    } for output in plan.outputs]
    written = sum(1 for t in targets if not _same(t.path, t.data))
    render.write_all(targets)
    return records, written


def render_job(job: Job, key: str) -> Outcome:
    """Check one file and, when it has no errors, render and write all its outputs."""
    from gxgen.check import check_file

    settings = _SETTINGS
    assert settings is not None, "init_worker was not called"
    outcome = Outcome(rel=job.rel, source=job.source, key=key)
    try:
        checked = check_file(job.source)
        outcome.deps = dependencies(job.source, checked.facts)
        outcome.findings = [finding_dict(f) for f in checked.findings]
        outcome.previous = checked.previous
        if checked.facts is not None:
            outcome.agency = checked.facts.agency
            outcome.year = checked.facts.year
        if checked.ok:
            outcome.outputs, outcome.written = _publish(Path(settings.out), job, checked.facts,
                                                        settings)
    except OutsideOutput as exc:
        outcome.findings.append(_batch_finding(job.source, "batch_outside", path=str(exc)))
    except SpecialTarget as exc:
        outcome.findings.append(_batch_finding(job.source, "batch_target_special",
                                               path=str(exc)))
    except OSError as exc:
        reason = exc.strerror or " ".join(str(exc).split())
        outcome.findings.append(_batch_finding(job.source, "batch_write_failed", reason=reason))
    except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the batch
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())
        outcome.findings.append(_batch_finding(job.source, "batch_failed", reason=reason))
    return outcome


def run_chunk(chunk: list[tuple[Job, str]]) -> list[Outcome]:
    return [render_job(job, key) for job, key in chunk]


# --------------------------------------------------------------------------- the manifest


def fingerprint(settings: Settings) -> str:
    """Hash of what decides every output besides the facts: gxgen's version, its code, data
    and templates, the chosen formats, variants and options, and a custom template."""
    from gxgen.writers import docx

    digest = hashlib.sha256()
    digest.update(json.dumps({
        "gxgen": __version__, "formats": settings.formats, "variants": settings.variants,
        "md_tables": settings.md_tables, "manifest": MANIFEST_FORMAT,
    }, sort_keys=True).encode())
    package = Path(__file__).resolve().parent
    folders = [package, docx.default_template().parent]
    for folder in dict.fromkeys(folders):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    if settings.template:
        digest.update(b"template\0" + _file_hash(Path(settings.template)).encode())
    return digest.hexdigest()


def input_key(source: Path, base: str) -> str:
    """The hash of one report's inputs: the fingerprint, its bytes, and every file that could
    serve as its previous year (present or absent, so adding one re-checks it). Every read is
    bounded and refuses what is not a regular file."""
    from gxgen.loader import MAX_BYTES

    digest = hashlib.sha256(base.encode())
    digest.update(_file_hash(source, MAX_BYTES).encode())
    for candidate in year_candidates(source):
        digest.update(str(candidate).encode("utf-8", "surrogatepass") + b"\0")
        digest.update(_file_hash(candidate, MAX_BYTES).encode())
    return digest.hexdigest()


def load_manifest(out: Path) -> dict[str, Outcome]:
    try:
        raw = files.read_regular(out / MANIFEST, HASH_LIMIT)
        data = json.loads(raw.decode("utf-8"))
        if data.get("format") not in READ_FORMATS:
            return {}
        return {rel: Outcome.from_json(rel, entry) for rel, entry in data["reports"].items()}
    except (files.Refused, ValueError, KeyError, TypeError, AttributeError):
        return {}


def dump_manifest(outcomes: Sequence[Outcome]) -> bytes:
    doc = {
        "format": MANIFEST_FORMAT,
        "gxgen": __version__,
        "reports": {o.rel: o.to_json() for o in sorted(outcomes, key=lambda o: o.rel)},
    }
    return (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode("ascii")


def _still_valid(out: Path, outcome: Outcome) -> bool:
    """Whether an earlier outcome still holds: its extension files and its outputs are as
    they were when it was recorded."""
    if any(_file_hash(Path(d["path"])) != d["sha256"] for d in outcome.deps):
        return False
    return all(_as_recorded(out, record) for record in outcome.outputs)


def _as_recorded(out: Path, record: dict[str, Any]) -> bool:
    """Whether an output under ``OUT`` is still exactly the file the manifest records."""
    try:
        data = files.read_regular(out / record["path"], int(record["size"]))
    except files.Refused:
        return False
    return hashlib.sha256(data).hexdigest() == record["sha256"]


# --------------------------------------------------------------------------- the run


@dataclass
class Result:
    outcomes: list[Outcome]
    """The reports of this run's PATHS."""
    others: list[Outcome] = field(default_factory=list)
    """Reports an earlier run published whose facts file is outside this run's PATHS (or
    excluded): kept in the manifest and index as they were."""
    ignored: list[Ignored] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    """Outputs of an earlier run deleted: their facts file is gone, or the formats or
    variants changed."""
    index_written: bool = False

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "error"]

    @property
    def kept(self) -> list[Outcome]:
        """Failed reports whose last good outputs stay published."""
        return [o for o in self.failed if o.stale]

    @property
    def files_written(self) -> int:
        return sum(o.written for o in self.outcomes)


def plan_jobs(sources: Sequence[Source], settings: Settings) -> tuple[list[Job], list[Outcome]]:
    """Output places for every source; sources that are not regular files, or whose outputs
    would clash with an earlier source's (or with the batch's own index), get an error
    instead of a job."""
    from gxgen.render import FORMATS
    from gxgen.variants import resolve

    variants = resolve(settings.variants)
    claimed: dict[str, str] = {name.casefold(): "gxgen" for name in RESERVED}
    jobs: list[Job] = []
    refused: list[Outcome] = []
    for source in sources:
        if source.special:
            refused.append(Outcome(rel=str(source.rel), source=str(source.path), findings=[
                _batch_finding(str(source.path), "not_regular")]))
            continue
        folder = safe_parts(source.rel.parent.parts)
        stem = safe_component(source.rel.stem)
        names = [PurePosixPath(*folder, stem + v.suffix + FORMATS[f]).as_posix()
                 for v in variants for f in settings.formats]
        clash = next((claimed[n.casefold()] for n in names if n.casefold() in claimed), None)
        if clash is not None:
            other = "gxgen 的索引文件" if clash == "gxgen" else clash
            refused.append(Outcome(rel=str(source.rel), source=str(source.path), findings=[
                _batch_finding(str(source.path), "batch_collision", other=other)]))
            continue
        for name in names:
            claimed[name.casefold()] = str(source.path)
        jobs.append(Job(str(source.path), str(source.rel), folder, stem))
    return jobs, refused


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


Progress = Callable[[int], None] | None


def _execute(todo: list[tuple[Job, str]], settings: Settings, workers: int,
             progress: Progress) -> list[Outcome]:
    """Every job's outcome. With several workers, the jobs of a pool that broke (a worker
    killed by the OOM killer, a crash in a C library) are run once more, each alone."""
    if not todo:
        return []
    if workers <= 1:
        init_worker(settings)
        done = []
        for item in todo:
            done += run_chunk([item])
            if progress:
                progress(1)
        return done
    done, failed = _pooled(todo, settings, workers, progress)
    return done + _isolated(failed, settings, workers, progress)


def _pooled(todo: list[tuple[Job, str]], settings: Settings, workers: int,
            progress: Progress) -> tuple[list[Outcome], list[tuple[Job, str]]]:
    """Jobs in chunks over a pool of workers: the outcomes, and the jobs whose futures
    failed (all those still pending when a worker died)."""
    size = max(1, min(16, len(todo) // (workers * 4)))
    chunks = list(_chunks(todo, size))
    done: list[Outcome] = []
    failed: list[tuple[Job, str]] = []
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), initializer=init_worker,
                             initargs=(settings,)) as pool:
        pending: dict[Future[list[Outcome]], list[tuple[Job, str]]] = {
            pool.submit(run_chunk, chunk): chunk for chunk in chunks
        }
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                chunk = pending.pop(future)
                try:
                    done += future.result()
                except Exception:  # noqa: BLE001 - BrokenProcessPool and the like: run again
                    failed += chunk
                    continue
                if progress:
                    progress(len(chunk))
    return done, failed


def _isolated(items: list[tuple[Job, str]], settings: Settings, workers: int,
              progress: Progress) -> list[Outcome]:
    """Each job in a fresh process of its own, ``workers`` at a time: a job whose process
    dies is the one that broke the pool, and only it is reported (with the signal)."""
    import multiprocessing
    from multiprocessing.connection import wait as ready

    context = multiprocessing.get_context()
    queue = list(items)
    running: dict[Any, tuple[Any, Job, str]] = {}
    done: list[Outcome] = []
    while queue or running:
        while queue and len(running) < workers:
            job, key = queue.pop(0)
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_alone, args=(settings, job, key, sender),
                                      daemon=True)
            process.start()
            sender.close()
            running[receiver] = (process, job, key)
        for finished in ready(list(running)):
            process, job, key = running.pop(finished)
            done.append(_collect(finished, process, job, key))
            if progress:
                progress(1)
    return done


def _alone(settings: Settings, job: Job, key: str, sender: Any) -> None:
    init_worker(settings)
    sender.send(run_chunk([(job, key)])[0])
    sender.close()


def _collect(receiver: Any, process: Any, job: Job, key: str) -> Outcome:
    """The outcome a lone worker sent, or, when it died first, a finding saying how."""
    import signal

    try:
        outcome: Outcome | None = receiver.recv()
    except (EOFError, OSError):
        outcome = None
    finally:
        receiver.close()
    process.join()
    if outcome is not None:
        return outcome
    code = process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "?"
        finding = _batch_finding(job.source, "batch_killed", signal=-code, name=name)
    else:
        finding = _batch_finding(job.source, "batch_died", status=code)
    return Outcome(rel=job.rel, source=job.source, key=key, findings=[finding])


# --------------------------------------------------------------------------- one run per OUT


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


# --------------------------------------------------------------------------- the run


def run(paths: Sequence[str | Path], out: str | Path, formats: Sequence[str],
        variants: Sequence[str], *, template: str | Path | None = None, md_tables: str = "pipe",
        workers: int | None = None, force: bool = False, exclude: Sequence[str] = (),
        wait_for_lock: bool = False, found: Survey | None = None,
        progress: Progress = None, on_plan: Callable[[int, int], None] | None = None,
        on_wait: Callable[[str], None] | None = None) -> Result:
    """Check and render every facts file under ``paths`` into ``out``.

    ``exclude`` are ``--exclude`` globs; ``found`` a survey already made of ``paths``.
    ``progress`` is called with the number of reports just finished; ``on_plan`` once with
    (reports to render, reports skipped as unchanged) before rendering starts; ``on_wait``
    with the holder's PID when ``wait_for_lock`` and another run holds ``out``. Raises
    ``Busy`` when another run holds ``out``, ``Unusable`` when it cannot be written.
    """
    out_path = Path(out)
    settings = Settings(out=str(out_path.resolve()), formats=tuple(formats),
                        variants=tuple(variants),
                        template=str(Path(template).resolve()) if template else None,
                        md_tables=md_tables)
    if found is None:
        found = survey(paths, exclude=[out_path], globs=exclude)
    with locked(out_path, wait_for_lock, on_wait):
        remove_leftovers(out_path)
        result = _run_locked(paths, out_path, settings, found, workers or os.cpu_count() or 1,
                             force, progress, on_plan)
    return result


def _run_locked(paths: Sequence[str | Path], out: Path, settings: Settings, found: Survey,
                workers: int, force: bool, progress: Progress,
                on_plan: Callable[[int, int], None] | None) -> Result:
    jobs, refused = plan_jobs(found.sources, settings)
    base = fingerprint(settings)
    old = load_manifest(out)
    for earlier in old.values():
        earlier.origin = earlier.origin or os.path.abspath(earlier.source)
    todo: list[tuple[Job, str]] = []
    kept: list[Outcome] = []
    for job in jobs:
        key = input_key(Path(job.source), base)
        entry = old.get(job.rel)
        if (not force and entry is not None and entry.key == key and entry.source == job.source
                and entry.status != "error" and _still_valid(out, entry)):
            entry.skipped = True
            kept.append(entry)
        else:
            todo.append((job, key))
    if on_plan:
        on_plan(len(todo), len(kept))
    outcomes = kept + refused + _execute(todo, settings, workers, progress)
    for outcome in outcomes:
        outcome.origin = outcome.origin or os.path.abspath(outcome.source)
    outcomes.sort(key=lambda o: o.rel)
    _keep_last_good(out, old, outcomes)
    result = Result(outcomes, others=_others(old, outcomes, paths), ignored=found.ignored)
    result.removed = _prune(out, old, outcomes + result.others)
    everything = sorted(outcomes + result.others, key=lambda o: o.rel)
    result.index_written = _write_own(out, {
        MANIFEST: dump_manifest(everything),
        INDEX_HTML: index_html(everything, settings, found.ignored),
        INDEX_MD: index_md(everything, settings, found.ignored),
    })
    return result


def _keep_last_good(out: Path, old: dict[str, Outcome], outcomes: Sequence[Outcome]) -> None:
    """A report that failed in this run keeps the outputs of its last good run, as long as
    they are still there and no other report of this run now writes them: a typo, a full
    disk or a killed worker must never unpublish a report."""
    taken = {r["path"] for o in outcomes for r in o.outputs}
    for outcome in outcomes:
        entry = old.get(outcome.rel)
        if outcome.outputs or entry is None:
            continue
        outcome.outputs = [r for r in entry.outputs
                           if r["path"] not in taken and _published(out, r["path"])]
        outcome.stale = bool(outcome.outputs)
        outcome.agency = outcome.agency or entry.agency
        outcome.year = outcome.year or entry.year


def _published(out: Path, rel: str) -> bool:
    path = out / rel
    return inside(out, path) and files.kind_of(path) == "file"


def _others(old: dict[str, Outcome], outcomes: Sequence[Outcome],
            paths: Sequence[str | Path]) -> list[Outcome]:
    """Earlier entries this run did not see, kept as they were, unless their facts file lay
    under this run's PATHS and is gone (deleted or renamed): then they are dropped and their
    outputs pruned."""
    seen = {o.rel for o in outcomes}
    roots = [Path(os.path.abspath(p)) for p in paths]
    now = {r["path"] for o in outcomes for r in o.outputs}
    others = []
    for rel, entry in old.items():
        if rel in seen:
            continue
        origin = Path(entry.origin)
        if any(origin.is_relative_to(root) for root in roots) and not os.path.lexists(origin):
            continue
        entry.skipped = True
        entry.outputs = [r for r in entry.outputs if r["path"] not in now]
        others.append(entry)
    return others


def _prune(out: Path, old: dict[str, Outcome], keep: Sequence[Outcome]) -> list[str]:
    """Delete what an earlier run wrote that no report keeps — the outputs of a facts file
    that is gone, and of formats or variants no longer asked for — if untouched since."""
    now = {r["path"] for o in keep for r in o.outputs}
    removed = []
    for entry in old.values():
        for record in entry.outputs:
            rel = record["path"]
            if rel in now or not _published(out, rel) or not _as_recorded(out, record):
                continue
            path = out / rel
            path.unlink()
            removed.append(rel)
            parent = path.parent
            while parent != out and inside(out, parent) and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    return sorted(set(removed))


def _write_own(out: Path, contents: dict[str, bytes]) -> bool:
    """Write the batch's own files (manifest, index) together; a link or special file in
    their place is removed first, never written through. True when any changed."""
    from gxgen.render import Output, write_all

    outputs = []
    for name, data in contents.items():
        path = out / name
        if path.is_symlink() or files.kind_of(path) == "special":
            path.unlink()
        outputs.append(Output(path, data, "batch", ""))
    changed = any(not _same(o.path, o.data) for o in outputs)
    write_all(outputs)
    return changed


# --------------------------------------------------------------------------- the index

FORMAT_NAMES = {"docx": "Word", "html": "网页", "md": "Markdown", "odt": "ODT", "txt": "纯文本"}
VARIANT_NAMES = {"simplified": "简体", "traditional": "繁体", "zh-TW": "繁体（台湾）",
                 "zh-HK": "繁体（香港）"}
STATUS_NAMES = {"ok": "通过", "warning": "通过（有警告）", "error": "有错误，未生成"}
INDEX_TITLE = "政府信息公开工作年度报告 · 批量生成结果"
STALE_NOTE = "过期（本次校验/生成未通过）"
"""Beside the links of a failed report's last good outputs, followed by the reason."""
IGNORED_TITLE = "未作为报告处理的文件"
IGNORED_REASONS = {"batch_skip_extension": "扩展表定义", "batch_skip_other": "不是事实文件"}


def _shown(text: str) -> str:
    """Text for the index with control and invisible characters made visible (�)."""
    return "".join(" " if ch in "\t\n\r" else
                   "\ufffd" if unicodedata.category(ch) in _BAD_CATEGORIES else ch
                   for ch in text)


def _href(path: str) -> str:
    return quote(path, safe="/")


def _counts(outcomes: Sequence[Outcome]) -> dict[str, int]:
    counts = {"ok": 0, "warning": 0, "error": 0}
    for o in outcomes:
        counts[o.status] += 1
    return counts


def _summary_sentence(outcomes: Sequence[Outcome], ignored: Sequence[Ignored] = ()) -> str:
    c = _counts(outcomes)
    stale = sum(1 for o in outcomes if o.stale)
    kept = f"，其中 {stale} 份保留上次生成的文件（标为过期）" if stale else ""
    skipped = f"另有 {len(ignored)} 个 YAML 文件不是报告，未处理。" if ignored else ""
    return (f"共 {len(outcomes)} 份：通过 {c['ok']} 份，有警告 {c['warning']} 份，"
            f"有错误 {c['error']} 份（未生成{kept}）。{skipped}")


def _stale_reason(o: Outcome) -> str:
    """Why a report's published outputs are stale: its first error in this run."""
    errors = [f for f in o.finding_objects() if f.severity == "error"]
    reason = _finding_line(errors[0], o) if errors else ""
    return reason + (f" 等 {len(errors)} 条错误" if len(errors) > 1 else "")


def _finding_line(f: Finding, o: Outcome) -> str:
    """A finding for a row that already names its file: ``第 20 行：…``."""
    if f.file != o.source:
        return f.format("zh")
    return (f"第 {f.line} 行：" if f.line else "") + f.message("zh")


def _problem_count(o: Outcome) -> str:
    if o.errors and o.warnings:
        return f"{o.errors} 条错误、{o.warnings} 条警告"
    return f"{o.errors} 条错误" if o.errors else f"{o.warnings} 条警告"


def _link_groups(outcome: Outcome, settings: Settings) -> list[tuple[str, list[tuple[str, str]]]]:
    """``[(format name, [(variant name, path)])]`` in the run's format and variant order
    (kept outputs of formats no longer asked for come last)."""
    groups = []
    for fmt in dict.fromkeys([*settings.formats, *FORMAT_NAMES]):
        links = [(VARIANT_NAMES.get(r["variant"], r["variant"]), r["path"])
                 for r in outcome.outputs if r["format"] == fmt]
        if links:
            groups.append((FORMAT_NAMES.get(fmt, fmt), links))
    return groups


_INDEX_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1a1a1a;line-height:1.6}
h1{font-size:1.5rem;margin:0 0 .5rem}
.summary{margin:0 0 1rem;color:#333}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border:1px solid #c8c8c8;padding:.4rem .6rem;text-align:left;vertical-align:top}
thead th{background:#f0f0f0;white-space:nowrap}
td.year,td.count{text-align:center;white-space:nowrap}
.status{white-space:nowrap;font-weight:600}
.ok .status{color:#17692f}.warning .status{color:#8a5a00}.error .status{color:#b00020}
tr.error{background:#fff3f3}
.links span{display:inline-block;margin-right:1rem;white-space:nowrap}
.source{font-family:monospace;font-size:.85rem;color:#555;min-width:10rem;
overflow-wrap:anywhere}
.rule{font-family:monospace;font-size:.8rem;color:#777}
details{margin-top:.3rem}summary{cursor:pointer;color:#444}
details ul{margin:.3rem 0;padding-left:1.2rem;font-size:.88rem}
li.error{color:#b00020}li.warning{color:#8a5a00}
.note{font-size:.85rem;color:#555;margin-top:.2rem}
.stale{font-size:.85rem;color:#8a5a00;margin-top:.2rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
@media print{details{display:none}a{color:inherit;text-decoration:none}}
""".strip()


def _html_row(o: Outcome, settings: Settings) -> str:
    e = html.escape
    links = "".join(
        f"<span>{e(fmt)}：" + " · ".join(
            f'<a href="{e(_href(path))}">{e(name)}</a>' for name, path in group) + "</span>"
        for fmt, group in _link_groups(o, settings)
    ) or "—"
    if o.stale:
        links += f'<div class="stale">{e(STALE_NOTE)}：{e(_stale_reason(o))}</div>'
    problems = ""
    if o.findings:
        items = "".join(
            f'<li class="{e(f.severity)}">{e(_finding_line(f, o))}'
            f' <span class="rule">{e(f.rule)}</span></li>'
            for f in o.finding_objects()
        )
        problems = (f"<details><summary>{e(_problem_count(o))}</summary>"
                    f"<ul>{items}</ul></details>")
    if o.previous:
        problems += f'<div class="note">已与上年度 {e(Path(o.previous).name)} 核对</div>'
    return (
        f'<tr class="{o.status}"><td>{e(_shown(o.agency or "（无法识别）"))}</td>'
        f'<td class="year">{e(str(o.year) if o.year else "—")}</td>'
        f'<td><span class="status">{e(STATUS_NAMES[o.status])}</span>{problems}</td>'
        f'<td class="links">{links}</td>'
        f'<td class="source">{e(_shown(o.rel))}</td></tr>'
    )


def index_html(outcomes: Sequence[Outcome], settings: Settings,
               ignored: Sequence[Ignored] = ()) -> bytes:
    """``OUT/index.html``: one self-contained page listing every report, its validation
    status, its problems and links to each format and variant (relative, so the folder can be
    moved or published as it is), and the YAML files that were skipped as not reports."""
    e = html.escape
    body = "\n".join(_html_row(o, settings) for o in outcomes) or \
        '<tr><td colspan="5">（没有事实文件）</td></tr>'
    skipped = ""
    if ignored:
        items = "".join(f'<li><span class="source">{e(_shown(str(i.rel)))}</span>：'
                        f"{e(IGNORED_REASONS[i.code])}</li>" for i in ignored)
        skipped = f'\n<h2>{e(IGNORED_TITLE)}</h2>\n<ul class="ignored">{items}</ul>'
    page = f"""<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="gxgen {e(__version__)}">
<title>{e(INDEX_TITLE)}</title>
<style>
{_INDEX_CSS}
</style>
</head>
<body>
<h1>{e(INDEX_TITLE)}</h1>
<p class="summary">{e(_summary_sentence(outcomes, ignored))}</p>
<div class="scroll">
<table>
<thead><tr><th scope="col">机关</th><th scope="col">年度</th><th scope="col">校验</th>\
<th scope="col">报告</th><th scope="col">事实文件</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
</div>{skipped}
</body>
</html>
"""
    return page.encode("utf-8")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(_shown(text).split()))


def index_md(outcomes: Sequence[Outcome], settings: Settings,
             ignored: Sequence[Ignored] = ()) -> bytes:
    """``OUT/index.md``: the same list as ``index.html``, for a repository's web view."""
    lines = [f"# {INDEX_TITLE}", "", _summary_sentence(outcomes, ignored), "",
             "| 机关 | 年度 | 校验 | 报告 | 事实文件 |", "| --- | --- | --- | --- | --- |"]
    for o in outcomes:
        links = "；".join(
            f"{fmt}：" + " · ".join(f"[{_md(name)}](<{_href(path)}>)" for name, path in group)
            for fmt, group in _link_groups(o, settings)
        ) or "—"
        if o.stale:
            links += f"；{STALE_NOTE}：{_md(_stale_reason(o))}"
        status = STATUS_NAMES[o.status]
        if o.findings:
            status += f"（{_problem_count(o)}）"
        lines.append(f"| {_md(o.agency or '（无法识别）')} | {o.year or '—'} | {status} | "
                     f"{links} | `{_shown(o.rel).replace('`', '')}` |")
    troubled = [o for o in outcomes if o.findings]
    if troubled:
        lines += ["", "## 问题清单", ""]
        for o in troubled:
            lines.append(f"- `{_shown(o.rel).replace('`', '')}`"
                         f"（{_md(o.agency or '（无法识别）')}）")
            lines += [f"  - {_md(_finding_line(f, o))}（{f.rule}）" for f in o.finding_objects()]
    if ignored:
        lines += ["", f"## {IGNORED_TITLE}", ""]
        lines += [f"- `{_shown(str(i.rel)).replace('`', '')}`：{IGNORED_REASONS[i.code]}"
                  for i in ignored]
    return ("\n".join(lines) + "\n").encode("utf-8")
