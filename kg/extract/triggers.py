"""Trigger words that name meetings, agreements and relations, in Korean and English.

Each pattern is general: a type noun (정상회담, summit, 자유무역협정, alliance),
never a phrase fitted to one article. Matches do not overlap; the longest wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from kg.text import finditer_where, plain_lower, without_hangul, words_automaton

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


# (family, type, subtype, pattern, anchors); order matters only for equal-length matches. Every match of
# a pattern contains one of its anchors (lower case, space-separated): a pattern whose anchors are all
# absent from a sentence is not run on it.
_PATTERNS: list[tuple[str, str, str, str, str]] = [
    # --- meetings, Korean
    (MEETING, "ViceMinisterialMeeting", "", r"(?:외교|외무|국방)?\s?(?:부?차관|차관급)\s?(?:회담|회의|협의|전략대화)",
     "차관"),
    (MEETING, "MinisterialMeeting", "", r"(?:외교|외무|국방|통상|재무|경제)?\s?(?:장관|장관급|각료)\s?(?:회담|회의)",
     "장관 각료"),
    (MEETING, "MinisterialMeeting", "", r"외교장관|외무장관|외교 장관 회담|2\+2", "장관 2+2"),
    (MEETING, "Summit", "", r"정상\s?(?:회담|회의)|정상 간 회담|서밋", "정상 서밋"),
    (MEETING, "Talks", "PhoneTalks", r"전화\s?(?:회담|통화)|통화", "통화 전화"),
    (MEETING, "Talks", "", r"(?<![정관])회담|대화(?!\s?상대)|협상(?=\s?(?:을|를|이|가|에|과|재개|개최))",
     "회담 대화 협상"),
    (MEETING, "Visit", "StateVisit", r"국빈\s?방문", "국빈"),
    (MEETING, "Visit", "", r"방(?P<dest>[한미일중러북])(?=[을를이가한해하할은는의\s]|$)|방문|순방", "방"),
    (MEETING, "Conference", "", r"총회|국제회의|포럼(?=\s?(?:에|을|를|이|가|\())|다자회의",
     "총회 국제회의 포럼 다자회의"),
    # a meeting named by its verb: its type comes from who met (leaders: a summit)
    (MEETING, "Meeting", "", r"만났|만나(?=[고며기서\s])|만날|회동|면담", "만났 만나 만날 회동 면담"),
    # --- meetings, English
    (MEETING, "ViceMinisterialMeeting", "",
     r"(?i:vice[- ](?:foreign )?minister(?:s'?|’s?|ial)?\s(?:meeting|talks|dialogue))", "minister"),
    (MEETING, "MinisterialMeeting", "",
     r"(?i:(?:foreign|defen[cs]e|trade)\s+ministers?(?:'|’)?s?(?:'|’)?\s+(?:meeting|talks))", "minister"),
    (MEETING, "MinisterialMeeting", "", r"(?i:ministerial(?:\s+(?:meeting|talks|dialogue))?)", "minister"),
    (MEETING, "Summit", "", r"(?i:summit(?:s|ry)?(?:\s+(?:meeting|talks))?)", "summit"),
    (MEETING, "Talks", "PhoneTalks",
     r"(?i:(?:tele)?phone\s+(?:call|talks|conversation)|(?:tele)?phoned|spoke\s+(?:by|on\s+the)\s+(?:tele)?phone)",
     "phone"),
    (MEETING, "Talks", "", r"(?i:talks|dialogue|negotiations(?=\s+(?:with|between|on))|mediation)",
     "talks dialogue negotiations mediation"),
    (MEETING, "Visit", "StateVisit", r"(?i:state\s+visit)", "visit"),
    (MEETING, "Visit", "", r"(?i:visit(?:s|ed|ing)?|trip\s+to|tour\s+of)", "visit trip tour"),
    (MEETING, "Conference", "", r"(?i:conference|general assembly|forum(?=\s+(?:in|on|of)))",
     "conference assembly forum"),
    (MEETING, "Meeting", "", r"\b(?:met|meets|will meet|to meet|meeting with|hosted|hosts|will host)\b",
     "met meet host"),
    # --- agreements, Korean
    (AGREEMENT, "FreeTradeAgreement", "", r"자유무역협정(?:\s?\(FTA\))?|FTA", "자유무역협정 fta"),
    (AGREEMENT, "Treaty", "", r"조약|협정(?!문)", "조약 협정"),
    (AGREEMENT, "JointStatement", "", r"공동\s?성명|공동\s?발표문|공동\s?언론\s?발표", "공동"),
    (AGREEMENT, "Declaration", "", r"(?:공동\s?)?선언(?!했|하|을 했|적)", "선언"),
    (AGREEMENT, "MemorandumOfUnderstanding", "", r"양해\s?각서|MOU|업무\s?협약", "양해 mou 업무"),
    (AGREEMENT, "Contract", "", r"계약", "계약"),
    (AGREEMENT, "Commitment", "", r"(?:하기로|기로|키로)\s?(?:합의|약속)|합의(?:했|하였|가 이뤄|를 이뤄|에 이르)",
     "기로 키로 합의"),
    # an undertaking of several actors: 양 정상은 ... 하기로 했다; ... 데 의견을 함께했다
    (AGREEMENT, "Commitment", "",
     r"기로\s?(?:했|하였|결정했|함(?![가-힣]))|(?:의견|뜻)을\s?(?:함께|같이)(?:했|하였|하기로)", "기로 의견 뜻"),
    # --- agreements, English
    (AGREEMENT, "FreeTradeAgreement", "", r"(?i:free[\s-]trade\s+(?:agreement|pact|deal)(?:\s+\(FTA\))?)", "free"),
    (AGREEMENT, "Treaty", "", r"(?i:treaty|(?<!free trade )accord|pact)", "treaty accord pact"),
    (AGREEMENT, "JointStatement", "", r"(?i:joint\s+(?:statement|communiqu[eé]|press\s+statement))", "joint"),
    (AGREEMENT, "Declaration", "", r"(?i:(?:joint\s+)?declaration)", "declaration"),
    (AGREEMENT, "MemorandumOfUnderstanding", "", r"(?i:memorandum\s+of\s+understanding|MOU|MoU)", "memorandum mou"),
    (AGREEMENT, "Contract", "", r"(?i:contract)", "contract"),
    # an agreement signed or concluded between states is a treaty in international law (Korean 협정)
    (AGREEMENT, "Treaty", "",
     r"(?i:\b(?:sign(?:s|ed|ing)?|conclud(?:e|es|ed)|inked|ratif(?:y|ies|ied))\s+(?:an?\s+|the\s+)?"
     r"(?!(?:[\w-]+\s+){0,3}?free[\s-]trade)(?:[\w-]+\s+){0,4}?(?:agreements?|deals?|protocols?|conventions?)\b)",
     "sign conclud inked ratif"),
    # one side's undertaking towards another: "Japan pledged to ... to Vietnam"
    (AGREEMENT, "Commitment", "promise",
     r"(?i:\b(?:pledg(?:e|es|ed)|promis(?:e|es|ed)|vow(?:s|ed)?|offer(?:s|ed)|(?:is|are)\s+committed)\s+to\b)",
     "pledg promis vow offer committed"),
    (AGREEMENT, "Commitment", "", r"(?i:agree[ds]?\s+(?:to|on|upon|that)|reached\s+an?\s+(?:agreement|deal))",
     "agree reached"),
    # --- relations, Korean
    (RELATION, "Partnership", "", r"(?:포괄적\s?)?(?:전략적\s?)?(?:협력\s?)?동반자\s?관계|파트너십", "동반자 파트너십"),
    (RELATION, "Alliance", "", r"동맹(?!국)", "동맹"),
    (RELATION, "Cooperation", "", r"협력(?!\s?(?:사무국|분야|경험|기구|체))|공조|정책\s?조율", "협력 공조 조율"),
    (RELATION, "Conflict", "", r"도발|위협|갈등|대립|분쟁|긴장\s?고조|적대", "도발 위협 갈등 대립 분쟁 긴장 적대"),
    (RELATION, "Sanction", "", r"제재", "제재"),
    # --- relations, English
    (RELATION, "Partnership", "", r"(?i:(?:comprehensive\s+)?(?:strategic\s+)?(?:cooperative\s+)?partnership)",
     "partnership"),
    (RELATION, "Alliance", "", r"(?i:alliance)", "alliance"),
    (RELATION, "Cooperation", "", r"(?i:cooperation|cooperate|coordination)(?!\s+(?i:secretariat|experiences?))",
     "cooperat coordination"),
    (RELATION, "Conflict", "", r"(?i:provocations?|threats?|conflict|tensions?|clash(?:es)?|hostilit(?:y|ies))",
     "provocation threat conflict tension clash hostilit"),
    (RELATION, "Sanction", "", r"(?i:sanctions?)", "sanction"),
    # --- relations named by verbs: the subject against (or with) the object
    (RELATION, "Conflict", "verb",
     r"(?i:\b(?:threaten(?:s|ed)?|warn(?:s|ed)|attack(?:s|ed)|invad(?:e|es|ed)|shell(?:s|ed)|bomb(?:s|ed)|"
     r"fired\s+(?:\w+\s+){0,4}(?:at|on|into)|opened\s+fire\s+on|accus(?:e|es|ed)|condemn(?:s|ed)|"
     r"denounc(?:e|es|ed)|clash(?:ed|es)?\s+with|launched\s+(?:an?\s+)?(?:\w+\s+)?(?:attack|offensive|strike)s?|"
     r"shot\s+down|seiz(?:e|es|ed)|raid(?:s|ed)|retaliat(?:e|es|ed)\s+against|blockad(?:e|es|ed))\b)",
     "threaten warn attack invad shell bomb fired fire accus condemn denounc clash launched shot seiz raid "
     "retaliat blockad"),
    # measures against another state: expulsions, suspended aid or ties, embargoes
    (RELATION, "Sanction", "verb",
     r"(?i:\b(?:expel(?:s|led)?\s+(?:\w+\s+){0,3}?(?:diplomats?|ambassadors?|envoys?|inspectors?|officials?)|"
     r"suspen(?:ds?|ded|sion\s+of)\s+(?:\w+\s+){0,4}?(?:aid|ties|relations|links|cooperation|assistance|flights)|"
     r"(?:cut|cuts|sever(?:s|ed)?|broke|breaks)\s+(?:off\s+)?(?:\w+\s+){0,2}?(?:ties|relations|aid)|"
     r"recall(?:s|ed)?\s+(?:its|their)\s+ambassador|impos(?:e|es|ed)\s+(?:an?\s+)?(?:\w+\s+)?embargo|"
     r"boycott(?:s|ed)?)\b)",
     "expel suspen cut sever broke break recall embargo boycott"),
    (RELATION, "Cooperation", "verb",
     r"(?i:\b(?:cooperat(?:e|es|ed|ing)\s+with|shared\s+(?:\w+\s+){0,3}with|"
     r"(?:provid(?:e|es|ed|ing)|gave|giv(?:e|es|en|ing)|grant(?:s|ed)?|sen(?:ds?|t)|deliver(?:s|ed)?|offer(?:s|ed)?|"
     r"donat(?:e|es|ed)|pledg(?:e|es|ed))\s+(?:[\w,.-]+\s+){0,6}?(?:aid|assistance|grants?|loans?|weapons|arms|"
     r"funds|funding|intelligence|credits?)|"
     r"(?:establish(?:es|ed)?|restor(?:e|es|ed)|normaliz(?:e|es|ed)|resum(?:e|es|ed))\s+(?:full\s+)?"
     r"(?:diplomatic\s+)?(?:ties|relations))\b)",
     "cooperat shared aid assistance grant loan weapons arms fund intelligence credit ties relations"),
    # done together: the subjects are both sides ("Jordan and Britain ... joint military exercises")
    (RELATION, "Cooperation", "joint",
     r"(?i:\b(?:(?:joint|combined)\s+(?:military\s+|naval\s+|air\s+)?(?:exercises|drills|patrols|maneuvers)|"
     r"war\s+games)\b)",
     "exercises drills patrols maneuvers war games"),
    (RELATION, "Conflict", "verb", r"(?:공격|포격|침공|비난|규탄|위협)(?:했|하였|하고|하며|한다|을 가했)",
     "공격 포격 침공 비난 규탄 위협"),
    (RELATION, "Sanction", "verb", r"(?:추방|단교|단절)(?:했|하였|하고|하며|한다|하기로|을 결정)",
     "추방 단교 단절"),
    # diplomatic ties established (수교) and joint drills (한미 연합훈련): named by the compound before them
    (RELATION, "Cooperation", "", r"수교|(?:연합|합동)\s?(?:군사\s?|해상\s?|공중\s?)?(?:훈련|연습)",
     "수교 연합 합동"),
]
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_ENGLISH = re.compile(r"[a-z]{3}")  # Korean text has Latin capitals (APEC, FTA), not lower-case words
_Compiled = tuple[str, str, str, re.Pattern[str], frozenset[str]]
_KOREAN_PATTERNS: list[_Compiled] = [(f, t, s, re.compile(p), frozenset(a.split())) for f, t, s, p, a in _PATTERNS
                                     if _HANGUL.search(p)]
_ENGLISH_PATTERNS: list[_Compiled] = [(f, t, s, re.compile(p), frozenset(a.split())) for f, t, s, p, a in _PATTERNS
                                      if not _HANGUL.search(p)]
_WORDY = re.compile(r"[A-Za-z]")
_COMPILED = [*_KOREAN_PATTERNS, *_ENGLISH_PATTERNS]
# Words one of which (lower case) opens every match of two costly English patterns (some 20 µs a sentence,
# and their anchors, aid and ties among them, are in most English sentences): they are tried only where one
# is written.
_OPENERS = {
    ("Conflict", "verb"): "threaten warn attack invad shell bomb fired opened accus condemn denounc clash launched "
                          "shot seiz raid retaliat blockad",
    ("Cooperation", "verb"): "cooperat shared provid gave giv grant sen deliver offer donat pledg establish restor "
                             "normaliz resum",
}


def _opener_automata() -> dict[int, ahocorasick.Automaton]:
    """Index in ``_COMPILED`` -> the automaton of the words that open the pattern's matches."""
    automata = {}
    for i, (_, type_, subtype, _, _) in enumerate(_COMPILED):
        automaton = words_automaton(_OPENERS.get((type_, subtype), "").split())
        if i >= len(_KOREAN_PATTERNS) and automaton is not None:
            automata[i] = automaton
    return automata


_OPENER_AUTOMATA = _opener_automata()


def _by_anchor() -> dict[str, list[int]]:
    """anchor -> the indexes in ``_COMPILED`` of the patterns it anchors: a sentence's anchors pick its
    patterns without testing each of the sixty."""
    index: dict[str, list[int]] = {}
    for i, compiled in enumerate(_COMPILED):
        for anchor in compiled[4]:
            index.setdefault(anchor, []).append(i)
    return index


_BY_ANCHOR = _by_anchor()


def _anchor_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for *_, anchors in _PATTERNS:
        for anchor in anchors.split():
            automaton.add_word(anchor, anchor)
    automaton.make_automaton()
    return automaton


_ANCHORS = _anchor_automaton()
_LATIN_ANCHORS = without_hangul(_ANCHORS) or _ANCHORS  # for sentences without Hangul


def find_triggers(sentence: str) -> list[Trigger]:
    """Triggers in ``sentence``, left to right, not overlapping (longest first)."""
    found: list[Trigger] = []
    korean = _HANGUL.search(sentence) is not None
    # the Korean patterns, then the English ones, as the sentence's words allow, in order
    lo = 0 if korean else len(_KOREAN_PATTERNS)
    hi = len(_COMPILED) if _ENGLISH.search(sentence) else len(_KOREAN_PATTERNS)
    anchors = (_ANCHORS if korean else _LATIN_ANCHORS).iter(sentence.lower())
    indexes = sorted({i for _, anchor in anchors for i in _BY_ANCHOR[anchor] if lo <= i < hi})
    low = plain_lower(sentence) if any(i in _OPENER_AUTOMATA for i in indexes) else None
    for index in indexes:
        family, type_, subtype, pattern, _ = _COMPILED[index]
        openers = _OPENER_AUTOMATA.get(index)
        if openers is None or low is None:
            matches = pattern.finditer(sentence)
        else:
            matches = finditer_where(pattern, sentence, openers, low)
        for m in matches:
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
