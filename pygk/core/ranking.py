"""Ranking rules for one group: totals, order, rank numbers, best and worst units.

Rules (each pinned by a named test in tests/test_ranking.py):
- Total: Σ 权重 × 得分 over the items that count (计入总分 是; 权重 blank = 1), rounded to
  6 decimals to hide float noise (test_total_is_the_weighted_sum_of_counted_items); with
  总分来源 录入 the entered 总分 is the total (test_entered_total_is_ranked_as_entered).
- Order: 总分 descending. Equal totals keep roster order ("roster",
  test_equal_totals_keep_roster_order_by_default), or are broken by the category scores in
  settings order, highest first, then roster order ("categories",
  test_tie_break_by_categories_then_roster), or by the pinyin of 单位名称, syllable by syllable
  and tone by tone, then roster order ("pinyin", test_tie_break_by_pinyin_then_roster).
  附件排序 按名单顺序 keeps the annex in roster order (test_annex_in_roster_order_keeps_ranks).
- Rank: from 总分 alone. "competition" gives 1, 2, 2, 4 (test_competition_ranks_skip_after_ties);
  "dense" gives 1, 2, 2, 3 (test_dense_ranks_do_not_skip).
- Best by count N: every unit whose rank is at most N, counted as the ranks are shown
  (competition or dense), so all units tied at the cut are included: N=2 over 56, 54, 54
  names three (test_best_top_n_includes_ties_at_the_cut); under dense ranks 10 names every
  unit ranked 1–10, however many (test_dense_best_count_names_every_unit_of_the_first_n_ranks).
- Best by threshold T: 总分 >= T; with an operator, '>T' is strict
  (test_best_and_worst_by_threshold, test_threshold_operators_strict_and_inclusive).
- Worst by count M: every unit whose rank counted from the bottom (in the same style) is at
  most M, ties included (test_worst_bottom_m_includes_ties). Worst by threshold T: 总分 < T;
  '<=T' includes T.
- A unit picked as best is never also named worst (a group whose totals are all equal
  names everybody best and nobody worst, test_best_is_never_also_worst).
"""

from __future__ import annotations

import operator as op
from collections.abc import Callable, Sequence
from typing import Literal

import pandas as pd

from pygk.core.settings import Category, Selection, TieBreak

TOTAL = "total"
COMPUTED = "computed"  # the total from the items, kept beside an entered one to compare
TOTAL_DECIMALS = 6
RankStyle = Literal["competition", "dense"]
_COMPARE: dict[str, Callable[[pd.Series, float], pd.Series]] = {">": op.gt, ">=": op.ge, "<": op.lt, "<=": op.le}


def weighted_total(table: pd.DataFrame, categories: Sequence[Category]) -> pd.Series:
    """Σ weight × score over the counted items, rounded to hide float noise; NaN where a counted score is blank."""
    counted = [c for c in categories if c.counted]
    if not counted:
        return pd.Series(0.0, index=table.index)
    parts = [table[c.name].astype(float) * c.weight for c in counted]
    return pd.concat(parts, axis=1).sum(axis=1, min_count=len(parts), skipna=False).round(TOTAL_DECIMALS)


def add_totals(table: pd.DataFrame, categories: Sequence[Category], entered: str | None = None) -> pd.DataFrame:
    """A copy with a 'total' column (the weighted sum, or the column `entered`) and the 'computed' one."""
    result = table.copy()
    nothing_to_add = entered and not any(c.counted for c in categories)  # an entered total alone: nothing to compare
    result[COMPUTED] = float("nan") if nothing_to_add else weighted_total(table, categories)
    result[TOTAL] = table[entered].astype(float).round(TOTAL_DECIMALS) if entered else result[COMPUTED]
    return result


def pinyin_key(name: str) -> tuple[tuple[str, int], ...]:
    """A name's sort key by pinyin: each character's syllable then tone (轻声 as 5); other text as it is."""
    from pypinyin import Style, lazy_pinyin  # imported when asked for: its dictionary takes time to load

    key = []
    for syllable in lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True, errors="default"):
        tone = int(syllable[-1]) if syllable[-1:].isdigit() else 0
        key.append((syllable.rstrip("012345").lower(), tone))
    return tuple(key)


def order(table: pd.DataFrame, categories: list[str], tie_break: TieBreak,
          unit: str = "unit") -> pd.DataFrame:  # fmt: skip
    """Rows sorted by total with the tie rule applied; the input must be in roster order."""
    if tie_break == "pinyin":
        keyed = table.assign(_pinyin=[pinyin_key(str(name)) for name in table[unit]])
        keyed = keyed.sort_values("_pinyin", kind="stable").sort_values(TOTAL, ascending=False, kind="stable")
        return keyed.drop(columns="_pinyin")
    keys = [TOTAL, *categories] if tie_break == "categories" else [TOTAL]
    return table.sort_values(keys, ascending=False, kind="stable", na_position="last")


def ranks(totals: pd.Series, style: RankStyle) -> pd.Series:
    """Rank numbers from totals, highest first: competition (1,2,2,4) or dense (1,2,2,3)."""
    method = "min" if style == "competition" else "dense"
    return totals.rank(method=method, ascending=False).astype(int)


def best_mask(totals: pd.Series, rule: Selection, style: RankStyle = "competition") -> pd.Series:
    """Which units are best under the rule (ties at the cut included; count by the ranks shown)."""
    if rule.mode == "threshold":
        return _COMPARE[rule.operator or ">="](totals, rule.threshold)  # type: ignore[arg-type]
    return totals.rank(method="min" if style == "competition" else "dense", ascending=False) <= rule.count


def worst_mask(totals: pd.Series, rule: Selection, best: pd.Series, style: RankStyle = "competition") -> pd.Series:
    """Which units are worst under the rule (ties included), never one already best."""
    if rule.mode == "threshold":
        worst = _COMPARE[rule.operator or "<"](totals, rule.threshold)  # type: ignore[arg-type]
    else:
        worst = totals.rank(method="min" if style == "competition" else "dense", ascending=True) <= rule.count
    return worst & ~best
