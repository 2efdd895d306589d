"""What one sentence offers the fact builders: its mentions, people, dates, triggers.

Also the article-level discourse state: who the speaker is (the state whose
government body reports, for 우리 / "we") and which meeting was last reported,
for 양국 / "the two countries" and subject-less 합의 sentences.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kg.extract.dates import DateMention, find_dates
from kg.extract.mentions import Mention, PlaceMention
from kg.extract.records import Evidence, PersonRecord, When
from kg.extract.triggers import Trigger
from kg.gazetteer import GOVERNMENT, PERSON, STATE, Gazetteer
from kg.text import Sentence

_PAIR = re.compile(
    r"양국|양\s?정상|두 정상|양측|쌍방|"
    r"(?i:\bthe two (?:countries|leaders|sides|nations)\b|\bboth (?:countries|sides|leaders)\b)"
)
_UNDERTAKING = re.compile(r"합의|기로|약속|예정|(?i:\bagree)")
_THREE = re.compile(r"(?:3국|삼국|세 나라)\s?(?:간\s?|간의\s?)?$|(?i:\btrilateral\s+$)")  # 3국 협력, "trilateral ..."
_LIST_GAP = re.compile(r"\s*(?:,|와|과|및|and|,\s*and)\s*")
_PARTNERS_TAIL = re.compile(r"\s*등\s(?:[^\s,.]+\s){0,3}[^\s,.]*[와과]의\s$")  # 미국, UAE 등 주요 원자력 국가와의
_SPEAKER = re.compile(r"(?<![가-힣])우리(?=[\s의는가나]|$)|(?i:\b(?:we|our)\b)")
_PURPOSE = re.compile(r"참석차|참석하기 위해|참석을 위해|계기|(?i:on the occasion of|to attend|on the sidelines of)")
_OCCASION_BEFORE = re.compile(r"(?i:on the occasion of|to attend|on the sidelines of)(?: the)?(?: [\w-]+){0,3}\s*$")
_CLAUSE_END = re.compile(r"[,;]\s|\.\s|(?<=[고며서])\s(?=[가-힣])")
_OBJECT_END = re.compile(r"[,;]\s|\.\s|\b(?:which|who|that|where|while|after|before|because)\b")  # English
_VERBISH_EN = re.compile(r"(?i:\b(?:\w+ed|is|are|was|were|has|have|had|will|would|to|of|on|with|for|in)\b)")
_SUBJECT_KO = re.compile(r"(?:[과와]\s?\S+)?[은는이가]\s")  # 한국과 일본은, 양국은
_CLAUSE_BREAK = re.compile(r"[,;:]|(?<![가-힣])및(?![가-힣])|\band\b|\bwhile\b")


@dataclass
class Discourse:
    """Article-level state carried from sentence to sentence."""

    speaker: str = ""  # state code of the reporting government body
    last_meeting: int | None = None  # index into the meetings found so far
    last_participants: tuple[str, ...] = ()
    last_held: tuple[str, ...] = ()  # participants of the last meeting reported as held
    last_trilateral: tuple[str, ...] = ()  # the last three actors named together (한미일, "U.S.-Japan-ROK")


@dataclass(frozen=True)
class SentenceContext:
    """A sentence with everything found in it (offsets relative to the sentence)."""

    sentence: Sentence
    gazetteer: Gazetteer
    mentions: tuple[Mention, ...]
    triggers: tuple[Trigger, ...]
    dates: tuple[DateMention, ...]
    people: tuple[tuple[Mention, PersonRecord], ...]
    ref: dt.date | None
    discourse: Discourse = field(compare=False, default_factory=Discourse)
    places: tuple[PlaceMention, ...] = ()

    @property
    def text(self) -> str:
        """The sentence text."""
        return self.sentence.text

    def evidence(self, surface: str) -> Evidence:
        """Evidence for a fact named by ``surface`` in this sentence."""
        return Evidence(self.sentence.text, self.sentence.start, self.sentence.end, surface)

    def actor_mentions(self) -> list[Mention]:
        """Mentions of states, organizations and government bodies (not people)."""
        return [m for m in self.mentions if not self._is_person(m)]

    def _is_person(self, mention: Mention) -> bool:
        actor = self.gazetteer.actor(mention.codes[0])
        return actor is not None and actor.kind == PERSON

    def as_party(self, code: str) -> str:
        """The code that takes part in diplomacy for ``code``: a body's or person's state."""
        actor = self.gazetteer.actor(code)
        if actor is not None and actor.kind in (GOVERNMENT, PERSON) and actor.country:
            return actor.country
        return code

    def states_and_orgs(self, mentions: list[Mention]) -> tuple[str, ...]:
        """Sorted distinct party codes of ``mentions``."""
        return tuple(sorted({self.as_party(c) for m in mentions for c in m.codes}))

    def modifier_before(self, start: int, reach: int = 14) -> Mention | None:
        """The actor mention that modifies a trigger at ``start`` (한일 정상회담, ROK-US alliance)."""
        best = None
        for mention in self.actor_mentions():
            if mention.end <= start and start - mention.end <= reach:
                gap = self.text[mention.end:start]
                if _CLAUSE_BREAK.search(gap) or re.search(r"[은는이가을를와과](?:\s|$)", gap):
                    continue
                if _VERBISH_EN.search(gap):  # "The United States imposed new sanctions": a subject
                    continue
                best = mention
        return best

    def compound_naming(self, body: Mention, reach: int = 14) -> Mention | None:
        """The compound right before an organization's name: 한미 [핵협의그룹(NCG)] -> 한미."""
        actor = self.gazetteer.actor(body.codes[0])
        if actor is None or actor.kind == STATE:
            return None
        before = [m for m in self.actor_mentions() if m.end <= body.start and body.start - m.end <= reach]
        for mention in reversed([*before, body]):
            if mention.compound:
                return mention
            if mention.codes != body.codes:  # another actor in between: not a name of the body
                return None
            # the body's own name may open with its members: "한미 핵협의그룹"
            head = re.match(r"([가-힣]{2,4})\s", mention.surface)
            abbreviations = self.gazetteer.abbreviations_ko
            if head and all(ch in abbreviations for ch in head.group(1)):
                codes = tuple(dict.fromkeys(abbreviations[ch] for ch in head.group(1)))
                return Mention(mention.start, mention.start + len(head.group(1)), head.group(1), codes, True)
        return None

    def objects_after(self, trig: Trigger) -> tuple[str, ...]:
        """The object of a verb: English, the actors after it in its clause; Korean (SOV), the
        actor marked by 을/를 or 에 before it."""
        if self.sentence.lang == "en":
            # the object may sit inside the verb phrase: "expelled two Russian diplomats", "give Tanzania a grant"
            lo = trig.start + len(trig.surface.split()[0])
            end = _OBJECT_END.search(self.text, trig.end)
            hi = min(end.start() if end else len(self.text), trig.end + 80)
            return self.states_and_orgs([m for m in self.actor_mentions() if lo <= m.start < hi][:2])
        objects = [m for m in self.actor_mentions() if m.end <= trig.start
                   and re.match(r"(?:[을를]|에\s?대해|에게|측에)\s", self.text[m.end:])]
        return self.states_and_orgs(objects[-1:])

    def listed_before(self, last: Mention) -> list[Mention]:
        """``last`` and the compounds listed right before it: 한일, 한미일 간 -> [한일, 한미일]."""
        chain = [last]
        for mention in reversed([m for m in self.actor_mentions() if m.end <= last.start]):
            gap = self.text[mention.end:chain[0].start]
            if not mention.compound or not re.fullmatch(r"\s*(?:,|와|과|및|and|,\s*and)\s*", gap):
                break
            chain.insert(0, mention)
        return chain

    def partner_before(self, start: int) -> str:
        """The actor of "X와의 협력" / "X과의 공조": cooperation with X, the speaker being the other side."""
        for mention in reversed(self.actor_mentions()):
            if mention.end <= start and start - mention.end <= 24 and len(mention.codes) == 1:
                # 미국과의, 미국과, 미국 신 행정부와의 (the state's government, named with it)
                if re.match(r"(?:[와과]의?|\s(?:[^\s,.]+\s)?[^\s,.]*[와과]의)(?:\s|$)", self.text[mention.end:start]):
                    return self.as_party(mention.codes[0])
                return ""
        return ""

    def three_reference(self, start: int) -> tuple[str, ...]:
        """The three actors meant by 3국 / "trilateral" right before ``start``, from the discourse."""
        if _THREE.search(self.text[max(0, start - 12):start]) and len(self.discourse.last_trilateral) == 3:
            return self.discourse.last_trilateral
        return ()

    def partners_listed(self, start: int) -> tuple[str, ...]:
        """The actors of "X, Y 등 ... 국가와의 협력" / "cooperation with countries such as X and Y": each a
        partner of the speaker."""
        tail = _PARTNERS_TAIL.search(self.text, max(0, start - 40), start)
        if tail is not None:
            listed = [m for m in self.actor_mentions() if m.end <= tail.start()]
            chain: list[Mention] = []
            edge = tail.start()
            for mention in reversed(listed):
                if mention.end != edge and not _LIST_GAP.fullmatch(self.text[mention.end:edge]):
                    break
                chain.insert(0, mention)
                edge = mention.start
            return self.states_and_orgs(chain)
        m = re.match(r"\s+with\s+(?:[\w-]+\s+){0,5}?(?:such as|including|like)\s+", self.text[start:])
        if m is None:
            return ()
        lo = start + m.end()
        end = _OBJECT_END.search(self.text, lo)
        hi = min(end.start() if end else len(self.text), lo + 80)
        return self.states_and_orgs([x for x in self.actor_mentions() if lo <= x.start < hi])

    def between_after(self, end: int, words: str = "between|among|with") -> tuple[str, ...]:
        """Actors named by "between A and B" / "with A" right after an English trigger."""
        m = re.match(rf"\s+(?:{words})\s+(.{{0,80}}?)(?:[,;]|\.\s|\.$|$)", self.text[end:])
        if not m:
            return ()
        lo, hi = end + m.start(1), end + m.end(1)
        return self.states_and_orgs([x for x in self.actor_mentions() if lo <= x.start < hi])

    def pair_reference(self) -> tuple[str, ...]:
        """Participants meant by 양국 / "the two countries", from the discourse."""
        if not _PAIR.search(self.text):
            return ()
        pairs = [m.codes for m in self.actor_mentions() if m.compound and len(m.codes) == 2]
        if pairs:  # 한미 간 ... 양국: the pair named in the same sentence
            return tuple(sorted(self.as_party(c) for c in pairs[0]))
        named = self.states_and_orgs(self.actor_mentions())
        if len(named) == 2:  # "between Korea and the U.S. ... the two countries"
            return named
        return self.discourse.last_participants

    def speaker_reference(self) -> tuple[str, ...]:
        """The speaker's state when the sentence says 우리 / "we"."""
        if self.discourse.speaker and _SPEAKER.search(self.text):
            return (self.discourse.speaker,)
        return ()

    def is_purpose(self, window: str, start: int) -> bool:
        """The trigger is an occasion or purpose (참석차, 계기로; "on the occasion of"), not the main event."""
        if _PURPOSE.search(window[:12]) is not None:
            return True
        return _OCCASION_BEFORE.search(self.text[max(0, start - 40):start]) is not None

    def clause_actors(self, start: int, end: int, reach: int = 48) -> tuple[str, ...]:
        """Actors in the same clause as a trigger: before it (back to a clause break) and after it."""
        lo = max(0, start - reach)
        breaks = [m.end() for m in _CLAUSE_END.finditer(self.text, lo, start)]
        lo = breaks[-1] if breaks else lo
        after = _CLAUSE_END.search(self.text, end)
        hi = min(after.start() if after else len(self.text), end + reach * 2)
        return self.states_and_orgs([m for m in self.actor_mentions() if lo <= m.start and m.end <= hi])

    def subjects_before(self, start: int, reach: int = 80, clause: bool = True) -> tuple[str, ...]:
        """The actors that are the subject of a verb at ``start``.

        English: the actors of the clause before the verb ("Hungarian and Romanian officials
        agreed"); Korean: actors marked by a subject particle (한국과 일본은 ... 합의했다).
        """
        lo = max(0, start - reach) if clause else 0
        breaks = [m.end() for m in _CLAUSE_END.finditer(self.text, lo, start)] if clause else []
        lo = breaks[-1] if breaks else lo
        chosen = []
        for m in self.actor_mentions():
            if not lo <= m.start < m.end <= start:
                continue
            english = self.sentence.lang == "en" and re.match(r"[A-Za-z]", m.surface)
            if english or _SUBJECT_KO.match(self.text[m.end:]):
                chosen.append(m)
        return self.states_and_orgs(chosen)

    def place_for(self, start: int, end: int, occasion: bool) -> PlaceMention | None:
        """Where a meeting named at ``start:end`` happens.

        A place in its name (AI 서울 정상회의, "the Seoul summit") or right after it ("summit in
        Seoul"); else, unless the meeting is only an occasion, the place where the sentence says
        things happen (서울에서, "in Seoul").
        """
        for place in self.places:
            if place.end <= start and start - place.end <= 2:
                return place
            if place.start >= end and place.locative and place.start - end <= 8:
                return place
        if occasion:
            return None
        return next((p for p in self.places if p.locative), None)

    def date_for(self, trigger_start: int) -> When:
        """The date that belongs to a trigger: the nearest one before it, else after it."""
        before = [d for d in self.dates if d.end <= trigger_start]
        if before:
            return before[-1].when
        after = [d for d in self.dates if d.start >= trigger_start]
        return after[0].when if after else When()

    def people_countries(self, at_least: int = 2) -> tuple[str, ...]:
        """States of the titled people of the sentence, when they are at least ``at_least``."""
        countries = tuple(sorted({p.country for _, p in self.people if p.country and p.role}))
        return countries if len(countries) >= at_least else ()

    def people_in(self, participants: tuple[str, ...]) -> tuple[str, ...]:
        """Keys of people named in the sentence whose state takes part."""
        keys = [p.key or f"name:{p.name_ko or p.name_en}" for _, p in self.people
                if p.country in participants and p.role]
        return tuple(dict.fromkeys(keys))


def refers_to_actors(text: str) -> bool:
    """Whether a sentence without names may still hold a fact: it points at actors (양국, "the two
    countries", 우리, "we") or reports an undertaking whose parties the article gave before (합의했다)."""
    return any(p.search(text) is not None for p in (_PAIR, _SPEAKER, _UNDERTAKING))


def speaker_of(mentions: list[Mention], gazetteer: Gazetteer) -> str:
    """The state of the first government body mentioned: the one reporting."""
    for mention in mentions:
        actor = gazetteer.actor(mention.codes[0])
        if actor is not None and actor.kind == GOVERNMENT and actor.country:
            state = gazetteer.actor(actor.country)
            if state is not None and state.kind == STATE:
                return actor.country
    return ""


def dates_in(sentence: Sentence, ref: dt.date | None) -> tuple[DateMention, ...]:
    """Resolved dates of a sentence."""
    return tuple(find_dates(sentence.text, ref))
