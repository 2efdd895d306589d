"""Actor mentions: names, aliases, compounds and groups in Korean and English."""

from __future__ import annotations

import pytest

from kg.extract.mentions import finder_for
from kg.gazetteer import default


def codes(text: str) -> list[tuple[str, ...]]:
    return [m.codes for m in finder_for(default()).find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("한미일 3국 협력", ("KOR", "USA", "JPN")),
        ("한일중 정상회의", ("KOR", "JPN", "CHN")),
        ("러북 불법 군사협력", ("RUS", "PRK")),
        ("미·북 대화", ("USA", "PRK")),
        ("한미동맹의 발전", ("KOR", "USA")),
        ("한-아세안 포괄적 전략 동반자 관계", ("KOR", "ASEAN")),
        ("최초 한-중앙아시아 정상회의", ("KOR", "KAZ", "KGZ", "TJK", "TKM", "UZB")),
        ("ROK-U.S.-Japan trilateral cooperation", ("KOR", "USA", "JPN")),
        ("the Korea-Japan-China Summit", ("KOR", "JPN", "CHN")),
        ("US-North Korea dialogue", ("USA", "PRK")),
    ],
)
def test_compounds_name_every_member(text: str, expected: tuple[str, ...]) -> None:
    found = codes(text)
    assert found and set(found[0]) == set(expected), found


@pytest.mark.parametrize(
    ("text", "code"),
    [("미국 방문", "USA"), ("북한의 핵", "PRK"), ("체코 두코바니", "CZE"), ("유엔 안보리 이사국", "UNSC"),
     ("the United States and the UAE", "USA"), ("North Korean provocations", "PRK"), ("북 도발", "PRK")],
)
def test_single_names(text: str, code: str) -> None:
    assert (code,) in codes(text)


@pytest.mark.parametrize(
    "text",
    ["인도주의적 노력에 기여", "양국 관계를 한 단계 끌어올릴", "회의 중 발언", "불일치가 있었다", "미래를 대비한"],
)
def test_everyday_words_are_not_actors(text: str) -> None:
    assert codes(text) == []


def test_a_state_before_another_states_body_names_that_state() -> None:
    """A state right before another state's body says whose it is: "French National Assembly"."""
    assert codes("French National Assembly president") == [("FRA",)]
    assert codes("중국 외교부 대변인") == [("CHN-MFA",)]  # a name of its own in the gazetteer
    assert codes("외교부 대변인") == [("KOR-MOFA",)]
