"""`gxgen render` never loses a user's data (issue 8, items 1, 3, 4 and the `-o` rule).

Inputs and facts files are never replaced, all outputs of a facts file are written all or
nothing (a disk that fills up mid-run changes nothing), links are followed only inside their
own folder or to a stream, a FIFO nobody reads is refused instead of hanging, and every
refusal is one catalogue line (Chinese, or English with --lang en) with exit 2. Anything that
could hang or needs a changed process (file size limit, another uid, a terminal) runs in a
subprocess with a timeout.
"""

from __future__ import annotations

import os
import pty
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from clirun import gxgen

from gxgen.messages import CATALOG
from gxgen.messages import render as message

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-district"
ZHEJIANG = ROOT / "src" / "gxgen" / "editions" / "extensions" / "zhejiang.yaml"
TIMEOUT = 30


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    target = tmp_path / "agency"
    shutil.copytree(DEMO, target)
    return target / "2022.yaml"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every entry of a folder: a file's bytes, a link's target, a FIFO's kind."""
    out: dict[str, bytes] = {}
    for path in sorted(folder.iterdir()):
        if path.is_symlink():
            out[path.name] = b"-> " + os.readlink(path).encode()
        elif stat.S_ISFIFO(path.lstat().st_mode):
            out[path.name] = b"fifo"
        elif path.is_dir():
            out[path.name] = b"dir"
        else:
            out[path.name] = path.read_bytes()
    return out


def gxgen_process(*args: str, cwd: Path | None = None, preexec: Callable[[], None] | None = None,
                  stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    """``python -m gxgen ARGS`` in a child (a hang fails the test after 30 s)."""
    return subprocess.run([sys.executable, "-m", "gxgen", *args], cwd=cwd, stdout=stdout,
                          stderr=subprocess.PIPE, timeout=TIMEOUT, preexec_fn=preexec,
                          env={**os.environ, "GXGEN_LANG": "zh"})


def line(code: str, lang: str, **params: object) -> str:
    return message(code, lang, params)


# --------------------------------------------------------------------------- item 1: inputs


def with_extension_file(tmp_path: Path) -> tuple[Path, Path]:
    """A facts file whose ``extensions:`` names a definition file beside it."""
    source = next(p for p in sorted((ROOT / "examples").glob("*.yaml"))
                  if "extensions: [zhejiang]" in p.read_text("utf-8"))
    folder = tmp_path / "zj"
    folder.mkdir()
    shutil.copy(ZHEJIANG, folder / "tables.def")
    facts = folder / "report.yaml"
    facts.write_text(source.read_text("utf-8").replace(
        "extensions: [zhejiang]", 'extensions: ["./tables.def"]'), "utf-8")
    return facts, folder / "tables.def"


def cases(demo: Path, tmp_path: Path) -> dict[str, tuple[list[str], Path, str]]:
    """name → (render arguments, the file that must stay as it is, catalogue code)."""
    folder = demo.parent
    shutil.copy(demo, folder / "notes.txt")
    shutil.copy(demo, folder / "r.md")
    shutil.copy(demo, folder / "facts.bak")
    shutil.copy(demo, folder / "other.yaml")
    shutil.copy(folder / "2021.yaml", folder / "last-year.txt")
    shutil.copy(ROOT / "templates" / "report.docx", folder / "t.docx")
    os.link(demo, folder / "hard.md")
    os.symlink("2022.yaml", folder / "soft.md")
    facts, definition = with_extension_file(tmp_path)
    plain = facts.with_name("plain.yaml")
    plain.write_text(facts.read_text("utf-8").replace('extensions: ["./tables.def"]\n', ""),
                     "utf-8")
    d = str(demo)
    return {
        "-o the facts file": (["render", d, "-o", d], demo, "output_is_input"),
        "notes.txt --format txt": (["render", str(folder / "notes.txt"), "--format", "txt"],
                                   folder / "notes.txt", "output_is_input"),
        "r.md --format md": (["render", str(folder / "r.md"), "--format", "md"],
                             folder / "r.md", "output_is_input"),
        "-o other.yaml": (["render", d, "-o", str(folder / "other.yaml")],
                          folder / "other.yaml", "output_is_facts"),
        "-o new.yaml": (["render", d, "-o", str(folder / "new.yaml")], demo,
                        "output_is_facts"),
        "-o last year's file": (["render", d, "-o", str(folder / "2021.yaml")],
                                folder / "2021.yaml", "output_is_input"),
        "-o a facts file by content": (["render", d, "--format", "md", "-o",
                                        str(folder / "facts.bak")],
                                       folder / "facts.bak", "output_is_facts"),
        "-o the template": (["render", d, "--template", str(folder / "t.docx"), "-o",
                             str(folder / "t.docx")], folder / "t.docx", "output_is_input"),
        "-o --previous": (["render", d, "--format", "txt", "--previous",
                           str(folder / "last-year.txt"), "-o", str(folder / "last-year.txt")],
                          folder / "last-year.txt", "output_is_input"),
        "-o a hard link to the input": (["render", d, "--format", "md", "-o",
                                         str(folder / "hard.md")], demo, "output_is_input"),
        "-o a link to the input": (["render", d, "--format", "md", "-o",
                                    str(folder / "soft.md")], demo, "output_is_input"),
        "-o the extension the facts name": (["render", str(facts), "--format", "md", "-o",
                                             str(definition)], definition, "output_is_input"),
        "-o the --extension file": (["render", str(plain), "--format", "md", "--extension",
                                     str(definition), "-o", str(definition)], definition,
                                    "output_is_input"),
    }


CASES = ["-o the facts file", "notes.txt --format txt", "r.md --format md", "-o other.yaml",
         "-o new.yaml", "-o last year's file",
         "-o a facts file by content", "-o the template", "-o --previous",
         "-o a hard link to the input", "-o a link to the input",
         "-o the extension the facts name", "-o the --extension file"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", CASES)
def test_render_never_replaces_an_input_or_a_facts_file(demo: Path, tmp_path: Path, case: str,
                                                        lang: str) -> None:
    args, kept, code = cases(demo, tmp_path)[case]
    before = kept.read_bytes()
    folders = {demo.parent: snapshot(demo.parent), tmp_path / "zj": snapshot(tmp_path / "zj")}
    result = gxgen(*args, "--lang", lang)
    assert result.exit_code == 2, result.output
    named = args[args.index("-o") + 1] if "-o" in args else str(kept)
    assert line(code, lang, path=named) in result.stderr.splitlines()
    assert kept.read_bytes() == before
    for folder, entries in folders.items():
        assert snapshot(folder) == entries, "nothing written"


def test_a_run_of_several_files_renders_the_others(demo: Path) -> None:
    """One refused file is exit 2 for the run; the other files are still rendered."""
    shutil.copy(demo, demo.with_name("notes.txt"))
    result = gxgen("render", str(demo.with_name("notes.txt")), str(demo), "--format", "txt")
    assert result.exit_code == 2, result.output
    assert demo.with_suffix(".txt").is_file()
    assert demo.with_name("notes.txt").read_bytes() == demo.read_bytes()


# --------------------------------------------------------------------------- item 3: all or nothing


def fill_disk_at(size: int) -> Callable[[], None]:
    """A child whose files cannot grow past ``size`` bytes (the disk "fills"), writing
    EFBIG instead of being killed by SIGXFSZ."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return limit


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_disk_full_mid_run_changes_nothing(demo: Path, lang: str) -> None:
    folder = demo.parent
    first = gxgen_process("render", str(demo), "--format", "all", "--variant", "both")
    assert first.returncode == 0, first.stderr.decode()
    sizes = {p.suffix: p.stat().st_size for p in folder.glob("2022.*") if p.suffix != ".yaml"}
    # the DOCX (written first) fits, the HTML (written next) does not: a half-done run
    assert sizes[".docx"] < 20_000 < sizes[".html"]
    demo.write_text(demo.read_text("utf-8").replace("某市某区", "某市新区"), "utf-8")
    before = snapshot(folder)
    result = gxgen_process("render", str(demo), "--format", "all", "--variant", "both",
                           "--lang", lang, preexec=fill_disk_at(20_000))
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert "内部错误" not in err and "Traceback" not in err
    assert err.strip().splitlines()[-1] == line("output_disk_full", lang,
                                                path=str(demo.with_suffix(".html")))
    assert snapshot(folder) == before, "old outputs unchanged, no temporary file left"
    again = gxgen_process("render", str(demo), "--format", "all", "--variant", "both")
    assert again.returncode == 0
    assert b"\xe6\x96\xb0\xe5\x8c\xba" in demo.with_suffix(".md").read_bytes()  # 新区


def test_read_only_folder_is_a_clear_refusal() -> None:
    """As a user who may not write the folder (root may write anywhere, so the child drops
    to uid 65534 after loading gxgen: the interpreter itself may sit where that uid cannot
    read)."""
    if os.geteuid() != 0:
        pytest.skip("needs root to drop privileges")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        warm = folder / "warm"
        warm.mkdir()
        shutil.copy(DEMO / "2022.yaml", warm / "2022.yaml")
        locked = folder / "locked"
        locked.mkdir()
        shutil.copy(DEMO / "2022.yaml", locked / "2022.yaml")
        os.chmod(locked / "2022.yaml", 0o644)
        os.chmod(locked, 0o555)
        os.chmod(folder, 0o755)
        script = (
            "import os, sys\n"
            "from click.testing import CliRunner\n"
            "from gxgen.cli import cli, main\n"
            f"CliRunner().invoke(cli, ['render', {str(warm / '2022.yaml')!r}, '--format', 'md'])\n"
            "os.setgid(65534); os.setuid(65534)\n"
            f"sys.argv = ['gxgen', 'render', {str(locked / '2022.yaml')!r}, '--format', 'md',"
            " '--lang', sys.argv[1]]\n"
            "main()\n")
        for lang in ("zh", "en"):
            result = subprocess.run([sys.executable, "-c", script, lang], capture_output=True,
                                    timeout=TIMEOUT)
            err = result.stderr.decode()
            assert result.returncode == 2, err
            assert err.strip().splitlines()[-1] == line(
                "output_no_permission", lang, path=str(locked / "2022.md"))
            assert sorted(p.name for p in locked.iterdir()) == ["2022.yaml"]


# --------------------------------------------------------------------------- item 4: links, streams


def test_link_to_proc_self_fd_1_writes_to_stdout(demo: Path) -> None:
    link = demo.with_name("out.md")
    os.symlink("/proc/self/fd/1", link)
    result = gxgen_process("render", str(demo), "--format", "md", "-o", str(link))
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.startswith(b"# ") and "主动公开".encode() in result.stdout
    assert os.readlink(link) == "/proc/self/fd/1", "the link itself is never replaced"


@pytest.mark.parametrize("name", ["-", "/dev/stdout", "/proc/self/fd/1"])
def test_stream_names_write_to_stdout(demo: Path, name: str) -> None:
    result = gxgen_process("render", str(demo), "--format", "docx", "-o", name, cwd=demo.parent)
    assert result.returncode == 0, result.stderr.decode()
    with zipfile.ZipFile(__import__("io").BytesIO(result.stdout)) as docx:
        assert "word/document.xml" in docx.namelist()
    assert not (demo.parent / "-").exists()


def test_stream_refuses_several_outputs(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(demo.parent)
    before = snapshot(demo.parent)
    for lang in ("zh", "en"):
        result = gxgen("render", str(demo), "--format", "all", "-o", "-", "--lang", lang)
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [line("output_stream_many", lang, path="-")]
        assert result.stdout == ""
    assert snapshot(demo.parent) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_binary_format_is_refused_on_a_terminal(demo: Path, lang: str) -> None:
    leader, follower = pty.openpty()
    try:
        result = gxgen_process("render", str(demo), "--format", "docx", "-o", "-",
                               "--lang", lang, stdout=follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        line("output_binary_tty", lang, path="-", format="docx")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_link_out_of_its_folder_is_refused(demo: Path, tmp_path: Path, lang: str) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    victim = elsewhere / "report.md"
    victim.write_text("someone else's file", "utf-8")
    link = demo.with_name("report.md")
    os.symlink(victim, link)
    result = gxgen("render", str(demo), "--format", "md", "-o", str(link), "--lang", lang)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        line("output_link_outside", lang, path=str(link), target=str(victim))]
    assert link.is_symlink() and victim.read_text("utf-8") == "someone else's file"


def test_link_in_its_own_folder_is_written_through(demo: Path) -> None:
    """A "current" link to this year's file: the file is replaced, the link stays."""
    target = demo.with_name("report-2022.md")
    target.write_text("old", "utf-8")
    link = demo.with_name("current.md")
    os.symlink("report-2022.md", link)
    result = gxgen("render", str(demo), "--format", "md", "-o", str(link))
    assert result.exit_code == 0, result.output
    assert os.readlink(link) == "report-2022.md"
    assert target.read_text("utf-8").startswith("# ")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fifo_without_reader_is_refused_without_hanging(demo: Path, lang: str) -> None:
    fifo = demo.with_name("pipe.md")
    os.mkfifo(fifo)
    before = snapshot(demo.parent)
    result = gxgen_process("render", str(demo), "--format", "md", "-o", str(fifo),
                           "--lang", lang)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [line("output_no_reader", lang,
                                                        path=str(fifo))]
    assert snapshot(demo.parent) == before and stat.S_ISFIFO(fifo.lstat().st_mode)


def test_fifo_in_a_several_output_run_refuses_before_any_rename(demo: Path) -> None:
    """A FIFO nobody reads among the outputs: the other files are not replaced either."""
    gxgen("render", str(demo), "--format", "md", "--format", "html")
    demo.write_text(demo.read_text("utf-8").replace("某市某区", "某市新区"), "utf-8")
    os.remove(demo.with_suffix(".html"))
    os.mkfifo(demo.with_suffix(".html"))
    before = snapshot(demo.parent)
    result = gxgen_process("render", str(demo), "--format", "md", "--format", "html")
    assert result.returncode == 2
    assert snapshot(demo.parent) == before


# --------------------------------------------------------------------------- the -o rule


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("args", "existing", "code", "params"), [
    (["--format", "html", "-o", "x.docx"], None, "output_suffix_mismatch",
     {"path": "x.docx", "suffix": ".docx", "format": "html"}),
    (["--format", "md", "-o", "X.HTML"], None, "output_suffix_mismatch",
     {"path": "X.HTML", "suffix": ".html", "format": "md"}),
    (["--format", "all", "-o", "report.docx"], None, "output_suffix_many",
     {"path": "report.docx", "suffix": ".docx"}),
    (["--format", "md", "--variant", "both", "-o", "out"], "out", "output_not_folder",
     {"path": "out"}),
])
def test_the_one_o_rule(demo: Path, args: list[str], existing: str | None, code: str,
                        params: dict[str, str], lang: str, monkeypatch: pytest.MonkeyPatch
                        ) -> None:
    monkeypatch.chdir(demo.parent)
    if existing:
        Path(existing).write_text("keep", "utf-8")
    before = snapshot(demo.parent)
    result = gxgen("render", "2022.yaml", *args, "--lang", lang)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [line(code, lang, **params)]
    assert snapshot(demo.parent) == before


@pytest.mark.parametrize(("args", "written", "head"), [
    (["--format", "md", "-o", "x.md"], "x.md", b"# "),
    (["--format", "html", "-o", "x.htm"], "x.htm", b"<!DOCTYPE"),
    (["--format", "md", "-o", "report"], "report", b"# "),
    (["--format", "docx", "-o", "sub"], "sub/2022.docx", b"PK"),
    (["--format", "md", "--format", "html", "-o", "dist"], "dist/2022.html", b"<!DOCTYPE"),
])
def test_what_o_means(demo: Path, args: list[str], written: str, head: bytes,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(demo.parent)
    Path("sub").mkdir()
    result = gxgen("render", "2022.yaml", *args)
    assert result.exit_code == 0, result.output
    assert Path(written).read_bytes().startswith(head)


def test_help_states_the_o_rule() -> None:
    text = " ".join(gxgen("render", "--help").output.split())
    assert "只生成一个文件时 -o 是文件名" in text
    assert "须与 --format 一致" in text and "-o 是目录" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_output_that_is_an_existing_directory(demo: Path, lang: str) -> None:
    demo.with_suffix(".md").mkdir()
    result = gxgen("render", str(demo), "--format", "md", "--lang", lang)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        line("output_is_directory", lang, path=str(demo.with_suffix(".md")))]


# --------------------------------------------------------------------------- unreadable, --draft


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_missing_file_exits_2_without_draft_hint(tmp_path: Path, lang: str) -> None:
    missing = str(tmp_path / "nonexist.yaml")
    result = gxgen("render", missing, "--lang", lang)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and missing in result.stderr
    assert "--draft" not in result.output
    assert gxgen("validate", missing).exit_code == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_draft_hint_not_repeated_when_draft_given(tmp_path: Path, lang: str) -> None:
    broken = tmp_path / "b.yaml"
    broken.write_text("edition: '2021'\nagency: 某局\nyear: 2022\nbogus: 1\n", "utf-8")
    without = gxgen("render", str(broken), "--lang", lang)
    assert without.exit_code == 1
    assert without.stderr.splitlines()[-1] == line("render_errors", lang, file=str(broken))
    result = gxgen("render", str(broken), "--draft", "--lang", lang)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == line("render_errors_draft", lang,
                                                  file=str(broken))
    assert "--draft" not in result.output


def test_every_output_message_in_both_languages() -> None:
    import string

    codes = [c for c in CATALOG if c.startswith(("output_", "render_", "rollup_update",
                                                 "rollup_output", "rollup_exists", "init_"))]
    assert len(codes) >= 20
    for code in codes:
        zh, en = CATALOG[code]
        fields = [{f for _, f, _, _ in string.Formatter().parse(t) if f} for t in (zh, en)]
        assert zh != en and fields[0] == fields[1], code
        assert all(ord(c) < 0x3000 or c in "“”" for c in en), code
