"""``gxgen batch``: a whole tree checked and rendered, broken files reported, nothing written
outside OUT, incremental re-runs, the index, and names that cannot escape."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from clirun import gxgen
from conftest import facts_2021, write
from hypothesis import given, settings
from hypothesis import strategies as st

from gxgen import batch
from gxgen.check import check_file
from gxgen.manifest import MANIFEST, finding_dict
from gxgen.sources import MAX_COMPONENT_BYTES, discover, safe_component

FORMATS = ("docx", "html", "md")
SUFFIXES = ("", ".zh-Hant")
HOSTILE_AGENCY = '../../<script>alert("x")</script>&局'


def previous_year(carried_out: int = 1, **changes: Any) -> dict[str, Any]:
    """Last year's facts that tie to ``facts_2021()`` (carry-over and 现行有效 stock), or with
    ``carried_out`` natural persons carried over instead of 1 (still balanced in itself)."""
    data = facts_2021(year=2021, date="2022-01-20", **changes)
    data["proactive"] = dict(data["proactive"],
                             normative_documents={"issued": 1, "repealed": 0, "in_force": 8})
    data["applications"] = dict(data["applications"],
                                carried_out=[carried_out, 0, 0, 0, 0, 0],
                                granted=[6 - carried_out, 1, 0, 0, 0, 0])
    return data


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """reports/ with good, warning-only and broken files, and hostile names."""
    root = tmp_path / "reports"
    write(root / "good" / "2021.yaml", previous_year())
    write(root / "good" / "2022.yaml", facts_2021())
    write(root / "warn" / "2022.yaml", facts_2021(problems="无"))
    write(root / "badyaml" / "2022.yaml", "edition: '2021'\nagency: [unclosed\n")
    broken = facts_2021()
    broken["applications"] = dict(broken["applications"], total=[99, 0, 0, 0, 0, 0, 99])
    write(root / "identity" / "2022.yaml", broken)
    write(root / "encoding" / "2022.yaml", b"agency: \x80\xff\xfe\x81 bad\n")
    write(root / "carry" / "2021.yaml", previous_year(carried_out=2))
    write(root / "carry" / "2022.yaml", facts_2021())
    write(root / "CON" / "2022.yaml", facts_2021(agency=HOSTILE_AGENCY))
    write(root / "trailing. " / "2022.yaml", facts_2021())
    write(root / "ctl\x01name" / "2022.yaml", facts_2021())
    write(root / ".git" / "hidden.yaml", "not: facts\n")
    return root


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every file and link under ``folder`` with (size, mtime, inode)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        st_ = path.lstat()
        out[path.relative_to(folder).as_posix()] = (st_.st_size, st_.st_mtime_ns, st_.st_ino)
    return out


def run(*args: str) -> Any:
    return gxgen("batch", *args)


def test_batch_renders_good_reports_reports_broken_ones(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    before = {k: v for k, v in snapshot(tmp_path).items()}
    result = run(str(tree), "-o", str(out), "-j", "2", "--lang", "zh")
    assert result.exit_code == 1, result.output
    for folder in ("good", "warn", "_CON", "trailing", "ctl_name"):
        for year in (["2021", "2022"] if folder == "good" else ["2022"]):
            for fmt in FORMATS:
                for suffix in SUFFIXES:
                    assert (out / folder / f"{year}{suffix}.{fmt}").is_file(), (folder, fmt)
    for folder in ("badyaml", "identity", "encoding"):
        assert not (out / folder).exists()
    # carry/2022 fails X-CARRY against carry/2021, found in the tree
    assert not (out / "carry" / "2022.docx").exists()
    assert (out / "carry" / "2021.docx").is_file()
    text = result.output
    assert "YAML 语法错误" in text
    assert "文件编码无法识别" in text
    assert "X-CARRY" in text and "T2" in text
    assert re.search(r"共 11 份报告：生成 7 份.*失败 4 份", text)
    # nothing changed outside OUT
    after = snapshot(tmp_path)
    outside = {k: v for k, v in after.items() if not k.startswith("dist")}
    assert outside == before
    assert all(inside_path(out, out / rel) for rel in snapshot(out))


def inside_path(root: Path, path: Path) -> bool:
    return os.path.realpath(path).startswith(os.path.realpath(root) + os.sep)


def test_batch_findings_are_validates_findings(tree: Path, tmp_path: Path) -> None:
    result = batch.run([tree], tmp_path / "o", ["html"], ["simplified"], workers=1)
    by_rel = {o.rel: o for o in result.outcomes}
    for source in discover([tree]):
        expected = [finding_dict(f) for f in check_file(source.path).findings]
        assert by_rel[str(source.rel)].findings == expected, source.rel
    assert by_rel["good/2022.yaml"].previous == str(tree / "good" / "2021.yaml")
    assert any(f["rule"] == "X-CARRY" for f in by_rel["carry/2022.yaml"].findings)


def test_incremental_rerun_writes_nothing(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    run(str(tree), "-o", str(out), "-j", "2")
    first = snapshot(out)
    again = run(str(tree), "-o", str(out), "-j", "2")
    assert again.exit_code == 1
    assert snapshot(out) == first
    assert "7 份报告未变，跳过" in again.output
    assert "写入 0 个文件" in again.output


def test_incremental_rerenders_what_changed(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    batch.run([tree], out, list(FORMATS), ["simplified"], workers=1)
    # a changed previous year re-checks the next year (and only the affected agency)
    write(tree / "good" / "2021.yaml", previous_year(carried_out=3))
    (out / "warn" / "2022.md").unlink()
    result = batch.run([tree], out, list(FORMATS), ["simplified"], workers=1)
    redone = {o.rel for o in result.outcomes if not o.skipped and o.status != "error"}
    assert redone == {"good/2021.yaml", "warn/2022.yaml"}
    good = next(o for o in result.outcomes if o.rel == "good/2022.yaml")
    assert any(f["rule"] == "X-CARRY" for f in good.findings)
    # reversed by issue 8: a failing report keeps its last good outputs, marked stale
    assert (out / "good" / "2022.docx").is_file(), "failing report's old outputs kept"
    assert good.stale and good.status == "error"
    assert (out / "warn" / "2022.md").is_file()
    forced = batch.run([tree], out, list(FORMATS), ["simplified"], workers=1, force=True)
    assert not any(o.skipped for o in forced.outcomes)
    assert forced.files_written == 0, "same bytes are not rewritten"


def test_removed_input_prunes_its_outputs(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    batch.run([tree], out, ["html"], ["simplified"], workers=1)
    kept = out / "warn" / "2022.html"
    kept.write_text("edited by hand", "utf-8")
    (tree / "warn" / "2022.yaml").unlink()
    (tree / "trailing. " / "2022.yaml").unlink()
    result = batch.run([tree], out, ["html"], ["simplified"], workers=1)
    assert result.removed == ["trailing/2022.html"]
    assert not (out / "trailing").exists()
    assert kept.read_text("utf-8") == "edited by hand", "a file changed by hand is never deleted"


def test_output_is_the_same_whatever_the_number_of_workers(tree: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    batch.run([tree], one, list(FORMATS), ["simplified", "traditional"], workers=1)
    batch.run([tree], two, list(FORMATS), ["simplified", "traditional"], workers=2)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    for rel in files:
        if rel.name == MANIFEST:
            continue
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel


def test_symlink_in_out_cannot_lead_outside(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    out.mkdir()
    (out / "good").symlink_to(outside, target_is_directory=True)
    result = batch.run([tree], out, ["html"], ["simplified"], workers=1)
    good = [o for o in result.outcomes if o.rel.startswith("good/")]
    assert all(o.status == "error" for o in good)
    assert all(any(f["code"] == "batch_outside" for f in o.findings) for o in good)
    assert list(outside.iterdir()) == []


def test_clashing_outputs_are_refused_not_overwritten(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "a" / "x.yaml", facts_2021(agency="甲局"))
    write(root / "a" / "x.yml", facts_2021(agency="乙局"))
    write(root / "index.yaml", facts_2021(agency="丙局"))
    result = batch.run([root], tmp_path / "o", ["html"], ["simplified"], workers=1)
    codes = {o.rel: [f["code"] for f in o.findings] for o in result.outcomes}
    assert codes["a/x.yml"] == ["batch_collision"]
    assert codes["index.yaml"] == ["batch_collision"]
    assert "甲局" in (tmp_path / "o" / "a" / "x.html").read_text("utf-8")


def test_mirrors_several_arguments_from_their_common_folder(tmp_path: Path) -> None:
    write(tmp_path / "r" / "east" / "2022.yaml", facts_2021(agency="东局"))
    write(tmp_path / "r" / "west" / "2022.yaml", facts_2021(agency="西局"))
    sources = discover([tmp_path / "r" / "east", tmp_path / "r" / "west" / "2022.yaml"])
    assert [str(s.rel) for s in sources] == ["east/2022.yaml", "west/2022.yaml"]
    assert [str(s.rel) for s in discover([tmp_path / "r" / "east"])] == ["2022.yaml"]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.scripts = 0
        self.external = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name == "href" and value:
                self.hrefs.append(value)
            if name in ("src", "href") and value and re.match(r"[a-z]+:|//", value):
                self.external += 1


def test_index_lists_every_report_with_relative_links(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    batch.run([tree], out, list(FORMATS), ["simplified", "traditional"], workers=1)
    page = (out / "index.html").read_text("utf-8")
    parser = _Links()
    parser.feed(page)
    assert parser.scripts == 0 and parser.external == 0
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert len(parser.hrefs) == 7 * 6
    for href in parser.hrefs:
        assert not href.startswith(("/", "..")), href
        assert (out / unquote(href)).is_file(), href
    for status in ("通过", "通过（有警告）", "有错误，未生成"):
        assert status in page
    assert "YAML 语法错误" in page and "已与上年度 2021.yaml 核对" in page
    md = (out / "index.md").read_text("utf-8")
    assert md.count("](<") == 7 * 6 and "## 问题清单" in md
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    assert set(manifest["reports"]) == {str(s.rel) for s in discover([tree])}


def test_no_facts_files_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run(str(tmp_path / "empty"), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "未找到事实文件" in result.output


HOSTILE = ["..", ".", "", "../../etc/passwd", "a/b", "a\\b", "x\x00y", "CON", "con.docx",
           "COM1", "lpt9.txt", "NUL ", "name. . ", " lead", "\u202eevil", "…" * 300, "中" * 200,
           ".hidden", "a:b*c?", "\r\n"]


@pytest.mark.parametrize("name", HOSTILE)
def test_safe_component_on_hostile_names(name: str, tmp_path: Path) -> None:
    check_safe(name, tmp_path)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_safe_component_property(name: str) -> None:
    check_safe(name, Path("/srv/out"))


def check_safe(name: str, root: Path) -> None:
    safe = safe_component(name)
    assert safe and safe not in (".", "..")
    assert not safe.startswith((".", " ")) and not safe.endswith((".", " "))
    assert not set(safe) & set('/\\:*?"<>|\x00')
    assert all(ord(ch) >= 32 and ch != "\x7f" for ch in safe)
    assert not re.fullmatch(r"(con|prn|aux|nul|com\d|lpt\d)(\..*)?", safe, re.I)
    assert len(safe.encode("utf-8")) <= MAX_COMPONENT_BYTES
    assert os.path.normpath(root / safe).startswith(str(root) + os.sep)
    assert safe_component(safe) == safe, "sanitising is idempotent"


def test_long_names_stay_distinct() -> None:
    a, b = "局" * 100 + "甲", "局" * 100 + "乙"
    assert safe_component(a) != safe_component(b)
