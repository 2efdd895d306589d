"""Extraction on the seed articles: the facts a reader of them would note."""

from __future__ import annotations

from functools import lru_cache

from conftest import SEED_000, SEED_004
from kg.extract import Extraction, extract_article
from kg.read import read_article


@lru_cache(maxsize=2)
def extract(path: str) -> Extraction:
    from pathlib import Path

    return extract_article(read_article(Path(path)))


def test_seed_004_rok_japan_summit_held_on_the_26th() -> None:
    x = extract(str(SEED_004))
    summits = [m for m in x.meetings if m.type == "Summit" and m.participants == ("JPN", "KOR")]
    dated = [m for m in summits if m.when.value == "2024-05-26"]
    assert dated and all(m.status == "held" for m in dated)
    assert {"yoon-suk-yeol", "fumio-kishida"} <= set(dated[0].people)
    ev = dated[0].evidence
    assert x.article.text[ev.start:ev.end] == ev.sentence
    assert "정상회담을 가졌다" in ev.sentence


def test_seed_004_kishida_visit_and_trilateral_summit_occasion() -> None:
    x = extract(str(SEED_004))
    visits = [m for m in x.meetings if m.type == "Visit"]
    assert any(v.visitor == "JPN" and v.destination == "KOR" and v.status == "held" for v in visits)
    trilateral = [m for m in x.meetings if m.participants == ("CHN", "JPN", "KOR")]
    assert trilateral and trilateral[0].type == "Summit"
    assert trilateral[0].when.value == ""  # the 26th dates the bilateral summit, not the occasion


def test_seed_004_commitments_between_the_two_leaders() -> None:
    x = extract(str(SEED_004))
    commitments = [a for a in x.agreements if a.type == "Commitment"]
    assert commitments and all(a.parties == ("JPN", "KOR") and a.status == "agreed" for a in commitments)
    assert any("한미일 간 공조" in a.name for a in commitments)


def test_seed_004_people_with_titles() -> None:
    people = {p.key: p for p in extract(str(SEED_004)).people}
    assert people["yoon-suk-yeol"].role == "대통령" and people["yoon-suk-yeol"].country == "KOR"
    assert people["fumio-kishida"].role == "총리" and people["fumio-kishida"].country == "JPN"


def test_seed_000_trilateral_cooperation_in_both_languages() -> None:
    x = extract(str(SEED_000))
    tri = [r for r in x.relations if r.type == "Cooperation" and set(r.actors) == {"KOR", "USA", "JPN"}]
    langs = {"ko" if "한미일" in r.evidence.sentence else "en" for r in tri}
    assert langs == {"ko", "en"}


def test_seed_000_alliance_partnership_conflict() -> None:
    x = extract(str(SEED_000))
    rel = {(r.type, r.actors) for r in x.relations}
    assert ("Alliance", ("KOR", "USA")) in rel
    assert ("Partnership", ("CHN", "KOR")) in rel
    assert ("Cooperation", ("PRK", "RUS")) in rel
    assert ("Conflict", ("KOR", "PRK")) in rel  # 북 도발 against the reporting state


def test_seed_000_plans_are_planned() -> None:
    x = extract(str(SEED_000))
    visits = {(m.visitor, m.destination, m.status) for m in x.meetings if m.type == "Visit"}
    assert ("KOR", "USA", "planned") in visits  # 조태열 장관의 미국 방문을 추진
    assert ("CHN", "KOR", "planned") in visits  # 시진핑 주석 방한을 추진
    ninth = [m for m in x.meetings if m.edition == 9]
    assert ninth and ninth[0].participants == ("CHN", "JPN", "KOR")
    assert any(m.status == "held" for m in ninth)  # 제9차 ... 정상회의를 통해 복원된
    fta = [a for a in x.agreements if a.type == "FreeTradeAgreement"]
    assert fta and all(a.parties == ("CHN", "KOR") and a.status == "negotiating" for a in fta)
    contract = [a for a in x.agreements if a.type == "Contract"]
    assert contract and contract[0].parties == ("CZE", "KOR") and contract[0].status == "planned"
    assert contract[0].when.value == "2025-03"


def test_seed_004_undertakings_without_names_belong_to_the_summit() -> None:
    """Sentences that name nobody ("…나가기로 합의했습니다", "…나가기로 함.") report what the two
    leaders of the held summit undertook."""
    x = extract(str(SEED_004))
    sentences = {a.evidence.sentence for a in x.agreements if a.type == "Commitment" and a.parties == ("JPN", "KOR")}
    assert any("다방면의 협력을 모색해 나가기로 합의했습니다" in s for s in sentences)
    assert any(s.endswith("협력을 모색해 나가기로 함.") for s in sentences)
    assert any("활발한 소통을 이어 나가기로 했습니다" in s for s in sentences)


def test_seed_000_plans_of_the_ministry_are_not_commitments() -> None:
    """외교부는 ... 하기로 했다: one actor's plan, not an agreement between parties."""
    x = extract(str(SEED_000))
    assert not [a for a in x.agreements if a.type == "Commitment"]


def test_seed_000_verbs_tie_only_their_subject_and_object() -> None:
    """"...respond to illegal military cooperation between Russia and North Korea by cooperating
    with allies": the verb names no actor on either side, so it ties nobody; the US and Russia
    are never partners in this article."""
    x = extract(str(SEED_000))
    assert not [r for r in x.relations if {"RUS", "USA"} <= set(r.actors)]
    assert all(len(r.actors) <= 3 for r in x.relations if r.type == "Cooperation")


def _relations_in(x: Extraction, quote: str) -> set[tuple[str, tuple[str, ...]]]:
    return {(r.type, r.actors) for r in x.relations if quote in r.evidence.sentence}


def test_seed_000_partners_listed_each_cooperate_with_the_speaker() -> None:
    x = extract(str(SEED_000))
    for quote in ("미국, UAE 등 주요 원자력 국가와의 협력", "such as the United States and the UAE"):
        found = _relations_in(x, quote)
        assert {("Cooperation", ("ARE", "KOR")), ("Cooperation", ("KOR", "USA"))} <= found, quote
        assert ("Cooperation", ("ARE", "USA")) not in found


def test_seed_000_three_countries_named_before() -> None:
    x = extract(str(SEED_000))
    assert ("Cooperation", ("JPN", "KOR", "USA")) in _relations_in(x, "3국 협력 성과를 점검")
    assert ("Cooperation", ("JPN", "KOR", "USA")) in _relations_in(x, "results of trilateral cooperation")


def test_seed_000_cooperation_through_a_body_named_by_its_members() -> None:
    x = extract(str(SEED_000))
    assert ("Cooperation", ("KOR", "USA")) in _relations_in(x, "cooperation through the ROK-US Nuclear")
    assert ("Cooperation", ("KOR", "USA")) in _relations_in(x, "미국 신 행정부와의 정책 조율")


def test_seed_004_what_the_leaders_will_pursue() -> None:
    x = extract(str(SEED_004))
    assert ("Cooperation", ("JPN", "KOR")) in _relations_in(x, "공급망 협력을 추구할 예정입니다")
