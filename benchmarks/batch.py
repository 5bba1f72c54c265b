"""Benchmark ``gxgen batch`` against a fair naive loop and against the floor.

Generates N synthetic agencies (seeded; valid, dated facts with every narrative filled in the
wording of ``examples/``, figures that agree with the tables: no finding at all), then measures
in the same run, each side in its own process tree started the same way:

(a) ``gxgen batch -j J --format all --variant both --force``, as a user runs it;
(b) the naive loop, with the same number of processes (a ``multiprocessing`` pool of J, in the
    default start method, as gxgen's pool; in-process when J is 1). Each process shares what a
    sensible hand-written loop shares: gxgen's OpenCC converter and the compiled Jinja
    environment of gxgen's HTML writer. Per report it runs gxgen's check and document model,
    and per variant renders a fresh ``docxtpl.DocxTemplate`` (the bundled template with
    ``{{p body }}`` paragraphs, body XML from gxgen's DOCX writer), gxgen's HTML and Markdown
    writers, and writes the six files with plain writes;
(c) the floor, in this process, on up to ``--floor-sample`` reports: deflating every part of
    the two DOCX files gxgen wrote (zlib, level 6, as the zip writer does), OpenCC over the
    narrative (the traditional variant's converter, built beforehand), and writing the six
    files. No program that writes these files can do less.

CPU per report is (parent + workers) ÷ reports, from ``getrusage`` (SELF + CHILDREN) of each
side's top process; wall per report includes interpreter start. Peak memory: the RSS high-water
mark of the largest single process (``ru_maxrss``), and of the whole tree (sum of RSS sampled
from /proc every 50 ms; pages shared after fork count in each process). The load average is
printed: wall times suffer from other processes much more than CPU times.

gxgen is copied into the run's work folder first, so the figures are for one fixed state of
the code.

    python benchmarks/batch.py                          # 100 and 1000 agencies
    python benchmarks/batch.py --agencies 100,1000 --repeat 3 --jobs 2
    python benchmarks/batch.py --agencies 5000 --naive-sample 500 --json
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent

COLUMNS = 6
RESULT_ROWS = {
    "granted": None, "partial": None,
    "withheld": ("state_secret", "legally_prohibited", "security_stability",
                 "third_party_rights", "internal_affairs", "process_information",
                 "enforcement_files", "administrative_inquiry"),
    "unavailable": ("not_held", "needs_creation", "still_unclear"),
    "not_processed": ("complaint", "repeated", "publications", "excessive", "confirmation"),
    "other": ("overdue_correction", "overdue_fee", "other"),
}
DEPARTMENTS = ("市场监督管理局", "教育局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
               "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局", "农业农村局",
               "商务局", "文化和旅游局", "卫生健康委员会", "应急管理局", "政务服务办公室",
               "经济和信息化局", "审计局", "统计局", "医疗保障局")
TOPICS = ("主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设", "监督保障")
NARRATIVE_KEYS = ("preface", "overview", "problems", "other_matters")
OUTPUTS = (".docx", ".html", ".md")


# --------------------------------------------------------------------------- synthetic facts


STATED_FIGURE = re.compile(
    r"[0-9０-９]|[一二两三四五六七八九十百千万零〇]+[件条宗次份起个项家篇期场]")
"""A sentence that states a count: taken from another report, it would contradict this
report's tables (C-FIGURE), so the corpus leaves it out and ``facts`` writes its own."""


def corpus() -> list[str]:
    """Sentences of the narratives in ``examples/`` (real reports' wording) that state no
    figure."""
    sentences: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            for part in re.split(r"(?<=。)", node):
                part = part.strip()
                if (12 <= len(part) <= 160 and not STATED_FIGURE.search(part)
                        and not re.match(r"^[#（(一二三四五六七八九十\d]", part)):
                    sentences.append(part)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("text", "heading") or isinstance(value, (list, str)):
                    walk(value)

    for path in sorted((ROOT / "examples").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        for key in ("overview", "problems", "preface"):
            walk(data.get(key))
        walk((data.get("other_matters") or {}).get("text"))
    return sorted(set(sentences))


def paragraph(rng: random.Random, sentences: list[str], n: int) -> str:
    return "".join(rng.choice(sentences) for _ in range(n))


def row(rng: random.Random, scale: int) -> list[int]:
    """Six columns, natural persons most, then businesses, the rest mostly zero."""
    weights = (1.0, 0.35, 0.05, 0.05, 0.1, 0.15)
    return [rng.randint(0, max(0, int(scale * w))) if rng.random() < 0.3 + w else 0
            for w in weights]


def facts(rng: random.Random, sentences: list[str], agency: str, year: int) -> dict[str, Any]:
    """One agency's year; the 申请 table balances per column (新收 + 上年结转 = 办理结果 +
    结转下年度) and totals are left to gxgen. Every narrative is filled, the figures it states
    are the tables' own (as C-FIGURE checks), and the report is dated: it validates with no
    finding at all."""
    scale = rng.choice((2, 5, 10, 30, 80))
    results: dict[str, Any] = {}
    total = [0] * COLUMNS
    for key, children in RESULT_ROWS.items():
        if children is None:
            values = row(rng, scale)
            results[key] = values
            total = [a + b for a, b in zip(total, values, strict=True)]
        else:
            group = {}
            for child in children:
                if rng.random() < 0.4:
                    values = row(rng, max(1, scale // 4))
                    group[child] = values
                    total = [a + b for a, b in zip(total, values, strict=True)]
            results[key] = group
    carried_in = row(rng, max(1, scale // 10))
    carried_out = row(rng, max(1, scale // 10))
    new = [max(0, t + o - c) for t, o, c in zip(total, carried_out, carried_in, strict=True)]
    carried_out = [n + c - t for n, c, t in zip(new, carried_in, total, strict=True)]
    issued, repealed = rng.randint(0, 6), rng.randint(0, 3)
    overview = [{"heading": topic, "text": "\n\n".join(
        paragraph(rng, sentences, rng.randint(2, 4)) for _ in range(rng.randint(1, 3)))}
        for topic in TOPICS]
    licensing, penalty = rng.randint(0, 4000), rng.randint(0, 800)
    lead = (f"{year}年，{agency}坚持以公开为常态、不公开为例外。全年制发行政规范性文件{issued}件，"
            f"作出行政许可决定{licensing}件、行政处罚决定{penalty}件，均按规定公开。")
    overview[0]["text"] = lead + overview[0]["text"]
    overview[1]["text"] = (
        f"全年新收政府信息公开申请{sum(new)}件，上年结转{sum(carried_in)}件，"
        f"办结{sum(total)}件，其中予以公开{sum(results['granted'])}件。" + overview[1]["text"])
    return {
        "edition": "2021",
        "agency": agency,
        "agency_type": "department",
        "year": year,
        "date": f"{year + 1}-01-{rng.randint(10, 28)}",
        "preface": paragraph(rng, sentences, 2),
        "overview": overview,
        "proactive": {
            "regulations": "na" if rng.random() < 0.8 else {
                "issued": 0, "repealed": 0, "in_force": rng.randint(0, 5)},
            "normative_documents": {"issued": issued, "repealed": repealed,
                                    "in_force": rng.randint(repealed, 40) + issued},
            "licensing": licensing,
            "penalty": penalty,
            "coercion": rng.randint(0, 60),
            "fees": Decimal(rng.randint(0, 99999)) / Decimal(10000),
        },
        "applications": {"new": new, "carried_in": carried_in, **results,
                         "carried_out": carried_out},
        "reviews": {k: [rng.randint(0, 3) if rng.random() < 0.3 else 0 for _ in range(4)]
                    for k in ("review", "litigation", "litigation_after_review")},
        "problems": [{"heading": h, "text": paragraph(rng, sentences, rng.randint(2, 5))}
                     for h in ("存在的主要问题", "改进措施")],
        "other_matters": {
            "processing_fees": {"notices": 0, "notice_amount": 0, "collected": 0},
            "text": paragraph(rng, sentences, rng.randint(1, 3)),
        },
    }


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", format(v, "f")))


def generate(root: Path, n: int, seed: int = 2022, year: int = 2022) -> list[Path]:
    """``root/<agency>/<year>.yaml`` for ``n`` agencies, the same for the same seed."""
    rng = random.Random(seed)
    sentences = corpus()
    files = []
    for i in range(n):
        agency = f"某市第{i // len(DEPARTMENTS) + 1}区{DEPARTMENTS[i % len(DEPARTMENTS)]}"
        path = root / agency / f"{year}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.dump(facts(rng, sentences, agency, year), Dumper=_Dumper,
                                  allow_unicode=True, sort_keys=False, default_flow_style=None,
                                  width=100), "utf-8")
        files.append(path)
    return files


# --------------------------------------------------------------------------- measuring

CHILD = r"""
import json, resource, sys
with open(sys.argv[1], encoding="utf-8") as fh:
    spec = json.load(fh)
code = 0
try:
    if spec["run"] == "gxgen":
        from gxgen.cli import main
        sys.argv = ["gxgen", *spec["args"]]
        main()
    else:
        sys.path.insert(0, spec["bench"])
        from batch import naive_run
        naive_run(spec)
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
finally:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(spec["report"], "w", encoding="utf-8") as fh:
        json.dump({"code": code, "cpu_parent": own.ru_utime + own.ru_stime,
                   "cpu_workers": kids.ru_utime + kids.ru_stime,
                   "maxrss_parent_kib": own.ru_maxrss, "maxrss_workers_kib": kids.ru_maxrss}, fh)
sys.exit(code)
"""
"""Runs one side of the comparison and reports its own resource usage (its workers are waited
for before it exits, so RUSAGE_CHILDREN holds all of them)."""


def _tree_rss(pid: int) -> int:
    """Resident memory in bytes of ``pid`` and its descendants, now."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * page
        except (OSError, IndexError, ValueError):
            continue
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total


def measured(spec: dict[str, Any], work: Path, src: Path) -> dict[str, float]:
    """Run one side (``spec``) in a fresh interpreter: wall, CPU of parent and workers, the
    largest process's RSS high-water mark and the tree's sampled peak."""
    spec = dict(spec, report=str(work / "usage.json"), bench=str(BENCH))
    spec_path = work / "spec.json"
    spec_path.write_text(json.dumps(spec, ensure_ascii=False), "utf-8")
    env = dict(os.environ, PYTHONPATH=str(src))
    peak = [0]
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(spec_path)], env=env, cwd=work,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            stop.wait(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    thread.join()
    if proc.returncode != 0:
        raise SystemExit(f"{spec['run']} failed ({proc.returncode}):\n{err.decode()[-3000:]}")
    usage = json.loads(Path(spec["report"]).read_text("utf-8"))
    return {
        "wall": wall, "cpu_parent": usage["cpu_parent"], "cpu_workers": usage["cpu_workers"],
        "cpu": usage["cpu_parent"] + usage["cpu_workers"],
        "peak_process": max(usage["maxrss_parent_kib"], usage["maxrss_workers_kib"]) * 1024,
        "peak_tree": peak[0],
    }


def gxgen_spec(tree: Path, out: Path, jobs: int, force: bool = True) -> dict[str, Any]:
    args = ["batch", str(tree), "-o", str(out), "--format", "all", "--variant", "both",
            "--no-progress", "-j", str(jobs)]
    return {"run": "gxgen", "args": [*args, "--force"] if force else args}


# --------------------------------------------------------------------------- the naive loop


def naive_template(work: Path) -> Path:
    """The bundled Word template as a docxtpl author would write it for raw XML values:
    ``{{p body }}`` / ``{{p signature }}`` / ``{{p draft }}`` paragraphs (and no placeholder
    names in the document properties, which docxtpl renders too)."""
    from gxgen.writers import docx

    source = docx.default_template()
    target = work / "naive-template.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                for name in ("body", "signature", "draft"):
                    text = text.replace("{{ " + name + " }}", "{{p " + name + " }}")
                data = text.encode("utf-8")
            elif info.filename == "docProps/core.xml":
                data = re.sub(rb"\{\{[^}]*\}\}", b"", data)
            zout.writestr(info, data)
    return target


_NAIVE: dict[str, str] = {}


def _naive_init(template: str, out: str) -> None:
    _NAIVE.update(template=template, out=out)


def naive_report(path: str) -> int:
    """One report the naive way (see the module docstring); returns its warnings."""
    from docxtpl import DocxTemplate

    from gxgen import render, variants
    from gxgen.check import check_file
    from gxgen.writers import docx, html, markdown

    checked = check_file(path)
    if not checked.ok:
        raise RuntimeError(f"{path}: " + "; ".join(f.format() for f in checked.findings))
    styles = {name: name for name in docx.STYLE_IDS}
    source = Path(path)
    folder = Path(_NAIVE["out"]) / source.parent.name
    folder.mkdir(parents=True, exist_ok=True)
    for variant in variants.resolve(["both"]):
        doc = render.document(checked.facts, variant)
        sig = doc.signature
        tpl = DocxTemplate(_NAIVE["template"])
        tpl.render({
            "title": docx._title_lines(doc.title),
            "body": docx.body_xml(doc.blocks, styles, keep_last=sig is not None),
            "signature": docx.signature_xml(sig, styles) if sig else "", "draft": "",
            "agency": doc.meta.get("agency", ""), "date": (sig.date or "") if sig else "",
            "year": doc.meta.get("year", ""),
        })
        stem = source.stem + variant.suffix
        tpl.save(str(folder / f"{stem}.docx"))
        (folder / f"{stem}.html").write_bytes(html.render(doc))
        (folder / f"{stem}.md").write_bytes(markdown.render(doc))
    return sum(1 for f in checked.findings if f.severity == "warning")


def naive_run(spec: dict[str, Any]) -> None:
    """The naive side's process: its pool is the size of gxgen's, chunked as gxgen chunks."""
    files, jobs = spec["files"], spec["jobs"]
    _naive_init(spec["template"], spec["out"])
    if jobs <= 1 or len(files) == 1:
        for path in files:
            naive_report(path)
        return
    size = max(1, min(16, len(files) // (jobs * 4)))
    workers = min(jobs, -(-len(files) // size))
    with multiprocessing.get_context().Pool(workers, initializer=_naive_init,
                                            initargs=(spec["template"], spec["out"])) as pool:
        for _ in pool.imap_unordered(naive_report, files, chunksize=size):
            pass
        pool.close()
        pool.join()


# --------------------------------------------------------------------------- the floor


def narrative(data: dict[str, Any]) -> list[str]:
    """Every narrative string of a facts mapping."""
    texts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key in ("heading", "text"):
                walk(node.get(key))

    for key in NARRATIVE_KEYS:
        walk(data.get(key))
    return texts


def floor(files: list[Path], out: Path, scratch: Path) -> dict[str, float]:
    """CPU seconds per report (this process) of the work no writer can skip, on gxgen's own
    outputs of ``files``: deflate the DOCX parts, OpenCC the narrative, write the six files."""
    from gxgen import variants

    traditional = next(v for v in variants.resolve(["both"]) if v.traditional)
    cc = variants.opencc_converter(traditional.opencc_config)
    spent = {"deflate": 0.0, "opencc": 0.0, "write": 0.0}
    for i, path in enumerate(files):
        folder = out / path.parent.name
        outputs = [(p.name, p.read_bytes()) for p in sorted(folder.iterdir())
                   if p.suffix in OUTPUTS]
        parts = []
        for name, _ in outputs:
            if name.endswith(".docx"):
                with zipfile.ZipFile(folder / name) as zf:
                    parts += [zf.read(n) for n in zf.namelist()]
        texts = narrative(yaml.safe_load(path.read_text("utf-8")))
        target = scratch / str(i)
        target.mkdir(parents=True)
        t0 = time.process_time()
        for data in parts:
            deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
            deflate.compress(data)
            deflate.flush()
        t1 = time.process_time()
        for text in texts:
            cc.convert(text)
        t2 = time.process_time()
        for name, data in outputs:
            with open(target / name, "wb") as fh:
                fh.write(data)
        t3 = time.process_time()
        spent["deflate"] += t1 - t0
        spent["opencc"] += t2 - t1
        spent["write"] += t3 - t2
    shutil.rmtree(scratch)
    per = {k: v / len(files) for k, v in spent.items()}
    per["total"] = sum(per.values())
    return per


# --------------------------------------------------------------------------- one size


def snapshot_source(work: Path) -> Path:
    """A copy of gxgen (code and templates, laid out as in a wheel) for the whole run, so edits
    to the working tree while the benchmark runs cannot change what is measured."""
    src = work / "src"
    shutil.copytree(ROOT / "src" / "gxgen", src / "gxgen",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", src / "gxgen" / "templates")
    return src


def _findings(out: Path) -> dict[str, int]:
    """Errors and warnings of the batch, from its manifest."""
    manifest = json.loads((out / ".gxgen-manifest.json").read_text("utf-8"))
    counts = {"error": 0, "warning": 0}
    for entry in manifest["reports"].values():
        for finding in entry["findings"]:
            counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
    return counts


def _stats(values: list[float], scale: float = 1.0, digits: int = 2) -> dict[str, float]:
    return {"min": round(min(values) * scale, digits),
            "median": round(statistics.median(values) * scale, digits)}


def one_size(n: int, args: argparse.Namespace, work: Path, src: Path,
             template: Path) -> dict[str, Any]:
    tree, out = work / f"tree-{n}", work / f"out-{n}"
    files = generate(tree, n, args.seed)
    sample = files[: min(n, args.naive_sample or n)]
    floor_files = files[: min(n, args.floor_sample)]
    load_start = os.getloadavg()
    runs = []
    for rep in range(args.repeat):
        gx = measured(gxgen_spec(tree, out, args.jobs), work, src)
        if rep == 0:
            outputs = sum(1 for p in out.rglob("*") if p.suffix in OUTPUTS
                          and p.name not in ("index.html", "index.md"))
            if outputs != 6 * n:
                raise SystemExit(f"gxgen batch wrote {outputs} reports' files, not {6 * n}")
            findings = _findings(out)
        fl = floor(floor_files, out, work / "floor")
        naive_out = work / "naive"
        nv = measured({"run": "naive", "files": [str(p) for p in sample], "jobs": args.jobs,
                       "template": str(template), "out": str(naive_out)}, work, src)
        shutil.rmtree(naive_out)
        runs.append({"gxgen": gx, "naive": nv, "floor": fl})
    again = measured(gxgen_spec(tree, out, args.jobs, force=False), work, src)
    shutil.rmtree(out)
    shutil.rmtree(tree)
    k = len(sample)
    gx_cpu = [r["gxgen"]["cpu"] / n for r in runs]
    nv_cpu = [r["naive"]["cpu"] / k for r in runs]
    gx_wall = [r["gxgen"]["wall"] / n for r in runs]
    nv_wall = [r["naive"]["wall"] / k for r in runs]
    floors = [r["floor"]["total"] for r in runs]
    mib = 1 / 2**20
    return {
        "agencies": n, "jobs": args.jobs, "repeat": args.repeat, "naive_reports": k,
        "floor_reports": len(floor_files),
        "load_average_start": [round(x, 2) for x in load_start],
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "findings": findings,
        "gxgen_cpu_ms_per_report": _stats(gx_cpu, 1000),
        "naive_cpu_ms_per_report": _stats(nv_cpu, 1000),
        "cpu_ratio_naive_to_gxgen": _stats([a / b for a, b in zip(nv_cpu, gx_cpu, strict=True)]),
        "gxgen_wall_ms_per_report": _stats(gx_wall, 1000),
        "naive_wall_ms_per_report": _stats(nv_wall, 1000),
        "wall_ratio_naive_to_gxgen": _stats(
            [a / b for a, b in zip(nv_wall, gx_wall, strict=True)]),
        "gxgen_peak_process_mib": round(max(r["gxgen"]["peak_process"] for r in runs) * mib, 1),
        "gxgen_peak_tree_mib": round(max(r["gxgen"]["peak_tree"] for r in runs) * mib, 1),
        "naive_peak_process_mib": round(max(r["naive"]["peak_process"] for r in runs) * mib, 1),
        "naive_peak_tree_mib": round(max(r["naive"]["peak_tree"] for r in runs) * mib, 1),
        "floor_cpu_ms_per_report": _stats(floors, 1000),
        "floor_parts_ms_per_report": {
            part: _stats([r["floor"][part] for r in runs], 1000)
            for part in ("deflate", "opencc", "write")},
        "gxgen_to_floor": _stats([a / b for a, b in zip(gx_cpu, floors, strict=True)]),
        "gxgen_unchanged_rerun_s": round(again["wall"], 2),
        "runs": runs,
    }


def _pair(stats: dict[str, float], unit: str = "") -> str:
    return f"{stats['min']:g}{unit} / {stats['median']:g}{unit}"


def describe(row: dict[str, Any]) -> str:
    n, j, k = row["agencies"], row["jobs"], row["naive_reports"]
    load = lambda xs: ", ".join(f"{x:.2f}" for x in xs)  # noqa: E731
    parts = row["floor_parts_ms_per_report"]
    naive_on = "" if k == n else f" (on {k} of them)"
    row_floor = row["floor_reports"]
    return "\n".join([
        f"\n{n} agencies × 3 formats × 2 variants; {row['repeat']} run(s), figures min / median; "
        f"load average {load(row['load_average_start'])} → {load(row['load_average_end'])}",
        f"  facts: {row['findings'].get('error', 0)} errors, "
        f"{row['findings'].get('warning', 0)} warnings",
        f"  {'':34s}{'CPU ms/report':>18s}{'wall ms/report':>18s}   peak RSS MiB (process, tree)",
        f"  {f'gxgen batch -j {j}':34s}{_pair(row['gxgen_cpu_ms_per_report']):>18s}"
        f"{_pair(row['gxgen_wall_ms_per_report']):>18s}   "
        f"{row['gxgen_peak_process_mib']}, {row['gxgen_peak_tree_mib']}",
        f"  {f'naive loop, pool of {j}{naive_on}':34s}{_pair(row['naive_cpu_ms_per_report']):>18s}"
        f"{_pair(row['naive_wall_ms_per_report']):>18s}   "
        f"{row['naive_peak_process_mib']}, {row['naive_peak_tree_mib']}",
        f"  {'naive ÷ gxgen':34s}{_pair(row['cpu_ratio_naive_to_gxgen'], '×'):>18s}"
        f"{_pair(row['wall_ratio_naive_to_gxgen'], '×'):>18s}",
        f"  {f'floor, 1 process ({row_floor} reports)':34s}"
        f"{_pair(row['floor_cpu_ms_per_report']):>18s}   = deflate "
        f"{parts['deflate']['median']:g} + OpenCC {parts['opencc']['median']:g} + write "
        f"{parts['write']['median']:g} (medians)",
        f"  {'gxgen ÷ floor (CPU)':34s}{_pair(row['gxgen_to_floor'], '×'):>18s}",
        f"  gxgen, unchanged re-run: {row['gxgen_unchanged_rerun_s']} s wall",
    ])


def _sizes(values: list[str]) -> list[int]:
    sizes = [int(part) for value in values for part in value.split(",") if part.strip()]
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("--agencies takes positive numbers")
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agencies", action="extend", nargs="+", default=None,
                        help="agencies per size: repeatable, or a list (100 1000, 100,1000); "
                             "default 100 and 1000")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes for both sides (gxgen batch -j N; a pool of N)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (min / median)")
    parser.add_argument("--naive-sample", type=int, default=None,
                        help="reports rendered the naive way (default: all)")
    parser.add_argument("--floor-sample", type=int, default=200,
                        help="reports the floor is measured on")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--keep", type=Path, default=None, help="keep the trees in this folder")
    parser.add_argument("--json", action="store_true",
                        help="print the figures (and every run's raw ones) as JSON instead")
    args = parser.parse_args()
    sizes = _sizes(args.agencies or ["100", "1000"])
    args.repeat = max(1, args.repeat)

    def say(text: str) -> None:
        if not args.json:
            print(text, flush=True)

    work = Path(tempfile.mkdtemp(prefix="gxgen-bench-", dir=args.keep))
    src = snapshot_source(work)
    sys.path.insert(0, str(src))
    method = multiprocessing.get_start_method()
    say(f"{os.cpu_count()} CPU(s), Python {platform.python_version()}, load average "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} at start; both sides use "
        f"{args.jobs} process(es): gxgen batch -j {args.jobs}, the naive loop a pool of "
        f"{args.jobs} ({method})")
    results: list[dict[str, Any]] = []
    try:
        template = naive_template(work)
        for n in sizes:
            row = one_size(n, args, work, src, template)
            results.append(row)
            say(describe(row))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps({"cpus": os.cpu_count(), "python": platform.python_version(),
                          "start_method": method, "sizes": results},
                         ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
