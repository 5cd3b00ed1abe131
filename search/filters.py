"""Document-level filters: their names, how a typed value is read, which documents it keeps.

The one place for them: the query syntax (``office:国务院``), the URL and API parameters
(``?office=国务院``), the CLI flags (``--office 国务院``), /docs and /api/documents all
read filters here. Every filter but ``section`` keeps or drops whole documents, so it is
answered from the catalogue (documents.json) as a set of document ids; filters of
different kinds combine (AND).
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace

from search.documents.numbering import chapter_number
from search.errors import QueryError
from search.normalize import fold
from search.settings import FACET_VALUES, MAX_QUERY_LENGTH, SORTS

#: Public name (query syntax, URL parameter, CLI flag) -> Filters attribute, in display order.
NAMES: dict[str, str] = {
    "office": "office", "year": "year", "after": "after", "before": "before",
    "type": "doc_type", "doc": "doc", "section": "section", "title": "title",
}
#: The facets a search and /docs count, by public name (section only within one document).
FACETS = ("office", "year", "type", "doc")
#: Values named in an error for an unknown office or type.
NAMED_IN_ERROR = 8

_DATE_RE = re.compile(
    r"^(\d{4})(?:\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?\s*月?)?\s*年?$")
_OFFICE_SPLIT_RE = re.compile(r"[、，,;；\s]+")


class FilterError(QueryError):
    """A filter value that cannot be used, or that names nothing in the library."""


@dataclass(frozen=True)
class Filters:
    """The filters of one search or listing, checked; None = not filtered."""

    office: str | None = None
    year: int | None = None
    after: str | None = None
    before: str | None = None
    doc_type: str | None = None
    doc: str | None = None
    section: int | None = None
    title: str | None = None

    @classmethod
    def read(cls, values: Mapping[str, object]) -> "Filters":
        """Check typed values by public name (office, year, type, ...); raise FilterError."""
        found = cls()
        for name, attribute in NAMES.items():
            value = values.get(name)
            if value is not None and str(value).strip():
                found = replace(found, **{attribute: _checked(name, str(value).strip())})
        if found.after and found.before and _bound(found.after, False) > _bound(found.before, True):
            raise FilterError(f"after:{found.after} is later than before:{found.before}")
        return found

    def merged(self, other: "Filters") -> "Filters":
        """Return these filters with ``other``'s set values on top."""
        return replace(self, **{f.name: getattr(other, f.name) for f in fields(other)
                                if getattr(other, f.name) is not None})

    def without(self, name: str) -> "Filters":
        """Return these filters less the one with public ``name``."""
        return replace(self, **{NAMES[name]: None})

    def active(self) -> list[tuple[str, str]]:
        """Return (public name, value as typed) of every filter that is set, in display order."""
        return [(name, str(getattr(self, attribute))) for name, attribute in NAMES.items()
                if getattr(self, attribute) is not None]

    def __bool__(self) -> bool:
        return bool(self.active())

    def document_level(self) -> bool:
        """Tell whether a filter other than ``section`` is set (one that keeps documents)."""
        return any(name != "section" for name, _ in self.active())

    def documents(self, catalogue: Mapping[str, dict]) -> set[str] | None:
        """Return the ids of the documents these filters keep (None: no document filter).

        Raise FilterError for a document, office or type that the library does not have.
        """
        if not self.document_level():
            return None
        self.check_known(catalogue)
        return {doc_id for doc_id, entry in catalogue.items() if self.keeps(entry)}

    def check_known(self, catalogue: Mapping[str, dict]) -> None:
        """Raise FilterError when a document, office or type filter names nothing known."""
        if self.doc is not None and self.doc not in catalogue:
            raise FilterError(f"no document with id {self.doc!r}; list them with "
                              "'policy-search docs'")
        entries = catalogue.values()
        if self.office is not None and not any(_office_is(e, self.office) for e in entries):
            # A joint document's bodies each count: 最高人民法院、最高人民检察院 is two offices.
            known = _known(part for e in entries for part in offices(str(e.get("office") or "")))
            raise FilterError(f"no document from office {self.office!r}; offices: {known}")
        if self.doc_type is not None and not any(_type_is(e, self.doc_type) for e in entries):
            known = _known(e.get("doc_type") for e in entries)
            raise FilterError(f"no document of type {self.doc_type!r}; types: {known}")

    def keeps(self, entry: Mapping[str, object]) -> bool:
        """Tell whether a catalogue entry passes every document-level filter."""
        date = str(entry.get("date") or "")
        return ((self.doc is None or entry.get("id") == self.doc)
                and (self.office is None or _office_is(entry, self.office))
                and (self.doc_type is None or _type_is(entry, self.doc_type))
                and (self.year is None or date[:4] == str(self.year))
                and (self.after is None or (bool(date) and date >= _bound(self.after, False)))
                and (self.before is None or (bool(date) and date <= _bound(self.before, True)))
                and (self.title is None or fold(self.title) in fold(str(entry.get("title") or ""))))

    def facets(self, catalogue: Mapping[str, dict], counts: Mapping[str, int] | None = None
               ) -> dict[str, dict[str, int]]:
        """Count by office, year, type and document: hits per document in ``counts`` (every
        document counts 1 when None), each facet under every filter but its own."""
        found: dict[str, dict[str, int]] = {}
        weighed = (((entry, 1) for entry in catalogue.values()) if counts is None else
                   ((catalogue[doc_id], weight) for doc_id, weight in counts.items()
                    if weight and doc_id in catalogue))
        entries = list(weighed)
        for name in FACETS:
            others = self.without(name)
            tally: Counter[str] = Counter()
            # Only the document-level filters can drop an entry (section is a passage's).
            kept = (entries if not others.document_level() else
                    [(entry, weight) for entry, weight in entries if others.keeps(entry)])
            for entry, weight in kept:
                for value in facet_values(name, entry):
                    tally[value] += weight
            found[name] = self._listed(name, tally)
        return found

    def _listed(self, name: str, tally: Counter[str]) -> dict[str, int]:
        # The FACET_VALUES largest counts (years: the newest), and the chosen value always.
        ranked = (sorted(tally.items(), reverse=True) if name == "year" else
                  sorted(tally.items(), key=lambda item: (-item[1], item[0])))
        kept = dict(ranked[:FACET_VALUES])
        chosen = dict(self.active()).get(name)
        if chosen is not None and str(chosen) in tally:
            kept[str(chosen)] = tally[str(chosen)]
        return dict(sorted(kept.items(), key=_facet_order(name)))


def facet_values(name: str, entry: Mapping[str, object]) -> list[str]:
    """Return the values a catalogue entry counts for under facet ``name``."""
    if name == "office":
        return offices(str(entry.get("office") or ""))
    if name == "year":
        return [str(entry["date"])[:4]] if entry.get("date") else []
    value = entry.get("doc_type" if name == "type" else "id")
    return [str(value)] if value else []


def _facet_order(name: str):
    # Years newest first; everything else by count, then name.
    if name == "year":
        return lambda item: item[0]
    return lambda item: (-item[1], item[0])


def offices(office: str) -> list[str]:
    """Return the issuing bodies of a joint document (国务院、中央军委 -> both)."""
    return [part for part in _OFFICE_SPLIT_RE.split(office) if part]


def _office_is(entry: Mapping[str, object], value: str) -> bool:
    wanted = fold(value)
    office = str(entry.get("office") or "")
    return bool(office) and (fold(office) == wanted
                             or any(fold(part) == wanted for part in offices(office)))


def _type_is(entry: Mapping[str, object], value: str) -> bool:
    return fold(str(entry.get("doc_type") or "")) == fold(value)


def _known(values: Iterable[object]) -> str:
    counted = Counter(str(v) for v in values if v)
    names = [name for name, _ in counted.most_common(NAMED_IN_ERROR)]
    more = "…" if len(counted) > NAMED_IN_ERROR else ""
    return "、".join(names) + more if names else "none"


def _checked(name: str, value: str) -> object:
    """Return a typed filter value checked and in its canonical form."""
    if len(value) > MAX_QUERY_LENGTH:  # a value is matched against every title: bound it
        raise FilterError(f"{name} is too long: {len(value)} characters, the limit is "
                          f"{MAX_QUERY_LENGTH}")
    if name == "year":
        if not (value.isascii() and value.isdigit() and len(value) == 4):
            raise FilterError(f"year:{value} is not a year: use four digits such as year:2019")
        return int(value)
    if name in ("after", "before"):
        _bound(value, name == "before")
        return value
    if name == "section":
        try:
            number = chapter_number(value)
        except ValueError:  # "²" passes isdigit() but not int()
            number = None
        if not number:
            raise FilterError(f"section:{value} is not a chapter: use a number such as section:3")
        return number
    return value


def _bound(value: str, end: bool) -> str:
    """Return the first (or with ``end`` the last) day a typed date means: 2018 -> 2018-01-01."""
    match = _DATE_RE.match(value.strip())
    try:
        if not match:
            raise ValueError(value)
        year = int(match[1])
        month = int(match[2]) if match[2] else (12 if end else 1)
        last = calendar.monthrange(year, month)[1]
        day = int(match[3]) if match[3] else (last if end else 1)
        if not 1 <= day <= last:
            raise ValueError(value)
    except ValueError:
        raise FilterError(f"{value!r} is not a date: use 2018, 2018-01 or 2018-01-31") from None
    return f"{year:04d}-{month:02d}-{day:02d}"


def sort_order(value: str | None) -> str:
    """Return a checked sort order: relevance (the default) or date."""
    value = (value or "").strip().lower() or SORTS[0]
    if value not in SORTS:
        raise FilterError(f"sort must be relevance or date, not {value!r}")
    return value
