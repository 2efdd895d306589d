"""Scale benchmark: the named queries and the views on synthetic datasets of millions of triples.

Not a test: it prints figures. Usage (from the project folder)::

    .venv/bin/python bench/scale.py [--triples 1000000 10000000] [--runs 5] [--timeout 120]
                                    [--rdflib-max 1000000] [--no-server] [--no-views] [--queries NAME ...]
                                    [--work-dir DIR] [--keep] [--json FILE]

**The dataset.** Shaped like what ``dkg import`` writes, made by the importer's own builder: synthetic
extraction records (``kg.extract.records``: meetings, agreements, relations, people, each with an
evidence span) are turned into each article's named graph by ``kg.build.article_graph``, with the
meetings resolved to events as ``kg.resolve`` keys them (``kg.iris.event`` of the type, participants and
day, or of a gazetteer series' edition), so IRIs, triple shapes and PROV links are the importer's. The
ontology and the gazetteer graph (``kg.build.gazetteer_graph``) are the reference graphs, as in a store.
The world behind the articles: meetings (every meeting type, 2-12 participants, dated, with places,
people holding their offices on the day, series), agreements with parties and a lifecycle, typed
relations; articles (Korean and English, dated 2017-2026 in order) report meetings near their own date,
so one meeting is reported by several articles (as planned before its day, as held, postponed or
cancelled after it), at the day, month, a range or undated. Actors are the gazetteer's states and
organizations with a skew: KOR, USA, JPN, CHN, PRK and RUS take most of the draws, the rest follow a
Zipf tail. Deterministic: the same seed gives the same N-Quads file, byte for byte. Articles are made
until the quads (the sum of every graph's triples, as ``dkg import`` counts them) reach the target.

**The stores.** (a) the embedded on-disk store (``kg.store.Store``, bulk-loaded with pyoxigraph's
``bulk_load``), queried through ``kg.queries.execute`` as ``dkg query`` does, and also the engine
alone (``pyoxigraph.Store.query`` with the same substitutions, solutions iterated, no conversion);
(b) rdflib's in-memory ``Dataset(default_union=True)``, parameters bound by the same ``VALUES`` blocks
the remote store sends (``kg.sparql.bind_values``), skipped over ``--rdflib-max``; (c) the Oxigraph
server (``oxigraph load`` then ``oxigraph serve --union-default-graph`` on a free loopback port),
queried through ``kg.remote.RemoteStore`` (the ``--endpoint`` code path).

Each store lives in its own forked process, and so does every load; a query that overruns
``--timeout`` is abandoned (its process killed; the rdflib store runs each query in a fork of the
process holding it, so nothing needs reloading) and reported as "timeout". Every named query runs with
its default parameters (actor KOR; trilateral KOR JPN USA; series Summit:CHN-JPN-KOR; evidence of every
fact) ``--runs`` times (fewer when one run takes more than the timeout's share); the median is printed.
On the embedded store the timed runs bypass the answers the store keeps (``kg.answers``);
then the last run's answer is kept and the query asked again ``--runs`` times ("kept answer":
what a user asking the same question of an unchanged store waits). Then the four views
(``viz.views``) are built from the embedded store of the size nearest ``--views-at`` (1M): each
once with no answer kept, and once again from the answers kept by the first build. Peak RSS is
each process's ``ru_maxrss`` (the forked processes start from the bench's own ~100 MB) and the
server's ``VmHWM``.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import gc
import hashlib
import json
import multiprocessing
import multiprocessing.connection
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: bench/scale.py
    sys.path.insert(0, str(ROOT))

from bench.loopback import free_port, stop, wait_until_up  # noqa: E402 - after the path is set

RANDOM_SEED = 20250116
FIRST_DAY, LAST_DAY = dt.date(2017, 1, 1), dt.date(2026, 12, 31)
QUADS_PER_ARTICLE = 265  # about what an article's graph holds here; spreads the article dates
HUBS = (("KOR", 40.0), ("USA", 24.0), ("JPN", 18.0), ("CHN", 16.0), ("PRK", 12.0), ("RUS", 7.0))
TAIL_WEIGHT = 8.0  # the n-th other actor weighs TAIL_WEIGHT / (n + 2)
MEETING_TYPES = (("Talks", 26), ("Summit", 20), ("MinisterialMeeting", 18), ("Visit", 14), ("Conference", 12),
                 ("ViceMinisterialMeeting", 10))
AGREEMENT_TYPES = (("Commitment", 30), ("JointStatement", 18), ("MemorandumOfUnderstanding", 18),
                   ("Declaration", 10), ("Contract", 9), ("Treaty", 8), ("FreeTradeAgreement", 7))
RELATION_TYPES = (("Cooperation", 45), ("Partnership", 14), ("Alliance", 9), ("Conflict", 17), ("Sanction", 15))
SANCTIONED = (("PRK", 10), ("RUS", 8), ("IRN", 4), ("SYR", 2), ("BLR", 2), ("MMR", 1), ("VEN", 1))
SANCTIONING = (("USA", 10), ("UN", 5), ("UNSC", 4), ("EU", 4), ("JPN", 3), ("KOR", 3), ("GBR", 2))
REUSE_MEETING = 0.5  # share of an article's meetings that some earlier article reported
REUSE_AGREEMENT = 0.35
RECENT = 400  # the meetings and agreements an article may report again: the last ones made
PUBLISHERS = {"ko": ("벤치일보", "가상통신", "시험뉴스"), "en": ("Bench Wire", "Synthetic Herald", "Test Times")}
# The views timed, with the arguments the project's CLI would give.
VIEWS = ("trilateral KOR JPN USA", "actor KOR", "network", "timeline KOR JPN")
STORES = ("embedded", "merged", "server", "rdflib")

_MEETING_WORDS = {
    "Summit": ("summit", "정상회담"), "MinisterialMeeting": ("foreign ministers' meeting", "외교장관회담"),
    "ViceMinisterialMeeting": ("vice-ministerial strategic dialogue", "외교차관 전략대화"),
    "Talks": ("talks", "회담"), "PhoneTalks": ("phone call", "전화 통화"), "Visit": ("visit", "방문"),
    "StateVisit": ("state visit", "국빈 방문"), "Conference": ("conference", "회의"),
}
_AGREEMENT_WORDS = {
    "Commitment": ("commitment to", "강화 약속"), "JointStatement": ("joint statement on", "공동성명"),
    "MemorandumOfUnderstanding": ("memorandum of understanding on", "양해각서"),
    "Declaration": ("declaration on", "선언"), "Contract": ("contract for", "계약"),
    "Treaty": ("treaty on", "조약"), "FreeTradeAgreement": ("free trade agreement", "자유무역협정"),
}
_RELATION_WORDS = {
    "Cooperation": ("cooperation", "협력"), "Partnership": ("partnership", "동반자 관계"),
    "Alliance": ("alliance", "동맹"), "Conflict": ("tensions", "갈등"), "Sanction": ("sanctions", "제재"),
}
_TOPICS = (("supply chains", "공급망"), ("nuclear energy", "원자력"), ("semiconductors", "반도체"),
           ("climate change", "기후변화"), ("defence", "방위"), ("trade", "통상"), ("critical minerals", "핵심광물"),
           ("maritime security", "해양안보"), ("cyber security", "사이버 안보"), ("public health", "보건"),
           ("energy", "에너지"), ("infrastructure", "인프라"), ("space", "우주"), ("fisheries", "어업"))
_CLAUSES = {
    "en": ("officials said", "the foreign ministry said in a statement", "according to a government source",
           "a spokesperson told reporters", "the presidential office said", "diplomatic sources said",
           "state media reported", "the two sides said", "a senior official said on condition of anonymity",
           "the ministry announced"),
    "ko": ("고 외교부가 밝혔다", "고 정부 관계자가 전했다", "고 대통령실이 발표했다", "고 외교 소식통이 말했다",
           "고 관영 매체가 보도했다", "고 양측은 밝혔다", "고 고위 당국자가 설명했다", "고 외교부 대변인이 말했다"),
}
_ROLES = (("spokesperson", "대변인"), ("ambassador", "대사"), ("special representative", "특별대표"),
          ("deputy minister", "차관"), ("assistant secretary", "차관보"), ("envoy", "특사"))
_SURNAMES = (("Kim", "김"), ("Lee", "이"), ("Park", "박"), ("Choi", "최"), ("Jung", "정"), ("Kang", "강"),
             ("Cho", "조"), ("Yoon", "윤"), ("Jang", "장"), ("Lim", "임"), ("Han", "한"), ("Oh", "오"))
_SYLLABLES = (("min", "민"), ("jun", "준"), ("seo", "서"), ("ji", "지"), ("hyun", "현"), ("woo", "우"),
              ("young", "영"), ("soo", "수"), ("jae", "재"), ("ho", "호"), ("eun", "은"), ("sung", "성"))
_GIVEN_EN = ("John", "Mary", "Akira", "Wei", "Olga", "Pierre", "Anna", "Ravi", "Carlos", "Sara", "Ivan", "Mei")
_FAMILY_EN = ("Smith", "Tanaka", "Wang", "Petrov", "Dubois", "Muller", "Sharma", "Garcia", "Rossi", "Sato")
_HEAD_LEVELS = ("head-of-state", "head-of-government")
_MINISTER_LEVELS = ("foreign-minister",)


# -- the synthetic world ------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Holder:
    """A person holding an office for a period (from the gazetteer's tenures)."""

    person: str
    office: str
    level: str
    start: dt.date
    end: dt.date | None


@dataclass
class _WorldMeeting:
    """A real-world meeting that articles report."""

    iri: Any
    type: str
    participants: tuple[str, ...]
    day: dt.date
    outcome: str
    place: str = ""
    subtype: str = ""
    visitor: str = ""
    destination: str = ""
    series: str = ""
    edition: Any = None  # kg.gazetteer.Edition of a known series' meeting
    people: tuple[str, ...] = ()
    big: bool = False


@dataclass
class _WorldAgreement:
    type: str
    parties: tuple[str, ...]
    day: dt.date
    topic: int


class World:
    """The gazetteer's actors, people, places and series, with the draws the generator makes."""

    def __init__(self, rng: random.Random) -> None:
        from kg.gazetteer import ORGANIZATION, PERSON, STATE, default

        self.gaz = gaz = default()
        self.rng = rng
        hubs = dict(HUBS)
        others = sorted(a.code for a in gaz.actors.values() if a.kind in (STATE, ORGANIZATION) and a.code not in hubs)
        rng.shuffle(others)
        self.codes = [c for c, _ in HUBS] + others
        weights = [w for _, w in HUBS] + [TAIL_WEIGHT / (n + 2) for n in range(len(others))]
        self.cum = list(_cumulate(weights))
        self.orgs = sorted(a.code for a in gaz.actors.values() if a.kind == ORGANIZATION)
        self.org_cum = list(_cumulate([1.0 / (n + 1) for n in range(len(self.orgs))]))
        self.states = {a.code for a in gaz.actors.values() if a.kind == STATE}
        self.names = {a.code: (a.name_en or a.code, a.name_ko or a.name_en or a.code) for a in gaz.actors.values()}
        self.holders: dict[str, list[_Holder]] = {}
        for t in gaz.tenures:
            office = gaz.offices.get(t.office)
            person = gaz.actor(t.person)
            if office is None or person is None or person.kind != PERSON:
                continue
            self.holders.setdefault(office.country, []).append(
                _Holder(t.person, t.office, office.level, t.start, t.end))
        self.places: dict[str, list[str]] = {}
        for place in sorted(gaz.places.values(), key=lambda p: p.id):
            self.places.setdefault(place.country, []).append(place.id)
        self.editions = sorted((e for e in gaz.editions if FIRST_DAY <= e.start <= LAST_DAY),
                               key=lambda e: (e.start, e.series))
        self.edition_days = [e.start for e in self.editions]

    def actor(self) -> str:
        return self.codes[bisect.bisect(self.cum, self.rng.random() * self.cum[-1])]

    def org(self) -> str:
        return self.orgs[bisect.bisect(self.org_cum, self.rng.random() * self.org_cum[-1])]

    def actors(self, k: int, first: str = "") -> tuple[str, ...]:
        chosen = {first} if first else set()
        while len(chosen) < k:
            chosen.add(self.actor())
        return tuple(sorted(chosen))

    def holders_on(self, code: str, day: dt.date, levels: Sequence[str]) -> list[_Holder]:
        return [h for h in self.holders.get(code, ()) if h.level in levels and h.start <= day
                and (h.end is None or day <= h.end)]


def _cumulate(weights: Sequence[float]) -> Iterator[float]:
    total = 0.0
    for w in weights:
        total += w
        yield total


def _pick(rng: random.Random, table: Sequence[tuple[str, float]]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


class _Article:
    """One synthetic article being written: its sentences (the text, with offsets) and its records."""

    def __init__(self, index: int, day: dt.date, lang: str) -> None:
        self.index, self.day, self.lang = index, day, lang
        self.source = f"scale_{index:07d}_{lang}.md"
        self.sentences: list[str] = []
        self.offset = 0
        self.people: dict[str, Any] = {}  # person key -> PersonRecord (the first mention)
        self.meetings: list[Any] = []
        self.events: list[Any] = []
        self.agreements: list[Any] = []
        self.relations: list[Any] = []
        self.actors: set[str] = set()

    def evidence(self, sentence: str, surface: str) -> Any:
        from kg.extract.records import Evidence

        start = self.offset
        self.sentences.append(sentence)
        self.offset += len(sentence) + 1
        return Evidence(sentence, start, start + len(sentence), surface)


class Generator:
    """Writes the synthetic dataset as N-Quads: reference graphs first, then one graph per article."""

    def __init__(self, target: int, seed: int = RANDOM_SEED) -> None:
        self.target = target
        self.rng = random.Random(seed)
        self.world = World(self.rng)
        self.meetings: list[_WorldMeeting] = []
        self.agreements: list[_WorldAgreement] = []
        self.counts = dict.fromkeys(("meeting_reports", "agreement_reports", "relation_reports", "people"), 0)
        self._terms: dict[Any, str] = {}
        self._next_edition = 0  # the first known series meeting no article has reported yet

    # -- drawing the world --------------------------------------------------------------------------
    def _new_meeting(self, day: dt.date) -> _WorldMeeting:
        from kg import iris

        rng, w = self.rng, self.world
        type_ = _pick(rng, MEETING_TYPES)
        if type_ == "Conference":
            k = rng.randint(3, 12)
            participants = w.actors(k, w.org() if rng.random() < 0.5 else "")
        elif type_ == "Visit":
            participants = w.actors(2)
        else:
            r = rng.random()
            participants = w.actors(2 if r < 0.78 else 3 if r < 0.96 else 4)
        when = day + dt.timedelta(days=rng.randint(-25, 70))
        r = rng.random()
        outcome = "held" if r < 0.88 else "postponed" if r < 0.94 else "cancelled"
        m = _WorldMeeting(iris.event(("dated", type_, participants, when.isoformat())), type_, participants, when,
                          outcome)
        if type_ == "Talks" and rng.random() < 0.35:
            m.subtype = "PhoneTalks"
        if type_ == "Visit":
            m.visitor, m.destination = rng.sample(participants, 2)
            if rng.random() < 0.15:
                m.subtype = "StateVisit"
        host = m.destination or rng.choice(participants)
        if m.subtype != "PhoneTalks" and w.places.get(host) and rng.random() < 0.65:
            m.place = rng.choice(w.places[host])
        if type_ == "Summit" and len(participants) == 2 and rng.random() < 0.3:
            m.series = f"Summit:{'-'.join(participants)}"
        levels = _HEAD_LEVELS if type_ in ("Summit", "Visit", "Conference") else _MINISTER_LEVELS
        people: list[str] = []
        for code in participants:
            holders = w.holders_on(code, when, levels)
            if holders and rng.random() < 0.6:
                people.append(rng.choice(holders).person)
        m.people = tuple(people)
        m.big = type_ in ("Summit", "Conference") and sum(c in dict(HUBS) for c in participants) >= 2
        self.meetings.append(m)
        return m

    def _edition_meeting(self, day: dt.date) -> _WorldMeeting | None:
        """A known meeting of a series (G20, APEC, the trilateral summits) near ``day``, if one is.

        Every known meeting up to ``day`` is reported at least once (so that any size has them all).
        """
        from kg import iris

        w = self.world
        if self._next_edition < len(w.editions) and w.editions[self._next_edition].start <= day:
            i = self._next_edition
        else:
            lo = bisect.bisect_left(w.edition_days, day - dt.timedelta(days=30))
            hi = bisect.bisect_right(w.edition_days, day + dt.timedelta(days=60))
            if lo >= hi or self.rng.random() > 0.25:
                return None
            i = self.rng.randrange(lo, hi)
        if i == self._next_edition:
            self._next_edition += 1
        e = w.editions[i]
        key = ("series", e.series, e.edition or e.start.isoformat())
        return _WorldMeeting(iris.event(key), e.types[0], e.participants, e.start, "held", place=e.place,
                             series=e.series, edition=e, big=True)

    def _reported_meeting(self, day: dt.date) -> _WorldMeeting:
        rng = self.rng
        edition = self._edition_meeting(day)
        if edition is not None:
            return edition
        if self.meetings and rng.random() < REUSE_MEETING:
            recent = self.meetings[-RECENT:]
            if rng.random() < 0.4:
                big = [m for m in recent[-100:] if m.big]
                if big:
                    return rng.choice(big)
            m = rng.choice(recent)
            if -60 <= (m.day - day).days <= 120:
                return m
        return self._new_meeting(day)

    # -- writing an article --------------------------------------------------------------------------
    def _name(self, code: str, lang: str) -> str:
        en, ko = self.world.names[code]
        return ko if lang == "ko" else en

    def _names(self, codes: Sequence[str], lang: str) -> str:
        names = [self._name(c, lang) for c in codes]
        if lang == "ko":
            return "·".join(names)
        return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]

    def _person(self, art: _Article, key: str, sentence_about: str) -> str:
        """Record a person (a gazetteer id, or an unknown ``name:...``) in ``art``; return the person key."""
        from kg.extract.records import PersonRecord

        if key in art.people:
            return key
        gaz, lang = self.world.gaz, art.lang
        if key.startswith("name:"):
            name_en, name_ko, country, role_en, role_ko = self._unknown(key)
            role = role_ko if lang == "ko" else role_en
            surface = name_ko or name_en if lang == "ko" else name_en
            office = ""
            record_key = ""
        else:
            person = gaz.actor(key)
            assert person is not None
            name_en, name_ko, country = person.name_en, person.name_ko, person.country
            tenures = gaz.tenures_of(key, art.day)
            office = tenures[0].office if tenures else ""
            held = gaz.offices.get(office)
            titles = () if held is None else held.titles_ko if lang == "ko" else held.titles_en
            role = titles[0] if titles else ""
            surface = name_ko if lang == "ko" and name_ko else name_en
            record_key = key
        if lang == "ko":
            sentence = f"{surface} {role} 은 {sentence_about} 관련 입장을 밝혔다 ({art.index}-{len(art.sentences)})."
        else:
            sentence = f"{role} {surface} spoke about {sentence_about} ({art.index}-{len(art.sentences)})."
        ev = art.evidence(sentence.strip(), surface)
        art.people[key] = PersonRecord(record_key, name_en, name_ko, role, country, ev, office)
        self.counts["people"] += 1
        return key

    def _unknown(self, key: str) -> tuple[str, str, str, str, str]:
        """Name, country and role of an unknown person ``name:...`` (made from the key's number)."""
        n = int(key.rsplit("-", 1)[1])
        role_en, role_ko = _ROLES[n % len(_ROLES)]
        if n % 3:  # a Korean official
            (s_en, s_ko), (a_en, a_ko), (b_en, b_ko) = (
                _SURNAMES[n % 12], _SYLLABLES[n // 12 % 12], _SYLLABLES[n // 144 % 12])
            return f"{s_en} {a_en.title()}-{b_en}", f"{s_ko}{a_ko}{b_ko}", "KOR", role_en, role_ko
        code = self.world.codes[1 + n % 20]
        return f"{_GIVEN_EN[n % 12]} {_FAMILY_EN[n // 12 % 10]}", "", code, role_en, role_ko

    def _when(self, m: _WorldMeeting, planned: bool) -> Any:
        from kg.extract.records import When

        r = self.rng.random()
        day = m.day
        if r < (0.45 if planned else 0.75):
            return When(day.isoformat())
        if r < (0.8 if planned else 0.9):
            return When(day.isoformat()[:7])
        if planned and r < 0.9:
            half = (dt.date(day.year, 1, 1), dt.date(day.year, 6, 30)) if day.month <= 6 else (
                dt.date(day.year, 7, 1), dt.date(day.year, 12, 31))
            return When("", half[0].isoformat(), half[1].isoformat())
        return When()

    def _report_meeting(self, art: _Article, m: _WorldMeeting) -> int:
        from kg.extract.records import Meeting, When
        from kg.resolve import Resolved

        rng, lang = self.rng, art.lang
        if m.day > art.day:
            status = m.outcome if m.outcome != "held" and (m.day - art.day).days < 5 else "planned"
        else:
            status = m.outcome
        when = self._when(m, status == "planned")
        type_words = _MEETING_WORDS[m.subtype or m.type][lang == "ko"]
        names = self._names(m.participants, lang)
        people = tuple(self._person(art, p, type_words) for p in m.people if rng.random() < 0.7)
        place_name = ""
        if m.place:
            place = self.world.gaz.places[m.place]
            place_name = place.name_ko if lang == "ko" and place.name_ko else place.name_en
        first = len(art.meetings)
        mentions = 1 + (rng.random() < 0.5) + (rng.random() < 0.2)
        clause = rng.choice(_CLAUSES[lang])
        for i in range(mentions):
            if lang == "ko":
                verb = {"planned": "열 예정이라", "held": "가졌다", "postponed": "연기했다",
                        "cancelled": "취소했다"}[status]
                sentence = (f"{names} {type_words}{'를 ' + place_name + '에서' if place_name and not i else '를'} "
                            f"{when.value or ''} {verb}{clause} ({art.index}-{len(art.sentences)}).")
            else:
                verb = {"planned": "will hold", "held": "held", "postponed": "postponed",
                        "cancelled": "called off"}[status]
                sentence = (f"{names} {verb} the {type_words}{' in ' + place_name if place_name and not i else ''}"
                            f"{' on ' + when.value if when.value and not i else ''}, {clause} "
                            f"({art.index}-{len(art.sentences)}).")
            ev = art.evidence(" ".join(sentence.split()), type_words)
            art.meetings.append(Meeting(
                m.type, m.participants, status, when if i == 0 else When(), ev, people if i == 0 else (),
                m.place if i == 0 and rng.random() < 0.7 else "", None, m.series if m.edition is None else "",
                m.subtype, m.visitor, m.destination))
            art.events.append(Resolved(m.iri, m.edition))
        art.actors.update(m.participants)
        self.counts["meeting_reports"] += 1
        return first

    def _report_agreement(self, art: _Article, meeting_index: int | None) -> None:
        from kg.extract.records import Agreement, When

        rng, w, lang = self.rng, self.world, art.lang
        if meeting_index is not None and rng.random() < 0.6:  # a commitment made at one of the article's meetings
            meeting = art.meetings[meeting_index]
            a = _WorldAgreement("Commitment", meeting.participants[:3], art.day, rng.randrange(len(_TOPICS)))
            status, when = "agreed", When()
        else:
            recent = self.agreements[-RECENT:]
            if recent and rng.random() < REUSE_AGREEMENT:
                a = rng.choice(recent)
            else:
                type_ = _pick(rng, AGREEMENT_TYPES[1:])
                a = _WorldAgreement(type_, w.actors(2 if rng.random() < 0.8 else 3),
                                    art.day + dt.timedelta(days=rng.randint(-30, 120)), rng.randrange(len(_TOPICS)))
                self.agreements.append(a)
            if art.day < a.day:
                status = "negotiating" if rng.random() < 0.6 else "planned"
                when = When(a.day.isoformat()[:7]) if rng.random() < 0.3 else When()
            else:
                r = rng.random()
                status = "signed" if r < 0.5 else "agreed" if r < 0.7 else "ratified" if r < 0.85 else "in-force"
                when = When(a.day.isoformat()) if rng.random() < 0.8 else When()
            meeting_index = None
        word = _AGREEMENT_WORDS[a.type][lang == "ko"]
        topic = _TOPICS[a.topic][lang == "ko"]
        names = self._names(a.parties, lang)
        name = f"{names} {topic} {word}" if lang == "ko" else f"{names} {word} {topic}"
        clause = rng.choice(_CLAUSES[lang])
        sentence = (f"{name} {'이 ' + status + ' 단계' if lang == 'ko' else 'was reported ' + status}, {clause} "
                    f"({art.index}-{len(art.sentences)}).")
        ev = art.evidence(sentence, name)
        art.agreements.append(Agreement(a.type, name, a.parties, status, when, ev, meeting_index))
        art.actors.update(a.parties)
        self.counts["agreement_reports"] += 1

    def _report_relation(self, art: _Article) -> None:
        from kg.extract.records import Relation

        rng, w, lang = self.rng, self.world, art.lang
        type_ = _pick(rng, RELATION_TYPES)
        if type_ == "Sanction":
            target = _pick(rng, SANCTIONED)
            source = _pick(rng, SANCTIONING)
            actors = tuple(sorted({target, source if source != target else "USA"}))
        elif type_ == "Alliance":
            actors = rng.choice((("KOR", "USA"), ("JPN", "USA"), ("JPN", "KOR", "USA"), ("CHN", "PRK"),
                                 ("PRK", "RUS"), w.actors(2)))
        elif type_ == "Conflict":
            actors = w.actors(2, rng.choice(("PRK", "RUS", "CHN", "")) or w.actor())
        else:
            actors = w.actors(2 if rng.random() < 0.85 else 3)
        word = _RELATION_WORDS[type_][lang == "ko"]
        names = self._names(actors, lang)
        for _ in range(1 + (rng.random() < 0.3)):
            clause = rng.choice(_CLAUSES[lang])
            sentence = (f"{names} 간 {word}이 이어지고 있다{clause} ({art.index}-{len(art.sentences)})." if lang == "ko"
                        else f"The {word} between {names} continued, {clause} ({art.index}-{len(art.sentences)}).")
            art.relations.append(Relation(type_, actors, art.evidence(sentence, word)))
        art.actors.update(actors)
        self.counts["relation_reports"] += 1

    def article(self, index: int, day: dt.date) -> tuple[str, set[Any]]:
        """The source name and the graph content (``kg.build.article_graph``) of article ``index``."""
        from kg import build
        from kg.extract.records import Extraction
        from kg.read import Article

        rng = self.rng
        art = _Article(index, day, "ko" if rng.random() < 0.5 else "en")
        for _ in range(rng.choices((1, 2, 3, 4, 5, 6, 7, 8), weights=(8, 14, 20, 18, 14, 12, 8, 6))[0]):
            self._report_meeting(art, self._reported_meeting(day))
        for _ in range(rng.choices((0, 1, 2, 3, 4), weights=(25, 30, 25, 12, 8))[0]):
            self._report_agreement(art, rng.randrange(len(art.meetings)) if art.meetings else None)
        for _ in range(rng.choices((0, 1, 2, 3, 4, 5), weights=(8, 20, 27, 22, 13, 10))[0]):
            self._report_relation(art)
        for _ in range(rng.choices((0, 1, 2, 3), weights=(35, 35, 20, 10))[0]):  # officials quoted
            n = int(rng.paretovariate(1.2) * 10) % 20000
            self._person(art, f"name:x-{n}", rng.choice(_TOPICS)[art.lang == "ko"])
        text = " ".join(art.sentences)
        title = art.sentences[0][:70].rsplit(" ", 1)[0]
        article = Article(art.source, text, title, day, f"https://news.example/{art.lang}/{index}",
                          rng.choice(PUBLISHERS[art.lang]), art.lang)
        extraction = Extraction(article, tuple(art.people.values()), tuple(art.meetings), tuple(art.agreements),
                                tuple(art.relations), tuple(sorted(art.actors)))
        return art.source, build.article_graph(extraction, self.world.gaz, art.events)

    # -- N-Quads --------------------------------------------------------------------------------------
    def _lines(self, graph: Any, triples: Any) -> list[str]:
        """``triples`` as sorted N-Quads lines in ``graph`` (terms written by Oxigraph's serializer)."""
        from kg.store import nquads_lines

        return sorted(nquads_lines(graph, triples, self._terms))

    def reference_graphs(self) -> Iterator[tuple[Any, set[Any]]]:
        """The ontology and gazetteer graphs as ``dkg import`` stores them (with their sha256 markers)."""
        from rdflib import Graph, Literal
        from rdflib.compare import to_canonical_graph
        from rdflib.namespace import SDO

        from kg import build, iris
        from kg.resources import gazetteer_dir, ontology_file

        ontology = ontology_file("diplomacy.ttl")
        tables = sorted(gazetteer_dir().glob("*.tsv"))
        for graph, files, make in (
                (iris.ONTOLOGY_GRAPH, [ontology], lambda: to_canonical_graph(Graph().parse(ontology, format="turtle"))),
                (iris.GAZETTEER_GRAPH, tables, lambda: build.gazetteer_graph(self.world.gaz))):
            digest = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()
            content = set(make())
            content.add((graph, SDO.sha256, Literal(digest)))
            yield graph, content

    def write(self, path: Path) -> GenStats:
        """Write the dataset to ``path`` (N-Quads) until the target number of quads is reached."""
        from collections import Counter

        from rdflib import RDF

        from kg import iris

        start = time.perf_counter()
        digest = hashlib.sha256()
        quads = articles = 0
        typed: Counter[Any] = Counter()  # subject -> article graphs that state its rdf:type
        step = (LAST_DAY - FIRST_DAY).days / max(1, self.target / QUADS_PER_ARTICLE)
        with path.open("w", encoding="utf-8", newline="\n") as out:
            for graph, content in self.reference_graphs():
                chunk = "".join(self._lines(graph, content))
                out.write(chunk)
                digest.update(chunk.encode("utf-8"))
                quads += len(content)
            while quads < self.target:
                day = min(LAST_DAY, FIRST_DAY + dt.timedelta(days=int(articles * step) + self.rng.randint(0, 2)))
                source, content = self.article(articles, day)
                typed.update({s for s, p, _ in content if p == RDF.type})
                chunk = "".join(self._lines(iris.article_graph(source), content))
                out.write(chunk)
                digest.update(chunk.encode("utf-8"))
                quads += len(content)
                articles += 1
        return GenStats(self.target, quads, articles, len(self.meetings), len(self.agreements),
                        self.counts["meeting_reports"], self.counts["agreement_reports"],
                        self.counts["relation_reports"], self.counts["people"], path.stat().st_size,
                        digest.hexdigest(), time.perf_counter() - start, _peak_rss_mb(),
                        tuple((str(s).removeprefix(iris.BASE), n) for s, n in typed.most_common(5)))


@dataclass(frozen=True)
class GenStats:
    """What the generator wrote."""

    target: int
    quads: int
    articles: int
    meetings: int  # real-world meetings made (series editions not counted)
    agreements: int  # real-world agreements made (article-local commitments not counted)
    meeting_reports: int
    agreement_reports: int
    relation_reports: int
    people_mentions: int
    bytes: int
    sha256: str
    seconds: float
    peak_rss_mb: float
    restated: tuple[tuple[str, int], ...] = ()  # the subjects typed in the most article graphs, with their counts


def generate(target: int, path: Path, seed: int = RANDOM_SEED) -> GenStats:
    """Write a dataset of about ``target`` quads to ``path`` (N-Quads); the same seed gives the same file."""
    return Generator(target, seed).write(path)


# -- processes ------------------------------------------------------------------------------------------
# Stores, loads and views run in processes of a fork server: a clean single-threaded process started
# once, which forks each of them. A plain fork of the bench would copy its threads' locks (pytest's,
# or an open Oxigraph store's) and can deadlock the child. The rdflib holder, which has no threads,
# forks each query itself so that the child inherits the loaded dataset.
_SERVER = multiprocessing.get_context("forkserver")
_SERVER.set_forkserver_preload(["bench.scale", "rdflib", "pyoxigraph", "kg.queries", "kg.remote", "kg.build"])
_FORK = multiprocessing.get_context("fork")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _dir_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


class Child:
    """A process running ``target(conn, *args)``; it talks to its parent over a pipe.

    ``target`` must be a module-level function (it is pickled to the fork server) unless ``fork``.
    """

    def __init__(self, target: Callable[..., None], *args: Any, fork: bool = False) -> None:
        context: Any = _FORK if fork else _SERVER
        parent, child = context.Pipe()
        self.process = context.Process(target=_child_main, args=(target, child, *args))
        self.process.start()
        child.close()
        self.conn = parent

    def recv(self, timeout: float | None) -> Any:
        """The next message; ``TimeoutError`` when none comes in time, ``EOFError`` when the child died."""
        if not self.conn.poll(timeout):
            raise TimeoutError
        return self.conn.recv()

    def send(self, message: Any) -> None:
        self.conn.send(message)

    def kill(self) -> None:
        if self.process.is_alive() and self.process.pid is not None:
            try:
                os.kill(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:  # it ended meanwhile
                pass
        self.process.join(10)
        self.conn.close()

    def finish(self, timeout: float = 60) -> Any:
        """Ask the child to stop; its last message (its peak RSS)."""
        try:
            self.send(None)
            last = self.recv(timeout)
        except (TimeoutError, EOFError, OSError, BrokenPipeError):
            last = None
        self.kill()
        return last


def _child_main(target: Callable[..., None], conn: Any, *args: Any) -> None:
    try:
        target(conn, *args)
    except BaseException:  # noqa: BLE001 - everything goes to the parent
        try:
            conn.send(("error", traceback.format_exc()))
        except (OSError, BrokenPipeError):
            pass
        raise


def _answer(conn: Any, target: Callable[..., Any], *args: Any) -> None:
    conn.send(("ok", target(*args)))


def _call(target: Callable[..., Any], *args: Any) -> Any:
    """``target(*args)`` run in a process of its own (a module-level function); its result, or its error raised."""
    child = Child(_answer, target, *args)
    try:
        kind, value = child.recv(None)
    except EOFError:
        child.process.join(10)
        raise RuntimeError(f"{target.__name__} died (exit code {child.process.exitcode})") from None
    finally:
        child.kill()
    if kind == "error":
        raise RuntimeError(value)
    return value


# -- query backends -------------------------------------------------------------------------------------
@dataclass
class Timing:
    """One query (or view) on one store."""

    ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    rows: int | None = None
    engine_ms: list[float] = field(default_factory=list)
    kept_ms: list[float] = field(default_factory=list)  # the answer kept by the store (kg.answers), asked again
    status: str = "ok"  # ok, timeout, error, skipped (it timed out at a smaller size)
    error: str = ""

    @property
    def median(self) -> float | None:
        return _median(self.ms)

    @property
    def cpu_median(self) -> float | None:
        return _median(self.cpu_ms)

    @property
    def engine_median(self) -> float | None:
        return _median(self.engine_ms)

    @property
    def kept_median(self) -> float | None:
        return _median(self.kept_ms)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def query_plan(names: Sequence[str] | None = None) -> list[tuple[Any, dict[str, str]]]:
    """The named queries to run (``kg.queries.NamedQuery``, read once: every store runs the same text),
    each with its default parameters (left to the query)."""
    from kg.queries import registry

    known = registry()
    chosen = list(known) if not names else list(names)
    unknown = [n for n in chosen if n not in known]
    if unknown:
        raise SystemExit(f"unknown queries: {', '.join(unknown)} (known: {', '.join(known)})")
    return [(known[name], {}) for name in chosen]


def plan_digest(plan: Sequence[tuple[Any, dict[str, str]]]) -> str:
    """A short digest of the query texts measured (the queries change as the project goes)."""
    h = hashlib.sha256()
    for query, _ in plan:
        h.update(f"{query.name}\x00{query.text}\x00".encode())
    return h.hexdigest()[:12]


def _cpu_of(pid: int | None) -> Callable[[], float]:
    """A clock of CPU seconds: this process's, or (``pid``) another's, from ``/proc``."""
    if pid is None:
        return time.process_time
    ticks = os.sysconf("SC_CLK_TCK")

    def clock() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime

    return clock


def _repeat(run: Callable[[], int], runs: int, timeout: float, send: Callable[[Any], None], label: str,
            cpu: Callable[[], float] = time.process_time) -> tuple[float, float]:
    """Run ``run`` up to ``runs`` times, sending each time; stop early when the next run would overrun.

    Returns the seconds spent and those of the last run. A run that fails after the timeout (a
    server that gave up, a client that stopped waiting) is reported as a timeout.
    """
    spent = last = 0.0
    for _ in range(runs):
        start, cpu0 = time.perf_counter(), cpu()
        try:
            rows = run()
        except Exception:
            if time.perf_counter() - start >= timeout:
                send(("timeout",))
                return spent + timeout, timeout
            raise
        last = time.perf_counter() - start
        send(("run", label, 1000 * last, rows, 1000 * (cpu() - cpu0)))
        spent += last
        if spent + last > timeout:
            break
    return spent, last


def _store_handler(store: Any, engine: bool, server_pid: int | None = None) -> Callable[[Any, Callable[[Any], None]],
                                                                                       None]:
    """Runs named queries on a ``kg.store.Store`` (or ``RemoteStore``) as ``dkg query`` does.

    CPU time is this process's, or the server's (``server_pid``) for a remote store.
    """
    from kg.queries import bind, execute
    from kg.store import _ox_term
    from kg.vocab import QUERY_PREFIXES

    def handle(request: Any, send: Callable[[Any], None]) -> None:
        _, query, params, runs, timeout = request

        answers: list[Any] = []

        def user(cache: bool = False) -> int:
            answer = execute(store, query, params, cache=cache)
            answers[:] = [answer]
            return len(getattr(answer, "rows", getattr(answer, "triples", ())))

        keeps = getattr(store, "reuse_answers", False)
        token = store.answers.generation() if keeps else None
        spent, last = _repeat(user, runs, timeout, send, "user", _cpu_of(server_pid))
        if keeps and answers:
            # The same query asked again of the unchanged store: answered from the answer it kept
            # (the last timed run's answer, kept as execute keeps it).
            store.answers.min_seconds = 0
            store.answers.put(store.answers.key(query.text, bind(query, params), None), token, answers[0], last)
            _repeat(lambda: user(cache=True), runs, timeout, send, "kept")
        if engine and last < timeout / 4:  # the engine alone, without the conversion of the rows
            import pyoxigraph as ox

            substitutions = {ox.Variable(k): _ox_term(v) for k, v in bind(query, params).items()}

            def raw() -> int:
                result = store._ox.query(query.text, use_default_graph_as_union=True, substitutions=substitutions,
                                         prefixes=QUERY_PREFIXES)
                return sum(1 for _ in result)

            _repeat(raw, runs if spent < timeout / 4 else 1, timeout, send, "engine")

    return handle


def _merged_handler(store: Any) -> Callable[[Any, Callable[[Any], None]], None]:
    """Runs named queries on the engine with the store's default graph (the merged, distinct union)."""
    import pyoxigraph as ox

    from kg.queries import bind
    from kg.store import _ox_term
    from kg.vocab import QUERY_PREFIXES

    def handle(request: Any, send: Callable[[Any], None]) -> None:
        _, query, params, runs, timeout = request
        substitutions = {ox.Variable(k): _ox_term(v) for k, v in bind(query, params).items()}

        def raw() -> int:
            return sum(1 for _ in store._ox.query(query.text, substitutions=substitutions, prefixes=QUERY_PREFIXES))

        _repeat(raw, runs, timeout, send, "user")

    return handle


def _rdflib_handler(dataset: Any) -> Callable[[Any, Callable[[Any], None]], None]:
    """Runs named queries on an rdflib ``Dataset``, values bound as the remote store binds them."""
    from kg.queries import bind
    from kg.sparql import bind_values

    def handle(request: Any, send: Callable[[Any], None]) -> None:
        _, query, params, runs, timeout = request
        text = bind_values(query.text, bind(query, params))
        _repeat(lambda: sum(1 for _ in dataset.query(text)), runs, timeout, send, "user")

    return handle


def _serve(conn: Any, handler: Callable[[Any, Callable[[Any], None]], None], fork_each: bool, timeout: float,
           ready: dict[str, Any]) -> None:
    """Answer requests until ``None``; with ``fork_each``, each in a forked process abandoned on timeout."""
    conn.send(("ready", ready))
    if fork_each:
        gc.freeze()  # forked children then leave the parent's objects alone (no copy on write by the collector)
    while True:
        request = conn.recv()
        if request is None:
            conn.send(("bye", _peak_rss_mb()))
            return
        if not fork_each:
            try:
                handler(request, conn.send)
            except Exception as exc:  # noqa: BLE001 - reported as the query's error
                conn.send(("failed", f"{type(exc).__name__}: {exc}"))
            conn.send(("done",))
            continue

        def one(c: Any, request: Any = request) -> None:
            try:
                handler(request, c.send)
            except Exception as exc:  # noqa: BLE001
                c.send(("failed", f"{type(exc).__name__}: {exc}"))
            c.send(("done",))

        child = Child(one, fork=True)
        try:
            while True:
                message = child.recv(timeout)
                conn.send(message)
                if message[0] in ("done", "error"):
                    break
        except TimeoutError:
            conn.send(("timeout",))
            conn.send(("done",))
        except EOFError:
            conn.send(("failed", "the query's process died"))
            conn.send(("done",))
        finally:
            child.kill()


class Backend:
    """One store under test: how to start the process that holds it, and what it costs to load."""

    name = ""
    fork_each = False

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.child: Child | None = None
        self.ready: dict[str, Any] = {}
        self.peak_rss_mb = 0.0

    def open(self) -> tuple[str, str]:
        """What the holding process opens: (kind, location) for ``_open``."""
        raise NotImplementedError

    def _start(self) -> Child:
        kind, location = self.open()
        child = Child(_hold, kind, location, self.fork_each, self.timeout, self.pid())
        kind, value = child.recv(None)
        if kind == "error":
            child.kill()
            raise RuntimeError(f"{self.name}: {value}")
        self.ready = value
        return child

    def pid(self) -> int | None:
        """The process whose CPU time a query costs, when it is not the holder's own (a server's)."""
        return None

    def restart(self) -> None:
        """The process was killed (a query overran): make a new one for the next query."""
        if self.child is not None:
            self.child.kill()
            self.child = None

    def start(self) -> dict[str, Any]:
        """Start the process holding the store (loading it, for rdflib); its opening time and RSS."""
        if self.child is None:
            self.child = self._start()
        return self.ready

    def run(self, query: Any, params: dict[str, str], runs: int) -> Timing:
        if self.child is None:
            self.child = self._start()
        timing = Timing()
        self.child.send(("query", query, params, runs, self.timeout))
        margin = 30.0 if self.fork_each else 5.0
        try:
            while True:
                message = self.child.recv(self.timeout + margin)
                kind = message[0]
                if kind == "run":
                    _, label, ms, rows, cpu_ms = message
                    {"user": timing.ms, "kept": timing.kept_ms}.get(label, timing.engine_ms).append(ms)
                    if label == "user":
                        timing.rows = rows
                        timing.cpu_ms.append(cpu_ms)
                elif kind == "timeout":
                    timing.status = "timeout"
                elif kind in ("failed", "error"):
                    timing.status, timing.error = "error", str(message[1])
                    if kind == "error":
                        self.restart()
                        break
                elif kind == "done":
                    break
        except TimeoutError:
            timing.status = "timeout"
            self.restart()
        except EOFError:
            timing.status, timing.error = "error", "the store's process died"
            self.restart()
        if timing.status == "timeout" and not self.fork_each:
            self.restart()  # the store's process (or the server) may still be busy with the query
        if timing.status == "timeout" and timing.ms:
            timing.status = "ok"  # the first runs finished; a later one overran
        return timing

    def close(self) -> None:
        if self.child is not None:
            last = self.child.finish()
            if last and last[0] == "bye":
                self.peak_rss_mb = max(self.peak_rss_mb, float(last[1]))
            self.child = None


class EmbeddedBackend(Backend):
    """``kg.store.Store`` on disk (bulk-loaded beforehand by ``load_embedded``)."""

    name = "embedded"

    def __init__(self, folder: Path, timeout: float) -> None:
        super().__init__(timeout)
        self.folder = folder

    def open(self) -> tuple[str, str]:
        return "embedded", str(self.folder)


class MergedBackend(EmbeddedBackend):
    """The embedded store plus a default graph holding the distinct union of the graphs (as an importer
    could keep it), queried on that default graph with the engine alone: what the bag union costs."""

    name = "merged"

    def open(self) -> tuple[str, str]:
        return "merged", str(self.folder)


class ServerBackend(Backend):
    """``oxigraph serve`` on a loopback port, queried through ``kg.remote.RemoteStore``."""

    name = "server"

    def __init__(self, folder: Path, timeout: float) -> None:
        super().__init__(timeout)
        self.folder = folder
        self.server: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.server_peak_mb = 0.0

    def start_server(self) -> None:
        self.port = free_port()
        log = (self.folder.parent / "server.log").open("ab")
        self.server = subprocess.Popen(
            [str(OXIGRAPH), "serve", "--location", str(self.folder), "--bind", f"127.0.0.1:{self.port}",
             "--union-default-graph", "--timeout-s", str(int(self.timeout) + 10)], stdout=log, stderr=log)
        log.close()
        wait_until_up(f"http://127.0.0.1:{self.port}/query", self.server, 60)

    def stop_server(self) -> None:
        if self.server is not None:
            self.server_peak_mb = max(self.server_peak_mb, _vm_hwm_mb(self.server.pid))
            stop(self.server)
            self.server = None

    def open(self) -> tuple[str, str]:
        if self.server is None:
            self.start_server()
        return "server", f"http://127.0.0.1:{self.port}/query"

    def pid(self) -> int | None:
        return None if self.server is None else self.server.pid

    def restart(self) -> None:
        super().restart()
        self.stop_server()  # it may still be evaluating the abandoned query

    def close(self) -> None:
        super().close()
        self.stop_server()


class RdflibBackend(Backend):
    """rdflib's in-memory ``Dataset`` (union default graph); each query in a fork of the holder."""

    name = "rdflib"
    fork_each = True

    def __init__(self, dataset_file: Path, timeout: float) -> None:
        super().__init__(timeout)
        self.dataset_file = dataset_file

    def open(self) -> tuple[str, str]:
        return "rdflib", str(self.dataset_file)


def _open(kind: str, location: str, timeout: float, pid: int | None = None) -> Callable[[Any, Callable[[Any], None]],
                                                                                        None]:
    """The query handler of a store: ``embedded`` (a folder), ``server`` (an endpoint), ``rdflib`` (N-Quads)."""
    from kg.gazetteer import default

    default()  # parameters are typed against the gazetteer: load it before timing
    if kind in ("embedded", "merged"):
        from kg.store import Store

        store = Store(Path(location))
        return _store_handler(store, engine=True) if kind == "embedded" else _merged_handler(store)
    if kind == "server":
        from kg.remote import RemoteStore

        return _store_handler(RemoteStore(location, timeout=timeout + 2, retries=0), engine=False, server_pid=pid)
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    dataset.parse(location, format="nquads")
    return _rdflib_handler(dataset)


def _hold(conn: Any, kind: str, location: str, fork_each: bool, timeout: float, pid: int | None = None) -> None:
    """The process holding one store: open it (timed), then answer queries."""
    start = time.perf_counter()
    handler = _open(kind, location, timeout, pid)
    _serve(conn, handler, fork_each, timeout, {"open_s": time.perf_counter() - start, "peak_rss_mb": _peak_rss_mb()})


# -- loading --------------------------------------------------------------------------------------------
OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def _bulk_load(dataset_file: Path, folder: Path, merged: bool = False) -> dict[str, float]:
    import pyoxigraph as ox

    start = time.perf_counter()
    store = ox.Store(str(folder))
    store.bulk_load(path=str(dataset_file), format=ox.RdfFormat.N_QUADS)
    if merged:  # every triple once more in the default graph: the quads without their graph names
        triples = folder.parent / "merged.nt"
        with dataset_file.open(encoding="utf-8") as lines, triples.open("w", encoding="utf-8") as out:
            out.writelines(line.rsplit(" <", 1)[0] + " .\n" for line in lines)
        store.bulk_load(path=str(triples), format=ox.RdfFormat.N_TRIPLES)
        triples.unlink()
    store.flush()
    quads = len(store)
    del store
    return {"seconds": time.perf_counter() - start, "quads": quads, "peak_rss_mb": _peak_rss_mb()}


def load_embedded(dataset_file: Path, folder: Path, merged: bool = False) -> dict[str, float]:
    """Bulk-load the dataset into a new on-disk store at ``folder`` (in a process of its own): seconds, MB, RSS.

    With ``merged``, the distinct union of the graphs goes into the default graph as well.
    """
    figures: dict[str, float] = _call(_bulk_load, dataset_file, folder, merged)
    figures["disk_mb"] = _dir_mb(folder)
    return figures


def load_server(dataset_file: Path, folder: Path) -> dict[str, float]:
    """``oxigraph load`` into ``folder``: seconds, MB on disk, the loader's peak RSS."""
    start = time.perf_counter()
    process = subprocess.Popen([str(OXIGRAPH), "load", "--location", str(folder), "--file", str(dataset_file)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        assert process.stderr is not None
        raise RuntimeError(f"oxigraph load failed: {process.stderr.read().decode(errors='replace')[-2000:]}")
    return {"seconds": seconds, "disk_mb": _dir_mb(folder), "peak_rss_mb": usage.ru_maxrss / 1024}


def _vm_hwm_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# -- views ----------------------------------------------------------------------------------------------
def _views_main(conn: Any, folder: Path, out_dir: Path, names: Sequence[str]) -> None:
    """Build each view of ``names`` from the store at ``folder``, sending its figures."""
    from kg.gazetteer import default
    from kg.store import Store
    from viz import views

    default()
    with Store(folder) as store:
        store.answers.min_seconds = 0
        for spec in names:
            kind, *codes = spec.split()
            output = out_dir / f"{kind}.html"

            def build(kind: str = kind, codes: list[str] = codes, output: Path = output) -> Any:
                if kind == "trilateral":
                    return views.trilateral_view(store, codes, output)
                if kind == "actor":
                    return views.actor_view(store, codes[0], output)
                if kind == "network":
                    return views.network_view(store, output)
                return views.timeline_view(store, codes, output)

            shutil.rmtree(store.answers.folder, ignore_errors=True)  # no answer kept by an earlier view
            start, cpu = time.perf_counter(), time.process_time()
            graph = build()
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            start = time.perf_counter()
            build()  # again, from the answers the store kept the first time
            again = time.perf_counter() - start
            conn.send(("view", spec, seconds, cpu, graph.number_of_nodes(), graph.number_of_edges(),
                       output.stat().st_size, again))
    conn.send(("bye", _peak_rss_mb()))
    conn.recv()


@dataclass
class ViewTiming:
    name: str
    seconds: float | None = None
    cpu_seconds: float = 0.0
    nodes: int = 0
    edges: int = 0
    bytes: int = 0
    status: str = "ok"
    again: float | None = None  # built again from the answers the store kept


def time_views(folder: Path, out_dir: Path, timeout: float) -> tuple[list[ViewTiming], float]:
    """Build each view from the embedded store at ``folder``; a view that overruns is abandoned."""
    out_dir.mkdir(parents=True, exist_ok=True)
    results: list[ViewTiming] = []
    peak = 0.0
    remaining = list(VIEWS)
    while remaining:
        child = Child(_views_main, folder, out_dir, list(remaining))
        try:
            while remaining:
                message = child.recv(timeout)
                if message[0] == "error":
                    results.append(ViewTiming(remaining.pop(0), status="error"))
                    print(message[1], file=sys.stderr)
                    break
                _, spec, seconds, cpu, nodes, edges, size, again = message
                results.append(ViewTiming(spec, seconds, cpu, nodes, edges, size, again=again))
                remaining.pop(0)
            else:
                message = child.recv(timeout)
                if message[0] == "bye":
                    peak = max(peak, float(message[1]))
                child.send(None)
        except TimeoutError:
            results.append(ViewTiming(remaining.pop(0), status="timeout"))
        except EOFError:
            results.append(ViewTiming(remaining.pop(0), status="error"))
        finally:
            child.kill()
    return results, peak


# -- the bench -----------------------------------------------------------------------------------------
@dataclass
class SizeResult:
    """Everything measured at one dataset size."""

    gen: GenStats
    loads: dict[str, dict[str, float]] = field(default_factory=dict)
    queries: dict[str, dict[str, Timing]] = field(default_factory=dict)  # query -> store -> timing
    skipped: dict[str, str] = field(default_factory=dict)  # store -> why
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    views: list[ViewTiming] = field(default_factory=list)
    views_peak_rss_mb: float = 0.0


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _fmt_ms(timing: Timing | None, runs: int, engine: bool = False) -> str:
    """Median wall ms (and CPU ms in brackets), with the number of runs when fewer than asked; or why none."""
    if timing is None:
        return "-"
    if timing.status in ("timeout", "error") and not timing.ms:
        return timing.status
    if timing.status == "skipped":
        return "timeout*"
    value = timing.engine_median if engine else timing.median
    if value is None:
        return "-"
    done = len(timing.engine_ms if engine else timing.ms)
    cpu = None if engine else timing.cpu_median
    return _ms(value) + (f" ({_ms(cpu)})" if cpu is not None else "") + (f" [{done}x]" if done < runs else "")


def _fmt_kept(timing: Timing | None) -> str:
    if timing is None or timing.kept_median is None:
        return "-"
    return _ms(timing.kept_median)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table (pastes into bench/README.md as it is)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines)


def report(result: SizeResult, stores: Sequence[str], runs: int, timeout: float, goal_ms: float = 50.0) -> str:
    """The figures of one size as text: dataset, loads, queries, views, warnings."""
    g = result.gen
    out = [f"## {g.target:,} triples requested: {g.quads:,} quads in {g.articles:,} article graphs",
           f"generated in {g.seconds:.1f} s ({g.bytes / 1e6:,.0f} MB of N-Quads, peak RSS {g.peak_rss_mb:,.0f} MB): "
           f"{g.meetings:,} meetings and {g.agreements:,} agreements in the world; {g.meeting_reports:,} meeting, "
           f"{g.agreement_reports:,} agreement and {g.relation_reports:,} relation reports; "
           f"{g.people_mentions:,} people mentions; typed in the most article graphs: "
           + ", ".join(f"{s} {n:,}" for s, n in g.restated), ""]
    rows = []
    for store in STORES:
        if store in result.skipped:
            rows.append([store, result.skipped[store], "", "", ""])
            continue
        load = result.loads.get(store)
        if load is None:
            continue
        disk = f"{load['disk_mb']:,.0f} MB" if "disk_mb" in load else "(memory)"
        rss = f"{result.peak_rss_mb.get(store, 0):,.0f} MB"
        extra = f"loader {load['peak_rss_mb']:,.0f} MB" if "peak_rss_mb" in load else ""
        rows.append([store, f"{load['seconds']:,.1f} s", disk, rss, extra])
    out += [_table(["store", "load", "on disk", "peak RSS (queries)", "notes"], rows), ""]
    merged = "merged" in result.loads
    headers = ["query", "rows", "embedded ms (cpu)", "engine ms", "kept answer ms",
               *(["merged ms (cpu)"] if merged else []),
               "server ms (server cpu)", "rdflib ms (cpu)", "rdflib / embedded (cpu)"]
    rows = []
    warnings = []
    for name, by_store in result.queries.items():
        emb, srv, rdf = by_store.get("embedded"), by_store.get("server"), by_store.get("rdflib")
        counts = {s: t.rows for s, t in by_store.items() if t.rows is not None}
        if len(set(counts.values())) > 1:
            warnings.append(f"WARNING: {name}: row counts differ: " + ", ".join(f"{s} {n}" for s, n in counts.items()))
        if counts and not any(counts.values()) and not name.startswith("checks/"):
            warnings.append(f"WARNING: {name}: no rows on any store")
        for s, t in by_store.items():
            if t.status not in ("ok", "skipped"):
                warnings.append(f"{s} {name}: {t.status}" + (f": {t.error.splitlines()[-1]}" if t.error else ""))
        ratio = "-"
        if emb is not None and rdf is not None and emb.cpu_median and rdf.cpu_median:
            ratio = f"{rdf.cpu_median / emb.cpu_median:,.1f}"
        elif rdf is not None and rdf.status == "timeout" and emb is not None and emb.cpu_median:
            ratio = f"> {1000 * timeout / emb.cpu_median:,.0f}"
        row_count = next(iter(counts.values())) if counts else None
        rows.append([name, "-" if row_count is None else f"{row_count:,}", _fmt_ms(emb, runs),
                     _fmt_ms(emb, runs, engine=True), _fmt_kept(emb),
                     *([_fmt_ms(by_store.get("merged"), runs)] if merged else []),
                     _fmt_ms(srv, runs) if "server" in stores else "skipped",
                     _fmt_ms(rdf, runs) if "rdflib" not in result.skipped else "skipped", ratio])
    out += [_table(headers, rows)]
    if any(t.status == "skipped" for by_store in result.queries.values() for t in by_store.values()):
        out.append("timeout*: timed out at a smaller size, not run again (--retry-timeouts runs it)")
    out.append("")
    slow = [(n, t["embedded"].median, t["embedded"].cpu_median) for n, t in result.queries.items()
            if "embedded" in t and t["embedded"].median is not None and t["embedded"].median > goal_ms]
    timeouts = [n for n, t in result.queries.items() if "embedded" in t and t["embedded"].status in (
        "timeout", "skipped")]
    out.append(f"embedded store over the {goal_ms:g} ms goal (wall, CPU): " + (", ".join(
        f"{n} {_ms(ms)} ms, {_ms(cpu or 0)} ms ({ms / goal_ms:,.0f}x)" for n, ms, cpu in sorted(
            slow, key=lambda x: -x[1])) or "none") + ("; timeouts: " + ", ".join(timeouts) if timeouts else ""))
    ties = result.queries.get("ties", {}).get("embedded")
    if ties is not None and ties.median is not None:
        out.append(f"ties on the embedded store: {ties.median / 1000:,.2f} s wall, {(ties.cpu_median or 0) / 1000:,.2f}"
                   " s CPU (goal 1 s at 1.4M triples)")
    out += warnings
    if result.views:
        out += ["", _table(["view", "seconds (cpu)", "again, kept answers (s)", "nodes", "edges", "HTML"], [
            [v.name, v.status if v.seconds is None else f"{v.seconds:,.2f} ({v.cpu_seconds:,.2f})",
             "-" if v.again is None else f"{v.again:,.2f}", f"{v.nodes:,}",
             f"{v.edges:,}", f"{v.bytes / 1e6:,.2f} MB"] for v in result.views]),
            f"views process peak RSS {result.views_peak_rss_mb:,.0f} MB"]
    return "\n".join(out)


def measure(size: int, args: argparse.Namespace, work: Path, with_views: bool,
            timed_out: dict[str, set[str]] | None = None) -> SizeResult:
    """Generate, load and query one size; build the views when asked.

    ``timed_out`` (store -> queries) are the queries that overran at a smaller size: not run again
    (unless ``--retry-timeouts``), and this size's timeouts are added to it.
    """
    timed_out = {} if timed_out is None else timed_out
    folder = work / f"n{size}"
    folder.mkdir(parents=True, exist_ok=True)
    dataset = folder / "dataset.nq"
    print(f"[{size:,}] generating ...", file=sys.stderr, flush=True)
    gen: GenStats = _call(generate, size, dataset, args.seed)
    result = SizeResult(gen)
    plan = getattr(args, "plan", None) or query_plan(args.queries)
    result.queries = {query.name: {} for query, _ in plan}
    backends: list[Backend] = []
    embedded_dir = folder / "embedded"
    print(f"[{size:,}] {gen.quads:,} quads; loading the embedded store ...", file=sys.stderr, flush=True)
    result.loads["embedded"] = load_embedded(dataset, embedded_dir)
    backends.append(EmbeddedBackend(embedded_dir, args.timeout))
    if args.merged:
        print(f"[{size:,}] loading the merged store ...", file=sys.stderr, flush=True)
        result.loads["merged"] = load_embedded(dataset, folder / "merged", merged=True)
        backends.append(MergedBackend(folder / "merged", args.timeout))
    if args.no_server:
        result.skipped["server"] = "skipped (--no-server)"
    elif not OXIGRAPH.exists():
        result.skipped["server"] = f"skipped (no {OXIGRAPH}: pip install oxigraph)"
    else:
        print(f"[{size:,}] oxigraph load ...", file=sys.stderr, flush=True)
        result.loads["server"] = load_server(dataset, folder / "server")
        backends.append(ServerBackend(folder / "server", args.timeout))
    if size > args.rdflib_max:
        result.skipped["rdflib"] = "skipped (over --rdflib-max)"
    else:
        backends.append(RdflibBackend(dataset, args.timeout))
    for backend in backends:
        print(f"[{size:,}] {backend.name}: opening ...", file=sys.stderr, flush=True)
        try:
            ready = backend.start()
            if backend.name == "rdflib":
                result.loads["rdflib"] = {"seconds": ready["open_s"], "peak_rss_mb": ready["peak_rss_mb"]}
            for query, params in plan:
                name = query.name
                if name in timed_out.get(backend.name, ()) and not args.retry_timeouts:
                    result.queries[name][backend.name] = Timing(status="skipped")
                    continue
                timing = backend.run(query, params, args.runs)
                if timing.status == "timeout" or (timing.median or 0) > 1000 * args.timeout:
                    timed_out.setdefault(backend.name, set()).add(name)
                result.queries[name][backend.name] = timing
                print(f"[{size:,}] {backend.name} {name}: {_fmt_ms(timing, args.runs)} ms, {timing.rows} rows",
                      file=sys.stderr, flush=True)
        finally:
            backend.close()
        result.peak_rss_mb[backend.name] = max(backend.peak_rss_mb, backend.ready.get("peak_rss_mb", 0.0))
        if isinstance(backend, ServerBackend):
            result.peak_rss_mb["server"] = backend.server_peak_mb
    if with_views:
        print(f"[{size:,}] views ...", file=sys.stderr, flush=True)
        result.views, result.views_peak_rss_mb = time_views(embedded_dir, folder / "views", args.timeout)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return result


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--triples", type=int, nargs="+", default=[1_000_000, 10_000_000],
                        help="dataset sizes in quads (default: 1000000 10000000)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each query on each store (median printed)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a query (or a view) may take")
    parser.add_argument("--rdflib-max", type=int, default=1_000_000,
                        help="largest size (as requested with --triples) loaded into rdflib")
    parser.add_argument("--no-server", action="store_true", help="leave out the Oxigraph server")
    parser.add_argument("--no-views", action="store_true", help="leave out the views")
    parser.add_argument("--merged", action="store_true",
                        help="also time the engine on a store whose default graph holds the distinct union")
    parser.add_argument("--views-at", type=int, default=1_000_000,
                        help="build the views from the embedded store of the size nearest this (default 1000000)")
    parser.add_argument("--queries", nargs="+", metavar="NAME", help="only these named queries (default: all)")
    parser.add_argument("--retry-timeouts", action="store_true",
                        help="run again at larger sizes the queries that timed out at a smaller one")
    parser.add_argument("--seed", type=int, default=RANDOM_SEED)
    parser.add_argument("--work-dir", type=Path, help="where datasets and stores go (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep datasets and stores")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    args.plan = query_plan(args.queries)
    if args.work_dir is not None:
        args.work_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="dkg-scale-", dir=args.work_dir))
    views_size = None if args.no_views else min(args.triples, key=lambda n: (abs(n - args.views_at), n))
    stores = [s for s in STORES if not (s == "server" and args.no_server) and not (s == "merged" and not args.merged)]
    print(f"# Scale benchmark: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, seed {args.seed}, "
          f"{args.runs} runs, timeout {args.timeout:g} s, rdflib up to {args.rdflib_max:,} quads; queries "
          f"{plan_digest(args.plan)}; work in {work}")
    results = []
    timed_out: dict[str, set[str]] = {}
    try:
        for size in sorted(args.triples):
            result = measure(size, args, work, with_views=size == views_size, timed_out=timed_out)
            results.append(result)
            print(report(result, stores, args.runs, args.timeout), flush=True)
            print(flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps([_jsonable(r) for r in results], indent=1), encoding="utf-8")
    return 0


def _jsonable(result: SizeResult) -> dict[str, Any]:
    data = asdict(result)
    for name, by_store in result.queries.items():
        for store, timing in by_store.items():
            data["queries"][name][store]["median_ms"] = timing.median
            data["queries"][name][store]["engine_median_ms"] = timing.engine_median
            data["queries"][name][store]["kept_median_ms"] = timing.kept_median
    return data


if __name__ == "__main__":
    from bench.scale import main as _main  # so that the fork server's processes find this module by name

    sys.exit(_main())
