"""Find actor mentions in a sentence: names, aliases, groups and compounds.

Known names are found by an Aho-Corasick automaton over the gazetteer. Korean
compounds of one-syllable abbreviations (한미일, 러북, 한·미) and hyphenated
forms in both languages (한-아세안, 한-중앙아시아, "ROK-U.S.-Japan") become one
mention naming several actors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from kg.gazetteer import GOVERNMENT, STATE, Gazetteer
from kg.text import without_hangul

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Syllables that may follow a short Korean name without making it part of another word:
# case particles and the suffixes news attaches to country names.
_KO_FOLLOWERS = set("은는이가을를의에와과도만로으측산인계내간엔께서처보랑")
_SEPARATORS = "-–·・/"
# Nouns that follow a compound of abbreviations run together (한미동맹, 한일정상회담).
_COMPOUND_TAILS = (
    "동맹", "정상", "관계", "협력", "외교", "간", "국교", "안보", "공조", "대화", "회담", "회의", "전략", "경제",
    "자유무역", "통상", "군사", "핵", "양국", "3국", "삼국", "연합", "합동", "공동", "우호", "수교", "협의",
    "차관", "장관", "국방", "무역", "훈련", "연습", "밀착", "갈등", "분쟁", "대립", "협정", "FTA",
)
# One-syllable abbreviations that are also everyday words (한 = one, 일 = day, 중 = during)
# count only inside compounds; the others (미, 북, 러 ...) may stand alone before a space.
_NOT_ALONE = set("한일중이인서영독호불가남베월캐몽프아")
GROUP_PREFIX = "group:"


@dataclass(frozen=True)
class Mention:
    """Actor mention; offsets are relative to the sentence."""

    start: int
    end: int
    surface: str
    codes: tuple[str, ...]  # one code, or several for a compound or group
    compound: bool = False


class MentionFinder:
    """Finds actor mentions using one gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._automaton = ahocorasick.Automaton()
        forms: dict[str, set[str]] = {}
        for surface, code, _lang in gazetteer.surface_forms():
            forms.setdefault(surface, set()).add(code)
        for name in gazetteer.groups:
            forms.setdefault(name, set()).add(GROUP_PREFIX + name)
        for surface, codes in forms.items():
            # an ambiguous surface keeps the first code in a stable order
            self._automaton.add_word(surface, (surface, tuple(sorted(codes))[0]))
        self._automaton.make_automaton()
        self._latin = without_hangul(self._automaton)
        abbreviations = "".join(sorted(gazetteer.abbreviations_ko))
        if len(abbreviations) != len(gazetteer.abbreviations_ko):
            raise ValueError("Korean abbreviations are single syllables")
        chars = f"[{re.escape(abbreviations)}]"
        # an abbreviation not after a syllable, or right after another: (?<![가-힣])X|(?<=X)X, written to open
        # with the abbreviation so that the search skips to the few places that hold one
        self._abbr = re.compile(rf"{chars}(?:(?<![\uac00-\ud7a3].)|(?<={chars}.))") if abbreviations else None

    def expand(self, code: str) -> tuple[str, ...]:
        """Codes a mention code stands for: a group's members, or itself."""
        if code.startswith(GROUP_PREFIX):
            return self.gazetteer.groups.get(code[len(GROUP_PREFIX):], ())
        return (code,)

    def find(self, sentence: str) -> list[Mention]:
        """Mentions in ``sentence``, left to right, longest first, not overlapping."""
        names = self._qualify(sentence, self._names(sentence))
        mentions = self._join_compounds(sentence, names)
        return sorted(mentions, key=lambda m: m.start)

    def _qualify(self, text: str, names: list[Mention]) -> list[Mention]:
        """"French National Assembly", "중국 외교부": a state named right before another state's body
        says whose body it is; the mention becomes that state."""
        out: list[Mention] = []
        for mention in names:
            actor = self.gazetteer.actor(mention.codes[0])
            previous = out[-1] if out else None
            if (previous is not None and actor is not None and actor.kind == GOVERNMENT
                    and text[previous.end:mention.start] == " " and len(previous.codes) == 1):
                state = self.gazetteer.actor(previous.codes[0])
                if state is not None and state.kind == STATE and state.code != actor.country:
                    out[-1] = Mention(previous.start, mention.end, text[previous.start:mention.end], previous.codes)
                    continue
            out.append(mention)
        return out

    # -- names -------------------------------------------------------------
    def _names(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        automaton = self._automaton if self._latin is None or _HANGUL.search(text) else self._latin
        for end_index, (surface, code) in automaton.iter(text):
            start, end = end_index - len(surface) + 1, end_index + 1
            if self._bounded(text, start, end, surface):
                found.append(Mention(start, end, surface, self.expand(code)))
        chosen: list[Mention] = []  # no two names share start and end: the order below is total
        for mention in sorted(found, key=lambda m: (-(m.end - m.start), m.start)):
            if all(mention.end <= c.start or mention.start >= c.end for c in chosen):
                chosen.append(mention)
        return sorted(chosen, key=lambda m: m.start)

    @staticmethod
    def _bounded(text: str, start: int, end: int, surface: str) -> bool:
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        if "\uac00" <= surface[0] <= "\ud7a3":  # _HANGUL, compared directly: this runs for every name found
            if "\uac00" <= before <= "\ud7a3":
                return False
            if len(surface) <= 2 and "\uac00" <= after <= "\ud7a3" and after not in _KO_FOLLOWERS:
                return False
            return True
        if surface[0].isalnum() and before.isalnum():
            return False
        # "U.S." may end a sentence; otherwise a name must end at a word boundary
        return not (surface[-1].isalnum() and after.isalnum())

    # -- compounds ---------------------------------------------------------
    def _join_compounds(self, text: str, names: list[Mention]) -> list[Mention]:
        """Merge names and abbreviations joined by separators into compound mentions."""
        pieces = list(names)
        abbreviations = self.gazetteer.abbreviations_ko
        # inside a word (대한, 한다) an abbreviation can neither open a compound nor stand alone; it
        # counts only after a non-syllable or right after another name or abbreviation (한미일)
        starts = {m.start() for m in self._abbr.finditer(text)} if self._abbr is not None else set()
        starts.update(m.end for m in names if text[m.end:m.end + 1] in abbreviations)
        for i in sorted(starts):
            if not any(m.start <= i < m.end for m in names):
                pieces.append(Mention(i, i + 1, text[i], (abbreviations[text[i]],)))
        pieces.sort(key=lambda m: m.start)
        result: list[Mention] = []
        named = {(m.start, m.end) for m in names}
        i = 0
        while i < len(pieces):
            run = [pieces[i]]
            j = i + 1
            while j < len(pieces) and self._joined(text, run[-1], pieces[j]):
                run.append(pieces[j])
                j += 1
            if len(run) >= 2:  # a compound's codes and abbreviations are only worked out for a run
                abbreviated = [m for m in run if m.surface in abbreviations and (m.start, m.end) not in named]
                codes = tuple(dict.fromkeys(c for m in run for c in m.codes))
                if len(codes) >= 2 and self._compound_ok(text, run, abbreviated):
                    start, end = run[0].start, run[-1].end
                    result.append(Mention(start, end, text[start:end], codes, compound=True))
                    i = j
                    continue
            if (pieces[i].start, pieces[i].end) in named or self._lone_abbreviation(text, pieces[i]):
                result.append(pieces[i])
            i += 1
        return result

    def _joined(self, text: str, left: Mention, right: Mention) -> bool:
        gap = text[left.end:right.start]
        if gap == "":
            # abbreviations run together only in Korean: 한미일, 러북
            return "\uac00" <= left.surface[-1] <= "\ud7a3" and "\uac00" <= right.surface[0] <= "\ud7a3"
        core = gap.strip()
        return len(gap) <= 3 and len(core) == 1 and core in _SEPARATORS

    def _compound_ok(self, text: str, run: list[Mention], abbreviated: list[Mention]) -> bool:
        start, end = run[0].start, run[-1].end
        if start > 0 and _HANGUL.match(text[start - 1]):
            return False
        separated = all(text[a.end:b.start] for a, b in zip(run, run[1:], strict=False))
        if abbreviated and any(m.surface not in self.gazetteer.abbreviations_ko for m in run):
            # 한-아세안: one abbreviation joined to a full name needs a separator
            return separated
        if abbreviated and not separated:
            # abbreviations run together: the word must end there or go on with a compound noun
            rest = text[end:]
            return not rest or not _HANGUL.match(rest[0]) or rest[0] in _KO_FOLLOWERS \
                or rest.startswith(_COMPOUND_TAILS)
        return True

    def _lone_abbreviation(self, text: str, piece: Mention) -> bool:
        """미 의회, 북 도발: an abbreviation standing alone before a space or a dot."""
        if piece.surface not in self.gazetteer.abbreviations_ko or piece.surface in _NOT_ALONE:
            return False
        before = text[piece.start - 1] if piece.start else " "
        after = text[piece.end] if piece.end < len(text) else ""
        return not _HANGUL.match(before) and after in (" ", "·")


@lru_cache(maxsize=4)
def finder_for(gazetteer: Gazetteer) -> MentionFinder:
    """A cached finder per gazetteer."""
    return MentionFinder(gazetteer)


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a sentence (offsets relative to the sentence)."""

    start: int
    end: int
    surface: str
    place: str  # place id
    locative: bool  # marked as where something happens: 서울에서, "in Seoul", "visit Seoul"


_LOCATIVE_KO = re.compile(r"(?:에서|에|서)(?![가-힣])|(?:에서|에)[는도의]")
_LOCATIVE_EN = re.compile(r"(?i:\b(?:in|at|to|visit(?:s|ed|ing)?|trip to|arrived in)\s+(?:the\s+)?)$")


class PlaceFinder:
    """Finds places (capitals, cities, venues) of one gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._automaton = ahocorasick.Automaton()
        for surface, place in gazetteer.place_forms():
            if surface not in self._automaton:
                self._automaton.add_word(surface, (surface, place))
        if len(self._automaton):
            self._automaton.make_automaton()
        self._latin = without_hangul(self._automaton)

    def find(self, sentence: str) -> list[PlaceMention]:
        """Places in ``sentence``, longest first, not overlapping; everyday words only when locative."""
        if not len(self._automaton):
            return []
        found: list[PlaceMention] = []
        automaton = self._automaton if self._latin is None or _HANGUL.search(sentence) else self._latin
        for end_index, (surface, place) in automaton.iter(sentence):
            start, end = end_index - len(surface) + 1, end_index + 1
            if not MentionFinder._bounded(sentence, start, end, surface) and not (
                _HANGUL.match(surface[0]) and _LOCATIVE_KO.match(sentence[end:])
                and not (start and _HANGUL.match(sentence[start - 1]))
            ):
                continue
            if _HANGUL.match(surface[0]):
                locative = _LOCATIVE_KO.match(sentence[end:]) is not None
            else:
                locative = _LOCATIVE_EN.search(sentence[max(0, start - 20):start]) is not None
            if surface in self.gazetteer.ambiguous_places and not locative:
                continue
            found.append(PlaceMention(start, end, surface, place, locative))
        chosen: list[PlaceMention] = []
        for m in sorted(found, key=lambda m: (-(m.end - m.start), m.start)):
            if all(m.end <= c.start or m.start >= c.end for c in chosen):
                chosen.append(m)
        return sorted(chosen, key=lambda m: m.start)


@lru_cache(maxsize=4)
def places_for(gazetteer: Gazetteer) -> PlaceFinder:
    """A cached place finder per gazetteer."""
    return PlaceFinder(gazetteer)
