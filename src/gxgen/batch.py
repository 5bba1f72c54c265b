"""``gxgen batch``: check and render every facts file of a repository in one run.

A county's 政务公开办 keeps hundreds of sub-agencies' facts in one tree
(``reports/<agency>/<year>.yaml``). This module finds them, checks each one (cross-year
included), renders the valid ones in worker processes that keep their prepared templates and
OpenCC converters, and writes an index of the whole batch. One broken file never stops the
others: whatever goes wrong with a file becomes findings in its own row of the summary.

Output mirrors the input layout under ``OUT``. Every path component is sanitised (no ``..``,
separators, control characters, Windows device names, trailing dots or over-long names) and
every target is checked to resolve inside ``OUT`` before anything is written.

Runs are incremental: ``OUT/.gxgen-manifest.json`` records, per input, a hash of everything
that decides its outputs (the facts bytes, last year's file, extension definitions it names,
gxgen's code and templates, the options) and the hash of each file written. A report whose
hash is unchanged and whose outputs are still as written is skipped; an unchanged run writes
nothing at all.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from gxgen import __version__
from gxgen.findings import Finding

MANIFEST = ".gxgen-manifest.json"
INDEX_HTML = "index.html"
INDEX_MD = "index.md"
RESERVED = frozenset({MANIFEST, INDEX_HTML, INDEX_MD})
"""Names at the top of ``OUT`` that belong to the batch itself."""

SUFFIXES = (".yaml", ".yml")
MANIFEST_FORMAT = 1

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


@dataclass(frozen=True)
class Source:
    path: Path
    """Where to read the file, as reached from the user's argument (also how it is shown)."""
    rel: PurePosixPath
    """Its place relative to the batch's base folder: the layout of ``OUT`` and the key of the
    manifest."""


def _is_facts_name(name: str) -> bool:
    return not name.startswith(".") and name.lower().endswith(SUFFIXES)


def discover(paths: Sequence[str | Path], exclude: Iterable[str | Path] = ()) -> list[Source]:
    """Every facts file (``*.yaml``, ``*.yml``) under ``paths``, sorted by relative path.

    Hidden files and folders (``.git``, ``.github``) and the ``exclude`` folders (the output
    folder, when it lies inside the tree) are skipped; folder links are not followed. The base
    of the relative paths is the folder argument itself for one folder, otherwise the deepest
    folder holding every argument, so ``OUT`` mirrors what the user pointed at.
    """
    roots = [Path(p) for p in paths]
    absolute = [Path(os.path.abspath(p)) for p in roots]
    holders = [a if r.is_dir() else a.parent for r, a in zip(roots, absolute, strict=True)]
    base = Path(os.path.commonpath([str(h) for h in holders])) if holders else Path.cwd()
    skip = {Path(os.path.abspath(p)) for p in exclude}
    found: dict[Path, Source] = {}

    def add(shown: Path, absolute_path: Path) -> None:
        if absolute_path in found:
            return
        rel = PurePosixPath(*absolute_path.relative_to(base).parts)
        found[absolute_path] = Source(shown, rel)

    for root, abs_root in zip(roots, absolute, strict=True):
        if not root.is_dir():
            add(root, abs_root)
            continue
        for folder, dirs, files in os.walk(root):
            here = Path(folder)
            abs_here = Path(os.path.abspath(here))
            dirs[:] = sorted(
                d for d in dirs
                if not d.startswith(".") and abs_here / d not in skip
                and not (here / d).is_symlink()
            )
            for name in sorted(files):
                if _is_facts_name(name):
                    add(here / name, abs_here / name)
    return sorted(found.values(), key=lambda s: str(s.rel))


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

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f["severity"] == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f["severity"] == "warning")

    @property
    def status(self) -> str:
        """``ok``, ``warning`` or ``error`` (an error means nothing was rendered)."""
        if self.errors or not self.outputs:
            return "error"
        return "warning" if self.warnings else "ok"

    def finding_objects(self) -> list[Finding]:
        return [Finding(**f) for f in self.findings]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source, "key": self.key, "agency": self.agency, "year": self.year,
            "previous": self.previous, "findings": self.findings, "outputs": self.outputs,
            "deps": self.deps,
        }

    @classmethod
    def from_json(cls, rel: str, data: dict[str, Any]) -> Outcome:
        return cls(rel=rel, source=str(data["source"]), key=str(data["key"]),
                   agency=data.get("agency"), year=data.get("year"),
                   findings=list(data.get("findings") or []),
                   outputs=list(data.get("outputs") or []), previous=data.get("previous"),
                   deps=list(data.get("deps") or []))


def finding_dict(f: Finding) -> dict[str, Any]:
    """A finding as plain JSON (parameters as text: they are only ever formatted)."""
    params = {k: v if isinstance(v, (int, str)) and not isinstance(v, bool) else str(v)
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


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "absent"


def render_job(job: Job, key: str) -> Outcome:
    """Check one file and, when it has no errors, render and write all its outputs."""
    from gxgen import render
    from gxgen.check import check_file
    from gxgen.variants import resolve

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
        if not checked.ok:
            return outcome
        out = Path(settings.out)
        folder = out.joinpath(*job.folder)
        plan = render.plan(checked.facts, Path(job.stem + ".yaml"), list(settings.formats),
                           resolve(settings.variants), folder, settings.options(), many=True)
        written = 0
        records = []
        for output in plan.outputs:
            if not inside(out, output.path):
                raise OutsideOutput(str(output.path))
            records.append({
                "path": output.path.relative_to(out).as_posix(), "format": output.fmt,
                "variant": output.variant, "sha256": hashlib.sha256(output.data).hexdigest(),
                "size": len(output.data),
            })
        for output in plan.outputs:
            written += render.write_changed(output.path, output.data)
        outcome.outputs = records
        outcome.written = written
    except OutsideOutput as exc:
        outcome.findings.append(_batch_finding(job.source, "batch_outside", path=str(exc)))
        outcome.outputs = []
    except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the batch
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())
        outcome.findings.append(_batch_finding(job.source, "batch_failed", reason=reason))
        outcome.outputs = []
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
        digest.update(b"template\0" + hashlib.sha256(Path(settings.template).read_bytes())
                      .digest())
    return digest.hexdigest()


def input_key(source: Path, base: str) -> str:
    """The hash of one report's inputs: the fingerprint, its bytes, and every file that could
    serve as its previous year (present or absent, so adding one re-checks it)."""
    digest = hashlib.sha256(base.encode())
    try:
        digest.update(hashlib.sha256(source.read_bytes()).digest())
    except OSError as exc:
        digest.update(f"unreadable:{exc.errno}".encode())
    for candidate in year_candidates(source):
        digest.update(str(candidate).encode("utf-8", "surrogatepass") + b"\0")
        try:
            digest.update(hashlib.sha256(candidate.read_bytes()).digest())
        except OSError:
            digest.update(b"absent")
    return digest.hexdigest()


def load_manifest(out: Path) -> dict[str, Outcome]:
    try:
        data = json.loads((out / MANIFEST).read_text("utf-8"))
        if data.get("format") != MANIFEST_FORMAT:
            return {}
        return {rel: Outcome.from_json(rel, entry) for rel, entry in data["reports"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
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
    for record in outcome.outputs:
        path = out / record["path"]
        try:
            if path.stat().st_size != record["size"]:
                return False
            if hashlib.sha256(path.read_bytes()).hexdigest() != record["sha256"]:
                return False
        except OSError:
            return False
    return True


# --------------------------------------------------------------------------- the run


@dataclass
class Result:
    outcomes: list[Outcome]
    removed: list[str] = field(default_factory=list)
    """Outputs of an earlier run that this run no longer produces (deleted)."""
    index_written: bool = False

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "error"]

    @property
    def files_written(self) -> int:
        return sum(o.written for o in self.outcomes)


def plan_jobs(sources: Sequence[Source], settings: Settings) -> tuple[list[Job], list[Outcome]]:
    """Output places for every source; sources whose outputs would clash with an earlier
    source's (or with the batch's own index) get an error instead of a job."""
    from gxgen.render import FORMATS
    from gxgen.variants import resolve

    variants = resolve(settings.variants)
    claimed: dict[str, str] = {name.casefold(): "gxgen" for name in RESERVED}
    jobs: list[Job] = []
    refused: list[Outcome] = []
    for source in sources:
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


def _execute(todo: list[tuple[Job, str]], settings: Settings, workers: int,
             progress: Callable[[int], None] | None) -> list[Outcome]:
    if not todo:
        return []
    if workers <= 1 or len(todo) == 1:
        init_worker(settings)
        done = []
        for item in todo:
            done += run_chunk([item])
            if progress:
                progress(1)
        return done
    size = max(1, min(16, len(todo) // (workers * 4)))
    chunks = list(_chunks(todo, size))
    done: list[Outcome] = []
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
                except (BrokenProcessPool, Exception) as exc:  # noqa: BLE001 - report, go on
                    reason = f"{type(exc).__name__}: {exc}"
                    done += [Outcome(rel=job.rel, source=job.source, key=key, findings=[
                        _batch_finding(job.source, "batch_failed", reason=reason)])
                        for job, key in chunk]
                if progress:
                    progress(len(chunk))
    return done


def run(paths: Sequence[str | Path], out: str | Path, formats: Sequence[str],
        variants: Sequence[str], *, template: str | Path | None = None, md_tables: str = "pipe",
        workers: int | None = None, force: bool = False,
        progress: Callable[[int], None] | None = None,
        on_plan: Callable[[int, int], None] | None = None) -> Result:
    """Check and render every facts file under ``paths`` into ``out``.

    ``progress`` is called with the number of reports just finished; ``on_plan`` once with
    (reports to render, reports skipped as unchanged) before rendering starts.
    """
    from gxgen.render import write_changed

    out_path = Path(out)
    settings = Settings(out=str(out_path.resolve()), formats=tuple(formats),
                        variants=tuple(variants),
                        template=str(Path(template).resolve()) if template else None,
                        md_tables=md_tables)
    sources = discover(paths, exclude=[out_path])
    jobs, refused = plan_jobs(sources, settings)
    base = fingerprint(settings)
    old = load_manifest(out_path)
    todo: list[tuple[Job, str]] = []
    kept: list[Outcome] = []
    for job in jobs:
        key = input_key(Path(job.source), base)
        entry = old.get(job.rel)
        if (not force and entry is not None and entry.key == key and entry.source == job.source
                and entry.status != "error" and _still_valid(out_path, entry)):
            entry.skipped = True
            kept.append(entry)
        else:
            todo.append((job, key))
    if on_plan:
        on_plan(len(todo), len(kept))
    outcomes = kept + refused + _execute(todo, settings, workers or os.cpu_count() or 1,
                                         progress)
    outcomes.sort(key=lambda o: o.rel)
    result = Result(outcomes)
    result.removed = _prune(out_path, old, outcomes)
    out_path.mkdir(parents=True, exist_ok=True)
    for name, data in ((MANIFEST, dump_manifest(outcomes)),
                       (INDEX_HTML, index_html(outcomes, settings)),
                       (INDEX_MD, index_md(outcomes, settings))):
        result.index_written |= write_changed(out_path / name, data)
    return result


def _prune(out: Path, old: dict[str, Outcome], outcomes: Sequence[Outcome]) -> list[str]:
    """Delete what an earlier run wrote and this run no longer produces, if untouched since
    (a report withdrawn, renamed or now failing must not stay published under ``OUT``)."""
    now = {r["path"] for o in outcomes for r in o.outputs}
    removed = []
    for entry in old.values():
        for record in entry.outputs:
            rel = record["path"]
            path = out / rel
            if rel in now or not inside(out, path) or not path.is_file():
                continue
            if hashlib.sha256(path.read_bytes()).hexdigest() != record["sha256"]:
                continue
            path.unlink()
            removed.append(rel)
            parent = path.parent
            while parent != out and inside(out, parent) and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    return sorted(removed)


# --------------------------------------------------------------------------- the index

FORMAT_NAMES = {"docx": "Word", "html": "网页", "md": "Markdown", "odt": "ODT", "txt": "纯文本"}
VARIANT_NAMES = {"simplified": "简体", "traditional": "繁体", "zh-TW": "繁体（台湾）",
                 "zh-HK": "繁体（香港）"}
STATUS_NAMES = {"ok": "通过", "warning": "通过（有警告）", "error": "有错误，未生成"}
INDEX_TITLE = "政府信息公开工作年度报告 · 批量生成结果"


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


def _summary_sentence(outcomes: Sequence[Outcome]) -> str:
    c = _counts(outcomes)
    return (f"共 {len(outcomes)} 份：通过 {c['ok']} 份，有警告 {c['warning']} 份，"
            f"有错误 {c['error']} 份（未生成）。")


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
    """``[(format name, [(variant name, path)])]`` in the run's format and variant order."""
    groups = []
    for fmt in settings.formats:
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
@media print{details{display:none}a{color:inherit;text-decoration:none}}
""".strip()


def index_html(outcomes: Sequence[Outcome], settings: Settings) -> bytes:
    """``OUT/index.html``: one self-contained page listing every report, its validation
    status, its problems and links to each format and variant (relative, so the folder can be
    moved or published as it is)."""
    e = html.escape
    rows = []
    for o in outcomes:
        links = "".join(
            f"<span>{e(fmt)}：" + " · ".join(
                f'<a href="{e(_href(path))}">{e(name)}</a>' for name, path in group) + "</span>"
            for fmt, group in _link_groups(o, settings)
        ) or "—"
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
        rows.append(
            f'<tr class="{o.status}"><td>{e(_shown(o.agency or "（无法识别）"))}</td>'
            f'<td class="year">{e(str(o.year) if o.year else "—")}</td>'
            f'<td><span class="status">{e(STATUS_NAMES[o.status])}</span>{problems}</td>'
            f'<td class="links">{links}</td>'
            f'<td class="source">{e(_shown(o.rel))}</td></tr>'
        )
    body = "\n".join(rows) or '<tr><td colspan="5">（没有事实文件）</td></tr>'
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
<p class="summary">{e(_summary_sentence(outcomes))}</p>
<div class="scroll">
<table>
<thead><tr><th scope="col">机关</th><th scope="col">年度</th><th scope="col">校验</th>\
<th scope="col">报告</th><th scope="col">事实文件</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
</div>
</body>
</html>
"""
    return page.encode("utf-8")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(_shown(text).split()))


def index_md(outcomes: Sequence[Outcome], settings: Settings) -> bytes:
    """``OUT/index.md``: the same list as ``index.html``, for a repository's web view."""
    lines = [f"# {INDEX_TITLE}", "", _summary_sentence(outcomes), "",
             "| 机关 | 年度 | 校验 | 报告 | 事实文件 |", "| --- | --- | --- | --- | --- |"]
    for o in outcomes:
        links = "；".join(
            f"{fmt}：" + " · ".join(f"[{_md(name)}](<{_href(path)}>)" for name, path in group)
            for fmt, group in _link_groups(o, settings)
        ) or "—"
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
    return ("\n".join(lines) + "\n").encode("utf-8")
