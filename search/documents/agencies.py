"""Recognise the names of issuing bodies: 国务院办公厅, 新疆维吾尔自治区质量技术监督局, 最高人民法院."""

from __future__ import annotations

import re

#: How the name of a government body, court, congress or party organ ends.
_SUFFIX_RE = re.compile(
    "(?:院|部|委|会|局|厅|办|室|署|府|处|所|司|行|团|社|联|站|馆|台|队|组|中心|中央|军委|政府|"
    "公司|集团|大学|学院|学校|党委|支队|总队|办事处)$")
_NOT_NAME_RE = re.compile(r"[，。；：:！？!?,;“”\"《》<>\d]|^(?:附件|抄送|主题词|联系)")
_SEPARATOR_RE = re.compile(r"[、\s\u3000]+")


def is_agency(name: str) -> bool:
    """Say whether ``name`` reads as the name of one issuing body."""
    return 2 <= len(name) <= 30 and not _NOT_NAME_RE.search(name) and bool(_SUFFIX_RE.search(name))


def agencies(line: str) -> str | None:
    """Return the bodies a line names, joined with 、 ("国务院　中央军委" -> "国务院、中央军委")."""
    names = [name for name in _SEPARATOR_RE.split(line.strip()) if name]
    if names and len(line) <= 60 and all(is_agency(name) for name in names):
        return "、".join(names)
    return None
