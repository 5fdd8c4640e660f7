"""The `pygk` command: run or check a workbook; clerk-facing messages only, tracebacks on --verbose."""

from __future__ import annotations

import argparse
import re
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from pygk import __version__, files, texts
from pygk.errors import InputError, PygkError

EXIT_OK, EXIT_INPUT, EXIT_TEMPLATE, EXIT_UNEXPECTED = 0, 1, 2, 3


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help text with a Chinese 'usage' prefix."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[override]
        super().add_usage(usage, actions, groups, prefix=texts.CLI_USAGE if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse speaking Chinese: section titles, the help option, usage errors."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title, self._optionals.title = texts.CLI_POSITIONALS, texts.CLI_OPTIONALS
        self.add_argument("-h", "--help", action="help", help=texts.CLI_HELP_HELP)

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, chinese in texts.CLI_ERRORS:
            message = re.sub(pattern, chinese, message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_TEMPLATE, f"参数有误：{message}\n请运行 pygk --help 查看用法。\n")


def _command(commands, name: str, text: str) -> argparse.ArgumentParser:
    """A subcommand whose help is the first line of its text and whose description is all of it."""
    return commands.add_parser(name, help=text.split("\n")[0], description=text)


def parser() -> argparse.ArgumentParser:
    """The command-line parser (also used by the docs test)."""
    main_parser = _Parser(prog="pygk", description=texts.CLI_HELP)
    main_parser.add_argument("--version", action="version", version=f"pygk {__version__}", help=texts.CLI_VERSION_HELP)
    commands = main_parser.add_subparsers(dest="command", required=True, parser_class=_Parser,
                                          title=texts.CLI_COMMANDS, metavar="命令")  # fmt: skip
    book_help = "工作簿（.xlsx 或 .xlsm）"
    run_cmd = _command(commands, "run", texts.CLI_RUN_HELP)
    run_cmd.add_argument("book", type=Path, help=book_help)
    run_cmd.add_argument("-o", "--output", type=Path, help=texts.CLI_OUTPUT_HELP)
    check_cmd = _command(commands, "check", texts.CLI_CHECK_HELP)
    check_cmd.add_argument("book", type=Path, help=book_help)
    setup = _command(commands, "excel-setup", texts.CLI_SETUP_HELP)
    pdf = _command(commands, "pdf", texts.CLI_PDF_HELP)
    pdf.add_argument("book", type=Path, help=book_help)
    pdf.add_argument("-o", "--output", type=Path, help=texts.CLI_PDF_OUTPUT_HELP)
    bulletin = _command(commands, "bulletin", texts.CLI_BULLETIN_HELP)
    bulletin.add_argument("book", type=Path, help=book_help)
    bulletin.add_argument("-o", "--output", type=Path, help=texts.CLI_BULLETIN_OUTPUT_HELP)
    bulletin.add_argument("--pdf", action="store_true", help=texts.CLI_BULLETIN_PDF_HELP)
    history_commands = _command(commands, "history", texts.CLI_HISTORY_HELP).add_subparsers(
        dest="history_command", required=True, parser_class=_Parser
    )
    add = _command(history_commands, "add", texts.CLI_HISTORY_ADD_HELP)
    add.add_argument("old", type=Path, help="以前某个月的工作簿")
    add.add_argument("--into", type=Path, required=True, help="要写入“历史”表的工作簿")
    add.add_argument("--year", type=int, help="年份（旧工作簿没有“设置”表时必填）")
    add.add_argument("--month", type=int, help="月份（旧工作簿没有“设置”表时必填）")
    for sub in (run_cmd, check_cmd, setup, pdf, bulletin, add):
        sub.add_argument("-v", "--verbose", action="store_true", help=texts.CLI_VERBOSE_HELP)
    return main_parser


def excel_setup(args: argparse.Namespace) -> int:
    """Write this Python's path where the workbook's xlwings VBA looks for it."""
    import platform

    from pygk.excel_setup import KEYS, setup_excel

    if sys.platform not in KEYS:
        print(texts.MSG_SETUP_NO_EXCEL.format(system=platform.system()), file=sys.stderr)
        return EXIT_TEMPLATE
    import xlwings

    config = Path(xlwings.USER_CONFIG_FILE)
    interpreter = setup_excel(config, sys.platform, Path(sys.executable))
    if sys.platform == "darwin":
        from xlwings.cli import runpython_install

        runpython_install(None)
    print(texts.MSG_SETUP_DONE.format(interpreter=interpreter, config=config))
    return EXIT_OK


def publish(args: argparse.Namespace) -> int:
    """`pygk pdf` and `pygk bulletin`."""
    from pygk import publish as publishing

    if args.command == "pdf":
        _, target = publishing.annex_pdf(args.book, args.output)
        written = [target]
    else:
        _, written = publishing.bulletin(args.book, args.output, pdf=args.pdf)
    for path in written:
        say(texts.MSG_WROTE.format(path=path))
    return EXIT_OK


def _progress_printer():
    """Progress lines on the terminal (stderr), nothing when output goes to a file or a pipe."""
    if not sys.stderr.isatty():
        return lambda message: None
    return lambda message: say(message, sys.stderr)


def run(args: argparse.Namespace) -> int:
    """`pygk run`: compute and write into the workbook (or -o)."""
    from pygk.xlsx import adapter

    plan = adapter.run(args.book, args.output, progress=_progress_printer())
    say(texts.MSG_DONE.format(path=args.output or args.book))
    say(plan.summary)
    return EXIT_OK


def check(args: argparse.Namespace) -> int:
    """`pygk check`: validate only."""
    from pygk.xlsx import adapter

    plan = adapter.check(args.book)
    say(texts.MSG_CHECK_OK.format(groups=len(plan.annexes), units=plan.unit_count))
    return EXIT_OK


def history(args: argparse.Namespace) -> int:
    """`pygk history add`: merge an earlier month into the 历史 sheet."""
    from pygk.xlsx import adapter

    (year, month), units = adapter.import_history(args.old, args.into, args.year, args.month)
    period = texts.PERIOD_LABEL.format(year=year, month=month)
    say(texts.MSG_IMPORTED.format(period=period, units=units, book=args.into))
    return EXIT_OK


HANDLERS = {"run": run, "check": check, "excel-setup": excel_setup, "pdf": publish, "bulletin": publish,
            "history": history}  # fmt: skip


EXIT_INTERRUPTED = 130  # what shells report for a program stopped by Ctrl+C


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status.

    Nothing escapes as a traceback (exit 3 and --verbose are the developer's path). What
    the clerk reads after a failure depends on whether the workbook was already written:
    only when it was not does pygk say it is unchanged.
    """
    _tolerant_streams()
    files.committed.clear()
    args = None
    try:
        args = parser().parse_args(argv)
        return HANDLERS[args.command](args)
    except KeyboardInterrupt:
        written = _written(args)
        say(texts.MSG_INTERRUPTED_AFTER_WRITE.format(path=written) if written else texts.MSG_INTERRUPTED, sys.stderr)
        return EXIT_INTERRUPTED
    except PygkError as error:
        return _refused(args, error)
    except OSError as error:  # the file system failed where no step expected it: still a clerk's message
        return _refused(args, files.os_failure(error.filename, error), cause=error)
    except Exception as error:  # noqa: BLE001 - the clerk gets one line, developers get --verbose
        if args is not None and args.verbose:
            traceback.print_exc()
        detail = f"{type(error).__name__}: {error}"
        written = _written(args)
        message = texts.MSG_UNEXPECTED_AFTER_WRITE.format(path=written, detail=detail) if written else None
        say(message or texts.MSG_UNEXPECTED.format(detail=detail), sys.stderr)
        return EXIT_UNEXPECTED


def _refused(args: argparse.Namespace | None, error: PygkError, cause: BaseException | None = None) -> int:
    """Report a PygkError (exit 1 for the clerk's data, 2 for the file); never 'unchanged' after a write."""
    if args is not None and args.verbose:
        traceback.print_exception(cause or error)
    written = _written(args)
    if written:
        lines = [texts.MSG_PROBLEMS_AFTER_WRITE.format(path=written, count=len(error.problems))]
        say("\n".join(lines + [f"  {problem}" for problem in error.problems]), sys.stderr)
    else:
        say(error.report(indent="  "), sys.stderr)
    return EXIT_INPUT if isinstance(error, InputError) else EXIT_TEMPLATE


def _written(args: argparse.Namespace | None) -> Path | None:
    """The clerk's file (the workbook, -o, --into) that this command has already replaced or created, if any."""
    if args is None or not files.committed:
        return None
    named = [getattr(args, key, None) for key in ("output", "into", "book")]
    for path in (Path(p) for p in named if p is not None):
        if files.real_path(path) in files.committed:
            return path
    return None


def say(text: str, stream=None) -> None:
    """Print a line for the clerk; a console that cannot show it (or is gone) never turns success into failure."""
    stream = sys.stdout if stream is None else stream
    try:
        print(text, file=stream, flush=True)
    except (OSError, UnicodeError, ValueError):
        pass


def _tolerant_streams() -> None:
    """Characters the console cannot show become '?' instead of an error (Wine's console and Chinese text)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):
            pass


if __name__ == "__main__":
    sys.exit(main())
