"""Entry points for the Excel ribbon; the VBA dispatcher runs

    RunPython "import pygk.excel; pygk.excel.main('<button tag>')"

Each click starts a fresh Python, so this module imports nothing heavy at load time:
xlwings, pandas and the core are imported inside the functions that need them.
"""

from __future__ import annotations

import datetime
import traceback
from pathlib import Path
from typing import Any

from pygk import __version__, collect_less
from pygk.core import texts

LOG_FILE = Path.home() / ".pygk" / "pygk.log"
MAX_LISTED_PROBLEMS = 15
COMMANDS = {"check": frozenset(), "rank": frozenset({"inputs"}), "annex": frozenset({"annexes"}),
            "bulletin": frozenset({"bulletin"}), "all": frozenset({"inputs", "annexes", "bulletin", "history"}),
            "pdf": frozenset({"annexes"}), "docx": frozenset(), "notices": frozenset(),
            "trend": frozenset({"history"})}  # fmt: skip


def main(command: str) -> None:
    """Called by the ribbon: run one button's command on the workbook that called."""
    import xlwings as xw

    collect_less()
    run_command(xw.Book.caller(), command)


def _notes(plan: Any) -> str:
    """The plan's warnings under a heading, for an alert; '' when there are none."""
    if not plan.warnings:
        return ""
    lines = [
        texts.MSG_WARNINGS.format(count=len(plan.warnings)),
        *(str(w) for w in plan.warnings[:MAX_LISTED_PROBLEMS]),
    ]
    return "\n\n" + "\n".join(lines)


def _alert(book: Any, message: str, mode: str = "info") -> None:
    book.app.alert(message, title=texts.ALERT_TITLE, buttons="ok", mode=mode)


def _status(book: Any, message: str | bool) -> None:
    """Progress in Excel's status bar; skipped where the engine has none (xlwings' remote engine)."""
    try:
        book.app.status_bar = message
    except NotImplementedError:
        pass


def log_exception() -> Path:
    """Append the current traceback to the log file and return its path."""
    LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
    with open(LOG_FILE, "a", encoding="utf-8") as log:
        log.write(f"--- {datetime.datetime.now().isoformat(timespec='seconds')} pygk {__version__}\n")
        log.write(traceback.format_exc())
    return LOG_FILE


def run_command(book: Any, command: str) -> None:
    """One ribbon command on an xlwings Book; every outcome ends in a Chinese alert or status message."""
    from pygk.core.errors import PygkError

    if command == "about":
        _alert(book, texts.MSG_ABOUT.format(version=__version__))
        return
    if command == "import":
        _import_history(book)
        return
    writing = False
    try:
        from pygk.adapters import live
        from pygk.core.plan import build_plan

        parts = COMMANDS[command]
        _status(book, texts.PROGRESS_READ)
        grids = live.LiveGrids(book)
        plan = build_plan(grids, grids.ownership())
        if command == "check":
            _status(book, False)
            _alert(book, texts.MSG_CHECK_OK.format(groups=len(plan.updates), units=plan.unit_count) + _notes(plan))
            return
        writing = True
        live.apply(book, plan, parts, progress=lambda message: _status(book, message))
        if command == "pdf":
            _export_pdf(book, plan)
        elif command == "docx":
            _export_docx(book, plan)
        elif command == "notices":
            _export_notices(book, plan)
        elif command == "all":
            _alert(book, texts.MSG_LIVE_DONE.format(summary=plan.summary) + _notes(plan))
        else:
            done = "、".join(texts.DONE_PARTS[part] for part in sorted(parts))
            _status(book, texts.MSG_LIVE_WRITTEN.format(what=done))
            return
    except PygkError as error:
        _alert(book, error.report(limit=MAX_LISTED_PROBLEMS), mode="critical")
    except Exception:  # noqa: BLE001 - the clerk gets a short message, the log gets the traceback
        log = log_exception()
        message = texts.MSG_LIVE_PARTIAL if writing else texts.MSG_LIVE_UNEXPECTED
        _alert(book, message.format(log=log), mode="critical")
    _status(book, False)


def _pick_workbook(book: Any) -> Path | None:
    """A workbook chosen in Excel's file dialog (Windows); None if cancelled or there is no dialog."""
    from pygk.adapters.live import windows_excel

    if not windows_excel(book):
        raise NotImplementedError("no file dialog")
    chosen = book.app.api.GetOpenFilename("Excel (*.xlsx;*.xlsm),*.xlsx;*.xlsm", 1, texts.MSG_IMPORT_PICK)
    return Path(chosen) if chosen else None


def import_into(book: Any, old: Path) -> None:
    """Merge an earlier month's workbook file into the open workbook's 历史 sheet."""
    from pygk.adapters import live
    from pygk.adapters.xlsx.adapter import SheetGrids, open_book
    from pygk.core.errors import InputError
    from pygk.core.importing import imported_history
    from pygk.core.ownership import generated_sheet_problems

    package, workbook = open_book(old)
    try:
        grids = live.LiveGrids(book)
        (year, month), units, update = imported_history(SheetGrids(package, workbook), grids)
    finally:
        package.close()
    problems = generated_sheet_problems(texts.HISTORY_SHEET, texts.WHAT_HISTORY, grids, grids.ownership())
    if problems:
        raise InputError(problems)
    live.write_history(book, list(update.rows()), live.windows_excel(book))
    period = texts.PERIOD_LABEL.format(year=year, month=month)
    _alert(book, texts.MSG_IMPORTED.format(period=period, units=units, book=book.name))


def _import_history(book: Any) -> None:
    """The ribbon's 导入历史: pick a file, merge it into 历史; every outcome ends in an alert."""
    from pygk.core.errors import PygkError

    try:
        old = _pick_workbook(book)
        if old is not None:
            import_into(book, old)
    except NotImplementedError:
        _alert(book, texts.MSG_IMPORT_USE_CLI, mode="critical")
    except PygkError as error:
        _alert(book, error.report(limit=MAX_LISTED_PROBLEMS), mode="critical")
    except Exception:  # noqa: BLE001 - the clerk gets a short message, the log gets the traceback
        _alert(book, texts.MSG_LIVE_PARTIAL.format(log=log_exception()), mode="critical")


def _beside(book: Any, name: str) -> Path:
    """A new file name in the workbook's folder that does not exist yet."""
    from pygk.adapters.files import free_name

    return free_name(Path(book.fullname).absolute().parent / name)


def _export_docx(book: Any, plan: Any) -> None:
    """The whole bulletin as .docx beside the workbook."""
    from pygk.publish.outputs import save_bulletin

    target = _beside(book, texts.BULLETIN_NAME.format(year=plan.settings.year, month=plan.settings.month))
    save_bulletin(plan, target)
    _alert(book, texts.MSG_WROTE.format(path=target))


def _export_notices(book: Any, plan: Any) -> None:
    """The month's 整改通知 as one .docx beside the workbook; an alert when nobody gets one."""
    from pygk.publish.outputs import save_notices

    if not plan.notices:
        _alert(book, texts.MSG_NO_NOTICES)
        return
    target = _beside(book, texts.NOTICES_NAME.format(year=plan.settings.year, month=plan.settings.month))
    save_notices(plan, target)
    _alert(book, texts.MSG_WROTE.format(path=target))


def _export_pdf(book: Any, plan: Any) -> None:
    """The annex sheets as one PDF beside the workbook, never over an existing file."""
    _status(book, texts.PROGRESS_PDF)
    target = _beside(book, texts.ANNEX_PDF_NAME.format(year=plan.settings.year, month=plan.settings.month))
    try:
        book.to_pdf(str(target), include=[annex.sheet for annex in plan.annexes], show=False)
    except NotImplementedError:
        _alert(book, texts.MSG_PDF_UNSUPPORTED, mode="critical")
        return
    _alert(book, texts.MSG_PDF_DONE.format(path=target))
