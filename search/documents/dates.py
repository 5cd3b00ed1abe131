"""Read dates as Chinese documents write them: 2019年1月27日, 二〇一二年一月九日, 2018-04-02."""

from __future__ import annotations

import datetime
import re

#: Full-width digits and separators, as typed in some exports.
_WIDE = str.maketrans("０１２３４５６７８９－／．", "0123456789-/.")

#: Zero is written 〇 (U+3007), ○ (a circle, U+25CB), a Latin or full-width O, or 零.
_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "O": 0, "Ｏ": 0,
             "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR = "[〇○零OＯ一二三四五六七八九]{4}"
_CN_SMALL = "(?:[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"

_ARABIC = r"(?<!\d)\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
_NUMERIC = r"(?<!\d)\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?![\d.])"
_CHINESE = rf"{_CN_YEAR}\s*年\s*{_CN_SMALL}\s*月\s*{_CN_SMALL}\s*日"

#: One written date, in any of the forms above; for use inside other patterns.
DATE = f"(?:{_ARABIC}|{_NUMERIC}|{_CHINESE})"
_DATE_RE = re.compile(f"({DATE})")
_PARTS_RE = re.compile(r"(\S+?)\s*(?:年|[-/.])\s*(\S+?)\s*(?:月|[-/.])\s*(\S+?)\s*日?$")
#: A line that is only a date, as under a signature: "2019年1月27日", "（二〇一二年一月九日印发）".
_DATE_LINE_RE = re.compile(rf"^[（(〔\[]?\s*({DATE})\s*(?:印发|发布|公布|签发|制定|通过)?\s*[）)〕\]]?$")


def _cn_small(text: str) -> int:
    """Return the value of a Chinese numeral below 100 (十, 十二, 二十, 三十一)."""
    if "十" not in text:
        return _CN_DIGIT[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0)


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if re.fullmatch(_CN_YEAR, text):
        return int("".join(str(_CN_DIGIT[char]) for char in text))
    return _cn_small(text)


def _iso(written: str) -> str | None:
    parts = _PARTS_RE.match(written.translate(_WIDE))
    if not parts:
        return None
    try:
        day = datetime.date(*(_number(part) for part in parts.groups()))
    except (KeyError, ValueError):
        return None
    return day.isoformat()


def find_dates(text: str) -> list[str]:
    """Return the valid dates written in ``text``, as YYYY-MM-DD, in order."""
    found = (_iso(match) for match in _DATE_RE.findall(text.translate(_WIDE)))
    return [day for day in found if day]


def parse_date(text: str) -> str | None:
    """Return the first date written in ``text`` as YYYY-MM-DD, or None."""
    dates = find_dates(text)
    return dates[0] if dates else None


def date_line(text: str) -> str | None:
    """Return the date if ``text`` is nothing but a date (a signature date line), else None."""
    match = _DATE_LINE_RE.match(text.translate(_WIDE).strip(" \t\u3000"))
    return _iso(match.group(1)) if match else None
