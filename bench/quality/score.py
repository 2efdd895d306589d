"""Matching predicted facts to gold facts, and the figures: precision, recall, F1, accuracy, Jaccard.

A fact is one meeting, agreement, relation or person, reduced to what the benchmark compares: its
kind, type, actor set (participants, parties or actors; for a person, the names), the sentence it
comes from, and for meetings and agreements the status and date. A predicted fact matches a gold
fact when the gold quote lies in the predicted evidence sentence, the types are equal and the actor
sets are equal (a person: the same English or Korean name). Predictions of one fact in one
sentence (same sentence, type and actors) count once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

KINDS = ("meetings", "agreements", "relations", "people")


@dataclass(frozen=True)
class Fact:
    """A gold or predicted fact. Gold facts have a ``quote``; predicted ones a ``sentence``."""

    kind: str  # one of KINDS
    type: str  # class local name; "" for people
    actors: frozenset[str]  # actor codes; for people the names (English and Korean)
    quote: str = ""  # gold: a unique substring of the supporting sentence
    sentence: str = ""  # predicted: the evidence sentence
    offset: int = -1  # predicted: where the evidence sentence starts in the article
    status: str = ""
    date: str = ""
    lang: str = ""
    article: str = ""
    label: str = ""  # for people: the name shown in reports

    def key(self) -> tuple[object, ...]:
        """What makes two predictions the same fact: sentence, type, actors."""
        if self.kind == "people":
            return (self.offset, self.sentence, self.label.casefold())
        return (self.offset, self.sentence, self.type, self.actors)

    def signature(self) -> tuple[object, ...]:
        """The fact without its sentence: kind, type, actors, status (for cross-language agreement)."""
        if self.kind == "people":
            return (self.kind, self.label)
        return (self.kind, self.type, tuple(sorted(self.actors)), self.status)

    def describe(self) -> str:
        """One line for error reports."""
        if self.kind == "people":
            return f"person {self.label}"
        extra = " ".join(x for x in (self.status, self.date and f"date={self.date}") if x)
        return f"{self.type} [{' '.join(sorted(self.actors))}] {extra}".rstrip()


def matches(gold: Fact, predicted: Fact) -> bool:
    """Same sentence (the gold quote is in the predicted evidence), same type, same actor set."""
    if gold.kind != predicted.kind or not gold.quote or gold.quote not in predicted.sentence:
        return False
    if gold.kind == "people":
        return bool(gold.actors & predicted.actors)
    return gold.type == predicted.type and gold.actors == predicted.actors


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """Precision, recall and F1 with their counts; 0.0 where a ratio has nothing to count."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


@dataclass
class KindResult:
    """The outcome of scoring one kind: matched pairs, misses, false alarms."""

    matched: list[tuple[Fact, Fact]] = field(default_factory=list)  # (gold, first matching prediction)
    missed: list[Fact] = field(default_factory=list)  # gold facts no prediction matched
    false: list[Fact] = field(default_factory=list)  # distinct predictions that match no gold fact

    @property
    def figures(self) -> dict[str, float | int]:
        return prf(len(self.matched), len(self.false), len(self.missed))

    def extend(self, other: KindResult) -> None:
        self.matched += other.matched
        self.missed += other.missed
        self.false += other.false

    def accuracy(self, attribute: str) -> dict[str, float | int]:
        """Share of matched facts whose ``attribute`` (status, date) is the gold one."""
        right = sum(getattr(g, attribute) == getattr(p, attribute) for g, p in self.matched)
        n = len(self.matched)
        return {"right": right, "of": n, "accuracy": round(right / n, 4) if n else 0.0}

    def wrong(self, attribute: str) -> list[tuple[Fact, Fact]]:
        """Matched pairs that disagree on ``attribute``."""
        return [(g, p) for g, p in self.matched if getattr(g, attribute) != getattr(p, attribute)]


def score(gold: Sequence[Fact], predicted: Iterable[Fact]) -> KindResult:
    """Match ``predicted`` facts to ``gold`` facts (one article, one kind)."""
    distinct: dict[tuple[object, ...], Fact] = {}
    for fact in predicted:
        distinct.setdefault(fact.key(), fact)
    found: dict[int, Fact] = {}
    result = KindResult()
    for fact in distinct.values():
        hits = [i for i, g in enumerate(gold) if matches(g, fact)]
        if not hits:
            result.false.append(fact)
        for i in hits:
            found.setdefault(i, fact)
    result.matched = [(gold[i], found[i]) for i in sorted(found)]
    result.missed = [g for i, g in enumerate(gold) if i not in found]
    return result


def jaccard(a: set[tuple[object, ...]], b: set[tuple[object, ...]]) -> dict[str, float | int]:
    """Sizes of two sets, their intersection, and the share found in both (Jaccard; 1.0 for two empty sets)."""
    union = a | b
    return {"a": len(a), "b": len(b), "both": len(a & b),
            "jaccard": round(len(a & b) / len(union), 4) if union else 1.0}
