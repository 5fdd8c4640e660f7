"""The command line: exit codes, messages without tracebacks, and docs that match the commands."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT

from pygk.cli import main, parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def pygk(*args: str) -> subprocess.CompletedProcess[str]:
    """`pygk ARGS` in this process, what it printed captured (a Python start per call would cost a second)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(args))
        except SystemExit as stop:  # argparse: --help, --version, a wrong command line
            status = stop.code if isinstance(stop.code, int) else 0
    return subprocess.CompletedProcess(["pygk", *args], status, out.getvalue(), err.getvalue())


def test_success_prints_where_it_wrote_and_the_summary(demo: Path):
    # `python -m pygk.cli` as a process of its own, as the console script runs it.
    result = subprocess.run([sys.executable, "-m", "pygk.cli", "run", str(demo)], capture_output=True, text=True)
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
    from pygk.adapters.xlsx import adapter

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
    year = pygk("history", "add", "a.xlsx", "--into", "b.xlsx", "--year", "十月").stderr
    assert "参数有误：--year 年份应为 1900 到 9999 之间的整数，实际为“十月”" in year
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


def test_reading_a_workbook_open_in_excel_works_and_only_writing_in_place_is_refused(demo: Path, tmp_path: Path):
    """Excel's lock file beside the workbook: check, run -o and history add (reading it) go ahead, with a note."""
    demo.with_name("~$" + demo.name).write_bytes(b"\x00" * 165)
    before = demo.read_bytes()
    note = f"注意：“{demo}”正在 Excel、WPS 或 LibreOffice 中打开（锁文件“~${demo.name}”）"
    checked = pygk("check", str(demo))
    assert checked.returncode == 0 and "检查通过" in checked.stdout and note in checked.stderr
    other = tmp_path / "结果.xlsx"
    ran = pygk("run", str(demo), "-o", str(other))
    assert ran.returncode == 0 and note in ran.stderr, ran.stderr
    assert zipfile.ZipFile(other).read("xl/workbook.xml").count(b"<sheet ") > zipfile.ZipFile(demo).read(
        "xl/workbook.xml"
    ).count(b"<sheet ")
    imported = pygk("history", "add", str(demo), "--into", str(other))
    assert imported.returncode == 0 and note in imported.stderr, imported.stderr
    in_place = pygk("run", str(demo))
    assert (
        in_place.returncode == 2 and "请先保存并关闭该工作簿再运行" in in_place.stderr and note not in in_place.stderr
    )
    into_open = pygk("history", "add", str(other), "--into", str(demo))
    assert into_open.returncode == 2 and "正在被 Excel、WPS 或 LibreOffice 打开" in into_open.stderr
    assert demo.read_bytes() == before


def test_history_add_checks_the_month_and_says_which_period_wins(demo: Path, tmp_path: Path):
    other = tmp_path / "结果.xlsx"
    assert pygk("run", str(demo), "-o", str(other)).returncode == 0
    before = other.read_bytes()
    refused = pygk("history", "add", str(demo), "--into", str(other), "--month", "13")
    assert refused.returncode == 2 and "参数有误：--month 月份应为 1 到 12 的整数，实际为“13”" in refused.stderr
    assert other.read_bytes() == before
    given = pygk("history", "add", str(demo), "--into", str(other), "--year", "2021", "--month", "10")
    assert given.returncode == 0
    assert (
        "旧工作簿有自己的“设置”表，按其中的 2021年11月 导入；命令行的 --year 2021 --month 10 没有使用" in given.stderr
    )
    assert "已导入 2021年11月 的 44 个单位" in given.stdout


def test_history_alone_shows_its_help():
    result = pygk("history")
    assert result.returncode == 2
    assert result.stderr.startswith("用法：pygk history") and "add" in result.stderr
    assert "history_command" not in result.stderr + result.stdout


def test_help_names_commands_once_and_shows_real_default_names():
    main_help = pygk("--help").stdout
    assert main_help.count("命令") == 2  # the usage line's placeholder and the heading, not a third line of its own
    assert re.search(r"^命令:\n  run ", main_help, flags=re.M)
    assert "如“2021年11月附件.pdf”" in re.sub(r"\s+", "", pygk("pdf", "--help").stdout)
    assert "如“2021年11月政务公开通报.docx”" in re.sub(r"\s+", "", pygk("bulletin", "--help").stdout)
    assert "{年}" not in pygk("pdf", "--help").stdout


def test_input_paths_get_messages_about_the_input(tmp_path: Path):
    for command in ("run", "check", "pdf", "bulletin"):
        folder = pygk(command, ".")
        assert folder.returncode == 2 and folder.stderr.strip() == (
            f"文件“.”：这是一个文件夹，不是工作簿。请在后面写上工作簿的文件名，如 pygk {command} 通报.xlsx。"
        ), folder.stderr
        missing = tmp_path / "没有这个文件夹" / "通报.xlsx"
        no_folder = pygk(command, str(missing))
        assert no_folder.returncode == 2 and f"文件夹“{missing.parent}”不存在" in no_folder.stderr
        assert "输出" not in no_folder.stderr + folder.stderr and "写入" not in no_folder.stderr + folder.stderr
    assert not list(tmp_path.iterdir())


def test_an_unquoted_path_with_spaces_gets_a_hint(demo: Path):
    spaced = demo.with_name("2021年 11月通报.xlsx")
    demo.rename(spaced)
    result = pygk("run", str(spaced).split(" ")[0], "11月通报.xlsx")
    assert result.returncode == 2
    assert f'请用英文双引号把整个路径括起来，如：pygk run "{spaced}"' in result.stderr
    assert pygk("run", str(spaced)).returncode == 0


def test_readme_commands_work_in_windows_command_prompt_and_leave_git_clean():
    """cmd.exe takes no single quotes as quotes: the test command uses double ones; the demo's output is ignored."""
    blocks = re.findall(r"```\n(.*?)\n```", README, flags=re.S)
    tests = next(b for b in blocks if b.startswith("pip install -e"))
    assert tests == 'pip install -e ".[test]" && python -m pytest' and "'" not in README.split("# For developers")[0]
    demo = next(b for b in blocks if b.startswith("pip install . &&"))
    output = demo.split(" -o ")[1].strip()
    ignored = subprocess.run(["git", "check-ignore", "--no-index", "-v", output], cwd=ROOT, capture_output=True,
                             text=True)  # fmt: skip
    assert ignored.returncode == 0 and ".gitignore" in ignored.stdout, ignored
