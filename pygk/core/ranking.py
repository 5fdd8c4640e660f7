"""Ranking rules for one group: order, rank numbers, best and worst units.

Rules (each pinned by a named test in tests/test_ranking.py):
- Order: 总分 descending. Equal totals keep roster order ("roster"), or are broken by
  the category scores in settings order, highest first, then roster order ("categories").
- Rank: from 总分 alone. "competition" gives 1, 2, 2, 4; "dense" gives 1, 2, 2, 3.
- Best by count N: every unit whose competition rank is at most N, so all units tied
  at the cut are included (N=2 over 56, 54, 54 names three). Best by threshold T: 总分 >= T.
- Worst by count M: every unit whose rank counted from the bottom is at most M, ties
  included. Worst by threshold T: 总分 < T.
- A unit picked as best is never also named worst (a group whose totals are all equal
  names everybody best and nobody worst).
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from pygk.core.settings import Selection

TOTAL = "total"
TOTAL_DECIMALS = 6


def add_totals(table: pd.DataFrame, categories: list[str]) -> pd.DataFrame:
    """A copy with a 'total' column: the row sum of the categories, rounded to hide float noise."""
    result = table.copy()
    result[TOTAL] = table[categories].sum(axis=1).round(TOTAL_DECIMALS)
    return result


def order(table: pd.DataFrame, categories: list[str], tie_break: Literal["roster", "categories"]) -> pd.DataFrame:
    """Rows sorted for the annex; the input must be in roster order."""
    keys = [TOTAL, *categories] if tie_break == "categories" else [TOTAL]
    return table.sort_values(keys, ascending=False, kind="stable")


def ranks(totals: pd.Series, style: Literal["competition", "dense"]) -> pd.Series:
    """Rank numbers from totals, highest first: competition (1,2,2,4) or dense (1,2,2,3)."""
    method = "min" if style == "competition" else "dense"
    return totals.rank(method=method, ascending=False).astype(int)


def best_mask(totals: pd.Series, rule: Selection) -> pd.Series:
    """Which units are best under the rule (ties at the cut included)."""
    if rule.mode == "threshold":
        return totals >= rule.threshold
    return totals.rank(method="min", ascending=False) <= rule.count


def worst_mask(totals: pd.Series, rule: Selection, best: pd.Series) -> pd.Series:
    """Which units are worst under the rule (ties included), never one already best."""
    if rule.mode == "threshold":
        worst = totals < rule.threshold
    else:
        worst = totals.rank(method="min", ascending=True) <= rule.count
    return worst & ~best
