"""Checks on data/gazetteer/places.tsv and places_ambiguous.txt (format in data/gazetteer/README.md).

Reads the files with the csv module only, so it checks the data whatever the loader does with it.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import read_gazetteer_table

GAZ = Path(__file__).resolve().parents[1] / "data" / "gazetteer"

HEADER = ["place", "country", "kind", "name_en", "name_ko", "aliases_en", "aliases_ko"]
LIST_COLUMNS = {"aliases_en", "aliases_ko"}
KINDS = {"capital", "city", "venue"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HANGUL = re.compile(r"[가-힣]")
# Han ideographs (Hanja, kanji, simplified forms) and kana: allowed in aliases_ko, not in name_ko or English
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    return read_gazetteer_table(name)


def items(cell: str) -> list[str]:
    return cell.split("|") if cell else []


def names(row: dict[str, str]) -> list[str]:
    """Every name and alias of a row of states, organizations, people or places."""
    return [n for n in [row["name_en"], row["name_ko"], *items(row["aliases_en"]), *items(row["aliases_ko"])] if n]


@pytest.fixture(scope="module")
def places() -> list[dict[str, str]]:
    return read("places.tsv")[1]


@pytest.fixture(scope="module")
def by_id(places) -> dict[str, dict[str, str]]:
    return {r["place"]: r for r in places}


@pytest.fixture(scope="module")
def states() -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in read("states.tsv")[1]}


@pytest.fixture(scope="module")
def ambiguous() -> list[str]:
    lines = (GAZ / "places_ambiguous.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


# --- format -------------------------------------------------------------------


def test_header() -> None:
    header, _ = read("places.tsv")
    assert header == HEADER


def test_cells_are_clean(places) -> None:
    for row in places:
        for column, cell in row.items():
            assert cell == cell.strip(), f"{row['place']}: {column}={cell!r} has surrounding spaces"
            if column in LIST_COLUMNS:
                for item in items(cell):
                    assert item, f"{row['place']}: empty list item in {column}={cell!r}"
                    assert item == item.strip(), f"{row['place']}: list item {item!r} has surrounding spaces"
                assert len(set(items(cell))) == len(items(cell)), f"{row['place']}: duplicate item in {cell!r}"
            else:
                assert "|" not in cell, f"{row['place']}: '|' in single-value column {column}={cell!r}"
        assert row["name_en"] and row["name_ko"], row["place"]


def test_ids_unique_and_ascii(places) -> None:
    ids = [r["place"] for r in places]
    assert not [i for i, n in Counter(ids).items() if n > 1]
    for place in ids:
        assert SLUG.match(place), f"place id {place!r} is not an ASCII slug"


def test_countries_and_kinds(places, states) -> None:
    for row in places:
        assert row["country"] in states, (row["place"], row["country"])
        assert row["kind"] in KINDS, (row["place"], row["kind"])


def test_korean_names_are_hangul(places) -> None:
    for row in places:
        assert HANGUL.search(row["name_ko"]), (row["place"], row["name_ko"])
        assert not CJK.search(row["name_ko"]), f"{row['place']}: Hanja/kana go in aliases_ko, not name_ko"
        for alias in items(row["aliases_ko"]):
            assert HANGUL.search(alias) or CJK.search(alias), f"{row['place']}: {alias!r} in aliases_ko"
        for name in [row["name_en"], *items(row["aliases_en"])]:
            assert not HANGUL.search(name) and not CJK.search(name), f"{row['place']}: {name!r} in an English column"


# --- capitals -----------------------------------------------------------------


def test_every_member_has_exactly_one_capital(places, states) -> None:
    capitals = Counter(r["country"] for r in places if r["kind"] == "capital")
    members = {c for c, r in states.items() if r["kind"] == "member"}
    assert len(members) == 193
    missing = sorted(members - set(capitals))
    assert not missing, f"members without a capital: {missing}"
    several = sorted(c for c, n in capitals.items() if n > 1)
    assert not several, f"states with more than one capital: {several}"


def test_taiwan_and_kosovo_capitals(by_id) -> None:
    assert (by_id["taipei"]["country"], by_id["taipei"]["kind"]) == ("TWN", "capital")
    assert (by_id["pristina"]["country"], by_id["pristina"]["kind"]) == ("XKX", "capital")


@pytest.mark.parametrize(
    ("capital", "others"),
    [
        ("amsterdam", ["the-hague"]),  # the capital named by the constitution; The Hague seats the government
        ("la-paz", ["sucre"]),  # two capitals: the seat of government
        ("pretoria", ["cape-town", "bloemfontein"]),  # three capitals: the executive's
        ("colombo", ["sri-jayawardenepura-kotte"]),
        ("mbabane", ["lobamba"]),
        ("gitega", ["bujumbura"]),
    ],
)
def test_states_with_several_capitals(by_id, capital: str, others: list[str]) -> None:
    assert by_id[capital]["kind"] == "capital", capital
    for other in others:
        assert by_id[other]["kind"] == "city", other
        assert by_id[other]["country"] == by_id[capital]["country"], other


@pytest.mark.parametrize(
    ("place", "country", "name_ko"),
    [
        ("seoul", "KOR", "서울"),
        ("washington-dc", "USA", "워싱턴 D.C."),
        ("tokyo", "JPN", "도쿄"),
        ("beijing", "CHN", "베이징"),
        ("pyongyang", "PRK", "평양"),
        ("moscow", "RUS", "모스크바"),
        ("hanoi", "VNM", "하노이"),
        ("jakarta", "IDN", "자카르타"),
        ("new-delhi", "IND", "뉴델리"),
        ("canberra", "AUS", "캔버라"),
        ("ottawa", "CAN", "오타와"),
        ("brasilia", "BRA", "브라질리아"),
        ("kyiv", "UKR", "키이우"),
    ],
)
def test_known_capitals(by_id, place: str, country: str, name_ko: str) -> None:
    row = by_id[place]
    assert (row["country"], row["kind"], row["name_ko"]) == (country, "capital", name_ko)


def test_known_aliases(by_id) -> None:
    assert {"北京", "북경"} <= set(items(by_id["beijing"]["aliases_ko"]))
    assert "Peking" in items(by_id["beijing"]["aliases_en"])
    assert "東京" in items(by_id["tokyo"]["aliases_ko"])
    assert "平壤" in items(by_id["pyongyang"]["aliases_ko"])
    assert {"Washington", "Washington D.C."} <= set(items(by_id["washington-dc"]["aliases_en"]))
    assert "워싱턴" in items(by_id["washington-dc"]["aliases_ko"])
    assert "키예프" in items(by_id["kyiv"]["aliases_ko"])


# --- cities and venues ----------------------------------------------------------


def test_meeting_places(places, by_id) -> None:
    assert 60 <= sum(r["kind"] != "capital" for r in places) <= 110
    expected = {
        "busan": ("KOR", "부산"),
        "incheon": ("KOR", "인천"),
        "jeju": ("KOR", "제주"),
        "gyeongju": ("KOR", "경주"),
        "panmunjom": ("KOR", "판문점"),
        "osaka": ("JPN", "오사카"),
        "hiroshima": ("JPN", "히로시마"),
        "nagoya": ("JPN", "나고야"),
        "new-york": ("USA", "뉴욕"),
        "camp-david": ("USA", "캠프 데이비드"),
        "san-francisco": ("USA", "샌프란시스코"),
        "honolulu": ("USA", "호놀룰루"),
        "shanghai": ("CHN", "상하이"),
        "qingdao": ("CHN", "칭다오"),
        "dalian": ("CHN", "다롄"),
        "vladivostok": ("RUS", "블라디보스토크"),
        "saint-petersburg": ("RUS", "상트페테르부르크"),
        "khabarovsk": ("RUS", "하바롭스크"),
        "geneva": ("CHE", "제네바"),
        "strasbourg": ("FRA", "스트라스부르"),
        "davos": ("CHE", "다보스"),
        "munich": ("DEU", "뮌헨"),
        "the-hague": ("NLD", "헤이그"),
        "da-nang": ("VNM", "다낭"),
        "nusa-dua": ("IDN", "누사두아"),
        "dubai": ("ARE", "두바이"),
    }
    for place, (country, name_ko) in expected.items():
        assert (by_id[place]["country"], by_id[place]["name_ko"]) == (country, name_ko), place
    for venue in ["panmunjom", "camp-david", "diaoyutai", "zhongnanhai", "nusa-dua"]:
        assert by_id[venue]["kind"] == "venue", venue


# --- names ------------------------------------------------------------------------


def test_names_unique_within_places(places) -> None:
    owner: dict[str, str] = {}
    for row in places:
        for name in set(names(row)):
            assert name not in owner, f"{name!r} names both {owner[name]} and {row['place']}"
            owner[name] = row["place"]


@pytest.mark.parametrize(
    ("other", "key"), [("states.tsv", "code"), ("organizations.tsv", "code"), ("people.tsv", "id")]
)
def test_no_name_collides_with_other_tables(places, other: str, key: str) -> None:
    taken = {name: row[key] for row in read(other)[1] for name in names(row)}
    clashes = sorted((name, row["place"], taken[name]) for row in places for name in names(row) if name in taken)
    assert not clashes, f"places.tsv names also in {other}: {clashes}"


def test_ambiguous_names(places, ambiguous) -> None:
    all_names = {name for row in places for name in names(row)}
    unknown = [name for name in ambiguous if name not in all_names]
    assert not unknown, f"places_ambiguous.txt names not in places.tsv: {unknown}"
    assert len(set(ambiguous)) == len(ambiguous)
    assert {"빈", "파리"} <= set(ambiguous)


def test_one_syllable_korean_forms_are_aliases_marked_ambiguous(places, ambiguous) -> None:
    for row in places:
        assert not re.fullmatch(r"[가-힣]", row["name_ko"]), f"{row['place']}: one-syllable name_ko"
        for alias in items(row["aliases_ko"]):
            if re.fullmatch(r"[가-힣]", alias):
                assert alias in ambiguous, f"{row['place']}: one-syllable alias {alias!r} not in places_ambiguous.txt"
