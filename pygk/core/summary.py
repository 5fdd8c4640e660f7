"""The texts of a bulletin: title, summary paragraph, annex titles and the attachment list."""

from __future__ import annotations

from collections.abc import Sequence

from pygk.core import texts
from pygk.core.settings import Settings


def fill(template: str, settings: Settings, **extra: str) -> str:
    """A settings template with its named placeholders ({年}, {月}, …) filled in."""
    values = {texts.PH_YEAR: str(settings.year), texts.PH_MONTH: str(settings.month), **extra}
    return template.format_map(values)


def unit_list(names_by_group: Sequence[Sequence[str]]) -> str:
    """Names joined with '、' within a group and '和' between groups; empty groups left out.

    Nobody at all gives '无', so a sentence never reads '有：；'.
    """
    parts = [texts.JOIN_UNITS.join(names) for names in names_by_group if names]
    return texts.JOIN_GROUPS.join(parts) if parts else texts.NOBODY


def annex_title(settings: Settings, group_title: str) -> str:
    """'11月份区直单位网站管理和政务公开情况'."""
    return fill(settings.annex_title_template, settings, **{texts.PH_GROUP: group_title})


def attachment_line(n: int, settings: Settings, title: str) -> str:
    """'1．2021年11月份区直单位网站管理和政务公开情况'."""
    return texts.ATTACHMENT_LINE.format(n=n, year=settings.year, title=title)


def summary(settings: Settings, best: Sequence[Sequence[str]], worst: Sequence[Sequence[str]], **extra: str) -> str:
    """The summary paragraph with the best and worst units named (and the findings' texts in `extra`)."""
    named = {texts.PH_BEST: unit_list(best), texts.PH_WORST: unit_list(worst)}
    return fill(settings.summary_template, settings, **named, **extra)
