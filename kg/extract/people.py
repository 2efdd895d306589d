"""People in a sentence with the title written beside their name.

Known people come from the gazetteer's names; unknown ones from name + title
patterns: Korean ``NAME (COUNTRY) TITLE`` (조태열 장관, 기시다 후미오 일본 총리) and
English ``(COUNTRY) TITLE NAME`` (Minister Cho Tae-yul, Japanese Prime Minister
Fumio Kishida).
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.mentions import Mention
from kg.extract.records import Evidence, PersonRecord
from kg.gazetteer import PERSON, Gazetteer
from kg.text import Sentence

# Titles that follow a Korean name or precede an English one, beyond the gazetteer's office titles.
_TITLES_KO = ("대표", "여사",
              "대통령 권한대행", "권한대행", "대통령", "국무총리", "총리", "부총리", "외교부 장관", "외교장관", "장관",
              "차관", "주석", "국가주석", "국무위원장", "위원장", "국무장관", "외무상", "외무장관", "외교부장", "대사",
              "특사", "총장", "사무총장", "국왕", "왕세자", "수상", "의장", "대변인", "부장관", "특별대표")
_TITLES_EN = ("Acting President", "President", "Prime Minister", "Premier", "Foreign Minister", "Minister",
              "Vice Minister", "Deputy Minister", "Secretary of State", "Secretary-General", "Secretary",
              "Chairman", "Ambassador", "Envoy", "King", "Crown Prince", "Chancellor", "Spokesperson")
_NAME_BEFORE_TITLE = re.compile(r"(?<![가-힣])([가-힣]{2,4}(?: [가-힣]{2,4})?) ((?:[가-힣]{1,6} )?)$")
_PARTICLE_END = re.compile(r"[은는이가을를의에와과도로서]$")
_FORMER = ("전 ", "前 ", "현 ")  # 전 대통령, 현 장관: between the name and the title
_NAME_REACH = 24  # a name (two words of four syllables at most) and a country word before a title


@lru_cache(maxsize=4)
def _title_patterns(gazetteer: Gazetteer) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    titles_ko = set(_TITLES_KO)
    titles_en = set(_TITLES_EN)
    for office in gazetteer.offices.values():
        titles_ko.update(office.titles_ko)
        titles_en.update(office.titles_en)
    ko = "|".join(map(re.escape, sorted(titles_ko, key=len, reverse=True)))
    en = "|".join(map(re.escape, sorted(titles_en, key=len, reverse=True)))
    name = r"(?:[A-Z][a-z]+(?:-[a-z]+)?)(?: (?:[A-Z][a-z]+(?:-[a-z]+)?|[A-Z]\.)){1,2}"
    return (
        re.compile(rf"({ko})(?=[^가-힣]|[은는이가을를의에와과도께]|$)"),
        re.compile(rf"(?<![A-Za-z])({en})\s*$"),
        re.compile(rf"(?<![A-Za-z])({en})\s+({name})(?![A-Za-z])"),
    )


def find_people(
    sentence: Sentence, mentions: list[Mention], gazetteer: Gazetteer
) -> list[tuple[Mention, PersonRecord]]:
    """People in ``sentence`` with their titles; ``mentions`` are its actor mentions."""
    title_ko, title_en, title_name_en = _title_patterns(gazetteer)
    text = sentence.text
    found: list[tuple[Mention, PersonRecord]] = []
    taken: list[tuple[int, int]] = []
    for mention in mentions:
        actor = gazetteer.actor(mention.codes[0])
        if actor is None or actor.kind != PERSON:
            continue
        role = _title_after(text, mention.end, title_ko) or _title_before(text, mention.start, title_en)
        found.append((mention, PersonRecord(actor.code, actor.name_en, actor.name_ko, role, actor.country,
                                            Evidence(text, sentence.start, sentence.end, mention.surface))))
        taken.append((mention.start, mention.end))
    for match in title_ko.finditer(text):
        title_start = match.start()
        if text[max(0, title_start - 2):title_start] in _FORMER:  # 문재인 전 대통령
            title_start -= 2
        name_match = _NAME_BEFORE_TITLE.search(text, max(0, title_start - _NAME_REACH), title_start)
        if not name_match:
            continue
        name, country_word = name_match.group(1), name_match.group(2).strip()
        start = name_match.start(1)
        if " " in name and _PARTICLE_END.search(name.split(" ")[0]):
            name, start = name.split(" ")[1], start + len(name.split(" ")[0]) + 1
        if any(s < title_start and start < e for s, e in taken) or _PARTICLE_END.search(name):
            continue
        if any(m.start <= start < m.end for m in mentions):
            continue
        country = _country_of(country_word, mentions, name_match.start(2))
        if country_word and not country:
            continue  # the word before the title is not a country: not a name pattern
        if " " in name and len(name.replace(" ", "")) < 4:
            continue
        if " " not in name and len(name) != 3:
            continue  # a one-word Korean name has three syllables
        mention = Mention(start, len(name) + start, name, ())
        found.append((mention, PersonRecord("", "", name, match.group(1), country,
                                            Evidence(text, sentence.start, sentence.end, name))))
        taken.append((start, match.end()))
    for match in title_name_en.finditer(text):  # Japanese Prime Minister Fumio Kishida
        start, end = match.start(2), match.end(2)
        if any(s < end and start < e for s, e in taken) or any(m.start < end and start < m.end for m in mentions):
            continue
        country = next((m.codes[0] for m in mentions
                        if m.end <= match.start(1) and match.start(1) - m.end <= 2 and len(m.codes) == 1), "")
        name = match.group(2)
        found.append((Mention(start, end, name, ()), PersonRecord("", name, "", match.group(1), country,
                                                                  Evidence(text, sentence.start, sentence.end, name))))
        taken.append((start, end))
    return sorted(found, key=lambda pair: pair[0].start)


def _title_after(text: str, end: int, pattern: re.Pattern[str]) -> str:
    rest = text[end:end + 24].lstrip()
    title = pattern.match(rest)
    if not title:
        parts = rest.split(" ", 1)  # a country between name and title: 기시다 후미오 일본 총리
        title = pattern.match(parts[1]) if len(parts) == 2 else None
    return title.group(1) if title else ""


def _title_before(text: str, start: int, pattern: re.Pattern[str]) -> str:
    m = pattern.search(text[max(0, start - 40):start])
    return m.group(1) if m else ""


def _country_of(word: str, mentions: list[Mention], start: int) -> str:
    if not word:
        return ""
    for mention in mentions:
        if mention.start == start and len(mention.codes) == 1:
            return mention.codes[0]
    return ""
