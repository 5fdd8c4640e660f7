"""One named test per ranking, tie and best/worst rule (the rules are in pygk/core/ranking.py's docstring)."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from conftest import group_grid, settings_grid
from general_books import settings_rows
from hypothesis import given, settings
from hypothesis import strategies as st

from pygk.core.errors import InputError
from pygk.core.plan import build_plan
from pygk.core.ranking import best_mask, ranks, worst_mask
from pygk.core.settings import Selection

COUNT = lambda n: Selection("count", n)  # noqa: E731


def plan_for(units, categories=None, **setting_changes):
    """Plan of a one-group workbook; settings keys in Chinese as in the 设置 sheet."""
    rows = settings_grid(**setting_changes)
    cut = next(i for i, r in enumerate(rows) if r and r[0] == "工作表")
    rows = rows[: cut + 1] + [["区直单位", "区直单位"]]
    if categories is not None:
        start = next(i for i, r in enumerate(rows) if r and r[0] == "评分项目")
        end = next(i for i in range(start + 1, len(rows)) if not rows[i] or not rows[i][0])
        rows = rows[: start + 1] + [[c, ""] for c in categories] + rows[end:]
    grid = group_grid(units, categories) if categories is not None else group_grid(units)
    return build_plan({"设置": rows, "区直单位": grid})


def names(plan):
    return [row[0] for row in plan.annexes[0].rows]


def scores(*totals):
    """Units U1, U2, … whose four category scores sum to the given totals."""
    return [(f"U{i}", [0, 0, 0, t]) for i, t in enumerate(totals, start=1)]


def test_order_is_total_descending():
    assert names(plan_for(scores(10, 30, 20))) == ["U2", "U3", "U1"]


def test_equal_totals_keep_roster_order_by_default():
    units = [("甲", [1, 0, 0, 9]), ("乙", [9, 0, 0, 1]), ("丙", [5, 0, 0, 5])]
    assert names(plan_for(units)) == ["甲", "乙", "丙"]


def test_tie_break_by_categories_then_roster():
    units = [("甲", [1, 0, 0, 9]), ("乙", [9, 0, 0, 1]), ("丙", [5, 0, 0, 5]), ("丁", [9, 0, 0, 1])]
    assert names(plan_for(units, 同分排序="按分项得分")) == ["乙", "丁", "丙", "甲"]


def test_tie_break_by_pinyin_then_roster():
    """Syllable, then tone, character by character: an 安 < bái 白 < bǎi 柏 < cháng 长 < zhāng 张;
    理村 and 李村 read the same (lǐ cūn) and keep roster order."""
    roster = ["张庄", "柏树", "理村", "长乐", "白马", "李村", "安乐"]
    units = [(name, [0, 0, 0, 5]) for name in roster] + [("高分", [0, 0, 0, 9])]
    expected = ["高分", "安乐", "白马", "柏树", "长乐", "理村", "李村", "张庄"]
    assert names(plan_for(units, 同分排序="按拼音")) == expected


def test_annex_in_roster_order_keeps_ranks():
    plan = plan_for(scores(10, 30, 20), 附件排序="按名单顺序", 显示排名列="是")
    assert [(row[0], row[-1]) for row in plan.annexes[0].rows] == [("U1", 3), ("U2", 1), ("U3", 2)]
    assert plan.best == (("U2", "U3"),)  # the summary still names them by total


def test_total_is_the_weighted_sum_of_counted_items():
    items = [["甲项", None, 0.33], ["乙项", None, 5], ["丙项", None, None, "否"]]
    rows = settings_rows({}, items, [["区直单位", "区直单位"]])
    grid = [["单位名称", "甲项", "乙项", "丙项"], ["A", 85.5, 2, 7], ["B", 100, 1, None]]
    plan = build_plan({"设置": rows, "区直单位": grid})
    # A: 0.33 × 85.5 + 5 × 2 = 28.215 + 10 = 38.215; B: 33 + 5 = 38 (丙项 shown, not added)
    assert plan.annexes[0].rows == (("A", 85.5, 2.0, 7.0, 38.215), ("B", 100.0, 1.0, None, 38.0))


def test_entered_total_is_ranked_as_entered():
    rows = settings_rows({"总分来源": "录入"}, [["甲项", None]], [["区直单位", "区直单位"]])
    grid = [["单位名称", "甲项", "总分"], ["A", 50, 70], ["B", 60, 65]]
    plan = build_plan({"设置": rows, "区直单位": grid})
    assert [row[0] for row in plan.annexes[0].rows] == ["A", "B"]
    assert plan.updates[0].cells.puts == () or all(p.col != 2 for p in plan.updates[0].cells.puts)
    assert [str(w) for w in plan.warnings] == [
        "工作表“区直单位”单元格 C2：“A”录入的总分 70 与按评分项目计算的 50 相差超过 0.01。请核对；"
        "pygk 按录入的总分排名。",
        "工作表“区直单位”单元格 C3：“B”录入的总分 65 与按评分项目计算的 60 相差超过 0.01。请核对；"
        "pygk 按录入的总分排名。",
    ]


def test_competition_ranks_skip_after_ties():
    assert list(ranks(pd.Series([56.0, 54, 54, 50]), "competition")) == [1, 2, 2, 4]


def test_dense_ranks_do_not_skip():
    assert list(ranks(pd.Series([56.0, 54, 54, 50]), "dense")) == [1, 2, 2, 3]


def test_rank_column_appears_in_annex_when_enabled():
    plan = plan_for(scores(10, 30, 30, 5), 显示排名列="是", 排名方式="并列不跳号")
    assert plan.annexes[0].header[-1] == "排名"
    assert [row[-1] for row in plan.annexes[0].rows] == [1, 1, 2, 3]
    assert plan.updates[0].ranks == (2, 1, 1, 3)


def test_best_top_n_includes_ties_at_the_cut():
    assert list(best_mask(pd.Series([56.0, 54, 54, 50]), COUNT(2))) == [True, True, True, False]


def test_worst_bottom_m_includes_ties():
    totals = pd.Series([56.0, 19, 20, 19])
    assert list(worst_mask(totals, COUNT(1), best_mask(totals, COUNT(2)))) == [False, True, False, True]


def test_dense_best_count_names_every_unit_of_the_first_n_ranks():
    totals = pd.Series([56.0, 54, 54, 50, 49])
    assert list(best_mask(totals, COUNT(3), "dense")) == [True, True, True, True, False]  # dense 1, 2, 2, 3
    assert list(best_mask(totals, COUNT(3), "competition")) == [True, True, True, False, False]  # 1, 2, 2, 4
    worst = worst_mask(totals, COUNT(2), best_mask(totals, COUNT(1), "dense"), "dense")
    assert list(worst) == [False, False, False, True, True]


def test_threshold_operators_strict_and_inclusive():
    totals = pd.Series([90.0, 75, 75.5, 60, 59])
    assert list(best_mask(totals, Selection("threshold", 0, 75, ">"))) == [True, False, True, False, False]
    assert list(best_mask(totals, Selection("threshold", 0, 75, ">="))) == [True, True, True, False, False]
    nobody = pd.Series([False] * 5)
    assert list(worst_mask(totals, Selection("threshold", 0, 60, "<="), nobody)) == [False, False, False, True, True]
    assert list(worst_mask(totals, Selection("threshold", 0, 60, "<"), nobody)) == [False, False, False, False, True]


@pytest.mark.parametrize(
    "typed, meant",
    [
        (">75", (75, ">")),
        ("＞75", (75, ">")),
        ("≥90", (90, ">=")),
        (">=90", (90, ">=")),
        ("＞＝90", (90, ">=")),
        ("75", (75, None)),
    ],
)
def test_threshold_operator_as_typed(typed, meant):
    plan = plan_for(scores(1), 较好单位评选方式="按分数线", 较好分数线=typed)
    assert (plan.settings.best.threshold, plan.settings.best.operator) == meant


def test_best_and_worst_by_threshold():
    totals = pd.Series([95.0, 90, 75, 60, 59.5])
    best = best_mask(totals, Selection("threshold", 0, 90))
    assert list(best) == [True, True, False, False, False]
    assert list(worst_mask(totals, Selection("threshold", 0, 60), best)) == [False, False, False, False, True]


def test_best_is_never_also_worst():
    totals = pd.Series([30.0, 30, 30])
    best = best_mask(totals, COUNT(2))
    assert list(best) == [True, True, True]
    assert not worst_mask(totals, COUNT(1), best).any()


def test_per_group_counts_override_the_default():
    rows = settings_grid()
    grids = {"设置": rows, "区直单位": group_grid(scores(9, 8, 7, 6)), "镇（街道）": group_grid(scores(9, 8, 7, 6))}
    for row in rows:
        if row and row[0] == "镇（街道）":
            row[2:4] = [1, 2]
    plan = build_plan(grids)
    assert plan.best == (("U1", "U2"), ("U1",))
    assert plan.worst == (("U4",), ("U3", "U4"))


def test_threshold_mode_is_chosen_in_settings():
    plan = plan_for(
        scores(95, 80, 50), 较好单位评选方式="按分数线", 较好分数线=90, 较差单位评选方式="按分数线", 较差分数线=60
    )
    assert plan.best == (("U1",),) and plan.worst == (("U3",),)


def test_maximum_from_header_text_is_enforced():
    def plan_with(score):
        rows = settings_grid()
        start = next(i for i, r in enumerate(rows) if r and r[0] == "评分项目")
        rows[start + 1 : start + 5] = [["在线服务得分", ""]]
        grid = [["单位名称", "在线服务得分(9)"], ["甲", score], ["乙", 1]]
        return build_plan({"设置": rows, "区直单位": grid, "镇（街道）": grid})

    with pytest.raises(InputError) as raised:
        plan_with(10)
    assert "单元格 B2：分数 10 超过“在线服务得分”的满分 9" in str(raised.value)
    assert plan_with(9).annexes[0].header == ("单位名称", "在线服务得分", "总分")


def test_any_number_of_categories():
    for count in (1, 5, 12):
        categories = [f"项目{i}" for i in range(count)]
        plan = plan_for([("甲", [1] * count), ("乙", [2] * count)], categories=categories)
        assert plan.annexes[0].header == ("单位名称", *categories, "总分")
        assert plan.annexes[0].rows[0] == ("乙", *([2.0] * count), 2.0 * count)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 400), min_size=2, max_size=40, unique=True), st.randoms(use_true_random=False))
def test_shuffling_a_roster_with_distinct_totals_changes_no_annex(halves, rnd: random.Random):
    units = [(f"单位{i}", [0, 0, 0, h / 2]) for i, h in enumerate(halves)]
    shuffled = units[:]
    rnd.shuffle(shuffled)
    first, second = plan_for(units), plan_for(shuffled)
    assert first.annexes == second.annexes
    assert first.summary == second.summary
