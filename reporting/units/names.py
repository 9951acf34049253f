"""Matching agency names as documents print them to agencies.

Documents spell the same unit several ways ("Công an thành phố" / "Công an
Thành phố", "Ủy ban nhân dân" / "UBND", "–" / "-", line breaks inside a
name) and name groups of units ("UBND quận, huyện, thành phố Thủ Đức").
A printed list is read left to right, always taking the longest known name,
so commas inside a name never split it; what matches nothing is returned as
unresolved, never guessed.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from reporting.choices import AgencyKind

_REPLACEMENTS = [
    (re.compile(r"[‐‑‒–—−]"), "-"),
    (re.compile(r"\s*-\s*"), " - "),
    (re.compile(r"ủy ban nhân dân|uỷ ban nhân dân"), "ubnd"),
    (re.compile(r"\buỷ\b"), "ủy"),
    (re.compile(r"\btp\.\s*|\btp\b"), "thành phố "),
    (re.compile(r"\s+"), " "),
]


def normalise_name(text):
    text = unicodedata.normalize("NFC", text or "").lower()
    for pattern, replacement in _REPLACEMENTS:
        text = pattern.sub(replacement, text)
    return text.strip(" ,;.")


D, W, DEP = AgencyKind.DISTRICT, AgencyKind.WARD, AgencyKind.DEPARTMENT

# Phrases that name every unit of a kind. They are the documents' vocabulary,
# not agencies, which is why they live here and not in the agency catalog.
# "các" is read as a separator, so no phrase starts with it.
GROUP_PHRASES = {
    "sở, ban, ngành thành phố": [DEP],
    "sở, ban, ngành có liên quan": [DEP],
    "sở, ban, ngành": [DEP],
    "sở, ngành": [DEP],
    "ubnd quận, huyện, thành phố thủ đức": [D],
    "ubnd quận, huyện": [D],
    "ubnd cấp huyện, cấp xã": [D, W],
    "ubnd cấp huyện": [D],
    "ubnd phường, xã, thị trấn": [W],
    "ubnd cấp xã": [W],
    "ban chỉ đạo triển khai thực hiện đề án 06 cấp huyện": [D],
    "tổ công tác cấp xã": [W],
    "địa phương": [D, W],
}

_SEPARATOR = re.compile(r"\s*(?:,|;|\bvà\b|\bcác\b)\s*")
_FILLER = {"", "có liên quan", "liên quan", "các đơn vị liên quan", "đơn vị liên quan"}


@dataclass
class MatchResult:
    agencies: list = field(default_factory=list)
    kinds: list = field(default_factory=list)
    unresolved: list = field(default_factory=list)


class NameMatcher:
    """Built once from the agencies (name, short name, aliases); matches printed lists."""

    def __init__(self, agencies):
        self.phrases = {}
        for agency in agencies:
            for name in [agency.name, agency.short_name, *agency.alias_list()]:
                if name:
                    self.phrases.setdefault(normalise_name(name), agency)
        for phrase, kinds in GROUP_PHRASES.items():
            self.phrases.setdefault(phrase, kinds)
        # Longest first, so "Sở Thông tin và Truyền thông" wins over any shorter prefix.
        self._ordered = sorted(self.phrases, key=len, reverse=True)

    def match_one(self, name):
        return self.phrases.get(normalise_name(name))

    def match_list(self, printed):
        result = MatchResult()
        text = normalise_name(printed)
        position = 0
        while position < len(text):
            skip = _SEPARATOR.match(text, position)
            if skip and skip.end() > position:
                position = skip.end()
                continue
            phrase = self._longest_phrase_at(text, position)
            if phrase:
                self._add(result, self.phrases[phrase])
                position += len(phrase)
                continue
            following = _SEPARATOR.search(text, position)
            end = following.start() if following and following.start() > position else len(text)
            piece = text[position:end].strip()
            if piece not in _FILLER:
                result.unresolved.append(piece)
            position = end if end > position else position + 1
        return result

    def _longest_phrase_at(self, text, position):
        for phrase in self._ordered:
            if text.startswith(phrase, position):
                end = position + len(phrase)
                if end == len(text) or not text[end].isalnum():
                    return phrase
        return None

    @staticmethod
    def _add(result, target):
        if isinstance(target, list):
            result.kinds.extend(kind for kind in target if kind not in result.kinds)
        elif target not in result.agencies:
            result.agencies.append(target)
