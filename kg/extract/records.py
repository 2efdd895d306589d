"""The records extraction produces: frozen dataclasses, each fact with its evidence."""

from __future__ import annotations

from dataclasses import dataclass

from kg.read import Article

EXTRACTOR = "dkg-rules/0.2"


@dataclass(frozen=True)
class Evidence:
    """The sentence that supports a fact; ``start``/``end`` are offsets into the article text."""

    sentence: str
    start: int
    end: int
    surface: str  # the words that named the fact


@dataclass(frozen=True)
class When:
    """A date at the precision known (``2025``, ``2025-09``, ``2025-09-30``), or a range."""

    value: str = ""
    earliest: str = ""
    latest: str = ""

    def __bool__(self) -> bool:
        return bool(self.value or self.earliest or self.latest)


@dataclass(frozen=True)
class PersonRecord:
    """A person named in the article with the title written beside the name."""

    key: str  # gazetteer id, or "" for a person the gazetteer does not know
    name_en: str
    name_ko: str
    role: str
    country: str
    evidence: Evidence
    office: str = ""  # the office the title named, when resolved to its holder on the article's date


@dataclass(frozen=True)
class Meeting:
    """A meeting of any type with all its participants."""

    type: str  # Summit, MinisterialMeeting, ViceMinisterialMeeting, Talks, Visit, Conference
    participants: tuple[str, ...]  # actor codes, sorted
    status: str  # planned, held, postponed, cancelled
    when: When
    evidence: Evidence
    people: tuple[str, ...] = ()  # person keys (gazetteer ids or "name:<name>")
    place: str = ""
    edition: int | None = None
    series: str = ""  # series key, e.g. "Summit:CHN-JPN-KOR"
    subtype: str = ""  # finer class: PhoneTalks, StateVisit
    visitor: str = ""
    destination: str = ""


@dataclass(frozen=True)
class Agreement:
    """An agreement, declaration, contract or explicit commitment."""

    type: str  # Treaty, FreeTradeAgreement, Declaration, JointStatement, MemorandumOfUnderstanding, ...
    name: str
    parties: tuple[str, ...]
    status: str  # planned, negotiating, agreed, signed, ratified, in-force
    when: When
    evidence: Evidence
    agreed_at: int | None = None  # index of the meeting in the same extraction


@dataclass(frozen=True)
class Relation:
    """A relation between actors: cooperation, alliance, partnership, conflict, sanction."""

    type: str
    actors: tuple[str, ...]
    evidence: Evidence


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    people: tuple[PersonRecord, ...]
    meetings: tuple[Meeting, ...]
    agreements: tuple[Agreement, ...]
    relations: tuple[Relation, ...]
    actors: tuple[str, ...]  # every actor code mentioned, sorted
