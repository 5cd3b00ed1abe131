"""Turn a text file's bytes into str: UTF-8, GB18030, UTF-16 and UTF-32 (with or without BOM)."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from search.documents.model import CorpusError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


#: What text in a Chinese document is made of: ASCII, Latin-1, CJK and its punctuation.
_TEXT_CHAR_RE = re.compile("[\t\n\r\x20-\x7e\xa0-\xff\u2000-\u206f\u3000-\u303f"
                           "\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def _wide_encoding(raw: bytes) -> str | None:
    """Guess UTF-32 or UTF-16 without a BOM: the one that decodes to text-like characters."""
    sample = raw[:4096]
    for name, width in (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)):
        try:
            text = sample[: len(sample) - len(sample) % width].decode(name)
        except UnicodeDecodeError:
            continue
        if text and "\x00" not in text and len(_TEXT_CHAR_RE.findall(text)) >= 0.95 * len(text):
            return name
    return None


def _looks_like_text(text: str) -> bool:
    sample = text[:4096]
    return len(_TEXT_CHAR_RE.findall(sample)) >= 0.95 * len(sample)


def decode(raw: bytes, path: Path) -> str:
    """Decode a text file, or raise CorpusError naming why it is not text we can read."""
    if not raw.strip(b" \t\r\n"):
        raise CorpusError(path, "empty file")
    bom = next(((mark, name) for mark, name in _BOMS if raw.startswith(mark)), None)
    if bom:
        raw, encodings = raw[len(bom[0]):], (bom[1],)
    elif b"\x00" in raw:
        wide = _wide_encoding(raw)
        if wide is None:
            raise CorpusError(path, "binary file (contains NUL bytes), not text")
        encodings = (wide,)
    else:
        # Strict UTF-8 first: many UTF-8 Chinese byte strings also decode as GB18030.
        encodings = ("utf-8", "gb18030")
    for name in encodings:
        try:
            text = raw.decode(name)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _looks_like_text(text):
            return text.replace("\r\n", "\n").replace("\r", "\n")
    if bom:
        raise CorpusError(path, f"cannot decode: the file starts like {bom[1].upper()} but is not")
    raise CorpusError(path, "cannot decode: the file is neither UTF-8 nor GB18030")
