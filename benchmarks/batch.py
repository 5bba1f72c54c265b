"""Benchmark ``gxgen batch`` against the naive way of rendering many reports.

Generates N synthetic agencies (seeded, valid, non-trivial facts: every identity holds,
narratives of real-report length built from the sentences of ``examples/``), then measures in
the same run:

(a) ``gxgen batch`` (a subprocess, as a user runs it) for DOCX, HTML and Markdown in
    simplified and traditional Chinese: wall and CPU time, reports/s, ms per report, peak
    memory of the whole process tree (sampled from /proc), and an unchanged re-run;
(b) the naive way, in this process, with no reuse: per report a fresh OpenCC converter, and
    per report and variant a fresh ``docxtpl.DocxTemplate(path).render(ctx)`` + ``save``, the
    HTML through a fresh Jinja environment (the HTML writer's, built and compiled anew) and the
    Markdown writer, all written to disk. It shares gxgen's facts loading and document model
    (the body XML is gxgen's), so it is a lower bound for a hand-written docxtpl loop. It is
    run a second time sharing the OpenCC converter, the most conservative comparison. For
    large N it runs on a sample (``--naive-sample``) and reports per-report figures.

gxgen is copied into the run's work folder first, so the figures are for one fixed state of
the code. The machine's load average is printed: wall times of (a) and (b) are both affected
by other processes, CPU times much less.

    python benchmarks/batch.py                     # 100, 1000 and 5000 agencies
    python benchmarks/batch.py --agencies 1000 --naive-sample 100
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent

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


# --------------------------------------------------------------------------- synthetic facts


def corpus() -> list[str]:
    """Sentences of the narratives in ``examples/`` (real reports' wording)."""
    sentences: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            for part in re.split(r"(?<=。)", node):
                part = part.strip()
                if 12 <= len(part) <= 160 and not re.match(r"^[#（(一二三四五六七八九十\d]", part):
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
    结转下年度) and totals are left to gxgen."""
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
    lead = f"{year}年，{agency}坚持以公开为常态、不公开为例外。"
    overview[0]["text"] = lead + overview[0]["text"]
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
            "licensing": rng.randint(0, 4000),
            "penalty": rng.randint(0, 800),
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


def _tree_rss(pid: int) -> tuple[int, int]:
    """(total, largest) resident memory in bytes of ``pid`` and its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total = largest = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        largest = max(largest, rss.get(p, 0))
        todo += children.get(p, [])
    return total, largest


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run ``cmd``; wall time, CPU time (all its processes) and peak memory of its tree."""
    peak = {"total": 0, "largest": 0}
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            total, largest = _tree_rss(proc.pid)
            peak["total"] = max(peak["total"], total)
            peak["largest"] = max(peak["largest"], largest)
            stop.wait(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    cpu = _children_cpu() - cpu
    stop.set()
    thread.join()
    if proc.returncode != 0:
        raise SystemExit(f"gxgen batch failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    return {"wall": wall, "cpu": cpu, "peak_total": peak["total"],
            "peak_largest": peak["largest"]}


def run_batch(tree: Path, out: Path, src: Path, jobs: int | None,
              force: bool = True) -> dict[str, float]:
    cmd = [sys.executable, "-m", "gxgen", "batch", str(tree), "-o", str(out), "--format", "all",
           "--variant", "both", "--no-progress"]
    if jobs:
        cmd += ["-j", str(jobs)]
    if force:
        cmd.append("--force")
    env = dict(os.environ, PYTHONPATH=str(src))
    return measured(cmd, env)


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


def naive(files: list[Path], out: Path, template: Path, fresh_opencc: bool) -> dict[str, float]:
    """Wall and CPU seconds to render ``files`` the naive way (see the module docstring).
    ``fresh_opencc``: no reuse of the OpenCC converter either (built anew per report)."""
    from docxtpl import DocxTemplate

    from gxgen import render, variants
    from gxgen.check import check_file
    from gxgen.writers import docx, html, markdown

    styles = {name: name for name in docx.STYLE_IDS}
    html_dirs = tuple(html._template_dirs())
    chosen = variants.resolve(["both"])
    cpu = time.process_time()
    start = time.perf_counter()
    for path in files:
        if fresh_opencc:
            variants.opencc_converter.cache_clear()
        checked = check_file(path)
        assert checked.ok, [f.format() for f in checked.findings]
        folder = out / path.parent.name
        folder.mkdir(parents=True, exist_ok=True)
        for variant in chosen:
            doc = render.document(checked.facts, variant)
            tpl = DocxTemplate(str(template))
            sig = docx.signature_xml(doc.signature, styles) if doc.signature else ""
            tpl.render({
                "title": docx._title_lines(doc.title), "body": docx.body_xml(doc.blocks, styles),
                "signature": sig, "draft": "", "agency": doc.meta.get("agency", ""),
                "date": "", "year": doc.meta.get("year", ""),
            })
            buffer = io.BytesIO()
            tpl.save(buffer)
            stem = path.stem + variant.suffix
            (folder / f"{stem}.docx").write_bytes(buffer.getvalue())
            env = html._environment.__wrapped__(html_dirs)
            page = env.get_template(html.TEMPLATE_NAME).render(doc=doc, fragment=False)
            (folder / f"{stem}.html").write_text(page, "utf-8")
            (folder / f"{stem}.md").write_bytes(markdown.render(doc))
    return {"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu}


def snapshot_source(work: Path) -> Path:
    """A copy of gxgen (code and templates, laid out as in a wheel) for the whole run, so edits
    to the working tree while the benchmark runs cannot change what is measured."""
    src = work / "src"
    shutil.copytree(ROOT / "src" / "gxgen", src / "gxgen",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", src / "gxgen" / "templates")
    return src


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agencies", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--naive-sample", type=int, default=100,
                        help="reports rendered the naive way (at most N)")
    parser.add_argument("-j", "--jobs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--keep", type=Path, default=None, help="keep the trees in this folder")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here too")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="gxgen-bench-", dir=args.keep))
    src = snapshot_source(work)
    sys.path.insert(0, str(src))
    results: list[dict[str, Any]] = []
    print(f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.2f} at start; "
          "outputs per report: 3 formats × 2 variants = 6")
    try:
        template = naive_template(work)
        for n in args.agencies:
            tree = work / f"tree-{n}"
            t0 = time.perf_counter()
            files = generate(tree, n, args.seed)
            made = time.perf_counter() - t0
            out = work / f"out-{n}"
            full = run_batch(tree, out, src, args.jobs)
            again = run_batch(tree, out, src, args.jobs, force=False)
            outputs = sum(1 for p in out.rglob("*") if p.suffix in (".docx", ".html", ".md")
                          and p.name not in ("index.html", "index.md"))
            assert outputs == 6 * n, (outputs, n)
            sample = files[: min(n, args.naive_sample)]
            strict = naive(sample, work / "naive", template, fresh_opencc=True)
            shutil.rmtree(work / "naive")
            shared = naive(sample, work / "naive", template, fresh_opencc=False)
            shutil.rmtree(work / "naive")
            k = len(sample)
            row = {
                "agencies": n, "generate_s": round(made, 2),
                "load_average": round(os.getloadavg()[0], 2),
                "batch_wall_s": round(full["wall"], 2),
                "batch_cpu_s": round(full["cpu"], 2),
                "batch_reports_per_s": round(n / full["wall"], 1),
                "batch_ms_per_report": round(full["wall"] / n * 1000, 2),
                "batch_cpu_ms_per_report": round(full["cpu"] / n * 1000, 2),
                "batch_peak_tree_mib": round(full["peak_total"] / 2**20, 1),
                "batch_peak_process_mib": round(full["peak_largest"] / 2**20, 1),
                "unchanged_rerun_s": round(again["wall"], 2),
                "naive_sample": k,
                "naive_reports_per_s": round(k / strict["wall"], 2),
                "naive_ms_per_report": round(strict["wall"] / k * 1000, 1),
                "naive_cpu_ms_per_report": round(strict["cpu"] / k * 1000, 1),
                "naive_shared_opencc_ms_per_report": round(shared["wall"] / k * 1000, 1),
            }
            row["ratio"] = round(row["naive_ms_per_report"] / row["batch_ms_per_report"], 1)
            row["ratio_shared_opencc"] = round(
                row["naive_shared_opencc_ms_per_report"] / row["batch_ms_per_report"], 1)
            results.append(row)
            print(
                f"\n{n} agencies ({made:.1f} s to generate; load average now "
                f"{row['load_average']})\n"
                f"  (a) gxgen batch: {full['wall']:.2f} s wall ({full['cpu']:.1f} s CPU), "
                f"{row['batch_reports_per_s']} reports/s, {row['batch_ms_per_report']} ms/report "
                f"wall ({row['batch_ms_per_report'] / 6:.2f} ms/file), "
                f"{row['batch_cpu_ms_per_report']} ms CPU/report\n"
                f"      peak memory {row['batch_peak_tree_mib']} MiB (all processes), "
                f"{row['batch_peak_process_mib']} MiB (largest process); "
                f"unchanged re-run {again['wall']:.2f} s\n"
                f"  (b) naive, {k} reports: {row['naive_reports_per_s']} reports/s, "
                f"{row['naive_ms_per_report']} ms/report ({row['naive_ms_per_report'] / 6:.1f} "
                f"ms/file, {row['naive_cpu_ms_per_report']} ms CPU); sharing gxgen's OpenCC "
                f"converter: {row['naive_shared_opencc_ms_per_report']} ms/report\n"
                f"  ratio (b)/(a): {row['ratio']}× ({row['ratio_shared_opencc']}× against the "
                f"naive loop that shares the OpenCC converter)"
            )
            shutil.rmtree(out)
            shutil.rmtree(tree)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
