"""What a batch remembers between runs: ``OUT/.gxgen-manifest.json``.

Per input it records a hash of everything that decides its outputs (the facts bytes, every
file that could be last year's, the extension definitions it names, gxgen's code and
templates, the options) and the hash of each file written. A report whose hash is unchanged
and whose outputs are still as written is skipped; an unchanged run writes nothing at all.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gxgen import __version__, files
from gxgen.findings import Finding

MANIFEST = ".gxgen-manifest.json"
MANIFEST_FORMAT = 3
"""3: keys hash the template folders (``writers.template_folders``, the index template
included) instead of the Word template's folder, so no key of an older manifest matches:
the first run after an upgrade renders every report once (and says so). 2: entries record
``origin`` (the source's absolute path) and ``stale`` (outputs kept from an earlier good run
while the report fails). Formats 1 and 2 are still read: their outputs stay known, so stale
outputs are kept and gone ones pruned."""
READ_FORMATS = (1, 2, 3)
HASH_LIMIT = 64 * 1024 * 1024
"""The most read to hash a template or an extension definition (their own readers refuse
far less); a larger file hashes as ``too_large`` and is refused when it is used."""


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


def batch_finding(source: str, code: str, **params: Any) -> dict[str, Any]:
    return finding_dict(Finding("batch", "error", code, params, source))


def dependencies(source: str, facts: Any) -> list[dict[str, str]]:
    """Files besides the facts file that decide its outputs and may lie outside gxgen: the
    extension definitions it names by path. Their hashes go into the manifest."""
    from gxgen import extensions

    refs = facts.data.get("extensions") if facts is not None else None
    out = []
    for ref in refs if isinstance(refs, list) else ():
        if isinstance(ref, str) and extensions.is_path(ref.strip()):
            path = Path(source).parent / ref.strip()
            out.append({"path": str(path), "sha256": file_hash(path)})
    return out


def file_hash(path: Path, limit: int = HASH_LIMIT) -> str:
    """The SHA-256 of a regular file read with a bound, or why it cannot be read
    (``not_found``, ``not_regular``, ``too_large``…): never blocks on a FIFO or a device."""
    try:
        return hashlib.sha256(files.read_regular(path, limit)).hexdigest()
    except files.Refused as exc:
        return exc.code


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


@dataclass(frozen=True)
class Options:
    """What decides every output of a run besides the facts files."""

    formats: tuple[str, ...]
    variants: tuple[str, ...]
    md_tables: str = "pipe"
    template: str | None = None
    """A custom Word template, by absolute path."""


def fingerprint(options: Options) -> str:
    """Hash of what decides every output besides the facts: gxgen's version, its code, data
    and templates, the chosen formats, variants and options, and a custom template."""
    from gxgen.writers import template_folders

    digest = hashlib.sha256()
    digest.update(json.dumps({
        "gxgen": __version__, "formats": options.formats, "variants": options.variants,
        "md_tables": options.md_tables, "manifest": MANIFEST_FORMAT,
    }, sort_keys=True).encode())
    package = Path(__file__).resolve().parent
    for folder in dict.fromkeys([package, *template_folders()]):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    if options.template:
        digest.update(b"template\0" + file_hash(Path(options.template)).encode())
    return digest.hexdigest()


def input_key(source: Path, base: str) -> str:
    """The hash of one report's inputs: the fingerprint, its bytes, and every file that could
    serve as its previous year (present or absent, so adding one re-checks it). Every read is
    bounded and refuses what is not a regular file."""
    from gxgen.loader import MAX_BYTES

    digest = hashlib.sha256(base.encode())
    digest.update(file_hash(source, MAX_BYTES).encode())
    for candidate in year_candidates(source):
        digest.update(str(candidate).encode("utf-8", "surrogatepass") + b"\0")
        digest.update(file_hash(candidate, MAX_BYTES).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Manifest:
    """An earlier run's manifest as read: its reports, and its format (0 when there was none
    or it could not be read, which is not an upgrade)."""

    reports: dict[str, Outcome]
    format: int = 0

    @property
    def upgraded(self) -> bool:
        """Written by an older gxgen: every report of this run renders again, once."""
        return 0 < self.format < MANIFEST_FORMAT


def load_manifest(out: Path) -> Manifest:
    try:
        raw = files.read_regular(out / MANIFEST, HASH_LIMIT)
        data = json.loads(raw.decode("utf-8"))
        if data.get("format") not in READ_FORMATS:
            return Manifest({})
        reports = {rel: Outcome.from_json(rel, entry) for rel, entry in data["reports"].items()}
        return Manifest(reports, int(data["format"]))
    except (files.Refused, ValueError, KeyError, TypeError, AttributeError):
        return Manifest({})


def dump_manifest(outcomes: Sequence[Outcome]) -> bytes:
    doc = {
        "format": MANIFEST_FORMAT,
        "gxgen": __version__,
        "reports": {o.rel: o.to_json() for o in sorted(outcomes, key=lambda o: o.rel)},
    }
    return (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode("ascii")


def still_valid(out: Path, outcome: Outcome) -> bool:
    """Whether an earlier outcome still holds: its extension files and its outputs are as
    they were when it was recorded."""
    if any(file_hash(Path(d["path"])) != d["sha256"] for d in outcome.deps):
        return False
    return all(as_recorded(out, record) for record in outcome.outputs)


def as_recorded(out: Path, record: dict[str, Any]) -> bool:
    """Whether an output under ``OUT`` is still exactly the file the manifest records."""
    try:
        data = files.read_regular(out / record["path"], int(record["size"]))
    except files.Refused:
        return False
    return hashlib.sha256(data).hexdigest() == record["sha256"]


