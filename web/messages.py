"""The Chinese detail line of an error page, from the engine's English message (kept for the
CLI and the JSON API), saying what to do next."""

from __future__ import annotations

import re

#: (English message, Chinese detail); the groups of the first fill the second's {0}, {1}, ...
_DETAILS = [
    (r"empty query: type the words to look for", "查询为空：请输入要查找的词。"),
    (r"the query contains control characters", "查询中含有控制字符：请删除后重新搜索。"),
    (r"query too long: (\d+) characters, the limit is (\d+)",
     "查询太长：共 {0} 个字，最多 {1} 个字。请缩短后重新搜索。"),
    (r"the query only excludes words: add a word to look for",
     "查询只排除了词语：请再加一个要查找的词。"),
    (r"too many different words: (\d+), the limit is (\d+)",
     "查询中不同的词太多：共 {0} 个，最多 {1} 个。请减少查询词。"),
    (r"section:(.*) is not a chapter: use a number such as section:3",
     "section:{0} 不是章节号：请写成数字，例如 section:3。"),
    (r"section must be a chapter number such as 3 or 三, not (.*)",
     "章节参数须为章节号，例如 3 或 三，而不是{0}。"),
    (r"(\w+) must be a whole number from 1, not (.*)", "参数 {0} 须为从 1 开始的整数，而不是{1}。"),
    (r"q must be at most (\d+) characters", "查询最多 {0} 个字。"),
    (r"no passage with id (.*)", "没有编号为{0}的段落：请搜索它的内容找到它。"),
    (r"no passage (.*) in document (.*)", "文件{1}中没有段落{0}：请打开文件查看目录。"),
    (r"no document with id (.*); list them with 'policy-search docs'",
     "没有编号为{0}的文件：请在文件库中查找正确的编号。"),
    (r"no document from office (.*); offices: (.*)",
     "没有发文机关为{0}的文件。可选的发文机关：{1}。"),
    (r"no document of type (.*); types: (.*)", "没有文种为{0}的文件。可选的文种：{1}。"),
    (r"year:(.*) is not a year: use four digits such as year:2019",
     "“{0}”不是年份：请输入四位数字，例如 2019。"),
    (r"(.*) is not a date: use 2018, 2018-01 or 2018-01-31",
     "{0}不是日期：请写成 2018、2018-01 或 2018-01-31。"),
    (r"after:(.*) is later than before:(.*)", "起始日期 {0} 晚于截止日期 {1}：请调换或改正。"),
    (r"sort must be relevance or date, not (.*)",
     "排序方式{0}无效：请选择 relevance（相关度）或 date（日期）。"),
    (r"sort must be date or title, not (.*)", "排序方式{0}无效：请选择 date（日期）或 title（标题）。"),
    (r"section: filters passages; a document list takes no section",
     "文件列表不能按章节筛选：请去掉章节条件。"),
    (r"(\w+) is too long: (\d+) characters, the limit is (\d+)",
     "筛选条件 {0} 太长：共 {1} 个字，最多 {2} 个字。"),
    (r"no document with id (.*)", "没有编号为{0}的文件：请在首页查看收录的文件。"),
    (r"an unexpected error occurred; please try again", "发生了意外错误：请稍后重试。"),
    (r"document (.*) has (\d+) pages?, not (\d+)", "文件{0}只有 {1} 页，没有第 {2} 页。"),
    (r"the index is being rebuilt from the seeds \((.*)\); try again in a moment",
     "索引已损坏或缺失（{0}），正在从源文件重新建立。"),
]
_COMPILED = [(re.compile(f"^{pattern}$"), detail) for pattern, detail in _DETAILS]

#: When a message is not one of the above: what the status means, in Chinese.
_BY_STATUS = {
    400: "请求的参数有误：请检查后重试。",
    404: "请检查链接，或者搜索要找的内容。",
    503: "索引暂不可用：请联系管理员建立索引。",
}


def _quoted(value: str) -> str:
    """Return a value the engine quoted as Python does ('x') in Chinese quotation marks."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return f"“{value[1:-1]}”"
    return value


def chinese_detail(status: int, message: str) -> str:
    """Return the Chinese detail line for an error ``message`` (English, from the engine)."""
    for pattern, detail in _COMPILED:
        match = pattern.match(message)
        if match:
            return detail.format(*(_quoted(value) for value in match.groups()))
    return _BY_STATUS.get(status, "请稍后重试。") if message else ""
