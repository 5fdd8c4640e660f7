"""The texts of a bulletin: title, summary paragraph, annex titles and the attachment list.

The summary's unit lists come in three phrasings ({较好单位}: names; {较好单位及分数}: 民政局（56分）;
{较好单位及并列}: 财政部、科技部（并列第9名）) and a count ({较好单位数}). A part of a template in
square brackets ([…], ［…］ or 【…】) holding a list or count is dropped when that list is empty;
elsewhere an empty list reads 无.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pygk.core import texts
from pygk.core.settings import LIST_PLACEHOLDERS, Group, Settings
from pygk.core.values import format_number


@dataclass(frozen=True)
class Named:
    """A unit named in the summary: its short name, total and rank as shown."""

    name: str
    total: float
    rank: int


def fill(template: str, settings: Settings, **extra: str) -> str:
    """A settings template with its named placeholders ({年}, {月}, …) filled in."""
    values = {texts.PH_YEAR: str(settings.year), texts.PH_MONTH: str(settings.month), **extra}
    return template.format_map(values)


def listed(names_by_group: Sequence[Sequence[str]], joiner: str = texts.JOIN_GROUPS) -> str:
    """Names joined with '、' within a group and `joiner` (和) between groups; empty groups left out; '' for nobody."""
    return joiner.join(texts.JOIN_UNITS.join(names) for names in names_by_group if names)


def unit_list(names_by_group: Sequence[Sequence[str]], joiner: str = texts.JOIN_GROUPS) -> str:
    """The names as `listed` joins them; nobody at all gives '无', so a sentence never reads '有：；'."""
    return listed(names_by_group, joiner) or texts.NOBODY


def choose_joiner(chosen: str, names: Iterable[str]) -> str:
    """The joiner between groups: the clerk's, else 和 unless a named unit contains 和 (then ，)."""
    if chosen:
        return chosen
    return texts.JOIN_GROUPS_SAFE if any(texts.JOIN_GROUPS in name for name in names) else texts.JOIN_GROUPS


def _with_ties(units: Sequence[Named]) -> list[str]:
    """Names with '（并列第9名）' after each run of named units sharing a rank."""
    words: list[str] = []
    for i, unit in enumerate(units):
        shared = [u for u in units if u.rank == unit.rank]
        last_of_run = i + 1 == len(units) or units[i + 1].rank != unit.rank
        words.append(unit.name + (texts.TIE_NOTE.format(rank=unit.rank) if len(shared) > 1 and last_of_run else ""))
    return words


def _phrasings(groups: Sequence[Sequence[Named]]) -> dict[str, list[list[str]]]:
    """Each list placeholder's words per group."""
    return {
        "names": [[u.name for u in units] for units in groups],
        "scores": [[texts.WITH_SCORE.format(name=u.name, total=format_number(u.total)) for u in units]
                   for units in groups],
        "ties": [_with_ties(units) for units in groups],
    }  # fmt: skip


def unit_values(best: Sequence[Sequence[Named]], worst: Sequence[Sequence[Named]], joiner: str) -> dict[str, str]:
    """The unit placeholders' texts over the given groups; '' for an empty list (see `fill_clauses`)."""
    values: dict[str, str] = {}
    for units, keys in ((best, _BEST_KEYS), (worst, _WORST_KEYS)):
        phrasings = _phrasings(units)
        for phrasing, key in zip(("names", "scores", "ties"), keys[:3]):
            values[key] = listed(phrasings[phrasing], joiner)
        count = sum(len(group) for group in units)
        values[keys[3]] = str(count) if count else ""
    return values


_BEST_KEYS = (texts.PH_BEST, texts.PH_BEST_SCORES, texts.PH_BEST_TIES, texts.PH_BEST_COUNT)
_WORST_KEYS = (texts.PH_WORST, texts.PH_WORST_SCORES, texts.PH_WORST_TIES, texts.PH_WORST_COUNT)
_NOBODY_WHEN_EMPTY = {*LIST_PLACEHOLDERS, *texts.PH_FINDINGS}  # the findings' texts ('' when none) read 无 too
_EMPTY_DROPS = {*_NOBODY_WHEN_EMPTY, texts.PH_BEST_COUNT, texts.PH_WORST_COUNT}


def fill_clauses(template: str, values: dict[str, str]) -> str:
    """Fill a template whose bracketed parts go when a list or count in them is empty; empty lists read 无."""
    pieces: list[str] = []
    rest = template
    while rest:
        start, mark = min(((rest.find(o), (o, c)) for o, c in texts.CLAUSE_MARKS if o in rest), default=(-1, None))
        end = rest.find(mark[1], start + 1) if mark is not None else -1
        if mark is None or end < 0:
            pieces.append(_fill_plain(rest, values))
            break
        pieces.append(_fill_plain(rest[:start], values))
        inner = rest[start + 1 : end]
        used = [name for name in _EMPTY_DROPS if "{" + name + "}" in inner]
        if not used:
            pieces.append(mark[0] + _fill_plain(inner, values) + mark[1])  # brackets without a list are the clerk's
        elif all(values.get(name) for name in used):
            pieces.append(_fill_plain(inner, values))
        rest = rest[end + 1 :]
    return "".join(pieces)


def _fill_plain(text: str, values: dict[str, str]) -> str:
    """Placeholders filled; outside a bracketed part an empty list reads 无 and an empty count 0."""
    shown = dict(values)
    for name in _EMPTY_DROPS:
        if not shown.get(name):
            shown[name] = texts.NOBODY if name in _NOBODY_WHEN_EMPTY else "0"
    return text.format_map(shown)


def annex_title(settings: Settings, group_title: str) -> str:
    """'11月份区直单位网站管理和政务公开情况'."""
    return fill(settings.annex_title_template, settings, **{texts.PH_GROUP: group_title})


def attachment_line(n: int, settings: Settings, title: str) -> str:
    """'1．2021年11月份区直单位网站管理和政务公开情况'; the year is not repeated when the 附件标题 has {年}."""
    if "{" + texts.PH_YEAR + "}" in settings.annex_title_template:
        return texts.ATTACHMENT_LINE_WITH_YEAR.format(n=n, title=title)
    return texts.ATTACHMENT_LINE.format(n=n, year=settings.year, title=title)


def summary(settings: Settings, groups: Sequence[Group], best: Sequence[Sequence[Named]],
            worst: Sequence[Sequence[Named]], extra: Mapping[str, str] | None = None) -> str:  # fmt: skip
    """The summary paragraph: 通报段落 over all groups, with {分组段落} made of each group's 段落.

    `extra` holds the findings' texts ({主要问题}, {问题单位}, {不合格单位}, {上月问题}, {重复问题}).
    """
    names = [u.name for units in (*best, *worst) for u in units]
    joiner = choose_joiner(settings.group_joiner, names)
    dates = {texts.PH_YEAR: str(settings.year), texts.PH_MONTH: str(settings.month)}
    own = []
    for group, group_best, group_worst in zip(groups, best, worst):
        if group.paragraph:
            values = {**dates, texts.PH_GROUP: group.title, **unit_values([group_best], [group_worst], joiner)}
            own.append(fill_clauses(group.paragraph, values))
    values = {**dates, **(extra or {}), **unit_values(best, worst, joiner), texts.PH_GROUP_PARAGRAPHS: "".join(own)}
    return fill_clauses(settings.summary_template, values)
