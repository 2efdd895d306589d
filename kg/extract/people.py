"""People in a sentence with the title written beside their name.

Known people come from the gazetteer's names; unknown ones from name + title
patterns: Korean ``NAME (COUNTRY) TITLE`` (조태열 장관, 기시다 후미오 일본 총리) and
English ``(COUNTRY) TITLE NAME`` (Minister Cho Tae-yul, Japanese Prime Minister
Fumio Kishida).

Offices by date: given the article's date, a title written without a name but with
its state (일본 총리, 외교부 장관, "the Japanese prime minister", "China's foreign
minister"; or a title only one state has: 국무장관, "Secretary of State") is the
person who held that office on that day (``data/gazetteer/tenures.tsv``); so is a
name the gazetteer does not know when the holder of its title bears it (박 대통령 in
2015 = Park Geun-hye).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

import ahocorasick

from kg.extract.mentions import Mention
from kg.extract.records import Evidence, PersonRecord
from kg.gazetteer import GOVERNMENT, PERSON, STATE, Gazetteer, Office
from kg.text import Sentence, finditer_where, plain_lower, words_automaton

# Titles that follow a Korean name or precede an English one, beyond the gazetteer's office titles.
_TITLES_KO = ("대표", "여사", "의원", "총독", "실장", "국장", "공사", "본부장", "비서실장", "후보",
              "대통령 권한대행", "권한대행", "대통령", "국무총리", "총리", "부총리", "외교부 장관", "외교장관", "장관",
              "차관", "주석", "국가주석", "국무위원장", "위원장", "국무장관", "외무상", "외무장관", "외교부장", "대사",
              "특사", "총장", "사무총장", "국왕", "왕세자", "수상", "의장", "대변인", "부장관", "특별대표")
_TITLES_EN = ("Acting President", "President", "Prime Minister", "Premier", "Foreign Minister", "Minister",
              "Vice Minister", "Deputy Minister", "Secretary of State", "Secretary-General", "Secretary",
              "Chairman", "Ambassador", "Envoy", "King", "Crown Prince", "Chancellor", "Spokesperson")
_NAME_BEFORE_TITLE = re.compile(r"(?<![가-힣])([가-힣]{2,4}(?: [가-힣]{2,4})?) ((?:[가-힣]{1,6} )?)$")
_PARTICLE_END = re.compile(r"[은는이가을를의에와과도로서]$")
_NAME_RIGHT_BEFORE_TITLE = re.compile(r"(?<![가-힣])([가-힣]{1,4}(?: [가-힣]{2,4})?) $")
# Surnames that stand alone before a title (박 대통령); not 한, 전, 주, 양, 고 ...: also "one", "former",
# "resident", "both", "late"
_SURNAMES = frozenset("김이박최정강조윤장임오서신권황안송류홍문손배백허유남심노하곽성차우구민진지엄채원천방공현함변"
                      "염추도석선설마길연표명기반왕금옥육맹모탁국은편용예경봉복태목형피감음빈온범좌팽승갈")
# Titles before which a two-syllable word is a (foreign) name: 아소 부총리, 하퍼 총리, 수치 여사
_HEAD_TITLES = frozenset(("대통령", "총리", "부총리", "국무총리", "주석", "국가주석", "국왕", "총독", "여사", "수상",
                          "국무장관", "외무상", "외무장관", "외교부장", "사무총장", "위원장", "국무위원장"))
# Words that stand before titles and are no names
_NOT_NAMES = frozenset((
    "전임 후임 신임 현직 전직 당시 역대 차기 부통 영부 대리 대통령 정부 당국 양국 각국 우리 한국 "
    "자국 상대 현지 주재 대행 임시 명예 초대 직전 해당 같은 이번 당선 후보 국가 미국 일본 중국 "
    "러시아 북한 관계 공동 수석 선임 특임 외교 국방 통일 재무 부인 위해 통해 대해 관련 따라 함께 "
    "대한 위한 여야 양측 이날 오늘 달리 이후 직후 당시"
).split())
# Last syllables of the names of parties and bodies (민주당, 외교부, 검찰청, 국회의원회): no part of a name
_BODY_ENDINGS = frozenset("당부청원회처실국단")
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


@lru_cache(maxsize=4)
def _english_title_words(gazetteer: Gazetteer) -> tuple[ahocorasick.Automaton | None, ahocorasick.Automaton | None]:
    """Automata of the English titles that open a match of the title + name pattern (as written) and of
    the office title pattern (lower case; ASCII only, as ``plain_lower`` requires); None when unusable."""
    titles_en = set(_TITLES_EN)
    for office in gazetteer.offices.values():
        titles_en.update(office.titles_en)
    office_titles = [t for _, t in _office_titles(gazetteer)[0] if not re.match(r"[가-힣]", t)]
    return words_automaton(titles_en), \
        words_automaton(office_titles) if all(t.isascii() for t in office_titles) else None


def _title_matches(pattern: re.Pattern[str], text: str, words: ahocorasick.Automaton | None,
                   lower: bool = False) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose matches open with one of ``words`` (lower-cased when
    ``lower``: the pattern ignores case), tried only where one is written: a sentence holds few titles,
    and the alternation of a hundred titles costs some 15-30 µs a sentence, the look-up 3."""
    low = plain_lower(text) if lower else text
    if words is None or low is None:
        return pattern.finditer(text)
    return finditer_where(pattern, text, words, low)


def find_people(
    sentence: Sentence, mentions: list[Mention], gazetteer: Gazetteer, on: dt.date | None = None
) -> list[tuple[Mention, PersonRecord]]:
    """People in ``sentence`` with their titles; ``mentions`` are its actor mentions.

    ``on`` (the article's date) lets titles without a name, and names the gazetteer does not
    know, resolve to whoever held the office that day.
    """
    found = _named_people(sentence, mentions, gazetteer)
    if on is None:
        return found
    found = [(m, _holder_by_name(p, gazetteer, on)) for m, p in found]
    found.extend(_office_holders(sentence, mentions, gazetteer, on, [m for m, _ in found]))
    return sorted(found, key=lambda pair: pair[0].start)


def _named_people(
    sentence: Sentence, mentions: list[Mention], gazetteer: Gazetteer
) -> list[tuple[Mention, PersonRecord]]:
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
        named = _korean_name(text, title_start, match.group(1), mentions, gazetteer)
        if named is None:
            continue
        start, name, country = named
        if any(s < title_start and start < e for s, e in taken):
            continue
        mention = Mention(start, len(name) + start, name, ())
        found.append((mention, PersonRecord("", "", name, match.group(1), country,
                                            Evidence(text, sentence.start, sentence.end, name))))
        taken.append((start, match.end()))
    # Japanese Prime Minister Fumio Kishida
    for match in _title_matches(title_name_en, text, _english_title_words(gazetteer)[0]):
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


def _korean_name(text: str, title_start: int, title: str, mentions: list[Mention],
                 gazetteer: Gazetteer) -> tuple[int, str, str] | None:
    """The name written before a Korean title, with the state named between them (기시다 후미오 일본 총리,
    이상덕 외교부 국장), or right before it (아웅산 수치 여사, 박 대통령); None when the words are no name."""
    lo = max(0, title_start - _NAME_REACH)
    with_country = _NAME_BEFORE_TITLE.search(text, lo, title_start)
    if with_country is not None and with_country.group(2):
        country = _country_of(with_country.group(2).strip(), mentions, with_country.start(2), gazetteer)
        if country:
            named = _valid_name(with_country.group(1), with_country.start(1), title, mentions)
            if named is not None:
                return (*named, country)
    alone = _NAME_RIGHT_BEFORE_TITLE.search(text, lo, title_start)
    if alone is None:
        return None
    named = _valid_name(alone.group(1), alone.start(1), title, mentions)
    return (*named, "") if named is not None else None


def _valid_name(name: str, start: int, title: str, mentions: list[Mention]) -> tuple[int, str] | None:
    if " " in name and _PARTICLE_END.search(name.split(" ")[0]):  # 상징인 아웅산 -> 아웅산
        name, start = name.split(" ", 1)[1], start + len(name.split(" ")[0]) + 1
    if _PARTICLE_END.search(name) or any(m.start <= start < m.end for m in mentions):
        return None
    words = name.split(" ")
    if len(words) == 2 and words[1][-1] in _BODY_ENDINGS:  # 김한길 민주당 대표: the party is no part of the name
        return _valid_name(words[0], start, title, mentions)
    if len(words) == 2 and _korean_name_like(words[1]) and not _korean_name_like(words[0]):
        # 새누리당 정문헌 의원, 시절 노무현 대통령: a Korean name is one word
        return _valid_name(words[1], start + len(words[0]) + 1, title, mentions)
    if any(word in _NOT_NAMES for word in words):
        return None
    if len(words) == 2:
        return (start, name) if len(name) - 1 >= 4 and len(words[1]) >= 2 else None
    if len(name) == 3:
        return start, name
    if len(name) == 1 and name in _SURNAMES:  # 박 대통령, 김 실장: the surname stands for the person
        return start, name
    if len(name) == 2 and title in _HEAD_TITLES:  # 아소 부총리, 하퍼 총리
        return start, name
    return None


def _korean_name_like(word: str) -> bool:
    """Three syllables opening with a surname: the shape of most Korean names (정문헌, 노무현)."""
    return len(word) == 3 and word[0] in _SURNAMES


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


def _country_of(word: str, mentions: list[Mention], start: int, gazetteer: Gazetteer) -> str:
    """The state named by the word between a name and its title: a state, or a state's body (외교부)."""
    if not word:
        return ""
    for mention in mentions:
        if mention.start == start and len(mention.codes) == 1:
            actor = gazetteer.actor(mention.codes[0])
            if actor is not None and actor.kind == GOVERNMENT:
                return actor.country
            return mention.codes[0]
    return ""


# -- offices by date ---------------------------------------------------------------------------
# Titles too general to name an office even with its state (미국 장관: which one?)
_GENERIC_TITLES = frozenset(("장관", "위원장", "Minister", "Secretary", "Chairman", "leader", "부의장",
                             "Deputy Chairman", "President of the State Affairs"))
# Words that make a title no reference to its holder of the day: 전 대통령, 차기 총리, 대통령 선거
_NOT_HOLDER_BEFORE = re.compile(r"(?:전|前|차기|신임|후임|역대|초대|former|late|next|incoming|then)\s*$", re.I)
_NOT_HOLDER_AFTER = re.compile(
    r"^\s?(?:체제|선거|선출|후보|당선|취임|탄핵|election|elect|candidate|nominee|hopeful)", re.I)
_OFFICE_LEVELS = ("head-of-state", "head-of-government", "foreign-minister", "acting-head-of-state")
_FOREIGN_MINISTRY = re.compile(r"외교부|외무성|외무부|Foreign|MOFA", re.I)


@lru_cache(maxsize=4)
def _office_titles(gazetteer: Gazetteer) -> tuple[dict[tuple[str, str], list[Office]], dict[str, Office],
                                                   re.Pattern[str], re.Pattern[str]]:
    """(state, title) -> offices; titles only one office has; Korean and English title patterns."""
    by_state: dict[tuple[str, str], list[Office]] = {}
    owners: dict[str, set[str]] = {}
    for office in gazetteer.offices.values():
        if office.level not in _OFFICE_LEVELS:
            continue
        for title in (*office.titles_ko, *(t.lower() for t in office.titles_en)):
            by_state.setdefault((office.country, title), []).append(office)
            owners.setdefault(title, set()).add(office.id)
    unique = {title: gazetteer.offices[next(iter(ids))] for title, ids in owners.items()
              if len(ids) == 1 and len(title) >= 3 and title not in _GENERIC_TITLES
              and title.lower() not in {t.lower() for t in _GENERIC_TITLES}}
    ko = sorted({t for _, t in by_state if re.match(r"[가-힣]", t)}, key=len, reverse=True)
    en = sorted({t for _, t in by_state if not re.match(r"[가-힣]", t)}, key=len, reverse=True)
    return (by_state, unique,
            re.compile(rf"(?:{'|'.join(map(re.escape, ko))})(?=[^가-힣]|[은는이가을를의에와과도께]|$)"),
            re.compile(rf"(?<![A-Za-z])(?:{'|'.join(map(re.escape, en))})(?![A-Za-z])", re.I))


def _office_holders(sentence: Sentence, mentions: list[Mention], gazetteer: Gazetteer, on: dt.date,
                    taken: list[Mention]) -> list[tuple[Mention, PersonRecord]]:
    """Titles written without a name, resolved to the holder of the office on ``on``."""
    by_state, unique, title_ko, title_en = _office_titles(gazetteer)
    text = sentence.text
    found: list[tuple[Mention, PersonRecord]] = []
    spans = [(m.start, m.end) for m in taken]
    for pattern, english in ((title_ko, False), (title_en, True)):
        matches = _title_matches(pattern, text, _english_title_words(gazetteer)[1], lower=True) if english \
            else pattern.finditer(text)
        for match in matches:
            start, end, title = match.start(), match.end(), match.group(0)
            key = title.lower() if english else title
            if any(s < end and start < e for s, e in spans):
                continue
            if english and re.match(r"\s+(?:[A-Z][a-z]+|[A-Z]\.)", text[end:end + 3]):
                continue  # a name follows: the name patterns' business
            qualifier = _qualifier(text, start, mentions, gazetteer, english)
            office: Office | None = None
            if qualifier is not None:
                code, body, mention_start = qualifier
                offices = by_state.get((code, key), [])
                if key in _GENERIC_TITLES or title in _GENERIC_TITLES:
                    offices = [o for o in offices if body and o.level == "foreign-minister"]
                office = offices[0] if len(offices) == 1 else None
            elif key in unique:
                office, mention_start = unique[key], start
            if office is None:
                continue
            if any(m.end <= mention_start and not text[m.end:mention_start].strip() for m in taken):
                continue  # the title of the name before it: 기시다 후미오 일본 총리
            if _NOT_HOLDER_BEFORE.search(text[max(0, mention_start - 8):mention_start]) or \
                    _NOT_HOLDER_AFTER.search(text[end:end + 12]):
                continue
            holder = gazetteer.holder(office.id, on)
            person = gazetteer.actor(holder) if holder else None
            if person is None:
                continue
            surface = text[mention_start:end]
            found.append((Mention(mention_start, end, surface, ()),
                          PersonRecord(person.code, person.name_en, person.name_ko, title, office.country,
                                       Evidence(text, sentence.start, sentence.end, surface), office.id)))
            spans.append((mention_start, end))
    return found


def _states_of(mention: Mention, gazetteer: Gazetteer) -> tuple[str, ...]:
    if len(mention.codes) != 1:
        return ()
    actor = gazetteer.actor(mention.codes[0])
    if actor is None:
        return ()
    if actor.kind == STATE:
        return (actor.code,)
    return (actor.country,) if actor.kind == GOVERNMENT and actor.country else ()


def _qualifier(text: str, start: int, mentions: list[Mention], gazetteer: Gazetteer,
               english: bool) -> tuple[str, bool, int] | None:
    """The state right before a title (일본 총리, 외교부 장관, "Japanese prime minister", "China's foreign
    minister"), whether it was named by its foreign ministry, and where it starts; None when there is none."""
    for mention in mentions:
        gap = text[mention.end:start]
        if mention.end > start or len(gap) > 3:
            continue
        if english:
            if gap.strip() not in ("", "'s", "’s"):
                continue
        elif gap.strip():
            continue
        codes = _states_of(mention, gazetteer)
        if codes:
            actor = gazetteer.actor(mention.codes[0])
            body = actor is not None and actor.kind == GOVERNMENT and bool(
                _FOREIGN_MINISTRY.search(f"{mention.surface} {actor.name_en}"))
            return codes[0], body, mention.start
    return None


def _holder_by_name(person: PersonRecord, gazetteer: Gazetteer, on: dt.date) -> PersonRecord:
    """An unknown name with a title is the holder of that title's office on ``on`` when the holder bears
    it (박 대통령, 김 실장 stay unknown unless an office holder's Korean name starts with the surname)."""
    if person.key or not person.role:
        return person
    by_state, _, _, _ = _office_titles(gazetteer)
    states = (person.country,) if person.country else ("KOR",)
    for state in states:
        for office in by_state.get((state, person.role), []) + by_state.get((state, person.role.lower()), []):
            holder = gazetteer.holder(office.id, on)
            actor = gazetteer.actor(holder) if holder else None
            if actor is None:
                continue
            if person.name_ko and actor.name_ko and (actor.name_ko.startswith(person.name_ko) and
                                                     (len(person.name_ko) == 1 or person.name_ko == actor.name_ko)):
                return replace(person, key=actor.code, name_en=actor.name_en, name_ko=actor.name_ko,
                               country=office.country, office=office.id)
            if person.name_en and actor.name_en and person.name_en.split()[-1] in actor.name_en.split():
                return replace(person, key=actor.code, name_en=actor.name_en, name_ko=actor.name_ko,
                               country=office.country, office=office.id)
    return person
