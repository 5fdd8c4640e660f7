"""Bringing an earlier month into the 历史 sheet, from another workbook's sheet values (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from pygk.core import history, texts
from pygk.core.cells import Grid
from pygk.core.errors import InputError, Problem
from pygk.core.plan import month_history, rank_group
from pygk.core.roster import Headers, read_roster
from pygk.core.settings import parse_settings


def imported_history(old: Mapping[str, Grid], target: Mapping[str, Grid], year: int | None = None,
                     month: int | None = None, source: history.HistorySource | None = None,
                     ) -> tuple[tuple[int, int], int, history.HistoryUpdate]:  # fmt: skip
    """The target's 历史 sheet with an earlier month's results (from another workbook's grids) merged in.

    A workbook in the template's layout brings its own 设置 (period, categories, rules).
    A plain one (only score sheets) is read with the target's 设置, for the period given,
    taking the sheets named like the target's groups. Returns the period, how many units
    were imported and the new 历史 sheet. `source` reads the target's 历史 sheet (default: its grid).
    """
    problems: list[Problem] = []
    target_settings = parse_settings(target[texts.SETTINGS_SHEET])
    if texts.SETTINGS_SHEET in old:
        settings = parse_settings(old[texts.SETTINGS_SHEET])
    elif year is None or month is None:
        raise InputError([Problem(texts.MSG_IMPORT_PERIOD)])
    else:
        groups = tuple(g for g in target_settings.groups if g.sheet in old)
        if not groups:
            names = "、".join(f"“{g.sheet}”" for g in target_settings.groups)
            raise InputError([Problem(texts.MSG_IMPORT_NO_GROUPS.format(names=names))])
        settings = replace(target_settings, year=year, month=month, issue="", groups=groups)
    rosters = []
    for group in settings.groups:
        if group.sheet not in old:
            problems.append(Problem(texts.MSG_MISSING_SHEET.format(sheet=group.sheet)))
            continue
        roster = read_roster(old[group.sheet], group, settings.categories, problems, Headers.of(settings))
        if roster is not None:
            rosters.append(roster)
    if source is None:
        source = history.GridHistory(target.get(texts.HISTORY_SHEET, ()), problems)
    if problems:
        raise InputError(problems)
    month_rows = month_history([rank_group(r, settings) for r in rosters], settings, settings.issue)
    order = [g.sheet for g in target_settings.groups]
    return (settings.year, settings.month), len(month_rows), history.updated(source, month_rows, order)
