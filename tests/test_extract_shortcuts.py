"""The extractor's shortcuts find what its full patterns find.

To save time, some patterns run only where a cheap look-up says they can match: date patterns only
when the sentence holds the words every such date holds, costly trigger and title patterns only at
the places where one of the words that open their matches is written, name searches of sentences
without Hangul with an automaton of the names without Hangul. A cue list that falls behind its
pattern would silently lose facts; these tests fail then. Real text (the seeds and the PLOVER and
PETRARCH2 sentences, read where they lie) and its upper-case and case-swapped forms.
"""

from __future__ import annotations

import datetime as dt
import re
from re._constants import AT, BRANCH, LITERAL, SUBPATTERN  # type: ignore[import-not-found]
from re._parser import parse  # type: ignore[import-not-found]
from typing import Any

import pytest

from bench.speed import petrarch_sentences, plover_sentences
from conftest import ARTICLES, EVAL
from kg.extract.dates import find_dates
from kg.extract.mentions import finder_for
from kg.extract.people import _english_title_words, _office_titles, _title_matches, _title_patterns
from kg.extract.triggers import _COMPILED, _KOREAN_PATTERNS, _OPENER_AUTOMATA, _OPENERS, find_triggers
from kg.gazetteer import default
from kg.read import read_article
from kg.text import finditer_at, plain_lower, split_sentences


@pytest.fixture(scope="module")
def real_sentences() -> list[str]:
    sentences = [s.text for path in sorted(ARTICLES.glob("*.txt")) for s in split_sentences(read_article(path).text)]
    if (EVAL / "plover_gsr").is_dir() and (EVAL / "petrarch2").is_dir():
        sentences += plover_sentences(EVAL) + petrarch_sentences(EVAL)
    return [variant for s in sentences for variant in (s, s.upper(), s.swapcase())]


def _spans(matches: Any) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in matches]


def test_plain_lower_keeps_offsets_or_says_no() -> None:
    assert plain_lower("Foreign Minister Cho Tae-yul 조태열 장관") == "foreign minister cho tae-yul 조태열 장관"
    for odd in ("\u0130stanbul", "\u0131", "\u017f", "\u212aelvin"):  # İ, dotless ı, long s, Kelvin sign
        assert re.search("(?i:[a-z])", odd) is not None and plain_lower(f"Summit in {odd}") is None


def test_finditer_at_is_finditer_from_the_given_starts() -> None:
    pattern = re.compile(r"(?<![A-Za-z])(?:warn(?:s|ed)|threaten(?:ed)?)\b", re.I)
    text = "Seoul warned; Tokyo threatened, and forewarned Beijing WARNS"
    starts = [m.start() for m in re.finditer("warn|threaten", text.lower())]
    assert _spans(finditer_at(pattern, text, starts)) == _spans(pattern.finditer(text)) == [(6, 12), (20, 30),
                                                                                          (55, 60)]
    assert _spans(finditer_at(pattern, text, [0, 55])) == [(55, 60)]  # only where asked


def _openings(items: Any) -> set[str]:
    """The literal words (lower case) that the matches of a parsed pattern open with."""
    words = {""}
    for op, av in items:
        if op is LITERAL:
            words = {w + chr(av).lower() for w in words}
        elif op is AT and words == {""}:
            continue  # a word boundary before the first letter
        elif op in (SUBPATTERN, BRANCH) and words == {""}:
            return set().union(*(_openings(alt) for alt in ([av[3]] if op is SUBPATTERN else av[1])))
        else:
            break
    return words


def test_every_alternative_of_a_costly_trigger_opens_with_an_opener() -> None:
    checked = 0
    for index, (_, type_, subtype, pattern, _) in enumerate(_COMPILED):
        if (type_, subtype) not in _OPENERS or index < len(_KOREAN_PATTERNS):
            continue
        assert index in _OPENER_AUTOMATA
        openers = _OPENERS[type_, subtype].split()
        openings = _openings(parse(pattern.pattern))
        assert len(openings) >= 10 and "" not in openings
        for opening in openings:
            assert any(opening.startswith(o) for o in openers), (type_, subtype, opening)
        checked += 1
    assert checked == 2


def test_costly_triggers_match_where_the_full_pattern_does(real_sentences: list[str]) -> None:
    matched = 0
    for index, automaton in _OPENER_AUTOMATA.items():
        pattern = _COMPILED[index][3]
        for sentence in real_sentences:
            low = plain_lower(sentence)
            if low is None:
                continue
            starts = sorted({end - n + 1 for end, n in automaton.iter(low)})
            full = _spans(pattern.finditer(sentence))
            assert _spans(finditer_at(pattern, sentence, starts)) == full, sentence
            matched += len(full)
    assert matched > 50


def test_title_look_ups_find_every_title(real_sentences: list[str]) -> None:
    gazetteer = default()
    _, _, title_name_en = _title_patterns(gazetteer)
    title_en = _office_titles(gazetteer)[3]
    names, offices = _english_title_words(gazetteer)
    assert names is not None and offices is not None
    matched = 0
    for sentence in real_sentences:
        full = _spans(title_name_en.finditer(sentence))
        assert _spans(_title_matches(title_name_en, sentence, names)) == full, sentence
        titles = _spans(title_en.finditer(sentence))
        assert _spans(_title_matches(title_en, sentence, offices, lower=True)) == titles, sentence
        matched += len(full) + len(titles)
    assert matched > 100


# Every cue the date patterns are gated on, after a separator no date pattern crosses (each pattern
# runs on a sentence followed by it, whatever the sentence holds), and a date of each pattern.
_ALL_CUES = (" ||| 2024년 5월 26일 | 2023년 | 2025년 3월 | 오는 9월 | 지난 16일 | 7월 4일 | 내년 3월 | "
             "올해 금년 지난해 작년 이날 상반기 연내 연말 연초 | jan feb mar apr may jun jul aug sep oct nov | "
             "in May | March 2025 | September 30, 2025 | Sept. 6 | on the 5th | in the first half of this year | "
             "today yesterday tomorrow that day later this year, next month, last week")
_EACH_DATE = ["2024년 5월 26일", "2023년", "2025년 3월", "오는 9월", "지난 16일", "7월 4일", "내년 3월", "올해",
              "금년", "지난해", "작년", "이날", " 상반기", " 연내", " 연말", " 연초", "in May", "March 2025",
              "September 30, 2025", "Sept. 6", "on the 5th", "in the first half of this year", "today",
              "yesterday", "tomorrow", "that day", "later this year", "next month", "last week"]


def test_dates_are_found_whatever_cues_the_sentence_holds(real_sentences: list[str]) -> None:
    day = dt.date(2024, 5, 26)
    found = 0
    for sentence in real_sentences:
        alone = find_dates(sentence, day)
        opened = [d for d in find_dates(sentence + _ALL_CUES, day) if d.end <= len(sentence)]
        assert alone == opened, sentence
        found += len(alone)
    assert found > 300
    assert [_ALL_CUES[d.start:d.end] for d in find_dates(_ALL_CUES, day)] == _EACH_DATE  # no pattern shut


def test_names_in_sentences_without_hangul_are_found_as_with_every_name(real_sentences: list[str]) -> None:
    finder = finder_for(default())
    found = 0
    for sentence in real_sentences:
        if re.search("[가-힣]", sentence):
            continue
        # a Hangul word after a separator makes the finder use its whole automaton
        with_all = [m for m in finder.find(sentence + " | 한국") if m.end <= len(sentence)]
        assert finder.find(sentence) == with_all, sentence
        found += len(with_all)
    assert found > 300


def test_triggers_are_found_in_both_scripts_as_before() -> None:
    assert [(t.type, t.surface) for t in find_triggers("North Korea threatened Seoul; 한일 정상회담")] == [
        ("Conflict", "threatened"), ("Summit", "정상회담")]
