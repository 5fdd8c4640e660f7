"""Errors a clerk is shown, in two kinds: input they can fix, and a broken template."""

from __future__ import annotations

from dataclasses import dataclass

from pygk.core import texts


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is and what to do about it."""

    message: str
    sheet: str | None = None
    cell: str | None = None
    path: str | None = None

    def __str__(self) -> str:
        if self.sheet is not None and self.cell is not None:
            where = texts.WHERE_CELL.format(sheet=self.sheet, cell=self.cell)
        elif self.sheet is not None:
            where = texts.WHERE_SHEET.format(sheet=self.sheet)
        elif self.path is not None:
            where = texts.WHERE_FILE.format(path=self.path)
        else:
            where = ""
        return where + self.message


class PygkError(Exception):
    """Base of every error whose message is meant for the clerk, word for word."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def report(self, indent: str = "", limit: int | None = None) -> str:
        """The problems for the clerk: a count heading when there are several, one line each, at most `limit`."""
        problems = self.problems
        if len(problems) == 1:
            return str(problems[0])
        shown = problems if limit is None else problems[:limit]
        lines = [texts.MSG_SUMMARY_PROBLEMS.format(count=len(problems)), *(indent + str(p) for p in shown)]
        if len(shown) < len(problems):
            lines.append(indent + texts.MSG_LIVE_MORE.format(count=len(problems) - len(shown)))
        return "\n".join(lines)


class InputError(PygkError):
    """The clerk's data or settings are wrong; each problem says where and how to fix it."""


class TemplateError(PygkError):
    """The workbook itself cannot be used: not a workbook, encrypted, locked or broken."""
