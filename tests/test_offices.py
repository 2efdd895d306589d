"""Offices by date: a title without a name is whoever held the office on the article's date."""

from __future__ import annotations

import datetime as dt

import pytest

from bench.quality.external import klue_sentences
from conftest import EVAL, eval_file
from kg.build import article_graph
from kg.extract import extract_article
from kg.gazetteer import default as gazetteer
from kg.read import Article
from kg.vocab import DIP


def people(text: str, day: str | None, lang: str = "ko") -> list[tuple[str, str, str]]:
    date = dt.date.fromisoformat(day) if day else None
    x = extract_article(Article(source="t.md", text=text, title="", date=date, url="", publisher="", lang=lang))
    return [(p.key, p.office, p.evidence.surface) for p in x.people]


@pytest.mark.parametrize(("text", "day", "expected"), [
    ("일본 총리는 이날 외교부 장관과 만났다.", "2019-06-01",
     [("shinzo-abe", "JPN-prime-minister", "일본 총리"), ("kang-kyung-wha", "KOR-foreign-minister", "외교부 장관")]),
    ("일본 총리는 이날 외교부 장관과 만났다.", "2024-03-10",
     [("fumio-kishida", "JPN-prime-minister", "일본 총리"), ("cho-tae-yul", "KOR-foreign-minister", "외교부 장관")]),
    ("The Japanese prime minister met China's foreign minister, and the Secretary of State stayed home.",
     "2024-05-02", [("fumio-kishida", "JPN-prime-minister", "Japanese prime minister"),
                    ("wang-yi", "CHN-foreign-minister", "China's foreign minister"),
                    ("antony-blinken", "USA-secretary-of-state", "Secretary of State")]),
    ("국무장관은 다음 주 방한한다.", "2019-06-01", [("mike-pompeo", "USA-secretary-of-state", "국무장관")]),
])
def test_title_alone_is_the_holder_on_the_day(text: str, day: str, expected: list[tuple[str, str, str]]) -> None:
    assert people(text, day, "en" if text.isascii() else "ko") == expected


@pytest.mark.parametrize("text", [
    "국방부 장관도 참석했다.",  # not the foreign ministry: which minister is not an office we know
    "미국 장관이 방한했다.",  # which American minister?
    "문재인 전 대통령이 말했다.",  # a former president: named, not the holder of the day
    "미국 대통령 선거가 다가온다.",  # an election, not the holder
    "외교부는 권한대행 체제 하에 한미동맹의 안정적 발전을 모색하기로 했다.",  # the arrangement, not the person
])
def test_titles_that_name_no_holder(text: str) -> None:
    assert all(not office for _, office, _ in people(text, "2025-01-16")), people(text, "2025-01-16")


def test_without_a_date_titles_stay_unresolved() -> None:
    assert people("일본 총리는 이날 외교부 장관과 만났다.", None) == []


def test_a_name_with_its_title_is_one_person_not_two() -> None:
    found = people("기시다 후미오 일본 총리가 26일 방한했다.", "2024-05-26")
    assert [key for key, _, _ in found] == ["fumio-kishida"]
    found = people("Japanese Prime Minister Fumio Kishida arrived in Seoul.", "2024-05-26", "en")
    assert [key for key, _, _ in found] == ["fumio-kishida"]


KLUE_PARK = ("klue-ner-v1_dev_01702-wikitree", "klue-ner-v1_dev_02056-wikitree", "klue-ner-v1_dev_04445-wikitree")


def test_surname_and_title_in_real_news_resolve_by_date() -> None:
    """KLUE-NER news sentences that call President Park Geun-hye "박 대통령" (read in place)."""
    eval_file("klue_ner", "diplomacy_sentence_ids.txt")
    texts = {ident: text for ident, text, _ in klue_sentences(EVAL) if ident in KLUE_PARK}
    assert len(texts) == len(KLUE_PARK)
    for text in texts.values():
        during = [(key, office) for key, office, surface in people(text, "2015-06-01") if surface == "박"]
        assert during == [("park-geun-hye", "KOR-president")], text
        after = [(key, office) for key, office, surface in people(text, "2024-01-10") if surface == "박"]
        assert after == [("", "")], "in 2024 no president's name starts with 박: the person stays unknown"


def test_person_links_to_the_tenure_held_that_day() -> None:
    text = "일본 총리는 이날 외교부 장관과 만났다."
    article = Article(source="t.md", text=text, title="", date=dt.date(2024, 3, 10), url="", publisher="", lang="ko")
    triples = article_graph(extract_article(article), gazetteer())
    tenures = {str(o).split("/tenure/")[1] for _, p, o in triples if p == DIP.hasTenure}
    assert tenures == {"fumio-kishida/JPN-prime-minister/2021-10-04", "cho-tae-yul/KOR-foreign-minister/2024-01-10"}
