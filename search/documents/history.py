"""Read the adoption and amendment lines that head a law: when, by whom, which 令 number."""

from __future__ import annotations

import re
from itertools import pairwise

from search.documents.agencies import is_agency
from search.documents.dates import DATE, find_dates
from search.documents.numbers import normalize_number

#: What an event line says happened; one of these makes a dated line at the top a history line.
EVENT_VERBS = ("通过", "公布", "发布", "颁布", "印发", "修正", "修订", "批准", "施行", "实施", "废止")
#: Events that put a text into force as published, as opposed to adopting or approving it.
_PUBLISHING = ("公布", "发布", "颁布", "印发", "修正", "修订")
_CLAUSE_PUNCTUATION = "，,、"

_START_RE = re.compile(rf"^[（(]?\s*(?:根据\s*)?({DATE})(\s*)(.*)$")
#: The courts' style: "（最高人民法院审判委员会第1421次会议通过 2008年4月17日…公布 自…起施行）".
_PAREN_START_RE = re.compile(rf"^[（(][^。]*{DATE}")
#: Where one event ends and the next begins: a date after a space, a paren or a ；, or 根据/自 a date.
_EVENT_START_RE = re.compile(rf"(?:(?<=^)|(?<=[\s（(；;])|(?=根据|自))(?:(?:根据|自)\s*)?{DATE}")
_DECREE_NUMBER_RE = re.compile(r"(?:中华人民共和国)?[\u4e00-\u9fff][\u4e00-\u9fff、]{0,40}?令第\d+号")

_CONGRESS_RE = re.compile(
    r"^(?P<place>[\u4e00-\u9fff]*?)(?:第?[〇一二三四五六七八九十百\d]+届)?"
    r"(?P<congress>全国人民代表大会|人民代表大会|人大)(?P<standing>常务委员会|常委会)?")
_COMMITTEE_RE = re.compile(
    rf"(?:^|、)(?:{DATE})?\s*(?P<org>[\u4e00-\u9fff]+?)(?:第[^届、]+届)?(?:审判委员会|检察委员会)")
_CABINET_RE = re.compile(r"^(?P<org>[\u4e00-\u9fff]+?)第[\d〇一二三四五六七八九十百]+次常务会议")
_DECREE_ORG_RE = re.compile(r"(?:^|、)(?:中华人民共和国)?(?P<org>[\u4e00-\u9fff、]+?)令第?\d+号")
_ISSUER_RE = re.compile(r"^(?P<org>[\u4e00-\u9fff、]+?)(?:公告)?(?:第\d+号)?(?:发布|公布|批准|印发|颁布)")


def starts_event(line: str) -> bool:
    """Say whether ``line`` opens a history line: a date, then who did what (no sentence)."""
    if "。" in line:
        return False
    match = _START_RE.match(line)
    if not match:
        return bool(_PAREN_START_RE.match(line)) and any(verb in line for verb in EVENT_VERBS)
    gap, rest = match.group(2), match.group(3)
    if rest[:1] in _CLAUSE_PUNCTUATION:
        return False
    # LawRefBook writes "DATE 机关…"; flk writes "（DATE机关…通过"; a truncated line may lack its verb.
    return bool(gap and rest) or any(verb in rest for verb in EVENT_VERBS)


def ends_event(line: str) -> bool:
    """Say whether ``line`` could end a history line that began above it (…海关总署发布)."""
    return line.endswith(EVENT_VERBS)


def open_parens(text: str) -> int:
    """Return how many parentheses ``text`` opens and does not close."""
    return text.count("（") + text.count("(") - text.count("）") - text.count(")")


def _strip_unbalanced(text: str) -> str:
    """Strip the parentheses that open or close the whole history but not this event."""
    text = text.strip(" ，,；;、")
    while text[:1] in ("（", "(") and open_parens(text) > 0:
        text = text[1:].strip()
    while text[-1:] in ("）", ")") and open_parens(text) < 0:
        text = text[:-1].strip()
    return text


def events(lines: list[str]) -> tuple[str, ...]:
    """Split history lines into one cleaned string per adoption or amendment event."""
    text = re.sub(r"\s+", " ", " ".join(lines).replace("\u3000", " ")).strip()
    starts = [match.start() for match in _EVENT_START_RE.finditer(text)]
    if not starts or starts[0]:
        starts.insert(0, 0)  # a first event that names no date: "（最高人民法院审判委员会…通过"
    pieces = [text[start:end] for start, end in pairwise([*starts, len(text)])]
    cleaned = []
    for piece in pieces:
        piece = re.sub(r"^根据\s+", "根据", _strip_unbalanced(piece)).removesuffix("根据")
        if piece := _strip_unbalanced(piece):
            cleaned.append(piece)
    return tuple(cleaned)


def _when(event: str) -> str:
    """Return the latest date in an event ("…通过并经2019年2月12日…批准…修正" is in force from then)."""
    return max(find_dates(event), default="")


def published(history: tuple[str, ...], file_date: str | None) -> str | None:
    """Return the date a law's current text was published: its latest 公布/修正/修订 event.

    When the latest event only says 通过 or 批准 (the text was published later, on a date
    the header does not give), a date in the file name is the better guess.
    """
    dated = [event for event in history if _when(event) and not event.rstrip("）)").endswith(("施行", "实施"))]
    if not dated:
        return None
    latest = max(dated, key=_when)
    # A file named for a later version than its header lists (风景名胜区条例(2016-02-06) whose
    # header stops at 2006): the file's version date is the text's date.
    if file_date and file_date > _when(latest):
        return file_date
    if any(verb in latest for verb in _PUBLISHING):
        return _when(latest)
    if file_date and file_date >= _when(latest):
        return file_date
    return _when(latest)


def decree_number(history: tuple[str, ...]) -> str | None:
    """Return the 令 number of the latest event that has one (国令第721号)."""
    numbered = [event for event in history if _DECREE_NUMBER_RE.search(event)]
    if not numbered:
        return None
    latest = max(numbered, key=_when)
    return normalize_number(_DECREE_NUMBER_RE.findall(latest)[0])


def _organ(event: str) -> str | None:
    """Return the body an event names as acting (上海市人民代表大会常务委员会, 国务院), or None."""
    rest = re.sub(rf"^(?:根据)?\s*{DATE}\s*(?:经|由)?", "", event)
    if congress := _CONGRESS_RE.match(rest):
        body = congress["congress"].replace("人大", "人民代表大会")
        return congress["place"] + body + ("常务委员会" if congress["standing"] else "")
    committees = [match["org"] for match in _COMMITTEE_RE.finditer(rest)]
    if committees:
        return "、".join(dict.fromkeys(committees))
    if cabinet := _CABINET_RE.match(rest):
        return cabinet["org"]
    decrees = [match["org"].replace("中华人民共和国", "") for match in _DECREE_ORG_RE.finditer(rest)]
    if decrees:
        return "、".join(decrees)
    if issuer := _ISSUER_RE.match(rest):
        return issuer["org"]
    return None


def enacted_by(history: tuple[str, ...]) -> str | None:
    """Return who enacted the law: the body named by its first event that names one."""
    for event in history:
        organ = _organ(event)
        if organ and all(is_agency(part) for part in organ.split("、")):
            return organ
    return None

