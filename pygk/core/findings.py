"""Inspection findings: the 扣分规则 table and the 扣分明细 sheet, validated, and what they cost each unit (pure).

A rule says what one problem type under one 评分项目 costs: 每次扣分 per finding, at most
单项最多扣分 for one unit (blank: no cap), and whether one such finding makes the unit
不合格 (单项否决). A finding names a unit, a problem type and (optionally, when the type
belongs to one item only) its item; a blank 扣分 costs the rule's 每次扣分. A unit's
deduction for an item is the sum over its rules, each capped; the item's score is then
满分 minus that, never below 0 (`item_score`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from pygk.core import texts
from pygk.core.cells import MAX_NUMBER, Grid, at, cell_ref, is_date
from pygk.core.days import NotADay, read_day
from pygk.core.errors import Problem
from pygk.core.values import clean_name, format_number, header_key, is_blank, normalise_text, parse_number

HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Rule:
    """One row of 扣分规则."""

    problem: str
    item: str
    per_finding: float | None
    cap: float | None
    veto: bool
    row: int


@dataclass(frozen=True)
class Finding:
    """One row of 扣分明细, validated; days are Excel serial numbers (None when blank)."""

    row: int
    unit: str
    item: str
    problem: str
    description: str
    points: float
    found: int | None
    where: str
    deadline: int | None
    status: str
    unit_cell: str  # where the unit name is, for a message about an unknown unit

    @property
    def rectified(self) -> bool:
        """True when 整改情况 says 已整改."""
        return normalise_text(self.status) == texts.RECTIFIED


@dataclass(frozen=True)
class Findings:
    """The validated rules and findings, in sheet order."""

    rules: tuple[Rule, ...]
    items: tuple[Finding, ...]

    def rule(self, problem: str, item: str) -> Rule:
        """The rule of a (problem type, item) pair that a validated finding names."""
        return next(r for r in self.rules if r.problem == problem and r.item == item)

    def deductions(self) -> dict[str, dict[str, float]]:
        """unit -> item -> points deducted: each rule's sum capped, then summed per item."""
        per_rule: dict[tuple[str, str, str], float] = {}
        for finding in self.items:
            key = (finding.unit, finding.item, finding.problem)
            per_rule[key] = per_rule.get(key, 0.0) + finding.points
        result: dict[str, dict[str, float]] = {}
        for (unit, item, problem), points in per_rule.items():
            cap = self.rule(problem, item).cap
            capped = points if cap is None else min(points, cap)
            by_item = result.setdefault(unit, {})
            by_item[item] = round(by_item.get(item, 0.0) + capped, 6)
        return result

    def failed(self) -> dict[str, tuple[str, ...]]:
        """unit -> the veto problem types found there (units with none left out), in sheet order."""
        result: dict[str, list[str]] = {}
        for finding in self.items:
            if self.rule(finding.problem, finding.item).veto:
                found = result.setdefault(finding.unit, [])
                if finding.problem not in found:
                    found.append(finding.problem)
        return {unit: tuple(problems) for unit, problems in result.items()}


def item_score(maximum: float, deducted: float) -> float:
    """满分 minus the deductions, never below 0."""
    return max(0.0, round(maximum - deducted, 6))


def find_header(grid: Grid, first: str) -> int | None:
    """The row, among the first rows, holding the header cell `first`."""
    key = header_key(first)
    return next(
        (r for r in range(min(len(grid), HEADER_SEARCH_ROWS)) if any(header_key(v) == key for v in grid[r])), None
    )


def _columns(grid: Grid, sheet: str, header: Sequence[str], required: Sequence[str],
             problems: list[Problem]) -> tuple[int, dict[str, int]] | None:  # fmt: skip
    """The header row and each known column of a findings or rules sheet; None when a required one is missing."""
    row = find_header(grid, required[0])
    if row is None:
        columns = "、".join(header)
        problems.append(Problem(texts.MSG_FINDINGS_NO_HEADER.format(header=required[0], columns=columns), sheet))
        return None
    found: dict[str, int] = {}
    wanted = {header_key(name): name for name in header}
    for col, value in enumerate(grid[row]):
        name = wanted.get(header_key(value))
        if name is not None:
            found.setdefault(name, col)
    missing = [name for name in required if name not in found]
    for name in missing:
        problems.append(Problem(texts.MSG_FINDINGS_MISSING_COLUMN.format(column=name, row=row + 1), sheet))
    return None if missing else (row, found)


def read_rules(grid: Grid, categories: Sequence[str] | None, problems: list[Problem]) -> tuple[Rule, ...] | None:
    """The 扣分规则 sheet's rules; a Problem per bad cell; None when the sheet cannot be used."""
    sheet = texts.RULES_SHEET
    located = _columns(grid, sheet, texts.RULES_HEADER, texts.RULES_REQUIRED, problems)
    if located is None:
        return None
    header_row, cols = located
    start = len(problems)
    rules: list[Rule] = []
    first_row: dict[tuple[str, str], int] = {}

    def cell(r: int, name: str) -> object:
        return at(grid, r, cols[name]) if name in cols else None

    def report(message: str, r: int, name: str) -> None:
        problems.append(Problem(message, sheet, cell_ref(r, cols.get(name, cols[texts.F_PROBLEM]))))

    for r in range(header_row + 1, len(grid)):
        if all(is_blank(cell(r, name)) for name in cols):
            continue
        problem, item = clean_name(cell(r, texts.F_PROBLEM)), clean_name(cell(r, texts.F_ITEM))
        if not problem:
            report(texts.MSG_RULE_NO_PROBLEM, r, texts.F_PROBLEM)
            continue
        if categories is not None and item not in categories:
            report(texts.MSG_UNKNOWN_ITEM.format(item=item, items=_listed(categories)), r, texts.F_ITEM)
        elif (problem, item) in first_row:
            other = first_row[(problem, item)] + 1
            report(texts.MSG_RULE_DUPLICATE.format(problem=problem, item=item, other=other), r, texts.F_PROBLEM)
        first_row.setdefault((problem, item), r)
        amounts = []
        for name, blank in ((texts.R_PER_FINDING, texts.BLANK_PER_FINDING), (texts.R_CAP, texts.BLANK_CAP)):
            raw = cell(r, name)
            number = None if is_blank(raw) or is_date(raw) else parse_number(raw)
            if not is_blank(raw) and (number is None or number < 0 or number > MAX_NUMBER):
                found = normalise_text(raw)
                report(texts.MSG_RULE_BAD_NUMBER.format(column=name, found=found, blank=blank), r, name)
            amounts.append(number)
        veto = normalise_text(cell(r, texts.R_VETO))
        if veto not in ("", texts.YES, texts.NO):
            report(texts.MSG_RULE_BAD_VETO.format(found=veto), r, texts.R_VETO)
        rules.append(Rule(problem, item, amounts[0], amounts[1], veto == texts.YES, r))
    return None if len(problems) > start else tuple(rules)


def read_findings(grid: Grid, rules: Sequence[Rule], categories: Sequence[str] | None,
                  problems: list[Problem]) -> tuple[Finding, ...] | None:  # fmt: skip
    """The 扣分明细 sheet checked against the rules; a Problem per bad cell; None when it cannot be used.

    Units are checked later, against the rosters (`unknown_units`).
    """
    sheet = texts.FINDINGS_SHEET
    located = _columns(grid, sheet, texts.FINDINGS_HEADER, texts.FINDINGS_REQUIRED, problems)
    if located is None:
        return None
    header_row, cols = located
    start = len(problems)
    items_of: dict[str, list[str]] = {}
    for each in rules:
        items_of.setdefault(each.problem, []).append(each.item)
    by_pair = {(each.problem, each.item): each for each in rules}
    found: list[Finding] = []

    def cell(r: int, name: str) -> object:
        return at(grid, r, cols[name]) if name in cols else None

    def ref(r: int, name: str) -> str:
        return cell_ref(r, cols.get(name, cols[texts.UNIT]))

    def report(message: str, r: int, name: str) -> None:
        problems.append(Problem(message, sheet, ref(r, name)))

    for r in range(header_row + 1, len(grid)):
        if all(is_blank(cell(r, name)) for name in cols):
            continue
        before = len(problems)
        unit, problem = clean_name(cell(r, texts.UNIT)), clean_name(cell(r, texts.F_PROBLEM))
        item = clean_name(cell(r, texts.F_ITEM))
        if not unit:
            report(texts.MSG_FINDING_NO_UNIT, r, texts.UNIT)
        rule: Rule | None = None
        if not problem:
            report(texts.MSG_FINDING_NO_PROBLEM, r, texts.F_PROBLEM)
        elif problem not in items_of:
            report(texts.MSG_FINDING_UNKNOWN_PROBLEM.format(problem=problem), r, texts.F_PROBLEM)
        elif not item and len(items_of[problem]) > 1:
            report(texts.MSG_FINDING_ITEM_AMBIGUOUS.format(problem=problem, items=_listed(items_of[problem])), r,
                 texts.F_ITEM)  # fmt: skip
        elif item and categories is not None and item not in categories:
            report(texts.MSG_UNKNOWN_ITEM.format(item=item, items=_listed(categories)), r, texts.F_ITEM)
        elif item and (problem, item) not in by_pair:
            message = texts.MSG_FINDING_ITEM_MISMATCH.format(problem=problem, item=item,
                                                            rule_items=_listed(items_of[problem]))  # fmt: skip
            report(message, r, texts.F_ITEM)
        else:
            item = item or items_of[problem][0]
            rule = by_pair[(problem, item)]
        points = _points(cell(r, texts.F_POINTS), rule, problem, partial(report, r=r, name=texts.F_POINTS))
        days = []
        for name in (texts.F_FOUND, texts.F_DEADLINE):
            try:
                days.append(read_day(cell(r, name)))
            except NotADay:
                report(texts.MSG_FINDING_NOT_DATE.format(column=name, found=clean_name(cell(r, name))), r, name)
                days.append(None)
        if len(problems) > before or rule is None:
            continue
        found.append(Finding(
            row=r, unit=unit, item=item, problem=problem, description=clean_name(cell(r, texts.F_DESCRIPTION)),
            points=points, found=days[0], where=clean_name(cell(r, texts.F_WHERE)), deadline=days[1],
            status=clean_name(cell(r, texts.F_STATUS)), unit_cell=ref(r, texts.UNIT),
        ))  # fmt: skip
    return None if len(problems) > start else tuple(found)


def _points(raw: object, rule: Rule | None, problem: str, report: Callable[[str], None]) -> float:
    """A finding's 扣分: as typed, or the rule's 每次扣分 when blank (0 for a veto rule without one)."""
    if is_blank(raw):
        if rule is None:
            return 0.0
        if rule.per_finding is not None:
            return rule.per_finding
        if not rule.veto:
            report(texts.MSG_FINDING_NO_POINTS.format(problem=problem))
        return 0.0
    if is_date(raw):
        report(texts.MSG_FINDING_POINTS_DATE)
        return 0.0
    number = parse_number(raw)
    if number is None or number > MAX_NUMBER:
        report(texts.MSG_FINDING_NOT_NUMBER.format(found=clean_name(raw)))
        return 0.0
    if number < 0:
        report(texts.MSG_FINDING_NEGATIVE.format(found=format_number(number)))
        return 0.0
    return number


def unknown_units(findings: Findings, units: Collection[str]) -> list[Problem]:
    """A located problem for each finding whose unit is in no group's roster."""
    return [
        Problem(texts.MSG_FINDING_UNKNOWN_UNIT.format(unit=f.unit), texts.FINDINGS_SHEET, f.unit_cell)
        for f in findings.items
        if f.unit not in units
    ]


def shared_units(findings: Findings, sheets_of: Mapping[str, Sequence[str]]) -> list[Problem]:
    """A located problem for each finding whose unit is on several groups' sheets (it would be deducted in each)."""
    return [
        Problem(
            texts.MSG_FINDING_UNIT_IN_GROUPS.format(unit=f.unit, sheets="、".join(f"“{s}”" for s in sheets_of[f.unit])),
            texts.FINDINGS_SHEET,
            f.unit_cell,
        )  # fmt: skip
        for f in findings.items
        if len(sheets_of.get(f.unit, ())) > 1
    ]


def read(grids: Mapping[str, Grid], categories: Sequence[str] | None, problems: list[Problem]) -> Findings | None:
    """The workbook's findings, or None when it has no 扣分明细 sheet (or it cannot be used: problems say why).

    `categories` None: the 设置 sheet had problems, so its items are not known well enough to check names against.
    """
    if texts.FINDINGS_SHEET not in grids:
        return None
    if texts.RULES_SHEET not in grids:
        columns = "、".join(texts.RULES_HEADER)
        problems.append(Problem(texts.MSG_FINDINGS_NO_RULES.format(columns=columns), texts.FINDINGS_SHEET))
        return None
    rules = read_rules(grids[texts.RULES_SHEET], categories, problems)
    if rules is None:
        return None
    items = read_findings(grids[texts.FINDINGS_SHEET], rules, categories, problems)
    return None if items is None else Findings(rules, items)


def _listed(names: Sequence[str]) -> str:
    """Names for a message: “甲”、“乙”."""
    return "、".join(f"“{name}”" for name in names)
