"""The `pygk` command: run or check a workbook; clerk-facing messages only, tracebacks on --verbose."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from pygk import __version__, texts
from pygk.errors import InputError, PygkError

EXIT_OK, EXIT_INPUT, EXIT_TEMPLATE, EXIT_UNEXPECTED = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors reported in Chinese."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_TEMPLATE, f"参数有误：{message}\n请运行 pygk --help 查看用法。\n")


def parser() -> argparse.ArgumentParser:
    """The command-line parser (also used by the docs test)."""
    main_parser = _Parser(prog="pygk", description=texts.CLI_HELP)
    main_parser.add_argument("--version", action="version", version=f"pygk {__version__}")
    commands = main_parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser("run", help=texts.CLI_RUN_HELP.split("\n")[0], description=texts.CLI_RUN_HELP,
                              formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    run.add_argument("book", type=Path, help="工作簿（.xlsx 或 .xlsm）")
    run.add_argument("-o", "--output", type=Path, help=texts.CLI_OUTPUT_HELP)
    check = commands.add_parser("check", help=texts.CLI_CHECK_HELP.split("\n")[0], description=texts.CLI_CHECK_HELP,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    check.add_argument("book", type=Path, help="工作簿（.xlsx 或 .xlsm）")
    setup = commands.add_parser("excel-setup", help=texts.CLI_SETUP_HELP.split("\n")[0],
                                description=texts.CLI_SETUP_HELP,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    pdf = commands.add_parser("pdf", help=texts.CLI_PDF_HELP.split("\n")[0], description=texts.CLI_PDF_HELP,
                              formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    pdf.add_argument("book", type=Path, help="工作簿（.xlsx 或 .xlsm）")
    pdf.add_argument("-o", "--output", type=Path, help=texts.CLI_PDF_OUTPUT_HELP)
    bulletin = commands.add_parser("bulletin", help=texts.CLI_BULLETIN_HELP.split("\n")[0],
                                   description=texts.CLI_BULLETIN_HELP,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    bulletin.add_argument("book", type=Path, help="工作簿（.xlsx 或 .xlsm）")
    bulletin.add_argument("-o", "--output", type=Path, help=texts.CLI_BULLETIN_OUTPUT_HELP)
    bulletin.add_argument("--pdf", action="store_true", help=texts.CLI_BULLETIN_PDF_HELP)
    history = commands.add_parser("history", help=texts.CLI_HISTORY_HELP.split("\n")[0],
                                  description=texts.CLI_HISTORY_HELP,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    history_commands = history.add_subparsers(dest="history_command", required=True, parser_class=_Parser)
    add = history_commands.add_parser("add", help=texts.CLI_HISTORY_ADD_HELP.split("\n")[0],
                                      description=texts.CLI_HISTORY_ADD_HELP,
                                      formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    add.add_argument("old", type=Path, help="以前某个月的工作簿")
    add.add_argument("--into", type=Path, required=True, help="要写入“历史”表的工作簿")
    add.add_argument("--year", type=int, help="年份（旧工作簿没有“设置”表时必填）")
    add.add_argument("--month", type=int, help="月份（旧工作簿没有“设置”表时必填）")
    for sub in (run, check, setup, pdf, bulletin, add):
        sub.add_argument("-v", "--verbose", action="store_true", help=texts.CLI_VERBOSE_HELP)
    return main_parser


def excel_setup() -> int:
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
        print(texts.MSG_WROTE.format(path=path))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    args = parser().parse_args(argv)
    try:
        if args.command == "excel-setup":
            return excel_setup()
        if args.command in ("pdf", "bulletin"):
            return publish(args)
        if args.command == "history":
            from pygk.xlsx import adapter

            (year, month), units = adapter.import_history(args.old, args.into, args.year, args.month)
            period = texts.PERIOD_LABEL.format(year=year, month=month)
            print(texts.MSG_IMPORTED.format(period=period, units=units, book=args.into))
            return EXIT_OK
        from pygk.xlsx import adapter

        if args.command == "check":
            plan = adapter.check(args.book)
            print(texts.MSG_CHECK_OK.format(groups=len(plan.annexes), units=plan.unit_count))
        else:
            target = args.output or args.book
            plan = adapter.run(args.book, args.output)
            print(texts.MSG_DONE.format(path=target))
            print(plan.summary)
        return EXIT_OK
    except PygkError as error:
        if args.verbose:
            traceback.print_exc()
        if len(error.problems) > 1:
            print(texts.MSG_SUMMARY_PROBLEMS.format(count=len(error.problems)), file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}" if len(error.problems) > 1 else str(problem), file=sys.stderr)
        return EXIT_INPUT if isinstance(error, InputError) else EXIT_TEMPLATE
    except Exception as error:  # noqa: BLE001 - the clerk gets one line, developers get --verbose
        if args.verbose:
            traceback.print_exc()
        print(texts.MSG_UNEXPECTED.format(detail=f"{type(error).__name__}: {error}"), file=sys.stderr)
        return EXIT_UNEXPECTED


if __name__ == "__main__":
    sys.exit(main())
