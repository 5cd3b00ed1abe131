"""Write a deterministic corpus of N passages: synthetic, or the real laws replicated.

The real-law corpus is bench/laws.py's. The synthetic one is in the seed document's format.

Every document looks like the saved web page in seeds/: breadcrumb, title, a
``来源: <office> (<date>)`` line, the font-size chrome, a notice, an intro, then 一、
sections with a lead paragraph and (一) subsections, and ``[关闭窗口]``. The text is
the seed's own sentences, shuffled, with the region, districts, year and every other
number varied per document, so vocabulary and numbers grow with the corpus the way
they would in a real collection. Document i depends only on (seed, i): a larger
corpus starts with the documents of a smaller one.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from bench.laws import LAWS_SOURCE, LAWS_VERSION, law_documents
from search.documents import Document, parse_document

#: Bump when the generator's output changes: corpora on disk are then regenerated.
GENERATOR_VERSION = 2
DEFAULT_SEED = 20170402
SEED_DOCUMENT = Path(__file__).resolve().parent.parent / "seeds" / "tianjin-ip-2017.txt"
MANIFEST = "corpus.json"
#: The kinds of corpus: generated from the seed document, or the real laws replicated.
SYNTHETIC, LAWS = "synthetic", "laws"
KINDS = (SYNTHETIC, LAWS)

_NUMERALS = "一二三四五六七八九十"
_REGIONS = [
    ("天津市", "天津"), ("北京市", "北京"), ("上海市", "上海"), ("重庆市", "重庆"),
    ("河北省", "河北"), ("山西省", "山西"), ("辽宁省", "辽宁"), ("吉林省", "吉林"),
    ("江苏省", "江苏"), ("浙江省", "浙江"), ("安徽省", "安徽"), ("福建省", "福建"),
    ("江西省", "江西"), ("山东省", "山东"), ("河南省", "河南"), ("湖北省", "湖北"),
    ("湖南省", "湖南"), ("广东省", "广东"), ("海南省", "海南"), ("四川省", "四川"),
    ("贵州省", "贵州"), ("云南省", "云南"), ("陕西省", "陕西"), ("甘肃省", "甘肃"),
]
#: Districts named in the seed, each replaced by a district of the document's own.
_SEED_DISTRICTS = ["滨海新区", "武清区", "东丽区", "西青区", "河西区", "津南区"]
_DISTRICTS = [
    "朝阳区", "海淀区", "丰台区", "浦东新区", "闵行区", "徐汇区", "江北区", "渝中区",
    "鼓楼区", "玄武区", "西湖区", "滨江区", "天河区", "南山区", "福田区", "宝安区",
    "武侯区", "锦江区", "雁塔区", "碑林区", "历下区", "市南区", "思明区", "岳麓区",
    "江汉区", "洪山区", "金水区", "二七区", "包河区", "蜀山区", "长安区", "桥西区",
    "小店区", "和平区", "沈河区", "南关区", "南明区", "五华区", "城关区", "秀英区",
    "高新区", "经开区", "新城区", "老城区", "东湖区", "青山湖区", "龙华区", "黄埔区",
]
_AGENCIES = ["知识产权局", "科学技术局", "市场监督管理局", "商务局", "工业和信息化局"]
_OFFICES = ["办公室", "政策法规处", "专利管理处", "综合处", "规划发展处", "协调管理处",
            "宣传处", "执法处", "人事处", "财务处"]
_KINDS = ["工作总结", "工作要点", "年度报告", "工作计划", "实施情况报告"]
#: The IP hotline and the loan total that the query set looks for stay as they are.
_FIXED_NUMBERS = {"12330", "25.37"}
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_SENTENCE_RE = re.compile(r"[^。;]+[。;]")


@dataclass(frozen=True)
class CorpusInfo:
    """What a generated corpus holds; stored beside it as corpus.json."""

    passages: int
    documents: int
    characters: int
    raw_bytes: int
    seed: int  # 0 for the real laws: nothing random
    generator_version: int
    kind: str = "synthetic"
    source: str = ""  # the folder the real laws were read from

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _Material:
    """The seed's sentences, sorted by the role they play in a document."""

    section_headings: tuple[str, ...]
    leads: tuple[str, ...]
    sub_headings: tuple[str, ...]
    body: tuple[str, ...]
    intro: tuple[str, ...]
    notice_body: str


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_RE.findall(text.replace("\n", "")) if s.strip()]


@cache
def _material() -> _Material:
    """Cut the seed document into headings, leads, body sentences and intro sentences."""
    document: Document = parse_document(SEED_DOCUMENT)
    section_headings, leads, sub_headings, body, intro = [], [], [], [], []
    notice_body = ""
    for passage in document.passages:
        if passage.key == "notice":
            notice_body = passage.text.split("\n")[1]
        elif passage.key == "intro":
            intro.extend(_sentences(passage.text))
        elif "." not in passage.key:
            section_headings.append(passage.heading)
            leads.extend(_sentences(passage.text))
        else:
            sub_headings.append(passage.heading)
            sentences = _sentences(passage.text)
            body.extend(sentences[1:])  # the first sentence is "(一)heading。"
    return _Material(*map(tuple, (section_headings, leads, sub_headings, body, intro)),
                     notice_body=notice_body)


class _Variation:
    """One document's region, districts, year and numbers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.region, self.region_short = rng.choice(_REGIONS)
        self.districts = dict(zip(_SEED_DISTRICTS, rng.sample(_DISTRICTS, len(_SEED_DISTRICTS))))
        self.year = rng.randint(2010, 2024)

    def apply(self, text: str) -> str:
        """Rewrite seed text for this document."""
        text = text.replace("天津市", self.region).replace("天津", self.region_short)
        for seed_district, district in self.districts.items():
            text = text.replace(seed_district, district)
        return _NUMBER_RE.sub(self._number, text)

    def _number(self, match: re.Match) -> str:
        number = match.group()
        if number in _FIXED_NUMBERS:
            return number
        if len(number) == 4 and number.isdigit() and 2000 <= int(number) <= 2030:
            return str(int(number) + self.year - 2017)
        whole, _, decimals = number.partition(".")
        digits = str(self.rng.randint(1, 9)) + "".join(
            str(self.rng.randint(0, 9)) for _ in range(len(whole) - 1))
        if decimals:
            digits += "." + "".join(str(self.rng.randint(0, 9)) for _ in decimals)
        return digits


def chinese_numeral(number: int) -> str:
    """Return 1..99 as a Chinese numeral (3 -> 三, 12 -> 十二)."""
    tens, ones = divmod(number, 10)
    if not tens:
        return _NUMERALS[ones - 1]
    return ("" if tens == 1 else _NUMERALS[tens - 1]) + "十" + (_NUMERALS[ones - 1] if ones else "")


def document_text(seed: int, index: int) -> tuple[str, int]:
    """Return the text of document ``index`` and the number of passages it holds."""
    rng = random.Random(f"{seed}:{index}")
    material = _material()
    vary = _Variation(rng)
    agency = rng.choice(_AGENCIES)
    kind = rng.choice(_KINDS)
    report = f"{vary.region}{agency}{vary.year}年{kind}"
    published = f"{vary.year + 1}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    before, _, after = material.notice_body.partition("《天津市知识产权局2017年工作总结》")
    notice = f"{vary.apply(before)}《{report}》{vary.apply(after)}"
    lines = [
        "首页>新闻动态>通知公告",
        f"关于印发{report}的通知",
        f"来源: {rng.choice(_OFFICES)}         ({published})",
        "字体大小:       ",
        "",
        f"各区{agency}、各有关单位:",
        "",
        f"  {notice}",
        "",
        "    (此件主动公开)",
        "",
        f"  {report}",
        "",
    ]
    for _ in range(rng.randint(1, 2)):
        lines += [f"  {vary.apply(''.join(rng.sample(material.intro, 3)))}", ""]
    passages = 2
    sections = rng.randint(5, 8)
    for number, heading in enumerate(rng.sample(material.section_headings * 2, sections), 1):
        lines += [f"  {chinese_numeral(number)}、{vary.apply(heading)}", "",
                  f"  {vary.apply(''.join(rng.sample(material.leads, rng.randint(1, 2))))}", ""]
        subsections = rng.randint(2, 4)
        for sub, sub_heading in enumerate(rng.sample(material.sub_headings, subsections), 1):
            sentences = "".join(rng.sample(material.body, rng.randint(3, 7)))
            lines += [f"  ({chinese_numeral(sub)}){vary.apply(sub_heading)}。{vary.apply(sentences)}",
                      ""]
        passages += 1 + subsections
    lines.append("[关闭窗口]")
    return "\n".join(lines) + "\n", passages


def parse_size(label: str) -> int:
    """Read a corpus size such as 30k, 300k, 1M or 1200 as a number of passages."""
    text = label.strip().lower()
    scale = {"k": 1000, "m": 1_000_000}.get(text[-1:], 1)
    try:
        value = float(text.rstrip("km")) * scale
    except ValueError:
        raise ValueError(f"not a corpus size: {label!r} (use e.g. 1k, 30k, 1M or 500)") from None
    if value < 1:
        raise ValueError(f"corpus size must be at least 1 passage, not {label!r}")
    return int(value)


def size_label(passages: int) -> str:
    """Write a passage count the way --sizes takes it (30000 -> 30k, 1000000 -> 1M)."""
    if passages % 1_000_000 == 0:
        return f"{passages // 1_000_000}M"
    return f"{passages // 1000}k" if passages % 1000 == 0 else str(passages)


def _synthetic_documents(seed: int) -> Iterator[tuple[str, str, int]]:
    """Yield (file name, text, passages) of generated documents 0, 1, 2, ..."""
    for index in itertools.count():
        text, passages = document_text(seed, index)
        yield f"policy-{index:05d}.txt", text, passages


def corpus_dir(corpora: Path, passages: int, seed: int = DEFAULT_SEED, kind: str = SYNTHETIC) -> Path:
    """Return the folder a corpus of ``passages`` passages of ``kind`` lives in."""
    if kind == LAWS:
        return corpora / f"{LAWS}-{size_label(passages)}-v{LAWS_VERSION}"
    return corpora / f"{size_label(passages)}-seed{seed}-v{GENERATOR_VERSION}"


def ensure_corpus(corpora: Path, passages: int, seed: int = DEFAULT_SEED, kind: str = SYNTHETIC,
                  source: Path = LAWS_SOURCE) -> tuple[Path, CorpusInfo]:
    """Write the corpus of at least ``passages`` passages of ``kind`` unless it is already on disk.

    ``synthetic`` is generated from the seed document with ``seed``; ``laws`` replicates the
    real laws of ``source`` (bench/laws.py).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown corpus kind {kind!r} (one of {', '.join(KINDS)})")
    version, seed = (LAWS_VERSION, 0) if kind == LAWS else (GENERATOR_VERSION, seed)
    origin = str(source.resolve()) if kind == LAWS else ""
    target = corpus_dir(corpora, passages, seed, kind)
    manifest = target / MANIFEST
    if manifest.is_file():
        recorded = CorpusInfo(**json.loads(manifest.read_text(encoding="utf-8")))
        if (recorded.generator_version, recorded.seed, recorded.kind, recorded.source) == (
                version, seed, kind, origin):
            return target / "docs", recorded
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    docs = partial / "docs"
    docs.mkdir(parents=True)
    total = raw_bytes = written = 0
    documents = law_documents(source) if kind == LAWS else _synthetic_documents(seed)
    for name, text, count in documents:
        if total >= passages:
            break
        data = text.encode("utf-8")
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        total += count
        raw_bytes += len(data)
        written += 1
    # Count what policy-search reads from the files written (a copy's new title can change it).
    total = characters = 0
    for path in sorted(docs.rglob("*")):
        if path.is_file():
            passages_read = parse_document(path, docs).passages
            total += len(passages_read)
            characters += sum(len(p.text) for p in passages_read)
    info = CorpusInfo(total, written, characters, raw_bytes, seed, version, kind, origin)
    (partial / MANIFEST).write_text(json.dumps(info.to_json(), indent=1), encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target / "docs", info
