"""Sort keys for 同分排序 按拼音: a name read as pinyin syllables, numbers as numbers.

The name is width-folded first (Ａ区 is A区). Runs of Chinese characters are read by pypinyin a
whole run at a time, so its phrase dictionary picks a phrase's reading (重庆 chong, not zhong);
the tone of each syllable comes only from pypinyin's TONE3 reading (轻声 5). A run of digits is one
number (第2网格 before 第12网格) and sorts before any syllable; letters sort as themselves.
A clerk's reading (排序用读音, e.g. 'shan4 xian4' or 'Shàn Xiàn') replaces pypinyin's for a name
pypinyin misreads: its syllables may carry tone digits or tone marks.
"""

from __future__ import annotations

import unicodedata

Part = tuple[int, float, str, int]  # (0, number, '', 0) for a number; (1, 0, syllable, tone) otherwise


def sort_key(name: str, reading: str = "") -> tuple[Part, ...]:
    """The key a name sorts by under 按拼音; `reading` (the clerk's pinyin) when given."""
    if reading.strip():
        return _reading_key(reading)
    parts: list[Part] = []
    for kind, run in _runs(unicodedata.normalize("NFKC", name)):
        if kind == "digits":
            parts.append((0, float(run), "", 0))
        elif kind == "han":
            parts.extend(_syllable(s) for s in _han_syllables(run))
        else:
            parts.append((1, 0.0, run.lower(), 0))
    return tuple(parts)


def _runs(text: str) -> list[tuple[str, str]]:
    """The text cut into runs of digits, Chinese characters, letters, and single other characters."""
    runs: list[tuple[str, str]] = []
    for char in text:
        kind = "digits" if char.isascii() and char.isdigit() else "han" if _is_han(char) else "letters"
        kind = kind if kind != "letters" or (char.isascii() and char.isalpha()) else "other"
        if runs and runs[-1][0] == kind and kind != "other":
            runs[-1] = (kind, runs[-1][1] + char)
        else:
            runs.append((kind, char))
    return runs


def _is_han(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH")


def _han_syllables(run: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin  # imported when asked for: its dictionary takes time to load

    return lazy_pinyin(run, style=Style.TONE3, neutral_tone_with_five=True, errors="default")


def _syllable(tone3: str) -> Part:
    """('shan4') -> (1, 0, 'shan', 4): the tone from TONE3's last digit, 0 when it has none."""
    tone = int(tone3[-1]) if tone3[-1:] in "12345" and tone3[-1:] else 0
    return 1, 0.0, tone3.rstrip("12345").lower(), tone


def _reading_key(reading: str) -> tuple[Part, ...]:
    """A clerk's pinyin: syllables split by spaces, apostrophes or hyphens; tone marks or digits; numbers."""
    from pypinyin.contrib.tone_convert import to_tone3

    parts: list[Part] = []
    text = unicodedata.normalize("NFC", reading)
    for token in text.replace("'", " ").replace("’", " ").replace("-", " ").split():
        folded = unicodedata.normalize("NFKC", token)
        if folded.isascii() and folded.isdigit():
            parts.append((0, float(folded), "", 0))
        else:
            parts.append(_syllable(to_tone3(folded.lower(), neutral_tone_with_five=True)))
    return tuple(parts)
