"""Chinese numerals in numeric places written as Arabic digits, for matching only.

三年 / 3年, 十天 / 10天, 第十九条 / 第19条, 百分之二十 / 20%, 二○一二年 / 2012年,
一百二十万 / 120万: both sides of each pair normalize to the Arabic form, so a query
matches an article that writes the number the other way.

cn2an converts the values; its own ``transform`` is not used because it converts every
numeral character (统一规划 -> 统1规划, 一般 -> 1般, 十分重要 -> 10分重要). Here a
numeral is a number only where a number stands: after 第 before 条/款/项/章/节/编, after
百分之, or before a unit (年, 个, 日, 元, 万, …), and not a lone 一 that ends a word
(统一年度, 唯一人选, 之一).
"""

from __future__ import annotations

import re
from functools import lru_cache

_DIGITS = "零〇○一二三四五六七八九"
_NUMERAL = "零〇○一二三四五六七八九十百千两"
#: Units after which a numeral is a count or a date; not 分, 点, 度, 方, 起 (十分, 一点,
#: 一度, 一方, 一起 are words).
_UNITS = ("年|个|月|日|天|周|岁|人|名|次|倍|元|角|万|亿|公里|千米|米|吨|千克|公斤|克|件|份|张|套|项|"
          "条|款|章|节|编|户|家|台|辆|艘|架|亩|公顷|小时|分钟|秒|届|期|批|类|种|级|层|号|部|所|座|"
          "栋|间|宗|笔|支|队|组|页|枚|株|头|只|周岁|周年|个月|日内|%")
#: Characters before a lone 一 that make a word of it (统一, 唯一, 之一), not a number.
_WORD_ENDS_IN_ONE = "统唯万同单专划之其不归合逐整初均"

_RE = re.compile(
    rf"百分之(?P<percent>[{_NUMERAL}]+)"
    rf"|第(?P<ordinal>[{_NUMERAL}]+)(?=[条款项章节编])"
    rf"|(?P<count>[{_NUMERAL}]+)(?={_UNITS})"
)


_DIGIT_VALUES = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_PLACES = {"十": 10, "百": 100, "千": 1000}


def small_value(numeral: str) -> int | None:
    """Read 一 to 九千九百九十九 directly; None for what only cn2an reads.

    The fast path of value(): highlighting normalizes every hit's text, and importing cn2an
    for 三年 costs a CLI query 0.1 s. tests/test_numerals.py checks it against cn2an.
    """
    total, digit, last_place = 0, None, 10_000
    for char in numeral:
        if char in _DIGIT_VALUES:
            if digit is not None and digit != 0:
                return None  # 二三: not a number written with places
            digit = _DIGIT_VALUES[char]
        elif char in _PLACES:
            place = _PLACES[char]
            if place >= last_place:
                return None
            total += (1 if digit is None else digit) * place
            digit, last_place = None, place
        else:
            return None
    return total + (digit or 0)


@lru_cache(maxsize=4096)
def value(numeral: str) -> str | None:
    """Return a Chinese numeral's value in Arabic digits (二十 -> 20, 二○一二 -> 2012)."""
    numeral = numeral.replace("○", "零").replace("〇", "零")
    if len(numeral) >= 3 and all(c in _DIGITS.replace("○", "").replace("〇", "") for c in numeral):
        return "".join(str("零一二三四五六七八九".index(c)) for c in numeral)  # a year, digit by digit
    fast = small_value(numeral)
    if fast is not None:
        return str(fast)
    import cn2an  # 0.1 s to import: only for a numeral the fast path does not read

    try:
        found = cn2an.cn2an(numeral.replace("两", "二"), "strict")
    except (ValueError, KeyError, IndexError):
        return None
    return str(int(found)) if float(found).is_integer() else None


def replacements(text: str) -> list[tuple[int, int, str]]:
    """Return (start, end, Arabic form) for each numeral of ``text`` that stands for a number."""
    found = []
    for match in _RE.finditer(text):
        kind = match.lastgroup
        numeral = match.group(kind)
        start = match.start(kind)
        if kind == "count" and numeral == "一" and start > 0 \
                and text[start - 1] in _WORD_ENDS_IN_ONE:
            continue  # 统一年度, 唯一人选: the numeral belongs to the word before it
        arabic = value(numeral)
        if arabic is None:
            continue
        if kind == "percent":
            found.append((match.start(), match.end(), arabic + "%"))
        else:
            found.append((start, match.end(kind), arabic))
    return found
