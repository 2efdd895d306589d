"""Build fact records (meetings, agreements, relations, people) from an article.

For each sentence: find actor mentions, people, dates and trigger words; each
trigger becomes one record whose actors come, in order of preference, from the
words that modify it (한일 정상회담, "ROK-US alliance"), from "between A and B",
from 양국 / "the two countries" (the last meeting's participants), or from the
sentence. A record with too few actors is dropped: a missing fact is better
than a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.extract import modality
from kg.extract.context import Discourse, SentenceContext, dates_in, refers_to_actors, speaker_of
from kg.extract.mentions import Mention, finder_for, places_for
from kg.extract.people import find_people
from kg.extract.records import Agreement, Extraction, Meeting, PersonRecord, Relation, When
from kg.extract.triggers import AGREEMENT, MEETING, RELATION, Trigger, find_triggers
from kg.gazetteer import ORGANIZATION, STATE, Gazetteer
from kg.gazetteer import default as default_gazetteer
from kg.read import Article
from kg.text import split_sentences

_EDITION_KO = re.compile(r"제\s?(\d{1,3})\s?차\s*$|(최초|첫)\s*$")
_EDITION_EN = re.compile(r"(\d{1,3})(?:st|nd|rd|th)\s*$|(first|inaugural)\s*$", re.I)
_QUOTED = re.compile(r"['‘\"“「『]([^'’\"”」』]{2,60})['’\"”」』]")
_ORG_MEETING = ("Summit", "MinisterialMeeting")
_HYPOTHETICAL_AFTER = re.compile(r"\s?(?:추진\s?)?(?:가능성|여부)")
_HYPOTHETICAL_BEFORE = re.compile(r"(?i:\b(?:possibility|prospects?|chance)\s+of\s+(?:an?\s+|the\s+)?[\w-]*\s*$)")
_RELATIVE_CLAUSE = re.compile(r"(?i:\b(?:that|which|who)\b[^,;]*)$")  # "... that was restored through the"
_OBJECT_BEFORE = re.compile(r"((?:[\w·-]+ ){0,3}[\w·-]+)[을를] (?:[^,.을를]{0,20} )?$")
_UNDERTAKEN = re.compile(r"합의|기로|키로|예정|(?i:\bagreed\b|\bwill\b)")  # said of what a meeting's sides will do
_FOR_AFTER = re.compile(r"\s+((?:for|on|to) [^,.;]{3,80})")


def extract_article(article: Article, gazetteer: Gazetteer | None = None) -> Extraction:
    """Extract every fact of ``article``; pure: reads nothing, writes nothing."""
    gazetteer = gazetteer or default_gazetteer()
    finder = finder_for(gazetteer)
    place_finder = places_for(gazetteer)
    discourse = Discourse()
    people: list[PersonRecord] = []
    meetings: list[Meeting] = []
    agreements: list[Agreement] = []
    relations: list[Relation] = []
    actors: set[str] = set()
    for sentence in split_sentences(article.text):
        mentions = finder.find(sentence.text)
        if not discourse.speaker:
            discourse.speaker = speaker_of(mentions, gazetteer)
        found_people = find_people(sentence, mentions, gazetteer, article.date)
        if not mentions and not found_people and not refers_to_actors(sentence.text):
            continue  # no actor, no fact: the costly finders are skipped
        triggers = find_triggers(sentence.text)
        ctx = SentenceContext(sentence, gazetteer, tuple(mentions), tuple(triggers),
                              dates_in(sentence, article.date) if triggers else (), tuple(found_people),
                              article.date, discourse, tuple(place_finder.find(sentence.text)) if triggers else ())
        people.extend(p for _, p in found_people)
        actors.update(ctx.states_and_orgs(ctx.actor_mentions()))
        for mention in mentions:
            if mention.compound and len(set(mention.codes)) == 3:
                discourse.last_trilateral = ctx.states_and_orgs([mention])
        for i, trig in enumerate(triggers):
            window = ctx.text[trig.end:triggers[i + 1].start if i + 1 < len(triggers) else len(ctx.text)]
            if trig.family == MEETING:
                meeting = _meeting(ctx, trig, window, article)
                if meeting is not None:
                    meetings.append(meeting)
                    if len(meeting.participants) >= 2:
                        discourse.last_meeting = len(meetings) - 1
                        discourse.last_participants = meeting.participants
                        if meeting.status == modality.HELD:
                            discourse.last_held = meeting.participants
            elif trig.family == AGREEMENT:
                agreement = _agreement(ctx, trig, window, article)
                if agreement is not None:
                    agreements.append(agreement)
            elif trig.family == RELATION:
                relations.extend(_relations(ctx, trig))
    meetings = _resolve_unmarked(meetings)
    return Extraction(article, tuple(people), tuple(meetings), tuple(agreements), tuple(relations),
                      tuple(sorted(actors)))


# -- meetings ---------------------------------------------------------------
def _meeting(ctx: SentenceContext, trig: Trigger, window: str, article: Article) -> Meeting | None:
    if _HYPOTHETICAL_AFTER.match(window) or _HYPOTHETICAL_BEFORE.search(ctx.text[:trig.start]):
        return None  # 미북 대화 가능성, "the possibility of dialogue": no meeting, not even a planned one
    # a visit's modifier is its destination right before it (미국 방문); other meetings' a compound
    modifier = ctx.modifier_before(trig.start, reach=3 if trig.type == "Visit" else 14)
    visitor = destination = ""
    hosted_by_city = False
    if trig.type == "Visit":
        visitor, destination = _visit_ends(ctx, trig)
        if not (visitor and destination and visitor != destination):
            return None
        participants = tuple(sorted({visitor, destination}))
    else:
        participants = _participants(ctx, trig, modifier)
        named_place = ctx.place_for(trig.start, trig.end, occasion=True)
        if not participants and named_place is not None and trig.type in (*_ORG_MEETING, "Conference"):
            # AI 서울 정상회의: a gathering named after its host city, hosted by that city's state
            participants = (ctx.gazetteer.places[named_place.place].country,)
            modifier, hosted_by_city = None, True
    if not participants:
        return None
    type_ = _meeting_type(ctx, trig, participants, modifier, hosted_by_city)
    if type_ != "Conference" and len(participants) < 2:
        return None
    occasion = ctx.is_purpose(window, modifier.start if modifier is not None else trig.start)
    # an occasion (참석차, "on the occasion of") takes neither the sentence's date nor its tense
    before = ctx.text[max(0, trig.start - 24):trig.start]
    relative = _RELATIVE_CLAUSE.search(ctx.text[max(0, trig.start - 80):trig.start])
    status = modality.event_status(trig.surface + window, "" if occasion else ctx.text, before,
                                   relative.group(0) if relative else "")
    when = When() if occasion else ctx.date_for(trig.start)
    status, when = _settle(status, when, article, held=modality.HELD)
    edition = _edition(ctx.text[:modifier.start if modifier else trig.start])
    series = f"{type_}:{'-'.join(participants)}" if (modifier is not None and modifier.compound) or edition else ""
    surface = ctx.text[modifier.start:trig.end] if modifier is not None else trig.surface
    place = ctx.place_for(modifier.start if modifier is not None else trig.start, trig.end, occasion)
    return Meeting(type_, participants, status, when, ctx.evidence(surface), ctx.people_in(participants),
                   place=place.place if place is not None else "", edition=edition, series=series,
                   subtype=trig.subtype, visitor=visitor, destination=destination)


def _participants(ctx: SentenceContext, trig: Trigger, modifier: Mention | None) -> tuple[str, ...]:
    """Who takes part: the compound naming the meeting (한일 정상회담), else "talks with X",
    the titled people and the subject, else the pair the article speaks of (양국)."""
    if modifier is not None:
        return ctx.states_and_orgs([modifier])
    participants = ctx.between_after(trig.end)
    if len(participants) < 2:  # "Minister Cho held talks with Chinese Foreign Minister Wang Yi"
        participants = tuple(sorted({*participants, *ctx.people_countries(at_least=1),
                                     *ctx.subjects_before(trig.start)}))
    if len(participants) < 2:
        participants = ctx.pair_reference() or participants
    return participants


def _meeting_type(ctx: SentenceContext, trig: Trigger, participants: tuple[str, ...],
                  modifier: Mention | None, hosted_by_city: bool) -> str:
    """The contract type: from the trigger, from who met ("met", talks), or Conference for a forum."""
    type_ = trig.type
    if trig.type == "Meeting" or (trig.type == "Talks" and not trig.subtype):
        # "met" / 만났다, and talks: leaders meeting make a summit, foreign ministers a ministerial
        ranked = _type_by_rank(ctx, participants)
        type_ = ranked if trig.type == "Meeting" or ranked != "Talks" else "Talks"
    forum = (type_ in _ORG_MEETING and modifier is not None and len(participants) == 1
             and _kind(ctx.gazetteer, participants[0]) == ORGANIZATION)
    return "Conference" if hosted_by_city or forum else type_  # APEC 정상회의: a forum's summit


_HEAD_TITLES = re.compile(r"대통령|총리|주석|국왕|수상|국무위원장|(?i:president|prime minister|premier|chancellor)")
_MINISTER_TITLES = re.compile(r"외교|외무|국무장관|(?i:foreign minister|secretary of state|minister of foreign)")


def _type_by_rank(ctx: SentenceContext, participants: tuple[str, ...]) -> str:
    """A meeting named by "met" / 만났다: a summit when leaders met, ministerial when ministers did."""
    roles = [p.role for _, p in ctx.people if p.country in participants and p.role]
    levels: set[str] = set()
    for _, p in ctx.people:
        if p.key and p.country in participants and ctx.ref is not None:
            levels.update(ctx.gazetteer.offices[t.office].level for t in ctx.gazetteer.tenures_of(p.key, ctx.ref)
                          if t.office in ctx.gazetteer.offices)
    countries = {p.country for _, p in ctx.people if p.country in participants}
    if len(countries) < 2:
        return "Talks"
    heads = {"head-of-state", "head-of-government", "acting-head-of-state"}
    if (levels and levels <= heads) or sum(bool(_HEAD_TITLES.search(r)) for r in roles) >= 2:
        return "Summit"
    if levels == {"foreign-minister"} or sum(bool(_MINISTER_TITLES.search(r)) for r in roles) >= 2:
        return "MinisterialMeeting"
    return "Talks"


def _resolve_unmarked(meetings: list[Meeting]) -> list[Meeting]:
    """A mention whose words give no status is the same meeting the article reports elsewhere.

    It takes that meeting's status (held first) and date; with none to follow it is planned.
    """
    marked: dict[tuple[str, tuple[str, ...]], list[Meeting]] = {}
    for m in meetings:
        if m.status != modality.UNMARKED:
            marked.setdefault((m.type, m.participants), []).append(m)
    resolved = []
    for m in meetings:
        if m.status != modality.UNMARKED and not m.when:  # 한일정상회담이 열리며: the summit dated elsewhere
            dated = [o for o in marked.get((m.type, m.participants), []) if o.status == m.status and o.when.value]
            if len({o.when.value for o in dated}) == 1:
                m = replace(m, when=dated[0].when)
        if m.status == modality.UNMARKED:
            same = sorted(marked.get((m.type, m.participants), []),
                          key=lambda o: (o.status != modality.HELD, -len(o.when.value)))
            if same:
                m = replace(m, status=same[0].status, when=m.when or same[0].when)
            else:
                m = replace(m, status=modality.PLANNED)
        resolved.append(m)
    return resolved


def _visit_ends(ctx: SentenceContext, trig: Trigger) -> tuple[str, str]:
    """Who visits whom: 방한 -> KOR; "X 방문" / "visit to X" -> X; the visitor is the nearest person."""
    destination = ctx.gazetteer.abbreviations_ko.get(trig.destination, "") if trig.destination else ""
    if not destination:
        before = ctx.modifier_before(trig.start, reach=3)
        after = re.match(r"\s*(?:to|of)?\s*(?:the\s+)?", ctx.text[trig.end:])
        if before is not None and len(before.codes) == 1:
            destination = ctx.as_party(before.codes[0])
        elif after is not None:
            nxt = [m for m in ctx.actor_mentions() if m.start == trig.end + after.end() and len(m.codes) == 1]
            destination = ctx.as_party(nxt[0].codes[0]) if nxt else ""
        if not destination:  # 워싱턴 방문, "visit Seoul": the state the place is in
            place = ctx.place_for(trig.start, trig.end, occasion=False)
            destination = ctx.gazetteer.places[place.place].country if place is not None else ""
    people = sorted(ctx.people, key=lambda pair: abs(pair[0].start - trig.start))
    visitor = next((p.country for _, p in people if p.country and p.country != destination), "")
    if not visitor:  # "Taiwan's Vice Foreign Minister visited Russia"
        visitor = next((c for c in ctx.subjects_before(trig.start) if c != destination), "")
    return visitor, destination


def _edition(prefix: str) -> int | None:
    for pattern in (_EDITION_KO, _EDITION_EN):
        m = pattern.search(prefix)
        if m:
            return int(m.group(1)) if m.group(1) else 1
    return None


def _settle(status: str, when: When, article: Article, held: str) -> tuple[str, When]:
    """Dates and status agree with the publication date.

    A plan dated on or before publication is dated by its announcement, not its
    occurrence: the date is dropped. A fact dated after publication is planned, unless the
    article says it was postponed or cancelled (연기됐다: the date is the one it was set for).
    """
    if article.date is None or not when.value:
        return status, when
    published = article.date.isoformat()
    if when.value[:len(published)] > published[:len(when.value)]:
        return (status if status in (modality.POSTPONED, modality.CANCELLED) else modality.PLANNED), when
    if status == modality.PLANNED and published.startswith(when.value) and len(when.value) == 10:
        return status, When()
    return status, when


def _kind(gazetteer: Gazetteer, code: str) -> str:
    actor = gazetteer.actor(code)
    return actor.kind if actor is not None else ""


# -- agreements -------------------------------------------------------------
def _agreement(ctx: SentenceContext, trig: Trigger, window: str, article: Article) -> Agreement | None:
    modifier = ctx.modifier_before(trig.start, reach=24)
    if trig.subtype == "promise":  # "Japan pledged to send aid to Vietnam": the one who promises and to whom
        parties = tuple(sorted({*ctx.subjects_before(trig.start), *ctx.objects_after(trig)}))
        name = _commitment_name(ctx.text, trig)
    elif trig.type == "Commitment":
        parties = ctx.pair_reference() or ctx.subjects_before(trig.start)
        if not parties and re.search(r"합의|약속|agree", trig.surface):  # 합의했다 with no subject: the meeting's
            parties = ctx.discourse.last_participants
        elif not parties:  # ...하기로 했다 with no subject: what the leaders of a held meeting undertook
            parties = ctx.discourse.last_held
        name = _commitment_name(ctx.text, trig)
    else:
        parties = ctx.states_and_orgs([modifier]) if modifier is not None else (
            ctx.between_after(trig.end) or ctx.clause_actors(trig.start, trig.end))
        name = _agreement_name(ctx.text, trig, modifier.start if modifier is not None else None)
    parties = tuple(sorted(set(parties) | set(ctx.speaker_reference()))) if parties else ()
    if len(parties) < 2:
        return None
    status = modality.agreement_status(window, ctx.text)
    if trig.type == "Commitment" and status == modality.PLANNED:
        status = modality.AGREED
    # a commitment is made when reported; the dates in its sentence are those of what it promises
    when = When() if trig.type == "Commitment" else ctx.date_for(trig.start)
    status, when = _settle(status, when, article, held=modality.AGREED)
    agreed_at = ctx.discourse.last_meeting if trig.type in ("Commitment", "JointStatement") else None
    return Agreement(trig.type, name, parties, status, when, ctx.evidence(name), agreed_at)


def _agreement_name(text: str, trig: Trigger, modifier_start: int | None) -> str:
    for m in _QUOTED.finditer(text):
        if m.start() <= trig.start and trig.end <= m.end():
            return m.group(1)
    if modifier_start is not None:
        return text[modifier_start:trig.end].strip()
    obj = _OBJECT_BEFORE.search(text[:trig.start])  # 체코 두코바니 신규원전 건설사업을 ... 계약
    if obj:
        return f"{obj.group(1)} {trig.surface}"
    after = _FOR_AFTER.match(text[trig.end:])  # contract for the construction of ...
    if after:
        return f"{trig.surface} {after.group(1)}".strip()
    return trig.surface


def _commitment_name(text: str, trig: Trigger) -> str:
    if trig.surface[:1].isascii():
        clause = re.split(r"[,.;]", text[trig.end:], maxsplit=1)[0]
        return (trig.surface + clause).strip()[:120]
    before = re.sub(r"\s*데\s*$", "", text[:trig.start])  # "하자는 데 의견을 함께했다"
    cuts = [m.end() for m in re.finditer(r"[,.;]\s|[은는](?=\s)", before) if len(before) - m.end() >= 6]
    return before[cuts[-1] if cuts else 0:].strip()[:120]


# -- relations --------------------------------------------------------------
def _relations(ctx: SentenceContext, trig: Trigger) -> list[Relation]:
    """Relations named by a trigger; a list of compounds (한일, 한미일 간 공조) gives one each."""
    if trig.subtype in ("verb", "joint"):  # "Iran threatened Iraq", "북한이 한국을 비난했다": subject and object
        subjects, objects = ctx.subjects_before(trig.start), ctx.objects_after(trig)
        if not subjects or (not objects and trig.subtype == "verb"):
            return []  # one side missing: the verb ties nobody the sentence names
        sides = {*subjects, *objects}
        actors = tuple(sorted(c for c in sides if _kind(ctx.gazetteer, c) in (STATE, ORGANIZATION)))
        return [Relation(trig.type, actors, ctx.evidence(trig.surface))] if len(actors) >= 2 else []
    modifier = ctx.modifier_before(trig.start)
    speaker = ctx.discourse.speaker
    if modifier is None and trig.type in ("Cooperation", "Partnership") and speaker:
        partners = [p for p in ctx.partners_listed(trig.start if ctx.sentence.lang == "ko" else trig.end)
                    if p != speaker]
        if len(partners) >= 2:  # 미국, UAE 등 ... 국가와의 협력: each one with the speaker
            return [Relation(trig.type, tuple(sorted((p, speaker))), ctx.evidence(trig.surface)) for p in partners]
    if modifier is not None and not modifier.compound:
        # 한미 핵협의그룹(NCG) 등 협력: the compound naming the body's members, not the body
        modifier = ctx.compound_naming(modifier) or modifier
    if modifier is not None and modifier.compound:
        found = [_relation(ctx, trig, m, ctx.states_and_orgs([m])) for m in ctx.listed_before(modifier)]
        return [r for r in found if r is not None]
    relation = _relation(ctx, trig, modifier, ctx.states_and_orgs([modifier]) if modifier is not None else ())
    return [relation] if relation is not None else []


def _relation(ctx: SentenceContext, trig: Trigger, modifier: Mention | None, actors: tuple[str, ...]
              ) -> Relation | None:
    partner = ""
    if not actors:
        actors = ctx.between_after(trig.end) or ctx.pair_reference() or ctx.three_reference(trig.start)
        partner = ctx.partner_before(trig.start) if not actors else ""
        if len(actors) == 1 and re.match(r"\s+with\b", ctx.text[trig.end:]):
            partner = actors[0]  # "cooperation with the new U.S. administration"
        actors = actors or ((partner,) if partner else ())
    if len(actors) < 2 and trig.type in ("Conflict", "Sanction"):
        # "the United States imposed sanctions on Russia"; "a provocation condemned by Japan"
        targets = ctx.between_after(trig.end, r"on|against|by|(?:\w+\s){0,2}by")
        actors = tuple(sorted({*actors, *ctx.subjects_before(trig.start, clause=False), *targets}))
    actors = tuple(code for code in actors if _kind(ctx.gazetteer, code) in (STATE, ORGANIZATION))
    if len(actors) == 1 and ctx.discourse.speaker and actors[0] != ctx.discourse.speaker:
        single_modifier = modifier is not None and not modifier.compound
        if trig.type in ("Conflict", "Sanction") or ctx.speaker_reference() or single_modifier or partner:
            actors = tuple(sorted({actors[0], ctx.discourse.speaker}))
    if not actors and trig.type == "Cooperation":  # "cooperation through the ROK-US Nuclear Consultative Group"
        through = re.match(r"\s+(?:through|via|under)\s+(?:the\s+)?", ctx.text[trig.end:])
        if through is not None:
            named = [m for m in ctx.actor_mentions() if m.start == trig.end + through.end()]
            actors = ctx.states_and_orgs(named) if named and named[0].compound else ()
    if not actors and not ctx.actor_mentions() and trig.type in ("Cooperation", "Partnership") \
            and _UNDERTAKEN.search(ctx.text[trig.end:]):
        actors = ctx.discourse.last_held  # "공급망 협력을 추구할 예정": what the leaders who just met undertook
    if len(actors) < 2:
        return None
    surface = ctx.text[modifier.start:trig.end] if modifier is not None else trig.surface
    return Relation(trig.type, actors, ctx.evidence(surface))
