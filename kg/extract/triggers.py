"""Trigger words that name meetings, agreements and relations, in Korean and English.

Each pattern is general: a type noun (정상회담, summit, 자유무역협정, alliance),
never a phrase fitted to one article. Matches do not overlap; the longest wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MEETING, AGREEMENT, RELATION = "meeting", "agreement", "relation"


@dataclass(frozen=True)
class Trigger:
    """A trigger word in a sentence (offsets relative to the sentence)."""

    family: str  # MEETING, AGREEMENT or RELATION
    type: str  # class local name of the contract (Summit, Treaty, Alliance ...)
    subtype: str  # finer class or "" (PhoneTalks, StateVisit)
    start: int
    end: int
    surface: str
    destination: str = ""  # for 방한/방미 ...: the state visited, by its Korean abbreviation


# (family, type, subtype, pattern); order matters only for equal-length matches.
_PATTERNS: list[tuple[str, str, str, str]] = [
    # --- meetings, Korean
    (MEETING, "ViceMinisterialMeeting", "", r"(?:외교|외무|국방)?\s?(?:부?차관|차관급)\s?(?:회담|회의|협의|전략대화)"),
    (MEETING, "MinisterialMeeting", "", r"(?:외교|외무|국방|통상|재무|경제)?\s?(?:장관|장관급|각료)\s?(?:회담|회의)"),
    (MEETING, "MinisterialMeeting", "", r"외교장관|외무장관|외교 장관 회담|2\+2"),
    (MEETING, "Summit", "", r"정상\s?(?:회담|회의)|정상 간 회담|서밋"),
    (MEETING, "Talks", "PhoneTalks", r"전화\s?(?:회담|통화)|통화"),
    (MEETING, "Talks", "", r"(?<![정관])회담|대화(?!\s?상대)|협상(?=\s?(?:을|를|이|가|에|과|재개|개최))"),
    (MEETING, "Visit", "StateVisit", r"국빈\s?방문"),
    (MEETING, "Visit", "", r"방(?P<dest>[한미일중러북])(?=[을를이가한해하할은는의\s]|$)|방문|순방"),
    (MEETING, "Conference", "", r"총회|국제회의|포럼(?=\s?(?:에|을|를|이|가|\())|다자회의"),
    # a meeting named by its verb: its type comes from who met (leaders: a summit)
    (MEETING, "Meeting", "", r"만났|만나(?=[고며기서\s])|만날|회동|면담"),
    # --- meetings, English
    (MEETING, "ViceMinisterialMeeting", "",
     r"(?i:vice[- ](?:foreign )?minister(?:s'?|’s?|ial)?\s(?:meeting|talks|dialogue))"),
    (MEETING, "MinisterialMeeting", "",
     r"(?i:(?:foreign|defen[cs]e|trade)\s+ministers?(?:'|’)?s?(?:'|’)?\s+(?:meeting|talks))"),
    (MEETING, "MinisterialMeeting", "", r"(?i:ministerial(?:\s+(?:meeting|talks|dialogue))?)"),
    (MEETING, "Summit", "", r"(?i:summit(?:s|ry)?(?:\s+(?:meeting|talks))?)"),
    (MEETING, "Talks", "PhoneTalks",
     r"(?i:(?:tele)?phone\s+(?:call|talks|conversation)|(?:tele)?phoned|spoke\s+(?:by|on\s+the)\s+(?:tele)?phone)"),
    (MEETING, "Talks", "", r"(?i:talks|dialogue|negotiations(?=\s+(?:with|between|on))|mediation)"),
    (MEETING, "Visit", "StateVisit", r"(?i:state\s+visit)"),
    (MEETING, "Visit", "", r"(?i:visit(?:s|ed|ing)?|trip\s+to|tour\s+of)"),
    (MEETING, "Conference", "", r"(?i:conference|general assembly|forum(?=\s+(?:in|on|of)))"),
    (MEETING, "Meeting", "", r"\b(?:met|meets|will meet|to meet|meeting with|hosted|hosts|will host)\b"),
    # --- agreements, Korean
    (AGREEMENT, "FreeTradeAgreement", "", r"자유무역협정(?:\s?\(FTA\))?|FTA"),
    (AGREEMENT, "Treaty", "", r"조약|협정(?!문)"),
    (AGREEMENT, "JointStatement", "", r"공동\s?성명|공동\s?발표문|공동\s?언론\s?발표"),
    (AGREEMENT, "Declaration", "", r"(?:공동\s?)?선언(?!했|하|을 했|적)"),
    (AGREEMENT, "MemorandumOfUnderstanding", "", r"양해\s?각서|MOU|업무\s?협약"),
    (AGREEMENT, "Contract", "", r"계약"),
    (AGREEMENT, "Commitment", "", r"(?:하기로|기로|키로)\s?(?:합의|약속)|합의(?:했|하였|가 이뤄|를 이뤄|에 이르)"),
    # an undertaking of several actors: 양 정상은 ... 하기로 했다; ... 데 의견을 함께했다
    (AGREEMENT, "Commitment", "",
     r"기로\s?(?:했|하였|결정했|함(?![가-힣]))|(?:의견|뜻)을\s?(?:함께|같이)(?:했|하였|하기로)"),
    # --- agreements, English
    (AGREEMENT, "FreeTradeAgreement", "", r"(?i:free[\s-]trade\s+(?:agreement|pact|deal)(?:\s+\(FTA\))?)"),
    (AGREEMENT, "Treaty", "", r"(?i:treaty|(?<!free trade )accord|pact)"),
    (AGREEMENT, "JointStatement", "", r"(?i:joint\s+(?:statement|communiqu[eé]|press\s+statement))"),
    (AGREEMENT, "Declaration", "", r"(?i:(?:joint\s+)?declaration)"),
    (AGREEMENT, "MemorandumOfUnderstanding", "", r"(?i:memorandum\s+of\s+understanding|MOU|MoU)"),
    (AGREEMENT, "Contract", "", r"(?i:contract)"),
    (AGREEMENT, "Commitment", "", r"(?i:agree[ds]?\s+(?:to|on|upon|that)|reached\s+an?\s+(?:agreement|deal))"),
    # --- relations, Korean
    (RELATION, "Partnership", "", r"(?:포괄적\s?)?(?:전략적\s?)?(?:협력\s?)?동반자\s?관계|파트너십"),
    (RELATION, "Alliance", "", r"동맹(?!국)"),
    (RELATION, "Cooperation", "", r"협력(?!\s?(?:사무국|분야|경험|기구|체))|공조"),
    (RELATION, "Conflict", "", r"도발|위협|갈등|대립|분쟁|긴장\s?고조|적대"),
    (RELATION, "Sanction", "", r"제재"),
    # --- relations, English
    (RELATION, "Partnership", "", r"(?i:(?:comprehensive\s+)?(?:strategic\s+)?(?:cooperative\s+)?partnership)"),
    (RELATION, "Alliance", "", r"(?i:alliance)"),
    (RELATION, "Cooperation", "", r"(?i:cooperation|cooperate|coordination)(?!\s+(?i:secretariat|experiences?))"),
    (RELATION, "Conflict", "", r"(?i:provocations?|threats?|conflict|tensions?|clash(?:es)?|hostilit(?:y|ies))"),
    (RELATION, "Sanction", "", r"(?i:sanctions?)"),
    # --- relations named by verbs: the subject against (or with) the object
    (RELATION, "Conflict", "verb",
     r"(?i:\b(?:threaten(?:s|ed)?|warned|attack(?:s|ed)|invad(?:e|es|ed)|shell(?:s|ed)|bomb(?:s|ed)|"
     r"fired\s+(?:\w+\s+){0,4}(?:at|on|into)|opened\s+fire\s+on|accus(?:e|es|ed)|condemn(?:s|ed)|"
     r"denounc(?:e|es|ed)|clash(?:ed|es)?\s+with|launched\s+(?:an?\s+)?(?:\w+\s+)?(?:attack|offensive|strike)s?)\b)"),
    (RELATION, "Cooperation", "verb", r"(?i:\b(?:cooperat(?:e|es|ed|ing)\s+with|shared\s+(?:\w+\s+){0,3}with)\b)"),
    # done together: the subjects are both sides ("Jordan and Britain ... joint military exercises")
    (RELATION, "Cooperation", "joint", r"(?i:\b(?:joint|combined)\s+(?:military\s+|naval\s+)?(?:exercises|drills)\b)"),
    (RELATION, "Conflict", "verb", r"(?:공격|포격|침공|비난|규탄|위협)(?:했|하였|하고|하며|한다|을 가했)"),
]
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_ENGLISH = re.compile(r"[a-z]{3}")  # Korean text has Latin capitals (APEC, FTA), not lower-case words
_KOREAN_PATTERNS = [(f, t, s, re.compile(p)) for f, t, s, p in _PATTERNS if _HANGUL.search(p)]
_ENGLISH_PATTERNS = [(f, t, s, re.compile(p)) for f, t, s, p in _PATTERNS if not _HANGUL.search(p)]
_WORDY = re.compile(r"[A-Za-z]")


def find_triggers(sentence: str) -> list[Trigger]:
    """Triggers in ``sentence``, left to right, not overlapping (longest first)."""
    found: list[Trigger] = []
    patterns = (_KOREAN_PATTERNS if _HANGUL.search(sentence) else []) + (
        _ENGLISH_PATTERNS if _ENGLISH.search(sentence) else [])
    for family, type_, subtype, pattern in patterns:
        for m in pattern.finditer(sentence):
            start, end = m.start(), m.end()
            while start < end and sentence[start] == " ":
                start += 1
            if start == end or not _word_bounded(sentence, start, end):
                continue
            dest = m.groupdict().get("dest") or ""
            found.append(Trigger(family, type_, subtype, start, end, sentence[start:end], dest))
    chosen: list[Trigger] = []
    for trig in sorted(found, key=lambda t: (-(t.end - t.start), t.start)):
        if all(trig.end <= c.start or trig.start >= c.end for c in chosen):
            chosen.append(trig)
    return sorted(chosen, key=lambda t: t.start)


def _word_bounded(text: str, start: int, end: int) -> bool:
    """English triggers must be whole words; Korean ones may sit inside compounds."""
    if not _WORDY.match(text[start]):
        return True
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not before.isalpha() and not (after.isalpha() and _WORDY.match(after))
