"""Checks on the gazetteer tables in data/gazetteer/ (format in data/gazetteer/README.md).

Reads the TSV files with the csv module only, so it checks the data whatever
the loader does with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from conftest import read_gazetteer_table

ROOT = Path(__file__).resolve().parents[1]
GAZ = ROOT / "data" / "gazetteer"
EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"

HEADERS = {
    "states.tsv": ["code", "kind", "wikidata", "name_en", "name_ko", "aliases_en", "aliases_ko", "abbr_ko"],
    "organizations.tsv": [
        "code",
        "kind",
        "wikidata",
        "name_en",
        "name_ko",
        "aliases_en",
        "aliases_ko",
        "country",
        "parent",
    ],
    "groups.tsv": ["name", "lang", "members"],
    "offices.tsv": ["office", "country", "level", "name_en", "name_ko", "titles_en", "titles_ko"],
    "people.tsv": ["id", "wikidata", "name_en", "name_ko", "aliases_en", "aliases_ko", "country"],
    "tenures.tsv": ["person", "office", "start", "end"],
}
LIST_COLUMNS = {"aliases_en", "aliases_ko", "abbr_ko", "titles_en", "titles_ko"}
KEYS = {
    "states.tsv": "code",
    "organizations.tsv": "code",
    "offices.tsv": "office",
    "people.tsv": "id",
}
QID = re.compile(r"^Q[1-9]\d*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ASCII_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9+-]*$")


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    return read_gazetteer_table(name)


def rows(name: str) -> list[dict[str, str]]:
    return read(name)[1]


def items(cell: str) -> list[str]:
    return cell.split("|") if cell else []


@pytest.fixture(scope="module")
def states() -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in rows("states.tsv")}


@pytest.fixture(scope="module")
def orgs() -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in rows("organizations.tsv")}


# --- format -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_header(name: str) -> None:
    header, _ = read(name)
    assert header == HEADERS[name]


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_cells_are_clean(name: str) -> None:
    for row in rows(name):
        for column, cell in row.items():
            assert cell == cell.strip(), f"{name}: {column}={cell!r} has surrounding spaces"
            assert "\n" not in cell and "\r" not in cell
            if column in LIST_COLUMNS:
                for item in items(cell):
                    assert item, f"{name}: empty list item in {column}={cell!r}"
                    assert item == item.strip(), f"{name}: list item {item!r} has surrounding spaces"
                assert len(set(items(cell))) == len(items(cell)), f"{name}: duplicate item in {cell!r}"
            elif column not in {"name_en", "name_ko"}:
                assert "|" not in cell, f"{name}: '|' in single-value column {column}={cell!r}"


@pytest.mark.parametrize("name", sorted(KEYS))
def test_keys_unique_and_ascii(name: str) -> None:
    keys = [r[KEYS[name]] for r in rows(name)]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, f"{name}: duplicate keys {duplicates}"
    for key in keys:
        assert ASCII_ID.match(key), f"{name}: key {key!r} is not an ASCII id"


@pytest.mark.parametrize("name", ["states.tsv", "organizations.tsv", "people.tsv"])
def test_wikidata_ids(name: str) -> None:
    for row in rows(name):
        if row["wikidata"]:
            assert QID.match(row["wikidata"]), f"{name}: bad Wikidata id {row['wikidata']!r}"


@pytest.mark.parametrize("name", ["states.tsv", "organizations.tsv", "people.tsv"])
def test_wikidata_ids_unique(name: str) -> None:
    ids = [r["wikidata"] for r in rows(name) if r["wikidata"]]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_organization_and_state_codes_do_not_collide(states, orgs) -> None:
    assert not set(states) & set(orgs)


# --- states -------------------------------------------------------------------


def test_all_un_members_present(states) -> None:
    members = [c for c, r in states.items() if r["kind"] == "member"]
    assert len(members) == 193
    for code in ["KOR", "PRK", "USA", "JPN", "CHN", "RUS", "CZE", "ARE", "GBR", "FRA", "DEU", "SSD", "MKD", "SWZ"]:
        assert states[code]["kind"] == "member", code
    assert {c for c, r in states.items() if r["kind"] == "observer"} == {"VAT", "PSE"}


def test_state_kinds_and_codes(states) -> None:
    for code, row in states.items():
        assert re.fullmatch(r"[A-Z]{3}", code), code
        assert row["kind"] in {"member", "observer", "territory", "other"}, (code, row["kind"])


def test_every_state_has_names(states) -> None:
    for code, row in states.items():
        assert row["name_en"], code
        assert row["name_ko"], code
        assert re.search(r"[가-힣]", row["name_ko"]), (code, row["name_ko"])


def test_members_and_observers_have_wikidata(states) -> None:
    missing = [c for c, r in states.items() if r["kind"] in {"member", "observer"} and not r["wikidata"]]
    assert not missing


def test_known_wikidata_ids(states) -> None:
    known = {"KOR": "Q884", "PRK": "Q423", "USA": "Q30", "JPN": "Q17", "CHN": "Q148", "RUS": "Q159"}
    for code, qid in known.items():
        assert states[code]["wikidata"] == qid


def test_everyday_korean_names(states) -> None:
    assert states["KOR"]["name_ko"] == "한국"
    assert {"대한민국", "남한", "韓國"} <= set(items(states["KOR"]["aliases_ko"]))
    assert states["PRK"]["name_ko"] == "북한"
    assert "조선민주주의인민공화국" in items(states["PRK"]["aliases_ko"])
    assert states["USA"]["name_ko"] == "미국"
    assert {"美", "미합중국"} <= set(items(states["USA"]["aliases_ko"]))
    assert states["CZE"]["name_ko"] == "체코"
    assert states["RUS"]["name_ko"] == "러시아"


def test_english_aliases_and_demonyms(states) -> None:
    assert {"U.S.", "US", "United States of America", "America", "American"} <= set(items(states["USA"]["aliases_en"]))
    assert {"ROK", "Republic of Korea", "South Korean"} <= set(items(states["KOR"]["aliases_en"]))
    assert {"DPRK", "North Korean"} <= set(items(states["PRK"]["aliases_en"]))
    assert {"UK", "Britain", "British"} <= set(items(states["GBR"]["aliases_en"]))
    g20 = "ARG AUS BRA CAN CHN DEU FRA GBR IDN IND ITA JPN KOR MEX RUS SAU TUR USA ZAF".split()
    for code in g20:
        # a demonym or adjective: a word ending the way English demonyms do
        aliases = items(states[code]["aliases_en"])
        assert any(re.search(r"(an|ese|ish|ch|i|ss)$", a) for a in aliases), code


def test_korean_compound_abbreviations(states) -> None:
    expected = {
        "KOR": "한",
        "USA": "미",
        "JPN": "일",
        "CHN": "중",
        "PRK": "북",
        "RUS": "러",
        "GBR": "영",
        "FRA": "불",
        "DEU": "독",
        "AUS": "호",
        "IND": "인",
        "VNM": "베",
        "CAN": "캐",
        "MNG": "몽",
    }
    for code, abbr in expected.items():
        assert abbr in items(states[code]["abbr_ko"]), code
    owners: dict[str, str] = {}
    for code, row in states.items():
        for abbr in items(row["abbr_ko"]):
            assert len(abbr) == 1 and re.fullmatch(r"[가-힣]", abbr), (code, abbr)
            assert abbr not in owners, f"{abbr} used by {owners[abbr]} and {code}"
            owners[abbr] = code


def test_hanja_forms(states) -> None:
    for code, hanja in {
        "USA": "美",
        "JPN": "日",
        "CHN": "中",
        "KOR": "韓",
        "PRK": "北",
        "RUS": "露",
        "GBR": "英",
        "FRA": "佛",
        "DEU": "獨",
    }.items():
        assert hanja in items(states[code]["aliases_ko"]), code


def test_no_name_names_two_states(states) -> None:
    owner: dict[str, str] = {}
    for code, row in states.items():
        names = [row["name_en"], row["name_ko"], *items(row["aliases_en"]), *items(row["aliases_ko"])]
        for name in set(names):
            assert name not in owner, f"{name!r} names both {owner[name]} and {code}"
            owner[name] = code


# --- organizations -------------------------------------------------------------


def test_organization_kinds(orgs, states) -> None:
    for code, row in orgs.items():
        assert row["kind"] in {"international", "forum", "government"}, code
        assert row["name_en"] and row["name_ko"], code
        if row["kind"] == "government":
            assert row["country"] in states, code
            assert code.startswith(row["country"] + "-"), code
        else:
            assert not row["country"] or row["country"] in states, code
        if row["parent"]:
            assert row["parent"] in orgs, (code, row["parent"])
            assert row["parent"] != code


def test_enough_international_organizations(orgs) -> None:
    assert sum(r["kind"] in {"international", "forum"} for r in orgs.values()) >= 80


def test_required_organizations(orgs) -> None:
    required = """UN UNSC UNGA UNHRC ECOSOC APEC ABAC ASEAN ARF EAS G7 G20 NATO EU IAEA WTO WHO IMF OECD QUAD
    PIF MSP SCO BRICS AU OAS GCC OPEC CTBTO OPCW UNESCO UNICEF UNHCR WFP ILO IMO ICAO WB ADB AIIB ICC ICJ
    INTERPOL NCG TCS CICA MIKTA FOCAC""".split()
    missing = [c for c in required if c not in orgs]
    assert not missing
    assert orgs["UNSC"]["parent"] == "UN"
    assert orgs["ABAC"]["parent"] == "APEC"
    assert {"안보리", "유엔 안보리", "Security Council"} <= set(
        items(orgs["UNSC"]["aliases_ko"]) + items(orgs["UNSC"]["aliases_en"])
    )
    for code in ["KOR-MOFA", "KOR-OP", "USA-DOS", "JPN-MOFA", "CHN-MFA", "RUS-MID", "PRK-MFA", "PRK-WPK"]:
        assert orgs[code]["kind"] == "government", code


def test_ambiguous_ministry_names_have_one_owner(orgs) -> None:
    owner: dict[str, str] = {}
    for code, row in orgs.items():
        for name in {row["name_ko"], *items(row["aliases_ko"])}:
            assert name not in owner, f"{name!r} names both {owner[name]} and {code}"
            owner[name] = code
    assert owner["외교부"] == "KOR-MOFA"
    assert owner["중국 외교부"] == "CHN-MFA"
    assert owner["북한 외무성"] == "PRK-MFA"
    assert owner["일본 외무성"] == "JPN-MOFA"


# --- groups ---------------------------------------------------------------------


def test_groups(states) -> None:
    data = rows("groups.tsv")
    assert data
    seen = set()
    for row in data:
        assert row["lang"] in {"ko", "en"}, row
        members = row["members"].split(" ")
        assert len(members) >= 2, row
        assert all(m in states for m in members), row
        assert (row["name"], row["lang"]) not in seen, row
        seen.add((row["name"], row["lang"]))
    by_name = {r["name"]: set(r["members"].split()) for r in data}
    assert by_name["중앙아시아"] == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
    assert by_name["Central Asia"] == by_name["중앙아시아"]


# --- offices, people, tenures -----------------------------------------------------


def test_offices(states, orgs) -> None:
    levels = {
        "head-of-state",
        "head-of-government",
        "foreign-minister",
        "vice-foreign-minister",
        "acting-head-of-state",
        "other",
    }
    for row in rows("offices.tsv"):
        assert row["level"] in levels, row["office"]
        assert row["country"] in states or row["country"] in orgs, row["office"]
        assert row["office"].startswith(row["country"] + "-"), row["office"]
        assert row["name_en"] and row["name_ko"] and row["titles_en"] and row["titles_ko"], row["office"]


def test_people(states) -> None:
    for row in rows("people.tsv"):
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row["id"]), row["id"]
        assert row["name_en"] and row["name_ko"], row["id"]
        assert row["country"] in states, row["id"]


def parse(day: str) -> date:
    assert ISO_DATE.match(day), day
    return date.fromisoformat(day)


def test_tenures_reference_known_people_and_offices() -> None:
    people = {r["id"] for r in rows("people.tsv")}
    offices = {r["office"] for r in rows("offices.tsv")}
    tenures = rows("tenures.tsv")
    for t in tenures:
        assert t["person"] in people, t
        assert t["office"] in offices, t
        start = parse(t["start"])
        if t["end"]:
            assert start <= parse(t["end"]), t
    assert people == {t["person"] for t in tenures}, "every person holds at least one listed office"
    assert offices == {t["office"] for t in tenures}, "every office has at least one holder"


def test_tenures_of_one_office_do_not_overlap() -> None:
    by_office: dict[str, list[dict[str, str]]] = defaultdict(list)
    for t in rows("tenures.tsv"):
        by_office[t["office"]].append(t)
    for office, terms in by_office.items():
        terms.sort(key=lambda t: t["start"])
        for before, after in zip(terms, terms[1:], strict=False):
            assert before["end"], f"{office}: {before['person']} has no end but {after['person']} follows"
            # a hand-over on the same day (noon inaugurations) is not an overlap
            assert parse(before["end"]) <= parse(after["start"]), (office, before, after)


def holder(office: str, day: str) -> set[str]:
    when = parse(day)
    return {
        t["person"]
        for t in rows("tenures.tsv")
        if t["office"] == office and parse(t["start"]) <= when and (not t["end"] or when <= parse(t["end"]))
    }


@pytest.mark.parametrize(
    ("office", "day", "person"),
    [
        ("KOR-president", "2018-04-27", "moon-jae-in"),
        ("KOR-president", "2024-05-26", "yoon-suk-yeol"),
        ("KOR-president", "2025-09-30", "lee-jae-myung"),
        ("KOR-acting-president", "2025-01-16", "choi-sang-mok"),
        ("KOR-acting-president", "2025-04-10", "han-duck-soo"),
        ("KOR-foreign-minister", "2023-03-06", "park-jin"),
        ("KOR-foreign-minister", "2024-06-01", "cho-tae-yul"),
        ("USA-president", "2019-06-30", "donald-trump"),
        ("USA-president", "2023-08-18", "joe-biden"),
        ("USA-president", "2025-10-29", "donald-trump"),
        ("USA-secretary-of-state", "2018-06-12", "mike-pompeo"),
        ("USA-secretary-of-state", "2023-08-18", "antony-blinken"),
        ("USA-secretary-of-state", "2025-07-10", "marco-rubio"),
        ("JPN-prime-minister", "2024-05-26", "fumio-kishida"),
        ("JPN-prime-minister", "2025-03-22", "shigeru-ishiba"),
        ("JPN-foreign-minister", "2024-05-26", "yoko-kamikawa"),
        ("CHN-premier", "2024-05-26", "li-qiang"),
        ("CHN-foreign-minister", "2023-05-01", "qin-gang"),
        ("RUS-foreign-minister", "2024-06-19", "sergey-lavrov"),
        ("PRK-chairman", "2024-06-19", "kim-jong-un"),
        ("PRK-foreign-minister", "2024-06-19", "choe-son-hui"),
    ],
)
def test_office_holder_on_date(office: str, day: str, person: str) -> None:
    assert holder(office, day) == {person}


# --- coverage against an outside country list -----------------------------------------


def normalise(name: str) -> str:
    name = unicodedata.normalize("NFKD", name)
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = re.sub(r"[_\-]", " ", name.lower())
    return re.sub(r"\s+", " ", name).strip()


def country_info_blocks() -> list[str]:
    path = EVAL / "countryinfo" / "CountryInfo.120116.txt"
    if not path.exists():
        pytest.skip(f"{path} not present")
    text = path.read_bytes().decode("latin-1")
    return re.findall(r"<Country>(.*?)</Country>", text, flags=re.S)


def english_names(states) -> set[str]:
    names = set()
    for row in states.values():
        names.add(normalise(row["name_en"]))
        names.update(normalise(a) for a in items(row["aliases_en"]))
    return names


def test_countryinfo_country_names_are_covered(states) -> None:
    """Most country names in the CountryInfo file (CountryName field) are among our names and aliases."""
    wanted = []
    for block in country_info_blocks():
        m = re.search(r"<CountryName>([^<]*)</CountryName>", block)
        if m:
            wanted.append(normalise(m.group(1)))
    assert len(wanted) > 200
    ours = english_names(states)
    missing = [w for w in wanted if w not in ours]
    share = 1 - len(missing) / len(wanted)
    assert share >= 0.90, f"{share:.1%} covered; missing {missing}"


def test_countryinfo_nationalities_are_covered(states) -> None:
    """For the UN members, CountryInfo's first Nationality entry (mostly the demonym) is known to us."""
    ours = english_names(states)
    members = {c for c, r in states.items() if r["kind"] == "member"}
    checked, missing = 0, []
    for block in country_info_blocks():
        code = re.search(r"<CountryCode>([^<]*)</CountryCode>", block)
        nat = re.search(r"<Nationality>(.*?)</Nationality>", block, flags=re.S)
        if not code or not nat or code.group(1).strip() not in members:
            continue
        entries = [line.split("#")[0].strip() for line in nat.group(1).splitlines()]
        entries = [e for e in entries if e.strip("_")]
        if not entries:
            continue
        checked += 1
        first = normalise(entries[0])
        if first not in ours:
            missing.append(first)
    assert checked > 150
    share = 1 - len(missing) / checked
    assert share >= 0.85, f"{share:.1%} covered; missing {missing}"
