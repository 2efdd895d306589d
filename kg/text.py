"""Split article text into sentences with character offsets and a language each; and the
look-ups that let the extractor run a costly pattern only where it can match (``plain_lower``,
``words_automaton``, ``finditer_where``, ``without_hangul``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import ahocorasick

from kg.read import guess_language

# A sentence ends at . ! ? 。 … (optionally followed by a closing quote or bracket)
# and white space, unless the period belongs to a known abbreviation.
_END = re.compile(r"[.!?。…]+[\"'’”)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)$")  # searched in the few characters before a period
_ABBREVIATIONS = frozenset(
    "u.s u.k u.n e.u mr mrs ms dr st vs jan feb mar apr jun jul aug sep sept oct nov dec "
    "gen col lt sen rep gov pres prof inc corp co jr sr etc approx dept".split()
)


_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# The only characters a case-insensitive (re.I) ASCII letter matches that do not lower-case to it one for
# one: İ (lower-cases to two characters), ı (matches i), ſ (matches s), K (Kelvin sign, matches k).
_ODD_CASE = re.compile("[\u0130\u0131\u017f\u212a]")


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: ``text == article.text[start:end]``."""

    text: str
    start: int
    end: int
    lang: str  # "ko", "en" or "und"


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` in order, each with offsets into ``text``."""
    return list(_iter_sentences(text))


def _iter_sentences(text: str) -> Iterator[Sentence]:
    offset = 0
    for line in text.split("\n"):
        for start, end in _split_line(line):
            chunk = line[start:end]
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk.rstrip())
            if trail > lead:
                s, e = offset + start + lead, offset + start + trail
                yield Sentence(text[s:e], s, e, guess_language(text[s:e]))
        offset += len(line) + 1


def _split_line(line: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _END.finditer(line):
        if _is_abbreviation(line, match.start()):
            continue
        yield start, match.end()
        start = match.end()
    yield start, len(line)


def _is_abbreviation(line: str, dot: int) -> bool:
    if line[dot] != ".":
        return False
    word = _WORD_BEFORE.search(line, max(0, dot - 24), dot)
    if not word:
        return False
    token = word.group(1).lower().strip(".")
    if token == "no":  # "No. 5", but "he said no."
        return bool(re.match(r"\.\s*\d", line[dot:]))
    return token in _ABBREVIATIONS or len(token) == 1


def plain_lower(text: str) -> str | None:
    """``text.lower()`` when it has ``text``'s offsets and every ASCII word that a case-insensitive (re.I)
    pattern finds in ``text`` is in it, lower-cased, at the same place; else None.

    Cheap look-ups on the lower-cased copy then tell where such a pattern may match.
    """
    if _ODD_CASE.search(text) is not None:
        return None
    low = text.lower()
    return low if len(low) == len(text) else None


def without_hangul(automaton: ahocorasick.Automaton) -> ahocorasick.Automaton | None:
    """The automaton of the words of ``automaton`` without Hangul, to search text without Hangul: an
    automaton tries its root's branches (the first letters of all its words, hundreds, most of them
    Hangul) one by one at every character. None when there are no such words."""
    latin = ahocorasick.Automaton()
    for word, value in automaton.items():
        if not _HANGUL.search(word):
            latin.add_word(word, value)
    if not len(latin):
        return None
    latin.make_automaton()
    return latin


def words_automaton(words: Iterable[str]) -> ahocorasick.Automaton | None:
    """An automaton of ``words`` for ``finditer_where``; None when there are none, or an empty one
    (a pattern opening with nothing may match anywhere)."""
    automaton = ahocorasick.Automaton()
    for word in words:
        if not word:
            return None
        automaton.add_word(word, len(word))
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


def finditer_where(pattern: re.Pattern[str], text: str, words: ahocorasick.Automaton,
                   where: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose every match opens with one of ``words``
    (``words_automaton``), tried only where one is written in ``where`` (``text``, or its
    ``plain_lower`` copy for a pattern that ignores case)."""
    return finditer_at(pattern, text, sorted({end - length + 1 for end, length in words.iter(where)}))


def finditer_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying only ``starts`` (ascending): every match of ``pattern`` must start at
    one of them and be non-empty (as a pattern opening with one of a set of words)."""
    end = 0
    for start in starts:
        if start >= end:
            match = pattern.match(text, start)
            if match is not None:
                end = match.end()
                yield match
