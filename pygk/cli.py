"""The `pygk` command: run or check a workbook; clerk-facing messages only, tracebacks on --verbose."""

from __future__ import annotations

import argparse
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from pygk import __version__, collect_less
from pygk.adapters import files
from pygk.core import texts
from pygk.core.errors import InputError, Problem, PygkError, TemplateError

EXIT_OK, EXIT_INPUT, EXIT_TEMPLATE, EXIT_UNEXPECTED = 0, 1, 2, 3


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help text with a Chinese 'usage' prefix."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[Any], prefix: str | None = None) -> None:  # fmt: skip
        super().add_usage(usage, actions, groups, prefix=texts.CLI_USAGE if prefix is None else prefix)

    def _format_action(self, action: argparse.Action) -> str:
        """The commands listed under their heading, without argparse's extra '命令' line above them."""
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001 - argparse has no public type for it
            return "".join(self._format_action(sub) for sub in action._get_subactions())  # noqa: SLF001
        return super()._format_action(action)


class _Parser(argparse.ArgumentParser):
    """argparse speaking Chinese: section titles, the help option, usage errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title, self._optionals.title = texts.CLI_POSITIONALS, texts.CLI_OPTIONALS
        self.add_argument("-h", "--help", action="help", help=texts.CLI_HELP_HELP)

    def error(self, message: str) -> None:  # type: ignore[override]
        extra = re.match(r"^unrecognized arguments: (.*)$", message)
        for pattern, chinese in texts.CLI_ERRORS:
            message = re.sub(pattern, chinese, message)
        self.print_usage(sys.stderr)
        argv = getattr(self, "argv", None)
        hint = _quote_hint(argv, extra.group(1)) if extra and argv else ""
        self.exit(EXIT_TEMPLATE, texts.CLI_ARGUMENT_ERROR.format(message=message) + hint)


def _quote_hint(argv: Sequence[str], extra: str) -> str:
    """For words left over after a path (a path with spaces, unquoted): how to quote it, with that path joined."""
    words = extra.split(" ")
    for start in range(len(argv) - len(words), 1, -1):
        if list(argv[start : start + len(words)]) == words and not argv[start - 1].startswith("-"):
            path = " ".join(argv[start - 1 : start + len(words)])
            return texts.HINT_QUOTE_PATH.format(command=argv[0], path=path) + "\n"
    return ""


def _command(commands: Any, name: str, text: str) -> argparse.ArgumentParser:
    """A subcommand whose help is the first line of its text and whose description is all of it."""
    sub: argparse.ArgumentParser = commands.add_parser(name, help=text.split("\n")[0], description=text)
    return sub


def parser() -> argparse.ArgumentParser:
    """The command-line parser (also used by the docs test)."""
    main_parser = _Parser(prog="pygk", description=texts.CLI_HELP)
    main_parser.add_argument("--version", action="version", version=f"pygk {__version__}", help=texts.CLI_VERSION_HELP)
    commands = main_parser.add_subparsers(dest="command", required=True, parser_class=_Parser,
                                          title=texts.CLI_COMMANDS, metavar=texts.CLI_COMMANDS)  # fmt: skip
    book_help = texts.CLI_BOOK_HELP
    run_cmd = _command(commands, "run", texts.CLI_RUN_HELP)
    run_cmd.add_argument("book", type=Path, metavar=texts.CLI_META_BOOK, help=book_help)
    run_cmd.add_argument("-o", "--output", type=Path, metavar=texts.CLI_META_FILE, help=texts.CLI_OUTPUT_HELP)
    check_cmd = _command(commands, "check", texts.CLI_CHECK_HELP)
    check_cmd.add_argument("book", type=Path, metavar=texts.CLI_META_BOOK, help=book_help)
    setup = _command(commands, "excel-setup", texts.CLI_SETUP_HELP)
    pdf = _command(commands, "pdf", texts.CLI_PDF_HELP)
    pdf.add_argument("book", type=Path, metavar=texts.CLI_META_BOOK, help=book_help)
    pdf.add_argument("-o", "--output", type=Path, metavar=texts.CLI_META_FILE, help=texts.CLI_PDF_OUTPUT_HELP)
    bulletin = _command(commands, "bulletin", texts.CLI_BULLETIN_HELP)
    bulletin.add_argument("book", type=Path, metavar=texts.CLI_META_BOOK, help=book_help)
    bulletin.add_argument("-o", "--output", type=Path, metavar=texts.CLI_META_FILE, help=texts.CLI_BULLETIN_OUTPUT_HELP)
    bulletin.add_argument("--pdf", action="store_true", help=texts.CLI_BULLETIN_PDF_HELP)
    notices = _command(commands, "notices", texts.CLI_NOTICES_HELP)
    notices.add_argument("book", type=Path, metavar=texts.CLI_META_BOOK, help=book_help)
    notices.add_argument("-o", "--output", type=Path, metavar=texts.CLI_META_FILE, help=texts.CLI_NOTICES_OUTPUT_HELP)
    notices.add_argument("--pdf", action="store_true", help=texts.CLI_BULLETIN_PDF_HELP)
    history_cmd = _command(commands, "history", texts.CLI_HISTORY_HELP)
    history_cmd.set_defaults(history_parser=history_cmd)
    history_commands = history_cmd.add_subparsers(dest="history_command", parser_class=_Parser,
                                                  title=texts.CLI_COMMANDS, metavar=texts.CLI_COMMANDS)  # fmt: skip
    add = _command(history_commands, "add", texts.CLI_HISTORY_ADD_HELP)
    add.add_argument("old", type=Path, metavar=texts.CLI_META_OLD_BOOK, help=texts.CLI_OLD_HELP)
    add.add_argument("--into", type=Path, required=True, metavar=texts.CLI_META_BOOK, help=texts.CLI_INTO_HELP)
    add.add_argument(
        "--year", type=_ranged(1900, 9999, texts.CLI_BAD_YEAR), metavar=texts.CLI_META_YEAR, help=texts.CLI_YEAR_HELP
    )
    add.add_argument(
        "--month", type=_ranged(1, 12, texts.CLI_BAD_MONTH), metavar=texts.CLI_META_MONTH, help=texts.CLI_MONTH_HELP
    )
    for sub in (run_cmd, check_cmd, setup, pdf, bulletin, notices, add):
        sub.add_argument("-v", "--verbose", action="store_true", help=texts.CLI_VERBOSE_HELP)
    return main_parser


def _ranged(lowest: int, highest: int, message: str) -> Callable[[str], int]:
    """An argparse type: an integer from `lowest` to `highest`, else a Chinese message naming what was typed."""

    def convert(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or not lowest <= number <= highest:
            raise argparse.ArgumentTypeError(message.format(found=text))
        return number

    return convert


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
    """`pygk pdf`, `pygk bulletin` and `pygk notices`."""
    from pygk.publish import outputs as publishing

    if args.command == "pdf":
        _, target, substituted = publishing.annex_pdf(args.book, args.output)
        written = [target]
    elif args.command == "notices":
        _, written, substituted = publishing.notices(args.book, args.output, pdf=args.pdf)
    else:
        _, written, substituted = publishing.bulletin(args.book, args.output, pdf=args.pdf)
    for path in written:
        say(texts.MSG_WROTE.format(path=path))
    if substituted:
        pairs = texts.JOIN_UNITS.join(texts.FONT_PAIR.format(wanted=font, used=face) for font, face in substituted)
        say(texts.MSG_FONTS_SUBSTITUTED.format(pairs=pairs))
    return EXIT_OK


def _progress_printer() -> Callable[[str], None]:
    """Progress lines on the terminal (stderr), nothing when output goes to a file, a pipe or nowhere."""
    if not _is_terminal(sys.stderr):
        return lambda message: None
    return lambda message: say(message, sys.stderr)


def _is_terminal(stream: TextIO | None) -> bool:
    """Whether `stream` is an open terminal; pythonw has no streams at all (None), a closed one raises."""
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False


def run(args: argparse.Namespace) -> int:
    """`pygk run`: compute and write into the workbook (or -o)."""
    from pygk.adapters.xlsx import adapter

    plan = adapter.run(args.book, args.output, progress=_progress_printer())
    say(texts.MSG_DONE.format(path=args.output or args.book))
    say(plan.summary)
    _warn(plan.warnings)
    return EXIT_OK


def _warn(warnings: Sequence[Problem]) -> None:
    """Located notes that did not stop the run (an entered 总分 that differs from its items), on stderr."""
    if warnings:
        say(texts.MSG_WARNINGS.format(count=len(warnings)), sys.stderr)
        for warning in warnings:
            say("  " + str(warning), sys.stderr)


def check(args: argparse.Namespace) -> int:
    """`pygk check`: validate only."""
    from pygk.adapters.xlsx import adapter

    plan = adapter.check(args.book)
    say(texts.MSG_CHECK_OK.format(groups=len(plan.updates), units=plan.unit_count))
    _warn(plan.warnings)
    return EXIT_OK


def history(args: argparse.Namespace) -> int:
    """`pygk history add`: merge an earlier month into the 历史 sheet; `pygk history` alone shows its help."""
    from pygk.adapters.xlsx import adapter

    if args.history_command is None:
        args.history_parser.print_help(sys.stderr)
        return EXIT_TEMPLATE
    (year, month), units = adapter.import_history(args.old, args.into, args.year, args.month)
    period = texts.PERIOD_LABEL.format(year=year, month=month)
    given = [f"--{key} {value}" for key, value in (("year", args.year), ("month", args.month)) if value is not None]
    if given and (args.year or year, args.month or month) != (year, month):  # the old workbook's 设置 won
        say(texts.MSG_IMPORT_SETTINGS_WIN.format(period=period, given=" ".join(given)), sys.stderr)
    say(texts.MSG_IMPORTED.format(period=period, units=units, book=args.into))
    return EXIT_OK


HANDLERS = {"run": run, "check": check, "excel-setup": excel_setup, "pdf": publish, "bulletin": publish,
            "notices": publish, "history": history}  # fmt: skip


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
        command_line = parser()
        command_line.argv = list(sys.argv[1:] if argv is None else argv)  # type: ignore[attr-defined]
        args = command_line.parse_args(argv)
        _check_inputs(args)
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
        if args is not None and getattr(args, "verbose", False):
            traceback.print_exc()
        say(_unexpected(args, f"{type(error).__name__}: {error}"), sys.stderr)
        return EXIT_UNEXPECTED


READ_ONLY_COMMANDS = ("check", "pdf", "bulletin", "notices")  # they read the workbook and never write it


def _unexpected(args: argparse.Namespace | None, detail: str) -> str:
    """The one line for an error nobody planned a message for: what was written, and never a beside-the-point claim."""
    written = _written(args)
    if written:
        return texts.MSG_UNEXPECTED_AFTER_WRITE.format(path=written, detail=detail)
    produced = _produced(args)
    if produced:
        return texts.MSG_UNEXPECTED_AFTER_OUTPUT.format(path=produced, detail=detail)
    command = getattr(args, "command", None)
    if command == "check":
        return texts.MSG_UNEXPECTED_CHECK.format(detail=detail)
    if command in READ_ONLY_COMMANDS:
        return texts.MSG_UNEXPECTED_NO_OUTPUT.format(detail=detail)
    return texts.MSG_UNEXPECTED.format(detail=detail)


def _produced(args: argparse.Namespace | None) -> Path | None:
    """The last new document (.docx, .pdf) a read-only command has written, if any."""
    if getattr(args, "command", None) not in READ_ONLY_COMMANDS:
        return None
    documents = [path for path in files.committed if path.suffix.lower() in (".docx", ".pdf")]  # not temporary copies
    return documents[-1] if documents else None


def _check_inputs(args: argparse.Namespace) -> None:
    """Workbooks named on the command line exist as files; one open in Excel is noted when it is only read."""
    from pygk.adapters.xlsx.package import lock_files

    read_only = {"book": args.command in READ_ONLY_COMMANDS or getattr(args, "output", None) is not None, "old": True}
    for key in ("book", "old", "into"):
        path = getattr(args, key, None)
        if path is None:
            continue
        problem = _input_problem(Path(path), args.command)
        if problem is not None:
            raise TemplateError([problem])
        if read_only.get(key):
            for lock in lock_files(Path(path)):
                if os.path.lexists(lock):
                    say(texts.MSG_BOOK_OPEN_ELSEWHERE.format(book=path, lock=lock.name), sys.stderr)
                    break


def _input_problem(path: Path, command: str) -> Problem | None:
    """What is wrong with a workbook path before it is opened: a folder, a missing folder, a missing file."""
    if path.is_dir():
        return Problem(texts.MSG_BOOK_IS_FOLDER.format(command=command), path=str(path))
    if not path.absolute().parent.is_dir():
        return Problem(texts.MSG_BOOK_NO_FOLDER.format(folder=path.parent), path=str(path))
    if not path.is_file():
        return Problem(texts.MSG_NOT_FOUND, path=str(path))
    return None


def _refused(args: argparse.Namespace | None, error: PygkError, cause: BaseException | None = None) -> int:
    """Report a PygkError (exit 1 for the clerk's data, 2 for the file); never 'unchanged' after a write."""
    if args is not None and getattr(args, "verbose", False):
        traceback.print_exception(cause or error)
    written, produced = _written(args), _produced(args)
    if written or produced:
        heading = texts.MSG_PROBLEMS_AFTER_WRITE if written else texts.MSG_PROBLEMS_AFTER_OUTPUT
        lines = [heading.format(path=written or produced, count=len(error.problems))]
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


def say(text: str, stream: TextIO | None = None) -> None:
    """Print a line for the clerk; a console that cannot show it (or is gone) never turns success into failure."""
    stream = sys.stdout if stream is None else stream
    if stream is None:  # pythonw: no console, nobody to tell
        return
    try:
        print(text, file=stream, flush=True)
    except (OSError, UnicodeError, ValueError):
        pass


def _tolerant_streams() -> None:
    """Characters the console cannot show become '?' instead of an error (a code page without Chinese, Wine)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass


def _quiet_streams() -> None:
    """A stream that is gone (a closed pipe) is pointed at the null device, so Python's flush at exit cannot fail.

    Otherwise Python would report the failed flush and exit with status 120 after a successful run.
    """
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except (OSError, ValueError):
            try:
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, stream.fileno())
                os.close(null)
            except (OSError, ValueError):
                pass


def run_main(entry: Callable[[], int] | None = None) -> None:
    """`python -m pygk` and the console script (or another entry point): exit with its status, whatever became of
    the console."""
    _tolerant_streams()
    collect_less()
    status = (entry or main)()
    _quiet_streams()
    sys.exit(status)


if __name__ == "__main__":
    run_main()
