"""`gxgen render` end to end: names, refusal of bad files, drafts, atomic output, and the
rendered tables equal to the document model in every format."""

from __future__ import annotations

import os
import shutil
import stat
import threading
from pathlib import Path

import pytest
from clirun import gxgen
from conftest import facts_2021, write
from extract import docx_tables, html_tables, md_pipe_tables, model_rows

from gxgen import render as rendering
from gxgen.check import check_file
from gxgen.model import build_document
from gxgen.variants import VARIANTS, Converter

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").rglob("*.yaml"))
DEMO = ROOT / "examples" / "demo-district" / "2022.yaml"


def run(*args: str) -> tuple[int, str]:
    result = gxgen(*args)
    return result.exit_code, result.output


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    target = tmp_path / "agency"
    shutil.copytree(DEMO.parent, target)
    return target / "2022.yaml"


def test_default_names_beside_input(demo: Path) -> None:
    code, out = run("render", str(demo), "--format", "all", "--variant", "both")
    assert code == 0, out
    names = sorted(p.name for p in demo.parent.iterdir() if p.suffix != ".yaml")
    assert names == ["2022.docx", "2022.html", "2022.md", "2022.zh-Hant.docx",
                     "2022.zh-Hant.html", "2022.zh-Hant.md"]


def test_single_output_file_name(demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    code, out = run("render", str(demo), "-o", str(target))
    assert code == 0, out
    assert target.is_file() and target.read_bytes()[:2] == b"PK"


def test_output_folder_for_several_files(demo: Path, tmp_path: Path) -> None:
    code, out = run("render", str(demo), "--format", "md", "--format", "html", "-o",
                    str(tmp_path / "dist"))
    assert code == 0, out
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == ["2022.html", "2022.md"]


def break_balance(path: Path) -> None:
    text = path.read_text("utf-8")
    lines = text.splitlines()
    i = next(i for i, line in enumerate(lines) if line.strip().startswith("new:"))
    lines[i] = lines[i].replace("new:", "new: ", 1)
    # raise the first number of the row by one: breaks T2-BAL on the 自然人 column
    head, _, rest = lines[i].partition("[")
    first, _, tail = rest.partition(",")
    lines[i] = f"{head}[{int(first) + 1},{tail}"
    path.write_text("\n".join(lines) + "\n", "utf-8")


def test_errors_refuse_and_keep_good_file(demo: Path) -> None:
    code, _ = run("render", str(demo), "--format", "md")
    assert code == 0
    good = demo.with_suffix(".md").read_bytes()
    break_balance(demo)
    code, out = run("render", str(demo), "--format", "md")
    assert code == 1
    assert "T2-BAL" in out
    assert demo.with_suffix(".md").read_bytes() == good
    assert not list(demo.parent.glob(".*.tmp"))


def test_draft_renders_with_mark(demo: Path) -> None:
    break_balance(demo)
    code, out = run("render", str(demo), "--format", "all", "--draft")
    assert code == 0, out
    html = demo.with_suffix(".html").read_text("utf-8")
    md = demo.with_suffix(".md").read_text("utf-8")
    assert "草稿（校验未通过）" in html and "草稿（校验未通过）" in md
    from docx import Document as Docx

    doc = Docx(str(demo.with_suffix(".docx")))
    header_text = "".join(p.text for s in doc.sections for p in s.header.paragraphs)
    body_text = "".join(p.text for p in doc.paragraphs)
    assert "草稿（校验未通过）" in header_text + body_text


def test_failed_template_writes_nothing(demo: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    out_dir = tmp_path / "out"
    code, out = run("render", str(demo), "--format", "all", "--template", str(bad), "-o",
                    str(out_dir))
    assert code == 2  # an unusable --template is refused up front, like batch's
    assert "Traceback" not in out and "不是有效的 DOCX 文件" in out
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_deterministic_bytes(demo: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for target in (first, second):
        code, out = run("render", str(demo), "--format", "all", "--variant", "both", "-o",
                        str(target))
        assert code == 0, out
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("variant", ["simplified", "traditional"])
def test_tables_equal_model_in_every_format(example: Path, variant: str) -> None:
    checked = check_file(example)
    assert checked.ok, [f.format() for f in checked.findings]
    v = VARIANTS[variant]
    doc = build_document(checked.facts, Converter(v, checked.facts.data.get("protected_terms")
                                                  or ()))
    options = rendering.Options()
    expected = [model_rows(t) for t in doc.tables()]
    assert docx_tables(rendering.writer("docx")(doc, options)) == expected
    assert html_tables(rendering.writer("html")(doc, options)) == expected
    md = rendering.writer("md")(doc, options).decode("utf-8")
    for table in doc.tables():
        for cell in table.values():
            assert f"| {cell.text} |" in md or f"| {cell.text}\n" in md
    html_md = rendering.writer("md")(doc, rendering.Options(md_tables="html"))
    assert html_tables(html_md) == expected
    assert md_pipe_tables(md)


def test_device_target_is_written_in_place(demo: Path, tmp_path: Path) -> None:
    """Renaming over /dev/null (as root) would replace the device with a file."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(fifo.read_bytes()))
    reader.start()
    code, out = run("render", str(demo), "--format", "md", "-o", str(fifo))
    reader.join(timeout=30)
    assert code == 0, out
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert b"## " in b"".join(chunks)


def test_output_folder_with_trailing_slash_and_readable_files(demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "dist"
    old = os.umask(0o022)
    try:
        code, out = run("render", str(demo), "--format", "md", "-o", f"{target}/")
    finally:
        os.umask(old)
    assert code == 0, out
    written = target / "2022.md"
    assert written.is_file()
    assert written.stat().st_mode & 0o044 == 0o044, "readable by a web server"


def test_previous_with_several_files_is_refused_as_in_validate(tmp_path: Path) -> None:
    a = write(tmp_path / "a" / "2022.yaml", facts_2021())
    b = write(tmp_path / "b" / "2022.yaml", facts_2021())
    for command in (["validate"], ["render", "--format", "md"]):
        result = gxgen(*command, a, b, "--previous", a)
        assert result.exit_code == 2, command
        assert "--previous" in result.output
    assert not (tmp_path / "a" / "2022.md").exists()
