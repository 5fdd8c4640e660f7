"""What the findings say in the bulletin (pure): the 问题清单 annex rows, the paragraph's texts, who gets a notice.

Main problems are the problem types with the most findings, ties in 扣分规则 order. A finding
is overdue when its 整改期限 is before the last day of the bulletin's month and 整改情况 is
not 已整改 (the month's end, not a clock, is the reference day).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pygk.core import texts
from pygk.core.days import month_end, short_day_text
from pygk.core.findings import Finding, Findings
from pygk.core.summary import listed, unit_list

MAIN_PROBLEM_COUNT = 3


def main_problems(findings: Findings, count: int = MAIN_PROBLEM_COUNT) -> list[str]:
    """The problem types found most often, at most `count`, ties in the rules' order."""
    order: dict[str, int] = {}
    for rule in findings.rules:
        order.setdefault(rule.problem, len(order))
    tally: dict[str, int] = {}
    for finding in findings.items:
        tally[finding.problem] = tally.get(finding.problem, 0) + 1
    return sorted(tally, key=lambda problem: (-tally[problem], order[problem]))[:count]


def paragraph_texts(findings: Findings | None, groups: Sequence[Sequence[tuple[str, str]]],
                    failed: Mapping[str, object], joiner: str = texts.JOIN_GROUPS) -> dict[str, str]:  # fmt: skip
    """{主要问题}, {问题单位} and {不合格单位}; `groups` holds each group's (unit, short name) in roster order.

    `joiner` goes between groups' names, as in the summary's lists (分组连接词). A text with nothing
    to say is '' (the summary writes 无, or drops the bracketed part holding it).
    """
    failed_names = [[short for unit, short in group if unit in failed] for group in groups]
    values = {texts.PH_FAILED: listed(failed_names, joiner)}
    problems = main_problems(findings) if findings is not None else []
    if not problems:
        return {**values, texts.PH_MAIN_PROBLEMS: "", texts.PH_PROBLEM_UNITS: ""}
    assert findings is not None
    values[texts.PH_MAIN_PROBLEMS] = texts.MAIN_PROBLEMS.format(problems=texts.JOIN_UNITS.join(problems))
    sentences = []
    for problem in problems:
        having = {f.unit for f in findings.items if f.problem == problem}
        named = [[short for unit, short in group if unit in having] for group in groups]
        sentences.append(texts.PROBLEM_UNITS.format(problem=problem, units=unit_list(named, joiner)))
    values[texts.PH_PROBLEM_UNITS] = texts.JOIN_PROBLEM_UNITS.join(sentences)
    return values


def by_unit(findings: Findings, units: Sequence[str]) -> list[tuple[str, list[Finding]]]:
    """Each unit with findings, in the given (group, roster) order, with its findings in sheet order."""
    of_unit: dict[str, list[Finding]] = {}
    for finding in findings.items:  # one pass over the findings, not one per unit
        of_unit.setdefault(finding.unit, []).append(finding)
    return [(unit, list(of_unit[unit])) for unit in units if unit in of_unit]


def problem_rows(findings: Findings, units: Sequence[str], year: int) -> tuple[tuple[object, ...], ...]:
    """The 问题清单 annex rows: 单位名称 | 评分项目 | 问题类型 | 问题描述 | 扣分 | 整改期限 (12月15日 in `year`)."""
    return tuple(
        (
            unit,
            f.item,
            f.problem,
            f.description,
            f.points,
            "" if f.deadline is None else short_day_text(f.deadline, year),
        )
        for unit, found in by_unit(findings, units)
        for f in found
    )


def overdue(finding: Finding, year: int, month: int) -> bool:
    """True when the deadline has passed by the month's end and the finding is not rectified."""
    return finding.deadline is not None and finding.deadline < month_end(year, month) and not finding.rectified


@dataclass(frozen=True)
class Notice:
    """One unit's 整改通知: why it gets one and the findings it must rectify."""

    unit: str
    reasons: tuple[str, ...]  # texts.NOTICE_REASON_* in a fixed order
    findings: tuple[Finding, ...]
    total: float


def notices(findings: Findings | None, units: Sequence[tuple[str, float, bool]], failed: Mapping[str, object],
            year: int, month: int) -> tuple[Notice, ...]:  # fmt: skip
    """A notice for each unit named worst, 不合格, or with findings past their deadline.

    `units` holds (unit, total, named worst) in group and roster order.
    """
    found = dict(by_unit(findings, [u for u, _, _ in units])) if findings is not None else {}
    result = []
    for unit, total, worst in units:
        if not worst and unit not in failed and unit not in found:
            continue  # no reason to look for (most units)
        reasons = []
        if worst:
            reasons.append(texts.NOTICE_REASON_WORST)
        if unit in failed:
            reasons.append(texts.NOTICE_REASON_FAILED)
        if any(overdue(f, year, month) for f in found.get(unit, [])):
            reasons.append(texts.NOTICE_REASON_OVERDUE)
        if reasons:
            open_items = tuple(f for f in found.get(unit, []) if not f.rectified)
            result.append(Notice(unit, tuple(reasons), open_items, total))
    return tuple(result)
