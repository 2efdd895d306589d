"""Trigger words: the anchors that let a sentence skip patterns never drop a match.

A pattern runs on a sentence only when one of its anchors is in it; an anchor list
that misses some form of its pattern would silently lose facts. Checked on real
text: the seeds and the PLOVER and PETRARCH2 sentences read where they lie.
"""

from __future__ import annotations

import re

import pytest

from bench.speed import petrarch_sentences, plover_sentences
from conftest import ARTICLES, EVAL
from kg.extract.triggers import _PATTERNS, find_triggers
from kg.read import read_article
from kg.text import split_sentences


@pytest.fixture(scope="module")
def real_sentences() -> list[str]:
    sentences = [s.text for path in sorted(ARTICLES.glob("*.txt")) for s in split_sentences(read_article(path).text)]
    if (EVAL / "plover_gsr").is_dir() and (EVAL / "petrarch2").is_dir():
        sentences += plover_sentences(EVAL) + petrarch_sentences(EVAL)
    return sentences


def test_every_match_holds_an_anchor(real_sentences: list[str]) -> None:
    matched = 0
    for family, type_, _subtype, pattern, anchors in _PATTERNS:
        compiled = re.compile(pattern)
        for sentence in real_sentences:
            for m in compiled.finditer(sentence):
                if not m.group().strip():
                    continue
                matched += 1
                assert any(a in m.group().lower() for a in anchors.split()), (family, type_, m.group(), anchors)
    assert matched > 300


@pytest.mark.parametrize(("sentence", "expected"), [
    ("한일 정상회담이 26일 열렸다", [("Summit", "정상회담")]),
    ("윤 대통령은 방일 기간 중", [("Visit", "방일")]),
    ("The two leaders held a telephone call", [("Talks", "telephone call")]),
    ("Both sides agreed to expand the joint military exercises", [("Commitment", "agreed to"),
                                                                  ("Cooperation", "joint military exercises")]),
    ("한미 외교장관 회담", [("MinisterialMeeting", "외교장관 회담")]),
])
def test_longest_trigger_wins(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(t.type, t.surface) for t in find_triggers(sentence)] == expected


def test_sentence_without_anchor_has_no_trigger() -> None:
    assert find_triggers("The weather in Seoul was fine on Tuesday.") == []
