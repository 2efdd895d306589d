"""Decide whether a meeting or agreement is planned, held, signed ... from its wording.

Korean: endings and auxiliaries (가졌다, 열렸다, 개최했다 = held; 추진, 예정, 계획,
하기로 했다 = planned; 연기 = postponed; 취소 = cancelled). English: tense and
modals (met, held, signed = done; will, plans to, is set to, agreed to hold = planned).
The words right after a trigger decide first; the sentence as a whole decides
when they say nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

PLANNED, HELD, POSTPONED, CANCELLED = "planned", "held", "postponed", "cancelled"
UNMARKED = ""  # nothing in the words says: a heading, a noun phrase (한일정상회담의 의의)
NEGOTIATING, AGREED, SIGNED, RATIFIED, IN_FORCE = "negotiating", "agreed", "signed", "ratified", "in-force"

_CANCELLED = re.compile(r"취소|무산|cancel(?:l?ed)?|called off|scrapped", re.I)
_POSTPONED = re.compile(r"연기(?:됐|되었|했|하기로|된)|postponed|put off|delayed", re.I)
_PLANNED = re.compile(
    r"추진|예정|계획|하기로|기로 했|키로|할 것|ㄹ 것|겠|열릴|개최될|개최할|방문할|참석할|가질|검토|준비|"
    r"참석차|참석하기 위해|모색|앞두|가능성|"
    r"\bwill\b|\bplans? to\b|\bplanned\b|\bis set to\b|\bare set to\b|\bto be held\b|\bwould\b|"
    r"\bupcoming\b|\bpromot(?:e|ing)\b|\bseeks? to\b|\bintends? to\b|\bexpected to\b|\bpossibility\b|"
    r"\bagreed to (?:hold|meet|visit)\b|\bnext\b|\bto attend\b", re.I)
_DONE = re.compile(
    r"(?:었|았|였|했|됐|졌|렸|셨)(?:다|습니다|으며|고|는데|지만|음|던)|가진|열린|개최된|채택된|복원된|"
    r"방[한미일중러북]한|방문한|참석한|체결된|서명한|합의한|이뤄진|열리며|함께했|평가됨|합의함|"
    r"\b(?:met|held|hosted|visited|attended|signed|adopted|restored|was|were|had|took place|"
    r"concluded|agreed|reached|arrived|returned|departed|welcomed|received|telephoned|phoned|spoke|"
    r"discussed|talked|imposed|expelled|launched|renewed|undertook)\b", re.I)
_SIGNED = re.compile(r"서명|체결|조인|signed|signing|inked", re.I)
_RATIFIED = re.compile(r"비준|ratif", re.I)
_IN_FORCE = re.compile(r"발효|entered into force|in force|took effect", re.I)
_NEGOTIATING = re.compile(r"협상|교섭|negotiat", re.I)
_AGREED = re.compile(r"합의|채택|타결|agreed|adopted|reached", re.I)


def event_status(window: str, sentence: str, before: str = "", relative: str = "") -> str:
    """Status of a meeting: ``window`` is the text from its trigger to the next trigger.

    ``before`` is the text right before the trigger: "cancelled a planned visit", "연기된 회담";
    ``relative`` a relative clause that holds it: "cooperation that was restored through the summit".
    """
    if _CANCELLED.search(before):
        return CANCELLED
    if _POSTPONED.search(before):
        return POSTPONED
    for text in (window, relative, sentence):
        status = _event_status_of(text)
        if status != UNMARKED:
            return status
    return UNMARKED


@lru_cache(maxsize=256)
def _event_status_of(text: str) -> str:
    """What ``text`` alone says of an event (sentences are asked once per trigger: cached)."""
    if _CANCELLED.search(text):
        return CANCELLED
    if _POSTPONED.search(text):
        return POSTPONED
    planned, done = _PLANNED.search(text), _DONE.search(text)
    if planned and (not done or planned.start() <= done.start()):
        return PLANNED
    return HELD if done else UNMARKED


def agreement_status(window: str, sentence: str) -> str:
    """Lifecycle status of an agreement named by a trigger followed by ``window``."""
    for text in (window, sentence):
        status = _agreement_status_of(text)
        if status:
            return status
    return AGREED if _DONE.search(sentence) else PLANNED


@lru_cache(maxsize=256)
def _agreement_status_of(text: str) -> str:
    """What ``text`` alone says of an agreement; "" when nothing."""
    planned = _PLANNED.search(text)
    if _IN_FORCE.search(text):
        return IN_FORCE
    if _RATIFIED.search(text):
        return PLANNED if planned else RATIFIED
    if _SIGNED.search(text):
        return PLANNED if planned else SIGNED
    if _NEGOTIATING.search(text):
        return NEGOTIATING
    if _AGREED.search(text):
        return PLANNED if planned and not _DONE.search(text) else AGREED
    return PLANNED if planned else ""
