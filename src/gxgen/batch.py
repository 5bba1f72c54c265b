"""``gxgen batch``: check and render every facts file of a repository in one run.

A county's 政务公开办 keeps hundreds of sub-agencies' facts in one tree
(``reports/<agency>/<year>.yaml``). This module plans a run over the files ``sources`` finds,
checks each one (cross-year included), renders the valid ones in worker processes that keep
their prepared templates and OpenCC converters, and writes the manifest (``manifest``) and
the index (``batch_index``). One broken file never stops the others: whatever goes wrong with
a file — its facts, a full disk, a worker killed under it — becomes findings in its own row
of the summary, and its last good outputs stay published (marked 过期 in the index) until it
renders again.

Output mirrors the input layout under ``OUT``; every target is checked to resolve inside
``OUT`` before anything is written, and all outputs of one report are renamed into place
together or not at all (``render.write_all``). One run at a time writes to an ``OUT``: it
holds a lock on ``OUT/.gxgen-lock`` (``batch_lock``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from gxgen import files
from gxgen.batch_index import index_html, index_md
from gxgen.batch_lock import LOCK, locked, remove_leftovers
from gxgen.manifest import (
    MANIFEST,
    Options,
    Outcome,
    as_recorded,
    batch_finding,
    dependencies,
    dump_manifest,
    finding_dict,
    fingerprint,
    input_key,
    load_manifest,
    still_valid,
)
from gxgen.sources import Ignored, Source, Survey, inside, safe_component, safe_parts, survey

INDEX_HTML = "index.html"
INDEX_MD = "index.md"
RESERVED = frozenset({MANIFEST, INDEX_HTML, INDEX_MD, LOCK})
"""Names at the top of ``OUT`` that belong to the batch itself."""


class OutsideOutput(Exception):
    """A target that would resolve outside ``OUT`` (a hostile name or a symbolic link)."""


# --------------------------------------------------------------------------- jobs


@dataclass(frozen=True)
class Settings:
    """What every worker needs to render: the same for the whole run."""

    out: str
    formats: tuple[str, ...]
    variants: tuple[str, ...]
    template: str | None = None
    md_tables: str = "pipe"
    lang: str = "zh"
    """The language of the index (the reports do not depend on it)."""

    def fingerprinted(self) -> Options:
        return Options(self.formats, self.variants, self.md_tables, self.template)

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



# --------------------------------------------------------------------------- the worker side

_SETTINGS: Settings | None = None


def init_worker(settings: Settings) -> None:
    """Per worker process: remember the settings. Templates and converters are prepared on the
    first report and then kept by their modules for the life of the process."""
    global _SETTINGS
    _SETTINGS = settings


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
        outcome.findings.append(batch_finding(job.source, "batch_outside", path=str(exc)))
    except SpecialTarget as exc:
        outcome.findings.append(batch_finding(job.source, "batch_target_special",
                                               path=str(exc)))
    except OSError as exc:
        reason = exc.strerror or " ".join(str(exc).split())
        outcome.findings.append(batch_finding(job.source, "batch_write_failed", reason=reason))
    except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the batch
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())
        outcome.findings.append(batch_finding(job.source, "batch_failed", reason=reason))
    return outcome


def run_chunk(chunk: list[tuple[Job, str]]) -> list[Outcome]:
    return [render_job(job, key) for job, key in chunk]


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
    upgraded: bool = False
    """``OUT`` held an older gxgen's manifest (``Manifest.upgraded``): every report rendered
    again."""

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
                batch_finding(str(source.path), "not_regular")]))
            continue
        folder = safe_parts(source.rel.parent.parts)
        stem = safe_component(source.rel.stem)
        names = [PurePosixPath(*folder, stem + v.suffix + FORMATS[f]).as_posix()
                 for v in variants for f in settings.formats]
        clash = next((claimed[n.casefold()] for n in names if n.casefold() in claimed), None)
        if clash is not None:
            other = "gxgen 的索引文件" if clash == "gxgen" else clash
            refused.append(Outcome(rel=str(source.rel), source=str(source.path), findings=[
                batch_finding(str(source.path), "batch_collision", other=other)]))
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
        finding = batch_finding(job.source, "batch_killed", signal=-code, name=name)
    else:
        finding = batch_finding(job.source, "batch_died", status=code)
    return Outcome(rel=job.rel, source=job.source, key=key, findings=[finding])


# --------------------------------------------------------------------------- the run


def run(paths: Sequence[str | Path], out: str | Path, formats: Sequence[str],
        variants: Sequence[str], *, template: str | Path | None = None, md_tables: str = "pipe",
        workers: int | None = None, force: bool = False, exclude: Sequence[str] = (),
        wait_for_lock: bool = False, found: Survey | None = None,
        progress: Progress = None, on_plan: Callable[[int, int], None] | None = None,
        on_wait: Callable[[str], None] | None = None, lang: str = "zh") -> Result:
    """Check and render every facts file under ``paths`` into ``out``.

    ``exclude`` are ``--exclude`` globs; ``found`` a survey already made of ``paths``;
    ``lang`` the language of the index.
    ``progress`` is called with the number of reports just finished; ``on_plan`` once with
    (reports to render, reports skipped as unchanged) before rendering starts; ``on_wait``
    with the holder's PID when ``wait_for_lock`` and another run holds ``out``. Raises
    ``Busy`` when another run holds ``out``, ``Unusable`` when it cannot be written.
    """
    out_path = Path(out)
    settings = Settings(out=str(out_path.resolve()), formats=tuple(formats),
                        variants=tuple(variants),
                        template=str(Path(template).resolve()) if template else None,
                        md_tables=md_tables, lang=lang)
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
    base = fingerprint(settings.fingerprinted())
    manifest = load_manifest(out)
    old = manifest.reports
    force = force or manifest.upgraded  # an older gxgen's keys are not this one's
    for earlier in old.values():
        earlier.origin = earlier.origin or os.path.abspath(earlier.source)
    todo: list[tuple[Job, str]] = []
    kept: list[Outcome] = []
    for job in jobs:
        key = input_key(Path(job.source), base)
        entry = old.get(job.rel)
        if (not force and entry is not None and entry.key == key and entry.source == job.source
                and entry.status != "error" and still_valid(out, entry)):
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
    result = Result(outcomes, others=_others(old, outcomes, paths), ignored=found.ignored,
                    upgraded=manifest.upgraded)
    result.removed = _prune(out, old, outcomes + result.others)
    everything = sorted(outcomes + result.others, key=lambda o: o.rel)
    result.index_written = _write_own(out, {
        MANIFEST: dump_manifest(everything),
        INDEX_HTML: index_html(everything, settings.formats, found.ignored, settings.lang),
        INDEX_MD: index_md(everything, settings.formats, found.ignored, settings.lang),
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
            if rel in now or not _published(out, rel) or not as_recorded(out, record):
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


