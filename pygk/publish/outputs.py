"""Print and publish: the annex sheets as PDF, the whole bulletin as .docx (and PDF).

Nothing here changes the clerk's workbook: the plan is written into a temporary copy.
Outputs are written atomically and never over an existing file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from pygk.adapters import locking
from pygk.adapters.files import free_name, os_failure, write_atomic
from pygk.core import layout, texts
from pygk.core.errors import Problem, TemplateError
from pygk.core.plan import Plan
from pygk.publish.office import to_pdf


def output_path(book: Path, given: Path | None, default_name: str) -> Path:
    """An explicit output must not exist yet; a default name beside the workbook gets （2）, （3）, … if taken."""
    if given is not None:
        if given.exists():
            raise TemplateError([Problem(texts.MSG_OUTPUT_EXISTS, path=str(given))])
        if not given.absolute().parent.is_dir():
            raise TemplateError([Problem(texts.MSG_OUTPUT_NO_FOLDER, path=str(given))])
        return given
    return free_name(book.absolute().parent / default_name)


Substitutions = list[tuple[str, str]]  # (公文 font missing here, face the PDF used instead)


def annex_pdf(book: Path, output: Path | None = None) -> tuple[Plan, Path, Substitutions]:
    """The annex sheets of a freshly computed plan as one PDF, and the fonts it had to substitute."""
    from pygk.adapters.xlsx import adapter

    given = output_path(book, output, "") if output is not None else None  # refuse before any work
    with tempfile.TemporaryDirectory(prefix="pygk-") as folder:
        full = Path(folder) / "full.xlsx"
        plan = adapter.run(book, full)
        default = texts.ANNEX_PDF_NAME.format(year=plan.settings.year, month=plan.settings.month)
        target = given or output_path(book, None, default)
        annexes = Path(folder) / f"{target.stem}.xlsx"
        wanted = {annex.sheet for annex in plan.annexes}  # pygk's annexes, not a clerk's 附件３
        keep_sheets(full, annexes, wanted.__contains__)
        substituted = to_pdf(annexes, target, layout.ANNEX_FONTS)
    return plan, target, substituted


def keep_sheets(source: Path, target: Path, keep: Callable[[str], bool]) -> None:
    """A copy of a workbook file with only the sheets `keep` accepts (for printing some sheets alone)."""
    from pygk.adapters.xlsx.package import Package
    from pygk.adapters.xlsx.workbook import Workbook

    package = Package(source)
    try:
        workbook = Workbook(package)
        for name in [s.name for s in workbook.sheets if not keep(s.name)]:
            workbook.remove_sheet(name)
        workbook.finish()
        package.save(target)
    finally:
        package.close()


def bulletin(book: Path, output: Path | None = None, pdf: bool = False) -> tuple[Plan, list[Path], Substitutions]:
    """The whole bulletin as .docx (and, with `pdf`, the same as PDF beside it), and the fonts the PDF substituted."""
    from pygk.adapters.xlsx import adapter
    from pygk.publish.docx_bulletin import FONTS_USED

    with locking.holding(book, required=False):  # no run may change the workbook while it is read
        plan = adapter.check(book)
        settings = plan.settings
        target = output_path(book, output, texts.BULLETIN_NAME.format(year=settings.year, month=settings.month))
        save_bulletin(plan, target)
    return plan, *with_pdf(target, pdf, FONTS_USED)


def with_pdf(target: Path, pdf: bool, fonts: tuple[str, ...]) -> tuple[list[Path], Substitutions]:
    """A written .docx and, with `pdf`, its PDF beside it (never over a file); the fonts the PDF substituted."""
    if not pdf:
        return [target], []
    pdf_target = free_name(target.with_suffix(".pdf"))
    return [target, pdf_target], to_pdf(target, pdf_target, fonts)


def save_docx(data: bytes, target: Path) -> None:
    """A document written atomically to `target`, never over an existing file."""
    try:
        write_atomic(target, data, replace=False)
    except OSError as error:
        raise os_failure(target, error, texts.MSG_CANNOT_WRITE_CAUSE) from None


def save_bulletin(plan: Plan, target: Path) -> None:
    """The bulletin .docx of a plan, written atomically to `target`."""
    from pygk.publish.docx_bulletin import bulletin_bytes

    save_docx(bulletin_bytes(plan), target)


def save_notices(plan: Plan, target: Path) -> None:
    """The 整改通知 .docx of a plan (one section per notice), written atomically to `target`."""
    from pygk.publish.docx_notices import notices_bytes

    save_docx(notices_bytes(plan), target)


def notices(book: Path, output: Path | None = None, pdf: bool = False) -> tuple[Plan, list[Path], Substitutions]:
    """The month's 整改通知 as one .docx (and, with `pdf`, PDF beside it); refused when nobody gets one."""
    from pygk.adapters.xlsx import adapter
    from pygk.publish.docx_bulletin import FONTS_USED

    with locking.holding(book, required=False):
        plan = adapter.check(book)
        if not plan.notices:
            raise TemplateError([Problem(texts.MSG_NO_NOTICES, path=str(book))])
        settings = plan.settings
        target = output_path(book, output, texts.NOTICES_NAME.format(year=settings.year, month=settings.month))
        save_notices(plan, target)
    return plan, *with_pdf(target, pdf, FONTS_USED)
