"""What a build holds: the fields of a passage, how they are indexed, and its files.

Layout of a build folder (index/build-<stamp>/)::

    whoosh's segments and TOC, each segment's common terms as arrays (<segment id>.hot,
    search/hot_postings.py), manifest.json (search/manifest.py), documents.sqlite (the
    catalogue, search/catalogue_file.py), vocabulary.marshal (the query segmenter),
    pinyin.json, update.json (what an update starts from), deleted.marshal
    (search/livestats.py), and the lifecycle's markers (search/lifecycle.py).
"""

from __future__ import annotations

from whoosh.fields import ID, NUMERIC, STORED, Schema

from search.analysis import GramTokenizer, TermText, WordTokenizer

# Field names: the one place they are spelled.
F_ID, F_DOC, F_SECTION, F_ORDER = "id", "doc_id", "section", "order"
F_HEADING, F_WORDS, F_GRAMS = "heading", "words", "grams"
F_TEXT, F_PATH, F_KEY, F_TITLE, F_DATE = "text", "path", "key", "doc_title", "date"
#: The words of a passage's heading path (章 / 节 titles, the 一、 line above a （一）).
F_CONTEXT = "context"
#: The words of the passage's document title: they add to a passage that matches the query
#: (劳动合同法 加班 puts 劳动合同法's articles on 加班 first) and never match on their own.
F_TITLE_WORDS = "title_words"
#: The document's metadata a hit shows: office, number, doc_type, published, source_url.
F_META = "meta"
META_KEYS = ("office", "number", "doc_type", "published", "source_url", "current_version")

HEADING_BOOST = 2.0
#: A word found only in the headings above a passage counts for it, less than its own words.
CONTEXT_BOOST = 0.5

DOCUMENTS = "documents.sqlite"
VOCABULARY = "vocabulary.marshal"
PINYIN = "pinyin.json"
#: A large build's word dictionary, which its updates read a word at a time
#: (search/dictionary_file.py).
DICTIONARY = "dictionary.sqlite"
#: What an update starts from: the corpus dictionary the build was cut with, each
#: document's “” and 《》 terms, and each document's tie-break slot (search/update.py).
STATE = "update.json"
#: The fields cut into words with the dictionary: their terms are the query vocabulary.
WORD_FIELDS = (F_WORDS, F_HEADING, F_CONTEXT, F_TITLE_WORDS)
#: A passage's tie-break order is its document's slot, then its place in the document
#: (order_of). A full build spaces the slots ORDER_GAP apart, so an update can rank a new
#: document between two others without renumbering them (16 halvings of a gap).
PASSAGE_BITS = 20
ORDER_GAP = 1 << 16


def schema() -> Schema:
    """Return the whoosh schema of a passage."""
    return Schema(
        **{
            F_ID: ID(stored=True, unique=True),
            F_DOC: ID(stored=True),
            F_SECTION: ID(stored=True),
            # 64 bits: room between documents for the ones an update inserts (see order_of).
            F_ORDER: NUMERIC(numtype=int, bits=64, stored=True, sortable=True),
            # Only the grams are searched by phrase: the word fields need no positions.
            F_HEADING: TermText(analyzer=WordTokenizer(), field_boost=HEADING_BOOST, stored=True,
                                phrase=False),
            F_WORDS: TermText(analyzer=WordTokenizer(), phrase=False),
            F_CONTEXT: TermText(analyzer=WordTokenizer(), field_boost=CONTEXT_BOOST, phrase=False),
            F_TITLE_WORDS: TermText(analyzer=WordTokenizer(), field_boost=CONTEXT_BOOST,
                                    phrase=False),
            F_GRAMS: TermText(analyzer=GramTokenizer(), phrase=True),
            F_TEXT: STORED(),
            F_PATH: STORED(),
            F_KEY: STORED(),
            F_TITLE: STORED(),
            F_DATE: STORED(),
            F_META: STORED(),
        }
    )


def order_of(slot: int, number: int) -> int:
    """Return the tie-break order of the ``number``-th passage of the document at ``slot``."""
    # Past 2**PASSAGE_BITS passages of one document, its last ones tie among themselves.
    return (slot << PASSAGE_BITS) + min(number, (1 << PASSAGE_BITS) - 1)


def slot_of(order: int) -> int:
    """Return the slot of the document whose passage has tie-break order ``order``."""
    return order >> PASSAGE_BITS


def indexed_fields(stored: dict) -> dict:
    """Return a passage's fields to index, from its stored fields (an update re-reads a
    deleted passage's from the index this way)."""
    heading, text, path = stored[F_HEADING], stored[F_TEXT], stored[F_PATH]
    # A section lead's heading stands on its own line: make it verbatim-findable too.
    heading_in_text = heading in text[: len(heading) + 4]
    return {**stored, F_WORDS: text, F_GRAMS: text if heading_in_text else f"{heading}\n{text}",
            F_CONTEXT: " ".join(path[:-1]) if len(path) > 1 else "",
            F_TITLE_WORDS: stored[F_TITLE]}
