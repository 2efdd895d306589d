"""The seed articles: gold facts from ``gold/seeds.yaml``, predicted facts from the extractor."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml

from bench.quality.score import KINDS, Fact, KindResult, jaccard, score
from kg.extract import Extraction, When, extract_article
from kg.read import Article, guess_language, read_article

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GOLD = HERE / "gold" / "seeds.yaml"
ARTICLES = ROOT / "data" / "articles"
ACTOR_FIELD = {"meetings": "participants", "agreements": "parties", "relations": "actors"}
BILINGUAL = "000_e23bad62de7aac41.txt"  # Korean, then an English rendering


def load_gold(path: Path = GOLD) -> dict[str, dict[str, list[Fact]]]:
    """Gold facts by article file name, then by kind."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    gold: dict[str, dict[str, list[Fact]]] = {}
    for name, entry in (data.get("articles") or {}).items():
        gold[name] = {kind: [gold_fact(kind, item, name) for item in entry.get(kind) or []] for kind in KINDS}
    return gold


def gold_fact(kind: str, item: Mapping[str, Any], article: str = "") -> Fact:
    """One gold fact from its YAML mapping."""
    common = {"quote": str(item["quote"]), "lang": str(item.get("lang", "")), "article": article}
    if kind == "people":
        names = frozenset(str(item[k]) for k in ("name_en", "name_ko") if item.get(k))
        return Fact(kind, "", names, label=str(item.get("name_en") or item.get("name_ko")), **common)
    actors = frozenset(str(code) for code in item[ACTOR_FIELD[kind]])
    return Fact(kind, str(item["type"]), actors, status=str(item.get("status", "")),
                date=str(item.get("date") or ""), **common)


def when_text(when: When) -> str:
    """A date as the gold writes it: the value, or ``earliest/latest`` for a range."""
    if when.value:
        return when.value
    if when.earliest or when.latest:
        return f"{when.earliest}/{when.latest}"
    return ""


def predicted_facts(x: Extraction) -> dict[str, list[Fact]]:
    """The extractor's facts of one article, by kind."""
    facts: dict[str, list[Fact]] = {kind: [] for kind in KINDS}
    name = x.article.source
    for m in x.meetings:
        facts["meetings"].append(Fact("meetings", m.type, frozenset(m.participants), sentence=m.evidence.sentence,
                                      offset=m.evidence.start, status=m.status, date=when_text(m.when),
                                      lang=guess_language(m.evidence.sentence), article=name))
    for a in x.agreements:
        facts["agreements"].append(Fact("agreements", a.type, frozenset(a.parties), sentence=a.evidence.sentence,
                                        offset=a.evidence.start, status=a.status, date=when_text(a.when),
                                        lang=guess_language(a.evidence.sentence), article=name))
    for r in x.relations:
        facts["relations"].append(Fact("relations", r.type, frozenset(r.actors), sentence=r.evidence.sentence,
                                       offset=r.evidence.start, lang=guess_language(r.evidence.sentence),
                                       article=name))
    for p in x.people:
        names = frozenset(n for n in (p.name_en, p.name_ko) if n)
        facts["people"].append(Fact("people", "", names, sentence=p.evidence.sentence, offset=p.evidence.start,
                                    lang=guess_language(p.evidence.sentence), article=name,
                                    label=p.name_en or p.name_ko))
    return facts


@dataclass
class SeedResults:
    """Per kind, the matching outcome over all seed articles; per article, the facts compared."""

    by_kind: dict[str, KindResult]
    gold: dict[str, dict[str, list[Fact]]]
    predicted: dict[str, dict[str, list[Fact]]]


def read_seed(name: str) -> Article:
    """A seed article as the importer reads it."""
    return read_article(ARTICLES / name)


def evaluate(gold: dict[str, dict[str, list[Fact]]] | None = None) -> SeedResults:
    """Run the extractor on every gold article and score it kind by kind."""
    gold = load_gold() if gold is None else gold
    by_kind = {kind: KindResult() for kind in KINDS}
    predicted: dict[str, dict[str, list[Fact]]] = {}
    for name in sorted(gold):
        predicted[name] = predicted_facts(extract_article(read_seed(name)))
        for kind in KINDS:
            by_kind[kind].extend(score(gold[name][kind], predicted[name][kind]))
    return SeedResults(by_kind, gold, predicted)


def seed_figures(results: SeedResults) -> dict[str, Any]:
    """P/R/F1 per kind; status and date accuracy of matched meetings, status of matched agreements."""
    out: dict[str, Any] = {kind: results.by_kind[kind].figures for kind in KINDS}
    out["meetings"]["status"] = results.by_kind["meetings"].accuracy("status")
    out["meetings"]["date"] = results.by_kind["meetings"].accuracy("date")
    out["agreements"]["status"] = results.by_kind["agreements"].accuracy("status")
    return out


def bilingual_agreement(results: SeedResults, article: str = BILINGUAL) -> dict[str, Any]:
    """Facts (type + actors + status) of the Korean and of the English half, and the share in both.

    For gold and for predictions, per kind and over all kinds together; ``only_ko`` and ``only_en``
    list the facts found in one half only.
    """
    out: dict[str, Any] = {}
    for side, facts in (("gold", results.gold.get(article)), ("predicted", results.predicted.get(article))):
        if not facts:
            continue
        per_kind: dict[str, Any] = {}
        all_ko: set[tuple[object, ...]] = set()
        all_en: set[tuple[object, ...]] = set()
        for kind in KINDS:
            ko = {f.signature() for f in facts[kind] if f.lang == "ko"}
            en = {f.signature() for f in facts[kind] if f.lang == "en"}
            per_kind[kind] = _halves(ko, en) | {"only_ko": sorted(map(_show, ko - en)),
                                                 "only_en": sorted(map(_show, en - ko))}
            all_ko |= ko
            all_en |= en
        per_kind["all"] = _halves(all_ko, all_en)
        out[side] = per_kind
    return out


def _halves(ko: set[tuple[object, ...]], en: set[tuple[object, ...]]) -> dict[str, Any]:
    j = jaccard(ko, en)
    return {"ko": j["a"], "en": j["b"], "both": j["both"], "jaccard": j["jaccard"]}


def _show(signature: tuple[object, ...]) -> str:
    """A fact signature as one readable line: ``Summit [CHN JPN KOR] held``."""
    if signature[0] == "people":
        return f"person {signature[1]}"
    _, type_, actors, status = signature
    return f"{type_} [{' '.join(cast(tuple[str, ...], actors))}] {status}".rstrip()
