"""Public labelled sets, read where they lie (``../shared/eval``): PLOVER, PETRARCH2, KLUE-NER.

Each sentence is extracted on its own, as a one-sentence article. English event sets (PLOVER,
PETRARCH2) give actors and an event type per sentence: the extracted facts' actors are compared
with the gold source and target actors, and the kinds of the extracted facts with the gold event
type through a fixed mapping (``PLOVER_KIND``, ``cameo_kind``). Only state codes are compared: the
gold sets also code organizations, sectors and places in their own schemes (IGO, NGO, JAP ...),
which have no counterpart in the gazetteer's codes.

KLUE-NER (Korean news) tags people (PS), organizations (OG) and places (LC): people found by the
extractor are compared with PS spans, actor mentions with OG spans.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bench.quality.score import prf
from kg.extract import Extraction, extract_article
from kg.extract.mentions import finder_for
from kg.gazetteer import PERSON, Gazetteer
from kg.gazetteer import default as default_gazetteer
from kg.read import Article
from kg.resources import gazetteer_dir

EVAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "eval"
EVENT_KINDS = ("meeting", "agreement", "Cooperation", "Conflict", "Sanction")

# PLOVER event type -> the kind of fact that should carry it
PLOVER_KIND = {
    "CONSULT": "meeting",
    "AGREE": "agreement",
    "COOPERATE": "Cooperation", "AID": "Cooperation", "SUPPORT": "Cooperation",
    "SANCTION": "Sanction",
    "THREATEN": "Conflict", "COERCE": "Conflict", "ASSAULT": "Conflict", "FIGHT": "Conflict",
}
# CAMEO code prefix -> kind; the longest prefix that applies wins (057 before 05)
CAMEO_KIND = {
    "03": "agreement",  # express intent to cooperate, meet, settle ... (PLOVER AGREE)
    "057": "agreement",  # sign formal agreement
    "04": "meeting",  # consult, visit, negotiate
    "05": "Cooperation",  # engage in diplomatic cooperation
    "06": "Cooperation",  # engage in material cooperation
    "07": "Cooperation",  # provide aid (PLOVER AID)
    "13": "Conflict",  # threaten
    "15": "Conflict",  # exhibit force posture
    "16": "Sanction",  # reduce relations: break relations, cut aid, 163 embargo and sanctions (PLOVER SANCTION)
    "17": "Conflict",  # coerce
    "18": "Conflict",  # assault
    "19": "Conflict",  # fight
    "20": "Conflict",  # mass violence
}
# relation types that count as cooperation when compared with event types
_RELATION_KIND = {"Cooperation": "Cooperation", "Alliance": "Cooperation", "Partnership": "Cooperation",
                  "Conflict": "Conflict", "Sanction": "Sanction"}


def cameo_kind(code: str) -> str:
    """The kind a CAMEO event code maps to, or "" (statements, demands, protests, rejections ...)."""
    for length in (3, 2):
        kind = CAMEO_KIND.get(code[:length])
        if kind:
            return kind
    return ""


@lru_cache(maxsize=1)
def state_codes() -> frozenset[str]:
    """The ISO alpha-3 codes of ``data/gazetteer/states.tsv``."""
    with (gazetteer_dir() / "states.tsv").open(encoding="utf-8", newline="") as handle:
        return frozenset(row["code"] for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def fact_kinds(x: Extraction) -> set[str]:
    """The event kinds of the extracted facts."""
    kinds = {"meeting"} if x.meetings else set()
    if x.agreements:
        kinds.add("agreement")
    kinds |= {_RELATION_KIND[r.type] for r in x.relations if r.type in _RELATION_KIND}
    return kinds


def fact_actors(x: Extraction, kind: str | None = None) -> set[str]:
    """The state codes among the extracted facts' actors (of one kind of fact, when given)."""
    codes: set[str] = set()
    if kind in (None, "meeting"):
        codes.update(c for m in x.meetings for c in m.participants)
    if kind in (None, "agreement"):
        codes.update(c for a in x.agreements for c in a.parties)
    codes.update(c for r in x.relations for c in r.actors if kind is None or _RELATION_KIND.get(r.type) == kind)
    return codes & state_codes()


@dataclass(frozen=True)
class EventRecord:
    """A sentence with gold state actors and gold event kinds."""

    id: str
    text: str
    date: dt.date | None
    actors: frozenset[str]  # state codes of the gold source and target
    kinds: frozenset[str]  # mapped event kinds ("" dropped)
    events: tuple[str, ...]  # the gold event labels as given


def _date(value: str) -> dt.date | None:
    digits = re.sub(r"\D", "", value or "")
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])) if len(digits) >= 8 else None
    except ValueError:
        return None


def plover_records(eval_dir: Path = EVAL) -> list[EventRecord]:
    """PLOVER gold-standard records with a sentence (JSON with trailing commas, stripped)."""
    raw = (eval_dir / "plover_gsr" / "PLOVER_GSR_CAMEO.txt").read_text(encoding="utf-8")
    data = json.loads(re.sub(r",(\s*[}\]])", r"\1", raw))
    states = state_codes()
    records = []
    for item in data:
        if not isinstance(item.get("text"), str) or not item["text"].strip():
            continue
        actors = set()
        for key in ("source", "target"):
            value = item.get(key)
            for actor in value if isinstance(value, list) else []:
                if isinstance(actor, dict) and actor.get("code") in states:
                    actors.add(str(actor["code"]))
        event = str(item.get("event", ""))
        kind = PLOVER_KIND.get(event, "")
        records.append(EventRecord(str(item["id"]), " ".join(item["text"].split()), _date(str(item.get("date", ""))),
                                   frozenset(actors), frozenset({kind} - {""}), (event,)))
    return records


def petrarch_records(eval_dir: Path = EVAL) -> list[EventRecord]:
    """PETRARCH2 unit-test sentences with at least one expected coding between two real states.

    Only the codings whose source and target are both ISO alpha-3 codes of ``states.tsv`` are kept
    (the others code fictional countries, agents such as USAGOV, or organizations).
    """
    root = ET.parse(eval_dir / "petrarch2" / "PETR.UnitTest.records.xml").getroot()
    states = state_codes()
    records = []
    for sentence in root.iter("Sentence"):
        codings = [c.attrib for c in sentence.findall("EventCoding")
                   if c.get("sourcecode") in states and c.get("targetcode") in states and c.get("eventcode")]
        text = " ".join((sentence.findtext("Text") or "").split())
        if not codings or not text:
            continue
        actors = frozenset(c[k] for c in codings for k in ("sourcecode", "targetcode"))
        events = tuple(c["eventcode"] for c in codings)
        kinds = frozenset({cameo_kind(e) for e in events} - {""})
        records.append(EventRecord(str(sentence.get("id")), text, _date(str(sentence.get("date", ""))),
                                   actors, kinds, events))
    return records


def extract_sentence(text: str, date: dt.date | None, lang: str, source: str) -> Extraction:
    """The extractor's facts of one sentence, as a one-sentence article."""
    return extract_article(Article(source, text.strip() + "\n", date=date, lang=lang))


def score_events(records: Iterable[EventRecord], lang: str = "en") -> dict[str, Any]:
    """Actor and event-kind figures of the extractor on ``records``, and the disagreements."""
    tp = fp = fn = 0  # actors of the extracted facts
    mtp = mfp = mfn = 0  # actors mentioned anywhere in the sentence (states)
    kind_counts = {k: [0, 0, 0] for k in EVENT_KINDS}
    full = [0, 0]  # records whose gold kind is found with exactly the gold states as its actors
    errors: list[dict[str, Any]] = []
    n = with_actors = 0
    for record in records:
        n += 1
        with_actors += bool(record.actors)
        x = extract_sentence(record.text, record.date, lang, f"{record.id}.txt")
        got = fact_actors(x)
        mentioned = set(x.actors) & state_codes()
        if record.actors:
            tp, fp, fn = tp + len(got & record.actors), fp + len(got - record.actors), fn + len(record.actors - got)
            mtp += len(mentioned & record.actors)
            mfp += len(mentioned - record.actors)
            mfn += len(record.actors - mentioned)
        kinds = fact_kinds(x)
        for kind in EVENT_KINDS:
            if kind in record.kinds and kind in kinds:
                kind_counts[kind][0] += 1
            elif kind in kinds:
                kind_counts[kind][1] += 1
            elif kind in record.kinds:
                kind_counts[kind][2] += 1
        if record.kinds and record.actors:
            full[1] += 1
            full[0] += any(fact_actors(x, k) == record.actors for k in record.kinds & kinds)
        if kinds != set(record.kinds) or (record.actors and got != record.actors):
            errors.append({"id": record.id, "text": record.text, "gold_events": list(record.events),
                           "gold_kinds": sorted(record.kinds), "predicted_kinds": sorted(kinds),
                           "gold_actors": sorted(record.actors), "predicted_actors": sorted(got)})
    per_kind = {k: prf(*v) | {"gold": v[0] + v[2]} for k, v in kind_counts.items()}
    totals = [sum(v[i] for v in kind_counts.values()) for i in range(3)]
    return {
        "records": n,
        "records_with_state_actors": with_actors,
        "actors": prf(tp, fp, fn),
        "actors_mentioned": prf(mtp, mfp, mfn),
        "event_kinds": per_kind,
        "event_kinds_all": prf(*totals),
        "kind_and_actors": {"right": full[0], "of": full[1],
                            "accuracy": round(full[0] / full[1], 4) if full[1] else 0.0},
        "errors": errors,
    }


# -- KLUE-NER -----------------------------------------------------------------
_TAG = re.compile(r"<([^<>]+?):(PS|LC|OG|DT|TI|QT|PER|ORG|LOC)>")


def untag(tagged: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Plain sentence and its tagged spans (start, end, tag) from KLUE's inline ``<text:TAG>`` markup."""
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = last = 0
    for m in _TAG.finditer(tagged):
        parts.append(tagged[last:m.start()])
        pos += m.start() - last
        spans.append((pos, pos + len(m.group(1)), m.group(2)))
        parts.append(m.group(1))
        pos += len(m.group(1))
        last = m.end()
    parts.append(tagged[last:])
    return "".join(parts), spans


def klue_sentences(eval_dir: Path = EVAL) -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    """(id, sentence, spans) of the diplomacy slice of KLUE-NER dev."""
    out = []
    for line in (eval_dir / "klue_ner" / "diplomacy_sentence_ids.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        ident, tagged = line.split("\t", 1)
        text, spans = untag(tagged.strip())
        out.append((ident, text, spans))
    return out


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int, str]], tags: tuple[str, ...]) -> bool:
    return any(start < e and s < end for s, e, t in spans if t in tags)


def _occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    return [(m.start(), m.start() + len(surface)) for m in re.finditer(re.escape(surface), text)] if surface else []


def score_klue(eval_dir: Path = EVAL, gazetteer: Gazetteer | None = None) -> dict[str, Any]:
    """People against PS spans; actor mentions (states, organizations, bodies) against OG spans."""
    gazetteer = gazetteer or default_gazetteer()
    finder = finder_for(gazetteer)
    person = Counter[str]()
    org = Counter[str]()
    errors: list[dict[str, Any]] = []
    sentences = klue_sentences(eval_dir)
    for ident, text, spans in sentences:
        x = extract_sentence(text, None, "ko", f"{ident}.txt")
        found: list[tuple[int, int]] = []
        false_people = []
        for p in x.people:
            places = _occurrences(text, p.evidence.surface)
            if any(_overlaps(s, e, spans, ("PS",)) for s, e in places):
                person["right"] += 1
            else:
                person["false"] += 1
                false_people.append(p.evidence.surface)
            found += places
        missed_people = []
        for s, e, tag in spans:
            if tag == "PS":
                person["gold"] += 1
                if any(a < e and s < b for a, b in found):
                    person["hit"] += 1
                else:
                    missed_people.append(text[s:e])
        mentions = [m for m in finder.find(text) if not _is_person(gazetteer, m.codes)]
        missed_orgs = []
        for s, e, tag in spans:
            if tag == "OG":
                org["gold"] += 1
                if any(m.start < e and s < m.end for m in mentions):
                    org["hit"] += 1
                else:
                    missed_orgs.append(text[s:e])
        for m in mentions:
            org["right" if _overlaps(m.start, m.end, spans, ("OG", "LC")) else "false"] += 1
        if missed_people or false_people or missed_orgs:
            errors.append({"id": ident, "text": text, "missed_people": missed_people, "false_people": false_people,
                           "missed_orgs": missed_orgs})
    return {
        "sentences": len(sentences),
        "people": _counted(person),
        "organizations": _counted(org),
        "errors": errors,
    }


def _counted(c: Counter[str]) -> dict[str, float | int]:
    """P from predictions right/false, R from gold spans hit; F1 of the two."""
    p = c["right"] / (c["right"] + c["false"]) if c["right"] + c["false"] else 0.0
    r = c["hit"] / c["gold"] if c["gold"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"gold": c["gold"], "hit": c["hit"], "predicted": c["right"] + c["false"], "right": c["right"],
            "p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def _is_person(gazetteer: Gazetteer, codes: tuple[str, ...]) -> bool:
    actor = gazetteer.actor(codes[0]) if codes else None
    return actor is not None and actor.kind == PERSON

