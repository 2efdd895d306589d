"""Sentences with offsets; dates resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import SEED_000
from kg.extract.dates import find_dates
from kg.read import read_article
from kg.text import split_sentences


def test_sentence_offsets_point_into_the_article() -> None:
    article = read_article(SEED_000)
    sentences = split_sentences(article.text)
    assert len(sentences) > 80
    for s in sentences:
        assert article.text[s.start:s.end] == s.text
    langs = {s.lang for s in sentences}
    assert {"ko", "en"} <= langs


def test_abbreviations_do_not_end_sentences() -> None:
    texts = [s.text for s in split_sentences("The U.S. and Japan met on Sept. 6 in Seoul. They agreed.")]
    assert texts == ["The U.S. and Japan met on Sept. 6 in Seoul.", "They agreed."]
    long_word = "x" * 40
    texts = [s.text for s in split_sentences(f"He met Gen. Park and {long_word}. Then U.S. officials left.")]
    assert texts == [f"He met Gen. Park and {long_word}.", "Then U.S. officials left."]


REF = dt.date(2025, 1, 16)


@pytest.mark.parametrize(
    ("text", "value", "earliest", "latest"),
    [
        ("외교부는 16일 밝혔다", "2025-01-16", "", ""),
        ("26일 오후 회담", "2025-01-26", "", ""),
        ("오는 9월 안보리 의장국", "2025-09", "", ""),
        ("지난 12월 회의", "2024-12", "", ""),
        ("올해 APEC", "2025", "", ""),
        ("내년 방한", "2026", "", ""),
        ("지난해 12월 3일", "2024-12-03", "", ""),
        ("2024년 5월 27일 서울", "2024-05-27", "", ""),
        ("상반기 중 개최", "", "2025-01-01", "2025-06-30"),
        ("연내 타결", "", "2025-01-16", "2025-12-31"),
        ("announced on the 16th", "2025-01-16", "", ""),
        ("will meet on Sept 6", "2025-09-06", "", ""),
        ("next month", "2025-02", "", ""),
        ("last week", "", "2025-01-06", "2025-01-12"),
        ("later this year", "", "2025-01-16", "2025-12-31"),
        # a month alone, with no digit anywhere in the sentence
        ("a missile attack in August", "2025-08", "", ""),
        ("talks have stalled since last July", "2024-07", "", ""),
        ("the 2+2 meeting next March", "2025-03", "", ""),
        ("문재인 전 대통령이 이날 밝혔다", "2025-01-16", "", ""),
    ],
)
def test_relative_dates(text: str, value: str, earliest: str, latest: str) -> None:
    found = find_dates(text, REF)
    assert found, text
    when = found[-1].when
    assert (when.value, when.earliest, when.latest) == (value, earliest, latest)


def test_impossible_dates_are_ignored() -> None:
    assert find_dates("2월 30일", REF) == []
