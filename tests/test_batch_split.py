"""The batch after its split (issue 10): the index and summary in the user's language, the
index page from a template the wheel ships, one full re-render after a manifest upgrade, and
``validate``/``rollup`` walking folders without the batch runner."""

from __future__ import annotations

import ast
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import tomllib
from clirun import gxgen
from conftest import facts_2021, write

import gxgen as package
from gxgen import batch_index
from gxgen.manifest import MANIFEST, MANIFEST_FORMAT
from gxgen.writers import template_folders

ROOT = Path(__file__).resolve().parents[1]
HTML_ONLY = ("--format", "html", "--variant", "simplified", "-j", "1")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    write(root / "good" / "2022.yaml", facts_2021(agency="Good Bureau"))
    write(root / "warn" / "2022.yaml", facts_2021(agency="Warn Bureau", problems="无"))
    write(root / "broken" / "2022.yaml", "edition: '2021'\nagency: [unclosed\n")
    write(root / "ext" / "county.yaml", "extension: county\ntitle: x\n")
    return root


class Page(HTMLParser):
    """The text of a page, and its rows and the ``lang`` of ``<html>``."""

    def __init__(self, text: str):
        super().__init__()
        self.lang = ""
        self.rows = 0
        self.texts: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        if tag == "tr":
            self.rows += 1

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


def test_index_and_summary_in_english(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = gxgen("batch", tree, "-o", out, *HTML_ONLY, "--lang", "en")
    assert result.exit_code == 1
    assert "3 report(s): 2 rendered" in result.stderr + result.stdout
    assert "agency" in result.stdout and "机关" not in result.stdout
    page = Page((out / "index.html").read_text("utf-8"))
    assert page.lang == "en"
    assert page.rows == 4, "a header row and one row per report"
    chrome = "".join(page.texts)
    for said in ("batch results", "Agency", "Facts file", "passed (with warnings)",
                 "errors, not rendered", "web page: simplified", "1 error(s)",
                 "Files not processed as reports", "an extension definition"):
        assert said in chrome, said
    for chinese in ("通过", "机关", "事实文件", "有错误", "网页", "简体", "第 3 行", "扩展表定义",
                    "共 3 份"):
        assert chinese not in chrome, chinese
    md = (out / "index.md").read_text("utf-8")
    assert md.startswith("# Annual reports on government information disclosure")
    assert "| Agency | Year | Check | Reports | Facts file |" in md
    assert "## Problems" in md and "line 3: " in md


def test_index_is_chinese_by_default(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    gxgen("batch", tree, "-o", out, *HTML_ONLY, env={"GXGEN_LANG": None})
    text = (out / "index.html").read_text("utf-8")
    page = Page(text)
    assert page.lang == "zh-Hans"
    assert "<title>政府信息公开工作年度报告 · 批量生成结果</title>" in text
    assert "共 3 份：通过 1 份，有警告 1 份，有错误 1 份（未生成）。另有 1 个 YAML 文件" in text
    assert "| 机关 | 年度 | 校验 | 报告 | 事实文件 |" in (out / "index.md").read_text("utf-8")


def test_an_older_manifest_renders_everything_once_and_says_so(tree: Path,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "dist"
    gxgen("batch", tree, "-o", out, *HTML_ONLY)
    data = json.loads((out / MANIFEST).read_text("utf-8"))
    data["format"] = MANIFEST_FORMAT - 1
    (out / MANIFEST).write_text(json.dumps(data), "utf-8")
    (out / "good" / "2022.html").unlink()
    upgraded = gxgen("batch", tree, "-o", out, *HTML_ONLY)
    assert "未变跳过 0 份" in upgraded.stderr + upgraded.stdout
    assert "由旧版 gxgen 写出，本次全部重新生成一次" in upgraded.stdout
    assert (out / "good" / "2022.html").is_file()
    assert json.loads((out / MANIFEST).read_text("utf-8"))["format"] == MANIFEST_FORMAT
    again = gxgen("batch", tree, "-o", out, *HTML_ONLY, "--lang", "en")
    assert "2 unchanged" in again.stdout and "older gxgen" not in again.stdout


def test_the_index_template_ships_with_the_wheel() -> None:
    names = {path.name for folder in template_folders() for path in folder.iterdir()}
    assert {batch_index.TEMPLATE_NAME, "report.html.j2", "report.docx"} <= names
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    shipped = project["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert shipped["templates"] == "gxgen/templates"
    assert (ROOT / "templates" / batch_index.TEMPLATE_NAME).is_file()


@pytest.mark.parametrize("module", ["cli", "rollup"])
def test_folders_are_walked_without_the_batch_runner(module: str) -> None:
    source = Path(package.__file__).with_name(f"{module}.py").read_text("utf-8")
    imported = {node.module for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.ImportFrom)}
    assert "gxgen.sources" in imported and "gxgen.batch" not in imported


def test_no_command_reaches_into_the_docx_writer() -> None:
    for name in ("batch", "cli", "cli_many", "options", "manifest"):
        source = Path(package.__file__).with_name(f"{name}.py").read_text("utf-8")
        assert "writers.docx" not in source and "import docx" not in source, name
