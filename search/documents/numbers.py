"""Recognise a 发文字号 (文号) in any typed form and write it one way: 国发〔2019〕5号, 国令第707号."""

from __future__ import annotations

import re

_WIDE = str.maketrans("０１２３４５６７８９", "0123456789")
_OPEN, _CLOSE = "〔［\\[（(【﹝｛{", "〕］\\]）)】﹞｝}"
_ORG = "[\u4e00-\u9fff]{1,20}?"

#: 国务院令第760号, 中华人民共和国国务院、中华人民共和国中央军事委员会令第425号, 国令707.
_DECREE_RE = re.compile(r"^(?P<org>[\u4e00-\u9fff、]{0,40}?令)\s*第?\s*(?P<seq>\d+)\s*号?$")
#: 国家税务总局公告2019年第5号: announcements are numbered by year, without brackets.
_NOTICE_RE = re.compile(rf"^(?P<org>{_ORG}公告)\s*(?P<year>\d{{4}})\s*年\s*第?\s*(?P<seq>\d+)\s*号?$")
#: 国发〔2019〕5号, 国发[2019]5号, 国发（2019）5号, 国发〔2019〕5.
_BRACKET_RE = re.compile(
    rf"^(?P<org>{_ORG})\s*[{_OPEN}]\s*(?P<year>\d{{4}})\s*[{_CLOSE}]\s*第?\s*(?P<seq>\d+)\s*号?$")
#: 国发2019年5号, 国发2019年第5号, 国发 2019 5号: typed without brackets; needs 年 or 号 to be sure.
_PLAIN_RE = re.compile(
    rf"^(?P<org>{_ORG})\s*(?P<year>(?:19|20)\d\d)\s*(?:年\s*第?|\s+第?|第)?\s*(?P<seq>\d+)\s*(?P<hao>号?)$")
#: Who issued a decree: the text before 令, less the country's name (国令 is the State Council's).
_STATE = "中华人民共和国"


def _decree_org(org: str) -> str:
    org = org.replace(_STATE, "").removesuffix("令")
    return "国" if org == "国务院" else org


def normalize_number(text: str) -> str | None:
    """Write a typed 文号 in its normalized form (国发〔2019〕5号), or return None if it is not one."""
    text = re.sub(r"\s+", " ", text.translate(_WIDE)).strip()
    if len(text) > 2 and text[0] in "（(" and text[-1] in "）)":
        text = text[1:-1].strip()
    if decree := _DECREE_RE.match(text):
        org = _decree_org(decree["org"])
        return f"{org}令第{int(decree['seq'])}号" if org else None
    if notice := _NOTICE_RE.match(text):
        return f"{notice['org']}{notice['year']}年第{int(notice['seq'])}号"
    match = _BRACKET_RE.match(text) or _PLAIN_RE.match(text)
    if not match or (match.re is _PLAIN_RE and "年" not in text and not match["hao"]):
        return None
    return f"{match['org']}〔{match['year']}〕{int(match['seq'])}号"


def decree_issuer(number: str) -> str | None:
    """Return who issued a decree numbered ``number`` (国令第707号 -> 国务院), else None."""
    match = _DECREE_RE.match(number)
    if not match:
        return None
    org = _decree_org(match["org"])
    return "国务院" if org == "国" else org or None
