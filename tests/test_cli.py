"""The command line: exit codes, messages without tracebacks, and docs that match the commands."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT

from pygk.cli import main, parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def pygk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pygk.cli", *args], capture_output=True, text=True)


def test_success_prints_where_it_wrote_and_the_summary(demo: Path):
    result = pygk("run", str(demo))
    assert result.returncode == 0
    assert f"已写入“{demo}”" in result.stdout and "表现较差的有：统计局、社保中心和商城街道。" in result.stdout


def test_check_on_good_data(demo: Path):
    result = pygk("check", str(demo))
    assert (result.returncode, result.stdout.strip()) == (0, "检查通过：2 个分组，共 44 个单位，没有发现问题。")


def test_errors_are_one_chinese_line_and_verbose_adds_the_traceback(tmp_path: Path):
    missing = tmp_path / "没有这个文件.xlsx"
    quiet = pygk("run", str(missing))
    assert quiet.returncode == 2
    assert quiet.stderr.strip() == f"文件“{missing}”：文件不存在。请检查文件名和路径。"
    loud = pygk("run", str(missing), "--verbose")
    assert loud.returncode == 2 and "Traceback" in loud.stderr and "文件不存在" in loud.stderr


def test_output_folder_must_exist(demo: Path, tmp_path: Path):
    result = pygk("run", str(demo), "-o", str(tmp_path / "不存在的目录" / "结果.xlsx"))
    assert result.returncode == 2 and "要写入的文件夹不存在" in result.stderr


def test_unexpected_errors_get_a_short_message(demo: Path, capsys, monkeypatch):
    """A fault nobody planned a message for (injected into the core): one Chinese line, exit 3, nothing written."""
    from pygk.xlsx import adapter

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(adapter, "build_plan", broken)
    before = demo.read_bytes()
    assert main(["run", str(demo)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("处理时发生意外错误，工作簿未作任何修改。") and "Traceback" not in err
    assert demo.read_bytes() == before


def test_damaged_tab_index_is_repaired(demo: Path, tmp_path: Path):
    """An active tab that is not a number (a damaged file) is reset to the first tab, not a crash."""
    broken = tmp_path / "损坏.xlsx"
    with zipfile.ZipFile(demo) as src, zipfile.ZipFile(broken, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/workbook.xml":
                data = re.sub(rb'activeTab="\d+"', b'activeTab="x"', data, count=1)
                assert b'activeTab="x"' in data
            out.writestr(name, data)
    result = pygk("run", str(broken))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(broken) as archive:
        assert b'activeTab="0"' in archive.read("xl/workbook.xml")


def test_bad_arguments_are_explained_in_chinese():
    result = pygk("frobnicate")
    assert result.returncode == 2 and "参数有误：“frobnicate”不是 pygk 的命令" in result.stderr
    assert "pygk --help" in result.stderr
    assert "参数有误：--year 应为整数，实际为“十月”" in pygk("history", "add", "a.xlsx", "--into", "b.xlsx",
                                                          "--year", "十月").stderr  # fmt: skip
    help_text = pygk("run", "--help").stdout
    assert help_text.startswith("用法：pygk run") and "显示本帮助并退出" in help_text and "options" not in help_text


def test_every_command_has_help_with_an_example_and_is_in_the_readme():
    commands = parser()._subparsers._group_actions[0].choices  # noqa: SLF001 - argparse has no public accessor
    for name, sub in commands.items():
        assert "示例：pygk " + name in sub.description
        assert re.search(rf"pygk {re.escape(name)}(?![\w-])", README), name


def test_readme_commands_are_the_ones_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    blocks = re.findall(r"```\n(.*?)\n```", README, flags=re.S)
    demo = next(b for b in blocks if b.startswith("pip install . &&"))
    tests = next(b for b in blocks if b.startswith("pip install -e"))
    assert tests in ci.splitlines()
    assert demo.split(" -o ")[0] in ci


def test_progress_on_a_terminal_and_not_in_a_pipe(demo: Path):
    """Run in a real pseudo-terminal: the clerk sees what pygk is doing; a pipe gets only the result."""
    import os
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "pygk.cli", "run", str(demo)], stdin=follower,
                               stdout=follower, stderr=follower, close_fds=True)  # fmt: skip
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    assert process.wait() == 0
    text = output.decode("utf-8")
    assert "pygk：正在读取数据" in text and "pygk：正在计算并生成 44 个单位的结果" in text and "已写入" in text
    piped = pygk("run", str(demo))
    assert "正在" not in piped.stderr and "已写入" in piped.stdout
